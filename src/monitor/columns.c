/* monitor — the column rules (栏目更新, 空白栏目), judged at each step
 * from the site's newest stored inspection at or before the step's day.
 *
 * An inspection keeps each column's class, newest date, items, whether it
 * is blank and its page's status (kp_inspect_result_json's columns).  At
 * the step's day (Beijing calendar) a column is counted as the inspector
 * counts it (src/inspect/checks.c, chk_columns) but with "today" moved
 * to the step: a column whose page did not open (status 0 or >= 400) is
 * not counted; a blank one is blank; any other is stale when it has no
 * date or its newest date is more than its class's days old
 * (data/inspect/column-classes.csv: 动态要闻 14, 通知公告 and 政策文件
 * 183, the others 365), and long stale when more than 365.  The national
 * rule (gov2019-web-check 4 栏目不更新) vetoes at 5 stale, 10 long stale
 * or 5 blank columns; the warning is conf.col_warn_margin (1) short of
 * each count.  A warning resolves when its rule is back under the
 * warning line. */
#include "monitor/monitor_int.h"
#include "inspect/inspect.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400
#define BJ_OFFSET (8 * 3600)
#define LONG_STALE_DAYS 365

bool kp_monitor_column_rule(const char *rule)
{
	return !strcmp(rule, "column_update") || !strcmp(rule, "column_blank");
}

void kp_monitor_colverdict_release(kp_monitor_colverdict *v)
{
	json_decref(v->stale_cols);
	json_decref(v->blank_cols);
	json_decref(v->checked_cols);
	memset(v, 0, sizeof(*v));
}

/* where a column's values came from (evidence's source) */
#define SRC_INSPECTION "检测"
#define SRC_CHECK "栏目检查"


static int level_of(const kp_monitor_conf *c, int64_t n, int veto)
{
	int warn = veto - c->col_warn_margin;
	return n >= veto ? 2 : warn > 0 && n >= warn ? 1 : 0;
}

/* One column, counted at day: col is the inspection's or, when the
 * column check opened its page, the check's (source says which; chk,
 * may be NULL, is what the check saw of a column it could not open). */
static void count_column(kp_monitor_colverdict *v, json_t *col, kp_date day,
			 const char *source, json_t *chk)
{
	const char *cls = json_string_value(json_object_get(col, "class"));
	const char *latest = json_string_value(json_object_get(col, "latest_date"));
	json_int_t status = json_integer_value(json_object_get(col, "status"));
	kp_date d = 0;
	int64_t age;
	int window = kp_inspect_class_stale_days(cls ? cls : "其他");
	if (!status || status >= 400)
		return;
	if (json_is_true(json_object_get(col, "blank"))) {
		v->blank++;
		json_t *b = json_pack(
			"{s:O, s:O, s:O}", "name", json_object_get(col, "name"),
			"class", json_object_get(col, "class"),
			"url", json_object_get(col, "url"));
		if (v->check) {
			json_object_set_new(b, "source", json_string(source));
			if (chk)
				json_object_set(b, "check_status", json_object_get(chk, "status"));
		}
		json_array_append_new(v->blank_cols, b);
		return;
	}
	if (latest && kp_date_parse(latest, &d) < 0)
		d = 0;
	age = d ? (int64_t)(day - d) : -1;
	if (d && age <= window)
		return;
	v->stale++;
	v->long_stale += !d || age > LONG_STALE_DAYS;
	json_t *st = json_pack(
		"{s:O, s:O, s:O, s:o, s:o, s:i}", "name", json_object_get(col, "name"),
		"class", json_object_get(col, "class"), "url", json_object_get(col, "url"),
		"latest_date", d ? json_string(latest) : json_null(),
		"stale_days", d ? json_integer(age) : json_null(),
		"window_days", window);
	if (v->check) {
		json_object_set_new(st, "source", json_string(source));
		if (chk)
			json_object_set(st, "check_status", json_object_get(chk, "status"));
	}
	json_array_append_new(v->stale_cols, st);
}

