/* The store suite, run against SQLite (a file in a temp dir) and against
 * PostgreSQL (a fresh database per test on the server KP_TEST_PG names, a
 * libpq "key=value" conninfo; tests/run.sh starts a throw-away cluster).
 * Without KP_TEST_PG the PostgreSQL group is skipped, except under CI
 * (CI set), where it fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "store/store_int.h"

#include <libpq-fe.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool on_pg;
static char tmpdir[] = "/tmp/kp-store-XXXXXX";
static int counter;

struct fix {
	char conn[512];
	char dbname[64];   /* PostgreSQL database to drop */
	kp_store *s;
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

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	kp_err e;
	counter++;
	if (on_pg) {
		char sql[128];
		snprintf(f->dbname, sizeof(f->dbname), "kp_test_%d_%d",
			 (int)getpid(), counter);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->dbname);
		if (admin(sql) < 0) {
			free(f);
			return -1;
		}
		snprintf(f->conn, sizeof(f->conn), "%s dbname=%s",
			 getenv("KP_TEST_PG"), f->dbname);
	} else {
		snprintf(f->conn, sizeof(f->conn), "%s/t%d.db", tmpdir, counter);
	}
	if (kp_store_open(f->conn, KP_STORE_CREATE, &f->s, &e) < 0) {
		fprintf(stderr, "open %s: %s\n", f->conn, e.msg);
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
	if (on_pg) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			 f->dbname);
		admin(sql);
	}
	free(f);
	return 0;
}

/* ---- helpers ---- */

static const char *const unit_names[] = { "东区人民政府", "西区人民政府",
					  "市公安局" };
static const char *const unit_types[] = { "县区", "县区", "市级部门" };
static const char *const unit_aliases[] = { "东区政府、东区", "西区政府、西区",
					    "公安局" };
static const char table_text[] =
	"#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,t1\n"
	"#meta,title,测试表\ncode,path,points,rule\n1,组织保障,10,judged\n";

static int64_t new_round(kp_store *s, const char *name)
{
	kp_round_spec sp = {
		.name = name, .period = "2016", .table_id = "t1",
		.table_source = "t1.csv", .table_title = "测试表",
		.table_text = table_text, .registry = "pzh-units",
		.author = "测试员", .unit_names = unit_names,
		.unit_types = unit_types, .unit_aliases = unit_aliases,
		.nunits = 3,
	};
	int64_t id = 0;
	kp_err e;
	int r = kp_store_round_new(s, &sp, &id, &e);
	if (r < 0)
		fprintf(stderr, "%s\n", e.msg);
	assert_int_equal(r, 0);
	assert_true(id > 0);
	return id;
}

static kp_fact mkfact(const char *unit, const char *ind, kp_fact_kind k,
		      int64_t n, int64_t d, kp_source src, size_t line)
{
	kp_fact f;
	memset(&f, 0, sizeof(f));
	f.unit = (char *)unit;
	f.indicator = (char *)ind;
	f.kind = k;
	f.name = (char *)"";
	f.value.n = n;
	f.value.d = d;
	f.has_value = d > 0;
	f.source = src;
	f.author = (char *)"张三";
	f.time = (char *)"2016-12-01";
	f.url = (char *)"";
	f.note = (char *)"";
	f.line = line;
	return f;
}

struct seen {
	int n;
	char units[8][64];
	kp_fact facts[8];
	char inds[8][32];
	char tabs[8][32];
	int64_t seqs[8];
};

static int collect(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	struct seen *s = ctx;
	(void)e;
	if (s->n < 8) {
		snprintf(s->units[s->n], 64, "%s", f->unit);
		snprintf(s->inds[s->n], 32, "%s", f->indicator);
		snprintf(s->tabs[s->n], 32, "%s", f->table);
		s->facts[s->n] = *f;
		s->seqs[s->n] = seq;
	}
	s->n++;
	return 0;
}

static int64_t nfacts(kp_store *s, const char *round)
{
	kp_round r;
	kp_err e;
	int64_t n;
	assert_int_equal(kp_store_round_get(s, round, &r, &e), 0);
	n = r.nfacts;
	kp_round_release(&r);
	return n;
}

static int count_audit(void *ctx, const kp_audit *a, kp_err *e)
{
	(void)a;
	(void)e;
	++*(int *)ctx;
	return 0;
}

/* ---- tests ---- */

static void test_migrations(void **state)
{
	struct fix *f = *state;
	kp_store *again;
	kp_err e;
	int v;
	assert_int_equal(kp_store_schema_version(f->s, &v, &e), 0);
	assert_int_equal(v, kp_store_schema_latest());
	assert_string_equal(kp_store_backend(f->s), on_pg ? "postgresql" : "sqlite");
	/* opening again applies nothing and keeps the version */
	assert_int_equal(kp_store_open(f->conn, 0, &again, &e), 0);
	assert_int_equal(kp_store_schema_version(again, &v, &e), 0);
	assert_int_equal(v, kp_store_schema_latest());
	kp_store_close(again);
	/* a database from a newer kaoping is refused */
	assert_true(f->s->ops->exec(f->s, "INSERT INTO schema_version (version, applied_at)"
					  " VALUES (999, 'x')", &e) == 0);
	assert_int_equal(kp_store_open(f->conn, 0, &again, &e), -1);
	assert_non_null(strstr(e.msg, "999"));
}

static void test_missing_sqlite_file(void **state)
{
	kp_store *s;
	kp_err e;
	char path[256];
	(void)state;
	snprintf(path, sizeof(path), "%s/absent.db", tmpdir);
	assert_int_equal(kp_store_open(path, 0, &s, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "数据库不存在"));
	assert_int_equal(access(path, F_OK), -1);
	/* and a file that is not a database */
	snprintf(path, sizeof(path), "%s/junk.db", tmpdir);
	FILE *fp = fopen(path, "w");
	fputs("this is not sqlite, just text long enough to be a header ....\n"
	      "more text more text more text more text more text\n", fp);
	fclose(fp);
	assert_int_equal(kp_store_open(path, 0, &s, &e), -1);
	assert_int_equal(e.code, KP_EIO);
}

static void test_round_new_get(void **state)
{
	struct fix *f = *state;
	kp_round r;
	kp_err e;
	kp_buf b = KP_BUF_INIT;
	char hash[17];
	int64_t id = new_round(f->s, "2016-t1");
	int64_t id2 = new_round(f->s, "2016-t1-b");
	assert_true(id2 > id);
	assert_int_equal(kp_store_round_get(f->s, "2016-t1", &r, &e), 0);
	assert_int_equal(r.id, id);
	assert_string_equal(r.period, "2016");
	assert_string_equal(r.table_id, "t1");
	assert_string_equal(r.table_source, "t1.csv");
	assert_string_equal(r.registry, "pzh-units");
	assert_string_equal(r.created_by, "测试员");
	assert_string_equal(r.table_hash,
			    kp_store_hash(table_text, strlen(table_text), hash));
	assert_int_equal(r.nunits, 3);
	assert_int_equal(r.nfacts, 0);
	assert_int_equal(r.scored_seq, -1);
	kp_round_release(&r);
	/* newest by default */
	assert_int_equal(kp_store_round_get(f->s, NULL, &r, &e), 0);
	assert_int_equal(r.id, id2);
	kp_round_release(&r);
	/* the scheme is stored once and its text comes back byte for byte */
	assert_int_equal(kp_store_round_table(f->s, id, 0, &b, &e), 0);
	assert_string_equal(b.data, table_text);
	kp_buf_release(&b);
	/* a name is unique */
	{
		kp_round_spec sp = { .name = "2016-t1", .period = "2016",
				     .table_id = "t1", .table_source = "t1",
				     .table_title = "x", .table_text = table_text,
				     .registry = "r", .author = "a" };
		assert_int_equal(kp_store_round_new(f->s, &sp, NULL, &e), -1);
		assert_int_equal(e.code, KP_EINPUT);
		assert_non_null(strstr(e.msg, "已有名为“2016-t1”的轮次"));
	}
	assert_int_equal(kp_store_round_get(f->s, "nope", &r, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "没有名为“nope”的轮次"));
}

static void test_facts_roundtrip(void **state)
{
	struct fix *f = *state;
	kp_err e;
	struct seen s = { 0 };
	int64_t id = new_round(f->s, "r");
	kp_fact v[3] = {
		mkfact("西区人民政府", "1", KP_FACT_SCORE, 15, 2, KP_SRC_ASSESSOR, 2),
		mkfact("东区人民政府", "1", KP_FACT_SCORE, 9, 1, KP_SRC_SELF, 3),
		mkfact("东区人民政府", "1", KP_FACT_VETO, 0, 0, KP_SRC_INSPECT, 4),
	};
	kp_facts fs = { v, 3, 3 };
	v[0].url = (char *)"http://example.gov.cn/a";
	v[0].note = (char *)"证据：截图";
	assert_int_equal(kp_store_facts_add(f->s, id, "f.csv", "李四", &fs, &e), 3);
	assert_int_equal(kp_store_facts_each(f->s, id, NULL, collect, &s, &e), 0);
	assert_int_equal(s.n, 3);
	/* grouped by unit in the round's order, seq order within */
	assert_string_equal(s.units[0], "东区人民政府");
	assert_string_equal(s.units[1], "东区人民政府");
	assert_string_equal(s.units[2], "西区人民政府");
	assert_true(s.seqs[0] < s.seqs[1]);
	assert_int_equal(s.facts[0].kind, KP_FACT_SCORE);
	assert_int_equal(s.facts[0].source, KP_SRC_SELF);
	assert_true(s.facts[0].has_value);
	assert_int_equal(s.facts[1].kind, KP_FACT_VETO);
	assert_int_equal(s.facts[1].source, KP_SRC_INSPECT);
	assert_false(s.facts[1].has_value);
	/* exact numbers: 7.5 stays 15/2 */
	assert_int_equal(s.facts[2].value.n, 15);
	assert_int_equal(s.facts[2].value.d, 2);
	assert_int_equal(s.facts[2].source, KP_SRC_ASSESSOR);
	assert_int_equal(s.facts[2].line, 2);
	/* one unit only */
	memset(&s, 0, sizeof(s));
	assert_int_equal(kp_store_facts_each(f->s, id, "西区人民政府", collect, &s, &e), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.inds[0], "1");
	/* a correction is a new fact; the old one stays in the history */
	{
		kp_fact c = mkfact("西区人民政府", "1", KP_FACT_SCORE, 8, 1,
				   KP_SRC_ASSESSOR, 2);
		kp_facts cs = { &c, 1, 1 };
		assert_int_equal(kp_store_facts_add(f->s, id, "fix.csv", "李四", &cs, &e), 1);
	}
	memset(&s, 0, sizeof(s));
	assert_int_equal(kp_store_facts_each(f->s, id, "西区人民政府", collect, &s, &e), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.facts[0].value.n, 15);
	assert_int_equal(s.facts[1].value.n, 8);
	assert_true(s.seqs[1] > s.seqs[0]);
	assert_int_equal(nfacts(f->s, "r"), 4);
	/* the history cannot be rewritten, even with SQL */
	assert_int_equal(f->s->ops->exec(f->s, "UPDATE facts SET num = 100", &e), -1);
	assert_int_equal(f->s->ops->exec(f->s, "DELETE FROM facts", &e), -1);
	assert_int_equal(f->s->ops->exec(f->s, "DELETE FROM audit", &e), -1);
	assert_int_equal(nfacts(f->s, "r"), 4);
}

/* A big batch with awkward text: on PostgreSQL the COPY path (several
 * flushes of its staging buffer, read back in several cursor chunks)
 * keeps every byte, NULL values, the order of the lines (seq follows
 * them) and the identity columns; on SQLite the same through INSERTs. */
struct bulk_seen {
	size_t n, bad_order, bad_text;
	int64_t last_seq;
	size_t last_line;
	int64_t sum;
};

#define BULK_N 30000
static const char bulk_note[] = "证据\t一\\行\n第二行\r\\N 结束";

static int bulk_collect(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	struct bulk_seen *b = ctx;
	(void)e;
	if (seq <= b->last_seq || (f->line && f->line <= b->last_line))
		b->bad_order++;
	b->last_seq = seq;
	b->last_line = f->line;
	if (f->line && (strncmp(f->note, bulk_note, strlen(bulk_note)) ||
			strcmp(f->period, "2016H1") || f->inspection != 0 ||
			strcmp(f->url, "http://x.gov.cn/a\tb")))
		b->bad_text++;
	if (f->has_value)
		b->sum += f->value.n;
	b->n++;
	return 0;
}

