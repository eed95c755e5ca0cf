#include "image/image_cli.h"
#include <stdio.h>
#include <stdlib.h>

bool image_parse_bytes(const char *s, uint64_t *out) {
    if (!s || !*s || *s == '-') return false;
    char *e;
    unsigned long long v = strtoull(s, &e, 10);
    if (e == s) return false;
    unsigned shift = 0;
    switch (*e) {
    case 0: break;
    case 'k': case 'K': shift = 10; e++; break;
    case 'm': case 'M': shift = 20; e++; break;
    case 'g': case 'G': shift = 30; e++; break;
    case 't': case 'T': shift = 40; e++; break;
    default: return false;
    }
    if (*e == 'i') e++;
    if (*e == 'B' || *e == 'b') e++;
    if (*e) return false;
    if (shift && v > (UINT64_MAX >> shift)) return false;
    *out = (uint64_t)v << shift;
    return true;
}

const char *image_human_bytes(uint64_t n, char *buf, size_t len) {
    static const char *u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double d = (double)n;
    int i = 0;
    while (d >= 1024 && i < 4) { d /= 1024; i++; }
    if (i == 0) snprintf(buf, len, "%llu B", (unsigned long long)n);
    else snprintf(buf, len, "%.1f %s", d, u[i]);
    return buf;
}
