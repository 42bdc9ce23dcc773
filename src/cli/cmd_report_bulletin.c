/* kaoping report bulletin — the round's 通报 as a draft to edit: title,
 * addressees, overview, best and worst units, commonest problems,
 * requirements, signature and date, each unit's problems in an annex,
 * the charts (report: kp_rep_bulletin, kp_rep_charts). */
#include "cli/cli.h"
#include "report/report.h"

const struct cli_opt report_bulletin_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "output", 'o', "文件", "写到文件（.html、.xlsx、.csv、.docx、.pdf）" },
	{ "from", 0, "落款", "发文单位（默认“考评办公室”）" },
	{ "date", 0, "日期", "成文日期（默认今天，如 2017年1月20日）" },
	{ "deadline", 0, "期限", "整改报送期限（默认“于收到本通报后30日内”）" },
	CLI_OPT_END,
};

static int build(const struct cli_cmd *cmd, const struct cli_args *a,
		 struct kp_rnd *r, kp_rep_doc *d, kp_err *e)
{
	kp_rep_bulletin_opts o;
	(void)r;
	o.from = cli_get(cmd, a, "from");
	o.date = cli_get(cmd, a, "date");
	o.deadline = cli_get(cmd, a, "deadline");
	if (kp_rep_bulletin(cli_db_conn(cmd, a), cli_get(cmd, a, "round"), &o,
			    d, e) < 0)
		return -1;
	/* the distribution, the indicators' averages (and the trend) */
	return kp_rep_charts(cli_db_conn(cmd, a), cli_get(cmd, a, "round"),
			     NULL, KP_REP_CHART_INDICATORS, d, e);
}

int cmd_report_bulletin(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct cli_report rep = { "bulletin", "通报", false, false,
					       NULL, build };
	return cli_report_run(cmd, argc, argv, &rep);
}
