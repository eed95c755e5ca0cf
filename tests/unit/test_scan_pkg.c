/* Package inventory parsers: dpkg, apk, npm, Python, Go build info, jars, rpm
 * headers, os-release, PURLs and the path classifier. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan/pkg_parsers.h"
#include "scan/scan_inventory.h"
#include "util/err.h"
#include "util/exitcodes.h"
#include "util/fileio.h"
#include <sqlite3.h>
#include <unistd.h>

static const brig_pkg *find(const brig_pkglist *l, const char *name) {
    for (size_t i = 0; i < l->n; i++) if (!strcmp(l->v[i].name, name)) return &l->v[i];
    return NULL;
}

static void dpkg_status(void **st) {
    (void)st;
    const char *s =
        "Package: libc6\n"
        "Status: install ok installed\n"
        "Architecture: amd64\n"
        "Source: glibc\n"
        "Version: 2.36-9+deb12u4\n"
        "Description: GNU C Library\n"
        " Contains the standard libraries.\n"
        " .\n"
        " Package: fake-from-description\n"
        "\n"
        "Package: bsdutils\n"
        "Status: install ok installed\n"
        "Source: util-linux (2.38.1-5)\n"
        "Version: 1:2.38.1-5+b1\n"
        "Architecture: amd64\n"
        "\n\n"
        "Package: removed-pkg\n"
        "Status: deinstall ok config-files\n"
        "Version: 1.0\n"
        "\n"
        "Package: held\n"
        "Status: hold ok installed\n"
        "Version: 2.0\n";
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_dpkg("status", s, strlen(s), 3, 1, &l), 0);
    assert_int_equal(l.n, 3);
    const brig_pkg *p = find(&l, "libc6");
    assert_non_null(p);
    assert_string_equal(p->version, "2.36-9+deb12u4");
    assert_string_equal(p->src_name, "glibc");
    assert_null(p->src_version);
    assert_string_equal(p->arch, "amd64");
    assert_int_equal(p->layer, 3);
    p = find(&l, "bsdutils");
    assert_string_equal(p->src_name, "util-linux");
    assert_string_equal(p->src_version, "2.38.1-5");
    assert_string_equal(p->version, "1:2.38.1-5+b1");
    assert_null(find(&l, "removed-pkg"));
    assert_null(find(&l, "fake-from-description"));
    assert_non_null(find(&l, "held"));
    brig_os os = { .id = "debian", .version_id = "12" };
    char *purl = brig_pkg_purl(find(&l, "bsdutils"), &os);
    assert_string_equal(purl, "pkg:deb/debian/bsdutils@2.38.1-5%2Bb1?arch=amd64&distro=debian-12&epoch=1");
    free(purl);
    brig_pkglist_free(&l);

    /* distroless status.d: no Status field, still installed */
    const char *d = "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n";
    assert_int_equal(brig_pkg_parse_dpkg("status.d/tzdata", d, strlen(d), 0, 0, &l), 0);
    assert_int_equal(l.n, 1);
    brig_pkglist_free(&l);
}

static void dpkg_errors(void **st) {
    (void)st;
    brig_pkglist l = {0};
    const char *bad = "Package: a\nStatus: install ok installed\nVersion: 1\n\nthis line is not a field\n";
    assert_int_equal(brig_pkg_parse_dpkg("var/lib/dpkg/status", bad, strlen(bad), 0, 1, &l), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "var/lib/dpkg/status:5:1"));
    const char *nover = "Package: a\nStatus: install ok installed\n";
    assert_int_equal(brig_pkg_parse_dpkg("s", nover, strlen(nover), 0, 1, &l), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "no Version"));
    const char *cont = " leading continuation\n";
    assert_int_equal(brig_pkg_parse_dpkg("s", cont, strlen(cont), 0, 1, &l), BRIG_EXIT_INPUT);
    const char *paren = "Package: a\nStatus: install ok installed\nVersion: 1\nSource: x (1.0\n";
    assert_int_equal(brig_pkg_parse_dpkg("s", paren, strlen(paren), 0, 1, &l), BRIG_EXIT_INPUT);
    brig_pkglist_free(&l);
}

