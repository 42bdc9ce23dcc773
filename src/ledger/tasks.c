/* ledger/tasks.c — the division-of-work plan (seed 002): tasks, their lead
 * units resolved against the units registry, deadlines parsed from the
 * printed text and resolved to dates.  See ledger.h, section 2, and
 * docs/tasks.md.  Occurrences and the dates listing are in tasks_dates.c. */
#include "ledger/ledger.h"
#include "ledger/ledger_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- deadlines ------------------------------------------------------- */

static const char *find_str(const char *s, const char *what)
{
	return strstr(s, what);
}

/* A decimal number written right before the byte at end (s <= end). */
static int number_before(const char *s, const char *end)
{
	const char *p = end;
	int v = 0, mul = 1;
	while (p > s && p[-1] >= '0' && p[-1] <= '9') {
		p--;
		v += (*p - '0') * mul;
		mul *= 10;
		if (mul > 100000)
			return -1;
	}
	return p == end ? -1 : v;
}

/* "N日内" or "N个工作日内" at the end of what follows "后". */
static int lag_of(const char *after, int *lag, bool *workdays)
{
	const char *w = find_str(after, "个工作日内");
	const char *d = find_str(after, "日内");
	if (w) {
		*workdays = true;
		*lag = number_before(after, w);
	} else if (d) {
		*workdays = false;
		*lag = number_before(after, d);
	} else
		return -1;
	return *lag > 0 ? 0 : -1;
}

/* "[YYYY年]M月(底|D日|上旬|中旬|下旬)前…" */
static int fixed_date(const char *s, int year, int *day)
{
	const char *p = s;
	char *end;
	long y = year, m, d;
	m = strtol(p, &end, 10);
	if (end == p)
		return -1;
	p = end;
	if (!strncmp(p, "年", strlen("年"))) {
		y = m;
		p += strlen("年");
		m = strtol(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 ||
	    strncmp(p, "月", strlen("月")))
		return -1;
	p += strlen("月");
	if (!strncmp(p, "底前", strlen("底前")))
		d = kp_days_in_month((int)y, (int)m);
	else if (!strncmp(p, "上旬前", strlen("上旬前")))
		d = 10;
	else if (!strncmp(p, "中旬前", strlen("中旬前")))
		d = 20;
	else if (!strncmp(p, "下旬前", strlen("下旬前")))
		d = kp_days_in_month((int)y, (int)m);
	else {
		d = strtol(p, &end, 10);
		if (end == p || strncmp(end, "日前", strlen("日前")) ||
		    d < 1 || d > kp_days_in_month((int)y, (int)m))
			return -1;
	}
	*day = kp_day_from_ymd((int)y, (int)m, (int)d);
	return 0;
}

int kp_deadline_parse(const char *text, int year, kp_deadline *d, kp_err *e)
{
	char *s = kp_squeeze(kp_xstrdup(text));
	const char *after;
	memset(d, 0, sizeof(*d));
	d->day = KP_DAY_NONE;
	if (find_str(s, "全年工作")) {
		d->kind = KP_DL_YEAR;
	} else if (!strncmp(s, "及时", strlen("及时"))) {
		d->kind = KP_DL_ONGOING;
	} else if (!strncmp(s, "每季度第一周内", strlen("每季度第一周内"))) {
		d->kind = KP_DL_QFIRSTWEEK;
		d->quarterly = true;
	} else if (!strncmp(s, "按", strlen("按")) && find_str(s, "公布") &&
		   (find_str(s, "月度") || find_str(s, "季度"))) {
		d->kind = KP_DL_PERIODIC;
		d->monthly = find_str(s, "月度") != NULL;
		d->quarterly = find_str(s, "季度") != NULL;
	} else if (!strncmp(s, "每", strlen("每")) &&
		   (after = find_str(s, "后")) != NULL) {
		d->kind = KP_DL_AFTER;
		d->monthly = find_str(s, "每月") != NULL;
		d->quarterly = find_str(s, "季度") != NULL;
		if (lag_of(after, &d->lag, &d->workdays) < 0)
			goto bad;
	} else if ((after = find_str(s, "后")) != NULL &&
		   lag_of(after, &d->lag, &d->workdays) == 0) {
		size_t n = (size_t)(after - s);
		d->kind = KP_DL_EVENT;
		if (n == 0 || n >= sizeof(d->event))
			goto bad;
		memcpy(d->event, s, n);
		d->event[n] = '\0';
	} else if (fixed_date(s, year, &d->day) == 0) {
		d->kind = KP_DL_DATE;
	} else
		goto bad;
	free(s);
	return 0;
bad:
	free(s);
	return kp_fail(e, KP_EINPUT,
		       "完成时限“%s”无法识别（可用的写法：2017年7月底前、8月25日前、11月中旬前、全年工作、及时公开、每月、每季度后20日内、每季度第一周内、按月度、季度公布、某事件后60日内、某事件后30个工作日内）",
		       text);
}

/* ---- the plan -------------------------------------------------------- */

static void task_release(kp_task *k)
{
	free(k->no);
	free(k->cat1);
	free(k->cat2);
	free(k->requirement);
	free(k->content);
	free(k->units);
	free(k->unnamed);
	free(k->deadline_text);
	free(k->note);
	free(k->quirk);
	for (size_t i = 0; i < k->nleads; i++)
		free(k->leads[i]);
	for (size_t i = 0; i < k->nassists; i++)
		free(k->assists[i]);
	free(k->leads);
	free(k->assists);
}

void kp_tasks_free(kp_tasks *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		task_release(&t->v[i]);
	for (size_t i = 0; i < t->nmissing; i++)
		free(t->missing[i]);
	for (size_t i = 0; i < t->nevents; i++) {
		free(t->events[i].name);
		free(t->events[i].source);
	}
	for (size_t i = 0; i < t->nunits; i++)
		free(t->units[i]);
	free(t->units);
	kp_units_free(t->reg);
	free(t->events);
	free(t->missing);
	free(t->v);
	free(t->file);
	free(t->id);
	free(t->title);
	free(t->issuer);
	free(t->docno);
	free(t->table);
	free(t->deadline);
	free(t->registry);
	free(t);
}

const kp_task *kp_tasks_find(const kp_tasks *t, const char *no)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].no, no))
			return &t->v[i];
	return NULL;
}

