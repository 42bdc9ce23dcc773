/*
 * The working-day calendar: dates, every year's tricky weeks (调休 working
 * weekends, the days a break swallows, breaks that start in the previous
 * year), the count of statutory weekday holidays each year (11 until
 * 2024, 13 from 2025; 2020 has 13 because the State Council extended the
 * Spring Festival), the notice each year cites, and the clear error for a
 * day beyond the calendar.
 *
 * Every expected day below is from the State Council notices
 * (国务院办公厅关于YYYY年部分节假日安排的通知), not read off the data file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"

static kp_calendar *cal(void)
{
	kp_calendar *c = NULL;
	kp_err e;
	if (kp_calendar_open(NULL, &c, &e) < 0)
		fail_msg("calendar: %s", e.msg);
	return c;
}

static int day(const char *s)
{
	int d;
	if (kp_day_parse(s, &d) < 0)
		fail_msg("bad date in test: %s", s);
	return d;
}

static void test_dates(void **state)
{
	int d, y, m, dd;
	char b[16];
	(void)state;
	assert_int_equal(kp_day_from_ymd(1970, 1, 1), 0);
	assert_int_equal(kp_day_weekday(0), 4);                /* Thursday */
	assert_int_equal(kp_day_weekday(day("2017-07-03")), 1); /* Monday */
	assert_int_equal(kp_day_parse("2017年7月3日", &d), 0);
	assert_string_equal(kp_day_str(d, b), "2017-07-03");
	assert_int_equal(kp_day_parse("2017/7/31", &d), 0);
	assert_string_equal(kp_day_str(d, b), "2017-07-31");
	assert_int_equal(kp_day_parse("2016-02-29", &d), 0);
	assert_int_equal(kp_day_parse("2017-02-29", &d), -1);
	assert_int_equal(kp_day_parse("2017-13-01", &d), -1);
	assert_int_equal(kp_day_parse("2017-07-32", &d), -1);
	assert_int_equal(kp_day_parse("17-07-03", &d), -1);
	assert_int_equal(kp_day_parse("2017-07-03x", &d), -1);
	assert_int_equal(kp_day_parse("", &d), -1);
	/* one reader for both ledgers: every form either accepted before */
	{
		static const char *const same[] = {
			"2016-07-05", "2016/7/5", "2016.7.5", "2016年7月5日",
			"2016年7月5", "20160705", " 2016-07-05 ",
			"2016-07-05 10:30", "2016-07-05T10:30:00",
			"2016/07/05 9:00",
		};
		for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
			if (kp_day_parse(same[i], &d) < 0)
				fail_msg("“%s” refused", same[i]);
			assert_string_equal(kp_day_str(d, b), "2016-07-05");
		}
	}
	assert_int_equal(kp_day_parse("2016-07-05 x", &d), -1);
	assert_int_equal(kp_day_parse("1899-12-31", &d), -1);
	assert_int_equal(kp_day_parse("20160230", &d), -1);
	assert_int_equal(kp_day_parse("42556", &d), -1);    /* not in text */
	/* a spreadsheet cell may also be an Excel day serial */
	assert_int_equal(kp_day_cell("42556", &d), 0);
	assert_string_equal(kp_day_str(d, b), "2016-07-05");
	assert_int_equal(kp_day_cell("42556.5", &d), 0);
	assert_string_equal(kp_day_str(d, b), "2016-07-05");
	assert_int_equal(kp_day_cell("2016年7月5日", &d), 0);
	assert_int_equal(kp_day_cell("12345", &d), -1);
	assert_int_equal(kp_day_cell("42556x", &d), -1);
	{
		kp_err e;
		assert_int_equal(kp_day_fail(&e, "进展.csv", 3, "日期", "2017-02-30"), -1);
		assert_int_equal(e.code, KP_EINPUT);
		assert_string_equal(e.msg, "进展.csv:3: 日期“2017-02-30”不是有效日期（写作 2017-07-03、2017/7/3 或 2017年7月3日，须是真实的日期）");
	}
	for (int i = -1000; i < 30000; i += 7) {
		kp_day_ymd(i, &y, &m, &dd);
		assert_int_equal(kp_day_from_ymd(y, m, dd), i);
	}
}

