/* Java archives: Maven coordinates from META-INF/maven/<g>/<a>/pom.properties,
 * descending into nested archives (Spring Boot BOOT-INF/lib, WEB-INF/lib,
 * shaded jars-in-jars) up to BRIG_JAR_MAX_DEPTH.  Zip bombs are bounded by a
 * per-archive entry count and a byte budget shared by the whole nesting. */
#include "scan/pkg_parsers.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/lazy_archive.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define JAR_MAX_ENTRIES 200000
#define JAR_MAX_NESTED_BYTES (256u << 20)   /* all nested archives together */
#define JAR_MAX_PROPS 65536

typedef struct { size_t budget; } jar_ctx;

static int ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcasecmp(s + a - b, suf);
}

static int is_archive_name(const char *s) {
    return ends_with(s, ".jar") || ends_with(s, ".war") || ends_with(s, ".ear") ||
           ends_with(s, ".jpi") || ends_with(s, ".hpi");
}

/* META-INF/maven/<group>/<artifact>/pom.properties */
static int is_pom_props(const char *p) {
    if (strncmp(p, "META-INF/maven/", 15)) return 0;
    const char *s = p + 15;
    int slashes = 0;
    for (; *s; s++) if (*s == '/') slashes++;
    return slashes == 2 && ends_with(p, "/pom.properties");
}

static char *prop(const char *buf, size_t len, const char *key) {
    size_t kl = strlen(key);
    for (size_t pos = 0; pos < len;) {
        const char *ln = buf + pos;
        const char *nl = memchr(ln, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - ln) : len - pos;
        pos += n + 1;
        while (n && isspace((unsigned char)ln[n - 1])) n--;
        size_t s = 0;
        while (s < n && isspace((unsigned char)ln[s])) s++;
        if (n - s > kl && !memcmp(ln + s, key, kl)) {
            size_t v = s + kl;
            while (v < n && (ln[v] == ' ' || ln[v] == '\t')) v++;
            if (v < n && (ln[v] == '=' || ln[v] == ':')) {
                v++;
                while (v < n && isspace((unsigned char)ln[v])) v++;
                return xstrndup(ln + v, n - v);
            }
        }
    }
    return NULL;
}

static int read_entry(struct archive *a, size_t size_hint, size_t max, char **out, size_t *len, const char *name, const char *ent) {
    size_t cap = size_hint && size_hint < max ? size_hint + 1 : 65536, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max) { free(buf); return brig_fail(BRIG_EXIT_UNSAFE, "%s!%s: entry larger than %zu bytes; refusing", name, ent, max); }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        la_ssize_t r = archive_read_data(a, buf + n, cap - n - 1);
        if (r < 0) { free(buf); return brig_fail(BRIG_EXIT_INPUT, "%s!%s: %s", name, ent, archive_error_string(a)); }
        if (r == 0) break;
        n += (size_t)r;
        if (n > max) { free(buf); return brig_fail(BRIG_EXIT_UNSAFE, "%s!%s: entry larger than %zu bytes; refusing", name, ent, max); }
    }
    buf[n] = 0;
    *out = buf; *len = n;
    return 0;
}

static int parse_archive(jar_ctx *c, const char *name, const void *buf, size_t len, int depth, size_t layer, brig_pkglist *out) {
    struct archive *a = archive_read_new();
    archive_read_support_format_zip(a);
    if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
        int rc = brig_fail(BRIG_EXIT_INPUT, "%s: not a readable zip archive: %s", name, archive_error_string(a));
        archive_read_free(a);
        return rc;
    }
    struct archive_entry *ae;
    int rc = 0, r;
    size_t entries = 0;
    while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        if (++entries > JAR_MAX_ENTRIES) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d entries; refusing", name, JAR_MAX_ENTRIES); break; }
        const char *p = archive_entry_pathname(ae);
        if (!p || archive_entry_filetype(ae) != AE_IFREG) continue;
        int64_t sz = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;
        if (is_pom_props(p)) {
            char *d; size_t dl;
            if ((rc = read_entry(a, (size_t)(sz > 0 ? sz : 0), JAR_MAX_PROPS, &d, &dl, name, p))) break;
            char *g = prop(d, dl, "groupId"), *art = prop(d, dl, "artifactId"), *v = prop(d, dl, "version");
            if (g && art && v && *g && *art && *v) {
                char *nm = xasprintf("%s:%s", g, art);
                if (out->n < BRIG_PKG_MAX_RECORDS) {
                    brig_pkg *pk = brig_pkglist_add(out, BRIG_PKG_MAVEN, nm, v, name, layer);
                    pk->group = xstrdup(g);
                }
                free(nm);
            }
            free(g); free(art); free(v); free(d);
        } else if (is_archive_name(p)) {
            if (depth >= BRIG_JAR_MAX_DEPTH) { brig_debug("%s!%s: nested deeper than %d archives; not opened", name, p, BRIG_JAR_MAX_DEPTH); continue; }
            char *d; size_t dl;
            if ((rc = read_entry(a, (size_t)(sz > 0 ? sz : 0), c->budget, &d, &dl, name, p))) break;
            c->budget -= dl;
            char *sub = xasprintf("%s!%s", name, p);
            rc = parse_archive(c, sub, d, dl, depth + 1, layer, out);
            free(sub); free(d);
            if (rc) break;
        }
    }
    if (!rc && r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: damaged zip archive after %zu entries: %s", name, entries, archive_error_string(a));
    archive_read_free(a);
    return rc;
}

int brig_pkg_parse_jar(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out) {
    jar_ctx c = { JAR_MAX_NESTED_BYTES };
    return parse_archive(&c, name, buf, len, 0, layer, out);
}
