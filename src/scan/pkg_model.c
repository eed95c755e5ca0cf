/* Package list bookkeeping and Package URLs. */
#include "scan/pkg_model.h"
#include "scan/pkg_parsers.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

brig_pkg *brig_pkglist_add(brig_pkglist *l, brig_pkg_type t, const char *name, const char *version,
                           const char *path, size_t layer) {
    l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
    brig_pkg *p = &l->v[l->n++];
    memset(p, 0, sizeof *p);
    p->type = t;
    p->name = xstrdup(name ? name : "");
    p->version = xstrdup(version ? version : "");
    p->path = xstrdup(path ? path : "");
    p->layer = layer;
    return p;
}

int brig_pkglist_add_span(brig_pkglist *l, brig_pkg_type t, const char *name, size_t name_len,
                          const char *version, size_t version_len, const char *path, size_t line, size_t layer,
                          brig_pkg **added) {
    if (l->n >= BRIG_PKG_MAX_RECORDS)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s:%zu:1: more than %d packages; refusing an implausibly large database",
                         path, line, BRIG_PKG_MAX_RECORDS);
    char *n = xstrndup(name, name_len), *v = xstrndup(version, version_len);
    brig_pkg *p = brig_pkglist_add(l, t, n, v, path, layer);
    free(n); free(v);
    if (added) *added = p;
    return 0;
}

void brig_pkg_set(char **field, const char *value) {
    free(*field);
    *field = value ? xstrdup(value) : NULL;
}

void brig_pkg_add_license(brig_pkg *p, const char *lic) {
    if (!lic || !*lic) return;
    for (size_t i = 0; i < p->n_licenses; i++) if (!strcmp(p->licenses[i], lic)) return;
    if (p->n_licenses >= 64) return;   /* a hostile file must not make this quadratic */
    p->licenses = xrealloc(p->licenses, (p->n_licenses + 1) * sizeof *p->licenses);
    p->licenses[p->n_licenses++] = xstrdup(lic);
}

void brig_pkg_free(brig_pkg *p) {
    free(p->name); free(p->group); free(p->version); free(p->src_name); free(p->src_version);
    free(p->arch); free(p->path); free(p->purl);
    for (size_t i = 0; i < p->n_licenses; i++) free(p->licenses[i]);
    free(p->licenses);
}

void brig_pkglist_free(brig_pkglist *l) {
    for (size_t i = 0; i < l->n; i++) brig_pkg_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int pkg_cmp(const void *pa, const void *pb) {
    const brig_pkg *a = pa, *b = pb;
    if (a->type != b->type) return (int)a->type - (int)b->type;
    int c = strcmp(a->name, b->name);
    if (c) return c;
    if ((c = strcmp(a->version, b->version))) return c;
    return strcmp(a->path, b->path);
}
void brig_pkglist_sort(brig_pkglist *l) { if (l->n > 1) qsort(l->v, l->n, sizeof *l->v, pkg_cmp); }

void brig_pkglist_dedupe(brig_pkglist *l) {
    brig_pkglist_sort(l);
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (w > 0 && pkg_cmp(&l->v[w - 1], &l->v[i]) == 0) {
            /* keep the lowest layer: that is where the package was introduced */
            if (l->v[i].layer < l->v[w - 1].layer) l->v[w - 1].layer = l->v[i].layer;
            brig_pkg_free(&l->v[i]);
            continue;
        }
        l->v[w++] = l->v[i];
    }
    l->n = w;
}

const char *brig_pkg_type_name(brig_pkg_type t) {
    switch (t) {
    case BRIG_PKG_DPKG: return "dpkg";
    case BRIG_PKG_APK: return "apk";
    case BRIG_PKG_RPM: return "rpm";
    case BRIG_PKG_NPM: return "npm";
    case BRIG_PKG_PYPI: return "python";
    case BRIG_PKG_GO: return "gobinary";
    case BRIG_PKG_MAVEN: return "jar";
    }
    return "unknown";
}

const char *brig_pkg_purl_type(brig_pkg_type t) {
    switch (t) {
    case BRIG_PKG_DPKG: return "deb";
    case BRIG_PKG_APK: return "apk";
    case BRIG_PKG_RPM: return "rpm";
    case BRIG_PKG_NPM: return "npm";
    case BRIG_PKG_PYPI: return "pypi";
    case BRIG_PKG_GO: return "golang";
    case BRIG_PKG_MAVEN: return "maven";
    }
    return "generic";
}

brig_ecosystem brig_pkg_ecosystem(brig_pkg_type t) {
    switch (t) {
    case BRIG_PKG_DPKG: return BRIG_ECO_DEBIAN;
    case BRIG_PKG_APK: return BRIG_ECO_ALPINE;
    case BRIG_PKG_RPM: return BRIG_ECO_RPM;
    case BRIG_PKG_NPM: return BRIG_ECO_NPM;
    case BRIG_PKG_PYPI: return BRIG_ECO_PYPI;
    case BRIG_PKG_GO: return BRIG_ECO_GO;
    case BRIG_PKG_MAVEN: return BRIG_ECO_MAVEN;
    }
    return BRIG_ECO_UNKNOWN;
}

