/* Maven ComparableVersion order against the vectors of Maven's own
 * ComparableVersionTest (apache/maven maven-artifact 3.6-3.8: testVersionsQualifier,
 * testVersionsNumber, testVersionsEqual, testVersionComparing, leading zeros
 * MNG-6572, MNG-6964) plus the "release" alias. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "scan/version.h"

static void check_order(const char *const *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            if (brig_vercmp_maven(v[i], v[j]) >= 0) fail_msg("expected %s < %s", v[i], v[j]);
            if (brig_vercmp_maven(v[j], v[i]) <= 0) fail_msg("expected %s > %s", v[j], v[i]);
        }
}

static void eq(const char *a, const char *b) {
    if (brig_vercmp_maven(a, b) != 0 || brig_vercmp_maven(b, a) != 0) fail_msg("expected %s == %s", a, b);
}

static void lt(const char *a, const char *b) {
    if (brig_vercmp_maven(a, b) >= 0 || brig_vercmp_maven(b, a) <= 0) fail_msg("expected %s < %s", a, b);
}

static void test_versions_qualifier(void **s) {
    (void)s;
    static const char *const q[] = { "1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123", "1-m2",
        "1-m11", "1-rc", "1-cr2", "1-rc123", "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc", "1-def", "1-pom-1",
        "1-1-snapshot", "1-1", "1-2", "1-123" };
    check_order(q, sizeof q / sizeof q[0]);
}

static void test_versions_number(void **s) {
    (void)s;
    static const char *const n[] = { "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
        "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11",
        "11.a", "11b", "11c", "11m" };
    check_order(n, sizeof n / sizeof n[0]);
}

static void test_versions_equal(void **s) {
    (void)s;
    eq("1", "1"); eq("1", "1.0"); eq("1", "1.0.0"); eq("1.0", "1.0.0"); eq("1", "1-0"); eq("1", "1.0-0");
    eq("1.0", "1.0-0");
    /* no separator between number and character (Maven 3.x: a transition opens a sub-list) */
    eq("1a", "1-a"); eq("1a", "1.0-a"); eq("1a", "1.0.0-a"); eq("1.0a", "1-a"); eq("1.0.0a", "1-a");
    eq("1x", "1-x"); eq("1x", "1.0-x"); eq("1x", "1.0.0-x"); eq("1.0x", "1-x"); eq("1.0.0x", "1-x");
    eq("1ga", "1"); eq("1final", "1"); eq("1cr", "1rc"); eq("1release", "1");
    eq("1a1", "1alpha1"); eq("1b2", "1beta2"); eq("1m3", "1milestone3");
    eq("1X", "1x"); eq("1A", "1a"); eq("1B", "1b"); eq("1M", "1m"); eq("1Ga", "1"); eq("1GA", "1");
    eq("1Final", "1"); eq("1FinaL", "1"); eq("1FINAL", "1"); eq("1Cr", "1Rc"); eq("1cR", "1rC");
    eq("1m3", "1Milestone3"); eq("1m3", "1MileStone3"); eq("1m3", "1MILESTONE3");
    eq("1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

static void test_version_comparing(void **s) {
    (void)s;
    lt("1", "2"); lt("1.5", "2"); lt("1", "2.5"); lt("1.0", "1.1"); lt("1.1", "1.2"); lt("1.0.0", "1.1");
    lt("1.0.1", "1.1"); lt("1.1", "1.2.0");
    lt("1.0-alpha-1", "1.0"); lt("1.0-alpha-1", "1.0-alpha-2"); lt("1.0-alpha-1", "1.0-beta-1");
    lt("1.0-beta-1", "1.0-SNAPSHOT"); lt("1.0-SNAPSHOT", "1.0"); lt("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1");
    lt("1.0", "1.0-1"); lt("1.0-1", "1.0-2"); lt("1.0.0", "1.0-1");
    lt("2.0-1", "2.0.1"); lt("2.0.1-klm", "2.0.1-lmn"); lt("2.0.1", "2.0.1-xyz");
    lt("2.0.1", "2.0.1-123"); lt("2.0.1-xyz", "2.0.1-123");
}

static void test_leading_zeroes_and_big_numbers(void **s) {
    (void)s;
    lt("0.7", "2"); lt("0.2", "1.0.7");
    eq("0000000000000000001", "1"); eq("01", "1"); eq("0000000000000000000", "0");
    lt("20190126.230843", "1234567890.12345");
    lt("1234567890.12345", "123456789012345.1H.5-beta");
    lt("123456789012345.1H.5-beta", "12345678901234567890.1H.5-beta");
}

static void test_mng6964(void **s) {
    (void)s;
    lt("1-0.alpha", "1"); lt("1-0.beta", "1"); lt("1-0.alpha", "1-0.beta");
}

static void test_qualifier_ranks(void **s) {
    (void)s;
    static const char *const r[] = { "1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot", "1", "1-sp", "1-zzz" };
    check_order(r, sizeof r / sizeof r[0]);
    assert_true(brig_version_valid_maven("1.0-SNAPSHOT"));
    assert_false(brig_version_valid_maven(""));
    assert_false(brig_version_valid_maven("1.0 beta"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions_qualifier),
        cmocka_unit_test(test_versions_number),
        cmocka_unit_test(test_versions_equal),
        cmocka_unit_test(test_version_comparing),
        cmocka_unit_test(test_leading_zeroes_and_big_numbers),
        cmocka_unit_test(test_mng6964),
        cmocka_unit_test(test_qualifier_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
