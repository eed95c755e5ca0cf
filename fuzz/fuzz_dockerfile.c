/* libFuzzer target: Dockerfile parser and every Dockerfile rule. */
#include "audit/audit.h"
#include "audit/dockerfile.h"
#include "audit/shellwords.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    brig_findings fs = { 0 };
    audit_ctx c = { .fs = &fs, .file = "Dockerfile", .pss = AUDIT_PSS_RESTRICTED };
    (void)audit_dockerfile(&c, (const char *)data, size);
    brig_findings_free(&fs);
    return 0;
}
