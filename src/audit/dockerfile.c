/* Dockerfile parser (see dockerfile.h); mirrors BuildKit's line handling so
 * that what we audit is what `docker build` would execute. */
#include "audit/dockerfile.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { const char *p; size_t len; int no; } pline;   /* physical line, no = 1-based */

typedef struct {
    const char *name;
    pline *lines; size_t n_lines;
    size_t i;          /* next physical line */
    dockerfile *df;
} parser;

static const char *const known[] = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", NULL,
};

static int perr(parser *P, int code, int line, int col, const char *msg, const char *arg) {
    return brig_fail(code, "%s:%d:%d: %s%s%s", P->name, line, col, msg, arg ? " " : "", arg ? arg : "");
}

static size_t skip_ws(const char *s, size_t i, size_t n) { while (i < n && (s[i] == ' ' || s[i] == '\t')) i++; return i; }
static bool blank(const pline *l) { return skip_ws(l->p, 0, l->len) == l->len; }
static bool comment(const pline *l) { size_t i = skip_ws(l->p, 0, l->len); return i < l->len && l->p[i] == '#'; }

/* If the line ends with the escape char (trailing blanks allowed, as BuildKit does), returns the
 * length without it, else -1. */
static long continued(const pline *l, char esc) {
    size_t e = l->len;
    while (e > 0 && (l->p[e - 1] == ' ' || l->p[e - 1] == '\t')) e--;
    if (e > 0 && l->p[e - 1] == esc) return (long)e - 1;
    return -1;
}

/* ---- parser directives ------------------------------------------------ */

static int directives(parser *P) {
    bool seen_escape = false, seen_syntax = false;
    for (; P->i < P->n_lines; P->i++) {
        const pline *l = &P->lines[P->i];
        size_t k = skip_ws(l->p, 0, l->len);
        if (k >= l->len || l->p[k] != '#') return 0;
        k = skip_ws(l->p, k + 1, l->len);
        size_t ks = k;
        while (k < l->len && isalnum((unsigned char)l->p[k])) k++;
        size_t ke = k;
        k = skip_ws(l->p, k, l->len);
        if (ke == ks || k >= l->len || l->p[k] != '=') return 0;   /* ordinary comment ends directives */
        k = skip_ws(l->p, k + 1, l->len);
        size_t ve = l->len;
        while (ve > k && isspace((unsigned char)l->p[ve - 1])) ve--;
        char key[16] = "";
        if (ke - ks < sizeof key) { memcpy(key, l->p + ks, ke - ks); key[ke - ks] = 0; }
        if (!strcasecmp(key, "escape")) {
            if (seen_escape) return perr(P, BRIG_EXIT_INPUT, l->no, 1, "only one 'escape' parser directive may be used", NULL);
            seen_escape = true;
            if (ve - k != 1 || (l->p[k] != '\\' && l->p[k] != '`'))
                return perr(P, BRIG_EXIT_INPUT, l->no, (int)k + 1, "invalid escape directive; use '\\' or '`'", NULL);
            P->df->escape = l->p[k];
        } else if (!strcasecmp(key, "syntax")) {
            if (seen_syntax) return perr(P, BRIG_EXIT_INPUT, l->no, 1, "only one 'syntax' parser directive may be used", NULL);
            seen_syntax = true;
            P->df->syntax = xstrndup(l->p + k, ve - k);
        } else if (strcasecmp(key, "check") != 0) {
            return 0;   /* unknown directive: a comment, and the end of the directive block */
        }
    }
    return 0;
}

/* ---- words, flags, JSON ----------------------------------------------- */

/* Splits shell-ish words, honouring quotes and the escape character (used for
 * ENV/LABEL/ARG key=value pairs and for FROM/COPY operands). */
