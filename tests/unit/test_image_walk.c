/* Layer walking, merged view, deleted list, read_files and blob verification
 * on OCI layouts built here from C (gzip, zstd and uncompressed layers). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "image/image_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "image/inspect.h"
#include "test_image_helpers.h"

static char *tmp, *lay;

/* Layer 0 (gzip): base tree.  Layer 1 (zstd): whiteout, opaque dir, replaced
 * file, dir replaced by a symlink.  Layer 2 (none): one more file. */
static int setup(void **s) {
    (void)s;
    tmp = tl_tmpdir();
    lay = xasprintf("%s/lay", tmp);
    tl_image im;
    tl_image_init(&im, lay);
    tl_layer l;
    tl_begin(&l);
    tl_add(&l, "./", 'd', NULL, 0755);
    tl_add(&l, "etc/", 'd', NULL, 0755);
    tl_add(&l, "etc/passwd", 'f', "root:x:0:0::/root:/bin/sh\n", 0644);
    tl_add(&l, "etc/motd", 'f', "hello\n", 0644);
    tl_add(&l, "usr/", 'd', NULL, 0755);
    tl_add(&l, "usr/lib/", 'd', NULL, 0755);
    tl_add(&l, "usr/lib/os-release", 'f', "ID=test\n", 0644);
    tl_add(&l, "etc/os-release", 'l', "../usr/lib/os-release", 0777);
    tl_add(&l, "usr/share/", 'd', NULL, 0755);
    tl_add(&l, "usr/share/README", 'f', "read me\n", 0644);
    tl_add(&l, "usr/share/README.hl", 'h', "usr/share/README", 0644);
    tl_add(&l, "data/", 'd', NULL, 0700);
    tl_add(&l, "data/a", 'f', "a", 0600);
    tl_add(&l, "data/b", 'f', "b", 0600);
    tl_add(&l, "opt/", 'd', NULL, 0755);
    tl_add(&l, "opt/link/", 'd', NULL, 0755);
    tl_add(&l, "opt/link/f", 'f', "f", 0644);
    tl_add(&l, "bin/", 'd', NULL, 0755);
    tl_add(&l, "bin/su", 'f', "#!/bin/sh\n", 04755);
    tl_add(&l, "dev/", 'd', NULL, 0755);
    tl_add(&l, "dev/null", 'c', NULL, 0666);
    tl_add(&l, "run.fifo", 'p', NULL, 0600);
    tl_add(&l, "usr/share/\xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9.txt", 'f', "utf8", 0644);
    tl_add(&l, "usr/share/latin1-\xe9" ".txt", 'f', "raw", 0644);
    tl_end(&l);
    tl_image_add_layer(&im, &l, TL_GZIP, "ADD base");
    tl_begin(&l);
    tl_add(&l, "etc/", 'd', NULL, 0755);
    tl_add(&l, "etc/.wh.motd", 'f', "", 0644);
    tl_add(&l, "etc/passwd", 'f', "root:x:0:0::/root:/bin/ash\napp:x:1000:1000::/home/app:/bin/sh\n", 0640);
    tl_add(&l, "data/", 'd', NULL, 0750);
    tl_add(&l, "data/.wh..wh..opq", 'f', "", 0644);
    tl_add(&l, "data/c", 'f', "c", 0600);
    tl_add(&l, "opt/link", 'l', "/usr", 0777);
    tl_end(&l);
    tl_image_add_layer(&im, &l, TL_ZSTD, "RUN change");
    tl_begin(&l);
    tl_add(&l, "etc/group", 'f', "root:x:0:\n", 0644);
    tl_end(&l);
    tl_image_add_layer(&im, &l, TL_NONE, "RUN group");
    free(tl_image_finish(&im, "v1"));
    tl_image_free(&im);
    return 0;
}
static int teardown(void **s) { (void)s; brig_rm_rf(tmp); free(tmp); free(lay); return 0; }

static brig_image *open_lay(void) {
    char *ref = xasprintf("oci:%s:v1", lay);
    brig_image *img;
    int rc = brig_image_open(ref, NULL, &img);
    if (rc) fprintf(stderr, "# open: %s\n", brig_errmsg());
    assert_int_equal(rc, 0);
    free(ref);
    return img;
}

