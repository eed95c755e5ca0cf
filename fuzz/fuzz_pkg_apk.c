/* libFuzzer: Alpine lib/apk/db/installed parser. */
#include <stddef.h>
#include <stdint.h>
#include "scan/pkg_parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_pkglist l = {0};
    brig_pkg_parse_apk("installed", (const char *)data, size, 0, &l);
    brig_os os = { .id = "alpine", .version_id = "3.10.2" };
    brig_pkglist_fill_purls(&l, &os);
    brig_pkglist_free(&l);
    return 0;
}
