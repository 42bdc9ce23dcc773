/* kaoping tasks event — the date of an event deadlines count from. */
#include "cli/cmd_tasks.h"

#include <stdio.h>

const struct cli_opt tasks_event_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账文件（不存在则新建）；不给则用数据库中这个方案的台账" },
	CLI_OPT_DB, CLI_OPT_AUTHOR,
	{ "note", 0, "文字", "说明，如文件名称和文号" },
	{ NULL, 0, NULL, NULL },
};

int cmd_tasks_event(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct tasks_ctx c;
	kp_err e;
	int day, rc;
	char b[16];
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 2)
		return cli_usage_error("tasks event 需要两个参数：事件名称 日期（如 国家指导意见印发 2017-12-25）");
	if (kp_day_parse(a.pos[1], &day) < 0)
		return cli_usage_error("事件日期“%s”%s", a.pos[1], KP_DAY_BAD);
	if ((rc = tasks_ctx_load(&c, cmd, &a, true)))
		return rc;
	if (kp_tledger_add_event(c.ledger, a.pos[0], day,
				 cli_get(cmd, &a, "note"), &e) < 0 ||
	    tasks_ctx_save(&c, &e) < 0)
		rc = cli_error(&e);
	else
		printf("已登记：%s %s\n", a.pos[0], kp_day_str(day, b));
	tasks_ctx_release(&c);
	return rc;
}
