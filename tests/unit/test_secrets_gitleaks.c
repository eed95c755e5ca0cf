/* gitleaks TOML configs: mapping onto rules, [extend] semantics, type errors
 * with positions, unsupported fields failing loudly, and a directory scan
 * driven by a custom config with path allowlists and --allow-path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "secrets/scanctx.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static const char *CONFIG =
    "title = \"acme secrets\"\n"
    "[extend]\nuseDefault = true\ndisabledRules = [\"jwt\"]\n\n"
    "[[rules]]\n"
    "id = \"acme-api-key\"\n"
    "description = \"ACME internal API key\"\n"
    "regex = '''\\b(acme_[A-Za-z0-9]{24})\\b'''\n"
    "secretGroup = 1\n"
    "entropy = 3.0\n"
    "keywords = [\"ACME_\"]\n"
    "tags = [\"internal\"]\n"
    "severity = \"critical\"\n"
    "[[rules.allowlists]]\n"
    "regexTarget = \"line\"\n"
    "regexes = ['''fixture-ok''']\n"
    "[[rules]]\n"
    "id = \"p12\"\n"
    "path = '''(?i)\\.p12$'''\n"
    "[allowlist]\n"
    "description = \"vendored code\"\n"
    "paths = ['''(^|/)third_party/''']\n";

static void test_parse_config(void **st) {
    (void)st;
    brig_secret_config cfg;
    bool use_default;
    assert_int_equal(brig_gitleaks_config_parse("g.toml", CONFIG, strlen(CONFIG), &cfg, &use_default), 0);
    assert_true(use_default);
    assert_string_equal(cfg.title, "acme secrets");
    assert_int_equal(cfg.n_rules, 2);
    assert_string_equal(cfg.rules[0].id, "acme-api-key");
    assert_int_equal(cfg.rules[0].secret_group, 1);
    assert_true(cfg.rules[0].entropy == 3.0);
    assert_int_equal(cfg.rules[0].severity, BRIG_SEV_CRITICAL);
    assert_int_equal(cfg.rules[0].n_allow, 1);
    assert_int_equal(cfg.rules[0].allow[0].target, BRIG_AL_TARGET_LINE);
    assert_null(cfg.rules[1].regex);
    assert_string_equal(cfg.rules[1].path, "(?i)\\.p12$");
    assert_int_equal(cfg.n_global, 1);
    assert_int_equal(cfg.n_disabled, 1);
    /* merge: defaults minus jwt plus the two new rules */
    brig_secret_config all;
    brig_secret_config_default(&all);
    size_t before = all.n_rules;
    brig_secret_config_merge(&all, &cfg);
    assert_int_equal(all.n_rules, before - 1 + 2);
    for (size_t i = 0; i < all.n_rules; i++) assert_string_not_equal(all.rules[i].id, "jwt");
    brig_secret_config_free(&all);
    brig_secret_config_free(&cfg);
}

static void expect_fail(const char *text, int code, const char *needle) {
    brig_secret_config cfg;
    bool ud;
    int rc = brig_gitleaks_config_parse("g.toml", text, strlen(text), &cfg, &ud);
    if (rc != code) fail_msg("rc %d want %d for:\n%s\n(%s)", rc, code, text, brig_errmsg());
    if (!strstr(brig_errmsg(), needle)) fail_msg("message '%s' lacks '%s'", brig_errmsg(), needle);
}

static void test_config_errors(void **st) {
    (void)st;
    expect_fail("[[rules]]\nid = 'x'\nregex = 'a'\nentropy = 'high'\n", BRIG_EXIT_INPUT, "g.toml:4:11: rules[0].entropy must be a number");
    expect_fail("[[rules]]\nregex = 'a'\n", BRIG_EXIT_INPUT, "has no id");
    expect_fail("[[rules]]\nid = 'x'\n", BRIG_EXIT_INPUT, "neither regex nor path");
    expect_fail("[[rules]]\nid = 'x'\nregex = 'a'\nsecretGroup = -1\n", BRIG_EXIT_INPUT, "between 0 and 99");
    expect_fail("[[rules]]\nid = 'x'\nregex = 'a'\nkeywords = [1]\n", BRIG_EXIT_INPUT, "g.toml:4:13:");
    expect_fail("[[rules]]\nid = 'x'\nregex = 'a'\n[[rules]]\nid = 'x'\nregex = 'b'\n", BRIG_EXIT_INPUT, "defined twice");
    expect_fail("[[rules]]\nid = 'x'\nregex = 'a'\n[rules.allowlist]\ncondition = 'XOR'\n", BRIG_EXIT_INPUT, "\"OR\" or \"AND\"");
    expect_fail("[extend]\npath = 'other.toml'\n", BRIG_EXIT_NOTIMPL, "g.toml:2:8: extend.path");
    expect_fail("[[rules]]\nid = 'x'\nregex = 'a'\n[[rules.required]]\nid = 'y'\n", BRIG_EXIT_NOTIMPL, "composite rules");
    expect_fail("title = 'x\n", BRIG_EXIT_INPUT, "g.toml:1:");
}