/* day, 1 = working day, 0 = rest day */
static const struct {
	const char *day;
	int work;
	const char *why;
} tricky[] = {
	/* 2016 国办发明电〔2015〕18号 */
	{ "2016-02-06", 1, "春节 调休上班（星期六）" },
	{ "2016-02-08", 0, "春节" },
	{ "2016-02-12", 0, "春节（星期五）" },
	{ "2016-02-14", 1, "春节 调休上班（星期日）" },
	{ "2016-05-02", 0, "劳动节 补休（星期一）" },
	{ "2016-06-10", 0, "端午节（星期五）" },
	{ "2016-06-12", 1, "端午节 调休上班（星期日）" },
	{ "2016-09-16", 0, "中秋节（星期五）" },
	{ "2016-09-18", 1, "中秋节 调休上班（星期日）" },
	{ "2016-10-07", 0, "国庆节（星期五）" },
	{ "2016-10-08", 1, "国庆节 调休上班（星期六）" },
	{ "2016-10-09", 1, "国庆节 调休上班（星期日）" },
	/* 2017 国办发明电〔2016〕17号 */
	{ "2017-01-02", 0, "元旦 补休（星期一）" },
	{ "2017-01-22", 1, "春节 调休上班（星期日）" },
	{ "2017-01-27", 0, "除夕" },
	{ "2017-02-02", 0, "春节（星期四）" },
	{ "2017-02-04", 1, "春节 调休上班（星期六）" },
	{ "2017-04-01", 1, "清明节 调休上班（星期六）" },
	{ "2017-04-03", 0, "清明节（星期一）" },
	{ "2017-04-04", 0, "清明节（星期二）" },
	{ "2017-05-01", 0, "劳动节（星期一）" },
	{ "2017-05-27", 1, "端午节 调休上班（星期六）" },
	{ "2017-05-29", 0, "端午节（星期一）" },
	{ "2017-09-30", 1, "国庆中秋 调休上班（星期六）" },
	{ "2017-10-06", 0, "国庆中秋（星期五）" },
	{ "2017-10-09", 1, "国庆中秋后第一个工作日" },
	/* 2018 国办发明电〔2017〕12号 */
	{ "2018-01-01", 0, "元旦" },
	{ "2018-02-11", 1, "春节 调休上班（星期日）" },
	{ "2018-02-21", 0, "春节（星期三）" },
	{ "2018-02-22", 1, "春节后第一个工作日（星期四）" },
	{ "2018-02-24", 1, "春节 调休上班（星期六）" },
	{ "2018-04-06", 0, "清明节（星期五）" },
	{ "2018-04-08", 1, "清明节 调休上班（星期日）" },
	{ "2018-04-28", 1, "劳动节 调休上班（星期六）" },
	{ "2018-04-30", 0, "劳动节（星期一）" },
	{ "2018-06-18", 0, "端午节（星期一）" },
	{ "2018-09-24", 0, "中秋节（星期一）" },
	{ "2018-09-29", 1, "国庆节 调休上班（星期六）" },
	{ "2018-09-30", 1, "国庆节 调休上班（星期日）" },
	/* 2019 国办发明电〔2018〕15号, its 元旦 break starts in 2018 */
	{ "2018-12-29", 1, "2019年元旦 调休上班（2018年的星期六）" },
	{ "2018-12-31", 0, "2019年元旦（2018年的星期一）" },
	{ "2019-02-02", 1, "春节 调休上班（星期六）" },
	{ "2019-02-03", 1, "春节 调休上班（星期日）" },
	{ "2019-02-04", 0, "除夕" },
	{ "2019-04-05", 0, "清明节（星期五）" },
	/* 劳动节 as changed by 国办发明电〔2019〕3号 */
	{ "2019-04-28", 1, "劳动节 调休上班（星期日）" },
	{ "2019-05-02", 0, "劳动节（星期四）" },
	{ "2019-05-03", 0, "劳动节（星期五）" },
	{ "2019-05-05", 1, "劳动节 调休上班（星期日）" },
	{ "2019-06-07", 0, "端午节（星期五）" },
	{ "2019-09-13", 0, "中秋节（星期五）" },
	{ "2019-09-29", 1, "国庆节 调休上班（星期日）" },
	{ "2019-10-12", 1, "国庆节 调休上班（星期六）" },
	/* 2020 国办发明电〔2019〕16号 and the extension 国办发明电〔2020〕1号 */
	{ "2020-01-19", 1, "春节 调休上班（星期日）" },
	{ "2020-01-24", 0, "除夕" },
	{ "2020-01-31", 0, "春节延长（星期五）" },
	{ "2020-02-01", 0, "原定调休上班，延长后放假（星期六）" },
	{ "2020-02-03", 1, "延长后第一个工作日" },
	{ "2020-04-06", 0, "清明节（星期一）" },
	{ "2020-04-26", 1, "劳动节 调休上班（星期日）" },
	{ "2020-05-05", 0, "劳动节（星期二）" },
	{ "2020-05-09", 1, "劳动节 调休上班（星期六）" },
	{ "2020-06-26", 0, "端午节（星期五）" },
	{ "2020-06-28", 1, "端午节 调休上班（星期日）" },
	{ "2020-09-27", 1, "国庆中秋 调休上班（星期日）" },
	{ "2020-10-08", 0, "国庆中秋（星期四）" },
	{ "2020-10-09", 1, "国庆中秋后第一个工作日（星期五）" },
	{ "2020-10-10", 1, "国庆中秋 调休上班（星期六）" },
	/* 2021 国办发明电〔2020〕27号 */
	{ "2021-02-07", 1, "春节 调休上班（星期日）" },
	{ "2021-02-17", 0, "春节（星期三）" },
	{ "2021-02-20", 1, "春节 调休上班（星期六）" },
	{ "2021-04-05", 0, "清明节（星期一）" },
	{ "2021-04-25", 1, "劳动节 调休上班（星期日）" },
	{ "2021-05-05", 0, "劳动节（星期三）" },
	{ "2021-05-08", 1, "劳动节 调休上班（星期六）" },
	{ "2021-06-14", 0, "端午节（星期一）" },
	{ "2021-09-18", 1, "中秋节 调休上班（星期六）" },
	{ "2021-09-20", 0, "中秋节（星期一）" },
	{ "2021-09-26", 1, "国庆节 调休上班（星期日）" },
	{ "2021-10-09", 1, "国庆节 调休上班（星期六）" },
	/* 2022 国办发明电〔2021〕11号 */
	{ "2022-01-03", 0, "元旦（星期一）" },
	{ "2022-01-29", 1, "春节 调休上班（星期六）" },
	{ "2022-01-30", 1, "春节 调休上班（星期日）" },
	{ "2022-01-31", 0, "除夕（星期一）" },
	{ "2022-04-02", 1, "清明节 调休上班（星期六）" },
	{ "2022-04-04", 0, "清明节（星期一）" },
	{ "2022-04-24", 1, "劳动节 调休上班（星期日）" },
	{ "2022-05-04", 0, "劳动节（星期三）" },
	{ "2022-05-07", 1, "劳动节 调休上班（星期六）" },
	{ "2022-06-03", 0, "端午节（星期五）" },
	{ "2022-09-12", 0, "中秋节（星期一）" },
	{ "2022-10-08", 1, "国庆节 调休上班（星期六）" },
	{ "2022-10-09", 1, "国庆节 调休上班（星期日）" },
	/* 2023 国办发明电〔2022〕16号, its 元旦 break starts in 2022 */
	{ "2022-12-31", 0, "2023年元旦（2022年的星期六）" },
	{ "2023-01-02", 0, "元旦（星期一）" },
	{ "2023-01-27", 0, "春节（星期五）" },
	{ "2023-01-28", 1, "春节 调休上班（星期六）" },
	{ "2023-01-29", 1, "春节 调休上班（星期日）" },
	{ "2023-04-05", 0, "清明节（星期三，只放一天）" },
	{ "2023-04-23", 1, "劳动节 调休上班（星期日）" },
	{ "2023-05-03", 0, "劳动节（星期三）" },
	{ "2023-05-06", 1, "劳动节 调休上班（星期六）" },
	{ "2023-06-23", 0, "端午节（星期五）" },
	{ "2023-06-25", 1, "端午节 调休上班（星期日）" },
	{ "2023-09-29", 0, "中秋国庆（星期五）" },
	{ "2023-10-06", 0, "中秋国庆（星期五）" },
	{ "2023-10-07", 1, "中秋国庆 调休上班（星期六）" },
	{ "2023-10-08", 1, "中秋国庆 调休上班（星期日）" },
	/* 2024 国办发明电〔2023〕7号 */
	{ "2024-01-01", 0, "元旦（星期一）" },
	{ "2024-02-04", 1, "春节 调休上班（星期日）" },
	{ "2024-02-09", 1, "除夕（星期五）照常上班" },
	{ "2024-02-16", 0, "春节（星期五）" },
	{ "2024-02-18", 1, "春节 调休上班（星期日）" },
	{ "2024-04-05", 0, "清明节（星期五）" },
	{ "2024-04-07", 1, "清明节 调休上班（星期日）" },
	{ "2024-04-28", 1, "劳动节 调休上班（星期日）" },
	{ "2024-05-03", 0, "劳动节（星期五）" },
	{ "2024-05-11", 1, "劳动节 调休上班（星期六）" },
	{ "2024-06-10", 0, "端午节（星期一）" },
	{ "2024-09-14", 1, "中秋节 调休上班（星期六）" },
	{ "2024-09-16", 0, "中秋节（星期一）" },
	{ "2024-09-29", 1, "国庆节 调休上班（星期日）" },
	{ "2024-10-12", 1, "国庆节 调休上班（星期六）" },
	/* 2025 国办发明电〔2024〕12号 (春节, 劳动节 one day longer) */
	{ "2025-01-01", 0, "元旦（星期三）" },
	{ "2025-01-26", 1, "春节 调休上班（星期日）" },
	{ "2025-01-28", 0, "除夕（星期二）" },
	{ "2025-02-04", 0, "春节（星期二）" },
	{ "2025-02-08", 1, "春节 调休上班（星期六）" },
	{ "2025-04-04", 0, "清明节（星期五）" },
	{ "2025-04-27", 1, "劳动节 调休上班（星期日）" },
	{ "2025-05-05", 0, "劳动节（星期一）" },
	{ "2025-06-02", 0, "端午节（星期一）" },
	{ "2025-09-28", 1, "国庆中秋 调休上班（星期日）" },
	{ "2025-10-08", 0, "国庆中秋（星期三）" },
	{ "2025-10-11", 1, "国庆中秋 调休上班（星期六）" },
	/* 2026 国办发明电〔2025〕7号 (新华社 2025-11-04 全文) */
	{ "2026-01-02", 0, "元旦（星期五）" },
	{ "2026-01-04", 1, "元旦 调休上班（星期日）" },
	{ "2026-01-05", 1, "元旦后第一个工作日（星期一）" },
	{ "2026-02-14", 1, "春节 调休上班（星期六）" },
	{ "2026-02-16", 0, "除夕（星期一）" },
	{ "2026-02-23", 0, "春节（星期一）" },
	{ "2026-02-24", 1, "春节后第一个工作日（星期二）" },
	{ "2026-02-28", 1, "春节 调休上班（星期六）" },
	{ "2026-04-06", 0, "清明节（星期一）" },
	{ "2026-05-05", 0, "劳动节（星期二）" },
	{ "2026-05-09", 1, "劳动节 调休上班（星期六）" },
	{ "2026-06-19", 0, "端午节（星期五）" },
	{ "2026-09-20", 1, "国庆节 调休上班（星期日）" },
	{ "2026-09-25", 0, "中秋节（星期五）" },
	{ "2026-10-07", 0, "国庆节（星期三）" },
	{ "2026-10-08", 1, "国庆节后第一个工作日（星期四）" },
	{ "2026-10-10", 1, "国庆节 调休上班（星期六）" },
	/* ordinary days */
	{ "2017-07-03", 1, "通知日期（星期一）" },
	{ "2017-07-08", 0, "普通星期六" },
	{ "2017-07-09", 0, "普通星期日" },
};

