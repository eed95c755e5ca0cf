/* Trust policy (containers-policy.json(5)) evaluation for images.  Used by
 * `brig policy check`, `brig run` and `brig pull`. */
#ifndef BRIG_TRUST_POLICY_H
#define BRIG_TRUST_POLICY_H
#include "image/image.h"

/* Evaluate containers-policy.json for img; policy_path NULL = $BRIG_POLICY, else
 * /etc/containers/policy.json if present, else allow with a notice.  Returns 0 if
 * allowed, BRIG_EXIT_INTEGRITY with a clear message if rejected (BRIG_EXIT_INPUT
 * for an unreadable/malformed policy, BRIG_EXIT_NOTIMPL for requirement types
 * brig does not implement, e.g. signedBy/GPG). */
int brig_trust_enforce(brig_image *img, const char *policy_path);

#endif
