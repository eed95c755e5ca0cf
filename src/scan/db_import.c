/* `brig db import`: read sources (directories of JSON, OSV all.zip archives,
 * single JSON files) into a NEW database file built beside the current one
 * (old contents copied in first, rows of re-imported sources replaced), then
 * rename it into place: a crash mid-import never leaves a broken database. */
#include "cli/cli.h"
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include "util/lazy_archive.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 32

static int check_total(brig_importer *im, const char *name) {
    if (im->bytes > BRIG_VULNDB_MAX_TOTAL)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: input exceeds the %llu-byte total limit of one import", name,
                         (unsigned long long)BRIG_VULNDB_MAX_TOTAL);
    if (im->records + im->skipped > BRIG_VULNDB_MAX_RECORDS)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %u records in one import", name, BRIG_VULNDB_MAX_RECORDS);
    return 0;
}

static int import_zip(brig_importer *im, const char *path) {
    struct archive *a = archive_read_new();
    /* Seekable mode reads the central directory, which copes with members
     * written with data descriptors (stored entries cannot be streamed). */
    archive_read_support_format_zip_seekable(a);
    if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
        int rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot open as zip (truncated or not a zip archive): %s", path, archive_error_string(a));
        archive_read_free(a);
        return rc;
    }
    struct archive_entry *e;
    int rc = 0, r;
    char *buf = xmalloc(BRIG_VULNDB_MAX_RECORD + 1);
    uint64_t members = 0;
    while (!rc && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        if (++members > BRIG_VULNDB_MAX_RECORDS) {
            rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %u zip members", path, BRIG_VULNDB_MAX_RECORDS);
            break;
        }
        const char *mname = archive_entry_pathname(e);
        if (!mname) mname = "?";
        size_t ml = strlen(mname);
        if (archive_entry_filetype(e) != AE_IFREG || ml < 5 || strcmp(mname + ml - 5, ".json") != 0) continue;
        char *name = xasprintf("%s:%s", path, mname);
        if (archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t)BRIG_VULNDB_MAX_RECORD) {
            rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_UNSAFE, "%s: member of %lld bytes is over the 4 MiB record limit",
                                            name, (long long)archive_entry_size(e)));
            free(name);
            continue;
        }
        size_t len = 0;
        bool too_big = false;
        for (;;) {
            la_ssize_t n = archive_read_data(a, buf + len, BRIG_VULNDB_MAX_RECORD + 1 - len);
            if (n < 0) {
                rc = brig_fail(BRIG_EXIT_INPUT, "%s: corrupt zip member: %s", name, archive_error_string(a));
                break;
            }
            if (n == 0) break;
            len += (size_t)n;
            if (len > BRIG_VULNDB_MAX_RECORD) { too_big = true; break; }
        }
        if (!rc && too_big)
            rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_UNSAFE, "%s: member is over the 4 MiB record limit", name));
        else if (!rc) {
            int64_t mt = (int64_t)archive_entry_mtime(e);
            if (mt > im->newest_mtime) im->newest_mtime = mt;
            rc = brig_vulndb_import_buffer(im, name, buf, len);
        }
        if (!rc) rc = check_total(im, name);
        free(name);
    }
    if (!rc && r != ARCHIVE_EOF)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: corrupt zip archive: %s", path, archive_error_string(a));
    free(buf);
    archive_read_free(a);
    return rc;
}

static int import_json_file(brig_importer *im, const char *path, const struct stat *st) {
    char *buf;
    size_t len;
    int rc = brig_read_file(path, BRIG_VULNDB_MAX_FEED, &buf, &len);
    if (rc) return rc == BRIG_EXIT_UNSAFE ? brig_imp_bad(im, rc) : rc;
    if (st->st_mtime > im->newest_mtime) im->newest_mtime = st->st_mtime;
    rc = brig_vulndb_import_buffer(im, path, buf, len);
    free(buf);
    if (!rc) rc = check_total(im, path);
    return rc;
}

