/* Image inventory: OS identification and every package (OS + language) found
 * in ONE pass over the image layers.  Only the files a parser needs are read;
 * everything else is skipped by the walker. */
#ifndef BRIG_SCAN_SCAN_INVENTORY_H
#define BRIG_SCAN_SCAN_INVENTORY_H
#include <stdbool.h>
#include "image/image.h"
#include "scan/os_release.h"
#include "scan/pkg_model.h"

typedef struct {
    brig_os os;
    brig_pkglist pkgs;
    char **warnings; size_t n_warnings;   /* files skipped (damaged manifests, unsupported DBs) */
    unsigned long long files_read;        /* how many files' content was read */
} brig_inventory;

/* What a path in the image is to the inventory. */
typedef enum {
    BRIG_INV_NONE = 0,
    BRIG_INV_OSREL_ETC, BRIG_INV_OSREL_USR, BRIG_INV_ALPINE_REL, BRIG_INV_DEBIAN_VER,
    BRIG_INV_DPKG_STATUS, BRIG_INV_DPKG_STATUSD, BRIG_INV_DPKG_COPYRIGHT,
    BRIG_INV_APK, BRIG_INV_RPM_SQLITE, BRIG_INV_RPM_BDB,
    BRIG_INV_NPM_LOCK, BRIG_INV_NPM_PKG, BRIG_INV_PY_META, BRIG_INV_JAR, BRIG_INV_EXEC,
} brig_inv_kind;

/* Classify a normalised path ("usr/lib/x") of a regular file with the given mode/size. */
brig_inv_kind brig_inv_classify(const char *path, unsigned mode, unsigned long long size);

int brig_inventory_image(brig_image *img, brig_inventory *inv);
void brig_inventory_free(brig_inventory *inv);
#endif
