/* .trivyignore-format ignore files: IDs, expiry, comments, errors, alias matching. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>
#include "scan/ignore.h"
#include "util/err.h"
#include "util/exitcodes.h"

/* 2026-03-15 12:00:00 UTC */
#define NOW ((time_t)1773576000)

static void parse_and_match(void **st) {
    (void)st;
    const char *s = "# accepted risks\n"
                    "CVE-2019-1547\n"
                    "  GO-2023-1751   exp:2099-01-01  # until the rebuild\n"
                    "CVE-2019-14697 exp:2026-03-15\n"   /* expires today: no longer ignored */
                    "PYSEC-2022-42986 exp:2020-01-01\n"
                    "\n";
    brig_ignore ig;
    assert_int_equal(brig_ignore_parse(".trivyignore", s, strlen(s), NOW, &ig), 0);
    assert_int_equal(ig.n, 4);
    assert_true(brig_ignore_match(&ig, "CVE-2019-1547", NULL, 0, NULL));
    assert_true(brig_ignore_match(&ig, "GO-2023-1751", NULL, 0, NULL));
    assert_false(brig_ignore_match(&ig, "CVE-2019-14697", NULL, 0, NULL));
    assert_false(brig_ignore_match(&ig, "PYSEC-2022-42986", NULL, 0, NULL));
    assert_false(brig_ignore_match(&ig, "CVE-2000-0001", NULL, 0, NULL));
    char *aliases[] = { "GHSA-xxxx", "CVE-2019-1547" };
    assert_true(brig_ignore_match(&ig, "ALPINE-1", aliases, 2, "lib/apk/db/installed"));   /* matched through an alias */
    assert_true(ig.v[2].expired);
    assert_int_equal(ig.v[2].line, 4);
    assert_false(ig.v[1].expired);
    brig_ignore_free(&ig);
}

static void bad_lines(void **st) {
    (void)st;
    brig_ignore ig;
    const char *s = "CVE-1\nCVE-2 exp:2024-13-01\n";
    assert_int_equal(brig_ignore_parse("ign", s, strlen(s), NOW, &ig), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "ign:2:7"));
    const char *t = "CVE-1 extra-word\n";
    assert_int_equal(brig_ignore_parse("ign", t, strlen(t), NOW, &ig), BRIG_EXIT_INPUT);
    const char *feb = "CVE-1 exp:2023-02-29\n";   /* not a leap year */
    assert_int_equal(brig_ignore_parse("ign", feb, strlen(feb), NOW, &ig), BRIG_EXIT_INPUT);
    const char *leap = "CVE-1 exp:2024-02-29\r\n";
    assert_int_equal(brig_ignore_parse("ign", leap, strlen(leap), NOW, &ig), 0);
    assert_true(ig.v[0].expired);
    brig_ignore_free(&ig);
    assert_int_equal(brig_ignore_load("/nonexistent/ignorefile", NOW, &ig), BRIG_EXIT_INPUT);
}

static void yaml_form(void **st) {
    (void)st;
    const char *y =
        "vulnerabilities:\n"
        "  - id: CVE-2022-40897\n"
        "    paths:\n"
        "      - /usr/lib/python3/dist-packages/setuptools-*\n"
        "    statement: not reachable\n"
        "  - id: GO-2023-1751\n"
        "    expired_at: 2020-01-01\n"
        "  - id: CVE-2019-14697\n"
        "    expired_at: 2099-12-31\n"
        "secrets:\n"
        "  - id: aws-access-key-id\n"
        "misconfigurations:\n";
    brig_ignore ig;
    assert_int_equal(brig_ignore_parse_yaml("i.yaml", y, strlen(y), NOW, &ig), 0);
    assert_int_equal(ig.n, 4);
    assert_true(brig_ignore_match(&ig, "CVE-2022-40897", NULL, 0, "usr/lib/python3/dist-packages/setuptools-66.1.1.egg-info/PKG-INFO"));
    assert_false(brig_ignore_match(&ig, "CVE-2022-40897", NULL, 0, "opt/venv/lib/setuptools-66.1.1.dist-info/METADATA"));
    assert_false(brig_ignore_match(&ig, "CVE-2022-40897", NULL, 0, NULL));
    assert_false(brig_ignore_match(&ig, "GO-2023-1751", NULL, 0, "usr/bin/x"));   /* expired */
    assert_true(ig.v[1].expired);
    assert_int_equal(ig.v[1].line, 6);
    assert_true(brig_ignore_match(&ig, "CVE-2019-14697", NULL, 0, "lib/apk/db/installed"));
    assert_true(brig_ignore_match(&ig, "aws-access-key-id", NULL, 0, "etc/creds"));
    brig_ignore_free(&ig);

    const char *badkey = "vulnerabilities:\n  - id: X\n    colour: red\n";
    assert_int_equal(brig_ignore_parse_yaml("b.yaml", badkey, strlen(badkey), NOW, &ig), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "b.yaml:3:5: unknown key 'colour'"));
    const char *noid = "vulnerabilities:\n  - paths: [a]\n";
    assert_int_equal(brig_ignore_parse_yaml("b.yaml", noid, strlen(noid), NOW, &ig), BRIG_EXIT_INPUT);
    const char *baddate = "vulnerabilities:\n  - id: X\n    expired_at: soon\n";
    assert_int_equal(brig_ignore_parse_yaml("b.yaml", baddate, strlen(baddate), NOW, &ig), BRIG_EXIT_INPUT);
    const char *broken = "vulnerabilities: [\n";
    assert_int_equal(brig_ignore_parse_yaml("b.yaml", broken, strlen(broken), NOW, &ig), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "invalid YAML"));
    const char *section = "packages:\n  - id: X\n";
    assert_int_equal(brig_ignore_parse_yaml("b.yaml", section, strlen(section), NOW, &ig), BRIG_EXIT_INPUT);
}

int main(void) {
    const struct CMUnitTest tests[] = { cmocka_unit_test(parse_and_match), cmocka_unit_test(bad_lines), cmocka_unit_test(yaml_form) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
