/* `exec`: run one more process inside a created or running container.
 * brig (already re-executed from a read-only or sealed copy) becomes a child subreaper,
 * forks a helper that joins the init's namespaces, and the helper forks the
 * process itself so that it lands inside the container's pid namespace.  The
 * helper reports the process's host pid; we put it into the container's
 * cgroup before letting it continue to finalize + execve. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int send_msg(int fd, char t, const void *d, size_t n) {
    char b[4096 + 8];
    if (n > 4096) n = 4096;
    b[0] = t;
    memcpy(b + 1, d, n);
    return send(fd, b, n + 1, MSG_NOSIGNAL) == (ssize_t)(n + 1) ? 0 : -1;
}

static void child_error(int fd, int code) {
    strbuf sb = STRBUF_INIT;
    sb_add(&sb, &code, sizeof code);
    sb_adds(&sb, brig_errmsg());
    send_msg(fd, 'E', sb.buf, sb.len);
    sb_free(&sb);
    _exit(code);
}

static int join_ns(pid_t pid) {
    static const int order[] = { RT_NS_CGROUP, RT_NS_IPC, RT_NS_UTS, RT_NS_NET, RT_NS_PID, RT_NS_MNT, RT_NS_USER };
    int fds[RT_NS_COUNT];
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int t = order[i];
        char p[64], q[64];
        snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)pid, rt_ns_proc_name(t));
        snprintf(q, sizeof q, "/proc/self/ns/%s", rt_ns_proc_name(t));
        struct stat a, b;
        fds[t] = -1;
        if (stat(p, &a) != 0 || stat(q, &b) != 0 || (a.st_ino == b.st_ino && a.st_dev == b.st_dev)) continue;
        fds[t] = open(p, O_RDONLY | O_CLOEXEC);
        if (fds[t] < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s", p);
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int t = order[i];
        if (fds[t] < 0) continue;
        if (setns(fds[t], rt_ns_clone_flag(t)) != 0)
            return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot join the container's %s namespace", rt_ns_proc_name(t));
        close(fds[t]);
    }
    return 0;
}

int rt_exec_process(rt_state *st, rt_spec *s, rt_process *p, const char *console_socket,
                    const char *pid_file, int preserve_fds, bool detach) {
    int rc, sv[2], console = -1;
    if (!p->n_args) return brig_fail(BRIG_EXIT_USAGE, "exec: no command given");
    if ((rc = rt_rlimits_check(p))) return rc;
    /* --tty without --console-socket: relay the pty ourselves (foreground only). */
    int relay[2] = { -1, -1 };
    if (p->terminal && !console_socket) {
        if (detach) return brig_fail(BRIG_EXIT_USAGE, "exec --tty --detach needs --console-socket");
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, relay) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "socketpair");
        console = relay[1];
    }
    if (p->terminal && console_socket && (rc = rt_console_connect(console_socket, &console))) return rc;
    rt_bpf bpf = { 0 };
    if (s && s->seccomp && (rc = rt_seccomp_compile(s->seccomp, s->path, &bpf))) return rc;
    /* SCMP_ACT_NOTIFY: like runc, every exec'd process gets its own listener
     * fd, sent to the agent on a new connection made here (see seccomp.c). */
    if (s && s->seccomp && (rc = rt_seccomp_listener_connect(s->seccomp, &bpf, s->path))) { rt_bpf_free(&bpf); return rc; }
    char *state_json = bpf.len && bpf.listener >= 0 ? rt_state_json(st, st->status ? st->status : rt_state_status(st)) : NULL;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        rt_bpf_free(&bpf); free(state_json);
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "socketpair");
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    fflush(NULL);
    pid_t helper = fork();
    if (helper < 0) {
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "fork");
        close(sv[0]); close(sv[1]); rt_bpf_free(&bpf); free(state_json);
        return rc;
    }
    if (helper == 0) {
        close(sv[0]);
        /* Until execve, nobody in the container may ptrace us or open our
         * /proc/PID/fd (host descriptors, the seccomp agent socket): CVE-2016-9962. */
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        if ((rc = join_ns(st->pid))) child_error(sv[1], rc);
        if (st->userns && (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0)) {
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot become root in the container's user namespace");
            child_error(sv[1], rc);
        }
        pid_t c = fork();
        if (c < 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "fork inside the container"); child_error(sv[1], rc); }
        if (c > 0) { send_msg(sv[1], 'P', &c, sizeof c); _exit(0); }
        /* 'G' + our pid as the runtime sees it (for the seccomp agent). */
        char b[16];
        pid_t hostpid;
        if (recv(sv[1], b, sizeof b, 0) != (ssize_t)(1 + sizeof hostpid) || b[0] != 'G') _exit(1);
        memcpy(&hostpid, b + 1, sizeof hostpid);
        if (state_json) bpf.notify_msg = rt_seccomp_notify_state(s->seccomp, state_json, NULL, hostpid);
        char *exe = NULL;
        int cwdfd = -1;
        if (p->terminal && (rc = rt_console_setup(console, 0, 0))) child_error(sv[1], rc);
        if (console >= 0) close(console);
        if ((rc = rt_find_exec(p, &exe))) child_error(sv[1], rc);
        if ((rc = rt_open_cwd(p, &cwdfd))) child_error(sv[1], rc);
        /* sv[1] is close-on-exec: EOF on the other side means execve succeeded. */
        rc = rt_finalize_exec(p, &bpf, s ? s->path : "exec", preserve_fds, exe, cwdfd);
        child_error(sv[1], rc);
    }
    close(sv[1]);
    if (console >= 0) close(console);
    char buf[4200];
    pid_t pid = -1;
    rc = 0;
    ssize_t n = recv(sv[0], buf, sizeof buf, 0);
    waitpid(helper, NULL, 0);
    if (n == (ssize_t)(1 + sizeof(pid_t)) && buf[0] == 'P') memcpy(&pid, buf + 1, sizeof pid);
    else if (n > (ssize_t)sizeof(int) && buf[0] == 'E') {
        int code; memcpy(&code, buf + 1, sizeof code); buf[n] = 0;
        rc = brig_fail(code, "%s", buf + 1 + sizeof code);
    } else rc = brig_fail(BRIG_EXIT_SYSTEM, "exec: the helper process failed before reporting");
    if (rc == 0 && st->cgroup_path) {
        rt_cgroup *cg;
        if ((rc = rt_cgroup_open(st->cgroup_path, &cg)) == 0) { rc = rt_cgroup_add_pid(cg, pid); rt_cgroup_free(cg); }
    }
    if (rc == 0) {
        char g[1 + sizeof pid];
        g[0] = 'G';
        memcpy(g + 1, &pid, sizeof pid);
        send(sv[0], g, sizeof g, MSG_NOSIGNAL);
        n = recv(sv[0], buf, sizeof buf - 1, 0);
        if (n > (ssize_t)sizeof(int) && buf[0] == 'E') {
            int code; memcpy(&code, buf + 1, sizeof code); buf[n] = 0;
            rc = brig_fail(code, "%s", buf + 1 + sizeof code);
        }
    } else if (pid > 0) kill(pid, SIGKILL);
    close(sv[0]);
    rt_bpf_free(&bpf);
    free(state_json);
    if (rc) { if (pid > 0) waitpid(pid, NULL, 0); if (relay[0] >= 0) close(relay[0]); return rc; }
    if (pid_file && (rc = rt_write_pid_file(pid_file, pid))) return rc;
    if (detach) return 0;
    if (relay[0] >= 0) {
        if ((rc = rt_console_relay(relay[0], pid))) brig_warn("%s", brig_errmsg());
        close(relay[0]);
    }
    return rt_wait_exit(pid);
}
