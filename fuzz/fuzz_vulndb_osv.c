/* libFuzzer: the vulnerability-feed parsers (OSV records, and by content
 * detection Alpine secdb and Debian tracker documents, plus the streaming
 * tracker splitter) writing into an in-memory database, then queries over
 * what was written. */
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > BRIG_VULNDB_MAX_RECORD) return 0;
    if (!db) {
        if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
        if (brig_vulndb_create_schema(db, ":memory:")) abort();
    }
    sqlite3_exec(db, "BEGIN; DELETE FROM vulns; DELETE FROM aliases; DELETE FROM affected;", NULL, NULL, NULL);
    brig_importer im;
    /* strict: malformed input returns its error instead of printing a warning */
    if (brig_importer_begin(&im, db, "fuzz", true)) abort();
    brig_vulndb_import_buffer(&im, "fuzz.json", (const char *)data, size);
    /* The streaming tracker splitter is normally used only above 4 MiB: drive it directly too. */
    (void)brig_debian_looks_like((const char *)data, size);
    brig_debian_import_text(&im, "fuzz.json", (const char *)data, size);
    brig_importer_end(&im);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    /* Evaluate every stored row against a few versions, as queries do. */
    brig_vulndb v = { .db = db, .path = (char *)":memory:" };
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT eco, distro, pkg FROM affected LIMIT 50", -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            static const char *const vers[] = { "0", "1.0.0", "1.0-r1", "1:1.0-1", "v1.2.3" };
            for (size_t i = 0; i < 5; i++) {
                brig_vuln_match *m;
                size_t n;
                if (brig_vulndb_query(&v, (brig_ecosystem)sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1),
                                      (const char *)sqlite3_column_text(st, 2), vers[i], &m, &n) == 0)
                    brig_vuln_matches_free(m, n);
            }
        }
        sqlite3_finalize(st);
    }
    brig_err_clear();
    return 0;
}
