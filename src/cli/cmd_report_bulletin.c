/* kaoping report bulletin — the round's 通报 as a draft to edit: title,
 * addressees, overview, best and worst units, commonest problems,
 * requirements, signature and date, each unit's problems in an annex
 * (report: kp_rep_bulletin). */
#include "cli/cli.h"
#include "report/report.h"

const struct cli_opt report_bulletin_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "output", 'o', "文件", "写到文件（.html、.xlsx、.csv）" },
	{ "from", 0, "落款", "发文单位（默认“考评办公室”）" },
	{ "date", 0, "日期", "成文日期（默认今天，如 2017年1月20日）" },
	{ "deadline", 0, "期限", "整改报送期限（默认“于收到本通报后30日内”）" },
	CLI_OPT_END,
};

int cmd_report_bulletin(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rep_doc d;
	kp_rep_bulletin_opts o;
	kp_err e;
	const char *out;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("report bulletin 不接受位置参数：%s", a.pos[0]);
	if (!(out = cli_get(cmd, &a, "output")))
		return cli_usage_error("report bulletin 需要 -o 文件");
	o.from = cli_get(cmd, &a, "from");
	o.date = cli_get(cmd, &a, "date");
	o.deadline = cli_get(cmd, &a, "deadline");
	kp_rep_doc_init(&d, "通报");
	if (kp_rep_bulletin(cli_db_conn(cmd, &a), cli_get(cmd, &a, "round"), &o,
			    &d, &e) < 0)
		ret = cli_error(&e);
	else
		ret = cli_report_write(&d, out, NULL, false);
	kp_rep_doc_release(&d);
	return ret;
}
