/* Image misconfiguration: every check fires on the bad fixture image and none
 * on the good one (tests/fixtures/build-secrets.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "misconfig/mc.h"
#include "util/err.h"

#define FIX "tests/fixtures/out/secrets"

static int setup(void **st) {
    (void)st;
    return system("tests/fixtures/build-secrets.sh >&2") == 0 ? 0 : -1;
}

static void scan(const char *ref, brig_findings *fs) {
    brig_image *img;
    if (brig_image_open(ref, NULL, &img)) fail_msg("%s: %s", ref, brig_errmsg());
    memset(fs, 0, sizeof *fs);
    if (brig_misconfig_scan_image(img, fs)) fail_msg("%s: %s", ref, brig_errmsg());
    brig_image_close(img);
}

static size_t count(const brig_findings *fs, const char *id, const char *file) {
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        if (!strcmp(fs->v[i].rule_id, id) && (!file || (fs->v[i].file && !strcmp(fs->v[i].file, file)))) n++;
    return n;
}

static void test_bad_image_trips_every_check(void **st) {
    (void)st;
    brig_findings fs;
    scan("oci:" FIX "/misconfig-bad-oci:latest", &fs);
    assert_true(brig_mc_n_checks >= 20);
    for (size_t i = 0; i < brig_mc_n_checks; i++)
        if (!count(&fs, brig_mc_checks[i].id, NULL)) fail_msg("check %s did not fire on the bad image", brig_mc_checks[i].id);
    assert_int_equal(count(&fs, "CIS-DI-0008", "usr/bin/sudo"), 1);
    assert_int_equal(count(&fs, "CIS-DI-0008", "opt/tool/run"), 1);
    assert_int_equal(count(&fs, "CIS-DI-0008", NULL), 2);
    assert_int_equal(count(&fs, "BRIG-IMG-002", "opt/tool/state"), 1);
    assert_int_equal(count(&fs, "BRIG-IMG-002", "srv/shared"), 1);
    assert_int_equal(count(&fs, "BRIG-IMG-002", "tmp"), 0);    /* sticky: fine */
    assert_int_equal(count(&fs, "DKL-DI-0005", NULL), 5);
    assert_int_equal(count(&fs, "CIS-DI-0010", "config:Env[1]"), 1);
    assert_int_equal(count(&fs, "CIS-DI-0009", NULL), 1);       /* ADD app.tar; the base ADD file: is not flagged */
    assert_int_equal(count(&fs, "BRIG-IMG-001", NULL), 1);
    assert_int_equal(count(&fs, "DKL-LI-0001", "etc/shadow"), 1);
    assert_int_equal(count(&fs, "DKL-LI-0002", "etc/passwd"), 1);
    for (size_t i = 0; i < fs.n; i++) {
        assert_non_null(fs.v[i].fix);
        assert_non_null(fs.v[i].title);
        /* the literal credential value itself is never echoed */
        assert_null(strstr(fs.v[i].message, "plain-text-token-value"));
        assert_null(strstr(fs.v[i].message, "hunter2hunter2"));
    }
    brig_findings_free(&fs);
}

static void test_good_image_is_clean(void **st) {
    (void)st;
    brig_findings fs;
    scan("oci:" FIX "/misconfig-good-oci:1.0", &fs);
    for (size_t i = 0; i < fs.n; i++) fprintf(stderr, "# unexpected: %s %s %s\n", fs.v[i].rule_id, fs.v[i].file, fs.v[i].message);
    assert_int_equal(fs.n, 0);
    brig_findings_free(&fs);
}

static void test_catalogue(void **st) {
    (void)st;
    for (size_t i = 0; i < brig_mc_n_checks; i++) {
        const mc_check *c = &brig_mc_checks[i];
        assert_ptr_equal(brig_mc_find(c->id), c);
        assert_true(strlen(c->title) > 5 && !strchr(c->title, '\n'));
        assert_true(strlen(c->fix) > 5 && !strchr(c->fix, '\n'));
        assert_true(c->severity >= BRIG_SEV_LOW);
    }
    assert_null(brig_mc_find("CIS-DI-9999"));
    assert_true(mc_suspicious_name("DB_PASSWORD", 11));
    assert_true(mc_suspicious_name("github_token", 12));
    assert_false(mc_suspicious_name("DB_PASSWORD_FILE", 16));
    assert_false(mc_suspicious_name("PATH", 4));
    assert_false(mc_literal_value("$SECRET"));
    assert_false(mc_literal_value(""));
    assert_true(mc_literal_value("hunter2"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_bad_image_trips_every_check),
        cmocka_unit_test(test_good_image_is_clean),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
