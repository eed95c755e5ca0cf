/* Safe extraction: results (modes, links, whiteouts) and every hostile case
 * refused with the right exit code and nothing created outside DEST. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sys/xattr.h>
#include "image/image_internal.h"
#include "util/err.h"
#include "test_image_helpers.h"

static char *tmp;
static int setup(void **s) { (void)s; tmp = tl_tmpdir(); return 0; }
static int teardown(void **s) { (void)s; brig_rm_rf(tmp); free(tmp); return 0; }

/* A one- or two-layer image in tmp/NAME; returns "oci:PATH". */
static char *make_image(const char *name, tl_layer *l0, tl_layer *l1, int comp) {
    char *dir = xasprintf("%s/%s", tmp, name);
    tl_image im;
    tl_image_init(&im, dir);
    tl_image_add_layer(&im, l0, comp, "layer 0");
    if (l1) tl_image_add_layer(&im, l1, comp, "layer 1");
    free(tl_image_finish(&im, "latest"));
    tl_image_free(&im);
    char *ref = xasprintf("oci:%s", dir);
    free(dir);
    return ref;
}

static size_t count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
    closedir(d);
    return n;
}

/* Extract ref into a fresh box/dest; the box must hold nothing else after. */
static int try_extract(const char *ref, const brig_limits *lim, char **box_out) {
    static int k;
    char *box = xasprintf("%s/box%d", tmp, k++);
    mkdir(box, 0755);
    char *dest = xasprintf("%s/dest", box);
    brig_image *img;
    int rc = brig_image_open(ref, lim, &img);
    if (!rc) {
        brig_extract_opts o = { .keep_owner = true };
        if (lim) o.lim = *lim;
        rc = brig_image_extract(img, dest, &o);
        brig_image_close(img);
    }
    if (rc) assert_int_equal(count_entries(box), 0);   /* DEST removed, nothing beside it */
    free(dest);
    if (box_out) *box_out = box; else free(box);
    return rc;
}

