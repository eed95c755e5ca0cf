/* Allocation that cannot return NULL: running out of memory is not a state any
 * caller can recover from meaningfully, so we stop with a clear message. */
#ifndef BRIG_UTIL_XALLOC_H
#define BRIG_UTIL_XALLOC_H
#include <stddef.h>
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grow an array of `*cap` elements of size `sz` to hold at least `need`. */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz);
#endif
