/* SARIF 2.1.0 document builder shared by every findings producer (audit,
 * secrets, misconfiguration, vulnerabilities): rules are de-duplicated by id
 * and results reference them by index, as GitHub code scanning expects. */
#ifndef BRIG_REPORT_SARIF_H
#define BRIG_REPORT_SARIF_H
#include "report/findings.h"
#include <jansson.h>

typedef struct brig_sarif brig_sarif;
brig_sarif *brig_sarif_new(const char *command);
/* Returns the rule's index (adding it on first use).  score < 0 derives the
 * "security-severity" property from the severity; else uses score (CVSS). */
size_t brig_sarif_rule(brig_sarif *s, const char *id, const char *title, const char *description,
                       const char *fix, const char *help_uri, brig_severity sev, double score);
/* Adds a result; `props` (may be NULL) is owned by the result afterwards. */
void brig_sarif_result(brig_sarif *s, size_t rule, brig_severity sev, const char *message,
                       const char *uri, int line, int column, json_t *props);
/* Returns the finished document (caller owns) and frees the builder. */
json_t *brig_sarif_finish(brig_sarif *s);
#endif
