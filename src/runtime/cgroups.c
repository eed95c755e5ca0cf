/* cgroupfs management for linux.cgroupsPath + linux.resources, v1 (one
 * hierarchy per controller; "hybrid" hosts are treated as v1 because that is
 * where the controllers live) and v2 (unified).  Limits are written before the
 * container's init joins, so it never runs unconstrained. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include "util/json.h"
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"

static const char *const v1_ctrls[] = { "memory", "cpu", "cpuacct", "pids", "cpuset", "blkio", "devices", "freezer",
                                        "hugetlb", "net_cls", "net_prio", "perf_event", NULL };
#define NCTRL 12

struct rt_cgroup {
    bool v2;
    char *rel;                 /* "/brig/ID" */
    char *dir[NCTRL];          /* v1: per controller (NULL if not mounted); v2: dir[0] */
};

bool rt_cgroup_is_v2(void) {
    struct statfs sf;
    return statfs(CG_ROOT, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

int64_t rt_parse_size(const char *s) {
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0) return -1;
    double mul = 1;
    switch (tolower((unsigned char)*end)) {
    case 0: break;
    case 'b': mul = 1; break;
    case 'k': mul = 1024.0; break;
    case 'm': mul = 1024.0 * 1024; break;
    case 'g': mul = 1024.0 * 1024 * 1024; break;
    case 't': mul = 1024.0 * 1024 * 1024 * 1024; break;
    default: return -1;
    }
    if (*end) { end++; if (tolower((unsigned char)*end) == 'i') end++; if (tolower((unsigned char)*end) == 'b') end++; }
    if (*end) return -1;
    v *= mul;
    if (v > 9.0e18) return -1;
    return (int64_t)v;
}

static int cg_write(const char *dir, const char *file, const char *val) {
    char *p = xasprintf("%s/%s", dir, file);
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cgroup %s: cannot open to set '%s'", p, val);
        free(p); return rc;
    }
    ssize_t n = write(fd, val, strlen(val));
    int e = errno;
    close(fd);
    if (n < 0) {
        errno = e;
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cgroup %s: cannot write '%s'", p, val);
        free(p); return rc;
    }
    free(p);
    return 0;
}

static int cg_read(const char *dir, const char *file, char **out) {
    char *p = xasprintf("%s/%s", dir, file);
    int rc = brig_read_file(p, 1 << 20, out, NULL);
    free(p);
    return rc;
}

static bool has_file(const char *dir, const char *file) {
    char *p = xasprintf("%s/%s", dir, file);
    bool r = access(p, F_OK) == 0;
    free(p);
    return r;
}

static int check_path(const char *cgpath) {
    if (!cgpath || !*cgpath) return brig_fail(BRIG_EXIT_INPUT, "linux.cgroupsPath is empty");
    if (strchr(cgpath, ':'))
        return brig_fail(BRIG_EXIT_NOTIMPL, "linux.cgroupsPath '%s' is in systemd slice:prefix:name form; brig manages cgroupfs only "
                         "(use a path like /brig/NAME, or podman --cgroup-manager cgroupfs)", cgpath);
    if (strlen(cgpath) > 1024) return brig_fail(BRIG_EXIT_INPUT, "linux.cgroupsPath is too long");
    for (const char *p = cgpath; *p; ) {
        while (*p == '/') p++;
        const char *e = strchrnul(p, '/');
        if (e - p == 2 && p[0] == '.' && p[1] == '.')
            return brig_fail(BRIG_EXIT_UNSAFE, "linux.cgroupsPath '%s' contains '..'; it must stay inside the cgroup hierarchy", cgpath);
        p = e;
    }
    return 0;
}

static rt_cgroup *cg_new(const char *cgpath) {
    rt_cgroup *cg = xcalloc(1, sizeof *cg);
    cg->v2 = rt_cgroup_is_v2();
    cg->rel = cgpath[0] == '/' ? xstrdup(cgpath) : xasprintf("/%s", cgpath);
    if (cg->v2) cg->dir[0] = xasprintf(CG_ROOT "%s", cg->rel);
    else {
        char seen[NCTRL][PATH_MAX];
        int ns = 0;
        for (int i = 0; v1_ctrls[i]; i++) {
            char *base = xasprintf(CG_ROOT "/%s", v1_ctrls[i]);
            char real[PATH_MAX];
            /* cpu and cpuacct are often one hierarchy mounted twice via symlinks. */
            if (realpath(base, real)) {
                bool dup = false;
                for (int k = 0; k < ns; k++) if (!strcmp(seen[k], real)) dup = true;
                struct statfs sf;
                if (!dup && statfs(real, &sf) == 0 && sf.f_type == CGROUP_SUPER_MAGIC) {
                    snprintf(seen[ns++], PATH_MAX, "%s", real);
                    cg->dir[i] = xasprintf("%s%s", real, cg->rel);
                }
            }
            free(base);
        }
    }
    return cg;
}

