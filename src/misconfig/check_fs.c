/* Checks on the merged filesystem (what a container actually sees): special
 * permission bits, world-writable paths, package caches, sudo, and files that
 * should never ship (keys, .git, .env, credential files). */
#include "misconfig/mc.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Per-check caps: an image with 10,000 world-writable files needs one
 * summary, not 10,000 lines. */
#define MAX_PER_CHECK 100

typedef struct {
    mc_ctx *c;
    size_t n_suid, n_ww, n_ssh, n_git, n_env;
    size_t cache_entries[8];
} fs_walk;

static const struct { const char *dir; const char *what; } caches[] = {
    { "var/cache/apt/archives", "apt package archives (*.deb)" },
    { "var/lib/apt/lists", "apt package lists" },
    { "var/cache/apk", "apk cache" },
    { "root/.cache/pip", "pip cache" },
    { "root/.npm", "npm cache" },
    { "var/cache/yum", "yum cache" },
    { "var/cache/dnf", "dnf cache" },
    { "root/.cache/yarn", "yarn cache" },
};

static bool capped(mc_ctx *c, size_t *n, const char *id, const char *path) {
    (*n)++;
    if (*n <= MAX_PER_CHECK) return false;
    if (*n == MAX_PER_CHECK + 1) mc_report(c, id, path, 0, "more than %d such paths; only the first %d are listed", MAX_PER_CHECK, MAX_PER_CHECK);
    return true;
}

static const char *base_name(const char *p) { const char *s = strrchr(p, '/'); return s ? s + 1 : p; }

static bool has_component(const char *p, const char *comp) {
    size_t n = strlen(comp);
    for (const char *s = p; (s = strstr(s, comp)); s++)
        if ((s == p || s[-1] == '/') && (s[n] == '/' || s[n] == 0)) return true;
    return false;
}

