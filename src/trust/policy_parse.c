/* containers-policy.json(5) parser.  Strict like containers/image: unknown
 * fields and transports are errors (a typo must not silently weaken policy);
 * requirement types brig does not implement parse fine and fail loudly only
 * when a scope that uses them is evaluated. */
#include "trust/policy_model.h"
#include "trust/b64.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_transports[] = {
    "docker", "atomic", "containers-storage", "dir", "docker-archive", "docker-daemon",
    "oci", "oci-archive", "sif", "tarball", NULL,
};

static bool in_list(const char *s, const char *const *l) {
    for (; *l; l++) if (!strcmp(s, *l)) return true;
    return false;
}

static int check_keys(const char *name, const char *where, json_t *obj, const char *const *allowed) {
    const char *k; json_t *v;
    json_object_foreach(obj, k, v) {
        (void)v;
        if (!in_list(k, allowed))
            return brig_fail(BRIG_EXIT_INPUT, "%s: %s: unknown field \"%.100s\"", name, where, k);
    }
    return 0;
}

int trust_parse_rfc3339(const char *s, time_t *out) {
    struct tm tm = {0};
    const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p) p = strptime(s, "%Y-%m-%dt%H:%M:%S", &tm);
    if (!p) return -1;
    if (*p == '.') { p++; if (*p < '0' || *p > '9') return -1; while (*p >= '0' && *p <= '9') p++; }
    long off = 0;
    if (*p == 'Z' || *p == 'z') p++;
    else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, hh, mm, used = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &used) != 2 || used != 5 || hh > 23 || mm > 59) return -1;
        off = sign * (hh * 3600L + mm * 60L);
        p += 6;
    } else return -1;
    if (*p) return -1;
    *out = timegm(&tm) - off;
    return 0;
}

static char *resolve_path(const char *base_dir, const char *p) {
    if (p[0] == '/' || !base_dir) return xstrdup(p);
    return xasprintf("%s/%s", base_dir, p);
}

static int add_strings(const char *name, const char *where, json_t *v, const char *field, bool decode_b64,
                       const char *base_dir, char ***arr, size_t *n) {
    json_t *list = v;
    json_t *single = NULL;
    if (json_is_string(v)) { single = json_array(); json_array_append(single, v); list = single; }
    if (!json_is_array(list) || json_array_size(list) == 0) {
        json_decref(single);
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s.%s must be %s", name, where, field,
                         decode_b64 ? "base64 text (or a non-empty array of it)" : "a path (or a non-empty array of paths)");
    }
    size_t i; json_t *e;
    json_array_foreach(list, i, e) {
        if (!json_is_string(e) || !json_string_value(e)[0]) {
            json_decref(single);
            return brig_fail(BRIG_EXIT_INPUT, "%s: %s.%s[%zu] must be a non-empty string", name, where, field, i);
        }
        char *val;
        if (decode_b64) {
            unsigned char *d; size_t dl;
            bool decoded = trust_b64_decode(json_string_value(e), &d, &dl) == 0;
            if (!decoded || !strstr((char *)d, "-----BEGIN")) {
                if (decoded) free(d);
                json_decref(single);
                return brig_fail(BRIG_EXIT_INPUT, "%s: %s.%s: not base64-encoded PEM public key", name, where, field);
            }
            val = (char *)d;
        } else val = resolve_path(base_dir, json_string_value(e));
        *arr = xrealloc(*arr, (*n + 2) * sizeof **arr);
        (*arr)[(*n)++] = val;
        (*arr)[*n] = NULL;
    }
    json_decref(single);
    return 0;
}

