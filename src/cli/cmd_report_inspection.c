/* kaoping report inspection — a stored inspection as the site's 检测报告:
 * summary, findings with evidence, dead links with the pages linking
 * them, columns with their newest dates, footer elements, changes since
 * the last inspection (report: kp_rep_inspection). */
#include "cli/cli.h"
#include "report/report.h"

#include <string.h>

const struct cli_opt report_inspection_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "不给编号时：这个单位最近的一次检测" },
	{ "output", 'o', "文件", "写到文件（.xlsx、.csv、.html、.docx、.pdf）" },
	CLI_OPT_END,
};

static int args(const struct cli_cmd *cmd, const struct cli_args *a)
{
	if (a->npos > 1 || (a->npos == 0 && !cli_get(cmd, a, "unit")))
		return cli_usage_error("report inspection 需要一个检测编号（见 kaoping inspect history），或用 --unit 指明单位（它最近的一次检测）");
	if (a->npos == 1) {
		const char *p = a->pos[0];
		long v = kp_digits(p, p + strlen(p), 1000000000000L);
		if (v <= 0 || strspn(p, "0123456789") != strlen(p))
			return cli_usage_error("检测编号应为正整数，而不是“%s”", p);
	}
	return 0;
}

static int build(const struct cli_cmd *cmd, const struct cli_args *a,
		 struct kp_rnd *r, kp_rep_doc *d, kp_err *e)
{
	const char *p = a->npos ? a->pos[0] : NULL;
	int64_t id = p ? kp_digits(p, p + strlen(p), 1000000000000L) : 0;
	(void)r;
	return kp_rep_inspection(cli_db_conn(cmd, a), id, cli_get(cmd, a, "round"),
				 cli_get(cmd, a, "unit"), d, e);
}

int cmd_report_inspection(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct cli_report rep = { "inspection", "网站检测报告", false,
					       false, args, build };
	return cli_report_run(cmd, argc, argv, &rep);
}
