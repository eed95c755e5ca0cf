/* cosign-compatible signatures stored in an OCI image layout: a manifest tagged
 * "sha256-<hex>.sig" whose layers are simple-signing payloads, each carrying its
 * base64 signature in the "dev.cosignproject.cosign/signature" annotation. */
#ifndef BRIG_TRUST_SIGS_H
#define BRIG_TRUST_SIGS_H
#include "trust/keys.h"
#include <jansson.h>
#include "util/lazy_crypto.h"
#include <stddef.h>

#define TRUST_SIG_ANNOTATION "dev.cosignproject.cosign/signature"
#define TRUST_SIMPLESIGNING_MT "application/vnd.dev.cosign.simplesigning.v1+json"
#define TRUST_OCI_MANIFEST_MT "application/vnd.oci.image.manifest.v1+json"
#define TRUST_OCI_CONFIG_MT "application/vnd.oci.image.config.v1+json"
#define TRUST_MAX_SIG_LAYERS 1000

typedef struct {
    const char *docker_ref;          /* critical.identity.docker-reference */
    char *const *ann_keys;           /* optional annotations (k=v) */
    char *const *ann_vals;
    size_t n_ann;
} trust_sign_opts;

/* Signs image_digest and appends the signature to the layout's .sig manifest.
 * On success *sig_digest (optional) receives the new .sig manifest digest. */
int trust_sign_layout(const char *dir, const char *image_digest, EVP_PKEY *key,
                      const trust_sign_opts *o, char **sig_digest);

/* One signature that verified: which key, and what it claims. */
typedef struct {
    size_t key_index;
    char *docker_ref;
    char *payload_digest;
    json_t *optional;    /* NULL if none */
} trust_good_sig;

typedef struct {
    trust_good_sig *good; size_t n_good;
    size_t n_layers;               /* signature layers examined */
    char *sig_manifest_digest;     /* NULL if unsigned */
} trust_verify_result;

/* Verifies every signature layer for image_digest against keys (any key may
 * verify any layer).  Returns 0 if at least one verified; otherwise
 * BRIG_EXIT_INTEGRITY with a message listing why each layer failed (or "no
 * signature" when there is no .sig manifest).  res is filled in both cases. */
int trust_verify_layout(const char *dir, const char *image_digest, const trust_pubkey *keys, size_t n_keys,
                        trust_verify_result *res);
void trust_verify_result_free(trust_verify_result *r);
#endif
