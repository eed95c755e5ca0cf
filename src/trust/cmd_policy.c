/* brig policy check | validate: containers-policy.json decisions, explained. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "image/image.h"
#include "trust/identity.h"
#include "trust/policy_model.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f) {
    fputs("Usage: brig policy check [--policy FILE] [--format table|json] IMAGE\n"
          "       brig policy validate [--policy FILE]\n\n"
          "check     evaluates a containers-policy.json(5) trust policy for IMAGE and prints the\n"
          "          decision, the scope that applied and each requirement's result. IMAGE is any\n"
          "          brig image reference, or docker://REF to see which scope a registry image would\n"
          "          fall under (decisions needing registry signatures are not available: exit 7).\n"
          "validate  parses the policy and reports the first error with its location.\n\n"
          "Supported: default, transports (docker, oci, oci-archive, docker-archive, dir; other\n"
          "transport names are accepted and ignored), requirement types reject,\n"
          "insecureAcceptAnything, sigstoreSigned with keyPath | keyPaths | keyData | keyDatas and\n"
          "signedIdentity matchRepoDigestOrExact (default) | matchExact | matchRepository |\n"
          "exactReference | exactRepository | remapIdentity. Extension: \"brig.notAfter\":\n"
          "\"RFC3339\" on any requirement rejects after that time (key expiry). Not supported (exit 7\n"
          "when evaluated): signedBy (GPG), sigstoreSigned with fulcio/pki/rekorPublicKey*.\n"
          "Relative keyPath entries are resolved against the policy file's directory.\n\n"
          "Options:\n"
          "  --policy FILE    policy (default: $BRIG_POLICY, else /etc/containers/policy.json)\n"
          "  --format FMT     table (default) or json\n"
          "  -h, --help       show this help\n\n"
          "Exit codes: 0 accepted / valid, 2 usage, 3 policy or image unreadable or malformed,\n"
          "            4 rejected by the policy, 7 requirement type not supported by brig.\n", f);
}

static const char *default_policy(void) {
    const char *p = getenv("BRIG_POLICY");
    if (p && *p) return p;
    if (access("/etc/containers/policy.json", F_OK) == 0) return "/etc/containers/policy.json";
    return NULL;
}

static int parse_opts(int argc, char **argv, const char *cmd, const char **policy, bool *json) {
    static const struct option lo[] = {
        { "policy", required_argument, 0, 'p' }, { "format", required_argument, 0, 'f' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "h", lo, cmd)) != -1) {
        if (c == 'p') *policy = optarg;
        else if (c == 'f') {
            if (!strcmp(optarg, "json")) *json = true;
            else if (strcmp(optarg, "table") != 0) return brig_usage_error(cmd, "--format must be table or json, not '%s'", optarg);
        } else if (c == 'h') { usage(stdout); return -1; }
        else return BRIG_EXIT_USAGE;
    }
    if (!*policy) *policy = default_policy();
    if (!*policy) return brig_usage_error(cmd, "no policy: give --policy FILE or set BRIG_POLICY");
    return 0;
}

static int validate(int argc, char **argv) {
    const char *path = NULL;
    bool json = false;
    int rc = parse_opts(argc, argv, "policy validate", &path, &json);
    if (rc) return rc < 0 ? 0 : rc;
    if (optind < argc) return brig_usage_error("policy validate", "unexpected argument '%s'", argv[optind]);
    trust_policy p;
    rc = trust_policy_load(path, &p);
    if (rc) { brig_print_error(rc); return rc; }
    printf("%s: valid (%zu default requirement(s), %zu transport(s))\n", path, p.def.n, p.n_transports);
    trust_policy_free(&p);
    return 0;
}

static int check(int argc, char **argv) {
    const char *path = NULL;
    bool json = false;
    int rc = parse_opts(argc, argv, "policy check", &path, &json);
    if (rc) return rc < 0 ? 0 : rc;
    if (optind != argc - 1) return brig_usage_error("policy check", "expected exactly one IMAGE");
    const char *ref = argv[optind];
    trust_policy p;
    if ((rc = trust_policy_load(path, &p))) { brig_print_error(rc); return rc; }
    brig_image *img = NULL;
    trust_image_subject sub = {0};
    trust_dref dref = {0};
    bool docker = !strncmp(ref, "docker://", 9);
    if (docker) {
        if (!(rc = trust_dref_parse(ref, ref + 9, &dref))) {
            sub.s.transport = "docker";
            sub.s.describe = ref;
            sub.s.identity = &dref;
            sub.s.scopes = trust_docker_scopes(&dref, &sub.s.n_scopes);
        }
    } else if (!(rc = brig_image_open(ref, NULL, &img))) {
        trust_image_subject_init(img, &sub);
    }
    strbuf why = STRBUF_INIT;
    if (!rc) rc = trust_policy_evaluate(&p, &sub.s, &why);
    bool decided = rc == 0 || rc == BRIG_EXIT_INTEGRITY;
    if (json) {
        json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s?}", "image", ref, "policy", path,
                              "transport", sub.s.transport, "identity", sub.s.identity ? sub.s.identity->full : NULL,
                              "digest", sub.s.digest,
                              "decision", rc == 0 ? "accepted" : rc == BRIG_EXIT_INTEGRITY ? "rejected" : "error",
                              "reason", rc ? brig_errmsg() : NULL);
        json_object_set_new(o, "explanation", json_string(why.buf ? why.buf : ""));
        char *s = json_dumps(o, JSON_INDENT(2));
        puts(s);
        free(s); json_decref(o);
    } else if (decided) {
        printf("%s %s\n  policy: %s\n  transport: %s, identity: %s%s%s\n  %s", rc ? "REJECTED" : "ACCEPTED", ref, path,
               sub.s.transport, sub.s.identity ? sub.s.identity->full : "(none)",
               sub.s.digest ? ", digest: " : "", sub.s.digest ? sub.s.digest : "", why.buf ? why.buf : "");
        if (rc) printf("  reason: %s\n", brig_errmsg());
    }
    if (rc && (!decided || !json)) brig_print_error(rc);
    sb_free(&why);
    if (docker) {
        for (size_t i = 0; i < sub.s.n_scopes; i++) free(sub.s.scopes[i]);
        free(sub.s.scopes);
        trust_dref_free(&dref);
    } else trust_image_subject_free(&sub);
    brig_image_close(img);
    trust_policy_free(&p);
    return rc;
}

int cmd_policy(int argc, char **argv) {
    if (argc < 2) return brig_usage_error("policy", "missing subcommand (check, validate)");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) { usage(stdout); return 0; }
    if (!strcmp(argv[1], "check")) return check(argc - 1, argv + 1);
    if (!strcmp(argv[1], "validate")) return validate(argc - 1, argv + 1);
    return brig_usage_error("policy", "unknown subcommand '%s' (check, validate)", argv[1]);
}
