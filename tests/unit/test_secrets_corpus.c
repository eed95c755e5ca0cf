/* True/false-positive corpus: tests/secrets-cases/tp/<rule>.txt must yield
 * findings of exactly that rule, fp/<rule>.txt nothing; every built-in rule
 * must have both files so a new rule cannot land untested. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include "secrets/engine.h"
#include "util/err.h"
#include "util/fileio.h"

typedef struct { char ids[64][64]; size_t n; } hits;

static int collect(void *ctx, const brig_secret_hit *h, const char *buf) {
    (void)buf;
    hits *hs = ctx;
    if (hs->n < 64) snprintf(hs->ids[hs->n], sizeof hs->ids[0], "%s", h->rule->id);
    hs->n++;
    return 0;
}

static void scan_file(const char *path, hits *hs) {
    brig_secret_engine *e;
    assert_int_equal(brig_secret_engine_default(&e), 0);
    char *buf; size_t len;
    if (brig_read_file(path, 1 << 20, &buf, &len)) fail_msg("%s", brig_errmsg());
    memset(hs, 0, sizeof *hs);
    assert_int_equal(brig_secret_scan_buffer(e, path, buf, len, collect, hs), 0);
    free(buf);
}

static void test_every_rule_has_cases(void **st) {
    (void)st;
    brig_secret_config cfg;
    brig_secret_config_default(&cfg);
    assert_true(cfg.n_rules >= 30);
    for (size_t i = 0; i < cfg.n_rules; i++) {
        char p[256];
        snprintf(p, sizeof p, "tests/secrets-cases/tp/%s.txt", cfg.rules[i].id);
        FILE *f = fopen(p, "r");
        if (!f) fail_msg("missing true-positive case %s", p);
        fclose(f);
        snprintf(p, sizeof p, "tests/secrets-cases/fp/%s.txt", cfg.rules[i].id);
        if (!(f = fopen(p, "r"))) fail_msg("missing false-positive case %s", p);
        fclose(f);
    }
    brig_secret_config_free(&cfg);
}

static size_t for_each_case(const char *kind, void (*fn)(const char *rule, const char *path)) {
    char dir[128];
    snprintf(dir, sizeof dir, "tests/secrets-cases/%s", kind);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".txt")) continue;
        char rule[128], path[512];
        snprintf(rule, sizeof rule, "%.*s", (int)(l - 4), de->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        fn(rule, path);
        n++;
    }
    closedir(d);
    return n;
}

static void check_tp(const char *rule, const char *path) {
    hits hs;
    scan_file(path, &hs);
    if (hs.n == 0) fail_msg("%s: expected a %s finding, got none", path, rule);
    for (size_t i = 0; i < hs.n && i < 64; i++)
        if (strcmp(hs.ids[i], rule) != 0) fail_msg("%s: expected only %s, also got %s", path, rule, hs.ids[i]);
}

static void check_fp(const char *rule, const char *path) {
    (void)rule;
    hits hs;
    scan_file(path, &hs);
    if (hs.n) fail_msg("%s: expected no finding, got %zu (first: %s)", path, hs.n, hs.ids[0]);
}

static void test_true_positives(void **st) { (void)st; assert_true(for_each_case("tp", check_tp) >= 30); }
static void test_false_positives(void **st) { (void)st; assert_true(for_each_case("fp", check_fp) >= 30); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_rule_has_cases),
        cmocka_unit_test(test_true_positives),
        cmocka_unit_test(test_false_positives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
