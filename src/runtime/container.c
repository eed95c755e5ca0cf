/* Container creation.  The parent (brig, already running from a read-only or sealed copy)
 * clone()s the container init with new namespaces and drives it over a
 * SOCK_SEQPACKET pair:
 *
 *   parent                                   init (child)
 *   write uid/gid maps, create+join cgroup
 *   'G' + state JSON  ─────────────────────▶ setns/unshare cgroup, mounts, /dev
 *                     ◀───────────────────── 'H'  (ready for runtime hooks)
 *   prestart + createRuntime hooks
 *   'h'               ─────────────────────▶ createContainer hooks, pivot_root,
 *                                            masks, sysctl, hostname, console
 *                     ◀───────────────────── 'C'  (or 'E' code+message at any step)
 *   write state.json, exit                   block on exec.fifo until `start`,
 *                                            startContainer hooks, finalize, execve
 *
 * SCMP_ACT_NOTIFY: the parent connects to linux.seccomp.listenerPath before
 * clone(); the init inherits that socket and, in finalize, sends the notify fd
 * and the containerProcessState to the agent itself (seccomp.c).
 */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/keyctl.h>

#define SYNC_MAX (256 * 1024)

static int sync_send(int fd, char type, const void *data, size_t n) {
    char *b = xmalloc(n + 1);
    b[0] = type;
    if (n) memcpy(b + 1, data, n);
    ssize_t w;
    do w = send(fd, b, n + 1, MSG_NOSIGNAL); while (w < 0 && errno == EINTR);
    free(b);
    return w == (ssize_t)(n + 1) ? 0 : -1;
}

/* Returns payload length, -1 on error; *type = 0 on EOF. */
static ssize_t sync_recv(int fd, char *type, char *buf, size_t cap) {
    ssize_t r;
    do r = recv(fd, buf, cap - 1, 0); while (r < 0 && errno == EINTR);
    if (r <= 0) { *type = 0; return r < 0 ? -1 : 0; }
    *type = buf[0];
    memmove(buf, buf + 1, (size_t)r - 1);
    buf[r - 1] = 0;
    return r - 1;
}

static int sync_error(int fd, int code) {
    const char *m = brig_errmsg();
    strbuf sb = STRBUF_INIT;
    sb_add(&sb, &code, sizeof code);
    sb_adds(&sb, m[0] ? m : "container init failed");
    sync_send(fd, 'E', sb.buf, sb.len);
    sb_free(&sb);
    return code;
}

/* ---------------- child side ---------------- */

typedef struct {
    rt_spec *s;
    const rt_create_opts *o;
    int sync, fifo, console, rootfd;
    const rt_bpf *bpf;
} init_args;

static int loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "socket for lo");
    struct ifreq ifr = { 0 };
    strcpy(ifr.ifr_name, "lo");
    int rc = 0;
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "lo: SIOCGIFFLAGS");
    else if (!(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot bring up the loopback interface");
    }
    close(s);
    return rc;
}

static int join_path_namespaces(const rt_spec *s) {
    /* User namespace last: once inside it we lose the host privileges needed
     * to enter namespaces owned by the host. */
    static const int order[] = { RT_NS_NET, RT_NS_IPC, RT_NS_UTS, RT_NS_MNT, RT_NS_CGROUP, RT_NS_USER };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int t = order[i];
        if (!s->ns[t].present || !s->ns[t].path) continue;
        int fd = open(s->ns[t].path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return brig_fail_errno(BRIG_EXIT_INPUT, "linux.namespaces %s path %s", rt_ns_proc_name(t), s->ns[t].path);
        if (setns(fd, rt_ns_clone_flag(t)) != 0) {
            int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot join the %s namespace %s", rt_ns_proc_name(t), s->ns[t].path);
            close(fd); return rc;
        }
        close(fd);
    }
    return 0;
}

