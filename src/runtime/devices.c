/* /dev inside the container: the default nodes every runtime provides (null,
 * zero, full, random, urandom, tty), linux.devices, and the usual symlinks.
 * In a user namespace mknod is not permitted, so the host node is bind-mounted
 * onto an empty file instead (as runc does). */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const rt_device defaults[] = {
    { 'c', "/dev/null", 1, 3, 0666, true, 0, 0, false, false },
    { 'c', "/dev/zero", 1, 5, 0666, true, 0, 0, false, false },
    { 'c', "/dev/full", 1, 7, 0666, true, 0, 0, false, false },
    { 'c', "/dev/random", 1, 8, 0666, true, 0, 0, false, false },
    { 'c', "/dev/urandom", 1, 9, 0666, true, 0, 0, false, false },
    { 'c', "/dev/tty", 5, 0, 0666, true, 0, 0, false, false },
};

static int make_node(int rootfd, const rt_device *d, bool in_userns) {
    if (strncmp(d->path, "/dev/", 5) != 0 || strstr(d->path, ".."))
        return brig_fail(BRIG_EXIT_INPUT, "linux.devices: %s must be a path under /dev", d->path);
    char *dir = xstrdup(d->path), *base = xstrdup(d->path);
    char *dn = dirname(dir), *bn = basename(base);
    int pfd = rt_open_in_root(rootfd, dn, O_DIRECTORY, true, false);
    int rc = 0;
    if (pfd < 0) { free(dir); free(base); return BRIG_EXIT_SYSTEM; }
    unlinkat(pfd, bn, 0);   /* the image may ship its own (possibly hostile) node */
    if (!in_userns) {
        mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
        mode_t mode = (d->has_mode ? d->mode : 0666) & 07777;
        if (mknodat(pfd, bn, type | mode, makedev(d->major, d->minor)) == 0) {
            if (fchownat(pfd, bn, d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0, AT_SYMLINK_NOFOLLOW) != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: chown", d->path);
            close(pfd); free(dir); free(base);
            return rc;
        }
        /* A devices cgroup that does not allow this node forbids mknod too
         * (runc's fallback): bind the host node, the cgroup still rules access. */
        if (errno != EPERM) {
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: mknod", d->path);
            close(pfd); free(dir); free(base);
            return rc;
        }
    }
    {
        int f = openat(pfd, bn, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0000);
        if (f < 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create the bind target", d->path);
        else {
            close(f);
            int t = openat(pfd, bn, O_PATH | O_NOFOLLOW | O_CLOEXEC);
            char fp[64];
            snprintf(fp, sizeof fp, "/proc/self/fd/%d", t);
            if (t < 0 || mount(d->path, fp, NULL, MS_BIND, NULL) != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot bind the host device into the user namespace", d->path);
            if (t >= 0) close(t);
        }
    }
    close(pfd); free(dir); free(base);
    return rc;
}

int rt_setup_devices(const rt_spec *s, int rootfd, bool in_userns) {
    /* A /dev bind-mounted from the host is used as is. */
    for (size_t i = 0; i < s->n_mounts; i++)
        if (!strcmp(s->mounts[i].dest, "/dev") && s->mounts[i].opts.bind) return 0;
    int rc;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        bool overridden = false;
        for (size_t k = 0; k < s->n_devices; k++) if (!strcmp(s->devices[k].path, defaults[i].path)) overridden = true;
        if (!overridden && (rc = make_node(rootfd, &defaults[i], in_userns))) return rc;
    }
    for (size_t k = 0; k < s->n_devices; k++) if ((rc = make_node(rootfd, &s->devices[k], in_userns))) return rc;
    int dev = rt_open_in_root(rootfd, "/dev", O_DIRECTORY, true, false);
    if (dev < 0) return BRIG_EXIT_SYSTEM;
    static const char *links[][2] = { { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
                                      { "/proc/self/fd/2", "stderr" }, { "pts/ptmx", "ptmx" } };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (!strcmp(links[i][1], "ptmx")) unlinkat(dev, "ptmx", 0);
        if (symlinkat(links[i][0], dev, links[i][1]) != 0 && errno != EEXIST) {
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "/dev/%s: cannot create symlink", links[i][1]);
            close(dev); return rc;
        }
    }
    if (access("/proc/kcore", F_OK) == 0) symlinkat("/proc/kcore", dev, "core");
    if (mkdirat(dev, "shm", 01777) != 0 && errno != EEXIST) brig_debug("/dev/shm: %s", strerror(errno));
    if (mkdirat(dev, "pts", 0755) != 0 && errno != EEXIST) brig_debug("/dev/pts: %s", strerror(errno));
    close(dev);
    return 0;
}
