/* OSV schema (https://ossf.github.io/osv-schema/) record import: id, aliases,
 * summary, severity (database_specific.severity or a CVSS v3 vector),
 * affected[].package + ranges (SEMVER/ECOSYSTEM events turned into
 * intervals; GIT ranges are counted and skipped) + explicit versions. */
#include "scan/vulndb_internal.h"
#include "scan/version.h"
#include "util/err.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_STR      1024      /* ids, versions, package names */
#define MAX_EVENTS   10000
#define MAX_AFFECTED 10000

typedef struct { int kind; const char *v; } osv_event;   /* kind: 'i','f','l','m'(limit) */

static brig_ecosystem sort_eco;
static int ev_cmp(const void *pa, const void *pb) {
    const osv_event *a = pa, *b = pb;
    /* "introduced: 0" means "from the beginning" whatever the ecosystem. */
    bool az = a->kind == 'i' && !strcmp(a->v, "0"), bz = b->kind == 'i' && !strcmp(b->v, "0");
    if (az || bz) return bz - az;
    int r = brig_version_compare(sort_eco, a->v, b->v);
    if (r) return r;
    /* At the same version, close before open so "fixed X, introduced X" keeps X unaffected. */
    return (a->kind == 'i') - (b->kind == 'i');
}

static const char *str_field(const json_t *o, const char *k, size_t max) {
    const char *s = brig_json_str(o, k);
    if (s && (strlen(s) > max || !*s)) return NULL;
    return s;
}

static brig_severity sev_word(const char *s) {
    if (!s) return BRIG_SEV_UNKNOWN;
    if (!strcasecmp(s, "moderate")) return BRIG_SEV_MEDIUM;
    if (!strcasecmp(s, "important")) return BRIG_SEV_HIGH;
    if (!strcasecmp(s, "negligible") || !strcasecmp(s, "unimportant")) return BRIG_SEV_INFO;
    int v = brig_severity_parse(s);
    return v < 0 ? BRIG_SEV_UNKNOWN : (brig_severity)v;
}

static int bad(brig_importer *im, const char *name, const char *id, const char *fmt, const char *path) {
    return brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: OSV record %s: %s%s%s", name, id ? id : "(no id)",
                                      fmt, path ? " at " : "", path ? path : ""));
}

/* One range → interval rows. */
static int import_range(brig_importer *im, const char *name, const char *id, brig_ecosystem eco,
                        const char *distro, const char *pkg, const json_t *events, size_t ai, size_t ri,
                        int sev_override) {
    size_t n = json_array_size(events);
    if (!json_is_array(events) || n == 0 || n > MAX_EVENTS) {
        char where[128];
        snprintf(where, sizeof where, "affected[%zu].ranges[%zu].events", ai, ri);
        return bad(im, name, id, "events must be a non-empty array (at most 10000)", where);
    }
    osv_event *ev = xcalloc(n, sizeof *ev);
    size_t k = 0;
    const char *limit = NULL;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(events, i);
        const char *v;
        int kind = 0;
        if (!json_is_object(e) || json_object_size(e) != 1) kind = 0;
        else if ((v = str_field(e, "introduced", MAX_STR))) kind = 'i';
        else if ((v = str_field(e, "fixed", MAX_STR))) kind = 'f';
        else if ((v = str_field(e, "last_affected", MAX_STR))) kind = 'l';
        else if ((v = str_field(e, "limit", MAX_STR))) kind = 'm';
        if (!kind) {
            free(ev);
            char where[128];
            snprintf(where, sizeof where, "affected[%zu].ranges[%zu].events[%zu]", ai, ri, i);
            return bad(im, name, id, "event must be one of introduced/fixed/last_affected/limit with a version string", where);
        }
        if (kind == 'm') { if (strcmp(v, "*") != 0) limit = v; continue; }
        ev[k].kind = kind; ev[k].v = v; k++;
    }
    sort_eco = eco;
    if (k > 1) qsort(ev, k, sizeof *ev, ev_cmp);
    int rc = 0;
    const char *open = NULL;
    for (size_t i = 0; i < k && !rc; i++) {
        if (ev[i].kind == 'i') { if (!open) open = ev[i].v; continue; }
        if (!open) continue;      /* a fix with nothing open: nothing to record */
        brig_aff_row r = { .vuln_id = id, .eco = eco, .distro = distro, .pkg = pkg, .introduced = open,
                           .fixed = ev[i].kind == 'f' ? ev[i].v : NULL,
                           .last_affected = ev[i].kind == 'l' ? ev[i].v : NULL, .limit = limit,
                           .severity = sev_override };
        rc = brig_imp_affected(im, &r);
        open = NULL;
    }
    if (!rc && open) {
        brig_aff_row r = { .vuln_id = id, .eco = eco, .distro = distro, .pkg = pkg, .introduced = open,
                           .limit = limit, .severity = sev_override };
        rc = brig_imp_affected(im, &r);
    }
    free(ev);
    return rc;
}

