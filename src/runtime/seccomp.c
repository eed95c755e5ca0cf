/* linux.seccomp -> libseccomp filter.  Semantics follow runc: unknown syscall
 * names are skipped (with a debug line) so one profile serves several kernels;
 * rules whose action equals the default are redundant and skipped; several
 * conditions on the same argument index become separate (OR-ed) rules.
 *
 * Seccomp user notification (SCMP_ACT_NOTIFY + listenerPath, runtime-spec 1.1):
 * the runtime (create, or exec) connects to listenerPath before the container
 * process exists, so a missing agent fails the command with nothing left
 * behind; the process inherits that connected socket.  It loads the filter as
 * late as before (just before execve) with SECCOMP_FILTER_FLAG_NEW_LISTENER
 * and sends the containerProcessState JSON plus the notify fd (SCM_RIGHTS) in
 * ONE sendmsg(2) straight to the agent, then execs; both descriptors are
 * close-on-exec.  runc instead passes the fd to its parent over the sync pipe
 * with write(2) and the parent sends it.  Either way one syscall must run
 * under the user's filter after it is loaded: for brig that is sendmsg on the
 * listener socket.  runc adds nothing and refuses NOTIFY on write; brig
 * evaluates the compiled BPF for that exact sendmsg before creating anything
 * and refuses (exit 3) a profile that would not allow it, instead of
 * deadlocking (NOTIFY: nobody has the fd yet) or dying (KILL) later. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/json.h"
#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/lazy_crypto.h"
#include "util/xalloc.h"

#define SC_MAX_RULES 8192

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
/* The architecture the runtime's own syscalls are made with (seccomp_data.arch). */
#if defined(__x86_64__) && !defined(__ILP32__)
#define SC_NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SC_NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif
/* Bounded like every other input: agents read the state into a fixed buffer
 * (runc's example agent uses 4 KiB), so a huge metadata string is a mistake. */
#define SC_MAX_METADATA (64 * 1024)

static int parse_action(const char *where, const char *name, const json_t *errno_ret, uint32_t *act) {
    int eret = EPERM;
    if (errno_ret && !json_is_null(errno_ret)) {
        if (!json_is_integer(errno_ret) || json_integer_value(errno_ret) < 0 || json_integer_value(errno_ret) > 4095)
            return brig_fail(BRIG_EXIT_INPUT, "%s: errnoRet must be an errno number between 0 and 4095", where);
        eret = (int)json_integer_value(errno_ret);
    }
    if (!name) return brig_fail(BRIG_EXIT_INPUT, "%s: action is required", where);
    if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD")) *act = SCMP_ACT_KILL_THREAD;
    else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS")) *act = SCMP_ACT_KILL_PROCESS;
    else if (!strcmp(name, "SCMP_ACT_TRAP")) *act = SCMP_ACT_TRAP;
    else if (!strcmp(name, "SCMP_ACT_ERRNO")) *act = SCMP_ACT_ERRNO(eret);
    else if (!strcmp(name, "SCMP_ACT_TRACE")) *act = SCMP_ACT_TRACE(eret);
    else if (!strcmp(name, "SCMP_ACT_ALLOW")) *act = SCMP_ACT_ALLOW;
    else if (!strcmp(name, "SCMP_ACT_LOG")) *act = SCMP_ACT_LOG;
    else if (!strcmp(name, "SCMP_ACT_NOTIFY")) *act = SCMP_ACT_NOTIFY;
    else return brig_fail(BRIG_EXIT_INPUT, "%s: unknown seccomp action '%s'", where, name);
    return 0;
}