void rt_cgroup_free(rt_cgroup *cg) {
    if (!cg) return;
    free(cg->rel);
    for (int i = 0; i < NCTRL; i++) free(cg->dir[i]);
    free(cg);
}

static int ctrl_index(const char *name) {
    for (int i = 0; v1_ctrls[i]; i++) if (!strcmp(v1_ctrls[i], name)) return i;
    return -1;
}
static const char *v1dir(rt_cgroup *cg, const char *ctrl) {
    int i = ctrl_index(ctrl);
    return i >= 0 ? cg->dir[i] : NULL;
}
static const char *any_dir(rt_cgroup *cg) {
    if (cg->v2) return cg->dir[0];
    static const char *pref[] = { "pids", "memory", "freezer", "cpu", "devices", NULL };
    for (int i = 0; pref[i]; i++) if (v1dir(cg, pref[i])) return v1dir(cg, pref[i]);
    for (int i = 0; i < NCTRL; i++) if (cg->dir[i]) return cg->dir[i];
    return NULL;
}

/* cpuset refuses tasks until cpus/mems are set; new v1 cpuset dirs start empty. */
static int cpuset_init(const char *dir) {
    char *parent = xstrdup(dir);
    char *sl = strrchr(parent, '/');
    if (sl) *sl = 0;
    static const char *files[] = { "cpuset.cpus", "cpuset.mems" };
    int rc = 0;
    for (int i = 0; i < 2 && rc == 0; i++) {
        char *cur = NULL, *pv = NULL;
        if (cg_read(dir, files[i], &cur) == 0 && cur[0] && cur[0] != '\n') { free(cur); continue; }
        free(cur);
        if (strlen(parent) > strlen(CG_ROOT "/cpuset")) rc = cpuset_init(parent);
        if (rc == 0 && (rc = cg_read(parent, files[i], &pv)) == 0) rc = cg_write(dir, files[i], pv);
        free(pv);
    }
    free(parent);
    return rc;
}

/* True when the space-separated list holds word (so "cpu" is not found in "cpuset cpu"
 * by its prefix, nor missed because "cpuset" comes first). */
static bool has_word(const char *list, const char *word) {
    size_t l = strlen(word);
    for (const char *p = list; *p; ) {
        p += strspn(p, " \n");
        size_t n = strcspn(p, " \n");
        if (n == l && !memcmp(p, word, l)) return true;
        p += n;
    }
    return false;
}

static int v2_enable_controllers(const char *dir) {
    /* Enable the controllers we use on every ancestor's subtree_control. */
    char *p = xstrdup(dir);
    size_t rootlen = strlen(CG_ROOT);
    for (char *s = p + rootlen + 1; ; s++) {
        char save = *s;
        if (save != '/' && save != 0) continue;
        *s = 0;
        char *parent = xstrdup(p);
        char *sl = strrchr(parent, '/');
        if (sl && (size_t)(sl - parent) >= rootlen) {
            *sl = 0;
            char *avail = NULL;
            if (cg_read(parent, "cgroup.controllers", &avail) == 0) {
                static const char *want[] = { "cpu", "cpuset", "io", "memory", "pids", "hugetlb", NULL };
                for (int i = 0; want[i]; i++) {
                    if (has_word(avail, want[i])) {
                        char *v = xasprintf("+%s", want[i]);
                        if (cg_write(parent, "cgroup.subtree_control", v) != 0)
                            brig_debug("cannot enable %s in %s: %s", want[i], parent, brig_errmsg());
                        free(v);
                    }
                }
            }
            free(avail);
        }
        free(parent);
        *s = save;
        if (!save) break;
    }
    free(p);
    brig_err_clear();
    return 0;
}

static json_int_t jint(const json_t *o, const char *k, bool *has) {
    json_t *v = json_object_get(o, k);
    *has = json_is_integer(v);
    return *has ? json_integer_value(v) : 0;
}

