/* kaoping eval facts list — a round's facts with their numbers (what
 * eval facts withdraw takes) and what became of each: counts, replaced
 * by a later one, withdrawn (round: kp_rnd_facts_get). */
#include "cli/cli.h"
#include "round/round.h"

const struct cli_opt eval_facts_list_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "只列这个单位的事实（名称或别名）" },
	CLI_OPT_JSON, CLI_OPT_END,
};

static void print_fact(const kp_rnd_facts *l, size_t i)
{
	const kp_fact *f = &l->facts.v[i];
	char b[32], t[48];
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", (long long)l->seq[i], f->unit,
	       f->indicator, kp_fact_kind_label(f->kind), f->name,
	       f->has_value ? kp_num_str(f->value, b) : "",
	       kp_source_label(f->source), f->period ? f->period : "",
	       /* a UTC time is shown in Beijing time; a date as written */
	       kp_time_bj(f->time ? f->time : "", t, sizeof(t)));
	if (f->withdrawn)
		printf("已撤回（%s）\n", l->reason[i] ? l->reason[i] : "");
	else if (l->replaced_by[i])
		printf("被第 %lld 条取代\n", (long long)l->replaced_by[i]);
	else
		printf("计入\n");
}

int cmd_eval_facts_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_rnd_facts l;
	kp_err e;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval facts list 不接受参数（单位用 --unit）");
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	if (kp_rnd_facts_get(r, cli_get(cmd, &a, "unit"), &l, &e) < 0) {
		ret = cli_error(&e);
		kp_rnd_close(r);
		return ret;
	}
	if (cli_get(cmd, &a, "json")) {
		cli_print_json(kp_rnd_facts_json(&l));
	} else {
		printf("编号\t单位\t指标\t类型\t名称\t数值\t来源\t期间\t时间\t状态\n");
		for (size_t i = 0; i < l.facts.n; i++)
			print_fact(&l, i);
	}
	kp_rnd_facts_release(&l);
	kp_rnd_close(r);
	return ret;
}