static void copyright_licenses(void **st) {
    (void)st;
    const char *c = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
                    "Files: *\nCopyright: 2000 X\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: LGPL-2.1+\n text\n\n"
                    "License: GPL-2+\n full text\n";
    char **lics; size_t n;
    assert_int_equal(brig_pkg_parse_copyright(c, strlen(c), &lics, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(lics[0], "GPL-2+");
    assert_string_equal(lics[1], "LGPL-2.1+");
    for (size_t i = 0; i < n; i++) free(lics[i]);
    free(lics);
}

static void apk_installed(void **st) {
    (void)st;
    const char *s = "C:Q1abc=\nP:libcrypto1.1\nV:1.1.1c-r0\nA:x86_64\nL:OpenSSL\no:openssl\nF:lib\nR:libcrypto.so.1.1\n\n"
                    "P:musl\nV:1.1.22-r2\nA:x86_64\nL:MIT\no:musl\n";
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_apk("lib/apk/db/installed", s, strlen(s), 1, &l), 0);
    assert_int_equal(l.n, 2);
    const brig_pkg *p = find(&l, "libcrypto1.1");
    assert_string_equal(p->src_name, "openssl");
    assert_string_equal(p->licenses[0], "OpenSSL");
    brig_os os = { .id = "alpine", .version_id = "3.10.2" };
    char *purl = brig_pkg_purl(p, &os);
    assert_string_equal(purl, "pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2");
    free(purl);
    brig_pkglist_free(&l);
    const char *bad = "P:x\nV:1\n\nnot-a-field\n";
    assert_int_equal(brig_pkg_parse_apk("inst", bad, strlen(bad), 0, &l), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "inst:4:1"));
    const char *nov = "P:x\nA:x86_64\n";
    assert_int_equal(brig_pkg_parse_apk("inst", nov, strlen(nov), 0, &l), BRIG_EXIT_INPUT);
    brig_pkglist_free(&l);
}

static void npm_locks(void **st) {
    (void)st;
    const char *v3 = "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\"},"
                     "\"node_modules/a\":{\"version\":\"1.0.0\",\"license\":\"MIT\"},"
                     "\"node_modules/a/node_modules/@s/b\":{\"version\":\"2.0.0\"},"
                     "\"node_modules/dev\":{\"version\":\"1.0.0\",\"dev\":true},"
                     "\"node_modules/alias\":{\"name\":\"real\",\"version\":\"3.0.0\"},"
                     "\"node_modules/ln\":{\"link\":true,\"resolved\":\"pkgs/ln\"},"
                     "\"node_modules/git\":{\"version\":\"git+https://x/y.git\"}}}";
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_npm_lock("package-lock.json", v3, strlen(v3), 0, &l), 0);
    assert_int_equal(l.n, 3);
    assert_non_null(find(&l, "a"));
    assert_non_null(find(&l, "@s/b"));
    assert_non_null(find(&l, "real"));
    assert_null(find(&l, "dev"));
    char *purl = brig_pkg_purl(find(&l, "@s/b"), NULL);
    assert_string_equal(purl, "pkg:npm/%40s/b@2.0.0");
    free(purl);
    brig_pkglist_free(&l);

    const char *v1 = "{\"lockfileVersion\":1,\"dependencies\":{\"express\":{\"version\":\"4.16.0\","
                     "\"dependencies\":{\"qs\":{\"version\":\"6.5.1\"}}},\"mocha\":{\"version\":\"5.2.0\",\"dev\":true}}}";
    assert_int_equal(brig_pkg_parse_npm_lock("l.json", v1, strlen(v1), 0, &l), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(find(&l, "qs")->version, "6.5.1");
    brig_pkglist_free(&l);

    const char *bad = "{\"lockfileVersion\":2,\n \"packages\": [1,}";
    assert_int_equal(brig_pkg_parse_npm_lock("bad.json", bad, strlen(bad), 0, &l), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "bad.json:2:"));
    const char *v9 = "{\"lockfileVersion\":9}";
    assert_int_equal(brig_pkg_parse_npm_lock("v9.json", v9, strlen(v9), 0, &l), BRIG_EXIT_INPUT);

    /* v1 nesting bomb is refused, not recursed into forever */
    char *deep = malloc(100 * 64 + 200);
    strcpy(deep, "{\"lockfileVersion\":1,\"dependencies\":");
    for (int i = 0; i < 80; i++) strcat(deep, "{\"x\":{\"version\":\"1.0.0\",\"dependencies\":");
    strcat(deep, "{}");
    for (int i = 0; i < 80; i++) strcat(deep, "}}");
    strcat(deep, "}");
    assert_int_equal(brig_pkg_parse_npm_lock("deep.json", deep, strlen(deep), 0, &l), BRIG_EXIT_UNSAFE);
    free(deep);
    brig_pkglist_free(&l);

    const char *pj = "{\"name\":\"lodash\",\"version\":\"4.17.15\",\"licenses\":[{\"type\":\"MIT\"}]}";
    assert_int_equal(brig_pkg_parse_npm_package("node_modules/lodash/package.json", pj, strlen(pj), 0, &l), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].licenses[0], "MIT");
    brig_pkglist_free(&l);
}

