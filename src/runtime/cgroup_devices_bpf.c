/* linux.resources.devices: one rule model for both cgroup versions, and the
 * cgroup v2 enforcement of it, an eBPF BPF_PROG_TYPE_CGROUP_DEVICE program
 * written as raw instructions (no libbpf: nothing is loaded at start-up).
 *
 * Semantics (both versions; v1 writes the same effective list, cgroups.c):
 *  - The effective list is: a deny-all unless the spec's first rule is a
 *    wildcard ("a", what Podman/containerd/Docker send), the spec's leading
 *    wildcard rules, the default nodes every container gets (runc's
 *    AllowedDevices), then the rest of the spec's rules in order.
 *  - The last matching rule wins, per access bit: a request for r+w is allowed
 *    only if, for r and for w, the last rule naming that bit for this device
 *    allows it.  No rule matches: deny.  Type "a" means every device and every
 *    access, whatever major/minor/access say (as cgroup v1 and runc read it).
 *  For every caller that sends a deny-all followed by allow rules this is
 *  exactly runc's and crun's result.  It differs from runc (whose emulator
 *  appends the defaults after the spec's rules) only for explicit deny rules
 *  after the leading wildcard: runc silently lets the defaults re-allow them
 *  (e.g. "deny c *:* m" is undone by the default "c *:* m"); brig honours them.
 *  It differs from crun only for partial-access matches: crun returns on the
 *  first rule whose access covers the whole request, so a later "deny c 1:3 w"
 *  does not stop an O_RDWR open that an earlier "allow c 1:3 rwm" allows.
 *
 * A program stays alive while it is attached, so its fd is closed at once; an
 * update attaches the new program before detaching the old (no moment without
 * a filter), and the kernel drops the programs when the cgroup is removed. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The nodes every container may use (runc's AllowedDevices; Podman relies on
 * the runtime adding them after its own deny-all rule). */
static const rt_dev_rule dev_defaults[] = {
    { true, 'c', -1, -1, RT_DEVACC_MKNOD, -1 },  { true, 'b', -1, -1, RT_DEVACC_MKNOD, -1 },
    { true, 'c', 1, 3, RT_DEVACC_ALL, -1 },      /* null */
    { true, 'c', 1, 5, RT_DEVACC_ALL, -1 },      /* zero */
    { true, 'c', 1, 7, RT_DEVACC_ALL, -1 },      /* full */
    { true, 'c', 1, 8, RT_DEVACC_ALL, -1 },      /* random */
    { true, 'c', 1, 9, RT_DEVACC_ALL, -1 },      /* urandom */
    { true, 'c', 5, 0, RT_DEVACC_ALL, -1 },      /* tty */
    { true, 'c', 5, 1, RT_DEVACC_ALL, -1 },      /* console */
    { true, 'c', 5, 2, RT_DEVACC_ALL, -1 },      /* ptmx */
    { true, 'c', 136, -1, RT_DEVACC_ALL, -1 },   /* pts */
};
#define N_DEFAULTS (sizeof dev_defaults / sizeof dev_defaults[0])

static int bad_rule(size_t i, const char *what) {
    return brig_fail(BRIG_EXIT_INPUT, "linux.resources.devices[%zu]: %s", i, what);
}

static int parse_num(const json_t *r, const char *key, size_t i, int64_t *out) {
    json_t *v = json_object_get(r, key);
    *out = -1;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v)) return brig_fail(BRIG_EXIT_INPUT, "linux.resources.devices[%zu]: %s must be an integer", i, key);
    json_int_t n = json_integer_value(v);
    if (n < -1 || n > (json_int_t)UINT32_MAX)
        return brig_fail(BRIG_EXIT_INPUT, "linux.resources.devices[%zu]: %s %lld is out of range (-1 for any, else 0..4294967295)",
                         i, key, (long long)n);
    *out = n;
    return 0;
}

