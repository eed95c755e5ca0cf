/* Unit tests for mount option parsing, rlimit checks, signal names and sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include "runtime/rt.h"
#include "util/err.h"

static void test_flags(void **st) {
    (void)st;
    char *o[] = { "ro", "nosuid", "nodev", "noexec", "relatime", "mode=755", "size=65536k" };
    rt_mountopts m;
    assert_int_equal(rt_mountopts_parse(o, 7, &m, "t"), 0);
    assert_int_equal(m.flags, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME);
    assert_string_equal(m.data, "mode=755,size=65536k");
    assert_false(m.bind);
    rt_mountopts_free(&m);
    char *o2[] = { "ro", "rw", "suid", "rbind", "rprivate", "defaults", "noauto" };
    assert_int_equal(rt_mountopts_parse(o2, 7, &m, "t"), 0);
    assert_int_equal(m.flags & MS_RDONLY, 0);
    assert_true(m.clear & MS_RDONLY);
    assert_true(m.clear & MS_NOSUID);
    assert_true(m.bind && m.rbind);
    assert_int_equal(m.propagation, MS_PRIVATE | MS_REC);
    assert_null(m.data);
    rt_mountopts_free(&m);
    char *o3[] = { "bind", "shared", "newinstance", "ptmxmode=0666" };
    assert_int_equal(rt_mountopts_parse(o3, 4, &m, "t"), 0);
    assert_true(m.bind && !m.rbind);
    assert_int_equal(m.propagation, MS_SHARED);
    assert_string_equal(m.data, "newinstance,ptmxmode=0666");
    rt_mountopts_free(&m);
}

static void test_bad_options(void **st) {
    (void)st;
    rt_mountopts m;
    char *o[] = { "mode=755,uid=0" };
    assert_int_equal(rt_mountopts_parse(o, 1, &m, "mounts[3] (/x)"), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "mounts[3] (/x)"));
    char *o2[] = { "idmap" };
    assert_int_equal(rt_mountopts_parse(o2, 1, &m, "m"), BRIG_EXIT_NOTIMPL);
    char *big = malloc(5000);
    memset(big, 'a', 4999); big[4999] = 0;
    char *o3[] = { big };
    assert_int_equal(rt_mountopts_parse(o3, 1, &m, "m"), BRIG_EXIT_INPUT);
    free(big);
}

static void test_rlimits(void **st) {
    (void)st;
    struct rlimit cur;
    getrlimit(RLIMIT_NOFILE, &cur);
    rt_rlimit rl = { RLIMIT_NOFILE, "RLIMIT_NOFILE", 64, cur.rlim_max };
    rt_process p = { .rlimits = &rl, .n_rlimits = 1 };
    assert_int_equal(rt_rlimits_check(&p), 0);
    if (cur.rlim_max != RLIM_INFINITY) {
        rl.hard = (uint64_t)cur.rlim_max + 1000000;
        struct rlimit probe = { cur.rlim_cur, rl.hard };
        if (setrlimit(RLIMIT_NOFILE, &probe) == 0) setrlimit(RLIMIT_NOFILE, &cur);   /* CAP_SYS_RESOURCE: allowed */
        else {
            assert_int_equal(rt_rlimits_check(&p), BRIG_EXIT_SYSTEM);
            assert_non_null(strstr(brig_errmsg(), "RLIMIT_NOFILE hard limit"));
            assert_non_null(strstr(brig_errmsg(), "above this host's hard limit"));
        }
    }
    assert_int_equal(rt_rlimit_from_name("RLIMIT_NPROC"), RLIMIT_NPROC);
    assert_int_equal(rt_rlimit_from_name("NOFILE"), -1);
}

static void test_signals_and_sizes(void **st) {
    (void)st;
    assert_int_equal(rt_parse_signal("9"), SIGKILL);
    assert_int_equal(rt_parse_signal("TERM"), SIGTERM);
    assert_int_equal(rt_parse_signal("sigusr1"), SIGUSR1);
    assert_int_equal(rt_parse_signal("RTMIN+2"), SIGRTMIN + 2);
    assert_int_equal(rt_parse_signal("0"), -1);
    assert_int_equal(rt_parse_signal("BOGUS"), -1);
    assert_int_equal(rt_parse_signal("99999"), -1);
    assert_int_equal(rt_parse_size("512m"), 536870912);
    assert_int_equal(rt_parse_size("1g"), 1073741824);
    assert_int_equal(rt_parse_size("64MiB"), 67108864);
    assert_int_equal(rt_parse_size("100"), 100);
    assert_int_equal(rt_parse_size("1.5k"), 1536);
    assert_int_equal(rt_parse_size("-1"), -1);
    assert_int_equal(rt_parse_size("12x"), -1);
    assert_int_equal(rt_parse_size(""), -1);
}

static void test_ids(void **st) {
    (void)st;
    assert_int_equal(rt_valid_id("abc-1_2.3+4"), 0);
    assert_int_equal(rt_valid_id("../x"), BRIG_EXIT_USAGE);
    assert_int_equal(rt_valid_id(".."), BRIG_EXIT_USAGE);
    assert_int_equal(rt_valid_id(""), BRIG_EXIT_USAGE);
    assert_int_equal(rt_valid_id("a/b"), BRIG_EXIT_USAGE);
}

int main(void) {
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_flags), cmocka_unit_test(test_bad_options), cmocka_unit_test(test_rlimits),
        cmocka_unit_test(test_signals_and_sizes), cmocka_unit_test(test_ids),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
