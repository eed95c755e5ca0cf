/* Internal interfaces of the OCI runtime (runtime-spec 1.1).  The spec is parsed
 * once into rt_spec (plain C data) so the container-side code, which runs after
 * clone() in a half-built environment, never has to touch JSON except for the
 * seccomp and resources sections that are translated in one place each. */
#ifndef BRIG_RUNTIME_RT_H
#define BRIG_RUNTIME_RT_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RT_MAX_CONFIG_BYTES (4u << 20)   /* config.json size limit */
#define RT_MAX_LIST 4096                 /* entries in any array of the spec */
#define RT_DEFAULT_ROOT "/run/brig"

enum { RT_NS_PID, RT_NS_NET, RT_NS_MNT, RT_NS_IPC, RT_NS_UTS, RT_NS_USER, RT_NS_CGROUP, RT_NS_TIME, RT_NS_COUNT };
typedef struct { bool present; char *path; } rt_ns;

typedef struct { uint32_t container_id, host_id, size; } rt_idmap;

/* Parsed mount options (mountopts.c). */
typedef struct {
    unsigned long flags;       /* MS_* set */
    unsigned long clear;       /* MS_* explicitly cleared (e.g. "rw", "suid") */
    unsigned long propagation; /* MS_PRIVATE|MS_SHARED|MS_SLAVE|MS_UNBINDABLE (+MS_REC) or 0 */
    bool bind, rbind;
    char *data;                /* comma-joined filesystem-specific options, NULL if none */
} rt_mountopts;

typedef struct {
    char *dest, *type, *source;
    char **options; size_t n_options;
    rt_mountopts opts;
    int src_fd;                /* bind source opened before dropping to the container's ids, -1 if none */
} rt_mount;

typedef struct { int resource; char *name; uint64_t soft, hard; } rt_rlimit;

typedef struct { char *path; char **args; char **env; int timeout; } rt_hook;
enum { RT_HOOK_PRESTART, RT_HOOK_CREATE_RUNTIME, RT_HOOK_CREATE_CONTAINER, RT_HOOK_START_CONTAINER,
       RT_HOOK_POSTSTART, RT_HOOK_POSTSTOP, RT_HOOK_COUNT };
extern const char *const rt_hook_names[RT_HOOK_COUNT];

typedef struct {
    char type;                 /* 'c', 'b', 'u', 'p' */
    char *path;
    int64_t major, minor;
    uint32_t mode; bool has_mode;
    uint32_t uid, gid; bool has_uid, has_gid;
} rt_device;

enum { RT_CAP_BOUNDING, RT_CAP_EFFECTIVE, RT_CAP_INHERITABLE, RT_CAP_PERMITTED, RT_CAP_AMBIENT, RT_CAP_SETS };

typedef struct {
    bool terminal;
    uint32_t uid, gid;
    uint32_t *add_gids; size_t n_add_gids;
    int umask;                 /* -1: leave as is (runtime default 0022) */
    char **args; size_t n_args;
    char **env; size_t n_env;
    char *cwd;
    bool has_caps;             /* capabilities object present */
    uint64_t caps[RT_CAP_SETS];
    rt_rlimit *rlimits; size_t n_rlimits;
    bool no_new_privs;
    bool has_oom; int oom_score_adj;
    int console_w, console_h;  /* consoleSize, 0 if absent */
} rt_process;

typedef struct {
    json_t *json;              /* whole document (owned) */
    char *path;                /* config file path (messages) */
    char *bundle;              /* absolute bundle directory */
    char *oci_version;
    char *root_path;           /* absolute rootfs path */
    bool root_readonly;
    char *hostname, *domainname;
    rt_process proc;
    rt_mount *mounts; size_t n_mounts;
    rt_ns ns[RT_NS_COUNT];
    rt_idmap *uid_maps; size_t n_uid_maps;
    rt_idmap *gid_maps; size_t n_gid_maps;
    char *cgroups_path;
    json_t *resources;         /* borrowed from json */
    json_t *seccomp;           /* borrowed from json */
    char **masked; size_t n_masked;
    char **readonly; size_t n_readonly;
    char *rootfs_propagation;
    char **sysctl_keys, **sysctl_vals; size_t n_sysctl;
    rt_device *devices; size_t n_devices;
    rt_hook *hooks[RT_HOOK_COUNT]; size_t n_hooks[RT_HOOK_COUNT];
    json_t *annotations;       /* borrowed */
} rt_spec;

/* spec.c */
int rt_spec_parse(const char *name, json_t *doc, const char *bundle, rt_spec **out);
int rt_spec_load(const char *bundle, rt_spec **out);
void rt_spec_free(rt_spec *s);
int rt_process_parse(const char *name, json_t *p, rt_process *out);
void rt_process_free(rt_process *p);
int rt_ns_type(const char *name);    /* RT_NS_* or -1 */
int rt_ns_clone_flag(int t);
const char *rt_ns_proc_name(int t); /* "pid", "net", "mnt", ... (/proc/PID/ns/X) */

