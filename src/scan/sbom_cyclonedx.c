/* CycloneDX 1.5 JSON: the image as metadata.component (type container), the OS
 * and every package as components with PURLs, licenses and where they were
 * found, and optionally the vulnerabilities affecting them. */
#include "scan/sbom_write.h"
#include "scan/sbom_license.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#pragma weak brig_image_kind_name   /* image area may be left out of a build */

#ifndef BRIG_VERSION
#define BRIG_VERSION "0.0.0"
#endif

static void prop(json_t *arr, const char *name, const char *value) {
    if (!value) return;
    json_t *p = json_object();
    json_object_set_new(p, "name", json_string(name));
    json_object_set_new(p, "value", json_string(value));
    json_array_append_new(arr, p);
}

static const char *cdx_severity(brig_severity s) {
    switch (s) {
    case BRIG_SEV_CRITICAL: return "critical";
    case BRIG_SEV_HIGH: return "high";
    case BRIG_SEV_MEDIUM: return "medium";
    case BRIG_SEV_LOW: return "low";
    case BRIG_SEV_INFO: return "info";
    default: return "unknown";
    }
}

static json_t *component(const brig_image *img, const brig_pkg *p, const char *ref) {
    json_t *c = json_object();
    json_object_set_new(c, "bom-ref", json_string(ref));
    json_object_set_new(c, "type", json_string("library"));
    const char *name = p->name;
    if (p->type == BRIG_PKG_MAVEN && p->group) {
        json_object_set_new(c, "group", json_string(p->group));
        const char *colon = strchr(p->name, ':');
        if (colon) name = colon + 1;
    } else if (p->type == BRIG_PKG_NPM && p->name[0] == '@' && strchr(p->name, '/')) {
        const char *slash = strchr(p->name, '/');
        json_object_set_new(c, "group", json_stringn(p->name, (size_t)(slash - p->name)));
        name = slash + 1;
    }
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "version", json_string(p->version));
    if (p->n_licenses) {
        json_t *ls = json_array();
        for (size_t i = 0; i < p->n_licenses; i++) {
            json_t *l = json_object(), *w = json_object();
            const char *id = brig_spdx_id(p->licenses[i]);
            json_object_set_new(l, id ? "id" : "name", json_string(id ? id : p->licenses[i]));
            json_object_set_new(w, "license", l);
            json_array_append_new(ls, w);
        }
        json_object_set_new(c, "licenses", ls);
    }
    if (p->purl) json_object_set_new(c, "purl", json_string(p->purl));
    json_t *props = json_array();
    prop(props, "brig:package:type", brig_pkg_type_name(p->type));
    prop(props, "brig:package:path", p->path);
    prop(props, "brig:package:src_name", p->src_name);
    prop(props, "brig:package:src_version", p->src_version);
    char idx[32];
    snprintf(idx, sizeof idx, "%zu", p->layer);
    prop(props, "brig:layer:index", idx);
    if (img && p->layer < img->n_layers) {
        prop(props, "brig:layer:digest", img->layers[p->layer].digest);
        prop(props, "brig:layer:diff_id", img->layers[p->layer].diff_id);
    }
    json_object_set_new(c, "properties", props);
    return c;
}

