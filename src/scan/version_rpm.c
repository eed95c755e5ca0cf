/* RPM version order: rpmvercmp() per segment and epoch:version-release as
 * rpm's rpmverCmp does it.  Segments are maximal alphabetic or numeric runs;
 * other characters only separate; '~' sorts before everything (pre-release)
 * and '^' after the base version but before anything else appended. */
#include "scan/version.h"
#include "scan/version_internal.h"
#include <string.h>

static int rpmvercmp_n(const char *one, const char *oe, const char *two, const char *te) {
    if (oe - one == te - two && memcmp(one, two, (size_t)(oe - one)) == 0) return 0;
#define C1 (one < oe ? *one : 0)
#define C2 (two < te ? *two : 0)
    while (C1 || C2) {
        while (C1 && !v_isalnum(C1) && C1 != '~' && C1 != '^') one++;
        while (C2 && !v_isalnum(C2) && C2 != '~' && C2 != '^') two++;
        if (C1 == '~' || C2 == '~') {
            if (C1 != '~') return 1;
            if (C2 != '~') return -1;
            one++; two++;
            continue;
        }
        if (C1 == '^' || C2 == '^') {
            if (!C1) return -1;
            if (!C2) return 1;
            if (C1 != '^') return 1;
            if (C2 != '^') return -1;
            one++; two++;
            continue;
        }
        if (!(C1 && C2)) break;
        const char *s1 = one, *s2 = two;
        bool isnum = v_isdigit(*s1);
        if (isnum) {
            while (s1 < oe && v_isdigit(*s1)) s1++;
            while (s2 < te && v_isdigit(*s2)) s2++;
        } else {
            while (s1 < oe && v_isalpha(*s1)) s1++;
            while (s2 < te && v_isalpha(*s2)) s2++;
        }
        if (one == s1) return -1;            /* cannot happen: one starts a segment */
        /* Numeric beats alphabetic (rpm bug #50977 rule). */
        if (two == s2) return isnum ? 1 : -1;
        int rc;
        if (isnum) rc = brig_vernum_cmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
        else {
            size_t l1 = (size_t)(s1 - one), l2 = (size_t)(s2 - two);
            rc = memcmp(one, two, l1 < l2 ? l1 : l2);
            if (!rc) rc = l1 < l2 ? -1 : l1 > l2;
        }
        if (rc) return brig_sign(rc);
        one = s1; two = s2;
    }
    if (!C1 && !C2) return 0;
    return !C1 ? -1 : 1;
#undef C1
#undef C2
}

int brig_rpmvercmp(const char *a, const char *b) {
    return rpmvercmp_n(a, a + strlen(a), b, b + strlen(b));
}

typedef struct { const char *e, *ee, *v, *ve, *r, *re; } evr;

static void split(const char *s, evr *x) {
    const char *end = s + strlen(s);
    const char *p = s;
    while (p < end && v_isdigit(*p)) p++;
    if (p < end && *p == ':') { x->e = s; x->ee = p; s = p + 1; }
    else { x->e = "0"; x->ee = x->e + 1; }
    const char *dash = NULL;
    for (const char *q = end; q > s;) if (*--q == '-') { dash = q; break; }
    x->v = s;
    if (dash) { x->ve = dash; x->r = dash + 1; x->re = end; }
    else { x->ve = end; x->r = x->re = NULL; }
    if (x->e == x->ee) { x->e = "0"; x->ee = x->e + 1; }   /* ":1.0" */
}

int brig_vercmp_rpm(const char *a, const char *b) {
    evr x, y;
    split(a, &x);
    split(b, &y);
    int rc = rpmvercmp_n(x.e, x.ee, y.e, y.ee);
    if (rc) return rc;
    rc = rpmvercmp_n(x.v, x.ve, y.v, y.ve);
    /* Like rpmverCmp: a release only matters when both sides carry one. */
    if (rc == 0 && x.r && y.r) rc = rpmvercmp_n(x.r, x.re, y.r, y.re);
    return rc;
}

bool brig_version_valid_rpm(const char *v) {
    if (!*v) return false;
    int colons = 0, dashes = 0;
    for (const char *p = v; *p; p++) {
        if (*p == ':') colons++;
        else if (*p == '-') dashes++;
        else if (!v_isalnum(*p) && !strchr("._+~^", *p)) return false;
    }
    if (colons > 1 || dashes > 1) return false;
    if (colons) {
        const char *c = strchr(v, ':');
        if (c == v) return false;
        for (const char *p = v; p < c; p++) if (!v_isdigit(*p)) return false;
        if (!c[1] || c[1] == '-') return false;
    }
    if (dashes) { const char *d = strchr(v, '-'); if (!d[1]) return false; }
    return true;
}
