/* os-release(5) parsing and distro keys for vulnerability lookup. */
#include "scan/os_release.h"
#include "util/lines.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Unquote a shell-style value: "..." or '...' with backslash escapes in "". */
static char *unquote(const char *v, size_t n) {
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "");
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        char q = v[0];
        for (size_t i = 1; i + 1 < n; i++) {
            if (q == '"' && v[i] == '\\' && i + 2 < n) i++;
            sb_addc(&sb, v[i]);
        }
    } else sb_add(&sb, v, n);
    return sb_detach(&sb);
}

int brig_os_parse_release(const char *name, const char *buf, size_t len, brig_os *os) {
    brig_lines it;
    brig_lines_init(&it, buf, len);
    const char *ln;
    size_t n;
    while (brig_lines_next(&it, &ln, &n)) {
        size_t lineno = it.lineno;
        size_t s = 0;
        while (s < n && isspace((unsigned char)ln[s])) s++;
        if (s == n || ln[s] == '#') continue;
        const char *eq = memchr(ln + s, '=', n - s);
        if (!eq) return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:%zu: expected KEY=VALUE; the os-release file is malformed", name, lineno, s + 1);
        size_t kl = (size_t)(eq - ln - s);
        char **dst = NULL;
#define KEY(k) (kl == sizeof(k) - 1 && !memcmp(ln + s, k, kl))
        if (KEY("ID")) dst = &os->id;
        else if (KEY("VERSION_ID")) dst = &os->version_id;
        else if (KEY("VERSION_CODENAME")) dst = &os->codename;
        else if (KEY("PRETTY_NAME")) dst = &os->pretty;
        else if (KEY("ID_LIKE")) dst = &os->id_like;
#undef KEY
        if (!dst) continue;
        size_t vl = n - (size_t)(eq + 1 - ln);
        while (vl && isspace((unsigned char)eq[vl])) vl--;
        free(*dst);
        *dst = unquote(eq + 1, vl);
        if (dst == &os->id) for (char *c = os->id; *c; c++) *c = (char)tolower((unsigned char)*c);
    }
    return 0;
}

static char *first_line(const char *buf, size_t len) {
    size_t n = 0;
    while (n < len && n < 64 && buf[n] != '\n' && buf[n] != '\r') n++;
    return xstrndup(buf, n);
}

void brig_os_from_alpine_release(brig_os *os, const char *buf, size_t len) {
    if (!os->id) os->id = xstrdup("alpine");
    if (!os->version_id && !strcmp(os->id, "alpine")) os->version_id = first_line(buf, len);
}

void brig_os_from_debian_version(brig_os *os, const char *buf, size_t len) {
    if (!os->id) os->id = xstrdup("debian");
    /* Debian testing/sid has no VERSION_ID; debian_version says "trixie/sid". */
    if (!os->version_id && !strcmp(os->id, "debian")) {
        char *v = first_line(buf, len);
        char *dot = strchr(v, '.');
        if (dot && isdigit((unsigned char)v[0])) *dot = 0;   /* "12.4" -> "12" */
        os->version_id = v;
    }
}

void brig_os_free(brig_os *os) {
    free(os->id); free(os->version_id); free(os->codename); free(os->pretty); free(os->id_like);
    memset(os, 0, sizeof *os);
}

static int like(const brig_os *os, const char *fam) {
    if (os->id && !strcmp(os->id, fam)) return 1;
    if (!os->id_like) return 0;
    const char *p = os->id_like;
    size_t fl = strlen(fam);
    while ((p = strstr(p, fam))) {
        if ((p == os->id_like || p[-1] == ' ') && (p[fl] == 0 || p[fl] == ' ')) return 1;
        p += fl;
    }
    return 0;
}

const char *brig_os_family(const brig_os *os) {
    if (!os || !os->id) return NULL;
    if (like(os, "alpine")) return "alpine";
    if (like(os, "debian") || like(os, "ubuntu")) return "debian";
    if (like(os, "rhel") || like(os, "fedora") || like(os, "centos") || like(os, "suse") || like(os, "opensuse")) return "rpm";
    return NULL;
}

char *brig_os_distro_key(const brig_os *os) {
    if (!os || !os->id) return NULL;
    if (!strcmp(os->id, "alpine") && os->version_id) {
        /* secdb branches are major.minor: "3.10.9" -> "3.10" */
        const char *d1 = strchr(os->version_id, '.');
        const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
        size_t n = d2 ? (size_t)(d2 - os->version_id) : strlen(os->version_id);
        char *mm = xstrndup(os->version_id, n);
        char *r = xasprintf("alpine:%s", mm);
        free(mm);
        return r;
    }
    if (os->version_id) return xasprintf("%s:%s", os->id, os->version_id);
    if (os->codename) return xasprintf("%s:%s", os->id, os->codename);
    return NULL;
}

char *brig_os_purl_distro(const brig_os *os) {
    if (!os || !os->id) return NULL;
    if (!strcmp(os->id, "alpine")) return os->version_id ? xstrdup(os->version_id) : NULL;
    if (os->version_id) return xasprintf("%s-%s", os->id, os->version_id);
    return xstrdup(os->id);
}
