/* brig pull: registry image -> OCI layout, every blob verified, trust policy
 * enforced for the source reference before the tag becomes usable. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "image/image.h"
#include "trust/dockerref.h"
#include "trust/enforce_pull.h"
#include "trust/layout.h"
#include "trust/registry.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"

static void usage(FILE *f) {
    fputs("Usage: brig pull [--policy FILE] [--insecure-http] [--platform OS/ARCH[/VARIANT]]\n"
          "                 [--max-blob-size BYTES] REGISTRY/REPO[:TAG|@sha256:HEX] oci:DIR[:TAG]\n\n"
          "Downloads an image with the OCI distribution API (anonymous or Bearer-token access)\n"
          "into the OCI image layout DIR (created or added to). For an index/manifest list the\n"
          "platform is selected (default linux/amd64). The manifest (when pulled by digest) and\n"
          "every blob are hashed while streaming; the cosign signature (tag sha256-<hex>.sig) is\n"
          "fetched too when the registry has one, so 'brig verify' works offline. Blobs are\n"
          "downloaded into a temporary directory and renamed into place; index.json is written\n"
          "last. The trust policy is then evaluated for docker://REGISTRY/REPO; if it rejects\n"
          "the image, the tag is not added.\n\n"
          "Options:\n"
          "  --policy FILE        containers-policy.json (default $BRIG_POLICY, then\n"
          "                       /etc/containers/policy.json, else allowed with a notice)\n"
          "  --insecure-http      talk plain http to the registry (default https)\n"
          "  --platform P         os/arch[/variant] to pick from an index (default linux/amd64)\n"
          "  --max-blob-size N    refuse blobs larger than N bytes (default 8 GiB)\n"
          "  -h, --help           show this help\n\n"
          "TAG in oci:DIR:TAG defaults to the source tag, else \"latest\".\n\n"
          "Exit codes: 0 pulled and allowed, 2 usage, 3 image/tag/blob not found or malformed,\n"
          "            4 digest mismatch or rejected by the trust policy,\n"
          "            6 network or system error.\n", f);
}

typedef struct {
    reg_client c;
    char *dir, *tmp;           /* layout dir, temp download dir inside it */
    char **got; size_t n_got;  /* hex digests downloaded into tmp */
    uint64_t max_blob;
} pull_ctx;

static bool have_blob(pull_ctx *p, const char *hex) {
    for (size_t i = 0; i < p->n_got; i++) if (strcmp(p->got[i], hex) == 0) return true;
    char *path = xasprintf("%s/blobs/sha256/%s", p->dir, hex);
    struct stat st;
    /* An existing blob is re-verified when the image is opened below. */
    bool r = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return r;
}

static void note_got(pull_ctx *p, const char *hex) {
    p->got = xrealloc(p->got, (p->n_got + 1) * sizeof *p->got);
    p->got[p->n_got++] = xstrdup(hex);
}

static int save_bytes(pull_ctx *p, const char *data, size_t len, char digest[72]) {
    char hex[65];
    brig_sha256_hex(data, len, hex);
    snprintf(digest, 72, "sha256:%s", hex);
    if (have_blob(p, hex)) return 0;
    char *path = xasprintf("%s/%s", p->tmp, hex);
    int rc = brig_write_file_atomic(path, data, len, 0644);
    free(path);
    if (!rc) note_got(p, hex);
    return rc;
}

static int fetch_blob(pull_ctx *p, json_t *desc, const char *what) {
    const char *d = brig_json_str(desc, "digest"), *hex;
    json_t *sz = json_object_get(desc, "size");
    if (!d || !brig_digest_valid(d, &hex) || !json_is_integer(sz) || json_integer_value(sz) < 0)
        return brig_fail(BRIG_EXIT_INPUT, "%s: descriptor without a valid sha256 digest and size", what);
    if (have_blob(p, hex)) return 0;
    char *path = xasprintf("%s/%s", p->tmp, hex);
    brig_progress(what, 0, 0);
    int rc = reg_get_blob(&p->c, d, json_integer_value(sz), p->max_blob, path);
    free(path);
    if (rc) return brig_fail_context(rc, "%s: ", what);
    note_got(p, hex);
    return 0;
}

