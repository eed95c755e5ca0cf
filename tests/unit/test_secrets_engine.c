/* Secret engine behaviour: entropy gate, redaction, allowlists, keyword
 * gating, overlap resolution, positions, PCRE2 fallback and binary detection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secrets/engine.h"
#include "secrets/scanctx.h"
#include "util/err.h"
#include "util/xalloc.h"

typedef struct { char id[16][64]; int line[16], col[16]; char secret[16][256]; size_t n; } hits;

static int collect(void *ctx, const brig_secret_hit *h, const char *buf) {
    hits *hs = ctx;
    if (hs->n < 16) {
        snprintf(hs->id[hs->n], 64, "%s", h->rule->id);
        hs->line[hs->n] = h->line; hs->col[hs->n] = h->column;
        snprintf(hs->secret[hs->n], 256, "%.*s", (int)(h->secret_end - h->secret_start), buf + h->secret_start);
    }
    hs->n++;
    return 0;
}

static hits scan_default(const char *path, const char *text) {
    brig_secret_engine *e;
    assert_int_equal(brig_secret_engine_default(&e), 0);
    hits hs; memset(&hs, 0, sizeof hs);
    assert_int_equal(brig_secret_scan_buffer(e, path, text, strlen(text), collect, &hs), 0);
    return hs;
}

static void test_entropy(void **st) {
    (void)st;
    assert_true(fabs(brig_shannon_entropy("aaaa", 4)) < 1e-9);
    assert_true(fabs(brig_shannon_entropy("ab", 2) - 1.0) < 1e-9);
    assert_true(fabs(brig_shannon_entropy("abcd", 4) - 2.0) < 1e-9);
    assert_true(fabs(brig_shannon_entropy("", 0)) < 1e-9);
}

static void test_redact(void **st) {
    (void)st;
    char out[16];
    brig_secret_redact("ghp_0123456789abcdefghij", 24, out, sizeof out);
    assert_string_equal(out, "ghp_*****");
    brig_secret_redact("abcdefghijkl", 12, out, sizeof out);
    assert_string_equal(out, "ab*****");
    brig_secret_redact("short", 5, out, sizeof out);
    assert_string_equal(out, "*****");
    brig_secret_redact("\x01\x02zzzzzzzzzzzzzzzz", 18, out, sizeof out);
    assert_string_equal(out, "??zz*****");
}

static void test_positions_and_order(void **st) {
    (void)st;
    const char *text = "first line\n  x = 1\nkey ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n\nlast AKIAZJ4NOBO2XU6GNW7N end\n";
    hits hs = scan_default("f.txt", text);
    assert_int_equal(hs.n, 2);
    assert_string_equal(hs.id[0], "github-pat");
    assert_int_equal(hs.line[0], 3); assert_int_equal(hs.col[0], 5);
    assert_string_equal(hs.id[1], "aws-access-token");
    assert_int_equal(hs.line[1], 5); assert_int_equal(hs.col[1], 6);
    assert_string_equal(hs.secret[1], "AKIAZJ4NOBO2XU6GNW7N");
}

static void test_entropy_gate(void **st) {
    (void)st;
    /* matches the AWS shape but is one repeated letter: below entropy 3 */
    hits hs = scan_default("f", "id AKIAAAAAAAAAAAAAAAAA\n");
    assert_int_equal(hs.n, 0);
}

static void test_generic_loses_to_specific(void **st) {
    (void)st;
    hits hs = scan_default("f", "GITHUB_TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n");
    assert_int_equal(hs.n, 1);
    assert_string_equal(hs.id[0], "github-pat");
    hs = scan_default("f", "db_password = \"Zr8qLw2VxN5tPk7Yh3Bc\"\n");
    assert_int_equal(hs.n, 1);
    assert_string_equal(hs.id[0], "generic-api-key");
    assert_string_equal(hs.secret[0], "Zr8qLw2VxN5tPk7Yh3Bc");
}

