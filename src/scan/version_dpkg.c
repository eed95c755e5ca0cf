/* Debian version order, exactly as dpkg (lib/dpkg/version.c) defines it:
 * [epoch:]upstream[-revision]; within a part, non-digit runs compare with
 * '~' before everything (even the end), letters before non-letters, then
 * digit runs compare numerically. */
#include "scan/version.h"
#include "scan/version_internal.h"
#include <limits.h>
#include <string.h>

typedef struct { unsigned long epoch; const char *up; size_t up_len; const char *rev; size_t rev_len; } dpkg_ver;

static int order(int c) {
    if (v_isdigit(c)) return 0;
    if (v_isalpha(c)) return c;
    if (c == '~') return -1;
    if (c) return c + 256;
    return 0;
}

/* verrevcmp over (pointer, length) spans so no copies are needed. */
static int verrevcmp(const char *a, size_t al, const char *b, size_t bl) {
    const char *ae = a + al, *be = b + bl;
#define CA (a < ae ? (unsigned char)*a : 0)
#define CB (b < be ? (unsigned char)*b : 0)
    while (CA || CB) {
        while ((CA && !v_isdigit(CA)) || (CB && !v_isdigit(CB))) {
            int ac = order(CA), bc = order(CB);
            if (ac != bc) return brig_sign(ac - bc);
            a++; b++;
        }
        while (CA == '0') a++;
        while (CB == '0') b++;
        int first_diff = 0;
        while (v_isdigit(CA) && v_isdigit(CB)) {
            if (!first_diff) first_diff = CA - CB;
            a++; b++;
        }
        if (v_isdigit(CA)) return 1;
        if (v_isdigit(CB)) return -1;
        if (first_diff) return brig_sign(first_diff);
    }
#undef CA
#undef CB
    return 0;
}

/* Splits like dpkg's parseversion (leading/trailing blanks ignored). Returns
 * false for syntax dpkg rejects; the split is still usable for comparing. */
static bool parse(const char *s, dpkg_ver *v) {
    bool ok = true;
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n == 0) ok = false;
    for (size_t i = 0; i < n; i++) if (s[i] == ' ' || s[i] == '\t') ok = false;
    v->epoch = 0;
    const char *colon = memchr(s, ':', n);
    if (colon) {
        if (colon == s) ok = false;
        for (const char *p = s; p < colon; p++) {
            if (!v_isdigit(*p)) { ok = false; break; }
            if (v->epoch > (unsigned long)INT_MAX / 10) { ok = false; v->epoch = INT_MAX; break; }
            v->epoch = v->epoch * 10 + (unsigned long)(*p - '0');
            if (v->epoch > INT_MAX) { ok = false; v->epoch = INT_MAX; }
        }
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    const char *dash = NULL;
    for (size_t i = n; i-- > 0;) if (s[i] == '-') { dash = s + i; break; }
    v->up = s;
    if (dash) {
        v->up_len = (size_t)(dash - s);
        v->rev = dash + 1;
        v->rev_len = n - v->up_len - 1;
        if (v->rev_len == 0) ok = false;   /* dpkg >= 1.17: "revision number is empty" */
    } else {
        v->up_len = n; v->rev = ""; v->rev_len = 0;
    }
    if (v->up_len == 0) ok = false;
    else if (!v_isdigit(v->up[0])) ok = false;
    for (size_t i = 0; i < v->up_len; i++) {
        char c = v->up[i];
        if (!v_isalnum(c) && !strchr(".-+~:", c)) ok = false;
    }
    for (size_t i = 0; i < v->rev_len; i++) {
        char c = v->rev[i];
        if (!v_isalnum(c) && !strchr(".+~", c)) ok = false;
    }
    return ok;
}

int brig_vercmp_dpkg(const char *a, const char *b) {
    dpkg_ver va, vb;
    parse(a, &va);
    parse(b, &vb);
    if (va.epoch != vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
    int r = verrevcmp(va.up, va.up_len, vb.up, vb.up_len);
    if (r) return r;
    return verrevcmp(va.rev, va.rev_len, vb.rev, vb.rev_len);
}

bool brig_version_valid_dpkg(const char *v) {
    dpkg_ver x;
    return parse(v, &x);
}
