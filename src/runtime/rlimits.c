/* process.rlimits: checked against the runtime's own hard limits before the
 * container is created, so "RLIMIT_NOFILE hard 1048576 above this host's hard
 * limit 20000" is reported up front instead of a bare EPERM from deep inside. */
#include "runtime/rt.h"
#include "util/err.h"
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static const struct { const char *name; int res; } rl_tab[] = {
    { "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
    { "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
    { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
    { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
    { "RLIMIT_STACK", RLIMIT_STACK },
};

int rt_rlimit_from_name(const char *name) {
    for (size_t i = 0; i < sizeof rl_tab / sizeof rl_tab[0]; i++)
        if (!strcmp(rl_tab[i].name, name)) return rl_tab[i].res;
    return -1;
}

static void fmt_lim(char *buf, size_t n, uint64_t v) {
    if (v == (uint64_t)RLIM_INFINITY) snprintf(buf, n, "unlimited");
    else snprintf(buf, n, "%llu", (unsigned long long)v);
}

int rt_rlimits_check(const rt_process *p) {
    /* Without CAP_SYS_RESOURCE a hard limit can only be lowered. */
    for (size_t i = 0; i < p->n_rlimits; i++) {
        const rt_rlimit *r = &p->rlimits[i];
        struct rlimit cur;
        if (getrlimit(r->resource, &cur) != 0) continue;
        if (r->hard > (uint64_t)cur.rlim_max) {
            char want[32], have[32];
            fmt_lim(want, sizeof want, r->hard); fmt_lim(have, sizeof have, cur.rlim_max);
            /* A process with CAP_SYS_RESOURCE may raise it: try on ourselves, then restore. */
            struct rlimit probe = { cur.rlim_cur, (rlim_t)r->hard };
            if (setrlimit(r->resource, &probe) == 0) { setrlimit(r->resource, &cur); continue; }
            return brig_fail(BRIG_EXIT_SYSTEM,
                "process.rlimits: %s hard limit %s is above this host's hard limit %s, which brig cannot raise "
                "(no CAP_SYS_RESOURCE or a fixed system limit); lower it to at most %s (e.g. --ulimit nofile=1024:%s)",
                r->name, want, have, have, have);
        }
    }
    return 0;
}

int rt_rlimits_apply(const rt_process *p) {
    for (size_t i = 0; i < p->n_rlimits; i++) {
        const rt_rlimit *r = &p->rlimits[i];
        struct rlimit l = { (rlim_t)r->soft, (rlim_t)r->hard };
        if (setrlimit(r->resource, &l) != 0)
            return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot set %s to %llu:%llu", r->name,
                                   (unsigned long long)r->soft, (unsigned long long)r->hard);
    }
    return 0;
}
