/* libFuzzer target: YAML/JSON loader (positions, anchors, merge keys, limits)
 * and the compose, Kubernetes, docker-inspect, daemon and OCI checks on top. */
#include "audit/audit.h"
#include "audit/ydoc.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ydoc *d = NULL;
    if (ydoc_parse("fuzz.yaml", (const char *)data, size, &d) != 0) return 0;
    brig_findings fs = { 0 };
    audit_ctx c = { .fs = &fs, .file = "fuzz.yaml", .pss = AUDIT_PSS_RESTRICTED };
    (void)audit_compose(&c, d);
    (void)audit_k8s(&c, d);
    (void)audit_inspect(&c, d);
    (void)audit_daemon(&c, d);
    (void)audit_oci(&c, d);
    brig_findings_free(&fs);
    ydoc_free(d);
    return 0;
}
