/* Ignore files in Trivy's formats: .trivyignore (one ID per line, optionally
 * "exp:YYYY-MM-DD" after it, '#' starts a comment) and .trivyignore.yaml
 * (vulnerabilities/secrets/misconfigurations: lists of {id, paths, expired_at,
 * statement}; paths are fnmatch(3) patterns that limit where the ID is ignored).
 * An expired entry no longer ignores anything (a note says so), so a forgotten
 * exception resurfaces. */
#ifndef BRIG_SCAN_IGNORE_H
#define BRIG_SCAN_IGNORE_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct {
    char *id;
    int exp_y, exp_m, exp_d;  /* 0 = no expiry */
    bool expired;             /* relative to the time given to brig_ignore_parse */
    size_t line;
    bool used;
    char **paths; size_t n_paths;   /* YAML form: only these locations (fnmatch patterns) */
} brig_ignore_entry;

typedef struct {
    char *file;
    brig_ignore_entry *v; size_t n;
} brig_ignore;

/* now: seconds since the epoch (UTC day compared). BRIG_EXIT_INPUT naming file:line on bad lines. */
int brig_ignore_parse(const char *file, const char *buf, size_t len, time_t now, brig_ignore *out);
/* YAML form (.trivyignore.yaml). */
int brig_ignore_parse_yaml(const char *file, const char *buf, size_t len, time_t now, brig_ignore *out);
/* Picks the format from the name: *.yaml / *.yml are YAML. */
int brig_ignore_load(const char *path, time_t now, brig_ignore *out);
/* True when id (or one of its aliases) is ignored by a non-expired entry whose
 * paths (if any) match `where` (may be NULL: then path-limited entries never match). */
bool brig_ignore_match(brig_ignore *ig, const char *id, char *const *aliases, size_t n_aliases, const char *where);
/* Prints "brig: note: ..." for each expired entry to f. */
void brig_ignore_report_expired(const brig_ignore *ig, void *stream);
void brig_ignore_free(brig_ignore *ig);
#endif
