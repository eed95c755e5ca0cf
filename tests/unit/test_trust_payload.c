/* Simple-signing payloads: byte-exact cosign format, strict parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "trust/b64.h"
#include "trust/payload.h"
#include "util/err.h"
#include "util/exitcodes.h"

#define D "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void build_no_annotations(void **st) {
    (void)st;
    size_t n;
    char *p = trust_payload_build("quay.io/org/app", D, NULL, NULL, 0, &n);
    assert_string_equal(p, "{\"critical\":{\"identity\":{\"docker-reference\":\"quay.io/org/app\"},"
                           "\"image\":{\"docker-manifest-digest\":\"" D "\"},"
                           "\"type\":\"cosign container image signature\"},\"optional\":null}");
    assert_int_equal(n, strlen(p));
    free(p);
}

static void build_annotations_sorted_and_go_escaped(void **st) {
    (void)st;
    char *k[] = { "zeta", "alpha", "html", "alpha" };
    char *v[] = { "1", "first", "<a&b>", "second" };
    size_t n;
    char *p = trust_payload_build("r/x", D, k, v, 4, &n);
    /* sorted keys, last duplicate wins, <>& escaped as Go's encoding/json does */
    assert_non_null(strstr(p, "\"optional\":{\"alpha\":\"second\",\"html\":\"\\u003ca\\u0026b\\u003e\",\"zeta\":\"1\"}}"));
    free(p);
}

static void parse_roundtrip(void **st) {
    (void)st;
    char *k[] = { "who" }, *v[] = { "ci" };
    size_t n;
    char *p = trust_payload_build("docker.io/library/busybox", D, k, v, 1, &n);
    trust_payload pl;
    assert_int_equal(trust_payload_parse("p", p, n, &pl), 0);
    assert_string_equal(pl.docker_ref, "docker.io/library/busybox");
    assert_string_equal(pl.digest, D);
    assert_string_equal(json_string_value(json_object_get(pl.optional, "who")), "ci");
    trust_payload_free(&pl);
    free(p);
}

static void parse_rejects(void **st) {
    (void)st;
    trust_payload pl;
    const char *wrong_type = "{\"critical\":{\"identity\":{\"docker-reference\":\"a\"},\"image\":{\"docker-manifest-digest\":\"" D "\"},\"type\":\"atomic container signature\"},\"optional\":null}";
    assert_int_equal(trust_payload_parse("p", wrong_type, strlen(wrong_type), &pl), BRIG_EXIT_INTEGRITY);
    assert_non_null(strstr(brig_errmsg(), "expected 'cosign container image signature'"));
    const char *bad_digest = "{\"critical\":{\"identity\":{\"docker-reference\":\"a\"},\"image\":{\"docker-manifest-digest\":\"sha256:XYZ\"},\"type\":\"cosign container image signature\"}}";
    assert_int_equal(trust_payload_parse("p", bad_digest, strlen(bad_digest), &pl), BRIG_EXIT_INPUT);
    const char *no_ident = "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" D "\"},\"type\":\"cosign container image signature\"}}";
    assert_int_equal(trust_payload_parse("p", no_ident, strlen(no_ident), &pl), BRIG_EXIT_INPUT);
    const char *junk = "{\"critical\": [";
    assert_int_equal(trust_payload_parse("payload.json", junk, strlen(junk), &pl), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "payload.json:1:"));
    const char *dup = "{\"critical\":{},\"critical\":{}}";
    assert_int_equal(trust_payload_parse("p", dup, strlen(dup), &pl), BRIG_EXIT_INPUT);
    size_t big = TRUST_PAYLOAD_MAX_BYTES + 1;
    char *huge = malloc(big + 1);
    memset(huge, ' ', big); huge[big] = 0;
    assert_int_equal(trust_payload_parse("p", huge, big, &pl), BRIG_EXIT_UNSAFE);
    free(huge);
}

static void base64_strict(void **st) {
    (void)st;
    unsigned char *d; size_t n;
    char *e = trust_b64_encode("hello!?", 7);
    assert_string_equal(e, "aGVsbG8hPw==");
    assert_int_equal(trust_b64_decode(e, &d, &n), 0);
    assert_int_equal(n, 7);
    assert_memory_equal(d, "hello!?", 7);
    free(d); free(e);
    assert_int_equal(trust_b64_decode("aGVsbG8", &d, &n), -1);       /* truncated */
    assert_int_equal(trust_b64_decode("aGV*bG8h", &d, &n), -1);      /* bad char */
    assert_int_equal(trust_b64_decode("aGVsbA==aGVs", &d, &n), -1);  /* data after padding */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(build_no_annotations),
        cmocka_unit_test(build_annotations_sorted_and_go_escaped),
        cmocka_unit_test(parse_roundtrip),
        cmocka_unit_test(parse_rejects),
        cmocka_unit_test(base64_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
