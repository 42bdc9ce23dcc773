/* Tests of src/catalog/propose.c (a rule proposed from the wording of a
 * criteria cell, 确定 or 需确认, with the words it came from) and of
 * src/catalog/rule_text.c (every rule described in Chinese, never with
 * the format's keywords).  Each case is a row: text → rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- proposals: one row per way offices write a rule ----------------- */

static const struct pcase {
	const char *text;
	const char *points;     /* the item's points; NULL: none */
	const char *rule;       /* kp_rule_name; "judged" also when unwritten */
	bool written;
	const char *params;
	bool sure;
	const char *words;      /* a part of the words it came from; NULL: "" */
	const char *set_points; /* points read from the text, or NULL */
} pcases[] = {
	/* 扣N分 → a deduction of N */
	{ "未明确分管领导的扣4分", "10", "deduct", true, "amount=4", true,
	  "未明确分管领导的扣4分", NULL },
	/* 每…扣N分 → per occurrence; 最多扣N分 → a cap */
	{ "每缺少一项制度扣2分，最多扣10分", "10", "deduct", true,
	  "amount=2;each;max=10", true, "最多扣10分", NULL },
	{ "每处错误扣0.5分，扣完为止", "5", "deduct", true, "amount=0.5;each",
	  true, "扣完为止", NULL },
	/* 半分 and Chinese numerals */
	{ "超期答复一次扣半分", "3", "deduct", true, "amount=0.5;each", true,
	  "超期答复一次扣半分", NULL },
	{ "错别字扣0.2分/处", "2", "deduct", true, "amount=0.2;each", true,
	  NULL, NULL },
	{ "栏目空白的扣两分", "4", "deduct", true, "amount=2", true, NULL, NULL },
	{ "违反规定的，共计扣6分", "6", "judged", false, "", false,
	  "共计扣6分", NULL },
	/* 不得分 / 得0分 → all or nothing */
	{ "未公开的不得分", "5", "binary", true, "", true, "未公开的不得分",
	  NULL },
	{ "有年度报告得5分，无年度报告得0分", "5", "binary", true, "", true,
	  "有年度报告得5分", NULL },
	/* several readings: 需确认 */
	{ "未明确的扣4分，未公开的不得分", "10", "deduct", true, "amount=4",
	  false, "未公开的不得分", NULL },
	{ "缺一项扣2分，缺两项扣5分", "10", "deduct", true, "amount=2;each",
	  false, NULL, NULL },
	{ "有年度报告得3分", "5", "binary", true, "", false, NULL, NULL },
	/* 酌情 / 视情况 → judged */
	{ "在2分内酌情给分", "2", "judged", false, "", true, "酌情", NULL },
	{ "视情况给分", "3", "judged", false, "", true, "视情况给分", NULL },
	/* 加N分 / 最高加N分 → bonus, its points from the text when none */
	{ "获得省级表彰的加1分", NULL, "bonus", true, "", true, "加1分", "1" },
	{ "每篇加0.5分，最高加3分", NULL, "bonus", true, "", true, "最高加3分",
	  "3" },
	{ "每篇解读加1分", NULL, "bonus", true, "", false, NULL, "1" },
	/* 一票否决 → veto */
	{ "发生泄密事件的实行一票否决", NULL, "veto", true,
	  "scope=evaluation;outcome=0", true, "一票否决", NULL },
	{ "发生泄密事件的实行一票否决", "5", "veto", true,
	  "scope=evaluation;outcome=0", false, NULL, NULL },
	/* tiers: 完成…%得N分 */
	{ "完成100%得10分，完成80%得8分，完成60%得6分，低于60%不得分", "10",
	  "tiered", true, "tiers=100%:1,80%:0.8,60%:0.6", true, "完成80%得8分",
	  NULL },
	{ "完成率达到90％的得6分；达到60％的得3分", "9", "tiered", true,
	  "tiers=90%:2/3,60%:1/3", true, NULL, NULL },
	/* none: 需确认 */
	{ "机构职能、领导信息", "2", "judged", false, "", false, NULL, NULL },
	{ "", "2", "judged", false, "", false, NULL, NULL },
	{ "未公开的扣5分", "2", "deduct", true, "amount=5", false, NULL, NULL },
	/* a deduction without the item's points */
	{ "每项扣2分", NULL, "deduct", true, "amount=2;each", false, NULL, NULL },
};

static void proposals(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(pcases); i++) {
		const struct pcase *c = &pcases[i];
		kp_proposal p;
		kp_num pts = kp_num_int(0);
		char b[32];
		if (c->points)
			assert_int_equal(kp_num_parse(c->points, &pts), 0);
		kp_rule_propose(c->text, c->points != NULL, pts, &p);
		print_message("  “%s” → %s %s %s%s%s（原文“%s”）\n", c->text,
			      kp_rule_name(p.rule), p.params,
			      p.sure ? "确定" : "需确认：", p.sure ? "" : p.why,
			      "", p.words);
		assert_string_equal(kp_rule_name(p.rule), c->rule);
		assert_int_equal(p.written, c->written);
		assert_string_equal(p.params, c->params);
		assert_int_equal(p.sure, c->sure);
		if (!c->sure)
			assert_true(*p.why != '\0');
		else
			assert_string_equal(p.why, "");
		if (c->words)
			assert_non_null(strstr(p.words, c->words));
		assert_int_equal(p.set_points, c->set_points != NULL);
		if (c->set_points)
			assert_string_equal(kp_num_str(p.points, b),
					    c->set_points);
	}
}