static int init_setup(init_args *a, char **state_json) {
    rt_spec *s = a->s;
    char *buf = xmalloc(SYNC_MAX);
    char type;
    int rc = 0;
    bool new_userns = s->ns[RT_NS_USER].present && !s->ns[RT_NS_USER].path;
    if (sync_recv(a->sync, &type, buf, SYNC_MAX) < 0 || type != 'G') { free(buf); return brig_fail(BRIG_EXIT_SYSTEM, "lost the runtime during setup"); }
    *state_json = xstrdup(buf);
    if ((rc = join_path_namespaces(s))) goto out;
    if (s->ns[RT_NS_CGROUP].present && !s->ns[RT_NS_CGROUP].path && unshare(CLONE_NEWCGROUP) != 0) {
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot create the cgroup namespace");
        goto out;
    }
    umask(0);
    if (!s->ns[RT_NS_MNT].present) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: a mount namespace is required (add {\"type\":\"mount\"})", s->path); goto out; }
    /* Still the host's root (unmapped) but with full capabilities in the new
     * user namespace: the rootfs may sit below a directory only host root can
     * traverse (e.g. ~/.cache of root), so bind it and keep a descriptor. */
    int rootfd = -1;
    if ((rc = rt_prepare_rootfs(s, &rootfd))) goto out;
    a->rootfd = rootfd;
    if (new_userns) {
        /* Become root of the new namespace (host uid from the mapping). */
        if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) {
            rc = brig_fail_errno(BRIG_EXIT_INPUT, "cannot become root in the new user namespace; linux.uidMappings/gidMappings must map container id 0");
            goto out;
        }
        setgroups(0, NULL);
    }
    if ((rc = rt_setup_rootfs(s, rootfd, new_userns || s->ns[RT_NS_USER].path))) goto out;
    if (sync_send(a->sync, 'H', NULL, 0) != 0 || sync_recv(a->sync, &type, buf, SYNC_MAX) < 0 || type != 'h') {
        rc = brig_fail(BRIG_EXIT_SYSTEM, "runtime hooks failed or the runtime went away");
        goto out;
    }
    if ((rc = rt_hooks_run(s, RT_HOOK_CREATE_CONTAINER, *state_json))) goto out;
    /* The fifo is reopened through our own fd table later; keep a handle on
     * this procfs, the container's /proc may not exist. */
    if ((rc = rt_pivot_root(a->rootfd, a->o->no_pivot))) goto out;
    close(a->rootfd);
    a->rootfd = -1;
    /* sysctls before /proc/sys becomes read-only (readonlyPaths). */
    if ((rc = rt_sysctl_apply(s))) goto out;
    if ((rc = rt_finish_rootfs(s))) goto out;
    if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "sethostname %s", s->hostname); goto out; }
    if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "setdomainname"); goto out; }
    if (s->ns[RT_NS_NET].present && !s->ns[RT_NS_NET].path && (rc = loopback_up())) goto out;
    if (s->proc.has_oom) {
        char v[16];
        snprintf(v, sizeof v, "%d", s->proc.oom_score_adj);
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, v, strlen(v)) < 0) {
            rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "process.oomScoreAdj %d: cannot set", s->proc.oom_score_adj);
            if (fd >= 0) close(fd);
            goto out;
        }
        close(fd);
    }
    if (!a->o->no_new_keyring) {
        /* A fresh session keyring, so the container cannot read the host's keys. */
        char name[64];
        snprintf(name, sizeof name, "_ses.%.50s", a->o->id);
        if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name) < 0 && errno != ENOSYS && errno != EPERM && errno != EACCES)
            brig_debug("cannot create a session keyring: %s", strerror(errno));
    }
    if (s->proc.terminal) {
        if (a->console < 0) { rc = brig_fail(BRIG_EXIT_USAGE, "process.terminal is true but no --console-socket was given"); goto out; }
        if ((rc = rt_console_setup(a->console, s->proc.console_w, s->proc.console_h))) goto out;
        close(a->console);
        a->console = -1;
    }
out:
    free(buf);
    return rc;
}

static int wait_for_start(init_args *a, int procfd) {
    char name[32];
    /* Reopen the O_PATH fifo through the container's own /proc when it has
     * one, so no descriptor of the host's procfs is held while we wait. */
    int w;
    if (procfd < 0) {
        snprintf(name, sizeof name, "/proc/self/fd/%d", a->fifo);
        w = open(name, O_WRONLY | O_CLOEXEC);   /* blocks until `start` opens the read side */
    } else {
        snprintf(name, sizeof name, "%d", a->fifo);
        w = openat(procfd, name, O_WRONLY | O_CLOEXEC);
    }
    if (w < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "exec.fifo: cannot open for writing");
    if (write(w, "0", 1) != 1) { close(w); return brig_fail_errno(BRIG_EXIT_SYSTEM, "exec.fifo: write"); }
    close(w);
    close(a->fifo);
    if (procfd >= 0) close(procfd);
    return 0;
}

