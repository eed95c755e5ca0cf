/* Alpine apk database (lib/apk/db/installed): stanzas of "X:value" lines,
 * blank line between packages.  P name, V version, A arch, o origin, L license. */
#include "scan/pkg_parsers.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

typedef struct { const char *p; size_t n; } span;
typedef struct { span P, V, A, o, L; size_t first_line; } apk_rec;

static char *dup_span(span s) { return xstrndup(s.p, s.n); }

static int emit(const char *name, const apk_rec *r, size_t layer, brig_pkglist *out) {
    if (!r->first_line) return 0;
    if (!r->P.n || !r->V.n)
        return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:1: package record without %s line; the apk database is damaged",
                         name, r->first_line, r->P.n ? "V:" : "P:");
    brig_pkg *p;
    int rc = brig_pkglist_add_span(out, BRIG_PKG_APK, r->P.p, r->P.n, r->V.p, r->V.n, name, r->first_line, layer, &p);
    if (rc) return rc;
    if (r->A.n) p->arch = dup_span(r->A);
    if (r->o.n) p->src_name = dup_span(r->o);
    if (r->L.n) {
        /* L: is an SPDX-ish expression ("MIT AND BSD-2-Clause" or "GPL-2.0-or-later") */
        char *l = dup_span(r->L);
        brig_pkg_add_license(p, l);
        free(l);
    }
    return 0;
}

int brig_pkg_parse_apk(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out) {
    apk_rec r; memset(&r, 0, sizeof r);
    size_t lineno = 0;
    int rc;
    for (size_t pos = 0; pos <= len;) {
        int at_end = pos >= len;
        const char *ln = buf + pos;
        const char *nl = at_end ? NULL : memchr(ln, '\n', len - pos);
        size_t n = at_end ? 0 : (nl ? (size_t)(nl - ln) : len - pos);
        pos += n + 1;
        lineno++;
        if (n && ln[n - 1] == '\r') n--;
        if (n == 0) {
            if ((rc = emit(name, &r, layer, out))) return rc;
            memset(&r, 0, sizeof r);
            if (at_end) break;
            continue;
        }
        if (n < 2 || ln[1] != ':')
            return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:1: expected 'X:value'; the apk database is damaged", name, lineno);
        if (!r.first_line) r.first_line = lineno;
        span v = { ln + 2, n - 2 };
        switch (ln[0]) {
        case 'P': r.P = v; break;
        case 'V': r.V = v; break;
        case 'A': r.A = v; break;
        case 'o': r.o = v; break;
        case 'L': r.L = v; break;
        default: break;   /* C checksum, F/R/Z file list, m maintainer... not needed */
        }
    }
    return 0;
}