static char **split_words(const char *s, char esc, size_t *n) {
    char **v = NULL; size_t cap = 0; *n = 0;
    size_t i = 0, len = strlen(s);
    while (i < len) {
        while (i < len && isspace((unsigned char)s[i])) i++;
        if (i >= len) break;
        strbuf w = STRBUF_INIT;
        char q = 0;
        sb_adds(&w, "");
        for (; i < len; i++) {
            char c = s[i];
            if (q) {
                if (c == q) q = 0;
                else if (c == esc && q == '"' && i + 1 < len) sb_addc(&w, s[++i]);
                else sb_addc(&w, c);
            } else if (c == '"' || c == '\'') q = c;
            else if (c == esc && i + 1 < len) sb_addc(&w, s[++i]);
            else if (isspace((unsigned char)c)) break;
            else sb_addc(&w, c);
        }
        v = xgrow(v, &cap, *n + 2, sizeof *v);
        v[(*n)++] = sb_detach(&w);
        v[*n] = NULL;
    }
    if (!v) v = xcalloc(1, sizeof *v);
    return v;
}

static bool parse_json_array(const char *s, char ***argv, size_t *argc) {
    size_t i = 0;
    while (isspace((unsigned char)s[i])) i++;
    if (s[i] != '[') return false;
    json_t *j = json_loads(s + i, JSON_DECODE_ANY, NULL);
    if (!json_is_array(j)) { json_decref(j); return false; }
    size_t n = json_array_size(j);
    for (size_t k = 0; k < n; k++)
        if (!json_is_string(json_array_get(j, k))) { json_decref(j); return false; }
    char **v = xcalloc(n + 1, sizeof *v);
    for (size_t k = 0; k < n; k++) v[k] = xstrdup(json_string_value(json_array_get(j, k)));
    json_decref(j);
    *argv = v; *argc = n;
    return true;
}

void df_pos(const df_instr *ins, size_t off, int *line, int *col) {
    *line = ins->line; *col = ins->col;
    for (size_t i = 0; i < ins->n_segs; i++) {
        if (ins->segs[i].off > off) break;
        *line = ins->segs[i].line;
        *col = ins->segs[i].col + (int)(off - ins->segs[i].off);
    }
}

const char *df_flag_get(const df_instr *ins, const char *name) {
    for (size_t i = 0; i < ins->n_flags; i++)
        if (!strcasecmp(ins->flags[i].name, name)) return ins->flags[i].value ? ins->flags[i].value : "";
    return NULL;
}

/* Takes leading "--name[=value]" words off the front of ins->args. */
static void take_flags(df_instr *ins) {
    size_t i = 0, n = strlen(ins->args), cap = 0;
    for (;;) {
        while (i < n && isspace((unsigned char)ins->args[i])) i++;
        if (i + 2 >= n || ins->args[i] != '-' || ins->args[i + 1] != '-' || isspace((unsigned char)ins->args[i + 2])) break;
        size_t s = i + 2, e = s;
        while (e < n && !isspace((unsigned char)ins->args[e])) e++;
        ins->flags = xgrow(ins->flags, &cap, ins->n_flags + 1, sizeof *ins->flags);
        df_flag *f = &ins->flags[ins->n_flags++];
        const char *eq = memchr(ins->args + s, '=', e - s);
        f->name = xstrndup(ins->args + s, (eq ? (size_t)(eq - ins->args) : e) - s);
        f->value = eq ? xstrndup(eq + 1, e - (size_t)(eq - ins->args) - 1) : NULL;
        df_pos(ins, i, &f->line, &f->col);
        i = e;
    }
    if (i == 0) return;
    /* Shift the args and segment offsets so positions stay exact. */
    memmove(ins->args, ins->args + i, n - i + 1);
    size_t k = 0;
    for (size_t s = 0; s < ins->n_segs; s++) {
        df_seg sg = ins->segs[s];
        if (sg.off + 0 < i) {
            /* Segment starts inside the flags: keep it only if it continues past them. */
            size_t next = s + 1 < ins->n_segs ? ins->segs[s + 1].off : n;
            if (next <= i) continue;
            sg.col += (int)(i - sg.off); sg.off = 0;
        } else sg.off -= i;
        ins->segs[k++] = sg;
    }
    ins->n_segs = k;
}

/* ---- heredocs --------------------------------------------------------- */

static bool heredoc_cmd(const char *cmd) { return !strcmp(cmd, "RUN") || !strcmp(cmd, "COPY") || !strcmp(cmd, "ADD"); }

