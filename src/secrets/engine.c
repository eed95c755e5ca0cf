/* Secret engine: one vectorscan pass finds, for every rule, where matches end
 * and which keywords occur; PCRE2 then re-matches only those regions to get
 * the match start and capture groups (vectorscan has none), and the gitleaks
 * filters (keywords, entropy, allowlists, stopwords) decide what is reported.
 * Rules vectorscan cannot compile run as PCRE2-only, gated by keywords. */
#include "secrets/engine.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <limits.h>
#include "util/lazy_hs.h"
#include "util/lazy_pcre2.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guards against hostile input: a buffer cannot make us keep more candidates
 * than this, and one PCRE2 match cannot backtrack forever. */
#define MAX_HITS       200000
#define MATCH_LIMIT    2000000
#define DEPTH_LIMIT    100000

typedef struct {
    pcre2_code **re; size_t n_re;
    pcre2_code **paths; size_t n_paths;
} compiled_allow;

typedef struct {
    const brig_secret_rule *r;
    pcre2_code *floating, *path;
    compiled_allow *allow;
    size_t *kw; size_t n_kw;     /* indexes into e->keywords */
    bool in_hs;
    size_t window;               /* longest possible match: how far back a hit's start can be */
} crule;

/* A run of consecutive match ends of one rule (a greedy match reports one
 * end per extra byte it could take; keeping runs bounds memory). */
typedef struct { size_t rule, first_end, last_end; } hs_hit;

typedef struct {
    size_t rule;
    size_t ms, me, ss, se;
    double entropy;
    bool dropped;
} cand;

struct brig_secret_engine {
    brig_secret_config cfg;
    crule *rules;
    compiled_allow *global;
    hs_database_t *db;
    hs_scratch_t *scratch;
    char **keywords; size_t n_keywords;
    size_t n_hs;
    pcre2_match_data *md;
    pcre2_match_context *mctx;       /* allowlists */
    pcre2_match_context *rule_mctx;  /* rule searches: + offset limit (a match may not start after its hit) */
    /* per-scan state */
    hs_hit *hits; size_t n_hits, cap_hits;
    bool overflow;
    size_t *last_run;            /* per rule: index+1 of its latest run in hits[] */
    unsigned char *kw_seen;
    cand *cands; size_t n_cands, cap_cands;
};

static int compile_pcre(const char *what, const char *id, const char *re, uint32_t extra, pcre2_code **out) {
    int err; PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE | extra, &err, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        return brig_fail(BRIG_EXIT_INPUT, "secret rule '%s': %s regex does not compile at offset %zu: %s; fix the regex (RE2/PCRE syntax)",
                         id, what, (size_t)off, (char *)msg);
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);   /* best effort: the interpreter still works */
    *out = c;
    return 0;
}

static int compile_allow(const char *id, const brig_secret_allowlist *a, compiled_allow *c) {
    int rc;
    c->re = xcalloc(a->n_regexes + 1, sizeof *c->re);
    c->n_re = a->n_regexes;
    for (size_t i = 0; i < a->n_regexes; i++)
        if ((rc = compile_pcre("allowlist", id, a->regexes[i], 0, &c->re[i]))) return rc;
    c->paths = xcalloc(a->n_paths + 1, sizeof *c->paths);
    c->n_paths = a->n_paths;
    for (size_t i = 0; i < a->n_paths; i++)
        if ((rc = compile_pcre("allowlist path", id, a->paths[i], 0, &c->paths[i]))) return rc;
    return 0;
}

static void free_allow(compiled_allow *c) {
    if (!c) return;
    for (size_t i = 0; i < c->n_re; i++) pcre2_code_free(c->re[i]);
    for (size_t i = 0; i < c->n_paths; i++) pcre2_code_free(c->paths[i]);
    free(c->re); free(c->paths);
}

