/*
 * The units registry's index: every name and alias of a registry as big
 * as a province's resolves to its unit, a type or tags only by the
 * canonical name, and a spelling used twice is refused with the line of
 * the first registry row that reuses it — the same row a reading in
 * order (names first, then each row's aliases) stops at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

#define HEAD "#meta,format,kaoping-table/1\n#meta,kind,units\n" \
	     "#meta,id,t-units\n#meta,title,测试名录\nname,type,aliases,tags\n"

static kp_units *load(const char *csv, kp_err *e)
{
	kp_table *t;
	kp_units *u = NULL;
	if (kp_table_parse("u.csv", csv, strlen(csv), &t, e) < 0)
		fail_msg("%s", e->msg);
	if (kp_units_from_table(t, &u, e) < 0)
		u = NULL;
	kp_table_free(t);
	return u;
}

/* 10,000 units, each with two aliases, written in an order unrelated to
 * their sort order: every spelling resolves, and to the right unit. */
static void many_units(void **state)
{
	enum { N = 10000 };
	kp_buf b = KP_BUF_INIT;
	kp_units *u;
	kp_err e;
	char name[64], a1[64], a2[64];
	(void)state;
	kp_buf_adds(&b, HEAD);
	for (int i = 0; i < N; i++) {
		int k = (i * 7919) % N;
		kp_buf_addf(&b, "单位%05d,%s,乙%05d、丙%05d,%s\n", k,
			    k % 3 ? "市级部门" : "县区", k, k,
			    k % 5 ? "" : "无公共服务职能");
	}
	u = load(b.data, &e);
	assert_non_null(u);
	assert_int_equal(kp_units_count(u), N);
	for (int k = 0; k < N; k++) {
		snprintf(name, sizeof(name), "单位%05d", k);
		snprintf(a1, sizeof(a1), "乙%05d", k);
		snprintf(a2, sizeof(a2), "丙%05d", k);
		assert_string_equal(kp_units_resolve(u, name), name);
		assert_string_equal(kp_units_resolve(u, a1), name);
		assert_string_equal(kp_units_resolve(u, a2), name);
		assert_string_equal(kp_units_type(u, name),
				    k % 3 ? "市级部门" : "县区");
		assert_string_equal(kp_units_tags(u, name),
				    k % 5 ? "" : "无公共服务职能");
		/* an alias is not a canonical name */
		assert_null(kp_units_type(u, a1));
		assert_null(kp_units_tags(u, a2));
	}
	assert_null(kp_units_resolve(u, "单位10000"));
	assert_null(kp_units_resolve(u, ""));
	assert_null(kp_units_resolve(u, "单位0000"));
	assert_null(kp_units_type(u, "单位10000"));
	kp_units_free(u);
	kp_buf_release(&b);
}

/* Line numbers: 5 header lines, so the first unit is on line 6. */
static void duplicate_name(void **state)
{
	kp_err e;
	(void)state;
	/* 市财政局 again on line 9; 市民政局's second row (line 10) comes
	 * after it and is not the one named */
	assert_null(load(HEAD "市民政局,市级部门,民政局,\n"     /* 6 */
			      "市财政局,市级部门,,\n"            /* 7 */
			      "东区人民政府,县区,东区政府,\n"    /* 8 */
			      "市财政局,市级部门,,\n"            /* 9 */
			      "市民政局,市级部门,,\n",           /* 10 */
			 &e));
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "u.csv:9"));
	assert_non_null(strstr(e.msg, "单位“市财政局”重复（已是“市财政局”的名称或别名）"));
}

static void duplicate_alias(void **state)
{
	kp_err e;
	(void)state;
	/* an alias spelt like a later unit's name: names are all read
	 * first, so the alias (line 6) is the error, owned by that unit */
	assert_null(load(HEAD "市民政局,市级部门,市财政局,\n"   /* 6 */
			      "市财政局,市级部门,财政局,\n",     /* 7 */
			 &e));
	assert_non_null(strstr(e.msg, "u.csv:6"));
	assert_non_null(strstr(e.msg, "别名“市财政局”已属于单位“市财政局”"));
	/* two units claim one alias: the second (line 8) is refused and
	 * the first unit named as its owner */
	assert_null(load(HEAD "市民政局,市级部门,民政局,\n"     /* 6 */
			      "市财政局,市级部门,财政局,\n"      /* 7 */
			      "东区人民政府,县区,东区、民政局,\n" /* 8 */
			      "西区人民政府,县区,财政局,\n",      /* 9 */
			 &e));
	assert_non_null(strstr(e.msg, "u.csv:8"));
	assert_non_null(strstr(e.msg, "别名“民政局”已属于单位“市民政局”"));
	/* one unit giving an alias twice */
	assert_null(load(HEAD "市民政局,市级部门,民政局、民政局,\n", &e));
	assert_non_null(strstr(e.msg, "u.csv:6"));
	assert_non_null(strstr(e.msg, "别名“民政局”已属于单位“市民政局”"));
}

/* The bundled registry still loads and resolves its aliases. */
static void bundled(void **state)
{
	kp_units *u;
	kp_err e;
	(void)state;
	assert_int_equal(kp_units_open("pzh-units", &u, &e), 0);
	assert_string_equal(kp_units_resolve(u, "东区政府"), "东区人民政府");
	assert_string_equal(kp_units_type(u, "东区人民政府"), "县区");
	assert_null(kp_units_type(u, "东区政府"));
	kp_units_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(many_units),
		cmocka_unit_test(duplicate_name),
		cmocka_unit_test(duplicate_alias),
		cmocka_unit_test(bundled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