static void test_tricky_days(void **state)
{
	kp_calendar *c = cal();
	kp_err e;
	(void)state;
	for (size_t i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++) {
		int w = kp_calendar_workday(c, day(tricky[i].day), &e);
		if (w != tricky[i].work)
			fail_msg("%s %s: got %d, want %d", tricky[i].day,
				 tricky[i].why, w, tricky[i].work);
	}
	kp_calendar_free(c);
}

/* start + n working days = want: the weeks around each break */
static const struct {
	const char *start;
	int n;
	const char *want;
} adds[] = {
	{ "2016-02-05", 1, "2016-02-06" },  /* Friday → 调休 Saturday */
	{ "2016-02-06", 1, "2016-02-14" },  /* across 春节 to 调休 Sunday */
	{ "2016-09-30", 1, "2016-10-08" },
	{ "2017-01-26", 1, "2017-02-03" },
	{ "2017-09-29", 1, "2017-09-30" },
	{ "2017-09-29", 2, "2017-10-09" },
	{ "2017-07-03", 30, "2017-08-14" }, /* the notice's 30 个工作日 */
	{ "2018-02-14", 1, "2018-02-22" },
	{ "2018-12-28", 1, "2018-12-29" },  /* 2019's notice, in 2018 */
	{ "2018-12-28", 2, "2019-01-02" },
	{ "2019-04-30", 1, "2019-05-05" },
	{ "2020-01-23", 1, "2020-02-03" },  /* the extended Spring Festival */
	{ "2020-09-30", 1, "2020-10-09" },
	{ "2021-09-17", 1, "2021-09-18" },
	{ "2021-09-18", 1, "2021-09-22" },
	{ "2022-01-28", 1, "2022-01-29" },
	{ "2022-01-30", 1, "2022-02-07" },
	{ "2023-09-28", 1, "2023-10-07" },
	{ "2024-02-08", 1, "2024-02-09" },
	{ "2024-02-09", 1, "2024-02-18" },
	{ "2025-01-27", 1, "2025-02-05" },
	{ "2025-04-30", 1, "2025-05-06" },
	{ "2025-09-30", 1, "2025-10-09" },
	{ "2026-02-13", 1, "2026-02-14" },
	{ "2026-02-14", 1, "2026-02-24" },
	{ "2026-09-30", 1, "2026-10-08" },
};

