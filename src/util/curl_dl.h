/* libcurl loaded on first use (dlopen) instead of at start-up.  Linking it
 * directly pulls in GnuTLS/Kerberos/LDAP initialisers that cost ~4 ms on every
 * brig invocation — including each OCI runtime call Podman makes — while only
 * `brig db update` needs it.  Include after <curl/curl.h>; call
 * brig_curl_load() before any curl function. */
#ifndef BRIG_UTIL_CURL_DL_H
#define BRIG_UTIL_CURL_DL_H
#include <curl/curl.h>

typedef struct {
    CURLcode (*global_init)(long);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
} brig_curl_api;
extern brig_curl_api brig_curl;

/* Returns 0, or BRIG_EXIT_SYSTEM with a message naming the missing library. */
int brig_curl_load(void);

#define curl_global_init    brig_curl.global_init
#define curl_global_cleanup brig_curl.global_cleanup
#define curl_easy_init      brig_curl.easy_init
#define curl_easy_perform   brig_curl.easy_perform
#define curl_easy_cleanup   brig_curl.easy_cleanup
#define curl_easy_strerror  brig_curl.easy_strerror
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_setopt    brig_curl.easy_setopt
#define curl_easy_getinfo   brig_curl.easy_getinfo
#endif
