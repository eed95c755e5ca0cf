/* Unit tests for linux.resources.devices → effective rule list → eBPF device
 * program (src/runtime/cgroup_devices_bpf.c).  The programs are run here by a
 * small interpreter of the instructions the compiler may emit and compared, for
 * thousands of random rule lists and every request shape, with a direct reading
 * of the semantics (last matching rule wins per access bit, default deny).  As
 * root the kernel verifier must also accept them (loaded, not attached). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/rt.h"
#include "util/err.h"
#include "util/json.h"

/* ---- interpreter for the emitted subset; anything else fails the test ---- */
static int run_prog(const struct bpf_insn *p, size_t n, int type, uint32_t access, uint32_t major, uint32_t minor) {
    struct bpf_cgroup_dev_ctx ctx = { .access_type = (access << 16) | (uint32_t)type, .major = major, .minor = minor };
    uint64_t r[11] = { 0 };
    size_t pc = 0, steps = 0;
    for (;;) {
        assert_true(pc < n);
        assert_true(++steps <= n);   /* forward jumps only: each insn runs at most once */
        struct bpf_insn i = p[pc++];
        assert_true(i.dst_reg < 11 && i.src_reg < 11);
        switch (i.code) {
        case BPF_LDX | BPF_MEM | BPF_W: {
            assert_int_equal(i.src_reg, BPF_REG_1);
            assert_true(i.off == 0 || i.off == 4 || i.off == 8);
            uint32_t v;
            memcpy(&v, (char *)&ctx + i.off, 4);
            r[i.dst_reg] = v;
            break;
        }
        case BPF_ALU | BPF_AND | BPF_K: r[i.dst_reg] = (uint32_t)r[i.dst_reg] & (uint32_t)i.imm; break;
        case BPF_ALU | BPF_RSH | BPF_K: r[i.dst_reg] = (uint32_t)r[i.dst_reg] >> (i.imm & 31); break;
        case BPF_ALU | BPF_MOV | BPF_K: r[i.dst_reg] = (uint32_t)i.imm; break;
        case BPF_ALU | BPF_MOV | BPF_X: r[i.dst_reg] = (uint32_t)r[i.src_reg]; break;
        case BPF_ALU64 | BPF_MOV | BPF_K: r[i.dst_reg] = (uint64_t)(int64_t)i.imm; break;
        case BPF_JMP | BPF_JA: assert_true(i.off >= 0); pc += i.off; break;
        case BPF_JMP | BPF_JNE | BPF_K: assert_true(i.off >= 0); if (r[i.dst_reg] != (uint64_t)(int64_t)i.imm) pc += i.off; break;
        case BPF_JMP | BPF_JEQ | BPF_K: assert_true(i.off >= 0); if (r[i.dst_reg] == (uint64_t)(int64_t)i.imm) pc += i.off; break;
        case BPF_JMP | BPF_JEQ | BPF_X: assert_true(i.off >= 0); if (r[i.dst_reg] == r[i.src_reg]) pc += i.off; break;
        case BPF_JMP | BPF_EXIT: assert_true(r[0] == 0 || r[0] == 1); return (int)r[0];
        default: fail_msg("unexpected opcode 0x%02x at %zu", i.code, pc - 1);
        }
    }
}

/* ---- the semantics, read directly off the effective list ---- */
static bool rule_matches(const rt_dev_rule *x, int type, uint32_t major, uint32_t minor) {
    if (x->type == 'a') return true;
    if ((x->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR) != type) return false;
    return (x->major < 0 || (uint32_t)x->major == major) && (x->minor < 0 || (uint32_t)x->minor == minor);
}
static int reference(const rt_dev_rule *r, size_t n, int type, uint32_t access, uint32_t major, uint32_t minor) {
    for (uint32_t bit = 1; bit <= 4; bit <<= 1) {
        if (!(access & bit)) continue;
        bool verdict = false;
        for (size_t i = n; i-- > 0; )
            if (rule_matches(&r[i], type, major, minor) && (r[i].type == 'a' || (r[i].access & bit))) { verdict = r[i].allow; break; }
        if (!verdict) return 0;
    }
    return 1;
}

