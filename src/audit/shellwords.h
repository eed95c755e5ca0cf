/* Minimal POSIX-shell tokenizer for auditing RUN lines: splits a script into
 * simple commands (separated by && || ; | & newline and parentheses) made of
 * words with quotes removed, each word remembering its offset in the script.
 * It does not expand anything: audit rules only look at literal words. */
#ifndef BRIG_AUDIT_SHELLWORDS_H
#define BRIG_AUDIT_SHELLWORDS_H
#include <stddef.h>

typedef struct { char *w; size_t off; } sh_word;
typedef struct {
    sh_word *words; size_t n;
    char sep;        /* separator after this command: '|' pipe, ';' other, 0 end */
} sh_cmd;
typedef struct { sh_cmd *cmds; size_t n; } sh_script;

/* Bounded: at most 100000 words; extra text is ignored. */
void sh_parse(const char *script, char esc, sh_script *out);
void sh_free(sh_script *s);
/* Index of the first word after wrappers such as sudo/env/VAR=x/time/exec/nice, or n. */
size_t sh_cmd_start(const sh_cmd *c);
#endif
