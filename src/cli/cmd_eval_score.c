/* kaoping eval score — score, rank and store a round (round:
 * kp_rnd_score; KP_THREADS sets its scorers, KP_TIMING prints where the
 * time went). */
#include "cli/cli.h"
#include "round/round.h"

#include <stdlib.h>

const struct cli_opt eval_score_opts[] = { CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_AUTHOR, CLI_OPT_END };

int cmd_eval_score(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_rnd_scored s;
	kp_err e;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval score 不接受参数“%s”", a.pos[0]);
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	kp_rnd_timing(r, getenv("KP_TIMING") != NULL);
	if (kp_rnd_score(r, cli_author(cmd, &a), &s, &e) < 0) {
		cli_round_notes(r);
		ret = cli_error(&e);
		goto out;
	}
	cli_round_notes(r);
	if (getenv("KP_TIMING"))
		fprintf(stderr, "kaoping: 计时：%d 个计分线程；CPU 共 %.2f s，其中评分引擎 %.2f s，排名和写回结果 %.2f s，其余（读事实、复制）%.2f s\n",
			s.threads, s.cpu_s, s.engine_s, s.store_s,
			s.cpu_s - s.engine_s - s.store_s);
	printf("已计分：轮次“%s”，%zu 个单位，依据 %lld 条事实（kaoping eval rank 查看排名）\n",
	       kp_rnd_round(r)->name, s.nunits, (long long)s.nfacts);
out:
	kp_rnd_close(r);
	return ret;
}
