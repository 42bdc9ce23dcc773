/* ledger/calendar.c — dates as day numbers and China's working-day
 * calendar (statutory holidays and 调休 working weekends).  See ledger.h,
 * section 2, and docs/tasks.md. */
#include "ledger/ledger.h"
#include "ledger/ledger_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- dates ----------------------------------------------------------- */

/* Day numbers are base's kp_date (days since 1970); the ledger keeps
 * KP_DAY_NONE (INT32_MIN) for "no day", since its day 0 is a real day. */
int kp_day_from_ymd(int y, int m, int d)
{
	return kp_date_from_ymd(y, m, d);
}

void kp_day_ymd(int day, int *y, int *m, int *d)
{
	kp_date_ymd(day, y, m, d);
}

int kp_day_weekday(int day)
{
	return kp_date_weekday(day);
}

int kp_days_in_month(int y, int m)
{
	return kp_date_days_in_month(y, m);
}

/* The one date reader of the ledger (docs/info-ledger.md, docs/tasks.md):
 * base's kp_date_parse — the forms offices write, checked to be a real
 * day, and a time of day after it checked too (25:00 is refused). */
int kp_day_parse(const char *s, int *day)
{
	kp_date d;
	if (kp_date_parse(s, &d) < 0)
		return -1;
	*day = d;
	return 0;
}

int kp_day_cell(const char *s, int *day)
{
	const char *p = s;
	size_t nd;
	long v;
	if (kp_day_parse(s, day) == 0)
		return 0;
	/* an Excel day serial (a date-formatted XLSX cell read as its stored
	 * number), with the fraction of a date-time if any */
	nd = strspn(p, "0123456789");
	if (nd != 5 ||
	    (p[5] && (p[5] != '.' || strspn(p + 6, "0123456789") != strlen(p + 6))))
		return -1;
	v = kp_digits(p, p + 5, 99999);
	if (v < 20000 || v > 80000)   /* 1954 … 2119 */
		return -1;
	*day = (int)v - 25569;        /* serial 25569 = 1970-01-01 */
	return 0;
}

int kp_day_fail(kp_err *e, const char *file, size_t line, const char *what,
		const char *s)
{
	if (!file)
		return kp_fail(e, KP_EINPUT, "%s“%s”%s", what, s, KP_DAY_BAD);
	return kp_fail_at(e, KP_EINPUT, file, line, "%s“%s”%s", what, s,
			  KP_DAY_BAD);
}