/* The check's column of url in checked (NULL none). */
static json_t *checked_column(json_t *checked, const char *url)
{
	json_t *c;
	size_t i;
	json_array_foreach(checked, i, c) {
		const char *u = json_string_value(json_object_get(c, "url"));
		if (u && url && !strcmp(u, url))
			return c;
	}
	return NULL;
}

/* The check opened the column's page. */
static bool opened(json_t *c)
{
	json_int_t st = json_integer_value(json_object_get(c, "status"));
	return st > 0 && st < 400;
}

/* The inspection's column col as the check saw it: a copy of col with
 * the check's status, newest date, items and blank (the caller's). */
static json_t *as_checked(json_t *col, json_t *chk)
{
	static const char *const keys[] = { "status", "latest_date", "date_source",
					    "items", "blank" };
	json_t *m = json_copy(col);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		json_object_set(m, keys[k], json_object_get(chk, keys[k]));
	return m;
}

const char *kp_monitor_time_bj(int64_t t, char *buf)
{
	time_t tt = (time_t)(t + BJ_OFFSET);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 24, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

static void verdict_init(kp_monitor_colverdict *v, kp_date day)
{
	memset(v, 0, sizeof(*v));
	v->stale_cols = json_array();
	v->blank_cols = json_array();
	kp_date_str(day, v->day);
}

/* v (verdict_init'd) from inspection's columns (cols, borrowed; NULL
 * none) and the newest check based on it (ck->id 0: none), at day. */
static void verdict_count(const kp_monitor_conf *c, kp_monitor_colverdict *v,
			  kp_date day, int64_t inspection, const char *as_of,
			  json_t *cols, const kp_column_check *ck)
{
	json_t *col;
	size_t i;
	if (ck->id) {
		v->check = ck->id;
		v->checked = ck->at;
		v->check_pages = ck->pages;
		v->checked_cols = json_loads(ck->columns, 0, NULL);
	}
	v->judged = true;
	v->inspection = inspection;
	snprintf(v->inspected, sizeof(v->inspected), "%s", as_of);
	json_array_foreach(cols, i, col) {
		json_t *chk = checked_column(v->checked_cols,
					     json_string_value(json_object_get(col, "url")));
		if (chk && opened(chk)) {
			json_t *m = as_checked(col, chk);
			count_column(v, m, day, SRC_CHECK, NULL);
			json_decref(m);
			v->from_check++;
		} else {
			count_column(v, col, day, SRC_INSPECTION, chk);
		}
	}
	v->update_level = level_of(c, v->stale, KP_MONITOR_STALE_VETO);
	if (level_of(c, v->long_stale, KP_MONITOR_LONG_STALE_VETO) > v->update_level)
		v->update_level = level_of(c, v->long_stale, KP_MONITOR_LONG_STALE_VETO);
	v->blank_level = level_of(c, v->blank, KP_MONITOR_BLANK_VETO);
}

int kp_monitor_columns(kp_store *s, const kp_monitor_conf *c,
		       const kp_site *st, int64_t at, kp_monitor_colverdict *v,
		       kp_err *e)
{
	kp_inspection in;
	kp_column_check ck = { 0 };
	kp_date day = (kp_date)((at + BJ_OFFSET) / DAY);
	json_t *sum;
	int r;
	verdict_init(v, day);
	r = kp_store_inspection_latest(s, st->url, v->day, &in, e);
	if (r <= 0)
		return r;
	/* the newest column check based on it, up to at */
	r = kp_store_column_check_latest(s, st->id, in.id, at, &ck, e);
	if (r < 0) {
		kp_inspection_release(&in);
		return -1;
	}
	sum = in.summary ? json_loads(in.summary, 0, NULL) : NULL;
	verdict_count(c, v, day, in.id, in.as_of, json_object_get(sum, "columns"),
		      &ck);
	json_decref(sum);
	kp_column_check_release(&ck);
	kp_inspection_release(&in);
	return 0;
}

void kp_monitor_columns_of(const kp_monitor_conf *c,
			   const kp_site_columns *sc, int64_t at,
			   kp_monitor_colverdict *v)
{
	kp_date day = (kp_date)((at + BJ_OFFSET) / DAY);
	json_t *cols = NULL, *sum = NULL;
	verdict_init(v, day);
	/* the part the database cut out, parsed as kp_monitor_columns's
	 * json_object_get of the whole would give it: an array, or none */
	if (sc->columns)
		cols = json_loads(sc->columns, 0, NULL);
	else if (sc->summary && (sum = json_loads(sc->summary, 0, NULL)))
		cols = json_incref(json_object_get(sum, "columns"));
	verdict_count(c, v, day, sc->inspection, sc->as_of, cols, &sc->check);
	json_decref(cols);
	json_decref(sum);
}

json_t *kp_monitor_columns_evidence(const kp_monitor_conf *c,
				    const kp_monitor_colverdict *v,
				    const char *rule, int64_t at)
{
	char t[24];
	bool blank = !strcmp(rule, "column_blank");
	json_t *j = json_pack("{s:s, s:s, s:I, s:s}", "at",
			      kp_monitor_time_str(at, t), "day", v->day,
			      "inspection", (json_int_t)v->inspection,
			      "inspected", v->inspected);
	/* which one the columns were read from: the inspection, or a
	 * column check based on it (for the columns it opened) */
	json_object_set_new(j, "source", json_string(v->check ? SRC_CHECK : SRC_INSPECTION));
	if (v->check) {
		json_object_set_new(j, "column_check", json_integer(v->check));
		json_object_set_new(j, "checked", json_string(kp_monitor_time_str(v->checked, t)));
		json_object_set_new(j, "checked_columns", json_integer(v->from_check));
	}
	if (blank) {
		json_object_set_new(j, "blank", json_integer(v->blank));
		json_object_set_new(j, "veto_count", json_integer(KP_MONITOR_BLANK_VETO));
		json_object_set_new(j, "warn_count", json_integer(KP_MONITOR_BLANK_VETO - c->col_warn_margin));
		json_object_set(j, "columns", v->blank_cols);
	} else {
		json_object_set_new(j, "stale", json_integer(v->stale));
		json_object_set_new(j, "long_stale", json_integer(v->long_stale));
		json_object_set_new(j, "veto_count", json_integer(KP_MONITOR_STALE_VETO));
		json_object_set_new(j, "long_veto_count", json_integer(KP_MONITOR_LONG_STALE_VETO));
		json_object_set_new(j, "warn_count", json_integer(KP_MONITOR_STALE_VETO - c->col_warn_margin));
		json_object_set(j, "columns", v->stale_cols);
	}
	return j;
}

/* ---- warnings ------------------------------------------------------------- */

int kp_monitor_judge_columns(kp_store *s, const kp_monitor_conf *c,
			     int64_t site, const kp_monitor_colverdict *v,
			     const int64_t open[2], const bool veto[2],
			     int64_t now, kp_monitor_tally *t, kp_err *e)
{
	int r = 0;
	/* no inspection yet: nothing to judge, nothing resolved */
	if (v->judged)
		r = kp_monitor_warn_known(s, site, "column_update", open[0], veto[0],
					  v->update_level, v->update_level == 0,
					  kp_monitor_columns_evidence(c, v, "column_update", now),
					  now, t, e);
	if (r == 0 && v->judged)
		r = kp_monitor_warn_known(s, site, "column_blank", open[1], veto[1],
					  v->blank_level, v->blank_level == 0,
					  kp_monitor_columns_evidence(c, v, "column_blank", now),
					  now, t, e);
	return r < 0 ? -1 : 0;
}

/* ---- what people read ------------------------------------------------------- */

json_t *kp_monitor_columns_verdicts(const kp_monitor_conf *c,
				    const kp_monitor_colverdict *v, int64_t at)
{
	static const char *const lv[] = { "ok", "warning", "veto" };
	json_t *out = json_array();
	const char *rules[] = { "column_update", "column_blank" };
	int levels[] = { v->update_level, v->blank_level };
	for (int i = 0; i < 2; i++) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s, s:b}", "rule", rules[i],
				      "title", kp_monitor_rule_title(rules[i]),
				      "text", kp_monitor_rule_text(rules[i]),
				      "veto", levels[i] == 2, "level", lv[levels[i]],
				      "judged", v->judged);
		if (v->judged) {
			json_t *ev = kp_monitor_columns_evidence(c, v, rules[i], at);
			json_object_update(j, ev);
			json_decref(ev);
		}
		if (v->check)   /* what the check saw of every column */
			json_object_set_new(j, "column_check_detail", json_pack(
				"{s:I, s:I, s:O}", "id", (json_int_t)v->check,
				"pages", (json_int_t)v->check_pages,
				"columns", v->checked_cols));
		json_array_append_new(out, j);
	}
	return out;
}