/* Manifest + config + layers of one image manifest (already fetched as body). */
static int fetch_image_blobs(pull_ctx *p, const char *body, size_t len, const char *what, char digest[72]) {
    int rc = save_bytes(p, body, len, digest);
    if (rc) return rc;
    json_t *m;
    if ((rc = brig_json_parse(what, body, len, &m))) return rc;
    json_t *cfg = json_object_get(m, "config"), *layers = json_object_get(m, "layers"), *l;
    if (!json_is_object(cfg) || !json_is_array(layers)) {
        json_decref(m);
        return brig_fail(BRIG_EXIT_INPUT, "%s: not an image manifest (no config/layers)", what);
    }
    char *w = xasprintf("%s config", what);
    rc = fetch_blob(p, cfg, w);
    free(w);
    size_t i;
    json_array_foreach(layers, i, l) {
        if (rc) break;
        w = xasprintf("%s layer %zu", what, i);
        rc = fetch_blob(p, l, w);
        free(w);
    }
    json_decref(m);
    return rc;
}

static char *media_type_of(const char *ct, const char *body, size_t len) {
    json_t *j = NULL;
    char *r = NULL;
    if (brig_json_parse("manifest", body, len, &j) == 0) {
        const char *mt = brig_json_str(j, "mediaType");
        if (mt) r = xstrdup(mt);
        else if (json_is_array(json_object_get(j, "manifests"))) r = xstrdup(MT_OCI_INDEX);
        else r = xstrdup(MT_OCI_MANIFEST);
        json_decref(j);
    } else brig_err_clear();
    if (!r && ct) r = xstrdup(ct);
    return r ? r : xstrdup(MT_OCI_MANIFEST);
}

static json_t *pick_platform(json_t *idx, const char *platform) {
    char *os = xstrdup(platform), *arch = strchr(os, '/'), *variant = NULL;
    if (arch) { *arch++ = 0; variant = strchr(arch, '/'); if (variant) *variant++ = 0; }
    json_t *ms = json_object_get(idx, "manifests"), *d, *found = NULL;
    size_t i;
    json_array_foreach(ms, i, d) {
        json_t *pl = json_object_get(d, "platform");
        const char *o = brig_json_str(pl, "os"), *a = brig_json_str(pl, "architecture"), *v = brig_json_str(pl, "variant");
        if (!o || strcmp(o, os) != 0 || !arch || !a || strcmp(a, arch) != 0) continue;
        if (variant && (!v || strcmp(v, variant) != 0)) continue;
        found = d; break;
    }
    free(os);
    return found;
}

/* Removes tag from index.json (under the caller's lock). */
static int index_drop_tag(const char *dir, const char *tag) {
    json_t *idx;
    int rc = trust_index_load(dir, &idx);
    if (rc) return rc;
    json_t *m = json_object_get(idx, "manifests");
    for (size_t i = json_array_size(m); i-- > 0;) {
        const char *t = brig_json_str(json_object_get(json_array_get(m, i), "annotations"), "org.opencontainers.image.ref.name");
        if (t && strcmp(t, tag) == 0) json_array_remove(m, i);
    }
    char *text = json_dumps(idx, JSON_COMPACT), *path = xasprintf("%s/index.json", dir);
    rc = brig_write_file_atomic(path, text, strlen(text), 0644);
    free(text); free(path); json_decref(idx);
    return rc;
}

static int layout_init(const char *dir) {
    char *b = xasprintf("%s/blobs/sha256", dir), *ol = xasprintf("%s/oci-layout", dir), *ix = xasprintf("%s/index.json", dir);
    int rc = brig_mkdir_p(b, 0755);
    if (!rc && access(ol, F_OK) != 0) {
        const char *t = "{\"imageLayoutVersion\":\"1.0.0\"}";
        rc = brig_write_file_atomic(ol, t, strlen(t), 0644);
    }
    if (!rc && access(ix, F_OK) != 0) {
        const char *t = "{\"schemaVersion\":2,\"manifests\":[]}";
        rc = brig_write_file_atomic(ix, t, strlen(t), 0644);
    }
    free(b); free(ol); free(ix);
    return rc;
}

