/* OCI runtime commands for the container life cycle: create, start, state,
 * kill, delete, and `run` in bundle mode.  Flags follow runc so Podman,
 * containerd and scripts written for runc work unchanged. */
#include "runtime/rt.h"
#include "runtime/cmds.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define EXIT_CODES_HELP \
    "Exit codes: 0 ok, 2 usage, 3 bad/missing bundle or container, 5 unsafe spec refused,\n" \
    "            6 system refused (permissions, kernel, limits), 7 unsupported feature\n"

static int help_create(const char *cmd) {
    printf("Usage: brig [GLOBAL FLAGS] %s [OPTIONS] CONTAINER_ID\n\n"
           "%s\n\n"
           "Options:\n"
           "  -b, --bundle DIR        bundle directory holding config.json (default: current directory)\n"
           "      --pid-file FILE     write the container init's host pid to FILE\n"
           "      --console-socket S  AF_UNIX socket that receives the pty master (process.terminal)\n"
           "      --no-pivot          use MS_MOVE+chroot instead of pivot_root (ramfs roots only)\n"
           "      --no-new-keyring    keep the caller's session keyring\n"
           "      --preserve-fds N    pass N extra descriptors (3..3+N-1) to the container\n"
           "%s"
           "  -h, --help              show this help\n\n"
           "Global flags (before the command): --root DIR (state, default " RT_DEFAULT_ROOT "), --log FILE,\n"
           "  --log-format text|json, --debug.  --systemd-cgroup is refused (cgroupfs only).\n\n"
           EXIT_CODES_HELP "%s",
           cmd, !strcmp(cmd, "create") ? "Create a container from an OCI bundle: namespaces, mounts, cgroups and\n"
                                         "security settings are applied and the init waits for `brig start`."
                                       : "Create and start a container from an OCI bundle, wait for it and remove it.",
           !strcmp(cmd, "run") ? "  -d, --detach            start the container and return without waiting\n" : "",
           !strcmp(cmd, "run") ? "With run, brig exits with the container's status (128+N if killed by signal N).\n" : "");
    return 0;
}

static int parse_create(int argc, char **argv, const char *cmd, rt_create_opts *o, bool *help) {
    static const struct option lo[] = {
        { "bundle", required_argument, 0, 'b' }, { "pid-file", required_argument, 0, 'p' },
        { "console-socket", required_argument, 0, 'c' }, { "no-pivot", no_argument, 0, 'P' },
        { "no-new-keyring", no_argument, 0, 'K' }, { "preserve-fds", required_argument, 0, 'f' },
        { "detach", no_argument, 0, 'd' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    bool run = !strcmp(cmd, "run");
    optind = 0;
    while ((c = brig_getopt(argc, argv, run ? "+b:dh" : "+b:h", lo, cmd)) != -1) {
        switch (c) {
        case 'b': o->bundle = optarg; break;
        case 'p': o->pid_file = optarg; break;
        case 'c': o->console_socket = optarg; break;
        case 'P': o->no_pivot = true; break;
        case 'K': o->no_new_keyring = true; break;
        case 'f': {
            char *e; long v = strtol(optarg, &e, 10);
            if (*e || v < 0 || v > 1000) return brig_usage_error(cmd, "--preserve-fds needs a number between 0 and 1000");
            o->preserve_fds = (int)v; break;
        }
        case 'd':
            if (!run) return brig_usage_error(cmd, "unknown option '--detach'");
            o->detach = true; break;
        case 'h': *help = true; return 0;
        default: return BRIG_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) return brig_usage_error(cmd, "expected exactly one CONTAINER_ID");
    o->id = argv[optind];
    if (!o->bundle) o->bundle = ".";
    return 0;
}

int cmd_create(int argc, char **argv) {
    rt_create_opts o = { 0 };
    bool help = false;
    int rc = parse_create(argc, argv, "create", &o, &help);
    if (rc || help) return help ? help_create("create") : rc;
    if ((rc = rt_check_globals("create"))) return rc;
    if ((rc = rt_reexec_protected())) return rt_report(rc);
    rt_spec *s;
    if ((rc = rt_spec_load(o.bundle, &s))) return rt_report(rc);
    pid_t pid;
    rc = rt_container_create(&o, s, &pid);
    rt_spec_free(s);
    return rt_report(rc);
}

static volatile sig_atomic_t fwd_pid;
static void forward(int sig) { if (fwd_pid > 0) kill((pid_t)fwd_pid, sig); }

/* Creates, starts and waits; brig's own failures are reported here (so the
 * caller can pass the container's status through untouched). */
int rt_run_bundle(rt_create_opts *o, rt_spec *s, bool remove, int *status_out) {
    pid_t pid;
    *status_out = 0;
    o->foreground = true;
    /* A terminal without --console-socket: we are the console's receiver. */
    int relay[2] = { -1, -1 };
    if (s->proc.terminal && !o->console_socket && !o->detach) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, relay) != 0) return rt_report(brig_fail_errno(BRIG_EXIT_SYSTEM, "socketpair"));
        o->console_fd = relay[1];
    }
    int rc = rt_container_create(o, s, &pid);
    if (relay[1] >= 0) close(relay[1]);
    if (rc) { if (relay[0] >= 0) close(relay[0]); return rt_report(rc); }
    /* Forward the usual termination/job signals to the container's init. */
    fwd_pid = pid;
    struct sigaction sa = { .sa_handler = forward };
    sigemptyset(&sa.sa_mask);
    int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
    if ((rc = rt_container_start(o->id))) {
        rt_report(rc);
        rt_container_delete(o->id, true);
        return rc;
    }
    if (o->detach) return 0;
    if (relay[0] >= 0) {
        if ((rc = rt_console_relay(relay[0], pid))) rt_report(rc);
        close(relay[0]);
    }
    *status_out = rt_wait_exit(pid);
    fwd_pid = 0;
    if (remove) {
        brig_err_clear();
        int d = rt_container_delete(o->id, true);
        if (d) rt_report(d);
    }
    return 0;
}

