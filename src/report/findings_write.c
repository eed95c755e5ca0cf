/* Writers for rule findings: human table, JSON, SARIF 2.1.0. */
#include "report/findings.h"
#include "report/sarif.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void set_str(json_t *o, const char *k, const char *v) {
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

/* Merge the finding's extra JSON object (if any and valid) into `into`. */
static void merge_extra(json_t *into, const char *extra) {
    if (!extra) return;
    json_t *x = json_loads(extra, 0, NULL);
    if (json_is_object(x)) json_object_update(into, x);
    json_decref(x);
}

json_t *brig_finding_json(const brig_finding *f) {
    json_t *o = json_object();
    set_str(o, "rule_id", f->rule_id);
    set_str(o, "severity", brig_severity_name(f->severity));
    set_str(o, "title", f->title);
    set_str(o, "message", f->message);
    set_str(o, "file", f->file);
    json_object_set_new(o, "line", json_integer(f->line));
    json_object_set_new(o, "column", json_integer(f->column));
    set_str(o, "rationale", f->rationale);
    set_str(o, "fix", f->fix);
    set_str(o, "help_uri", f->help_uri);
    merge_extra(o, f->extra_json);
    return o;
}

static json_t *summary_json(const brig_findings *fs) {
    json_t *s = json_object();
    json_object_set_new(s, "total", json_integer((json_int_t)fs->n));
    for (int sev = BRIG_SEV_CRITICAL; sev >= BRIG_SEV_UNKNOWN; sev--) {
        size_t n = 0;
        for (size_t i = 0; i < fs->n; i++) if ((int)fs->v[i].severity == sev) n++;
        json_object_set_new(s, brig_severity_name((brig_severity)sev), json_integer((json_int_t)n));
    }
    return s;
}

static int dump(FILE *out, json_t *doc) {
    int r = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(doc);
    if (r != 0 || ferror(out)) return brig_fail(BRIG_EXIT_SYSTEM, "could not write the report");
    return 0;
}

static int write_json(FILE *out, const brig_findings *fs, const char *cmd) {
    json_t *doc = json_object();
    json_object_set_new(doc, "tool", json_string("brig"));
    json_object_set_new(doc, "command", json_string(cmd ? cmd : ""));
    json_object_set_new(doc, "summary", summary_json(fs));
    json_t *arr = json_array();
    for (size_t i = 0; i < fs->n; i++) json_array_append_new(arr, brig_finding_json(&fs->v[i]));
    json_object_set_new(doc, "findings", arr);
    return dump(out, doc);
}

static int write_sarif(FILE *out, const brig_findings *fs, const char *cmd) {
    brig_sarif *s = brig_sarif_new(cmd);
    for (size_t i = 0; i < fs->n; i++) {
        const brig_finding *f = &fs->v[i];
        size_t rule = brig_sarif_rule(s, f->rule_id, f->title, f->rationale, f->fix, f->help_uri, f->severity, -1);
        json_t *props = json_object();
        merge_extra(props, f->extra_json);
        brig_sarif_result(s, rule, f->severity, f->message ? f->message : f->title, f->file, f->line, f->column, props);
    }
    return dump(out, brig_sarif_finish(s));
}

static const char *sev_color(brig_severity s) {
    switch (s) {
    case BRIG_SEV_CRITICAL: return "\033[1;31m";
    case BRIG_SEV_HIGH: return "\033[31m";
    case BRIG_SEV_MEDIUM: return "\033[33m";
    case BRIG_SEV_LOW: return "\033[36m";
    default: return "\033[2m";
    }
}

static int write_table(FILE *out, const brig_findings *fs, const char *cmd) {
    bool color = (out == stdout && isatty(1) && !getenv("NO_COLOR"));
    if (fs->n == 0) { fprintf(out, "No findings.\n"); return 0; }
    size_t wr = 4;
    for (size_t i = 0; i < fs->n; i++) { size_t l = strlen(fs->v[i].rule_id); if (l > wr) wr = l; }
    if (wr > 28) wr = 28;
    fprintf(out, "%-8s  %-*s  %s\n", "SEVERITY", (int)wr, "RULE", "LOCATION / FINDING");
    for (size_t i = 0; i < fs->n; i++) {
        const brig_finding *f = &fs->v[i];
        const char *sev = brig_severity_name(f->severity);
        if (color) fprintf(out, "%s%-8s\033[0m", sev_color(f->severity), sev);
        else fprintf(out, "%-8s", sev);
        fprintf(out, "  %-*s  %s", (int)wr, f->rule_id, f->file ? f->file : "-");
        if (f->line > 0) fprintf(out, ":%d", f->line);
        if (f->line > 0 && f->column > 0) fprintf(out, ":%d", f->column);
        fputc('\n', out);
        int ind = 8 + 2 + (int)wr + 2;
        if (f->title) fprintf(out, "%*s%s\n", ind, "", f->title);
        if (f->message && (!f->title || strcmp(f->message, f->title) != 0)) fprintf(out, "%*s%s\n", ind, "", f->message);
        if (f->fix) fprintf(out, "%*sfix: %s\n", ind, "", f->fix);
    }
    fprintf(out, "\n%s: %zu finding%s (", cmd ? cmd : "brig", fs->n, fs->n == 1 ? "" : "s");
    bool first = true;
    for (int sev = BRIG_SEV_CRITICAL; sev >= BRIG_SEV_UNKNOWN; sev--) {
        size_t n = 0;
        for (size_t i = 0; i < fs->n; i++) if ((int)fs->v[i].severity == sev) n++;
        if (!n) continue;
        fprintf(out, "%s%s: %zu", first ? "" : ", ", brig_severity_name((brig_severity)sev), n);
        first = false;
    }
    fprintf(out, ")\n");
    return ferror(out) ? brig_fail(BRIG_EXIT_SYSTEM, "could not write the report") : 0;
}

int brig_findings_write(FILE *out, brig_format fmt, const brig_findings *fs, const char *cmd) {
    switch (fmt) {
    case BRIG_FMT_TABLE: return write_table(out, fs, cmd);
    case BRIG_FMT_JSON: return write_json(out, fs, cmd);
    case BRIG_FMT_SARIF: return write_sarif(out, fs, cmd);
    default:
        return brig_fail(BRIG_EXIT_USAGE, "format '%s' is for SBOMs; findings support table, json and sarif",
                         brig_format_name(fmt));
    }
}
