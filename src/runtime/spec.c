/* config.json (runtime-spec 1.1) -> rt_spec.  Every field is type-checked and
 * every list bounded: the bundle may come from an untrusted party (a pulled
 * image's generated spec, a CI job), so a malformed one must give a message that
 * names the member, never a crash or a silently ignored setting. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const rt_hook_names[RT_HOOK_COUNT] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop" };

static const struct { const char *spec, *proc; int flag; } ns_tab[RT_NS_COUNT] = {
    [RT_NS_PID] = { "pid", "pid", CLONE_NEWPID },
    [RT_NS_NET] = { "network", "net", CLONE_NEWNET },
    [RT_NS_MNT] = { "mount", "mnt", CLONE_NEWNS },
    [RT_NS_IPC] = { "ipc", "ipc", CLONE_NEWIPC },
    [RT_NS_UTS] = { "uts", "uts", CLONE_NEWUTS },
    [RT_NS_USER] = { "user", "user", CLONE_NEWUSER },
    [RT_NS_CGROUP] = { "cgroup", "cgroup", CLONE_NEWCGROUP },
    [RT_NS_TIME] = { "time", "time", 0x80 /* CLONE_NEWTIME */ },
};

int rt_ns_type(const char *name) {
    for (int i = 0; i < RT_NS_COUNT; i++) if (!strcmp(name, ns_tab[i].spec)) return i;
    return -1;
}
int rt_ns_clone_flag(int t) { return ns_tab[t].flag; }
const char *rt_ns_proc_name(int t) { return ns_tab[t].proc; }

#define BAD(...) brig_fail(BRIG_EXIT_INPUT, __VA_ARGS__)

/* Optional string member: absent/null ok, other types refused. */
static int get_str(const char *name, const json_t *o, const char *key, const char *where, char **out) {
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) return BAD("%s: %s.%s must be a string", name, where, key);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return BAD("%s: %s.%s contains a NUL byte", name, where, key);
    *out = xstrdup(json_string_value(v));
    return 0;
}

static int get_strv(const char *name, const json_t *o, const char *key, const char *where, char ***out, size_t *n) {
    json_t *v = json_object_get(o, key);
    *out = NULL; *n = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v)) return BAD("%s: %s.%s must be an array of strings", name, where, key);
    if (json_array_size(v) > RT_MAX_LIST) return BAD("%s: %s.%s has more than %d entries", name, where, key, RT_MAX_LIST);
    char **r = xcalloc(json_array_size(v) + 1, sizeof *r);
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s) || strlen(json_string_value(s)) != json_string_length(s)) {
            brig_strv_free(r);
            return BAD("%s: %s.%s[%zu] must be a string without NUL bytes", name, where, key, i);
        }
        r[i] = xstrdup(json_string_value(s));
    }
    *out = r; *n = json_array_size(v);
    return 0;
}

static int get_u32(const char *name, const json_t *o, const char *key, const char *where, uint32_t *out, bool *present) {
    json_t *v = json_object_get(o, key);
    if (present) *present = false;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX)
        return BAD("%s: %s.%s must be an integer between 0 and 4294967295", name, where, key);
    *out = (uint32_t)json_integer_value(v);
    if (present) *present = true;
    return 0;
}

static int get_bool(const char *name, const json_t *o, const char *key, const char *where, bool *out) {
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_boolean(v)) return BAD("%s: %s.%s must be true or false", name, where, key);
    *out = json_is_true(v);
    return 0;
}

static int parse_caps(const char *name, json_t *c, rt_process *p) {
    static const char *sets[RT_CAP_SETS] = { "bounding", "effective", "inheritable", "permitted", "ambient" };
    if (!json_is_object(c)) return BAD("%s: process.capabilities must be an object", name);
    p->has_caps = true;
    for (int s = 0; s < RT_CAP_SETS; s++) {
        json_t *a = json_object_get(c, sets[s]);
        if (!a || json_is_null(a)) continue;
        if (!json_is_array(a)) return BAD("%s: process.capabilities.%s must be an array", name, sets[s]);
        for (size_t i = 0; i < json_array_size(a); i++) {
            const char *cn = json_string_value(json_array_get(a, i));
            if (!cn) return BAD("%s: process.capabilities.%s[%zu] must be a string", name, sets[s], i);
            int cap = rt_cap_from_name(cn);
            if (cap < 0) {
                /* runc ignores capabilities the running kernel does not know; a
                 * name that is no capability at all is a typo worth stopping for. */
                if (strncasecmp(cn, "CAP_", 4) == 0) { brig_debug("%s: capability %s unknown to this kernel, ignored", name, cn); continue; }
                return BAD("%s: process.capabilities.%s[%zu]: unknown capability '%s'; use names like CAP_NET_BIND_SERVICE", name, sets[s], i, cn);
            }
            p->caps[s] |= 1ull << cap;
        }
    }
    return rt_caps_check_available(p, name);
}

