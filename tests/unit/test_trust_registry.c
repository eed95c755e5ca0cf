/* WWW-Authenticate parsing for `brig pull`: challenges as real registries send
 * them, RFC 7235 list/quoting rules, and refusal of malformed or oversized
 * headers with a message naming the byte position. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trust/registry_auth.h"
#include "util/err.h"
#include "util/exitcodes.h"

#define WHAT "https://reg.example"

/* parse_ok: s must parse; realm/service/scope as given (NULL = absent). */
static void parse_ok(const char *s, const char *realm, const char *service, const char *scope) {
    reg_bearer b;
    int rc = reg_auth_parse_bearer(WHAT, s, strlen(s), &b);
    if (rc) fail_msg("'%s' refused: %s", s, brig_errmsg());
    assert_string_equal(b.realm, realm);
    if (service) assert_string_equal(b.service, service); else assert_null(b.service);
    if (scope) assert_string_equal(b.scope, scope); else assert_null(b.scope);
    reg_bearer_free(&b);
}

/* parse_bad: s (n bytes) must be refused with BRIG_EXIT_INPUT and a message containing want. */
static void parse_bad_n(const char *s, size_t n, const char *want) {
    reg_bearer b = { (char *)1, (char *)1, (char *)1 };
    int rc = reg_auth_parse_bearer(WHAT, s, n, &b);
    if (rc != BRIG_EXIT_INPUT) fail_msg("'%.80s' gave %d, want %d", s, rc, BRIG_EXIT_INPUT);
    if (!strstr(brig_errmsg(), want)) fail_msg("'%.80s': message '%s' lacks '%s'", s, brig_errmsg(), want);
    if (!strstr(brig_errmsg(), WHAT)) fail_msg("'%.80s': message '%s' does not name the registry", s, brig_errmsg());
    assert_null(b.realm); assert_null(b.service); assert_null(b.scope);
}
static void parse_bad(const char *s, const char *want) { parse_bad_n(s, strlen(s), want); }

static void real_registries(void **st) {
    (void)st;
    parse_ok("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"",
             "https://auth.docker.io/token", "registry.docker.io", "repository:library/alpine:pull");
    parse_ok("Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:stefanprodan/podinfo:pull\"",
             "https://ghcr.io/token", "ghcr.io", "repository:stefanprodan/podinfo:pull");
    parse_ok("Bearer realm=\"https://quay.io/v2/auth\",service=\"quay.io\",scope=\"repository:coreos/etcd:pull\"",
             "https://quay.io/v2/auth", "quay.io", "repository:coreos/etcd:pull");
    parse_ok("Bearer realm=\"https://gcr.io/v2/token\",service=\"gcr.io\",scope=\"repository:google-containers/pause:pull\"",
             "https://gcr.io/v2/token", "gcr.io", "repository:google-containers/pause:pull");
    parse_ok("Bearer realm=\"https://public.ecr.aws/token/\",service=\"public.ecr.aws\",scope=\"aws\"",
             "https://public.ecr.aws/token/", "public.ecr.aws", "aws");
    /* Docker Hub on a missing repository: an extra error parameter */
    parse_ok("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nope:pull\",error=\"insufficient_scope\"",
             "https://auth.docker.io/token", "registry.docker.io", "repository:library/nope:pull");
    /* docker/distribution registry with token auth, no scope on /v2/ */
    parse_ok("Bearer realm=\"http://127.0.0.1:5001/auth\",service=\"Docker registry\"", "http://127.0.0.1:5001/auth", "Docker registry", NULL);
    /* the form tests/integration/trust_pull.sh serves */
    parse_ok("Bearer realm=\"http://127.0.0.1:8080/token\",service=\"reg\",scope=\"repository:brig/busybox:pull\"",
             "http://127.0.0.1:8080/token", "reg", "repository:brig/busybox:pull");
}

