#include "trust/dockerref.h"
#include "util/err.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 255

/* path-component := [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* */
static bool valid_component(const char *s, size_t n) {
    if (!n || (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))) return false;
    size_t i = 0;
    while (i < n) {
        while (i < n && (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]))) i++;
        if (i == n) return true;
        size_t sep = i;
        if (s[i] == '.') i++;
        else if (s[i] == '_') { i++; if (i < n && s[i] == '_') i++; }
        else if (s[i] == '-') { while (i < n && s[i] == '-') i++; }
        else return false;
        if (i == sep || i == n || !(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]))) return false;
    }
    return true;
}

static bool valid_domain(const char *s, size_t n) {
    size_t i = 0;
    if (!n) return false;
    for (; i < n && s[i] != ':'; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-') return false;
    if (i < n) {   /* port */
        if (i + 1 == n) return false;
        for (size_t j = i + 1; j < n; j++) if (!isdigit((unsigned char)s[j])) return false;
    }
    return i > 0 && s[0] != '.' && s[0] != '-';
}

static bool valid_tag(const char *t) {
    size_t n = strlen(t);
    if (!n || n > 128 || !(isalnum((unsigned char)t[0]) || t[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)t[i]) || t[i] == '_' || t[i] == '.' || t[i] == '-')) return false;
    return true;
}

int trust_dref_parse(const char *what, const char *s, trust_dref *out) {
    memset(out, 0, sizeof *out);
    if (!s || !*s) return brig_fail(BRIG_EXIT_INPUT, "%s: empty image reference", what);
    if (strlen(s) > 4096) return brig_fail(BRIG_EXIT_INPUT, "%s: image reference too long", what);
    char *work = xstrdup(s);
    char *at = strchr(work, '@');
    if (at) {
        *at = 0;
        if (!brig_digest_valid(at + 1, NULL)) {
            free(work);
            return brig_fail(BRIG_EXIT_INPUT, "%s: '%.200s': digest must be sha256:<64 lowercase hex>", what, s);
        }
        out->digest = xstrdup(at + 1);
    }
    char *slash = strrchr(work, '/');
    char *colon = strrchr(slash ? slash : work, ':');
    if (colon) {
        *colon = 0;
        if (!valid_tag(colon + 1)) goto bad;
        out->tag = xstrdup(colon + 1);
    }
    char *first_end = strchr(work, '/');
    const char *rest = work;
    if (first_end) {
        size_t fl = (size_t)(first_end - work);
        bool is_domain = memchr(work, '.', fl) || memchr(work, ':', fl) || (fl == 9 && !strncmp(work, "localhost", 9));
        for (size_t i = 0; i < fl && !is_domain; i++) if (isupper((unsigned char)work[i])) is_domain = true;
        if (is_domain) {
            if (!valid_domain(work, fl)) goto bad;
            out->domain = xstrndup(work, fl);
            rest = first_end + 1;
        }
    }
    if (!out->domain) out->domain = xstrdup("docker.io");
    for (const char *p = rest;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!valid_component(p, n)) goto bad;
        if (!e) break;
        p = e + 1;
    }
    out->path = (!strcmp(out->domain, "docker.io") && !strchr(rest, '/')) ? xasprintf("library/%s", rest) : xstrdup(rest);
    out->name = xasprintf("%s/%s", out->domain, out->path);
    if (strlen(out->name) > NAME_MAX_LEN) {
        free(work);
        trust_dref_free(out);
        return brig_fail(BRIG_EXIT_INPUT, "%s: '%.200s': repository name longer than %d characters", what, s, NAME_MAX_LEN);
    }
    out->full = xasprintf("%s%s%s%s%s", out->name, out->tag ? ":" : "", out->tag ? out->tag : "",
                          out->digest ? "@" : "", out->digest ? out->digest : "");
    free(work);
    return 0;
bad:
    free(work);
    trust_dref_free(out);
    return brig_fail(BRIG_EXIT_INPUT, "%s: '%.200s' is not a valid image reference "
                     "([registry/]repository[:tag][@sha256:digest], lowercase repository)", what, s);
}

void trust_dref_free(trust_dref *r) {
    free(r->domain); free(r->path); free(r->tag); free(r->digest); free(r->name); free(r->full);
    memset(r, 0, sizeof *r);
}