static int parse_rule(const json_t *r, size_t i, rt_dev_rule *out) {
    if (!json_is_object(r)) return bad_rule(i, "must be an object");
    json_t *allow = json_object_get(r, "allow");
    if (!json_is_boolean(allow)) return bad_rule(i, "\"allow\" must be true or false");
    const char *type = "a", *access = "rwm";
    json_t *t = json_object_get(r, "type"), *a = json_object_get(r, "access");
    if (t && !json_is_null(t)) {
        type = json_string_value(t);
        if (!type || strlen(type) != 1 || !strchr("abc", type[0])) return bad_rule(i, "type must be \"a\", \"b\" or \"c\"");
    }
    if (a && !json_is_null(a)) {
        access = json_string_value(a);
        if (!access || strspn(access, "rwm") != strlen(access) || strlen(access) > 3)
            return bad_rule(i, "access must be a combination of r, w and m (like \"rwm\")");
        if (!*access) access = "rwm";
    }
    *out = (rt_dev_rule){ .allow = json_is_true(allow), .type = type[0], .src = (int)i };
    int rc;
    if ((rc = parse_num(r, "major", i, &out->major)) || (rc = parse_num(r, "minor", i, &out->minor))) return rc;
    for (const char *p = access; *p; p++)
        out->access |= *p == 'r' ? RT_DEVACC_READ : *p == 'w' ? RT_DEVACC_WRITE : RT_DEVACC_MKNOD;
    if (out->type == 'a') { out->major = out->minor = -1; out->access = RT_DEVACC_ALL; }
    return 0;
}

int rt_dev_rules_build(const json_t *devs, rt_dev_rule **out, size_t *n) {
    *out = NULL; *n = 0;
    if (!devs || json_is_null(devs)) return 0;
    if (!json_is_array(devs)) return brig_fail(BRIG_EXIT_INPUT, "linux.resources.devices must be an array");
    size_t len = json_array_size(devs);
    if (len == 0) return 0;
    if (len > RT_MAX_LIST) return brig_fail(BRIG_EXIT_UNSAFE, "linux.resources.devices has %zu rules (limit %d)", len, RT_MAX_LIST);
    rt_dev_rule *r = xcalloc(len + N_DEFAULTS + 1, sizeof *r);
    size_t k = 0, lead = 0;
    for (size_t i = 0; i < len; i++) {
        rt_dev_rule x = { 0 };
        int rc = parse_rule(json_array_get(devs, i), i, &x);
        if (rc) { free(r); return rc; }
        if (i == 0 && x.type != 'a') r[k++] = (rt_dev_rule){ false, 'a', -1, -1, RT_DEVACC_ALL, -1 };
        if (lead == i && x.type == 'a') lead++;
        if (i == lead) { memcpy(r + k, dev_defaults, sizeof dev_defaults); k += N_DEFAULTS; }
        r[k++] = x;
    }
    if (lead == len) { memcpy(r + k, dev_defaults, sizeof dev_defaults); k += N_DEFAULTS; }
    *out = r; *n = k;
    return 0;
}

/* Index just past the last wildcard: everything before it is shadowed. */
static size_t live_start(const rt_dev_rule *r, size_t n, bool *default_allow) {
    size_t s = 0;
    *default_allow = false;
    for (size_t i = 0; i < n; i++) if (r[i].type == 'a') { s = i + 1; *default_allow = r[i].allow; }
    return s;
}

bool rt_dev_rules_allow_all(const rt_dev_rule *r, size_t n) {
    bool def;
    size_t s = live_start(r, n, &def);
    if (!def) return false;
    for (size_t i = s; i < n; i++) if (!r[i].allow) return false;
    return true;
}

static bool meta_overlap(const rt_dev_rule *a, const rt_dev_rule *b) {
    return a->type == b->type && (a->major < 0 || b->major < 0 || a->major == b->major) &&
           (a->minor < 0 || b->minor < 0 || a->minor == b->minor);
}

