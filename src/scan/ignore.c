/* .trivyignore-format ignore files. */
#include "scan/ignore.h"
#include "util/lines.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IGNORE_MAX_BYTES (4u << 20)
#define IGNORE_MAX_ENTRIES 100000

int brig_ignore_days_in(int y, int m);
int brig_ignore_days_in(int y, int m) {
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

int brig_ignore_parse(const char *file, const char *buf, size_t len, time_t now, brig_ignore *out) {
    memset(out, 0, sizeof *out);
    out->file = xstrdup(file);
    struct tm tm; gmtime_r(&now, &tm);
    long today = (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    size_t cap = 0;
    brig_lines it;
    brig_lines_init(&it, buf, len);
    const char *ln;
    size_t n;
    while (brig_lines_next(&it, &ln, &n)) {
        size_t lineno = it.lineno;
        const char *hash = memchr(ln, '#', n);
        if (hash) n = (size_t)(hash - ln);
        char *line = xstrndup(ln, n);
        char *save = NULL, *id = strtok_r(line, " \t\r", &save);
        if (!id) { free(line); continue; }
        if (out->n >= IGNORE_MAX_ENTRIES) { free(line); brig_ignore_free(out); return brig_fail(BRIG_EXIT_UNSAFE, "%s:%zu:1: more than %d entries", file, lineno, IGNORE_MAX_ENTRIES); }
        brig_ignore_entry e = { .id = xstrdup(id), .line = lineno };
        for (char *t; (t = strtok_r(NULL, " \t\r", &save));) {
            int y, m, d, consumed = 0;
            if (!strncmp(t, "exp:", 4) && sscanf(t + 4, "%4d-%2d-%2d%n", &y, &m, &d, &consumed) == 3 &&
                t[4 + consumed] == 0 && m >= 1 && m <= 12 && d >= 1 && y >= 1970 && d <= brig_ignore_days_in(y, m)) {
                e.exp_y = y; e.exp_m = m; e.exp_d = d;
                /* expires at the start of that day (UTC), as Trivy compares dates */
                e.expired = (long)y * 10000 + m * 100 + d <= today;
            } else {
                int rc = brig_fail(BRIG_EXIT_INPUT, "%s:%zu:%zu: unexpected '%s' after the ID; expected 'exp:YYYY-MM-DD' or a '# comment'",
                                   file, lineno, (size_t)(t - line) + 1, t);
                free(e.id); free(line); brig_ignore_free(out);
                return rc;
            }
        }
        out->v = xgrow(out->v, &cap, out->n + 1, sizeof *out->v);
        out->v[out->n++] = e;
        free(line);
    }
    return 0;
}

int brig_ignore_load(const char *path, time_t now, brig_ignore *out) {
    char *buf; size_t len;
    int rc = brig_read_file(path, IGNORE_MAX_BYTES, &buf, &len);
    if (rc) return rc;
    size_t pl = strlen(path);
    int yaml = (pl > 5 && !strcmp(path + pl - 5, ".yaml")) || (pl > 4 && !strcmp(path + pl - 4, ".yml"));
    rc = yaml ? brig_ignore_parse_yaml(path, buf, len, now, out) : brig_ignore_parse(path, buf, len, now, out);
    free(buf);
    return rc;
}

static bool path_ok(const brig_ignore_entry *e, const char *where) {
    if (!e->n_paths) return true;
    if (!where) return false;
    for (size_t i = 0; i < e->n_paths; i++)
        if (!fnmatch(e->paths[i], where, 0)) return true;
    return false;
}

bool brig_ignore_match(brig_ignore *ig, const char *id, char *const *aliases, size_t n_aliases, const char *where) {
    if (!ig) return false;
    for (size_t i = 0; i < ig->n; i++) {
        brig_ignore_entry *e = &ig->v[i];
        bool hit = id && !strcmp(e->id, id);
        for (size_t k = 0; !hit && k < n_aliases; k++) hit = aliases[k] && !strcmp(e->id, aliases[k]);
        if (!hit || !path_ok(e, where)) continue;
        if (e->expired) { e->used = true; continue; }
        e->used = true;
        return true;
    }
    return false;
}

void brig_ignore_report_expired(const brig_ignore *ig, void *stream) {
    if (!ig) return;
    for (size_t i = 0; i < ig->n; i++) {
        const brig_ignore_entry *e = &ig->v[i];
        if (e->expired)
            fprintf(stream, "brig: note: %s:%zu: ignore entry for %s expired on %04d-%02d-%02d; it is reported again\n",
                    ig->file, e->line, e->id, e->exp_y, e->exp_m, e->exp_d);
    }
}

void brig_ignore_free(brig_ignore *ig) {
    for (size_t i = 0; i < ig->n; i++) {
        free(ig->v[i].id);
        for (size_t k = 0; k < ig->v[i].n_paths; k++) free(ig->v[i].paths[k]);
        free(ig->v[i].paths);
    }
    free(ig->v); free(ig->file);
    memset(ig, 0, sizeof *ig);
}
