/* Go binaries: the build info that the Go linker embeds in the .go.buildinfo
 * section ("\xff Go buildinf:" header).  Go >= 1.18 stores the version and
 * module info inline as varint-prefixed strings; older binaries store two
 * pointers to Go string headers, which we resolve through the ELF program
 * headers.  Every offset read from the file is bounds-checked. */
#include "scan/pkg_parsers.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "\xff Go buildinf:"
#define MAGIC_LEN 14
#define MAX_MODINFO (4u << 20)   /* module info beyond 4 MiB is not plausible */

typedef struct {
    const unsigned char *d; size_t len;
    int is64, be;
} elf;

static uint64_t rd(const elf *e, size_t off, int size) {
    uint64_t v = 0;
    for (int i = 0; i < size; i++) {
        unsigned b = e->d[off + (size_t)(e->be ? i : size - 1 - i)];
        v = (v << 8) | b;
    }
    return v;
}

int brig_pkg_is_elf(const unsigned char *buf, size_t len) {
    return len >= 4 && buf[0] == 0x7f && buf[1] == 'E' && buf[2] == 'L' && buf[3] == 'F';
}

/* Locate .go.buildinfo via the section headers; returns offset or SIZE_MAX. */
static size_t find_section(const elf *e) {
    size_t ehsz = e->is64 ? 64 : 52;
    if (e->len < ehsz) return SIZE_MAX;
    uint64_t shoff = e->is64 ? rd(e, 0x28, 8) : rd(e, 0x20, 4);
    unsigned shentsize = (unsigned)rd(e, e->is64 ? 0x3a : 0x2e, 2);
    unsigned shnum = (unsigned)rd(e, e->is64 ? 0x3c : 0x30, 2);
    unsigned shstrndx = (unsigned)rd(e, e->is64 ? 0x3e : 0x32, 2);
    size_t need = e->is64 ? 64 : 40;
    if (!shoff || shentsize < need || shnum == 0 || shstrndx >= shnum) return SIZE_MAX;
    if (shoff > e->len || (uint64_t)shnum * shentsize > e->len - shoff) return SIZE_MAX;
    size_t str = (size_t)shoff + (size_t)shstrndx * shentsize;
    uint64_t stroff = e->is64 ? rd(e, str + 0x18, 8) : rd(e, str + 0x10, 4);
    uint64_t strsz = e->is64 ? rd(e, str + 0x20, 8) : rd(e, str + 0x14, 4);
    if (stroff > e->len || strsz > e->len - stroff) return SIZE_MAX;
    for (unsigned i = 0; i < shnum; i++) {
        size_t sh = (size_t)shoff + (size_t)i * shentsize;
        uint32_t nm = (uint32_t)rd(e, sh, 4);
        if (nm >= strsz || strsz - nm < 14) continue;
        if (memcmp(e->d + stroff + nm, ".go.buildinfo", 14) != 0) continue;   /* includes NUL */
        uint64_t off = e->is64 ? rd(e, sh + 0x18, 8) : rd(e, sh + 0x10, 4);
        uint64_t sz = e->is64 ? rd(e, sh + 0x20, 8) : rd(e, sh + 0x14, 4);
        if (off > e->len || sz > e->len - off || sz < 32) return SIZE_MAX;
        return (size_t)off;
    }
    return SIZE_MAX;
}

/* Fallback for binaries without section headers: the header is 16-byte aligned. */
static size_t find_magic(const elf *e) {
    size_t off = 0;
    while (off + 32 <= e->len) {
        const unsigned char *p = memmem(e->d + off, e->len - off, MAGIC, MAGIC_LEN);
        if (!p) return SIZE_MAX;
        size_t o = (size_t)(p - e->d);
        if (o % 16 == 0 && o + 32 <= e->len) return o;
        off = o + 1;
    }
    return SIZE_MAX;
}

/* Virtual address -> file offset through PT_LOAD segments. */
static size_t vaddr_to_off(const elf *e, uint64_t va) {
    uint64_t phoff = e->is64 ? rd(e, 0x20, 8) : rd(e, 0x1c, 4);
    unsigned phentsize = (unsigned)rd(e, e->is64 ? 0x36 : 0x2a, 2);
    unsigned phnum = (unsigned)rd(e, e->is64 ? 0x38 : 0x2c, 2);
    size_t need = e->is64 ? 56 : 32;
    if (phentsize < need || phoff > e->len || (uint64_t)phnum * phentsize > e->len - phoff) return SIZE_MAX;
    for (unsigned i = 0; i < phnum; i++) {
        size_t ph = (size_t)phoff + (size_t)i * phentsize;
        if (rd(e, ph, 4) != 1) continue;   /* PT_LOAD */
        uint64_t off = e->is64 ? rd(e, ph + 8, 8) : rd(e, ph + 4, 4);
        uint64_t vaddr = e->is64 ? rd(e, ph + 16, 8) : rd(e, ph + 8, 4);
        uint64_t filesz = e->is64 ? rd(e, ph + 32, 8) : rd(e, ph + 16, 4);
        if (va >= vaddr && va - vaddr < filesz) {
            uint64_t o = off + (va - vaddr);
            return o < e->len ? (size_t)o : SIZE_MAX;
        }
    }
    return SIZE_MAX;
}

/* Reads a Go string header (ptr, len) at vaddr va. */
static int read_gostring(const elf *e, uint64_t va, int ptrsz, const unsigned char **s, size_t *n) {
    size_t o = vaddr_to_off(e, va);
    if (o == SIZE_MAX || o + 2u * (size_t)ptrsz > e->len) return -1;
    uint64_t data = rd(e, o, ptrsz), len = rd(e, o + (size_t)ptrsz, ptrsz);
    if (len > MAX_MODINFO) return -1;
    size_t d = vaddr_to_off(e, data);
    if (d == SIZE_MAX || len > e->len - d) return -1;
    *s = e->d + d; *n = (size_t)len;
    return 0;
}