static void rfc7235_syntax(void **st) {
    (void)st;
    /* scheme and parameter names are case-insensitive; whitespace around '=' and ',' */
    parse_ok("bearer Realm=\"https://a.example/t\" , SERVICE = \"s\"", "https://a.example/t", "s", NULL);
    /* quoted-pair: escaped quotes and backslashes */
    parse_ok("Bearer realm=\"https://a.example/t\",service=\"a \\\"quoted\\\" \\\\svc\"", "https://a.example/t", "a \"quoted\" \\svc", NULL);
    /* commas inside quoted values do not split the list, nor start a parameter */
    parse_ok("Bearer realm=\"https://a.example/t\",scope=\"repository:a/b:pull,push\"", "https://a.example/t", NULL, "repository:a/b:pull,push");
    parse_ok("Bearer realm=\"https://good.example/t\",scope=\"x,service=evil,realm=https://evil.example/\"",
             "https://good.example/t", NULL, "x,service=evil,realm=https://evil.example/");
    /* several scopes in one value stay one value (get_token splits them) */
    parse_ok("Bearer realm=\"https://a.example/t\",scope=\"repository:a:pull repository:b:pull\"", "https://a.example/t", NULL,
             "repository:a:pull repository:b:pull");
    /* unquoted values, as some registries send them */
    parse_ok("Bearer realm=https://a.example/token,service=reg", "https://a.example/token", "reg", NULL);
    /* empty list elements are allowed */
    parse_ok(", ,Bearer realm=\"https://a.example/t\",,service=\"s\",", "https://a.example/t", "s", NULL);
    /* tabs are whitespace too */
    parse_ok("Bearer\trealm=\"https://a.example/t\"", "https://a.example/t", NULL, NULL);
}

static void several_challenges(void **st) {
    (void)st;
    /* Basic first, Bearer second, in one header */
    parse_ok("Basic realm=\"Registry Realm\", Bearer realm=\"https://auth.example/token\",service=\"example\"",
             "https://auth.example/token", "example", NULL);
    /* two WWW-Authenticate headers joined by the client: "A, B" */
    parse_ok("Basic realm=\"r\", charset=\"UTF-8\", Bearer realm=\"https://auth.example/token\"", "https://auth.example/token", NULL, NULL);
    /* token68 challenges (Negotiate, Basic credentials form) before the Bearer one */
    parse_ok("Negotiate, NTLM TlRMTVNTUAABAAAA==, Bearer realm=\"https://a.example/t\",scope=\"s\"", "https://a.example/t", NULL, "s");
    /* the realm of another scheme is not the Bearer realm */
    parse_ok("Basic realm=\"https://basic.example/\", Bearer service=\"x\", realm=\"https://bearer.example/t\"",
             "https://bearer.example/t", "x", NULL);
    /* the first Bearer challenge is used; a second one is parsed and ignored */
    parse_ok("Bearer realm=\"https://one.example/t\", Bearer realm=\"https://two.example/t\"", "https://one.example/t", NULL, NULL);
    /* no Bearer challenge at all: the schemes offered are named */
    parse_bad("Basic realm=\"Registry Realm\"", "(Basic)");
    parse_bad("Basic realm=\"x\", Digest realm=\"y\", nonce=\"z\"", "(Basic, Digest)");
    parse_bad("", "no challenge given");
}

