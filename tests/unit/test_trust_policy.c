/* containers-policy.json parsing, scope selection, signedIdentity matching,
 * brig.notAfter expiry and keyPaths rotation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trust/b64.h"
#include "trust/dockerref.h"
#include "trust/keys.h"
#include "trust/layout.h"
#include "trust/policy_model.h"
#include "trust/sigs.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static int parse(const char *text, trust_policy *p) {
    return trust_policy_parse("policy.json", "/keys", text, strlen(text), p);
}

static void parse_errors_name_the_place(void **st) {
    (void)st;
    trust_policy p;
    assert_int_equal(parse("{\"default\":[{\"type\":\"reject\"}],\"transport\":{}}", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "unknown field \"transport\""));
    assert_int_equal(parse("{\"transports\":{}}", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "no \"default\""));
    assert_int_equal(parse("{\"default\":[]}", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "empty"));
    assert_int_equal(parse("{\"default\":[{\"type\":\"accept\"}]}", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "default[0]: unknown requirement type \"accept\""));
    assert_int_equal(parse("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"relative/dir\":[{\"type\":\"reject\"}]}}}", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "clean absolute path"));
    assert_int_equal(parse("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker-archive\":{\"/x\":[{\"type\":\"reject\"}]}}}", &p), BRIG_EXIT_INPUT);
    assert_int_equal(parse("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"ftp\":{}}}", &p), BRIG_EXIT_INPUT);
    assert_int_equal(parse("{\"default\":[{\"type\":\"sigstoreSigned\"}]}", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "exactly one of keyPath"));
    assert_int_equal(parse("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/k\",\"keyData\":\"eA==\"}]}", &p), BRIG_EXIT_INPUT);
    assert_int_equal(parse("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/k\",\"signedIdentity\":{\"type\":\"exactReference\"}}]}", &p), BRIG_EXIT_INPUT);
    assert_int_equal(parse("{\"default\":[{\"type\":\"reject\",\"brig.notAfter\":\"tomorrow\"}]}", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "RFC 3339"));
    assert_int_equal(parse("{\"default\":[{\"type\":\"reject\"}]", &p), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "policy.json:1:"));
}

static void relative_keypaths_resolve_against_policy_dir(void **st) {
    (void)st;
    trust_policy p;
    assert_int_equal(parse("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPaths\":[\"old.pub\",\"/abs/new.pub\"],"
                           "\"signedIdentity\":{\"type\":\"matchRepository\"}}]}", &p), 0);
    assert_int_equal(p.def.v[0].n_key_paths, 2);
    assert_string_equal(p.def.v[0].key_paths[0], "/keys/old.pub");
    assert_string_equal(p.def.v[0].key_paths[1], "/abs/new.pub");
    assert_int_equal(p.def.v[0].id.type, TRUST_ID_MATCH_REPOSITORY);
    trust_policy_free(&p);
}

static void scopes_most_specific_wins(void **st) {
    (void)st;
    trust_policy p;
    assert_int_equal(parse("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{"
                           "\"\":[{\"type\":\"reject\"}],"
                           "\"/srv\":[{\"type\":\"insecureAcceptAnything\"}],"
                           "\"/srv/images/app\":[{\"type\":\"reject\"}],"
                           "\"/srv/images/app:v2\":[{\"type\":\"insecureAcceptAnything\"}]}}}", &p), 0);
    size_t n;
    char **sc = trust_path_scopes("/srv/images/app", "v1", &n);
    assert_int_equal(n, 4);
    assert_string_equal(sc[0], "/srv/images/app:v1");
    assert_string_equal(sc[3], "/srv");
    trust_subject s = { .transport = "oci", .scopes = sc, .n_scopes = n, .describe = "oci:/srv/images/app:v1" };
    strbuf why = STRBUF_INIT;
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);   /* directory scope rejects */
    assert_non_null(strstr(why.buf, "transports.oci[\"/srv/images/app\"]"));
    for (size_t i = 0; i < n; i++) free(sc[i]);
    free(sc); sb_reset(&why);
    sc = trust_path_scopes("/srv/images/app", "v2", &n);
    s.scopes = sc;
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), 0);                     /* tag scope is more specific */
    for (size_t i = 0; i < n; i++) free(sc[i]);
    free(sc); sb_reset(&why);
    sc = trust_path_scopes("/srv/other", NULL, &n);
    s.scopes = sc; s.n_scopes = n;
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), 0);                     /* parent /srv accepts */
    for (size_t i = 0; i < n; i++) free(sc[i]);
    free(sc); sb_reset(&why);
    sc = trust_path_scopes("/home/x", NULL, &n);
    s.scopes = sc; s.n_scopes = n;
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);   /* transport default "" */
    assert_non_null(strstr(why.buf, "transport default"));
    for (size_t i = 0; i < n; i++) free(sc[i]);
    free(sc); sb_reset(&why);
    s.transport = "docker-archive"; s.scopes = NULL; s.n_scopes = 0;
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);   /* global default */
    assert_non_null(strstr(why.buf, "scope: default"));
    sb_free(&why);
    trust_policy_free(&p);
}

