/*
 * The 政务信息 ledger (seed 003): titles and duplicates, periods, the
 * sample ledger data/ledger/sample-2016 worked by hand against the seed's
 * 采用计分标准, 任务分配表 and the three 政务信息工作考评表, imports that
 * must fail whole, and the score sheets computed from the ledger's facts.
 *
 * The sample ledger (see data/ledger/sample-2016/README.md) holds five
 * units.  Every expected number below is worked from the seed sentences
 * quoted beside it, not read off the program.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "ledger/ledger.h"
#include "../lib/xlsx_rows.h"
#include "score/score.h"

#define SAMPLE "data/ledger/sample-2016"

static kp_info_rules *rules(void)
{
	kp_info_rules *r = NULL;
	kp_err e;
	if (kp_info_rules_open(NULL, &r, &e) < 0)
		fail_msg("rules: %s", e.msg);
	return r;
}

static kp_info_ledger *ledger(const kp_info_rules *r, const char *dir)
{
	kp_info_ledger *l = NULL;
	kp_err e;
	if (kp_info_load(dir, r, &l, &e) < 0)
		fail_msg("load %s: %s", dir ? dir : "(none)", e.msg);
	return l;
}

static const char *s2(kp_num v, char *b)
{
	return kp_num_fmt2(v, b);
}

/* ---- titles ------------------------------------------------------------- */

static void test_title_norm(void **state)
{
	char *n;
	(void)state;
	/* spaces, punctuation, full-width letters and digits */
	n = kp_info_title_norm_dup(" 市发展改革委：召开２０１６年 重点项目《推进会》。");
	assert_string_equal(n, "市发展改革委召开2016年重点项目推进会");
	free(n);
	n = kp_info_title_norm_dup("ＡＢＣ abc，—");
	assert_string_equal(n, "abcabc");
	free(n);
}

static void test_title_near(void **state)
{
	(void)state;
	/* identical after normalisation */
	assert_true(kp_info_titles_near("东区召开安全生产工作会议",
					"东区 召开“安全生产”工作会议。"));
	/* 15 characters: one edit allowed (15/10 = 1) */
	assert_true(kp_info_titles_near("钒钛高新区依法行政专项督查启动",
					"钒钛高新区依法行政专项督查启开"));
	/* two edits in 15 characters: not the same item */
	assert_false(kp_info_titles_near("钒钛高新区依法行政专项督查启动",
					 "钒钛高新区依法行政专项检查启开"));
	/* under 10 characters only identical titles count */
	assert_false(kp_info_titles_near("东区防汛会议", "西区防汛会议"));
	/* 22 characters: two edits (two insertions) */
	assert_true(kp_info_titles_near("攀枝花市钒钛产业园区招商引资签约仪式举行",
					"攀枝花市钒钛产业园区招商引资项目签约仪式举行"));
	assert_false(kp_info_titles_near("市总工会职工维权宣传活动开展",
					 "市总工会劳模表彰典型案例发布"));
}

/* The banded distance against the plain one, on random titles over a
 * small alphabet (so that near pairs are common). */
static size_t lev(const char *a, const char *b)
{
	int32_t ca[64], cb[64];
	size_t na = 0, nb = 0, d[65], prev;
	char *x = kp_info_title_norm_dup(a), *y = kp_info_title_norm_dup(b);
	for (const unsigned char *p = (const unsigned char *)x; *p; p += 3)
		ca[na++] = (p[0] << 16) | (p[1] << 8) | p[2];
	for (const unsigned char *p = (const unsigned char *)y; *p; p += 3)
		cb[nb++] = (p[0] << 16) | (p[1] << 8) | p[2];
	free(x);
	free(y);
	for (size_t j = 0; j <= nb; j++)
		d[j] = j;
	for (size_t i = 1; i <= na; i++) {
		prev = d[0];
		d[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t t = d[j], sub = prev + (ca[i - 1] != cb[j - 1]);
			size_t del = d[j] + 1, ins = d[j - 1] + 1;
			d[j] = sub < del ? sub : del;
			d[j] = d[j] < ins ? d[j] : ins;
			prev = t;
		}
	}
	return d[nb];
}

static void test_title_near_random(void **state)
{
	static const char *const alpha[] = { "东", "西", "区", "会", "议" };
	unsigned seed = 12345;
	size_t agree_near = 0;
	(void)state;
	for (int t = 0; t < 3000; t++) {
		char a[200] = "", b[200] = "";
		size_t la, lb, k;
		seed = seed * 1103515245u + 12345u;
		la = 8 + (seed >> 16) % 20;
		for (size_t i = 0; i < la; i++) {
			seed = seed * 1103515245u + 12345u;
			strcat(a, alpha[(seed >> 16) % 5]);
		}
		/* b: a with a few random edits */
		strcpy(b, a);
		seed = seed * 1103515245u + 12345u;
		for (unsigned ed = (seed >> 16) % 5; ed; ed--) {
			size_t n = strlen(b) / 3, at;
			seed = seed * 1103515245u + 12345u;
			at = n ? (seed >> 16) % n : 0;
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 2 && n > 1)
				memmove(b + 3 * at, b + 3 * at + 3, strlen(b + 3 * at + 3) + 1);
			else
				memcpy(b + 3 * at, alpha[(seed >> 20) % 5], 3);
		}
		lb = strlen(b) / 3;
		k = (la > lb ? la : lb) / 10;
		if (kp_info_titles_near(a, b) != (lev(a, b) <= k))
			fail_msg("%s / %s: distance %zu, k %zu", a, b, lev(a, b),
				 k);
		agree_near += lev(a, b) <= k;
	}
	/* the sample exercised both answers */
	assert_true(agree_near > 300 && agree_near < 2700);
}

