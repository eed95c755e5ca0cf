/* brig_image_walk: layers top to bottom, one decompression pass each.
 *
 * Going top-down means every path a higher layer claimed is known before a
 * lower entry arrives, so the entry's final state (visible, deleted by a
 * whiteout, replaced) can be delivered with it.  Per path we remember the two
 * most recent (= lowest) claiming layers, because claims made by the layer
 * being read must not hide that layer's own entries (OCI: whiteouts and
 * opaque markers only apply to lower layers). */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

enum { K_NONE = 0, K_ENTRY, K_REALDIR, K_DIR, K_WHITEOUT };   /* exact-path claims; K_DIR = implicit parent */
enum { H_REPLACED = 1, H_DELETED };                /* how a path hides its descendants */

typedef struct {
    uint32_t any_low, any_prev;    /* layer+1 of the nearest claims at this exact path */
    uint8_t any_low_k, any_prev_k;
    uint32_t hide_low, hide_prev;  /* layer+1 of the nearest claims hiding descendants */
    uint8_t hide_low_k, hide_prev_k;
    uint32_t reg_low;              /* layer+1 of the lowest regular file / hardlink at this path */
} claim;

typedef struct { char *path, *target; size_t layer; } hardlink_rec;

typedef struct {
    strmap claims;
    hardlink_rec *links; size_t n_links, cap_links;
} walk_state;

static const char *kind_word(brig_ftype t) {
    return t == BRIG_FT_SYMLINK ? "symlink" : t == BRIG_FT_REG || t == BRIG_FT_HARDLINK ? "file" : "non-directory";
}

static void claim_exact(claim *c, uint32_t l1, uint8_t k) {
    if (c->any_low == l1) {
        /* same layer: a real entry wins over an implicit dir or a whiteout */
        if (k == K_ENTRY || k == K_REALDIR) c->any_low_k = k;
        return;
    }
    c->any_prev = c->any_low; c->any_prev_k = c->any_low_k;
    c->any_low = l1; c->any_low_k = k;
}

static void claim_hide(claim *c, uint32_t l1, uint8_t k) {
    if (c->hide_low == l1) { if (k == H_DELETED) c->hide_low_k = k; return; }
    c->hide_prev = c->hide_low; c->hide_prev_k = c->hide_low_k;
    c->hide_low = l1; c->hide_low_k = k;
}

/* Nearest claim strictly above layer l1-1. */
static void above(uint32_t low, uint8_t lowk, uint32_t prev, uint8_t prevk, uint32_t l1, uint32_t *at, uint8_t *k) {
    if (low && low != l1) { *at = low; *k = lowk; }
    else if (low == l1 && prev) { *at = prev; *k = prevk; }
    else { *at = 0; *k = 0; }
}

/* Decide the state of entry e of layer `layer`, then record its claims. */
static int classify(walk_state *ws, size_t layer, const layer_entry *e, const char *ref,
                    brig_entry_state *state, size_t *removed_in) {
    uint32_t l1 = (uint32_t)layer + 1, best = 0;
    uint8_t best_state = 0;
    const char *p = e->path;
    size_t plen = strlen(p);
    /* proper ancestors: "" (the root), "a", "a/b" ... */
    for (size_t i = 0; i < plen; i++) {
        if (i != 0 && p[i] != '/') continue;
        claim *c = strmap_getn(&ws->claims, p, i);
        if (!c) continue;
        uint32_t at; uint8_t k;
        above(c->hide_low, c->hide_low_k, c->hide_prev, c->hide_prev_k, l1, &at, &k);
        if (at && (!best || at < best)) { best = at; best_state = k == H_DELETED ? BRIG_ENTRY_DELETED : BRIG_ENTRY_REPLACED; }
    }
    claim *c = strmap_get(&ws->claims, p);
    /* A non-directory here while this or a higher layer has entries beneath
     * it without a directory entry: an attempt to write through a symlink
     * (or a malformed layer).  Extractors disagree on such layers; refuse. */
    if (c && !e->whiteout && e->type != BRIG_FT_DIR && c->any_low_k == K_DIR)
        return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: '%.200s' is a %s but layer %u has entries beneath it (writing through a %s); refusing the image",
                         layer, ref, p, kind_word(e->type), c->any_low - 1, kind_word(e->type));
    if (c && !e->whiteout) {
        /* A non-directory named again in its own layer replaces the earlier
         * entry (tar semantics; the iterator marked that one superseded).  A
         * directory turning into a non-directory or back within one layer is
         * refused: extractors disagree on it, and it is how a later symlink
         * would redirect what was already written beneath the directory. */
        bool again_nondir = c->any_low_k == K_ENTRY && e->type != BRIG_FT_DIR;
        if (c->any_low == l1 && !again_nondir && (c->any_low_k == K_ENTRY || (c->any_low_k == K_REALDIR && e->type != BRIG_FT_DIR)))
            return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: '%.200s' appears twice in one layer, once as a directory; refusing the ambiguous layer", layer, ref, p);
        uint32_t at; uint8_t k;
        above(c->any_low, c->any_low_k, c->any_prev, c->any_prev_k, l1, &at, &k);
        if (at && (!best || at < best)) { best = at; best_state = k == K_WHITEOUT ? BRIG_ENTRY_DELETED : BRIG_ENTRY_REPLACED; }
    }
    *state = best ? best_state : BRIG_ENTRY_VISIBLE;
    *removed_in = best ? best - 1 : 0;
    if (e->superseded) { *state = BRIG_ENTRY_REPLACED; *removed_in = layer; }   /* nearest: its own layer */
    /* record the claims of this entry */
    for (size_t i = 0; i < plen; i++) {
        if (p[i] != '/') continue;
        char *anc = xstrndup(p, i);
        claim *a = strmap_put(&ws->claims, anc, NULL);
        if (a->any_low == l1 && a->any_low_k == K_ENTRY) {
            int rc = brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: '%.200s' is beneath '%.200s', which the same layer makes a non-directory (writing through a symlink?); refusing the image",
                               layer, ref, p, anc);
            free(anc);
            return rc;
        }
        free(anc);
        if (a->any_low != l1) claim_exact(a, l1, K_DIR);   /* implicit parent directory */
    }
    if (e->whiteout == LAYER_OPAQUE) {
        claim *d = strmap_put(&ws->claims, p, NULL);
        claim_hide(d, l1, H_DELETED);
        if (*p && d->any_low != l1) claim_exact(d, l1, K_DIR);
        return 0;
    }
    claim *d = strmap_put(&ws->claims, p, NULL);
    if (e->whiteout == LAYER_WHITEOUT) {
        claim_exact(d, l1, K_WHITEOUT);
        claim_hide(d, l1, H_DELETED);
    } else if (e->type == BRIG_FT_DIR) {
        claim_exact(d, l1, K_REALDIR);
    } else {
        claim_exact(d, l1, K_ENTRY);
        claim_hide(d, l1, H_REPLACED);
        if ((e->type == BRIG_FT_REG || e->type == BRIG_FT_HARDLINK) && !e->superseded) d->reg_low = l1;
        if (e->type == BRIG_FT_HARDLINK) {
            ws->links = xgrow(ws->links, &ws->cap_links, ws->n_links + 1, sizeof *ws->links);
            ws->links[ws->n_links++] = (hardlink_rec){ xstrdup(p), xstrdup(e->linkname ? e->linkname : ""), layer };
        }
    }
    return 0;
}

