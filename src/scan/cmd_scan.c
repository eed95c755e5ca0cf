/* `brig scan`: package inventory, known vulnerabilities, secrets and image
 * misconfiguration for one image (or secrets in a plain directory). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "image/image.h"
#include "report/findings.h"
#include "scan/ignore.h"
#include "scan/scan_inventory.h"
#include "scan/scan_match.h"
#include "scan/scan_report.h"
#include "scan/vulndb.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Scanners owned by other areas may be missing from a build (EXCLUDE, or not
 * written yet): weak references let us say so (exit 7) instead of failing to link. */
#if __has_include("secrets/secrets.h")
#include "secrets/secrets.h"
#pragma weak brig_secrets_scan_image
#pragma weak brig_secrets_scan_dir
#pragma weak brig_secrets_opts_default
#define HAVE_SECRETS_H 1
#endif
#if __has_include("misconfig/misconfig.h")
#include "misconfig/misconfig.h"
#pragma weak brig_image_close   /* image area may be left out of a build: callers check brig_image_open first */
#pragma weak brig_misconfig_scan_image
#define HAVE_MISCONFIG_H 1
#endif
#pragma weak brig_vulndb_open
#pragma weak brig_image_open

enum { SC_VULN = 1, SC_SECRET = 2, SC_MISCONFIG = 4 };

static void usage(FILE *f) {
    fputs(
        "Usage: brig scan [OPTIONS] IMAGE\n"
        "       brig scan --secrets DIR [OPTIONS]\n\n"
        "Find the packages in an image (dpkg, apk, rpm sqlite/ndb/Berkeley DB, npm, Python, Go binaries,\n"
        "Java archives), their known vulnerabilities (from the local DB, see 'brig db'),\n"
        "secrets and image misconfiguration.  Layers are read once, without extraction.\n\n"
        "Options:\n"
        "      --scanners LIST     vuln,secret,misconfig (default vuln,secret)\n"
        "  -f, --format FMT        table (default), json, sarif, cyclonedx, spdx-json\n"
        "      --severity LIST     only report these severities, e.g. CRITICAL,HIGH\n"
        "                          (UNKNOWN,INFO,LOW,MEDIUM,HIGH,CRITICAL)\n"
        "      --ignore-unfixed    hide vulnerabilities that have no fixed version\n"
        "      --exit-code N       exit N when any finding remains after filtering (default 0)\n"
        "      --ignorefile FILE   IDs to ignore: .trivyignore format, one 'ID [exp:YYYY-MM-DD] [# comment]'\n"
        "                          per line, or *.yaml/*.yml (.trivyignore.yaml: vulnerabilities/secrets/\n"
        "                          misconfigurations lists of {id, paths, expired_at, statement});\n"
        "                          expired entries stop ignoring (a note is printed)\n"
        "      --db PATH           vulnerability DB (default $BRIG_DB or ~/.cache/brig/db/vuln.db)\n"
        "      --list-packages     only list the packages found (no DB needed)\n"
        "      --secrets DIR       scan a plain directory for secrets only\n"
        "      --secret-config FILE  gitleaks-format TOML: add rules ([extend] useDefault = true)\n"
        "                          or replace the built-in ones\n"
        "      --secret-max-size BYTES  skip files larger than this (default 10 MiB)\n"
        "      --secret-allow-path REGEX  never report secrets in matching paths (repeatable)\n"
        "      --secret-skip-deleted  do not scan files that a later layer deleted or replaced\n"
        "  -o, --output FILE       write the report to FILE instead of stdout\n"
        "  -h, --help              show this help\n\n"
        "Exit codes:\n"
        "  0  scan complete, nothing left after filtering (or --exit-code not given)\n"
        "  N  the --exit-code value: findings remain\n"
        "  2  bad command line      3  image, DB or ignore file missing or malformed\n"
        "  4  blob digest mismatch  5  hostile content refused (limits)\n"
        "  6  system error          7  a requested scanner is not in this build\n", f);
}

