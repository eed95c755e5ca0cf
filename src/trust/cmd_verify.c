/* brig verify: signature (cosign layout) + every blob digest of an image. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "image/image.h"
#include "trust/keys.h"
#include "trust/sigs.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fputs("Usage: brig verify --key PUBLIC.pub [--key OTHER.pub]... [--format table|json] IMAGE\n\n"
          "IMAGE is oci:DIR[:TAG] or oci-archive:FILE[:TAG] (a tar of a signed layout).\n"
          "Finds the cosign signature manifest (tag sha256-<digest>.sig) of the image in its OCI\n"
          "layout and checks each signature layer: payload blob digest, the base64 DER signature\n"
          "in dev.cosignproject.cosign/signature against the payload with the given key(s), the\n"
          "payload type, and that docker-manifest-digest is this image's manifest digest. At least\n"
          "one signature must verify. Then every blob of the image (manifest, config, layers) is\n"
          "hashed and compared with its digest.\n\n"
          "Options:\n"
          "  --key FILE        PEM public key; repeat for key rotation (any listed key is accepted)\n"
          "  -a, --annotation K=V  require a verified signature whose payload \"optional\" map has\n"
          "                    K=V (repeatable; all must match on the same signature, as cosign)\n"
          "  --format FMT      table (default) or json\n"
          "  -h, --help        show this help\n\n"
          "Exit codes: 0 verified, 2 usage, 3 unreadable image or key,\n"
          "            4 unsigned, wrong key, replayed signature (payload for another digest),\n"
          "              tampered signature or tampered image blob/manifest,\n"
          "            7 image form that cannot hold signatures (docker-archive, dir:).\n", f);
}

static void print_json(const char *ref, const brig_image *img, const trust_pubkey *keys,
                       const trust_verify_result *res, bool blobs_ok, int rc) {
    json_t *o = json_object();
    json_object_set_new(o, "image", json_string(ref));
    json_object_set_new(o, "digest", img && img->manifest_digest ? json_string(img->manifest_digest) : json_null());
    json_object_set_new(o, "verified", json_boolean(rc == 0));
    json_object_set_new(o, "signatureManifest", res->sig_manifest_digest ? json_string(res->sig_manifest_digest) : json_null());
    json_object_set_new(o, "signaturesExamined", json_integer((json_int_t)res->n_layers));
    json_t *sigs = json_array();
    for (size_t i = 0; i < res->n_good; i++) {
        const trust_good_sig *g = &res->good[i];
        json_array_append_new(sigs, json_pack("{s:s, s:s, s:s, s:s, s:O}", "key", keys[g->key_index].name,
            "keyFingerprint", keys[g->key_index].fpr, "dockerReference", g->docker_ref,
            "payloadDigest", g->payload_digest, "optional", g->optional ? g->optional : json_null()));
    }
    json_object_set_new(o, "signatures", sigs);
    json_object_set_new(o, "blobsVerified", json_boolean(blobs_ok));
    json_object_set_new(o, "error", rc ? json_string(brig_errmsg()) : json_null());
    char *s = json_dumps(o, JSON_INDENT(2));
    puts(s);
    free(s);
    json_decref(o);
}

/* Drops verified signatures whose payload lacks any of the required K=V claims. */
static int keep_annotated(trust_verify_result *res, const char **ann, size_t na) {
    size_t kept = 0;
    for (size_t i = 0; i < res->n_good; i++) {
        bool all = true;
        for (size_t k = 0; k < na && all; k++) {
            const char *eq = strchr(ann[k], '=');
            char *key = xstrndup(ann[k], (size_t)(eq - ann[k]));
            json_t *v = json_object_get(res->good[i].optional, key);
            all = json_is_string(v) && !strcmp(json_string_value(v), eq + 1);
            free(key);
        }
        if (all) res->good[kept++] = res->good[i];
        else { free(res->good[i].docker_ref); free(res->good[i].payload_digest); json_decref(res->good[i].optional); }
    }
    res->n_good = kept;
    if (!kept) {
        strbuf sb = STRBUF_INIT;
        for (size_t k = 0; k < na; k++) sb_addf(&sb, "%s%s", k ? ", " : "", ann[k]);
        int rc = brig_fail(BRIG_EXIT_INTEGRITY, "no valid signature carries the required annotation(s) %s", sb.buf);
        sb_free(&sb);
        return rc;
    }
    return 0;
}