static int read_heredocs(parser *P, df_instr *ins) {
    const char *a = ins->args;
    size_t cap = 0;
    char q = 0;       /* inside '...' or "...": `echo "<<EOF"` is not a heredoc */
    int arith = 0;    /* inside $(( )): `$((1<<20))` is a shift */
    for (size_t i = 0; a[i]; i++) {
        if (q) { if (a[i] == q) q = 0; else if (a[i] == '\\' && q == '"' && a[i + 1]) i++; continue; }
        if (a[i] == '\'' || a[i] == '"') { q = a[i]; continue; }
        if (a[i] == '$' && a[i + 1] == '(' && a[i + 2] == '(') { arith++; i += 2; continue; }
        if (arith && a[i] == ')' && a[i + 1] == ')') { arith--; i++; continue; }
        if (arith) continue;
        if (a[i] != '<' || a[i + 1] != '<' || a[i + 2] == '<' || (i > 0 && a[i - 1] == '<')) continue;
        size_t k = i + 2;
        bool strip = false;
        if (a[k] == '-') { strip = true; k++; }
        char dq = 0;
        if (a[k] == '"' || a[k] == '\'') dq = a[k++];
        size_t ws = k;
        while (a[k] && (isalnum((unsigned char)a[k]) || a[k] == '_' || a[k] == '.' || a[k] == '-')) k++;
        if (k == ws) continue;
        if (dq && a[k] != dq) continue;
        if (ins->n_heredocs >= DF_MAX_HEREDOC) {
            int l, c; df_pos(ins, i, &l, &c);
            return perr(P, BRIG_EXIT_UNSAFE, l, c, "more than 64 heredocs in one instruction", NULL);
        }
        ins->heredocs = xgrow(ins->heredocs, &cap, ins->n_heredocs + 1, sizeof *ins->heredocs);
        df_heredoc *h = &ins->heredocs[ins->n_heredocs++];
        memset(h, 0, sizeof *h);
        h->delim = xstrndup(a + ws, k - ws);
        h->quoted = dq != 0; h->strip_tabs = strip; h->off = i;
        h->line = P->i < P->n_lines ? P->lines[P->i].no : ins->line + 1;
        strbuf body = STRBUF_INIT;
        sb_adds(&body, "");
        bool done = false;
        for (; P->i < P->n_lines; P->i++) {
            const pline *l = &P->lines[P->i];
            const char *p = l->p; size_t len = l->len;
            if (strip) while (len && *p == '\t') { p++; len--; }
            if (len == strlen(h->delim) && !memcmp(p, h->delim, len)) { ins->end_line = l->no; P->i++; done = true; break; }
            sb_add(&body, p, len); sb_addc(&body, '\n');
        }
        h->body = sb_detach(&body);
        if (!done) {
            int l, c; df_pos(ins, i, &l, &c);
            return perr(P, BRIG_EXIT_INPUT, l, c, "heredoc is not terminated; add a line with just", h->delim);
        }
        if (dq) k++;
        i = k - 1;
    }
    return 0;
}

/* ---- instructions ------------------------------------------------------ */

static int is_known(const char *kw) {
    for (int i = 0; known[i]; i++) if (!strcmp(known[i], kw)) return 1;
    return 0;
}

/* Fills cmd/args/argv for an instruction whose keyword starts at text[0]. */
static int split_instr(parser *P, df_instr *ins, const char *text, int line, int col) {
    size_t k = 0;
    while (text[k] && !isspace((unsigned char)text[k])) k++;
    char *kw = xstrndup(text, k);
    for (char *c = kw; *c; c++) *c = (char)toupper((unsigned char)*c);
    if (!is_known(kw)) {
        int rc = perr(P, BRIG_EXIT_INPUT, line, col, "unknown instruction", kw);
        free(kw);
        return rc;
    }
    ins->cmd = kw;
    return 0;
}

