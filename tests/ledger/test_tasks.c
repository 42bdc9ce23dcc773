/*
 * The division-of-work plan (seed 002, 攀办发〔2017〕84号): its 134
 * numbered tasks (No. 123 missing in the source) as data, lead units
 * resolved and expanded, every deadline resolved to dates — pinned in
 * tests/ledger/data/pzh2017-due.txt, which a person can check line by line
 * against the seed — progress imports that fail whole with the row
 * number, and the dues judged at a date.
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

#define EXPECTED "tests/ledger/data/pzh2017-due.txt"

static kp_calendar *cal(void)
{
	kp_calendar *c = NULL;
	kp_err e;
	if (kp_calendar_open(NULL, &c, &e) < 0)
		fail_msg("calendar: %s", e.msg);
	return c;
}

static kp_tasks *plan(void)
{
	kp_tasks *t = NULL;
	kp_err e;
	if (kp_tasks_open(NULL, &t, &e) < 0)
		fail_msg("plan: %s", e.msg);
	return t;
}

static int day(const char *s)
{
	int d;
	if (kp_day_parse(s, &d) < 0)
		fail_msg("bad date in test: %s", s);
	return d;
}

/* A ledger path in a fresh temporary directory (removed by cleanup). */
static char tmpdir[64];

static const char *tmp(const char *name)
{
	static char path[160];
	if (!tmpdir[0]) {
		strcpy(tmpdir, "/tmp/kp-tasks-XXXXXX");
		if (!mkdtemp(tmpdir))
			fail_msg("mkdtemp");
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

static int cleanup(void **state)
{
	(void)state;
	if (tmpdir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/* ---- the plan as data ------------------------------------------------ */

static void test_plan_shape(void **state)
{
	kp_tasks *t = plan();
	size_t numbered = 0;
	(void)state;
	assert_string_equal(t->docno, "攀办发〔2017〕84号");
	assert_string_equal(t->issuer, "攀枝花市人民政府办公室");
	assert_int_equal(t->year, 2017);
	assert_int_equal(t->notice_day, day("2017-07-03"));
	assert_int_equal(t->nmissing, 1);
	assert_string_equal(t->missing[0], "123");
	for (int i = 1; i <= 134; i++) {
		char no[8];
		snprintf(no, sizeof(no), "%d", i);
		if (i == 123)
			assert_null(kp_tasks_find(t, no));
		else {
			assert_non_null(kp_tasks_find(t, no));
			numbered++;
		}
	}
	assert_int_equal(numbered, 133);
	/* and the covering notice's two deadlines */
	assert_non_null(kp_tasks_find(t, "N1"));
	assert_non_null(kp_tasks_find(t, "N2"));
	assert_int_equal(t->n, 135);
	/* both category levels and the text as printed */
	{
		const kp_task *k = kp_tasks_find(t, "17");
		assert_string_equal(k->cat1, "以政务公开助力稳增长");
		assert_string_equal(k->cat2, "推进政府和社会资本合作（PPP）项目信息公开");
		assert_non_null(strstr(k->requirement, "激发社会资本的参与热情"));
		k = kp_tasks_find(t, "134");
		assert_string_equal(k->cat1, "增强政务公开实效");
		assert_string_equal(k->cat2, "依法规范依申请公开工作");
		assert_string_equal(k->requirement,
				    "在各政府网站显著位置发布政府信息公开指南，内容应包括单位名称、地址、咨询电话、依申请公开流程等，并根据工作情况变化及时更新指南");
		k = kp_tasks_find(t, "28");
		assert_non_null(strstr(k->quirk, "2017年6月底前"));
	}
	kp_tasks_free(t);
}

static bool has(const kp_task *k, const char *u)
{
	return kp_task_has_lead(k, u);
}

static void test_leads(void **state)
{
	kp_tasks *t = plan();
	const kp_task *k;
	size_t depts = 0;
	kp_table *reg;
	kp_err e;
	(void)state;
	assert_int_equal(kp_table_open("pzh-units", &reg, &e), 0);
	for (size_t r = 0; r < reg->nrecs; r++)
		if (!strcmp(kp_record_cell(reg, r, "type"), "市级部门"))
			depts++;
	/* merged cell over 1–3, printed at 3 */
	for (int i = 1; i <= 3; i++) {
		char no[16];
		snprintf(no, sizeof(no), "%d", i);
		k = kp_tasks_find(t, no);
		assert_int_equal(k->nleads, 5);
		assert_true(has(k, "市发展改革委"));
		assert_true(has(k, "市人力资源和社会保障局"));
		assert_true(has(k, "人民银行攀枝花中心支行"));
	}
	/* 9: two leads, two that assist */
	k = kp_tasks_find(t, "9");
	assert_int_equal(k->nleads, 2);
	assert_true(has(k, "市财政局") && has(k, "市发展改革委"));
	assert_int_equal(k->nassists, 2);
	assert_string_equal(k->assists[0], "市人力资源和社会保障局");
	assert_string_equal(k->assists[1], "市地税局");
	/* 22: eleven departments and the five counties */
	k = kp_tasks_find(t, "22");
	assert_int_equal(k->nleads, 16);
	assert_true(has(k, "攀枝花市人民政府办公室"));
	assert_true(has(k, "米易县人民政府") && has(k, "盐边县人民政府") &&
		    has(k, "东区人民政府") && has(k, "西区人民政府") &&
		    has(k, "仁和区人民政府"));
	/* 13–16 share the merged cell printed at 16 */
	assert_true(has(kp_tasks_find(t, "13"), "市公共资源交易中心"));
	assert_int_equal(kp_tasks_find(t, "13")->nassists, 4);
	/* 96: every county and every department */
	k = kp_tasks_find(t, "96");
	assert_int_equal(k->nleads, 5 + depts);
	/* 103: departments lead, 市政府新闻办 assists (so is not a lead) */
	k = kp_tasks_find(t, "103");
	assert_false(has(k, "市政府新闻办"));
	assert_int_equal(k->nleads, 5 + depts - 1);
	/* 117: the printed "市 电 子 政 务 办" */
	assert_true(has(kp_tasks_find(t, "117"), "市电子政务办"));
	/* 65: the two colleges */
	k = kp_tasks_find(t, "65");
	assert_true(has(k, "攀枝花学院") && has(k, "攀枝花机电职业技术学院"));
	kp_table_free(reg);
	kp_tasks_free(t);
}

/* Every lead and assisting unit, as written in the leads/assists
 * columns, appears in the printed 牵头落实单位 text of its row (the
 * notice-level N1, N2 excepted: the notice says 各级政府和各部门). */
static void test_leads_as_printed(void **state)
{
	kp_sheet *s;
	kp_err e;
	size_t hdr = 0, cu = 0, cl = 0, ca = 0, cn = 0, checked = 0;
	(void)state;
	assert_int_equal(kp_sheet_load("data/tasks/pzh2017-tasks.csv", NULL,
				       &s, &e), 0);
	while (kp_sheet_cell(s, hdr, 0)[0] == '#')
		hdr++;
	for (size_t c = 0; c < kp_sheet_ncols(s, hdr); c++) {
		const char *h = kp_sheet_cell(s, hdr, c);
		if (!strcmp(h, "units"))
			cu = c;
		else if (!strcmp(h, "leads"))
			cl = c;
		else if (!strcmp(h, "assists"))
			ca = c;
		else if (!strcmp(h, "no"))
			cn = c;
	}
	for (size_t r = hdr + 1; r < kp_sheet_nrows(s); r++) {
		char *units = kp_squeeze(kp_xstrdup(kp_sheet_cell(s, r, cu)));
		const char *no = kp_sheet_cell(s, r, cn);
		for (int col = 0; col < 2 && no[0] != 'N'; col++) {
			char *list = kp_xstrdup(kp_sheet_cell(s, r, col ? ca : cl));
			char *p = list;
			while (*p) {
				char *sep = strstr(p, "、");
				if (sep)
					*sep = '\0';
				if (*p && !strstr(units, p))
					fail_msg("row %s: “%s” not in “%s”", no, p, units);
				checked++;
				if (!sep)
					break;
				p = sep + strlen("、");
			}
			free(list);
		}
		free(units);
	}
	assert_true(checked > 300);
	kp_sheet_free(s);
}

/* ---- deadlines ------------------------------------------------------- */

static void test_deadline_forms(void **state)
{
	kp_deadline d;
	kp_err e;
	char b[16];
	(void)state;
	assert_int_equal(kp_deadline_parse("2017年7月底前", 2017, &d, &e), 0);
	assert_int_equal(d.kind, KP_DL_DATE);
	assert_string_equal(kp_day_str(d.day, b), "2017-07-31");
	assert_int_equal(kp_deadline_parse("11月中旬前", 2017, &d, &e), 0);
	assert_string_equal(kp_day_str(d.day, b), "2017-11-20");
	assert_int_equal(kp_deadline_parse("2017年 \n8月25日前", 2017, &d, &e), 0);
	assert_string_equal(kp_day_str(d.day, b), "2017-08-25");
	assert_int_equal(kp_deadline_parse("2月底前", 2016, &d, &e), 0);
	assert_string_equal(kp_day_str(d.day, b), "2016-02-29");
	assert_int_equal(kp_deadline_parse("全年工作", 2017, &d, &e), 0);
	assert_int_equal(d.kind, KP_DL_YEAR);
	assert_int_equal(kp_deadline_parse("及时公开", 2017, &d, &e), 0);
	assert_int_equal(d.kind, KP_DL_ONGOING);
	assert_int_equal(kp_deadline_parse("每月、每季度后 20日内完成", 2017, &d, &e), 0);
	assert_int_equal(d.kind, KP_DL_AFTER);
	assert_true(d.monthly && d.quarterly && !d.workdays);
	assert_int_equal(d.lag, 20);
	assert_int_equal(kp_deadline_parse("每季度第一周内", 2017, &d, &e), 0);
	assert_int_equal(d.kind, KP_DL_QFIRSTWEEK);
	assert_int_equal(kp_deadline_parse("按季度、月度公布", 2017, &d, &e), 0);
	assert_int_equal(d.kind, KP_DL_PERIODIC);
	assert_true(d.monthly && d.quarterly);
	assert_int_equal(kp_deadline_parse("国家指导意见印发后60日内完成", 2017, &d, &e), 0);
	assert_int_equal(d.kind, KP_DL_EVENT);
	assert_string_equal(d.event, "国家指导意见印发");
	assert_int_equal(d.lag, 60);
	assert_false(d.workdays);
	assert_int_equal(kp_deadline_parse("本通知公布后 30 个工作日内", 2017, &d, &e), 0);
	assert_string_equal(d.event, "本通知公布");
	assert_true(d.workdays);
	assert_int_equal(d.lag, 30);
	assert_int_equal(kp_deadline_parse("尽快", 2017, &d, &e), -1);
	assert_non_null(strstr(e.msg, "完成时限“尽快”无法识别"));
	assert_int_equal(kp_deadline_parse("2017年2月30日前", 2017, &d, &e), -1);
	assert_int_equal(kp_deadline_parse("2017年13月底前", 2017, &d, &e), -1);
}

static char *slurp(const char *path)
{
	kp_buf b = KP_BUF_INIT;
	kp_err e;
	if (kp_read_file(path, (size_t)1 << 20, &b, &e) < 0)
		fail_msg("%s", e.msg);
	return kp_buf_detach(&b);
}

/* The resolved dates of all 134 tasks, pinned as a readable file. */
static void test_all_dates_2017(void **state)
{
	kp_tasks *t = plan();
	kp_calendar *c = cal();
	kp_buf out = KP_BUF_INIT;
	kp_err e;
	char *want = slurp(EXPECTED);
	(void)state;
	if (kp_tasks_dates_text(t, NULL, c, &out, &e) < 0)
		fail_msg("%s", e.msg);
	if (strcmp(out.data, want)) {
		const char *a = out.data, *b = want;
		int line = 1;
		while (*a && *a == *b) {
			if (*a == '\n')
				line++;
			a++;
			b++;
		}
		fail_msg("%s differs at line %d: got “%.80s”", EXPECTED, line, a);
	}
	/* a few lines checked here against the seed as well */
	assert_non_null(strstr(want, "\n2 | 2017年11月底前完成 | 2017-11-30\n"));
	assert_non_null(strstr(want, "\n97 | 2017年8月25日前 | 2017-08-25\n"));
	assert_non_null(strstr(want, "\n122 | 2017年11月中旬前 | 2017-11-20\n"));
	assert_non_null(strstr(want, "\n123 | （原文缺失，序号保留） | —\n"));
	assert_non_null(strstr(want, "\nN1 | 本通知公布后30个工作日内 | 2017-08-14"));
	assert_non_null(strstr(want, "\n14 | 国家指导意见印发后60日内完成 | 待事件“国家指导意见印发”"));
	assert_non_null(strstr(want, "\n90 | 每季度第一周内 | 2017年第三季度→2017-07-07，2017年第四季度→2017-10-07\n"));
	/* every line has a date or names the event it waits for */
	{
		size_t lines = 0;
		for (const char *p = want; (p = strchr(p, '\n')) && p[1]; p++) {
			if (p[1] == '#')
				continue;
			lines++;
			if (!strstr(p + 1, "| 20") && !strstr(p + 1, "| 待事件") &&
			    !strstr(p + 1, "→20") && !strstr(p + 1, "| —"))
				fail_msg("line without a date: %.60s", p + 1);
		}
		assert_int_equal(lines, 134 + 2);   /* 1..134 and N1, N2 */
	}
	free(want);
	kp_buf_release(&out);
	kp_calendar_free(c);
	kp_tasks_free(t);
}

/* ---- progress ledger ------------------------------------------------- */

static kp_sheet *sheet(const char *name, const char *csv)
{
	kp_sheet *s = NULL;
	kp_err e;
	if (kp_sheet_parse(name, csv, strlen(csv), NULL, &s, &e) < 0)
		fail_msg("sheet: %s", e.msg);
	return s;
}

/* Import must fail with want in the message, adding nothing. */
static void import_fails(kp_tledger *l, const char *csv, const char *want)
{
	kp_sheet *s = sheet("进展.csv", csv);
	size_t n0 = l->n, added = 99;
	kp_err e;
	if (kp_tledger_import(l, s, &added, &e) == 0)
		fail_msg("accepted: %s", csv);
	if (!strstr(e.msg, want))
		fail_msg("message “%s” lacks “%s”", e.msg, want);
	assert_int_equal(l->n, n0);
	assert_int_equal(added, 99);
	kp_sheet_free(s);
}

#define HDR "序号,单位,日期,状态,说明,证据\n"

static void test_import_refusals(void **state)
{
	kp_tasks *t = plan();
	kp_tledger *l;
	kp_sheet *s;
	kp_err e;
	size_t added;
	(void)state;
	assert_int_equal(kp_tledger_load(tmp("p1.csv"), t, &l, &e), 0);
	import_fails(l, HDR "9,市财政局,2017-07-20,已完成,,\n"
			    "9,发展改革委,2017-07-32,已完成,,\n",
		     "进展.csv:3: 日期“2017-07-32”不是有效日期");
	import_fails(l, HDR "9,市财政局,2017-07-20,已完成,,\n"
			    "9,市财政厅,2017-07-20,已完成,,\n",
		     "进展.csv:3: 单位“市财政厅”不在单位名录中");
	import_fails(l, HDR "9,市财政局,2017-07-20,已完成,,\n"
			    "9,财政局,2017-07-20,已完成,另一写法,\n",
		     "进展.csv:3: 重复：与本文件第2行相同");
	import_fails(l, HDR "9,市统计局,2017-07-20,已完成,,\n",
		     "进展.csv:2: “市统计局”不是第9项的责任单位");
	import_fails(l, HDR "123,市财政局,2017-07-20,已完成,,\n",
		     "进展.csv:2: 第123项在原文中缺失");
	import_fails(l, HDR "135,市财政局,2017-07-20,已完成,,\n",
		     "进展.csv:2: 任务序号“135”不在分工方案中");
	import_fails(l, HDR "9,市财政局,2017-07-20,完成了,,\n",
		     "进展.csv:2: 状态“完成了”");
	import_fails(l, HDR "9,市财政局,2017-07-20,已完成,,www.pzh.gov.cn\n",
		     "进展.csv:2: 证据链接");
	import_fails(l, "序号,单位,日期\n9,市财政局,2017-07-20\n",
		     "进展.csv:1: 表头应有");
	import_fails(l, "序号,单位,日期,状态,颜色\n", "进展.csv:1: 未知列名“颜色”");
	/* a good file, then the same row again from a second file */
	s = sheet("进展.csv", HDR
		  "9,市财政局,2017-07-20,推进中,正在梳理,\n"
		  "9,市财政局,2017-07-28,已完成,已公布,http://www.panzhihua.gov.cn/x\n"
		  "9,发展改革委,2017-07-25,已完成,,\n");
	assert_int_equal(kp_tledger_import(l, s, &added, &e), 0);
	assert_int_equal(added, 3);
	kp_sheet_free(s);
	assert_int_equal(kp_tledger_save(l, &e), 0);
	kp_tledger_free(l);
	assert_int_equal(kp_tledger_load(tmp("p1.csv"), t, &l, &e), 0);
	assert_int_equal(l->n, 3);
	assert_string_equal(l->v[2].unit, "市发展改革委");
	import_fails(l, HDR "9,财政局,2017-07-28,已完成,,\n",
		     "进展.csv:2: 重复：第9项、市财政局、2017-07-28、已完成 已在台账");
	kp_tledger_free(l);
	kp_tasks_free(t);
}

static void test_import_xlsx(void **state)
{
	kp_tasks *t = plan();
	kp_tledger *l;
	kp_sheet *s;
	kp_err e;
	size_t added;
	char x[200];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *df;
	lxw_datetime dt = { 2017, 8, 10, 0, 0, 0 };
	(void)state;
	snprintf(x, sizeof(x), "%s", tmp("进展.xlsx"));
	wb = workbook_new(x);
	ws = workbook_add_worksheet(wb, NULL);
	df = workbook_add_format(wb);
	format_set_num_format(df, "yyyy-mm-dd");
	worksheet_write_string(ws, 0, 0, "序号", NULL);
	worksheet_write_string(ws, 0, 1, "单位", NULL);
	worksheet_write_string(ws, 0, 2, "日期", NULL);
	worksheet_write_string(ws, 0, 3, "状态", NULL);
	worksheet_write_number(ws, 1, 0, 96, NULL);
	worksheet_write_string(ws, 1, 1, "米易县", NULL);
	worksheet_write_datetime(ws, 1, 2, &dt, df);
	worksheet_write_string(ws, 1, 3, "已完成", NULL);
	worksheet_write_number(ws, 2, 0, 96, NULL);
	worksheet_write_string(ws, 2, 1, "市不存在局", NULL);
	worksheet_write_string(ws, 2, 2, "2017-08-11", NULL);
	worksheet_write_string(ws, 2, 3, "已完成", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	assert_int_equal(kp_tledger_load(tmp("p2.csv"), t, &l, &e), 0);
	if (kp_sheet_load(x, NULL, &s, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(kp_tledger_import(l, s, &added, &e), -1);
	assert_non_null(strstr(e.msg, "进展.xlsx:3: 单位“市不存在局”不在单位名录中"));
	assert_int_equal(l->n, 0);
	kp_sheet_free(s);
	/* without the bad row: the date cell (a serial number) is read */
	wb = workbook_new(x);
	ws = workbook_add_worksheet(wb, NULL);
	df = workbook_add_format(wb);
	format_set_num_format(df, "yyyy-mm-dd");
	worksheet_write_string(ws, 0, 0, "序号", NULL);
	worksheet_write_string(ws, 0, 1, "单位", NULL);
	worksheet_write_string(ws, 0, 2, "日期", NULL);
	worksheet_write_string(ws, 0, 3, "状态", NULL);
	worksheet_write_number(ws, 1, 0, 96, NULL);
	worksheet_write_string(ws, 1, 1, "米易县", NULL);
	worksheet_write_datetime(ws, 1, 2, &dt, df);
	worksheet_write_string(ws, 1, 3, "已完成", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	assert_int_equal(kp_sheet_load(x, NULL, &s, &e), 0);
	if (kp_tledger_import(l, s, &added, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(l->v[0].day, day("2017-08-10"));
	assert_string_equal(l->v[0].unit, "米易县人民政府");
	kp_sheet_free(s);
	kp_tledger_free(l);
	kp_tasks_free(t);
}

/* ---- events and dues ------------------------------------------------- */

static const kp_due *find_due(const kp_dues *d, const char *no,
			      const char *unit, const char *period)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].task->no, no) &&
		    !strcmp(d->v[i].unit, unit) &&
		    !strcmp(d->v[i].occ.period, period))
			return &d->v[i];
	fail_msg("no due %s %s %s", no, unit, period);
	return NULL;
}

static void test_events_and_dues(void **state)
{
	kp_tasks *t = plan();
	kp_calendar *c = cal();
	kp_tledger *l;
	kp_dues d;
	kp_sheet *s;
	kp_err e;
	size_t added;
	char b[16];
	(void)state;
	assert_int_equal(kp_tledger_load(tmp("p3.csv"), t, &l, &e), 0);
	/* before the event is recorded, task 14 waits for it */
	assert_int_equal(kp_dues_build(t, l, c, day("2017-08-01"), &d, &e), 0);
	assert_int_equal(find_due(&d, "14", "市发展改革委", "")->state,
			 KP_DUE_WAITING);
	kp_dues_release(&d);
	assert_int_equal(kp_tledger_add_event(l, "国家指导意见", day("2017-12-25"),
					      NULL, &e), -1);
	assert_non_null(strstr(e.msg, "国家指导意见印发"));
	assert_int_equal(kp_tledger_add_event(l, "国家指导意见印发",
					      day("2017-12-25"), "国办发〔2017〕94号", &e), 0);
	s = sheet("进展.csv", HDR
		  "4,市财政局,2017-07-18,已完成,6月和二季度,\n"
		  "4,市财政局,2017-08-25,已完成,7月,\n"
		  "8,市地税局,2017-07-10,推进中,,\n"
		  "N1,西区,2017-08-10,已完成,实施方案已报,\n");
	assert_int_equal(kp_tledger_import(l, s, &added, &e), 0);
	kp_sheet_free(s);
	assert_int_equal(kp_tledger_save(l, &e), 0);
	kp_tledger_free(l);
	assert_int_equal(kp_tledger_load(tmp("p3.csv"), t, &l, &e), 0);
	assert_int_equal(kp_tledger_event(l, "国家指导意见印发"), day("2017-12-25"));
	assert_int_equal(kp_dues_build(t, l, c, day("2017-09-01"), &d, &e), 0);
	{
		const kp_due *x = find_due(&d, "14", "市发展改革委", "");
		assert_int_equal(x->state, KP_DUE_OPEN);
		assert_string_equal(kp_day_str(x->occ.due, b), "2018-02-23");
	}
	/* 4: June on time, Q2 not done (overdue), July late */
	assert_int_equal(find_due(&d, "4", "市财政局", "2017年6月")->state,
			 KP_DUE_DONE);
	assert_int_equal(find_due(&d, "4", "市财政局", "2017年第二季度")->state,
			 KP_DUE_DONE_LATE);
	assert_int_equal(find_due(&d, "4", "市财政局", "2017年7月")->state,
			 KP_DUE_OVERDUE);
	assert_int_equal(find_due(&d, "4", "市财政局", "2017年8月")->state,
			 KP_DUE_OPEN);
	/* 8: only 推进中 by 2017-07-31 → overdue, last entry shown */
	{
		const kp_due *x = find_due(&d, "8", "市地税局", "");
		assert_int_equal(x->state, KP_DUE_OVERDUE);
		assert_non_null(x->last);
		assert_int_equal(x->last->status, KP_ST_IN_PROGRESS);
	}
	/* N1: 30 working days after 2017-07-03 = 2017-08-14 */
	assert_int_equal(find_due(&d, "N1", "西区人民政府", "")->state,
			 KP_DUE_DONE);
	assert_int_equal(find_due(&d, "N1", "东区人民政府", "")->state,
			 KP_DUE_OVERDUE);
	kp_dues_release(&d);
	/* an event so late that counting working days leaves the calendar */
	assert_int_equal(kp_tledger_add_event(l, "本通知公布", day("2026-12-20"),
					      NULL, &e), 0);
	assert_int_equal(kp_dues_build(t, l, c, day("2026-12-21"), &d, &e), -1);
	assert_non_null(strstr(e.msg, "第N1项"));
	assert_non_null(strstr(e.msg, "只覆盖 2016—2026 年"));
	kp_tledger_free(l);
	kp_calendar_free(c);
	kp_tasks_free(t);
}

/* ---- a plan from a file: refused whole, with the row ---------------- */

static void plan_fails(const char *csv, const char *want)
{
	kp_tasks *t = NULL;
	kp_err e;
	if (kp_tasks_parse("plan.csv", csv, strlen(csv), NULL, &t, &e) == 0) {
		kp_tasks_free(t);
		fail_msg("accepted: %s", csv);
	}
	if (!strstr(e.msg, want))
		fail_msg("message “%s” lacks “%s”", e.msg, want);
}

#define PHEAD "#meta,format,kaoping-tasks/1\n#meta,year,2017\n#meta,missing,3\nno,leads,deadline\n"

static void test_plan_refusals(void **state)
{
	kp_tasks *t;
	kp_err e;
	const char *ok = PHEAD "1,市财政局、各县（区）政府,2017年7月底前\n";
	(void)state;
	assert_int_equal(kp_tasks_parse("plan.csv", ok, strlen(ok), NULL, &t, &e), 0);
	assert_int_equal(t->v[0].nleads, 6);
	kp_tasks_free(t);
	plan_fails(PHEAD "1,市财政局,全年工作\n1,市统计局,全年工作\n",
		   "plan.csv:6: 序号“1”重复（第5行已有此项）");
	plan_fails(PHEAD "1,市财政局,全年工作\n2,市财政厅,全年工作\n",
		   "plan.csv:6: 第2项的责任单位“市财政厅”不在单位名录中");
	plan_fails(PHEAD "1,市财政局,2017年2月30日前\n",
		   "plan.csv:5: 第1项完成时限“2017年2月30日前”无法识别");
	plan_fails(PHEAD "1,市财政局,2018年7月底前\n", "plan.csv:5: 第1项完成时限“2018年7月底前”不在方案年度");
	plan_fails(PHEAD "3,市财政局,全年工作\n", "plan.csv:5: 序号“3”在 #meta,missing");
	plan_fails(PHEAD "1,,全年工作\n", "plan.csv:5: 第1项没有责任单位");
	plan_fails("#meta,format,kaoping-tasks/1\nno,leads,deadline\n", "缺少 #meta,year");
	plan_fails("#meta,format,kaoping-tasks/1\n#meta,year,2017\nno,leads\n",
		   "plan.csv:3: 表头缺少“deadline”");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_shape),
		cmocka_unit_test(test_leads),
		cmocka_unit_test(test_leads_as_printed),
		cmocka_unit_test(test_deadline_forms),
		cmocka_unit_test(test_all_dates_2017),
		cmocka_unit_test(test_import_refusals),
		cmocka_unit_test(test_import_xlsx),
		cmocka_unit_test(test_events_and_dues),
		cmocka_unit_test(test_plan_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
