/* ledger/tasks_ledger.c — progress entries per task and lead unit, the
 * event dates deadlines count from, and the dues: every occurrence of every
 * task for every lead unit judged at a date.  See ledger.h, section 2, and
 * docs/tasks.md.
 *
 * On disk the ledger is one append-only UTF-8 CSV file (format
 * kaoping-task-progress/1): a row per progress entry or event record, never
 * rewritten; saving writes the old bytes unchanged plus the new rows,
 * atomically. */
#include "ledger/ledger.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LEDGER_FORMAT "kaoping-task-progress/1"
#define LEDGER_MAX ((size_t)64 << 20)

static const char *const status_zh[KP_ST_COUNT] = { "未开始", "推进中",
						     "已完成", "逾期" };

const char *kp_status_label(kp_status s)
{
	return s < KP_ST_COUNT ? status_zh[s] : "?";
}

int kp_status_parse(const char *s, kp_status *out)
{
	for (int i = 0; i < KP_ST_COUNT; i++)
		if (!strcmp(s, status_zh[i])) {
			*out = (kp_status)i;
			return 0;
		}
	return -1;
}

void kp_tledger_free(kp_tledger *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].task);
		free(l->v[i].unit);
		free(l->v[i].note);
		free(l->v[i].url);
	}
	for (size_t i = 0; i < l->nevents; i++) {
		free(l->events[i].name);
		free(l->events[i].source);
	}
	free(l->events);
	free(l->v);
	free(l->path);
	free(l);
}

int kp_tledger_event(const kp_tledger *l, const char *name)
{
	for (size_t i = l->nevents; i-- > 0;)
		if (!strcmp(l->events[i].name, name))
			return l->events[i].day;
	return kp_tasks_event(l->plan, name);
}

static int event_of(const void *ctx, const char *name)
{
	return kp_tledger_event(ctx, name);
}

kp_event_lookup kp_tledger_events(const kp_tledger *l)
{
	kp_event_lookup ev = { l ? event_of : NULL, l };
	return ev;
}

/* The columns an office's sheet may use, by English key or Chinese name. */
enum { PC_TYPE, PC_TASK, PC_UNIT, PC_DATE, PC_STATUS, PC_NOTE, PC_URL,
       PC_N };
static const char *const pcol_names[PC_N][9] = {
	[PC_TYPE] = { "type", "类别", NULL },
	[PC_TASK] = { "task", "no", "序号", "任务序号", "任务", "指标", "指标编号",
		      "指标名称", NULL },
	[PC_UNIT] = { "unit", "单位", "牵头单位", "责任单位", "填报单位", NULL },
	[PC_DATE] = { "date", "日期", "进展日期", "填报日期", NULL },
	[PC_STATUS] = { "status", "状态", "进展状态", "完成情况", NULL },
	[PC_NOTE] = { "note", "说明", "进展情况", "备注", NULL },
	[PC_URL] = { "url", "证据", "证据链接", "网址", "链接", NULL },
};

static int pcol_of(const char *h)
{
	for (int c = 0; c < PC_N; c++)
		for (int i = 0; pcol_names[c][i]; i++)
			if (!strcmp(h, pcol_names[c][i]))
				return c;
	return -1;
}

static bool same_entry(const kp_progress *a, const char *task,
		       const char *unit, int day, kp_status st)
{
	return a->day == day && a->status == st && !strcmp(a->task, task) &&
	       !strcmp(a->unit, unit);
}

/* Check one row and, if good, append it to l (line = where it came from,
 * for duplicate messages; saved says whether it is already in the file;
 * serial_ok: the sheet is an XLSX, whose date cells read as day serials). */
