/* libFuzzer: cosign simple-signing payload parser, base64 decoder and Docker
 * reference parser (all fed attacker-controlled signature layout content). */
#include "trust/b64.h"
#include "trust/dockerref.h"
#include "trust/payload.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    trust_payload p;
    if (trust_payload_parse("fuzz", (const char *)data, size, &p) == 0) {
        trust_dref r;
        if (trust_dref_parse("fuzz", p.docker_ref, &r) == 0) trust_dref_free(&r);
        trust_payload_free(&p);
    }
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    unsigned char *d; size_t n;
    if (trust_b64_decode(s, &d, &n) == 0) free(d);
    trust_dref r;
    if (trust_dref_parse("fuzz", s, &r) == 0) trust_dref_free(&r);
    free(s);
    return 0;
}
