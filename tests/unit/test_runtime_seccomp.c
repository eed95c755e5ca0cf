/* Unit tests for the seccomp translation (src/runtime/seccomp.c) and the
 * built-in default profile. Filters are built but not loaded. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/rt.h"
#include "util/err.h"
#include "util/json.h"

static int build(const char *txt) {
    json_t *j;
    int rc = brig_json_parse("seccomp", txt, strlen(txt), &j);
    if (rc) return rc;
    rc = rt_seccomp_load(j, "config.json", false);
    json_decref(j);
    return rc;
}

static void test_default_profile(void **st) {
    (void)st;
    json_t *p = rt_seccomp_default_profile();
    assert_int_equal(rt_seccomp_load(p, "default", false), 0);
    /* Docker's default denies namespace and mount syscalls: they must not be allowed. */
    json_t *allow = json_object_get(json_array_get(json_object_get(p, "syscalls"), 0), "names");
    size_t i; json_t *v; int n = 0;
    json_array_foreach(allow, i, v) {
        const char *s = json_string_value(v);
        assert_true(strcmp(s, "mount") && strcmp(s, "unshare") && strcmp(s, "setns") && strcmp(s, "keyctl") &&
                    strcmp(s, "bpf") && strcmp(s, "ptrace") && strcmp(s, "pivot_root") && strcmp(s, "init_module") &&
                    strcmp(s, "io_uring_setup") && strcmp(s, "clone3"));
        if (!strcmp(s, "execve") || !strcmp(s, "read") || !strcmp(s, "openat")) n++;
    }
    assert_int_equal(n, 3);
    assert_string_equal(brig_json_str(p, "defaultAction"), "SCMP_ACT_ERRNO");
    assert_int_equal(json_integer_value(json_object_get(p, "defaultErrnoRet")), 1);   /* EPERM */
    json_decref(p);
}

static void test_actions_and_ops(void **st) {
    (void)st;
    assert_int_equal(build("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
                           "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":19},"
                           "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"},{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_KILL\"},"
                           "{\"names\":[\"gettid\"],\"action\":\"SCMP_ACT_TRAP\"},{\"names\":[\"getuid\"],\"action\":\"SCMP_ACT_LOG\"},"
                           "{\"names\":[\"getgid\"],\"action\":\"SCMP_ACT_TRACE\"},{\"names\":[\"getegid\"],\"action\":\"SCMP_ACT_KILL_THREAD\"},"
                           "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"}]},"
                           "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]},"
                           "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
                           "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_GE\"},{\"index\":2,\"value\":3,\"op\":\"SCMP_CMP_LT\"}]},"
                           "{\"names\":[\"no_such_call_at_all\"],\"action\":\"SCMP_ACT_ERRNO\"},"
                           "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}],\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]}"), 0);
}

static void expect_bad(const char *txt, int code, const char *needle) {
    int rc = build(txt);
    assert_int_equal(rc, code);
    if (!strstr(brig_errmsg(), needle)) fail_msg("message '%s' lacks '%s'", brig_errmsg(), needle);
}

static void test_errors(void **st) {
    (void)st;
    expect_bad("{}", BRIG_EXIT_INPUT, "action is required");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_NOPE\"}", BRIG_EXIT_INPUT, "unknown seccomp action 'SCMP_ACT_NOPE'");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", BRIG_EXIT_NOTIMPL, "SCMP_ACT_NOTIFY");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/x\"}", BRIG_EXIT_NOTIMPL, "listenerPath");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"x86_64\"]}", BRIG_EXIT_INPUT, "not an SCMP_ARCH_");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]}", BRIG_EXIT_INPUT, "unknown to libseccomp");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", BRIG_EXIT_INPUT, "index must be 0..5");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_LIKE\"}]}]}", BRIG_EXIT_INPUT, "unknown comparison operator 'SCMP_CMP_LIKE'");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":99999}", BRIG_EXIT_INPUT, "errnoRet must be");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_BOGUS\"]}", BRIG_EXIT_INPUT, "unknown flag");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":\"read\",\"action\":\"SCMP_ACT_ERRNO\"}]}", BRIG_EXIT_INPUT, "names must be an array");
}

static void test_compile_and_cache(void **st) {
    (void)st;
    char dir[] = "/tmp/brig-sc-cache.XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("XDG_CACHE_HOME", dir, 1);
    json_t *p = rt_seccomp_default_profile();
    rt_bpf a, b;
    assert_int_equal(rt_seccomp_compile(p, "default", &a), 0);
    assert_true(a.len > 50 && a.len <= 4096);
    assert_int_equal(rt_seccomp_compile(p, "default", &b), 0);   /* from the cache */
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.insns, b.insns, a.len * 8);
    rt_bpf_free(&a); rt_bpf_free(&b);
    /* A different profile gets a different entry. */
    json_object_set_new(p, "defaultErrnoRet", json_integer(38));
    assert_int_equal(rt_seccomp_compile(p, "default", &a), 0);
    rt_bpf_free(&a);
    json_decref(p);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "test $(ls %s/brig/seccomp | wc -l) = 2 && rm -rf %s", dir, dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_default_profile), cmocka_unit_test(test_actions_and_ops), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_compile_and_cache),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
