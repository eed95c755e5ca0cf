/* Blob sources: an OCI layout directory, or an outer tar (oci-archive,
 * docker-archive) whose members are read in place by offset.  A compressed
 * outer tar is decompressed once into an unlinked temporary file. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "util/lazy_archive.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

ssize_t blob_pread(const blob_ref *b, void *buf, size_t n, uint64_t off) {
    if (off >= b->size) return 0;
    if (n > b->size - off) n = (size_t)(b->size - off);
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(b->fd, (char *)buf + got, n - got, (off_t)(b->off + off + got));
        if (r < 0) { if (errno == EINTR) continue; return -1; }
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

void blob_ref_close(blob_ref *b) {
    if (b->owns_fd && b->fd >= 0) close(b->fd);
    b->fd = -1; b->owns_fd = false;
}

char *blob_path_for_digest(const char *digest) {
    const char *hex;
    if (!digest || !brig_digest_valid(digest, &hex)) return NULL;
    return xasprintf("blobs/sha256/%s", hex);
}

int blobsrc_open_dir(blobsrc *s, const char *path) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->name = xstrdup(path);
    s->dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (s->dirfd < 0) { int rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open image directory", path); blobsrc_close(s); return rc; }
    return 0;
}

static ssize_t fd_pread(void *ctx, void *buf, size_t n, uint64_t off) {
    blob_ref b = { .fd = *(int *)ctx, .off = 0, .size = UINT64_MAX };
    return blob_pread(&b, buf, n, off);
}

/* Decompress `in` (gzip/zstd/xz/bzip2) into an unlinked temp file, bounded. */
static int decompress_to_temp(const char *name, int in, uint64_t max, int *out) {
    int fd = brig_scratch_file();
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create a temporary file to decompress %s", brig_scratch_dir(), name);
    struct archive *a = archive_read_new();
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_format_raw(a);
    int rc = 0;
    struct archive_entry *e;
    if (lseek(in, 0, SEEK_SET) < 0 || archive_read_open_fd(a, in, 1 << 16) != ARCHIVE_OK ||
        archive_read_next_header(a, &e) != ARCHIVE_OK) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot decompress: %s", name, archive_error_string(a) ? archive_error_string(a) : "unknown format");
        goto out;
    }
    char *buf = xmalloc(1 << 17);
    uint64_t total = 0;
    for (;;) {
        la_ssize_t r = archive_read_data(a, buf, 1 << 17);
        if (r == 0) break;
        if (r < 0) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: decompression failed after %llu bytes: %s", name, (unsigned long long)total, archive_error_string(a)); break; }
        total += (uint64_t)r;
        if (total > max) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: decompresses to more than %llu bytes (decompression bomb?); raise --max-size if this is genuine", name, (unsigned long long)max); break; }
        if (brig_write_all(fd, buf, (size_t)r) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: writing the decompressed copy failed", name); break; }
    }
    free(buf);
out:
    archive_read_free(a);
    if (rc) { close(fd); return rc; }
    *out = fd;
    return 0;
}

int blobsrc_open_tar(blobsrc *s, const char *path, const brig_limits *lim) {
    memset(s, 0, sizeof *s);
    s->dirfd = -1;
    s->name = xstrdup(path);
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = 0;
    if (s->fd < 0) { rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open image archive", path); goto fail; }
    struct stat st;
    if (fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: not a regular file", path); goto fail; }
    unsigned char mg[6] = {0};
    ssize_t n = pread(s->fd, mg, sizeof mg, 0);
    bool compressed = n >= 4 && ((mg[0] == 0x1f && mg[1] == 0x8b) || (mg[0] == 0x28 && mg[1] == 0xb5 && mg[2] == 0x2f && mg[3] == 0xfd) ||
                                 (mg[0] == 0xfd && mg[1] == '7' && mg[2] == 'z' && mg[3] == 'X') || (mg[0] == 'B' && mg[1] == 'Z' && mg[2] == 'h'));
    if (compressed) {
        int t = -1;
        rc = decompress_to_temp(path, s->fd, lim->max_total_bytes, &t);
        if (rc) goto fail;
        close(s->fd);
        s->fd = t;
        s->was_compressed = true;
        if (fstat(s->fd, &st) != 0) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: stat of decompressed copy", path); goto fail; }
    }
    s->tar_size = (uint64_t)st.st_size;
    s->is_tar = 1;
    rc = tar_index_build(&s->ix, path, fd_pread, &s->fd, s->tar_size, lim);
    if (rc) { s->is_tar = 0; goto fail; }
    return 0;
fail:
    blobsrc_close(s);
    return rc;
}

void blobsrc_close(blobsrc *s) {
    if (s->is_tar) tar_index_free(&s->ix);
    if (s->fd >= 0) close(s->fd);
    if (s->dirfd >= 0) close(s->dirfd);
    free(s->name);
    memset(s, 0, sizeof *s);
    s->fd = s->dirfd = -1;
}

int blobsrc_find(blobsrc *s, const char *rel, blob_ref *out) {
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (s->is_tar) {
        const tar_member *m = tar_index_find(&s->ix, rel);
        if (!m || m->type != '0') return brig_fail(BRIG_EXIT_INPUT, "%s: member '%s' is missing", s->name, rel);
        out->fd = s->fd; out->off = m->off; out->size = m->size;
        return 0;
    }
    /* Stay inside the layout directory whatever symlinks it contains. */
    struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
    int fd = (int)syscall(SYS_openat2, s->dirfd, rel, &how, sizeof how);
    if (fd < 0) {
        if (errno == ENOENT) return brig_fail(BRIG_EXIT_INPUT, "%s/%s: missing", s->name, rel);
        return brig_fail_errno(BRIG_EXIT_INPUT, "%s/%s: cannot open", s->name, rel);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return brig_fail(BRIG_EXIT_INPUT, "%s/%s: not a regular file", s->name, rel);
    }
    out->fd = fd; out->owns_fd = true; out->size = (uint64_t)st.st_size;
    return 0;
}

bool blobsrc_exists(blobsrc *s, const char *rel) {
    if (s->is_tar) return tar_index_find(&s->ix, rel) != NULL;
    struct stat st;
    return fstatat(s->dirfd, rel, &st, 0) == 0 && S_ISREG(st.st_mode);
}

int blobsrc_read(blobsrc *s, const char *rel, size_t max, char **buf, size_t *len) {
    blob_ref b;
    int rc = blobsrc_find(s, rel, &b);
    if (rc) return rc;
    if (b.size > max) {
        blob_ref_close(&b);
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: %s is %llu bytes, over the %zu-byte limit for JSON documents",
                         s->name, rel, (unsigned long long)b.size, max);
    }
    char *d = xmalloc(b.size + 1);
    ssize_t r = blob_pread(&b, d, b.size, 0);
    blob_ref_close(&b);
    if (r != (ssize_t)b.size) { free(d); return brig_fail_errno(BRIG_EXIT_INPUT, "%s: %s: short read", s->name, rel); }
    d[b.size] = 0;
    *buf = d; *len = b.size;
    return 0;
}
