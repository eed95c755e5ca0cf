#include "runtime/cmds.h"
#include "util/err.h"
int rt_cmd_run_image(int argc, char **argv) {
    (void)argc; (void)argv;
    brig_print_error(brig_fail(BRIG_EXIT_NOTIMPL, "brig run IMAGE is not finished in this build; use brig run --bundle DIR ID"));
    return BRIG_EXIT_NOTIMPL;
}