static size_t keyword_index(brig_secret_engine *e, const char *kw) {
    for (size_t i = 0; i < e->n_keywords; i++)
        if (strcmp(e->keywords[i], kw) == 0) return i;
    e->keywords = xrealloc(e->keywords, (e->n_keywords + 1) * sizeof *e->keywords);
    char *k = xstrdup(kw);
    for (char *p = k; *p; p++) *p = (char)tolower((unsigned char)*p);
    e->keywords[e->n_keywords] = k;
    return e->n_keywords++;
}

/* Keywords are literals: escape every byte so no regex meaning survives. */
static char *literal_regex(const char *s) {
    size_t n = strlen(s);
    char *o = xmalloc(n * 4 + 1), *p = o;
    for (size_t i = 0; i < n; i++) p += sprintf(p, "\\x%02x", (unsigned char)s[i]);
    *p = 0;
    return o;
}

/* No SOM_LEFTMOST: start-of-match tracking makes several gitleaks-style
 * regexes "too large" for vectorscan and doubles compile time.  Instead each
 * hit's end bounds a PCRE2 search window of the rule's maximum match width. */
static const unsigned HS_RULE_FLAGS = HS_FLAG_MULTILINE | HS_FLAG_DOTALL;
/* Longest match searched for behind a hit when a rule's width is unbounded:
 * far above any real PEM/PGP key block, small enough to bound the work. */
#define MAX_WINDOW (64u << 10)

static bool hs_accepts(const char *id, const char *re, size_t *window) {
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *err = NULL;
    if (hs_expression_info(re, HS_RULE_FLAGS, &info, &err) != HS_SUCCESS) {
        brig_debug("secrets: vectorscan cannot compile rule %s (%s); using PCRE2 with keyword gating", id, err ? err->message : "?");
        hs_free_compile_error(err);
        return false;
    }
    *window = info->max_width == UINT_MAX || info->max_width > MAX_WINDOW ? MAX_WINDOW : info->max_width;
    free(info);
    return true;
}

static int build_hs(brig_secret_engine *e) {
    size_t n = e->cfg.n_rules + e->n_keywords;
    if (n == 0) return 0;
    char **exprs = xcalloc(n, sizeof *exprs);
    unsigned *flags = xcalloc(n, sizeof *flags), *ids = xcalloc(n, sizeof *ids);
    size_t k = 0;
    for (size_t i = 0; i < e->cfg.n_rules; i++) {
        if (!e->rules[i].in_hs) continue;
        exprs[k] = xstrdup(e->rules[i].r->regex); flags[k] = HS_RULE_FLAGS; ids[k] = (unsigned)i; k++;
    }
    for (size_t i = 0; i < e->n_keywords; i++) {
        exprs[k] = literal_regex(e->keywords[i]);
        flags[k] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
        ids[k] = (unsigned)(e->cfg.n_rules + i); k++;
    }
    int rc = 0;
    if (k) {
        hs_compile_error_t *err = NULL;
        if (hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)k, HS_MODE_BLOCK,
                             NULL, &e->db, &err) != HS_SUCCESS) {
            rc = brig_fail(BRIG_EXIT_SYSTEM, "secrets: vectorscan could not build the rule database: %s; report this with your rule config",
                           err ? err->message : "unknown error");
            hs_free_compile_error(err);
        } else if (hs_alloc_scratch(e->db, &e->scratch) != HS_SUCCESS) {
            rc = brig_fail(BRIG_EXIT_SYSTEM, "secrets: cannot allocate vectorscan scratch space");
        }
    }
    for (size_t i = 0; i < k; i++) free(exprs[i]);
    free(exprs); free(flags); free(ids);
    return rc;
}

