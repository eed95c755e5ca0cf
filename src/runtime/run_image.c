/* `brig run IMAGE [CMD...]`: run an image hardened by default.
 *
 * Defaults: user namespace (container 0-65535 = host 100000-165535), the
 * image's USER or 65534 instead of root, no capabilities, Docker's seccomp
 * allowlist, no_new_privs, read-only root with a noexec /tmp, masked /proc and
 * /sys paths, loopback-only network, 512 MiB memory, 512 pids, 1 CPU, nofile
 * 1024.  Each relaxation prints one warning naming the CIS Docker Benchmark
 * (v1.6.0 numbering, the same IDs `brig audit` reports)
 * recommendation it breaks.  The image is unpacked once per manifest digest
 * into the cache (atomic rename when complete). */
#include "runtime/cmds.h"
#include "cli/cli.h"
#include "image/image.h"
#include "trust/policy.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Weak: the trust area may be left out of a build (EXCLUDE). */
extern int brig_trust_enforce(brig_image *img, const char *policy_path) __attribute__((weak));

#define HOST_BASE 100000u

typedef struct {
    const char *memory, *pids, *cpus, *workdir, *hostname, *name, *user, *net, *seccomp, *policy, *entrypoint;
    json_t *env, *caps, *vols, *ulimits;
    bool tty, keep, privileged, read_write, allow_dangerous, detach;
} run_opts;

static int help(void) {
    printf("Usage: brig run [OPTIONS] IMAGE [COMMAND [ARG...]]\n"
           "       brig run --bundle DIR [OCI OPTIONS] CONTAINER_ID   (OCI bundle mode, see brig create --help)\n\n"
           "Run an image with secure defaults: user namespace, non-root user, no capabilities, seccomp\n"
           "(Docker's default allowlist), no_new_privs, read-only root, loopback-only network and\n"
           "memory/pids/CPU/nofile limits.  IMAGE is oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE,\n"
           "dir:PATH or a path.  The image is unpacked once per digest into the cache.\n\n"
           "Options:\n"
           "  -e, --env K=V           set an environment variable (repeatable)\n"
           "  -w, --workdir DIR       working directory\n"
           "  -u, --user U[:G]        user (name or id); default: the image's USER, 65534 instead of root\n"
           "      --hostname NAME     hostname (default: --name or brig)\n"
           "      --name NAME         container id (default: random)\n"
           "  -t, --tty               allocate a terminal (needs a terminal on stdin)\n"
           "      --rm                remove the container afterwards (the default)\n"
           "      --keep              keep the stopped container's state for inspection\n"
           "  -d, --detach            start and return (remove with brig delete -f NAME)\n"
           "      --entrypoint CMD    override the image's entrypoint\n"
           "  -m, --memory SIZE       memory limit (default 512m)\n"
           "      --pids-limit N      process limit (default 512)\n"
           "      --cpus N            CPU limit, may be fractional (default 1)\n"
           "      --ulimit T=S:H      rlimit, e.g. nofile=1024:1024 (default), nproc=512:512\n"
           "  -v, --volume SRC:DST[:ro]  bind mount; /, /proc, /sys, /dev and runtime sockets are refused\n"
           "      --policy FILE       containers-policy.json trust policy checked before running\n"
           "Relaxations (each prints a CIS Docker Benchmark warning):\n"
           "      --cap-add CAP       add a capability (CIS 5.4)\n"
           "      --read-write        writable root filesystem (CIS 5.13)\n"
           "      --net host          share the host network (CIS 5.10); default: loopback only\n"
           "      --seccomp unconfined|FILE  disable or replace the seccomp profile (CIS 5.22)\n"
           "      --privileged        all capabilities, no seccomp, no masked paths (CIS 5.5)\n"
           "      --allow-dangerous   allow sensitive host paths in -v (CIS 5.6, 5.32)\n"
           "  -h, --help              show this help\n\n"
           "Exit codes: the container's status (128+N for signal N); 125 brig failed (bad flag, image,\n"
           "policy, system); 126 command not executable; 127 command not found.\n");
    return 0;
}

