/* monitor — what the rules share (monitor.h, monitor_int.h): the times
 * as written and read, the rules' Chinese titles and texts, and a
 * warning opened, raised to a veto and resolved by one function for
 * every rule (availability and homepage: schedule.c; columns:
 * columns.c). */
#include "monitor/monitor_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- time --------------------------------------------------------------- */

int kp_monitor_parse_time(const char *s, int64_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	s += n;
	if (*s == 'T' || *s == ' ') {
		n = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &h, &mi, &n) != 2)
			return -1;
		s += 1 + n;
		if (*s == ':') {
			n = 0;
			if (sscanf(s + 1, "%2d%n", &se, &n) != 1)
				return -1;
			s += 1 + n;
		}
	}
	if (*s == 'Z')
		s++;
	if (*s || !kp_date_valid_ymd(y, mo, d) || h > 23 || mi > 59 || se > 59 ||
	    h < 0 || mi < 0 || se < 0)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = (int64_t)timegm(&tm);
	return 0;
}

const char *kp_monitor_time_str(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* ---- the rules' words ------------------------------------------------- */

static const struct rule_row {
	const char *rule, *title, *text;
} rule_rows[] = {
	{ "availability", "首页可用性",
	  "7 天内首页无法访问的探测占 5% 及以上，单项否决（预警线 3%）" },
	{ "homepage", "首页更新",
	  "首页 14 天及以上未更新为不合格（预警线 10 天）" },
	{ "column_update", "栏目更新",
	  "动态要闻类栏目 2 周、通知公告和政策文件类 6 个月、其他 1 年内未更新的栏目累计 5 个及以上，或 1 年以上未更新的 10 个及以上，单项否决（预警线少 1 个）" },
	{ "column_blank", "空白栏目",
	  "空白栏目 5 个及以上，单项否决（预警线少 1 个）" },
};

const char *kp_monitor_rule_title(const char *rule)
{
	for (size_t i = 0; i < sizeof(rule_rows) / sizeof(rule_rows[0]); i++)
		if (!strcmp(rule_rows[i].rule, rule))
			return rule_rows[i].title;
	return rule;
}

const char *kp_monitor_rule_text(const char *rule)
{
	for (size_t i = 0; i < sizeof(rule_rows) / sizeof(rule_rows[0]); i++)
		if (!strcmp(rule_rows[i].rule, rule))
			return rule_rows[i].text;
	return "";
}

/* ---- warnings ------------------------------------------------------------ */

static const char *level_name(int level)
{
	return level >= 2 ? "veto" : "warning";
}

struct open_warning {
	const char *rule;
	int64_t id;          /* the rule's open warning; 0 none */
	bool veto;           /* it is at the veto level */
};

static int open_row(void *ctx, const kp_warning *w, kp_err *e)
{
	struct open_warning *ow = ctx;
	(void)e;
	if (!strcmp(w->rule, ow->rule)) {
		ow->id = w->id;
		ow->veto = !strcmp(w->level, "veto");
	}
	return 0;
}

int kp_monitor_warn_known(kp_store *s, int64_t site, const char *rule,
			  int64_t open_id, bool open_veto, int level,
			  bool resolved, json_t *ev, int64_t now,
			  kp_monitor_tally *t, kp_err *e)
{
	char *text = NULL;
	int64_t id;
	int r = 0;
	bool open = !open_id && level > 0;
	bool raise = open_id && level == 2 && !open_veto;
	bool resolve = open_id && !raise && resolved;
	if (open || raise || resolve)
		text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	if (open) {
		r = kp_store_warning_open(s, site, rule, level_name(level), now,
					  text, &id, e);
		t->opened += r == 0 && id;
	} else if (raise) {
		r = kp_store_warning_level(s, open_id, "veto", text, e);
		t->raised += r == 0;
	} else if (resolve) {
		r = kp_store_warning_resolve(s, open_id, now, text, e);
		t->resolved += r == 0;
	}
	free(text);
	return r < 0 ? -1 : 0;
}

int kp_monitor_warn(kp_store *s, int64_t site, const char *rule, int level,
		    bool resolved, json_t *ev, int64_t now,
		    kp_monitor_tally *t, kp_err *e)
{
	struct open_warning ow = { rule, 0, false };
	if (kp_store_warnings_each(s, site, true, open_row, &ow, e) < 0) {
		json_decref(ev);
		return -1;
	}
	return kp_monitor_warn_known(s, site, rule, ow.id, ow.veto, level,
				     resolved, ev, now, t, e);
}
