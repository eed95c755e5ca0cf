/* config.json "mounts" inside the container's mount namespace.
 *
 * CVE-2021-30465 defence: a destination is never resolved by path on the
 * host.  It is opened with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)
 * relative to the rootfs, so "..", absolute symlinks and /proc magic links all
 * stay inside the rootfs, and the mount is then made onto /proc/self/fd/N of
 * that O_PATH descriptor: what was checked is exactly what gets mounted on,
 * even if the container swaps a directory for a symlink in between. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static int openat2_in_root(int rootfd, const char *path, int flags) {
    struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    while (*path == '/') path++;
    if (!*path) path = ".";
    return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

static int open_in_root_depth(int rootfd, const char *path, int flags, bool create_dir, bool create_file, int depth);

int rt_open_in_root(int rootfd, const char *path, int flags, bool create_dir, bool create_file) {
    return open_in_root_depth(rootfd, path, flags, create_dir, create_file, 0);
}

/* A dangling symlink on the way: continue with its target, still in-root. */
static int follow_dangling(int rootfd, int parent, const char *prefix, const char *name, const char *rest,
                           int flags, bool create_dir, bool create_file, int depth) {
    char tgt[PATH_MAX];
    ssize_t n = readlinkat(parent, name, tgt, sizeof tgt - 1);
    if (n <= 0) return -2;   /* not a symlink */
    tgt[n] = 0;
    if (depth >= 40) { errno = ELOOP; brig_fail_errno(BRIG_EXIT_UNSAFE, "%s: too many symlinks", prefix); return -1; }
    char *np;
    if (tgt[0] == '/') np = xasprintf("%s%s%s", tgt, rest ? "/" : "", rest ? rest : "");
    else {
        const char *sl = strrchr(prefix, '/');
        np = xasprintf("%.*s/%s%s%s", sl ? (int)(sl - prefix) : 0, prefix, tgt, rest ? "/" : "", rest ? rest : "");
    }
    int fd = open_in_root_depth(rootfd, np, flags, create_dir, create_file, depth + 1);
    free(np);
    return fd;
}

static int open_in_root_depth(int rootfd, const char *path, int flags, bool create_dir, bool create_file, int depth) {
    int fd = openat2_in_root(rootfd, path, O_PATH | flags);
    if (fd >= 0) return fd;
    if (errno != ENOENT || (!create_dir && !create_file)) {
        brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot resolve inside the container root", path);
        return -1;
    }
    /* Create the missing components one at a time, each resolved in-root. */
    char *p = xstrdup(path);
    char *s = p;
    while (*s == '/') s++;
    for (;;) {
        char *e = strchr(s, '/');
        bool last = !e || !e[strspn(e, "/")];
        if (e) *e = 0;
        int f = openat2_in_root(rootfd, p, O_PATH);
        if (f >= 0) close(f);
        else if (errno == ENOENT) {
            char *slash = strrchr(p, '/');
            const char *name = slash ? slash + 1 : p;
            int parent;
            if (slash && slash != p) { *slash = 0; parent = openat2_in_root(rootfd, p, O_PATH | O_DIRECTORY); *slash = '/'; }
            else parent = openat2_in_root(rootfd, "/", O_PATH | O_DIRECTORY);
            if (parent < 0) { brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot open the parent directory inside the container root", p); free(p); return -1; }
            int r;
            if (last && create_file) {
                r = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (r >= 0) close(r);
            } else r = mkdirat(parent, name, 0755);
            if (r < 0 && errno == EEXIST) {
                int fr = follow_dangling(rootfd, parent, p, name, last ? NULL : e + 1 + strspn(e + 1, "/"), flags, create_dir, create_file, depth);
                if (fr != -2) { close(parent); free(p); return fr; }
                errno = EEXIST;
            }
            close(parent);
            if (r < 0 && errno != EEXIST) {
                brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create inside the container root", p);
                free(p); return -1;
            }
        } else { brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot resolve inside the container root", p); free(p); return -1; }
        if (last) break;
        *e = '/';
        s = e + 1;
        while (*s == '/') s++;
    }
    free(p);
    fd = openat2_in_root(rootfd, path, O_PATH | flags);
    if (fd < 0) brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot open inside the container root after creating it", path);
    return fd;
}

static void fdpath(char *buf, size_t n, int fd) { snprintf(buf, n, "/proc/self/fd/%d", fd); }

/* Flags the kernel locks on mounts inherited into a user namespace: a remount
 * that drops them fails with EPERM, so carry them over. */
static unsigned long current_flags(const char *path) {
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(path, &sv) != 0) return 0;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

int rt_remount(const char *path, unsigned long flags, unsigned long clear) {
    unsigned long want = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME |
                                  MS_STRICTATIME | MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_LAZYTIME);
    if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | want, NULL) == 0) return 0;
    if (errno == EPERM) {
        unsigned long cur = current_flags(path) & ~clear;
        if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | want | cur, NULL) == 0) return 0;
        /* Atime flags are locked as a group; keep the current one. */
        cur = current_flags(path);
        if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | (want & ~(MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)) | cur, NULL) == 0) return 0;
    }
    return -1;
}

