/*
 * The scoring engine against the seeds.  Every expected number is worked
 * out by hand from the seed sentence quoted beside it (seeds in
 * ../shared/seeds/), and asserted as displayed: two decimals, half up.
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

/* ---- fixture --------------------------------------------------------- */

typedef struct fx {
	kp_table *t;
	kp_score_ctx c;
	kp_facts fs;
	kp_result *r;
	kp_buf ex;
} fx;

static void fx_free(fx *x)
{
	kp_result_free(x->r);
	kp_facts_release(&x->fs);
	kp_score_ctx_release(&x->c);
	kp_table_free(x->t);
	kp_buf_release(&x->ex);
	memset(x, 0, sizeof(*x));
}

static void fx_open(fx *x, const char *table)
{
	kp_err e;
	memset(x, 0, sizeof(*x));
	if (kp_table_open(table, &x->t, &e) < 0)
		fail_msg("%s", e.msg);
	kp_score_ctx_init(&x->c);
	if (kp_score_ctx_open(&x->c, x->t, &e) < 0)
		fail_msg("%s", e.msg);
}

/* Every node of x's table applies to every unit: seed 001's items now
 * apply to their responsible units only; the share arithmetic is tested
 * on the table as if each item applied to the unit. */
static void fx_all_apply(fx *x)
{
	for (size_t i = 0; i < x->t->nnodes; i++)
		if (*x->t->nodes[i]->text[KP_T_APPLIES])
			x->t->nodes[i]->text[KP_T_APPLIES][0] = '\0';
}

static void same_num(kp_num a, kp_num b, const char *what, const char *code)
{
	if (kp_num_cmp(a, b))
		fail_msg("KP_SCORE_TOTALS: %s of %s differs (%lld/%lld, %lld/%lld)",
			 what, code, (long long)a.n, (long long)a.d,
			 (long long)b.n, (long long)b.d);
}

/* The totals-only result (kp_scorer_unit with KP_SCORE_TOTALS, what eval
 * score uses) carries every number of the full one, and no reasons. */
static void check_totals_mode(const fx *x, const char *unit)
{
	kp_scorer *sc = kp_scorer_new(x->t);
	kp_result *q;
	const kp_result *r = x->r;
	kp_err e;
	if (kp_scorer_unit(sc, &x->c, unit, &x->fs, KP_SCORE_TOTALS, &q, &e) < 0)
		fail_msg("%s", e.msg);
	same_num(r->total, q->total, "total", "");
	same_num(r->max, q->max, "max", "");
	same_num(r->base, q->base, "base", "");
	same_num(r->bonus, q->bonus, "bonus", "");
	same_num(r->self_total, q->self_total, "self_total", "");
	same_num(r->converted, q->converted, "converted", "");
	assert_int_equal(r->has_self, q->has_self);
	assert_int_equal(r->vetoed, q->vetoed);
	assert_int_equal(r->has_convert, q->has_convert);
	assert_string_equal(r->outcome, q->outcome);
	assert_string_equal(r->convert ? r->convert : "", q->convert ? q->convert : "");
	assert_string_equal(r->unit, q->unit);
	assert_int_equal(q->nreasons, 0);
	assert_int_equal(r->nnodes, q->nnodes);
	for (size_t i = 0; i < r->nnodes; i++) {
		const kp_rnode *a = &r->nodes[i], *b = &q->nodes[i];
		const char *code = a->node->code;
		assert_ptr_equal(a->node, b->node);
		same_num(a->max, b->max, "max", code);
		same_num(a->self, b->self, "self", code);
		same_num(a->assessor, b->assessor, "assessor", code);
		same_num(a->score, b->score, "score", code);
		assert_int_equal(a->applies, b->applies);
		assert_int_equal(a->has_self, b->has_self);
		assert_int_equal(a->has_assessor, b->has_assessor);
		assert_int_equal(a->pending, b->pending);
		assert_int_equal(a->vetoed, b->vetoed);
		assert_int_equal(b->nreasons, 0);
	}
	kp_result_free(q);
	kp_scorer_free(sc);
}

/* Score unit on the table with the facts in csv (header added here:
 * unit,indicator,kind,name,value,source); every case also checks that
 * the totals-only mode agrees. */
static kp_result *run_text(fx *x, const char *unit, const char *name,
			   const char *text, size_t len)
{
	kp_err e;
	kp_result_free(x->r);
	x->r = NULL;
	kp_facts_release(&x->fs);
	if (kp_facts_parse(name, text, len, &x->fs, &e) < 0)
		fail_msg("%s", e.msg);
	if (kp_facts_check(x->t, &x->c, &x->fs, &e) < 0)
		fail_msg("%s", e.msg);
	if (kp_score_unit(x->t, &x->c, unit, &x->fs, &x->r, &e) < 0)
		fail_msg("%s", e.msg);
	check_totals_mode(x, unit);
	kp_buf_reset(&x->ex);
	kp_result_explain(x->r, &x->ex);
	return x->r;
}

static kp_result *run(fx *x, const char *unit, const char *csv)
{
	kp_buf b = KP_BUF_INIT;
	kp_result *r;
	kp_buf_adds(&b, "unit,indicator,kind,name,value,source\n");
	kp_buf_adds(&b, csv);
	r = run_text(x, unit, "t.csv", b.data, b.len);
	kp_buf_release(&b);
	return r;
}

static const kp_rnode *rn(const kp_result *r, const char *code)
{
	const kp_rnode *n = kp_result_find(r, code);
	if (!n)
		fail_msg("no node %s", code);
	return n;
}

#define EQ2(num, want)                                                       \
	do {                                                                 \
		char b_[32];                                                 \
		assert_string_equal(kp_num_fmt2((num), b_), (want));         \
	} while (0)
#define SCORE(r, code, want) EQ2(rn((r), (code))->score, want)

/* The explanation line of node code (without indentation). */
static void assert_line(const fx *x, const char *code, const char *want)
{
	const char *p = x->ex.data;
	size_t cl = strlen(code);
	while (p && *p) {
		const char *q = p, *end = strchr(p, '\n');
		while (*q == ' ')
			q++;
		if (!strncmp(q, code, cl) && q[cl] == ' ') {
			size_t len = end ? (size_t)(end - q) : strlen(q);
			if (len != strlen(want) || strncmp(q, want, len))
				fail_msg("line %s:\n got  %.*s\n want %s", code,
					 (int)len, q, want);
			return;
		}
		p = end ? end + 1 : NULL;
	}
	fail_msg("no explanation line for %s", code);
}

/* ---- seed 003: 政务（信息）公开工作考评表 ------------------------------- */

/* “1.主要负责同志……没有明确分管领导……（扣 2.5 分）” → 组织保障 10 − 2.5 */
static void gk_deduction(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-gk");
	kp_result *r = run(&x, "市民政局", "市民政局,1.1,fail,,,考核\n");
	SCORE(r, "1", "7.50");
	SCORE(r, "1.1", "-2.50");
	SCORE(r, "2", "20.00"); /* 倒扣分法：无扣分得满分 */
	assert_line(&x, "1", "1 组织保障 10 → 7.5：扣2.5分（主要负责同志年度内没有听取政务（信息）公开工作专题汇报；考核）");
	assert_line(&x, "1.1", "1.1 主要负责同志年度内没有听取政务（信息）公开工作专题汇报（扣分项）→ -2.5：扣2.5分（考核）");
	EQ2(r->total, "97.50");
	fx_free(&x);
}

/* “2.以下“五公开”工作推进不力的（共计扣 25 分）①决策公开……(扣 5 分)
 *  ②……⑤ (各扣 5 分)”；“1.重点领域……(扣 5 分)”；“3.行权平台……（扣 20 分）” */
static void gk_five_group(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-gk");
	/* two of five: 50 − 10 = 40 */
	kp_result *r = run(&x, "市民政局",
			   "市民政局,3.2.1,fail,,,考核\n"
			   "市民政局,3.2.2,fail,,,考核\n");
	SCORE(r, "3", "40.00");
	SCORE(r, "3.2", "-10.00");
	assert_line(&x, "3.2", "3.2 “五公开”工作推进不力（扣分项）→ -10：本组共扣10分");
	/* all five: 共计扣25分 → 25; plus 重点领域 5 → 20 */
	r = run(&x, "市民政局",
		"市民政局,3.2.1,fail,,,考核\n市民政局,3.2.2,fail,,,考核\n"
		"市民政局,3.2.3,fail,,,考核\n市民政局,3.2.4,fail,,,考核\n"
		"市民政局,3.2.5,fail,,,考核\n市民政局,3.1,fail,,,考核\n");
	SCORE(r, "3.2", "-25.00");
	SCORE(r, "3", "20.00");
	/* and 行权平台 20: 5 + 25 + 20 = 50 → 0 */
	r = run(&x, "市民政局",
		"市民政局,3.2.1,fail,,,考核\n市民政局,3.2.2,fail,,,考核\n"
		"市民政局,3.2.3,fail,,,考核\n市民政局,3.2.4,fail,,,考核\n"
		"市民政局,3.2.5,fail,,,考核\n市民政局,3.1,fail,,,考核\n"
		"市民政局,3.3,fail,,,考核\n");
	SCORE(r, "3", "0.00");
	fx_free(&x);
}