static bool is_zip(const char *path) {
    unsigned char m[4] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, m, 4);
    close(fd);
    return n == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int import_path(brig_importer *im, const char *path, int depth, bool top) {
    struct stat st;
    if (stat(path, &st) != 0) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot read source", path);
    if (S_ISREG(st.st_mode)) {
        if (is_zip(path)) return import_zip(im, path);
        size_t l = strlen(path);
        if (!top && (l < 5 || strcmp(path + l - 5, ".json") != 0)) return 0;   /* READMEs etc. inside directories */
        return import_json_file(im, path, &st);
    }
    if (!S_ISDIR(st.st_mode)) return top ? brig_fail(BRIG_EXIT_INPUT, "%s: not a file or directory", path) : 0;
    if (depth > MAX_DEPTH) return brig_fail(BRIG_EXIT_UNSAFE, "%s: directories nested deeper than %d levels", path, MAX_DEPTH);
    DIR *d = opendir(path);
    if (!d) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open directory", path);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        names = xgrow(names, &cap, n + 1, sizeof *names);
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    /* Sorted so imports are reproducible and warnings come in a stable order. */
    if (n > 1) qsort(names, n, sizeof *names, name_cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rc) {
            char *p = xasprintf("%s/%s", path, names[i]);
            struct stat ls;
            /* Never follow symlinks inside a source tree (loops, escapes). */
            if (lstat(p, &ls) == 0 && !S_ISLNK(ls.st_mode)) {
                size_t l = strlen(names[i]);
                if (S_ISDIR(ls.st_mode) || (S_ISREG(ls.st_mode) && l > 5 && !strcmp(names[i] + l - 5, ".json")))
                    rc = import_path(im, p, depth + 1, false);
            }
            free(p);
            if (!rc && brig_stderr_tty() && (im->records & 0xff) == 0) brig_progress("importing", im->records, 0);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static char *default_name(const char *src) {
    char *c = xstrdup(src);
    size_t l = strlen(c);
    while (l > 1 && c[l - 1] == '/') c[--l] = 0;
    char *b = xstrdup(basename(c));
    free(c);
    static const char *const exts[] = { ".zip", ".json" };
    for (size_t i = 0; i < 2; i++) {
        size_t bl = strlen(b), el = strlen(exts[i]);
        if (bl > el && !strcmp(b + bl - el, exts[i])) b[bl - el] = 0;
    }
    return b;
}

static int exec_sql(sqlite3 *db, const char *sql, const char *path) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK) return 0;
    int rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: database error: %s", path, err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    return rc;
}

/* Copy the current database (if any) into the new file with sqlite's backup API. */
static int seed_from_old(const char *old, sqlite3 *dst, const char *tmp) {
    if (access(old, F_OK) != 0) return brig_vulndb_create_schema(dst, tmp);
    sqlite3 *src = NULL;
    if (sqlite3_open_v2(old, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot open existing database: %s", old, src ? sqlite3_errmsg(src) : "?");
        sqlite3_close(src);
        return rc;
    }
    int rc = brig_vulndb_check_schema(src, old);
    if (!rc) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
            rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot copy the existing database: %s", old, sqlite3_errmsg(dst));
        if (b) sqlite3_backup_finish(b);
    }
    sqlite3_close(src);
    /* Indexes added since that file was built (same schema version) appear now. */
    if (!rc) rc = brig_vulndb_create_schema(dst, tmp);
    return rc;
}

