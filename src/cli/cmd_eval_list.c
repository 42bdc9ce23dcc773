/* kaoping eval list — the rounds in the store (round: kp_rnd_list_get). */
#include "cli/cli.h"
#include "round/round.h"

#include <jansson.h>

const struct cli_opt eval_list_opts[] = { CLI_OPT_DB, CLI_OPT_JSON, CLI_OPT_END };

static void print_round(const kp_round *r)
{
	char buf[32];
	cli_pad(stdout, r->name, 28);
	cli_pad(stdout, r->period, 8);
	if (*r->scheme) {
		kp_buf sch = KP_BUF_INIT;
		kp_buf_addf(&sch, "%s（%zu 张表）", r->scheme, r->ntables);
		cli_pad(stdout, sch.data, 22);
		kp_buf_release(&sch);
	} else {
		cli_pad(stdout, r->table_id, 22);
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)r->nunits);
	cli_pad(stdout, buf, 8);
	snprintf(buf, sizeof(buf), "%lld", (long long)r->nfacts);
	cli_pad(stdout, buf, 10);
	cli_pad(stdout, r->scored_seq < 0 ? "未计分"
		       : r->scored_seq == r->last_seq ? "已计分"
						      : "有新事实，需重新计分", 22);
	/* stored in UTC; shown in Beijing time, the office's */
	printf("%s\n", kp_time_bj(r->created_at, buf, sizeof(buf)));
}

int cmd_eval_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_list l;
	kp_err e;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval list 不接受参数“%s”", a.pos[0]);
	if (kp_rnd_list_get(cli_db_conn(cmd, &a), &l, &e) < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "json")) {
		json_t *j = kp_rnd_list_json(&l);
		kp_rnd_list_release(&l);
		return cli_print_json(j);
	}
	cli_pad(stdout, "轮次", 28);
	cli_pad(stdout, "期间", 8);
	cli_pad(stdout, "表或方案", 22);
	cli_pad(stdout, "单位", 8);
	cli_pad(stdout, "事实", 10);
	cli_pad(stdout, "状态", 22);
	printf("创建时间（北京时间）\n");
	for (size_t i = 0; i < l.n; i++)
		print_round(&l.v[i]);
	kp_rnd_list_release(&l);
	return KP_EXIT_OK;
}
