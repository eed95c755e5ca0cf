/* The database layout.  Rows carry their source name so that re-importing a
 * source replaces exactly its own rows; ranges are stored as intervals and
 * evaluated with the ecosystem's comparator at query time (SQL text order is
 * not version order). */
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include <stdlib.h>
#include <string.h>

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sources(name TEXT PRIMARY KEY, kind TEXT NOT NULL, origin TEXT NOT NULL,"
    "  records INTEGER NOT NULL, skipped INTEGER NOT NULL, git_ranges INTEGER NOT NULL,"
    "  imported_at INTEGER NOT NULL, data_date TEXT);"
    "CREATE TABLE IF NOT EXISTS vulns(id TEXT NOT NULL, source TEXT NOT NULL, summary TEXT,"
    "  severity INTEGER NOT NULL, cvss REAL, url TEXT, modified TEXT, PRIMARY KEY(id, source)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS aliases(id TEXT NOT NULL, source TEXT NOT NULL, alias TEXT NOT NULL,"
    "  PRIMARY KEY(id, source, alias)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS affected(vuln_id TEXT NOT NULL, source TEXT NOT NULL, eco INTEGER NOT NULL,"
    "  distro TEXT NOT NULL, pkg TEXT NOT NULL, introduced TEXT, fixed TEXT, last_affected TEXT, lim TEXT,"
    "  versions TEXT, severity INTEGER);"
    "CREATE INDEX IF NOT EXISTS affected_pkg ON affected(eco, pkg, distro);"
    "CREATE INDEX IF NOT EXISTS affected_source ON affected(source);"
    "CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);";

int brig_vulndb_create_schema(sqlite3 *db, const char *path) {
    char *err = NULL;
    if (sqlite3_exec(db, schema_sql, NULL, NULL, &err) != SQLITE_OK) {
        int rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot create the database schema: %s", path, err ? err : "?");
        sqlite3_free(err);
        return rc;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '%d')", BRIG_VULNDB_SCHEMA);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        int rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot write the schema version: %s", path, err ? err : "?");
        sqlite3_free(err);
        return rc;
    }
    return 0;
}

int brig_vulndb_check_schema(sqlite3 *db, const char *path) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return brig_fail(BRIG_EXIT_INPUT, "%s: not a brig vulnerability database (%s); rebuild it with 'brig db import'",
                         path, sqlite3_errmsg(db));
    }
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: database has no schema version; rebuild it with 'brig db import'", path);
    else {
        int v = atoi((const char *)sqlite3_column_text(st, 0));
        if (v != BRIG_VULNDB_SCHEMA)
            rc = brig_fail(BRIG_EXIT_INPUT, "%s: database schema version %d, this brig needs %d; "
                           "remove it and run 'brig db import' again", path, v, BRIG_VULNDB_SCHEMA);
    }
    sqlite3_finalize(st);
    return rc;
}
