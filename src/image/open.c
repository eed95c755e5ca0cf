/* brig_image_open: resolve the reference, pick the manifest, verify the
 * manifest and config digests, and locate every layer blob. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INDEX_DEPTH 4

/* Name of a member for messages: "DIR/x" or "FILE:x". */
static char *member_name(brig_image *img, const char *rel) {
    return xasprintf(img->impl->src.is_tar ? "%s:%s" : "%s/%s", img->path, rel);
}

static int check_digest(const char *name, const char *buf, size_t len, const char *digest, uint64_t size) {
    char hex[65];
    brig_sha256_hex(buf, len, hex);
    const char *want;
    brig_digest_valid(digest, &want);
    if (strcmp(hex, want) != 0)
        return brig_fail(BRIG_EXIT_INTEGRITY, "%s: content hashes to sha256:%s, not %s — image is corrupted or tampered with; refusing it", name, hex, digest);
    if (size != (uint64_t)-1 && size != len)
        return brig_fail(BRIG_EXIT_INTEGRITY, "%s: %zu bytes but its descriptor says %llu — image is corrupted or tampered with; refusing it", name, len, (unsigned long long)size);
    return 0;
}

/* Read a blob by digest, verify it and parse it as JSON. */
static int read_json_blob(brig_image *img, const char *digest, uint64_t size, char **raw, size_t *rawlen, json_t **out) {
    char *rel = blob_path_for_digest(digest), *buf = NULL; size_t len;
    char *name = member_name(img, rel);
    int rc = blobsrc_read(&img->impl->src, rel, img->impl->lim.max_json_bytes, &buf, &len);
    if (!rc) rc = check_digest(name, buf, len, digest, size);
    if (!rc) rc = brig_json_parse(name, buf, len, out);
    if (!rc && raw) { *raw = buf; *rawlen = len; buf = NULL; }
    free(buf);
    free(rel); free(name);
    return rc;
}

static int open_layer_blobs(brig_image *img) {
    brig_image_impl *im = img->impl;
    im->layer_blobs = xcalloc(img->n_layers + 1, sizeof *im->layer_blobs);
    for (size_t i = 0; i < img->n_layers; i++) im->layer_blobs[i].fd = -1;
    for (size_t i = 0; i < img->n_layers; i++) {
        char *rel = blob_path_for_digest(img->layers[i].digest);
        int rc = blobsrc_find(&im->src, rel, &im->layer_blobs[i]);
        free(rel);
        if (rc) return brig_fail_context(rc, "layer %zu (%s)", i, img->layers[i].digest);
        if (im->layer_blobs[i].size != img->layers[i].size)
            return brig_fail(BRIG_EXIT_INTEGRITY, "blob %s (layer %zu of %s): %llu bytes but the manifest says %llu — image is corrupted or tampered with; refusing it",
                             img->layers[i].digest, i, img->ref, (unsigned long long)im->layer_blobs[i].size, (unsigned long long)img->layers[i].size);
    }
    return 0;
}

