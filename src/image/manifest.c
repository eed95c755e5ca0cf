/* OCI index / manifest and docker-archive manifest.json: pure JSON -> fields,
 * no I/O, so these are fuzzed directly.  Errors name the document and the
 * JSON pointer of the bad member. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define MAX_LAYERS 4096
#define REF_NAME "org.opencontainers.image.ref.name"

bool is_media_index(const char *mt) {
    return mt && (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
                  !strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"));
}
bool is_media_manifest(const char *mt) {
    return mt && (!strcmp(mt, "application/vnd.oci.image.manifest.v1+json") ||
                  !strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json"));
}

int oci_descriptor(const char *name, const char *where, const json_t *d,
                   const char **media_type, const char **digest, uint64_t *size) {
    if (!json_is_object(d)) return brig_fail(BRIG_EXIT_INPUT, "%s: %s: expected a descriptor object", name, where);
    json_t *mt = json_object_get(d, "mediaType");
    if (mt && !json_is_string(mt)) return brig_fail(BRIG_EXIT_INPUT, "%s: %s/mediaType: expected a string", name, where);
    const char *dg = brig_json_str(d, "digest");
    if (!dg) return brig_fail(BRIG_EXIT_INPUT, "%s: %s/digest: missing", name, where);
    if (!brig_digest_valid(dg, NULL)) {
        if (!strncmp(dg, "sha512:", 7) || !strncmp(dg, "sha384:", 7))
            return brig_fail(BRIG_EXIT_NOTIMPL, "%s: %s/digest: %.7s digests are not supported by this build (only sha256)", name, where, dg);
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s/digest: '%.100s' is not a valid sha256 digest", name, where, dg);
    }
    json_t *sz = json_object_get(d, "size");
    if (!json_is_integer(sz) || json_integer_value(sz) < 0)
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s/size: missing or not a non-negative integer", name, where);
    if (media_type) *media_type = mt ? json_string_value(mt) : NULL;
    if (digest) *digest = dg;
    if (size) *size = (uint64_t)json_integer_value(sz);
    return 0;
}

static const json_t *manifests_of(const char *name, const json_t *index, int *rc) {
    *rc = 0;
    if (!json_is_object(index)) { *rc = brig_fail(BRIG_EXIT_INPUT, "%s: expected a JSON object (OCI image index)", name); return NULL; }
    json_t *sv = json_object_get(index, "schemaVersion");
    if (sv && (!json_is_integer(sv) || json_integer_value(sv) != 2)) { *rc = brig_fail(BRIG_EXIT_INPUT, "%s: /schemaVersion: expected 2", name); return NULL; }
    const json_t *m = json_object_get(index, "manifests");
    if (!json_is_array(m)) { *rc = brig_fail(BRIG_EXIT_INPUT, "%s: /manifests: missing or not an array", name); return NULL; }
    if (json_array_size(m) == 0) { *rc = brig_fail(BRIG_EXIT_INPUT, "%s: /manifests: empty, the layout holds no image", name); return NULL; }
    return m;
}

static const char *ref_name(const json_t *desc) {
    return brig_json_str(json_object_get(desc, "annotations"), REF_NAME);
}

static bool is_artifact_tag(const char *rn) {
    if (!rn || strncmp(rn, "sha256-", 7) != 0) return false;
    const char *dot = strrchr(rn, '.');
    return dot && (!strcmp(dot, ".sig") || !strcmp(dot, ".att") || !strcmp(dot, ".sbom"));
}

static const char *host_arch(void) {
#if defined(__x86_64__)
    return "amd64";
#elif defined(__aarch64__)
    return "arm64";
#else
    return "unknown";
#endif
}

int oci_index_select_platform(const char *name, const json_t *index, size_t *which) {
    int rc;
    const json_t *m = manifests_of(name, index, &rc);
    if (!m) return rc;
    strbuf avail = STRBUF_INIT;
    for (size_t i = 0; i < json_array_size(m); i++) {
        const json_t *p = json_object_get(json_array_get(m, i), "platform");
        const char *os = brig_json_str(p, "os"), *arch = brig_json_str(p, "architecture");
        if (os && arch && !strcmp(os, "linux") && !strcmp(arch, host_arch())) { sb_free(&avail); *which = i; return 0; }
        if (os && arch) sb_addf(&avail, "%s%s/%s", avail.len ? ", " : "", os, arch);
    }
    rc = brig_fail(BRIG_EXIT_INPUT, "%s: no linux/%s image in this multi-platform index (available: %s)",
                   name, host_arch(), avail.len ? avail.buf : "none");
    sb_free(&avail);
    return rc;
}

int oci_index_select(const char *name, const json_t *index, const char *tag, size_t *which) {
    int rc;
    const json_t *m = manifests_of(name, index, &rc);
    if (!m) return rc;
    size_t n = json_array_size(m);
    strbuf avail = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const json_t *d = json_array_get(m, i);
        char where[64];
        snprintf(where, sizeof where, "/manifests/%zu", i);
        if ((rc = oci_descriptor(name, where, d, NULL, NULL, NULL))) { sb_free(&avail); return rc; }
        const char *rn = ref_name(d);
        const char *cn = brig_json_str(json_object_get(d, "annotations"), "io.containerd.image.name");
        if (tag && ((rn && !strcmp(rn, tag)) || (cn && !strcmp(cn, tag)))) { sb_free(&avail); *which = i; return 0; }
        if (rn) sb_addf(&avail, "%s%s", avail.len ? ", " : "", rn);
    }
    if (tag) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: no image tagged '%s' (available: %s)", name, tag, avail.len ? avail.buf : "no tags");
        sb_free(&avail);
        return rc;
    }
    sb_free(&avail);
    if (n == 1) { *which = 0; return 0; }
    /* Signatures/attestations stored next to the image (cosign's
     * "sha256-<hex>.sig" tags) are not candidates for an untagged reference. */
    size_t cand = 0, last = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_artifact_tag(ref_name(json_array_get(m, i)))) { cand++; last = i; }
    if (cand == 1) { *which = last; return 0; }
    /* Untagged multi-entry index: a plain multi-platform list, or several tags. */
    bool platforms = true;
    for (size_t i = 0; i < n; i++) if (ref_name(json_array_get(m, i))) platforms = false;
    if (platforms) return oci_index_select_platform(name, index, which);
    for (size_t i = 0; i < n; i++) {
        const char *rn = ref_name(json_array_get(m, i));
        if (rn && !strcmp(rn, "latest")) { *which = i; return 0; }
    }
    for (size_t i = 0; i < n; i++) {
        const char *rn = ref_name(json_array_get(m, i));
        sb_addf(&avail, "%s%s", avail.len ? ", " : "", rn ? rn : "(untagged)");
    }
    rc = brig_fail(BRIG_EXIT_USAGE, "%s: the layout holds %zu images; choose one with :TAG (available: %s)", name, n, avail.buf);
    sb_free(&avail);
    return rc;
}

