/* Shared scanner state: picks the rule set, applies the user's path
 * allowlist, and turns engine hits into findings with the secret redacted
 * (the full secret is never copied anywhere). */
#include "secrets/scanctx.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void brig_secrets_opts_default(brig_secrets_opts *o) {
    memset(o, 0, sizeof *o);
    o->max_file_bytes = 10u << 20;
    o->include_deleted = true;
}

static int build_engine(brig_secrets_ctx *c, const brig_secrets_opts *o) {
    if (!o->config_path) {
        c->owns_engine = false;
        return brig_secret_engine_default(&c->engine);
    }
    brig_secret_config user, all;
    bool use_default = false;
    int rc = brig_gitleaks_config_load(o->config_path, &user, &use_default);
    if (rc) return rc;
    /* gitleaks: a config replaces the built-in rules unless it says
     * [extend] useDefault = true; callers may ask to always extend. */
    if (use_default || !o->config_replaces) brig_secret_config_default(&all);
    else memset(&all, 0, sizeof all);
    brig_secret_config_merge(&all, &user);
    brig_secret_config_free(&user);
    if (all.n_rules == 0) {
        brig_secret_config_free(&all);
        return brig_fail(BRIG_EXIT_INPUT, "%s: the config defines no [[rules]] and does not extend the defaults; add rules or [extend] useDefault = true",
                         o->config_path);
    }
    rc = brig_secret_engine_new(&all, &c->engine);
    brig_secret_config_free(&all);
    if (rc) return brig_fail_context(rc, "%s", o->config_path);
    c->owns_engine = true;
    return 0;
}

int brig_secrets_ctx_init(brig_secrets_ctx *c, const brig_secrets_opts *o, brig_findings *out) {
    memset(c, 0, sizeof *c);
    c->opts = o;
    c->out = out;
    c->md = pcre2_match_data_create(4, NULL);
    c->allow_paths = xcalloc(o->n_allow_paths + 1, sizeof *c->allow_paths);
    for (size_t i = 0; i < o->n_allow_paths; i++) {
        int err; PCRE2_SIZE off;
        c->allow_paths[i] = pcre2_compile((PCRE2_SPTR)o->allow_paths[i], PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
        if (!c->allow_paths[i]) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            int rc = brig_fail(BRIG_EXIT_USAGE, "allow-path regex '%s' does not compile at offset %zu: %s; fix the regex",
                               o->allow_paths[i], (size_t)off, (char *)msg);
            brig_secrets_ctx_free(c);
            return rc;
        }
        c->n_allow_paths++;
    }
    int rc = build_engine(c, o);
    if (rc) { brig_secrets_ctx_free(c); return rc; }
    return 0;
}

void brig_secrets_ctx_free(brig_secrets_ctx *c) {
    if (c->owns_engine) brig_secret_engine_free(c->engine);
    for (size_t i = 0; i < c->n_allow_paths; i++) pcre2_code_free(c->allow_paths[i]);
    free(c->allow_paths);
    if (c->md) pcre2_match_data_free(c->md);
    free(c->buf);
    memset(c, 0, sizeof *c);
}

bool brig_secrets_ctx_path_skipped(brig_secrets_ctx *c, const char *path) {
    for (size_t i = 0; i < c->n_allow_paths; i++)
        if (pcre2_match(c->allow_paths[i], (PCRE2_SPTR)path, strlen(path), 0, 0, c->md, NULL) >= 0) return true;
    return brig_secret_engine_path_allowed(c->engine, path);
}

static int on_hit(void *ctx, const brig_secret_hit *h, const char *buf) {
    brig_secrets_ctx *c = ctx;
    const brig_secret_rule *r = h->rule;
    strbuf msg = STRBUF_INIT;
    if (r->regex) {
        char red[16];
        brig_secret_redact(buf + h->secret_start, h->secret_end - h->secret_start, red, sizeof red);
        sb_addf(&msg, "%s: %s (%zu characters, entropy %.2f)", r->description ? r->description : r->id, red,
                h->secret_end - h->secret_start, h->entropy);
    } else {
        sb_addf(&msg, "%s: the file's path matches the rule", r->description ? r->description : r->id);
    }
    if (c->where) sb_addf(&msg, " %s", c->where);
    brig_finding *f = brig_findings_add(c->out, r->id, r->severity ? r->severity : BRIG_SEV_HIGH,
                                        r->description ? r->description : r->id, c->label, h->line, msg.buf);
    f->column = h->column;
    brig_finding_set_fix(f, "Anyone who can read the file or pull the image can use the secret, also from a layer whose file a later layer deleted.",
                         "Rotate the secret, remove it from the source and from every image layer and history entry it reached (rebuild; deleting it in a later layer is not enough), and provide it at run time (secret mount or a secret store).",
                         NULL);
    if (c->extra_json) f->extra_json = xstrdup(c->extra_json);
    sb_free(&msg);
    return 0;
}

int brig_secrets_ctx_scan(brig_secrets_ctx *c, const char *path, const char *buf, size_t len) {
    c->files_scanned++;
    c->bytes_scanned += len;
    return brig_secret_scan_buffer(c->engine, path, buf, len, on_hit, c);
}
