/* Fuzz the image JSON documents (OCI index, manifest, config, docker-archive
 * manifest.json) through the same parse functions brig_image_open uses.
 * The first byte picks the document kind. */
#include "image/image_internal.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    brig_doc_kind k = (brig_doc_kind)(data[0] % 4);
    brig_image_parse_doc(k, "fuzz.json", (const char *)data + 1, size - 1);
    return 0;
}
