/* Checks on the image config: user, healthcheck, environment, ports,
 * volumes, tag and base-image labels. */
#include "misconfig/mc.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_root_user(const char *u) {
    if (!u || !*u) return true;
    size_t n = strcspn(u, ":");   /* "user:group": the user part decides */
    return (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0') || n == 0;
}

static void check_user(mc_ctx *c) {
    const char *u = c->img->user;
    if (!is_root_user(u)) return;
    mc_report(c, "CIS-DI-0001", "config:User", 0, u && *u ? "config User is '%s': processes run as root" : "%sno USER in the image config: processes run as root",
              u && *u ? u : "");
}

static void check_healthcheck(mc_ctx *c) {
    const brig_image *img = c->img;
    bool none = img->n_healthcheck == 0 || !img->healthcheck || (img->n_healthcheck >= 1 && img->healthcheck[0] && !strcmp(img->healthcheck[0], "NONE"));
    if (!none) return;
    mc_report(c, "CIS-DI-0006", "config:Healthcheck", 0, "%s", img->n_healthcheck ? "HEALTHCHECK is disabled (NONE)" : "no HEALTHCHECK in the image config");
}

static void check_env(mc_ctx *c) {
    for (size_t i = 0; i < c->img->n_env; i++) {
        const char *kv = c->img->env[i];
        const char *eq = strchr(kv, '=');
        if (!eq) continue;
        if (!mc_suspicious_name(kv, (size_t)(eq - kv)) || !mc_literal_value(eq + 1)) continue;
        char file[48];
        snprintf(file, sizeof file, "config:Env[%zu]", i);
        mc_report(c, "CIS-DI-0010", file, 0, "ENV %.*s is set to a literal value (%zu characters) in the image config",
                  (int)(eq - kv), kv, strlen(eq + 1));
    }
}

static void check_ports(mc_ctx *c) {
    for (size_t i = 0; i < c->img->n_exposed_ports; i++) {
        const char *p = c->img->exposed_ports[i];
        if (strcmp(p, "22") == 0 || strncmp(p, "22/", 3) == 0)
            mc_report(c, "BRIG-IMG-003", "config:ExposedPorts", 0, "EXPOSE %s", p);
    }
}

static void check_volumes(mc_ctx *c) {
    static const char *const sensitive[] = {
        "/", "/proc", "/sys", "/dev", "/etc", "/boot", "/root", "/lib/modules", "/var/run", "/run",
        "/var/run/docker.sock", "/run/docker.sock", "/var/lib/docker", "/run/containerd", "/var/run/containerd/containerd.sock",
        "/run/podman/podman.sock", "/var/run/crio/crio.sock",
    };
    for (size_t i = 0; i < c->img->n_volumes; i++) {
        const char *v = c->img->volumes[i];
        char *n = xstrdup(v);
        size_t l = strlen(n);
        while (l > 1 && n[l - 1] == '/') n[--l] = 0;
        for (size_t k = 0; k < sizeof sensitive / sizeof sensitive[0]; k++)
            if (!strcmp(n, sensitive[k])) { mc_report(c, "DKL-DI-0002", "config:Volumes", 0, "VOLUME %s", v); break; }
        free(n);
    }
}

static const char *label(const brig_image *img, const char *key) {
    for (size_t i = 0; i < img->n_labels; i++)
        if (!strcmp(img->label_keys[i], key)) return img->label_values[i];
    return NULL;
}

/* "name[:tag][@digest]": the tag, "" when absent. */
static void split_ref(const char *ref, char *tag, size_t tagsz, bool *has_digest) {
    *has_digest = strchr(ref, '@') != NULL;
    size_t end = strcspn(ref, "@");
    const char *slash = NULL;
    for (const char *p = ref; p < ref + end; p++) if (*p == '/') slash = p;
    const char *colon = NULL;
    for (const char *p = slash ? slash : ref; p < ref + end; p++) if (*p == ':') colon = p;
    if (!colon) { tag[0] = 0; return; }
    snprintf(tag, tagsz, "%.*s", (int)(ref + end - colon - 1), colon + 1);
}

static void check_tags(mc_ctx *c) {
    const brig_image *img = c->img;
    if (img->tag && !strcmp(img->tag, "latest"))
        mc_report(c, "DKL-DI-0006", "image", 0, "image is tagged 'latest'; consumers cannot tell versions apart");
    const char *base = label(img, "org.opencontainers.image.base.name");
    if (!base || !*base) return;
    char tag[256];
    bool digest;
    split_ref(base, tag, sizeof tag, &digest);
    const char *bd = label(img, "org.opencontainers.image.base.digest");
    if (!digest && !(bd && *bd)) {
        if (!tag[0] || !strcmp(tag, "latest"))
            mc_report(c, "DKL-DI-0006", "config:Labels", 0, "base image %s uses %s", base, tag[0] ? "the 'latest' tag" : "no tag (implicitly 'latest')");
        mc_report(c, "BRIG-IMG-008", "config:Labels", 0, "base image %s is not pinned by digest", base);
    }
}

void mc_check_config(mc_ctx *c) {
    check_user(c);
    check_healthcheck(c);
    check_env(c);
    check_ports(c);
    check_volumes(c);
    check_tags(c);
}
