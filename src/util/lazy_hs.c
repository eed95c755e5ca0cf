#include "util/lazy_hs.h"

BRIG_LAZY_DEFINE(hs, "libhs.so.5", "libhs5", BRIG_LAZY_HS_SYMBOLS)