const char *rt_dev_rule_line(const rt_dev_rule *r, char *buf, size_t sz) {
    if (r->type == 'a') { snprintf(buf, sz, "a"); return buf; }
    char ma[24] = "*", mi[24] = "*";
    if (r->major >= 0) snprintf(ma, sizeof ma, "%" PRId64, r->major);
    if (r->minor >= 0) snprintf(mi, sizeof mi, "%" PRId64, r->minor);
    snprintf(buf, sz, "%c %s:%s %s%s%s", r->type, ma, mi, r->access & RT_DEVACC_READ ? "r" : "",
             r->access & RT_DEVACC_WRITE ? "w" : "", r->access & RT_DEVACC_MKNOD ? "m" : "");
    return buf;
}

static const char *rule_str(const rt_dev_rule *r, char *buf, size_t sz) {
    char line[80];
    snprintf(buf, sz, "%s %s", r->allow ? "allow" : "deny", rt_dev_rule_line(r, line, sizeof line));
    return buf;
}

/* cgroup v1 keeps a default and a list of exceptions; a rule with the
 * default's verdict only removes an exception with exactly the same
 * type:major:minor.  Removing part of a wider or narrower exception is
 * silently ignored by the kernel, so such a list would mean something else on
 * v1 than on v2.  Where the difference could let a device be read or written,
 * refuse (runc refuses the wider case too).  Where it is only the mknod bit,
 * accept: a node that cannot be opened gives nothing, and Docker's default
 * list ("deny c 10:229 rwm" for /dev/fuse) overlaps the default "c *:* m" that
 * way, so refusing would break every `docker run` on a v1 host. */
int rt_dev_rules_v1_check(const rt_dev_rule *r, size_t n) {
    rt_dev_rule *ex = xcalloc(n + 1, sizeof *ex);
    size_t nex = 0;
    bool def = false;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (r[i].type == 'a') { def = r[i].allow; nex = 0; continue; }
        size_t j;
        if (r[i].allow != def) {   /* adds (merges into) an exception */
            for (j = 0; j < nex; j++)
                if (ex[j].type == r[i].type && ex[j].major == r[i].major && ex[j].minor == r[i].minor) break;
            if (j == nex) { ex[nex] = r[i]; ex[nex++].access = 0; }
            ex[j].access |= r[i].access;
            continue;
        }
        for (j = 0; j < nex; j++) {
            if (ex[j].type == r[i].type && ex[j].major == r[i].major && ex[j].minor == r[i].minor) ex[j].access &= ~r[i].access;
            else if (meta_overlap(&ex[j], &r[i]) && (ex[j].access & r[i].access) == RT_DEVACC_MKNOD) {
                char a[96], b[96];
                brig_debug("cgroup v1: '%s' cannot remove mknod from '%s'; the node can still be made, not opened",
                           rule_str(&r[i], a, sizeof a), rule_str(&ex[j], b, sizeof b));
            } else if (meta_overlap(&ex[j], &r[i]) && (ex[j].access & r[i].access)) {
                /* Only spec rules remove exceptions: the defaults are allows
                 * that directly follow the leading wildcards. */
                char a[96], b[96];
                rc = brig_fail(BRIG_EXIT_INPUT, "linux.resources.devices[%d]: '%s' cannot be expressed on cgroup v1: it overlaps "
                               "the rule '%s'%s without matching its type:major:minor exactly, and v1 silently ignores such "
                               "partial changes, which would leave read or write access open; match that rule exactly "
                               "or use a cgroup v2 host",
                               r[i].src, rule_str(&r[i], a, sizeof a), rule_str(&ex[j], b, sizeof b),
                               ex[j].src < 0 ? " (a default every container gets)" : "");
                break;
            }
        }
    }
    free(ex);
    return rc;
}

