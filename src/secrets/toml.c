/* TOML subset parser (see toml.h).  Recursive descent over a bounded buffer
 * with line/column tracking; every allocation is bounded by the input size and
 * BRIG_TOML_MAX_VALUES, every recursion by BRIG_TOML_MAX_DEPTH. */
#include "secrets/toml.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *p, *end;
    int line, col;
    size_t values;
    int rc;                 /* first error */
} parser;

static int perr(parser *ps, const char *what) {
    if (!ps->rc) ps->rc = brig_fail(BRIG_EXIT_INPUT, "%s:%d:%d: %s", ps->name, ps->line, ps->col, what);
    return ps->rc;
}

static int peek(const parser *ps) { return ps->p < ps->end ? (unsigned char)*ps->p : -1; }
static int peek_at(const parser *ps, size_t k) { return ps->p + k < ps->end ? (unsigned char)ps->p[k] : -1; }
static void adv(parser *ps) {
    if (ps->p >= ps->end) return;
    if (*ps->p == '\n') { ps->line++; ps->col = 1; } else ps->col++;
    ps->p++;
}
static bool starts(const parser *ps, const char *s) {
    size_t n = strlen(s);
    return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, s, n) == 0;
}

static brig_toml *new_node(parser *ps, brig_toml_type t, int line, int col) {
    if (++ps->values > BRIG_TOML_MAX_VALUES) { perr(ps, "too many values (limit 200000); split the config"); return NULL; }
    brig_toml *n = xcalloc(1, sizeof *n);
    n->type = t; n->line = line; n->col = col;
    return n;
}

void brig_toml_free(brig_toml *t) {
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) {
        brig_toml_free(t->items[i]);
        if (t->keys) free(t->keys[i]);
    }
    free(t->items); free(t->keys); free(t->s);
    free(t);
}

const char *brig_toml_type_name(brig_toml_type t) {
    switch (t) {
    case BRIG_TOML_STRING: return "string";
    case BRIG_TOML_INT: return "integer";
    case BRIG_TOML_FLOAT: return "float";
    case BRIG_TOML_BOOL: return "boolean";
    case BRIG_TOML_ARRAY: return "array";
    case BRIG_TOML_TABLE: return "table";
    }
    return "value";
}

const brig_toml *brig_toml_get(const brig_toml *t, const char *key) {
    if (!t || t->type != BRIG_TOML_TABLE) return NULL;
    for (size_t i = 0; i < t->n; i++) if (strcmp(t->keys[i], key) == 0) return t->items[i];
    return NULL;
}

static brig_toml *table_get(brig_toml *t, const char *key) { return (brig_toml *)brig_toml_get(t, key); }

static void table_put(brig_toml *t, const char *key, brig_toml *v) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        t->items = xrealloc(t->items, t->cap * sizeof *t->items);
        t->keys = xrealloc(t->keys, t->cap * sizeof *t->keys);
    }
    t->keys[t->n] = xstrdup(key);
    t->items[t->n++] = v;
}

static void array_push(brig_toml *a, brig_toml *v) {
    a->items = xgrow(a->items, &a->cap, a->n + 1, sizeof *a->items);
    a->items[a->n++] = v;
}

static void skip_ws(parser *ps) { while (peek(ps) == ' ' || peek(ps) == '\t') adv(ps); }
static void skip_comment(parser *ps) {
    if (peek(ps) != '#') return;
    while (peek(ps) != -1 && peek(ps) != '\n') adv(ps);
}
/* Whitespace, comments and newlines (inside arrays). */
static void skip_all(parser *ps) {
    for (;;) {
        skip_ws(ps); skip_comment(ps);
        if (peek(ps) == '\n') adv(ps);
        else if (peek(ps) == '\r' && peek_at(ps, 1) == '\n') { adv(ps); adv(ps); }
        else return;
    }
}
/* After a key/value or header: only a comment may follow on the line. */
static int end_of_line(parser *ps) {
    skip_ws(ps); skip_comment(ps);
    if (peek(ps) == '\r' && peek_at(ps, 1) == '\n') adv(ps);
    if (peek(ps) == '\n') { adv(ps); return 0; }
    if (peek(ps) == -1) return 0;
    return perr(ps, "unexpected text after the value; put one key = value per line");
}