/* “考核结果按最多扣2分进行折算”: 扣 2.5+5+5+2.5 = 15 → 85 分 →
 * 2 × (100 − 85) ÷ 100 = 0.30 */
static void gk_convert(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-gk");
	kp_result *r = run(&x, "市民政局",
			   "市民政局,1.1,fail,,,考核\n市民政局,2.1,fail,,,考核\n"
			   "市民政局,3.2.1,fail,,,考核\n市民政局,4.2,fail,,,考核\n");
	EQ2(r->total, "85.00");
	assert_true(r->has_convert);
	assert_string_equal(r->convert, "deduct:2");
	EQ2(r->converted, "0.30");
	fx_free(&x);
}

/* “出现下列情形之一的……直接从责任单位目标考核总分中扣2分” */
static void gk_veto(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-gk");
	kp_result *r = run(&x, "市民政局",
			   "市民政局,6,veto,,,考核\n市民政局,1.1,fail,,,考核\n");
	EQ2(r->total, "97.50");        /* the 100-point result stands */
	EQ2(r->converted, "2.00");     /* but 扣2分 directly */
	assert_string_equal(r->convert, "deduct:2");
	/* two cases still deduct 2 once (“出现下列情形之一”) */
	r = run(&x, "市民政局", "市民政局,5,veto,,,考核\n市民政局,8,veto,,,考核\n");
	EQ2(r->converted, "2.00");
	fx_free(&x);
}

/* 自评分 and 考核分 side by side on every row */
/* o's member key is a JSON number (not a string) that prints as want. */
static void jnum_equal(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);
	char *got;
	assert_true(json_is_number(v));
	got = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void gk_self_beside(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-gk");
	kp_result *r = run(&x, "市民政局",
			   "市民政局,1.2,fail,,,自评\n市民政局,1.3,fail,,,自评\n"
			   "市民政局,1.1,fail,,,考核\n");
	const kp_rnode *n = rn(r, "1");
	assert_true(n->has_self && n->has_assessor);
	EQ2(n->self, "5.00");          /* self: 10 − 2.5 − 2.5 */
	EQ2(n->assessor, "7.50");      /* assessor: 10 − 2.5; this counts */
	EQ2(n->score, "7.50");
	EQ2(r->self_total, "95.00");
	EQ2(r->total, "97.50");
	json_t *j = kp_result_json(r);
	json_t *n0 = json_array_get(json_object_get(j, "nodes"), 0);
	jnum_equal(n0, "self", "5");
	jnum_equal(n0, "assessor", "7.5");
	jnum_equal(n0, "score", "7.5");
	jnum_equal(n0, "max", "10");
	assert_string_equal(json_string_value(json_object_get(n0, "path")), "组织保障");
	json_t *rs0 = json_array_get(json_object_get(n0, "reasons"), 0);
	jnum_equal(rs0, "delta", "-2.5");
	assert_string_equal(json_string_value(json_object_get(rs0, "text")), "扣2.5分");
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(rs0, "facts"), 0), "source")), "assessor");
	jnum_equal(j, "total", "97.5");
	assert_string_equal(json_string_value(json_object_get(j, "unit")), "市民政局");
	/* 2.1 has no fact of either kind: self null */
	json_t *n5 = json_array_get(json_object_get(j, "nodes"), 5);
	assert_string_equal(json_string_value(json_object_get(n5, "path")),
			    "日常工作情况");
	assert_true(json_is_null(json_object_get(n5, "self")));
	json_decref(j);
	fx_free(&x);
}

/* ---- seed 003: 效能建设工作考评表 --------------------------------------- */

static void xn_rules(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-xn");
	/* “少一项制度扣5分”: 2 missing → 20 − 10 */
	kp_result *r = run(&x, "市民政局", "市民政局,1,fail,,2,考核\n");
	SCORE(r, "1", "10.00");
	assert_line(&x, "1", "1 制度建设 20 → 10：扣10分（每项5分×2项）（少一项制度扣5分。；考核）");
	/* “违反一项扣10分，最多扣20分”: 1 → 10; 3 → 30, capped 20 → 0 */
	r = run(&x, "市民政局", "市民政局,2,fail,,1,考核\n");
	SCORE(r, "2", "10.00");
	r = run(&x, "市民政局", "市民政局,2,fail,,3,考核\n");
	SCORE(r, "2", "0.00");
	/* “未完成其中一项扣20分” (30 分项): 1 → 10; 2 → 40 > 30 → 0 */
	r = run(&x, "市民政局", "市民政局,3,fail,,1,考核\n");
	SCORE(r, "3", "10.00");
	r = run(&x, "市民政局", "市民政局,3,fail,,2,考核\n");
	SCORE(r, "3", "0.00");
	/* 优化发展软环境 20 分: one item → 0 */
	r = run(&x, "市民政局", "市民政局,4,fail,,1,考核\n");
	SCORE(r, "4", "0.00");
	/* “未按要求上报信息扣10分” */
	r = run(&x, "市民政局", "市民政局,5,fail,,,考核\n");
	SCORE(r, "5", "0.00");
	fx_free(&x);
}

/* “扣分项，最多扣 2 分”: 5 + 10 + 20 = 35 → 65 → 2 × 35 ÷ 100 = 0.70 */
static void xn_convert(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-xn");
	kp_result *r = run(&x, "东区政府",
			   "东区政府,1,fail,,1,考核\n东区政府,2,fail,,1,考核\n"
			   "东区政府,3,fail,,1,考核\n");
	EQ2(r->total, "65.00");
	EQ2(r->converted, "0.70");
	fx_free(&x);
}

/* ---- seed 003: 政务信息工作考评表（三种） ------------------------------- */

/* 附件1 “基础工作 5 …得5分…不得分”; “每月报送信息不足6条的，此项少得2分；
 * 存在重复报送信息的此项少得3分；紧急重要信息迟报、漏报、瞒报的此项不得分” */
static void info_dept_reporting(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-info-dept");
	kp_result *r = run(&x, "市民政局",
			   "市民政局,1,score,,5,考核\n"
			   "市民政局,2.1,quantity,monthly_min,5,台账\n");
	SCORE(r, "1", "5.00");
	SCORE(r, "2.1", "3.00");
	r = run(&x, "市民政局", "市民政局,2.1,quantity,monthly_min,6,台账\n");
	SCORE(r, "2.1", "5.00");       /* 6 is “不少于6条” */
	r = run(&x, "市民政局", "市民政局,2.1,quantity,duplicate,1,台账\n");
	SCORE(r, "2.1", "2.00");
	r = run(&x, "市民政局", "市民政局,2.1,quantity,urgent_late,1,台账\n");
	SCORE(r, "2.1", "0.00");
	/* “出现一次未及时完成此项任务的，不得分” */
	r = run(&x, "市民政局", "市民政局,2.2,fail,,,考核\n");
	SCORE(r, "2.2", "0.00");
	SCORE(r, "2", "10.00");
	fx_free(&x);
}

/* 附件1 “采用任务分为市级采用任务和省级采用任务的单位，市级采用任务满分为64分，
 * 省级采用任务满分为16分 … 70%以上(含70%)，不足100%，得70%分数 … 50% …” */
static void info_dept_tiers(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-info-dept");
	/* 市民政局: 任务 120 / 9 (任务分配表).  84/120 = 70% → 64×0.7 = 44.8;
	 * 4.5/9 = 50% → 16×0.5 = 8 */
	kp_result *r = run(&x, "市民政局",
			   "市民政局,3,quantity,city_points,84,台账\n"
			   "市民政局,3,quantity,province_points,4.5,台账\n");
	SCORE(r, "3", "52.80");
	assert_line(&x, "3", "3 采用情况 80 → 52.8：市级任务120分，完成84分（70.00%），达70%档得70%：64×0.7=44.8分（台账）；省级任务9分，完成4.5分（50.00%），达50%档得50%：16×0.5=8分（台账）");
	/* “完成采用目标任务得全分” */
	r = run(&x, "市民政局", "市民政局,3,quantity,city_points,130,台账\n"
				 "市民政局,3,quantity,province_points,9,台账\n");
	SCORE(r, "3", "80.00");
	/* “采用任务中只有市级任务的单位，此项得分满分为80分”: 市总工会 20/0 */
	r = run(&x, "市总工会", "市总工会,3,quantity,city_points,20,台账\n");
	SCORE(r, "3", "80.00");
	r = run(&x, "市总工会", "市总工会,3,quantity,city_points,14,台账\n");
	SCORE(r, "3", "56.00");        /* 70% → 80×0.7 */
	r = run(&x, "市总工会", "市总工会,3,quantity,city_points,10,台账\n");
	SCORE(r, "3", "40.00");        /* 50% → 80×0.5 */
	r = run(&x, "市总工会", "市总工会,3,quantity,city_points,6,台账\n");
	SCORE(r, "3", "24.00");        /* 30% (含) → 80×0.3 */
	r = run(&x, "市总工会", "市总工会,3,quantity,city_points,5.9,台账\n");
	SCORE(r, "3", "0.00");         /* “30%(不含30%)以下，此项不得分” */
	/* an explicit quota fact overrides the table */
	r = run(&x, "市总工会", "市总工会,3,quantity,city_quota,10,考核\n"
				 "市总工会,3,quantity,city_points,10,台账\n");
	SCORE(r, "3", "80.00");
	fx_free(&x);
}