static void test_generic_filters(void **st) {
    (void)st;
    const char *fps[] = {
        "password = ${DB_PASSWORD}\n", "token: \"{{ .Values.token }}\"\n", "api_key = your_api_key_here_123\n",
        "secret_name: my-app-secret-name\n", "password=changeme-now-please\n", "key_length = 4096\n",
        "password: /run/secrets/db_password\n", "auth = someCamelCaseName\n", "token_type = BearerTokenTypeX\n",
    };
    for (size_t i = 0; i < sizeof fps / sizeof fps[0]; i++) {
        hits hs = scan_default("f", fps[i]);
        if (hs.n) fail_msg("false positive on %s: %s '%s'", fps[i], hs.id[0], hs.secret[0]);
    }
}

static void test_many_matches_non_overlapping(void **st) {
    (void)st;
    char *text = NULL; size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    for (int i = 0; i < 50; i++) fprintf(f, "t%d ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z%02d\n", i, i);
    fclose(f);
    brig_secret_engine *e;
    assert_int_equal(brig_secret_engine_default(&e), 0);
    hits hs; memset(&hs, 0, sizeof hs);
    assert_int_equal(brig_secret_scan_buffer(e, "f", text, len, collect, &hs), 0);
    assert_int_equal(hs.n, 50);
    assert_int_equal(hs.line[15], 16);
    free(text);
}

static brig_secret_rule mkrule(const char *id, const char *re, double entropy, const char *kw) {
    brig_secret_rule r; memset(&r, 0, sizeof r);
    r.id = (char *)id; r.description = (char *)id; r.severity = BRIG_SEV_HIGH; r.regex = (char *)re; r.entropy = entropy;
    static char *kws[8][1];   /* one slot per rule built in a test */
    static int next;
    if (kw) { char **k = kws[next++ % 8]; k[0] = (char *)kw; r.keywords = k; r.n_keywords = 1; }
    return r;
}

static void test_custom_rules_allowlists_and_fallback(void **st) {
    (void)st;
    /* a backreference: vectorscan cannot compile it, PCRE2 runs it alone */
    brig_secret_rule rules[3];
    rules[0] = mkrule("twice", "\\b(tok_([a-z0-9]{6})_\\2)\\b", 0, "tok_");
    rules[1] = mkrule("plain", "acme_[A-Z0-9]{12}", 0, NULL);
    rules[2] = mkrule("gated", "zz[0-9]{8}", 0, "unlock");
    char *al_re[] = { "^acme_TEST" };
    char *al_stop[] = { "dead" };
    brig_secret_allowlist al[2]; memset(al, 0, sizeof al);
    al[0].regexes = al_re; al[0].n_regexes = 1;
    al[1].stopwords = al_stop; al[1].n_stopwords = 1;
    rules[1].allow = al; rules[1].n_allow = 2;
    char *gpaths[] = { "(^|/)vendor/" };
    brig_secret_allowlist global; memset(&global, 0, sizeof global);
    global.paths = gpaths; global.n_paths = 1;
    brig_secret_config cfg = { .rules = rules, .n_rules = 3, .global = &global, .n_global = 1 };
    brig_secret_engine *e;
    assert_int_equal(brig_secret_engine_new(&cfg, &e), 0);
    size_t nr, nh;
    brig_secret_engine_stats(e, &nr, &nh);
    assert_int_equal(nr, 3);
    assert_int_equal(nh, 2);   /* the backreference rule is PCRE2-only */
    const char *text = "a tok_abc123_abc123 b tok_abc123_zzz999\nacme_TEST00000001 acme_DEADBEEF0001 acme_PROD00000042\nzz12345678\n";
    hits hs; memset(&hs, 0, sizeof hs);
    assert_int_equal(brig_secret_scan_buffer(e, "src/x", text, strlen(text), collect, &hs), 0);
    assert_int_equal(hs.n, 2);
    assert_string_equal(hs.id[0], "twice");
    assert_string_equal(hs.secret[0], "tok_abc123_abc123");
    assert_string_equal(hs.id[1], "plain");
    assert_string_equal(hs.secret[1], "acme_PROD00000042");
    /* keyword present: the gated rule runs */
    const char *t2 = "unlock zz12345678\n";
    memset(&hs, 0, sizeof hs);
    assert_int_equal(brig_secret_scan_buffer(e, "src/x", t2, strlen(t2), collect, &hs), 0);
    assert_int_equal(hs.n, 1);
    assert_string_equal(hs.id[0], "gated");
    assert_true(brig_secret_engine_path_allowed(e, "app/vendor/lib.js"));
    assert_false(brig_secret_engine_path_allowed(e, "app/src/lib.js"));
    brig_secret_engine_free(e);
}

