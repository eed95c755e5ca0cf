/* Entry points shared between the runtime's command files. */
#ifndef BRIG_RUNTIME_CMDS_H
#define BRIG_RUNTIME_CMDS_H
#include "runtime/rt.h"
/* Returns brig's own exit code (0 when the container ran; errors already
 * reported), the container's status in *status. */
int rt_run_bundle(rt_create_opts *o, rt_spec *s, bool remove, int *status);
int rt_cmd_run_bundle(int argc, char **argv);
int rt_cmd_run_image(int argc, char **argv);
#endif
