/* npm: package-lock.json / npm-shrinkwrap.json (lockfileVersion 1-3) and the
 * package.json of installed packages under node_modules. */
#include "scan/pkg_parsers.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static void add_license(brig_pkg *p, json_t *lic) {
    if (json_is_string(lic)) brig_pkg_add_license(p, json_string_value(lic));
    else if (json_is_object(lic)) brig_pkg_add_license(p, brig_json_str(lic, "type"));
    else if (json_is_array(lic)) {   /* old "licenses": [{type, url}] */
        size_t i; json_t *e;
        json_array_foreach(lic, i, e) { if (i >= 16) break; add_license(p, e); }
    }
}

static int add(const char *file, const char *name, json_t *ent, size_t layer, brig_pkglist *out) {
    const char *ver = brig_json_str(ent, "version");
    if (!name || !*name || !ver || !*ver) return 0;
    /* "version": "file:../x" / git URLs are not registry versions */
    if (strchr(ver, ':') || strchr(ver, '/')) return 0;
    if (out->n >= BRIG_PKG_MAX_RECORDS)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d packages; refusing an implausibly large lockfile", file, BRIG_PKG_MAX_RECORDS);
    brig_pkg *p = brig_pkglist_add(out, BRIG_PKG_NPM, name, ver, file, layer);
    add_license(p, json_object_get(ent, "license"));
    return 0;
}

/* v1: "dependencies": { name: { version, dev, dependencies: {...} } } */
static int walk_v1(const char *file, json_t *deps, int depth, size_t layer, brig_pkglist *out) {
    if (!json_is_object(deps)) return 0;
    if (depth > BRIG_PKG_MAX_DEPTH)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: dependencies nested deeper than %d levels; refusing", file, BRIG_PKG_MAX_DEPTH);
    const char *k; json_t *v; int rc;
    json_object_foreach(deps, k, v) {
        if (!json_is_object(v)) continue;
        if (json_is_true(json_object_get(v, "dev"))) continue;   /* as Trivy: dev deps are not shipped */
        if ((rc = add(file, k, v, layer, out))) return rc;
        if ((rc = walk_v1(file, json_object_get(v, "dependencies"), depth + 1, layer, out))) return rc;
    }
    return 0;
}

int brig_pkg_parse_npm_lock(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out) {
    json_t *j;
    int rc = brig_json_parse(name, buf, len, &j);
    if (rc) return rc;
    if (!json_is_object(j)) { json_decref(j); return brig_fail(BRIG_EXIT_INPUT, "%s:1:1: a package-lock must be a JSON object", name); }
    json_t *lv = json_object_get(j, "lockfileVersion");
    json_int_t ver = json_is_integer(lv) ? json_integer_value(lv) : 1;
    json_t *pkgs = json_object_get(j, "packages");
    if (ver >= 2 && json_is_object(pkgs)) {
        /* v2/v3: keys are install paths "node_modules/a/node_modules/@s/b" */
        const char *k; json_t *v;
        json_object_foreach(pkgs, k, v) {
            if (!*k || !json_is_object(v)) continue;                 /* "" is the project itself */
            if (json_is_true(json_object_get(v, "link"))) continue;   /* symlink to a workspace dir */
            if (json_is_true(json_object_get(v, "dev"))) continue;
            const char *nm = brig_json_str(v, "name");   /* aliases: "name" is the real package */
            const char *last = NULL;
            for (const char *p = k; (p = strstr(p, "node_modules/")); p += 13) last = p + 13;
            if (!nm) nm = last;
            if (!nm) continue;                           /* workspace folder without a name */
            if ((rc = add(name, nm, v, layer, out))) break;
        }
    } else if (ver > 3 || ver < 1) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s:1:1: lockfileVersion %lld is not supported (1-3 are)", name, (long long)ver);
    } else {
        rc = walk_v1(name, json_object_get(j, "dependencies"), 0, layer, out);
    }
    json_decref(j);
    return rc;
}

int brig_pkg_parse_npm_package(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out) {
    json_t *j;
    int rc = brig_json_parse(name, buf, len, &j);
    if (rc) return rc;
    if (json_is_object(j)) {
        const char *nm = brig_json_str(j, "name");
        if (nm && brig_json_str(j, "version")) {
            size_t before = out->n;
            rc = add(name, nm, j, layer, out);
            if (!rc && out->n > before && !out->v[out->n - 1].n_licenses)
                add_license(&out->v[out->n - 1], json_object_get(j, "licenses"));
        }
    }
    json_decref(j);
    return rc;
}
