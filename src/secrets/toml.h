/* A small TOML reader for the subset gitleaks configs use: tables, arrays of
 * tables, dotted keys, basic/literal strings (incl. multi-line), integers,
 * floats, booleans, arrays and inline tables.  Dates are refused.  Every error
 * names the file, line and column. */
#ifndef BRIG_SECRETS_TOML_H
#define BRIG_SECRETS_TOML_H
#include <stdbool.h>
#include <stddef.h>

#define BRIG_TOML_MAX_BYTES   (1u << 20)   /* a config larger than this is refused */
#define BRIG_TOML_MAX_DEPTH   32           /* nested arrays / inline tables */
#define BRIG_TOML_MAX_VALUES  200000

typedef enum { BRIG_TOML_STRING = 1, BRIG_TOML_INT, BRIG_TOML_FLOAT, BRIG_TOML_BOOL, BRIG_TOML_ARRAY, BRIG_TOML_TABLE } brig_toml_type;

typedef struct brig_toml brig_toml;
struct brig_toml {
    brig_toml_type type;
    int line, col;                 /* where the value (or table header) starts */
    char *s; size_t slen;          /* STRING (NUL-terminated, may contain NUL: use slen) */
    long long i;                   /* INT */
    double f;                      /* FLOAT */
    bool b;                        /* BOOL */
    brig_toml **items; size_t n, cap;   /* ARRAY elements / TABLE values */
    char **keys;                   /* TABLE keys (parallel to items) */
    bool array_of_tables;          /* ARRAY created by [[header]] */
    bool header_defined;           /* TABLE given its own [header] */
    bool frozen;                   /* inline table/array: cannot be extended */
};

int brig_toml_parse(const char *name, const char *text, size_t len, brig_toml **out);
void brig_toml_free(brig_toml *t);
/* Member of a table, NULL if absent or t is not a table. */
const brig_toml *brig_toml_get(const brig_toml *t, const char *key);
const char *brig_toml_type_name(brig_toml_type t);
#endif
