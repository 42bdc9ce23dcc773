/* Tests of src/base: exact numbers, the buffer, CSV, text, files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

static kp_num N(const char *s)
{
	kp_num v;
	assert_int_equal(kp_num_parse(s, &v), 0);
	return v;
}

static void num_parse(void **state)
{
	char b[32];
	(void)state;
	assert_string_equal(kp_num_str(N("30"), b), "30");
	assert_string_equal(kp_num_str(N("2.5"), b), "2.5");
	assert_string_equal(kp_num_str(N(" 0.50 "), b), "0.5");
	assert_string_equal(kp_num_str(N("-0.125"), b), "-0.125");
	assert_string_equal(kp_num_str(N("70%"), b), "0.7");
	assert_string_equal(kp_num_str(N("4/3"), b), "1.33");
	kp_num v;
	assert_int_equal(kp_num_parse("五分", &v), -1);
	assert_int_equal(kp_num_parse("", &v), -1);
	assert_int_equal(kp_num_parse("1.", &v), -1);
	assert_int_equal(kp_num_parse("1/0", &v), -1);
	assert_int_equal(kp_num_parse("3 分", &v), -1);
	assert_int_equal(kp_num_parse("99999999999999999999", &v), -1);
}

static void num_exact(void **state)
{
	char b[32];
	kp_num r, s;
	(void)state;
	/* 0.1 × 3 is exactly 0.3: no binary drift */
	assert_int_equal(kp_num_mul(N("0.1"), N("3"), &r), 0);
	assert_int_equal(kp_num_cmp(r, N("0.3")), 0);
	/* 75 × 4/3 = 100 exactly (the national scheme's rescaling) */
	assert_int_equal(kp_num_mul(N("75"), N("4/3"), &r), 0);
	assert_int_equal(kp_num_cmp(r, kp_num_int(100)), 0);
	assert_string_equal(kp_num_str(r, b), "100");
	/* 20 − 2.5 × 3 = 12.5 */
	assert_int_equal(kp_num_mul(N("2.5"), N("3"), &s), 0);
	assert_int_equal(kp_num_sub(kp_num_int(20), s, &r), 0);
	assert_string_equal(kp_num_fmt2(r, b), "12.50");
	/* division by zero and overflow are refused, not wrapped */
	assert_int_equal(kp_num_div(N("1"), N("0"), &r), -1);
	assert_int_equal(kp_num_mul(N("1000000000"), N("1000000000"), &r), -1);
	/* the limit on magnitudes: a whole part of KP_NUM_LIMIT passes,
	 * one more does not, either sign, whole or a fraction */
	assert_int_equal(kp_num_add(kp_num_int(KP_NUM_LIMIT), kp_num_int(0), &r), 0);
	assert_int_equal(kp_num_add(kp_num_int(KP_NUM_LIMIT), kp_num_int(1), &r), -1);
	assert_int_equal(kp_num_add(kp_num_int(-KP_NUM_LIMIT), kp_num_int(-1), &r), -1);
	assert_int_equal(kp_num_add(kp_num_int(KP_NUM_LIMIT), (kp_num){ 2, 3 }, &r), 0);
	assert_int_equal(r.n, 3 * KP_NUM_LIMIT + 2);
	assert_int_equal(kp_num_add(kp_num_int(-KP_NUM_LIMIT), (kp_num){ -2, 3 }, &r), 0);
	assert_int_equal(kp_num_add(kp_num_int(KP_NUM_LIMIT), (kp_num){ 4, 3 }, &r), -1);
	assert_int_equal(kp_num_add(kp_num_int(-KP_NUM_LIMIT), (kp_num){ -4, 3 }, &r), -1);
}

/* Sums and products reduce to lowest terms with a positive denominator
 * (the binary gcd against Euclid's, here), and mean what they should:
 * a/b + c/d = (ad + cb)/bd cross-multiplied, over a fixed pseudo-random
 * walk of signs, powers of two and odd factors. */
static int64_t euclid(int64_t a, int64_t b)
{
	a = a < 0 ? -a : a;
	b = b < 0 ? -b : b;
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a ? a : 1;
}