static void warn_cis(const char *flag, const char *item, const char *what) {
    brig_warn("%s: breaks CIS Docker Benchmark %s (%s)", flag, item, what);
}

static bool under(const char *p, const char *dir) {
    size_t n = strlen(dir);
    return !strcmp(p, dir) || (!strncmp(p, dir, n) && p[n] == '/');
}

/* -v SRC:DST[:ro|rw] -> mount object; dangerous sources refused unless allowed. */
static int volume(const char *spec, bool allow, json_t *mounts, bool *sock) {
    char *s = xstrdup(spec), *dst = strchr(s, ':'), *mode = NULL;
    int rc = 0;
    if (!dst) { free(s); return brig_fail(BRIG_EXIT_USAGE, "-v %s: expected SRC:DST[:ro]", spec); }
    *dst++ = 0;
    if ((mode = strchr(dst, ':'))) *mode++ = 0;
    if (mode && strcmp(mode, "ro") && strcmp(mode, "rw")) { free(s); return brig_fail(BRIG_EXIT_USAGE, "-v %s: mode must be ro or rw", spec); }
    if (s[0] != '/' || dst[0] != '/') { free(s); return brig_fail(BRIG_EXIT_USAGE, "-v %s: both paths must be absolute", spec); }
    char *real = realpath(s, NULL);
    if (!real) { rc = brig_fail_errno(BRIG_EXIT_INPUT, "-v %s: source %s", spec, s); free(s); return rc; }
    static const char *socks[] = { "/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
                                   "/var/run/containerd/containerd.sock", "/run/podman/podman.sock", "/run/crio/crio.sock", NULL };
    bool bad = !strcmp(real, "/") || under(real, "/proc") || under(real, "/sys") || under(real, "/dev") || under(real, "/boot");
    for (int i = 0; socks[i]; i++) if (!strcmp(real, socks[i]) || !strcmp(s, socks[i])) { bad = true; *sock = true; }
    if (bad && !allow)
        rc = brig_fail(BRIG_EXIT_UNSAFE, "-v %s: mounting %s gives the container control over the host (CIS Docker Benchmark %s); "
                       "refused. Use --allow-dangerous if you really mean it", spec, real, *sock ? "5.32" : "5.6");
    else
        json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s, s, s, s]}", "destination", dst, "type", "bind", "source", real,
                                                "options", "rbind", mode && !strcmp(mode, "ro") ? "ro" : "rw", "nosuid", "nodev"));
    free(real); free(s);
    return rc;
}

/* Look NAME up in the image's /etc/passwd or /etc/group (resolved in-root). */
static long lookup_id(const char *rootfs, const char *file, const char *name, long *gid_out) {
    int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) return -1;
    int fd = rt_open_in_root(rootfd, file, 0, false, false);
    close(rootfd);
    brig_err_clear();
    if (fd < 0) return -1;
    char p[64], *txt = NULL;
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    int rc = brig_read_file(p, 1 << 20, &txt, NULL);
    close(fd);
    if (rc) { brig_err_clear(); return -1; }
    long found = -1;
    for (char *line = strtok(txt, "\n"); line && found < 0; line = strtok(NULL, "\n")) {
        char *f[4] = { 0 };
        int k = 0;
        for (char *c = line; k < 4; ) { f[k++] = c; c = strchr(c, ':'); if (!c) break; *c++ = 0; }
        if (k >= 3 && f[0] && !strcmp(f[0], name)) {
            found = strtol(f[2], NULL, 10);
            if (gid_out && k >= 4 && f[3]) *gid_out = strtol(f[3], NULL, 10);
        }
    }
    free(txt);
    return found;
}

