/* Tests of src/sheet (sheet.c): kp_sheet_parse on in-memory CSV, TSV and
 * GBK text, and the refusals — empty, NUL bytes, bad encodings, oversized
 * input, files that only pretend to be XLSX, unclosed quotes.  The XLSX
 * reader itself is tested in test_xlsx.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sheet/sheet.h"

/* Parse (name, data[0..n)) and insist it succeeds. */
static kp_sheet *parse_ok(const char *name, const char *data, size_t n,
			  const kp_sheet_opts *o)
{
	kp_sheet *s = (kp_sheet *)1;
	kp_err e = { 0 };
	int rc = kp_sheet_parse(name, data, n, o, &s, &e);
	if (rc != 0)
		print_error("%s: unexpected error: %s\n", name, e.msg);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

/* An expected cell: row, column, text. */
struct cell {
	size_t row, col;
	const char *text;
};

static void check_cells(const kp_sheet *s, const struct cell *cells,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = kp_sheet_cell(s, cells[i].row, cells[i].col);
		if (strcmp(got, cells[i].text))
			print_error("cell (%zu,%zu): got \"%s\", want \"%s\"\n",
				    cells[i].row, cells[i].col, got,
				    cells[i].text);
		assert_string_equal(got, cells[i].text);
	}
}

/* ---- CSV: quotes, embedded newlines, CRLF ---------------------------- */

static void csv_quotes_newlines_crlf(void **state)
{
	/* line 1: plain, quoted with separator, doubled quote
	 * line 2-3: a quoted cell spanning two lines (LF inside, CRLF out)
	 * line 4: a cell spanning three lines
	 * line 7: last record, no final newline */
	static const char data[] =
		"一级指标,\"基本信息,概况\",\"说\"\"明\"\"\"\r\n"
		"\"第一行\n第二行\",x\r\n"
		"a,\"1\n2\n3\",c\r\n"
		"last,row";
	static const struct cell want[] = {
		{ 0, 0, "一级指标" }, { 0, 1, "基本信息,概况" },
		{ 0, 2, "说\"明\"" },
		{ 1, 0, "第一行\n第二行" }, { 1, 1, "x" },
		{ 2, 0, "a" }, { 2, 1, "1\n2\n3" }, { 2, 2, "c" },
		{ 3, 0, "last" }, { 3, 1, "row" },
		{ 3, 2, "" },      /* missing cell reads as "" */
		{ 9, 0, "" },      /* so does a missing row */
	};
	static const size_t lines[] = { 1, 2, 4, 7 };
	kp_sheet *s = parse_ok("x.csv", data, sizeof(data) - 1, NULL);
	(void)state;
	assert_int_equal(kp_sheet_format(s), KP_SHEET_CSV);
	assert_string_equal(kp_sheet_encoding(s), "UTF-8");
	assert_string_equal(kp_sheet_name(s), "x.csv");
	assert_int_equal(kp_sheet_nrows(s), 4);
	assert_int_equal(kp_sheet_ncols(s, 0), 3);
	assert_int_equal(kp_sheet_ncols(s, 3), 2);
	check_cells(s, want, sizeof(want) / sizeof(want[0]));
	for (size_t r = 0; r < sizeof(lines) / sizeof(lines[0]); r++)
		assert_int_equal(kp_sheet_line(s, r), lines[r]);
	/* no CR left at the end of any cell */
	for (size_t r = 0; r < kp_sheet_nrows(s); r++)
		for (size_t c = 0; c < kp_sheet_ncols(s, r); c++)
			assert_null(strchr(kp_sheet_cell(s, r, c), '\r'));
	kp_sheet_free(s);
}

