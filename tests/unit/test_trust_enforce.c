/* brig_trust_enforce (the gate `brig run` calls) on a real OCI layout: policy
 * path resolution ($BRIG_POLICY), accept, reject, signature requirement. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "image/image.h"
#include "trust/identity.h"
#include "trust/keys.h"
#include "trust/policy.h"
#include "trust/sigs.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define FIXTURE "tests/fixtures/out/busybox-oci"

typedef struct { char dir[64]; char *img; brig_image *im; } fx;

static int setup(void **st) {
    if (access(FIXTURE "/index.json", F_OK) != 0) { *st = NULL; return 0; }
    fx *f = xcalloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/brig-trust-enf.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    f->img = xasprintf("%s/app", f->dir);
    char *cmd = xasprintf("cp -r " FIXTURE " '%s'", f->img);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0) return -1;
    char *ref = xasprintf("oci:%s", f->img);
    rc = brig_image_open(ref, NULL, &f->im);
    free(ref);
    *st = f;
    return rc;
}

static int teardown(void **st) {
    fx *f = *st;
    if (!f) return 0;
    brig_image_close(f->im);
    brig_rm_rf(f->dir);
    free(f->img);
    free(f);
    return 0;
}

static char *write_policy(fx *f, const char *name, const char *text) {
    char *p = xasprintf("%s/%s", f->dir, name);
    assert_int_equal(brig_write_file_atomic(p, text, strlen(text), 0644), 0);
    return p;
}

static void enforce(void **st) {
    fx *f = *st;
    if (!f) { skip(); return; }
    char *acc = write_policy(f, "acc.json", "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    char *rej = write_policy(f, "rej.json", "{\"default\":[{\"type\":\"reject\"}]}");
    assert_int_equal(brig_trust_enforce(f->im, acc), 0);
    assert_int_equal(brig_trust_enforce(f->im, rej), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "rejects"));
    setenv("BRIG_POLICY", rej, 1);                         /* NULL path: $BRIG_POLICY */
    assert_int_equal(brig_trust_enforce(f->im, NULL), BRIG_EXIT_INTEGRITY);
    setenv("BRIG_POLICY", acc, 1);
    assert_int_equal(brig_trust_enforce(f->im, NULL), 0);
    unsetenv("BRIG_POLICY");
    char *bad = write_policy(f, "bad.json", "{\"default\":[{\"type\":\"reject\"}],\"oops\":1}");
    assert_int_equal(brig_trust_enforce(f->im, bad), BRIG_EXIT_INPUT);
    /* signature requirement: unsigned, then signed */
    char *prefix = xasprintf("%s/k", f->dir), *kp = xasprintf("%s.key", prefix);
    assert_int_equal(trust_key_generate(prefix, "", false), 0);
    char *txt = xasprintf("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"%s\":[{\"type\":\"sigstoreSigned\","
                          "\"keyPath\":\"%s.pub\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}}}", f->img, prefix);
    char *sig = write_policy(f, "sig.json", txt);
    assert_int_equal(brig_trust_enforce(f->im, sig), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "no signature for"));
    EVP_PKEY *k;
    assert_int_equal(trust_privkey_load(kp, &k), 0);
    trust_sign_opts o = { .docker_ref = "localhost/app" };
    assert_int_equal(trust_sign_layout(f->img, f->im->manifest_digest, k, &o, NULL), 0);
    EVP_PKEY_free(k);
    assert_int_equal(brig_trust_enforce(f->im, sig), 0);
    free(acc); free(rej); free(bad); free(prefix); free(kp); free(txt); free(sig);
}


/* How an image is named for signing and signedIdentity (docs/trust.md). */
static void image_identity(void **st) {
    (void)st;
    brig_image im = { .kind = BRIG_IMG_OCI_LAYOUT, .path = "/srv/Busy Box-oci", .tag = "v1" };
    trust_dref r;
    assert_int_equal(trust_image_identity(&im, &r), 0);
    assert_string_equal(r.full, "localhost/busy-box-oci:v1");
    assert_string_equal(r.name, "localhost/busy-box-oci");
    trust_dref_free(&r);
    im.tag = "quay.io/org/app:1.2";                       /* a full reference as the tag */
    assert_int_equal(trust_image_identity(&im, &r), 0);
    assert_string_equal(r.full, "quay.io/org/app:1.2");
    trust_dref_free(&r);
    im.tag = NULL;
    assert_int_equal(trust_image_identity(&im, &r), 0);
    assert_string_equal(r.full, "localhost/busy-box-oci:latest");
    trust_dref_free(&r);
    brig_image ar = { .kind = BRIG_IMG_OCI_ARCHIVE, .path = "/x/busybox.oci.tar", .tag = "latest" };
    assert_int_equal(trust_image_identity(&ar, &r), 0);
    assert_string_equal(r.full, "localhost/busybox.oci:latest");
    trust_dref_free(&r);
    brig_image da = { .kind = BRIG_IMG_DOCKER_ARCHIVE, .path = "/x/b.tar", .tag = "busybox:1.36" };
    assert_int_equal(trust_image_identity(&da, &r), 0);
    assert_string_equal(r.full, "docker.io/library/busybox:1.36");
    trust_dref_free(&r);
    brig_image d = { .kind = BRIG_IMG_DIR, .path = "/x/root" };
    assert_int_equal(trust_image_identity(&d, &r), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(enforce, setup, teardown),
        cmocka_unit_test(image_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
