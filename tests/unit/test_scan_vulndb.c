/* Vulnerability database: CVSS v3 scoring, OSV range evaluation (unsorted
 * events, several intervals, last_affected, limit, explicit versions),
 * Alpine secdb and Debian tracker semantics, malformed input handling and
 * merge-on-reimport, all through the real import and query paths. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scan/vulndb.h"
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/fileio.h"

static char dir[64], dbpath[128];

static void put(const char *name, const char *content) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    char *sl = strrchr(p, '/');
    *sl = 0; brig_mkdir_p(p, 0755); *sl = '/';
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static int setup(void **s) {
    (void)s;
    snprintf(dir, sizeof dir, "/tmp/brig-vulndb-unit.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(dbpath, sizeof dbpath, "%s/db/vuln.db", dir);
    return 0;
}

static int teardown(void **s) {
    (void)s;
    brig_rm_rf(dir);
    return 0;
}

static int import(const char *sub, const char *name, bool strict) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    char *srcs[] = { p };
    const char *names[] = { name };
    brig_import_opts o = { .strict = strict };
    return brig_vulndb_import_paths(dbpath, srcs, names, 1, &o);
}

/* Comma-separated IDs matching (sorted), or "" — compact to assert on. */
static char *ids(brig_ecosystem e, const char *distro, const char *pkg, const char *ver, char *fixed_out, size_t fl) {
    static char buf[1024];
    brig_vulndb *db;
    assert_int_equal(brig_vulndb_open(dbpath, &db), 0);
    brig_vuln_match *m;
    size_t n;
    assert_int_equal(brig_vulndb_query(db, e, distro, pkg, ver, &m, &n), 0);
    char *list[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 64; i++) list[k++] = m[i].id;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++)
            if (strcmp(list[i], list[j]) > 0) { char *t = list[i]; list[i] = list[j]; list[j] = t; }
    buf[0] = 0;
    for (size_t i = 0; i < k; i++) { if (i) strcat(buf, ","); strncat(buf, list[i], sizeof buf - strlen(buf) - 1); }
    if (fixed_out) snprintf(fixed_out, fl, "%s", n && m[0].fixed_version ? m[0].fixed_version : "-");
    brig_vuln_matches_free(m, n);
    brig_vulndb_close(db);
    return buf;
}

