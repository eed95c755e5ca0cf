/* Unit tests for src/util: error model, strbuf, SHA-256/digests, bounded I/O, JSON errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/lazylib.h"
#include "util/lazy_sqlite3.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void test_fail_records_message(void **st) {
    (void)st;
    int rc = brig_fail(BRIG_EXIT_INPUT, "file %s:%d: bad", "x.json", 3);
    assert_int_equal(rc, BRIG_EXIT_INPUT);
    assert_string_equal(brig_errmsg(), "file x.json:3: bad");
    rc = brig_fail_context(BRIG_EXIT_UNSAFE, "layer %d", 2);
    assert_int_equal(rc, BRIG_EXIT_UNSAFE);
    assert_string_equal(brig_errmsg(), "layer 2: file x.json:3: bad");
    brig_err_clear();
    assert_string_equal(brig_errmsg(), "");
}

static void test_strbuf(void **st) {
    (void)st;
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 1000; i++) sb_addf(&sb, "%d,", i);
    assert_true(sb.len > 3000);
    assert_memory_equal(sb.buf, "0,1,2,", 6);
    assert_int_equal(sb.buf[sb.len], 0);
    sb_reset(&sb);
    sb_adds(&sb, "abc");
    sb_addc(&sb, 'd');
    char *s = sb_detach(&sb);
    assert_string_equal(s, "abcd");
    assert_null(sb.buf);
    free(s);
}

static void test_sha256_vectors(void **st) {
    (void)st;
    char hex[65];
    brig_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    brig_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* incremental equals one-shot */
    brig_sha256 *h = brig_sha256_new();
    brig_sha256_update(h, "a", 1);
    brig_sha256_update(h, "bc", 2);
    char hex2[65];
    brig_sha256_final_hex(h, hex2);
    assert_string_equal(hex, hex2);
}

static void test_digest_valid(void **st) {
    (void)st;
    const char *hex = NULL;
    assert_true(brig_digest_valid("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", &hex));
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_false(brig_digest_valid("sha256:E3B0C44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL));
    assert_false(brig_digest_valid("sha256:e3b0", NULL));
    assert_false(brig_digest_valid("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL));
    assert_false(brig_digest_valid("sha256:../../../../etc/passwd0000000000000000000000000000000000000000", NULL));
    assert_false(brig_digest_valid(NULL, NULL));
}

static char tmpdir[64];
static int setup_tmp(void **st) {
    (void)st;
    strcpy(tmpdir, "/tmp/brig-ut-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}
static int teardown_tmp(void **st) {
    (void)st;
    return brig_rm_rf(tmpdir);
}

static void test_read_file_limit(void **st) {
    (void)st;
    char *p = xasprintf("%s/f", tmpdir);
    assert_int_equal(brig_write_file_atomic(p, "hello world", 11, 0644), 0);
    char *buf; size_t len;
    assert_int_equal(brig_read_file(p, 100, &buf, &len), 0);
    assert_int_equal(len, 11);
    assert_string_equal(buf, "hello world");
    free(buf);
    assert_int_equal(brig_read_file(p, 5, &buf, &len), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), p));
    assert_non_null(strstr(brig_errmsg(), "limit"));
    char *missing = xasprintf("%s/missing", tmpdir);
    assert_int_equal(brig_read_file(missing, 5, &buf, &len), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "missing"));
    assert_int_equal(brig_read_file(tmpdir, 5, &buf, &len), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "directory"));
    free(missing);
    free(p);
}

static void test_mkdir_p_and_rm_rf(void **st) {
    (void)st;
    char *d = xasprintf("%s/a/b/c", tmpdir);
    assert_int_equal(brig_mkdir_p(d, 0755), 0);
    assert_int_equal(brig_mkdir_p(d, 0755), 0);   /* idempotent */
    char *f = xasprintf("%s/x", d);
    assert_int_equal(brig_write_file_atomic(f, "x", 1, 0400), 0);
    chmod(d, 0500);   /* a read-only dir must not block removal */
    char *a = xasprintf("%s/a", tmpdir);
    /* a symlink inside pointing outside must be removed, not followed */
    char *outside = xasprintf("%s/keep", tmpdir);
    assert_int_equal(brig_write_file_atomic(outside, "k", 1, 0644), 0);
    char *ln = xasprintf("%s/a/link", tmpdir);
    assert_int_equal(symlink(tmpdir, ln), 0);
    assert_int_equal(brig_rm_rf(a), 0);
    struct stat sb;
    assert_int_not_equal(lstat(a, &sb), 0);
    assert_int_equal(lstat(outside, &sb), 0);
    free(d); free(f); free(a); free(outside); free(ln);
}

/* A lazily loaded library resolves on first call and then stays loaded; a
 * missing one (or a missing symbol) ends the process with exit 6 and names
 * the Debian package, instead of crashing on a NULL function pointer. */
static void test_lazylib(void **st) {
    (void)st;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_non_null(brig_lazy_sqlite3_lib.handle);
    static const char *const names[] = { "no_such_function" };
    void *slot = NULL;
    struct { const char *soname; const char *errtxt; } cases[] = {
        { "libbrig-missing.so.0", "install the Debian package brig-missing-pkg" },
        { "libsqlite3.so.0", "lacks no_such_function" },
    };
    for (size_t i = 0; i < 2; i++) {
        int pfd[2];
        assert_int_equal(pipe(pfd), 0);
        pid_t pid = fork();
        if (pid == 0) {
            dup2(pfd[1], 2);
            brig_lazylib lib = { cases[i].soname, "brig-missing-pkg", names, 1, &slot, NULL };
            brig_lazylib_load(&lib);
            _exit(0);
        }
        close(pfd[1]);
        char buf[512] = { 0 };
        ssize_t n = read(pfd[0], buf, sizeof buf - 1);
        close(pfd[0]);
        int status;
        waitpid(pid, &status, 0);
        assert_true(n > 0);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 6);
        assert_non_null(strstr(buf, cases[i].errtxt));
        assert_non_null(strstr(buf, cases[i].soname));
    }
}

static void test_json_errors_have_position(void **st) {
    (void)st;
    json_t *j = NULL;
    const char *bad = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}";
    assert_int_equal(brig_json_parse("index.json", bad, strlen(bad), &j), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "index.json:3:"));
    const char *dup = "{\"a\": 1, \"a\": 2}";
    assert_int_equal(brig_json_parse("m.json", dup, strlen(dup), &j), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "duplicate"));
    const char *ok = "{\"s\": \"v\", \"arr\": [\"x\", 2, \"y\"]}";
    assert_int_equal(brig_json_parse("ok.json", ok, strlen(ok), &j), 0);
    assert_string_equal(brig_json_str(j, "s"), "v");
    assert_null(brig_json_str(j, "arr"));
    size_t n;
    char **v = brig_json_strv(json_object_get(j, "arr"), &n);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "x");
    assert_string_equal(v[1], "y");
    assert_null(v[2]);
    brig_strv_free(v);
    json_decref(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_records_message),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_digest_valid),
        cmocka_unit_test_setup_teardown(test_read_file_limit, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_mkdir_p_and_rm_rf, setup_tmp, teardown_tmp),
        cmocka_unit_test(test_json_errors_have_position),
        cmocka_unit_test(test_lazylib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
