#include "util/err.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ERRMAX 4096
static _Thread_local char errbuf[ERRMAX];
int brig_verbose;

static void vset(const char *fmt, va_list ap) { vsnprintf(errbuf, sizeof errbuf, fmt, ap); }

int brig_fail(int code, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt); vset(fmt, ap); va_end(ap);
    return code;
}

int brig_fail_errno(int code, const char *fmt, ...) {
    int e = errno;
    va_list ap; va_start(ap, fmt); vset(fmt, ap); va_end(ap);
    size_t n = strlen(errbuf);
    snprintf(errbuf + n, sizeof errbuf - n, ": %s", strerror(e));
    return code;
}

int brig_fail_context(int code, const char *fmt, ...) {
    char prefix[1024], old[ERRMAX];
    va_list ap; va_start(ap, fmt); vsnprintf(prefix, sizeof prefix, fmt, ap); va_end(ap);
    memcpy(old, errbuf, sizeof old);
    /* Truncation of an over-long message is acceptable; build it piecewise. */
    size_t pl = strnlen(prefix, sizeof prefix - 1);
    memcpy(errbuf, prefix, pl);
    errbuf[pl] = 0;
    strncat(errbuf, ": ", sizeof errbuf - strlen(errbuf) - 1);
    strncat(errbuf, old[0] ? old : "failed", sizeof errbuf - strlen(errbuf) - 1);
    return code;
}

const char *brig_errmsg(void) { return errbuf; }
void brig_err_clear(void) { errbuf[0] = 0; }

void brig_warn(const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    fputs("brig: warning: ", stderr); vfprintf(stderr, fmt, ap); fputc('\n', stderr);
    va_end(ap);
}

void brig_debug(const char *fmt, ...) {
    if (!brig_verbose) return;
    va_list ap; va_start(ap, fmt);
    fputs("brig: debug: ", stderr); vfprintf(stderr, fmt, ap); fputc('\n', stderr);
    va_end(ap);
}

void brig_print_error(int code) {
    if (code == BRIG_EXIT_OK) return;
    fprintf(stderr, "brig: error: %s\n", errbuf[0] ? errbuf : "operation failed (no detail recorded)");
}
