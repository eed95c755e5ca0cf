/* gitleaks TOML configs (`--secret-config FILE`): maps the document onto the
 * rule model, checking every field's type and naming file:line:col on error.
 * Fields brig cannot honour fail loudly (exit 7) instead of being ignored. */
#include "secrets/scanctx.h"
#include "secrets/toml.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { const char *name; } cfgctx;

static int type_err(const cfgctx *c, const brig_toml *v, const char *field, const char *want) {
    return brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s must be %s, not %s", c->name, v->line, v->col, field, want,
                     brig_toml_type_name(v->type));
}

static int get_str(const cfgctx *c, const brig_toml *t, const char *key, const char *field, char **out) {
    const brig_toml *v = brig_toml_get(t, key);
    if (!v) return 0;
    if (v->type != BRIG_TOML_STRING) return type_err(c, v, field, "a string");
    if (strlen(v->s) != v->slen)
        return brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s contains a NUL character", c->name, v->line, v->col, field);
    free(*out);
    *out = xstrdup(v->s);
    return 0;
}

static int get_strv(const cfgctx *c, const brig_toml *t, const char *key, const char *field, char ***out, size_t *n) {
    const brig_toml *v = brig_toml_get(t, key);
    if (!v) return 0;
    if (v->type != BRIG_TOML_ARRAY) return type_err(c, v, field, "an array of strings");
    char **a = xcalloc(v->n + 1, sizeof *a);
    for (size_t i = 0; i < v->n; i++) {
        const brig_toml *e = v->items[i];
        if (e->type != BRIG_TOML_STRING || strlen(e->s) != e->slen) {
            for (size_t k = 0; k < i; k++) free(a[k]);
            free(a);
            return type_err(c, e, field, "an array of strings (without NUL)");
        }
        a[i] = xstrdup(e->s);
    }
    *out = a; *n = v->n;
    return 0;
}

static int notimpl(const cfgctx *c, const brig_toml *v, const char *what) {
    return brig_fail(BRIG_EXIT_NOTIMPL, "%s:%d:%d: %s is not supported by brig's secret scanner; remove it or express it as rule allowlists",
                     c->name, v->line, v->col, what);
}

static int parse_allowlist(const cfgctx *c, const brig_toml *t, const char *where, brig_secret_allowlist *a) {
    memset(a, 0, sizeof *a);
    if (t->type != BRIG_TOML_TABLE) return type_err(c, t, where, "a table");
    char field[160];
    int rc = 0;
    for (size_t i = 0; i < t->n && !rc; i++) {
        const char *k = t->keys[i];
        const brig_toml *v = t->items[i];
        snprintf(field, sizeof field, "%s.%s", where, k);
        if (!strcmp(k, "description")) rc = get_str(c, t, k, field, &a->description);
        else if (!strcmp(k, "regexes")) rc = get_strv(c, t, k, field, &a->regexes, &a->n_regexes);
        else if (!strcmp(k, "paths")) rc = get_strv(c, t, k, field, &a->paths, &a->n_paths);
        else if (!strcmp(k, "stopwords")) rc = get_strv(c, t, k, field, &a->stopwords, &a->n_stopwords);
        else if (!strcmp(k, "commits")) brig_debug("%s: %s ignored: images have no commits", c->name, field);
        else if (!strcmp(k, "condition")) {
            if (v->type != BRIG_TOML_STRING) rc = type_err(c, v, field, "\"OR\" or \"AND\"");
            else if (!strcasecmp(v->s, "AND")) a->cond_and = true;
            else if (strcasecmp(v->s, "OR"))
                rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s must be \"OR\" or \"AND\"", c->name, v->line, v->col, field);
        } else if (!strcmp(k, "regexTarget")) {
            if (v->type != BRIG_TOML_STRING) rc = type_err(c, v, field, "\"secret\", \"match\" or \"line\"");
            else if (!strcmp(v->s, "secret")) a->target = BRIG_AL_TARGET_SECRET;
            else if (!strcmp(v->s, "match")) a->target = BRIG_AL_TARGET_MATCH;
            else if (!strcmp(v->s, "line")) a->target = BRIG_AL_TARGET_LINE;
            else rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s must be \"secret\", \"match\" or \"line\"", c->name, v->line, v->col, field);
        } else if (!strcmp(k, "targetRules")) rc = notimpl(c, v, "allowlist targetRules");
        else brig_debug("%s:%d:%d: unknown key %s ignored", c->name, v->line, v->col, field);
    }
    if (rc) brig_secret_allowlist_free(a);
    return rc;
}