void kp_monitor_columns_text(json_t *ev, const char *rule, kp_buf *b)
{
	bool blank = !strcmp(rule, "column_blank");
	json_t *col;
	size_t i;
	const char *checked = json_string_value(json_object_get(ev, "checked"));
	kp_buf_addf(b, "检测编号 %lld（%s）", (long long)json_integer_value(json_object_get(ev, "inspection")),
		    json_string_value(json_object_get(ev, "inspected")));
	if (checked) {
		int64_t ct = 0;
		char bj[24] = "";
		if (kp_monitor_parse_time(checked, &ct) == 0)
			kp_monitor_time_bj(ct, bj);
		kp_buf_addf(b, "及其后的栏目检查 %lld（北京时间 %s，重新打开 %lld 个栏目）",
			    (long long)json_integer_value(json_object_get(ev, "column_check")),
			    bj, (long long)json_integer_value(json_object_get(ev, "checked_columns")));
	}
	if (blank)
		kp_buf_addf(b, "中空白栏目 %lld 个（否决线 %lld 个）",
			    (long long)json_integer_value(json_object_get(ev, "blank")),
			    (long long)json_integer_value(json_object_get(ev, "veto_count")));
	else
		kp_buf_addf(b, "，至 %s 未按期更新的栏目 %lld 个（否决线 %lld 个），其中超过 1 年的 %lld 个（否决线 %lld 个）",
			    json_string_value(json_object_get(ev, "day")),
			    (long long)json_integer_value(json_object_get(ev, "stale")),
			    (long long)json_integer_value(json_object_get(ev, "veto_count")),
			    (long long)json_integer_value(json_object_get(ev, "long_stale")),
			    (long long)json_integer_value(json_object_get(ev, "long_veto_count")));
	json_array_foreach(json_object_get(ev, "columns"), i, col) {
		const char *d = json_string_value(json_object_get(col, "latest_date"));
		const char *src = json_string_value(json_object_get(col, "source"));
		kp_buf_addf(b, "%s“%s”（%s", i ? "；" : "：",
			    json_string_value(json_object_get(col, "name")),
			    json_string_value(json_object_get(col, "class")));
		if (blank)
			;
		else if (d)
			kp_buf_addf(b, "，最新 %s，%lld 天未更新，要求 %lld 天内", d,
				    (long long)json_integer_value(json_object_get(col, "stale_days")),
				    (long long)json_integer_value(json_object_get(col, "window_days")));
		else
			kp_buf_adds(b, "，信息都没有日期");
		if (src && !strcmp(src, SRC_INSPECTION))
			kp_buf_addf(b, "；栏目检查未能打开（状态 %lld），沿用检测",
				    (long long)json_integer_value(json_object_get(col, "check_status")));
		kp_buf_adds(b, "）");
	}
}
