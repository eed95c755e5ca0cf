/* `brig audit`: option parsing, input discovery (files, directories, `host`),
 * type detection, and the report. */
#include "audit/audit.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define AUDIT_MAX_FILES 100000

static void help(void) {
    printf(
        "Usage: brig audit [OPTIONS] INPUT...\n"
        "       brig audit [OPTIONS] host\n\n"
        "Check container configuration against the CIS Docker Benchmark v1.6.0, hadolint's\n"
        "Dockerfile rules and the Kubernetes Pod Security Standards.\n\n"
        "Inputs (detected from the name, then the content; --type overrides):\n"
        "  Dockerfile, Containerfile, *.Dockerfile     Dockerfile rules (CIS 4.x, hadolint DLxxxx)\n"
        "  *compose*.yml|yaml                          docker compose services (CIS 5.x)\n"
        "  docker inspect output (JSON array)          running containers (CIS 5.x)\n"
        "  daemon.json                                 Docker daemon settings (CIS 2.x)\n"
        "  *.yaml with apiVersion/kind                 Kubernetes workloads (Pod Security Standards)\n"
        "  config.json with ociVersion                 OCI runtime bundle config (CIS 5.x)\n"
        "  host                                        this machine: kernel features, CIS 3.x files,\n"
        "                                              /etc/docker/daemon.json (each check pass/fail/n-a;\n"
        "                                              table and JSON \"host_checks\" list all, SARIF the failures)\n"
        "  DIR                                         recursed: Dockerfile*, Containerfile*, *compose*.y*ml,\n"
        "                                              Kubernetes *.yaml/*.yml, daemon.json, OCI config.json\n"
        "                                              (hidden entries, node_modules and symlinks are skipped)\n\n"
        "Options:\n"
        "  -t, --type TYPE        dockerfile|compose|docker-inspect|daemon|kubernetes|oci-config|host\n"
        "  -f, --format FMT       table (default), json or sarif (SARIF 2.1.0)\n"
        "  -s, --severity MIN     report only findings at or above MIN (INFO, LOW, MEDIUM, HIGH, CRITICAL)\n"
        "      --fail-on SEV      severity that makes the exit status non-zero (default LOW)\n"
        "      --exit-code N      exit status when findings at or above --fail-on remain (default 1; 0 never fails)\n"
        "      --pss LEVEL        Pod Security Standard for Kubernetes: baseline or restricted (default restricted)\n"
        "      --ignore ID,...    drop these rule IDs (e.g. CIS-5.19,DL3008); may be repeated\n"
        "  -o, --output FILE      write the report to FILE instead of stdout\n"
        "      --host-root DIR    for `host`: read files under DIR instead of / (testing, chroots)\n"
        "      --list-rules       print every rule ID, severity and title, then exit\n"
        "  -h, --help             show this help\n\n"
        "In a directory, a malformed file is reported on stderr and skipped; the other files are\n"
        "still audited and the exit status is then 3 (or 5).  Unnamed YAML over 4 MiB and Go/Helm\n"
        "templates ({{ }}) are skipped with a warning: audit Helm charts after `helm template`.\n\n"
        "Suppressions: `--ignore ID` for the run; in a Dockerfile `# hadolint ignore=DL3008,CIS-4.10`\n"
        "(or `# brig ignore=...`) above an instruction, `# hadolint global ignore=...` for the file.\n\n"
        "Limits: 4 MiB per file, 10000 Dockerfile instructions, YAML nesting depth 64, alias\n"
        "expansion 1000000 nodes, 100000 files per run.\n\n"
        "Exit codes:\n"
        "  0    no finding at or above --fail-on\n"
        "  1    findings at or above --fail-on (or the value of --exit-code)\n"
        "  2    bad command line\n"
        "  3    an input is missing, unreadable, malformed or of unknown type (FILE:LINE:COL in the message)\n"
        "  5    an input exceeds a limit (size, nesting, alias expansion, instruction count)\n"
        "  6    the system refused (I/O error writing the report)\n");
}

typedef struct {
    audit_ctx ctx;
    int forced_type;
    const char *host_root;
    brig_format fmt;
    size_t files;
    host_result *host; size_t n_host;
    bool did_host;
    int input_rc;      /* directory mode: first error of a file that was skipped */
} run;

