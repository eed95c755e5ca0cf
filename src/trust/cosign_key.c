#include "trust/cosign_key.h"
#include "trust/b64.h"
#include "util/err.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/lazy_crypto.h"
#include "util/lazy_sodium.h"
#include <stdlib.h>
#include <string.h>

size_t trust_scrypt_max_mem = (size_t)512 * 1024 * 1024;

static const char *const labels[] = { "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" };

bool trust_is_cosign_key(const char *pem, size_t len) {
    for (size_t i = 0; i < 2; i++)
        if (memmem(pem, len, labels[i], strlen(labels[i]))) return true;
    return false;
}

/* The base64 body between BEGIN and END lines. */
static char *pem_body(const char *pem, size_t len) {
    for (size_t i = 0; i < 2; i++) {
        char *begin = xasprintf("-----BEGIN %s-----", labels[i]), *end = xasprintf("-----END %s-----", labels[i]);
        const char *b = memmem(pem, len, begin, strlen(begin));
        if (b) b += strlen(begin);   /* search END after BEGIN: their dashes may overlap */
        const char *e = b ? memmem(b, len - (size_t)(b - pem), end, strlen(end)) : NULL;
        char *body = NULL;
        if (b && e) body = xstrndup(b, (size_t)(e - b));
        free(begin); free(end);
        if (body) return body;
    }
    return NULL;
}

static int b64_field(const char *name, json_t *obj, const char *key, unsigned char **out, size_t *n) {
    const char *s = brig_json_str(obj, key);
    if (!s || trust_b64_decode(s, out, n) != 0)
        return brig_fail(BRIG_EXIT_INPUT, "%s: cosign key: \"%s\" missing or not base64", name, key);
    return 0;
}

static int derive(const char *name, const char *pass, const unsigned char *salt, size_t sl,
                  uint64_t N, uint64_t r, uint64_t p, unsigned char key[32]) {
    /* N must be a power of two > 1; memory is about 128*N*r bytes. */
    if (N < 2 || (N & (N - 1)) || r < 1 || p < 1 || r > 64 || p > 64 || N > (1u << 24) ||
        128 * N * r > trust_scrypt_max_mem)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: cosign key: scrypt parameters N=%llu r=%llu p=%llu are invalid or need more "
                         "than %zu MiB", name, (unsigned long long)N, (unsigned long long)r, (unsigned long long)p,
                         trust_scrypt_max_mem >> 20);
    if (EVP_PBE_scrypt(pass, strlen(pass), salt, sl, N, r, p, trust_scrypt_max_mem + (1 << 20), key, 32) != 1)
        return brig_fail(BRIG_EXIT_SYSTEM, "%s: cosign key: scrypt failed", name);
    return 0;
}

