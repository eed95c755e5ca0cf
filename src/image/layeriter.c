/* One layer as a stream of normalised entries.
 *
 * Tar layers are read through two libarchive readers: the outer one (raw
 * format, gzip/zstd auto-detected) pulls the stored blob via pread and hashes
 * the compressed bytes; the inner one (tar) pulls the decompressed stream
 * from the outer and hashes it for the diff_id.  After the tar's end both
 * streams are drained through their hashes, so the end of a layer is only
 * reported once its digest and diff_id are verified.
 *
 * layer_iter_open_names() first reads every entry name of the layer, so each
 * entry can say whether a later entry of the same layer replaces it (tar
 * semantics: the last one wins; Kaniko and some buildah layers name a file
 * twice).  For a compressed blob the decompressed stream is copied into an
 * unlinked temporary file (brig_scratch_file: $TMPDIR, else /var/tmp) while the names are read,
 * both digests are verified, and the entries are delivered from that private
 * copy: the layer is decompressed only once (a second decompression would add
 * about 60% to a walk; the copy adds about 6%), and no caller sees unverified
 * content.  An uncompressed blob is read twice in place (copying it would
 * cost more than reading it again) and verified while it is delivered.
 * Both passes must agree on every name — a layer that reads differently the
 * second time is refused — so a blob changed between the passes cannot give
 * its entries a wrong state.
 *
 * dir: images are walked with fstatat(AT_SYMLINK_NOFOLLOW) relative to the
 * parent directory fd, so a symlink never leads the walk outside the root. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "util/lazy_archive.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define RBUF (1 << 17)

typedef struct {
    int fd;
    char **names; size_t n, i;
    char *prefix;             /* "" or "a/b/" */
} dir_frame;

struct layer_iter {
    brig_image *img;
    size_t layer;
    layer_counters *cnt;
    const brig_limits *lim;
    int rc;                   /* error raised inside a libarchive callback */
    bool done, raw_only;
    /* tar layers */
    blob_ref *blob;
    uint64_t pos, ubytes, ulimit;
    brig_sha256 *hc, *hu;
    struct archive *outer, *inner;
    bool outer_eof;
    char *rbuf, *ubuf;
    /* current entry */
    layer_entry cur;
    char *path_s, *link_s;
    /* dir images */
    bool is_dir;
    dir_frame *st; size_t nst, capst;
    int cur_parent; char *cur_name; int cur_fd;
    strmap inodes;            /* "dev:ino" -> first path, to report hardlinks */
    bool inodes_init;
    /* names pass (layer_iter_open_names) */
    bool want_names, names_init;
    strmap names;             /* path -> name_count: entries of this layer not yet delivered */
    int spool_fd;             /* decompressed copy of a compressed blob (names pass), or -1 */
    uint64_t spool_pos;
    uint64_t names_pos;       /* names pass over an uncompressed blob: read position */
    bool spooling, verified;  /* writing the copy / digests checked before delivery */
};

typedef struct { uint32_t nondir, any; } name_count;

int blob_mismatch(brig_image *img, size_t layer, const char *what, const char *want, const char *got_hex) {
    if (!strcmp(what, "blob"))
        return brig_fail(BRIG_EXIT_INTEGRITY, "blob %s (layer %zu of %s): content hashes to sha256:%s — image is corrupted or tampered with; refusing it",
                         want, layer, img->ref, got_hex);
    return brig_fail(BRIG_EXIT_INTEGRITY, "layer %zu of %s (blob %s): uncompressed content hashes to sha256:%s but the config's diff_id is %s — image is corrupted or tampered with; refusing it",
                     layer, img->ref, img->layers[layer].digest ? img->layers[layer].digest : "?", got_hex, want);
}

static la_ssize_t outer_read(struct archive *a, void *ctx, const void **buf) {
    layer_iter *it = ctx;
    ssize_t r = blob_pread(it->blob, it->rbuf, RBUF, it->pos);
    if (r < 0) { archive_set_error(a, errno, "read of the layer blob failed"); return -1; }
    brig_sha256_update(it->hc, it->rbuf, (size_t)r);
    it->pos += (uint64_t)r;
    *buf = it->rbuf;
    return r;
}