static void test_cvss(void **s) {
    (void)s;
    static const struct { const char *v; double score; brig_severity sev; } t[] = {
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, BRIG_SEV_CRITICAL },
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, BRIG_SEV_MEDIUM },
        { "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5, BRIG_SEV_MEDIUM },
        { "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, BRIG_SEV_MEDIUM },
        { "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, BRIG_SEV_HIGH },
        { "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, BRIG_SEV_CRITICAL },
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, BRIG_SEV_CRITICAL },
        { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3, BRIG_SEV_MEDIUM },
        { "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, BRIG_SEV_LOW },
        { "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0, BRIG_SEV_INFO },
        { "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:N/E:P/RL:O", 5.5, BRIG_SEV_MEDIUM },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        double sc = brig_cvss3_score(t[i].v);
        if (sc < t[i].score - 0.001 || sc > t[i].score + 0.001) fail_msg("%s: got %.1f want %.1f", t[i].v, sc, t[i].score);
        assert_int_equal(brig_cvss_severity(sc), t[i].sev);
    }
    assert_true(brig_cvss3_score("CVSS:2.0/AV:N") < 0);
    assert_true(brig_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H") < 0);   /* A missing */
    assert_true(brig_cvss3_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") < 0);
    assert_true(brig_cvss3_score("") < 0);
    /* CVSS v2 (NVD examples) */
    assert_true(brig_cvss2_score("AV:N/AC:L/Au:N/C:P/I:P/A:P") > 7.49 && brig_cvss2_score("AV:N/AC:L/Au:N/C:P/I:P/A:P") < 7.51);
    assert_true(brig_cvss2_score("(AV:N/AC:L/Au:N/C:C/I:C/A:C)") > 9.99);
    assert_true(brig_cvss2_score("AV:N/AC:M/Au:N/C:N/I:P/A:N") > 4.29 && brig_cvss2_score("AV:N/AC:M/Au:N/C:N/I:P/A:N") < 4.31);
    assert_true(brig_cvss2_score("AV:L/AC:L/Au:N/C:N/I:N/A:N") == 0);
    assert_true(brig_cvss2_score("AV:N/AC:L") < 0);
    assert_true(brig_cvss3_score(NULL) < 0);
}

static void test_osv_ranges(void **s) {
    (void)s;
    /* Events deliberately unsorted; two intervals; a SEMVER range with last_affected. */
    put("osv/A.json", "{\"id\":\"OSV-A\",\"modified\":\"2024-01-02T00:00:00Z\",\"aliases\":[\"CVE-2024-1\"],"
        "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
        "\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo_Bar\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
        "\"events\":[{\"fixed\":\"2.0.3\"},{\"introduced\":\"1.0\"},{\"fixed\":\"1.4.2\"},{\"introduced\":\"2.0\"}]}]}]}");
    put("osv/B.json", "{\"id\":\"OSV-B\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},"
        "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\"}],"
        "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"last_affected\":\"1.2.0\"}]}]}]}");
    put("osv/C.json", "{\"id\":\"OSV-C\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"example.com/m\"},"
        "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.1.0\"}]},{\"type\":\"GIT\",\"repo\":\"x\",\"events\":[{\"introduced\":\"abc\"}]}],"
        "\"versions\":[\"0.9.0\"]}]}");
    put("osv/D.json", "{\"id\":\"OSV-D\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"Maven\",\"name\":\"g:a\"},"
        "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"2.0\"}]}]}]}");
    put("osv/W.json", "{\"id\":\"OSV-W\",\"modified\":\"2024-01-01T00:00:00Z\",\"withdrawn\":\"2024-02-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},"
        "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]}]}");
    assert_int_equal(import("osv", "t-osv", false), 0);
    char fx[64];
    brig_ecosystem P = BRIG_ECO_PYPI;
    assert_string_equal(ids(P, NULL, "foo-bar", "0.9", NULL, 0), "");
    assert_string_equal(ids(P, NULL, "foo-bar", "1.0", fx, sizeof fx), "OSV-A");
    assert_string_equal(fx, "1.4.2");
    assert_string_equal(ids(P, NULL, "FOO.bar", "1.4.1", NULL, 0), "OSV-A");     /* PEP 503 name */
    assert_string_equal(ids(P, NULL, "foo-bar", "1.4.2", NULL, 0), "");
    assert_string_equal(ids(P, NULL, "foo-bar", "1.9", NULL, 0), "");
    assert_string_equal(ids(P, NULL, "foo-bar", "2.0.0", fx, sizeof fx), "OSV-A");
    assert_string_equal(fx, "2.0.3");
    assert_string_equal(ids(P, NULL, "foo-bar", "2.0.3", NULL, 0), "");
    assert_string_equal(ids(P, NULL, "foo-bar", "2.0.3rc1", NULL, 0), "OSV-A");  /* PEP 440: rc < final */
    brig_ecosystem N = BRIG_ECO_NPM;
    assert_string_equal(ids(N, NULL, "left-pad", "1.2.0", fx, sizeof fx), "OSV-B");   /* withdrawn W absent */
    assert_string_equal(fx, "-");
    assert_string_equal(ids(N, NULL, "left-pad", "1.2.1", NULL, 0), "");
    brig_ecosystem G = BRIG_ECO_GO;
    assert_string_equal(ids(G, NULL, "example.com/m", "v1.0.0", NULL, 0), "");
    assert_string_equal(ids(G, NULL, "example.com/m", "v1.1.0", NULL, 0), "OSV-C");
    assert_string_equal(ids(G, NULL, "example.com/m", "v0.9.0", NULL, 0), "OSV-C");   /* explicit versions list */
    assert_string_equal(ids(N, NULL, "left-pad", "(devel)", NULL, 0), "");            /* unparsable: no range match */
    assert_string_equal(ids(BRIG_ECO_MAVEN, NULL, "g:a", "1.9", NULL, 0), "OSV-D");
    assert_string_equal(ids(BRIG_ECO_MAVEN, NULL, "g:a", "2.0", NULL, 0), "");
    /* severity from the CVSS vector, aliases kept */
    brig_vulndb *db;
    assert_int_equal(brig_vulndb_open(dbpath, &db), 0);
    brig_vuln_match *m; size_t n;
    assert_int_equal(brig_vulndb_query(db, P, NULL, "foo-bar", "1.0", &m, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].severity, BRIG_SEV_CRITICAL);
    assert_true(m[0].cvss_score > 9.7 && m[0].cvss_score < 9.9);
    assert_int_equal(m[0].n_aliases, 1);
    assert_string_equal(m[0].aliases[0], "CVE-2024-1");
    assert_string_equal(m[0].affected, ">=1.0, <1.4.2");
    assert_string_equal(m[0].source, "t-osv");
    brig_vuln_matches_free(m, n);
    /* per-package severity (OSV affected[].severity) */
    assert_int_equal(brig_vulndb_query(db, N, NULL, "left-pad", "1.0.0", &m, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].severity, BRIG_SEV_MEDIUM);
    brig_vuln_matches_free(m, n);
    brig_vulndb_close(db);
}

static void test_alpine_debian(void **s) {
    (void)s;
    put("alpine/v3.18/main.json", "{\"distroversion\":\"v3.18\",\"reponame\":\"main\",\"packages\":[{\"pkg\":{\"name\":\"openssl\","
        "\"secfixes\":{\"3.1.4-r0\":[\"CVE-2023-5363 CVE-2023-5678\"],\"3.1.1-r1\":[\"CVE-2023-2975\"],\"0\":[\"CVE-2022-0001\"]}}},"
        "{\"pkg\":{\"name\":\"zlib\",\"secfixes\":{\"1.2.13-r0\":null}}}]}");
    assert_int_equal(import("alpine", "t-alpine", false), 0);
    brig_ecosystem A = BRIG_ECO_ALPINE;
    assert_string_equal(ids(A, "3.18", "openssl", "3.1.1-r0", NULL, 0), "CVE-2023-2975,CVE-2023-5363,CVE-2023-5678");
    assert_string_equal(ids(A, "v3.18", "openssl", "3.1.1-r1", NULL, 0), "CVE-2023-5363,CVE-2023-5678");
    assert_string_equal(ids(A, "alpine:3.18.4", "openssl", "3.1.4-r0", NULL, 0), "");
    assert_string_equal(ids(A, "3.18", "openssl", "3.1.4_rc1-r0", NULL, 0), "CVE-2023-5363,CVE-2023-5678");
    assert_string_equal(ids(A, "3.17", "openssl", "1.0", NULL, 0), "");           /* other release */
    /* secdb has no severities: one is borrowed from another source naming the CVE as an alias */
    put("ghsa/G.json", "{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[\"CVE-2023-5363\"],"
        "\"database_specific\":{\"severity\":\"HIGH\"},\"affected\":[]}");
    assert_int_equal(import("ghsa", "t-ghsa", false), 0);
    brig_vulndb *db;
    assert_int_equal(brig_vulndb_open(dbpath, &db), 0);
    brig_vuln_match *m; size_t n;
    assert_int_equal(brig_vulndb_query(db, A, "3.18", "openssl", "3.1.4_rc1-r0", &m, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].id, "CVE-2023-5363");     /* HIGH sorts first */
    assert_int_equal(m[0].severity, BRIG_SEV_HIGH);
    assert_int_equal(m[1].severity, BRIG_SEV_UNKNOWN);
    brig_vuln_matches_free(m, n);
    brig_vulndb_close(db);
    put("deb/tracker.json", "{\"openssl\":{\"CVE-2023-1\":{\"description\":\"bad thing\",\"scope\":\"remote\",\"releases\":{"
        "\"bookworm\":{\"status\":\"resolved\",\"fixed_version\":\"3.0.11-1~deb12u1\",\"urgency\":\"high\",\"repositories\":{\"bookworm\":\"3.0.11-1~deb12u2\"}},"
        "\"sid\":{\"status\":\"open\",\"urgency\":\"high\",\"repositories\":{\"sid\":\"3.1.0-1\"}},"
        "\"bullseye\":{\"status\":\"resolved\",\"fixed_version\":\"0\",\"urgency\":\"unimportant\"}}},"
        "\"CVE-2023-2\":{\"releases\":{\"bookworm\":{\"status\":\"undetermined\",\"urgency\":\"unimportant\"}}}}}");
    assert_int_equal(import("deb/tracker.json", "t-deb", false), 0);
    brig_ecosystem D = BRIG_ECO_DEBIAN;
    char fx[64];
    assert_string_equal(ids(D, "12", "openssl", "3.0.9-1", fx, sizeof fx), "CVE-2023-1,CVE-2023-2");
    assert_string_equal(fx, "3.0.11-1~deb12u1");      /* HIGH sorts before INFO */
    assert_string_equal(ids(D, "debian:bookworm", "openssl", "3.0.11-1~deb12u1", NULL, 0), "CVE-2023-2");
    assert_string_equal(ids(D, "sid", "openssl", "9.9", NULL, 0), "CVE-2023-1");
    assert_string_equal(ids(D, "11", "openssl", "1.1.1n-0+deb11u5", NULL, 0), "");
    /* the earlier sources survive a later import (merge) */
    assert_string_equal(ids(A, "3.18", "openssl", "3.1.1-r1", NULL, 0), "CVE-2023-5363,CVE-2023-5678");
}

static void test_malformed_and_reimport(void **s) {
    (void)s;
    put("bad/ok.json", "{\"id\":\"OK-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
        "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"}]}]}]}");
    put("bad/syntax.json", "{\"id\": \"BAD-1\",\n \"affected\": [\n}");
    put("bad/events.json", "{\"id\":\"BAD-2\",\"modified\":\"x\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
        "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":7}]}]}]}");
    /* strict: the first bad record is fatal and the database stays as it was */
    struct stat before, after;
    assert_int_equal(stat(dbpath, &before), 0);
    int rc = import("bad", "t-bad", true);
    assert_int_equal(rc, BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "events.json"));
    assert_non_null(strstr(brig_errmsg(), "affected[0].ranges[0].events[1]"));
    assert_int_equal(stat(dbpath, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_string_equal(ids(BRIG_ECO_NPM, NULL, "x", "0.1.0", NULL, 0), "");
    /* default: bad records skipped, the good one imported */
    assert_int_equal(import("bad", "t-bad", false), 0);
    assert_string_equal(ids(BRIG_ECO_NPM, NULL, "x", "0.1.0", NULL, 0), "OK-1");
    /* re-import of the same source name replaces its rows */
    put("bad/ok.json", "{\"id\":\"OK-2\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
        "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"}]}]}]}");
    assert_int_equal(import("bad", "t-bad", false), 0);
    assert_string_equal(ids(BRIG_ECO_NPM, NULL, "x", "0.1.0", NULL, 0), "OK-2");
    /* a source with nothing usable is an error */
    put("empty/readme.json", "[1,2,3]");
    assert_int_equal(import("empty", "t-empty", false), BRIG_EXIT_INPUT);
}

static void test_open_missing(void **s) {
    (void)s;
    brig_vulndb *db = NULL;
    assert_int_equal(brig_vulndb_open("/nonexistent/brig/vuln.db", &db), BRIG_EXIT_INPUT);
    assert_null(db);
    assert_non_null(strstr(brig_errmsg(), "brig db import"));
    char junk[256];
    snprintf(junk, sizeof junk, "%s/junk.db", dir);
    FILE *f = fopen(junk, "w");
    fputs("this is not sqlite", f);
    fclose(f);
    assert_int_equal(brig_vulndb_open(junk, &db), BRIG_EXIT_INPUT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cvss),
        cmocka_unit_test(test_osv_ranges),
        cmocka_unit_test(test_alpine_debian),
        cmocka_unit_test(test_malformed_and_reimport),
        cmocka_unit_test(test_open_missing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
