/* Unit tests of src/inspect/facts.c: an inspection's findings as facts of
 * gov2019-web-check through data/inspect/facts-map.csv (and through maps
 * given as files, good and bad). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "inspect/inspect.h"
#include "score/score.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define H "http://www.example.gov.cn/"

/* An inspection as kp_inspect_result_json writes it, cut to what matters. */
static const char inspection[] =
	"{\"site\": \"" H "\", \"homepage\": {\"url\": \"" H "\", \"final_url\": null},"
	" \"columns\": ["
	"  {\"name\": \"要闻动态\", \"url\": \"" H "ywdt/\", \"class\": \"动态要闻\"},"
	"  {\"name\": \"通知公告\", \"url\": \"" H "tzgg/\", \"class\": \"通知公告\"},"
	"  {\"name\": \"人事信息\", \"url\": \"" H "rsxx/\", \"class\": \"人事信息\"},"
	"  {\"name\": \"政策文件\", \"url\": \"" H "zcwj/\", \"class\": \"政策文件\"}],"
	" \"dead_links\": ["
	"  {\"url\": \"" H "a.png\", \"kind\": \"image\", \"found_on\": [\"" H "\"]},"
	"  {\"url\": \"" H "b.html\", \"kind\": \"page\", \"found_on\": [\"" H "tzgg/\"]},"
	"  {\"url\": \"" H "c.doc\", \"kind\": \"attachment\", \"found_on\": [\"" H "tzgg/\", \"" H "\"]},"
	"  {\"url\": \"" H "d.html\", \"kind\": \"page\", \"found_on\": [\"" H "\"]}],"
	" \"findings\": ["
	"  {\"check\": \"homepage.updated\", \"severity\": \"否决\", \"message\": \"首页 30 天未更新\","
	"   \"evidence\": {\"url\": \"" H "\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"column.updated\", \"severity\": \"严重\", \"message\": \"要闻动态未更新\","
	"   \"evidence\": {\"url\": \"" H "ywdt/\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"column.updated\", \"severity\": \"严重\", \"message\": \"通知公告未更新\","
	"   \"evidence\": {\"url\": \"" H "tzgg/\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"column.updated\", \"severity\": \"严重\", \"message\": \"人事信息未更新\","
	"   \"evidence\": {\"url\": \"" H "rsxx/\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"column.updated\", \"severity\": \"严重\", \"message\": \"政策文件未更新\","
	"   \"evidence\": {\"url\": \"" H "zcwj/\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"links.dead\", \"severity\": \"严重\", \"message\": \"死链 a\","
	"   \"evidence\": {\"url\": \"" H "a.png\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"links.dead\", \"severity\": \"严重\", \"message\": \"死链 b\","
	"   \"evidence\": {\"url\": \"" H "b.html\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"links.dead\", \"severity\": \"严重\", \"message\": \"死链 c\","
	"   \"evidence\": {\"url\": \"" H "c.doc\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"links.dead\", \"severity\": \"一般\", \"message\": \"疑似死链 d\","
	"   \"evidence\": {\"url\": \"" H "d.html\", \"time\": \"2024-08-01\"}},"
	"  {\"check\": \"site.domain\", \"severity\": \"一般\", \"message\": \"域名\","
	"   \"evidence\": {\"url\": \"" H "\", \"time\": \"2024-08-01\"}}]}";

static void test_builtin_map(void **st)
{
	(void)st;
	kp_table *t;
	kp_facts fs = KP_FACTS_INIT;
	kp_err e;
	json_error_t je;
	json_t *j = json_loads(inspection, 0, &je);
	/* indicator, kind, evidence URL of each fact, in the findings' order */
	static const char *const want[][3] = {
		{ "3", "veto", H },
		/* only a 政策文件 column's staleness has its own row (7.1.1.1,
		 * 扣5分); 要闻动态, 通知公告 and 人事信息 give nothing */
		{ "7.1.1.1", "fail", H "zcwj/" },
		/* every confirmed dead link is one count of 功能设计/其他扣分 */
		{ "7.1.3.1", "fail", H "a.png" },
		{ "7.1.3.1", "fail", H "b.html" },
		{ "7.1.3.1", "fail", H "c.doc" },
	};   /* the suspected d.html and site.domain give nothing */
	assert_non_null(j);
	assert_int_equal(kp_table_open("gov2019-web-check", &t, &e), 0);
	assert_int_equal(kp_inspect_inspection_facts(j, t, "市民政局", NULL, &fs, &e), 0);
	assert_int_equal(fs.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < fs.n; i++) {
		const kp_fact *f = &fs.v[i];
		if (strcmp(f->indicator, want[i][0]) ||
		    strcmp(kp_fact_kind_name(f->kind), want[i][1]) ||
		    strcmp(f->url, want[i][2]))
			fail_msg("fact %zu: %s %s %s, want %s %s %s", i, f->indicator,
				 kp_fact_kind_name(f->kind), f->url, want[i][0],
				 want[i][1], want[i][2]);
		assert_string_equal(f->unit, "市民政局");
		assert_string_equal(f->table, "gov2019-web-check");
		assert_int_equal(f->source, KP_SRC_INSPECT);
		assert_string_equal(f->time, "2024-08-01");
		assert_int_equal(f->has_value, f->kind == KP_FACT_FAIL);
	}
	assert_string_equal(fs.v[0].note, "首页 30 天未更新");
	/* the facts are ones the table accepts */
	{
		kp_score_ctx c;
		kp_score_ctx_init(&c);
		assert_int_equal(kp_facts_check(t, &c, &fs, &e), 0);
		kp_score_ctx_release(&c);
	}
	kp_facts_release(&fs);
	kp_table_free(t);
	json_decref(j);
}

