/* Local vulnerability database: one sqlite3 file built from OSV records,
 * Alpine secdb and the Debian security tracker, queried by (ecosystem,
 * distro, package, version).  Writers build a new file beside the old one and
 * rename it into place, so readers never see a half-written database. */
#ifndef BRIG_SCAN_VULNDB_H
#define BRIG_SCAN_VULNDB_H
#include <stdbool.h>
#include <stddef.h>
#include "report/findings.h"
#include "scan/version.h"

typedef struct brig_vulndb brig_vulndb;
/* brig_cache_dir()/db/vuln.db, or $BRIG_DB.  Caller frees. */
char *brig_vulndb_default_path(void);
/* path NULL = default.  BRIG_EXIT_INPUT with a "run 'brig db import …'" hint if missing. */
int brig_vulndb_open(const char *path, brig_vulndb **out);
void brig_vulndb_close(brig_vulndb *db);

typedef struct {
    char *id;
    char **aliases; size_t n_aliases;
    char *summary;
    brig_severity severity;
    double cvss_score;       /* 0 when unknown */
    char *fixed_version;     /* NULL when no fix is available */
    char *affected;          /* human range text, e.g. ">=1.0.0, <1.2.3" */
    char *source;            /* database source name, e.g. "osv", "alpine-secdb", "debian-tracker" */
    char *url;
} brig_vuln_match;

/* distro: "debian:12"/"bookworm", "alpine:3.10" (or "v3.10"); NULL for language
 * ecosystems.  pkg: source package for Debian, origin/name for Alpine, name for
 * others (Go: module path; PyPI: name normalized per PEP 503 inside).  A version that
 * is not valid for the ecosystem (brig_version_valid) only matches explicit OSV
 * `versions` lists, never ranges. */
int brig_vulndb_query(brig_vulndb *db, brig_ecosystem e, const char *distro, const char *pkg,
                      const char *version, brig_vuln_match **out, size_t *n);
/* Does the database hold any advisory for ecosystem e (and, for Debian/Alpine/RPM,
 * that distro release)?  Lets `brig scan` say which packages it could not check
 * instead of reporting "no vulnerabilities" for them. */
int brig_vulndb_covers(brig_vulndb *db, brig_ecosystem e, const char *distro, bool *covered);
void brig_vuln_matches_free(brig_vuln_match *m, size_t n);
#endif