static int parse_rlimits(const char *name, json_t *a, rt_process *p) {
    if (!json_is_array(a)) return BAD("%s: process.rlimits must be an array", name);
    if (json_array_size(a) > 64) return BAD("%s: process.rlimits has too many entries", name);
    p->rlimits = xcalloc(json_array_size(a) + 1, sizeof *p->rlimits);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *r = json_array_get(a, i);
        const char *type = brig_json_str(r, "type");
        json_t *soft = json_object_get(r, "soft"), *hard = json_object_get(r, "hard");
        if (!type) return BAD("%s: process.rlimits[%zu].type must be a string like RLIMIT_NOFILE", name, i);
        int res = rt_rlimit_from_name(type);
        if (res < 0) return BAD("%s: process.rlimits[%zu]: unknown rlimit '%s'", name, i, type);
        if (!json_is_integer(soft) || !json_is_integer(hard))
            return BAD("%s: process.rlimits[%zu] (%s): soft and hard must be integers", name, i, type);
        rt_rlimit *rl = &p->rlimits[p->n_rlimits++];
        rl->resource = res;
        rl->name = xstrdup(type);
        /* JSON integers are signed 64-bit; -1 and 2^64-1 both mean "unlimited". */
        rl->soft = (uint64_t)json_integer_value(soft);
        rl->hard = (uint64_t)json_integer_value(hard);
        if (rl->soft > rl->hard)
            return BAD("%s: process.rlimits[%zu] (%s): soft limit %llu is above hard limit %llu", name, i, type,
                       (unsigned long long)rl->soft, (unsigned long long)rl->hard);
    }
    return 0;
}

int rt_process_parse(const char *name, json_t *p, rt_process *out) {
    int rc;
    memset(out, 0, sizeof *out);
    out->umask = -1;
    if (!json_is_object(p)) return BAD("%s: process must be an object", name);
    if ((rc = get_bool(name, p, "terminal", "process", &out->terminal))) return rc;
    json_t *cs = json_object_get(p, "consoleSize");
    if (json_is_object(cs)) {
        out->console_h = (int)json_integer_value(json_object_get(cs, "height"));
        out->console_w = (int)json_integer_value(json_object_get(cs, "width"));
    }
    json_t *u = json_object_get(p, "user");
    if (u && !json_is_object(u)) return BAD("%s: process.user must be an object", name);
    if (u) {
        uint32_t um; bool has_umask;
        if ((rc = get_u32(name, u, "uid", "process.user", &out->uid, NULL))) return rc;
        if ((rc = get_u32(name, u, "gid", "process.user", &out->gid, NULL))) return rc;
        if ((rc = get_u32(name, u, "umask", "process.user", &um, &has_umask))) return rc;
        if (has_umask) {
            if (um > 0777) return BAD("%s: process.user.umask %u is not a file mode (0..0777)", name, um);
            out->umask = (int)um;
        }
        json_t *ag = json_object_get(u, "additionalGids");
        if (ag && !json_is_null(ag)) {
            if (!json_is_array(ag) || json_array_size(ag) > 65536)
                return BAD("%s: process.user.additionalGids must be an array of at most 65536 gids", name);
            out->add_gids = xcalloc(json_array_size(ag) + 1, sizeof *out->add_gids);
            for (size_t i = 0; i < json_array_size(ag); i++) {
                json_t *g = json_array_get(ag, i);
                if (!json_is_integer(g) || json_integer_value(g) < 0 || json_integer_value(g) > UINT32_MAX)
                    return BAD("%s: process.user.additionalGids[%zu] must be a gid", name, i);
                out->add_gids[out->n_add_gids++] = (uint32_t)json_integer_value(g);
            }
        }
        if (json_object_get(u, "username"))
            brig_debug("%s: process.user.username is Windows-only, ignored", name);
    }
    if ((rc = get_strv(name, p, "args", "process", &out->args, &out->n_args))) return rc;
    if ((rc = get_strv(name, p, "env", "process", &out->env, &out->n_env))) return rc;
    if ((rc = get_str(name, p, "cwd", "process", &out->cwd))) return rc;
    if (!out->cwd) return BAD("%s: process.cwd is required (an absolute path inside the container)", name);
    if (out->cwd[0] != '/') return BAD("%s: process.cwd '%s' must be an absolute path", name, out->cwd);
    json_t *c = json_object_get(p, "capabilities");
    if (c && !json_is_null(c) && (rc = parse_caps(name, c, out))) return rc;
    json_t *rl = json_object_get(p, "rlimits");
    if (rl && !json_is_null(rl) && (rc = parse_rlimits(name, rl, out))) return rc;
    if ((rc = get_bool(name, p, "noNewPrivileges", "process", &out->no_new_privs))) return rc;
    json_t *oom = json_object_get(p, "oomScoreAdj");
    if (oom && !json_is_null(oom)) {
        if (!json_is_integer(oom) || json_integer_value(oom) < -1000 || json_integer_value(oom) > 1000)
            return BAD("%s: process.oomScoreAdj must be an integer between -1000 and 1000", name);
        out->has_oom = true; out->oom_score_adj = (int)json_integer_value(oom);
    }
    if (brig_json_str(p, "apparmorProfile") && *brig_json_str(p, "apparmorProfile"))
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: process.apparmorProfile is set but brig does not support AppArmor; remove it", name);
    if (brig_json_str(p, "selinuxLabel") && *brig_json_str(p, "selinuxLabel"))
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: process.selinuxLabel is set but brig does not support SELinux; remove it", name);
    return 0;
}

