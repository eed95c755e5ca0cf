/* License name -> SPDX mapping for SBOMs. */
#include "scan/sbom_license.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Aliases first (Debian DEP-5 short names, deprecated SPDX ids, PyPI classifier
 * names), then canonical ids matched case-insensitively. */
static const struct { const char *from, *to; } aliases[] = {
    { "GPL-1", "GPL-1.0-only" }, { "GPL-1+", "GPL-1.0-or-later" },
    { "GPL-2", "GPL-2.0-only" }, { "GPL-2+", "GPL-2.0-or-later" }, { "GPL-2.0", "GPL-2.0-only" }, { "GPL-2.0+", "GPL-2.0-or-later" },
    { "GPL-3", "GPL-3.0-only" }, { "GPL-3+", "GPL-3.0-or-later" }, { "GPL-3.0", "GPL-3.0-only" }, { "GPL-3.0+", "GPL-3.0-or-later" },
    { "GPLv2", "GPL-2.0-only" }, { "GPLv2+", "GPL-2.0-or-later" }, { "GPLv3", "GPL-3.0-only" }, { "GPLv3+", "GPL-3.0-or-later" },
    { "LGPL-2", "LGPL-2.0-only" }, { "LGPL-2+", "LGPL-2.0-or-later" }, { "LGPL-2.0", "LGPL-2.0-only" }, { "LGPL-2.0+", "LGPL-2.0-or-later" },
    { "LGPL-2.1", "LGPL-2.1-only" }, { "LGPL-2.1+", "LGPL-2.1-or-later" },
    { "LGPL-3", "LGPL-3.0-only" }, { "LGPL-3+", "LGPL-3.0-or-later" }, { "LGPL-3.0", "LGPL-3.0-only" }, { "LGPL-3.0+", "LGPL-3.0-or-later" },
    { "AGPL-3", "AGPL-3.0-only" }, { "AGPL-3+", "AGPL-3.0-or-later" }, { "AGPL-3.0", "AGPL-3.0-only" },
    { "Expat", "MIT" }, { "MIT License", "MIT" }, { "BSD-3-clause", "BSD-3-Clause" }, { "BSD-2-clause", "BSD-2-Clause" },
    { "Apache-2", "Apache-2.0" }, { "Apache 2.0", "Apache-2.0" }, { "Apache License 2.0", "Apache-2.0" },
    { "Apache Software License", "Apache-2.0" }, { "Apache License, Version 2.0", "Apache-2.0" },
    { "Artistic", "Artistic-1.0-Perl" }, { "Artistic-1", "Artistic-1.0" }, { "Artistic-2", "Artistic-2.0" },
    { "MPL-1.1", "MPL-1.1" }, { "MPL-2", "MPL-2.0" }, { "Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0" },
    { "Python Software Foundation License", "PSF-2.0" }, { "PSF", "PSF-2.0" }, { "ISC License (ISCL)", "ISC" },
    { "The Unlicense (Unlicense)", "Unlicense" }, { "zlib/libpng", "Zlib" }, { "CC0", "CC0-1.0" },
    { "GNU General Public License v2 (GPLv2)", "GPL-2.0-only" }, { "GNU General Public License v3 (GPLv3)", "GPL-3.0-only" },
    { "GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later" },
    { "GNU Library or Lesser General Public License (LGPL)", "LGPL-2.0-or-later" },
    { "ASL 2.0", "Apache-2.0" }, { "ASL-2.0", "Apache-2.0" },
    { "Boost", "BSL-1.0" }, { "OpenSSL", "OpenSSL" }, { "Ruby", "Ruby" }, { "PostgreSQL", "PostgreSQL" },
};
static const char *const ids[] = {
    "0BSD", "AFL-2.1", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0", "APSL-2.0", "Artistic-1.0",
    "Artistic-1.0-Perl", "Artistic-2.0", "Beerware", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause",
    "BSD-4-Clause", "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC0-1.0",
    "CDDL-1.0", "CDDL-1.1", "curl", "EPL-1.0", "EPL-2.0", "EUPL-1.2", "FSFAP", "FSFUL", "FSFULLR", "FTL",
    "GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later", "GPL-1.0-only", "GPL-1.0-or-later", "GPL-2.0-only",
    "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "HPND", "ICU", "IJG", "Info-ZIP", "ISC", "LGPL-2.0-only",
    "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "libpng",
    "libpng-2.0", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "NCSA", "OFL-1.1", "OpenSSL", "PHP-3.01", "PostgreSQL",
    "PSF-2.0", "Python-2.0", "Ruby", "Sleepycat", "TCL", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "W3C", "WTFPL",
    "X11", "Zlib", "ZPL-2.1",
};
/* License exceptions: only ever the right operand of WITH (SPDX 2.3 Annex D). */
static const char *const exceptions[] = {
    "GCC-exception-3.1", "GCC-exception-2.0", "Classpath-exception-2.0", "LLVM-exception", "Autoconf-exception-3.0",
    "Autoconf-exception-2.0", "Bison-exception-2.2", "OpenSSL-exception", "Font-exception-2.0", "Libtool-exception",
    "Linux-syscall-note", "u-boot-exception-2.0", "Qt-LGPL-exception-1.1",
};

