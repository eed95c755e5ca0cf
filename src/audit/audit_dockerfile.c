/* Dockerfile checks: CIS section 4 items and hadolint-class rules. */
#include "audit/audit.h"
#include "audit/dockerfile.h"
#include "audit/shellwords.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    audit_ctx *c;
    dockerfile *df;
    char **argk, **argv; size_t n_args;   /* global ARGs (before the first FROM) */
} dfa;

/* Position of `needle` inside the instruction's args (falls back to the keyword). */
static void pos_of(const df_instr *ins, const char *needle, int *line, int *col) {
    const char *p = needle && *needle ? strstr(ins->args, needle) : NULL;
    if (p) df_pos(ins, (size_t)(p - ins->args), line, col);
    else { *line = ins->line; *col = ins->col; }
}

/* ${VAR}, ${VAR:-def}, $VAR from global ARG defaults; unknown variables stay. */
static char *subst_args(dfa *a, const char *s) {
    strbuf b = STRBUF_INIT; sb_adds(&b, "");
    for (size_t i = 0; s[i];) {
        if (s[i] != '$') { sb_addc(&b, s[i++]); continue; }
        size_t st = i + 1, en; bool br = s[st] == '{';
        if (br) st++;
        en = st;
        while (isalnum((unsigned char)s[en]) || s[en] == '_') en++;
        const char *def = NULL; size_t deflen = 0, close = en;
        if (br) {
            if (s[en] == ':' && s[en + 1] == '-') { def = s + en + 2; close = en + 2; while (s[close] && s[close] != '}') close++; deflen = (size_t)(s + close - def); }
            if (s[close] != '}') { sb_addc(&b, s[i++]); continue; }
            close++;
        }
        const char *val = NULL;
        for (size_t k = 0; k < a->n_args; k++)
            if (strlen(a->argk[k]) == en - st && !strncmp(a->argk[k], s + st, en - st)) val = a->argv[k];
        if (val && *val) sb_adds(&b, val);
        else if (def) sb_add(&b, def, deflen);
        else if (val) ;
        else sb_add(&b, s + i, close - i);
        i = close;
    }
    return sb_detach(&b);
}

static bool is_stage_ref(const dockerfile *df, size_t upto, const char *name) {
    for (size_t i = 0; i < upto && i < df->n_stages; i++)
        if (df->stages[i].name && !strcasecmp(df->stages[i].name, name)) return true;
    return false;
}

static void check_from(dfa *a, const df_instr *ins) {
    if (ins->argc == 0) return;
    char *img = subst_args(a, ins->argv[0]);
    int line, col; pos_of(ins, ins->argv[0], &line, &col);
    if (strchr(img, '$') || !strcasecmp(img, "scratch") || is_stage_ref(a->df, (size_t)ins->stage, img) || strchr(img, '@')) {
        free(img); return;
    }
    const char *slash = strrchr(img, '/');
    const char *colon = strrchr(slash ? slash : img, ':');
    if (!colon) audit_emit(a->c, "DL3006", line, col, "base image '%s' has no tag (means :latest)", img);
    else if (!strcmp(colon + 1, "latest")) audit_emit(a->c, "DL3007", line, col, "base image '%s' uses the mutable :latest tag", img);
    free(img);
}

static bool is_url(const char *s) { return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8) || !strncasecmp(s, "ftp://", 6); }
static bool is_archive(const char *s) {
    static const char *const ext[] = { ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".gz", ".bz2", ".xz", NULL };
    size_t n = strlen(s);
    for (int i = 0; ext[i]; i++) { size_t e = strlen(ext[i]); if (n > e && !strcasecmp(s + n - e, ext[i])) return true; }
    return false;
}