/* ---- rule list → BPF_PROG_TYPE_CGROUP_DEVICE instructions ----
 *
 * Registers: R2 device type, R3 access bits still undecided, R4 major,
 * R5 minor, R1 scratch.  Rules are checked last to first: a matching allow
 * rule clears the bits it grants (none left: allow), a matching deny rule that
 * names a bit still undecided denies.  R3 is never 0 inside a rule block.
 *
 * Each device check falls through to "jump to the next rule" and branches on a
 * match, not the other way round: the verifier explores fall-through paths
 * first and keeps the branches pending, so this way it walks the no-match path
 * down the whole program once (one pending branch per rule) and every match
 * path then joins a state it has already verified.  The other order (runc's and
 * crun's) leaves several pending branches per rule and re-verifies later rules
 * on every match path: a few thousand rules exceed the verifier's limits
 * ("the sequence of 8193 jumps is too complex"). */

static struct bpf_insn ins(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
    return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}
#define LDX_W(d, s, o)     ins(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define ALU32_K(op, d, v)  ins(BPF_ALU | (op) | BPF_K, d, 0, 0, v)
#define MOV32_X(d, s)      ins(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_K(d, v)      ins(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, v)
#define JMP_K(op, d, v, o) ins(BPF_JMP | (op) | BPF_K, d, 0, o, v)
#define JMP_X(op, d, s, o) ins(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define JA(o)              ins(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define EXIT()             ins(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define NEXT_BLOCK INT16_MIN   /* placeholder offset: "to the next rule's block" */

typedef struct { struct bpf_insn *v; size_t n, cap; } insbuf;
static void emit(insbuf *b, struct bpf_insn i) {
    b->v = xgrow(b->v, &b->cap, b->n + 1, sizeof *b->v);
    b->v[b->n++] = i;
}

/* Go on to the next rule unless the u32 in `reg` equals v. */
static void emit_match(insbuf *b, uint8_t reg, int64_t v) {
    if (v <= INT32_MAX) emit(b, JMP_K(BPF_JEQ, reg, (int32_t)v, 1));
    else {   /* a 64-bit compare sign-extends an immediate; MOV32 zero-extends */
        emit(b, ALU32_K(BPF_MOV, BPF_REG_1, (int32_t)(uint32_t)v));
        emit(b, JMP_X(BPF_JEQ, reg, BPF_REG_1, 1));
    }
    emit(b, JA(NEXT_BLOCK));
}