static void finish_args(dockerfile *df, df_instr *ins) {
    take_flags(ins);
    /* Trailing blanks are not part of the value. */
    size_t n = strlen(ins->args);
    while (n && isspace((unsigned char)ins->args[n - 1])) ins->args[--n] = 0;
    static const char *const exec_form[] = { "CMD", "ENTRYPOINT", "RUN", "SHELL", "COPY", "ADD", "VOLUME", NULL };
    for (int i = 0; exec_form[i]; i++)
        if (!strcmp(ins->cmd, exec_form[i]) && parse_json_array(ins->args, &ins->argv, &ins->argc)) { ins->json = true; return; }
    ins->argv = split_words(ins->args, df->escape, &ins->argc);
}

static int parse_onbuild(parser *P, df_instr *ins) {
    const char *a = ins->args;
    size_t lead = 0;
    while (a[lead] && isspace((unsigned char)a[lead])) lead++;
    if (!a[lead]) return perr(P, BRIG_EXIT_INPUT, ins->line, ins->col, "ONBUILD needs an instruction", NULL);
    df_instr *sub = xcalloc(1, sizeof *sub);
    ins->sub = sub;
    int line, col; df_pos(ins, lead, &line, &col);
    int rc = split_instr(P, sub, a + lead, line, col);
    if (rc) return rc;
    if (!strcmp(sub->cmd, "ONBUILD") || !strcmp(sub->cmd, "FROM") || !strcmp(sub->cmd, "MAINTAINER"))
        return perr(P, BRIG_EXIT_INPUT, line, col, "ONBUILD cannot trigger", sub->cmd);
    sub->line = line; sub->col = col; sub->end_line = ins->end_line; sub->stage = ins->stage;
    size_t k = lead + strlen(sub->cmd);
    while (a[k] && isspace((unsigned char)a[k])) k++;
    sub->args = xstrdup(a + k);
    /* Re-base the segments onto the sub-instruction's args. */
    sub->segs = xcalloc(ins->n_segs + 1, sizeof *sub->segs);
    for (size_t s = 0; s < ins->n_segs; s++) {
        df_seg sg = ins->segs[s];
        size_t next = s + 1 < ins->n_segs ? ins->segs[s + 1].off : strlen(a) + 1;
        if (next <= k) continue;
        if (sg.off < k) { sg.col += (int)(k - sg.off); sg.off = 0; } else sg.off -= k;
        sub->segs[sub->n_segs++] = sg;
    }
    finish_args(P->df, sub);
    return 0;
}

static int add_stage(parser *P, df_instr *ins) {
    if (ins->argc == 0) return perr(P, BRIG_EXIT_INPUT, ins->line, ins->col, "FROM needs an image", NULL);
    if (!(ins->argc == 1 || (ins->argc == 3 && !strcasecmp(ins->argv[1], "AS"))))
        return perr(P, BRIG_EXIT_INPUT, ins->line, ins->col, "FROM takes 'IMAGE [AS NAME]'", NULL);
    dockerfile *df = P->df;
    df->stages = xrealloc(df->stages, (df->n_stages + 1) * sizeof *df->stages);
    df_stage *s = &df->stages[df->n_stages];
    s->image = xstrdup(ins->argv[0]);
    s->name = NULL;
    if (ins->argc == 3) {
        s->name = xstrdup(ins->argv[2]);
        for (char *c = s->name; *c; c++) *c = (char)tolower((unsigned char)*c);
    }
    s->line = ins->line;
    s->instr = df->n - 1;
    ins->stage = (int)df->n_stages++;
    return 0;
}

/* "# hadolint [global] ignore=A,B" / "# brig [global] ignore=A,B": appends the IDs
 * to *v and returns true (with *global set) when the comment is a suppression. */
