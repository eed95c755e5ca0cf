/* OpenSSL libcrypto: SHA-256, keys, signatures.
 * Loaded on first use — see util/lazylib.h.  Include this instead of the library's headers. */
#ifndef BRIG_UTIL_LAZY_CRYPTO_H
#define BRIG_UTIL_LAZY_CRYPTO_H
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include "util/lazylib.h"

#define BRIG_LAZY_CRYPTO_SYMBOLS(X) \
    X(BIO_ctrl) \
    X(BIO_free) \
    X(BIO_new) \
    X(BIO_new_mem_buf) \
    X(BIO_s_mem) \
    X(CRYPTO_clear_free) \
    X(CRYPTO_free) \
    X(ERR_clear_error) \
    X(ERR_peek_last_error) \
    X(ERR_reason_error_string) \
    X(EVP_DigestFinal_ex) \
    X(EVP_DigestInit_ex) \
    X(EVP_DigestSign) \
    X(EVP_DigestSignInit) \
    X(EVP_DigestUpdate) \
    X(EVP_DigestVerify) \
    X(EVP_DigestVerifyInit) \
    X(EVP_EncodeBlock) \
    X(EVP_MD_CTX_free) \
    X(EVP_MD_CTX_new) \
    X(EVP_PBE_scrypt) \
    X(EVP_PKEY2PKCS8) \
    X(EVP_PKEY_Q_keygen) \
    X(EVP_PKEY_free) \
    X(EVP_PKEY_get_base_id) \
    X(EVP_aes_256_cbc) \
    X(EVP_sha256) \
    X(OBJ_nid2sn) \
    X(PEM_read_bio_PUBKEY) \
    X(PEM_read_bio_PrivateKey) \
    X(PEM_write_PUBKEY) \
    X(PEM_write_bio_PKCS8PrivateKey) \
    X(PEM_write_bio_PUBKEY) \
    X(PKCS8_PRIV_KEY_INFO_free) \
    X(RAND_bytes) \
    X(d2i_AutoPrivateKey) \
    X(i2d_PKCS8_PRIV_KEY_INFO) \
    X(i2d_PUBKEY) \

BRIG_LAZY_DECLARE(crypto, BRIG_LAZY_CRYPTO_SYMBOLS)

#define BIO_ctrl (brig_lazy_crypto()->BIO_ctrl)
#define BIO_free (brig_lazy_crypto()->BIO_free)
#define BIO_new (brig_lazy_crypto()->BIO_new)
#define BIO_new_mem_buf (brig_lazy_crypto()->BIO_new_mem_buf)
#define BIO_s_mem (brig_lazy_crypto()->BIO_s_mem)
#define CRYPTO_clear_free (brig_lazy_crypto()->CRYPTO_clear_free)
#define CRYPTO_free (brig_lazy_crypto()->CRYPTO_free)
#define ERR_clear_error (brig_lazy_crypto()->ERR_clear_error)
#define ERR_peek_last_error (brig_lazy_crypto()->ERR_peek_last_error)
#define ERR_reason_error_string (brig_lazy_crypto()->ERR_reason_error_string)
#define EVP_DigestFinal_ex (brig_lazy_crypto()->EVP_DigestFinal_ex)
#define EVP_DigestInit_ex (brig_lazy_crypto()->EVP_DigestInit_ex)
#define EVP_DigestSign (brig_lazy_crypto()->EVP_DigestSign)
#define EVP_DigestSignInit (brig_lazy_crypto()->EVP_DigestSignInit)
#define EVP_DigestUpdate (brig_lazy_crypto()->EVP_DigestUpdate)
#define EVP_DigestVerify (brig_lazy_crypto()->EVP_DigestVerify)
#define EVP_DigestVerifyInit (brig_lazy_crypto()->EVP_DigestVerifyInit)
#define EVP_EncodeBlock (brig_lazy_crypto()->EVP_EncodeBlock)
#define EVP_MD_CTX_free (brig_lazy_crypto()->EVP_MD_CTX_free)
#define EVP_MD_CTX_new (brig_lazy_crypto()->EVP_MD_CTX_new)
#define EVP_PBE_scrypt (brig_lazy_crypto()->EVP_PBE_scrypt)
#define EVP_PKEY2PKCS8 (brig_lazy_crypto()->EVP_PKEY2PKCS8)
#define EVP_PKEY_Q_keygen (brig_lazy_crypto()->EVP_PKEY_Q_keygen)
#define EVP_PKEY_free (brig_lazy_crypto()->EVP_PKEY_free)
#define EVP_PKEY_get_base_id (brig_lazy_crypto()->EVP_PKEY_get_base_id)
#define EVP_aes_256_cbc (brig_lazy_crypto()->EVP_aes_256_cbc)
#define EVP_sha256 (brig_lazy_crypto()->EVP_sha256)
#define OBJ_nid2sn (brig_lazy_crypto()->OBJ_nid2sn)
#define PEM_read_bio_PUBKEY (brig_lazy_crypto()->PEM_read_bio_PUBKEY)
#define PEM_read_bio_PrivateKey (brig_lazy_crypto()->PEM_read_bio_PrivateKey)
#define PEM_write_PUBKEY (brig_lazy_crypto()->PEM_write_PUBKEY)
#define PEM_write_bio_PKCS8PrivateKey (brig_lazy_crypto()->PEM_write_bio_PKCS8PrivateKey)
#define PEM_write_bio_PUBKEY (brig_lazy_crypto()->PEM_write_bio_PUBKEY)
#define PKCS8_PRIV_KEY_INFO_free (brig_lazy_crypto()->PKCS8_PRIV_KEY_INFO_free)
#define RAND_bytes (brig_lazy_crypto()->RAND_bytes)
#define d2i_AutoPrivateKey (brig_lazy_crypto()->d2i_AutoPrivateKey)
#define i2d_PKCS8_PRIV_KEY_INFO (brig_lazy_crypto()->i2d_PKCS8_PRIV_KEY_INFO)
#define i2d_PUBKEY (brig_lazy_crypto()->i2d_PUBKEY)
#endif
