/* kaoping report sheet — each unit's 考评表 as the published table, in
 * one workbook (a sheet per unit) or one file per unit (report:
 * kp_rep_sheets_out, a unit at a time). */
#include "cli/cli.h"
#include "report/report.h"

const struct cli_opt report_sheet_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 'u', "单位", "只写这个单位（名称或别名；默认每个单位）" },
	{ "output", 'o', "文件|目录", "写到文件（.xlsx、.csv、.html、.docx、.pdf），或目录（每个单位一个文件）" },
	{ "format", 0, "格式", "写到目录时每个文件的格式：xlsx、csv、html、docx、pdf（默认 xlsx）" },
	CLI_OPT_END,
};

/* Each unit's sheets written as soon as they are built: a round of
 * thousands of units is not held whole (bench/report.sh). */
static int stream(const struct cli_cmd *cmd, const struct cli_args *a,
		  struct kp_rnd *r, kp_rep_out *o, kp_err *e)
{
	return kp_rep_sheets_out(r, cli_get(cmd, a, "unit"), o, e);
}

int cmd_report_sheet(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct cli_report rep = { "sheet", "考评表", true, true,
					       NULL, NULL, false, stream };
	return cli_report_run(cmd, argc, argv, &rep);
}