static void docker_scopes_and_refs(void **st) {
    (void)st;
    trust_dref r;
    assert_int_equal(trust_dref_parse("t", "busybox", &r), 0);
    assert_string_equal(r.full, "docker.io/library/busybox");
    trust_dref_free(&r);
    assert_int_equal(trust_dref_parse("t", "quay.io/Org/b", &r), BRIG_EXIT_INPUT);   /* uppercase repo is invalid */
    assert_int_equal(trust_dref_parse("t", "localhost:5000/a/b:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &r), 0);
    assert_string_equal(r.domain, "localhost:5000");
    assert_string_equal(r.tag, "1.0");
    trust_dref_free(&r);
    assert_int_equal(trust_dref_parse("t", "registry.example.com/ns/app:v1", &r), 0);
    size_t n;
    char **sc = trust_docker_scopes(&r, &n);
    const char *want[] = { "registry.example.com/ns/app:v1", "registry.example.com/ns/app", "registry.example.com/ns",
                           "registry.example.com", "*.example.com", "*.com" };
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) { assert_string_equal(sc[i], want[i]); free(sc[i]); }
    free(sc);
    trust_policy p;
    assert_int_equal(parse("{\"default\":[{\"type\":\"insecureAcceptAnything\"}],\"transports\":{\"docker\":{"
                           "\"*.example.com\":[{\"type\":\"reject\"}]}}}", &p), 0);
    sc = trust_docker_scopes(&r, &n);
    trust_subject s = { .transport = "docker", .scopes = sc, .n_scopes = n, .identity = &r, .describe = "x" };
    strbuf why = STRBUF_INIT;
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);
    for (size_t i = 0; i < n; i++) free(sc[i]);
    free(sc); sb_free(&why);
    trust_policy_free(&p);
    trust_dref_free(&r);
}

