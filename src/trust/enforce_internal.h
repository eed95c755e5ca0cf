/* Shared steps of the policy gates (`brig run` via brig_trust_enforce, `brig
 * pull` via brig_trust_enforce_docker). */
#ifndef BRIG_TRUST_ENFORCE_INTERNAL_H
#define BRIG_TRUST_ENFORCE_INTERNAL_H
#include "trust/policy_model.h"

/* The policy file to apply: `given`, else $BRIG_POLICY, else
 * /etc/containers/policy.json; NULL (after a notice naming `what`) when none. */
const char *trust_policy_path(const char *given, const char *what);
/* Load the policy, evaluate it for the subject, log the reasoning with --debug. */
int trust_enforce_subject(const char *policy_path, const trust_subject *s, const char *what);
#endif
