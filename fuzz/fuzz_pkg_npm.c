/* libFuzzer: package-lock.json (v1-v3) and node_modules package.json parsers. */
#include <stddef.h>
#include <stdint.h>
#include "scan/pkg_parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_pkglist l = {0};
    brig_pkg_parse_npm_lock("package-lock.json", (const char *)data, size, 0, &l);
    brig_pkg_parse_npm_package("package.json", (const char *)data, size, 0, &l);
    brig_pkglist_fill_purls(&l, NULL);
    brig_pkglist_dedupe(&l);
    brig_pkglist_free(&l);
    return 0;
}
