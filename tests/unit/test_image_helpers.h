/* Builders for small OCI layouts and docker-archives in a temp dir, used by
 * the image unit tests: layers are written with libarchive (none/gzip/zstd),
 * digests computed, index.json/manifest/config written like real tools do. */
#ifndef TEST_IMAGE_HELPERS_H
#define TEST_IMAGE_HELPERS_H
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { TL_NONE = 0, TL_GZIP, TL_ZSTD };

typedef struct { char *buf; size_t len, cap; struct archive *a; } tl_layer;

static inline la_ssize_t tl_write_cb(struct archive *a, void *ctx, const void *data, size_t n) {
    (void)a;
    tl_layer *l = ctx;
    if (l->len + n > l->cap) { l->cap = (l->len + n) * 2; l->buf = xrealloc(l->buf, l->cap); }
    memcpy(l->buf + l->len, data, n);
    l->len += n;
    return (la_ssize_t)n;
}

static inline void tl_begin(tl_layer *l) {
    memset(l, 0, sizeof *l);
    l->a = archive_write_new();
    archive_write_set_format_pax_restricted(l->a);
    archive_write_set_bytes_in_last_block(l->a, 1);
    archive_write_open(l->a, l, NULL, tl_write_cb, NULL);
}

/* type: 'f' file, 'd' dir, 'l' symlink, 'h' hardlink, 'c' char device, 'p' fifo.
 * For 'f' data is the content (size bytes; NULL = zeros). */
static inline void tl_add_sized(tl_layer *l, const char *path, char type, const char *data, size_t size, unsigned mode) {
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, path);
    archive_entry_set_perm(e, mode);
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_entry_set_uid(e, 0); archive_entry_set_gid(e, 0);
    switch (type) {
    case 'f': archive_entry_set_filetype(e, AE_IFREG); archive_entry_set_size(e, (la_int64_t)size); break;
    case 'd': archive_entry_set_filetype(e, AE_IFDIR); break;
    case 'l': archive_entry_set_filetype(e, AE_IFLNK); archive_entry_set_symlink(e, data); break;
    case 'h': archive_entry_set_filetype(e, AE_IFREG); archive_entry_set_hardlink(e, data); archive_entry_set_size(e, 0); break;
    case 'c': archive_entry_set_filetype(e, AE_IFCHR); archive_entry_set_rdevmajor(e, 1); archive_entry_set_rdevminor(e, 3); break;
    case 'p': archive_entry_set_filetype(e, AE_IFIFO); break;
    }
    archive_write_header(l->a, e);
    if (type == 'f') {
        if (data) archive_write_data(l->a, data, size);
        else {
            static char zeros[65536];
            for (size_t left = size; left;) { size_t k = left < sizeof zeros ? left : sizeof zeros; archive_write_data(l->a, zeros, k); left -= k; }
        }
    }
    archive_entry_free(e);
}
static inline void tl_add(tl_layer *l, const char *path, char type, const char *data, unsigned mode) {
    tl_add_sized(l, path, type, data, type == 'f' && data ? strlen(data) : 0, mode);
}
/* A regular file carrying a security.capability xattr (pax SCHILY.xattr). */
static inline void tl_add_fcaps(tl_layer *l, const char *path, const char *data, const void *caps, size_t caps_len) {
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, path);
    archive_entry_set_perm(e, 0755);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_size(e, (la_int64_t)strlen(data));
    archive_entry_xattr_add_entry(e, "security.capability", caps, caps_len);
    archive_write_header(l->a, e);
    archive_write_data(l->a, data, strlen(data));
    archive_entry_free(e);
}
static inline void tl_end(tl_layer *l) {
    archive_write_close(l->a);
    archive_write_free(l->a);
    l->a = NULL;
}

/* Compress buf with libarchive's raw writer. */
static inline void tl_compress(const char *in, size_t n, int comp, char **out, size_t *outlen) {
    tl_layer o = {0};
    if (comp == TL_NONE) { *out = xmalloc(n + 1); memcpy(*out, in, n); *outlen = n; return; }
    struct archive *a = archive_write_new();
    archive_write_set_format_raw(a);
    if (comp == TL_GZIP) archive_write_add_filter_gzip(a); else archive_write_add_filter_zstd(a);
    archive_write_set_bytes_per_block(a, 0);
    archive_write_open(a, &o, NULL, tl_write_cb, NULL);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "data");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_write_header(a, e);
    archive_write_data(a, in, n);
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    *out = o.buf; *outlen = o.len;
}

static inline void tl_write(const char *path, const void *d, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); abort(); }
    fwrite(d, 1, n, f);
    fclose(f);
}

typedef struct {
    char *dir;
    json_t *layers, *diff_ids, *history;
    char **tars; size_t *tar_lens; size_t n;
    char *config_hex;
} tl_image;

static inline char *tl_write_blob(tl_image *im, const void *d, size_t n) {
    char hex[65];
    brig_sha256_hex(d, n, hex);
    char *p = xasprintf("%s/blobs/sha256/%s", im->dir, hex);
    tl_write(p, d, n);
    free(p);
    return xstrdup(hex);
}

static inline void tl_image_init(tl_image *im, const char *dir) {
    memset(im, 0, sizeof *im);
    im->dir = xstrdup(dir);
    char *b = xasprintf("%s/blobs/sha256", dir);
    brig_mkdir_p(b, 0755);
    free(b);
    im->layers = json_array(); im->diff_ids = json_array(); im->history = json_array();
}