/* ---- periods ------------------------------------------------------------ */

static void test_period(void **state)
{
	kp_info_period p;
	kp_err e;
	(void)state;
	assert_int_equal(kp_info_period_parse("2016Q3", &p, &e), 0);
	assert_int_equal(p.from_month, 7);
	assert_int_equal(p.to_month, 9);
	assert_string_equal(p.label, "2016年第三季度");
	assert_int_equal(kp_info_period_parse("2016", &p, &e), 0);
	assert_int_equal(p.to_month - p.from_month, 11);
	assert_int_equal(kp_info_period_parse("2016-02", &p, &e), 0);
	assert_int_equal(p.from_month, 2);
	assert_int_equal(kp_info_period_parse("2016H2", &p, &e), 0);
	assert_int_equal(p.from_month, 7);
	assert_int_equal(kp_info_period_parse("2016Q5", &p, &e), -1);
	assert_non_null(strstr(e.msg, "2016Q3"));
	assert_int_equal(kp_info_period_parse("16", &p, &e), -1);
}

/* ---- the sample year ---------------------------------------------------- */

static const kp_info_stat *find(const kp_info_stats *st, const char *u)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].unit, u))
			return &st->v[i];
	fail_msg("no stats row for %s", u);
	return NULL;
}

static void test_sample_year(void **state)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, SAMPLE);
	kp_info_period p;
	kp_info_stats st;
	const kp_info_stat *s;
	kp_err e;
	char b[32];
	(void)state;
	assert_int_equal(kp_info_nsubmissions(l), 373);
	assert_int_equal(kp_info_nadoptions(l), 83);
	assert_int_equal(kp_info_period_parse("2016", &p, &e), 0);
	assert_int_equal(kp_info_stats_compute(l, &p, NULL, &st, &e), 0);
	/* every unit of the 任务分配表 has a row, in its order: 72 units */
	assert_int_equal(st.n, 72);
	assert_string_equal(st.v[0].unit, "东区人民政府");

	/* 市发展改革委 (任务 市级 120, 省级 9).  6 items every month, plus the
	 * March item "市发展改革委生态保护专项督查启动" sent again on 3-25 as
	 * "市发展改革委 生态保护专项督查启动。" → 73 items, 1 duplicate.
	 * 市级 (计分标准一): 攀政快讯 20 条 × 4 = 80, one of them 市级领导批示
	 * +10; 攀政快讯特刊 2 条 × 8 = 16; 每日政情 3 items in 2 issues
	 * (第45期 twice, 第46期) "每出刊1期计2分" → 2 × 2 = 4.  80+10+16+4 = 110.
	 * 省级 (计分标准二): 川政晨讯 1 × 3 = 3; 省政府上报国办动态信息 1 × 3,
	 * "被国办采用的动态信息每条再另加3分" +3 → 3+3+3 = 9. */
	s = find(&st, "市发展改革委");
	assert_int_equal(s->submitted, 73);
	assert_int_equal(s->per_month[2], 7);
	assert_int_equal(s->monthly_min, 6);
	assert_int_equal(s->months_short, 0);
	assert_int_equal(s->duplicates, 1);
	assert_int_equal(s->urgent, 2);
	assert_int_equal(s->urgent_late, 0);
	assert_int_equal(s->requests, 1);
	assert_int_equal(s->feedback_missed, 0);
	assert_int_equal(s->city_adoptions, 25);
	assert_int_equal(s->instructions, 1);
	assert_int_equal(s->upstream, 1);
	assert_string_equal(s2(s->city_points, b), "110.00");
	assert_string_equal(s2(s->province_points, b), "9.00");
	assert_string_equal(s2(s->city_quota, b), "120.00");
	assert_string_equal(s2(s->province_quota, b), "9.00");

	/* 东区政府 (县区, 150 / 12): "每月报送信息不少于8条" — 8 a month, but 5
	 * in February; a 批示反馈 item due 2016-09-10 never sent.
	 * 市级: 攀政快讯 25 × 4 = 100, 特刊 1 × 8 = 8 → 108.
	 * 省级: 川政晨讯 2 × 3 = 6, 要情专报 1 × 8 with 省级领导批示 +10 → 18;
	 * 6 + 18 = 24. */
	s = find(&st, "东区人民政府");
	assert_string_equal(s->unit, "东区人民政府");
	assert_string_equal(s->type, "县区");
	assert_int_equal(s->monthly_min, 8);
	assert_int_equal(s->submitted, 93);
	assert_int_equal(s->per_month[1], 5);
	assert_int_equal(s->months_short, 1);
	assert_int_equal(s->duplicates, 0);
	assert_int_equal(s->feedback_missed, 1);
	assert_string_equal(s2(s->city_points, b), "108.00");
	assert_string_equal(s2(s->province_points, b), "24.00");

	/* 钒钛高新区管委会 (120 / 9): 6 a month, plus "钒钛高新区依法行政专项
	 * 督查启开" on 8-30, one character away from February's "…启动"
	 * (15 characters, 1 edit ≤ 10%) → 1 duplicate; an urgent item due
	 * 2016-05-20 never sent (漏报).  市级: 攀政快讯 10 × 4 = 40, 每日政情
	 * 3 items all in 第88期 → 1 期 × 2 = 2 → 42.  省级: 政务工作交流 1 × 3. */
	s = find(&st, "钒钛高新区管委会");
	assert_int_equal(s->submitted, 73);
	assert_int_equal(s->duplicates, 1);
	assert_int_equal(s->urgent_missing, 1);
	assert_int_equal(s->urgent_late, 0);
	assert_string_equal(s2(s->city_points, b), "42.00");
	assert_string_equal(s2(s->province_points, b), "3.00");

	/* 市总工会 (群团, 20 / 0): 6 a month, one item found false.
	 * 攀政快讯 3 × 4 + 特刊 1 × 8 = 20. */
	s = find(&st, "市总工会");
	assert_int_equal(s->submitted, 72);
	assert_int_equal(s->false_info, 1);
	assert_string_equal(s2(s->city_points, b), "20.00");
	assert_false(s->province_quota.n);

	/* 市政府驻成都办事处 (80 / 0): 6 a month to June, 4 a month after →
	 * 60 items, 6 months short; a 约稿 sent two days after its deadline.
	 * 攀政快讯 8 × 4 = 32, one with 市级领导批示 +10 → 42; 川政晨讯 1 × 3
	 * (no 省级 task). */
	s = find(&st, "市政府驻成都办事处");
	assert_int_equal(s->submitted, 60);
	assert_int_equal(s->months_short, 6);
	assert_int_equal(s->feedback_missed, 1);
	assert_string_equal(s2(s->city_points, b), "42.00");
	assert_string_equal(s2(s->province_points, b), "3.00");

	/* a unit with nothing in the ledger: every month short */
	s = find(&st, "市妇联");
	assert_int_equal(s->submitted, 0);
	assert_int_equal(s->months_short, 12);
	kp_info_stats_release(&st);
	kp_info_free(l);
	kp_info_rules_free(r);
}

