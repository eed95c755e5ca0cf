/* Libraries loaded on first use (dlopen) instead of at start-up.
 *
 * Linking libarchive, libcrypto, vectorscan, sqlite, PCRE2 and libsodium makes
 * the dynamic loader resolve ~9,000 symbol relocations (libstdc++, ICU and
 * libxml2 come with them) before main() on *every* brig invocation, including
 * each OCI runtime call Podman makes — and the runtime path needs none of them.
 *
 * Each library has a header `util/lazy_NAME.h` that includes the library's own
 * headers, declares a struct of function pointers typed with __typeof__ of the
 * real prototypes (so no signature is written twice), and #defines every used
 * function name to its slot.  Call sites keep the library's API unchanged;
 * they only include the lazy header instead of the library header.  A missing
 * library stops brig with exit code 6 and the Debian package to install. */
#ifndef BRIG_UTIL_LAZYLIB_H
#define BRIG_UTIL_LAZYLIB_H
#include <stddef.h>

typedef struct {
    const char *soname;          /* e.g. "libarchive.so.13" */
    const char *package;         /* Debian package that ships it */
    const char *const *names;    /* symbol names, in slot order */
    size_t count;
    void *slots;                 /* struct of `count` function pointers */
    void *handle;                /* set (release) once every slot is filled */
} brig_lazylib;

/* Loads the library and fills every slot; on failure prints what to install and
 * exits with BRIG_EXIT_SYSTEM — a call site cannot go on without the function. */
void brig_lazylib_load(brig_lazylib *lib);
/* The same without exiting: 0, or BRIG_EXIT_SYSTEM with the message recorded
 * (brig_fail) — for libraries a command can do without (librpm, libcurl). */
int brig_lazylib_try(brig_lazylib *lib);

static inline void brig_lazylib_need(brig_lazylib *lib) {
    if (__builtin_expect(!__atomic_load_n(&lib->handle, __ATOMIC_ACQUIRE), 0)) brig_lazylib_load(lib);
}

/* Helpers for the per-library headers and their .c files. */
#define BRIG_LAZY_SLOT(sym) __typeof__(&sym) sym;
#define BRIG_LAZY_NAME(sym) #sym,
#define BRIG_LAZY_DEFINE(tag, soname_, package_, SYMS)                               \
    struct brig_lazy_##tag##_api brig_lazy_##tag##_fns;                               \
    static const char *const brig_lazy_##tag##_names[] = { SYMS(BRIG_LAZY_NAME) };    \
    brig_lazylib brig_lazy_##tag##_lib = { soname_, package_, brig_lazy_##tag##_names, \
        sizeof brig_lazy_##tag##_names / sizeof brig_lazy_##tag##_names[0], &brig_lazy_##tag##_fns, NULL };
#define BRIG_LAZY_DECLARE(tag, SYMS)                                                  \
    struct brig_lazy_##tag##_api { SYMS(BRIG_LAZY_SLOT) };                            \
    extern struct brig_lazy_##tag##_api brig_lazy_##tag##_fns;                       \
    extern brig_lazylib brig_lazy_##tag##_lib;                                        \
    static inline struct brig_lazy_##tag##_api *brig_lazy_##tag(void) {              \
        brig_lazylib_need(&brig_lazy_##tag##_lib);                                    \
        return &brig_lazy_##tag##_fns;                                                \
    }
#endif
