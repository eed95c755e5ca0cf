/* Helpers shared by `brig inspect`'s JSON and table writers. */
#ifndef BRIG_IMAGE_INSPECT_H
#define BRIG_IMAGE_INSPECT_H
#include "image/image.h"
typedef struct { char *path; const brig_fsnode *node; } inspect_file;
/* Every node of the view except the root, sorted by full path (caller frees paths and array). */
size_t inspect_sorted_files(const brig_fsview *v, inspect_file **out);
json_t *inspect_to_json(brig_image *img, const brig_fsview *files, bool verified);
#endif