static int resolve_user(const char *rootfs, const char *spec, long *uid, long *gid) {
    char *s = xstrdup(spec), *g = strchr(s, ':');
    if (g) *g++ = 0;
    char *e;
    *gid = -1;
    *uid = strtol(s, &e, 10);
    if (*e || e == s) {
        *uid = lookup_id(rootfs, "/etc/passwd", s, gid);
        if (*uid < 0) { int rc = brig_fail(BRIG_EXIT_INPUT, "user '%s' is not in the image's /etc/passwd", s); free(s); return rc; }
    } else if (!g) {
        /* numeric uid: primary group from passwd when listed, else same as uid */
        *gid = *uid;
    }
    if (g && *g) {
        *gid = strtol(g, &e, 10);
        if (*e || e == g) {
            *gid = lookup_id(rootfs, "/etc/group", g, NULL);
            if (*gid < 0) { int rc = brig_fail(BRIG_EXIT_INPUT, "group '%s' is not in the image's /etc/group", g); free(s); return rc; }
        }
    }
    if (*gid < 0) *gid = *uid;
    free(s);
    if (*uid > 65535 || *gid > 65535 || *uid < 0 || *gid < 0)
        return brig_fail(BRIG_EXIT_INPUT, "user '%s' is outside the container's id range 0-65535", spec);
    return 0;
}

