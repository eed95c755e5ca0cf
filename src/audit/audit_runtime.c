/* Checks shared by every runtime-config input (compose, docker inspect, OCI
 * config.json): host paths, capabilities, security options, restart policy. */
#include "audit/audit.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Normalises "/var/run/x//" -> "/run/x" so aliases of the same path compare equal. */
static char *norm_path(const char *p) {
    char *s = xmalloc(strlen(p) + 2), *o = s;
    for (const char *q = p; *q; q++) {
        if (*q == '/' && o > s && o[-1] == '/') continue;
        *o++ = *q;
    }
    *o = 0;
    while (o > s + 1 && o[-1] == '/') *--o = 0;
    /* "/x/./y" and ".." are rare in bind mounts; treat them literally but strip "/." tails. */
    while (o > s + 2 && o[-1] == '.' && o[-2] == '/') { o -= 2; *o = 0; if (o == s) { *o++ = '/'; *o = 0; } }
    if (!strncmp(s, "/var/run/", 9) || !strcmp(s, "/var/run")) memmove(s, s + 4, strlen(s + 4) + 1);
    return s;
}

int rt_sensitive_path(const char *host_path) {
    if (!host_path || host_path[0] != '/') return 0;   /* named volumes are not host paths */
    char *p = norm_path(host_path);
    int r = 0;
    static const char *const sockets[] = { "docker.sock", "containerd.sock", "podman.sock", "crio.sock", NULL };
    const char *base = strrchr(p, '/'); base = base ? base + 1 : p;
    for (int i = 0; sockets[i]; i++) if (!strcmp(base, sockets[i])) r = 2;
    if (!r && (!strcmp(p, "/run/containerd") || !strncmp(p, "/run/containerd/", 16) ||
               !strcmp(p, "/run/docker") || !strcmp(p, "/var/lib/docker") || !strncmp(p, "/var/lib/docker/", 16))) r = 1;
    /* Exact system directories (CIS 5.6) ... */
    static const char *const exact[] = { "/", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sys", "/usr", "/root", "/run", "/var/run", NULL };
    for (int i = 0; !r && exact[i]; i++) if (!strcmp(p, exact[i])) r = 1;
    /* ... and anything below the kernel/device/boot trees. */
    static const char *const trees[] = { "/proc/", "/sys/", "/dev/", "/boot/", "/etc/shadow", "/etc/sudoers", "/root/", NULL };
    for (int i = 0; !r && trees[i]; i++) if (!strncmp(p, trees[i], strlen(trees[i]))) r = 1;
    free(p);
    return r;
}

void rt_check_mount(audit_ctx *c, const char *who, const char *host_path, const ynode *at) {
    switch (rt_sensitive_path(host_path)) {
    case 2: audit_emit_at(c, "CIS-5.32", at, "%s mounts the container runtime socket %s", who, host_path); break;
    case 1: audit_emit_at(c, "CIS-5.6", at, "%s mounts the sensitive host path %s", who, host_path); break;
    default: break;
    }
}

const char *rt_cap_norm(const char *cap) { return !strncasecmp(cap, "CAP_", 4) ? cap + 4 : cap; }

static const char *const default_caps[] = { "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
                                            "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE", NULL };

/* "ALL", or every default capability spelled out (podman's inspect expands --cap-drop ALL that way). */
bool rt_drops_all(const ynode *drop) {
    bool seen[16] = { false };
    for (size_t i = 0; i < yn_len(drop); i++) {
        const char *s = yn_str(yn_at(drop, i));
        if (!s) continue;
        s = rt_cap_norm(s);
        if (!strcasecmp(s, "ALL")) return true;
        for (int k = 0; default_caps[k]; k++) if (!strcasecmp(s, default_caps[k])) seen[k] = true;
    }
    for (int k = 0; default_caps[k]; k++) if (!seen[k]) return false;
    return true;
}

/* Docker's default capability set (moby oci/caps/defaults.go). */
bool rt_cap_default(const char *cap) {
    static const char *const d[] = { "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
                                     "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE", NULL };
    cap = rt_cap_norm(cap);
    for (int i = 0; d[i]; i++) if (!strcasecmp(cap, d[i])) return true;
    return false;
}

/* Docker accepts both "key:value" (legacy) and "key=value". */
static bool opt_is(const char *opt, const char *key, const char *val) {
    size_t k = strlen(key);
    if (strncasecmp(opt, key, k) != 0) return false;
    if (opt[k] == 0) return val == NULL;
    if (opt[k] != ':' && opt[k] != '=') return false;
    return val ? !strcasecmp(opt + k + 1, val) : true;
}

void rt_check_secopt(audit_ctx *c, const char *who, const char *opt, const ynode *at, bool *nnp) {
    if (opt_is(opt, "no-new-privileges", NULL) || opt_is(opt, "no-new-privileges", "true")) *nnp = true;
    else if (opt_is(opt, "seccomp", "unconfined"))
        audit_emit_at(c, "CIS-5.22", at, "%s disables seccomp (%s)", who, opt);
    else if (opt_is(opt, "apparmor", "unconfined"))
        audit_emit_at(c, "CIS-5.2", at, "%s runs without AppArmor confinement (%s)", who, opt);
    else if (opt_is(opt, "label", "disable"))
        audit_emit_at(c, "CIS-5.3", at, "%s disables SELinux labelling (%s)", who, opt);
}

void rt_check_restart(audit_ctx *c, const char *who, const char *policy, long long max, const ynode *at) {
    if (!policy || !*policy || !strcmp(policy, "no")) return;
    if (!strcmp(policy, "always") || !strcmp(policy, "unless-stopped"))
        audit_emit_at(c, "CIS-5.15", at, "%s restarts without bound (restart policy '%s')", who, policy);
    else if (!strcmp(policy, "on-failure") && (max <= 0 || max > 5))
        audit_emit_at(c, "CIS-5.15", at, max <= 0 ? "%s uses on-failure without a maximum retry count" :
                      "%s uses on-failure with more than 5 retries", who);
}
