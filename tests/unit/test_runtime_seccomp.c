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
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
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
    /* Seccomp notify: runtime-spec rules (runc refuses NOTIFY without a listener too). */
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", BRIG_EXIT_INPUT, "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", BRIG_EXIT_INPUT, "needs linux.seccomp.listenerPath");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerMetadata\":\"m\"}", BRIG_EXIT_INPUT, "listenerMetadata is set without listenerPath");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":7}", BRIG_EXIT_INPUT, "listenerPath must be a string");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/s\",\"listenerMetadata\":[]}", BRIG_EXIT_INPUT, "listenerMetadata must be a string");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
               BRIG_EXIT_INPUT, "longer than an AF_UNIX socket path");
    expect_bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/s\",\"syscalls\":[{\"names\":[\"sendmsg\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", BRIG_EXIT_INPUT, "cannot be used for sendmsg");
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

/* ---- seccomp user notification ---- */

static char cache_dir[64];
static void use_private_cache(void) {
    if (!cache_dir[0]) {
        snprintf(cache_dir, sizeof cache_dir, "/tmp/brig-sc-ntf.XXXXXX");
        assert_non_null(mkdtemp(cache_dir));
    }
    setenv("XDG_CACHE_HOME", cache_dir, 1);
}

static int compile(const char *txt, rt_bpf *b, json_t **keep) {
    json_t *j;
    int rc = brig_json_parse("seccomp", txt, strlen(txt), &j);
    if (rc) return rc;
    use_private_cache();
    rc = rt_seccomp_compile(j, "config.json", b);
    if (keep) *keep = j;
    else json_decref(j);
    return rc;
}

static void test_notify_flags(void **st) {
    (void)st;
    rt_bpf b;
    /* NOTIFY rule -> SECCOMP_FILTER_FLAG_NEW_LISTENER; the fd is not connected yet. */
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\","
                             "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", &b, NULL), 0);
    assert_true(b.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
    assert_int_equal(b.listener, -1);
    rt_bpf_free(&b);
    /* The same profile again comes from the cache with the same flags. */
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\","
                             "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", &b, NULL), 0);
    assert_true(b.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
    assert_int_equal(b.listener, -1);
    rt_bpf_free(&b);
    /* TSYNC with a listener needs TSYNC_ESRCH (kernel rule); WAIT_KILLABLE_RECV is applied with a listener. */
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\","
                             "\"flags\":[\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
                             "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", &b, NULL), 0);
    assert_int_equal(b.flags, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH | (1u << 5));
    rt_bpf_free(&b);
    /* listenerPath without NOTIFY: ignored; WAIT_KILLABLE_RECV alone would make the kernel refuse, so it is dropped. */
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\","
                             "\"flags\":[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
                             "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", &b, NULL), 0);
    assert_int_equal(b.flags, 0);
    assert_int_equal(rt_seccomp_listener_connect(NULL, &b, "config.json"), 0);   /* nothing to connect */
    assert_int_equal(b.listener, -1);
    rt_bpf_free(&b);
    /* NOTIFY only for syscalls this kernel does not know: no listener needed. */
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\","
                             "\"syscalls\":[{\"names\":[\"no_such_call_xyz\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", &b, NULL), 0);
    assert_int_equal(b.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER, 0);
    rt_bpf_free(&b);
}

static inline uint32_t eval(const rt_bpf *b, int nr, uint64_t a0, uint64_t a1) {
    struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64, .args = { a0, a1 } };
    uint32_t r = 0xdeadbeef;
    assert_int_equal(rt_seccomp_eval(b, &d, &r), 0);
    return r;
}