static void test_sample_quarter(void **state)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, SAMPLE);
	kp_info_period p;
	kp_info_stats st;
	kp_err e;
	char b[32];
	(void)state;
	/* 2016Q3, 东区 only: July-September 8 a month = 24 items; 要情专报 on
	 * a July item (+省级批示) = 18 in the quarter; year to date 108 / 24. */
	assert_int_equal(kp_info_period_parse("2016Q3", &p, &e), 0);
	assert_int_equal(kp_info_stats_compute(l, &p, "东区", &st, &e), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(st.v[0].submitted, 24);
	assert_int_equal(st.v[0].months, 3);
	assert_int_equal(st.v[0].months_short, 0);
	assert_string_equal(s2(st.v[0].city_points, b), "0.00");
	assert_string_equal(s2(st.v[0].province_points, b), "18.00");
	assert_string_equal(s2(st.v[0].city_points_ytd, b), "108.00");
	assert_string_equal(s2(st.v[0].province_points_ytd, b), "24.00");
	/* the 批示反馈 item due 9-10 and never sent falls in Q3 */
	assert_int_equal(st.v[0].feedback_missed, 1);
	kp_info_stats_release(&st);
	assert_int_equal(kp_info_stats_compute(l, &p, "没有这个单位", &st, &e), -1);
	assert_non_null(strstr(e.msg, "没有这个单位"));
	kp_info_free(l);
	kp_info_rules_free(r);
}

/* ---- facts and the three score sheets ------------------------------------ */

static const kp_fact *fact(const kp_facts *fs, const char *unit,
			   const char *code, const char *name)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].unit, unit) &&
		    !strcmp(fs->v[i].indicator, code) &&
		    !strcmp(fs->v[i].name, name))
			return &fs->v[i];
	return NULL;
}

static void assert_fact(const kp_facts *fs, const char *unit,
			const char *code, const char *name, const char *want)
{
	const kp_fact *f = fact(fs, unit, code, name);
	char b[32];
	if (!f)
		fail_msg("no fact %s %s %s", unit, code, name);
	assert_int_equal(f->kind, KP_FACT_QUANTITY);
	assert_int_equal(f->source, KP_SRC_LEDGER);
	assert_string_equal(kp_num_str(f->value, b), want);
}

