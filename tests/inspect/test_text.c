/* Unit tests of src/inspect/text.c's per-page and per-link paths: when a
 * body can be read in place as UTF-8, and URL resolution against a base
 * prepared once (kp_inspect_base) beside the one-call form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect.h"

#include <stdlib.h>
#include <string.h>

/* ---- URLs ---- */

/* ref against base, by all three ways in: the answer (NULL: none). */
static void check_url(const char *base, const char *ref, const char *want)
{
	char out[8192];
	kp_inspect_base b;
	char *got = kp_inspect_url_resolve(base, ref);
	size_t n = kp_inspect_url_resolve_to(base, ref, out, sizeof(out));
	if (!want != !got || (got && strcmp(got, want)))
		fail_msg("%s + %s: got %s, want %s", base ? base : "NULL", ref,
			 got ? got : "NULL", want ? want : "NULL");
	assert_int_equal(n, want ? strlen(want) : 0);
	assert_string_equal(out, want ? want : "");
	kp_inspect_base_init(&b, base);
	n = kp_inspect_url_resolve_base_to(&b, ref, out, sizeof(out));
	assert_int_equal(n, want ? strlen(want) : 0);
	assert_string_equal(out, want ? want : "");
	free(got);
}

static void test_resolve(void **st)
{
	static const struct { const char *base, *ref, *want; } cases[] = {
		{ "http://127.0.0.1:29999/s11/p14249.html", "/s3/p45.html", "http://127.0.0.1:29999/s3/p45.html" },
		{ "http://127.0.0.1:29999/s11/p14249.html", "p2.html", "http://127.0.0.1:29999/s11/p2.html" },
		{ "http://127.0.0.1:29999/s11/p14249.html", "http://127.0.0.1:29999/s3/p4.html", "http://127.0.0.1:29999/s3/p4.html" },
		{ "http://127.0.0.1:29999/s11/p14249.html", "HTTP://127.0.0.1:29999/a", "http://127.0.0.1:29999/a" },
		{ "http://127.0.0.1:29999/s11/p14249.html", "http://127.0.0.1:29999", "http://127.0.0.1:29999/" },
		{ "http://127.0.0.1:29999/s11/p14249.html", "http://127.0.0.1:29999?x=1", "http://127.0.0.1:29999/?x=1" },
		{ "http://127.0.0.1:29999/s11/p14249.html", "http://127.0.0.1:29999\\a\\b", "http://127.0.0.1:29999/a/b" },
		{ "http://127.0.0.1:29999/s11/p14249.html", "http://127.0.0.1:29999.evil.cn/x", NULL },
		{ "http://127.0.0.1:29999/s11/p14249.html", "http://127.0.0.1:299999/x", NULL },
		{ "http://127.0.0.1:29999/s11/p14249.html", "http://127.0.0.1:29999#top", "http://127.0.0.1:29999/" },
		{ "HTTP://A.GOV.CN:80/X/y.html", "z.html", "http://a.gov.cn/X/z.html" },
		{ "HTTP://A.GOV.CN:80/X/y.html", "HTTP://A.GOV.CN:80/q", "http://a.gov.cn/q" },
		{ "http://a.gov.cn/x/y.html?p=1", "z.html", "http://a.gov.cn/x/z.html" },
		{ "http://a.gov.cn/x/y.html?p=1", "?q=2#f", "http://a.gov.cn/x/y.html?q=2" },
		{ "http://a.gov.cn", "z.html", "http://a.gov.cn/z.html" },
		{ "http://a.gov.cn", "?q", "http://a.gov.cn/?q" },
		{ "http://a.gov.cn#f/g", "z.html", "http://a.gov.cn/z.html" },
		{ "http://a.gov.cn/a/./b/../c/", "d.html", "http://a.gov.cn/a/c/d.html" },
		{ "http://a.gov.cn/a/./b/../c/", "?x", "http://a.gov.cn/a/c/?x" },
		{ "http://a.gov.cn/a;jsessionid=1/b/c.html", "d.html", "http://a.gov.cn/a" },
		{ "http://a.gov.cn/x/y/z.html", "..", "http://a.gov.cn/x/" },
		{ "http://a.gov.cn/x/y/z.html", ".", "http://a.gov.cn/x/y/" },
		{ "http://a.gov.cn/x/y/z.html", "./.hidden/..x", "http://a.gov.cn/x/y/.hidden/..x" },
		{ "http://a.gov.cn/", "/p.html \x09""\x0d""\x0a""", "http://a.gov.cn/p.html" },
		{ "http://a.gov.cn/", "/a b.html", "http://a.gov.cn/a%20b.html" },
		{ "http://a.gov.cn/", "/a #x ", "http://a.gov.cn/a%20" },
		{ "http://a.gov.cn/", "/p.html?", "http://a.gov.cn/p.html" },
		{ "http://a.gov.cn/", "/p?&&a=1&", "http://a.gov.cn/p?a=1" },
		{ "http://a.gov.cn/", "/p?jsessionid=1", "http://a.gov.cn/p" },
		{ "http://a.gov.cn/", "/p;JSESSIONID=abc?x=1", "http://a.gov.cn/p?x=1" },
		{ "http://a.gov.cn/", "/p;x=1;jsessionid=2", "http://a.gov.cn/p;x=1" },
		{ "http://a.gov.cn/", "/p;", "http://a.gov.cn/p;" },
		{ "http://a.gov.cn/", "/a/b/../../../c", "http://a.gov.cn/c" },
		{ "http://a.gov.cn/", "/.", "http://a.gov.cn/" },
		{ "http://a.gov.cn/", "/a/.", "http://a.gov.cn/a/" },
		{ "http://a.gov.cn/", "/a/..", "http://a.gov.cn/" },
		{ "http://a.gov.cn/", "/a+b.html", "http://a.gov.cn/a+b.html" },
		{ "http://a.gov.cn/", "/x'+y", NULL },
		{ "http://a.gov.cn/", "/x#'+y", NULL },
		{ "http://a.gov.cn/", "JavaScript:x", NULL },
		{ "http://a.gov.cn/", "   ", NULL },
		{ "http://a.gov.cn/", "\\\\b.gov.cn\\p", "http://b.gov.cn/p" },
		{ "http://a.gov.cn/", "/\\b.gov.cn/p", "http://b.gov.cn/p" },
		{ "http://a.gov.cn/", "/\x7f""\x01""\x0b""", "http://a.gov.cn/%01%0B" },
		{ "ftp://a.gov.cn/", "p.html", NULL },
		{ "ftp://a.gov.cn/", "http://b.gov.cn/p", "http://b.gov.cn/p" },
		{ NULL, "http://b.gov.cn/p", "http://b.gov.cn/p" },
		{ NULL, "/p", NULL },
		{ "http://u:p@A.gov.cn:8080/x/", "y", "http://a.gov.cn:8080/x/y" },
		{ "http://[::1]:8080/x/y", "z", "http://[::1]:8080/x/z" },
		{ "http://a.gov.cn:443/", "/p", "http://a.gov.cn:443/p" },
		{ "https://a.gov.cn:443/", "/p", "https://a.gov.cn/p" },
	};
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_url(cases[i].base, cases[i].ref, cases[i].want);
}

