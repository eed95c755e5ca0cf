#include "util/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n) {
    fprintf(stderr, "brig: error: out of memory allocating %zu bytes\n", n);
    abort();
}
void *xmalloc(size_t n) { void *p = malloc(n ? n : 1); if (!p) oom(n); return p; }
void *xcalloc(size_t n, size_t sz) { void *p = calloc(n ? n : 1, sz ? sz : 1); if (!p) oom(n * sz); return p; }
void *xrealloc(void *p, size_t n) { void *q = realloc(p, n ? n : 1); if (!q) oom(n); return q; }
char *xstrdup(const char *s) { char *p = strdup(s ? s : ""); if (!p) oom(strlen(s)); return p; }
char *xstrndup(const char *s, size_t n) { char *p = strndup(s, n); if (!p) oom(n); return p; }
char *xasprintf(const char *fmt, ...) {
    va_list ap; char *s = NULL;
    va_start(ap, fmt); int r = vasprintf(&s, fmt, ap); va_end(ap);
    if (r < 0) oom(0);
    return s;
}
void *xgrow(void *p, size_t *cap, size_t need, size_t sz) {
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > ((size_t)-1) / 2 / sz) oom(need * sz);
        c *= 2;
    }
    p = xrealloc(p, c * sz);
    *cap = c;
    return p;
}
