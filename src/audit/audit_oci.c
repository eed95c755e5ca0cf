/* OCI runtime config.json (bundle): the same runtime checks, expressed in
 * the runtime spec's terms (namespaces, capabilities, seccomp, mounts). */
#include "audit/audit.h"
#include "util/err.h"
#include <string.h>
#include <strings.h>

static const char *const ns_rule[][3] = {
    { "network", "CIS-5.10", "host network namespace" },
    { "pid", "CIS-5.16", "host PID namespace" },
    { "ipc", "CIS-5.17", "host IPC namespace" },
    { "uts", "CIS-5.21", "host UTS namespace" },
    { "mount", "BRIG-AUD-041", "host mount namespace" },
};

int audit_oci(audit_ctx *c, const ydoc *d) {
    const ynode *r = d->n_docs ? d->docs[0] : NULL;
    if (!r || r->kind != YN_MAP) return brig_fail(BRIG_EXIT_INPUT, "%s:1:1: config.json must be a JSON object", c->file);
    const char *who = "container";
    const ynode *proc = yn_get(r, "process"), *linux = yn_get(r, "linux");
    const ynode *at = yn_key(r, "process") ? yn_key(r, "process") : r;
    const ynode *v;
    long long uid;
    if ((v = yn_path(proc, "user.uid")) && yn_int(v, &uid) && uid == 0) audit_emit_at(c, "BRIG-AUD-010", v, "process runs as uid 0");
    if (!yn_is_true(v = yn_get(proc, "noNewPrivileges"))) audit_emit_at(c, "CIS-5.26", v ? v : at, "process.noNewPrivileges is not true");
    const ynode *caps = yn_path(proc, "capabilities.bounding");
    if (!caps) caps = yn_path(proc, "capabilities.effective");
    for (size_t i = 0; i < yn_len(caps); i++) {
        const char *s = yn_str(yn_at(caps, i));
        if (s && !rt_cap_default(s)) audit_emit_at(c, "CIS-5.4", yn_at(caps, i), "%s has capability %s beyond Docker's default set", who, s);
    }
    if ((v = yn_get(proc, "apparmorProfile")) && yn_str(v) && !strcmp(yn_str(v), "unconfined"))
        audit_emit_at(c, "CIS-5.2", v, "process.apparmorProfile is unconfined");
    if (!yn_is_true(v = yn_path(r, "root.readonly"))) audit_emit_at(c, "CIS-5.13", v ? v : yn_key(r, "root"), "root.readonly is not true");
    const ynode *mounts = yn_get(r, "mounts");
    for (size_t i = 0; i < yn_len(mounts); i++) {
        const ynode *m = yn_at(mounts, i);
        bool bind = yn_str(yn_get(m, "type")) && !strcmp(yn_str(yn_get(m, "type")), "bind");
        const ynode *opts = yn_get(m, "options");
        for (size_t k = 0; k < yn_len(opts); k++) { const char *o = yn_str(yn_at(opts, k)); if (o && (!strcmp(o, "bind") || !strcmp(o, "rbind"))) bind = true; }
        if (bind) rt_check_mount(c, who, yn_str(yn_get(m, "source")), yn_get(m, "source"));
        for (size_t k = 0; k < yn_len(opts); k++) {
            const char *o = yn_str(yn_at(opts, k));
            if (o && (!strcmp(o, "shared") || !strcmp(o, "rshared")))
                audit_emit_at(c, "CIS-5.20", yn_at(opts, k), "mount %s uses %s propagation", yn_str(yn_get(m, "destination")) ? yn_str(yn_get(m, "destination")) : "?", o);
        }
    }
    const ynode *nss = yn_get(linux, "namespaces");
    const ynode *nsat = nss ? nss : (yn_key(r, "linux") ? yn_key(r, "linux") : at);
    for (size_t k = 0; k < sizeof ns_rule / sizeof ns_rule[0]; k++) {
        bool own = false;
        for (size_t i = 0; i < yn_len(nss); i++) {
            const ynode *n = yn_at(nss, i);
            const char *t = yn_str(yn_get(n, "type")), *path = yn_str(yn_get(n, "path"));
            /* A namespace joined by path under /proc/1/ is the host's own. */
            if (t && !strcmp(t, ns_rule[k][0]) && !(path && !strncmp(path, "/proc/1/", 8))) own = true;
        }
        if (!own) audit_emit_at(c, ns_rule[k][1], nsat, "%s shares the %s", who, ns_rule[k][2]);
    }
    v = yn_get(linux, "rootfsPropagation");
    if (yn_str(v) && (!strcmp(yn_str(v), "shared") || !strcmp(yn_str(v), "rshared")))
        audit_emit_at(c, "CIS-5.20", v, "linux.rootfsPropagation is %s", yn_str(v));
    if (!yn_get(linux, "seccomp")) audit_emit_at(c, "CIS-5.22", yn_key(r, "linux"), "linux.seccomp is absent: the process is not filtered");
    const ynode *res = yn_get(linux, "resources");
    const ynode *rat = res ? yn_key(linux, "resources") : (yn_key(r, "linux") ? yn_key(r, "linux") : at);
    long long n;
    if (!((v = yn_path(res, "memory.limit")) && yn_int(v, &n) && n > 0)) audit_emit_at(c, "CIS-5.11", rat, "no linux.resources.memory.limit");
    if (!(((v = yn_path(res, "cpu.quota")) && yn_int(v, &n) && n > 0) || ((v = yn_path(res, "cpu.shares")) && yn_int(v, &n) && n > 0)))
        audit_emit_at(c, "CIS-5.12", rat, "no linux.resources.cpu quota or shares");
    if (!((v = yn_path(res, "pids.limit")) && yn_int(v, &n) && n > 0)) audit_emit_at(c, "CIS-5.29", rat, "no linux.resources.pids.limit");
    if (!yn_len(yn_get(proc, "rlimits"))) audit_emit_at(c, "CIS-5.19", at, "process.rlimits is empty");
    return 0;
}