static void test_add_workdays(void **state)
{
	kp_calendar *c = cal();
	kp_err e;
	char b[16];
	(void)state;
	for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++) {
		int got;
		if (kp_calendar_add_workdays(c, day(adds[i].start), adds[i].n,
					     &got, &e) < 0)
			fail_msg("%s + %d: %s", adds[i].start, adds[i].n, e.msg);
		if (strcmp(kp_day_str(got, b), adds[i].want))
			fail_msg("%s + %d working days: got %s, want %s",
				 adds[i].start, adds[i].n, b, adds[i].want);
	}
	kp_calendar_free(c);
}

/* Weekday holidays minus 调休 working weekends = the statutory days off
 * that fall on weekdays: 11 a year under the 2013 rules, 13 from 2025. */
static void test_year_totals(void **state)
{
	kp_calendar *c = cal();
	kp_err e;
	(void)state;
	assert_int_equal(kp_calendar_first_year(c), 2016);
	assert_int_equal(kp_calendar_last_year(c), 2026);
	for (int y = 2016; y <= 2026; y++) {
		int off = 0, want = y >= 2025 || y == 2020 ? 13 : 11;
		int d0 = kp_day_from_ymd(y, 1, 1), d1 = kp_day_from_ymd(y, 12, 31);
		for (int d = d0; d <= d1; d++) {
			int w = kp_calendar_workday(c, d, &e);
			bool weekday = kp_day_weekday(d) < 6;
			assert_true(w >= 0);
			if (weekday && !w)
				off++;
			if (!weekday && w)
				off--;
		}
		/* 2019's New Year break reaches into 2018 (12-29 调休上班,
		 * 12-31 off): the two cancel out in 2018's count. */
		if (off != want)
			fail_msg("%d: %d weekday days off net, want %d", y, off,
				 want);
	}
	kp_calendar_free(c);
}

