/* WWW-Authenticate parsing for the registry client (registry.c), exposed so
 * the unit tests and fuzz/fuzz_registry_auth.c can call it.  Not a stable API.
 *
 * The header comes from whatever server `brig pull` talks to, so it is parsed
 * as untrusted input: RFC 7235 §4.1 grammar (1#challenge; auth-param or
 * token68; quoted-string with quoted-pair), bounded sizes, and a message
 * naming the byte position of anything malformed. */
#ifndef BRIG_TRUST_REGISTRY_AUTH_H
#define BRIG_TRUST_REGISTRY_AUTH_H
#include <stddef.h>

#define REG_AUTH_HEADER_MAX 8192   /* all WWW-Authenticate values of one response, joined */
#define REG_AUTH_VALUE_MAX  2048   /* one parameter value (a realm URL, a scope list) */

/* The parameters of the first Bearer challenge (caller frees with reg_bearer_free). */
typedef struct { char *realm, *service, *scope; } reg_bearer;

/* Parse the header value hdr[0..len) (several headers joined with ", ").
 * 0: *out holds the first Bearer challenge; realm is set and is an http(s)
 * URL, service and scope may be NULL.  BRIG_EXIT_INPUT with a message
 * "WHAT: WWW-Authenticate, byte N: …" for malformed or oversized input, a
 * Bearer challenge without a usable realm, a repeated realm/service/scope,
 * or no Bearer challenge at all (the message lists the schemes offered). */
int reg_auth_parse_bearer(const char *what, const char *hdr, size_t len, reg_bearer *out);
void reg_bearer_free(reg_bearer *b);
#endif
