/* Pages of the shapes real government sites have (issue 13), each built
 * here and read by the extractor: what a person reads on it is what the
 * test pins — a list's dates with their years, where each year came
 * from, the page's own date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static kp_inspect_date D(const char *s)
{
	return kp_inspect_date_parse(s);
}

static void extract(const char *html, const char *as_of, kp_inspect_doc *d)
{
	kp_inspect_doc_init(d);
	assert_int_equal(kp_inspect_html_extract(html, strlen(html), D(as_of), 0, d), 0);
}

/* The items' dates and sources as "2026-03-21 url; …". */
static char *items_str(const kp_inspect_doc *d)
{
	kp_buf b;
	char ds[16];
	kp_buf_init(&b, 0);
	for (size_t i = 0; i < d->nitems; i++)
		kp_buf_addf(&b, "%s%s %s", i ? "; " : "",
			      d->items[i].date ? kp_inspect_date_str(d->items[i].date, ds) : "-",
			      kp_inspect_date_source_name(d->items[i].date_source));
	return kp_buf_detach(&b);
}

static void expect_items(const char *html, const char *as_of, const char *want)
{
	kp_inspect_doc d;
	extract(html, as_of, &d);
	char *got = items_str(&d);
	if (strcmp(got, want))
		fail_msg("items:\n got  %s\n want %s", got, want);
	free(got);
	kp_inspect_doc_release(&d);
}

/* 统计信息 as TRS prints it: [MM-DD] and the year in the article's URL.
 * The as-of day alone gave [11-13] (a 2025 article) 2026-11-13. */
static void test_year_from_url(void **st)
{
	(void)st;
	expect_items(
		"<ul class=\"list\">"
		"<li><a href=\"./202603/t20260321_110216.html\">2026年2月全市规模以上工业生产情况</a><span>[03-21]</span></li>"
		"<li><a href=\"./202601/t20260119_109001.html\">2025年全市经济运行情况</a><span>[01-19]</span></li>"
		"<li><a href=\"./202511/t20251113_104400.html\">2025年10月居民消费价格变动情况</a><span>[11-13]</span></li>"
		"<li><a href=\"./201901/t20190120_55555.html\">2018年统计公报解读材料汇编</a><span>[01-20]</span></li>"
		"</ul>", "2026-12-07",
		"2026-03-21 url; 2026-01-19 url; 2025-11-13 url; 2019-01-20 url");
	/* /YYYYMM/ alone gives the year */
	expect_items("<ul><li><a href=\"/art/201812/abc.html\">二〇一八年度政府网站工作年度报表</a>[12-30]</li></ul>",
		     "2026-12-07", "2018-12-30 url");
}

/* 生态环境: no year anywhere but the list's order.  [12-10] is before the
 * as-of day's 12-07 only in 2025; [11-17] is below it, so 2025 too (the
 * as-of day alone said 2026-11-17). */
static void test_year_from_order(void **st)
{
	(void)st;
	expect_items(
		"<ul>"
		"<li><a href=\"a1.html\">关于开展冬季大气污染防治专项检查的通知</a><em>[12-10]</em></li>"
		"<li><a href=\"a2.html\">全市生态环境质量状况公报发布</a><em>[11-17]</em></li>"
		"<li><a href=\"a3.html\">生态环境局召开第三季度工作会议</a><em>[09-30]</em></li>"
		"</ul>", "2026-12-07",
		"2025-12-10 as_of; 2025-11-17 order; 2025-09-30 order");
}

/* A newest-first list whose year-less dates cross New Year: after
 * [01-05] comes [12-28] of the year before, and [12-28] > [01-05] turns
 * the year once. */
static void test_order_across_new_year(void **st)
{
	(void)st;
	expect_items(
		"<ul>"
		"<li><a href=\"n1.html\">春节前安全生产大检查工作部署会召开</a>[02-03]</li>"
		"<li><a href=\"n2.html\">全市新年第一次常务会议召开情况通报</a>[01-05]</li>"
		"<li><a href=\"n3.html\">关于元旦期间值班安排情况的通知公告</a>[12-28]</li>"
		"<li><a href=\"n4.html\">年终岁末走访慰问困难群众工作部署</a>[12-02]</li>"
		"<li><a href=\"n5.html\">第四季度重点工作推进会议召开情况</a>[10-15]</li>"
		"</ul>", "2026-03-01",
		"2026-02-03 as_of; 2026-01-05 order; 2025-12-28 order; 2025-12-02 order; 2025-10-15 order");
	/* a dated item above decides the year of those below */
	expect_items(
		"<ul>"
		"<li><a href=\"n1.html\">关于印发全市政府网站年度报表的通知</a>2025-02-01</li>"
		"<li><a href=\"n2.html\">全市政务公开工作要点任务分解安排</a>[12-30]</li>"
		"</ul>", "2026-12-07",
		"2025-02-01 item; 2024-12-30 order");
}

/* 政府网站工作年度报表: the newest item is [01-19] of 2026 (its URL);
 * a 2019 item below it printed [01-20], which the as-of day alone made
 * 2026-01-20, the column's newest. */
