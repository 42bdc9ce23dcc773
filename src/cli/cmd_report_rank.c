/* kaoping report rank — the ranking as published: 名次, 单位, 满分, 得分,
 * 得分率, 折算, 等次, 结果; 未完成 units apart; --by type: a table per unit
 * type; the score distribution and trend charts after it (report:
 * kp_rep_ranking, kp_rep_charts). */
#include "cli/cli.h"
#include "report/report.h"

#include <string.h>

const struct cli_opt report_rank_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "by", 0, "type", "按单位类型分组排名（type）" },
	{ "output", 'o', "文件", "写到文件（.xlsx、.csv、.html、.docx、.pdf）" },
	CLI_OPT_END,
};

static int args(const struct cli_cmd *cmd, const struct cli_args *a)
{
	const char *by = cli_get(cmd, a, "by");
	if (a->npos)
		return cli_usage_error("report rank 不接受位置参数：%s", a->pos[0]);
	if (by && strcmp(by, "type"))
		return cli_usage_error("--by 只能是 type：%s", by);
	return 0;
}

static int build(const struct cli_cmd *cmd, const struct cli_args *a,
		 struct kp_rnd *r, kp_rep_doc *d, kp_err *e)
{
	(void)r;
	if (kp_rep_ranking(cli_db_conn(cmd, a), cli_get(cmd, a, "round"),
			   cli_get(cmd, a, "by") != NULL, d, e) < 0)
		return -1;
	/* the distribution (and the trend) under the ranking */
	return kp_rep_charts(cli_db_conn(cmd, a), cli_get(cmd, a, "round"),
			     NULL, 0, d, e);
}

int cmd_report_rank(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct cli_report rep = { "rank", "考评结果排名", false,
					       false, args, build };
	return cli_report_run(cmd, argc, argv, &rep);
}
