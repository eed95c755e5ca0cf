/* `brig db`: manage and query the local vulnerability database, and expose
 * the version comparators so they can be checked against reference tools. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "report/findings.h"
#include "scan/version.h"
#include "scan/vulndb.h"
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void db_usage(FILE *f) {
    fputs("Usage: brig db SUBCOMMAND [OPTIONS] [ARGS]\n\n"
          "Manage the local vulnerability database used by `brig scan`.\n\n"
          "Subcommands:\n"
          "  import [--db PATH] [--strict] [--name NAME] SOURCE...\n"
          "                 import OSV record directories, OSV all.zip archives, Alpine secdb\n"
          "                 JSON (file or directory) and Debian security tracker JSON\n"
          "  update [--db PATH] [--strict] [--max-size BYTES] URL...\n"
          "                 download (http://, https://, file://) then import\n"
          "  info   [--db PATH] [--format table|json]\n"
          "                 path, size, schema version, sources with record counts and age\n"
          "  query  [--db PATH] [--format table|json] ECOSYSTEM[:DISTRO] PACKAGE VERSION\n"
          "                 list the vulnerabilities affecting one package version\n"
          "  vercmp ECOSYSTEM A B          print '<', '=' or '>'\n"
          "  vercmp --batch ECOSYSTEM      read \"A B\" lines on stdin, print one result per line\n\n"
          "Ecosystems: Debian (dpkg), Alpine (apk), \"Red Hat\" (rpm), npm, Go (golang), PyPI (pip),\n"
          "Maven.  Distros: debian:12 or debian:bookworm, alpine:3.10 or alpine:v3.10.\n"
          "Database: --db PATH, else $BRIG_DB, else $XDG_CACHE_HOME/brig/db/vuln.db.\n\n"
          "Exit codes:\n"
          "  0  success\n"
          "  2  bad command line\n"
          "  3  input missing or malformed (message names file, zip member and position);\n"
          "     database missing (run 'brig db import' or 'brig db update')\n"
          "  5  input over a size limit (record > 4 MiB, download > --max-size)\n"
          "  6  I/O, network or database error\n", f);
}

static int cmd_vercmp(int argc, char **argv) {
    static const struct option lo[] = { { "batch", no_argument, 0, 'b' }, { "help", no_argument, 0, 'h' }, { 0 } };
    bool batch = false;
    optind = 0;
    int c;
    while ((c = brig_getopt(argc, argv, "+h", lo, "db vercmp")) != -1) {
        if (c == 'b') batch = true;
        else if (c == 'h') {
            puts("Usage: brig db vercmp ECOSYSTEM A B\n"
                 "       brig db vercmp --batch ECOSYSTEM   (\"A B\" per line on stdin)\n\n"
                 "Compares two versions with the ecosystem's own rules and prints '<', '=' or '>'.\n"
                 "With --batch, one result per input line; a line without two fields prints '?'.\n\n"
                 "Exit codes: 0 success, 2 bad command line or unknown ecosystem.");
            return 0;
        } else return BRIG_EXIT_USAGE;
    }
    int rest = argc - optind;
    if (rest < 1) return brig_usage_error("db vercmp", "missing ECOSYSTEM");
    brig_ecosystem e = brig_ecosystem_parse(argv[optind]);
    if (e == BRIG_ECO_UNKNOWN) return brig_usage_error("db vercmp", "unknown ecosystem '%s'", argv[optind]);
    if (!batch) {
        if (rest != 3) return brig_usage_error("db vercmp", "expected ECOSYSTEM A B");
        int r = brig_version_compare(e, argv[optind + 1], argv[optind + 2]);
        puts(r < 0 ? "<" : r > 0 ? ">" : "=");
        return 0;
    }
    if (rest != 1) return brig_usage_error("db vercmp", "--batch takes only ECOSYSTEM (pairs come on stdin)");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        char *save = NULL;
        char *a = strtok_r(line, " \t\r\n", &save);
        char *b = a ? strtok_r(NULL, " \t\r\n", &save) : NULL;
        if (!b) { puts("?"); continue; }
        int r = brig_version_compare(e, a, b);
        puts(r < 0 ? "<" : r > 0 ? ">" : "=");
    }
    free(line);
    return 0;
}

static void match_json(json_t *arr, const brig_vuln_match *m) {
    json_t *al = json_array();
    for (size_t k = 0; k < m->n_aliases; k++) json_array_append_new(al, json_string(m->aliases[k]));
    json_t *o = json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:s, s:o, s:o}",
        "id", m->id, "aliases", al,
        "severity", brig_severity_name(m->severity),
        "cvss_score", m->cvss_score > 0 ? json_real(m->cvss_score) : json_null(),
        "fixed_version", m->fixed_version ? json_string(m->fixed_version) : json_null(),
        "summary", m->summary ? json_string(m->summary) : json_null(),
        "affected", m->affected ? m->affected : "",
        "source", m->source ? json_string(m->source) : json_null(),
        "url", m->url ? json_string(m->url) : json_null());
    json_array_append_new(arr, o);
}

static int cmd_query(int argc, char **argv) {
    static const struct option lo[] = { { "db", required_argument, 0, 'd' }, { "format", required_argument, 0, 'f' },
                                        { "help", no_argument, 0, 'h' }, { 0 } };
    const char *dbpath = NULL, *fmt = NULL;
    optind = 0;
    int c;
    while ((c = brig_getopt(argc, argv, "h", lo, "db query")) != -1) {
        if (c == 'd') dbpath = optarg;
        else if (c == 'f') fmt = optarg;
        else if (c == 'h') {
            puts("Usage: brig db query [--db PATH] [--format table|json] ECOSYSTEM[:DISTRO] PACKAGE VERSION\n\n"
                 "Lists the vulnerabilities of the database that affect PACKAGE at VERSION: one line per\n"
                 "ID with severity, fixed version (or 'no fix') and the affected range.\n"
                 "  ECOSYSTEM  Debian, Alpine, \"Red Hat\", npm, Go, PyPI, Maven (OSV names or dpkg/apk/...)\n"
                 "  DISTRO     for Debian and Alpine: debian:12, debian:bookworm, alpine:3.10, alpine:v3.10\n"
                 "  PACKAGE    Debian: source package; Alpine: origin; Go: module path; PyPI: any spelling\n"
                 "  --db PATH      database file (default $BRIG_DB or the cache)\n"
                 "  --format FMT   table (default) or json\n\n"
                 "Exit codes: 0 success (also when nothing matches), 2 bad command line,\n"
                 "3 database missing or invalid, 6 database error.");
            return 0;
        } else return BRIG_EXIT_USAGE;
    }
    bool json = false;
    if (fmt) {
        if (!strcmp(fmt, "json")) json = true;
        else if (strcmp(fmt, "table") != 0) return brig_usage_error("db query", "unknown format '%s' (table, json)", fmt);
    }
    if (argc - optind != 3) return brig_usage_error("db query", "expected ECOSYSTEM[:DISTRO] PACKAGE VERSION");
    const char *ecoarg = argv[optind], *pkg = argv[optind + 1], *ver = argv[optind + 2];
    brig_ecosystem e = brig_ecosystem_parse(ecoarg);
    if (e == BRIG_ECO_UNKNOWN) return brig_usage_error("db query", "unknown ecosystem '%s'", ecoarg);
    const char *colon = strchr(ecoarg, ':');
    const char *distro = colon ? colon + 1 : NULL;
    if ((e == BRIG_ECO_DEBIAN || e == BRIG_ECO_ALPINE) && (!distro || !*distro))
        return brig_usage_error("db query", "%s needs a release: %s:RELEASE (e.g. %s)", brig_ecosystem_name(e),
                                e == BRIG_ECO_DEBIAN ? "debian" : "alpine", e == BRIG_ECO_DEBIAN ? "debian:12" : "alpine:3.18");
    brig_vulndb *db;
    int rc = brig_vulndb_open(dbpath, &db);
    if (rc) { brig_print_error(rc); return rc; }
    brig_vuln_match *m = NULL;
    size_t n = 0;
    rc = brig_vulndb_query(db, e, distro, pkg, ver, &m, &n);
    brig_vulndb_close(db);
    if (rc) { brig_print_error(rc); return rc; }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) match_json(arr, &m[i]);
        json_t *doc = json_pack("{s:s, s:o, s:s, s:s, s:o}", "ecosystem", brig_ecosystem_name(e),
                                "distro", distro ? json_string(distro) : json_null(), "package", pkg,
                                "version", ver, "vulnerabilities", arr);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(doc);
    } else if (n == 0) {
        printf("no known vulnerabilities for %s %s (%s%s%s)\n", pkg, ver, brig_ecosystem_name(e),
               distro ? " " : "", distro ? distro : "");
    } else {
        printf("%-22s %-9s %-24s %s\n", "ID", "SEVERITY", "FIXED", "AFFECTED");
        for (size_t i = 0; i < n; i++)
            printf("%-22s %-9s %-24s %s\n", m[i].id, brig_severity_name(m[i].severity),
                   m[i].fixed_version ? m[i].fixed_version : "no fix", m[i].affected ? m[i].affected : "");
    }
    brig_vuln_matches_free(m, n);
    return 0;
}

int cmd_db(int argc, char **argv) {
    if (argc < 2) { db_usage(stderr); return BRIG_EXIT_USAGE; }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) { db_usage(stdout); return 0; }
    static const struct { const char *name; int (*fn)(int, char **); } subs[] = {
        { "import", brig_db_cmd_import }, { "update", brig_db_cmd_update }, { "info", brig_db_cmd_info },
        { "query", cmd_query }, { "vercmp", cmd_vercmp },
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(sub, subs[i].name)) return subs[i].fn(argc - 1, argv + 1);
    return brig_usage_error("db", "unknown subcommand '%s' (import, update, info, query, vercmp)", sub);
}