static bool ignore_comment(const pline *l, bool *global, char ***v, size_t *n) {
    char *t = xstrndup(l->p, l->len), *p = t + skip_ws(t, 0, l->len);
    bool ok = false;
    if (*p == '#') {
        p++;
        while (*p == ' ' || *p == '\t') p++;
        size_t w = strcspn(p, " \t");
        if ((w == 8 && !strncasecmp(p, "hadolint", 8)) || (w == 4 && !strncasecmp(p, "brig", 4))) {
            p += w;
            while (*p == ' ' || *p == '\t') p++;
            *global = !strncasecmp(p, "global", 6) && (p[6] == ' ' || p[6] == '\t');
            if (*global) { p += 6; while (*p == ' ' || *p == '\t') p++; }
            if (!strncasecmp(p, "ignore=", 7)) {
                ok = true;
                char *save = NULL;
                for (char *id = strtok_r(p + 7, ", \t\r", &save); id && *n < 256; id = strtok_r(NULL, ", \t\r", &save)) {
                    *v = xrealloc(*v, (*n + 1) * sizeof **v);
                    (*v)[(*n)++] = xstrdup(id);
                }
            }
        }
    }
    free(t);
    return ok;
}

static int parse_instructions(parser *P) {
    dockerfile *df = P->df;
    size_t cap = 0;
    char esc = df->escape;
    char **pending = NULL; size_t n_pending = 0;
    while (P->i < P->n_lines) {
        const pline *l = &P->lines[P->i];
        if (comment(l)) {
            bool global = false;
            char **ids = NULL; size_t n_ids = 0;
            if (ignore_comment(l, &global, &ids, &n_ids)) {
                char ***dst = global ? &df->global_ignores : &pending;
                size_t *dn = global ? &df->n_global_ignores : &n_pending;
                for (size_t k = 0; k < n_ids; k++) {
                    if (*dn >= 1024) { free(ids[k]); continue; }
                    *dst = xrealloc(*dst, (*dn + 1) * sizeof **dst);
                    (*dst)[(*dn)++] = ids[k];
                }
                free(ids);
            }
            P->i++;
            continue;
        }
        if (blank(l)) { P->i++; continue; }
        if (df->n >= DF_MAX_INSTR) {
            for (size_t k = 0; k < n_pending; k++) free(pending[k]);
            free(pending);
            return perr(P, BRIG_EXIT_UNSAFE, l->no, 1, "more than 10000 instructions; refusing the file", NULL);
        }
        df->v = xgrow(df->v, &cap, df->n + 1, sizeof *df->v);
        df_instr *ins = &df->v[df->n++];
        memset(ins, 0, sizeof *ins);
        ins->stage = df->n_stages > 0 ? (int)df->n_stages - 1 : -1;
        ins->ignores = pending; ins->n_ignores = n_pending;
        pending = NULL; n_pending = 0;
        size_t k = skip_ws(l->p, 0, l->len);
        ins->line = l->no; ins->col = (int)k + 1; ins->end_line = l->no;
        /* Gather the logical line. */
        strbuf args = STRBUF_INIT;
        sb_adds(&args, "");
        size_t kwlen = 0;
        while (k + kwlen < l->len && !isspace((unsigned char)l->p[k + kwlen]) &&
               !(l->p[k + kwlen] == esc && (long)(k + kwlen) == continued(l, esc))) kwlen++;
        char *first = xstrndup(l->p + k, kwlen);
        int rc = split_instr(P, ins, first, ins->line, ins->col);
        free(first);
        if (rc) { sb_free(&args); return rc; }
        size_t segcap = 0;
        size_t start = skip_ws(l->p, k + kwlen, l->len);
        const pline *cur = l;
        for (;;) {
            long cont = continued(cur, esc);
            size_t end = cont >= 0 ? (size_t)cont : cur->len;
            if (start < end) {
                ins->segs = xgrow(ins->segs, &segcap, ins->n_segs + 1, sizeof *ins->segs);
                ins->segs[ins->n_segs++] = (df_seg){ args.len, cur->no, (int)start + 1 };
                sb_add(&args, cur->p + start, end - start);
            }
            ins->end_line = cur->no;
            P->i++;
            if (cont < 0) break;
            /* BuildKit skips comment and empty lines inside a continuation. */
            while (P->i < P->n_lines && (blank(&P->lines[P->i]) || comment(&P->lines[P->i]))) P->i++;
            if (P->i >= P->n_lines) break;
            cur = &P->lines[P->i];
            start = 0;
        }
        ins->args = sb_detach(&args);
        if (!strcmp(ins->cmd, "ONBUILD")) {
            if ((rc = parse_onbuild(P, ins))) return rc;
            if (heredoc_cmd(ins->sub->cmd) && !ins->sub->json && (rc = read_heredocs(P, ins->sub))) return rc;
            ins->end_line = ins->sub->end_line > ins->end_line ? ins->sub->end_line : ins->end_line;
            ins->argv = xcalloc(1, sizeof *ins->argv);
            continue;
        }
        finish_args(df, ins);
        if (heredoc_cmd(ins->cmd) && !ins->json && (rc = read_heredocs(P, ins))) return rc;
        if (!strcmp(ins->cmd, "FROM") && (rc = add_stage(P, ins))) return rc;
        if (ins->stage < 0 && strcmp(ins->cmd, "ARG") != 0 && strcmp(ins->cmd, "FROM") != 0)
            return perr(P, BRIG_EXIT_INPUT, ins->line, ins->col, "only ARG may come before the first FROM; found", ins->cmd);
    }
    for (size_t k = 0; k < n_pending; k++) free(pending[k]);   /* a suppression with nothing below it */
    free(pending);
    if (df->n_stages == 0) return brig_fail(BRIG_EXIT_INPUT, "%s:1:1: no FROM instruction; not a Dockerfile?", P->name);
    return 0;
}

