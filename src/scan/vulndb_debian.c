/* Debian security tracker JSON (https://security-tracker.debian.org/tracker/data/json):
 *   { source-package: { CVE-ID: { description, scope, debianbug,
 *       releases: { codename: { status, fixed_version, urgency, repositories } } } } }
 * status "resolved" + fixed_version: versions below it are affected
 * (fixed_version "0" = never affected); "open"/"undetermined": affected, no
 * fix yet.  urgency "unimportant" is kept at severity INFO (negligible) so
 * users can filter it, like other scanners do. */
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static int urgency_sev(const char *u) {
    if (!u) return BRIG_SEV_UNKNOWN;
    size_t n = strcspn(u, "*");   /* "low**" = not yet confirmed */
    if (n == 3 && !strncmp(u, "low", 3)) return BRIG_SEV_LOW;
    if (n == 6 && !strncmp(u, "medium", 6)) return BRIG_SEV_MEDIUM;
    if (n == 4 && !strncmp(u, "high", 4)) return BRIG_SEV_HIGH;
    if (n == 11 && !strncmp(u, "unimportant", 11)) return BRIG_SEV_INFO;
    return BRIG_SEV_UNKNOWN;
}

int brig_debian_import(brig_importer *im, const char *name, const json_t *doc) {
    const char *src;
    json_t *cves;
    int rc = 0;
    json_object_foreach((json_t *)doc, src, cves) {
        if (!json_is_object(cves) || strlen(src) > 256) {
            rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: Debian tracker: package '%.64s' must map to an object of CVEs", name, src));
            if (rc) return rc;
            continue;
        }
        const char *id;
        json_t *c;
        json_object_foreach(cves, id, c) {
            json_t *rels = json_object_get(c, "releases");
            if (!json_is_object(c) || !json_is_object(rels) || strlen(id) > 256) {
                rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: Debian tracker: %s/%.64s needs a 'releases' object", name, src, id));
                if (rc) return rc;
                continue;
            }
            const char *desc = brig_json_str(c, "description");
            char *url = xasprintf("https://security-tracker.debian.org/tracker/%s", id);
            rc = brig_imp_vuln(im, id, desc, BRIG_SEV_UNKNOWN, 0, url, NULL);
            free(url);
            if (rc) return rc;
            const char *rel;
            json_t *r;
            json_object_foreach(rels, rel, r) {
                const char *status = brig_json_str(r, "status");
                const char *fixed = brig_json_str(r, "fixed_version");
                if (!status) continue;
                brig_aff_row row = { .vuln_id = id, .eco = BRIG_ECO_DEBIAN, .distro = rel, .pkg = src,
                                     .introduced = "0", .severity = urgency_sev(brig_json_str(r, "urgency")) };
                if (!strcmp(status, "resolved")) {
                    if (!fixed || !strcmp(fixed, "0") || strlen(fixed) > 256) continue;   /* not affected */
                    row.fixed = fixed;
                } else if (strcmp(status, "open") != 0 && strcmp(status, "undetermined") != 0) {
                    continue;
                }
                if ((rc = brig_imp_affected(im, &row))) return rc;
            }
            im->records++;
        }
    }
    return 0;
}

/* ---- Streaming: the tracker document is one large object (tens of MB); it is
 * split into its top-level members and each package is parsed on its own, so
 * memory stays bounded by the largest package and errors name a line. ---- */

static size_t skip_ws(const char *b, size_t n, size_t i) {
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
    return i;
}

/* End (one past) of the JSON string starting at b[i] == '"', or 0 if unterminated. */
static size_t skip_string(const char *b, size_t n, size_t i) {
    for (i++; i < n; i++) {
        if (b[i] == '\\') { i++; continue; }
        if (b[i] == '"') return i + 1;
    }
    return 0;
}

