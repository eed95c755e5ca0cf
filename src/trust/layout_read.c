/* Reading one file of an OCI layout that is either a directory or a tar
 * (oci-archive).  Signature verification reads only a handful of small files
 * (index.json, the .sig manifest, payloads), so for a tar we scan the headers
 * once per file, skipping entry data, instead of unpacking anything. */
#include "trust/layout.h"
#include "trust/safe_io.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include "util/lazy_archive.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TAR_MAX_ENTRIES 1000000

static const char *norm(const char *n) {
    while (n[0] == '.' && n[1] == '/') n += 2;
    while (n[0] == '/') n++;
    return n;
}

static int read_from_tar(const char *tar, const char *rel, size_t max, char **out, size_t *len) {
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    char *buf = NULL;
    size_t n = 0, entries = 0;
    int rc = 0, found = 0;
    if (archive_read_open_filename(a, tar, 65536) != ARCHIVE_OK) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot read as a tar archive: %s", tar, archive_error_string(a));
        goto out;
    }
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        if (++entries > TAR_MAX_ENTRIES) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d entries", tar, TAR_MAX_ENTRIES); goto out; }
        const char *name = archive_entry_pathname(e);
        if (!name || strcmp(norm(name), rel) != 0) continue;
        /* A second entry with the same name is a parser-differential trick
         * (another reader may take the other one): refuse it. */
        if (found++) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: %s appears twice in the archive; refusing an ambiguous layout", tar, rel); goto out; }
        if (archive_entry_filetype(e) != AE_IFREG) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: %s is not a regular file", tar, rel); goto out; }
        int64_t sz = archive_entry_size(e);
        if (sz < 0 || (uint64_t)sz > max) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: %s is larger than the %zu-byte limit", tar, rel, max); goto out; }
        buf = xmalloc((size_t)sz + 1);
        la_ssize_t got = archive_read_data(a, buf, (size_t)sz);
        if (got != (la_ssize_t)sz) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: %s: truncated entry", tar, rel); goto out; }
        buf[sz] = 0;
        n = (size_t)sz;
    }
    if (r != ARCHIVE_EOF) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: corrupt tar archive: %s", tar, archive_error_string(a)); goto out; }
    if (!found) rc = brig_fail(BRIG_EXIT_INPUT, "%s: no %s in the archive", tar, rel);
out:
    archive_read_free(a);
    if (rc) { free(buf); return rc; }
    *out = buf; *len = n;
    return 0;
}

int trust_layout_read(const char *loc, const char *rel, size_t max, char **out, size_t *len) {
    struct stat st;
    if (stat(loc, &st) == 0 && S_ISREG(st.st_mode)) return read_from_tar(loc, rel, max, out, len);
    char *path = xasprintf("%s/%s", loc, rel);
    int rc = trust_read_regular(path, max, out, len);
    free(path);
    return rc;
}