static int open_oci(brig_image *img) {
    brig_image_impl *im = img->impl;
    char *name = member_name(img, "index.json"), *buf; size_t len;
    if (!blobsrc_exists(&im->src, "index.json")) {
        int rc = brig_fail(BRIG_EXIT_INPUT, "%s: missing — not an OCI image layout", name);
        free(name); return rc;
    }
    int rc = blobsrc_read(&im->src, "index.json", im->lim.max_json_bytes, &buf, &len);
    json_t *doc = NULL;
    if (!rc) { rc = brig_json_parse(name, buf, len, &doc); free(buf); }
    if (rc) { free(name); return rc; }
    size_t which;
    rc = oci_index_select(name, doc, img->tag, &which);
    const char *mt = NULL, *dg = NULL; uint64_t sz = 0;
    for (int depth = 0; !rc; depth++) {
        json_t *d = json_array_get(json_object_get(doc, "manifests"), which);
        char wbuf[64]; snprintf(wbuf, sizeof wbuf, "/manifests/%zu", which);
        if ((rc = oci_descriptor(name, wbuf, d, &mt, &dg, &sz))) break;
        char *raw; size_t rawlen; json_t *next;
        char *dgc = xstrdup(dg), *mtc = mt ? xstrdup(mt) : NULL;
        rc = read_json_blob(img, dgc, sz, &raw, &rawlen, &next);
        if (rc) { free(dgc); free(mtc); break; }
        const char *docmt = brig_json_str(next, "mediaType");
        bool is_index = is_media_index(mtc) || is_media_index(docmt) || (!docmt && json_is_array(json_object_get(next, "manifests")));
        json_decref(doc);
        doc = next;
        free(name);
        name = member_name(img, "blobs/sha256/");
        { char *t = xasprintf("%s%s", name, dgc + 7); free(name); name = t; }
        if (!is_index) {
            img->manifest = doc; doc = NULL;
            img->manifest_raw = raw; img->manifest_len = rawlen;
            img->manifest_digest = dgc;
            free(mtc);
            break;
        }
        free(raw); free(dgc); free(mtc);
        if (depth + 1 >= MAX_INDEX_DEPTH) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: image indexes nested more than %d deep", name, MAX_INDEX_DEPTH); break; }
        rc = oci_index_select_platform(name, doc, &which);
    }
    json_decref(doc);
    if (rc) { free(name); return rc; }
    const char *cdg; uint64_t csz;
    rc = oci_manifest_layers(name, img->manifest, img, &cdg, &csz);
    free(name);
    if (rc) return rc;
    img->config_digest = xstrdup(cdg);
    rc = read_json_blob(img, img->config_digest, csz, NULL, NULL, &img->config);
    if (rc) return rc;
    char *rel = blob_path_for_digest(img->config_digest);
    name = member_name(img, rel);
    free(rel);
    rc = image_config_apply(name, img->config, img);
    free(name);
    if (rc) return rc;
    return open_layer_blobs(img);
}

