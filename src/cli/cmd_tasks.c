/* kaoping tasks … — the division-of-work plan's commands: dates, import,
 * event, due, report.  See docs/tasks.md. */
#include "cli/cli.h"
#include "ledger/ledger.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define TASKS_COMMON_OPTS                                                  \
	{ "plan", 0, "ID|文件", "方案：内置的 pzh2017（攀办发〔2017〕84号，默认）、ak2020（安电政办字〔2020〕5号“需报送信息”），或 CSV/XLSX 文件（docs/tasks.md）" }, \
	{ "calendar", 0, "文件", "节假日日历（默认内置的 data/calendar/cn-holidays.csv）" }

const struct cli_opt tasks_dates_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账（其中登记的事件日期参与计算）" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt tasks_show_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账（列出这项任务的全部进展）" },
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt tasks_import_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账（必填；不存在则新建）" },
	{ "sheet", 0, "N", "XLSX：读第 N 个工作表（默认第一个）" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt tasks_event_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账（必填；不存在则新建）" },
	{ "note", 0, "文字", "说明，如文件名称和文号" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt tasks_due_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账（不给则视为尚无进展）" },
	{ "as-of", 0, "日期", "以哪一天为准（必填），如 2017-08-01" },
	{ "days", 0, "N", "列出今后 N 天内到期的（默认 30）" },
	{ "unit", 0, "单位", "只看这个单位（规范名称或别名）" },
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt tasks_report_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账（不给则视为尚无进展）" },
	{ "as-of", 0, "日期", "以哪一天为准（默认方案年度的 12 月 31 日）" },
	{ "unit", 0, "单位", "只看这个单位（规范名称或别名）" },
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

/* What every tasks command loads. */
struct ctx {
	kp_calendar *cal;
	kp_tasks *plan;
	kp_tledger *ledger;
	kp_event_lookup ev;   /* the ledger's event dates, else the plan's */
};

static void ctx_release(struct ctx *c)
{
	kp_tledger_free(c->ledger);
	kp_tasks_free(c->plan);
	kp_calendar_free(c->cal);
}

/* Load calendar, plan and (when path given or required) the ledger. */
static int ctx_load(struct ctx *c, const struct cli_cmd *cmd,
		    const struct cli_args *a, bool need_ledger)
{
	const char *lp = cli_get(cmd, a, "ledger");
	kp_err e;
	memset(c, 0, sizeof(*c));
	if (need_ledger && !lp)
		return cli_usage_error("%s 需要 --ledger 文件（任务进展台账）",
				       cmd->words);
	if (kp_calendar_open(cli_get(cmd, a, "calendar"), &c->cal, &e) < 0 ||
	    kp_tasks_open(cli_get(cmd, a, "plan"), &c->plan, &e) < 0 ||
	    (lp && kp_tledger_load(lp, c->plan, &c->ledger, &e) < 0)) {
		ctx_release(c);
		return cli_error(&e);
	}
	c->ev = kp_tledger_events(c->ledger);
	return 0;
}

static int no_args(const struct cli_cmd *cmd, const struct cli_args *a)
{
	if (a->npos)
		return cli_usage_error("%s 不接受参数“%s”", cmd->words,
				       a->pos[0]);
	return 0;
}

/* ---- dates ----------------------------------------------------------- */

int cmd_tasks_dates(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ctx c;
	kp_buf out = KP_BUF_INIT;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if ((rc = no_args(cmd, &a)) || (rc = ctx_load(&c, cmd, &a, false)))
		return rc;
	if (kp_tasks_dates_text(c.plan, &c.ev, c.cal, &out, &e) < 0)
		rc = cli_error(&e);
	else
		fputs(out.data, stdout);
	kp_buf_release(&out);
	ctx_release(&c);
	return rc;
}

/* ---- show ------------------------------------------------------------ */

static json_t *strs_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

int cmd_tasks_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ctx c;
	const kp_task *k;
	kp_occurrence *occ = NULL;
	size_t nocc = 0;
	kp_err e;
	char b[16];
	int rc;
	bool json;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	json = cli_get(cmd, &a, "json") != NULL;
	if (a.npos != 1)
		return cli_usage_error("tasks show 需要一个任务序号（如 14、N1；导出的方案写指标编号或名称，如 1.4）");
	if ((rc = ctx_load(&c, cmd, &a, false)))
		return rc;
	k = kp_tasks_lookup(c.plan, a.pos[0]);
	if (!k) {
		bool missing = false;
		for (size_t i = 0; i < c.plan->nmissing; i++)
			if (!strcmp(c.plan->missing[i], a.pos[0]))
				missing = true;
		rc = missing ? cli_usage_error("第%s项在原文中缺失（%s 没有这一项）",
					       a.pos[0], c.plan->docno ? c.plan->docno : c.plan->file)
		     : c.plan->table
			     ? cli_usage_error("“%s”不是方案 %s 的任务（写指标编号如 1.4，或指标名称；写了“需报送信息”的指标才是任务）",
					       a.pos[0], c.plan->id ? c.plan->id : c.plan->file)
			     : cli_usage_error("任务序号“%s”不在分工方案中", a.pos[0]);
		ctx_release(&c);
		return rc;
	}
	if (kp_task_occurrences(c.plan, &c.ev, k, c.cal, &occ, &nocc, &e) < 0) {
		ctx_release(&c);
		return cli_error(&e);
	}
	if (json) {
		json_t *o = json_object(), *dues = json_array(),
		       *hist = json_array();
		json_object_set_new(o, "no", json_string(k->no));
		json_object_set_new(o, "category1", json_string(k->cat1));
		json_object_set_new(o, "category2", json_string(k->cat2));
		json_object_set_new(o, "requirement", json_string(k->requirement));
		json_object_set_new(o, "content", json_string(k->content));
		json_object_set_new(o, "units", json_string(k->units));
		json_object_set_new(o, "leads", strs_json(k->leads, k->nleads));
		json_object_set_new(o, "unnamed", json_string(k->unnamed));
		json_object_set_new(o, "assists", strs_json(k->assists, k->nassists));
		json_object_set_new(o, "deadline", json_string(k->deadline_text));
		json_object_set_new(o, "resolved",
				    json_boolean(k->deadline.kind != KP_DL_NONE));
		for (size_t i = 0; i < nocc; i++) {
			json_t *d = json_object();
			json_object_set_new(d, "period", occ[i].period[0]
				? json_string(occ[i].period) : json_null());
			json_object_set_new(d, "due", occ[i].due == KP_DAY_NONE
				? json_null() : json_string(kp_day_str(occ[i].due, b)));
			json_array_append_new(dues, d);
		}
		json_object_set_new(o, "dues", dues);
		json_object_set_new(o, "waits_for",
				    k->deadline.kind == KP_DL_EVENT && nocc &&
						    occ[0].due == KP_DAY_NONE
					    ? json_string(k->deadline.event)
					    : json_null());
		json_object_set_new(o, "note", json_string(k->note));
		json_object_set_new(o, "quirk", json_string(k->quirk));
		for (size_t i = 0; c.ledger && i < c.ledger->n; i++) {
			const kp_progress *p = &c.ledger->v[i];
			json_t *h;
			if (strcmp(p->task, k->no))
				continue;
			h = json_object();
			json_object_set_new(h, "unit", json_string(p->unit));
			json_object_set_new(h, "date", json_string(kp_day_str(p->day, b)));
			json_object_set_new(h, "status", json_string(kp_status_label(p->status)));
			json_object_set_new(h, "note", json_string(p->note));
			json_object_set_new(h, "url", json_string(p->url));
			json_array_append_new(hist, h);
		}
		json_object_set_new(o, "progress", hist);
		rc = cli_print_json(o);
	} else {
		bool derived = c.plan->table != NULL;
		printf("第%s项  %s%s%s\n", k->no, k->cat1, *k->cat2 ? "／" : "",
		       k->cat2);
		if (derived) {
			printf("信息公开内容：%s\n", k->content);
			printf("需报送信息：%s\n", k->requirement);
			printf("建设单位（原文）：%s\n", k->units);
		} else {
			printf("具体要求：%s\n", k->requirement);
			printf("牵头落实单位（原文）：%s\n", k->units);
		}
		printf("责任单位（%zu 个）：", k->nleads);
		for (size_t i = 0; i < k->nleads; i++)
			printf("%s%s", i ? "、" : "", k->leads[i]);
		putchar('\n');
		if (*k->unnamed)
			printf("未点名的单位：%s（原文没有点名，不逐个跟踪）\n",
			       k->unnamed);
		if (k->nassists) {
			printf("配合单位：");
			for (size_t i = 0; i < k->nassists; i++)
				printf("%s%s", i ? "、" : "", k->assists[i]);
			putchar('\n');
		}
		printf("完成时限（原文）：%s\n",
		       *k->deadline_text ? k->deadline_text : "（未写）");
		printf("日期：");
		for (size_t i = 0; i < nocc; i++) {
			if (i)
				fputs("，", stdout);
			if (k->deadline.kind == KP_DL_NONE)
				fputs(KP_TASKS_UNRESOLVED, stdout);
			else if (occ[i].due == KP_DAY_NONE)
				printf("待事件“%s”", k->deadline.event);
			else
				printf("%s%s%s", occ[i].period,
				       occ[i].period[0] ? "→" : "",
				       kp_day_str(occ[i].due, b));
		}
		if (!nocc)
			printf("（本年度没有通知日期之后到期的期次）");
		putchar('\n');
		if (*k->note)
			printf("备注：%s\n", k->note);
		if (*k->quirk)
			printf("原文问题：%s\n", k->quirk);
		for (size_t i = 0; c.ledger && i < c.ledger->n; i++) {
			const kp_progress *p = &c.ledger->v[i];
			if (strcmp(p->task, k->no))
				continue;
			printf("进展：%s  %s  %s  %s%s%s\n", kp_day_str(p->day, b),
			       p->unit, kp_status_label(p->status), p->note,
			       *p->url ? "  " : "", p->url);
		}
	}
	free(occ);
	ctx_release(&c);
	return rc;
}

/* ---- import ---------------------------------------------------------- */

int cmd_tasks_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ctx c;
	kp_sheet *s = NULL;
	kp_sheet_opts so = { 0, 0, 0 };
	const char *sheet;
	size_t added = 0;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("tasks import 需要一个文件（各单位填报的任务进展表，CSV 或 XLSX）");
	if ((sheet = cli_get(cmd, &a, "sheet")) != NULL) {
		char *end;
		long v = strtol(sheet, &end, 10);
		if (!*sheet || *end || v < 1 || v > 255)
			return cli_usage_error("--sheet 应为 1 到 255 的整数，而不是“%s”",
					       sheet);
		so.sheet = (int)v;
	}
	if ((rc = ctx_load(&c, cmd, &a, true)))
		return rc;
	if (kp_sheet_load(a.pos[0], &so, &s, &e) < 0 ||
	    kp_tledger_import(c.ledger, s, &added, &e) < 0 ||
	    kp_tledger_save(c.ledger, &e) < 0)
		rc = cli_error(&e);
	else
		printf("已导入 %zu 条进展到 %s\n", added, c.ledger->path);
	kp_sheet_free(s);
	ctx_release(&c);
	return rc;
}

