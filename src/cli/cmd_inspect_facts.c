/* kaoping inspect facts — a stored inspection as facts of its round's
 * tables, in the facts file format, for eval facts add (round:
 * kp_rnd_inspection_facts). */
#include "cli/cli.h"
#include "round/round.h"

#include <stdlib.h>

const struct cli_opt inspect_facts_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "不给编号时：这个单位最近的一次检测" },
	{ "map", 0, "文件", "检查与指标的对应（默认内置的 data/inspect/facts-map.csv）" },
	{ "output", 'o', "文件", "写入这个文件（默认标准输出）" },
	CLI_OPT_END,
};

int cmd_inspect_facts(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_inspection x;
	kp_facts fs = KP_FACTS_INIT;
	kp_buf out = KP_BUF_INIT;
	char *tables = NULL;
	const char *dest;
	kp_err e;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	dest = cli_get(cmd, &a, "output");
	if ((r = cli_pick_inspection(cmd, &a, &x)))
		return r;
	if (kp_rnd_inspection_facts(cli_db_conn(cmd, &a), &x, cli_get(cmd, &a, "map"),
				    &fs, &tables, &e) < 0)
		goto fail;
	kp_facts_write_csv(&fs, &out);
	if (kp_write_atomic(dest ? dest : "-", out.data, out.len, &e) < 0)
		goto fail;
	{
		size_t checked = 0;
		for (size_t i = 0; i < fs.n; i++)
			checked += fs.v[i].kind == KP_FACT_ASSESSED;
		fprintf(stderr, "kaoping: 检测编号 %lld（轮次“%s”，单位“%s”，表 %s）：事实 %zu 条，另有已检查指标 %zu 个（assessed：检查通过即合规）%s\n",
			(long long)x.in.id, x.in.round, x.in.unit, tables,
			fs.n - checked, checked,
			fs.n ? "（用 kaoping eval facts add 登记）" : "");
	}
	r = KP_EXIT_OK;
	goto out;
fail:
	r = cli_error(&e);
out:
	free(tables);
	kp_buf_release(&out);
	kp_facts_release(&fs);
	kp_rnd_inspection_release(&x);
	return r;
}
