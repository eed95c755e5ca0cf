/* Human table for `brig scan`: a summary line, then one section per package
 * type with rows grouped by package (name and version printed once). */
#include "scan/scan_report.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 60

static const char *sev_color(brig_severity s, bool color) {
    if (!color) return "";
    switch (s) {
    case BRIG_SEV_CRITICAL: return "\033[1;31m";
    case BRIG_SEV_HIGH: return "\033[31m";
    case BRIG_SEV_MEDIUM: return "\033[33m";
    case BRIG_SEV_LOW: return "\033[36m";
    default: return "";
    }
}

static size_t maxz(size_t a, size_t b) { return a > b ? a : b; }

static char *clip(const char *s, size_t max) {
    if (!s) return xstrdup("");
    size_t n = strcspn(s, "\n");
    if (n <= max) return xstrndup(s, n);
    char *t = xmalloc(max + 4);
    memcpy(t, s, max - 3);
    strcpy(t + max - 3, "...");
    return t;
}

static void print_packages(FILE *out, const brig_scan_result *r) {
    const brig_pkglist *l = &r->inv->pkgs;
    size_t w[4] = { 4, 4, 7, 5 };   /* TYPE NAME VERSION LAYER */
    for (size_t i = 0; i < l->n; i++) {
        w[0] = maxz(w[0], strlen(brig_pkg_type_name(l->v[i].type)));
        w[1] = maxz(w[1], strlen(l->v[i].name));
        w[2] = maxz(w[2], strlen(l->v[i].version));
    }
    fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], "TYPE", (int)w[1], "NAME", (int)w[2], "VERSION", (int)w[3], "LAYER", "PATH");
    for (size_t i = 0; i < l->n; i++) {
        const brig_pkg *p = &l->v[i];
        fprintf(out, "%-*s  %-*s  %-*s  %-*zu  %s\n", (int)w[0], brig_pkg_type_name(p->type), (int)w[1], p->name,
                (int)w[2], p->version, (int)w[3], p->layer, p->path);
    }
    fprintf(out, "\n%zu packages\n", l->n);
}

static void print_vulns(FILE *out, const brig_scan_result *r) {
    const brig_vulnlist *vl = r->vulns;
    const brig_pkglist *pl = &r->inv->pkgs;
    size_t counts[BRIG_SEV_CRITICAL + 1] = {0}, ignored = 0, total = 0;
    for (size_t i = 0; i < vl->n; i++) {
        if (vl->v[i].filtered) continue;
        if (vl->v[i].ignored) { ignored++; continue; }
        counts[vl->v[i].m.severity <= BRIG_SEV_CRITICAL ? vl->v[i].m.severity : 0]++;
        total++;
    }
    fprintf(out, "Vulnerabilities: %zu (CRITICAL: %zu, HIGH: %zu, MEDIUM: %zu, LOW: %zu, UNKNOWN: %zu)",
            total, counts[BRIG_SEV_CRITICAL], counts[BRIG_SEV_HIGH], counts[BRIG_SEV_MEDIUM], counts[BRIG_SEV_LOW],
            counts[BRIG_SEV_UNKNOWN] + counts[BRIG_SEV_INFO]);
    if (ignored) fprintf(out, ", %zu ignored", ignored);
    fputc('\n', out);
    if (!total) return;
    static const brig_pkg_type order[] = { BRIG_PKG_DPKG, BRIG_PKG_APK, BRIG_PKG_RPM, BRIG_PKG_GO, BRIG_PKG_NPM, BRIG_PKG_PYPI, BRIG_PKG_MAVEN };
    for (size_t t = 0; t < sizeof order / sizeof order[0]; t++) {
        size_t w[5] = { 7, 9, 5, 8, 2 };   /* PACKAGE INSTALLED FIXED SEVERITY ID */
        size_t rows = 0;
        for (size_t i = 0; i < vl->n; i++) {
            const brig_scan_vuln *v = &vl->v[i];
            const brig_pkg *p = &pl->v[v->pkg];
            if (v->filtered || v->ignored || p->type != order[t]) continue;
            rows++;
            w[0] = maxz(w[0], strlen(p->name));
            w[1] = maxz(w[1], strlen(p->version));
            w[2] = maxz(w[2], strlen(v->m.fixed_version ? v->m.fixed_version : "-"));
            w[4] = maxz(w[4], strlen(v->m.id ? v->m.id : ""));
        }
        if (!rows) continue;
        fprintf(out, "\n%s\n", brig_pkg_type_name(order[t]));
        fprintf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], "PACKAGE", (int)w[1], "INSTALLED", (int)w[2], "FIXED",
                (int)w[3], "SEVERITY", (int)w[4], "ID", "TITLE");
        size_t prev = (size_t)-1;
        for (size_t i = 0; i < vl->n; i++) {
            const brig_scan_vuln *v = &vl->v[i];
            const brig_pkg *p = &pl->v[v->pkg];
            if (v->filtered || v->ignored || p->type != order[t]) continue;
            int first = v->pkg != prev;
            prev = v->pkg;
            /* secdb records have no summary: the advisory URL is the next best thing */
            const char *t = v->m.summary && *v->m.summary ? v->m.summary : v->m.url;
            char *title = clip(t, TITLE_MAX);
            const char *col = sev_color(v->m.severity, r->color);
            fprintf(out, "%-*s  %-*s  %-*s  %s%-*s%s  %-*s  %s\n", (int)w[0], first ? p->name : "",
                    (int)w[1], first ? p->version : "", (int)w[2], v->m.fixed_version ? v->m.fixed_version : "-",
                    col, (int)w[3], brig_severity_name(v->m.severity), *col ? "\033[0m" : "",
                    (int)w[4], v->m.id ? v->m.id : "", title);
            if (first && p->type != BRIG_PKG_DPKG && p->type != BRIG_PKG_APK && p->type != BRIG_PKG_RPM)
                fprintf(out, "%-*s    in %s\n", (int)w[0], "", p->path);
            free(title);
        }
    }
}

int brig_scan_write_table(FILE *out, const brig_scan_result *r) {
    fprintf(out, "Target: %s", r->target ? r->target : "-");
    if (r->inv && r->inv->os.id)
        fprintf(out, " (%s %s)", r->inv->os.id, r->inv->os.version_id ? r->inv->os.version_id : "");
    fputc('\n', out);
    if (r->inv) {
        if (r->packages_only) print_packages(out, r);
        else fprintf(out, "Packages: %zu\n", r->inv->pkgs.n);
        if (r->inv->n_warnings) fprintf(out, "Warnings: %zu (printed on stderr)\n", r->inv->n_warnings);
    }
    if (r->vulns && r->inv) print_vulns(out, r);
    if (r->secrets) {
        fprintf(out, "\nSecrets: %zu\n", r->secrets->n);
        if (r->secrets->n) brig_findings_write(out, BRIG_FMT_TABLE, r->secrets, "scan");
    }
    if (r->misconfig) {
        fprintf(out, "\nMisconfigurations: %zu\n", r->misconfig->n);
        if (r->misconfig->n) brig_findings_write(out, BRIG_FMT_TABLE, r->misconfig, "scan");
    }
    if (fflush(out) || ferror(out)) return brig_fail_errno(BRIG_EXIT_SYSTEM, "could not write the report");
    return 0;
}
