/* RPM database: rpmdb.sqlite (Fedora >= 33, RHEL >= 9) read from memory with
 * sqlite3_deserialize, and the rpm header blobs it stores, parsed here with
 * bounds checks on every index entry.  Berkeley DB / ndb databases are handled
 * by the inventory (warned about, not parsed). */
#include "scan/pkg_parsers.h"
#include "util/err.h"
#include "util/xalloc.h"
#include "util/lazy_sqlite3.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RPM_MAX_INDEX 100000
#define RPM_MAX_DATA  (64u << 20)
enum { TAG_NAME = 1000, TAG_VERSION = 1001, TAG_RELEASE = 1002, TAG_EPOCH = 1003, TAG_LICENSE = 1014,
       TAG_ARCH = 1022, TAG_SOURCERPM = 1044 };
enum { T_INT32 = 4, T_STRING = 6, T_STRING_ARRAY = 8, T_I18NSTRING = 9 };

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

typedef struct { const unsigned char *data; size_t dl; } store;

/* NUL-terminated string at offset, or NULL if it runs past the store. */
static const char *str_at(const store *s, uint32_t off) {
    if (off >= s->dl) return NULL;
    const unsigned char *e = memchr(s->data + off, 0, s->dl - off);
    return e ? (const char *)s->data + off : NULL;
}

int brig_pkg_parse_rpm_header(const char *name, const unsigned char *buf, size_t len, size_t layer, brig_pkglist *out) {
    if (len < 8) return brig_fail(BRIG_EXIT_INPUT, "%s: rpm header of %zu bytes is truncated", name, len);
    uint32_t il = be32(buf), dl = be32(buf + 4);
    if (il == 0 || il > RPM_MAX_INDEX || dl > RPM_MAX_DATA)
        return brig_fail(BRIG_EXIT_INPUT, "%s: rpm header with %u index entries / %u data bytes is not plausible", name, il, dl);
    if ((size_t)il * 16 + dl > len - 8)
        return brig_fail(BRIG_EXIT_INPUT, "%s: rpm header declares %zu bytes but has %zu", name, (size_t)il * 16 + dl + 8, len);
    store s = { buf + 8 + (size_t)il * 16, dl };
    const char *n = NULL, *v = NULL, *r = NULL, *lic = NULL, *arch = NULL, *srpm = NULL;
    long epoch = -1;
    for (uint32_t i = 0; i < il; i++) {
        const unsigned char *e = buf + 8 + (size_t)i * 16;
        uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8), cnt = be32(e + 12);
        if (type == T_INT32) {
            if (tag == TAG_EPOCH && cnt >= 1 && off % 4 == 0 && off <= dl - 4 && dl >= 4) epoch = (long)be32(s.data + off);
            continue;
        }
        if (type != T_STRING && type != T_I18NSTRING && type != T_STRING_ARRAY) continue;
        const char *str = str_at(&s, off);
        switch (tag) {
        case TAG_NAME: n = str; break;
        case TAG_VERSION: v = str; break;
        case TAG_RELEASE: r = str; break;
        case TAG_LICENSE: lic = str; break;
        case TAG_ARCH: arch = str; break;
        case TAG_SOURCERPM: srpm = str; break;
        default: break;
        }
    }
    if (!n || !v) return brig_fail(BRIG_EXIT_INPUT, "%s: rpm header without %s", name, n ? "VERSION" : "NAME");
    if (!strcmp(n, "gpg-pubkey")) return 0;   /* imported signing keys are pseudo-packages */
    char *ver = epoch > 0 ? xasprintf("%ld:%s%s%s", epoch, v, r ? "-" : "", r ? r : "")
                          : xasprintf("%s%s%s", v, r ? "-" : "", r ? r : "");
    brig_pkg *p = brig_pkglist_add(out, BRIG_PKG_RPM, n, ver, name, layer);
    free(ver);
    if (arch) p->arch = xstrdup(arch);
    if (lic) brig_pkg_add_license(p, lic);
    if (srpm) {
        /* "bash-5.1.8-6.el9.src.rpm" -> name "bash", version "5.1.8-6.el9" */
        char *t = xstrdup(srpm);
        size_t tl = strlen(t);
        if (tl > 8 && !strcmp(t + tl - 8, ".src.rpm")) t[tl - 8] = 0;
        char *rel = strrchr(t, '-');
        if (rel) { *rel = 0; char *vv = strrchr(t, '-');
            if (vv) { *vv = 0; p->src_name = xstrdup(t); *rel = '-';
                      p->src_version = epoch > 0 ? xasprintf("%ld:%s", epoch, vv + 1) : xstrdup(vv + 1); } }
        free(t);
    }
    return 0;
}

int brig_pkg_parse_rpm_sqlite(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot create an in-memory SQLite database", name);
    }
    /* sqlite takes ownership of a sqlite3_malloc'd copy (FREEONCLOSE); read-only. */
    unsigned char *copy = sqlite3_malloc64(len ? len : 1);
    if (!copy) { sqlite3_close(db); return brig_fail(BRIG_EXIT_SYSTEM, "%s: out of memory", name); }
    memcpy(copy, buf, len);
    int rc = 0;
    if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
        sqlite3_close(db);
        return brig_fail(BRIG_EXIT_INPUT, "%s: not an SQLite database", name);
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: not an rpm database (%s)", name, sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(st, 1);
        int bl = sqlite3_column_bytes(st, 1);
        if (!b || bl <= 0) continue;
        char *nm = xasprintf("%s", name);
        rc = brig_pkg_parse_rpm_header(nm, b, (size_t)bl, layer, out);
        if (rc) brig_fail_context(rc, "%s: package #%lld", name, (long long)sqlite3_column_int64(st, 0));
        free(nm);
        if (rc) break;
        if (out->n >= BRIG_PKG_MAX_RECORDS) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d packages", name, BRIG_PKG_MAX_RECORDS); break; }
    }
    if (!rc && s != SQLITE_DONE) rc = brig_fail(BRIG_EXIT_INPUT, "%s: damaged rpm database: %s", name, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
