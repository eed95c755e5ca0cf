/* Kubernetes manifests: Pod Security Standards (baseline, restricted) and
 * resource limits for every workload kind that embeds a pod template. */
#include "audit/audit.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    audit_ctx *c;
    const char *obj;            /* "Deployment/web" */
    const ynode *pod_sc;        /* pod securityContext */
    const ynode *annotations;
} podctx;

static bool restricted(const podctx *p) { return p->c->pss == AUDIT_PSS_RESTRICTED; }

static bool in_list(const char *s, const char *const *l) {
    for (; *l; l++) if (!strcmp(s, *l)) return true;
    return false;
}

static void check_selinux(podctx *p, const char *who, const ynode *se) {
    if (!se) return;
    static const char *const types[] = { "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t", NULL };
    const ynode *t = yn_get(se, "type");
    if (yn_str(t) && !in_list(yn_str(t), types)) audit_emit_at(p->c, "PSS-selinux", t, "%s sets SELinux type %s", who, yn_str(t));
    const ynode *u = yn_get(se, "user"), *r = yn_get(se, "role");
    if (u && !yn_is_null(u) && yn_str(u)[0]) audit_emit_at(p->c, "PSS-selinux", u, "%s sets a custom SELinux user", who);
    if (r && !yn_is_null(r) && yn_str(r)[0]) audit_emit_at(p->c, "PSS-selinux", r, "%s sets a custom SELinux role", who);
}

static void check_seccomp_unconfined(podctx *p, const char *who, const ynode *sc) {
    const ynode *t = yn_path(sc, "seccompProfile.type");
    if (yn_str(t) && !strcmp(yn_str(t), "Unconfined")) audit_emit_at(p->c, "PSS-seccomp", t, "%s sets seccompProfile Unconfined", who);
    const ynode *a = yn_path(sc, "appArmorProfile.type");
    if (yn_str(a) && !strcmp(yn_str(a), "Unconfined")) audit_emit_at(p->c, "PSS-apparmor", a, "%s sets appArmorProfile Unconfined", who);
    if (yn_is_true(yn_path(sc, "windowsOptions.hostProcess")))
        audit_emit_at(p->c, "PSS-host-process", yn_path(sc, "windowsOptions.hostProcess"), "%s is a Windows HostProcess container", who);
    check_selinux(p, who, yn_get(sc, "seLinuxOptions"));
}

