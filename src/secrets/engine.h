/* The secret matching engine: compiles a rule set once (one vectorscan
 * database for every rule it accepts plus the keyword prefilter; PCRE2 JIT for
 * capture extraction and for rules vectorscan cannot compile) and scans
 * buffers.  An engine holds scratch space: use one engine per thread. */
#ifndef BRIG_SECRETS_ENGINE_H
#define BRIG_SECRETS_ENGINE_H
#include <stdbool.h>
#include <stddef.h>
#include "secrets/rules.h"

typedef struct brig_secret_engine brig_secret_engine;

typedef struct {
    const brig_secret_rule *rule;
    size_t match_start, match_end;    /* byte offsets of the whole match */
    size_t secret_start, secret_end;  /* byte offsets of the secret (may equal the match) */
    int line, column;                 /* 1-based position of the secret start; 0 for path rules */
    double entropy;
} brig_secret_hit;

/* Return 0 to continue, anything else stops the scan and is returned. */
typedef int (*brig_secret_hit_cb)(void *ctx, const brig_secret_hit *h, const char *buf);

/* Compiles cfg (deep-copied).  A regex that does not compile fails with
 * BRIG_EXIT_INPUT naming the rule. */
int brig_secret_engine_new(const brig_secret_config *cfg, brig_secret_engine **out);
void brig_secret_engine_free(brig_secret_engine *e);
/* The built-in rules, compiled once per process (not thread-safe to scan with
 * from several threads at once).  Never freed by callers. */
int brig_secret_engine_default(brig_secret_engine **out);

/* True when a global allowlist excludes this path (skip the file). */
bool brig_secret_engine_path_allowed(const brig_secret_engine *e, const char *path);
/* Number of rules vectorscan accepted vs total (for --debug and tests). */
void brig_secret_engine_stats(const brig_secret_engine *e, size_t *n_rules, size_t *n_vectorscan);

/* Scans buf.  `path` feeds path rules and path allowlists (NULL: none apply).
 * Hits are delivered in order of position. */
int brig_secret_scan_buffer(brig_secret_engine *e, const char *path, const char *buf, size_t len,
                            brig_secret_hit_cb cb, void *ctx);
#endif
