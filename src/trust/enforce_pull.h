/* Trust policy evaluation of a pulled image under the docker transport. */
#ifndef BRIG_TRUST_ENFORCE_PULL_H
#define BRIG_TRUST_ENFORCE_PULL_H
#include "image/image.h"
#include "trust/dockerref.h"

/* Like brig_trust_enforce, but the subject is docker://SRC (scopes of src,
 * identity src) while signatures come from img's OCI layout. */
int brig_trust_enforce_docker(brig_image *img, const trust_dref *src, const char *policy_path);
#endif