static void check_add(dfa *a, const df_instr *ins) {
    size_t nsrc = ins->argc > 0 ? ins->argc - 1 : 0;
    bool local = ins->n_heredocs > 0, flagged_url = false;
    for (size_t i = 0; i < nsrc; i++) {
        const char *s = ins->argv[i];
        if (is_url(s) || !strncmp(s, "git@", 4)) {
            if (!df_flag_get(ins, "checksum") && !flagged_url && is_url(s)) {
                int line, col; pos_of(ins, s, &line, &col);
                audit_emit(a->c, "BRIG-AUD-001", line, col, "ADD downloads %s without --checksum", s);
                flagged_url = true;
            }
        } else if (!is_archive(s) && strncmp(s, "<<", 2) != 0) local = true;
    }
    if (local) audit_emit(a->c, "CIS-4.9", ins->line, ins->col, "ADD used for local files; COPY is explicit and does not unpack or fetch");
}

static void check_copy_from(dfa *a, const df_instr *ins) {
    const char *from = df_flag_get(ins, "from");
    if (!from) return;
    int line = ins->line, col = ins->col;
    for (size_t i = 0; i < ins->n_flags; i++) if (!strcasecmp(ins->flags[i].name, "from")) { line = ins->flags[i].line; col = ins->flags[i].col; }
    if (!*from) { audit_emit(a->c, "DL3022", line, col, "COPY --from has no value"); return; }
    char *end;
    long idx = strtol(from, &end, 10);
    if (!*end) {
        if (idx < 0 || idx >= ins->stage) audit_emit(a->c, "DL3022", line, col, "COPY --from=%s refers to stage %ld, which is not a previous stage", from, idx);
        return;
    }
    if (strpbrk(from, ":/@.$")) return;   /* an image reference or a variable, not a stage name */
    if (!is_stage_ref(a->df, (size_t)ins->stage, from))
        audit_emit(a->c, "DL3022", line, col, "COPY --from=%s: no earlier stage is named '%s' (it would be pulled as an image)", from, from);
}

/* ---- RUN ---- */

typedef struct { const char *text; const df_instr *ins; const df_heredoc *hd; } run_src;

static void src_pos(const run_src *s, size_t off, int *line, int *col) {
    if (s->hd) {
        *line = s->hd->line; *col = 1;
        for (size_t i = 0; i < off && s->text[i]; i++) { if (s->text[i] == '\n') { (*line)++; *col = 1; } else (*col)++; }
    } else if (!s->ins->json) df_pos(s->ins, off, line, col);
    else { *line = s->ins->line; *col = s->ins->col; }
}

static const char *base(const char *w) { const char *s = strrchr(w, '/'); return s ? s + 1 : w; }
static bool has_word(const sh_cmd *c, size_t from, const char *w) {
    for (size_t i = from; i < c->n; i++) if (!strcmp(c->words[i].w, w)) return true;
    return false;
}
static bool has_prefix_word(const sh_cmd *c, size_t from, const char *p) {
    for (size_t i = from; i < c->n; i++) if (!strncmp(c->words[i].w, p, strlen(p))) return true;
    return false;
}
static bool is_shell(const char *w) {
    static const char *const sh[] = { "sh", "bash", "zsh", "dash", "ash", "ksh", NULL };
    for (int i = 0; sh[i]; i++) if (!strcmp(base(w), sh[i])) return true;
    return false;
}

typedef struct { bool apt_install, apt_clean, cache_mount; int apt_line, apt_col; } run_state;

