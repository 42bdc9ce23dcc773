/* The other tables an office publishes, imported with no options and
 * recognised by their shape (issue 14): a quota table (单位 / 市级采用任务
 * / 省级采用任务, in sections that repeat the header, "12（含省直报点
 * 采用）", a 合计 row) becomes kind quota; a point standard written as
 * numbered rules (序号 / 计分规则 / 备注, sections naming the level, a
 * sentence of four clauses) becomes kind schedule — each in CSV, GBK CSV
 * and XLSX (a title row merged across the columns), each pinning every
 * record and the rows a person must check.  Before, both stopped with
 * "找不到表头". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "catalog/catalog.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define NC 3

/* ---- the three formats of one sheet ----------------------------------- */

enum fmt { F_CSV, F_GBK, F_XLSX };

static void csv_text(const char *const (*rows)[NC], size_t n, kp_buf *b)
{
	for (size_t r = 0; r < n; r++) {
		for (size_t c = 0; c < NC; c++) {
			if (c)
				kp_buf_addc(b, ',');
			kp_csv_put(b, rows[r][c]);
		}
		kp_buf_addc(b, '\n');
	}
}

static bool numeric(const char *v)
{
	char *end;
	if (!*v)
		return false;
	strtod(v, &end);
	return !*end;
}

/* The title (row 0) merged across the columns; numbers as numbers. */
static void write_xlsx(const char *path, const char *const (*rows)[NC],
		       size_t n)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
	assert_non_null(wb);
	for (size_t r = 0; r < n; r++)
		for (size_t c = 0; c < NC; c++) {
			const char *v = rows[r][c];
			if (!*v)
				continue;
			if (r == 0 && c == 0)
				worksheet_merge_range(ws, 0, 0, 0, NC - 1, v,
						      NULL);
			else if (numeric(v))
				worksheet_write_number(ws, (lxw_row_t)r,
						       (lxw_col_t)c, atof(v),
						       NULL);
			else
				worksheet_write_string(ws, (lxw_row_t)r,
						       (lxw_col_t)c, v, NULL);
		}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* Import rows written as fmt, with no options; the sheet's name is name
 * (its extension added).  Returns the kp_import result; *t, rep, e. */
static int import_as(enum fmt f, const char *name,
		     const char *const (*rows)[NC], size_t n, kp_table **t,
		     kp_import_report *rep, kp_err *e)
{
	kp_buf b = KP_BUF_INIT;
	kp_sheet *s = NULL;
	int rc;
	*t = NULL;
	if (f == F_XLSX) {
		char path[] = "/tmp/kp-kinds-XXXXXX";
		char xlsx[64];
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		snprintf(xlsx, sizeof(xlsx), "%s.xlsx", path);
		write_xlsx(xlsx, rows, n);
		assert_int_equal(kp_sheet_load(xlsx, NULL, &s, e), 0);
		remove(xlsx);
		remove(path);
	} else {
		char nm[64];
		csv_text(rows, n, &b);
		snprintf(nm, sizeof(nm), "%s.csv", name);
		if (f == F_GBK) {
			iconv_t cd = iconv_open("GBK", "UTF-8");
			char *in = b.data, *gbk = malloc(b.len * 2), *out = gbk;
			size_t inleft = b.len, outleft = b.len * 2;
			assert_true(cd != (iconv_t)-1);
			assert_true(iconv(cd, &in, &inleft, &out, &outleft) !=
				    (size_t)-1);
			iconv_close(cd);
			/* it is GBK: not valid UTF-8 */
			assert_true(kp_utf8_valid_prefix(gbk, b.len * 2 - outleft) <
				    b.len * 2 - outleft);
			assert_int_equal(kp_sheet_parse(nm, gbk, b.len * 2 - outleft,
							NULL, &s, e), 0);
			free(gbk);
		} else {
			assert_int_equal(kp_sheet_parse(nm, b.data, b.len, NULL,
							&s, e), 0);
		}
	}
	rc = kp_import(s, NULL, t, rep, e);
	if (rc < 0)
		print_message("  → %s\n", e->msg);
	for (size_t i = 0; rc == 0 && i < rep->n; i++)
		print_message("  rep: %s\n", rep->lines[i]);
	kp_sheet_free(s);
	kp_buf_release(&b);
	return rc;
}

/* Every record, its cells joined with '|', against want. */
static void check_recs(const kp_table *t, const char *const *want, size_t n)
{
	assert_int_equal(t->nrecs, n);
	for (size_t i = 0; i < n; i++) {
		kp_buf b = KP_BUF_INIT;
		for (size_t c = 0; c < t->ncols; c++)
			kp_buf_addf(&b, "%s%s", c ? "|" : "", t->recs[i].cells[c]);
		print_message("  %s\n", b.data);
		assert_string_equal(b.data, want[i]);
		kp_buf_release(&b);
	}
}

