/* kaoping report sheet — each unit's 考评表 as the published table, in
 * one workbook (a sheet per unit) or one file per unit (report:
 * kp_rep_sheets). */
#include "cli/cli.h"
#include "report/report.h"

const struct cli_opt report_sheet_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 'u', "单位", "只写这个单位（名称或别名；默认每个单位）" },
	{ "output", 'o', "文件|目录", "写到文件（.xlsx、.csv、.html、.docx、.pdf），或目录（每个单位一个文件）" },
	{ "format", 0, "格式", "写到目录时每个文件的格式：xlsx、csv、html、docx、pdf（默认 xlsx）" },
	CLI_OPT_END,
};

static int build(const struct cli_cmd *cmd, const struct cli_args *a,
		 struct kp_rnd *r, kp_rep_doc *d, kp_err *e)
{
	return kp_rep_sheets(r, cli_get(cmd, a, "unit"), d, e);
}

int cmd_report_sheet(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct cli_report rep = { "sheet", "考评表", true, true,
					       NULL, build };
	return cli_report_run(cmd, argc, argv, &rep);
}
