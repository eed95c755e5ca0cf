#include "trust/payload.h"
#include "util/err.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* Go's encoding/json string escaping (HTML-safe by default), so that our
 * payload bytes are identical to cosign's for the same input. */
static void go_json_string(strbuf *sb, const char *s) {
    static const char hex[] = "0123456789abcdef";
    sb_addc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        if (c == '"') sb_adds(sb, "\\\"");
        else if (c == '\\') sb_adds(sb, "\\\\");
        else if (c == '\n') sb_adds(sb, "\\n");
        else if (c == '\r') sb_adds(sb, "\\r");
        else if (c == '\t') sb_adds(sb, "\\t");
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            sb_adds(sb, "\\u00"); sb_addc(sb, hex[c >> 4]); sb_addc(sb, hex[c & 15]);
        } else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            sb_adds(sb, p[2] == 0xa8 ? "\\u2028" : "\\u2029"); p += 2;
        } else sb_addc(sb, (char)c);
    }
    sb_addc(sb, '"');
}

static int cmp_idx(const void *a, const void *b, void *keys) {
    char *const *k = keys;
    return strcmp(k[*(const size_t *)a], k[*(const size_t *)b]);
}

char *trust_payload_build(const char *docker_ref, const char *digest,
                          char *const *ann_keys, char *const *ann_vals, size_t n_ann, size_t *len) {
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "{\"critical\":{\"identity\":{\"docker-reference\":");
    go_json_string(&sb, docker_ref);
    sb_adds(&sb, "},\"image\":{\"docker-manifest-digest\":");
    go_json_string(&sb, digest);
    sb_adds(&sb, "},\"type\":");
    go_json_string(&sb, TRUST_PAYLOAD_TYPE);
    sb_adds(&sb, "},\"optional\":");
    if (!n_ann) sb_adds(&sb, "null");
    else {
        /* Go marshals map keys sorted; the last value of a repeated key wins. */
        size_t *idx = xcalloc(n_ann, sizeof *idx);
        for (size_t i = 0; i < n_ann; i++) idx[i] = i;
        qsort_r(idx, n_ann, sizeof *idx, cmp_idx, (void *)ann_keys);
        sb_addc(&sb, '{');
        bool first = true;
        for (size_t i = 0; i < n_ann; i++) {
            if (i + 1 < n_ann && strcmp(ann_keys[idx[i]], ann_keys[idx[i + 1]]) == 0) continue;
            if (!first) sb_addc(&sb, ',');
            first = false;
            go_json_string(&sb, ann_keys[idx[i]]);
            sb_addc(&sb, ':');
            go_json_string(&sb, ann_vals[idx[i]]);
        }
        sb_addc(&sb, '}');
        free(idx);
    }
    sb_addc(&sb, '}');
    *len = sb.len;
    return sb_detach(&sb);
}

static int req_str(const char *name, json_t *obj, const char *key, const char *where, char **out) {
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return brig_fail(BRIG_EXIT_INPUT, "%s: signature payload: %s.%s missing or not a string", name, where, key);
    *out = xstrdup(json_string_value(v));
    return 0;
}

int trust_payload_parse(const char *name, const char *buf, size_t len, trust_payload *out) {
    memset(out, 0, sizeof *out);
    if (len > TRUST_PAYLOAD_MAX_BYTES)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: signature payload of %zu bytes exceeds the %d-byte limit", name, len, TRUST_PAYLOAD_MAX_BYTES);
    json_t *root;
    int rc = brig_json_parse(name, buf, len, &root);
    if (rc) return rc;
    json_t *crit = json_object_get(root, "critical");
    json_t *ident = json_object_get(crit, "identity"), *image = json_object_get(crit, "image");
    json_t *opt = json_object_get(root, "optional");
    if (!json_is_object(root) || !json_is_object(crit) || !json_is_object(ident) || !json_is_object(image)) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: signature payload lacks critical.identity / critical.image objects", name);
        goto out;
    }
    if (opt && !json_is_object(opt) && !json_is_null(opt)) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: signature payload: optional must be an object or null", name);
        goto out;
    }
    if ((rc = req_str(name, crit, "type", "critical", &out->type)) ||
        (rc = req_str(name, ident, "docker-reference", "critical.identity", &out->docker_ref)) ||
        (rc = req_str(name, image, "docker-manifest-digest", "critical.image", &out->digest)))
        goto out;
    if (strcmp(out->type, TRUST_PAYLOAD_TYPE) != 0) {
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "%s: signature payload type is '%.100s', expected '%s'", name, out->type, TRUST_PAYLOAD_TYPE);
        goto out;
    }
    if (!brig_digest_valid(out->digest, NULL)) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: signature payload: docker-manifest-digest '%.100s' is not a sha256 digest", name, out->digest);
        goto out;
    }
    if (json_is_object(opt)) out->optional = json_incref(opt);
out:
    json_decref(root);
    if (rc) trust_payload_free(out);
    return rc;
}

void trust_payload_free(trust_payload *p) {
    free(p->docker_ref); free(p->digest); free(p->type);
    json_decref(p->optional);
    memset(p, 0, sizeof *p);
}