static void test_extract_result(void **s) {
    (void)s;
    tl_layer a, b;
    tl_begin(&a);
    tl_add(&a, "etc/", 'd', NULL, 0755);
    tl_add(&a, "etc/motd", 'f', "hi\n", 0644);
    tl_add(&a, "etc/keep", 'f', "keep\n", 0600);
    tl_add(&a, "ro/", 'd', NULL, 0555);
    tl_add(&a, "ro/inside", 'f', "x", 0444);
    tl_add(&a, "bin/", 'd', NULL, 0755);
    tl_add(&a, "bin/su", 'f', "su", 04755);
    tl_add(&a, "bin/sh", 'l', "/bin/busybox", 0777);
    tl_add(&a, "bin/hl", 'h', "bin/su", 0755);
    tl_add(&a, "dev/", 'd', NULL, 0755);
    tl_add(&a, "dev/null", 'c', NULL, 0666);
    tl_add(&a, "q/", 'd', NULL, 0755);
    tl_add(&a, "q/old", 'f', "old", 0644);
    tl_add(&a, "swap", 'd', NULL, 0755);
    tl_add(&a, "swap/x", 'f', "x", 0644);
    tl_add(&a, "fifo", 'p', NULL, 0640);
    tl_end(&a);
    tl_begin(&b);
    tl_add(&b, "etc/.wh.motd", 'f', "", 0644);
    tl_add(&b, "q/", 'd', NULL, 0700);
    tl_add(&b, "q/.wh..wh..opq", 'f', "", 0644);
    tl_add(&b, "q/new", 'f', "new", 0644);
    tl_add(&b, "swap", 'l', "etc", 0777);
    tl_end(&b);
    char *ref = make_image("result", &a, &b, TL_GZIP);
    char *box;
    assert_int_equal(try_extract(ref, NULL, &box), 0);
    char *p;
    struct stat st;
#define AT(rel) (free(p), p = xasprintf("%s/dest/%s", box, rel))
    p = NULL;
    assert_int_equal(lstat(AT("etc/motd"), &st), -1);       /* whiteout */
    assert_int_equal(lstat(AT("etc/keep"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(lstat(AT("ro"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0555);             /* applied after its children */
    assert_int_equal(lstat(AT("ro/inside"), &st), 0);
    assert_int_equal(lstat(AT("bin/su"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 04755);            /* keep_owner keeps setuid */
    assert_int_equal(st.st_mtime, 1700000000);
    struct stat st2;
    assert_int_equal(lstat(AT("bin/hl"), &st2), 0);
    assert_int_equal(st.st_ino, st2.st_ino);                /* a real hardlink */
    char link[64] = {0};
    assert_int_equal(readlink(AT("bin/sh"), link, sizeof link - 1), 12);
    assert_string_equal(link, "/bin/busybox");              /* symlinks stored as-is */
    assert_int_equal(lstat(AT("dev/null"), &st), -1);       /* device nodes skipped */
    assert_int_equal(lstat(AT("q/old"), &st), -1);          /* opaque dir */
    assert_int_equal(lstat(AT("q/new"), &st), 0);
    assert_int_equal(lstat(AT("swap"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));                      /* dir replaced by a symlink */
    assert_int_equal(lstat(AT("fifo"), &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    free(p);
    brig_rm_rf(box);
    free(box);
    /* without keep_owner the setuid bit is dropped */
    char *dest = xasprintf("%s/nosuid", tmp);
    brig_image *img;
    assert_int_equal(brig_image_open(ref, NULL, &img), 0);
    brig_extract_stats stats = {0};
    brig_extract_opts o = { .keep_owner = false, .stats = &stats };
    assert_int_equal(brig_image_extract(img, dest, &o), 0);
    assert_int_equal(stats.skipped_devices, 1);
    assert_int_equal(stats.hardlinks, 1);
    p = xasprintf("%s/bin/su", dest);
    assert_int_equal(lstat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0755);
    free(p);
    /* DEST must be empty */
    assert_int_equal(brig_image_extract(img, dest, &o), BRIG_EXIT_USAGE);
    brig_image_close(img);
    brig_rm_rf(dest);
    free(dest); free(ref);
}

static int hostile_one(const char *name, const char *path, char type, const char *data, const brig_limits *lim) {
    tl_layer a;
    tl_begin(&a);
    tl_add(&a, "etc/", 'd', NULL, 0755);
    tl_add(&a, "etc/passwd", 'f', "root\n", 0644);
    tl_add(&a, path, type, data, 0644);
    tl_end(&a);
    char *ref = make_image(name, &a, NULL, TL_GZIP);
    int rc = try_extract(ref, lim, NULL);
    free(ref);
    return rc;
}

static void test_hostile_names(void **s) {
    (void)s;
    char *canary = xasprintf("%s/escape", tmp);
    assert_int_equal(hostile_one("dotdot", "../../escape", 'f', "pwned", NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "../../escape"));
    assert_int_equal(hostile_one("dotdot-inner", "etc/../../escape", 'f', "pwned", NULL), BRIG_EXIT_UNSAFE);
    char *abs = xasprintf("%s/abs-escape", tmp);
    assert_int_equal(hostile_one("absolute", abs, 'f', "pwned", NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "absolute"));
    struct stat st;
    assert_int_equal(lstat(canary, &st), -1);
    assert_int_equal(lstat(abs, &st), -1);
    free(abs); free(canary);
}

static void test_hostile_links(void **s) {
    (void)s;
    /* symlink out of the root, then a write through it (same layer, then split over two layers) */
    char *outside = xasprintf("%s/outside-dir", tmp);
    mkdir(outside, 0755);
    tl_layer a, b;
    tl_begin(&a);
    tl_add(&a, "evil", 'l', outside, 0777);
    tl_add(&a, "evil/pwned", 'f', "pwned", 0644);
    tl_end(&a);
    char *ref = make_image("symlink-same", &a, NULL, TL_NONE);
    assert_int_equal(try_extract(ref, NULL, NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "evil"));
    free(ref);
    tl_begin(&a);
    tl_add(&a, "evil", 'l', "../../../../../../../..", 0777);
    tl_end(&a);
    tl_begin(&b);
    char *through = xasprintf("evil%s/pwned2", outside);
    tl_add(&b, through, 'f', "pwned", 0644);
    tl_end(&b);
    ref = make_image("symlink-split", &a, &b, TL_ZSTD);
    assert_int_equal(try_extract(ref, NULL, NULL), BRIG_EXIT_UNSAFE);
    /* the walk refuses the same image, so scanners never see a different tree */
    brig_image *img;
    assert_int_equal(brig_image_open(ref, NULL, &img), 0);
    const brig_fsview *v;
    assert_int_equal(brig_image_fsview(img, &v), BRIG_EXIT_UNSAFE);
    brig_image_close(img);
    assert_int_equal(count_entries(outside), 0);
    free(ref); free(through);
    /* a whiteout and an opaque marker through a symlink must not delete outside */
    char *keep = xasprintf("%s/keep", outside);
    tl_write(keep, "keep", 4);
    for (int opaque = 0; opaque < 2; opaque++) {
        tl_begin(&a);
        tl_add(&a, "evil", 'l', outside, 0777);
        tl_end(&a);
        tl_begin(&b);
        tl_add(&b, opaque ? "evil/.wh..wh..opq" : "evil/.wh.keep", 'f', "", 0644);
        tl_end(&b);
        ref = make_image(opaque ? "opaque-symlink" : "whiteout-symlink", &a, &b, TL_GZIP);
        assert_int_equal(try_extract(ref, NULL, NULL), BRIG_EXIT_UNSAFE);
        assert_non_null(strstr(brig_errmsg(), "evil"));
        struct stat st;
        assert_int_equal(stat(keep, &st), 0);
        free(ref);
    }
    unlink(keep);
    free(keep);
    /* hardlinks: climbing out, absolute, to a file that is not in the image */
    assert_int_equal(hostile_one("hl-dotdot", "h", 'h', "../../etc/passwd", NULL), BRIG_EXIT_UNSAFE);
    assert_int_equal(hostile_one("hl-abs", "h", 'h', "/etc/passwd", NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "absolute"));
    assert_int_equal(hostile_one("hl-missing", "h", 'h', "etc/shadow", NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "etc/shadow"));
    assert_int_equal(hostile_one("hl-dir", "h", 'h', "etc", NULL), BRIG_EXIT_UNSAFE);
    assert_int_equal(hostile_one("hl-ok", "h", 'h', "etc/passwd", NULL), 0);
    /* the same file twice in one layer is tar semantics (the later one wins);
     * a directory turned into a symlink within its layer is refused */
    assert_int_equal(hostile_one("dup", "etc/passwd", 'f', "evil\n", NULL), 0);
    assert_int_equal(hostile_one("dup-dir-symlink", "etc", 'l', outside, NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "twice"));
    free(outside);
}

static void test_hostile_limits(void **s) {
    (void)s;
    brig_limits lim = {0};
    brig_limits_default(&lim);
    lim.max_total_bytes = 1 << 20;
    /* 8 MiB of zeros compress to a few KiB: a small decompression bomb */
    tl_layer a;
    tl_begin(&a);
    tl_add_sized(&a, "zeros", 'f', NULL, 8 << 20, 0644);
    tl_end(&a);
    char *ref = make_image("bomb", &a, NULL, TL_GZIP);
    assert_int_equal(try_extract(ref, &lim, NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "zeros"));
    assert_int_equal(try_extract(ref, NULL, NULL), 0);   /* fine under the default limits */
    free(ref);
    /* a path 10,000 directories deep */
    strbuf deep = STRBUF_INIT;
    for (int i = 0; i < 10000; i++) sb_adds(&deep, "d/");
    sb_adds(&deep, "f");
    tl_begin(&a);
    tl_add(&a, deep.buf, 'f', "deep", 0644);
    tl_end(&a);
    sb_free(&deep);
    ref = make_image("deep", &a, NULL, TL_GZIP);
    assert_int_equal(try_extract(ref, NULL, NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "limit"));
    free(ref);
    /* entry count */
    tl_begin(&a);
    for (int i = 0; i < 50; i++) { char n[16]; snprintf(n, sizeof n, "f%d", i); tl_add(&a, n, 'f', "x", 0644); }
    tl_end(&a);
    ref = make_image("many", &a, NULL, TL_NONE);
    brig_limits_default(&lim);
    lim.max_entries = 10;
    assert_int_equal(try_extract(ref, &lim, NULL), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "entries"));
    free(ref);
    /* per-file limit */
    brig_limits_default(&lim);
    lim.max_file_bytes = 4;
    assert_int_equal(hostile_one("bigfile", "big", 'f', "0123456789", &lim), BRIG_EXIT_UNSAFE);
}

static void test_hostile_digest(void **s) {
    (void)s;
    tl_layer a;
    tl_begin(&a);
    tl_add(&a, "etc/passwd", 'f', "root\n", 0644);
    tl_end(&a);
    char *ref = make_image("digest", &a, NULL, TL_NONE);
    /* flip a content byte in place: same size, different hash */
    brig_image *img;
    assert_int_equal(brig_image_open(ref, NULL, &img), 0);
    char *blob = xasprintf("%s/digest/blobs/sha256/%s", tmp, img->layers[0].digest + 7);
    char *want = xstrdup(img->layers[0].digest);
    brig_image_close(img);
    char *d; size_t n;
    assert_int_equal(brig_read_file(blob, 1 << 20, &d, &n), 0);
    char *p = memmem(d, n, "root\n", 5);
    p[0] = 'R';
    tl_write(blob, d, n);
    free(d);
    assert_int_equal(try_extract(ref, NULL, NULL), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), want));
    free(blob); free(ref); free(want);
}

static void test_docker_archive(void **s) {
    (void)s;
    char *dir = xasprintf("%s/dock", tmp);
    tl_image im;
    tl_image_init(&im, dir);
    tl_layer a, b;
    tl_begin(&a);
    tl_add(&a, "etc/", 'd', NULL, 0755);
    tl_add(&a, "etc/motd", 'f', "hi\n", 0644);
    tl_add(&a, "etc/issue", 'f', "debian\n", 0644);
    tl_end(&a);
    tl_begin(&b);
    tl_add(&b, "etc/.wh.motd", 'f', "", 0644);
    tl_end(&b);
    tl_image_add_layer(&im, &a, TL_GZIP, "a");
    tl_image_add_layer(&im, &b, TL_GZIP, "b");
    free(tl_image_finish(&im, "latest"));
    for (int comp = TL_NONE; comp <= TL_ZSTD; comp++) {
        char *tar = xasprintf("%s/docker%d.tar", tmp, comp);
        tl_docker_archive(&im, tar, comp);
        const char *forms[] = { "docker-archive:%s", "%s", "docker-archive:%s:test/img:v1" };
        for (int f = 0; f < 3; f++) {
            char *ref = xasprintf(forms[f], tar);
            brig_image *img;
            int rc = brig_image_open(ref, NULL, &img);
            if (rc) fprintf(stderr, "# %s: %s\n", ref, brig_errmsg());
            assert_int_equal(rc, 0);
            assert_int_equal(img->kind, BRIG_IMG_DOCKER_ARCHIVE);
            assert_int_equal(img->n_layers, 2);
            assert_string_equal(img->tag, "test/img:v1");
            assert_string_equal(img->layers[0].digest, img->layers[0].diff_id);
            assert_string_equal(img->config_digest + 7, im.config_hex);
            assert_int_equal(brig_image_verify_blobs(img), 0);
            const brig_fsview *v;
            assert_int_equal(brig_image_fsview(img, &v), 0);
            assert_null(brig_fsview_lookup(v, "etc/motd"));
            assert_non_null(brig_fsview_lookup(v, "etc/issue"));
            brig_image_close(img);
            free(ref);
        }
        char *ref = xasprintf("docker-archive:%s", tar);
        char *box;
        assert_int_equal(try_extract(ref, NULL, &box), 0);
        char *p = xasprintf("%s/dest/etc/issue", box);
        struct stat st;
        assert_int_equal(lstat(p, &st), 0);
        free(p);
        brig_rm_rf(box); free(box);
        char *ref2 = xasprintf("docker-archive:%s:other:tag", tar);
        brig_image *img;
        assert_int_equal(brig_image_open(ref2, NULL, &img), BRIG_EXIT_INPUT);
        free(ref2); free(ref); free(tar);
    }
    tl_image_free(&im);
    free(dir);
}

static void test_file_capabilities(void **s) {
    (void)s;
    /* vfs_cap_data v2: cap_net_raw (13) permitted + effective */
    unsigned char caps[20] = { 0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00 };
    tl_layer a;
    tl_begin(&a);
    tl_add_fcaps(&a, "ping", "elf", caps, sizeof caps);
    tl_end(&a);
    char *ref = make_image("fcaps", &a, NULL, TL_GZIP);
    for (int keep = 1; keep >= 0; keep--) {
        char *dest = xasprintf("%s/fcaps-%d", tmp, keep);
        brig_image *img;
        assert_int_equal(brig_image_open(ref, NULL, &img), 0);
        brig_extract_opts o = { .keep_owner = keep };
        assert_int_equal(brig_image_extract(img, dest, &o), 0);
        brig_image_close(img);
        char *p = xasprintf("%s/ping", dest);
        unsigned char got[64];
        ssize_t n = getxattr(p, "security.capability", got, sizeof got);
        if (keep && geteuid() == 0) { assert_int_equal(n, sizeof caps); assert_memory_equal(got, caps, sizeof caps); }
        else assert_int_equal(n, -1);   /* capabilities only travel with their owner */
        free(p);
        brig_rm_rf(dest);
        free(dest);
    }
    free(ref);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_result),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_hostile_links),
        cmocka_unit_test(test_hostile_limits),
        cmocka_unit_test(test_hostile_digest),
        cmocka_unit_test(test_docker_archive),
        cmocka_unit_test(test_file_capabilities),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
