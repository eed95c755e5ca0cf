/* License strings as found in package metadata ("GPL-2+", "Expat", "BSD License",
 * "MIT OR Apache-2.0") mapped to SPDX identifiers and expressions. */
#ifndef BRIG_SCAN_SBOM_LICENSE_H
#define BRIG_SCAN_SBOM_LICENSE_H
#include <stddef.h>
/* Canonical SPDX id for one license name (Debian/PyPI/npm spellings), or NULL. */
const char *brig_spdx_id(const char *name);
/* SPDX expression for a list of license strings (joined with AND).  Names that
 * are no SPDX id become LicenseRef-<sanitised>; each such ref is appended to
 * *refs (caller frees with free() each and the array) with its original text
 * in *texts.  Returns NULL when n == 0.  Caller frees. */
char *brig_spdx_expression(char *const *lics, size_t n, char ***refs, char ***texts, size_t *n_refs);
#endif