/* Pull decompressed bytes from the outer reader (hashing them). */
static la_ssize_t pull_outer(layer_iter *it, struct archive *errto) {
    if (it->outer_eof) return 0;
    la_ssize_t r = archive_read_data(it->outer, it->ubuf, RBUF);
    if (r < 0) {
        if (errto) archive_set_error(errto, EIO, "decompression failed: %s", archive_error_string(it->outer));
        if (!it->rc) it->rc = brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: decompression failed: %s", it->layer, it->img->ref, archive_error_string(it->outer));
        return -1;
    }
    if (r == 0) { it->outer_eof = true; return 0; }
    brig_sha256_update(it->hu, it->ubuf, (size_t)r);
    it->ubytes += (uint64_t)r;
    if (it->spooling) {
        if (brig_write_all(it->spool_fd, it->ubuf, (size_t)r) != 0) {
            if (errto) archive_set_error(errto, errno, "writing the decompressed copy failed");
            if (!it->rc) it->rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "layer %zu of %s: writing its decompressed copy to %s failed (set TMPDIR to a larger filesystem)",
                                                  it->layer, it->img->ref, brig_scratch_dir());
            return -1;
        }
    }
    if (it->ubytes > it->ulimit) {
        if (errto) archive_set_error(errto, EIO, "decompressed stream too large");
        it->rc = brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: decompresses to more than %llu bytes — decompression bomb refused (raise --max-size if genuine)",
                           it->layer, it->img->ref, (unsigned long long)it->ulimit);
        return -1;
    }
    return r;
}

static la_ssize_t inner_read(struct archive *a, void *ctx, const void **buf) {
    layer_iter *it = ctx;
    if (it->verified) {   /* delivering from the verified decompressed copy */
        *buf = it->ubuf;
        for (;;) {
            ssize_t r = pread(it->spool_fd, it->ubuf, RBUF, (off_t)it->spool_pos);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) {
                archive_set_error(a, errno, "read of the decompressed copy failed");
                if (!it->rc) it->rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "layer %zu of %s: reading its decompressed copy failed", it->layer, it->img->ref);
                return -1;
            }
            it->spool_pos += (uint64_t)r;
            it->ubytes = it->spool_pos;
            return r;
        }
    }
    la_ssize_t r = pull_outer(it, a);
    *buf = it->ubuf;
    return r;
}

/* Drain both streams through their hashes and compare with the image's
 * digests.  `parse_rc` is a tar/decompression error seen before: when the
 * blob also fails its digest, tampering is the better explanation. */
static int finish_and_verify(layer_iter *it, int parse_rc) {
    if (it->verified) {   /* checked before the first entry was delivered */
        if (!parse_rc) it->done = true;
        return parse_rc;
    }
    if (!parse_rc) {
        la_ssize_t r;
        while ((r = pull_outer(it, NULL)) > 0) {}
        if (r < 0) parse_rc = it->rc;
    }
    while (it->pos < it->blob->size) {
        ssize_t r = blob_pread(it->blob, it->rbuf, RBUF, it->pos);
        if (r <= 0) return brig_fail_errno(BRIG_EXIT_INPUT, "layer %zu of %s: read failed", it->layer, it->img->ref);
        brig_sha256_update(it->hc, it->rbuf, (size_t)r);
        it->pos += (uint64_t)r;
    }
    char hc[65], hu[65];
    brig_sha256_final_hex(it->hc, hc); it->hc = NULL;
    brig_sha256_final_hex(it->hu, hu); it->hu = NULL;
    const brig_layer *l = &it->img->layers[it->layer];
    const char *want;
    if (l->digest && brig_digest_valid(l->digest, &want) && strcmp(want, hc) != 0)
        return blob_mismatch(it->img, it->layer, "blob", l->digest, hc);
    if (parse_rc) return parse_rc;
    if (l->diff_id && brig_digest_valid(l->diff_id, &want) && strcmp(want, hu) != 0)
        return blob_mismatch(it->img, it->layer, "diff_id", l->diff_id, hu);
    it->done = true;
    return 0;
}

static int count_entry(layer_iter *it, const char *name, uint64_t size, bool regular);

