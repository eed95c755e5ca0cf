/* `brig scan --secrets DIR`: every regular file under DIR, symlinks never
 * followed (a link could point outside the tree or at a device). */
#include "secrets/scanctx.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* nftw has no user pointer: one directory scan at a time per thread. */
static _Thread_local brig_secrets_ctx *cur;
static _Thread_local const char *cur_root;
static _Thread_local int walk_rc;

static int read_regular(brig_secrets_ctx *c, const char *full, size_t *len) {
    int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open", full);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { close(fd); *len = 0; return -1; }
    size_t max = c->opts->max_file_bytes;
    if ((uint64_t)st.st_size > max) { close(fd); *len = (size_t)st.st_size; return -2; }
    size_t want = (size_t)st.st_size + 1;
    if (want > c->cap) { free(c->buf); c->cap = want < 65536 ? 65536 : want; c->buf = xmalloc(c->cap); }
    size_t n = 0;
    /* The file may grow while we read: never beyond the limit. */
    while (n < c->cap - 1) {
        ssize_t r = read(fd, c->buf + n, c->cap - 1 - n);
        if (r < 0) { if (errno == EINTR) continue; int rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: read failed", full); close(fd); return rc; }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    c->buf[n] = 0;
    *len = n;
    return 0;
}

static int visit(const char *full, const struct stat *sb, int type, struct FTW *ftw) {
    (void)sb; (void)ftw;
    brig_secrets_ctx *c = cur;
    if (type == FTW_DNR) { brig_warn("%s: directory not readable, skipped", full); return 0; }
    if (type != FTW_F) return 0;
    if (!S_ISREG(sb->st_mode)) return 0;
    size_t rl = strlen(cur_root);
    const char *rel = full + rl;
    while (*rel == '/') rel++;
    if (!*rel) rel = full;   /* DIR was a file */
    if (brig_secrets_ctx_path_skipped(c, rel)) { c->files_skipped++; return 0; }
    size_t len = 0;
    int rc = read_regular(c, full, &len);
    if (rc == -1) return 0;
    if (rc == -2) { brig_debug("%s: %zu bytes is over the --secret-max-size limit, skipped", full, len); c->files_skipped++; return 0; }
    if (rc) { brig_warn("%s", brig_errmsg()); brig_err_clear(); c->files_skipped++; return 0; }
    if (brig_secrets_is_binary(c->buf, len)) { c->files_skipped++; return 0; }
    c->label = full;
    rc = brig_secrets_ctx_scan(c, rel, c->buf, len);
    c->label = NULL;
    if (rc) { walk_rc = rc; return 1; }
    return 0;
}

int brig_secrets_scan_dir(const char *dir, const brig_secrets_opts *o, brig_findings *out) {
    brig_secrets_opts def;
    if (!o) { brig_secrets_opts_default(&def); o = &def; }
    struct stat st;
    if (lstat(dir, &st) != 0) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot scan for secrets", dir);
    brig_secrets_ctx c;
    int rc = brig_secrets_ctx_init(&c, o, out);
    if (rc) return rc;
    cur = &c; cur_root = dir; walk_rc = 0;
    int r = nftw(dir, visit, 64, FTW_PHYS);
    if (r < 0 && !walk_rc) rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot walk the directory", dir);
    else rc = walk_rc;
    brig_debug("secrets: %zu files (%zu bytes) scanned, %zu skipped under %s", c.files_scanned, c.bytes_scanned, c.files_skipped, dir);
    cur = NULL; cur_root = NULL;
    brig_secrets_ctx_free(&c);
    return rc;
}
