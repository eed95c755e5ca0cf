/* brig extract: unpack an image's merged root filesystem safely. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/image_cli.h"
#include "util/err.h"
#include <stdio.h>
#include <string.h>

static void help(void) {
    printf(
        "Usage: brig extract [OPTIONS] IMAGE DEST\n\n"
        "Apply the image's layers bottom to top into DEST (created; must be absent or empty),\n"
        "honouring whiteouts and opaque directories.  Every layer blob is verified while it\n"
        "is read.  A non-directory named twice in one layer is replaced by the later entry,\n"
        "as tar, Docker, containerd and umoci do.\n\n"
        "Refused (nothing is written outside DEST; a partial DEST is removed):\n"
        "  - absolute names, and names climbing above the root with \"..\"\n"
        "  - entries, whiteouts or opaque markers beneath a symlink (every path is resolved\n"
        "    inside DEST without following symlinks, so nothing is written or deleted outside)\n"
        "  - hardlinks whose target is absolute or not a regular file inside DEST\n"
        "  - a path that is a directory and a non-directory in one layer, or that a layer\n"
        "    writes again after one of its hardlinks named it (ambiguous between extractors)\n"
        "  - more entries, bigger files, longer or deeper paths than the limits below\n"
        "  - blobs that do not match their digest (exit 4)\n"
        "Device nodes are skipped (counted in a warning); setuid/setgid bits and owners are\n"
        "kept only without --no-owner when running as root.  Extended attributes: user.*\n"
        "always; trusted.* and security.capability with owners as root; never\n"
        "security.selinux, other security.*, or *.overlay.* (see docs/image.md).\n\n"
        "Options:\n"
        "  --max-size BYTES      total bytes of file content (K/M/G/T suffixes; default 16G)\n"
        "  --max-file BYTES      bytes of one file (default 8G)\n"
        "  --max-entries N       entries over all layers (default 2000000)\n"
        "  --max-path BYTES      bytes in one path (default 4096)\n"
        "  --max-depth N         components in one path (default 256)\n"
        "  --no-owner            do not chown, and drop setuid/setgid bits\n"
        "  -h, --help            show this help\n\n"
        "Exit codes:\n"
        "  0  extracted\n"
        "  2  bad command line, or DEST exists and is not an empty directory\n"
        "  3  image missing, unreadable or malformed\n"
        "  4  a digest does not match: the image is corrupted or tampered with\n"
        "  5  hostile content refused (path escape, link escape, limits, decompression bomb)\n"
        "  6  system error (permissions, disk full)\n"
        "  7  unsupported feature\n");
}

int cmd_extract(int argc, char **argv) {
    static const struct option opts[] = {
        { "max-size", required_argument, NULL, 's' }, { "max-file", required_argument, NULL, 'f' },
        { "max-entries", required_argument, NULL, 'e' }, { "max-path", required_argument, NULL, 'p' },
        { "max-depth", required_argument, NULL, 'd' }, { "no-owner", no_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' }, { 0 },
    };
    brig_extract_opts xo = { .keep_owner = true };
    brig_extract_stats st = {0};
    xo.stats = &st;
    optind = 0;
    int c;
    while ((c = brig_getopt(argc, argv, "h", opts, "extract")) != -1) {
        uint64_t v;
        if (c == 'h') { help(); return 0; }
        if (c == 'n') { xo.keep_owner = false; continue; }
        if (c == '?' || !strchr("sfepd", c)) return BRIG_EXIT_USAGE;
        if (!image_parse_bytes(optarg, &v) || !v) return brig_usage_error("extract", "'%s' is not a positive number", optarg);
        switch (c) {
        case 's': xo.lim.max_total_bytes = v; break;
        case 'f': xo.lim.max_file_bytes = v; break;
        case 'e': xo.lim.max_entries = v; break;
        case 'p': if (v > 1 << 20) return brig_usage_error("extract", "--max-path too large"); xo.lim.max_path_len = (size_t)v; break;
        case 'd': if (v > 1 << 16) return brig_usage_error("extract", "--max-depth too large"); xo.lim.max_depth = (size_t)v; break;
        }
    }
    if (argc - optind != 2) return brig_usage_error("extract", "expected IMAGE and DEST");
    brig_image *img;
    int rc = brig_image_open(argv[optind], &xo.lim, &img);
    if (!rc) rc = brig_image_extract(img, argv[optind + 1], &xo);
    if (rc) { brig_print_error(rc); brig_image_close(img); return rc; }
    char hb[32];
    printf("extracted %s to %s: %llu files (%s), %llu dirs, %llu symlinks, %llu hardlinks, %llu fifos from %zu layer(s)%s\n",
           img->ref, argv[optind + 1], (unsigned long long)st.files, image_human_bytes(st.bytes, hb, sizeof hb),
           (unsigned long long)st.dirs, (unsigned long long)st.symlinks, (unsigned long long)st.hardlinks,
           (unsigned long long)st.fifos, img->n_layers, st.skipped_devices ? "; device nodes skipped" : "");
    brig_image_close(img);
    return 0;
}
