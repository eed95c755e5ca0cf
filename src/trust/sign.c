/* Writing cosign signatures into an OCI layout. */
#include "trust/sigs.h"
#include "trust/b64.h"
#include "trust/layout.h"
#include "trust/payload.h"
#include "util/err.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* The config cosign's signature images carry (go-containerregistry's empty
 * image after appending the layers): field order as Go emits it. */
static char *sig_config(json_t *layers, size_t *len) {
    strbuf sb = STRBUF_INIT;
    size_t n = json_array_size(layers);
    sb_adds(&sb, "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[");
    for (size_t i = 0; i < n; i++) sb_adds(&sb, i ? ",{\"created\":\"0001-01-01T00:00:00Z\"}" : "{\"created\":\"0001-01-01T00:00:00Z\"}");
    sb_adds(&sb, "],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
    for (size_t i = 0; i < n; i++) {
        const char *d = brig_json_str(json_array_get(layers, i), "digest");
        sb_addf(&sb, "%s\"%s\"", i ? "," : "", d ? d : "");
    }
    sb_adds(&sb, "]},\"config\":{}}");
    *len = sb.len;
    return sb_detach(&sb);
}

/* Loads the existing .sig manifest (digest-checked) or NULL if there is none. */
static int load_sig_manifest(const char *dir, json_t *index, const char *tag, json_t **out) {
    *out = NULL;
    json_t *desc = trust_index_find_tag(index, tag);
    if (!desc) return 0;
    const char *dg = brig_json_str(desc, "digest");
    json_t *sz = json_object_get(desc, "size");
    char *buf; size_t len;
    int rc = trust_blob_read(dir, dg ? dg : "", json_is_integer(sz) ? json_integer_value(sz) : -1,
                             TRUST_MANIFEST_MAX_BYTES, "signature manifest", &buf, &len);
    if (rc) return rc;
    rc = brig_json_parse(tag, buf, len, out);
    free(buf);
    if (rc) return rc;
    if (!json_is_array(json_object_get(*out, "layers"))) {
        json_decref(*out); *out = NULL;
        return brig_fail(BRIG_EXIT_INPUT, "%s: existing signature manifest %s has no layers array; remove the tag to re-sign", dir, tag);
    }
    return 0;
}

int trust_sign_layout(const char *dir, const char *image_digest, EVP_PKEY *key,
                      const trust_sign_opts *o, char **sig_digest) {
    size_t plen, slen, clen;
    char *payload = trust_payload_build(o->docker_ref, image_digest, o->ann_keys, o->ann_vals, o->n_ann, &plen);
    unsigned char *sig = NULL;
    char *sig64 = NULL, *tag = trust_sig_tag(image_digest), *cfg = NULL, *mtext = NULL;
    json_t *index = NULL, *man = NULL;
    int lock = -1;
    int rc = trust_sign_bytes(key, payload, plen, &sig, &slen);
    if (rc) goto out;
    sig64 = trust_b64_encode(sig, slen);
    if ((rc = trust_layout_lock(dir, &lock)) || (rc = trust_index_load(dir, &index)) ||
        (rc = load_sig_manifest(dir, index, tag, &man)))
        goto out;
    if (!man) man = json_pack("{s:i, s:s, s:{}, s:[]}", "schemaVersion", 2, "mediaType", TRUST_OCI_MANIFEST_MT,
                              "config", "layers");
    json_t *layers = json_object_get(man, "layers");
    if (json_array_size(layers) >= TRUST_MAX_SIG_LAYERS) {
        rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: %s already holds %d signatures; refusing to add more", dir, tag, TRUST_MAX_SIG_LAYERS);
        goto out;
    }
    char pdig[72];
    if ((rc = trust_blob_write(dir, payload, plen, pdig))) goto out;
    /* ECDSA signatures are randomised, so a re-sign always adds a new layer,
     * as cosign does; identical (payload, signature) pairs are not duplicated. */
    bool dup = false;
    json_t *l; size_t i;
    json_array_foreach(layers, i, l) {
        const char *ld = brig_json_str(l, "digest");
        const char *ls = brig_json_str(json_object_get(l, "annotations"), TRUST_SIG_ANNOTATION);
        if (ld && ls && !strcmp(ld, pdig) && !strcmp(ls, sig64)) dup = true;
    }
    if (!dup)
        json_array_append_new(layers, json_pack("{s:s, s:I, s:s, s:{s:s}}", "mediaType", TRUST_SIMPLESIGNING_MT,
                                                "size", (json_int_t)plen, "digest", pdig,
                                                "annotations", TRUST_SIG_ANNOTATION, sig64));
    cfg = sig_config(layers, &clen);
    char cdig[72], mdig[72];
    if ((rc = trust_blob_write(dir, cfg, clen, cdig))) goto out;
    json_object_set_new(man, "config", json_pack("{s:s, s:I, s:s}", "mediaType", TRUST_OCI_CONFIG_MT,
                                                 "size", (json_int_t)clen, "digest", cdig));
    mtext = json_dumps(man, JSON_COMPACT);
    size_t mlen = strlen(mtext);
    if ((rc = trust_blob_write(dir, mtext, mlen, mdig))) goto out;
    if ((rc = trust_index_set_tag(dir, index, tag, TRUST_OCI_MANIFEST_MT, mdig, mlen))) goto out;
    if (sig_digest) *sig_digest = xstrdup(mdig);
out:
    trust_layout_unlock(lock);
    json_decref(index); json_decref(man);
    free(payload); free(sig); free(sig64); free(tag); free(cfg); free(mtext);
    return rc;
}
