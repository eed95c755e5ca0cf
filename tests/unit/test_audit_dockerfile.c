/* Dockerfile parser: continuations, escape directive, heredocs, JSON vs shell
 * form, flags, ONBUILD, stages and exact positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "audit/dockerfile.h"
#include "audit/shellwords.h"
#include "util/err.h"
#include "util/exitcodes.h"

static dockerfile *parse_ok(const char *text) {
    dockerfile *df = NULL;
    int rc = dockerfile_parse("Dockerfile", text, strlen(text), &df);
    if (rc) fail_msg("parse failed: %s", brig_errmsg());
    return df;
}

static void continuation_and_positions(void **st) {
    (void)st;
    dockerfile *df = parse_ok("FROM debian:12\n"
                              "RUN apt-get update && \\\n"
                              "    # a comment inside the continuation is dropped\n"
                              "\n"
                              "    apt-get install -y curl \\  \n"
                              "    && echo done\n"
                              "  USER app\n");
    assert_int_equal(df->n, 3);
    df_instr *run = &df->v[1];
    assert_string_equal(run->cmd, "RUN");
    assert_int_equal(run->line, 2);
    assert_int_equal(run->end_line, 6);
    assert_string_equal(run->args, "apt-get update &&     apt-get install -y curl     && echo done");
    /* "curl" is on physical line 5, column 25. */
    const char *p = strstr(run->args, "curl");
    int line, col;
    df_pos(run, (size_t)(p - run->args), &line, &col);
    assert_int_equal(line, 5);
    assert_int_equal(col, 24);
    assert_int_equal(df->v[2].line, 7);
    assert_int_equal(df->v[2].col, 3);
    dockerfile_free(df);
}

static void escape_directive_backtick(void **st) {
    (void)st;
    dockerfile *df = parse_ok("# escape=`\n"
                              "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
                              "RUN dir C:\\ `\n"
                              "    && echo ok\n"
                              "COPY a\\b.txt C:\\dest\\\n");
    assert_int_equal(df->escape, '`');
    assert_int_equal(df->n, 3);
    assert_string_equal(df->v[1].args, "dir C:\\     && echo ok");
    /* With ` as escape a trailing backslash is just a character, not a continuation. */
    assert_string_equal(df->v[2].args, "a\\b.txt C:\\dest\\");
    assert_int_equal(df->v[2].line, 5);
    dockerfile_free(df);
}

static void directives_only_at_top(void **st) {
    (void)st;
    dockerfile *df = parse_ok("# syntax=docker/dockerfile:1.7\n# check=skip=all\n# escape=`\nFROM a:1\n");
    assert_string_equal(df->syntax, "docker/dockerfile:1.7");
    assert_int_equal(df->escape, '`');
    dockerfile_free(df);
    df = parse_ok("# a comment\n# escape=`\nFROM a:1\n");
    assert_int_equal(df->escape, '\\');   /* after a comment it is just another comment */
    dockerfile_free(df);
    dockerfile *bad = NULL;
    assert_int_equal(dockerfile_parse("Dockerfile", "# escape=x\nFROM a\n", 18, &bad), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "Dockerfile:1:10: invalid escape directive"));
}

static void heredocs(void **st) {
    (void)st;
    const char *t = "FROM a:1\n"
                    "RUN <<EOF bash -eu\n"
                    "apt-get update\n"
                    "curl x | sh\n"
                    "EOF\n"
                    "COPY <<-\"END\" <<'TWO' /dst/\n"
                    "\t\tindented $NOT_EXPANDED\n"
                    "\tEND\n"
                    "second\n"
                    "TWO\n"
                    "USER app\n";
    dockerfile *df = parse_ok(t);
    assert_int_equal(df->n, 4);
    df_instr *run = &df->v[1];
    assert_int_equal(run->n_heredocs, 1);
    assert_string_equal(run->heredocs[0].delim, "EOF");
    assert_string_equal(run->heredocs[0].body, "apt-get update\ncurl x | sh\n");
    assert_int_equal(run->heredocs[0].line, 3);
    assert_int_equal(run->end_line, 5);
    df_instr *copy = &df->v[2];
    assert_int_equal(copy->n_heredocs, 2);
    assert_true(copy->heredocs[0].strip_tabs && copy->heredocs[0].quoted);
    assert_string_equal(copy->heredocs[0].body, "indented $NOT_EXPANDED\n");
    assert_string_equal(copy->heredocs[1].body, "second\n");
    assert_string_equal(df->v[3].cmd, "USER");
    assert_int_equal(df->v[3].line, 11);
    dockerfile_free(df);
    /* Quoted "<<EOF" and arithmetic shifts are not heredocs; the real one after them is. */
    df = parse_ok("FROM a:1\nRUN echo \"<<EOF\" && echo $((1<<20)) && cat <<X\nhi\nX\nUSER 1\n");
    assert_int_equal(df->v[1].n_heredocs, 1);
    assert_string_equal(df->v[1].heredocs[0].delim, "X");
    assert_string_equal(df->v[2].cmd, "USER");
    dockerfile_free(df);
    /* Here-strings (<<<) are not heredocs. */
    df = parse_ok("FROM a:1\nRUN cat <<<hello\nUSER x\n");
    assert_int_equal(df->v[1].n_heredocs, 0);
    dockerfile_free(df);
    dockerfile *bad = NULL;
    const char *u = "FROM a:1\nRUN <<EOF\nnever closed\n";
    assert_int_equal(dockerfile_parse("Dockerfile", u, strlen(u), &bad), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "Dockerfile:2:5: heredoc is not terminated"));
}