static void test_facts_bulk(void **state)
{
	struct fix *f = *state;
	kp_err e;
	kp_store_batch *b;
	struct bulk_seen seen = { 0 };
	char pad[401];
	kp_buf note = KP_BUF_INIT;
	int64_t id = new_round(f->s, "bulk");
	memset(pad, 'x', 400);
	pad[400] = '\0';
	kp_buf_adds(&note, bulk_note);
	kp_buf_adds(&note, pad);   /* ~13 MB in all: more than one flush */
	assert_int_equal(kp_store_batch_begin(f->s, id, "big.csv", "李四", &b, &e), 0);
	for (size_t i = 1; i <= BULK_N; i++) {
		kp_fact x = mkfact(i % 2 ? "东区人民政府" : "西区人民政府", "1",
				   i % 3 ? KP_FACT_SCORE : KP_FACT_VETO,
				   (int64_t)(i % 7), i % 3 ? 1 : 0,
				   KP_SRC_ASSESSOR, i);
		x.note = note.data;
		x.period = (char *)"2016H1";
		x.url = (char *)"http://x.gov.cn/a\tb";
		assert_int_equal(kp_store_batch_add(b, &x, &e), 0);
	}
	assert_int_equal(kp_store_batch_commit(b, &e), BULK_N);
	kp_buf_release(&note);
	assert_int_equal(nfacts(f->s, "bulk"), BULK_N);
	/* whole, in line order within each unit */
	assert_int_equal(kp_store_facts_each(f->s, id, "东区人民政府", bulk_collect,
					     &seen, &e), 0);
	assert_int_equal(seen.n, BULK_N / 2);
	assert_int_equal(seen.bad_order, 0);
	assert_int_equal(seen.bad_text, 0);
	/* the lean read (a cursor in chunks on PostgreSQL): every fact,
	 * each value; vetoes have none */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(kp_store_facts_each_part(f->s, id, 0, 1, KP_FACTS_LEAN,
						  bulk_collect, &seen, &e), 0);
	assert_int_equal(seen.n, BULK_N);
	assert_int_equal(seen.bad_order, 2 - 1);   /* the second unit starts
						     * over in seq */
	{
		int64_t want = 0;
		for (size_t i = 1; i <= BULK_N; i++)
			if (i % 3)
				want += (int64_t)(i % 7);
		assert_int_equal(seen.sum, want);
	}
}

/* The lean read (on PostgreSQL one COPY in text format, decoded here)
 * hands out the text it carries — name, indicator, period — byte for
 * byte: tab, newline, CR, backslash, a literal \N, and "" apart from
 * a NULL; numbers signed, and a fact without a value without one. */
struct lean_seen {
	size_t n;
	char names[32][64], periods[32][16];
	int64_t num[32];
	bool has[32];
	kp_fact_kind kind[32];
	kp_source source[32];
};

static int lean_collect(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	struct lean_seen *l = ctx;
	(void)seq;
	(void)e;
	if (l->n < 32) {
		snprintf(l->names[l->n], sizeof(l->names[0]), "%s", f->name);
		snprintf(l->periods[l->n], sizeof(l->periods[0]), "%s", f->period);
		l->num[l->n] = f->value.n;
		l->has[l->n] = f->has_value;
		l->kind[l->n] = f->kind;
		l->source[l->n] = f->source;
	}
	l->n++;
	return 0;
}

