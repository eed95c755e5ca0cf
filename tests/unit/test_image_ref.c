/* Image references, path normalisation, JSON documents (index, manifest,
 * config, docker manifest.json), the outer-tar index and size parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "image/image_internal.h"
#include "image/image_cli.h"
#include "util/err.h"
#include "util/json.h"
#include "test_image_helpers.h"

static char *tmp;

static int setup(void **s) { (void)s; tmp = tl_tmpdir(); return 0; }
static int teardown(void **s) { (void)s; brig_rm_rf(tmp); free(tmp); return 0; }

static void test_ref_forms(void **s) {
    (void)s;
    char *dir = xasprintf("%s/lay", tmp), *file = xasprintf("%s/img.tar", tmp);
    mkdir(dir, 0755);
    tl_write(file, "x", 1);
    brig_ref r;
    char *ref = xasprintf("oci:%s", dir);
    assert_int_equal(brig_ref_parse(ref, &r), 0);
    assert_int_equal(r.kind, BRIG_IMG_OCI_LAYOUT);
    assert_string_equal(r.path, dir);
    assert_null(r.tag);
    brig_ref_free(&r); free(ref);
    ref = xasprintf("oci:%s:v1.2", dir);
    assert_int_equal(brig_ref_parse(ref, &r), 0);
    assert_string_equal(r.path, dir);
    assert_string_equal(r.tag, "v1.2");
    brig_ref_free(&r); free(ref);
    /* the tag of a docker-archive may itself contain ':' */
    ref = xasprintf("docker-archive:%s:docker.io/library/busybox:latest", file);
    assert_int_equal(brig_ref_parse(ref, &r), 0);
    assert_int_equal(r.kind, BRIG_IMG_DOCKER_ARCHIVE);
    assert_string_equal(r.path, file);
    assert_string_equal(r.tag, "docker.io/library/busybox:latest");
    brig_ref_free(&r); free(ref);
    /* bare path: kind left to detection */
    assert_int_equal(brig_ref_parse(file, &r), 0);
    assert_int_equal(r.kind, 0);
    brig_ref_free(&r);
    ref = xasprintf("%s:mytag", dir);
    assert_int_equal(brig_ref_parse(ref, &r), 0);
    assert_string_equal(r.tag, "mytag");
    brig_ref_free(&r); free(ref);
    ref = xasprintf("oci-archive:%s/missing.tar:x", tmp);
    assert_int_equal(brig_ref_parse(ref, &r), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "no such file"));
    free(ref);
    assert_int_equal(brig_ref_parse("docker://busybox:latest", &r), BRIG_EXIT_NOTIMPL);
    assert_non_null(strstr(brig_errmsg(), "skopeo"));
    assert_int_equal(brig_ref_parse("", &r), BRIG_EXIT_USAGE);
    assert_int_equal(brig_ref_parse("oci:", &r), BRIG_EXIT_USAGE);
    free(dir); free(file);
}

static void norm_ok(const char *in, const char *want) {
    char *out;
    assert_int_equal(brig_path_normalize(in, NULL, &out), 0);
    assert_string_equal(out, want);
    free(out);
}

static void test_path_normalize(void **s) {
    (void)s;
    norm_ok("./etc/passwd", "etc/passwd");
    norm_ok("/etc//passwd/", "etc/passwd");
    norm_ok("etc/./x/../passwd", "etc/passwd");
    norm_ok("./", "");
    norm_ok("a/b/..", "a");
    char *out;
    assert_int_equal(brig_path_normalize("../x", NULL, &out), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "climbs above"));
    assert_int_equal(brig_path_normalize("etc/../../x", NULL, &out), BRIG_EXIT_UNSAFE);
    brig_limits lim = {0};
    brig_limits_default(&lim);
    lim.max_depth = 3;
    assert_int_equal(brig_path_normalize("a/b/c/d", &lim, &out), BRIG_EXIT_UNSAFE);
    lim.max_depth = 256; lim.max_path_len = 5;
    assert_int_equal(brig_path_normalize("abcdef", &lim, &out), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "limit"));
}

