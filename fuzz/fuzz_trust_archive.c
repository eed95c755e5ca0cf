/* libFuzzer: reading a signature layout from an untrusted oci-archive tar
 * (tar scanning, index.json, .sig tag lookup, signature manifest read). */
#include "trust/layout.h"
#include "trust/sigs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char path[64];
static void cleanup(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!path[0]) {   /* the reader takes a file name, as real archives are large */
        snprintf(path, sizeof path, "/tmp/fuzz_trust_archive.%ld.tar", (long)getpid());
        atexit(cleanup);
    }
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    json_t *index;
    if (trust_index_load(path, &index) == 0) {
        json_t *d = trust_index_find_tag(index, "sha256-44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a.sig");
        char *buf; size_t n;
        if (d && trust_blob_read(path, json_string_value(json_object_get(d, "digest")) ? json_string_value(json_object_get(d, "digest")) : "",
                                 -1, TRUST_MANIFEST_MAX_BYTES, "m", &buf, &n) == 0)
            free(buf);
        json_decref(index);
    }
    trust_verify_result r;
    trust_verify_layout(path, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", NULL, 0, &r);
    trust_verify_result_free(&r);
    return 0;
}
