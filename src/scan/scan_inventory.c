/* One walk over the image layers (top to bottom) feeding the package parsers.
 * Deleted/replaced files are ignored, except older copies of the OS package
 * databases (dpkg, apk, rpm), which tell in which layer each package first appeared. */
#include "scan/scan_inventory.h"
#include "scan/pkg_parsers.h"
#include "cli/cli.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#pragma weak brig_reader_read
#pragma weak brig_image_walk   /* image area may be left out of a build: callers check brig_image_open first */

#define MB(x) ((size_t)(x) << 20)

typedef struct { char *pkg; char **lics; size_t n; } copyright;

typedef struct {
    brig_image *img;
    brig_inventory *inv;
    char *osrel_etc, *osrel_usr, *alpine_rel, *debian_ver;
    size_t osrel_etc_len, osrel_usr_len, alpine_len, debian_len;
    brig_pkglist hist;                 /* packages of older dpkg/apk/rpm databases (layer attribution) */
    copyright *cr; size_t n_cr, cap_cr;
    size_t last_layer;
    int rc;
} walk_ctx;

static void inv_warn(brig_inventory *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void inv_warn(brig_inventory *inv, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0) m = NULL;
    va_end(ap);
    if (!m) return;
    if (inv->n_warnings >= 1000) { free(m); return; }   /* a hostile image must not flood memory */
    inv->warnings = xrealloc(inv->warnings, (inv->n_warnings + 1) * sizeof *inv->warnings);
    inv->warnings[inv->n_warnings++] = m;
}

/* Reads the current entry's content (at most max bytes). 1 = too big (skipped). */
static int slurp(brig_reader *r, unsigned long long size, size_t max, char **out, size_t *len) {
    if (size > max) return 1;
    size_t cap = (size_t)size + 1, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max + 1) { free(buf); return 1; }
            cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t k = brig_reader_read(r, buf + n, cap - n - 1);
        if (k < 0) { free(buf); return -1; }
        if (k == 0) break;
        n += (size_t)k;
    }
    buf[n] = 0;
    *out = buf; *len = n;
    return 0;
}

static const char *layer_name(const brig_image *img, size_t layer) {
    return layer < img->n_layers && img->layers[layer].digest ? img->layers[layer].digest : "-";
}

static int add_copyright(walk_ctx *c, const char *path, const char *buf, size_t len) {
    const char *pkg = path + 14;
    size_t pl = strcspn(pkg, "/");
    c->cr = xgrow(c->cr, &c->cap_cr, c->n_cr + 1, sizeof *c->cr);
    copyright *e = &c->cr[c->n_cr++];
    e->pkg = xstrndup(pkg, pl);
    return brig_pkg_parse_copyright(buf, len, &e->lics, &e->n);
}

/* Per-kind read limits: OS databases are essential (refuse if absurd), language
 * manifests are many and optional (skip with a warning). */
static size_t kind_max(brig_inv_kind k) {
    switch (k) {
    case BRIG_INV_OSREL_ETC: case BRIG_INV_OSREL_USR: case BRIG_INV_ALPINE_REL: case BRIG_INV_DEBIAN_VER: return 64 * 1024;
    case BRIG_INV_DPKG_STATUS: case BRIG_INV_APK: return MB(128);
    case BRIG_INV_DPKG_STATUSD: return MB(4);
    case BRIG_INV_DPKG_COPYRIGHT: return MB(1);
    case BRIG_INV_RPM_SQLITE: case BRIG_INV_RPM_BDB: return MB(512);
    case BRIG_INV_NPM_LOCK: return MB(128);
    case BRIG_INV_NPM_PKG: return MB(4);
    case BRIG_INV_PY_META: return MB(8);
    /* whole-file reads: bounded so a compressed bomb cannot make us allocate gigabytes */
    case BRIG_INV_JAR: return MB(256);
    case BRIG_INV_EXEC: return MB(256);
    default: return 0;
    }
}

