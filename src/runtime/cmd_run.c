/* `brig run`: an OCI bundle (runc-compatible, when --bundle/-b or an OCI global
 * flag is given) or an image, hardened by default (run_image.c). */
#include "runtime/cmds.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include <string.h>

int cmd_run(int argc, char **argv) {
    bool bundle = brig_g.oci_mode;
    for (int i = 1; i < argc && !bundle; i++) {
        const char *a = argv[i];
        if (a[0] != '-') break;                /* first positional: image or id */
        if (!strcmp(a, "--")) break;
        if (!strcmp(a, "-b") || !strcmp(a, "--bundle") || !strncmp(a, "--bundle=", 9) || !strncmp(a, "-b", 2)) bundle = true;
    }
    return bundle ? rt_cmd_run_bundle(argc, argv) : rt_cmd_run_image(argc, argv);
}
