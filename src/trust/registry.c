/* OCI distribution client (see registry.h). */
#include "util/lazy_curl.h"
#include "trust/registry.h"
#include "trust/registry_auth.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define ACCEPT_MANIFESTS "Accept: application/vnd.oci.image.index.v1+json, " \
    "application/vnd.oci.image.manifest.v1+json, " \
    "application/vnd.docker.distribution.manifest.list.v2+json, " \
    "application/vnd.docker.distribution.manifest.v2+json"

/* One response: headers we care about plus where the body goes. */
typedef struct {
    char *www_auth, *content_type;
    bool www_auth_too_long;     /* the joined headers exceeded REG_AUTH_HEADER_MAX */
    strbuf mem; uint64_t max; bool too_big;   /* in-memory body */
    int fd; brig_sha256 *h; uint64_t written; bool write_err;   /* file body */
    long status;
} reg_resp;

static void resp_reset(reg_resp *r) {
    free(r->www_auth); free(r->content_type);
    r->www_auth = r->content_type = NULL;
    r->www_auth_too_long = false;
    sb_reset(&r->mem); r->too_big = r->write_err = false; r->written = 0; r->status = 0;
}

static size_t on_header(char *b, size_t sz, size_t n, void *ud) {
    reg_resp *r = ud;
    size_t len = sz * n;
    char *line = xstrndup(b, len);
    size_t l = strlen(line);
    while (l && (line[l - 1] == '\r' || line[l - 1] == '\n')) line[--l] = 0;
    /* A new status line (redirect/100-continue) starts a fresh header set. */
    if (strncmp(line, "HTTP/", 5) == 0) {
        free(r->www_auth); free(r->content_type);
        r->www_auth = r->content_type = NULL; r->www_auth_too_long = false;
    }
    else if (strncasecmp(line, "WWW-Authenticate:", 17) == 0) {
        /* Several WWW-Authenticate headers form one list (RFC 7235 §4.1).
         * Past the parser's limit keep a marker that makes it refuse. */
        const char *v = line + 17 + strspn(line + 17, " \t");
        char *joined = r->www_auth ? xasprintf("%s, %s", r->www_auth, v) : xstrdup(v);
        free(r->www_auth);
        if (strlen(joined) > REG_AUTH_HEADER_MAX) { joined[REG_AUTH_HEADER_MAX] = 0; r->www_auth_too_long = true; }
        r->www_auth = joined;
    }
    else if (strncasecmp(line, "Content-Type:", 13) == 0) {
        free(r->content_type);
        const char *v = line + 13 + strspn(line + 13, " ");
        r->content_type = xstrndup(v, strcspn(v, "; "));
    }
    free(line);
    return len;
}

static size_t on_body(char *b, size_t sz, size_t n, void *ud) {
    reg_resp *r = ud;
    size_t len = sz * n;
    if (r->written + len > r->max) { r->too_big = true; return 0; }
    r->written += len;
    if (r->fd >= 0) {
        if (r->h) brig_sha256_update(r->h, b, len);
        if (brig_write_all(r->fd, b, len) != 0) { r->write_err = true; return 0; }
    } else sb_add(&r->mem, b, len);
    return len;
}

int reg_open(reg_client *c, const char *domain, const char *repo, bool insecure_http) {
    memset(c, 0, sizeof *c);
    int rc = brig_curl_load();
    if (rc) return rc;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* Docker Hub's API lives on registry-1.docker.io. */
    if (strcmp(domain, "docker.io") == 0) domain = "registry-1.docker.io";
    c->base = xasprintf("%s://%s", insecure_http ? "http" : "https", domain);
    c->repo = xstrdup(repo);
    c->curl = curl_easy_init();
    if (!c->curl) return brig_fail(BRIG_EXIT_SYSTEM, "libcurl: cannot create a handle");
    return 0;
}

void reg_close(reg_client *c) {
    if (c->curl) curl_easy_cleanup(c->curl);
    free(c->base); free(c->repo); free(c->token);
    memset(c, 0, sizeof *c);
}

