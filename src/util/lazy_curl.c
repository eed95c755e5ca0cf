#include "util/lazy_curl.h"

BRIG_LAZY_DEFINE(curl, "libcurl.so.4", "libcurl4", BRIG_LAZY_CURL_SYMBOLS)