static int read_varstr(const elf *e, size_t *off, const unsigned char **s, size_t *n) {
    uint64_t v = 0;
    for (int shift = 0; ; shift += 7) {
        if (*off >= e->len || shift > 63) return -1;
        unsigned char b = e->d[(*off)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
    }
    if (v > MAX_MODINFO || v > e->len - *off) return -1;
    *s = e->d + *off; *n = (size_t)v; *off += (size_t)v;
    return 0;
}

/* "go1.21.3" -> "v1.21.3", "go1.20" -> "v1.20.0", "go1.21rc2" -> "v1.21.0-rc.2" (Go's own mapping). */
static char *go_semver(const unsigned char *s, size_t n) {
    if (n < 3 || memcmp(s, "go", 2)) return NULL;
    char *v = xstrndup((const char *)s + 2, n - 2);
    v[strcspn(v, " ")] = 0;   /* "go1.22.0 X:boringcrypto" */
    char *pre = v + strspn(v, "0123456789.");
    char tail[32] = "";
    if (*pre) {
        const char *num = pre + strcspn(pre, "0123456789");
        snprintf(tail, sizeof tail, "-%.*s.%.8s", (int)(num - pre > 8 ? 8 : num - pre), pre, num);
        *pre = 0;
    }
    int dots = 0;
    for (char *c = v; *c; c++) dots += *c == '.';
    char *r = xasprintf("v%s%s%s", v, dots >= 2 ? "" : dots == 1 ? ".0" : ".0.0", tail);
    free(v);
    return r;
}

static int parse_modinfo(const char *name, const unsigned char *m, size_t n, size_t layer, brig_pkglist *out) {
    /* inline and pointer formats both wrap the text in 16-byte sentinels */
    if (n >= 33 && m[n - 17] == '\n') { m += 16; n -= 32; }
    size_t last_dep = SIZE_MAX;
    for (size_t pos = 0; pos < n;) {
        const unsigned char *ln = m + pos;
        const unsigned char *nl = memchr(ln, '\n', n - pos);
        size_t ll = nl ? (size_t)(nl - ln) : n - pos;
        pos += ll + 1;
        char *line = xstrndup((const char *)ln, ll);
        char *f[4] = {0}; int nf = 0;
        for (char *save = NULL, *t = strtok_r(line, "\t", &save); t && nf < 4; t = strtok_r(NULL, "\t", &save)) f[nf++] = t;
        if (nf >= 3 && (!strcmp(f[0], "mod") || !strcmp(f[0], "dep"))) {
            if (strcmp(f[2], "(devel)") != 0) {
                if (out->n >= BRIG_PKG_MAX_RECORDS) { free(line); return brig_fail(BRIG_EXIT_UNSAFE, "%s: too many Go modules", name); }
                brig_pkglist_add(out, BRIG_PKG_GO, f[1], f[2], name, layer);
                last_dep = out->n - 1;
            } else last_dep = SIZE_MAX;
        } else if (nf >= 3 && !strcmp(f[0], "=>") && last_dep != SIZE_MAX) {
            /* replace directive: the code actually linked is the replacement */
            brig_pkg *p = &out->v[last_dep];
            brig_pkg_set(&p->name, f[1]);
            brig_pkg_set(&p->version, f[2]);
        }
        free(line);
    }
    return 0;
}

int brig_pkg_parse_gobin(const char *name, const unsigned char *buf, size_t len, size_t layer, brig_pkglist *out) {
    if (!brig_pkg_is_elf(buf, len) || len < 64) return 0;
    elf e = { buf, len, buf[4] == 2, buf[5] == 2 };
    if (buf[4] != 1 && buf[4] != 2) return 0;
    size_t off = find_section(&e);
    if (off == SIZE_MAX) off = find_magic(&e);
    if (off == SIZE_MAX || off + 32 > len || memcmp(buf + off, MAGIC, MAGIC_LEN)) return 0;   /* not Go */
    int ptrsz = buf[off + 14], flags = buf[off + 15];
    const unsigned char *ver = NULL, *mod = NULL;
    size_t vn = 0, mn = 0;
    if (flags & 2) {
        size_t p = off + 32;
        if (read_varstr(&e, &p, &ver, &vn) || read_varstr(&e, &p, &mod, &mn))
            return brig_fail(BRIG_EXIT_INPUT, "%s: Go build info at offset %zu is truncated", name, off);
    } else {
        if (ptrsz != 4 && ptrsz != 8)
            return brig_fail(BRIG_EXIT_INPUT, "%s: Go build info at offset %zu has pointer size %d", name, off, ptrsz);
        e.be = flags & 1;
        uint64_t vva = rd(&e, off + 16, ptrsz), mva = rd(&e, off + 16 + (size_t)ptrsz, ptrsz);
        if (read_gostring(&e, vva, ptrsz, &ver, &vn) || read_gostring(&e, mva, ptrsz, &mod, &mn))
            return brig_fail(BRIG_EXIT_INPUT, "%s: Go build info at offset %zu points outside the file", name, off);
    }
    char *gv = go_semver(ver, vn);
    if (gv) {
        brig_pkglist_add(out, BRIG_PKG_GO, "stdlib", gv, name, layer);
        free(gv);
    }
    return parse_modinfo(name, mod, mn, layer, out);
}