static void test_json_syntax_error_position(void **s) {
    (void)s;
    const char *doc = "{\n  \"schemaVersion\": 2,\n  \"manifests\": [ }\n}\n";
    assert_int_equal(brig_image_parse_doc(DOC_INDEX, "img/index.json", doc, strlen(doc)), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "img/index.json:3:"));
    /* duplicate keys are a parser-differential trick */
    const char *dup = "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}";
    assert_int_equal(brig_image_parse_doc(DOC_INDEX, "i.json", dup, strlen(dup)), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "i.json:1:"));
}

static void test_index_select(void **s) {
    (void)s;
    const char *h = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    json_t *ix = json_pack("{s:i, s:[{s:s, s:I, s:{s:s}}, {s:s, s:I, s:{s:s}}]}", "schemaVersion", 2, "manifests",
                           "digest", h, "size", (json_int_t)10, "annotations", "org.opencontainers.image.ref.name", "v1",
                           "digest", h, "size", (json_int_t)11, "annotations", "org.opencontainers.image.ref.name", "latest");
    size_t w = 99;
    assert_int_equal(oci_index_select("index.json", ix, "v1", &w), 0);
    assert_int_equal(w, 0);
    assert_int_equal(oci_index_select("index.json", ix, NULL, &w), 0);
    assert_int_equal(w, 1);   /* several tags, none asked: latest */
    assert_int_equal(oci_index_select("index.json", ix, "nope", &w), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "available: v1, latest"));
    json_decref(ix);
    /* an untagged image next to its cosign signature: the image is chosen */
    ix = json_pack("{s:[{s:s, s:I, s:{s:s}}, {s:s, s:I}]}", "manifests",
                   "digest", h, "size", (json_int_t)10, "annotations", "org.opencontainers.image.ref.name", "sha256-0123.sig",
                   "digest", h, "size", (json_int_t)11);
    assert_int_equal(oci_index_select("index.json", ix, NULL, &w), 0);
    assert_int_equal(w, 1);
    json_decref(ix);
    /* multi-platform list: linux/amd64 is chosen */
    ix = json_pack("{s:[{s:s, s:I, s:{s:s, s:s}}, {s:s, s:I, s:{s:s, s:s}}]}", "manifests",
                   "digest", h, "size", (json_int_t)1, "platform", "os", "linux", "architecture", "arm64",
                   "digest", h, "size", (json_int_t)2, "platform", "os", "linux", "architecture", "amd64");
    assert_int_equal(oci_index_select("index.json", ix, NULL, &w), 0);
    assert_int_equal(w, 1);
    json_decref(ix);
    ix = json_pack("{s:[{s:s, s:I, s:{s:s, s:s}}, {s:s, s:I, s:{s:s, s:s}}]}", "manifests",
                   "digest", h, "size", (json_int_t)1, "platform", "os", "linux", "architecture", "arm64",
                   "digest", h, "size", (json_int_t)2, "platform", "os", "windows", "architecture", "amd64");
    assert_int_equal(oci_index_select_platform("index.json", ix, &w), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "linux/arm64, windows/amd64"));
    json_decref(ix);
    /* malformed descriptors name the JSON pointer */
    const char *bad = "{\"manifests\":[{\"digest\":\"sha256:../../etc/hostname\",\"size\":3}]}";
    assert_int_equal(brig_image_parse_doc(DOC_INDEX, "index.json", bad, strlen(bad)), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "/manifests/0/digest"));
    const char *s512 = "{\"manifests\":[{\"digest\":\"sha512:abcd\",\"size\":3}]}";
    assert_int_equal(brig_image_parse_doc(DOC_INDEX, "index.json", s512, strlen(s512)), BRIG_EXIT_NOTIMPL);
}