/* Does k's category path ("cat1/cat2", or cat1 alone) equal w? */
static bool path_is(const kp_task *k, const char *w)
{
	size_t n1 = strlen(k->cat1);
	if (!*k->cat2)
		return !strcmp(k->cat1, w);
	return !strncmp(w, k->cat1, n1) && w[n1] == '/' &&
	       !strcmp(w + n1 + 1, k->cat2);
}

static const char *last_name(const kp_task *k)
{
	const char *s = *k->cat2 ? k->cat2 : k->cat1, *slash;
	while ((slash = strchr(s, '/')) != NULL)
		s = slash + 1;
	return s;
}

const kp_task *kp_tasks_lookup(const kp_tasks *t, const char *written)
{
	const kp_task *k = kp_tasks_find(t, written), *hit = NULL;
	size_t n = 0;
	if (k || !*written)
		return k;
	for (size_t i = 0; i < t->n; i++)
		if (path_is(&t->v[i], written)) {
			hit = &t->v[i];
			n++;
		}
	if (!n)
		for (size_t i = 0; i < t->n; i++)
			if (!strcmp(last_name(&t->v[i]), written)) {
				hit = &t->v[i];
				n++;
			}
	return n == 1 ? hit : NULL;
}

bool kp_task_has_lead(const kp_task *k, const char *unit)
{
	for (size_t i = 0; i < k->nleads; i++)
		if (!strcmp(k->leads[i], unit))
			return true;
	return false;
}