static void num_reduced(void **state)
{
	uint64_t x = 88172645463325252ULL;
	(void)state;
	for (int i = 0; i < 20000; i++) {
		int64_t v[4];
		kp_num a, b, s, p;
		for (int k = 0; k < 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			v[k] = (int64_t)(x % 2000) - 1000;
			if (k % 2)
				v[k] = (v[k] ? v[k] : 1) * ((int64_t)1 << (x >> 60 & 3));
		}
		a = (kp_num){ v[0], 1 };
		b = (kp_num){ v[2], 1 };
		assert_int_equal(kp_num_div(a, (kp_num){ v[1], 1 }, &a), 0);
		assert_int_equal(kp_num_div(b, (kp_num){ v[3], 1 }, &b), 0);
		assert_true(a.d > 0 && euclid(a.n, a.d) == 1);
		assert_true(a.n * v[1] == v[0] * a.d);
		assert_int_equal(kp_num_add(a, b, &s), 0);
		assert_true(s.d > 0 && euclid(s.n, s.d) == 1);
		assert_true(s.n * a.d * b.d == (a.n * b.d + b.n * a.d) * s.d);
		assert_int_equal(kp_num_add(a, a, &s), 0);   /* one denominator */
		assert_true(s.d > 0 && euclid(s.n, s.d) == 1);
		assert_true(s.n * a.d == 2 * a.n * s.d);
		assert_int_equal(kp_num_mul(a, b, &p), 0);
		assert_true(p.d > 0 && euclid(p.n, p.d) == 1);
		assert_true(p.n * a.d * b.d == a.n * b.n * p.d);
	}
}

static void num_round_half_up(void **state)
{
	char b[32];
	kp_num r;
	(void)state;
	/* 80 × 1/3 = 26.666… → 26.67 */
	assert_int_equal(kp_num_mul(N("80"), N("1/3"), &r), 0);
	assert_string_equal(kp_num_fmt2(r, b), "26.67");
	/* exactly half rounds up: 0.125 → 0.13, 2.675 → 2.68 (a double
	 * would print 2.67) */
	assert_string_equal(kp_num_fmt2(N("0.125"), b), "0.13");
	assert_string_equal(kp_num_fmt2(N("2.675"), b), "2.68");
	assert_string_equal(kp_num_fmt2(N("-1.005"), b), "-1.01");
	assert_string_equal(kp_num_fmt2(N("0.004"), b), "0.00");
	/* 2/3 × 3 = 2 exactly */
	assert_int_equal(kp_num_mul(N("2/3"), N("3"), &r), 0);
	assert_string_equal(kp_num_str(r, b), "2");
}

static void buf_cap(void **state)
{
	kp_buf b;
	(void)state;
	kp_buf_init(&b, 8);
	assert_int_equal(kp_buf_adds(&b, "12345678"), 0);
	assert_int_equal(kp_buf_addc(&b, '9'), -1);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	kp_buf_reset(&b);
	assert_int_equal(kp_buf_addf(&b, "%d分", 30), 0);
	assert_string_equal(b.data, "30分");
	kp_buf_release(&b);
	assert_null(b.data);
}

static void csv_records(void **state)
{
	const char *text = "\xEF\xBB\xBF" "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
			   "\"two\nlines\",x\n\n,,\nlast";
	kp_csv c;
	kp_err e;
	(void)state;
	kp_csv_init(&c, "t.csv", text, strlen(text), ',');
	assert_int_equal(kp_csv_next(&c, &e), 1);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(c.fields[0], "a");
	assert_string_equal(c.fields[1], "b,c");
	assert_string_equal(c.fields[2], "say \"hi\"");
	assert_int_equal(c.row_line, 1);
	assert_int_equal(kp_csv_next(&c, &e), 1);
	assert_string_equal(c.fields[0], "two\nlines");
	assert_int_equal(c.row_line, 2);
	assert_int_equal(kp_csv_next(&c, &e), 1);   /* the empty line */
	assert_int_equal(c.nfields, 1);
	assert_int_equal(kp_csv_next(&c, &e), 1);
	assert_int_equal(c.nfields, 3);
	assert_int_equal(c.row_line, 5);
	assert_int_equal(kp_csv_next(&c, &e), 1);
	assert_string_equal(c.fields[0], "last");
	assert_int_equal(c.row_line, 6);
	assert_int_equal(kp_csv_next(&c, &e), 0);
	kp_csv_release(&c);
}

