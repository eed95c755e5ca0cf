/* CVSS v3.0/v3.1 base score from a vector string (FIRST specification,
 * section 7.1 and Appendix A "Roundup"), and the qualitative bands. */
#include "scan/vulndb_internal.h"
#include <math.h>
#include <string.h>

/* v3.1 Roundup: avoids floating point artefacts (e.g. 4.000000001 -> 4.1). */
static double roundup(double x) {
    long long i = llround(x * 100000.0);
    if (i % 10000 == 0) return (double)i / 100000.0;
    return (floor((double)i / 10000.0) + 1.0) / 10.0;
}

double brig_cvss3_score(const char *v) {
    if (!v || strncmp(v, "CVSS:3.", 7) != 0 || (v[7] != '0' && v[7] != '1') || v[8] != '/') return -1;
    double av = -1, ac = -1, pr = -1, ui = -1, c = -1, in = -1, a = -1;
    int scope = -1;   /* 0 unchanged, 1 changed */
    char prv = 0;
    const char *p = v + 9;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *colon = memchr(p, ':', n);
        if (!colon || colon + 2 != p + n) {
            /* Temporal/environmental metrics have longer names; base ones are one letter. */
            if (!colon) return -1;
        } else {
            size_t kl = (size_t)(colon - p);
            char val = colon[1];
#define KEY(s) (kl == strlen(s) && !memcmp(p, s, kl))
            if (KEY("AV")) av = val == 'N' ? 0.85 : val == 'A' ? 0.62 : val == 'L' ? 0.55 : val == 'P' ? 0.2 : -2;
            else if (KEY("AC")) ac = val == 'L' ? 0.77 : val == 'H' ? 0.44 : -2;
            else if (KEY("PR")) { prv = val; pr = (val == 'N' || val == 'L' || val == 'H') ? 0 : -2; }
            else if (KEY("UI")) ui = val == 'N' ? 0.85 : val == 'R' ? 0.62 : -2;
            else if (KEY("S")) scope = val == 'U' ? 0 : val == 'C' ? 1 : -2;
            else if (KEY("C")) c = val == 'H' ? 0.56 : val == 'L' ? 0.22 : val == 'N' ? 0 : -2;
            else if (KEY("I")) in = val == 'H' ? 0.56 : val == 'L' ? 0.22 : val == 'N' ? 0 : -2;
            else if (KEY("A")) a = val == 'H' ? 0.56 : val == 'L' ? 0.22 : val == 'N' ? 0 : -2;
#undef KEY
        }
        if (!end) break;
        p = end + 1;
    }
    if (av < 0 || ac < 0 || pr < 0 || ui < 0 || c < 0 || in < 0 || a < 0 || scope < 0) return -1;
    pr = prv == 'N' ? 0.85 : prv == 'L' ? (scope ? 0.68 : 0.62) : (scope ? 0.5 : 0.27);
    double iss = 1 - (1 - c) * (1 - in) * (1 - a);
    double impact = scope ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    double expl = 8.22 * av * ac * pr * ui;
    if (impact <= 0) return 0;
    if (scope) return roundup(fmin(1.08 * (impact + expl), 10));
    return roundup(fmin(impact + expl, 10));
}

/* CVSS v2 base score ("AV:N/AC:L/Au:N/C:P/I:P/A:P", optionally "(...)"), v2 guide section 3.2.1. */
double brig_cvss2_score(const char *v) {
    if (!v) return -1;
    if (*v == '(') v++;
    double av = -1, ac = -1, au = -1, c = -1, in = -1, a = -1;
    const char *p = v;
    while (*p && *p != ')') {
        size_t n = strcspn(p, "/)");
        const char *colon = memchr(p, ':', n);
        if (!colon || colon + 2 != p + n) return -1;
        size_t kl = (size_t)(colon - p);
        char val = colon[1];
#define KEY(s) (kl == strlen(s) && !memcmp(p, s, kl))
#define CIA(x) x = val == 'N' ? 0 : val == 'P' ? 0.275 : val == 'C' ? 0.660 : -2
        if (KEY("AV")) av = val == 'L' ? 0.395 : val == 'A' ? 0.646 : val == 'N' ? 1.0 : -2;
        else if (KEY("AC")) ac = val == 'H' ? 0.35 : val == 'M' ? 0.61 : val == 'L' ? 0.71 : -2;
        else if (KEY("Au")) au = val == 'M' ? 0.45 : val == 'S' ? 0.56 : val == 'N' ? 0.704 : -2;
        else if (KEY("C")) CIA(c);
        else if (KEY("I")) CIA(in);
        else if (KEY("A")) CIA(a);
#undef CIA
#undef KEY
        p += n;
        if (*p == '/') p++;
    }
    if (av < 0 || ac < 0 || au < 0 || c < 0 || in < 0 || a < 0) return -1;
    double impact = 10.41 * (1 - (1 - c) * (1 - in) * (1 - a));
    double expl = 20 * av * ac * au;
    double f = impact == 0 ? 0 : 1.176;
    double base = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
    return round(base * 10) / 10;
}

brig_severity brig_cvss_severity(double s) {
    if (s < 0) return BRIG_SEV_UNKNOWN;
    if (s == 0) return BRIG_SEV_INFO;
    if (s < 4.0) return BRIG_SEV_LOW;
    if (s < 7.0) return BRIG_SEV_MEDIUM;
    if (s < 9.0) return BRIG_SEV_HIGH;
    return BRIG_SEV_CRITICAL;
}
