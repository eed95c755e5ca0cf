/* Shell tokenizer for RUN lines (see shellwords.h). */
#include "audit/shellwords.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SH_MAX_WORDS 100000

static void end_cmd(sh_script *s, size_t *cap, sh_cmd *cur, char sep) {
    if (cur->n == 0) { free(cur->words); *cur = (sh_cmd){ 0 }; return; }
    cur->sep = sep;
    s->cmds = xgrow(s->cmds, cap, s->n + 1, sizeof *s->cmds);
    s->cmds[s->n++] = *cur;
    *cur = (sh_cmd){ 0 };
}

void sh_parse(const char *p, char esc, sh_script *out) {
    *out = (sh_script){ 0 };
    size_t cap = 0, wcap = 0, total = 0, i = 0, len = strlen(p);
    sh_cmd cur = { 0 };
    while (i < len && total < SH_MAX_WORDS) {
        char c = p[i];
        /* Every blank but newline separates words (\v and \f too: the word loop stops on isspace). */
        if (c != '\n' && isspace((unsigned char)c)) { i++; continue; }
        if (c == esc && i + 1 < len && p[i + 1] == '\n') { i += 2; continue; }
        if (c == '#' ) {   /* comment to end of line */
            while (i < len && p[i] != '\n') i++;
            continue;
        }
        if (c == '\n' || c == ';' || c == '(' || c == ')' || c == '&' || c == '|') {
            char sep = ';';
            if (c == '|' && (i + 1 >= len || p[i + 1] != '|')) sep = '|';
            if ((c == '|' || c == '&') && i + 1 < len && p[i + 1] == c) i++;
            end_cmd(out, &cap, &cur, sep);
            wcap = 0;
            i++;
            continue;
        }
        strbuf w = STRBUF_INIT;
        sb_adds(&w, "");
        size_t start = i;
        char q = 0;
        for (; i < len; i++) {
            c = p[i];
            if (q) {
                if (c == q) q = 0;
                else if (q == '"' && c == '\\' && i + 1 < len) sb_addc(&w, p[++i]);
                else sb_addc(&w, c);
                continue;
            }
            if (c == '"' || c == '\'') { q = c; continue; }
            if (c == '\\' && i + 1 < len) { if (p[i + 1] != '\n') sb_addc(&w, p[i + 1]); i++; continue; }
            if (isspace((unsigned char)c) || c == ';' || c == '|' || c == '&' || c == '(' || c == ')') break;
            sb_addc(&w, c);
        }
        if (i == start) { sb_free(&w); i++; continue; }   /* defensive: always make progress */
        cur.words = xgrow(cur.words, &wcap, cur.n + 1, sizeof *cur.words);
        cur.words[cur.n++] = (sh_word){ sb_detach(&w), start };
        total++;
    }
    end_cmd(out, &cap, &cur, 0);
}

void sh_free(sh_script *s) {
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->cmds[i].n; k++) free(s->cmds[i].words[k].w);
        free(s->cmds[i].words);
    }
    free(s->cmds);
    *s = (sh_script){ 0 };
}

size_t sh_cmd_start(const sh_cmd *c) {
    size_t i = 0;
    while (i < c->n) {
        const char *w = c->words[i].w;
        if (!strcmp(w, "sudo") || !strcmp(w, "env") || !strcmp(w, "time") || !strcmp(w, "exec") ||
            !strcmp(w, "nice") || !strcmp(w, "nohup") || !strcmp(w, "command") || !strcmp(w, "then") ||
            !strcmp(w, "do") || !strcmp(w, "else") || !strcmp(w, "!")) {
            i++;
            /* wrapper options such as `sudo -u x` or `env -i` */
            while (i < c->n && c->words[i].w[0] == '-') {
                if (!strcmp(c->words[i].w, "-u") || !strcmp(c->words[i].w, "-g")) i++;
                i++;
            }
            continue;
        }
        if (strchr(w, '=') && (isalpha((unsigned char)w[0]) || w[0] == '_')) { i++; continue; }   /* VAR=value prefix */
        break;
    }
    return i;
}