int brig_secret_engine_new(const brig_secret_config *cfg, brig_secret_engine **out) {
    brig_secret_engine *e = xcalloc(1, sizeof *e);
    brig_secret_config_merge(&e->cfg, cfg);
    e->rules = xcalloc(e->cfg.n_rules + 1, sizeof *e->rules);
    e->global = xcalloc(e->cfg.n_global + 1, sizeof *e->global);
    int rc = 0;
    for (size_t i = 0; i < e->cfg.n_rules && !rc; i++) {
        const brig_secret_rule *r = &e->cfg.rules[i];
        crule *c = &e->rules[i];
        c->r = r;
        if (!r->regex && !r->path) { rc = brig_fail(BRIG_EXIT_INPUT, "secret rule '%s': has neither regex nor path; give at least one", r->id); break; }
        if (r->regex) {
            if ((rc = compile_pcre("rule", r->id, r->regex, PCRE2_USE_OFFSET_LIMIT, &c->floating))) break;
            uint32_t groups = 0;
            pcre2_pattern_info(c->floating, PCRE2_INFO_CAPTURECOUNT, &groups);
            if (r->secret_group < 0 || (uint32_t)r->secret_group > groups) {
                rc = brig_fail(BRIG_EXIT_INPUT, "secret rule '%s': secretGroup %d but the regex has %u capture groups; fix secretGroup",
                               r->id, r->secret_group, groups);
                break;
            }
            c->in_hs = hs_accepts(r->id, r->regex, &c->window);
            if (c->in_hs) e->n_hs++;
        }
        if (r->path && (rc = compile_pcre("path", r->id, r->path, 0, &c->path))) break;
        c->allow = xcalloc(r->n_allow + 1, sizeof *c->allow);
        for (size_t a = 0; a < r->n_allow && !rc; a++) rc = compile_allow(r->id, &r->allow[a], &c->allow[a]);
        c->kw = xcalloc(r->n_keywords + 1, sizeof *c->kw);
        c->n_kw = r->n_keywords;
        for (size_t k = 0; k < r->n_keywords; k++) c->kw[k] = keyword_index(e, r->keywords[k]);
    }
    for (size_t g = 0; g < e->cfg.n_global && !rc; g++) rc = compile_allow("(global allowlist)", &e->cfg.global[g], &e->global[g]);
    if (!rc) rc = build_hs(e);
    if (rc) { brig_secret_engine_free(e); return rc; }
    e->md = pcre2_match_data_create(64, NULL);
    e->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(e->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(e->mctx, DEPTH_LIMIT);
    e->rule_mctx = pcre2_match_context_copy(e->mctx);
    e->last_run = xcalloc(e->cfg.n_rules + 1, sizeof *e->last_run);
    e->kw_seen = xcalloc(e->n_keywords + 1, 1);
    brig_debug("secrets: %zu rules, %zu in the vectorscan database, %zu keywords", e->cfg.n_rules, e->n_hs, e->n_keywords);
    *out = e;
    return 0;
}

void brig_secret_engine_free(brig_secret_engine *e) {
    if (!e) return;
    for (size_t i = 0; i < e->cfg.n_rules; i++) {
        crule *c = &e->rules[i];
        if (c->floating) pcre2_code_free(c->floating);
        if (c->path) pcre2_code_free(c->path);
        if (c->allow) for (size_t a = 0; a < e->cfg.rules[i].n_allow; a++) free_allow(&c->allow[a]);
        free(c->allow); free(c->kw);
    }
    free(e->rules);
    for (size_t g = 0; g < e->cfg.n_global; g++) free_allow(&e->global[g]);
    free(e->global);
    for (size_t i = 0; i < e->n_keywords; i++) free(e->keywords[i]);
    free(e->keywords);
    if (e->scratch) hs_free_scratch(e->scratch);
    if (e->db) hs_free_database(e->db);
    if (e->md) pcre2_match_data_free(e->md);
    if (e->mctx) pcre2_match_context_free(e->mctx);
    if (e->rule_mctx) pcre2_match_context_free(e->rule_mctx);
    free(e->hits); free(e->last_run); free(e->kw_seen); free(e->cands);
    brig_secret_config_free(&e->cfg);
    free(e);
}

static brig_secret_engine *default_engine;
static int default_rc;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static void free_default(void) { brig_secret_engine_free(default_engine); default_engine = NULL; }
static void build_default(void) {
    brig_secret_config cfg;
    brig_secret_config_default(&cfg);
    default_rc = brig_secret_engine_new(&cfg, &default_engine);
    brig_secret_config_free(&cfg);
    if (!default_rc) atexit(free_default);   /* keeps leak checkers quiet */
}
int brig_secret_engine_default(brig_secret_engine **out) {
    pthread_once(&default_once, build_default);
    if (default_rc) {
        char msg[1024];   /* brig_errmsg() is the buffer brig_fail writes to */
        snprintf(msg, sizeof msg, "%s", brig_errmsg());
        return brig_fail(default_rc, "secrets: built-in rules failed to compile (a bug): %s", msg);
    }
    *out = default_engine;
    return 0;
}

void brig_secret_engine_stats(const brig_secret_engine *e, size_t *n_rules, size_t *n_vectorscan) {
    if (n_rules) *n_rules = e->cfg.n_rules;
    if (n_vectorscan) *n_vectorscan = e->n_hs;
}

static bool re_match(const brig_secret_engine *e, pcre2_code *re, const char *s, size_t n) {
    return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, e->md, e->mctx) >= 0;
}