/* ---- WWW-Authenticate (RFC 7235 §4.1), see registry_auth.h ---- */
#define AUTH_STR2(x) #x
#define AUTH_STR(x) AUTH_STR2(x)

static bool is_tchar(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}
static bool is_t68char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("-._~+/", c));
}
static bool is_ows(unsigned char c) { return c == ' ' || c == '\t'; }

typedef struct {
    const char *what, *h;
    size_t len, i;
    strbuf schemes;           /* schemes seen, for the "no Bearer" message */
} auth_parser;

static int auth_err(auth_parser *p, size_t at, const char *why) {
    return brig_fail(BRIG_EXIT_INPUT, "%s: WWW-Authenticate, byte %zu: %s", p->what, at, why);
}

static void skip_ows(auth_parser *p) { while (p->i < p->len && is_ows((unsigned char)p->h[p->i])) p->i++; }

/* token / quoted-string (quoted-pair unescaped) into *out.  Unquoted values
 * are taken leniently (any visible character but , " \) because some
 * registries send realm=https://… without quotes. */
static int auth_value(auth_parser *p, strbuf *out) {
    size_t start = p->i;
    if (p->i < p->len && p->h[p->i] == '"') {
        p->i++;
        for (;;) {
            if (p->i >= p->len) return auth_err(p, start, "unterminated quoted string");
            unsigned char c = (unsigned char)p->h[p->i];
            if (c == '"') { p->i++; break; }
            if (c == '\\') {
                if (++p->i >= p->len) return auth_err(p, start, "unterminated quoted string");
                c = (unsigned char)p->h[p->i];
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f) return auth_err(p, p->i, "control character in a quoted string");
            if (out->len >= REG_AUTH_VALUE_MAX) return auth_err(p, start, "parameter value longer than " AUTH_STR(REG_AUTH_VALUE_MAX) " bytes");
            sb_addc(out, (char)c);
            p->i++;
        }
    } else {
        while (p->i < p->len) {
            unsigned char c = (unsigned char)p->h[p->i];
            if (c <= 0x20 || c >= 0x7f || c == ',' || c == '"' || c == '\\') break;
            if (out->len >= REG_AUTH_VALUE_MAX) return auth_err(p, start, "parameter value longer than " AUTH_STR(REG_AUTH_VALUE_MAX) " bytes");
            sb_addc(out, (char)c);
            p->i++;
        }
        if (p->i == start) return auth_err(p, start, "expected a parameter value");
    }
    if (!out->buf) sb_adds(out, "");
    return 0;
}

/* After a scheme and its space: token68 ("Basic dXNlcjpwdw==") when the run of
 * token68 characters (plus '=' padding) is all there is up to ',' or the end. */
static bool at_token68(auth_parser *p) {
    size_t k = p->i;
    while (k < p->len && is_t68char((unsigned char)p->h[k])) k++;
    if (k == p->i) return false;
    while (k < p->len && p->h[k] == '=') k++;
    while (k < p->len && is_ows((unsigned char)p->h[k])) k++;
    if (k < p->len && p->h[k] != ',') return false;
    p->i = k;
    return true;
}

static int set_param(auth_parser *p, size_t at, char **slot, const char *name, strbuf *v) {
    if (*slot) {
        char why[64];
        snprintf(why, sizeof why, "parameter '%s' appears twice in the Bearer challenge", name);
        return auth_err(p, at, why);
    }
    *slot = sb_detach(v);
    return 0;
}

static int check_realm(auth_parser *p, const char *realm) {
    size_t skip = strncasecmp(realm, "https://", 8) == 0 ? 8 : strncasecmp(realm, "http://", 7) == 0 ? 7 : 0;
    if (!skip || !realm[skip] || realm[skip] == '/')
        return brig_fail(BRIG_EXIT_INPUT, "%s: WWW-Authenticate: the Bearer realm is not an http(s) URL; brig pull cannot fetch a token", p->what);
    for (const unsigned char *c = (const unsigned char *)realm; *c; c++)
        if (*c <= 0x20 || *c >= 0x7f)
            return brig_fail(BRIG_EXIT_INPUT, "%s: WWW-Authenticate: the Bearer realm contains a space or a non-ASCII/control character", p->what);
    return 0;
}