int kp_tasks_event(const kp_tasks *t, const char *name)
{
	for (size_t i = t->nevents; i-- > 0;)
		if (!strcmp(t->events[i].name, name))
			return t->events[i].day;
	return KP_DAY_NONE;
}

int kp_event_day(const kp_tasks *t, const kp_event_lookup *l,
		 const char *name)
{
	return l && l->day ? l->day(l->ctx, name) : kp_tasks_event(t, name);
}

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static void push(char ***v, size_t *n, const char *s)
{
	if (in_list(*v, *n, s))
		return;
	*v = kp_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = kp_xstrdup(s);
}

/* Columns of a plan, by English key or the seed's Chinese heading. */
enum { TC_NO, TC_CAT1, TC_CAT2, TC_REQ, TC_UNITS, TC_LEADS, TC_ASSISTS,
       TC_DEADLINE, TC_NOTE, TC_QUIRK, TC_N };
static const struct {
	const char *key, *zh;
	bool required;      /* in a plan that lists its tasks */
} task_cols[TC_N] = {
	{ "no", "序号", true },
	{ "category1", "一级工作任务", false },
	{ "category2", "二级工作任务", false },
	{ "requirement", "具体要求", false },
	{ "units", "牵头落实单位", false },
	{ "leads", "责任单位", true },
	{ "assists", "配合单位", false },
	{ "deadline", "完成时限", true },
	{ "note", "备注", false },
	{ "quirk", "原文问题", false },
};

/* The registry leads resolve against, opened when the header is reached
 * (the #meta rows naming it come first). */
struct units_ctx {
	const kp_table *given;   /* from the caller, or NULL */
	kp_table *own;           /* opened here */
	const kp_table *tab;     /* given or own */
	kp_units *u;
};

static int open_registry(kp_tasks *t, const kp_table *src,
			 struct units_ctx *uc, kp_err *e)
{
	const char *id = t->registry;
	if (uc->u)
		return 0;
	if (uc->given) {
		uc->tab = uc->given;
		if (!t->registry)
			t->registry = kp_xstrdup(kp_table_id(uc->given));
	} else {
		if (!id && src)
			id = kp_table_get(src, "registry");
		if (!id)
			id = "pzh-units";
		if (!t->registry)
			t->registry = kp_xstrdup(id);
		if (kp_table_open(id, &uc->own, e) < 0)
			return -1;
		uc->tab = uc->own;
	}
	return kp_units_from_table(uc->tab, &uc->u, e);
}

struct lead_sink {
	char ***v;
	size_t *n;
};

static void add_lead(void *arg, const char *canonical)
{
	struct lead_sink *s = arg;
	push(s->v, s->n, canonical);
}

/* Split a "、"-separated list and expand each item (kp_units_expand);
 * phrases that stand for units they do not name go to unnamed. */
static int expand_list(const struct units_ctx *c, const char *list,
		       char ***v, size_t *n, kp_buf *unnamed,
		       const char *file, size_t line, const char *no,
		       const char *what, kp_err *e)
{
	char *copy = kp_xstrdup(list), *cur = copy, *item;
	struct lead_sink sink = { v, n };
	int rc = 0;
	while ((item = kp_list_next(&cur)) != NULL) {
		bool indef;
		if (kp_units_expand(c->u, item, add_lead, &sink, &indef) < 0) {
			rc = kp_fail_at(e, KP_EINPUT, file, line,
					"第%s项的%s“%s”不在单位名录中（可写规范名称、别名，或名录声明的集合写法，如“各县（区）人民政府”“市级各部门”）",
					no, what, item);
			break;
		}
		if (indef && unnamed) {
			/* "市住建局等相关职能部门": the unnamed part is
			 * "相关职能部门"; "相关部门": all of it */
			char *deng = NULL, *p;
			for (p = strstr(item, "等"); p; p = strstr(p + 1, "等"))
				deng = p;
			if (deng && !kp_units_resolve(c->u, item))
				item = deng[strlen("等")] ? deng + strlen("等")
							   : deng;
			if (unnamed->len)
				kp_buf_adds(unnamed, "、");
			kp_buf_adds(unnamed, item);
		}
	}
	free(copy);
	return rc;
}