static void test_sample_facts(void **state)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, SAMPLE);
	kp_facts fs = KP_FACTS_INIT;
	kp_err e;
	(void)state;
	assert_int_equal(kp_info_facts(l, 2016, NULL, NULL, &fs, &e), 0);
	/* codes and quantity names are those of the sheets' params */
	assert_fact(&fs, "市发展改革委", "2.1.1", "monthly_min", "6");
	assert_fact(&fs, "市发展改革委", "2.1.2", "duplicate", "1");
	assert_fact(&fs, "市发展改革委", "2.1.3", "urgent_late", "0");
	assert_fact(&fs, "市发展改革委", "2.2", "feedback_missed", "0");
	assert_fact(&fs, "市发展改革委", "2.3", "false_info", "0");
	assert_fact(&fs, "市发展改革委", "3", "city_points", "110");
	assert_fact(&fs, "市发展改革委", "3", "province_points", "9");
	assert_fact(&fs, "东区人民政府", "2.1.1", "monthly_min", "5");
	assert_fact(&fs, "东区人民政府", "2.2", "feedback_missed", "1");
	assert_fact(&fs, "东区人民政府", "3", "province_points", "24");
	assert_fact(&fs, "钒钛高新区管委会", "2.1.3", "urgent_late", "1");
	assert_fact(&fs, "市总工会", "2.3", "false_info", "1");
	assert_fact(&fs, "市政府驻成都办事处", "2.1.1", "monthly_min", "4");
	/* 5 facts on 2.x and 2 on 3 for each of the 72 units */
	assert_int_equal(fs.n, 72 * 7);
	kp_facts_release(&fs);
	assert_int_equal(kp_info_facts(l, 2016, "市总工会", NULL, &fs, &e), 0);
	assert_int_equal(fs.n, 7);
	kp_facts_release(&fs);
	/* one round's facts: the 5 counties; the one 高新区 */
	assert_int_equal(kp_info_facts(l, 2016, NULL, "pzh2016-info-county",
				       &fs, &e), 0);
	assert_int_equal(fs.n, 5 * 7);
	kp_facts_release(&fs);
	assert_int_equal(kp_info_facts(l, 2016, NULL, "pzh2016-info-gxq", &fs,
				       &e), 0);
	assert_int_equal(fs.n, 7);
	assert_string_equal(fs.v[0].unit, "钒钛高新区管委会");
	kp_facts_release(&fs);
	assert_int_equal(kp_info_facts(l, 2016, NULL, "pzh2016-gk", &fs, &e), -1);
	assert_non_null(strstr(e.msg, "pzh2016-info-dept、pzh2016-info-county"));
	kp_info_free(l);
	kp_info_rules_free(r);
}

/* Score unit on sheet id from the ledger's facts, plus an assessor's 5
 * for 基础工作 where the sheet makes it a binary item (the ledger cannot
 * know it: "采取本单位自查、市政府办公室不定期抽查的方式进行").  Returns
 * the total and the converted points, two decimals. */
static void score(const kp_facts *ledger_facts, const char *sheet,
		  const char *unit, const char *want_total,
		  const char *want_converted, const char *want_tiered)
{
	kp_table *t = NULL;
	kp_score_ctx c;
	kp_facts fs = KP_FACTS_INIT;
	kp_result *res = NULL;
	kp_fact basic;
	kp_err e;
	char b[32];
	if (kp_table_open(sheet, &t, &e) < 0)
		fail_msg("%s", e.msg);
	kp_score_ctx_init(&c);
	if (kp_score_ctx_open(&c, t, &e) < 0)
		fail_msg("%s", e.msg);
	for (size_t i = 0; i < ledger_facts->n; i++)
		kp_facts_add(&fs, &ledger_facts->v[i]);
	if (kp_table_find(t, "1")->rule == KP_RULE_BINARY) {
		memset(&basic, 0, sizeof(basic));
		basic.unit = (char *)unit;
		basic.indicator = (char *)"1";
		basic.kind = KP_FACT_SCORE;
		basic.name = basic.author = basic.time = basic.url =
			basic.note = (char *)"";
		basic.value = kp_num_int(5);
		basic.has_value = true;
		basic.source = KP_SRC_ASSESSOR;
		kp_facts_add(&fs, &basic);
	}
	if (kp_facts_check(t, &c, &fs, &e) < 0)
		fail_msg("facts check: %s", e.msg);
	if (kp_score_unit(t, &c, unit, &fs, &res, &e) < 0)
		fail_msg("score %s: %s", unit, e.msg);
	assert_string_equal(kp_num_fmt2(res->total, b), want_total);
	assert_string_equal(kp_num_fmt2(res->converted, b), want_converted);
	assert_string_equal(kp_num_fmt2(kp_result_find(res, "3")->score, b),
			    want_tiered);
	kp_result_free(res);
	kp_facts_release(&fs);
	kp_score_ctx_release(&c);
	kp_table_free(t);
}

