/* kaoping tasks due — at a date, what is overdue and what falls due in
 * the next days, per task, lead unit and occurrence. */
#include "cli/cmd_tasks.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cli_opt tasks_due_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账文件；不给则用数据库中这个方案的台账（没有数据库则视为尚无进展）" },
	CLI_OPT_DB,
	{ "as-of", 0, "日期", "以哪一天为准（必填），如 2017-08-01" },
	{ "days", 0, "N", "列出今后 N 天内到期的（默认 30）" },
	{ "unit", 0, "单位", "只看这个单位（规范名称或别名）" },
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

static json_t *due_json(const kp_due *d, int asof)
{
	json_t *o = json_object();
	char b[16];
	json_object_set_new(o, "task", json_string(d->task->no));
	json_object_set_new(o, "unit", json_string(d->unit));
	json_object_set_new(o, "deadline", json_string(d->task->deadline_text));
	json_object_set_new(o, "title", json_string(*d->task->cat2 ? d->task->cat2
							       : d->task->cat1));
	json_object_set_new(o, "period", d->occ.period[0]
						  ? json_string(d->occ.period)
						  : json_null());
	json_object_set_new(o, "due", d->occ.due == KP_DAY_NONE
					      ? json_null()
					      : json_string(kp_day_str(d->occ.due, b)));
	json_object_set_new(o, "days", d->occ.due == KP_DAY_NONE
					       ? json_null()
					       : json_integer(d->occ.due - asof));
	json_object_set_new(o, "waits_for",
			    d->task->deadline.kind == KP_DL_EVENT &&
					    d->occ.due == KP_DAY_NONE
				    ? json_string(d->task->deadline.event)
				    : json_null());
	json_object_set_new(o, "last_status",
			    d->last ? json_string(kp_status_label(d->last->status))
				    : json_null());
	json_object_set_new(o, "last_date",
			    d->last ? json_string(kp_day_str(d->last->day, b))
				    : json_null());
	return o;
}

/* derived: the plan comes from a table (name each item, its numbers
 * alone say little) */
static void due_line(const kp_due *d, int asof, bool derived)
{
	char b[16];
	printf("  第%s项  ", d->task->no);
	cli_pad(stdout, d->unit, 24);
	if (d->state == KP_DUE_UNRESOLVED)
		printf("  时限未定");
	else if (d->occ.due == KP_DAY_NONE)
		printf("  待事件“%s”", d->task->deadline.event);
	else if (d->occ.due < asof)
		printf("  %s（已过 %d 天）", kp_day_str(d->occ.due, b),
		       asof - d->occ.due);
	else
		printf("  %s（还有 %d 天）", kp_day_str(d->occ.due, b),
		       d->occ.due - asof);
	if (d->occ.period[0])
		printf("  %s", d->occ.period);
	if (*d->task->deadline_text)
		printf("  %s", d->task->deadline_text);
	if (derived)
		printf("  %s", *d->task->cat2 ? d->task->cat2 : d->task->cat1);
	if (d->last)
		printf("  最近进展：%s %s", kp_day_str(d->last->day, b),
		       kp_status_label(d->last->status));
	putchar('\n');
}

/* Earliest due first; on the same day, the order kp_dues_build gave
 * (plan order, then unit, then occurrence). */
static const kp_due *g_dues;

static int cmp_due_idx(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int x = g_dues[i].occ.due, y = g_dues[j].occ.due;
	if (x != y)
		return (x > y) - (x < y);
	return (i > j) - (i < j);
}

static void sort_dues(kp_dues *d)
{
	size_t *idx;
	kp_due *v;
	if (d->n < 2)
		return;
	idx = kp_xmalloc(d->n * sizeof(*idx));
	for (size_t i = 0; i < d->n; i++)
		idx[i] = i;
	g_dues = d->v;
	qsort(idx, d->n, sizeof(*idx), cmp_due_idx);
	v = kp_xmalloc(d->n * sizeof(*v));
	for (size_t i = 0; i < d->n; i++)
		v[i] = d->v[idx[i]];
	free(d->v);
	d->v = v;
	free(idx);
}

/* The dues at asof as JSON: overdue, due within days, waiting for an
 * event, and without a deadline (of unit only, when given). */
