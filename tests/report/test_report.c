/* The report writers (src/report) called directly: a small document
 * written as XLSX (read back with the sheet reader, and its sheet XML
 * checked for number cells), CSV (BOM, quoting) and HTML (escaping,
 * merged cells); file names per table; a failed write leaves nothing;
 * an output written a part at a time equals the whole document's; and
 * the builders on the sample round of scripts/demo.sh (市公安局
 * 92.50, the 扣分说明 of 1.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "report/report.h"
#include "round/round.h"
#include "sheet/sheet.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static char dir[] = "/tmp/kp-report-XXXXXX";

static char *path_of(const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static char *slurp(const char *path)
{
	kp_buf b = KP_BUF_INIT;
	kp_err e;
	assert_int_equal(kp_read_file(path, 1 << 24, &b, &e), 0);
	return kp_buf_detach(&b);
}

/* A document of two tables: the second has a merged cell and text that
 * HTML must escape.  small_table adds table 0 or 1 to d. */
static void small_table(kp_rep_doc *d, int which)
{
	static const char *const heads[] = { "序号", "指标", "得分", "得分率" };
	kp_rep_table *t;
	kp_num a, b;
	size_t r;
	if (which == 0) {
		t = kp_rep_table_new(d, "甲局", "考评表", "单位：甲局", heads, NULL, 4);
		r = kp_rep_row(t);
		kp_rep_text(t, r, 0, "1");
		kp_rep_text(t, r, 1, "组织保障, \"含引号\"");
		kp_num_parse("7.5", &a);
		kp_num_parse("10", &b);
		kp_rep_num(t, r, 2, a);
		kp_rep_pct(t, r, 3, a, b);
		r = kp_rep_row(t);
		kp_rep_text(t, r, 0, "合计");
		kp_num_parse("2/3", &a);
		kp_rep_num(t, r, 2, a);
		kp_rep_foot(t, "考核人（签字）：%s", "＿＿");
		return;
	}
	t = kp_rep_table_new(d, "乙/局", "考评表", "", heads, NULL, 4);
	r = kp_rep_row(t);
	kp_rep_text(t, r, 1, "<b>&乙</b>");
	kp_rep_int(t, r, 2, 3);
	kp_rep_row(t);
	kp_rep_merge_add(t, 0, 1, 1, 1);
}

static void small_doc(kp_rep_doc *d)
{
	kp_rep_doc_init(d, "测试<文档>");
	small_table(d, 0);
	small_table(d, 1);
}

static void test_formats(void **st)
{
	(void)st;
	assert_int_equal(kp_rep_format_of("a/b.XLSX"), KP_REP_XLSX);
	assert_int_equal(kp_rep_format_of("x.csv"), KP_REP_CSV);
	assert_int_equal(kp_rep_format_of("x.htm"), KP_REP_HTML);
	assert_int_equal(kp_rep_format_of("x.d/noext"), KP_REP_NONE);
	assert_string_equal(kp_rep_format_ext(KP_REP_HTML), "html");
}

static void test_csv(void **st)
{
	kp_rep_doc d;
	kp_err e;
	char *s;
	(void)st;
	small_doc(&d);
	assert_int_equal(kp_rep_write(&d, path_of("a.csv"), KP_REP_NONE, &e), 0);
	s = slurp(path_of("a.csv"));
	assert_memory_equal(s, "\xEF\xBB\xBF考评表\n单位：甲局\n序号,指标,得分,得分率\n", 
			    strlen("\xEF\xBB\xBF考评表\n单位：甲局\n序号,指标,得分,得分率\n"));
	assert_non_null(strstr(s, "1,\"组织保障, \"\"含引号\"\"\",7.50,75.00%\n"));
	assert_non_null(strstr(s, "合计,,0.67,\n考核人（签字）：＿＿\n\n考评表\n"));
	assert_non_null(strstr(s, ",<b>&乙</b>,3,\n"));
	free(s);
	kp_rep_doc_release(&d);
}