static int build(const char *txt, rt_dev_rule **r, size_t *n) {
    json_t *j;
    int rc = brig_json_parse("devices", txt, strlen(txt), &j);
    assert_int_equal(rc, 0);
    rc = rt_dev_rules_build(j, r, n);
    json_decref(j);
    return rc;
}

static int eval(const rt_dev_rule *r, size_t n, int type, uint32_t acc, uint32_t ma, uint32_t mi) {
    struct bpf_insn *p;
    size_t len;
    assert_int_equal(rt_dev_bpf_compile(r, n, &p, &len), 0);
    int v = run_prog(p, len, type, acc, ma, mi);
    assert_int_equal(v, reference(r, n, type, acc, ma, mi));
    free(p);
    return v;
}

enum { C = BPF_DEVCG_DEV_CHAR, B = BPF_DEVCG_DEV_BLOCK, R = BPF_DEVCG_ACC_READ, W = BPF_DEVCG_ACC_WRITE, M = BPF_DEVCG_ACC_MKNOD };

static void test_podman_style(void **st) {
    (void)st;
    rt_dev_rule *r; size_t n;
    /* Podman/containerd: deny-all, then allows. */
    assert_int_equal(build("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"r\"}]", &r, &n), 0);
    assert_int_equal(n, 1 + 11 + 1);   /* the spec's deny-all, the defaults, the allow */
    assert_false(r[0].allow); assert_int_equal(r[0].type, 'a'); assert_int_equal(r[0].src, 0);
    assert_int_equal(r[1].src, -1); assert_int_equal(r[n - 1].src, 1);
    assert_false(rt_dev_rules_allow_all(r, n));
    assert_int_equal(eval(r, n, C, R, 1, 11), 1);       /* kmsg readable */
    assert_int_equal(eval(r, n, C, W, 1, 11), 0);       /* not writable */
    assert_int_equal(eval(r, n, C, R | W, 1, 11), 0);   /* O_RDWR needs both */
    assert_int_equal(eval(r, n, C, R | W, 1, 3), 1);    /* /dev/null (default) */
    assert_int_equal(eval(r, n, C, M, 1, 11), 1);       /* default c *:* m (runc's AllowedDevices) */
    assert_int_equal(eval(r, n, B, M, 8, 0), 1);
    assert_int_equal(eval(r, n, B, R, 8, 0), 0);        /* a disk */
    assert_int_equal(eval(r, n, C, R | W, 136, 7), 1);  /* pts */
    assert_int_equal(eval(r, n, C, R, 10, 200), 0);     /* tun is not a brig default */
    free(r);
    /* An explicit deny after the leading wildcard is honoured, defaults included. */
    assert_int_equal(build("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":false,\"type\":\"c\",\"access\":\"m\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"}]", &r, &n), 0);
    assert_int_equal(eval(r, n, C, M, 1, 11), 0);
    assert_int_equal(eval(r, n, C, M, 1, 3), 1);
    assert_int_equal(eval(r, n, C, R, 1, 5), 1);
    /* v1 removes only the exact "c *:* m" exception; c 1:5 rwm (a default) keeps m there.
     * Only the mknod bit differs (the node still cannot be opened): accepted. */
    assert_int_equal(rt_dev_rules_v1_check(r, n), 0);
    free(r);
    /* No leading wildcard: runc's emulator starts from deny-all; so does brig. */
    assert_int_equal(build("[{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"rw\"}]", &r, &n), 0);
    assert_false(r[0].allow); assert_int_equal(r[0].type, 'a'); assert_int_equal(r[0].src, -1);
    assert_int_equal(eval(r, n, C, R | W, 1, 11), 1);
    assert_int_equal(eval(r, n, C, R, 1, 12), 0);
    free(r);
}