static int on_entry(void *vc, const brig_entry *e, brig_reader *r) {
    walk_ctx *c = vc;
    brig_inventory *inv = c->inv;
    if (e->layer != c->last_layer) {
        c->last_layer = e->layer;
        brig_progress("reading layers", c->img->n_layers - e->layer, c->img->n_layers + 1);
    }
    if (e->type != BRIG_FT_REG) return 0;
    brig_inv_kind k = brig_inv_classify(e->path, e->mode, e->size);
    if (k == BRIG_INV_NONE) return 0;
    /* Older copies of the OS package database (replaced by a later layer) are
     * read too: they tell in which layer each package first appeared. */
    int old_copy = e->state != BRIG_ENTRY_VISIBLE;
    if (old_copy && k != BRIG_INV_DPKG_STATUS && k != BRIG_INV_APK && k != BRIG_INV_RPM_SQLITE && k != BRIG_INV_RPM_BDB) return 0;
    size_t max = kind_max(k);
    char *buf = NULL; size_t len = 0;
    if (k == BRIG_INV_EXEC) {
        /* Only ELF files are candidates: read 64 bytes first, the rest if ELF. */
        unsigned char head[64];
        size_t hn = 0;
        while (hn < sizeof head) {
            ssize_t got = brig_reader_read(r, head + hn, sizeof head - hn);
            if (got < 0) return BRIG_EXIT_INPUT;
            if (got == 0) break;
            hn += (size_t)got;
        }
        inv->files_read++;
        if (!brig_pkg_is_elf(head, hn) || hn < sizeof head) return 0;
        if (e->size > max) { inv_warn(inv, "%s: executable larger than %zu MiB not inspected for Go build info", e->path, max >> 20); return 0; }
        buf = xmalloc((size_t)e->size + 1);
        memcpy(buf, head, hn);
        len = hn;
        for (;;) {
            ssize_t got = len < e->size ? brig_reader_read(r, buf + len, (size_t)e->size - len) : 0;
            if (got < 0) { free(buf); return BRIG_EXIT_INPUT; }
            if (got == 0) break;
            len += (size_t)got;
        }
        int prc = brig_pkg_parse_gobin(e->path, (const unsigned char *)buf, len, e->layer, &inv->pkgs);
        if (prc) inv_warn(inv, "%s", brig_errmsg());
        free(buf);
        return 0;
    }
    int s = slurp(r, e->size, max, &buf, &len);
    if (s < 0) return BRIG_EXIT_INPUT;
    inv->files_read++;
    int essential = k == BRIG_INV_DPKG_STATUS || k == BRIG_INV_APK || k == BRIG_INV_RPM_SQLITE || k == BRIG_INV_RPM_BDB;
    if (s > 0) {
        if (essential)
            return brig_fail(BRIG_EXIT_UNSAFE, "%s (layer %zu): package database larger than %zu MiB; refusing", e->path, e->layer, max >> 20);
        inv_warn(inv, "%s: larger than %zu MiB, not inspected", e->path, max >> 20);
        return 0;
    }
    int prc = 0;
    switch (k) {
    case BRIG_INV_OSREL_ETC: c->osrel_etc = buf; c->osrel_etc_len = len; buf = NULL; break;
    case BRIG_INV_OSREL_USR: c->osrel_usr = buf; c->osrel_usr_len = len; buf = NULL; break;
    case BRIG_INV_ALPINE_REL: c->alpine_rel = buf; c->alpine_len = len; buf = NULL; break;
    case BRIG_INV_DEBIAN_VER: c->debian_ver = buf; c->debian_len = len; buf = NULL; break;
    case BRIG_INV_DPKG_STATUS:
        prc = brig_pkg_parse_dpkg(e->path, buf, len, e->layer, 1,
                                  e->state == BRIG_ENTRY_VISIBLE ? &inv->pkgs : &c->hist);
        if (prc && e->state != BRIG_ENTRY_VISIBLE) { prc = 0; }   /* an old copy only refines layers */
        break;
    case BRIG_INV_DPKG_STATUSD: prc = brig_pkg_parse_dpkg(e->path, buf, len, e->layer, 0, &inv->pkgs); break;
    case BRIG_INV_DPKG_COPYRIGHT: prc = add_copyright(c, e->path, buf, len); break;
    case BRIG_INV_APK:
        prc = brig_pkg_parse_apk(e->path, buf, len, e->layer, e->state == BRIG_ENTRY_VISIBLE ? &inv->pkgs : &c->hist);
        if (prc && e->state != BRIG_ENTRY_VISIBLE) prc = 0;
        break;
    case BRIG_INV_RPM_SQLITE:
        prc = brig_pkg_parse_rpm_sqlite(e->path, buf, len, e->layer, old_copy ? &c->hist : &inv->pkgs);
        if (old_copy) prc = 0;
        break;
    case BRIG_INV_RPM_BDB: {
        /* Packages.db is ndb (SUSE), read natively; Packages is Berkeley DB, read
         * with librpm.  Without librpm the scan goes on, saying loudly what is missing. */
        size_t pl = strlen(e->path);
        int ndb = (len >= 4 && !memcmp(buf, "RpmP", 4)) || (pl >= 12 && !strcmp(e->path + pl - 12, "/Packages.db"));
        brig_pkglist *to = old_copy ? &c->hist : &inv->pkgs;
        prc = ndb ? brig_pkg_parse_rpm_ndb(e->path, buf, len, e->layer, to) : brig_pkg_parse_rpm_bdb(e->path, buf, len, e->layer, to);
        if (old_copy) prc = 0;   /* an old copy only refines layers (the visible one warns) */
        if (prc == BRIG_EXIT_NOTIMPL) {
            inv_warn(inv, "%s; its packages are NOT inventoried", brig_errmsg());
            prc = 0;
        }
        break;
    }
    case BRIG_INV_NPM_LOCK: prc = brig_pkg_parse_npm_lock(e->path, buf, len, e->layer, &inv->pkgs); break;
    case BRIG_INV_NPM_PKG: prc = brig_pkg_parse_npm_package(e->path, buf, len, e->layer, &inv->pkgs); break;
    case BRIG_INV_PY_META: prc = brig_pkg_parse_python(e->path, buf, len, e->layer, &inv->pkgs); break;
    case BRIG_INV_JAR: prc = brig_pkg_parse_jar(e->path, buf, len, e->layer, &inv->pkgs); break;
    default: break;
    }
    free(buf);
    if (prc) {
        if (essential) return brig_fail_context(prc, "layer %zu (%s)", e->layer, layer_name(c->img, e->layer));
        inv_warn(inv, "%s (skipped)", brig_errmsg());
    }
    return 0;
}