static int fsync_path(const char *p, bool dir) {
    int fd = open(p, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot open to flush", p);
    int r = fsync(fd);
    close(fd);
    return r == 0 ? 0 : brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: fsync failed", p);
}

static const char *kind_name(unsigned k) {
    switch (k) {
    case 0: return "empty";
    case 1: return "osv";
    case 2: return "alpine-secdb";
    case 4: return "debian-tracker";
    default: return "mixed";
    }
}

static int import_one(sqlite3 *db, const char *tmp, const char *src, const char *name, const char *origin,
                      const brig_import_opts *o) {
    brig_importer im;
    int rc = 0;
    static const char *const del[] = { "DELETE FROM vulns WHERE source=?1", "DELETE FROM aliases WHERE source=?1",
                                       "DELETE FROM affected WHERE source=?1", "DELETE FROM sources WHERE name=?1" };
    for (size_t i = 0; i < 4 && !rc; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, del[i], -1, &st, NULL) != SQLITE_OK) return exec_sql(db, del[i], tmp);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: %s", tmp, sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (rc) return rc;
    rc = brig_importer_begin(&im, db, name, o->strict);
    if (rc) return rc;
    rc = import_path(&im, src, 0, true);
    brig_progress_done();
    brig_importer_end(&im);
    if (rc) return rc;
    if (im.records == 0)
        return brig_fail(BRIG_EXIT_INPUT, "%s: no vulnerability records found (%llu malformed); expected OSV JSON, "
                         "an OSV all.zip, Alpine secdb or Debian security tracker JSON", src, (unsigned long long)im.skipped);
    char date[32] = "";
    if (im.data_date[0]) snprintf(date, sizeof date, "%s", im.data_date);
    else if (im.newest_mtime > 0) {
        time_t t = (time_t)im.newest_mtime;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO sources(name,kind,origin,records,skipped,git_ranges,imported_at,data_date) "
                               "VALUES(?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return brig_fail(BRIG_EXIT_SYSTEM, "%s: %s", tmp, sqlite3_errmsg(db));
    char *abs = realpath(src, NULL);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind_name(im.kinds), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, origin ? origin : abs ? abs : src, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)im.records);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)im.skipped);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)im.git_ranges);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)time(NULL));
    if (date[0]) sqlite3_bind_text(st, 8, date, -1, SQLITE_TRANSIENT); else sqlite3_bind_null(st, 8);
    free(abs);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : brig_fail(BRIG_EXIT_SYSTEM, "%s: %s", tmp, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (!rc) {
        fprintf(stderr, "imported %s (%s): %llu records", name, kind_name(im.kinds), (unsigned long long)im.records);
        if (im.skipped) fprintf(stderr, ", %llu malformed skipped", (unsigned long long)im.skipped);
        if (im.git_ranges) fprintf(stderr, ", %llu GIT ranges skipped", (unsigned long long)im.git_ranges);
        fputc('\n', stderr);
    }
    return rc;
}

/* Temp files of imports that were killed (their pid is gone) are removed. */
static void remove_stale_temps(const char *dbpath) {
    char *pat = xasprintf("%s.tmp.*", dbpath);
    glob_t g;
    if (glob(pat, GLOB_NOSORT, NULL, &g) == 0) {
        size_t pl = strlen(dbpath) + 5;
        for (size_t i = 0; i < g.gl_pathc; i++) {
            char *end;
            long pid = strtol(g.gl_pathv[i] + pl, &end, 10);
            if (*end == 0 && pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) unlink(g.gl_pathv[i]);
        }
        globfree(&g);
    }
    free(pat);
}