bool brig_secret_engine_path_allowed(const brig_secret_engine *e, const char *path) {
    if (!path) return false;
    for (size_t g = 0; g < e->cfg.n_global; g++) {
        const brig_secret_allowlist *a = &e->cfg.global[g];
        if (a->cond_and && (a->n_regexes || a->n_stopwords)) continue;   /* needs a secret too */
        for (size_t i = 0; i < e->global[g].n_paths; i++)
            if (re_match(e, e->global[g].paths[i], path, strlen(path))) return true;
    }
    return false;
}

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)from; (void)flags;
    brig_secret_engine *e = ctx;
    if (id >= e->cfg.n_rules) { e->kw_seen[id - e->cfg.n_rules] = 1; return 0; }
    size_t lr = e->last_run[id];
    if (lr && e->hits[lr - 1].last_end + 1 >= to) { e->hits[lr - 1].last_end = to; return 0; }
    if (e->n_hits >= MAX_HITS) { e->overflow = true; return 0; }
    e->hits = xgrow(e->hits, &e->cap_hits, e->n_hits + 1, sizeof *e->hits);
    e->hits[e->n_hits++] = (hs_hit){ id, to, to };
    e->last_run[id] = e->n_hits;
    return 0;
}

static int cmp_hit(const void *a, const void *b) {
    const hs_hit *x = a, *y = b;
    if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
    return x->first_end < y->first_end ? -1 : x->first_end > y->first_end;
}

static bool rule_active(const brig_secret_engine *e, const crule *c, const char *path) {
    if (c->path && (!path || !re_match(e, c->path, path, strlen(path)))) return false;
    if (!c->n_kw) return true;
    for (size_t k = 0; k < c->n_kw; k++) if (e->kw_seen[c->kw[k]]) return true;
    return false;
}

static bool contains_ci(const char *h, size_t hn, const char *needle) {
    size_t nn = strlen(needle);
    if (!nn || nn > hn) return nn == 0;
    for (size_t i = 0; i + nn <= hn; i++)
        if (strncasecmp(h + i, needle, nn) == 0) return true;
    return false;
}

/* One allowlist: OR (default) means any listed criterion allows, AND means all
 * the kinds it lists must match. */
static bool allowlisted(const brig_secret_engine *e, const brig_secret_allowlist *a, const compiled_allow *c,
                        const char *path, const char *buf, size_t len, const cand *h) {
    int kinds = 0, hits = 0;
    if (a->n_paths) {
        kinds++;
        bool m = false;
        for (size_t i = 0; i < c->n_paths && !m && path; i++) m = re_match(e, c->paths[i], path, strlen(path));
        hits += m;
    }
    if (a->n_regexes) {
        kinds++;
        size_t s = h->ss, n = h->se - h->ss;
        if (a->target == BRIG_AL_TARGET_MATCH) { s = h->ms; n = h->me - h->ms; }
        else if (a->target == BRIG_AL_TARGET_LINE) {
            size_t ls = h->ms, le = h->me;
            while (ls > 0 && buf[ls - 1] != '\n') ls--;
            while (le < len && buf[le] != '\n') le++;
            s = ls; n = le - ls;
        }
        bool m = false;
        for (size_t i = 0; i < c->n_re && !m; i++) m = re_match(e, c->re[i], buf + s, n);
        hits += m;
    }
    if (a->n_stopwords) {
        kinds++;
        bool m = false;
        for (size_t i = 0; i < a->n_stopwords && !m; i++) m = contains_ci(buf + h->ss, h->se - h->ss, a->stopwords[i]);
        hits += m;
    }
    if (!kinds) return false;
    return a->cond_and ? hits == kinds : hits > 0;
}