static int print_json(const kp_dues *d, const char *as, int asof, int days,
		      const char *unit)
{
	json_t *o = json_object(), *over = json_array(),
	       *soon = json_array(), *wait = json_array(),
	       *unres = json_array();
	for (size_t i = 0; i < d->n; i++) {
		const kp_due *x = &d->v[i];
		if (unit && strcmp(x->unit, unit))
			continue;
		if (x->state == KP_DUE_OVERDUE)
			json_array_append_new(over, due_json(x, asof));
		else if (x->state == KP_DUE_OPEN &&
			 x->occ.due <= asof + days)
			json_array_append_new(soon, due_json(x, asof));
		else if (x->state == KP_DUE_WAITING)
			json_array_append_new(wait, due_json(x, asof));
		else if (x->state == KP_DUE_UNRESOLVED && !x->last)
			json_array_append_new(unres, due_json(x, asof));
	}
	json_object_set_new(o, "as_of", json_string(as));
	json_object_set_new(o, "days", json_integer(days));
	json_object_set_new(o, "unit", unit ? json_string(unit)
					    : json_null());
	json_object_set_new(o, "overdue", over);
	json_object_set_new(o, "due_soon", soon);
	json_object_set_new(o, "waiting", wait);
	json_object_set_new(o, "unresolved", unres);
	return cli_print_json(o);
}

int cmd_tasks_due(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct tasks_ctx c;
	kp_dues d;
	kp_err e;
	const char *as = NULL, *days_s, *unit = NULL;
	int asof, days = 30, rc;
	size_t nover = 0, nsoon = 0, nwait = 0, nunres = 0;
	bool json;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	json = cli_get(cmd, &a, "json") != NULL;
	if ((rc = tasks_no_args(cmd, &a)))
		return rc;
	if (!(as = cli_get(cmd, &a, "as-of")))
		return cli_usage_error("tasks due 需要 --as-of 日期（如 2017-08-01）");
	if ((rc = tasks_parse_asof(as, &asof)))
		return rc;
	if ((days_s = cli_get(cmd, &a, "days")) != NULL) {
		char *end;
		long v = strtol(days_s, &end, 10);
		if (!*days_s || *end || v < 0 || v > 3660)
			return cli_usage_error("--days 应为 0 到 3660 的整数，而不是“%s”",
					       days_s);
		days = (int)v;
	}
	if ((rc = tasks_ctx_load(&c, cmd, &a, false)))
		return rc;
	if ((rc = tasks_unit_filter(&c, cli_get(cmd, &a, "unit"), &unit))) {
		tasks_ctx_release(&c);
		return rc;
	}
	if (kp_dues_build(c.plan, c.ledger, c.cal, asof, &d, &e) < 0) {
		tasks_ctx_release(&c);
		return cli_error(&e);
	}
	sort_dues(&d);
	if (json) {
		rc = print_json(&d, as, asof, days, unit);
	} else {
		printf("逾期未完成（到期日早于 %s）：\n", as);
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].state == KP_DUE_OVERDUE &&
			    (!unit || !strcmp(d.v[i].unit, unit))) {
				due_line(&d.v[i], asof, c.plan->table != NULL);
				nover++;
			}
		if (!nover)
			printf("  （无）\n");
		printf("今后 %d 天内到期：\n", days);
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].state == KP_DUE_OPEN &&
			    d.v[i].occ.due <= asof + days &&
			    (!unit || !strcmp(d.v[i].unit, unit))) {
				due_line(&d.v[i], asof, c.plan->table != NULL);
				nsoon++;
			}
		if (!nsoon)
			printf("  （无）\n");
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].state == KP_DUE_WAITING &&
			    (!unit || !strcmp(d.v[i].unit, unit)))
				nwait++;
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].state == KP_DUE_UNRESOLVED && !d.v[i].last &&
			    (!unit || !strcmp(d.v[i].unit, unit))) {
				if (!nunres++)
					printf("时限未定、尚无进展（原文没有写时限，不算逾期也不算到期）：\n");
				due_line(&d.v[i], asof, c.plan->table != NULL);
			}
		printf("合计：逾期 %zu，%d 天内到期 %zu，待事件 %zu（事件日期登记后才能算出时限：kaoping tasks event）",
		       nover, days, nsoon, nwait);
		if (nunres)
			printf("，时限未定 %zu", nunres);
		putchar('\n');
	}
	kp_dues_release(&d);
	tasks_ctx_release(&c);
	return rc;
}