void rt_process_free(rt_process *p) {
    free(p->add_gids);
    brig_strv_free(p->args);
    brig_strv_free(p->env);
    free(p->cwd);
    for (size_t i = 0; i < p->n_rlimits; i++) free(p->rlimits[i].name);
    free(p->rlimits);
    memset(p, 0, sizeof *p);
}

static int parse_mounts(const char *name, json_t *a, rt_spec *s) {
    int rc;
    if (!json_is_array(a)) return BAD("%s: mounts must be an array", name);
    if (json_array_size(a) > RT_MAX_LIST) return BAD("%s: mounts has more than %d entries", name, RT_MAX_LIST);
    s->mounts = xcalloc(json_array_size(a) + 1, sizeof *s->mounts);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *m = json_array_get(a, i);
        char where[64];
        snprintf(where, sizeof where, "mounts[%zu]", i);
        if (!json_is_object(m)) return BAD("%s: %s must be an object", name, where);
        rt_mount *mt = &s->mounts[s->n_mounts++];
        mt->src_fd = -1;
        if ((rc = get_str(name, m, "destination", where, &mt->dest))) return rc;
        if ((rc = get_str(name, m, "type", where, &mt->type))) return rc;
        if ((rc = get_str(name, m, "source", where, &mt->source))) return rc;
        if ((rc = get_strv(name, m, "options", where, &mt->options, &mt->n_options))) return rc;
        if (!mt->dest || mt->dest[0] != '/')
            return BAD("%s: %s.destination must be an absolute path", name, where);
        if (strlen(mt->dest) >= PATH_MAX) return BAD("%s: %s.destination is too long", name, where);
        char ctx[PATH_MAX + 128];
        snprintf(ctx, sizeof ctx, "%s: %s (%s)", name, where, mt->dest);
        if ((rc = rt_mountopts_parse(mt->options, mt->n_options, &mt->opts, ctx))) return rc;
        if (!mt->type && !mt->opts.bind)
            return BAD("%s: %s (%s) has neither a type nor a bind option", name, where, mt->dest);
        if (mt->opts.bind && !mt->source)
            return BAD("%s: %s (%s) is a bind mount without a source", name, where, mt->dest);
    }
    return 0;
}

static int parse_idmaps(const char *name, json_t *a, const char *key, rt_idmap **out, size_t *n) {
    if (!a || json_is_null(a)) return 0;
    if (!json_is_array(a) || json_array_size(a) > 340)   /* kernel limit on map lines */
        return BAD("%s: linux.%s must be an array of at most 340 entries", name, key);
    *out = xcalloc(json_array_size(a) + 1, sizeof **out);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *m = json_array_get(a, i);
        char where[64]; int rc;
        snprintf(where, sizeof where, "linux.%s[%zu]", key, i);
        rt_idmap *im = &(*out)[(*n)++];
        bool p1, p2, p3;
        if ((rc = get_u32(name, m, "containerID", where, &im->container_id, &p1))) return rc;
        if ((rc = get_u32(name, m, "hostID", where, &im->host_id, &p2))) return rc;
        if ((rc = get_u32(name, m, "size", where, &im->size, &p3))) return rc;
        if (!p1 || !p2 || !p3 || im->size == 0)
            return BAD("%s: %s needs containerID, hostID and a non-zero size", name, where);
    }
    return 0;
}

