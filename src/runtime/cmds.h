/* Entry points shared between the runtime's command files. */
#ifndef BRIG_RUNTIME_CMDS_H
#define BRIG_RUNTIME_CMDS_H
#include "runtime/rt.h"
int rt_run_bundle(rt_create_opts *o, rt_spec *s, bool remove);
int rt_cmd_run_bundle(int argc, char **argv);
int rt_cmd_run_image(int argc, char **argv);
#endif
