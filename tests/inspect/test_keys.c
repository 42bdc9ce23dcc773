/* Unit tests of src/inspect/keys.c: a finding's identity across
 * inspections (check + key) stays the same while its message changes,
 * tells different problems apart, and is unique within an inspection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect.h"

#include <stdlib.h>
#include <string.h>

#define HOME "http://www.example.gov.cn/"

static kp_inspect_finding F(const char *check, const char *sev, const char *url,
		     const char *snippet, const char *msg)
{
	return (kp_inspect_finding){ (char *)check, (char *)sev, (char *)msg,
			      (char *)url, (char *)snippet, 0 };
}

static kp_inspect_column C(const char *name, const char *url)
{
	kp_inspect_column c;
	memset(&c, 0, sizeof(c));
	c.name = (char *)name;
	c.url = (char *)url;
	c.cls = (char *)"通知公告";
	return c;
}

/* The keys of findings fs[0..n) on a site with columns cs[0..nc). */
static char **keys_of(kp_inspect_finding *fs, size_t n, kp_inspect_column *cs, size_t nc)
{
	kp_inspect_result r;
	memset(&r, 0, sizeof(r));
	r.home.url = (char *)HOME;
	r.findings = fs;
	r.nfindings = n;
	r.columns = cs;
	r.ncolumns = nc;
	return kp_inspect_finding_keys(&r);
}

static void test_keys(void **st)
{
	(void)st;
	kp_inspect_column cs[] = {
		C("通知公告", HOME "col/col2/index.html"),
		C("通知公告", HOME "zwgk/tzgg/index.html"),   /* same name twice */
		C("财政信息", HOME "col/col7/index.html"),
	};
	kp_inspect_finding fs[] = {
		F("column.updated", "严重", HOME "col/col2/index.html", "2023-07-13",
		  "栏目“通知公告”（通知公告）353 天未更新（最新 2023-07-13，要求 183 天内）"),
		F("column.updated", "严重", HOME "zwgk/tzgg/index.html", "",
		  "栏目“通知公告”（通知公告）的信息都没有日期，按未更新计"),
		F("column.updated", "否决", HOME, "",
		  "未按期更新的栏目 6 个（≥5 个，单项否决）"),
		F("column.updated", "否决", HOME, "",
		  "长期（超过 1 年）未更新的栏目 11 个（≥10 个，单项否决）"),
		F("column.blank", "严重", HOME "col/col7/index.html", "财政信息",
		  "空白栏目：“财政信息”没有任何信息"),
		F("links.dead", "严重", HOME "img/missing.png", HOME,
		  "死链：图片（HTTP 404），2 处链接到它"),
		F("footer.elements", "一般", HOME, "51010000",
		  "网站标识码“51010000”不是 10 位"),
		F("footer.elements", "严重", HOME, "", "首页底部缺少 ICP 备案编号"),
		F("homepage.reachable", "一般", HOME, "", "首页打开时间 3.4 秒，超过 3 秒"),
		F("homepage.updated", "否决", HOME, "2024-06-01",
		  "首页 29 天未更新（最新信息 2024-06-01，超过 2 周）"),
		F("column.required", "严重", HOME, "公共资源配置领域信息",
		  "未开设要求的栏目“公共资源配置领域信息”（ak2020-columns）"),
		F("page.slow", "提示", HOME, "", "页面打开时间 5.5 秒，超过 5 秒"),
		F("page.slow", "提示", HOME "a.html", "", "页面打开时间 6.1 秒，超过 5 秒"),
	};
	static const char *const want[] = {
		"栏目：通知公告",
		"栏目：通知公告 #2",
		"未按期更新的栏目 N 个（≥N 个，单项否决）",
		"长期（超过 N 年）未更新的栏目 N 个（≥N 个，单项否决）",
		"栏目：财政信息",
		HOME "img/missing.png",
		"网站标识码“…”不是 N 位",
		"首页底部缺少 ICP 备案编号",
		"首页打开慢",
		"首页",
		"要求：公共资源配置领域信息",
		"页面打开时间 N 秒，超过 N 秒",
		HOME "a.html",
	};
	size_t n = sizeof(fs) / sizeof(fs[0]);
	char **k = keys_of(fs, n, cs, 3);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i], want[i]))
			fail_msg("finding %zu (%s): key '%s', want '%s'", i,
				 fs[i].check, k[i], want[i]);
	kp_inspect_finding_keys_free(k, n);
}

/* The same problems a month later, worded with other numbers, in
 * another order: the same keys. */
static void test_keys_stable(void **st)
{
	(void)st;
	kp_inspect_column cs[] = { C("通知公告", HOME "col/col2/index.html") };
	kp_inspect_finding before[] = {
		F("homepage.updated", "否决", HOME, "",
		  "首页找不到任何带日期的信息，无法确认更新（按未更新计）"),
		F("column.updated", "严重", HOME "col/col2/index.html", "2023-07-13",
		  "栏目“通知公告”（通知公告）353 天未更新（最新 2023-07-13，要求 183 天内）"),
		F("homepage.reachable", "否决", HOME, "连接超时", "首页无法访问（连接超时，状态 0）"),
	};
	kp_inspect_finding after[] = {
		F("column.updated", "严重", HOME "col/col2/index.html", "2023-07-13",
		  "栏目“通知公告”（通知公告）384 天未更新（最新 2023-07-13，要求 183 天内）"),
		F("homepage.reachable", "否决", HOME, "", "首页无法访问（HTTP 状态 503）"),
		F("homepage.updated", "否决", HOME, "2024-06-01",
		  "首页 60 天未更新（最新信息 2024-06-01，超过 2 周）"),
	};
	char **a = keys_of(before, 3, cs, 1), **b = keys_of(after, 3, cs, 1);
	assert_string_equal(a[0], b[2]);
	assert_string_equal(a[1], b[0]);
	assert_string_equal(a[2], b[1]);
	assert_string_equal(a[2], "首页无法访问");
	kp_inspect_finding_keys_free(a, 3);
	kp_inspect_finding_keys_free(b, 3);
	/* no findings: an empty list */
	a = keys_of(NULL, 0, NULL, 0);
	assert_non_null(a);
	kp_inspect_finding_keys_free(a, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_keys_stable),
	};
	return cmocka_run_group_tests_name("inspect/keys", tests, NULL, NULL);
}
