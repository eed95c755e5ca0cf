/* Key generation/loading and raw signatures with OpenSSL 3 EVP. */
#include "trust/keys.h"
#include "trust/cosign_key.h"
#include "trust/safe_io.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "util/lazy_crypto.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *bio_text(BIO *b, size_t *n) {
    char *p; long len = BIO_get_mem_data(b, &p);
    char *s = xmalloc((size_t)len + 1);
    memcpy(s, p, (size_t)len); s[len] = 0;
    *n = (size_t)len;
    return s;
}

/* PEM buffers are length-delimited (not necessarily NUL-terminated). */
static bool has(const char *pem, size_t len, const char *needle) {
    return memmem(pem, len, needle, strlen(needle)) != NULL;
}

static const char *ossl_reason(void) {
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    return r ? r : "unknown OpenSSL error";
}

int trust_key_generate(const char *prefix, const char *passphrase, bool force) {
    return trust_key_generate_fmt(prefix, passphrase, force, false);
}

int trust_key_generate_fmt(const char *prefix, const char *passphrase, bool force, bool cosign_format) {
    char *kpath = xasprintf("%s.key", prefix), *ppath = xasprintf("%s.pub", prefix);
    int rc = 0;
    EVP_PKEY *k = NULL;
    BIO *kb = NULL, *pb = NULL;
    struct stat st;
    if (!force && (lstat(kpath, &st) == 0 || lstat(ppath, &st) == 0)) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s or %s already exists; refusing to overwrite a key (use --force)", kpath, ppath);
        goto out;
    }
    k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (!k) { rc = brig_fail(BRIG_EXIT_SYSTEM, "cannot generate an ECDSA P-256 key: %s", ossl_reason()); goto out; }
    kb = BIO_new(BIO_s_mem()); pb = BIO_new(BIO_s_mem());
    size_t kn, pn;
    char *kt = NULL;
    if (cosign_format) {
        /* cosign always encrypts, even with an empty passphrase. */
        if ((rc = trust_cosign_key_encrypt(k, passphrase, &kt, &kn))) goto out;
    } else if (!(passphrase[0]
                 ? PEM_write_bio_PKCS8PrivateKey(kb, k, EVP_aes_256_cbc(), passphrase, (int)strlen(passphrase), NULL, NULL)
                 : PEM_write_bio_PKCS8PrivateKey(kb, k, NULL, NULL, 0, NULL, NULL))) {
        rc = brig_fail(BRIG_EXIT_SYSTEM, "cannot encode the private key: %s", ossl_reason()); goto out;
    } else kt = bio_text(kb, &kn);
    if (!PEM_write_bio_PUBKEY(pb, k)) {
        explicit_bzero(kt, kn); free(kt);
        rc = brig_fail(BRIG_EXIT_SYSTEM, "cannot encode the public key: %s", ossl_reason()); goto out;
    }
    char *pt = bio_text(pb, &pn);
    rc = brig_write_file_atomic(kpath, kt, kn, 0600);
    if (!rc) rc = brig_write_file_atomic(ppath, pt, pn, 0644);
    explicit_bzero(kt, kn);
    free(kt); free(pt);
out:
    BIO_free(kb); BIO_free(pb); EVP_PKEY_free(k);
    free(kpath); free(ppath);
    return rc;
}

int trust_privkey_load_pem(const char *name, const char *pem, size_t len, const char *pass, EVP_PKEY **out) {
    if (len > TRUST_KEY_MAX_BYTES)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: private key larger than %d bytes", name, TRUST_KEY_MAX_BYTES);
    if (trust_is_cosign_key(pem, len)) return trust_cosign_key_decrypt(name, pem, len, pass, out);
    if (!has(pem, len, "-----BEGIN "))
        return brig_fail(BRIG_EXIT_INPUT, "%s:1:1: not a PEM private key; expected '-----BEGIN ENCRYPTED PRIVATE KEY-----'", name);
    bool encrypted = has(pem, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") || has(pem, len, "Proc-Type: 4,ENCRYPTED");
    if (encrypted && !pass)
        return brig_fail(BRIG_EXIT_INPUT, "%s: the private key is encrypted and no passphrase was given", name);
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    ERR_clear_error();
    /* A non-NULL empty passphrase makes OpenSSL use it instead of prompting. */
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)(pass ? pass : ""));
    BIO_free(b);
    if (!k) {
        if (encrypted)
            return brig_fail(BRIG_EXIT_INPUT, "%s: cannot decrypt the private key: wrong passphrase "
                             "(check BRIG_PASSWORD/COSIGN_PASSWORD)", name);
        return brig_fail(BRIG_EXIT_INPUT, "%s: not a readable PEM private key: %s", name, ossl_reason());
    }
    *out = k;
    return 0;
}

