/* Internals shared by the vulnerability-database files (schema, import,
 * update, info, the `brig db` subcommands).  Not a public API. */
#ifndef BRIG_SCAN_VULNDB_INTERNAL_H
#define BRIG_SCAN_VULNDB_INTERNAL_H
#include "scan/vulndb.h"
#include <jansson.h>
#include "util/lazy_sqlite3.h"
#include <stdint.h>
#include <stdio.h>

#define BRIG_VULNDB_SCHEMA 1
#define BRIG_VULNDB_MAX_RECORD   (4u << 20)            /* one OSV JSON record */
#define BRIG_VULNDB_MAX_FEED     (512u << 20)          /* one secdb / tracker JSON file */
#define BRIG_VULNDB_MAX_TOTAL    (8ull << 30)          /* all input of one import */
#define BRIG_VULNDB_MAX_RECORDS  5000000u              /* records of one import */
#define BRIG_VULNDB_MAX_DOWNLOAD (2ull << 30)          /* default `db update` size limit */
#define BRIG_VULNDB_STALE_DAYS   7

struct brig_vulndb { sqlite3 *db; char *path; };

/* Schema and row writers (vulndb_schema.c). */
int brig_vulndb_create_schema(sqlite3 *db, const char *path);
int brig_vulndb_check_schema(sqlite3 *db, const char *path);
/* Distro/package normalisation shared by writers and queries (vulndb_norm.c). */
char *brig_vulndb_norm_distro(brig_ecosystem e, const char *distro);   /* "" when none */
char *brig_vulndb_norm_pkg(brig_ecosystem e, const char *pkg);

/* An import in progress: a sqlite handle on the temp file plus counters. */
typedef struct {
    sqlite3 *db;
    sqlite3_stmt *ins_vuln, *ins_alias, *ins_aff;
    const char *source;       /* name of the source being imported */
    bool strict;
    uint64_t records, skipped, git_ranges, bytes;
    unsigned warned;
    unsigned kinds;           /* bit 0 OSV, 1 Alpine secdb, 2 Debian tracker */
    int64_t newest_mtime;     /* of the files read: data date when records carry none */
    char data_date[32];       /* newest "modified" seen (RFC 3339, may be empty) */
} brig_importer;

typedef struct {
    const char *vuln_id;
    brig_ecosystem eco;
    const char *distro, *pkg;
    const char *introduced, *fixed, *last_affected, *limit;
    const char *versions;     /* newline-separated explicit versions, or NULL */
    int severity;             /* per-package override (Debian urgency), -1 = none */
} brig_aff_row;

/* Prepare the row writers of `im` on `db` (schema must exist) / release them. */
int brig_importer_begin(brig_importer *im, sqlite3 *db, const char *source, bool strict);
void brig_importer_end(brig_importer *im);
int brig_imp_vuln(brig_importer *im, const char *id, const char *summary, brig_severity sev,
                  double cvss, const char *url, const char *modified);
int brig_imp_alias(brig_importer *im, const char *id, const char *alias);
int brig_imp_affected(brig_importer *im, const brig_aff_row *r);
/* Record a malformed record: warning + count, or fatal with --strict. */
int brig_imp_bad(brig_importer *im, int rc);
void brig_imp_date(brig_importer *im, const char *rfc3339);

/* Format parsers (each takes one parsed JSON document). */
int brig_osv_import_record(brig_importer *im, const char *name, const json_t *rec);
int brig_alpine_import(brig_importer *im, const char *name, const json_t *doc);
int brig_debian_import(brig_importer *im, const char *name, const json_t *doc);
/* The tracker document streamed member by member (bounded memory, line numbers in errors). */
bool brig_debian_looks_like(const char *buf, size_t len);
int brig_debian_import_text(brig_importer *im, const char *name, const char *buf, size_t len);
/* Detect the format of a parsed document: 'o' OSV, 'a' Alpine secdb, 'd' Debian tracker, 0 unknown. */
int brig_vulndb_detect(const json_t *doc);
/* Parse `buf` as one document of any known format and import it. */
int brig_vulndb_import_buffer(brig_importer *im, const char *name, const char *buf, size_t len);

/* CVSS v3.x base score from a vector ("CVSS:3.1/AV:N/..."); -1 when invalid. */
double brig_cvss3_score(const char *vector);
/* CVSS v2 base score ("AV:N/AC:L/Au:N/C:P/I:P/A:P"); -1 when invalid. */
double brig_cvss2_score(const char *vector);
brig_severity brig_cvss_severity(double score);

/* Whole imports: build a new database from the old one plus `sources`
 * (paths: directory, .zip, .json) and rename it into place. */
typedef struct { bool strict; const char *name; const char *const *origins; /* origins[i]: recorded instead of the path (URL) */ } brig_import_opts;
int brig_vulndb_import_paths(const char *dbpath, char *const *sources, const char *const *names,
                             size_t n, const brig_import_opts *o);

/* Subcommands (argv[0] is the subcommand name). */
int brig_db_cmd_import(int argc, char **argv);
int brig_db_cmd_update(int argc, char **argv);
int brig_db_cmd_info(int argc, char **argv);
#endif
