#include "util/lazy_rpm.h"
#include "util/err.h"
#include <stdlib.h>

BRIG_LAZY_DEFINE(rpm, "librpm.so.9", "librpm9", BRIG_LAZY_RPM_SYMBOLS)

/* A missing librpm must not stop a scan (see the header): the non-exiting loader. */
int brig_lazy_rpm_available(void) {
    const char *alt = getenv("BRIG_LIBRPM");
    if (alt && *alt) brig_lazy_rpm_lib.soname = alt;
    int rc = brig_lazylib_try(&brig_lazy_rpm_lib);
    return rc ? BRIG_EXIT_NOTIMPL : 0;
}
