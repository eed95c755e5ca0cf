/* .trivyignore.yaml:
 *   vulnerabilities:
 *     - id: CVE-2022-40897
 *       paths: ["usr/lib/python3/dist-packages/setuptools*"]
 *       statement: not reachable
 *       expired_at: 2024-09-01
 *   secrets: [ {id: aws-access-key-id} ]
 *   misconfigurations: [ {id: CIS-DI-0001} ]
 * All sections feed one list (IDs do not collide across scanners).  Errors name
 * file:line:column from libyaml's marks. */
#include "scan/ignore.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define IGNORE_MAX_ENTRIES 100000
#define IGNORE_MAX_PATHS 1000

int brig_ignore_days_in(int y, int m);

static const char *scalar(yaml_document_t *d, yaml_node_t *n) {
    (void)d;
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int bad(const char *file, yaml_node_t *n, const char *what) {
    return brig_fail(BRIG_EXIT_INPUT, "%s:%zu:%zu: %s", file, n ? n->start_mark.line + 1 : 0, n ? n->start_mark.column + 1 : 0, what);
}

static int entry(const char *file, yaml_document_t *d, yaml_node_t *n, long today, brig_ignore *out, size_t *cap) {
    if (n->type != YAML_MAPPING_NODE) return bad(file, n, "each ignore entry must be a mapping with an 'id'");
    brig_ignore_entry e = { .line = n->start_mark.line + 1 };
    int rc = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top && !rc; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key), *v = yaml_document_get_node(d, p->value);
        const char *key = scalar(d, k);
        if (!key) { rc = bad(file, k, "keys must be plain strings"); break; }
        if (!strcmp(key, "id")) {
            if (!scalar(d, v) || !*scalar(d, v)) { rc = bad(file, v, "'id' must be a non-empty string"); break; }
            free(e.id); e.id = xstrdup(scalar(d, v));
        } else if (!strcmp(key, "expired_at")) {
            int y, m, dd, used = 0;
            const char *s = scalar(d, v);
            if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &dd, &used) != 3 || s[used] || m < 1 || m > 12 || dd < 1 ||
                y < 1970 || dd > brig_ignore_days_in(y, m)) { rc = bad(file, v, "'expired_at' must be a date YYYY-MM-DD"); break; }
            e.exp_y = y; e.exp_m = m; e.exp_d = dd;
            e.expired = (long)y * 10000 + m * 100 + dd <= today;
        } else if (!strcmp(key, "paths")) {
            if (v->type != YAML_SEQUENCE_NODE) { rc = bad(file, v, "'paths' must be a list of path patterns"); break; }
            for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
                yaml_node_t *pn = yaml_document_get_node(d, *it);
                if (!scalar(d, pn)) { rc = bad(file, pn, "a path pattern must be a string"); break; }
                if (e.n_paths >= IGNORE_MAX_PATHS) { rc = bad(file, pn, "too many paths in one entry"); break; }
                e.paths = xrealloc(e.paths, (e.n_paths + 1) * sizeof *e.paths);
                /* image paths are relative ("usr/lib/x"): accept "/usr/lib/x" too */
                const char *pat = scalar(d, pn);
                e.paths[e.n_paths++] = xstrdup(pat[0] == '/' ? pat + 1 : pat);
            }
        } else if (!strcmp(key, "statement") || !strcmp(key, "purls")) {
            /* statement: documentation only; purls: not supported yet -> refuse rather than over-ignore */
            if (!strcmp(key, "purls")) rc = bad(file, k, "'purls' is not supported by this build; use 'paths'");
        } else {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown key '%.60s' (id, paths, expired_at, statement)", key);
            rc = bad(file, k, msg);
        }
    }
    if (!rc && !e.id) rc = bad(file, n, "ignore entry without 'id'");
    if (!rc && out->n >= IGNORE_MAX_ENTRIES) rc = bad(file, n, "too many ignore entries");
    if (rc) {
        free(e.id);
        for (size_t i = 0; i < e.n_paths; i++) free(e.paths[i]);
        free(e.paths);
        return rc;
    }
    out->v = xgrow(out->v, cap, out->n + 1, sizeof *out->v);
    out->v[out->n++] = e;
    return 0;
}

int brig_ignore_parse_yaml(const char *file, const char *buf, size_t len, time_t now, brig_ignore *out) {
    memset(out, 0, sizeof *out);
    out->file = xstrdup(file);
    struct tm tm; gmtime_r(&now, &tm);
    long today = (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    yaml_parser_t p;
    yaml_document_t d;
    if (!yaml_parser_initialize(&p)) return brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot initialise the YAML parser", file);
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&p, &d)) {
        int rc = brig_fail(BRIG_EXIT_INPUT, "%s:%zu:%zu: invalid YAML: %s", file, p.problem_mark.line + 1,
                           p.problem_mark.column + 1, p.problem ? p.problem : "parse error");
        yaml_parser_delete(&p);
        brig_ignore_free(out);
        return rc;
    }
    int rc = 0;
    size_t cap = 0;
    yaml_node_t *root = yaml_document_get_root_node(&d);
    if (root && root->type != YAML_MAPPING_NODE) rc = bad(file, root, "the ignore file must be a mapping (vulnerabilities:, secrets:, misconfigurations:)");
    for (yaml_node_pair_t *pr = root && !rc ? root->data.mapping.pairs.start : NULL; pr && pr < root->data.mapping.pairs.top && !rc; pr++) {
        yaml_node_t *k = yaml_document_get_node(&d, pr->key), *v = yaml_document_get_node(&d, pr->value);
        const char *key = scalar(&d, k);
        if (!key || (strcmp(key, "vulnerabilities") && strcmp(key, "secrets") && strcmp(key, "misconfigurations") && strcmp(key, "licenses"))) {
            rc = bad(file, k, "unknown section (vulnerabilities, secrets, misconfigurations, licenses)");
            break;
        }
        if (v->type == YAML_SCALAR_NODE && !*scalar(&d, v)) continue;   /* "secrets:" left empty */
        if (v->type != YAML_SEQUENCE_NODE) { rc = bad(file, v, "a section must be a list of entries"); break; }
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top && !rc; it++)
            rc = entry(file, &d, yaml_document_get_node(&d, *it), today, out, &cap);
    }
    yaml_document_delete(&d);
    yaml_parser_delete(&p);
    if (rc) brig_ignore_free(out);
    return rc;
}
