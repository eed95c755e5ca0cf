/* Capabilities: all five sets from process.capabilities (libcap).  A process
 * without a capabilities object gets none at all: secure by default. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

static int last_cap(void) {
    int n = (int)cap_max_bits();
    return n > 0 && n <= 64 ? n - 1 : CAP_LAST_CAP;
}

int rt_cap_from_name(const char *name) {
    char lower[64];
    size_t n = strlen(name);
    if (n < 5 || n >= sizeof lower || strncasecmp(name, "CAP_", 4) != 0) return -1;
    for (size_t i = 0; i <= n; i++) lower[i] = (char)tolower((unsigned char)name[i]);
    cap_value_t v;
    if (cap_from_name(lower, &v) != 0) return -1;
    if (v < 0 || v > last_cap()) return -1;
    return v;
}

uint64_t rt_cap_all_mask(void) {
    int l = last_cap();
    return l >= 63 ? ~0ull : (1ull << (l + 1)) - 1;
}

void rt_cap_name(int cap, char out[32]) {
    char *n = cap_to_name(cap);
    size_t k = 0;
    for (; n && n[k] && k < 31; k++) out[k] = (char)toupper((unsigned char)n[k]);
    out[k] = 0;
    cap_free(n);
}

static char *cap_list(uint64_t m) {
    char *out = xstrdup("");
    for (int c = 0; c < 64; c++) {
        if (!(m & (1ull << c))) continue;
        char nm[32], *o = out;
        rt_cap_name(c, nm);
        out = xasprintf("%s%s%s", o, *o ? ", " : "", nm[0] ? nm : "?");
        free(o);
    }
    return out;
}

/* No process can gain a capability outside the bounding set of the runtime that
 * starts it (a user namespace does not help: the set is inherited).  A spec
 * that names one would fail later with a bare EPERM from capset(); say which
 * one instead.  A spec whose bounding set is every capability up to some last
 * one (Docker's --privileged) gets every one of them brig has, with a warning: Podman builds its
 * privileged set the same way, and this is the most any runtime could give. */
int rt_caps_check_available(rt_process *p, const char *where) {
    uint64_t avail = 0, asked = 0;
    for (int c = 0; c <= last_cap(); c++)
        if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) > 0) avail |= 1ull << c;
    /* "Every capability" as the client knew them: caps 0..N with no gap (Docker
     * 20.10 stops at CAP_AUDIT_READ, 37, short of PERFMON, BPF and
     * CHECKPOINT_RESTORE); N >= 35 rules out short hand-written lists. */
    uint64_t b = p->caps[RT_CAP_BOUNDING];
    bool privileged = (b & (b + 1)) == 0 && b >= (1ull << 36) - 1;
    for (int s = 0; s < RT_CAP_SETS; s++) asked |= p->caps[s];
    uint64_t missing = asked & ~avail;
    if (!missing) return 0;
    char *names = cap_list(missing);
    if (privileged) {
        rt_log("warning", "%s: every capability was asked for; %s %s not in brig's own bounding set and left out",
               where, names, (missing & (missing - 1)) ? "are" : "is");
        brig_debug("%s: privileged capability request without %s", where, names);
        for (int s = 0; s < RT_CAP_SETS; s++) p->caps[s] &= avail;
        free(names);
        return 0;
    }
    int rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: process.capabilities asks for %s, which brig itself does not have (not in "
                       "its bounding set: this host, or the container brig runs in, withholds it), so no container "
                       "started here can; remove it from the spec", where, names);
    free(names);
    return rc;
}

int rt_caps_apply_bounding(const rt_process *p) {
    uint64_t keep = p->has_caps ? p->caps[RT_CAP_BOUNDING] : 0;
    for (int c = 0; c <= last_cap(); c++) {
        if (keep & (1ull << c)) continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL)
            return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot drop capability %d from the bounding set", c);
    }
    return 0;
}

int rt_caps_apply(const rt_process *p) {
    cap_t c = cap_init();
    if (!c) return brig_fail_errno(BRIG_EXIT_SYSTEM, "cap_init");
    static const cap_flag_t flags[] = { [RT_CAP_EFFECTIVE] = CAP_EFFECTIVE, [RT_CAP_PERMITTED] = CAP_PERMITTED,
                                        [RT_CAP_INHERITABLE] = CAP_INHERITABLE };
    int sets[] = { RT_CAP_EFFECTIVE, RT_CAP_PERMITTED, RT_CAP_INHERITABLE };
    for (int k = 0; k < 3 && p->has_caps; k++) {
        for (int v = 0; v <= last_cap(); v++) {
            if (!(p->caps[sets[k]] & (1ull << v))) continue;
            cap_value_t cv = v;
            if (cap_set_flag(c, flags[sets[k]], 1, &cv, CAP_SET) != 0) { cap_free(c); return brig_fail_errno(BRIG_EXIT_SYSTEM, "cap_set_flag"); }
        }
    }
    int rc = cap_set_proc(c);
    cap_free(c);
    if (rc != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot set the process capabilities (effective must be a subset of permitted)");
    /* Ambient capabilities survive execve for non-root users; each must also be
     * permitted and inheritable or the kernel refuses it. */
    if (cap_reset_ambient() != 0 && errno != EINVAL) return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot clear ambient capabilities");
    for (int v = 0; p->has_caps && v <= last_cap(); v++) {
        if (!(p->caps[RT_CAP_AMBIENT] & (1ull << v))) continue;
        if (cap_set_ambient(v, CAP_SET) != 0) {
            /* runc's behaviour: an ambient capability that is not also
             * inheritable cannot be raised; say so and go on. */
            char *nm = cap_to_name(v);
            brig_debug("cannot raise ambient capability %s (not permitted+inheritable): %s", nm ? nm : "?", strerror(errno));
            rt_log("warning", "cannot raise ambient capability %s (it must also be permitted and inheritable)", nm ? nm : "?");
            cap_free(nm);
        }
    }
    return 0;
}
