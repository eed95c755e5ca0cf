/* YAML/JSON documents as a small node tree that keeps source positions, so
 * every audit finding can point at the offending key or value.  Built from
 * libyaml events with guards against hostile input: nesting depth, alias
 * expansion (billion laughs) and node count.  Merge keys (`<<`) are resolved
 * while loading; aliases share the anchored node (never copied). */
#ifndef BRIG_AUDIT_YDOC_H
#define BRIG_AUDIT_YDOC_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define YDOC_MAX_BYTES      (4u << 20)   /* 4 MiB per file */
#define YDOC_MAX_DEPTH      64
#define YDOC_MAX_EXPANDED   1000000u     /* nodes reachable after alias expansion */
#define YDOC_MAX_DOCS       10000

typedef enum { YN_SCALAR = 1, YN_SEQ, YN_MAP } yn_kind;

typedef struct ynode ynode;
struct ynode {
    yn_kind kind;
    int line, col;          /* 1-based start of the node; 0 when unknown (JSON fallback) */
    char *str;              /* scalar text (NUL-terminated) */
    bool plain;             /* unquoted scalar: subject to null/bool/int resolution */
    size_t n;               /* seq: items; map: pairs */
    ynode **items;          /* seq: n items; map: key at [2i], value at [2i+1] */
    size_t weight;          /* expanded size (for the alias bomb guard) */
};

typedef struct ydoc ydoc;
struct ydoc {
    ynode **docs; size_t n_docs;   /* one root per `---` document (NULL root for empty docs) */
    void **owned; size_t n_owned, cap_owned;
};

/* Parses YAML (or JSON) text; errors are "NAME:LINE:COL: ..." (BRIG_EXIT_INPUT,
 * or BRIG_EXIT_UNSAFE for limit violations). */
int ydoc_parse(const char *name, const char *buf, size_t len, ydoc **out);
/* Wraps a jansson value (positions unknown): used when libyaml rejects valid JSON. */
ydoc *ydoc_from_json(const json_t *j);
void ydoc_free(ydoc *d);

/* Accessors tolerant of NULL and wrong kinds. */
ynode *yn_get(const ynode *map, const char *key);       /* value for key */
ynode *yn_key(const ynode *map, const char *key);       /* the key node (position of "key:") */
ynode *yn_path(const ynode *n, const char *dotted);     /* "spec.template.spec" */
const char *yn_str(const ynode *n);                      /* scalar text or NULL */
bool yn_is_null(const ynode *n);                         /* absent, ~, null, empty plain */
bool yn_is_true(const ynode *n);                         /* true/yes/on (any case) */
bool yn_is_false(const ynode *n);
bool yn_int(const ynode *n, long long *v);               /* integer scalar (decimal, accepts "+") */
size_t yn_len(const ynode *n);                           /* seq items / map pairs */
ynode *yn_at(const ynode *seq, size_t i);                /* a null scalar if out of range / not a seq */
ynode *yn_map_key(const ynode *map, size_t i);
ynode *yn_map_val(const ynode *map, size_t i);
#endif
