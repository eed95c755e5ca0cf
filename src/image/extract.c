/* Safe extraction: layers bottom to top into dest, every path resolved with
 * openat2(RESOLVE_IN_ROOT) so that "..", absolute names, symlinks and
 * hardlinks can never reach outside dest; final components are handled with
 * *at() calls on the resolved parent and O_NOFOLLOW/O_EXCL.  Directory modes
 * are applied at the end so a read-only directory cannot block its own
 * children.  On any error the partial tree is removed. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

typedef struct { uint32_t mode, uid, gid; int64_t mtime; } dir_meta;

typedef struct {
    brig_image *img;
    const brig_extract_opts *o;
    brig_extract_stats st;
    int rootfd;
    size_t layer;
    strmap layer_paths;        /* paths created by the layer being applied */
    strmap linked;             /* hardlink targets named by the layer being applied */
    strmap dirs;               /* path -> dir_meta, applied at the end */
    bool chown_ok;
    char *buf;
    char xattr_err[512];       /* the first extended attribute the filesystem refused */
} xctx;

#define XBUF (1 << 17)

/* Resolve path inside root.  Symlinks are refused too (ELOOP): layers that
 * put entries beneath a symlink are attacks or malformed, and `brig inspect`
 * refuses the same images, so what is scanned is what is extracted. */
static int in_root(int rootfd, const char *path, int flags) {
    struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS };
    if (!*path) path = ".";
    for (int i = 0; i < 8; i++) {
        int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
        if (fd >= 0 || errno != EAGAIN) return fd;
    }
    return -1;
}

static int xfail(xctx *x, int code, const char *path, const char *what) {
    return brig_fail(code, "layer %zu of %s: entry '/%.300s': %s", x->layer, x->img->ref, path, what);
}
static int xfail_errno(xctx *x, int code, const char *path, const char *what) {
    return brig_fail_errno(code, "layer %zu of %s: entry '/%.300s': %s", x->layer, x->img->ref, path, what);
}

/* Resolve (and create, if asked) the parent directory of path inside root. */
static int open_parent(xctx *x, const char *path, bool create, int *out, const char **base) {
    const char *sl = strrchr(path, '/');
    *base = sl ? sl + 1 : path;
    char *parent = sl ? xstrndup(path, (size_t)(sl - path)) : xstrdup("");
    int fd = in_root(x->rootfd, parent, O_PATH | O_DIRECTORY);
    if (fd >= 0 || !create || errno != ENOENT) {
        int e = errno;
        free(parent);
        if (fd < 0 && e == ELOOP) return xfail(x, BRIG_EXIT_UNSAFE, path, "a parent directory is a symlink; refusing to write through it");
        if (fd < 0) { errno = e; return xfail_errno(x, e == ENOTDIR ? BRIG_EXIT_INPUT : BRIG_EXIT_UNSAFE, path, "cannot resolve its parent directory inside the destination"); }
        *out = fd;
        return 0;
    }
    /* Create missing components one at a time, each in an in-root-resolved parent. */
    int pfd = dup(x->rootfd);
    for (char *p = parent; ; ) {
        char *slash = strchr(p, '/');
        if (slash) *slash = 0;
        int cfd = in_root(x->rootfd, parent, O_PATH | O_DIRECTORY);
        if (cfd < 0 && errno == ENOENT) {
            const char *comp = strrchr(parent, '/') ? strrchr(parent, '/') + 1 : parent;
            if (mkdirat(pfd, comp, 0755) != 0 && errno != EEXIST) {
                int rc = xfail_errno(x, BRIG_EXIT_SYSTEM, path, "cannot create a parent directory");
                close(pfd); free(parent); return rc;
            }
            cfd = in_root(x->rootfd, parent, O_PATH | O_DIRECTORY);
            if (cfd < 0) {
                int rc = xfail(x, BRIG_EXIT_UNSAFE, path, "a parent is a dangling symlink or not a directory; refusing to create through it");
                close(pfd); free(parent); return rc;
            }
        } else if (cfd < 0 && errno == ELOOP) {
            int rc = xfail(x, BRIG_EXIT_UNSAFE, path, "a parent directory is a symlink; refusing to write through it");
            close(pfd); free(parent); return rc;
        } else if (cfd < 0) {
            int rc = xfail_errno(x, errno == ENOTDIR ? BRIG_EXIT_INPUT : BRIG_EXIT_UNSAFE, path, "a parent is not a directory");
            close(pfd); free(parent); return rc;
        }
        close(pfd);
        pfd = cfd;
        if (!slash) break;
        *slash = '/';
        p = slash + 1;
    }
    free(parent);
    *out = pfd;
    return 0;
}

