/* Unit tests of the crawler's pieces that need no server: which addresses
 * the guard counts as private, the registrable-domain rule for a
 * homepage's new host, the site.incomplete message, and the tables that
 * load once being read from several threads at once. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/crawl_int.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static bool special(const char *ip)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, ip, &((struct sockaddr_in *)&ss)->sin_addr) == 1)
		ss.ss_family = AF_INET;
	else if (inet_pton(AF_INET6, ip, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1)
		ss.ss_family = AF_INET6;
	else
		fail_msg("not an address: %s", ip);
	return kp_inspect_addr_special((const struct sockaddr *)&ss);
}

static void test_special_addresses(void **st)
{
	(void)st;
	static const char *const refused[] = {
		"127.0.0.1", "127.0.0.2", "10.1.2.3", "172.16.0.1", "172.31.255.255",
		"192.168.1.1", "169.254.169.254", "169.254.1.1", "100.100.100.200",
		"0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fc00::1",
		"fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
		"::ffff:169.254.169.254", "64:ff9b::a00:1", NULL
	};
	static const char *const allowed[] = {
		"8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1",
		"192.169.0.1", "169.255.0.1", "202.96.128.86", "2400:3200::1",
		"::ffff:8.8.8.8", NULL
	};
	for (size_t i = 0; refused[i]; i++)
		if (!special(refused[i]))
			fail_msg("%s should be refused", refused[i]);
	for (size_t i = 0; allowed[i]; i++)
		if (special(allowed[i]))
			fail_msg("%s should be allowed", allowed[i]);
}

static void test_registrable(void **st)
{
	(void)st;
	static const struct { const char *a, *b; bool same; } cases[] = {
		{ "x.gov.cn", "www.x.gov.cn", true },
		{ "www.x.gov.cn", "x.gov.cn", true },
		{ "www.x.gov.cn:8080", "fgw.x.gov.cn", true },
		{ "www.x.gov.cn", "evilx.gov.cn", false },
		{ "www.x.gov.cn", "y.gov.cn", false },
		{ "www.bj.gov.cn", "gov.cn", false },
		{ "a.x.bj.cn", "b.x.bj.cn", true },
		{ "a.x.bj.cn", "y.bj.cn", false },
		{ "www.example.com", "example.com", true },
		{ "example.com", "www.example.com", true },
		{ "www.example.com", "example.org", false },
		{ "localhost", "127.0.0.1", false },
		{ "127.0.0.1", "127.0.0.1", false },
		{ "127.0.0.1:80", "127.0.0.2", false },
		{ "gov.cn", "x.gov.cn", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (kp_inspect_same_registrable(cases[i].a, cases[i].b) != cases[i].same)
			fail_msg("%s → %s: want %d", cases[i].a, cases[i].b, cases[i].same);
}

static void test_guard_own(void **st)
{
	(void)st;
	kp_inspect_guard g;
	struct curl_slist *r = curl_slist_append(NULL, "intranet.example.gov.cn:8080:127.0.0.2");
	kp_inspect_guard_init(&g, "http://intranet.example.gov.cn:8080/", false, r);
	assert_int_equal(g.nown, 1);
	assert_true(kp_inspect_guard_own_ip(&g, "127.0.0.2", 8080));
	assert_false(kp_inspect_guard_own_ip(&g, "127.0.0.2", 8081));   /* another port */
	assert_false(kp_inspect_guard_own_ip(&g, "127.0.0.1", 8080));
	kp_inspect_guard_init(&g, "https://127.0.0.1/", false, NULL);
	assert_true(kp_inspect_guard_own_ip(&g, "127.0.0.1", 443));
	assert_false(kp_inspect_guard_own_ip(&g, "127.0.0.1", 80));
	kp_inspect_guard_init(&g, "http://[::1]:9000/x", false, NULL);
	assert_true(kp_inspect_guard_own_ip(&g, "::1", 9000));
	curl_slist_free_all(r);
}

static void test_limits_message(void **st)
{
	(void)st;
	kp_inspect_result r;
	kp_buf m = KP_BUF_INIT;
	memset(&r, 0, sizeof(r));
	r.complete = true;
	assert_null(kp_inspect_limits_message(&r, &m));
	r.complete = false;
	r.limits[r.nlimits++] = (struct kp_inspect_limit){ "robots", -1, 3 };
	assert_string_equal(kp_inspect_limits_message(&r, &m), "提示");
	assert_string_equal(m.data, "抓取未完成，结果不是整个网站：robots.txt 不允许抓取 3 个网址");
	m.len = 0;
	r.limits[0] = (struct kp_inspect_limit){ "max_pages", 500, 19600 };
	r.limits[r.nlimits++] = (struct kp_inspect_limit){ "max_body", 8 << 20, 2 };
	assert_string_equal(kp_inspect_limits_message(&r, &m), "一般");
	assert_string_equal(m.data, "抓取未完成，结果不是整个网站：页面数达到上限 500（--max-pages），19600 个网址未抓取；"
				    "2 个网址超过大小上限 8 MB（--max-body）被拒收");
	kp_buf_release(&m);
}

/* The column classes and the check list load once, whoever asks first:
 * eight threads asking at once all get the same answers. */
static void *ask_tables(void *arg)
{
	size_t n = 0, *bad = arg;
	for (int i = 0; i < 200; i++) {
		if (strcmp(kp_inspect_column_class("通知公告"), "通知公告") ||
		    kp_inspect_class_stale_days("其他") <= 0)
			(*bad)++;
		const kp_inspect_check_info *c = kp_inspect_checks(&n);
		if (!n || strcmp(c[0].name, "homepage.reachable"))
			(*bad)++;
	}
	return NULL;
}

static void test_tables_threads(void **st)
{
	(void)st;
	pthread_t t[8];
	size_t bad[8] = { 0 };
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, ask_tables, &bad[i]), 0);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_special_addresses),
		cmocka_unit_test(test_registrable),
		cmocka_unit_test(test_guard_own),
		cmocka_unit_test(test_limits_message),
		cmocka_unit_test(test_tables_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