static int w_int(const char *dir, const char *file, long long v) {
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    return cg_write(dir, file, b);
}

static int apply_memory(rt_cgroup *cg, const json_t *m) {
    bool hl, hs, hr, hsw; int rc = 0;
    json_int_t lim = jint(m, "limit", &hl), swap = jint(m, "swap", &hs), res = jint(m, "reservation", &hr);
    json_int_t swp = jint(m, "swappiness", &hsw);
    if (cg->v2) {
        const char *d = cg->dir[0];
        if (hl && (rc = lim > 0 ? w_int(d, "memory.max", lim) : cg_write(d, "memory.max", "max"))) return rc;
        if (hr && res > 0 && (rc = w_int(d, "memory.low", res))) return rc;
        if (hs && has_file(d, "memory.swap.max")) {
            /* v1 "swap" is memory+swap; v2 counts swap alone. */
            if (swap < 0) rc = cg_write(d, "memory.swap.max", "max");
            else rc = w_int(d, "memory.swap.max", hl && lim > 0 && swap >= lim ? swap - lim : 0);
            if (rc) return rc;
        }
        if (json_is_true(json_object_get(m, "disableOOMKiller")))
            return brig_fail(BRIG_EXIT_NOTIMPL, "linux.resources.memory.disableOOMKiller cannot be honoured on cgroup v2; remove it");
        return 0;
    }
    const char *d = v1dir(cg, "memory");
    if (!d) return (hl || hs || hr) ? brig_fail(BRIG_EXIT_SYSTEM, "memory limits requested but the v1 memory controller is not mounted") : 0;
    bool memsw = has_file(d, "memory.memsw.limit_in_bytes");
    if (hl) {
        /* memsw must stay >= limit at every step: raise memsw first only when the
         * current limit is already below the new memsw (as runc does); a new
         * cgroup starts unlimited, so there the limit goes first. */
        char *cur = NULL;
        long long curlim = -1;
        if (hs && memsw && cg_read(d, "memory.limit_in_bytes", &cur) == 0) curlim = strtoll(cur, NULL, 10);
        free(cur);
        brig_err_clear();
        if (hs && memsw && swap != 0 && (swap < 0 || (curlim >= 0 && curlim < swap))) {
            if ((rc = w_int(d, "memory.memsw.limit_in_bytes", swap))) return rc;
            if ((rc = w_int(d, "memory.limit_in_bytes", lim))) return rc;
        } else {
            if ((rc = w_int(d, "memory.limit_in_bytes", lim))) return rc;
            if (hs && memsw && swap != 0 && (rc = w_int(d, "memory.memsw.limit_in_bytes", swap))) return rc;
        }
    }
    if (hr && res > 0 && (rc = w_int(d, "memory.soft_limit_in_bytes", res))) return rc;
    if (hsw && swp >= 0 && swp <= 100 && has_file(d, "memory.swappiness") && (rc = w_int(d, "memory.swappiness", swp))) return rc;
    if (json_is_true(json_object_get(m, "disableOOMKiller")) && (rc = cg_write(d, "memory.oom_control", "1"))) return rc;
    return 0;
}

