/*
 * Rule kinds as rows: each kind's row (flags, accepted facts), its
 * parameters parsed once into kp_rule_args when the table loads, the
 * refusals of bad values with file:line, and kp_node_max.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

static kp_table *parse(const char *csv)
{
	kp_table *t = NULL;
	kp_err e = { 0 };
	if (kp_table_parse("r.csv", csv, strlen(csv), &t, &e) < 0)
		fail_msg("%s", e.msg);
	return t;
}

static const char *str(kp_num v, char *b)
{
	return kp_num_str(v, b);
}

static void rows(void **state)
{
	kp_rule r;
	(void)state;
	for (int k = 0; k < KP_RULE_COUNT; k++) {
		const kp_rule_def *d = kp_rule_def_of((kp_rule)k);
		assert_int_equal(kp_rule_parse(d->name, &r), 0);
		assert_int_equal(r, k);
		assert_string_equal(kp_rule_name((kp_rule)k), d->name);
		assert_string_equal(kp_rule_label((kp_rule)k), d->label);
	}
	assert_int_equal(kp_rule_parse("median", &r), -1);
	/* what counts in a parent's sum: not veto, bonus, minus or item */
	assert_true(kp_rule_has(KP_RULE_JUDGED, KP_RF_COUNTS));
	assert_true(kp_rule_has(KP_RULE_DEDUCT, KP_RF_COUNTS));
	assert_false(kp_rule_has(KP_RULE_VETO, KP_RF_COUNTS));
	assert_false(kp_rule_has(KP_RULE_BONUS, KP_RF_COUNTS));
	assert_false(kp_rule_has(KP_RULE_MINUS, KP_RF_COUNTS));
	assert_false(kp_rule_has(KP_RULE_ITEM, KP_RF_COUNTS));
	/* which facts each accepts */
	assert_true(kp_rule_has(KP_RULE_BINARY, KP_RF_SCORE));
	assert_true(kp_rule_has(KP_RULE_BINARY, KP_RF_FAIL));
	assert_false(kp_rule_has(KP_RULE_TIERED, KP_RF_SCORE));
	assert_true(kp_rule_has(KP_RULE_ITEM, KP_RF_SCORE_01));
	assert_true(kp_rule_has(KP_RULE_VETO, KP_RF_VETO));
	assert_false(kp_rule_has(KP_RULE_DEDUCT, KP_RF_VETO));
	/* quantities: a when= name on the node or a child; split parts */
	assert_non_null(kp_rule_def_of(KP_RULE_TIERED)->quantity);
	assert_null(kp_rule_def_of(KP_RULE_JUDGED)->quantity);
}

static void args_parsed_once(void **state)
{
	char a[32], b[32];
	kp_table *t = parse(
		"#meta,format,kaoping-table/1\n"
		"#meta,kind,indicators\n"
		"#meta,id,r\n"
		"#meta,title,规则\n"
		"code,path,points,rule,params\n"
		"1,采用,80,tiered,\"tiers=100%:1, 70%:0.7;split=city:64,province:16;single=80;wording=deducted;quota=q\"\n"
		"2,报送,10,deduct,\n"
		"2.1,报送/迟报,,minus,amount=2.5;each;max=5;when=late_days:3\n"
		"2.2,报送/瞒报,,minus,amount=all\n"
		"3,否决,,veto,scope=evaluation;outcome=deduct:2\n"
		"4,平分,30,share,\n"
		"4.1,平分/甲,,judged,step=0.5\n"
		"4.2,平分/乙,,judged,\n"
		"4.3,平分/丙,,item,\n");
	const kp_node *n = kp_table_find(t, "1");
	const kp_rule_args *x = &n->args;
	(void)state;
	assert_int_equal(x->ntiers, 2);
	assert_string_equal(str(x->tiers[0].at, a), "1");
	assert_string_equal(str(x->tiers[1].at, a), "0.7");
	assert_string_equal(str(x->tiers[1].factor, b), "0.7");
	assert_int_equal(x->nsplit, 2);
	assert_int_equal(x->split[1].len, strlen("province"));
	assert_memory_equal(x->split[1].name, "province", 8);
	assert_string_equal(str(x->split[1].max, a), "16");
	assert_true(x->has_single);
	assert_true(x->deducted);
	assert_string_equal(x->quota, "q");

	x = &kp_table_find(t, "2.1")->args;
	assert_true(x->has_amount_num);
	assert_string_equal(str(x->amount_num, a), "2.5");
	assert_true(x->each);
	assert_true(x->has_max);
	assert_string_equal(str(x->max_num, a), "5");
	assert_int_equal(x->when_len, strlen("late_days"));
	assert_true(x->when_below);
	assert_string_equal(str(x->when_at, a), "3");
	assert_true(kp_rule_def_of(KP_RULE_DEDUCT)->quantity(
		kp_table_find(t, "2"), "late_days"));
	assert_false(kp_rule_def_of(KP_RULE_DEDUCT)->quantity(
		kp_table_find(t, "2"), "late"));

	x = &kp_table_find(t, "2.2")->args;
	assert_true(x->amount_all);
	assert_false(x->has_amount_num);

	x = &kp_table_find(t, "3")->args;
	assert_int_equal(x->scope, KP_VETO_EVALUATION);
	assert_string_equal(x->outcome, "deduct:2");

	assert_true(kp_table_find(t, "4.1")->args.has_step);
	/* a share parent's 30 points among the two items that count */
	kp_num m;
	assert_int_equal(kp_node_max(kp_table_find(t, "4.2"), &m), 0);
	assert_string_equal(str(m, a), "15");
	assert_int_equal(kp_node_max(kp_table_find(t, "4.3"), &m), 0);
	assert_int_equal(kp_node_max(kp_table_find(t, "3"), &m), -1);
	kp_table_free(t);
}

static void refusals(void **state)
{
	static const struct {
		const char *row, *want;
	} cases[] = {
		{ "1,x,10,tiered,tiers=100%", "r.csv:6: 规则 tiered 的参数 tiers=100% 无效" },
		{ "1,x,10,tiered,split=city:64", "r.csv:6: 分档规则（tiered）需要参数 tiers=…" },
		{ "1,x,10,tiered,tiers=1:1;split=city", "r.csv:6: 规则 tiered 的参数 split=city 无效" },
		{ "1,x,10,deduct,amount=-1", "r.csv:6: 规则 deduct 的参数 amount=-1 无效" },
		{ "1,x,10,deduct,each=1", "each 是开关，不带值" },
		{ "1,x,10,veto,outcome=deduct:x", "参数 outcome=deduct:x 无效" },
		{ "1,x,10,veto,scope=all;outcome=0", "参数 scope=all 无效" },
		{ "1,x,10,judged,amount=1", "规则 judged 不接受参数“amount”（可用：step grades）" },
		{ "1,x,,minus,", "扣分项（minus）需要参数 amount=扣分" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char csv[512];
		kp_table *t = NULL;
		kp_err e = { 0 };
		snprintf(csv, sizeof(csv),
			 "#meta,format,kaoping-table/1\n#meta,kind,indicators\n"
			 "#meta,id,r\n#meta,title,规则\n"
			 "code,path,points,rule,params\n%s\n", cases[i].row);
		assert_int_equal(kp_table_parse("r.csv", csv, strlen(csv), &t, &e),
				 -1);
		assert_null(t);
		if (!strstr(e.msg, cases[i].want))
			fail_msg("%s: got %s", cases[i].row, e.msg);
		assert_int_equal(e.line, 6);
		assert_string_equal(e.file, "r.csv");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows),
		cmocka_unit_test(args_parsed_once),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
