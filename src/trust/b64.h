/* Standard base64 (RFC 4648, padded) as used by cosign annotations and
 * containers-policy keyData. */
#ifndef BRIG_TRUST_B64_H
#define BRIG_TRUST_B64_H
#include <stddef.h>
/* Caller frees. */
char *trust_b64_encode(const void *data, size_t n);
/* Decodes strictly (whitespace ignored, padding required); returns 0 and a
 * malloc'd buffer (NUL-terminated for convenience), or -1 if not base64. */
int trust_b64_decode(const char *s, unsigned char **out, size_t *outlen);
#endif
