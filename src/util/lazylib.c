#include "util/lazylib.h"
#include "util/err.h"
#include "util/exitcodes.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lazy_lock = PTHREAD_MUTEX_INITIALIZER;

static _Noreturn void lazy_die(const brig_lazylib *lib, const char *why) {
    fprintf(stderr, "brig: cannot load %s (%s); install the Debian package %s\n", lib->soname, why, lib->package);
    exit(BRIG_EXIT_SYSTEM);
}

void brig_lazylib_load(brig_lazylib *lib) {
    pthread_mutex_lock(&lazy_lock);
    if (lib->handle) { pthread_mutex_unlock(&lazy_lock); return; }
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) lazy_die(lib, dlerror());
    for (size_t i = 0; i < lib->count; i++) {
        void *fn = dlsym(h, lib->names[i]);
        if (!fn) {
            char why[160];
            snprintf(why, sizeof why, "it lacks %s; a newer version is needed", lib->names[i]);
            lazy_die(lib, why);
        }
        /* The slots struct holds only function pointers, all the size of void *. */
        memcpy((char *)lib->slots + i * sizeof fn, &fn, sizeof fn);
    }
    __atomic_store_n(&lib->handle, h, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&lazy_lock);
}