/* Applies entropy and allowlists to one regex match; adds a candidate. */
static void consider(brig_secret_engine *e, size_t ri, int set_pairs, const char *path, const char *buf, size_t len) {
    const crule *c = &e->rules[ri];
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
    uint32_t pairs = set_pairs > 0 ? (uint32_t)set_pairs : 1;   /* groups above this are unset */
    cand h = { .rule = ri, .ms = ov[0], .me = ov[1], .ss = ov[0], .se = ov[1] };
    if (c->r->secret_group > 0) {
        uint32_t g = (uint32_t)c->r->secret_group;
        if (g >= pairs || ov[2 * g] == PCRE2_UNSET) return;
        h.ss = ov[2 * g]; h.se = ov[2 * g + 1];
    } else {
        for (uint32_t g = 1; g < pairs; g++)
            if (ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] > ov[2 * g]) { h.ss = ov[2 * g]; h.se = ov[2 * g + 1]; break; }
    }
    if (h.se <= h.ss) return;
    h.entropy = brig_shannon_entropy(buf + h.ss, h.se - h.ss);
    if (c->r->entropy > 0 && h.entropy < c->r->entropy) return;
    for (size_t a = 0; a < c->r->n_allow; a++)
        if (allowlisted(e, &c->r->allow[a], &c->allow[a], path, buf, len, &h)) return;
    for (size_t g = 0; g < e->cfg.n_global; g++)
        if (allowlisted(e, &e->cfg.global[g], &e->global[g], path, buf, len, &h)) return;
    e->cands = xgrow(e->cands, &e->cap_cands, e->n_cands + 1, sizeof *e->cands);
    e->cands[e->n_cands++] = h;
}

static int cmp_cand(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->ss != y->ss) return x->ss < y->ss ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static bool overlap(size_t a0, size_t a1, size_t b0, size_t b1) { return a0 < b1 && b0 < a1; }

/* A generic rule yields to any specific rule whose secret it overlaps, and of
 * two specific rules claiming the same secret the one that matched more
 * context wins (a GCP key file beats the bare PEM inside it). */
static void resolve_overlaps(brig_secret_engine *e) {
    for (size_t i = 0; i < e->n_cands; i++) {
        cand *a = &e->cands[i];
        for (size_t j = 0; j < e->n_cands && !a->dropped; j++) {
            cand *b = &e->cands[j];
            if (i == j || b->dropped || a->rule == b->rule) continue;
            if (!overlap(a->ss, a->se, b->ss, b->se) && !overlap(a->ms, a->me, b->ss, b->se)) continue;
            bool ag = e->rules[a->rule].r->generic, bg = e->rules[b->rule].r->generic;
            if (ag && !bg) a->dropped = true;
            else if (ag == bg && overlap(a->ss, a->se, b->ss, b->se)) {
                size_t la = a->me - a->ms, lb = b->me - b->ms;
                if (la < lb || (la == lb && a->rule > b->rule)) a->dropped = true;
            }
        }
    }
}

