/* `brig scan` output: JSON document, human table, and format dispatch. */
#include "scan/scan_report.h"
#include "scan/sbom_write.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#pragma weak brig_image_kind_name   /* image area may be left out of a build: callers check brig_image_open first */

const char *brig_scan_layer_digest(const brig_image *img, size_t layer) {
    if (!img || layer >= img->n_layers) return NULL;
    return img->layers[layer].diff_id ? img->layers[layer].diff_id : img->layers[layer].digest;
}

static void set_str(json_t *o, const char *k, const char *v) {
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static json_t *layer_json(const brig_image *img, size_t layer) {
    json_t *l = json_object();
    json_object_set_new(l, "index", json_integer((json_int_t)layer));
    set_str(l, "digest", img && layer < img->n_layers ? img->layers[layer].digest : NULL);
    set_str(l, "diff_id", img && layer < img->n_layers ? img->layers[layer].diff_id : NULL);
    return l;
}

static json_t *pkg_json(const brig_scan_result *r, const brig_pkg *p) {
    json_t *o = json_object();
    set_str(o, "name", p->name);
    set_str(o, "version", p->version);
    set_str(o, "type", brig_pkg_type_name(p->type));
    set_str(o, "ecosystem", brig_ecosystem_name(brig_pkg_ecosystem(p->type)));
    if (p->src_name) set_str(o, "src_name", p->src_name);
    if (p->src_version) set_str(o, "src_version", p->src_version);
    if (p->arch) set_str(o, "arch", p->arch);
    json_t *l = json_array();
    for (size_t i = 0; i < p->n_licenses; i++) json_array_append_new(l, json_string(p->licenses[i]));
    json_object_set_new(o, "licenses", l);
    set_str(o, "purl", p->purl);
    set_str(o, "path", p->path);
    json_object_set_new(o, "layer", layer_json(r->img, p->layer));
    return o;
}

static json_t *findings_json(const brig_findings *fs) {
    json_t *a = json_array();
    for (size_t i = 0; i < fs->n; i++) json_array_append_new(a, brig_finding_json(&fs->v[i]));
    return a;
}

json_t *brig_scan_json(const brig_scan_result *r) {
    json_t *doc = json_object();
    json_object_set_new(doc, "schema_version", json_integer(1));
    set_str(doc, "tool", "brig");
    set_str(doc, "target", r->target);
    if (r->img) {
        set_str(doc, "kind", brig_image_kind_name(r->img->kind));
        set_str(doc, "manifest_digest", r->img->manifest_digest);
        json_t *ls = json_array();
        for (size_t i = 0; i < r->img->n_layers; i++) json_array_append_new(ls, layer_json(r->img, i));
        json_object_set_new(doc, "layers", ls);
    }
    if (r->inv) {
        json_t *os = json_object();
        set_str(os, "id", r->inv->os.id);
        set_str(os, "version_id", r->inv->os.version_id);
        set_str(os, "codename", r->inv->os.codename);
        set_str(os, "pretty_name", r->inv->os.pretty);
        json_object_set_new(doc, "os", os);
        json_t *pk = json_array();
        for (size_t i = 0; i < r->inv->pkgs.n; i++) json_array_append_new(pk, pkg_json(r, &r->inv->pkgs.v[i]));
        json_object_set_new(doc, "packages", pk);
        json_t *w = json_array();
        for (size_t i = 0; i < r->inv->n_warnings; i++) json_array_append_new(w, json_string(r->inv->warnings[i]));
        json_object_set_new(doc, "warnings", w);
    }
    json_t *summary = json_object();
    if (r->vulns && r->inv) {
        json_t *va = json_array();
        size_t counts[BRIG_SEV_CRITICAL + 1] = {0}, ignored = 0;
        for (size_t i = 0; i < r->vulns->n; i++) {
            const brig_scan_vuln *v = &r->vulns->v[i];
            if (v->filtered) continue;
            const brig_pkg *p = &r->inv->pkgs.v[v->pkg];
            json_t *o = json_object();
            set_str(o, "id", v->m.id);
            json_t *al = json_array();
            for (size_t k = 0; k < v->m.n_aliases; k++) json_array_append_new(al, json_string(v->m.aliases[k]));
            json_object_set_new(o, "aliases", al);
            set_str(o, "package", p->name);
            set_str(o, "package_type", brig_pkg_type_name(p->type));
            set_str(o, "installed_version", p->version);
            if (p->src_name) set_str(o, "src_name", p->src_name);
            set_str(o, "fixed_version", v->m.fixed_version);
            set_str(o, "severity", brig_severity_name(v->m.severity));
            if (v->m.cvss_score > 0) json_object_set_new(o, "cvss_score", json_real(v->m.cvss_score));
            else json_object_set_new(o, "cvss_score", json_null());
            set_str(o, "title", v->m.summary);
            set_str(o, "affected", v->m.affected);
            set_str(o, "source", v->m.source);
            set_str(o, "url", v->m.url);
            set_str(o, "purl", p->purl);
            set_str(o, "target", p->path);
            json_object_set_new(o, "layer", layer_json(r->img, p->layer));
            json_object_set_new(o, "ignored", json_boolean(v->ignored));
            json_array_append_new(va, o);
            if (v->ignored) ignored++;
            else counts[v->m.severity <= BRIG_SEV_CRITICAL ? v->m.severity : 0]++;
        }
        json_object_set_new(doc, "vulnerabilities", va);
        json_t *vs = json_object();
        size_t tot = 0;
        for (int s = BRIG_SEV_CRITICAL; s >= BRIG_SEV_UNKNOWN; s--) {
            json_object_set_new(vs, brig_severity_name((brig_severity)s), json_integer((json_int_t)counts[s]));
            tot += counts[s];
        }
        json_object_set_new(vs, "total", json_integer((json_int_t)tot));
        json_object_set_new(vs, "ignored", json_integer((json_int_t)ignored));
        json_object_set_new(summary, "vulnerabilities", vs);
    }
    if (r->secrets) {
        json_object_set_new(doc, "secrets", findings_json(r->secrets));
        json_object_set_new(summary, "secrets", json_integer((json_int_t)r->secrets->n));
    }
    if (r->misconfig) {
        json_object_set_new(doc, "misconfigurations", findings_json(r->misconfig));
        json_object_set_new(summary, "misconfigurations", json_integer((json_int_t)r->misconfig->n));
    }
    if (r->inv) json_object_set_new(summary, "packages", json_integer((json_int_t)r->inv->pkgs.n));
    json_object_set_new(doc, "summary", summary);
    return doc;
}

static int dump(FILE *out, json_t *doc) {
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(doc);
    if (rc || fflush(out) || ferror(out)) return brig_fail_errno(BRIG_EXIT_SYSTEM, "could not write the report");
    return 0;
}

int brig_scan_write(FILE *out, brig_format fmt, const brig_scan_result *r) {
    switch (fmt) {
    case BRIG_FMT_TABLE: return brig_scan_write_table(out, r);
    case BRIG_FMT_JSON: return dump(out, brig_scan_json(r));
    case BRIG_FMT_SARIF: return dump(out, brig_scan_sarif(r));
    case BRIG_FMT_CYCLONEDX:
        if (!r->inv) return brig_fail(BRIG_EXIT_USAGE, "CycloneDX output needs a package inventory (an image target)");
        return dump(out, brig_sbom_cyclonedx(r->img, r->target, r->inv, r->vulns));
    case BRIG_FMT_SPDX:
        if (!r->inv) return brig_fail(BRIG_EXIT_USAGE, "SPDX output needs a package inventory (an image target)");
        return dump(out, brig_sbom_spdx(r->img, r->target, r->inv));
    }
    return brig_fail(BRIG_EXIT_USAGE, "unknown output format");
}

int brig_scan_write_path(const char *path, brig_format fmt, const brig_scan_result *r, const char *what) {
    if (!path || !strcmp(path, "-")) return brig_scan_write(stdout, fmt, r);
    /* Rendered in memory, then replaced by fileio's one temp-file-and-rename
     * (O_EXCL name beside the target), with the mode fopen would give. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot render the %s", path, what);
    int rc = brig_scan_write(f, fmt, r);
    if (fclose(f) && !rc) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot render the %s", path, what);
    mode_t um = umask(0);
    umask(um);
    if (!rc) rc = brig_write_file_replace(path, buf, len, (int)(0666 & ~um));
    free(buf);
    return rc;
}
