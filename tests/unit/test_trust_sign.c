/* Signing and verifying cosign signatures in crafted OCI layouts, and every
 * way verification must fail: unsigned, wrong key, replay, tampering. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trust/b64.h"
#include "trust/cosign_key.h"
#include "trust/keys.h"
#include "trust/layout.h"
#include "trust/sigs.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"

typedef struct {
    char dir[64];
    char digest[72];       /* the "image" manifest digest */
    char other[72];        /* a second image in the same layout */
    EVP_PKEY *k1, *k2;
    trust_pubkey p1, p2;
} fx;

static void pub_of(EVP_PKEY *k, trust_pubkey *out, const char *name) {
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(b, k);
    char *p; long n = BIO_get_mem_data(b, &p);
    assert_int_equal(trust_pubkey_load_pem(name, p, (size_t)n, out), 0);
    BIO_free(b);
}

static int setup(void **st) {
    fx *f = xcalloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/brig-trust-unit.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    const char *m1 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}";
    const char *m2 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[],\"x\":1}";
    if (trust_blob_write(f->dir, m1, strlen(m1), f->digest) || trust_blob_write(f->dir, m2, strlen(m2), f->other)) return -1;
    char *idx = xasprintf("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                          "\"digest\":\"%s\",\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}",
                          f->digest, strlen(m1));
    char *ip = xasprintf("%s/index.json", f->dir);
    int rc = brig_write_file_atomic(ip, idx, strlen(idx), 0644);
    free(idx); free(ip);
    f->k1 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    f->k2 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    pub_of(f->k1, &f->p1, "k1.pub");
    pub_of(f->k2, &f->p2, "k2.pub");
    *st = f;
    return rc;
}

static int teardown(void **st) {
    fx *f = *st;
    brig_rm_rf(f->dir);
    EVP_PKEY_free(f->k1); EVP_PKEY_free(f->k2);
    trust_pubkey_free(&f->p1); trust_pubkey_free(&f->p2);
    free(f);
    return 0;
}

static const trust_sign_opts opts = { .docker_ref = "localhost/app" };

static json_t *sig_manifest(fx *f, const char *digest, json_t **index_out) {
    json_t *index;
    assert_int_equal(trust_index_load(f->dir, &index), 0);
    char *tag = trust_sig_tag(digest);
    json_t *d = trust_index_find_tag(index, tag);
    free(tag);
    assert_non_null(d);
    char *buf; size_t n;
    assert_int_equal(trust_blob_read(f->dir, brig_json_str(d, "digest"), -1, 1 << 20, "m", &buf, &n), 0);
    json_t *m;
    assert_int_equal(brig_json_parse("m", buf, n, &m), 0);
    free(buf);
    if (index_out) *index_out = index; else json_decref(index);
    return m;
}

/* Writes a modified sig manifest and re-points the .sig tag at it (an attacker
 * with write access to the layout can always do that much). */
static void replace_sig_manifest(fx *f, const char *digest, json_t *m) {
    json_t *index;
    assert_int_equal(trust_index_load(f->dir, &index), 0);
    char *t = json_dumps(m, JSON_COMPACT), dg[72];
    assert_int_equal(trust_blob_write(f->dir, t, strlen(t), dg), 0);
    char *tag = trust_sig_tag(digest);
    assert_int_equal(trust_index_set_tag(f->dir, index, tag, TRUST_OCI_MANIFEST_MT, dg, strlen(t)), 0);
    free(tag); free(t);
    json_decref(index);
}

static void unsigned_image(void **st) {
    fx *f = *st;
    trust_verify_result r;
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p1, 1, &r), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "no signature for sha256:"));
    assert_non_null(strstr(brig_errmsg(), "sign with 'brig sign'"));
    trust_verify_result_free(&r);
}