static void check_cmd(dfa *a, const run_src *src, const sh_script *sc, size_t ci, run_state *st, bool pip_env) {
    const sh_cmd *c = &sc->cmds[ci];
    size_t s = sh_cmd_start(c);
    int line, col;
    if (s > 0 && !strcmp(c->words[0].w, "sudo")) {
        src_pos(src, c->words[0].off, &line, &col);
        audit_emit(a->c, "DL3004", line, col, "sudo used in RUN");
    }
    if (s >= c->n) return;
    const char *prog = base(c->words[s].w);
    src_pos(src, c->words[s].off, &line, &col);
    if (!strcmp(prog, "cd")) audit_emit(a->c, "DL3003", line, col, "`cd` in RUN; use WORKDIR");
    if (!strcmp(prog, "curl") || !strcmp(prog, "wget")) {
        /* Follow the whole pipeline: `curl url | tee log | sh` runs it too. */
        for (size_t k = ci; k + 1 < sc->n && sc->cmds[k].sep == '|'; k++) {
            const sh_cmd *n = &sc->cmds[k + 1];
            size_t ns = sh_cmd_start(n);
            /* The next downloader reports its own pipe (keeps `curl|curl|...` linear). */
            if (ns < n->n && (!strcmp(base(n->words[ns].w), "curl") || !strcmp(base(n->words[ns].w), "wget"))) break;
            if (ns < n->n && is_shell(n->words[ns].w)) {
                audit_emit(a->c, "BRIG-AUD-002", line, col, "output of %s is piped into %s", prog, base(n->words[ns].w));
                break;
            }
        }
    }
    if (is_shell(prog)) {
        /* sh -c "$(curl -fsSL url)" is the same thing without a pipe. */
        for (size_t i = s + 1; i < c->n; i++) {
            const char *w = c->words[i].w;
            if (strstr(w, "$(curl ") || strstr(w, "$(wget ") || strstr(w, "`curl ") || strstr(w, "`wget ")) {
                audit_emit(a->c, "BRIG-AUD-002", line, col, "%s runs a script downloaded by command substitution", prog);
                break;
            }
        }
    }
    if (!strcmp(prog, "apt-get") || !strcmp(prog, "apt")) {
        if (has_word(c, s + 1, "upgrade") || has_word(c, s + 1, "dist-upgrade"))
            audit_emit(a->c, "DL3005", line, col, "%s upgrade in RUN", prog);
        if (has_word(c, s + 1, "install")) {
            if (!st->apt_install) { st->apt_line = line; st->apt_col = col; }
            st->apt_install = true;
            if (!has_word(c, s + 1, "--no-install-recommends") && !has_prefix_word(c, s + 1, "APT::Install-Recommends=") &&
                !has_prefix_word(c, s + 1, "-oAPT::Install-Recommends="))
                audit_emit(a->c, "DL3015", line, col, "%s install without --no-install-recommends", prog);
            strbuf unpinned = STRBUF_INIT;
            bool after = false;
            for (size_t i = s + 1; i < c->n; i++) {
                const char *w = c->words[i].w;
                if (!strcmp(w, "install")) { after = true; continue; }
                if (!after || w[0] == '-' || !w[0]) continue;
                if (i > 0 && (!strcmp(c->words[i - 1].w, "-o") || !strcmp(c->words[i - 1].w, "-t") || !strcmp(c->words[i - 1].w, "--target-release"))) continue;
                if (strchr(w, '=') || strchr(w, '/') || strchr(w, '$') || strstr(w, ".deb")) continue;
                sb_addf(&unpinned, "%s%s", unpinned.len ? ", " : "", w);
            }
            if (unpinned.len) audit_emit(a->c, "DL3008", line, col, "packages installed without a version: %s", unpinned.buf);
            sb_free(&unpinned);
        }
    }
    if (!strcmp(prog, "rm")) {
        for (size_t i = s + 1; i < c->n; i++) if (!strncmp(c->words[i].w, "/var/lib/apt/lists", 18)) st->apt_clean = true;
    }
    if (!strcmp(prog, "apk") && has_word(c, s + 1, "add") && !has_word(c, s + 1, "--no-cache") && !st->cache_mount)
        audit_emit(a->c, "DL3019", line, col, "apk add without --no-cache");
    bool pip = !strncmp(prog, "pip", 3) && (prog[3] == 0 || isdigit((unsigned char)prog[3]));
    size_t pi = s + 1;
    if (!strncmp(prog, "python", 6) && s + 2 < c->n && !strcmp(c->words[s + 1].w, "-m") && !strncmp(c->words[s + 2].w, "pip", 3)) { pip = true; pi = s + 3; }
    if (pip && has_word(c, pi, "install") && !has_word(c, pi, "--no-cache-dir") && !pip_env && !st->cache_mount)
        audit_emit(a->c, "DL3042", line, col, "pip install without --no-cache-dir");
}

static void scan_script(dfa *a, const run_src *src, run_state *st, bool pip_env) {
    sh_script sc;
    sh_parse(src->text, a->df->escape, &sc);
    for (size_t i = 0; i < sc.n; i++) check_cmd(a, src, &sc, i, st, pip_env);
    sh_free(&sc);
}

