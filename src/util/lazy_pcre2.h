/* PCRE2: secret value extraction.
 * Loaded on first use — see util/lazylib.h.  Include this instead of the library's headers. */
#ifndef BRIG_UTIL_LAZY_PCRE2_H
#define BRIG_UTIL_LAZY_PCRE2_H
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include "util/lazylib.h"

#define BRIG_LAZY_PCRE2_SYMBOLS(X) \
    X(pcre2_code_free_8) \
    X(pcre2_compile_8) \
    X(pcre2_get_error_message_8) \
    X(pcre2_get_ovector_pointer_8) \
    X(pcre2_jit_compile_8) \
    X(pcre2_match_8) \
    X(pcre2_match_context_copy_8) \
    X(pcre2_match_context_create_8) \
    X(pcre2_match_context_free_8) \
    X(pcre2_match_data_create_8) \
    X(pcre2_match_data_free_8) \
    X(pcre2_pattern_info_8) \
    X(pcre2_set_depth_limit_8) \
    X(pcre2_set_match_limit_8) \
    X(pcre2_set_offset_limit_8) \

BRIG_LAZY_DECLARE(pcre2, BRIG_LAZY_PCRE2_SYMBOLS)

#define pcre2_code_free_8 (brig_lazy_pcre2()->pcre2_code_free_8)
#define pcre2_compile_8 (brig_lazy_pcre2()->pcre2_compile_8)
#define pcre2_get_error_message_8 (brig_lazy_pcre2()->pcre2_get_error_message_8)
#define pcre2_get_ovector_pointer_8 (brig_lazy_pcre2()->pcre2_get_ovector_pointer_8)
#define pcre2_jit_compile_8 (brig_lazy_pcre2()->pcre2_jit_compile_8)
#define pcre2_match_8 (brig_lazy_pcre2()->pcre2_match_8)
#define pcre2_match_context_copy_8 (brig_lazy_pcre2()->pcre2_match_context_copy_8)
#define pcre2_match_context_create_8 (brig_lazy_pcre2()->pcre2_match_context_create_8)
#define pcre2_match_context_free_8 (brig_lazy_pcre2()->pcre2_match_context_free_8)
#define pcre2_match_data_create_8 (brig_lazy_pcre2()->pcre2_match_data_create_8)
#define pcre2_match_data_free_8 (brig_lazy_pcre2()->pcre2_match_data_free_8)
#define pcre2_pattern_info_8 (brig_lazy_pcre2()->pcre2_pattern_info_8)
#define pcre2_set_depth_limit_8 (brig_lazy_pcre2()->pcre2_set_depth_limit_8)
#define pcre2_set_match_limit_8 (brig_lazy_pcre2()->pcre2_set_match_limit_8)
#define pcre2_set_offset_limit_8 (brig_lazy_pcre2()->pcre2_set_offset_limit_8)
#endif
