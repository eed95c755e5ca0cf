/* Minimal OCI image layout access for signatures: index.json tags and
 * content-addressed blobs, with digest checks on every read and atomic,
 * locked updates of index.json on write. */
#ifndef BRIG_TRUST_LAYOUT_H
#define BRIG_TRUST_LAYOUT_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define TRUST_INDEX_MAX_BYTES (4 * 1024 * 1024)
#define TRUST_MANIFEST_MAX_BYTES (4 * 1024 * 1024)

/* Reads the file `rel` ("index.json", "blobs/sha256/…") of a layout that is a
 * directory or an OCI layout tar (oci-archive; read-only). */
int trust_layout_read(const char *loc, const char *rel, size_t max, char **out, size_t *len);

/* In the functions below `dir` may be an oci-archive tar for reading. */
/* Reads blobs/sha256/<hex> of dir, checking the content hash (and the size when
 * expect_size >= 0).  Mismatch: BRIG_EXIT_INTEGRITY naming `what` and the blob. */
int trust_blob_read(const char *dir, const char *digest, int64_t expect_size, size_t max,
                    const char *what, char **out, size_t *len);
/* Stores data as a blob (no-op if present with the right content); digest_out gets "sha256:<hex>". */
int trust_blob_write(const char *dir, const void *data, size_t len, char digest_out[72]);

int trust_index_load(const char *dir, json_t **index);
/* The descriptor in index.manifests tagged `tag` (org.opencontainers.image.ref.name), borrowed. */
json_t *trust_index_find_tag(json_t *index, const char *tag);
/* Points `tag` at the given manifest (replacing an existing entry with that tag) and
 * writes index.json atomically. */
int trust_index_set_tag(const char *dir, json_t *index, const char *tag, const char *media_type,
                        const char *digest, size_t size);

/* Exclusive lock on the layout directory (flock), so concurrent signers do not
 * lose each other's index.json update.  Returns fd to pass to unlock. */
int trust_layout_lock(const char *dir, int *fd);
void trust_layout_unlock(int fd);

/* "sha256:<hex>" -> "sha256-<hex>.sig" (cosign's tag). Caller frees. */
char *trust_sig_tag(const char *digest);
#endif
