/* libyaml event stream -> position-keeping node tree (see ydoc.h for why). */
#include "audit/ydoc.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static void *own(ydoc *d, void *p) {
    d->owned = xgrow(d->owned, &d->cap_owned, d->n_owned + 1, sizeof *d->owned);
    d->owned[d->n_owned++] = p;
    return p;
}

static ynode *new_node(ydoc *d, yn_kind k, int line, int col) {
    ynode *n = own(d, xcalloc(1, sizeof *n));
    n->kind = k; n->line = line; n->col = col; n->weight = 1;
    return n;
}

void ydoc_free(ydoc *d) {
    if (!d) return;
    for (size_t i = 0; i < d->n_owned; i++) free(d->owned[i]);
    free(d->owned);
    free(d->docs);
    free(d);
}

/* ---- loader state ---------------------------------------------------- */

typedef struct { ynode *node; size_t cap; char *anchor; } frame;
typedef struct { char *name; ynode *node; } anchor_ent;

typedef struct {
    const char *name;
    ydoc *d;
    frame stack[YDOC_MAX_DEPTH + 1];
    int depth;
    anchor_ent *anchors; size_t n_anchors, cap_anchors;
    ynode *root; bool have_root;
    size_t cap_docs;
} loader;

static int fail_at(loader *L, int code, int line, int col, const char *what) {
    return brig_fail(code, "%s:%d:%d: %s", L->name, line, col, what);
}

static void add_anchor(loader *L, const char *name, ynode *n) {
    /* A later anchor with the same name shadows the earlier one (YAML spec). */
    L->anchors = xgrow(L->anchors, &L->cap_anchors, L->n_anchors + 1, sizeof *L->anchors);
    L->anchors[L->n_anchors].name = xstrdup(name);
    L->anchors[L->n_anchors].node = n;
    L->n_anchors++;
}

static ynode *find_anchor(loader *L, const char *name) {
    for (size_t i = L->n_anchors; i-- > 0;)
        if (!strcmp(L->anchors[i].name, name)) return L->anchors[i].node;
    return NULL;
}

static void clear_anchors(loader *L) {
    for (size_t i = 0; i < L->n_anchors; i++) free(L->anchors[i].name);
    L->n_anchors = 0;
}

static void push_item(frame *f, ynode *child) {
    f->node->items = xgrow(f->node->items, &f->cap, f->node->n + 1, sizeof *f->node->items);
    f->node->items[f->node->n++] = child;
}

/* Attach a finished node to its parent (or make it the document root). */
static int attach(loader *L, ynode *n, int line, int col) {
    if (L->depth == 0) { L->root = n; L->have_root = true; return 0; }
    frame *f = &L->stack[L->depth - 1];
    if (f->node->weight + n->weight > YDOC_MAX_EXPANDED)
        return fail_at(L, BRIG_EXIT_UNSAFE, line, col,
                       "document expands to more than 1000000 nodes (alias bomb?); refusing to load it");
    f->node->weight += n->weight;
    push_item(f, n);
    return 0;
}

/* ---- maps: duplicate keys and merge keys ------------------------------- */

/* Small open-addressing set of key strings, so hostile maps with many keys stay O(n). */
typedef struct { const char **slot; size_t cap; } keyset;
static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ull; }
    return h;
}
static void ks_init(keyset *k, size_t n) {
    k->cap = 16;
    while (k->cap < n * 2 + 2) k->cap *= 2;
    k->slot = xcalloc(k->cap, sizeof *k->slot);
}
/* Returns true if the key was already present. */
static bool ks_add(keyset *k, const char *s) {
    size_t i = hash_str(s) & (k->cap - 1);
    while (k->slot[i]) {
        if (!strcmp(k->slot[i], s)) return true;
        i = (i + 1) & (k->cap - 1);
    }
    k->slot[i] = s;
    return false;
}

static bool is_merge_key(const ynode *k) {
    return k->kind == YN_SCALAR && k->plain && !strcmp(k->str, "<<");
}