static void python_metadata(void **st) {
    (void)st;
    const char *m = "Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\nLicense: BSD-3-Clause\n"
                    "Classifier: License :: OSI Approved :: BSD License\n\nName: body-is-ignored\n";
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_python("x.dist-info/METADATA", m, strlen(m), 0, &l), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].name, "Jinja2");
    assert_string_equal(l.v[0].licenses[0], "BSD-3-Clause");
    char *purl = brig_pkg_purl(&l.v[0], NULL);
    assert_string_equal(purl, "pkg:pypi/jinja2@3.1.2");
    free(purl);
    brig_pkglist_free(&l);
    const char *cl = "Name: zope.interface\nVersion: 5.0\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: Zope Public License\n";
    assert_int_equal(brig_pkg_parse_python("PKG-INFO", cl, strlen(cl), 0, &l), 0);
    assert_string_equal(l.v[0].licenses[0], "Zope Public License");
    purl = brig_pkg_purl(&l.v[0], NULL);
    assert_string_equal(purl, "pkg:pypi/zope-interface@5.0");
    free(purl);
    brig_pkglist_free(&l);
    const char *nov = "Name: x\nSummary: y\n";
    assert_int_equal(brig_pkg_parse_python("PKG-INFO", nov, strlen(nov), 0, &l), BRIG_EXIT_INPUT);
    const char *bad = "Name: x\nno colon here\n";
    assert_int_equal(brig_pkg_parse_python("PKG-INFO", bad, strlen(bad), 0, &l), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "PKG-INFO:2:1"));
    brig_pkglist_free(&l);
}

/* ---- Go build info in synthetic ELF files ---- */
static void put64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }

#define VBASE 0x400000u
static const char MODINFO[] =
    "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6"
    "path\texample.com/cmd/app\n"
    "mod\texample.com/cmd/app\t(devel)\t\n"
    "dep\tgolang.org/x/net\tv0.7.0\th1:abc=\n"
    "dep\tgithub.com/old/mod\tv1.0.0\th1:def=\n"
    "=>\tgithub.com/new/mod\tv1.2.0\th1:ghi=\n"
    "build\t-compiler=gc\n"
    "\xf9" "2C1\x86\x18 r\x00\x82" "B\x10" "A\x16\xd8\xf2";

/* ELF64 LE with one PT_LOAD covering the file (vaddr VBASE), no section headers. */
static unsigned char *make_elf(size_t size) {
    unsigned char *b = calloc(1, size);
    memcpy(b, "\x7f" "ELF", 4);
    b[4] = 2; b[5] = 1; b[6] = 1;
    put16(b + 0x10, 2); put16(b + 0x12, 62); put32(b + 0x14, 1);
    put64(b + 0x20, 64);            /* phoff */
    put16(b + 0x34, 64); put16(b + 0x36, 56); put16(b + 0x38, 1);
    unsigned char *ph = b + 64;
    put32(ph, 1); put32(ph + 4, 5);
    put64(ph + 8, 0); put64(ph + 16, VBASE); put64(ph + 24, VBASE);
    put64(ph + 32, size); put64(ph + 40, size); put64(ph + 48, 0x1000);
    return b;
}

