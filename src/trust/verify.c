/* Verifying cosign signatures stored in an OCI layout.  Every failure names
 * what was wrong so a user can tell an unsigned image, a wrong key, a replayed
 * signature and a tampered blob apart. */
#include "trust/sigs.h"
#include "trust/b64.h"
#include "trust/layout.h"
#include "trust/payload.h"
#include "util/err.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define MAX_SIG_B64 (64 * 1024)

static void key_names(strbuf *sb, const trust_pubkey *keys, size_t n) {
    for (size_t i = 0; i < n; i++) sb_addf(sb, "%s%s", i ? ", " : "", keys[i].name);
}

/* Checks one signature layer; returns 0 and fills g, or an exit code with the reason recorded. */
static int check_layer(const char *dir, const char *image_digest, json_t *layer, size_t idx,
                       const trust_pubkey *keys, size_t n_keys, trust_good_sig *g) {
    const char *mt = brig_json_str(layer, "mediaType");
    const char *dg = brig_json_str(layer, "digest");
    const char *s64 = brig_json_str(json_object_get(layer, "annotations"), TRUST_SIG_ANNOTATION);
    json_t *sz = json_object_get(layer, "size");
    if (!mt || strcmp(mt, TRUST_SIMPLESIGNING_MT) != 0)
        return brig_fail(BRIG_EXIT_INTEGRITY, "layer %zu: media type '%.100s' is not %s", idx, mt ? mt : "(none)", TRUST_SIMPLESIGNING_MT);
    if (!s64) return brig_fail(BRIG_EXIT_INTEGRITY, "layer %zu: no %s annotation", idx, TRUST_SIG_ANNOTATION);
    if (strlen(s64) > MAX_SIG_B64) return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu: signature annotation too long", idx);
    char *payload; size_t plen;
    int rc = trust_blob_read(dir, dg ? dg : "", json_is_integer(sz) ? json_integer_value(sz) : -1,
                             TRUST_PAYLOAD_MAX_BYTES, "signature payload", &payload, &plen);
    if (rc) return brig_fail_context(BRIG_EXIT_INTEGRITY, "layer %zu (payload tampered)", idx);
    unsigned char *sig; size_t slen;
    if (trust_b64_decode(s64, &sig, &slen) != 0) {
        free(payload);
        return brig_fail(BRIG_EXIT_INTEGRITY, "layer %zu: the signature annotation is not valid base64 (tampered)", idx);
    }
    size_t k = 0;
    for (; k < n_keys; k++)
        if (trust_verify_bytes(keys[k].pkey, payload, plen, sig, slen)) break;
    free(sig);
    if (k == n_keys) {
        strbuf sb = STRBUF_INIT;
        key_names(&sb, keys, n_keys);
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "layer %zu: signature does not verify with %s %s (signed with another key, "
                       "or the signature was altered)", idx, n_keys > 1 ? "any of the keys" : "the key", sb.buf);
        sb_free(&sb); free(payload);
        return rc;
    }
    /* Only now, with the bytes authenticated, interpret them. */
    trust_payload p;
    char *pname = xasprintf("%s payload %s", dir, dg);
    rc = trust_payload_parse(pname, payload, plen, &p);
    free(pname); free(payload);
    if (rc) return brig_fail_context(BRIG_EXIT_INTEGRITY, "layer %zu", idx);
    if (strcmp(p.digest, image_digest) != 0) {
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "layer %zu: signature (valid, key %s) is for image %s, not for %s: "
                       "a signature replayed from another image", idx, keys[k].name, p.digest, image_digest);
        trust_payload_free(&p);
        return rc;
    }
    g->key_index = k;
    g->docker_ref = p.docker_ref; p.docker_ref = NULL;
    g->payload_digest = xstrdup(dg);
    g->optional = p.optional; p.optional = NULL;
    trust_payload_free(&p);
    return 0;
}

int trust_verify_layout(const char *dir, const char *image_digest, const trust_pubkey *keys, size_t n_keys,
                        trust_verify_result *res) {
    memset(res, 0, sizeof *res);
    if (!brig_digest_valid(image_digest, NULL))
        return brig_fail(BRIG_EXIT_INPUT, "image digest '%.100s' is not a sha256 digest", image_digest);
    json_t *index = NULL, *man = NULL;
    char *tag = trust_sig_tag(image_digest), *buf = NULL;
    size_t len;
    int rc = trust_index_load(dir, &index);
    if (rc) goto out;
    json_t *desc = trust_index_find_tag(index, tag);
    if (!desc) {
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "no signature for %s in %s; sign with 'brig sign'", image_digest, dir);
        goto out;
    }
    const char *mdg = brig_json_str(desc, "digest");
    json_t *sz = json_object_get(desc, "size");
    rc = trust_blob_read(dir, mdg ? mdg : "", json_is_integer(sz) ? json_integer_value(sz) : -1,
                         TRUST_MANIFEST_MAX_BYTES, "signature manifest", &buf, &len);
    if (rc) { rc = brig_fail_context(BRIG_EXIT_INTEGRITY, "signature manifest %s tampered", tag); goto out; }
    res->sig_manifest_digest = xstrdup(mdg);
    if ((rc = brig_json_parse(tag, buf, len, &man))) goto out;
    json_t *layers = json_object_get(man, "layers");
    if (!json_is_array(layers) || json_array_size(layers) == 0) {
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "%s: signature manifest %s has no signature layers", dir, tag);
        goto out;
    }
    if (json_array_size(layers) > TRUST_MAX_SIG_LAYERS) {
        rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: signature manifest %s has more than %d layers", dir, tag, TRUST_MAX_SIG_LAYERS);
        goto out;
    }
    strbuf why = STRBUF_INIT;
    json_t *l; size_t i;
    json_array_foreach(layers, i, l) {
        res->n_layers++;
        trust_good_sig g = {0};
        if (check_layer(dir, image_digest, l, i, keys, n_keys, &g) == 0) {
            res->good = xrealloc(res->good, (res->n_good + 1) * sizeof *res->good);
            res->good[res->n_good++] = g;
        } else {
            sb_addf(&why, "%s%s", why.len ? "; " : "", brig_errmsg());
        }
    }
    if (!res->n_good)
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "%s: no valid signature for %s: %s", dir, image_digest, why.buf ? why.buf : "");
    else
        brig_err_clear();
    sb_free(&why);
out:
    json_decref(index); json_decref(man);
    free(tag); free(buf);
    return rc;
}

void trust_verify_result_free(trust_verify_result *r) {
    for (size_t i = 0; i < r->n_good; i++) {
        free(r->good[i].docker_ref); free(r->good[i].payload_digest); json_decref(r->good[i].optional);
    }
    free(r->good);
    free(r->sig_manifest_digest);
    memset(r, 0, sizeof *r);
}
