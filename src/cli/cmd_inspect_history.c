/* kaoping inspect history — a round's stored inspections, each with
 * what it found new and what was fixed (round: kp_rnd_history_get). */
#include "cli/cli.h"
#include "round/round.h"

#include <jansson.h>

const struct cli_opt inspect_history_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "只列这个单位的检测（规范名或别名）" },
	CLI_OPT_JSON, CLI_OPT_END,
};

static void header(const kp_rnd_history *h)
{
	const char *unit = h->unit;
	printf("轮次“%s”的网站检测%s%s%s\n", h->round.name, unit ? "（单位“" : "",
	       unit ? unit : "", unit ? "”）" : "");
	cli_pad(stdout, "编号", 6);
	cli_pad(stdout, "完成时间（北京时间）", 27);
	cli_pad(stdout, "基准日", 12);
	cli_pad(stdout, "单位", 24);
	cli_pad(stdout, "页面", 8);
	cli_pad(stdout, "问题", 6);
	cli_pad(stdout, "新发现", 8);
	cli_pad(stdout, "已整改", 8);
	printf("网站\n");
}

static void row(const kp_inspection *in, json_t *ch)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "%lld", (long long)in->id);
	cli_pad(stdout, buf, 6);
	cli_pad(stdout, kp_time_bj(in->finished_at, buf, sizeof(buf)), 27);
	cli_pad(stdout, in->as_of, 12);
	cli_pad(stdout, in->unit, 24);
	snprintf(buf, sizeof(buf), "%lld", (long long)in->pages);
	cli_pad(stdout, buf, 8);
	snprintf(buf, sizeof(buf), "%lld", (long long)in->nfindings);
	cli_pad(stdout, buf, 6);
	if (in->previous) {
		snprintf(buf, sizeof(buf), "%zu",
			 json_array_size(json_object_get(ch, "new")));
		cli_pad(stdout, buf, 8);
		snprintf(buf, sizeof(buf), "%zu",
			 json_array_size(json_object_get(ch, "fixed")));
		cli_pad(stdout, buf, 8);
	} else {
		cli_pad(stdout, "首次", 8);
		cli_pad(stdout, "—", 8);
	}
	printf("%s\n", in->site);
}

int cmd_inspect_history(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_history h;
	kp_err e;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("inspect history 不接受参数“%s”（单位用 --unit 指明）",
				       a.pos[0]);
	if (kp_rnd_history_get(cli_db_conn(cmd, &a), cli_get(cmd, &a, "round"),
			       cli_get(cmd, &a, "unit"), &h, &e) < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "json")) {
		json_t *j = kp_rnd_history_json(&h);
		kp_rnd_history_release(&h);
		return cli_print_json(j);
	}
	if (!h.n)
		printf("轮次“%s”中%s%s%s还没有检测记录（kaoping inspect 网址 --round %s --unit 单位）\n",
		       h.round.name, h.unit ? "单位“" : "", h.unit ? h.unit : "",
		       h.unit ? "”" : "", h.round.name);
	else
		header(&h);
	for (size_t i = 0; i < h.n; i++)
		row(&h.v[i], h.changes[i]);
	kp_rnd_history_release(&h);
	return KP_EXIT_OK;
}
