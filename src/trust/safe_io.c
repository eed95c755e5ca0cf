#include "trust/safe_io.h"
#include "util/err.h"
#include "util/fileio.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
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
