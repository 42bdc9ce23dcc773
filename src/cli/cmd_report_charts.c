/* kaoping report charts — the round's charts as SVG and PNG files in a
 * directory: the score distribution, each table's first-level
 * indicators' average against their maximum, each unit's profile (or
 * --unit's alone), the trend over earlier rounds of the same table or
 * scheme (report: kp_rep_charts, kp_rep_write_charts). */
#include "cli/cli.h"
#include "report/report.h"

const struct cli_opt report_charts_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 'u', "单位", "单位画像只画这个单位（名称或别名；默认每个单位）" },
	{ "output", 'o', "目录", "写到目录（每个图表一个 .svg 和一个 .png）" },
	CLI_OPT_END,
};

static int build(const struct cli_cmd *cmd, const struct cli_args *a,
		 struct kp_rnd *r, kp_rep_doc *d, kp_err *e)
{
	(void)r;
	return kp_rep_charts(cli_db_conn(cmd, a), cli_get(cmd, a, "round"),
			     cli_get(cmd, a, "unit"),
			     KP_REP_CHART_INDICATORS | KP_REP_CHART_PROFILES, d, e);
}

int cmd_report_charts(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct cli_report rep = { "charts", "图表", false, false,
					       NULL, build, true };
	return cli_report_run(cmd, argc, argv, &rep);
}