static void go_inline(void **st) {
    (void)st;
    size_t size = 0x1000;
    unsigned char *b = make_elf(size);
    unsigned char *bi = b + 0x200;
    memcpy(bi, "\xff Go buildinf:", 14);
    bi[14] = 8; bi[15] = 2;
    size_t o = 32;
    bi[o++] = 8; memcpy(bi + o, "go1.21.3", 8); o += 8;
    size_t ml = sizeof MODINFO - 1;
    bi[o++] = (unsigned char)(0x80 | (ml & 0x7f)); bi[o++] = (unsigned char)(ml >> 7);
    memcpy(bi + o, MODINFO, ml);
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_gobin("usr/bin/app", b, size, 2, &l), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(find(&l, "stdlib")->version, "v1.21.3");
    assert_string_equal(find(&l, "golang.org/x/net")->version, "v0.7.0");
    assert_string_equal(find(&l, "github.com/new/mod")->version, "v1.2.0");   /* replacement wins */
    assert_null(find(&l, "example.com/cmd/app"));                             /* (devel) main module */
    char *purl = brig_pkg_purl(find(&l, "golang.org/x/net"), NULL);
    assert_string_equal(purl, "pkg:golang/golang.org/x/net@v0.7.0");
    free(purl);
    brig_pkglist_free(&l);
    /* truncated varint string: clear error, no crash */
    assert_int_equal(brig_pkg_parse_gobin("usr/bin/app", b, 0x200 + 32 + 9 + 10, 0, &l), BRIG_EXIT_INPUT);
    brig_pkglist_free(&l);
    free(b);
}

static void go_pointer_format(void **st) {
    (void)st;
    size_t size = 0x1000;
    unsigned char *b = make_elf(size);
    unsigned char *bi = b + 0x100;
    memcpy(bi, "\xff Go buildinf:", 14);
    bi[14] = 8; bi[15] = 0;             /* pointer format, little endian */
    put64(bi + 16, VBASE + 0x200);      /* -> version string header */
    put64(bi + 24, VBASE + 0x210);      /* -> modinfo string header */
    put64(b + 0x200, VBASE + 0x300); put64(b + 0x208, 6);
    memcpy(b + 0x300, "go1.16", 6);
    size_t ml = sizeof MODINFO - 1;
    put64(b + 0x210, VBASE + 0x400); put64(b + 0x218, ml);
    memcpy(b + 0x400, MODINFO, ml);
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_gobin("bin/old", b, size, 0, &l), 0);
    assert_string_equal(find(&l, "stdlib")->version, "v1.16.0");
    assert_non_null(find(&l, "golang.org/x/net"));
    brig_pkglist_free(&l);
    /* pointer outside the file */
    put64(b + 0x218, 0x7fffffff);
    assert_int_equal(brig_pkg_parse_gobin("bin/old", b, size, 0, &l), BRIG_EXIT_INPUT);
    brig_pkglist_free(&l);
    /* not Go: plain ELF adds nothing */
    unsigned char *plain = make_elf(0x400);
    assert_int_equal(brig_pkg_parse_gobin("bin/c", plain, 0x400, 0, &l), 0);
    assert_int_equal(l.n, 0);
    free(plain);
    free(b);
}

static void go_real_binary(void **st) {
    (void)st;
    char *buf; size_t len;
    if (brig_read_file("/usr/bin/umoci", 512u << 20, &buf, &len)) { skip(); return; }
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_gobin("usr/bin/umoci", (unsigned char *)buf, len, 0, &l), 0);
    const brig_pkg *p = find(&l, "stdlib");
    assert_non_null(p);
    assert_true(!strncmp(p->version, "v1.", 3));
    brig_pkglist_free(&l);
    free(buf);
}

