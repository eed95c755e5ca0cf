/* Secrets in real images (tests/fixtures/build-secrets.sh): every planted
 * secret found in the right place with its layer state, nothing on clean
 * images, and no output format ever carries a full secret. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "secrets/secrets.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define FIX "tests/fixtures/out/secrets"

static int setup(void **st) {
    (void)st;
    if (system("tests/fixtures/build-secrets.sh >&2") != 0) { fprintf(stderr, "fixture build failed\n"); return -1; }
    return 0;
}

static void scan(const char *ref, const brig_secrets_opts *o, brig_findings *fs) {
    brig_image *img;
    if (brig_image_open(ref, NULL, &img)) fail_msg("%s: %s", ref, brig_errmsg());
    memset(fs, 0, sizeof *fs);
    if (brig_secrets_scan_image(img, o, fs)) fail_msg("%s: %s", ref, brig_errmsg());
    brig_image_close(img);
}

static const brig_finding *find(const brig_findings *fs, const char *rule) {
    for (size_t i = 0; i < fs->n; i++) if (!strcmp(fs->v[i].rule_id, rule)) return &fs->v[i];
    return NULL;
}

static void expect_state(const brig_finding *f, const char *state, long layer, long removed_in) {
    assert_non_null(f);
    assert_non_null(f->extra_json);
    json_error_t e;
    json_t *j = json_loads(f->extra_json, 0, &e);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "state")), state);
    assert_int_equal(json_integer_value(json_object_get(j, "layer")), layer);
    assert_non_null(json_object_get(j, "layer_digest"));
    if (removed_in >= 0) {
        assert_int_equal(json_integer_value(json_object_get(j, "removed_in")), removed_in);
        assert_non_null(json_object_get(j, "removed_in_digest"));
    } else {
        assert_null(json_object_get(j, "removed_in"));
    }
    json_decref(j);
}

static void test_every_place(void **st) {
    (void)st;
    brig_findings fs;
    scan("oci:" FIX "/secrets-oci:1.0", NULL, &fs);
    assert_int_equal(fs.n, 8);
    const brig_finding *f = find(&fs, "aws-access-token");
    assert_non_null(f);
    assert_non_null(strstr(f->file, ":app/config/settings.yml"));
    assert_int_equal(f->line, 3);
    assert_int_equal(f->column, 20);
    expect_state(f, "visible", 1, -1);
    expect_state(find(&fs, "aws-secret-access-key"), "visible", 1, -1);
    f = find(&fs, "private-key");
    assert_non_null(strstr(f->file, ":root/.ssh/id_ed25519"));
    assert_non_null(strstr(f->message, "deleted by layer 2"));
    expect_state(f, "deleted", 1, 2);
    f = find(&fs, "npm-access-token");
    assert_non_null(strstr(f->file, ":app/.npmrc"));
    expect_state(f, "replaced", 1, 2);
    f = find(&fs, "github-pat");
    assert_non_null(f);
    assert_string_equal(f->file, "history[3]");
    assert_string_equal(find(&fs, "stripe-access-token")->file, "history[4]");
    assert_string_equal(find(&fs, "gitlab-pat")->file, "config:Labels");
    assert_string_equal(find(&fs, "slack-webhook-url")->file, "config:Env[1]");
    brig_findings_free(&fs);
}

static void test_options(void **st) {
    (void)st;
    brig_secrets_opts o;
    brig_secrets_opts_default(&o);
    assert_int_equal(o.max_file_bytes, 10u << 20);
    assert_true(o.include_deleted);
    o.include_deleted = false;
    brig_findings fs;
    scan("oci:" FIX "/secrets-oci:1.0", &o, &fs);
    assert_int_equal(fs.n, 6);
    assert_null(find(&fs, "private-key"));
    assert_null(find(&fs, "npm-access-token"));
    brig_findings_free(&fs);
    brig_secrets_opts_default(&o);
    o.max_file_bytes = 16;   /* every file is larger: only config and history remain */
    scan("oci:" FIX "/secrets-oci:1.0", &o, &fs);
    assert_int_equal(fs.n, 4);
    brig_findings_free(&fs);
    brig_secrets_opts_default(&o);
    char *allow[] = { "^app/" };
    o.allow_paths = allow; o.n_allow_paths = 1;
    scan("oci:" FIX "/secrets-oci:1.0", &o, &fs);
    assert_int_equal(fs.n, 5);   /* settings.yml (2) and .npmrc skipped */
    brig_findings_free(&fs);
}

static void test_clean_images(void **st) {
    (void)st;
    brig_findings fs;
    scan("oci:" FIX "/clean-oci:1.0", NULL, &fs);
    for (size_t i = 0; i < fs.n; i++) fprintf(stderr, "# unexpected: %s %s\n", fs.v[i].rule_id, fs.v[i].file);
    assert_int_equal(fs.n, 0);
    brig_findings_free(&fs);
    struct stat sb;
    if (stat("tests/fixtures/out/debian-oci/index.json", &sb) != 0) { skip(); return; }
    scan("tests/fixtures/out/debian-oci", NULL, &fs);   /* a real Debian minbase root */
    for (size_t i = 0; i < fs.n; i++) fprintf(stderr, "# unexpected: %s %s\n", fs.v[i].rule_id, fs.v[i].file);
    assert_int_equal(fs.n, 0);
    brig_findings_free(&fs);
}

static void test_no_output_leaks_secrets(void **st) {
    (void)st;
    char *planted; size_t len;
    assert_int_equal(brig_read_file(FIX "/planted.env", 1 << 16, &planted, &len), 0);
    brig_findings fs;
    scan("oci:" FIX "/secrets-oci:1.0", NULL, &fs);
    const brig_format fmts[] = { BRIG_FMT_TABLE, BRIG_FMT_JSON, BRIG_FMT_SARIF };
    size_t checked = 0;
    for (size_t k = 0; k < 3; k++) {
        char *buf = NULL; size_t blen = 0;
        FILE *f = open_memstream(&buf, &blen);
        assert_int_equal(brig_findings_write(f, fmts[k], &fs, "scan"), 0);
        fclose(f);
        for (char *line = planted; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = 0;
            char *eq = strchr(line, '=');
            if (eq && strlen(eq + 1) >= 16) {
                if (strstr(buf, eq + 1)) fail_msg("format %d leaks %s", (int)fmts[k], line);
                /* and not even a long piece of it */
                char piece[9]; snprintf(piece, sizeof piece, "%s", eq + 1 + 6);
                if (strstr(buf, piece)) fail_msg("format %d leaks part of %s", (int)fmts[k], line);
                checked++;
            }
            if (nl) { *nl = '\n'; line = nl + 1; } else line = NULL;
        }
        free(buf);
    }
    assert_int_equal(checked, 3 * 8);
    brig_findings_free(&fs);
    free(planted);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_place),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_clean_images),
        cmocka_unit_test(test_no_output_leaks_secrets),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
