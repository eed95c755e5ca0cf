/* Row writers used by every format parser, the format detector and the
 * skip-or-fail policy for malformed records. */
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define MAX_WARNINGS 20

static int db_err(brig_importer *im, const char *what) {
    return brig_fail(BRIG_EXIT_SYSTEM, "database write failed (%s): %s", what, sqlite3_errmsg(im->db));
}

static void bind_text(sqlite3_stmt *st, int i, const char *s) {
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

int brig_importer_begin(brig_importer *im, sqlite3 *db, const char *source, bool strict) {
    memset(im, 0, sizeof *im);
    im->db = db;
    im->source = source;
    im->strict = strict;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO vulns(id,source,summary,severity,cvss,url,modified) VALUES(?,?,?,?,?,?,?)", -1, &im->ins_vuln, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO aliases(id,source,alias) VALUES(?,?,?)", -1, &im->ins_alias, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO affected(vuln_id,source,eco,distro,pkg,introduced,fixed,last_affected,lim,versions,severity) "
                               "VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &im->ins_aff, NULL) != SQLITE_OK) {
        int rc = brig_fail(BRIG_EXIT_SYSTEM, "cannot prepare database writes: %s", sqlite3_errmsg(db));
        brig_importer_end(im);
        return rc;
    }
    return 0;
}

void brig_importer_end(brig_importer *im) {
    sqlite3_finalize(im->ins_vuln);
    sqlite3_finalize(im->ins_alias);
    sqlite3_finalize(im->ins_aff);
    im->ins_vuln = im->ins_alias = im->ins_aff = NULL;
}

int brig_imp_vuln(brig_importer *im, const char *id, const char *summary, brig_severity sev,
                  double cvss, const char *url, const char *modified) {
    sqlite3_stmt *st = im->ins_vuln;
    sqlite3_reset(st);
    bind_text(st, 1, id);
    bind_text(st, 2, im->source);
    bind_text(st, 3, summary);
    sqlite3_bind_int(st, 4, (int)sev);
    if (cvss > 0) sqlite3_bind_double(st, 5, cvss); else sqlite3_bind_null(st, 5);
    bind_text(st, 6, url);
    bind_text(st, 7, modified);
    if (sqlite3_step(st) != SQLITE_DONE) return db_err(im, "vulnerability");
    return 0;
}

int brig_imp_alias(brig_importer *im, const char *id, const char *alias) {
    sqlite3_stmt *st = im->ins_alias;
    sqlite3_reset(st);
    bind_text(st, 1, id);
    bind_text(st, 2, im->source);
    bind_text(st, 3, alias);
    if (sqlite3_step(st) != SQLITE_DONE) return db_err(im, "alias");
    return 0;
}

int brig_imp_affected(brig_importer *im, const brig_aff_row *r) {
    sqlite3_stmt *st = im->ins_aff;
    char *distro = brig_vulndb_norm_distro(r->eco, r->distro);
    char *pkg = brig_vulndb_norm_pkg(r->eco, r->pkg);
    sqlite3_reset(st);
    bind_text(st, 1, r->vuln_id);
    bind_text(st, 2, im->source);
    sqlite3_bind_int(st, 3, (int)r->eco);
    bind_text(st, 4, distro);
    bind_text(st, 5, pkg);
    bind_text(st, 6, r->introduced);
    bind_text(st, 7, r->fixed);
    bind_text(st, 8, r->last_affected);
    bind_text(st, 9, r->limit);
    bind_text(st, 10, r->versions);
    if (r->severity >= 0) sqlite3_bind_int(st, 11, r->severity); else sqlite3_bind_null(st, 11);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_err(im, "affected package");
    free(distro);
    free(pkg);
    return rc;
}

int brig_imp_bad(brig_importer *im, int rc) {
    if (im->strict) return rc;
    im->skipped++;
    if (im->warned < MAX_WARNINGS) brig_warn("skipping malformed record: %s", brig_errmsg());
    else if (im->warned == MAX_WARNINGS) brig_warn("more malformed records; further warnings suppressed");
    im->warned++;
    brig_err_clear();
    return 0;
}

void brig_imp_date(brig_importer *im, const char *d) {
    if (!d || strlen(d) >= sizeof im->data_date || strncmp(d, "1990", 4) < 0) return;   /* placeholder dates */
    /* RFC 3339 UTC strings order lexically. */
    if (strcmp(d, im->data_date) > 0) strcpy(im->data_date, d);
}

int brig_vulndb_detect(const json_t *doc) {
    if (!json_is_object(doc)) return 0;
    if (json_object_get(doc, "distroversion") && json_object_get(doc, "packages")) return 'a';
    if (json_is_string(json_object_get(doc, "id")) &&
        (json_object_get(doc, "affected") || json_object_get(doc, "modified") || json_object_get(doc, "withdrawn")))
        return 'o';
    /* Debian tracker: { src: { CVE: { "releases": {...} } } } — check the first entries. */
    const char *k;
    json_t *v;
    int seen = 0;
    json_object_foreach((json_t *)doc, k, v) {
        if (!json_is_object(v)) return 0;
        const char *k2;
        json_t *v2;
        json_object_foreach(v, k2, v2) {
            if (json_is_object(v2) && json_object_get(v2, "releases")) return 'd';
            break;
        }
        if (++seen > 8) break;
    }
    return 0;
}

int brig_vulndb_import_buffer(brig_importer *im, const char *name, const char *buf, size_t len) {
    /* Large documents: only the Debian tracker is legitimately big; stream it. */
    if (len > BRIG_VULNDB_MAX_RECORD && brig_debian_looks_like(buf, len)) return brig_debian_import_text(im, name, buf, len);
    json_t *doc;
    int rc = brig_json_parse(name, buf, len, &doc);
    if (rc) return brig_imp_bad(im, rc);
    im->bytes += len;
    switch (brig_vulndb_detect(doc)) {
    case 'o':
        if (len > BRIG_VULNDB_MAX_RECORD) {
            rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_UNSAFE, "%s: OSV record of %zu bytes is over the 4 MiB limit", name, len));
            break;
        }
        im->kinds |= 1; rc = brig_osv_import_record(im, name, doc); break;
    case 'a': im->kinds |= 2; rc = brig_alpine_import(im, name, doc); break;
    case 'd': im->kinds |= 4; rc = brig_debian_import(im, name, doc); break;
    default:
        rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s:1:1: not an OSV record, Alpine secdb or Debian "
                                         "security tracker document", name));
    }
    json_decref(doc);
    return rc;
}
