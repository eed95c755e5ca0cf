/* Image config JSON -> brig_image fields: platform, runtime defaults,
 * diff_ids, and the history <-> layer mapping (empty_layer entries made no
 * layer, every other entry made the next one). */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define MAX_HISTORY 65536

static char *dupstr(const json_t *o, const char *k) {
    const char *s = brig_json_str(o, k);
    return s ? xstrdup(s) : NULL;
}

/* Keys of an object ({"80/tcp":{}}) as a string vector. */
static char **keys_of(const json_t *o, size_t *n) {
    *n = 0;
    if (!json_is_object(o)) return NULL;
    char **v = xcalloc(json_object_size(o) + 1, sizeof *v);
    const char *k; json_t *val;
    json_object_foreach((json_t *)o, k, val) { (void)val; v[(*n)++] = xstrdup(k); }
    return v;
}

static int strv_member(const char *name, const json_t *c, const char *key, char ***out, size_t *n) {
    json_t *a = json_object_get(c, key);
    *out = NULL; *n = 0;
    if (!a || json_is_null(a)) return 0;
    if (json_is_string(a)) {   /* some builders write "Cmd": "sh" */
        *out = xcalloc(2, sizeof **out);
        (*out)[0] = xstrdup(json_string_value(a));
        *n = 1;
        return 0;
    }
    if (!json_is_array(a)) return brig_fail(BRIG_EXIT_INPUT, "%s: /config/%s: expected an array of strings", name, key);
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!json_is_string(json_array_get(a, i)))
            return brig_fail(BRIG_EXIT_INPUT, "%s: /config/%s/%zu: expected a string", name, key, i);
    *out = brig_json_strv(a, n);
    return 0;
}

int image_config_apply(const char *name, json_t *config, brig_image *img) {
    if (!json_is_object(config)) return brig_fail(BRIG_EXIT_INPUT, "%s: expected a JSON object (image config)", name);
    img->os = dupstr(config, "os");
    img->arch = dupstr(config, "architecture");
    img->variant = dupstr(config, "variant");
    img->created = dupstr(config, "created");
    json_t *c = json_object_get(config, "config");
    if (c && !json_is_object(c) && !json_is_null(c)) return brig_fail(BRIG_EXIT_INPUT, "%s: /config: expected an object", name);
    int rc;
    if (json_is_object(c)) {
        img->user = dupstr(c, "User");
        img->workdir = dupstr(c, "WorkingDir");
        img->stop_signal = dupstr(c, "StopSignal");
        if ((rc = strv_member(name, c, "Env", &img->env, &img->n_env))) return rc;
        if ((rc = strv_member(name, c, "Entrypoint", &img->entrypoint, &img->n_entrypoint))) return rc;
        if ((rc = strv_member(name, c, "Cmd", &img->cmd, &img->n_cmd))) return rc;
        img->exposed_ports = keys_of(json_object_get(c, "ExposedPorts"), &img->n_exposed_ports);
        img->volumes = keys_of(json_object_get(c, "Volumes"), &img->n_volumes);
        json_t *labels = json_object_get(c, "Labels");
        if (json_is_object(labels)) {
            size_t n = json_object_size(labels);
            img->label_keys = xcalloc(n + 1, sizeof(char *));
            img->label_values = xcalloc(n + 1, sizeof(char *));
            const char *k; json_t *v;
            json_object_foreach(labels, k, v) {
                img->label_keys[img->n_labels] = xstrdup(k);
                img->label_values[img->n_labels++] = xstrdup(json_is_string(v) ? json_string_value(v) : "");
            }
        }
        json_t *hc = json_object_get(c, "Healthcheck");
        if (json_is_object(hc)) {
            json_t *t = json_object_get(hc, "Test");
            if (t && !json_is_array(t)) return brig_fail(BRIG_EXIT_INPUT, "%s: /config/Healthcheck/Test: expected an array", name);
            if (t) img->healthcheck = brig_json_strv(t, &img->n_healthcheck);
        }
    }
    /* rootfs.diff_ids: one per layer, in order */
    json_t *rootfs = json_object_get(config, "rootfs");
    json_t *ids = json_object_get(rootfs, "diff_ids");
    if (!json_is_object(rootfs)) return brig_fail(BRIG_EXIT_INPUT, "%s: /rootfs: missing or not an object", name);
    const char *rt = brig_json_str(rootfs, "type");
    if (!rt || strcmp(rt, "layers")) return brig_fail(BRIG_EXIT_INPUT, "%s: /rootfs/type: expected \"layers\"", name);
    if (!json_is_array(ids)) return brig_fail(BRIG_EXIT_INPUT, "%s: /rootfs/diff_ids: missing or not an array", name);
    size_t nd = json_array_size(ids);
    if (!img->layers) {   /* config parsed alone (fuzzing): one layer per diff_id */
        if (nd > 4096) return brig_fail(BRIG_EXIT_UNSAFE, "%s: /rootfs/diff_ids: too many layers", name);
        img->layers = xcalloc(nd + 1, sizeof *img->layers);
        img->n_layers = nd;
    }
    if (nd != img->n_layers)
        return brig_fail(BRIG_EXIT_INPUT, "%s: /rootfs/diff_ids: %zu entries but the manifest lists %zu layers", name, nd, img->n_layers);
    for (size_t i = 0; i < nd; i++) {
        const char *d = json_string_value(json_array_get(ids, i));
        if (!d || !brig_digest_valid(d, NULL))
            return brig_fail(BRIG_EXIT_INPUT, "%s: /rootfs/diff_ids/%zu: not a valid sha256 digest", name, i);
        free(img->layers[i].diff_id);
        img->layers[i].diff_id = xstrdup(d);
    }
    json_t *hist = json_object_get(config, "history");
    if (hist && !json_is_array(hist)) return brig_fail(BRIG_EXIT_INPUT, "%s: /history: expected an array", name);
    size_t nh = json_array_size(hist);
    if (nh > MAX_HISTORY) return brig_fail(BRIG_EXIT_UNSAFE, "%s: /history: %zu entries exceed the limit", name, nh);
    img->history = xcalloc(nh + 1, sizeof *img->history);
    size_t next_layer = 0;
    for (size_t i = 0; i < nh; i++) {
        json_t *h = json_array_get(hist, i);
        if (!json_is_object(h)) return brig_fail(BRIG_EXIT_INPUT, "%s: /history/%zu: expected an object", name, i);
        brig_history *bh = &img->history[img->n_history++];
        bh->created = dupstr(h, "created");
        bh->created_by = dupstr(h, "created_by");
        bh->comment = dupstr(h, "comment");
        bh->empty_layer = json_is_true(json_object_get(h, "empty_layer"));
        bh->layer_index = -1;
        if (!bh->empty_layer && next_layer < img->n_layers) {
            bh->layer_index = (long)next_layer;
            if (bh->created_by && !img->layers[next_layer].created_by)
                img->layers[next_layer].created_by = xstrdup(bh->created_by);
            next_layer++;
        }
    }
    return 0;
}
