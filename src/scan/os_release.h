/* Operating system identification of an image root (os-release(5), with the
 * older etc/alpine-release and etc/debian_version as fallbacks). */
#ifndef BRIG_SCAN_OS_RELEASE_H
#define BRIG_SCAN_OS_RELEASE_H
#include <stddef.h>

typedef struct {
    char *id;          /* "debian", "alpine", "ubuntu", "rhel"... NULL if unknown */
    char *version_id;  /* "12", "3.10.9" */
    char *codename;    /* "bookworm" or NULL */
    char *pretty;      /* PRETTY_NAME or NULL */
    char *id_like;     /* ID_LIKE or NULL */
} brig_os;

/* Parse os-release content.  Unknown keys are ignored; malformed lines give
 * BRIG_EXIT_INPUT naming name:line. */
int brig_os_parse_release(const char *name, const char *buf, size_t len, brig_os *os);
/* Fill gaps from etc/alpine-release ("3.10.9") / etc/debian_version ("12.4"). */
void brig_os_from_alpine_release(brig_os *os, const char *buf, size_t len);
void brig_os_from_debian_version(brig_os *os, const char *buf, size_t len);
void brig_os_free(brig_os *os);
/* Family for vulnerability lookup: "debian", "alpine", "rpm" or NULL. */
const char *brig_os_family(const brig_os *os);
/* Distro key for the vulnerability DB: "debian:12", "alpine:3.10", NULL if unknown.  Caller frees. */
char *brig_os_distro_key(const brig_os *os);
/* "debian-12" style qualifier value for PURLs (caller frees) or NULL. */
char *brig_os_purl_distro(const brig_os *os);
#endif
