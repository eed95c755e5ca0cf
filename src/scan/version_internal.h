/* Helpers shared by the comparators (not part of the public API). */
#ifndef BRIG_SCAN_VERSION_INTERNAL_H
#define BRIG_SCAN_VERSION_INTERNAL_H
#include <stddef.h>
/* Compare two runs of ASCII digits numerically without overflow (leading
 * zeros ignored), so "18446744073709551617" compares right. */
int brig_vernum_cmp(const char *a, size_t al, const char *b, size_t bl);
/* Clamp any int to -1/0/1 so callers can test antisymmetry directly. */
static inline int brig_sign(int x) { return (x > 0) - (x < 0); }
/* ASCII-only classifiers: versions are compared bytewise, never by locale. */
static inline int v_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int v_islower(int c) { return c >= 'a' && c <= 'z'; }
static inline int v_isupper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int v_isalpha(int c) { return v_islower(c) || v_isupper(c); }
static inline int v_isalnum(int c) { return v_isalpha(c) || v_isdigit(c); }
static inline int v_tolower(int c) { return v_isupper(c) ? c - 'A' + 'a' : c; }
#endif