static void csv_errors(void **state)
{
	const char *open = "a,b\nc,\"never closed\nmore\n";
	const char *junk = "a,\"q\"x,b\n";
	kp_csv c;
	kp_err e;
	(void)state;
	kp_csv_init(&c, "t.csv", open, strlen(open), ',');
	assert_int_equal(kp_csv_next(&c, &e), 1);
	assert_int_equal(kp_csv_next(&c, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "t.csv:2: 引号未闭合"));
	kp_csv_release(&c);
	kp_csv_init(&c, "t.csv", junk, strlen(junk), ',');
	assert_int_equal(kp_csv_next(&c, &e), -1);
	assert_non_null(strstr(e.msg, "t.csv:1: 第 2 列：引号后还有多余的字符"));
	kp_csv_release(&c);
}

static void csv_put(void **state)
{
	kp_buf b = KP_BUF_INIT;
	(void)state;
	kp_csv_put(&b, "plain");
	kp_buf_addc(&b, '|');
	kp_csv_put(&b, "a,b");
	kp_buf_addc(&b, '|');
	kp_csv_put(&b, "q\"q");
	kp_buf_addc(&b, '|');
	kp_csv_put(&b, "l1\nl2");
	assert_string_equal(b.data, "plain|\"a,b\"|\"q\"\"q\"|\"l1\nl2\"");
	kp_buf_release(&b);
}

static void text(void **state)
{
	char s1[] = "\xE3\x80\x80 政务公开 \xC2\xA0\n";
	char s2[] = "市经济和 信息化委\n";
	kp_buf b = KP_BUF_INIT;
	kp_err e;
	/* "政务公开" in GBK */
	const char gbk[] = "\xD5\xFE\xCE\xF1\xB9\xAB\xBF\xAA";
	(void)state;
	assert_string_equal(kp_trim(s1), "政务公开");
	assert_string_equal(kp_squeeze(s2), "市经济和信息化委");
	assert_int_equal(kp_utf8_valid_prefix("ab\xE6\x94", 4), 2);
	assert_int_equal(kp_utf8_valid_prefix("\xC0\x80", 2), 0);   /* overlong */
	assert_int_equal(kp_utf8_valid_prefix("政务", strlen("政务")),
			 strlen("政务"));
	assert_int_equal(kp_gb18030_to_utf8(gbk, 8, &b, &e), 0);
	assert_string_equal(b.data, "政务公开");
	kp_buf_reset(&b);
	assert_int_equal(kp_gb18030_to_utf8("ok\x80\xFF", 4, &b, &e), -1);
	assert_non_null(strstr(e.msg, "第 3 字节"));
	kp_buf_release(&b);
	assert_int_equal(kp_utf8_width("ab政务"), 6);
}

/* kp_utf8_valid_prefix reads 16 and 32 bytes at a time: every form of
 * character, good and bad, at every offset across those blocks, after
 * ASCII and after Chinese, must stop exactly where a byte-by-byte reading
 * stops. */
static void utf8_blocks(void **state)
{
	static const struct { const char *s; size_t ok; } forms[] = {
		{ "\xE6\x94\xBF", 3 },          /* 政 */
		{ "\xC2\x80", 2 },              /* U+0080 */
		{ "\xDF\xBF", 2 },              /* U+07FF */
		{ "\xE0\xA0\x80", 3 },          /* U+0800 */
		{ "\xED\x9F\xBF", 3 },          /* U+D7FF */
		{ "\xEE\x80\x80", 3 },          /* U+E000 */
		{ "\xEF\xBF\xBF", 3 },          /* U+FFFF */
		{ "\xF0\x90\x80\x80", 4 },      /* U+10000 */
		{ "\xF4\x8F\xBF\xBF", 4 },      /* U+10FFFF */
		{ "\xC0\x80", 0 },              /* over-long */
		{ "\xC1\xBF", 0 },
		{ "\xE0\x9F\xBF", 0 },
		{ "\xF0\x8F\xBF\xBF", 0 },
		{ "\xED\xA0\x80", 0 },          /* surrogates */
		{ "\xED\xBF\xBF", 0 },
		{ "\xF4\x90\x80\x80", 0 },      /* above U+10FFFF */
		{ "\xF5\x80\x80\x80", 0 },
		{ "\xFF", 0 },
		{ "\x80", 0 },                  /* lone continuation */
		{ "\xE6\x94", 0 },              /* cut short, then 'a' */
		{ "\xE6", 0 },
		{ "\xC3", 0 },
		{ "\xF0\x9F\x98", 0 },
		{ "\xE6\x41\x80", 0 },
	};
	char buf[160];
	(void)state;
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		size_t fl = strlen(forms[f].s);
		for (size_t pad = 0; pad < 70; pad++) {
			for (int cjk = 0; cjk < 2; cjk++) {
				/* pad bytes of ASCII, or 政 repeated and ASCII */
				size_t k = 0, n;
				while (k < pad) {
					if (cjk && pad - k >= 3) {
						memcpy(buf + k, "\xE6\x94\xBF", 3);
						k += 3;
					} else {
						buf[k++] = 'x';
					}
				}
				memcpy(buf + k, forms[f].s, fl);
				n = k + fl;
				memset(buf + n, 'a', 40);   /* then ASCII */
				if (kp_utf8_valid_prefix(buf, n + 40) !=
				    (forms[f].ok ? n + 40 : k))
					fail_msg("form %zu after %zu bytes (%s): %zu",
						 f, k, cjk ? "Chinese" : "ASCII",
						 kp_utf8_valid_prefix(buf, n + 40));
				/* and at the very end */
				assert_int_equal(kp_utf8_valid_prefix(buf, n),
						 forms[f].ok ? n : k);
			}
		}
	}
	assert_int_equal(kp_utf8_valid_prefix("", 0), 0);
	assert_int_equal(kp_utf8_valid_prefix("\xE6", 1), 0);
	assert_int_equal(kp_utf8_valid_prefix("a\xE6", 2), 1);
}

