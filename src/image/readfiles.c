/* brig_image_read_files: the content of a few files of the merged view
 * (package databases, os-release ...) without extracting the image.  The
 * first call also builds the merged view in the same pass; only a requested
 * path that turns out to be a link to a file not yet captured costs a second
 * pass.  Content is handed out after the walk, i.e. after every layer read
 * was verified. */
#include "image/image_internal.h"
#include "image/fsview_internal.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

typedef struct { char *data; size_t len; size_t layer; bool have; } captured;

typedef struct {
    strmap want;          /* path -> captured */
    size_t max_bytes;
    fsview_builder *fb;   /* NULL when the view is cached */
    const char *ref;
} rf_ctx;

static int capture_cb(void *ctx, const brig_entry *e, brig_reader *r) {
    rf_ctx *c = ctx;
    if (c->fb) fsview_builder_add(c->fb, e);
    if (e->state != BRIG_ENTRY_VISIBLE || e->type != BRIG_FT_REG) return 0;
    captured *cap = strmap_get(&c->want, e->path);
    if (!cap || cap->have) return 0;
    if (e->size > c->max_bytes)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: /%s is %llu bytes, over the %zu-byte limit for files read into memory",
                         c->ref, e->path, (unsigned long long)e->size, c->max_bytes);
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    for (;;) {
        ssize_t n = brig_reader_read(r, buf, sizeof buf);
        if (n < 0) { sb_free(&sb); return layer_iter_read_rc(r->it); }
        if (n == 0) break;
        sb_add(&sb, buf, (size_t)n);
        if (sb.len > c->max_bytes) {
            sb_free(&sb);
            return brig_fail(BRIG_EXIT_UNSAFE, "%s: /%s is larger than the %zu-byte limit for files read into memory", c->ref, e->path, c->max_bytes);
        }
    }
    cap = strmap_get(&c->want, e->path);
    cap->len = sb.len;
    cap->data = sb.buf ? sb_detach(&sb) : xstrdup("");
    cap->layer = e->layer;
    cap->have = true;
    return 0;
}

static void free_want(strmap *m) {
    for (size_t i = 0; i < m->n; i++) free(((captured *)strmap_val(m, i))->data);
    strmap_free(m);
}

int brig_image_read_files(brig_image *img, const char *const *paths, size_t max_bytes,
                          brig_file_cb cb, void *ctx) {
    rf_ctx c = { .max_bytes = max_bytes, .ref = img->ref };
    strmap_init(&c.want, sizeof(captured));
    size_t np = 0;
    for (; paths && paths[np]; np++) {
        char *norm;
        if (brig_path_normalize(paths[np], &img->impl->lim, &norm) == 0) { strmap_put(&c.want, norm, NULL); free(norm); }
    }
    int rc = 0;
    if (!img->impl->fsview) c.fb = fsview_builder_new();
    if (c.fb || np) {
        rc = brig_image_walk(img, c.fb ? 0 : BRIG_WALK_VISIBLE_ONLY, capture_cb, &c);
        if (rc) { if (c.fb) fsview_builder_abort(c.fb); free_want(&c.want); return rc; }
        if (c.fb) { fsview_cache(img, c.fb); c.fb = NULL; }
    }
    const brig_fsview *v = img->impl->fsview;
    /* Requested paths that are links: resolve them and fetch missing targets. */
    char **resolved = xcalloc(np + 1, sizeof *resolved);
    bool need_second = false;
    for (size_t i = 0; i < np; i++) {
        const brig_fsnode *n;
        resolved[i] = fsview_resolve(v, paths[i], &n);
        if (!resolved[i] || !n || n->type != BRIG_FT_REG) { free(resolved[i]); resolved[i] = NULL; continue; }
        bool created;
        captured *cap = strmap_put(&c.want, resolved[i], &created);
        if (!cap->have) need_second = true;
    }
    if (need_second) rc = brig_image_walk(img, BRIG_WALK_VISIBLE_ONLY, capture_cb, &c);
    for (size_t i = 0; i < np && !rc; i++) {
        if (!resolved[i]) continue;
        captured *cap = strmap_get(&c.want, resolved[i]);
        if (cap && cap->have) rc = cb(ctx, paths[i], cap->data, cap->len, cap->layer);
    }
    for (size_t i = 0; i < np; i++) free(resolved[i]);
    free(resolved);
    free_want(&c.want);
    return rc;
}