/* “满分3分”: 5 + 15 + 52.8 = 72.8 → 3 × 72.8 ÷ 100 = 2.184 → 2.18;
 * “凡误报、瞒报……实施一票否决” → 0 */
static void info_dept_convert(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-info-dept");
	kp_result *r = run(&x, "市民政局",
			   "市民政局,1,score,,5,考核\n"
			   "市民政局,3,quantity,city_points,84,台账\n"
			   "市民政局,3,quantity,province_points,4.5,台账\n");
	EQ2(r->total, "72.80");
	assert_string_equal(r->convert, "earn:3");
	EQ2(r->converted, "2.18");
	r = run(&x, "市民政局",
		"市民政局,1,score,,5,考核\n市民政局,4,veto,,,考核\n"
		"市民政局,3,quantity,city_points,120,台账\n"
		"市民政局,3,quantity,province_points,9,台账\n");
	assert_true(r->vetoed);
	EQ2(r->total, "0.00");
	EQ2(r->converted, "0.00");
	SCORE(r, "1", "0.00");
	fx_free(&x);
}

/* 附件2 “每月报送信息不足8条的，扣2分；存在重复报送信息的扣3分；紧急重要信息迟报、
 * 漏报、瞒报的扣5分” and “(1)…70%以上…扣30%分数…(4)…30%以下，此项分数扣完” */
static void info_county(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-info-county");
	kp_result *r = run(&x, "东区政府",
			   "东区政府,2.1,quantity,monthly_min,7,台账\n");
	SCORE(r, "2.1", "3.00");
	r = run(&x, "东区政府", "东区政府,2.1,quantity,monthly_min,8,台账\n");
	SCORE(r, "2.1", "5.00");
	/* “存在重复报送信息的扣3分” */
	r = run(&x, "东区政府", "东区政府,2.1.2,quantity,duplicate,2,台账\n");
	SCORE(r, "2.1", "2.00");
	/* “无相应的组织机构和工作制度，工作网络运行不畅扣5分” */
	r = run(&x, "东区政府", "东区政府,1,fail,,,考核\n");
	SCORE(r, "1", "0.00");
	r = run(&x, "东区政府", "东区政府,2.1,quantity,urgent_late,1,台账\n");
	SCORE(r, "2.1", "0.00");
	/* 东区: 任务 150 / 12.  105/150 = 70% → 扣30%: 64 − 19.2 = 44.8;
	 * 6/12 = 50% → 扣50%: 8 */
	r = run(&x, "东区政府", "东区政府,3,quantity,city_points,105,台账\n"
				 "东区政府,3,quantity,province_points,6,台账\n");
	SCORE(r, "3", "52.80");
	/* 44/150 < 30% → 扣完; 3.6/12 = 30% → 扣70%: 16 − 11.2 = 4.8 */
	r = run(&x, "东区政府", "东区政府,3,quantity,city_points,44,台账\n"
				 "东区政府,3,quantity,province_points,3.6,台账\n");
	SCORE(r, "3", "4.80");
	/* “最多扣1分”: 5 + 15 + 4.8 = 24.8 → 1 × 75.2 ÷ 100 = 0.752 → 0.75 */
	EQ2(r->total, "24.80");
	assert_string_equal(r->convert, "deduct:1");
	EQ2(r->converted, "0.75");
	/* 一票否决 → 0 分 → 扣满 1 分 */
	r = run(&x, "东区政府", "东区政府,2.1.4,veto,,,考核\n");
	EQ2(r->total, "0.00");
	EQ2(r->converted, "1.00");
	fx_free(&x);
}

/* 附件3 “钒钛高新区按1分计”: 任务 120 / 9; 60/120 = 50% → 32, 9/9 → 16;
 * 5 + 15 + 48 = 68 → 1 × 68 ÷ 100 = 0.68 */
static void info_gxq(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2016-info-gxq");
	kp_result *r = run(&x, "钒钛高新区管委会",
			   "钒钛高新区,1,score,,5,考核\n"
			   "钒钛高新区,3,quantity,city_points,60,台账\n"
			   "钒钛高新区,3,quantity,province_points,9,台账\n");
	SCORE(r, "3", "48.00");
	EQ2(r->total, "68.00");
	assert_string_equal(r->convert, "earn:1");
	EQ2(r->converted, "0.68");
	fx_free(&x);
}

/* ---- seed 000: 表一、表二、表三 ----------------------------------------- */

/* 表二 “年度要点 11” fed by 表三: 市发展改革委 has 10 items; 4 satisfied →
 * 11 × 4 ÷ 10 = 4.4.  Judged leaf “机构职能 1”. */
static void web_dept_checklist(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2017-web-dept");
	kp_result *r = run(&x, "市发展改革委",
			   "市发展改革委,政务公开/基本信息/机构职能,score,,1,考核\n"
			   "市发展改革委,pzh2017-web-keyinfo:1.1.1,score,,1,检测\n"
			   "市发展改革委,pzh2017-web-keyinfo:1.1.2,score,,1,检测\n"
			   "市发展改革委,pzh2017-web-keyinfo:1.1.3,fail,,,检测\n"
			   "市发展改革委,pzh2017-web-keyinfo:1.1.4,score,,1,检测\n"
			   "市发展改革委,pzh2017-web-keyinfo:1.1.5,score,,1,检测\n");
	SCORE(r, "1.1.1", "1.00");
	SCORE(r, "1.2.1", "4.40");
	assert_line(&x, "1.1.1", "1.1.1 机构职能 1 → 1：评分1分（满分1）（考核）");
	SCORE(r, "1.1.2", "0.00");
	assert_true(rn(r, "1.1.2")->pending);
	/* quantities instead of item facts */
	r = run(&x, "市发展改革委",
		"市发展改革委,1.2.1,quantity,satisfied,10,检测\n");
	SCORE(r, "1.2.1", "11.00");
	fx_free(&x);
}

/* A unit without a function: 政务服务 not applicable → out of the maximum */
static void web_dept_na(void **state)
{
	fx x;
	(void)state;
	fx_open(&x, "pzh2017-web-dept");
	kp_result *r = run(&x, "市发展改革委", "市发展改革委,2,na,,,考核\n");
	assert_false(rn(r, "2")->applies);
	assert_false(rn(r, "2.4")->applies);
	EQ2(r->max, "72.00");           /* 100 − 政务服务 28 */
	/* 表一 is for counties: a department gets nothing from it */
	fx_free(&x);
	fx_open(&x, "pzh2017-web-county");
	r = run(&x, "市发展改革委", "");
	EQ2(r->max, "0.00");
	r = run(&x, "米易县", "米易县,政务公开/基本信息/概况信息,score,,1,考核\n");
	EQ2(r->max, "100.00");
	EQ2(r->total, "1.00");
	fx_free(&x);
}

/* ---- seed 001: points shared by items without their own ------------- */

/* “一、行政权力信息公开（30分）” over 20 items → 1.5 each; “二、……（40分）”
 * over 102 items → 40/102 each, shown 0.39, and 102 full items give
 * exactly 40 (no drift). */
static void share_points(void **state)
{
	fx x;
	kp_buf b = KP_BUF_INIT;
	(void)state;
	fx_open(&x, "pj2017-gk");
	fx_all_apply(&x);
	kp_result *r = run(&x, "市发展改革委", "市发展改革委,1.1,score,,1.5,考核\n");
	EQ2(rn(r, "1.1")->max, "1.50");
	SCORE(r, "1.1", "1.50");
	EQ2(rn(r, "2.1")->max, "0.39");
	for (int i = 1; i <= 102; i++)
		kp_buf_addf(&b, "市发展改革委,2.%d,score,,20/51,考核\n", i);
	r = run(&x, "市发展改革委", b.data);
	SCORE(r, "2", "40.00");
	assert_int_equal(rn(r, "2")->score.d, 1);   /* exactly 40 */
	kp_buf_release(&b);
	fx_free(&x);
}

/* ---- the national 2019 website check --------------------------------- */

/* A registry with one unit without public-service functions. */
static const char *units_csv =
	"#meta,format,kaoping-table/1\n#meta,kind,units\n#meta,id,t-units\n"
	"#meta,title,测试名录\nname,type,aliases,tags\n"
	"某局,市级部门,,\n某办,市级部门,,无公共服务职能\n";

static void gov_fx(fx *x, kp_table **ut, kp_units **u)
{
	kp_err e;
	fx_open(x, "gov2019-web-check");
	if (kp_table_parse("u.csv", units_csv, strlen(units_csv), ut, &e) < 0 ||
	    kp_units_from_table(*ut, u, &e) < 0)
		fail_msg("%s", e.msg);
	x->c.units = *u;
}