static void test_sample_score_sheets(void **state)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, SAMPLE);
	kp_facts fs = KP_FACTS_INIT;
	kp_err e;
	(void)state;
	assert_int_equal(kp_info_facts(l, 2016, NULL, NULL, &fs, &e), 0);

	/* 附件1 市级 — 市发展改革委.  基础工作 5.  日常报送情况 5: "存在重复
	 * 报送信息的此项少得3分" → 2.  批示反馈及约稿 5, 真实性 5 (the table
	 * keeps 5 points; the seed's "得3分" is a known quirk).  采用情况: both
	 * quotas → "市级采用任务满分为64分，省级采用任务满分为16分"; 市级
	 * 110/120 = 91.67% "70%以上…不足100%，得70%分数" → 64 × 0.7 = 44.8;
	 * 省级 9/9 "完成采用目标任务得全分" → 16.  Total 5+2+5+5+44.8+16 =
	 * 77.8; "满分3分" → 3 × 77.8 / 100 = 2.334 → 2.33. */
	score(&fs, "pzh2016-info-dept", "市发展改革委", "77.80", "2.33",
	      "60.80");

	/* 附件2 县（区）— 东区政府 (deductions).  基础工作 5 (nothing found).
	 * 日常报送: "每月报送信息不足8条的，扣2分" → 3.  "出现一次未及时完成
	 * 此项任务的扣5分" → 0.  真实性 5.  采用: 市级 108/150 = 72% "70%以上
	 * …扣30%分数" → 64 − 19.2 = 44.8; 省级 24/12 → 16.  Total 5+3+0+5+
	 * 44.8+16 = 73.8; "最多扣1分" → 1 × (100 − 73.8)/100 = 0.262 → 0.26. */
	score(&fs, "pzh2016-info-county", "东区政府", "73.80", "0.26", "60.80");

	/* 附件3 钒钛高新区 — "紧急重要信息迟报、漏报、瞒报的此项不得分" → 日常
	 * 报送 0 (its duplicate changes nothing more).  采用: 市级 42/120 = 35%
	 * "30%以上…不足50%，得30%分数" → 64 × 0.3 = 19.2; 省级 3/9 = 33.3% →
	 * 16 × 0.3 = 4.8.  Total 5+0+5+5+19.2+4.8 = 39; "钒钛高新区按1分计" →
	 * 0.39. */
	score(&fs, "pzh2016-info-gxq", "钒钛高新区管委会", "39.00", "0.39",
	      "24.00");

	/* 附件1 — 市总工会 (群团; 20 / 0): "采用任务中只有市级任务的单位，此项
	 * 得分满分为80分", 20/20 → 80.  "报送虚假信息此项不得分" → 真实性 0.
	 * Total 5+5+5+0+80 = 95 → 3 × 0.95 = 2.85. */
	score(&fs, "pzh2016-info-dept", "市总工会", "95.00", "2.85", "80.00");

	/* 附件1 — 市政府驻成都办事处 (80 / 0): 日常报送 "不足6条的，此项少得2
	 * 分" → 3; the late 约稿 "出现一次未及时完成此项任务的，不得分" → 0;
	 * 采用 42/80 = 52.5% "50%以上…不足70%，得50%分数" → 80 × 0.5 = 40.
	 * Total 5+3+0+5+40 = 53 → 3 × 0.53 = 1.59. */
	score(&fs, "pzh2016-info-dept", "市政府驻成都办事处", "53.00", "1.59",
	      "40.00");
	kp_facts_release(&fs);
	kp_info_free(l);
	kp_info_rules_free(r);
}

/* ---- import ----------------------------------------------------------------- */

static int import_text(kp_info_ledger *l, const char *name, const char *csv,
		       size_t *added, kp_err *e)
{
	kp_sheet *sh = NULL;
	int rc;
	if (kp_sheet_parse(name, csv, strlen(csv), NULL, &sh, e) < 0)
		return -1;
	rc = kp_info_import(l, sh, added, e);
	kp_sheet_free(sh);
	return rc;
}

#define HEAD "2016年政务信息报送台账\n" \
	"序号,单位,报送日期,标题,类别,紧急重要,约稿/批示反馈,要求时限,采用刊物,采用日期,期号,批示级别,批示领导,国办采用,备注\n"

static void test_import_good(void **state)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, NULL);
	kp_info_period p;
	kp_info_stats st;
	size_t added;
	kp_err e;
	char b[32];
	(void)state;
	assert_int_equal(import_text(l, "东区.csv",
		HEAD
		"1,东区政府,2016/7/5,东区召开安全生产工作会议,工作动态,否,,,攀政快讯,2016-07-08,,市级,张市长,,\n"
		"2,东区政府,2016/7/5,东区召开安全生产工作会议,工作动态,否,,,川政晨讯,2016-07-10,,,,,\n"
		"3,东区,2016年7月9日,东区防汛工作情况,紧急重要,是,,2016-07-09,省政府上报国办(动态),2016-07-12,,,,是,\n"
		"4,东区政府,2016.7.12,东区每日工作一,工作动态,,,,每日政情,2016-07-13,第101期,,,,\n"
		"5,东区政府,2016-07-13,东区每日工作二,工作动态,,,,每日政情,2016-07-13,第101期,,,,\n"
		",,,,,,,,,,,,,,\n", &added, &e), 0);
	assert_int_equal(added, 5);
	/* rows 1 and 2 are one item adopted twice */
	assert_int_equal(kp_info_nsubmissions(l), 4);
	assert_int_equal(kp_info_nadoptions(l), 5);
	assert_int_equal(kp_info_npending(l), 9);
	assert_int_equal(kp_info_period_parse("2016-07", &p, &e), 0);
	assert_int_equal(kp_info_stats_compute(l, &p, "东区", &st, &e), 0);
	/* 攀政快讯 4 + 市级批示 10 + 每日政情 第101期 once 2 = 16;
	 * 川政晨讯 3 + 国办动态 3 + 国办采用 3 = 9 */
	assert_string_equal(s2(st.v[0].city_points, b), "16.00");
	assert_string_equal(s2(st.v[0].province_points, b), "9.00");
	assert_int_equal(st.v[0].urgent, 1);
	kp_info_stats_release(&st);
	kp_info_free(l);
	kp_info_rules_free(r);
}

/* Each bad file fails at its row, and adds nothing. */
static void bad(const char *rows, const char *want1, const char *want2)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, SAMPLE);
	kp_buf csv = KP_BUF_INIT;
	size_t added = 99;
	kp_err e;
	kp_buf_adds(&csv, HEAD);
	kp_buf_adds(&csv, rows);
	if (import_text(l, "台账.csv", csv.data, &added, &e) == 0)
		fail_msg("import of bad rows succeeded: %s", rows);
	if (!strstr(e.msg, want1) || !strstr(e.msg, want2))
		fail_msg("message “%s” lacks “%s” or “%s”", e.msg, want1, want2);
	assert_int_equal(added, 0);
	assert_int_equal(kp_info_npending(l), 0);
	assert_int_equal(kp_info_nsubmissions(l), 373);
	assert_int_equal(kp_info_nadoptions(l), 83);
	kp_buf_release(&csv);
	kp_info_free(l);
	kp_info_rules_free(r);
}