static int apply_cpu(rt_cgroup *cg, const json_t *c) {
    bool hsh, hq, hp, hrr, hrp; int rc = 0;
    json_int_t shares = jint(c, "shares", &hsh), quota = jint(c, "quota", &hq), period = jint(c, "period", &hp);
    json_int_t rtr = jint(c, "realtimeRuntime", &hrr), rtp = jint(c, "realtimePeriod", &hrp);
    const char *cpus = brig_json_str(c, "cpus"), *mems = brig_json_str(c, "mems");
    if (cg->v2) {
        const char *d = cg->dir[0];
        if (hsh && shares > 0) {
            long long w = 1 + ((shares - 2) * 9999) / 262142;
            if (w < 1) w = 1;
            if (w > 10000) w = 10000;
            if ((rc = w_int(d, "cpu.weight", w))) return rc;
        }
        if (hq || hp) {
            char b[64];
            if (hq && quota > 0) snprintf(b, sizeof b, "%lld %lld", (long long)quota, (long long)(hp && period > 0 ? period : 100000));
            else snprintf(b, sizeof b, "max %lld", (long long)(hp && period > 0 ? period : 100000));
            if ((rc = cg_write(d, "cpu.max", b))) return rc;
        }
        if (cpus && *cpus && (rc = cg_write(d, "cpuset.cpus", cpus))) return rc;
        if (mems && *mems && (rc = cg_write(d, "cpuset.mems", mems))) return rc;
        if ((hrr && rtr) || (hrp && rtp)) return brig_fail(BRIG_EXIT_NOTIMPL, "realtime CPU limits are not available on cgroup v2");
        return 0;
    }
    const char *d = v1dir(cg, "cpu");
    if ((hsh || hq || hp || hrr || hrp) && !d) return brig_fail(BRIG_EXIT_SYSTEM, "CPU limits requested but the v1 cpu controller is not mounted");
    if (hsh && shares > 0 && (rc = w_int(d, "cpu.shares", shares))) return rc;
    if (hp && period > 0 && (rc = w_int(d, "cpu.cfs_period_us", period))) return rc;
    if (hq && (rc = w_int(d, "cpu.cfs_quota_us", quota > 0 ? quota : -1))) return rc;
    if (hrp && rtp > 0 && (rc = w_int(d, "cpu.rt_period_us", rtp))) return rc;
    if (hrr && rtr != 0 && (rc = w_int(d, "cpu.rt_runtime_us", rtr))) return rc;
    const char *cs = v1dir(cg, "cpuset");
    if ((cpus && *cpus) || (mems && *mems)) {
        if (!cs) return brig_fail(BRIG_EXIT_SYSTEM, "cpuset requested but the v1 cpuset controller is not mounted");
        if (cpus && *cpus && (rc = cg_write(cs, "cpuset.cpus", cpus))) return rc;
        if (mems && *mems && (rc = cg_write(cs, "cpuset.mems", mems))) return rc;
    }
    return 0;
}

/* Both versions enforce the same effective list (cgroup_devices_bpf.c: the
 * spec's rules with the default nodes inserted; last matching rule wins): v2
 * as an eBPF program, v1 as devices.allow/deny lines in that order.  An empty
 * or absent list leaves the cgroup's device access untouched. */
static int apply_devices(rt_cgroup *cg, const json_t *devs) {
    rt_dev_rule *r;
    size_t n;
    int rc = rt_dev_rules_build(devs, &r, &n);
    if (rc || n == 0) return rc;
    if (cg->v2) {
        rc = rt_dev_bpf_apply(cg->dir[0], r, n);
        free(r);
        return rc;
    }
    const char *d = v1dir(cg, "devices");
    if (!d) rc = brig_fail(BRIG_EXIT_SYSTEM, "device rules requested but the v1 devices controller is not mounted");
    else rc = rt_dev_rules_v1_check(r, n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char line[80];
        rc = cg_write(d, r[i].allow ? "devices.allow" : "devices.deny", rt_dev_rule_line(&r[i], line, sizeof line));
    }
    free(r);
    return rc;
}

