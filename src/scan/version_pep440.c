/* PEP 440 version order, matching Python `packaging.version.Version`:
 * [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spec's normalisation
 * (case, alternate spellings alpha/beta/c/pre/preview/rev/r, optional
 * separators, implicit 0, "1.0-1" = post-release) and trailing zeros of the
 * release ignored.  Invalid versions sort below valid ones. */
#include "scan/version.h"
#include "scan/version_internal.h"
#include <string.h>

#define MAX_RELEASE 64
#define MAX_LOCAL 32
typedef struct { const char *p; size_t n; } span;   /* digits (leading zeros allowed) */

typedef struct {
    span epoch;
    span rel[MAX_RELEASE]; size_t n_rel;
    int pre_l;  span pre_n;     /* pre_l: 0 none, 1 a, 2 b, 3 rc */
    bool has_post; span post_n;
    bool has_dev;  span dev_n;
    struct { bool num; const char *p; size_t n; } local[MAX_LOCAL]; size_t n_local;
    bool has_local;
    bool valid;
} pep440;

static const char *sp_zero = "0";

static bool match_word(const char **s, const char *w) {
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++) if (v_tolower((unsigned char)(*s)[i]) != w[i]) return false;
    *s += n;
    return true;
}

static span digits(const char **s) {
    span d = { *s, 0 };
    while (v_isdigit((*s)[d.n])) d.n++;
    *s += d.n;
    return d;
}

static bool is_sep(char c) { return c == '-' || c == '_' || c == '.'; }

/* After a pre/post/dev label: optional separator, optional number (implicit 0).
 * A separator not followed by a number is still consumed unless a letter
 * follows (then it belongs to the next label), as the PEP 440 regex does. */
static const char *label_number(const char *w, span *out) {
    if (is_sep(*w) && v_isdigit(w[1])) w++;
    else if (is_sep(*w) && !v_isalpha(w[1])) { *out = (span){ sp_zero, 1 }; return w + 1; }
    if (v_isdigit(*w)) *out = digits(&w);
    else *out = (span){ sp_zero, 1 };
    return w;
}

static void parse(const char *s, pep440 *v) {
    memset(v, 0, sizeof *v);
    v->epoch = (span){ sp_zero, 1 };
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') s++;
    if (*s == 'v' || *s == 'V') s++;
    span d = digits(&s);
    if (!d.n) return;
    if (*s == '!') { v->epoch = d; s++; d = digits(&s); if (!d.n) return; }
    v->rel[v->n_rel++] = d;
    while (*s == '.' && v_isdigit(s[1])) {
        s++;
        if (v->n_rel == MAX_RELEASE) return;
        v->rel[v->n_rel++] = digits(&s);
    }
    /* pre-release */
    {
        const char *t = s;
        if (is_sep(*t)) t++;
        static const struct { const char *w; int l; } pre[] = {
            { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 }, { "rc", 3 },
            { "c", 3 }, { "preview", 3 }, { "pre", 3 },
        };
        for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
            const char *u = t;
            if (match_word(&u, pre[i].w)) {
                v->pre_l = pre[i].l;
                s = label_number(u, &v->pre_n);
                break;
            }
        }
    }
    /* post-release: "-N" or [sep](post|rev|r)[sep][N] */
    if (*s == '-' && v_isdigit(s[1])) {
        s++; v->has_post = true; v->post_n = digits(&s);
    } else {
        const char *t = s;
        if (is_sep(*t)) t++;
        static const char *const post[] = { "post", "rev", "r" };
        for (size_t i = 0; i < 3; i++) {
            const char *u = t;
            if (match_word(&u, post[i])) {
                v->has_post = true;
                s = label_number(u, &v->post_n);
                break;
            }
        }
    }
    /* dev release */
    {
        const char *t = s;
        if (is_sep(*t)) t++;
        const char *u = t;
        if (match_word(&u, "dev")) {
            v->has_dev = true;
            s = label_number(u, &v->dev_n);
        }
    }
    /* local version: +[a-z0-9]+([-_.][a-z0-9]+)* */
    if (*s == '+') {
        s++;
        v->has_local = true;
        for (;;) {
            const char *st = s;
            while (v_isalnum(*s)) s++;
            if (s == st || v->n_local == MAX_LOCAL) return;
            v->local[v->n_local].p = st;
            v->local[v->n_local].n = (size_t)(s - st);
            v->local[v->n_local].num = true;
            for (const char *q = st; q < s; q++) if (!v_isdigit(*q)) v->local[v->n_local].num = false;
            v->n_local++;
            if (is_sep(*s) && v_isalnum(s[1])) { s++; continue; }
            break;
        }
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') s++;
    if (*s) return;
    v->valid = true;
}