int rt_dev_bpf_compile(const rt_dev_rule *r, size_t n, struct bpf_insn **out, size_t *out_len) {
    bool def;
    size_t s = live_start(r, n, &def);
    insbuf b = { 0 };
    emit(&b, LDX_W(BPF_REG_2, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
    emit(&b, ALU32_K(BPF_AND, BPF_REG_2, 0xFFFF));
    emit(&b, LDX_W(BPF_REG_3, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
    emit(&b, ALU32_K(BPF_RSH, BPF_REG_3, 16));
    emit(&b, LDX_W(BPF_REG_4, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, major)));
    emit(&b, LDX_W(BPF_REG_5, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, minor)));
    emit(&b, JMP_K(BPF_JNE, BPF_REG_3, 0, 2));   /* nothing asked: nothing to refuse */
    emit(&b, MOV64_K(BPF_REG_0, 1));
    emit(&b, EXIT());
    for (size_t i = n; i-- > s; ) {
        const rt_dev_rule *x = &r[i];
        if (x->type != 'b' && x->type != 'c') { free(b.v); return brig_fail(BRIG_EXIT_INPUT, "device rule %zu has type '%c'", i, x->type); }
        size_t start = b.n;
        emit_match(&b, BPF_REG_2, x->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
        if (x->major >= 0) emit_match(&b, BPF_REG_4, x->major);
        if (x->minor >= 0) emit_match(&b, BPF_REG_5, x->minor);
        int32_t acc = (int32_t)(x->access & RT_DEVACC_ALL);
        if (x->allow) {
            if (acc != RT_DEVACC_ALL) {
                emit(&b, ALU32_K(BPF_AND, BPF_REG_3, ~acc));
                emit(&b, JMP_K(BPF_JNE, BPF_REG_3, 0, NEXT_BLOCK));
            }
            emit(&b, MOV64_K(BPF_REG_0, 1));
        } else {
            if (acc != RT_DEVACC_ALL) {
                emit(&b, MOV32_X(BPF_REG_1, BPF_REG_3));
                emit(&b, ALU32_K(BPF_AND, BPF_REG_1, acc));
                emit(&b, JMP_K(BPF_JEQ, BPF_REG_1, 0, NEXT_BLOCK));
            }
            emit(&b, MOV64_K(BPF_REG_0, 0));
        }
        emit(&b, EXIT());
        for (size_t k = start; k < b.n; k++)
            if (BPF_CLASS(b.v[k].code) == BPF_JMP && b.v[k].off == NEXT_BLOCK) {
                if (b.n - k - 1 > INT16_MAX) { free(b.v); return brig_fail(BRIG_EXIT_UNSAFE, "device rule %zu: program too large", i); }
                b.v[k].off = (int16_t)(b.n - k - 1);
            }
    }
    emit(&b, MOV64_K(BPF_REG_0, def ? 1 : 0));
    emit(&b, EXIT());
    *out = b.v; *out_len = b.n;
    return 0;
}

/* ---- kernel side ---- */

static int sys_bpf(int cmd, union bpf_attr *a) {
    return (int)syscall(SYS_bpf, cmd, a, sizeof *a);
}

int rt_dev_bpf_load(const struct bpf_insn *insns, size_t n, int *fd) {
    static const char license[] = "GPL";
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    a.expected_attach_type = BPF_CGROUP_DEVICE;
    a.insns = (uint64_t)(uintptr_t)insns;
    a.insn_cnt = (uint32_t)n;
    a.license = (uint64_t)(uintptr_t)license;
    snprintf(a.prog_name, sizeof a.prog_name, "brig_devices");
    *fd = sys_bpf(BPF_PROG_LOAD, &a);
    if (*fd < 0 && errno == EPERM) {
        /* Before Linux 5.11 programs count against RLIMIT_MEMLOCK, and
         * exceeding it reads EPERM.  (The container was cloned already: its
         * own limits are not affected.) */
        struct rlimit rl;
        if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_MEMLOCK, &rl);
            *fd = sys_bpf(BPF_PROG_LOAD, &a);
        }
    }
    if (*fd >= 0) return 0;
    int e = errno;
    if (e == EPERM)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot load the cgroup v2 device filter (eBPF): CAP_SYS_ADMIN or CAP_BPF is "
                               "needed, or RLIMIT_MEMLOCK is too low (kernels before 5.11)");
    if (e == ENOSYS)
        return brig_fail(BRIG_EXIT_SYSTEM, "cannot load the cgroup v2 device filter: this kernel has no bpf() (CONFIG_BPF_SYSCALL)");
    /* Load again with the verifier log only now: it costs time on success.
     * Kernels before 6.4 keep the start of the log, so grow it until it fits. */
    char *log = NULL;
    for (size_t logsz = 64 * 1024; ; logsz *= 4) {
        log = xrealloc(log, logsz);
        log[0] = 0;
        a.log_level = 1; a.log_buf = (uint64_t)(uintptr_t)log; a.log_size = (uint32_t)logsz;
        int fd2 = sys_bpf(BPF_PROG_LOAD, &a);
        if (fd2 >= 0) { *fd = fd2; free(log); return 0; }
        if (errno != ENOSPC || logsz >= 4u << 20) break;
    }
    log[a.log_size - 1] = 0;
    size_t l = strlen(log);
    while (l && log[l - 1] == '\n') log[--l] = 0;
    bool cut = l > 2000;
    if (cut) memmove(log, log + l - 2000, 2001);   /* the end says what failed */
    int rc = brig_fail(BRIG_EXIT_SYSTEM, "the kernel refused the cgroup v2 device filter (%zu instructions): %s%s%s%s", n,
                       strerror(e), *log ? "; verifier log: " : "", cut ? "..." : "", log);
    free(log);
    return rc;
}