static const char *const baseline_caps[] = { "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                             "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT", NULL };

static void check_container(podctx *p, const ynode *ctr, const char *list, bool ephemeral) {
    strbuf w = STRBUF_INIT;
    const char *name = yn_str(yn_get(ctr, "name"));
    sb_addf(&w, "%s %s '%s'", p->obj, list, name ? name : "?");
    const char *who = w.buf;
    const ynode *at = yn_get(ctr, "name") ? yn_get(ctr, "name") : ctr;
    const ynode *sc = yn_get(ctr, "securityContext");
    const ynode *v;
    if (yn_is_true(v = yn_get(sc, "privileged"))) audit_emit_at(p->c, "PSS-privileged", v, "%s is privileged", who);
    check_seccomp_unconfined(p, who, sc);
    if ((v = yn_get(sc, "procMount")) && yn_str(v) && strcmp(yn_str(v), "Default") != 0)
        audit_emit_at(p->c, "PSS-proc-mount", v, "%s uses procMount %s", who, yn_str(v));
    const ynode *add = yn_path(sc, "capabilities.add"), *drop = yn_path(sc, "capabilities.drop");
    for (size_t i = 0; i < yn_len(add); i++) {
        const ynode *a = yn_at(add, i);
        const char *s = yn_str(a);
        if (!s) continue;
        if (!in_list(rt_cap_norm(s), baseline_caps)) audit_emit_at(p->c, "PSS-capabilities", a, "%s adds capability %s", who, s);
        else if (restricted(p) && strcmp(rt_cap_norm(s), "NET_BIND_SERVICE") != 0)
            audit_emit_at(p->c, "PSS-capabilities-restricted", a, "%s adds capability %s (restricted allows only NET_BIND_SERVICE)", who, s);
    }
    const ynode *ports = yn_get(ctr, "ports");
    for (size_t i = 0; i < yn_len(ports); i++) {
        const ynode *hp = yn_get(yn_at(ports, i), "hostPort");
        long long n;
        if (hp && yn_int(hp, &n) && n != 0) audit_emit_at(p->c, "PSS-host-ports", hp, "%s uses hostPort %lld", who, n);
    }
    if (restricted(p)) {
        bool drop_all = false;
        for (size_t i = 0; i < yn_len(drop); i++) { const char *s = yn_str(yn_at(drop, i)); if (s && !strcmp(s, "ALL")) drop_all = true; }
        if (!drop_all) audit_emit_at(p->c, "PSS-capabilities-restricted", drop ? yn_key(yn_get(sc, "capabilities"), "drop") : at, "%s does not drop ALL capabilities", who);
        v = yn_get(sc, "allowPrivilegeEscalation");
        if (!yn_is_false(v)) audit_emit_at(p->c, "PSS-privilege-escalation", v ? v : at, "%s does not set allowPrivilegeEscalation: false", who);
        const ynode *nr = yn_get(sc, "runAsNonRoot");
        if (!nr) nr = yn_get(p->pod_sc, "runAsNonRoot");
        if (!yn_is_true(nr)) audit_emit_at(p->c, "PSS-run-as-non-root", nr ? nr : at, "%s does not set runAsNonRoot: true", who);
        const ynode *st = yn_path(sc, "seccompProfile.type");
        if (!st) st = yn_path(p->pod_sc, "seccompProfile.type");
        const char *sts = yn_str(st);
        if (!sts || (strcmp(sts, "RuntimeDefault") != 0 && strcmp(sts, "Localhost") != 0))
            audit_emit_at(p->c, "PSS-seccomp-restricted", st ? st : at, "%s has no RuntimeDefault/Localhost seccomp profile", who);
    }
    long long uid;
    if ((v = yn_get(sc, "runAsUser")) && yn_int(v, &uid) && uid == 0 && restricted(p))
        audit_emit_at(p->c, "PSS-run-as-user", v, "%s sets runAsUser: 0", who);
    if (!ephemeral) {
        const ynode *lim = yn_path(ctr, "resources.limits");
        bool mem = yn_get(lim, "memory") != NULL, cpu = yn_get(lim, "cpu") != NULL;
        if (!mem || !cpu)
            audit_emit_at(p->c, "BRIG-AUD-020", yn_key(ctr, "resources") ? yn_key(ctr, "resources") : at,
                          "%s has no %s limit", who, !mem && !cpu ? "memory or CPU" : !mem ? "memory" : "CPU");
    }
    sb_free(&w);
}

static void check_pod(audit_ctx *c, const char *obj, const ynode *spec, const ynode *meta) {
    podctx p = { c, obj, yn_get(spec, "securityContext"), yn_get(meta, "annotations") };
    const ynode *v;
    static const char *const ns[] = { "hostNetwork", "hostPID", "hostIPC", NULL };
    for (int i = 0; ns[i]; i++)
        if (yn_is_true(v = yn_get(spec, ns[i]))) audit_emit_at(c, "PSS-host-namespaces", v, "%s sets %s: true", obj, ns[i]);
    check_seccomp_unconfined(&p, obj, p.pod_sc);
    static const char *const safe_sysctls[] = { "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", NULL };
    const ynode *sys = yn_get(p.pod_sc, "sysctls");
    for (size_t i = 0; i < yn_len(sys); i++) {
        const ynode *n = yn_get(yn_at(sys, i), "name");
        if (yn_str(n) && !in_list(yn_str(n), safe_sysctls)) audit_emit_at(c, "PSS-sysctls", n, "%s sets unsafe sysctl %s", obj, yn_str(n));
    }
    long long uid;
    if ((v = yn_get(p.pod_sc, "runAsUser")) && yn_int(v, &uid) && uid == 0 && restricted(&p))
        audit_emit_at(c, "PSS-run-as-user", v, "%s sets runAsUser: 0 for the pod", obj);
    for (size_t i = 0; i < yn_len(p.annotations); i++) {
        const char *k = yn_str(yn_map_key(p.annotations, i));
        const ynode *val = yn_map_val(p.annotations, i);
        const char *s = yn_str(val);
        if (!k || !s) continue;
        if (!strncmp(k, "container.apparmor.security.beta.kubernetes.io/", 47) && strcmp(s, "runtime/default") != 0 && strncmp(s, "localhost/", 10) != 0)
            audit_emit_at(c, "PSS-apparmor", val, "%s annotation %s=%s", obj, k, s);
        if ((!strcmp(k, "seccomp.security.alpha.kubernetes.io/pod") || !strncmp(k, "container.seccomp.security.alpha.kubernetes.io/", 47)) && !strcmp(s, "unconfined"))
            audit_emit_at(c, "PSS-seccomp", val, "%s annotation %s=unconfined", obj, k);
    }
    static const char *const ok_vol[] = { "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", NULL };
    const ynode *vols = yn_get(spec, "volumes");
    for (size_t i = 0; i < yn_len(vols); i++) {
        const ynode *vol = yn_at(vols, i);
        const char *vname = yn_str(yn_get(vol, "name"));
        for (size_t k = 0; k < yn_len(vol); k++) {
            const ynode *key = yn_map_key(vol, k);
            const char *t = yn_str(key);
            if (!t || !strcmp(t, "name")) continue;
            if (!strcmp(t, "hostPath")) {
                const char *path = yn_str(yn_get(yn_map_val(vol, k), "path"));
                audit_emit_at(c, "PSS-hostpath-volumes", key, "%s volume '%s' is a hostPath (%s)", obj, vname ? vname : "?", path ? path : "?");
            }
            if (restricted(&p) && !in_list(t, ok_vol))
                audit_emit_at(c, "PSS-volume-types", key, "%s volume '%s' uses type %s", obj, vname ? vname : "?", t);
        }
    }
    static const char *const lists[] = { "initContainers", "containers", "ephemeralContainers", NULL };
    for (int l = 0; lists[l]; l++) {
        const ynode *cs = yn_get(spec, lists[l]);
        for (size_t i = 0; i < yn_len(cs); i++)
            if (yn_at(cs, i)->kind == YN_MAP) check_container(&p, yn_at(cs, i), l == 0 ? "init container" : l == 1 ? "container" : "ephemeral container", l == 2);
    }
}

static void check_object(audit_ctx *c, const ynode *o, int depth) {
    const char *kind = yn_str(yn_get(o, "kind"));
    if (!kind) return;
    if (!strcmp(kind, "List") || (strlen(kind) > 4 && !strcmp(kind + strlen(kind) - 4, "List"))) {
        const ynode *items = yn_get(o, "items");
        if (depth < 4) for (size_t i = 0; i < yn_len(items); i++) check_object(c, yn_at(items, i), depth + 1);
        return;
    }
    const char *name = yn_str(yn_path(o, "metadata.name"));
    char *obj = xasprintf("%s/%s", kind, name ? name : "?");
    const ynode *spec = NULL, *meta = NULL;
    if (!strcmp(kind, "Pod")) { spec = yn_get(o, "spec"); meta = yn_get(o, "metadata"); }
    else if (!strcmp(kind, "Deployment") || !strcmp(kind, "StatefulSet") || !strcmp(kind, "DaemonSet") || !strcmp(kind, "ReplicaSet") ||
             !strcmp(kind, "ReplicationController") || !strcmp(kind, "Job") || !strcmp(kind, "PodTemplate")) {
        const ynode *tpl = !strcmp(kind, "PodTemplate") ? yn_get(o, "template") : yn_path(o, "spec.template");
        spec = yn_get(tpl, "spec"); meta = yn_get(tpl, "metadata");
    } else if (!strcmp(kind, "CronJob")) {
        const ynode *tpl = yn_path(o, "spec.jobTemplate.spec.template");
        spec = yn_get(tpl, "spec"); meta = yn_get(tpl, "metadata");
    }
    if (spec && spec->kind == YN_MAP) check_pod(c, obj, spec, meta);
    free(obj);
}

int audit_k8s(audit_ctx *c, const ydoc *d) {
    for (size_t i = 0; i < d->n_docs; i++) {
        const ynode *root = d->docs[i];
        if (!root || yn_is_null(root)) continue;   /* empty document between `---` */
        if (root->kind != YN_MAP)
            return brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: a Kubernetes manifest must be a mapping", c->file, root->line, root->col);
        check_object(c, root, 0);
    }
    return 0;
}