static void files(void **state)
{
	char dir[] = "/tmp/kp-test-XXXXXX";
	char path[64];
	kp_buf b = KP_BUF_INIT;
	kp_err e;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.csv", dir);
	assert_int_equal(kp_write_atomic(path, "x,y\n", 4, &e), 0);
	assert_int_equal(kp_read_file(path, 100, &b, &e), 0);
	assert_string_equal(b.data, "x,y\n");
	kp_buf_release(&b);
	assert_int_equal(kp_read_file(path, 3, &b, &e), -1);
	assert_int_equal(e.code, KP_ETOOBIG);
	assert_non_null(strstr(e.msg, "文件过大"));
	kp_buf_release(&b);
	assert_int_equal(kp_read_file(dir, 100, &b, &e), -1);
	assert_non_null(strstr(e.msg, "目录"));
	kp_buf_release(&b);
	unlink(path);
	assert_int_equal(kp_read_file(path, 100, &b, &e), -1);
	assert_non_null(strstr(e.msg, "文件不存在"));
	kp_buf_release(&b);
	rmdir(dir);
}

/* Digits from outside: bounded by the buffer, capped, garbage refused. */
static void digits(void **state)
{
	const char page[4] = { '1', '2', '3', '4' };   /* no NUL after it */
	(void)state;
	assert_int_equal(kp_digits(page, page + 4, 100000), 1234);
	assert_int_equal(kp_digits(page, page + 2, 100000), 12);
	assert_int_equal(kp_digits(page, page + 4, 100), 100);
	assert_int_equal(kp_digits("99999999999999999999x", "99999999999999999999x" + 21, 1000), 1000);
	assert_int_equal(kp_digits("x1", "x1" + 2, 10), -1);
	assert_int_equal(kp_digits("", "", 10), -1);
}

static int collect(void *arg, const char *item)
{
	kp_buf *b = arg;
	kp_buf_addf(b, "[%s]", item);
	return !strcmp(item, "停");
}

/* "、" and "," both separate; items are trimmed, empty ones skipped. */
static void lists(void **state)
{
	kp_buf b = KP_BUF_INIT;
	char cell[] = " 市财政局、 市发展改革委 ,,市编办、";
	char *cur = cell;
	(void)state;
	assert_string_equal(kp_list_next(&cur), "市财政局");
	assert_string_equal(kp_list_next(&cur), "市发展改革委");
	assert_string_equal(kp_list_next(&cur), "市编办");
	assert_null(kp_list_next(&cur));
	assert_int_equal(kp_list_each("甲、乙,停、丙", collect, &b), 1);
	assert_string_equal(b.data, "[甲][乙][停]");
	kp_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(num_parse),
		cmocka_unit_test(num_exact),
		cmocka_unit_test(num_round_half_up),
		cmocka_unit_test(num_reduced),
		cmocka_unit_test(buf_cap),
		cmocka_unit_test(csv_records),
		cmocka_unit_test(csv_errors),
		cmocka_unit_test(csv_put),
		cmocka_unit_test(text),
		cmocka_unit_test(utf8_blocks),
		cmocka_unit_test(files),
		cmocka_unit_test(digits),
		cmocka_unit_test(lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
