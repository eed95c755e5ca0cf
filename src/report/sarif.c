#include "report/sarif.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BRIG_VERSION
#define BRIG_VERSION "0.0.0"
#endif

struct brig_sarif {
    json_t *doc, *rules, *results, *rule_index;   /* rule_index: id -> index */
};

brig_sarif *brig_sarif_new(const char *command) {
    brig_sarif *s = xcalloc(1, sizeof *s);
    s->doc = json_object();
    json_object_set_new(s->doc, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(s->doc, "version", json_string("2.1.0"));
    json_t *driver = json_object();
    json_object_set_new(driver, "name", json_string("brig"));
    json_object_set_new(driver, "version", json_string(BRIG_VERSION));
    json_object_set_new(driver, "semanticVersion", json_string(BRIG_VERSION));
    json_object_set_new(driver, "informationUri", json_string("https://github.com/brig-security/brig"));
    s->rules = json_array();
    json_object_set(driver, "rules", s->rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);
    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    s->results = json_array();
    json_object_set(run, "results", s->results);
    json_t *inv = json_object();
    json_object_set_new(inv, "executionSuccessful", json_true());
    if (command) {
        char *cl = xasprintf("brig %s", command);
        json_object_set_new(inv, "commandLine", json_string(cl));
        free(cl);
    }
    json_t *invs = json_array();
    json_array_append_new(invs, inv);
    json_object_set_new(run, "invocations", invs);
    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_object_set_new(s->doc, "runs", runs);
    s->rule_index = json_object();
    return s;
}

static double default_score(brig_severity sev) {
    switch (sev) {
    case BRIG_SEV_CRITICAL: return 9.5;
    case BRIG_SEV_HIGH: return 8.0;
    case BRIG_SEV_MEDIUM: return 5.5;
    case BRIG_SEV_LOW: return 2.0;
    default: return 0.0;
    }
}

static json_t *text(const char *t) {
    json_t *o = json_object();
    json_object_set_new(o, "text", json_string(t ? t : ""));
    return o;
}

size_t brig_sarif_rule(brig_sarif *s, const char *id, const char *title, const char *description,
                       const char *fix, const char *help_uri, brig_severity sev, double score) {
    json_t *known = json_object_get(s->rule_index, id);
    if (known) return (size_t)json_integer_value(known);
    size_t idx = json_array_size(s->rules);
    json_t *r = json_object();
    json_object_set_new(r, "id", json_string(id));
    json_object_set_new(r, "name", json_string(id));
    json_object_set_new(r, "shortDescription", text(title ? title : id));
    json_object_set_new(r, "fullDescription", text(description ? description : (title ? title : id)));
    if (fix || description) {
        char *h = xasprintf("%s%s%s", description ? description : "", (fix && description) ? "\nFix: " : (fix ? "Fix: " : ""), fix ? fix : "");
        json_object_set_new(r, "help", text(h));
        free(h);
    }
    if (help_uri) json_object_set_new(r, "helpUri", json_string(help_uri));
    json_t *dc = json_object();
    json_object_set_new(dc, "level", json_string(brig_severity_sarif_level(sev)));
    json_object_set_new(r, "defaultConfiguration", dc);
    json_t *props = json_object();
    char sc[16];
    snprintf(sc, sizeof sc, "%.1f", score >= 0 ? score : default_score(sev));
    json_object_set_new(props, "security-severity", json_string(sc));
    json_t *tags = json_array();
    json_array_append_new(tags, json_string("security"));
    json_object_set_new(props, "tags", tags);
    json_object_set_new(r, "properties", props);
    json_array_append_new(s->rules, r);
    json_object_set_new(s->rule_index, id, json_integer((json_int_t)idx));
    return idx;
}

void brig_sarif_result(brig_sarif *s, size_t rule, brig_severity sev, const char *message,
                       const char *uri, int line, int column, json_t *props) {
    json_t *res = json_object();
    json_t *r = json_array_get(s->rules, rule);
    json_object_set_new(res, "ruleId", json_incref(json_object_get(r, "id")));
    json_object_set_new(res, "ruleIndex", json_integer((json_int_t)rule));
    json_object_set_new(res, "level", json_string(brig_severity_sarif_level(sev)));
    json_object_set_new(res, "message", text(message));
    json_t *pl = json_object();
    json_t *al = json_object();
    json_object_set_new(al, "uri", json_string(uri && *uri ? uri : "unknown"));
    json_object_set_new(pl, "artifactLocation", al);
    if (line > 0) {   /* SARIF requires startLine >= 1: omit the region rather than invent one */
        json_t *reg = json_object();
        json_object_set_new(reg, "startLine", json_integer(line));
        if (column > 0) json_object_set_new(reg, "startColumn", json_integer(column));
        json_object_set_new(pl, "region", reg);
    }
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", pl);
    json_t *locs = json_array();
    json_array_append_new(locs, loc);
    json_object_set_new(res, "locations", locs);
    if (props && json_object_size(props)) json_object_set_new(res, "properties", props);
    else json_decref(props);
    json_array_append_new(s->results, res);
}

json_t *brig_sarif_finish(brig_sarif *s) {
    json_t *doc = s->doc;
    json_decref(s->rules);
    json_decref(s->results);
    json_decref(s->rule_index);
    free(s);
    return doc;
}