#define OK1 "1,市总工会,2016-07-05,市总工会送清凉活动,工作动态,,,,攀政快讯,2016-07-08,,,,,\n"

static void test_import_bad(void **state)
{
	(void)state;
	bad(OK1 "2,市总工会,2016-02-30,市总工会职工运动会,工作动态,,,,,,,,,,\n",
	    "台账.csv:4:", "报送日期“2016-02-30”不是有效日期");
	bad(OK1 "2,市总公会,2016-07-06,市总工会职工运动会,工作动态,,,,,,,,,,\n",
	    "台账.csv:4:", "单位“市总公会”不在单位名录中");
	bad(OK1 "2,市总工会,2016-07-06,市总工会职工运动会,工作动态,,,,攀枝花日报,2016-07-08,,,,,\n",
	    "台账.csv:4:", "刊物“攀枝花日报”不在计分标准中");
	bad(OK1 OK1, "台账.csv:4:", "重复的行：与本文件第 3 行相同");
	bad(OK1 "2,市总工会,2016-07-05,市总工会送清凉活动,工作动态,,,,,,,,,,\n",
	    "台账.csv:4:", "重复的行");
	/* the same item already in the sample ledger */
	bad("1,市总工会,2016-01-02,市总工会危房改造协调会议举行,工作动态,,,,,,,,,,\n",
	    "台账.csv:3:", "台账中已有");
	bad(OK1 "2,市总工会,2016-07-06,市总工会职工运动会,工作动态,,,,每日政情,2016-07-08,,,,,\n",
	    "台账.csv:4:", "须写期号");
	bad(OK1 "2,市总工会,2016-07-06,市总工会职工运动会,工作动态,,,,攀政快讯,2016-07-01,,,,,\n",
	    "台账.csv:4:", "早于报送日期");
	bad(OK1 "2,市总工会,2016-07-06,市总工会职工运动会,工作动态,,,,攀政快讯,2016-07-08,,,,是,\n",
	    "台账.csv:4:", "国办采用应为空");
	bad(OK1 "2,市总工会,2016-07-06,市总工会职工运动会,工作动态,也许,,,,,,,,,\n",
	    "台账.csv:4:", "紧急重要“也许”");
}

static void test_import_header(void **state)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, NULL);
	size_t added;
	kp_err e;
	(void)state;
	assert_int_equal(import_text(l, "x.csv", "a,b\n1,2\n", &added, &e), -1);
	assert_non_null(strstr(e.msg, "x.csv: 找不到表头"));
	assert_int_equal(import_text(l, "x.csv", "单位,标题,审核人\n", &added, &e),
			 -1);
	assert_non_null(strstr(e.msg, "x.csv:1: 不认识的列“审核人”"));
	kp_info_free(l);
	kp_info_rules_free(r);
}

/* A failed import drops its rows but not what it learnt about spellings:
 * the same alias works in the next import (ASan would see a stale map). */
static void test_import_retry(void **state)
{
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, NULL);
	size_t added;
	kp_err e;
	(void)state;
	assert_int_equal(import_text(l, "a.csv",
		"单位,报送日期,标题\n东区,2016-04-01,东区春耕备耕工作推进\n"
		"东区,2016-04-31,东区另一条\n", &added, &e), -1);
	assert_non_null(strstr(e.msg, "a.csv:3:"));
	assert_int_equal(kp_info_nsubmissions(l), 0);
	assert_int_equal(import_text(l, "a.csv",
		"单位,报送日期,标题\n东区,2016-04-01,东区春耕备耕工作推进\n",
		&added, &e), 0);
	assert_int_equal(kp_info_nsubmissions(l), 1);
	kp_info_free(l);
	kp_info_rules_free(r);
}

