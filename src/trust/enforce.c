/* brig_trust_enforce: the policy gate `brig run` and `brig pull` call before
 * using an image. */
#include "trust/policy.h"
#include "trust/enforce_internal.h"
#include "trust/identity.h"
#include "trust/policy_model.h"
#include "util/err.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *trust_policy_path(const char *given, const char *what) {
    const char *p = given ? given : getenv("BRIG_POLICY");
    if (p && *p) return p;
    if (access("/etc/containers/policy.json", F_OK) == 0) return "/etc/containers/policy.json";
    fprintf(stderr, "brig: notice: no trust policy ($BRIG_POLICY or /etc/containers/policy.json); "
            "%s is not checked for signatures\n", what);
    return NULL;
}

int trust_enforce_subject(const char *policy_path, const trust_subject *s, const char *what) {
    trust_policy p;
    int rc = trust_policy_load(policy_path, &p);
    if (rc) return rc;
    strbuf why = STRBUF_INIT;
    rc = trust_policy_evaluate(&p, s, &why);
    brig_debug("trust policy %s for %s:\n%s", policy_path, what, why.buf ? why.buf : "");
    sb_free(&why);
    trust_policy_free(&p);
    return rc;
}

int brig_trust_enforce(brig_image *img, const char *policy_path) {
    if (!(policy_path = trust_policy_path(policy_path, img->ref))) return 0;
    trust_image_subject sub;
    trust_image_subject_init(img, &sub);
    int rc = trust_enforce_subject(policy_path, &sub.s, img->ref);
    trust_image_subject_free(&sub);
    return rc;
}