static int layer_media_ok(const char *name, const char *where, const char *mt) {
    if (!mt) return 0;
    if (strstr(mt, "+encrypted"))
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: %s: encrypted layers (%s) are not supported by this build", name, where, mt);
    static const char *ok[] = {
        "application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
        "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.diff.tar",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) if (!strcmp(mt, ok[i])) return 0;
    return brig_fail(BRIG_EXIT_INPUT, "%s: %s/mediaType: '%.200s' is not a filesystem layer type", name, where, mt);
}

int oci_manifest_layers(const char *name, const json_t *manifest, brig_image *img,
                        const char **config_digest, uint64_t *config_size) {
    if (!json_is_object(manifest)) return brig_fail(BRIG_EXIT_INPUT, "%s: expected a JSON object (OCI image manifest)", name);
    json_t *sv = json_object_get(manifest, "schemaVersion");
    if (!json_is_integer(sv) || json_integer_value(sv) != 2) return brig_fail(BRIG_EXIT_INPUT, "%s: /schemaVersion: expected 2", name);
    const char *mt = brig_json_str(manifest, "mediaType");
    if (mt && !is_media_manifest(mt)) return brig_fail(BRIG_EXIT_INPUT, "%s: /mediaType: '%.200s' is not an image manifest", name, mt);
    int rc = oci_descriptor(name, "/config", json_object_get(manifest, "config"), NULL, config_digest, config_size);
    if (rc) return rc;
    const json_t *layers = json_object_get(manifest, "layers");
    if (!json_is_array(layers)) return brig_fail(BRIG_EXIT_INPUT, "%s: /layers: missing or not an array", name);
    size_t n = json_array_size(layers);
    if (n > MAX_LAYERS) return brig_fail(BRIG_EXIT_UNSAFE, "%s: /layers: %zu layers exceed the limit of %d", name, n, MAX_LAYERS);
    img->layers = xcalloc(n ? n : 1, sizeof *img->layers);
    for (size_t i = 0; i < n; i++) {
        char where[64];
        snprintf(where, sizeof where, "/layers/%zu", i);
        const char *lmt, *dg; uint64_t sz;
        if ((rc = oci_descriptor(name, where, json_array_get(layers, i), &lmt, &dg, &sz))) return rc;
        if ((rc = layer_media_ok(name, where, lmt))) return rc;
        brig_layer *l = &img->layers[img->n_layers++];
        l->digest = xstrdup(dg);
        l->media_type = lmt ? xstrdup(lmt) : NULL;
        l->size = sz;
    }
    return 0;
}

/* "busybox" -> "busybox:latest"; drop registry prefixes docker adds. */
static char *norm_repotag(const char *s) {
    static const char *pre[] = { "docker.io/library/", "docker.io/", "localhost/" };
    for (size_t i = 0; i < 3; i++) if (!strncmp(s, pre[i], strlen(pre[i]))) { s += strlen(pre[i]); break; }
    const char *slash = strrchr(s, '/');
    const char *colon = strrchr(slash ? slash : s, ':');
    return (colon || strchr(s, '@')) ? xstrdup(s) : xasprintf("%s:latest", s);
}