int brig_secret_scan_buffer(brig_secret_engine *e, const char *path, const char *buf, size_t len,
                            brig_secret_hit_cb cb, void *ctx) {
    e->n_hits = 0; e->n_cands = 0; e->overflow = false;
    memset(e->last_run, 0, (e->cfg.n_rules + 1) * sizeof *e->last_run);
    memset(e->kw_seen, 0, e->n_keywords + 1);
    if (e->db && len > 0) {
        if (len > 0xffffffffu) return brig_fail(BRIG_EXIT_UNSAFE, "%s: %zu bytes is too large to scan in one piece", path ? path : "buffer", len);
        if (hs_scan(e->db, buf, (unsigned)len, 0, e->scratch, on_hs, e) != HS_SUCCESS)
            return brig_fail(BRIG_EXIT_SYSTEM, "%s: vectorscan scan failed", path ? path : "buffer");
    }
    if (e->overflow) brig_debug("%s: more than %d candidate matches; only the first were checked", path ? path : "buffer", MAX_HITS);
    if (e->n_hits > 1) qsort(e->hits, e->n_hits, sizeof *e->hits, cmp_hit);
    int rc = 0;
    size_t hi = 0;
    for (size_t ri = 0; ri < e->cfg.n_rules; ri++) {
        crule *c = &e->rules[ri];
        size_t h0 = hi;
        while (hi < e->n_hits && e->hits[hi].rule == ri) hi++;
        if (!rule_active(e, c, path)) continue;
        if (!c->r->regex) {   /* path-only rule: the file itself is the finding */
            brig_secret_hit h = { .rule = c->r };
            if ((rc = cb(ctx, &h, buf))) return rc;
            continue;
        }
        if (c->in_hs) {
            /* Non-overlapping, leftmost-first matches like gitleaks.  A hit
             * run ending at [first_end, last_end] comes from a match that
             * starts at most `window` bytes before first_end and before
             * last_end: search only there (offset limit), resuming after
             * the previous match. */
            size_t done_to = 0;
            for (size_t k = h0; k < hi; k++) {
                const hs_hit *run = &e->hits[k];
                while (done_to < run->last_end) {
                    size_t start = run->first_end > c->window ? run->first_end - c->window : 0;
                    if (start < done_to) start = done_to;
                    pcre2_set_offset_limit(e->rule_mctx, run->last_end);
                    int m = pcre2_match(c->floating, (PCRE2_SPTR)buf, len, start, 0, e->md, e->rule_mctx);
                    if (m < 0) {
                        if (m != PCRE2_ERROR_NOMATCH) brig_debug("%s: rule %s gave up near byte %zu (PCRE2 error %d)", path ? path : "buffer", c->r->id, start, m);
                        break;
                    }
                    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
                    done_to = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
                    consider(e, ri, m, path, buf, len);
                }
                if (e->n_cands > MAX_HITS) break;
            }
        } else {
            size_t off = 0;
            pcre2_set_offset_limit(e->rule_mctx, PCRE2_UNSET);
            while (off <= len) {
                int m = pcre2_match(c->floating, (PCRE2_SPTR)buf, len, off, 0, e->md, e->rule_mctx);
                if (m < 0) break;
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
                size_t next = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
                consider(e, ri, m, path, buf, len);
                off = next;
                if (e->n_cands > MAX_HITS) break;
            }
        }
    }
    resolve_overlaps(e);
    if (e->n_cands > 1) qsort(e->cands, e->n_cands, sizeof *e->cands, cmp_cand);
    /* Line/column by counting newlines forward: candidates are sorted. */
    size_t pos = 0; int line = 1; size_t line_start = 0;
    for (size_t i = 0; i < e->n_cands; i++) {
        cand *h = &e->cands[i];
        if (h->dropped) continue;
        while (pos < h->ss) {
            const char *nl = memchr(buf + pos, '\n', h->ss - pos);
            if (!nl) { pos = h->ss; break; }
            line++; pos = (size_t)(nl - buf) + 1; line_start = pos;
        }
        brig_secret_hit out = { .rule = e->rules[h->rule].r, .match_start = h->ms, .match_end = h->me,
                                .secret_start = h->ss, .secret_end = h->se, .line = line,
                                .column = (int)(h->ss - line_start) + 1, .entropy = h->entropy };
        if ((rc = cb(ctx, &out, buf))) return rc;
    }
    return 0;
}
