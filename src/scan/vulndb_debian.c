/* Debian security tracker JSON (https://security-tracker.debian.org/tracker/data/json):
 *   { source-package: { CVE-ID: { description, scope, debianbug,
 *       releases: { codename: { status, fixed_version, urgency, repositories } } } } }
 * status "resolved" + fixed_version: versions below it are affected
 * (fixed_version "0" = never affected); "open"/"undetermined": affected, no
 * fix yet.  urgency "unimportant" is kept at severity INFO (negligible) so
 * users can filter it, like other scanners do. */
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static int urgency_sev(const char *u) {
    if (!u) return BRIG_SEV_UNKNOWN;
    size_t n = strcspn(u, "*");   /* "low**" = not yet confirmed */
    if (n == 3 && !strncmp(u, "low", 3)) return BRIG_SEV_LOW;
    if (n == 6 && !strncmp(u, "medium", 6)) return BRIG_SEV_MEDIUM;
    if (n == 4 && !strncmp(u, "high", 4)) return BRIG_SEV_HIGH;
    if (n == 11 && !strncmp(u, "unimportant", 11)) return BRIG_SEV_INFO;
    return BRIG_SEV_UNKNOWN;
}

int brig_debian_import(brig_importer *im, const char *name, const json_t *doc) {
    const char *src;
    json_t *cves;
    int rc = 0;
    json_object_foreach((json_t *)doc, src, cves) {
        if (!json_is_object(cves) || strlen(src) > 256) {
            rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: Debian tracker: package '%.64s' must map to an object of CVEs", name, src));
            if (rc) return rc;
            continue;
        }
        const char *id;
        json_t *c;
        json_object_foreach(cves, id, c) {
            json_t *rels = json_object_get(c, "releases");
            if (!json_is_object(c) || !json_is_object(rels) || strlen(id) > 256) {
                rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: Debian tracker: %s/%.64s needs a 'releases' object", name, src, id));
                if (rc) return rc;
                continue;
            }
            const char *desc = brig_json_str(c, "description");
            char *url = xasprintf("https://security-tracker.debian.org/tracker/%s", id);
            rc = brig_imp_vuln(im, id, desc, BRIG_SEV_UNKNOWN, 0, url, NULL);
            free(url);
            if (rc) return rc;
            const char *rel;
            json_t *r;
            json_object_foreach(rels, rel, r) {
                const char *status = brig_json_str(r, "status");
                const char *fixed = brig_json_str(r, "fixed_version");
                if (!status) continue;
                brig_aff_row row = { .vuln_id = id, .eco = BRIG_ECO_DEBIAN, .distro = rel, .pkg = src,
                                     .introduced = "0", .severity = urgency_sev(brig_json_str(r, "urgency")) };
                if (!strcmp(status, "resolved")) {
                    if (!fixed || !strcmp(fixed, "0") || strlen(fixed) > 256) continue;   /* not affected */
                    row.fixed = fixed;
                } else if (strcmp(status, "open") != 0 && strcmp(status, "undetermined") != 0) {
                    continue;
                }
                if ((rc = brig_imp_affected(im, &row))) return rc;
            }
            im->records++;
        }
    }
    return 0;
}
