#include "util/sha256.h"
#include "util/err.h"
#include <errno.h>
#include <fcntl.h>
#include "util/lazy_crypto.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct brig_sha256 { EVP_MD_CTX *ctx; };

brig_sha256 *brig_sha256_new(void) {
    brig_sha256 *h = malloc(sizeof *h);
    if (!h) abort();
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) abort();
    return h;
}
void brig_sha256_update(brig_sha256 *h, const void *data, size_t n) {
    if (n) EVP_DigestUpdate(h->ctx, data, n);
}
static void tohex(const unsigned char *d, unsigned n, char *out) {
    static const char x[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) { out[2 * i] = x[d[i] >> 4]; out[2 * i + 1] = x[d[i] & 15]; }
    out[2 * n] = 0;
}
void brig_sha256_final_hex(brig_sha256 *h, char hex[65]) {
    unsigned char md[32]; unsigned n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    tohex(md, 32, hex);
    brig_sha256_free(h);
}
void brig_sha256_free(brig_sha256 *h) {
    if (!h) return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}
void brig_sha256_hex(const void *data, size_t n, char hex[65]) {
    brig_sha256 *h = brig_sha256_new();
    brig_sha256_update(h, data, n);
    brig_sha256_final_hex(h, hex);
}
int brig_sha256_file(const char *path, char hex[65]) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open", path);
    brig_sha256 *h = brig_sha256_new();
    static _Thread_local unsigned char buf[1 << 16];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR) continue;
            int rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: read failed", path);
            brig_sha256_free(h); close(fd); return rc;
        }
        if (r == 0) break;
        brig_sha256_update(h, buf, (size_t)r);
    }
    close(fd);
    brig_sha256_final_hex(h, hex);
    return 0;
}
bool brig_digest_valid(const char *s, const char **hex) {
    if (!s || strncmp(s, "sha256:", 7) != 0) return false;
    const char *p = s + 7;
    size_t n = 0;
    for (; p[n]; n++)
        if (!((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f'))) return false;
    if (n != 64) return false;
    if (hex) *hex = p;
    return true;
}
