/* libFuzzer: rpm header blobs (as stored in rpmdb.sqlite and Berkeley DB),
 * and whole ndb Packages.db files (parsed by brig itself). */
#include <stddef.h>
#include <stdint.h>
#include "scan/pkg_parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_pkglist l = {0};
    brig_pkg_parse_rpm_header("rpmdb.sqlite", data, size, 0, &l);
    brig_pkg_parse_rpm_ndb("Packages.db", data, size, 0, &l);
    brig_os os = { .id = "rhel", .version_id = "9" };
    brig_pkglist_fill_purls(&l, &os);
    brig_pkglist_free(&l);
    return 0;
}