static char *tmpdir;

static void write_file(const char *rel, const char *text) {
    char *p = xasprintf("%s/%s", tmpdir, rel);
    char *slash = strrchr(p, '/');
    *slash = 0; brig_mkdir_p(p, 0755); *slash = '/';
    assert_int_equal(brig_write_file_atomic(p, text, strlen(text), 0644), 0);
    free(p);
}

static size_t count(const brig_findings *fs, const char *rule) {
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++) if (!strcmp(fs->v[i].rule_id, rule)) n++;
    return n;
}

static void test_scan_dir_with_config(void **st) {
    (void)st;
    char templ[] = "/tmp/brig-gl-XXXXXX";
    tmpdir = mkdtemp(templ);
    assert_non_null(tmpdir);
    write_file("app/a.txt", "k = acme_Q3vX8bN2mK7pL4tR9wY6zC1d\n");
    write_file("app/ok.txt", "k = acme_Z9vX8bN2mK7pL4tR9wY6zC1q # fixture-ok\n");
    write_file("third_party/x/b.txt", "k = acme_Q3vX8bN2mK7pL4tR9wY6zC1d\n");
    write_file("skipme/c.txt", "k = acme_Q3vX8bN2mK7pL4tR9wY6zC1d\n");
    write_file("certs/client.p12", "binary-ish\n");
    write_file("app/jwt.txt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n");
    write_file("app/gh.txt", "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n");
    write_file("big.txt", "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA6\n                                                                        \n");
    write_file("g.toml", CONFIG);
    char *cfgpath = xasprintf("%s/g.toml", tmpdir);
    brig_secrets_opts o;
    brig_secrets_opts_default(&o);
    o.config_path = cfgpath;
    char *allow[] = { "^skipme/" };
    o.allow_paths = allow; o.n_allow_paths = 1;
    o.max_file_bytes = 100;
    brig_findings fs = {0};
    int rc = brig_secrets_scan_dir(tmpdir, &o, &fs);
    if (rc) fail_msg("%s", brig_errmsg());
    assert_int_equal(count(&fs, "acme-api-key"), 1);   /* app/a.txt only */
    assert_int_equal(count(&fs, "p12"), 1);
    assert_int_equal(count(&fs, "jwt"), 0);            /* disabled */
    assert_int_equal(count(&fs, "github-pat"), 1);     /* defaults kept (useDefault); big.txt skipped by size */
    for (size_t i = 0; i < fs.n; i++) {
        if (!strcmp(fs.v[i].rule_id, "acme-api-key")) {
            assert_int_equal(fs.v[i].severity, BRIG_SEV_CRITICAL);
            assert_non_null(strstr(fs.v[i].file, "app/a.txt"));
            assert_int_equal(fs.v[i].line, 1);
            assert_int_equal(fs.v[i].column, 5);
            assert_null(strstr(fs.v[i].message, "Q3vX8bN2mK7pL4tR9wY6zC1d"));
        }
    }
    brig_findings_free(&fs);
    /* config_replaces without useDefault: only the config's rules */
    const char *only = "[[rules]]\nid = 'acme-api-key'\nregex = '''acme_[A-Za-z0-9]{24}'''\n";
    write_file("g2.toml", only);
    char *cfg2 = xasprintf("%s/g2.toml", tmpdir);
    o.config_path = cfg2; o.config_replaces = true; o.n_allow_paths = 0;
    assert_int_equal(brig_secrets_scan_dir(tmpdir, &o, &fs), 0);
    assert_int_equal(count(&fs, "github-pat"), 0);
    assert_int_equal(count(&fs, "acme-api-key"), 4);   /* a, ok (no allowlist now), third_party, skipme */
    brig_findings_free(&fs);
    /* missing config file: input error naming it */
    o.config_path = "/nonexistent/g.toml";
    assert_int_equal(brig_secrets_scan_dir(tmpdir, &o, &fs), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "/nonexistent/g.toml"));
    /* bad --allow-path regex */
    brig_secrets_opts_default(&o);
    char *bad[] = { "(" };
    o.allow_paths = bad; o.n_allow_paths = 1;
    assert_int_equal(brig_secrets_scan_dir(tmpdir, &o, &fs), BRIG_EXIT_USAGE);
    assert_int_equal(brig_secrets_scan_dir("/nonexistent-dir", NULL, &fs), BRIG_EXIT_INPUT);
    brig_rm_rf(tmpdir);
    free(cfgpath); free(cfg2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_config),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_scan_dir_with_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
