/* OCI control commands: ps, pause, resume, update. */
#include "runtime/rt.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int load_live(const char *id, rt_state **st, bool need_cgroup) {
    int rc = rt_state_load(id, st);
    if (rc) return rc;
    if (!strcmp(rt_state_status(*st), "stopped")) { rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' is not running", id); goto fail; }
    if (need_cgroup && !(*st)->cgroup_path) { rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' has no cgroup (config.json had no linux.cgroupsPath)", id); goto fail; }
    return 0;
fail:
    rt_state_free(*st); *st = NULL;
    return rc;
}

/* Without a cgroup, a container's processes are those in its pid namespace. */
static void pids_by_ns(pid_t init, pid_t **pids, size_t *n) {
    char p[64]; struct stat ref;
    snprintf(p, sizeof p, "/proc/%d/ns/pid", (int)init);
    *pids = NULL; *n = 0;
    if (stat(p, &ref) != 0) return;
    size_t cap = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        int pid = atoi(e->d_name);
        if (pid <= 0) continue;
        snprintf(p, sizeof p, "/proc/%d/ns/pid", pid);
        struct stat st;
        if (stat(p, &st) == 0 && st.st_ino == ref.st_ino && st.st_dev == ref.st_dev) {
            *pids = xgrow(*pids, &cap, *n + 1, sizeof **pids);
            (*pids)[(*n)++] = pid;
        }
    }
    if (d) closedir(d);
}