static bool is_hex64(const char *s, size_t n) {
    if (n != 64) return false;
    for (size_t i = 0; i < n; i++) if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

/* The 64-hex digest a docker-archive member name promises, if any:
 * "<hex>.json", "blobs/sha256/<hex>". */
static const char *name_digest(const char *member) {
    const char *b = strrchr(member, '/');
    b = b ? b + 1 : member;
    size_t n = strlen(b);
    if (n == 69 && !strcmp(b + 64, ".json") && is_hex64(b, 64)) return b;
    if (n == 64 && is_hex64(b, 64) && strstr(member, "sha256/")) return b;
    return NULL;
}

static int hash_blob(const blob_ref *b, char hex[65]) {
    brig_sha256 *h = brig_sha256_new();
    char *buf = xmalloc(1 << 17);
    uint64_t off = 0;
    int rc = 0;
    while (off < b->size) {
        ssize_t r = blob_pread(b, buf, 1 << 17, off);
        if (r <= 0) { rc = brig_fail_errno(BRIG_EXIT_INPUT, "short read while hashing a blob"); break; }
        brig_sha256_update(h, buf, (size_t)r);
        off += (uint64_t)r;
    }
    free(buf);
    if (rc) { brig_sha256_free(h); return rc; }
    brig_sha256_final_hex(h, hex);
    return 0;
}

static int open_docker(brig_image *img) {
    brig_image_impl *im = img->impl;
    char *name = member_name(img, "manifest.json"), *buf; size_t len;
    json_t *mf = NULL;
    int rc = blobsrc_read(&im->src, "manifest.json", im->lim.max_json_bytes, &buf, &len);
    if (!rc) { rc = brig_json_parse(name, buf, len, &mf); free(buf); }
    const char *cfg = NULL, *tag = NULL; const json_t *layers = NULL;
    if (!rc) rc = docker_manifest_select(name, mf, img->tag, &cfg, &layers, &tag);
    free(name);
    if (rc) { json_decref(mf); return rc; }
    if (tag) { free(img->tag); img->tag = xstrdup(tag); }
    char *cfgn;
    if ((rc = brig_path_normalize(cfg, &im->lim, &cfgn))) { json_decref(mf); return brig_fail_context(rc, "%s: manifest.json Config", img->path); }
    name = member_name(img, cfgn);
    rc = blobsrc_read(&im->src, cfgn, im->lim.max_json_bytes, &buf, &len);
    if (!rc) {
        char hex[65];
        brig_sha256_hex(buf, len, hex);
        const char *promised = name_digest(cfgn);
        if (promised && strncmp(promised, hex, 64) != 0)
            rc = brig_fail(BRIG_EXIT_INTEGRITY, "%s: content hashes to sha256:%s but its name promises sha256:%.64s — image is corrupted or tampered with; refusing it", name, hex, promised);
        img->config_digest = xasprintf("sha256:%s", hex);
        if (!rc) rc = brig_json_parse(name, buf, len, &img->config);
        free(buf);
    }
    size_t nl = json_array_size(layers);
    img->layers = xcalloc(nl + 1, sizeof *img->layers);
    im->layer_blobs = xcalloc(nl + 1, sizeof *im->layer_blobs);
    img->n_layers = nl;
    for (size_t i = 0; i < nl; i++) im->layer_blobs[i].fd = -1;
    if (!rc) rc = image_config_apply(name, img->config, img);
    free(name); free(cfgn);
    for (size_t i = 0; i < nl && !rc; i++) {
        char *ln;
        if ((rc = brig_path_normalize(json_string_value(json_array_get(layers, i)), &im->lim, &ln))) { rc = brig_fail_context(rc, "%s: manifest.json Layers/%zu", img->path, i); break; }
        rc = blobsrc_find(&im->src, ln, &im->layer_blobs[i]);
        blob_ref *b = &im->layer_blobs[i];
        brig_layer *l = &img->layers[i];
        if (!rc) {
            unsigned char mg[4] = {0};
            blob_pread(b, mg, 4, 0);
            bool gz = mg[0] == 0x1f && mg[1] == 0x8b, zs = mg[0] == 0x28 && mg[1] == 0xb5 && mg[2] == 0x2f && mg[3] == 0xfd;
            l->media_type = xstrdup(gz ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : zs ? "application/vnd.oci.image.layer.v1.tar+zstd" : "application/vnd.docker.image.rootfs.diff.tar");
            l->size = b->size;
            const char *promised = name_digest(ln);
            if (promised) l->digest = xasprintf("sha256:%.64s", promised);
            else if (!gz && !zs) l->digest = xstrdup(l->diff_id);   /* stored uncompressed: verified as diff_id when read */
            else {
                /* Compressed and unnamed: the stored digest must be computed. */
                char hex[65];
                if (!(rc = hash_blob(b, hex))) l->digest = xasprintf("sha256:%s", hex);
            }
        }
        free(ln);
    }
    json_decref(mf);
    return rc;
}

int brig_image_open(const char *ref, const brig_limits *lim, brig_image **out) {
    *out = NULL;
    brig_ref r;
    int rc = brig_ref_parse(ref, &r);
    if (rc) return rc;
    brig_image *img = xcalloc(1, sizeof *img);
    img->impl = xcalloc(1, sizeof *img->impl);
    brig_image_impl *im = img->impl;
    if (lim) im->lim = *lim;
    brig_limits_fill(&im->lim);
    im->rootfd = -1;
    im->src.fd = im->src.dirfd = -1;
    img->ref = xstrdup(ref);
    img->path = r.path; img->tag = r.tag;
    img->kind = r.kind;
    struct stat st;
    if (stat(img->path, &st) != 0) { rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot access", img->path); goto out; }
    if (!img->kind) {
        if (S_ISDIR(st.st_mode)) {
            char *ix = xasprintf("%s/index.json", img->path);
            img->kind = access(ix, F_OK) == 0 ? BRIG_IMG_OCI_LAYOUT : BRIG_IMG_DIR;
            free(ix);
        } else {
            if ((rc = blobsrc_open_tar(&im->src, img->path, &im->lim))) goto out;
            if (blobsrc_exists(&im->src, "index.json")) img->kind = BRIG_IMG_OCI_ARCHIVE;
            else if (blobsrc_exists(&im->src, "manifest.json")) img->kind = BRIG_IMG_DOCKER_ARCHIVE;
            else { rc = brig_fail(BRIG_EXIT_INPUT, "%s: a tar archive but neither an OCI layout (index.json) nor a docker-archive (manifest.json)", img->path); goto out; }
        }
    }
    bool want_dir = img->kind == BRIG_IMG_OCI_LAYOUT || img->kind == BRIG_IMG_DIR;
    if (want_dir != !!S_ISDIR(st.st_mode)) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: %s for a %s: image reference", img->path, want_dir ? "not a directory" : "is a directory, not an archive", brig_image_kind_name(img->kind));
        goto out;
    }
    switch (img->kind) {
    case BRIG_IMG_OCI_LAYOUT:
        if (!(rc = blobsrc_open_dir(&im->src, img->path))) rc = open_oci(img);
        break;
    case BRIG_IMG_OCI_ARCHIVE:
    case BRIG_IMG_DOCKER_ARCHIVE:
        if (!im->src.is_tar && (rc = blobsrc_open_tar(&im->src, img->path, &im->lim))) break;
        rc = img->kind == BRIG_IMG_OCI_ARCHIVE ? open_oci(img) : open_docker(img);
        break;
    case BRIG_IMG_DIR:
        if (img->tag) { rc = brig_fail(BRIG_EXIT_USAGE, "%s: dir: images have no tags (':%s')", img->path, img->tag); break; }
        im->rootfd = open(img->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (im->rootfd < 0) { rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open directory", img->path); break; }
        img->layers = xcalloc(1, sizeof *img->layers);
        img->n_layers = 1;
        break;
    }
out:
    if (rc) { brig_image_close(img); return rc; }
    *out = img;
    return 0;
}

static void strv_n_free(char **v, size_t n) {
    if (!v) return;
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void brig_image_close(brig_image *img) {
    if (!img) return;
    free(img->ref); free(img->path); free(img->tag);
    free(img->manifest_digest); free(img->config_digest);
    free(img->os); free(img->arch); free(img->variant); free(img->created);
    free(img->user); free(img->workdir); free(img->stop_signal);
    strv_n_free(img->env, img->n_env);
    strv_n_free(img->entrypoint, img->n_entrypoint);
    strv_n_free(img->cmd, img->n_cmd);
    strv_n_free(img->exposed_ports, img->n_exposed_ports);
    strv_n_free(img->volumes, img->n_volumes);
    strv_n_free(img->label_keys, img->n_labels);
    strv_n_free(img->label_values, img->n_labels);
    strv_n_free(img->healthcheck, img->n_healthcheck);
    for (size_t i = 0; i < img->n_layers && img->layers; i++) {
        free(img->layers[i].digest); free(img->layers[i].diff_id);
        free(img->layers[i].media_type); free(img->layers[i].created_by);
    }
    free(img->layers);
    for (size_t i = 0; i < img->n_history; i++) {
        free(img->history[i].created); free(img->history[i].created_by); free(img->history[i].comment);
    }
    free(img->history);
    json_decref(img->config);
    json_decref(img->manifest);
    free(img->manifest_raw);
    brig_image_impl *im = img->impl;
    if (im) {
        if (im->layer_blobs) for (size_t i = 0; i < img->n_layers; i++) blob_ref_close(&im->layer_blobs[i]);
        free(im->layer_blobs);
        if (im->fsview) fsview_free(im->fsview);
        if (im->src.fd >= 0 || im->src.dirfd >= 0 || im->src.is_tar || im->src.name) blobsrc_close(&im->src);
        if (im->rootfd >= 0) close(im->rootfd);
        free(im);
    }
    free(img);
}