static void test_facts_lean_text(void **state)
{
	static const char *const names[3] = { "甲\t乙\\丙\n丁\r", "\\N", "" };
	struct fix *f = *state;
	struct lean_seen seen = { 0 };
	kp_fact v[3];
	kp_facts fs = { v, 3, 3 };
	kp_err e;
	int64_t id = new_round(f->s, "lean");
	for (size_t i = 0; i < 3; i++) {
		v[i] = mkfact("东区人民政府", "1", i == 2 ? KP_FACT_VETO : KP_FACT_SCORE,
			      i ? 7 : -3, i == 2 ? 0 : 2, KP_SRC_ASSESSOR, i + 1);
		v[i].name = (char *)names[i];
		v[i].period = (char *)(i == 1 ? "2016Q3" : "");
	}
	assert_int_equal(kp_store_facts_add(f->s, id, "lean.csv", "李四", &fs, &e), 3);
	assert_int_equal(kp_store_facts_each_part(f->s, id, 0, 1, KP_FACTS_LEAN,
						  lean_collect, &seen, &e), 0);
	assert_int_equal(seen.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(seen.names[i], names[i]);
	assert_string_equal(seen.periods[0], "");
	assert_string_equal(seen.periods[1], "2016Q3");
	assert_int_equal(seen.num[0], -3);
	assert_true(seen.has[0]);
	assert_int_equal(seen.num[1], 7);
	assert_false(seen.has[2]);
}

/* Every kind from every source comes back from the lean read as it went
 * in (on PostgreSQL a pack's one-letter kinds and sources, migration
 * 25), and so does a pack written before the letters, with the names
 * spelled out (packs stored before migration 25). */
static void lean_kinds_check(kp_store *s, int64_t id, const kp_fact *v,
			     size_t n)
{
	struct lean_seen seen;
	kp_err e;
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(kp_store_facts_each_part(s, id, 0, 1, KP_FACTS_LEAN,
						  lean_collect, &seen, &e), 0);
	assert_int_equal(seen.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(seen.kind[i], v[i].kind);
		assert_int_equal(seen.source[i], v[i].source);
	}
}

static void test_lean_kinds_sources(void **state)
{
	struct fix *f = *state;
	kp_fact v[KP_FACT_KIND_COUNT * KP_SRC_COUNT];
	kp_facts fs = { v, 0, KP_FACT_KIND_COUNT * KP_SRC_COUNT };
	kp_err e;
	int64_t id = new_round(f->s, "kinds");
	for (int k = 0; k < KP_FACT_KIND_COUNT; k++)
		for (int src = 0; src < KP_SRC_COUNT; src++, fs.n++)
			v[fs.n] = mkfact("东区人民政府", "1", (kp_fact_kind)k, 1, 1,
					 (kp_source)src, fs.n + 2);
	assert_true(fs.n <= 32);
	assert_int_equal(kp_store_facts_add(f->s, id, "k.csv", "李四", &fs, &e),
			 (int64_t)fs.n);
	lean_kinds_check(f->s, id, v, fs.n);
	if (strcmp(kp_store_backend(f->s), "postgresql"))
		return;
	/* the same facts packed as migration 20 packed them, the names
	 * spelled out (its KP_PACK_INSERT) */
	assert_int_equal(f->s->ops->exec(f->s,
		"ALTER TABLE fact_packs DISABLE TRIGGER fact_packs_append_only;"
		"DELETE FROM fact_packs;"
		"ALTER TABLE fact_packs ENABLE TRIGGER fact_packs_append_only;"
		"INSERT INTO fact_packs (round_id, unit_id, first_seq, last_seq, body)"
		" SELECT round_id, unit_id, min(seq), max(seq), string_agg(concat_ws("
		"chr(9), kp_copy_field(indicator), kp_copy_field(kind),"
		" kp_copy_field(name), coalesce(num::text, chr(92) || 'N'),"
		" coalesce(den::text, chr(92) || 'N'), kp_copy_field(source), seq,"
		" tbl, kp_copy_field(period), inspection, batch_id), chr(10)"
		" ORDER BY seq) FROM facts WHERE kind <> 'withdraw'"
		" GROUP BY round_id, unit_id", &e), 0);
	{
		int64_t spelled = 0;
		assert_true(f->s->ops->run(f->s, "SELECT COUNT(*) FROM fact_packs"
					   " WHERE body LIKE '%' || chr(9) || 'assessed'"
					   " || chr(9) || '%' AND body LIKE '%'"
					   " || chr(9) || 'ledger' || chr(9) || '%'",
					   NULL, 0, kp_row_first_int, &spelled, &e) >= 0);
		assert_int_equal(spelled, 1);
	}
	lean_kinds_check(f->s, id, v, fs.n);
}

static void test_unknown_unit_stores_nothing(void **state)
{
	struct fix *f = *state;
	kp_err e;
	int naudit = 0, before;
	int64_t id = new_round(f->s, "r");
	kp_fact v[2] = {
		mkfact("东区人民政府", "1", KP_FACT_SCORE, 9, 1, KP_SRC_SELF, 2),
		mkfact("北区人民政府", "1", KP_FACT_SCORE, 9, 1, KP_SRC_SELF, 3),
	};
	kp_facts fs = { v, 2, 2 };
	assert_int_equal(kp_store_audit_each(f->s, 0, count_audit, &naudit, &e), 0);
	before = naudit;
	assert_int_equal(kp_store_facts_add(f->s, id, "bad.csv", "x", &fs, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_string_equal(e.msg, "bad.csv:3: 单位“北区人民政府”不在本轮次的单位中");
	assert_int_equal(nfacts(f->s, "r"), 0);
	naudit = 0;
	assert_int_equal(kp_store_audit_each(f->s, 0, count_audit, &naudit, &e), 0);
	assert_int_equal(naudit, before);
	/* no such round */
	assert_int_equal(kp_store_facts_add(f->s, id + 100, "x.csv", "x", &fs, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
}

/* Every fact seen, in order (a batch of thousands). */
struct all_seen {
	size_t n, cap;
	struct {
		char unit[64], ind[16];
		kp_fact_kind kind;
		kp_source source;
		kp_num value;
		size_t line;
		int64_t seq;
	} *v;
};

static int collect_all(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	struct all_seen *s = ctx;
	(void)e;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		assert_non_null(s->v);
	}
	snprintf(s->v[s->n].unit, 64, "%s", f->unit);
	snprintf(s->v[s->n].ind, 16, "%s", f->indicator);
	s->v[s->n].kind = f->kind;
	s->v[s->n].source = f->source;
	s->v[s->n].value = f->value;
	s->v[s->n].line = f->line;
	s->v[s->n].seq = seq;
	s->n++;
	return 0;
}

/* kp_store_unit_facts_upto's units, each once with its facts whole:
 * the facts into all (collect_all), the units' names in order. */
struct units_seen {
	struct all_seen all;
	char unit[8][64];
	size_t n;
};

static int collect_units(void *ctx, const char *unit, kp_facts *fs,
			 kp_err *e)
{
	struct units_seen *u = ctx;
	assert_true(u->n < 8);
	assert_true(fs->n > 0);
	snprintf(u->unit[u->n++], 64, "%s", unit);
	for (size_t k = 0; k < fs->n; k++) {
		assert_ptr_equal(fs->v[k].unit, unit);  /* one pointer */
		if (collect_all(&u->all, &fs->v[k], fs->v[k].seq, e) < 0)
			return -1;
	}
	return 0;
}

/* A batch written fact by fact: invisible until commit, all of it after;
 * an aborted one leaves nothing.  Then the round read back in parts,
 * lean and full, gives every fact once, grouped by unit. */
static void test_batch_and_parts(void **state)
{
	enum { N = 3000 };
	struct fix *f = *state;
	kp_store_batch *b;
	kp_store *other;
	kp_round r;
	kp_err e;
	int naudit = 0;
	struct all_seen all = { 0 };
	int64_t id = new_round(f->s, "r");
	assert_int_equal(kp_store_open(f->conn, 0, &other, &e), 0);
	assert_int_equal(kp_store_batch_begin(f->s, id, "big.csv", "李四", &b, &e), 0);
	for (size_t i = 0; i < N; i++) {
		kp_fact x = mkfact(unit_names[i % 3], "1", KP_FACT_SCORE,
				   (int64_t)(i % 21), 2,
				   i % 2 ? KP_SRC_ASSESSOR : KP_SRC_SELF, i + 2);
		assert_int_equal(kp_store_batch_add(b, &x, &e), 0);
	}
	assert_int_equal(kp_store_batch_count(b), N);
	assert_int_equal(nfacts(other, "r"), 0);    /* not yet */
	assert_int_equal(kp_store_batch_commit(b, &e), N);
	assert_int_equal(nfacts(other, "r"), N);
	/* an aborted batch, and one refused for an unknown unit */
	assert_int_equal(kp_store_batch_begin(f->s, id, "gone.csv", "李四", &b, &e), 0);
	{
		kp_fact x = mkfact("市公安局", "1", KP_FACT_FAIL, 1, 1,
				   KP_SRC_INSPECT, 2);
		kp_fact y = mkfact("北区人民政府", "1", KP_FACT_FAIL, 1, 1,
				   KP_SRC_INSPECT, 3);
		assert_int_equal(kp_store_batch_add(b, &x, &e), 0);
		kp_store_batch_abort(b);
		assert_int_equal(kp_store_batch_begin(f->s, id, "bad.csv", "李四", &b, &e), 0);
		assert_int_equal(kp_store_batch_add(b, &x, &e), 0);
		assert_int_equal(kp_store_batch_add(b, &y, &e), -1);
		assert_string_equal(e.msg, "bad.csv:3: 单位“北区人民政府”不在本轮次的单位中");
		kp_store_batch_abort(b);
	}
	assert_int_equal(nfacts(f->s, "r"), N);
	assert_int_equal(kp_store_audit_each(f->s, id, count_audit, &naudit, &e), 0);
	assert_int_equal(naudit, 2);            /* round-new, one facts-add */
	/* the whole round, in the store's order */
	assert_int_equal(kp_store_facts_each(f->s, id, NULL, collect_all, &all, &e), 0);
	assert_int_equal(all.n, N);
	assert_int_equal(kp_store_round_get(f->s, "r", &r, &e), 0);
	assert_int_equal(r.nfacts, N);
	{
		int64_t max = 0;
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i].seq > max)
				max = all.v[i].seq;
		assert_int_equal(r.last_seq, max);
	}
	kp_round_release(&r);
	/* in 1, 2, 3 and 5 parts (more parts than units), lean or not: the
	 * same facts in the same order */
	for (int nparts = 1; nparts <= 5; nparts += nparts == 3 ? 2 : 1)
		for (int lean = 0; lean < 2; lean++) {
			struct all_seen p = { 0 };
			for (int k = 0; k < nparts; k++)
				assert_int_equal(kp_store_facts_each_part(
					f->s, id, k, nparts, lean ? KP_FACTS_LEAN : 0,
					collect_all, &p, &e), 0);
			assert_int_equal(p.n, N);
			for (size_t i = 0; i < N; i++) {
				assert_string_equal(p.v[i].unit, all.v[i].unit);
				assert_string_equal(p.v[i].ind, all.v[i].ind);
				assert_int_equal(p.v[i].kind, all.v[i].kind);
				assert_int_equal(p.v[i].source, all.v[i].source);
				assert_int_equal(kp_num_cmp(p.v[i].value, all.v[i].value), 0);
				assert_int_equal(p.v[i].seq, all.v[i].seq);
				assert_int_equal(p.v[i].line, lean ? 0 : all.v[i].line);
			}
			free(p.v);
		}
	/* a unit at a time, in 1 and 2 parts: each unit once, with all its
	 * facts, in the same order */
	for (int nparts = 1; nparts <= 2; nparts++) {
		struct units_seen u;
		memset(&u, 0, sizeof(u));
		for (int k = 0; k < nparts; k++)
			assert_int_equal(kp_store_unit_facts_upto(
				f->s, id, k, nparts, INT64_MAX, collect_units,
				&u, &e), 0);
		assert_int_equal(u.n, 3);
		assert_string_equal(u.unit[0], "东区人民政府");
		assert_string_equal(u.unit[1], "西区人民政府");
		assert_string_equal(u.unit[2], "市公安局");
		assert_int_equal(u.all.n, N);
		for (size_t i = 0; i < N; i++) {
			assert_string_equal(u.all.v[i].unit, all.v[i].unit);
			assert_string_equal(u.all.v[i].ind, all.v[i].ind);
			assert_int_equal(u.all.v[i].seq, all.v[i].seq);
			assert_int_equal(kp_num_cmp(u.all.v[i].value,
						    all.v[i].value), 0);
		}
		free(u.all.v);
	}
	if (!strcmp(kp_store_backend(f->s), "postgresql")) {
		/* a pack per unit, compressed with lz4 where the server has
		 * it (migration 25; these are some 40 KB each) */
		int64_t lz4 = -1, packed = -1;
		assert_true(f->s->ops->run(f->s, "SELECT COUNT(*) FROM pg_settings"
					   " WHERE name = 'default_toast_compression'"
					   " AND 'lz4' = ANY (enumvals)", NULL, 0,
					   kp_row_first_int, &lz4, &e) >= 0);
		assert_true(f->s->ops->run(f->s, "SELECT COUNT(*) FROM fact_packs"
					   " WHERE pg_column_compression(body) = 'lz4'",
					   NULL, 0, kp_row_first_int, &packed, &e) >= 0);
		assert_int_equal(packed, lz4 ? 3 : 0);
	}
	/* grouped by unit in the round's order */
	assert_string_equal(all.v[0].unit, "东区人民政府");
	assert_string_equal(all.v[N / 3].unit, "西区人民政府");
	assert_string_equal(all.v[N - 1].unit, "市公安局");
	free(all.v);
	kp_store_close(other);
}

/* The lean read against the full one over a history of several adds
 * (so a unit's facts lie in more than one pack on PostgreSQL) and a
 * withdrawal, at each point of it (upto) and in 1 and 2 parts: the same
 * facts, values and order as the full read up to that point, and the
 * withdrawn fact flagged once its withdrawal is within upto. */
struct upto_seen {
	size_t n;
	int64_t seq[64], num[64], withdrawn[64];
	char unit[64][32];
};

static int upto_collect(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	struct upto_seen *u = ctx;
	(void)e;
	assert_true(u->n < 64);
	u->seq[u->n] = seq;
	u->num[u->n] = f->value.n;
	u->withdrawn[u->n] = f->withdrawn;
	snprintf(u->unit[u->n], sizeof(u->unit[0]), "%s", f->unit);
	u->n++;
	return 0;
}

static void test_lean_upto(void **state)
{
	struct fix *f = *state;
	kp_err e;
	struct upto_seen all = { 0 };
	int64_t id = new_round(f->s, "upto"), marks[4], wd_seq = 0, victim;
	size_t nm = 0;
	for (int add = 0; add < 3; add++) {
		kp_fact v[5];
		kp_facts fs = { v, 5, 5 };
		for (int i = 0; i < 5; i++)
			v[i] = mkfact(unit_names[(add + i) % (add == 1 ? 1 : 3)], "1",
				      KP_FACT_SCORE, add * 10 + i, 1,
				      KP_SRC_ASSESSOR, (size_t)i + 2);
		assert_int_equal(kp_store_facts_add(f->s, id, "a.csv", "李四", &fs, &e), 5);
		assert_int_equal(kp_store_facts_last(f->s, id, &marks[nm++], &e), 0);
	}
	{
		/* an empty batch, from a session that has numbered no fact
		 * yet: stored, nothing packed, the history unchanged */
		kp_store *other;
		kp_facts none = { NULL, 0, 0 };
		int64_t last = 0;
		assert_int_equal(kp_store_open(f->conn, 0, &other, &e), 0);
		assert_int_equal(kp_store_facts_add(other, id, "empty.csv", "李四", &none, &e), 0);
		assert_int_equal(kp_store_facts_last(other, id, &last, &e), 0);
		assert_int_equal(last, marks[2]);
		kp_store_close(other);
	}
	/* withdraw the first add's second fact (西区, 1) */
	assert_int_equal(kp_store_facts_each(f->s, id, NULL, upto_collect, &all, &e), 0);
	assert_int_equal(all.n, 15);
	victim = 0;
	for (size_t i = 0; i < all.n; i++)
		if (all.num[i] == 1)
			victim = all.seq[i];
	assert_true(victim > 0);
	assert_int_equal(kp_store_facts_withdraw(f->s, id, &victim, 1, "填错", "李四", &e), 0);
	assert_int_equal(kp_store_facts_last(f->s, id, &wd_seq, &e), 0);
	assert_true(wd_seq > marks[2]);
	marks[nm++] = wd_seq;
	memset(&all, 0, sizeof(all));
	assert_int_equal(kp_store_facts_each(f->s, id, NULL, upto_collect, &all, &e), 0);
	assert_int_equal(all.n, 15);
	for (size_t m = 0; m < nm; m++)
		for (int nparts = 1; nparts <= 2; nparts++) {
			struct upto_seen got = { 0 };
			size_t k = 0;
			for (int part = 0; part < nparts; part++)
				assert_int_equal(kp_store_facts_each_upto(
					f->s, id, part, nparts, KP_FACTS_LEAN,
					marks[m], upto_collect, &got, &e), 0);
			for (size_t i = 0; i < all.n; i++) {
				if (all.seq[i] > marks[m])
					continue;
				assert_true(k < got.n);
				assert_int_equal(got.seq[k], all.seq[i]);
				assert_int_equal(got.num[k], all.num[i]);
				assert_string_equal(got.unit[k], all.unit[i]);
				assert_int_equal(got.withdrawn[k],
						 all.seq[i] == victim && m == 3 ? wd_seq : 0);
				k++;
			}
			assert_int_equal(got.n, k);
			assert_int_equal(k, m == 3 ? 15 : 5 * (m + 1));
		}
	/* 东区's facts: from the three adds, in seq order, one unit */
	assert_string_equal(all.unit[0], "东区人民政府");
	assert_int_equal(all.num[0], 0);
	assert_int_equal(all.num[1], 3);
}

struct result_seen {
	int n;
	char units[4][64];
	int64_t ranks[4];
	kp_num totals[4];
	bool has_self[4];
	char convert[4][16];
	kp_num converted[4];
};

static int collect_result(void *ctx, const kp_store_result *r, kp_err *e)
{
	struct result_seen *s = ctx;
	(void)e;
	if (s->n < 4) {
		snprintf(s->units[s->n], 64, "%s", r->unit);
		s->ranks[s->n] = r->rank;
		s->totals[s->n] = r->total;
		s->has_self[s->n] = r->has_self;
		snprintf(s->convert[s->n], 16, "%s", r->convert);
		s->converted[s->n] = r->converted;
	}
	s->n++;
	return 0;
}

static void test_results(void **state)
{
	struct fix *f = *state;
	kp_err e;
	kp_round r;
	struct result_seen s = { 0 };
	int64_t id = new_round(f->s, "r");
	kp_store_result v[3] = {
		{ "东区人民政府", { 175, 2 }, true, { 90, 1 }, false, "合格", "deduct:2", { 1, 20 }, 2, NULL, 0, 0, false, { 0, 1 }, NULL },
		{ "西区人民政府", { 90, 1 }, false, { 0, 1 }, false, "合格", "", { 0, 1 }, 1, NULL, 0, 0, false, { 0, 1 }, NULL },
		{ "市公安局", { 175, 2 }, false, { 0, 1 }, false, "", NULL, { 0, 1 }, 2, NULL, 0, 0, false, { 0, 1 }, NULL },
	};
	assert_int_equal(kp_store_results_put(f->s, id, 7, v, 3, "王五", &e), 0);
	assert_int_equal(kp_store_results_each(f->s, id, NULL, collect_result, &s, &e), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.units[0], "西区人民政府");
	assert_string_equal(s.units[1], "东区人民政府");
	assert_string_equal(s.units[2], "市公安局");
	assert_int_equal(s.ranks[1], 2);
	assert_int_equal(s.totals[1].n, 175);
	assert_int_equal(s.totals[1].d, 2);
	assert_true(s.has_self[1]);
	assert_false(s.has_self[0]);
	assert_string_equal(s.convert[1], "deduct:2");
	assert_int_equal(s.converted[1].n, 1);
	assert_int_equal(s.converted[1].d, 20);
	assert_string_equal(s.convert[0], "");
	assert_string_equal(s.convert[2], "");
	assert_int_equal(kp_store_round_get(f->s, "r", &r, &e), 0);
	assert_int_equal(r.scored_seq, 7);
	assert_int_equal(r.nresults, 3);
	kp_round_release(&r);
	/* scoring again replaces the results as a whole */
	assert_int_equal(kp_store_results_put(f->s, id, 9, v, 1, "王五", &e), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(kp_store_results_each(f->s, id, NULL, collect_result, &s, &e), 0);
	assert_int_equal(s.n, 1);
	/* a result for a unit the round does not have: nothing changes */
	{
		kp_store_result bad[2] = { v[1], { "北区", { 1, 1 }, false, { 0, 1 }, false, "", "", { 0, 1 }, 1, NULL, 0, 0, false, { 0, 1 }, NULL } };
		assert_int_equal(kp_store_results_put(f->s, id, 10, bad, 2, "王五", &e), -1);
		assert_int_equal(kp_store_round_get(f->s, "r", &r, &e), 0);
		assert_int_equal(r.scored_seq, 9);
		assert_int_equal(r.nresults, 1);
		kp_round_release(&r);
	}
	/* in two steps (a scoring deletes the old results while it computes
	 * the new ones): abandoned, the old results stand, seen from
	 * another connection too; committed, the new ones replace them */
	{
		kp_store_results_tx *t;
		kp_store *other;
		assert_int_equal(kp_store_open(f->conn, 0, &other, &e), 0);
		assert_int_equal(kp_store_results_begin(f->s, id, &t, &e), 0);
		assert_int_equal(kp_store_round_get(other, "r", &r, &e), 0);
		assert_int_equal(r.nresults, 1);     /* not yet gone for others */
		kp_round_release(&r);
		kp_store_results_abort(t);
		assert_int_equal(kp_store_round_get(f->s, "r", &r, &e), 0);
		assert_int_equal(r.scored_seq, 9);
		assert_int_equal(r.nresults, 1);
		kp_round_release(&r);
		assert_int_equal(kp_store_results_begin(f->s, id, &t, &e), 0);
		assert_int_equal(kp_store_results_commit(t, 11, v, 3, "王五", &e), 0);
		assert_int_equal(kp_store_round_get(other, "r", &r, &e), 0);
		assert_int_equal(r.scored_seq, 11);
		assert_int_equal(r.nresults, 3);
		kp_round_release(&r);
		kp_store_close(other);
	}
}

struct audit_seen {
	int n;
	char actions[8][32];
	char who[8][32];
	char round[8][32];
};

static int collect_audit(void *ctx, const kp_audit *a, kp_err *e)
{
	struct audit_seen *s = ctx;
	(void)e;
	if (s->n < 8) {
		snprintf(s->actions[s->n], 32, "%s", a->action);
		snprintf(s->who[s->n], 32, "%s", a->who);
		snprintf(s->round[s->n], 32, "%s", a->round);
	}
	s->n++;
	return 0;
}

static void test_audit(void **state)
{
	struct fix *f = *state;
	kp_err e;
	struct audit_seen s = { 0 };
	int64_t id = new_round(f->s, "r");
	kp_fact v = mkfact("东区人民政府", "1", KP_FACT_SCORE, 9, 1, KP_SRC_SELF, 2);
	kp_facts fs = { &v, 1, 1 };
	kp_store_result res = { "东区人民政府", { 9, 1 }, false, { 0, 1 }, false, "", "", { 0, 1 }, 1, NULL, 0, 0, false, { 0, 1 }, NULL };
	assert_int_equal(kp_store_facts_add(f->s, id, "f.csv", "李四", &fs, &e), 1);
	assert_int_equal(kp_store_results_put(f->s, id, 1, &res, 1, "王五", &e), 0);
	assert_int_equal(kp_store_audit(f->s, 0, "管理员", "note", "备份", &e), 0);
	assert_int_equal(kp_store_audit_each(f->s, id, collect_audit, &s, &e), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.actions[0], "round-new");
	assert_string_equal(s.who[0], "测试员");
	assert_string_equal(s.round[0], "r");
	assert_string_equal(s.actions[1], "facts-add");
	assert_string_equal(s.who[1], "李四");
	assert_string_equal(s.actions[2], "score");
	assert_string_equal(s.who[2], "王五");
	memset(&s, 0, sizeof(s));
	assert_int_equal(kp_store_audit_each(f->s, 0, collect_audit, &s, &e), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.actions[3], "note");
	assert_string_equal(s.round[3], "");
}

static void test_retable(void **state)
{
	struct fix *f = *state;
	kp_err e;
	kp_buf b = KP_BUF_INIT;
	kp_round r;
	char hash[17];
	static const char edited[] =
		"#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,t1\n"
		"#meta,title,测试表\ncode,path,points,rule\n1,组织保障,20,judged\n";
	int64_t id = new_round(f->s, "r");
	kp_store_hash(edited, strlen(edited), hash);
	assert_int_equal(kp_store_round_retable(f->s, id, 0, edited, hash, "x", &e), 0);
	assert_int_equal(kp_store_round_table(f->s, id, 0, &b, &e), 0);
	assert_string_equal(b.data, edited);
	kp_buf_release(&b);
	assert_int_equal(kp_store_round_get(f->s, "r", &r, &e), 0);
	assert_string_equal(r.table_hash, hash);
	kp_round_release(&r);
	{
		kp_fact v = mkfact("东区人民政府", "1", KP_FACT_SCORE, 9, 1, KP_SRC_SELF, 2);
		kp_facts fs = { &v, 1, 1 };
		assert_int_equal(kp_store_facts_add(f->s, id, "f.csv", "x", &fs, &e), 1);
	}
	kp_store_hash(table_text, strlen(table_text), hash);
	assert_int_equal(kp_store_round_retable(f->s, id, 0, table_text, hash, "x", &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "不能再换表"));
}

/* ---- schemes: a round of several tables ---- */

static const char table2_text[] =
	"#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,t2\n"
	"#meta,title,第二张表\n#meta,convert,earn:3\ncode,path,points,rule\n"
	"1,基础工作,5,binary\n";
static const char scheme_text[] =
	"#meta,format,kaoping-table/1\n#meta,kind,scheme\n#meta,id,s1\n"
	"#meta,title,测试方案\n#meta,combine,sum\ntable,label,applies\n"
	"t1,甲,县区\nt2,乙,\n";

static int64_t new_scheme_round(kp_store *s, const char *name)
{
	kp_round_spec_table tv[2] = {
		{ "t1", "测试表", "t1.csv", table_text, "甲", "县区", true, { 3, 10 } },
		{ "t2", "第二张表", "/abs/t2.csv", table2_text, "乙", "", false, { 0, 1 } },
	};
	static const char *const utabs[] = { "0,1", "0", "1" };
	kp_round_spec sp = {
		.name = name, .period = "2016", .tables = tv, .ntables = 2,
		.scheme = "s1", .scheme_source = "/abs/s1.csv",
		.scheme_title = "测试方案", .scheme_text = scheme_text,
		.combine = "sum", .registry = "pzh-units", .author = "测试员",
		.unit_names = unit_names, .unit_types = unit_types,
		.unit_aliases = unit_aliases, .unit_tables = utabs, .nunits = 3,
	};
	int64_t id = 0;
	kp_err e;
	int r = kp_store_round_new(s, &sp, &id, &e);
	if (r < 0)
		fprintf(stderr, "%s\n", e.msg);
	assert_int_equal(r, 0);
	return id;
}

struct unit_seen {
	int n;
	char names[4][64];
	char tables[4][16];
};

static int collect_unit(void *ctx, const kp_store_unit *u, kp_err *e)
{
	struct unit_seen *s = ctx;
	(void)e;
	if (s->n < 4) {
		snprintf(s->names[s->n], 64, "%s", u->name);
		snprintf(s->tables[s->n], 16, "%s", u->tables);
	}
	s->n++;
	return 0;
}

struct part_seen {
	int n;
	char units[8][64];
	int64_t pos[8];
	kp_num value[8], total[8];
	char convert[8][16];
};

static int collect_part(void *ctx, const char *unit, const kp_store_part *p,
			kp_err *e)
{
	struct part_seen *s = ctx;
	(void)e;
	if (s->n < 8) {
		snprintf(s->units[s->n], 64, "%s", unit);
		s->pos[s->n] = p->pos;
		s->value[s->n] = p->value;
		s->total[s->n] = p->total;
		snprintf(s->convert[s->n], 16, "%s", p->convert);
	}
	s->n++;
	return 0;
}

static void test_scheme_round(void **state)
{
	struct fix *f = *state;
	kp_err e;
	kp_round r;
	kp_buf b = KP_BUF_INIT;
	struct unit_seen us = { 0 };
	struct seen fsn = { 0 };
	struct part_seen ps = { 0 };
	int64_t id = new_scheme_round(f->s, "方案轮次");
	/* the round keeps its tables, their labels, applies and weights,
	 * the scheme and its rule */
	assert_int_equal(kp_store_round_get(f->s, "方案轮次", &r, &e), 0);
	assert_int_equal(r.ntables, 2);
	assert_string_equal(r.scheme, "s1");
	assert_string_equal(r.scheme_source, "/abs/s1.csv");
	assert_string_equal(r.combine, "sum");
	assert_string_equal(r.table_id, "t1");
	assert_string_equal(r.tables[0].table_id, "t1");
	assert_string_equal(r.tables[0].label, "甲");
	assert_string_equal(r.tables[0].applies, "县区");
	assert_true(r.tables[0].has_weight);
	assert_int_equal(r.tables[0].weight.n, 3);
	assert_int_equal(r.tables[0].weight.d, 10);
	assert_string_equal(r.tables[1].table_id, "t2");
	assert_string_equal(r.tables[1].title, "第二张表");
	assert_string_equal(r.tables[1].source, "/abs/t2.csv");
	assert_false(r.tables[1].has_weight);
	kp_round_release(&r);
	/* each table's text comes back byte for byte */
	assert_int_equal(kp_store_round_table(f->s, id, 1, &b, &e), 0);
	assert_string_equal(b.data, table2_text);
	kp_buf_reset(&b);
	assert_int_equal(kp_store_round_table(f->s, id, 2, &b, &e), -1);
	kp_buf_release(&b);
	/* which tables each unit is on */
	assert_int_equal(kp_store_units_each(f->s, id, collect_unit, &us, &e), 0);
	assert_int_equal(us.n, 3);
	assert_string_equal(us.names[0], "东区人民政府");
	assert_string_equal(us.tables[0], "0,1");
	assert_string_equal(us.tables[2], "1");
	/* facts name their table; an unknown one stores nothing */
	{
		kp_fact v[2] = {
			mkfact("东区人民政府", "1", KP_FACT_SCORE, 5, 1, KP_SRC_ASSESSOR, 2),
			mkfact("东区人民政府", "1", KP_FACT_SCORE, 9, 1, KP_SRC_ASSESSOR, 3),
		};
		kp_facts fs = { v, 2, 2 };
		v[0].table = (char *)"t2";
		v[1].table = (char *)"";   /* not said: the first table */
		assert_int_equal(kp_store_facts_add(f->s, id, "f.csv", "李四", &fs, &e), 2);
		v[1].table = (char *)"t9";
		assert_int_equal(kp_store_facts_add(f->s, id, "g.csv", "李四", &fs, &e), -1);
		assert_string_equal(e.msg, "g.csv:3: 表“t9”不在本轮次中");
		assert_int_equal(nfacts(f->s, "方案轮次"), 2);
	}
	assert_int_equal(kp_store_facts_each(f->s, id, NULL, collect, &fsn, &e), 0);
	assert_int_equal(fsn.n, 2);
	assert_string_equal(fsn.tabs[0], "t2");
	assert_string_equal(fsn.tabs[1], "t1");
	memset(&fsn, 0, sizeof(fsn));
	assert_int_equal(kp_store_facts_each_part(f->s, id, 0, 1, KP_FACTS_LEAN,
						  collect, &fsn, &e), 0);
	assert_string_equal(fsn.tabs[0], "t2");
	/* the combined result and each table's part */
	{
		kp_store_part p0[2] = {
			{ 0, { 90, 1 }, false, { 0, 1 }, false, "", "", { 0, 1 }, { 90, 1 } },
			{ 1, { 100, 1 }, true, { 80, 1 }, false, "", "earn:3", { 3, 1 }, { 3, 1 } },
		};
		kp_store_result v[2] = {
			{ "东区人民政府", { 93, 1 }, false, { 0, 1 }, false, "", "", { 0, 1 }, 1, p0, 2, 0, false, { 0, 1 }, NULL },
			{ "市公安局", { 3, 1 }, false, { 0, 1 }, false, "", "", { 0, 1 }, 2, p0 + 1, 1, 0, false, { 0, 1 }, NULL },
		};
		assert_int_equal(kp_store_results_put(f->s, id, 2, v, 2, "王五", &e), 0);
		assert_int_equal(kp_store_parts_each(f->s, id, NULL, collect_part, &ps, &e), 0);
		assert_int_equal(ps.n, 3);
		assert_string_equal(ps.units[0], "东区人民政府");
		assert_int_equal(ps.pos[1], 1);
		assert_string_equal(ps.convert[1], "earn:3");
		assert_int_equal(ps.value[1].n, 3);
		assert_string_equal(ps.convert[0], "");
		assert_string_equal(ps.units[2], "市公安局");
		/* scoring again replaces the parts too */
		assert_int_equal(kp_store_results_put(f->s, id, 2, v, 1, "王五", &e), 0);
		memset(&ps, 0, sizeof(ps));
		assert_int_equal(kp_store_parts_each(f->s, id, "市公安局", collect_part, &ps, &e), 0);
		assert_int_equal(ps.n, 0);
	}
}

/* A database an older kaoping (schema 1: one table per round) left
 * behind is brought up to date on opening, its rounds, facts and results
 * intact: each round one table, every unit and fact on it. */
static void test_migrate_from_v1(void **state)
{
	struct fix *f = *state;
	kp_store *old, *s;
	kp_err e;
	kp_round r;
	kp_buf b = KP_BUF_INIT;
	char hash[17];
	int v;
	struct unit_seen us = { 0 };
	struct seen fsn = { 0 };
	struct result_seen rs = { 0 };
	char path[300];
	const char *conn = f->conn;
	kp_store_close(f->s);
	f->s = NULL;
	if (!on_pg) {
		/* the fixture's file is at the newest schema: use a new one */
		snprintf(path, sizeof(path), "%s/old%d.db", tmpdir, counter);
		conn = path;
	} else {
		/* a fresh database for the old schema */
		char sql[160];
		snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", f->dbname);
		assert_int_equal(admin(sql), 0);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->dbname);
		assert_int_equal(admin(sql), 0);
	}
	assert_int_equal(kp_store_open_at(conn, KP_STORE_CREATE, 1, &old, &e), 0);
	assert_int_equal(kp_store_schema_version(old, &v, &e), 0);
	assert_int_equal(v, 1);
	kp_store_hash(table_text, strlen(table_text), hash);
	{
		kp_val p[4] = { KV_TEXT("t1"), KV_TEXT(hash), KV_TEXT(table_text),
				KV_TEXT("2016-12-01T00:00:00Z") };
		assert_true(old->ops->run(old, "INSERT INTO schemes (table_id, title, hash,"
					       " body, created_at) VALUES (?, '测试表', ?, ?, ?)",
					  p, 4, NULL, NULL, &e) >= 0);
	}
	assert_int_equal(old->ops->exec(old,
		"INSERT INTO rounds (name, period, scheme_id, table_source, registry,"
		" created_at, created_by, scored_seq) VALUES ('旧轮次', '2016', 1,"
		" 't1.csv', 'pzh-units', '2016-12-01T00:00:00Z', '老用户', 1);"
		"INSERT INTO units (round_id, name, type, aliases, tags) VALUES"
		" (1, '东区人民政府', '县区', '东区', '');"
		"INSERT INTO units (round_id, name, type, aliases, tags) VALUES"
		" (1, '市公安局', '市级部门', '', '');"
		"INSERT INTO batches (round_id, file, author, added_at, count) VALUES"
		" (1, 'old.csv', '老用户', '2016-12-01T00:00:00Z', 1);"
		"INSERT INTO facts (round_id, batch_id, unit_id, indicator, kind, name,"
		" num, den, source, author, time, url, note, line) VALUES (1, 1, 1,"
		" '1', 'score', '', 15, 2, 'assessor', '老用户', '', '', '', 2);"
		"INSERT INTO results (round_id, unit_id, total_n, total_d, self_n,"
		" self_d, vetoed, outcome, convert, conv_n, conv_d, rank, computed_at)"
		" VALUES (1, 1, 15, 2, NULL, NULL, 0, '', '', NULL, NULL, 1,"
		" '2016-12-02T00:00:00Z')", &e), 0);
	kp_store_close(old);
	/* opening migrates */
	assert_int_equal(kp_store_open(conn, 0, &s, &e), 0);
	f->s = s;
	assert_int_equal(kp_store_schema_version(s, &v, &e), 0);
	assert_int_equal(v, kp_store_schema_latest());
	assert_int_equal(kp_store_round_get(s, "旧轮次", &r, &e), 0);
	assert_int_equal(r.ntables, 1);
	assert_string_equal(r.tables[0].table_id, "t1");
	assert_string_equal(r.tables[0].source, "t1.csv");
	assert_string_equal(r.tables[0].hash, hash);
	assert_string_equal(r.scheme, "");
	assert_string_equal(r.combine, "");
	assert_int_equal(r.nfacts, 1);
	assert_int_equal(r.scored_seq, 1);
	kp_round_release(&r);
	assert_int_equal(kp_store_round_table(s, 1, 0, &b, &e), 0);
	assert_string_equal(b.data, table_text);
	kp_buf_release(&b);
	assert_int_equal(kp_store_units_each(s, 1, collect_unit, &us, &e), 0);
	assert_int_equal(us.n, 2);
	assert_string_equal(us.tables[0], "0");
	assert_string_equal(us.tables[1], "0");
	assert_int_equal(kp_store_facts_each(s, 1, NULL, collect, &fsn, &e), 0);
	assert_int_equal(fsn.n, 1);
	assert_string_equal(fsn.tabs[0], "t1");
	assert_int_equal(fsn.facts[0].value.n, 15);
	{
		/* the lean read sees the fact written before (on PostgreSQL:
		 * packed by the migration) */
		struct upto_seen lean = { 0 };
		assert_int_equal(kp_store_facts_each_part(s, 1, 0, 1, KP_FACTS_LEAN,
							  upto_collect, &lean, &e), 0);
		assert_int_equal(lean.n, 1);
		assert_int_equal(lean.num[0], 15);
		assert_string_equal(lean.unit[0], "东区人民政府");
	}
	assert_int_equal(kp_store_results_each(s, 1, NULL, collect_result, &rs, &e), 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.totals[0].n, 15);
	/* and it goes on: facts, the old one-table way */
	{
		kp_fact fv = mkfact("市公安局", "1", KP_FACT_SCORE, 8, 1, KP_SRC_SELF, 2);
		kp_facts fs = { &fv, 1, 1 };
		assert_int_equal(kp_store_facts_add(s, 1, "new.csv", "x", &fs, &e), 1);
	}
	assert_int_equal(nfacts(s, "旧轮次"), 2);
	{
		struct upto_seen lean = { 0 };
		assert_int_equal(kp_store_facts_each_part(s, 1, 0, 1, KP_FACTS_LEAN,
							  upto_collect, &lean, &e), 0);
		assert_int_equal(lean.n, 2);
		assert_int_equal(lean.num[1], 8);
		assert_string_equal(lean.unit[1], "市公安局");
	}
	/* opening again changes nothing */
	{
		kp_store *again;
		assert_int_equal(kp_store_open(conn, 0, &again, &e), 0);
		assert_int_equal(kp_store_schema_version(again, &v, &e), 0);
		assert_int_equal(v, kp_store_schema_latest());
		kp_store_close(again);
	}
}

/* 500 facts, in batches of 50 so the writers interleave */
static void add_many(const char *conn, const char *unit, int tag)
{
	kp_store *s;
	kp_err e;
	kp_fact v[50];
	kp_facts fs = { v, 50, 50 };
	if (kp_store_open(conn, 0, &s, &e) < 0) {
		fprintf(stderr, "child open: %s\n", e.msg);
		_exit(3);
	}
	for (int b = 0; b < 10; b++) {
		for (int i = 0; i < 50; i++)
			v[i] = mkfact(unit, "1", KP_FACT_SCORE, tag, 1, KP_SRC_SELF,
				      (size_t)(b * 50 + i + 2));
		if (kp_store_facts_add(s, 1, "many.csv", "child", &fs, &e) != 50) {
			fprintf(stderr, "child add: %s\n", e.msg);
			kp_store_close(s);
			_exit(4);
		}
	}
	kp_store_close(s);
	_exit(0);
}

static void test_two_writers_lose_nothing(void **state)
{
	struct fix *f = *state;
	pid_t a, b;
	int sa, sb;
	struct seen s = { 0 };
	kp_err e;
	assert_int_equal(new_round(f->s, "r"), 1);
	fflush(NULL);
	a = fork();
	if (a == 0)
		add_many(f->conn, "东区人民政府", 1);
	b = fork();
	if (b == 0)
		add_many(f->conn, "西区人民政府", 2);
	assert_int_equal(waitpid(a, &sa, 0), a);
	assert_int_equal(waitpid(b, &sb, 0), b);
	assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
	assert_int_equal(nfacts(f->s, "r"), 1000);
	assert_int_equal(kp_store_facts_each(f->s, 1, "西区人民政府", collect, &s, &e), 0);
	assert_int_equal(s.n, 500);
}

static void test_killed_mid_write(void **state)
{
	struct fix *f = *state;
	kp_err e;
	pid_t pid;
	int st, naudit = 0;
	kp_fact v[400];
	kp_facts fs = { v, 400, 400 };
	int64_t id = new_round(f->s, "r");
	for (int i = 0; i < 400; i++)
		v[i] = mkfact("市公安局", "1", KP_FACT_SCORE, 5, 1, KP_SRC_SELF,
			      (size_t)i + 2);
	assert_int_equal(kp_store_facts_add(f->s, id, "first.csv", "x", &fs, &e), 400);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		kp_store *s;
		setenv("KP_TEST_KILL_AFTER", "200", 1);
		if (kp_store_open(f->conn, 0, &s, &e) < 0)
			_exit(3);
		kp_store_facts_add(s, id, "second.csv", "x", &fs, &e);
		_exit(4);   /* not reached: killed after 200 rows */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* the round is as it was before that write, and still writable */
	{
		kp_store *s2;
		assert_int_equal(kp_store_open(f->conn, 0, &s2, &e), 0);
		assert_int_equal(nfacts(s2, "r"), 400);
		assert_int_equal(kp_store_audit_each(s2, id, count_audit, &naudit, &e), 0);
		assert_int_equal(naudit, 2);   /* round-new, first facts-add */
		assert_int_equal(kp_store_facts_add(s2, id, "third.csv", "x", &fs, &e), 400);
		assert_int_equal(nfacts(s2, "r"), 800);
		kp_store_close(s2);
	}
}

/* ---- inspections ---- */

static kp_store_finding mkfinding(const char *check, const char *key,
				  const char *msg, const char *url)
{
	return (kp_store_finding){ 0, check, key, "严重", msg, url, "片段",
				   "2024-06-30" };
}

static kp_inspection_spec mkinspection(const char *unit, const char *site,
				       const kp_store_finding *fs, size_t n)
{
	return (kp_inspection_spec){
		.unit = unit, .site = site, .as_of = "2024-06-30",
		.started_at = "2024-06-30T01:00:00Z",
		.finished_at = "2024-06-30T01:02:00Z", .pages = 120,
		.summary = "{\"site\":\"x\"}", .author = "检测员",
		.findings = fs, .nfindings = n,
	};
}

struct change_seen {
	int n;
	int change[8];
	char key[8][64];
	char msg[8][128];
	int64_t ord[8];
};

static int collect_change(void *ctx, int change, const kp_store_finding *f,
			  kp_err *e)
{
	struct change_seen *s = ctx;
	(void)e;
	if (s->n < 8) {
		s->change[s->n] = change;
		snprintf(s->key[s->n], 64, "%s", f->key);
		snprintf(s->msg[s->n], 128, "%s", f->message);
		s->ord[s->n] = f->ord;
	}
	s->n++;
	return 0;
}

static int collect_finding(void *ctx, const kp_store_finding *f, kp_err *e)
{
	return collect_change(ctx, 0, f, e);
}

struct insp_seen {
	int n;
	int64_t id[8], previous[8];
	char unit[8][64];
};

static int collect_inspection(void *ctx, const kp_inspection *in, kp_err *e)
{
	struct insp_seen *s = ctx;
	(void)e;
	if (s->n < 8) {
		s->id[s->n] = in->id;
		s->previous[s->n] = in->previous;
		snprintf(s->unit[s->n], 64, "%s", in->unit);
		assert_null(in->summary);   /* listing leaves the JSON */
	}
	s->n++;
	return 0;
}

static int ninspections(kp_store *s, int64_t round)
{
	struct insp_seen is = { 0 };
	kp_err e;
	assert_int_equal(kp_store_inspections_each(s, round, NULL,
						   collect_inspection, &is, &e), 0);
	return is.n;
}

#define SITE "http://www.east.gov.cn/"

static void test_inspections(void **state)
{
	struct fix *f = *state;
	kp_err e;
	kp_inspection in;
	struct change_seen cs = { 0 };
	struct insp_seen is = { 0 };
	struct audit_seen as = { 0 };
	int64_t id1 = 0, id2 = 0, id3 = 0, still = -1;
	int64_t rid = new_round(f->s, "r");
	kp_store_finding first[3] = {
		mkfinding("links.dead", SITE "a.png", "死链：图片", SITE "a.png"),
		mkfinding("column.updated", "栏目：通知公告", "353 天未更新", SITE "tzgg/"),
		mkfinding("footer.zhaocuo", "找错", "没有找错入口", SITE),
	};
	/* a.png fixed; 通知公告 still (worded anew); b.doc new */
	kp_store_finding second[3] = {
		mkfinding("column.updated", "栏目：通知公告", "384 天未更新", SITE "tzgg/"),
		mkfinding("links.dead", SITE "b.doc", "死链：附件", SITE "b.doc"),
		mkfinding("footer.zhaocuo", "找错", "没有找错入口", SITE),
	};
	kp_inspection_spec sp = mkinspection("东区人民政府", SITE, first, 3);
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, &id1, &e), 0);
	assert_true(id1 > 0);
	assert_int_equal(kp_store_inspection_get(f->s, id1, &in, &e), 0);
	assert_string_equal(in.round, "r");
	assert_int_equal(in.round_id, rid);
	assert_string_equal(in.unit, "东区人民政府");
	assert_string_equal(in.site, SITE);
	assert_string_equal(in.as_of, "2024-06-30");
	assert_string_equal(in.started_at, "2024-06-30T01:00:00Z");
	assert_string_equal(in.finished_at, "2024-06-30T01:02:00Z");
	assert_string_equal(in.author, "检测员");
	assert_string_equal(in.summary, "{\"site\":\"x\"}");
	assert_int_equal(in.pages, 120);
	assert_int_equal(in.nfindings, 3);
	assert_int_equal(in.previous, 0);
	kp_inspection_release(&in);
	/* the first inspection: everything is new */
	assert_int_equal(kp_store_findings_compare(f->s, id1, 0, collect_change,
						   &cs, &still, &e), 0);
	assert_int_equal(cs.n, 3);
	assert_int_equal(cs.change[0], KP_FINDING_NEW);
	assert_int_equal(still, 0);
	/* the re-inspection */
	sp = mkinspection("东区人民政府", SITE, second, 3);
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, &id2, &e), 0);
	assert_int_equal(kp_store_inspection_get(f->s, id2, &in, &e), 0);
	assert_int_equal(in.previous, id1);
	kp_inspection_release(&in);
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(kp_store_findings_compare(f->s, id2, id1, collect_change,
						   &cs, &still, &e), 0);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.change[0], KP_FINDING_NEW);
	assert_string_equal(cs.key[0], SITE "b.doc");
	assert_int_equal(cs.ord[0], 2);
	assert_int_equal(cs.change[1], KP_FINDING_FIXED);
	assert_string_equal(cs.key[1], SITE "a.png");
	assert_int_equal(still, 2);
	/* findings in their order, with their evidence */
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(kp_store_findings_each(f->s, id2, collect_finding, &cs, &e), 0);
	assert_int_equal(cs.n, 3);
	assert_string_equal(cs.msg[0], "384 天未更新");
	assert_int_equal(cs.ord[2], 3);
	/* another unit, or another site of the unit: no previous */
	sp = mkinspection("西区人民政府", SITE, second, 3);
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, &id3, &e), 0);
	sp = mkinspection("东区人民政府", "http://sub.east.gov.cn/", second, 1);
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, NULL, &e), 0);
	assert_int_equal(kp_store_inspections_each(f->s, rid, "东区人民政府",
						   collect_inspection, &is, &e), 0);
	assert_int_equal(is.n, 3);
	assert_int_equal(is.id[0], id1);
	assert_int_equal(is.previous[1], id1);
	assert_int_equal(is.previous[2], 0);
	assert_int_equal(ninspections(f->s, rid), 4);
	memset(&is, 0, sizeof(is));
	assert_int_equal(kp_store_inspections_each(f->s, rid, "西区人民政府",
						   collect_inspection, &is, &e), 0);
	assert_int_equal(is.n, 1);
	assert_int_equal(is.previous[0], 0);
	/* each stored inspection has its audit row */
	assert_int_equal(kp_store_audit_each(f->s, rid, collect_audit, &as, &e), 0);
	assert_int_equal(as.n, 5);
	assert_string_equal(as.actions[1], "inspect");
	assert_string_equal(as.who[1], "检测员");
	/* nothing by that number */
	assert_int_equal(kp_store_inspection_get(f->s, 999, &in, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "没有编号为 999 的检测"));
	/* append-only, even with SQL */
	assert_int_equal(f->s->ops->exec(f->s, "UPDATE inspections SET pages = 0", &e), -1);
	assert_int_equal(f->s->ops->exec(f->s, "DELETE FROM inspection_findings", &e), -1);
	assert_int_equal(f->s->ops->exec(f->s, "DELETE FROM inspections", &e), -1);
	assert_int_equal(ninspections(f->s, rid), 4);
}

