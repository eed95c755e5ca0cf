/* Archive member names are attacker-controlled: normalise them to one
 * canonical relative form so that every consumer (walk, merged view,
 * extraction) agrees on which path an entry names. */
#include "image/image_internal.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

int brig_path_normalize(const char *in, const brig_limits *lim, char **out) {
    size_t inlen = strlen(in);
    size_t maxlen = lim && lim->max_path_len ? lim->max_path_len : BRIG_LIM_PATH_DEFAULT;
    size_t maxdepth = lim && lim->max_depth ? lim->max_depth : BRIG_LIM_DEPTH_DEFAULT;
    if (inlen > maxlen)
        return brig_fail(BRIG_EXIT_UNSAFE, "path of %zu bytes exceeds the %zu-byte limit (--max-path)", inlen, maxlen);
    char *buf = xmalloc(inlen + 1);
    size_t o = 0, depth = 0;
    const char *p = in;
    while (*p) {
        while (*p == '/') p++;
        const char *s = p;
        while (*p && *p != '/') p++;
        size_t n = (size_t)(p - s);
        if (n == 0 || (n == 1 && s[0] == '.')) continue;
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (depth == 0) {
                free(buf);
                return brig_fail(BRIG_EXIT_UNSAFE, "path '%.200s' climbs above the root with '..'", in);
            }
            /* drop the last component */
            while (o > 0 && buf[o - 1] != '/') o--;
            if (o > 0) o--;
            depth--;
            continue;
        }
        if (o) buf[o++] = '/';
        memcpy(buf + o, s, n);
        o += n;
        if (++depth > maxdepth) {
            free(buf);
            return brig_fail(BRIG_EXIT_UNSAFE, "path '%.200s…' is deeper than the %zu-component limit", in, maxdepth);
        }
    }
    buf[o] = 0;
    *out = buf;
    return 0;
}
