/* kaoping eval show — a unit's sheet: each indicator's points, self and
 * assessor scores, score; a scheme round's tables and the combine line
 * (round: kp_rnd_sheet_get). */
#include "cli/cli.h"
#include "round/round.h"

#include <jansson.h>
#include <string.h>

const struct cli_opt eval_show_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON,
	{ "explain", 0, NULL, "逐项说明每个分数的来历（规则、事实、证据）" },
	CLI_OPT_END,
};

static void node_line(const kp_rnode *n)
{
	char b1[32], b2[32], b3[32], b4[32];
	kp_buf sc = KP_BUF_INIT;
	cli_pad(stdout, n->node->code, 10);
	cli_pad(stdout, n->node->rule == KP_RULE_MINUS ? "扣分项"
			: n->node->rule == KP_RULE_VETO ? "否决项"
			: kp_num_str(n->max, b1), 8);
	cli_pad(stdout, n->has_self ? kp_num_fmt2(n->self, b2) : "—", 8);
	cli_pad(stdout, n->has_assessor ? kp_num_fmt2(n->assessor, b3) : "—", 8);
	if (!n->applies)
		kp_buf_adds(&sc, "不适用");
	else if (n->node->rule == KP_RULE_VETO)
		kp_buf_adds(&sc, n->vetoed || n->has_assessor ? "触发" : "—");
	else
		kp_buf_addf(&sc, "%s%s%s", kp_num_fmt2(n->score, b4),
			    n->pending ? "（未评）" : "",
			    n->vetoed ? "（否决）" : "");
	cli_pad(stdout, sc.data, 16);
	kp_buf_release(&sc);
	for (int l = 1; l < n->node->level; l++)
		fputs("  ", stdout);
	cli_put(stdout, n->node->name);
	putchar('\n');
}

static void show_text(const kp_rnd *rnd, const kp_result *r, int64_t rank)
{
	char b1[32], b2[32], b3[32], b4[32];
	printf("%s（%s）  轮次：", r->title, r->table_id);
	cli_put(stdout, kp_rnd_round(rnd)->name);
	fputs("\n单位：", stdout);
	cli_put(stdout, r->unit);
	printf("%s%s%s\n", *r->unit_type ? "（" : "", r->unit_type,
	       *r->unit_type ? "）" : "");
	cli_pad(stdout, "编号", 10);
	cli_pad(stdout, "分值", 8);
	cli_pad(stdout, "自评分", 8);
	cli_pad(stdout, "考核分", 8);
	cli_pad(stdout, "得分", 16);
	printf("指标\n");
	for (size_t i = 0; i < r->nnodes; i++)
		node_line(&r->nodes[i]);
	printf("合计：%s / %s", kp_num_fmt2(r->total, b1), kp_num_str(r->max, b2));
	if (r->has_self)
		printf("（自评 %s）", kp_num_fmt2(r->self_total, b3));
	if (*r->outcome)
		printf("，%s", r->outcome);
	if (r->has_convert)
		printf("；折算%s %s 分", !strncmp(r->convert, "deduct:", 7) ? "扣" : "得",
		       kp_num_fmt2(r->converted, b4));
	if (rank > 0)
		printf("；名次 %lld / %zu", (long long)rank, kp_rnd_nunits(rnd));
	if (r->pending)
		printf("；未完成（%zu 项未评，合计为暂计）", r->pending);
	putchar('\n');
}

static void print_sheet(const kp_rnd *r, const kp_rnd_sheet *s)
{
	const kp_round *rd = kp_rnd_round(r);
	int64_t rank = s->stale ? 0 : s->rank;
	if (!s->several) {
		show_text(r, s->res[0], rank);
		return;
	}
	for (size_t k = 0; k < rd->ntables; k++) {
		if (!s->res[k])
			continue;
		printf("【%s】", rd->tables[k].label);
		show_text(r, s->res[k], 0);
		putchar('\n');
	}
	printf("方案 %s 合计：%s", rd->scheme, s->combination);
	if (rank > 0)
		printf("；名次 %lld / %zu", (long long)rank, kp_rnd_nunits(r));
	{
		size_t pend = 0;
		for (size_t k = 0; k < rd->ntables; k++)
			pend += s->res[k] ? s->res[k]->pending : 0;
		if (pend)
			printf("；未完成（%zu 项未评，合计为暂计）", pend);
	}
	putchar('\n');
}

/* The explanation, then which facts count and which they replaced or
 * were withdrawn. */
static int print_explain(kp_rnd *r, const char *unit, const kp_rnd_sheet *s)
{
	kp_rnd_facts l;
	kp_buf b = KP_BUF_INIT;
	kp_err e;
	cli_put(stdout, s->explain);
	if (kp_rnd_facts_get(r, unit, &l, &e) < 0)
		return cli_error(&e);
	kp_rnd_facts_history(&l, &b);
	if (b.len)
		cli_put(stdout, b.data);
	kp_buf_release(&b);
	kp_rnd_facts_release(&l);
	return KP_EXIT_OK;
}

/* When the round was last scored, in Beijing time (the store keeps UTC):
 * the last "score" row of its audit log. */
static void print_scored_at(const struct cli_cmd *cmd, struct cli_args *a,
			    const kp_rnd *r)
{
	kp_rnd_log l;
	kp_err e;
	const char *at = NULL;
	char buf[48];
	if (kp_rnd_log_get(cli_db_conn(cmd, a), kp_rnd_round(r)->name, &l, &e) < 0)
		return;
	for (size_t i = 0; i < l.n; i++)
		if (!strcmp(l.v[i].action, "score"))
			at = l.v[i].at;
	if (at)
		printf("计分时间：%s（北京时间）\n", kp_time_bj(at, buf, sizeof(buf)));
	kp_rnd_log_release(&l);
}

int cmd_eval_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_rnd_sheet s;
	kp_err e;
	bool explain;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("eval show 需要一个单位名称（或别名）");
	explain = cli_get(cmd, &a, "explain") != NULL;
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	if (kp_rnd_sheet_get(r, a.pos[0], explain ? KP_RND_EXPLAIN : 0, &s, &e) < 0) {
		ret = cli_error(&e);
		kp_rnd_close(r);
		return ret;
	}
	if (cli_get(cmd, &a, "json"))
		cli_print_json(kp_rnd_sheet_json(r, &s));
	else if (explain)
		ret = print_explain(r, a.pos[0], &s);
	else
		print_sheet(r, &s);
	if (!cli_get(cmd, &a, "json") && !explain && s.scored)
		print_scored_at(cmd, &a, r);
	if (s.stale && s.scored)
		fprintf(stderr, "kaoping: 计分之后又登记了事实，名次未显示（运行 kaoping eval score 更新）\n");
	kp_rnd_sheet_release(&s);
	kp_rnd_close(r);
	return ret;
}