static int take_row(kp_tledger *l, const char *file, size_t line,
		    const char *const *c, bool saved, bool serial_ok, kp_err *e)
{
	const kp_tasks *t = l->plan;
	const kp_task *k;
	const char *unit;
	int day;
	kp_status st;
	kp_progress *p;
	const char *type = c[PC_TYPE];
	if (*type && strcmp(type, "progress") && strcmp(type, "进展")) {
		if (!strcmp(type, "event") || !strcmp(type, "事件")) {
			if (!*c[PC_TASK])
				return kp_fail_at(e, KP_EINPUT, file, line,
						  "事件行缺少事件名称（task 列）");
			if ((serial_ok ? kp_day_cell(c[PC_DATE], &day)
				       : kp_day_parse(c[PC_DATE], &day)) < 0)
				return kp_day_fail(e, file, line, "日期",
						   c[PC_DATE]);
			l->events = kp_xrealloc(l->events, (l->nevents + 1) *
							   sizeof(*l->events));
			l->events[l->nevents].name = kp_xstrdup(c[PC_TASK]);
			l->events[l->nevents].day = day;
			l->events[l->nevents].source = kp_xstrdup(c[PC_NOTE]);
			l->events[l->nevents].line = saved ? line : 0;
			l->nevents++;
			if (saved)
				l->nevents_saved = l->nevents;
			return 0;
		}
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "类别“%s”应为 progress（进展）或 event（事件）",
				  type);
	}
	if (!*c[PC_TASK])
		return kp_fail_at(e, KP_EINPUT, file, line, "任务序号为空");
	k = kp_tasks_lookup(t, c[PC_TASK]);
	if (!k) {
		for (size_t i = 0; i < t->nmissing; i++)
			if (!strcmp(t->missing[i], c[PC_TASK]))
				return kp_fail_at(e, KP_EINPUT, file, line,
						  "第%s项在原文中缺失（%s 没有这一项）",
						  c[PC_TASK], t->docno ? t->docno : t->file);
		if (t->table)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "“%s”不是方案 %s 的任务（写指标编号如 1.4，或指标名称；写了“需报送信息”的指标才是任务）",
					  c[PC_TASK], t->id ? t->id : t->file);
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "任务序号“%s”不在分工方案中", c[PC_TASK]);
	}
	if (!*c[PC_UNIT])
		return kp_fail_at(e, KP_EINPUT, file, line, "单位为空");
	unit = kp_units_resolve(t->reg, c[PC_UNIT]);
	if (!unit)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "单位“%s”不在单位名录中", c[PC_UNIT]);
	if (!kp_task_has_lead(k, unit))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "“%s”不是第%s项的责任单位（%s）", unit, k->no,
				  k->units);
	if ((serial_ok ? kp_day_cell(c[PC_DATE], &day)
		       : kp_day_parse(c[PC_DATE], &day)) < 0)
		return kp_day_fail(e, file, line, "日期", c[PC_DATE]);
	if (kp_status_parse(c[PC_STATUS], &st) < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "状态“%s”应为 未开始、推进中、已完成 或 逾期",
				  c[PC_STATUS]);
	if (*c[PC_URL] && strncmp(c[PC_URL], "http://", 7) &&
	    strncmp(c[PC_URL], "https://", 8))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "证据链接“%s”应以 http:// 或 https:// 开头",
				  c[PC_URL]);
	for (size_t i = 0; i < l->n; i++)
		if (same_entry(&l->v[i], k->no, unit, day, st)) {
			char b[16];
			if (l->v[i].line && i < l->nsaved)
				return kp_fail_at(e, KP_EINPUT, file, line,
						  "重复：第%s项、%s、%s、%s 已在台账 %s 第%zu行",
						  k->no, unit, kp_day_str(day, b),
						  status_zh[st], l->path, l->v[i].line);
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "重复：与本文件第%zu行相同（第%s项、%s、%s、%s）",
					  l->v[i].line, k->no, unit,
					  kp_day_str(day, b), status_zh[st]);
		}
	l->v = kp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	p = &l->v[l->n++];
	p->task = kp_xstrdup(k->no);
	p->unit = kp_xstrdup(unit);
	p->day = day;
	p->status = st;
	p->note = kp_xstrdup(c[PC_NOTE]);
	p->url = kp_xstrdup(c[PC_URL]);
	p->line = line;
	if (saved)
		l->nsaved = l->n;
	return 0;
}

int kp_tledger_take_saved(kp_tledger *l, const char *file, size_t line,
			  const char *const *cells, kp_err *e)
{
	return take_row(l, file, line, cells, true, false, e);
}