static void test_notices(void **state)
{
	kp_calendar *c = cal();
	(void)state;
	for (int y = 2016; y <= 2026; y++) {
		char want[128];
		const char *n = kp_calendar_notice(c, y);
		snprintf(want, sizeof(want), "国务院办公厅关于%d年部分节假日安排的通知", y);
		assert_non_null(n);
		if (!strstr(n, want) || !strstr(n, "国办发明电"))
			fail_msg("%d: notice %s", y, n);
	}
	assert_non_null(strstr(kp_calendar_notice(c, 2017), "国办发明电〔2016〕17号"));
	assert_non_null(strstr(kp_calendar_notice(c, 2020), "延长2020年春节假期"));
	assert_non_null(strstr(kp_calendar_notice(c, 2019), "调整2019年劳动节"));
	/* the numbers checked against the published notices */
	assert_non_null(strstr(kp_calendar_notice(c, 2019), "国办发明电〔2019〕3号"));
	assert_null(strstr(kp_calendar_notice(c, 2019), "国办发明电〔2019〕2号"));
	assert_non_null(strstr(kp_calendar_notice(c, 2023), "国办发明电〔2022〕16号"));
	assert_non_null(strstr(kp_calendar_notice(c, 2026), "国办发明电〔2025〕7号"));
	for (int y = 2016; y <= 2026; y++)
		if (strstr(kp_calendar_notice(c, y), "待核"))
			fail_msg("%d: still 待核: %s", y, kp_calendar_notice(c, y));
	assert_null(kp_calendar_notice(c, 2027));
	kp_calendar_free(c);
}

