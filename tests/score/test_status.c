/*
 * Node status (issue 12, "never silent"): a deduction node with no
 * deduction is compliant only once assessed; a binary node without a
 * fact passes once a check covered it; a unit never assessed is
 * provisional (未完成) with its pending nodes counted.  The table is
 * small and worked by hand; every figure as displayed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "score/score.h"

/* 1 组织保障 40 judged; 2 日常工作 50 deduct (2.1 −5 each, 2.2 −10);
 * 3 网站可用 10 binary; 9 通报批评 veto, deducting 2 from the total
 * (result scope) on a table converting at most 2. */
static const char table_csv[] =
	"#meta,format,kaoping-table/1\n#meta,kind,indicators\n"
	"#meta,id,st\n#meta,title,状态用例\n#meta,total,100\n"
	"#meta,convert,deduct:2\n"
	"code,path,points,rule,params\n"
	"1,组织保障,40,judged,\n"
	"2,日常工作,50,deduct,\n"
	"2.1,日常工作/未及时公开,,minus,amount=5;each;max=20\n"
	"2.2,日常工作/未更新基本信息,,minus,amount=10\n"
	"3,网站可用,10,binary,\n"
	"9,通报批评,,veto,scope=result;outcome=deduct:2\n";

static kp_table *T;

static int setup(void **state)
{
	kp_err e;
	(void)state;
	if (kp_table_parse("st.csv", table_csv, strlen(table_csv), &T, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kp_table_free(T);
	return 0;
}

static kp_result *score(const char *facts)
{
	kp_buf b = KP_BUF_INIT;
	kp_facts fs = KP_FACTS_INIT;
	kp_result *r = NULL;
	kp_err e;
	kp_buf_adds(&b, "unit,indicator,kind,name,value,source\n");
	kp_buf_adds(&b, facts);
	if (kp_facts_parse("f.csv", b.data, b.len, &fs, &e) < 0 ||
	    kp_facts_check(T, NULL, &fs, &e) < 0 ||
	    kp_score_unit(T, NULL, "甲局", &fs, &r, &e) < 0)
		fail_msg("%s", e.msg);
	kp_buf_release(&b);
	kp_facts_release(&fs);
	return r;
}

#define EQ2(num, want)                                                       \
	do {                                                                 \
		char b_[32];                                                 \
		assert_string_equal(kp_num_fmt2((num), b_), (want));         \
	} while (0)

static const kp_rnode *node(const kp_result *r, const char *code)
{
	const kp_rnode *n = kp_result_find(r, code);
	if (!n)
		fail_msg("no node %s", code);
	return n;
}

/* Never assessed: the deduction node shows 50 provisionally, pending;
 * the binary node 0, pending; the judged node 0, pending: three nodes
 * pending, total 50.00 provisional. */
static void never_assessed(void **state)
{
	kp_result *r = score("");
	kp_buf ex = KP_BUF_INIT;
	(void)state;
	EQ2(r->total, "50.00");
	EQ2(node(r, "2")->score, "50.00");
	assert_true(node(r, "2")->pending);
	assert_true(node(r, "3")->pending);
	assert_true(node(r, "1")->pending);
	assert_int_equal(r->pending, 3);
	kp_result_explain(r, &ex);
	assert_non_null(strstr(ex.data, "未评：尚无扣分事实，也未登记已评（assessed），暂按满分50分计"));
	assert_non_null(strstr(ex.data, "未完成：3 项未评，合计50.00分为暂计分数"));
	kp_buf_release(&ex);
	kp_result_free(r);
}

/* Assessed on node 2 and the whole of 3 by a check: 2 is compliant (50),
 * 3 passes (10); only the judged 1 is pending. */
static void assessed_nodes(void **state)
{
	kp_result *r = score("甲局,2,assessed,,,考核\n甲局,3,已评,,,检测\n");
	json_t *j;
	(void)state;
	EQ2(node(r, "2")->score, "50.00");
	assert_false(node(r, "2")->pending);
	EQ2(node(r, "3")->score, "10.00");
	assert_false(node(r, "3")->pending);
	assert_true(node(r, "1")->pending);
	assert_int_equal(r->pending, 1);
	EQ2(r->total, "60.00");
	j = kp_result_json(r);
	assert_false(json_is_true(json_object_get(j, "complete")));
	assert_int_equal(json_integer_value(json_object_get(j, "pending")), 1);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "nodes"), 0), "status")), "pending");
	json_decref(j);
	kp_result_free(r);
	/* a self-assessment declares nothing */
	r = score("甲局,*,assessed,,,自评\n");
	assert_int_equal(r->pending, 3);
	kp_result_free(r);
}

/* The whole unit assessed ("*"), a score on 1 and a deduction: complete,
 * 35 + (50 − 10) + 10 = 85. */
static void whole_unit(void **state)
{
	kp_result *r = score("甲局,1,score,,35,考核\n甲局,2.2,fail,,1,考核\n"
			     "甲局,*,assessed,,,考核\n");
	(void)state;
	assert_int_equal(r->pending, 0);
	EQ2(r->total, "85.00");
	EQ2(r->converted, "0.30");   /* 2 × 15 ÷ 100 */
	kp_result_free(r);
	/* a deduction alone settles its node, whatever the others */
	r = score("甲局,1,score,,35,考核\n甲局,2.2,fail,,1,考核\n");
	assert_false(node(r, "2")->pending);
	assert_true(node(r, "3")->pending);
	assert_int_equal(r->pending, 1);
	kp_result_free(r);
}

/* A veto that deducts from the total fixes the result: complete, and
 * the veto's node is named. */
static void veto_decides(void **state)
{
	kp_result *r = score("甲局,9,veto,,,考核\n");
	(void)state;
	assert_int_equal(r->pending, 0);
	assert_true(kp_result_any_veto(r));
	assert_string_equal(kp_result_veto_node(r)->code, "9");
	EQ2(r->converted, "2.00");
	kp_result_free(r);
	r = score("甲局,*,assessed,,,考核\n");
	assert_null(kp_result_veto_node(r));
	kp_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(never_assessed),
		cmocka_unit_test(assessed_nodes),
		cmocka_unit_test(whole_unit),
		cmocka_unit_test(veto_decides),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
