/* Deciding a file is binary from its content (not its name): text secrets in
 * a compressed or executable blob cannot be matched meaningfully, and
 * scanning them only produces noise. */
#include "secrets/scanctx.h"
#include <string.h>

static const struct { const char *magic; size_t n; } magics[] = {
    { "\x7f" "ELF", 4 }, { "\x1f\x8b", 2 }, { "PK\x03\x04", 4 }, { "\x89PNG", 4 }, { "\xff\xd8\xff", 3 },
    { "GIF8", 4 }, { "BZh", 3 }, { "\xfd" "7zXZ", 5 }, { "\x28\xb5\x2f\xfd", 4 }, { "7z\xbc\xaf", 4 },
    { "SQLite format 3", 15 }, { "\xca\xfe\xba\xbe", 4 }, { "MZ", 2 }, { "\x00\x61\x73\x6d", 4 },
    { "RIFF", 4 }, { "OggS", 4 }, { "ID3", 3 }, { "%PDF-", 5 }, { "wOFF", 4 }, { "wOF2", 4 },
};

bool brig_secrets_is_binary(const char *buf, size_t len) {
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (len >= magics[i].n && memcmp(buf, magics[i].magic, magics[i].n) == 0) return true;
    return memchr(buf, 0, len < 8192 ? len : 8192) != NULL;
}