static const char *base_name(const char *p) { const char *s = strrchr(p, '/'); return s ? s + 1 : p; }

static audit_type type_by_name(const char *path) {
    const char *b = base_name(path);
    if (!fnmatch("Dockerfile*", b, 0) || !fnmatch("Containerfile*", b, 0) || !fnmatch("*.[Dd]ockerfile", b, 0) ||
        !fnmatch("*.[Cc]ontainerfile", b, 0) || !fnmatch("dockerfile*", b, 0)) return AUDIT_T_DOCKERFILE;
    if (!fnmatch("*compose*.y*ml", b, 0)) return AUDIT_T_COMPOSE;
    if (!strcmp(b, "daemon.json")) return AUDIT_T_DAEMON;
    return AUDIT_T_NONE;
}

/* First instruction word of a Dockerfile-looking text (FROM or ARG), skipping comments. */
static bool looks_like_dockerfile(const char *buf) {
    const char *p = buf;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
        if (*p == '#') { p += strcspn(p, "\n"); continue; }
        size_t w = strcspn(p, " \t\r\n");
        return (w == 4 && !strncasecmp(p, "FROM", 4)) || (w == 3 && !strncasecmp(p, "ARG", 3));
    }
    return false;
}

static audit_type type_by_content(const ydoc *d) {
    const ynode *r = d->n_docs ? d->docs[0] : NULL;
    if (r && r->kind == YN_SEQ) {
        const ynode *f = yn_at(r, 0);
        if (yn_get(f, "HostConfig") || (yn_get(f, "Config") && yn_get(f, "State"))) return AUDIT_T_INSPECT;
        return AUDIT_T_NONE;
    }
    if (r && r->kind == YN_MAP) {
        if (yn_get(r, "ociVersion")) return AUDIT_T_OCI;
        if (yn_get(r, "HostConfig")) return AUDIT_T_INSPECT;
        const ynode *s = yn_get(r, "services");
        if (s && s->kind == YN_MAP) return AUDIT_T_COMPOSE;
        static const char *const daemon_keys[] = { "hosts", "icc", "log-driver", "log-level", "insecure-registries", "userns-remap",
            "live-restore", "userland-proxy", "storage-driver", "exec-opts", "data-root", "registry-mirrors", "default-ulimits",
            "no-new-privileges", "tlsverify", "experimental", "iptables", NULL };
        for (int i = 0; daemon_keys[i]; i++) if (yn_get(r, daemon_keys[i])) return AUDIT_T_DAEMON;
    }
    for (size_t i = 0; i < d->n_docs; i++)
        if (yn_get(d->docs[i], "apiVersion") && yn_get(d->docs[i], "kind")) return AUDIT_T_K8S;
    return AUDIT_T_NONE;
}

/* Loads YAML or JSON with positions.  JSON is validated by jansson first (exact
 * JSON errors); if libyaml cannot take a valid JSON text, positions are dropped. */
static int load_tree(const char *name, const char *buf, size_t len, ydoc **out) {
    size_t i = 0;
    while (i < len && isspace((unsigned char)buf[i])) i++;
    bool json = i < len && (buf[i] == '{' || buf[i] == '[');
    if (json) {
        json_t *j;
        int rc = brig_json_parse(name, buf, len, &j);
        if (rc) return rc;
        if (ydoc_parse(name, buf, len, out) != 0) { brig_err_clear(); *out = ydoc_from_json(j); }
        json_decref(j);
        return 0;
    }
    return ydoc_parse(name, buf, len, out);
}

