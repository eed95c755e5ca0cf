/* docker compose / compose.yaml checks (CIS section 5 applied to services). */
#include "audit/audit.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_host(const ynode *v) { const char *s = yn_str(v); return s && !strcmp(s, "host"); }

static bool set(const ynode *v) { return v && !yn_is_null(v); }

/* "[ip:]host:container[/proto]"; returns the first published host port or -1. */
static long short_port_host(const char *s) {
    char *d = xstrdup(s), *p = d;
    char *slash = strchr(p, '/'); if (slash) *slash = 0;
    if (*p == '[') { char *e = strchr(p, ']'); if (e) p = e + 1; if (*p == ':') p++; }
    /* split on ':' from the right */
    char *parts[4]; int n = 0;
    for (char *t = p; n < 4;) { parts[n++] = t; char *c = strchr(t, ':'); if (!c) break; *c = 0; t = c + 1; }
    long r = -1;
    if (n >= 2 && *parts[n - 2]) {
        char *end; long v = strtol(parts[n - 2], &end, 10);
        if (end != parts[n - 2] && (*end == 0 || *end == '-')) r = v;
    }
    free(d);
    return r;
}

static void check_ports(audit_ctx *c, const char *who, const ynode *ports) {
    for (size_t i = 0; i < yn_len(ports); i++) {
        const ynode *p = yn_at(ports, i);
        long host = -1;
        if (p->kind == YN_SCALAR) host = short_port_host(p->str);
        else if (p->kind == YN_MAP) {
            long long v;
            const ynode *pub = yn_get(p, "published");
            if (yn_int(pub, &v)) host = (long)v;
            else if (yn_str(pub)) host = strtol(yn_str(pub), NULL, 10);
            if (host == 0) host = -1;
        }
        if (host >= 0 && host < 1024)
            audit_emit_at(c, "CIS-5.8", p, "%s publishes privileged host port %ld", who, host);
        const char *ip = NULL;
        if (p->kind == YN_SCALAR) {
            /* "IP:HOST:CTR" names an interface; "HOST:CTR" and "CTR" listen everywhere. */
            const char *s = p->str;
            int colons = 0;
            for (const char *q = s; *q; q++) if (*q == ':') colons++;
            if (s[0] == '[') ip = "ipv6";
            else if (colons >= 2) ip = s;
        } else if (p->kind == YN_MAP) ip = yn_str(yn_get(p, "host_ip"));
        if (!ip || !strncmp(ip, "0.0.0.0", 7) || !strncmp(ip, "::", 2) || !strncmp(ip, "[::]", 4))
            audit_emit_at(c, "CIS-5.14", p, "%s publishes %s on all host interfaces", who, p->kind == YN_SCALAR ? p->str : "a port");
    }
}

static void check_volumes(audit_ctx *c, const char *who, const ynode *vols) {
    for (size_t i = 0; i < yn_len(vols); i++) {
        const ynode *v = yn_at(vols, i);
        if (v->kind == YN_SCALAR) {
            char *src = xstrdup(v->str);
            char *colon = strchr(src, ':');
            if (colon) {
                *colon = 0; rt_check_mount(c, who, src, v);
                /* SRC:DST:OPTS — propagation is one of the comma-separated options. */
                char *opts = strchr(colon + 1, ':');
                if (opts && (strstr(opts, "shared") && !strstr(opts, "slave")))
                    audit_emit_at(c, "CIS-5.20", v, "%s mounts %s with shared propagation", who, src);
            }
            free(src);
        } else if (v->kind == YN_MAP) {
            const char *type = yn_str(yn_get(v, "type"));
            const ynode *src = yn_get(v, "source");
            if ((!type || !strcmp(type, "bind")) && yn_str(src)) rt_check_mount(c, who, yn_str(src), src);
            const ynode *pr = yn_path(v, "bind.propagation");
            if (yn_str(pr) && (!strcmp(yn_str(pr), "shared") || !strcmp(yn_str(pr), "rshared")))
                audit_emit_at(c, "CIS-5.20", pr, "%s mounts %s with %s propagation", who, yn_str(src) ? yn_str(src) : "a volume", yn_str(pr));
        }
    }
}

