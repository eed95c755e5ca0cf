/* OCI hooks: each is executed with the container state JSON on stdin and
 * killed when its timeout expires.  A failing prestart/createRuntime/
 * createContainer/startContainer hook aborts the container; poststart and
 * poststop failures are only warnings (runtime-spec "Lifecycle"). */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/fileio.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int run_one(const rt_hook *h, const char *phase, size_t idx, const char *state) {
    int in[2];
    if (pipe2(in, O_CLOEXEC) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "hooks.%s[%zu]: pipe", phase, idx);
    pid_t pid = fork();
    if (pid < 0) { close(in[0]); close(in[1]); return brig_fail_errno(BRIG_EXIT_SYSTEM, "hooks.%s[%zu]: fork", phase, idx); }
    if (pid == 0) {
        dup2(in[0], 0);
        /* The hook must not inherit the runtime's descriptors either. */
        rt_close_fds_except(2);
        char *const noargs[] = { h->path, NULL };
        char *const noenv[] = { NULL };
        execve(h->path, h->args && h->args[0] ? h->args : noargs, h->env ? h->env : noenv);
        fprintf(stderr, "brig: error: hooks.%s[%zu]: cannot execute %s: %s\n", phase, idx, h->path, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    /* The hook may not read stdin at all: ignore EPIPE. */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    (void)brig_write_all(in[1], state, strlen(state));
    close(in[1]);
    signal(SIGPIPE, old);
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int status = 0;
    if (h->timeout > 0 && pfd >= 0) {
        struct pollfd pf = { pfd, POLLIN, 0 };
        int r;
        do r = poll(&pf, 1, h->timeout * 1000); while (r < 0 && errno == EINTR);
        if (r == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            close(pfd);
            return brig_fail(BRIG_EXIT_SYSTEM, "hooks.%s[%zu] (%s) timed out after %d s and was killed", phase, idx, h->path, h->timeout);
        }
    }
    if (pfd >= 0) close(pfd);
    while (waitpid(pid, &status, 0) < 0) if (errno != EINTR) return brig_fail_errno(BRIG_EXIT_SYSTEM, "hooks.%s[%zu]: wait", phase, idx);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFSIGNALED(status))
        return brig_fail(BRIG_EXIT_SYSTEM, "hooks.%s[%zu] (%s) was killed by signal %d", phase, idx, h->path, WTERMSIG(status));
    return brig_fail(BRIG_EXIT_SYSTEM, "hooks.%s[%zu] (%s) failed with exit status %d", phase, idx, h->path, WEXITSTATUS(status));
}

int rt_hooks_run(const rt_spec *s, int phase, const char *state_json) {
    for (size_t i = 0; i < s->n_hooks[phase]; i++) {
        int rc = run_one(&s->hooks[phase][i], rt_hook_names[phase], i, state_json);
        if (rc == 0) continue;
        if (phase == RT_HOOK_POSTSTART || phase == RT_HOOK_POSTSTOP) {
            brig_warn("%s", brig_errmsg());
            rt_log("warning", "%s", brig_errmsg());
            brig_err_clear();
            continue;
        }
        return rc;
    }
    return 0;
}