static void test_html(void **st)
{
	kp_rep_doc d;
	kp_err e;
	char *s;
	(void)st;
	small_doc(&d);
	assert_int_equal(kp_rep_write(&d, path_of("a.html"), KP_REP_NONE, &e), 0);
	s = slurp(path_of("a.html"));
	assert_non_null(strstr(s, "<title>测试&lt;文档&gt;</title>"));
	assert_non_null(strstr(s, "<td rowspan=\"2\">&lt;b&gt;&amp;乙&lt;/b&gt;</td>"));
	assert_null(strstr(s, "<b>&乙"));
	assert_non_null(strstr(s, "<td class=\"n\">75.00%</td>"));
	assert_non_null(strstr(s, "组织保障, &quot;含引号&quot;"));
	free(s);
	kp_rep_doc_release(&d);
}

/* The sheet XML of worksheet n of an XLSX. */
static char *sheet_xml(const char *path, int n)
{
	char name[64];
	zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
	zip_file_t *f;
	zip_stat_t zs;
	char *buf;
	assert_non_null(z);
	snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", n);
	assert_int_equal(zip_stat(z, name, 0, &zs), 0);
	buf = calloc(1, zs.size + 1);
	f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, buf, zs.size), (zip_int64_t)zs.size);
	zip_fclose(f);
	zip_close(z);
	return buf;
}

static void test_xlsx(void **st)
{
	kp_rep_doc d;
	kp_sheet *s;
	kp_sheet_opts o = { 0, 2, 0 };
	kp_err e;
	char *x;
	(void)st;
	small_doc(&d);
	assert_int_equal(kp_rep_write(&d, path_of("a.xlsx"), KP_REP_NONE, &e), 0);
	assert_int_equal(kp_sheet_load(path_of("a.xlsx"), NULL, &s, &e), 0);
	assert_string_equal(kp_sheet_cell(s, 0, 0), "考评表");
	assert_string_equal(kp_sheet_cell(s, 2, 3), "得分率");
	assert_string_equal(kp_sheet_cell(s, 3, 1), "组织保障, \"含引号\"");
	assert_string_equal(kp_sheet_cell(s, 3, 2), "7.5");
	assert_string_equal(kp_sheet_cell(s, 4, 2), "0.67");
	assert_string_equal(kp_sheet_cell(s, 5, 0), "考核人（签字）：＿＿");
	kp_sheet_free(s);
	assert_int_equal(kp_sheet_load(path_of("a.xlsx"), &o, &s, &e), 0);
	assert_string_equal(kp_sheet_cell(s, 2, 1), "<b>&乙</b>");
	kp_sheet_free(s);
	/* numbers are number cells (no t="s"), the percentage a ratio */
	x = sheet_xml(path_of("a.xlsx"), 1);
	assert_non_null(strstr(x, "<c r=\"C4\" s="));
	assert_non_null(strstr(x, "<v>7.5</v>"));
	assert_non_null(strstr(x, "<v>0.75</v>"));
	assert_non_null(strstr(x, "<pane ySplit=\"3\""));
	assert_non_null(strstr(x, "<autoFilter ref=\"A3:D5\"/>"));
	assert_non_null(strstr(x, "paperSize=\"9\""));
	free(x);
	x = sheet_xml(path_of("a.xlsx"), 2);
	assert_non_null(strstr(x, "<mergeCell ref=\"B3:B4\"/>"));
	free(x);
	kp_rep_doc_release(&d);
}