static void check_caps(audit_ctx *c, const char *who, const ynode *svc_key, const ynode *add, const ynode *drop) {
    bool drop_all = rt_drops_all(drop);
    for (size_t i = 0; i < yn_len(add); i++) {
        const ynode *a = yn_at(add, i);
        const char *s = yn_str(a);
        if (!s) continue;
        if (!strcasecmp(rt_cap_norm(s), "ALL")) audit_emit_at(c, "CIS-5.4", a, "%s adds ALL capabilities", who);
        else if (!rt_cap_default(s) || !drop_all) audit_emit_at(c, "CIS-5.4", a, "%s adds capability %s", who, s);
    }
    if (!drop_all) audit_emit_at(c, "CIS-5.4", svc_key, "%s does not drop ALL capabilities (cap_drop: [ALL])", who);
}

static void check_service(audit_ctx *c, const ynode *key, const ynode *svc) {
    strbuf w = STRBUF_INIT;
    sb_addf(&w, "service '%s'", key->str);
    const ynode *profiles = yn_get(svc, "profiles");
    if (yn_len(profiles)) {
        sb_adds(&w, " (profile");
        for (size_t i = 0; i < yn_len(profiles); i++) if (yn_str(yn_at(profiles, i))) sb_addf(&w, "%s%s", i ? ", " : " ", yn_str(yn_at(profiles, i)));
        sb_adds(&w, ")");
    }
    const char *who = w.buf;
    const ynode *v;
    if (yn_is_true(v = yn_get(svc, "privileged"))) audit_emit_at(c, "CIS-5.5", v, "%s runs privileged", who);
    check_caps(c, who, yn_key(svc, "cap_drop") ? yn_key(svc, "cap_drop") : key, yn_get(svc, "cap_add"), yn_get(svc, "cap_drop"));
    check_volumes(c, who, yn_get(svc, "volumes"));
    if ((v = yn_get(svc, "network_mode"))) {
        if (is_host(v)) audit_emit_at(c, "CIS-5.10", v, "%s uses the host network", who);
        else if (yn_str(v) && !strcmp(yn_str(v), "bridge")) audit_emit_at(c, "CIS-5.30", v, "%s uses the default bridge (network_mode: bridge)", who);
    }
    if (is_host(v = yn_get(svc, "pid"))) audit_emit_at(c, "CIS-5.16", v, "%s shares the host PID namespace", who);
    if (is_host(v = yn_get(svc, "ipc"))) audit_emit_at(c, "CIS-5.17", v, "%s shares the host IPC namespace", who);
    if (is_host(v = yn_get(svc, "uts"))) audit_emit_at(c, "CIS-5.21", v, "%s shares the host UTS namespace", who);
    if (is_host(v = yn_get(svc, "userns_mode"))) audit_emit_at(c, "CIS-5.31", v, "%s shares the host user namespace", who);
    bool nnp = false;
    const ynode *so = yn_get(svc, "security_opt");
    for (size_t i = 0; i < yn_len(so); i++) { const ynode *o = yn_at(so, i); if (yn_str(o)) rt_check_secopt(c, who, yn_str(o), o, &nnp); }
    if (!nnp) audit_emit_at(c, "CIS-5.26", so ? yn_key(svc, "security_opt") : key, "%s does not set no-new-privileges", who);
    v = yn_get(svc, "read_only");
    if (!yn_is_true(v)) audit_emit_at(c, "CIS-5.13", v ? v : key, "%s has a writable root filesystem (read_only is not true)", who);
    v = yn_get(svc, "user");
    if (yn_str(v)) {
        const char *u = yn_str(v); size_t n = strcspn(u, ":");
        if ((n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0')) audit_emit_at(c, "BRIG-AUD-010", v, "%s runs as %s", who, u);
    }
    const ynode *lim = yn_path(svc, "deploy.resources.limits");
    if (!set(yn_get(svc, "mem_limit")) && !set(yn_get(lim, "memory")))
        audit_emit_at(c, "CIS-5.11", key, "%s has no memory limit", who);
    if (!set(yn_get(svc, "cpus")) && !set(yn_get(svc, "cpu_quota")) && !set(yn_get(svc, "cpu_shares")) &&
        !set(yn_get(svc, "cpu_count")) && !set(yn_get(svc, "cpu_percent")) && !set(yn_get(lim, "cpus")))
        audit_emit_at(c, "CIS-5.12", key, "%s has no CPU limit or shares", who);
    long long pl;
    const ynode *pn = yn_get(svc, "pids_limit");
    if (!pn) pn = yn_get(lim, "pids");
    if (!pn || (yn_int(pn, &pl) && pl <= 0)) audit_emit_at(c, "CIS-5.29", pn ? pn : key, "%s has no PIDs limit", who);
    if (!set(yn_get(svc, "ulimits"))) audit_emit_at(c, "CIS-5.19", key, "%s sets no ulimits", who);
    check_ports(c, who, yn_get(svc, "ports"));
    const ynode *dev = yn_get(svc, "devices");
    for (size_t i = 0; i < yn_len(dev); i++) {
        const ynode *d = yn_at(dev, i);
        audit_emit_at(c, "CIS-5.18", d, "%s maps host device %s", who, yn_str(d) ? yn_str(d) : yn_str(yn_get(d, "source")) ? yn_str(yn_get(d, "source")) : "?");
    }
    if ((v = yn_get(svc, "restart")) && yn_str(v)) {
        char *pol = xstrdup(yn_str(v));
        long long max = 0;
        char *colon = strchr(pol, ':');
        if (colon) { *colon = 0; max = strtoll(colon + 1, NULL, 10); }
        rt_check_restart(c, who, pol, max, v);
        free(pol);
    }
    const ynode *rp = yn_path(svc, "deploy.restart_policy");
    if (rp) {
        const char *cond = yn_str(yn_get(rp, "condition"));
        long long max = 0;
        yn_int(yn_get(rp, "max_attempts"), &max);
        if ((!cond || !strcmp(cond, "any") || !strcmp(cond, "on-failure")) && (max <= 0 || max > 5))
            audit_emit_at(c, "CIS-5.15", yn_key(yn_get(svc, "deploy"), "restart_policy"), "%s: deploy.restart_policy has no max_attempts <= 5", who);
    }
    const ynode *hc = yn_get(svc, "healthcheck");
    if (hc) {
        const ynode *t = yn_get(hc, "test");
        const char *t0 = yn_str(t) ? yn_str(t) : yn_str(yn_at(t, 0));
        if (yn_is_true(yn_get(hc, "disable")) || (t0 && !strcmp(t0, "NONE")))
            audit_emit_at(c, "CIS-5.27", yn_key(svc, "healthcheck"), "%s disables its health check", who);
    }
    sb_free(&w);
}

int audit_compose(audit_ctx *c, const ydoc *d) {
    for (size_t i = 0; i < d->n_docs; i++) {
        const ynode *root = d->docs[i];
        const ynode *svcs = yn_get(root, "services");
        if (!svcs) continue;
        if (svcs->kind != YN_MAP)
            return brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: 'services' must be a mapping", c->file, svcs->line, svcs->col);
        for (size_t k = 0; k < yn_len(svcs); k++) {
            const ynode *key = yn_map_key(svcs, k), *svc = yn_map_val(svcs, k);
            if (!yn_str(key)) continue;
            if (svc->kind != YN_MAP) {
                if (yn_is_null(svc)) continue;
                return brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: service '%s' must be a mapping", c->file, svc->line, svc->col, key->str);
            }
            check_service(c, key, svc);
        }
    }
    return 0;
}