json_t *brig_sbom_cyclonedx(const brig_image *img, const char *target, const brig_inventory *inv,
                            const brig_vulnlist *vulns) {
    char uuid[37], ts[21];
    brig_sbom_uuid(uuid);
    brig_sbom_timestamp(ts);
    json_t *doc = json_object();
    json_object_set_new(doc, "$schema", json_string("http://cyclonedx.org/schema/bom-1.5.schema.json"));
    json_object_set_new(doc, "bomFormat", json_string("CycloneDX"));
    json_object_set_new(doc, "specVersion", json_string("1.5"));
    char *serial = xasprintf("urn:uuid:%s", uuid);
    json_object_set_new(doc, "serialNumber", json_string(serial));
    free(serial);
    json_object_set_new(doc, "version", json_integer(1));

    json_t *meta = json_object();
    json_object_set_new(meta, "timestamp", json_string(ts));
    json_t *tool = json_object();
    json_object_set_new(tool, "type", json_string("application"));
    json_object_set_new(tool, "name", json_string("brig"));
    json_object_set_new(tool, "version", json_string(BRIG_VERSION));
    json_t *tools = json_object(), *tcs = json_array();
    json_array_append_new(tcs, tool);
    json_object_set_new(tools, "components", tcs);
    json_object_set_new(meta, "tools", tools);
    const char *root_ref = "brig:image";
    json_t *root = json_object();
    json_object_set_new(root, "bom-ref", json_string(root_ref));
    json_object_set_new(root, "type", json_string("container"));
    json_object_set_new(root, "name", json_string(target ? target : "image"));
    if (img && img->manifest_digest) json_object_set_new(root, "version", json_string(img->manifest_digest));
    json_t *rprops = json_array();
    if (img) {
        prop(rprops, "brig:image:kind", brig_image_kind_name(img->kind));
        prop(rprops, "brig:image:config_digest", img->config_digest);
        prop(rprops, "brig:image:os", img->os);
        prop(rprops, "brig:image:architecture", img->arch);
    }
    if (json_array_size(rprops)) json_object_set_new(root, "properties", rprops);
    else json_decref(rprops);
    json_object_set_new(meta, "component", root);
    json_object_set_new(doc, "metadata", meta);

    json_t *comps = json_array(), *deps_on = json_array();
    char **refs = xcalloc(inv->pkgs.n + 1, sizeof *refs);
    json_t *seen = json_object();
    if (inv->os.id) {
        json_t *os = json_object();
        json_object_set_new(os, "bom-ref", json_string("brig:os"));
        json_object_set_new(os, "type", json_string("operating-system"));
        json_object_set_new(os, "name", json_string(inv->os.id));
        if (inv->os.version_id) json_object_set_new(os, "version", json_string(inv->os.version_id));
        if (inv->os.pretty) json_object_set_new(os, "description", json_string(inv->os.pretty));
        json_array_append_new(comps, os);
        json_array_append_new(deps_on, json_string("brig:os"));
    }
    for (size_t i = 0; i < inv->pkgs.n; i++) {
        const brig_pkg *p = &inv->pkgs.v[i];
        /* bom-refs must be unique: the same purl can be installed at several paths */
        const char *base = p->purl ? p->purl : p->name;
        refs[i] = json_object_get(seen, base) ? xasprintf("%s#%zu", base, i) : xstrdup(base);
        json_object_set_new(seen, base, json_true());
        json_array_append_new(comps, component(img, p, refs[i]));
        json_array_append_new(deps_on, json_string(refs[i]));
    }
    json_decref(seen);
    json_object_set_new(doc, "components", comps);
    json_t *deps = json_array(), *d = json_object();
    json_object_set_new(d, "ref", json_string(root_ref));
    json_object_set_new(d, "dependsOn", deps_on);
    json_array_append_new(deps, d);
    json_object_set_new(doc, "dependencies", deps);

    if (vulns) {
        json_t *va = json_array();
        for (size_t i = 0; i < vulns->n; i++) {
            const brig_scan_vuln *v = &vulns->v[i];
            if (v->filtered || v->ignored || !v->m.id) continue;
            const brig_pkg *p = &inv->pkgs.v[v->pkg];
            json_t *o = json_object();
            char *vref = xasprintf("%s@%s", v->m.id, refs[v->pkg]);
            json_object_set_new(o, "bom-ref", json_string(vref));
            free(vref);
            json_object_set_new(o, "id", json_string(v->m.id));
            if (v->m.source) {
                json_t *src = json_object();
                json_object_set_new(src, "name", json_string(v->m.source));
                if (v->m.url) json_object_set_new(src, "url", json_string(v->m.url));
                json_object_set_new(o, "source", src);
            }
            json_t *rt = json_object(), *ra = json_array();
            if (v->m.cvss_score > 0) {
                json_object_set_new(rt, "score", json_real(v->m.cvss_score));
                json_object_set_new(rt, "method", json_string("other"));
            }
            json_object_set_new(rt, "severity", json_string(cdx_severity(v->m.severity)));
            json_array_append_new(ra, rt);
            json_object_set_new(o, "ratings", ra);
            if (v->m.summary) json_object_set_new(o, "description", json_string(v->m.summary));
            if (v->m.fixed_version) {
                char *rec = xasprintf("Upgrade %s to %s", p->name, v->m.fixed_version);
                json_object_set_new(o, "recommendation", json_string(rec));
                free(rec);
            }
            if (v->m.url) {
                json_t *adv = json_array(), *a = json_object();
                json_object_set_new(a, "url", json_string(v->m.url));
                json_array_append_new(adv, a);
                json_object_set_new(o, "advisories", adv);
            }
            json_t *aff = json_array(), *af = json_object(), *vers = json_array(), *ver = json_object();
            json_object_set_new(af, "ref", json_string(refs[v->pkg]));
            json_object_set_new(ver, "version", json_string(p->version));
            json_object_set_new(ver, "status", json_string("affected"));
            json_array_append_new(vers, ver);
            json_object_set_new(af, "versions", vers);
            json_array_append_new(aff, af);
            json_object_set_new(o, "affects", aff);
            json_array_append_new(va, o);
        }
        json_object_set_new(doc, "vulnerabilities", va);
    }
    for (size_t i = 0; i < inv->pkgs.n; i++) free(refs[i]);
    free(refs);
    return doc;
}
