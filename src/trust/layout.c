#include "trust/layout.h"
#include "trust/safe_io.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define REF_NAME "org.opencontainers.image.ref.name"

char *trust_sig_tag(const char *digest) {
    const char *colon = strchr(digest, ':');
    return xasprintf("%.*s-%s.sig", (int)(colon ? colon - digest : 0), digest, colon ? colon + 1 : digest);
}

int trust_blob_read(const char *dir, const char *digest, int64_t expect_size, size_t max,
                    const char *what, char **out, size_t *len) {
    const char *hex;
    if (!brig_digest_valid(digest, &hex))
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s has an invalid digest '%.80s'", dir, what, digest);
    char *path = xasprintf("%s/blobs/sha256/%s", dir, hex), *rel = xasprintf("blobs/sha256/%s", hex);
    char *buf; size_t n;
    int rc = trust_layout_read(dir, rel, max, &buf, &n);
    free(rel);
    if (rc) { brig_fail_context(rc, "%s %s", what, digest); free(path); return rc; }
    char got[65];
    brig_sha256_hex(buf, n, got);
    if (strcmp(got, hex) != 0)
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "%s: %s blob %s was modified: its content hashes to sha256:%s",
                       path, what, digest, got);
    else if (expect_size >= 0 && (uint64_t)expect_size != n)
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "%s: %s blob %s is %zu bytes but its descriptor says %lld",
                       path, what, digest, n, (long long)expect_size);
    free(path);
    if (rc) { free(buf); return rc; }
    *out = buf; *len = n;
    return 0;
}

int trust_blob_write(const char *dir, const void *data, size_t len, char digest_out[72]) {
    char hex[65];
    brig_sha256_hex(data, len, hex);
    snprintf(digest_out, 72, "sha256:%s", hex);
    char *bdir = xasprintf("%s/blobs/sha256", dir);
    int rc = brig_mkdir_p(bdir, 0755);
    char *path = xasprintf("%s/%s", bdir, hex);
    char have[65];
    struct stat st;
    /* Content addressing: an existing blob with the right hash is the same blob. */
    if (!rc && !(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && brig_sha256_file(path, have) == 0 && !strcmp(have, hex)))
        rc = brig_write_file_atomic(path, data, len, 0644);
    free(bdir); free(path);
    return rc;
}

int trust_index_load(const char *dir, json_t **index) {
    char *path = xasprintf("%s/index.json", dir), *buf;
    size_t len;
    int rc = trust_layout_read(dir, "index.json", TRUST_INDEX_MAX_BYTES, &buf, &len);
    if (!rc) { rc = brig_json_parse(path, buf, len, index); free(buf); }
    if (!rc && !json_is_array(json_object_get(*index, "manifests"))) {
        json_decref(*index); *index = NULL;
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: not an OCI image index (no \"manifests\" array)", path);
    }
    free(path);
    return rc;
}

json_t *trust_index_find_tag(json_t *index, const char *tag) {
    json_t *m = json_object_get(index, "manifests"), *d;
    size_t i;
    json_array_foreach(m, i, d) {
        const char *t = brig_json_str(json_object_get(d, "annotations"), REF_NAME);
        if (t && strcmp(t, tag) == 0) return d;
    }
    return NULL;
}

int trust_index_set_tag(const char *dir, json_t *index, const char *tag, const char *media_type,
                        const char *digest, size_t size) {
    json_t *m = json_object_get(index, "manifests");
    /* Drop every entry with this tag (a hostile layout may carry duplicates). */
    for (size_t i = json_array_size(m); i-- > 0;) {
        const char *t = brig_json_str(json_object_get(json_array_get(m, i), "annotations"), REF_NAME);
        if (t && strcmp(t, tag) == 0) json_array_remove(m, i);
    }
    json_t *desc = json_pack("{s:s, s:s, s:I, s:{s:s}}", "mediaType", media_type, "digest", digest,
                             "size", (json_int_t)size, "annotations", REF_NAME, tag);
    json_array_append_new(m, desc);
    char *text = json_dumps(index, JSON_COMPACT);
    char *path = xasprintf("%s/index.json", dir);
    int rc = brig_write_file_atomic(path, text, strlen(text), 0644);
    free(text); free(path);
    return rc;
}

int trust_layout_lock(const char *dir, int *fd) {
    int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open the image layout directory", dir);
    while (flock(d, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        int rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot lock the image layout", dir);
        close(d);
        return rc;
    }
    *fd = d;
    return 0;
}

void trust_layout_unlock(int fd) {
    if (fd >= 0) { flock(fd, LOCK_UN); close(fd); }
}