static void test_inspection_refused_stores_nothing(void **state)
{
	struct fix *f = *state;
	kp_err e;
	int naudit = 0;
	int64_t rid = new_round(f->s, "r");
	kp_store_finding fs[2] = {
		mkfinding("links.dead", SITE "a.png", "死链", SITE "a.png"),
		mkfinding("links.dead", SITE "a.png", "死链又一次", SITE "a.png"),
	};
	kp_inspection_spec sp = mkinspection("北区人民政府", SITE, fs, 1);
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, NULL, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, "单位“北区人民政府”不在"));
	/* one identity twice */
	sp = mkinspection("东区人民政府", SITE, fs, 2);
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, NULL, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, SITE "a.png"));
	assert_int_equal(ninspections(f->s, rid), 0);
	assert_int_equal(kp_store_audit_each(f->s, rid, count_audit, &naudit, &e), 0);
	assert_int_equal(naudit, 1);   /* round-new only */
}

static void test_inspection_killed_mid_write(void **state)
{
	struct fix *f = *state;
	kp_err e;
	pid_t pid;
	int st, naudit = 0;
	int64_t rid = new_round(f->s, "r");
	kp_store_finding fs[5] = {
		mkfinding("links.dead", "1", "m", ""), mkfinding("links.dead", "2", "m", ""),
		mkfinding("links.dead", "3", "m", ""), mkfinding("links.dead", "4", "m", ""),
		mkfinding("links.dead", "5", "m", ""),
	};
	kp_inspection_spec sp = mkinspection("市公安局", SITE, fs, 5);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		kp_store *s;
		setenv("KP_TEST_KILL_AFTER", "3", 1);
		if (kp_store_open(f->conn, 0, &s, &e) < 0)
			_exit(3);
		kp_store_inspection_add(s, rid, &sp, NULL, &e);
		_exit(4);   /* not reached: killed after 3 findings */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	{
		kp_store *s2;
		int64_t id = 0;
		assert_int_equal(kp_store_open(f->conn, 0, &s2, &e), 0);
		assert_int_equal(ninspections(s2, rid), 0);
		assert_int_equal(kp_store_audit_each(s2, rid, count_audit, &naudit, &e), 0);
		assert_int_equal(naudit, 1);
		assert_int_equal(kp_store_inspection_add(s2, rid, &sp, &id, &e), 0);
		assert_int_equal(ninspections(s2, rid), 1);
		kp_store_close(s2);
	}
}