static int parse_scanners(const char *s, unsigned *out) {
    *out = 0;
    char *copy = xstrdup(s);
    int rc = 0;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "vuln")) *out |= SC_VULN;
        else if (!strcmp(t, "secret")) *out |= SC_SECRET;
        else if (!strcmp(t, "misconfig") || !strcmp(t, "config")) *out |= SC_MISCONFIG;
        else { rc = brig_usage_error("scan", "unknown scanner '%s' (vuln, secret, misconfig)", t); break; }
    }
    free(copy);
    if (!rc && !*out) rc = brig_usage_error("scan", "--scanners needs at least one scanner");
    return rc;
}

static int parse_severities(const char *s, unsigned *mask) {
    *mask = 0;
    char *copy = xstrdup(s);
    int rc = 0;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int sev = brig_severity_parse(t);
        if (sev < 0) { rc = brig_usage_error("scan", "unknown severity '%s'", t); break; }
        *mask |= 1u << sev;
    }
    free(copy);
    return rc;
}

/* Severity filter + ignore file applied to rule findings (removed in place). */
static void filter_findings(brig_findings *fs, unsigned sev_mask, brig_ignore *ig) {
    size_t w = 0;
    for (size_t i = 0; i < fs->n; i++) {
        brig_finding *f = &fs->v[i];
        int drop = (sev_mask && !(sev_mask & (1u << f->severity))) || brig_ignore_match(ig, f->rule_id, NULL, 0, f->file);
        if (drop) {
            free(f->rule_id); free(f->title); free(f->message); free(f->file);
            free(f->rationale); free(f->fix); free(f->help_uri); free(f->extra_json);
            continue;
        }
        fs->v[w++] = *f;
    }
    fs->n = w;
}


static int write_report(const char *outpath, brig_format fmt, brig_scan_result *res) {
    res->color = (!outpath || !strcmp(outpath, "-")) && fmt == BRIG_FMT_TABLE && brig_stdout_tty();
    return brig_scan_write_path(outpath, fmt, res, "report");
}

/* Secret-scanner options given on the command line. */
typedef struct {
    const char *config;
    size_t max_size;
    char *allow[64]; size_t n_allow;
    bool skip_deleted;
} secret_cli;

#ifdef HAVE_SECRETS_H
static void secret_opts(brig_secrets_opts *o, secret_cli *sc) {
    brig_secrets_opts_default(o);
    if (sc->config) { o->config_path = sc->config; o->config_replaces = true; }  /* gitleaks semantics */
    if (sc->max_size) o->max_file_bytes = sc->max_size;
    if (sc->n_allow) { o->allow_paths = sc->allow; o->n_allow_paths = sc->n_allow; }
    if (sc->skip_deleted) o->include_deleted = false;
}
#endif

static int scan_dir_secrets(const char *dir, brig_format fmt, unsigned sev_mask, brig_ignore *ig,
                            const char *outpath, int exit_code, secret_cli *sc) {
#ifdef HAVE_SECRETS_H
    if (brig_secrets_scan_dir && brig_secrets_opts_default) {
        brig_secrets_opts o;
        secret_opts(&o, sc);
        brig_findings fs = {0};
        int rc = brig_secrets_scan_dir(dir, &o, &fs);
        if (!rc) {
            filter_findings(&fs, sev_mask, ig);
            brig_scan_result res = { .target = dir, .secrets = &fs };
            rc = write_report(outpath, fmt, &res);
            if (!rc && exit_code && fs.n) { brig_findings_free(&fs); return exit_code; }
        }
        brig_findings_free(&fs);
        if (rc) brig_print_error(rc);
        return rc;
    }
#else
    (void)dir; (void)fmt; (void)sev_mask; (void)ig; (void)outpath; (void)exit_code; (void)sc;
#endif
    return brig_fail(BRIG_EXIT_NOTIMPL, "the secret scanner is not available in this build of brig");
}

