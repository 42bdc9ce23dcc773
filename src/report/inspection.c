/* report/inspection.c — a site's 检测报告 (kp_rep_inspection, report.h)
 * from a stored inspection (kp_rnd_inspection_get) and the JSON it was
 * stored with: summary, findings with evidence, dead links with the
 * pages that link them, columns with their newest dates, the footer
 * elements, and the changes since the inspection before. */
#include "report/report_int.h"
#include "round/round.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *js(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void kv(kp_rep_table *t, const char *k, const char *v)
{
	size_t row = kp_rep_row(t);
	kp_rep_text(t, row, 0, k);
	kp_rep_text(t, row, 1, v);
}

static void kv_int(kp_rep_table *t, const char *k, long long v)
{
	size_t row = kp_rep_row(t);
	kp_rep_text(t, row, 0, k);
	kp_rep_int(t, row, 1, v);
}

static void summary(kp_rep_doc *d, const kp_rnd_inspection *x, json_t *j,
		    const char *title)
{
	static const char *const heads[] = { "项目", "内容" };
	static const double width[] = { 18, 70 };
	const kp_inspection *in = &x->in;
	kp_rep_table *t;
	kp_buf b = KP_BUF_INIT, sub = KP_BUF_INIT;
	char tbuf[40];
	size_t serious = 0;
	json_t *prev = json_object_get(x->changes, "previous");
	for (size_t i = 0; i < x->nfindings; i++)
		serious += !strcmp(x->findings[i].severity, "严重");
	kp_buf_addf(&sub, "检测编号：%lld　　检测日期：%s", (long long)in->id,
		    in->as_of);
	t = kp_rep_table_new(d, "概况", title, sub.data, heads, width, 2);
	kv(t, "网站", in->site);
	kv(t, "首页标题", js(json_object_get(j, "homepage"), "title"));
	kv(t, "单位", in->unit);
	kv(t, "轮次", in->round);
	kv(t, "检测基准日", in->as_of);
	kv(t, "开始时间", kp_time_bj(in->started_at, tbuf, sizeof(tbuf)));
	kv(t, "结束时间", kp_time_bj(in->finished_at, tbuf, sizeof(tbuf)));
	kv_int(t, "抓取页面数", (long long)in->pages);
	kv_int(t, "发现问题数", (long long)x->nfindings);
	kv_int(t, "其中严重问题", (long long)serious);
	kv_int(t, "死链数", (long long)json_array_size(json_object_get(j, "dead_links")));
	kv(t, "首页最新信息日期", js(json_object_get(j, "homepage"), "latest_date"));
	if (json_is_string(prev)) {
		kp_buf_addf(&b, "%s（编号 %lld）：新发现 %zu 项，已整改 %zu 项，仍存在 %lld 项",
			    json_string_value(prev),
			    (long long)json_integer_value(json_object_get(x->changes, "previous_id")),
			    json_array_size(json_object_get(x->changes, "new")),
			    json_array_size(json_object_get(x->changes, "fixed")),
			    (long long)json_integer_value(json_object_get(x->changes, "still")));
		kv(t, "与上次检测相比", b.data);
	} else {
		kv(t, "与上次检测相比", "首次检测");
	}
	kv(t, "检测人", in->author);
	kp_buf_release(&b);
	kp_buf_release(&sub);
}

static void findings(kp_rep_doc *d, const kp_rnd_inspection *x)
{
	static const char *const heads[] = { "序号", "检查项", "严重程度", "问题",
					     "网址", "片段", "日期" };
	static const double width[] = { 6, 14, 9, 48, 40, 24, 11 };
	kp_rep_table *t = kp_rep_table_new(d, "问题", "发现的问题", x->in.site,
					   heads, width, 7);
	t->landscape = true;
	for (size_t i = 0; i < x->nfindings; i++) {
		const kp_store_finding *f = &x->findings[i];
		size_t row = kp_rep_row(t);
		kp_rep_int(t, row, 0, (long long)f->ord);
		kp_rep_text(t, row, 1, f->check);
		kp_rep_text(t, row, 2, f->severity);
		kp_rep_text(t, row, 3, f->message);
		kp_rep_text(t, row, 4, f->url);
		kp_rep_text(t, row, 5, f->snippet);
		kp_rep_text(t, row, 6, f->time);
	}
	if (!x->nfindings)
		kp_rep_foot(t, "未发现问题。");
}

static void dead_links(kp_rep_doc *d, json_t *j)
{
	static const char *const heads[] = { "序号", "死链", "状态", "类型",
					     "链接它的页面数", "链接它的页面" };
	static const double width[] = { 6, 44, 8, 8, 10, 60 };
	json_t *dl = json_object_get(j, "dead_links"), *v;
	size_t i;
	kp_buf b = KP_BUF_INIT;
	kp_rep_table *t = kp_rep_table_new(d, "死链", "死链及其所在页面", "",
					   heads, width, 6);
	t->landscape = true;
	json_array_foreach(dl, i, v) {
		size_t row = kp_rep_row(t), k;
		json_t *p;
		kp_rep_int(t, row, 0, (long long)i + 1);
		kp_rep_text(t, row, 1, js(v, "url"));
		kp_buf_reset(&b);
		if (json_is_integer(json_object_get(v, "status")))
			kp_rep_int(t, row, 2, json_integer_value(json_object_get(v, "status")));
		else
			kp_rep_text(t, row, 2, js(v, "error"));
		kp_rep_text(t, row, 3, !strcmp(js(v, "kind"), "page") ? "页面" : "资源");
		kp_rep_int(t, row, 4, json_integer_value(json_object_get(v, "found_on_total")));
		json_array_foreach(json_object_get(v, "found_on"), k, p)
			kp_buf_addf(&b, "%s%s", k ? "\n" : "", json_string_value(p));
		kp_rep_text(t, row, 5, b.data);
	}
	if (!json_array_size(dl))
		kp_rep_foot(t, "未发现死链。");
	kp_buf_release(&b);
}