/* ---- rules in Chinese -------------------------------------------------- */

static const char table_csv[] =
	"#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,t\n"
	"#meta,title,规则说明\n"
	"code,path,points,rule,params\n"
	"1,甲,10,deduct,amount=2;each;max=10\n"
	"2,乙,5,,\n"
	"3,丙,5,binary,\n"
	"4,丁,,veto,scope=result;outcome=deduct:2\n"
	"5,戊,80,tiered,\"tiers=100%:1,70%:0.7;wording=earned\"\n"
	"6,己,20,deduct,\n"
	"6.1,己/月报,,minus,amount=2;when=monthly_min:6\n"
	"6.2,己/迟报,,minus,amount=all;when=urgent_late\n"
	"7,庚,30,bonus,\n"
	"8,辛,6,judged,step=0.5\n"
	"9,壬,10,judged,\"grades=10,8,6,0\"\n"
	"10,癸,,veto,scope=evaluation;outcome=0\n";

static const struct dcase {
	const char *code, *text;
} dcases[] = {
	{ "1", "倒扣分：每项扣2分，最多扣10分" },
	{ "2", "评估员打分" },
	{ "3", "全有或全无：达到得满分，否则不得分" },
	{ "4", "一票否决：折算后的结果扣2分" },
	{ "5", "按完成比例分档：完成100%及以上得80分，完成70%及以上得56分，低于最低一档不得分" },
	{ "6", "倒扣分" },
	{ "6.1", "扣分项：某月报送信息少于6条时扣2分" },
	{ "6.2", "扣分项：紧急重要信息迟报、漏报、瞒报时上级指标不得分" },
	{ "7", "加分项：最高加30分" },
	{ "8", "评估员打分：打分步长0.5分" },
	{ "9", "评估员打分：按档打分（10、8、6、0分）" },
	{ "10", "一票否决：整项考核得0分" },
};

static void describe(void **state)
{
	kp_table *t;
	kp_err e;
	(void)state;
	if (kp_table_parse("t.csv", table_csv, strlen(table_csv), &t, &e) < 0)
		fail_msg("%s", e.msg);
	for (size_t i = 0; i < N_OF(dcases); i++) {
		kp_buf b = KP_BUF_INIT;
		const kp_node *n = kp_table_find(t, dcases[i].code);
		assert_non_null(n);
		kp_rule_describe(n, &b);
		print_message("  %s → %s\n", dcases[i].code, b.data);
		assert_string_equal(b.data, dcases[i].text);
		kp_buf_release(&b);
	}
	kp_table_free(t);
}

/* No description of any rule of any bundled table shows the format's
 * keywords. */
static void describe_bundled(void **state)
{
	static const char *const keywords[] = {
		"amount", "each", "max=", "tiers", "scope", "outcome",
		"wording", "split", "when", "single", "step", "grades", "=",
		";", "deduct", "judged", "minus",
	};
	size_t nodes = 0;
	(void)state;
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t;
		kp_err e;
		assert_int_equal(kp_bundled_load(i, &t, &e), 0);
		for (size_t k = 0; k < t->nnodes; k++) {
			kp_buf b = KP_BUF_INIT;
			kp_rule_describe(t->nodes[k], &b);
			for (size_t w = 0; w < N_OF(keywords); w++)
				if (strstr(b.data, keywords[w]))
					fail_msg("%s %s: “%s” shows “%s”",
						 kp_table_id(t), t->nodes[k]->code,
						 b.data, keywords[w]);
			kp_buf_release(&b);
			nodes++;
		}
		kp_table_free(t);
	}
	print_message("  %zu nodes described\n", nodes);
	assert_true(nodes > 300);
}

/* ---- confirmation ------------------------------------------------------ */

static void confirm_rows(void **state)
{
	static const char csv[] =
		"#meta,format,kaoping-table/1\n#meta,kind,indicators\n"
		"#meta,id,t\n#meta,title,待确认\n"
		"#meta,confirm,1 2、3\n#meta,confirmed,2\n"
		"code,path,points,rule,params\n"
		"1,甲,10,deduct,amount=4\n2,乙,5,binary,\n3,丙,5,,\n";
	kp_table *t;
	kp_findings f = { NULL, 0, 0 };
	kp_err e;
	(void)state;
	if (kp_table_parse("t.csv", csv, strlen(csv), &t, &e) < 0)
		fail_msg("%s", e.msg);
	/* 1 and 3 wait for a person; 2 is confirmed */
	assert_int_equal(kp_lint_confirm(t, &f), 2);
	assert_string_equal(f.v[0].kind, "confirm");
	assert_string_equal(f.v[0].code, "1");
	assert_int_equal(f.v[0].line, 8);
	assert_non_null(strstr(f.v[0].message, "“甲”的计分规则（倒扣分：扣4分）"));
	assert_string_equal(f.v[1].code, "3");
	kp_findings_release(&f);
	kp_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proposals),
		cmocka_unit_test(describe),
		cmocka_unit_test(describe_bundled),
		cmocka_unit_test(confirm_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