static int reopen(int rootfd, const char *dest, int *fd) {
    close(*fd);
    *fd = rt_open_in_root(rootfd, dest, 0, false, false);
    return *fd < 0 ? BRIG_EXIT_SYSTEM : 0;
}

static const unsigned long SETTABLE = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME |
                                      MS_RELATIME | MS_STRICTATIME | MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_LAZYTIME;

static int bind_mount(const rt_spec *s, int rootfd, const rt_mount *m, const char *where) {
    char *src;
    struct stat st;
    if (m->src_fd >= 0) {
        src = xasprintf("/proc/self/fd/%d", m->src_fd);
        if (fstat(m->src_fd, &st) != 0) { int rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: bind source %s", where, m->source); free(src); return rc; }
    } else {
        src = m->source[0] == '/' ? xstrdup(m->source) : xasprintf("%s/%s", s->bundle, m->source);
        if (stat(src, &st) != 0) { int rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: bind source %s", where, src); free(src); return rc; }
    }
    int fd = rt_open_in_root(rootfd, m->dest, 0, S_ISDIR(st.st_mode), !S_ISDIR(st.st_mode));
    if (fd < 0) { free(src); return brig_fail_context(BRIG_EXIT_SYSTEM, "%s", where); }
    char fp[64];
    fdpath(fp, sizeof fp, fd);
    if (mount(src, fp, NULL, MS_BIND | (m->opts.rbind ? MS_REC : 0), NULL) != 0) {
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot bind-mount %s", where, m->source);
        free(src); close(fd); return rc;
    }
    free(src);
    int rc = reopen(rootfd, m->dest, &fd);
    if (rc) return brig_fail_context(rc, "%s", where);
    fdpath(fp, sizeof fp, fd);
    if (m->opts.flags & SETTABLE) {
        if (rt_remount(fp, m->opts.flags, m->opts.clear) != 0) {
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot remount the bind mount with its options", where);
            close(fd); return rc;
        }
        /* "ro" on an rbind must cover the submounts too (runc's rro). */
        if (m->opts.rbind && (m->opts.flags & MS_RDONLY)) {
            struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
            if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0)
                brig_debug("%s: recursive read-only failed: %s", where, strerror(errno));
        }
    }
    if (m->opts.propagation && mount(NULL, fp, NULL, m->opts.propagation, NULL) != 0) {
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot set mount propagation", where);
        close(fd); return rc;
    }
    close(fd);
    return 0;
}

/* Inside a user namespace that does not own the network (or IPC) namespace,
 * sysfs (mqueue) cannot be mounted fresh; bind the host's read-only instead. */
static int fallback_bind(int fd, const char *host, const char *where) {
    char fp[64];
    fdpath(fp, sizeof fp, fd);
    if (mount(host, fp, NULL, MS_BIND | MS_REC, NULL) != 0)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot bind %s as a fallback", where, host);
    return 0;
}

static int cgroup_mount(const rt_spec *s, int rootfd, const rt_mount *m, const char *where) {
    int fd = rt_open_in_root(rootfd, m->dest, O_DIRECTORY, true, false);
    if (fd < 0) return brig_fail_context(BRIG_EXIT_SYSTEM, "%s", where);
    char fp[64];
    fdpath(fp, sizeof fp, fd);
    unsigned long fl = m->opts.flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME);
    int rc = 0;
    if (rt_cgroup_is_v2() && !s->ns[RT_NS_CGROUP].present) {
        /* Without a cgroup namespace a new cgroup2 mount shows the host's whole
         * hierarchy, which is what /sys/fs/cgroup already is: bind it.  A new
         * mount from the initial cgroup namespace also re-applies the root's
         * mount options (nsdelegate, favordynmods...) host-wide and, on recent
         * kernels, waits for an RCU grace period (5-15 ms per container). */
        if (mount("/sys/fs/cgroup", fp, NULL, MS_BIND, NULL) != 0)
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot bind the host's /sys/fs/cgroup", where);
        else if ((rc = reopen(rootfd, m->dest, &fd)) == 0) {
            fdpath(fp, sizeof fp, fd);
            if (rt_remount(fp, fl | (m->opts.flags & MS_RDONLY), 0) != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot apply the mount options to the cgroup2 bind", where);
        }
        if (fd >= 0) close(fd);
        return rc;
    }
    if (rt_cgroup_is_v2()) {
        if (mount("cgroup2", fp, "cgroup2", fl | (m->opts.flags & MS_RDONLY), NULL) != 0) {
            char *host = s->cgroups_path ? xasprintf("/sys/fs/cgroup%s%s", s->cgroups_path[0] == '/' ? "" : "/", s->cgroups_path) : NULL;
            if (!host || fallback_bind(fd, host, where) != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot mount cgroup2", where);
            free(host);
        }
        close(fd);
        return rc;
    }
    /* v1: a tmpfs holding one bind mount per hierarchy, each showing only the
     * container's own cgroup (what cgroup namespaces show on v2). */
    if (mount("tmpfs", fp, "tmpfs", fl, "mode=755") != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: tmpfs for cgroups", where); close(fd); return rc; }
    if ((rc = reopen(rootfd, m->dest, &fd))) return rc;
    DIR *d = opendir("/sys/fs/cgroup");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "unified")) continue;
        char *hp = xasprintf("/sys/fs/cgroup/%s", e->d_name);
        struct stat st;
        if (lstat(hp, &st) == 0 && S_ISLNK(st.st_mode)) {
            char tgt[256];
            ssize_t n = readlink(hp, tgt, sizeof tgt - 1);
            if (n > 0) { tgt[n] = 0; if (!strchr(tgt, '/')) symlinkat(tgt, fd, e->d_name); }
        } else if (S_ISDIR(st.st_mode) && s->cgroups_path) {
            char *src = xasprintf("%s%s%s", hp, s->cgroups_path[0] == '/' ? "" : "/", s->cgroups_path);
            if (access(src, F_OK) == 0 && mkdirat(fd, e->d_name, 0755) == 0) {
                int sub = openat(fd, e->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                char sp[64];
                fdpath(sp, sizeof sp, sub);
                if (sub < 0 || mount(src, sp, NULL, MS_BIND, NULL) != 0)
                    rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot bind cgroup hierarchy %s", where, src);
                if (sub >= 0) {
                    close(sub);
                    sub = openat(fd, e->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    fdpath(sp, sizeof sp, sub);
                    if (rc == 0 && rt_remount(sp, fl | (m->opts.flags & MS_RDONLY), 0) != 0)
                        brig_debug("%s: cannot remount %s read-only: %s", where, src, strerror(errno));
                    if (sub >= 0) close(sub);
                }
            }
            free(src);
        }
        free(hp);
        if (rc) break;
    }
    if (d) closedir(d);
    if (rc == 0 && (m->opts.flags & MS_RDONLY)) {
        fdpath(fp, sizeof fp, fd);
        if (rt_remount(fp, fl | MS_RDONLY, 0) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot make the cgroup tmpfs read-only", where);
    }
    close(fd);
    return rc;
}

static int fs_mount(const rt_spec *s, int rootfd, const rt_mount *m, const char *where) {
    if (!strcmp(m->type, "cgroup") || !strcmp(m->type, "cgroup2")) return cgroup_mount(s, rootfd, m, where);
    int fd = rt_open_in_root(rootfd, m->dest, 0, true, false);
    if (fd < 0) return brig_fail_context(BRIG_EXIT_SYSTEM, "%s", where);
    char fp[64];
    fdpath(fp, sizeof fp, fd);
    unsigned long fl = m->opts.flags & ~MS_REMOUNT;
    int rc = 0;
    if (mount(m->source ? m->source : m->type, fp, m->type, fl, m->opts.data) != 0) {
        int e = errno;
        if ((e == EPERM || e == EBUSY) && !strcmp(m->type, "sysfs")) rc = fallback_bind(fd, "/sys", where);
        else if ((e == EPERM || e == EBUSY) && !strcmp(m->type, "mqueue")) rc = fallback_bind(fd, "/dev/mqueue", where);
        else { errno = e; rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot mount %s", where, m->type); }
        if (rc == 0 && (rc = reopen(rootfd, m->dest, &fd)) == 0) {
            fdpath(fp, sizeof fp, fd);
            if (rt_remount(fp, fl | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0) != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot restrict the fallback bind mount", where);
        }
    }
    if (rc == 0 && m->opts.propagation) {
        if ((rc = reopen(rootfd, m->dest, &fd)) == 0) {
            fdpath(fp, sizeof fp, fd);
            if (mount(NULL, fp, NULL, m->opts.propagation, NULL) != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot set mount propagation", where);
        }
    }
    if (fd >= 0) close(fd);
    return rc;
}

int rt_mount_all(const rt_spec *s, int rootfd) {
    for (size_t i = 0; i < s->n_mounts; i++) {
        const rt_mount *m = &s->mounts[i];
        char where[PATH_MAX + 64];
        snprintf(where, sizeof where, "mounts[%zu] (%s)", i, m->dest);
        int rc = m->opts.bind ? bind_mount(s, rootfd, m, where) : fs_mount(s, rootfd, m, where);
        if (rc) return rc;
    }
    return 0;
}