/* Expected numbers from the 2019 指标说明 (sntec.org.cn reprint, see the
 * table's #meta,note 来源〔1〕) and the table's rows, worked by hand:
 * 7.1 发布解读、互动交流、功能设计 75, 7.2 办事服务 25 (75 × 4/3), 加分 30. */
static void gov2019(void **state)
{
	fx x;
	kp_table *ut;
	kp_units *u;
	(void)state;
	gov_fx(&x, &ut, &u);
	/* “如网站出现单项否决指标中的任意一种情形，即判定为不合格网站，不再对
	 * 其他指标进行评分”: 首页不更新 → 不合格, 0, the bonus not counted */
	kp_result *r = run(&x, "某局", "某局,3,veto,,,检测\n某局,8.1,score,,8,考核\n");
	assert_true(r->vetoed);
	assert_string_equal(r->outcome, "不合格");
	EQ2(r->total, "0.00");
	SCORE(r, "7", "0.00");
	/* “采用扣分方式评分的，单项指标扣分之和不超过该项指标总分值”:
	 * 30 × 1 = 30 > 25 → 办事服务 0, not −5; 75 + 0 = 75 → 合格 */
	r = run(&x, "某局", "某局,7.2.2,fail,,30,考核\n");
	SCORE(r, "7.2", "0.00");
	SCORE(r, "7.1", "75.00");
	EQ2(r->total, "75.00");
	assert_string_equal(r->outcome, "合格");
	/* the groups add up inside 7.1: 5 + 3 + 2 × 1 = 10 → 65 */
	r = run(&x, "某局", "某局,7.1.1.1,fail,,,检测\n某局,7.1.2.1,fail,,,考核\n"
			 "某局,7.1.3.1,fail,,2,检测\n");
	SCORE(r, "7.1.1", "-5.00");
	SCORE(r, "7.1.2", "-3.00");
	SCORE(r, "7.1", "65.00");
	EQ2(r->total, "90.00");
	/* “如评分结果低于60分，判定为不合格网站”: 办事服务 25 → 0 and
	 * 7.1 loses 5 + 15 × 1 = 20 → 55 + 0 = 55 */
	r = run(&x, "某局", "某局,7.2.2,fail,,25,考核\n某局,7.1.1.1,fail,,,检测\n"
			 "某局,7.1.2.2,fail,,15,考核\n");
	EQ2(r->total, "55.00");
	assert_string_equal(r->outcome, "不合格");
	/* “高于80分，则进入加分指标评分环节，最后得分为第二、三部分得分之和”:
	 * 100 − 5 = 95, + 8 + 4 = 107 */
	r = run(&x, "某局", "某局,7.1.1.1,fail,,,检测\n某局,8.1,score,,8,考核\n"
			 "某局,8.3,score,,4,考核\n");
	EQ2(r->bonus, "12.00");
	EQ2(r->total, "107.00");
	/* exactly 80 is not “高于80分”: 100 − 20 × 1 = 80, the 8 not added */
	r = run(&x, "某局", "某局,7.1.2.2,fail,,20,考核\n某局,8.1,score,,8,考核\n");
	EQ2(r->total, "80.00");
	/* 没有对外服务职能: 办事服务 not checked, “按75分计、结果乘以4/3”.
	 * 75 − 3 − 3 × 1 = 69 → 69 × 4/3 = 92 */
	r = run(&x, "某办", "某办,7.1.2.1,fail,,,考核\n某办,7.1.3.1,fail,,3,检测\n");
	assert_false(rn(r, "7.2")->applies);
	assert_false(rn(r, "6")->applies);
	EQ2(r->total, "92.00");
	/* 75 − 5 = 70 → 70 × 4/3 = 93.333… shown 93.33, kept exact (÷3) */
	r = run(&x, "某办", "某办,7.1.1.1,fail,,,检测\n");
	EQ2(r->total, "93.33");
	assert_int_equal(r->total.d, 3);
	fx_free(&x);
	kp_units_free(u);
	kp_table_free(ut);
}

/* ---- the complete example of docs/table-format.md, with node vetoes --- */

static const char *example_csv =
	"#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,example\n"
	"#meta,title,示例考评表\n#meta,total,100\n#meta,convert,deduct:2\n"
	"code,path,points,rule,params,content\n"
	"1,组织保障,10,deduct,,\n"
	"1.1,组织保障/未明确分管领导,,minus,amount=2.5,\n"
	"1.2,组织保障/重大失误,,veto,scope=node;outcome=0,\n"
	"2,制度建设,20,deduct,amount=5;each,少一项制度扣5分\n"
	"3,改进作风,20,deduct,amount=10;each;max=20,\n"
	"4,采用情况,30,tiered,\"tiers=100%:1,70%:0.7,50%:0.5,30%:0.3;split=city:24,province:6;single=30\",\n"
	"5,网站建设,20,sum,,\n"
	"5.1,网站建设/栏目,10,judged,step=0.5,\n"
	"5.2,网站建设/找错入口,10,binary,,\n"
	"5.3,网站建设/被通报,,veto,scope=node;outcome=不合格,\n"
	"6,重大失误,,veto,scope=result;outcome=deduct:2,\n";

static void example_table(void **state)
{
	fx x;
	kp_err e;
	(void)state;
	memset(&x, 0, sizeof(x));
	if (kp_table_parse("example.csv", example_csv, strlen(example_csv),
			   &x.t, &e) < 0)
		fail_msg("%s", e.msg);
	kp_score_ctx_init(&x.c);
	/* only a city quota (10): single=30; 8/10 = 80% → 30 × 0.7 = 21 */
	kp_result *r = run(&x, "某局",
			   "某局,4,quantity,city_quota,10,考核\n"
			   "某局,4,quantity,city_points,8,台账\n"
			   "某局,5.1,score,,7.5,考核\n某局,5.2,score,,10,考核\n");
	SCORE(r, "4", "21.00");
	SCORE(r, "5", "17.50");
	EQ2(r->total, "88.50");        /* 10 + 20 + 20 + 21 + 17.5 */
	/* node vetoes: 组织保障 → 0, 网站建设 → 0 (不合格) */
	r = run(&x, "某局",
		"某局,1.2,veto,,,考核\n某局,5.3,veto,,,考核\n"
		"某局,4,quantity,city_quota,10,考核\n"
		"某局,4,quantity,city_points,8,台账\n"
		"某局,5.1,score,,7.5,考核\n");
	SCORE(r, "1", "0.00");
	assert_true(rn(r, "1")->vetoed);
	SCORE(r, "5", "0.00");
	EQ2(r->total, "61.00");        /* 0 + 20 + 20 + 21 + 0 */
	EQ2(r->converted, "0.78");     /* 2 × 39 ÷ 100 */
	assert_line(&x, "1", "1 组织保障 10 → 0：一票否决，本项计0分（重大失误）");
	assert_line(&x, "5.3", "5.3 被通报（一票否决项）：一票否决：触发，所属指标“网站建设”不合格，计0分（考核）");
	/* step=0.5: 7.3 is refused */
	kp_facts fs = KP_FACTS_INIT;
	const char *c = "unit,indicator,kind,value,source\n某局,5.1,score,7.3,考核\n";
	assert_int_equal(kp_facts_parse("f.csv", c, strlen(c), &fs, &e), 0);
	assert_int_equal(kp_facts_check(x.t, &x.c, &fs, &e), -1);
	assert_string_equal(e.msg, "第2行: 评分 7.3 不是指标“网站建设/栏目”打分步长 0.5 的整数倍");
	kp_facts_release(&fs);
	fx_free(&x);
}

/* ---- facts: parse and check ------------------------------------------ */