static void test_beyond(void **state)
{
	kp_calendar *c = cal();
	kp_err e;
	int out;
	(void)state;
	assert_int_equal(kp_calendar_workday(c, day("2027-01-04"), &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "2016—2026"));
	assert_non_null(strstr(e.msg, "2027-01-04"));
	assert_int_equal(kp_calendar_workday(c, day("2015-12-31"), &e), -1);
	assert_non_null(strstr(e.msg, "早于"));
	/* counting across the end fails; it never guesses */
	assert_int_equal(kp_calendar_add_workdays(c, day("2026-12-20"), 30,
						  &out, &e), -1);
	assert_non_null(strstr(e.msg, "2027-01-01"));
	assert_int_equal(kp_calendar_add_workdays(c, day("2026-12-01"), 5,
						  &out, &e), 0);
	kp_calendar_free(c);
}

static void parse_fails(const char *csv, const char *want)
{
	kp_calendar *c = NULL;
	kp_err e;
	if (kp_calendar_parse("cal.csv", csv, strlen(csv), &c, &e) == 0) {
		kp_calendar_free(c);
		fail_msg("accepted: %s", csv);
	}
	if (!strstr(e.msg, want))
		fail_msg("message %s lacks %s", e.msg, want);
}

#define HEAD "#meta,format,kaoping-calendar/1\n#meta,first,2017\n#meta,last,2017\n"
#define NOTICE "#notice,2017,国办发明电〔2016〕17号,国务院办公厅关于2017年部分节假日安排的通知\n"

static void test_parse_errors(void **state)
{
	kp_calendar *c;
	kp_err e;
	const char *ok = HEAD NOTICE "date,kind,holiday\n2017-10-02,休,国庆节\n";
	(void)state;
	assert_int_equal(kp_calendar_parse("cal.csv", ok, strlen(ok), &c, &e), 0);
	assert_int_equal(kp_calendar_workday(c, day("2017-10-02"), &e), 0);
	kp_calendar_free(c);
	parse_fails(HEAD NOTICE "date,kind\n2017-10-09,班\n",
		    "cal.csv:6: 2017-10-09 是星期一");
	parse_fails(HEAD NOTICE "date,kind\n2017-02-30,休\n", "cal.csv:6: 日期");
	parse_fails(HEAD NOTICE "date,kind\n2017-10-02,放\n", "cal.csv:6: kind");
	parse_fails(HEAD NOTICE "date,kind\n2017-10-02,休\n2017-10-02,休\n",
		    "列了两次");
	parse_fails(HEAD "date,kind\n2017-10-02,休\n", "2017 年没有 #notice");
	parse_fails(HEAD NOTICE "date,kind\n2019-10-02,休\n", "不在日历年度");
	parse_fails(HEAD NOTICE "date,kind,colour\n", "未知列名“colour”");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_tricky_days),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_year_totals),
		cmocka_unit_test(test_notices),
		cmocka_unit_test(test_beyond),
		cmocka_unit_test(test_parse_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