static int import_affected(brig_importer *im, const char *name, const char *id, const json_t *a, size_t ai) {
    char where[128];
    snprintf(where, sizeof where, "affected[%zu]", ai);
    json_t *pk = json_object_get(a, "package");
    if (!json_is_object(a)) return bad(im, name, id, "affected entry must be an object", where);
    if (!pk) return 0;    /* affected without a package (e.g. only GIT ranges of a repo) */
    const char *ecs = str_field(pk, "ecosystem", MAX_STR), *pname = str_field(pk, "name", MAX_STR);
    if (!json_is_object(pk) || !ecs || !pname)
        return bad(im, name, id, "package needs string 'ecosystem' and 'name'", where);
    brig_ecosystem eco = brig_ecosystem_parse(ecs);
    if (eco == BRIG_ECO_UNKNOWN) return 0;     /* an ecosystem brig does not scan (crates.io, NuGet, ...) */
    const char *colon = strchr(ecs, ':');
    const char *distro = colon ? colon + 1 : NULL;
    int sev_override = -1;
    json_t *es = json_object_get(a, "ecosystem_specific");
    if (json_is_object(es) && json_is_string(json_object_get(es, "severity"))) {
        brig_severity s = sev_word(brig_json_str(es, "severity"));
        if (s != BRIG_SEV_UNKNOWN) sev_override = (int)s;
    }
    /* OSV 1.5+: a per-package CVSS vector overrides the record-level one. */
    json_t *asv = json_object_get(a, "severity");
    for (size_t i = 0; i < json_array_size(asv) && sev_override < 0; i++) {
        json_t *s = json_array_get(asv, i);
        const char *t = brig_json_str(s, "type"), *vec = brig_json_str(s, "score");
        double sc = t && vec && !strcmp(t, "CVSS_V3") ? brig_cvss3_score(vec) : -1;
        if (sc >= 0) sev_override = (int)brig_cvss_severity(sc);
    }
    json_t *ranges = json_object_get(a, "ranges");
    if (ranges && !json_is_array(ranges)) return bad(im, name, id, "ranges must be an array", where);
    int rc = 0;
    for (size_t ri = 0; ri < json_array_size(ranges) && !rc; ri++) {
        json_t *r = json_array_get(ranges, ri);
        const char *type = json_is_object(r) ? brig_json_str(r, "type") : NULL;
        if (!type) {
            char w2[128];
            snprintf(w2, sizeof w2, "affected[%zu].ranges[%zu]", ai, ri);
            return bad(im, name, id, "range needs a string 'type'", w2);
        }
        if (!strcmp(type, "GIT")) { im->git_ranges++; continue; }
        if (strcmp(type, "SEMVER") != 0 && strcmp(type, "ECOSYSTEM") != 0) { im->git_ranges++; continue; }
        rc = import_range(im, name, id, eco, distro, pname, json_object_get(r, "events"), ai, ri, sev_override);
    }
    json_t *vers = json_object_get(a, "versions");
    if (!rc && json_is_array(vers) && json_array_size(vers)) {
        strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < json_array_size(vers); i++) {
            const char *v = json_string_value(json_array_get(vers, i));
            if (!v || !*v || strlen(v) > MAX_STR || strchr(v, '\n')) continue;
            if (sb.len) sb_addc(&sb, '\n');
            sb_adds(&sb, v);
        }
        if (sb.len) {
            brig_aff_row r = { .vuln_id = id, .eco = eco, .distro = distro, .pkg = pname, .versions = sb.buf,
                               .severity = sev_override };
            rc = brig_imp_affected(im, &r);
        }
        sb_free(&sb);
    }
    return rc;
}