static void push_allow(brig_secret_allowlist **v, size_t *n, brig_secret_allowlist *a) {
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = *a;
}

/* Both spellings: [rules.allowlist] (one table) and [[rules.allowlists]]. */
static int parse_allowlists(const cfgctx *c, const brig_toml *parent, const char *where, brig_secret_allowlist **v, size_t *n) {
    char field[160];
    const brig_toml *one = brig_toml_get(parent, "allowlist");
    int rc;
    if (one) {
        snprintf(field, sizeof field, "%s.allowlist", where);
        brig_secret_allowlist a;
        if ((rc = parse_allowlist(c, one, field, &a))) return rc;
        push_allow(v, n, &a);
    }
    const brig_toml *many = brig_toml_get(parent, "allowlists");
    if (many) {
        if (many->type != BRIG_TOML_ARRAY) return type_err(c, many, "allowlists", "an array of tables ([[allowlists]])");
        for (size_t i = 0; i < many->n; i++) {
            snprintf(field, sizeof field, "%s.allowlists[%zu]", where, i);
            brig_secret_allowlist a;
            if ((rc = parse_allowlist(c, many->items[i], field, &a))) return rc;
            push_allow(v, n, &a);
        }
    }
    return 0;
}

static int parse_rule(const cfgctx *c, const brig_toml *t, size_t idx, brig_secret_rule *r) {
    memset(r, 0, sizeof *r);
    char where[64], field[160];
    snprintf(where, sizeof where, "rules[%zu]", idx);
    if (t->type != BRIG_TOML_TABLE) return type_err(c, t, where, "a table");
    int rc = 0;
    r->severity = BRIG_SEV_HIGH;
    for (size_t i = 0; i < t->n && !rc; i++) {
        const char *k = t->keys[i];
        const brig_toml *v = t->items[i];
        snprintf(field, sizeof field, "%s.%s", where, k);
        if (!strcmp(k, "id")) rc = get_str(c, t, k, field, &r->id);
        else if (!strcmp(k, "description")) rc = get_str(c, t, k, field, &r->description);
        else if (!strcmp(k, "regex")) rc = get_str(c, t, k, field, &r->regex);
        else if (!strcmp(k, "path")) rc = get_str(c, t, k, field, &r->path);
        else if (!strcmp(k, "keywords")) {
            rc = get_strv(c, t, k, field, &r->keywords, &r->n_keywords);
            for (size_t j = 0; !rc && j < r->n_keywords; j++)
                if (!r->keywords[j][0]) rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s has an empty keyword", c->name, v->line, v->col, field);
        }
        else if (!strcmp(k, "tags")) { char **tags = NULL; size_t nt = 0; rc = get_strv(c, t, k, field, &tags, &nt); for (size_t j = 0; j < nt; j++) free(tags[j]); free(tags); }
        else if (!strcmp(k, "secretGroup")) {
            if (v->type != BRIG_TOML_INT) rc = type_err(c, v, field, "an integer");
            else if (v->i < 0 || v->i > 99) rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s must be between 0 and 99", c->name, v->line, v->col, field);
            else r->secret_group = (int)v->i;
        } else if (!strcmp(k, "entropy")) {
            double e = v->type == BRIG_TOML_FLOAT ? v->f : v->type == BRIG_TOML_INT ? (double)v->i : -1;
            if (v->type != BRIG_TOML_FLOAT && v->type != BRIG_TOML_INT) rc = type_err(c, v, field, "a number");
            else if (!(e >= 0 && e <= 8)) rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s must be between 0 and 8 (bits per byte)", c->name, v->line, v->col, field);
            else r->entropy = e;
        } else if (!strcmp(k, "severity")) {   /* brig extension */
            int s;
            if (v->type != BRIG_TOML_STRING) rc = type_err(c, v, field, "a string");
            else if ((s = brig_severity_parse(v->s)) < 0) rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s: unknown severity '%s' (use low, medium, high or critical)", c->name, v->line, v->col, field, v->s);
            else r->severity = (brig_severity)s;
        } else if (!strcmp(k, "allowlist") || !strcmp(k, "allowlists")) {
            /* handled below, once */
        } else if (!strcmp(k, "required")) rc = notimpl(c, v, "composite rules ([[rules.required]])");
        else if (!strcmp(k, "report") || !strcmp(k, "skipReport")) rc = notimpl(c, v, "rules[].report/skipReport");
        else brig_debug("%s:%d:%d: unknown key %s ignored", c->name, v->line, v->col, field);
    }
    if (!rc && !r->id) rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s has no id; every rule needs id = \"...\"", c->name, t->line, t->col, where);
    if (!rc && !r->regex && !r->path)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: rule '%s' has neither regex nor path; give at least one", c->name, t->line, t->col, r->id);
    if (!rc && !r->description) r->description = xstrdup(r->id);
    if (!rc) rc = parse_allowlists(c, t, where, &r->allow, &r->n_allow);
    if (!rc && r->id && !strncmp(r->id, "generic", 7)) r->generic = true;
    return rc;
}