kp_tledger *kp_tledger_new(const char *name, const kp_tasks *plan)
{
	kp_tledger *l = kp_xcalloc(1, sizeof(*l));
	l->path = kp_xstrdup(name);
	l->plan = plan;
	return l;
}

/* Roll back to the first `n` entries and `nev` events. */
static void truncate_to(kp_tledger *l, size_t n, size_t nev)
{
	while (l->n > n) {
		kp_progress *p = &l->v[--l->n];
		free(p->task);
		free(p->unit);
		free(p->note);
		free(p->url);
	}
	while (l->nevents > nev) {
		kp_event *v = &l->events[--l->nevents];
		free(v->name);
		free(v->source);
	}
}

/* Rows of s from its header on into l; all or nothing. */
static int take_sheet(kp_tledger *l, const kp_sheet *s, bool saved,
		      size_t *added, kp_err *e)
{
	const char *file = kp_sheet_name(s);
	int col[PC_N];
	bool header = false;
	size_t n0 = l->n, ev0 = l->nevents, took = 0, hdr_n = 0;
	for (int i = 0; i < PC_N; i++)
		col[i] = -1;
	for (size_t r = 0; r < kp_sheet_nrows(s); r++) {
		size_t nf = kp_sheet_ncols(s, r), line = kp_sheet_line(s, r);
		const char *c[PC_N];
		bool blank = true;
		for (size_t i = 0; i < nf; i++)
			if (*kp_sheet_cell(s, r, i))
				blank = false;
		if (blank || kp_sheet_cell(s, r, 0)[0] == '#') {
			if (saved && !strcmp(kp_sheet_cell(s, r, 0), "#meta") &&
			    !strcmp(kp_sheet_cell(s, r, 1), "format") &&
			    strcmp(kp_sheet_cell(s, r, 2), LEDGER_FORMAT)) {
				kp_fail_at(e, KP_EINPUT, file, line,
					   "不是任务进展台账（format 应为 %s）",
					   LEDGER_FORMAT);
				goto fail;
			}
			/* one ledger, one plan: progress on 安康's reports
			 * must not be read against 攀枝花's task numbers */
			if (saved && !strcmp(kp_sheet_cell(s, r, 0), "#meta") &&
			    !strcmp(kp_sheet_cell(s, r, 1), "plan") &&
			    *kp_sheet_cell(s, r, 2) && l->plan->id &&
			    strcmp(kp_sheet_cell(s, r, 2), l->plan->id)) {
				kp_fail_at(e, KP_EINPUT, file, line,
					   "这是方案“%s”的进展台账，不能按方案“%s”读（用 --plan %s）",
					   kp_sheet_cell(s, r, 2), l->plan->id,
					   kp_sheet_cell(s, r, 2));
				goto fail;
			}
			continue;
		}
		if (!header) {
			for (size_t i = 0; i < nf; i++) {
				const char *h = kp_sheet_cell(s, r, i);
				int k;
				if (!*h)
					continue;
				k = pcol_of(h);
				if (k < 0) {
					kp_fail_at(e, KP_EINPUT, file, line,
						   "未知列名“%s”（可用：序号（或指标）、单位、日期、状态、说明、证据，或 task、unit、date、status、note、url）",
						   h);
					goto fail;
				}
				if (col[k] >= 0) {
					kp_fail_at(e, KP_EINPUT, file, line,
						   "列“%s”出现两次", h);
					goto fail;
				}
				col[k] = (int)i;
			}
			if (col[PC_TASK] < 0 || col[PC_UNIT] < 0 ||
			    col[PC_DATE] < 0 || col[PC_STATUS] < 0) {
				kp_fail_at(e, KP_EINPUT, file, line,
					   "表头应有 序号、单位、日期、状态 四列（task、unit、date、status）");
				goto fail;
			}
			header = true;
			hdr_n = nf;
			continue;
		}
		for (size_t i = hdr_n; i < nf; i++)
			if (*kp_sheet_cell(s, r, i)) {
				kp_fail_at(e, KP_EINPUT, file, line,
					   "第 %zu 列“%s”在表头之外（表头只有 %zu 列）：补上表头或删去这一格",
					   i + 1, kp_sheet_cell(s, r, i), hdr_n);
				goto fail;
			}
		for (int k = 0; k < PC_N; k++)
			c[k] = col[k] >= 0 ? kp_sheet_cell(s, r, (size_t)col[k])
					   : "";
		if (take_row(l, file, line, c, saved,
			     kp_sheet_format(s) == KP_SHEET_XLSX, e) < 0)
			goto fail;
		took++;
	}
	if (!header && !saved) {
		kp_fail_at(e, KP_EINPUT, file, 0,
			   "没有表头行（序号、单位、日期、状态…）");
		goto fail;
	}
	if (added)
		*added = took;
	return 0;
fail:
	truncate_to(l, n0, ev0);
	return -1;
}

