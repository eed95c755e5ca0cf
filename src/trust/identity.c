#include "trust/identity.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static char *local_name(const char *path) {
    char *copy = xstrdup(path);
    char *b = basename(copy);
    char *n = xstrdup(b);
    free(copy);
    /* Strip archive extensions so busybox.oci.tar names "busybox.oci". */
    size_t l = strlen(n);
    if (l > 4 && (!strcmp(n + l - 4, ".tar") || !strcmp(n + l - 4, ".tgz"))) n[l -= 4] = 0;
    if (l > 3 && !strcmp(n + l - 3, ".gz")) { n[l -= 3] = 0; if (l > 4 && !strcmp(n + l - 4, ".tar")) n[l -= 4] = 0; }
    for (char *p = n; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-') *p = '-';
    }
    return n;
}

int trust_image_identity(const brig_image *img, trust_dref *out) {
    memset(out, 0, sizeof *out);
    if (img->kind == BRIG_IMG_DIR) return -1;
    if (img->tag && (strchr(img->tag, '/') || img->kind == BRIG_IMG_DOCKER_ARCHIVE) &&
        trust_dref_parse("image tag", img->tag, out) == 0)
        return 0;
    brig_err_clear();
    if (img->kind == BRIG_IMG_DOCKER_ARCHIVE || !img->path) return -1;
    char *n = local_name(img->path);
    bool tag_ok = img->tag && !strchr(img->tag, '/') && !strchr(img->tag, ':');
    char *ref = xasprintf("localhost/%s:%s", n, tag_ok ? img->tag : "latest");
    int rc = trust_dref_parse("image identity", ref, out);
    if (rc && tag_ok) {   /* an OCI tag may hold characters a Docker tag may not */
        free(ref);
        ref = xasprintf("localhost/%s:latest", n);
        rc = trust_dref_parse("image identity", ref, out);
    }
    free(n); free(ref);
    if (rc) { brig_err_clear(); return -1; }
    return 0;
}

int trust_image_subject_init(brig_image *img, trust_image_subject *o) {
    memset(o, 0, sizeof *o);
    o->s.describe = img->ref;
    o->s.digest = img->manifest_digest;
    o->s.transport = brig_image_kind_name(img->kind);
    if (img->kind == BRIG_IMG_DIR) o->s.transport = "dir";
    o->has_id = trust_image_identity(img, &o->id) == 0;
    o->s.identity = o->has_id ? &o->id : NULL;
    if (img->path) {
        char buf[PATH_MAX];
        o->abs_path = xstrdup(realpath(img->path, buf) ? buf : img->path);
    }
    /* Signatures are read from OCI layouts, directory or tar (read-only). */
    if (img->kind == BRIG_IMG_OCI_LAYOUT || img->kind == BRIG_IMG_OCI_ARCHIVE) o->s.layout_dir = o->abs_path;
    if (o->abs_path && img->kind != BRIG_IMG_DOCKER_ARCHIVE)
        o->s.scopes = trust_path_scopes(o->abs_path, img->kind == BRIG_IMG_DIR ? NULL : img->tag, &o->s.n_scopes);
    return 0;
}

void trust_image_subject_free(trust_image_subject *s) {
    for (size_t i = 0; i < s->s.n_scopes; i++) free(s->s.scopes[i]);
    free(s->s.scopes);
    if (s->has_id) trust_dref_free(&s->id);
    free(s->abs_path);
    memset(s, 0, sizeof *s);
}
