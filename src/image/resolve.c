/* Path resolution inside the merged view: symlinks are followed as if the
 * image root were "/" (absolute targets and ".." never leave it), hardlinks
 * lead to their target.  Used to read files like etc/os-release, which are
 * often symlinks into usr/lib. */
#include "image/image_internal.h"
#include "image/fsview_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define MAX_HOPS 40

char *fsview_resolve(const brig_fsview *v, const char *path, const brig_fsnode **node) {
    strbuf cur = STRBUF_INIT;          /* resolved prefix, "" or "a/b" */
    char *pending = xstrdup(path);     /* components still to walk */
    size_t pos = 0;
    int hops = 0;
    const brig_fsnode *n = v->root;
    for (;;) {
        while (pending[pos] == '/') pos++;
        if (!pending[pos]) break;
        size_t s = pos;
        while (pending[pos] && pending[pos] != '/') pos++;
        size_t len = pos - s;
        if (len == 1 && pending[s] == '.') continue;
        if (len == 2 && pending[s] == '.' && pending[s + 1] == '.') {
            char *sl = strrchr(cur.buf ? cur.buf : "", '/');
            if (sl) { cur.len = (size_t)(sl - cur.buf); cur.buf[cur.len] = 0; }
            else sb_reset(&cur);
            continue;
        }
        size_t oldlen = cur.len;
        if (cur.len) sb_addc(&cur, '/');
        sb_add(&cur, pending + s, len);
        n = brig_fsview_lookup(v, cur.buf);
        if (!n) goto fail;
        if (n->type == BRIG_FT_SYMLINK || (n->type == BRIG_FT_HARDLINK && !pending[pos])) {
            if (++hops > MAX_HOPS || !n->linkname) goto fail;
            char *rest = xasprintf("%s%s", n->linkname, pending + pos);
            if (n->linkname[0] == '/' || n->type == BRIG_FT_HARDLINK) sb_reset(&cur);
            else { cur.len = oldlen; if (cur.buf) cur.buf[oldlen] = 0; }
            free(pending);
            pending = rest;
            pos = 0;
            n = v->root;
            continue;
        }
        if (pending[pos] && n->type != BRIG_FT_DIR) goto fail;
    }
    free(pending);
    if (node) *node = cur.len ? brig_fsview_lookup(v, cur.buf) : v->root;
    return sb_detach(&cur);
fail:
    free(pending);
    sb_free(&cur);
    if (node) *node = NULL;
    return NULL;
}