static void test_allow_all_and_empty(void **st) {
    (void)st;
    rt_dev_rule *r; size_t n;
    assert_int_equal(build("[]", &r, &n), 0); assert_int_equal(n, 0);
    assert_int_equal(rt_dev_rules_build(NULL, &r, &n), 0); assert_int_equal(n, 0);
    assert_int_equal(build("[{\"allow\":true,\"access\":\"rwm\"}]", &r, &n), 0);
    assert_true(rt_dev_rules_allow_all(r, n));
    assert_int_equal(eval(r, n, B, R | W | M, 8, 0), 1);
    free(r);
    assert_int_equal(build("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"a\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11}]", &r, &n), 0);
    assert_true(rt_dev_rules_allow_all(r, n));
    free(r);
    /* "a" means every device and access whatever else the rule says (cgroup v1, runc). */
    assert_int_equal(build("[{\"allow\":true,\"type\":\"a\",\"major\":1,\"access\":\"r\"},{\"allow\":false,\"type\":\"b\",\"access\":\"w\"}]", &r, &n), 0);
    assert_false(rt_dev_rules_allow_all(r, n));
    assert_int_equal(eval(r, n, C, W, 4, 1), 1);
    assert_int_equal(eval(r, n, B, W, 8, 0), 0);
    assert_int_equal(eval(r, n, B, R, 8, 0), 1);
    free(r);
}

static void expect_bad(const char *txt, int code, const char *needle) {
    rt_dev_rule *r = NULL; size_t n = 0;
    int rc = build(txt, &r, &n);
    if (rc != code || !strstr(brig_errmsg(), needle)) fail_msg("%s: rc %d, message '%s' (want %d, '%s')", txt, rc, brig_errmsg(), code, needle);
    assert_null(r);
}

static void test_malformed(void **st) {
    (void)st;
    expect_bad("{\"allow\":true}", 3, "must be an array");
    expect_bad("[{\"allow\":false},7]", 3, "devices[1]: must be an object");
    expect_bad("[{\"access\":\"rwm\"}]", 3, "devices[0]: \"allow\" must be true or false");
    expect_bad("[{\"allow\":\"yes\"}]", 3, "devices[0]: \"allow\"");
    expect_bad("[{\"allow\":false},{\"allow\":true,\"type\":\"u\"}]", 3, "devices[1]: type must be");
    expect_bad("[{\"allow\":false},{\"allow\":true,\"type\":\"cc\"}]", 3, "devices[1]: type must be");
    expect_bad("[{\"allow\":false},{\"allow\":true,\"type\":\"c\",\"access\":\"rx\"}]", 3, "devices[1]: access must be");
    expect_bad("[{\"allow\":false},{\"allow\":true,\"type\":\"c\",\"access\":\"rwmr\"}]", 3, "devices[1]: access must be");
    expect_bad("[{\"allow\":false},{\"allow\":true,\"type\":\"c\",\"major\":\"1\"}]", 3, "devices[1]: major must be an integer");
    expect_bad("[{\"allow\":false},{\"allow\":true,\"type\":\"c\",\"minor\":-2}]", 3, "devices[1]: minor -2 is out of range");
    expect_bad("[{\"allow\":false},{\"allow\":true,\"type\":\"c\",\"major\":4294967296}]", 3, "devices[1]: major 4294967296");
    json_t *big = json_array();
    for (int i = 0; i <= RT_MAX_LIST; i++) json_array_append_new(big, json_pack("{s:b}", "allow", 0));
    rt_dev_rule *r = NULL; size_t n = 0;
    assert_int_equal(rt_dev_rules_build(big, &r, &n), BRIG_EXIT_UNSAFE);
    json_decref(big);
}