int cmd_scan(int argc, char **argv) {
    static const struct option opts[] = {
        { "scanners", required_argument, NULL, 'S' }, { "format", required_argument, NULL, 'f' },
        { "severity", required_argument, NULL, 's' }, { "ignore-unfixed", no_argument, NULL, 'U' },
        { "exit-code", required_argument, NULL, 'e' }, { "ignorefile", required_argument, NULL, 'i' },
        { "db", required_argument, NULL, 'd' }, { "list-packages", no_argument, NULL, 'L' },
        { "secrets", required_argument, NULL, 'D' }, { "output", required_argument, NULL, 'o' },
        { "secret-config", required_argument, NULL, 'C' }, { "secret-max-size", required_argument, NULL, 'M' },
        { "secret-allow-path", required_argument, NULL, 'A' }, { "secret-skip-deleted", no_argument, NULL, 'X' },
        { "help", no_argument, NULL, 'h' }, { 0 },
    };
    secret_cli sc = {0};
    unsigned scanners = SC_VULN | SC_SECRET, sev_mask = 0;
    int fmt = BRIG_FMT_TABLE, exit_code = 0, c;
    bool ignore_unfixed = false, list_only = false, scanners_given = false;
    const char *ignorefile = NULL, *dbpath = NULL, *secrets_dir = NULL, *outpath = NULL;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "f:o:h", opts, "scan")) != -1) {
        switch (c) {
        case 'S': if (parse_scanners(optarg, &scanners)) return BRIG_EXIT_USAGE; scanners_given = true; break;
        case 'f':
            fmt = brig_format_parse(optarg);
            if (fmt < 0) return brig_usage_error("scan", "unknown format '%s' (table, json, sarif, cyclonedx, spdx-json)", optarg);
            break;
        case 's': if (parse_severities(optarg, &sev_mask)) return BRIG_EXIT_USAGE; break;
        case 'U': ignore_unfixed = true; break;
        case 'e': {
            char *end; errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || v < 0 || v > 255)
                return brig_usage_error("scan", "--exit-code needs a number 0-255, not '%s'", optarg);
            exit_code = (int)v;
            break;
        }
        case 'i': ignorefile = optarg; break;
        case 'd': dbpath = optarg; break;
        case 'L': list_only = true; break;
        case 'D': secrets_dir = optarg; break;
        case 'o': outpath = optarg; break;
        case 'C': sc.config = optarg; break;
        case 'M': {
            char *end; errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || *end || end == optarg || v == 0)
                return brig_usage_error("scan", "--secret-max-size needs a positive number of bytes, not '%s'", optarg);
            sc.max_size = (size_t)v;
            break;
        }
        case 'A':
            if (sc.n_allow < sizeof sc.allow / sizeof sc.allow[0] - 1) sc.allow[sc.n_allow++] = optarg;
            else return brig_usage_error("scan", "too many --secret-allow-path options (at most 63)");
            break;
        case 'X': sc.skip_deleted = true; break;
        case 'h': usage(stdout); return 0;
        default: return BRIG_EXIT_USAGE;
        }
    }
    brig_ignore ig = {0}, *igp = NULL;
    int rc = 0;
    if (ignorefile) {
        if ((rc = brig_ignore_load(ignorefile, time(NULL), &ig))) { brig_print_error(rc); return rc; }
        igp = &ig;
        brig_ignore_report_expired(igp, stderr);
    }
    if (secrets_dir) {
        if (optind < argc) { brig_ignore_free(&ig); return brig_usage_error("scan", "--secrets DIR takes no IMAGE argument"); }
        if (scanners_given && scanners != SC_SECRET) { brig_ignore_free(&ig); return brig_usage_error("scan", "--secrets DIR only runs the secret scanner"); }
        if (fmt == BRIG_FMT_CYCLONEDX || fmt == BRIG_FMT_SPDX) {
            brig_ignore_free(&ig);
            return brig_usage_error("scan", "--secrets DIR has no packages: use table, json or sarif");
        }
        rc = scan_dir_secrets(secrets_dir, (brig_format)fmt, sev_mask, igp, outpath, exit_code, &sc);
        if (rc == BRIG_EXIT_NOTIMPL) brig_print_error(rc);
        brig_ignore_free(&ig);
        return rc;
    }
    if (optind >= argc) { brig_ignore_free(&ig); return brig_usage_error("scan", "missing IMAGE"); }
    if (optind + 1 < argc) { brig_ignore_free(&ig); return brig_usage_error("scan", "unexpected argument '%s'", argv[optind + 1]); }
    const char *ref = argv[optind];
    if (list_only) scanners = 0;
    /* SBOM formats carry packages and vulnerabilities only: do not spend a pass on
     * secrets nobody will see unless they were asked for explicitly. */
    if (!scanners_given && (fmt == BRIG_FMT_CYCLONEDX || fmt == BRIG_FMT_SPDX)) scanners &= SC_VULN;
    bool need_inv = list_only || (scanners & SC_VULN) || fmt == BRIG_FMT_CYCLONEDX || fmt == BRIG_FMT_SPDX;

    brig_vulndb *db = NULL;
    brig_image *img = NULL;
    brig_inventory inv; memset(&inv, 0, sizeof inv);
    brig_vulnlist vulns = {0};
    brig_findings secrets = {0}, misconf = {0};
    bool findings_exit = false, have_inv = false, have_vulns = false, have_secrets = false, have_misconf = false;

    /* Fail fast on what is missing before reading any layer. */
    if ((scanners & SC_SECRET)) {
#ifdef HAVE_SECRETS_H
        if (!brig_secrets_scan_image || !brig_secrets_opts_default)
#endif
        { rc = brig_fail(BRIG_EXIT_NOTIMPL, "the secret scanner is not available in this build of brig; use --scanners vuln"); goto out; }
    }
    if ((scanners & SC_MISCONFIG)) {
#ifdef HAVE_MISCONFIG_H
        if (!brig_misconfig_scan_image)
#endif
        { rc = brig_fail(BRIG_EXIT_NOTIMPL, "the misconfiguration scanner is not available in this build of brig"); goto out; }
    }
    if (scanners & SC_VULN) {
        if (!brig_vulndb_open) { rc = brig_fail(BRIG_EXIT_NOTIMPL, "the vulnerability database is not available in this build of brig"); goto out; }
        if ((rc = brig_vulndb_open(dbpath, &db))) goto out;
    }
    if (!brig_image_open) { rc = brig_fail(BRIG_EXIT_NOTIMPL, "image input is not available in this build of brig"); goto out; }
    if ((rc = brig_image_open(ref, NULL, &img))) goto out;
    if (need_inv) {
        if ((rc = brig_inventory_image(img, &inv))) goto out;
        have_inv = true;
        for (size_t i = 0; i < inv.n_warnings; i++) brig_warn("%s", inv.warnings[i]);
    }
    if (scanners & SC_VULN) {
        if ((rc = brig_scan_match(db, &inv.os, &inv.pkgs, &vulns))) goto out;
        if ((rc = brig_scan_coverage_warn(db, &inv.os, &inv.pkgs))) goto out;
        have_vulns = true;
        brig_scan_filter(&vulns, sev_mask, ignore_unfixed);
        for (size_t i = 0; i < vulns.n; i++)
            vulns.v[i].ignored = brig_ignore_match(igp, vulns.v[i].m.id, vulns.v[i].m.aliases, vulns.v[i].m.n_aliases,
                                                 inv.pkgs.v[vulns.v[i].pkg].path);
    }
