/* Unit tests of src/inspect: dates, charsets, URLs, the tokenizer against
 * libxml2's HTML parser (the reference) on every fixture page, the
 * extractor, column classes, and a fuzzer over the tokenizer. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect.h"

#include <dirent.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

static kp_inspect_date D(const char *s)
{
	return kp_inspect_date_parse(s);
}

/* ---- dates ---- */

static void test_dates(void **st)
{
	(void)st;
	static const struct { const char *text, *as_of, *want; } cases[] = {
		{ "发布时间：2023-07-13", "2024-06-30", "2023-07-13" },
		{ "2023年07月13日", "2024-06-30", "2023-07-13" },
		{ "2023年7月3日 星期一", "2024-06-30", "2023-07-03" },
		{ "2023/7/13", "2024-06-30", "2023-07-13" },
		{ "2023.07.13", "2024-06-30", "2023-07-13" },
		{ "[07-13]", "2024-06-30", "2023-07-13" },   /* after as_of: last year */
		{ "[06-13]", "2024-06-30", "2024-06-13" },
		{ "(06-29)", "2024-06-30", "2024-06-29" },
		{ "标题 2022-01-05 与 2023-02-01", "2024-06-30", "2023-02-01" },
		{ "2023-02-30", "2024-06-30", "" },          /* no such day */
		{ "2025-01-01", "2024-06-30", "" },          /* future */
		{ "电话 0812-1234567", "2024-06-30", "" },
		{ "第12345-2023-07-13号", "2024-06-30", "" },
		{ "20230713", "2024-06-30", "" },
		{ "2023-7-13 10:00", "2024-06-30", "2023-07-13" },
		{ "2024-06-30", "2024-06-30", "2024-06-30" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char b[16];
		kp_inspect_date d = kp_inspect_date_find(cases[i].text, strlen(cases[i].text),
					   D(cases[i].as_of));
		if (strcmp(kp_inspect_date_str(d, b), cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].text, b,
				 cases[i].want);
	}
	assert_int_equal(D("2024-02-29") - D("2023-02-28"), 366);
}

/* ---- charsets ---- */

static void test_charsets(void **st)
{
	(void)st;
	kp_buf b = KP_BUF_INIT;
	const char *cs;
	/* 国家 in GBK, declared in <meta> only */
	const char gb[] = "<meta charset=gb2312><p>\xb9\xfa\xbc\xd2</p>";
	kp_inspect_to_utf8(gb, strlen(gb), "text/html", &b, &cs);
	assert_string_equal(cs, "GB18030");
	assert_non_null(strstr(b.data, "国家"));
	kp_buf_reset(&b);
	/* header wins over meta */
	kp_inspect_to_utf8(gb, strlen(gb), "text/html; charset=GBK", &b, &cs);
	assert_string_equal(cs, "GB18030");
	kp_buf_reset(&b);
	/* BOM wins */
	kp_inspect_to_utf8("\xEF\xBB\xBF中", 6, "text/html; charset=gbk", &b, &cs);
	assert_string_equal(b.data, "中");
	kp_buf_reset(&b);
	/* undeclared and not UTF-8: GB18030 */
	kp_inspect_to_utf8("\xd6\xd0", 2, NULL, &b, &cs);
	assert_string_equal(b.data, "中");
	kp_buf_reset(&b);
	/* bad GBK bytes: U+FFFD, never an error, output valid UTF-8 */
	const char bad[] = "\xb9\xfa\xff\xff\x81\x30\xa1";
	kp_inspect_to_utf8(bad, sizeof(bad) - 1, "text/html; charset=gbk", &b, &cs);
	assert_int_equal(kp_utf8_valid_prefix(b.data, b.len), b.len);
	assert_non_null(strstr(b.data, "国"));
	assert_non_null(strstr(b.data, "\xEF\xBF\xBD"));
	kp_buf_reset(&b);
	/* bad UTF-8: surrogates, overlong, truncated */
	const char bu[] = "a\xed\xa0\x80" "b\xc0\xaf" "c\xf4\x90\x80\x80" "d\xe4\xb8";
	kp_inspect_to_utf8(bu, sizeof(bu) - 1, "text/html; charset=utf-8", &b, &cs);
	assert_int_equal(kp_utf8_valid_prefix(b.data, b.len), b.len);
	assert_non_null(strstr(b.data, "a"));
	assert_non_null(strstr(b.data, "d"));
	kp_buf_release(&b);
}

/* ---- URLs ---- */

static void test_urls(void **st)
{
	(void)st;
	static const struct { const char *base, *ref, *want; } cases[] = {
		{ "http://a.gov.cn/x/y.html", "z.html", "http://a.gov.cn/x/z.html" },
		{ "http://a.gov.cn/x/y.html", "../z.html", "http://a.gov.cn/z.html" },
		{ "http://a.gov.cn/x/", "/p?q=1#frag", "http://a.gov.cn/p?q=1" },
		{ "http://A.GOV.CN:80/", "/p", "http://a.gov.cn/p" },
		{ "https://a.gov.cn/", "//b.gov.cn/p", "https://b.gov.cn/p" },
		{ "http://a.gov.cn/", "/p;jsessionid=ABC", "http://a.gov.cn/p" },
		{ "http://a.gov.cn/", "/p?sid=1&id=2&PHPSESSID=x", "http://a.gov.cn/p?id=2" },
		{ "http://a.gov.cn/", " /p.html\n", "http://a.gov.cn/p.html" },
		{ "http://a.gov.cn/", "/附件.pdf", "http://a.gov.cn/%E9%99%84%E4%BB%B6.pdf" },
		{ "http://a.gov.cn/", "\\p\\q.html", "http://a.gov.cn/p/q.html" },
		{ "http://a.gov.cn/x/y.html?p=1", "?p=2", "http://a.gov.cn/x/y.html?p=2" },
		{ "http://a.gov.cn/x/y.html", "./a/../b.html", "http://a.gov.cn/x/b.html" },
		{ "http://a.gov.cn/x/y.html", "../../../b.html", "http://a.gov.cn/b.html" },
		{ "http://a.gov.cn/", "http://b.gov.cn", "http://b.gov.cn/" },
		{ "http://a.gov.cn/", "HTTPS://X.CN:443/a", "https://x.cn/a" },
		{ "http://a.gov.cn/", "http://u:p@h.cn:8080/a/./b/../c", "http://h.cn:8080/a/c" },
		{ "http://a.gov.cn/", "http://<bad>/", NULL },
		{ "http://a.gov.cn/", "javascript:void(0)", NULL },
		{ "http://a.gov.cn/", "mailto:x@a.gov.cn", NULL },
		{ "http://a.gov.cn/", "#top", NULL },
		{ "http://a.gov.cn/", "\"+_sPageName+\".\"+_sPageExt", NULL },
		{ "http://a.gov.cn/", "'+url+'", NULL },
		{ "http://a.gov.cn/", "ftp://a.gov.cn/f", NULL },
		{ "http://a.gov.cn/", "", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = kp_inspect_url_resolve(cases[i].base, cases[i].ref);
		if (!cases[i].want != !got ||
		    (got && strcmp(got, cases[i].want)))
			fail_msg("%s + %s: got %s, want %s", cases[i].base,
				 cases[i].ref, got ? got : "NULL",
				 cases[i].want ? cases[i].want : "NULL");
		free(got);
	}
	assert_non_null(kp_inspect_url_trap("http://a.gov.cn/a/b/a/c/a/d.html"));
	assert_non_null(kp_inspect_url_trap("http://a.gov.cn/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17"));
	assert_null(kp_inspect_url_trap("http://a.gov.cn/art/2024/6/28/art_1_1.html"));
	char h[64];
	assert_true(kp_inspect_url_host("http://A.gov.cn:8080/x", h, sizeof(h)));
	assert_string_equal(h, "a.gov.cn:8080");
}

/* ---- tokenizer ---- */

static int serialize(const kp_inspect_token *t, void *ctx)
{
	kp_buf *b = ctx;
	switch (t->type) {
	case KP_INSPECT_TOK_START:
		kp_buf_addf(b, "<%s", t->name);
		for (size_t i = 0; i < t->nattrs; i++)
			kp_buf_addf(b, " %s=[%s]", t->attrs[i].name, t->attrs[i].value);
		kp_buf_adds(b, t->self_closing ? "/>" : ">");
		break;
	case KP_INSPECT_TOK_END:
		kp_buf_addf(b, "</%s>", t->name);
		break;
	case KP_INSPECT_TOK_TEXT:
		kp_buf_adds(b, "T[");
		kp_buf_add(b, t->text, t->len);
		kp_buf_adds(b, "]");
		break;
	case KP_INSPECT_TOK_COMMENT:
		kp_buf_adds(b, "C[");
		kp_buf_add(b, t->text, t->len);
		kp_buf_adds(b, "]");
		break;
	}
	return 0;
}

/* The portal's domain as written, and a host under it at a label
 * boundary (the site.domain check of a department's site). */
static void test_domain(void **st)
{
	(void)st;
	static const struct { const char *in, *want; } norm[] = {
		{ "example.gov.cn", "example.gov.cn" },
		{ "Example.GOV.cn.", "example.gov.cn" },
		{ "www.example.gov.cn", "example.gov.cn" },
		{ "http://www.example.gov.cn/", "example.gov.cn" },
		{ "https://x.gov.cn:8443/index.html", "x.gov.cn" },
		{ "x.gov.cn:8080", "x.gov.cn" },
		{ "示例.政务", "示例.政务" },
		{ "a-b.gov.cn", "a-b.gov.cn" },
		{ "", NULL }, { "cn", NULL }, { "www.cn", NULL }, { ".gov.cn", NULL },
		{ "x..gov.cn", NULL }, { "x.gov.cn..", NULL }, { "-x.gov.cn", NULL },
		{ "x-.gov.cn", NULL }, { "x gov.cn", NULL }, { "x.gov.cn/p", NULL },
		{ "x_y.gov.cn", NULL }, { "ftp://x.gov.cn/", NULL },
	};
	for (size_t i = 0; i < sizeof(norm) / sizeof(norm[0]); i++) {
		char out[256];
		bool ok = kp_inspect_domain_norm(norm[i].in, out, sizeof(out));
		if (ok != (norm[i].want != NULL) ||
		    (ok && strcmp(out, norm[i].want)))
			fail_msg("kp_inspect_domain_norm(\"%s\"): %s", norm[i].in,
				 ok ? out : "false");
	}
	static const struct { const char *host, *dom; bool under; } under[] = {
		{ "x.gov.cn", "x.gov.cn", true },
		{ "www.x.gov.cn", "x.gov.cn", true },
		{ "fgw.www.x.gov.cn", "x.gov.cn", true },
		{ "WWW.X.GOV.CN", "x.gov.cn", true },
		{ "www.x.gov.cn:8080", "x.gov.cn", true },
		{ "www.x.gov.cn.", "x.gov.cn", true },
		{ "evilx.gov.cn", "x.gov.cn", false },
		{ "x.gov.cn.evil.com", "x.gov.cn", false },
		{ "gov.cn", "x.gov.cn", false },
		{ "127.0.0.1:8080", "example.gov.cn", false },
		{ "fgw.示例.政务", "示例.政务", true },
		{ "fgw.不是示例.政务", "示例.政务", false },
		{ "[::1]:80", "example.gov.cn", false },
		{ "", "x.gov.cn", false },
		{ "x.gov.cn", "", false },
	};
	for (size_t i = 0; i < sizeof(under) / sizeof(under[0]); i++)
		if (kp_inspect_host_under(under[i].host, under[i].dom) != under[i].under)
			fail_msg("kp_inspect_host_under(\"%s\", \"%s\") != %d",
				 under[i].host, under[i].dom, under[i].under);
}

static void test_tokenizer(void **st)
{
	(void)st;
	static const struct { const char *in, *want; } cases[] = {
		{ "<A HREF=x>y</A>", "<a href=[x]>T[y]</a>" },
		{ "<a href='1' href=\"2\">", "<a href=[1]>" },
		{ "<a b c=d e = \"f g\">", "<a b=[] c=[d] e=[f g]>" },
		{ "<br/>", "<br/>" },
		{ "<!-- c -->x", "C[ c ]T[x]" },
		{ "<!-->x", "T[x]" },
		{ "<!--->x", "T[x]" },
		{ "<!DOCTYPE html>x", "C[DOCTYPE html]T[x]" },
		{ "a<b", "T[a]" },                      /* cut tag dropped */
		{ "a < b", "T[a < b]" },
		{ "1<2", "T[1<2]" },
		{ "</>x", "T[x]" },
		{ "</ x>y", "C[ x]T[y]" },
		{ "<script>a</b>\"</script>x", "<script>T[a</b>\"]</script>T[x]" },
		{ "<SCRIPT>x</SCRIPT >y", "<script>T[x]</script>T[y]" },
		{ "<title>a &amp; <b></title>", "<title>T[a & <b>]</title>" },
		{ "<style>p{}</stylex></style>", "<style>T[p{}</stylex>]</style>" },
		{ "&lt;&#20013;&#x6587;&copy;&nosuch;", "T[<中文©&nosuch;]" },
		{ "<a href=\"?a=1&amp;b=2&copy=3\">", "<a href=[?a=1&b=2&copy=3]>" },
		{ "&#0;&#xD800;&#1114112;", "T[\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD]" },
		{ "<p =x>", "<p =x=[]>" },
		{ "<a href=\"unterminated", "" },
		{ "<plaintext><a>", "<plaintext>T[<a>]" },
		{ "<?xml x?>y", "C[xml x?]T[y]" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kp_buf b = KP_BUF_INIT;
		kp_inspect_tokenize(cases[i].in, strlen(cases[i].in), serialize, &b);
		if (strcmp(b.data ? b.data : "", cases[i].want))
			fail_msg("%s: got %s, want %s", cases[i].in,
				 b.data ? b.data : "", cases[i].want);
		kp_buf_release(&b);
	}
}

/* ---- extractor ---- */

static const kp_inspect_link *find_link(const kp_inspect_doc *d, const char *url)
{
	for (size_t i = 0; i < d->nlinks; i++)
		if (!strcmp(d->links[i].url, url))
			return &d->links[i];
	return NULL;
}

static void read_fixture(const char *name, kp_buf *b)
{
	char p[512];
	kp_err e;
	snprintf(p, sizeof(p), "tests/inspect/pages/%s", name);
	kp_buf_init(b, 0);
	if (kp_read_file(p, 1 << 24, b, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_extract(void **st)
{
	(void)st;
	kp_buf b;
	kp_inspect_doc d;
	read_fixture("tricky.html", &b);
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(b.data, b.len, D("2024-06-30"), 0, &d);
	assert_string_equal(d.title, "难 & 易");
	assert_int_equal(find_link(&d, "/unquoted.html")->kind, KP_INSPECT_LINK_PAGE);
	assert_true(find_link(&d, "/unquoted.html")->nav);
	assert_false(find_link(&d, "/after.html")->nav);
	assert_string_equal(find_link(&d, "/single.html")->text, "单引号");
	assert_non_null(find_link(&d, "/a.html"));
	assert_null(find_link(&d, "/dup.html"));
	assert_null(find_link(&d, "/script-link.html"));
	assert_null(find_link(&d, "/not-a-link.html"));
	assert_int_equal(find_link(&d, "/i.png")->kind, KP_INSPECT_LINK_IMAGE);
	assert_int_equal(find_link(&d, "/UPPER.PNG")->kind, KP_INSPECT_LINK_IMAGE);
	assert_int_equal(find_link(&d, "/area.html")->kind, KP_INSPECT_LINK_PAGE);
	assert_int_equal(find_link(&d, "/frame.html")->kind, KP_INSPECT_LINK_FRAME);
	assert_int_equal(find_link(&d, "/files/附件.pdf")->kind, KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(find_link(&d, "/files/b.doc")->kind, KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(find_link(&d, "/files/c.xlsx")->kind, KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(find_link(&d, "/files/d.wps")->kind, KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(find_link(&d, "/files/e.rar")->kind, KP_INSPECT_LINK_ATTACHMENT);
	assert_int_equal(d.nitems, 4);
	assert_int_equal(d.items[0].date, D("2023-07-13"));
	assert_string_equal(d.items[0].href, "/t1.html");
	assert_int_equal(d.items[2].date, D("2023-07-13")); /* [07-13] */
	assert_int_equal(d.items[3].date, D("2023-07-12"));
	assert_non_null(strstr(d.text.data, "<不是标签>"));
	assert_non_null(strstr(d.text.data, "中文"));
	assert_null(strstr(d.text.data, "document.write"));
	kp_inspect_doc_release(&d);
	kp_buf_release(&b);

	read_fixture("col1.html", &b);
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(b.data, b.len, D("2024-06-30"), 0, &d);
	assert_int_equal(d.pages, 3);        /* createPageHTML(3, …) */
	assert_non_null(find_link(&d, "index_1.html"));
	assert_non_null(find_link(&d, "index_2.html"));
	assert_string_equal(d.meta[KP_INSPECT_META_SITEIDCODE], "5101000001");
	assert_int_equal(d.nitems, 10);
	kp_inspect_doc_release(&d);
	kp_buf_release(&b);

	/* <base href> and <meta refresh> */
	const char rb[] = "<base href=\"http://b.gov.cn/x/\"><meta http-equiv=Refresh content=\"0; URL='/index.shtml'\">";
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(rb, strlen(rb), D("2024-06-30"), 0, &d);
	assert_string_equal(d.base, "http://b.gov.cn/x/");
	assert_non_null(find_link(&d, "/index.shtml"));
	kp_inspect_doc_release(&d);

	/* the link cap */
	kp_buf big = KP_BUF_INIT;
	for (int i = 0; i < 5000; i++)
		kp_buf_addf(&big, "<a href=\"/%d\">%d</a>", i, i);
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(big.data, big.len, D("2024-06-30"), 1000, &d);
	assert_int_equal(d.nlinks, 1000);
	assert_int_equal(d.links_dropped, 4000);
	kp_inspect_doc_release(&d);
	kp_buf_release(&big);
}

static void test_classes(void **st)
{
	(void)st;
	static const char *const cases[][2] = {
		{ "要闻动态", "动态要闻" }, { "部门动态", "动态要闻" },
		{ "通知公告", "通知公告" }, { "公示公告", "通知公告" },
		{ "政策文件", "政策文件" }, { "政策解读", "政策解读" },
		{ "人事信息", "人事信息" }, { "人事任免", "人事信息" },
		{ "规划计划", "规划计划" }, { "领导之窗", "领导信息" },
		{ "机构职能", "机构职能" }, { "财政预决算", "财政信息" },
		{ "重大项目", "重大项目" }, { "统计信息", "统计信息" },
		{ "政府信息公开年报", "信息公开目录/指南/年报" },
		{ "政府信息公开指南", "信息公开目录/指南/年报" },
		{ "领导信箱", "互动交流" }, /* a mailbox is interaction (issue 13) */
		{ "在线访谈", "互动交流" }, { "办事服务", "办事服务" },
		{ "走进示例", "其他" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(kp_inspect_column_class(cases[i][0]), cases[i][1]))
			fail_msg("%s: got %s, want %s", cases[i][0],
				 kp_inspect_column_class(cases[i][0]), cases[i][1]);
	assert_int_equal(kp_inspect_class_stale_days("动态要闻"), 14);
	assert_int_equal(kp_inspect_class_stale_days("通知公告"), 183);
	assert_int_equal(kp_inspect_class_stale_days("其他"), 365);
}

/* ---- the reference parser ---- */

static void squeeze_ws(kp_buf *b)
{
	size_t w = 0;
	for (size_t i = 0; i < b->len; i++)
		if (!strchr(" \t\r\n\f", b->data[i]))
			b->data[w++] = b->data[i];
	b->len = w;
	if (b->data)
		b->data[w] = '\0';
}

static const char *const link_attrs[][2] = {
	{ "a", "href" }, { "area", "href" }, { "img", "src" },
	{ "script", "src" }, { "link", "href" }, { "iframe", "src" },
	{ "frame", "src" },
};

static int collect_links(const kp_inspect_token *t, void *ctx)
{
	kp_buf *b = ctx;
	if (t->type != KP_INSPECT_TOK_START)
		return 0;
	for (size_t k = 0; k < sizeof(link_attrs) / sizeof(link_attrs[0]); k++)
		if (!strcmp(t->name, link_attrs[k][0]))
			for (size_t i = 0; i < t->nattrs; i++)
				if (!strcmp(t->attrs[i].name, link_attrs[k][1]))
					kp_buf_addf(b, "%s %s\n", t->name, t->attrs[i].value);
	return 0;
}

static void ref_walk(xmlNode *n, kp_buf *links, kp_buf *text, bool notext)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			const char *nm = (const char *)n->name;
			for (size_t k = 0; k < sizeof(link_attrs) / sizeof(link_attrs[0]); k++)
				if (!strcmp(nm, link_attrs[k][0])) {
					xmlChar *v = xmlGetProp(n, (const xmlChar *)link_attrs[k][1]);
					if (v)
						kp_buf_addf(links, "%s %s\n", nm, (char *)v);
					xmlFree(v);
				}
			ref_walk(n->children, links, text,
				 notext || !strcmp(nm, "script") ||
					 !strcmp(nm, "style") || !strcmp(nm, "title") ||
					 !strcmp(nm, "noscript") || !strcmp(nm, "textarea") ||
					 !strcmp(nm, "iframe"));
		} else if (n->type == XML_TEXT_NODE && n->content && !notext) {
			kp_buf_adds(text, (const char *)n->content);
		}
	}
}

static void test_reference(void **st)
{
	(void)st;
	DIR *dir = opendir("tests/inspect/pages");
	struct dirent *de;
	int pages = 0;
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		kp_buf b, mine_l = KP_BUF_INIT, ref_l = KP_BUF_INIT, ref_t = KP_BUF_INIT;
		kp_inspect_doc d;
		if (!strstr(de->d_name, ".html"))
			continue;
		read_fixture(de->d_name, &b);
		kp_inspect_tokenize(b.data, b.len, collect_links, &mine_l);
		kp_inspect_doc_init(&d);
		kp_inspect_html_extract(b.data, b.len, D("2024-06-30"), 0, &d);
		htmlDocPtr doc = htmlReadMemory(b.data, (int)b.len, NULL, "UTF-8",
					       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					       HTML_PARSE_NONET);
		assert_non_null(doc);
		ref_walk(xmlDocGetRootElement(doc), &ref_l, &ref_t, false);
		xmlFreeDoc(doc);
		squeeze_ws(&d.text);
		squeeze_ws(&ref_t);
		if (strcmp(mine_l.data ? mine_l.data : "", ref_l.data ? ref_l.data : ""))
			fail_msg("%s: links differ\nmine:\n%s\nlibxml2:\n%s", de->d_name,
				 mine_l.data, ref_l.data);
		if (strcmp(d.text.data ? d.text.data : "", ref_t.data ? ref_t.data : ""))
			fail_msg("%s: text differs\nmine:    %s\nlibxml2: %s", de->d_name,
				 d.text.data, ref_t.data);
		kp_inspect_doc_release(&d);
		kp_buf_release(&b);
		kp_buf_release(&mine_l);
		kp_buf_release(&ref_l);
		kp_buf_release(&ref_t);
		pages++;
	}
	closedir(dir);
	assert_true(pages >= 9);
}

/* ---- fuzz ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static int count_tokens(const kp_inspect_token *t, void *ctx)
{
	(void)t;
	(*(size_t *)ctx)++;
	return 0;
}

static void test_fuzz(void **st)
{
	(void)st;
	static const char *const frags[] = {
		"<", ">", "</", "<!--", "-->", "<a href=", "\"", "'", "&", "&#",
		"&#x", ";", "<script>", "</script>", "<title>", "<li>", "</li>",
		"<tr>", "<ul class=nav>", "2023-07-13", "[07-13]", "年", "\xff",
		"\xe4\xb8", "<!", "<?", "/>", "=", " ", "createPageHTML(9,0,\"i\",\"h\")",
		"<plaintext>", "<textarea>", "<meta name=PubDate content=", "共9页",
	};
	kp_buf b;
	read_fixture("home.html", &b);
	for (int iter = 0; iter < 3000; iter++) {
		kp_buf m = KP_BUF_INIT;
		kp_inspect_doc d;
		size_t ntok = 0;
		if (iter % 2) { /* mutate the homepage */
			kp_buf_add(&m, b.data, b.len);
			for (int k = 0; k < 8; k++) {
				size_t at = rnd() % m.len;
				if (rnd() % 2)
					m.data[at] = (char)rnd();
				else
					m.len = at + (m.len - at) / 2;
			}
		} else { /* a soup of fragments */
			int n = (int)(rnd() % 200);
			for (int k = 0; k < n; k++)
				kp_buf_adds(&m, frags[rnd() % (sizeof(frags) / sizeof(frags[0]))]);
		}
		kp_inspect_tokenize(m.data ? m.data : "", m.len, count_tokens, &ntok);
		{ /* any bytes, any declared charset: valid UTF-8 out */
			static const char *const cts[] = {
				"text/html; charset=gbk", "text/html; charset=utf-8",
				"text/html; charset=big5", NULL };
			kp_buf u = KP_BUF_INIT;
			const char *cs;
			kp_inspect_to_utf8(m.data ? m.data : "", m.len, cts[iter % 4], &u, &cs);
			assert_int_equal(kp_utf8_valid_prefix(u.data, u.len), u.len);
			kp_buf_release(&u);
		}
		kp_inspect_doc_init(&d);
		kp_inspect_html_extract(m.data ? m.data : "", m.len, D("2024-06-30"), 100, &d);
		for (size_t i = 0; i < d.nlinks; i++) {
			char *u = kp_inspect_url_resolve("http://a.gov.cn/x/", d.links[i].url);
			free(u);
		}
		kp_inspect_doc_release(&d);
		kp_buf_release(&m);
	}
	kp_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_tokenizer),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_fuzz),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return r;
}
