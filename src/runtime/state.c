/* Container state under --root: <root>/<id>/state.json (written atomically),
 * <root>/<id>/exec.fifo while created-but-not-started, and a lock file that
 * serialises start/kill/delete on one container. */
#include "runtime/rt.h"
#include "cli/cli.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

const char *rt_root(void) { return brig_g.root && *brig_g.root ? brig_g.root : RT_DEFAULT_ROOT; }

int rt_valid_id(const char *id) {
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 1024) return brig_fail(BRIG_EXIT_USAGE, "container id must be 1 to 1024 characters");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!isalnum(c) && c != '_' && c != '-' && c != '.' && c != '+')
            return brig_fail(BRIG_EXIT_USAGE, "container id '%s' may only contain letters, digits and _ - . +", id);
    }
    if (!strcmp(id, ".") || !strcmp(id, ".."))
        return brig_fail(BRIG_EXIT_USAGE, "container id '%s' is not allowed", id);
    return 0;
}

char *rt_state_dir(const char *id) { return xasprintf("%s/%s", rt_root(), id); }

int rt_state_lock(const char *id, int *lockfd) {
    char *p = xasprintf("%s/%s/lock", rt_root(), id);
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int rc = errno == ENOENT ? brig_fail(BRIG_EXIT_INPUT, "container '%s' does not exist", id)
                                 : brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot open lock", p);
        free(p); return rc;
    }
    free(p);
    if (flock(fd, LOCK_EX) != 0) { close(fd); return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot lock container '%s'", id); }
    *lockfd = fd;
    return 0;
}

int rt_state_save(const rt_state *st) {
    json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s?, s:s?, s:b}",
                          "ociVersion", "1.1.0", "id", st->id, "pid", (json_int_t)st->pid,
                          "start_time", (json_int_t)st->start_time, "bundle", st->bundle,
                          "created", st->created, "cgroup_path", st->cgroup_path, "owner", st->owner,
                          "userns", st->userns);
    if (st->annotations) json_object_set(j, "annotations", st->annotations);
    char *s = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    char *p = xasprintf("%s/%s/state.json", rt_root(), st->id);
    int rc = brig_write_file_replace(p, s, strlen(s), 0600);
    free(p); free(s);
    return rc;
}

int rt_state_load(const char *id, rt_state **out) {
    *out = NULL;
    int rc = rt_valid_id(id);
    if (rc) return rc;
    char *p = xasprintf("%s/%s/state.json", rt_root(), id);
    if (access(p, F_OK) != 0) {
        char *d = rt_state_dir(id);
        bool dir = access(d, F_OK) == 0;
        free(d); free(p);
        if (dir) return brig_fail(BRIG_EXIT_INPUT, "container '%s' is still being created (no state yet)", id);
        return brig_fail(BRIG_EXIT_INPUT, "container '%s' does not exist", id);
    }
    json_t *j;
    rc = brig_json_load_file(p, 1 << 20, &j);
    free(p);
    if (rc) return rc;
    rt_state *st = xcalloc(1, sizeof *st);
    const char *v;
    st->id = xstrdup(id);
    st->bundle = xstrdup((v = brig_json_str(j, "bundle")) ? v : "");
    st->created = xstrdup((v = brig_json_str(j, "created")) ? v : "");
    if ((v = brig_json_str(j, "cgroup_path"))) st->cgroup_path = xstrdup(v);
    if ((v = brig_json_str(j, "owner"))) st->owner = xstrdup(v);
    st->pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
    st->start_time = (unsigned long long)json_integer_value(json_object_get(j, "start_time"));
    st->userns = json_is_true(json_object_get(j, "userns"));
    json_t *a = json_object_get(j, "annotations");
    if (json_is_object(a)) st->annotations = json_incref(a);
    json_decref(j);
    *out = st;
    return 0;
}

void rt_state_free(rt_state *st) {
    if (!st) return;
    free(st->id); free(st->bundle); free(st->status); free(st->created); free(st->cgroup_path); free(st->owner);
    json_decref(st->annotations);
    free(st);
}

unsigned long long rt_proc_start_time(pid_t pid) {
    char p[64], buf[1024];
    snprintf(p, sizeof p, "/proc/%d/stat", (int)pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    char *s = strrchr(buf, ')');   /* comm may contain spaces and ')' */
    if (!s) return 0;
    s += 2;
    char state = *s;
    if (state == 'Z' || state == 'X') return 0;   /* a zombie is a stopped container */
    for (int field = 3; field < 22 && s; field++) { s = strchr(s, ' '); if (s) s++; }
    return s ? strtoull(s, NULL, 10) : 0;
}

bool rt_pid_alive(pid_t pid, unsigned long long start_time) {
    if (pid <= 0) return false;
    if (kill(pid, 0) != 0 && errno == ESRCH) return false;
    unsigned long long t = rt_proc_start_time(pid);
    return t != 0 && (start_time == 0 || t == start_time);
}

const char *rt_state_status(rt_state *st) {
    free(st->status);
    const char *s;
    if (!rt_pid_alive(st->pid, st->start_time)) s = "stopped";
    else {
        char *fifo = xasprintf("%s/%s/exec.fifo", rt_root(), st->id);
        bool created = access(fifo, F_OK) == 0;
        free(fifo);
        s = created ? "created" : "running";
        if (!created && st->cgroup_path) {
            rt_cgroup *cg;
            bool fr = false;
            if (rt_cgroup_open(st->cgroup_path, &cg) == 0) { rt_cgroup_frozen(cg, &fr); rt_cgroup_free(cg); }
            brig_err_clear();
            if (fr) s = "paused";
        }
    }
    st->status = xstrdup(s);
    return st->status;
}

char *rt_state_json(const rt_state *st, const char *status) {
    json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s}", "ociVersion", "1.1.0", "id", st->id, "status", status,
                          "pid", (json_int_t)(strcmp(status, "stopped") ? st->pid : 0), "bundle", st->bundle);
    json_object_set_new(j, "created", json_string(st->created ? st->created : ""));
    if (st->owner) json_object_set_new(j, "owner", json_string(st->owner));
    json_object_set_new(j, "annotations", st->annotations ? json_incref(st->annotations) : json_object());
    char *s = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    return s;
}
