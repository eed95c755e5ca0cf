/* vectorscan: multi-pattern secret rules (brings libstdc++ with it).
 * Loaded on first use — see util/lazylib.h.  Include this instead of the library's headers. */
#ifndef BRIG_UTIL_LAZY_HS_H
#define BRIG_UTIL_LAZY_HS_H
#include <hs.h>
#include "util/lazylib.h"

#define BRIG_LAZY_HS_SYMBOLS(X) \
    X(hs_alloc_scratch) \
    X(hs_compile_multi) \
    X(hs_expression_info) \
    X(hs_free_compile_error) \
    X(hs_free_database) \
    X(hs_free_scratch) \
    X(hs_scan) \

BRIG_LAZY_DECLARE(hs, BRIG_LAZY_HS_SYMBOLS)

#define hs_alloc_scratch (brig_lazy_hs()->hs_alloc_scratch)
#define hs_compile_multi (brig_lazy_hs()->hs_compile_multi)
#define hs_expression_info (brig_lazy_hs()->hs_expression_info)
#define hs_free_compile_error (brig_lazy_hs()->hs_free_compile_error)
#define hs_free_database (brig_lazy_hs()->hs_free_database)
#define hs_free_scratch (brig_lazy_hs()->hs_free_scratch)
#define hs_scan (brig_lazy_hs()->hs_scan)
#endif
