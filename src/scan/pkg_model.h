/* Package inventory model: one record per installed package found in an image
 * (OS package databases and language manifests), with where it came from and
 * its Package URL.  Parsers append to a brig_pkglist; they never print. */
#ifndef BRIG_SCAN_PKG_MODEL_H
#define BRIG_SCAN_PKG_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include "scan/version.h"
#include "scan/os_release.h"

typedef enum {
    BRIG_PKG_DPKG = 1, BRIG_PKG_APK, BRIG_PKG_RPM,
    BRIG_PKG_NPM, BRIG_PKG_PYPI, BRIG_PKG_GO, BRIG_PKG_MAVEN,
} brig_pkg_type;

typedef struct {
    brig_pkg_type type;
    char *name;          /* maven: "group:artifact" (the OSV spelling) */
    char *group;         /* maven groupId, Go module path prefix is not split here; NULL otherwise */
    char *version;       /* dpkg/rpm: with epoch ("1:2.3-4") */
    char *src_name;      /* dpkg Source / apk origin / rpm source rpm name; NULL = same as name */
    char *src_version;   /* NULL = same as version */
    char *arch;
    char **licenses; size_t n_licenses;
    char *path;          /* file it was read from ("var/lib/dpkg/status", "app.jar!BOOT-INF/lib/x.jar") */
    size_t layer;        /* layer index that introduced it */
    char *purl;          /* filled by brig_pkg_fill_purls() */
} brig_pkg;

typedef struct { brig_pkg *v; size_t n, cap; } brig_pkglist;

/* Adds a package (strings copied; version may be NULL = ""). */
brig_pkg *brig_pkglist_add(brig_pkglist *l, brig_pkg_type t, const char *name, const char *version,
                           const char *path, size_t layer);
/* The same from (pointer, length) name and version, as database parsers hold
 * them, after the record limit every database shares: BRIG_EXIT_UNSAFE with
 * "path:line:1: more than ... packages" when l already has BRIG_PKG_MAX_RECORDS
 * (pkg_parsers.h).  line = the record's first line.  *added may be NULL. */
int brig_pkglist_add_span(brig_pkglist *l, brig_pkg_type t, const char *name, size_t name_len,
                          const char *version, size_t version_len, const char *path, size_t line, size_t layer,
                          brig_pkg **added);
void brig_pkg_set(char **field, const char *value);          /* replace a string field */
void brig_pkg_add_license(brig_pkg *p, const char *lic);     /* de-duplicated */
void brig_pkg_free(brig_pkg *p);                            /* frees the strings, not p */
void brig_pkglist_free(brig_pkglist *l);
/* Stable order: type, name, version, path. */
void brig_pkglist_sort(brig_pkglist *l);
/* Removes exact duplicates (type, name, version, path). */
void brig_pkglist_dedupe(brig_pkglist *l);

const char *brig_pkg_type_name(brig_pkg_type t);   /* "dpkg","apk","rpm","npm","python","gobinary","jar" */
const char *brig_pkg_purl_type(brig_pkg_type t);   /* "deb","apk","rpm","npm","pypi","golang","maven" */
brig_ecosystem brig_pkg_ecosystem(brig_pkg_type t);
/* Package URL (purl spec) for p; os may be NULL.  Caller frees. */
char *brig_pkg_purl(const brig_pkg *p, const brig_os *os);
void brig_pkglist_fill_purls(brig_pkglist *l, const brig_os *os);
#endif