static int container_init(init_args *a) {
    rt_spec *s = a->s;
    char *state = NULL;
    /* Not dumpable until execve (which resets it): between create and start the
     * init holds host descriptors (the seccomp agent socket) that a ptrace or
     * pidfd_getfd from the container must not reach (CVE-2016-9962). */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    /* A container without its own /proc: hold the host's /proc/self/fd before
     * pivot_root hides it (only then; it would be a way out while we wait). */
    bool has_proc = false;
    for (size_t i = 0; i < s->n_mounts; i++)
        if (!strcmp(s->mounts[i].dest, "/proc") && s->mounts[i].type && !strcmp(s->mounts[i].type, "proc")) has_proc = true;
    int procfd = -1;
    if (!has_proc && (procfd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
        brig_fail_errno(BRIG_EXIT_SYSTEM, "/proc/self/fd");
        return sync_error(a->sync, BRIG_EXIT_SYSTEM);
    }
    int rc = init_setup(a, &state);
    char *exe = NULL;
    int cwdfd = -1;
    if (rc == 0) rc = rt_find_exec(&s->proc, &exe);
    if (rc == 0) rc = rt_open_cwd(&s->proc, &cwdfd);
    if (rc) { free(state); return sync_error(a->sync, rc); }
    sync_send(a->sync, 'C', NULL, 0);
    close(a->sync);
    if ((rc = wait_for_start(a, procfd))) goto fail;
    if (s->n_hooks[RT_HOOK_START_CONTAINER]) {
        /* `start` was called: the hooks see the container as created. */
        json_t *sj = json_loads(state, 0, NULL);
        if (sj) {
            json_object_set_new(sj, "status", json_string("created"));
            char *t = json_dumps(sj, JSON_INDENT(2));
            json_decref(sj);
            if (t) { free(state); state = t; }
        }
        if ((rc = rt_hooks_run(s, RT_HOOK_START_CONTAINER, state))) goto fail;
    }
    /* Our copy of the filter carries the containerProcessState for the
     * seccomp agent (pid is ours as the runtime sees it, from 'G'). */
    {
        rt_bpf bpf = *a->bpf;
        bpf.notify_msg = NULL;
        if (bpf.len && bpf.listener >= 0) bpf.notify_msg = rt_seccomp_notify_state(s->seccomp, state, "running", 0);
        free(state);
        state = NULL;
        rc = rt_finalize_exec(&s->proc, &bpf, s->path, a->o->preserve_fds, exe, cwdfd);
        free(bpf.notify_msg);
    }
fail:
    free(state);
    fprintf(stderr, "brig: error: %s\n", brig_errmsg());
    return rc ? rc : 1;
}

/* ---------------- parent side ---------------- */

static int write_map(pid_t pid, const char *file, const rt_idmap *m, size_t n) {
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) sb_addf(&sb, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/%s", (int)pid, file);
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    int rc = 0;
    if (fd < 0 || write(fd, sb.buf, sb.len) != (ssize_t)sb.len)
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "linux.%s: cannot write %s (overlapping or invalid ranges?)",
                             strcmp(file, "uid_map") ? "gidMappings" : "uidMappings", p);
    if (fd >= 0) close(fd);
    sb_free(&sb);
    return rc;
}

