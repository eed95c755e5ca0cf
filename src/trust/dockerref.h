/* Docker image references ("registry/ns/repo:tag@sha256:…") parsed and
 * normalised as containers/image and the distribution library do
 * ("busybox" -> "docker.io/library/busybox"). */
#ifndef BRIG_TRUST_DOCKERREF_H
#define BRIG_TRUST_DOCKERREF_H
#include <stdbool.h>

typedef struct {
    char *domain;   /* "docker.io", "quay.io", "localhost:5000" */
    char *path;     /* "library/busybox" */
    char *tag;      /* NULL if none */
    char *digest;   /* NULL if none */
    char *name;     /* domain "/" path */
    char *full;     /* name[:tag][@digest] */
} trust_dref;

/* 0 on success, BRIG_EXIT_INPUT with a message naming `what` otherwise. */
int trust_dref_parse(const char *what, const char *s, trust_dref *out);
void trust_dref_free(trust_dref *r);
static inline bool trust_dref_name_only(const trust_dref *r) { return !r->tag && !r->digest; }
#endif
