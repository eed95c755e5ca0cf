/* Identifiers and timestamps shared by the SBOM writers. */
#include "scan/sbom_write.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void brig_sbom_uuid(char out[37]) {
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        /* getrandom cannot fail for 16 bytes after boot; fall back to time+pid rather than abort */
        unsigned long long t = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
        for (int i = 0; i < 16; i++) b[i] = (unsigned char)(t >> ((i % 8) * 8)) ^ (unsigned char)(i * 37);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void brig_sbom_timestamp(char out[21]) {
    /* SOURCE_DATE_EPOCH makes documents reproducible (reproducible-builds.org).
     * Only a plain count of seconds up to 9999-12-31T23:59:59Z is taken: the
     * SPDX created field (6.9) and CycloneDX's timestamp need a four-digit year,
     * and a value strftime cannot fit would leave the buffer undefined.  A
     * malformed value is ignored (the current time is used). */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    if (sde && *sde && strspn(sde, "0123456789") == strlen(sde) && strlen(sde) <= 12) {
        long long v = strtoll(sde, NULL, 10);
        if (v <= 253402300799LL) t = (time_t)v;
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
        snprintf(out, 21, "%s", "1970-01-01T00:00:00Z");
}