typedef struct { char path[128]; size_t layer; brig_entry_state st; size_t rem; brig_ftype type; } seen;
typedef struct { seen v[128]; size_t n; } seen_list;

static int record(void *ctx, const brig_entry *e, brig_reader *r) {
    (void)r;
    seen_list *l = ctx;
    if (l->n < 128) {
        seen *s = &l->v[l->n++];
        snprintf(s->path, sizeof s->path, "%s", e->path);
        s->layer = e->layer; s->st = e->state; s->rem = e->removed_in; s->type = e->type;
    }
    return 0;
}

static const seen *find(const seen_list *l, const char *path, size_t layer) {
    for (size_t i = 0; i < l->n; i++) if (!strcmp(l->v[i].path, path) && l->v[i].layer == layer) return &l->v[i];
    return NULL;
}

static void test_open_metadata(void **s) {
    (void)s;
    brig_image *img = open_lay();
    assert_int_equal(img->kind, BRIG_IMG_OCI_LAYOUT);
    assert_string_equal(img->tag, "v1");
    assert_int_equal(img->n_layers, 3);
    assert_non_null(img->manifest_digest);
    assert_string_equal(img->layers[1].media_type, "application/vnd.oci.image.layer.v1.tar+zstd");
    assert_string_equal(img->layers[2].created_by, "RUN group");
    assert_int_equal(img->n_history, 4);
    assert_true(img->history[3].empty_layer);
    assert_string_equal(img->user, "app");
    assert_string_equal(img->exposed_ports[0], "80/tcp");
    assert_non_null(img->manifest_raw);
    assert_int_equal(brig_image_verify_blobs(img), 0);
    brig_image_close(img);
}

static void test_walk_states(void **s) {
    (void)s;
    brig_image *img = open_lay();
    seen_list *l = xcalloc(1, sizeof *l);
    assert_int_equal(brig_image_walk(img, 0, record, l), 0);
    assert_int_equal(l->v[0].layer, 2);   /* top layer first */
    const seen *e;
    assert_non_null(e = find(l, "etc/motd", 0));
    assert_int_equal(e->st, BRIG_ENTRY_DELETED); assert_int_equal(e->rem, 1);
    assert_non_null(e = find(l, "etc/passwd", 0));
    assert_int_equal(e->st, BRIG_ENTRY_REPLACED); assert_int_equal(e->rem, 1);
    assert_non_null(e = find(l, "etc/passwd", 1));
    assert_int_equal(e->st, BRIG_ENTRY_VISIBLE);
    assert_non_null(e = find(l, "data/a", 0));
    assert_int_equal(e->st, BRIG_ENTRY_DELETED); assert_int_equal(e->rem, 1);
    assert_non_null(e = find(l, "data/c", 1));
    assert_int_equal(e->st, BRIG_ENTRY_VISIBLE);   /* opaque hides only lower layers */
    assert_non_null(e = find(l, "opt/link", 0));
    assert_int_equal(e->st, BRIG_ENTRY_REPLACED);
    assert_non_null(e = find(l, "opt/link/f", 0));   /* under a dir replaced by a symlink */
    assert_int_equal(e->st, BRIG_ENTRY_REPLACED); assert_int_equal(e->rem, 1);
    assert_non_null(e = find(l, "usr/share/README.hl", 0));
    assert_int_equal(e->type, BRIG_FT_HARDLINK);
    assert_int_equal(e->st, BRIG_ENTRY_VISIBLE);
    assert_null(find(l, "etc/.wh.motd", 1));   /* markers are not delivered */
    assert_null(find(l, "", 0));
    /* VISIBLE_ONLY filters the rest */
    memset(l, 0, sizeof *l);
    assert_int_equal(brig_image_walk(img, BRIG_WALK_VISIBLE_ONLY, record, l), 0);
    for (size_t i = 0; i < l->n; i++) assert_int_equal(l->v[i].st, BRIG_ENTRY_VISIBLE);
    assert_null(find(l, "etc/motd", 0));
    free(l);
    brig_image_close(img);
}