static void add_utf8(strbuf *sb, unsigned long cp) {
    char b[4];
    if (cp < 0x80) { b[0] = (char)cp; sb_add(sb, b, 1); }
    else if (cp < 0x800) { b[0] = (char)(0xc0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3f)); sb_add(sb, b, 2); }
    else if (cp < 0x10000) { b[0] = (char)(0xe0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3f)); b[2] = (char)(0x80 | (cp & 0x3f)); sb_add(sb, b, 3); }
    else { b[0] = (char)(0xf0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3f)); b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); b[3] = (char)(0x80 | (cp & 0x3f)); sb_add(sb, b, 4); }
}

static int parse_escape(parser *ps, strbuf *sb) {
    adv(ps);   /* backslash */
    int c = peek(ps);
    switch (c) {
    case 'b': sb_addc(sb, '\b'); adv(ps); return 0;
    case 't': sb_addc(sb, '\t'); adv(ps); return 0;
    case 'n': sb_addc(sb, '\n'); adv(ps); return 0;
    case 'f': sb_addc(sb, '\f'); adv(ps); return 0;
    case 'r': sb_addc(sb, '\r'); adv(ps); return 0;
    case 'e': sb_addc(sb, 0x1b); adv(ps); return 0;
    case '"': sb_addc(sb, '"'); adv(ps); return 0;
    case '\\': sb_addc(sb, '\\'); adv(ps); return 0;
    case 'u': case 'U': {
        int nd = c == 'u' ? 4 : 8;
        adv(ps);
        unsigned long cp = 0;
        for (int i = 0; i < nd; i++) {
            int h = peek(ps);
            int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (v < 0) return perr(ps, "bad \\u escape: expected hex digits");
            cp = cp * 16 + (unsigned long)v;
            adv(ps);
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return perr(ps, "\\u escape is not a Unicode scalar value");
        add_utf8(sb, cp);
        return 0;
    }
    default:
        return perr(ps, "unknown escape in a basic string; use a literal '...' string for regexes (backslashes are kept as written)");
    }
}

/* All four string forms.  Regexes in gitleaks configs are usually '''...'''. */
static int parse_string(parser *ps, strbuf *sb) {
    bool literal = peek(ps) == '\'';
    const char *q3 = literal ? "'''" : "\"\"\"";
    char q = literal ? '\'' : '"';
    if (starts(ps, q3)) {
        adv(ps); adv(ps); adv(ps);
        if (peek(ps) == '\n') adv(ps);
        else if (peek(ps) == '\r' && peek_at(ps, 1) == '\n') { adv(ps); adv(ps); }
        for (;;) {
            if (peek(ps) == -1) return perr(ps, "unterminated multi-line string; close it with the same triple quote");
            if (starts(ps, q3)) {
                /* up to two quotes may directly precede the closing triple */
                int extra = 0;
                while (extra < 2 && peek_at(ps, 3 + (size_t)extra) == q) extra++;
                for (int i = 0; i < extra; i++) { sb_addc(sb, q); adv(ps); }
                adv(ps); adv(ps); adv(ps);
                return 0;
            }
            int c = peek(ps);
            if (!literal && c == '\\') {
                /* line-ending backslash trims the newline and following whitespace */
                const char *save = ps->p; int sl = ps->line, sc = ps->col;
                adv(ps);
                while (peek(ps) == ' ' || peek(ps) == '\t') adv(ps);
                if (peek(ps) == '\n' || (peek(ps) == '\r' && peek_at(ps, 1) == '\n')) {
                    while (peek(ps) == ' ' || peek(ps) == '\t' || peek(ps) == '\n' || peek(ps) == '\r') adv(ps);
                    continue;
                }
                ps->p = save; ps->line = sl; ps->col = sc;
                if (parse_escape(ps, sb)) return ps->rc;
                continue;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return perr(ps, "control character in a string; escape it");
            sb_addc(sb, (char)c);
            adv(ps);
        }
    }
    adv(ps);
    for (;;) {
        int c = peek(ps);
        if (c == -1 || c == '\n') return perr(ps, "unterminated string; close the quote on the same line");
        if (c == q) { adv(ps); return 0; }
        if (!literal && c == '\\') { if (parse_escape(ps, sb)) return ps->rc; continue; }
        if (c < 0x20 && c != '\t') return perr(ps, "control character in a string; escape it");
        sb_addc(sb, (char)c);
        adv(ps);
    }
}

static bool bare_key_char(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void free_parts(char **parts, size_t n) { for (size_t i = 0; i < n; i++) free(parts[i]); }

/* key ( '.' key )* -> list of up to 32 parts; on error nothing is left allocated. */
static int parse_key(parser *ps, char **parts, size_t *np) {
    *np = 0;
    for (;;) {
        skip_ws(ps);
        const char *err = NULL;
        strbuf sb = STRBUF_INIT;
        if (*np >= 32) err = "dotted key has too many parts (limit 32)";
        else if (peek(ps) == '"' || peek(ps) == '\'') {
            if (starts(ps, "\"\"\"") || starts(ps, "'''")) err = "multi-line strings cannot be keys";
            else if (parse_string(ps, &sb)) err = "";   /* already recorded */
            else if (!sb.buf) sb_adds(&sb, "");
        } else {
            while (bare_key_char(peek(ps))) { sb_addc(&sb, (char)peek(ps)); adv(ps); }
            if (!sb.len) err = "expected a key (letters, digits, _ or -, or a quoted string)";
        }
        if (!err && sb.len > 1024) err = "key longer than 1024 bytes";
        if (err) {
            sb_free(&sb);
            free_parts(parts, *np);
            *np = 0;
            return *err ? perr(ps, err) : ps->rc;
        }
        parts[(*np)++] = sb_detach(&sb);
        skip_ws(ps);
        if (peek(ps) != '.') return 0;
        adv(ps);
    }
}


static int parse_value(parser *ps, brig_toml **out, int depth);

static int parse_number_or_bool(parser *ps, brig_toml **out) {
    int line = ps->line, col = ps->col;
    if (starts(ps, "true") && !bare_key_char(peek_at(ps, 4))) {
        for (int i = 0; i < 4; i++) adv(ps);
        if (!(*out = new_node(ps, BRIG_TOML_BOOL, line, col))) return ps->rc;
        (*out)->b = true;
        return 0;
    }
    if (starts(ps, "false") && !bare_key_char(peek_at(ps, 5))) {
        for (int i = 0; i < 5; i++) adv(ps);
        if (!(*out = new_node(ps, BRIG_TOML_BOOL, line, col))) return ps->rc;
        return 0;
    }
    char buf[128];
    size_t n = 0;
    bool is_float = false;
    while (peek(ps) != -1 && (bare_key_char(peek(ps)) || peek(ps) == '.' || peek(ps) == '+')) {
        int c = peek(ps);
        if (c == ':' ) break;
        if (n + 1 >= sizeof buf) return perr(ps, "number too long");
        if (c != '_') buf[n++] = (char)c;
        if (c == '.' || ((c == 'e' || c == 'E') && !(n > 1 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')))) is_float = true;
        adv(ps);
    }
    buf[n] = 0;
    if (!n) return perr(ps, "expected a value (string, number, true/false, [array] or {table})");
    if (peek(ps) == ':' || peek(ps) == '-') return perr(ps, "dates and times are not supported in brig's TOML reader; use a string");
    char *end;
    errno = 0;
    if (!strcmp(buf, "inf") || !strcmp(buf, "+inf") || !strcmp(buf, "-inf") || !strcmp(buf, "nan") || !strcmp(buf, "+nan") || !strcmp(buf, "-nan"))
        is_float = true;
    if (is_float) {
        double d = strtod(buf, &end);
        if (*end || errno) { ps->line = line; ps->col = col; return perr(ps, "malformed number"); }
        if (!(*out = new_node(ps, BRIG_TOML_FLOAT, line, col))) return ps->rc;
        (*out)->f = d;
        return 0;
    }
    int base = 10;
    const char *digits = buf;
    bool neg = false;
    if (*digits == '+' || *digits == '-') { neg = *digits == '-'; digits++; }
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'o' || digits[1] == 'b')) {
        base = digits[1] == 'x' ? 16 : digits[1] == 'o' ? 8 : 2;
        digits += 2;
    }
    if (!*digits || *digits == '+' || *digits == '-') { ps->line = line; ps->col = col; return perr(ps, "malformed number"); }
    long long v = strtoll(digits, &end, base);
    if (*end || errno) { ps->line = line; ps->col = col; return perr(ps, "malformed or out-of-range integer"); }
    if (!(*out = new_node(ps, BRIG_TOML_INT, line, col))) return ps->rc;
    (*out)->i = neg ? -v : v;
    return 0;
}

/* Walks/creates the tables of a dotted key below t (for key/value lines). */
static int descend(parser *ps, brig_toml **t, char **parts, size_t n) {
    for (size_t i = 0; i < n; i++) {
        brig_toml *c = table_get(*t, parts[i]);
        if (!c) {
            if (!(c = new_node(ps, BRIG_TOML_TABLE, ps->line, ps->col))) return ps->rc;
            table_put(*t, parts[i], c);
        } else if (c->type != BRIG_TOML_TABLE || c->frozen) {
            return perr(ps, "dotted key extends a value that is not a table; rename the key");
        }
        *t = c;
    }
    return 0;
}

static int parse_keyval(parser *ps, brig_toml *table, int depth, bool inline_table) {
    char *parts[32];
    size_t np;
    if (parse_key(ps, parts, &np)) { return ps->rc; }
    int rc = 0;
    brig_toml *t = table;
    if ((rc = descend(ps, &t, parts, np - 1))) goto out;
    skip_ws(ps);
    if (peek(ps) != '=') { rc = perr(ps, "expected '=' after the key"); goto out; }
    adv(ps);
    skip_ws(ps);
    if (table_get(t, parts[np - 1])) { rc = perr(ps, "duplicate key; each key may be set once per table"); goto out; }
    brig_toml *v = NULL;
    if ((rc = parse_value(ps, &v, depth))) goto out;
    table_put(t, parts[np - 1], v);
    if (!inline_table) rc = end_of_line(ps);
out:
    free_parts(parts, np);
    return rc;
}

static int parse_value(parser *ps, brig_toml **out, int depth) {
    if (depth > BRIG_TOML_MAX_DEPTH) return perr(ps, "values nested too deeply (limit 32)");
    int line = ps->line, col = ps->col;
    int c = peek(ps);
    if (c == '"' || c == '\'') {
        strbuf sb = STRBUF_INIT;
        if (parse_string(ps, &sb)) { sb_free(&sb); return ps->rc; }
        if (!(*out = new_node(ps, BRIG_TOML_STRING, line, col))) { sb_free(&sb); return ps->rc; }
        (*out)->slen = sb.len;
        (*out)->s = sb.buf ? sb_detach(&sb) : xstrdup("");
        return 0;
    }
    if (c == '[') {
        adv(ps);
        brig_toml *a = new_node(ps, BRIG_TOML_ARRAY, line, col);
        if (!a) return ps->rc;
        a->frozen = true;
        for (;;) {
            skip_all(ps);
            if (peek(ps) == ']') { adv(ps); break; }
            brig_toml *v = NULL;
            if (parse_value(ps, &v, depth + 1)) { brig_toml_free(a); return ps->rc; }
            array_push(a, v);
            skip_all(ps);
            if (peek(ps) == ',') { adv(ps); continue; }
            if (peek(ps) == ']') { adv(ps); break; }
            brig_toml_free(a);
            return perr(ps, "expected ',' or ']' in the array");
        }
        *out = a;
        return 0;
    }
    if (c == '{') {
        adv(ps);
        brig_toml *t = new_node(ps, BRIG_TOML_TABLE, line, col);
        if (!t) return ps->rc;
        skip_ws(ps);
        if (peek(ps) == '}') { adv(ps); t->frozen = true; *out = t; return 0; }
        for (;;) {
            if (parse_keyval(ps, t, depth + 1, true)) { brig_toml_free(t); return ps->rc; }
            skip_ws(ps);
            if (peek(ps) == ',') { adv(ps); continue; }
            if (peek(ps) == '}') { adv(ps); break; }
            brig_toml_free(t);
            return perr(ps, "expected ',' or '}' in the inline table (inline tables must stay on one line)");
        }
        t->frozen = true;
        *out = t;
        return 0;
    }
    return parse_number_or_bool(ps, out);
}

/* [a.b.c] or [[a.b.c]]: returns the table that following keys go into. */
static int parse_header(parser *ps, brig_toml *root, brig_toml **cur) {
    int line = ps->line, col = ps->col;
    bool aot = starts(ps, "[[");
    adv(ps); if (aot) adv(ps);
    char *parts[32];
    size_t np;
    if (parse_key(ps, parts, &np)) return ps->rc;
    int rc = 0;
    skip_ws(ps);
    if (aot ? !starts(ps, "]]") : peek(ps) != ']') { rc = perr(ps, aot ? "expected ']]' to close the header" : "expected ']' to close the header"); goto out; }
    adv(ps); if (aot) adv(ps);
    brig_toml *t = root;
    for (size_t i = 0; i + 1 < np; i++) {
        brig_toml *c = table_get(t, parts[i]);
        if (!c) {
            if (!(c = new_node(ps, BRIG_TOML_TABLE, line, col))) { rc = ps->rc; goto out; }
            table_put(t, parts[i], c);
        } else if (c->type == BRIG_TOML_ARRAY && c->array_of_tables && c->n) {
            c = c->items[c->n - 1];   /* [a.b] after [[a]] means the last element of a */
        } else if (c->type != BRIG_TOML_TABLE || c->frozen) {
            rc = perr(ps, "header names a key that is not a table"); goto out;
        }
        t = c;
    }
    const char *last = parts[np - 1];
    brig_toml *c = table_get(t, last);
    if (aot) {
        if (!c) {
            if (!(c = new_node(ps, BRIG_TOML_ARRAY, line, col))) { rc = ps->rc; goto out; }
            c->array_of_tables = true;
            table_put(t, last, c);
        } else if (c->type != BRIG_TOML_ARRAY || !c->array_of_tables) {
            rc = perr(ps, "[[header]] names a key that is already a table or value"); goto out;
        }
        brig_toml *el = new_node(ps, BRIG_TOML_TABLE, line, col);
        if (!el) { rc = ps->rc; goto out; }
        el->header_defined = true;
        array_push(c, el);
        *cur = el;
    } else {
        if (!c) {
            if (!(c = new_node(ps, BRIG_TOML_TABLE, line, col))) { rc = ps->rc; goto out; }
            table_put(t, last, c);
        } else if (c->type != BRIG_TOML_TABLE || c->frozen || c->header_defined) {
            ps->line = line; ps->col = col;
            rc = perr(ps, "table defined twice (or the key already holds a value); merge the two sections");
            goto out;
        }
        c->header_defined = true;
        c->line = line; c->col = col;
        *cur = c;
    }
    rc = end_of_line(ps);
out:
    free_parts(parts, np);
    return rc;
}

int brig_toml_parse(const char *name, const char *text, size_t len, brig_toml **out) {
    if (len > BRIG_TOML_MAX_BYTES)
        return brig_fail(BRIG_EXIT_UNSAFE, "%s: %zu bytes is over the 1 MiB limit for a TOML config", name, len);
    if (memchr(text, 0, len)) {
        const char *z = memchr(text, 0, len);
        int line = 1; for (const char *p = text; p < z; p++) line += *p == '\n';
        return brig_fail(BRIG_EXIT_INPUT, "%s:%d: NUL byte in a TOML file; is this really a config?", name, line);
    }
    parser ps = { .name = name, .p = text, .end = text + len, .line = 1, .col = 1 };
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ps.p += 3;   /* UTF-8 BOM */
    brig_toml *root = new_node(&ps, BRIG_TOML_TABLE, 1, 1);
    brig_toml *cur = root;
    while (!ps.rc) {
        skip_all(&ps);
        if (peek(&ps) == -1) break;
        if (peek(&ps) == '[') parse_header(&ps, root, &cur);
        else parse_keyval(&ps, cur, 0, false);
    }
    if (ps.rc) { brig_toml_free(root); return ps.rc; }
    *out = root;
    return 0;
}
