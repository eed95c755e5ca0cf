/* libFuzzer: dpkg status parser (with and without Status filtering) and DEP-5 copyright. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "scan/pkg_parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_pkglist l = {0};
    brig_pkg_parse_dpkg("status", (const char *)data, size, 0, (int)(size & 1), &l);
    brig_pkglist_fill_purls(&l, NULL);
    brig_pkglist_free(&l);
    char **lics; size_t n;
    brig_pkg_parse_copyright((const char *)data, size, &lics, &n);
    for (size_t i = 0; i < n; i++) free(lics[i]);
    free(lics);
    return 0;
}