static void test_v1_check(void **st) {
    (void)st;
    rt_dev_rule *r; size_t n;
    /* A read/write hole in the default c 136:* rwm (pts): v1 would leave pts 3 open. */
    assert_int_equal(build("[{\"allow\":false},{\"allow\":false,\"type\":\"c\",\"major\":136,\"minor\":3,\"access\":\"rw\"}]", &r, &n), 0);
    assert_int_equal(rt_dev_rules_v1_check(r, n), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "devices[1]"));
    assert_non_null(strstr(brig_errmsg(), "a default"));
    assert_non_null(strstr(brig_errmsg(), "read or write"));
    free(r);
    /* A hole in the default c *:* m only: v1 keeps mknod of 1:11, which cannot be opened: accepted. */
    assert_int_equal(build("[{\"allow\":false},{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"m\"}]", &r, &n), 0);
    assert_int_equal(rt_dev_rules_v1_check(r, n), 0);
    free(r);
    /* Docker 20.10's default list, as dockerd passes it (deny c 10:229 rwm: /dev/fuse). */
    assert_int_equal(build("[{\"allow\":false,\"access\":\"rwm\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":5,\"access\":\"rwm\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":9,\"access\":\"rwm\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":8,\"access\":\"rwm\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":5,\"minor\":0,\"access\":\"rwm\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":5,\"minor\":1,\"access\":\"rwm\"},"
                           "{\"allow\":false,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}]", &r, &n), 0);
    assert_int_equal(rt_dev_rules_v1_check(r, n), 0);
    assert_int_equal(eval(r, n, C, R, 10, 229), 0);    /* and v2 denies all of it */
    assert_int_equal(eval(r, n, C, M, 10, 229), 0);
    assert_int_equal(eval(r, n, C, R | W, 1, 3), 1);
    free(r);
    /* Removing a wider rule leaves the narrower one on v1: refused too. */
    assert_int_equal(build("[{\"allow\":false},{\"allow\":true,\"type\":\"c\",\"major\":4,\"minor\":1,\"access\":\"r\"},"
                           "{\"allow\":false,\"type\":\"c\",\"major\":4,\"access\":\"rw\"}]", &r, &n), 0);
    assert_int_equal(rt_dev_rules_v1_check(r, n), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "devices[2]"));
    free(r);
    /* Exact matches and disjoint access are fine. */
    assert_int_equal(build("[{\"allow\":true},{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"w\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"},"
                           "{\"allow\":false,\"type\":\"c\",\"major\":1,\"access\":\"r\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":9,\"access\":\"w\"}]", &r, &n), 0);
    assert_int_equal(rt_dev_rules_v1_check(r, n), 0);
    free(r);
}

static uint32_t rnd(uint32_t *s) { *s = *s * 1103515245u + 12345u; return (*s >> 8) & 0xFFFFFF; }

static json_t *random_rules(uint32_t *s, size_t max) {
    static const json_int_t majors[] = { -1, 1, 5, 3000000000LL }, minors[] = { -1, 3, 11, 4294967295LL };
    static const char *acc[] = { "r", "w", "m", "rw", "rm", "wm", "rwm", "" };
    json_t *a = json_array();
    size_t n = rnd(s) % max;
    for (size_t i = 0; i < n; i++) {
        uint32_t t = rnd(s) % 16;
        json_t *o = json_pack("{s:b,s:s}", "allow", (int)(rnd(s) & 1), "access", acc[rnd(s) % 8]);
        if (t != 0) {
            json_object_set_new(o, "type", json_string(t & 1 ? "c" : "b"));
            json_object_set_new(o, "major", json_integer(majors[rnd(s) % 4]));
            if (rnd(s) % 3) json_object_set_new(o, "minor", json_integer(minors[rnd(s) % 4]));
        }
        json_array_append_new(a, o);
    }
    return a;
}

