/* CVE-2019-5736 defence.  A process inside the container can open
 * /proc/<runtime pid>/exe while the runtime is entering the container and
 * overwrite the host binary.  Before touching any container, brig re-executes
 * itself from an anonymous, sealed memfd copy: /proc/PID/exe then names that
 * copy, which the kernel refuses to modify (F_SEAL_WRITE) and which vanishes
 * with the process. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U   /* kernels with vm.memfd_noexec need the explicit request */
#endif
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

bool rt_running_from_sealed_memfd(void) {
    char link[64];
    ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
    if (n <= 0) return false;
    link[n] = 0;
    if (strncmp(link, "/memfd:brig", 11) != 0) return false;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    int seals = fcntl(fd, F_GET_SEALS);
    close(fd);
    return seals >= 0 && (seals & SEALS) == SEALS;
}

int rt_reexec_from_memfd(void) {
    if (rt_running_from_sealed_memfd()) return 0;
    if (getenv("_BRIG_MEMFD_REEXEC"))   /* we already tried once: never loop */
        return brig_fail(BRIG_EXIT_SYSTEM, "re-executing from a sealed memfd did not take effect; refusing to run a container "
                         "from the on-disk binary (CVE-2019-5736)");
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
    char *cmd; size_t len;
    int rc = brig_read_file("/proc/self/cmdline", 1 << 20, &cmd, &len);
    if (rc) { close(mfd); return rc; }
    size_t argc = 0;
    for (size_t i = 0; i < len; i++) if (!cmd[i]) argc++;
    char **argv = xcalloc(argc + 1, sizeof *argv);
    size_t k = 0;
    for (size_t i = 0; i < len && k < argc; i += strlen(cmd + i) + 1) argv[k++] = cmd + i;
    setenv("_BRIG_MEMFD_REEXEC", "1", 1);
    extern char **environ;
    fexecve(mfd, argv, environ);
    rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "executing the sealed memfd copy of brig");
    close(mfd); free(argv); free(cmd);
    return rc;
}
