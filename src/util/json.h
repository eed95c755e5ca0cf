/* JSON (jansson) loading with bounded size and errors that name file:line:column. */
#ifndef BRIG_UTIL_JSON_H
#define BRIG_UTIL_JSON_H
#include <jansson.h>
#include <stddef.h>
/* Parse buf (len bytes); `name` is used in messages ("index.json:3:14: ..."). */
int brig_json_parse(const char *name, const char *buf, size_t len, json_t **out);
int brig_json_load_file(const char *path, size_t max, json_t **out);
/* Accessors that tolerate missing/mistyped members (return NULL/0). */
const char *brig_json_str(const json_t *obj, const char *key);
/* Array of strings -> NULL-terminated char** (caller frees with brig_strv_free). NULL if absent. */
char **brig_json_strv(const json_t *arr, size_t *n);
void brig_strv_free(char **v);
#endif