void reg_bearer_free(reg_bearer *b) {
    free(b->realm); free(b->service); free(b->scope);
    b->realm = b->service = b->scope = NULL;
}

int reg_auth_parse_bearer(const char *what, const char *hdr, size_t len, reg_bearer *out) {
    memset(out, 0, sizeof *out);
    auth_parser p = { .what = what, .h = hdr, .len = len };
    if (len > REG_AUTH_HEADER_MAX)
        return auth_err(&p, REG_AUTH_HEADER_MAX, "header longer than " AUTH_STR(REG_AUTH_HEADER_MAX) " bytes");
    bool have_challenge = false, in_bearer = false, found = false, expect_param = false;
    size_t n_schemes = 0;
    int rc = 0;
    strbuf v = STRBUF_INIT;
    while (!rc) {
        while (p.i < p.len && (is_ows((unsigned char)p.h[p.i]) || p.h[p.i] == ',')) p.i++;
        if (p.i >= p.len) break;
        size_t tok = p.i;
        while (p.i < p.len && is_tchar((unsigned char)p.h[p.i])) p.i++;
        size_t tok_len = p.i - tok;
        if (!tok_len) { rc = auth_err(&p, p.i, "expected an authentication scheme or parameter name"); break; }
        size_t after = p.i;
        skip_ows(&p);
        if (have_challenge && p.i < p.len && p.h[p.i] == '=') {
            /* auth-param = token BWS "=" BWS ( token / quoted-string ) */
            p.i++;
            skip_ows(&p);
            sb_reset(&v);
            if ((rc = auth_value(&p, &v))) break;
            skip_ows(&p);
            if (p.i < p.len && p.h[p.i] != ',') { rc = auth_err(&p, p.i, "expected ',' after a parameter"); break; }
            expect_param = false;
            if (!in_bearer) continue;
            if (tok_len == 5 && strncasecmp(p.h + tok, "realm", 5) == 0) rc = set_param(&p, tok, &out->realm, "realm", &v);
            else if (tok_len == 7 && strncasecmp(p.h + tok, "service", 7) == 0) rc = set_param(&p, tok, &out->service, "service", &v);
            else if (tok_len == 5 && strncasecmp(p.h + tok, "scope", 5) == 0) rc = set_param(&p, tok, &out->scope, "scope", &v);
            continue;
        }
        if (expect_param) { rc = auth_err(&p, tok, "expected a parameter (name=value) after the scheme"); break; }
        /* A new challenge: auth-scheme [ 1*SP ( token68 / #auth-param ) ] */
        have_challenge = true;
        in_bearer = !found && tok_len == 6 && strncasecmp(p.h + tok, "Bearer", 6) == 0;
        found = found || in_bearer;
        if (n_schemes++ < 8) { if (p.schemes.len) sb_adds(&p.schemes, ", "); sb_add(&p.schemes, p.h + tok, tok_len); }
        if (p.i >= p.len || p.h[p.i] == ',') continue;
        if (p.i == after) { rc = auth_err(&p, p.i, "expected a space or ',' after the scheme"); break; }
        if (at_token68(&p)) continue;
        expect_param = true;
    }
    if (!rc && expect_param) rc = auth_err(&p, p.len, "expected a parameter after the scheme");
    if (!rc && !found)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: registry requires authentication (%s); brig pull only supports anonymous/Bearer-token access",
                       what, p.schemes.len ? p.schemes.buf : "no challenge given");
    if (!rc && !out->realm)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: WWW-Authenticate: Bearer challenge without a realm; brig pull cannot fetch a token", what);
    if (!rc) rc = check_realm(&p, out->realm);
    sb_free(&v);
    sb_free(&p.schemes);
    if (rc) reg_bearer_free(out);
    return rc;
}

