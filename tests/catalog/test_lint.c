/*
 * Lint: every finding on every bundled table is pinned here — each one a
 * defect of the seed itself, acknowledged in the data and so "known" —
 * and each kind of finding is shown to fire on a small table built for it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

/* The complete list of findings on the bundled tables: table, kind, code.
 * The seed document each comes from is in the table's source meta. */
static const struct {
	const char *table, *kind, *code;
} expected[] = {
	/* 004: “市自然资源” (missing 局); three 二级指标 cells that say
	 * “以专题形式展现” instead of naming a sub-column */
	{ "ak2020-columns", "quirk", "2.5" },
	{ "ak2020-columns", "quirk", "10" },
	{ "ak2020-columns", "quirk", "11" },
	{ "ak2020-columns", "quirk", "12" },
	/* …and so 市自然资源局 is written two ways in one table */
	{ "ak2020-columns", "unit-spelling", "市自然资源局" },
	/* 001: an item with no name; items repeated under one first level
	 * (加强指导监督 28 times …); texts copied from other items */
	{ "pj2017-gk", "quirk", "1.20" },
	{ "pj2017-gk", "duplicate", "2.8" },
	{ "pj2017-gk", "duplicate", "2.12" },
	{ "pj2017-gk", "duplicate", "2.13" },
	{ "pj2017-gk", "duplicate", "2.15" },
	{ "pj2017-gk", "duplicate", "2.25" },
	{ "pj2017-gk", "duplicate", "2.26" },
	{ "pj2017-gk", "duplicate", "2.32" },
	{ "pj2017-gk", "duplicate", "2.44" },
	{ "pj2017-gk", "duplicate", "2.61" },
	{ "pj2017-gk", "duplicate", "2.65" },
	{ "pj2017-gk", "quirk", "2.35" },
	{ "pj2017-gk", "quirk", "2.37" },
	{ "pj2017-gk", "quirk", "2.40" },
	{ "pj2017-gk", "quirk", "2.101" },
	{ "pj2017-gk", "quirk", "2.102" },
	/* 003: 载体建设 20 points, deductions 5+2.5+5+5 = 17.5 */
	{ "pzh2016-gk", "deduct-short", "4" },
	/* 003: “本级保密查机构” */
	{ "pzh2016-gk", "quirk", "5" },
	/* 003 county sheet: 扣2 + 扣3 + 扣5 on a 5-point item */
	{ "pzh2016-info-county", "deduct-over", "2.1" },
	/* 003: 5-point items that say “得3分” (department and 高新区 sheets) */
	{ "pzh2016-info-dept", "text-points", "2.2" },
	{ "pzh2016-info-dept", "text-points", "2.3" },
	{ "pzh2016-info-gxq", "text-points", "2.2" },
	{ "pzh2016-info-gxq", "text-points", "2.3" },
	/* 003 效能建设: “规范中介结构运行” */
	{ "pzh2016-xn", "quirk", "3" },
	/* 000 表一/表二: the second 依申请公开 row printed in the wrong column */
	{ "pzh2017-web-county", "quirk", "1.3.5" },
	{ "pzh2017-web-dept", "quirk", "1.3.5" },
	/* 000 表三: “放管”改革; typos; six rows that lost their leading
	 * cells so the item name sits in the 序号 column */
	{ "pzh2017-web-keyinfo", "quirk", "1.1.2" },
	{ "pzh2017-web-keyinfo", "quirk", "1.1.9" },
	{ "pzh2017-web-keyinfo", "quirk", "1.1.10" },
	{ "pzh2017-web-keyinfo", "quirk", "3.1.5" },
	{ "pzh2017-web-keyinfo", "quirk", "10.1.8" },
	{ "pzh2017-web-keyinfo", "quirk", "12.1.8" },
	{ "pzh2017-web-keyinfo", "quirk", "25.1.5" },
	{ "pzh2017-web-keyinfo", "quirk", "26.1.5" },
	{ "pzh2017-web-keyinfo", "quirk", "28.1.6" },
	/* 000 writes 市人力资源社会保障局, 003 市人力资源和社会保障局 */
	{ "*", "unit-spelling", "市人力资源和社会保障局" },
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static void bundled_findings(void **state)
{
	kp_table *tables[32];
	kp_findings f = { NULL, 0, 0 };
	kp_units *reg;
	kp_err e;
	size_t n = kp_bundled_count(), open = 0, k = 0;
	bool seen[N_EXPECTED] = { false };
	(void)state;
	assert_true(n <= 32);
	for (size_t i = 0; i < n; i++) {
		size_t before = f.n;
		assert_int_equal(kp_bundled_load(i, &tables[i], &e), 0);
		open += kp_lint(tables[i], NULL, &f);
		for (size_t j = before; j < f.n; j++) {
			bool found = false;
			for (k = 0; k < N_EXPECTED; k++)
				if (!strcmp(expected[k].table,
					    kp_table_id(tables[i])) &&
				    !strcmp(expected[k].kind, f.v[j].kind) &&
				    !strcmp(expected[k].code, f.v[j].code)) {
					found = seen[k] = true;
				}
			if (!found)
				fail_msg("unexpected finding %s %s %s: %s",
					 kp_table_id(tables[i]), f.v[j].kind,
					 f.v[j].code, f.v[j].message);
			assert_true(f.v[j].known);
		}
	}
	assert_int_equal(open, 0);
	assert_int_equal(kp_units_open("pzh-units", &reg, &e), 0);
	{
		size_t before = f.n;
		assert_int_equal(kp_lint_across(tables, n, "pzh-units", reg, &f),
				 0);
		assert_int_equal(f.n - before, 1);
		assert_string_equal(f.v[before].code, "市人力资源和社会保障局");
		assert_non_null(strstr(f.v[before].message,
				       "“市人力资源社会保障局”（pzh2017-web-keyinfo"));
		seen[N_EXPECTED - 1] = true;
	}
	for (k = 0; k < N_EXPECTED; k++)
		if (!seen[k])
			fail_msg("missing finding %s %s %s", expected[k].table,
				 expected[k].kind, expected[k].code);
	kp_units_free(reg);
	for (size_t i = 0; i < n; i++)
		kp_table_free(tables[i]);
	kp_findings_release(&f);
}

/* The messages a user reads for the two quirks the seeds' README names. */
static void seed_quirk_messages(void **state)
{
	kp_table *t;
	kp_findings f = { NULL, 0, 0 };
	kp_err e;
	(void)state;
	assert_int_equal(kp_table_open("pzh2016-gk", &t, &e), 0);
	kp_lint(t, NULL, &f);
	assert_string_equal(f.v[0].message,
			    "“载体建设”分值为 20，但扣分项全部扣完也只扣 17.5 分");
	kp_findings_release(&f);
	kp_table_free(t);
	assert_int_equal(kp_table_open("pzh2016-info-dept", &t, &e), 0);
	kp_lint(t, NULL, &f);
	assert_string_equal(f.v[0].message,
			    "“报送工作/市政府领导批示要求反馈的信息及约稿信息报送情况”分值为 5，但评分标准写“得3分”");
	kp_findings_release(&f);
	kp_table_free(t);
}

/* ---- each kind on a small table ------------------------------------- */

#define HEAD "#meta,format,kaoping-table/1\n#meta,kind,indicators\n" \
	     "#meta,id,t\n#meta,title,测试\n"

static const struct {
	const char *name;
	const char *csv;
	const char *kind;      /* the one finding expected (NULL: none) */
	const char *message;   /* substring of its message */
} cases[] = {
	{ "sum", HEAD "#meta,total,10\ncode,path,points\n1,甲,10\n1.1,甲/子1,4\n1.2,甲/子2,5\n",
	  "sum", "“甲”分值为 10，但子项分值合计为 9" },
	{ "total", HEAD "#meta,total,100\ncode,path,points\n1,甲,60\n2,乙,30\n",
	  "total", "表声明总分 100，但各一级指标分值合计 90" },
	{ "deduct-over", HEAD "code,path,points,rule,params\n1,甲,10,deduct,\n1.1,甲/一,,minus,amount=6\n1.2,甲/二,,minus,amount=6\n",
	  "deduct-over", "扣分项合计可扣 12 分" },
	{ "deduct-leaf-over", HEAD "code,path,points,rule,params\n1,甲,10,deduct,amount=15\n",
	  "deduct-over", "每次扣 15 分，超过本项分值 10 分" },
	{ "deduct-short", HEAD "code,path,points,rule,params\n1,甲,20,deduct,\n1.1,甲/一,,minus,amount=2.5\n",
	  "deduct-short", "全部扣完也只扣 2.5 分" },
	{ "deduct-each-unbounded", HEAD "code,path,points,rule,params\n1,甲,20,deduct,amount=5;each\n",
	  NULL, NULL },
	{ "group", HEAD "code,path,points,rule,params\n1,甲,25,deduct,\n1.1,甲/组,,minus,max=25\n1.1.1,甲/组/a,,minus,amount=5\n1.1.2,甲/组/b,,minus,amount=5\n",
	  "deduct-short", "扣分组“甲/组”最多扣 25 分，但其中各项扣分合计 10 分" },
	{ "text-points", HEAD "code,path,points,criteria\n1,甲,5,做到得 3 分\n",
	  "text-points", "分值为 5，但评分标准写“得3分”" },
	{ "text-points-less", HEAD "code,path,points,criteria\n1,甲,5,不足的此项少得 2 分；做到得5分\n",
	  NULL, NULL },
	/* tiers read as tiers: the largest is the item's points */
	{ "text-points-tiers", HEAD "code,path,points,criteria\n1,甲,3,完成90%以上得3分，完成60%以上得2分，其余得0分\n",
	  NULL, NULL },
	{ "text-points-tiers-pct", HEAD "code,path,points,criteria\n1,甲,70,完成100%得70分，完成80%得56分，低于80%不得分\n",
	  NULL, NULL },
	{ "text-points-tiers-wrong", HEAD "code,path,points,criteria\n1,甲,5,完成90%以上得3分，完成60%以上得2分，其余得0分\n",
	  "text-points", "“甲”分值为 5，但评分标准分档的最高一档写“得3分”" },
	{ "text-points-one-tier", HEAD "code,path,points,criteria\n1,甲,5,完成90%以上得3分\n",
	  "text-points", "分值为 5，但评分标准写“得3分”" },
	{ "duplicate", HEAD "code,path,points\n1,甲,2\n1.1,甲/乙,1\n1.2,甲/乙,1\n",
	  "duplicate", "“乙”在“甲”下出现 2 次" },
	{ "share-with-points", HEAD "code,path,points,rule\n1,甲,10,share\n1.1,甲/a,5,\n",
	  "rule", "按 share 由子项平分分值，但有 1 个子项自带分值" },
	{ "minus-outside-deduct", HEAD "code,path,points,rule,params\n1,甲,10,sum,\n1.1,甲/a,,minus,amount=1\n",
	  "rule", "上级不是 deduct" },
	{ "quirk", HEAD "code,path,points,quirk\n1,甲,1,原表此行错列\n",
	  "quirk", "“甲”：原表此行错列" },
	{ "ref", HEAD "code,path,points,rule,params\n1,甲,10,checklist,list=no-such-table\n",
	  "ref", "清单参数 list 引用的表“no-such-table”无法打开" },
	{ "unit-spelling", HEAD "#meta,registry,pzh-units\ncode,path,points,units\n1,甲,1,市人力资源社会保障局\n2,乙,1,市人力资源和社会保障局\n",
	  "unit-spelling", "单位“市人力资源和社会保障局”有 2 种写法" },
	{ "unit-unknown", HEAD "#meta,registry,pzh-units\ncode,path,points,units\n1,甲,1,市不存在局\n",
	  "unit-unknown", "单位“市不存在局”不在单位名录中" },
	{ "clean", HEAD "#meta,total,10\ncode,path,points\n1,甲,6\n1.1,甲/a,6\n2,乙,4\n",
	  NULL, NULL },
};

static void each_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kp_table *t;
		kp_findings f = { NULL, 0, 0 };
		kp_err e;
		size_t open;
		if (kp_table_parse(cases[i].name, cases[i].csv,
				   strlen(cases[i].csv), &t, &e) < 0)
			fail_msg("%s: %s", cases[i].name, e.msg);
		open = kp_lint(t, NULL, &f);
		if (!cases[i].kind) {
			if (f.n)
				fail_msg("%s: unexpected %s: %s", cases[i].name,
					 f.v[0].kind, f.v[0].message);
		} else {
			if (f.n != 1)
				fail_msg("%s: %zu findings, want 1", cases[i].name,
					 f.n);
			assert_string_equal(f.v[0].kind, cases[i].kind);
			if (!strstr(f.v[0].message, cases[i].message))
				fail_msg("%s: message “%s” lacks “%s”",
					 cases[i].name, f.v[0].message,
					 cases[i].message);
			/* only source quirks are known without an ack */
			assert_int_equal(open,
					 strcmp(cases[i].kind, "quirk") ? 1 : 0);
		}
		kp_findings_release(&f);
		kp_table_free(t);
	}
}