static void test_annual_report_column(void **st)
{
	(void)st;
	kp_inspect_doc d;
	extract("<ul>"
		"<li><a href=\"./202601/t20260119_3001.html\">2025年度政府网站工作年度报表</a>[01-19]</li>"
		"<li><a href=\"./201901/t20190120_1002.html\">2018年度政府网站工作年度报表</a>[01-20]</li>"
		"</ul>", "2026-12-07", &d);
	kp_inspect_date newest = 0;
	for (size_t i = 0; i < d.nitems; i++)
		if (d.items[i].date > newest)
			newest = d.items[i].date;
	assert_int_equal(newest, D("2026-01-19"));
	kp_inspect_doc_release(&d);
}

/* A list sorted some other way (by title): its year-less dates turn the
 * year too often to be read as newest first; each takes the as-of day's
 * year, as before. */
static void test_unordered_list(void **st)
{
	(void)st;
	expect_items(
		"<ul>"
		"<li><a href=\"1.html\">安全生产委员会工作规则全文发布</a>[03-01]</li>"
		"<li><a href=\"2.html\">办公室关于节假日值班安排的通知</a>[05-01]</li>"
		"<li><a href=\"3.html\">城市管理局关于道路施工的公告</a>[02-01]</li>"
		"<li><a href=\"4.html\">地方志办公室年鉴编纂工作情况</a>[06-01]</li>"
		"</ul>", "2026-12-07",
		"2026-03-01 as_of; 2026-05-01 as_of; 2026-02-01 as_of; 2026-06-01 as_of");
}

/* The page's own date: a label, an unlabelled stamp, PubDate last. */
static void expect_page_date(const char *html, const char *want, const char *src)
{
	kp_inspect_doc d;
	char b[16];
	extract(html, "2026-12-07", &d);
	assert_string_equal(kp_inspect_date_str(d.labelled_date, b), want);
	assert_string_equal(kp_inspect_date_source_name(d.labelled_source), src);
	kp_inspect_doc_release(&d);
}

static void test_page_date(void **st)
{
	(void)st;
	expect_page_date("<div class=\"info\"><span id=\"pubTime\">2021年06月10日 17:35</span></div><p>正文</p>",
			 "2021-06-10", "stamp");
	expect_page_date("<ul class=\"xx\"><li>2020年09月15日 09时32分</li><li>来源：市政府办公室</li></ul>",
			 "2020-09-15", "stamp");
	expect_page_date("<p>公告时间：2024-05-06</p>", "2024-05-06", "label");
	expect_page_date("<p>留言时间：2024年3月2日</p><p>回复：已转办</p>", "2024-03-02", "label");
	/* PubDate two years after the visible date (the page's generation
	 * time): the visible one is what a person reads */
	expect_page_date("<meta name=\"PubDate\" content=\"2023-08-01 10:00\">"
			 "<p>发布日期：2021-07-30</p>", "2021-07-30", "label");
	expect_page_date("<meta name=\"PubDate\" content=\"2023-08-01 10:00\">"
			 "<span>2021-07-30 08:15:00</span>", "2021-07-30", "stamp");
	expect_page_date("<meta name=\"PubDate\" content=\"2023-08-01 10:00\"><p>正文</p>",
			 "2023-08-01", "meta");
	/* a date in a sentence is not a stamp */
	expect_page_date("<p>会议于2021年06月10日 17:35在市政府召开</p>", "", "");
}

/* A directory of departments: 44 short names, undated, all counted; a
 * sidebar of 3 short links beside a list is not. */
static void test_directory(void **st)
{
	(void)st;
	static const char *const names[] = { "市发展改革委", "市教育局", "市科技局", "市民政局",
		"市司法局", "市财政局" };
	kp_buf b;
	kp_inspect_doc d;
	kp_buf_init(&b, 0);
	kp_buf_adds(&b, "<ul class=\"side\"><li><a href=\"/x1\">机构概况</a></li><li><a href=\"/x2\">领导分工</a></li><li><a href=\"/x3\">内设机构</a></li></ul><ul class=\"bm\">");
	for (int i = 0; i < 44; i++)
		kp_buf_addf(&b, "<li><a href=\"/bm/%d/\">%s%s</a></li>", i, names[i % 6],
			      i < 6 ? "" : "分局");
	kp_buf_adds(&b, "</ul>");
	extract(b.data, "2026-12-07", &d);
	assert_int_equal(d.nitems, 44);
	assert_string_equal(d.items[0].text, "市发展改革委");
	assert_int_equal(d.items[0].date, 0);
	kp_inspect_doc_release(&d);
	kp_buf_release(&b);
}

static void test_url_date(void **st)
{
	(void)st;
	int y;
	assert_int_equal(kp_inspect_url_date("./202603/t20260321_110216.html", 31, &y), D("2026-03-21"));
	assert_int_equal(y, 2026);
	assert_int_equal(kp_inspect_url_date("/a/201901/xyz.html", 18, &y), 0);
	assert_int_equal(y, 2019);
	assert_int_equal(kp_inspect_url_date("/a/2019013/xyz.html", 19, &y), 0);
	assert_int_equal(y, 0);
	assert_int_equal(kp_inspect_url_date("/a/x.html?t20260321_1", 21, &y), 0);
	assert_int_equal(y, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_from_url),
		cmocka_unit_test(test_year_from_order),
		cmocka_unit_test(test_order_across_new_year),
		cmocka_unit_test(test_annual_report_column),
		cmocka_unit_test(test_unordered_list),
		cmocka_unit_test(test_page_date),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_url_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