/* ---- jars ---- */
static void zip_add(struct archive *a, const char *name, const void *data, size_t len) {
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
    archive_entry_free(e);
}
static size_t make_zip(unsigned char *out, size_t cap, const char **names, const void **datas, const size_t *lens, int n) {
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    size_t used = 0;
    assert_int_equal(archive_write_open_memory(a, out, cap, &used), ARCHIVE_OK);
    for (int i = 0; i < n; i++) zip_add(a, names[i], datas[i], lens[i]);
    archive_write_close(a);
    archive_write_free(a);
    return used;
}

static void jar_nested(void **st) {
    (void)st;
    static unsigned char inner[8192], deep[8192], mid[16384], outer[32768];
    const char *pp = "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n";
    const char *n1[] = { "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties" };
    const void *d1[] = { pp }; size_t l1[] = { strlen(pp) };
    size_t inner_len = make_zip(inner, sizeof inner, n1, d1, l1, 1);
    const char *pd = "groupId = commons-collections\nartifactId = commons-collections\nversion = 3.2.1\n";
    const char *n2[] = { "META-INF/maven/commons-collections/commons-collections/pom.properties" };
    const void *d2[] = { pd }; size_t l2[] = { strlen(pd) };
    size_t deep_len = make_zip(deep, sizeof deep, n2, d2, l2, 1);
    const char *n3[] = { "lib/cc.jar" };
    const void *d3[] = { deep }; size_t l3[] = { deep_len };
    size_t mid_len = make_zip(mid, sizeof mid, n3, d3, l3, 1);
    const char *po = "groupId=com.example\nartifactId=demo\nversion=1.0.0\n";
    const char *n4[] = { "META-INF/maven/com.example/demo/pom.properties", "BOOT-INF/lib/log4j-core-2.14.1.jar",
                         "BOOT-INF/lib/mid.jar", "META-INF/maven/too/deep/x/pom.properties" };
    const void *d4[] = { po, inner, mid, po }; size_t l4[] = { strlen(po), inner_len, mid_len, strlen(po) };
    size_t outer_len = make_zip(outer, sizeof outer, n4, d4, l4, 4);
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_jar("opt/app.jar", outer, outer_len, 1, &l), 0);
    assert_int_equal(l.n, 3);
    const brig_pkg *p = find(&l, "org.apache.logging.log4j:log4j-core");
    assert_non_null(p);
    assert_string_equal(p->version, "2.14.1");
    assert_string_equal(p->path, "opt/app.jar!BOOT-INF/lib/log4j-core-2.14.1.jar");
    p = find(&l, "commons-collections:commons-collections");
    assert_non_null(p);
    assert_string_equal(p->path, "opt/app.jar!BOOT-INF/lib/mid.jar!lib/cc.jar");
    char *purl = brig_pkg_purl(p, NULL);
    assert_string_equal(purl, "pkg:maven/commons-collections/commons-collections@3.2.1");
    free(purl);
    brig_pkglist_free(&l);
    assert_int_equal(brig_pkg_parse_jar("bad.jar", "not a zip at all", 16, 0, &l), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "bad.jar"));
    brig_pkglist_free(&l);
}

/* ---- rpm header blob ---- */
static void be32w(unsigned char *p, uint32_t v) { p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16); p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v; }

