/* kaoping user disable — an account may no longer log in; its sessions
 * end at once. */
#include "cli/cli.h"
#include "store/store.h"

const struct cli_opt user_disable_opts[] = { CLI_OPT_DB, CLI_OPT_AUTHOR, CLI_OPT_END };

int cmd_user_disable(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_err e;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("user disable 需要一个用户名");
	if ((ret = cli_open_store(cmd, &a, 0, &db)))
		return ret;
	if (kp_store_user_disable(db, a.pos[0], cli_author(cmd, &a), &e) < 0)
		ret = cli_error(&e);
	else
		printf("已停用账号“%s”\n", a.pos[0]);
	kp_store_close(db);
	return ret;
}
