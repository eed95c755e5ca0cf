/* Capabilities: all five sets from process.capabilities (libcap).  A process
 * without a capabilities object gets none at all: secure by default. */
#include "runtime/rt.h"
#include "util/err.h"
#include <ctype.h>
#include <errno.h>
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