static int parse_devices(const char *name, json_t *a, rt_spec *s) {
    if (!json_is_array(a) || json_array_size(a) > RT_MAX_LIST) return BAD("%s: linux.devices must be an array", name);
    s->devices = xcalloc(json_array_size(a) + 1, sizeof *s->devices);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *d = json_array_get(a, i);
        char where[64]; int rc;
        snprintf(where, sizeof where, "linux.devices[%zu]", i);
        rt_device *dv = &s->devices[s->n_devices++];
        const char *type = brig_json_str(d, "type");
        if ((rc = get_str(name, d, "path", where, &dv->path))) return rc;
        if (!dv->path || dv->path[0] != '/') return BAD("%s: %s.path must be an absolute path", name, where);
        if (!type || strlen(type) != 1 || !strchr("cbup", type[0]))
            return BAD("%s: %s.type must be one of c, b, u, p", name, where);
        dv->type = type[0];
        json_t *mj = json_object_get(d, "major"), *nj = json_object_get(d, "minor");
        if (dv->type != 'p' && (!json_is_integer(mj) || !json_is_integer(nj)))
            return BAD("%s: %s (%s) needs integer major and minor numbers", name, where, dv->path);
        dv->major = json_integer_value(mj); dv->minor = json_integer_value(nj);
        if ((rc = get_u32(name, d, "fileMode", where, &dv->mode, &dv->has_mode))) return rc;
        if ((rc = get_u32(name, d, "uid", where, &dv->uid, &dv->has_uid))) return rc;
        if ((rc = get_u32(name, d, "gid", where, &dv->gid, &dv->has_gid))) return rc;
    }
    return 0;
}

static int parse_hooks(const char *name, json_t *h, rt_spec *s) {
    if (!json_is_object(h)) return BAD("%s: hooks must be an object", name);
    for (int ph = 0; ph < RT_HOOK_COUNT; ph++) {
        json_t *a = json_object_get(h, rt_hook_names[ph]);
        if (!a || json_is_null(a)) continue;
        if (!json_is_array(a) || json_array_size(a) > 256) return BAD("%s: hooks.%s must be an array", name, rt_hook_names[ph]);
        s->hooks[ph] = xcalloc(json_array_size(a) + 1, sizeof(rt_hook));
        for (size_t i = 0; i < json_array_size(a); i++) {
            json_t *o = json_array_get(a, i);
            char where[64]; int rc; size_t n;
            snprintf(where, sizeof where, "hooks.%s[%zu]", rt_hook_names[ph], i);
            rt_hook *hk = &s->hooks[ph][s->n_hooks[ph]++];
            if ((rc = get_str(name, o, "path", where, &hk->path))) return rc;
            if (!hk->path || hk->path[0] != '/') return BAD("%s: %s.path must be an absolute path", name, where);
            if ((rc = get_strv(name, o, "args", where, &hk->args, &n))) return rc;
            if ((rc = get_strv(name, o, "env", where, &hk->env, &n))) return rc;
            json_t *t = json_object_get(o, "timeout");
            if (t && (!json_is_integer(t) || json_integer_value(t) <= 0 || json_integer_value(t) > 86400))
                return BAD("%s: %s.timeout must be a positive number of seconds", name, where);
            hk->timeout = t ? (int)json_integer_value(t) : 0;
        }
    }
    return 0;
}

