/* Signal names as kill(1)/runc accept them: "TERM", "SIGTERM", "15". */
#include "runtime/rt.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct { const char *n; int s; } sigs[] = {
    { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL }, { "TRAP", SIGTRAP },
    { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
    { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
    { "TERM", SIGTERM }, { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
    { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU },
    { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
    { "POLL", SIGPOLL }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

int rt_parse_signal(const char *s) {
    if (!s || !*s) return -1;
    char *end;
    long v = strtol(s, &end, 10);
    if (!*end) return (v > 0 && v < NSIG) ? (int)v : -1;
    if (!strncasecmp(s, "SIG", 3)) s += 3;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) if (!strcasecmp(s, sigs[i].n)) return sigs[i].s;
    if (!strncasecmp(s, "RTMIN", 5)) {
        long off = s[5] ? strtol(s + 5, &end, 10) : 0;
        if (*end || off < 0 || SIGRTMIN + off > SIGRTMAX) return -1;
        return SIGRTMIN + (int)off;
    }
    return -1;
}