int trust_privkey_load(const char *path, EVP_PKEY **out) {
    char *pem; size_t len;
    int rc = brig_read_file(path, TRUST_KEY_MAX_BYTES, &pem, &len);
    if (rc) return rc;
    char *pass = NULL;
    bool encrypted = has(pem, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") || has(pem, len, "Proc-Type: 4,ENCRYPTED") ||
                     trust_is_cosign_key(pem, len);
    if (encrypted) {
        char *prompt = xasprintf("Enter passphrase for %s: ", path);
        rc = trust_passphrase_get(prompt, false, &pass);
        free(prompt);
    }
    if (!rc) rc = trust_privkey_load_pem(path, pem, len, pass, out);
    if (pass) { explicit_bzero(pass, strlen(pass)); free(pass); }
    explicit_bzero(pem, len);
    free(pem);
    return rc;
}

int trust_pubkey_load_pem(const char *name, const char *pem, size_t len, trust_pubkey *out) {
    memset(out, 0, sizeof *out);
    if (len > TRUST_KEY_MAX_BYTES)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: public key larger than %d bytes", name, TRUST_KEY_MAX_BYTES);
    if (has(pem, len, "PRIVATE KEY-----"))
        return brig_fail(BRIG_EXIT_INPUT, "%s: this is a private key; verification needs the public key (.pub)", name);
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    ERR_clear_error();
    EVP_PKEY *k = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
    BIO_free(b);
    if (!k) return brig_fail(BRIG_EXIT_INPUT, "%s:1:1: not a PEM public key ('-----BEGIN PUBLIC KEY-----'): %s", name, ossl_reason());
    int id = EVP_PKEY_get_base_id(k);
    if (id != EVP_PKEY_EC && id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519) {
        EVP_PKEY_free(k);
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: key type %s is not supported (ECDSA, RSA and Ed25519 are)", name, OBJ_nid2sn(id));
    }
    unsigned char *der = NULL;
    int dn = i2d_PUBKEY(k, &der);
    if (dn <= 0) { EVP_PKEY_free(k); return brig_fail(BRIG_EXIT_INPUT, "%s: cannot encode public key", name); }
    brig_sha256_hex(der, (size_t)dn, out->fpr);
    OPENSSL_free(der);
    out->pkey = k;
    out->name = xstrdup(name);
    return 0;
}

int trust_pubkey_load_file(const char *path, trust_pubkey *out) {
    char *pem; size_t len;
    int rc = brig_read_file(path, TRUST_KEY_MAX_BYTES, &pem, &len);
    if (rc) return rc;
    rc = trust_pubkey_load_pem(path, pem, len, out);
    free(pem);
    return rc;
}

void trust_pubkey_free(trust_pubkey *k) {
    if (!k) return;
    EVP_PKEY_free(k->pkey);
    free(k->name);
    memset(k, 0, sizeof *k);
}

/* cosign signs with SHA-256 for every key type except Ed25519 (pure EdDSA). */
static const EVP_MD *md_for(EVP_PKEY *k) {
    return EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519 ? NULL : EVP_sha256();
}

int trust_sign_bytes(EVP_PKEY *k, const void *data, size_t n, unsigned char **sig, size_t *siglen) {
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    size_t sl = 0;
    unsigned char *s = NULL;
    int rc = 0;
    if (EVP_DigestSignInit(c, NULL, md_for(k), NULL, k) != 1 ||
        EVP_DigestSign(c, NULL, &sl, data, n) != 1 ||
        !(s = xmalloc(sl)) || EVP_DigestSign(c, s, &sl, data, n) != 1) {
        free(s); s = NULL;
        rc = brig_fail(BRIG_EXIT_SYSTEM, "signing failed: %s", ossl_reason());
    }
    EVP_MD_CTX_free(c);
    *sig = s; *siglen = sl;
    return rc;
}

bool trust_verify_bytes(EVP_PKEY *k, const void *data, size_t n, const unsigned char *sig, size_t siglen) {
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(c, NULL, md_for(k), NULL, k) == 1 &&
              EVP_DigestVerify(c, sig, siglen, data, n) == 1;
    EVP_MD_CTX_free(c);
    ERR_clear_error();
    return ok;
}