/* End of the JSON value starting at b[i] (object, array, string or scalar), 0 on error. */
static size_t skip_value(const char *b, size_t n, size_t i) {
    if (i >= n) return 0;
    if (b[i] == '"') return skip_string(b, n, i);
    if (b[i] != '{' && b[i] != '[') {
        while (i < n && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') i++;
        return i;
    }
    size_t depth = 0;
    for (; i < n; i++) {
        char c = b[i];
        if (c == '"') { size_t e = skip_string(b, n, i); if (!e) return 0; i = e - 1; }
        else if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') { if (--depth == 0) return i + 1; }
    }
    return 0;
}

static size_t line_of(const char *b, size_t off, size_t *cache_off, size_t *cache_line) {
    for (size_t i = *cache_off; i < off; i++) if (b[i] == '\n') (*cache_line)++;
    *cache_off = off;
    return *cache_line;
}

bool brig_debian_looks_like(const char *b, size_t n) {
    size_t i = skip_ws(b, n, 0);
    if (i >= n || b[i] != '{') return false;
    i = skip_ws(b, n, i + 1);
    if (i >= n || b[i] != '"') return false;
    size_t e = skip_string(b, n, i);
    if (!e) return false;
    i = skip_ws(b, n, e);
    if (i >= n || b[i] != ':') return false;
    i = skip_ws(b, n, i + 1);
    size_t ve = skip_value(b, n, i);
    if (!ve || ve - i > BRIG_VULNDB_MAX_RECORD) return false;
    json_t *v = json_loadb(b + i, ve - i, 0, NULL);
    bool yes = false;
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) { yes = json_is_object(c) && json_is_object(json_object_get(c, "releases")); break; }
    }
    json_decref(v);
    return yes;
}

int brig_debian_import_text(brig_importer *im, const char *name, const char *b, size_t n) {
    size_t cache_off = 0, cache_line = 1;
    size_t i = skip_ws(b, n, 0);
    if (i >= n || b[i] != '{')
        return brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s:1:1: Debian tracker document must be a JSON object", name));
    i = skip_ws(b, n, i + 1);
    im->kinds |= 4;
    while (i < n && b[i] != '}') {
        size_t line = line_of(b, i, &cache_off, &cache_line);
        size_t ke = b[i] == '"' ? skip_string(b, n, i) : 0;
        size_t c = ke ? skip_ws(b, n, ke) : 0;
        size_t vs = c && c < n && b[c] == ':' ? skip_ws(b, n, c + 1) : 0;
        size_t ve = vs ? skip_value(b, n, vs) : 0;
        if (!ve)   /* the rest of the document cannot be delimited: stop here */
            return brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s:%zu: malformed Debian tracker member (unterminated string or object)", name, line));
        if (ve - vs > BRIG_VULNDB_MAX_RECORD) {
            int rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_UNSAFE, "%s:%zu: package entry of %zu bytes is over the 4 MiB limit", name, line, ve - vs));
            if (rc) return rc;
        } else {
            json_error_t je;
            json_t *key = json_loadb(b + i, ke - i, JSON_DECODE_ANY, &je);
            json_t *val = json_loadb(b + vs, ve - vs, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
            int rc = 0;
            if (!json_is_string(key) || !val) {
                rc = brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s:%zu:%d: invalid JSON in package entry: %s", name,
                                                line + (size_t)(je.line > 0 ? je.line - 1 : 0), je.column, val ? "bad key" : je.text));
            } else {
                json_t *one = json_object();
                json_object_set(one, json_string_value(key), val);
                rc = brig_debian_import(im, name, one);
                json_decref(one);
            }
            json_decref(key);
            json_decref(val);
            if (rc) return rc;
        }
        im->bytes += ve - i;
        i = skip_ws(b, n, ve);
        if (i < n && b[i] == ',') i = skip_ws(b, n, i + 1);
        else if (i < n && b[i] != '}')
            return brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s:%zu: expected ',' or '}' after a package entry",
                                              name, line_of(b, i, &cache_off, &cache_line)));
    }
    if (i >= n) return brig_imp_bad(im, brig_fail(BRIG_EXIT_INPUT, "%s: Debian tracker document ends without '}'", name));
    return 0;
}
