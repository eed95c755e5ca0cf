/* `brig exec` (runc-compatible flags). */
#include "runtime/rt.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int help(void) {
    printf("Usage: brig [GLOBAL FLAGS] exec [OPTIONS] CONTAINER_ID [COMMAND [ARG...]]\n\n"
           "Run a process inside a created or running container: it joins the container's namespaces\n"
           "and cgroup and gets the container's seccomp profile (with SCMP_ACT_NOTIFY rules, its own\n"
           "notify fd is sent to the seccomp agent at linux.seccomp.listenerPath, as runc does); user,\n"
           "capabilities, env and cwd come from config.json's process unless overridden.\n\n"
           "Options:\n"
           "  -p, --process FILE      process.json (runtime-spec process object) instead of COMMAND\n"
           "  -d, --detach            do not wait for the process\n"
           "      --pid-file FILE     write the process's host pid to FILE\n"
           "      --console-socket S  socket receiving the pty master (with --tty; without it brig relays the\n"
           "                          terminal itself)\n"
           "  -t, --tty               allocate a pseudo-terminal\n"
           "      --cwd DIR           working directory inside the container\n"
           "  -e, --env K=V           add/override an environment variable (repeatable)\n"
           "  -u, --user UID[:GID]    run as this user\n"
           "  -c, --cap CAP           add a capability (repeatable), e.g. CAP_NET_ADMIN\n"
           "      --no-new-privs      set no_new_privs\n"
           "      --preserve-fds N    pass N extra descriptors\n"
           "  -h, --help              show this help\n\n"
           "Exit codes: the process's status (128+N for signal N) unless --detach; 2 usage,\n"
           "3 container missing or not running (or a seccomp profile brig refuses), 6 system error (e.g. the\n"
           "seccomp agent at listenerPath is not listening), 126/127 command not executable/found\n");
    return 0;
}

static void set_env(json_t *env, const char *kv) {
    const char *eq = strchr(kv, '=');
    size_t kl = eq ? (size_t)(eq - kv) : strlen(kv);
    size_t i; json_t *v;
    json_array_foreach(env, i, v) {
        const char *s = json_string_value(v);
        if (s && !strncmp(s, kv, kl) && (s[kl] == '=' || !s[kl])) { json_array_set_new(env, i, json_string(kv)); return; }
    }
    json_array_append_new(env, json_string(kv));
}