static int meta_field(kp_tasks *t, const char *const *f, size_t nf,
		      const char *file, size_t line, kp_err *e)
{
	const char *k = nf > 1 ? f[1] : "", *v = nf > 2 ? f[2] : "";
	char **str = NULL;
	if (!strcmp(k, "format")) {
		if (strcmp(v, "kaoping-tasks/1"))
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "不是分工方案文件（format 应为 kaoping-tasks/1）");
	} else if (!strcmp(k, "id")) {
		str = &t->id;
	} else if (!strcmp(k, "title")) {
		str = &t->title;
	} else if (!strcmp(k, "issuer")) {
		str = &t->issuer;
	} else if (!strcmp(k, "docno")) {
		str = &t->docno;
	} else if (!strcmp(k, "table")) {
		str = &t->table;
	} else if (!strcmp(k, "deadline")) {
		str = &t->deadline;
	} else if (!strcmp(k, "registry")) {
		str = &t->registry;
	} else if (!strcmp(k, "year")) {
		char *end;
		long y = strtol(v, &end, 10);
		if (!*v || *end || y < 1900 || y > 2999)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "年度“%s”无效", v);
		t->year = (int)y;
	} else if (!strcmp(k, "notice_date")) {
		if (kp_day_parse(v, &t->notice_day) < 0)
			return kp_day_fail(e, file, line, "通知日期", v);
	} else if (!strcmp(k, "missing")) {
		push(&t->missing, &t->nmissing, v);
	} else if (!strcmp(k, "event")) {
		int day;
		if (nf < 4 || !*v)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "#meta,event 行应为：#meta,event,事件名称,YYYY-MM-DD[,说明]");
		if (kp_day_parse(f[3], &day) < 0)
			return kp_day_fail(e, file, line, "事件日期", f[3]);
		t->events = kp_xrealloc(t->events,
					(t->nevents + 1) * sizeof(*t->events));
		t->events[t->nevents].name = kp_xstrdup(v);
		t->events[t->nevents].day = day;
		t->events[t->nevents].source = kp_xstrdup("plan");
		t->events[t->nevents].line = 0;
		t->nevents++;
	}
	/* other keys (source, note) are documentation */
	if (str) {
		if (*str)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "#meta,%s 出现两次", k);
		*str = kp_xstrdup(v);
	}
	return 0;
}

/* Parse k's deadline text (empty in a derived task: KP_DL_NONE, 时限未定)
 * and check a fixed date lies in the plan year. */
static int task_deadline(const kp_tasks *t, kp_task *k, const char *file,
			 size_t line, kp_err *e)
{
	if (!*k->deadline_text && t->table) {
		memset(&k->deadline, 0, sizeof(k->deadline));
		k->deadline.kind = KP_DL_NONE;
		k->deadline.day = KP_DAY_NONE;
		return 0;
	}
	if (kp_deadline_parse(k->deadline_text, t->year, &k->deadline, e) < 0) {
		char msg[sizeof(e->msg)];
		snprintf(msg, sizeof(msg), "%s", e->msg);
		return kp_fail_at(e, KP_EINPUT, file, line, "第%s项%s", k->no,
				  msg);
	}
	if (k->deadline.kind == KP_DL_DATE) {
		int y, m, d;
		kp_day_ymd(k->deadline.day, &y, &m, &d);
		if (y != t->year)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "第%s项完成时限“%s”不在方案年度 %d 年",
					  k->no, k->deadline_text, t->year);
	}
	return 0;
}

/* Expand k's leads and assists from their cells; a unit both leading and
 * assisting ("市级各部门负责落实，市政府新闻办配合") assists. */
