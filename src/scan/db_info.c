/* `brig db info`: where the database is, how big, which schema, and for each
 * source its record counts and age (warning when older than 7 days). */
#include "cli/cli.h"
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int64_t parse_rfc3339(const char *s) {
    if (!s) return 0;
    struct tm tm = {0};
    const char *e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!e) e = strptime(s, "%Y-%m-%d", &tm);
    if (!e) return 0;
    return (int64_t)timegm(&tm);
}

int brig_db_cmd_info(int argc, char **argv) {
    static const struct option lo[] = { { "db", required_argument, 0, 'd' }, { "format", required_argument, 0, 'f' },
                                        { "help", no_argument, 0, 'h' }, { 0 } };
    const char *dbpath = NULL, *fmt = "table";
    optind = 0;
    int c;
    while ((c = brig_getopt(argc, argv, "h", lo, "db info")) != -1) {
        if (c == 'd') dbpath = optarg;
        else if (c == 'f') fmt = optarg;
        else if (c == 'h') {
            puts("Usage: brig db info [--db PATH] [--format table|json]\n\n"
                 "Shows the database path, size, schema version and, for each imported source, its\n"
                 "kind, record count, malformed records skipped, GIT ranges skipped, import time and\n"
                 "data date.  Warns (stderr) when a source's data is older than 7 days.\n\n"
                 "Exit codes: 0 success, 2 bad command line, 3 database missing or invalid.");
            return 0;
        } else return BRIG_EXIT_USAGE;
    }
    bool json = !strcmp(fmt, "json");
    if (!json && strcmp(fmt, "table") != 0) return brig_usage_error("db info", "unknown format '%s' (table, json)", fmt);
    if (optind != argc) return brig_usage_error("db info", "unexpected argument '%s'", argv[optind]);
    brig_vulndb *db;
    int rc = brig_vulndb_open(dbpath, &db);
    if (rc) { brig_print_error(rc); return rc; }
    struct stat st;
    long long size = stat(db->path, &st) == 0 ? (long long)st.st_size : -1;
    sqlite3_stmt *q;
    json_t *sources = json_array();
    time_t now = time(NULL);
    if (sqlite3_prepare_v2(db->db, "SELECT name, kind, origin, records, skipped, git_ranges, imported_at, data_date "
                                   "FROM sources ORDER BY name", -1, &q, NULL) != SQLITE_OK) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot read sources: %s", db->path, sqlite3_errmsg(db->db));
        brig_vulndb_close(db);
        json_decref(sources);
        brig_print_error(rc);
        return rc;
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(q, 7);
        int64_t imported = sqlite3_column_int64(q, 6);
        int64_t ref = parse_rfc3339(date);
        if (!ref) ref = imported;
        double age_days = (double)(now - ref) / 86400.0;
        bool stale = age_days > BRIG_VULNDB_STALE_DAYS;
        json_array_append_new(sources, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:f, s:b}",
            "name", (const char *)sqlite3_column_text(q, 0), "kind", (const char *)sqlite3_column_text(q, 1),
            "origin", (const char *)sqlite3_column_text(q, 2),
            "records", (json_int_t)sqlite3_column_int64(q, 3), "skipped", (json_int_t)sqlite3_column_int64(q, 4),
            "git_ranges_skipped", (json_int_t)sqlite3_column_int64(q, 5), "imported_at", (json_int_t)imported,
            "data_date", date ? json_string(date) : json_null(), "age_days", age_days, "stale", stale));
        if (stale)
            brig_warn("source '%s' data is %.0f days old (more than %d); refresh it with 'brig db update' or 'brig db import'",
                      (const char *)sqlite3_column_text(q, 0), age_days, BRIG_VULNDB_STALE_DAYS);
    }
    sqlite3_finalize(q);
    long long n_vulns = 0, n_aff = 0;
    if (sqlite3_prepare_v2(db->db, "SELECT (SELECT count(*) FROM vulns), (SELECT count(*) FROM affected)", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) { n_vulns = sqlite3_column_int64(q, 0); n_aff = sqlite3_column_int64(q, 1); }
        sqlite3_finalize(q);
    }
    if (json) {
        json_t *doc = json_pack("{s:s, s:I, s:i, s:I, s:I, s:o}", "path", db->path, "size", (json_int_t)size,
                                "schema_version", BRIG_VULNDB_SCHEMA, "vulnerabilities", (json_int_t)n_vulns,
                                "affected_rows", (json_int_t)n_aff, "sources", sources);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(doc);
    } else {
        printf("path:            %s\nsize:            %lld bytes\nschema version:  %d\n"
               "vulnerabilities: %lld (%lld affected-package rows)\n\n",
               db->path, size, BRIG_VULNDB_SCHEMA, n_vulns, n_aff);
        printf("%-20s %-15s %9s %8s %8s  %-20s %s\n", "SOURCE", "KIND", "RECORDS", "SKIPPED", "AGE", "DATA DATE", "ORIGIN");
        for (size_t i = 0; i < json_array_size(sources); i++) {
            json_t *s = json_array_get(sources, i);
            char age[32];
            snprintf(age, sizeof age, "%.0fd%s", json_real_value(json_object_get(s, "age_days")),
                     json_is_true(json_object_get(s, "stale")) ? "!" : "");
            printf("%-20s %-15s %9lld %8lld %8s  %-20s %s\n", json_string_value(json_object_get(s, "name")),
                   json_string_value(json_object_get(s, "kind")),
                   (long long)json_integer_value(json_object_get(s, "records")),
                   (long long)json_integer_value(json_object_get(s, "skipped")), age,
                   json_is_string(json_object_get(s, "data_date")) ? json_string_value(json_object_get(s, "data_date")) : "-",
                   json_string_value(json_object_get(s, "origin")));
        }
        json_decref(sources);
    }
    brig_vulndb_close(db);
    return 0;
}
