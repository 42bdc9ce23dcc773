/* kaoping eval facts withdraw — withdraw facts of a round by their
 * numbers (eval facts list), with a reason: recorded, never deleted
 * (round: kp_rnd_facts_withdraw). */
#include "cli/cli.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

const struct cli_opt eval_withdraw_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_AUTHOR,
	{ "reason", 0, "理由", "为什么撤回（必填，记入事实历史和审计日志）" },
	CLI_OPT_END,
};

int cmd_eval_facts_withdraw(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_err e;
	int64_t *seq;
	const char *reason;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos < 1)
		return cli_usage_error("eval facts withdraw 需要事实编号（见 kaoping eval facts list）");
	reason = cli_get(cmd, &a, "reason");
	if (!reason || !*reason)
		return cli_usage_error("eval facts withdraw 需要 --reason 说明撤回的理由");
	seq = kp_xcalloc((size_t)a.npos, sizeof(*seq));
	for (int i = 0; i < a.npos; i++) {
		const char *p = a.pos[i];
		long v = kp_digits(p, p + strlen(p), INT32_MAX);
		if (v < 1 || strspn(p, "0123456789") != strlen(p)) {
			free(seq);
			return cli_usage_error("事实编号应为正整数（见 kaoping eval facts list）");
		}
		seq[i] = v;
	}
	if ((ret = cli_open_round(cmd, &a, &r))) {
		free(seq);
		return ret;
	}
	if (kp_rnd_facts_withdraw(r, seq, (size_t)a.npos, reason,
				  cli_author(cmd, &a), &e) < 0) {
		ret = cli_error(&e);
	} else {
		printf("已撤回轮次“%s”的事实 %d 条：", kp_rnd_round(r)->name, a.npos);
		for (int i = 0; i < a.npos; i++)
			printf("%s%lld", i ? "、" : "", (long long)seq[i]);
		printf("（理由：%s）\n", reason);
	}
	free(seq);
	kp_rnd_close(r);
	return ret;
}