static int parse_identity(const char *name, const char *where, json_t *o, trust_identity *id) {
    id->type = TRUST_ID_MATCH_REPO_DIGEST_OR_EXACT;   /* the documented default */
    if (!o) return 0;
    if (!json_is_object(o)) return brig_fail(BRIG_EXIT_INPUT, "%s: %s.signedIdentity must be an object", name, where);
    const char *t = brig_json_str(o, "type");
    if (!t) return brig_fail(BRIG_EXIT_INPUT, "%s: %s.signedIdentity: missing \"type\"", name, where);
    static const char *const only_type[] = { "type", NULL };
    static const char *const ref_keys[] = { "type", "dockerReference", NULL };
    static const char *const repo_keys[] = { "type", "dockerRepository", NULL };
    static const char *const remap_keys[] = { "type", "prefix", "signedPrefix", NULL };
    const char *const *allowed = only_type;
    const char *field = NULL;
    if (!strcmp(t, "matchRepoDigestOrExact")) id->type = TRUST_ID_MATCH_REPO_DIGEST_OR_EXACT;
    else if (!strcmp(t, "matchExact")) id->type = TRUST_ID_MATCH_EXACT;
    else if (!strcmp(t, "matchRepository")) id->type = TRUST_ID_MATCH_REPOSITORY;
    else if (!strcmp(t, "exactReference")) { id->type = TRUST_ID_EXACT_REFERENCE; allowed = ref_keys; field = "dockerReference"; }
    else if (!strcmp(t, "exactRepository")) { id->type = TRUST_ID_EXACT_REPOSITORY; allowed = repo_keys; field = "dockerRepository"; }
    else if (!strcmp(t, "remapIdentity")) { id->type = TRUST_ID_REMAP; allowed = remap_keys; }
    else return brig_fail(BRIG_EXIT_INPUT, "%s: %s.signedIdentity: unknown type \"%.100s\"", name, where, t);
    char *w = xasprintf("%s.signedIdentity", where);
    int rc = check_keys(name, w, o, allowed);
    trust_dref r;
    if (!rc && field) {
        const char *v = brig_json_str(o, field);
        if (!v) rc = brig_fail(BRIG_EXIT_INPUT, "%s: %s: missing \"%s\"", name, w, field);
        else if (!(rc = trust_dref_parse(name, v, &r))) {
            if (id->type == TRUST_ID_EXACT_REFERENCE && trust_dref_name_only(&r))
                rc = brig_fail(BRIG_EXIT_INPUT, "%s: %s.dockerReference \"%.200s\" needs a tag or digest", name, w, v);
            else if (id->type == TRUST_ID_EXACT_REPOSITORY && !trust_dref_name_only(&r))
                rc = brig_fail(BRIG_EXIT_INPUT, "%s: %s.dockerRepository \"%.200s\" must not have a tag or digest", name, w, v);
            else id->value = xstrdup(r.full);
            trust_dref_free(&r);
        }
    }
    if (!rc && id->type == TRUST_ID_REMAP) {
        const char *p = brig_json_str(o, "prefix"), *sp = brig_json_str(o, "signedPrefix");
        if (!p || !sp || !*p || !*sp) rc = brig_fail(BRIG_EXIT_INPUT, "%s: %s: remapIdentity needs \"prefix\" and \"signedPrefix\"", name, w);
        else { id->prefix = xstrdup(p); id->signed_prefix = xstrdup(sp); }
    }
    free(w);
    return rc;
}