static int task_units(const struct units_ctx *uc, kp_task *k,
		      const char *leads, const char *assists,
		      const char *file, size_t line, kp_err *e)
{
	kp_buf unnamed = KP_BUF_INIT;
	for (size_t i = 0; i < k->nleads; i++)
		free(k->leads[i]);
	for (size_t i = 0; i < k->nassists; i++)
		free(k->assists[i]);
	free(k->leads);
	free(k->assists);
	free(k->unnamed);
	k->leads = k->assists = NULL;
	k->nleads = k->nassists = 0;
	k->unnamed = NULL;
	if (expand_list(uc, leads, &k->leads, &k->nleads, &unnamed, file,
			line, k->no, "责任单位", e) < 0 ||
	    expand_list(uc, assists, &k->assists, &k->nassists, NULL, file,
			line, k->no, "配合单位", e) < 0) {
		kp_buf_release(&unnamed);
		k->unnamed = kp_xstrdup("");
		return -1;
	}
	k->unnamed = kp_xstrdup(unnamed.data ? unnamed.data : "");
	kp_buf_release(&unnamed);
	if (!k->nleads)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  *k->unnamed ? "第%s项没有点名的责任单位（“%s”不点名，无法逐个跟踪）"
					      : "第%s项没有责任单位%s",
				  k->no, k->unnamed);
	for (size_t i = 0; i < k->nassists; i++)
		for (size_t j = 0; j < k->nleads; j++)
			if (!strcmp(k->assists[i], k->leads[j])) {
				free(k->leads[j]);
				memmove(&k->leads[j], &k->leads[j + 1],
					(k->nleads - j - 1) * sizeof(char *));
				k->nleads--;
				break;
			}
	return 0;
}

static kp_task *new_task(kp_tasks *t, size_t *cap)
{
	kp_task *k;
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		t->v = kp_xrealloc(t->v, *cap * sizeof(*t->v));
	}
	k = &t->v[t->n++];
	memset(k, 0, sizeof(*k));
	return k;
}

/* A derived plan (#meta,table): one task per item of the indicator table
 * whose 需报送信息 (report) is written, in table order; its units the
 * leads, the plan's #meta,deadline the deadline (none: 时限未定). */
static int derive(kp_tasks *t, struct units_ctx *uc, kp_table **src,
		  size_t *cap, kp_err *e)
{
	const kp_table *tb;
	if (kp_table_open(t->table, src, e) < 0)
		return -1;
	tb = *src;
	if (tb->kind != KP_KIND_INDICATORS)
		return kp_fail(e, KP_EINPUT,
			       "%s: #meta,table 应为指标表，“%s”是%s", t->file,
			       t->table, kp_kind_label(tb->kind));
	if (open_registry(t, tb, uc, e) < 0)
		return -1;
	for (size_t i = 0; i < tb->nnodes; i++) {
		const kp_node *nd = tb->nodes[i], *root = nd;
		kp_task *k;
		if (!*nd->text[KP_T_REPORT])
			continue;
		while (root->parent)
			root = root->parent;
		k = new_task(t, cap);
		k->no = kp_xstrdup(nd->code);
		k->line = nd->line;
		k->cat1 = kp_xstrdup(root->name);
		k->cat2 = kp_xstrdup(nd == root ? ""
					: nd->path + strlen(root->name) + 1);
		k->requirement = kp_xstrdup(nd->text[KP_T_REPORT]);
		k->content = kp_xstrdup(nd->text[KP_T_CONTENT]);
		k->units = kp_xstrdup(nd->text[KP_T_UNITS]);
		k->deadline_text = kp_xstrdup(t->deadline ? t->deadline : "");
		k->note = kp_xstrdup(nd->text[KP_T_NOTE]);
		k->quirk = kp_xstrdup(nd->text[KP_T_QUIRK]);
		if (task_units(uc, k, k->units, "", tb->file, nd->line, e) < 0 ||
		    task_deadline(t, k, t->file, 0, e) < 0)
			return -1;
	}
	if (!t->n)
		return kp_fail(e, KP_EINPUT,
			       "%s: 表 %s 没有写“需报送信息”（report 列）的指标，导不出任务",
			       t->file, t->table);
	return 0;
}