static int parse_linux(const char *name, json_t *l, rt_spec *s) {
    int rc;
    if (!json_is_object(l)) return BAD("%s: linux must be an object", name);
    json_t *nss = json_object_get(l, "namespaces");
    if (nss && !json_is_null(nss)) {
        if (!json_is_array(nss)) return BAD("%s: linux.namespaces must be an array", name);
        for (size_t i = 0; i < json_array_size(nss); i++) {
            json_t *n = json_array_get(nss, i);
            const char *type = brig_json_str(n, "type");
            int t = type ? rt_ns_type(type) : -1;
            if (t < 0) return BAD("%s: linux.namespaces[%zu]: unknown namespace type '%s'", name, i, type ? type : "(missing)");
            if (s->ns[t].present) return BAD("%s: linux.namespaces[%zu]: namespace '%s' listed twice", name, i, type);
            s->ns[t].present = true;
            char where[64];
            snprintf(where, sizeof where, "linux.namespaces[%zu]", i);
            if ((rc = get_str(name, n, "path", where, &s->ns[t].path))) return rc;
            if (s->ns[t].path && !s->ns[t].path[0]) { free(s->ns[t].path); s->ns[t].path = NULL; }
        }
    }
    if ((rc = parse_idmaps(name, json_object_get(l, "uidMappings"), "uidMappings", &s->uid_maps, &s->n_uid_maps))) return rc;
    if ((rc = parse_idmaps(name, json_object_get(l, "gidMappings"), "gidMappings", &s->gid_maps, &s->n_gid_maps))) return rc;
    if ((s->n_uid_maps || s->n_gid_maps) && !(s->ns[RT_NS_USER].present && !s->ns[RT_NS_USER].path))
        return BAD("%s: linux.uidMappings/gidMappings need a new user namespace in linux.namespaces", name);
    if (s->ns[RT_NS_USER].present && !s->ns[RT_NS_USER].path && (!s->n_uid_maps || !s->n_gid_maps))
        return BAD("%s: a new user namespace needs linux.uidMappings and linux.gidMappings", name);
    if ((rc = get_str(name, l, "cgroupsPath", "linux", &s->cgroups_path))) return rc;
    json_t *r = json_object_get(l, "resources");
    if (r && !json_is_null(r)) {
        if (!json_is_object(r)) return BAD("%s: linux.resources must be an object", name);
        s->resources = r;
    }
    json_t *sc = json_object_get(l, "seccomp");
    if (sc && !json_is_null(sc)) {
        if (!json_is_object(sc)) return BAD("%s: linux.seccomp must be an object", name);
        s->seccomp = sc;
    }
    size_t n;
    if ((rc = get_strv(name, l, "maskedPaths", "linux", &s->masked, &s->n_masked))) return rc;
    if ((rc = get_strv(name, l, "readonlyPaths", "linux", &s->readonly, &s->n_readonly))) return rc;
    (void)n;
    if ((rc = get_str(name, l, "rootfsPropagation", "linux", &s->rootfs_propagation))) return rc;
    if (s->rootfs_propagation) {
        static const char *ok[] = { "private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable", NULL };
        bool good = false;
        for (int i = 0; ok[i]; i++) if (!strcmp(ok[i], s->rootfs_propagation)) good = true;
        if (!good) return BAD("%s: linux.rootfsPropagation '%s' is not one of [r]private, [r]shared, [r]slave, [r]unbindable", name, s->rootfs_propagation);
    }
    json_t *sy = json_object_get(l, "sysctl");
    if (sy && !json_is_null(sy)) {
        if (!json_is_object(sy) || json_object_size(sy) > RT_MAX_LIST) return BAD("%s: linux.sysctl must be an object", name);
        s->sysctl_keys = xcalloc(json_object_size(sy) + 1, sizeof(char *));
        s->sysctl_vals = xcalloc(json_object_size(sy) + 1, sizeof(char *));
        const char *k; json_t *v;
        json_object_foreach(sy, k, v) {
            if (!json_is_string(v)) return BAD("%s: linux.sysctl.%s must be a string", name, k);
            if (strstr(k, "..") || strchr(k, '/') == k) return BAD("%s: linux.sysctl key '%s' is not a sysctl name", name, k);
            s->sysctl_keys[s->n_sysctl] = xstrdup(k);
            s->sysctl_vals[s->n_sysctl++] = xstrdup(json_string_value(v));
        }
    }
    json_t *d = json_object_get(l, "devices");
    if (d && !json_is_null(d) && (rc = parse_devices(name, d, s))) return rc;
    if (brig_json_str(l, "mountLabel") && *brig_json_str(l, "mountLabel"))
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: linux.mountLabel is set but brig does not support SELinux; remove it", name);
    json_t *ir = json_object_get(l, "intelRdt");
    if (ir && !json_is_null(ir))
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: linux.intelRdt is not supported by brig; remove it", name);
    return 0;
}

