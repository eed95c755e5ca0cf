/* CVE-2019-5736 defence.  A process inside the container can open
 * /proc/<runtime pid>/exe while the runtime is entering the container and
 * overwrite the host binary.  Before touching any container, brig makes sure
 * /proc/self/exe names something nobody can write:
 *  - a binary on a read-only mount is already safe (no re-exec at all);
 *  - otherwise brig re-executes itself through a detached, read-only clone of
 *    the mount holding the binary (open_tree + mount_setattr: no copy, no mount
 *    point, nothing visible to the host), which crun does with a temporary
 *    mount point;
 *  - where that is not allowed (no CAP_SYS_ADMIN over the mount namespace,
 *    old kernel) from an anonymous, sealed memfd copy (F_SEAL_WRITE), which
 *    costs a copy of the binary per call. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U   /* kernels with vm.memfd_noexec need the explicit request */
#endif
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static bool exe_is_sealed_memfd(int fd) {
    char link[64];
    ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
    if (n <= 0) return false;
    link[n] = 0;
    if (strncmp(link, "/memfd:brig", 11) != 0) return false;
    int seals = fcntl(fd, F_GET_SEALS);
    return seals >= 0 && (seals & SEALS) == SEALS;
}

bool rt_exe_is_protected(void) {
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct statvfs vfs;
    bool ok = (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) || exe_is_sealed_memfd(fd);
    close(fd);
    return ok;
}

/* An O_PATH descriptor of the binary on a private read-only clone of its
 * mount, or -1 where the kernel or our privileges do not allow it. */
static int readonly_clone_fd(void) {
    if (getenv("_BRIG_REEXEC_MEMFD")) return -1;   /* tests force the fallback */
    int fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (fd < 0) return -1;
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV };
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) { close(fd); return -1; }
    return fd;
}

static int sealed_memfd_copy(int *out) {
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (src < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "/proc/self/exe: cannot open (is /proc mounted?)");
    struct stat st;
    if (fstat(src, &st) != 0) { close(src); return brig_fail_errno(BRIG_EXIT_SYSTEM, "/proc/self/exe: stat"); }
    int mfd = memfd_create("brig", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (mfd < 0 && errno == EINVAL) mfd = memfd_create("brig", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0) { close(src); return brig_fail_errno(BRIG_EXIT_SYSTEM, "memfd_create"); }
    off_t left = st.st_size;
    while (left > 0) {
        ssize_t w = sendfile(mfd, src, NULL, (size_t)left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { close(src); close(mfd); return brig_fail_errno(BRIG_EXIT_SYSTEM, "copying /proc/self/exe into a memfd"); }
        left -= w;
    }
    close(src);
    if (fcntl(mfd, F_ADD_SEALS, SEALS) != 0) { close(mfd); return brig_fail_errno(BRIG_EXIT_SYSTEM, "sealing the memfd copy of brig"); }
    *out = mfd;
    return 0;
}

int rt_reexec_protected(void) {
    if (rt_exe_is_protected()) return 0;
    if (getenv("_BRIG_REEXEC"))   /* we already tried once: never loop */
        return brig_fail(BRIG_EXIT_SYSTEM, "re-executing from a read-only mount or sealed memfd did not take effect; refusing "
                         "to run a container from the writable on-disk binary (CVE-2019-5736)");
    int rc, mfd = readonly_clone_fd();
    if (mfd < 0 && (rc = sealed_memfd_copy(&mfd))) return rc;
    char *cmd; size_t len;
    rc = brig_read_file("/proc/self/cmdline", 1 << 20, &cmd, &len);
    if (rc) { close(mfd); return rc; }
    size_t argc = 0;
    for (size_t i = 0; i < len; i++) if (!cmd[i]) argc++;
    char **argv = xcalloc(argc + 1, sizeof *argv);
    size_t k = 0;
    for (size_t i = 0; i < len && k < argc; i += strlen(cmd + i) + 1) argv[k++] = cmd + i;
    setenv("_BRIG_REEXEC", "1", 1);
    extern char **environ;
    syscall(SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
    rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "executing the protected copy of brig");
    close(mfd); free(argv); free(cmd);
    return rc;
}