static void csv_bom_skipped(void **state)
{
	static const char data[] = "\xEF\xBB\xBF一级指标,分值\n政务公开,30\n";
	static const struct cell want[] = {
		{ 0, 0, "一级指标" }, { 0, 1, "分值" },
		{ 1, 0, "政务公开" }, { 1, 1, "30" },
	};
	kp_sheet *s = parse_ok("x.csv", data, sizeof(data) - 1, NULL);
	(void)state;
	assert_int_equal(kp_sheet_nrows(s), 2);
	check_cells(s, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(kp_sheet_line(s, 0), 1);
	assert_int_equal(kp_sheet_line(s, 1), 2);
	assert_string_equal(kp_sheet_encoding(s), "UTF-8");
	kp_sheet_free(s);
}

/* ---- the separator: by extension, by sniffing, by option ------------- */

static const struct sep_case {
	const char *name;
	const char *data;
	char force;                   /* opts.sep, 0: detect */
	enum kp_sheet_format format;
	size_t ncols;                 /* of row 0 */
	const char *c00, *c01;
} sep_cases[] = {
	/* .tsv: tab even though the line has more commas */
	{ "x.tsv", "a,b,c\td\n", 0, KP_SHEET_TSV, 2, "a,b,c", "d" },
	{ "X.TSV", "a,b\tc\n", 0, KP_SHEET_TSV, 2, "a,b", "c" },
	{ "x.txt", "一级指标\t分值\n", 0, KP_SHEET_TSV, 2, "一级指标", "分值" },
	/* .csv whose first line has tabs: sniffed as TSV */
	{ "x.csv", "一级指标\t二级指标\t分值\n政务公开\t基本信息\t6\n", 0,
	  KP_SHEET_TSV, 3, "一级指标", "二级指标" },
	/* .csv with commas stays CSV; the tab is part of a cell */
	{ "x.csv", "a\tb,c,d\n", 0, KP_SHEET_CSV, 3, "a\tb", "c" },
	/* forced separator wins over the extension */
	{ "x.tsv", "a,b\tc\n", ',', KP_SHEET_CSV, 2, "a", "b\tc" },
};

static void sep_detection(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sep_cases) / sizeof(sep_cases[0]); i++) {
		const struct sep_case *t = &sep_cases[i];
		kp_sheet_opts o = { 0, 0, t->force };
		kp_sheet *s = parse_ok(t->name, t->data, strlen(t->data), &o);
		if (kp_sheet_format(s) != t->format)
			print_error("case %zu (%s): format %d, want %d\n", i,
				    t->name, (int)kp_sheet_format(s),
				    (int)t->format);
		assert_int_equal(kp_sheet_format(s), t->format);
		assert_int_equal(kp_sheet_ncols(s, 0), t->ncols);
		assert_string_equal(kp_sheet_cell(s, 0, 0), t->c00);
		assert_string_equal(kp_sheet_cell(s, 0, 1), t->c01);
		kp_sheet_free(s);
	}
}