static int stop_after_two(void *ctx, const brig_entry *e, brig_reader *r) {
    (void)e; (void)r;
    return ++*(int *)ctx == 2 ? BRIG_WALK_STOP : 0;
}
static int fail_cb(void *ctx, const brig_entry *e, brig_reader *r) {
    (void)ctx; (void)e; (void)r;
    return brig_fail(BRIG_EXIT_FINDINGS, "callback said no");
}

static void test_walk_stop_and_abort(void **s) {
    (void)s;
    brig_image *img = open_lay();
    int n = 0;
    assert_int_equal(brig_image_walk(img, 0, stop_after_two, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(brig_image_walk(img, 0, fail_cb, NULL), BRIG_EXIT_FINDINGS);
    brig_image_close(img);
}

static void test_fsview(void **s) {
    (void)s;
    brig_image *img = open_lay();
    const brig_fsview *v;
    assert_int_equal(brig_image_fsview(img, &v), 0);
    const brig_fsnode *n = brig_fsview_lookup(v, "etc/passwd");
    assert_non_null(n);
    assert_int_equal(n->layer, 1);
    assert_int_equal(n->mode, 0640);
    assert_int_equal(n->size, strlen("root:x:0:0::/root:/bin/ash\napp:x:1000:1000::/home/app:/bin/sh\n"));
    assert_null(brig_fsview_lookup(v, "etc/motd"));
    assert_null(brig_fsview_lookup(v, "data/a"));
    assert_non_null(brig_fsview_lookup(v, "/data/c"));
    n = brig_fsview_lookup(v, "data");
    assert_int_equal(n->mode, 0750);   /* the higher directory's metadata wins */
    n = brig_fsview_lookup(v, "opt/link");
    assert_int_equal(n->type, BRIG_FT_SYMLINK);
    assert_string_equal(n->linkname, "/usr");
    assert_null(brig_fsview_lookup(v, "opt/link/f"));
    assert_non_null(brig_fsview_lookup(v, "etc/group"));
    assert_non_null(brig_fsview_lookup(v, "usr/share/\xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9.txt"));   /* pax UTF-8 name */
    assert_non_null(brig_fsview_lookup(v, "usr/share/latin1-\xe9" ".txt"));   /* not UTF-8: bytes kept */
    n = brig_fsview_lookup(v, "bin/su");
    assert_int_equal(n->mode, 04755);
    char *p = brig_fsnode_path(n);
    assert_string_equal(p, "bin/su");
    free(p);
    /* children sorted by name */
    n = brig_fsview_lookup(v, "etc");
    assert_string_equal(n->children->name, "group");
    assert_string_equal(n->children->next->name, "os-release");
    /* deleted list: what, where added, where removed */
    bool motd = false, pw = false, opq = false, linkdir = false;
    for (size_t i = 0; i < v->n_deleted; i++) {
        const brig_deleted *d = &v->deleted[i];
        if (!strcmp(d->path, "etc/motd")) motd = d->layer == 0 && d->removed_in == 1 && d->type == BRIG_FT_REG;
        if (!strcmp(d->path, "etc/passwd")) pw = d->layer == 0 && d->removed_in == 1;
        if (!strcmp(d->path, "data/b")) opq = d->layer == 0 && d->removed_in == 1;
        if (!strcmp(d->path, "opt/link")) linkdir = d->type == BRIG_FT_DIR;
        assert_string_not_equal(d->path, "data");   /* dir over dir is merged, not deleted */
    }
    assert_true(motd); assert_true(pw); assert_true(opq); assert_true(linkdir);
    const brig_fsview *v2;
    assert_int_equal(brig_image_fsview(img, &v2), 0);
    assert_ptr_equal(v, v2);   /* cached */
    brig_image_close(img);
}

typedef struct { char path[64]; char data[256]; size_t len, layer; } got_file;
typedef struct { got_file v[8]; size_t n; } got_list;
static int collect_file(void *ctx, const char *path, const char *data, size_t len, size_t layer) {
    got_list *g = ctx;
    got_file *f = &g->v[g->n++];
    snprintf(f->path, sizeof f->path, "%s", path);
    memcpy(f->data, data, len < 255 ? len : 255);
    f->len = len; f->layer = layer;
    return 0;
}

static void test_read_files(void **s) {
    (void)s;
    brig_image *img = open_lay();
    const char *paths[] = { "etc/passwd", "etc/os-release", "nope", "usr/share/README.hl", "data/a", "etc", NULL };
    got_list g = {0};
    assert_int_equal(brig_image_read_files(img, paths, 1 << 20, collect_file, &g), 0);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.v[0].path, "etc/passwd");
    assert_int_equal(g.v[0].layer, 1);
    assert_non_null(strstr(g.v[0].data, "app:x:1000"));
    assert_string_equal(g.v[1].path, "etc/os-release");   /* through the symlink */
    assert_string_equal(g.v[1].data, "ID=test\n");
    assert_string_equal(g.v[2].path, "usr/share/README.hl");   /* through the hardlink */
    assert_string_equal(g.v[2].data, "read me\n");
    /* the view was built in the same pass and is cached now */
    assert_non_null(img->impl->fsview);
    const char *big[] = { "etc/passwd", NULL };
    assert_int_equal(brig_image_read_files(img, big, 10, collect_file, &g), BRIG_EXIT_UNSAFE);
    assert_non_null(strstr(brig_errmsg(), "etc/passwd"));
    brig_image_close(img);
}

static void copy_file(const char *from, const char *to) {
    char *d; size_t n;
    assert_int_equal(brig_read_file(from, 1 << 26, &d, &n), 0);
    tl_write(to, d, n);
    free(d);
}

static void test_tampered_blob(void **s) {
    (void)s;
    /* copy the layout, flip one byte of the uncompressed top layer */
    char *cp = xasprintf("%s/tampered", tmp);
    char *cmd = xasprintf("cp -a %s %s", lay, cp);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    brig_image *img = open_lay();
    const char *hex;
    brig_digest_valid(img->layers[2].digest, &hex);
    char *blob = xasprintf("%s/blobs/sha256/%s", cp, hex);
    char *d; size_t n;
    assert_int_equal(brig_read_file(blob, 1 << 20, &d, &n), 0);
    char *p = memmem(d, n, "root:x:0:", 9);
    assert_non_null(p);
    p[0] = 'R';
    tl_write(blob, d, n);
    free(d);
    char *ref = xasprintf("oci:%s", cp);
    brig_image *bad;
    assert_int_equal(brig_image_open(ref, NULL, &bad), 0);
    assert_int_equal(brig_image_verify_blobs(bad), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), img->layers[2].digest));
    assert_non_null(strstr(brig_errmsg(), "tampered"));
    seen_list *sl = xcalloc(1, sizeof *sl);
    assert_int_equal(brig_image_walk(bad, 0, record, sl), BRIG_EXIT_INTEGRITY);
    free(sl);
    const brig_fsview *v;
    assert_int_equal(brig_image_fsview(bad, &v), BRIG_EXIT_INTEGRITY);
    brig_image_close(bad);
    /* a truncated blob fails at open (size differs from the manifest) */
    tl_write(blob, "x", 1);
    assert_int_equal(brig_image_open(ref, NULL, &bad), BRIG_EXIT_INTEGRITY);
    /* a changed config fails at open */
    copy_file(blob, blob);
    char *cfg = xasprintf("%s/blobs/sha256/%s", cp, img->config_digest + 7);
    tl_write(cfg, "{}", 2);
    assert_int_equal(brig_image_open(ref, NULL, &bad), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), img->config_digest + 7));
    free(cfg); free(ref); free(blob); free(cp);
    brig_image_close(img);
}