/* The test's politeness key: "scheme://host" of a URL, -1 for none
 * (monitoring's kp_monitor_host_key in the program). */
static int test_key(const char *url, char *buf, size_t n)
{
	const char *p = strstr(url, "://");
	size_t len;
	if (!p)
		return -1;
	p += 3;
	len = (size_t)(p - url) + strcspn(p, "/");
	snprintf(buf, n, "%.*s", (int)len, url);
	return 0;
}

struct urls {
	char v[16][32];
	size_t n;
};

static void claimed_urls(const kp_job *jv, size_t n, struct urls *u)
{
	u->n = n;
	for (size_t i = 0; i < n; i++)
		snprintf(u->v[i], sizeof(u->v[i]), "%s", jv[i].url);
}

static bool has_url(const struct urls *u, const char *url)
{
	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->v[i], url))
			return true;
	return false;
}

/* A claim spread over hosts (migration 23, kp_store_jobs_claim_hosts):
 * of one host no more than the cap held by the worker, whichever claim
 * brought them; hosts free now before those waiting; jobs left for the
 * cap said (more); a lease run out frees its jobs and the cap; on
 * PostgreSQL two claims at once take disjoint jobs without waiting. */
static void test_jobs_claim_hosts(void **state)
{
	struct fix *f = *state;
	kp_store *s = f->s;
	kp_err e;
	kp_job jv[16];
	struct urls u;
	int64_t site[9], filled, wait, n;
	size_t got;
	bool more;
	char url[32];
	for (int i = 0; i < 9; i++) {
		if (i < 6)
			snprintf(url, sizeof(url), "http://a/%d", i + 1);
		else if (i < 8)
			snprintf(url, sizeof(url), "http://b/%d", i - 5);
		else
			snprintf(url, sizeof(url), "http://c/");
		assert_int_equal(kp_store_site_add(s, "甲", url, "网站", &site[i], &e), 0);
		assert_int_equal(kp_store_job_add(s, site[i], 1000 + i, NULL, &e), 0);
	}
	assert_int_equal(kp_store_site_add(s, "乙", "公众号：某某发布", "政务新媒体",
					   NULL, &e), 0);
	assert_int_equal(kp_store_sites_fill_hosts(s, test_key, &filled, &e), 0);
	assert_int_equal(filled, 10);
	assert_int_equal(kp_store_sites_fill_hosts(s, test_key, &filled, &e), 0);
	assert_int_equal(filled, 0);   /* all keyed, the account's as "" */
	assert_true(s->ops->run(s, "SELECT COUNT(*) FROM sites WHERE host = 'http://a'",
				NULL, 0, kp_row_first_int, &n, &e) >= 0);
	assert_int_equal(n, 6);
	assert_true(s->ops->run(s, "SELECT COUNT(*) FROM sites WHERE host = ''",
				NULL, 0, kp_row_first_int, &n, &e) >= 0);
	assert_int_equal(n, 1);
	/* A, 2 of a host at most: a's two oldest, both of b, c */
	assert_int_equal(kp_store_jobs_claim_hosts(s, "A", 2000, 50, 60, 8, "probe",
						   2, 5000, jv, &got, &more, &e), 0);
	assert_int_equal(got, 5);
	assert_true(more);   /* a's other four */
	claimed_urls(jv, got, &u);
	assert_true(has_url(&u, "http://a/1") && has_url(&u, "http://a/2"));
	assert_true(has_url(&u, "http://b/1") && has_url(&u, "http://b/2"));
	assert_true(has_url(&u, "http://c/"));
	/* A holds 2 of a: nothing more for A, though jobs are left */
	assert_int_equal(kp_store_jobs_claim_hosts(s, "A", 2000, 50, 60, 8, "probe",
						   2, 5000, jv, &got, &more, &e), 0);
	assert_int_equal(got, 0);
	assert_true(more);
	/* B holds none: a's next two */
	assert_int_equal(kp_store_jobs_claim_hosts(s, "B", 2000, 50, 60, 8, "probe",
						   2, 5000, jv, &got, &more, &e), 0);
	claimed_urls(jv, got, &u);
	assert_int_equal(got, 2);
	assert_true(has_url(&u, "http://a/3") && has_url(&u, "http://a/4"));
	/* a taken until 6000: at 5500 a newer job of a free host comes
	 * before a's older one; at 6000 a's is the oldest again */
	assert_int_equal(kp_store_host_take(s, "http://a", 1000, 5000, &wait, &e), 0);
	assert_int_equal(kp_store_job_add(s, site[8], 1100, NULL, &e), 0);
	assert_int_equal(kp_store_jobs_claim_hosts(s, "C", 2000, 50, 60, 1, "probe",
						   2, 5500, jv, &got, &more, &e), 0);
	assert_int_equal(got, 1);
	assert_string_equal(jv[0].url, "http://c/");
	assert_int_equal(jv[0].sched, 1100);
	assert_int_equal(kp_store_jobs_claim_hosts(s, "C", 2000, 50, 60, 1, "probe",
						   2, 6000, jv, &got, &more, &e), 0);
	assert_int_equal(got, 1);
	assert_string_equal(jv[0].url, "http://a/5");
	/* the leases run out at 60: at 61 all those jobs are free again, and
	 * so are the caps; D takes two of each host, oldest first: a's two
	 * oldest again (not a/6), b's two, c's two */
	assert_int_equal(kp_store_jobs_claim_hosts(s, "D", 2000, 61, 100, 16, "probe",
						   2, 7000, jv, &got, &more, &e), 0);
	claimed_urls(jv, got, &u);
	assert_int_equal(got, 6);
	assert_true(has_url(&u, "http://a/1") && has_url(&u, "http://a/2"));
	assert_false(has_url(&u, "http://a/6"));
	assert_true(more);
	/* a job is never held twice: 10 jobs, 9 leased, a/6 queued */
	assert_int_equal(kp_store_jobs_count(s, "leased", &n, &e), 0);
	assert_int_equal(n, 9);
	assert_int_equal(kp_store_jobs_count(s, "queued", &n, &e), 0);
	assert_int_equal(n, 1);
	/* no cap: kp_store_jobs_claim's, the rest of a (a/3 … a/5, whose
	 * leases ran out, and a/6) at once, and no more */
	assert_int_equal(kp_store_jobs_claim_hosts(s, "E", 2000, 61, 100, 16, "probe",
						   0, 7000, jv, &got, &more, &e), 0);
	claimed_urls(jv, got, &u);
	assert_int_equal(got, 4);
	assert_true(has_url(&u, "http://a/3") && has_url(&u, "http://a/6"));
	assert_false(more);
	if (on_pg) {
		/* two claims at once: F's, in a transaction not yet
		 * committed, holds its rows locked; G's skips them without
		 * waiting and takes others */
		kp_store *s2;
		int64_t t0 = 3000;
		for (int i = 0; i < 9; i++)
			assert_int_equal(kp_store_job_add(s, site[i], t0 + i, NULL, &e), 0);
		assert_int_equal(kp_store_open(f->conn, 0, &s2, &e), 0);
		assert_int_equal(s->ops->begin(s, &e), 0);
		assert_int_equal(kp_store_jobs_claim_hosts(s, "F", 4000, 200, 300, 3,
							   "probe", 2, 9000, jv, &got,
							   &more, &e), 0);
		assert_int_equal(got, 3);
		assert_int_equal(kp_store_jobs_claim_hosts(s2, "G", 4000, 200, 300, 13,
							   "probe", 2, 9000, jv + 3, &got,
							   &more, &e), 0);
		assert_true(got >= 1);
		for (size_t i = 3; i < 3 + got; i++)
			for (size_t k = 0; k < 3; k++)
				assert_true(jv[i].id != jv[k].id);
		assert_true(more);
		assert_int_equal(s->ops->commit(s, &e), 0);
		kp_store_close(s2);
	}
}

