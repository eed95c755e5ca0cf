/* dpkg status database (RFC 822 stanzas) and DEP-5 copyright licenses. */
#include "scan/pkg_parsers.h"
#include "util/lines.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { const char *p; size_t n; } span;

typedef struct {
    span package, version, status, source, arch;
    size_t first_line;
} stanza;

static span trim(const char *p, size_t n) {
    while (n && isspace((unsigned char)*p)) { p++; n--; }
    while (n && isspace((unsigned char)p[n - 1])) n--;
    return (span){ p, n };
}

static char *dup_span(span s) { return xstrndup(s.p, s.n); }

static int emit(const char *name, const stanza *st, size_t layer, int require_status, brig_pkglist *out) {
    if (!st->package.n) return 0;   /* empty stanza / trailing fields only */
    if (require_status) {
        /* Status is "WANT FLAG STATE".  Only STATE "installed" with FLAG "ok" is on
         * disk: "install ok installed", but also "hold ok installed" (pinned) and
         * "deinstall ok installed" (marked for removal, still present).  Removed
         * packages ("deinstall ok config-files") and half-installed ones are not. */
        span s = st->status;
        const char *sp = s.n ? memchr(s.p, ' ', s.n) : NULL;
        if (!sp || (size_t)(s.p + s.n - sp) != sizeof " ok installed" - 1 ||
            memcmp(sp, " ok installed", sizeof " ok installed" - 1)) return 0;
    }
    if (!st->version.n)
        return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:1: package '%.*s' has no Version field; the dpkg database is damaged",
                         name, st->first_line, (int)(st->package.n > 200 ? 200 : st->package.n), st->package.p);
    brig_pkg *p;
    int rc = brig_pkglist_add_span(out, BRIG_PKG_DPKG, st->package.p, st->package.n, st->version.p, st->version.n,
                                   name, st->first_line, layer, &p);
    if (rc) return rc;
    if (st->arch.n) p->arch = dup_span(st->arch);
    if (st->source.n) {
        /* "Source: name" or "Source: name (version)" when it differs from the binary version */
        const char *sp = st->source.p, *e = sp + st->source.n;
        const char *paren = memchr(sp, '(', st->source.n);
        span sn = trim(sp, (size_t)((paren ? paren : e) - sp));
        if (sn.n) p->src_name = dup_span(sn);
        if (paren) {
            const char *close = memchr(paren, ')', (size_t)(e - paren));
            if (!close)
                return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:1: package '%s': Source field '(' without ')'", name, st->first_line, p->name);
            span sv = trim(paren + 1, (size_t)(close - paren - 1));
            if (sv.n) p->src_version = dup_span(sv);
        }
    }
    return 0;
}

int brig_pkg_parse_dpkg(const char *name, const char *buf, size_t len, size_t layer,
                        int require_status, brig_pkglist *out) {
    stanza st; memset(&st, 0, sizeof st);
    size_t lineno = 0;
    int rc;
    for (size_t pos = 0; pos <= len;) {
        const char *ln = buf + pos;
        const char *nl = pos < len ? memchr(ln, '\n', len - pos) : NULL;
        size_t n = pos < len ? (nl ? (size_t)(nl - ln) : len - pos) : 0;
        int at_end = pos >= len;
        pos += n + 1;
        lineno++;
        if (n && ln[n - 1] == '\r') n--;
        span t = trim(ln, n);
        if (at_end || t.n == 0) {          /* blank line ends a stanza */
            if ((rc = emit(name, &st, layer, require_status, out))) return rc;
            memset(&st, 0, sizeof st);
            if (at_end) break;
            continue;
        }
        if (ln[0] == ' ' || ln[0] == '\t') {
            /* continuation of a multi-line field (Description, Conffiles) */
            if (!st.first_line)
                return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:1: continuation line outside a field; the dpkg database is damaged", name, lineno);
            continue;
        }
        if (ln[0] == '#') continue;
        const char *colon = memchr(ln, ':', n);
        if (!colon || colon == ln)
            return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:1: expected 'Field: value'; the dpkg database is damaged", name, lineno);
        if (!st.first_line) st.first_line = lineno;
        size_t kl = (size_t)(colon - ln);
        span v = trim(colon + 1, n - kl - 1);
#define FIELD(k) (kl == sizeof(k) - 1 && !strncasecmp(ln, k, kl))
        if (FIELD("Package")) st.package = v;
        else if (FIELD("Version")) st.version = v;
        else if (FIELD("Status")) st.status = v;
        else if (FIELD("Source")) st.source = v;
        else if (FIELD("Architecture")) st.arch = v;
#undef FIELD
    }
    return 0;
}

int brig_pkg_parse_copyright(const char *buf, size_t len, char ***lics, size_t *n) {
    *lics = NULL; *n = 0;
    size_t cap = 0;
    brig_lines it;
    brig_lines_init(&it, buf, len);
    const char *ln;
    size_t ll;
    while (brig_lines_next(&it, &ln, &ll)) {
        if (ll < 8 || strncasecmp(ln, "License:", 8)) continue;
        span v = trim(ln + 8, ll - 8);
        /* "License: GPL-2+" or "License: GPL-2+ or Artistic" — keep the expression line as is,
         * minus trailing text in the stand-alone paragraph (there is none on this line). */
        if (!v.n || v.n > 200) continue;
        char *s = dup_span(v);
        int dup = 0;
        for (size_t i = 0; i < *n; i++) if (!strcmp((*lics)[i], s)) dup = 1;
        if (dup || *n >= 32) { free(s); continue; }
        *lics = xgrow(*lics, &cap, *n + 1, sizeof **lics);
        (*lics)[(*n)++] = s;
    }
    return 0;
}