/* ---- a quota table ------------------------------------------------------ */

static const char *const quota[][NC] = {
	{ "2016 年政务信息采用任务分配表", "", "" },
	{ "一、各县区政府", "", "" },
	{ "单 位", "市级采用任务（分）", "省级采用任务（分）" },
	{ "东区政府", "150", "12（含省直报点采用）" },
	{ "西区政府", "150", "6" },
	{ "二、市级各群团单位", "", "" },
	{ "单 位", "市级采用任务", "省级采用任务" },
	{ "市总工会", "20", "0" },
	{ "市妇联", "20", "0" },
	{ "合计", "340", "18" },
};

static const char *const quota_want[] = {
	"东区政府|各县区政府|150|12|含省直报点采用",
	"西区政府|各县区政府|150|6|",
	"市总工会|市级各群团单位|20|0|",
	"市妇联|市级各群团单位|20|0|",
};

static void quota_in(enum fmt f)
{
	kp_table *t;
	kp_import_report rep;
	kp_err e = { 0 };
	assert_int_equal(import_as(f, "quota", quota, N_OF(quota), &t, &rep,
				   &e), 0);
	assert_int_equal(t->kind, KP_KIND_QUOTA);
	assert_string_equal(kp_table_get(t, "title"),
			    "2016年政务信息采用任务分配表");
	assert_string_equal(kp_table_get(t, "year"), "2016");
	assert_string_equal(t->cols[0], "unit");
	check_recs(t, quota_want, N_OF(quota_want));
	assert_int_equal(rep.n, 0);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

static void quota_csv(void **state)
{
	(void)state;
	quota_in(F_CSV);
}

static void quota_gbk(void **state)
{
	(void)state;
	quota_in(F_GBK);
}

static void quota_xlsx(void **state)
{
	(void)state;
	quota_in(F_XLSX);
}

/* A task that is no number, and a row longer than its header: refused
 * with the line. */
static void quota_refused(void **state)
{
	static const char *const bad[][NC] = {
		{ "单位", "市级采用任务", "" },
		{ "东区政府", "150", "" },
		{ "西区政府", "一百五", "" },
	};
	static const char *const longer[][NC] = {
		{ "单位", "市级采用任务", "" },
		{ "东区政府", "150", "" },
		{ "西区政府", "150", "多出来的" },
	};
	kp_table *t;
	kp_import_report rep;
	kp_err e = { 0 };
	(void)state;
	assert_int_equal(import_as(F_CSV, "bad", bad, N_OF(bad), &t, &rep, &e),
			 -1);
	assert_null(t);
	assert_string_equal(e.msg,
			    "bad.csv:3: “西区政府”的市级采用任务“一百五”不是数");
	kp_import_report_release(&rep);
	assert_int_equal(import_as(F_CSV, "long", longer, N_OF(longer), &t,
				   &rep, &e), -1);
	assert_null(t);
	assert_non_null(strstr(e.msg, "long.csv:3: "));
	assert_non_null(strstr(e.msg, "“多出来的”"));
	kp_import_report_release(&rep);
}

/* ---- a point standard written as numbered rules ------------------------ */

static const char *const points[][NC] = {
	{ "2016年政务信息采用计分标准", "", "" },
	{ "序号", "计分规则", "备注" },
	{ "一", "市级信息采用计分标准", "" },
	{ "（一）", "《攀政快讯》采用 1 条信息计 4 分。", "" },
	{ "（二）", "《每日政情》每出刊 1 期计 2 分。", "按期计分" },
	{ "（三）", "以上刊物采用信息获得市级领导批示的每条加 10 分。", "" },
	{ "二", "省级信息采用计分标准", "" },
	{ "（一）",
	  "省政府上报国办信息每采用 1 条动态信息计 3 分，每采用 1 条专报信息计 8 分，"
	  "被国办采用的动态信息每条再另加 3 分，专报再另加 8 分。",
	  "" },
};

#define GB "省政府上报国办信息每采用1条动态信息计3分，每采用1条专报信息计8分，" \
	   "被国办采用的动态信息每条再另加3分，专报再另加8分。"

static const char *const points_want[] = {
	"1.1|市级|攀政快讯|条|4|base||《攀政快讯》采用1条信息计4分。|",
	"1.2|市级|每日政情|期|2|base||《每日政情》每出刊1期计2分。|按期计分",
	"1.3|市级|市级领导批示|条|10|bonus|level:市级|以上刊物采用信息获得市级领导批示的每条加10分。|",
	"2.1.1|省级|省政府上报国办（动态信息）|条|3|base||" GB
	"|本句分句“省政府上报国办信息每采用1条动态信息计3分”",
	"2.1.2|省级|省政府上报国办（专报信息）|条|8|base||" GB
	"|本句分句“每采用1条专报信息计8分”",
	"2.1.3|省级|国办采用动态信息|条|3|bonus|2.1.1|" GB
	"|本句分句“被国办采用的动态信息每条再另加3分”",
	"2.1.4|省级|国办采用专报信息|条|8|bonus|2.1.2|" GB
	"|本句分句“专报再另加8分”",
};

static void points_in(enum fmt f)
{
	kp_table *t;
	kp_import_report rep;
	kp_err e = { 0 };
	assert_int_equal(import_as(f, "points", points, N_OF(points), &t,
				   &rep, &e), 0);
	assert_int_equal(t->kind, KP_KIND_SCHEDULE);
	assert_string_equal(kp_table_get(t, "title"), "2016年政务信息采用计分标准");
	check_recs(t, points_want, N_OF(points_want));
	/* the elliptical clause, read as the one before it, is for a person
	 * to check: one line, the sheet's eighth row */
	assert_int_equal(rep.n, 1);
	assert_non_null(strstr(rep.lines[0], ":8: “专报再另加8分”按上一分句读作“国办采用专报信息”"));
	kp_import_report_release(&rep);
	kp_table_free(t);
}

static void points_csv(void **state)
{
	(void)state;
	points_in(F_CSV);
}

static void points_gbk(void **state)
{
	(void)state;
	points_in(F_GBK);
}

static void points_xlsx(void **state)
{
	(void)state;
	points_in(F_XLSX);
}

/* The rules alone, one per row, as the notice prints them: the same
 * records, the title from the first row. */
static void points_bare(void **state)
{
	static const char *const bare[][NC] = {
		{ "2016 年政务信息采用计分标准", "", "" },
		{ "一、市级信息采用计分标准", "", "" },
		{ "- (一) 《攀政快讯》采用 1 条信息计 4 分。", "", "" },
		{ "- (二) 《攀政快讯特刊》采用 1 条信息计 8 分。", "", "" },
		{ "二、省级信息采用计分标准", "", "" },
		{ "- (一) 《川政晨讯》每采用 1 条信息计 3 分。", "", "" },
		{ "- (二) 以上刊物采用信息获得省级或省级以上领导批示的每条加 10 分。", "", "" },
	};
	static const char *const want[] = {
		"1.1|市级|攀政快讯|条|4|base||《攀政快讯》采用1条信息计4分。|",
		"1.2|市级|攀政快讯特刊|条|8|base||《攀政快讯特刊》采用1条信息计8分。|",
		"2.1|省级|川政晨讯|条|3|base||《川政晨讯》每采用1条信息计3分。|",
		"2.2|省级|省级或省级以上领导批示|条|10|bonus|level:省级|以上刊物采用信息获得省级或省级以上领导批示的每条加10分。|",
	};
	kp_table *t;
	kp_import_report rep;
	kp_err e = { 0 };
	(void)state;
	assert_int_equal(import_as(F_CSV, "bare", bare, N_OF(bare), &t, &rep,
				   &e), 0);
	assert_int_equal(t->kind, KP_KIND_SCHEDULE);
	assert_string_equal(kp_table_get(t, "title"), "2016年政务信息采用计分标准");
	check_recs(t, want, N_OF(want));
	assert_int_equal(rep.n, 0);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* A rule longer than its header is refused with its line; an indicator
 * table beside these shapes is still an indicator table. */
static void points_refused(void **state)
{
	static const char *const longer[][NC] = {
		{ "序号", "计分规则", "" },
		{ "（一）", "《攀政快讯》采用1条信息计4分。", "" },
		{ "（二）", "《每日政情》每出刊1期计2分。", "多出来的" },
	};
	static const char *const ind[][NC] = {
		{ "序号", "评估内容", "分值" },
		{ "1", "栏目设置", "10" },
		{ "2", "信息更新", "20" },
	};
	kp_table *t;
	kp_import_report rep;
	kp_err e = { 0 };
	(void)state;
	assert_int_equal(import_as(F_CSV, "long", longer, N_OF(longer), &t,
				   &rep, &e), -1);
	assert_null(t);
	assert_non_null(strstr(e.msg, "long.csv:3: "));
	assert_non_null(strstr(e.msg, "“多出来的”"));
	kp_import_report_release(&rep);
	assert_int_equal(import_as(F_CSV, "ind", ind, N_OF(ind), &t, &rep, &e),
			 0);
	assert_int_equal(t->kind, KP_KIND_INDICATORS);
	assert_int_equal(t->nnodes, 2);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quota_csv),
		cmocka_unit_test(quota_gbk),
		cmocka_unit_test(quota_xlsx),
		cmocka_unit_test(quota_refused),
		cmocka_unit_test(points_csv),
		cmocka_unit_test(points_gbk),
		cmocka_unit_test(points_xlsx),
		cmocka_unit_test(points_bare),
		cmocka_unit_test(points_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