static void tsv_sniffed_rows(void **state)
{
	static const char data[] = "一级指标\t二级指标\t分值\n"
				   "政务公开 (30分)\t基本信息 (6分)\t6\n"
				   "\t重点信息\t14\n";
	static const struct cell want[] = {
		{ 1, 0, "政务公开 (30分)" }, { 1, 1, "基本信息 (6分)" },
		{ 1, 2, "6" }, { 2, 0, "" }, { 2, 1, "重点信息" }, { 2, 2, "14" },
	};
	kp_sheet *s = parse_ok("表一.csv", data, sizeof(data) - 1, NULL);
	(void)state;
	assert_int_equal(kp_sheet_format(s), KP_SHEET_TSV);
	assert_int_equal(kp_sheet_nrows(s), 3);
	check_cells(s, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(kp_sheet_line(s, 2), 3);
	kp_sheet_free(s);
}

/* ---- encodings ------------------------------------------------------- */

static void gbk_converted(void **state)
{
	/* "一级指标,分值\n政务公开,30\n" in GBK
	 * (printf … | iconv -t GBK | xxd) */
	static const char data[] =
		"\xD2\xBB\xBC\xB6\xD6\xB8\xB1\xEA,\xB7\xD6\xD6\xB5\n"
		"\xD5\xFE\xCE\xF1\xB9\xAB\xBF\xAA,30\n";
	static const struct cell want[] = {
		{ 0, 0, "一级指标" }, { 0, 1, "分值" },
		{ 1, 0, "政务公开" }, { 1, 1, "30" },
	};
	kp_sheet *s = parse_ok("gbk.csv", data, sizeof(data) - 1, NULL);
	(void)state;
	assert_string_equal(kp_sheet_encoding(s), "GBK");
	assert_int_equal(kp_sheet_format(s), KP_SHEET_CSV);
	assert_int_equal(kp_sheet_nrows(s), 2);
	check_cells(s, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(kp_sheet_line(s, 1), 2);
	kp_sheet_free(s);
}

static void gbk_tsv_sniffed(void **state)
{
	/* the same in GBK with tabs: sniffing happens after conversion */
	static const char data[] =
		"\xD2\xBB\xBC\xB6\xD6\xB8\xB1\xEA\t\xB7\xD6\xD6\xB5\n"
		"\xD5\xFE\xCE\xF1\xB9\xAB\xBF\xAA\t30\n";
	kp_sheet *s = parse_ok("gbk.csv", data, sizeof(data) - 1, NULL);
	(void)state;
	assert_string_equal(kp_sheet_encoding(s), "GBK");
	assert_int_equal(kp_sheet_format(s), KP_SHEET_TSV);
	assert_string_equal(kp_sheet_cell(s, 1, 0), "政务公开");
	assert_string_equal(kp_sheet_cell(s, 1, 1), "30");
	kp_sheet_free(s);
}

/* ---- refusals, as data ----------------------------------------------- */

static const struct bad_case {
	const char *what;
	const char *name;
	const char *data;
	size_t n;
	size_t max_bytes;    /* opts.max_bytes; 0: default */
	int code;
	const char *want[3]; /* substrings the message must hold */
} bad_cases[] = {
#define D(lit) lit, sizeof(lit) - 1
	{ "neither UTF-8 nor GB18030", "x.csv", D("a,b\n\xFF\xFF,c\n"), 0,
	  KP_EINPUT, { "x.csv", "编码" } },
	{ "lone 0x80", "x.csv", D("a,\x80\n"), 0, KP_EINPUT, { "编码" } },
	{ "empty", "x.csv", D(""), 0, KP_EINPUT, { "x.csv", "文件为空" } },
	{ "NUL byte", "x.csv", D("a,b\0c\n"), 0, KP_EINPUT,
	  { "x.csv", "NUL" } },
	{ "UTF-16 (NUL bytes)", "x.csv", D("\xFF\xFE" "a\0,\0b\0"), 0,
	  KP_EINPUT, { "NUL" } },
	{ "over max_bytes", "x.csv", D("一级指标,分值\n政务公开,30\n"), 16,
	  KP_ETOOBIG, { "x.csv", "过大" } },
	{ ".xls, not a zip", "表一.xls", D("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
	  0, KP_EINPUT, { "表一.xls", ".xlsx" } },
	{ ".xlsx, not a zip", "表一.xlsx", D("一级指标,分值\n"), 0, KP_EINPUT,
	  { "表一.xlsx", "XLSX" } },
	{ "zip signature, not a zip", "x.csv", D("PK\3\4 not really a zip"),
	  0, KP_EINPUT, { "x.csv", "XLSX" } },
	{ "zip signature only", "x.xlsx", D("PK\3\4"), 0, KP_EINPUT,
	  { "XLSX" } },
	{ "unclosed quote", "x.csv", D("a,b\nc,\"open\nmore\nstill\n"), 0,
	  KP_EINPUT, { "x.csv:2:", "引号" } },
	{ "text after closing quote", "x.csv", D("a,b\n\"c\"d,e\n"), 0,
	  KP_EINPUT, { "x.csv:2:" } },
};

#undef D

static void refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *t = &bad_cases[i];
		kp_sheet_opts o = { t->max_bytes, 0, 0 };
		kp_sheet *s = (kp_sheet *)1;
		kp_err e = { 0 };
		int rc = kp_sheet_parse(t->name, t->data, t->n, &o, &s, &e);
		print_message("  %-28s → %s\n", t->what, e.msg);
		if (rc != -1) {
			print_error("%s: accepted\n", t->what);
			kp_sheet_free(rc == 0 ? s : NULL);
		}
		assert_int_equal(rc, -1);
		assert_null(s);
		if (e.code != t->code)
			print_error("%s: code %d, want %d\n", t->what, e.code,
				    t->code);
		assert_int_equal(e.code, t->code);
		for (size_t k = 0; k < 3 && t->want[k]; k++) {
			if (!strstr(e.msg, t->want[k]))
				print_error("%s: \"%s\" lacks \"%s\"\n", t->what,
					    e.msg, t->want[k]);
			assert_non_null(strstr(e.msg, t->want[k]));
		}
	}
}

/* The size cap is on the input: exactly max_bytes is accepted. */
static void max_bytes_boundary(void **state)
{
	static const char data[] = "ab,cd\n";   /* 6 bytes */
	kp_sheet_opts o = { 6, 0, 0 };
	kp_sheet *s = parse_ok("x.csv", data, 6, &o);
	(void)state;
	assert_string_equal(kp_sheet_cell(s, 0, 1), "cd");
	kp_sheet_free(s);
}

/* opts.max_bytes caps the file ("files over opts->max_bytes are refused"),
 * so a file within the cap must load whatever its cells add up to. */
static void max_bytes_is_the_file_size(void **state)
{
	/* "一级指标,分值\n政务公开,30\n" in GBK: 26 bytes, 36 as UTF-8 */
	static const char gbk[] =
		"\xD2\xBB\xBC\xB6\xD6\xB8\xB1\xEA,\xB7\xD6\xD6\xB5\n"
		"\xD5\xFE\xCE\xF1\xB9\xAB\xBF\xAA,30\n";
	static const struct {
		const char *name, *data;
		size_t n;
	} cases[] = {
		{ "x.csv", "ab,cd", 5 },            /* no final newline */
		{ "g.csv", gbk, sizeof(gbk) - 1 },  /* GBK grows as UTF-8 */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kp_sheet_opts o = { cases[i].n, 0, 0 };
		kp_sheet *s = NULL;
		kp_err e = { 0 };
		int rc = kp_sheet_parse(cases[i].name, cases[i].data,
					cases[i].n, &o, &s, &e);
		if (rc)
			print_error("%s (%zu bytes, max_bytes %zu): %s\n",
				    cases[i].name, cases[i].n, cases[i].n,
				    e.msg);
		/* the cap is on the file's size: a file of exactly max_bytes,
		 * or a GBK file that grows when converted, is accepted */
		assert_int_equal(rc, 0);
		kp_sheet_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_quotes_newlines_crlf),
		cmocka_unit_test(csv_bom_skipped),
		cmocka_unit_test(sep_detection),
		cmocka_unit_test(tsv_sniffed_rows),
		cmocka_unit_test(gbk_converted),
		cmocka_unit_test(gbk_tsv_sniffed),
		cmocka_unit_test(refusals),
		cmocka_unit_test(max_bytes_boundary),
		cmocka_unit_test(max_bytes_is_the_file_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
