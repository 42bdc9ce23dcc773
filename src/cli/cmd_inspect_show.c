/* kaoping inspect show — one stored inspection: its findings and what
 * changed since the one before it (round: kp_rnd_inspection_get).  The
 * inspection is the number given, or --unit's latest; inspect facts
 * picks its inspection the same way (cli_pick_inspection). */
#include "cli/cli.h"
#include "inspect/inspect.h"
#include "round/round.h"

#include <jansson.h>
#include <string.h>

const struct cli_opt inspect_show_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "不给编号时：这个单位最近的一次检测" },
	CLI_OPT_JSON, CLI_OPT_END,
};

int cli_pick_inspection(const struct cli_cmd *cmd, const struct cli_args *a,
			kp_rnd_inspection *x)
{
	kp_err e;
	int64_t id = 0;
	if (a->npos > 1 || (a->npos == 0 && !cli_get(cmd, a, "unit")))
		return cli_usage_error("inspect %s 需要一个检测编号（见 kaoping inspect history），或用 --unit 指明单位（它最近的一次检测）",
				       strchr(cmd->words, ' ') + 1);
	if (a->npos == 1) {
		const char *p = a->pos[0];
		long v = kp_digits(p, p + strlen(p), 1000000000000L);
		if (v <= 0 || strspn(p, "0123456789") != strlen(p))
			return cli_usage_error("检测编号应为正整数，而不是“%s”", p);
		id = v;
	}
	if (kp_rnd_inspection_get(cli_db_conn(cmd, a), id, cli_get(cmd, a, "round"),
				  cli_get(cmd, a, "unit"), x, &e) < 0)
		return cli_error(&e);
	return 0;
}

int cmd_inspect_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_inspection x;
	const kp_inspection *in = &x.in;
	char t1[40], t2[40];
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if ((r = cli_pick_inspection(cmd, &a, &x)))
		return r;
	if (cli_get(cmd, &a, "json")) {
		/* what `inspect --json` printed, with where it is stored */
		r = cli_print_json(kp_rnd_inspection_full_json(&x));
		kp_rnd_inspection_release(&x);
		return r;
	}
	printf("检测编号 %lld：轮次“%s”，单位“%s”\n网站 %s（以 %s 为准），%s 至 %s，抓取页面 %lld 个，操作人 %s\n",
	       (long long)in->id, in->round, in->unit, in->site, in->as_of,
	       kp_time_bj(in->started_at, t1, sizeof(t1)),
	       kp_time_bj(in->finished_at, t2, sizeof(t2)), (long long)in->pages,
	       in->author);
	printf("\n发现问题 %lld 条：\n", (long long)in->nfindings);
	for (size_t i = 0; i < x.nfindings; i++) {
		const kp_store_finding *f = &x.findings[i];
		const kp_store_review *rw = kp_rnd_review_for(&x.reviews, f->check, f->key);
		printf("  %lld. [%s] %s  %s", (long long)f->ord, f->severity,
		       kp_inspect_check_title(f->check), f->message);
		if (*f->url)
			printf("  %s", f->url);
		putchar('\n');
		if (rw)
			printf("      复核：%s%s%s（%s，%s，复核 %lld）\n",
			       kp_rnd_review_false_alarm(rw) ? "误报" : "确认属实",
			       *rw->note ? "：" : "", rw->note, rw->author, rw->at,
			       (long long)rw->id);
	}
	inspect_print_changes(x.changes);
	kp_rnd_inspection_release(&x);
	return KP_EXIT_OK;
}