/* ---- event ----------------------------------------------------------- */

int cmd_tasks_event(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ctx c;
	kp_err e;
	int day, rc;
	char b[16];
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 2)
		return cli_usage_error("tasks event 需要两个参数：事件名称 日期（如 国家指导意见印发 2017-12-25）");
	if (kp_day_parse(a.pos[1], &day) < 0)
		return cli_usage_error("事件日期“%s”%s", a.pos[1], KP_DAY_BAD);
	if ((rc = ctx_load(&c, cmd, &a, true)))
		return rc;
	if (kp_tledger_add_event(c.ledger, a.pos[0], day,
				 cli_get(cmd, &a, "note"), &e) < 0 ||
	    kp_tledger_save(c.ledger, &e) < 0)
		rc = cli_error(&e);
	else
		printf("已登记：%s %s\n", a.pos[0], kp_day_str(day, b));
	ctx_release(&c);
	return rc;
}

/* ---- due ------------------------------------------------------------- */

static int parse_asof(const char *s, int *day)
{
	if (kp_day_parse(s, day) < 0)
		return cli_usage_error("--as-of 日期“%s”%s", s, KP_DAY_BAD);
	return 0;
}

static int unit_filter(const struct ctx *c, const char *u, const char **out)
{
	*out = NULL;
	if (!u)
		return 0;
	*out = kp_units_resolve(c->plan->reg, u);
	if (!*out)
		return cli_usage_error("单位“%s”不在单位名录中（%s）", u,
				       c->plan->registry);
	for (size_t i = 0; i < c->plan->nunits; i++)
		if (!strcmp(c->plan->units[i], *out))
			return 0;
	return cli_usage_error("“%s”不是分工方案中任何一项的责任单位", *out);
}

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

