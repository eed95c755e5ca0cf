/* Evaluating a parsed policy: pick the most specific scope, then require every
 * requirement of that scope to be satisfied (containers/image semantics). */
#include "trust/policy_model.h"
#include "trust/keys.h"
#include "trust/sigs.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static void push(char ***v, size_t *n, char *s) {
    *v = xrealloc(*v, (*n + 2) * sizeof **v);
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

char **trust_path_scopes(const char *abs_path, const char *tag, size_t *n) {
    char **v = NULL;
    *n = 0;
    if (tag && *tag) push(&v, n, xasprintf("%s:%s", abs_path, tag));
    char *p = xstrdup(abs_path);
    size_t l = strlen(p);
    while (l > 1 && p[l - 1] == '/') p[--l] = 0;
    for (;;) {
        if (!strcmp(p, "/") || !p[0]) break;
        push(&v, n, xstrdup(p));
        char *s = strrchr(p, '/');
        if (!s || s == p) break;
        *s = 0;
    }
    free(p);
    if (!v) v = xcalloc(1, sizeof *v);
    return v;
}

char **trust_docker_scopes(const trust_dref *r, size_t *n) {
    char **v = NULL;
    *n = 0;
    if (!trust_dref_name_only(r)) push(&v, n, xstrdup(r->full));
    /* Also the tag-only form when both tag and digest are present. */
    if (r->tag && r->digest) push(&v, n, xasprintf("%s:%s", r->name, r->tag));
    char *name = xstrdup(r->name);
    for (;;) {
        push(&v, n, xstrdup(name));
        char *s = strrchr(name, '/');
        if (!s) break;
        *s = 0;
    }
    free(name);
    const char *d = r->domain;
    for (const char *dot = strchr(d, '.'); dot; dot = strchr(dot + 1, '.'))
        push(&v, n, xasprintf("*%s", dot));
    return v;
}

const trust_reqs *trust_policy_select(const trust_policy *p, const trust_subject *s, strbuf *why) {
    for (size_t t = 0; t < p->n_transports; t++) {
        const trust_transport *tr = &p->transports[t];
        if (strcmp(tr->name, s->transport) != 0) continue;
        for (size_t c = 0; c < s->n_scopes; c++)
            for (size_t k = 0; k < tr->n; k++)
                if (!strcmp(tr->scopes[k].scope, s->scopes[c])) {
                    sb_addf(why, "scope: transports.%s[\"%s\"] (most specific match)\n", tr->name, tr->scopes[k].scope);
                    return &tr->scopes[k].reqs;
                }
        for (size_t k = 0; k < tr->n; k++)
            if (!tr->scopes[k].scope[0]) {
                sb_addf(why, "scope: transports.%s[\"\"] (transport default)\n", tr->name);
                return &tr->scopes[k].reqs;
            }
    }
    sb_addf(why, "scope: default (no scope of transport \"%s\" matches)\n", s->transport);
    return &p->def;
}

/* prefix matches at a component boundary ("quay.io/a" matches "quay.io/a/b", not "quay.io/ab"). */
static bool prefix_at_boundary(const char *s, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0) return false;
    return s[n] == 0 || s[n] == '/' || s[n] == ':' || s[n] == '@' || prefix[n - 1] == '/';
}

static bool repo_digest_or_exact(const trust_dref *img, const trust_dref *sig) {
    if (img->digest) return !strcmp(sig->name, img->name);
    if (trust_dref_name_only(sig)) return false;
    return !strcmp(sig->full, img->full);
}

bool trust_identity_matches(const trust_identity *id, const trust_dref *image, const char *sig_ref, const char **reason) {
    trust_dref sig, want;
    *reason = NULL;
    if (trust_dref_parse("signature docker-reference", sig_ref, &sig) != 0) { *reason = brig_errmsg(); return false; }
    bool ok = false;
    bool needs_image = id->type == TRUST_ID_MATCH_REPO_DIGEST_OR_EXACT || id->type == TRUST_ID_MATCH_EXACT ||
                       id->type == TRUST_ID_MATCH_REPOSITORY || id->type == TRUST_ID_REMAP;
    if (needs_image && !image) {
        *reason = "the image has no Docker reference identity to match against (use exactRepository/exactReference)";
        trust_dref_free(&sig);
        return false;
    }
    switch (id->type) {
    case TRUST_ID_MATCH_REPO_DIGEST_OR_EXACT: ok = repo_digest_or_exact(image, &sig); break;
    case TRUST_ID_MATCH_EXACT:
        ok = !trust_dref_name_only(image) && !trust_dref_name_only(&sig) && !strcmp(sig.full, image->full); break;
    case TRUST_ID_MATCH_REPOSITORY: ok = !strcmp(sig.name, image->name); break;
    case TRUST_ID_EXACT_REFERENCE:
        ok = !trust_dref_name_only(&sig) && !strcmp(sig.full, id->value); break;
    case TRUST_ID_EXACT_REPOSITORY:
        ok = !strcmp(sig.name, id->value); break;
    case TRUST_ID_REMAP:
        if (prefix_at_boundary(image->full, id->prefix)) {
            char *remapped = xasprintf("%s%s", id->signed_prefix, image->full + strlen(id->prefix));
            if (trust_dref_parse("remapped identity", remapped, &want) == 0) {
                ok = repo_digest_or_exact(&want, &sig);
                trust_dref_free(&want);
            }
            free(remapped);
        } else ok = repo_digest_or_exact(image, &sig);
        break;
    }
    if (!ok && !*reason) *reason = "the signed identity does not match";
    trust_dref_free(&sig);
    return ok;
}

