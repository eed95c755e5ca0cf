/* SBOM documents: CycloneDX 1.5 JSON and SPDX 2.3 JSON, built from an image
 * inventory.  Both validate against the published JSON schemas (tested in
 * tests/integration/sbom_validate.sh with ajv). */
#ifndef BRIG_SCAN_SBOM_WRITE_H
#define BRIG_SCAN_SBOM_WRITE_H
#include <jansson.h>
#include "image/image.h"
#include "scan/scan_inventory.h"
#include "scan/scan_match.h"

/* vulns may be NULL (plain SBOM); when given, adds the "vulnerabilities" array. */
json_t *brig_sbom_cyclonedx(const brig_image *img, const char *target, const brig_inventory *inv,
                            const brig_vulnlist *vulns);
json_t *brig_sbom_spdx(const brig_image *img, const char *target, const brig_inventory *inv);
/* Random RFC 4122 v4 UUID into out[37]. */
void brig_sbom_uuid(char out[37]);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (SOURCE_DATE_EPOCH honoured) into out[21]. */
void brig_sbom_timestamp(char out[21]);
#endif
