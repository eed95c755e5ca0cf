/* Alpine (apk-tools) version order: digit{.digit}...{letter}{_suffix{N}}...
 * {~hash}{-rN}.  Tokens are compared in sequence; pre-release suffixes
 * (_alpha, _beta, _pre, _rc) sort before the bare version, post-release ones
 * (_cvs, _svn, _git, _hg, _p) after; a digit group with a leading zero is
 * compared as a string (Gentoo rule); an invalid tail ends the comparison. */
#include "scan/version.h"
#include "scan/version_internal.h"
#include <string.h>

enum { T_INITIAL, T_DIGIT, T_LETTER, T_SUFFIX, T_SUFFIX_NO, T_HASH, T_REVISION, T_END, T_INVALID };
/* Suffix ranks: pre-release ones below NONE, post-release above. */
enum { S_INVALID = -1, S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE, S_CVS, S_SVN, S_GIT, S_HG, S_P };

typedef struct { int tok; int suffix; const char *v; size_t len; } apk_tok;
typedef struct { const char *p; size_t n; } apk_str;

static int suffix_rank(const char *s, size_t n) {
    static const struct { const char *name; int rank; } sfx[] = {
        { "alpha", S_ALPHA }, { "beta", S_BETA }, { "pre", S_PRE }, { "rc", S_RC },
        { "cvs", S_CVS }, { "svn", S_SVN }, { "git", S_GIT }, { "hg", S_HG }, { "p", S_P },
    };
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++)
        if (strlen(sfx[i].name) == n && memcmp(sfx[i].name, s, n) == 0) return sfx[i].rank;
    return S_INVALID;
}

static void take_digits(apk_tok *t, apk_str *s) {
    size_t i = 0;
    while (i < s->n && v_isdigit(s->p[i])) i++;
    t->v = s->p; t->len = i;
    s->p += i; s->n -= i;
    if (i == 0) t->tok = T_INVALID;
}

static void tok_first(apk_tok *t, apk_str *s) {
    t->tok = T_INITIAL;
    take_digits(t, s);
}

static void tok_next(apk_tok *t, apk_str *s) {
    if (s->n == 0) { t->tok = T_END; return; }
    char c = s->p[0];
    if (v_islower(c)) {
        if (t->tok > T_DIGIT) goto invalid;
        t->v = s->p; t->len = 1; t->tok = T_LETTER;
        s->p++; s->n--;
    } else if (c == '.' || v_isdigit(c)) {
        if (c == '.') {
            if (t->tok > T_DIGIT) goto invalid;
            s->p++; s->n--;
        }
        if (t->tok == T_INITIAL || t->tok == T_DIGIT) t->tok = T_DIGIT;
        else if (t->tok == T_SUFFIX) t->tok = T_SUFFIX_NO;
        else goto invalid;
        take_digits(t, s);
    } else if (c == '_') {
        if (t->tok > T_SUFFIX_NO) goto invalid;
        s->p++; s->n--;
        size_t i = 0;
        while (i < s->n && v_islower(s->p[i])) i++;
        t->v = s->p; t->len = i;
        s->p += i; s->n -= i;
        t->suffix = suffix_rank(t->v, t->len);
        if (t->suffix == S_INVALID) goto invalid;
        t->tok = T_SUFFIX;
    } else if (c == '~') {
        if (t->tok >= T_HASH) goto invalid;
        s->p++; s->n--;
        size_t i = 0;
        while (i < s->n && (v_isdigit(s->p[i]) || (s->p[i] >= 'a' && s->p[i] <= 'f'))) i++;
        if (i == 0) goto invalid;
        t->v = s->p; t->len = i;
        s->p += i; s->n -= i;
        t->tok = T_HASH;
    } else if (c == '-') {
        if (t->tok >= T_REVISION) goto invalid;
        if (s->n < 2 || s->p[1] != 'r') goto invalid;
        s->p += 2; s->n -= 2;
        t->tok = T_REVISION;
        take_digits(t, s);
    } else {
        goto invalid;
    }
    return;
invalid:
    t->tok = T_INVALID;
}

static int strsort(const char *a, size_t al, const char *b, size_t bl) {
    int r = memcmp(a, b, al < bl ? al : bl);
    if (r) return brig_sign(r);
    return al < bl ? -1 : al > bl;
}

static int tok_cmp(const apk_tok *a, const apk_tok *b) {
    switch (a->tok) {
    case T_DIGIT:
        /* A leading zero makes the group a fraction-like string ("1.02" < "1.1"). */
        if (a->v[0] == '0' || b->v[0] == '0') return strsort(a->v, a->len, b->v, b->len);
        /* fallthrough */
    case T_INITIAL: case T_SUFFIX_NO: case T_REVISION:
        return brig_vernum_cmp(a->v, a->len, b->v, b->len);
    case T_LETTER:
        return brig_sign((unsigned char)a->v[0] - (unsigned char)b->v[0]);
    case T_SUFFIX:
        return brig_sign(a->suffix - b->suffix);
    default:
        return strsort(a->v, a->len, b->v, b->len);
    }
}

int brig_vercmp_apk(const char *sa, const char *sb) {
    apk_str a = { sa, strlen(sa) }, b = { sb, strlen(sb) };
    apk_tok ta = {0}, tb = {0};
    for (tok_first(&ta, &a), tok_first(&tb, &b);
         ta.tok == tb.tok && ta.tok < T_END;
         tok_next(&ta, &a), tok_next(&tb, &b)) {
        int r = tok_cmp(&ta, &tb);
        if (r) return r;
    }
    if (ta.tok == tb.tok) return 0;
    /* The longer version is newer unless what it continues with is a pre-release suffix. */
    if (ta.tok == T_SUFFIX && ta.suffix < S_NONE) return -1;
    if (tb.tok == T_SUFFIX && tb.suffix < S_NONE) return 1;
    if (ta.tok > tb.tok) return -1;
    if (tb.tok > ta.tok) return 1;
    return 0;
}

bool brig_version_valid_apk(const char *v) {
    apk_str s = { v, strlen(v) };
    apk_tok t = {0};
    for (tok_first(&t, &s); t.tok < T_END; tok_next(&t, &s)) {}
    return t.tok == T_END;
}
