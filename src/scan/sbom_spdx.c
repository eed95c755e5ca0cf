/* SPDX 2.3 JSON: the image as the described package, every inventoried
 * package CONTAINed by it, PURLs as PACKAGE-MANAGER external refs, declared
 * licenses as SPDX expressions (unknown names as LicenseRef-… with their text). */
#include "scan/sbom_write.h"
#include "scan/sbom_license.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#ifndef BRIG_VERSION
#define BRIG_VERSION "0.0.0"
#endif

/* jansson refuses a string that is not UTF-8 and json_object_set_new then drops
 * the field, which for a mandatory one (7.1 name, 10.2 extractedText) makes the
 * document invalid.  Metadata in another encoding (Latin-1 rpm headers) keeps
 * its ASCII, every other byte becomes '?'. */
static json_t *jstr(const char *s) {
    json_t *j = json_string(s);
    if (j || !s) return j;
    char *c = xstrdup(s);
    for (unsigned char *p = (unsigned char *)c; *p; p++) if (*p >= 0x80) *p = '?';
    j = json_string(c);
    free(c);
    return j;
}

static json_t *rel(const char *a, const char *type, const char *b) {
    json_t *r = json_object();
    json_object_set_new(r, "spdxElementId", json_string(a));
    json_object_set_new(r, "relationshipType", json_string(type));
    json_object_set_new(r, "relatedSpdxElement", json_string(b));
    return r;
}

