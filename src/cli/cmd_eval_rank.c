/* kaoping eval rank — the stored ranking; a scheme round's parts by
 * label; units with pending nodes marked 未完成 after the complete ones;
 * --by type grouped as offices publish it; --final refuses while a unit
 * is incomplete (round: kp_rnd_ranking_get, rank_type.c). */
#include "cli/cli.h"
#include "round/round.h"

#include <jansson.h>
#include <string.h>

const struct cli_opt eval_rank_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON,
	{ "by", 0, "type", "按单位类型分组排名（type：县区、市级部门、群团……），列出满分、得分、得分率和折算分" },
	{ "final", 0, NULL, "发布用的最终排名：还有单位未完成（有未评指标）时拒绝，并列出这些单位" },
	CLI_OPT_END,
};

/* A part as shown in the ranking: signed converted points under sum. */
static const char *part_cell(const kp_rnd_ranking *k, const kp_store_part *p,
			     char *buf)
{
	if (k->combine == KP_COMBINE_SUM)
		return kp_num_fmt2_signed(p->value, !strncmp(p->convert, "deduct:", 7),
					  buf);
	return kp_num_fmt2(p->value, buf);
}

static void header(const kp_rnd_ranking *k, bool by_type)
{
	const kp_round *rd = &k->round;
	if (k->several)
		printf("轮次“%s”（方案 %s，合并规则 %s）排名\n", rd->name, rd->scheme,
		       kp_combine_rule_zh(rd->combine));
	else
		printf("轮次“%s”（%s）排名\n", rd->name, rd->table_id);
	cli_pad(stdout, "名次", 6);
	cli_pad(stdout, "单位", 30);
	if (k->several) {
		if (by_type) {   /* as offices publish it: before conversion too */
			cli_pad(stdout, "满分", 8);
			cli_pad(stdout, "得分", 10);
			cli_pad(stdout, "得分率", 10);
		}
		cli_pad(stdout, by_type ? "折算合计" : "合计", 10);
		for (size_t l = 0; l < k->nlabels; l++)
			cli_pad(stdout, k->labels[l], 14);
	} else {
		if (k->mixed_max || by_type)
			cli_pad(stdout, "满分", 8);
		cli_pad(stdout, "得分", 10);
		if (by_type)
			cli_pad(stdout, "得分率", 10);
		cli_pad(stdout, "自评分", 10);
		if (k->has_convert)
			cli_pad(stdout, "折算", 10);
	}
	printf("结果\n");
}

/* What the last column says besides the outcome: 未完成, the veto. */
static void status_mark(const kp_store_result *r)
{
	if (r->pending > 0)
		printf("%s未完成（%lld 项未评）", *r->outcome || r->vetoed ? "，" : "",
		       (long long)r->pending);
}

static void row(const kp_rnd_ranking *k, const kp_rnd_rank_row *row,
		int64_t rank, bool by_type)
{
	const kp_store_result *r = &row->r;
	char b1[40], b2[32], buf[48];
	snprintf(buf, sizeof(buf), "%lld", (long long)rank);
	cli_pad(stdout, buf, 6);
	cli_pad(stdout, r->unit, 30);
	if (k->several) {
		if (by_type) {
			cli_pad(stdout, r->has_max ? kp_num_str(r->max, b2) : "—", 8);
			cli_pad(stdout, kp_num_fmt2(kp_rnd_points(k, row), b2), 10);
			cli_pad(stdout, kp_rnd_row_rate(k, row, buf), 10);
		}
		cli_pad(stdout, k->combine == KP_COMBINE_SUM
				? kp_num_fmt2_signed(r->total, false, b1)
				: kp_num_fmt2(r->total, b1), 10);
		for (size_t l = 0; l < k->nlabels; l++) {
			const kp_store_part *p = row->cells[l];
			kp_buf cell = KP_BUF_INIT;
			if (p)
				kp_buf_addf(&cell, "%s%s", part_cell(k, p, buf),
					    p->vetoed ? "（否决）" : "");
			cli_pad(stdout, p ? cell.data : "—", 14);
			kp_buf_release(&cell);
		}
		printf("%s", r->vetoed ? "有否决" : "");
		status_mark(r);
		putchar('\n');
		return;
	}
	if (k->mixed_max || by_type)
		cli_pad(stdout, r->has_max ? kp_num_str(r->max, b2) : "—", 8);
	cli_pad(stdout, kp_num_fmt2(r->total, b1), 10);
	if (by_type)
		cli_pad(stdout, kp_rnd_rate(r, buf), 10);
	cli_pad(stdout, r->has_self ? kp_num_fmt2(r->self_total, b2) : "—", 10);
	if (*r->convert) {
		kp_buf cv = KP_BUF_INIT;
		kp_buf_addf(&cv, "%s%s", !strncmp(r->convert, "deduct:", 7) ? "扣" : "得",
			    kp_num_fmt2(r->converted, b2));
		cli_pad(stdout, cv.data, 10);
		kp_buf_release(&cv);
	}
	/* a provisional total's outcome is provisional too: 暂计合格 */
	printf("%s%s%s", r->pending > 0 && *r->outcome ? "暂计" : "", r->outcome,
	       r->vetoed ? "（一票否决）" : "");
	status_mark(r);
	putchar('\n');
}

static void print_text(kp_rnd_ranking *k, bool by_type)
{
	header(k, by_type);
	if (!by_type) {
		for (size_t i = 0; i < k->nrows; i++)
			row(k, &k->rows[i], k->rows[i].r.rank, false);
	} else {
		for (size_t g = 0; g < k->ngroups; g++) {
			printf("【%s】（%zu 个单位）\n",
			       *k->group_types[g] ? k->group_types[g] : "类型未知",
			       k->group_n[g]);
			for (size_t j = 0; j < k->group_n[g]; j++)
				row(k, &k->rows[k->group_rows[g][j]],
				    k->group_ranks[g][j], true);
		}
	}
	if (k->nincomplete)
		printf("未完成：%zu 个单位还有未评指标，排在已完成单位之后，分数为暂计（kaoping eval status 查看缺什么）\n",
		       k->nincomplete);
}

int cmd_eval_rank(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_ranking k;
	kp_err e;
	const char *by;
	bool by_type;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval rank 不接受参数“%s”", a.pos[0]);
	by = cli_get(cmd, &a, "by");
	if (by && strcmp(by, "type") && strcmp(by, "类型"))
		return cli_usage_error("--by 只接受 type（按单位类型分组），而不是“%s”", by);
	by_type = by != NULL;
	if (kp_rnd_ranking_get(cli_db_conn(cmd, &a), cli_get(cmd, &a, "round"),
			       &k, &e) < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "final") && kp_rnd_ranking_final(&k, &e) < 0) {
		kp_rnd_ranking_release(&k);
		return cli_error(&e);
	}
	if (by_type)
		kp_rnd_ranking_by_type(&k);
	if (cli_get(cmd, &a, "json"))
		cli_print_json(kp_rnd_ranking_json(&k));
	else
		print_text(&k, by_type);
	if (k.stale)
		fprintf(stderr, "kaoping: 计分后又登记了 %lld 条事实，排名不是最新的（运行 kaoping eval score 更新）\n",
			(long long)k.new_facts);
	kp_rnd_ranking_release(&k);
	return KP_EXIT_OK;
}
