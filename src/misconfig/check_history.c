/* Checks on the build history (the Dockerfile as recorded in the config):
 * ADD vs COPY, remote ADD, package manager hygiene, sudo use and build
 * arguments/ENV lines that carry credentials. */
#include "misconfig/mc.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Normalises both docker ("sh -c #(nop)  ADD ...", "|2 A=b sh -c ...") and
 * buildkit ("ADD ... # buildkit", "RUN |1 A=b sh -c ...") forms (sh = the
 * shell path):
 * returns the instruction ("RUN" for shell lines) and points *rest at its
 * arguments; args/args_len receive the "|N K=V ..." build-arg prefix. */
typedef struct { const char *instr; const char *rest; const char *args; size_t args_len; } hist_line;

static const char *skip_sp(const char *s) { while (*s == ' ' || *s == '\t') s++; return s; }

static bool starts_word(const char *s, const char *w) {
    size_t n = strlen(w);
    return strncmp(s, w, n) == 0 && (s[n] == ' ' || s[n] == '\t' || s[n] == 0);
}

static void parse_line(const char *cb, hist_line *h) {
    static const char *const instrs[] = { "ADD", "COPY", "ENV", "ARG", "USER", "RUN", "LABEL", "EXPOSE", "HEALTHCHECK",
                                          "CMD", "ENTRYPOINT", "WORKDIR", "VOLUME", "ONBUILD", "STOPSIGNAL", "SHELL", "MAINTAINER" };
    memset(h, 0, sizeof *h);
    const char *s = skip_sp(cb);
    if (starts_word(s, "RUN")) s = skip_sp(s + 3);
    if (*s == '|' && isdigit((unsigned char)s[1])) {   /* build args in effect for a RUN */
        const char *p = s + 1;
        while (isdigit((unsigned char)*p)) p++;
        h->args = skip_sp(p);
        const char *sh = strstr(h->args, "/bin/sh -c");
        if (!sh) sh = strstr(h->args, "cmd /S /C");
        h->args_len = sh ? (size_t)(sh - h->args) : strlen(h->args);
        s = sh ? sh : h->args + h->args_len;
    }
    if (!strncmp(s, "/bin/sh -c", 10)) s = skip_sp(s + 10);
    if (!strncmp(s, "#(nop)", 6)) {
        s = skip_sp(s + 6);
        for (size_t i = 0; i < sizeof instrs / sizeof instrs[0]; i++)
            if (starts_word(s, instrs[i])) { h->instr = instrs[i]; h->rest = skip_sp(s + strlen(instrs[i])); return; }
        h->instr = "NOP"; h->rest = s;
        return;
    }
    for (size_t i = 0; i < sizeof instrs / sizeof instrs[0]; i++)
        if (starts_word(s, instrs[i])) { h->instr = instrs[i]; h->rest = skip_sp(s + strlen(instrs[i])); return; }
    h->instr = "RUN"; h->rest = s;
}

/* "K=V K2=V2 ..." (values may be quoted): reports suspicious names with a literal value. */
static void check_assignments(mc_ctx *c, const char *s, size_t n, const char *file, const char *what) {
    char *buf = xstrndup(s, n);
    char *p = buf;
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        char *name = p;
        while (*p && *p != '=' && *p != ' ' && *p != '\t') p++;
        size_t name_len = (size_t)(p - name);
        char *val = NULL;
        if (*p == '=') {
            p++;
            val = p;
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                val = p;
                while (*p && *p != q) { if (*p == '\\' && p[1]) p++; p++; }
                if (*p) *p++ = 0;
            } else {
                while (*p && *p != ' ' && *p != '\t') p++;
                if (*p) *p++ = 0;
            }
        } else if (*p) {
            *p++ = 0;
        }
        if (val && mc_suspicious_name(name, name_len) && mc_literal_value(val))
            mc_report(c, "CIS-DI-0010", file, 0, "%s %.*s is given a literal value (%zu characters) that is recorded in the image history",
                      what, (int)name_len, name, strlen(val));
    }
    free(buf);
}

static bool has_word(const char *s, const char *w) {
    size_t n = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w)) {
        bool left = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '-' || p[-1] == '_' || p[-1] == '/');
        bool right = !(isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_');
        if (left && right) return true;
    }
    return false;
}

static void check_run(mc_ctx *c, const char *cmd, const char *file) {
    if ((has_word(cmd, "apt-get") || has_word(cmd, "apt")) && (strstr(cmd, " upgrade") || strstr(cmd, "dist-upgrade")))
        mc_report(c, "DKL-DI-0003", file, 0, "the build upgrades packages in place");
    if (has_word(cmd, "apk") && strstr(cmd, " add") && !strstr(cmd, "--no-cache"))
        mc_report(c, "DKL-DI-0004", file, 0, "apk add without --no-cache keeps /var/cache/apk");
    bool update = strstr(cmd, "apt-get update") || strstr(cmd, "apt update") || strstr(cmd, "apk update") ||
                  strstr(cmd, "yum update") || strstr(cmd, "dnf update") || strstr(cmd, "yum makecache");
    bool install = strstr(cmd, " install") || strstr(cmd, "apk add") || strstr(cmd, " upgrade");
    if (update && !install)
        mc_report(c, "CIS-DI-0007", file, 0, "package index updated in a RUN that installs nothing");
    if (has_word(cmd, "sudo"))
        mc_report(c, "DKL-DI-0001", file, 0, "the build runs commands through sudo");
}

static void check_add(mc_ctx *c, const char *rest, const char *file) {
    /* flags like --chown=... come first */
    const char *s = rest;
    while (!strncmp(s, "--", 2)) { while (*s && *s != ' ') s++; s = skip_sp(s); }
    if (!strncmp(s, "file:", 5) || !strncmp(s, "dir:", 4) || !strncmp(s, "multi:", 6)) return;   /* base image rootfs */
    if (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "ftp://", 6) || !strncmp(s, "git@", 4)) {
        int n = (int)strcspn(s, " ");
        mc_report(c, "BRIG-IMG-001", file, 0, "ADD %.*s", n > 200 ? 200 : n, s);
        return;
    }
    int n = (int)strcspn(s, " ");
    mc_report(c, "CIS-DI-0009", file, 0, "ADD %.*s", n > 200 ? 200 : n, s);
}

void mc_check_history(mc_ctx *c) {
    for (size_t i = 0; i < c->img->n_history; i++) {
        const char *cb = c->img->history[i].created_by;
        if (!cb || !*cb) continue;
        char file[48];
        snprintf(file, sizeof file, "history[%zu]", i);
        hist_line h;
        parse_line(cb, &h);
        if (h.args) check_assignments(c, h.args, h.args_len, file, "build ARG");
        if (!strcmp(h.instr, "ADD")) check_add(c, h.rest, file);
        else if (!strcmp(h.instr, "RUN")) check_run(c, h.rest, file);
        else if (!strcmp(h.instr, "ENV")) {
            /* legacy "ENV KEY value" form has no '=' */
            const char *sp = strchr(h.rest, ' ');
            if (!strchr(h.rest, '=') && sp) {
                char *kv = xasprintf("%.*s=%s", (int)(sp - h.rest), h.rest, skip_sp(sp));
                check_assignments(c, kv, strlen(kv), file, "ENV");
                free(kv);
            } else check_assignments(c, h.rest, strlen(h.rest), file, "ENV");
        } else if (!strcmp(h.instr, "ARG")) check_assignments(c, h.rest, strlen(h.rest), file, "build ARG");
    }
}