static void test_bad_regex_names_rule(void **st) {
    (void)st;
    brig_secret_rule r = mkrule("broken-rule", "abc(", 0, NULL);
    brig_secret_config cfg = { .rules = &r, .n_rules = 1 };
    brig_secret_engine *e = NULL;
    assert_int_equal(brig_secret_engine_new(&cfg, &e), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "broken-rule"));
    assert_non_null(strstr(brig_errmsg(), "offset"));
    r = mkrule("bad-group", "a(b)c", 0, NULL);
    r.secret_group = 3;
    assert_int_equal(brig_secret_engine_new(&cfg, &e), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "secretGroup"));
}

static void test_path_rule(void **st) {
    (void)st;
    brig_secret_rule r; memset(&r, 0, sizeof r);
    r.id = "pkcs12-file"; r.description = "PKCS#12 file"; r.path = "(?i)\\.p(?:fx|12)$";
    brig_secret_config cfg = { .rules = &r, .n_rules = 1 };
    brig_secret_engine *e;
    assert_int_equal(brig_secret_engine_new(&cfg, &e), 0);
    hits hs; memset(&hs, 0, sizeof hs);
    assert_int_equal(brig_secret_scan_buffer(e, "etc/certs/client.P12", "x", 1, collect, &hs), 0);
    assert_int_equal(hs.n, 1);
    assert_int_equal(hs.line[0], 0);
    memset(&hs, 0, sizeof hs);
    assert_int_equal(brig_secret_scan_buffer(e, "etc/certs/client.pem", "x", 1, collect, &hs), 0);
    assert_int_equal(hs.n, 0);
    brig_secret_engine_free(e);
}

static void test_multiline_private_key_window(void **st) {
    (void)st;
    /* a long PEM body: the match start is far before the vectorscan hit end */
    char *text = NULL; size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputs("header\n-----BEGIN RSA PRIVATE KEY-----\n", f);
    for (int i = 0; i < 400; i++) fprintf(f, "MIIEowIBAAKCAQEAx%03dbQ7nWcKZ5h1yVt2Q8xYz0PLk4JmR3sTuVw5XyZa6BcDe7FgHi8\n", i);
    fputs("-----END RSA PRIVATE KEY-----\n", f);
    fclose(f);
    brig_secret_engine *e;
    assert_int_equal(brig_secret_engine_default(&e), 0);
    hits hs; memset(&hs, 0, sizeof hs);
    assert_int_equal(brig_secret_scan_buffer(e, "k.pem", text, len, collect, &hs), 0);
    assert_int_equal(hs.n, 1);
    assert_string_equal(hs.id[0], "private-key");
    assert_int_equal(hs.line[0], 2);
    free(text);
}

static void test_binary_detection(void **st) {
    (void)st;
    assert_true(brig_secrets_is_binary("\x7f" "ELF\x02\x01", 6));
    assert_true(brig_secrets_is_binary("\x1f\x8b\x08", 3));
    assert_true(brig_secrets_is_binary("text\0more", 9));
    assert_false(brig_secrets_is_binary("plain text\n", 11));
    assert_false(brig_secrets_is_binary("", 0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entropy),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_positions_and_order),
        cmocka_unit_test(test_entropy_gate),
        cmocka_unit_test(test_generic_loses_to_specific),
        cmocka_unit_test(test_generic_filters),
        cmocka_unit_test(test_many_matches_non_overlapping),
        cmocka_unit_test(test_custom_rules_allowlists_and_fallback),
        cmocka_unit_test(test_bad_regex_names_rule),
        cmocka_unit_test(test_path_rule),
        cmocka_unit_test(test_multiline_private_key_window),
        cmocka_unit_test(test_binary_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