static void identity_rules(void **st) {
    (void)st;
    trust_dref img, dig;
    const char *why;
    assert_int_equal(trust_dref_parse("t", "quay.io/org/app:v1", &img), 0);
    assert_int_equal(trust_dref_parse("t", "quay.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &dig), 0);
    trust_identity id = { .type = TRUST_ID_MATCH_REPO_DIGEST_OR_EXACT };
    assert_true(trust_identity_matches(&id, &img, "quay.io/org/app:v1", &why));
    assert_false(trust_identity_matches(&id, &img, "quay.io/org/app", &why));      /* tag image needs exact */
    assert_true(trust_identity_matches(&id, &dig, "quay.io/org/app", &why));       /* digest image: repo is enough */
    assert_false(trust_identity_matches(&id, &img, "quay.io/org/other:v1", &why));
    id.type = TRUST_ID_MATCH_REPOSITORY;
    assert_true(trust_identity_matches(&id, &img, "quay.io/org/app", &why));
    assert_false(trust_identity_matches(&id, &img, "quay.io/org/app2", &why));
    id.type = TRUST_ID_MATCH_EXACT;
    assert_false(trust_identity_matches(&id, &img, "quay.io/org/app", &why));
    assert_true(trust_identity_matches(&id, &img, "quay.io/org/app:v1", &why));
    id.type = TRUST_ID_EXACT_REPOSITORY; id.value = "quay.io/org/app";
    assert_true(trust_identity_matches(&id, NULL, "quay.io/org/app", &why));
    assert_false(trust_identity_matches(&id, NULL, "quay.io/evil/app", &why));
    id.type = TRUST_ID_EXACT_REFERENCE; id.value = "quay.io/org/app:v1";
    assert_true(trust_identity_matches(&id, NULL, "quay.io/org/app:v1", &why));
    assert_false(trust_identity_matches(&id, NULL, "quay.io/org/app", &why));
    id.type = TRUST_ID_MATCH_REPOSITORY;
    assert_false(trust_identity_matches(&id, NULL, "quay.io/org/app", &why));    /* no image identity */
    assert_non_null(strstr(why, "no Docker reference identity"));
    id.type = TRUST_ID_REMAP; id.prefix = "mirror.local/org"; id.signed_prefix = "quay.io/org";
    trust_dref mir;
    assert_int_equal(trust_dref_parse("t", "mirror.local/org/app:v1", &mir), 0);
    assert_true(trust_identity_matches(&id, &mir, "quay.io/org/app:v1", &why));
    assert_false(trust_identity_matches(&id, &mir, "mirror.local/org/app:v1", &why));
    trust_dref_free(&mir); trust_dref_free(&img); trust_dref_free(&dig);
}

static void rfc3339(void **st) {
    (void)st;
    time_t t;
    assert_int_equal(trust_parse_rfc3339("1970-01-02T00:00:00Z", &t), 0);
    assert_int_equal(t, 86400);
    assert_int_equal(trust_parse_rfc3339("1970-01-02T01:00:00.123+01:00", &t), 0);
    assert_int_equal(t, 86400);
    assert_int_equal(trust_parse_rfc3339("1970-01-02", &t), -1);
    assert_int_equal(trust_parse_rfc3339("1970-01-02T00:00:00", &t), -1);
}

/* Signed layout + keys on disk, evaluated through keyPaths, keyData and notAfter. */
static void sigstore_requirements(void **st) {
    (void)st;
    char dir[] = "/tmp/brig-trust-pol.XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *m = "{\"schemaVersion\":2,\"layers\":[]}";
    char dg[72];
    assert_int_equal(trust_blob_write(dir, m, strlen(m), dg), 0);
    char *idx = xasprintf("{\"schemaVersion\":2,\"manifests\":[]}"), *ip = xasprintf("%s/index.json", dir);
    assert_int_equal(brig_write_file_atomic(ip, idx, strlen(idx), 0644), 0);
    char *old = xasprintf("%s/old", dir), *new = xasprintf("%s/new", dir), *other = xasprintf("%s/other", dir);
    assert_int_equal(trust_key_generate(old, "", false), 0);
    assert_int_equal(trust_key_generate(new, "", false), 0);
    assert_int_equal(trust_key_generate(other, "", false), 0);
    char *kp = xasprintf("%s.key", new);
    EVP_PKEY *k;
    assert_int_equal(trust_privkey_load(kp, &k), 0);
    trust_sign_opts o = { .docker_ref = "localhost/app" };
    assert_int_equal(trust_sign_layout(dir, dg, k, &o, NULL), 0);
    EVP_PKEY_free(k);
    trust_dref id;
    assert_int_equal(trust_dref_parse("t", "localhost/app:latest", &id), 0);
    trust_subject s = { .transport = "oci", .layout_dir = dir, .digest = dg, .identity = &id, .describe = "oci:x" };
    strbuf why = STRBUF_INIT;
    trust_policy p;
    char *txt;
    /* rotation: keyPaths [old, new] accepts a signature by new */
    txt = xasprintf("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPaths\":[\"%s.pub\",\"%s.pub\"],"
                    "\"signedIdentity\":{\"type\":\"matchRepository\"}}]}", old, new);
    assert_int_equal(parse(txt, &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), 0);
    assert_non_null(strstr(why.buf, "new.pub"));
    trust_policy_free(&p); free(txt);
    /* only the other key: rejected */
    txt = xasprintf("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"%s.pub\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}", other);
    assert_int_equal(parse(txt, &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "does not verify"));
    trust_policy_free(&p); free(txt);
    /* default signedIdentity (matchRepoDigestOrExact) vs cosign's repo-only identity: rejected, explained */
    txt = xasprintf("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"%s.pub\"}]}", new);
    assert_int_equal(parse(txt, &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "matchRepoDigestOrExact"));
    trust_policy_free(&p); free(txt);
    /* keyData (base64 PEM) */
    char *pub; size_t pl;
    char *pubpath = xasprintf("%s.pub", new);
    assert_int_equal(brig_read_file(pubpath, 1 << 16, &pub, &pl), 0);
    char *b = trust_b64_encode(pub, pl);
    txt = xasprintf("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyData\":\"%s\",\"signedIdentity\":{\"type\":\"exactRepository\",\"dockerRepository\":\"localhost/app\"}}]}", b);
    assert_int_equal(parse(txt, &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), 0);
    trust_policy_free(&p); free(txt);
    /* expired requirement (brig.notAfter in the past) rejects; future accepts */
    txt = xasprintf("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"%s.pub\",\"brig.notAfter\":\"2001-01-01T00:00:00Z\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}", new);
    assert_int_equal(parse(txt, &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "expired at 2001-01-01T00:00:00Z"));
    trust_policy_free(&p); free(txt);
    txt = xasprintf("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"%s.pub\",\"brig.notAfter\":\"2999-01-01T00:00:00Z\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}", new);
    assert_int_equal(parse(txt, &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), 0);
    trust_policy_free(&p); free(txt);
    /* unsupported types fail loudly with exit 7 only when used */
    assert_int_equal(parse("{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"/k.gpg\"}]}", &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_NOTIMPL);
    assert_non_null(strstr(brig_errmsg(), "signedBy"));
    trust_policy_free(&p);
    assert_int_equal(parse("{\"default\":[{\"type\":\"sigstoreSigned\",\"fulcio\":{},\"signedIdentity\":{\"type\":\"matchRepository\"}}]}", &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_NOTIMPL);
    trust_policy_free(&p);
    /* unsigned image */
    char dg2[72];
    assert_int_equal(trust_blob_write(dir, "{}", 2, dg2), 0);
    s.digest = dg2;
    txt = xasprintf("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"%s.pub\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}", new);
    assert_int_equal(parse(txt, &p), 0);
    assert_int_equal(trust_policy_evaluate(&p, &s, &why), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "no signature for"));
    trust_policy_free(&p); free(txt);
    sb_free(&why);
    free(pub); free(b); free(pubpath); free(kp); free(idx); free(ip); free(old); free(new); free(other);
    trust_dref_free(&id);
    brig_rm_rf(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_errors_name_the_place),
        cmocka_unit_test(relative_keypaths_resolve_against_policy_dir),
        cmocka_unit_test(scopes_most_specific_wins),
        cmocka_unit_test(docker_scopes_and_refs),
        cmocka_unit_test(identity_rules),
        cmocka_unit_test(rfc3339),
        cmocka_unit_test(sigstore_requirements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
