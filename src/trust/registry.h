/* Small OCI distribution (registry API v2) client for `brig pull`: manifests and
 * blobs over libcurl (loaded with dlopen), anonymous or with the Bearer-token
 * challenge flow.  Every blob is hashed while it streams to disk. */
#ifndef BRIG_TRUST_REGISTRY_H
#define BRIG_TRUST_REGISTRY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REG_MANIFEST_MAX (4 * 1024 * 1024)

typedef struct {
    char *base;      /* "https://host[:port]" */
    char *repo;      /* "brig/busybox" */
    char *token;     /* Bearer token once obtained, else NULL */
    void *curl;      /* CURL * */
} reg_client;

/* Returns 0 or BRIG_EXIT_SYSTEM (libcurl missing). */
int reg_open(reg_client *c, const char *domain, const char *repo, bool insecure_http);
void reg_close(reg_client *c);

/* GET /v2/<repo>/manifests/<ref>.  BRIG_EXIT_INPUT when not found (404) or too
 * big, BRIG_EXIT_SYSTEM for network errors.  *media_type from Content-Type or the
 * body's mediaType (caller frees). */
int reg_get_manifest(reg_client *c, const char *ref, char **body, size_t *len, char **media_type);

/* GET /v2/<repo>/blobs/<digest> into path (created, 0644), hashing as it streams;
 * a mismatch or size over max/expect is BRIG_EXIT_INTEGRITY naming the blob and
 * the file is removed. expect_size < 0: unknown. */
int reg_get_blob(reg_client *c, const char *digest, int64_t expect_size, uint64_t max, const char *path);
#endif