static int finish_map(loader *L, ynode *m, size_t *cap) {
    size_t npairs = m->n / 2;
    /* Count the pairs merge keys may contribute to size the key set. */
    size_t extra = 0;
    bool has_merge = false;
    for (size_t i = 0; i < npairs; i++) {
        ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
        if (!is_merge_key(k)) continue;
        has_merge = true;
        if (v->kind == YN_MAP) extra += v->n;
        else if (v->kind == YN_SEQ) {
            for (size_t j = 0; j < v->n; j++) {
                if (v->items[j]->kind != YN_MAP)
                    return fail_at(L, BRIG_EXIT_INPUT, v->items[j]->line, v->items[j]->col,
                                   "merge key '<<' list items must be mappings");
                extra += v->items[j]->n;
            }
        } else return fail_at(L, BRIG_EXIT_INPUT, v->line, v->col, "merge key '<<' needs a mapping or a list of mappings");
    }
    if (npairs + extra > 100000)
        return fail_at(L, BRIG_EXIT_UNSAFE, m->line, m->col, "mapping has more than 100000 keys; refusing it");
    keyset ks; ks_init(&ks, npairs + extra);
    /* Explicit keys first: they override merged ones wherever they appear. */
    ynode **out = xcalloc(2 * (npairs + extra) + 1, sizeof *out);
    size_t no = 0;
    int rc = 0;
    for (size_t i = 0; i < npairs && !rc; i++) {
        ynode *k = m->items[2 * i];
        if (is_merge_key(k)) continue;
        if (k->kind == YN_SCALAR && ks_add(&ks, k->str)) {
            char msg[300];
            snprintf(msg, sizeof msg, "duplicate key '%.200s' in a mapping (tools disagree on which value wins); remove one", k->str);
            rc = fail_at(L, BRIG_EXIT_INPUT, k->line, k->col, msg);
        }
        out[no++] = k; out[no++] = m->items[2 * i + 1];
    }
    if (has_merge && !rc) {
        for (size_t i = 0; i < npairs; i++) {
            ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
            if (!is_merge_key(k)) continue;
            /* In a list of merged maps, earlier maps win (YAML merge spec). */
            size_t nsrc = v->kind == YN_MAP ? 1 : v->n;
            for (size_t s = 0; s < nsrc; s++) {
                ynode *src = v->kind == YN_MAP ? v : v->items[s];
                for (size_t j = 0; j < src->n / 2; j++) {
                    ynode *sk = src->items[2 * j];
                    if (sk->kind == YN_SCALAR && ks_add(&ks, sk->str)) continue;
                    out[no++] = sk; out[no++] = src->items[2 * j + 1];
                }
            }
        }
    }
    free(ks.slot);
    free(m->items);
    m->items = out; m->n = no; *cap = 2 * (npairs + extra) + 1;
    return rc;
}

/* ---- event loop ------------------------------------------------------ */