static void sign_then_verify_and_layout_shape(void **st) {
    fx *f = *st;
    char *sd = NULL;
    assert_int_equal(trust_sign_layout(f->dir, f->digest, f->k1, &opts, &sd), 0);
    trust_verify_result r;
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p1, 1, &r), 0);
    assert_int_equal(r.n_good, 1);
    assert_string_equal(r.good[0].docker_ref, "localhost/app");
    assert_string_equal(r.sig_manifest_digest, sd);
    trust_verify_result_free(&r);
    /* cosign's shape: OCI manifest, config media type, simplesigning layer with annotation */
    json_t *m = sig_manifest(f, f->digest, NULL);
    assert_string_equal(brig_json_str(m, "mediaType"), TRUST_OCI_MANIFEST_MT);
    assert_string_equal(brig_json_str(json_object_get(m, "config"), "mediaType"), TRUST_OCI_CONFIG_MT);
    json_t *l = json_array_get(json_object_get(m, "layers"), 0);
    assert_string_equal(brig_json_str(l, "mediaType"), TRUST_SIMPLESIGNING_MT);
    assert_non_null(brig_json_str(json_object_get(l, "annotations"), TRUST_SIG_ANNOTATION));
    json_decref(m);
    /* the wrong key: a distinct message naming the key */
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p2, 1, &r), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "does not verify with the key k2.pub"));
    trust_verify_result_free(&r);
    /* rotation: either key in the list accepts */
    trust_pubkey both[2] = { f->p2, f->p1 };
    assert_int_equal(trust_verify_layout(f->dir, f->digest, both, 2, &r), 0);
    assert_int_equal(r.good[0].key_index, 1);
    trust_verify_result_free(&r);
    free(sd);
}

static void resign_appends_layer(void **st) {
    fx *f = *st;
    assert_int_equal(trust_sign_layout(f->dir, f->digest, f->k1, &opts, NULL), 0);
    assert_int_equal(trust_sign_layout(f->dir, f->digest, f->k2, &opts, NULL), 0);
    json_t *index;
    json_t *m = sig_manifest(f, f->digest, &index);
    assert_int_equal(json_array_size(json_object_get(m, "layers")), 2);
    /* one .sig entry in the index, not two */
    size_t sigs = 0, i; json_t *d;
    json_array_foreach(json_object_get(index, "manifests"), i, d)
        if (strstr(brig_json_str(json_object_get(d, "annotations"), "org.opencontainers.image.ref.name"), ".sig")) sigs++;
    assert_int_equal(sigs, 1);
    json_decref(m); json_decref(index);
    trust_verify_result r;
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p2, 1, &r), 0);   /* layer 1 fails, layer 2 passes */
    trust_verify_result_free(&r);
}

static void replayed_signature(void **st) {
    fx *f = *st;
    assert_int_equal(trust_sign_layout(f->dir, f->digest, f->k1, &opts, NULL), 0);
    /* copy image 1's signature manifest to image 2's .sig tag */
    json_t *m = sig_manifest(f, f->digest, NULL);
    replace_sig_manifest(f, f->other, m);
    json_decref(m);
    trust_verify_result r;
    assert_int_equal(trust_verify_layout(f->dir, f->other, &f->p1, 1, &r), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "replayed from another image"));
    trust_verify_result_free(&r);
}

static void tampered_payload_blob(void **st) {
    fx *f = *st;
    assert_int_equal(trust_sign_layout(f->dir, f->digest, f->k1, &opts, NULL), 0);
    json_t *m = sig_manifest(f, f->digest, NULL);
    const char *pd = brig_json_str(json_array_get(json_object_get(m, "layers"), 0), "digest");
    char *path = xasprintf("%s/blobs/sha256/%s", f->dir, pd + 7);
    const char *evil = "{\"critical\":{}}";
    assert_int_equal(brig_write_file_atomic(path, evil, strlen(evil), 0644), 0);
    trust_verify_result r;
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p1, 1, &r), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "payload tampered"));
    assert_non_null(strstr(brig_errmsg(), "was modified"));
    trust_verify_result_free(&r);
    free(path); json_decref(m);
}