static char *url_escape(const char *s) {
    strbuf b = STRBUF_INIT;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-_.~", ch)) sb_addc(&b, (char)ch);
        else sb_addf(&b, "%%%02X", ch);
    }
    if (!b.buf) sb_adds(&b, "");
    return sb_detach(&b);
}

static int perform(reg_client *c, const char *url, const char *accept, reg_resp *r) {
    CURL *h = c->curl;
    struct curl_slist *hdrs = NULL;
    char *auth = c->token ? xasprintf("Authorization: Bearer %s", c->token) : NULL;
    /* curl_slist_append is not in the shim: build the list by hand (static nodes). */
    struct curl_slist n1 = { accept ? (char *)accept : NULL, NULL }, n2 = { auth, NULL };
    if (accept) { hdrs = &n1; if (auth) n1.next = &n2; }
    else if (auth) hdrs = &n2;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "brig");
    CURLcode cc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    free(auth);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    if (r->too_big) return brig_fail(BRIG_EXIT_INTEGRITY, "%s: response larger than the limit (%llu bytes)", url, (unsigned long long)r->max);
    if (r->write_err) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot write the download", url);
    if (cc != CURLE_OK) return brig_fail(BRIG_EXIT_SYSTEM, "%s: %s; check the registry address (or --insecure-http)", url, curl_easy_strerror(cc));
    return 0;
}

/* Bearer challenge: GET realm?service=…&scope=… anonymously for a token. */
static int get_token(reg_client *c, const char *challenge, size_t len) {
    reg_bearer b;
    int rc = reg_auth_parse_bearer(c->base, challenge, len, &b);
    if (rc) return rc;
    char *realm = b.realm, *service = b.service, *scope = b.scope;
    if (!scope) scope = xasprintf("repository:%s:pull", c->repo);
    strbuf url = STRBUF_INIT;
    sb_adds(&url, realm);
    sb_addc(&url, strchr(realm, '?') ? '&' : '?');
    /* A challenge may list several scopes separated by spaces; token servers
     * (docker/distribution) take each as its own scope= parameter. */
    bool first = true;
    char *e;
    for (const char *s = scope; *s;) {
        size_t n = strcspn(s, " ");
        if (n) {
            char *one = xstrndup(s, n);
            e = url_escape(one); sb_addf(&url, "%sscope=%s", first ? "" : "&", e); free(e); free(one);
            first = false;
        }
        s += n + strspn(s + n, " ");
    }
    if (service) { e = url_escape(service); sb_addf(&url, "%sservice=%s", first ? "" : "&", e); free(e); first = false; }
    if (first) url.buf[--url.len] = 0;   /* neither: drop the '?'/'&' */
    free(realm); free(service); free(scope);
    reg_resp r = { .fd = -1, .max = 1024 * 1024 };
    free(c->token); c->token = NULL;
    rc = perform(c, url.buf, NULL, &r);
    if (!rc && r.status != 200) rc = brig_fail(BRIG_EXIT_INPUT, "%s: token request failed (HTTP %ld)", url.buf, r.status);
    json_t *j = NULL;
    if (!rc) rc = brig_json_parse(url.buf, r.mem.buf ? r.mem.buf : "", r.mem.len, &j);
    if (!rc) {
        const char *t = brig_json_str(j, "token");
        if (!t) t = brig_json_str(j, "access_token");
        if (!t) rc = brig_fail(BRIG_EXIT_INPUT, "%s: token response has no token", url.buf);
        else c->token = xstrdup(t);
    }
    json_decref(j);
    resp_reset(&r); sb_free(&r.mem);
    sb_free(&url);
    return rc;
}