static void pg_unavailable(void **state)
{
	(void)state;
	if (getenv("CI")) {
		fail_msg("KP_TEST_PG 未设置：CI 中 PostgreSQL 测试必须运行"
			 "（tests/run.sh 用 scripts/pg-test.sh 启动临时集群）");
	}
	print_message("PostgreSQL 测试跳过：KP_TEST_PG 未设置\n");
	skip();
}

/* ---- a monitoring step's columns of every site (colchecks.c) ---- */

struct cols_seen {
	int n;
	int64_t site[4], inspection[4];
	char columns[4][96], summary[4][96];   /* "-" NULL */
};

static int collect_cols(void *ctx, const kp_site_columns *sc, kp_err *e)
{
	struct cols_seen *cs = ctx;
	int i;
	(void)e;
	for (i = 0; i < cs->n && cs->site[i] != sc->site; i++)
		;
	assert_true(i < 4);
	cs->n += i == cs->n;   /* a site again: its later call holds */
	cs->site[i] = sc->site;
	cs->inspection[i] = sc->inspection;
	snprintf(cs->columns[i], 96, "%s", sc->columns ? sc->columns : "-");
	snprintf(cs->summary[i], 96, "%s", sc->summary ? sc->summary : "-");
	return 0;
}

static int64_t nkept(kp_store *s)
{
	int64_t n = -1;
	kp_err e;
	assert_true(s->ops->run(s, "SELECT COUNT(*) FROM inspection_columns", NULL, 0,
				kp_row_first_int, &n, &e) >= 0);
	return n;
}

