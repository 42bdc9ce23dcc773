/* Unit tests of src/inspect/site.c: the --site-config file and the list
 * items its items/xpath lines give a column page (the whole runs against
 * the test site are in tests/cli/test_inspect_xpath.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE "http://www.example.gov.cn/col/list.html"

/* Load config text as a site config; abs of every column = PAGE. */
static int load(const char *text, kp_inspect_site *s, kp_err *e)
{
	char path[] = "/tmp/kp-site-XXXXXX";
	int fd = mkstemp(path), rc;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	memset(s, 0, sizeof(*s));
	rc = kp_inspect_site_load(path, s, e);
	unlink(path);
	for (size_t i = 0; i < s->ncols; i++)
		s->cols[i].abs = kp_xstrdup(PAGE);
	return rc;
}

/* The items of html under config, as "text|href|date" lines. */
static char *items(const char *config, const char *html, const char *url)
{
	kp_inspect_site s;
	kp_err e;
	kp_inspect_doc d;
	kp_buf out = KP_BUF_INIT;
	char day[16];
	if (load(config, &s, &e) < 0)
		fail_msg("%s", e.msg);
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(html, strlen(html), kp_inspect_date_parse("2024-06-30"), 0, &d);
	kp_inspect_site_items(&s, url, html, strlen(html), kp_inspect_date_parse("2024-06-30"),
		       &d);
	for (size_t i = 0; i < d.nitems; i++)
		kp_buf_addf(&out, "%s|%s|%s\n", d.items[i].text,
			    d.items[i].href ? d.items[i].href : "-",
			    kp_inspect_date_str(d.items[i].date, day));
	kp_inspect_doc_release(&d);
	kp_inspect_site_release(&s);
	return out.data ? kp_buf_detach(&out) : kp_xstrdup("");
}

static const char list_html[] =
	"<html><head><meta charset=\"gbk\"><title>t</title></head><body>"
	"<ul class=\"side\"><li><a href=\"/hot.html\">热点新闻标题一二三四</a> 2024-06-29</li></ul>"
	"<div class=\"list\">"
	"<div class=\"row\" data-date=\"2024-03-15\"><span>[置顶]</span> "
	"<a href=\"/a/1.html\">  关于   第一项\n工作的通知 </a><a href=\"/x\">x</a> 施行 2024-05-01</div>"
	"<div class=\"row\" data-date=\"2024年3月1日\"><a href=\"/a/2.html\" title=\"只有标题属性\"><img src=\"i.png\"></a></div>"
	"<div class=\"row\"><b>没有链接的一条</b></div>"
	"</div><p>发布日期：2024-06-01</p></body></html>";

static void test_xpath_items(void **st)
{
	(void)st;
	char *got = items("column,工作动态,/col/list.html\n"
			  "xpath,工作动态,//div[@class='row'],@data-date\n",
			  list_html, PAGE);
	/* title and link from the first <a> (its title attribute when it has
	 * no text), white space squashed; the date from the attribute only */
	assert_string_equal(got,
		"关于 第一项 工作的通知|/a/1.html|2024-03-15\n"
		"只有标题属性|/a/2.html|2024-03-01\n"
		"没有链接的一条|-|\n");
	free(got);
	/* no date given: the newest in the item's text */
	got = items("column,工作动态,/col/list.html\n"
		    "xpath,工作动态,//div[@class='row']\n", list_html, PAGE);
	assert_string_equal(got,
		"关于 第一项 工作的通知|/a/1.html|2024-05-01\n"
		"只有标题属性|/a/2.html|\n"
		"没有链接的一条|-|\n");
	free(got);
	/* a regex over the item's text */
	got = items("column,工作动态,/col/list.html\n"
		    "xpath,工作动态,//div[@class='row'],\"regex:施行 (?<date>\\S+)\"\n",
		    list_html, PAGE);
	assert_non_null(strstr(got, "|/a/1.html|2024-05-01\n"));
	free(got);
	/* another page: the extractor's items stay */
	got = items("column,工作动态,/col/list.html\n"
		    "xpath,工作动态,//div[@class='row'],@data-date\n", list_html,
		    "http://www.example.gov.cn/other.html");
	assert_non_null(strstr(got, "|/hot.html|2024-06-29\n"));
	assert_int_equal(strchr(got, '\n')[1], '\0');   /* one item */
	free(got);
}

static void test_xpath_blank(void **st)
{
	(void)st;
	kp_inspect_site s;
	kp_err e;
	kp_inspect_doc d;
	assert_int_equal(load("column,工作动态,/col/list.html\n"
			      "xpath,工作动态,//table//tr\n", &s, &e), 0);
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(list_html, strlen(list_html),
			 kp_inspect_date_parse("2024-06-30"), 0, &d);
	assert_int_equal(d.nitems, 1);
	assert_int_equal(d.labelled_date, kp_inspect_date_parse("2024-06-01"));
	kp_inspect_site_items(&s, PAGE, list_html, strlen(list_html),
		       kp_inspect_date_parse("2024-06-30"), &d);
	/* nothing selected: no items and no label date, a blank column */
	assert_int_equal(d.nitems, 0);
	assert_int_equal(d.labelled_date, 0);
	kp_inspect_doc_release(&d);
	kp_inspect_site_release(&s);
}

