/* State shared by the directory and image secret scanners: the compiled
 * engine (built-in or from a gitleaks config), the user's path allowlist, and
 * turning engine hits into redacted findings. */
#ifndef BRIG_SECRETS_SCANCTX_H
#define BRIG_SECRETS_SCANCTX_H
#include "util/lazy_pcre2.h"
#include "secrets/engine.h"
#include "secrets/secrets.h"

typedef struct {
    brig_secret_engine *engine;
    bool owns_engine;
    pcre2_code **allow_paths; size_t n_allow_paths;
    pcre2_match_data *md;
    const brig_secrets_opts *opts;
    brig_findings *out;
    size_t files_scanned, bytes_scanned, files_skipped;
    /* where the buffer being scanned comes from */
    const char *label;        /* finding "file" */
    const char *extra_json;   /* object text merged into each finding, or NULL */
    const char *where;        /* short phrase for the message ("in a file deleted by layer 3"), or NULL */
    char *buf; size_t cap;    /* reusable read buffer */
} brig_secrets_ctx;

/* Compiles the rules selected by opts (default or gitleaks config). */
int brig_secrets_ctx_init(brig_secrets_ctx *c, const brig_secrets_opts *o, brig_findings *out);
void brig_secrets_ctx_free(brig_secrets_ctx *c);
/* True when --allow-path / a global config allowlist excludes this path. */
bool brig_secrets_ctx_path_skipped(brig_secrets_ctx *c, const char *path);
/* Scans one buffer; path (may be NULL) is matched by path rules/allowlists. */
int brig_secrets_ctx_scan(brig_secrets_ctx *c, const char *path, const char *buf, size_t len);

/* Binary content: NUL in the first 8 KiB or a known binary magic number. */
bool brig_secrets_is_binary(const char *buf, size_t len);
/* Loads a gitleaks TOML config (see gitleaks_config.c). *use_default is set
 * from [extend] useDefault. */
int brig_gitleaks_config_load(const char *path, brig_secret_config *out, bool *use_default);
int brig_gitleaks_config_parse(const char *name, const char *text, size_t len, brig_secret_config *out, bool *use_default);
#endif