/* A row of a derived plan: what it says about one of the derived tasks
 * (its deadline, leads, assists, note) replaces or adds to it. */
static int override_row(kp_tasks *t, struct units_ctx *uc, const int *col,
			const kp_sheet *s, size_t r, char ***seen,
			size_t *nseen, kp_err *e)
{
	const char *file = kp_sheet_name(s);
	size_t line = kp_sheet_line(s, r);
	kp_task *k;
#define CELL(c) (col[c] >= 0 ? kp_sheet_cell(s, r, (size_t)col[c]) : "")
	k = (kp_task *)kp_tasks_find(t, CELL(TC_NO));
	if (!k)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "序号“%s”不是表 %s 中写了“需报送信息”的指标",
				  CELL(TC_NO), t->table);
	if (in_list(*seen, *nseen, k->no))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "序号“%s”重复", k->no);
	push(seen, nseen, k->no);
	if (*CELL(TC_LEADS) || *CELL(TC_ASSISTS)) {
		if (*CELL(TC_LEADS)) {
			free(k->units);
			k->units = kp_xstrdup(CELL(TC_LEADS));
		}
		if (task_units(uc, k, k->units, CELL(TC_ASSISTS), file, line,
			       e) < 0)
			return -1;
	}
	if (*CELL(TC_NOTE)) {
		kp_buf b = KP_BUF_INIT;
		kp_buf_addf(&b, "%s%s%s", k->note, *k->note ? "；" : "",
			    CELL(TC_NOTE));
		free(k->note);
		k->note = kp_xstrdup(b.data);
		kp_buf_release(&b);
	}
	if (*CELL(TC_DEADLINE)) {
		free(k->deadline_text);
		k->deadline_text = kp_xstrdup(CELL(TC_DEADLINE));
		if (task_deadline(t, k, file, line, e) < 0)
			return -1;
	}
#undef CELL
	return 0;
}

static int header_row(kp_tasks *t, const kp_sheet *s, size_t r, int *col,
		      kp_err *e)
{
	const char *file = kp_sheet_name(s);
	size_t nf = kp_sheet_ncols(s, r), line = kp_sheet_line(s, r);
	for (size_t i = 0; i < nf; i++) {
		const char *h = kp_sheet_cell(s, r, i);
		int c;
		if (!*h)
			continue;
		for (c = 0; c < TC_N; c++)
			if (!strcmp(h, task_cols[c].key) ||
			    !strcmp(h, task_cols[c].zh))
				break;
		if (c == TC_N)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "未知列名“%s”", h);
		if (col[c] >= 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "列“%s”出现两次", h);
		col[c] = (int)i;
	}
	for (int c = 0; c < TC_N; c++)
		if (task_cols[c].required && col[c] < 0 &&
		    (!t->table || c == TC_NO))
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "表头缺少“%s”（%s）列",
					  task_cols[c].key, task_cols[c].zh);
	if (!t->year)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "缺少 #meta,year（方案年度）");
	return 0;
}

/* One task row of a plan of its own (not derived from a table): its
 * 序号 (not empty, not twice, not listed missing), texts, units and
 * deadline, into a new task. */