/* An XLSX as offices keep it: dates as day serials, a number as text. */
static void test_import_xlsx(void **state)
{
	char path[] = "/tmp/kp-info-XXXXXX";
	char file[64];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *datef;
	kp_info_rules *r = rules();
	kp_info_ledger *l = ledger(r, NULL);
	kp_sheet *sh = NULL;
	size_t added;
	kp_err e;
	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(file, sizeof(file), "%s/台账.xlsx", path);
	wb = workbook_new(file);
	ws = workbook_add_worksheet(wb, NULL);
	datef = workbook_add_format(wb);
	format_set_num_format(datef, "yyyy-mm-dd");
	worksheet_write_string(ws, 0, 0, "单位", NULL);
	worksheet_write_string(ws, 0, 1, "报送日期", NULL);
	worksheet_write_string(ws, 0, 2, "标题", NULL);
	worksheet_write_string(ws, 0, 3, "采用刊物", NULL);
	worksheet_write_string(ws, 0, 4, "采用日期", NULL);
	worksheet_write_string(ws, 1, 0, "市政府驻成都办事处", NULL);
	worksheet_write_number(ws, 1, 1, 42556, datef);   /* 2016-07-05 */
	worksheet_write_string(ws, 1, 2, "驻成都办招商推介会举行", NULL);
	worksheet_write_string(ws, 1, 3, "攀政快讯特刊", NULL);
	worksheet_write_number(ws, 1, 4, 42560, datef);
	worksheet_write_string(ws, 2, 0, "市政府驻成都办事处", NULL);
	worksheet_write_string(ws, 2, 1, "2016-13-01", NULL);
	worksheet_write_string(ws, 2, 2, "驻成都办第二条", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	assert_int_equal(kp_sheet_load(file, NULL, &sh, &e), 0);
	assert_int_equal(kp_info_import(l, sh, &added, &e), -1);
	/* the spreadsheet's own row number */
	assert_non_null(strstr(e.msg, "台账.xlsx:3: 报送日期“2016-13-01”"));
	assert_int_equal(kp_info_npending(l), 0);
	kp_sheet_free(sh);
	/* without the bad row */
	wb = workbook_new(file);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "单位", NULL);
	worksheet_write_string(ws, 0, 1, "报送日期", NULL);
	worksheet_write_string(ws, 0, 2, "标题", NULL);
	worksheet_write_string(ws, 0, 3, "采用刊物", NULL);
	worksheet_write_string(ws, 0, 4, "采用日期", NULL);
	worksheet_write_string(ws, 1, 0, "市政府驻成都办事处", NULL);
	worksheet_write_number(ws, 1, 1, 42556, NULL);
	worksheet_write_string(ws, 1, 2, "驻成都办招商推介会举行", NULL);
	worksheet_write_string(ws, 1, 3, "攀政快讯特刊", NULL);
	worksheet_write_number(ws, 1, 4, 42560, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	assert_int_equal(kp_sheet_load(file, NULL, &sh, &e), 0);
	assert_int_equal(kp_info_import(l, sh, &added, &e), 0);
	assert_int_equal(added, 1);
	kp_sheet_free(sh);
	/* save, reload: the same rows come back */
	snprintf(file, sizeof(file), "%s/ledger", path);
	assert_int_equal(kp_info_save(l, file, &e), 0);
	kp_info_free(l);
	l = ledger(r, file);
	assert_int_equal(kp_info_nsubmissions(l), 1);
	assert_int_equal(kp_info_nadoptions(l), 1);
	{
		kp_info_period p;
		kp_info_stats st;
		char b[32];
		assert_int_equal(kp_info_period_parse("2016Q3", &p, &e), 0);
		assert_int_equal(kp_info_stats_compute(l, &p, "市政府驻成都办事处",
						       &st, &e), 0);
		assert_string_equal(s2(st.v[0].city_points, b), "8.00");
		assert_int_equal(st.v[0].per_month[0], 1);
		kp_info_stats_release(&st);
	}
	kp_info_free(l);
	kp_info_rules_free(r);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
		assert_int_equal(system(cmd), 0);
	}
}


/* The edge cases from an XLSX too: a bad date, an unknown unit,
 * an unknown publication, a duplicate row — one message with the row
 * as the spreadsheet shows it, and nothing imported. */
static void test_import_xlsx_refusals(void **state)
{
	static const struct {
		const char *rows[4];
		size_t n;
		const char *want;
	} bad[] = {
		{ { "单位,报送日期,标题,采用刊物,采用日期",
		    "东区,=D:2016-07-05,东区第一条,攀政快讯,=D:2016-07-08",
		    "东区,2016年7月32日,东区第二条,," }, 3,
		  "台账.xlsx:3: 报送日期“2016年7月32日”不是有效日期" },
		{ { "单位,报送日期,标题,采用刊物,采用日期",
		    "东区,=D:2016-07-05,东区第一条,攀政快讯,=D:2016-07-08",
		    "东区,=D:2016-07-06,东区第二条,攀政快讯,2016-07-00" }, 3,
		  "台账.xlsx:3: 采用日期“2016-07-00”不是有效日期" },
		{ { "单位,报送日期,标题",
		    "东区,=D:2016-07-05,东区第一条",
		    "北区,=D:2016-07-06,北区第一条" }, 3,
		  "台账.xlsx:3: 单位“北区”不在单位名录中" },
		{ { "单位,报送日期,标题,采用刊物,采用日期",
		    "东区,=D:2016-07-05,东区第一条,攀政快讯,=D:2016-07-08",
		    "东区,=D:2016-07-06,东区第二条,攀枝花日报,=D:2016-07-08" }, 3,
		  "台账.xlsx:3: 刊物“攀枝花日报”不在计分标准中" },
		{ { "单位,报送日期,标题",
		    "东区,=D:2016-07-05,东区召开安全生产工作会议",
		    "东区政府,2016/7/5,东区召开安全生产工作会议" }, 3,
		  "台账.xlsx:3: 重复的行：与本文件第 2 行相同" },
	};
	char dir[] = "/tmp/kp-info-XXXXXX", file[64];
	kp_info_rules *r = rules();
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/台账.xlsx", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kp_info_ledger *l = ledger(r, NULL);
		kp_sheet *sh = NULL;
		size_t added = 99;
		kp_err e;
		xlsx_rows(file, bad[i].rows, bad[i].n);
		assert_int_equal(kp_sheet_load(file, NULL, &sh, &e), 0);
		if (kp_info_import(l, sh, &added, &e) == 0)
			fail_msg("accepted case %zu", i);
		if (!strstr(e.msg, bad[i].want))
			fail_msg("“%s” lacks “%s”", e.msg, bad[i].want);
		assert_int_equal(added, 0);
		assert_int_equal(kp_info_npending(l), 0);
		assert_int_equal(kp_info_nsubmissions(l), 0);
		kp_sheet_free(sh);
		kp_info_free(l);
	}
	kp_info_rules_free(r);
	unlink(file);
	rmdir(dir);
}