static void facts_parse_csv(void **state)
{
	kp_facts fs = KP_FACTS_INIT;
	kp_err e;
	const char *ok =
		"\xEF\xBB\xBF单位,指标,类型,名称,数值,来源,填报人,时间,证据链接,说明\r\n"
		"市民政局,1.1,扣分,,,考核,张三,2016-12-01,http://a/b,\"未明确, 分管领导\"\r\n"
		"市民政局,3,数量,city_points,84,台账,,,,\r\n";
	(void)state;
	assert_int_equal(kp_facts_parse("f.csv", ok, strlen(ok), &fs, &e), 0);
	assert_int_equal(fs.n, 2);
	assert_int_equal(fs.v[0].kind, KP_FACT_FAIL);
	EQ2(fs.v[0].value, "1.00");   /* fail without a value: once */
	assert_int_equal(fs.v[0].source, KP_SRC_ASSESSOR);
	assert_string_equal(fs.v[0].note, "未明确, 分管领导");
	assert_int_equal(fs.v[1].line, 3);
	assert_string_equal(fs.v[1].name, "city_points");

	static const struct {
		const char *csv, *msg;
	} bad[] = {
		{ "unit,indicator,kind,source\n市民政局,1.1,oops,考核\n",
		  "f.csv:2: 未知的事实类型“oops”（可用：score 评分、fail 扣分、quantity 数量、veto 否决、na 不适用、assessed 已评）" },
		{ "unit,indicator,kind,source\n市民政局,1.1,fail,老王\n",
		  "f.csv:2: 未知的来源“老王”（可用：self 自评、assessor 考核、inspect 检测、ledger 台账）" },
		{ "unit,indicator,kind,value,source\n市民政局,1.1,score,七,考核\n",
		  "f.csv:2: 数值“七”不是数" },
		{ "unit,indicator,kind,value,source\n市民政局,1.1,score,,考核\n",
		  "f.csv:2: 评分事实缺少数值" },
		{ "unit,indicator,kind,value,source\n市民政局,3,quantity,5,考核\n",
		  "f.csv:2: 数量事实缺少名称（name），如 city_points" },
		{ "unit,indicator,kind\n", "f.csv:1: 表头缺少列“source”" },
		{ "unit,indicator,kind,source,colour\n", "f.csv:1: 未知的列“colour”" },
		{ "unit,indicator,kind,source\n,1.1,fail,考核\n",
		  "f.csv:2: 缺少“单位”（unit）" },
		{ "unit,indicator,kind,source\n市民政局,1.1,fail,考核,多余\n",
		  "f.csv:2: 第5列没有表头" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kp_facts none = KP_FACTS_INIT;
		/* a good row first: nothing may be appended on error */
		kp_facts_add(&none, &fs.v[0]);
		assert_int_equal(kp_facts_parse("f.csv", bad[i].csv,
						strlen(bad[i].csv), &none, &e), -1);
		assert_string_equal(e.msg, bad[i].msg);
		assert_int_equal(none.n, 1);
		kp_facts_release(&none);
	}
	kp_facts_release(&fs);
}

static void facts_parse_json(void **state)
{
	kp_facts fs = KP_FACTS_INIT;
	kp_err e;
	const char *ok = "[{\"unit\":\"市民政局\",\"indicator\":\"1\",\"kind\":\"score\","
			 "\"value\":\"2.5\",\"source\":\"assessor\"},"
			 "{\"unit\":\"市民政局\",\"indicator\":\"3\",\"kind\":\"quantity\","
			 "\"name\":\"city_points\",\"value\":0.1,\"source\":\"ledger\"}]";
	const char *bad = "{\"facts\":[{\"unit\":\"a\",\"indicator\":\"1\","
			  "\"kind\":\"score\",\"value\":1,\"source\":\"self\"},"
			  "{\"unit\":\"a\",\"indicator\":\"1\",\"kind\":\"score\","
			  "\"source\":\"self\",\"colour\":\"red\"}]}";
	(void)state;
	assert_int_equal(kp_facts_parse("f.json", ok, strlen(ok), &fs, &e), 0);
	assert_int_equal(fs.n, 2);
	EQ2(fs.v[0].value, "2.50");
	assert_int_equal(fs.v[1].value.n, 1);     /* 0.1 read exactly */
	assert_int_equal(fs.v[1].value.d, 10);
	assert_int_equal(kp_facts_parse("f.json", bad, strlen(bad), &fs, &e), -1);
	assert_string_equal(e.msg, "f.json: 第2条事实: 未知的键“colour”");
	assert_int_equal(fs.n, 2);
	assert_int_equal(kp_facts_parse("f.json", "[1,", 3, &fs, &e), -1);
	assert_non_null(strstr(e.msg, "f.json:1: JSON 语法错误"));
	kp_facts_release(&fs);
}

static void facts_check(void **state)
{
	fx x;
	kp_err e;
	(void)state;
	fx_open(&x, "pzh2016-gk");
	static const struct {
		const char *row, *msg;
	} bad[] = {
		{ "市民政局,9.9,fail,,,考核", "第2行: 指标“9.9”不在表 pzh2016-gk 中" },
		{ "某某局,1.1,fail,,,考核", "第2行: 单位“某某局”不在单位名录中" },
		{ "市民政局,1,score,,5,考核",
		  "第2行: 指标“组织保障”的规则是倒扣分，不接受直接评分" },
		{ "市民政局,5,fail,,1,考核",
		  "第2行: 指标“凡因政务(信息)公开工作中出现审核把关不严”的规则是一票否决，不接受扣分次数（只有全有或全无、倒扣分、扣分项、要求项（不单独计分）接受）" },
		{ "市民政局,1.1,fail,,1.5,考核",
		  "第2行: 扣分次数 1.5 应为不小于 1 的整数" },
		{ "市民政局,1.1,fail,,-1,考核", "第2行: 数值 -1 为负数" },
		{ "市民政局,2,quantity,city_points,3,台账",
		  "第2行: 指标“日常工作情况”（倒扣分）不使用数量“city_points”" },
		{ "市民政局,1.1,veto,,,考核",
		  "第2行: 指标“组织保障/主要负责同志年度内没有听取政务（信息）公开工作专题汇报”不是一票否决项" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kp_facts fs = KP_FACTS_INIT;
		kp_buf b = KP_BUF_INIT;
		kp_buf_addf(&b, "unit,indicator,kind,name,value,source\n%s\n",
			    bad[i].row);
		assert_int_equal(kp_facts_parse("f.csv", b.data, b.len, &fs, &e), 0);
		assert_int_equal(kp_facts_check(x.t, &x.c, &fs, &e), -1);
		assert_string_equal(e.msg, bad[i].msg);
		kp_facts_release(&fs);
		kp_buf_release(&b);
	}
	fx_free(&x);
	/* score above max / binary only 0 or full */
	fx_open(&x, "pzh2016-info-dept");
	kp_facts fs = KP_FACTS_INIT;
	const char *c1 = "unit,indicator,kind,value,source\n市民政局,1,score,3,考核\n";
	assert_int_equal(kp_facts_parse("f.csv", c1, strlen(c1), &fs, &e), 0);
	assert_int_equal(kp_facts_check(x.t, &x.c, &fs, &e), -1);
	assert_string_equal(e.msg, "第2行: 指标“基础工作”全有或全无：评分只能是 0 或 5");
	kp_facts_release(&fs);
	fx_free(&x);
	fx_open(&x, "pzh2017-web-dept");
	const char *c2 = "unit,indicator,kind,value,source\n市发展改革委,1.1.4,score,3.5,考核\n";
	assert_int_equal(kp_facts_parse("f.csv", c2, strlen(c2), &fs, &e), 0);
	assert_int_equal(kp_facts_check(x.t, &x.c, &fs, &e), -1);
	assert_string_equal(e.msg, "第2行: 评分 3.5 超过指标“政务公开/基本信息/政务动态”的满分 3");
	kp_facts_release(&fs);
	fx_free(&x);
}

/* ---- explanation lines, one per rule kind ----------------------------- */

static void explain_kinds(void **state)
{
	fx x;
	kp_table *ut;
	kp_units *u;
	(void)state;
	/* sum, share (pj2017) */
	fx_open(&x, "pj2017-gk");
	fx_all_apply(&x);
	run(&x, "市发展改革委", "市发展改革委,1.1,score,,1.5,考核\n市发展改革委,1.2,score,,1,考核\n");
	assert_line(&x, "1", "1 行政权力信息公开 30 → 2.5：各项平分满分，下级得分之和：1.5 + 1 + 其余18项0分 = 2.5");
	assert_line(&x, "1.3", "1.3 公开“放管服”改革信息 1.5 → 0：未评分，暂计0分（满分1.5，评估员打分）");
	fx_free(&x);
	/* binary, tiered deducted, veto (evaluation) */
	fx_open(&x, "pzh2016-info-county");
	run(&x, "东区政府", "东区政府,3,quantity,city_points,44,台账\n东区政府,3,quantity,province_points,3.6,台账\n");
	assert_line(&x, "3", "3 采用情况 80 → 4.8：市级任务150分，完成44分（29.33%），低于最低档：此项64分扣完（台账）；省级任务12分，完成3.6分（30.00%），达30%档扣70%：扣11.2分，得4.8分（满分16）（台账）");
	assert_line(&x, "4", "4 误报、瞒报、迟报信息或编造虚假信息造成重大影响或严重后果（一票否决项）：一票否决项：未触发");
	fx_free(&x);
	fx_open(&x, "pzh2016-info-dept");
	run(&x, "市民政局", "市民政局,1,score,,0,考核\n");
	assert_line(&x, "1", "1 基础工作 5 → 0：不得分（全有或全无）（考核）");
	fx_free(&x);
	/* checklist */
	fx_open(&x, "pzh2017-web-dept");
	run(&x, "市发展改革委", "市发展改革委,1.2.1,quantity,satisfied,5,检测\n");
	assert_line(&x, "1.2.1", "1.2.1 年度要点 11 → 5.5：清单pzh2017-web-keyinfo：应满足10项，满足5项，11×5÷10=5.5分（检测）");
	fx_free(&x);
	/* bonus, veto, na, rescale (gov2019) */
	gov_fx(&x, &ut, &u);
	run(&x, "某办", "某办,8.1,score,,8,考核\n");
	assert_line(&x, "8", "8 加分指标 30 → 8：下级得分之和：8 + 0 + 0 + 0 = 8");
	assert_line(&x, "7.2", "7.2 办事服务（不适用）：不适用本单位（适用范围：!无公共服务职能；本单位类型市级部门），不计分");
	assert_non_null(strstr(x.ex.data, "按100分等比折算（×4/3）为100分"));
	run(&x, "某办", "某办,1,veto,,,检测\n");
	assert_line(&x, "1", "1 安全、泄密事故等严重问题（一票否决项）：一票否决：触发，整项考核不合格（检测）");
	fx_free(&x);
	kp_units_free(u);
	kp_table_free(ut);
	/* item */
	fx_open(&x, "ak2020-columns");
	run(&x, "市财政局", "市财政局,1.1,score,,1,检测\n");
	assert_line(&x, "1.1", "1.1 预决算公开（不计分）：不计分要求：满足（检测）");
	fx_free(&x);
}

/* ---- every bundled table: every node explained ------------------------ */

static const struct {
	const char *id, *unit;
} sample_unit[] = {
	{ "pzh2016-gk", "市民政局" },
	{ "pzh2016-xn", "东区政府" },
	{ "pzh2016-info-dept", "市民政局" },
	{ "pzh2016-info-county", "东区政府" },
	{ "pzh2016-info-gxq", "钒钛高新区管委会" },
	{ "pzh2017-web-county", "米易县" },
	{ "pzh2017-web-dept", "市发展改革委" },
	{ "pzh2017-web-keyinfo", "市发展改革委" },
	{ "pj2017-gk", "市发展改革委" },
	{ "ak2020-columns", "市财政局" },
	{ "gov2019-web-check", "市民政局" },
};

static void every_node_explained(void **state)
{
	(void)state;
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t;
		kp_err e;
		fx x;
		const char *unit = "某单位";
		if (kp_bundled_load(i, &t, &e) < 0)
			fail_msg("%s", e.msg);
		if (t->kind != KP_KIND_INDICATORS) {
			kp_table_free(t);
			continue;
		}
		memset(&x, 0, sizeof(x));
		x.t = t;
		kp_score_ctx_init(&x.c);
		if (kp_score_ctx_open(&x.c, t, &e) < 0)
			fail_msg("%s", e.msg);
		for (size_t k = 0; k < sizeof(sample_unit) / sizeof(sample_unit[0]); k++)
			if (!strcmp(sample_unit[k].id, kp_table_id(t)))
				unit = sample_unit[k].unit;
		/* the table's sample facts (data/facts/ID-sample.csv, whose
		 * first row names the unit), else a few made up here: a
		 * failure, a score, a quantity where the table has such
		 * nodes */
		kp_buf b = KP_BUF_INIT, path = KP_BUF_INIT, file = KP_BUF_INIT;
		char first[128] = "";
		kp_result *r;
		kp_buf_addf(&path, "data/facts/%s-sample.csv", kp_table_id(t));
		if (kp_read_file(path.data, 1 << 20, &file, &e) == 0) {
			const char *row = strchr(file.data, '\n');
			size_t n = row ? strcspn(row + 1, ",") : 0;
			if (n && n < sizeof(first))
				memcpy(first, row + 1, n);
			first[n] = '\0';
			r = run_text(&x, first, path.data, file.data, file.len);
			goto explained;
		}
		for (size_t n = 0; n < t->nnodes && b.len < 600; n++) {
			const kp_node *nd = t->nodes[n];
			if (nd->rule == KP_RULE_MINUS && !nd->nchildren)
				kp_buf_addf(&b, "%s,%s,fail,,,考核\n", unit, nd->code);
			else if (nd->rule == KP_RULE_JUDGED && n % 3 == 0)
				kp_buf_addf(&b, "%s,%s,score,,0,考核\n", unit, nd->code);
			else if (nd->rule == KP_RULE_TIERED)
				kp_buf_addf(&b, "%s,%s,quantity,city_points,50,台账\n",
					    unit, nd->code);
		}
		r = run(&x, unit, b.data ? b.data : "");
explained:
		kp_buf_release(&b);
		kp_buf_release(&path);
		kp_buf_release(&file);
		for (size_t n = 0; n < r->nnodes; n++) {
			const kp_node *nd = r->nodes[n].node;
			kp_buf want = KP_BUF_INIT;
			if (r->nodes[n].nreasons == 0)
				fail_msg("%s: node %s has no reason",
					 kp_table_id(t), nd->code);
			kp_buf_addf(&want, "%s %s", nd->code, nd->name);
			if (!strstr(x.ex.data, want.data))
				fail_msg("%s: node %s has no line",
					 kp_table_id(t), nd->code);
			kp_buf_release(&want);
		}
		/* one line per node, plus the header, the total and the
		 * evaluation reasons */
		size_t lines = 0;
		for (const char *p = x.ex.data; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, r->nnodes + 3 + r->nreasons);
		fx_free(&x);
	}
}

/* ---- ranking ----------------------------------------------------------- */

static void rank_ties(void **state)
{
	kp_result a, b, c, d;
	const kp_result *rs[4] = { &a, &b, &c, &d };
	size_t order[4], rank[4];
	(void)state;
	memset(&a, 0, sizeof(a));
	b = c = d = a;
	kp_num_parse("90", &a.total);
	kp_num_parse("95.5", &b.total);
	kp_num_parse("90", &c.total);
	kp_num_parse("80", &d.total);
	kp_rank(rs, 4, order, rank);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);   /* ties keep input order */
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 3);
	assert_int_equal(rank[1], 1);
	assert_int_equal(rank[0], 2);
	assert_int_equal(rank[2], 2);    /* tie shares the rank */
	assert_int_equal(rank[3], 4);    /* and the next one skips */
}

