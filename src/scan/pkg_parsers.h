/* Parsers for package databases and manifests.  Each takes the whole file
 * content (already size-limited by the caller), a display name used in error
 * messages ("var/lib/dpkg/status:12:1: ..."), and the layer it came from, and
 * appends to `out`.  Malformed input gives BRIG_EXIT_INPUT (or
 * BRIG_EXIT_UNSAFE for limit violations), never a crash. */
#ifndef BRIG_SCAN_PKG_PARSERS_H
#define BRIG_SCAN_PKG_PARSERS_H
#include <stddef.h>
#include "scan/pkg_model.h"

#define BRIG_PKG_MAX_RECORDS 500000   /* packages in one database file */
#define BRIG_PKG_MAX_DEPTH   64       /* nesting in package-lock v1 */
#define BRIG_JAR_MAX_DEPTH   3        /* jar-in-jar */

/* dpkg status / status.d file.  require_status: only "install ok installed"
 * stanzas count (status.d files of distroless images have no Status field). */
int brig_pkg_parse_dpkg(const char *name, const char *buf, size_t len, size_t layer,
                        int require_status, brig_pkglist *out);
/* DEP-5 copyright file: License: short names (first word of each License: line). */
int brig_pkg_parse_copyright(const char *buf, size_t len, char ***lics, size_t *n);
/* lib/apk/db/installed */
int brig_pkg_parse_apk(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out);
/* package-lock.json (lockfileVersion 1, 2, 3) and npm-shrinkwrap.json */
int brig_pkg_parse_npm_lock(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out);
/* node_modules/<pkg>/package.json */
int brig_pkg_parse_npm_package(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out);
/* *.dist-info/METADATA, *.egg-info/PKG-INFO or *.egg-info file */
int brig_pkg_parse_python(const char *name, const char *buf, size_t len, size_t layer, brig_pkglist *out);
/* ELF executable: Go build info (module path/versions and Go "stdlib").
 * Returns 0 without adding anything when the file is not a Go binary. */
int brig_pkg_parse_gobin(const char *name, const unsigned char *buf, size_t len, size_t layer, brig_pkglist *out);
/* True when the buffer (at least the first 4 bytes) starts an ELF file. */
int brig_pkg_is_elf(const unsigned char *buf, size_t len);
/* .jar/.war/.ear (zip): META-INF/maven/.../pom.properties, nested jars to BRIG_JAR_MAX_DEPTH. */
int brig_pkg_parse_jar(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out);
/* rpmdb.sqlite (SQLite file content) with rpm header blobs. */
int brig_pkg_parse_rpm_sqlite(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out);
/* ndb Packages.db (SUSE): slots and checksummed blobs, each an rpm header blob. */
int brig_pkg_parse_rpm_ndb(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out);
/* Berkeley DB Packages (file content), read with librpm's bdb_ro backend on a
 * private copy.  BRIG_EXIT_NOTIMPL when librpm cannot be loaded (the message
 * names the Debian package), BRIG_EXIT_INPUT when the database is damaged. */
int brig_pkg_parse_rpm_bdb(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out);
/* One rpm header blob (as stored in the Packages table). */
int brig_pkg_parse_rpm_header(const char *name, const unsigned char *buf, size_t len, size_t layer, brig_pkglist *out);
#endif