int docker_manifest_select(const char *name, const json_t *mf, const char *ref,
                           const char **config, const json_t **layers, const char **tag) {
    if (!json_is_array(mf)) return brig_fail(BRIG_EXIT_INPUT, "%s: expected a JSON array (docker-archive manifest)", name);
    size_t n = json_array_size(mf), pick = (size_t)-1;
    if (n == 0) return brig_fail(BRIG_EXIT_INPUT, "%s: empty, the archive holds no image", name);
    *tag = NULL;
    if (ref && ref[0] == '@') {
        char *e; unsigned long k = strtoul(ref + 1, &e, 10);
        if (*e || !ref[1] || k >= n) return brig_fail(BRIG_EXIT_INPUT, "%s: no image %s (the archive holds %zu)", name, ref, n);
        pick = k;
    } else if (ref) {
        char *want = norm_repotag(ref);
        for (size_t i = 0; i < n && pick == (size_t)-1; i++) {
            const json_t *tags = json_object_get(json_array_get(mf, i), "RepoTags");
            for (size_t k = 0; k < json_array_size(tags); k++) {
                const char *t = json_string_value(json_array_get(tags, k));
                if (!t) continue;
                char *nt = norm_repotag(t);
                bool eq = !strcmp(nt, want);
                free(nt);
                if (eq) { pick = i; *tag = t; break; }
            }
        }
        free(want);
        if (pick == (size_t)-1) {
            strbuf avail = STRBUF_INIT;
            for (size_t i = 0; i < n; i++) {
                const json_t *tags = json_object_get(json_array_get(mf, i), "RepoTags");
                for (size_t k = 0; k < json_array_size(tags); k++)
                    if (json_is_string(json_array_get(tags, k)))
                        sb_addf(&avail, "%s%s", avail.len ? ", " : "", json_string_value(json_array_get(tags, k)));
            }
            int rc = brig_fail(BRIG_EXIT_INPUT, "%s: no image tagged '%s' (available: %s; or use @N)", name, ref, avail.len ? avail.buf : "none");
            sb_free(&avail);
            return rc;
        }
    } else if (n == 1) pick = 0;
    else return brig_fail(BRIG_EXIT_USAGE, "%s: the archive holds %zu images; choose one with :REPO:TAG or :@N", name, n);
    const json_t *e = json_array_get(mf, pick);
    if (!json_is_object(e)) return brig_fail(BRIG_EXIT_INPUT, "%s: /%zu: expected an object", name, pick);
    *config = brig_json_str(e, "Config");
    if (!*config || !**config) return brig_fail(BRIG_EXIT_INPUT, "%s: /%zu/Config: missing", name, pick);
    *layers = json_object_get(e, "Layers");
    if (!json_is_array(*layers)) return brig_fail(BRIG_EXIT_INPUT, "%s: /%zu/Layers: missing or not an array", name, pick);
    if (json_array_size(*layers) > MAX_LAYERS) return brig_fail(BRIG_EXIT_UNSAFE, "%s: /%zu/Layers: too many layers", name, pick);
    for (size_t i = 0; i < json_array_size(*layers); i++)
        if (!json_is_string(json_array_get(*layers, i)))
            return brig_fail(BRIG_EXIT_INPUT, "%s: /%zu/Layers/%zu: expected a string", name, pick, i);
    if (!*tag) {
        const json_t *tags = json_object_get(e, "RepoTags");
        if (json_is_string(json_array_get(tags, 0))) *tag = json_string_value(json_array_get(tags, 0));
    }
    return 0;
}

static void free_fields(brig_image *img) {
    /* brig_image_close handles everything; reuse it on a stack copy */
    brig_image *h = xcalloc(1, sizeof *h);
    *h = *img;
    brig_image_close(h);
    memset(img, 0, sizeof *img);
}

int brig_image_parse_doc(brig_doc_kind k, const char *name, const char *buf, size_t len) {
    json_t *j;
    int rc = brig_json_parse(name, buf, len, &j);
    if (rc) return rc;
    brig_image img = {0};
    size_t which; const char *cd, *cfg, *tag; uint64_t cs; const json_t *layers;
    switch (k) {
    case DOC_INDEX:
        rc = oci_index_select(name, j, NULL, &which);
        if (rc == 0 || rc == BRIG_EXIT_USAGE) rc = oci_index_select(name, j, "latest", &which);
        break;
    case DOC_MANIFEST: rc = oci_manifest_layers(name, j, &img, &cd, &cs); break;
    case DOC_CONFIG:
        img.config = j; j = NULL;
        rc = image_config_apply(name, img.config, &img);
        break;
    case DOC_DOCKER_MANIFEST: rc = docker_manifest_select(name, j, NULL, &cfg, &layers, &tag); break;
    }
    free_fields(&img);
    json_decref(j);
    return rc;
}
