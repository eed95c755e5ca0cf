/* Internal to src/misconfig: the check catalogue and the context every check
 * family (config, history, filesystem, accounts) reports through. */
#ifndef BRIG_MISCONFIG_MC_H
#define BRIG_MISCONFIG_MC_H
#include "misconfig/misconfig.h"
#include <stdbool.h>

typedef struct {
    const char *id;
    brig_severity severity;
    const char *title;
    const char *fix;
} mc_check;

/* Every check brig runs, in report order (for `--help`, docs and tests). */
extern const mc_check brig_mc_checks[];
extern const size_t brig_mc_n_checks;
const mc_check *brig_mc_find(const char *id);

typedef struct {
    brig_image *img;
    brig_findings *out;
    const brig_fsview *fs;
    char *passwd, *shadow, *group;   /* merged-view content, NULL if absent */
} mc_ctx;

/* Adds a finding for check `id` (must be in the catalogue). */
brig_finding *mc_report(mc_ctx *c, const char *id, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Case-insensitive: does an environment/ARG name look like it holds a credential? */
bool mc_suspicious_name(const char *name, size_t n);
/* Is a value a real literal (not empty, not a $VAR/${VAR} reference or path)? */
bool mc_literal_value(const char *v);

void mc_check_config(mc_ctx *c);
void mc_check_history(mc_ctx *c);
void mc_check_fs(mc_ctx *c);
void mc_check_accounts(mc_ctx *c);
#endif
