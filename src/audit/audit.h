/* `brig audit` internals: the rule catalogue, the per-run context that turns
 * rule hits into findings (with --ignore / --severity applied), and one entry
 * point per input kind. */
#ifndef BRIG_AUDIT_AUDIT_H
#define BRIG_AUDIT_AUDIT_H
#include "audit/ydoc.h"
#include "report/findings.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    AUDIT_T_NONE = 0, AUDIT_T_DOCKERFILE, AUDIT_T_COMPOSE, AUDIT_T_INSPECT, AUDIT_T_DAEMON,
    AUDIT_T_K8S, AUDIT_T_OCI, AUDIT_T_HOST,
} audit_type;
const char *audit_type_name(audit_type t);
int audit_type_parse(const char *s);     /* -1 if unknown */

typedef struct {
    const char *id;          /* "CIS-5.5", "DL3006", "PSS-privileged", "BRIG-AUD-001" */
    brig_severity sev;
    const char *title;       /* CIS items: the benchmark's own title */
    const char *rationale;
    const char *fix;
} audit_rule;

const audit_rule *audit_rule_find(const char *id);
const audit_rule *audit_rules(size_t *n);

typedef enum { AUDIT_PSS_BASELINE = 0, AUDIT_PSS_RESTRICTED = 1 } audit_pss;

/* An inline suppression: rule `id` is not reported on lines from..to of the current file. */
typedef struct { const char *id; int from, to; } audit_suppress;

typedef struct {
    brig_findings *fs;
    const char *file;            /* as shown in findings */
    char **ignore; size_t n_ignore;
    audit_pss pss;
    brig_severity min_sev;       /* --severity: lower findings are not reported */
    size_t emitted;              /* findings added for the current file */
    const audit_suppress *supp; size_t n_supp;   /* inline suppressions of the current file */
} audit_ctx;

/* Adds a finding for rule `id` at line:col (0 = unknown).  The message is
 * formatted; rules listed in --ignore are dropped here. */
void audit_emit(audit_ctx *c, const char *id, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Same, at a YAML/JSON node's position (line 1 when the node is NULL or unpositioned). */
void audit_emit_at(audit_ctx *c, const char *id, const ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Entry points: each returns 0 or an exit code (message recorded). */
int audit_dockerfile(audit_ctx *c, const char *buf, size_t len);
int audit_compose(audit_ctx *c, const ydoc *d);
int audit_k8s(audit_ctx *c, const ydoc *d);
int audit_inspect(audit_ctx *c, const ydoc *d);
int audit_daemon(audit_ctx *c, const ydoc *d);
int audit_oci(audit_ctx *c, const ydoc *d);

/* Host checks: each is reported pass / fail / not applicable. */
typedef enum { HOST_PASS = 0, HOST_FAIL, HOST_NA } host_status;
typedef struct { const char *id; host_status st; char detail[256]; } host_result;
/* `root` prefixes every path (tests point it at a fake tree; "" = the real host). */
int audit_host(audit_ctx *c, const char *root, host_result **res, size_t *n);

/* Shared runtime-config helpers (compose, docker inspect, OCI config). */
int rt_sensitive_path(const char *host_path);    /* 0 no, 1 sensitive dir (CIS-5.6), 2 runtime socket (CIS-5.32) */
void rt_check_mount(audit_ctx *c, const char *who, const char *host_path, const ynode *at);
bool rt_cap_default(const char *cap);            /* in Docker's default capability set */
bool rt_drops_all(const ynode *cap_drop);         /* drops ALL (or every default capability by name) */
const char *rt_cap_norm(const char *cap);        /* strips "CAP_" */
/* Evaluates one --security-opt; sets *nnp when it enables no-new-privileges. */
void rt_check_secopt(audit_ctx *c, const char *who, const char *opt, const ynode *at, bool *nnp);
void rt_check_restart(audit_ctx *c, const char *who, const char *policy, long long max_retries, const ynode *at);
#endif
