/* Account database checks on the merged /etc/passwd, /etc/group and
 * /etc/shadow: empty passwords, duplicate ids, shadow readable by others. */
#include "misconfig/mc.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Field `idx` (0-based) of a ':'-separated line into out; false if missing. */
static bool field(const char *line, size_t len, int idx, char *out, size_t outsz) {
    const char *p = line, *end = line + len;
    for (int i = 0; i < idx; i++) {
        const char *c = memchr(p, ':', (size_t)(end - p));
        if (!c) return false;
        p = c + 1;
    }
    const char *c = memchr(p, ':', (size_t)(end - p));
    size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
    if (n >= outsz) n = outsz - 1;
    memcpy(out, p, n);
    out[n] = 0;
    return true;
}

typedef void (*line_fn)(mc_ctx *c, const char *file, int lineno, const char *line, size_t len, void *state);

static void each_line(mc_ctx *c, const char *file, const char *text, line_fn fn, void *state) {
    int lineno = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (len && p[0] != '#') fn(c, file, lineno, p, len, state);
        p = nl ? nl + 1 : NULL;
    }
}

static void shadow_line(mc_ctx *c, const char *file, int lineno, const char *line, size_t len, void *state) {
    (void)state;
    char user[256], pw[512];
    if (!field(line, len, 0, user, sizeof user) || !field(line, len, 1, pw, sizeof pw)) return;
    if (pw[0] == 0) mc_report(c, "DKL-LI-0001", file, lineno, "account '%s' has an empty password: anyone can log in as it", user);
}

typedef struct { unsigned long ids[4096]; char names[4096][64]; size_t n; const char *what; } id_seen;

static void id_line(mc_ctx *c, const char *file, int lineno, const char *line, size_t len, void *state) {
    id_seen *s = state;
    char name[64], id[32];
    if (!field(line, len, 0, name, sizeof name) || !field(line, len, 2, id, sizeof id)) return;
    char *end;
    unsigned long v = strtoul(id, &end, 10);
    if (*end || !id[0]) return;
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i] == v) {
            mc_report(c, "DKL-LI-0002", file, lineno, "%s %lu is used by both '%s' and '%s'", s->what, v, s->names[i], name);
            return;
        }
    if (s->n < 4096) { s->ids[s->n] = v; snprintf(s->names[s->n], sizeof s->names[0], "%s", name); s->n++; }
}

void mc_check_accounts(mc_ctx *c) {
    if (c->shadow) each_line(c, "etc/shadow", c->shadow, shadow_line, NULL);
    id_seen *s = xcalloc(1, sizeof *s);
    s->what = "UID";
    if (c->passwd) each_line(c, "etc/passwd", c->passwd, id_line, s);
    memset(s, 0, sizeof *s);
    s->what = "GID";
    if (c->group) each_line(c, "etc/group", c->group, id_line, s);
    free(s);
    static const char *const shadows[] = { "etc/shadow", "etc/gshadow" };
    for (size_t i = 0; c->fs && i < 2; i++) {
        const brig_fsnode *n = brig_fsview_lookup(c->fs, shadows[i]);
        if (n && n->type == BRIG_FT_REG && (n->mode & S_IROTH))
            mc_report(c, "BRIG-IMG-004", shadows[i], 0, "/%s has mode %04o: every user in the container can read password hashes",
                      shadows[i], n->mode & 07777);
    }
}