/* A hardlink must name a regular file of its own or a lower layer; anything
 * else would link to a host file in a naive extractor. */
static int check_hardlinks(walk_state *ws, const char *ref) {
    for (size_t i = 0; i < ws->n_links; i++) {
        const hardlink_rec *h = &ws->links[i];
        claim *t = strmap_get(&ws->claims, h->target);
        if (!t || !t->reg_low || t->reg_low > h->layer + 1)
            return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: hardlink '%.200s' -> '%.200s': the target is not a regular file of the image; refusing it",
                             h->layer, ref, h->path, h->target);
    }
    return 0;
}

ssize_t brig_reader_read(brig_reader *r, void *buf, size_t n) {
    if (!r || !r->it) return 0;
    return layer_iter_read(r->it, buf, n);
}

int brig_image_walk(brig_image *img, unsigned flags, brig_entry_cb cb, void *ctx) {
    walk_state ws = {0};
    strmap_init(&ws.claims, sizeof(claim));
    layer_counters cnt = {0};
    int rc = 0;
    for (size_t li = img->n_layers; li-- > 0 && !rc;) {
        layer_iter *it;
        if ((rc = layer_iter_open_names(img, li, &cnt, &it))) break;
        brig_reader rd = { it };
        for (;;) {
            const layer_entry *le;
            if ((rc = layer_iter_next(it, &le)) || !le) break;
            brig_entry_state st = BRIG_ENTRY_VISIBLE; size_t rem = 0;
            /* A hardlink to a path its own layer writes again later: on disk the
             * link keeps the earlier file (or a lower layer's), while the
             * merged view would resolve it to the later one.  Refused, as
             * brig_image_extract refuses it. */
            if (le->type == BRIG_FT_HARDLINK && le->linkname && !strcmp(le->linkname, le->path)) {
                rc = brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: hardlink '%.200s' links to itself; refusing it", li, img->ref, le->path);
                break;
            }
            if (le->type == BRIG_FT_HARDLINK && layer_iter_later(it, le->linkname)) {
                rc = brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: hardlink '%.200s' -> '%.200s': the same layer writes '%.200s' again after the link; refusing the ambiguous layer",
                               li, img->ref, le->path, le->linkname, le->linkname);
                break;
            }
            if ((rc = classify(&ws, li, le, img->ref, &st, &rem))) break;
            if (le->whiteout) continue;
            if ((flags & BRIG_WALK_VISIBLE_ONLY) && st != BRIG_ENTRY_VISIBLE) continue;
            brig_entry be = {
                .path = le->path, .type = le->type, .mode = le->mode, .uid = le->uid, .gid = le->gid,
                .size = le->size, .mtime = le->mtime, .linkname = le->linkname, .layer = li,
                .state = st, .removed_in = rem,
            };
            rc = cb(ctx, &be, &rd);
            if (rc == BRIG_WALK_STOP) { rc = BRIG_WALK_STOP; break; }
            if (rc) break;
        }
        layer_iter_close(it);
    }
    if (!rc) rc = check_hardlinks(&ws, img->ref);
    for (size_t i = 0; i < ws.n_links; i++) { free(ws.links[i].path); free(ws.links[i].target); }
    free(ws.links);
    strmap_free(&ws.claims);
    return rc == BRIG_WALK_STOP ? 0 : rc;
}