static int parse_op(const char *where, const char *op, enum scmp_compare *out) {
    static const struct { const char *n; enum scmp_compare c; } t[] = {
        { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
        { "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
        { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ } };
    for (size_t i = 0; op && i < sizeof t / sizeof t[0]; i++) if (!strcmp(op, t[i].n)) { *out = t[i].c; return 0; }
    return brig_fail(BRIG_EXIT_INPUT, "%s: unknown comparison operator '%s'", where, op ? op : "(missing)");
}

static int add_arch(scmp_filter_ctx ctx, const char *where, const char *name) {
    char lower[32];
    if (!name || strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name + 10) >= sizeof lower)
        return brig_fail(BRIG_EXIT_INPUT, "%s: architecture '%s' is not an SCMP_ARCH_* name", where, name ? name : "(not a string)");
    size_t i = 0;
    for (const char *p = name + 10; *p; p++) lower[i++] = (char)tolower((unsigned char)*p);
    lower[i] = 0;
    uint32_t a = seccomp_arch_resolve_name(lower);
    if (!a) return brig_fail(BRIG_EXIT_INPUT, "%s: architecture '%s' is unknown to libseccomp", where, name);
    int r = seccomp_arch_add(ctx, a);
    if (r != 0 && r != -EEXIST) { errno = -r; return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot add architecture %s", where, name); }
    return 0;
}

/* *added is set when the rule made it into the filter (not skipped). */
static int add_rule(scmp_filter_ctx ctx, const char *where, const char *sc, uint32_t act, json_t *args, bool *added) {
    int nr = seccomp_syscall_resolve_name(sc);
    if (nr == __NR_SCMP_ERROR) { brig_debug("%s: unknown syscall '%s' skipped", where, sc); return 0; }
    size_t na = json_array_size(args);
    if (na > 6) return brig_fail(BRIG_EXIT_INPUT, "%s: syscalls have at most 6 arguments, got %zu conditions", where, na);
    struct scmp_arg_cmp cmp[6];
    bool dup_index = false;
    unsigned seen = 0;
    for (size_t i = 0; i < na; i++) {
        json_t *a = json_array_get(args, i);
        json_t *idx = json_object_get(a, "index");
        if (!json_is_integer(idx) || json_integer_value(idx) < 0 || json_integer_value(idx) > 5)
            return brig_fail(BRIG_EXIT_INPUT, "%s: args[%zu].index must be 0..5", where, i);
        enum scmp_compare op = SCMP_CMP_EQ;
        int rc = parse_op(where, brig_json_str(a, "op"), &op);
        if (rc) return rc;
        json_t *v1 = json_object_get(a, "value"), *v2 = json_object_get(a, "valueTwo");
        if (!json_is_integer(v1) || (v2 && !json_is_null(v2) && !json_is_integer(v2)))
            return brig_fail(BRIG_EXIT_INPUT, "%s: args[%zu].value must be an integer", where, i);
        unsigned ix = (unsigned)json_integer_value(idx);
        if (seen & (1u << ix)) dup_index = true;
        seen |= 1u << ix;
        cmp[i] = (struct scmp_arg_cmp){ ix, op, (scmp_datum_t)json_integer_value(v1),
                                        v2 ? (scmp_datum_t)json_integer_value(v2) : 0 };
    }
    int r;
    if (!dup_index) r = seccomp_rule_add_array(ctx, act, nr, (unsigned)na, na ? cmp : NULL);
    else {
        r = 0;
        for (size_t i = 0; i < na && r == 0; i++) r = seccomp_rule_add_array(ctx, act, nr, 1, &cmp[i]);
    }
    if (r == -EACCES) { brig_debug("%s: %s: action equals the default, skipped", where, sc); return 0; }
    if (r != 0) { errno = -r; return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot add the rule for %s", where, sc); }
    *added = true;
    return 0;
}

static int build_ctx(const json_t *sc, const char *where, scmp_filter_ctx *out, unsigned *kflags) {
    char w[256];
    *out = NULL;
    *kflags = 0;
    uint32_t defact;
    int rc = parse_action(where, brig_json_str(sc, "defaultAction"), json_object_get(sc, "defaultErrnoRet"), &defact);
    if (rc) return brig_fail_context(rc, "linux.seccomp.defaultAction");
    json_t *lpj = json_object_get(sc, "listenerPath"), *lmj = json_object_get(sc, "listenerMetadata");
    if (lpj && !json_is_null(lpj) && !json_is_string(lpj))
        return brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.listenerPath must be a string (the seccomp agent's socket)", where);
    if (lmj && !json_is_null(lmj) && !json_is_string(lmj))
        return brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.listenerMetadata must be a string", where);
    const char *lp = json_string_value(lpj), *lm = json_string_value(lmj);
    if (lp && !*lp) lp = NULL;
    if (lp && strlen(lp) >= sizeof ((struct sockaddr_un *)0)->sun_path)
        return brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.listenerPath is %zu bytes, longer than an AF_UNIX socket path can be (%zu); use a shorter path",
                         where, strlen(lp), sizeof ((struct sockaddr_un *)0)->sun_path - 1);
    if (lm && *lm && !lp)   /* runtime-spec: "MUST NOT be set if listenerPath is not set" */
        return brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.listenerMetadata is set without listenerPath", where);
    if (lm && strlen(lm) > SC_MAX_METADATA)
        return brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.listenerMetadata is over %d bytes", where, SC_MAX_METADATA);
    if (defact == SCMP_ACT_NOTIFY && !lp)
        return brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.defaultAction SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath (the socket of the seccomp agent that receives the notify fd)", where);
    scmp_filter_ctx ctx = seccomp_init(defact);
    if (!ctx) return brig_fail(BRIG_EXIT_SYSTEM, "%s: seccomp_init failed", where);
    /* Bad-arch processes (e.g. 32-bit syscalls on x86_64 not in the list) are killed, as runc does. */
    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    json_t *archs = json_object_get(sc, "architectures");
    if (archs && json_is_array(archs)) {
        for (size_t i = 0; i < json_array_size(archs); i++) {
            snprintf(w, sizeof w, "%s: linux.seccomp.architectures[%zu]", where, i);
            if ((rc = add_arch(ctx, w, json_string_value(json_array_get(archs, i))))) goto out;
        }
    }
    json_t *flags = json_object_get(sc, "flags");
    bool wait_killable = false, notify = defact == SCMP_ACT_NOTIFY;
    for (size_t i = 0; json_is_array(flags) && i < json_array_size(flags); i++) {
        const char *f = json_string_value(json_array_get(flags, i));
        if (!f) continue;
        if (!strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC")) { seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1); *kflags |= 1; }
        else if (!strcmp(f, "SECCOMP_FILTER_FLAG_LOG")) { seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1); *kflags |= 2; }
        else if (!strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW")) { seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1); *kflags |= 4; }
        /* Only meaningful (and accepted by the kernel) with a notify listener: applied below if there is one. */
        else if (!strcmp(f, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV")) wait_killable = true;
        else { rc = brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.flags[%zu]: unknown flag '%s'", where, i, f); goto out; }
    }
    json_t *sys = json_object_get(sc, "syscalls");
    if (sys && !json_is_array(sys)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp.syscalls must be an array", where); goto out; }
    size_t total = 0;
    for (size_t i = 0; i < json_array_size(sys); i++) {
        json_t *r = json_array_get(sys, i);
        snprintf(w, sizeof w, "%s: linux.seccomp.syscalls[%zu]", where, i);
        uint32_t act;
        if ((rc = parse_action(w, brig_json_str(r, "action"), json_object_get(r, "errnoRet"), &act))) goto out;
        json_t *names = json_object_get(r, "names"), *args = json_object_get(r, "args");
        if (!json_is_array(names)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: names must be an array", w); goto out; }
        if (args && !json_is_null(args) && !json_is_array(args)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: args must be an array", w); goto out; }
        if (act == SCMP_ACT_NOTIFY && !lp) {
            rc = brig_fail(BRIG_EXIT_INPUT, "%s: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath (the socket of the seccomp agent that receives the notify fd)", w);
            goto out;
        }
        for (size_t k = 0; k < json_array_size(names); k++) {
            const char *nm = json_string_value(json_array_get(names, k));
            if (!nm) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: names[%zu] must be a string", w, k); goto out; }
            if (++total > SC_MAX_RULES) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d seccomp rules", where, SC_MAX_RULES); goto out; }
            if (act == defact) continue;
            /* The notify fd is handed over with sendmsg under this very filter (see the top of this file). */
            if (act == SCMP_ACT_NOTIFY && !strcmp(nm, "sendmsg") && !json_array_size(args)) {
                rc = brig_fail(BRIG_EXIT_INPUT, "%s: SCMP_ACT_NOTIFY cannot be used for sendmsg: brig hands the notify fd to the agent with sendmsg after loading the filter, so it would wait for an agent that has no fd yet", w);
                goto out;
            }
            bool added = false;
            if ((rc = add_rule(ctx, w, nm, act, json_is_array(args) ? args : NULL, &added))) goto out;
            if (added && act == SCMP_ACT_NOTIFY) notify = true;
        }
    }
    if (notify) {
        *kflags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
        /* TSYNC reports a failing thread id, the same return value as the listener fd: the kernel requires TSYNC_ESRCH with it. */
        if (*kflags & SECCOMP_FILTER_FLAG_TSYNC) *kflags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
        if (wait_killable) *kflags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    } else if (wait_killable) brig_debug("%s: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored: no SCMP_ACT_NOTIFY rule", where);
out:
    if (rc) seccomp_release(ctx);
    else *out = ctx;
    return rc;
}

int rt_seccomp_load(const json_t *sc, const char *where, bool load) {
    scmp_filter_ctx ctx;
    unsigned fl;
    int rc = build_ctx(sc, where, &ctx, &fl);
    if (rc) return rc;
    if (load) {
        int r = seccomp_load(ctx);
        if (r != 0) { errno = -r; rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot load the seccomp filter", where); }
    }
    seccomp_release(ctx);
    return rc;
}

/* Compiling a Docker-sized profile takes libseccomp tens of milliseconds, so
 * the BPF is compiled once, before clone(), and cached by the hash of the
 * canonical profile JSON (plus libseccomp version) in the user's cache dir. */
static char *cache_path(const json_t *sc) {
    /* The cache is only a speed-up: without libcrypto the runtime compiles every
     * time rather than stopping half-way through a create (exit 6). */
    if (brig_lazylib_try(&brig_lazy_crypto_lib) != 0) {
        brig_debug("seccomp cache off: %s", brig_errmsg());
        brig_err_clear();
        return NULL;
    }
    char *txt = json_dumps(sc, JSON_COMPACT | JSON_SORT_KEYS);
    const struct scmp_version *v = seccomp_version();
    char *key = xasprintf("%u.%u.%u|%s", v->major, v->minor, v->micro, txt ? txt : "");
    char hex[65];
    brig_sha256_hex(key, strlen(key), hex);
    free(key); free(txt);
    char *cache = brig_cache_dir();
    char *p = xasprintf("%s/seccomp/%s.bpf", cache, hex);
    free(cache);
    return p;
}

int rt_seccomp_compile(const json_t *sc, const char *where, rt_bpf *out) {
    memset(out, 0, sizeof *out);
    out->listener = -1;
    char *cp = cache_path(sc);
    char *buf = NULL; size_t len = 0;
    /* First 4 bytes: kernel filter flags; then the sock_filter array. */
    if (cp && brig_read_file(cp, 8 + 4096 * sizeof(struct sock_filter), &buf, &len) == 0 && len > 4 &&
        (len - 4) % sizeof(struct sock_filter) == 0 && (len - 4) / sizeof(struct sock_filter) <= 4096) {
        memcpy(&out->flags, buf, 4);
        out->len = (unsigned short)((len - 4) / sizeof(struct sock_filter));
        out->insns = xmalloc(len - 4);
        memcpy(out->insns, buf + 4, len - 4);
        free(buf); free(cp);
        /* The key is the profile itself: a hit means it compiled (and validated) before. */
        return 0;
    }
    free(buf);
    brig_err_clear();
    scmp_filter_ctx ctx;
    unsigned fl;
    int rc = build_ctx(sc, where, &ctx, &fl);
    if (rc) { free(cp); return rc; }
    int mfd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
    int r = mfd < 0 ? -errno : seccomp_export_bpf(ctx, mfd);
    seccomp_release(ctx);
    if (r != 0) { if (mfd >= 0) close(mfd); free(cp); errno = -r; return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot compile the seccomp filter", where); }
    off_t sz = lseek(mfd, 0, SEEK_END);
    if (sz <= 0 || sz % (off_t)sizeof(struct sock_filter) || sz / (off_t)sizeof(struct sock_filter) > 4096) {
        close(mfd); free(cp);
        return brig_fail(BRIG_EXIT_INPUT, "%s: the seccomp filter compiles to %lld bytes, over the kernel's 4096-instruction limit", where, (long long)sz);
    }
    char *blob = xmalloc(4 + (size_t)sz);
    memcpy(blob, &fl, 4);
    if (pread(mfd, blob + 4, (size_t)sz, 0) != sz) { close(mfd); free(blob); free(cp); return brig_fail_errno(BRIG_EXIT_SYSTEM, "reading the compiled seccomp filter"); }
    close(mfd);
    out->flags = fl;
    out->len = (unsigned short)(sz / (off_t)sizeof(struct sock_filter));
    out->insns = xmalloc((size_t)sz);
    memcpy(out->insns, blob + 4, (size_t)sz);
    if (cp) {
        char *dir = xstrdup(cp);
        *strrchr(dir, '/') = 0;
        if (brig_mkdir_p(dir, 0700) != 0 || brig_write_file_atomic(cp, blob, 4 + (size_t)sz, 0600) != 0)
            brig_debug("seccomp cache %s not written: %s", cp, brig_errmsg());
        brig_err_clear();
        free(dir);
    }
    free(blob); free(cp);
    return 0;
}

/* Runs the compiled classic-BPF program on one syscall, as the kernel would.
 * Returns 0 with the SECCOMP_RET_* value in *ret, or -1 for a program this
 * small interpreter does not understand (callers then skip their check). */
int rt_seccomp_eval(const rt_bpf *b, const struct seccomp_data *d, uint32_t *ret) {
    uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 };
    for (unsigned pc = 0; pc < b->len; pc++) {
        const struct sock_filter *in = &b->insns[pc];
        uint32_t k = in->k, v = BPF_SRC(in->code) == BPF_X ? X : k;
        switch (in->code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (k % 4 || k > sizeof *d - 4) return -1;
            memcpy(&A, (const char *)d + k, 4);
            continue;
        case BPF_LD | BPF_W | BPF_LEN: A = sizeof *d; continue;
        case BPF_LDX | BPF_W | BPF_LEN: X = sizeof *d; continue;
        case BPF_LD | BPF_IMM: A = k; continue;
        case BPF_LDX | BPF_IMM: X = k; continue;
        case BPF_LD | BPF_MEM: if (k >= BPF_MEMWORDS) return -1; A = M[k]; continue;
        case BPF_LDX | BPF_MEM: if (k >= BPF_MEMWORDS) return -1; X = M[k]; continue;
        case BPF_ST: if (k >= BPF_MEMWORDS) return -1; M[k] = A; continue;
        case BPF_STX: if (k >= BPF_MEMWORDS) return -1; M[k] = X; continue;
        case BPF_MISC | BPF_TAX: X = A; continue;
        case BPF_MISC | BPF_TXA: A = X; continue;
        case BPF_RET | BPF_K: *ret = k; return 0;
        case BPF_RET | BPF_A: *ret = A; return 0;
        case BPF_JMP | BPF_JA: if (k >= b->len - pc) return -1; pc += k; continue;   /* no wrap-around loops */
        default: break;
        }
        if (BPF_CLASS(in->code) == BPF_JMP) {
            bool t;
            switch (BPF_OP(in->code)) {
            case BPF_JEQ: t = A == v; break;
            case BPF_JGT: t = A > v; break;
            case BPF_JGE: t = A >= v; break;
            case BPF_JSET: t = (A & v) != 0; break;
            default: return -1;
            }
            pc += t ? in->jt : in->jf;
        } else if (BPF_CLASS(in->code) == BPF_ALU) {
            switch (BPF_OP(in->code)) {
            case BPF_ADD: A += v; break;
            case BPF_SUB: A -= v; break;
            case BPF_MUL: A *= v; break;
            case BPF_DIV: if (!v) return -1; A /= v; break;
            case BPF_MOD: if (!v) return -1; A %= v; break;
            case BPF_OR: A |= v; break;
            case BPF_AND: A &= v; break;
            case BPF_XOR: A ^= v; break;
            case BPF_LSH: A = v < 32 ? A << v : 0; break;
            case BPF_RSH: A = v < 32 ? A >> v : 0; break;
            case BPF_NEG: A = -A; break;
            default: return -1;
            }
        } else return -1;
    }
    return -1;   /* fell off the end: the kernel would have refused to load it */
}

static const char *action_name(uint32_t r, char *buf, size_t n) {
    switch (r & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_KILL_PROCESS: return "SCMP_ACT_KILL_PROCESS";
    case SECCOMP_RET_KILL_THREAD: return "SCMP_ACT_KILL_THREAD";
    case SECCOMP_RET_TRAP: return "SCMP_ACT_TRAP";
    case SECCOMP_RET_ERRNO: snprintf(buf, n, "SCMP_ACT_ERRNO(%s)", strerror((int)(r & SECCOMP_RET_DATA))); return buf;
    case SECCOMP_RET_USER_NOTIF: return "SCMP_ACT_NOTIFY";
    case SECCOMP_RET_TRACE: return "SCMP_ACT_TRACE (ENOSYS without a tracer)";
    case SECCOMP_RET_LOG: return "SCMP_ACT_LOG";
    case SECCOMP_RET_ALLOW: return "SCMP_ACT_ALLOW";
    default: snprintf(buf, n, "action 0x%08x", r); return buf;
    }
}

/* Would the filter let exactly this syscall through?  (Unknown architecture
 * or program: assume yes; the kernel has the last word anyway.) */
static bool passes(const rt_bpf *b, int nr, const uint64_t *args, size_t nargs, uint32_t *ret) {
    *ret = SECCOMP_RET_ALLOW;
#ifdef SC_NATIVE_ARCH
    struct seccomp_data d = { .nr = nr, .arch = SC_NATIVE_ARCH };
    for (size_t i = 0; i < nargs && i < 6; i++) d.args[i] = args[i];
    if (rt_seccomp_eval(b, &d, ret) != 0) { *ret = SECCOMP_RET_ALLOW; return true; }
    uint32_t a = *ret & SECCOMP_RET_ACTION_FULL;
    return a == SECCOMP_RET_ALLOW || a == SECCOMP_RET_LOG;
#else
    (void)b; (void)nr; (void)args; (void)nargs;
    return true;
#endif
}

static int check_handoff(const rt_bpf *b, int sock, const void *msg, const char *where) {
    uint64_t args[3] = { (uint64_t)sock, (uint64_t)(uintptr_t)msg, MSG_NOSIGNAL };
    uint32_t r;
    char nb[64];
    if (passes(b, __NR_sendmsg, args, 3, &r)) return 0;
    return brig_fail(BRIG_EXIT_INPUT, "%s: linux.seccomp answers sendmsg(2) with %s, but brig must call sendmsg once right after "
                     "loading the filter to hand the notify fd to listenerPath (runc needs write(2) the same way); allow sendmsg in the profile",
                     where, action_name(r, nb, sizeof nb));
}

int rt_seccomp_listener_connect(const json_t *sc, rt_bpf *b, const char *where) {
    if (!b->len || !(b->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)) return 0;   /* listenerPath alone: ignored (runtime-spec) */
    const char *lp = brig_json_str(sc, "listenerPath");
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (!lp || !*lp || strlen(lp) >= sizeof sa.sun_path)   /* validated when compiled; a cache hit implies that */
        return brig_fail(BRIG_EXIT_INPUT, "%s: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath", where);
    memcpy(sa.sun_path, lp, strlen(lp));
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "socket for the seccomp agent");
    /* Checked with the real descriptor number (the process inherits it as
     * is) and before connecting, so a refused profile never bothers the agent. */
    int rc = check_handoff(b, fd, NULL, where);
    if (rc) { close(fd); return rc; }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: linux.seccomp.listenerPath %s: cannot connect to the seccomp agent "
                             "(it must already listen on this AF_UNIX SOCK_STREAM socket)", where, lp);
        close(fd);
        return rc;
    }
    b->listener = fd;
    return 0;
}

char *rt_seccomp_notify_state(const json_t *sc, const char *state_json, const char *status, pid_t pid) {
    json_t *st = state_json ? json_loads(state_json, 0, NULL) : NULL;
    if (!json_is_object(st)) { json_decref(st); st = json_object(); }
    if (status) json_object_set_new(st, "status", json_string(status));
    if (pid <= 0) pid = (pid_t)json_integer_value(json_object_get(st, "pid"));
    json_t *m = json_pack("{s:s, s:[s], s:I, s:o}", "ociVersion", "1.1.0", "fds", "seccompFd", "pid", (json_int_t)pid, "state", st);
    const char *md = brig_json_str(sc, "listenerMetadata");
    if (md && *md) json_object_set_new(m, "metadata", json_string(md));
    char *s = json_dumps(m, JSON_COMPACT);
    json_decref(m);
    return s;
}

int rt_seccomp_apply(const rt_bpf *b, const char *where) {
    struct sock_fprog prog = { .len = b->len, .filter = b->insns };
    bool notify = (b->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
    if (notify && (b->listener < 0 || !b->notify_msg))
        return brig_fail(BRIG_EXIT_SYSTEM, "%s: the seccomp notify filter has no connection to listenerPath", where);
    /* Everything the handoff needs is prepared before the filter is loaded:
     * after it, exactly one sendmsg runs (checked against the filter again
     * here with the real arguments), then whatever follows in finalize. */
    union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } cm;
    memset(&cm, 0, sizeof cm);
    struct iovec iov = { .iov_base = b->notify_msg, .iov_len = b->notify_msg ? strlen(b->notify_msg) : 0 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.b, .msg_controllen = sizeof cm.b };
    int rc;
    if (notify && (rc = check_handoff(b, b->listener, &mh, where))) return rc;
    uint32_t r;
    bool close_after = notify && passes(b, __NR_close, (uint64_t[]){ (uint64_t)b->listener }, 1, &r);
    long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, b->flags, &prog);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot load the seccomp filter", where);
    if (!notify) return 0;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    int nfd = (int)fd;
    memcpy(CMSG_DATA(c), &nfd, sizeof nfd);
    ssize_t n;
    do n = sendmsg(b->listener, &mh, MSG_NOSIGNAL); while (n < 0 && errno == EINTR);
    if (n != (ssize_t)iov.iov_len)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot send the seccomp notify fd to linux.seccomp.listenerPath", where);
    /* runtime-spec: one state per connection, closed after sending.  Both fds
     * are close-on-exec anyway; close now only if the filter lets us. */
    if (close_after) close(b->listener);
    return 0;
}

void rt_bpf_free(rt_bpf *b) {
    if (b->len && b->listener >= 0) close(b->listener);
    b->listener = -1;
    free(b->notify_msg); b->notify_msg = NULL;
    free(b->insns); b->insns = NULL; b->len = 0;
}
