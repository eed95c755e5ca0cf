/* RPM databases, all three formats rpm has used, every package header going
 * through one bounds-checked parser (brig_pkg_parse_rpm_header):
 *   rpmdb.sqlite  (Fedora >= 33, RHEL >= 9): read from memory with sqlite3_deserialize;
 *   Packages.db   (ndb: SUSE/openSUSE): parsed here, since Debian's librpm is
 *                 built without the ndb backend;
 *   Packages      (Berkeley DB: CentOS/RHEL <= 8, Amazon Linux 2, SLES <= 15.2):
 *                 librpm's read-only bdb_ro backend (loaded on first use) on a
 *                 private copy of the file, in a child process with a deadline:
 *                 bdb_ro loops forever on some damaged pages (a zero-length
 *                 overflow page, a page chain that points back). */
#include "scan/pkg_parsers.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include "util/lazy_sqlite3.h"
#include "util/lazy_rpm.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

static uint32_t le32(const unsigned char *p) { return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]; }

/* ---- ndb (rpm's lib/backend/ndb/rpmpkg.c, little-endian throughout) ----
 * 32-byte header "RpmP", version 0, generation, slot page count, next index;
 * then slot pages of 16-byte slots "Slot", package index, block offset, block
 * count (offset 0 = free); every blob at block offset * 16 is "BlbS", index,
 * time, length, the header blob, zero padding, and a 12-byte trailer: Adler-32
 * of everything before it, length again, "BlbE". */
#define NDB_PAGE 4096u
#define NDB_BLK  16u

static uint32_t adler32(const unsigned char *p, size_t n) {
    uint32_t s1 = 1, s2 = 0;
    while (n) {
        size_t k = n < 5552 ? n : 5552;   /* the most bytes before s2 can overflow */
        n -= k;
        while (k--) { s1 += *p++; s2 += s1; }
        s1 %= 65521; s2 %= 65521;
    }
    return s2 << 16 | s1;
}

int brig_pkg_parse_rpm_ndb(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out) {
    const unsigned char *b = buf;
    if (len < 32 || memcmp(b, "RpmP", 4))
        return brig_fail(BRIG_EXIT_INPUT, "%s: not an ndb rpm database (no RpmP magic)", name);
    uint32_t version = le32(b + 4), npages = le32(b + 12);
    if (version != 0)
        return brig_fail(BRIG_EXIT_INPUT, "%s: ndb rpm database version %u is not supported (only 0 exists)", name, version);
    if (len % NDB_BLK)
        return brig_fail(BRIG_EXIT_INPUT, "%s: ndb rpm database of %zu bytes is not made of 16-byte blocks; it is truncated or damaged", name, len);
    if (npages == 0 || npages > len / NDB_PAGE)
        return brig_fail(BRIG_EXIT_INPUT, "%s: ndb header declares %u slot pages but the file has %zu bytes; it is truncated or damaged",
                         name, npages, len);
    uint64_t fileblks = len / NDB_BLK, minblk = (uint64_t)npages * (NDB_PAGE / NDB_BLK);
    /* Blobs of a sound database do not overlap, so together they cover at most
     * the file: more means slots pointing at the same blob, and checksumming it
     * again and again could be made to take forever. */
    uint64_t covered = 0;
    for (size_t off = 32; off < (size_t)npages * NDB_PAGE; off += 16) {
        const unsigned char *sl = b + off;
        if (memcmp(sl, "Slot", 4))
            return brig_fail(BRIG_EXIT_INPUT, "%s: offset %zu: ndb slot without its magic; the rpm database is damaged", name, off);
        uint32_t idx = le32(sl + 4), blkoff = le32(sl + 8), blkcnt = le32(sl + 12);
        if (!blkoff) continue;   /* free slot */
        if (!idx || !blkcnt || blkoff < minblk || (uint64_t)blkoff + blkcnt > fileblks)
            return brig_fail(BRIG_EXIT_INPUT, "%s: offset %zu: ndb slot of package #%u points outside the file (block %u + %u of %llu); "
                             "the rpm database is truncated or damaged", name, off, idx, blkoff, blkcnt, (unsigned long long)fileblks);
        covered += blkcnt;
        if (covered > fileblks - minblk)
            return brig_fail(BRIG_EXIT_INPUT, "%s: offset %zu: ndb slots of more blocks than the file has (overlapping blobs); "
                             "the rpm database is damaged", name, off);
        const unsigned char *bl = b + (size_t)blkoff * NDB_BLK;
        size_t span = (size_t)blkcnt * NDB_BLK;
        size_t at = (size_t)blkoff * NDB_BLK;
        if (span < 16 + 12 || memcmp(bl, "BlbS", 4) || le32(bl + 4) != idx)
            return brig_fail(BRIG_EXIT_INPUT, "%s: offset %zu: package #%u: bad ndb blob header; the rpm database is damaged", name, at, idx);
        uint32_t blen = le32(bl + 12);
        if (((uint64_t)blen + 16 + 12 + NDB_BLK - 1) / NDB_BLK != blkcnt)
            return brig_fail(BRIG_EXIT_INPUT, "%s: offset %zu: package #%u: blob of %u bytes does not fill its %u blocks; the rpm database is damaged",
                             name, at, idx, blen, blkcnt);
        const unsigned char *tail = bl + span - 12;
        if (memcmp(tail + 8, "BlbE", 4) || le32(tail + 4) != blen || le32(tail) != adler32(bl, span - 12))
            return brig_fail(BRIG_EXIT_INPUT, "%s: offset %zu: package #%u: ndb blob trailer or checksum does not match; the rpm database is damaged",
                             name, at, idx);
        if (out->n >= BRIG_PKG_MAX_RECORDS)
            return brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d packages", name, BRIG_PKG_MAX_RECORDS);
        int rc = brig_pkg_parse_rpm_header(name, bl + 16, blen, layer, out);
        if (rc) return brig_fail_context(rc, "%s: package #%u", name, idx);
    }
    return 0;
}

