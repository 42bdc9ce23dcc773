/* ledger/tasks_dates.c — a task's deadline resolved to dates on the
 * working-day calendar: its occurrences in the plan year (one for a
 * fixed date, one a month or quarter for a recurring deadline, one once
 * an event's date is known), and the listing `kaoping tasks dates`
 * prints.  Above tasks.c (the plan) and calendar.c; event dates come
 * through a kp_event_lookup, not from the progress ledger. */
#include "ledger/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* ---- occurrences ----------------------------------------------------- */

static const char *const quarter_zh[] = { "一", "二", "三", "四" };

struct occs {
	kp_occurrence *v;
	size_t n, cap;
};

static void occ_add(struct occs *o, int due, int open, const char *period)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = kp_xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	o->v[o->n].due = due;
	o->v[o->n].open = open;
	snprintf(o->v[o->n].period, sizeof(o->v[o->n].period), "%s", period);
	o->n++;
}

static int cmp_occ(const void *a, const void *b)
{
	const kp_occurrence *x = a, *y = b;
	if (x->due != y->due)
		return (x->due > y->due) - (x->due < y->due);
	if (x->open != y->open)
		return (x->open > y->open) - (x->open < y->open);
	return strcmp(x->period, y->period);
}

static int after(const kp_calendar *cal, int day, int lag, bool workdays,
		 int *out, kp_err *e)
{
	if (workdays)
		return kp_calendar_add_workdays(cal, day, lag, out, e);
	*out = day + lag;
	return 0;
}

int kp_task_occurrences(const kp_tasks *t, const kp_event_lookup *l,
			const kp_task *k, const kp_calendar *cal,
			kp_occurrence **out, size_t *n, kp_err *e)
{
	const kp_deadline *d = &k->deadline;
	struct occs o = { NULL, 0, 0 };
	int y = t->year, from = t->notice_day;
	char label[32];
	*n = 0;
	*out = NULL;
	switch (d->kind) {
	case KP_DL_DATE:
		occ_add(&o, d->day, KP_DAY_NONE, "");
		break;
	case KP_DL_YEAR:
	case KP_DL_ONGOING:
		occ_add(&o, kp_day_from_ymd(y, 12, 31), KP_DAY_NONE, "");
		break;
	case KP_DL_AFTER:
	case KP_DL_PERIODIC:
		for (int q = 0; q < 2; q++) {
			bool quarterly = q == 1;
			int step = quarterly ? 3 : 1;
			if (quarterly ? !d->quarterly : !d->monthly)
				continue;
			for (int m = 1; m <= 12; m += step) {
				int start = kp_day_from_ymd(y, m, 1);
				int endm = m + step - 1;
				int end = kp_day_from_ymd(
					y, endm, kp_days_in_month(y, endm));
				int due, open;
				if (d->kind == KP_DL_AFTER) {
					if (after(cal, end, d->lag, d->workdays,
						  &due, e) < 0)
						goto fail;
					open = end + 1;
				} else {
					due = end;
					open = start;
				}
				if (from != KP_DAY_NONE && due < from)
					continue;
				if (quarterly)
					snprintf(label, sizeof(label),
						 "%d年第%s季度", y,
						 quarter_zh[(m - 1) / 3]);
				else
					snprintf(label, sizeof(label), "%d年%d月",
						 y, m);
				occ_add(&o, due, open, label);
			}
		}
		break;
	case KP_DL_QFIRSTWEEK:
		for (int m = 1; m <= 12; m += 3) {
			int start = kp_day_from_ymd(y, m, 1);
			if (from != KP_DAY_NONE && start + 6 < from)
				continue;
			snprintf(label, sizeof(label), "%d年第%s季度", y,
				 quarter_zh[(m - 1) / 3]);
			occ_add(&o, start + 6, start, label);
		}
		break;
	case KP_DL_NONE:
		occ_add(&o, KP_DAY_NONE, KP_DAY_NONE, "");
		break;
	case KP_DL_EVENT: {
		int ev = kp_event_day(t, l, d->event);
		int due;
		if (ev == KP_DAY_NONE) {
			occ_add(&o, KP_DAY_NONE, KP_DAY_NONE, "");
			break;
		}
		if (after(cal, ev, d->lag, d->workdays, &due, e) < 0)
			goto fail;
		occ_add(&o, due, ev, "");
		break;
	}
	}
	if (o.n)
		qsort(o.v, o.n, sizeof(*o.v), cmp_occ);
	*n = o.n;
	*out = o.v;
	return 0;
fail:
	{
		char msg[sizeof(e->msg)];
		snprintf(msg, sizeof(msg), "%s", e->msg);
		kp_fail(e, KP_EINPUT, "第%s项（%s）：%s", k->no,
			k->deadline_text, msg);
	}
	free(o.v);
	*out = NULL;
	return -1;
}