static void test_eval_matches_rules(void **st) {
    (void)st;
#if !defined(__x86_64__)
    skip();   /* syscall numbers and AUDIT_ARCH below are x86_64's */
#else
    rt_bpf b;
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\",\"syscalls\":["
                             "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"},"
                             "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":19,\"args\":[{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"}]},"
                             "{\"names\":[\"sendmsg\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":42,\"op\":\"SCMP_CMP_EQ\"}]},"
                             "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}", &b, NULL), 0);
    assert_int_equal(eval(&b, __NR_mkdir, 0, 0), SECCOMP_RET_USER_NOTIF);
    assert_int_equal(eval(&b, __NR_getpid, 0, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(eval(&b, __NR_kill, 1, 9), SECCOMP_RET_ERRNO | 19);
    assert_int_equal(eval(&b, __NR_kill, 1, 15), SECCOMP_RET_ALLOW);
    assert_int_equal(eval(&b, __NR_sendmsg, 42, 0), SECCOMP_RET_ERRNO | EPERM);
    assert_int_equal(eval(&b, __NR_sendmsg, 7, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(eval(&b, __NR_getppid, 0, 0), SECCOMP_RET_KILL_PROCESS);
    /* A foreign architecture hits the bad-arch action (kill), as in the kernel. */
    struct seccomp_data d = { .nr = 1, .arch = AUDIT_ARCH_I386 };
    uint32_t r;
    assert_int_equal(rt_seccomp_eval(&b, &d, &r), 0);
    assert_int_equal(r, SECCOMP_RET_KILL_PROCESS);
    rt_bpf_free(&b);
    /* Docker's default allowlist (binary-tree optimised by libseccomp): sendmsg passes, unshare gets EPERM. */
    json_t *p = rt_seccomp_default_profile();
    use_private_cache();
    assert_int_equal(rt_seccomp_compile(p, "default", &b), 0);
    json_decref(p);
    assert_int_equal(eval(&b, __NR_sendmsg, 5, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(eval(&b, __NR_read, 0, 0), SECCOMP_RET_ALLOW);
    assert_int_equal(eval(&b, __NR_unshare, 0, 0), SECCOMP_RET_ERRNO | EPERM);
    /* A program the interpreter does not know is reported, not guessed. */
    struct sock_filter bad[] = { { 0xffff, 0, 0, 0 } };
    rt_bpf u = { .insns = bad, .len = 1, .listener = -1 };
    assert_int_equal(rt_seccomp_eval(&u, &d, &r), -1);
    rt_bpf_free(&b);
#endif
}

/* The interpreter against the kernel itself: load the filter in a child and
 * compare the errno each call really gets with what eval predicted. */
static void test_eval_matches_kernel(void **st) {
    (void)st;
#if !defined(__x86_64__)
    skip();
#else
    rt_bpf b;
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                             "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":19},"
                             "{\"names\":[\"dup\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":33,\"args\":[{\"index\":0,\"value\":100,\"op\":\"SCMP_CMP_GE\"}]},"
                             "{\"names\":[\"dup\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":34,\"args\":[{\"index\":0,\"value\":3,\"valueTwo\":2,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}", &b, NULL), 0);
    struct { int nr; long a0; } calls[] = { { __NR_mkdir, 0 }, { __NR_dup, 150 }, { __NR_dup, 6 }, { __NR_dup, 5 }, { __NR_getpid, 0 } };
    int n = (int)(sizeof calls / sizeof calls[0]);
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t c = fork();
    assert_true(c >= 0);
    if (c == 0) {
        close(pfd[0]);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || rt_seccomp_apply(&b, "test") != 0) _exit(2);
        for (int i = 0; i < n; i++) {
            long r = syscall(calls[i].nr, calls[i].nr == __NR_mkdir ? (long)"/nonexistent-dir/x" : calls[i].a0, 0700);
            int e = r < 0 ? errno : 0;
            if (write(pfd[1], &e, sizeof e) != sizeof e) _exit(3);
        }
        _exit(0);
    }
    close(pfd[1]);
    for (int i = 0; i < n; i++) {
        int e;
        assert_int_equal(read(pfd[0], &e, sizeof e), sizeof e);
        uint64_t a0 = calls[i].nr == __NR_mkdir ? 0 : (uint64_t)calls[i].a0;
        struct seccomp_data d = { .nr = calls[i].nr, .arch = AUDIT_ARCH_X86_64, .args = { a0 } };
        uint32_t r;
        assert_int_equal(rt_seccomp_eval(&b, &d, &r), 0);
        if ((r & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO) assert_int_equal(e, (int)(r & SECCOMP_RET_DATA));
        else assert_true(e != 19 && e != 33 && e != 34);   /* allowed: whatever the real call returns */
    }
    int status;
    assert_int_equal(waitpid(c, &status, 0), c);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(pfd[0]);
    rt_bpf_free(&b);
#endif
}

static void test_notify_state(void **st) {
    (void)st;
    json_t *sc = json_pack("{s:s, s:s}", "listenerPath", "/run/a.sock", "listenerMetadata", "MKNOD=/dev/null");
    const char *state = "{\"ociVersion\":\"1.1.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4422,\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}";
    char *m = rt_seccomp_notify_state(sc, state, "running", 0);
    json_t *j = json_loads(m, 0, NULL);
    assert_non_null(j);
    assert_string_equal(brig_json_str(j, "ociVersion"), "1.1.0");
    assert_int_equal(json_array_size(json_object_get(j, "fds")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "fds"), 0)), "seccompFd");
    assert_int_equal(json_integer_value(json_object_get(j, "pid")), 4422);
    assert_string_equal(brig_json_str(j, "metadata"), "MKNOD=/dev/null");
    json_t *s = json_object_get(j, "state");
    assert_string_equal(brig_json_str(s, "id"), "c1");
    assert_string_equal(brig_json_str(s, "status"), "running");
    assert_string_equal(brig_json_str(s, "bundle"), "/b");
    assert_int_equal(json_integer_value(json_object_get(s, "pid")), 4422);
    assert_string_equal(brig_json_str(json_object_get(s, "annotations"), "k"), "v");
    json_decref(j); free(m);
    /* exec: the process's own pid, the state's status kept; no metadata key when none is configured. */
    json_object_del(sc, "listenerMetadata");
    m = rt_seccomp_notify_state(sc, state, NULL, 777);
    j = json_loads(m, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "pid")), 777);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "state"), "pid")), 4422);
    assert_string_equal(brig_json_str(json_object_get(j, "state"), "status"), "creating");
    assert_null(json_object_get(j, "metadata"));
    json_decref(j); free(m); json_decref(sc);
}