static int ncmp(span a, span b) { return brig_vernum_cmp(a.p, a.n, b.p, b.n); }

/* Release segments compare as tuples with trailing zeros removed. */
static bool is_zero(span a) { for (size_t i = 0; i < a.n; i++) if (a.p[i] != '0') return false; return true; }

static int ci_cmp(const char *a, size_t al, const char *b, size_t bl) {
    for (size_t i = 0; i < al && i < bl; i++) {
        int x = v_tolower((unsigned char)a[i]), y = v_tolower((unsigned char)b[i]);
        if (x != y) return x < y ? -1 : 1;
    }
    return al < bl ? -1 : al > bl;
}

static int cmp_valid(const pep440 *a, const pep440 *b) {
    int r = ncmp(a->epoch, b->epoch);
    if (r) return r;
    size_t na = a->n_rel, nb = b->n_rel;
    while (na > 0 && is_zero(a->rel[na - 1])) na--;
    while (nb > 0 && is_zero(b->rel[nb - 1])) nb--;
    for (size_t i = 0; i < na || i < nb; i++) {
        if (i >= na) return -1;
        if (i >= nb) return 1;
        if ((r = ncmp(a->rel[i], b->rel[i]))) return r;
    }
    /* Pre-release key: a bare dev release (1.0.dev0) sorts before any pre-release;
     * no pre-release sorts after all of them. Encode as rank: -1 / letter / +inf. */
    int ka = a->pre_l ? a->pre_l : (!a->has_post && a->has_dev) ? -1 : 100;
    int kb = b->pre_l ? b->pre_l : (!b->has_post && b->has_dev) ? -1 : 100;
    if (ka != kb) return ka < kb ? -1 : 1;
    if (a->pre_l && (r = ncmp(a->pre_n, b->pre_n))) return r;
    if (a->has_post != b->has_post) return a->has_post ? 1 : -1;
    if (a->has_post && (r = ncmp(a->post_n, b->post_n))) return r;
    if (a->has_dev != b->has_dev) return a->has_dev ? -1 : 1;
    if (a->has_dev && (r = ncmp(a->dev_n, b->dev_n))) return r;
    if (a->has_local != b->has_local) return a->has_local ? 1 : -1;
    for (size_t i = 0; i < a->n_local || i < b->n_local; i++) {
        if (i >= a->n_local) return -1;
        if (i >= b->n_local) return 1;
        bool an = a->local[i].num, bn = b->local[i].num;
        if (an != bn) return an ? 1 : -1;     /* numeric segments sort above strings */
        r = an ? brig_vernum_cmp(a->local[i].p, a->local[i].n, b->local[i].p, b->local[i].n)
               : ci_cmp(a->local[i].p, a->local[i].n, b->local[i].p, b->local[i].n);
        if (r) return r;
    }
    return 0;
}

int brig_vercmp_pep440(const char *a, const char *b) {
    pep440 x, y;
    parse(a, &x);
    parse(b, &y);
    if (x.valid && y.valid) return cmp_valid(&x, &y);
    if (x.valid != y.valid) return x.valid ? 1 : -1;
    return brig_sign(strcmp(a, b));
}

bool brig_version_valid_pep440(const char *v) {
    pep440 x;
    parse(v, &x);
    return x.valid;
}