/* mountopts.c */
int rt_mountopts_parse(char *const *opts, size_t n, rt_mountopts *out, const char *where);
void rt_mountopts_free(rt_mountopts *o);

/* caps.c */
int rt_cap_from_name(const char *name);  /* -1 if unknown */
uint64_t rt_cap_all_mask(void);
/* libcap's name in upper case, as specs spell them: "CAP_CHOWN" for 0 ("" if libcap has none). */
void rt_cap_name(int cap, char out[32]);
int rt_caps_apply_bounding(const rt_process *p);
int rt_caps_apply(const rt_process *p);
/* Refuses (naming them) capabilities outside brig's own bounding set; a request
 * for all of them (privileged) is narrowed to what brig has, with a warning. */
int rt_caps_check_available(rt_process *p, const char *where);

/* rlimits.c */
int rt_rlimit_from_name(const char *name);  /* RLIMIT_* or -1 */
int rt_rlimits_check(const rt_process *p);   /* refuse values above the current hard limit */
int rt_rlimits_apply(const rt_process *p);

/* seccomp.c */
int rt_seccomp_load(const json_t *seccomp, const char *where, bool load);
/* Compiled filter (cached on disk); applied in the container right before execve.
 * flags are the kernel's SECCOMP_FILTER_FLAG_*; NEW_LISTENER is set when the
 * profile uses SCMP_ACT_NOTIFY.  Then listener is the connection to
 * linux.seccomp.listenerPath (rt_seccomp_listener_connect, before the process
 * is created, inherited by it) and notify_msg the containerProcessState JSON
 * that rt_seccomp_apply sends with the notify fd right after loading. */
struct sock_filter;
struct seccomp_data;
typedef struct {
    struct sock_filter *insns; unsigned short len; unsigned flags;
    int listener;              /* -1: none (valid only once compiled) */
    char *notify_msg;          /* owned */
} rt_bpf;
int rt_seccomp_compile(const json_t *seccomp, const char *where, rt_bpf *out);
int rt_seccomp_listener_connect(const json_t *seccomp, rt_bpf *b, const char *where);
/* containerProcessState (runtime-spec config-linux.md); status NULL keeps the
 * state's, pid <= 0 takes the state's pid.  Caller frees. */
char *rt_seccomp_notify_state(const json_t *seccomp, const char *state_json, const char *status, pid_t pid);
int rt_seccomp_apply(const rt_bpf *b, const char *where);
int rt_seccomp_eval(const rt_bpf *b, const struct seccomp_data *d, uint32_t *ret);   /* 0 + SECCOMP_RET_* or -1 */
void rt_bpf_free(rt_bpf *b);
/* seccomp_default.c: Docker's default allowlist as a spec "seccomp" object. */
json_t *rt_seccomp_default_profile(void);

/* cgroups.c */
typedef struct rt_cgroup rt_cgroup;
bool rt_cgroup_is_v2(void);
int rt_cgroup_create(const char *cgpath, const json_t *resources, const char *id, rt_cgroup **out);
int rt_cgroup_open(const char *cgpath, rt_cgroup **out);  /* existing, for kill/ps/pause/update */
int rt_cgroup_add_pid(rt_cgroup *cg, pid_t pid);
int rt_cgroup_apply(rt_cgroup *cg, const json_t *resources);
int rt_cgroup_pids(rt_cgroup *cg, pid_t **pids, size_t *n);
int rt_cgroup_freeze(rt_cgroup *cg, bool freeze);
int rt_cgroup_frozen(rt_cgroup *cg, bool *frozen);
int rt_cgroup_destroy(rt_cgroup *cg);
void rt_cgroup_free(rt_cgroup *cg);
/* Parse "512m" / "1g" / "1024" into bytes; -1 on error. */
int64_t rt_parse_size(const char *s);

/* cgroup_devices_bpf.c: linux.resources.devices as one effective rule list for
 * both cgroup versions (the file's header states the semantics) and its cgroup
 * v2 enforcement, an eBPF device program. */
enum { RT_DEVACC_MKNOD = 1, RT_DEVACC_READ = 2, RT_DEVACC_WRITE = 4, RT_DEVACC_ALL = 7 };  /* = BPF_DEVCG_ACC_* */
typedef struct {
    bool allow;
    char type;                 /* 'a' (every device, every access), 'b', 'c' */
    int64_t major, minor;      /* -1: any */
    unsigned access;           /* RT_DEVACC_* */
    int src;                   /* index in the spec's list, -1 for the implicit and default rules */
} rt_dev_rule;
/* Spec list → effective list (implicit deny-all and defaults inserted); *n = 0 for an empty/absent list. */
int rt_dev_rules_build(const json_t *devs, rt_dev_rule **out, size_t *n);
bool rt_dev_rules_allow_all(const rt_dev_rule *r, size_t n);
int rt_dev_rules_v1_check(const rt_dev_rule *r, size_t n);   /* refuse what v1 would silently ignore */
/* The rule as cgroup v1 writes it: "a" or "c 1:3 rwm" (major/minor -1 as "*"). */
const char *rt_dev_rule_line(const rt_dev_rule *r, char *buf, size_t sz);
struct bpf_insn;
int rt_dev_bpf_compile(const rt_dev_rule *r, size_t n, struct bpf_insn **insns, size_t *len);
int rt_dev_bpf_load(const struct bpf_insn *insns, size_t n, int *fd);
/* Attach the program for r to the v2 cgroup dir, then detach the device programs
 * attached there before (allow-all: only detach). */