static void missing_or_bad_realm(void **st) {
    (void)st;
    parse_bad("Bearer service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"", "without a realm");
    parse_bad("Bearer", "without a realm");
    parse_bad("Bearer realm=\"\"", "not an http(s) URL");
    parse_bad("Bearer realm=\"file:///etc/passwd\"", "not an http(s) URL");
    parse_bad("Bearer realm=\"ftp://a.example/t\"", "not an http(s) URL");
    parse_bad("Bearer realm=\"https://\"", "not an http(s) URL");
    parse_bad("Bearer realm=\"https:///path\"", "not an http(s) URL");
    parse_bad("Bearer realm=\"httpx://a\"", "not an http(s) URL");
    parse_bad("Bearer realm=\"https://a.example/t x\"", "contains a space");
    parse_bad("Bearer realm=\"https://a.example/\xc3\xa9\"", "non-ASCII");
    /* a second realm/service/scope makes the challenge ambiguous */
    parse_bad("Bearer realm=\"https://a.example/t\",realm=\"https://evil.example/t\"", "'realm' appears twice");
    parse_bad("Bearer realm=\"https://a.example/t\",service=\"a\",Service=\"b\"", "'service' appears twice");
}

static void limits(void **st) {
    (void)st;
    /* one value over REG_AUTH_VALUE_MAX */
    size_t n = REG_AUTH_VALUE_MAX + 100;
    char *s = malloc(n + 64);
    int k = sprintf(s, "Bearer realm=\"https://a.example/");
    memset(s + k, 'a', n); strcpy(s + k + n, "\"");
    parse_bad(s, "longer than 2048 bytes");
    /* the same, unquoted */
    k = sprintf(s, "Bearer realm=https://a.example/");
    memset(s + k, 'a', n); s[k + n] = 0;
    parse_bad(s, "longer than 2048 bytes");
    free(s);
    /* exactly at the value limit is fine */
    s = malloc(REG_AUTH_VALUE_MAX + 64);
    k = sprintf(s, "Bearer realm=\"https://a.example/");
    size_t fill = REG_AUTH_VALUE_MAX - strlen("https://a.example/");
    memset(s + k, 'b', fill); strcpy(s + k + fill, "\"");
    reg_bearer b;
    assert_int_equal(reg_auth_parse_bearer(WHAT, s, strlen(s), &b), 0);
    assert_int_equal(strlen(b.realm), REG_AUTH_VALUE_MAX);
    reg_bearer_free(&b);
    free(s);
    /* the whole header over REG_AUTH_HEADER_MAX: refused before parsing */
    n = REG_AUTH_HEADER_MAX + 1;
    s = malloc(n + 1);
    memset(s, ' ', n); s[n] = 0;
    memcpy(s, "Bearer realm=\"https://a.example/t\"", 34);
    parse_bad(s, "header longer than 8192 bytes");
    free(s);
}

static void garbage(void **st) {
    (void)st;
    parse_bad("Bearer realm=\"https://a.example/t", "byte 13: unterminated quoted string");
    parse_bad("Bearer realm=\"https://a.example/t\\", "unterminated quoted string");
    parse_bad("Bearer realm=\"https://a.example/\x01t\"", "control character");
    parse_bad("Bearer realm=\"https://a.example/t\" service=\"x\"", "byte 35: expected ','");
    parse_bad("Bearer realm=", "without a realm");                 /* "realm=" alone is token68 */
    parse_bad("Bearer service=\"x\", realm=", "byte 26: expected a parameter value");
    parse_bad("Bearer realm=,service=x", "without a realm");     /* "realm=" is token68 here */
    parse_bad("Bearer realm=\"https://a.example/t\",=x", "expected an authentication scheme or parameter name");
    parse_bad("\"Bearer\"", "byte 0: expected an authentication scheme");
    parse_bad("=", "byte 0");
    parse_bad("Bearer\"realm\"", "expected a space or ','");
    parse_bad("realm=\"https://a.example/t\"", "expected a space or ','");
    parse_ok("Bearer realm=\"https://a.example/t\", Basic", "https://a.example/t", NULL, NULL);   /* a bare scheme is a challenge */
    parse_ok("Bearer , realm=\"https://a.example/t\"", "https://a.example/t", NULL, NULL);   /* #auth-param may start empty */
    parse_bad("Bearer  x y", "expected a parameter (name=value)");
    parse_bad("Bearer \xff", "expected an authentication scheme or parameter name");
    /* bytes after an embedded NUL are part of the header (length-bounded parsing) */
    parse_bad_n("Bearer realm=\"https://a.example/t\0\"", 35, "control character");
    parse_bad_n("Bearer realm=\"https://a.example/t\"\0", 35, "byte 34: expected ','");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_registries),
        cmocka_unit_test(rfc7235_syntax),
        cmocka_unit_test(several_challenges),
        cmocka_unit_test(missing_or_bad_realm),
        cmocka_unit_test(limits),
        cmocka_unit_test(garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