/* Unpack once per manifest digest and uid shift; returns the rootfs path. */
static int cached_rootfs(brig_image *img, uid_t shift, char **out, bool *temp) {
    char *cache = brig_cache_dir();
    char *base = xasprintf("%s/rootfs", cache);
    free(cache);
    int rc = brig_mkdir_p(base, 0700);
    if (rc) { free(base); return rc; }
    const char *hex = NULL;
    char dirhash[65];
    *temp = false;
    if (img->manifest_digest && brig_digest_valid(img->manifest_digest, &hex)) { /* hex points into the digest */ }
    else {
        /* dir: images have no digest; unpack privately for this run. */
        brig_sha256_hex(img->path, strlen(img->path), dirhash);
        hex = dirhash;
        *temp = true;
    }
    char *final = *temp ? xasprintf("%s/tmp-%s-%ld", base, hex, (long)getpid()) : xasprintf("%s/%s-u%u", base, hex, (unsigned)shift);
    struct stat st;
    /* The top directory belongs to the container's root too (mount points). */
    if (!*temp && stat(final, &st) == 0) {
        if (st.st_uid != shift && chown(final, shift, shift) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: chown", final); free(final); free(base); return rc; }
        free(base); *out = final; return 0;
    }
    char *tmp = xasprintf("%s/.partial-%ld-%ld", base, (long)getpid(), (long)time(NULL));
    free(base);
    brig_extract_opts eo = { .uid_shift = shift, .gid_shift = shift, .keep_owner = true };
    brig_limits_default(&eo.lim);
    rc = brig_image_extract(img, tmp, &eo);
    if (rc == 0 && chown(tmp, shift, shift) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: chown", tmp);
    if (rc == 0 && rename(tmp, final) != 0) {
        if (errno == EEXIST || errno == ENOTEMPTY) brig_rm_rf(tmp);   /* another run finished first */
        else rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot move the unpacked image into the cache", final);
    }
    if (rc) { brig_rm_rf(tmp); free(tmp); free(final); return brig_fail_context(rc, "unpacking %s", img->ref); }
    free(tmp);
    *out = final;
    return 0;
}

static int parse_ulimit(const char *v, json_t *rl) {
    char *s = xstrdup(v), *eq = strchr(s, '=');
    int rc = 0;
    if (!eq) { free(s); return brig_fail(BRIG_EXIT_USAGE, "--ulimit %s: expected TYPE=SOFT[:HARD]", v); }
    *eq++ = 0;
    char *type = xasprintf("RLIMIT_%s", s);
    for (char *c = type; *c; c++) if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 32);
    char *e, *e2;
    long long soft = strtoll(eq, &e, 10), hard = soft;
    if (*e == ':') hard = strtoll(e + 1, &e2, 10), e = e2;
    if (rt_rlimit_from_name(type) < 0) rc = brig_fail(BRIG_EXIT_USAGE, "--ulimit %s: unknown limit '%s'", v, s);
    else if (*e || soft < 0 || hard < soft) rc = brig_fail(BRIG_EXIT_USAGE, "--ulimit %s: expected SOFT[:HARD] numbers with SOFT <= HARD", v);
    else {
        size_t i; json_t *x;
        json_array_foreach(rl, i, x) if (!strcmp(brig_json_str(x, "type"), type)) { json_array_remove(rl, i); break; }
        json_array_append_new(rl, json_pack("{s:s, s:I, s:I}", "type", type, "soft", (json_int_t)soft, "hard", (json_int_t)hard));
    }
    free(type); free(s);
    return rc;
}

static void set_env(json_t *env, const char *kv) {
    const char *eq = strchr(kv, '=');
    size_t kl = eq ? (size_t)(eq - kv) : strlen(kv);
    size_t i; json_t *v;
    json_array_foreach(env, i, v) {
        const char *s = json_string_value(v);
        if (s && !strncmp(s, kv, kl) && s[kl] == '=') { json_array_set_new(env, i, json_string(kv)); return; }
    }
    json_array_append_new(env, json_string(kv));
}

static int build_spec(const run_opts *o, brig_image *img, const char *rootfs, char **cmd, int ncmd, json_t **out) {
    int rc;
    json_t *j = rt_default_spec(true, o->tty);
    json_t *proc = json_object_get(j, "process"), *lin = json_object_get(j, "linux");
    json_object_set_new(j, "root", json_pack("{s:s, s:b}", "path", rootfs, "readonly", !o->read_write));
    /* argv: entrypoint + (CMD from the command line, else the image's Cmd) */
    json_t *args = json_array();
    if (o->entrypoint) { if (*o->entrypoint) json_array_append_new(args, json_string(o->entrypoint)); }
    else for (size_t i = 0; i < img->n_entrypoint; i++) json_array_append_new(args, json_string(img->entrypoint[i]));
    if (ncmd) for (int i = 0; i < ncmd; i++) json_array_append_new(args, json_string(cmd[i]));
    else if (!o->entrypoint) for (size_t i = 0; i < img->n_cmd; i++) json_array_append_new(args, json_string(img->cmd[i]));
    if (!json_array_size(args)) { json_decref(args); json_decref(j); return brig_fail(BRIG_EXIT_USAGE, "%s has no Entrypoint or Cmd; give a COMMAND", img->ref); }
    json_object_set_new(proc, "args", args);
    json_t *env = json_array();
    json_array_append_new(env, json_string("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    for (size_t i = 0; i < img->n_env; i++) set_env(env, img->env[i]);
    if (o->tty) set_env(env, "TERM=xterm");
    size_t i; json_t *v;
    json_array_foreach(o->env, i, v) set_env(env, json_string_value(v));
    json_object_set_new(proc, "env", env);
    const char *wd = o->workdir ? o->workdir : (img->workdir && *img->workdir ? img->workdir : "/");
    if (wd[0] != '/') { json_decref(j); return brig_fail(BRIG_EXIT_USAGE, "working directory '%s' must be absolute", wd); }
    json_object_set_new(proc, "cwd", json_string(wd));
    long uid = 65534, gid = 65534;
    const char *u = o->user ? o->user : img->user;
    if (u && *u && (rc = resolve_user(rootfs, u, &uid, &gid))) { json_decref(j); return rc; }
    if (!o->user && uid == 0) {
        uid = gid = 65534;
        brig_debug("the image runs as root; running as 65534 instead (give --user 0 to insist)");
    }
    json_object_set_new(proc, "user", json_pack("{s:I, s:I}", "uid", (json_int_t)uid, "gid", (json_int_t)gid));
    json_object_set_new(j, "hostname", json_string(o->hostname ? o->hostname : o->name ? o->name : "brig"));
    /* capabilities */
    json_t *caps = json_object_get(proc, "capabilities");
    static const char *sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient", NULL };
    if (o->privileged) {
        for (int c = 0; c < 64; c++) {
            if (!(rt_cap_all_mask() & (1ull << c))) continue;
            static const char *names[] = { "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
                "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
                "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
                "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
                "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
                "CHECKPOINT_RESTORE" };
            if (c >= (int)(sizeof names / sizeof names[0])) break;
            char *n = xasprintf("CAP_%s", names[c]);
            for (int k = 0; sets[k]; k++) json_array_append_new(json_object_get(caps, sets[k]), json_string(n));
            free(n);
        }
    }
    json_array_foreach(o->caps, i, v) {
        const char *cn = json_string_value(v);
        char *n = strncasecmp(cn, "CAP_", 4) ? xasprintf("CAP_%s", cn) : xstrdup(cn);
        for (char *c = n; *c; c++) if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 32);
        if (rt_cap_from_name(n) < 0) { free(n); json_decref(j); return brig_fail(BRIG_EXIT_USAGE, "--cap-add %s: unknown capability", cn); }
        for (int k = 0; sets[k]; k++) json_array_append_new(json_object_get(caps, sets[k]), json_string(n));
        free(n);
    }
    /* rlimits: defaults from rt_default_spec (nofile 1024:1024), overridden by --ulimit */
    json_t *rl = json_object_get(proc, "rlimits");
    json_array_foreach(o->ulimits, i, v) if ((rc = parse_ulimit(json_string_value(v), rl))) { json_decref(j); return rc; }
    /* mounts: a private /tmp, then volumes */
    json_t *mounts = json_object_get(j, "mounts");
    json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s, s, s, s]}", "destination", "/tmp", "type", "tmpfs", "source", "tmpfs",
                                            "options", "nosuid", "nodev", "noexec", "mode=1777"));
    bool sock = false;
    json_array_foreach(o->vols, i, v) if ((rc = volume(json_string_value(v), o->allow_dangerous, mounts, &sock))) { json_decref(j); return rc; }
    /* resources */
    int64_t mem = rt_parse_size(o->memory ? o->memory : "512m");
    if (mem <= 0) { json_decref(j); return brig_fail(BRIG_EXIT_USAGE, "--memory %s: expected a size like 512m", o->memory); }
    char *e;
    long pids = strtol(o->pids ? o->pids : "512", &e, 10);
    if (*e || pids <= 0) { json_decref(j); return brig_fail(BRIG_EXIT_USAGE, "--pids-limit needs a positive number"); }
    double cpus = strtod(o->cpus ? o->cpus : "1", &e);
    if (*e || cpus <= 0 || cpus > 1024) { json_decref(j); return brig_fail(BRIG_EXIT_USAGE, "--cpus needs a positive number"); }
    json_object_set_new(lin, "resources", json_pack("{s:{s:I}, s:{s:I}, s:{s:I, s:I}}", "memory", "limit", (json_int_t)mem,
                                                     "pids", "limit", (json_int_t)pids,
                                                     "cpu", "quota", (json_int_t)(cpus * 100000), "period", (json_int_t)100000));
    char *cgp = xasprintf("/brig/%s", o->name);
    json_object_set_new(lin, "cgroupsPath", json_string(cgp));
    free(cgp);
    if (o->net && !strcmp(o->net, "host")) {
        json_t *ns = json_object_get(lin, "namespaces");
        json_array_foreach(ns, i, v) if (!strcmp(brig_json_str(v, "type"), "network")) { json_array_remove(ns, i); break; }
    } else if (o->net && strcmp(o->net, "none")) { json_decref(j); return brig_fail(BRIG_EXIT_USAGE, "--net must be none (loopback only, default) or host"); }
    if (o->seccomp && !strcmp(o->seccomp, "unconfined")) json_object_del(lin, "seccomp");
    else if (o->seccomp) {
        json_t *sc;
        if ((rc = brig_json_load_file(o->seccomp, RT_MAX_CONFIG_BYTES, &sc))) { json_decref(j); return rc; }
        json_object_set_new(lin, "seccomp", sc);
    }
    if (o->privileged) {
        json_object_del(lin, "seccomp");
        json_object_set_new(lin, "maskedPaths", json_array());
        json_object_set_new(lin, "readonlyPaths", json_array());
        json_object_set_new(proc, "noNewPrivileges", json_false());
    }
    *out = j;
    return 0;
}

