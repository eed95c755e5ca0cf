/* libFuzzer: the WWW-Authenticate parser `brig pull` runs on a registry's 401
 * response (src/trust/registry.c).  On success the Bearer parameters must be
 * bounded, NUL-free strings and the realm an http(s) URL. */
#include "trust/registry_auth.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void check_value(const char *v) {
    if (v && strlen(v) > REG_AUTH_VALUE_MAX) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* An exact-size copy, so ASan sees any read past the given length. */
    char *h = malloc(size ? size : 1);
    if (!h) return 0;
    if (size) memcpy(h, data, size);
    reg_bearer b;
    if (reg_auth_parse_bearer("fuzz", h, size, &b) == 0) {
        if (!b.realm || (strncasecmp(b.realm, "https://", 8) != 0 && strncasecmp(b.realm, "http://", 7) != 0)) __builtin_trap();
        check_value(b.realm); check_value(b.service); check_value(b.scope);
        reg_bearer_free(&b);
    } else if (b.realm || b.service || b.scope) {
        __builtin_trap();   /* nothing is handed out on failure */
    }
    free(h);
    return 0;
}