/* Audits one file; in directory mode (`strict` false) files of unknown type are skipped. */
static int audit_file(run *R, const char *path, bool strict) {
    if (++R->files > AUDIT_MAX_FILES) return brig_fail(BRIG_EXIT_UNSAFE, "%s: more than %d files; narrow the input", path, AUDIT_MAX_FILES);
    char *buf; size_t len;
    int rc = brig_read_file(path, YDOC_MAX_BYTES, &buf, &len);
    if (rc) return rc;
    audit_type t = R->forced_type ? (audit_type)R->forced_type : type_by_name(path);
    if (!t && looks_like_dockerfile(buf)) t = AUDIT_T_DOCKERFILE;
    R->ctx.file = path;
    if (t == AUDIT_T_DOCKERFILE) { rc = audit_dockerfile(&R->ctx, buf, len); free(buf); return rc; }
    ydoc *d = NULL;
    rc = load_tree(path, buf, len, &d);
    /* In a directory walk, Helm/Go templates are not YAML yet: say so, do not fail the run. */
    if (rc == BRIG_EXIT_INPUT && !strict && !t && strstr(buf, "{{")) {
        brig_warn("%s: skipped: a template, not YAML (%s); audit the rendered output (helm template ...)", path, brig_errmsg());
        brig_err_clear();
        rc = 0;
    }
    free(buf);
    if (rc || !d) return rc;
    if (!t) t = type_by_content(d);
    switch (t) {
    case AUDIT_T_COMPOSE: rc = audit_compose(&R->ctx, d); break;
    case AUDIT_T_K8S: rc = audit_k8s(&R->ctx, d); break;
    case AUDIT_T_INSPECT: rc = audit_inspect(&R->ctx, d); break;
    case AUDIT_T_DAEMON: rc = audit_daemon(&R->ctx, d); break;
    case AUDIT_T_OCI: rc = audit_oci(&R->ctx, d); break;
    default:
        rc = strict ? brig_fail(BRIG_EXIT_INPUT, "%s: cannot tell what kind of file this is; use --type "
                                "dockerfile|compose|docker-inspect|daemon|kubernetes|oci-config", path) : 0;
        if (!strict) brig_debug("audit: skipping %s (not a recognised configuration file)", path);
    }
    ydoc_free(d);
    return rc;
}

/* Files a directory walk looks at: named kinds, plus Kubernetes-looking YAML and OCI
 * bundle configs (other JSON, e.g. package-lock.json, is never a config we audit). */
static bool dir_candidate(const char *name) {
    if (type_by_name(name)) return true;
    return !fnmatch("*.yaml", name, 0) || !fnmatch("*.yml", name, 0) || !strcmp(name, "config.json");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int audit_dir(run *R, const char *dir, int depth) {
    if (depth > 64) return brig_fail(BRIG_EXIT_UNSAFE, "%s: directories nested deeper than 64 levels", dir);
    DIR *dh = opendir(dir);
    if (!dh) return brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot open directory", dir);
    char **names = NULL; size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.' ) continue;   /* ., .., .git, editor files */
        if (!strcmp(e->d_name, "node_modules")) continue;
        names = xgrow(names, &cap, n + 1, sizeof *names);
        names[n++] = xstrdup(e->d_name);
        if (n > AUDIT_MAX_FILES) break;
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);   /* deterministic report order */
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char *p = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        struct stat st;
        /* lstat: never follow symlinks out of the tree being audited. */
        if (lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode)) rc = audit_dir(R, p, depth + 1);
            else if (S_ISREG(st.st_mode) && dir_candidate(names[i]) && !type_by_name(names[i]) && (size_t)st.st_size > YDOC_MAX_BYTES)
                brig_warn("%s: skipped: larger than 4 MiB (give it explicitly to audit it)", p);
            else if (S_ISREG(st.st_mode) && dir_candidate(names[i])) {
                /* One malformed file must not hide the findings of the others:
                 * report it now, finish the run, and exit with its code. */
                rc = audit_file(R, p, false);
                if (rc == BRIG_EXIT_INPUT || (rc == BRIG_EXIT_UNSAFE && R->files <= AUDIT_MAX_FILES)) {
                    brig_print_error(rc);
                    if (!R->input_rc) R->input_rc = rc;
                    rc = 0;
                }
            }
        }
        free(p);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

static int audit_host_input(run *R) {
    if (R->did_host) return 0;
    R->did_host = true;
    R->ctx.file = "host";
    int rc = audit_host(&R->ctx, R->host_root, &R->host, &R->n_host);
    if (rc) return rc;
    char *dj = xasprintf("%s/etc/docker/daemon.json", R->host_root ? R->host_root : "");
    struct stat st;
    if (stat(dj, &st) == 0) {
        int save = R->forced_type; R->forced_type = AUDIT_T_DAEMON;
        rc = audit_file(R, dj, true);
        R->forced_type = save;
    }
    free(dj);
    return rc;
}