/* Ids of the device programs attached directly to this cgroup. */
static int query(int cgfd, const char *dir, uint32_t **ids, uint32_t *cnt) {
    uint32_t cap = 8;
    for (;;) {
        *ids = xcalloc(cap, sizeof **ids);
        union bpf_attr a;
        memset(&a, 0, sizeof a);
        a.query.target_fd = (uint32_t)cgfd;
        a.query.attach_type = BPF_CGROUP_DEVICE;
        a.query.prog_ids = (uint64_t)(uintptr_t)*ids;
        a.query.prog_cnt = cap;
        if (sys_bpf(BPF_PROG_QUERY, &a) == 0) { *cnt = a.query.prog_cnt; return 0; }
        int e = errno;
        free(*ids); *ids = NULL;
        if (e == ENOSPC && a.query.prog_cnt > cap && cap < 65536) { cap = a.query.prog_cnt; continue; }
        errno = e;
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "cgroup %s: cannot list the attached device programs (BPF_PROG_QUERY)", dir);
    }
}

static int detach_ids(int cgfd, const char *dir, const uint32_t *ids, uint32_t cnt) {
    for (uint32_t i = 0; i < cnt; i++) {
        union bpf_attr a;
        memset(&a, 0, sizeof a);
        a.prog_id = ids[i];
        int pfd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
        if (pfd < 0) {
            if (errno == ENOENT) continue;   /* already gone */
            return brig_fail_errno(BRIG_EXIT_SYSTEM, "cgroup %s: cannot open device program %u to detach it", dir, ids[i]);
        }
        memset(&a, 0, sizeof a);
        a.target_fd = (uint32_t)cgfd;
        a.attach_bpf_fd = (uint32_t)pfd;
        a.attach_type = BPF_CGROUP_DEVICE;
        int r = sys_bpf(BPF_PROG_DETACH, &a), e = errno;
        close(pfd);
        if (r != 0 && e != ENOENT) {
            errno = e;
            return brig_fail_errno(BRIG_EXIT_SYSTEM, "cgroup %s: cannot detach the old device program %u", dir, ids[i]);
        }
    }
    return 0;
}

int rt_dev_bpf_apply(const char *dir, const rt_dev_rule *r, size_t n) {
    int cgfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (cgfd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "cgroup %s: cannot open it to attach the device filter", dir);
    uint32_t *old = NULL, nold = 0;
    int rc = query(cgfd, dir, &old, &nold);
    if (rc == 0 && !rt_dev_rules_allow_all(r, n)) {
        struct bpf_insn *insns = NULL;
        size_t len = 0;
        int pfd = -1;
        if ((rc = rt_dev_bpf_compile(r, n, &insns, &len)) == 0 && (rc = rt_dev_bpf_load(insns, len, &pfd)) == 0) {
            /* Attach the new program before detaching the old ones: in between
             * both apply (the stricter of the two), never neither. */
            union bpf_attr a;
            memset(&a, 0, sizeof a);
            a.target_fd = (uint32_t)cgfd;
            a.attach_bpf_fd = (uint32_t)pfd;
            a.attach_type = BPF_CGROUP_DEVICE;
            a.attach_flags = BPF_F_ALLOW_MULTI;
            if (sys_bpf(BPF_PROG_ATTACH, &a) != 0)
                rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cgroup %s: cannot attach the device filter (BPF_PROG_ATTACH)", dir);
            close(pfd);
        }
        free(insns);
    }
    /* Allow-all needs no program: the old ones just go. */
    if (rc == 0) rc = detach_ids(cgfd, dir, old, nold);
    free(old);
    close(cgfd);
    return rc;
}
