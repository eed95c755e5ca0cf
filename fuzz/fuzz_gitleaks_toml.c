/* libFuzzer: the TOML reader and the gitleaks config mapping on arbitrary
 * input; a config that parses must also compile or fail cleanly. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "secrets/engine.h"
#include "secrets/scanctx.h"
#include "secrets/toml.h"

static int ignore_hit(void *ctx, const brig_secret_hit *h, const char *buf) { (void)ctx; (void)h; (void)buf; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > BRIG_TOML_MAX_BYTES + 16) return 0;
    brig_toml *t = NULL;
    if (brig_toml_parse("fuzz.toml", (const char *)data, size, &t) == 0) brig_toml_free(t);
    brig_secret_config cfg;
    bool use_default;
    if (brig_gitleaks_config_parse("fuzz.toml", (const char *)data, size, &cfg, &use_default) == 0) {
        brig_secret_engine *e = NULL;
        if (cfg.n_rules && cfg.n_rules < 16 && brig_secret_engine_new(&cfg, &e) == 0) {
            static const char sample[] = "token = ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\nkey: abc123def456ghi789\n";
            brig_secret_scan_buffer(e, "a/b.txt", sample, sizeof sample - 1, ignore_hit, NULL);
            brig_secret_engine_free(e);
        }
        brig_secret_config_free(&cfg);
    }
    return 0;
}