static void rpm_header(void **st) {
    (void)st;
    unsigned char b[512] = {0};
    const char *strs[] = { "bash", "5.1.8", "6.el9", "GPLv3+", "x86_64", "bash-5.1.8-6.el9.src.rpm" };
    uint32_t tags[] = { 1000, 1001, 1002, 1014, 1022, 1044 };
    unsigned char data[256] = {0};
    uint32_t off = 0, offs[6];
    be32w(data, 1); off = 4;                   /* epoch int32 at offset 0 */
    for (int i = 0; i < 6; i++) { offs[i] = off; strcpy((char *)data + off, strs[i]); off += (uint32_t)strlen(strs[i]) + 1; }
    uint32_t il = 7;
    be32w(b, il); be32w(b + 4, off);
    unsigned char *e = b + 8;
    be32w(e, 1003); be32w(e + 4, 4); be32w(e + 8, 0); be32w(e + 12, 1); e += 16;
    for (int i = 0; i < 6; i++, e += 16) { be32w(e, tags[i]); be32w(e + 4, 6); be32w(e + 8, offs[i]); be32w(e + 12, 1); }
    memcpy(b + 8 + il * 16, data, off);
    size_t len = 8 + il * 16 + off;
    brig_pkglist l = {0};
    assert_int_equal(brig_pkg_parse_rpm_header("rpmdb.sqlite", b, len, 0, &l), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].version, "1:5.1.8-6.el9");
    assert_string_equal(l.v[0].src_name, "bash");
    assert_string_equal(l.v[0].src_version, "1:5.1.8-6.el9");
    brig_os os = { .id = "rhel", .version_id = "9.2" };
    char *purl = brig_pkg_purl(&l.v[0], &os);
    assert_string_equal(purl, "pkg:rpm/rhel/bash@5.1.8-6.el9?arch=x86_64&distro=rhel-9.2&epoch=1");
    free(purl);
    brig_pkglist_free(&l);
    /* the same header inside a real rpmdb.sqlite (table Packages(hnum, blob)) */
    char dbp[] = "/tmp/test_scan_pkg_rpmdb.XXXXXX";
    int fd = mkstemp(dbp);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbp, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *ins;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &ins, NULL), SQLITE_OK);
    for (int i = 0; i < 2; i++) {
        sqlite3_bind_blob(ins, 1, b, (int)len, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_close(db);
    char *dbbuf; size_t dblen;
    assert_int_equal(brig_read_file(dbp, 1 << 20, &dbbuf, &dblen), 0);
    unlink(dbp);
    assert_int_equal(brig_pkg_parse_rpm_sqlite("var/lib/rpm/rpmdb.sqlite", dbbuf, dblen, 2, &l), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[1].name, "bash");
    assert_int_equal(l.v[1].layer, 2);
    free(dbbuf);
    brig_pkglist_free(&l);
    assert_int_equal(brig_pkg_parse_rpm_header("r", b, len - 10, 0, &l), BRIG_EXIT_INPUT);    /* truncated */
    be32w(b, 0xffffffffu);
    assert_int_equal(brig_pkg_parse_rpm_header("r", b, len, 0, &l), BRIG_EXIT_INPUT);
    assert_int_equal(brig_pkg_parse_rpm_sqlite("rpmdb.sqlite", "garbage", 7, 0, &l), BRIG_EXIT_INPUT);
    brig_pkglist_free(&l);
}

static void os_release(void **st) {
    (void)st;
    const char *s = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n# comment\n"
                    "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";
    brig_os os = {0};
    assert_int_equal(brig_os_parse_release("etc/os-release", s, strlen(s), &os), 0);
    assert_string_equal(os.id, "debian");
    assert_string_equal(os.version_id, "12");
    assert_string_equal(os.pretty, "Debian GNU/Linux 12 (bookworm)");
    assert_string_equal(brig_os_family(&os), "debian");
    char *k = brig_os_distro_key(&os);
    assert_string_equal(k, "debian:12");
    free(k);
    brig_os_free(&os);
    brig_os_from_alpine_release(&os, "3.10.2\n", 7);
    k = brig_os_distro_key(&os);
    assert_string_equal(k, "alpine:3.10");
    free(k);
    brig_os_free(&os);
    const char *u = "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\n";
    assert_int_equal(brig_os_parse_release("os-release", u, strlen(u), &os), 0);
    assert_string_equal(brig_os_family(&os), "debian");
    brig_os_free(&os);
    const char *bad = "ID=x\ngarbage\n";
    assert_int_equal(brig_os_parse_release("etc/os-release", bad, strlen(bad), &os), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "etc/os-release:2:1"));
    brig_os_free(&os);
}

