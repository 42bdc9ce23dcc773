/*
 * Schemes (kind scheme, docs/scheme.md): the bundled 攀枝花 2016 scheme
 * of seed 003, a scheme file naming tables by path, one table opened as a
 * scheme of one, every way a scheme file is refused, lint, and unit
 * selection by the applies syntax.
 */
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

static char dir[] = "/tmp/kp-scheme-XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int open_in_dir(const char *name, kp_scheme **s, kp_err *e)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return kp_scheme_open(path, s, e);
}

#define HEAD "#meta,format,kaoping-table/1\n#meta,kind,scheme\n#meta,id,s\n" \
	     "#meta,title,方案\n"

/* seed 003 (攀办函〔2016〕104号): “各区县、市级各部门” are assessed on
 * 效能建设, “纳入政务（信息）公开考核的市级有关部门” on 政务（信息）公开,
 * and 政务信息 in three variants (附件1—3); the results are points
 * “计入各单位目标绩效考核总分”, which the scheme adds up (combine=sum). */
static void bundled_pzh2016(void **state)
{
	kp_scheme *s;
	kp_err e;
	static const char *const ids[] = { "pzh2016-gk", "pzh2016-xn",
		"pzh2016-info-dept", "pzh2016-info-county", "pzh2016-info-gxq" };
	static const char *const labels[] = { "政务公开", "效能建设", "政务信息",
		"政务信息", "政务信息" };
	static const char *const applies[] = { "市级部门", "县区、市级部门",
		"市级部门、群团、驻外办事处", "县区", "高新区" };
	(void)state;
	assert_int_equal(kp_scheme_open("pzh2016", &s, &e), 0);
	assert_string_equal(kp_scheme_id(s), "pzh2016");
	assert_string_equal(kp_scheme_registry(s), "pzh-units");
	assert_int_equal(s->combine, KP_COMBINE_SUM);
	assert_int_equal(s->nrows, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(kp_table_id(s->rows[i].table), ids[i]);
		assert_string_equal(s->rows[i].label, labels[i]);
		assert_string_equal(s->rows[i].applies, applies[i]);
		assert_string_equal(s->rows[i].source, ids[i]);
		assert_false(s->rows[i].has_weight);
	}
	/* the conversions the combination adds up, as the tables carry them */
	assert_string_equal(kp_table_get(s->rows[0].table, "convert"), "deduct:2");
	assert_string_equal(kp_table_get(s->rows[1].table, "convert"), "deduct:2");
	assert_string_equal(kp_table_get(s->rows[2].table, "convert"), "earn:3");
	assert_string_equal(kp_table_get(s->rows[3].table, "convert"), "deduct:1");
	assert_string_equal(kp_table_get(s->rows[4].table, "convert"), "earn:1");
	kp_scheme_free(s);
}

/* An indicator table is a scheme of that one table. */
static void one_table(void **state)
{
	kp_scheme *s;
	kp_err e;
	(void)state;
	assert_int_equal(kp_scheme_open("pzh2016-gk", &s, &e), 0);
	assert_null(s->def);
	assert_int_equal(s->combine, KP_COMBINE_NONE);
	assert_int_equal(s->nrows, 1);
	assert_string_equal(kp_scheme_id(s), "pzh2016-gk");
	assert_string_equal(s->rows[0].label, "");
	kp_scheme_free(s);
	assert_int_equal(kp_scheme_open("pzh2016-info-quota", &s, &e), -1);
	assert_string_equal(e.msg, "pzh2016-info-quota 是任务分配表，不是指标表或考评方案");
}

/* A scheme file names tables by path, relative to its own folder, and
 * gives weights for combine=weighted (公众评估 30 + 综合评估 70). */
static void weighted_file(void **state)
{
	kp_scheme *s;
	kp_err e;
	(void)state;
	put("public.csv", "#meta,format,kaoping-table/1\n#meta,kind,indicators\n"
			  "#meta,id,public\n#meta,title,公众评估\n"
			  "code,path,points,rule\n1,满意度,100,judged\n");
	put("expert.csv", "#meta,format,kaoping-table/1\n#meta,kind,indicators\n"
			  "#meta,id,expert\n#meta,title,综合评估\n"
			  "code,path,points,rule\n1,评测,100,judged\n");
	put("w.csv", HEAD "#meta,combine,weighted\ntable,label,weight\n"
		     "public.csv,公众评估,30\nexpert.csv,综合评估,70\n");
	assert_int_equal(open_in_dir("w.csv", &s, &e), 0);
	assert_int_equal(s->combine, KP_COMBINE_WEIGHTED);
	assert_int_equal(s->nrows, 2);
	assert_string_equal(kp_table_id(s->rows[0].table), "public");
	assert_true(s->rows[1].has_weight);
	assert_int_equal(s->rows[1].weight.n, 70);
	assert_non_null(strstr(s->rows[1].source, "/expert.csv"));
	assert_true(s->rows[1].source[0] == '/');
	assert_string_equal(s->rows[1].applies, "");
	kp_scheme_free(s);
}

