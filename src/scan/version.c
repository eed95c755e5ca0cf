/* Ecosystem names and dispatch to the per-ecosystem comparators. */
#include "scan/version.h"
#include "scan/version_internal.h"
#include <string.h>
#include <strings.h>

int brig_vernum_cmp(const char *a, size_t al, const char *b, size_t bl) {
    while (al && *a == '0') { a++; al--; }
    while (bl && *b == '0') { b++; bl--; }
    if (al != bl) return al < bl ? -1 : 1;
    int r = al ? memcmp(a, b, al) : 0;
    return brig_sign(r);
}

const char *brig_ecosystem_name(brig_ecosystem e) {
    switch (e) {
    case BRIG_ECO_DEBIAN: return "Debian";
    case BRIG_ECO_ALPINE: return "Alpine";
    case BRIG_ECO_RPM:    return "Red Hat";
    case BRIG_ECO_NPM:    return "npm";
    case BRIG_ECO_GO:     return "Go";
    case BRIG_ECO_PYPI:   return "PyPI";
    case BRIG_ECO_MAVEN:  return "Maven";
    default:              return "unknown";
    }
}

brig_ecosystem brig_ecosystem_parse(const char *s) {
    if (!s) return BRIG_ECO_UNKNOWN;
    /* OSV ecosystems may carry a release suffix: "Debian:12", "Alpine:v3.10". */
    size_t n = strcspn(s, ":");
    static const struct { const char *name; brig_ecosystem e; } names[] = {
        { "debian", BRIG_ECO_DEBIAN }, { "dpkg", BRIG_ECO_DEBIAN }, { "deb", BRIG_ECO_DEBIAN },
        { "alpine", BRIG_ECO_ALPINE }, { "apk", BRIG_ECO_ALPINE },
        { "red hat", BRIG_ECO_RPM }, { "redhat", BRIG_ECO_RPM }, { "rpm", BRIG_ECO_RPM },
        { "npm", BRIG_ECO_NPM }, { "node", BRIG_ECO_NPM },
        { "go", BRIG_ECO_GO }, { "golang", BRIG_ECO_GO }, { "gomod", BRIG_ECO_GO },
        { "pypi", BRIG_ECO_PYPI }, { "pip", BRIG_ECO_PYPI }, { "python", BRIG_ECO_PYPI },
        { "maven", BRIG_ECO_MAVEN }, { "java", BRIG_ECO_MAVEN },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && strncasecmp(s, names[i].name, n) == 0) return names[i].e;
    return BRIG_ECO_UNKNOWN;
}

int brig_version_compare(brig_ecosystem e, const char *a, const char *b) {
    if (!a) a = "";
    if (!b) b = "";
    switch (e) {
    case BRIG_ECO_DEBIAN: return brig_vercmp_dpkg(a, b);
    case BRIG_ECO_ALPINE: return brig_vercmp_apk(a, b);
    case BRIG_ECO_RPM:    return brig_vercmp_rpm(a, b);
    case BRIG_ECO_NPM:    return brig_vercmp_semver(a, b);
    case BRIG_ECO_GO:     return brig_vercmp_go(a, b);
    case BRIG_ECO_PYPI:   return brig_vercmp_pep440(a, b);
    case BRIG_ECO_MAVEN:  return brig_vercmp_maven(a, b);
    default:              return brig_sign(strcmp(a, b));
    }
}

bool brig_version_valid(brig_ecosystem e, const char *v) {
    if (!v) return false;
    switch (e) {
    case BRIG_ECO_DEBIAN: return brig_version_valid_dpkg(v);
    case BRIG_ECO_ALPINE: return brig_version_valid_apk(v);
    case BRIG_ECO_RPM:    return brig_version_valid_rpm(v);
    case BRIG_ECO_NPM:    return brig_version_valid_semver(v);
    case BRIG_ECO_GO:     return brig_version_valid_go(v);
    case BRIG_ECO_PYPI:   return brig_version_valid_pep440(v);
    case BRIG_ECO_MAVEN:  return brig_version_valid_maven(v);
    default:              return *v != 0;
    }
}
