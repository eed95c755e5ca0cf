/* Index of an outer tar (oci-archive, docker-archive): member name -> data
 * offset, so blobs are read in place with pread instead of being unpacked.
 * Understands ustar, GNU long names and pax path/size/linkpath records. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define TAR_BLOCK 512
#define TAR_MAX_META (1u << 20)   /* long name / pax header data */

static int parse_octal(const unsigned char *f, size_t n, uint64_t *out) {
    if (f[0] & 0x80) {            /* GNU base-256 */
        if (f[0] & 0x40) return -1;   /* negative */
        uint64_t v = f[0] & 0x3f;
        for (size_t i = 1; i < n; i++) {
            if (v >> 56) return -1;
            v = (v << 8) | f[i];
        }
        *out = v;
        return 0;
    }
    size_t i = 0;
    while (i < n && (f[i] == ' ' || f[i] == 0)) i++;
    uint64_t v = 0;
    bool any = false;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 60) return -1;
        v = v * 8 + (uint64_t)(f[i] - '0');
        any = true;
    }
    for (; i < n; i++) if (f[i] != ' ' && f[i] != 0) return -1;
    *out = any ? v : 0;
    return 0;
}

static bool checksum_ok(const unsigned char *h) {
    uint64_t want;
    if (parse_octal(h + 148, 8, &want)) return false;
    uint64_t u = 0; int64_t s = 0;
    for (int i = 0; i < TAR_BLOCK; i++) {
        unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
        u += c; s += (signed char)c;
    }
    return want == u || (int64_t)want == s;
}

static char *field(const unsigned char *f, size_t n) {
    size_t l = strnlen((const char *)f, n);
    return xstrndup((const char *)f, l);
}

/* pax records: "LEN key=value\n"; we need path, linkpath, size. */
static int parse_pax(const char *name, uint64_t at, const char *d, size_t n,
                     char **path, char **linkpath, uint64_t *size, bool *has_size) {
    size_t i = 0;
    while (i < n) {
        size_t len = 0, j = i;
        while (j < n && d[j] >= '0' && d[j] <= '9' && len < 1000000) len = len * 10 + (size_t)(d[j++] - '0');
        if (j >= n || d[j] != ' ' || len == 0 || len > n - i || d[i + len - 1] != '\n')
            return brig_fail(BRIG_EXIT_INPUT, "%s: malformed pax header at byte offset %llu", name, (unsigned long long)at);
        const char *kv = d + j + 1, *end = d + i + len - 1;
        const char *eq = memchr(kv, '=', (size_t)(end - kv));
        if (!eq) return brig_fail(BRIG_EXIT_INPUT, "%s: pax record without '=' at byte offset %llu", name, (unsigned long long)at);
        size_t kl = (size_t)(eq - kv), vl = (size_t)(end - eq - 1);
        if (kl == 4 && !memcmp(kv, "path", 4)) { free(*path); *path = xstrndup(eq + 1, vl); }
        else if (kl == 8 && !memcmp(kv, "linkpath", 8)) { free(*linkpath); *linkpath = xstrndup(eq + 1, vl); }
        else if (kl == 4 && !memcmp(kv, "size", 4)) {
            char *tmp = xstrndup(eq + 1, vl), *e;
            unsigned long long v = strtoull(tmp, &e, 10);
            bool bad = (*e != 0 || !*tmp);
            free(tmp);
            if (bad) return brig_fail(BRIG_EXIT_INPUT, "%s: bad pax size at byte offset %llu", name, (unsigned long long)at);
            *size = v; *has_size = true;
        }
        i += len;
    }
    return 0;
}

void tar_index_free(tar_index *ix) {
    for (size_t i = 0; i < ix->map.n; i++) free(((tar_member *)strmap_val(&ix->map, i))->link);
    strmap_free(&ix->map);
}