/* rm -rf of dfd/name without following symlinks. */
static int remove_at(int dfd, const char *name, int depth) {
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) return unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
    if (depth > 4096) { errno = ELOOP; return -1; }
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    DIR *d = fdopendir(fd);
    if (!d) { close(fd); return -1; }
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (remove_at(dirfd(d), de->d_name, depth + 1) != 0) rc = -1;
    }
    closedir(d);
    if (rc) return rc;
    return unlinkat(dfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -1;
}

/* Opaque directory: remove what lower layers put in it, keep this layer's entries. */
static int clear_lower(xctx *x, int dfd, const char *prefix, int depth) {
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    DIR *d = fdopendir(fd);
    if (!d) { close(fd); return -1; }
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) && !rc) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *child = *prefix ? xasprintf("%s/%s", prefix, de->d_name) : xstrdup(de->d_name);
        if (!strmap_get(&x->layer_paths, child)) rc = remove_at(dirfd(d), de->d_name, depth);
        else {
            struct stat st;
            if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
                int cfd = openat(dirfd(d), de->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (cfd >= 0) { rc = clear_lower(x, cfd, child, depth + 1); close(cfd); }
            }
        }
        free(child);
    }
    closedir(d);
    return rc;
}

static void set_owner_at(xctx *x, int dfd, const char *name, const layer_entry *e) {
    if (!x->chown_ok) return;
    /* best effort: a failed chown under a restrictive host policy leaves root ownership */
    if (fchownat(dfd, name, (uid_t)(e->uid + x->o->uid_shift), (gid_t)(e->gid + x->o->gid_shift), AT_SYMLINK_NOFOLLOW) != 0)
        brig_debug("chown %s: %s", e->path, strerror(errno));
}

/* Which extended attributes of an entry to restore (see image.h). */
static bool xattr_allowed(xctx *x, const char *name) {
    if (!strncmp(name, "user.", 5)) return strncmp(name, "user.overlay.", 13) != 0;
    if (!strncmp(name, "trusted.", 8)) return x->chown_ok && strncmp(name, "trusted.overlay.", 16) != 0;
    return false;
}

/* Best effort, like containerd: a filesystem without user xattrs (or a
 * policy refusing one) must not stop the extraction; counted and warned
 * about once at the end. */
static void set_xattrs(xctx *x, int fd, const layer_entry *e) {
    for (size_t i = 0; i < e->n_xattrs; i++) {
        if (!xattr_allowed(x, e->xattr_name[i])) continue;
        if (fsetxattr(fd, e->xattr_name[i], e->xattr_value[i], e->xattr_len[i], 0) == 0) { x->st.xattrs++; continue; }
        if (!x->st.xattrs_failed++)
            snprintf(x->xattr_err, sizeof x->xattr_err, "%s on /%s: %s", e->xattr_name[i], e->path, strerror(errno));
    }
}

static uint32_t file_mode(xctx *x, uint32_t mode) {
    return x->o->keep_owner ? (mode & 07777) : (mode & 01777);   /* setuid/setgid only with their owner */
}

