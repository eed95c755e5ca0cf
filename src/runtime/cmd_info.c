/* OCI informational commands: spec, features, list. */
#include "runtime/rt.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <seccomp.h>
#include <sys/capability.h>
#include "util/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

int cmd_spec(int argc, char **argv) {
    static const struct option lo[] = { { "bundle", required_argument, 0, 'b' }, { "rootless", no_argument, 0, 'r' },
                                        { "userns", no_argument, 0, 'u' }, { "terminal", no_argument, 0, 't' },
                                        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *bundle = ".";
    bool userns = false, term = false;
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+b:th", lo, "spec")) != -1) {
        switch (c) {
        case 'b': bundle = optarg; break;
        case 'u': userns = true; break;
        case 't': term = true; break;
        case 'r':
            brig_print_error(brig_fail(BRIG_EXIT_NOTIMPL, "--rootless specs are not supported by brig"));
            return BRIG_EXIT_NOTIMPL;
        case 'h':
            printf("Usage: brig spec [--bundle DIR] [--userns] [--terminal]\n\n"
                   "Write a hardened default config.json into the bundle directory (default: current):\n"
                   "no capabilities, no_new_privs, Docker's default seccomp allowlist (EPERM otherwise),\n"
                   "read-only root, masked /proc and /sys paths, RLIMIT_NOFILE 1024, new pid/net/ipc/uts/\n"
                   "mount/cgroup namespaces. Refuses to overwrite an existing config.json.\n\n"
                   "Options:\n"
                   "  -b, --bundle DIR   bundle directory\n"
                   "      --userns       add a user namespace mapping container 0-65535 to host 100000-165535\n"
                   "  -t, --terminal     set process.terminal (needs --console-socket at create time)\n"
                   "  -h, --help         show this help\n\n"
                   "Exit codes: 0 written, 2 usage, 3 config.json exists, 6 cannot write\n");
            return 0;
        default: return BRIG_EXIT_USAGE;
        }
    }
    if (optind != argc) return brig_usage_error("spec", "unexpected argument '%s'", argv[optind]);
    char *p = xasprintf("%s/config.json", bundle);
    int rc = 0;
    if (access(p, F_OK) == 0) rc = brig_fail(BRIG_EXIT_INPUT, "%s already exists; remove it first", p);
    else {
        json_t *j = rt_default_spec(userns, term);
        char *s = json_dumps(j, JSON_INDENT(2));
        json_decref(j);
        char *txt = xasprintf("%s\n", s);
        rc = brig_write_file_atomic(p, txt, strlen(txt), 0644);
        free(s); free(txt);
    }
    free(p);
    brig_print_error(rc);
    return rc;
}

