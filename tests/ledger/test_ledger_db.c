/* The ledgers in the store (ledger.h section 3, store.h "ledgers"), on
 * SQLite (a file in a temp dir) and on PostgreSQL (a fresh database per
 * test on the server KP_TEST_PG names; skipped without it, except under
 * CI): a ledger folder imported and exported comes back byte for byte;
 * rows added through the store are checked and kept; a stale writer, a
 * folder that is not the store's continuation and a row with cells
 * beyond its header are refused with nothing written; the units of a
 * round keep their registry's websites. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "store/store.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SAMPLE "data/ledger/sample-2016"

static bool on_pg;
static char tmpdir[] = "/tmp/kp-ledger-db-XXXXXX";
static int counter;

struct fix {
	char conn[512];
	char dbname[64];
	kp_store *s;
	kp_info_rules *r;
};

static int admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("KP_TEST_PG"));
	PGresult *r;
	int ok;
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "KP_TEST_PG: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

/* A fresh store: a new file, or a new PostgreSQL database. */
static kp_store *fresh(struct fix *f, char *conn, char *dbname)
{
	kp_store *s;
	kp_err e;
	counter++;
	if (on_pg) {
		char sql[128];
		snprintf(dbname, 64, "kp_ltest_%d_%d", (int)getpid(), counter);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
		if (admin(sql) < 0)
			return NULL;
		snprintf(conn, 512, "%s dbname=%s", getenv("KP_TEST_PG"),
			 dbname);
	} else {
		snprintf(conn, 512, "%s/t%d.db", tmpdir, counter);
	}
	(void)f;
	if (kp_store_open(conn, KP_STORE_CREATE, &s, &e) < 0) {
		fprintf(stderr, "open %s: %s\n", conn, e.msg);
		return NULL;
	}
	return s;
}

