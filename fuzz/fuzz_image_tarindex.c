/* Fuzz the outer-tar indexer (oci-archive / docker-archive members). */
#include "image/image_internal.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct { const uint8_t *d; size_t n; } mem;
static ssize_t rd(void *ctx, void *buf, size_t n, uint64_t off) {
    mem *m = ctx;
    if (off >= m->n) return 0;
    if (n > m->n - off) n = (size_t)(m->n - off);
    memcpy(buf, m->d + off, n);
    return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mem m = { data, size };
    brig_limits lim;
    brig_limits_default(&lim);
    lim.max_entries = 10000;
    tar_index ix;
    if (tar_index_build(&ix, "fuzz.tar", rd, &m, size, &lim) == 0) {
        static const char *names[] = { "index.json", "manifest.json", "oci-layout", "blobs/sha256/x", "a/layer.tar" };
        for (size_t i = 0; i < 5; i++) {
            const tar_member *t = tar_index_find(&ix, names[i]);
            if (t && (t->off > size || t->size > size - t->off)) __builtin_trap();   /* members stay inside the file */
        }
        for (size_t i = 0; i < ix.map.n; i++) tar_index_find(&ix, strmap_key(&ix.map, i));
        tar_index_free(&ix);
    }
    return 0;
}
