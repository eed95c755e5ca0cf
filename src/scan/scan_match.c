/* Matching packages to advisories. */
#include "scan/scan_match.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static char *dup0(const char *s) { return s ? xstrdup(s) : NULL; }

static void copy_match(brig_vuln_match *d, const brig_vuln_match *s) {
    memset(d, 0, sizeof *d);
    d->id = dup0(s->id);
    d->summary = dup0(s->summary);
    d->severity = s->severity;
    d->cvss_score = s->cvss_score;
    d->fixed_version = dup0(s->fixed_version);
    d->affected = dup0(s->affected);
    d->source = dup0(s->source);
    d->url = dup0(s->url);
    if (s->n_aliases) {
        d->aliases = xcalloc(s->n_aliases, sizeof *d->aliases);
        for (size_t i = 0; i < s->n_aliases; i++) d->aliases[i] = dup0(s->aliases[i]);
        d->n_aliases = s->n_aliases;
    }
}

static void free_match(brig_vuln_match *m) {
    free(m->id); free(m->summary); free(m->fixed_version); free(m->affected); free(m->source); free(m->url);
    for (size_t i = 0; i < m->n_aliases; i++) free(m->aliases[i]);
    free(m->aliases);
}

static int cmp_vuln(const void *pa, const void *pb) {
    const brig_scan_vuln *a = pa, *b = pb;
    if (a->pkg != b->pkg) return a->pkg < b->pkg ? -1 : 1;
    if (a->m.severity != b->m.severity) return (int)b->m.severity - (int)a->m.severity;
    return strcmp(a->m.id ? a->m.id : "", b->m.id ? b->m.id : "");
}

int brig_scan_coverage_warn(brig_vulndb *db, const brig_os *os, const brig_pkglist *pk) {
    static const struct { brig_pkg_type t; const char *what, *family; } kinds[] = {
        { BRIG_PKG_DPKG, "Debian", "debian" }, { BRIG_PKG_APK, "Alpine", "alpine" }, { BRIG_PKG_RPM, "RPM", "rpm" },
        { BRIG_PKG_NPM, "npm", NULL }, { BRIG_PKG_PYPI, "Python", NULL }, { BRIG_PKG_GO, "Go", NULL },
        { BRIG_PKG_MAVEN, "Java (Maven)", NULL },
    };
    char *distro = brig_os_distro_key(os);
    const char *fam = brig_os_family(os);
    int rc = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !rc; k++) {
        size_t n = 0;
        for (size_t i = 0; i < pk->n; i++) if (pk->v[i].type == kinds[k].t) n++;
        if (!n) continue;
        if (kinds[k].family && (!fam || strcmp(fam, kinds[k].family) != 0)) {
            brig_warn("%zu %s packages were not checked for vulnerabilities: the image's OS was not identified as %s",
                      n, kinds[k].what, kinds[k].what);
            continue;
        }
        bool covered = false;
        if ((rc = brig_vulndb_covers(db, brig_pkg_ecosystem(kinds[k].t), kinds[k].family ? distro : NULL, &covered))) break;
        if (!covered)
            brig_warn("%zu %s packages were not checked for vulnerabilities: the database has no %s advisories%s%s; "
                      "import them with 'brig db import'", n, kinds[k].what, kinds[k].what,
                      kinds[k].family && distro ? " for " : "", kinds[k].family && distro ? distro : "");
    }
    free(distro);
    return rc;
}

int brig_scan_match(brig_vulndb *db, const brig_os *os, const brig_pkglist *pk, brig_vulnlist *out) {
    memset(out, 0, sizeof *out);
    char *distro = brig_os_distro_key(os);
    const char *fam = brig_os_family(os);
    int rc = 0;
    for (size_t i = 0; i < pk->n && !rc; i++) {
        const brig_pkg *p = &pk->v[i];
        const char *name = p->name, *ver = p->version, *dist = NULL;
        switch (p->type) {
        case BRIG_PKG_DPKG:
            /* the Debian tracker lists source packages and their versions */
            if (p->src_name) name = p->src_name;
            if (p->src_version) ver = p->src_version;
            if (!fam || strcmp(fam, "debian")) continue;   /* unknown distro: no basis for a match */
            dist = distro;
            break;
        case BRIG_PKG_APK:
            if (p->src_name) name = p->src_name;
            if (!fam || strcmp(fam, "alpine")) continue;
            dist = distro;
            break;
        case BRIG_PKG_RPM:
            if (!fam || strcmp(fam, "rpm")) continue;
            dist = distro;
            break;
        default: break;
        }
        if (!dist && (p->type == BRIG_PKG_DPKG || p->type == BRIG_PKG_APK || p->type == BRIG_PKG_RPM)) continue;
        brig_vuln_match *m = NULL; size_t n = 0;
        rc = brig_vulndb_query(db, brig_pkg_ecosystem(p->type), dist, name, ver, &m, &n);
        if (rc) break;
        for (size_t k = 0; k < n; k++) {
            int dup = 0;
            for (size_t j = out->n; j-- > 0 && out->v[j].pkg == i;)
                if (m[k].id && out->v[j].m.id && !strcmp(out->v[j].m.id, m[k].id)) { dup = 1; break; }
            if (dup) continue;
            out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
            brig_scan_vuln *v = &out->v[out->n++];
            memset(v, 0, sizeof *v);
            v->pkg = i;
            copy_match(&v->m, &m[k]);
        }
        brig_vuln_matches_free(m, n);
    }
    free(distro);
    if (rc) { brig_vulnlist_free(out); return rc; }
    if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, cmp_vuln);
    return 0;
}

void brig_vulnlist_free(brig_vulnlist *l) {
    for (size_t i = 0; i < l->n; i++) free_match(&l->v[i].m);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void brig_scan_filter(brig_vulnlist *l, unsigned sev_mask, bool ignore_unfixed) {
    for (size_t i = 0; i < l->n; i++) {
        brig_scan_vuln *v = &l->v[i];
        v->filtered = (sev_mask && !(sev_mask & (1u << v->m.severity))) ||
                      (ignore_unfixed && (!v->m.fixed_version || !*v->m.fixed_version));
    }
}

size_t brig_scan_visible(const brig_vulnlist *l) {
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) n += !l->v[i].filtered && !l->v[i].ignored;
    return n;
}