static void free_instr(df_instr *ins) {
    free(ins->cmd); free(ins->args); free(ins->segs);
    for (size_t i = 0; i < ins->argc; i++) free(ins->argv[i]);
    free(ins->argv);
    for (size_t i = 0; i < ins->n_flags; i++) { free(ins->flags[i].name); free(ins->flags[i].value); }
    free(ins->flags);
    for (size_t i = 0; i < ins->n_heredocs; i++) { free(ins->heredocs[i].delim); free(ins->heredocs[i].body); }
    free(ins->heredocs);
    if (ins->sub) { free_instr(ins->sub); free(ins->sub); }
    for (size_t i = 0; i < ins->n_ignores; i++) free(ins->ignores[i]);
    free(ins->ignores);
}

void dockerfile_free(dockerfile *df) {
    if (!df) return;
    for (size_t i = 0; i < df->n; i++) free_instr(&df->v[i]);
    free(df->v);
    for (size_t i = 0; i < df->n_stages; i++) { free(df->stages[i].image); free(df->stages[i].name); }
    free(df->stages);
    for (size_t i = 0; i < df->n_global_ignores; i++) free(df->global_ignores[i]);
    free(df->global_ignores);
    free(df->name); free(df->syntax);
    free(df);
}

int dockerfile_parse(const char *name, const char *buf, size_t len, dockerfile **out) {
    *out = NULL;
    if (len > DF_MAX_BYTES)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: %zu bytes exceeds the 4 MiB Dockerfile limit", name, len);
    if (memchr(buf, 0, len)) {
        size_t off = (size_t)((const char *)memchr(buf, 0, len) - buf);
        int line = 1; for (size_t i = 0; i < off; i++) if (buf[i] == '\n') line++;
        return brig_fail(BRIG_EXIT_INPUT, "%s:%d:1: NUL byte in a Dockerfile; is this a binary file?", name, line);
    }
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) { buf += 3; len -= 3; }   /* UTF-8 BOM */
    parser P = { .name = name };
    size_t cap = 0;
    for (size_t s = 0, no = 1; s < len || (s == len && 0); no++) {
        const char *nl = memchr(buf + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - buf) : len;
        size_t le = e;
        if (le > s && buf[le - 1] == '\r') le--;
        P.lines = xgrow(P.lines, &cap, P.n_lines + 1, sizeof *P.lines);
        P.lines[P.n_lines++] = (pline){ buf + s, le - s, (int)no };
        if (!nl) break;
        s = e + 1;
    }
    dockerfile *df = xcalloc(1, sizeof *df);
    df->name = xstrdup(name);
    df->escape = '\\';
    P.df = df;
    int rc = directives(&P);
    if (!rc) rc = parse_instructions(&P);
    free(P.lines);
    if (rc) { dockerfile_free(df); return rc; }
    *out = df;
    return 0;
}