static void classify(void **st) {
    (void)st;
    assert_int_equal(brig_inv_classify("var/lib/dpkg/status", 0644, 100), BRIG_INV_DPKG_STATUS);
    assert_int_equal(brig_inv_classify("var/lib/dpkg/status.d/base", 0644, 100), BRIG_INV_DPKG_STATUSD);
    assert_int_equal(brig_inv_classify("var/lib/dpkg/status.d/base.md5sums", 0644, 100), BRIG_INV_NONE);
    assert_int_equal(brig_inv_classify("usr/share/doc/bash/copyright", 0644, 100), BRIG_INV_DPKG_COPYRIGHT);
    assert_int_equal(brig_inv_classify("usr/share/doc/bash/examples/copyright", 0644, 100), BRIG_INV_NONE);
    assert_int_equal(brig_inv_classify("usr/share/doc/copyright", 0644, 100), BRIG_INV_NONE);
    assert_int_equal(brig_inv_classify("lib/apk/db/installed", 0644, 100), BRIG_INV_APK);
    assert_int_equal(brig_inv_classify("var/lib/rpm/rpmdb.sqlite", 0644, 100), BRIG_INV_RPM_SQLITE);
    assert_int_equal(brig_inv_classify("srv/app/package-lock.json", 0644, 100), BRIG_INV_NPM_LOCK);
    assert_int_equal(brig_inv_classify("srv/app/node_modules/x/package-lock.json", 0644, 100), BRIG_INV_NONE);
    assert_int_equal(brig_inv_classify("srv/app/node_modules/lodash/package.json", 0644, 100), BRIG_INV_NPM_PKG);
    assert_int_equal(brig_inv_classify("node_modules/@types/node/package.json", 0644, 100), BRIG_INV_NPM_PKG);
    assert_int_equal(brig_inv_classify("srv/app/node_modules/lodash/fp/package.json", 0644, 100), BRIG_INV_NONE);
    assert_int_equal(brig_inv_classify("srv/app/package.json", 0644, 100), BRIG_INV_NONE);
    assert_int_equal(brig_inv_classify("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", 0644, 100), BRIG_INV_PY_META);
    assert_int_equal(brig_inv_classify("usr/lib/python3/dist-packages/six-1.16.0.egg-info", 0644, 100), BRIG_INV_PY_META);
    assert_int_equal(brig_inv_classify("usr/lib/python3/dist-packages/x.egg-info/PKG-INFO", 0644, 100), BRIG_INV_PY_META);
    assert_int_equal(brig_inv_classify("opt/app/app.JAR", 0644, 100), BRIG_INV_JAR);
    assert_int_equal(brig_inv_classify("usr/bin/app", 0755, 100000), BRIG_INV_EXEC);
    assert_int_equal(brig_inv_classify("usr/bin/app", 0644, 100000), BRIG_INV_NONE);
    assert_int_equal(brig_inv_classify("etc/os-release", 0644, 100), BRIG_INV_OSREL_ETC);
}

static void dedupe(void **st) {
    (void)st;
    brig_pkglist l = {0};
    brig_pkglist_add(&l, BRIG_PKG_NPM, "a", "1", "x/package.json", 4);
    brig_pkglist_add(&l, BRIG_PKG_NPM, "a", "1", "x/package.json", 2);
    brig_pkglist_add(&l, BRIG_PKG_NPM, "a", "2", "x/package.json", 2);
    brig_pkglist_dedupe(&l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.v[0].layer, 2);   /* the lowest layer is where it was introduced */
    brig_pkglist_free(&l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dpkg_status), cmocka_unit_test(dpkg_errors), cmocka_unit_test(copyright_licenses),
        cmocka_unit_test(apk_installed), cmocka_unit_test(npm_locks), cmocka_unit_test(python_metadata),
        cmocka_unit_test(go_inline), cmocka_unit_test(go_pointer_format), cmocka_unit_test(go_real_binary),
        cmocka_unit_test(jar_nested), cmocka_unit_test(rpm_header), cmocka_unit_test(os_release),
        cmocka_unit_test(classify), cmocka_unit_test(dedupe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
