/* Error reporting for the OCI commands.  Podman/containerd read the runtime's
 * errors from the --log file (runc's JSON lines: level, msg, time), so every
 * error is written there as well as to stderr. */
#include "runtime/rt.h"
#include "cli/cli.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void rt_log(const char *level, const char *fmt, ...) {
    if (!brig_g.log) return;
    char msg[4096];
    va_list ap; va_start(ap, fmt); vsnprintf(msg, sizeof msg, fmt, ap); va_end(ap);
    struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm; gmtime_r(&ts.tv_sec, &tm);
    char t[64];
    snprintf(t, sizeof t, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
    char *line;
    if (brig_g.log_format && !strcmp(brig_g.log_format, "json")) {
        json_t *j = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", t);
        char *s = json_dumps(j, JSON_COMPACT);
        line = xasprintf("%s\n", s);
        free(s); json_decref(j);
    } else {
        line = xasprintf("time=\"%s\" level=%s msg=\"%s\"\n", t, level, msg);
    }
    int fd = open(brig_g.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) { if (write(fd, line, strlen(line)) < 0) { /* nowhere left to report */ } close(fd); }
    free(line);
}

int rt_report(int rc) {
    if (rc == 0) return 0;
    const char *m = brig_errmsg();
    rt_log("error", "%s", m[0] ? m : "operation failed");
    brig_print_error(rc);
    return rc;
}

int rt_check_globals(const char *cmd) {
    (void)cmd;
    if (brig_g.systemd_cgroup)
        return rt_report(brig_fail(BRIG_EXIT_NOTIMPL, "--systemd-cgroup is not supported: brig manages cgroups through cgroupfs only; "
                                   "use podman --cgroup-manager cgroupfs or drop the flag"));
    if (brig_g.log_format && strcmp(brig_g.log_format, "json") && strcmp(brig_g.log_format, "text"))
        return rt_report(brig_fail(BRIG_EXIT_USAGE, "--log-format must be text or json, not '%s'", brig_g.log_format));
    return 0;
}
