/* libFuzzer: scan an arbitrary buffer with every built-in rule (vectorscan
 * prefilter, PCRE2 extraction, entropy, allowlists, overlap resolution) and
 * check each hit's offsets stay inside the buffer and never overlap wrongly. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "secrets/engine.h"
#include "secrets/scanctx.h"

static int check_hit(void *ctx, const brig_secret_hit *h, const char *buf) {
    size_t len = *(size_t *)ctx;
    (void)buf;
    if (h->rule->regex) {
        if (h->match_start > h->match_end || h->match_end > len) abort();
        if (h->secret_start >= h->secret_end || h->secret_end > len) abort();
        if (h->line < 1 || h->column < 1) abort();
    }
    char red[16];
    brig_secret_redact(buf + h->secret_start, h->secret_end - h->secret_start, red, sizeof red);
    if (strlen(red) > 9) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static brig_secret_engine *e;
    if (!e && brig_secret_engine_default(&e)) abort();
    /* the first byte picks a path so path-dependent logic runs too */
    const char *paths[] = { NULL, "app/config.yml", "vendor/x/.env", "certs/a.p12" };
    const char *path = size ? paths[data[0] % 4] : NULL;
    char *buf = malloc(size + 1);
    if (size) memcpy(buf, data, size);
    buf[size] = 0;
    size_t len = size;
    brig_secret_scan_buffer(e, path, buf, len, check_hit, &len);
    (void)brig_secrets_is_binary(buf, len);
    free(buf);
    return 0;
}
