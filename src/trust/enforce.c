/* brig_trust_enforce: the policy gate `brig run` and `brig pull` call before
 * using an image. */
#include "trust/policy.h"
#include "trust/identity.h"
#include "trust/policy_model.h"
#include "util/err.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int brig_trust_enforce(brig_image *img, const char *policy_path) {
    if (!policy_path) policy_path = getenv("BRIG_POLICY");
    if (policy_path && !*policy_path) policy_path = NULL;
    if (!policy_path) {
        if (access("/etc/containers/policy.json", F_OK) == 0) policy_path = "/etc/containers/policy.json";
        else {
            fprintf(stderr, "brig: notice: no trust policy ($BRIG_POLICY or /etc/containers/policy.json); "
                    "%s is not checked for signatures\n", img->ref);
            return 0;
        }
    }
    trust_policy p;
    int rc = trust_policy_load(policy_path, &p);
    if (rc) return rc;
    trust_image_subject sub;
    trust_image_subject_init(img, &sub);
    strbuf why = STRBUF_INIT;
    rc = trust_policy_evaluate(&p, &sub.s, &why);
    brig_debug("trust policy %s for %s:\n%s", policy_path, img->ref, why.buf ? why.buf : "");
    sb_free(&why);
    trust_image_subject_free(&sub);
    trust_policy_free(&p);
    return rc;
}
