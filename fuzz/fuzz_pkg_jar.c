/* libFuzzer: Java archives (zip via libarchive, pom.properties, nested jars). */
#include <stddef.h>
#include <stdint.h>
#include "scan/pkg_parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_pkglist l = {0};
    brig_pkg_parse_jar("app.jar", data, size, 0, &l);
    brig_pkglist_fill_purls(&l, NULL);
    brig_pkglist_free(&l);
    return 0;
}
