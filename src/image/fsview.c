/* The merged filesystem view: metadata of every visible entry as a tree, plus
 * what later layers deleted or replaced.  Built from one walk and cached on
 * the image, because scanners look up many paths. */
#include "image/image_internal.h"
#include "image/fsview_internal.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

typedef struct { brig_fsnode *node; bool implicit; } slot;

/* Every view is allocated as this, so lookups can use the path map. */
typedef struct {
    brig_fsview pub;
    strmap map;                  /* path -> slot */
} fsview_full;

struct fsview_builder {
    brig_fsview *v;
    strmap map;
    size_t cap_deleted;
};

fsview_builder *fsview_builder_new(void) {
    fsview_builder *b = xcalloc(1, sizeof *b);
    b->v = xcalloc(1, sizeof(fsview_full));
    b->v->root = xcalloc(1, sizeof(brig_fsnode));
    b->v->root->name = xstrdup("");
    b->v->root->type = BRIG_FT_DIR;
    b->v->root->mode = 0755;
    strmap_init(&b->map, sizeof(slot));
    slot *s = strmap_put(&b->map, "", NULL);
    s->node = b->v->root; s->implicit = true;
    return b;
}

static void set_meta(brig_fsnode *n, const brig_entry *e) {
    n->type = e->type; n->mode = e->mode; n->uid = e->uid; n->gid = e->gid;
    n->size = e->size; n->mtime = e->mtime; n->layer = e->layer;
    free(n->linkname);
    n->linkname = e->linkname ? xstrdup(e->linkname) : NULL;
}

/* Node for path, creating implicit parent directories. */
static brig_fsnode *get_node(fsview_builder *b, const char *path, size_t layer, bool *was_implicit, bool *created) {
    slot *s = strmap_get(&b->map, path);
    if (s) { *was_implicit = s->implicit; *created = false; return s->node; }
    const char *sl = strrchr(path, '/');
    char *parent_path = sl ? xstrndup(path, (size_t)(sl - path)) : xstrdup("");
    bool pi, pc;
    brig_fsnode *parent = get_node(b, parent_path, layer, &pi, &pc);
    free(parent_path);
    brig_fsnode *n = xcalloc(1, sizeof *n);
    n->name = xstrdup(sl ? sl + 1 : path);
    n->type = BRIG_FT_DIR; n->mode = 0755; n->layer = layer;
    n->parent = parent;
    n->next = parent->children;
    parent->children = n;
    b->v->n_nodes++;
    s = strmap_put(&b->map, path, NULL);
    s->node = n; s->implicit = true;
    *was_implicit = true; *created = true;
    return n;
}

void fsview_builder_add(fsview_builder *b, const brig_entry *e) {
    if (e->state == BRIG_ENTRY_VISIBLE) {
        bool impl, created;
        brig_fsnode *n = get_node(b, e->path, e->layer, &impl, &created);
        /* An existing node that is not implicit: the same directory twice in
         * one layer (other repeats arrive REPLACED).  The later entry's
         * metadata wins, as when tar, containerd or brig_image_extract apply it. */
        set_meta(n, e);
        ((slot *)strmap_get(&b->map, e->path))->implicit = false;
        return;
    }
    /* A directory under a higher directory is merged, not removed. */
    slot *s = strmap_get(&b->map, e->path);
    if (e->type == BRIG_FT_DIR && e->state == BRIG_ENTRY_REPLACED && s && s->node->type == BRIG_FT_DIR) {
        if (s->implicit) { set_meta(s->node, e); s->implicit = false; }
        return;
    }
    brig_fsview *v = b->v;
    v->deleted = xgrow(v->deleted, &b->cap_deleted, v->n_deleted + 1, sizeof *v->deleted);
    v->deleted[v->n_deleted++] = (brig_deleted){ .path = xstrdup(e->path), .type = e->type, .size = e->size,
                                                 .layer = e->layer, .removed_in = e->removed_in };
}

static int cmp_node(const void *a, const void *b) {
    return strcmp((*(brig_fsnode *const *)a)->name, (*(brig_fsnode *const *)b)->name);
}

static void sort_children(brig_fsnode *n) {
    size_t cnt = 0;
    for (brig_fsnode *c = n->children; c; c = c->next) cnt++;
    if (!cnt) return;
    brig_fsnode **arr = xmalloc(cnt * sizeof *arr);
    size_t i = 0;
    for (brig_fsnode *c = n->children; c; c = c->next) arr[i++] = c;
    qsort(arr, cnt, sizeof *arr, cmp_node);
    for (i = 0; i + 1 < cnt; i++) arr[i]->next = arr[i + 1];
    arr[cnt - 1]->next = NULL;
    n->children = arr[0];
    free(arr);
    for (brig_fsnode *c = n->children; c; c = c->next) if (c->children) sort_children(c);
}

brig_fsview *fsview_builder_finish(fsview_builder *b) {
    sort_children(b->v->root);
    fsview_full *f = (fsview_full *)b->v;
    f->map = b->map;
    free(b);
    return &f->pub;
}

static void free_node(brig_fsnode *n) {
    while (n) {
        brig_fsnode *next = n->next;
        if (n->children) free_node(n->children);
        free(n->name); free(n->linkname); free(n);
        n = next;
    }
}

void fsview_builder_abort(fsview_builder *b) {
    fsview_free(fsview_builder_finish(b));
}

void fsview_free(brig_fsview *v) {
    if (!v) return;
    free_node(v->root);
    for (size_t i = 0; i < v->n_deleted; i++) free(v->deleted[i].path);
    free(v->deleted);
    strmap_free(&((fsview_full *)v)->map);
    free(v);
}

static int build_cb(void *ctx, const brig_entry *e, brig_reader *r) {
    (void)r;
    fsview_builder_add(ctx, e);
    return 0;
}

int brig_image_fsview(brig_image *img, const brig_fsview **out) {
    brig_image_impl *im = img->impl;
    if (!im->fsview) {
        fsview_builder *b = fsview_builder_new();
        int rc = brig_image_walk(img, 0, build_cb, b);
        if (rc) { fsview_builder_abort(b); return rc; }
        fsview_cache(img, b);
    }
    *out = im->fsview;
    return 0;
}

void fsview_cache(brig_image *img, fsview_builder *b) {
    brig_image_impl *im = img->impl;
    if (im->fsview) { fsview_builder_abort(b); return; }
    im->fsview = fsview_builder_finish(b);
}

const brig_fsnode *brig_fsview_lookup(const brig_fsview *v, const char *path) {
    if (!v || !path) return NULL;
    while (*path == '/') path++;
    size_t n = strlen(path);
    while (n && path[n - 1] == '/') n--;
    slot *s = strmap_getn(&((const fsview_full *)v)->map, path, n);
    return s ? s->node : NULL;
}

char *brig_fsnode_path(const brig_fsnode *n) {
    size_t len = 0, k = 0;
    for (const brig_fsnode *p = n; p && p->parent; p = p->parent) { len += strlen(p->name); k++; }
    if (k) len += k - 1;
    char *out = xmalloc(len + 1);
    out[len] = 0;
    size_t pos = len;
    for (const brig_fsnode *p = n; p && p->parent; p = p->parent) {
        size_t l = strlen(p->name);
        pos -= l;
        memcpy(out + pos, p->name, l);
        if (pos) out[--pos] = '/';
    }
    return out;
}