/* brig's own host rules are titled by their failure; status lists show the neutral check. */
static const char *host_check_title(const char *id) {
    static const char *const own[][2] = { { "BRIG-AUD-030", "User namespaces are available" },
        { "BRIG-AUD-031", "Kernel supports seccomp filtering" }, { "BRIG-AUD-032", "A Linux security module (AppArmor/SELinux) is enabled" },
        { "BRIG-AUD-033", "The unified cgroup v2 hierarchy is in use" } };
    for (size_t k = 0; k < sizeof own / sizeof own[0]; k++) if (!strcmp(own[k][0], id)) return own[k][1];
    const audit_rule *r = audit_rule_find(id);
    return r ? r->title : "";
}

static void print_host_table(FILE *out, const run *R) {
    static const char *const st[] = { "PASS", "FAIL", "N/A" };
    size_t cnt[3] = { 0 };
    fprintf(out, "%-6s  %-13s  %s\n", "STATUS", "CHECK", "TITLE / DETAIL");
    for (size_t i = 0; i < R->n_host; i++) {
        const host_result *h = &R->host[i];
        fprintf(out, "%-6s  %-13s  %s\n%23s%s\n", st[h->st], h->id, host_check_title(h->id), "", h->detail);
        cnt[h->st]++;
    }
    fprintf(out, "host checks: %zu pass, %zu fail, %zu not applicable\n\n", cnt[0], cnt[1], cnt[2]);
}

/* JSON for `host`: the findings document plus every check's status (pass/fail/n-a),
 * since passing and not-applicable checks are not findings. */
static int write_host_json(FILE *out, const run *R, const brig_findings *fs) {
    char *buf = NULL; size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) return brig_fail_errno(BRIG_EXIT_SYSTEM, "cannot buffer the report");
    int rc = brig_findings_write(mem, BRIG_FMT_JSON, fs, "audit");
    fclose(mem);
    json_t *doc = NULL;
    if (!rc) rc = brig_json_parse("report", buf, len, &doc);
    free(buf);
    if (rc) return rc;
    static const char *const st[] = { "pass", "fail", "not-applicable" };
    json_t *arr = json_array();
    for (size_t i = 0; i < R->n_host; i++) {
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "id", R->host[i].id, "title", host_check_title(R->host[i].id),
                                             "status", st[R->host[i].st], "detail", R->host[i].detail));
    }
    json_object_set_new(doc, "host_checks", arr);
    int w = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(doc);
    return w != 0 || ferror(out) ? brig_fail(BRIG_EXIT_SYSTEM, "could not write the report") : 0;
}

