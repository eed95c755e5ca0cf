/* Version comparison exactly as each package ecosystem defines it.  Each
 * comparator lives in its own file (version_<eco>.c) because the rules differ
 * in subtle ways (dpkg '~', rpm '^', PEP 440 normalisation, Maven qualifiers)
 * and a vulnerability match is only as good as its version order. */
#ifndef BRIG_SCAN_VERSION_H
#define BRIG_SCAN_VERSION_H
#include <stdbool.h>

typedef enum { BRIG_ECO_UNKNOWN=0, BRIG_ECO_DEBIAN, BRIG_ECO_ALPINE, BRIG_ECO_RPM, BRIG_ECO_NPM, BRIG_ECO_GO, BRIG_ECO_PYPI, BRIG_ECO_MAVEN } brig_ecosystem;
/* OSV names: "Debian","Alpine","Red Hat","npm","Go","PyPI","Maven" */
const char *brig_ecosystem_name(brig_ecosystem e);
/* Accepts OSV names incl. "Debian:12", "Alpine:v3.10", also "dpkg","apk","rpm","golang","pip","pypi". */
brig_ecosystem brig_ecosystem_parse(const char *s);
/* <0, 0, >0.  Invalid versions still compare deterministically (never crash). */
int brig_version_compare(brig_ecosystem e, const char *a, const char *b);
bool brig_version_valid(brig_ecosystem e, const char *v);

/* Per-ecosystem comparators (also used directly by tests). */
int brig_vercmp_dpkg(const char *a, const char *b);
bool brig_version_valid_dpkg(const char *v);
int brig_vercmp_apk(const char *a, const char *b);
bool brig_version_valid_apk(const char *v);
int brig_vercmp_rpm(const char *a, const char *b);      /* [epoch:]version[-release] */
int brig_rpmvercmp(const char *a, const char *b);       /* rpmvercmp() on one segment */
bool brig_version_valid_rpm(const char *v);
int brig_vercmp_semver(const char *a, const char *b);   /* SemVer 2.0.0 (npm); optional leading 'v'/'=' */
bool brig_version_valid_semver(const char *v);
int brig_vercmp_go(const char *a, const char *b);       /* Go module versions: "v1.2.3", "+incompatible" */
bool brig_version_valid_go(const char *v);
int brig_vercmp_pep440(const char *a, const char *b);
bool brig_version_valid_pep440(const char *v);
int brig_vercmp_maven(const char *a, const char *b);    /* ComparableVersion semantics */
bool brig_version_valid_maven(const char *v);
#endif
