/* Building a merged view incrementally (brig_image_read_files builds it in
 * the same pass that collects file content). */
#ifndef BRIG_IMAGE_FSVIEW_INTERNAL_H
#define BRIG_IMAGE_FSVIEW_INTERNAL_H
#include "image/image.h"
typedef struct fsview_builder fsview_builder;
fsview_builder *fsview_builder_new(void);
void fsview_builder_add(fsview_builder *b, const brig_entry *e);
brig_fsview *fsview_builder_finish(fsview_builder *b);
void fsview_builder_abort(fsview_builder *b);
/* Store the finished view on the image (dropped if one is cached already). */
void fsview_cache(brig_image *img, fsview_builder *b);
/* Resolve path in the view following symlinks (in-root) and hardlinks to
 * the final entry; returns the resolved path (caller frees) or NULL. */
char *fsview_resolve(const brig_fsview *v, const char *path, const brig_fsnode **node);
#endif