int cmd_verify(int argc, char **argv) {
    static const struct option lo[] = {
        { "key", required_argument, 0, 'k' }, { "format", required_argument, 0, 'f' },
        { "annotation", required_argument, 0, 'a' }, { "annotations", required_argument, 0, 'a' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char **kp = NULL, **ann = NULL;
    size_t nk = 0, na = 0;
    int c, rc = 0;
    bool json = false;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "ha:", lo, "verify")) != -1) {
        if (c == 'k') { kp = xrealloc(kp, (nk + 1) * sizeof *kp); kp[nk++] = optarg; }
        else if (c == 'a') {
            if (!strchr(optarg, '=') || optarg[0] == '=') { free(kp); free(ann); return brig_usage_error("verify", "--annotation needs KEY=VALUE, got '%s'", optarg); }
            ann = xrealloc(ann, (na + 1) * sizeof *ann); ann[na++] = optarg;
        }
        else if (c == 'f') {
            if (!strcmp(optarg, "json")) json = true;
            else if (strcmp(optarg, "table") != 0) { free(kp); return brig_usage_error("verify", "--format must be table or json, not '%s'", optarg); }
        } else if (c == 'h') { usage(stdout); free(kp); free(ann); return 0; }
        else { free(kp); free(ann); return BRIG_EXIT_USAGE; }
    }
    if (!nk) { free(kp); free(ann); return brig_usage_error("verify", "--key PUBLIC.pub is required"); }
    if (optind != argc - 1) { free(kp); free(ann); return brig_usage_error("verify", "expected exactly one IMAGE (oci:DIR[:TAG] or oci-archive:FILE)"); }
    const char *ref = argv[optind];
    trust_pubkey *keys = xcalloc(nk, sizeof *keys);
    trust_verify_result res = {0};
    brig_image *img = NULL;
    bool blobs_ok = false;
    for (size_t i = 0; i < nk && !rc; i++) rc = trust_pubkey_load_file(kp[i], &keys[i]);
    if (!rc) rc = brig_image_open(ref, NULL, &img);
    if (!rc && ((img->kind != BRIG_IMG_OCI_LAYOUT && img->kind != BRIG_IMG_OCI_ARCHIVE) || !img->manifest_digest))
        rc = brig_fail(BRIG_EXIT_NOTIMPL, "%s: signatures are read only from OCI layouts (oci:DIR, oci-archive:FILE); this is a %s image",
                       ref, brig_image_kind_name(img->kind));
    if (!rc) rc = trust_verify_layout(img->path, img->manifest_digest, keys, nk, &res);
    if (!rc && na) rc = keep_annotated(&res, ann, na);
    if (!rc) {
        rc = brig_image_verify_blobs(img);
        if (rc) brig_fail_context(BRIG_EXIT_INTEGRITY, "%s: signature is valid but the image content was modified", ref);
        blobs_ok = rc == 0;
        if (rc) rc = BRIG_EXIT_INTEGRITY;
    }
    if (json) print_json(ref, img, keys, &res, blobs_ok, rc);
    else if (!rc) {
        printf("Verified %s (%s)\n", ref, img->manifest_digest);
        for (size_t i = 0; i < res.n_good; i++)
            printf("  signature: key %s (sha256:%.16s…), identity %s\n", keys[res.good[i].key_index].name,
                   keys[res.good[i].key_index].fpr, res.good[i].docker_ref);
        printf("  blobs: manifest, config and %zu layer(s) match their digests\n", img->n_layers);
    }
    if (rc) brig_print_error(rc);
    trust_verify_result_free(&res);
    for (size_t i = 0; i < nk; i++) trust_pubkey_free(&keys[i]);
    free(keys); free(kp); free(ann);
    brig_image_close(img);
    return rc;
}