static void drop(const char *dbname)
{
	char sql[128];
	if (!on_pg || !*dbname)
		return;
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 dbname);
	admin(sql);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	kp_err e;
	f->s = fresh(f, f->conn, f->dbname);
	if (!f->s || kp_info_rules_open(NULL, &f->r, &e) < 0) {
		kp_store_close(f->s);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	kp_store_close(f->s);
	drop(f->dbname);
	kp_info_rules_free(f->r);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static char *slurp(const char *path)
{
	kp_buf b = KP_BUF_INIT;
	kp_err e;
	b.max = (size_t)64 << 20;
	if (kp_read_file(path, b.max, &b, &e) < 0)
		fail_msg("%s", e.msg);
	if (!b.data)
		return kp_xstrdup("");
	return b.data;
}

static void assert_same_file(const char *a, const char *b)
{
	char *x = slurp(a), *y = slurp(b);
	if (strcmp(x, y))
		fail_msg("%s 与 %s 不同", a, b);
	free(x);
	free(y);
}

static char *path_in(const char *name)
{
	kp_buf b = KP_BUF_INIT;
	kp_buf_addf(&b, "%s/%s-%d", tmpdir, name, ++counter);
	return b.data;
}

static void write_text(const char *path, const char *text)
{
	kp_err e;
	if (kp_write_atomic(path, text, strlen(text), &e) < 0)
		fail_msg("%s", e.msg);
}

static int64_t rows_of(kp_store *s, const char *table, const char *key)
{
	int64_t n = -1;
	kp_err e;
	if (kp_store_ledger_count(s, table, key, &n, &e) < 0)
		fail_msg("%s", e.msg);
	return n;
}

/* ---- 政务信息 ---- */

/* The sample folder into the store and out again: the same bytes. */
static void test_info_roundtrip(void **state)
{
	struct fix *f = *state;
	char *out = path_in("info-out"), sub[600], adopt[600];
	size_t ns, na;
	kp_err e;
	if (kp_info_db_import(f->s, SAMPLE, f->r, "测试员", &ns, &na, &e) < 0)
		fail_msg("%s", e.msg);
	/* the sample's README: 5 units; its files' rows */
	assert_int_equal(rows_of(f->s, "info_submissions", ""), (int64_t)ns);
	assert_int_equal(rows_of(f->s, "info_adoptions", ""), (int64_t)na);
	assert_true(ns > 100);
	assert_true(na > 10);
	if (kp_info_db_export(f->s, out, f->r, &ns, &na, &e) < 0)
		fail_msg("%s", e.msg);
	snprintf(sub, sizeof(sub), "%s/submissions.csv", out);
	snprintf(adopt, sizeof(adopt), "%s/adoptions.csv", out);
	assert_same_file(SAMPLE "/submissions.csv", sub);
	assert_same_file(SAMPLE "/adoptions.csv", adopt);
	/* exporting over it again is refused, the files untouched */
	assert_int_equal(kp_info_db_export(f->s, out, f->r, &ns, &na, &e), -1);
	assert_non_null(strstr(e.msg, "已存在，不覆盖"));
	assert_same_file(SAMPLE "/submissions.csv", sub);
	/* importing the same folder again adds nothing */
	if (kp_info_db_import(f->s, SAMPLE, f->r, "测试员", &ns, &na, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(ns, 0);
	assert_int_equal(na, 0);
	free(out);
}

/* Rows added through the store are checked as the files' rows, kept,
 * and read back; the statistics are the folder's. */
static void test_info_add_through_store(void **state)
{
	struct fix *f = *state;
	kp_info_ledger *l = NULL, *again = NULL, *folder = NULL;
	const char *kv[] = { "unit", "东区", "date", "2016-07-05", "title",
			     "东区召开防汛工作会议，部署“七下八上”", "category",
			     "工作动态", "note", "含逗号,与\"引号\"", NULL };
	const char *bad[] = { "unit", "没有这个单位", "date", "2016-07-05",
			      "title", "x", NULL };
	kp_info_period p;
	kp_info_stats a, b;
	size_t ns, na;
	kp_err e;
	char *out = path_in("info-add");
	assert_int_equal(kp_info_db_import(f->s, SAMPLE, f->r, "测试员", &ns,
					   &na, &e), 0);
	assert_int_equal(kp_info_load_db(f->s, f->r, &l, &e), 0);
	assert_int_equal(kp_info_nsubmissions(l), ns);
	assert_int_equal(kp_info_add(l, bad, &e), -1);
	assert_non_null(strstr(e.msg, "没有这个单位"));
	assert_int_equal(kp_info_add(l, kv, &e), 0);
	assert_int_equal(kp_info_save_db(l, f->s, "测试员", &e), 0);
	assert_int_equal(rows_of(f->s, "info_submissions", ""), (int64_t)ns + 1);
	assert_int_equal(kp_info_load_db(f->s, f->r, &again, &e), 0);
	assert_int_equal(kp_info_nsubmissions(again), ns + 1);
	/* out to a folder and read as a folder: the same statistics */
	assert_int_equal(kp_info_db_export(f->s, out, f->r, &ns, &na, &e), 0);
	assert_int_equal(kp_info_load(out, f->r, &folder, &e), 0);
	assert_int_equal(kp_info_period_parse("2016", &p, &e), 0);
	assert_int_equal(kp_info_stats_compute(again, &p, "东区", &a, &e), 0);
	assert_int_equal(kp_info_stats_compute(folder, &p, "东区", &b, &e), 0);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.v[0].submitted, b.v[0].submitted);
	assert_int_equal(a.v[0].city_adoptions, b.v[0].city_adoptions);
	kp_info_stats_release(&a);
	kp_info_stats_release(&b);
	kp_info_free(l);
	kp_info_free(again);
	kp_info_free(folder);
	free(out);
}

/* Two writers from the same state: the second is refused whole. */
static void test_info_stale_writer(void **state)
{
	struct fix *f = *state;
	kp_info_ledger *a = NULL, *b = NULL;
	const char *r1[] = { "unit", "东区", "date", "2016-07-05", "title",
			     "甲", NULL };
	const char *r2[] = { "unit", "西区", "date", "2016-07-06", "title",
			     "乙", NULL };
	kp_err e;
	assert_int_equal(kp_info_load_db(f->s, f->r, &a, &e), 0);
	assert_int_equal(kp_info_load_db(f->s, f->r, &b, &e), 0);
	assert_int_equal(kp_info_add(a, r1, &e), 0);
	assert_int_equal(kp_info_add(b, r2, &e), 0);
	assert_int_equal(kp_info_save_db(a, f->s, "甲", &e), 0);
	assert_int_equal(kp_info_save_db(b, f->s, "乙", &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "有人同时修改了台账"));
	assert_int_equal(rows_of(f->s, "info_submissions", ""), 1);
	kp_info_free(a);
	kp_info_free(b);
}

/* A folder that is not the store's continuation: nothing imported. */
static void test_info_not_continuation(void **state)
{
	struct fix *f = *state;
	char *dir = path_in("info-other"), sub[600];
	size_t ns, na;
	kp_err e;
	int64_t before;
	assert_int_equal(kp_info_db_import(f->s, SAMPLE, f->r, "测试员", &ns,
					   &na, &e), 0);
	before = rows_of(f->s, "info_submissions", "");
	assert_int_equal(before, (int64_t)ns);
	mkdir(dir, 0755);
	snprintf(sub, sizeof(sub), "%s/submissions.csv", dir);
	write_text(sub, "id,unit,date,title,category,urgent,request,due,false_info,note\n"
			"1,东区人民政府,2016-01-04,别的标题,工作动态,,,,,\n");
	assert_int_equal(kp_info_db_import(f->s, dir, f->r, "测试员", &ns, &na,
					   &e), -1);
	assert_non_null(strstr(e.msg, "不是库中台账的延续"));
	assert_int_equal(rows_of(f->s, "info_submissions", ""), before);
	/* a bad row in the folder refuses the whole folder */
	write_text(sub, "id,unit,date,title,category,urgent,request,due,false_info,note\n"
			"1,没有这个单位,2016-01-04,标题,工作动态,,,,,\n");
	assert_int_equal(kp_info_db_import(f->s, dir, f->r, "测试员", &ns, &na,
					   &e), -1);
	assert_non_null(strstr(e.msg, "submissions.csv:2: 单位“没有这个单位”不在单位名录中"));
	assert_int_equal(rows_of(f->s, "info_submissions", ""), before);
	free(dir);
}

/* A sheet row with a cell beyond its header: refused naming its line. */
static void test_info_extra_cell(void **state)
{
	struct fix *f = *state;
	kp_info_ledger *l = NULL;
	kp_sheet *sh = NULL;
	kp_sheet_opts o = { 0, 0, 0 };
	static const char csv[] = "单位,报送日期,标题\n"
				  "东区,2016-07-05,第一条\n"
				  "西区,2016-07-06,第二条,多出的一格\n";
	size_t added = 99;
	kp_err e;
	assert_int_equal(kp_info_load(NULL, f->r, &l, &e), 0);
	assert_int_equal(kp_sheet_parse("extra.csv", csv, sizeof(csv) - 1, &o,
					&sh, &e), 0);
	assert_int_equal(kp_info_import(l, sh, &added, &e), -1);
	assert_string_equal(e.msg, "extra.csv:3: 第 4 列“多出的一格”在表头之外（表头只有 3 列）：补上表头或删去这一格");
	assert_int_equal(kp_info_nsubmissions(l), 0);
	kp_sheet_free(sh);
	kp_info_free(l);
}

/* ---- task progress ---- */

static int key_of(void *ctx, const char *ledger, int64_t rows, kp_err *e)
{
	(void)e;
	kp_buf_addf(ctx, "%s=%lld;", ledger, (long long)rows);
	return 0;
}

static const char progress_csv[] =
	"序号,单位,日期,状态,说明,证据\n"
	"9,市财政局,2017-07-20,推进中,正在梳理收费目录清单,\n"
	"9,财政局,2017-07-28,已完成,\"已在门户网站公布,见专栏\",http://www.panzhihua.gov.cn/zwgk/sfqd/\n"
	"8,市地税局,2017-07-15,推进中,专栏建设中,\n";

/* A progress file written by kaoping (an import, an event, another
 * import), into the store and out again: the same bytes. */
static void test_tasks_roundtrip(void **state)
{
	struct fix *f = *state;
	kp_tasks *plan = NULL;
	kp_tledger *l = NULL, *dl = NULL;
	kp_sheet *sh = NULL;
	kp_sheet_opts o = { 0, 0, 0 };
	char *file = path_in("progress.csv"), *out = path_in("export.csv");
	static const char more[] = "序号,单位,日期,状态\nN1,米易县,2017-08-10,已完成\n";
	size_t added, rows;
	kp_err e;
	assert_int_equal(kp_tasks_open(NULL, &plan, &e), 0);
	assert_int_equal(kp_tledger_load(file, plan, &l, &e), 0);
	assert_int_equal(kp_sheet_parse("p.csv", progress_csv,
					sizeof(progress_csv) - 1, &o, &sh, &e), 0);
	assert_int_equal(kp_tledger_import(l, sh, &added, &e), 0);
	kp_sheet_free(sh);
	assert_int_equal(kp_tledger_save(l, &e), 0);
	assert_int_equal(kp_tledger_add_event(l, "国家指导意见印发",
					      kp_day_from_ymd(2017, 12, 25),
					      "国办发〔2017〕94号", &e), 0);
	assert_int_equal(kp_sheet_parse("m.csv", more, sizeof(more) - 1, &o,
					&sh, &e), 0);
	assert_int_equal(kp_tledger_import(l, sh, &added, &e), 0);
	kp_sheet_free(sh);
	assert_int_equal(kp_tledger_save(l, &e), 0);
	kp_tledger_free(l);

	assert_int_equal(kp_tledger_db_import(f->s, file, plan, "测试员", &added,
					      &e), 0);
	assert_int_equal(added, 5);
	assert_int_equal(rows_of(f->s, "task_progress", "pzh2017-tasks"), 5);
	{
		kp_buf keys = KP_BUF_INIT;
		assert_int_equal(kp_store_ledgers_each(f->s, "task_progress",
						       key_of, &keys, &e), 0);
		assert_string_equal(keys.data, "pzh2017-tasks=5;");
		kp_buf_release(&keys);
	}
	assert_int_equal(kp_tledger_db_export(f->s, out, plan, &rows, &e), 0);
	assert_int_equal(rows, 5);
	assert_same_file(file, out);

	/* read back: the event's date counts, the entries are there */
	assert_int_equal(kp_tledger_load_db(f->s, plan, &dl, &e), 0);
	assert_int_equal(dl->n, 4);
	assert_int_equal(kp_tledger_event(dl, "国家指导意见印发"),
			 kp_day_from_ymd(2017, 12, 25));
	/* a duplicate through the store is refused as in the file */
	assert_int_equal(kp_sheet_parse("d.csv", more, sizeof(more) - 1, &o,
					&sh, &e), 0);
	assert_int_equal(kp_tledger_import(dl, sh, &added, &e), -1);
	if (!strstr(e.msg, "重复：第N1项、米易县人民政府、2017-08-10、已完成 已在台账")
	    || !strstr(e.msg, "（task_progress 表，方案 pzh2017-tasks） 第5行"))
		fail_msg("%s", e.msg);
	kp_sheet_free(sh);
	kp_tledger_free(dl);
	/* the same file again adds nothing; another plan's ledger is apart */
	assert_int_equal(kp_tledger_db_import(f->s, file, plan, "测试员", &added,
					      &e), 0);
	assert_int_equal(added, 0);
	assert_int_equal(rows_of(f->s, "task_progress", "ak2020-reports"), 0);
	kp_tasks_free(plan);
	free(file);
	free(out);
}

static void test_tasks_extra_cell(void **state)
{
	struct fix *f = *state;
	kp_tasks *plan = NULL;
	kp_tledger *l = NULL;
	kp_sheet *sh = NULL;
	kp_sheet_opts o = { 0, 0, 0 };
	static const char csv[] = "序号,单位,日期,状态\n"
				  "9,市财政局,2017-07-20,推进中\n"
				  "8,市地税局,2017-07-15,推进中,,专栏建设中\n";
	size_t added;
	kp_err e;
	(void)f;
	assert_int_equal(kp_tasks_open(NULL, &plan, &e), 0);
	l = kp_tledger_new("(内存)", plan);
	assert_int_equal(kp_sheet_parse("t.csv", csv, sizeof(csv) - 1, &o, &sh,
					&e), 0);
	assert_int_equal(kp_tledger_import(l, sh, &added, &e), -1);
	assert_string_equal(e.msg, "t.csv:3: 第 6 列“专栏建设中”在表头之外（表头只有 4 列）：补上表头或删去这一格");
	assert_int_equal(l->n, 0);
	kp_sheet_free(sh);
	kp_tledger_free(l);
	kp_tasks_free(plan);
}

/* ---- units' websites ---- */

static int website_of(void *ctx, const kp_store_unit *u, kp_err *e)
{
	kp_buf *b = ctx;
	(void)e;
	kp_buf_addf(b, "%s=%s;", u->name, u->website);
	return 0;
}

static void test_unit_websites(void **state)
{
	struct fix *f = *state;
	static const char text[] =
		"#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,t1\n"
		"#meta,title,测试表\ncode,path,points,rule\n1,组织保障,10,judged\n";
	const char *names[] = { "东区人民政府", "市公安局" };
	const char *sites[] = { "http://www.dongqu.gov.cn/", "" };
	kp_round_spec sp = {
		.name = "r1", .period = "2016", .table_id = "t1",
		.table_source = "t1.csv", .table_title = "测试表",
		.table_text = text, .registry = "pzh-units", .author = "测试员",
		.unit_names = names, .nunits = 2, .unit_websites = sites,
	};
	kp_buf b = KP_BUF_INIT;
	int64_t id;
	kp_err e;
	assert_int_equal(kp_store_round_new(f->s, &sp, &id, &e), 0);
	assert_int_equal(kp_store_units_each(f->s, id, website_of, &b, &e), 0);
	assert_string_equal(b.data, "东区人民政府=http://www.dongqu.gov.cn/;市公安局=;");
	kp_buf_release(&b);
}

static void pg_unavailable(void **state)
{
	(void)state;
	if (getenv("CI"))
		fail_msg("KP_TEST_PG 未设置：CI 中 PostgreSQL 测试必须运行");
	print_message("PostgreSQL 测试跳过：KP_TEST_PG 未设置\n");
	skip();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_info_roundtrip),
		T(test_info_add_through_store),
		T(test_info_stale_writer),
		T(test_info_not_continuation),
		T(test_info_extra_cell),
		T(test_tasks_roundtrip),
		T(test_tasks_extra_cell),
		T(test_unit_websites),
	};
	const struct CMUnitTest pg_missing[] = {
		cmocka_unit_test(pg_unavailable),
	};
	int failed = 0;
	char cmd[80];
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	on_pg = false;
	failed += cmocka_run_group_tests_name("ledger-db/sqlite", tests, NULL,
					      NULL);
	on_pg = true;
	if (getenv("KP_TEST_PG") && *getenv("KP_TEST_PG"))
		failed += cmocka_run_group_tests_name("ledger-db/postgresql",
						      tests, NULL, NULL);
	else
		failed += cmocka_run_group_tests_name("ledger-db/postgresql",
						      pg_missing, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return failed ? 1 : 0;
}
