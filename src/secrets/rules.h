/* Secret rule model (gitleaks semantics): a rule is a regex with an optional
 * secret capture group, an entropy floor, keywords that gate it, an optional
 * path regex, and allowlists.  Used for the built-in table and for rules read
 * from a gitleaks TOML config. */
#ifndef BRIG_SECRETS_RULES_H
#define BRIG_SECRETS_RULES_H
#include <stdbool.h>
#include <stddef.h>
#include "report/findings.h"

typedef enum { BRIG_AL_TARGET_SECRET = 0, BRIG_AL_TARGET_MATCH, BRIG_AL_TARGET_LINE } brig_al_target;

typedef struct {
    char *description;
    brig_al_target target;          /* what `regexes` are applied to */
    bool cond_and;                  /* condition = "AND": every listed kind must match */
    char **regexes; size_t n_regexes;
    char **paths; size_t n_paths;   /* regexes on the file path */
    char **stopwords; size_t n_stopwords;   /* case-insensitive substrings of the secret */
} brig_secret_allowlist;

typedef struct {
    char *id, *description;
    brig_severity severity;
    char *regex;                    /* NULL for a path-only rule */
    char *path;                     /* optional regex on the file path */
    int secret_group;               /* 0: first non-empty group, else whole match */
    double entropy;                 /* 0 = no floor */
    bool generic;                   /* loses to specific rules on overlapping secrets */
    char **keywords; size_t n_keywords;   /* lower-case; none = always evaluated */
    brig_secret_allowlist *allow; size_t n_allow;
} brig_secret_rule;

typedef struct {
    char *title;
    brig_secret_rule *rules; size_t n_rules;
    brig_secret_allowlist *global; size_t n_global;
    char **disabled; size_t n_disabled;   /* rule ids removed when merged ([extend] disabledRules) */
} brig_secret_config;

/* Fills cfg with the built-in rules (gitleaks default set and more). */
void brig_secret_config_default(brig_secret_config *cfg);
/* Appends src's rules/allowlists to dst (deep copies); a rule with the same id
 * as an existing one replaces it, and src's disabled ids are removed from dst
 * (gitleaks [extend] behaviour). */
void brig_secret_config_merge(brig_secret_config *dst, const brig_secret_config *src);
void brig_secret_config_free(brig_secret_config *cfg);
void brig_secret_allowlist_free(brig_secret_allowlist *a);
/* Number of built-in rules (for tests). */
size_t brig_secret_default_count(void);

/* Shannon entropy in bits per byte, as gitleaks computes it. */
double brig_shannon_entropy(const char *s, size_t n);

/* Writes the redacted form (at most the first 4 bytes + "*****") into out. */
void brig_secret_redact(const char *secret, size_t n, char *out, size_t outsz);
#endif