static void test_manifest_layers(void **s) {
    (void)s;
    const char *m = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"size\":5},"
                    "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+encrypted\",\"digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"size\":5}]}";
    assert_int_equal(brig_image_parse_doc(DOC_MANIFEST, "m", m, strlen(m)), BRIG_EXIT_NOTIMPL);
    assert_non_null(strstr(brig_errmsg(), "encrypted"));
    const char *m2 = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"size\":5},\"layers\":[{\"size\":1}]}";
    assert_int_equal(brig_image_parse_doc(DOC_MANIFEST, "m", m2, strlen(m2)), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "/layers/0/digest"));
}

static void test_config_history(void **s) {
    (void)s;
    const char *c = "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\",\"config\":{\"User\":\"1000\",\"Cmd\":[\"sh\"],"
                    "\"ExposedPorts\":{\"80/tcp\":{}},\"Volumes\":{\"/data\":{}},\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]},\"Labels\":{\"a\":\"b\"}},"
                    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
                    "\"sha256:1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"]},"
                    "\"history\":[{\"created_by\":\"ADD a\"},{\"created_by\":\"ENV x\",\"empty_layer\":true},{\"created_by\":\"RUN b\"}]}";
    json_t *j;
    assert_int_equal(brig_json_parse("cfg", c, strlen(c), &j), 0);
    brig_image img = {0};
    img.layers = xcalloc(2, sizeof *img.layers);
    img.n_layers = 2;
    assert_int_equal(image_config_apply("cfg", j, &img), 0);
    assert_string_equal(img.arch, "arm64");
    assert_string_equal(img.variant, "v8");
    assert_string_equal(img.user, "1000");
    assert_int_equal(img.n_cmd, 1);
    assert_null(img.entrypoint);
    assert_string_equal(img.exposed_ports[0], "80/tcp");
    assert_string_equal(img.volumes[0], "/data");
    assert_int_equal(img.n_healthcheck, 2);
    assert_int_equal(img.n_history, 3);
    assert_int_equal(img.history[0].layer_index, 0);
    assert_int_equal(img.history[1].layer_index, -1);
    assert_true(img.history[1].empty_layer);
    assert_int_equal(img.history[2].layer_index, 1);
    assert_string_equal(img.layers[1].created_by, "RUN b");
    assert_string_equal(img.layers[1].diff_id, "sha256:1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    img.config = j;
    /* release through the public close (it frees every member) */
    brig_image *h = xcalloc(1, sizeof *h);
    *h = img;
    brig_image_close(h);
    /* diff_ids must match the manifest's layer count */
    assert_int_equal(brig_json_parse("cfg", c, strlen(c), &j), 0);
    brig_image img2 = {0};
    img2.layers = xcalloc(3, sizeof *img2.layers);
    img2.n_layers = 3;
    assert_int_equal(image_config_apply("cfg", j, &img2), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "/rootfs/diff_ids"));
    img2.config = j;
    h = xcalloc(1, sizeof *h);
    *h = img2;
    brig_image_close(h);
}

static void test_docker_manifest_select(void **s) {
    (void)s;
    const char *m = "[{\"Config\":\"a.json\",\"RepoTags\":[\"docker.io/library/busybox:latest\"],\"Layers\":[\"1/layer.tar\"]},"
                    "{\"Config\":\"b.json\",\"RepoTags\":[\"example/app:v2\"],\"Layers\":[]}]";
    json_t *j;
    assert_int_equal(brig_json_parse("manifest.json", m, strlen(m), &j), 0);
    const char *cfg, *tag; const json_t *layers;
    assert_int_equal(docker_manifest_select("manifest.json", j, "busybox", &cfg, &layers, &tag), 0);
    assert_string_equal(cfg, "a.json");
    assert_int_equal(docker_manifest_select("manifest.json", j, "example/app:v2", &cfg, &layers, &tag), 0);
    assert_string_equal(cfg, "b.json");
    assert_int_equal(docker_manifest_select("manifest.json", j, "@1", &cfg, &layers, &tag), 0);
    assert_string_equal(cfg, "b.json");
    assert_int_equal(docker_manifest_select("manifest.json", j, NULL, &cfg, &layers, &tag), BRIG_EXIT_USAGE);
    assert_int_equal(docker_manifest_select("manifest.json", j, "other", &cfg, &layers, &tag), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "example/app:v2"));
    assert_int_equal(docker_manifest_select("manifest.json", j, "@7", &cfg, &layers, &tag), BRIG_EXIT_INPUT);
    json_decref(j);
}