static int do_pull(pull_ctx *p, const trust_dref *src, const char *tag, const char *platform,
                   const char *policy) {
    char *body = NULL, *ct = NULL, *mt = NULL, *sig_tag = NULL, *sig_body = NULL, *sig_ct = NULL, *sig_mt = NULL;
    size_t len = 0, sig_len = 0;
    char digest[72] = "", sig_digest[72] = "";
    json_t *j = NULL, *idx = NULL;
    int lockfd = -1;
    const char *ref = src->digest ? src->digest : src->tag ? src->tag : "latest";
    int rc = reg_get_manifest(&p->c, ref, &body, &len, &ct);
    if (!rc && src->digest) {
        char hex[65];
        brig_sha256_hex(body, len, hex);
        if (strcmp(src->digest + 7, hex) != 0)
            rc = brig_fail(BRIG_EXIT_INTEGRITY, "manifest %s: registry sent content hashing to sha256:%s", src->digest, hex);
    }
    if (!rc) {
        mt = media_type_of(ct, body, len);
        if (strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0) {
            if ((rc = brig_json_parse("image index", body, len, &j))) goto out;
            json_t *d = pick_platform(j, platform);
            const char *cd = brig_json_str(d, "digest"), *h;
            if (!d || !cd || !brig_digest_valid(cd, &h)) {
                rc = brig_fail(BRIG_EXIT_INPUT, "%s: no manifest for platform %s in the image index", src->full, platform);
                goto out;
            }
            char *want = xstrdup(cd);
            free(body); free(ct); free(mt); body = ct = mt = NULL;
            rc = reg_get_manifest(&p->c, want, &body, &len, &ct);
            if (!rc) {
                char hex[65];
                brig_sha256_hex(body, len, hex);
                if (strcmp(want + 7, hex) != 0)
                    rc = brig_fail(BRIG_EXIT_INTEGRITY, "manifest %s (%s): registry sent content hashing to sha256:%s", want, platform, hex);
            }
            free(want);
            if (rc) goto out;
            mt = media_type_of(ct, body, len);
        }
        if (strcmp(mt, MT_OCI_MANIFEST) != 0 && strcmp(mt, MT_DOCKER_MANIFEST) != 0) {
            rc = brig_fail(BRIG_EXIT_INPUT, "%s: unsupported manifest type %s", src->full, mt);
            goto out;
        }
        rc = fetch_image_blobs(p, body, len, "image", digest);
    }
    if (rc) goto out;
    /* cosign signature, if any: a 404 just means unsigned. */
    sig_tag = trust_sig_tag(digest);
    if (reg_get_manifest(&p->c, sig_tag, &sig_body, &sig_len, &sig_ct) == 0) {
        sig_mt = media_type_of(sig_ct, sig_body, sig_len);
        if ((rc = fetch_image_blobs(p, sig_body, sig_len, "signature", sig_digest))) goto out;
    } else {
        brig_debug("no signature %s: %s", sig_tag, brig_errmsg());
        brig_err_clear();
    }
    brig_progress_done();
    /* Blobs are content-addressed: moving them in makes nothing reachable yet. */
    for (size_t i = 0; i < p->n_got && !rc; i++) {
        char *from = xasprintf("%s/%s", p->tmp, p->got[i]), *to = xasprintf("%s/blobs/sha256/%s", p->dir, p->got[i]);
        if (rename(from, to) != 0) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot move into place", to);
        free(from); free(to);
    }
    if (rc) goto out;
    if ((rc = trust_layout_lock(p->dir, &lockfd))) goto out;
    /* Evaluate under a private tag; the user's tag only appears once allowed. */
    char *probe = xasprintf("brig-pull-%ld", (long)getpid());
    bool sig_new = false;
    if (!(rc = trust_index_load(p->dir, &idx))) {
        sig_new = sig_mt && !trust_index_find_tag(idx, sig_tag);
        if (sig_mt) rc = trust_index_set_tag(p->dir, idx, sig_tag, sig_mt, sig_digest, sig_len);
        if (!rc) rc = trust_index_set_tag(p->dir, idx, probe, mt, digest, len);
    }
    json_decref(idx); idx = NULL;
    if (!rc) {
        char *iref = xasprintf("oci:%s:%s", p->dir, probe);
        brig_image *img = NULL;
        rc = brig_image_open(iref, NULL, &img);
        if (!rc) rc = brig_image_verify_blobs(img);
        if (!rc) rc = brig_trust_enforce_docker(img, src, policy);
        brig_image_close(img);
        free(iref);
        if (!rc && !(rc = trust_index_load(p->dir, &idx)))
            rc = trust_index_set_tag(p->dir, idx, tag, mt, digest, len);
        json_decref(idx); idx = NULL;
        char *keep = xstrdup(brig_errmsg());
        int drc = index_drop_tag(p->dir, probe);
        /* A rejected image leaves nothing new referenced, its signature included. */
        if (rc && sig_new) index_drop_tag(p->dir, sig_tag);
        if (rc) { brig_err_clear(); brig_fail(rc, "%s", keep); }
        else rc = drc;
        free(keep);
    }
    free(probe);
    trust_layout_unlock(lockfd);
    if (!rc) printf("%s\n", digest);
out:
    brig_progress_done();
    json_decref(j);
    free(body); free(ct); free(mt); free(sig_tag); free(sig_body); free(sig_ct); free(sig_mt);
    return rc;
}

