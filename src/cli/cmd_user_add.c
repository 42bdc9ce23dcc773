/* kaoping user add — an account of the web server: its role, its unit
 * (a unit account), its password (read from standard input, or made up
 * and printed once); kept as an Argon2id hash. */
#include "cli/cli.h"
#include "store/store.h"
#include "web/web.h"

#include <string.h>
#include <unistd.h>

const struct cli_opt user_add_opts[] = {
	{ "role", 0, "角色", "admin（管理员）、assessor（考核人员）或 unit（单位用户）" },
	{ "unit", 0, "单位", "单位用户所属的单位（与轮次中的单位名称或别名一致）" },
	{ "generate", 0, NULL, "不读标准输入，生成一个随机密码并打印一次" },
	CLI_OPT_DB,
	CLI_OPT_AUTHOR,
	CLI_OPT_END,
};

/* The password: the first line of standard input. */
static int read_password(char *pw, size_t n)
{
	size_t len;
	if (!fgets(pw, (int)n, stdin))
		return cli_usage_error("user add：标准输入没有密码（或用 --generate 生成一个）");
	len = strcspn(pw, "\r\n");
	if (pw[len] == '\0' && len == n - 1)
		return cli_usage_error("user add：密码太长（最多 128 个字节）");
	pw[len] = '\0';
	return 0;
}

int cmd_user_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	const char *role = NULL, *unit;
	char pw[160], hash[KP_WEB_HASH_MAX];
	bool gen;
	kp_store *db;
	kp_err e;
	int bit, ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("user add 需要一个用户名");
	role = cli_get(cmd, &a, "role");
	unit = cli_get(cmd, &a, "unit");
	gen = cli_get(cmd, &a, "generate") != NULL;
	if (!(bit = kp_web_role_parse(role)))
		return cli_usage_error("user add 需要 --role admin、assessor 或 unit");
	if (bit == KP_WEB_UNIT && (!unit || !*unit))
		return cli_usage_error("单位用户需要 --unit 指明所属单位");
	if (bit != KP_WEB_UNIT && unit)
		return cli_usage_error("只有单位用户（--role unit）才有 --unit");
	if (strlen(a.pos[0]) > 64 || !*a.pos[0])
		return cli_usage_error("用户名应为 1 到 64 个字节");
	if (gen)
		kp_web_password_generate(pw);
	else if ((ret = read_password(pw, sizeof(pw))))
		return ret;
	if (kp_web_password_check(pw, &e) < 0)
		return cli_error(&e);
	if (kp_web_password_hash(pw, hash, &e) < 0)
		return cli_error(&e);
	if ((ret = cli_open_store(cmd, &a, KP_STORE_CREATE, &db)))
		return ret;
	if (kp_store_user_add(db, a.pos[0], kp_web_role_name(bit), unit ? unit : "",
			      hash, cli_author(cmd, &a), &e) < 0)
		ret = cli_error(&e);
	else if (gen)
		printf("已添加账号“%s”（%s）；密码（只显示这一次）：%s\n", a.pos[0],
		       kp_web_role_label(bit), pw);
	else
		printf("已添加账号“%s”（%s）\n", a.pos[0], kp_web_role_label(bit));
	kp_store_close(db);
	memset(pw, 0, sizeof(pw));
	return ret;
}
