/* Version comparators: ecosystem names, documented edge cases of each
 * ecosystem, and order laws (reflexive, antisymmetric, transitive) over a
 * mixed corpus that includes invalid strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "scan/version.h"

#define LT(e, a, b) do { if (brig_version_compare(e, a, b) >= 0 || brig_version_compare(e, b, a) <= 0) \
    fail_msg("%s: expected %s < %s", brig_ecosystem_name(e), a, b); } while (0)
#define EQ(e, a, b) do { if (brig_version_compare(e, a, b) != 0 || brig_version_compare(e, b, a) != 0) \
    fail_msg("%s: expected %s == %s", brig_ecosystem_name(e), a, b); } while (0)

static void test_ecosystem_names(void **s) {
    (void)s;
    assert_int_equal(brig_ecosystem_parse("Debian:12"), BRIG_ECO_DEBIAN);
    assert_int_equal(brig_ecosystem_parse("dpkg"), BRIG_ECO_DEBIAN);
    assert_int_equal(brig_ecosystem_parse("Alpine:v3.10"), BRIG_ECO_ALPINE);
    assert_int_equal(brig_ecosystem_parse("apk"), BRIG_ECO_ALPINE);
    assert_int_equal(brig_ecosystem_parse("Red Hat"), BRIG_ECO_RPM);
    assert_int_equal(brig_ecosystem_parse("rpm"), BRIG_ECO_RPM);
    assert_int_equal(brig_ecosystem_parse("npm"), BRIG_ECO_NPM);
    assert_int_equal(brig_ecosystem_parse("Go"), BRIG_ECO_GO);
    assert_int_equal(brig_ecosystem_parse("golang"), BRIG_ECO_GO);
    assert_int_equal(brig_ecosystem_parse("PyPI"), BRIG_ECO_PYPI);
    assert_int_equal(brig_ecosystem_parse("pip"), BRIG_ECO_PYPI);
    assert_int_equal(brig_ecosystem_parse("pypi"), BRIG_ECO_PYPI);
    assert_int_equal(brig_ecosystem_parse("Maven"), BRIG_ECO_MAVEN);
    assert_int_equal(brig_ecosystem_parse("crates.io"), BRIG_ECO_UNKNOWN);
    assert_int_equal(brig_ecosystem_parse("Go2"), BRIG_ECO_UNKNOWN);
    assert_int_equal(brig_ecosystem_parse(NULL), BRIG_ECO_UNKNOWN);
    assert_string_equal(brig_ecosystem_name(BRIG_ECO_RPM), "Red Hat");
    assert_string_equal(brig_ecosystem_name(BRIG_ECO_PYPI), "PyPI");
    for (int e = BRIG_ECO_DEBIAN; e <= BRIG_ECO_MAVEN; e++)
        assert_int_equal(brig_ecosystem_parse(brig_ecosystem_name((brig_ecosystem)e)), e);
}

static void test_dpkg(void **s) {
    (void)s;
    brig_ecosystem e = BRIG_ECO_DEBIAN;
    LT(e, "1.0~rc1", "1.0"); LT(e, "1.0~~", "1.0~"); LT(e, "1.0", "1.0a"); LT(e, "1.0a", "1.0+");
    LT(e, "1.0-1", "1.0-1+deb12u1"); LT(e, "9.9", "1:0.1"); LT(e, "2.30-1", "2.30-10");
    EQ(e, "1.0", "0:1.0"); EQ(e, "1.0", "1.0-0"); EQ(e, "1.01", "1.1"); EQ(e, " 1.0 ", "1.0");
    LT(e, "1.2.3-1~bpo11+1", "1.2.3-1");
    assert_true(brig_version_valid_dpkg("1:2.3.4-5+deb12u1"));
    assert_false(brig_version_valid_dpkg("a1.0"));
    assert_false(brig_version_valid_dpkg("1.0-"));
    assert_false(brig_version_valid_dpkg("x:1.0"));
    assert_false(brig_version_valid_dpkg(""));
    assert_false(brig_version_valid_dpkg("1.0 2"));
}

/* Vectors from dpkg's own lib/dpkg/t/t-version.c (compare and parse tests). */
static void test_dpkg_published(void **s) {
    (void)s;
    brig_ecosystem e = BRIG_ECO_DEBIAN;
    EQ(e, "0-0", "0-0"); EQ(e, "0-00", "00-0"); EQ(e, "1:2-3", "1:2-3");
    LT(e, "0-0", "1:0-0"); LT(e, "a-0", "b-0"); LT(e, "0-a", "0-b"); LT(e, "1-1", "2-1"); LT(e, "1-1", "1-2");
    EQ(e, "0", "0:0"); EQ(e, "0:0-", "0"); EQ(e, "0:0-0", "0-0"); EQ(e, "0:0.0-0.0", "0.0-0.0");
    EQ(e, "0:0-0-0", "0-0-0"); EQ(e, "0:0:0-0", "0:0:0-0"); EQ(e, "  \t0:0-1", "0-1"); EQ(e, "0:0-1\t  ", "0-1");
    /* t-version.c once accepted "0:0-"; Debian 12's dpkg (the reference here) rejects an empty revision. */
    static const char *const valid[] = { "0", "0:0", "0:0-0", "0:0.0-0.0", "1:0", "5:1", "0:0-0-0",
        "0:0-0-0-0", "0:0:0-0", "0:0:0:0-0", "0:0:0-0-0", "0:0-0:0-0", "0:09azAZ.-+~:-0", "0:0-azAZ09.+~",
        "  \t0:0-1", "0:0-1\t  " };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        if (!brig_version_valid_dpkg(valid[i])) fail_msg("dpkg: '%s' should be valid", valid[i]);
    static const char *const invalid[] = { "", "  ", "0:", "0:0-", "0:0 0-1", "-1:0-1", "999999999999999999999999:0-1",
        "a:0-0", "A:0-0", "-0", "0:-0", "0:abc3-0", "0:0-0:0" };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        if (brig_version_valid_dpkg(invalid[i])) fail_msg("dpkg: '%s' should be invalid", invalid[i]);
    char up[] = "0:0a-0", rev[] = "0:0-0";
    for (const char *p = "!#@$%&/|\\<>()[]{};,_=*^'"; *p; p++) {
        up[3] = *p;
        if (brig_version_valid_dpkg(up)) fail_msg("dpkg: '%s' should be invalid", up);
    }
    for (const char *p = "!#@$%&/|\\<>()[]{}:;,_=*^'"; *p; p++) {
        rev[4] = *p;
        if (brig_version_valid_dpkg(rev)) fail_msg("dpkg: '%s' should be invalid", rev);
    }
}