/* purl spec: percent-encode everything but unreserved characters; '/' is kept
 * only where it separates namespace segments (keep_slash). */
static void pct(strbuf *sb, const char *s, int keep_slash) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '.' || *p == '-' || *p == '_' || *p == '~' || (keep_slash && *p == '/'))
            sb_addc(sb, (char)*p);
        else { sb_addc(sb, '%'); sb_addc(sb, hex[*p >> 4]); sb_addc(sb, hex[*p & 15]); }
    }
}

static char *pypi_normalize(const char *n) {
    /* PEP 503: lowercase, runs of -_. become one '-' */
    strbuf sb = STRBUF_INIT;
    int dash = 0;
    for (const char *p = n; *p; p++) {
        if (*p == '-' || *p == '_' || *p == '.') { dash = 1; continue; }
        if (dash && sb.len) sb_addc(&sb, '-');
        dash = 0;
        sb_addc(&sb, (char)tolower((unsigned char)*p));
    }
    if (!sb.len) sb_adds(&sb, "");
    return sb_detach(&sb);
}

char *brig_pkg_purl(const brig_pkg *p, const brig_os *os) {
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "pkg:");
    sb_adds(&sb, brig_pkg_purl_type(p->type));
    sb_addc(&sb, '/');
    const char *ver = p->version;
    const char *epoch_end = NULL;
    if (p->type == BRIG_PKG_DPKG || p->type == BRIG_PKG_RPM) {
        /* epochs go into the "epoch" qualifier, as Trivy and Syft spell it */
        const char *c = strchr(ver, ':');
        if (c && c > ver && strspn(ver, "0123456789") == (size_t)(c - ver)) { epoch_end = c; ver = c + 1; }
    }
    switch (p->type) {
    case BRIG_PKG_DPKG: case BRIG_PKG_APK: case BRIG_PKG_RPM:
        pct(&sb, os && os->id ? os->id : (p->type == BRIG_PKG_DPKG ? "debian" : p->type == BRIG_PKG_APK ? "alpine" : "redhat"), 0);
        sb_addc(&sb, '/');
        pct(&sb, p->name, 0);
        break;
    case BRIG_PKG_NPM: {
        const char *slash = p->name[0] == '@' ? strchr(p->name, '/') : NULL;
        if (slash) {
            char *ns = xstrndup(p->name, (size_t)(slash - p->name));
            pct(&sb, ns, 0); free(ns);
            sb_addc(&sb, '/');
            pct(&sb, slash + 1, 0);
        } else pct(&sb, p->name, 0);
        break;
    }
    case BRIG_PKG_PYPI: { char *n = pypi_normalize(p->name); pct(&sb, n, 0); free(n); break; }
    case BRIG_PKG_GO: pct(&sb, p->name, 1); break;   /* namespace/name are the module path segments */
    case BRIG_PKG_MAVEN: {
        const char *c = strchr(p->name, ':');
        if (c) {
            char *g = xstrndup(p->name, (size_t)(c - p->name));
            pct(&sb, g, 0); free(g);
            sb_addc(&sb, '/');
            pct(&sb, c + 1, 0);
        } else pct(&sb, p->name, 0);
        break;
    }
    }
    if (*ver) { sb_addc(&sb, '@'); pct(&sb, ver, 0); }
    /* qualifiers, sorted by key as the spec requires */
    char sep = '?';
    if (p->arch && *p->arch && (p->type == BRIG_PKG_DPKG || p->type == BRIG_PKG_APK || p->type == BRIG_PKG_RPM)) {
        sb_addc(&sb, sep); sep = '&'; sb_adds(&sb, "arch="); pct(&sb, p->arch, 0);
    }
    if (p->type == BRIG_PKG_DPKG || p->type == BRIG_PKG_APK || p->type == BRIG_PKG_RPM) {
        char *d = brig_os_purl_distro(os);
        if (d) { sb_addc(&sb, sep); sep = '&'; sb_adds(&sb, "distro="); pct(&sb, d, 0); free(d); }
    }
    if (epoch_end) {
        sb_addc(&sb, sep); sep = '&'; sb_adds(&sb, "epoch=");
        sb_add(&sb, p->version, (size_t)(epoch_end - p->version));
    }
    return sb_detach(&sb);
}

void brig_pkglist_fill_purls(brig_pkglist *l, const brig_os *os) {
    for (size_t i = 0; i < l->n; i++) { free(l->v[i].purl); l->v[i].purl = brig_pkg_purl(&l->v[i], os); }
}
