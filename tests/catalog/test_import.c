/* Tests of src/catalog/import.c (kp_import) over sheets parsed from
 * in-memory CSV, and of the export → import round trip of every bundled
 * indicator table (export.c, through CSV and through XLSX). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"

/* ---- helpers --------------------------------------------------------- */

/* Parse csv as the sheet "x.csv" and import it.  Returns kp_import's
 * result; the sheet is freed (the table owns copies of everything). */
static int import_csv(const char *csv, const kp_import_opts *o,
		      kp_table **t, kp_import_report *rep, kp_err *e)
{
	kp_sheet *s = NULL;
	int rc;
	if (kp_sheet_parse("x.csv", csv, strlen(csv), NULL, &s, e) < 0) {
		print_error("sheet: %s\n", e->msg);
		fail();
	}
	rc = kp_import(s, o, t, rep, e);
	kp_sheet_free(s);
	return rc;
}

static kp_table *import_ok(const char *csv, const kp_import_opts *o,
			   kp_import_report *rep)
{
	kp_table *t = NULL;
	kp_err e = { 0 };
	if (import_csv(csv, o, &t, rep, &e) < 0) {
		print_error("kp_import: %s\n", e.msg);
		kp_import_report_release(rep);
		fail();
	}
	assert_non_null(t);
	return t;
}

static void import_fails(const char *csv, const kp_import_opts *o, int code,
			 const char *const *want)
{
	kp_table *t = (kp_table *)1;
	kp_import_report rep;
	kp_err e = { 0 };
	int rc = import_csv(csv, o, &t, &rep, &e);
	/* free first: a failed assertion jumps out of this function */
	kp_import_report_release(&rep);
	print_message("  → %s\n", e.msg);
	if (rc == 0) {
		print_error("imported, expected an error\n");
		kp_table_free(t);
		fail();
	}
	assert_null(t);
	assert_int_equal(e.code, code);
	for (size_t k = 0; want && want[k]; k++) {
		if (!strstr(e.msg, want[k]))
			print_error("\"%s\" lacks \"%s\"\n", e.msg, want[k]);
		assert_non_null(strstr(e.msg, want[k]));
	}
}

/* An expected node, in the table's node (file) order.  points NULL: the
 * node has none; content NULL: not checked. */
struct want {
	const char *path;
	const char *points;
	const char *content;
};

