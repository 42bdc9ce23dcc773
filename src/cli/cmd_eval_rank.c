/* kaoping eval rank — the stored ranking; a scheme round's parts by
 * label (round: kp_rnd_ranking_get). */
#include "cli/cli.h"
#include "round/round.h"

#include <jansson.h>
#include <string.h>

const struct cli_opt eval_rank_opts[] = { CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON, CLI_OPT_END };

/* A part as shown in the ranking: signed converted points under sum. */
static const char *part_cell(const kp_rnd_ranking *k, const kp_store_part *p,
			     char *buf)
{
	if (k->combine == KP_COMBINE_SUM)
		return kp_num_fmt2_signed(p->value, !strncmp(p->convert, "deduct:", 7),
					  buf);
	return kp_num_fmt2(p->value, buf);
}

static void header(const kp_rnd_ranking *k)
{
	const kp_round *rd = &k->round;
	if (k->several)
		printf("轮次“%s”（方案 %s，合并规则 %s）排名\n", rd->name, rd->scheme,
		       rd->combine);
	else
		printf("轮次“%s”（%s）排名\n", rd->name, rd->table_id);
	cli_pad(stdout, "名次", 6);
	cli_pad(stdout, "单位", 30);
	if (k->several) {
		cli_pad(stdout, "合计", 10);
		for (size_t l = 0; l < k->nlabels; l++)
			cli_pad(stdout, k->labels[l], 14);
	} else {
		cli_pad(stdout, "得分", 10);
		cli_pad(stdout, "自评分", 10);
		if (k->has_convert)
			cli_pad(stdout, "折算", 10);
	}
	printf("结果\n");
}

static void row(const kp_rnd_ranking *k, const kp_rnd_rank_row *row)
{
	const kp_store_result *r = &row->r;
	char b1[40], b2[32], buf[40];
	snprintf(buf, sizeof(buf), "%lld", (long long)r->rank);
	cli_pad(stdout, buf, 6);
	cli_pad(stdout, r->unit, 30);
	if (k->several) {
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
		printf("%s\n", r->vetoed ? "有否决" : "");
		return;
	}
	cli_pad(stdout, kp_num_fmt2(r->total, b1), 10);
	cli_pad(stdout, r->has_self ? kp_num_fmt2(r->self_total, b2) : "—", 10);
	if (*r->convert) {
		kp_buf cv = KP_BUF_INIT;
		kp_buf_addf(&cv, "%s%s", !strncmp(r->convert, "deduct:", 7) ? "扣" : "得",
			    kp_num_fmt2(r->converted, b2));
		cli_pad(stdout, cv.data, 10);
		kp_buf_release(&cv);
	}
	printf("%s%s\n", r->outcome, r->vetoed ? "（一票否决）" : "");
}

int cmd_eval_rank(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_ranking k;
	kp_err e;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval rank 不接受参数“%s”", a.pos[0]);
	if (kp_rnd_ranking_get(cli_db_conn(cmd, &a), cli_get(cmd, &a, "round"),
			       &k, &e) < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "json")) {
		cli_print_json(kp_rnd_ranking_json(&k));
	} else {
		header(&k);
		for (size_t i = 0; i < k.nrows; i++)
			row(&k, &k.rows[i]);
	}
	if (k.stale)
		fprintf(stderr, "kaoping: 计分后又登记了 %lld 条事实，排名不是最新的（运行 kaoping eval score 更新）\n",
			(long long)k.new_facts);
	kp_rnd_ranking_release(&k);
	return KP_EXIT_OK;
}