/* Output that does not fit: 0 and "", also when an intermediate form
 * (before "..") is what does not fit. */
static void test_resolve_cap(void **st)
{
	char out[64];
	kp_inspect_base b;
	(void)st;
	kp_inspect_base_init(&b, "http://a.gov.cn/x/");
	assert_int_equal(kp_inspect_url_resolve_base_to(&b, "/p", out, 18), 17);
	assert_string_equal(out, "http://a.gov.cn/p");
	assert_int_equal(kp_inspect_url_resolve_base_to(&b, "/p", out, 17), 0);
	assert_string_equal(out, "");
	assert_int_equal(kp_inspect_url_resolve_base_to(&b, "/aaaa/../b", out, 21), 17);
	assert_string_equal(out, "http://a.gov.cn/b");
	assert_int_equal(kp_inspect_url_resolve_base_to(&b, "/aaaa/../b", out, 20), 0);
	assert_string_equal(out, "");
	assert_int_equal(kp_inspect_url_resolve_to("http://a.gov.cn/x/", "/aaaa/../b",
					    out, 20), 0);
	assert_int_equal(kp_inspect_url_resolve_base_to(&b, "/p", out, 0), 0);
	assert_int_equal(kp_inspect_url_resolve_base_to(&b, "/p", out, 1), 0);
	assert_string_equal(out, "");
}

/* References up to 2048 bytes once white space is trimmed off. */
static void test_resolve_long(void **st)
{
	char *ref = malloc(2100), *want = malloc(2200);
	char *out = malloc(8192);
	kp_inspect_base b;
	(void)st;
	kp_inspect_base_init(&b, "http://a.gov.cn/");
	ref[0] = '/';
	memset(ref + 1, 'a', 2047);
	ref[2048] = '\0';
	snprintf(want, 2200, "http://a.gov.cn%s", ref);
	check_url("http://a.gov.cn/", ref, want);
	memcpy(ref + 2048, "   \n", 5);   /* 2052 bytes, 2048 trimmed */
	check_url("http://a.gov.cn/", ref, want);
	memcpy(ref + 2048, "a", 2);       /* 2049 */
	check_url("http://a.gov.cn/", ref, NULL);
	free(ref);
	free(want);
	free(out);
}

/* kp_inspect_url_resolve_to keeps the last base it read: a base changed in
 * place, or one too long to keep, is read afresh. */