int cmd_features(int argc, char **argv) {
    static const struct option lo[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+h", lo, "features")) != -1) {
        if (c == 'h') {
            printf("Usage: brig features\n\nPrint the OCI features this runtime supports as JSON (runtime-spec features.md).\n\n"
                   "Exit codes: 0 ok, 2 usage\n");
            return 0;
        }
        return BRIG_EXIT_USAGE;
    }
    if (optind != argc) return brig_usage_error("features", "unexpected argument '%s'", argv[optind]);
    static const char *hooks[] = { "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL };
    static const char *mopts[] = { "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "lazytime", "loud",
        "mand", "noatime", "nodev", "nodiratime", "noexec", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
        "private", "rbind", "relatime", "remount", "ro", "rprivate", "rshared", "rslave", "runbindable", "rw", "shared",
        "silent", "slave", "strictatime", "suid", "sync", "unbindable", NULL };
    static const char *ns[] = { "cgroup", "ipc", "mount", "network", "pid", "user", "uts", NULL };
    /* SCMP_ACT_NOTIFY needs libseccomp >= 2.5 and a kernel with seccomp user notification (5.0+). */
    static const char *all_acts[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                                      "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP" };
    uint32_t notif = SECCOMP_RET_USER_NOTIF;
    bool has_notify = seccomp_version()->major > 2 || (seccomp_version()->major == 2 && seccomp_version()->minor >= 5);
    if (has_notify && syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &notif) != 0) has_notify = false;
    const char *acts[sizeof all_acts / sizeof all_acts[0] + 1];
    size_t n_acts = 0;
    for (size_t i = 0; i < sizeof all_acts / sizeof all_acts[0]; i++)
        if (has_notify || strcmp(all_acts[i], "SCMP_ACT_NOTIFY") != 0) acts[n_acts++] = all_acts[i];
    acts[n_acts] = NULL;
    static const char *ops[] = { "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                                 "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL };
    static const char *archs[] = { "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL };
    json_t *caps = json_array();
    for (int i = 0; i < 64; i++) {
        if (!(rt_cap_all_mask() & (1ull << i))) continue;
        char up[32];
        rt_cap_name(i, up);
        if (up[0]) json_array_append_new(caps, json_string(up));
    }
#define ARR(v) ({ json_t *a_ = json_array(); for (int i_ = 0; v[i_]; i_++) json_array_append_new(a_, json_string(v[i_])); a_; })
    const struct scmp_version *ver = seccomp_version();
    char lsv[32];
    snprintf(lsv, sizeof lsv, "%u.%u.%u", ver->major, ver->minor, ver->micro);
    json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:o, s:{s:b, s:b, s:b}, s:{s:b, s:o, s:o, s:o, s:o}, s:{s:b}, s:{s:b}},"
                          " s:{s:s, s:s}}",
        "ociVersionMin", "1.0.0", "ociVersionMax", "1.1.0", "hooks", ARR(hooks), "mountOptions", ARR(mopts),
        "linux", "namespaces", ARR(ns), "capabilities", caps,
        "cgroup", "v1", 1, "v2", 1, "systemd", 0,
        "seccomp", "enabled", 1, "actions", ARR(acts), "operators", ARR(ops), "archs", ARR(archs), "knownFlags", ARR(((const char *[]){ "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL })),
        "apparmor", "enabled", 0, "selinux", "enabled", 0,
        "annotations", "io.github.brig.libseccomp.version", lsv, "io.github.brig.protected-reexec", "true");
#undef ARR
    char *s = json_dumps(j, JSON_INDENT(2));
    printf("%s\n", s);
    free(s);
    json_decref(j);
    return 0;
}

int cmd_list(int argc, char **argv) {
    static const struct option lo[] = { { "format", required_argument, 0, 'f' }, { "quiet", no_argument, 0, 'q' },
                                        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *fmt = "table";
    bool quiet = false;
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+f:qh", lo, "list")) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'q': quiet = true; break;
        case 'h':
            printf("Usage: brig [--root DIR] list [--format table|json] [--quiet]\n\nList containers under the state directory.\n\n"
                   "Options:\n  -f, --format F   table (default) or json\n  -q, --quiet      print ids only\n  -h, --help       show this help\n\n"
                   "Exit codes: 0 ok, 2 usage, 6 unreadable state directory\n");
            return 0;
        default: return BRIG_EXIT_USAGE;
        }
    }
    if (strcmp(fmt, "table") && strcmp(fmt, "json")) return brig_usage_error("list", "--format must be table or json");
    if (optind != argc) return brig_usage_error("list", "unexpected argument '%s'", argv[optind]);
    int rc = rt_check_globals("list");
    if (rc) return rc;
    DIR *d = opendir(rt_root());
    json_t *arr = json_array();
    if (!d && errno != ENOENT) return rt_report(brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot list", rt_root()));
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        rt_state *st;
        if (rt_state_load(e->d_name, &st) != 0) { brig_err_clear(); continue; }
        const char *status = rt_state_status(st);
        json_array_append_new(arr, json_pack("{s:s, s:i, s:s, s:s, s:s}", "id", st->id,
                                             "pid", strcmp(status, "stopped") ? (int)st->pid : 0, "status", status,
                                             "bundle", st->bundle, "created", st->created));
        rt_state_free(st);
    }
    if (d) closedir(d);
    if (!strcmp(fmt, "json")) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        printf("%s\n", s);
        free(s);
    } else {
        if (!quiet) printf("%-24s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
        size_t i; json_t *v;
        json_array_foreach(arr, i, v) {
            if (quiet) printf("%s\n", brig_json_str(v, "id"));
            else printf("%-24s %-8lld %-10s %-40s %s\n", brig_json_str(v, "id"), (long long)json_integer_value(json_object_get(v, "pid")),
                        brig_json_str(v, "status"), brig_json_str(v, "bundle"), brig_json_str(v, "created"));
        }
    }
    json_decref(arr);
    return 0;
}