int cmd_tasks_due(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ctx c;
	kp_dues d;
	kp_err e;
	const char *as = NULL, *days_s, *unit = NULL;
	int asof, days = 30, rc;
	size_t nover = 0, nsoon = 0, nwait = 0, nunres = 0;
	bool json;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	json = cli_get(cmd, &a, "json") != NULL;
	if ((rc = no_args(cmd, &a)))
		return rc;
	if (!(as = cli_get(cmd, &a, "as-of")))
		return cli_usage_error("tasks due 需要 --as-of 日期（如 2017-08-01）");
	if ((rc = parse_asof(as, &asof)))
		return rc;
	if ((days_s = cli_get(cmd, &a, "days")) != NULL) {
		char *end;
		long v = strtol(days_s, &end, 10);
		if (!*days_s || *end || v < 0 || v > 3660)
			return cli_usage_error("--days 应为 0 到 3660 的整数，而不是“%s”",
					       days_s);
		days = (int)v;
	}
	if ((rc = ctx_load(&c, cmd, &a, false)))
		return rc;
	if ((rc = unit_filter(&c, cli_get(cmd, &a, "unit"), &unit))) {
		ctx_release(&c);
		return rc;
	}
	if (kp_dues_build(c.plan, c.ledger, c.cal, asof, &d, &e) < 0) {
		ctx_release(&c);
		return cli_error(&e);
	}
	sort_dues(&d);
	if (json) {
		json_t *o = json_object(), *over = json_array(),
		       *soon = json_array(), *wait = json_array(),
		       *unres = json_array();
		for (size_t i = 0; i < d.n; i++) {
			const kp_due *x = &d.v[i];
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
		rc = cli_print_json(o);
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
	ctx_release(&c);
	return rc;
}

/* ---- report ---------------------------------------------------------- */

struct tally {
	unsigned tasks, due, done, late, overdue, open, waiting;
	unsigned unresolved, unresolved_done;   /* no deadline; of which 已完成 */
};

int cmd_tasks_report(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ctx c;
	kp_dues d;
	kp_err e;
	const char *as, *unit = NULL;
	int asof, rc;
	struct tally *t;
	bool json;
	char b[16];
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	json = cli_get(cmd, &a, "json") != NULL;
	if ((rc = no_args(cmd, &a)))
		return rc;
	if ((rc = ctx_load(&c, cmd, &a, false)))
		return rc;
	asof = kp_day_from_ymd(c.plan->year, 12, 31);
	if ((as = cli_get(cmd, &a, "as-of")) && (rc = parse_asof(as, &asof))) {
		ctx_release(&c);
		return rc;
	}
	if ((rc = unit_filter(&c, cli_get(cmd, &a, "unit"), &unit))) {
		ctx_release(&c);
		return rc;
	}
	if (kp_dues_build(c.plan, c.ledger, c.cal, asof, &d, &e) < 0) {
		ctx_release(&c);
		return cli_error(&e);
	}
	t = kp_xcalloc(c.plan->nunits ? c.plan->nunits : 1, sizeof(*t));
	for (size_t u = 0; u < c.plan->nunits; u++)
		for (size_t i = 0; i < c.plan->n; i++)
			if (kp_task_has_lead(&c.plan->v[i], c.plan->units[u]))
				t[u].tasks++;
	for (size_t i = 0; i < d.n; i++) {
		const kp_due *x = &d.v[i];
		size_t u;
		for (u = 0; u < c.plan->nunits; u++)
			if (!strcmp(c.plan->units[u], x->unit))
				break;
		switch (x->state) {
		case KP_DUE_DONE:
			t[u].done++;
			t[u].due++;
			break;
		case KP_DUE_DONE_LATE:
			t[u].late++;
			t[u].due++;
			break;
		case KP_DUE_OVERDUE:
			t[u].overdue++;
			t[u].due++;
			break;
		case KP_DUE_OPEN:
			/* due on the as-of day itself and not done: due */
			if (x->occ.due <= asof) {
				t[u].overdue++;
				t[u].due++;
			} else
				t[u].open++;
			break;
		case KP_DUE_WAITING:
			t[u].waiting++;
			break;
		case KP_DUE_UNRESOLVED:
			t[u].unresolved++;
			if (x->done_day != KP_DAY_NONE)
				t[u].unresolved_done++;
			break;
		}
	}
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
					    t[u].due ? json_real((double)fin / t[u].due)
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
	ctx_release(&c);
	return rc;
}
