/* Path predicate of the inventory: decides from the path alone (plus mode and
 * size) whether a file's content is needed, so the walk reads nothing else. */
#include "scan/scan_inventory.h"
#include <string.h>
#include <strings.h>

static int ends(const char *s, size_t n, const char *suf) {
    size_t k = strlen(suf);
    return n >= k && !memcmp(s + n - k, suf, k);
}
static int iends(const char *s, size_t n, const char *suf) {
    size_t k = strlen(suf);
    return n >= k && !strncasecmp(s + n - k, suf, k);
}

/* ".../node_modules/<name>/package.json" or ".../node_modules/@scope/<name>/package.json" */
static int npm_pkg_json(const char *p, size_t n) {
    if (!ends(p, n, "/package.json")) return 0;
    size_t end = n - 13;                   /* end of the package dir */
    size_t s = end;
    while (s > 0 && p[s - 1] != '/') s--;  /* start of <name> */
    if (s == end) return 0;
    size_t parent_end = s ? s - 1 : 0;
    if (!s) return 0;
    size_t ps = parent_end;
    while (ps > 0 && p[ps - 1] != '/') ps--;
    if (parent_end - ps == 12 && !memcmp(p + ps, "node_modules", 12)) return p[s] != '.';
    if (p[ps] == '@' && ps > 0) {          /* scoped: parent is @scope, grandparent node_modules */
        size_t ge = ps - 1, gs = ge;
        while (gs > 0 && p[gs - 1] != '/') gs--;
        return ge - gs == 12 && !memcmp(p + gs, "node_modules", 12);
    }
    return 0;
}

brig_inv_kind brig_inv_classify(const char *p, unsigned mode, unsigned long long size) {
    size_t n = strlen(p);
    switch (p[0]) {   /* fixed paths first (cheap) */
    case 'e':
        if (!strcmp(p, "etc/os-release")) return BRIG_INV_OSREL_ETC;
        if (!strcmp(p, "etc/alpine-release")) return BRIG_INV_ALPINE_REL;
        if (!strcmp(p, "etc/debian_version")) return BRIG_INV_DEBIAN_VER;
        break;
    case 'u':
        if (!strcmp(p, "usr/lib/os-release")) return BRIG_INV_OSREL_USR;
        if (!strncmp(p, "usr/share/doc/", 14) && n > 14 + 10 && ends(p, n, "/copyright") && !memchr(p + 14, '/', n - 14 - 10))
            return BRIG_INV_DPKG_COPYRIGHT;
        if (!strcmp(p, "usr/lib/sysimage/rpm/rpmdb.sqlite")) return BRIG_INV_RPM_SQLITE;
        if (!strcmp(p, "usr/lib/sysimage/rpm/Packages") || !strcmp(p, "usr/lib/sysimage/rpm/Packages.db")) return BRIG_INV_RPM_BDB;
        break;
    case 'v':
        if (!strcmp(p, "var/lib/dpkg/status")) return BRIG_INV_DPKG_STATUS;
        if (!strncmp(p, "var/lib/dpkg/status.d/", 22) && n > 22 && !memchr(p + 22, '/', n - 22) && !ends(p, n, ".md5sums"))
            return BRIG_INV_DPKG_STATUSD;
        if (!strcmp(p, "var/lib/rpm/rpmdb.sqlite")) return BRIG_INV_RPM_SQLITE;
        if (!strcmp(p, "var/lib/rpm/Packages") || !strcmp(p, "var/lib/rpm/Packages.db")) return BRIG_INV_RPM_BDB;
        break;
    case 'l':
        if (!strcmp(p, "lib/apk/db/installed")) return BRIG_INV_APK;
        break;
    }
    const char *base = strrchr(p, '/');
    base = base ? base + 1 : p;
    if (!strcmp(base, "package-lock.json") || !strcmp(base, "npm-shrinkwrap.json")) {
        /* a lockfile inside node_modules belongs to a published package, not to what is installed */
        if (!strstr(p, "node_modules/")) return BRIG_INV_NPM_LOCK;
        return BRIG_INV_NONE;
    }
    if (npm_pkg_json(p, n)) return BRIG_INV_NPM_PKG;
    if ((ends(p, n, ".dist-info/METADATA") || ends(p, n, ".egg-info/PKG-INFO") || ends(p, n, ".egg-info")) &&
        !(ends(p, n, ".egg-info") && n == 9))
        return BRIG_INV_PY_META;
    if (iends(p, n, ".jar") || iends(p, n, ".war") || iends(p, n, ".ear") || iends(p, n, ".jpi") || iends(p, n, ".hpi"))
        return BRIG_INV_JAR;
    /* Executables big enough to hold an ELF header may be Go binaries; the
     * first bytes decide (see the inventory). */
    if ((mode & 0111) && size >= 1024) return BRIG_INV_EXEC;
    return BRIG_INV_NONE;
}
