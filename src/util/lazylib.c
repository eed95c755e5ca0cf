#include "util/lazylib.h"
#include "util/err.h"
#include "util/exitcodes.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lazy_lock = PTHREAD_MUTEX_INITIALIZER;

/* 0, or the exit code with the message recorded (brig_fail). */
int brig_lazylib_try(brig_lazylib *lib) {
    pthread_mutex_lock(&lazy_lock);
    int rc = 0;
    if (!lib->handle) {
        void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char *e = dlerror();
            rc = brig_fail(BRIG_EXIT_SYSTEM, "cannot load %s (%s); install the Debian package %s", lib->soname,
                           e ? e : "not found", lib->package);
        }
        for (size_t i = 0; h && i < lib->count; i++) {
            void *fn = dlsym(h, lib->names[i]);
            if (!fn) {
                rc = brig_fail(BRIG_EXIT_SYSTEM, "cannot load %s (it lacks %s; a newer version is needed); install the "
                               "Debian package %s", lib->soname, lib->names[i], lib->package);
                dlclose(h);
                break;
            }
            /* The slots struct holds only function pointers, all the size of void *. */
            memcpy((char *)lib->slots + i * sizeof fn, &fn, sizeof fn);
        }
        if (!rc) __atomic_store_n(&lib->handle, h, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&lazy_lock);
    return rc;
}

void brig_lazylib_load(brig_lazylib *lib) {
    int rc = brig_lazylib_try(lib);
    if (rc) {
        fprintf(stderr, "brig: %s\n", brig_errmsg());
        exit(rc);
    }
}