typedef struct { const char *buf; size_t len; } membuf;
static ssize_t mem_pread(void *ctx, void *buf, size_t n, uint64_t off) {
    membuf *m = ctx;
    if (off >= m->len) return 0;
    if (n > m->len - off) n = (size_t)(m->len - off);
    memcpy(buf, m->buf + off, n);
    return (ssize_t)n;
}

static void test_tar_index(void **s) {
    (void)s;
    tl_layer t;
    tl_begin(&t);
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    memcpy(longname, "dir/", 4);
    tl_add(&t, "./index.json", 'f', "{}", 0644);
    tl_add(&t, longname, 'f', "long!", 0644);
    tl_add(&t, "alias.tar", 'l', "index.json", 0777);
    tl_add(&t, "escape.tar", 'l', "../../etc/hostname", 0777);
    tl_end(&t);
    membuf m = { t.buf, t.len };
    brig_limits lim; brig_limits_default(&lim);
    tar_index ix;
    assert_int_equal(tar_index_build(&ix, "t.tar", mem_pread, &m, t.len, &lim), 0);
    const tar_member *e = tar_index_find(&ix, "index.json");
    assert_non_null(e);
    assert_int_equal(e->size, 2);
    assert_memory_equal(t.buf + e->off, "{}", 2);
    e = tar_index_find(&ix, longname);
    assert_non_null(e);
    assert_memory_equal(t.buf + e->off, "long!", 5);
    assert_ptr_equal(tar_index_find(&ix, "alias.tar"), tar_index_find(&ix, "index.json"));
    assert_null(tar_index_find(&ix, "escape.tar"));   /* points outside the archive */
    tar_index_free(&ix);
    /* a truncated archive and a corrupted header are refused with the offset */
    assert_int_equal(tar_index_build(&ix, "t.tar", mem_pread, &m, 513, &lim), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "t.tar"));
    t.buf[10] ^= 0x55;
    assert_int_equal(tar_index_build(&ix, "t.tar", mem_pread, &m, t.len, &lim), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "checksum"));
    t.buf[10] ^= 0x55;
    lim.max_entries = 2;
    assert_int_equal(tar_index_build(&ix, "t.tar", mem_pread, &m, t.len, &lim), BRIG_EXIT_UNSAFE);
    free(t.buf);
}

static void test_parse_bytes(void **s) {
    (void)s;
    uint64_t v;
    assert_true(image_parse_bytes("100", &v)); assert_int_equal(v, 100);
    assert_true(image_parse_bytes("10K", &v)); assert_int_equal(v, 10240);
    assert_true(image_parse_bytes("2GiB", &v)); assert_int_equal(v, 2ULL << 30);
    assert_false(image_parse_bytes("-1", &v));
    assert_false(image_parse_bytes("12Q", &v));
    assert_false(image_parse_bytes("", &v));
    assert_false(image_parse_bytes("99999999999999T", &v));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_forms),
        cmocka_unit_test(test_path_normalize),
        cmocka_unit_test(test_json_syntax_error_position),
        cmocka_unit_test(test_index_select),
        cmocka_unit_test(test_manifest_layers),
        cmocka_unit_test(test_config_history),
        cmocka_unit_test(test_docker_manifest_select),
        cmocka_unit_test(test_tar_index),
        cmocka_unit_test(test_parse_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