static char *now_rfc3339(void) {
    struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm; gmtime_r(&ts.tv_sec, &tm);
    return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

int rt_write_pid_file(const char *path, pid_t pid) {
    char b[24];
    int n = snprintf(b, sizeof b, "%d", (int)pid);
    char *abs = path[0] == '/' ? xstrdup(path) : NULL;
    if (!abs) { char cwd[4096]; abs = xasprintf("%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", path); }
    int rc = brig_write_file_replace(abs, b, (size_t)n, 0644);
    free(abs);
    return rc;
}

int rt_container_create(const rt_create_opts *o, rt_spec *s, pid_t *init_pid) {
    int rc;
    *init_pid = 0;
    if ((rc = rt_valid_id(o->id))) return rc;
    if (!s->proc.args || !s->proc.n_args) return brig_fail(BRIG_EXIT_INPUT, "%s: process.args must name the program to run", s->path);
    if ((rc = rt_rlimits_check(&s->proc))) return rc;
    if ((rc = rt_sysctl_check(s))) return rc;
    rt_bpf bpf = { 0 };
    if (s->ns[RT_NS_TIME].present) return brig_fail(BRIG_EXIT_NOTIMPL, "%s: time namespaces are not supported by brig", s->path);
    if (s->ns[RT_NS_PID].present && s->ns[RT_NS_PID].path && o->foreground)
        return brig_fail(BRIG_EXIT_NOTIMPL, "joining an existing pid namespace is only supported with create/start, not run");
    if (s->proc.terminal && !o->console_socket && o->console_fd <= 0)
        return brig_fail(BRIG_EXIT_USAGE, "process.terminal is true: give --console-socket (or set terminal to false)");
    if ((rc = brig_mkdir_p(rt_root(), 0700))) return rc;
    char *dir = rt_state_dir(o->id);
    if (mkdir(dir, 0700) != 0) {
        rc = errno == EEXIST ? brig_fail(BRIG_EXIT_INPUT, "container '%s' already exists", o->id)
                             : brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create the state directory", dir);
        free(dir); return rc;
    }
    int lockfd = -1, fifo = -1, console = -1, sv[2] = { -1, -1 };
    pid_t pid = -1;
    rt_cgroup *cg = NULL;
    char *buf = xmalloc(SYNC_MAX), *fifo_path = xasprintf("%s/exec.fifo", dir), *created = now_rfc3339();
    rt_state st = { .id = (char *)o->id, .bundle = s->bundle, .created = created, .cgroup_path = s->cgroups_path,
                    .annotations = s->annotations, .userns = s->ns[RT_NS_USER].present };
    if ((rc = rt_state_lock(o->id, &lockfd))) goto fail;
    if (s->seccomp && (rc = rt_seccomp_compile(s->seccomp, s->path, &bpf))) goto fail;
    /* SCMP_ACT_NOTIFY: connect to the seccomp agent now, in the host's mount
     * namespace; the init inherits the socket and sends the notify fd on it. */
    if (s->seccomp && (rc = rt_seccomp_listener_connect(s->seccomp, &bpf, s->path))) goto fail;
    /* 0622 regardless of umask: the init may be an unprivileged id of a user namespace. */
    if (mkfifo(fifo_path, 0622) != 0 || chmod(fifo_path, 0622) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: mkfifo", fifo_path); goto fail; }
    if ((fifo = open(fifo_path, O_PATH | O_CLOEXEC)) < 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: open", fifo_path); goto fail; }
    if (o->console_fd > 0 && s->proc.terminal) { console = fcntl(o->console_fd, F_DUPFD_CLOEXEC, 3); if (console < 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "dup console socket"); goto fail; } }
    else if (o->console_socket && s->proc.terminal && (rc = rt_console_connect(o->console_socket, &console))) goto fail;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "socketpair"); goto fail; }
    if (s->ns[RT_NS_PID].present && s->ns[RT_NS_PID].path) {
        int nfd = open(s->ns[RT_NS_PID].path, O_RDONLY | O_CLOEXEC);
        if (nfd < 0 || setns(nfd, CLONE_NEWPID) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot join pid namespace %s", s->ns[RT_NS_PID].path); if (nfd >= 0) close(nfd); goto fail; }
        close(nfd);
    }
    unsigned long flags = 0;
    for (int t = 0; t < RT_NS_COUNT; t++)
        if (t != RT_NS_CGROUP && t != RT_NS_TIME && s->ns[t].present && !s->ns[t].path) flags |= (unsigned long)rt_ns_clone_flag(t);
    fflush(NULL);
    pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "clone with the requested namespaces"); goto fail; }
    if (pid == 0) {
        close(sv[0]);
        close(lockfd);   /* flock is per open file: our copy would block `start` */
        init_args a = { s, o, sv[1], fifo, console, -1, &bpf };
        _exit(container_init(&a));
    }
    close(sv[1]); sv[1] = -1;
    if (console >= 0) { close(console); console = -1; }
    if (s->ns[RT_NS_USER].present && !s->ns[RT_NS_USER].path) {
        if ((rc = write_map(pid, "gid_map", s->gid_maps, s->n_gid_maps))) goto fail;
        if ((rc = write_map(pid, "uid_map", s->uid_maps, s->n_uid_maps))) goto fail;
    }
    if (s->cgroups_path) {
        if ((rc = rt_cgroup_create(s->cgroups_path, s->resources, o->id, &cg))) goto fail;
        if ((rc = rt_cgroup_add_pid(cg, pid))) goto fail;
    } else if (s->resources && json_object_size(s->resources)) {
        /* Limits without a place to put them would be silently ignored. */
        bool only_devices = json_object_size(s->resources) == 1 && json_object_get(s->resources, "devices");
        if (!only_devices) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: linux.resources needs linux.cgroupsPath to be applied", s->path); goto fail; }
    }
    st.pid = pid;
    char *sj = rt_state_json(&st, "creating");
    sync_send(sv[0], 'G', sj, strlen(sj));
    for (;;) {
        char type;
        ssize_t n = sync_recv(sv[0], &type, buf, SYNC_MAX);
        if (n < 0 || type == 0) {
            int status = 0;
            waitpid(pid, &status, 0);
            pid = -1;
            rc = brig_fail(BRIG_EXIT_SYSTEM, "the container init exited during setup (%s %d)",
                           WIFSIGNALED(status) ? "signal" : "status", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            break;
        }
        if (type == 'H') {
            rc = rt_hooks_run(s, RT_HOOK_PRESTART, sj);
            if (rc == 0) rc = rt_hooks_run(s, RT_HOOK_CREATE_RUNTIME, sj);
            sync_send(sv[0], rc ? 'e' : 'h', NULL, 0);
            if (rc) break;
        } else if (type == 'E' && n >= (ssize_t)sizeof(int)) {
            int code;
            memcpy(&code, buf, sizeof code);
            rc = brig_fail(code > 0 && code < 256 ? code : BRIG_EXIT_SYSTEM, "%s", buf + sizeof code);
            break;
        } else if (type == 'C') break;
        else { rc = brig_fail(BRIG_EXIT_SYSTEM, "unexpected message '%c' from the container init", type); break; }
    }
    free(sj);
    if (rc) goto fail;
    st.start_time = rt_proc_start_time(pid);
    if ((rc = rt_state_save(&st))) goto fail;
    if (o->pid_file && (rc = rt_write_pid_file(o->pid_file, pid))) goto fail;
    *init_pid = pid;
    rt_bpf_free(&bpf);
    close(sv[0]); close(fifo); close(lockfd);
    rt_cgroup_free(cg);
    free(buf); free(fifo_path); free(created); free(dir);
    return 0;
fail:
    rt_bpf_free(&bpf);
    if (pid > 0) { kill(pid, SIGKILL); waitpid(pid, NULL, 0); }
    if (cg) { rt_cgroup_destroy(cg); rt_cgroup_free(cg); }
    for (int i = 0; i < 2; i++) if (sv[i] >= 0) close(sv[i]);
    if (fifo >= 0) close(fifo);
    if (console >= 0) close(console);
    char save[4096];
    snprintf(save, sizeof save, "%s", brig_errmsg());
    brig_rm_rf(dir);
    if (lockfd >= 0) close(lockfd);
    brig_fail(rc, "%s", save);
    free(buf); free(fifo_path); free(created); free(dir);
    return rc;
}

