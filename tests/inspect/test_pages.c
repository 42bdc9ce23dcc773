/* Pages of the shapes real government sites have (issue 13), each built
 * here and read by the extractor: what a person reads on it is what the
 * test pins — a list's dates with their years, where each year came
 * from, the page's own date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- footers ---- */

typedef struct foot_want {
	const char *code, *icp, *police, *sponsor, *contact;
} foot_want;

static void check_str(const char *what, const char *got, const char *want)
{
	if (!want != !got || (got && strcmp(got, want)))
		fail_msg("%s: got %s, want %s", what, got ? got : "NULL",
			 want ? want : "NULL");
}

static void expect_footer_doc(kp_inspect_doc *d, foot_want w, const char *from_script)
{
	kp_inspect_footer f;
	memset(&f, 0, sizeof(f));
	kp_inspect_footer_read(d, &f);
	check_str("网站标识码", f.site_id_code, w.code);
	check_str("ICP", f.icp, w.icp);
	check_str("公安备案", f.police_record, w.police);
	check_str("主办单位", f.sponsor, w.sponsor);
	check_str("联系方式", f.contact, w.contact);
	check_str("from_script", f.from_script, from_script);
	free(f.site_id_code);
	free(f.icp);
	free(f.police_record);
	free(f.sponsor);
	free(f.contact);
	free(f.from_script);
}

static void expect_footer(const char *html, foot_want w)
{
	kp_inspect_doc d;
	extract(html, "2026-12-07", &d);
	expect_footer_doc(&d, w, NULL);
	kp_inspect_doc_release(&d);
}

static void test_footer_inline_split(void **st)
{
	(void)st;
	/* inline elements joined without a space */
	expect_footer("<div class=\"footer\"><p>版权所有：北京市某局</p>"
		      "<p>京<span>ICP</span>备<span>19054529</span>号<span>-1</span></p></div>",
		      (foot_want){ NULL, "京ICP备19054529号-1", NULL, NULL, NULL });
	/* numbers by their own grammar, not label to space */
	expect_footer("<div class=\"foot\"><p>ICP备案号：<a href=\"https://beian.miit.gov.cn\">粤ICP备2022092331号-1</a></p>"
		      "<p><a href=\"#\">桂公网安备 45010302001240</a>　<a href=\"#\">桂ICP备06001517号-1</a></p></div>",
		      (foot_want){ NULL, "粤ICP备2022092331号-1", "桂公网安备 45010302001240", NULL, NULL });
}

static void test_footer_region(void **st)
{
	(void)st;
	/* a one-digit number, and "ICP备" at the very end */
	expect_footer("<p>版权所有 京ICP备1号</p>", (foot_want){ NULL, "京ICP备1号", NULL, NULL, NULL });
	expect_footer("<p>版权所有 京ICP备</p>", (foot_want){ NULL, NULL, NULL, NULL, NULL });
	/* the bundled test site's footer */
	expect_footer("<div class=\"footer\">\n"
		      "<a href=\"/sitemap.html\">网站地图</a> | <a href=\"/contact.html\">联系我们</a>\n"
		      "<p>主办单位：示例市人民政府办公室 联系电话：0812-1234567</p>\n"
		      "<p>网站标识码：5101000001 <a href=\"https://beian.miit.gov.cn/\">蜀ICP备05001234号-1</a> "
		      "川公网安备 51040202000123号</p>\n"
		      "<a href=\"https://bszs.conac.cn/sitename?method=show&amp;id=123\"><img src=\"/img/dzjg.png\" alt=\"党政机关\"></a>\n"
		      "</div>\n",
		      (foot_want){ "5101000001", "蜀ICP备05001234号-1", "川公网安备 51040202000123号",
				   "示例市人民政府办公室", "0812-1234567" });
	/* an article's 主办单位 and 联系方式 are not the footer's */
	expect_footer("<div class=\"nav\"><a href=\"/lxfs\">联系方式</a><a href=\"/x\">机构设置</a></div>"
		      "<div class=\"article\"><p>主办单位：教育部思想政治工作司</p>"
		      "<p>联系方式：021-34206231</p>"
		      "<p>" "这是一段很长的正文。这是一段很长的正文。这是一段很长的正文。这是一段很长的正文。这是一段很长的正文。"
		      "这是一段很长的正文。这是一段很长的正文。这是一段很长的正文。这是一段很长的正文。这是一段很长的正文。</p></div>"
		      "<div class=\"footer\"><p>主办单位：青岚市人民政府办公室　承办单位：青岚市大数据中心</p>"
		      "<p>联系电话：0532-85911000</p><p>网站标识码：3702000001</p></div>",
		      (foot_want){ "3702000001", NULL, NULL, "青岚市人民政府办公室", "0532-85911000" });
	/* a sponsor without a label */
	expect_footer("<div class=\"bottom\"><p class=\"left\">青岛政务网版权所有</p>"
		      "<p class=\"right\">中共青岛市委、青岛市人民政府主办</p></div>",
		      (foot_want){ NULL, NULL, NULL, "中共青岛市委、青岛市人民政府", NULL });
}

