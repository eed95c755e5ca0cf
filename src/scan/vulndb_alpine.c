/* Alpine secdb (https://secdb.alpinelinux.org/vX.Y/{main,community}.json):
 * packages[].pkg.secfixes maps a fixed apk version to the IDs it fixes; a
 * version below it (apk order) is affected.  "0" means the distribution never
 * shipped a vulnerable build.  One key may list several IDs ("CVE-1 CVE-2"). */
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static int bad(brig_importer *im, const char *name, const char *what, size_t i) {
    return brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: Alpine secdb: %s at packages[%zu]", name, what, i));
}

static int import_ids(brig_importer *im, const char *distro, const char *pkg, const char *fixed, const char *ids) {
    char *copy = xstrdup(ids), *save = NULL;
    int rc = 0;
    for (char *id = strtok_r(copy, " \t,", &save); id && !rc; id = strtok_r(NULL, " \t,", &save)) {
        if (strlen(id) > 256) continue;
        char *url = !strncmp(id, "CVE-", 4) ? xasprintf("https://security.alpinelinux.org/vuln/%s", id) : NULL;
        rc = brig_imp_vuln(im, id, NULL, BRIG_SEV_UNKNOWN, 0, url, NULL);
        free(url);
        if (rc) break;
        brig_aff_row r = { .vuln_id = id, .eco = BRIG_ECO_ALPINE, .distro = distro, .pkg = pkg,
                           .introduced = "0", .fixed = fixed, .severity = -1 };
        rc = brig_imp_affected(im, &r);
        if (!rc) im->records++;
    }
    free(copy);
    return rc;
}

int brig_alpine_import(brig_importer *im, const char *name, const json_t *doc) {
    const char *distro = brig_json_str(doc, "distroversion");
    json_t *pkgs = json_object_get(doc, "packages");
    /* Real secdb files say "packages": null for a repository without fixes. */
    if (json_is_null(pkgs)) return 0;
    if (!distro || !json_is_array(pkgs))
        return brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: Alpine secdb needs string 'distroversion' and array 'packages'", name));
    int rc = 0;
    for (size_t i = 0; i < json_array_size(pkgs) && !rc; i++) {
        json_t *p = json_object_get(json_array_get(pkgs, i), "pkg");
        const char *pname = json_is_object(p) ? brig_json_str(p, "name") : NULL;
        if (!pname || !*pname || strlen(pname) > 256) { rc = bad(im, name, "entry needs pkg.name", i); continue; }
        json_t *fixes = json_object_get(p, "secfixes");
        if (!fixes) continue;
        if (!json_is_object(fixes)) { rc = bad(im, name, "pkg.secfixes must be an object", i); continue; }
        const char *ver;
        json_t *ids;
        json_object_foreach(fixes, ver, ids) {
            if (json_is_null(ids)) continue;     /* seen in real data: a version with no IDs */
            if (!json_is_array(ids)) { rc = bad(im, name, "secfixes values must be arrays of IDs", i); break; }
            /* "0": never vulnerable in this release; nothing to record. */
            if (!strcmp(ver, "0") || strlen(ver) > 256) continue;
            for (size_t k = 0; k < json_array_size(ids) && !rc; k++) {
                const char *s = json_string_value(json_array_get(ids, k));
                if (s) rc = import_ids(im, distro, pname, ver, s);
            }
            if (rc) break;
        }
    }
    return rc;
}
