/* cosign "simple signing" payloads: the JSON document a signature covers. */
#ifndef BRIG_TRUST_PAYLOAD_H
#define BRIG_TRUST_PAYLOAD_H
#include <jansson.h>
#include <stddef.h>

#define TRUST_PAYLOAD_TYPE "cosign container image signature"
#define TRUST_PAYLOAD_MAX_BYTES (1024 * 1024)

/* Bytes exactly as cosign (Go encoding/json) writes them: compact, map keys
 * sorted, <>& and U+2028/9 escaped as \u00XX.  ann_keys/ann_vals may be NULL
 * (n_ann 0) which gives "optional":null. Caller frees. */
char *trust_payload_build(const char *docker_ref, const char *digest,
                          char *const *ann_keys, char *const *ann_vals, size_t n_ann, size_t *len);

typedef struct {
    char *docker_ref;      /* critical.identity.docker-reference */
    char *digest;          /* critical.image.docker-manifest-digest */
    char *type;            /* critical.type */
    json_t *optional;      /* object or NULL */
} trust_payload;

/* Parses and validates untrusted payload bytes; `name` is used in messages.
 * BRIG_EXIT_INPUT for malformed, BRIG_EXIT_INTEGRITY for a wrong type. */
int trust_payload_parse(const char *name, const char *buf, size_t len, trust_payload *out);
void trust_payload_free(trust_payload *p);
#endif
