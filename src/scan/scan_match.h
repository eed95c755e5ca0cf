/* Vulnerability matching of an inventory against the local DB, and the
 * filters users apply to the result (severity, unfixed, ignore file). */
#ifndef BRIG_SCAN_SCAN_MATCH_H
#define BRIG_SCAN_SCAN_MATCH_H
#include <stdbool.h>
#include "scan/pkg_model.h"
#include "scan/vulndb.h"

typedef struct {
    size_t pkg;             /* index into the package list */
    brig_vuln_match m;      /* owned copy */
    bool filtered;          /* hidden by --severity / --ignore-unfixed */
    bool ignored;           /* hidden by the ignore file */
} brig_scan_vuln;

typedef struct { brig_scan_vuln *v; size_t n, cap; } brig_vulnlist;

/* Queries every package (Debian by source package and version, Alpine by origin),
 * de-duplicating by ID per package.  Sorted: package order, severity desc, ID. */
int brig_scan_match(brig_vulndb *db, const brig_os *os, const brig_pkglist *pk, brig_vulnlist *out);
/* Warns on stderr about packages the database could not check: an ecosystem
 * (or distro release) it holds no advisories for, or OS packages of an OS that
 * was not identified.  Returns an exit code only for database errors. */
int brig_scan_coverage_warn(brig_vulndb *db, const brig_os *os, const brig_pkglist *pk);
void brig_vulnlist_free(brig_vulnlist *l);
/* Marks results below min_sev or (unfixed_only) without a fix as filtered.
 * sev_mask: bit (1<<severity) set = shown; 0 = all. */
void brig_scan_filter(brig_vulnlist *l, unsigned sev_mask, bool ignore_unfixed);
/* Results neither filtered nor ignored. */
size_t brig_scan_visible(const brig_vulnlist *l);
#endif
