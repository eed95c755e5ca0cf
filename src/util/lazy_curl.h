/* libcurl: `brig db update`, `brig pull`.  Linking it pulls in GnuTLS/Kerberos/
 * LDAP initialisers that cost ~4 ms on every brig invocation.
 * Loaded on first use — see util/lazylib.h.  Include this instead of <curl/curl.h>.
 * Callers ask brig_curl_load() first, so a missing libcurl is an error message
 * (exit 6), not an exit from inside a call. */
#ifndef BRIG_UTIL_LAZY_CURL_H
#define BRIG_UTIL_LAZY_CURL_H
#include <curl/curl.h>
#include "util/lazylib.h"

#define BRIG_LAZY_CURL_SYMBOLS(X) \
    X(curl_global_init) \
    X(curl_global_cleanup) \
    X(curl_easy_init) \
    X(curl_easy_setopt) \
    X(curl_easy_perform) \
    X(curl_easy_getinfo) \
    X(curl_easy_cleanup) \
    X(curl_easy_strerror) \

BRIG_LAZY_DECLARE(curl, BRIG_LAZY_CURL_SYMBOLS)

/* 0, or BRIG_EXIT_SYSTEM with a message naming the Debian package. */
static inline int brig_curl_load(void) { return brig_lazylib_try(&brig_lazy_curl_lib); }

/* curl.h makes these two type-checking macros under GCC. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init (brig_lazy_curl()->curl_global_init)
#define curl_global_cleanup (brig_lazy_curl()->curl_global_cleanup)
#define curl_easy_init (brig_lazy_curl()->curl_easy_init)
#define curl_easy_setopt (brig_lazy_curl()->curl_easy_setopt)
#define curl_easy_perform (brig_lazy_curl()->curl_easy_perform)
#define curl_easy_getinfo (brig_lazy_curl()->curl_easy_getinfo)
#define curl_easy_cleanup (brig_lazy_curl()->curl_easy_cleanup)
#define curl_easy_strerror (brig_lazy_curl()->curl_easy_strerror)
#endif
