/* The hardened default config.json (`brig spec`, and the base of `brig run
 * IMAGE`): no capabilities, no_new_privs, Docker's seccomp allowlist,
 * read-only root, masked /proc and /sys paths, private namespaces, a
 * nofile limit, and optionally a user namespace (root in the container is
 * an unprivileged id range on the host). */
#include "runtime/rt.h"

/* Same lists as runc/Docker/containerd. */
static const char *const masked[] = {
    "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    "/sys/devices/virtual/powercap", NULL };
static const char *const readonly[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL };

#define USERNS_HOST_BASE 100000
#define USERNS_SIZE 65536

static json_t *strv(const char *const *v) {
    json_t *a = json_array();
    for (; *v; v++) json_array_append_new(a, json_string(*v));
    return a;
}

static json_t *mnt(const char *dest, const char *type, const char *src, const char *const *opts) {
    return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type, "source", src, "options", strv(opts));
}

json_t *rt_default_spec(bool userns, bool terminal) {
    json_t *caps = json_object();
    static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient", NULL };
    for (int i = 0; sets[i]; i++) json_object_set_new(caps, sets[i], json_array());
    json_t *process = json_pack("{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s, s:o, s:[{s:s, s:i, s:i}], s:b}",
        "terminal", terminal, "user", "uid", 0, "gid", 0, "args", "sh",
        "env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
        "cwd", "/", "capabilities", caps,
        "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
        "noNewPrivileges", 1);
    static const char *const o_proc[] = { "nosuid", "noexec", "nodev", NULL };
    static const char *const o_dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
    static const char *const o_pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL };
    static const char *const o_pts_root[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL };
    static const char *const o_shm[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL };
    static const char *const o_mq[] = { "nosuid", "noexec", "nodev", NULL };
    static const char *const o_sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };
    static const char *const o_cg[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };
    json_t *mounts = json_array();
    json_array_append_new(mounts, mnt("/proc", "proc", "proc", o_proc));
    json_array_append_new(mounts, mnt("/dev", "tmpfs", "tmpfs", o_dev));
    json_array_append_new(mounts, mnt("/dev/pts", "devpts", "devpts", userns ? o_pts : o_pts_root));
    json_array_append_new(mounts, mnt("/dev/shm", "tmpfs", "shm", o_shm));
    json_array_append_new(mounts, mnt("/dev/mqueue", "mqueue", "mqueue", o_mq));
    json_array_append_new(mounts, mnt("/sys", "sysfs", "sysfs", o_sys));
    json_array_append_new(mounts, mnt("/sys/fs/cgroup", "cgroup", "cgroup", o_cg));
    json_t *ns = json_pack("[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}, {s:s}]", "type", "pid", "type", "network", "type", "ipc",
                           "type", "uts", "type", "mount", "type", "cgroup");
    json_t *linux_ = json_pack("{s:o, s:o, s:o, s:o}", "namespaces", ns, "maskedPaths", strv(masked),
                               "readonlyPaths", strv(readonly), "seccomp", rt_seccomp_default_profile());
    if (userns) {
        json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
        json_object_set_new(linux_, "uidMappings", json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID", USERNS_HOST_BASE, "size", USERNS_SIZE));
        json_object_set_new(linux_, "gidMappings", json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID", USERNS_HOST_BASE, "size", USERNS_SIZE));
    }
    return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", "1.1.0", "process", process,
                     "root", "path", "rootfs", "readonly", 1, "hostname", "brig", "mounts", mounts, "linux", linux_);
}