/* A UTF-16LE file declaring gb2312: the BOM decides. */
static void test_utf16_bom(void **st)
{
	(void)st;
	const char *src = "<html><head><meta charset=\"gb2312\"><title>某省人民政府</title></head>"
			  "<body><p>网站标识码：4400000001</p></body></html>";
	kp_buf u16, out;
	const char *cs;
	kp_inspect_doc d;
	kp_buf_init(&u16, 0);
	kp_buf_init(&out, 0);
	kp_buf_add(&u16, "\xFF\xFE", 2);
	/* UTF-8 to UTF-16LE (the BMP is enough here) */
	for (const unsigned char *p = (const unsigned char *)src; *p;) {
		unsigned cp;
		if (*p < 0x80) {
			cp = *p++;
		} else if (*p < 0xE0) {
			cp = (unsigned)(*p & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else {
			cp = (unsigned)(*p & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		}
		char u[2] = { (char)(cp & 0xFF), (char)(cp >> 8) };
		kp_buf_add(&u16, u, 2);
	}
	assert_false(kp_inspect_utf8_in_place(u16.data, u16.len, "text/html"));
	assert_int_equal(kp_inspect_to_utf8(u16.data, u16.len, "text/html", &out, &cs), 0);
	assert_string_equal(cs, "UTF-16LE");
	extract(out.data, "2026-12-07", &d);
	assert_string_equal(d.title, "某省人民政府");
	expect_footer_doc(&d, (foot_want){ "4400000001", NULL, NULL, NULL, NULL }, NULL);
	kp_inspect_doc_release(&d);
	kp_buf_release(&u16);
	kp_buf_release(&out);
}

/* A footer written by a same-site script. */
static void test_footer_script(void **st)
{
	(void)st;
	const char *js =
		"var y = 2026;\n"
		"document.write('<div class=\"foot\"><p>主办单位：湘潭市人民政府办公室'\n"
		"  + '　承办：市大数据中心</p>');\n"
		"document.write(\"<p><span>网站标识码: 4303000006</span> 湘ICP备05003517号 \" + y + \"</p>\");\n"
		"document.writeln('<p>湘公网安备 43030202000133号<\\/p><\\/div>');\n"
		"document.write(unescape(\"%3Cspan id='_ideConac'%3E%3C/span%3E%3Cscript type='text/javascript'%3E%3C/script%3E\"));\n";
	char *html = kp_inspect_script_html(js, strlen(js));
	assert_non_null(html);
	assert_non_null(strstr(html, "<span id='_ideConac'></span>"));
	assert_non_null(strstr(html, "湘ICP备05003517号 </p>"));
	free(html);
	kp_inspect_doc d;
	extract("<html><body><div class=\"main\"><p>正文</p></div>"
		"<script src=\"/static/js/foot.js\" charset=\"gb2312\"></script></body></html>",
		"2026-12-07", &d);
	kp_inspect_doc_add_script(&d, "http://www.xiangtan.gov.cn/static/js/foot.js", js, strlen(js));
	assert_true(d.script_party_mark);
	expect_footer_doc(&d, (foot_want){ "4303000006", "湘ICP备05003517号",
					   "湘公网安备 43030202000133号",
					   "湘潭市人民政府办公室", NULL },
			  "http://www.xiangtan.gov.cn/static/js/foot.js");
	kp_inspect_doc_release(&d);
}

/* A letter page of a 留言/信箱 column: its date and whether it has a
 * reply (interaction.c). */
static void test_letter(void **st)
{
	(void)st;
	static const struct {
		const char *text, *date;
		bool replied;
	} v[] = {
		{ "来信日期：2026-07-01 来信内容：停车难 状态：未回复", "2026-07-01", false },
		{ "留言时间：2026-05-10 14:20 请问何时开通地铁？", "2026-05-10", false },
		{ "来信时间 2026年3月2日 回复内容：暂无回复", "2026-03-02", false },
		{ "来信日期：2026-08-01 回复单位：市住建局 回复时间：2026-08-10 回复内容：已协调。", "2026-08-01", true },
		{ "发布时间：2026-08-01 关于停车难问题的回复", "", false },
		{ "来信日期：2027-01-01 来信内容", "", false },   /* after the as-of day */
	};
	kp_inspect_date as_of = kp_inspect_date_parse("2026-12-07");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		kp_inspect_date d;
		bool replied;
		char buf[16];
		kp_inspect_letter_read(v[i].text, strlen(v[i].text), as_of, &d, &replied);
		assert_string_equal(kp_inspect_date_str(d, buf), v[i].date);
		assert_int_equal(replied, v[i].replied);
	}
}

/* ---- classification and titles ---- */

static void test_classes(void **st)
{
	(void)st;
	assert_string_equal(kp_inspect_column_class("市长信箱"), "互动交流");
	assert_string_equal(kp_inspect_column_class("领导信息"), "领导信息");
	assert_string_equal(kp_inspect_column_class("市退役军人事务局机构职能"), "机构职能");
	assert_string_equal(kp_inspect_column_class("市退役军人事务局"), "其他");
	assert_string_equal(kp_inspect_column_class("人事信息"), "人事信息");
	assert_string_equal(kp_inspect_column_class("退役军人事务局人事任免"), "人事信息");
}

static void test_titles(void **st)
{
	(void)st;
	size_t n;
	const kp_inspect_check_info *ci = kp_inspect_checks(&n);
	assert_string_equal(kp_inspect_check_title("column.updated"), "栏目更新");
	assert_string_equal(kp_inspect_check_title("links.dead"), "死链");
	assert_string_equal(kp_inspect_check_title("homepage.updated"), "首页更新");
	for (size_t i = 0; i < n; i++) {
		/* every check has a Chinese title, and no label names an id */
		assert_non_null(ci[i].title);
		assert_true((unsigned char)ci[i].title[0] >= 0x80);
		for (size_t k = 0; k < n; k++)
			if (strstr(ci[i].label, ci[k].name))
				fail_msg("%s: label names an id: %s", ci[i].name, ci[i].label);
	}
}

/* ---- content checks ---- */

static void test_id_numbers(void **st)
{
	(void)st;
	assert_true(kp_inspect_id_valid("510402199001011234", D("2026-12-07")));
	assert_true(kp_inspect_id_valid("11010519491231002X", D("2026-12-07")));
	assert_true(kp_inspect_id_valid("11010519491231002x", D("2026-12-07")));
	assert_false(kp_inspect_id_valid("510402199001011235", D("2026-12-07")));  /* check digit */
	assert_false(kp_inspect_id_valid("510402199002301233", D("2026-12-07")));  /* 02-30 */
	assert_false(kp_inspect_id_valid("510402203001011233", D("2026-12-07")));  /* born 2030 */
	assert_true(kp_inspect_luhn("6222021000123456781", 19));
	assert_false(kp_inspect_luhn("6222021000123456782", 19));
}

/* The hits of a page's text as "kind value fix | …" */
static char *hits_str(const char *html)
{
	kp_inspect_doc d;
	kp_buf b;
	extract(html, "2026-12-07", &d);
	kp_buf_init(&b, 0);
	for (size_t i = 0; i < d.nhits; i++)
		kp_buf_addf(&b, "%s%s %s%s%s", i ? " | " : "",
			    kp_inspect_hit_label(d.hits[i].kind), d.hits[i].value,
			    d.hits[i].fix ? " → " : "", d.hits[i].fix ? d.hits[i].fix : "");
	kp_inspect_doc_release(&d);
	kp_buf_adds(&b, "");
	return kp_buf_detach(&b);
}

static void expect_hits(const char *html, const char *want)
{
	char *got = hits_str(html);
	if (strcmp(got, want))
		fail_msg("hits:\n got  %s\n want %s", got, want);
	free(got);
}

/* The scan tests every other character in a run of Chinese text (a
 * character that is neither a word's first nor its second is passed
 * over with the one after it): each word is found wherever it stands —
 * after 0 to 5 other characters, after ASCII or a number, at the very
 * end, twice in a row — and an office's words too, one of them with an
 * ASCII second character (every character tested then). */
static size_t scan_count(const kp_inspect_words *w, const char *text, const char *value)
{
	kp_inspect_hit *h = NULL;
	size_t nh = 0, found = 0;
	kp_inspect_content_scan_words(w, text, strlen(text), D("2026-12-07"), &h, &nh);
	for (size_t i = 0; i < nh; i++)
		found += !strcmp(h[i].value, value);
	kp_inspect_hits_free(h, nh);
	return found;
}

static void test_scan_alignment(void **st)
{
	(void)st;
	static const char *const words[] = { "再接再励", "按装", "台湾政府", "青岚市大数据局", "青A办" };
	static const char *const before[] = { "", "国", "国家", "国家发", "国家发展", "国家发展改",
					      "a", "ab ", "2024年", "（" };
	static const char *const after[] = { "", "。", "工作", "x", "同志们好" };
	char path[] = "/tmp/kp-words-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *csv = "wrong,correct\n青岚市大数据局,青岚市大数据发展管理局\n青A办,青岚办\n";
	assert_int_equal(write(fd, csv, strlen(csv)), (ssize_t)strlen(csv));
	close(fd);
	kp_inspect_words *w = NULL;
	kp_err e;
	assert_int_equal(kp_inspect_words_load(&w, path, &e), 0);
	unlink(path);
	assert_int_equal(kp_inspect_words_count(w), 2);
	char text[256];
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		for (size_t b = 0; b < sizeof(before) / sizeof(before[0]); b++)
			for (size_t a = 0; a < sizeof(after) / sizeof(after[0]); a++) {
				bool office = k >= 3;
				snprintf(text, sizeof(text), "%s%s%s", before[b], words[k], after[a]);
				if (scan_count(w, text, words[k]) != 1)
					fail_msg("“%s”: “%s” not found once", text, words[k]);
				if (scan_count(NULL, text, words[k]) != !office)
					fail_msg("“%s”: without the office's list", text);
				/* twice in a row: one hit (each value once a page) */
				snprintf(text, sizeof(text), "%s%s%s%s", before[b], words[k], words[k],
					 after[a]);
				if (scan_count(w, text, words[k]) != 1)
					fail_msg("“%s”: twice", text);
			}
	kp_inspect_words_free(w);
}

static void test_pii(void **st)
{
	(void)st;
	expect_hits("<table><tr><td>张三</td><td>510402199001011234</td><td>13812345678</td></tr>"
		    "<tr><td>李四</td><td>510402199001011235</td><td>6222021000123456781</td></tr></table>",
		    "公民身份号码 5104**********1234 | 手机号码 138****5678 | 银行卡号 622202*********6781");
	/* numbers inside others, or joined to letters, are none of these */
	expect_hits("<p>文号 t20190120_510402199001011234 和 A13812345678、13812345678901、0812-13812345678x</p>", "");
	/* the snippet shows the number masked */
	kp_inspect_doc d;
	extract("<p>低保对象公示：王五，身份证号510402199001011234，家住某街道。</p>", "2026-12-07", &d);
	assert_int_equal(d.nhits, 1);
	assert_non_null(strstr(d.hits[0].snippet, "身份证号5104**********1234，家住"));
	assert_null(strstr(d.hits[0].snippet, "199001011234"));
	kp_inspect_doc_release(&d);
}

static void test_wording_and_typos(void **st)
{
	(void)st;
	expect_hits("<p>会见台湾政府代表团。深入学习中国特色社会主意理论。</p>",
		    "严重表述错误 台湾政府 → 台湾当局（涉台表述） | 严重表述错误 中国特色社会主意 → 中国特色社会主义（党的规范表述）");
	expect_hits("<p>全体干部再接再励，截止目前已完成。</p>",
		    "疑似错别字 再接再励 → 再接再厉 | 疑似错别字 截止目前 → 截至目前");
	/* a context rule: 既使得……又…… is right */
	expect_hits("<p>既使得群众满意，又使得企业方便。即使下雨也要去。</p>", "");
	expect_hits("<p>既使下雨也要去。</p>", "疑似错别字 既使 → 即使");
}

/* Random texts of the pieces the footer, date, content and script
 * readers look for (a fixed seed): under the sanitizers, none reads
 * outside its input, and each ends. */
static void test_fuzz_readers(void **st)
{
	(void)st;
	static const char *const frags[] = {
		"ICP备", "公网安备", "主办", "主办单位：", "网站标识码", "版权所有", "\n", "　",
		"：", "号", "-1", "4501030200124", "510402199001011234", "6222021000123456781",
		"13812345678", "[12-30]", "t20251113_", "/201901/", "台湾政府", "再接再励",
		"既使", "2021年06月10日 17:35", "<span>", "</span>", "<p>", "<li><a href=\"./202601/t2026",
		"document.write(", "unescape(", "%u4e2d", "%3C", "\\u4e2d", "\\x3c", "'", "\"",
		"+", "\\", ")", ";", "京", "9", "中",
	};
	unsigned seed = 12345;
	for (int i = 0; i < 400; i++) {
		kp_buf b;
		kp_inspect_doc d;
		kp_inspect_footer ft;
		kp_buf_init(&b, 0);
		seed = seed * 1103515245 + 12345;
		int n = 1 + (int)(seed >> 16) % 120;
		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			kp_buf_adds(&b, frags[(seed >> 16) % (sizeof(frags) / sizeof(frags[0]))]);
		}
		extract(b.data, "2026-12-07", &d);
		kp_inspect_doc_add_script(&d, "http://x/f.js", b.data, b.len);
		memset(&ft, 0, sizeof(ft));
		kp_inspect_footer_read(&d, &ft);
		free(ft.site_id_code);
		free(ft.icp);
		free(ft.police_record);
		free(ft.sponsor);
		free(ft.contact);
		free(ft.from_script);
		kp_inspect_doc_release(&d);
		kp_buf_release(&b);
	}
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
		cmocka_unit_test(test_footer_inline_split),
		cmocka_unit_test(test_footer_region),
		cmocka_unit_test(test_utf16_bom),
		cmocka_unit_test(test_footer_script),
		cmocka_unit_test(test_letter),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_id_numbers),
		cmocka_unit_test(test_pii),
		cmocka_unit_test(test_scan_alignment),
		cmocka_unit_test(test_wording_and_typos),
		cmocka_unit_test(test_fuzz_readers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