int rt_cmd_run_bundle(int argc, char **argv) {
    rt_create_opts o = { 0 };
    bool help = false;
    int rc = parse_create(argc, argv, "run", &o, &help);
    if (rc || help) return help ? help_create("run") : rc;
    if ((rc = rt_check_globals("run"))) return rc;
    if ((rc = rt_reexec_protected())) return rt_report(rc);
    rt_spec *s;
    if ((rc = rt_spec_load(o.bundle, &s))) return rt_report(rc);
    int status;
    rc = rt_run_bundle(&o, s, true, &status);
    rt_spec_free(s);
    /* The container's own status is passed through untouched. */
    return rc ? rc : status;
}

/* start/state/kill/delete/pause/resume share: [flags] CONTAINER_ID [extra]. */
static int simple_help(const char *cmd, const char *usage, const char *what, const char *opts) {
    printf("Usage: brig [GLOBAL FLAGS] %s %s\n\n%s\n\nOptions:\n%s  -h, --help    show this help\n\n" EXIT_CODES_HELP,
           cmd, usage, what, opts);
    return 0;
}

int cmd_start(int argc, char **argv) {
    static const struct option lo[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+h", lo, "start")) != -1) {
        if (c == 'h') return simple_help("start", "CONTAINER_ID", "Start a created container: its init runs the process of config.json.", "");
        return BRIG_EXIT_USAGE;
    }
    if (optind != argc - 1) return brig_usage_error("start", "expected exactly one CONTAINER_ID");
    int rc = rt_check_globals("start");
    if (rc) return rc;
    return rt_report(rt_container_start(argv[optind]));
}

int cmd_state(int argc, char **argv) {
    static const struct option lo[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+h", lo, "state")) != -1) {
        if (c == 'h') return simple_help("state", "CONTAINER_ID", "Print the container's OCI state as JSON (status: created, running, paused, stopped).", "");
        return BRIG_EXIT_USAGE;
    }
    if (optind != argc - 1) return brig_usage_error("state", "expected exactly one CONTAINER_ID");
    int rc = rt_check_globals("state");
    if (rc) return rc;
    rt_state *st;
    if ((rc = rt_state_load(argv[optind], &st))) return rt_report(rc);
    char *j = rt_state_json(st, rt_state_status(st));
    printf("%s\n", j);
    free(j);
    rt_state_free(st);
    return 0;
}

int cmd_kill(int argc, char **argv) {
    static const struct option lo[] = { { "all", no_argument, 0, 'a' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    bool all = false;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+ah", lo, "kill")) != -1) {
        if (c == 'h') return simple_help("kill", "[--all] CONTAINER_ID [SIGNAL]",
                                         "Send SIGNAL (name or number, default SIGTERM) to the container's init.",
                                         "  -a, --all     signal every process in the container's cgroup\n");
        if (c == 'a') { all = true; continue; }
        return BRIG_EXIT_USAGE;
    }
    if (optind != argc - 1 && optind != argc - 2) return brig_usage_error("kill", "expected CONTAINER_ID [SIGNAL]");
    int sig = optind == argc - 2 ? rt_parse_signal(argv[optind + 1]) : SIGTERM;
    if (sig < 0) return brig_usage_error("kill", "'%s' is not a signal name or number", argv[optind + 1]);
    int rc = rt_check_globals("kill");
    if (rc) return rc;
    rt_state *st;
    if ((rc = rt_state_load(argv[optind], &st))) return rt_report(rc);
    const char *status = rt_state_status(st);
    if (!strcmp(status, "stopped")) {
        rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' is not running", st->id);
    } else if (all && st->cgroup_path) {
        rt_cgroup *cg;
        pid_t *pids; size_t n;
        if ((rc = rt_cgroup_open(st->cgroup_path, &cg)) == 0) {
            if ((rc = rt_cgroup_pids(cg, &pids, &n)) == 0) {
                for (size_t i = 0; i < n; i++) kill(pids[i], sig);
                free(pids);
            }
            /* A stopped process would never see SIGTERM; wake frozen ones too. */
            if (rc == 0 && !strcmp(status, "paused") && (sig == SIGKILL || sig == SIGTERM)) rt_cgroup_freeze(cg, false);
            rt_cgroup_free(cg);
        }
    } else if (kill(st->pid, sig) != 0) {
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot send signal %d to container '%s' (pid %d)", sig, st->id, (int)st->pid);
    }
    rt_state_free(st);
    return rt_report(rc);
}

int cmd_delete(int argc, char **argv) {
    static const struct option lo[] = { { "force", no_argument, 0, 'f' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    bool force = false;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+fh", lo, "delete")) != -1) {
        if (c == 'h') return simple_help("delete", "[--force] CONTAINER_ID",
                                         "Delete a stopped or created container: poststop hooks, cgroup and state are removed.",
                                         "  -f, --force   kill a running container (SIGKILL) before deleting it;\n"
                                         "                a container that does not exist is not an error\n");
        if (c == 'f') { force = true; continue; }
        return BRIG_EXIT_USAGE;
    }
    if (optind != argc - 1) return brig_usage_error("delete", "expected exactly one CONTAINER_ID");
    int rc = rt_check_globals("delete");
    if (rc) return rc;
    return rt_report(rt_container_delete(argv[optind], force));
}