int kp_tledger_load(const char *path, const kp_tasks *plan, kp_tledger **out,
		    kp_err *e)
{
	kp_tledger *l = kp_xcalloc(1, sizeof(*l));
	kp_buf b;
	kp_sheet *s = NULL;
	struct stat st;
	kp_sheet_opts o = { LEDGER_MAX, 0, ',' };
	l->path = kp_xstrdup(path);
	l->plan = plan;
	*out = NULL;
	if (stat(path, &st) < 0 && errno == ENOENT) {
		*out = l;
		return 0;
	}
	kp_buf_init(&b, LEDGER_MAX);
	if (kp_read_file(path, LEDGER_MAX, &b, e) == 0 && b.len == 0) {
		/* an empty file (touch progress.csv) is an empty ledger */
		kp_buf_release(&b);
		*out = l;
		return 0;
	}
	if (b.len == 0 ||
	    kp_sheet_parse(path, b.data ? b.data : "", b.len, &o, &s, e) < 0 ||
	    take_sheet(l, s, true, NULL, e) < 0) {
		kp_buf_release(&b);
		kp_sheet_free(s);
		kp_tledger_free(l);
		return -1;
	}
	kp_buf_release(&b);
	kp_sheet_free(s);
	*out = l;
	return 0;
}

int kp_tledger_import(kp_tledger *l, const kp_sheet *s, size_t *added,
		      kp_err *e)
{
	return take_sheet(l, s, false, added, e);
}

static bool event_used(const kp_tasks *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].deadline.kind == KP_DL_EVENT &&
		    !strcmp(t->v[i].deadline.event, name))
			return true;
	return false;
}

int kp_tledger_add_event(kp_tledger *l, const char *name, int day,
			 const char *note, kp_err *e)
{
	if (!event_used(l->plan, name)) {
		kp_buf b = KP_BUF_INIT;
		int rc;
		for (size_t i = 0; i < l->plan->n; i++) {
			const kp_deadline *d = &l->plan->v[i].deadline;
			if (d->kind == KP_DL_EVENT &&
			    (!b.data || !strstr(b.data, d->event))) {
				if (b.len)
					kp_buf_adds(&b, "、");
				kp_buf_adds(&b, d->event);
			}
		}
		rc = kp_fail(e, KP_EINPUT,
			     "没有哪项任务的完成时限以“%s”起算（方案中的事件：%s）",
			     name, b.data ? b.data : "无");
		kp_buf_release(&b);
		return rc;
	}
	for (size_t i = 0; i < l->nevents; i++)
		if (!strcmp(l->events[i].name, name) &&
		    l->events[i].day == day)
			return kp_fail(e, KP_EINPUT,
				       "重复：事件“%s”已登记为这一天", name);
	l->events = kp_xrealloc(l->events,
				(l->nevents + 1) * sizeof(*l->events));
	l->events[l->nevents].name = kp_xstrdup(name);
	l->events[l->nevents].day = day;
	l->events[l->nevents].source = kp_xstrdup(note ? note : "");
	l->events[l->nevents].line = 0;
	l->nevents++;
	return 0;
}

/* One row's cells as the file writes them; the date's text in buf. */
static void progress_cells(const kp_progress *p, char *buf, const char **c)
{
	c[0] = "progress";
	c[1] = p->task;
	c[2] = p->unit;
	c[3] = kp_day_str(p->day, buf);
	c[4] = status_zh[p->status];
	c[5] = p->note;
	c[6] = p->url;
}