int rt_dev_bpf_apply(const char *cgdir, const rt_dev_rule *r, size_t n);

/* mounts.c / rootfs.c / devices.c (run inside the container's mount namespace) */
int rt_open_in_root(int rootfd, const char *path, int flags, bool create_dir, bool create_file);
int rt_remount(const char *path, unsigned long flags, unsigned long clear);  /* keeps locked flags */
int rt_mount_all(const rt_spec *s, int rootfd);
int rt_prepare_rootfs(const rt_spec *s, int *rootfd);
int rt_setup_rootfs(const rt_spec *s, int rootfd, bool in_userns);
int rt_sysctl_check(const rt_spec *s);
int rt_sysctl_apply(const rt_spec *s);
int rt_setup_devices(const rt_spec *s, int rootfd, bool in_userns);
int rt_pivot_root(int rootfd, bool no_pivot);
int rt_mask_paths(const rt_spec *s);
int rt_finish_rootfs(const rt_spec *s);

/* hooks.c */
int rt_hooks_run(const rt_spec *s, int phase, const char *state_json);

/* exe_guard.c: CVE-2019-5736 defence (read-only mount clone or sealed memfd re-exec). */
bool rt_exe_is_protected(void);
int rt_reexec_protected(void);
/* container.c: writes --pid-file (relative to the caller's cwd) atomically. */
int rt_write_pid_file(const char *path, pid_t pid);

/* fds.c: CVE-2024-21626 defence. */
int rt_close_fds_except(int keep_upto);

/* finalize.c */
int rt_find_exec(const rt_process *p, char **out);
int rt_open_cwd(const rt_process *p, int *fd);
int rt_finalize_exec(const rt_process *p, const rt_bpf *seccomp, const char *where, int preserve_fds, const char *exe, int cwdfd);

/* console.c */
int rt_console_connect(const char *path, int *fd);
int rt_console_setup(int sockfd, int w, int h);
/* Foreground terminal: receive the pty master on sock and relay it to our
 * stdin/stdout (raw mode) until the container closes it. */
int rt_console_relay(int sock, pid_t child);

/* state.c */
typedef struct {
    char *id, *bundle, *status, *created, *cgroup_path, *owner;
    pid_t pid;
    unsigned long long start_time;   /* /proc/PID/stat field 22, guards against pid reuse */
    json_t *annotations;
    bool userns;
} rt_state;
const char *rt_root(void);
int rt_valid_id(const char *id);
char *rt_state_dir(const char *id);
int rt_state_lock(const char *id, int *lockfd);
int rt_state_save(const rt_state *st);
int rt_state_load(const char *id, rt_state **out);
void rt_state_free(rt_state *st);
const char *rt_state_status(rt_state *st);   /* created|running|paused|stopped */
char *rt_state_json(const rt_state *st, const char *status); /* OCI state, caller frees */
unsigned long long rt_proc_start_time(pid_t pid);
bool rt_pid_alive(pid_t pid, unsigned long long start_time);

/* log.c: errors go to stderr and, for Podman/containerd, to --log as JSON. */
int rt_report(int rc);
void rt_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rt_check_globals(const char *cmd);

/* container.c */
typedef struct {
    const char *id, *bundle, *pid_file, *console_socket;
    bool no_pivot, no_new_keyring, detach, foreground;
    int preserve_fds;
    int console_fd;            /* >0: already-connected console socket (foreground -t); 0 = none */
} rt_create_opts;
int rt_container_create(const rt_create_opts *o, rt_spec *s, pid_t *init_pid);
int rt_container_start(const char *id);
int rt_container_delete(const char *id, bool force);
int rt_wait_exit(pid_t pid);   /* exit code docker-style: status or 128+signal */

/* signals.c */
int rt_parse_signal(const char *s);   /* -1 on error */

/* exec.c: join a container's namespaces and run a process in it. */
int rt_exec_process(rt_state *st, rt_spec *s, rt_process *p, const char *console_socket,
                    const char *pid_file, int preserve_fds, bool detach);

/* defspec.c: hardened default config.json. */
json_t *rt_default_spec(bool userns, bool terminal);
#endif
