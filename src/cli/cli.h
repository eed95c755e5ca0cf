/* Command-line plumbing shared by every subcommand. */
#ifndef BRIG_CLI_CLI_H
#define BRIG_CLI_CLI_H
#include <getopt.h>
#include <stdbool.h>

/* Global flags given before the command (the OCI runtime ones are passed by
 * Podman/containerd: `brig --root R --log L --log-format json create ...`). */
typedef struct {
    const char *root;        /* runtime state directory, default /run/brig */
    const char *log;         /* runtime log file */
    const char *log_format;  /* "text" | "json" */
    bool systemd_cgroup;
    bool rootless_given;
    const char *rootless;    /* "true"|"false"|"auto" */
    bool debug;
    bool oci_mode;           /* any runtime-only global flag was given */
} brig_globals;
extern brig_globals brig_g;

/* getopt_long with brig's own messages: unknown options and missing arguments
 * print "brig CMD: unknown option '--x'" + a hint and yield '?'.  Set
 * optind = 0 before the first call for a command. */
int brig_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, const char *cmd);

/* Prints "brig CMD: <msg>\nTry 'brig CMD --help'." and returns BRIG_EXIT_USAGE. */
int brig_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when stdout/stderr are terminals (table output, progress). */
bool brig_stdout_tty(void);
bool brig_stderr_tty(void);

/* Progress line on stderr when it is a TTY ("\r<label> 42%"); no-op otherwise. */
void brig_progress(const char *label, unsigned long long done, unsigned long long total);
void brig_progress_done(void);

/* A subcommand: returns an exit code (messages already printed or recorded). */
typedef int (*brig_cmd_fn)(int argc, char **argv);
#endif