static int write_file(xctx *x, layer_iter *it, int pfd, const char *name, const layer_entry *e) {
    int fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot create");
    uint64_t got = 0;
    int rc = 0;
    for (;;) {
        ssize_t n = layer_iter_read(it, x->buf, XBUF);
        if (n < 0) { rc = layer_iter_read_rc(it); break; }
        if (n == 0) break;
        got += (uint64_t)n;
        if (got > e->size) { rc = xfail(x, BRIG_EXIT_UNSAFE, e->path, "more data than its header declares"); break; }
        if (brig_write_all(fd, x->buf, (size_t)n) != 0) { rc = xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "write failed"); break; }
    }
    if (!rc) {
        if (x->chown_ok && fchown(fd, (uid_t)(e->uid + x->o->uid_shift), (gid_t)(e->gid + x->o->gid_shift)) != 0)
            brig_debug("chown %s: %s", e->path, strerror(errno));
        set_xattrs(x, fd, e);   /* before the mode: a read-only mode would refuse user.* */
        fchmod(fd, (mode_t)file_mode(x, e->mode));
        /* File capabilities (e.g. ping's cap_net_raw) go with ownership: set
         * after chown, which clears them. */
        if (x->chown_ok && e->fcaps && fsetxattr(fd, "security.capability", e->fcaps, e->fcaps_len, 0) != 0)
            brig_debug("%s: cannot set file capabilities: %s", e->path, strerror(errno));
        struct timespec ts[2] = { { e->mtime, 0 }, { e->mtime, 0 } };
        futimens(fd, ts);
    }
    close(fd);
    x->st.files++; x->st.bytes += got;
    return rc;
}

