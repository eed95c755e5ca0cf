/* SBOM building blocks: SPDX license mapping/expressions, CycloneDX and SPDX
 * documents from a synthetic inventory, vulnerability matching filters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "scan/sbom_license.h"
#include "scan/sbom_write.h"
#include "scan/scan_match.h"

static void license_ids(void **st) {
    (void)st;
    assert_string_equal(brig_spdx_id("GPL-2+"), "GPL-2.0-or-later");
    assert_string_equal(brig_spdx_id("Expat"), "MIT");
    assert_string_equal(brig_spdx_id("bsd-3-clause"), "BSD-3-Clause");
    assert_string_equal(brig_spdx_id("Apache-2.0"), "Apache-2.0");
    assert_null(brig_spdx_id("Some Custom License"));
}

static void license_expressions(void **st) {
    (void)st;
    char **refs = NULL, **texts = NULL; size_t n = 0;
    char *l1[] = { "GPL-2+ or Artistic", "LGPL-2.1+" };
    char *e = brig_spdx_expression(l1, 2, &refs, &texts, &n);
    assert_string_equal(e, "(GPL-2.0-or-later OR Artistic-1.0-Perl) AND LGPL-2.1-or-later");
    free(e);
    assert_int_equal(n, 0);
    char *l2[] = { "BSD License" };   /* words without operators: a name, not an expression */
    e = brig_spdx_expression(l2, 1, &refs, &texts, &n);
    assert_string_equal(e, "LicenseRef-BSD-License");
    assert_int_equal(n, 1);
    assert_string_equal(texts[0], "BSD License");
    free(e);
    char *l3[] = { "(MIT OR custom-thing)" };
    e = brig_spdx_expression(l3, 1, &refs, &texts, &n);
    assert_string_equal(e, "(MIT OR LicenseRef-custom-thing)");
    free(e);
    assert_int_equal(n, 2);
    char *l4[] = { "MIT AND (" };
    e = brig_spdx_expression(l4, 1, &refs, &texts, &n);
    assert_true(!strncmp(e, "LicenseRef-", 11));
    free(e);
    /* Annex D: WITH takes a single license on the left and a known exception on
     * the right; an exception is no license on its own. */
    struct { const char *in, *out; } with[] = {
        { "GPL-2.0-only with OpenSSL-exception", "GPL-2.0-only WITH OpenSSL-exception" },
        { "GPLv3+ and GPLv3+ with exceptions", "LicenseRef-GPLv3--and-GPLv3--with-exceptions" },   /* RPM */
        { "GPL-2.0-only with OpenSSL", "LicenseRef-GPL-2.0-only-with-OpenSSL" },
        { "(MIT OR Apache-2.0) WITH LLVM-exception", "LicenseRef--MIT-OR-Apache-2.0--WITH-LLVM-exception" },
        { "Apache-2.0 WITH LLVM-exception WITH LLVM-exception", "LicenseRef-Apache-2.0-WITH-LLVM-exception-WITH-LLVM-exception" },
        { "GCC-exception-3.1", "LicenseRef-GCC-exception-3.1" },
        { "GPL-3.0-or-later AND GCC-exception-3.1", "LicenseRef-GPL-3.0-or-later-AND-GCC-exception-3.1" },
        { "GPL-3+ with GCC-exception-3.1 or MIT", "GPL-3.0-or-later WITH GCC-exception-3.1 OR MIT" },
    };
    for (size_t i = 0; i < sizeof with / sizeof with[0]; i++) {
        char *l[] = { (char *)with[i].in };
        e = brig_spdx_expression(l, 1, &refs, &texts, &n);
        assert_string_equal(e, with[i].out);
        free(e);
    }
    assert_null(brig_spdx_id("GCC-exception-3.1"));
    for (size_t i = 0; i < n; i++) { free(refs[i]); free(texts[i]); }
    free(refs); free(texts);
    assert_null(brig_spdx_expression(NULL, 0, &refs, &texts, &n));
}

static brig_inventory sample(void) {
    brig_inventory inv; memset(&inv, 0, sizeof inv);
    inv.os.id = strdup("debian"); inv.os.version_id = strdup("12");
    brig_pkg *p = brig_pkglist_add(&inv.pkgs, BRIG_PKG_DPKG, "bash", "5.2.15-2+b2", "var/lib/dpkg/status", 0);
    brig_pkg_add_license(p, "GPL-3+");
    p->arch = strdup("amd64");
    p = brig_pkglist_add(&inv.pkgs, BRIG_PKG_NPM, "@scope/x", "1.0.0", "srv/node_modules/@scope/x/package.json", 1);
    brig_pkg_add_license(p, "Weird License 1.0");
    /* same purl twice (two install paths): bom-refs must stay unique */
    brig_pkglist_add(&inv.pkgs, BRIG_PKG_NPM, "@scope/x", "1.0.0", "other/node_modules/@scope/x/package.json", 1);
    p = brig_pkglist_add(&inv.pkgs, BRIG_PKG_MAVEN, "org.a:b", "2.0", "app.jar", 2);
    p->group = strdup("org.a");
    brig_pkglist_fill_purls(&inv.pkgs, &inv.os);
    return inv;
}