int tar_index_build(tar_index *ix, const char *name, tar_pread_fn rd, void *ctx, uint64_t size,
                    const brig_limits *lim) {
    strmap_init(&ix->map, sizeof(tar_member));
    unsigned char h[TAR_BLOCK];
    uint64_t off = 0, count = 0;
    char *longname = NULL, *longlink = NULL, *pax_path = NULL, *pax_link = NULL;
    uint64_t pax_size = 0; bool pax_has_size = false;
    int rc = 0;
    for (;;) {
        if (off == size) break;            /* tolerate missing end-of-archive blocks */
        if (size - off < TAR_BLOCK) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: truncated tar header at byte offset %llu", name, (unsigned long long)off); break; }
        if (rd(ctx, h, TAR_BLOCK, off) != TAR_BLOCK) { rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: read failed at byte offset %llu", name, (unsigned long long)off); break; }
        bool zero = true;
        for (int i = 0; i < TAR_BLOCK && zero; i++) zero = h[i] == 0;
        if (zero) break;
        if (!checksum_ok(h)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: not a tar archive or corrupt header (bad checksum) at byte offset %llu", name, (unsigned long long)off); break; }
        uint64_t msize;
        if (parse_octal(h + 124, 12, &msize)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: bad member size at byte offset %llu", name, (unsigned long long)off); break; }
        char type = (char)h[156];
        if (pax_has_size && type != 'x' && type != 'g') msize = pax_size;
        uint64_t data = off + TAR_BLOCK;
        if (msize > size - data) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: member at byte offset %llu claims %llu bytes past the end of the file (truncated archive)", name, (unsigned long long)off, (unsigned long long)msize); break; }
        uint64_t next = data + ((msize + TAR_BLOCK - 1) / TAR_BLOCK) * TAR_BLOCK;
        if (next > size) next = size;
        if (++count > lim->max_entries) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %llu members (--max-entries)", name, (unsigned long long)lim->max_entries); break; }
        if (type == 'L' || type == 'K' || type == 'x') {
            if (msize > TAR_MAX_META) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: %llu-byte metadata record at byte offset %llu exceeds the %u-byte limit", name, (unsigned long long)msize, (unsigned long long)off, TAR_MAX_META); break; }
            char *d = xmalloc(msize + 1);
            if (rd(ctx, d, msize, data) != (ssize_t)msize) { free(d); rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: read failed at byte offset %llu", name, (unsigned long long)data); break; }
            d[msize] = 0;
            if (type == 'L') { free(longname); longname = xstrndup(d, strnlen(d, msize)); }
            else if (type == 'K') { free(longlink); longlink = xstrndup(d, strnlen(d, msize)); }
            else rc = parse_pax(name, off, d, msize, &pax_path, &pax_link, &pax_size, &pax_has_size);
            free(d);
            if (rc) break;
            off = next;
            continue;
        }
        if (type == 'g') { off = next; continue; }
        char *mname;
        if (pax_path) { mname = pax_path; pax_path = NULL; }
        else if (longname) { mname = longname; longname = NULL; }
        else {
            char *n = field(h, 100);
            char *pre = memcmp(h + 257, "ustar", 5) == 0 ? field(h + 345, 155) : xstrdup("");
            mname = *pre ? xasprintf("%s/%s", pre, n) : xstrdup(n);
            free(n); free(pre);
        }
        char *link;
        if (pax_link) { link = pax_link; pax_link = NULL; }
        else if (longlink) { link = longlink; longlink = NULL; }
        else link = field(h + 157, 100);
        /* metadata records apply to the next member only */
        free(longname); longname = NULL; free(longlink); longlink = NULL;
        free(pax_path); pax_path = NULL; free(pax_link); pax_link = NULL;
        pax_has_size = false;
        char *norm;
        rc = brig_path_normalize(mname, lim, &norm);
        if (rc) {
            rc = brig_fail_context(rc, "%s: member '%.200s' at byte offset %llu", name, mname, (unsigned long long)off);
            free(mname); free(link);
            break;
        }
        free(mname);
        tar_member *m = strmap_put(&ix->map, norm, NULL);
        free(m->link);
        m->off = data; m->size = msize;
        m->type = type == 0 ? '0' : (type == '7' ? '0' : type);
        m->link = (type == '1' || type == '2') ? link : NULL;
        if (m->link != link) free(link);
        free(norm);
        off = next;
    }
    free(longname); free(longlink); free(pax_path); free(pax_link);
    if (rc) tar_index_free(ix);
    return rc;
}

const tar_member *tar_index_find(const tar_index *ix, const char *name) {
    char *cur = xstrdup(name);
    for (int hops = 0; hops < 16; hops++) {
        const tar_member *m = strmap_get(&ix->map, cur);
        if (!m) break;
        if (m->type != '1' && m->type != '2') { free(cur); return m; }
        char *target;
        if (m->type == '2' && m->link[0] != '/') {
            /* symlink targets are relative to the member's directory */
            char *slash = strrchr(cur, '/');
            target = slash ? xasprintf("%.*s/%s", (int)(slash - cur), cur, m->link) : xstrdup(m->link);
        } else target = xstrdup(m->link);
        char *norm;
        int rc = brig_path_normalize(target, NULL, &norm);
        free(target);
        if (rc) break;
        free(cur);
        cur = norm;
    }
    free(cur);
    return NULL;
}
