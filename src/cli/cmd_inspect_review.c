/* kaoping inspect review — a person's decision on one finding of a
 * stored inspection: confirmed, or a false alarm (round:
 * kp_rnd_inspection_review).  A false alarm is left out of the unit's
 * later inspections in the round; only a confirmed content finding
 * becomes a fact (inspect facts). */
#include "cli/cli.h"
#include "round/round.h"

#include <jansson.h>
#include <string.h>

const struct cli_opt inspect_review_opts[] = {
	CLI_OPT_DB,
	{ "finding", 'n', "序号", "第几条发现（inspect show 列出的序号，从 1 起）" },
	{ "confirm", 0, NULL, "确认属实（内容检查的发现确认后才能变成事实）" },
	{ "false-alarm", 0, NULL, "误报：以后对这个单位的检测不再报告它（同一网址、同一文字）" },
	{ "note", 0, "说明", "复核说明，记入数据库和审计日志" },
	CLI_OPT_AUTHOR, CLI_OPT_JSON, CLI_OPT_END,
};

/* A positive integer s, or 0. */
static long positive(const char *s)
{
	long v = s ? kp_digits(s, s + strlen(s), 1000000000000L) : 0;
	return s && v > 0 && strspn(s, "0123456789") == strlen(s) ? v : 0;
}

int cmd_inspect_review(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_err e;
	long id, n;
	int64_t rid = 0;
	bool confirm, false_alarm;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	confirm = cli_get(cmd, &a, "confirm") != NULL;
	false_alarm = cli_get(cmd, &a, "false-alarm") != NULL;
	if (a.npos != 1)
		return cli_usage_error("inspect review 需要一个检测编号（见 kaoping inspect history）");
	if (!(id = positive(a.pos[0])))
		return cli_usage_error("检测编号应为正整数，而不是“%s”", a.pos[0]);
	if (!cli_get(cmd, &a, "finding"))
		return cli_usage_error("inspect review 需要 --finding 指明第几条发现（见 kaoping inspect show %ld）", id);
	if (!(n = positive(cli_get(cmd, &a, "finding"))))
		return cli_usage_error("--finding 应为正整数，而不是“%s”", cli_get(cmd, &a, "finding"));
	if (confirm == false_alarm)
		return cli_usage_error("inspect review 要给出 --confirm（确认属实）或 --false-alarm（误报）之一");
	if (kp_rnd_inspection_review(cli_db_conn(cmd, &a), id, n, confirm,
				     cli_get(cmd, &a, "note"), cli_author(cmd, &a),
				     &rid, &e) < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "json")) {
		json_t *o = json_object();
		json_object_set_new(o, "review", json_integer(rid));
		json_object_set_new(o, "inspection", json_integer(id));
		json_object_set_new(o, "finding", json_integer(n));
		json_object_set_new(o, "decision", json_string(confirm ? "confirmed" : "false_alarm"));
		return cli_print_json(o);
	}
	printf("已记录复核 %lld：检测 %ld 第 %ld 条发现%s\n", (long long)rid, id, n,
	       confirm ? "确认属实" : "为误报，此单位以后的检测不再报告它");
	return KP_EXIT_OK;
}
