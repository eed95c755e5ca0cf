/* Error reporting: functions return an exit code (see exitcodes.h) and leave a
 * human message here; the CLI prints it once.  Keeping the message out of
 * stderr until the top lets library code (and unit tests) inspect it. */
#ifndef BRIG_UTIL_ERR_H
#define BRIG_UTIL_ERR_H
#include <stdarg.h>
#include "util/exitcodes.h"

/* Record an error message and return `code` (so `return brig_fail(...)`). */
int brig_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like brig_fail, appends ": strerror(errno)". */
int brig_fail_errno(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the current message with context ("layer 3: " ...), returns `code`. */
int brig_fail_context(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *brig_errmsg(void);
void brig_err_clear(void);

/* Immediate diagnostics on stderr, prefixed "brig: warning: " / "brig: error: ". */
void brig_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void brig_print_error(int code);   /* prints the recorded message (or a generic one) */

/* Global verbosity: 0 normal, 1 --verbose/--debug. */
extern int brig_verbose;
void brig_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