static void json_and_shell_form(void **st) {
    (void)st;
    dockerfile *df = parse_ok("FROM a:1\n"
                              "CMD [\"/bin/app\", \"--flag=a b\"]\n"
                              "ENTRYPOINT [not json\n"
                              "RUN [\"sh\", 1]\n");
    assert_true(df->v[1].json);
    assert_int_equal(df->v[1].argc, 2);
    assert_string_equal(df->v[1].argv[1], "--flag=a b");
    assert_false(df->v[2].json);   /* invalid JSON falls back to shell form, like BuildKit */
    assert_false(df->v[3].json);   /* non-string elements are not exec form either */
    dockerfile_free(df);
}

static void flags_stages_onbuild(void **st) {
    (void)st;
    dockerfile *df = parse_ok("ARG BASE=debian:12\n"
                              "FROM --platform=$BUILDPLATFORM ${BASE} AS Build\n"
                              "COPY --from=build --chown=1:1 /a /b\n"
                              "ONBUILD RUN --mount=type=cache,target=/c make\n"
                              "FROM scratch\n"
                              "COPY --from=0 /b /b\n");
    assert_int_equal(df->n_stages, 2);
    assert_string_equal(df->stages[0].image, "${BASE}");
    assert_string_equal(df->stages[0].name, "build");   /* stage names are case-insensitive */
    assert_int_equal(df->v[0].stage, -1);
    assert_string_equal(df_flag_get(&df->v[1], "platform"), "$BUILDPLATFORM");
    df_instr *copy = &df->v[2];
    assert_string_equal(df_flag_get(copy, "from"), "build");
    assert_string_equal(df_flag_get(copy, "chown"), "1:1");
    assert_int_equal(copy->flags[1].col, 19);
    assert_string_equal(copy->args, "/a /b");
    int line, col;
    df_pos(copy, 0, &line, &col);
    assert_int_equal(col, 31);
    df_instr *on = &df->v[3];
    assert_non_null(on->sub);
    assert_string_equal(on->sub->cmd, "RUN");
    assert_int_equal(on->sub->col, 9);
    assert_string_equal(df_flag_get(on->sub, "mount"), "type=cache,target=/c");
    assert_string_equal(on->sub->args, "make");
    assert_int_equal(df->v[5].stage, 1);
    dockerfile_free(df);
}

static void errors_and_limits(void **st) {
    (void)st;
    dockerfile *df = NULL;
    assert_int_equal(dockerfile_parse("D", "RUN x\n", 6, &df), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "D:1:1: only ARG may come before the first FROM"));
    assert_int_equal(dockerfile_parse("D", "FROM a\nFORM b\n", 14, &df), BRIG_EXIT_INPUT);
    assert_non_null(strstr(brig_errmsg(), "D:2:1: unknown instruction FORM"));
    assert_int_equal(dockerfile_parse("D", "FROM a\n\0RUN\n", 11, &df), BRIG_EXIT_INPUT);
    assert_int_equal(dockerfile_parse("D", "# only a comment\n", 17, &df), BRIG_EXIT_INPUT);
    assert_null(df);
}

static void shell_words(void **st) {
    (void)st;
    sh_script s;
    sh_parse("curl -fsSL 'https://x/y z' | sudo -u root bash && A=1 pip install x; cd /", '\\', &s);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.cmds[0].sep, '|');
    assert_string_equal(s.cmds[0].words[2].w, "https://x/y z");
    assert_int_equal(s.cmds[0].words[2].off, 11);
    assert_string_equal(s.cmds[1].words[sh_cmd_start(&s.cmds[1])].w, "bash");
    assert_string_equal(s.cmds[2].words[sh_cmd_start(&s.cmds[2])].w, "pip");
    assert_int_equal(s.cmds[2].sep, ';');
    sh_free(&s);
    /* Vertical tabs and form feeds are blanks (found by fuzzing: they used to spin on empty words). */
    sh_parse("a\v\v\fb", '\\', &s);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.cmds[0].n, 2);
    sh_free(&s);
}

static void suppression_comments(void **st) {
    (void)st;
    dockerfile *df = parse_ok("# hadolint global ignore=DL3006\n"
                              "FROM debian\n"
                              "# hadolint ignore=DL3008, DL3015\n"
                              "\n"
                              "RUN apt-get install -y curl\n"
                              "# brig ignore=CIS-4.10\n"
                              "ENV A=b\n"
                              "# just a comment\n"
                              "USER x\n");
    assert_int_equal(df->n_global_ignores, 1);
    assert_string_equal(df->global_ignores[0], "DL3006");
    assert_int_equal(df->v[1].n_ignores, 2);
    assert_string_equal(df->v[1].ignores[1], "DL3015");
    assert_int_equal(df->v[2].n_ignores, 1);
    assert_string_equal(df->v[2].ignores[0], "CIS-4.10");
    assert_int_equal(df->v[3].n_ignores, 0);
    dockerfile_free(df);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(continuation_and_positions),
        cmocka_unit_test(escape_directive_backtick),
        cmocka_unit_test(directives_only_at_top),
        cmocka_unit_test(heredocs),
        cmocka_unit_test(json_and_shell_form),
        cmocka_unit_test(flags_stages_onbuild),
        cmocka_unit_test(errors_and_limits),
        cmocka_unit_test(shell_words),
        cmocka_unit_test(suppression_comments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
