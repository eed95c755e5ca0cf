/* SHA-256 (OpenSSL libcrypto) and OCI digest strings ("sha256:<64 hex>"). */
#ifndef BRIG_UTIL_SHA256_H
#define BRIG_UTIL_SHA256_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct brig_sha256 brig_sha256;
brig_sha256 *brig_sha256_new(void);
void brig_sha256_update(brig_sha256 *h, const void *data, size_t n);
/* Writes 64 lowercase hex chars + NUL into hex[65]; frees h. */
void brig_sha256_final_hex(brig_sha256 *h, char hex[65]);
void brig_sha256_free(brig_sha256 *h);

void brig_sha256_hex(const void *data, size_t n, char hex[65]);
/* Hash a whole file; returns exit code, message names the file. */
int brig_sha256_file(const char *path, char hex[65]);

/* True when s is "sha256:" + 64 lowercase hex; *hex points at the hex part. */
bool brig_digest_valid(const char *s, const char **hex);
#endif