#ifdef HAVE_SECRETS_H
    if (scanners & SC_SECRET) {
        brig_secrets_opts o;
        secret_opts(&o, &sc);
        if ((rc = brig_secrets_scan_image(img, &o, &secrets))) goto out;
        filter_findings(&secrets, sev_mask, igp);
        have_secrets = true;
    }
#endif
#ifdef HAVE_MISCONFIG_H
    if (scanners & SC_MISCONFIG) {
        if ((rc = brig_misconfig_scan_image(img, &misconf))) goto out;
        filter_findings(&misconf, sev_mask, igp);
        have_misconf = true;
    }
#endif
    {
        brig_scan_result res = {
            .img = img, .target = ref, .inv = have_inv ? &inv : NULL, .vulns = have_vulns ? &vulns : NULL,
            .secrets = have_secrets ? &secrets : NULL, .misconfig = have_misconf ? &misconf : NULL,
            .packages_only = list_only,
        };
        if ((rc = write_report(outpath, (brig_format)fmt, &res))) goto out;
        size_t remaining = (have_vulns ? brig_scan_visible(&vulns) : 0) + secrets.n + misconf.n;
        if (exit_code && remaining) { rc = exit_code; findings_exit = true; }
    }
out:
    if (rc && !findings_exit) brig_print_error(rc);
    brig_vulnlist_free(&vulns);
    brig_findings_free(&secrets);
    brig_findings_free(&misconf);
    brig_inventory_free(&inv);
    if (img) brig_image_close(img);
    if (db) brig_vulndb_close(db);
    brig_ignore_free(&ig);
    return rc;
}