/* GET with one retry after a Bearer challenge. */
static int get(reg_client *c, const char *url, const char *accept, reg_resp *r, void (*rewind)(reg_resp *)) {
    int rc = perform(c, url, accept, r);
    if (!rc && r->status == 401 && r->www_auth) {
        char *ch = xstrdup(r->www_auth);
        /* one byte past the limit: the parser names the limit */
        rc = get_token(c, ch, r->www_auth_too_long ? REG_AUTH_HEADER_MAX + 1 : strlen(ch));
        free(ch);
        if (rc) return rc;
        rewind(r);
        rc = perform(c, url, accept, r);
    }
    return rc;
}

static void rewind_mem(reg_resp *r) { resp_reset(r); }

int reg_get_manifest(reg_client *c, const char *ref, char **body, size_t *len, char **media_type) {
    char *url = xasprintf("%s/v2/%s/manifests/%s", c->base, c->repo, ref);
    reg_resp r = { .fd = -1, .max = REG_MANIFEST_MAX };
    int rc = get(c, url, ACCEPT_MANIFESTS, &r, rewind_mem);
    if (!rc && (r.status == 404 || r.status == 400))
        rc = brig_fail(BRIG_EXIT_INPUT, "%s/%s: manifest %s not found (HTTP %ld)", c->base, c->repo, ref, r.status);
    else if (!rc && r.status == 401)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s/%s: access denied (HTTP 401); brig pull supports anonymous access only", c->base, c->repo);
    else if (!rc && r.status != 200)
        rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: HTTP %ld", url, r.status);
    if (!rc) {
        *len = r.mem.len;
        *body = r.mem.buf ? sb_detach(&r.mem) : xstrdup("");
        *media_type = r.content_type ? xstrdup(r.content_type) : NULL;
    }
    free(url);
    resp_reset(&r); sb_free(&r.mem);
    return rc;
}

static void rewind_file(reg_resp *r) {
    resp_reset(r);
    if (ftruncate(r->fd, 0) != 0 || lseek(r->fd, 0, SEEK_SET) != 0) r->write_err = true;
    if (r->h) brig_sha256_free(r->h);
    r->h = brig_sha256_new();
}

int reg_get_blob(reg_client *c, const char *digest, int64_t expect_size, uint64_t max, const char *path) {
    const char *hex;
    if (!brig_digest_valid(digest, &hex))
        return brig_fail(BRIG_EXIT_INPUT, "blob digest '%s' is not sha256:<64 hex>", digest);
    if (expect_size >= 0 && (uint64_t)expect_size > max)
        return brig_fail(BRIG_EXIT_UNSAFE, "blob %s: size %lld exceeds the limit %llu (--max-blob-size)", digest, (long long)expect_size, (unsigned long long)max);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create", path);
    char *url = xasprintf("%s/v2/%s/blobs/%s", c->base, c->repo, digest);
    reg_resp r = { .fd = fd, .max = expect_size >= 0 ? (uint64_t)expect_size : max, .h = brig_sha256_new() };
    int rc = get(c, url, NULL, &r, rewind_file);
    if (!rc && r.status == 404) rc = brig_fail(BRIG_EXIT_INPUT, "%s/%s: blob %s not found (HTTP 404)", c->base, c->repo, digest);
    else if (!rc && r.status != 200) rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: HTTP %ld", url, r.status);
    if (rc && r.too_big) rc = brig_fail(BRIG_EXIT_INTEGRITY, "blob %s: registry sent more than the %llu bytes expected", digest, (unsigned long long)r.max);
    char got[65];
    brig_sha256_final_hex(r.h, got);
    r.h = NULL;
    if (!rc && expect_size >= 0 && r.written != (uint64_t)expect_size)
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "blob %s: size %llu differs from the manifest's %lld", digest, (unsigned long long)r.written, (long long)expect_size);
    if (!rc && strcmp(got, hex) != 0)
        rc = brig_fail(BRIG_EXIT_INTEGRITY, "blob %s: digest mismatch (content hashes to sha256:%s); the registry served tampered or corrupt data", digest, got);
    if (close(fd) != 0 && !rc) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: write failed", path);
    if (rc) unlink(path);
    free(url);
    resp_reset(&r); sb_free(&r.mem);
    return rc;
}