static void test_each_and_failure(void **st)
{
	kp_rep_doc d;
	kp_err e;
	size_t n = 0;
	struct stat sb;
	DIR *dh;
	struct dirent *de;
	(void)st;
	small_doc(&d);
	assert_int_equal(kp_rep_write_each(&d, path_of("each"), KP_REP_CSV, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(stat(path_of("each/甲局.csv"), &sb), 0);
	assert_int_equal(stat(path_of("each/乙_局.csv"), &sb), 0);
	/* no format */
	assert_int_equal(kp_rep_write(&d, path_of("a.txt"), KP_REP_NONE, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, ".xlsx"));
	/* XLSX to standard output is refused and leaves nothing */
	assert_int_equal(kp_rep_write(&d, "-", KP_REP_XLSX, &e), -1);
	/* a place that cannot be written: the error names it */
	assert_int_equal(kp_rep_write(&d, path_of("no/such/a.xlsx"), KP_REP_NONE, &e), -1);
	assert_non_null(strstr(e.msg, "no/such/a.xlsx"));
	/* no temporary file anywhere in the directory */
	dh = opendir(dir);
	assert_non_null(dh);
	while ((de = readdir(dh)))
		assert_null(strstr(de->d_name, "tmp"));
	closedir(dh);
	kp_rep_doc_release(&d);
}

/* An output written a part at a time (kp_rep_out) is the file the whole
 * document makes: the two tables added as two documents, each released
 * after it is added; abandoned, it leaves no file. */
static void test_out_parts(void **st)
{
	static const char *const names[] = { "p.csv", "p.html", "p.xlsx" };
	kp_err e;
	size_t n;
	(void)st;
	for (size_t k = 0; k < 3; k++) {
		kp_rep_doc whole, part;
		kp_rep_out *o;
		char want[64];
		small_doc(&whole);
		snprintf(want, sizeof(want), "w%s", names[k]);
		assert_int_equal(kp_rep_write(&whole, path_of(want), KP_REP_NONE, &e), 0);
		kp_rep_doc_release(&whole);
		assert_int_equal(kp_rep_out_open(path_of(names[k]), false, KP_REP_NONE,
						 "测试<文档>", &o, &e), 0);
		for (int which = 0; which < 2; which++) {
			kp_rep_doc_init(&part, NULL);
			small_table(&part, which);
			assert_int_equal(kp_rep_out_add(o, &part, &e), 0);
			kp_rep_doc_release(&part);
		}
		assert_int_equal(kp_rep_out_close(o, &n, &e), 0);
		assert_int_equal(n, 2);
		if (k < 2) {
			char *a = slurp(path_of(want)), *b = slurp(path_of(names[k]));
			assert_string_equal(a, b);
			free(a);
			free(b);
		} else {
			for (int sh = 1; sh <= 2; sh++) {
				char *a = sheet_xml(path_of(want), sh);
				char *b = sheet_xml(path_of(names[k]), sh);
				assert_string_equal(a, b);
				free(a);
				free(b);
			}
		}
	}
	/* a directory: a file per table */
	{
		kp_rep_doc part;
		kp_rep_out *o;
		struct stat sb;
		assert_int_equal(kp_rep_out_open(path_of("pdir"), true, KP_REP_CSV,
						 NULL, &o, &e), 0);
		kp_rep_doc_init(&part, NULL);
		small_table(&part, 0);
		small_table(&part, 1);
		assert_int_equal(kp_rep_out_add(o, &part, &e), 0);
		kp_rep_doc_release(&part);
		assert_int_equal(kp_rep_out_close(o, &n, &e), 0);
		assert_int_equal(n, 2);
		assert_int_equal(stat(path_of("pdir/甲局.csv"), &sb), 0);
		assert_int_equal(stat(path_of("pdir/乙_局.csv"), &sb), 0);
	}
	/* abandoned after a part: no file, no temporary file */
	{
		kp_rep_doc part;
		kp_rep_out *o;
		struct stat sb;
		assert_int_equal(kp_rep_out_open(path_of("gone.xlsx"), false,
						 KP_REP_NONE, NULL, &o, &e), 0);
		kp_rep_doc_init(&part, NULL);
		small_table(&part, 0);
		assert_int_equal(kp_rep_out_add(o, &part, &e), 0);
		kp_rep_doc_release(&part);
		kp_rep_out_abort(o);
		assert_int_equal(stat(path_of("gone.xlsx"), &sb), -1);
	}
}

/* The builders on the sample round of scripts/demo.sh. */
static void test_builders(void **st)
{
	char conn[512];
	kp_rnd_spec sp = { 0 };
	kp_rnd_created c;
	kp_rnd *r;
	kp_rnd_scored sc;
	kp_rep_doc d;
	kp_err e;
	size_t added;
	const kp_rep_table *t = NULL;
	(void)st;
	snprintf(conn, sizeof(conn), "%s/demo.db", dir);
	sp.conn = conn;
	sp.table = "pzh2016-gk";
	sp.author = "测试";
	assert_int_equal(kp_rnd_create(&sp, &c, &e), 0);
	kp_rnd_created_release(&c);
	assert_int_equal(kp_rnd_open(conn, NULL, &r, &e), 0);
	assert_int_equal(kp_rnd_facts_add(r, "data/facts/sample-2016-gk.csv", "测试", &added, &e), 0);
	assert_int_equal(kp_rnd_score(r, "测试", &sc, &e), 0);

	kp_rep_doc_init(&d, "考评表");
	assert_int_equal(kp_rep_sheets(r, "公安局", &d, &e), 0);
	assert_int_equal(d.n, 1);
	t = &d.v[0];
	assert_string_equal(t->name, "市公安局");
	assert_string_equal(t->head[t->ncols - 1], "扣分说明");
	for (size_t i = 0; i < t->nrows; i++) {
		const kp_rep_cell *c0 = &t->cells[i * t->ncols];
		const kp_rep_cell *score = &t->cells[i * t->ncols + t->ncols - 2];
		const kp_rep_cell *why = &t->cells[i * t->ncols + t->ncols - 1];
		if (c0->text && !strcmp(c0->text, "合计")) {
			assert_string_equal(score->text, "92.50");
			assert_true(score->num == 92.5);
		}
		if (c0->text && !strcmp(c0->text, "1.4"))
			assert_string_equal(why->text, "扣2.5分：统计报表迟报，2017-01-10");
		/* the parent shows no deduction its child shows */
		if (c0->text && !strcmp(c0->text, "1"))
			assert_null(why->text);
	}
	kp_rep_doc_release(&d);

	assert_int_equal(kp_rep_sheets(r, "不存在", &(kp_rep_doc){ 0 }, &e), -1);
	assert_int_equal(e.code, KP_RND_ENOTFOUND);

	/* every unit's sheets written a unit at a time are the file the
	 * whole document makes */
	{
		kp_rep_out *o;
		size_t n;
		char *a, *b;
		kp_rep_doc_init(&d, "考评表");
		assert_int_equal(kp_rep_sheets(r, NULL, &d, &e), 0);
		assert_int_equal(d.n, 63);
		assert_int_equal(kp_rep_write(&d, path_of("all.csv"), KP_REP_NONE, &e), 0);
		kp_rep_doc_release(&d);
		assert_int_equal(kp_rep_out_open(path_of("units.csv"), false, KP_REP_NONE,
						 "考评表", &o, &e), 0);
		assert_int_equal(kp_rep_sheets_out(r, NULL, o, &e), 0);
		assert_int_equal(kp_rep_out_close(o, &n, &e), 0);
		assert_int_equal(n, 63);
		a = slurp(path_of("all.csv"));
		b = slurp(path_of("units.csv"));
		assert_string_equal(a, b);
		assert_non_null(strstr(b, "扣2.5分：统计报表迟报，2017-01-10"));
		free(a);
		free(b);
	}

	kp_rep_doc_init(&d, "排名");
	assert_int_equal(kp_rep_ranking(conn, NULL, false, &d, &e), 0);
	assert_int_equal(d.n, 1);
	/* 63 units and, before the one 未完成 unit (市住房城乡建设局), the
	 * line that sets it apart (issue 15) */
	assert_int_equal(d.v[0].nrows, 64);
	assert_string_equal(d.v[0].cells[62 * d.v[0].ncols].text,
			    "未完成（以下 1 个单位还有未评指标，分数为暂计，不排入正式名次）");
	assert_string_equal(d.v[0].cells[63 * d.v[0].ncols + 1].text,
			    "市住房城乡建设局");
	for (size_t i = 0; i < d.v[0].nrows; i++) {
		const kp_rep_cell *row = &d.v[0].cells[i * d.v[0].ncols];
		if (!row[1].text || strcmp(row[1].text, "市公安局"))
			continue;
		assert_string_equal(row[0].text, "59");   /* tied on 扣0.15 (issue 12) */
		assert_string_equal(row[3].text, "100.00");
		assert_string_equal(row[4].text, "92.50");
		assert_string_equal(row[5].text, "92.50%");
	}
	kp_rep_doc_release(&d);
	kp_rnd_close(r);
}

/* Grade bands: parsed highest first; a score at a band's minimum is in
 * it; below the lowest, or vetoed, 不合格; bad spellings refused. */
static void test_grades(void **st)
{
	kp_rep_grades g;
	kp_err e;
	kp_num v;
	(void)st;
	assert_int_equal(kp_rep_grades_parse("优秀:90、良好:80、合格:60", &g, &e), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.name[1], "良好");
	kp_num_parse("90", &v);
	assert_string_equal(kp_rep_grade(&g, v, false), "优秀");
	assert_string_equal(kp_rep_grade(&g, v, true), "不合格");
	kp_num_parse("89.99", &v);
	assert_string_equal(kp_rep_grade(&g, v, false), "良好");
	kp_num_parse("60", &v);
	assert_string_equal(kp_rep_grade(&g, v, false), "合格");
	kp_num_parse("59.5", &v);
	assert_string_equal(kp_rep_grade(&g, v, false), "不合格");
	assert_int_equal(kp_rep_grades_parse("良好:80、优秀:90", &g, &e), -1);
	assert_non_null(strstr(e.msg, "从高到低"));
	assert_int_equal(kp_rep_grades_parse("优秀90", &g, &e), -1);
	assert_int_equal(kp_rep_grades_parse("优秀:九十", &g, &e), -1);
	assert_non_null(strstr(e.msg, "不是分数"));
}

/* A chart drawn once as SVG and once as PNG: the SVG keeps its Chinese
 * text and each bar's number and height; the PNG is a PNG. */
static void test_chart(void **st)
{
	kp_rep_doc d;
	kp_rep_chart *c;
	kp_buf svg = KP_BUF_INIT, png = KP_BUF_INIT;
	kp_err e;
	(void)st;
	kp_rep_doc_init(&d, "图");
	c = kp_rep_chart_add(&d, "测试", "测试<图>", "一级指标", "平均得分（分）",
			     false);
	kp_rep_chart_point(c, "组织保障", 7.5, true, 10);
	kp_rep_chart_point(c, "日常工作", 20, true, 20);
	kp_rep_chart_svg(c, &svg);
	assert_non_null(strstr(svg.data, ">一级指标</text>"));
	assert_non_null(strstr(svg.data, ">平均得分（分）</text>"));
	assert_non_null(strstr(svg.data, ">测试&lt;图&gt;</text>"));
	/* axis top 20, plot 50..430: 7.5 is 142.5 high, from y 287.5 */
	assert_non_null(strstr(svg.data, "class=\"bar\" data-label=\"组织保障\" data-value=\"7.50\" x=\""));
	assert_non_null(strstr(svg.data, "y=\"287.50\" width=\""));
	assert_non_null(strstr(svg.data, "height=\"142.50\" fill=\"#4472C4\""));
	assert_int_equal(kp_rep_chart_png(c, &png, &e), 0);
	assert_true(png.len > 1000);
	assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
	kp_buf_release(&svg);
	kp_buf_release(&png);
	kp_rep_doc_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_each_and_failure),
		cmocka_unit_test(test_out_parts),
		cmocka_unit_test(test_builders),
		cmocka_unit_test(test_grades),
		cmocka_unit_test(test_chart),
	};
	int rc;
	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	kp_rep_fonts_release();
	{
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			rc = rc ? rc : 1;
	}
	return rc;
}
