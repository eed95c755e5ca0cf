/* brig sign: cosign-compatible signature of an image in an OCI layout. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "image/image.h"
#include "trust/identity.h"
#include "trust/keys.h"
#include "trust/layout.h"
#include "trust/sigs.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fputs("Usage: brig sign --key PRIVATE.key [--annotation KEY=VALUE]... [--identity REF] oci:DIR[:TAG]\n\n"
          "Signs the image's manifest digest the way 'cosign sign --key' does: a simple-signing\n"
          "payload (critical.identity.docker-reference, critical.image.docker-manifest-digest,\n"
          "optional annotations), an ECDSA-SHA256 signature (DER, base64) in the layer annotation\n"
          "dev.cosignproject.cosign/signature, stored in the same layout under the tag\n"
          "sha256-<digest>.sig. Signing again adds a signature to that manifest. Every blob of the\n"
          "image is verified first: brig never signs an image it could not verify.\n\n"
          "Options:\n"
          "  --key FILE              private key (from 'brig key generate'; passphrase from\n"
          "                          $BRIG_PASSWORD / $COSIGN_PASSWORD or the terminal)\n"
          "  -a, --annotation K=V    extra claim in the payload's \"optional\" map (repeatable;\n"
          "                          --annotations is accepted too, as in cosign)\n"
          "  --identity REF          docker-reference to sign (default: the image's repository,\n"
          "                          see docs/trust.md: tag if it is a full reference, else\n"
          "                          localhost/<layout directory name>)\n"
          "  -h, --help              show this help\n\n"
          "Exit codes: 0 signed, 2 usage, 3 unreadable image/key or wrong passphrase,\n"
          "            4 the image fails its own digest checks, 6 system error,\n"
          "            7 image form that cannot hold signatures (only oci:DIR layouts can).\n", f);
}

/* A layout whose only image is untagged is opened by `oci:DIR` alone; adding the
 * "sha256-….sig" tag would make that ambiguous and leave the image unselectable
 * (it has no tag to name).  Refuse instead of breaking the layout. */
static int check_still_selectable(const char *dir) {
    json_t *index;
    int rc = trust_index_load(dir, &index);
    if (rc) return rc;
    json_t *m = json_object_get(index, "manifests");
    if (json_array_size(m) == 1 &&
        !brig_json_str(json_object_get(json_array_get(m, 0), "annotations"), "org.opencontainers.image.ref.name"))
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: the image has no tag (org.opencontainers.image.ref.name); after signing, the "
                       "layout would hold a second (signature) manifest and the untagged image could no longer be selected; "
                       "tag it first, e.g. skopeo copy oci:%s oci:NEWDIR:latest", dir, dir);
    json_decref(index);
    return rc;
}

int cmd_sign(int argc, char **argv) {
    static const struct option lo[] = {
        { "key", required_argument, 0, 'k' }, { "annotation", required_argument, 0, 'a' }, { "annotations", required_argument, 0, 'a' },
        { "identity", required_argument, 0, 'i' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *key = NULL, *identity = NULL;
    char **ak = NULL, **av = NULL;
    size_t na = 0;
    int c, rc = 0;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "ha:", lo, "sign")) != -1) {
        if (c == 'k') key = optarg;
        else if (c == 'i') identity = optarg;
        else if (c == 'a') {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) { rc = brig_usage_error("sign", "--annotation needs KEY=VALUE, got '%s'", optarg); goto out; }
            ak = xrealloc(ak, (na + 1) * sizeof *ak); av = xrealloc(av, (na + 1) * sizeof *av);
            ak[na] = xstrndup(optarg, (size_t)(eq - optarg)); av[na] = xstrdup(eq + 1); na++;
        } else if (c == 'h') { usage(stdout); goto out; }
        else { rc = BRIG_EXIT_USAGE; goto out; }
    }
    if (!key) { rc = brig_usage_error("sign", "--key PRIVATE.key is required"); goto out; }
    if (optind != argc - 1) { rc = brig_usage_error("sign", "expected exactly one IMAGE (oci:DIR[:TAG])"); goto out; }
    brig_image *img = NULL;
    EVP_PKEY *pk = NULL;
    trust_dref id = {0};
    char *sigd = NULL;
    const char *ref = NULL;
    if ((rc = brig_image_open(argv[optind], NULL, &img))) goto done;
    if (img->kind != BRIG_IMG_OCI_LAYOUT || !img->manifest_digest) {
        rc = brig_fail(BRIG_EXIT_NOTIMPL, "%s: signatures are written only into OCI layout directories (oci:DIR); %s",
                       img->ref, img->kind == BRIG_IMG_OCI_ARCHIVE ? "unpack the archive (tar -x), sign the directory and pack it again"
                                                                  : "copy it first: skopeo copy IMAGE oci:DIR:TAG");
        goto done;
    }
    if ((rc = check_still_selectable(img->path))) goto done;
    if ((rc = brig_image_verify_blobs(img))) { brig_fail_context(rc, "refusing to sign %s", img->ref); goto done; }
    if (identity) {
        if ((rc = trust_dref_parse("--identity", identity, &id))) goto done;
        ref = id.full;
    } else if (trust_image_identity(img, &id) == 0) ref = id.name;
    else { rc = brig_fail(BRIG_EXIT_INPUT, "%s: no Docker identity can be derived; pass --identity REF", img->ref); goto done; }
    if ((rc = trust_privkey_load(key, &pk))) goto done;
    trust_sign_opts o = { .docker_ref = ref, .ann_keys = ak, .ann_vals = av, .n_ann = na };
    if ((rc = trust_sign_layout(img->path, img->manifest_digest, pk, &o, &sigd))) goto done;
    char *tag = trust_sig_tag(img->manifest_digest);
    printf("Signed %s (identity %s)\nSignature stored in %s as %s (manifest %s)\n", img->manifest_digest, ref, img->path, tag, sigd);
    free(tag);
done:
    if (rc) brig_print_error(rc);
    free(sigd);
    trust_dref_free(&id);
    EVP_PKEY_free(pk);
    brig_image_close(img);
out:
    for (size_t i = 0; i < na; i++) { free(ak[i]); free(av[i]); }
    free(ak); free(av);
    return rc;
}
