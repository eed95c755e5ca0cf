/* libFuzzer: containers-policy.json parser, plus scope selection on what parsed. */
#include "trust/policy_model.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    trust_policy p;
    if (trust_policy_parse("fuzz", "/keys", (const char *)data, size, &p) == 0) {
        size_t n;
        char **sc = trust_path_scopes("/srv/images/app", "v1", &n);
        trust_subject s = { .transport = "oci", .scopes = sc, .n_scopes = n, .describe = "fuzz" };
        strbuf why = STRBUF_INIT;
        trust_policy_select(&p, &s, &why);
        sb_free(&why);
        for (size_t i = 0; i < n; i++) free(sc[i]);
        free(sc);
        trust_policy_free(&p);
    }
    return 0;
}