int trust_cosign_key_decrypt(const char *name, const char *pem, size_t len, const char *pass, EVP_PKEY **out) {
    if (sodium_init() < 0) return brig_fail(BRIG_EXIT_SYSTEM, "libsodium could not be initialised");
    if (!pass) return brig_fail(BRIG_EXIT_INPUT, "%s: the cosign private key is encrypted and no passphrase was given", name);
    char *body = pem_body(pem, len);
    if (!body) return brig_fail(BRIG_EXIT_INPUT, "%s: cosign key: no BEGIN/END ENCRYPTED SIGSTORE PRIVATE KEY block", name);
    unsigned char *js = NULL, *salt = NULL, *nonce = NULL, *ct = NULL, *plain = NULL;
    size_t jl, sl, nl, cl;
    json_t *j = NULL;
    int rc = 0;
    if (trust_b64_decode(body, &js, &jl) != 0) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: cosign key: body is not base64", name); goto out; }
    if ((rc = brig_json_parse(name, (const char *)js, jl, &j))) goto out;
    json_t *kdf = json_object_get(j, "kdf"), *params = json_object_get(kdf, "params"), *cipher = json_object_get(j, "cipher");
    const char *kn = brig_json_str(kdf, "name"), *cn = brig_json_str(cipher, "name");
    if (!kn || strcmp(kn, "scrypt") || !cn || strcmp(cn, "nacl/secretbox")) {
        rc = brig_fail(BRIG_EXIT_NOTIMPL, "%s: cosign key: kdf '%s' / cipher '%s' not supported (scrypt + nacl/secretbox are)",
                       name, kn ? kn : "?", cn ? cn : "?");
        goto out;
    }
    json_t *jN = json_object_get(params, "N"), *jr = json_object_get(params, "r"), *jp = json_object_get(params, "p");
    if (!json_is_integer(jN) || !json_is_integer(jr) || !json_is_integer(jp) ||
        json_integer_value(jN) < 0 || json_integer_value(jr) < 0 || json_integer_value(jp) < 0) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: cosign key: kdf.params N, r, p must be positive integers", name);
        goto out;
    }
    if ((rc = b64_field(name, kdf, "salt", &salt, &sl)) || (rc = b64_field(name, cipher, "nonce", &nonce, &nl)) ||
        (rc = b64_field(name, j, "ciphertext", &ct, &cl)))
        goto out;
    if (nl != crypto_secretbox_NONCEBYTES || cl < crypto_secretbox_MACBYTES || cl > 64 * 1024) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: cosign key: nonce must be %d bytes and the ciphertext 16..65536 bytes",
                       name, crypto_secretbox_NONCEBYTES);
        goto out;
    }
    unsigned char key[32];
    if ((rc = derive(name, pass, salt, sl, (uint64_t)json_integer_value(jN), (uint64_t)json_integer_value(jr),
                     (uint64_t)json_integer_value(jp), key)))
        goto out;
    plain = xmalloc(cl);
    int bad = crypto_secretbox_open_easy(plain, ct, cl, nonce, key);
    sodium_memzero(key, sizeof key);
    if (bad) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot decrypt the cosign private key: wrong passphrase "
                              "(check COSIGN_PASSWORD/BRIG_PASSWORD)", name); goto out; }
    const unsigned char *pp = plain;
    EVP_PKEY *k = d2i_AutoPrivateKey(NULL, &pp, (long)(cl - crypto_secretbox_MACBYTES));
    if (!k) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: cosign key: decrypted data is not a PKCS#8 private key", name); goto out; }
    *out = k;
out:
    if (plain) { sodium_memzero(plain, cl); free(plain); }
    json_decref(j);
    free(body); free(js); free(salt); free(nonce); free(ct);
    return rc;
}

int trust_cosign_key_encrypt(EVP_PKEY *k, const char *pass, char **pem_out, size_t *len_out) {
    if (sodium_init() < 0) return brig_fail(BRIG_EXIT_SYSTEM, "libsodium could not be initialised");
    unsigned char *der = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k);   /* cosign stores PKCS#8 DER */
    int dl = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (dl <= 0) return brig_fail(BRIG_EXIT_SYSTEM, "cannot encode the private key as PKCS#8");
    unsigned char salt[32], nonce[crypto_secretbox_NONCEBYTES], key[32];
    if (RAND_bytes(salt, sizeof salt) != 1 || RAND_bytes(nonce, sizeof nonce) != 1) {
        OPENSSL_clear_free(der, (size_t)dl);
        return brig_fail(BRIG_EXIT_SYSTEM, "no randomness for the key encryption");
    }
    int rc = derive("new key", pass, salt, sizeof salt, 32768, 8, 1, key);
    if (rc) { OPENSSL_clear_free(der, (size_t)dl); return rc; }
    size_t cl = (size_t)dl + crypto_secretbox_MACBYTES;
    unsigned char *ct = xmalloc(cl);
    crypto_secretbox_easy(ct, der, (unsigned long long)dl, nonce, key);
    sodium_memzero(key, sizeof key);
    OPENSSL_clear_free(der, (size_t)dl);
    char *s64 = trust_b64_encode(salt, sizeof salt), *n64 = trust_b64_encode(nonce, sizeof nonce), *c64 = trust_b64_encode(ct, cl);
    free(ct);
    /* Field order as go-securesystemslib marshals it. */
    char *js = xasprintf("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"%s\"},"
                         "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"%s\"},\"ciphertext\":\"%s\"}", s64, n64, c64);
    free(s64); free(n64); free(c64);
    char *b = trust_b64_encode(js, strlen(js));
    free(js);
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    for (size_t i = 0, n = strlen(b); i < n; i += 64) { sb_add(&sb, b + i, n - i < 64 ? n - i : 64); sb_addc(&sb, '\n'); }
    sb_adds(&sb, "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    free(b);
    *len_out = sb.len;
    *pem_out = sb_detach(&sb);
    return 0;
}