const char *kp_day_str(int day, char *buf)
{
	int y, m, d;
	kp_day_ymd(day, &y, &m, &d);
	snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* ---- the calendar ---------------------------------------------------- */

typedef struct listed {
	int day;
	char kind;     /* 'R' 放假, 'W' 调休上班 */
	char *name;
} listed;

struct kp_calendar {
	int first, last;     /* years */
	listed *v;           /* sorted by day */
	size_t n;
	char **notice;       /* per year first..last, "；"-joined */
};

void kp_calendar_free(kp_calendar *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	if (c->notice)
		for (int y = c->first; y <= c->last; y++)
			free(c->notice[y - c->first]);
	free(c->notice);
	free(c->v);
	free(c);
}

static int cmp_listed(const void *a, const void *b)
{
	const listed *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static int year_of(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < 1900 || v > 2999)
		return -1;
	return (int)v;
}

/* Columns of the calendar file, by name. */
enum { CC_DATE, CC_WEEKDAY, CC_KIND, CC_HOLIDAY, CC_YEAR, CC_N };
static const char *const cal_cols[CC_N] = { "date", "weekday", "kind",
					     "holiday", "year" };

/* A "#meta" or "#notice" row. */
static int cal_comment(kp_calendar *c, const char **f, size_t nf,
		       const char *name, size_t line, kp_err *e)
{
	int y;
	kp_buf b = KP_BUF_INIT;
	if (!strcmp(f[0], "#meta") && nf >= 3) {
		if ((!strcmp(f[1], "first") && (c->first = year_of(f[2])) < 0) ||
		    (!strcmp(f[1], "last") && (c->last = year_of(f[2])) < 0))
			return kp_fail_at(e, KP_EINPUT, name, line,
					  "年度“%s”无效", f[2]);
		if (!strcmp(f[1], "format") && strcmp(f[2], "kaoping-calendar/1"))
			return kp_fail_at(e, KP_EINPUT, name, line,
					  "不是节假日日历文件（format 应为 kaoping-calendar/1）");
		return 0;
	}
	if (strcmp(f[0], "#notice"))
		return 0;
	if (nf < 4 || (y = year_of(f[1])) < 0 || c->first < 0 ||
	    c->last < 0 || y < c->first || y > c->last)
		return kp_fail_at(e, KP_EINPUT, name, line,
				  "#notice 行应为：#notice,年度,文号,标题（年度在 #meta first/last 之内，且写在它们之后）");
	if (!c->notice)
		c->notice = kp_xcalloc((size_t)(c->last - c->first + 1),
				       sizeof(char *));
	if (c->notice[y - c->first]) {
		kp_buf_adds(&b, c->notice[y - c->first]);
		kp_buf_adds(&b, "；");
		free(c->notice[y - c->first]);
	}
	kp_buf_addf(&b, "%s（%s）", f[3], f[2]);
	if (nf >= 6 && *f[5])
		kp_buf_addf(&b, "［%s］", f[5]);
	c->notice[y - c->first] = kp_buf_detach(&b);
	return 0;
}

/* The header row: which column is which. */
static int cal_header(const kp_calendar *c, int *col, const char **f,
		      size_t nf, const char *name, size_t line, kp_err *e)
{
	for (size_t i = 0; i < nf; i++) {
		int k;
		for (k = 0; k < CC_N; k++)
			if (!strcmp(f[i], cal_cols[k]))
				break;
		if (k == CC_N)
			return kp_fail_at(e, KP_EINPUT, name, line,
					  "未知列名“%s”", f[i]);
		col[k] = (int)i;
	}
	if (col[CC_DATE] < 0 || col[CC_KIND] < 0)
		return kp_fail_at(e, KP_EINPUT, name, line,
				  "表头缺少 date 或 kind 列");
	if (c->first < 0 || c->last < 0 || c->last < c->first)
		return kp_fail_at(e, KP_EINPUT, name, line,
				  "缺少 #meta,first / #meta,last（日历覆盖的起止年度）");
	return 0;
}

/* A listed day: 放假 or 调休上班. */
static int cal_day(kp_calendar *c, const int *col, const char **f,
		   size_t nf, size_t *cap, const char *name, size_t line,
		   kp_err *e)
{
	static const char *const wdn[] = { "", "一", "二", "三", "四", "五" };
	const char *ds = (size_t)col[CC_DATE] < nf ? f[col[CC_DATE]] : "";
	const char *ks = (size_t)col[CC_KIND] < nf ? f[col[CC_KIND]] : "";
	const char *hs = col[CC_HOLIDAY] >= 0 && (size_t)col[CC_HOLIDAY] < nf
				 ? f[col[CC_HOLIDAY]] : "";
	int day, y, m, d, wd;
	char kind;
	if (kp_day_parse(ds, &day) < 0)
		return kp_day_fail(e, name, line, "日期", ds);
	if (!strcmp(ks, "休"))
		kind = 'R';
	else if (!strcmp(ks, "班"))
		kind = 'W';
	else
		return kp_fail_at(e, KP_EINPUT, name, line,
				  "kind“%s”应为“休”（放假）或“班”（调休上班）",
				  ks);
	kp_day_ymd(day, &y, &m, &d);
	if (y < c->first - 1 || y > c->last)
		return kp_fail_at(e, KP_EINPUT, name, line,
				  "日期 %s 不在日历年度 %d—%d 之内", ds,
				  c->first, c->last);
	wd = kp_day_weekday(day);
	if (kind == 'W' && wd < 6)
		return kp_fail_at(e, KP_EINPUT, name, line,
				  "%s 是星期%s，本来就是工作日，不能列为调休上班",
				  ds, wdn[wd]);
	if (c->n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		c->v = kp_xrealloc(c->v, *cap * sizeof(*c->v));
	}
	c->v[c->n].day = day;
	c->v[c->n].kind = kind;
	c->v[c->n].name = kp_xstrdup(hs);
	c->n++;
	return 0;
}

/* The whole calendar: no day twice, a notice for every year. */
static int cal_check(kp_calendar *c, const char *name, kp_err *e)
{
	qsort(c->v, c->n, sizeof(*c->v), cmp_listed);
	for (size_t i = 1; i < c->n; i++)
		if (c->v[i].day == c->v[i - 1].day) {
			char b[16];
			return kp_fail_at(e, KP_EINPUT, name, 0,
					  "日期 %s 列了两次",
					  kp_day_str(c->v[i].day, b));
		}
	for (int y = c->first; y <= c->last; y++)
		if (!c->notice || !c->notice[y - c->first])
			return kp_fail_at(e, KP_EINPUT, name, 0,
					  "%d 年没有 #notice 行（每一年都要注明国务院办公厅的通知）",
					  y);
	return 0;
}

int kp_calendar_parse(const char *name, const char *data, size_t n,
		      kp_calendar **out, kp_err *e)
{
	kp_calendar *c = kp_xcalloc(1, sizeof(*c));
	kp_csv csv;
	int col[CC_N];
	bool header = false;
	size_t cap = 0;
	int r;
	c->first = c->last = -1;
	for (int i = 0; i < CC_N; i++)
		col[i] = -1;
	kp_csv_init(&csv, name, data, n, ',');
	while ((r = kp_csv_next(&csv, e)) > 0) {
		const char **f = csv.fields;
		size_t nf = csv.nfields, line = csv.row_line;
		bool blank = true;
		for (size_t i = 0; i < nf; i++)
			if (*f[i])
				blank = false;
		if (blank)
			continue;
		if (f[0][0] == '#')
			r = cal_comment(c, f, nf, name, line, e);
		else if (!header)
			r = cal_header(c, col, f, nf, name, line, e);
		else
			r = cal_day(c, col, f, nf, &cap, name, line, e);
		if (r < 0)
			goto fail;
		if (f[0][0] != '#')
			header = true;
	}
	if (r < 0)
		goto fail;
	if (!header) {
		kp_fail_at(e, KP_EINPUT, name, 0, "没有表头行（date,kind,…）");
		goto fail;
	}
	if (cal_check(c, name, e) < 0)
		goto fail;
	kp_csv_release(&csv);
	*out = c;
	return 0;
fail:
	kp_csv_release(&csv);
	kp_calendar_free(c);
	return -1;
}

int kp_calendar_open(const char *path, kp_calendar **out, kp_err *e)
{
	kp_buf b = KP_BUF_INIT;
	int r;
	if (!path)
		return kp_calendar_parse(
			KP_HOLIDAYS_BUNDLED_NAME, kp_ledger_holidays_csv,
			(size_t)(kp_ledger_holidays_csv_end -
				 kp_ledger_holidays_csv),
			out, e);
	kp_buf_init(&b, (size_t)4 << 20);
	if (kp_read_file(path, (size_t)4 << 20, &b, e) < 0) {
		kp_buf_release(&b);
		return -1;
	}
	r = kp_calendar_parse(path, b.data ? b.data : "", b.len, out, e);
	kp_buf_release(&b);
	return r;
}

int kp_calendar_first_year(const kp_calendar *c)
{
	return c->first;
}

int kp_calendar_last_year(const kp_calendar *c)
{
	return c->last;
}

static const listed *find(const kp_calendar *c, int day)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->v[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->v[lo].day == day ? &c->v[lo] : NULL;
}

int kp_calendar_workday(const kp_calendar *c, int day, kp_err *e)
{
	int y, m, d;
	const listed *l;
	char b[16];
	kp_day_ymd(day, &y, &m, &d);
	if (y < c->first || y > c->last)
		return kp_fail(e, KP_EINPUT,
			       "节假日日历只覆盖 %d—%d 年，无法判断 %s 是否工作日（%s）",
			       c->first, c->last, kp_day_str(day, b),
			       y > c->last
				       ? "国务院办公厅公布该年度节假日安排后，请补入 data/calendar/cn-holidays.csv"
				       : "早于日历的第一年");
	l = find(c, day);
	if (l)
		return l->kind == 'W';
	return kp_day_weekday(day) < 6;
}

const char *kp_calendar_holiday(const kp_calendar *c, int day, char *kind)
{
	const listed *l = find(c, day);
	if (!l)
		return NULL;
	if (kind)
		*kind = l->kind;
	return l->name;
}

const char *kp_calendar_notice(const kp_calendar *c, int year)
{
	if (year < c->first || year > c->last || !c->notice)
		return NULL;
	return c->notice[year - c->first];
}

int kp_calendar_add_workdays(const kp_calendar *c, int day, int n, int *out,
			     kp_err *e)
{
	int cur = day;
	if (n < 1)
		return kp_fail(e, KP_EINTERNAL, "工作日数应至少为 1");
	while (n > 0) {
		int w;
		cur++;
		w = kp_calendar_workday(c, cur, e);
		if (w < 0)
			return -1;
		n -= w;
	}
	*out = cur;
	return 0;
}