/* ---- the listing of resolved dates ----------------------------------- */

static int num_of(const char *no)
{
	char *end;
	long v = strtol(no, &end, 10);
	return *no && !*end ? (int)v : -1;
}

static void dates_line(kp_buf *out, const kp_tasks *t,
		       const kp_event_lookup *l, const kp_task *k,
		       const kp_occurrence *occ, size_t nocc)
{
	char b[16];
	kp_buf_addf(out, "%s | %s | ", k->no,
		    *k->deadline_text ? k->deadline_text : "（未写时限）");
	if (k->deadline.kind == KP_DL_NONE) {
		kp_buf_adds(out, KP_TASKS_UNRESOLVED);
		return;
	}
	if (k->deadline.kind == KP_DL_EVENT) {
		int ev = kp_event_day(t, l, k->deadline.event);
		if (ev == KP_DAY_NONE) {
			kp_buf_addf(out, "待事件“%s”登记日期（之后%d%s）",
				    k->deadline.event, k->deadline.lag,
				    k->deadline.workdays ? "个工作日" : "日");
			return;
		}
		{
			char b2[16];
			kp_buf_addf(out, "%s（%s %s 后%s%d%s）",
				    kp_day_str(occ[0].due, b),
				    k->deadline.event, kp_day_str(ev, b2),
				    k->deadline.workdays ? "第" : "",
				    k->deadline.lag,
				    k->deadline.workdays ? "个工作日" : "日");
		}
		return;
	}
	for (size_t i = 0; i < nocc; i++) {
		if (i)
			kp_buf_adds(out, "，");
		if (occ[i].period[0])
			kp_buf_addf(out, "%s→", occ[i].period);
		kp_buf_adds(out, kp_day_str(occ[i].due, b));
	}
	if (k->deadline.kind == KP_DL_YEAR)
		kp_buf_adds(out, "（年底）");
	else if (k->deadline.kind == KP_DL_ONGOING)
		kp_buf_adds(out, "（随时进行，按年底核查）");
}

int kp_tasks_dates_text(const kp_tasks *t, const kp_event_lookup *l,
			const kp_calendar *cal, kp_buf *out, kp_err *e)
{
	char b[16];
	int prev = 0;
	kp_buf_addf(out, "# %s（%s），%d 年：各项任务完成时限解析出的日期\n",
		    t->title ? t->title : t->file, t->docno ? t->docno : "",
		    t->year);
	if (t->table)
		kp_buf_addf(out, "# 任务由指标表 %s 导出：写了“需报送信息”的 %zu 项指标；时限%s%s%s\n",
			    t->table, t->n, t->deadline ? "按方案的“" : "",
			    t->deadline ? t->deadline : "原文没有写，不猜测",
			    t->deadline ? "”（逐项另写的除外）" : "");
	if (t->notice_day != KP_DAY_NONE)
		kp_buf_addf(out, "# 通知日期 %s；每月、每季度的时限只列通知日期之后到期的期次\n",
			    kp_day_str(t->notice_day, b));
	{
		const char *n = kp_calendar_notice(cal, t->year);
		if (n)
			kp_buf_addf(out, "# 工作日按%s\n", n);
	}
	kp_buf_adds(out, "# 每行：序号 | 完成时限（照原文） | 日期\n");
	for (size_t i = 0; i < t->n; i++) {
		const kp_task *k = &t->v[i];
		kp_occurrence *occ;
		size_t nocc;
		int num = num_of(k->no);
		/* numbers the source skips, in their place */
		for (int m = prev + 1; num > 0 && m < num; m++) {
			char s[16];
			snprintf(s, sizeof(s), "%d", m);
			if (in_list(t->missing, t->nmissing, s))
				kp_buf_addf(out, "%d | （原文缺失，序号保留） | —\n", m);
		}
		if (num > 0)
			prev = num;
		if (kp_task_occurrences(t, l, k, cal, &occ, &nocc, e) < 0)
			return -1;
		dates_line(out, t, l, k, occ, nocc);
		kp_buf_addc(out, '\n');
		free(occ);
	}
	return 0;
}