static void cyclonedx_doc(void **st) {
    (void)st;
    brig_inventory inv = sample();
    brig_vulnlist vl = {0};
    vl.v = calloc(2, sizeof *vl.v); vl.n = 2; vl.cap = 2;
    vl.v[0].pkg = 0; vl.v[0].m.id = strdup("CVE-2022-1"); vl.v[0].m.severity = BRIG_SEV_HIGH;
    vl.v[0].m.cvss_score = 7.5; vl.v[0].m.fixed_version = strdup("5.2.15-3");
    vl.v[1].pkg = 3; vl.v[1].m.id = strdup("CVE-2022-2"); vl.v[1].ignored = true;
    json_t *d = brig_sbom_cyclonedx(NULL, "oci:x", &inv, &vl);
    assert_string_equal(json_string_value(json_object_get(d, "specVersion")), "1.5");
    assert_true(!strncmp(json_string_value(json_object_get(d, "serialNumber")), "urn:uuid:", 9));
    json_t *c = json_object_get(d, "components");
    assert_int_equal(json_array_size(c), 5);   /* os + 4 */
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "type")), "operating-system");
    json_t *bash = json_array_get(c, 1);
    assert_string_equal(json_string_value(json_object_get(bash, "purl")), "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12");
    json_t *lic = json_object_get(json_array_get(json_object_get(bash, "licenses"), 0), "license");
    assert_string_equal(json_string_value(json_object_get(lic, "id")), "GPL-3.0-or-later");
    const char *r1 = json_string_value(json_object_get(json_array_get(c, 2), "bom-ref"));
    const char *r2 = json_string_value(json_object_get(json_array_get(c, 3), "bom-ref"));
    assert_string_not_equal(r1, r2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 2), "group")), "@scope");
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 4), "name")), "b");
    json_t *va = json_object_get(d, "vulnerabilities");
    assert_int_equal(json_array_size(va), 1);   /* the ignored one is left out */
    json_t *rt = json_array_get(json_object_get(json_array_get(va, 0), "ratings"), 0);
    assert_string_equal(json_string_value(json_object_get(rt, "severity")), "high");
    json_decref(d);
    brig_vulnlist_free(&vl);
    brig_inventory_free(&inv);
}

static void spdx_doc(void **st) {
    (void)st;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    brig_inventory inv = sample();
    json_t *d = brig_sbom_spdx(NULL, "oci:x", &inv);
    assert_string_equal(json_string_value(json_object_get(d, "spdxVersion")), "SPDX-2.3");
    assert_string_equal(json_string_value(json_object_get(json_object_get(d, "creationInfo"), "created")), "2023-11-14T22:13:20Z");
    json_t *p = json_object_get(d, "packages");
    assert_int_equal(json_array_size(p), 6);   /* image + os + 4 */
    json_t *bash = json_array_get(p, 2);
    assert_string_equal(json_string_value(json_object_get(bash, "licenseDeclared")), "GPL-3.0-or-later");
    json_t *npm = json_array_get(p, 3);
    assert_string_equal(json_string_value(json_object_get(npm, "licenseDeclared")), "LicenseRef-Weird-License-1.0");
    json_t *ex = json_object_get(d, "hasExtractedLicensingInfos");
    assert_int_equal(json_array_size(ex), 1);
    assert_int_equal(json_array_size(json_object_get(d, "relationships")), 6);
    json_decref(d);
    brig_inventory_free(&inv);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void filters(void **st) {
    (void)st;
    brig_vulnlist vl = {0};
    vl.v = calloc(3, sizeof *vl.v); vl.n = 3; vl.cap = 3;
    vl.v[0].m.severity = BRIG_SEV_CRITICAL; vl.v[0].m.fixed_version = strdup("2");
    vl.v[1].m.severity = BRIG_SEV_LOW; vl.v[1].m.fixed_version = strdup("2");
    vl.v[2].m.severity = BRIG_SEV_CRITICAL;   /* no fix */
    brig_scan_filter(&vl, 1u << BRIG_SEV_CRITICAL, false);
    assert_int_equal(brig_scan_visible(&vl), 2);
    brig_scan_filter(&vl, 1u << BRIG_SEV_CRITICAL, true);
    assert_int_equal(brig_scan_visible(&vl), 1);
    brig_scan_filter(&vl, 0, false);
    assert_int_equal(brig_scan_visible(&vl), 3);
    vl.v[0].ignored = true;
    assert_int_equal(brig_scan_visible(&vl), 2);
    brig_vulnlist_free(&vl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(license_ids), cmocka_unit_test(license_expressions), cmocka_unit_test(cyclonedx_doc),
        cmocka_unit_test(spdx_doc), cmocka_unit_test(filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