static void test_add_and_reload(void **state)
{
	char path[] = "/tmp/kp-info-XXXXXX";
	kp_info_rules *r = rules();
	kp_info_ledger *l;
	kp_err e;
	const char *sub[] = { "unit", "市妇联", "date", "2016-03-08",
			      "title", "市妇联三八节系列活动", "category",
			      "工作动态", "note", "含逗号,与\"引号\"", NULL };
	const char *ad[] = { "item", "1", "publication", "city.pzkx",
			     "adopted", "2016-03-10", NULL };
	const char *ad_bad[] = { "item", "9", "publication", "攀政快讯",
				 "adopted", "2016-03-10", NULL };
	(void)state;
	assert_non_null(mkdtemp(path));
	l = ledger(r, path);
	assert_int_equal(kp_info_add(l, sub, &e), 0);
	assert_int_equal(kp_info_add(l, ad, &e), 0);
	assert_int_equal(kp_info_add(l, ad_bad, &e), -1);
	assert_non_null(strstr(e.msg, "报送编号“9”不在台账中"));
	assert_int_equal(kp_info_add(l, sub, &e), -1);
	assert_non_null(strstr(e.msg, "重复的行"));
	assert_int_equal(kp_info_save(l, path, &e), 0);
	kp_info_free(l);
	l = ledger(r, path);
	assert_int_equal(kp_info_nsubmissions(l), 1);
	assert_int_equal(kp_info_nadoptions(l), 1);
	/* a second save appends */
	{
		const char *s2_[] = { "unit", "市妇联", "date", "2016-03-09",
				      "title", "市妇联巾帼建功表彰", NULL };
		assert_int_equal(kp_info_add(l, s2_, &e), 0);
		assert_int_equal(kp_info_save(l, path, &e), 0);
	}
	kp_info_free(l);
	l = ledger(r, path);
	assert_int_equal(kp_info_nsubmissions(l), 2);
	kp_info_free(l);
	kp_info_rules_free(r);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
		assert_int_equal(system(cmd), 0);
	}
}

/* Another city's standard is a data file, not code. */
static void test_other_schedule(void **state)
{
	static const char sched[] =
		"#meta,format,kaoping-table/1\n#meta,kind,schedule\n"
		"#meta,id,other-points\n#meta,title,另一个市的计分标准\n"
		"code,level,publication,per,points,kind,bonus_of,content,note\n"
		"c1,市级,某市政务快报,条,5,base,,,\n"
		"c2,市级,市领导批示,条,2.5,bonus,level:市级,,\n"
		"p1,省级,省政务信息,条,6,base,,,\n";
	char path[] = "/tmp/kp-info-XXXXXX", file[64];
	kp_info_spec sp = { NULL, NULL, NULL, NULL };
	kp_info_rules *r = NULL;
	kp_info_ledger *l;
	kp_info_period p;
	kp_info_stats st;
	kp_err e;
	char b[32];
	size_t added;
	FILE *f;
	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(file, sizeof(file), "%s/points.csv", path);
	f = fopen(file, "w");
	fputs(sched, f);
	fclose(f);
	sp.schedule = file;
	assert_int_equal(kp_info_rules_open(&sp, &r, &e), 0);
	l = ledger(r, NULL);
	assert_int_equal(import_text(l, "t.csv",
		"单位,报送日期,标题,采用刊物,采用日期,批示级别\n"
		"市总工会,2016-05-01,市总工会五一表彰大会召开,某市政务快报,2016-05-03,市级\n",
		&added, &e), 0);
	assert_int_equal(kp_info_period_parse("2016Q2", &p, &e), 0);
	assert_int_equal(kp_info_stats_compute(l, &p, "市总工会", &st, &e), 0);
	assert_string_equal(s2(st.v[0].city_points, b), "7.50");
	kp_info_stats_release(&st);
	assert_int_equal(import_text(l, "t.csv",
		"单位,报送日期,标题,采用刊物,采用日期\n"
		"市总工会,2016-05-02,市总工会另一条信息标题,攀政快讯,2016-05-03\n",
		&added, &e), -1);
	assert_non_null(strstr(e.msg, "可用：某市政务快报、省政务信息"));
	kp_info_free(l);
	kp_info_rules_free(r);
	unlink(file);
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_title_norm),
		cmocka_unit_test(test_title_near),
		cmocka_unit_test(test_title_near_random),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_sample_year),
		cmocka_unit_test(test_sample_quarter),
		cmocka_unit_test(test_sample_facts),
		cmocka_unit_test(test_sample_score_sheets),
		cmocka_unit_test(test_import_good),
		cmocka_unit_test(test_import_bad),
		cmocka_unit_test(test_import_header),
		cmocka_unit_test(test_import_retry),
		cmocka_unit_test(test_import_xlsx),
		cmocka_unit_test(test_import_xlsx_refusals),
		cmocka_unit_test(test_add_and_reload),
		cmocka_unit_test(test_other_schedule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
