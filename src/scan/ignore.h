/* Ignore files in Trivy's .trivyignore format: one ID per line, optionally
 * "exp:YYYY-MM-DD" after it, '#' starts a comment.  An expired entry no longer
 * ignores anything (a note says so), so a forgotten exception resurfaces. */
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
} brig_ignore_entry;

typedef struct {
    char *file;
    brig_ignore_entry *v; size_t n;
} brig_ignore;

/* now: seconds since the epoch (UTC day compared). BRIG_EXIT_INPUT naming file:line on bad lines. */
int brig_ignore_parse(const char *file, const char *buf, size_t len, time_t now, brig_ignore *out);
int brig_ignore_load(const char *path, time_t now, brig_ignore *out);
/* True when id (or one of its aliases) is ignored by a non-expired entry. */
bool brig_ignore_match(brig_ignore *ig, const char *id, char *const *aliases, size_t n_aliases);
/* Prints "brig: note: ..." for each expired entry to f. */
void brig_ignore_report_expired(const brig_ignore *ig, void *stream);
void brig_ignore_free(brig_ignore *ig);
#endif