static int apply_blkio(rt_cgroup *cg, const json_t *b) {
    bool hw; int rc;
    json_int_t w = jint(b, "weight", &hw);
    static const char *thr[][3] = {
        { "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps" },
        { "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps" },
        { "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops" },
        { "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops" } };
    const char *d = cg->v2 ? cg->dir[0] : v1dir(cg, "blkio");
    if (!d) return brig_fail(BRIG_EXIT_SYSTEM, "block I/O limits requested but the blkio controller is not mounted");
    if (hw && w > 0) {
        const char *f = cg->v2 ? "io.weight" : (has_file(d, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight");
        if (!has_file(d, f)) return brig_fail(BRIG_EXIT_SYSTEM, "blockIO.weight requested but %s/%s does not exist (no CFQ/BFQ scheduler)", d, f);
        if ((rc = w_int(d, f, cg->v2 ? 1 + (w - 10) * 9999 / 990 : w))) return rc;
    }
    for (int t = 0; t < 4; t++) {
        json_t *a = json_object_get(b, thr[t][0]);
        for (size_t i = 0; json_is_array(a) && i < json_array_size(a); i++) {
            json_t *e = json_array_get(a, i);
            char line[96];
            long long ma = json_integer_value(json_object_get(e, "major")), mi = json_integer_value(json_object_get(e, "minor"));
            long long rate = json_integer_value(json_object_get(e, "rate"));
            if (cg->v2) snprintf(line, sizeof line, "%lld:%lld %s=%lld", ma, mi, thr[t][2], rate);
            else snprintf(line, sizeof line, "%lld:%lld %lld", ma, mi, rate);
            if ((rc = cg_write(d, cg->v2 ? "io.max" : thr[t][1], line))) return rc;
        }
    }
    return 0;
}

int rt_cgroup_apply(rt_cgroup *cg, const json_t *r) {
    int rc;
    if (!r) return 0;
    json_t *m = json_object_get(r, "memory");
    if (json_is_object(m) && (rc = apply_memory(cg, m))) return rc;
    json_t *c = json_object_get(r, "cpu");
    if (json_is_object(c) && (rc = apply_cpu(cg, c))) return rc;
    json_t *p = json_object_get(r, "pids");
    if (json_is_object(p)) {
        bool hl;
        json_int_t lim = jint(p, "limit", &hl);
        const char *d = cg->v2 ? cg->dir[0] : v1dir(cg, "pids");
        if (hl && !d) return brig_fail(BRIG_EXIT_SYSTEM, "pids limit requested but the pids controller is not mounted");
        if (hl && (rc = lim > 0 ? w_int(d, "pids.max", lim) : cg_write(d, "pids.max", "max"))) return rc;
    }
    json_t *b = json_object_get(r, "blockIO");
    if (json_is_object(b) && json_object_size(b) && (rc = apply_blkio(cg, b))) return rc;
    if ((rc = apply_devices(cg, json_object_get(r, "devices")))) return rc;
    json_t *hp = json_object_get(r, "hugepageLimits");
    for (size_t i = 0; json_is_array(hp) && i < json_array_size(hp); i++) {
        json_t *e = json_array_get(hp, i);
        const char *ps = brig_json_str(e, "pageSize");
        const char *d = cg->v2 ? cg->dir[0] : v1dir(cg, "hugetlb");
        if (!ps || strspn(ps, "0123456789KMGB") != strlen(ps)) return brig_fail(BRIG_EXIT_INPUT, "linux.resources.hugepageLimits[%zu].pageSize is invalid", i);
        if (!d) return brig_fail(BRIG_EXIT_SYSTEM, "hugepage limits requested but the hugetlb controller is not mounted");
        char *f = xasprintf(cg->v2 ? "hugetlb.%s.max" : "hugetlb.%s.limit_in_bytes", ps);
        rc = w_int(d, f, json_integer_value(json_object_get(e, "limit")));
        free(f);
        if (rc) return rc;
    }
    json_t *net = json_object_get(r, "network");
    if (json_is_object(net) && !cg->v2) {
        bool hc;
        json_int_t cid = jint(net, "classID", &hc);
        if (hc && v1dir(cg, "net_cls") && (rc = w_int(v1dir(cg, "net_cls"), "net_cls.classid", cid))) return rc;
        json_t *pr = json_object_get(net, "priorities");
        for (size_t i = 0; json_is_array(pr) && i < json_array_size(pr) && v1dir(cg, "net_prio"); i++) {
            json_t *e = json_array_get(pr, i);
            const char *ifn = brig_json_str(e, "name");
            if (!ifn || strchr(ifn, ' ') || strchr(ifn, '\n')) continue;
            char line[128];
            snprintf(line, sizeof line, "%s %lld", ifn, (long long)json_integer_value(json_object_get(e, "priority")));
            if ((rc = cg_write(v1dir(cg, "net_prio"), "net_prio.ifpriomap", line))) return rc;
        }
    }
    json_t *un = json_object_get(r, "unified");
    if (json_is_object(un) && json_object_size(un)) {
        if (!cg->v2) return brig_fail(BRIG_EXIT_INPUT, "linux.resources.unified needs a cgroup v2 host; this host uses cgroup v1");
        const char *k; json_t *v;
        json_object_foreach(un, k, v) {
            if (strchr(k, '/') || !strcmp(k, "..") || !json_is_string(v))
                return brig_fail(BRIG_EXIT_INPUT, "linux.resources.unified: '%s' is not a cgroup file name with a string value", k);
            if ((rc = cg_write(cg->dir[0], k, json_string_value(v)))) return rc;
        }
    }
    return 0;
}

int rt_cgroup_create(const char *cgpath, const json_t *resources, const char *id, rt_cgroup **out) {
    (void)id;
    *out = NULL;
    int rc = check_path(cgpath);
    if (rc) return rc;
    rt_cgroup *cg = cg_new(cgpath);
    for (int i = 0; i < NCTRL; i++) {
        if (!cg->dir[i]) continue;
        if ((rc = brig_mkdir_p(cg->dir[i], 0755))) goto fail;
        if (!cg->v2 && i == ctrl_index("cpuset") && (rc = cpuset_init(cg->dir[i]))) goto fail;
    }
    if (!any_dir(cg)) { rc = brig_fail(BRIG_EXIT_SYSTEM, "no cgroup controllers are mounted under " CG_ROOT); goto fail; }
    if (cg->v2) v2_enable_controllers(cg->dir[0]);
    if ((rc = rt_cgroup_apply(cg, resources))) goto fail;
    *out = cg;
    return 0;
fail:
    rt_cgroup_destroy(cg);
    rt_cgroup_free(cg);
    return rc;
}

int rt_cgroup_open(const char *cgpath, rt_cgroup **out) {
    *out = NULL;
    int rc = check_path(cgpath);
    if (rc) return rc;
    *out = cg_new(cgpath);
    return 0;
}

int rt_cgroup_add_pid(rt_cgroup *cg, pid_t pid) {
    char b[24];
    snprintf(b, sizeof b, "%d", (int)pid);
    for (int i = 0; i < NCTRL; i++) {
        if (!cg->dir[i]) continue;
        int rc = cg_write(cg->dir[i], "cgroup.procs", b);
        if (rc) return rc;
    }
    return 0;
}

int rt_cgroup_pids(rt_cgroup *cg, pid_t **pids, size_t *n) {
    *pids = NULL; *n = 0;
    const char *d = any_dir(cg);
    if (!d) return brig_fail(BRIG_EXIT_SYSTEM, "no cgroup controller directory for %s", cg->rel);
    char *txt;
    int rc = cg_read(d, "cgroup.procs", &txt);
    if (rc) return rc;
    size_t cap = 0;
    for (char *s = txt; *s; ) {
        char *e;
        long v = strtol(s, &e, 10);
        if (e == s) break;
        if (v > 0) { *pids = xgrow(*pids, &cap, *n + 1, sizeof **pids); (*pids)[(*n)++] = (pid_t)v; }
        s = e;
        while (*s == '\n' || *s == ' ') s++;
    }
    free(txt);
    return 0;
}

int rt_cgroup_freeze(rt_cgroup *cg, bool freeze) {
    const char *d = cg->v2 ? cg->dir[0] : v1dir(cg, "freezer");
    if (!d) return brig_fail(BRIG_EXIT_SYSTEM, "the freezer cgroup controller is not mounted; cannot %s", freeze ? "pause" : "resume");
    int rc = cg->v2 ? cg_write(d, "cgroup.freeze", freeze ? "1" : "0") : cg_write(d, "freezer.state", freeze ? "FROZEN" : "THAWED");
    if (rc) return rc;
    for (int i = 0; i < 1000; i++) {   /* freezing is asynchronous: wait up to ~10 s */
        bool fr;
        if ((rc = rt_cgroup_frozen(cg, &fr))) return rc;
        if (fr == freeze) return 0;
        if (!cg->v2 && freeze) cg_write(d, "freezer.state", "FROZEN");
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return brig_fail(BRIG_EXIT_SYSTEM, "cgroup %s did not become %s within 10 s", d, freeze ? "frozen" : "thawed");
}

int rt_cgroup_frozen(rt_cgroup *cg, bool *frozen) {
    *frozen = false;
    const char *d = cg->v2 ? cg->dir[0] : v1dir(cg, "freezer");
    if (!d) return 0;
    char *txt;
    int rc = cg_read(d, cg->v2 ? "cgroup.events" : "freezer.state", &txt);
    if (rc) return rc;
    *frozen = cg->v2 ? strstr(txt, "frozen 1") != NULL : strncmp(txt, "FROZEN", 6) == 0;
    free(txt);
    return 0;
}

int rt_cgroup_destroy(rt_cgroup *cg) {
    int rc = 0;
    for (int i = 0; i < NCTRL; i++) {
        if (!cg->dir[i]) continue;
        for (int t = 0; t < 100; t++) {   /* tasks may take a moment to leave after SIGKILL */
            if (rmdir(cg->dir[i]) == 0 || errno == ENOENT) break;
            if (errno != EBUSY || t == 99) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot remove cgroup %s", cg->dir[i]); break; }
            struct timespec ts = { 0, 10 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
    }
    return rc;
}
