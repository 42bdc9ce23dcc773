/* kaoping info facts — the facts (source 台账) of the 政务信息工作考评表
 * computed from the ledger, as the CSV eval facts add reads. */
#include "cli/cmd_info.h"
#include "score/score.h"

#include <stdlib.h>

const struct cli_opt info_facts_opts[] = {
	INFO_COMMON_OPTS,
	{ "year", 0, "年度", "考核年度，如 2016" },
	{ "unit", 0, "单位", "只写这个单位的事实" },
	{ "sheet", 0, "ID", "只写这张考评表适用的单位（一个考评轮次的事实），如 pzh2016-info-county" },
	{ "output", 'o', "文件", "写入事实 CSV（默认标准输出）" },
	{ NULL, 0, NULL, NULL },
};

int cmd_info_facts(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	info_env v;
	kp_facts fs = KP_FACTS_INIT;
	kp_buf out = KP_BUF_INIT;
	const char *ys, *dest;
	char *end;
	long year;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("info facts 不接受参数“%s”", a.pos[0]);
	ys = cli_get(cmd, &a, "year");
	if (!ys)
		return cli_usage_error("info facts：需要 --year，如 2016");
	year = strtol(ys, &end, 10);
	if (*end || year < 1900 || year > 2199)
		return cli_usage_error("info facts：--year“%s”应为四位年份", ys);
	dest = cli_get(cmd, &a, "output");
	if ((rc = info_env_open(cmd, &a, false, &v)))
		return rc;
	if (kp_info_facts(v.l, (int)year, cli_get(cmd, &a, "unit"),
			  cli_get(cmd, &a, "sheet"), &fs, &e) < 0) {
		info_env_release(&v);
		return cli_error(&e);
	}
	kp_facts_write_csv(&fs, &out);
	rc = 0;
	if (kp_write_atomic(dest ? dest : "-", out.data, out.len, &e) < 0)
		rc = cli_error(&e);
	kp_buf_release(&out);
	kp_facts_release(&fs);
	info_env_release(&v);
	return rc;
}