static int cmp_cr(const void *a, const void *b) { return strcmp(((const copyright *)a)->pkg, ((const copyright *)b)->pkg); }

static int is_lockfile(const char *path) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    return !strcmp(b, "package-lock.json") || !strcmp(b, "npm-shrinkwrap.json");
}

/* Drop lockfile entries also found installed under node_modules (same name and
 * version): the installed package.json is the more precise location. */
static void npm_dedupe(brig_pkglist *l) {
    brig_pkglist_sort(l);
    size_t w = 0;
    for (size_t i = 0; i < l->n;) {
        size_t j = i + 1;
        while (j < l->n && l->v[j].type == l->v[i].type && !strcmp(l->v[j].name, l->v[i].name) &&
               !strcmp(l->v[j].version, l->v[i].version)) j++;
        int installed = 0;
        if (l->v[i].type == BRIG_PKG_NPM)
            for (size_t k = i; k < j; k++) if (!is_lockfile(l->v[k].path)) installed = 1;
        for (size_t k = i; k < j; k++) {
            if (installed && is_lockfile(l->v[k].path)) brig_pkg_free(&l->v[k]);
            else l->v[w++] = l->v[k];
        }
        i = j;
    }
    l->n = w;
}

static int cmp_type_name(const void *key, const void *elem) {
    const brig_pkg *k = key, *e = elem;
    if (k->type != e->type) return (int)k->type - (int)e->type;
    return strcmp(k->name, e->name);
}

