/* kaoping eval template — the blank sheet a unit fills in (round:
 * kp_rnd_template). */
#include "cli/cli.h"
#include "round/round.h"

const struct cli_opt eval_template_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "哪个单位的自评表（名称或别名）" },
	{ "output", 'o', "文件", "写入文件：.xlsx 或 .csv（默认 CSV 到标准输出）" },
	CLI_OPT_END,
};

int cmd_eval_template(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	const char *unit, *dest;
	kp_rnd *r;
	kp_err e;
	size_t n;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval template 不接受参数“%s”（单位用 --unit）", a.pos[0]);
	if (!(unit = cli_get(cmd, &a, "unit")))
		return cli_usage_error("eval template：需要 --unit，如 --unit 市民政局");
	dest = cli_get(cmd, &a, "output");
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	if (kp_rnd_template(r, unit, dest, &n, &e) < 0)
		ret = cli_error(&e);
	else if (dest)
		printf("已写出“%s”的自评表 %s：%zu 项\n", unit, dest, n);
	kp_rnd_close(r);
	return ret;
}
