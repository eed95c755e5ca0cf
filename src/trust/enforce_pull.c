/* Policy gate for `brig pull`: the image was stored in an OCI layout, but the
 * policy is evaluated for where it came from — the docker transport and the
 * scopes of the SOURCE reference (as `podman pull` does), with signatures read
 * from the layout the pull wrote. */
#include "trust/enforce_pull.h"
#include "trust/policy_model.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int brig_trust_enforce_docker(brig_image *img, const trust_dref *src, const char *policy_path) {
    if (!policy_path) policy_path = getenv("BRIG_POLICY");
    if (policy_path && !*policy_path) policy_path = NULL;
    if (!policy_path) {
        if (access("/etc/containers/policy.json", F_OK) == 0) policy_path = "/etc/containers/policy.json";
        else {
            fprintf(stderr, "brig: notice: no trust policy ($BRIG_POLICY or /etc/containers/policy.json); "
                    "%s is not checked for signatures\n", src->full);
            return 0;
        }
    }
    trust_policy p;
    int rc = trust_policy_load(policy_path, &p);
    if (rc) return rc;
    char abs[PATH_MAX];
    trust_subject s = {
        .transport = "docker",
        .identity = src,
        .layout_dir = realpath(img->path, abs) ? abs : img->path,
        .digest = img->manifest_digest,
        .describe = src->full,
    };
    s.scopes = trust_docker_scopes(src, &s.n_scopes);
    strbuf why = STRBUF_INIT;
    rc = trust_policy_evaluate(&p, &s, &why);
    brig_debug("trust policy %s for docker://%s:\n%s", policy_path, src->full, why.buf ? why.buf : "");
    sb_free(&why);
    for (size_t i = 0; i < s.n_scopes; i++) free(s.scopes[i]);
    free(s.scopes);
    trust_policy_free(&p);
    return rc;
}
