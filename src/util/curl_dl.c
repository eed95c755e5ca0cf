#include <curl/curl.h>
#include "util/curl_dl.h"
#include "util/err.h"
#include <dlfcn.h>
#include <stddef.h>

brig_curl_api brig_curl;

int brig_curl_load(void) {
    static void *h;
    if (h) return 0;
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return brig_fail(BRIG_EXIT_SYSTEM, "cannot load libcurl (%s); install the Debian package libcurl4", dlerror());
    struct { void **slot; const char *name; } syms[] = {
        { (void **)&brig_curl.global_init, "curl_global_init" },
        { (void **)&brig_curl.global_cleanup, "curl_global_cleanup" },
        { (void **)&brig_curl.easy_init, "curl_easy_init" },
        { (void **)&brig_curl.easy_setopt, "curl_easy_setopt" },
        { (void **)&brig_curl.easy_perform, "curl_easy_perform" },
        { (void **)&brig_curl.easy_getinfo, "curl_easy_getinfo" },
        { (void **)&brig_curl.easy_cleanup, "curl_easy_cleanup" },
        { (void **)&brig_curl.easy_strerror, "curl_easy_strerror" },
    };
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        *syms[i].slot = dlsym(lib, syms[i].name);
        if (!*syms[i].slot) {
            dlclose(lib);
            return brig_fail(BRIG_EXIT_SYSTEM, "libcurl lacks %s; install a current libcurl4", syms[i].name);
        }
    }
    h = lib;
    return 0;
}
