/* Secret detection in images and directories: gitleaks-compatible rules
 * (built-in table plus an optional gitleaks TOML config), all matched in one
 * vectorscan pass, confirmed/extracted with PCRE2, gated by Shannon entropy
 * and allowlists.  Secrets never appear unredacted in any finding. */
#ifndef BRIG_SECRETS_SECRETS_H
#define BRIG_SECRETS_SECRETS_H
#include <stdbool.h>
#include <stddef.h>
#include "image/image.h"
#include "report/findings.h"

typedef struct {
    size_t max_file_bytes;      /* default 10 MiB; larger files skipped with a debug note */
    const char *config_path;    /* gitleaks TOML, NULL none */
    bool config_replaces;       /* TOML [extend] semantics: useDefault */
    char **allow_paths; size_t n_allow_paths;   /* regexes */
    bool include_deleted;       /* default true */
} brig_secrets_opts;

void brig_secrets_opts_default(brig_secrets_opts *o);
/* Every file of every layer (incl. deleted/replaced ones), config Env, Labels
 * and history.  Returns an exit code; findings are appended to *out. */
int brig_secrets_scan_image(brig_image *img, const brig_secrets_opts *o, brig_findings *out);
/* Every regular file under dir (symlinks not followed). */
int brig_secrets_scan_dir(const char *dir, const brig_secrets_opts *o, brig_findings *out);
#endif
