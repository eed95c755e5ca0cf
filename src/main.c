/* brig entry point: global flags, then dispatch to a subcommand. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "util/err.h"
#include "util/stdfd.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BRIG_VERSION
#define BRIG_VERSION "0.0.0"
#endif

static struct { const char *name; int (*fn)(int, char **); const char *summary; int group; } cmds[] = {
    { "inspect",  NULL, "show an image's digest, platform, layers, history and config", 0 },
    { "extract",  NULL, "safely unpack an image's merged root filesystem into a directory", 0 },
    { "scan",     NULL, "find packages, known vulnerabilities, secrets and misconfiguration in an image", 0 },
    { "sbom",     NULL, "write a CycloneDX 1.5 or SPDX 2.3 SBOM of an image", 0 },
    { "db",       NULL, "manage the local vulnerability database (import, update, info)", 0 },
    { "audit",    NULL, "check Dockerfiles, compose, Kubernetes, daemon/runtime configs and the host (CIS)", 0 },
    { "key",      NULL, "generate signing keys (ECDSA P-256)", 0 },
    { "sign",     NULL, "sign an image's manifest digest (cosign-compatible)", 0 },
    { "verify",   NULL, "verify an image's signature and every blob digest", 0 },
    { "policy",   NULL, "evaluate a containers-policy.json trust policy for an image", 0 },
    { "pull",     NULL, "copy an image from a registry into an OCI layout, enforcing the trust policy", 0 },
    { "run",      NULL, "run an image hardened by default (or, with --bundle, an OCI bundle)", 1 },
    { "create",   NULL, "OCI: create a container from a bundle", 2 },
    { "start",    NULL, "OCI: start a created container", 2 },
    { "state",    NULL, "OCI: print a container's state as JSON", 2 },
    { "kill",     NULL, "OCI: send a signal to a container", 2 },
    { "delete",   NULL, "OCI: delete a container", 2 },
    { "exec",     NULL, "OCI: run a process in a running container", 2 },
    { "ps",       NULL, "OCI: list processes of a container", 2 },
    { "pause",    NULL, "OCI: freeze a container", 2 },
    { "resume",   NULL, "OCI: thaw a paused container", 2 },
    { "update",   NULL, "OCI: update a container's resource limits", 2 },
    { "list",     NULL, "OCI: list containers", 2 },
    { "features", NULL, "OCI: print the runtime's supported features as JSON", 2 },
    { "spec",     NULL, "OCI: write a default (hardened) config.json", 2 },
    { "init",     NULL, NULL, 3 },
};

static void bind_cmds(void) {
    int (*fns[])(int, char **) = {
        cmd_inspect, cmd_extract, cmd_scan, cmd_sbom, cmd_db, cmd_audit, cmd_key, cmd_sign,
        cmd_verify, cmd_policy, cmd_pull, cmd_run, cmd_create, cmd_start, cmd_state, cmd_kill, cmd_delete,
        cmd_exec, cmd_ps, cmd_pause, cmd_resume, cmd_update, cmd_list, cmd_features, cmd_spec, cmd_init,
    };
    _Static_assert(sizeof fns / sizeof fns[0] == sizeof cmds / sizeof cmds[0], "command table mismatch");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) cmds[i].fn = fns[i];
}

static void usage(FILE *f) {
    fprintf(f,
        "brig %s — container security toolkit: enforce and verify\n\n"
        "Usage: brig [GLOBAL FLAGS] COMMAND [OPTIONS] [ARGS]\n"
        "       brig COMMAND --help     help for one command\n\n", BRIG_VERSION);
    static const char *groups[] = { "Image, scanning, audit and trust:", "Running containers:", "OCI runtime interface (for Podman, Docker, containerd):" };
    for (int g = 0; g < 3; g++) {
        fprintf(f, "%s\n", groups[g]);
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            if (cmds[i].group == g)
                fprintf(f, "  %-10s %s%s\n", cmds[i].name, cmds[i].summary, cmds[i].fn ? "" : " [not in this build]");
        fputc('\n', f);
    }
    fprintf(f,
        "Image references (IMAGE):\n"
        "  oci:DIR[:TAG]              OCI image layout directory\n"
        "  oci-archive:FILE[:TAG]     OCI layout packed in a tar\n"
        "  docker-archive:FILE[:REF]  `docker save` tar (may be gzip/zstd compressed)\n"
        "  dir:PATH                   plain root filesystem directory\n"
        "  PATH                       any of the above, detected automatically\n\n"
        "Global flags:\n"
        "  -h, --help                 show this help\n"
        "  -v, --version              print the version\n"
        "      --debug                verbose diagnostics on stderr\n"
        "      --root DIR             runtime state directory (default /run/brig)\n"
        "      --log FILE             runtime log file (OCI runtime mode)\n"
        "      --log-format FMT       text|json (OCI runtime mode)\n"
        "      --systemd-cgroup       use systemd cgroups (refused: not supported)\n\n"
        "Exit codes:\n"
        "  0    success, nothing at or above the failure threshold\n"
        "  1    findings at or above the failure threshold (see each command's --exit-code)\n"
        "  2    bad command line (unknown flag, missing argument)\n"
        "  3    input missing, unreadable or malformed (the message names file and position)\n"
        "  4    integrity or trust failure: digest mismatch, bad or missing signature,\n"
        "       or the trust policy rejected the image\n"
        "  5    hostile content refused: path escape, decompression bomb, size/count limit\n"
        "  6    the system refused: permission, kernel feature, I/O or resource error\n"
        "  7    feature not available in this build\n"
        "  125/126/127  `brig run`: brig failed / command not executable / command not found;\n"
        "       otherwise `brig run` exits with the container's status (128+N for signal N)\n");
}

int main(int argc, char **argv) {
    brig_stdfds_ensure_open();
    bind_cmds();
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        /* Accept both "--flag value" and "--flag=value" for the value-taking globals. */
#define VALUE_FLAG(name) ((strcmp(a, name) == 0 && i + 1 < argc && (val = argv[++i])) || \
                          (strncmp(a, name "=", sizeof(name)) == 0 && (val = a + sizeof(name))))
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
        else if (!strcmp(a, "-v") || !strcmp(a, "--version")) {
            printf("brig version %s\nspec: 1.1.0\n", BRIG_VERSION);
            return 0;
        }
        else if (!strcmp(a, "--debug")) { brig_g.debug = true; brig_verbose = 1; }
        else if (VALUE_FLAG("--root")) { brig_g.root = val; brig_g.oci_mode = true; }
        else if (VALUE_FLAG("--log")) { brig_g.log = val; brig_g.oci_mode = true; }
        else if (VALUE_FLAG("--log-format")) { brig_g.log_format = val; brig_g.oci_mode = true; }
        else if (VALUE_FLAG("--rootless")) { brig_g.rootless = val; brig_g.rootless_given = true; brig_g.oci_mode = true; }
        else if (!strcmp(a, "--systemd-cgroup")) { brig_g.systemd_cgroup = true; brig_g.oci_mode = true; }
        else {
            fprintf(stderr, "brig: unknown global flag '%s'\nTry 'brig --help'.\n", a);
            return BRIG_EXIT_USAGE;
        }
#undef VALUE_FLAG
    }
    if (i >= argc) { usage(stderr); return BRIG_EXIT_USAGE; }
    const char *name = argv[i];
    if (!strcmp(name, "help")) {
        static char *hv[3];
        if (i + 1 < argc) { hv[0] = argv[i + 1]; hv[1] = "--help"; argv = hv; argc = 2; i = 0; name = argv[0]; }
        else { usage(stdout); return 0; }
    }
    if (!strcmp(name, "version")) { printf("brig version %s\nspec: 1.1.0\n", BRIG_VERSION); return 0; }
    for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
        if (strcmp(cmds[k].name, name) != 0) continue;
        if (!cmds[k].fn) {
            fprintf(stderr, "brig: error: '%s' is not available in this build of brig\n", name);
            return BRIG_EXIT_NOTIMPL;
        }
        brig_err_clear();
        return cmds[k].fn(argc - i, argv + i);
    }
    fprintf(stderr, "brig: unknown command '%s'\nTry 'brig --help'.\n", name);
    return BRIG_EXIT_USAGE;
}