json_t *brig_sbom_spdx(const brig_image *img, const char *target, const brig_inventory *inv) {
    char uuid[37], ts[21];
    brig_sbom_uuid(uuid);
    brig_sbom_timestamp(ts);
    const char *name = target ? target : "image";
    json_t *doc = json_object();
    json_object_set_new(doc, "spdxVersion", json_string("SPDX-2.3"));
    json_object_set_new(doc, "dataLicense", json_string("CC0-1.0"));
    json_object_set_new(doc, "SPDXID", json_string("SPDXRef-DOCUMENT"));
    json_object_set_new(doc, "name", jstr(name));
    /* documentNamespace: a unique URI per document (SPDX 2.3 §6.5) */
    strbuf ns = STRBUF_INIT;
    sb_adds(&ns, "https://spdx.org/spdxdocs/brig-");
    for (const char *p = name; *p && ns.len < 120; p++) sb_addc(&ns, isalnum((unsigned char)*p) || *p == '.' || *p == '-' ? *p : '-');
    sb_addf(&ns, "-%s", uuid);
    json_object_set_new(doc, "documentNamespace", json_string(ns.buf));
    sb_free(&ns);
    json_t *ci = json_object(), *cr = json_array();
    json_object_set_new(ci, "created", json_string(ts));
    char *tool = xasprintf("Tool: brig-%s", BRIG_VERSION);
    json_array_append_new(cr, json_string(tool));
    free(tool);
    json_object_set_new(ci, "creators", cr);
    json_object_set_new(doc, "creationInfo", ci);

    json_t *pkgs = json_array(), *rels = json_array();
    json_t *root = json_object();
    json_object_set_new(root, "SPDXID", json_string("SPDXRef-Image"));
    json_object_set_new(root, "name", jstr(name));
    if (img && img->manifest_digest) json_object_set_new(root, "versionInfo", json_string(img->manifest_digest));
    json_object_set_new(root, "downloadLocation", json_string("NOASSERTION"));
    json_object_set_new(root, "filesAnalyzed", json_false());
    json_object_set_new(root, "primaryPackagePurpose", json_string("CONTAINER"));
    if (img && img->manifest_digest && !strncmp(img->manifest_digest, "sha256:", 7)) {
        json_t *cs = json_array(), *c = json_object();
        json_object_set_new(c, "algorithm", json_string("SHA256"));
        json_object_set_new(c, "checksumValue", json_string(img->manifest_digest + 7));
        json_array_append_new(cs, c);
        json_object_set_new(root, "checksums", cs);
    }
    json_array_append_new(pkgs, root);
    json_array_append_new(rels, rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));
    if (inv->os.id) {
        json_t *os = json_object();
        json_object_set_new(os, "SPDXID", json_string("SPDXRef-OperatingSystem"));
        json_object_set_new(os, "name", jstr(inv->os.id));
        if (inv->os.version_id && *inv->os.version_id) json_object_set_new(os, "versionInfo", jstr(inv->os.version_id));
        json_object_set_new(os, "downloadLocation", json_string("NOASSERTION"));
        json_object_set_new(os, "filesAnalyzed", json_false());
        json_object_set_new(os, "primaryPackagePurpose", json_string("OPERATING-SYSTEM"));
        json_array_append_new(pkgs, os);
        json_array_append_new(rels, rel("SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem"));
    }
    char **refs = NULL, **texts = NULL; size_t n_refs = 0;
    for (size_t i = 0; i < inv->pkgs.n; i++) {
        const brig_pkg *p = &inv->pkgs.v[i];
        char id[48];
        snprintf(id, sizeof id, "SPDXRef-Package-%zu", i + 1);
        json_t *o = json_object();
        json_object_set_new(o, "SPDXID", json_string(id));
        json_object_set_new(o, "name", jstr(p->name));
        /* 7.3 is optional: an unknown version is left out rather than written as "" */
        if (p->version && *p->version) json_object_set_new(o, "versionInfo", jstr(p->version));
        json_object_set_new(o, "downloadLocation", json_string("NOASSERTION"));
        json_object_set_new(o, "filesAnalyzed", json_false());
        json_object_set_new(o, "licenseConcluded", json_string("NOASSERTION"));
        char *expr = brig_spdx_expression(p->licenses, p->n_licenses, &refs, &texts, &n_refs);
        json_object_set_new(o, "licenseDeclared", json_string(expr ? expr : "NOASSERTION"));
        free(expr);
        json_object_set_new(o, "copyrightText", json_string("NOASSERTION"));
        char *src = xasprintf("%s package found in %s (layer %zu)", brig_pkg_type_name(p->type), p->path, p->layer);
        json_object_set_new(o, "sourceInfo", jstr(src));
        free(src);
        if (p->src_name) {
            char *sv = xasprintf("%s %s", p->src_name, p->src_version ? p->src_version : p->version);
            json_object_set_new(o, "comment", jstr(sv));   /* source package */
            free(sv);
        }
        if (p->purl) {
            json_t *er = json_array(), *e = json_object();
            json_object_set_new(e, "referenceCategory", json_string("PACKAGE-MANAGER"));
            json_object_set_new(e, "referenceType", json_string("purl"));
            json_object_set_new(e, "referenceLocator", jstr(p->purl));
            json_array_append_new(er, e);
            json_object_set_new(o, "externalRefs", er);
        }
        json_object_set_new(o, "primaryPackagePurpose", json_string("LIBRARY"));
        json_array_append_new(pkgs, o);
        json_array_append_new(rels, rel("SPDXRef-Image", "CONTAINS", id));
    }
    json_object_set_new(doc, "packages", pkgs);
    json_object_set_new(doc, "relationships", rels);
    if (n_refs) {
        json_t *ex = json_array();
        for (size_t i = 0; i < n_refs; i++) {
            json_t *e = json_object();
            json_object_set_new(e, "licenseId", json_string(refs[i]));
            char *t = xasprintf("License as named by the package metadata: %s", texts[i]);
            json_object_set_new(e, "extractedText", jstr(t));
            free(t);
            /* 10.3: the name is a single line; metadata (an npm "license" string) need not be */
            char *nm = xstrdup(texts[i]);
            for (char *c = nm; *c; c++) if (*c == '\n' || *c == '\r') *c = ' ';
            json_object_set_new(e, "name", jstr(nm));
            free(nm);
            json_array_append_new(ex, e);
            free(refs[i]); free(texts[i]);
        }
        json_object_set_new(doc, "hasExtractedLicensingInfos", ex);
    }
    free(refs); free(texts);
    return doc;
}