static int parse_req(const char *name, const char *base_dir, const char *where, json_t *o, trust_req *r) {
    r->where = xstrdup(where);
    if (!json_is_object(o)) return brig_fail(BRIG_EXIT_INPUT, "%s: %s must be an object", name, where);
    const char *t = brig_json_str(o, "type");
    if (!t) return brig_fail(BRIG_EXIT_INPUT, "%s: %s: missing \"type\"", name, where);
    static const char *const plain[] = { "type", "brig.notAfter", NULL };
    static const char *const signedby[] = { "type", "keyType", "keyPath", "keyPaths", "keyData", "signedIdentity", "brig.notAfter", NULL };
    static const char *const sigstore[] = { "type", "keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki",
        "rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas",
        "signedIdentity", "brig.notAfter", NULL };
    int rc;
    json_t *na = json_object_get(o, "brig.notAfter");
    if (na) {
        if (!json_is_string(na) || trust_parse_rfc3339(json_string_value(na), &r->not_after) != 0)
            return brig_fail(BRIG_EXIT_INPUT, "%s: %s.brig.notAfter must be an RFC 3339 time like 2026-01-31T00:00:00Z", name, where);
        r->has_not_after = true;
        r->not_after_text = xstrdup(json_string_value(na));
    }
    if (!strcmp(t, "reject") || !strcmp(t, "insecureAcceptAnything")) {
        r->type = t[0] == 'r' ? TRUST_REQ_REJECT : TRUST_REQ_ACCEPT_ANY;
        return check_keys(name, where, o, plain);
    }
    if (!strcmp(t, "signedBy")) {
        if ((rc = check_keys(name, where, o, signedby))) return rc;
        r->type = TRUST_REQ_UNSUPPORTED;
        r->unsupported = xstrdup("\"signedBy\" (GPG simple signing) is not supported by brig; use \"sigstoreSigned\" with keyPath");
        return 0;
    }
    if (strcmp(t, "sigstoreSigned") != 0)
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s: unknown requirement type \"%.100s\" "
                         "(reject, insecureAcceptAnything, signedBy, sigstoreSigned)", name, where, t);
    if ((rc = check_keys(name, where, o, sigstore))) return rc;
    r->type = TRUST_REQ_SIGSTORE;
    int sources = 0;
    static const char *const src_keys[] = { "keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki" };
    for (size_t i = 0; i < sizeof src_keys / sizeof *src_keys; i++) sources += json_object_get(o, src_keys[i]) != NULL;
    if (sources != 1)
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s: sigstoreSigned needs exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, pki", name, where);
    if ((rc = parse_identity(name, where, json_object_get(o, "signedIdentity"), &r->id))) return rc;
    if (json_object_get(o, "fulcio") || json_object_get(o, "pki")) {
        r->type = TRUST_REQ_UNSUPPORTED;
        r->unsupported = xstrdup("sigstoreSigned with \"fulcio\"/\"pki\" (keyless certificates) is not supported by brig; use public keys (keyPath/keyPaths/keyData)");
        return 0;
    }
    if (json_object_get(o, "rekorPublicKeyPath") || json_object_get(o, "rekorPublicKeyPaths") ||
        json_object_get(o, "rekorPublicKeyData") || json_object_get(o, "rekorPublicKeyDatas")) {
        r->type = TRUST_REQ_UNSUPPORTED;
        r->unsupported = xstrdup("sigstoreSigned with rekorPublicKey* (transparency-log proofs) is not supported by brig (no Rekor bundle verification)");
        return 0;
    }
    json_t *v;
    if ((v = json_object_get(o, "keyPath")) && !json_is_string(v))
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s.keyPath must be a string", name, where);
    if ((v = json_object_get(o, "keyData")) && !json_is_string(v))
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s.keyData must be a string", name, where);
    if ((v = json_object_get(o, "keyPaths")) && !json_is_array(v))
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s.keyPaths must be an array", name, where);
    if ((v = json_object_get(o, "keyDatas")) && !json_is_array(v))
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s.keyDatas must be an array", name, where);
    if ((v = json_object_get(o, "keyPath")) || (v = json_object_get(o, "keyPaths")))
        rc = add_strings(name, where, v, json_object_get(o, "keyPath") ? "keyPath" : "keyPaths", false, base_dir, &r->key_paths, &r->n_key_paths);
    else if ((v = json_object_get(o, "keyData")) || (v = json_object_get(o, "keyDatas")))
        rc = add_strings(name, where, v, json_object_get(o, "keyData") ? "keyData" : "keyDatas", true, base_dir, &r->key_datas, &r->n_key_datas);
    return rc;
}

static int parse_reqs(const char *name, const char *base_dir, const char *where, json_t *arr, trust_reqs *out, size_t *total) {
    if (!json_is_array(arr))
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s must be an array of requirements", name, where);
    if (json_array_size(arr) == 0)
        return brig_fail(BRIG_EXIT_INPUT, "%s: %s is empty; an empty requirement list is invalid (use [{\"type\":\"reject\"}])", name, where);
    *total += json_array_size(arr);
    if (*total > TRUST_POLICY_MAX_REQS)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d requirements", name, TRUST_POLICY_MAX_REQS);
    out->v = xcalloc(json_array_size(arr), sizeof *out->v);
    size_t i; json_t *e;
    json_array_foreach(arr, i, e) {
        char *w = xasprintf("%s[%zu]", where, i);
        out->n = i + 1;
        int rc = parse_req(name, base_dir, w, e, &out->v[i]);
        free(w);
        if (rc) return rc;
    }
    return 0;
}

/* Scope syntax per transport, as containers/image validates it. */
static int check_scope(const char *name, const char *transport, const char *scope) {
    if (!scope[0]) return 0;
    if (!strcmp(transport, "docker-archive"))
        return brig_fail(BRIG_EXIT_INPUT, "%s: transports.docker-archive: scope \"%.200s\": docker-archive supports only the default \"\" scope", name, scope);
    if (!strcmp(transport, "oci") || !strcmp(transport, "oci-archive") || !strcmp(transport, "dir")) {
        const char *path_end = scope + strlen(scope);
        if (scope[0] != '/' || !strcmp(scope, "/") || strstr(scope, "//") || strstr(scope, "/./") ||
            strstr(scope, "/../") || (path_end - scope >= 2 && !strcmp(path_end - 2, "/.")) ||
            (path_end - scope >= 3 && !strcmp(path_end - 3, "/..")) || path_end[-1] == '/')
            return brig_fail(BRIG_EXIT_INPUT, "%s: transports.%s: scope \"%.200s\" must be a clean absolute path other than \"/\"", name, transport, scope);
    }
    if (!strcmp(transport, "docker")) {
        if (!strncmp(scope, "*.", 2)) return 0;
        trust_dref r;
        int rc = trust_dref_parse(name, scope, &r);
        if (rc) {
            /* A bare registry host ("quay.io", "localhost:5000") is also a scope. */
            bool host = !strchr(scope, '/') && (strchr(scope, '.') || strchr(scope, ':') || !strcmp(scope, "localhost"));
            if (host) { brig_err_clear(); return 0; }
            return brig_fail_context(rc, "transports.docker: scope");
        }
        trust_dref_free(&r);
    }
    return 0;
}

