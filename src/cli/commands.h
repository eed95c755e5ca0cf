/* Every subcommand's entry point.  Declared weak so that a capability still
 * being built leaves a hole that the dispatcher reports loudly (exit 7)
 * instead of a link error or a silent stub. */
#ifndef BRIG_CLI_COMMANDS_H
#define BRIG_CLI_COMMANDS_H
#define BRIG_CMD(name) int name(int argc, char **argv) __attribute__((weak))
/* images */
BRIG_CMD(cmd_inspect);
BRIG_CMD(cmd_extract);
/* scanning */
BRIG_CMD(cmd_scan);
BRIG_CMD(cmd_sbom);
BRIG_CMD(cmd_db);
/* audit */
BRIG_CMD(cmd_audit);
/* trust */
BRIG_CMD(cmd_key);
BRIG_CMD(cmd_sign);
BRIG_CMD(cmd_verify);
BRIG_CMD(cmd_policy);
BRIG_CMD(cmd_pull);
/* runtime: `brig run IMAGE` and the OCI runtime commands */
BRIG_CMD(cmd_run);
BRIG_CMD(cmd_create);
BRIG_CMD(cmd_start);
BRIG_CMD(cmd_state);
BRIG_CMD(cmd_kill);
BRIG_CMD(cmd_delete);
BRIG_CMD(cmd_exec);
BRIG_CMD(cmd_ps);
BRIG_CMD(cmd_pause);
BRIG_CMD(cmd_resume);
BRIG_CMD(cmd_features);
BRIG_CMD(cmd_spec);
BRIG_CMD(cmd_list);
BRIG_CMD(cmd_update);
BRIG_CMD(cmd_init);   /* internal: container init re-exec */
#endif
