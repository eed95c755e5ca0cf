/* CVE-2024-21626 defence: no descriptor of the runtime may survive into the
 * container.  Everything above `keep_upto` (stdio + preserved fds) is marked
 * close-on-exec, so it stays usable until the final execve and then vanishes. */
#include "runtime/rt.h"
#include "util/err.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/close_range.h>

int rt_close_fds_except(int keep_upto) {
    if (close_range((unsigned)keep_upto + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
    /* Older kernels: walk /proc/self/fd. */
    DIR *d = opendir("/proc/self/fd");
    if (!d) return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot list open descriptors to close them");
    struct dirent *e;
    while ((e = readdir(d))) {
        int fd = atoi(e->d_name);
        if (fd > keep_upto && fd != dirfd(d)) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    closedir(d);
    return 0;
}
