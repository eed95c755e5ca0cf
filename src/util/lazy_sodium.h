/* libsodium: cosign private-key (secretbox) format.
 * Loaded on first use — see util/lazylib.h.  Include this instead of the library's headers. */
#ifndef BRIG_UTIL_LAZY_SODIUM_H
#define BRIG_UTIL_LAZY_SODIUM_H
#include <sodium.h>
#include "util/lazylib.h"

#define BRIG_LAZY_SODIUM_SYMBOLS(X) \
    X(crypto_secretbox_easy) \
    X(crypto_secretbox_open_easy) \
    X(sodium_init) \
    X(sodium_memzero) \

BRIG_LAZY_DECLARE(sodium, BRIG_LAZY_SODIUM_SYMBOLS)

#define crypto_secretbox_easy (brig_lazy_sodium()->crypto_secretbox_easy)
#define crypto_secretbox_open_easy (brig_lazy_sodium()->crypto_secretbox_open_easy)
#define sodium_init (brig_lazy_sodium()->sodium_init)
#define sodium_memzero (brig_lazy_sodium()->sodium_memzero)
#endif
