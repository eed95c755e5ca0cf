/* libFuzzer target: config.json parsing (spec, process, mounts + options,
 * namespaces, id maps, devices, hooks), the seccomp translation and the device
 * rules -> eBPF program translation, which are what a hostile bundle controls.
 * Nothing is mounted or loaded. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "runtime/rt.h"
#include "util/err.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > RT_MAX_CONFIG_BYTES) return 0;
    json_t *j;
    if (brig_json_parse("config.json", (const char *)data, size, &j) != 0) return 0;
    rt_spec *s = NULL;
    if (rt_spec_parse("config.json", j, "/bundle", &s) == 0) {
        rt_sysctl_check(s);
        if (s->seccomp) rt_seccomp_load(s->seccomp, "config.json", false);
        rt_dev_rule *r = NULL;
        size_t n = 0;
        if (s->resources && rt_dev_rules_build(json_object_get(s->resources, "devices"), &r, &n) == 0) {
            struct bpf_insn *insns = NULL;
            size_t len = 0;
            rt_dev_rules_v1_check(r, n);
            if (rt_dev_bpf_compile(r, n, &insns, &len) == 0) free(insns);
        }
        free(r);
    }
    rt_spec_free(s);
    brig_err_clear();
    return 0;
}
