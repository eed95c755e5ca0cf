/* libFuzzer: every version comparator must not crash and must be an order:
 * reflexive (a == a) and antisymmetric (a < b exactly when b > a).  Input:
 * first byte picks the ecosystem, the rest is "A\0B". */
#include "scan/version.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int sgn(int x) { return (x > 0) - (x < 0); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 4096) return 0;
    brig_ecosystem e = (brig_ecosystem)(1 + data[0] % 7);
    char *buf = malloc(size + 1);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = 0;
    buf[size] = 0;
    const char *a = buf, *b = buf + strlen(buf) + (strlen(buf) < size - 1 ? 1 : 0);
    if (b > buf + size - 1) b = buf + size - 1;
    int ab = sgn(brig_version_compare(e, a, b)), ba = sgn(brig_version_compare(e, b, a));
    if (ab != -ba) abort();
    if (brig_version_compare(e, a, a) != 0 || brig_version_compare(e, b, b) != 0) abort();
    (void)brig_version_valid(e, a);
    (void)brig_version_valid(e, b);
    free(buf);
    return 0;
}
