/* Policy gate for `brig pull`: the image was stored in an OCI layout, but the
 * policy is evaluated for where it came from — the docker transport and the
 * scopes of the SOURCE reference (as `podman pull` does), with signatures read
 * from the layout the pull wrote. */
#include "trust/enforce_pull.h"
#include "trust/enforce_internal.h"
#include "trust/policy_model.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int brig_trust_enforce_docker(brig_image *img, const trust_dref *src, const char *policy_path) {
    if (!(policy_path = trust_policy_path(policy_path, src->full))) return 0;
    char abs[PATH_MAX];
    trust_subject s = {
        .transport = "docker",
        .identity = src,
        .layout_dir = realpath(img->path, abs) ? abs : img->path,
        .digest = img->manifest_digest,
        .describe = src->full,
    };
    s.scopes = trust_docker_scopes(src, &s.n_scopes);
    char *what = xasprintf("docker://%s", src->full);
    int rc = trust_enforce_subject(policy_path, &s, what);
    free(what);
    for (size_t i = 0; i < s.n_scopes; i++) free(s.scopes[i]);
    free(s.scopes);
    return rc;
}