/* The entry's type as brig sees it (a hardlink whatever its filetype). */
static brig_ftype tar_entry_type(struct archive_entry *ae, const char **hl) {
    const char *h = archive_entry_hardlink(ae);
    if (!h && archive_entry_hardlink_utf8(ae)) h = archive_entry_hardlink_utf8(ae);
    *hl = h;
    if (h) return BRIG_FT_HARDLINK;
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG: return BRIG_FT_REG;
    case AE_IFDIR: return BRIG_FT_DIR;
    case AE_IFLNK: return BRIG_FT_SYMLINK;
    case AE_IFCHR: return BRIG_FT_CHR;
    case AE_IFBLK: return BRIG_FT_BLK;
    case AE_IFIFO: return BRIG_FT_FIFO;
    case AE_IFSOCK: return BRIG_FT_SOCK;
    default: return BRIG_FT_REG;
    }
}

static uint64_t tar_entry_size(struct archive_entry *ae, brig_ftype t) {
    return t == BRIG_FT_REG && archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 ? (uint64_t)archive_entry_size(ae) : 0;
}

/* For the names pass: the normalised path next_tar will deliver this entry
 * under (*key, caller frees), or NULL for entries it delivers under no name of
 * their own (the root, whiteouts, names it refuses anyway).  Returns false for
 * aufs bookkeeping (.wh..wh.*), which next_tar skips without counting. */
static bool names_key(layer_iter *it, const char *raw, char **key) {
    *key = NULL;
    if (!raw || raw[0] == '/') return true;
    char *norm;
    if (brig_path_normalize(raw, it->lim, &norm)) { brig_err_clear(); return true; }
    const char *slash = strrchr(norm, '/');
    const char *base = slash ? slash + 1 : norm;
    if (!strncmp(base, ".wh..wh.", 8) && strcmp(base, ".wh..wh..opq") != 0) { free(norm); return false; }
    if (!*norm || !strncmp(base, ".wh.", 4)) { free(norm); return true; }
    *key = norm;
    return true;
}

/* Whether the blob starts like one of the compressed formats open_tar
 * accepts (a superset of libarchive's bidders: gzip, zstd incl. skippable
 * frames, xz, bzip2). */
static bool blob_compressed(layer_iter *it) {
    unsigned char m[6] = {0};
    if (blob_pread(it->blob, m, sizeof m, 0) < 4) return false;
    return (m[0] == 0x1f && m[1] == 0x8b) || (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) ||
           ((m[0] & 0xf0) == 0x50 && m[1] == 0x2a && m[2] == 0x4d && m[3] == 0x18) ||
           (m[0] == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X') || (m[0] == 'B' && m[1] == 'Z' && m[2] == 'h');
}

/* Names pass over an uncompressed blob, read in place (not hashed: the
 * delivery pass hashes what it delivers, and must see the same names). */
static la_ssize_t region_read(struct archive *a, void *ctx, const void **buf) {
    layer_iter *it = ctx;
    ssize_t r = blob_pread(it->blob, it->ubuf, RBUF, it->names_pos);
    if (r < 0) { archive_set_error(a, errno, "read of the layer blob failed"); return -1; }
    it->names_pos += (uint64_t)r;
    *buf = it->ubuf;
    return r;
}

/* Names pass over an uncompressed blob: file data is not needed, skip it. */
static la_int64_t region_skip(struct archive *a, void *ctx, la_int64_t n) {
    (void)a;
    layer_iter *it = ctx;
    it->names_pos += (uint64_t)n;
    return n;
}

/* Read the layer once for its names.  A compressed blob is decompressed
 * into an unlinked temporary file meanwhile, both digests are verified, and
 * the iterator is left to deliver from that copy; an uncompressed blob is
 * read twice in place (copying it would cost more than reading it again),
 * and verified while it is delivered, as without a names pass.  Limits are
 * checked here already (so a decompression bomb is refused at its header,
 * before it is written out) and counted for real on delivery. */
static int names_pass(layer_iter *it) {
    bool copy = blob_compressed(it);
    if (copy) {
        it->spool_fd = brig_scratch_file();
        if (it->spool_fd < 0)
            return brig_fail_errno(BRIG_EXIT_SYSTEM, "layer %zu of %s: cannot create a temporary file in %s for its decompressed copy (set TMPDIR)",
                                   it->layer, it->img->ref, brig_scratch_dir());
        it->spooling = true;
    }
    strmap_init(&it->names, sizeof(name_count));
    it->names_init = true;
    layer_counters saved = *it->cnt;
    struct archive *a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_format_empty(a);
    int rc = 0;
    archive_read_set_read_callback(a, copy ? inner_read : region_read);
    if (!copy) archive_read_set_skip_callback(a, region_skip);
    archive_read_set_callback_data(a, it);
    if (archive_read_open1(a) != ARCHIVE_OK)
        rc = it->rc ? it->rc : brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: not a tar archive: %s", it->layer, it->img->ref, archive_error_string(a));
    while (!rc) {
        struct archive_entry *ae;
        int r = archive_read_next_header(a, &ae);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) {
            rc = it->rc ? it->rc : brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: corrupt tar after %llu uncompressed bytes: %s",
                                             it->layer, it->img->ref, (unsigned long long)(copy ? it->ubytes : it->names_pos), archive_error_string(a));
            break;
        }
        const char *raw = archive_entry_pathname(ae);
        if (!raw) raw = archive_entry_pathname_utf8(ae);
        const char *hl;
        brig_ftype t = tar_entry_type(ae, &hl);
        char *key;
        if (!names_key(it, raw, &key)) continue;
        rc = count_entry(it, key ? key : raw ? raw : "", tar_entry_size(ae, t), t == BRIG_FT_REG);
        if (!rc && key) {
            name_count *nc = strmap_put(&it->names, key, NULL);
            nc->any++;
            if (t != BRIG_FT_DIR) nc->nondir++;
        }
        free(key);
    }
    archive_read_free(a);
    *it->cnt = saved;
    if (rc == BRIG_EXIT_UNSAFE) return rc;
    if (rc) {
        /* When the blob also fails its digest, tampering is the better explanation. */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", brig_errmsg());
        it->spooling = false;
        int vr = finish_and_verify(it, rc);
        if (vr == rc) brig_fail(rc, "%s", msg);
        return vr;
    }
    if (!copy) return 0;
    rc = finish_and_verify(it, 0);   /* drains what follows the tar's end into the copy too */
    it->spooling = false;
    if (rc) return rc;
    it->done = false;
    it->verified = true;
    it->spool_pos = 0;
    return 0;
}