static void test_detect_and_errors(void **s) {
    (void)s;
    brig_image *img;
    /* bare path detection and an untagged request on a single-image layout */
    assert_int_equal(brig_image_open(lay, NULL, &img), 0);
    assert_int_equal(img->kind, BRIG_IMG_OCI_LAYOUT);
    brig_image_close(img);
    char *ref = xasprintf("oci:%s:nope", lay);
    assert_int_equal(brig_image_open(ref, NULL, &img), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "available: v1"));
    free(ref);
    /* a directory without index.json is a dir: image */
    ref = xasprintf("%s/blobs", lay);
    assert_int_equal(brig_image_open(ref, NULL, &img), 0);
    assert_int_equal(img->kind, BRIG_IMG_DIR);
    assert_int_equal(img->n_layers, 1);
    seen_list *l = xcalloc(1, sizeof *l);
    assert_int_equal(brig_image_walk(img, 0, record, l), 0);
    assert_true(l->n > 0);
    assert_null(strstr(l->v[0].path, "blobs"));   /* relative to the root */
    free(l);
    brig_image_close(img);
    free(ref);
    /* a file that is not an image */
    ref = xasprintf("%s/not-an-image", tmp);
    tl_write(ref, "hello", 5);
    assert_int_equal(brig_image_open(ref, NULL, &img), BRIG_EXIT_INPUT);
    free(ref);
}