/* The layer where each OS package (same type, name, version, arch) first appeared. */
static void os_pkg_layers(brig_pkglist *pk, brig_pkglist *hist) {
    if (!hist->n) return;
    brig_pkglist_sort(hist);   /* by type, then name */
    for (size_t i = 0; i < pk->n; i++) {
        brig_pkg *p = &pk->v[i];
        if (p->type != BRIG_PKG_DPKG && p->type != BRIG_PKG_APK && p->type != BRIG_PKG_RPM) continue;
        brig_pkg *h = bsearch(p, hist->v, hist->n, sizeof *hist->v, cmp_type_name);
        if (!h) continue;
        while (h > hist->v && !cmp_type_name(p, &h[-1])) h--;
        for (; h < hist->v + hist->n && !cmp_type_name(p, h); h++)
            if (h->layer < p->layer && !strcmp(h->version, p->version) &&
                !strcmp(h->arch ? h->arch : "", p->arch ? p->arch : "")) p->layer = h->layer;
    }
}

int brig_inventory_image(brig_image *img, brig_inventory *inv) {
    memset(inv, 0, sizeof *inv);
    walk_ctx c; memset(&c, 0, sizeof c);
    c.img = img; c.inv = inv; c.last_layer = (size_t)-1;
    int rc = brig_image_walk(img, 0, on_entry, &c);
    brig_progress_done();
    if (!rc) {
        /* OS: etc/os-release wins (it may be a symlink, then usr/lib/os-release is read) */
        if (c.osrel_etc) rc = brig_os_parse_release("etc/os-release", c.osrel_etc, c.osrel_etc_len, &inv->os);
        else if (c.osrel_usr) rc = brig_os_parse_release("usr/lib/os-release", c.osrel_usr, c.osrel_usr_len, &inv->os);
        if (rc) { inv_warn(inv, "%s", brig_errmsg()); rc = 0; }
        if (c.alpine_rel) brig_os_from_alpine_release(&inv->os, c.alpine_rel, c.alpine_len);
        if (c.debian_ver) brig_os_from_debian_version(&inv->os, c.debian_ver, c.debian_len);
    }
    if (!rc) {
        if (c.n_cr > 1) qsort(c.cr, c.n_cr, sizeof *c.cr, cmp_cr);
        for (size_t i = 0; i < inv->pkgs.n; i++) {
            brig_pkg *p = &inv->pkgs.v[i];
            if (p->type != BRIG_PKG_DPKG) continue;
            copyright key = { p->name, NULL, 0 };
            copyright *cr = c.n_cr ? bsearch(&key, c.cr, c.n_cr, sizeof *c.cr, cmp_cr) : NULL;
            if (cr) for (size_t k = 0; k < cr->n; k++) brig_pkg_add_license(p, cr->lics[k]);
        }
        os_pkg_layers(&inv->pkgs, &c.hist);
        npm_dedupe(&inv->pkgs);
        brig_pkglist_dedupe(&inv->pkgs);
        brig_pkglist_fill_purls(&inv->pkgs, &inv->os);
    }
    free(c.osrel_etc); free(c.osrel_usr); free(c.alpine_rel); free(c.debian_ver);
    brig_pkglist_free(&c.hist);
    for (size_t i = 0; i < c.n_cr; i++) {
        free(c.cr[i].pkg);
        for (size_t k = 0; k < c.cr[i].n; k++) free(c.cr[i].lics[k]);
        free(c.cr[i].lics);
    }
    free(c.cr);
    if (rc) brig_inventory_free(inv);
    return rc;
}

void brig_inventory_free(brig_inventory *inv) {
    brig_os_free(&inv->os);
    brig_pkglist_free(&inv->pkgs);
    for (size_t i = 0; i < inv->n_warnings; i++) free(inv->warnings[i]);
    free(inv->warnings);
    memset(inv, 0, sizeof *inv);
}
