#include "util/lazy_sodium.h"

BRIG_LAZY_DEFINE(sodium, "libsodium.so.23", "libsodium23", BRIG_LAZY_SODIUM_SYMBOLS)