static int parse_error(loader *L, yaml_parser_t *p) {
    const char *problem = p->problem ? p->problem : "invalid YAML";
    char msg[512];
    if (p->context)
        snprintf(msg, sizeof msg, "invalid YAML: %s %s", p->context, problem);
    else
        snprintf(msg, sizeof msg, "invalid YAML: %s", problem);
    return fail_at(L, BRIG_EXIT_INPUT, (int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1, msg);
}

static int handle(loader *L, yaml_event_t *ev) {
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        L->depth = 0; L->root = NULL; L->have_root = false;
        return 0;
    case YAML_DOCUMENT_END_EVENT:
        if (L->d->n_docs >= YDOC_MAX_DOCS)
            return fail_at(L, BRIG_EXIT_UNSAFE, line, col, "more than 10000 documents in one file; refusing it");
        L->d->docs = xgrow(L->d->docs, &L->cap_docs, L->d->n_docs + 1, sizeof *L->d->docs);
        L->d->docs[L->d->n_docs++] = L->root;
        clear_anchors(L);   /* anchors are scoped to one document */
        return 0;
    case YAML_SCALAR_EVENT: {
        ynode *n = new_node(L->d, YN_SCALAR, line, col);
        n->str = own(L->d, xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length));
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag;
        if (ev->data.scalar.anchor) add_anchor(L, (const char *)ev->data.scalar.anchor, n);
        return attach(L, n, line, col);
    }
    case YAML_ALIAS_EVENT: {
        ynode *n = find_anchor(L, (const char *)ev->data.alias.anchor);
        if (!n) {
            char msg[300];
            snprintf(msg, sizeof msg, "alias '*%.200s' refers to an undefined anchor", (const char *)ev->data.alias.anchor);
            return fail_at(L, BRIG_EXIT_INPUT, line, col, msg);
        }
        return attach(L, n, line, col);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        if (L->depth >= YDOC_MAX_DEPTH)
            return fail_at(L, BRIG_EXIT_UNSAFE, line, col, "nesting deeper than 64 levels; refusing it");
        bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
        frame *f = &L->stack[L->depth++];
        f->node = new_node(L->d, seq ? YN_SEQ : YN_MAP, line, col);
        f->cap = 0;
        const yaml_char_t *a = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
        f->anchor = a ? xstrdup((const char *)a) : NULL;
        return 0;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        frame *f = &L->stack[--L->depth];
        ynode *n = f->node;
        int rc = 0;
        if (n->kind == YN_MAP) rc = finish_map(L, n, &f->cap);
        own(L->d, n->items);
        /* Registered only once complete, so an alias can never point at an
         * ancestor (no cycles for the checks to loop on). */
        if (f->anchor) { if (!rc) add_anchor(L, f->anchor, n); free(f->anchor); f->anchor = NULL; }
        if (rc) return rc;
        return attach(L, n, n->line, n->col);
    }
    default:
        return 0;
    }
}

int ydoc_parse(const char *name, const char *buf, size_t len, ydoc **out) {
    *out = NULL;
    if (len > YDOC_MAX_BYTES)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: %zu bytes exceeds the 4 MiB limit for YAML/JSON input", name, len);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) return brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot initialise the YAML parser", name);
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    loader L = { .name = name, .d = xcalloc(1, sizeof(ydoc)) };
    int rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) { rc = parse_error(&L, &p); break; }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        rc = handle(&L, &ev);
        yaml_event_delete(&ev);
        if (rc || end) break;
    }
    /* Unwind frames left open by an error. */
    while (L.depth > 0) { frame *f = &L.stack[--L.depth]; own(L.d, f->node->items); free(f->anchor); }
    clear_anchors(&L);
    free(L.anchors);
    yaml_parser_delete(&p);
    if (rc) { ydoc_free(L.d); return rc; }
    *out = L.d;
    return 0;
}

/* ---- JSON fallback --------------------------------------------------- */

static ynode *from_json(ydoc *d, const json_t *j) {
    if (json_is_object(j)) {
        ynode *n = new_node(d, YN_MAP, 0, 0);
        size_t cnt = json_object_size(j);
        n->items = own(d, xcalloc(2 * cnt + 1, sizeof *n->items));
        const char *k; json_t *v;
        json_object_foreach((json_t *)j, k, v) {
            ynode *kn = new_node(d, YN_SCALAR, 0, 0);
            kn->str = own(d, xstrdup(k));
            n->items[n->n++] = kn;
            n->items[n->n++] = from_json(d, v);
        }
        return n;
    }
    if (json_is_array(j)) {
        ynode *n = new_node(d, YN_SEQ, 0, 0);
        size_t cnt = json_array_size(j);
        n->items = own(d, xcalloc(cnt + 1, sizeof *n->items));
        for (size_t i = 0; i < cnt; i++) n->items[n->n++] = from_json(d, json_array_get(j, i));
        return n;
    }
    ynode *n = new_node(d, YN_SCALAR, 0, 0);
    n->plain = !json_is_string(j);
    if (json_is_string(j)) n->str = own(d, xstrdup(json_string_value(j)));
    else if (json_is_integer(j)) n->str = own(d, xasprintf("%lld", (long long)json_integer_value(j)));
    else if (json_is_real(j)) n->str = own(d, xasprintf("%.17g", json_real_value(j)));
    else if (json_is_true(j)) n->str = own(d, xstrdup("true"));
    else if (json_is_false(j)) n->str = own(d, xstrdup("false"));
    else n->str = own(d, xstrdup("null"));
    return n;
}