static void test_rpm(void **s) {
    (void)s;
    brig_ecosystem e = BRIG_ECO_RPM;
    LT(e, "1.0~rc1-1", "1.0-1"); LT(e, "1.0-1", "1.0^git1-1"); LT(e, "1.0^git1-1", "1.0.1-1");
    LT(e, "1.0a-1", "1.0.1-1"); LT(e, "1.0-1.el8", "1.0-1.el9"); LT(e, "2.0-1", "1:1.0-1");
    EQ(e, "1.0-1", "0:1.0-1"); EQ(e, "1.0", "1.0-5");   /* release ignored when one side has none */
    EQ(e, "1.01-1", "1.1-1"); EQ(e, "1_0-1", "1.0-1");
    assert_int_equal(brig_rpmvercmp("1.0", "1.0"), 0);
    assert_true(brig_rpmvercmp("a", "1") < 0);    /* numeric segments beat alphabetic */
    assert_true(brig_version_valid_rpm("1:2.3-4.el9"));
    assert_false(brig_version_valid_rpm("1:2:3"));
    assert_false(brig_version_valid_rpm(""));
}

static void test_semver_go(void **s) {
    (void)s;
    brig_ecosystem n = BRIG_ECO_NPM, g = BRIG_ECO_GO;
    static const char *const order[] = { "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0" };   /* SemVer 2.0.0 spec section 11 */
    for (size_t i = 0; i + 1 < sizeof order / sizeof order[0]; i++) LT(n, order[i], order[i + 1]);
    EQ(n, "1.0.0+build.1", "1.0.0"); EQ(n, "v1.2.3", "1.2.3"); EQ(n, " 1.2.3 ", "1.2.3");
    assert_false(brig_version_valid_semver("=1.2.3"));   /* npm strict mode: only "v" */
    assert_false(brig_version_valid_semver("V1.2.3"));
    LT(n, "1.0.0", "1.0.1"); LT(n, "1.9.0", "1.10.0");
    assert_false(brig_version_valid_semver("1.0"));
    assert_false(brig_version_valid_semver("01.0.0"));
    assert_false(brig_version_valid_semver("1.0.0-01"));
    assert_true(brig_version_valid_semver("1.0.0-0a"));
    LT(n, "not-a-version", "0.0.0");   /* invalid sorts first */
    LT(g, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0");
    LT(g, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa");
    EQ(g, "v2.0.0+incompatible", "v2.0.0"); EQ(g, "v1", "v1.0.0"); EQ(g, "1.6.0", "v1.6.0");
    LT(g, "1.5.9", "v1.6.0");
    /* toolchain spellings (stdlib records) */
    EQ(g, "go1.21.3", "1.21.3"); EQ(g, "go1.21", "1.21.0"); EQ(g, "go1.9", "1.9.0");
    EQ(g, "go1.21rc2", "1.21.0-rc.2"); LT(g, "go1.21rc2", "go1.21.0"); LT(g, "go1.20.14", "go1.21beta1");
    assert_true(brig_version_valid_go("v1.2.3-pre+meta"));
    assert_false(brig_version_valid_go("v1.2-pre"));
}

static void test_pep440(void **s) {
    (void)s;
    brig_ecosystem p = BRIG_ECO_PYPI;
    static const char *const order[] = { "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
        "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0",
        "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1" };  /* PEP 440 example */
    for (size_t i = 0; i + 1 < sizeof order / sizeof order[0]; i++) LT(p, order[i], order[i + 1]);
    EQ(p, "1.0a1", "1.0.0a1"); EQ(p, "1.0-post1", "1.0.post1"); EQ(p, "1.0-1", "1.0.post1");
    EQ(p, "1.0ALPHA1", "1.0a1"); EQ(p, "1.0c1", "1.0rc1"); EQ(p, "1.0.rev", "1.0.post0");
    EQ(p, "v1.0", "1.0"); EQ(p, "1!1.0", "1!1.0.0"); LT(p, "2.0", "1!0.1");
    EQ(p, "1.0+Ubuntu.1", "1.0+ubuntu-1");
    assert_false(brig_version_valid_pep440("1.0-foo"));
    assert_false(brig_version_valid_pep440("2.0.0-final"));
    assert_false(brig_version_valid_pep440(""));
    assert_true(brig_version_valid_pep440(" 1.0.post1 "));
    EQ(p, "99999999999999999999999.1", "99999999999999999999999.1.0");
}

/* Order laws over a corpus with valid and garbage strings, for every ecosystem. */
static void test_order_laws(void **s) {
    (void)s;
    static const char *const corpus[] = { "", "0", "1", "1.0", "1.0.0", "v1.0.0", "1.0-1", "1:1.0", "1.0~rc1",
        "1.0^1", "1.0a", "1.0_alpha", "1.0-r1", "1.0.post1", "1.0.dev0", "1.0+local", "1.0-SNAPSHOT", "1-sp",
        "abc", "-", ".", "~", "1..0", "1.0-", "+", "9999999999999999999999", "1.0.0-rc.1", "0.0.0-2019-abc",
        "1.a.1", "1_p1", "1.0-0.alpha", "1!2", "\xff\xfe", "1.0~", "01.2", "1.2.3.4.5.6.7.8.9" };
    size_t n = sizeof corpus / sizeof corpus[0];
    for (int e = BRIG_ECO_DEBIAN; e <= BRIG_ECO_MAVEN; e++) {
        for (size_t i = 0; i < n; i++) {
            if (brig_version_compare((brig_ecosystem)e, corpus[i], corpus[i]) != 0)
                fail_msg("%s: %s not equal to itself", brig_ecosystem_name((brig_ecosystem)e), corpus[i]);
            for (size_t j = 0; j < n; j++) {
                int a = brig_version_compare((brig_ecosystem)e, corpus[i], corpus[j]);
                int b = brig_version_compare((brig_ecosystem)e, corpus[j], corpus[i]);
                if ((a > 0) != (b < 0) || (a == 0) != (b == 0))
                    fail_msg("%s: antisymmetry broken for '%s' vs '%s' (%d, %d)", brig_ecosystem_name((brig_ecosystem)e), corpus[i], corpus[j], a, b);
            }
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecosystem_names),
        cmocka_unit_test(test_dpkg),
        cmocka_unit_test(test_dpkg_published),
        cmocka_unit_test(test_rpm),
        cmocka_unit_test(test_semver_go),
        cmocka_unit_test(test_pep440),
        cmocka_unit_test(test_order_laws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
