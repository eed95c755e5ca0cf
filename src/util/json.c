#include "util/json.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <stdlib.h>

int brig_json_parse(const char *name, const char *buf, size_t len, json_t **out) {
    json_error_t je;
    /* JSON_REJECT_DUPLICATES: duplicate keys are a classic parser-differential trick
     * (one tool sees one value, another the other); refuse them. */
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!j) return brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: invalid JSON: %s", name, je.line, je.column, je.text);
    *out = j;
    return 0;
}

int brig_json_load_file(const char *path, size_t max, json_t **out) {
    char *buf; size_t len;
    int rc = brig_read_file(path, max, &buf, &len);
    if (rc) return rc;
    rc = brig_json_parse(path, buf, len, out);
    free(buf);
    return rc;
}

const char *brig_json_str(const json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

char **brig_json_strv(const json_t *arr, size_t *n) {
    if (n) *n = 0;
    if (!json_is_array(arr)) return NULL;
    size_t cnt = json_array_size(arr), k = 0;
    char **v = xcalloc(cnt + 1, sizeof *v);
    for (size_t i = 0; i < cnt; i++) {
        json_t *s = json_array_get(arr, i);
        if (json_is_string(s)) v[k++] = xstrdup(json_string_value(s));
    }
    if (n) *n = k;
    return v;
}

void brig_strv_free(char **v) {
    if (!v) return;
    for (char **p = v; *p; p++) free(*p);
    free(v);
}