int trust_policy_parse(const char *name, const char *base_dir, const char *buf, size_t len, trust_policy *out) {
    memset(out, 0, sizeof *out);
    if (len > TRUST_POLICY_MAX_BYTES)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: policy larger than %d bytes", name, TRUST_POLICY_MAX_BYTES);
    json_t *root;
    int rc = brig_json_parse(name, buf, len, &root);
    if (rc) return rc;
    out->name = xstrdup(name);
    size_t total = 0;
    static const char *const top[] = { "default", "transports", NULL };
    if (!json_is_object(root)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: policy must be a JSON object", name); goto out; }
    if ((rc = check_keys(name, "policy", root, top))) goto out;
    if (!json_object_get(root, "default")) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: policy has no \"default\" requirement list", name);
        goto out;
    }
    if ((rc = parse_reqs(name, base_dir, "default", json_object_get(root, "default"), &out->def, &total))) goto out;
    json_t *tr = json_object_get(root, "transports");
    if (tr && !json_is_object(tr)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: \"transports\" must be an object", name); goto out; }
    out->transports = xcalloc(json_object_size(tr) + 1, sizeof *out->transports);
    const char *tname; json_t *scopes;
    json_object_foreach(tr, tname, scopes) {
        if (!in_list(tname, known_transports)) {
            rc = brig_fail(BRIG_EXIT_INPUT, "%s: transports: unknown transport \"%.100s\"", name, tname);
            goto out;
        }
        if (!json_is_object(scopes)) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: transports.%s must be an object of scopes", name, tname); goto out; }
        trust_transport *t = &out->transports[out->n_transports++];
        t->name = xstrdup(tname);
        t->scopes = xcalloc(json_object_size(scopes) + 1, sizeof *t->scopes);
        const char *sname; json_t *reqs;
        json_object_foreach(scopes, sname, reqs) {
            if ((rc = check_scope(name, tname, sname))) goto out;
            trust_scope *s = &t->scopes[t->n++];
            s->scope = xstrdup(sname);
            char *w = xasprintf("transports.%s[\"%s\"]", tname, sname);
            rc = parse_reqs(name, base_dir, w, reqs, &s->reqs, &total);
            free(w);
            if (rc) goto out;
        }
    }
out:
    json_decref(root);
    if (rc) trust_policy_free(out);
    return rc;
}

int trust_policy_load(const char *path, trust_policy *out) {
    char *buf; size_t len;
    memset(out, 0, sizeof *out);
    int rc = brig_read_file(path, TRUST_POLICY_MAX_BYTES, &buf, &len);
    if (rc) return rc;
    char *copy = xstrdup(path);
    rc = trust_policy_parse(path, dirname(copy), buf, len, out);
    free(copy); free(buf);
    return rc;
}

static void free_reqs(trust_reqs *rs) {
    for (size_t i = 0; i < rs->n; i++) {
        trust_req *r = &rs->v[i];
        free(r->where); free(r->unsupported); free(r->not_after_text);
        for (size_t k = 0; k < r->n_key_paths; k++) free(r->key_paths[k]);
        for (size_t k = 0; k < r->n_key_datas; k++) free(r->key_datas[k]);
        free(r->key_paths); free(r->key_datas);
        free(r->id.value); free(r->id.prefix); free(r->id.signed_prefix);
    }
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

void trust_policy_free(trust_policy *p) {
    free_reqs(&p->def);
    for (size_t i = 0; i < p->n_transports; i++) {
        for (size_t k = 0; k < p->transports[i].n; k++) {
            free(p->transports[i].scopes[k].scope);
            free_reqs(&p->transports[i].scopes[k].reqs);
        }
        free(p->transports[i].scopes);
        free(p->transports[i].name);
    }
    free(p->transports);
    free(p->name);
    memset(p, 0, sizeof *p);
}