ydoc *ydoc_from_json(const json_t *j) {
    ydoc *d = xcalloc(1, sizeof *d);
    d->docs = xcalloc(1, sizeof *d->docs);
    d->docs[0] = from_json(d, j);
    d->n_docs = 1;
    return d;
}

/* ---- accessors ------------------------------------------------------- */

static ssize_t find_key(const ynode *m, const char *key) {
    if (!m || m->kind != YN_MAP) return -1;
    for (size_t i = 0; i < m->n / 2; i++) {
        const ynode *k = m->items[2 * i];
        if (k->kind == YN_SCALAR && !strcmp(k->str, key)) return (ssize_t)i;
    }
    return -1;
}
ynode *yn_get(const ynode *m, const char *key) { ssize_t i = find_key(m, key); return i < 0 ? NULL : m->items[2 * i + 1]; }
ynode *yn_key(const ynode *m, const char *key) { ssize_t i = find_key(m, key); return i < 0 ? NULL : m->items[2 * i]; }

ynode *yn_path(const ynode *n, const char *dotted) {
    char part[128];
    const char *p = dotted;
    while (n && *p) {
        size_t l = strcspn(p, ".");
        if (l >= sizeof part) return NULL;
        memcpy(part, p, l); part[l] = 0;
        n = yn_get(n, part);
        p += l; if (*p == '.') p++;
    }
    return (ynode *)n;
}

const char *yn_str(const ynode *n) { return n && n->kind == YN_SCALAR ? n->str : NULL; }

bool yn_is_null(const ynode *n) {
    if (!n) return true;
    if (n->kind != YN_SCALAR || !n->plain) return false;
    return !n->str[0] || !strcmp(n->str, "~") || !strcasecmp(n->str, "null");
}

static bool word_in(const ynode *n, const char *const *words) {
    if (!n || n->kind != YN_SCALAR) return false;
    for (; *words; words++) if (!strcasecmp(n->str, *words)) return true;
    return false;
}
/* Quoted "true" is a string, but compose and kubectl coerce it anyway; so do we. */
bool yn_is_true(const ynode *n) { static const char *const w[] = { "true", "yes", "on", NULL }; return word_in(n, w); }
bool yn_is_false(const ynode *n) { static const char *const w[] = { "false", "no", "off", NULL }; return word_in(n, w); }

bool yn_int(const ynode *n, long long *v) {
    const char *s = yn_str(n);
    if (!s || !*s) return false;
    char *end; errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || *end || end == s) return false;
    *v = x;
    return true;
}

size_t yn_len(const ynode *n) { return !n ? 0 : n->kind == YN_SEQ ? n->n : n->kind == YN_MAP ? n->n / 2 : 0; }
/* Out-of-range or wrong-kind access yields a shared null scalar, never NULL, so
 * checks walking hostile documents (a map where a list belongs) cannot crash. */
static ynode yn_nil = { .kind = YN_SCALAR, .str = "", .plain = true, .weight = 1 };
ynode *yn_at(const ynode *s, size_t i) { return s && s->kind == YN_SEQ && i < s->n ? s->items[i] : &yn_nil; }
ynode *yn_map_key(const ynode *m, size_t i) { return m && m->kind == YN_MAP && i < m->n / 2 ? m->items[2 * i] : NULL; }
ynode *yn_map_val(const ynode *m, size_t i) { return m && m->kind == YN_MAP && i < m->n / 2 ? m->items[2 * i + 1] : NULL; }
