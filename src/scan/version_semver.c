/* SemVer 2.0.0 precedence, as npm's `semver` (strict mode) and Go's
 * golang.org/x/mod/semver implement it.  Build metadata never affects order;
 * numeric pre-release identifiers sort below alphanumeric ones. Go
 * pseudo-versions (v0.0.0-20191109021931-daa7c04131f5) are ordinary
 * pre-releases, and "+incompatible" is build metadata. */
#include "scan/version.h"
#include "scan/version_internal.h"
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *num[3]; size_t numlen[3];
    const char *pre; size_t prelen;      /* without '-', prelen 0 = none */
    bool valid;
} semver;

static bool all_digits(const char *s, size_t n) {
    if (!n) return false;
    for (size_t i = 0; i < n; i++) if (!v_isdigit(s[i])) return false;
    return true;
}

/* A numeric identifier: digits without a leading zero (except "0"). */
static bool numeric_id(const char *s, size_t n) {
    return all_digits(s, n) && !(n > 1 && s[0] == '0');
}

static bool ident_ok(const char *s, size_t n, bool pre) {
    if (!n) return false;
    for (size_t i = 0; i < n; i++) if (!v_isalnum(s[i]) && s[i] != '-') return false;
    if (pre && all_digits(s, n) && !numeric_id(s, n)) return false;
    return true;
}

static bool dotted_ok(const char *s, size_t n, bool pre) {
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (!ident_ok(s + start, i - start, pre)) return false;
            start = i + 1;
        }
    }
    return true;
}

/* go_short: accept Go's "v1" and "v1.2" shorthands (no pre-release then). */
static void parse(const char *s, size_t n, semver *v, bool go_short) {
    memset(v, 0, sizeof *v);
    static const char zero[] = "0";
    if (n && *s == 'v') { s++; n--; }
    const char *plus = memchr(s, '+', n);
    size_t core = plus ? (size_t)(plus - s) : n;
    if (plus && !dotted_ok(plus + 1, n - core - 1, false)) return;
    const char *dash = memchr(s, '-', core);
    size_t main_len = dash ? (size_t)(dash - s) : core;
    if (dash) {
        v->pre = dash + 1; v->prelen = core - main_len - 1;
        if (!dotted_ok(v->pre, v->prelen, true)) return;
    }
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= main_len; i++) {
        if (i == main_len || s[i] == '.') {
            if (k == 3 || !numeric_id(s + start, i - start)) return;
            v->num[k] = s + start; v->numlen[k] = i - start; k++;
            start = i + 1;
        }
    }
    if (k < 3) {
        if (!go_short || dash || plus) return;
        for (; k < 3; k++) { v->num[k] = zero; v->numlen[k] = 1; }
    }
    v->valid = true;
}

static int cmp_ident(const char *a, size_t al, const char *b, size_t bl) {
    bool an = all_digits(a, al), bn = all_digits(b, bl);
    if (an && bn) return brig_vernum_cmp(a, al, b, bl);
    if (an) return -1;
    if (bn) return 1;
    int r = memcmp(a, b, al < bl ? al : bl);
    if (r) return brig_sign(r);
    return al < bl ? -1 : al > bl;
}

static int cmp_pre(const semver *a, const semver *b) {
    if (!a->prelen && !b->prelen) return 0;
    if (!a->prelen) return 1;            /* 1.0.0 > 1.0.0-rc.1 */
    if (!b->prelen) return -1;
    size_t i = 0, j = 0;
    for (;;) {
        bool aend = i > a->prelen, bend = j > b->prelen;
        if (aend && bend) return 0;
        if (aend) return -1;             /* fewer identifiers sort first */
        if (bend) return 1;
        size_t ie = i, je = j;
        while (ie < a->prelen && a->pre[ie] != '.') ie++;
        while (je < b->prelen && b->pre[je] != '.') je++;
        int r = cmp_ident(a->pre + i, ie - i, b->pre + j, je - j);
        if (r) return r;
        i = ie + 1; j = je + 1;
    }
}

static int cmp_valid(const semver *a, const semver *b) {
    for (int i = 0; i < 3; i++) {
        int r = brig_vernum_cmp(a->num[i], a->numlen[i], b->num[i], b->numlen[i]);
        if (r) return r;
    }
    return cmp_pre(a, b);
}

/* Invalid versions sort below valid ones (as in x/mod/semver) and among
 * themselves by bytes, so the order stays total and antisymmetric. */
static int cmp_any(const char *a, size_t an, const char *b, size_t bn, bool go) {
    semver x, y;
    parse(a, an, &x, go);
    parse(b, bn, &y, go);
    if (x.valid && y.valid) return cmp_valid(&x, &y);
    if (x.valid != y.valid) return x.valid ? 1 : -1;
    int r = memcmp(a, b, an < bn ? an : bn);
    return r ? brig_sign(r) : an < bn ? -1 : an > bn;
}

/* npm trims surrounding whitespace before parsing. */
static const char *trim(const char *s, size_t *n) {
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r')) l--;
    *n = l;
    return s;
}

int brig_vercmp_semver(const char *a, const char *b) {
    size_t an, bn;
    a = trim(a, &an);
    b = trim(b, &bn);
    return cmp_any(a, an, b, bn, false);
}

bool brig_version_valid_semver(const char *v) {
    size_t n;
    v = trim(v, &n);
    semver x;
    parse(v, n, &x, false);
    return x.valid;
}

/* Go toolchain versions as found in binaries ("go1.21.3", "go1.21", "go1.21rc2")
 * become the semver spelling OSV uses for the stdlib ("1.21.3", "1.21.0",
 * "1.21.0-rc.2"), as govulncheck does.  Other strings are returned as is. */
static const char *go_toolchain(const char *v, char *buf, size_t cap) {
    if (strncmp(v, "go", 2) != 0 || !v_isdigit(v[2]) || strlen(v) >= cap - 16) return v;
    const char *p = v + 2;
    size_t dots = 0, i = 0;
    while (p[i] && (v_isdigit(p[i]) || p[i] == '.')) { if (p[i] == '.') dots++; i++; }
    const char *pre = p + i;
    if (*pre && strncmp(pre, "rc", 2) != 0 && strncmp(pre, "beta", 4) != 0 && strncmp(pre, "alpha", 5) != 0) return v;
    int n = snprintf(buf, cap, "%.*s%s", (int)i, p, dots == 0 ? ".0.0" : dots == 1 ? ".0" : "");
    if (*pre) {
        size_t l = strcspn(pre, "0123456789");
        snprintf(buf + n, cap - (size_t)n, "-%.*s.%s", (int)l, pre, pre[l] ? pre + l : "0");
    }
    return buf;
}

int brig_vercmp_go(const char *a, const char *b) {
    char ba[96], bb[96];
    a = go_toolchain(a, ba, sizeof ba);
    b = go_toolchain(b, bb, sizeof bb);
    return cmp_any(a, strlen(a), b, strlen(b), true);
}

bool brig_version_valid_go(const char *v) {
    char buf[96];
    semver x;
    v = go_toolchain(v, buf, sizeof buf);
    parse(v, strlen(v), &x, true);
    return x.valid;
}
