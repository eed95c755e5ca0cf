/* `docker inspect` output (array of containers): CIS section 5 on the
 * effective HostConfig/Config of running or created containers. */
#include "audit/audit.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool str_is(const ynode *n, const char *s) { return yn_str(n) && !strcmp(yn_str(n), s); }
static bool zero_or_absent(const ynode *n) { long long v; return !n || yn_is_null(n) || (yn_int(n, &v) && v <= 0); }

static void check_container(audit_ctx *c, const ynode *ct) {
    const char *name = yn_str(yn_get(ct, "Name"));
    if (!name) name = yn_str(yn_get(ct, "Id"));
    char *who = xasprintf("container '%s'", name ? (name[0] == '/' ? name + 1 : name) : "?");
    const ynode *hc = yn_get(ct, "HostConfig"), *cfg = yn_get(ct, "Config");
    const ynode *at = yn_key(ct, "HostConfig") ? yn_key(ct, "HostConfig") : ct;
    const ynode *v;
    if (yn_is_true(v = yn_get(hc, "Privileged"))) audit_emit_at(c, "CIS-5.5", v, "%s runs privileged", who);
    const ynode *add = yn_get(hc, "CapAdd"), *drop = yn_get(hc, "CapDrop");
    bool drop_all = rt_drops_all(drop);
    for (size_t i = 0; i < yn_len(add); i++) {
        const char *s = yn_str(yn_at(add, i));
        if (s && (!rt_cap_default(s) || !drop_all)) audit_emit_at(c, "CIS-5.4", yn_at(add, i), "%s adds capability %s", who, s);
    }
    if (!drop_all) audit_emit_at(c, "CIS-5.4", drop ? drop : at, "%s does not drop ALL capabilities", who);
    const ynode *mounts = yn_get(ct, "Mounts");
    if (yn_len(mounts)) {
        for (size_t i = 0; i < yn_len(mounts); i++) {
            const ynode *m = yn_at(mounts, i);
            if (str_is(yn_get(m, "Type"), "bind")) rt_check_mount(c, who, yn_str(yn_get(m, "Source")), yn_get(m, "Source"));
            const ynode *pr = yn_get(m, "Propagation");
            if (str_is(pr, "shared") || str_is(pr, "rshared"))
                audit_emit_at(c, "CIS-5.20", pr, "%s mounts %s with %s propagation", who, yn_str(yn_get(m, "Source")) ? yn_str(yn_get(m, "Source")) : "?", yn_str(pr));
        }
    } else {
        const ynode *binds = yn_get(hc, "Binds");
        for (size_t i = 0; i < yn_len(binds); i++) {
            const char *b = yn_str(yn_at(binds, i));
            if (!b) continue;
            char *src = xstrdup(b), *colon = strchr(src, ':');
            if (colon) *colon = 0;
            rt_check_mount(c, who, src, yn_at(binds, i));
            free(src);
        }
    }
    const ynode *devs = yn_get(hc, "Devices");
    for (size_t i = 0; i < yn_len(devs); i++) {
        const ynode *d = yn_at(devs, i);
        const char *path = yn_str(yn_get(d, "PathOnHost"));
        audit_emit_at(c, "CIS-5.18", yn_get(d, "PathOnHost") ? yn_get(d, "PathOnHost") : d, "%s maps host device %s", who, path ? path : "?");
    }
    v = yn_get(hc, "NetworkMode");
    if (str_is(v, "host")) audit_emit_at(c, "CIS-5.10", v, "%s uses the host network", who);
    else if (str_is(v, "default") || str_is(v, "bridge")) audit_emit_at(c, "CIS-5.30", v, "%s is on the default bridge (NetworkMode %s)", who, yn_str(v));
    if (str_is(v = yn_get(hc, "PidMode"), "host")) audit_emit_at(c, "CIS-5.16", v, "%s shares the host PID namespace", who);
    if (str_is(v = yn_get(hc, "IpcMode"), "host")) audit_emit_at(c, "CIS-5.17", v, "%s shares the host IPC namespace", who);
    if (str_is(v = yn_get(hc, "UTSMode"), "host")) audit_emit_at(c, "CIS-5.21", v, "%s shares the host UTS namespace", who);
    if (str_is(v = yn_get(hc, "UsernsMode"), "host")) audit_emit_at(c, "CIS-5.31", v, "%s shares the host user namespace", who);
    if (zero_or_absent(v = yn_get(hc, "Memory"))) audit_emit_at(c, "CIS-5.11", v ? v : at, "%s has no memory limit", who);
    if (zero_or_absent(yn_get(hc, "NanoCpus")) && zero_or_absent(yn_get(hc, "CpuShares")) && zero_or_absent(yn_get(hc, "CpuQuota")))
        audit_emit_at(c, "CIS-5.12", yn_get(hc, "CpuShares") ? yn_get(hc, "CpuShares") : at, "%s has no CPU limit or shares", who);
    if (zero_or_absent(v = yn_get(hc, "PidsLimit"))) audit_emit_at(c, "CIS-5.29", v ? v : at, "%s has no PIDs limit", who);
    if (!yn_is_true(v = yn_get(hc, "ReadonlyRootfs"))) audit_emit_at(c, "CIS-5.13", v ? v : at, "%s has a writable root filesystem", who);
    bool nnp = false;
    const ynode *so = yn_get(hc, "SecurityOpt");
    for (size_t i = 0; i < yn_len(so); i++) if (yn_str(yn_at(so, i))) rt_check_secopt(c, who, yn_str(yn_at(so, i)), yn_at(so, i), &nnp);
    if (!nnp) audit_emit_at(c, "CIS-5.26", so && !yn_is_null(so) ? so : at, "%s does not set no-new-privileges", who);
    if (str_is(v = yn_get(ct, "AppArmorProfile"), "unconfined")) audit_emit_at(c, "CIS-5.2", v, "%s runs without AppArmor (AppArmorProfile unconfined)", who);
    v = yn_get(cfg, "User");
    const char *u = yn_str(v);
    if (cfg && (!u || !*u || !strcmp(u, "root") || !strcmp(u, "0") || !strncmp(u, "0:", 2) || !strncmp(u, "root:", 5)))
        audit_emit_at(c, "BRIG-AUD-010", v ? v : cfg, "%s runs as root (Config.User is %s)", who, u && *u ? u : "empty");
    const ynode *pb = yn_get(hc, "PortBindings");
    for (size_t i = 0; i < yn_len(pb); i++) {
        const ynode *bl = yn_map_val(pb, i);
        for (size_t k = 0; k < yn_len(bl); k++) {
            const ynode *hp = yn_get(yn_at(bl, k), "HostPort");
            const char *s = yn_str(hp);
            if (s && *s) { long p = strtol(s, NULL, 10); if (p > 0 && p < 1024) audit_emit_at(c, "CIS-5.8", hp, "%s publishes privileged host port %ld", who, p); }
            const ynode *ipn = yn_get(yn_at(bl, k), "HostIp");
            const char *ip = yn_str(ipn);
            if (!ip || !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::"))
                audit_emit_at(c, "CIS-5.14", ipn ? ipn : hp, "%s publishes %s on all host interfaces", who, yn_str(yn_map_key(pb, i)));
        }
    }
    const ynode *rp = yn_get(hc, "RestartPolicy");
    if (rp) { long long max = 0; yn_int(yn_get(rp, "MaximumRetryCount"), &max); rt_check_restart(c, who, yn_str(yn_get(rp, "Name")), max, yn_get(rp, "Name")); }
    v = yn_get(hc, "Ulimits");
    if (!yn_len(v)) audit_emit_at(c, "CIS-5.19", v ? v : at, "%s sets no ulimits", who);
    free(who);
}

int audit_inspect(audit_ctx *c, const ydoc *d) {
    const ynode *root = d->n_docs ? d->docs[0] : NULL;
    if (root && root->kind == YN_MAP) { check_container(c, root); return 0; }
    if (!root || root->kind != YN_SEQ)
        return brig_fail(BRIG_EXIT_INPUT, "%s:1:1: expected the JSON array printed by `docker inspect`", c->file);
    for (size_t i = 0; i < yn_len(root); i++) {
        const ynode *ct = yn_at(root, i);
        if (ct->kind != YN_MAP)
            return brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: element %zu is not a container object", c->file, ct->line, ct->col, i);
        check_container(c, ct);
    }
    return 0;
}