static void test_listener_connect(void **st) {
    (void)st;
    char dir[] = "/tmp/brig-sc-sock.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], prof[512];
    snprintf(path, sizeof path, "%s/agent.sock", dir);
    snprintf(prof, sizeof prof, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"%s\","
             "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", path);
    rt_bpf b;
    json_t *sc;
    assert_int_equal(compile(prof, &b, &sc), 0);
    /* Nobody listening yet: a clear system error naming the path. */
    assert_int_equal(rt_seccomp_listener_connect(sc, &b, "config.json"), BRIG_EXIT_SYSTEM);
    assert_non_null(strstr(brig_errmsg(), "cannot connect to the seccomp agent"));
    assert_non_null(strstr(brig_errmsg(), path));
    assert_int_equal(b.listener, -1);
    int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    memcpy(sa.sun_path, path, strlen(path) + 1);
    assert_int_equal(bind(srv, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(srv, 4), 0);
    assert_int_equal(rt_seccomp_listener_connect(sc, &b, "config.json"), 0);
    assert_true(b.listener > 2);
    int c = accept(srv, NULL, NULL);
    assert_true(c >= 0);
    rt_bpf_free(&b);   /* closes our end: the agent sees EOF */
    char x;
    assert_int_equal(read(c, &x, 1), 0);
    close(c);
    json_decref(sc);
    /* A profile that denies the handoff's sendmsg is refused before connecting. */
    snprintf(prof, sizeof prof, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"%s\",\"syscalls\":["
             "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"},{\"names\":[\"sendmsg\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}", path);
    assert_int_equal(compile(prof, &b, &sc), 0);
    assert_int_equal(rt_seccomp_listener_connect(sc, &b, "config.json"), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "sendmsg(2) with SCMP_ACT_KILL_PROCESS"));
    int fl = fcntl(srv, F_GETFL);
    fcntl(srv, F_SETFL, fl | O_NONBLOCK);
    assert_int_equal(accept(srv, NULL, NULL), -1);   /* no connection was made */
    rt_bpf_free(&b);
    json_decref(sc);
    close(srv);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, cache_dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_default_profile), cmocka_unit_test(test_actions_and_ops), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_compile_and_cache), cmocka_unit_test(test_notify_flags), cmocka_unit_test(test_eval_matches_rules),
        cmocka_unit_test(test_eval_matches_kernel), cmocka_unit_test(test_notify_state), cmocka_unit_test(test_listener_connect),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