/* A national round: 10,000 results, 1,000 distinct totals (0.0 … 99.9)
 * each held by 10 results scattered through the input.  A total k/10
 * has 10 × (999 − k) results above it, so its rank is that plus one;
 * the order lists totals from high to low and, among equal totals, the
 * results in input order. */
static void rank_at_scale(void **state)
{
	enum { N = 10000 };
	kp_result *v = calloc(N, sizeof(*v));
	const kp_result **rs = calloc(N, sizeof(*rs));
	size_t *order = calloc(N, sizeof(size_t)), *rank = calloc(N, sizeof(size_t));
	bool *seen = calloc(N, sizeof(bool));
	(void)state;
	assert_non_null(v);
	assert_non_null(rs);
	assert_non_null(order);
	assert_non_null(rank);
	assert_non_null(seen);
	for (size_t i = 0; i < N; i++) {
		int64_t k = (int64_t)((i * 7919) % 1000);
		assert_int_equal(kp_num_div(kp_num_int(k), kp_num_int(10), &v[i].total), 0);
		rs[i] = &v[i];
	}
	kp_rank(rs, N, order, rank);
	for (size_t i = 0; i < N; i++) {
		int64_t k = (int64_t)((i * 7919) % 1000);
		assert_int_equal(rank[i], 10 * (999 - k) + 1);
	}
	for (size_t p = 0; p < N; p++) {
		assert_true(order[p] < N);
		assert_false(seen[order[p]]);
		seen[order[p]] = true;
		assert_int_equal(rank[order[p]], p / 10 * 10 + 1);
		if (p % 10)   /* a tie: input order */
			assert_true(order[p] > order[p - 1]);
	}
	/* exact comparison: 1/3 ranks above 0.33, and 2/6 ties with it */
	kp_num_div(kp_num_int(1), kp_num_int(3), &v[0].total);
	kp_num_parse("0.33", &v[1].total);
	kp_num_div(kp_num_int(2), kp_num_int(6), &v[2].total);
	kp_rank(rs, 3, order, rank);
	assert_int_equal(rank[0], 1);
	assert_int_equal(rank[2], 1);
	assert_int_equal(rank[1], 3);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);
	kp_rank(rs, 0, order, rank);   /* nothing to rank */
	free(v);
	free(rs);
	free(order);
	free(rank);
	free(seen);
}

/* The scorer's index finds what kp_table_find finds, for every code and
 * path of every bundled table, and nothing for what is not there. */
static void scorer_find(void **state)
{
	(void)state;
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t;
		kp_scorer *sc;
		kp_err e;
		if (kp_bundled_load(i, &t, &e) < 0)
			fail_msg("%s", e.msg);
		sc = kp_scorer_new(t);
		for (size_t n = 0; n < t->nnodes; n++) {
			const kp_node *nd = t->nodes[n];
			assert_ptr_equal(kp_scorer_find(sc, nd->code), nd);
			assert_ptr_equal(kp_scorer_find(sc, nd->path),
					 kp_table_find(t, nd->path));
		}
		assert_null(kp_scorer_find(sc, "没有这个指标"));
		assert_null(kp_scorer_find(sc, ""));
		kp_scorer_free(sc);
		kp_table_free(t);
	}
}

/* A code spelt like another node's path wins, as in kp_table_find; of
 * two nodes with one path, the first. */
