/* Python distributions: core metadata (RFC 822 headers) in *.dist-info/METADATA,
 * *.egg-info/PKG-INFO or an *.egg-info file (Debian's python3-* packages). */
#include "scan/pkg_parsers.h"
#include "util/lines.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int brig_pkg_parse_python(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out) {
    char *pn = NULL, *pv = NULL, *lic = NULL, *lexpr = NULL;
    char *classifier_lic[8]; size_t ncl = 0;
    int rc = 0;
    brig_lines it;
    brig_lines_init(&it, buf, len);
    const char *ln;
    size_t n;
    while (brig_lines_next(&it, &ln, &n)) {
        size_t lineno = it.lineno;
        if (n == 0) break;                                 /* headers end; the body is the description */
        if (ln[0] == ' ' || ln[0] == '\t') continue;      /* folded continuation (long License text) */
        const char *colon = memchr(ln, ':', n);
        if (!colon || colon == ln) {
            rc = brig_fail(BRIG_EXIT_INPUT, "%s:%zu:1: expected 'Header: value' in Python package metadata", name, lineno);
            goto done;
        }
        size_t kl = (size_t)(colon - ln);
        const char *v = colon + 1;
        size_t vl = n - kl - 1;
        while (vl && isspace((unsigned char)*v)) { v++; vl--; }
        while (vl && isspace((unsigned char)v[vl - 1])) vl--;
#define H(k) (kl == sizeof(k) - 1 && !strncasecmp(ln, k, kl))
        if (H("Name") && !pn) pn = xstrndup(v, vl);
        else if (H("Version") && !pv) pv = xstrndup(v, vl);
        else if (H("License") && !lic && vl && vl < 100) lic = xstrndup(v, vl);   /* long = full text, useless */
        else if (H("License-Expression") && !lexpr) lexpr = xstrndup(v, vl);
        else if (H("Classifier") && ncl < 8 && vl > 11 && !strncmp(v, "License :: ", 11)) {
            /* "License :: OSI Approved :: MIT License" -> last segment */
            const char *last = v;
            for (const char *p = v; p + 4 <= v + vl; p++) if (!memcmp(p, " :: ", 4)) last = p + 4;
            if (last != v) classifier_lic[ncl++] = xstrndup(last, vl - (size_t)(last - v));
        }
#undef H
    }
    if (!pn || !pv || !*pn || !*pv) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s:1:1: Python package metadata without %s header", name, (pn && *pn) ? "Version" : "Name");
        goto done;
    }
    brig_pkg *p = brig_pkglist_add(out, BRIG_PKG_PYPI, pn, pv, name, layer);
    if (lexpr) brig_pkg_add_license(p, lexpr);
    else if (lic && strcasecmp(lic, "UNKNOWN") != 0) brig_pkg_add_license(p, lic);
    else for (size_t i = 0; i < ncl; i++) brig_pkg_add_license(p, classifier_lic[i]);
done:
    free(pn); free(pv); free(lic); free(lexpr);
    for (size_t i = 0; i < ncl; i++) free(classifier_lic[i]);
    return rc;
}
