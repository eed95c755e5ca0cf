#include "trust/b64.h"
#include "util/xalloc.h"
#include "util/lazy_crypto.h"
#include <stdlib.h>
#include <string.h>

char *trust_b64_encode(const void *data, size_t n) {
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);
    /* EVP_EncodeBlock takes an int length; signatures and keys are tiny. */
    EVP_EncodeBlock((unsigned char *)out, data, (int)n);
    return out;
}

static int b64val(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Hand-written rather than EVP_DecodeBlock: that one cannot tell the caller how
 * much padding there was and accepts some malformed input silently. */
int trust_b64_decode(const char *s, unsigned char **out, size_t *outlen) {
    size_t len = strlen(s);
    unsigned char *buf = xmalloc(len / 4 * 3 + 4);
    size_t o = 0, q = 0, pad = 0;
    unsigned acc = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (c == '=') { pad++; acc <<= 6; q++; }
        else {
            int v = b64val(c);
            if (v < 0 || pad) { free(buf); return -1; }
            acc = (acc << 6) | (unsigned)v; q++;
        }
        if (q == 4) {
            if (pad > 2) { free(buf); return -1; }
            buf[o++] = (unsigned char)(acc >> 16);
            if (pad < 2) buf[o++] = (unsigned char)(acc >> 8);
            if (pad < 1) buf[o++] = (unsigned char)acc;
            q = 0; acc = 0;
            if (pad) { /* padding only at the very end */
                for (size_t j = i + 1; j < len; j++)
                    if (!strchr(" \n\r\t", s[j])) { free(buf); return -1; }
                break;
            }
        }
    }
    if (q != 0) { free(buf); return -1; }
    buf[o] = 0;
    *out = buf;
    *outlen = o;
    return 0;
}