static bool under(const char *path, const char *dir) {
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static bool is_credential_file(const char *path, const char *name) {
    if (!strcmp(name, ".env") || (!strncmp(name, ".env.", 5) && strcmp(name, ".env.example") && strcmp(name, ".env.sample") &&
                                  strcmp(name, ".env.template") && strcmp(name, ".env.dist")))
        return true;
    static const char *const names[] = { ".git-credentials", ".netrc", ".pgpass", ".pypirc", ".s3cfg", ".htpasswd", "credentials.json",
                                         "service-account.json", ".vault-token", ".my.cnf" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) if (!strcmp(name, names[i])) return true;
    size_t l = strlen(path);
    return (l >= 16 && !strcmp(path + l - 16, ".aws/credentials")) || (l >= 19 && !strcmp(path + l - 19, ".docker/config.json")) ||
           (l >= 15 && !strcmp(path + l - 15, ".kube/config"));
}

static bool is_ssh_private_key(const char *path, const char *name) {
    size_t l = strlen(name);
    bool pub = l > 4 && !strcmp(name + l - 4, ".pub");
    if (pub) return false;
    if (has_component(path, ".ssh") && (!strncmp(name, "id_", 3) || !strcmp(name, "identity"))) return true;
    /* host keys baked into an image are shared by every container */
    return under(path, "etc/ssh") && !strncmp(name, "ssh_host_", 9) && l > 4 && !strcmp(name + l - 4, "_key");
}

static void visit(fs_walk *w, const brig_fsnode *n, const char *path) {
    mc_ctx *c = w->c;
    const char *name = base_name(path);
    if (n->type == BRIG_FT_REG && (n->mode & (S_ISUID | S_ISGID)) && !capped(c, &w->n_suid, "CIS-DI-0008", path))
        mc_report(c, "CIS-DI-0008", path, 0, "/%s is %s%s%s (mode %04o, owner %u)", path, n->mode & S_ISUID ? "setuid" : "",
                  (n->mode & S_ISUID) && (n->mode & S_ISGID) ? "+" : "", n->mode & S_ISGID ? "setgid" : "", n->mode & 07777, n->uid);
    if ((n->type == BRIG_FT_REG || n->type == BRIG_FT_DIR) && (n->mode & S_IWOTH) && !(n->type == BRIG_FT_DIR && (n->mode & S_ISVTX)) &&
        !capped(c, &w->n_ww, "BRIG-IMG-002", path))
        mc_report(c, "BRIG-IMG-002", path, 0, "/%s is a world-writable %s (mode %04o)", path, n->type == BRIG_FT_DIR ? "directory" : "file", n->mode & 07777);
    if (n->type == BRIG_FT_REG) {
        if (!strcmp(name, "sudo") && (under(path, "usr/bin") || under(path, "bin") || under(path, "usr/local/bin") || under(path, "usr/sbin")))
            mc_report(c, "DKL-DI-0001", path, 0, "/%s is installed", path);
        if (is_ssh_private_key(path, name) && !capped(c, &w->n_ssh, "BRIG-IMG-005", path))
            mc_report(c, "BRIG-IMG-005", path, 0, "/%s", path);
        if (is_credential_file(path, name) && !capped(c, &w->n_env, "BRIG-IMG-007", path))
            mc_report(c, "BRIG-IMG-007", path, 0, "/%s (%llu bytes)", path, (unsigned long long)n->size);
    }
    if (n->type == BRIG_FT_DIR && !strcmp(name, ".git") && !capped(c, &w->n_git, "BRIG-IMG-006", path))
        mc_report(c, "BRIG-IMG-006", path, 0, "/%s", path);
    for (size_t i = 0; i < sizeof caches / sizeof caches[0]; i++) {
        if (!under(path, caches[i].dir) || n->type != BRIG_FT_REG) continue;
        /* apt keeps a lock file and a partial/ dir even when clean */
        if (!strcmp(name, "lock") || strstr(path, "/partial/")) continue;
        if (i == 0 && !(strlen(name) > 4 && !strcmp(name + strlen(name) - 4, ".deb"))) continue;
        w->cache_entries[i]++;
    }
}

static void walk(fs_walk *w, const brig_fsnode *dir, const char *prefix, int depth) {
    if (depth > 512) return;   /* the image reader already bounds depth; belt and braces */
    for (const brig_fsnode *ch = dir->children; ch; ch = ch->next) {
        char *path = prefix[0] ? xasprintf("%s/%s", prefix, ch->name) : xstrdup(ch->name);
        visit(w, ch, path);
        if (ch->type == BRIG_FT_DIR) walk(w, ch, path, depth + 1);
        free(path);
    }
}

void mc_check_fs(mc_ctx *c) {
    if (!c->fs || !c->fs->root) return;
    fs_walk w = { .c = c };
    walk(&w, c->fs->root, "", 0);
    /* Keys and credential files a later layer deleted still ship in the earlier layer. */
    for (size_t i = 0; i < c->fs->n_deleted; i++) {
        const brig_deleted *d = &c->fs->deleted[i];
        if (d->type != BRIG_FT_REG) continue;
        const char *name = base_name(d->path);
        if (is_ssh_private_key(d->path, name) && !capped(c, &w.n_ssh, "BRIG-IMG-005", d->path))
            mc_report(c, "BRIG-IMG-005", d->path, 0, "/%s: added in layer %zu, deleted by layer %zu but still readable in the image",
                      d->path, d->layer, d->removed_in);
        if (is_credential_file(d->path, name) && !capped(c, &w.n_env, "BRIG-IMG-007", d->path))
            mc_report(c, "BRIG-IMG-007", d->path, 0, "/%s: added in layer %zu, deleted by layer %zu but still readable in the image",
                      d->path, d->layer, d->removed_in);
    }
    for (size_t i = 0; i < sizeof caches / sizeof caches[0]; i++)
        if (w.cache_entries[i])
            mc_report(c, "DKL-DI-0005", caches[i].dir, 0, "%s left in /%s (%zu files)", caches[i].what, caches[i].dir, w.cache_entries[i]);
}