int rt_wait_exit(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return brig_fail_errno(BRIG_EXIT_RUN_FAILED, "waiting for the container");
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return BRIG_EXIT_RUN_FAILED;
}

int rt_container_start(const char *id) {
    rt_state *st;
    int lockfd, rc;
    if ((rc = rt_state_load(id, &st))) return rc;
    if ((rc = rt_state_lock(id, &lockfd))) { rt_state_free(st); return rc; }
    const char *status = rt_state_status(st);
    if (strcmp(status, "created") != 0) {
        rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' is %s, not created; only a created container can be started", id, status);
        goto out;
    }
    char *fifo = xasprintf("%s/%s/exec.fifo", rt_root(), id);
    int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: open", fifo); free(fifo); goto out; }
    for (;;) {
        struct pollfd pf = { fd, POLLIN, 0 };
        int r = poll(&pf, 1, 100);
        if (r > 0 && (pf.revents & POLLIN)) {
            char c;
            ssize_t n = read(fd, &c, 1);
            if (n == 1) break;
        }
        if (!rt_pid_alive(st->pid, st->start_time)) {
            rc = brig_fail(BRIG_EXIT_SYSTEM, "container '%s' init exited before it could be started", id);
            break;
        }
        if (r > 0 && (pf.revents & POLLHUP)) { struct timespec ts = { 0, 10000000 }; nanosleep(&ts, NULL); }
    }
    close(fd);
    unlink(fifo);
    free(fifo);
    if (rc == 0) {
        rt_spec *s;
        char *cfg = xasprintf("%s", st->bundle);
        if (rt_spec_load(cfg, &s) == 0) {
            char *sj = rt_state_json(st, "running");
            rt_hooks_run(s, RT_HOOK_POSTSTART, sj);
            free(sj);
            rt_spec_free(s);
        }
        brig_err_clear();
        free(cfg);
    }
out:
    close(lockfd);
    rt_state_free(st);
    return rc;
}

