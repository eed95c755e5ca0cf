/* cosign's own encrypted private key format ("ENCRYPTED SIGSTORE PRIVATE KEY",
 * formerly "ENCRYPTED COSIGN PRIVATE KEY"): PEM around JSON
 *   {"kdf":{"name":"scrypt","params":{"N":…,"r":…,"p":…},"salt":B64},
 *    "cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}
 * where the plaintext is a PKCS#8 DER private key, the key is
 * scrypt(passphrase, salt, N, r, p, 32) and the cipher is NaCl secretbox
 * (XSalsa20-Poly1305, from libsodium: OpenSSL does not provide it). */
#ifndef BRIG_TRUST_COSIGN_KEY_H
#define BRIG_TRUST_COSIGN_KEY_H
#include "util/lazy_crypto.h"
#include <stdbool.h>
#include <stddef.h>

/* Limit against a hostile key file making scrypt eat the machine (default
 * 512 MiB; the fuzz target lowers it to keep executions fast). */
extern size_t trust_scrypt_max_mem;

bool trust_is_cosign_key(const char *pem, size_t len);
/* Decrypts; BRIG_EXIT_INPUT for a wrong passphrase or malformed file. */
int trust_cosign_key_decrypt(const char *name, const char *pem, size_t len, const char *pass, EVP_PKEY **out);
/* Encrypts a private key in cosign's format (scrypt N=32768 r=8 p=1, as cosign). Caller frees. */
int trust_cosign_key_encrypt(EVP_PKEY *k, const char *pass, char **pem_out, size_t *len_out);
#endif