static void tampered_signature_annotation(void **st) {
    fx *f = *st;
    assert_int_equal(trust_sign_layout(f->dir, f->digest, f->k1, &opts, NULL), 0);
    json_t *m = sig_manifest(f, f->digest, NULL);
    json_t *ann = json_object_get(json_array_get(json_object_get(m, "layers"), 0), "annotations");
    /* flip one byte of the DER signature, keep valid base64 */
    unsigned char *sig; size_t n;
    assert_int_equal(trust_b64_decode(brig_json_str(ann, TRUST_SIG_ANNOTATION), &sig, &n), 0);
    sig[n - 3] ^= 0x01;
    char *b = trust_b64_encode(sig, n);
    json_object_set_new(ann, TRUST_SIG_ANNOTATION, json_string(b));
    replace_sig_manifest(f, f->digest, m);
    trust_verify_result r;
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p1, 1, &r), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "signature does not verify"));
    trust_verify_result_free(&r);
    json_object_set_new(ann, TRUST_SIG_ANNOTATION, json_string("!!notbase64"));
    replace_sig_manifest(f, f->digest, m);
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p1, 1, &r), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "not valid base64"));
    trust_verify_result_free(&r);
    free(sig); free(b); json_decref(m);
}

static void tampered_sig_manifest_blob(void **st) {
    fx *f = *st;
    char *sd = NULL;
    assert_int_equal(trust_sign_layout(f->dir, f->digest, f->k1, &opts, &sd), 0);
    char *path = xasprintf("%s/blobs/sha256/%s", f->dir, sd + 7);
    char *buf; size_t n;
    assert_int_equal(brig_read_file(path, 1 << 20, &buf, &n), 0);
    buf[n / 2] = buf[n / 2] == 'a' ? 'b' : 'a';
    assert_int_equal(brig_write_file_atomic(path, buf, n, 0644), 0);
    trust_verify_result r;
    assert_int_equal(trust_verify_layout(f->dir, f->digest, &f->p1, 1, &r), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "signature manifest"));
    assert_non_null(strstr(brig_errmsg(), "was modified"));
    trust_verify_result_free(&r);
    free(buf); free(path); free(sd);
}

