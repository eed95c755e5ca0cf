/* brig key generate | public */
#include "cli/cli.h"
#include "cli/commands.h"
#include "trust/keys.h"
#include "util/err.h"
#include "util/xalloc.h"
#include "util/lazy_crypto.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fputs("Usage: brig key generate [--output-key-prefix PREFIX] [--key-format pkcs8|cosign] [--force]\n"
          "       brig key public --key PRIVATE.key\n\n"
          "generate  writes PREFIX.key (ECDSA P-256 private key, PKCS#8 PEM encrypted with\n"
          "          AES-256-CBC, or with --key-format cosign cosign's own \"ENCRYPTED SIGSTORE\n"
          "          PRIVATE KEY\" format: scrypt + NaCl secretbox, usable by 'cosign sign --key')\n"
          "          and PREFIX.pub (PEM SubjectPublicKeyInfo). Default PREFIX: cosign.\n"
          "          The passphrase comes from $BRIG_PASSWORD, else $COSIGN_PASSWORD, else a\n"
          "          terminal prompt (asked twice, not echoed). An unencrypted key is written only\n"
          "          when the variable is set and explicitly empty (BRIG_PASSWORD=) and the format\n"
          "          is pkcs8 (cosign's format is always encrypted, as cosign does).\n"
          "public    prints the public key (PEM) of a private key.\n\n"
          "Options:\n"
          "  --output-key-prefix PREFIX  path prefix of the two files (default: cosign)\n"
          "  --key-format FMT            pkcs8 (default) or cosign\n"
          "  --force                     overwrite existing PREFIX.key / PREFIX.pub\n"
          "  --key FILE                  private key (public)\n"
          "  -h, --help                  show this help\n\n"
          "Private keys are read in every format above (and unencrypted PKCS#8/SEC1 PEM), so keys\n"
          "made by 'cosign generate-key-pair' work with 'brig sign' unchanged.\n\n"
          "Exit codes: 0 ok, 2 usage, 3 unreadable key / wrong or missing passphrase / file exists,\n"
          "            6 system error, 7 unsupported key format.\n", f);
}

static int generate(int argc, char **argv) {
    static const struct option lo[] = {
        { "output-key-prefix", required_argument, 0, 'o' }, { "force", no_argument, 0, 'f' },
        { "key-format", required_argument, 0, 'F' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *prefix = "cosign";
    bool force = false, cosign = false;
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "h", lo, "key generate")) != -1) {
        if (c == 'o') prefix = optarg;
        else if (c == 'F') {
            if (!strcmp(optarg, "cosign")) cosign = true;
            else if (strcmp(optarg, "pkcs8") != 0) return brig_usage_error("key generate", "--key-format must be pkcs8 or cosign, not '%s'", optarg);
        }
        else if (c == 'f') force = true;
        else if (c == 'h') { usage(stdout); return 0; }
        else return BRIG_EXIT_USAGE;
    }
    if (optind < argc) return brig_usage_error("key generate", "unexpected argument '%s'", argv[optind]);
    if (!*prefix) return brig_usage_error("key generate", "--output-key-prefix must not be empty");
    char *pass = NULL;
    int rc = trust_passphrase_get("Enter passphrase for the private key: ", true, &pass);
    if (!rc && !pass[0] && !cosign)
        brig_warn("the passphrase is explicitly empty: writing an UNENCRYPTED private key %s.key", prefix);
    if (!rc) rc = trust_key_generate_fmt(prefix, pass, force, cosign);
    if (pass) { explicit_bzero(pass, strlen(pass)); free(pass); }
    if (rc) { brig_print_error(rc); return rc; }
    fprintf(stderr, "Private key written to %s.key\nPublic key written to %s.pub\n", prefix, prefix);
    return 0;
}

static int public(int argc, char **argv) {
    static const struct option lo[] = { { "key", required_argument, 0, 'k' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    const char *key = NULL;
    int c;
    optind = 0;
    while ((c = brig_getopt(argc, argv, "h", lo, "key public")) != -1) {
        if (c == 'k') key = optarg;
        else if (c == 'h') { usage(stdout); return 0; }
        else return BRIG_EXIT_USAGE;
    }
    if (!key) return brig_usage_error("key public", "--key PRIVATE.key is required");
    if (optind < argc) return brig_usage_error("key public", "unexpected argument '%s'", argv[optind]);
    EVP_PKEY *k;
    int rc = trust_privkey_load(key, &k);
    if (rc) { brig_print_error(rc); return rc; }
    PEM_write_PUBKEY(stdout, k);
    EVP_PKEY_free(k);
    return 0;
}

int cmd_key(int argc, char **argv) {
    if (argc < 2) return brig_usage_error("key", "missing subcommand (generate, public)");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) { usage(stdout); return 0; }
    if (!strcmp(argv[1], "generate")) return generate(argc - 1, argv + 1);
    if (!strcmp(argv[1], "public")) return public(argc - 1, argv + 1);
    return brig_usage_error("key", "unknown subcommand '%s' (generate, public)", argv[1]);
}