static void scorer_find_order(void **state)
{
	static const char csv[] =
		"#meta,format,kaoping-table/1\n#meta,kind,indicators\n"
		"#meta,id,order\n#meta,title,次序\n"
		"code,path,points,rule\n"
		"甲,乙,10,judged\n"
		"2,甲,10,judged\n"
		"3,丙,10,sum\n"
		"3.1,丙/丁,5,judged\n"
		"4,丙/丁,5,judged\n";
	kp_table *t;
	kp_scorer *sc;
	kp_err e;
	(void)state;
	if (kp_table_parse("order.csv", csv, strlen(csv), &t, &e) < 0)
		fail_msg("%s", e.msg);
	sc = kp_scorer_new(t);
	assert_string_equal(kp_scorer_find(sc, "甲")->code, "甲");
	assert_ptr_equal(kp_scorer_find(sc, "甲"), kp_table_find(t, "甲"));
	assert_string_equal(kp_scorer_find(sc, "乙")->code, "甲");
	assert_string_equal(kp_scorer_find(sc, "丙/丁")->code, "3.1");
	assert_ptr_equal(kp_scorer_find(sc, "丙/丁"), kp_table_find(t, "丙/丁"));
	kp_scorer_free(sc);
	kp_table_free(t);
}

/* DESIGN: “weighted combination of several evaluations (公众评估 + 综合评估)”:
 * 85 × 30% + 90 × 70% = 25.5 + 63 = 88.5 */
static void combine(void **state)
{
	kp_result a, b;
	const kp_result *rs[2] = { &a, &b };
	kp_num w[2], total;
	kp_buf ex = KP_BUF_INIT;
	kp_err e;
	(void)state;
	memset(&a, 0, sizeof(a));
	b = a;
	a.unit = b.unit = (char *)"市民政局";
	a.title = (char *)"公众评估";
	b.title = (char *)"综合评估";
	a.table_id = b.table_id = (char *)"";
	kp_num_parse("85", &a.total);
	kp_num_parse("90", &b.total);
	kp_num_parse("30", &w[0]);
	kp_num_parse("70", &w[1]);
	assert_int_equal(kp_combine(rs, w, 2, &total, &ex, &e), 0);
	EQ2(total, "88.50");
	assert_string_equal(ex.data, "公众评估 85 × 30% + 综合评估 90 × 70% = 88.5\n");
	w[0] = w[1] = kp_num_int(0);
	assert_int_equal(kp_combine(rs, w, 2, &total, NULL, &e), -1);
	assert_string_equal(e.msg, "权重之和为 0，无法合并");
	kp_buf_release(&ex);
}

/* ---- schemes: one unit on several tables (docs/scheme.md) ------------- */

/* seed 003, 市民政局 on its three tables, the results added up as the
 * pzh2016 scheme says (combine=sum):
 *  政务（信息）公开 “（扣 2.5 分）” + “（扣 5 分）” ×3 → 100 − 17.5 = 82.5;
 *    “考核结果按最多扣2分进行折算” → 2 × 17.5 ÷ 100 = 扣0.35 → −0.35
 *  效能建设: no failure → 100; “最多扣 2 分” → 扣0 → −0.00
 *  政务信息（附件1）: 基础 5; “每月报送信息不足 6 条的，此项少得 2 分” →
 *    报送 3 + 5 + 5 = 13; 采用 市级 100/120 = 83% “得 70% 分数” → 64 × 0.7
 *    = 44.8, 省级 9/9 “完成采用目标任务得全分” → 16: 60.8; total 78.8;
 *    “满分3分” → 3 × 78.8 ÷ 100 = 2.364 → +2.36
 *  combined −0.35 − 0 + 2.364 = 2.014 → +2.01 */
static void scheme_sum(void **state)
{
	fx gk, xn, info;
	kp_part p[3];
	kp_num total;
	kp_buf ex = KP_BUF_INIT;
	kp_err e;
	char b[40];
	(void)state;
	fx_open(&gk, "pzh2016-gk");
	fx_open(&xn, "pzh2016-xn");
	fx_open(&info, "pzh2016-info-dept");
	run(&gk, "市民政局", "市民政局,1.1,fail,,,考核\n市民政局,2.3,fail,,,考核\n"
			     "市民政局,3.1,fail,,,考核\n市民政局,4.1,fail,,,检测\n");
	run(&xn, "市民政局", "");
	run(&info, "市民政局", "市民政局,1,score,,5,考核\n"
			       "市民政局,2.1,quantity,monthly_min,5,台账\n"
			       "市民政局,3,quantity,city_points,100,台账\n"
			       "市民政局,3,quantity,province_points,9,台账\n");
	EQ2(gk.r->total, "82.50");
	EQ2(info.r->total, "78.80");
	p[0] = (kp_part){ "政务公开", gk.r, kp_num_int(1) };
	p[1] = (kp_part){ "效能建设", xn.r, kp_num_int(1) };
	p[2] = (kp_part){ "政务信息", info.r, kp_num_int(1) };
	EQ2(kp_part_value(KP_COMBINE_SUM, gk.r), "-0.35");
	EQ2(kp_part_value(KP_COMBINE_SUM, info.r), "2.36");
	/* weighted and none use the 100-point total */
	EQ2(kp_part_value(KP_COMBINE_WEIGHTED, gk.r), "82.50");
	assert_int_equal(kp_combine_parts(KP_COMBINE_SUM, p, 3, &total, &ex, &e), 0);
	EQ2(total, "2.01");
	assert_string_equal(ex.data, "政务公开 −0.35 + 效能建设 −0.00 + 政务信息 +2.36 = +2.01\n");
	/* the exact sum, not the sum of the rounded parts */
	assert_int_equal(total.n * 1000, 2014 * total.d);
	assert_string_equal(kp_num_fmt2_signed(kp_num_int(0), false, b), "0.00");
	assert_string_equal(kp_num_fmt2_signed(kp_num_int(0), true, b), "−0.00");
	assert_string_equal(kp_num_fmt2_signed((kp_num){ -81, 100 }, false, b), "−0.81");
	kp_buf_release(&ex);
	fx_free(&gk);
	fx_free(&xn);
	fx_free(&info);
}

/* The weighted rule is kp_combine's (公众评估 85 × 30% + 综合评估 90 × 70%
 * = 88.5), each part named by its scheme label. */
static void scheme_weighted(void **state)
{
	kp_result a, b;
	kp_part p[2];
	kp_num total;
	kp_buf ex = KP_BUF_INIT;
	kp_err e;
	(void)state;
	memset(&a, 0, sizeof(a));
	b = a;
	a.unit = b.unit = (char *)"市民政局";
	a.title = (char *)"公众评估表";
	b.title = (char *)"综合评估表";
	a.table_id = b.table_id = (char *)"";
	kp_num_parse("85", &a.total);
	kp_num_parse("90", &b.total);
	p[0] = (kp_part){ "公众评估", &a, kp_num_int(30) };
	p[1] = (kp_part){ "综合评估", &b, kp_num_int(70) };
	assert_int_equal(kp_combine_parts(KP_COMBINE_WEIGHTED, p, 2, &total, &ex, &e), 0);
	EQ2(total, "88.50");
	assert_string_equal(ex.data, "公众评估 85 × 30% + 综合评估 90 × 70% = 88.5\n");
	/* an empty label: the table's title */
	p[0].label = "";
	kp_buf_reset(&ex);
	assert_int_equal(kp_combine_parts(KP_COMBINE_WEIGHTED, p, 2, &total, &ex, &e), 0);
	assert_string_equal(ex.data, "公众评估表 85 × 30% + 综合评估 90 × 70% = 88.5\n");
	p[0].weight = p[1].weight = kp_num_int(0);
	assert_int_equal(kp_combine_parts(KP_COMBINE_WEIGHTED, p, 2, &total, NULL, &e), -1);
	assert_string_equal(e.msg, "权重之和为 0，无法合并");
	kp_buf_release(&ex);
}

/* Which table a fact is about: said, or the one table where its
 * indicator exists; several is ambiguous and refused. */
static void fact_table(void **state)
{
	kp_table *t[3];
	kp_score_ctx c;
	kp_err e;
	kp_fact f;
	bool all[3] = { true, true, true }, county[3] = { false, true, false };
	(void)state;
	assert_int_equal(kp_table_open("pzh2016-gk", &t[0], &e), 0);
	assert_int_equal(kp_table_open("pzh2016-xn", &t[1], &e), 0);
	assert_int_equal(kp_table_open("pzh2016-info-dept", &t[2], &e), 0);
	kp_score_ctx_init(&c);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kp_score_ctx_open(&c, t[i], &e), 0);
	memset(&f, 0, sizeof(f));
	f.unit = (char *)"市民政局";
	f.line = 4;
	f.indicator = (char *)"采用情况";     /* only in the 政务信息 table */
	assert_int_equal(kp_fact_table((const kp_table *const *)t, 3, all, &c, &f, &e), 2);
	f.indicator = (char *)"3";            /* in all three */
	assert_int_equal(kp_fact_table((const kp_table *const *)t, 3, all, &c, &f, &e), -1);
	assert_string_equal(e.msg, "第4行: 指标“3”在单位“市民政局”考评的几张表中都有（pzh2016-gk、pzh2016-xn、pzh2016-info-dept），请在 table 列写明是哪张表");
	f.table = (char *)"pzh2016-xn";
	assert_int_equal(kp_fact_table((const kp_table *const *)t, 3, all, &c, &f, &e), 1);
	f.table = (char *)"pzh2016-info-gxq";
	assert_int_equal(kp_fact_table((const kp_table *const *)t, 3, all, &c, &f, &e), -1);
	assert_string_equal(e.msg, "第4行: 表“pzh2016-info-gxq”不在本轮次中（本轮次的表：pzh2016-gk、pzh2016-xn、pzh2016-info-dept）");
	f.table = (char *)"pzh2016-gk";
	f.unit = (char *)"东区人民政府";
	assert_int_equal(kp_fact_table((const kp_table *const *)t, 3, county, &c, &f, &e), -1);
	assert_string_equal(e.msg, "第4行: 单位“东区人民政府”不按表 pzh2016-gk 考评（它的表：pzh2016-xn）");
	f.table = (char *)"";
	f.indicator = (char *)"3";            /* the unit's one table has it */
	assert_int_equal(kp_fact_table((const kp_table *const *)t, 3, county, &c, &f, &e), 1);
	f.indicator = (char *)"组织保障";     /* gk's, not the unit's */
	assert_int_equal(kp_fact_table((const kp_table *const *)t, 3, county, &c, &f, &e), -1);
	assert_string_equal(e.msg, "第4行: 指标“组织保障”不在单位“东区人民政府”考评的表（pzh2016-xn）中");
	kp_score_ctx_release(&c);
	for (int i = 0; i < 3; i++)
		kp_table_free(t[i]);
}

