/* Standard descriptors that are always open (see stdfd.h). */
#include "util/stdfd.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

void brig_stdfds_ensure_open(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        /* open() returns the lowest free number, which is this fd: the ones below are open. */
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n != fd) {
            /* No /dev/null (a bare chroot): better to stop than to write reports into files. */
            if (n >= 0) close(n);
            _exit(125);
        }
    }
}