static void rand_name(char *buf, size_t n) {
    unsigned char r[6] = { 0 };
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) { if (read(fd, r, sizeof r) < 0) { /* fall back to zeros + pid */ } close(fd); }
    snprintf(buf, n, "brig-%02x%02x%02x%02x%02x%02x-%ld", r[0], r[1], r[2], r[3], r[4], r[5], (long)getpid() % 100000);
}

int rt_cmd_run_image(int argc, char **argv) {
    static const struct option lo[] = {
        { "env", required_argument, 0, 'e' }, { "workdir", required_argument, 0, 'w' }, { "user", required_argument, 0, 'u' },
        { "hostname", required_argument, 0, 'H' }, { "name", required_argument, 0, 'n' }, { "tty", no_argument, 0, 't' },
        { "rm", no_argument, 0, 'R' }, { "keep", no_argument, 0, 'K' }, { "detach", no_argument, 0, 'd' },
        { "entrypoint", required_argument, 0, 'E' }, { "memory", required_argument, 0, 'm' },
        { "pids-limit", required_argument, 0, 'p' }, { "cpus", required_argument, 0, 'c' }, { "ulimit", required_argument, 0, 'l' },
        { "volume", required_argument, 0, 'v' }, { "policy", required_argument, 0, 'P' }, { "cap-add", required_argument, 0, 'a' },
        { "read-write", no_argument, 0, 'W' }, { "net", required_argument, 0, 'N' }, { "network", required_argument, 0, 'N' },
        { "seccomp", required_argument, 0, 's' }, { "privileged", no_argument, 0, 'X' },
        { "allow-dangerous", no_argument, 0, 'D' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    run_opts o = { 0 };
    o.env = json_array(); o.caps = json_array(); o.vols = json_array(); o.ulimits = json_array();
    int c, rc = 0;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "+e:w:u:tdm:v:h", lo, "run")) != -1) {
        switch (c) {
        case 'e': json_array_append_new(o.env, json_string(optarg)); break;
        case 'w': o.workdir = optarg; break;
        case 'u': o.user = optarg; break;
        case 'H': o.hostname = optarg; break;
        case 'n': o.name = optarg; break;
        case 't': o.tty = true; break;
        case 'R': break;
        case 'K': o.keep = true; break;
        case 'd': o.detach = true; break;
        case 'E': o.entrypoint = optarg; break;
        case 'm': o.memory = optarg; break;
        case 'p': o.pids = optarg; break;
        case 'c': o.cpus = optarg; break;
        case 'l': json_array_append_new(o.ulimits, json_string(optarg)); break;
        case 'v': json_array_append_new(o.vols, json_string(optarg)); break;
        case 'P': o.policy = optarg; break;
        case 'a': json_array_append_new(o.caps, json_string(optarg)); break;
        case 'W': o.read_write = true; break;
        case 'N': o.net = optarg; break;
        case 's': o.seccomp = optarg; break;
        case 'X': o.privileged = true; break;
        case 'D': o.allow_dangerous = true; break;
        case 'h': rc = -1; goto out;
        default: rc = BRIG_EXIT_RUN_FAILED; goto out;
        }
    }
    if (optind >= argc) { brig_usage_error("run", "expected an IMAGE"); rc = BRIG_EXIT_RUN_FAILED; goto out; }
    if (o.tty && !isatty(0)) { rc = brig_fail(BRIG_EXIT_USAGE, "-t needs a terminal on stdin"); goto report; }
    char name[64];
    if (!o.name) { rand_name(name, sizeof name); o.name = name; }
    if ((rc = rt_valid_id(o.name))) goto report;
    if ((rc = rt_check_globals("run"))) { rc = BRIG_EXIT_RUN_FAILED; goto out; }
    if ((rc = rt_reexec_protected())) goto report;
    /* One warning per relaxation, each naming the CIS recommendation. */
    if (o.privileged) warn_cis("--privileged", "5.5", "do not use privileged containers");
    if (o.net && !strcmp(o.net, "host")) warn_cis("--net host", "5.10", "do not share the host's network namespace");
    if (json_array_size(o.caps)) warn_cis("--cap-add", "5.4", "restrict Linux kernel capabilities within containers");
    if (o.read_write) warn_cis("--read-write", "5.13", "mount the container's root filesystem as read only");
    if (o.seccomp && !strcmp(o.seccomp, "unconfined")) warn_cis("--seccomp unconfined", "5.22", "do not disable the default seccomp profile");
    else if (o.seccomp) warn_cis("--seccomp FILE", "5.22", "the default seccomp profile is replaced");
    if (o.allow_dangerous) warn_cis("--allow-dangerous", "5.6 and 5.32", "do not mount sensitive host directories or the container runtime socket");
    brig_image *img = NULL;
    if ((rc = brig_image_open(argv[optind], NULL, &img))) goto report;
    if (brig_trust_enforce) {
        if ((rc = brig_trust_enforce(img, o.policy))) { brig_image_close(img); goto report; }
    } else if (o.policy) {
        rc = brig_fail(BRIG_EXIT_NOTIMPL, "--policy: trust policies are not available in this build");
        brig_image_close(img);
        goto report;
    }
    char *rootfs = NULL;
    bool temp = false;
    if ((rc = cached_rootfs(img, HOST_BASE, &rootfs, &temp))) { brig_image_close(img); goto report; }
    json_t *spec = NULL;
    rc = build_spec(&o, img, rootfs, argv + optind + 1, argc - optind - 1, &spec);
    brig_image_close(img);
    if (rc) { if (temp) brig_rm_rf(rootfs); free(rootfs); goto report; }
    rt_spec *s = NULL;
    char *bundle = xasprintf("%s/.bundles/%s", rt_root(), o.name);
    if ((rc = brig_mkdir_p(bundle, 0700)) != 0) { json_decref(spec); spec = NULL; }
    else {
        char *cfg = xasprintf("%s/config.json", bundle);
        char *txt = json_dumps(spec, JSON_INDENT(2));
        rc = brig_write_file_atomic(cfg, txt, strlen(txt), 0600);   /* for delete/exec/inspection */
        free(txt); free(cfg);
        if (rc) json_decref(spec);
        else rc = rt_spec_parse("generated config.json", spec, bundle, &s);   /* s owns spec now */
    }
    if (rc == 0) {
        rt_create_opts co = { .id = o.name, .bundle = bundle, .detach = o.detach };
        int status = 0;
        rc = rt_run_bundle(&co, s, !o.keep && !o.detach, &status);
        if (rc == 0) rc = status;
        else rc = (rc == BRIG_EXIT_RUN_NOEXEC || rc == BRIG_EXIT_RUN_NOTFOUND) ? rc : BRIG_EXIT_RUN_FAILED;
    } else rt_report(rc), rc = BRIG_EXIT_RUN_FAILED;
    rt_spec_free(s);
    if (!o.keep && !o.detach) brig_rm_rf(bundle);
    if (temp && !o.detach) brig_rm_rf(rootfs);
    free(bundle); free(rootfs);
    goto out;
report:
    rt_report(rc);
    rc = (rc == BRIG_EXIT_RUN_NOEXEC || rc == BRIG_EXIT_RUN_NOTFOUND) ? rc : BRIG_EXIT_RUN_FAILED;
out:
    json_decref(o.env); json_decref(o.caps); json_decref(o.vols); json_decref(o.ulimits);
    return rc == -1 ? help() : rc;
}