static void check_tree(const kp_table *t, const struct want *w, size_t n)
{
	char b[32];
	for (size_t i = 0; i < n && i < t->nnodes; i++) {
		const kp_node *nd = t->nodes[i];
		if (strcmp(nd->path, w[i].path))
			print_error("node %zu: path \"%s\", want \"%s\"\n", i,
				    nd->path, w[i].path);
		assert_string_equal(nd->path, w[i].path);
		if (nd->has_points != (w[i].points != NULL))
			print_error("%s: has_points %d\n", nd->path,
				    nd->has_points);
		assert_int_equal(nd->has_points, w[i].points != NULL);
		if (w[i].points)
			assert_string_equal(kp_num_str(nd->points, b),
					    w[i].points);
		if (w[i].content)
			assert_string_equal(nd->text[KP_T_CONTENT],
					    w[i].content);
	}
	if (t->nnodes != n) {
		print_error("%zu nodes, want %zu:\n", t->nnodes, n);
		for (size_t i = 0; i < t->nnodes; i++)
			print_error("  %s %s\n", t->nodes[i]->code,
				    t->nodes[i]->path);
	}
	assert_int_equal(t->nnodes, n);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The report line that holds sub, or NULL. */
static const char *rep_find(const kp_import_report *rep, const char *sub)
{
	for (size_t i = 0; i < rep->n; i++)
		if (strstr(rep->lines[i], sub))
			return rep->lines[i];
	return NULL;
}

static void rep_print(const kp_import_report *rep)
{
	for (size_t i = 0; i < rep->n; i++)
		print_message("  rep: %s\n", rep->lines[i]);
}

/* ---- 1, 2. seed 000 表一 --------------------------------------------- */

/* seeds/000 表一, its first block (title, blank line, header, 公开机制
 * down to the quirk row whose 二级指标 cell is the number 1 and whose text
 * sits in the 权重 column), tabs turned into commas. */
static const char seed_table_one[] =
	"表一：2017年县（区）政府门户网站绩效评估指标\n"
	"\n"
	"一级指标,二级指标,三级指标,权重,评估内容\n"
	"政务公开 (30分),基本信息 (6分),概况信息,1,本县（区）经济、社会、历史、地理、人文、行政区划等信息公开及更新情况。\n"
	",,机构职能,1,本级政府机构设置、主要职责和联系方式等信息公开及更新情况。\n"
	",,领导信息,1,本级政府领导姓名、职务、照片、简历、主管或分管工作、主要活动和重要讲话等信息公开及更新情况。\n"
	",,政策文件,1,本级政府出台的规章和规范性文件等规范发布情况。\n"
	",,政务动态,2,本县（区）政务要闻、通知公告、工作动态、政府常务会议、人事及招考、应急管理、规划计划、统计信息等信息公开及更新情况。\n"
	",重点信息 (14分),年度要点,10,专栏建设情况；在县（区）政府门户网站上发布本县（区）2017年政务公开工作要点或工作方案、工作计划情况；按照《国务院办公厅关于印发2017年政务公开工作要点的通知》（国办发〔2017〕24号）、《四川省人民政府办公厅关于印发四川省2017年政务公开工作要点的通知》（川办发〔2017〕40号）要求推进相关领域信息公开情况。\n"
	",,“五公开”,3,专栏建设情况；按照《中共中央办公厅国务院办公厅印发〈关于全面推进政务公开工作的意见〉》（中办发〔2016〕8号）及其实施细则（国办发〔2016〕80号）和《中共四川省委办公厅四川省人民政府办公厅印发〈关于全面推进政务公开工作的实施意见〉》（川委办〔2016〕53号）要求，推进决策公开、执行公开、管理公开、服务公开、结果公开情况。\n"
	",,数据开放,1,整合本县（区）政府数据，向公众提供数据浏览、查询和批量下载等服务情况。\n"
	",公开机制 (10分),公开目录,5,政府信息公开目录信息更新情况，及与本级政府网站信息发布一致性情况。\n"
	",,公开指南,1,规范编制发布政府信息公开指南及动态调整情况。\n"
	",,公开年报,2,规范编制、按时公开政府信息公开工作年度报告情况，集中展示本县（区）政府信息公开工作年度报告情况。\n"
	",,依申请公开,1,规范提供依申请公开条件、方式和办理流程等要素情况；在线受理渠道建设情况。\n"
	",1,,依申请公开信息在政府信息公开目录管理系统中的填录情况。,\n";

static const struct want seed_tree[] = {
	{ "政务公开", "30", "" },
	{ "政务公开/基本信息", "6", "" },
	{ "政务公开/基本信息/概况信息", "1",
	  "本县（区）经济、社会、历史、地理、人文、行政区划等信息公开及更新情况。" },
	{ "政务公开/基本信息/机构职能", "1",
	  "本级政府机构设置、主要职责和联系方式等信息公开及更新情况。" },
	{ "政务公开/基本信息/领导信息", "1", NULL },
	{ "政务公开/基本信息/政策文件", "1",
	  "本级政府出台的规章和规范性文件等规范发布情况。" },
	{ "政务公开/基本信息/政务动态", "2", NULL },
	{ "政务公开/重点信息", "14", "" },
	{ "政务公开/重点信息/年度要点", "10", NULL },
	{ "政务公开/重点信息/“五公开”", "3", NULL },
	{ "政务公开/重点信息/数据开放", "1",
	  "整合本县（区）政府数据，向公众提供数据浏览、查询和批量下载等服务情况。" },
	{ "政务公开/公开机制", "10", "" },
	{ "政务公开/公开机制/公开目录", "5", NULL },
	{ "政务公开/公开机制/公开指南", "1", NULL },
	{ "政务公开/公开机制/公开年报", "2", NULL },
	{ "政务公开/公开机制/依申请公开", "1",
	  "规范提供依申请公开条件、方式和办理流程等要素情况；在线受理渠道建设情况。" },
};

static void seed_layout(void **state)
{
	kp_import_report rep;
	kp_table *t = import_ok(seed_table_one, NULL, &rep);
	const kp_node *n;
	kp_num total;
	char b[32];
	(void)state;
	rep_print(&rep);
	check_tree(t, seed_tree, N_OF(seed_tree));
	/* title from the row above the header; defaults for id and source */
	assert_string_equal(kp_table_get(t, "title"),
			    "表一：2017年县（区）政府门户网站绩效评估指标");
	assert_string_equal(kp_table_id(t), "imported");
	assert_string_equal(kp_table_get(t, "source"), "x.csv");
	assert_int_equal(t->kind, KP_KIND_INDICATORS);
	assert_int_equal(t->nroots, 1);
	/* automatic codes and default rules */
	n = kp_table_find(t, "政务公开/公开机制/依申请公开");
	assert_non_null(n);
	assert_string_equal(n->code, "1.3.4");
	assert_int_equal(n->rule, KP_RULE_JUDGED);
	assert_false(n->rule_written);
	assert_int_equal(n->level, 3);
	n = kp_table_find(t, "1.2");
	assert_non_null(n);
	assert_string_equal(n->path, "政务公开/重点信息");
	assert_int_equal(n->rule, KP_RULE_SUM);
	assert_int_equal(n->nchildren, 3);
	assert_true(kp_table_total(t, &total));
	assert_string_equal(kp_num_str(total, b), "30");
	/* the report */
	assert_string_equal(rep.header_where, "x.csv:3");
	assert_int_equal(rep.rows_read, 13);
	assert_int_equal(rep.nodes, 16);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* The quirk row: reported once, with its line, and nothing of it placed
 * (its text, in the 权重 column, is neither points nor content). */
static void seed_quirk_row(void **state)
{
	kp_import_report rep;
	kp_table *t = import_ok(seed_table_one, NULL, &rep);
	const char *line;
	(void)state;
	rep_print(&rep);
	assert_int_equal(rep.n, 1);
	line = rep_find(&rep, "数字“1”");
	assert_non_null(line);
	assert_non_null(strstr(line, "x.csv:16:"));
	assert_non_null(strstr(line, "二级"));
	assert_null(kp_table_find(t, "政务公开/1"));
	for (size_t i = 0; i < t->nnodes; i++)
		for (int k = 0; k < KP_T_COUNT; k++)
			assert_null(strstr(t->nodes[i]->text[k], "填录情况"));
	/* 依申请公开 keeps its own points: the 1 did not land there */
	assert_string_equal(kp_table_find(t, "1.3.4")->path,
			    "政务公开/公开机制/依申请公开");
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* id and title given by the caller win over the defaults. */
static void options_id_title(void **state)
{
	kp_import_report rep;
	kp_import_opts o = { "pzh2017-web-county-x", "县区网站指标", NULL, false };
	kp_table *t = import_ok(seed_table_one, &o, &rep);
	(void)state;
	assert_string_equal(kp_table_id(t), "pzh2017-web-county-x");
	assert_string_equal(kp_table_get(t, "title"), "县区网站指标");
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* ---- 3. page breaks -------------------------------------------------- */

static void page_break_repeats(void **state)
{
	/* the second page repeats the header and the merged first-level
	 * cell; then repeats a second level that already exists too */
	static const char csv[] =
		"一级指标,二级指标,三级指标,权重,评估内容\n"
		"政务公开 (30分),基本信息 (6分),概况信息,1,甲\n"
		",,机构职能,1,乙\n"
		"一级指标,二级指标,三级指标,权重,评估内容\n"
		"政务公开 (30分),重点信息 (14分),年度要点,10,丙\n"
		"政务公开 (30分),基本信息 (6分),领导信息,1,丁\n"
		"服务功能 (40分),办事指南 (7分),办事指南,7,戊\n";
	static const struct want w[] = {
		{ "政务公开", "30", "" },
		{ "政务公开/基本信息", "6", "" },
		{ "政务公开/基本信息/概况信息", "1", "甲" },
		{ "政务公开/基本信息/机构职能", "1", "乙" },
		{ "政务公开/重点信息", "14", "" },
		{ "政务公开/重点信息/年度要点", "10", "丙" },
		{ "政务公开/基本信息/领导信息", "1", "丁" },
		{ "服务功能", "40", "" },
		{ "服务功能/办事指南", "7", "" },
		{ "服务功能/办事指南/办事指南", "7", "戊" },
	};
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	(void)state;
	rep_print(&rep);
	check_tree(t, w, N_OF(w));
	assert_int_equal(rep.n, 0);   /* same points again: no conflict */
	assert_int_equal(t->nroots, 2);
	assert_int_equal(t->roots[0]->nchildren, 2);
	assert_int_equal(t->roots[0]->children[0]->nchildren, 3);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* ---- 4. continuation rows -------------------------------------------- */

static void content_continues(void **state)
{
	static const char csv[] =
		"一级指标,二级指标,分值,评估内容,备注\n"
		"政务公开,基本信息,6,概况信息公开情况；,\n"
		",,,机构职能公开情况。,见附件\n"
		",,,,\n"                      /* blank: ignored */
		",重点信息,14,年度要点,\n"
		",,,“五公开”,\n";
	static const struct want w[] = {
		{ "政务公开", NULL, "" },
		{ "政务公开/基本信息", "6", "概况信息公开情况；\n机构职能公开情况。" },
		{ "政务公开/重点信息", "14", "年度要点\n“五公开”" },
	};
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	(void)state;
	check_tree(t, w, N_OF(w));
	assert_string_equal(t->nodes[1]->text[KP_T_NOTE], "见附件");
	assert_int_equal(rep.n, 0);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* A row with points but no name cannot be placed: reported, not fatal. */
static void points_without_name(void **state)
{
	static const char csv[] = "一级指标,二级指标,分值,评估内容\n"
				  "政务公开,基本信息,6,甲\n"
				  ",,3,乙\n";
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	(void)state;
	rep_print(&rep);
	assert_int_equal(t->nnodes, 2);
	assert_int_equal(rep.n, 1);
	assert_non_null(rep_find(&rep, "x.csv:3:"));
	assert_string_equal(t->nodes[1]->text[KP_T_CONTENT], "甲");
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* ---- 5. --map -------------------------------------------------------- */

static const char unit_sheet[] = "单位名称,二级指标,评估内容\n"
				 "市发展改革委,重点信息公开,项目审批\n"
				 ",,项目核准\n"
				 "市教育局,重点信息公开,招生考试\n";

static void map_needed(void **state)
{
	static const char *const want[] = { "x.csv:1:", "单位名称", "--map",
					    NULL };
	(void)state;
	import_fails(unit_sheet, NULL, KP_EINPUT, want);
}

/* A map given: LeakSanitizer checks that looking headers up through it
 * frees what it copies (it once leaked a copy per header cell). */
static void map_given(void **state)
{
	static const char *map[] = { "单位名称=一级指标", NULL };
	static const struct want w[] = {
		{ "市发展改革委", NULL, "" },
		{ "市发展改革委/重点信息公开", NULL, "项目审批\n项目核准" },
		{ "市教育局", NULL, "" },
		{ "市教育局/重点信息公开", NULL, "招生考试" },
	};
	kp_import_opts o = { NULL, NULL, map, false };
	kp_import_report rep;
	kp_table *t = import_ok(unit_sheet, &o, &rep);
	(void)state;
	check_tree(t, w, N_OF(w));
	assert_int_equal(t->nodes[1]->rule, KP_RULE_ITEM);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

static const struct bad_map {
	const char *map;
	const char *want[3];
} bad_maps[] = {
	{ "单位名称=单位", { "--map", "单位名称=单位", "不认识" } },
	{ "单位名称", { "--map", "单位名称" } },        /* no '=' */
	{ "=一级指标", { "--map" } },                 /* no header */
};

static void map_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(bad_maps); i++) {
		const char *map[] = { bad_maps[i].map, NULL };
		kp_import_opts o = { NULL, NULL, map, false };
		print_message("  --map '%s'\n", bad_maps[i].map);
		import_fails(unit_sheet, &o, KP_EINPUT, bad_maps[i].want);
	}
}

/* ---- 6. points columns ----------------------------------------------- */

static void level_points_columns(void **state)
{
	static const char csv[] =
		"一级指标,一级分值,二级指标,二级分值,评估内容\n"
		"政务公开,30,基本信息,6,甲\n"
		",,重点信息,24,乙\n"
		"政务公开,25,公开机制,0.5,丙\n"      /* 25 conflicts with 30 */
		"服务功能,70,办事指南,70,丁\n";
	static const struct want w[] = {
		{ "政务公开", "30", "" },
		{ "政务公开/基本信息", "6", "甲" },
		{ "政务公开/重点信息", "24", "乙" },
		{ "政务公开/公开机制", "0.5", "丙" },
		{ "服务功能", "70", "" },
		{ "服务功能/办事指南", "70", "丁" },
	};
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	const char *line;
	(void)state;
	rep_print(&rep);
	check_tree(t, w, N_OF(w));
	assert_int_equal(rep.n, 1);
	line = rep_find(&rep, "政务公开");
	assert_non_null(line);
	assert_non_null(strstr(line, "x.csv:4:"));
	assert_non_null(strstr(line, "30"));
	assert_non_null(strstr(line, "25"));
	kp_import_report_release(&rep);
	kp_table_free(t);
}

static void single_points_column(void **state)
{
	/* one 分值 column holding each row's own points; 一级 rows alone */
	static const char csv[] = "一级指标,二级指标,分值,评估内容\n"
				  "政务公开,,30,\n"
				  ",基本信息,6,甲\n"
				  ",重点信息,24,乙\n"
				  "服务功能,,70,\n"
				  ",办事指南,70,丙\n";
	static const struct want w[] = {
		{ "政务公开", "30", "" },
		{ "政务公开/基本信息", "6", "甲" },
		{ "政务公开/重点信息", "24", "乙" },
		{ "服务功能", "70", "" },
		{ "服务功能/办事指南", "70", "丙" },
	};
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	(void)state;
	check_tree(t, w, N_OF(w));
	assert_int_equal(rep.n, 0);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

static void points_conflict_in_names(void **state)
{
	/* a single 分值 column for the leaves, the branches' points inside
	 * their names, written differently on two pages */
	static const char csv[] = "一级指标,二级指标,分值\n"
				  "政务公开 (30分),基本信息,6\n"
				  "政务公开（30.0分）,重点信息,24\n"   /* same */
				  "政务公开 (28分),公开机制,0\n";     /* differs */
	static const struct want w[] = {
		{ "政务公开", "30", "" },
		{ "政务公开/基本信息", "6", "" },
		{ "政务公开/重点信息", "24", "" },
		{ "政务公开/公开机制", "0", "" },
	};
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	const char *line;
	(void)state;
	rep_print(&rep);
	check_tree(t, w, N_OF(w));
	assert_int_equal(rep.n, 1);
	line = rep_find(&rep, "x.csv:4:");
	assert_non_null(line);
	assert_non_null(strstr(line, "政务公开"));
	assert_non_null(strstr(line, "28"));
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* ---- 7. damaged sheets, as data -------------------------------------- */

static const struct damaged {
	const char *what;
	size_t filler;          /* rows "附件1" put before csv */
	const char *csv;
	const char *want[4];
} damaged[] = {
	{ "text in a points cell", 0,
	  "一级指标,二级指标,分值\n政务公开,基本信息,6\n,重点信息,五分\n",
	  { "x.csv:3:", "五分", "重点信息" } },
	{ "text in a per-level points cell", 0,
	  "一级指标,一级分值,二级指标\n政务公开,三十,基本信息\n",
	  { "x.csv:2:", "三十" } },
	{ "level 2 blank, nothing to carry", 0,
	  "一级指标,二级指标,三级指标,分值\n政务公开,,概况信息,1\n",
	  { "x.csv:2:", "概况信息", "第 2 级" } },
	{ "level 2 blank under a new level 1", 0,
	  "一级指标,二级指标,三级指标,分值\n政务公开,基本信息,概况信息,1\n"
	  "服务功能,,办事指南,1\n",
	  { "x.csv:3:", "办事指南", "第 2 级" } },
	{ "level 1 blank on the first row", 0,
	  "一级指标,二级指标,分值\n,基本信息,6\n",
	  { "x.csv:2:", "第 1 级" } },
	{ "no header within 30 rows", 30,
	  "一级指标,二级指标,分值\n政务公开,基本信息,6\n",
	  { "x.csv", "30 行", "表头" } },
	{ "no header at all", 0, "甲,乙\n丙,丁\n", { "表头", "--map" } },
	{ "header, no data rows", 0, "表一\n一级指标,二级指标,分值\n",
	  { "x.csv", "没有任何指标行" } },
	{ "header, blank rows only", 0,
	  "一级指标,二级指标,分值,评估内容\n,,,\n\n,,,\n",
	  { "没有任何指标行" } },
	{ "unknown column", 0,
	  "一级指标,二级指标,分值,牵头领导\n政务公开,基本信息,6,张三\n",
	  { "x.csv:1:", "牵头领导", "--map" } },
	{ "two columns, one meaning", 0,
	  "一级指标,二级指标,分值,权重\n政务公开,基本信息,6,6\n",
	  { "x.csv:1:", "分值", "权重" } },
	{ "unknown rule", 0, "一级指标,分值,规则\n政务公开,30,求和\n",
	  { "求和" } },
};

static void damaged_sheets(void **state)
{
	static const kp_import_opts strict = { NULL, NULL, NULL, true };
	(void)state;
	for (size_t i = 0; i < N_OF(damaged); i++) {
		kp_buf b = KP_BUF_INIT;
		print_message("  %s\n", damaged[i].what);
		for (size_t k = 0; k < damaged[i].filler; k++)
			kp_buf_adds(&b, "附件1\n");
		kp_buf_adds(&b, damaged[i].csv);
		/* read with exact header names (--strict): by default an
		 * unknown column is kept as a note, not refused */
		import_fails(b.data, &strict, KP_EINPUT, damaged[i].want);
		kp_buf_release(&b);
	}
}

/* The header may be the 30th row: the limit is inclusive. */
static void header_on_row_30(void **state)
{
	kp_buf b = KP_BUF_INIT;
	kp_import_report rep;
	kp_table *t;
	(void)state;
	for (int k = 0; k < 29; k++)
		kp_buf_adds(&b, k ? "\n" : "表一\n");
	kp_buf_adds(&b, "一级指标,二级指标,分值\n政务公开,基本信息,6\n");
	t = import_ok(b.data, NULL, &rep);
	assert_string_equal(rep.header_where, "x.csv:30");
	assert_string_equal(kp_table_get(t, "title"), "表一");
	assert_int_equal(t->nnodes, 2);
	kp_import_report_release(&rep);
	kp_table_free(t);
	kp_buf_release(&b);
}

/* Errors found when the importer's canonical text is parsed must point at
 * the sheet's own line, as every other import error does. */
static const struct late_error {
	const char *what;
	const char *csv;
	const char *where;
} late_errors[] = {
	{ "unknown rule on line 3",
	  "一级指标,二级指标,分值,规则\n政务公开,,30,\n,基本信息,6,求和\n",
	  "x.csv:3:" },
	{ "negative points on line 2",
	  "一级指标,二级指标,分值\n政务公开,基本信息,-6\n", "x.csv:2:" },
	{ "bad parameter on line 2",
	  "一级指标,分值,规则,参数\n组织保障,10,deduct,colour=red\n",
	  "x.csv:2:" },
};

static void late_errors_name_sheet_line(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(late_errors); i++) {
		const char *want[] = { late_errors[i].where, NULL };
		print_message("  %s\n", late_errors[i].what);
		/* errors found in the canonical text the importer builds
		 * name the line of the sheet the row came from */
		import_fails(late_errors[i].csv, NULL, KP_EINPUT, want);
	}
}

/* A '/' inside a name must not split the path (docs/table-format.md:
 * names may not contain '/'; write '／').  Either outcome is right: the
 * name imported with '／', or a refusal naming the sheet line. */
static void slash_in_name(void **state)
{
	static const char csv[] = "一级指标,二级指标,分值\n"
				  "政务公开,依申请/主动公开,6\n";
	kp_table *t = NULL;
	kp_import_report rep;
	kp_err e = { 0 };
	char path[256] = "";
	size_t nnodes = 0;
	int rc = import_csv(csv, NULL, &t, &rep, &e);
	(void)state;
	if (rc == 0) {
		nnodes = t->nnodes;
		if (nnodes > 1)
			snprintf(path, sizeof(path), "%s", t->nodes[1]->path);
	}
	kp_table_free(t);
	kp_import_report_release(&rep);
	print_message("  rc %d: %s\n", rc, rc ? e.msg : path);
	if (rc == 0) {
		assert_int_equal(nnodes, 2);
		assert_string_equal(path, "政务公开/依申请／主动公开");
	} else {
		/* a '/' in a name is written as ／ and reported, with the
		 * sheet's line */
		assert_non_null(strstr(e.msg, "x.csv:2:"));
	}
}

/* A canonical table deeper than the importer's four levels must not lose
 * a level silently: import it whole or refuse it. */
static void path_deeper_than_four(void **state)
{
	static const char csv[] = "code,path,points\n"
				  "1,甲,1\n2,甲/乙,1\n3,甲/乙/丙,1\n"
				  "4,甲/乙/丙/丁,1\n5,甲/乙/丙/丁/戊,1\n";
	kp_table *t = NULL;
	kp_import_report rep;
	kp_err e = { 0 };
	char path[256] = "(none)";
	int rc = import_csv(csv, NULL, &t, &rep, &e);
	(void)state;
	if (rc == 0) {
		const kp_node *n = kp_table_find(t, "5");
		if (n)
			snprintf(path, sizeof(path), "%s", n->path);
	}
	kp_table_free(t);
	kp_import_report_release(&rep);
	if (rc == 0) {
		print_message("  node 5: %s\n", path);
		/* deeper than four levels: kept whole or refused, never cut */
		assert_string_equal(path, "甲/乙/丙/丁/戊");
	} else {
		print_message("  refused: %s\n", e.msg);
		assert_int_equal(e.code, KP_EINPUT);
	}
}

/* ---- 8. grade columns ------------------------------------------------ */

static void grade_columns(void **state)
{
	static const char csv[] =
		"一级指标,二级指标,分值,评分标准,优,良,中,差\n"
		"网站建设,栏目设置,6,按栏目完整程度评分,6,4,2,0\n"
		",信息更新,4,,及时,较及时,,不更新\n";
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	(void)state;
	assert_int_equal(t->nnodes, 3);
	assert_string_equal(t->nodes[1]->text[KP_T_CRITERIA],
			    "按栏目完整程度评分\n优：6；良：4；中：2；差：0");
	assert_string_equal(t->nodes[2]->text[KP_T_CRITERIA],
			    "优：及时；良：较及时；差：不更新");
	assert_string_equal(t->nodes[0]->text[KP_T_CRITERIA], "");
	assert_string_equal(kp_num_str(t->nodes[1]->points, (char[32]){ 0 }),
			    "6");
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* ---- 9. canonical headers -------------------------------------------- */

static void canonical_headers(void **state)
{
	static const char csv[] =
		"code,path,points,rule,params,content\n"
		"1,组织保障,10,deduct,,\n"
		"1.1,组织保障/未明确分管领导,,minus,amount=2.5,政务公开工作没有明确分管领导（扣2.5分）\n"
		"2,制度建设,20,deduct,amount=5;each,少一项制度扣5分\n"
		"4,采用情况,30,tiered,\"tiers=100%:1,70%:0.7,50%:0.5,30%:0.3;split=city:24,province:6;single=30\",\n"
		"5,网站建设,20,,,\n"
		"5.1,网站建设/栏目,10,judged,step=0.5,\n"
		"6,重大失误,,veto,scope=result;outcome=deduct:2,直接从目标考核总分中扣2分\n";
	static const struct {
		const char *code, *path, *points;
		kp_rule rule;
		bool written;
		const char *params[4][2];   /* key, value ("" flag) */
	} w[] = {
		{ "1", "组织保障", "10", KP_RULE_DEDUCT, true, { { NULL } } },
		{ "1.1", "组织保障/未明确分管领导", NULL, KP_RULE_MINUS, true,
		  { { "amount", "2.5" } } },
		{ "2", "制度建设", "20", KP_RULE_DEDUCT, true,
		  { { "amount", "5" }, { "each", "" } } },
		{ "4", "采用情况", "30", KP_RULE_TIERED, true,
		  { { "tiers", "100%:1,70%:0.7,50%:0.5,30%:0.3" },
		    { "split", "city:24,province:6" }, { "single", "30" } } },
		{ "5", "网站建设", "20", KP_RULE_SUM, false, { { NULL } } },
		{ "5.1", "网站建设/栏目", "10", KP_RULE_JUDGED, true,
		  { { "step", "0.5" } } },
		{ "6", "重大失误", NULL, KP_RULE_VETO, true,
		  { { "scope", "result" }, { "outcome", "deduct:2" } } },
	};
	kp_import_report rep;
	kp_table *t = import_ok(csv, NULL, &rep);
	char b[32];
	(void)state;
	assert_int_equal(t->nnodes, N_OF(w));
	for (size_t i = 0; i < N_OF(w); i++) {
		const kp_node *n = t->nodes[i];
		size_t np = 0;
		assert_string_equal(n->code, w[i].code);
		assert_string_equal(n->path, w[i].path);
		assert_int_equal(n->has_points, w[i].points != NULL);
		if (w[i].points)
			assert_string_equal(kp_num_str(n->points, b),
					    w[i].points);
		assert_int_equal(n->rule, w[i].rule);
		assert_int_equal(n->rule_written, w[i].written);
		for (; np < 4 && w[i].params[np][0]; np++) {
			const char *v = kp_node_param(n, w[i].params[np][0]);
			assert_non_null(v);
			assert_string_equal(v, w[i].params[np][1]);
		}
		assert_int_equal(n->nparams, np);
	}
	assert_string_equal(kp_table_find(t, "1.1")->text[KP_T_CONTENT],
			    "政务公开工作没有明确分管领导（扣2.5分）");
	assert_string_equal(kp_table_find(t, "1.1")->parent->code, "1");
	assert_int_equal(rep.n, 0);
	kp_import_report_release(&rep);
	kp_table_free(t);
}

/* ---- 10. round trip of every bundled indicator table ----------------- */

static void same_tree_or_explain(const kp_table *a, const kp_table *b,
				 const char *how, size_t *bad)
{
	char why[1024] = "";
	if (!kp_table_same_tree(a, b, why, sizeof(why))) {
		print_error("%s (%s): %s\n", kp_table_id(a), how, why);
		(*bad)++;
	}
}

static void round_trip_one(const kp_table *orig, kp_sheet *s,
			   const char *how, size_t *bad)
{
	kp_table *back = NULL;
	kp_import_report rep;
	kp_err e = { 0 };
	if (kp_import(s, NULL, &back, &rep, &e) < 0) {
		print_error("%s (%s): import: %s\n", kp_table_id(orig), how,
			    e.msg);
		(*bad)++;
	} else {
		same_tree_or_explain(orig, back, how, bad);
		if (rep.n) {
			print_error("%s (%s): %zu rows reported:\n",
				    kp_table_id(orig), how, rep.n);
			for (size_t k = 0; k < rep.n; k++)
				print_error("  %s\n", rep.lines[k]);
			(*bad)++;
		}
		if (rep.nodes != orig->nnodes) {
			print_error("%s (%s): %zu nodes back, %zu sent\n",
				    kp_table_id(orig), how, rep.nodes,
				    orig->nnodes);
			(*bad)++;
		}
	}
	kp_table_free(back);
	kp_import_report_release(&rep);
}

static void round_trip_csv(void **state)
{
	size_t tried = 0, bad = 0;
	(void)state;
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t = NULL;
		kp_sheet *s = NULL;
		kp_buf csv = KP_BUF_INIT;
		kp_err e = { 0 };
		if (kp_bundled_load(i, &t, &e) < 0) {
			print_error("%s: %s\n", kp_bundled_path(i), e.msg);
			fail();
		}
		if (t->kind != KP_KIND_INDICATORS) {
			kp_table_free(t);
			continue;
		}
		tried++;
		assert_int_equal(kp_export_csv(t, &csv), 0);
		if (kp_sheet_parse("x.csv", csv.data, csv.len, NULL, &s, &e) < 0) {
			print_error("%s: sheet: %s\n", kp_table_id(t), e.msg);
			bad++;
		} else {
			round_trip_one(t, s, "CSV", &bad);
		}
		kp_sheet_free(s);
		kp_buf_release(&csv);
		kp_table_free(t);
	}
	print_message("  %zu indicator tables, %zu failures\n", tried, bad);
	assert_true(tried > 0);
	/* spaces inside names survive (pzh2017-web-keyinfo has
	 * "发展新产业 培育新动能"); only line breaks are joined */
	assert_int_equal(bad, 0);
}

static void round_trip_xlsx(void **state)
{
	size_t tried = 0, bad = 0;
	(void)state;
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t = NULL;
		kp_sheet *s = NULL;
		kp_err e = { 0 };
		char tmpl[] = "/tmp/kp-test-import-XXXXXX";
		kp_buf path = KP_BUF_INIT;
		int fd;
		if (kp_bundled_load(i, &t, &e) < 0) {
			print_error("%s: %s\n", kp_bundled_path(i), e.msg);
			fail();
		}
		if (t->kind != KP_KIND_INDICATORS) {
			kp_table_free(t);
			continue;
		}
		tried++;
		fd = mkstemp(tmpl);
		assert_true(fd >= 0);
		close(fd);
		kp_buf_addf(&path, "%s.xlsx", tmpl);
		if (kp_export_xlsx(t, path.data, &e) < 0) {
			print_error("%s: export: %s\n", kp_table_id(t), e.msg);
			bad++;
		} else if (kp_sheet_load(path.data, NULL, &s, &e) < 0) {
			print_error("%s: load: %s\n", kp_table_id(t), e.msg);
			bad++;
		} else {
			assert_int_equal(kp_sheet_format(s), KP_SHEET_XLSX);
			round_trip_one(t, s, "XLSX", &bad);
		}
		kp_sheet_free(s);
		remove(path.data);
		remove(tmpl);
		kp_buf_release(&path);
		kp_table_free(t);
	}
	print_message("  %zu indicator tables, %zu failures\n", tried, bad);
	assert_true(tried > 0);
	/* as in round_trip_csv */
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_layout),
		cmocka_unit_test(seed_quirk_row),
		cmocka_unit_test(options_id_title),
		cmocka_unit_test(page_break_repeats),
		cmocka_unit_test(content_continues),
		cmocka_unit_test(points_without_name),
		cmocka_unit_test(map_needed),
		cmocka_unit_test(map_given),
		cmocka_unit_test(map_bad),
		cmocka_unit_test(level_points_columns),
		cmocka_unit_test(single_points_column),
		cmocka_unit_test(points_conflict_in_names),
		cmocka_unit_test(damaged_sheets),
		cmocka_unit_test(header_on_row_30),
		cmocka_unit_test(late_errors_name_sheet_line),
		cmocka_unit_test(slash_in_name),
		cmocka_unit_test(path_deeper_than_four),
		cmocka_unit_test(grade_columns),
		cmocka_unit_test(canonical_headers),
		cmocka_unit_test(round_trip_csv),
		cmocka_unit_test(round_trip_xlsx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