static void test_sites_columns(void **state)
{
	struct fix *f = *state;
	kp_err e;
	int64_t rid = new_round(f->s, "r"), a, b, c, d, id;
	kp_inspection_spec sp = mkinspection(unit_names[0], "http://a", NULL, 0);
	struct cols_seen cs;
	static const char cols[] = "[{\"name\":\"甲\\\"乙\",\"blank\":true}]";
	char whole[128];
	snprintf(whole, sizeof(whole), "{\"site\":\"a\",\"columns\":%s,\"n\":1}", cols);
	assert_int_equal(kp_store_site_add(f->s, "甲", "http://a/", "", &a, &e), 0);
	assert_int_equal(kp_store_site_add(f->s, "乙", "http://b/", "", &b, &e), 0);
	assert_int_equal(kp_store_site_add(f->s, "丙", "http://c/", "", &c, &e), 0);
	assert_int_equal(kp_store_site_add(f->s, "丁", "http://d/", "政务新媒体", &d, &e), 0);
	/* a: stored without its slash; b: a JSON that is not valid; c: no
	 * columns; d: not probed */
	sp.summary = whole;
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, NULL, &e), 0);
	sp.site = "http://b/";
	sp.summary = "{\"columns\":";
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, NULL, &e), 0);
	sp.site = "http://c/";
	sp.summary = "{\"site\":\"c\"}";
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, NULL, &e), 0);
	sp.site = "http://d/";
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, NULL, &e), 0);
	for (int round = 0; round < 2; round++) {
		memset(&cs, 0, sizeof(cs));
		assert_int_equal(kp_store_sites_columns(f->s, "2024-07-01", 0, collect_cols,
							&cs, &e), 0);
		assert_int_equal(cs.n, 3);
		assert_int_equal(cs.site[0], a);
		assert_int_equal(cs.inspection[0], 1);
		assert_int_equal(cs.site[2], c);
		if (on_pg) {
			/* the cast of b's JSON fails: the whole JSON of each,
			 * nothing kept */
			assert_string_equal(cs.summary[0], whole);
			assert_string_equal(cs.columns[0], "-");
			assert_string_equal(cs.summary[1], "{\"columns\":");
			assert_int_equal(nkept(f->s), 0);
		} else {
			/* cut by the database, kept (b's and c's as none) and
			 * read back the second time */
			assert_string_equal(cs.columns[0], cols);
			assert_string_equal(cs.summary[0], "-");
			assert_string_equal(cs.columns[1], "-");
			assert_string_equal(cs.summary[1], "-");
			assert_string_equal(cs.columns[2], "-");
			assert_int_equal(nkept(f->s), 3);
		}
	}
	/* b inspected anew, valid: PostgreSQL cuts too now */
	sp.site = "http://b/";
	sp.as_of = "2024-07-01";
	sp.summary = "{\"columns\":[]}";
	assert_int_equal(kp_store_inspection_add(f->s, rid, &sp, &id, &e), 0);
	for (int round = 0; round < 2; round++) {
		memset(&cs, 0, sizeof(cs));
		assert_int_equal(kp_store_sites_columns(f->s, "2024-07-01", 0, collect_cols,
							&cs, &e), 0);
		assert_int_equal(cs.n, 3);
		assert_string_equal(cs.columns[0], cols);
		assert_string_equal(cs.summary[0], "-");
		assert_int_equal(cs.inspection[1], id);
		assert_string_equal(cs.columns[1], "[]");
		assert_string_equal(cs.columns[2], "-");
		assert_string_equal(cs.summary[2], "-");
		assert_int_equal(nkept(f->s), on_pg ? 3 : 4);
	}
	/* as of the day before b's new one: its old one again */
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(kp_store_sites_columns(f->s, "2024-06-30", 0, collect_cols,
						&cs, &e), 0);
	assert_int_equal(cs.inspection[1], 2);
}

/* Migration 24: the availability window's counts come from each site's
 * Beijing days (probe_days), hours (probe_hours) and the probes of the
 * two partial hours at the window's ends.  Two sites' probes on, a second before and a second
 * after every 20 minutes (so on both sides of each hour's and each
 * window's edges), 1 in 13 failing, written one by one, again (not counted
 * twice) and through a worker's batch (twice: the second writes
 * nothing): for windows ending on, just after and just before an hour,
 * a window with no whole hour and one past the probes, the counts are
 * exactly those of the probes written — and the same again after the
 * table is dropped and migration 24 refills it from the probes. */
#define PH_T 1718928000LL   /* 2024-06-21T00:00:00Z */
#define PH_N 2000
/* in threes around every 20 minutes: a second before, on it, after */
static int64_t ph_sched(int k)
{
	return PH_T - 9 * 86400 + (int64_t)(k / 3) * 1200 + k % 3 - 1;
}
static bool ph_ok(int k) { return k % 13 != 5; }

struct ph_seen { int64_t site[2], probes[2], failures[2]; int rows; };
static int ph_row(void *ctx, const kp_probe_stats *ps, kp_err *e)
{
	struct ph_seen *seen = ctx;
	(void)e;
	for (int i = 0; i < 2; i++)
		if (ps->site == seen->site[i]) {
			seen->probes[i] = ps->probes;
			seen->failures[i] = ps->failures;
		}
	seen->rows++;
	return 0;
}

static void ph_check(kp_store *s, const int64_t site[2])
{
	/* on, after and before an hour, a Beijing midnight (16:00Z) */
	static const int64_t ends[] = { PH_T, PH_T + 1, PH_T - 1, PH_T - 2, PH_T + 1799,
					PH_T + 3599, PH_T - 86400 + 1234,
					PH_T - 28800, PH_T - 28799, PH_T - 28801, PH_T - 28802,
					PH_T + 30 * 86400 };
	/* a week (less a second, as a step's window), 2 days, 23 hours and
	 * 1000 s: whole days, none, no whole hour */
	static const int64_t lens[] = { 7 * 86400 - 1, 2 * 86400, 23 * 3600, 1000 };
	kp_err e = { 0 };
	for (size_t w = 0; w < 4 * sizeof(ends) / sizeof(ends[0]); w++) {
		int64_t to = ends[w / 4];
		int64_t wfrom = to - lens[w % 4];
		struct ph_seen seen = { { site[0], site[1] }, { 0 }, { 0 }, 0 };
		int64_t n = 0, f = 0;
		for (int k = 0; k < PH_N; k++)
			if (ph_sched(k) >= wfrom && ph_sched(k) <= to) {
				n++;
				f += !ph_ok(k);
			}
		assert_int_equal(kp_store_probe_stats(s, to - 20 * 86400, wfrom, to,
						      ph_row, &seen, &e), 0);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(seen.probes[i], n);
			assert_int_equal(seen.failures[i], f);
		}
	}
}

static void test_probe_hours(void **state)
{
	struct fix *f = *state;
	kp_err e = { 0 };
	int64_t site[2], ids[8], n = 0, want = 0;
	kp_job jv[8];
	kp_probe pv[8];
	bool written[8];
	size_t got;
	int added;
	assert_int_equal(kp_store_site_add(f->s, "甲", "http://h1/", "网站", &site[0], &e), 0);
	assert_int_equal(kp_store_site_add(f->s, "乙", "http://h2/", "网站", &site[1], &e), 0);
	for (int k = 0; k < PH_N; k++)
		for (int i = 0; i < 2; i++) {
			kp_probe p = { .site = site[i], .sched = ph_sched(k),
				       .at = ph_sched(k), .status = ph_ok(k) ? 200 : 503,
				       .ok = ph_ok(k), .error = "", .hash = "h" };
			/* the first site's last 8 come from a worker below */
			if (i == 0 && k >= PH_N - 8) {
				assert_int_equal(kp_store_job_add(f->s, site[0], ph_sched(k), NULL, &e), 0);
				continue;
			}
			assert_int_equal(kp_store_probe_put(f->s, &p, &added, &e), 0);
			assert_int_equal(added, 1);
			if (k % 3 == 0) {   /* again: not a second probe */
				assert_int_equal(kp_store_probe_put(f->s, &p, &added, &e), 0);
				assert_int_equal(added, 0);
			}
		}
	assert_int_equal(kp_store_jobs_claim(f->s, "A", PH_T + 86400, 50, 60, 8,
					     NULL, jv, &got, &e), 0);
	assert_int_equal(got, 8);
	/* handed over in reverse: written in (site, sched) order anyway */
	for (size_t i = 0; i < got; i++) {
		size_t j = got - 1 - i;
		int k = PH_N - 8;
		while (ph_sched(k) != jv[j].sched)
			k++;
		ids[i] = jv[j].id;
		pv[i] = (kp_probe){ .site = jv[j].site, .sched = jv[j].sched,
				    .at = jv[j].sched, .status = 200, .ok = ph_ok(k),
				    .error = "", .hash = "h" };
	}
	assert_int_equal(kp_store_jobs_done(f->s, "A", ids, pv, got, written, &e), 0);
	for (size_t i = 0; i < got; i++)
		assert_true(written[i]);
	assert_int_equal(kp_store_jobs_done(f->s, "A", ids, pv, got, written, &e), 0);
	assert_false(written[0]);
	ph_check(f->s, site);
	/* an hour's row holds that hour's probes */
	assert_true(f->s->ops->run(f->s, "SELECT n FROM probe_hours WHERE site_id = ?"
				   " AND hour = ?", (kp_val[]){ KV_INT(site[0]),
				   KV_INT(PH_T / 3600 - 1) }, 2, kp_row_first_int, &n, &e) >= 0);
	for (int k = 0; k < PH_N; k++)
		want += ph_sched(k) >= PH_T - 3600 && ph_sched(k) < PH_T;
	assert_int_equal(n, want);   /* 9 */
	/* from the probes alone, as migration 24 fills it (the later ones
	 * run again too: the store migrates from its highest version) */
	assert_int_equal(f->s->ops->exec(f->s, "DROP TABLE probe_hours;"
					 "DROP TABLE probe_days;"
					 "DROP TABLE site_home;"
					 "DELETE FROM schema_version WHERE version >= 24", &e), 0);
	kp_store_close(f->s);
	assert_int_equal(kp_store_open(f->conn, 0, &f->s, &e), 0);
	ph_check(f->s, site);
}

/* Migration 26: a site's homepage run (site_home) gives a step's first
 * successful probe and last change without reading the probes back —
 * exactly what the probes read one by one give.  Random histories of 8
 * sites (probes every 2 hours for 40 days, a tenth failing): a homepage
 * that never changes, one changing at every probe, ones changing now
 * and then, with the empty hash among them; two sites' probes partly
 * written late (after newer ones: their state goes dirty and is read
 * from the probes), one site's last probes through a worker's batch.
 * At checkpoints while writing and after, for steps `to` on, just
 * before and after probes (before the newest probe too: read from the
 * probes) and past them, and lookbacks from 2 hours to 20 days,
 * first_ok and last_change are those computed here probe by probe; the
 * same after migration 26 refills the table from the probes. */
