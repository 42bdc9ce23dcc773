/* kaoping report sheet — each unit's 考评表 as the published table, in
 * one workbook (a sheet per unit) or one file per unit (report:
 * kp_rep_sheets). */
#include "cli/cli.h"
#include "report/report.h"
#include "round/round.h"

const struct cli_opt report_sheet_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 'u', "单位", "只写这个单位（名称或别名；默认每个单位）" },
	{ "output", 'o', "文件|目录", "写到文件（.xlsx、.csv、.html），或目录（每个单位一个文件）" },
	{ "format", 0, "格式", "写到目录时每个文件的格式：xlsx、csv、html（默认 xlsx）" },
	CLI_OPT_END,
};

int cmd_report_sheet(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_rep_doc d;
	kp_err e;
	const char *out;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("report sheet 不接受位置参数：%s", a.pos[0]);
	if (!(out = cli_get(cmd, &a, "output")))
		return cli_usage_error("report sheet 需要 -o 文件或目录");
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	kp_rep_doc_init(&d, "考评表");
	if (kp_rep_sheets(r, cli_get(cmd, &a, "unit"), &d, &e) < 0)
		ret = cli_error(&e);
	else
		ret = cli_report_write(&d, out, cli_get(cmd, &a, "format"), true);
	cli_round_notes(r);
	kp_rep_doc_release(&d);
	kp_rnd_close(r);
	return ret;
}