/* The facts file's table column (CSV 表, JSON "table"). */
static void facts_table_column(void **state)
{
	static const char csv[] = "单位,表,指标,类型,来源\n市民政局,pzh2016-gk,1.1,扣分,考核\n";
	static const char js[] = "[{\"unit\":\"市民政局\",\"table\":\"pzh2016-xn\","
				 "\"indicator\":\"1\",\"kind\":\"fail\",\"source\":\"考核\"}]";
	kp_facts fs = KP_FACTS_INIT;
	kp_err e;
	(void)state;
	assert_int_equal(kp_facts_parse("f.csv", csv, strlen(csv), &fs, &e), 0);
	assert_string_equal(fs.v[0].table, "pzh2016-gk");
	assert_int_equal(kp_facts_parse("f.json", js, strlen(js), &fs, &e), 0);
	assert_string_equal(fs.v[1].table, "pzh2016-xn");
	kp_facts_release(&fs);
}

/* Issue 12: a later batch of the same identity replaces the earlier one,
 * whatever the kind; one batch adds up as before; periods add up; the
 * latest inspection replaces the earlier ones; withdrawn counts nothing. */
static kp_result *rescore(fx *x, const char *unit, const int64_t *batch)
{
	kp_err e;
	for (size_t i = 0; i < x->fs.n; i++)
		x->fs.v[i].batch = batch[i];
	kp_result_free(x->r);
	x->r = NULL;
	if (kp_score_unit(x->t, &x->c, unit, &x->fs, &x->r, &e) < 0)
		fail_msg("%s", e.msg);
	check_totals_mode(x, unit);
	kp_buf_reset(&x->ex);
	kp_result_explain(x->r, &x->ex);
	return x->r;
}

static void facts_supersede(void **state)
{
	fx x;
	kp_result *r;
	(void)state;
	fx_open(&x, "pzh2016-info-dept");
	/* as one file (no batches: `kaoping score`), quantities add up as
	 * they always did: 90 + 80 = 170 city points */
	r = run(&x, "市民政局",
		"市民政局,2.1,quantity,monthly_min,5,台账\n"
		"市民政局,2.1,quantity,duplicate,1,台账\n"
		"市民政局,3,quantity,city_points,90,台账\n"
		"市民政局,2.1,quantity,monthly_min,7,台账\n"
		"市民政局,2.1,quantity,duplicate,0,台账\n"
		"市民政局,3,quantity,city_points,80,台账\n");
	SCORE(r, "2.1", "0.00");
	SCORE(r, "3", "64.00");
	/* two files: the second replaces the first — monthly_min 5 then 7 and
	 * duplicate 1 then 0 deduct nothing, city_points 90 then 80 is 80 */
	r = rescore(&x, "市民政局", (const int64_t[]){ 1, 1, 1, 2, 2, 2 });
	SCORE(r, "2.1.1", "0.00");
	SCORE(r, "2.1.2", "0.00");
	SCORE(r, "2.1", "5.00");
	SCORE(r, "3", "32.00");
	/* withdrawing the correction restores the first file's figures */
	x.fs.v[5].withdrawn = 9;
	r = rescore(&x, "市民政局", (const int64_t[]){ 1, 1, 1, 2, 2, 2 });
	assert_line(&x, "3", "3 采用情况 80 → 44.8：市级任务120分，完成90分（75.00%），达70%档得70%：64×0.7=44.8分（台账）；省级任务9分，完成0分（0.00%），低于最低档：此项不得分（满分16）");
	fx_free(&x);

	/* periods add up; a correction replaces its own period only */
	fx_open(&x, "pzh2016-info-dept");
	{
		static const char csv[] =
			"unit,indicator,kind,name,value,source,period\n"
			"市民政局,3,quantity,city_points,40,台账,2016H1\n"
			"市民政局,3,quantity,city_points,50,台账,2016H2\n"
			"市民政局,3,quantity,city_points,70,台账,2016H1\n";
		run_text(&x, "市民政局", "p.csv", csv, strlen(csv));
	}
	assert_string_equal(x.fs.v[0].period, "2016H1");
	r = rescore(&x, "市民政局", (const int64_t[]){ 1, 1, 2 });
	assert_line(&x, "3", "3 采用情况 80 → 64：市级任务120分，完成120分（100.00%），达100%档得100%：64×1=64分（台账；台账）；省级任务9分，完成0分（0.00%），低于最低档：此项不得分（满分16）");
	fx_free(&x);
}

static void facts_fates(void **state)
{
	kp_fact f[5];
	const kp_fact *v[5];
	size_t by[5];
	(void)state;
	memset(f, 0, sizeof(f));
	for (int i = 0; i < 5; i++) {
		f[i].unit = (char *)"甲局";
		f[i].indicator = (char *)(i < 3 ? "7.1.3.1" : "7.1.1.1");
		f[i].kind = KP_FACT_FAIL;
		f[i].source = KP_SRC_INSPECT;
		v[i] = &f[i];
	}
	/* inspection 1: two dead links and a stale column; inspection 2:
	 * one dead link; a veto by hand in between, withdrawn */
	f[0].inspection = f[1].inspection = f[3].inspection = 1;
	f[0].batch = f[1].batch = f[3].batch = 1;
	f[2].inspection = 2;
	f[2].batch = 3;
	f[4].source = KP_SRC_ASSESSOR;
	f[4].kind = KP_FACT_VETO;
	f[4].batch = 2;
	f[4].withdrawn = 7;
	kp_fact_fates(v, 5, by);
	assert_int_equal(by[0], 2);
	assert_int_equal(by[1], 2);
	assert_int_equal(by[3], 2);   /* another indicator: replaced too */
	assert_true(by[2] == KP_FACT_COUNTS);
	assert_true(by[4] == KP_FACT_WITHDRAWN);
	assert_true(kp_period_valid("2016") && kp_period_valid("2016H2") &&
		    kp_period_valid("2016Q4") && kp_period_valid("2016-07"));
	assert_false(kp_period_valid("2016H3") || kp_period_valid("2016Q5") ||
		     kp_period_valid("2016-13") || kp_period_valid("2016-00") ||
		     kp_period_valid("16H1") || kp_period_valid("2016h1") ||
		     kp_period_valid(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gk_deduction),
		cmocka_unit_test(gk_five_group),
		cmocka_unit_test(gk_convert),
		cmocka_unit_test(gk_veto),
		cmocka_unit_test(gk_self_beside),
		cmocka_unit_test(xn_rules),
		cmocka_unit_test(xn_convert),
		cmocka_unit_test(info_dept_reporting),
		cmocka_unit_test(info_dept_tiers),
		cmocka_unit_test(info_dept_convert),
		cmocka_unit_test(info_county),
		cmocka_unit_test(info_gxq),
		cmocka_unit_test(web_dept_checklist),
		cmocka_unit_test(web_dept_na),
		cmocka_unit_test(share_points),
		cmocka_unit_test(gov2019),
		cmocka_unit_test(example_table),
		cmocka_unit_test(facts_parse_csv),
		cmocka_unit_test(facts_parse_json),
		cmocka_unit_test(facts_check),
		cmocka_unit_test(explain_kinds),
		cmocka_unit_test(every_node_explained),
		cmocka_unit_test(rank_ties),
		cmocka_unit_test(rank_at_scale),
		cmocka_unit_test(scorer_find),
		cmocka_unit_test(scorer_find_order),
		cmocka_unit_test(combine),
		cmocka_unit_test(scheme_sum),
		cmocka_unit_test(scheme_weighted),
		cmocka_unit_test(fact_table),
		cmocka_unit_test(facts_table_column),
		cmocka_unit_test(facts_supersede),
		cmocka_unit_test(facts_fates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
