/* libFuzzer: Go build info in ELF files (section lookup, inline and pointer
 * formats).  Inputs shorter than an ELF header are given one so the fuzzer
 * reaches the interesting code quickly. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scan/pkg_parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_pkglist l = {0};
    brig_pkg_parse_gobin("bin", data, size, 0, &l);
    /* the same bytes behind an ELF64 LE magic, so mutations explore the parser */
    unsigned char *b = malloc(size + 6);
    memcpy(b, "\x7f" "ELF\x02\x01", 6);
    memcpy(b + 6, data, size);
    brig_pkg_parse_gobin("bin", b, size + 6, 0, &l);
    free(b);
    brig_pkglist_fill_purls(&l, NULL);
    brig_pkglist_free(&l);
    return 0;
}