static void rule_cleanup(brig_secret_rule *r) {
    brig_secret_config tmp = { .n_rules = 1 };
    tmp.rules = xcalloc(1, sizeof *r);
    tmp.rules[0] = *r;
    brig_secret_config_free(&tmp);
}

int brig_gitleaks_config_parse(const char *name, const char *text, size_t len, brig_secret_config *out, bool *use_default) {
    memset(out, 0, sizeof *out);
    *use_default = false;
    brig_toml *doc;
    int rc = brig_toml_parse(name, text, len, &doc);
    if (rc) return rc;
    cfgctx c = { name };
    bool global_done = false;
    for (size_t i = 0; i < doc->n && !rc; i++) {
        const char *k = doc->keys[i];
        const brig_toml *v = doc->items[i];
        if (!strcmp(k, "title")) rc = get_str(&c, doc, k, "title", &out->title);
        else if (!strcmp(k, "extend")) {
            if (v->type != BRIG_TOML_TABLE) { rc = type_err(&c, v, "extend", "a table"); break; }
            for (size_t j = 0; j < v->n && !rc; j++) {
                const brig_toml *x = v->items[j];
                if (!strcmp(v->keys[j], "useDefault")) {
                    if (x->type != BRIG_TOML_BOOL) rc = type_err(&c, x, "extend.useDefault", "true or false");
                    else *use_default = x->b;
                } else if (!strcmp(v->keys[j], "disabledRules")) {
                    rc = get_strv(&c, v, "disabledRules", "extend.disabledRules", &out->disabled, &out->n_disabled);
                } else if (!strcmp(v->keys[j], "path") || !strcmp(v->keys[j], "url")) {
                    rc = notimpl(&c, x, "extend.path/extend.url (extending another config file)");
                } else brig_debug("%s:%d:%d: unknown key extend.%s ignored", name, x->line, x->col, v->keys[j]);
            }
        } else if (!strcmp(k, "rules")) {
            if (v->type != BRIG_TOML_ARRAY) { rc = type_err(&c, v, "rules", "an array of tables ([[rules]])"); break; }
            out->rules = xcalloc(v->n + 1, sizeof *out->rules);
            for (size_t j = 0; j < v->n && !rc; j++) {
                brig_secret_rule r;
                rc = parse_rule(&c, v->items[j], j, &r);
                if (rc) { rule_cleanup(&r); break; }
                for (size_t q = 0; q < out->n_rules && !rc; q++)
                    if (!strcmp(out->rules[q].id, r.id))
                        rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: rule id '%s' is defined twice; ids must be unique",
                                       name, v->items[j]->line, v->items[j]->col, r.id);
                if (rc) { rule_cleanup(&r); break; }
                out->rules[out->n_rules++] = r;
            }
        } else if (!strcmp(k, "allowlist") || !strcmp(k, "allowlists")) {
            /* one call reads both spellings */
            if (!global_done) rc = parse_allowlists(&c, doc, "allowlist", &out->global, &out->n_global);
            global_done = true;
        } else brig_debug("%s:%d:%d: unknown top-level key %s ignored", name, v->line, v->col, k);
    }
    brig_toml_free(doc);
    if (rc) brig_secret_config_free(out);
    return rc;
}

int brig_gitleaks_config_load(const char *path, brig_secret_config *out, bool *use_default) {
    char *text; size_t len;
    int rc = brig_read_file(path, BRIG_TOML_MAX_BYTES, &text, &len);
    if (rc) return rc;
    rc = brig_gitleaks_config_parse(path, text, len, out, use_default);
    free(text);
    return rc;
}