static char *pick_url(const json_t *rec, const char *id) {
    json_t *ds = json_object_get(rec, "database_specific");
    const char *u = json_is_object(ds) ? brig_json_str(ds, "url") : NULL;
    if (u) return xstrdup(u);
    json_t *refs = json_object_get(rec, "references");
    const char *first = NULL;
    for (size_t i = 0; i < json_array_size(refs); i++) {
        json_t *r = json_array_get(refs, i);
        const char *t = brig_json_str(r, "type"), *url = brig_json_str(r, "url");
        if (!url) continue;
        if (t && !strcmp(t, "ADVISORY")) return xstrdup(url);
        if (!first) first = url;
    }
    if (!strncmp(id, "GHSA-", 5)) return xasprintf("https://github.com/advisories/%s", id);
    if (!strncmp(id, "CVE-", 4)) return xasprintf("https://nvd.nist.gov/vuln/detail/%s", id);
    return first ? xstrdup(first) : xasprintf("https://osv.dev/vulnerability/%s", id);
}

int brig_osv_import_record(brig_importer *im, const char *name, const json_t *rec) {
    const char *id = str_field(rec, "id", 256);
    if (!id) return bad(im, name, NULL, "'id' must be a non-empty string of at most 256 bytes", NULL);
    json_t *aff = json_object_get(rec, "affected");
    if (aff && (!json_is_array(aff) || json_array_size(aff) > MAX_AFFECTED))
        return bad(im, name, id, "'affected' must be an array (at most 10000 entries)", NULL);
    json_t *aliases = json_object_get(rec, "aliases");
    if (aliases && !json_is_array(aliases)) return bad(im, name, id, "'aliases' must be an array", NULL);
    /* A withdrawn record no longer describes a vulnerability. */
    if (brig_json_str(rec, "withdrawn")) { im->records++; return 0; }

    brig_severity sev = BRIG_SEV_UNKNOWN;
    double score = 0;
    json_t *ds = json_object_get(rec, "database_specific");
    if (json_is_object(ds)) sev = sev_word(brig_json_str(ds, "severity"));
    /* Prefer a v3 vector; fall back to v2 (v4 scoring is not implemented: such records keep
     * the database's own severity word, or UNKNOWN). */
    json_t *sv = json_object_get(rec, "severity");
    double v3 = -1, v2 = -1;
    for (size_t i = 0; i < json_array_size(sv); i++) {
        json_t *s = json_array_get(sv, i);
        const char *t = brig_json_str(s, "type"), *vec = brig_json_str(s, "score");
        if (!t || !vec) continue;
        if (!strcmp(t, "CVSS_V3")) v3 = brig_cvss3_score(vec);
        else if (!strcmp(t, "CVSS_V2")) v2 = brig_cvss2_score(vec);
    }
    if (v3 >= 0 || v2 >= 0) {
        score = v3 >= 0 ? v3 : v2;
        if (sev == BRIG_SEV_UNKNOWN) sev = v3 >= 0 ? brig_cvss_severity(v3) : brig_cvss_severity(v2 >= 7 ? 7.0 : v2);
    }
    const char *summary = brig_json_str(rec, "summary");
    char *sumbuf = NULL;
    if (!summary || !*summary) {
        const char *det = brig_json_str(rec, "details");
        if (det) {
            size_t n = strcspn(det, "\n");
            if (n > 300) n = 300;
            summary = sumbuf = xstrndup(det, n);
        }
    }
    const char *modified = brig_json_str(rec, "modified");
    /* A savepoint per record: a malformed affected[] entry found half-way
     * must not leave the record's earlier rows behind. */
    sqlite3_exec(im->db, "SAVEPOINT rec", NULL, NULL, NULL);
    char *url = pick_url(rec, id);
    int rc = brig_imp_vuln(im, id, summary, sev, score, url, modified);
    free(url);
    free(sumbuf);
    for (size_t i = 0; !rc && i < json_array_size(aliases); i++) {
        const char *a = json_string_value(json_array_get(aliases, i));
        if (a && *a && strlen(a) <= 256) rc = brig_imp_alias(im, id, a);
    }
    uint64_t skipped_before = im->skipped;
    for (size_t i = 0; !rc && i < json_array_size(aff) && im->skipped == skipped_before; i++)
        rc = import_affected(im, name, id, json_array_get(aff, i), i);
    if (rc || im->skipped != skipped_before) {
        sqlite3_exec(im->db, "ROLLBACK TO rec", NULL, NULL, NULL);
        sqlite3_exec(im->db, "RELEASE rec", NULL, NULL, NULL);
        return rc;
    }
    sqlite3_exec(im->db, "RELEASE rec", NULL, NULL, NULL);
    /* golang/vulndb writes "modified": "0001-01-01T00:00:00Z"; "published" is real there. */
    brig_imp_date(im, modified);
    brig_imp_date(im, brig_json_str(rec, "published"));
    im->records++;
    return 0;
}