int rt_container_delete(const char *id, bool force) {
    rt_state *st;
    int lockfd, rc;
    if ((rc = rt_state_load(id, &st))) {
        /* A half-created container (no state.json) can still be removed with --force. */
        char *d = rt_state_dir(id);
        if (force && rt_valid_id(id) == 0) {
            if (access(d, F_OK) == 0) rc = brig_rm_rf(d);
            /* Already gone: --force succeeds, as in runc and crun (containerd's shim
             * runs `delete --force` again when it cleans up after the container). */
            else if (errno == ENOENT) { brig_err_clear(); rc = 0; }
        }
        free(d);
        return rc;
    }
    if ((rc = rt_state_lock(id, &lockfd))) { rt_state_free(st); return rc; }
    const char *status = rt_state_status(st);
    rt_cgroup *cg = NULL;
    if (st->cgroup_path) rt_cgroup_open(st->cgroup_path, &cg);
    if (strcmp(status, "stopped") != 0) {
        if (!force && strcmp(status, "created") != 0) {
            rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' is %s; stop it first or use delete --force", id, status);
            goto out;
        }
        if (cg && !strcmp(status, "paused")) rt_cgroup_freeze(cg, false);
        kill(st->pid, SIGKILL);
    }
    /* Everything in the cgroup goes, not only the init (exec'd processes). */
    if (cg) {
        pid_t *pids; size_t n;
        if (rt_cgroup_pids(cg, &pids, &n) == 0) { for (size_t i = 0; i < n; i++) kill(pids[i], SIGKILL); free(pids); }
    }
    for (int i = 0; i < 500 && rt_pid_alive(st->pid, st->start_time); i++) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (rt_pid_alive(st->pid, st->start_time)) { rc = brig_fail(BRIG_EXIT_SYSTEM, "container '%s' init (pid %d) did not exit after SIGKILL", id, (int)st->pid); goto out; }
    rt_spec *s;
    if (st->bundle[0] && rt_spec_load(st->bundle, &s) == 0) {
        char *sj = rt_state_json(st, "stopped");
        rt_hooks_run(s, RT_HOOK_POSTSTOP, sj);
        free(sj);
        rt_spec_free(s);
    }
    brig_err_clear();
    if (cg) rt_cgroup_destroy(cg);
    brig_err_clear();
    char *d = rt_state_dir(id);
    rc = brig_rm_rf(d);
    free(d);
    /* Bundles that `brig run IMAGE` generated belong to the container. */
    char *gen = xasprintf("%s/.bundles/%s", rt_root(), id);
    if (rc == 0 && !strcmp(st->bundle, gen)) rc = brig_rm_rf(gen);
    free(gen);
out:
    rt_cgroup_free(cg);
    close(lockfd);
    rt_state_free(st);
    return rc;
}
