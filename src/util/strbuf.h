/* Growable, always NUL-terminated byte buffer. */
#ifndef BRIG_UTIL_STRBUF_H
#define BRIG_UTIL_STRBUF_H
#include <stddef.h>
typedef struct { char *buf; size_t len, cap; } strbuf;
#define STRBUF_INIT {0}
void sb_add(strbuf *sb, const void *data, size_t n);
void sb_adds(strbuf *sb, const char *s);
void sb_addc(strbuf *sb, char c);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_reset(strbuf *sb);
char *sb_detach(strbuf *sb);   /* caller frees; sb becomes empty */
void sb_free(strbuf *sb);
#endif
