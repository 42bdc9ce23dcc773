/* kaoping report rank — the ranking as published: 名次, 单位, 满分, 得分,
 * 得分率, 折算, 结果; --by type: a table per unit type (report:
 * kp_rep_ranking). */
#include "cli/cli.h"
#include "report/report.h"

#include <string.h>

const struct cli_opt report_rank_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "by", 0, "type", "按单位类型分组排名（type）" },
	{ "output", 'o', "文件", "写到文件（.xlsx、.csv、.html）" },
	CLI_OPT_END,
};

int cmd_report_rank(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rep_doc d;
	kp_err e;
	const char *out, *by;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("report rank 不接受位置参数：%s", a.pos[0]);
	if (!(out = cli_get(cmd, &a, "output")))
		return cli_usage_error("report rank 需要 -o 文件");
	by = cli_get(cmd, &a, "by");
	if (by && strcmp(by, "type"))
		return cli_usage_error("--by 只能是 type：%s", by);
	kp_rep_doc_init(&d, "考评结果排名");
	if (kp_rep_ranking(cli_db_conn(cmd, &a), cli_get(cmd, &a, "round"),
			   by != NULL, &d, &e) < 0)
		ret = cli_error(&e);
	else
		ret = cli_report_write(&d, out, NULL, false);
	kp_rep_doc_release(&d);
	return ret;
}