/* At the end of a layer: every name the names pass saw was delivered. */
static int names_all_delivered(layer_iter *it) {
    for (size_t i = 0; i < it->names.n; i++)
        if (((name_count *)strmap_val(&it->names, i))->any)
            return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '%.200s' was read on the first pass over the layer but not on the second; refusing the layer",
                             it->layer, it->img->ref, strmap_key(&it->names, i));
    return 0;
}

uint32_t layer_iter_later(layer_iter *it, const char *path) {
    if (!it->names_init || !path) return 0;
    name_count *nc = strmap_get(&it->names, path);
    return nc ? nc->any : 0;
}

static int open_tar(layer_iter *it) {
    brig_image_impl *im = it->img->impl;
    it->blob = &im->layer_blobs[it->layer];
    it->hc = brig_sha256_new();
    it->hu = brig_sha256_new();
    it->rbuf = xmalloc(RBUF);
    it->ubuf = xmalloc(RBUF);
    /* tar headers and padding add to the file bytes; allow generous slack */
    it->ulimit = it->lim->max_total_bytes * 2 + (64ULL << 20);
    it->outer = archive_read_new();
    archive_read_support_filter_gzip(it->outer);
    archive_read_support_filter_zstd(it->outer);
    archive_read_support_filter_xz(it->outer);
    archive_read_support_filter_bzip2(it->outer);
    archive_read_support_format_raw(it->outer);
    if (it->blob->size == 0) { it->outer_eof = true; }
    else {
        struct archive_entry *e;
        if (archive_read_open(it->outer, it, NULL, outer_read, NULL) != ARCHIVE_OK ||
            archive_read_next_header(it->outer, &e) != ARCHIVE_OK) {
            int rc = brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: cannot read the blob: %s", it->layer, it->img->ref,
                               archive_error_string(it->outer) ? archive_error_string(it->outer) : "unrecognised data");
            return finish_and_verify(it, rc);
        }
    }
    if (it->raw_only) return 0;
    if (it->want_names) {
        int rc = names_pass(it);
        if (rc) return rc;
    }
    it->inner = archive_read_new();
    archive_read_support_format_tar(it->inner);
    archive_read_support_format_empty(it->inner);
    if (archive_read_open(it->inner, it, NULL, inner_read, NULL) != ARCHIVE_OK) {
        int rc = it->rc ? it->rc : brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: not a tar archive: %s", it->layer, it->img->ref, archive_error_string(it->inner));
        return finish_and_verify(it, rc);
    }
    return 0;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void push_dir(layer_iter *it, int fd, const char *prefix) {
    DIR *d = fdopendir(fd);
    dir_frame f = { .fd = -1, .prefix = xstrdup(prefix) };
    if (d) {
        f.fd = dup(dirfd(d));
        struct dirent *de;
        size_t cap = 0;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
            f.names = xgrow(f.names, &cap, f.n + 1, sizeof *f.names);
            f.names[f.n++] = xstrdup(de->d_name);
        }
        closedir(d);
        if (f.n) qsort(f.names, f.n, sizeof *f.names, cmpstr);
    } else close(fd);
    it->st = xgrow(it->st, &it->capst, it->nst + 1, sizeof *it->st);
    it->st[it->nst++] = f;
}