static void test_inspect_json_schema(void **s) {
    (void)s;
    brig_image *img = open_lay();
    const brig_fsview *v;
    assert_int_equal(brig_image_fsview(img, &v), 0);
    json_t *j = inspect_to_json(img, v, true);
    static const char *keys[] = { "reference", "form", "digest", "config_digest", "os", "architecture", "variant", "created",
                                  "user", "workdir", "env", "entrypoint", "cmd", "exposed_ports", "volumes", "labels",
                                  "stop_signal", "healthcheck", "layers", "history", "files", "deleted", "verified_blobs" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (!json_object_get(j, keys[i])) fprintf(stderr, "# missing %s\n", keys[i]);
        assert_non_null(json_object_get(j, keys[i]));
    }
    assert_string_equal(json_string_value(json_object_get(j, "form")), "oci");
    assert_true(json_is_null(json_object_get(j, "healthcheck")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "entrypoint"), 0)), "/bin/sh");
    json_t *h = json_object_get(j, "history");
    assert_true(json_is_null(json_object_get(json_array_get(h, 3), "layer")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(h, 2), "layer")), 2);
    json_t *l1 = json_array_get(json_object_get(j, "layers"), 1);
    assert_string_equal(json_string_value(json_object_get(l1, "created_by")), "RUN change");
    assert_int_equal(json_integer_value(json_object_get(l1, "index")), 1);
    /* files sorted by path, relative, with string modes */
    json_t *files = json_object_get(j, "files");
    const char *prev = "";
    bool passwd = false;
    for (size_t i = 0; i < json_array_size(files); i++) {
        json_t *f = json_array_get(files, i);
        const char *path = json_string_value(json_object_get(f, "path"));
        assert_true(strcmp(prev, path) < 0);
        assert_true(path[0] != '/');
        prev = path;
        if (!strcmp(path, "etc/passwd")) {
            passwd = true;
            assert_string_equal(json_string_value(json_object_get(f, "mode")), "0640");
            assert_string_equal(json_string_value(json_object_get(f, "type")), "file");
            assert_int_equal(json_integer_value(json_object_get(f, "layer")), 1);
        }
        if (!strcmp(path, "usr/share/README.hl"))
            assert_string_equal(json_string_value(json_object_get(f, "link")), "usr/share/README");
    }
    assert_true(passwd);
    bool motd = false;
    json_t *del = json_object_get(j, "deleted");
    for (size_t i = 0; i < json_array_size(del); i++) {
        json_t *d = json_array_get(del, i);
        if (!strcmp(json_string_value(json_object_get(d, "path")), "etc/motd"))
            motd = json_integer_value(json_object_get(d, "layer")) == 0 && json_integer_value(json_object_get(d, "removed_in")) == 1;
    }
    assert_true(motd);
    json_decref(j);
    brig_image_close(img);
}