int cmd_ps(int argc, char **argv) {
    static const struct option lo[] = { { "format", required_argument, 0, 'f' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *fmt = "table";
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+f:h", lo, "ps")) != -1) {
        if (c == 'f') { fmt = optarg; continue; }
        if (c == 'h') {
            printf("Usage: brig ps [--format table|json] CONTAINER_ID\n\nList the processes of a container (host pids).\n\n"
                   "Options:\n  -f, --format F   table (PID and command line, default) or json (array of pids)\n  -h, --help       show this help\n\n"
                   "Exit codes: 0 ok, 2 usage, 3 container missing or stopped, 6 cgroup unreadable\n");
            return 0;
        }
        return BRIG_EXIT_USAGE;
    }
    if (strcmp(fmt, "table") && strcmp(fmt, "json")) return brig_usage_error("ps", "--format must be table or json");
    if (optind != argc - 1) return brig_usage_error("ps", "expected exactly one CONTAINER_ID");
    int rc = rt_check_globals("ps");
    if (rc) return rc;
    rt_state *st;
    if ((rc = load_live(argv[optind], &st, false))) return rt_report(rc);
    pid_t *pids = NULL; size_t n = 0;
    if (st->cgroup_path) {
        rt_cgroup *cg;
        if ((rc = rt_cgroup_open(st->cgroup_path, &cg)) == 0) { rc = rt_cgroup_pids(cg, &pids, &n); rt_cgroup_free(cg); }
    } else pids_by_ns(st->pid, &pids, &n);
    if (rc == 0) {
        if (!strcmp(fmt, "json")) {
            printf("[");
            for (size_t i = 0; i < n; i++) printf("%s%d", i ? "," : "", (int)pids[i]);
            printf("]\n");
        } else {
            printf("%-8s %s\n", "PID", "CMD");
            for (size_t i = 0; i < n; i++) {
                char p[64], *cmd = NULL; size_t len = 0;
                snprintf(p, sizeof p, "/proc/%d/cmdline", (int)pids[i]);
                if (brig_read_file(p, 4096, &cmd, &len) != 0) { brig_err_clear(); continue; }
                for (size_t k = 0; k + 1 < len; k++) if (!cmd[k]) cmd[k] = ' ';
                printf("%-8d %s\n", (int)pids[i], cmd);
                free(cmd);
            }
        }
    }
    free(pids);
    rt_state_free(st);
    return rt_report(rc);
}

static int pause_resume(int argc, char **argv, const char *cmd, bool freeze) {
    static const struct option lo[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+h", lo, cmd)) != -1) {
        if (c == 'h') {
            printf("Usage: brig %s CONTAINER_ID\n\n%s every process of the container (cgroup freezer).\n\n"
                   "Exit codes: 0 ok, 2 usage, 3 container missing/stopped or without cgroup, 6 freezer error\n",
                   cmd, freeze ? "Freeze" : "Thaw");
            return 0;
        }
        return BRIG_EXIT_USAGE;
    }
    if (optind != argc - 1) return brig_usage_error(cmd, "expected exactly one CONTAINER_ID");
    int rc = rt_check_globals(cmd);
    if (rc) return rc;
    rt_state *st;
    if ((rc = load_live(argv[optind], &st, true))) return rt_report(rc);
    const char *status = st->status;
    if (freeze && strcmp(status, "running")) rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' is %s, not running", st->id, status);
    else if (!freeze && strcmp(status, "paused")) rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' is %s, not paused", st->id, status);
    else {
        rt_cgroup *cg;
        if ((rc = rt_cgroup_open(st->cgroup_path, &cg)) == 0) { rc = rt_cgroup_freeze(cg, freeze); rt_cgroup_free(cg); }
    }
    rt_state_free(st);
    return rt_report(rc);
}
int cmd_pause(int argc, char **argv) { return pause_resume(argc, argv, "pause", true); }
int cmd_resume(int argc, char **argv) { return pause_resume(argc, argv, "resume", false); }

int cmd_update(int argc, char **argv) {
    static const struct option lo[] = {
        { "resources", required_argument, 0, 'r' }, { "memory", required_argument, 0, 'm' },
        { "memory-swap", required_argument, 0, 's' }, { "pids-limit", required_argument, 0, 'p' },
        { "cpu-quota", required_argument, 0, 'q' }, { "cpu-period", required_argument, 0, 'P' },
        { "cpu-shares", required_argument, 0, 'S' }, { "cpuset-cpus", required_argument, 0, 'c' },
        { "cpuset-mems", required_argument, 0, 'M' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    json_t *res = json_object(), *file = NULL;
    int c;
    optind = 0;
#define SUB(k) ({ json_t *o_ = json_object_get(res, k); if (!o_) { o_ = json_object(); json_object_set_new(res, k, o_); } o_; })
#define NUM(o, k, v) do { char *e_; long long n_ = strtoll(v, &e_, 10); if (*e_ || e_ == v) { json_decref(res); return brig_usage_error("update", "%s needs a number", k); } json_object_set_new(o, k, json_integer(n_)); } while (0)
    while ((c = brig_getopt(argc, argv, "+r:h", lo, "update")) != -1) {
        switch (c) {
        case 'r': {
            int rc = brig_json_load_file(optarg, 1 << 20, &file);
            if (rc) { json_decref(res); brig_print_error(rc); return rc; }
            break;
        }
        case 'm': case 's': {
            int64_t v = rt_parse_size(optarg);
            if (v < 0 && strcmp(optarg, "-1")) { json_decref(res); return brig_usage_error("update", "'%s' is not a size like 512m", optarg); }
            json_object_set_new(SUB("memory"), c == 'm' ? "limit" : "swap", json_integer(v < 0 ? -1 : v));
            break;
        }
        case 'p': NUM(SUB("pids"), "limit", optarg); break;
        case 'q': NUM(SUB("cpu"), "quota", optarg); break;
        case 'P': NUM(SUB("cpu"), "period", optarg); break;
        case 'S': NUM(SUB("cpu"), "shares", optarg); break;
        case 'c': json_object_set_new(SUB("cpu"), "cpus", json_string(optarg)); break;
        case 'M': json_object_set_new(SUB("cpu"), "mems", json_string(optarg)); break;
        case 'h':
            json_decref(res);
            printf("Usage: brig update [OPTIONS] CONTAINER_ID\n\nChange a running container's cgroup limits.\n\n"
                   "Options:\n  -r, --resources FILE   linux.resources JSON (\"-\" for stdin)\n"
                   "      --memory SIZE      memory limit (e.g. 256m)\n      --memory-swap SIZE memory+swap limit (-1 unlimited)\n"
                   "      --pids-limit N     maximum number of tasks\n      --cpu-quota US     CFS quota per period\n"
                   "      --cpu-period US    CFS period\n      --cpu-shares N     relative CPU weight\n"
                   "      --cpuset-cpus L    CPUs allowed (e.g. 0-1)\n      --cpuset-mems L    memory nodes allowed\n"
                   "  -h, --help             show this help\n\nExit codes: 0 ok, 2 usage, 3 container missing/stopped, 6 cgroup write refused\n");
            return 0;
        default: json_decref(res); return BRIG_EXIT_USAGE;
        }
    }
#undef SUB
#undef NUM
    if (optind != argc - 1) { json_decref(res); json_decref(file); return brig_usage_error("update", "expected exactly one CONTAINER_ID"); }
    int rc = rt_check_globals("update");
    if (rc) { json_decref(res); json_decref(file); return rc; }
    if (file) { json_object_update_recursive(file, res); json_decref(res); res = file; }
    rt_state *st;
    if ((rc = load_live(argv[optind], &st, true)) == 0) {
        rt_cgroup *cg;
        if ((rc = rt_cgroup_open(st->cgroup_path, &cg)) == 0) { rc = rt_cgroup_apply(cg, res); rt_cgroup_free(cg); }
        rt_state_free(st);
    }
    json_decref(res);
    return rt_report(rc);
}
