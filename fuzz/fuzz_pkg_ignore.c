/* libFuzzer: ignore files in both forms (.trivyignore lines and YAML). */
#include <stddef.h>
#include <stdint.h>
#include "scan/ignore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_ignore ig;
    if (!brig_ignore_parse("ignore", (const char *)data, size, 1773576000, &ig)) {
        brig_ignore_match(&ig, "CVE-2019-1547", NULL, 0, "usr/bin/x");
        brig_ignore_free(&ig);
    }
    if (!brig_ignore_parse_yaml("ignore.yaml", (const char *)data, size, 1773576000, &ig)) {
        brig_ignore_match(&ig, "CVE-2019-1547", NULL, 0, "usr/bin/x");
        brig_ignore_free(&ig);
    }
    return 0;
}
