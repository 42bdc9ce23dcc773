/* kaoping eval status — what each unit still lacks, by source (round:
 * kp_rnd_status_get). */
#include "cli/cli.h"
#include "round/round.h"

#include <string.h>

const struct cli_opt eval_status_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON,
	{ "unit", 0, "单位", "只看这个单位（名称或别名）" },
	CLI_OPT_END,
};

/* "考核：1 组织保障、2 日常工作；检测：…" for unit us. */
static void lacks_line(const kp_rnd_unit_status *us, bool several)
{
	static const kp_source order[] = { KP_SRC_ASSESSOR, KP_SRC_INSPECT,
					   KP_SRC_LEDGER, KP_SRC_SELF };
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
		size_t shown = 0;
		for (size_t l = 0; l < us->nlacks; l++) {
			const kp_rnd_lack *x = &us->lacks[l];
			if (x->source != order[o])
				continue;
			if (!shown++)
				printf("  %s：", order[o] == KP_SRC_SELF ? "未提交自评"
						 : kp_source_label(order[o]));
			else
				fputs("、", stdout);
			if (order[o] == KP_SRC_SELF)
				printf("%s", x->table);
			else if (several)
				printf("%s %s %s", x->table, x->code, x->name);
			else
				printf("%s %s", x->code, x->name);
		}
		if (shown)
			putchar('\n');
	}
}

static void print_text(const kp_rnd *r, const kp_rnd_status *st, bool one)
{
	printf("轮次“%s”：%zu 个单位，%zu 个已完成，%zu 个未完成\n",
	       kp_rnd_round(r)->name, st->n, st->n - st->nincomplete,
	       st->nincomplete);
	for (size_t i = 0; i < st->n; i++) {
		const kp_rnd_unit_status *us = &st->v[i];
		if (!us->pending && !one)
			continue;
		printf("%s%s%s%s：", us->unit, *us->type ? "（" : "", us->type,
		       *us->type ? "）" : "");
		if (us->pending)
			printf("未完成，%zu 项未评\n", us->pending);
		else
			printf("已完成\n");
		lacks_line(us, kp_rnd_round(r)->ntables > 1);
	}
}

int cmd_eval_status(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd *r;
	kp_rnd_status st;
	kp_err e;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval status 不接受参数“%s”（单位用 --unit）", a.pos[0]);
	if ((ret = cli_open_round(cmd, &a, &r)))
		return ret;
	if (kp_rnd_status_get(r, cli_get(cmd, &a, "unit"), &st, &e) < 0) {
		ret = cli_error(&e);
		kp_rnd_close(r);
		return ret;
	}
	if (cli_get(cmd, &a, "json"))
		cli_print_json(kp_rnd_status_json(r, &st));
	else
		print_text(r, &st, cli_get(cmd, &a, "unit") != NULL);
	kp_rnd_status_release(&st);
	kp_rnd_close(r);
	return KP_EXIT_OK;
}
