/* In-memory form of a containers-policy.json(5) document, its parser, and the
 * evaluator used by brig_trust_enforce and `brig policy check`. */
#ifndef BRIG_TRUST_POLICY_MODEL_H
#define BRIG_TRUST_POLICY_MODEL_H
#include "trust/dockerref.h"
#include "util/strbuf.h"
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define TRUST_POLICY_MAX_BYTES (4 * 1024 * 1024)
#define TRUST_POLICY_MAX_REQS 1000

typedef enum {
    TRUST_REQ_REJECT = 1,
    TRUST_REQ_ACCEPT_ANY,      /* insecureAcceptAnything */
    TRUST_REQ_SIGSTORE,        /* sigstoreSigned with public keys */
    TRUST_REQ_UNSUPPORTED,     /* valid in the format, not implemented by brig (signedBy, fulcio, ...) */
} trust_req_type;

typedef enum {
    TRUST_ID_MATCH_REPO_DIGEST_OR_EXACT = 1,
    TRUST_ID_MATCH_EXACT,
    TRUST_ID_MATCH_REPOSITORY,
    TRUST_ID_EXACT_REFERENCE,
    TRUST_ID_EXACT_REPOSITORY,
    TRUST_ID_REMAP,
} trust_id_type;

typedef struct {
    trust_id_type type;
    char *value;               /* dockerReference / dockerRepository */
    char *prefix, *signed_prefix;
} trust_identity;

typedef struct {
    trust_req_type type;
    char *where;               /* JSON path for messages: transports.oci["/x"][0] */
    char *unsupported;         /* why, for TRUST_REQ_UNSUPPORTED */
    char **key_paths; size_t n_key_paths;
    char **key_datas; size_t n_key_datas;   /* decoded PEM text */
    trust_identity id;
    bool has_not_after;
    time_t not_after;
    char *not_after_text;
} trust_req;

typedef struct { trust_req *v; size_t n; } trust_reqs;
typedef struct { char *scope; trust_reqs reqs; } trust_scope;
typedef struct { char *name; trust_scope *scopes; size_t n; } trust_transport;

typedef struct {
    char *name;                /* file name for messages */
    trust_reqs def;
    trust_transport *transports; size_t n_transports;
} trust_policy;

/* base_dir resolves relative keyPath entries (NULL = current directory). */
int trust_policy_parse(const char *name, const char *base_dir, const char *buf, size_t len, trust_policy *out);
int trust_policy_load(const char *path, trust_policy *out);
void trust_policy_free(trust_policy *p);

/* RFC 3339 timestamp -> time_t; -1 if malformed. */
int trust_parse_rfc3339(const char *s, time_t *out);

/* What is being evaluated. */
typedef struct {
    const char *transport;     /* "oci", "oci-archive", "docker-archive", "dir", "docker" */
    char **scopes; size_t n_scopes;   /* candidate scopes, most specific first (excluding "") */
    const trust_dref *identity;       /* docker identity of the image, NULL if none */
    const char *layout_dir;    /* OCI layout holding signatures, NULL if the form cannot carry them */
    const char *digest;        /* image manifest digest, NULL if none */
    const char *describe;      /* the image as the user named it */
} trust_subject;

/* The requirements that apply (most specific scope wins) and a description of
 * which scope matched. Borrowed from p. */
const trust_reqs *trust_policy_select(const trust_policy *p, const trust_subject *s, strbuf *why);

/* Evaluates: 0 accepted; BRIG_EXIT_INTEGRITY rejected; BRIG_EXIT_NOTIMPL for
 * unsupported requirement types; BRIG_EXIT_INPUT for unusable keys.  `why`
 * receives one line per decision step; the error message says why it failed. */
int trust_policy_evaluate(const trust_policy *p, const trust_subject *s, strbuf *why);

/* Does the signature's docker-reference satisfy the requirement's signedIdentity
 * for this image identity? On false, *reason says why (static or in errbuf). */
bool trust_identity_matches(const trust_identity *id, const trust_dref *image, const char *sig_ref, const char **reason);

/* Scope candidates for a path-based transport (oci, oci-archive, dir):
 * "PATH:TAG" (if tag), "PATH", then parent directories (not "/").
 * And for docker references: full ref, repository, its namespaces, host, *.wildcards. */
char **trust_path_scopes(const char *abs_path, const char *tag, size_t *n);
char **trust_docker_scopes(const trust_dref *r, size_t *n);
#endif
