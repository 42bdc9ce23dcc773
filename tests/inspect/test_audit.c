/* Unit tests of src/inspect for what an audit found asserted nowhere:
 * the defaults of kp_inspect_opts_init (the national rules time a failed visit
 * at 15 seconds, after 3 retries), all eight government meta tags, and
 * the kinds of <script src>, <link href> and the attachment extensions. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect.h"

#include <stdlib.h>
#include <string.h>

static const kp_inspect_link *find_link(const kp_inspect_doc *d, const char *url)
{
	for (size_t i = 0; i < d->nlinks; i++)
		if (!strcmp(d->links[i].url, url))
			return &d->links[i];
	return NULL;
}

/* The kind of the link to url, or -1 when the page has none. */
static int kind_of(const kp_inspect_doc *d, const char *url)
{
	const kp_inspect_link *l = find_link(d, url);
	return l ? l->kind : -1;
}

static void test_opts_defaults(void **st)
{
	(void)st;
	kp_inspect_opts o;
	kp_inspect_opts_init(&o);
	assert_int_equal(o.timeout_ms, 15000);   /* 15 s per visit */
	assert_int_equal(o.retries, 3);          /* then 3 retries */
	/* the whole site by default: safety caps, not a cut (issue 13) */
	assert_int_equal(o.max_depth, 64);
	assert_int_equal(o.max_pages, 1000000);
	assert_int_equal(o.max_body, (size_t)8 << 20);
	assert_int_equal(o.delay_ms, 0);
	assert_false(o.ignore_robots);
	assert_false(o.external);
}

static void test_meta_tags(void **st)
{
	(void)st;
	static const char html[] =
		"<html><head><meta charset=\"utf-8\"><title>文章</title>\n"
		"<meta name=\"SiteName\" content=\"示例市人民政府\">\n"
		"<meta name=\"SiteDomain\" content=\"www.example.gov.cn\">\n"
		"<meta name=\"SiteIDCode\" content=\"5101000001\">\n"
		"<meta name=\"ColumnName\" content=\"通知公告\">\n"
		"<meta name=\"ColumnType\" content=\"通知公告类\">\n"
		"<meta name=\"ArticleTitle\" content=\"关于做好防汛工作的通知\">\n"
		"<meta name=\"PubDate\" content=\"2024-06-01 08:00\">\n"
		"<meta name=\"ContentSource\" content=\"示例市应急管理局\">\n"
		"</head><body><p>正文</p></body></html>\n";
	static const char *const want[KP_INSPECT_META_COUNT] = {
		"示例市人民政府", "www.example.gov.cn", "5101000001", "通知公告",
		"通知公告类", "关于做好防汛工作的通知", "2024-06-01 08:00",
		"示例市应急管理局",
	};
	static const char *const names[KP_INSPECT_META_COUNT] = {
		"SiteName", "SiteDomain", "SiteIDCode", "ColumnName",
		"ColumnType", "ArticleTitle", "PubDate", "ContentSource",
	};
	kp_inspect_doc d;
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(html, strlen(html), kp_inspect_date_parse("2024-06-30"), 0, &d);
	for (int k = 0; k < KP_INSPECT_META_COUNT; k++) {
		assert_string_equal(kp_inspect_meta_name(k), names[k]);
		assert_non_null(d.meta[k]);
		assert_string_equal(d.meta[k], want[k]);
	}
	/* PubDate dates a page that has no 发布时间 label */
	assert_int_equal(d.labelled_date, kp_inspect_date_parse("2024-06-01"));
	kp_inspect_doc_release(&d);

	/* absent tags stay NULL */
	static const char bare[] = "<html><head><title>x</title></head><body></body></html>";
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(bare, strlen(bare), kp_inspect_date_parse("2024-06-30"), 0, &d);
	for (int k = 0; k < KP_INSPECT_META_COUNT; k++)
		assert_null(d.meta[k]);
	kp_inspect_doc_release(&d);
}

static void test_link_kinds(void **st)
{
	(void)st;
	static const char html[] =
		"<html><head>\n"
		"<script src=\"/js/jquery.js\"></script>\n"
		"<script type=\"text/javascript\" src=\"/js/common.js\"></script>\n"
		"<link rel=\"stylesheet\" href=\"/css/main.css\">\n"
		"<link rel=\"Stylesheet\" type=\"text/css\" href=\"/css/print.css\" media=\"print\">\n"
		"<link rel=\"shortcut icon\" href=\"/favicon.ico\">\n"
		"</head><body>\n"
		"<a href=\"/files/申请表.docx\">申请表</a>\n"
		"<a href=\"/files/统计表.xls\">统计表</a>\n"
		"<a href=\"/files/材料.zip\">材料</a>\n"
		"<a href=\"/files/图纸.rar\">图纸</a>\n"
		"<a href=\"/files/通知.wps\">通知</a>\n"
		"<a href=\"/files/UPPER.DOCX\">大写扩展名</a>\n"
		"<a href=\"/files/plan.pdf?v=2\">带参数</a>\n"
		"<a href=\"/col/zip.html\">不是附件</a>\n"
		"</body></html>\n";
	kp_inspect_doc d;
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(html, strlen(html), kp_inspect_date_parse("2024-06-30"), 0, &d);
	assert_int_equal(kind_of(&d, "/js/jquery.js"), KP_INSPECT_LINK_SCRIPT);
	assert_int_equal(kind_of(&d, "/js/common.js"), KP_INSPECT_LINK_SCRIPT);
	assert_int_equal(kind_of(&d, "/css/main.css"), KP_INSPECT_LINK_STYLE);
	assert_int_equal(kind_of(&d, "/css/print.css"), KP_INSPECT_LINK_STYLE);
	assert_int_equal(kind_of(&d, "/favicon.ico"), KP_INSPECT_LINK_IMAGE);
	assert_int_equal(kind_of(&d, "/files/申请表.docx"), KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(kind_of(&d, "/files/统计表.xls"), KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(kind_of(&d, "/files/材料.zip"), KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(kind_of(&d, "/files/图纸.rar"), KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(kind_of(&d, "/files/通知.wps"), KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(kind_of(&d, "/files/UPPER.DOCX"), KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(kind_of(&d, "/files/plan.pdf?v=2"), KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(kind_of(&d, "/col/zip.html"), KP_INSPECT_LINK_PAGE);
	/* what a report calls them */
	assert_string_equal(kp_inspect_link_kind_name(KP_INSPECT_LINK_SCRIPT), "script");
	assert_string_equal(kp_inspect_link_kind_label(KP_INSPECT_LINK_SCRIPT), "脚本");
	assert_string_equal(kp_inspect_link_kind_name(KP_INSPECT_LINK_STYLE), "style");
	assert_string_equal(kp_inspect_link_kind_label(KP_INSPECT_LINK_STYLE), "样式");
	assert_string_equal(kp_inspect_link_kind_name(KP_INSPECT_LINK_ATTACHMENT), "attachment");
	assert_string_equal(kp_inspect_link_kind_label(KP_INSPECT_LINK_ATTACHMENT), "附件");
	kp_inspect_doc_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_defaults),
		cmocka_unit_test(test_meta_tags),
		cmocka_unit_test(test_link_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