static const char *exception_id(const char *name) {
    for (size_t i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
        if (!strcasecmp(name, exceptions[i])) return exceptions[i];
    return NULL;
}

const char *brig_spdx_id(const char *name) {
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcasecmp(name, aliases[i].from)) return aliases[i].to;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (!strcasecmp(name, ids[i])) return ids[i];
    return NULL;
}

static char *license_ref(const char *text, char ***refs, char ***texts, size_t *n_refs) {
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "LicenseRef-");
    for (const char *p = text; *p && sb.len < 80; p++)
        sb_addc(&sb, isalnum((unsigned char)*p) || *p == '.' ? *p : '-');
    char *ref = sb_detach(&sb);
    for (size_t i = 0; i < *n_refs; i++) if (!strcmp((*refs)[i], ref)) return ref;
    *refs = xrealloc(*refs, (*n_refs + 1) * sizeof **refs);
    *texts = xrealloc(*texts, (*n_refs + 1) * sizeof **texts);
    (*refs)[*n_refs] = xstrdup(ref);
    (*texts)[*n_refs] = xstrdup(text);
    (*n_refs)++;
    return ref;
}

static int is_op(const char *t) { return !strcasecmp(t, "and") || !strcasecmp(t, "or") || !strcasecmp(t, "with"); }

/* One license string: an SPDX expression when its tokens form one (operands
 * alternating with AND/OR/WITH, balanced parentheses, and WITH joining a single
 * license to a known exception: Annex D), each operand mapped on its own;
 * otherwise the whole string is one LicenseRef ("GPLv3+ with exceptions" from
 * RPM is not "GPL-3.0-or-later WITH LicenseRef-exceptions"). */
static char *one(const char *lic, char ***refs, char ***texts, size_t *n_refs, int *compound) {
    *compound = 0;
    const char *direct = brig_spdx_id(lic);
    if (direct) return xstrdup(direct);
    char *copy = xstrdup(lic);
    char *tok[64]; size_t nt = 0;
    int ok = 1, depth = 0;
    strbuf spaced = STRBUF_INIT;
    for (const char *p = copy; *p; p++) {
        if (*p == '(' || *p == ')') { sb_addc(&spaced, ' '); sb_addc(&spaced, *p); sb_addc(&spaced, ' '); }
        else sb_addc(&spaced, *p);
    }
    char *sp = spaced.buf ? spaced.buf : copy;
    for (char *save = NULL, *t = strtok_r(sp, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (nt == 64) { ok = 0; break; }
        tok[nt++] = t;
    }
    int want_operand = 1;
    for (size_t i = 0; ok && i < nt; i++) {
        int after_with = i && !strcasecmp(tok[i - 1], "with");
        if (!strcmp(tok[i], "(")) { if (!want_operand || after_with) ok = 0; depth++; }
        else if (!strcmp(tok[i], ")")) { if (want_operand || --depth < 0) ok = 0; }
        else if (is_op(tok[i])) {
            if (want_operand || (!strcasecmp(tok[i], "with") && (!strcmp(tok[i - 1], ")") || (i >= 2 && !strcasecmp(tok[i - 2], "with")))))
                ok = 0;
            want_operand = 1;
        }
        else { if (!want_operand || !exception_id(tok[i]) != !after_with) ok = 0; want_operand = 0; }
    }
    if (want_operand || depth) ok = 0;
    char *res;
    if (!ok || nt < 2) res = license_ref(lic, refs, texts, n_refs);
    else {
        strbuf out = STRBUF_INIT;
        for (size_t i = 0; i < nt; i++) {
            if (out.len && strcmp(tok[i], ")") && out.buf[out.len - 1] != '(') sb_addc(&out, ' ');
            if (!strcmp(tok[i], "(") || !strcmp(tok[i], ")")) sb_adds(&out, tok[i]);
            else if (is_op(tok[i])) { for (char *c = tok[i]; *c; c++) *c = (char)toupper((unsigned char)*c); sb_adds(&out, tok[i]); }
            else if (i && !strcasecmp(tok[i - 1], "with")) sb_adds(&out, exception_id(tok[i]));
            else {
                const char *id = brig_spdx_id(tok[i]);
                if (id) sb_adds(&out, id);
                else { char *r = license_ref(tok[i], refs, texts, n_refs); sb_adds(&out, r); free(r); }
            }
        }
        res = sb_detach(&out);
        *compound = 1;
    }
    sb_free(&spaced);
    free(copy);
    return res;
}

char *brig_spdx_expression(char *const *lics, size_t n, char ***refs, char ***texts, size_t *n_refs) {
    if (!n) return NULL;
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        int compound;
        char *e = one(lics[i], refs, texts, n_refs, &compound);
        if (i) sb_adds(&sb, " AND ");
        if (compound && n > 1) sb_addf(&sb, "(%s)", e);
        else sb_adds(&sb, e);
        free(e);
    }
    return sb_detach(&sb);
}
