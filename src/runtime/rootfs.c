/* Root filesystem life cycle inside the new mount namespace: propagation,
 * the rootfs bind, mounts and devices (mounts.c, devices.c), pivot_root, then
 * masked/read-only paths, the read-only root and namespaced sysctls. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long prop_flag(const char *p) {
    if (!p) return 0;
    unsigned long rec = p[0] == 'r' ? MS_REC : 0;
    const char *b = rec ? p + 1 : p;
    if (!strcmp(b, "private")) return MS_PRIVATE | rec;
    if (!strcmp(b, "shared")) return MS_SHARED | rec;
    if (!strcmp(b, "slave")) return MS_SLAVE | rec;
    if (!strcmp(b, "unbindable")) return MS_UNBINDABLE | rec;
    return 0;
}

/* Step 1, still as the creating (host) user: propagation and the rootfs bind.
 * Returns an O_PATH descriptor of the bound rootfs: everything after works
 * relative to it, so the ids we switch to need no access to its parents. */
int rt_prepare_rootfs(const rt_spec *s, int *rootfd) {
    /* Never let our mounts propagate back to the host: everything becomes a
     * slave (or private) of the host before we touch anything. */
    unsigned long pf = prop_flag(s->rootfs_propagation);
    unsigned long first = (pf & MS_PRIVATE) ? MS_PRIVATE | MS_REC : MS_SLAVE | MS_REC;
    if (mount(NULL, "/", NULL, first, NULL) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot make / a slave mount");
    struct stat st;
    if (stat(s->root_path, &st) != 0 || !S_ISDIR(st.st_mode))
        return brig_fail_errno(BRIG_EXIT_INPUT, "root.path %s: not a directory", s->root_path);
    if (mount(s->root_path, s->root_path, NULL, MS_BIND | MS_REC, NULL) != 0)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot bind the rootfs onto itself", s->root_path);
    *rootfd = open(s->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (*rootfd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: open", s->root_path);
    /* Bind sources too: the container's root may not be able to reach them. */
    for (size_t i = 0; i < s->n_mounts; i++) {
        rt_mount *m = &s->mounts[i];
        if (!m->opts.bind) continue;
        char *src = m->source[0] == '/' ? xstrdup(m->source) : xasprintf("%s/%s", s->bundle, m->source);
        m->src_fd = open(src, O_PATH | O_CLOEXEC);
        int rc = m->src_fd < 0 ? brig_fail_errno(BRIG_EXIT_INPUT, "mounts[%zu] (%s): bind source %s", i, m->dest, src) : 0;
        free(src);
        if (rc) return rc;
    }
    return 0;
}

/* Step 2: mounts and /dev, relative to the rootfs descriptor. */
int rt_setup_rootfs(const rt_spec *s, int rootfd, bool in_userns) {
    int rc = rt_mount_all(s, rootfd);
    if (rc == 0) rc = rt_setup_devices(s, rootfd, in_userns);
    return rc;
}

int rt_pivot_root(int rootfd, bool no_pivot) {
    if (no_pivot) {
        /* For ramfs roots where pivot_root is impossible; chroot is escapable by
         * a process with CAP_SYS_CHROOT, which is why this is opt-in. */
        if (fchdir(rootfd) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "fchdir rootfs");
        if (mount(".", "/", NULL, MS_MOVE, NULL) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "--no-pivot: cannot move the rootfs onto /");
        if (chroot(".") != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "--no-pivot: chroot");
        if (chdir("/") != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "chdir /");
        return 0;
    }
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    int rc = 0;
    if (oldroot < 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "pivot_root: cannot open /");
    /* pivot_root(".", ".") stacks the old root under the new one; detaching it
     * afterwards needs no directory inside the container (runc's technique). */
    else if (fchdir(rootfd) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "fchdir rootfs");
    else if (syscall(SYS_pivot_root, ".", ".") != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "pivot_root (use --no-pivot for a ramfs root)");
    else if (fchdir(oldroot) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "fchdir old root");
    else if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "old root: make slave");
    else if (umount2(".", MNT_DETACH) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot detach the old root");
    else if (chdir("/") != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "chdir /");
    if (oldroot >= 0) close(oldroot);
    return rc;
}

int rt_mask_paths(const rt_spec *s) {
    int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "open /");
    int rc = 0;
    for (size_t i = 0; i < s->n_masked && rc == 0; i++) {
        int fd = rt_open_in_root(rootfd, s->masked[i], 0, false, false);
        if (fd < 0) { if (errno == ENOENT) { brig_err_clear(); continue; } rc = brig_fail_context(BRIG_EXIT_SYSTEM, "linux.maskedPaths"); break; }
        struct stat st;
        char fp[64];
        snprintf(fp, sizeof fp, "/proc/self/fd/%d", fd);
        if (fstat(fd, &st) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.maskedPaths: %s", s->masked[i]);
        else if (S_ISDIR(st.st_mode)) {
            if (mount("tmpfs", fp, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=000") != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.maskedPaths: cannot mask directory %s", s->masked[i]);
        } else if (mount("/dev/null", fp, NULL, MS_BIND, NULL) != 0)
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.maskedPaths: cannot mask %s with /dev/null", s->masked[i]);
        close(fd);
    }
    for (size_t i = 0; i < s->n_readonly && rc == 0; i++) {
        int fd = rt_open_in_root(rootfd, s->readonly[i], 0, false, false);
        if (fd < 0) { if (errno == ENOENT) { brig_err_clear(); continue; } rc = brig_fail_context(BRIG_EXIT_SYSTEM, "linux.readonlyPaths"); break; }
        char fp[64];
        snprintf(fp, sizeof fp, "/proc/self/fd/%d", fd);
        if (mount(fp, fp, NULL, MS_BIND | MS_REC, NULL) != 0)
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.readonlyPaths: cannot bind %s", s->readonly[i]);
        close(fd);
        if (rc) break;
        fd = rt_open_in_root(rootfd, s->readonly[i], 0, false, false);
        snprintf(fp, sizeof fp, "/proc/self/fd/%d", fd);
        if (fd < 0 || rt_remount(fp, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0) != 0)
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.readonlyPaths: cannot make %s read-only", s->readonly[i]);
        if (fd >= 0) close(fd);
    }
    close(rootfd);
    return rc;
}

int rt_finish_rootfs(const rt_spec *s) {
    int rc = rt_mask_paths(s);
    if (rc) return rc;
    if (s->root_readonly && rt_remount("/", MS_RDONLY, 0) != 0)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot make the root filesystem read-only");
    unsigned long pf = prop_flag(s->rootfs_propagation);
    if (pf && mount(NULL, "/", NULL, pf, NULL) != 0)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.rootfsPropagation %s: cannot apply", s->rootfs_propagation);
    return 0;
}

/* Only sysctls that live in a namespace the container owns may be set;
 * anything else would reconfigure the host. */
int rt_sysctl_check(const rt_spec *s) {
    static const char *ipc[] = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
                                 "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", NULL };
    for (size_t i = 0; i < s->n_sysctl; i++) {
        const char *k = s->sysctl_keys[i];
        bool ok = false;
        const char *need = NULL;
        for (int j = 0; ipc[j]; j++) if (!strcmp(k, ipc[j])) { ok = s->ns[RT_NS_IPC].present; need = "ipc"; }
        if (!strncmp(k, "fs.mqueue.", 10)) { ok = s->ns[RT_NS_IPC].present; need = "ipc"; }
        if (!strncmp(k, "net.", 4)) { ok = s->ns[RT_NS_NET].present; need = "network"; }
        if (!strcmp(k, "kernel.hostname") || !strcmp(k, "kernel.domainname")) { ok = s->ns[RT_NS_UTS].present; need = "uts"; }
        if (!need)
            return brig_fail(BRIG_EXIT_UNSAFE, "linux.sysctl: '%s' is not namespaced; setting it would change the host. Remove it", k);
        if (!ok)
            return brig_fail(BRIG_EXIT_UNSAFE, "linux.sysctl: '%s' needs the container to have its own %s namespace", k, need);
    }
    return 0;
}

int rt_sysctl_apply(const rt_spec *s) {
    for (size_t i = 0; i < s->n_sysctl; i++) {
        char *p = xasprintf("/proc/sys/%s", s->sysctl_keys[i]);
        for (char *c = p + 10; *c; c++) if (*c == '.') *c = '/';
        int fd = open(p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        int rc = 0;
        if (fd < 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.sysctl %s: cannot open %s", s->sysctl_keys[i], p);
        else {
            if (write(fd, s->sysctl_vals[i], strlen(s->sysctl_vals[i])) < 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.sysctl %s=%s", s->sysctl_keys[i], s->sysctl_vals[i]);
            close(fd);
        }
        free(p);
        if (rc) return rc;
    }
    return 0;
}
