/* Passphrase acquisition for private keys.  The environment wins so that CI
 * and scripts never block on a prompt; a terminal prompt never echoes. */
#include "trust/keys.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int read_tty_line(int fd, const char *prompt, char **out) {
    struct termios old, quiet;
    bool restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(fd, TCSANOW, &quiet);   /* not FLUSH: keep typed-ahead input */
    }
    if (write(fd, prompt, strlen(prompt)) < 0) { /* prompt is best effort */ }
    char buf[1024];
    size_t n = 0;
    int rc = 0;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0 || c == '\n') break;
        if (n + 1 >= sizeof buf) { rc = brig_fail(BRIG_EXIT_INPUT, "passphrase longer than %zu bytes", sizeof buf - 1); break; }
        buf[n++] = c;
    }
    buf[n] = 0;
    if (restore) tcsetattr(fd, TCSANOW, &old);
    if (write(fd, "\n", 1) < 0) { /* cosmetic */ }
    if (!rc) *out = xstrdup(buf);
    explicit_bzero(buf, sizeof buf);
    return rc;
}

int trust_passphrase_get(const char *prompt, bool confirm, char **out) {
    const char *env = getenv("BRIG_PASSWORD");
    if (!env) env = getenv("COSIGN_PASSWORD");
    if (env) { *out = xstrdup(env); return 0; }
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || !isatty(fd)) {
        if (fd >= 0) close(fd);
        return brig_fail(BRIG_EXIT_INPUT, "no passphrase: set BRIG_PASSWORD (or COSIGN_PASSWORD), "
                         "or run on a terminal to be prompted");
    }
    char *a = NULL, *b = NULL;
    int rc = read_tty_line(fd, prompt, &a);
    if (!rc && confirm) {
        rc = read_tty_line(fd, "Enter passphrase again: ", &b);
        if (!rc && strcmp(a, b) != 0) rc = brig_fail(BRIG_EXIT_INPUT, "the two passphrases differ; try again");
    }
    if (!rc && confirm && a[0] == 0)
        rc = brig_fail(BRIG_EXIT_INPUT, "empty passphrase refused on the terminal; to write an unencrypted key "
                       "set BRIG_PASSWORD= (empty) explicitly");
    close(fd);
    if (b) { explicit_bzero(b, strlen(b)); free(b); }
    if (rc) { if (a) { explicit_bzero(a, strlen(a)); free(a); } return rc; }
    *out = a;
    return 0;
}
