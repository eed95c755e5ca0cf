/* Canonical forms of distro releases and package names, applied both when
 * writing and when querying so that "bookworm", "debian:12" and "Debian:12"
 * or "Django" and "django" find the same rows. */
#include "scan/vulndb_internal.h"
#include "scan/version_internal.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct { const char *codename, *number; } debian_releases[] = {
    { "buzz", "1.1" }, { "rex", "1.2" }, { "bo", "1.3" }, { "hamm", "2.0" }, { "slink", "2.1" },
    { "potato", "2.2" }, { "woody", "3.0" }, { "sarge", "3.1" }, { "etch", "4" }, { "lenny", "5" },
    { "squeeze", "6" }, { "wheezy", "7" }, { "jessie", "8" }, { "stretch", "9" }, { "buster", "10" },
    { "bullseye", "11" }, { "bookworm", "12" }, { "trixie", "13" }, { "forky", "14" }, { "duke", "15" },
};

char *brig_vulndb_norm_distro(brig_ecosystem e, const char *d) {
    if (!d) return xstrdup("");
    /* Drop a leading "debian:" / "alpine:" so both "debian:12" and "12" work. */
    const char *colon = strchr(d, ':');
    if (colon) d = colon + 1;
    while (*d == ' ') d++;
    if (e == BRIG_ECO_DEBIAN) {
        for (size_t i = 0; i < sizeof debian_releases / sizeof debian_releases[0]; i++)
            if (!strcasecmp(d, debian_releases[i].codename)) return xstrdup(debian_releases[i].number);
        /* "12.4" (os-release VERSION_ID of a point release) -> "12" */
        size_t n = 0;
        while (v_isdigit(d[n])) n++;
        if (n && (d[n] == '.' || d[n] == 0) && strtol(d, NULL, 10) >= 4) return xstrndup(d, n);
        char *s = xstrdup(d);
        for (char *p = s; *p; p++) *p = (char)v_tolower((unsigned char)*p);
        return s;
    }
    if (e == BRIG_ECO_ALPINE) {
        if (*d == 'v' || *d == 'V') d++;
        /* "3.18.4" -> "3.18": secdb is per minor release. */
        size_t n = 0, dots = 0;
        while (d[n] && (v_isdigit(d[n]) || d[n] == '.')) { if (d[n] == '.' && ++dots == 2) break; n++; }
        if (n && v_isdigit(d[0])) return xstrndup(d, n);
        char *s = xstrdup(d);
        for (char *p = s; *p; p++) *p = (char)v_tolower((unsigned char)*p);
        return s;
    }
    return xstrdup(d);
}

char *brig_vulndb_norm_pkg(brig_ecosystem e, const char *pkg) {
    if (e != BRIG_ECO_PYPI) return xstrdup(pkg);
    /* PEP 503: lowercase, runs of '-', '_', '.' become one '-'. */
    size_t n = strlen(pkg);
    char *s = xmalloc(n + 1), *o = s;
    for (size_t i = 0; i < n; i++) {
        char c = pkg[i];
        if (c == '-' || c == '_' || c == '.') {
            if (o == s || o[-1] != '-') *o++ = '-';
        } else *o++ = (char)v_tolower((unsigned char)c);
    }
    *o = 0;
    return s;
}
