/* libFuzzer: private/public key file parsing, incl. cosign's JSON key format. */
#include "trust/cosign_key.h"
#include "trust/keys.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    trust_scrypt_max_mem = 1 << 20;   /* keep each execution cheap */
    EVP_PKEY *k = NULL;
    if (trust_privkey_load_pem("fuzz", (const char *)data, size, "pw", &k) == 0) EVP_PKEY_free(k);
    trust_pubkey pk;
    if (trust_pubkey_load_pem("fuzz", (const char *)data, size, &pk) == 0) trust_pubkey_free(&pk);
    return 0;
}