static void key_files_and_passphrases(void **st) {
    fx *f = *st;
    char *prefix = xasprintf("%s/cosign", f->dir), *kp = xasprintf("%s.key", prefix), *pp = xasprintf("%s.pub", prefix);
    assert_int_equal(trust_key_generate(prefix, "s3cret", false), 0);
    assert_int_equal(trust_key_generate(prefix, "s3cret", false), BRIG_EXIT_INPUT);   /* no silent overwrite */
    char *pem; size_t n;
    assert_int_equal(brig_read_file(kp, 1 << 16, &pem, &n), 0);
    assert_non_null(strstr(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    EVP_PKEY *k = NULL;
    assert_int_equal(trust_privkey_load_pem(kp, pem, n, "wrong", &k), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "wrong passphrase"));
    assert_int_equal(trust_privkey_load_pem(kp, pem, n, NULL, &k), BRIG_EXIT_INPUT);
    assert_int_equal(trust_privkey_load_pem(kp, pem, n, "s3cret", &k), 0);
    trust_pubkey pub;
    assert_int_equal(trust_pubkey_load_file(pp, &pub), 0);
    assert_int_equal(EVP_PKEY_get_bits(pub.pkey), 256);
    unsigned char *sig; size_t sl;
    assert_int_equal(trust_sign_bytes(k, "abc", 3, &sig, &sl), 0);
    assert_true(trust_verify_bytes(pub.pkey, "abc", 3, sig, sl));
    assert_false(trust_verify_bytes(pub.pkey, "abd", 3, sig, sl));
    trust_pubkey_free(&pub);
    assert_int_equal(trust_pubkey_load_pem("x.key", pem, n, &pub), BRIG_EXIT_INPUT);   /* private key given as public */
    const char *cosign_junk = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
    EVP_PKEY *k2 = NULL;
    assert_int_equal(trust_privkey_load_pem("c.key", cosign_junk, strlen(cosign_junk), "x", &k2), BRIG_EXIT_INPUT);
    free(sig); free(pem); EVP_PKEY_free(k); trust_pubkey_free(&pub);
    /* explicitly empty passphrase: an unencrypted PKCS#8 key */
    char *prefix2 = xasprintf("%s/plain", f->dir), *kp2 = xasprintf("%s.key", prefix2);
    assert_int_equal(trust_key_generate(prefix2, "", false), 0);
    assert_int_equal(brig_read_file(kp2, 1 << 16, &pem, &n), 0);
    assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----"));
    assert_int_equal(trust_privkey_load_pem(kp2, pem, n, NULL, &k), 0);
    EVP_PKEY_free(k); free(pem);
    free(prefix); free(kp); free(pp); free(prefix2); free(kp2);
}


static char *cosign_pem(const char *json) {
    char *b = trust_b64_encode(json, strlen(json));
    char *p = xasprintf("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n%s\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", b);
    free(b);
    return p;
}

/* cosign's scrypt + secretbox key format: written, read back, and hostile variants. */
static void cosign_key_format(void **st) {
    fx *f = *st;
    char *pem; size_t n;
    assert_int_equal(trust_cosign_key_encrypt(f->k1, "pw", &pem, &n), 0);
    assert_non_null(strstr(pem, "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
    assert_true(trust_is_cosign_key(pem, n));
    EVP_PKEY *k = NULL;
    assert_int_equal(trust_privkey_load_pem("c.key", pem, n, "nope", &k), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "wrong passphrase"));
    assert_int_equal(trust_privkey_load_pem("c.key", pem, n, "pw", &k), 0);
    assert_int_equal(EVP_PKEY_eq(k, f->k1), 1);             /* the same key came back */
    EVP_PKEY_free(k);
    free(pem);
    /* empty passphrase still encrypts, as cosign does */
    assert_int_equal(trust_cosign_key_encrypt(f->k1, "", &pem, &n), 0);
    assert_int_equal(trust_privkey_load_pem("c.key", pem, n, "", &k), 0);
    EVP_PKEY_free(k);
    free(pem);
    k = NULL;
    /* scrypt parameters that would need gigabytes are refused before any work */
    pem = cosign_pem("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1073741824,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},"
                     "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}");
    assert_int_equal(trust_privkey_load_pem("c.key", pem, strlen(pem), "pw", &k), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "scrypt parameters"));
    free(pem);
    pem = cosign_pem("{\"kdf\":{\"name\":\"argon2\",\"params\":{},\"salt\":\"AAAA\"},\"cipher\":{\"name\":\"nacl/secretbox\"}}");
    assert_int_equal(trust_privkey_load_pem("c.key", pem, strlen(pem), "pw", &k), BRIG_EXIT_NOTIMPL);
    free(pem);
    pem = cosign_pem("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1024,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},"
                     "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAA\"},\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}");
    assert_int_equal(trust_privkey_load_pem("c.key", pem, strlen(pem), "pw", &k), BRIG_EXIT_INPUT);   /* short nonce */
    free(pem);
    /* BEGIN and END sharing their dashes (found by fuzzing: read past the buffer) */
    const char *overlap = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
    char *exact = xstrdup(overlap);
    assert_int_equal(trust_privkey_load_pem("c.key", exact, strlen(exact), "pw", &k), BRIG_EXIT_INPUT);
    free(exact);
    assert_null(k);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(unsigned_image, setup, teardown),
        cmocka_unit_test_setup_teardown(sign_then_verify_and_layout_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(resign_appends_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(replayed_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(tampered_payload_blob, setup, teardown),
        cmocka_unit_test_setup_teardown(tampered_signature_annotation, setup, teardown),
        cmocka_unit_test_setup_teardown(tampered_sig_manifest_blob, setup, teardown),
        cmocka_unit_test_setup_teardown(key_files_and_passphrases, setup, teardown),
        cmocka_unit_test_setup_teardown(cosign_key_format, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
