/* The last steps before a container process runs, shared by the container's
 * init and `exec`: rlimits, descriptor hygiene, user switch, capabilities,
 * no_new_privs, seccomp, a cwd that provably lies inside the root, execve.
 * Order matters: seccomp without no_new_privs must be loaded while we still
 * hold CAP_SYS_ADMIN; with no_new_privs it goes last, just before execve, so
 * the profile only has to allow execve itself. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Resolve argv[0] like execvp, inside the (already pivoted) root.  Returns an
 * exit code: 127 not found, 126 not executable. */
int rt_find_exec(const rt_process *p, char **out) {
    const char *a0 = p->args[0];
    *out = NULL;
    if (strchr(a0, '/')) {
        struct stat st;
        /* Lower case as in runc: Docker and Podman turn an error containing the path
         * and "no such file or directory" into exit 127 (command not found). */
        if (stat(a0, &st) != 0)
            return errno == ENOENT ? brig_fail(BRIG_EXIT_RUN_NOTFOUND, "process.args[0] '%s': no such file or directory", a0)
                                   : brig_fail_errno(BRIG_EXIT_RUN_NOTFOUND, "process.args[0] '%s'", a0);
        if (S_ISDIR(st.st_mode) || access(a0, X_OK) != 0)
            return brig_fail(BRIG_EXIT_RUN_NOEXEC, "process.args[0] %s: is not an executable file", a0);
        *out = xstrdup(a0);
        return 0;
    }
    const char *path = DEFAULT_PATH;
    for (size_t i = 0; i < p->n_env; i++) if (!strncmp(p->env[i], "PATH=", 5)) path = p->env[i] + 5;
    bool noexec = false;
    for (const char *s = path; ; ) {
        const char *e = strchrnul(s, ':');
        char *cand = xasprintf("%.*s/%s", (int)(e - s), e == s ? "." : s, a0);
        struct stat st;
        if (e == s) { free(cand); cand = xasprintf("./%s", a0); }
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(cand, X_OK) == 0) { *out = cand; return 0; }
            noexec = true;
        }
        free(cand);
        if (!*e) break;
        s = e + 1;
    }
    if (noexec) return brig_fail(BRIG_EXIT_RUN_NOEXEC, "process.args[0] '%s': found in $PATH but not executable", a0);
    return brig_fail(BRIG_EXIT_RUN_NOTFOUND, "process.args[0] '%s': executable file not found in $PATH (%s)", a0, path);
}

/* Opens the cwd (creating it if missing, as runc does) while still privileged.
 * RESOLVE_IN_ROOT keeps it inside the root and RESOLVE_NO_MAGICLINKS refuses
 * /proc/self/fd/N, the CVE-2024-21626 way of escaping to a leaked host fd. */
int rt_open_cwd(const rt_process *p, int *fd) {
    /* A working directory on procfs is never legitimate and is how a leaked
     * descriptor would be reached; refuse it before resolving anything. */
    const char *c = p->cwd;
    while (*c == '/' || (c[0] == '.' && (c[1] == '/' || !c[1]))) c++;
    if (!strncmp(c, "proc", 4) && (c[4] == '/' || !c[4]))
        return brig_fail(BRIG_EXIT_UNSAFE, "process.cwd '%s' is inside /proc; refused (CVE-2024-21626)", p->cwd);
    int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "open /");
    int f = rt_open_in_root(rootfd, p->cwd, O_DIRECTORY, true, false);
    int e = errno;
    close(rootfd);
    if (f < 0) {
        if (e == ELOOP || e == EXDEV)
            return brig_fail(BRIG_EXIT_UNSAFE, "process.cwd '%s' goes through a /proc magic link or leaves the container root; refused (CVE-2024-21626)", p->cwd);
        return brig_fail_context(BRIG_EXIT_SYSTEM, "process.cwd");
    }
    struct statfs sf;
    if (fstatfs(f, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC) {
        close(f);
        return brig_fail(BRIG_EXIT_UNSAFE, "process.cwd '%s' resolves into /proc; refused (CVE-2024-21626)", p->cwd);
    }
    *fd = f;
    return 0;
}

static int enter_cwd(const rt_process *p, int cwdfd) {
    if (fchdir(cwdfd) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "process.cwd %s: cannot change into it", p->cwd);
    close(cwdfd);
    char buf[4096];
    if (!getcwd(buf, sizeof buf))
        return brig_fail_errno(BRIG_EXIT_UNSAFE, "process.cwd %s: is not reachable from the container root; refused (CVE-2024-21626)", p->cwd);
    return 0;
}

int rt_finalize_exec(const rt_process *p, const rt_bpf *seccomp, const char *where, int preserve_fds, const char *exe, int cwdfd) {
    int rc;
    if ((rc = rt_rlimits_apply(p))) return rc;
    if ((rc = rt_close_fds_except(2 + preserve_fds))) return rc;
    if (seccomp && seccomp->len && !p->no_new_privs && (rc = rt_seccomp_apply(seccomp, where))) return rc;
    if ((rc = rt_caps_apply_bounding(p))) return rc;
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "PR_SET_KEEPCAPS");
    if (setgroups(p->n_add_gids, p->add_gids) != 0 && !(errno == EPERM && p->n_add_gids == 0))
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "process.user.additionalGids: setgroups");
    if (setresgid(p->gid, p->gid, p->gid) != 0)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "process.user.gid %u: setresgid (is it mapped in the user namespace?)", p->gid);
    if (setresuid(p->uid, p->uid, p->uid) != 0)
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "process.user.uid %u: setresuid (is it mapped in the user namespace?)", p->uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "PR_SET_KEEPCAPS");
    if ((rc = enter_cwd(p, cwdfd))) return rc;
    if ((rc = rt_caps_apply(p))) return rc;
    umask((mode_t)(p->umask >= 0 ? p->umask : 022));
    if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "PR_SET_NO_NEW_PRIVS");
    if (seccomp && seccomp->len && p->no_new_privs && (rc = rt_seccomp_apply(seccomp, where))) return rc;
    char *const empty[] = { NULL };
    execve(exe, p->args, p->env ? p->env : empty);
    int e = errno;
    errno = e;
    return brig_fail_errno(e == ENOENT ? BRIG_EXIT_RUN_NOTFOUND : BRIG_EXIT_RUN_NOEXEC, "cannot execute %s", exe);
}
