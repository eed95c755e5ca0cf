/* Maven version order (org.apache.maven.artifact.versioning.ComparableVersion):
 * a version is a tree of lists split at '.', at '-' (which opens a sub-list)
 * and at digit/letter transitions (which also open a sub-list).  Numbers
 * compare numerically, qualifiers by rank
 *   alpha(a) < beta(b) < milestone(m) < rc=cr < snapshot < ""=ga=final=release < sp
 * then unknown qualifiers lexically (case-insensitive); trailing "null" items
 * (0, "", empty lists) are dropped so 1 = 1.0 = 1-0 = 1.ga.  Includes the
 * MNG-6964 fix (a sub-list compares item by item against "nothing"). */
#include "scan/version.h"
#include "scan/version_internal.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

enum { M_INT, M_STR, M_LIST };
typedef struct mnode mnode;
struct mnode {
    int type;
    const char *s; size_t n;    /* INT: digits; STR: qualifier (after aliasing) */
    mnode **kids; size_t nk, cap;
};

static const char *const QUALS[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };
#define RELEASE_RANK 5
#define UNKNOWN_RANK 7

static mnode *mk(int type, const char *s, size_t n) {
    mnode *m = xcalloc(1, sizeof *m);
    m->type = type; m->s = s; m->n = n;
    return m;
}

static void add(mnode *list, mnode *k) {
    list->kids = xgrow(list->kids, &list->cap, list->nk + 1, sizeof *list->kids);
    list->kids[list->nk++] = k;
}

static void free_tree(mnode *m) {
    if (!m) return;
    for (size_t i = 0; i < m->nk; i++) free_tree(m->kids[i]);
    free(m->kids);
    free(m);
}

static mnode *str_item(const char *s, size_t n, bool followed_by_digit) {
    if (followed_by_digit && n == 1) {
        if (*s == 'a') { s = "alpha"; n = 5; }
        else if (*s == 'b') { s = "beta"; n = 4; }
        else if (*s == 'm') { s = "milestone"; n = 9; }
    }
    if ((n == 2 && !memcmp(s, "ga", 2)) || (n == 5 && !memcmp(s, "final", 5)) ||
        (n == 7 && !memcmp(s, "release", 7))) { s = ""; n = 0; }
    else if (n == 2 && !memcmp(s, "cr", 2)) { s = "rc"; n = 2; }
    return mk(M_STR, s, n);
}

static mnode *parse_item(bool digit, const char *s, size_t n) {
    return digit ? mk(M_INT, s, n) : str_item(s, n, false);
}

static int qrank(const mnode *m) {
    for (int i = 0; i < (int)(sizeof QUALS / sizeof QUALS[0]); i++)
        if (strlen(QUALS[i]) == m->n && !memcmp(QUALS[i], m->s, m->n)) return i;
    return UNKNOWN_RANK;
}

static bool is_null(const mnode *m) {
    switch (m->type) {
    case M_INT: for (size_t i = 0; i < m->n; i++) if (m->s[i] != '0') return false; return true;
    case M_STR: return qrank(m) == RELEASE_RANK;
    default:    return m->nk == 0;
    }
}

static void normalize(mnode *list) {
    for (size_t i = list->nk; i-- > 0;) {
        mnode *k = list->kids[i];
        if (is_null(k)) {
            free_tree(k);
            memmove(list->kids + i, list->kids + i + 1, (list->nk - i - 1) * sizeof *list->kids);
            list->nk--;
        } else if (k->type != M_LIST) break;
    }
}

static mnode *parse(const char *orig, char **lower_out) {
    size_t len = strlen(orig);
    char *v = xmalloc(len + 1);
    for (size_t i = 0; i <= len; i++) v[i] = (char)v_tolower((unsigned char)orig[i]);
    *lower_out = v;
    mnode *root = mk(M_LIST, NULL, 0), *list = root;
    size_t cap = 16, depth = 0;
    mnode **stack = xmalloc(cap * sizeof *stack);
    stack[depth++] = root;
    bool digit = false;
    size_t start = 0;
#define PUSH_LIST() do { mnode *nl = mk(M_LIST, NULL, 0); add(list, nl); list = nl; \
        stack = xgrow(stack, &cap, depth + 1, sizeof *stack); stack[depth++] = nl; } while (0)
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        if (c == '.' || c == '-') {
            if (i == start) add(list, mk(M_INT, "0", 1));
            else add(list, parse_item(digit, v + start, i - start));
            start = i + 1;
            if (c == '-') PUSH_LIST();
        } else if (v_isdigit(c)) {
            if (!digit && i > start) {
                add(list, str_item(v + start, i - start, true));
                start = i;
                PUSH_LIST();
            }
            digit = true;
        } else {
            if (digit && i > start) {
                add(list, parse_item(true, v + start, i - start));
                start = i;
                PUSH_LIST();
            }
            digit = false;
        }
    }
#undef PUSH_LIST
    if (len > start) add(list, parse_item(digit, v + start, len - start));
    while (depth) normalize(stack[--depth]);
    free(stack);
    return root;
}

static int cmp(const mnode *a, const mnode *b);

/* Order of an item against "nothing" (the other version ended). */
static int cmp_null(const mnode *a) {
    switch (a->type) {
    case M_INT: return is_null(a) ? 0 : 1;
    case M_STR: { int r = qrank(a); return r == UNKNOWN_RANK ? 1 : brig_sign(r - RELEASE_RANK); }
    default:
        for (size_t i = 0; i < a->nk; i++) { int r = cmp_null(a->kids[i]); if (r) return r; }
        return 0;
    }
}

static int cmp_str(const mnode *a, const mnode *b) {
    int ra = qrank(a), rb = qrank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    if (ra != UNKNOWN_RANK) return 0;
    int r = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
    if (r) return brig_sign(r);
    return a->n < b->n ? -1 : a->n > b->n;
}

static int cmp(const mnode *a, const mnode *b) {
    if (!b) return cmp_null(a);
    switch (a->type) {
    case M_INT:
        if (b->type == M_INT) return brig_vernum_cmp(a->s, a->n, b->s, b->n);
        return 1;                                  /* 1.1 > 1-sp, 1.1 > 1-1 */
    case M_STR:
        if (b->type == M_STR) return cmp_str(a, b);
        return -1;                                 /* 1.any < 1.1, 1.any < 1-1 */
    default:
        if (b->type == M_INT) return -1;           /* 1-1 < 1.0.x */
        if (b->type == M_STR) return 1;            /* 1-1 > 1-sp */
        for (size_t i = 0; i < a->nk || i < b->nk; i++) {
            const mnode *l = i < a->nk ? a->kids[i] : NULL, *r = i < b->nk ? b->kids[i] : NULL;
            int res = !l ? (r ? -cmp_null(r) : 0) : cmp(l, r);
            if (res) return res;
        }
        return 0;
    }
}

int brig_vercmp_maven(const char *a, const char *b) {
    char *la, *lb;
    mnode *x = parse(a, &la), *y = parse(b, &lb);
    int r = cmp(x, y);
    free_tree(x); free_tree(y); free(la); free(lb);
    return r;
}

bool brig_version_valid_maven(const char *v) {
    /* Maven accepts any string; we insist on something printable starting with an alphanumeric. */
    if (!v_isalnum((unsigned char)*v)) return false;
    for (const char *p = v; *p; p++) if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f) return false;
    return true;
}
