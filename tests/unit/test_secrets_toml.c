/* The TOML subset reader: values, tables, arrays of tables, strings in all
 * four forms, and errors that name line and column. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secrets/toml.h"
#include "util/err.h"
#include "util/xalloc.h"

static brig_toml *parse_ok(const char *text) {
    brig_toml *t = NULL;
    int rc = brig_toml_parse("t.toml", text, strlen(text), &t);
    if (rc) fail_msg("unexpected error: %s", brig_errmsg());
    return t;
}

static void expect_err(const char *text, int code, const char *where, const char *what) {
    brig_toml *t = NULL;
    int rc = brig_toml_parse("t.toml", text, strlen(text), &t);
    if (rc != code) fail_msg("'%s': rc %d, want %d (%s)", text, rc, code, brig_errmsg());
    if (where && !strstr(brig_errmsg(), where)) fail_msg("'%s': message '%s' lacks '%s'", text, brig_errmsg(), where);
    if (what && !strstr(brig_errmsg(), what)) fail_msg("'%s': message '%s' lacks '%s'", text, brig_errmsg(), what);
}

static void test_values(void **st) {
    (void)st;
    brig_toml *t = parse_ok(
        "# comment\n"
        "title = \"gitleaks \\\"custom\\\" \\u00e9\"  # trailing\n"
        "lit = 'C:\\path\\n'\n"
        "ml = '''\n(?i)\\b(abc)\n'''\n"
        "mb = \"\"\"\nline1\\\n   line2\"\"\"\n"
        "n = -42\nhex = 0x1F\nf = 3.5\ne = 1e3\nyes = true\nno = false\n"
        "arr = [ 'a', \"b\",\n  # inside\n  'c', ]\n"
        "nested = [[1, 2], [3]]\n"
        "inl = { a = 1, b.c = 'x' }\n"
        "\"quoted key\" = 1\n"
        "dotted.key.path = 'v'\n");
    const brig_toml *v = brig_toml_get(t, "title");
    assert_int_equal(v->type, BRIG_TOML_STRING);
    assert_string_equal(v->s, "gitleaks \"custom\" \xc3\xa9");
    assert_int_equal(v->line, 2);
    assert_int_equal(v->col, 9);
    assert_string_equal(brig_toml_get(t, "lit")->s, "C:\\path\\n");
    assert_string_equal(brig_toml_get(t, "ml")->s, "(?i)\\b(abc)\n");
    assert_string_equal(brig_toml_get(t, "mb")->s, "line1line2");
    assert_int_equal(brig_toml_get(t, "n")->i, -42);
    assert_int_equal(brig_toml_get(t, "hex")->i, 31);
    assert_true(brig_toml_get(t, "f")->f == 3.5);
    assert_true(brig_toml_get(t, "e")->f == 1000.0);
    assert_true(brig_toml_get(t, "yes")->b);
    assert_false(brig_toml_get(t, "no")->b);
    v = brig_toml_get(t, "arr");
    assert_int_equal(v->n, 3);
    assert_string_equal(v->items[2]->s, "c");
    assert_int_equal(brig_toml_get(t, "nested")->items[0]->n, 2);
    v = brig_toml_get(t, "inl");
    assert_int_equal(brig_toml_get(v, "a")->i, 1);
    assert_string_equal(brig_toml_get(brig_toml_get(v, "b"), "c")->s, "x");
    assert_int_equal(brig_toml_get(t, "quoted key")->i, 1);
    assert_string_equal(brig_toml_get(brig_toml_get(brig_toml_get(t, "dotted"), "key"), "path")->s, "v");
    brig_toml_free(t);
}

static void test_tables(void **st) {
    (void)st;
    brig_toml *t = parse_ok(
        "[extend]\nuseDefault = true\n\n"
        "[[rules]]\nid = 'one'\n[rules.allowlist]\nregexes = ['x']\n\n"
        "[[rules]]\nid = 'two'\n[[rules.allowlists]]\npaths = ['p1']\n[[rules.allowlists]]\npaths = ['p2']\n"
        "[allowlist]\nstopwords = ['s']\n");
    assert_true(brig_toml_get(brig_toml_get(t, "extend"), "useDefault")->b);
    const brig_toml *rules = brig_toml_get(t, "rules");
    assert_int_equal(rules->type, BRIG_TOML_ARRAY);
    assert_true(rules->array_of_tables);
    assert_int_equal(rules->n, 2);
    assert_string_equal(brig_toml_get(rules->items[0], "id")->s, "one");
    assert_string_equal(brig_toml_get(brig_toml_get(rules->items[0], "allowlist"), "regexes")->items[0]->s, "x");
    const brig_toml *als = brig_toml_get(rules->items[1], "allowlists");
    assert_int_equal(als->n, 2);
    assert_string_equal(brig_toml_get(als->items[1], "paths")->items[0]->s, "p2");
    assert_int_equal(brig_toml_get(rules->items[1], "id")->line, 10);
    brig_toml_free(t);
}

static void test_errors(void **st) {
    (void)st;
    expect_err("a = 1\nb = \n", BRIG_EXIT_INPUT, "t.toml:2:5:", "expected a value");
    expect_err("a = 'x\n", BRIG_EXIT_INPUT, "t.toml:1:7:", "unterminated");
    expect_err("a = '''abc", BRIG_EXIT_INPUT, "t.toml:1:", "unterminated multi-line");
    expect_err("a = 1\na = 2\n", BRIG_EXIT_INPUT, "t.toml:2:", "duplicate key");
    expect_err("[t]\nx=1\n[t]\n", BRIG_EXIT_INPUT, "t.toml:3:1:", "defined twice");
    expect_err("a = 1 b = 2\n", BRIG_EXIT_INPUT, "t.toml:1:7:", "after the value");
    expect_err("a = [1, 2\n", BRIG_EXIT_INPUT, "t.toml:2:", "',' or ']'");
    expect_err("a = \"\\q\"\n", BRIG_EXIT_INPUT, "t.toml:1:7:", "unknown escape");
    expect_err("d = 1979-05-27\n", BRIG_EXIT_INPUT, "t.toml:1:", "");
    expect_err("a = 99999999999999999999\n", BRIG_EXIT_INPUT, "t.toml:1:5:", "range");
    expect_err("x = 1\n[x]\n", BRIG_EXIT_INPUT, "t.toml:2:1:", "");
    expect_err("[[a]\n", BRIG_EXIT_INPUT, "t.toml:1:4:", "]]");
    expect_err("= 1\n", BRIG_EXIT_INPUT, "t.toml:1:1:", "expected a key");
    expect_err("a = { b = 1,\n c = 2 }\n", BRIG_EXIT_INPUT, "t.toml:1:", "");
}

static void test_nul_and_limits(void **st) {
    (void)st;
    brig_toml *t = NULL;
    assert_int_equal(brig_toml_parse("t.toml", "a = 1\n\0x", 8, &t), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "NUL"));
    /* nesting bomb */
    char deep[200];
    memset(deep, '[', sizeof deep - 1);
    deep[sizeof deep - 1] = 0;
    char *doc = xasprintf("a = %s", deep);
    assert_int_equal(brig_toml_parse("t.toml", doc, strlen(doc), &t), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "nested too deeply"));
    free(doc);
    /* size limit */
    size_t big = BRIG_TOML_MAX_BYTES + 1;
    char *huge = xmalloc(big);
    memset(huge, '#', big);
    assert_int_equal(brig_toml_parse("t.toml", huge, big, &t), BRIG_EXIT_UNSAFE);
    free(huge);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nul_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