/* A heredoc body is shell code only when it is the RUN script itself
 * (`RUN <<EOF` or `RUN <<EOF bash -e`) or is fed to a shell (`RUN bash <<EOF`);
 * `RUN cat <<EOF >/etc/app.conf` writes data and `RUN <<EOF python3` is Python. */
static bool heredoc_is_script(dfa *a, const df_instr *ins, const df_heredoc *h) {
    char *prefix = xstrndup(ins->args, h->off);
    sh_script sc;
    sh_parse(prefix, a->df->escape, &sc);
    free(prefix);
    bool script;
    if (sc.n == 0) {
        /* Marker first: the interpreter, if any, is the first word after the marker and delimiter. */
        const char *p = ins->args + h->off + 2;
        while (*p && !isspace((unsigned char)*p)) p++;
        while (isspace((unsigned char)*p)) p++;
        size_t w = strcspn(p, " \t");
        char *interp = xstrndup(p, w);
        script = !*interp || interp[0] == '<' || is_shell(interp);
        free(interp);
    } else {
        const sh_cmd *last = &sc.cmds[sc.n - 1];
        size_t s = sh_cmd_start(last);
        script = s < last->n && is_shell(last->words[s].w);
    }
    sh_free(&sc);
    return script;
}

static void check_run(dfa *a, const df_instr *ins, bool final_stage, bool pip_env) {
    run_state st = { 0 };
    const char *mount = df_flag_get(ins, "mount");
    st.cache_mount = mount && strstr(mount, "type=cache");
    char *joined = NULL;
    run_src src = { ins->args, ins, NULL };
    if (ins->json) {
        strbuf b = STRBUF_INIT; sb_adds(&b, "");
        for (size_t i = 0; i < ins->argc; i++) sb_addf(&b, "%s%s", i ? " " : "", ins->argv[i]);
        joined = sb_detach(&b);
        src.text = joined;
    }
    scan_script(a, &src, &st, pip_env);
    for (size_t h = 0; h < ins->n_heredocs; h++)
        if (heredoc_is_script(a, ins, &ins->heredocs[h])) {
            run_src hs = { ins->heredocs[h].body, ins, &ins->heredocs[h] };
            scan_script(a, &hs, &st, pip_env);
        }
    if (final_stage && st.apt_install && !st.apt_clean && !st.cache_mount)
        audit_emit(a->c, "DL3009", st.apt_line, st.apt_col, "apt-get lists are not removed in the same RUN (add rm -rf /var/lib/apt/lists/*)");
    free(joined);
}

/* ---- ENV / ARG secrets ---- */

static bool secret_name(const char *k) {
    char up[256]; size_t n = 0;
    for (; k[n] && n < sizeof up - 1; n++) up[n] = (char)toupper((unsigned char)k[n]);
    up[n] = 0;
    if (strstr(up, "GPG") || strstr(up, "PUBLIC") || strstr(up, "FILE") || strstr(up, "PATH") || strstr(up, "_URL")) return false;
    static const char *const tokens[] = { "PASSWORD", "PASSWD", "PASS", "SECRET", "TOKEN", "KEY", "APIKEY", "CREDENTIALS", "CREDENTIAL", "PRIVATE", NULL };
    char *save = NULL;
    for (char *t = strtok_r(up, "_-.", &save); t; t = strtok_r(NULL, "_-.", &save))
        for (int i = 0; tokens[i]; i++) if (!strcmp(t, tokens[i])) return true;
    /* camelCase names like dbPassword / apiToken */
    for (int i = 0; tokens[i]; i++) { size_t tl = strlen(tokens[i]); if (tl >= 5 && n >= tl && !strcmp(up + n - tl, tokens[i])) return true; }
    return false;
}

static bool literal_value(const char *v) {
    if (!v || !*v) return false;
    if (v[0] == '$') return false;   /* ${FROM_BUILD_ARG}: the value itself is not in the file */
    return true;
}