static void pop_dir(layer_iter *it) {
    dir_frame *f = &it->st[--it->nst];
    for (size_t i = 0; i < f->n; i++) free(f->names[i]);
    free(f->names); free(f->prefix);
    if (f->fd >= 0) close(f->fd);
}

static int open_dir(layer_iter *it) {
    it->is_dir = true;
    it->cur_fd = -1;
    int fd = openat(it->img->impl->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open directory", it->img->path);
    push_dir(it, fd, "");
    return 0;
}

static int iter_open(brig_image *img, size_t layer, layer_counters *cnt, bool want_names, layer_iter **out) {
    layer_iter *it = xcalloc(1, sizeof *it);
    it->img = img; it->layer = layer; it->cnt = cnt; it->lim = &img->impl->lim;
    it->spool_fd = -1;
    it->want_names = want_names;   /* dir: images cannot name a path twice */
    *out = it;
    int rc = img->kind == BRIG_IMG_DIR ? open_dir(it) : open_tar(it);
    if (rc) { layer_iter_close(it); *out = NULL; }
    return rc;
}

int layer_iter_open(brig_image *img, size_t layer, layer_counters *cnt, layer_iter **out) {
    return iter_open(img, layer, cnt, false, out);
}

int layer_iter_open_names(brig_image *img, size_t layer, layer_counters *cnt, layer_iter **out) {
    return iter_open(img, layer, cnt, true, out);
}

static int count_entry(layer_iter *it, const char *name, uint64_t size, bool regular) {
    const brig_limits *l = it->lim;
    if (++it->cnt->entries > l->max_entries)
        return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '%.200s': more than %llu entries in the image (--max-entries)",
                         it->layer, it->img->ref, name, (unsigned long long)l->max_entries);
    if (!regular) return 0;
    if (size > l->max_file_bytes)
        return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '%.200s': %llu bytes exceeds the per-file limit of %llu",
                         it->layer, it->img->ref, name, (unsigned long long)size, (unsigned long long)l->max_file_bytes);
    it->cnt->total_bytes += size;
    if (it->cnt->total_bytes > l->max_total_bytes)
        return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '%.200s': the image's files exceed %llu bytes in total (--max-size) — decompression bomb refused",
                         it->layer, it->img->ref, name, (unsigned long long)l->max_total_bytes);
    return 0;
}