int brig_vulndb_import_paths(const char *dbpath_in, char *const *sources, const char *const *names,
                             size_t n, const brig_import_opts *o) {
    char *dbpath = dbpath_in ? xstrdup(dbpath_in) : brig_vulndb_default_path();
    char *dir = xstrdup(dbpath);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) { *slash = 0; rc = brig_mkdir_p(dir, 0755); }
    /* One writer at a time: two concurrent rebuilds would each start from the old
     * file and the last rename would silently drop the other's sources. */
    char *lockpath = xasprintf("%s.lock", dbpath);
    int lockfd = rc ? -1 : open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (!rc && lockfd < 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create lock file", lockpath);
    if (!rc && flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
        brig_warn("another import is writing %s; waiting for it to finish", dbpath);
        if (flock(lockfd, LOCK_EX) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot lock", lockpath);
    }
    free(lockpath);
    remove_stale_temps(dbpath);
    char *tmp = xasprintf("%s.tmp.%ld", dbpath, (long)getpid());
    unlink(tmp);
    sqlite3 *db = NULL;
    if (!rc && sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot create database: %s", tmp, db ? sqlite3_errmsg(db) : "?");
    if (!rc) rc = seed_from_old(dbpath, db, tmp);
    /* The file is private until renamed: no rollback journal on disk needed. */
    if (!rc) rc = exec_sql(db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; BEGIN", tmp);
    for (size_t i = 0; i < n && !rc; i++) {
        char *nm = names && names[i] ? xstrdup(names[i]) : default_name(sources[i]);
        rc = import_one(db, tmp, sources[i], nm, o->origins ? o->origins[i] : NULL, o);
        if (rc) brig_fail_context(rc, "import of %s failed (database left unchanged)", sources[i]);
        free(nm);
    }
    if (!rc) rc = exec_sql(db, "COMMIT; PRAGMA optimize", tmp);
    if (!rc) {
        char stamp[32];
        snprintf(stamp, sizeof stamp, "%lld", (long long)time(NULL));
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key,value) VALUES('built_at',?)", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
            sqlite3_step(st);
            sqlite3_finalize(st);
        }
    }
    if (db && sqlite3_close(db) != SQLITE_OK && !rc) rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot close database", tmp);
    if (!rc) rc = fsync_path(tmp, false);
    if (!rc && rename(tmp, dbpath) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot move the new database into place", dbpath);
    if (!rc && slash && slash != dir) fsync_path(dir, true);
    if (rc) unlink(tmp);
    else fprintf(stderr, "database: %s\n", dbpath);
    if (lockfd >= 0) close(lockfd);   /* releases the lock */
    free(tmp); free(dir); free(dbpath);
    return rc;
}

int brig_db_cmd_import(int argc, char **argv) {
    static const struct option lo[] = { { "db", required_argument, 0, 'd' }, { "strict", no_argument, 0, 's' },
                                        { "name", required_argument, 0, 'n' }, { "help", no_argument, 0, 'h' }, { 0 } };
    brig_import_opts o = {0};
    const char *dbpath = NULL;
    optind = 0;
    int c;
    while ((c = brig_getopt(argc, argv, "h", lo, "db import")) != -1) {
        if (c == 'd') dbpath = optarg;
        else if (c == 's') o.strict = true;
        else if (c == 'n') o.name = optarg;
        else if (c == 'h') {
            puts("Usage: brig db import [--db PATH] [--strict] [--name NAME] SOURCE...\n\n"
                 "Imports vulnerability data into the local database (merging with what is there:\n"
                 "a source imported again replaces its previous rows).  Each SOURCE is one of\n"
                 "  - a directory of OSV JSON records (searched recursively, *.json)\n"
                 "  - an OSV all.zip archive (read directly, nothing extracted)\n"
                 "  - an Alpine secdb JSON file or a directory of them (vX.Y/main.json ...)\n"
                 "  - a Debian security tracker JSON file\n"
                 "The format is detected from the content.  The new database is built beside the old\n"
                 "one and renamed into place, so an interrupted import changes nothing.\n\n"
                 "Options:\n"
                 "  --db PATH     database file (default $BRIG_DB or $XDG_CACHE_HOME/brig/db/vuln.db)\n"
                 "  --name NAME   source name (default: the SOURCE's base name); one SOURCE only\n"
                 "  --strict      fail on the first malformed record instead of skipping it\n\n"
                 "Limits: one OSV record <= 4 MiB, one feed file <= 512 MiB, 8 GiB and 5,000,000\n"
                 "records per import.  Malformed records are skipped with a warning naming the file\n"
                 "(and zip member) and the position.\n\n"
                 "Exit codes: 0 imported, 2 bad command line, 3 source missing/malformed (with --strict,\n"
                 "or no records at all), 5 over a limit, 6 I/O or database error.");
            return 0;
        } else return BRIG_EXIT_USAGE;
    }
    size_t n = (size_t)(argc - optind);
    if (n == 0) return brig_usage_error("db import", "missing SOURCE");
    if (o.name && n != 1) return brig_usage_error("db import", "--name applies to exactly one SOURCE");
    const char **names = xcalloc(n, sizeof *names);
    if (o.name) names[0] = o.name;
    int rc = brig_vulndb_import_paths(dbpath, argv + optind, names, n, &o);
    free(names);
    if (rc) brig_print_error(rc);
    return rc;
}
