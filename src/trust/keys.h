/* Signing keys: generation (ECDSA P-256), loading encrypted PKCS#8 private keys
 * and SubjectPublicKeyInfo public keys, and raw sign/verify of a byte string
 * with the digest cosign uses (SHA-256; Ed25519 signs the message itself). */
#ifndef BRIG_TRUST_KEYS_H
#define BRIG_TRUST_KEYS_H
#include "util/lazy_crypto.h"
#include <stdbool.h>
#include <stddef.h>

#define TRUST_KEY_MAX_BYTES (64 * 1024)

typedef struct {
    EVP_PKEY *pkey;
    char *name;        /* file path, or "keyData" for inline policy keys */
    char fpr[65];      /* SHA-256 hex of the DER SubjectPublicKeyInfo */
} trust_pubkey;

/* Passphrase from $BRIG_PASSWORD, else $COSIGN_PASSWORD, else prompted on the
 * terminal without echo (twice when `confirm`).  *out may be "" only when set
 * empty explicitly in the environment. */
int trust_passphrase_get(const char *prompt, bool confirm, char **out);

/* Writes PREFIX.key (PKCS#8 PEM, AES-256-CBC encrypted unless passphrase is "")
 * and PREFIX.pub.  Refuses to overwrite unless `force`. */
int trust_key_generate(const char *prefix, const char *passphrase, bool force);
/* cosign_format: write cosign's "ENCRYPTED SIGSTORE PRIVATE KEY" (scrypt +
 * secretbox, always encrypted) instead of PKCS#8. */
int trust_key_generate_fmt(const char *prefix, const char *passphrase, bool force, bool cosign_format);

/* Loads a private key (PKCS#8/SEC1 PEM, encrypted or not, or cosign's encrypted
 * format); asks for the passphrase only if the key is encrypted. */
int trust_privkey_load(const char *path, EVP_PKEY **out);
/* Same with the passphrase given (NULL = key must be unencrypted). */
int trust_privkey_load_pem(const char *name, const char *pem, size_t len, const char *pass, EVP_PKEY **out);

int trust_pubkey_load_file(const char *path, trust_pubkey *out);
int trust_pubkey_load_pem(const char *name, const char *pem, size_t len, trust_pubkey *out);
void trust_pubkey_free(trust_pubkey *k);

/* DER signature over data (ECDSA/RSA: SHA-256; Ed25519: pure). Caller frees *sig. */
int trust_sign_bytes(EVP_PKEY *k, const void *data, size_t n, unsigned char **sig, size_t *siglen);
/* true if sig is a valid signature of data by k. */
bool trust_verify_bytes(EVP_PKEY *k, const void *data, size_t n, const unsigned char *sig, size_t siglen);
#endif
