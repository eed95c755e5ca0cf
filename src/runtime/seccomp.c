/* linux.seccomp -> libseccomp filter.  Semantics follow runc: unknown syscall
 * names are skipped (with a debug line) so one profile serves several kernels;
 * rules whose action equals the default are redundant and skipped; several
 * conditions on the same argument index become separate (OR-ed) rules. */
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
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#define SC_MAX_RULES 8192

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
    else if (!strcmp(name, "SCMP_ACT_NOTIFY"))
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: SCMP_ACT_NOTIFY (seccomp user notification) is not supported by brig; use SCMP_ACT_ERRNO or remove the rule", where);
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

static int add_rule(scmp_filter_ctx ctx, const char *where, const char *sc, uint32_t act, json_t *args) {
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
    return 0;
}

static int build_ctx(const json_t *sc, const char *where, scmp_filter_ctx *out, unsigned *kflags) {
    char w[256];
    *out = NULL;
    *kflags = 0;
    uint32_t defact;
    int rc = parse_action(where, brig_json_str(sc, "defaultAction"), json_object_get(sc, "defaultErrnoRet"), &defact);
    if (rc) return brig_fail_context(rc, "linux.seccomp.defaultAction");
    const char *lp = brig_json_str(sc, "listenerPath");
    if (lp && *lp) return brig_fail(BRIG_EXIT_NOTIMPL, "%s: linux.seccomp.listenerPath (seccomp notify) is not supported by brig", where);
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
    for (size_t i = 0; json_is_array(flags) && i < json_array_size(flags); i++) {
        const char *f = json_string_value(json_array_get(flags, i));
        if (!f) continue;
        if (!strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC")) { seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1); *kflags |= 1; }
        else if (!strcmp(f, "SECCOMP_FILTER_FLAG_LOG")) { seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1); *kflags |= 2; }
        else if (!strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW")) { seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1); *kflags |= 4; }
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
        for (size_t k = 0; k < json_array_size(names); k++) {
            const char *nm = json_string_value(json_array_get(names, k));
            if (!nm) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: names[%zu] must be a string", w, k); goto out; }
            if (++total > SC_MAX_RULES) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d seccomp rules", where, SC_MAX_RULES); goto out; }
            if (act == defact) continue;
            if ((rc = add_rule(ctx, w, nm, act, json_is_array(args) ? args : NULL))) goto out;
        }
    }
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
    char *cp = cache_path(sc);
    char *buf = NULL; size_t len = 0;
    /* First 4 bytes: kernel filter flags; then the sock_filter array. */
    if (brig_read_file(cp, 8 + 4096 * sizeof(struct sock_filter), &buf, &len) == 0 && len > 4 &&
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
    char *dir = xstrdup(cp);
    *strrchr(dir, '/') = 0;
    if (brig_mkdir_p(dir, 0700) != 0 || brig_write_file_atomic(cp, blob, 4 + (size_t)sz, 0600) != 0)
        brig_debug("seccomp cache %s not written: %s", cp, brig_errmsg());
    brig_err_clear();
    free(dir); free(blob); free(cp);
    return 0;
}

int rt_seccomp_apply(const rt_bpf *b, const char *where) {
    struct sock_fprog prog = { .len = b->len, .filter = b->insns };
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, b->flags, &prog) != 0)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot load the seccomp filter", where);
    return 0;
}

void rt_bpf_free(rt_bpf *b) { free(b->insns); b->insns = NULL; b->len = 0; }
