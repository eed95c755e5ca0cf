/* Rule hit -> finding: looks the rule up, applies --ignore, fills rationale,
 * fix and a reference URL. */
#include "audit/audit.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *help_uri(const char *id, char *buf, size_t n) {
    if (!strncmp(id, "CIS-", 4)) return "https://www.cisecurity.org/benchmark/docker";
    if (!strncmp(id, "DL", 2)) { snprintf(buf, n, "https://github.com/hadolint/hadolint/wiki/%s", id); return buf; }
    if (!strncmp(id, "PSS-", 4)) return "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
    return NULL;
}

static void vemit(audit_ctx *c, const char *id, int line, int col, const char *fmt, va_list ap) {
    for (size_t i = 0; i < c->n_ignore; i++)
        if (!strcasecmp(c->ignore[i], id)) return;
    for (size_t i = 0; i < c->n_supp; i++)
        if (line >= c->supp[i].from && line <= c->supp[i].to && !strcasecmp(c->supp[i].id, id)) return;
    const audit_rule *r = audit_rule_find(id);
    if (!r) abort();   /* a check emitting an uncatalogued ID is a programming error */
    if (r->sev < c->min_sev) return;
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    brig_finding *f = brig_findings_add(c->fs, r->id, r->sev, r->title, c->file, line, msg ? msg : r->title);
    free(msg);
    f->column = col;
    char buf[128];
    brig_finding_set_fix(f, r->rationale, r->fix, help_uri(r->id, buf, sizeof buf));
    c->emitted++;
}

void audit_emit(audit_ctx *c, const char *id, int line, int col, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    vemit(c, id, line, col, fmt, ap);
    va_end(ap);
}

void audit_emit_at(audit_ctx *c, const char *id, const ynode *at, const char *fmt, ...) {
    int line = at && at->line > 0 ? at->line : 1, col = at && at->line > 0 ? at->col : 0;
    va_list ap; va_start(ap, fmt);
    vemit(c, id, line, col, fmt, ap);
    va_end(ap);
}

static const char *const type_names[] = { "none", "dockerfile", "compose", "docker-inspect", "daemon", "kubernetes", "oci-config", "host" };
const char *audit_type_name(audit_type t) { return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "?"; }
int audit_type_parse(const char *s) {
    for (int i = 1; i < (int)(sizeof type_names / sizeof *type_names); i++) if (!strcmp(s, type_names[i])) return i;
    if (!strcmp(s, "k8s")) return AUDIT_T_K8S;
    if (!strcmp(s, "inspect")) return AUDIT_T_INSPECT;
    if (!strcmp(s, "oci")) return AUDIT_T_OCI;
    return -1;
}
