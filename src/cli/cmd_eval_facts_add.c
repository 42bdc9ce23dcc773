/* kaoping eval facts add — a file of facts into a round, all or none
 * (round: kp_rnd_facts_add). */
#include "cli/cli.h"
#include "round/round.h"

const struct cli_opt eval_add_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_AUTHOR,
	{ "assessed", 0, NULL, "同时登记“已评”：文件中的每个单位在文件涉及的每个指标上都已检查（没有扣分即合规）" },
	CLI_OPT_END,
};

int cmd_eval_facts_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_err e;
	size_t n;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("eval facts add 需要一个事实文件（CSV 或 JSON，格式见 docs/facts.md）");
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	if (kp_rnd_facts_add_flags(r, a.pos[0], cli_author(cmd, &a),
				   cli_get(cmd, &a, "assessed") ? KP_RND_ASSESSED : 0,
				   &n, &e) < 0) {
		cli_round_notes(r);
		ret = cli_error(&e);
	} else if (!n) {
		cli_round_notes(r);   /* an empty file: said, nothing done */
	} else {
		cli_round_notes(r);
		printf("已登记 %zu 条事实到轮次“%s”（来自 %s）\n", n,
		       kp_rnd_round(r)->name, a.pos[0]);
	}
	kp_rnd_close(r);
	return ret;
}