static char tmp[] = "/tmp/kp-facts-map-XXXXXX";

static const char *write_map(const char *text)
{
	static char path[128];
	FILE *f;
	snprintf(path, sizeof(path), "%s/map.csv", tmp);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_map_files(void **st)
{
	(void)st;
	kp_table *t;
	kp_facts fs = KP_FACTS_INIT;
	kp_err e;
	json_error_t je;
	json_t *j = json_loads(inspection, 0, &je);
	const char *p;
	assert_int_equal(kp_table_open("gov2019-web-check", &t, &e), 0);
	/* a map of its own: by path, every column but 动态要闻 and 人事信息 */
	p = write_map("# 注释\ncheck,kind,indicator,table,class\n"
		      "column.updated,fail,扣分指标/发布解读、互动交流、功能设计/发布解读/其他扣分,gov2019-web-check,!动态要闻、人事信息、政策文件\n"
		      "column.updated,fail,1,other-table,\n");
	assert_int_equal(kp_inspect_inspection_facts(j, t, "x", p, &fs, &e), 0);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.v[0].indicator, "7.1.1.2");
	assert_string_equal(fs.v[0].url, H "tzgg/");
	kp_facts_release(&fs);
	/* where: on the homepage (a.png, c.doc), only elsewhere (b.html),
	 * attachments (c.doc); the suspected d.html is left out by severity */
	{
		static const struct { const char *where, *urls; } w[] = {
			{ "home", H "a.png " H "c.doc " },
			{ "!home", H "b.html " },   /* c.doc is on the homepage too */
			{ "attachment", H "c.doc " },
		};
		for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
			char map[256], got[256] = "";
			snprintf(map, sizeof(map), "table,indicator,kind,check,severity,where\n"
				 "gov2019-web-check,7.1.3.1,fail,links.dead,严重,%s\n", w[i].where);
			p = write_map(map);
			assert_int_equal(kp_inspect_inspection_facts(j, t, "x", p, &fs, &e), 0);
			for (size_t k = 0; k < fs.n; k++) {
				strncat(got, fs.v[k].url, sizeof(got) - strlen(got) - 1);
				strncat(got, " ", sizeof(got) - strlen(got) - 1);
			}
			assert_string_equal(got, w[i].urls);
			kp_facts_release(&fs);
		}
	}
	/* what is wrong is named with its line */
	static const struct { const char *map, *want; } bad[] = {
		{ "table,indicator,kind,check\ngov2019-web-check,9.9,fail,links.dead\n",
		  "map.csv:2: 表 gov2019-web-check 中没有指标“9.9”" },
		{ "table,indicator,kind,check\ngov2019-web-check,3,score,links.dead\n",
		  "map.csv:2: kind 应为 veto（否决）或 fail（扣分）" },
		{ "table,indicator,kind,check\n\ngov2019-web-check,3,veto,links.deadd\n",
		  "map.csv:3: 没有名为“links.deadd”的检查" },
		{ "table,indicator,kind,check,where\ngov2019-web-check,3,veto,links.dead,首页\n",
		  "map.csv:2: where 应为" },
		{ "table,indicator,check\n", "map.csv:1: 表头缺少 kind 列" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = write_map(bad[i].map);
		assert_int_equal(kp_inspect_inspection_facts(j, t, "x", p, &fs, &e), -1);
		assert_int_equal(e.code, KP_EINPUT);
		if (!strstr(e.msg, bad[i].want))
			fail_msg("map %zu: '%s' lacks '%s'", i, e.msg, bad[i].want);
		assert_int_equal(fs.n, 0);
	}
	/* a map without rows for this table is not wrong (a round of several
	 * tables tries each): 1, nothing appended */
	p = write_map("table,indicator,kind,check\nother,3,veto,links.dead\n");
	assert_int_equal(kp_inspect_inspection_facts(j, t, "x", p, &fs, &e), 1);
	assert_int_equal(fs.n, 0);
	unlink(p);
	kp_table_free(t);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_map),
		cmocka_unit_test(test_map_files),
	};
	int r;
	if (!mkdtemp(tmp))
		return 1;
	r = cmocka_run_group_tests_name("inspect/facts", tests, NULL, NULL);
	rmdir(tmp);
	return r;
}