static void event_cells(const kp_event *v, char *buf, const char **c)
{
	c[0] = "event";
	c[1] = v->name;
	c[2] = "";
	c[3] = kp_day_str(v->day, buf);
	c[4] = "";
	c[5] = v->source;
	c[6] = "";
}

size_t kp_tledger_nrows(const kp_tledger *l)
{
	return l->n + l->nevents;
}

size_t kp_tledger_nsaved(const kp_tledger *l)
{
	return l->nsaved + l->nevents_saved;
}

int kp_tledger_rows_each(const kp_tledger *l, size_t from,
			 kp_tledger_row_fn fn, void *ctx, kp_err *e)
{
	/* the saved rows of both kinds in line order (each kind is in line
	 * order already), then the pending events, then pending progress */
	size_t i = 0, j = 0, k = 0;
	const char *c[KP_TLEDGER_CELLS];
	char buf[16];
	while (i < l->nsaved || j < l->nevents_saved) {
		bool ev = i == l->nsaved ||
			  (j < l->nevents_saved &&
			   l->events[j].line < l->v[i].line);
		if (ev)
			event_cells(&l->events[j++], buf, c);
		else
			progress_cells(&l->v[i++], buf, c);
		if (k++ >= from && fn(ctx, c, e) < 0)
			return -1;
	}
	for (j = l->nevents_saved; j < l->nevents; j++) {
		event_cells(&l->events[j], buf, c);
		if (k++ >= from && fn(ctx, c, e) < 0)
			return -1;
	}
	for (i = l->nsaved; i < l->n; i++) {
		progress_cells(&l->v[i], buf, c);
		if (k++ >= from && fn(ctx, c, e) < 0)
			return -1;
	}
	return 0;
}

void kp_tledger_put_head(const kp_tledger *l, kp_buf *out)
{
	kp_buf_addf(out, "#meta,format,%s\n", LEDGER_FORMAT);
	kp_buf_adds(out, "#meta,plan,");
	kp_csv_put(out, l->plan->id ? l->plan->id : "");
	kp_buf_adds(out, "\ntype,task,unit,date,status,note,url\n");
}

int kp_tledger_put_row(void *ctx, const char *const *cells, kp_err *e)
{
	kp_buf *out = ctx;
	(void)e;
	for (size_t k = 0; k < KP_TLEDGER_CELLS; k++) {
		if (k)
			kp_buf_addc(out, ',');
		kp_csv_put(out, cells[k]);
	}
	kp_buf_addc(out, '\n');
	return 0;
}

int kp_tledger_save(kp_tledger *l, kp_err *e)
{
	kp_buf out;
	struct stat st;
	int rc;
	if (l->n == l->nsaved && l->nevents == l->nevents_saved)
		return 0;
	kp_buf_init(&out, LEDGER_MAX);
	if (stat(l->path, &st) == 0 && st.st_size > 0) {
		if (kp_read_file(l->path, LEDGER_MAX, &out, e) < 0) {
			kp_buf_release(&out);
			return -1;
		}
		if (out.len && out.data[out.len - 1] != '\n')
			kp_buf_addc(&out, '\n');
	} else {
		kp_tledger_put_head(l, &out);
	}
	kp_tledger_rows_each(l, kp_tledger_nsaved(l), kp_tledger_put_row, &out,
			     e);
	rc = kp_write_atomic(l->path, out.data, out.len, e);
	kp_buf_release(&out);
	if (rc == 0) {
		l->nsaved = l->n;
		l->nevents_saved = l->nevents;
	}
	return rc;
}

/* ---- dues ------------------------------------------------------------ */

void kp_dues_release(kp_dues *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
}



static const kp_progress *g_sort;

static int cmp_entry(const void *a, const void *b)
{
	const kp_progress *x = &g_sort[*(const size_t *)a];
	const kp_progress *y = &g_sort[*(const size_t *)b];
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (ia > ib) - (ia < ib);
}