/* Every way a scheme is refused: one message naming file and line. */
static void refused(void **state)
{
	kp_scheme *s;
	kp_err e;
	char want[400];
	(void)state;
	put("nocombine.csv", HEAD "table,label\npzh2016-gk,政务公开\n");
	assert_int_equal(open_in_dir("nocombine.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "nocombine.csv:1: 考评方案缺少 #meta,combine 行"));

	put("badcombine.csv", HEAD "#meta,combine,average\ntable,label\npzh2016-gk,a\n");
	assert_int_equal(open_in_dir("badcombine.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "badcombine.csv:5: 合并规则“average”无效（应为 sum 或 weighted"));

	put("noweight.csv", HEAD "#meta,combine,weighted\ntable,label,weight\n"
			   "pzh2016-gk,甲,30\npzh2016-xn,乙,\n");
	assert_int_equal(open_in_dir("noweight.csv", &s, &e), -1);
	snprintf(want, sizeof(want), "%s/noweight.csv:8: combine=weighted 的方案每一行都要写权重（weight 列），表 pzh2016-xn 没有", dir);
	assert_string_equal(e.msg, want);

	put("badweight.csv", HEAD "#meta,combine,weighted\ntable,label,weight\n"
			    "pzh2016-gk,甲,三十\n");
	assert_int_equal(open_in_dir("badweight.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "badweight.csv:7: “weight”列的“三十”不是非负数"));

	put("twice.csv", HEAD "#meta,combine,sum\ntable,label\n"
			"pzh2016-gk,甲\npzh2016-xn,乙\npzh2016-gk,丙\n");
	assert_int_equal(open_in_dir("twice.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "twice.csv:9: 表 pzh2016-gk 已列在第 7 行"));

	put("quota.csv", HEAD "#meta,combine,sum\ntable,label\npzh2016-info-quota,甲\n");
	assert_int_equal(open_in_dir("quota.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "quota.csv:7: “pzh2016-info-quota”是任务分配表，不是指标表"));

	put("missing.csv", HEAD "#meta,combine,sum\ntable,label\nno-such.csv,甲\n");
	assert_int_equal(open_in_dir("missing.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "missing.csv:7: 表“no-such.csv”无法打开："));

	put("nolabel.csv", HEAD "#meta,combine,sum\ntable,label\npzh2016-gk,\n");
	assert_int_equal(open_in_dir("nolabel.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "nolabel.csv:7: “label”列不能为空"));

	put("empty.csv", HEAD "#meta,combine,sum\ntable,label\n");
	assert_int_equal(open_in_dir("empty.csv", &s, &e), -1);
	assert_non_null(strstr(e.msg, "考评方案没有列出任何表"));
}

/* Lint: the bundled scheme is clean; a listed table that cannot be
 * opened is a "ref" finding on its line. */
static void lint(void **state)
{
	kp_table *t;
	kp_findings f = { NULL, 0, 0 };
	kp_err e;
	char path[256];
	(void)state;
	assert_int_equal(kp_table_open("pzh2016", &t, &e), 0);
	assert_int_equal(kp_lint(t, NULL, &f), 0);
	assert_int_equal(f.n, 0);
	kp_table_free(t);
	put("lint.csv", HEAD "#meta,combine,sum\ntable,label\npzh2016-gk,甲\n"
		       "gone.csv,乙\n");
	snprintf(path, sizeof(path), "%s/lint.csv", dir);
	assert_int_equal(kp_table_open(path, &t, &e), 0);
	assert_int_equal(kp_lint(t, NULL, &f), 1);
	assert_string_equal(f.v[0].kind, "ref");
	assert_int_equal(f.v[0].line, 8);
	assert_non_null(strstr(f.v[0].message, "方案列出的表“gone.csv”无法打开"));
	kp_findings_release(&f);
	kp_table_free(t);
}

/* The applies syntax selects units: type, tag, name or alias; "!" out. */
static void units_match(void **state)
{
	kp_units *u;
	kp_err e;
	(void)state;
	assert_int_equal(kp_units_open("pzh-units", &u, &e), 0);
	assert_true(kp_units_match(u, "东区人民政府", "县区"));
	assert_true(kp_units_match(u, "东区人民政府", ""));
	assert_true(kp_units_match(u, "东区人民政府", "市级部门、东区"));
	assert_false(kp_units_match(u, "东区人民政府", "市级部门"));
	assert_false(kp_units_match(u, "东区人民政府", "县区、!东区政府"));
	assert_true(kp_units_match(u, "钒钛高新区管委会", "高新区"));
	assert_false(kp_units_match(u, "钒钛高新区管委会", "市级部门"));
	assert_true(kp_units_match(u, "人民银行攀枝花中心支行", "中省驻攀"));
	assert_false(kp_units_match(u, "人民银行攀枝花中心支行", "!中省驻攀"));
	kp_units_free(u);
}

static int cleanup(void **state)
{
	char cmd[64];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bundled_pzh2016),
		cmocka_unit_test(one_table),
		cmocka_unit_test(weighted_file),
		cmocka_unit_test(refused),
		cmocka_unit_test(lint),
		cmocka_unit_test(units_match),
	};
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	return cmocka_run_group_tests_name("catalog/scheme", tests, NULL, cleanup);
}
