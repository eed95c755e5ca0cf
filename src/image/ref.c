/* Image reference syntax: FORM:PATH[:TAG] or a bare PATH[:TAG].  Paths and
 * tags may both contain ':' (docker-archive:f.tar:busybox:latest), so the
 * split point is the shortest prefix that exists on disk. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct { const char *prefix; brig_image_kind kind; } forms[] = {
    { "oci:", BRIG_IMG_OCI_LAYOUT },
    { "oci-archive:", BRIG_IMG_OCI_ARCHIVE },
    { "docker-archive:", BRIG_IMG_DOCKER_ARCHIVE },
    { "dir:", BRIG_IMG_DIR },
};
/* Transports we recognise but do not implement: say so instead of "not found". */
static const char *remote[] = { "docker://", "docker-daemon:", "containers-storage:", "registry:", "oci-layout://" };

static bool exists(const char *p) { struct stat st; return lstat(p, &st) == 0; }

void brig_ref_free(brig_ref *r) {
    free(r->path); free(r->tag);
    memset(r, 0, sizeof *r);
}

int brig_ref_parse(const char *ref, brig_ref *out) {
    memset(out, 0, sizeof *out);
    if (!ref || !*ref) return brig_fail(BRIG_EXIT_USAGE, "empty image reference");
    for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++)
        if (strncmp(ref, remote[i], strlen(remote[i])) == 0)
            return brig_fail(BRIG_EXIT_NOTIMPL, "%s: pulling from '%s' is not supported by this build; "
                             "save the image first (e.g. skopeo copy docker://IMAGE oci:DIR:TAG) and pass oci:DIR:TAG", ref, remote[i]);
    const char *rest = ref;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t n = strlen(forms[i].prefix);
        if (strncmp(ref, forms[i].prefix, n) == 0) { out->kind = forms[i].kind; rest = ref + n; break; }
    }
    if (!*rest) return brig_fail(BRIG_EXIT_USAGE, "%s: missing path after the form prefix", ref);
    if (out->kind == BRIG_IMG_DIR || exists(rest)) {
        if (!exists(rest)) return brig_fail(BRIG_EXIT_INPUT, "%s: no such directory", rest);
        out->path = xstrdup(rest);
        return 0;
    }
    for (const char *c = strchr(rest, ':'); c; c = strchr(c + 1, ':')) {
        char *p = xstrndup(rest, (size_t)(c - rest));
        if (*p && exists(p)) {
            out->path = p;
            out->tag = c[1] ? xstrdup(c + 1) : NULL;
            return 0;
        }
        free(p);
    }
    return brig_fail(BRIG_EXIT_INPUT, "%s: no such file or directory (image references are "
                     "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:PATH or a path)", rest);
}
