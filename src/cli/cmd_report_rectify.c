/* kaoping report rectify — each unit's 整改清单: every lost point with
 * its reason and evidence, the largest recovery first, a deadline, and
 * after a re-inspection what was fixed; a file per unit in a directory,
 * or one document (report: kp_rep_rectify). */
#include "cli/cli.h"
#include "report/report.h"

const struct cli_opt report_rectify_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 'u', "单位", "只写这个单位（名称或别名；默认每个失分的单位）" },
	{ "output", 'o', "目录|文件", "写到目录（每个单位一个文件），或一个文件（.xlsx、.csv、.html、.docx、.pdf）" },
	{ "format", 0, "格式", "写到目录时每个文件的格式：xlsx、csv、html、docx、pdf（默认 xlsx）" },
	{ "deadline", 0, "期限", "整改期限（如 2017-03-31；默认“收到通知后30日内”）" },
	CLI_OPT_END,
};

static int build(const struct cli_cmd *cmd, const struct cli_args *a,
		 struct kp_rnd *r, kp_rep_doc *d, kp_err *e)
{
	return kp_rep_rectify(r, cli_get(cmd, a, "unit"),
			      cli_get(cmd, a, "deadline"), d, e);
}

int cmd_report_rectify(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct cli_report rep = { "rectify", "整改清单", true, true,
					       NULL, build };
	return cli_report_run(cmd, argc, argv, &rep);
}
