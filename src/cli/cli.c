#include "cli/cli.h"
#include "util/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

brig_globals brig_g;

int brig_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, const char *cmd) {
    char so[256];
    size_t i = 0;
    if (shortopts[0] == '+' || shortopts[0] == '-') so[i++] = *shortopts++;
    so[i++] = ':';
    snprintf(so + i, sizeof so - i, "%s", shortopts);
    opterr = 0;
    int c = getopt_long(argc, argv, so, longopts, NULL);
    if (c == '?' || c == ':') {
        const char *bad = argv[optind - 1] ? argv[optind - 1] : "";
        if (c == ':')
            brig_usage_error(cmd, "option '%s' needs a value", bad);
        else if (optopt && strncmp(bad, "--", 2) != 0)
            brig_usage_error(cmd, "unknown option '-%c'", optopt);
        else
            brig_usage_error(cmd, "unknown option '%s'", bad);
        return '?';
    }
    return c;
}

int brig_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    fprintf(stderr, "brig %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'brig %s --help'.\n", cmd);
    va_end(ap);
    return BRIG_EXIT_USAGE;
}

bool brig_stdout_tty(void) { return isatty(1); }
bool brig_stderr_tty(void) { return isatty(2); }

static int progress_shown;
void brig_progress(const char *label, unsigned long long done, unsigned long long total) {
    if (!isatty(2)) return;
    if (total) fprintf(stderr, "\r\033[K%s %3llu%%", label, done * 100 / total);
    else fprintf(stderr, "\r\033[K%s %llu", label, done);
    progress_shown = 1;
}
void brig_progress_done(void) {
    if (progress_shown && isatty(2)) fputs("\r\033[K", stderr);
    progress_shown = 0;
}