static void check_secrets(dfa *a, const df_instr *ins) {
    bool env = !strcmp(ins->cmd, "ENV");
    if (env && ins->argc >= 2 && !strchr(ins->argv[0], '=')) {   /* legacy "ENV KEY value" */
        const char *v = ins->args + strlen(ins->argv[0]);
        while (isspace((unsigned char)*v)) v++;
        if (secret_name(ins->argv[0]) && literal_value(v)) {
            int line, col; pos_of(ins, ins->argv[0], &line, &col);
            audit_emit(a->c, "CIS-4.10", line, col, "ENV %s holds a literal secret value", ins->argv[0]);
        }
        return;
    }
    for (size_t i = 0; i < ins->argc; i++) {
        const char *eq = strchr(ins->argv[i], '=');
        if (!eq) continue;
        char *k = xstrndup(ins->argv[i], (size_t)(eq - ins->argv[i]));
        if (secret_name(k) && literal_value(eq + 1)) {
            int line, col; pos_of(ins, k, &line, &col);
            audit_emit(a->c, "CIS-4.10", line, col, "%s %s holds a literal secret value", ins->cmd, k);
        }
        free(k);
    }
}

/* ---- per-stage bookkeeping ---- */

typedef struct {
    const df_instr *last_user, *healthcheck, *cmd, *entrypoint;
    bool pip_env;
} stage_info;

static void check_instr(dfa *a, const df_instr *ins, stage_info *si, bool final_stage, bool onbuild) {
    const char *cmd = ins->cmd;
    if (!strcmp(cmd, "FROM")) { check_from(a, ins); return; }
    if (!strcmp(cmd, "RUN")) check_run(a, ins, final_stage && !onbuild, si->pip_env);
    else if (!strcmp(cmd, "ADD")) check_add(a, ins);
    else if (!strcmp(cmd, "COPY")) check_copy_from(a, ins);
    else if (!strcmp(cmd, "ENV") || !strcmp(cmd, "ARG")) {
        check_secrets(a, ins);
        if (!strcmp(cmd, "ENV") && strstr(ins->args, "PIP_NO_CACHE_DIR")) si->pip_env = true;
    } else if (!strcmp(cmd, "MAINTAINER")) audit_emit(a->c, "DL4000", ins->line, ins->col, "MAINTAINER is deprecated");
    else if (!strcmp(cmd, "WORKDIR") && ins->argc > 0) {
        const char *w = ins->argv[0];
        bool abs = w[0] == '/' || w[0] == '$' || (isalpha((unsigned char)w[0]) && w[1] == ':');
        if (!abs) { int line, col; pos_of(ins, ins->args, &line, &col); audit_emit(a->c, "DL3000", line, col, "WORKDIR %s is relative", w); }
    } else if (!strcmp(cmd, "EXPOSE")) {
        for (size_t i = 0; i < ins->argc; i++) {
            const char *p = ins->argv[i];
            if (!strcmp(p, "22") || !strncmp(p, "22/", 3)) { int line, col; pos_of(ins, p, &line, &col); audit_emit(a->c, "BRIG-AUD-003", line, col, "EXPOSE %s (SSH)", p); }
        }
    }
    if (onbuild) return;
    if (!strcmp(cmd, "USER")) si->last_user = ins;
    else if (!strcmp(cmd, "HEALTHCHECK")) si->healthcheck = ins;
    else if (!strcmp(cmd, "CMD")) {
        if (si->cmd) audit_emit(a->c, "DL4003", ins->line, ins->col, "second CMD in this stage (first at line %d); only the last one takes effect", si->cmd->line);
        else si->cmd = ins;
    } else if (!strcmp(cmd, "ENTRYPOINT")) {
        if (si->entrypoint) audit_emit(a->c, "DL4004", ins->line, ins->col, "second ENTRYPOINT in this stage (first at line %d); only the last one takes effect", si->entrypoint->line);
        else si->entrypoint = ins;
    }
}

