/* The `brig inspect --format json` document (schema documented in
 * cmd_inspect's --help; other tools depend on these member names). */
#include "image/image_internal.h"
#include "image/inspect.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* Image strings are untrusted bytes; JSON needs UTF-8, so escape the rest as \xNN. */
static json_t *jsafe(const char *s) {
    json_t *j = json_string(s);
    if (j) return j;
    char *e = xmalloc(strlen(s) * 4 + 1), *o = e;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) *o++ = (char)*p;
        else o += sprintf(o, "\\x%02x", *p);
    }
    *o = 0;
    j = json_string(e);
    free(e);
    return j ? j : json_string("?");
}
static json_t *jstr(const char *s) { return s ? jsafe(s) : json_null(); }

static json_t *jstrv(char **v, size_t n, bool null_if_absent) {
    if (!v && null_if_absent) return json_null();
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, jsafe(v[i]));
    return a;
}

typedef struct { char *path; const brig_fsnode *n; } file_row;

static void collect(const brig_fsnode *n, file_row **rows, size_t *cnt, size_t *cap) {
    for (const brig_fsnode *c = n->children; c; c = c->next) {
        *rows = xgrow(*rows, cap, *cnt + 1, sizeof **rows);
        (*rows)[(*cnt)++] = (file_row){ brig_fsnode_path(c), c };
        if (c->children) collect(c, rows, cnt, cap);
    }
}
static int cmp_row(const void *a, const void *b) { return strcmp(((const file_row *)a)->path, ((const file_row *)b)->path); }

size_t inspect_sorted_files(const brig_fsview *v, inspect_file **out) {
    file_row *rows = NULL; size_t cnt = 0, cap = 0;
    collect(v->root, &rows, &cnt, &cap);
    qsort(rows, cnt, sizeof *rows, cmp_row);
    *out = xcalloc(cnt + 1, sizeof **out);
    for (size_t i = 0; i < cnt; i++) { (*out)[i].path = rows[i].path; (*out)[i].node = rows[i].n; }
    free(rows);
    return cnt;
}

json_t *inspect_to_json(brig_image *img, const brig_fsview *files, bool verified) {
    json_t *o = json_object();
    json_object_set_new(o, "reference", jsafe(img->ref));
    json_object_set_new(o, "form", json_string(brig_image_kind_name(img->kind)));
    json_object_set_new(o, "tag", jstr(img->tag));
    json_object_set_new(o, "digest", jstr(img->manifest_digest));
    json_object_set_new(o, "config_digest", jstr(img->config_digest));
    json_object_set_new(o, "os", jstr(img->os));
    json_object_set_new(o, "architecture", jstr(img->arch));
    json_object_set_new(o, "variant", jstr(img->variant));
    json_object_set_new(o, "created", jstr(img->created));
    json_object_set_new(o, "user", jstr(img->user));
    json_object_set_new(o, "workdir", jstr(img->workdir));
    json_object_set_new(o, "env", jstrv(img->env, img->n_env, false));
    json_object_set_new(o, "entrypoint", jstrv(img->entrypoint, img->n_entrypoint, true));
    json_object_set_new(o, "cmd", jstrv(img->cmd, img->n_cmd, true));
    json_object_set_new(o, "exposed_ports", jstrv(img->exposed_ports, img->n_exposed_ports, false));
    json_object_set_new(o, "volumes", jstrv(img->volumes, img->n_volumes, false));
    json_t *labels = json_object();
    for (size_t i = 0; i < img->n_labels; i++) {
        json_t *k = jsafe(img->label_keys[i]);
        json_object_set_new(labels, json_string_value(k), jsafe(img->label_values[i]));
        json_decref(k);
    }
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "stop_signal", jstr(img->stop_signal));
    json_object_set_new(o, "healthcheck", jstrv(img->healthcheck, img->n_healthcheck, true));
    json_t *layers = json_array();
    for (size_t i = 0; i < img->n_layers; i++) {
        const brig_layer *l = &img->layers[i];
        json_t *j = json_object();
        json_object_set_new(j, "index", json_integer((json_int_t)i));
        json_object_set_new(j, "digest", jstr(l->digest));
        json_object_set_new(j, "diff_id", jstr(l->diff_id));
        json_object_set_new(j, "media_type", jstr(l->media_type));
        json_object_set_new(j, "size", json_integer((json_int_t)l->size));
        json_object_set_new(j, "created_by", jstr(l->created_by));
        json_array_append_new(layers, j);
    }
    json_object_set_new(o, "layers", layers);
    json_t *hist = json_array();
    for (size_t i = 0; i < img->n_history; i++) {
        const brig_history *h = &img->history[i];
        json_t *j = json_object();
        json_object_set_new(j, "created", jstr(h->created));
        json_object_set_new(j, "created_by", jstr(h->created_by));
        json_object_set_new(j, "comment", jstr(h->comment));
        json_object_set_new(j, "empty_layer", json_boolean(h->empty_layer));
        json_object_set_new(j, "layer", h->layer_index >= 0 ? json_integer(h->layer_index) : json_null());
        json_array_append_new(hist, j);
    }
    json_object_set_new(o, "history", hist);
    if (verified) json_object_set_new(o, "verified_blobs", json_integer(img->kind == BRIG_IMG_DIR ? 0 : (json_int_t)img->n_layers));
    if (files) {
        inspect_file *rows;
        size_t n = inspect_sorted_files(files, &rows);
        json_t *fa = json_array();
        for (size_t i = 0; i < n; i++) {
            const brig_fsnode *f = rows[i].node;
            char mode[8];
            snprintf(mode, sizeof mode, "%04o", f->mode & 07777);
            json_t *j = json_object();
            json_object_set_new(j, "path", jsafe(rows[i].path));
            json_object_set_new(j, "type", json_string(brig_ftype_name(f->type)));
            json_object_set_new(j, "mode", json_string(mode));
            json_object_set_new(j, "uid", json_integer(f->uid));
            json_object_set_new(j, "gid", json_integer(f->gid));
            json_object_set_new(j, "size", json_integer((json_int_t)f->size));
            json_object_set_new(j, "link", jstr(f->linkname));
            json_object_set_new(j, "layer", json_integer((json_int_t)f->layer));
            json_array_append_new(fa, j);
            free(rows[i].path);
        }
        free(rows);
        json_object_set_new(o, "files", fa);
        json_t *da = json_array();
        for (size_t i = 0; i < files->n_deleted; i++) {
            const brig_deleted *d = &files->deleted[i];
            json_t *j = json_object();
            json_object_set_new(j, "path", jsafe(d->path));
            json_object_set_new(j, "type", json_string(brig_ftype_name(d->type)));
            json_object_set_new(j, "size", json_integer((json_int_t)d->size));
            json_object_set_new(j, "layer", json_integer((json_int_t)d->layer));
            json_object_set_new(j, "removed_in", json_integer((json_int_t)d->removed_in));
            json_array_append_new(da, j);
        }
        json_object_set_new(o, "deleted", da);
    }
    return o;
}