static void test_regex_items(void **st)
{
	(void)st;
	/* each match an item; its first <a> gives the title and link */
	char *got = items("column,工作动态,/col/list.html\n"
			  "items,工作动态,\"<div class=\"\"row\"\" data-date=\"\"(?<date>[^\"\"]+)\"\">.*?</div>\"\n",
			  list_html, PAGE);
	assert_string_equal(got,
		"关于 第一项 工作的通知|/a/1.html|2024-03-15\n"
		"只有标题属性|/a/2.html|2024-03-01\n");
	free(got);
}

static void test_long_title(void **st)
{
	(void)st;
	kp_buf h = KP_BUF_INIT;
	kp_inspect_site s;
	kp_err e;
	kp_inspect_doc d;
	kp_buf_adds(&h, "<ul><li><a href=\"/a.html\">");
	for (int i = 0; i < 150; i++)
		kp_buf_adds(&h, "长");
	kp_buf_adds(&h, "</a></li></ul>");
	assert_int_equal(load("column,c,/col/list.html\nxpath,c,//li\n", &s, &e), 0);
	kp_inspect_doc_init(&d);
	kp_inspect_site_items(&s, PAGE, h.data, h.len, kp_inspect_date_parse("2024-06-30"), &d);
	assert_int_equal(d.nitems, 1);
	/* capped at 200 bytes, on a character boundary: 66 characters */
	assert_int_equal(strlen(d.items[0].text), 198);
	assert_int_equal(kp_utf8_valid_prefix(d.items[0].text, 198), 198);
	kp_inspect_doc_release(&d);
	kp_inspect_site_release(&s);
	kp_buf_release(&h);
}

static void test_errors(void **st)
{
	(void)st;
	static const struct { const char *line, *want; } cases[] = {
		{ "xpath,c,//li[", "x.csv:2: 栏目“c”的列表项 XPath “//li[”在末尾有错：表达式不完整" },
		{ "xpath,c,//li[@a='x", "在末尾有错：字符串缺少结束的引号" },
		{ "xpath,c,//a)", "在第 4 个字符处有错：表达式无效" },
		{ "xpath,c,//li[名字()]", "无法执行：没有这个函数" },
		{ "xpath,c,$x", "无法执行：用了未定义的变量" },
		{ "xpath,c,\"string(1,2)\"", "无法执行：函数的参数个数不对" },
		{ "xpath,c,string(//li)", "应选出元素（它得出的是数字、文字或真假值）" },
		{ "xpath,c,//li,count(.)", "栏目“c”的日期 XPath “count(.)”应选出元素、属性或文字" },
		{ "xpath,c,//li,regex:[", "栏目“c”的日期正则表达式在第 2 个字符处有错" },
		{ "items,c,(?<date", "栏目“c”的列表项正则表达式在第" },
		{ "xpath,d,//li", "xpath 行的栏目“d”没有先用 column 行给出网址" },
		{ "portal,example..gov.cn", "portal 行的“example..gov.cn”不是域名" },
		{ "portal,", "portal 行的“”不是域名" },
		{ "portal", "portal 行的“”不是域名" },
		{ "portal,gov cn", "portal 行的“gov cn”不是域名" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		kp_inspect_site s;
		kp_err e;
		snprintf(text, sizeof(text), "column,c,/c.html\n%s\n", cases[i].line);
		assert_int_equal(load(text, &s, &e), -1);
		assert_int_equal(e.code, KP_EINPUT);
		/* the file is a temporary one: compare from its ":2: " on */
		const char *m = strstr(e.msg, ":2: ");
		const char *w = strstr(cases[i].want, ":2: ");
		if (!m || !strstr(m, w ? w : cases[i].want))
			fail_msg("%s: got %s", cases[i].line, e.msg);
		kp_inspect_site_release(&s);
	}
	/* a valid one: an attribute, a string, a relative path */
	kp_inspect_site s;
	kp_err e;
	assert_int_equal(load("column,c,/c.html\nxpath,c,//li,string(@data-date)\n"
			      "xpath,c,//li,.//span\nitems,c,<li>\n", &s, &e), 0);
	assert_non_null(s.cols[0].items_re);
	assert_null(s.cols[0].items_xp);   /* the later line replaced it */
	kp_inspect_site_release(&s);
	/* the portal's domain, normalised; the later line replaces */
	assert_int_equal(load("portal,a.gov.cn\nportal, http://WWW.Example.gov.cn:8080/ \n",
			      &s, &e), 0);
	assert_string_equal(s.portal, "example.gov.cn");
	kp_inspect_site_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xpath_items),
		cmocka_unit_test(test_xpath_blank),
		cmocka_unit_test(test_regex_items),
		cmocka_unit_test(test_long_title),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
