/* Line-by-line iteration over an in-memory buffer (package databases, ignore
 * files, os-release, METADATA): no copies, 1-based line numbers for errors,
 * "\r\n" endings handled once here. */
#ifndef BRIG_UTIL_LINES_H
#define BRIG_UTIL_LINES_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct { const char *buf; size_t len, pos, lineno; } brig_lines;

static inline void brig_lines_init(brig_lines *it, const char *buf, size_t len) {
    it->buf = buf; it->len = len; it->pos = 0; it->lineno = 0;
}

/* Next line without its "\n" and trailing "\r"; false at the end.
 * it->lineno is the 1-based number of the line returned. */
static inline bool brig_lines_next(brig_lines *it, const char **ln, size_t *n) {
    if (it->pos >= it->len) return false;
    const char *p = it->buf + it->pos;
    const char *nl = memchr(p, '\n', it->len - it->pos);
    size_t m = nl ? (size_t)(nl - p) : it->len - it->pos;
    it->pos += m + 1;
    it->lineno++;
    if (m && p[m - 1] == '\r') m--;
    *ln = p; *n = m;
    return true;
}
#endif
