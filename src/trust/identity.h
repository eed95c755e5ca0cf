/* How brig names an image for trust decisions: the Docker identity signed
 * into payloads and matched by signedIdentity, and the policy subject
 * (transport + candidate scopes) of an opened image. */
#ifndef BRIG_TRUST_IDENTITY_H
#define BRIG_TRUST_IDENTITY_H
#include "image/image.h"
#include "trust/dockerref.h"
#include "trust/policy_model.h"

/* Docker identity of an image: its tag when that is a full reference with a
 * repository path ("quay.io/org/app:1.2"), for docker-archive its RepoTag; for
 * other OCI layouts/archives "localhost/<file name>:<tag or latest>" (as Podman
 * names local images).  Returns -1 when there is none (dir: images). */
int trust_image_identity(const brig_image *img, trust_dref *out);

/* Fills a subject for img (strings owned by the returned object). */
typedef struct {
    trust_subject s;
    trust_dref id; bool has_id;
    char *abs_path;
} trust_image_subject;
int trust_image_subject_init(brig_image *img, trust_image_subject *out);
void trust_image_subject_free(trust_image_subject *s);
#endif
