/* `brig audit host`: kernel isolation features and CIS section 3 ownership /
 * permission items for Docker's files.  Every check ends as pass, fail or not
 * applicable (file absent / feature not configured) — absence is never a pass. */
#include "audit/audit.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

typedef struct {
    audit_ctx *c;
    const char *root;
    host_result *v; size_t n, cap;
} hostrun;

static host_result *add(hostrun *h, const char *id, host_status st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static host_result *add(hostrun *h, const char *id, host_status st, const char *fmt, ...) {
    h->v = xgrow(h->v, &h->cap, h->n + 1, sizeof *h->v);
    host_result *r = &h->v[h->n++];
    r->id = id; r->st = st;
    va_list ap; va_start(ap, fmt); vsnprintf(r->detail, sizeof r->detail, fmt, ap); va_end(ap);
    return r;
}

static char *rpath(hostrun *h, const char *p) { return xasprintf("%s%s", h->root, p); }

/* Reads a small text file under root; NULL if absent. */
static char *slurp(hostrun *h, const char *p) {
    char *path = rpath(h, p), *buf = NULL; size_t len;
    if (access(path, R_OK) != 0 || brig_read_file(path, 1 << 20, &buf, &len) != 0) buf = NULL;
    brig_err_clear();
    free(path);
    return buf;
}

static void fail_finding(hostrun *h, const char *id, const char *file, const char *msg) {
    const char *saved = h->c->file;
    h->c->file = file;
    audit_emit(h->c, id, 0, 0, "%s", msg);
    h->c->file = saved;
}

static void check_userns(hostrun *h) {
    char *max = slurp(h, "/proc/sys/user/max_user_namespaces");
    char *unpriv = slurp(h, "/proc/sys/kernel/unprivileged_userns_clone");
    if (!max) { add(h, "BRIG-AUD-030", HOST_FAIL, "kernel has no user namespace support (/proc/sys/user/max_user_namespaces absent)");
        fail_finding(h, "BRIG-AUD-030", "/proc/sys/user/max_user_namespaces", "user namespaces are not supported by this kernel"); }
    else {
        long m = strtol(max, NULL, 10);
        char note[96] = "";
        if (unpriv) snprintf(note, sizeof note, "; kernel.unprivileged_userns_clone=%ld%s", strtol(unpriv, NULL, 10),
                             strtol(unpriv, NULL, 10) == 0 ? " (rootless containers disabled)" : "");
        if (m > 0) add(h, "BRIG-AUD-030", HOST_PASS, "user.max_user_namespaces=%ld%s", m, note);
        else { add(h, "BRIG-AUD-030", HOST_FAIL, "user.max_user_namespaces=0%s", note);
            fail_finding(h, "BRIG-AUD-030", "/proc/sys/user/max_user_namespaces", "user.max_user_namespaces is 0: user namespaces are disabled"); }
    }
    free(max); free(unpriv);
}

static void check_seccomp(hostrun *h) {
    char *st = slurp(h, "/proc/self/status");
    bool field = st && strstr(st, "\nSeccomp:");
    char *actions = slurp(h, "/proc/sys/kernel/seccomp/actions_avail");
    struct utsname u; char cfgpath[400] = "";
    if (uname(&u) == 0) snprintf(cfgpath, sizeof cfgpath, "/boot/config-%s", u.release);
    char *cfg = cfgpath[0] ? slurp(h, cfgpath) : NULL;
    bool cfg_filter = cfg && strstr(cfg, "\nCONFIG_SECCOMP_FILTER=y");
    if (field && (actions || cfg_filter))
        add(h, "BRIG-AUD-031", HOST_PASS, "seccomp filtering available (%s%s%s)", "/proc/self/status Seccomp field",
            actions ? ", actions_avail" : "", cfg_filter ? ", CONFIG_SECCOMP_FILTER=y" : "");
    else {
        add(h, "BRIG-AUD-031", HOST_FAIL, "%s", field ? "seccomp mode present but no filter support found" : "no Seccomp field in /proc/self/status");
        fail_finding(h, "BRIG-AUD-031", "/proc/self/status", "the kernel does not offer seccomp filtering");
    }
    free(st); free(actions); free(cfg);
}

static void check_lsm(hostrun *h) {
    char *aa = slurp(h, "/sys/module/apparmor/parameters/enabled");
    bool apparmor = aa && aa[0] == 'Y';
    char *sepath = rpath(h, "/sys/fs/selinux/enforce");
    bool selinux = access(sepath, F_OK) == 0;
    free(sepath);
    if (apparmor || selinux) add(h, "BRIG-AUD-032", HOST_PASS, "%s%s%s enabled", apparmor ? "AppArmor" : "", apparmor && selinux ? " and " : "", selinux ? "SELinux" : "");
    else {
        add(h, "BRIG-AUD-032", HOST_FAIL, "neither AppArmor (/sys/module/apparmor/parameters/enabled) nor SELinux (/sys/fs/selinux) is enabled");
        fail_finding(h, "BRIG-AUD-032", "/sys/module/apparmor/parameters/enabled", "no Linux security module is enabled");
    }
    free(aa);
}

static void check_cgroup(hostrun *h) {
    char *v2 = rpath(h, "/sys/fs/cgroup/cgroup.controllers"), *uni = rpath(h, "/sys/fs/cgroup/unified/cgroup.controllers");
    if (access(v2, F_OK) == 0) add(h, "BRIG-AUD-033", HOST_PASS, "unified cgroup v2 hierarchy at /sys/fs/cgroup");
    else {
        bool hybrid = access(uni, F_OK) == 0;
        add(h, "BRIG-AUD-033", HOST_FAIL, "%s", hybrid ? "hybrid hierarchy: cgroup v1 controllers, v2 only at /sys/fs/cgroup/unified" : "legacy cgroup v1 hierarchy");
        fail_finding(h, "BRIG-AUD-033", "/sys/fs/cgroup", hybrid ? "cgroup hybrid mode (v1 controllers)" : "cgroup v1 only");
    }
    free(v2); free(uni);
}

/* Ownership and mode of one file: owner rule and permission rule. */
static void check_file(hostrun *h, const char *const *paths, const char *own_id, const char *mode_id, mode_t max_mode, bool docker_group) {
    struct stat st;
    const char *found = NULL;
    for (int i = 0; paths[i] && !found; i++) {
        char *p = rpath(h, paths[i]);
        if (lstat(p, &st) == 0) found = paths[i];
        free(p);
    }
    if (!found) {
        add(h, own_id, HOST_NA, "%s: not present", paths[0]);
        add(h, mode_id, HOST_NA, "%s: not present", paths[0]);
        return;
    }
    bool gid_ok = st.st_gid == 0;
    if (docker_group && !gid_ok) { struct group *g = getgrgid(st.st_gid); gid_ok = g && !strcmp(g->gr_name, "docker"); }
    if (st.st_uid == 0 && gid_ok) add(h, own_id, HOST_PASS, "%s owned by %u:%u", found, (unsigned)st.st_uid, (unsigned)st.st_gid);
    else {
        char msg[300];
        snprintf(msg, sizeof msg, "%s is owned by %u:%u (want root:%s)", found, (unsigned)st.st_uid, (unsigned)st.st_gid, docker_group ? "docker" : "root");
        add(h, own_id, HOST_FAIL, "%s", msg);
        fail_finding(h, own_id, found, msg);
    }
    mode_t m = st.st_mode & 07777;
    if ((m & ~max_mode) == 0) add(h, mode_id, HOST_PASS, "%s mode %04o", found, (unsigned)m);
    else {
        char msg[300];
        snprintf(msg, sizeof msg, "%s has mode %04o (want %04o or stricter)", found, (unsigned)m, (unsigned)max_mode);
        add(h, mode_id, HOST_FAIL, "%s", msg);
        fail_finding(h, mode_id, found, msg);
    }
}

static void check_tls(hostrun *h) {
    /* The TLS files are the ones daemon.json names; without them the items do not apply. */
    char *dj = rpath(h, "/etc/docker/daemon.json");
    json_t *j = NULL;
    if (access(dj, R_OK) == 0 && brig_json_load_file(dj, YDOC_MAX_BYTES, &j) != 0) j = NULL;
    brig_err_clear();
    free(dj);
    static const char *const keys[][3] = { { "tlscacert", "CIS-3.9", "CIS-3.10" }, { "tlscert", "CIS-3.11", "CIS-3.12" }, { "tlskey", "CIS-3.13", "CIS-3.14" } };
    static const mode_t modes[] = { 0444, 0444, 0400 };
    for (int i = 0; i < 3; i++) {
        const char *p = j ? brig_json_str(j, keys[i][0]) : NULL;
        if (!p) { add(h, keys[i][1], HOST_NA, "no %s configured in /etc/docker/daemon.json", keys[i][0]); add(h, keys[i][2], HOST_NA, "no %s configured", keys[i][0]); continue; }
        const char *paths[] = { p, NULL };
        check_file(h, paths, keys[i][1], keys[i][2], modes[i], false);
    }
    json_decref(j);
}

int audit_host(audit_ctx *c, const char *root, host_result **res, size_t *n) {
    hostrun h = { .c = c, .root = root ? root : "" };
    check_userns(&h);
    check_seccomp(&h);
    check_lsm(&h);
    check_cgroup(&h);
    static const char *const svc[] = { "/lib/systemd/system/docker.service", "/usr/lib/systemd/system/docker.service", "/etc/systemd/system/docker.service", NULL };
    static const char *const sock_unit[] = { "/lib/systemd/system/docker.socket", "/usr/lib/systemd/system/docker.socket", "/etc/systemd/system/docker.socket", NULL };
    static const char *const etc_docker[] = { "/etc/docker", NULL };
    static const char *const dsock[] = { "/var/run/docker.sock", "/run/docker.sock", NULL };
    static const char *const djson[] = { "/etc/docker/daemon.json", NULL };
    static const char *const defdocker[] = { "/etc/default/docker", NULL };
    static const char *const csock[] = { "/run/containerd/containerd.sock", NULL };
    check_file(&h, svc, "CIS-3.1", "CIS-3.2", 0644, false);
    check_file(&h, sock_unit, "CIS-3.3", "CIS-3.4", 0644, false);
    check_file(&h, etc_docker, "CIS-3.5", "CIS-3.6", 0755, false);
    check_tls(&h);
    check_file(&h, dsock, "CIS-3.15", "CIS-3.16", 0660, true);
    check_file(&h, djson, "CIS-3.17", "CIS-3.18", 0644, false);
    check_file(&h, defdocker, "CIS-3.19", "CIS-3.20", 0644, false);
    check_file(&h, csock, "CIS-3.23", "CIS-3.24", 0660, false);
    *res = h.v; *n = h.n;
    return 0;
}
