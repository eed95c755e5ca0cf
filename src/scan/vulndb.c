/* Opening and querying the vulnerability database. */
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *brig_vulndb_default_path(void) {
    const char *env = getenv("BRIG_DB");
    if (env && *env) return xstrdup(env);
    char *c = brig_cache_dir();
    char *p = xasprintf("%s/db/vuln.db", c);
    free(c);
    return p;
}

int brig_vulndb_open(const char *path, brig_vulndb **out) {
    *out = NULL;
    char *p = path ? xstrdup(path) : brig_vulndb_default_path();
    struct stat st;
    if (stat(p, &st) != 0) {
        int rc = brig_fail(BRIG_EXIT_INPUT, "%s: no vulnerability database; run 'brig db import SOURCE...' "
                           "(OSV directory/all.zip, Alpine secdb, Debian tracker JSON) or 'brig db update URL...'", p);
        free(p);
        return rc;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot open database: %s", p, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        free(p);
        return rc;
    }
    int rc = brig_vulndb_check_schema(db, p);
    if (rc) { sqlite3_close(db); free(p); return rc; }
    brig_vulndb *v = xcalloc(1, sizeof *v);
    v->db = db;
    v->path = p;
    *out = v;
    return 0;
}

void brig_vulndb_close(brig_vulndb *db) {
    if (!db) return;
    sqlite3_close(db->db);
    free(db->path);
    free(db);
}

static const char *col(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

/* Does `v` fall in the interval row?  Bounds are compared with the ecosystem's order. */
static bool in_interval(brig_ecosystem e, const char *v, const char *intro, const char *fixed,
                        const char *last, const char *lim) {
    if (intro && *intro && strcmp(intro, "0") != 0 && brig_version_compare(e, v, intro) < 0) return false;
    if (fixed && brig_version_compare(e, v, fixed) >= 0) return false;
    if (last && brig_version_compare(e, v, last) > 0) return false;
    if (lim && brig_version_compare(e, v, lim) >= 0) return false;
    return true;
}

static bool in_list(brig_ecosystem e, const char *v, const char *list) {
    char item[1100];
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, "\n");
        if (n < sizeof item) {
            memcpy(item, p, n);
            item[n] = 0;
            if (!strcmp(item, v) || brig_version_compare(e, item, v) == 0) return true;
        }
        p += n;
        if (*p) p++;
    }
    return false;
}

static char *range_text(const char *intro, const char *fixed, const char *last, const char *lim) {
    strbuf sb = STRBUF_INIT;
    if (intro && *intro && strcmp(intro, "0") != 0) sb_addf(&sb, ">=%s", intro);
    if (fixed) sb_addf(&sb, "%s<%s", sb.len ? ", " : "", fixed);
    if (last) sb_addf(&sb, "%s<=%s", sb.len ? ", " : "", last);
    if (lim) sb_addf(&sb, "%s<%s (limit)", sb.len ? ", " : "", lim);
    if (!sb.len) sb_adds(&sb, "all versions");
    return sb_detach(&sb);
}

static void load_aliases(brig_vulndb *db, brig_vuln_match *m) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "SELECT alias FROM aliases WHERE id=? AND source=? ORDER BY alias", -1, &st, NULL) != SQLITE_OK) return;
    sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->source, -1, SQLITE_STATIC);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        m->aliases = xgrow(m->aliases, &cap, m->n_aliases + 1, sizeof *m->aliases);
        m->aliases[m->n_aliases++] = xstrdup(col(st, 0));
    }
    sqlite3_finalize(st);
}

/* Feeds without severities (Alpine secdb, PyPI, Go) borrow the highest one
 * another source gives the same vulnerability, by ID or alias (as Trivy does
 * with NVD): a CVE fixed in an Alpine package is as severe as the CVE. */
static void borrow_severity(brig_vulndb *db, brig_vuln_match *m) {
    static const char sql[] =
        "SELECT severity, cvss FROM vulns WHERE severity > 0 AND (id = ?1 OR id IN (SELECT id FROM aliases WHERE alias = ?1)"
        " OR id IN (SELECT alias FROM aliases WHERE id = ?1 AND source = ?2)) ORDER BY severity DESC, cvss DESC LIMIT 1";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) return;
    sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->source, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        int sev = sqlite3_column_int(st, 0);
        if (sev > BRIG_SEV_UNKNOWN && sev <= BRIG_SEV_CRITICAL) m->severity = (brig_severity)sev;
        if (m->cvss_score <= 0 && sqlite3_column_type(st, 1) != SQLITE_NULL) m->cvss_score = sqlite3_column_double(st, 1);
    }
    sqlite3_finalize(st);
}

static bool has_alias(const brig_vuln_match *m, const char *id) {
    for (size_t i = 0; i < m->n_aliases; i++) if (!strcmp(m->aliases[i], id)) return true;
    return false;
}

static void free_one(brig_vuln_match *m) {
    free(m->id); free(m->summary); free(m->fixed_version); free(m->affected); free(m->source); free(m->url);
    for (size_t k = 0; k < m->n_aliases; k++) free(m->aliases[k]);
    free(m->aliases);
}

static int match_cmp(const void *pa, const void *pb) {
    const brig_vuln_match *a = pa, *b = pb;
    if (a->severity != b->severity) return a->severity > b->severity ? -1 : 1;
    return strcmp(a->id, b->id);
}

