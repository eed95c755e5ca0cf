#include "trust/safe_io.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int trust_read_regular(const char *path, size_t max, char **out, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (errno == ELOOP) return brig_fail(BRIG_EXIT_UNSAFE, "%s: is a symbolic link; refusing to follow it in an image layout", path);
        return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open", path);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: not a regular file; refusing it in an image layout", path);
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: %lld bytes, larger than the %zu-byte limit for this kind of file",
                         path, (long long)st.st_size, max);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    int rc = brig_read_fd(fd, path, max, out, len);
    close(fd);
    return rc;
}

int trust_write_atomic(const char *path, const void *data, size_t len, int mode) {
    char *tmp = xasprintf("%s.brig-XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);   /* O_EXCL: never writes through someone else's file */
    if (fd < 0) { int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create a temporary file", path); free(tmp); return rc; }
    const char *p = data;
    size_t left = len;
    int rc = 0;
    if (fchmod(fd, (mode_t)mode) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot set mode", tmp);
    while (!rc && left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: write failed", tmp); break; }
        p += w; left -= (size_t)w;
    }
    if (!rc && fsync(fd) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot flush", tmp);
    if (close(fd) != 0 && !rc) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot close", tmp);
    if (!rc && rename(tmp, path) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot rename into place", path);
    if (rc) unlink(tmp);
    free(tmp);
    return rc;
}
