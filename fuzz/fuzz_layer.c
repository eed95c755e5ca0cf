/* Fuzz layer tars: the bytes become one layer (or, when the first byte is
 * odd, two layers split at a point the second byte chooses) of an in-memory
 * image whose digests match, then go through the walker + merged view, and
 * through extraction into a temp dir (which must stay inside that dir). */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int mkfd(const uint8_t *d, size_t n) {
    int fd = memfd_create("layer", MFD_CLOEXEC);
    if (fd < 0) abort();
    for (size_t w = 0; w < n;) { ssize_t k = write(fd, d + w, n - w); if (k <= 0) abort(); w += (size_t)k; }
    return fd;
}

static brig_image *make_image(const uint8_t *data, size_t size) {
    size_t nl = 1, cut = size;
    if (size >= 2 && (data[0] & 1)) { nl = 2; cut = 2 + (size - 2) * data[1] / 255; }
    const uint8_t *parts[2]; size_t lens[2];
    if (nl == 1) { parts[0] = data; lens[0] = size; }
    else { parts[0] = data + 2; lens[0] = cut - 2; parts[1] = data + cut; lens[1] = size - cut; }
    brig_image *img = xcalloc(1, sizeof *img);
    img->kind = BRIG_IMG_OCI_LAYOUT;
    img->ref = xstrdup("fuzz");
    img->path = xstrdup("fuzz");
    img->impl = xcalloc(1, sizeof *img->impl);
    brig_limits_default(&img->impl->lim);
    img->impl->lim.max_total_bytes = 64 << 20;
    img->impl->lim.max_entries = 20000;
    img->impl->src.fd = img->impl->src.dirfd = img->impl->rootfd = -1;
    img->layers = xcalloc(nl, sizeof *img->layers);
    img->impl->layer_blobs = xcalloc(nl, sizeof *img->impl->layer_blobs);
    img->n_layers = nl;
    for (size_t i = 0; i < nl; i++) {
        char hex[65];
        brig_sha256_hex(parts[i], lens[i], hex);
        img->layers[i].digest = xasprintf("sha256:%s", hex);
        img->layers[i].size = lens[i];
        img->impl->layer_blobs[i] = (blob_ref){ .fd = mkfd(parts[i], lens[i]), .owns_fd = true, .off = 0, .size = lens[i] };
    }
    return img;
}

static int read_all(void *ctx, const brig_entry *e, brig_reader *r) {
    (void)ctx;
    char buf[4096];
    if (e->type == BRIG_FT_REG && e->state == BRIG_ENTRY_VISIBLE)
        while (brig_reader_read(r, buf, sizeof buf) > 0) {}
    return 0;
}

static int got_file(void *ctx, const char *path, const char *d, size_t n, size_t layer) {
    (void)ctx; (void)path; (void)layer;
    volatile char sink = 0;
    for (size_t i = 0; i < n; i++) sink ^= d[i];   /* touch every byte: ASan checks the length */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_image *img = make_image(data, size);
    brig_image_walk(img, 0, read_all, NULL);
    const brig_fsview *v;
    if (brig_image_fsview(img, &v) == 0) {
        brig_fsview_lookup(v, "etc/passwd");
        const char *paths[] = { "etc/passwd", "etc/os-release", "a", NULL };
        brig_image_read_files(img, paths, 1 << 20, got_file, NULL);
    }
    char tmpl[] = "/tmp/fuzz-layer.XXXXXX";
    char *box = mkdtemp(tmpl);
    if (box) {
        char *dest = xasprintf("%s/d", box);
        brig_extract_opts o = { .keep_owner = false };
        int rc = brig_image_extract(img, dest, &o);
        /* oracle: DEST is the only thing in the box, and gone on failure */
        DIR *d = opendir(box);
        size_t n = 0;
        struct dirent *de;
        while (d && (de = readdir(d))) if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
        if (d) closedir(d);
        if (n != (rc == 0 ? 1u : 0u)) __builtin_trap();
        free(dest);
        brig_rm_rf(box);
    }
    brig_image_close(img);
    return 0;
}
