/* Docker daemon.json: CIS section 2 items that the configuration file decides. */
#include "audit/audit.h"
#include "util/err.h"
#include <string.h>
#include <strings.h>

int audit_daemon(audit_ctx *c, const ydoc *d) {
    const ynode *r = d->n_docs ? d->docs[0] : NULL;
    if (!r || r->kind != YN_MAP) return brig_fail(BRIG_EXIT_INPUT, "%s:1:1: daemon.json must be a JSON object", c->file);
    const ynode *v, *k;
    bool tlsverify = yn_is_true(yn_get(r, "tlsverify"));
    const ynode *hosts = yn_get(r, "hosts");
    for (size_t i = 0; i < yn_len(hosts); i++) {
        const char *h = yn_str(yn_at(hosts, i));
        if (h && !strncasecmp(h, "tcp://", 6) && !tlsverify)
            audit_emit_at(c, "CIS-2.7", yn_at(hosts, i), "daemon listens on %s without tlsverify", h);
    }
    const ynode *ins = yn_get(r, "insecure-registries");
    for (size_t i = 0; i < yn_len(ins); i++)
        if (yn_str(yn_at(ins, i))) audit_emit_at(c, "CIS-2.5", yn_at(ins, i), "insecure registry %s", yn_str(yn_at(ins, i)));
    v = yn_get(r, "icc"); k = yn_key(r, "icc");
    if (!yn_is_false(v)) audit_emit_at(c, "CIS-2.2", k, "inter-container communication is %s (icc)", v ? "enabled" : "enabled by default");
    v = yn_get(r, "log-level");
    if (yn_str(v) && strcasecmp(yn_str(v), "info") != 0) audit_emit_at(c, "CIS-2.3", v, "log-level is '%s'", yn_str(v));
    v = yn_get(r, "log-driver");
    const char *ld = yn_str(v);
    if (!ld || !strcmp(ld, "json-file") || !strcmp(ld, "local") || !strcmp(ld, "none"))
        audit_emit_at(c, "CIS-2.13", v, "log driver is %s (not centralized)", ld ? ld : "json-file by default");
    if (yn_is_false(v = yn_get(r, "iptables"))) audit_emit_at(c, "CIS-2.4", v, "iptables management is disabled");
    if ((v = yn_get(r, "storage-driver")) && yn_str(v) && !strcmp(yn_str(v), "aufs")) audit_emit_at(c, "CIS-2.6", v, "storage driver aufs");
    v = yn_get(r, "userns-remap");
    if (!yn_str(v) || !yn_str(v)[0]) audit_emit_at(c, "CIS-2.9", v, "userns-remap is not configured");
    v = yn_get(r, "no-new-privileges");
    if (!yn_is_true(v)) audit_emit_at(c, "CIS-2.14", v, "no-new-privileges is not enabled by default for containers");
    v = yn_get(r, "live-restore");
    if (!yn_is_true(v)) audit_emit_at(c, "CIS-2.15", v, "live-restore is not enabled");
    v = yn_get(r, "userland-proxy");
    if (!yn_is_false(v)) audit_emit_at(c, "CIS-2.16", v, "userland-proxy is %s", v ? "enabled" : "enabled by default");
    if (yn_is_true(v = yn_get(r, "experimental"))) audit_emit_at(c, "CIS-2.18", v, "experimental features are enabled");
    return 0;
}