/* ---- Berkeley DB, through librpm's bdb_ro backend ----
 * librpm reads a database directory, so the file is copied into a private
 * mkdtemp directory (the caller has bounded its size) that is removed again
 * whatever happens.  librpm's process-global state (configuration, macros,
 * log callback) lives in a child process per database (bdb_read_isolated). */
static char rpm_logerr[256];

/* librpm's messages: the first error is kept for our own message; warnings
 * (bdb_ro names every index file the private copy lacks) are dropped, and
 * nothing reaches stderr. */
static int rpm_log(rpmlogRec rec, rpmlogCallbackData data) {
    (void)data;
    if (rpmlogRecPriority(rec) <= RPMLOG_ERR && !rpm_logerr[0]) {
        const char *m = rpmlogRecMessage(rec);
        snprintf(rpm_logerr, sizeof rpm_logerr, "%s", m ? m : "error");
        size_t n = strlen(rpm_logerr);
        while (n && (rpm_logerr[n - 1] == '\n' || rpm_logerr[n - 1] == ' ')) rpm_logerr[--n] = 0;
    }
    return 0;
}

/* Child -> parent frames on a pipe: 'H' num len header-blob, or 'E' code len message. */
static int frame_write(int fd, char type, uint32_t a, const void *data, uint32_t len) {
    unsigned char h[9] = { (unsigned char)type };
    memcpy(h + 1, &a, 4);
    memcpy(h + 5, &len, 4);
    return brig_write_all(fd, h, sizeof h) || brig_write_all(fd, data, len) ? -1 : 0;
}

/* Runs in the child: every header goes to wfd as a frame; an error is
 * returned (and sent as an 'E' frame by the caller). */
static int bdb_read(const char *name, const char *dir, int wfd) {
    rpm_logerr[0] = 0;
    rpmlogSetCallback(rpm_log, NULL);
    if (rpmReadConfigFiles(NULL, NULL))
        return brig_fail(BRIG_EXIT_NOTIMPL, "%s: librpm cannot read its configuration (%s); install the Debian package rpm-common",
                         name, rpm_logerr[0] ? rpm_logerr : "no message");
    /* Pushed on top of whatever the configuration (or ~/.rpmmacros) set. */
    rpmPushMacro(NULL, "_dbpath", NULL, dir, RMIL_CMDLINE);
    rpmPushMacro(NULL, "_db_backend", NULL, "bdb_ro", RMIL_CMDLINE);
    rpmts ts = rpmtsCreate();
    rpmtsSetRootDir(ts, "/");
    /* Signatures would need a keyring (the host's, or this database's own
     * gpg-pubkey entries); header digests are still checked. */
    rpmtsSetVSFlags(ts, RPMVSF_MASK_NOSIGNATURES);
    int rc = 0;
    if (rpmtsOpenDB(ts, O_RDONLY)) {
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: librpm cannot open it as a Berkeley DB rpm database (%s)", name,
                       rpm_logerr[0] ? rpm_logerr : "no message");
    } else {
        rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
        Header h;
        while (mi && (h = rpmdbNextIterator(mi)) != NULL) {
            unsigned int bl = 0, num = rpmdbGetIteratorOffset(mi);
            void *blob = headerExport(h, &bl);
            if (!blob) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: package #%u: librpm cannot export its header", name, num); break; }
            int wrc = frame_write(wfd, 'H', num, blob, bl);
            free(blob);
            if (wrc) { rc = BRIG_EXIT_SYSTEM; break; }
        }
        rpmdbFreeIterator(mi);
        /* bdb_ro ends the iteration on a page it cannot read: only its log tells */
        if (!rc && rpm_logerr[0])
            rc = brig_fail(BRIG_EXIT_INPUT, "%s: damaged or truncated Berkeley DB rpm database (librpm: %s)", name, rpm_logerr);
    }
    rpmtsFree(ts);
    rpmPopMacro(NULL, "_db_backend");
    rpmPopMacro(NULL, "_dbpath");
    return rc;
}

/* Reads n bytes before the deadline (CLOCK_MONOTONIC ms); 1 = clean EOF at
 * the start, -1 = EOF inside, -2 = deadline passed. */