static void columns(kp_rep_doc *d, json_t *j)
{
	static const char *const heads[] = { "栏目", "分类", "最新信息日期",
					     "信息条数", "状态", "网址" };
	static const double width[] = { 18, 14, 13, 9, 10, 50 };
	json_t *cols = json_object_get(j, "columns"), *v;
	size_t i;
	kp_rep_table *t = kp_rep_table_new(d, "栏目", "栏目更新情况",
					   js(j, "as_of"), heads, width, 6);
	json_array_foreach(cols, i, v) {
		size_t row = kp_rep_row(t);
		kp_rep_text(t, row, 0, js(v, "name"));
		kp_rep_text(t, row, 1, js(v, "class"));
		kp_rep_text(t, row, 2, js(v, "latest_date"));
		kp_rep_int(t, row, 3, json_integer_value(json_object_get(v, "items")));
		kp_rep_text(t, row, 4, json_is_true(json_object_get(v, "blank")) ? "空白"
				       : json_is_true(json_object_get(v, "stale")) ? "未按时更新"
										   : "正常");
		kp_rep_text(t, row, 5, js(v, "url"));
	}
}

/* The footer elements a government site must carry, as the inspector
 * names them, with their Chinese names. */
static const struct {
	const char *key, *name;
} footer_rows[] = {
	{ "sponsor", "主办单位" },
	{ "contact", "联系方式" },
	{ "site_id_code", "网站标识码" },
	{ "icp", "ICP备案编号" },
	{ "police_record", "公安机关备案号" },
	{ "party_gov_mark", "党政机关网站标识" },
	{ "zhaocuo_entry", "“我为政府网站找错”入口" },
	{ "sitemap", "网站地图" },
	{ "search", "站内搜索" },
	{ "accessibility", "无障碍浏览" },
};

static void footer(kp_rep_doc *d, json_t *j)
{
	static const char *const heads[] = { "要素", "检测结果" };
	static const double width[] = { 26, 50 };
	json_t *f = json_object_get(j, "footer");
	kp_rep_table *t = kp_rep_table_new(d, "底部要素", "网站底部要素", "",
					   heads, width, 2);
	for (size_t i = 0; i < sizeof(footer_rows) / sizeof(footer_rows[0]); i++) {
		json_t *v = json_object_get(f, footer_rows[i].key);
		kv(t, footer_rows[i].name,
		   json_is_string(v) ? json_string_value(v)
		   : json_is_true(v) ? "有"
				     : json_is_false(v) ? "无" : "未找到");
	}
}

static void changes(kp_rep_doc *d, const kp_rnd_inspection *x)
{
	static const char *const heads[] = { "变化", "检查项", "严重程度", "问题",
					     "网址" };
	static const double width[] = { 9, 14, 9, 50, 44 };
	static const struct { const char *key, *name; } parts[] = {
		{ "new", "新发现" }, { "fixed", "已整改" } };
	json_t *prev = json_object_get(x->changes, "previous");
	kp_buf sub = KP_BUF_INIT;
	kp_rep_table *t;
	if (json_is_string(prev))
		kp_buf_addf(&sub, "上次检测：%s", json_string_value(prev));
	else
		kp_buf_adds(&sub, "首次检测，所有问题都是新发现");
	t = kp_rep_table_new(d, "变化", "与上次检测相比", sub.data, heads, width, 5);
	t->landscape = true;
	for (size_t p = 0; p < 2; p++) {
		json_t *v;
		size_t i;
		json_array_foreach(json_object_get(x->changes, parts[p].key), i, v) {
			size_t row = kp_rep_row(t);
			kp_rep_text(t, row, 0, parts[p].name);
			kp_rep_text(t, row, 1, js(v, "check"));
			kp_rep_text(t, row, 2, js(v, "severity"));
			kp_rep_text(t, row, 3, js(v, "message"));
			kp_rep_text(t, row, 4, js(v, "url"));
		}
	}
	kp_rep_foot(t, "仍存在：%lld 项",
		    (long long)json_integer_value(json_object_get(x->changes, "still")));
	kp_buf_release(&sub);
}

int kp_rep_inspection(const char *conn, int64_t id, const char *name,
		      const char *unit, kp_rep_doc *d, kp_err *e)
{
	kp_rnd_inspection x;
	json_t *j;
	kp_buf title = KP_BUF_INIT;
	if (kp_rnd_inspection_get(conn, id, name, unit, &x, e) < 0)
		return -1;
	j = kp_rnd_inspection_full_json(&x);
	kp_buf_addf(&title, "%s网站检测报告", x.in.unit);
	free(d->title);
	d->title = kp_xstrdup(title.data);
	summary(d, &x, j, title.data);
	findings(d, &x);
	dead_links(d, j);
	columns(d, j);
	footer(d, j);
	changes(d, &x);
	json_decref(j);
	kp_buf_release(&title);
	kp_rnd_inspection_release(&x);
	return 0;
}
