#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(strbuf *sb, size_t extra) {
    size_t need = sb->len + extra + 1;
    if (need > sb->cap) {
        size_t c = sb->cap ? sb->cap : 64;
        while (c < need) c *= 2;
        sb->buf = xrealloc(sb->buf, c);
        sb->cap = c;
    }
}
void sb_add(strbuf *sb, const void *data, size_t n) {
    reserve(sb, n);
    if (n) memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = 0;
}
void sb_adds(strbuf *sb, const char *s) { sb_add(sb, s, strlen(s)); }
void sb_addc(strbuf *sb, char c) { sb_add(sb, &c, 1); }
void sb_addf(strbuf *sb, const char *fmt, ...) {
    char tmp[256];   /* most pieces are short: format once into the stack */
    va_list ap, ap2;
    va_start(ap, fmt); va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap); va_end(ap);
    if (n >= 0 && (size_t)n < sizeof tmp) sb_add(sb, tmp, (size_t)n);
    else if (n > 0) { reserve(sb, (size_t)n); vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap2); sb->len += (size_t)n; }
    va_end(ap2);
}
void sb_reset(strbuf *sb) { sb->len = 0; if (sb->buf) sb->buf[0] = 0; }
char *sb_detach(strbuf *sb) { char *b = sb->buf ? sb->buf : xstrdup(""); sb->buf = NULL; sb->len = sb->cap = 0; return b; }
void sb_free(strbuf *sb) { free(sb->buf); sb->buf = NULL; sb->len = sb->cap = 0; }