static void test_dir_image(void **s) {
    (void)s;
    char *root = xasprintf("%s/rootfs", tmp), *p;
    mkdir(root, 0755);
    p = xasprintf("%s/a", root); tl_write(p, "data", 4);
    char *b = xasprintf("%s/b", root);
    assert_int_equal(link(p, b), 0);
    free(p); free(b);
    p = xasprintf("%s/etcl", root); assert_int_equal(symlink("/etc", p), 0); free(p);
    p = xasprintf("%s/sub", root); mkdir(p, 0700); free(p);
    p = xasprintf("%s/sub/f", root); tl_write(p, "f", 1); free(p);
    char *ref = xasprintf("dir:%s", root);
    brig_image *img;
    assert_int_equal(brig_image_open(ref, NULL, &img), 0);
    seen_list *l = xcalloc(1, sizeof *l);
    assert_int_equal(brig_image_walk(img, 0, record, l), 0);
    assert_int_equal(l->n, 5);   /* a, b, etcl, sub, sub/f: nothing from the host's /etc */
    const seen *e = find(l, "b", 0);
    assert_non_null(e);
    assert_int_equal(e->type, BRIG_FT_HARDLINK);   /* second name of one inode */
    assert_int_equal(find(l, "etcl", 0)->type, BRIG_FT_SYMLINK);
    free(l);
    const char *paths[] = { "sub/f", "b", "etcl/passwd", NULL };
    got_list g = {0};
    assert_int_equal(brig_image_read_files(img, paths, 1024, collect_file, &g), 0);
    assert_int_equal(g.n, 2);   /* etcl/passwd resolves in-root to /etc/passwd, absent */
    assert_string_equal(g.v[1].data, "data");
    brig_image_close(img);
    free(ref); free(root);
}

static void test_multiplatform_index(void **s) {
    (void)s;
    char *cp = xasprintf("%s/multi", tmp);
    char *cmd = xasprintf("cp -a %s %s", lay, cp);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    char *ixp = xasprintf("%s/index.json", cp);
    json_t *ix;
    assert_int_equal(brig_json_load_file(ixp, 1 << 20, &ix), 0);
    json_t *desc = json_array_get(json_object_get(ix, "manifests"), 0);
    const char *mdg = brig_json_str(desc, "digest");
    /* an image index listing an arm64 image first, then ours as linux/amd64 */
    json_t *list = json_pack("{s:i, s:s, s:[{s:s, s:s, s:O, s:{s:s, s:s}}, {s:s, s:s, s:O, s:{s:s, s:s}}]}",
        "schemaVersion", 2, "mediaType", "application/vnd.oci.image.index.v1+json", "manifests",
        "mediaType", "application/vnd.oci.image.manifest.v1+json", "digest", "sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "size", json_object_get(desc, "size"), "platform", "os", "linux", "architecture", "arm64",
        "mediaType", "application/vnd.oci.image.manifest.v1+json", "digest", mdg,
        "size", json_object_get(desc, "size"), "platform", "os", "linux", "architecture", "amd64");
    char *ls = json_dumps(list, JSON_COMPACT);
    char hex[65];
    brig_sha256_hex(ls, strlen(ls), hex);
    char *bp = xasprintf("%s/blobs/sha256/%s", cp, hex);
    tl_write(bp, ls, strlen(ls));
    json_t *top = json_pack("{s:i, s:[{s:s, s:s+, s:I, s:{s:s}}]}", "schemaVersion", 2, "manifests",
        "mediaType", "application/vnd.oci.image.index.v1+json", "digest", "sha256:", hex, "size", (json_int_t)strlen(ls),
        "annotations", "org.opencontainers.image.ref.name", "multi");
    char *ts = json_dumps(top, JSON_COMPACT);
    tl_write(ixp, ts, strlen(ts));
    char *ref = xasprintf("oci:%s:multi", cp);
    brig_image *img;
    int rc = brig_image_open(ref, NULL, &img);
    if (rc) fprintf(stderr, "# %s\n", brig_errmsg());
    assert_int_equal(rc, 0);
    assert_string_equal(img->manifest_digest, mdg);
    assert_int_equal(img->n_layers, 3);
    brig_image_close(img);
    /* a tampered image index is refused */
    ls[strlen(ls) - 2] = ' ';
    tl_write(bp, ls, strlen(ls));
    assert_int_equal(brig_image_open(ref, NULL, &img), BRIG_EXIT_INTEGRITY);
    free(ref); free(ts); free(bp); free(ls); free(ixp); free(cp);
    json_decref(top); json_decref(list); json_decref(ix);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_metadata),
        cmocka_unit_test(test_walk_states),
        cmocka_unit_test(test_walk_stop_and_abort),
        cmocka_unit_test(test_fsview),
        cmocka_unit_test(test_read_files),
        cmocka_unit_test(test_tampered_blob),
        cmocka_unit_test(test_detect_and_errors),
        cmocka_unit_test(test_multiplatform_index),
        cmocka_unit_test(test_dir_image),
        cmocka_unit_test(test_inspect_json_schema),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