int cmd_exec(int argc, char **argv) {
    static const struct option lo[] = {
        { "process", required_argument, 0, 'p' }, { "detach", no_argument, 0, 'd' }, { "pid-file", required_argument, 0, 'P' },
        { "console-socket", required_argument, 0, 'C' }, { "tty", no_argument, 0, 't' }, { "cwd", required_argument, 0, 'w' },
        { "env", required_argument, 0, 'e' }, { "user", required_argument, 0, 'u' }, { "cap", required_argument, 0, 'c' },
        { "no-new-privs", no_argument, 0, 'N' }, { "preserve-fds", required_argument, 0, 'f' }, { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 } };
    const char *process = NULL, *pid_file = NULL, *console = NULL, *cwd = NULL, *user = NULL;
    bool detach = false, tty = false, nnp = false;
    int preserve = 0, c;
    json_t *envs = json_array(), *caps = json_array();
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+p:dte:u:c:h", lo, "exec")) != -1) {
        switch (c) {
        case 'p': process = optarg; break;
        case 'd': detach = true; break;
        case 'P': pid_file = optarg; break;
        case 'C': console = optarg; break;
        case 't': tty = true; break;
        case 'w': cwd = optarg; break;
        case 'e': json_array_append_new(envs, json_string(optarg)); break;
        case 'u': user = optarg; break;
        case 'c': json_array_append_new(caps, json_string(optarg)); break;
        case 'N': nnp = true; break;
        case 'f': preserve = atoi(optarg); if (preserve < 0 || preserve > 1000) { json_decref(envs); json_decref(caps); return brig_usage_error("exec", "--preserve-fds must be 0..1000"); } break;
        case 'h': json_decref(envs); json_decref(caps); return help();
        default: json_decref(envs); json_decref(caps); return BRIG_EXIT_USAGE;
        }
    }
    if (optind >= argc) { json_decref(envs); json_decref(caps); return brig_usage_error("exec", "expected CONTAINER_ID"); }
    if (!process && optind + 1 >= argc) { json_decref(envs); json_decref(caps); return brig_usage_error("exec", "give a COMMAND or --process FILE"); }
    int rc = rt_check_globals("exec");
    if (rc) { json_decref(envs); json_decref(caps); return rc; }
    if ((rc = rt_reexec_protected())) { json_decref(envs); json_decref(caps); return rt_report(rc); }
    rt_state *st = NULL;
    rt_spec *s = NULL;
    json_t *pj = NULL;
    rt_process p = { 0 };
    if ((rc = rt_state_load(argv[optind], &st))) goto out;
    const char *status = rt_state_status(st);
    if (strcmp(status, "running") && strcmp(status, "created")) {
        rc = brig_fail(BRIG_EXIT_INPUT, "container '%s' is %s; exec needs a created or running container", st->id, status);
        goto out;
    }
    if ((rc = rt_spec_load(st->bundle, &s))) goto out;
    if (process) {
        if ((rc = brig_json_load_file(process, RT_MAX_CONFIG_BYTES, &pj))) goto out;
    } else {
        pj = json_deep_copy(json_object_get(s->json, "process"));
        if (!pj) pj = json_pack("{s:s}", "cwd", "/");
        json_t *args = json_array();
        for (int i = optind + 1; i < argc; i++) json_array_append_new(args, json_string(argv[i]));
        json_object_set_new(pj, "args", args);
        json_object_set_new(pj, "terminal", json_boolean(tty));
    }
    if (cwd) json_object_set_new(pj, "cwd", json_string(cwd));
    if (json_array_size(envs)) {
        json_t *env = json_object_get(pj, "env");
        if (!json_is_array(env)) { env = json_array(); json_object_set_new(pj, "env", env); }
        size_t i; json_t *v;
        json_array_foreach(envs, i, v) set_env(env, json_string_value(v));
    }
    if (user) {
        char *e; unsigned long uid = strtoul(user, &e, 10), gid = 0;
        if (e == user || (*e && *e != ':')) { rc = brig_usage_error("exec", "--user takes UID[:GID] numbers"); goto out; }
        if (*e == ':') { char *e2; gid = strtoul(e + 1, &e2, 10); if (*e2 || e2 == e + 1) { rc = brig_usage_error("exec", "--user takes UID[:GID] numbers"); goto out; } }
        json_t *u = json_object_get(pj, "user");
        if (!json_is_object(u)) { u = json_object(); json_object_set_new(pj, "user", u); }
        json_object_set_new(u, "uid", json_integer((json_int_t)uid));
        json_object_set_new(u, "gid", json_integer((json_int_t)gid));
    }
    if (json_array_size(caps)) {
        json_t *co = json_object_get(pj, "capabilities");
        if (!json_is_object(co)) { co = json_object(); json_object_set_new(pj, "capabilities", co); }
        static const char *sets[] = { "bounding", "effective", "permitted", NULL };
        for (int k = 0; sets[k]; k++) {
            json_t *a = json_object_get(co, sets[k]);
            if (!json_is_array(a)) { a = json_array(); json_object_set_new(co, sets[k], a); }
            size_t i; json_t *v;
            json_array_foreach(caps, i, v) json_array_append(a, v);
        }
    }
    if (nnp) json_object_set_new(pj, "noNewPrivileges", json_true());
    char name[128];
    snprintf(name, sizeof name, "%s", process ? process : "exec process");
    if ((rc = rt_process_parse(name, pj, &p))) goto out;
    brig_err_clear();
    rc = rt_exec_process(st, s, &p, console, pid_file, preserve, detach);
out:
    rt_process_free(&p);
    json_decref(pj); json_decref(envs); json_decref(caps);
    rt_spec_free(s);
    rt_state_free(st);
    if (rc && brig_errmsg()[0]) return rt_report(rc);
    return rc;   /* the process's own status */
}