static inline void tl_image_add_layer(tl_image *im, tl_layer *l, int comp, const char *created_by) {
    char *z; size_t zn;
    tl_compress(l->buf, l->len, comp, &z, &zn);
    char *hex = tl_write_blob(im, z, zn);
    char dhex[65];
    brig_sha256_hex(l->buf, l->len, dhex);
    static const char *mt[] = { "application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
                                "application/vnd.oci.image.layer.v1.tar+zstd" };
    json_array_append_new(im->layers, json_pack("{s:s, s:s+, s:I}", "mediaType", mt[comp], "digest", "sha256:", hex, "size", (json_int_t)zn));
    json_array_append_new(im->diff_ids, json_pack("s+", "sha256:", dhex));
    json_array_append_new(im->history, json_pack("{s:s, s:s}", "created", "2023-11-14T22:13:20Z", "created_by", created_by));
    im->tars = xrealloc(im->tars, (im->n + 1) * sizeof *im->tars);
    im->tar_lens = xrealloc(im->tar_lens, (im->n + 1) * sizeof *im->tar_lens);
    im->tars[im->n] = xmalloc(l->len + 1); memcpy(im->tars[im->n], l->buf, l->len); im->tar_lens[im->n++] = l->len;
    free(z); free(hex);
    free(l->buf); l->buf = NULL;
}

/* Writes config, manifest, index.json (tag annotation) and oci-layout.
 * Returns the manifest digest hex (caller frees). */
static inline char *tl_image_finish(tl_image *im, const char *tag) {
    json_array_append_new(im->history, json_pack("{s:s, s:s, s:b}", "created", "2023-11-14T22:13:20Z", "created_by", "CMD [\"sh\"]", "empty_layer", 1));
    json_t *cfg = json_pack("{s:s, s:s, s:s, s:{s:s, s:[s], s:[s], s:[s], s:s, s:{s:{}}, s:{s:s}}, s:{s:s, s:O}, s:O}",
        "created", "2023-11-14T22:13:20Z", "os", "linux", "architecture", "amd64",
        "config", "User", "app", "Env", "PATH=/bin", "Entrypoint", "/bin/sh", "Cmd", "-c", "WorkingDir", "/w",
                  "ExposedPorts", "80/tcp", "Labels", "k", "v",
        "rootfs", "type", "layers", "diff_ids", im->diff_ids,
        "history", im->history);
    char *cs = json_dumps(cfg, JSON_COMPACT);
    im->config_hex = tl_write_blob(im, cs, strlen(cs));
    json_t *man = json_pack("{s:i, s:s, s:{s:s, s:s+, s:I}, s:O}", "schemaVersion", 2,
        "mediaType", "application/vnd.oci.image.manifest.v1+json",
        "config", "mediaType", "application/vnd.oci.image.config.v1+json", "digest", "sha256:", im->config_hex, "size", (json_int_t)strlen(cs),
        "layers", im->layers);
    char *ms = json_dumps(man, JSON_COMPACT);
    char *mhex = tl_write_blob(im, ms, strlen(ms));
    json_t *idx = json_pack("{s:i, s:[{s:s, s:s+, s:I, s:{s:s}}]}", "schemaVersion", 2, "manifests",
        "mediaType", "application/vnd.oci.image.manifest.v1+json", "digest", "sha256:", mhex, "size", (json_int_t)strlen(ms),
        "annotations", "org.opencontainers.image.ref.name", tag ? tag : "latest");
    char *is = json_dumps(idx, JSON_COMPACT);
    char *p = xasprintf("%s/index.json", im->dir); tl_write(p, is, strlen(is)); free(p);
    p = xasprintf("%s/oci-layout", im->dir); tl_write(p, "{\"imageLayoutVersion\":\"1.0.0\"}", 30); free(p);
    free(cs); free(ms); free(is);
    json_decref(cfg); json_decref(man); json_decref(idx);
    return mhex;
}

/* A docker-archive (`docker save` layout) of the image: <n>/layer.tar,
 * <confighex>.json, manifest.json; optionally gzip-compressed as a whole. */
static inline void tl_docker_archive(tl_image *im, const char *out, int comp) {
    tl_layer t;
    tl_begin(&t);
    json_t *layers = json_array();
    for (size_t i = 0; i < im->n; i++) {
        char *name = xasprintf("%zu/layer.tar", i);
        tl_add_sized(&t, name, 'f', im->tars[i], im->tar_lens[i], 0644);
        json_array_append_new(layers, json_string(name));
        free(name);
    }
    char *cp = xasprintf("%s/blobs/sha256/%s", im->dir, im->config_hex), *cfg; size_t cl;
    brig_read_file(cp, 1 << 20, &cfg, &cl);
    char *cname = xasprintf("%s.json", im->config_hex);
    tl_add_sized(&t, cname, 'f', cfg, cl, 0644);
    json_t *mf = json_pack("[{s:s, s:[s], s:o}]", "Config", cname, "RepoTags", "test/img:v1", "Layers", layers);
    char *ms = json_dumps(mf, JSON_COMPACT);
    tl_add(&t, "manifest.json", 'f', ms, 0644);
    tl_end(&t);
    char *z; size_t zn;
    tl_compress(t.buf, t.len, comp, &z, &zn);
    tl_write(out, z, zn);
    free(z); free(t.buf); free(cp); free(cfg); free(cname); free(ms); json_decref(mf);
}

static inline void tl_image_free(tl_image *im) {
    for (size_t i = 0; i < im->n; i++) free(im->tars[i]);
    free(im->tars); free(im->tar_lens); free(im->dir); free(im->config_hex);
    json_decref(im->layers); json_decref(im->diff_ids); json_decref(im->history);
}

static inline char *tl_tmpdir(void) {
    char tmpl[] = "/tmp/brig-image-test.XXXXXX";
    char *d = mkdtemp(tmpl);
    return xstrdup(d);
}
#endif