static void add_ignores(run *R, const char *list) {
    char *d = xstrdup(list), *save = NULL;
    for (char *t = strtok_r(d, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        R->ctx.ignore = xrealloc(R->ctx.ignore, (R->ctx.n_ignore + 1) * sizeof *R->ctx.ignore);
        R->ctx.ignore[R->ctx.n_ignore++] = xstrdup(t);
    }
    free(d);
}

int cmd_audit(int argc, char **argv) {
    enum { O_FAIL_ON = 1000, O_EXIT_CODE, O_PSS, O_IGNORE, O_HOST_ROOT, O_LIST };
    static const struct option lo[] = {
        { "type", required_argument, 0, 't' }, { "format", required_argument, 0, 'f' },
        { "severity", required_argument, 0, 's' }, { "fail-on", required_argument, 0, O_FAIL_ON },
        { "exit-code", required_argument, 0, O_EXIT_CODE }, { "pss", required_argument, 0, O_PSS },
        { "ignore", required_argument, 0, O_IGNORE }, { "output", required_argument, 0, 'o' },
        { "host-root", required_argument, 0, O_HOST_ROOT }, { "list-rules", no_argument, 0, O_LIST },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    brig_findings fs = { 0 };
    run R = { .ctx = { .fs = &fs, .pss = AUDIT_PSS_RESTRICTED }, .fmt = BRIG_FMT_TABLE };
    int fail_on = BRIG_SEV_LOW, exit_code = BRIG_EXIT_FINDINGS, c, rc = 0;
    const char *output = NULL;
    bool list = false;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "t:f:s:o:h", lo, "audit")) != -1) {
        switch (c) {
        case 't':
            if ((R.forced_type = audit_type_parse(optarg)) < 0) { rc = brig_usage_error("audit", "unknown --type '%s'", optarg); goto out; }
            break;
        case 'f': {
            int f = brig_format_parse(optarg);
            if (f != BRIG_FMT_TABLE && f != BRIG_FMT_JSON && f != BRIG_FMT_SARIF) { rc = brig_usage_error("audit", "--format must be table, json or sarif"); goto out; }
            R.fmt = (brig_format)f; break;
        }
        case 's': {
            int s = brig_severity_parse(optarg);
            if (s < 0) { rc = brig_usage_error("audit", "unknown severity '%s'", optarg); goto out; }
            R.ctx.min_sev = (brig_severity)s; break;
        }
        case O_FAIL_ON:
            if ((fail_on = brig_severity_parse(optarg)) < 0) { rc = brig_usage_error("audit", "unknown severity '%s'", optarg); goto out; }
            break;
        case O_EXIT_CODE: {
            char *end; long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 0 || v > 255) { rc = brig_usage_error("audit", "--exit-code needs a number 0-255"); goto out; }
            exit_code = (int)v; break;
        }
        case O_PSS:
            if (!strcmp(optarg, "baseline")) R.ctx.pss = AUDIT_PSS_BASELINE;
            else if (!strcmp(optarg, "restricted")) R.ctx.pss = AUDIT_PSS_RESTRICTED;
            else { rc = brig_usage_error("audit", "--pss must be baseline or restricted"); goto out; }
            break;
        case O_IGNORE: add_ignores(&R, optarg); break;
        case 'o': output = optarg; break;
        case O_HOST_ROOT: R.host_root = optarg; break;
        case O_LIST: list = true; break;
        case 'h': help(); goto out;
        default: rc = BRIG_EXIT_USAGE; goto out;
        }
    }
    if (list) {
        size_t n; const audit_rule *rs = audit_rules(&n);
        for (size_t i = 0; i < n; i++) printf("%-28s %-8s %s\n", rs[i].id, brig_severity_name(rs[i].sev), rs[i].title);
        goto out;
    }
    if (optind >= argc && R.forced_type == AUDIT_T_HOST) rc = audit_host_input(&R);
    else if (optind >= argc) { rc = brig_usage_error("audit", "no input given (a file, a directory or 'host')"); goto out; }
    for (int i = optind; i < argc && !rc; i++) {
        const char *in = argv[i];
        struct stat st;
        if ((R.forced_type == AUDIT_T_HOST) || (!strcmp(in, "host") && !R.forced_type)) { rc = audit_host_input(&R); continue; }
        if (strcmp(in, "-") != 0 && stat(in, &st) != 0) { rc = brig_fail_errno(BRIG_EXIT_INPUT, "%s: cannot read the input", in); break; }
        if (strcmp(in, "-") != 0 && S_ISDIR(st.st_mode)) rc = audit_dir(&R, in, 0);
        else rc = audit_file(&R, in, true);
    }
    if (rc) { brig_print_error(rc); goto out; }
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) { rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot write the report", output); brig_print_error(rc); goto out; }
    brig_findings_sort(&fs);
    if (R.did_host && R.fmt == BRIG_FMT_TABLE) print_host_table(out, &R);
    rc = R.did_host && R.fmt == BRIG_FMT_JSON ? write_host_json(out, &R, &fs) : brig_findings_write(out, R.fmt, &fs, "audit");
    if (out != stdout && fclose(out) != 0 && !rc) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot write the report", output);
    if (rc) { brig_print_error(rc); goto out; }
    if (brig_findings_count_at_least(&fs, (brig_severity)fail_on) > 0) rc = exit_code;
    if (R.input_rc) rc = R.input_rc;   /* an unreadable input outranks findings */
out:
    for (size_t i = 0; i < R.ctx.n_ignore; i++) free(R.ctx.ignore[i]);
    free(R.ctx.ignore);
    free(R.host);
    brig_findings_free(&fs);
    return rc;
}
