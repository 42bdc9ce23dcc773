/*
 * inspect/crawl_limits.c — never a silent cut.
 *
 * The crawl goes over the whole site by default, bounded by generous
 * safety caps a user can raise and by the trap defences.  Whatever stops
 * it short — the page or depth cap, the resource cap, the time limit, a
 * body over the size cap, robots.txt, a trap — the result says so: which
 * limit, its value, and how many of the URLs the crawl knew it left
 * unfetched (a URL is counted once, by the limit that left it, as it
 * stood at the end: a page first skipped as too deep and later reached
 * by a shorter way is not counted).  The checks turn that into the
 * site.incomplete finding, the JSON into "complete" and "limits_hit".
 */
#include "inspect/inspect_int.h"

#include <string.h>

/* One row per limit, in the order of the JSON and the message. */
static const struct limit_row {
	const char *name;
	int skip;            /* SKIP_… counted; 0: counted otherwise */
	bool serious;        /* the crawl stopped short, not a page or
			      * two refused: 一般 rather than 提示 */
} rows[] = {
	{ "max_pages", SKIP_PAGES, true },
	{ "max_depth", SKIP_DEPTH, true },
	{ "max_checks", SKIP_CHECKS, true },
	{ "max_seconds", SKIP_TIME, true },
	{ "max_body", 0, false },
	{ "robots", SKIP_ROBOTS, false },
	{ "traps", 0, false },
};

/* What limit l left, in Chinese, appended to msg. */
static void limit_text(const struct kp_inspect_limit *l, kp_buf *msg)
{
	const char *n = l->limit;
	if (!strcmp(n, "max_pages"))
		kp_buf_addf(msg, "页面数达到上限 %lld（--max-pages），%zu 个网址未抓取",
			    l->value, l->skipped);
	else if (!strcmp(n, "max_depth"))
		kp_buf_addf(msg, "距首页超过 %lld 次点击（--max-depth），%zu 个网址未抓取",
			    l->value, l->skipped);
	else if (!strcmp(n, "max_checks"))
		kp_buf_addf(msg, "资源检查数达到上限 %lld，%zu 个图片、附件等未检查",
			    l->value, l->skipped);
	else if (!strcmp(n, "max_seconds"))
		kp_buf_addf(msg, "用时达到上限 %lld 秒（--max-time），%zu 个网址未抓取",
			    l->value, l->skipped);
	else if (!strcmp(n, "max_body"))
		kp_buf_addf(msg, "%zu 个网址超过大小上限 %lld MB（--max-body）被拒收",
			    l->skipped, l->value >> 20);
	else if (!strcmp(n, "robots"))
		kp_buf_addf(msg, "robots.txt 不允许抓取 %zu 个网址", l->skipped);
	else
		kp_buf_addf(msg, "跳过 %zu 个疑似陷阱网址（日历、会话参数、无限增长的路径、超长网址）",
			    l->skipped);
}

static long long limit_value(const kp_inspect_opts *o, const char *name)
{
	if (!strcmp(name, "max_pages"))
		return (long long)o->max_pages;
	if (!strcmp(name, "max_depth"))
		return o->max_depth;
	if (!strcmp(name, "max_checks"))
		return (long long)o->max_checks;
	if (!strcmp(name, "max_seconds"))
		return o->max_seconds;
	if (!strcmp(name, "max_body"))
		return (long long)o->max_body;
	return -1;
}

void kp_inspect_limits_result(const kp_inspect_crawl *c, kp_inspect_result *r)
{
	size_t n[sizeof(rows) / sizeof(rows[0])] = { 0 };
	for (size_t i = 0; i < c->nurls; i++) {
		const kp_inspect_url *u = &c->urls[i];
		if (u->state != U_SKIPPED)
			continue;
		for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
			if (rows[k].skip && rows[k].skip == u->skip)
				n[k]++;
	}
	r->complete = true;
	r->nlimits = 0;
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		if (!strcmp(rows[k].name, "max_body"))
			n[k] = c->refused_big;
		else if (!strcmp(rows[k].name, "traps"))
			n[k] = c->traps;
		if (!n[k])
			continue;
		r->complete = false;
		r->limits[r->nlimits++] = (struct kp_inspect_limit){
			rows[k].name, limit_value(c->o, rows[k].name), n[k]
		};
	}
}

const char *kp_inspect_limits_message(const kp_inspect_result *r, kp_buf *msg)
{
	bool serious = false;
	if (r->complete)
		return NULL;
	kp_buf_adds(msg, "抓取未完成，结果不是整个网站：");
	for (size_t i = 0; i < r->nlimits; i++) {
		if (i)
			kp_buf_adds(msg, "；");
		limit_text(&r->limits[i], msg);
		for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
			if (!strcmp(rows[k].name, r->limits[i].limit))
				serious |= rows[k].serious;
	}
	return serious ? "一般" : "提示";
}

void kp_inspect_limits_json(const kp_inspect_result *r, json_t *j)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nlimits; i++) {
		const struct kp_inspect_limit *l = &r->limits[i];
		json_t *o = json_object();
		json_object_set_new(o, "limit", json_string(l->limit));
		json_object_set_new(o, "value", l->value < 0 ? json_null()
							     : json_integer(l->value));
		json_object_set_new(o, "skipped", json_integer((json_int_t)l->skipped));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "complete", json_boolean(r->complete));
	json_object_set_new(j, "limits_hit", a);
}