int brig_vulndb_query(brig_vulndb *db, brig_ecosystem e, const char *distro, const char *pkg,
                      const char *version, brig_vuln_match **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!db || !pkg || !version) return brig_fail(BRIG_EXIT_USAGE, "vulnerability query needs a package and a version");
    /* Distro-specific feeds: Debian, Alpine and (when the caller names one) RPM distributions. */
    char *nd = brig_vulndb_norm_distro(e, (e == BRIG_ECO_DEBIAN || e == BRIG_ECO_ALPINE || e == BRIG_ECO_RPM) ? distro : NULL);
    char *np = brig_vulndb_norm_pkg(e, pkg);
    sqlite3_stmt *st;
    const char *sql =
        "SELECT a.vuln_id, a.source, a.introduced, a.fixed, a.last_affected, a.lim, a.versions, a.severity,"
        "       v.summary, v.severity, v.cvss, v.url"
        "  FROM affected a LEFT JOIN vulns v ON v.id = a.vuln_id AND v.source = a.source"
        " WHERE a.eco = ?1 AND a.pkg = ?2 AND (a.distro = ?3 OR a.distro = '')"
        " ORDER BY a.vuln_id, a.source, a.rowid";
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
        free(nd); free(np);
        return brig_fail(BRIG_EXIT_SYSTEM, "%s: query failed: %s", db->path, sqlite3_errmsg(db->db));
    }
    sqlite3_bind_int(st, 1, (int)e);
    sqlite3_bind_text(st, 2, np, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, nd, -1, SQLITE_STATIC);
    /* A version the ecosystem cannot parse ("(devel)" in Go binaries, legacy PyPI
     * strings) has no place in a range: only explicit version lists can match it,
     * otherwise it would sort below every fix and match everything. */
    bool ranged = brig_version_valid(e, version);
    brig_vuln_match *m = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = col(st, 0), *src = col(st, 1), *intro = col(st, 2), *fixed = col(st, 3),
                   *last = col(st, 4), *lim = col(st, 5), *vers = col(st, 6);
        /* The same ID may match via several rows (ranges and an explicit list): keep one,
         * preferring the row that names a fix.  Rows come grouped by ID, so only the
         * last match can be the same ID; an ID already matched skips its long lists. */
        brig_vuln_match *prev = cnt && !strcmp(m[cnt - 1].id, id) ? &m[cnt - 1] : NULL;
        if (prev && (vers || prev->fixed_version || !fixed)) continue;
        bool hit = vers ? in_list(e, version, vers) : ranged && in_interval(e, version, intro, fixed, last, lim);
        if (!hit) continue;
        if (prev) {
            if (!prev->fixed_version && fixed) {
                prev->fixed_version = xstrdup(fixed);
                free(prev->affected);
                prev->affected = range_text(intro, fixed, last, lim);
            }
            continue;
        }
        m = xgrow(m, &cap, cnt + 1, sizeof *m);
        brig_vuln_match *x = &m[cnt++];
        memset(x, 0, sizeof *x);
        x->id = xstrdup(id);
        x->source = xstrdup(src);
        x->fixed_version = fixed ? xstrdup(fixed) : NULL;
        x->affected = vers ? xstrdup("version listed as affected") : range_text(intro, fixed, last, lim);
        x->summary = col(st, 8) ? xstrdup(col(st, 8)) : NULL;
        int sev = sqlite3_column_type(st, 7) != SQLITE_NULL ? sqlite3_column_int(st, 7) : sqlite3_column_int(st, 9);
        x->severity = (sev >= BRIG_SEV_UNKNOWN && sev <= BRIG_SEV_CRITICAL) ? (brig_severity)sev : BRIG_SEV_UNKNOWN;
        x->cvss_score = sqlite3_column_type(st, 10) != SQLITE_NULL ? sqlite3_column_double(st, 10) : 0;
        x->url = col(st, 11) ? xstrdup(col(st, 11)) : NULL;
    }
    sqlite3_finalize(st);
    free(nd); free(np);
    if (r != SQLITE_DONE) {
        brig_vuln_matches_free(m, cnt);
        return brig_fail(BRIG_EXIT_SYSTEM, "%s: query failed: %s", db->path, sqlite3_errmsg(db->db));
    }
    for (size_t i = 0; i < cnt; i++) {
        load_aliases(db, &m[i]);
        if (m[i].severity == BRIG_SEV_UNKNOWN) borrow_severity(db, &m[i]);
    }
    /* Records from different databases describing one vulnerability (PYSEC-x with
     * alias GHSA-y, and GHSA-y itself) are reported once. */
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = has_alias(&m[j], m[i].id) || has_alias(&m[i], m[j].id);
        if (dup) free_one(&m[i]);
        else m[k++] = m[i];
    }
    if (k > 1) qsort(m, k, sizeof *m, match_cmp);
    *out = m;
    *n = k;
    return 0;
}

int brig_vulndb_covers(brig_vulndb *db, brig_ecosystem e, const char *distro, bool *covered) {
    *covered = false;
    bool per_distro = e == BRIG_ECO_DEBIAN || e == BRIG_ECO_ALPINE || e == BRIG_ECO_RPM;
    char *nd = brig_vulndb_norm_distro(e, per_distro ? distro : NULL);
    sqlite3_stmt *st;
    const char *sql = "SELECT 1 FROM affected WHERE eco = ?1 AND (?2 = '' OR distro = ?2 OR distro = '') LIMIT 1";
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
        free(nd);
        return brig_fail(BRIG_EXIT_SYSTEM, "%s: query failed: %s", db->path, sqlite3_errmsg(db->db));
    }
    sqlite3_bind_int(st, 1, (int)e);
    sqlite3_bind_text(st, 2, nd ? nd : "", -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *covered = r == SQLITE_ROW;
    sqlite3_finalize(st);
    free(nd);
    return (r == SQLITE_ROW || r == SQLITE_DONE) ? 0 : brig_fail(BRIG_EXIT_SYSTEM, "%s: query failed", db->path);
}

void brig_vuln_matches_free(brig_vuln_match *m, size_t n) {
    for (size_t i = 0; i < n; i++) free_one(&m[i]);
    free(m);
}
