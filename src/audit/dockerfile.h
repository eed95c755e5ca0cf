/* Dockerfile parser following BuildKit's dockerfile/parser semantics: parser
 * directives (`# escape=`, `# syntax=`), line continuations with the escape
 * character (comment and blank lines inside a continuation are skipped),
 * heredocs (`<<EOF`, `<<-EOF`, quoted delimiters), JSON (exec) vs shell form,
 * leading `--flag[=value]` options, ONBUILD, and multi-stage builds.  Every
 * instruction keeps exact positions, including a map from argument offsets
 * back to source lines so a finding inside a long continued RUN names the
 * physical line.  Inline suppressions use hadolint's comment syntax
 * (`# hadolint ignore=DL3008,DL3015` above an instruction, `# hadolint global
 * ignore=...` anywhere); `# brig ignore=...` is accepted too. */
#ifndef BRIG_AUDIT_DOCKERFILE_H
#define BRIG_AUDIT_DOCKERFILE_H
#include <stdbool.h>
#include <stddef.h>

#define DF_MAX_BYTES   (4u << 20)
#define DF_MAX_INSTR   10000
#define DF_MAX_HEREDOC 64      /* per instruction */

typedef struct { char *name; char *value; int line, col; } df_flag;   /* value NULL for bare --flag */
typedef struct { size_t off; int line, col; } df_seg;                 /* args[off..] starts at line:col */
typedef struct {
    char *delim;      /* delimiter word */
    char *body;       /* content (tabs stripped for <<-) */
    bool quoted;      /* <<"EOF" / <<'EOF': no expansion */
    bool strip_tabs;  /* <<-EOF */
    int line;         /* first body line (the line after the instruction) */
    size_t off;       /* offset of its "<<" marker in the instruction's args */
} df_heredoc;

typedef struct df_instr df_instr;
struct df_instr {
    char *cmd;                 /* keyword upper-cased: "RUN", "FROM", ... */
    int line, col;             /* keyword position */
    int end_line;              /* last physical line (continuations, heredocs) */
    char *args;                /* text after the keyword and flags, continuations removed */
    df_seg *segs; size_t n_segs;
    bool json;                 /* exec form: argv holds the decoded JSON array */
    char **argv; size_t argc;  /* JSON array elements, else whitespace-separated words of args */
    df_flag *flags; size_t n_flags;
    df_heredoc *heredocs; size_t n_heredocs;
    int stage;                 /* index into stages, -1 before the first FROM */
    df_instr *sub;             /* ONBUILD's trigger instruction */
    char **ignores; size_t n_ignores;   /* rule IDs from `# hadolint ignore=` / `# brig ignore=` just above */
};

typedef struct {
    char *image;      /* FROM image as written (may contain ${ARG}) */
    char *name;       /* AS name (lower-cased), NULL if none */
    int line;         /* FROM line */
    size_t instr;     /* index of its FROM instruction */
} df_stage;

typedef struct {
    char *name;
    char escape;                         /* '\\' or '`' */
    char *syntax;                        /* # syntax= directive, NULL if none */
    df_instr *v; size_t n;
    df_stage *stages; size_t n_stages;
    char **global_ignores; size_t n_global_ignores;   /* `# hadolint global ignore=` / `# brig global ignore=` */
} dockerfile;

/* Errors: "NAME:LINE:COL: ..." with BRIG_EXIT_INPUT (malformed) or BRIG_EXIT_UNSAFE (limits). */
int dockerfile_parse(const char *name, const char *buf, size_t len, dockerfile **out);
void dockerfile_free(dockerfile *df);
/* Physical line/column of byte `off` within ins->args. */
void df_pos(const df_instr *ins, size_t off, int *line, int *col);
/* Value of --name (NULL if absent; "" for a bare flag). */
const char *df_flag_get(const df_instr *ins, const char *name);
#endif