static const char *id_type_name(trust_id_type t) {
    switch (t) {
    case TRUST_ID_MATCH_REPO_DIGEST_OR_EXACT: return "matchRepoDigestOrExact";
    case TRUST_ID_MATCH_EXACT: return "matchExact";
    case TRUST_ID_MATCH_REPOSITORY: return "matchRepository";
    case TRUST_ID_EXACT_REFERENCE: return "exactReference";
    case TRUST_ID_EXACT_REPOSITORY: return "exactRepository";
    case TRUST_ID_REMAP: return "remapIdentity";
    }
    return "?";
}

static int load_keys(const trust_req *r, trust_pubkey **keys, size_t *n) {
    *n = 0;
    *keys = xcalloc(r->n_key_paths + r->n_key_datas + 1, sizeof **keys);
    for (size_t i = 0; i < r->n_key_paths; i++) {
        int rc = trust_pubkey_load_file(r->key_paths[i], &(*keys)[*n]);
        if (rc) return brig_fail_context(rc, "%s", r->where);
        (*n)++;
    }
    for (size_t i = 0; i < r->n_key_datas; i++) {
        char *nm = xasprintf("%s keyData[%zu]", r->where, i);
        int rc = trust_pubkey_load_pem(nm, r->key_datas[i], strlen(r->key_datas[i]), &(*keys)[*n]);
        free(nm);
        if (rc) return rc;
        (*n)++;
    }
    return 0;
}

static int eval_sigstore(const trust_policy *p, const trust_req *r, const trust_subject *s, strbuf *why) {
    if (!strcmp(s->transport, "docker") && !s->layout_dir)   /* brig pull supplies the fetched layout */
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: %s requires a signature: fetching signatures from a registry is not "
                         "supported (no network access); copy the image with skopeo to oci:DIR and check that", p->name, r->where);
    if (!s->layout_dir || !s->digest)
        return brig_fail(BRIG_EXIT_INTEGRITY, "%s: %s requires a signature, but %s is a %s image, which cannot carry "
                         "cosign signatures; use an OCI layout (oci:DIR or oci-archive:FILE)", p->name, r->where, s->describe, s->transport);
    trust_pubkey *keys; size_t nk;
    int rc = load_keys(r, &keys, &nk);
    trust_verify_result res = {0};
    if (!rc) {
        rc = trust_verify_layout(s->layout_dir, s->digest, keys, nk, &res);
        if (rc) brig_fail_context(rc, "%s: %s (sigstoreSigned)", p->name, r->where);
    }
    if (!rc) {
        const char *reason = NULL;
        char last[512] = "no match";
        size_t i = 0;
        for (; i < res.n_good; i++) {
            if (trust_identity_matches(&r->id, s->identity, res.good[i].docker_ref, &reason)) break;
            if (reason) snprintf(last, sizeof last, "%s", reason);   /* reason may point into errbuf */
        }
        if (i == res.n_good) {
            rc = brig_fail(BRIG_EXIT_INTEGRITY, "%s: %s: the signature is valid but signs identity \"%s\", which does not "
                           "satisfy signedIdentity %s for image identity \"%s\": %s", p->name, r->where,
                           res.good[0].docker_ref, id_type_name(r->id.type),
                           s->identity ? s->identity->full : "(none)", last);
        } else {
            sb_addf(why, "  %s sigstoreSigned: satisfied: signature by %s (sha256:%.16s…), identity \"%s\" (%s)\n",
                    r->where, keys[res.good[i].key_index].name, keys[res.good[i].key_index].fpr,
                    res.good[i].docker_ref, id_type_name(r->id.type));
        }
    }
    trust_verify_result_free(&res);
    for (size_t i = 0; i < nk + 1 && keys; i++) trust_pubkey_free(&keys[i]);
    free(keys);
    return rc;
}

int trust_policy_evaluate(const trust_policy *p, const trust_subject *s, strbuf *why) {
    const trust_reqs *rs = trust_policy_select(p, s, why);
    time_t now = time(NULL);
    for (size_t i = 0; i < rs->n; i++) {
        const trust_req *r = &rs->v[i];
        if (r->has_not_after && now > r->not_after)
            return brig_fail(BRIG_EXIT_INTEGRITY, "%s: %s expired at %s (brig.notAfter): its keys are no longer "
                             "trusted; rotate to a new key", p->name, r->where, r->not_after_text);
        switch (r->type) {
        case TRUST_REQ_REJECT:
            return brig_fail(BRIG_EXIT_INTEGRITY, "%s: %s rejects %s (type \"reject\")", p->name, r->where, s->describe);
        case TRUST_REQ_ACCEPT_ANY:
            sb_addf(why, "  %s insecureAcceptAnything: satisfied without any check\n", r->where);
            break;
        case TRUST_REQ_UNSUPPORTED:
            return brig_fail(BRIG_EXIT_NOTIMPL, "%s: %s: %s", p->name, r->where, r->unsupported);
        case TRUST_REQ_SIGSTORE: {
            int rc = eval_sigstore(p, r, s, why);
            if (rc) return rc;
            break;
        }
        }
    }
    return 0;
}
