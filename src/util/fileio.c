#include "util/fileio.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int brig_read_fd(int fd, const char *name, size_t max, char **out, size_t *len) {
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n + 65536 + 1 > cap) buf = xgrow(buf, &cap, n + 65536 + 1, 1);
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR) continue;
            free(buf);
            return brig_fail_errno(BRIG_EXIT_INPUT, "%s: read failed", name);
        }
        if (r == 0) break;
        n += (size_t)r;
        if (n > max) {
            free(buf);
            return brig_fail(BRIG_EXIT_UNSAFE, "%s: larger than the %zu-byte limit for this kind of file", name, max);
        }
    }
    if (!buf) buf = xmalloc(1);
    buf[n] = 0;
    *out = buf;
    if (len) *len = n;
    return 0;
}

int brig_read_file(const char *path, size_t max, char **out, size_t *len) {
    if (strcmp(path, "-") == 0) return brig_read_fd(0, "<stdin>", max, out, len);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open", path);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return brig_fail(BRIG_EXIT_INPUT, "%s: is a directory, expected a file", path);
    }
    int rc = brig_read_fd(fd, path, max, out, len);
    close(fd);
    return rc;
}

int brig_write_all(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        if (w == 0) { errno = EIO; return -1; }
        p += w; len -= (size_t)w;
    }
    return 0;
}

static int write_and_rename(const char *path, const void *data, size_t len, int mode, bool durable) {
    /* mkstemp: an unpredictable name created with O_EXCL, so a symlink planted
     * beside the target cannot redirect the write. */
    char *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) { int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create a temporary file beside it", path); free(tmp); return rc; }
    if (fchmod(fd, (mode_t)mode) != 0) {
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot set mode", tmp);
        close(fd); unlink(tmp); free(tmp); return rc;
    }
    if (brig_write_all(fd, data, len) != 0) {
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: write failed", tmp);
        close(fd); unlink(tmp); free(tmp); return rc;
    }
    if ((durable && fsync(fd) != 0) || close(fd) != 0) {
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot flush", tmp);
        unlink(tmp); free(tmp); return rc;
    }
    if (rename(tmp, path) != 0) {
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot rename into place", path);
        unlink(tmp); free(tmp); return rc;
    }
    free(tmp);
    return 0;
}

int brig_write_file_atomic(const char *path, const void *data, size_t len, int mode) {
    return write_and_rename(path, data, len, mode, true);
}

int brig_write_file_replace(const char *path, const void *data, size_t len, int mode) {
    return write_and_rename(path, data, len, mode, false);
}

int brig_mkdir_p(const char *path, int mode) {
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create directory", p);
            free(p); return rc;
        }
        *s = '/';
    }
    if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create directory", p);
        free(p); return rc;
    }
    free(p);
    return 0;
}

static int rm_one(const char *fpath, const struct stat *sb, int typeflag, struct FTW *ftw) {
    (void)sb; (void)ftw;
    int r = (typeflag == FTW_DP) ? rmdir(fpath) : unlink(fpath);
    if (r != 0 && errno != ENOENT) {
        /* A read-only directory inside (e.g. from an image) blocks unlink; open it up and retry. */
        if (errno == EACCES || errno == EPERM) {
            char *dir = xstrdup(fpath); char *sl = strrchr(dir, '/');
            if (sl) { *sl = 0; chmod(dir, 0700); }
            free(dir);
            r = (typeflag == FTW_DP) ? rmdir(fpath) : unlink(fpath);
        }
    }
    return 0;
}

int brig_rm_rf(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return 0;
    if (!S_ISDIR(st.st_mode)) { unlink(path); return 0; }
    nftw(path, rm_one, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    if (lstat(path, &st) == 0) return brig_fail(BRIG_EXIT_SYSTEM, "%s: could not be removed completely", path);
    return 0;
}

char *brig_cache_dir(void) {
    const char *x = getenv("XDG_CACHE_HOME");
    char *d;
    if (x && *x) d = xasprintf("%s/brig", x);
    else {
        const char *h = getenv("HOME");
        d = xasprintf("%s/.cache/brig", (h && *h) ? h : "/root");
    }
    brig_mkdir_p(d, 0700);
    return d;
}

const char *brig_scratch_dir(void) {
    const char *d = getenv("TMPDIR");
    return d && *d ? d : "/var/tmp";
}

int brig_scratch_file(void) {
    return open(brig_scratch_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}
