/* Unit tests of src/inspect/text.c's per-page and per-link paths: when a
 * body can be read in place as UTF-8, and URL resolution against a base
 * prepared once (kpi_base) beside the one-call form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "inspect/inspect.h"

#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 in place ---- */

/* kpi_utf8_in_place is true exactly when kpi_to_utf8 reports UTF-8 and
 * hands back the body byte for byte. */
static void check_in_place(const char *body, size_t n, const char *ct,
			   bool want)
{
	kp_buf b = KP_BUF_INIT;
	const char *cs = NULL;
	bool same;
	assert_int_equal(kpi_to_utf8(body, n, ct, &b, &cs), 0);
	same = !strcmp(cs, "UTF-8") && b.len == n && !memcmp(b.data, body, n);
	if (kpi_utf8_in_place(body, n, ct) != want || same != want)
		fail_msg("%.40s (%s): in place %d, same bytes %d, want %d",
			 body, ct ? ct : "NULL", kpi_utf8_in_place(body, n, ct),
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
	assert_true(kpi_utf8_in_place(NULL, 0, NULL));
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
