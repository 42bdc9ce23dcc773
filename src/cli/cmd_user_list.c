/* kaoping user list — the web server's accounts: name, role, unit,
 * whether disabled or throttled. */
#include "cli/cli.h"
#include "store/store.h"
#include "web/web.h"

#include <jansson.h>
#include <time.h>

const struct cli_opt user_list_opts[] = { CLI_OPT_DB, CLI_OPT_JSON, CLI_OPT_END };

static int user_row(void *ctx, const kp_user *u, kp_err *e)
{
	json_t *arr = ctx;
	(void)e;
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s}",
			"username", u->name, "role", u->role, "unit", u->unit,
			"disabled", u->disabled, "throttled", u->locked_until > time(NULL),
			"created_at", u->created_at, "created_by", u->created_by));
		return 0;
	}
	cli_pad(stdout, u->name, 20);
	cli_pad(stdout, kp_web_role_label(kp_web_role_parse(u->role)), 10);
	cli_pad(stdout, *u->unit ? u->unit : "—", 24);
	printf("%s%s\n", u->disabled ? "已停用" : "正常",
	       u->locked_until > time(NULL) ? "（密码错误过多，暂停登录）" : "");
	return 0;
}

int cmd_user_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_err e;
	json_t *arr = NULL;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("user list 不接受参数“%s”", a.pos[0]);
	if ((ret = cli_open_store(cmd, &a, 0, &db)))
		return ret;
	if (cli_get(cmd, &a, "json"))
		arr = json_array();
	else {
		cli_pad(stdout, "用户名", 20);
		cli_pad(stdout, "角色", 10);
		cli_pad(stdout, "单位", 24);
		printf("状态\n");
	}
	if (kp_store_users_each(db, user_row, arr, &e) < 0) {
		json_decref(arr);
		ret = cli_error(&e);
	} else if (arr) {
		cli_print_json(arr);
	}
	kp_store_close(db);
	return ret;
}
