/* Unit tests for the findings model and its table/JSON/SARIF writers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/findings.h"
#include "util/err.h"

static char *render(brig_format fmt, const brig_findings *fs) {
    char *buf = NULL; size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(brig_findings_write(f, fmt, fs, "audit"), 0);
    fclose(f);
    return buf;
}

static void fill(brig_findings *fs) {
    brig_finding *f = brig_findings_add(fs, "DL3007", BRIG_SEV_MEDIUM, "base image uses :latest", "Dockerfile", 1, "FROM debian:latest");
    brig_finding_set_fix(f, "latest moves", "pin a tag or digest", NULL);
    f = brig_findings_add(fs, "CIS-5.4", BRIG_SEV_CRITICAL, "privileged container", "compose.yaml", 7, NULL);
    f->column = 5;
    f->extra_json = strdup("{\"service\":\"web\"}");
    brig_findings_add(fs, "DL3007", BRIG_SEV_MEDIUM, "base image uses :latest", "Dockerfile", 9, "FROM alpine");
    brig_findings_add(fs, "BRIG-AUD-001", BRIG_SEV_LOW, "no limit", NULL, 0, NULL);
}

static void test_parse_and_names(void **st) {
    (void)st;
    assert_int_equal(brig_format_parse("SARIF"), BRIG_FMT_SARIF);
    assert_int_equal(brig_format_parse("spdx-json"), BRIG_FMT_SPDX);
    assert_int_equal(brig_format_parse("xml"), -1);
    assert_int_equal(brig_severity_parse("high"), BRIG_SEV_HIGH);
    assert_int_equal(brig_severity_parse("Moderate"), BRIG_SEV_MEDIUM);
    assert_int_equal(brig_severity_parse("bogus"), -1);
    assert_string_equal(brig_severity_sarif_level(BRIG_SEV_CRITICAL), "error");
    assert_string_equal(brig_severity_sarif_level(BRIG_SEV_MEDIUM), "warning");
    assert_string_equal(brig_severity_sarif_level(BRIG_SEV_LOW), "note");
}

static void test_sort_and_count(void **st) {
    (void)st;
    brig_findings fs = {0};
    fill(&fs);
    brig_findings_sort(&fs);
    assert_string_equal(fs.v[0].rule_id, "CIS-5.4");
    assert_int_equal(fs.v[1].line, 1);
    assert_int_equal(fs.v[2].line, 9);
    assert_string_equal(fs.v[3].rule_id, "BRIG-AUD-001");
    assert_int_equal(brig_findings_count_at_least(&fs, BRIG_SEV_MEDIUM), 3);
    assert_int_equal(brig_findings_count_at_least(&fs, BRIG_SEV_CRITICAL), 1);
    brig_findings_free(&fs);
    assert_int_equal(fs.n, 0);
}

static void test_json_output(void **st) {
    (void)st;
    brig_findings fs = {0};
    fill(&fs);
    char *out = render(BRIG_FMT_JSON, &fs);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "summary"), "total")), 4);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "summary"), "MEDIUM")), 2);
    json_t *f1 = json_array_get(json_object_get(j, "findings"), 1);
    assert_string_equal(json_string_value(json_object_get(f1, "service")), "web");
    assert_int_equal(json_integer_value(json_object_get(f1, "column")), 5);
    json_decref(j);
    free(out);
    brig_findings_free(&fs);
}

static void test_sarif_output(void **st) {
    (void)st;
    brig_findings fs = {0};
    fill(&fs);
    char *out = render(BRIG_FMT_SARIF, &fs);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
    json_t *run = json_array_get(json_object_get(j, "runs"), 0);
    json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
    assert_int_equal(json_array_size(rules), 3);   /* DL3007 de-duplicated */
    json_t *results = json_object_get(run, "results");
    assert_int_equal(json_array_size(results), 4);
    json_t *r2 = json_array_get(results, 2);
    assert_string_equal(json_string_value(json_object_get(r2, "ruleId")), "DL3007");
    assert_int_equal(json_integer_value(json_object_get(r2, "ruleIndex")), 0);
    json_t *pl2 = json_object_get(json_array_get(json_object_get(r2, "locations"), 0), "physicalLocation");
    json_t *reg = json_object_get(pl2, "region");
    assert_int_equal(json_integer_value(json_object_get(reg, "startLine")), 9);
    /* a finding without a line has no region (SARIF requires startLine >= 1) */
    json_t *r3 = json_array_get(results, 3);
    json_t *pl3 = json_object_get(json_array_get(json_object_get(r3, "locations"), 0), "physicalLocation");
    assert_null(json_object_get(pl3, "region"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(rules, 1), "properties"), "security-severity")), "9.5");
    json_decref(j);
    free(out);
    brig_findings_free(&fs);
}

static void test_table_output(void **st) {
    (void)st;
    brig_findings fs = {0};
    fill(&fs);
    char *out = render(BRIG_FMT_TABLE, &fs);
    assert_non_null(strstr(out, "CRITICAL"));
    assert_non_null(strstr(out, "compose.yaml:7:5"));
    assert_non_null(strstr(out, "fix: pin a tag or digest"));
    assert_non_null(strstr(out, "4 findings"));
    free(out);
    brig_findings_free(&fs);
    brig_findings empty = {0};
    out = render(BRIG_FMT_TABLE, &empty);
    assert_string_equal(out, "No findings.\n");
    free(out);
}

static void test_sbom_format_refused(void **st) {
    (void)st;
    brig_findings fs = {0};
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(brig_findings_write(f, BRIG_FMT_CYCLONEDX, &fs, "audit"), BRIG_EXIT_USAGE);
    fclose(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_names),
        cmocka_unit_test(test_sort_and_count),
        cmocka_unit_test(test_json_output),
        cmocka_unit_test(test_sarif_output),
        cmocka_unit_test(test_table_output),
        cmocka_unit_test(test_sbom_format_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
