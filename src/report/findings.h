/* A common model for rule-based findings (audit checks, secrets, image
 * misconfiguration) and the writers for every output format: a human table,
 * JSON, and SARIF 2.1.0 with physical locations.  Vulnerability results have a
 * richer model of their own in src/scan but reuse the format enum and SARIF. */
#ifndef BRIG_REPORT_FINDINGS_H
#define BRIG_REPORT_FINDINGS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

typedef enum { BRIG_FMT_TABLE = 0, BRIG_FMT_JSON, BRIG_FMT_SARIF, BRIG_FMT_CYCLONEDX, BRIG_FMT_SPDX } brig_format;
/* "table"|"json"|"sarif"|"cyclonedx"|"spdx-json"; returns -1 if unknown. */
int brig_format_parse(const char *s);
const char *brig_format_name(brig_format f);

typedef enum { BRIG_SEV_UNKNOWN = 0, BRIG_SEV_INFO, BRIG_SEV_LOW, BRIG_SEV_MEDIUM, BRIG_SEV_HIGH, BRIG_SEV_CRITICAL } brig_severity;
const char *brig_severity_name(brig_severity s);          /* "CRITICAL" ... */
int brig_severity_parse(const char *s);                    /* case-insensitive, -1 if unknown */
const char *brig_severity_sarif_level(brig_severity s);   /* "error"|"warning"|"note" */

typedef struct {
    char *rule_id;      /* "CIS-DI-0001", "BRIG-DF-003", "aws-access-key" ... */
    char *title;        /* one line: what is wrong */
    brig_severity severity;
    char *message;      /* specific to this occurrence */
    char *file;         /* file or artefact ("Dockerfile", "layer sha256:…:/etc/x") */
    int line, column;   /* 1-based, 0 if unknown */
    char *rationale;    /* why it matters (may be NULL) */
    char *fix;          /* one-line remediation (may be NULL) */
    char *help_uri;     /* may be NULL */
    char *extra_json;   /* optional JSON object text merged into the JSON/SARIF properties */
} brig_finding;

typedef struct {
    brig_finding *v; size_t n, cap;
} brig_findings;

/* Adds a finding; all strings are copied (NULL allowed except rule_id). */
brig_finding *brig_findings_add(brig_findings *fs, const char *rule_id, brig_severity sev,
                                const char *title, const char *file, int line, const char *message);
void brig_finding_set_fix(brig_finding *f, const char *rationale, const char *fix, const char *help_uri);
void brig_findings_sort(brig_findings *fs);     /* by severity desc, file, line, rule */
void brig_findings_free(brig_findings *fs);
/* Appends every finding of *from to *to and leaves *from empty (the strings move). */
void brig_findings_move(brig_findings *to, brig_findings *from);
size_t brig_findings_count_at_least(const brig_findings *fs, brig_severity min);

/* One finding as a JSON object (the shape every JSON report uses for rule findings). */
json_t *brig_finding_json(const brig_finding *f);

/* Writes the findings. `tool_command` names the subcommand ("audit", "scan"). */
int brig_findings_write(FILE *out, brig_format fmt, const brig_findings *fs, const char *tool_command);
#endif
