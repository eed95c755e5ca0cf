/* brig_image_verify_blobs: hash every layer blob (stored digest and, when the
 * config lists it, the diff_id of the decompressed stream) without parsing
 * the content. */
#include "image/image_internal.h"
#include "cli/cli.h"
#include "util/err.h"

int brig_image_verify_blobs(brig_image *img) {
    if (img->kind == BRIG_IMG_DIR) return 0;
    for (size_t i = 0; i < img->n_layers; i++) {
        brig_progress("verifying layers", i, img->n_layers);
        int rc = blob_verify_stream(img, i);
        if (rc) { brig_progress_done(); return rc; }
    }
    brig_progress_done();
    return 0;
}
