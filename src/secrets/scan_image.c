/* Secrets in an image: every file of every layer, including the ones a later
 * layer deleted or replaced (they are still in the image for anyone who pulls
 * it), plus the config's Env and Labels and every history line (build args
 * and ENV/RUN lines are recorded there verbatim). */
#include "secrets/scanctx.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    brig_secrets_ctx *c;
    brig_image *img;
} walk_ctx;

static const char *layer_digest(const brig_image *img, size_t i) {
    return i < img->n_layers && img->layers[i].digest ? img->layers[i].digest : NULL;
}

/* "sha256:0123456789ab…" -> "0123456789ab" */
static void short_digest(const char *d, char out[13]) {
    out[0] = 0;
    if (!d) return;
    const char *c = strchr(d, ':');
    snprintf(out, 13, "%s", c ? c + 1 : d);
}

static const char *state_name(brig_entry_state s) {
    return s == BRIG_ENTRY_DELETED ? "deleted" : s == BRIG_ENTRY_REPLACED ? "replaced" : "visible";
}

static char *entry_json(const brig_image *img, const brig_entry *e) {
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(e->path));
    json_object_set_new(o, "layer", json_integer((json_int_t)e->layer));
    const char *d = layer_digest(img, e->layer);
    if (d) json_object_set_new(o, "layer_digest", json_string(d));
    json_object_set_new(o, "state", json_string(state_name(e->state)));
    if (e->state != BRIG_ENTRY_VISIBLE) {
        json_object_set_new(o, "removed_in", json_integer((json_int_t)e->removed_in));
        const char *rd = layer_digest(img, e->removed_in);
        if (rd) json_object_set_new(o, "removed_in_digest", json_string(rd));
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* Reads the whole entry (the caller checked it fits the size limit). */
static int read_entry(brig_secrets_ctx *c, const brig_entry *e, brig_reader *r, size_t *len) {
    size_t want = (size_t)e->size + 1;
    if (want > c->cap) { free(c->buf); c->cap = want < 65536 ? 65536 : want; c->buf = xmalloc(c->cap); }
    size_t n = 0;
    while (n < c->cap - 1) {
        ssize_t got = brig_reader_read(r, c->buf + n, c->cap - 1 - n);
        if (got < 0) return BRIG_EXIT_INPUT;   /* message recorded by the reader */
        if (got == 0) break;
        n += (size_t)got;
    }
    c->buf[n] = 0;
    *len = n;
    return 0;
}

static int on_entry(void *ctx, const brig_entry *e, brig_reader *r) {
    walk_ctx *w = ctx;
    brig_secrets_ctx *c = w->c;
    if (e->type != BRIG_FT_REG) return 0;   /* hardlinks share a regular file's content: scanned there */
    if (!c->opts->include_deleted && e->state != BRIG_ENTRY_VISIBLE) return 0;
    if (brig_secrets_ctx_path_skipped(c, e->path)) { c->files_skipped++; return 0; }
    if (e->size > c->opts->max_file_bytes) {
        brig_debug("layer %zu: %s: %llu bytes is over the --secret-max-size limit, skipped", e->layer, e->path,
                   (unsigned long long)e->size);
        c->files_skipped++;
        return 0;
    }
    size_t len;
    int rc = read_entry(c, e, r, &len);
    if (rc) return brig_fail_context(rc, "layer %zu: %s", e->layer, e->path);
    if (brig_secrets_is_binary(c->buf, len)) { c->files_skipped++; return 0; }
    char sd[13], label_buf[64];
    short_digest(layer_digest(w->img, e->layer), sd);
    char *label = sd[0] ? xasprintf("%s:%s", sd, e->path) : xstrdup(e->path);
    char *extra = entry_json(w->img, e);
    char *where = NULL;
    if (e->state != BRIG_ENTRY_VISIBLE) {
        short_digest(layer_digest(w->img, e->removed_in), sd);
        snprintf(label_buf, sizeof label_buf, "%s%s%s", sd[0] ? " (" : "", sd, sd[0] ? ")" : "");
        where = xasprintf("in layer %zu, %s by layer %zu%s but still readable in the image", e->layer,
                          state_name(e->state), e->removed_in, label_buf);
    }
    c->label = label; c->extra_json = extra; c->where = where;
    rc = brig_secrets_ctx_scan(c, e->path, c->buf, len);
    c->label = NULL; c->extra_json = NULL; c->where = NULL;
    free(label); free(extra); free(where);
    return rc;
}

static int scan_string(brig_secrets_ctx *c, const char *label, const char *extra, const char *s) {
    if (!s) return 0;
    c->label = label; c->extra_json = extra;
    int rc = brig_secrets_ctx_scan(c, NULL, s, strlen(s));
    c->label = NULL; c->extra_json = NULL;
    return rc;
}

static int scan_config(brig_secrets_ctx *c, const brig_image *img) {
    int rc = 0;
    for (size_t i = 0; i < img->n_env && !rc; i++) {
        char *x = xasprintf("{\"source\":\"config.Env\",\"index\":%zu}", i);
        char *label = xasprintf("config:Env[%zu]", i);
        rc = scan_string(c, label, x, img->env[i]);
        free(x); free(label);
    }
    for (size_t i = 0; i < img->n_labels && !rc; i++) {
        char *kv = xasprintf("%s=%s", img->label_keys[i], img->label_values[i] ? img->label_values[i] : "");
        json_t *o = json_pack("{s:s, s:s}", "source", "config.Labels", "label", img->label_keys[i]);
        char *x = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        rc = scan_string(c, "config:Labels", x, kv);
        free(kv); free(x);
    }
    for (size_t i = 0; i < img->n_history && !rc; i++) {
        char label[48];
        snprintf(label, sizeof label, "history[%zu]", i);
        char *x = xasprintf("{\"source\":\"history\",\"index\":%zu}", i);
        rc = scan_string(c, label, x, img->history[i].created_by);
        if (!rc) rc = scan_string(c, label, x, img->history[i].comment);
        free(x);
    }
    return rc;
}

int brig_secrets_scan_image(brig_image *img, const brig_secrets_opts *o, brig_findings *out) {
    brig_secrets_opts def;
    if (!o) { brig_secrets_opts_default(&def); o = &def; }
    brig_secrets_ctx c;
    int rc = brig_secrets_ctx_init(&c, o, out);
    if (rc) return rc;
    /* Results from a walk that failed (e.g. a digest mismatch) are void:
     * findings are added to a private list and only handed over on success. */
    brig_findings mine = {0};
    c.out = &mine;
    walk_ctx w = { &c, img };
    rc = brig_image_walk(img, o->include_deleted ? 0 : BRIG_WALK_VISIBLE_ONLY, on_entry, &w);
    if (!rc) rc = scan_config(&c, img);
    brig_debug("secrets: %zu files/strings (%zu bytes) scanned, %zu skipped in %s", c.files_scanned, c.bytes_scanned,
               c.files_skipped, img->ref ? img->ref : "image");
    /* A failed pass reports nothing rather than part of the image. */
    if (!rc) brig_findings_move(out, &mine);
    brig_findings_free(&mine);
    brig_secrets_ctx_free(&c);
    return rc;
}