int rt_spec_parse(const char *name, json_t *doc, const char *bundle, rt_spec **out) {
    int rc;
    rt_spec *s = xcalloc(1, sizeof *s);
    s->json = doc;
    s->path = xstrdup(name);
    s->bundle = xstrdup(bundle ? bundle : ".");
    *out = s;
    if (!json_is_object(doc)) return BAD("%s: the document must be a JSON object", name);
    if ((rc = get_str(name, doc, "ociVersion", "", &s->oci_version))) return rc;
    if (!s->oci_version) return BAD("%s: ociVersion is required", name);
    if (strncmp(s->oci_version, "1.", 2) != 0)
        return BAD("%s: ociVersion '%s' is not supported; brig implements runtime-spec 1.x", name, s->oci_version);
    json_t *root = json_object_get(doc, "root");
    if (!json_is_object(root)) return BAD("%s: root must be an object with a path", name);
    char *rp;
    if ((rc = get_str(name, root, "path", "root", &rp))) return rc;
    if (!rp || !*rp) { free(rp); return BAD("%s: root.path is required", name); }
    s->root_path = rp[0] == '/' ? xstrdup(rp) : xasprintf("%s/%s", s->bundle, rp);
    free(rp);
    if ((rc = get_bool(name, root, "readonly", "root", &s->root_readonly))) return rc;
    if ((rc = get_str(name, doc, "hostname", "", &s->hostname))) return rc;
    if ((rc = get_str(name, doc, "domainname", "", &s->domainname))) return rc;
    json_t *p = json_object_get(doc, "process");
    if (p && (rc = rt_process_parse(name, p, &s->proc))) return rc;
    if (!p) s->proc.umask = -1;
    json_t *m = json_object_get(doc, "mounts");
    if (m && !json_is_null(m) && (rc = parse_mounts(name, m, s))) return rc;
    json_t *l = json_object_get(doc, "linux");
    if (l && !json_is_null(l) && (rc = parse_linux(name, l, s))) return rc;
    json_t *h = json_object_get(doc, "hooks");
    if (h && !json_is_null(h) && (rc = parse_hooks(name, h, s))) return rc;
    json_t *an = json_object_get(doc, "annotations");
    if (an && json_is_object(an)) s->annotations = an;
    if ((s->hostname || s->domainname) && !s->ns[RT_NS_UTS].present)
        return BAD("%s: hostname/domainname need a new uts namespace (add {\"type\":\"uts\"} to linux.namespaces)", name);
    return 0;
}

int rt_spec_load(const char *bundle, rt_spec **out) {
    char *abs = realpath(bundle, NULL);
    *out = NULL;
    if (!abs) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: bundle directory not found", bundle);
    char *path = xasprintf("%s/config.json", abs);
    json_t *doc;
    int rc = brig_json_load_file(path, RT_MAX_CONFIG_BYTES, &doc);
    if (rc == 0) rc = rt_spec_parse(path, doc, abs, out);
    free(path); free(abs);
    if (rc) { rt_spec_free(*out); *out = NULL; }
    return rc;
}

void rt_spec_free(rt_spec *s) {
    if (!s) return;
    json_decref(s->json);
    free(s->path); free(s->bundle); free(s->oci_version); free(s->root_path);
    free(s->hostname); free(s->domainname);
    rt_process_free(&s->proc);
    for (size_t i = 0; i < s->n_mounts; i++) {
        rt_mount *m = &s->mounts[i];
        free(m->dest); free(m->type); free(m->source); brig_strv_free(m->options);
        if (m->src_fd >= 0) close(m->src_fd);
        rt_mountopts_free(&m->opts);
    }
    free(s->mounts);
    for (int i = 0; i < RT_NS_COUNT; i++) free(s->ns[i].path);
    free(s->uid_maps); free(s->gid_maps); free(s->cgroups_path);
    brig_strv_free(s->masked); brig_strv_free(s->readonly);
    free(s->rootfs_propagation);
    brig_strv_free(s->sysctl_keys); brig_strv_free(s->sysctl_vals);
    for (size_t i = 0; i < s->n_devices; i++) free(s->devices[i].path);
    free(s->devices);
    for (int ph = 0; ph < RT_HOOK_COUNT; ph++) {
        for (size_t i = 0; i < s->n_hooks[ph]; i++) {
            free(s->hooks[ph][i].path); brig_strv_free(s->hooks[ph][i].args); brig_strv_free(s->hooks[ph][i].env);
        }
        free(s->hooks[ph]);
    }
    free(s);
}
