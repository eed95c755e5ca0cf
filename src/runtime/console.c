/* process.terminal: the container gets a pty from its own devpts instance and
 * the master side is handed to the caller over --console-socket (SCM_RIGHTS,
 * message payload = the pty name), exactly as runc does for conmon. */
#include "runtime/rt.h"
#include "util/err.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int rt_console_connect(const char *path, int *fd) {
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path)
        return brig_fail(BRIG_EXIT_INPUT, "--console-socket %s: path is longer than %zu bytes", path, sizeof sa.sun_path - 1);
    strcpy(sa.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "socket");
    if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int rc = brig_fail_errno(BRIG_EXIT_INPUT, "--console-socket %s: cannot connect", path);
        close(s); return rc;
    }
    *fd = s;
    return 0;
}

static int send_fd(int sock, int fd, const char *name) {
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { (void *)name, strlen(name) };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    while (sendmsg(sock, &mh, 0) < 0) {
        if (errno == EINTR) continue;
        return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot send the terminal to --console-socket");
    }
    return 0;
}

int rt_console_setup(int sockfd, int w, int h) {
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "/dev/ptmx inside the container: cannot open (is devpts mounted on /dev/pts?)");
    if (grantpt(m) != 0 || unlockpt(m) != 0) { close(m); return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot unlock the pty"); }
    char name[64];
    if (ptsname_r(m, name, sizeof name) != 0) { close(m); return brig_fail_errno(BRIG_EXIT_SYSTEM, "ptsname"); }
    int sl = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (sl < 0) { close(m); return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot open the pty", name); }
    if (w > 0 && h > 0) {
        struct winsize ws = { .ws_row = (unsigned short)h, .ws_col = (unsigned short)w };
        ioctl(sl, TIOCSWINSZ, &ws);
    }
    int rc = send_fd(sockfd, m, name);
    close(m);
    if (rc) { close(sl); return rc; }
    if (setsid() < 0 && errno != EPERM) { close(sl); return brig_fail_errno(BRIG_EXIT_SYSTEM, "setsid"); }
    if (ioctl(sl, TIOCSCTTY, 0) != 0) { close(sl); return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot make the pty the controlling terminal"); }
    for (int i = 0; i < 3; i++) if (dup2(sl, i) < 0) { close(sl); return brig_fail_errno(BRIG_EXIT_SYSTEM, "dup2 pty"); }
    if (sl > 2) close(sl);
    return 0;
}

static int recv_fd(int sock) {
    char buf[256], cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { buf, sizeof buf };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    ssize_t n;
    do n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC); while (n < 0 && errno == EINTR);
    if (n <= 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

static volatile sig_atomic_t winch;
static void on_winch(int sig) { (void)sig; winch = 1; }

int rt_console_relay(int sock, pid_t child) {
    (void)child;
    int m = recv_fd(sock);
    if (m < 0) return brig_fail(BRIG_EXIT_SYSTEM, "did not receive the container's terminal");
    struct termios saved, raw;
    bool tty = isatty(0) && tcgetattr(0, &saved) == 0;
    if (tty) { raw = saved; cfmakeraw(&raw); tcsetattr(0, TCSANOW, &raw); }
    struct sigaction sa = { .sa_handler = on_winch };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL);
    winch = 1;
    char buf[16384];
    bool in_open = true;
    for (;;) {
        if (winch && tty) { struct winsize ws; if (ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(m, TIOCSWINSZ, &ws); winch = 0; }
        struct pollfd pf[2] = { { m, POLLIN, 0 }, { in_open ? 0 : -1, POLLIN, 0 } };
        int r = poll(pf, 2, -1);
        if (r < 0) { if (errno == EINTR) continue; break; }
        if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(m, buf, sizeof buf);
            if (n <= 0) break;   /* EIO: the container closed its side */
            for (ssize_t off = 0; off < n; ) { ssize_t w = write(1, buf + off, (size_t)(n - off)); if (w <= 0) break; off += w; }
        }
        if (in_open && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(0, buf, sizeof buf);
            if (n <= 0) in_open = false;
            else for (ssize_t off = 0; off < n; ) { ssize_t w = write(m, buf + off, (size_t)(n - off)); if (w <= 0) break; off += w; }
        }
    }
    if (tty) tcsetattr(0, TCSANOW, &saved);
    close(m);
    return 0;
}
