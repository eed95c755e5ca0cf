#include "util/lazy_crypto.h"

BRIG_LAZY_DEFINE(crypto, "libcrypto.so.3", "libssl3", BRIG_LAZY_CRYPTO_SYMBOLS)