int cmd_pull(int argc, char **argv) {
    static const struct option lo[] = {
        { "policy", required_argument, 0, 'p' }, { "insecure-http", no_argument, 0, 'k' },
        { "platform", required_argument, 0, 'P' }, { "max-blob-size", required_argument, 0, 'm' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *policy = NULL, *platform = "linux/amd64";
    bool insecure = false;
    uint64_t max_blob = 8ULL << 30;
    int o;
    optind = 0;
    while ((o = brig_getopt(argc, argv, "h", lo, "pull")) != -1) {
        switch (o) {
        case 'p': policy = optarg; break;
        case 'k': insecure = true; break;
        case 'P': platform = optarg; break;
        case 'm': {
            char *e; errno = 0;
            unsigned long long v = strtoull(optarg, &e, 10);
            if (errno || *e || !v) return brig_usage_error("pull", "--max-blob-size wants a positive byte count, not '%s'", optarg);
            max_blob = v; break;
        }
        case 'h': usage(stdout); return 0;
        default: return BRIG_EXIT_USAGE;
        }
    }
    if (argc - optind != 2) return brig_usage_error("pull", "expected a source REGISTRY/REPO[:TAG] and a destination oci:DIR[:TAG]");
    if (!strchr(platform, '/')) return brig_usage_error("pull", "--platform wants OS/ARCH, not '%s'", platform);
    const char *srcs = argv[optind], *dst = argv[optind + 1];
    if (strncmp(srcs, "docker://", 9) == 0) srcs += 9;
    if (strncmp(dst, "oci:", 4) != 0 || !dst[4]) return brig_usage_error("pull", "destination must be oci:DIR[:TAG], not '%s'", dst);
    trust_dref src;
    int rc = trust_dref_parse("source image", srcs, &src);
    if (rc) { brig_print_error(rc); return rc; }
    char *dir = xstrdup(dst + 4), *colon = strrchr(dir, ':');
    const char *tag = NULL;
    if (colon && !strchr(colon, '/')) { *colon = 0; tag = colon + 1; }
    if (!tag || !*tag) tag = src.tag ? src.tag : "latest";
    char *tagc = xstrdup(tag);
    pull_ctx p = { .dir = dir, .max_blob = max_blob };
    rc = layout_init(dir);
    if (!rc) {
        p.tmp = xasprintf("%s/.brig-pull-XXXXXX", dir);
        if (!mkdtemp(p.tmp)) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create a temporary directory", p.tmp); free(p.tmp); p.tmp = NULL; }
        else if (!(rc = reg_open(&p.c, src.domain, src.path, insecure))) rc = do_pull(&p, &src, tagc, platform, policy);
        if (p.tmp) brig_rm_rf(p.tmp);
    }
    reg_close(&p.c);
    for (size_t i = 0; i < p.n_got; i++) free(p.got[i]);
    free(p.got); free(p.tmp); free(dir); free(tagc);
    trust_dref_free(&src);
    if (rc) brig_print_error(rc);
    return rc;
}