static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int read_deadline(int fd, void *buf, size_t n, long long deadline) {
    char *c = buf;
    size_t got = 0;
    while (got < n) {
        long long left = deadline - now_ms();
        if (left <= 0) return -2;
        struct pollfd pfd = { fd, POLLIN, 0 };
        int pr = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) continue;
        ssize_t k = read(fd, c + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return got ? -1 : 1;
        got += (size_t)k;
    }
    return 0;
}

/* librpm runs in a child that hands the header blobs over a pipe; they are
 * parsed here, with our own bounds checks.  The child is killed when it
 * overruns its time (10 s + 1 s per MiB of database: real databases of
 * thousands of packages take well under a second). */
static int bdb_read_isolated(const char *name, const char *dir, size_t len, size_t layer, brig_pkglist *out) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: pipe for the librpm reader", name);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) { close(p[0]); close(p[1]); return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: fork for the librpm reader", name); }
    if (pid == 0) {
        close(p[0]);
        int rc = bdb_read(name, dir, p[1]);
        if (rc) {
            const char *m = brig_errmsg();
            frame_write(p[1], 'E', (uint32_t)rc, m, (uint32_t)strlen(m));
        }
        _exit(0);
    }
    close(p[1]);
    long long deadline = now_ms() + 10000 + (long long)(len >> 20) * 1000;
    int rc = 0;
    unsigned char *blob = NULL;
    for (;;) {
        unsigned char h[9];
        int r = read_deadline(p[0], h, sizeof h, deadline);
        if (r == 1) break;
        uint32_t a, bl;
        memcpy(&a, h + 1, 4);
        memcpy(&bl, h + 5, 4);
        if (r == 0 && (h[0] != 'H' && h[0] != 'E')) r = -1;
        if (r == 0 && bl > RPM_MAX_DATA + 16u * RPM_MAX_INDEX + 8) r = -1;
        if (r == 0) {
            blob = xrealloc(blob, (size_t)bl + 1);
            r = read_deadline(p[0], blob, bl, deadline);
            if (r == 1) r = bl ? -1 : 0;
        }
        if (r == -2) {
            rc = brig_fail(BRIG_EXIT_INPUT, "%s: librpm did not finish reading this Berkeley DB rpm database within %lld s; "
                           "it is damaged (librpm loops on its page chain)", name, 10 + (long long)(len >> 20));
            break;
        }
        if (r < 0) { rc = brig_fail(BRIG_EXIT_INPUT, "%s: the librpm reader stopped mid-record (crashed on a damaged database?)", name); break; }
        if (h[0] == 'E') {
            blob[bl] = 0;
            rc = brig_fail(a > 0 && a < 126 ? (int)a : BRIG_EXIT_INPUT, "%s", (char *)blob);
            break;
        }
        if ((rc = brig_pkg_parse_rpm_header(name, blob, bl, layer, out))) { brig_fail_context(rc, "%s: package #%u", name, a); break; }
        if (out->n >= BRIG_PKG_MAX_RECORDS) { rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d packages", name, BRIG_PKG_MAX_RECORDS); break; }
    }
    free(blob);
    close(p[0]);
    kill(pid, SIGKILL);   /* gone already unless it overran or we stopped early */
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (!rc && WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: the librpm reader died of signal %d on this database (damaged?)", name, WTERMSIG(st));
    return rc;
}

/* Removes the private directory and anything librpm left in it (one level). */
static void rm_private_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL)
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) unlinkat(dirfd(d), de->d_name, 0);
        closedir(d);
    }
    rmdir(dir);
}

int brig_pkg_parse_rpm_bdb(const char *name, const void *buf, size_t len, size_t layer, brig_pkglist *out) {
    /* Hash or btree meta page magic, either byte order (what bdb_ro accepts). */
    uint32_t magic = len >= 512 ? le32((const unsigned char *)buf + 12) : 0;
    if (magic != 0x00061561 && magic != 0x61150600 && magic != 0x00053162 && magic != 0x62310500)
        return brig_fail(BRIG_EXIT_INPUT, "%s: not a Berkeley DB database (%zu bytes, no hash/btree magic); the rpm database is damaged",
                         name, len);
    int rc = brig_lazy_rpm_available();
    if (rc) return brig_fail_context(rc, "%s: a Berkeley DB rpm database is read with librpm", name);
    /* '%' in TMPDIR would be expanded as an rpm macro in _dbpath. */
    const char *t = getenv("TMPDIR");
    if (!t || t[0] != '/' || strchr(t, '%')) t = "/tmp";
    char *dir = xasprintf("%s/brig-rpmdb.XXXXXX", t);
    if (!mkdtemp(dir)) {
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create a private directory %s for librpm", name, dir);
        free(dir);
        return rc;
    }
    char *file = xasprintf("%s/Packages", dir);
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool written = fd >= 0 && brig_write_all(fd, buf, len) == 0;
    if (!written || close(fd)) {
        rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot copy it to %s for librpm", name, file);
        if (fd >= 0 && !written) close(fd);
    } else {
        rc = bdb_read_isolated(name, dir, len, layer, out);
    }
    rm_private_dir(dir);
    free(file); free(dir);
    return rc;
}
