/* kaoping report rectify — each unit's 整改清单: every lost point with
 * its reason and evidence, the largest recovery first, a deadline; a
 * file per unit in a directory, or one document (report:
 * kp_rep_rectify). */
#include "cli/cli.h"
#include "report/report.h"
#include "round/round.h"

const struct cli_opt report_rectify_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 'u', "单位", "只写这个单位（名称或别名；默认每个失分的单位）" },
	{ "output", 'o', "目录|文件", "写到目录（每个单位一个文件），或一个文件（.xlsx、.csv、.html）" },
	{ "format", 0, "格式", "写到目录时每个文件的格式：xlsx、csv、html（默认 xlsx）" },
	{ "deadline", 0, "期限", "整改期限（如 2017-03-31；默认“收到通知后30日内”）" },
	CLI_OPT_END,
};

int cmd_report_rectify(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_rep_doc d;
	kp_err e;
	const char *out;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("report rectify 不接受位置参数：%s", a.pos[0]);
	if (!(out = cli_get(cmd, &a, "output")))
		return cli_usage_error("report rectify 需要 -o 目录或文件");
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	kp_rep_doc_init(&d, "整改清单");
	if (kp_rep_rectify(r, cli_get(cmd, &a, "unit"), cli_get(cmd, &a, "deadline"),
			   &d, &e) < 0)
		ret = cli_error(&e);
	else
		ret = cli_report_write(&d, out, cli_get(cmd, &a, "format"), true);
	cli_round_notes(r);
	kp_rep_doc_release(&d);
	kp_rnd_close(r);
	return ret;
}