static void test_resolve_base_changes(void **st)
{
	char base[64], out[8192];
	char *big = malloc(1200), *want = malloc(1300);
	(void)st;
	snprintf(base, sizeof(base), "http://a.gov.cn/x/");
	assert_int_equal(kp_inspect_url_resolve_to(base, "y", out, sizeof(out)), 19);
	assert_string_equal(out, "http://a.gov.cn/x/y");
	snprintf(base, sizeof(base), "http://b.gov.cn/z/");
	assert_int_equal(kp_inspect_url_resolve_to(base, "y", out, sizeof(out)), 19);
	assert_string_equal(out, "http://b.gov.cn/z/y");
	snprintf(base, sizeof(base), "ftp://b.gov.cn/z/");
	assert_int_equal(kp_inspect_url_resolve_to(base, "y", out, sizeof(out)), 0);
	assert_int_equal(kp_inspect_url_resolve_to(NULL, "y", out, sizeof(out)), 0);
	memcpy(big, "http://a.gov.cn/", 16);
	memset(big + 16, 'd', 1100);
	memcpy(big + 1116, "/f.html", 8);
	snprintf(want, 1300, "%.1117sg", big);
	assert_int_equal(kp_inspect_url_resolve_to(big, "g", out, sizeof(out)),
			 strlen(want));
	assert_string_equal(out, want);
	free(big);
	free(want);
}

/* ---- UTF-8 in place ---- */

/* kp_inspect_utf8_in_place is true exactly when kp_inspect_to_utf8 reports UTF-8 and
 * hands back the body byte for byte. */
static void check_in_place(const char *body, size_t n, const char *ct,
			   bool want)
{
	kp_buf b = KP_BUF_INIT;
	const char *cs = NULL;
	bool same;
	assert_int_equal(kp_inspect_to_utf8(body, n, ct, &b, &cs), 0);
	same = !strcmp(cs, "UTF-8") && b.len == n && !memcmp(b.data, body, n);
	if (kp_inspect_utf8_in_place(body, n, ct) != want || same != want)
		fail_msg("%.40s (%s): in place %d, same bytes %d, want %d",
			 body, ct ? ct : "NULL", kp_inspect_utf8_in_place(body, n, ct),
			 same, want);
	kp_buf_release(&b);
}

static void test_in_place(void **st)
{
	static const char page[] =
		"<html><head><meta charset=\"utf-8\"><title>示例市人民政府"
		"</title></head><body><a href=\"/s1/p1.html\">栏目1动态</a>"
		"<p>加快推进数字政府建设，为深入贯彻落实党中央、国务院决策部署。"
		"</p></body></html>";
	static const char nometa[] = "<p>政务公开</p>";
	static const char gbkmeta[] = "<meta charset=gbk><p>abc</p>";
	static const char bad[] = "<meta charset=utf-8><p>\xB9\xFA</p>";
	(void)st;
	check_in_place(page, strlen(page), "text/html", true);
	check_in_place(page, strlen(page), NULL, true);
	check_in_place(page, strlen(page), "text/html; charset=UTF-8", true);
	check_in_place(page, strlen(page), "text/html; charset=utf8", true);
	/* the header says GBK: converted, even though the bytes are UTF-8 */
	check_in_place(page, strlen(page), "text/html; charset=gbk", false);
	/* undeclared and valid: UTF-8 */
	check_in_place(nometa, strlen(nometa), "text/html", true);
	/* an unknown charset counts as undeclared */
	check_in_place(nometa, strlen(nometa), "text/html; charset=koi8-r", true);
	/* declared GBK in the page, or WINDOWS-1252 in the header: converted
	 * (to the same bytes here, but not by the UTF-8 path) */
	check_in_place(gbkmeta, strlen(gbkmeta), NULL, false);
	check_in_place(nometa, strlen(nometa), "text/html; charset=iso-8859-1", false);
	/* invalid UTF-8: U+FFFD in the copy */
	check_in_place(bad, strlen(bad), "text/html", false);
	/* undeclared and invalid: GB18030 */
	check_in_place("<p>\xB9\xFA</p>", 9, NULL, false);
	/* a BOM is dropped */
	check_in_place("\xEF\xBB\xBF<p>中</p>", 13, NULL, false);
	/* an embedded NUL is valid UTF-8, copied as it is */
	check_in_place("a\0b", 3, NULL, true);
	check_in_place("", 0, NULL, true);
	assert_true(kp_inspect_utf8_in_place(NULL, 0, NULL));
	/* the body's charset is read from its first 4 KiB only */
	{
		size_t n = 5000;
		char *big = malloc(n);
		memset(big, ' ', n);
		memcpy(big + 4500, "<meta charset=gbk>", 18);
		check_in_place(big, n, NULL, true);
		memcpy(big + 100, "<meta charset=gbk>", 18);
		check_in_place(big, n, NULL, false);
		free(big);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_cap),
		cmocka_unit_test(test_resolve_long),
		cmocka_unit_test(test_resolve_base_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
