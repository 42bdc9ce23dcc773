/* kaoping tasks report — each unit's year: tasks, due, done on time
 * or late, not done, waiting, and the completion rate. */
#include "cli/cmd_tasks.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cli_opt tasks_report_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账文件；不给则用数据库中这个方案的台账（没有数据库则视为尚无进展）" },
	CLI_OPT_DB,
	{ "as-of", 0, "日期", "以哪一天为准（默认方案年度的 12 月 31 日）" },
	{ "unit", 0, "单位", "只看这个单位（规范名称或别名）" },
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

/* The share of due tasks finished, fin/due, as a JSON number (0.5, 0.67). */
static json_t *completion_json(unsigned fin, unsigned due)
{
	kp_num q;
	if (kp_num_div(kp_num_int(fin), kp_num_int(due), &q) < 0)
		return json_null();
	return kp_num_json(q);
}

int cmd_tasks_report(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct tasks_ctx c;
	kp_dues d;
	kp_err e;
	const char *as, *unit = NULL;
	int asof, rc;
	kp_tasks_tally *t;
	bool json;
	char b[16];
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	json = cli_get(cmd, &a, "json") != NULL;
	if ((rc = tasks_no_args(cmd, &a)))
		return rc;
	if ((rc = tasks_ctx_load(&c, cmd, &a, false)))
		return rc;
	asof = kp_day_from_ymd(c.plan->year, 12, 31);
	if ((as = cli_get(cmd, &a, "as-of")) && (rc = tasks_parse_asof(as, &asof))) {
		tasks_ctx_release(&c);
		return rc;
	}
	if ((rc = tasks_unit_filter(&c, cli_get(cmd, &a, "unit"), &unit))) {
		tasks_ctx_release(&c);
		return rc;
	}
	if (kp_dues_build(c.plan, c.ledger, c.cal, asof, &d, &e) < 0) {
		tasks_ctx_release(&c);
		return cli_error(&e);
	}
	t = kp_tasks_tally_build(c.plan, &d, asof);
	if (json) {
		json_t *o = json_object(), *arr = json_array();
		json_object_set_new(o, "plan", json_string(c.plan->id ? c.plan->id : ""));
		json_object_set_new(o, "year", json_integer(c.plan->year));
		json_object_set_new(o, "as_of", json_string(kp_day_str(asof, b)));
		for (size_t u = 0; u < c.plan->nunits; u++) {
			json_t *r;
			unsigned fin = t[u].done + t[u].late;
			if (unit && strcmp(unit, c.plan->units[u]))
				continue;
			r = json_object();
			json_object_set_new(r, "unit", json_string(c.plan->units[u]));
			json_object_set_new(r, "tasks", json_integer(t[u].tasks));
			json_object_set_new(r, "due", json_integer(t[u].due));
			json_object_set_new(r, "done_on_time", json_integer(t[u].done));
			json_object_set_new(r, "done_late", json_integer(t[u].late));
			json_object_set_new(r, "not_done", json_integer(t[u].overdue));
			json_object_set_new(r, "not_yet_due", json_integer(t[u].open));
			json_object_set_new(r, "waiting", json_integer(t[u].waiting));
			json_object_set_new(r, "unresolved", json_integer(t[u].unresolved));
			json_object_set_new(r, "unresolved_done",
					    json_integer(t[u].unresolved_done));
			json_object_set_new(r, "completion",
					    t[u].due ? completion_json(fin, t[u].due)
						     : json_null());
			json_array_append_new(arr, r);
		}
		json_object_set_new(o, "units", arr);
		rc = cli_print_json(o);
	} else {
		bool unres = false;
		for (size_t u = 0; u < c.plan->nunits; u++)
			if (t[u].unresolved)
				unres = true;
		printf("%s（%s）%d 年任务完成情况，截至 %s\n",
		       c.plan->title ? c.plan->title : c.plan->file,
		       c.plan->docno ? c.plan->docno : "", c.plan->year,
		       kp_day_str(asof, b));
		cli_pad(stdout, "单位", 28);
		printf("任务  应完成  按时  逾期完成  到期未完成  未到期  待事件  %s完成率\n",
		       unres ? "时限未定(已完成)  " : "");
		for (size_t u = 0; u < c.plan->nunits; u++) {
			unsigned fin = t[u].done + t[u].late;
			if (unit && strcmp(unit, c.plan->units[u]))
				continue;
			cli_pad(stdout, c.plan->units[u], 28);
			printf("%4u  %6u  %4u  %8u  %10u  %6u  %6u  ", t[u].tasks,
			       t[u].due, t[u].done, t[u].late, t[u].overdue,
			       t[u].open, t[u].waiting);
			if (unres)
				printf("%9u(%u)  ", t[u].unresolved,
				       t[u].unresolved_done);
			if (t[u].due)
				printf("%5.1f%%\n", 100.0 * fin / t[u].due);
			else
				printf("    —\n");
		}
		printf("（应完成 = 到期日不晚于 %s 的期次和已提前完成的期次；到期未完成 = 其中没有“已完成”进展的；完成率 = (按时 + 逾期完成) ÷ 应完成）\n",
		       kp_day_str(asof, b));
		if (unres)
			printf("（时限未定 = 原文没有写时限的任务，不计入应完成和完成率；括号内为其中已有“已完成”进展的）\n");
	}
	free(t);
	kp_dues_release(&d);
	tasks_ctx_release(&c);
	return rc;
}
