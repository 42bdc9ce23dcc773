/* kaoping info bulletin — the quarterly bulletin (kp_info_bulletin) as
 * text, CSV or XLSX. */
#include "cli/cmd_info.h"

#include <string.h>

const struct cli_opt info_bulletin_opts[] = {
	INFO_COMMON_OPTS,
	{ "period", 0, "期间", "通报的期间，如 2016Q3（完成情况按年初至期末累计）" },
	{ "output", 'o', "文件", "写入文件：.xlsx、.csv 或 .txt（默认文本到标准输出）" },
	{ NULL, 0, NULL, NULL },
};

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

int cmd_info_bulletin(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	info_env v;
	kp_info_period p;
	kp_info_bulletin b;
	const char *ps, *dest;
	kp_buf out = KP_BUF_INIT;
	bool csv, xlsx;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("info bulletin 不接受参数“%s”", a.pos[0]);
	ps = cli_get(cmd, &a, "period");
	if (!ps)
		return cli_usage_error("info bulletin：需要 --period，如 2016Q3");
	if (kp_info_period_parse(ps, &p, &e) < 0)
		return cli_error(&e);
	dest = cli_get(cmd, &a, "output");
	csv = dest && ends_with(dest, ".csv");
	xlsx = dest && ends_with(dest, ".xlsx");
	if (dest && !csv && !xlsx && !ends_with(dest, ".txt"))
		return cli_usage_error("info bulletin：-o 的文件应以 .csv、.xlsx 或 .txt 结尾");
	if ((rc = info_env_open(cmd, &a, false, &v)))
		return rc;
	if (kp_info_bulletin_build(v.l, &p, &b, &e) < 0) {
		info_env_release(&v);
		return cli_error(&e);
	}
	if (xlsx) {
		rc = kp_info_bulletin_xlsx(&b, dest, &e) < 0 ? cli_error(&e) : 0;
	} else {
		kp_info_bulletin_text(&b, csv, &out);
		if (kp_write_atomic(dest ? dest : "-", out.data, out.len, &e) < 0)
			rc = cli_error(&e);
	}
	kp_buf_release(&out);
	kp_info_bulletin_release(&b);
	info_env_release(&v);
	return rc;
}