static bool user_is_root(const char *u) {
    size_t n = strcspn(u, ":");
    return (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0');
}

int audit_dockerfile(audit_ctx *c, const char *buf, size_t len) {
    dockerfile *df;
    int rc = dockerfile_parse(c->file, buf, len, &df);
    if (rc) return rc;
    dfa a = { .c = c, .df = df };
    size_t cap = 0;
    /* Inline suppressions cover their instruction's lines (all lines when global). */
    size_t ns = df->n_global_ignores;
    for (size_t i = 0; i < df->n; i++) ns += df->v[i].n_ignores;
    audit_suppress *supp = xcalloc(ns + 1, sizeof *supp);
    size_t k0 = 0;
    for (size_t i = 0; i < df->n_global_ignores; i++) supp[k0++] = (audit_suppress){ df->global_ignores[i], 1, 1 << 30 };
    for (size_t i = 0; i < df->n; i++)
        for (size_t j = 0; j < df->v[i].n_ignores; j++) supp[k0++] = (audit_suppress){ df->v[i].ignores[j], df->v[i].line, df->v[i].end_line };
    c->supp = supp; c->n_supp = k0;
    stage_info *si = xcalloc(df->n_stages + 1, sizeof *si);
    for (size_t i = 0; i < df->n; i++) {
        const df_instr *ins = &df->v[i];
        if (ins->stage < 0 && !strcmp(ins->cmd, "ARG")) {
            for (size_t k = 0; k < ins->argc; k++) {
                a.argk = xgrow(a.argk, &cap, a.n_args + 1, sizeof *a.argk);
                a.argv = xrealloc(a.argv, cap * sizeof *a.argv);
                const char *eq = strchr(ins->argv[k], '=');
                a.argk[a.n_args] = eq ? xstrndup(ins->argv[k], (size_t)(eq - ins->argv[k])) : xstrdup(ins->argv[k]);
                a.argv[a.n_args++] = xstrdup(eq ? eq + 1 : "");
            }
            check_secrets(&a, ins);
            continue;
        }
        if (ins->stage < 0) continue;
        bool final = (size_t)ins->stage == df->n_stages - 1;
        check_instr(&a, ins, &si[ins->stage], final, false);
        if (ins->sub) check_instr(&a, ins->sub, &si[ins->stage], final, true);
    }
    /* The final stage inherits USER / HEALTHCHECK from a parent stage it is built FROM. */
    size_t fi = df->n_stages - 1;
    const df_instr *user = NULL, *hc = NULL;
    for (size_t s = fi;;) {
        if (!user) user = si[s].last_user;
        if (!hc) hc = si[s].healthcheck;
        char *img = subst_args(&a, df->stages[s].image);
        size_t parent = s;
        for (size_t k = 0; k < s; k++) if (df->stages[k].name && !strcasecmp(df->stages[k].name, img)) parent = k;
        free(img);
        if (parent == s) break;
        s = parent;
    }
    const df_instr *from = &df->v[df->stages[fi].instr];
    /* Base images published as non-root (distroless ":nonroot", "-rootless" variants) set USER themselves. */
    if (!user) {
        char *img = subst_args(&a, df->stages[fi].image);
        if (strstr(img, "nonroot") || strstr(img, "rootless")) user = from;
        free(img);
    }
    if (user == from) ;
    else if (!user) audit_emit(c, "CIS-4.1", from->line, from->col, "the final stage sets no USER, so the container runs as root");
    else if (user->argc > 0 && user_is_root(user->argv[0])) audit_emit(c, "DL3002", user->line, user->col, "last USER is %s", user->argv[0]);
    if (!hc) audit_emit(c, "CIS-4.6", from->line, from->col, "the final stage has no HEALTHCHECK");
    else if (hc->argc > 0 && !strcasecmp(hc->argv[0], "NONE")) audit_emit(c, "CIS-4.6", hc->line, hc->col, "HEALTHCHECK NONE disables the health check");
    for (size_t k = 0; k < a.n_args; k++) { free(a.argk[k]); free(a.argv[k]); }
    free(a.argk); free(a.argv); free(si);
    c->supp = NULL; c->n_supp = 0;
    free(supp);
    dockerfile_free(df);
    return 0;
}
