/* Writers for `brig scan` results: table, JSON, SARIF 2.1.0, and the SBOM
 * formats (CycloneDX 1.5 with vulnerabilities, SPDX 2.3). */
#ifndef BRIG_SCAN_SCAN_REPORT_H
#define BRIG_SCAN_SCAN_REPORT_H
#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "image/image.h"
#include "report/findings.h"
#include "scan/scan_inventory.h"
#include "scan/scan_match.h"

typedef struct {
    const brig_image *img;          /* NULL for `--secrets DIR` */
    const char *target;             /* image reference or directory as given */
    const brig_inventory *inv;      /* NULL when no inventory was taken */
    const brig_vulnlist *vulns;     /* NULL when the vuln scanner did not run */
    const brig_findings *secrets;   /* NULL when not run */
    const brig_findings *misconfig; /* NULL when not run */
    bool packages_only;             /* --list-packages */
    bool color;
} brig_scan_result;

int brig_scan_write(FILE *out, brig_format fmt, const brig_scan_result *r);
/* To stdout (path NULL or "-"), or to path replaced atomically
 * (brig_write_file_replace); `what` names the output in messages ("report"). */
int brig_scan_write_path(const char *path, brig_format fmt, const brig_scan_result *r, const char *what);

/* Pieces shared by the writers. */
json_t *brig_scan_json(const brig_scan_result *r);
json_t *brig_scan_sarif(const brig_scan_result *r);
int brig_scan_write_table(FILE *out, const brig_scan_result *r);
/* Layer digest of a package's layer, or NULL. */
const char *brig_scan_layer_digest(const brig_image *img, size_t layer);
#endif
