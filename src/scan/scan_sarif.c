/* SARIF 2.1.0 for `brig scan`: one rule per vulnerability ID (security-severity
 * = CVSS score when known), results located at the file the package was read
 * from; secrets and misconfigurations join the same run. */
#include "scan/scan_report.h"
#include "report/sarif.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static void add_findings(brig_sarif *s, const brig_findings *fs) {
    for (size_t i = 0; fs && i < fs->n; i++) {
        const brig_finding *f = &fs->v[i];
        size_t rule = brig_sarif_rule(s, f->rule_id, f->title, f->rationale, f->fix, f->help_uri, f->severity, -1);
        brig_sarif_result(s, rule, f->severity, f->message ? f->message : f->title, f->file, f->line, f->column, NULL);
    }
}

json_t *brig_scan_sarif(const brig_scan_result *r) {
    brig_sarif *s = brig_sarif_new("scan");
    if (r->vulns && r->inv) {
        for (size_t i = 0; i < r->vulns->n; i++) {
            const brig_scan_vuln *v = &r->vulns->v[i];
            if (v->filtered || v->ignored) continue;
            const brig_pkg *p = &r->inv->pkgs.v[v->pkg];
            const char *id = v->m.id ? v->m.id : "UNKNOWN";
            char *fix = v->m.fixed_version ? xasprintf("Upgrade %s to %s or later", p->name, v->m.fixed_version) : NULL;
            size_t rule = brig_sarif_rule(s, id, v->m.summary ? v->m.summary : id, v->m.summary, fix, v->m.url,
                                          v->m.severity, v->m.cvss_score > 0 ? v->m.cvss_score : -1);
            char *msg = xasprintf("Package %s %s (%s) is affected by %s%s%s%s", p->name, p->version,
                                  brig_pkg_type_name(p->type), id,
                                  v->m.fixed_version ? "; fixed in " : "; no fix available",
                                  v->m.fixed_version ? v->m.fixed_version : "", "");
            json_t *props = json_object();
            json_object_set_new(props, "purl", json_string(p->purl ? p->purl : ""));
            json_object_set_new(props, "installedVersion", json_string(p->version));
            if (v->m.fixed_version) json_object_set_new(props, "fixedVersion", json_string(v->m.fixed_version));
            const char *ld = brig_scan_layer_digest(r->img, p->layer);
            if (ld) json_object_set_new(props, "layerDigest", json_string(ld));
            brig_sarif_result(s, rule, v->m.severity, msg, p->path, 0, 0, props);
            free(msg); free(fix);
        }
    }
    add_findings(s, r->secrets);
    add_findings(s, r->misconfig);
    return brig_sarif_finish(s);
}
