/* `brig sbom`: CycloneDX 1.5 or SPDX 2.3 JSON of an image's packages. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "image/image.h"
#include "report/findings.h"
#include "scan/scan_inventory.h"
#include "scan/scan_report.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#pragma weak brig_image_close   /* image area may be left out of a build: callers check brig_image_open first */

#pragma weak brig_image_open

static void usage(FILE *f) {
    fputs(
        "Usage: brig sbom [OPTIONS] IMAGE\n\n"
        "Write a software bill of materials of the image: the OS and every package found\n"
        "(dpkg, apk, rpm sqlite/ndb/Berkeley DB, npm, Python, Go binaries, Java archives)\n"
        "with PURLs, licenses and the layer each came from.\n\n"
        "Options:\n"
        "  -f, --format FMT   cyclonedx (CycloneDX 1.5 JSON, default) or spdx-json (SPDX 2.3)\n"
        "  -o, --output FILE  write to FILE instead of stdout\n"
        "  -h, --help         show this help\n\n"
        "SOURCE_DATE_EPOCH, when set, fixes the document timestamp.\n\n"
        "Exit codes:\n"
        "  0  written             2  bad command line\n"
        "  3  image missing or malformed   4  blob digest mismatch\n"
        "  5  hostile content refused      6  system error   7  not in this build\n", f);
}

int cmd_sbom(int argc, char **argv) {
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' }, { 0 },
    };
    int fmt = BRIG_FMT_CYCLONEDX, c;
    const char *outpath = NULL;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "f:o:h", opts, "sbom")) != -1) {
        switch (c) {
        case 'f':
            fmt = brig_format_parse(optarg);
            if (fmt != BRIG_FMT_CYCLONEDX && fmt != BRIG_FMT_SPDX)
                return brig_usage_error("sbom", "unknown SBOM format '%s' (cyclonedx, spdx-json)", optarg);
            break;
        case 'o': outpath = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return BRIG_EXIT_USAGE;
        }
    }
    if (optind >= argc) return brig_usage_error("sbom", "missing IMAGE");
    if (optind + 1 < argc) return brig_usage_error("sbom", "unexpected argument '%s'", argv[optind + 1]);
    const char *ref = argv[optind];
    if (!brig_image_open) { brig_print_error(brig_fail(BRIG_EXIT_NOTIMPL, "image input is not available in this build of brig")); return BRIG_EXIT_NOTIMPL; }
    brig_image *img = NULL;
    brig_inventory inv;
    memset(&inv, 0, sizeof inv);
    int rc = brig_image_open(ref, NULL, &img);
    if (!rc) rc = brig_inventory_image(img, &inv);
    if (!rc) {
        for (size_t i = 0; i < inv.n_warnings; i++) brig_warn("%s", inv.warnings[i]);
        brig_scan_result res = { .img = img, .target = ref, .inv = &inv };
        rc = brig_scan_write_path(outpath, (brig_format)fmt, &res, "SBOM");
    }
    if (rc) brig_print_error(rc);
    brig_inventory_free(&inv);
    if (img) brig_image_close(img);
    return rc;
}