int kp_dues_build(const kp_tasks *t, const kp_tledger *l,
		  const kp_calendar *cal, int asof, kp_dues *out, kp_err *e)
{
	size_t cap = 0, *idx = NULL, nidx;
	bool *used = NULL;
	kp_event_lookup ev = kp_tledger_events(l);
	out->v = NULL;
	out->n = 0;
	if (l && l->n) {
		idx = kp_xmalloc(l->n * sizeof(*idx));
		used = kp_xmalloc(l->n * sizeof(*used));
	}
	for (size_t i = 0; i < t->n; i++) {
		const kp_task *k = &t->v[i];
		kp_occurrence *occ;
		size_t nocc;
		if (kp_task_occurrences(t, &ev, k, cal, &occ, &nocc, e) < 0) {
			free(idx);
			free(used);
			kp_dues_release(out);
			return -1;
		}
		for (size_t u = 0; u < k->nleads; u++) {
			const char *unit = k->leads[u];
			const kp_progress *last = NULL;
			nidx = 0;
			for (size_t j = 0; l && j < l->n; j++) {
				const kp_progress *p = &l->v[j];
				if (p->day > asof || strcmp(p->task, k->no) ||
				    strcmp(p->unit, unit))
					continue;
				if (!last || p->day >= last->day)
					last = p;
				if (p->status == KP_ST_DONE) {
					idx[nidx] = j;
					used[nidx++] = false;
				}
			}
			if (nidx > 1) {
				g_sort = l->v;
				qsort(idx, nidx, sizeof(*idx), cmp_entry);
			}
			for (size_t o = 0; o < nocc; o++) {
				kp_due *d;
				if (out->n == cap) {
					cap = cap ? cap * 2 : 1024;
					out->v = kp_xrealloc(out->v,
							     cap * sizeof(*out->v));
				}
				d = &out->v[out->n++];
				d->task = k;
				d->unit = unit;
				d->occ = occ[o];
				d->last = last;
				d->done_day = KP_DAY_NONE;
				for (size_t j = 0; j < nidx; j++) {
					const kp_progress *p = &l->v[idx[j]];
					if (used[j] ||
					    (occ[o].open != KP_DAY_NONE &&
					     p->day < occ[o].open))
						continue;
					/* waiting for an event: no progress
					 * counts yet; no deadline at all: the
					 * report is recorded, not judged */
					if (occ[o].due == KP_DAY_NONE &&
					    k->deadline.kind != KP_DL_NONE)
						break;
					used[j] = true;
					d->done_day = p->day;
					break;
				}
				if (k->deadline.kind == KP_DL_NONE)
					d->state = KP_DUE_UNRESOLVED;
				else if (d->done_day != KP_DAY_NONE)
					d->state = d->done_day <= occ[o].due
							   ? KP_DUE_DONE
							   : KP_DUE_DONE_LATE;
				else if (occ[o].due == KP_DAY_NONE)
					d->state = KP_DUE_WAITING;
				else if (occ[o].due < asof)
					d->state = KP_DUE_OVERDUE;
				else
					d->state = KP_DUE_OPEN;
			}
		}
		free(occ);
	}
	free(idx);
	free(used);
	return 0;
}

/* ---- each unit's year ------------------------------------------------ */

kp_tasks_tally *kp_tasks_tally_build(const kp_tasks *plan, const kp_dues *d,
			       int asof)
{
	kp_tasks_tally *t = kp_xcalloc(plan->nunits ? plan->nunits : 1,
				       sizeof(*t));
	const kp_tasks *p = plan;
	for (size_t u = 0; u < p->nunits; u++)
		for (size_t i = 0; i < p->n; i++)
			if (kp_task_has_lead(&p->v[i], p->units[u]))
				t[u].tasks++;
	for (size_t i = 0; i < d->n; i++) {
		const kp_due *x = &d->v[i];
		size_t u;
		for (u = 0; u < p->nunits; u++)
			if (!strcmp(p->units[u], x->unit))
				break;
		if (u == p->nunits)
			continue;
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
	for (size_t u = 0; u < p->nunits; u++)
		t[u].unit = p->units[u];
	return t;
}
