/* Findings model: collection, ordering and severity helpers.  The writers
 * live in findings_write.c. */
#include "report/findings.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const fmt_names[] = { "table", "json", "sarif", "cyclonedx", "spdx-json" };

int brig_format_parse(const char *s) {
    if (!s) return -1;
    for (size_t i = 0; i < sizeof fmt_names / sizeof fmt_names[0]; i++)
        if (!strcasecmp(s, fmt_names[i])) return (int)i;
    if (!strcasecmp(s, "spdx")) return BRIG_FMT_SPDX;
    return -1;
}
const char *brig_format_name(brig_format f) {
    return (unsigned)f < sizeof fmt_names / sizeof fmt_names[0] ? fmt_names[f] : "?";
}

static const char *const sev_names[] = { "UNKNOWN", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL" };
const char *brig_severity_name(brig_severity s) {
    return (unsigned)s < sizeof sev_names / sizeof sev_names[0] ? sev_names[s] : "UNKNOWN";
}
int brig_severity_parse(const char *s) {
    if (!s) return -1;
    for (size_t i = 0; i < sizeof sev_names / sizeof sev_names[0]; i++)
        if (!strcasecmp(s, sev_names[i])) return (int)i;
    if (!strcasecmp(s, "moderate")) return BRIG_SEV_MEDIUM;
    if (!strcasecmp(s, "negligible") || !strcasecmp(s, "note")) return BRIG_SEV_INFO;
    return -1;
}
const char *brig_severity_sarif_level(brig_severity s) {
    switch (s) {
    case BRIG_SEV_CRITICAL: case BRIG_SEV_HIGH: return "error";
    case BRIG_SEV_MEDIUM: return "warning";
    default: return "note";
    }
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

brig_finding *brig_findings_add(brig_findings *fs, const char *rule_id, brig_severity sev,
                                const char *title, const char *file, int line, const char *message) {
    fs->v = xgrow(fs->v, &fs->cap, fs->n + 1, sizeof *fs->v);
    brig_finding *f = &fs->v[fs->n++];
    memset(f, 0, sizeof *f);
    f->rule_id = xstrdup(rule_id ? rule_id : "UNKNOWN");
    f->severity = sev;
    f->title = dup_or_null(title);
    f->file = dup_or_null(file);
    f->line = line;
    f->message = dup_or_null(message);
    return f;
}

void brig_finding_set_fix(brig_finding *f, const char *rationale, const char *fix, const char *help_uri) {
    free(f->rationale); free(f->fix); free(f->help_uri);
    f->rationale = dup_or_null(rationale);
    f->fix = dup_or_null(fix);
    f->help_uri = dup_or_null(help_uri);
}

static int strcmp0(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int cmp_finding(const void *pa, const void *pb) {
    const brig_finding *a = pa, *b = pb;
    if (a->severity != b->severity) return (int)b->severity - (int)a->severity;
    int c = strcmp0(a->file, b->file);
    if (c) return c;
    if (a->line != b->line) return a->line - b->line;
    if (a->column != b->column) return a->column - b->column;
    c = strcmp0(a->rule_id, b->rule_id);
    return c ? c : strcmp0(a->message, b->message);
}
void brig_findings_sort(brig_findings *fs) {
    if (fs->n > 1) qsort(fs->v, fs->n, sizeof *fs->v, cmp_finding);
}

void brig_findings_free(brig_findings *fs) {
    for (size_t i = 0; i < fs->n; i++) {
        brig_finding *f = &fs->v[i];
        free(f->rule_id); free(f->title); free(f->message); free(f->file);
        free(f->rationale); free(f->fix); free(f->help_uri); free(f->extra_json);
    }
    free(fs->v);
    memset(fs, 0, sizeof *fs);
}

void brig_findings_move(brig_findings *to, brig_findings *from) {
    if (from->n) to->v = xgrow(to->v, &to->cap, to->n + from->n, sizeof *to->v);
    for (size_t i = 0; i < from->n; i++) to->v[to->n++] = from->v[i];
    free(from->v);
    memset(from, 0, sizeof *from);
}

size_t brig_findings_count_at_least(const brig_findings *fs, brig_severity min) {
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++) if (fs->v[i].severity >= min) n++;
    return n;
}