static int apply_entry(xctx *x, layer_iter *it, const layer_entry *e) {
    if (e->whiteout == LAYER_OPAQUE) {
        int dfd = in_root(x->rootfd, e->path, O_PATH | O_DIRECTORY);
        if (dfd < 0 && errno == ELOOP) return xfail(x, BRIG_EXIT_UNSAFE, e->path, "opaque marker through a symlink; refusing to delete through it");
        if (dfd < 0) return 0;   /* nothing below to hide */
        int rc = clear_lower(x, dfd, e->path, 0);
        close(dfd);
        x->st.whiteouts++;
        return rc ? xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot clear the opaque directory") : 0;
    }
    if (e->whiteout == LAYER_WHITEOUT) {
        x->st.whiteouts++;
        if (strmap_get(&x->layer_paths, e->path)) return 0;   /* whiteouts only hide lower layers */
        const char *sl = strrchr(e->path, '/');
        const char *base = sl ? sl + 1 : e->path;
        char *parent = sl ? xstrndup(e->path, (size_t)(sl - e->path)) : xstrdup("");
        int pfd = in_root(x->rootfd, parent, O_PATH | O_DIRECTORY);
        int err = errno;
        free(parent);
        if (pfd < 0 && err == ELOOP) return xfail(x, BRIG_EXIT_UNSAFE, e->path, "whiteout through a symlink; refusing to delete through it");
        if (pfd < 0) return 0;   /* nothing below to delete */
        int r = remove_at(pfd, base, 0);
        close(pfd);
        return r ? xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot apply whiteout") : 0;
    }
    /* The walk's rules (checked for skipped device nodes too, as the walk
     * sees them): a non-directory named again in its layer replaces the
     * earlier entry (tar semantics: removed below, then created anew); a
     * directory and a non-directory at one path of one layer are refused, and
     * so is a path written again after a hardlink of its layer named it (the
     * link would keep the earlier content the merged view no longer has). */
    const char *seen = strmap_get(&x->layer_paths, e->path);
    if (seen && ((*seen == 'f' && e->type == BRIG_FT_DIR) || (*seen == 'd' && e->type != BRIG_FT_DIR)))
        return xfail(x, BRIG_EXIT_UNSAFE, e->path, "appears twice in one layer, once as a directory; refusing the ambiguous layer");
    if (strmap_get(&x->linked, e->path))
        return xfail(x, BRIG_EXIT_UNSAFE, e->path, "written again after a hardlink of the same layer named it; refusing the ambiguous layer");
    if (e->type == BRIG_FT_CHR || e->type == BRIG_FT_BLK) { x->st.skipped_devices++; return 0; }
    if (e->type == BRIG_FT_SOCK) { x->st.skipped_sockets++; return 0; }
    int pfd; const char *name;
    int rc = open_parent(x, e->path, true, &pfd, &name);
    if (rc) return rc;
    *(char *)strmap_put(&x->layer_paths, e->path, NULL) = e->type == BRIG_FT_DIR ? 'd' : 'f';
    struct stat st;
    bool exists = fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (e->type == BRIG_FT_DIR) {
        if (exists && !S_ISDIR(st.st_mode) && unlinkat(pfd, name, 0) != 0) rc = xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot replace");
        else if ((!exists || !S_ISDIR(st.st_mode)) && mkdirat(pfd, name, 0700) != 0) rc = xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot create directory");
        if (!rc && e->n_xattrs) {   /* still 0700 and ours: the mode comes at the end */
            int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (dfd >= 0) { set_xattrs(x, dfd, e); close(dfd); }
        }
        if (!rc) {
            dir_meta *m = strmap_put(&x->dirs, e->path, NULL);
            *m = (dir_meta){ e->mode, e->uid, e->gid, e->mtime };
            x->st.dirs++;
        }
        close(pfd);
        return rc;
    }
    if (exists && remove_at(pfd, name, 0) != 0) { close(pfd); return xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot replace"); }
    struct timespec ts[2] = { { e->mtime, 0 }, { e->mtime, 0 } };
    switch (e->type) {
    case BRIG_FT_REG:
        rc = write_file(x, it, pfd, name, e);
        break;
    case BRIG_FT_SYMLINK:
        if (symlinkat(e->linkname, pfd, name) != 0) { rc = xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot create symlink"); break; }
        set_owner_at(x, pfd, name, e);
        utimensat(pfd, name, ts, AT_SYMLINK_NOFOLLOW);
        x->st.symlinks++;
        break;
    case BRIG_FT_HARDLINK: {
        int tfd; const char *tname;
        if ((rc = open_parent(x, e->linkname, false, &tfd, &tname))) {
            rc = xfail(x, BRIG_EXIT_UNSAFE, e->path, "hardlink target does not resolve inside the destination; refused");
            break;
        }
        struct stat ts2;
        if (fstatat(tfd, tname, &ts2, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(ts2.st_mode)) {
            close(tfd);
            rc = brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '/%.300s': hardlink target '/%.300s' is not a regular file inside the image; refused",
                           x->layer, x->img->ref, e->path, e->linkname);
            break;
        }
        if (linkat(tfd, tname, pfd, name, 0) != 0) rc = xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot create hardlink");
        close(tfd);
        strmap_put(&x->linked, e->linkname, NULL);
        x->st.hardlinks++;
        break;
    }
    case BRIG_FT_FIFO:
        if (mkfifoat(pfd, name, 0600) != 0) { rc = xfail_errno(x, BRIG_EXIT_SYSTEM, e->path, "cannot create fifo"); break; }
        set_owner_at(x, pfd, name, e);
        fchmodat(pfd, name, (mode_t)file_mode(x, e->mode), 0);
        utimensat(pfd, name, ts, AT_SYMLINK_NOFOLLOW);
        x->st.fifos++;
        break;
    default:
        break;
    }
    close(pfd);
    return rc;
}

/* Directory metadata last: modes like 0555 must not block creating children. */
static void finish_dirs(xctx *x) {
    for (size_t i = 0; i < x->dirs.n; i++) {
        const char *path = strmap_key(&x->dirs, i);
        dir_meta *m = strmap_val(&x->dirs, i);
        int pfd; const char *name;
        if (open_parent(x, path, false, &pfd, &name) != 0) { brig_err_clear(); continue; }
        int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(pfd);
        if (fd < 0) continue;   /* deleted by a later layer */
        if (x->chown_ok && fchown(fd, (uid_t)(m->uid + x->o->uid_shift), (gid_t)(m->gid + x->o->gid_shift)) != 0)
            brig_debug("chown %s: %s", path, strerror(errno));
        fchmod(fd, (mode_t)file_mode(x, m->mode));
        struct timespec ts[2] = { { m->mtime, 0 }, { m->mtime, 0 } };
        futimens(fd, ts);
        close(fd);
    }
}

static bool dir_empty(const char *path) {
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *de;
    bool empty = true;
    while ((de = readdir(d))) if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) { empty = false; break; }
    closedir(d);
    return empty;
}

static void merge_limits(brig_limits *dst, const brig_limits *src) {
    if (src->max_total_bytes) dst->max_total_bytes = src->max_total_bytes;
    if (src->max_file_bytes) dst->max_file_bytes = src->max_file_bytes;
    if (src->max_entries) dst->max_entries = src->max_entries;
    if (src->max_path_len) dst->max_path_len = src->max_path_len;
    if (src->max_depth) dst->max_depth = src->max_depth;
}

int brig_image_extract(brig_image *img, const char *dest, const brig_extract_opts *opts) {
    brig_extract_opts defaults = {0};
    if (!opts) opts = &defaults;
    struct stat st;
    bool created = false;
    if (lstat(dest, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) return brig_fail(BRIG_EXIT_USAGE, "%s: exists and is not a directory", dest);
        if (!dir_empty(dest)) return brig_fail(BRIG_EXIT_USAGE, "%s: not empty; extract into a new or empty directory", dest);
    } else {
        if (mkdir(dest, 0755) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create", dest);
        created = true;
    }
    xctx x = { .img = img, .o = opts };
    x.rootfd = open(dest, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (x.rootfd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot open", dest);
    x.chown_ok = opts->keep_owner && geteuid() == 0;
    x.buf = xmalloc(XBUF);
    strmap_init(&x.dirs, sizeof(dir_meta));
    brig_limits saved = img->impl->lim;
    merge_limits(&img->impl->lim, &opts->lim);
    layer_counters cnt = {0};
    int rc = 0;
    for (size_t li = 0; li < img->n_layers && !rc; li++) {
        x.layer = li;
        strmap_init(&x.layer_paths, 1);
        strmap_init(&x.linked, 1);
        layer_iter *it;
        if ((rc = layer_iter_open(img, li, &cnt, &it)) == 0) {
            for (;;) {
                const layer_entry *e;
                if ((rc = layer_iter_next(it, &e)) || !e) break;
                if ((rc = apply_entry(&x, it, e))) break;
            }
            layer_iter_close(it);
        }
        strmap_free(&x.layer_paths);
        strmap_free(&x.linked);
    }
    img->impl->lim = saved;
    if (!rc) finish_dirs(&x);
    strmap_free(&x.dirs);
    free(x.buf);
    close(x.rootfd);
    if (rc) {
        /* Never leave a half-built root filesystem behind. */
        char msg[4096];
        snprintf(msg, sizeof msg, "%s", brig_errmsg());
        if (created) brig_rm_rf(dest);
        else {
            DIR *d = opendir(dest);
            if (d) {
                struct dirent *de;
                while ((de = readdir(d))) if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) remove_at(dirfd(d), de->d_name, 0);
                closedir(d);
            }
        }
        return brig_fail(rc, "%s", msg);
    }
    if (x.st.skipped_devices)
        brig_warn("%s: skipped %llu device node(s); containers get their devices from the runtime", img->ref, (unsigned long long)x.st.skipped_devices);
    if (x.st.xattrs_failed)
        brig_warn("%s: %llu extended attribute(s) could not be restored in %s (first: %s)", img->ref,
                  (unsigned long long)x.st.xattrs_failed, dest, x.xattr_err);
    if (opts->stats) *opts->stats = x.st;
    return 0;
}