static int task_row(kp_tasks *t, const kp_sheet *s, size_t r, const int *col,
		    struct units_ctx *uc, size_t *cap, kp_err *e)
{
	const char *file = kp_sheet_name(s);
	size_t line = kp_sheet_line(s, r);
	const kp_task *dup;
	kp_task *k;
	char *no;
#define CELL(c) (col[c] >= 0 ? kp_sheet_cell(s, r, (size_t)col[c]) : "")
	no = kp_trim(kp_xstrdup(CELL(TC_NO)));
	if (!*no) {
		free(no);
		return kp_fail_at(e, KP_EINPUT, file, line, "序号为空");
	}
	if ((dup = kp_tasks_find(t, no)) != NULL) {
		kp_fail_at(e, KP_EINPUT, file, line,
			   "序号“%s”重复（第%zu行已有此项）", no, dup->line);
		free(no);
		return -1;
	}
	if (in_list(t->missing, t->nmissing, no)) {
		kp_fail_at(e, KP_EINPUT, file, line,
			   "序号“%s”在 #meta,missing 中登记为原文缺失，却又出现了",
			   no);
		free(no);
		return -1;
	}
	k = new_task(t, cap);
	k->no = no;
	k->line = line;
	k->cat1 = kp_xstrdup(CELL(TC_CAT1));
	k->cat2 = kp_xstrdup(CELL(TC_CAT2));
	k->requirement = kp_xstrdup(CELL(TC_REQ));
	k->content = kp_xstrdup("");
	k->units = kp_xstrdup(CELL(TC_UNITS));
	k->deadline_text = kp_xstrdup(CELL(TC_DEADLINE));
	k->note = kp_xstrdup(CELL(TC_NOTE));
	k->quirk = kp_xstrdup(CELL(TC_QUIRK));
	if (task_units(uc, k, CELL(TC_LEADS), CELL(TC_ASSISTS), file, line,
		       e) < 0 ||
	    task_deadline(t, k, file, line, e) < 0)
		return -1;
#undef CELL
	return 0;
}

/* A sheet without a header row: a plan derived from a table needs no
 * rows of its own (only its year); any other is refused. */
static int headerless(kp_tasks *t, const char *file, struct units_ctx *uc,
		      kp_table **src, size_t *cap, kp_err *e)
{
	if (!t->table)
		return kp_fail_at(e, KP_EINPUT, file, 0,
				  "没有表头行（no,…,leads,deadline）");
	if (!t->year)
		return kp_fail_at(e, KP_EINPUT, file, 0,
				  "缺少 #meta,year（方案年度）");
	return derive(t, uc, src, cap, e);
}

static bool row_blank(const kp_sheet *s, size_t r)
{
	for (size_t i = 0, nf = kp_sheet_ncols(s, r); i < nf; i++)
		if (*kp_sheet_cell(s, r, i))
			return false;
	return true;
}