#define SH_SITES 8
#define SH_N 480
#define SH_T0 1717200000LL   /* 2024-06-01T00:00:00Z */
struct sh_probe { int64_t sched; bool ok; char hash[8]; bool written; };
struct sh_hist { struct sh_probe p[SH_SITES][SH_N]; int64_t site[SH_SITES]; };
static uint64_t sh_rand_state;
static uint32_t sh_rand(void)
{
	sh_rand_state = sh_rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(sh_rand_state >> 33);
}

/* what the probes written give, one by one, for site i at [from, to] */
static void sh_want(const struct sh_hist *h, int i, int64_t from, int64_t to,
		    int64_t *first_ok, int64_t *last_change)
{
	const struct sh_probe *last = NULL, *other = NULL;
	*first_ok = *last_change = 0;
	for (int k = 0; k < SH_N; k++) {
		const struct sh_probe *p = &h->p[i][k];
		if (p->written && p->ok && p->sched >= from && p->sched <= to) {
			if (!*first_ok)
				*first_ok = p->sched;
			last = p;
		}
	}
	if (!last)
		return;
	for (int k = 0; k < SH_N; k++) {
		const struct sh_probe *p = &h->p[i][k];
		if (p->written && p->ok && p->sched >= from && p->sched <= to &&
		    strcmp(p->hash, last->hash))
			other = p;
	}
	for (int k = 0; other && k < SH_N; k++) {
		const struct sh_probe *p = &h->p[i][k];
		if (p->written && p->ok && p->sched > other->sched && p->sched <= to) {
			*last_change = p->sched;
			break;
		}
	}
}

struct sh_seen { const struct sh_hist *h; int64_t first_ok[SH_SITES],
		 last_change[SH_SITES]; };
static int sh_row(void *ctx, const kp_probe_stats *ps, kp_err *e)
{
	struct sh_seen *seen = ctx;
	(void)e;
	for (int i = 0; i < SH_SITES; i++)
		if (ps->site == seen->h->site[i]) {
			seen->first_ok[i] = ps->first_ok;
			seen->last_change[i] = ps->last_change;
		}
	return 0;
}

/* every step's answer against the probes'; the number of answers that
 * were a change */
static int sh_check(kp_store *s, const struct sh_hist *h, int64_t newest)
{
	static const int64_t lens[] = { 20 * 86400, 7 * 86400, 3 * 86400 + 7200,
					86400, 7200 };
	kp_err e = { 0 };
	int changes = 0;
	for (int t = 0; t < 40; t++) {
		/* on, a second before and after a probe (any site's: all at
		 * the same times), the newest, past them all */
		int64_t to = t < 30 ? SH_T0 + (int64_t)(sh_rand() % SH_N) * 7200
				      + (int)(t % 3) - 1
			   : t < 36 ? newest + (t - 33) : newest + (t - 35) * 86400;
		for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			int64_t from = to - lens[l];
			int64_t wfrom = to - 7 * 86400 + 1 > from ? to - 7 * 86400 + 1
								  : from;
			struct sh_seen seen = { .h = h };
			assert_int_equal(kp_store_probe_stats(s, from, wfrom, to, sh_row,
							      &seen, &e), 0);
			for (int i = 0; i < SH_SITES; i++) {
				int64_t fo, lc;
				sh_want(h, i, from, to, &fo, &lc);
				if (seen.first_ok[i] != fo || seen.last_change[i] != lc)
					fail_msg("site %d, [%lld, %lld]: first_ok %lld, last"
						 " change %lld; the probes give %lld, %lld", i,
						 (long long)from, (long long)to,
						 (long long)seen.first_ok[i],
						 (long long)seen.last_change[i], (long long)fo,
						 (long long)lc);
				changes += lc != 0;
			}
		}
	}
	return changes;
}

static int64_t sh_dirty(kp_store *s, int64_t site)
{
	kp_err e = { 0 };
	int64_t d = -1;
	assert_true(s->ops->run(s, "SELECT dirty FROM site_home WHERE site_id = ?",
				(kp_val[]){ KV_INT(site) }, 1, kp_row_first_int, &d,
				&e) >= 0);
	return d;
}

static void test_site_home(void **state)
{
	struct fix *f = *state;
	struct sh_hist *h = calloc(1, sizeof(*h));
	kp_err e = { 0 };
	/* chance in 1000 a probe changes the hash: never, always, now and
	 * then; sites 6 and 7 are written partly late */
	static const unsigned change[SH_SITES] = { 0, 1000, 20, 150, 5, 400, 60, 30 };
	int64_t newest = 0, ids[6], repaired = -1;
	int changes = 0, late[SH_SITES][SH_N], nlate[SH_SITES] = { 0 };
	kp_job jv[6];
	kp_probe pv[6];
	bool written[6];
	size_t got;
	sh_rand_state = 26;
	for (int i = 0; i < SH_SITES; i++) {
		char name[16], url[32];
		int cur = (int)(sh_rand() % 4);
		snprintf(name, sizeof(name), "站%d", i);
		snprintf(url, sizeof(url), "http://h%d/", i);
		assert_int_equal(kp_store_site_add(f->s, name, url, "网站", &h->site[i],
						   &e), 0);
		for (int k = 0; k < SH_N; k++) {
			struct sh_probe *p = &h->p[i][k];
			p->sched = SH_T0 + (int64_t)k * 7200;
			p->ok = sh_rand() % 10 != 0;
			if (sh_rand() % 1000 < change[i])
				cur = (cur + 1 + (int)(sh_rand() % 3)) % 4;
			/* "" is a hash too */
			snprintf(p->hash, sizeof(p->hash), "%s",
				 (const char *[]){ "", "a1", "b2", "c3" }[cur]);
		}
	}
	for (int k = 0; k < SH_N; k++) {
		for (int i = 0; i < SH_SITES; i++) {
			struct sh_probe *p = &h->p[i][k];
			kp_probe q = { .site = h->site[i], .sched = p->sched,
				       .at = p->sched, .status = p->ok ? 200 : 503,
				       .ok = p->ok, .error = "", .hash = p->hash };
			int added;
			/* site 0's last 6 come from a worker below */
			if (i == 0 && k >= SH_N - 6) {
				assert_int_equal(kp_store_job_add(f->s, h->site[0],
								  p->sched, NULL, &e), 0);
				continue;
			}
			/* late: held back, written a day or two later */
			if (i >= 6 && sh_rand() % 25 == 0) {
				late[i][nlate[i]++] = k;
				continue;
			}
			assert_int_equal(kp_store_probe_put(f->s, &q, &added, &e), 0);
			assert_int_equal(added, 1);
			p->written = true;
		}
		for (int i = 6; i < SH_SITES; i++)
			while (nlate[i] && late[i][0] + (int)(sh_rand() % 24) < k) {
				struct sh_probe *p = &h->p[i][late[i][0]];
				kp_probe q = { .site = h->site[i], .sched = p->sched,
					       .at = p->sched, .status = p->ok ? 200 : 503,
					       .ok = p->ok, .error = "", .hash = p->hash };
				assert_int_equal(kp_store_probe_put(f->s, &q, NULL, &e), 0);
				p->written = true;
				memmove(late[i], late[i] + 1, --nlate[i] * sizeof(int));
			}
		newest = h->p[1][k].sched;
		if (k == 40 || k == 200 || k == 333)
			changes += sh_check(f->s, h, newest);
	}
	/* site 0's last 6, handed over in reverse through a worker */
	assert_int_equal(kp_store_jobs_claim(f->s, "A", SH_T0 + 100 * 86400, 50, 60,
					     6, NULL, jv, &got, &e), 0);
	assert_int_equal(got, 6);
	for (size_t j = 0; j < got; j++) {
		const struct sh_probe *p = &h->p[0][(jv[j].sched - SH_T0) / 7200];
		ids[got - 1 - j] = jv[j].id;
		pv[got - 1 - j] = (kp_probe){ .site = jv[j].site, .sched = jv[j].sched,
					      .at = jv[j].sched,
					      .status = p->ok ? 200 : 503, .ok = p->ok,
					      .error = "", .hash = p->hash };
	}
	assert_int_equal(kp_store_jobs_done(f->s, "A", ids, pv, got, written, &e), 0);
	for (int k = SH_N - 6; k < SH_N; k++)
		h->p[0][k].written = true;
	/* the late ones still held back come last */
	for (int i = 6; i < SH_SITES; i++)
		for (int j = 0; j < nlate[i]; j++) {
			struct sh_probe *p = &h->p[i][late[i][j]];
			kp_probe q = { .site = h->site[i], .sched = p->sched,
				       .at = p->sched, .status = p->ok ? 200 : 503,
				       .ok = p->ok, .error = "", .hash = p->hash };
			assert_int_equal(kp_store_probe_put(f->s, &q, NULL, &e), 0);
			p->written = true;
		}
	/* in order: the state holds; written late: it does not */
	for (int i = 0; i < 6; i++)
		assert_int_equal(sh_dirty(f->s, h->site[i]), 0);
	assert_int_equal(sh_dirty(f->s, h->site[6]), 1);
	assert_int_equal(sh_dirty(f->s, h->site[7]), 1);
	changes += sh_check(f->s, h, newest);
	/* a step reads the dirty ones again from their probes: clean and
	 * right again, and in order from there */
	assert_int_equal(kp_store_site_home_repair(f->s, &repaired, &e), 0);
	assert_int_equal(repaired, 2);
	assert_int_equal(kp_store_site_home_repair(f->s, &repaired, &e), 0);
	assert_int_equal(repaired, 0);
	for (int i = 0; i < SH_SITES; i++)
		assert_int_equal(sh_dirty(f->s, h->site[i]), 0);
	changes += sh_check(f->s, h, newest);
	/* from the probes alone, as migration 26 fills it: every state
	 * clean and right */
	assert_int_equal(f->s->ops->exec(f->s, "DROP TABLE site_home;"
					 "DELETE FROM schema_version WHERE version >= 26", &e), 0);
	kp_store_close(f->s);
	assert_int_equal(kp_store_open(f->conn, 0, &f->s, &e), 0);
	for (int i = 0; i < SH_SITES; i++)
		assert_int_equal(sh_dirty(f->s, h->site[i]), 0);
	changes += sh_check(f->s, h, newest);
	/* the histories had changes to find (and steps without one) */
	assert_true(changes > 100);
	free(h);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_migrations),
		cmocka_unit_test(test_missing_sqlite_file),
		T(test_round_new_get),
		T(test_facts_roundtrip),
		T(test_facts_bulk),
		T(test_facts_lean_text),
		T(test_lean_kinds_sources),
		T(test_unknown_unit_stores_nothing),
		T(test_batch_and_parts),
		T(test_lean_upto),
		T(test_results),
		T(test_audit),
		T(test_retable),
		T(test_scheme_round),
		T(test_migrate_from_v1),
		T(test_two_writers_lose_nothing),
		T(test_killed_mid_write),
		T(test_inspections),
		T(test_inspection_refused_stores_nothing),
		T(test_inspection_killed_mid_write),
		T(test_jobs_claim_hosts),
		T(test_sites_columns),
		T(test_probe_hours),
		T(test_site_home),
	};
	const struct CMUnitTest pg_tests[] = {
		T(test_migrations),
		T(test_round_new_get),
		T(test_facts_roundtrip),
		T(test_facts_bulk),
		T(test_facts_lean_text),
		T(test_lean_kinds_sources),
		T(test_unknown_unit_stores_nothing),
		T(test_batch_and_parts),
		T(test_lean_upto),
		T(test_results),
		T(test_audit),
		T(test_retable),
		T(test_scheme_round),
		T(test_migrate_from_v1),
		T(test_two_writers_lose_nothing),
		T(test_killed_mid_write),
		T(test_inspections),
		T(test_inspection_refused_stores_nothing),
		T(test_inspection_killed_mid_write),
		T(test_jobs_claim_hosts),
		T(test_sites_columns),
		T(test_probe_hours),
		T(test_site_home),
	};
	const struct CMUnitTest pg_missing[] = {
		cmocka_unit_test(pg_unavailable),
	};
	int failed = 0;
	char cmd[64];
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	on_pg = false;
	failed += cmocka_run_group_tests_name("store/sqlite", tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	on_pg = true;
	if (getenv("KP_TEST_PG") && *getenv("KP_TEST_PG"))
		failed += cmocka_run_group_tests_name("store/postgresql", pg_tests,
						      NULL, NULL);
	else
		failed += cmocka_run_group_tests_name("store/postgresql", pg_missing,
						      NULL, NULL);
	return failed ? 1 : 0;
}