static void test_random_against_reference(void **st) {
    (void)st;
    static const uint32_t majors[] = { 1, 5, 7, 3000000000u }, minors[] = { 0, 3, 11, 4294967295u };
    uint32_t seed = 12345;
    for (int round = 0; round < 3000; round++) {
        json_t *a = random_rules(&seed, 12);
        rt_dev_rule *r; size_t n;
        assert_int_equal(rt_dev_rules_build(a, &r, &n), 0);
        if (n) {
            struct bpf_insn *p; size_t len;
            assert_int_equal(rt_dev_bpf_compile(r, n, &p, &len), 0);
            for (int t = 1; t <= 2; t++)
                for (int ma = 0; ma < 4; ma++)
                    for (int mi = 0; mi < 4; mi++)
                        for (uint32_t acc = 0; acc < 8; acc++) {
                            int got = run_prog(p, len, t, acc, majors[ma], minors[mi]);
                            int want = reference(r, n, t, acc, majors[ma], minors[mi]);
                            if (got != want) {
                                char *js = json_dumps(a, JSON_COMPACT);
                                fail_msg("rules %s: type %d access %u %u:%u → program %d, semantics %d", js, t, acc, majors[ma], minors[mi], got, want);
                            }
                        }
            /* Allow-all lists are not compiled by apply; they must really allow all. */
            if (rt_dev_rules_allow_all(r, n)) assert_int_equal(run_prog(p, len, 1, 7, 8, 0), 1);
            free(p);
        }
        free(r);
        json_decref(a);
    }
}

/* The kernel verifier accepts what the compiler emits (root only). */
static void test_kernel_verifier(void **st) {
    (void)st;
    struct bpf_insn one[] = { { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 }, { .code = BPF_JMP | BPF_EXIT } };
    int fd;
    if (geteuid() != 0 || rt_dev_bpf_load(one, 2, &fd) != 0) { skip(); return; }
    close(fd);
    uint32_t seed = 777;
    for (int round = 0; round < 40; round++) {
        json_t *a = random_rules(&seed, 30);
        rt_dev_rule *r; size_t n;
        assert_int_equal(rt_dev_rules_build(a, &r, &n), 0);
        if (n) {
            struct bpf_insn *p; size_t len;
            assert_int_equal(rt_dev_bpf_compile(r, n, &p, &len), 0);
            if (rt_dev_bpf_load(p, len, &fd) != 0) fail_msg("%s", brig_errmsg());
            close(fd);
            free(p);
        }
        free(r);
        json_decref(a);
    }
    /* The largest list a spec may hold. */
    json_t *big = json_array();
    json_array_append_new(big, json_pack("{s:b}", "allow", 0));
    for (int i = 1; i < RT_MAX_LIST; i++)
        json_array_append_new(big, json_pack("{s:b,s:s,s:i,s:i,s:s}", "allow", i & 1, "type", "c", "major", i, "minor", i, "access", "rw"));
    rt_dev_rule *r; size_t n;
    assert_int_equal(rt_dev_rules_build(big, &r, &n), 0);
    struct bpf_insn *p; size_t len;
    assert_int_equal(rt_dev_bpf_compile(r, n, &p, &len), 0);
    if (rt_dev_bpf_load(p, len, &fd) != 0) fail_msg("%s", brig_errmsg());
    close(fd);
    assert_int_equal(run_prog(p, len, C, R, 3, 3), 1);
    assert_int_equal(run_prog(p, len, C, R, 4, 4), 0);
    free(p); free(r);
    json_decref(big);
    /* A refused program's message carries the verifier log. */
    struct bpf_insn bad[] = { { .code = BPF_JMP | BPF_EXIT } };
    assert_int_equal(rt_dev_bpf_load(bad, 1, &fd), BRIG_EXIT_SYSTEM);
    assert_non_null(strstr(brig_errmsg(), "verifier log: "));
    assert_non_null(strstr(brig_errmsg(), "R0"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_podman_style), cmocka_unit_test(test_allow_all_and_empty), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_v1_check), cmocka_unit_test(test_random_against_reference), cmocka_unit_test(test_kernel_verifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
