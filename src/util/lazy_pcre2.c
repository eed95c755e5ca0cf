#include "util/lazy_pcre2.h"

BRIG_LAZY_DEFINE(pcre2, "libpcre2-8.so.0", "libpcre2-8-0", BRIG_LAZY_PCRE2_SYMBOLS)
