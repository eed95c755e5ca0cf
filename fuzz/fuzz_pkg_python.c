/* libFuzzer: Python core metadata (METADATA / PKG-INFO) parser and os-release. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "scan/pkg_parsers.h"
#include "scan/os_release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_pkglist l = {0};
    brig_pkg_parse_python("METADATA", (const char *)data, size, 0, &l);
    brig_pkglist_fill_purls(&l, NULL);
    brig_pkglist_free(&l);
    brig_os os = {0};
    brig_os_parse_release("os-release", (const char *)data, size, &os);
    free(brig_os_distro_key(&os));
    brig_os_free(&os);
    return 0;
}
