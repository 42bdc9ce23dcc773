/* kaoping tasks import — units' progress sheets into the ledger: every
 * row checked, all rows or none. */
#include "cli/cmd_tasks.h"

#include <stdio.h>
#include <stdlib.h>

const struct cli_opt tasks_import_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账文件（不存在则新建）；不给则用数据库中这个方案的台账" },
	CLI_OPT_DB, CLI_OPT_AUTHOR,
	{ "sheet", 0, "N", "XLSX：读第 N 个工作表（默认第一个）" },
	{ NULL, 0, NULL, NULL },
};

int cmd_tasks_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct tasks_ctx c;
	kp_sheet *s = NULL;
	kp_sheet_opts so = { 0, 0, 0 };
	const char *sheet;
	size_t added = 0;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("tasks import 需要一个文件（各单位填报的任务进展表，CSV 或 XLSX）");
	if ((sheet = cli_get(cmd, &a, "sheet")) != NULL) {
		char *end;
		long v = strtol(sheet, &end, 10);
		if (!*sheet || *end || v < 1 || v > 255)
			return cli_usage_error("--sheet 应为 1 到 255 的整数，而不是“%s”",
					       sheet);
		so.sheet = (int)v;
	}
	if ((rc = tasks_ctx_load(&c, cmd, &a, true)))
		return rc;
	if (kp_sheet_load(a.pos[0], &so, &s, &e) < 0 ||
	    kp_tledger_import(c.ledger, s, &added, &e) < 0 ||
	    tasks_ctx_save(&c, &e) < 0)
		rc = cli_error(&e);
	else
		printf("已导入 %zu 条进展到 %s\n", added, c.ledger->path);
	kp_sheet_free(s);
	tasks_ctx_release(&c);
	return rc;
}