static int parse_rows(kp_tasks *t, const kp_sheet *s, struct units_ctx *uc,
		      kp_table **src, kp_err *e)
{
	int col[TC_N];
	bool header = false;
	const char *file = kp_sheet_name(s);
	size_t cap = 0, nseen = 0;
	char **seen = NULL;
	int rc = -1;
	for (int i = 0; i < TC_N; i++)
		col[i] = -1;
	for (size_t r = 0; r < kp_sheet_nrows(s); r++) {
		size_t nf = kp_sheet_ncols(s, r), line = kp_sheet_line(s, r);
		const char *f[8];
		if (row_blank(s, r))
			continue;
		if (kp_sheet_cell(s, r, 0)[0] == '#') {
			if (!strcmp(kp_sheet_cell(s, r, 0), "#meta")) {
				for (size_t i = 0; i < 8; i++)
					f[i] = kp_sheet_cell(s, r, i);
				if (meta_field(t, f, nf < 8 ? nf : 8, file,
					       line, e) < 0)
					goto out;
			}
			continue;
		}
		if (!header) {
			if (header_row(t, s, r, col, e) < 0 ||
			    (t->table ? derive(t, uc, src, &cap, e)
				      : open_registry(t, NULL, uc, e)) < 0)
				goto out;
			header = true;
			continue;
		}
		if ((t->table ? override_row(t, uc, col, s, r, &seen, &nseen, e)
			      : task_row(t, s, r, col, uc, &cap, e)) < 0)
			goto out;
	}
	if (!header && headerless(t, file, uc, src, &cap, e) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	return rc;
}

int kp_tasks_parse(const char *name, const char *data, size_t n,
		   const kp_table *reg, kp_tasks **out, kp_err *e)
{
	kp_tasks *t = kp_xcalloc(1, sizeof(*t));
	kp_sheet *s = NULL;
	kp_table *src = NULL;
	struct units_ctx uc = { reg, NULL, NULL, NULL };
	t->file = kp_xstrdup(name);
	t->notice_day = KP_DAY_NONE;
	if (kp_sheet_parse(name, data, n, NULL, &s, e) < 0)
		goto fail;
	if (parse_rows(t, s, &uc, &src, e) < 0)
		goto fail;
	/* Every lead unit, in registry order. */
	for (size_t r = 0; r < uc.tab->nrecs; r++) {
		const char *u = kp_record_cell(uc.tab, r, "name");
		for (size_t i = 0; i < t->n; i++)
			if (kp_task_has_lead(&t->v[i], u)) {
				push(&t->units, &t->nunits, u);
				break;
			}
	}
	kp_sheet_free(s);
	kp_table_free(src);
	t->reg = uc.u;
	kp_table_free(uc.own);
	*out = t;
	return 0;
fail:
	kp_sheet_free(s);
	kp_table_free(src);
	kp_units_free(uc.u);
	kp_table_free(uc.own);
	kp_tasks_free(t);
	return -1;
}

/* The plans compiled into the binary (ledger_data.c). */
static const struct {
	const char *id, *name;
	const char *data, *end;
} bundled[] = {
	{ "pzh2017-tasks", KP_TASKS_BUNDLED_NAME, kp_ledger_tasks_csv,
	  kp_ledger_tasks_csv_end },
	{ "ak2020-reports", KP_REPORTS_BUNDLED_NAME, kp_ledger_reports_csv,
	  kp_ledger_reports_csv_end },
};
#define NBUNDLED (sizeof(bundled) / sizeof(bundled[0]))

size_t kp_tasks_nbundled(void)
{
	return NBUNDLED;
}

const char *kp_tasks_bundled_id(size_t i)
{
	return i < NBUNDLED ? bundled[i].id : NULL;
}

int kp_tasks_open(const char *id_or_path, kp_tasks **out, kp_err *e)
{
	kp_buf b;
	int r;
	size_t hit = NBUNDLED, nhit = 0;
	if (!id_or_path)
		id_or_path = bundled[0].id;
	for (size_t i = 0; i < NBUNDLED; i++)
		if (!strcmp(bundled[i].id, id_or_path)) {
			hit = i;
			nhit = 1;
			break;
		} else if (!strncmp(bundled[i].id, id_or_path,
				    strlen(id_or_path)) &&
			   bundled[i].id[strlen(id_or_path)] == '-') {
			hit = i;
			nhit++;
		}
	if (nhit == 1)
		return kp_tasks_parse(bundled[hit].name, bundled[hit].data,
				      (size_t)(bundled[hit].end -
					       bundled[hit].data),
				      NULL, out, e);
	kp_buf_init(&b, KP_SHEET_DEFAULT_MAX);
	if (kp_read_file(id_or_path, KP_SHEET_DEFAULT_MAX, &b, e) < 0) {
		kp_buf_release(&b);
		if (!strpbrk(id_or_path, "/.")) {
			kp_buf ids = KP_BUF_INIT;
			for (size_t i = 0; i < NBUNDLED; i++)
				kp_buf_addf(&ids, "%s%s", i ? "、" : "",
					    bundled[i].id);
			kp_fail(e, KP_EINPUT,
				"没有 id 为“%s”的内置方案（内置：%s），也没有这个文件",
				id_or_path, ids.data);
			kp_buf_release(&ids);
		}
		return -1;
	}
	r = kp_tasks_parse(id_or_path, b.data ? b.data : "", b.len, NULL, out,
			   e);
	kp_buf_release(&b);
	return r;
}
