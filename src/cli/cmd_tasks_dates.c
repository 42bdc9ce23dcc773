/* kaoping tasks dates — every task's deadline as resolved dates. */
#include "cli/cmd_tasks.h"

#include <stdio.h>

const struct cli_opt tasks_dates_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账文件（其中登记的事件日期参与计算）；不给则用数据库中这个方案的台账（没有数据库则视为尚无进展）" },
	CLI_OPT_DB,
	{ NULL, 0, NULL, NULL },
};

int cmd_tasks_dates(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct tasks_ctx c;
	kp_buf out = KP_BUF_INIT;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if ((rc = tasks_no_args(cmd, &a)) || (rc = tasks_ctx_load(&c, cmd, &a, false)))
		return rc;
	if (kp_tasks_dates_text(c.plan, &c.ev, c.cal, &out, &e) < 0)
		rc = cli_error(&e);
	else
		fputs(out.data, stdout);
	kp_buf_release(&out);
	tasks_ctx_release(&c);
	return rc;
}