/* A wrong tier table: one text-points finding, on the row's own line
 * (the seventh of the file), naming the largest tier; the right one next to
 * it none. */
static void tiers_with_line(void **state)
{
	const char *csv = HEAD "code,path,points,criteria\n"
			       "1,对,3,完成90%以上得3分，完成60%以上得2分，其余得0分\n"
			       "2,错,5,完成90%以上得3分，完成60%以上得2分，其余得0分\n";
	kp_table *t;
	kp_findings f = { NULL, 0, 0 };
	kp_err e;
	(void)state;
	assert_int_equal(kp_table_parse("tiers.csv", csv, strlen(csv), &t, &e), 0);
	assert_int_equal(kp_lint(t, NULL, &f), 1);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].kind, "text-points");
	assert_string_equal(f.v[0].code, "2");
	assert_int_equal(f.v[0].line, 7);
	assert_string_equal(f.v[0].message,
			    "“错”分值为 5，但评分标准分档的最高一档写“得3分”");
	kp_findings_release(&f);
	kp_table_free(t);
}

/* #meta,known acknowledges one finding, by kind and code, or a kind. */
static void acknowledgement(void **state)
{
	const char *csv = HEAD "#meta,known,sum 1\ncode,path,points\n"
			       "1,甲,10\n1.1,甲/a,4\n2,乙,5\n2.1,乙/b,1\n";
	kp_table *t;
	kp_findings f = { NULL, 0, 0 };
	kp_err e;
	(void)state;
	assert_int_equal(kp_table_parse("ack.csv", csv, strlen(csv), &t, &e), 0);
	assert_int_equal(kp_lint(t, NULL, &f), 1);   /* 2 is not acknowledged */
	assert_int_equal(f.n, 2);
	assert_true(f.v[0].known);
	assert_false(f.v[1].known);
	assert_int_equal(f.v[1].line, 9);
	kp_findings_release(&f);
	kp_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bundled_findings),
		cmocka_unit_test(seed_quirk_messages),
		cmocka_unit_test(each_kind),
		cmocka_unit_test(acknowledgement),
		cmocka_unit_test(tiers_with_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
