/* YAML loader: position mapping (libyaml marks -> 1-based line:col of keys
 * and values), anchors, merge keys, multi-document streams, JSON input and
 * the hostile-input limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "audit/ydoc.h"
#include "util/err.h"
#include "util/exitcodes.h"

static ydoc *load(const char *t) {
    ydoc *d = NULL;
    int rc = ydoc_parse("f.yaml", t, strlen(t), &d);
    if (rc) fail_msg("parse failed: %s", brig_errmsg());
    return d;
}

static void positions_of_keys_and_values(void **st) {
    (void)st;
    ydoc *d = load("# comment\n"
                   "services:\n"
                   "  web:\n"
                   "    privileged: true\n"
                   "    ports: [\"80:80\", '443:443']\n"
                   "    cap_add:\n"
                   "      - SYS_ADMIN\n");
    const ynode *web = yn_path(d->docs[0], "services.web");
    assert_non_null(web);
    const ynode *k = yn_key(web, "privileged"), *v = yn_get(web, "privileged");
    assert_int_equal(k->line, 4); assert_int_equal(k->col, 5);
    assert_int_equal(v->line, 4); assert_int_equal(v->col, 17);
    assert_true(yn_is_true(v));
    const ynode *ports = yn_get(web, "ports");
    assert_int_equal(yn_len(ports), 2);
    assert_int_equal(yn_at(ports, 1)->col, 22);
    assert_false(yn_at(ports, 1)->plain);
    const ynode *cap = yn_at(yn_get(web, "cap_add"), 0);
    assert_int_equal(cap->line, 7); assert_int_equal(cap->col, 9);
    assert_string_equal(yn_str(cap), "SYS_ADMIN");
    ydoc_free(d);
}

static void anchors_and_merge_keys(void **st) {
    (void)st;
    ydoc *d = load("base: &b\n"
                   "  read_only: true\n"
                   "  user: root\n"
                   "extra: &e {pids_limit: 10, user: nobody}\n"
                   "svc:\n"
                   "  user: app\n"
                   "  <<: [*b, *e]\n"
                   "list: [*b, *b]\n");
    const ynode *svc = yn_get(d->docs[0], "svc");
    assert_null(yn_get(svc, "<<"));                           /* merge key resolved away */
    assert_string_equal(yn_str(yn_get(svc, "user")), "app");  /* explicit key wins */
    assert_true(yn_is_true(yn_get(svc, "read_only")));
    assert_int_equal(yn_get(svc, "read_only")->line, 2);      /* merged value keeps its own position */
    long long n;
    assert_true(yn_int(yn_get(svc, "pids_limit"), &n));
    assert_int_equal(n, 10);
    assert_int_equal(yn_len(svc), 3);
    const ynode *list = yn_get(d->docs[0], "list");
    assert_ptr_equal(yn_at(list, 0), yn_at(list, 1));        /* aliases share, never copy */
    ydoc_free(d);
}

static void multi_document(void **st) {
    (void)st;
    ydoc *d = load("---\n# Source: chart/templates/a.yaml\nkind: A\n---\n# Source: chart/templates/empty.yaml\n---\nkind: B\n...\n");
    assert_int_equal(d->n_docs, 3);
    assert_string_equal(yn_str(yn_get(d->docs[0], "kind")), "A");
    assert_true(d->docs[1] == NULL || yn_is_null(d->docs[1]));
    assert_int_equal(yn_get(d->docs[2], "kind")->line, 7);
    ydoc_free(d);
}

static void scalars(void **st) {
    (void)st;
    ydoc *d = load("a: ~\nb: null\nc: \"null\"\nd: yes\ne: 'false'\nf: -12\ng: 1.5\nh:\n");
    const ynode *r = d->docs[0];
    assert_true(yn_is_null(yn_get(r, "a")));
    assert_true(yn_is_null(yn_get(r, "b")));
    assert_false(yn_is_null(yn_get(r, "c")));   /* quoted: a string */
    assert_true(yn_is_true(yn_get(r, "d")));
    assert_true(yn_is_false(yn_get(r, "e")));
    long long n;
    assert_true(yn_int(yn_get(r, "f"), &n)); assert_int_equal(n, -12);
    assert_false(yn_int(yn_get(r, "g"), &n));
    assert_true(yn_is_null(yn_get(r, "h")));
    assert_true(yn_is_null(yn_get(r, "missing")));
    ydoc_free(d);
}

static void json_input(void **st) {
    (void)st;
    ydoc *d = load("{\n  \"HostConfig\": {\n    \"Privileged\": true\n  }\n}\n");
    const ynode *p = yn_path(d->docs[0], "HostConfig.Privileged");
    assert_int_equal(p->line, 3); assert_int_equal(p->col, 19);
    ydoc_free(d);
    json_t *j = json_loads("{\"a\": [1, \"x\", true, null]}", 0, NULL);
    d = ydoc_from_json(j);
    json_decref(j);
    const ynode *a = yn_get(d->docs[0], "a");
    assert_int_equal(yn_len(a), 4);
    assert_true(yn_is_true(yn_at(a, 2)));
    assert_true(yn_is_null(yn_at(a, 3)));
    assert_int_equal(a->line, 0);
    ydoc_free(d);
}

static void expect_fail(const char *t, int code, const char *msg) {
    ydoc *d = NULL;
    assert_int_equal(ydoc_parse("f.yaml", t, strlen(t), &d), code);
    assert_null(d);
    if (!strstr(brig_errmsg(), msg)) fail_msg("message '%s' lacks '%s'", brig_errmsg(), msg);
}

static void errors_and_limits(void **st) {
    (void)st;
    expect_fail("a: [1, 2\n", BRIG_EXIT_INPUT, "f.yaml:2:1: invalid YAML");
    expect_fail("a: 1\nb: 2\na: 3\n", BRIG_EXIT_INPUT, "f.yaml:3:1: duplicate key 'a'");
    expect_fail("a: *nowhere\n", BRIG_EXIT_INPUT, "f.yaml:1:4: alias '*nowhere' refers to an undefined anchor");
    expect_fail("a: &x [1, *x]\n", BRIG_EXIT_INPUT, "undefined anchor");   /* no self-reference cycles */
    expect_fail("a: {<<: 5}\n", BRIG_EXIT_INPUT, "merge key '<<' needs a mapping");
    char deep[200];
    memset(deep, '[', 70); memset(deep + 70, ']', 70); deep[140] = 0;
    expect_fail(deep, BRIG_EXIT_UNSAFE, "f.yaml:1:65: nesting deeper than 64 levels");
    const char *laughs =
        "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    expect_fail(laughs, BRIG_EXIT_UNSAFE, "document expands to more than 1000000 nodes");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(positions_of_keys_and_values),
        cmocka_unit_test(anchors_and_merge_keys),
        cmocka_unit_test(multi_document),
        cmocka_unit_test(scalars),
        cmocka_unit_test(json_input),
        cmocka_unit_test(errors_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