static int next_dir(layer_iter *it, const layer_entry **e) {
    if (it->cur_fd >= 0) { close(it->cur_fd); it->cur_fd = -1; }
    free(it->cur_name); it->cur_name = NULL;
    for (;;) {
        if (it->nst == 0) { it->done = true; *e = NULL; return 0; }
        dir_frame *f = &it->st[it->nst - 1];
        if (f->fd < 0 || f->i >= f->n) { pop_dir(it); continue; }
        const char *name = f->names[f->i++];
        struct stat st;
        if (fstatat(f->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;   /* vanished */
        free(it->path_s); free(it->link_s); it->link_s = NULL;
        it->path_s = xasprintf("%s%s", f->prefix, name);
        if (strlen(it->path_s) > it->lim->max_path_len || it->nst > it->lim->max_depth)
            return brig_fail(BRIG_EXIT_UNSAFE, "%s: '%.200s' exceeds the path length/depth limit", it->img->path, it->path_s);
        layer_entry *c = &it->cur;
        memset(c, 0, sizeof *c);
        c->path = it->path_s;
        c->mode = st.st_mode & 07777; c->uid = st.st_uid; c->gid = st.st_gid;
        c->mtime = st.st_mtime;
        switch (st.st_mode & S_IFMT) {
        case S_IFREG:
            c->type = BRIG_FT_REG; c->size = (uint64_t)st.st_size;
            if (st.st_nlink > 1) {
                /* later names of one inode become hardlinks, as in a layer tar */
                char key[64];
                snprintf(key, sizeof key, "%llx:%llx", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
                if (!it->inodes_init) { strmap_init(&it->inodes, sizeof(char *)); it->inodes_init = true; }
                bool created;
                char **first = strmap_put(&it->inodes, key, &created);
                if (created) *first = xstrdup(it->path_s);
                else { c->type = BRIG_FT_HARDLINK; c->size = 0; it->link_s = xstrdup(*first); c->linkname = it->link_s; }
            }
            break;
        case S_IFDIR: c->type = BRIG_FT_DIR; break;
        case S_IFLNK: c->type = BRIG_FT_SYMLINK; break;
        case S_IFCHR: c->type = BRIG_FT_CHR; break;
        case S_IFBLK: c->type = BRIG_FT_BLK; break;
        case S_IFIFO: c->type = BRIG_FT_FIFO; break;
        default: c->type = BRIG_FT_SOCK; break;
        }
        if (c->type == BRIG_FT_CHR || c->type == BRIG_FT_BLK) { c->rdev_major = major(st.st_rdev); c->rdev_minor = minor(st.st_rdev); }
        int rc = count_entry(it, it->path_s, c->size, c->type == BRIG_FT_REG);
        if (rc) return rc;
        if (c->type == BRIG_FT_SYMLINK) {
            char buf[4097];
            ssize_t n = readlinkat(f->fd, name, buf, sizeof buf - 1);
            if (n < 0) n = 0;
            buf[n] = 0;
            it->link_s = xstrdup(buf);
            c->linkname = it->link_s;
        } else if (c->type == BRIG_FT_REG) {
            it->cur_parent = f->fd;
            it->cur_name = xstrdup(name);
        } else if (c->type == BRIG_FT_DIR) {
            if (it->nst >= it->lim->max_depth)
                return brig_fail(BRIG_EXIT_UNSAFE, "%s: '%.200s' is deeper than the %zu-component limit", it->img->path, it->path_s, it->lim->max_depth);
            int fd = openat(f->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            char *pre = xasprintf("%s/", it->path_s);
            if (fd >= 0) push_dir(it, fd, pre);
            free(pre);
        }
        *e = c;
        return 0;
    }
}

/* ".wh.NAME" deletes NAME, ".wh..wh..opq" makes the directory opaque. */
static int classify_whiteout(layer_iter *it, const char *raw) {
    char *p = it->path_s;
    char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    if (strncmp(base, ".wh.", 4) != 0) return 0;
    size_t dirlen = slash ? (size_t)(slash - p) : 0;
    if (!strcmp(base, ".wh..wh..opq")) {
        p[dirlen] = 0;
        it->cur.whiteout = LAYER_OPAQUE;
        return 0;
    }
    if (!strncmp(base, ".wh..wh.", 8)) return 1;     /* aufs bookkeeping (.wh..wh.plnk): ignore */
    char *target = dirlen ? xasprintf("%.*s/%s", (int)dirlen, p, base + 4) : xstrdup(base + 4);
    char *norm;
    int rc = brig_path_normalize(target, it->lim, &norm);
    free(target);
    if (rc) return brig_fail_context(rc, "layer %zu of %s: whiteout '%.200s'", it->layer, it->img->ref, raw);
    if (!*norm || !base[4]) {
        free(norm);
        return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: whiteout '%.200s' names no entry of its directory", it->layer, it->img->ref, raw);
    }
    free(it->path_s);
    it->path_s = norm;
    it->cur.whiteout = LAYER_WHITEOUT;
    return 0;
}

static int next_tar(layer_iter *it, const layer_entry **e) {
    for (;;) {
        struct archive_entry *ae;
        int r = archive_read_next_header(it->inner, &ae);
        if (r == ARCHIVE_EOF) {
            int rc = finish_and_verify(it, 0);
            if (!rc && it->names_init) rc = names_all_delivered(it);
            *e = NULL;
            return rc;
        }
        if (r < ARCHIVE_WARN) {
            int rc = it->rc ? it->rc : brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: corrupt tar after %llu uncompressed bytes: %s",
                                                 it->layer, it->img->ref, (unsigned long long)it->ubytes, archive_error_string(it->inner));
            if (rc == BRIG_EXIT_UNSAFE) return rc;
            char saved[1024];
            snprintf(saved, sizeof saved, "%s", brig_errmsg());
            int vr = finish_and_verify(it, rc);
            if (vr == rc) brig_fail(rc, "%s", saved);
            return vr;
        }
        /* In the C locale libarchive cannot convert UTF-8 pax names; take the bytes as stored. */
        const char *raw = archive_entry_pathname(ae);
        if (!raw) raw = archive_entry_pathname_utf8(ae);
        if (!raw) return brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: entry without a name", it->layer, it->img->ref);
        free(it->path_s); it->path_s = NULL;
        free(it->link_s); it->link_s = NULL;
        /* Layer entries are relative to the root; an absolute name only
         * makes sense as an attack on naive extractors. */
        if (raw[0] == '/')
            return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '%.200s' has an absolute name; refusing it", it->layer, it->img->ref, raw);
        int rc = brig_path_normalize(raw, it->lim, &it->path_s);
        if (rc) return brig_fail_context(rc, "layer %zu of %s (%s): entry '%.200s'", it->layer, it->img->ref,
                                         it->img->layers[it->layer].digest ? it->img->layers[it->layer].digest : "", raw);
        layer_entry *c = &it->cur;
        memset(c, 0, sizeof *c);
        int skip = classify_whiteout(it, raw);
        if (skip < 0 || skip > 1) return skip;
        if (skip == 1) continue;
        c->path = it->path_s;
        const char *hl;
        c->type = tar_entry_type(ae, &hl);
        c->size = tar_entry_size(ae, c->type);
        if ((rc = count_entry(it, it->path_s, c->size, c->type == BRIG_FT_REG))) return rc;
        if (!c->whiteout && !*c->path && c->type == BRIG_FT_DIR) continue;   /* the root itself */
        if (!c->whiteout && !*c->path)
            return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '%.200s' would replace the root directory", it->layer, it->img->ref, raw);
        if (it->names_init && !c->whiteout) {
            name_count *nc = strmap_get(&it->names, c->path);
            if (!nc || !nc->any || (c->type != BRIG_FT_DIR && !nc->nondir))
                return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: entry '%.200s' was not read on the first pass over the layer; refusing the layer",
                                 it->layer, it->img->ref, c->path);
            nc->any--;
            if (c->type != BRIG_FT_DIR) nc->nondir--;
            c->superseded = c->type != BRIG_FT_DIR && nc->nondir > 0;
        }
        c->mode = archive_entry_perm(ae) & 07777;
        la_int64_t uid = archive_entry_uid(ae), gid = archive_entry_gid(ae);
        c->uid = uid < 0 || uid > UINT32_MAX ? UINT32_MAX : (uint32_t)uid;
        c->gid = gid < 0 || gid > UINT32_MAX ? UINT32_MAX : (uint32_t)gid;
        c->mtime = archive_entry_mtime(ae);
        c->rdev_major = archive_entry_rdevmajor(ae);
        c->rdev_minor = archive_entry_rdevminor(ae);
        if ((c->type == BRIG_FT_REG || c->type == BRIG_FT_DIR) && archive_entry_xattr_reset(ae) > 0) {
            const char *xn; const void *xv; size_t xl;
            while (archive_entry_xattr_next(ae, &xn, &xv, &xl) == ARCHIVE_OK) {
                if (!xn) continue;
                if (c->type == BRIG_FT_REG && !strcmp(xn, "security.capability")) {
                    if (xl <= 64) { c->fcaps = xv; c->fcaps_len = xl; }
                } else if ((!strncmp(xn, "user.", 5) || !strncmp(xn, "trusted.", 8)) && strlen(xn) <= 255 &&
                           xl <= LAYER_XATTR_VALUE_MAX && c->n_xattrs < LAYER_XATTRS_MAX) {
                    c->xattr_name[c->n_xattrs] = xn; c->xattr_value[c->n_xattrs] = xv; c->xattr_len[c->n_xattrs] = xl;
                    c->n_xattrs++;
                }
            }
        }
        if (hl) {
            if (hl[0] == '/')
                return brig_fail(BRIG_EXIT_UNSAFE, "layer %zu of %s: hardlink '%.200s' points to the absolute path '%.200s'; refusing it", it->layer, it->img->ref, raw, hl);
            if ((rc = brig_path_normalize(hl, it->lim, &it->link_s)))
                return brig_fail_context(rc, "layer %zu of %s: hardlink '%.200s' -> '%.200s'", it->layer, it->img->ref, raw, hl);
            c->linkname = it->link_s;
        } else if (c->type == BRIG_FT_SYMLINK) {
            const char *t = archive_entry_symlink(ae);
            if (!t) t = archive_entry_symlink_utf8(ae);
            it->link_s = xstrdup(t ? t : "");
            c->linkname = it->link_s;
        }
        *e = c;
        return 0;
    }
}

int layer_iter_next(layer_iter *it, const layer_entry **e) {
    *e = NULL;
    if (it->done) return 0;
    if (it->is_dir) return next_dir(it, e);
    return next_tar(it, e);
}

ssize_t layer_iter_read(layer_iter *it, void *buf, size_t n) {
    if (it->is_dir) {
        if (!it->cur_name) return 0;
        if (it->cur_fd < 0) {
            it->cur_fd = openat(it->cur_parent, it->cur_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (it->cur_fd < 0) { brig_fail_errno(BRIG_EXIT_INPUT, "%s/%s: cannot open", it->img->path, it->path_s); return -1; }
        }
        for (;;) {
            ssize_t r = read(it->cur_fd, buf, n);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) brig_fail_errno(BRIG_EXIT_INPUT, "%s/%s: read failed", it->img->path, it->path_s);
            return r;
        }
    }
    la_ssize_t r = archive_read_data(it->inner, buf, n);
    if (r < 0) {
        if (!it->rc) brig_fail(BRIG_EXIT_INPUT, "layer %zu of %s: entry '%.200s': %s", it->layer, it->img->ref, it->path_s, archive_error_string(it->inner));
        return -1;
    }
    return r;
}

/* Error code of the last failed layer_iter_read (the message is recorded). */
int layer_iter_read_rc(layer_iter *it) { return it->rc ? it->rc : BRIG_EXIT_INPUT; }

int blob_verify_stream(brig_image *img, size_t layer) {
    if (img->kind == BRIG_IMG_DIR) return 0;
    layer_counters cnt = {0};
    layer_iter *it = xcalloc(1, sizeof *it);
    it->img = img; it->layer = layer; it->cnt = &cnt; it->lim = &img->impl->lim;
    it->raw_only = true;
    it->spool_fd = -1;
    int rc = open_tar(it);
    if (!rc && !it->done) rc = finish_and_verify(it, 0);
    layer_iter_close(it);
    return rc;
}

void layer_iter_close(layer_iter *it) {
    if (!it) return;
    if (it->inner) archive_read_free(it->inner);
    if (it->outer) archive_read_free(it->outer);
    if (it->hc) brig_sha256_free(it->hc);
    if (it->hu) brig_sha256_free(it->hu);
    free(it->rbuf); free(it->ubuf);
    free(it->path_s); free(it->link_s);
    while (it->nst) pop_dir(it);
    free(it->st);
    if (it->cur_fd >= 0 && it->is_dir) close(it->cur_fd);
    free(it->cur_name);
    if (it->inodes_init) {
        for (size_t i = 0; i < it->inodes.n; i++) free(*(char **)strmap_val(&it->inodes, i));
        strmap_free(&it->inodes);
    }
    if (it->names_init) strmap_free(&it->names);
    if (it->spool_fd >= 0) close(it->spool_fd);
    free(it);
}
