/* Rule-set lifetime (merge, free) and the small pure helpers every rule needs:
 * Shannon entropy and redaction. */
#include "secrets/rules.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void strv_free(char **v, size_t n) {
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static char **strv_dup(char *const *v, size_t n) {
    if (!n) return NULL;
    char **o = xcalloc(n, sizeof *o);
    for (size_t i = 0; i < n; i++) o[i] = xstrdup(v[i]);
    return o;
}

void brig_secret_allowlist_free(brig_secret_allowlist *a) {
    free(a->description);
    strv_free(a->regexes, a->n_regexes);
    strv_free(a->paths, a->n_paths);
    strv_free(a->stopwords, a->n_stopwords);
    memset(a, 0, sizeof *a);
}

static void allowlist_copy(brig_secret_allowlist *d, const brig_secret_allowlist *s) {
    d->description = s->description ? xstrdup(s->description) : NULL;
    d->target = s->target;
    d->cond_and = s->cond_and;
    d->regexes = strv_dup(s->regexes, s->n_regexes); d->n_regexes = s->n_regexes;
    d->paths = strv_dup(s->paths, s->n_paths); d->n_paths = s->n_paths;
    d->stopwords = strv_dup(s->stopwords, s->n_stopwords); d->n_stopwords = s->n_stopwords;
}

static void rule_free(brig_secret_rule *r) {
    free(r->id); free(r->description); free(r->regex); free(r->path);
    strv_free(r->keywords, r->n_keywords);
    for (size_t i = 0; i < r->n_allow; i++) brig_secret_allowlist_free(&r->allow[i]);
    free(r->allow);
    memset(r, 0, sizeof *r);
}

static void rule_copy(brig_secret_rule *d, const brig_secret_rule *s) {
    memset(d, 0, sizeof *d);
    d->id = xstrdup(s->id);
    d->description = s->description ? xstrdup(s->description) : NULL;
    d->severity = s->severity;
    d->regex = s->regex ? xstrdup(s->regex) : NULL;
    d->path = s->path ? xstrdup(s->path) : NULL;
    d->secret_group = s->secret_group;
    d->entropy = s->entropy;
    d->generic = s->generic;
    d->keywords = strv_dup(s->keywords, s->n_keywords); d->n_keywords = s->n_keywords;
    if (s->n_allow) {
        d->allow = xcalloc(s->n_allow, sizeof *d->allow);
        for (size_t i = 0; i < s->n_allow; i++) allowlist_copy(&d->allow[i], &s->allow[i]);
        d->n_allow = s->n_allow;
    }
}

void brig_secret_config_free(brig_secret_config *cfg) {
    free(cfg->title);
    for (size_t i = 0; i < cfg->n_rules; i++) rule_free(&cfg->rules[i]);
    free(cfg->rules);
    for (size_t i = 0; i < cfg->n_global; i++) brig_secret_allowlist_free(&cfg->global[i]);
    free(cfg->global);
    strv_free(cfg->disabled, cfg->n_disabled);
    memset(cfg, 0, sizeof *cfg);
}

void brig_secret_config_merge(brig_secret_config *dst, const brig_secret_config *src) {
    for (size_t d = 0; d < src->n_disabled; d++) {
        for (size_t j = 0; j < dst->n_rules; j++) {
            if (strcmp(dst->rules[j].id, src->disabled[d]) != 0) continue;
            rule_free(&dst->rules[j]);
            memmove(&dst->rules[j], &dst->rules[j + 1], (dst->n_rules - j - 1) * sizeof *dst->rules);
            dst->n_rules--;
            break;
        }
    }
    if (!dst->title && src->title) dst->title = xstrdup(src->title);
    for (size_t i = 0; i < src->n_rules; i++) {
        size_t j = 0;
        while (j < dst->n_rules && strcmp(dst->rules[j].id, src->rules[i].id) != 0) j++;
        if (j == dst->n_rules) {
            dst->rules = xrealloc(dst->rules, (dst->n_rules + 1) * sizeof *dst->rules);
            dst->n_rules++;
        } else {
            rule_free(&dst->rules[j]);
        }
        rule_copy(&dst->rules[j], &src->rules[i]);
    }
    if (src->n_global) {
        dst->global = xrealloc(dst->global, (dst->n_global + src->n_global) * sizeof *dst->global);
        for (size_t i = 0; i < src->n_global; i++) allowlist_copy(&dst->global[dst->n_global + i], &src->global[i]);
        dst->n_global += src->n_global;
    }
}

double brig_shannon_entropy(const char *s, size_t n) {
    if (n == 0) return 0;
    size_t counts[256] = {0};
    for (size_t i = 0; i < n; i++) counts[(unsigned char)s[i]]++;
    double h = 0;
    for (int c = 0; c < 256; c++) {
        if (!counts[c]) continue;
        double p = (double)counts[c] / (double)n;
        h -= p * log2(p);
    }
    return h;
}

/* Short secrets reveal proportionally more per shown byte, so show less. */
void brig_secret_redact(const char *secret, size_t n, char *out, size_t outsz) {
    size_t show = n >= 16 ? 4 : n >= 10 ? 2 : 0;
    if (outsz < show + 6) { if (outsz) out[0] = 0; return; }
    for (size_t i = 0; i < show; i++) {
        unsigned char c = (unsigned char)secret[i];
        out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    memcpy(out + show, "*****", 6);
}
