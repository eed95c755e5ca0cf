/* A small open-addressing hash map from strings to fixed-size values.  Layer
 * walking tracks every path of every layer, so this must stay O(1) per path. */
#include "image/image_internal.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 1099511628211ULL; }
    return h;
}

void strmap_init(strmap *m, size_t val_size) {
    memset(m, 0, sizeof *m);
    m->val_size = val_size ? val_size : 1;
}

void strmap_free(strmap *m) {
    for (size_t i = 0; i < m->n; i++) free(m->keys[i]);
    free(m->keys); free(m->vals); free(m->slots);
    memset(m, 0, sizeof *m);
}

static size_t find_slot(const strmap *m, const char *key, size_t klen, bool *found) {
    size_t mask = m->nslots - 1, i = hash(key, klen) & mask;
    for (;;) {
        uint32_t s = m->slots[i];
        if (!s) { *found = false; return i; }
        const char *k = m->keys[s - 1];
        if (strncmp(k, key, klen) == 0 && k[klen] == 0) { *found = true; return i; }
        i = (i + 1) & mask;
    }
}

void *strmap_getn(const strmap *m, const char *key, size_t klen) {
    if (!m->nslots) return NULL;
    bool found;
    size_t i = find_slot(m, key, klen, &found);
    return found ? strmap_val(m, m->slots[i] - 1) : NULL;
}

void *strmap_get(const strmap *m, const char *key) { return strmap_getn(m, key, strlen(key)); }

static void rehash(strmap *m) {
    size_t ns = m->nslots ? m->nslots * 2 : 64;
    free(m->slots);
    m->slots = xcalloc(ns, sizeof *m->slots);
    m->nslots = ns;
    for (size_t k = 0; k < m->n; k++) {
        bool found;
        size_t i = find_slot(m, m->keys[k], strlen(m->keys[k]), &found);
        m->slots[i] = (uint32_t)(k + 1);
    }
}

void *strmap_put(strmap *m, const char *key, bool *created) {
    size_t klen = strlen(key);
    if ((m->n + 1) * 4 >= m->nslots * 3) rehash(m);
    bool found;
    size_t i = find_slot(m, key, klen, &found);
    if (created) *created = !found;
    if (found) return strmap_val(m, m->slots[i] - 1);
    if (m->n == m->cap) {
        size_t cap = m->cap;
        m->keys = xgrow(m->keys, &cap, m->n + 1, sizeof *m->keys);
        m->vals = xrealloc(m->vals, cap * m->val_size);
        m->cap = cap;
    }
    m->keys[m->n] = xstrndup(key, klen);
    memset(m->vals + m->n * m->val_size, 0, m->val_size);
    m->slots[i] = (uint32_t)(m->n + 1);
    return strmap_val(m, m->n++);
}
