/* store — the logic, written once over the backends' narrow interface. */
#include "store/store_int.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- migrations -------------------------------------------------------
 * Numbered, never edited once released: a change of schema is a new row.
 * "%ID%" becomes the backend's auto-numbered key.  A row may add SQL for
 * one backend only (triggers differ). */

struct migration {
	int version;
	const char *sql;
	const char *sqlite_sql;
	const char *pg_sql;
};

static const struct migration migrations[] = {
	{ 1,
	  "CREATE TABLE schemes ("
	  " id %ID%,"
	  " table_id TEXT NOT NULL,"
	  " title TEXT NOT NULL,"
	  " hash TEXT NOT NULL,"
	  " body TEXT NOT NULL,"
	  " created_at TEXT NOT NULL,"
	  " UNIQUE (table_id, hash));"
	  "CREATE TABLE rounds ("
	  " id %ID%,"
	  " name TEXT NOT NULL UNIQUE,"
	  " period TEXT NOT NULL,"
	  " scheme_id BIGINT NOT NULL REFERENCES schemes(id),"
	  " table_source TEXT NOT NULL,"
	  " registry TEXT NOT NULL,"
	  " created_at TEXT NOT NULL,"
	  " created_by TEXT NOT NULL,"
	  " scored_seq BIGINT NOT NULL DEFAULT -1);"
	  "CREATE TABLE units ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " name TEXT NOT NULL,"
	  " type TEXT NOT NULL,"
	  " aliases TEXT NOT NULL,"
	  " tags TEXT NOT NULL,"
	  " UNIQUE (round_id, name));"
	  "CREATE TABLE batches ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " file TEXT NOT NULL,"
	  " author TEXT NOT NULL,"
	  " added_at TEXT NOT NULL,"
	  " count BIGINT NOT NULL);"
	  "CREATE TABLE facts ("
	  " seq %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " batch_id BIGINT NOT NULL REFERENCES batches(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " indicator TEXT NOT NULL,"
	  " kind TEXT NOT NULL,"
	  " name TEXT NOT NULL,"
	  " num BIGINT,"
	  " den BIGINT,"
	  " source TEXT NOT NULL,"
	  " author TEXT NOT NULL,"
	  " time TEXT NOT NULL,"
	  " url TEXT NOT NULL,"
	  " note TEXT NOT NULL,"
	  " line BIGINT NOT NULL);"
	  "CREATE INDEX facts_by_unit ON facts (round_id, unit_id, seq);"
	  "CREATE TABLE results ("
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " total_n BIGINT NOT NULL,"
	  " total_d BIGINT NOT NULL,"
	  " self_n BIGINT,"
	  " self_d BIGINT,"
	  " vetoed BIGINT NOT NULL,"
	  " outcome TEXT NOT NULL,"
	  " convert TEXT NOT NULL,"
	  " conv_n BIGINT,"
	  " conv_d BIGINT,"
	  " rank BIGINT NOT NULL,"
	  " computed_at TEXT NOT NULL,"
	  " PRIMARY KEY (round_id, unit_id));"
	  "CREATE TABLE audit ("
	  " id %ID%,"
	  " at TEXT NOT NULL,"
	  " who TEXT NOT NULL,"
	  " round_id BIGINT REFERENCES rounds(id),"
	  " action TEXT NOT NULL,"
	  " detail TEXT NOT NULL);",
	  /* facts and the audit log are append-only */
	  "CREATE TRIGGER facts_append_only_u BEFORE UPDATE ON facts"
	  " BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;"
	  "CREATE TRIGGER facts_append_only_d BEFORE DELETE ON facts"
	  " BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;"
	  "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
	  " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	  "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
	  " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	  "CREATE FUNCTION kp_append_only() RETURNS trigger LANGUAGE plpgsql"
	  " AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;"
	  "CREATE TRIGGER facts_append_only BEFORE UPDATE OR DELETE ON facts"
	  " FOR EACH ROW EXECUTE FUNCTION kp_append_only();"
	  "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit"
	  " FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

int kp_store_schema_latest(void)
{
	return migrations[NMIGRATIONS - 1].version;
}

static int col_int(void *ctx, const kp_val *c, int n, kp_err *e)
{
	(void)e;
	if (n > 0 && c[0].t == KP_V_INT)
		*(int64_t *)ctx = c[0].i;
	return 0;
}

int kp_store_schema_version(kp_store *s, int *out, kp_err *e)
{
	int64_t v = 0;
	if (!s->ops->has_table(s, "schema_version")) {
		*out = 0;
		return 0;
	}
	if (s->ops->run(s, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
			NULL, 0, col_int, &v, e) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int subst_id(kp_buf *b, const char *sql, const char *id)
{
	const char *p;
	while ((p = strstr(sql, "%ID%"))) {
		kp_buf_add(b, sql, (size_t)(p - sql));
		kp_buf_adds(b, id);
		sql = p + 4;
	}
	return kp_buf_adds(b, sql);
}

static int migrate(kp_store *s, kp_err *e)
{
	int have;
	char now[24];
	if (kp_store_schema_version(s, &have, e) < 0)
		return -1;
	if (have > kp_store_schema_latest())
		return kp_fail(e, KP_EINPUT,
			       "%s：数据库结构版本 %d 比本程序认识的 %d 新，请升级 kaoping",
			       s->where, have, kp_store_schema_latest());
	if (have == kp_store_schema_latest())
		return 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->lock_schema(s, e) < 0)
		goto fail;
	if (s->ops->exec(s, "CREATE TABLE IF NOT EXISTS schema_version ("
			    " version BIGINT PRIMARY KEY,"
			    " applied_at TEXT NOT NULL)", e) < 0)
		goto fail;
	/* again, under the lock: another process may have migrated */
	if (kp_store_schema_version(s, &have, e) < 0)
		goto fail;
	for (size_t i = 0; i < NMIGRATIONS; i++) {
		const struct migration *m = &migrations[i];
		const char *extra = strcmp(s->ops->name, "sqlite") ? m->pg_sql
								   : m->sqlite_sql;
		kp_buf b = KP_BUF_INIT;
		kp_val p[2];
		int r;
		if (m->version <= have)
			continue;
		subst_id(&b, m->sql, s->ops->id_ddl);
		if (extra)
			kp_buf_adds(&b, extra);
		r = s->ops->exec(s, b.data, e);
		kp_buf_release(&b);
		if (r < 0)
			goto fail;
		p[0] = KV_INT(m->version);
		p[1] = KV_TEXT(kp_store_now(now));
		if (s->ops->run(s, "INSERT INTO schema_version (version, applied_at)"
				   " VALUES (?, ?)", p, 2, NULL, NULL, e) < 0)
			goto fail;
	}
	return s->ops->commit(s, e);
fail:
	s->ops->rollback(s);
	return -1;
}

/* ---- open and close -------------------------------------------------- */

static bool is_pg(const char *conn)
{
	const char *eq, *sl;
	if (!strncmp(conn, "postgresql://", 13) || !strncmp(conn, "postgres://", 11))
		return true;
	/* a libpq "key=value …" conninfo: a bare word and '=' before any '/' */
	eq = strchr(conn, '=');
	sl = strchr(conn, '/');
	if (!eq || (sl && sl < eq))
		return false;
	for (const char *p = conn; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' || *p == ' '))
			return false;
	return eq > conn;
}

int kp_store_open(const char *conn, int flags, kp_store **out, kp_err *e)
{
	kp_store *s;
	int r;
	*out = NULL;
	if (!conn || !*conn)
		return kp_fail(e, KP_EINPUT, "没有给出数据库（--db 或环境变量 KAOPING_DB）");
	s = kp_xcalloc(1, sizeof(*s));
	if (is_pg(conn))
		r = kp_pg_open(s, conn, e);
	else
		r = kp_sqlite_open(s, strncmp(conn, "sqlite:", 7) ? conn : conn + 7,
				   flags, e);
	if (r < 0) {
		free(s->where);
		free(s);
		return -1;
	}
	if (migrate(s, e) < 0) {
		kp_store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void kp_store_close(kp_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		s->ops->rollback(s);
	s->ops->close(s);
	free(s->where);
	free(s);
}

const char *kp_store_backend(const kp_store *s)
{
	return s->ops->name;
}

const char *kp_store_where(const kp_store *s)
{
	return s->where;
}

/* ---- helpers --------------------------------------------------------- */

const char *kp_store_hash(const char *text, size_t n, char *buf)
{
	/* FNV-1a, 64 bits: a fingerprint to notice edits, not a defence */
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(buf, 17, "%016llx", (unsigned long long)h);
	return buf;
}

const char *kp_store_now(char *buf)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

long kp_store_test_kill_after(void)
{
	const char *v = getenv("KP_TEST_KILL_AFTER");
	return v && *v ? kp_digits(v, v + strlen(v), 1000000000L) : -1;
}

void kp_store_test_kill_point(long after, size_t written)
{
	if (after >= 0 && written == (size_t)after)
		raise(SIGKILL);
}

static char *dup_or_empty(const kp_val *v)
{
	return kp_xstrdup(v->t == KP_V_TEXT ? v->s : "");
}

static const char *txt(const kp_val *v)
{
	return v->t == KP_V_TEXT ? v->s : "";
}

static int audit_in_tx(kp_store *s, int64_t round, const char *who,
		       const char *action, const char *detail, kp_err *e)
{
	char now[24];
	kp_val p[5] = { KV_TEXT(kp_store_now(now)), KV_TEXT(who ? who : ""),
			round ? KV_INT(round) : KV_NULL, KV_TEXT(action),
			KV_TEXT(detail ? detail : "") };
	return s->ops->run(s, "INSERT INTO audit (at, who, round_id, action, detail)"
			      " VALUES (?, ?, ?, ?, ?)", p, 5, NULL, NULL, e) < 0
		       ? -1 : 0;
}

static int begin(kp_store *s, kp_err *e)
{
	if (s->ops->begin(s, e) < 0)
		return -1;
	return 0;
}

static int fail_tx(kp_store *s)
{
	s->ops->rollback(s);
	return -1;
}

/* ---- rounds ---------------------------------------------------------- */

void kp_round_release(kp_round *r)
{
	free(r->name);
	free(r->period);
	free(r->table_id);
	free(r->table_source);
	free(r->table_hash);
	free(r->registry);
	free(r->created_at);
	free(r->created_by);
	memset(r, 0, sizeof(*r));
}

static int found_id(void *ctx, const kp_val *c, int n, kp_err *e)
{
	(void)e;
	if (n > 0 && c[0].t == KP_V_INT)
		*(int64_t *)ctx = c[0].i;
	return 0;
}

int kp_store_round_new(kp_store *s, const kp_round_spec *sp, int64_t *id,
		       kp_err *e)
{
	char now[24], hash[17];
	int64_t scheme = 0, rid = 0;
	kp_buf detail = KP_BUF_INIT;
	kp_store_now(now);
	kp_store_hash(sp->table_text, strlen(sp->table_text), hash);
	if (begin(s, e) < 0)
		return -1;
	{
		kp_val p[1] = { KV_TEXT(sp->name) };
		if (s->ops->run(s, "SELECT id FROM rounds WHERE name = ?", p, 1,
				found_id, &rid, e) < 0)
			return fail_tx(s);
		if (rid) {
			s->ops->rollback(s);
			return kp_fail(e, KP_EINPUT, "%s：已有名为“%s”的轮次（换一个 --name）",
				       s->where, sp->name);
		}
	}
	{
		kp_val p[2] = { KV_TEXT(sp->table_id), KV_TEXT(hash) };
		if (s->ops->run(s, "SELECT id FROM schemes WHERE table_id = ? AND hash = ?",
				p, 2, found_id, &scheme, e) < 0)
			return fail_tx(s);
	}
	if (!scheme) {
		kp_val p[5] = { KV_TEXT(sp->table_id), KV_TEXT(sp->table_title),
				KV_TEXT(hash), KV_TEXT(sp->table_text),
				KV_TEXT(now) };
		if (s->ops->run(s, "INSERT INTO schemes (table_id, title, hash, body, created_at)"
				   " VALUES (?, ?, ?, ?, ?) RETURNING id",
				p, 5, found_id, &scheme, e) < 0)
			return fail_tx(s);
	}
	{
		kp_val p[7] = { KV_TEXT(sp->name), KV_TEXT(sp->period),
				KV_INT(scheme), KV_TEXT(sp->table_source),
				KV_TEXT(sp->registry), KV_TEXT(now),
				KV_TEXT(sp->author) };
		if (s->ops->run(s, "INSERT INTO rounds (name, period, scheme_id, table_source,"
				   " registry, created_at, created_by)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
				p, 7, found_id, &rid, e) < 0)
			return fail_tx(s);
	}
	for (size_t i = 0; i < sp->nunits; i++) {
		kp_val p[5] = { KV_INT(rid), KV_TEXT(sp->unit_names[i]),
				KV_TEXT(sp->unit_types ? sp->unit_types[i] : ""),
				KV_TEXT(sp->unit_aliases ? sp->unit_aliases[i] : ""),
				KV_TEXT(sp->unit_tags ? sp->unit_tags[i] : "") };
		if (s->ops->run(s, "INSERT INTO units (round_id, name, type, aliases, tags)"
				   " VALUES (?, ?, ?, ?, ?)", p, 5, NULL, NULL, e) < 0)
			return fail_tx(s);
	}
	kp_buf_addf(&detail, "轮次“%s”（%s）：表 %s（指纹 %s），单位 %zu 个（%s）",
		    sp->name, sp->period, sp->table_id, hash, sp->nunits,
		    sp->registry);
	if (audit_in_tx(s, rid, sp->author, "round-new", detail.data, e) < 0) {
		kp_buf_release(&detail);
		return fail_tx(s);
	}
	kp_buf_release(&detail);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (id)
		*id = rid;
	return 0;
}

/* The round with its counts, in time bounded by its units, not its
 * facts (a national round has millions): the number of facts is the sum
 * of its batches' counts (each written in the batch's own transaction;
 * cast, as PostgreSQL's SUM of integers is numeric),
 * the last seq the largest of each unit's last, one index seek a unit. */
#define ROUND_SELECT                                                         \
	"SELECT r.id, r.name, r.period, s.table_id, r.table_source, s.hash,"  \
	" r.registry, r.created_at, r.created_by,"                            \
	" (SELECT COUNT(*) FROM units u WHERE u.round_id = r.id),"            \
	" (SELECT CAST(COALESCE(SUM(b.count), 0) AS BIGINT) FROM batches b"   \
	"   WHERE b.round_id = r.id),"                                        \
	" (SELECT COUNT(*) FROM results x WHERE x.round_id = r.id),"          \
	" (SELECT COALESCE(MAX((SELECT MAX(f.seq) FROM facts f"               \
	"   WHERE f.round_id = r.id AND f.unit_id = u.id)), 0)"               \
	"   FROM units u WHERE u.round_id = r.id),"                           \
	" r.scored_seq"                                                       \
	" FROM rounds r JOIN schemes s ON s.id = r.scheme_id"

static void round_from_row(kp_round *r, const kp_val *c)
{
	r->id = c[0].i;
	r->name = dup_or_empty(&c[1]);
	r->period = dup_or_empty(&c[2]);
	r->table_id = dup_or_empty(&c[3]);
	r->table_source = dup_or_empty(&c[4]);
	r->table_hash = dup_or_empty(&c[5]);
	r->registry = dup_or_empty(&c[6]);
	r->created_at = dup_or_empty(&c[7]);
	r->created_by = dup_or_empty(&c[8]);
	r->nunits = c[9].i;
	r->nfacts = c[10].i;
	r->nresults = c[11].i;
	r->last_seq = c[12].i;
	r->scored_seq = c[13].i;
}

static int round_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_round *r = ctx;
	(void)e;
	if (n < 14)
		return 0;
	kp_round_release(r);
	round_from_row(r, c);
	return 0;
}

int kp_store_round_get(kp_store *s, const char *name, kp_round *out,
		       kp_err *e)
{
	int64_t n;
	memset(out, 0, sizeof(*out));
	if (name) {
		kp_val p[1] = { KV_TEXT(name) };
		n = s->ops->run(s, ROUND_SELECT " WHERE r.name = ?", p, 1,
				round_row, out, e);
	} else {
		n = s->ops->run(s, ROUND_SELECT " ORDER BY r.id DESC LIMIT 1",
				NULL, 0, round_row, out, e);
	}
	if (n < 0)
		return -1;
	if (n == 0) {
		if (name)
			return kp_fail(e, KP_EINPUT, "%s：没有名为“%s”的轮次（见 kaoping eval list）",
				       s->where, name);
		return kp_fail(e, KP_EINPUT, "%s：还没有轮次（先运行 kaoping eval new）",
			       s->where);
	}
	return 0;
}

struct rounds_ctx {
	kp_round_fn fn;
	void *ctx;
};

static int rounds_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct rounds_ctx *rc = ctx;
	kp_round r;
	int ret;
	if (n < 14)
		return 0;
	memset(&r, 0, sizeof(r));
	round_from_row(&r, c);
	ret = rc->fn(rc->ctx, &r, e);
	kp_round_release(&r);
	return ret;
}

int kp_store_rounds_each(kp_store *s, kp_round_fn fn, void *ctx, kp_err *e)
{
	struct rounds_ctx rc = { fn, ctx };
	return s->ops->run(s, ROUND_SELECT " ORDER BY r.id", NULL, 0,
			   rounds_row, &rc, e) < 0 ? -1 : 0;
}

static int text_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	(void)e;
	if (n > 0)
		kp_buf_adds(ctx, txt(&c[0]));
	return 0;
}

int kp_store_round_table(kp_store *s, int64_t round, kp_buf *out, kp_err *e)
{
	kp_val p[1] = { KV_INT(round) };
	int64_t n = s->ops->run(s, "SELECT s.body FROM rounds r JOIN schemes s"
				   " ON s.id = r.scheme_id WHERE r.id = ?",
				p, 1, text_row, out, e);
	if (n < 0)
		return -1;
	if (n == 0)
		return kp_fail(e, KP_EINPUT, "%s：没有编号为 %lld 的轮次", s->where,
			       (long long)round);
	return 0;
}

int kp_store_round_retable(kp_store *s, int64_t round, const char *text,
			   const char *hash, const char *author, kp_err *e)
{
	char now[24];
	int64_t nfacts = 0, scheme = 0;
	kp_buf table_id = KP_BUF_INIT, title = KP_BUF_INIT, detail = KP_BUF_INIT;
	kp_val p1[1] = { KV_INT(round) };
	int ret = -1;
	if (begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT COUNT(*) FROM facts WHERE round_id = ?", p1, 1,
			col_int, &nfacts, e) < 0 ||
	    s->ops->run(s, "SELECT s.table_id FROM rounds r JOIN schemes s"
			   " ON s.id = r.scheme_id WHERE r.id = ?", p1, 1,
			text_row, &table_id, e) < 0 ||
	    s->ops->run(s, "SELECT s.title FROM rounds r JOIN schemes s"
			   " ON s.id = r.scheme_id WHERE r.id = ?", p1, 1,
			text_row, &title, e) < 0)
		goto out;
	if (nfacts) {
		kp_fail(e, KP_EINPUT, "%s：轮次已登记 %lld 条事实，不能再换表",
			s->where, (long long)nfacts);
		goto out;
	}
	{
		kp_val p[2] = { KV_TEXT(table_id.data ? table_id.data : ""),
				KV_TEXT(hash) };
		if (s->ops->run(s, "SELECT id FROM schemes WHERE table_id = ? AND hash = ?",
				p, 2, found_id, &scheme, e) < 0)
			goto out;
	}
	if (!scheme) {
		kp_val p[5] = { KV_TEXT(table_id.data ? table_id.data : ""),
				KV_TEXT(title.data ? title.data : ""),
				KV_TEXT(hash), KV_TEXT(text),
				KV_TEXT(kp_store_now(now)) };
		if (s->ops->run(s, "INSERT INTO schemes (table_id, title, hash, body, created_at)"
				   " VALUES (?, ?, ?, ?, ?) RETURNING id",
				p, 5, found_id, &scheme, e) < 0)
			goto out;
	}
	{
		kp_val p[2] = { KV_INT(scheme), KV_INT(round) };
		if (s->ops->run(s, "UPDATE rounds SET scheme_id = ? WHERE id = ?",
				p, 2, NULL, NULL, e) < 0)
			goto out;
	}
	kp_buf_addf(&detail, "表 %s 已修改（尚无事实），改用新内容（指纹 %s）",
		    table_id.data ? table_id.data : "", hash);
	if (audit_in_tx(s, round, author, "round-retable", detail.data, e) < 0)
		goto out;
	ret = s->ops->commit(s, e);
	goto done;
out:
	s->ops->rollback(s);
done:
	kp_buf_release(&table_id);
	kp_buf_release(&title);
	kp_buf_release(&detail);
	return ret;
}

/* ---- units ----------------------------------------------------------- */

struct units_ctx {
	kp_unit_fn fn;
	void *ctx;
};

static int units_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct units_ctx *uc = ctx;
	if (n < 4)
		return 0;
	return uc->fn(uc->ctx, txt(&c[0]), txt(&c[1]), txt(&c[2]), txt(&c[3]),
		      e);
}

int kp_store_units_each(kp_store *s, int64_t round, kp_unit_fn fn, void *ctx,
			kp_err *e)
{
	struct units_ctx uc = { fn, ctx };
	kp_val p[1] = { KV_INT(round) };
	return s->ops->run(s, "SELECT name, type, aliases, tags FROM units"
			      " WHERE round_id = ? ORDER BY id",
			   p, 1, units_row, &uc, e) < 0 ? -1 : 0;
}

/* ---- facts ----------------------------------------------------------- */

static const char *const kind_names[] = { "score", "fail", "quantity",
					  "veto", "na" };
static const char *const source_names[] = { "self", "assessor", "inspect",
					    "ledger" };

/* The round's units by name, for resolving ids without a query each. */
struct unit_id {
	char *name;
	int64_t id;
};

struct unit_map {
	struct unit_id *v;
	size_t n, cap;
};

static int unit_map_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct unit_map *m = ctx;
	(void)e;
	if (n < 2)
		return 0;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = kp_xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n].name = kp_xstrdup(txt(&c[1]));
	m->v[m->n].id = c[0].i;
	m->n++;
	return 0;
}

static int unit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct unit_id *)a)->name,
		      ((const struct unit_id *)b)->name);
}

static void unit_map_release(struct unit_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static int64_t unit_map_find(const struct unit_map *m, const char *name)
{
	struct unit_id key = { (char *)name, 0 }, *hit;
	if (!m->n)
		return 0;
	hit = bsearch(&key, m->v, m->n, sizeof(*m->v), unit_cmp);
	return hit ? hit->id : 0;
}

static int unit_map_load(kp_store *s, int64_t round, struct unit_map *m,
			 kp_err *e)
{
	kp_val p[1] = { KV_INT(round) };
	memset(m, 0, sizeof(*m));
	if (s->ops->run(s, "SELECT id, name FROM units WHERE round_id = ?", p, 1,
			unit_map_row, m, e) < 0)
		return -1;
	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), unit_cmp);
	return 0;
}

/* A batch being written: the transaction is open from begin to commit
 * or abort, and only the round's unit map is held, however many facts
 * go through. */
struct kp_store_batch {
	kp_store *s;
	int64_t round, id;
	char *file, *author;
	struct unit_map m;
	size_t n;                 /* facts stored so far */
	long kill_after;          /* test hook */
};

int kp_store_batch_begin(kp_store *s, int64_t round, const char *file,
			 const char *author, kp_store_batch **out, kp_err *e)
{
	char now[24];
	int64_t exists = 0;
	kp_store_batch *b;
	kp_val pr[1] = { KV_INT(round) };
	*out = NULL;
	kp_store_now(now);
	if (begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT id FROM rounds WHERE id = ?", pr, 1,
			found_id, &exists, e) < 0)
		return fail_tx(s);
	if (!exists) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：没有编号为 %lld 的轮次",
			       s->where, (long long)round);
	}
	b = kp_xcalloc(1, sizeof(*b));
	b->s = s;
	b->round = round;
	b->file = kp_xstrdup(file);
	b->author = kp_xstrdup(author);
	b->kill_after = kp_store_test_kill_after();
	if (unit_map_load(s, round, &b->m, e) < 0)
		goto fail;
	{
		/* the count is written at commit */
		kp_val p[5] = { KV_INT(round), KV_TEXT(file), KV_TEXT(author),
				KV_TEXT(now), KV_INT(0) };
		if (s->ops->run(s, "INSERT INTO batches (round_id, file, author, added_at, count)"
				   " VALUES (?, ?, ?, ?, ?) RETURNING id",
				p, 5, found_id, &b->id, e) < 0)
			goto fail;
	}
	*out = b;
	return 0;
fail:
	kp_store_batch_abort(b);
	return -1;
}

int kp_store_batch_add(kp_store_batch *b, const kp_fact *f, kp_err *e)
{
	kp_store *s = b->s;
	int64_t uid = unit_map_find(&b->m, f->unit);
	if (!uid)
		return kp_fail_at(e, KP_EINPUT, b->file, f->line,
				  "单位“%s”不在本轮次的单位中", f->unit);
	kp_val p[14] = {
		KV_INT(b->round), KV_INT(b->id), KV_INT(uid),
		KV_TEXT(f->indicator),
		KV_TEXT((unsigned)f->kind < KP_FACT_KIND_COUNT
				? kind_names[f->kind] : "score"),
		KV_TEXT(f->name ? f->name : ""),
		f->has_value ? KV_INT(f->value.n) : KV_NULL,
		f->has_value ? KV_INT(f->value.d) : KV_NULL,
		KV_TEXT((unsigned)f->source < KP_SRC_COUNT
				? source_names[f->source] : "self"),
		KV_TEXT(f->author ? f->author : ""),
		KV_TEXT(f->time ? f->time : ""),
		KV_TEXT(f->url ? f->url : ""),
		KV_TEXT(f->note ? f->note : ""),
		KV_INT(f->line),
	};
	if (s->ops->run(s, "INSERT INTO facts (round_id, batch_id, unit_id,"
			   " indicator, kind, name, num, den, source, author,"
			   " time, url, note, line)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			p, 14, NULL, NULL, e) < 0)
		return -1;
	b->n++;
	kp_store_test_kill_point(b->kill_after, b->n);
	return 0;
}

size_t kp_store_batch_count(const kp_store_batch *b)
{
	return b->n;
}

static void batch_free(kp_store_batch *b)
{
	unit_map_release(&b->m);
	free(b->file);
	free(b->author);
	free(b);
}

void kp_store_batch_abort(kp_store_batch *b)
{
	if (!b)
		return;
	b->s->ops->rollback(b->s);
	batch_free(b);
}

int kp_store_batch_commit(kp_store_batch *b, kp_err *e)
{
	kp_store *s = b->s;
	kp_buf detail = KP_BUF_INIT;
	kp_val p[2] = { KV_INT(b->n), KV_INT(b->id) };
	int64_t n = (int64_t)b->n;
	if (s->ops->run(s, "UPDATE batches SET count = ? WHERE id = ?", p, 2,
			NULL, NULL, e) < 0)
		goto fail;
	kp_buf_addf(&detail, "从 %s 登记事实 %zu 条", b->file, b->n);
	if (audit_in_tx(s, b->round, b->author, "facts-add", detail.data, e) < 0)
		goto fail;
	kp_buf_release(&detail);
	batch_free(b);
	if (s->ops->commit(s, e) < 0)
		return -1;
	return n > INT32_MAX ? INT32_MAX : (int)n;
fail:
	kp_buf_release(&detail);
	kp_store_batch_abort(b);
	return -1;
}

int kp_store_facts_add(kp_store *s, int64_t round, const char *file,
		       const char *author, const kp_facts *fs, kp_err *e)
{
	kp_store_batch *b;
	if (kp_store_batch_begin(s, round, file, author, &b, e) < 0)
		return -1;
	for (size_t i = 0; i < fs->n; i++)
		if (kp_store_batch_add(b, &fs->v[i], e) < 0) {
			kp_store_batch_abort(b);
			return -1;
		}
	return kp_store_batch_commit(b, e);
}

struct facts_ctx {
	kp_fact_fn fn;
	void *ctx;
};

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (names[i][0] == s[0] && !strcmp(names[i], s))
			return (int)i;
	return 0;
}

static int facts_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct facts_ctx *fc = ctx;
	kp_fact f;
	if (n < 13)
		return 0;
	memset(&f, 0, sizeof(f));
	f.unit = (char *)txt(&c[0]);
	f.indicator = (char *)txt(&c[1]);
	f.kind = (kp_fact_kind)lookup(kind_names, KP_FACT_KIND_COUNT, txt(&c[2]));
	f.name = (char *)txt(&c[3]);
	f.has_value = c[4].t == KP_V_INT && c[5].t == KP_V_INT && c[5].i > 0;
	if (f.has_value) {
		f.value.n = c[4].i;
		f.value.d = c[5].i;
	}
	f.source = (kp_source)lookup(source_names, KP_SRC_COUNT, txt(&c[6]));
	f.author = (char *)txt(&c[7]);
	f.time = (char *)txt(&c[8]);
	f.url = (char *)txt(&c[9]);
	f.note = (char *)txt(&c[10]);
	f.line = c[11].t == KP_V_INT ? (size_t)c[11].i : 0;
	return fc->fn(fc->ctx, &f, c[12].i, e);
}

#define FACT_SELECT                                                         \
	"SELECT u.name, f.indicator, f.kind, f.name, f.num, f.den, f.source," \
	" f.author, f.time, f.url, f.note, f.line, f.seq"                    \
	" FROM facts f JOIN units u ON u.id = f.unit_id"

int kp_store_facts_each(kp_store *s, int64_t round, const char *unit,
			kp_fact_fn fn, void *ctx, kp_err *e)
{
	struct facts_ctx fc = { fn, ctx };
	int64_t r;
	if (unit) {
		kp_val p[2] = { KV_INT(round), KV_TEXT(unit) };
		r = s->ops->run(s, FACT_SELECT " WHERE f.round_id = ? AND u.name = ?"
				   " ORDER BY f.seq", p, 2, facts_row, &fc, e);
	} else {
		kp_val p[1] = { KV_INT(round) };
		r = s->ops->run(s, FACT_SELECT " WHERE f.round_id = ?"
				   " ORDER BY f.unit_id, f.seq", p, 1, facts_row,
				&fc, e);
	}
	return r < 0 ? -1 : 0;
}

/* The lean read (KP_FACTS_LEAN): only the columns totals need, no join —
 * the unit's name comes from the round's units, read once — and kind and
 * source as the enum they spell. */
struct lean_ctx {
	kp_fact_fn fn;
	void *ctx;
	struct unit_id *u;        /* the slice's units, by id */
	size_t nu;
	size_t at;                /* the unit of the last row */
};

static int lean_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct lean_ctx *lc = ctx;
	kp_fact f;
	if (n < 8)
		return 0;
	/* rows come by unit id, the units too: step forward to it */
	while (lc->at < lc->nu && lc->u[lc->at].id < c[0].i)
		lc->at++;
	if (lc->at == lc->nu || lc->u[lc->at].id != c[0].i)
		return kp_fail(e, KP_EINTERNAL, "事实的单位编号 %lld 不在轮次中",
			       (long long)c[0].i);
	memset(&f, 0, sizeof(f));
	f.unit = lc->u[lc->at].name;
	f.indicator = (char *)txt(&c[1]);
	f.kind = (kp_fact_kind)lookup(kind_names, KP_FACT_KIND_COUNT, txt(&c[2]));
	f.name = (char *)txt(&c[3]);
	f.has_value = c[4].t == KP_V_INT && c[5].t == KP_V_INT && c[5].i > 0;
	if (f.has_value) {
		f.value.n = c[4].i;
		f.value.d = c[5].i;
	}
	f.source = (kp_source)lookup(source_names, KP_SRC_COUNT, txt(&c[6]));
	f.author = f.time = f.url = f.note = (char *)"";
	return lc->fn(lc->ctx, &f, c[7].i, e);
}

int kp_store_facts_each_part(kp_store *s, int64_t round, int part,
			     int nparts, int flags, kp_fact_fn fn, void *ctx,
			     kp_err *e)
{
	struct unit_map m;
	int64_t lo, hi;
	size_t a, b;
	int r;
	kp_val pr[1] = { KV_INT(round) };
	if (nparts < 1 || part < 0 || part >= nparts)
		return kp_fail(e, KP_EINTERNAL, "分段 %d/%d 无效", part, nparts);
	/* the round's units in id order: the slice is units [a, b) */
	memset(&m, 0, sizeof(m));
	if (s->ops->run(s, "SELECT id, name FROM units WHERE round_id = ?"
			   " ORDER BY id", pr, 1, unit_map_row, &m, e) < 0) {
		unit_map_release(&m);
		return -1;
	}
	a = m.n * (size_t)part / (size_t)nparts;
	b = m.n * (size_t)(part + 1) / (size_t)nparts;
	if (a == b) {
		unit_map_release(&m);
		return 0;
	}
	lo = m.v[a].id;
	hi = b < m.n ? m.v[b].id : INT64_MAX;
	{
		kp_val p[3] = { KV_INT(round), KV_INT(lo), KV_INT(hi) };
		if (flags & KP_FACTS_LEAN) {
			struct lean_ctx lc = { fn, ctx, m.v + a, b - a, 0 };
			const char *sql = "SELECT f.unit_id, f.indicator, f.kind,"
					  " f.name, f.num, f.den, f.source, f.seq"
					  " FROM facts f WHERE f.round_id = ?"
					  " AND f.unit_id >= ? AND f.unit_id < ?"
					  " ORDER BY f.unit_id, f.seq";
			/* num, den NULL (no value) read as 0: den 0 says so */
			r = (s->ops->run_typed
				     ? s->ops->run_typed(s, sql, p, 3, "itttiiti",
							 lean_row, &lc, e)
				     : s->ops->run(s, sql, p, 3, lean_row, &lc, e))
				    < 0 ? -1 : 0;
		} else {
			struct facts_ctx fc = { fn, ctx };
			r = s->ops->run(s, FACT_SELECT " WHERE f.round_id = ?"
					   " AND f.unit_id >= ? AND f.unit_id < ?"
					   " ORDER BY f.unit_id, f.seq",
					p, 3, facts_row, &fc, e) < 0 ? -1 : 0;
		}
	}
	unit_map_release(&m);
	return r;
}

/* ---- results --------------------------------------------------------- */

int kp_store_results_put(kp_store *s, int64_t round, int64_t seq,
			 const kp_store_result *v, size_t n,
			 const char *author, kp_err *e)
{
	char now[24];
	struct unit_map m;
	kp_buf detail = KP_BUF_INIT;
	kp_val pr[1] = { KV_INT(round) };
	kp_store_now(now);
	if (begin(s, e) < 0)
		return -1;
	if (unit_map_load(s, round, &m, e) < 0)
		return fail_tx(s);
	if (s->ops->run(s, "DELETE FROM results WHERE round_id = ?", pr, 1,
			NULL, NULL, e) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		int64_t uid = unit_map_find(&m, v[i].unit);
		kp_val p[13];
		if (!uid) {
			kp_fail(e, KP_EINPUT, "%s：单位“%s”不在本轮次的单位中",
				s->where, v[i].unit);
			goto fail;
		}
		p[0] = KV_INT(round);
		p[1] = KV_INT(uid);
		p[2] = KV_INT(v[i].total.n);
		p[3] = KV_INT(v[i].total.d);
		p[4] = v[i].has_self ? KV_INT(v[i].self_total.n) : KV_NULL;
		p[5] = v[i].has_self ? KV_INT(v[i].self_total.d) : KV_NULL;
		p[6] = KV_INT(v[i].vetoed ? 1 : 0);
		p[7] = KV_TEXT(v[i].outcome ? v[i].outcome : "");
		p[8] = KV_INT(v[i].rank);
		p[9] = KV_TEXT(now);
		p[10] = KV_TEXT(v[i].convert ? v[i].convert : "");
		p[11] = v[i].convert && *v[i].convert ? KV_INT(v[i].converted.n) : KV_NULL;
		p[12] = v[i].convert && *v[i].convert ? KV_INT(v[i].converted.d) : KV_NULL;
		if (s->ops->run(s, "INSERT INTO results (round_id, unit_id, total_n,"
				   " total_d, self_n, self_d, vetoed, outcome, rank,"
				   " computed_at, convert, conv_n, conv_d)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				p, 13, NULL, NULL, e) < 0)
			goto fail;
	}
	{
		kp_val p[2] = { KV_INT(seq), KV_INT(round) };
		if (s->ops->run(s, "UPDATE rounds SET scored_seq = ? WHERE id = ?",
				p, 2, NULL, NULL, e) < 0)
			goto fail;
	}
	kp_buf_addf(&detail, "计分：%zu 个单位，依据事实至第 %lld 条", n,
		    (long long)seq);
	if (audit_in_tx(s, round, author, "score", detail.data, e) < 0)
		goto fail;
	kp_buf_release(&detail);
	unit_map_release(&m);
	return s->ops->commit(s, e);
fail:
	kp_buf_release(&detail);
	unit_map_release(&m);
	return fail_tx(s);
}

struct results_ctx {
	kp_result_fn fn;
	void *ctx;
};

static int results_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct results_ctx *rc = ctx;
	kp_store_result r;
	if (n < 11)
		return 0;
	memset(&r, 0, sizeof(r));
	r.unit = txt(&c[0]);
	r.total.n = c[1].i;
	r.total.d = c[2].i;
	r.has_self = c[3].t == KP_V_INT && c[4].t == KP_V_INT && c[4].i > 0;
	if (r.has_self) {
		r.self_total.n = c[3].i;
		r.self_total.d = c[4].i;
	}
	r.vetoed = c[5].i != 0;
	r.outcome = txt(&c[6]);
	r.rank = c[7].i;
	r.convert = txt(&c[8]);
	if (*r.convert && c[9].t == KP_V_INT && c[10].t == KP_V_INT && c[10].i > 0) {
		r.converted.n = c[9].i;
		r.converted.d = c[10].i;
	} else {
		r.convert = "";
	}
	return rc->fn(rc->ctx, &r, e);
}

#define RESULT_SELECT                                                       \
	"SELECT u.name, x.total_n, x.total_d, x.self_n, x.self_d, x.vetoed," \
	" x.outcome, x.rank, x.convert, x.conv_n, x.conv_d"                  \
	" FROM results x JOIN units u ON u.id = x.unit_id"

int kp_store_results_each(kp_store *s, int64_t round, const char *unit,
			  kp_result_fn fn, void *ctx, kp_err *e)
{
	struct results_ctx rc = { fn, ctx };
	int64_t r;
	if (unit) {
		kp_val p[2] = { KV_INT(round), KV_TEXT(unit) };
		r = s->ops->run(s, RESULT_SELECT " WHERE x.round_id = ? AND u.name = ?",
				p, 2, results_row, &rc, e);
	} else {
		kp_val p[1] = { KV_INT(round) };
		r = s->ops->run(s, RESULT_SELECT " WHERE x.round_id = ?"
				   " ORDER BY x.rank, u.id", p, 1, results_row,
				&rc, e);
	}
	return r < 0 ? -1 : 0;
}

/* ---- audit ----------------------------------------------------------- */

int kp_store_audit(kp_store *s, int64_t round, const char *who,
		   const char *action, const char *detail, kp_err *e)
{
	if (begin(s, e) < 0)
		return -1;
	if (audit_in_tx(s, round, who, action, detail, e) < 0)
		return fail_tx(s);
	return s->ops->commit(s, e);
}

struct audit_ctx {
	kp_audit_fn fn;
	void *ctx;
};

static int audit_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct audit_ctx *ac = ctx;
	kp_audit a;
	if (n < 6)
		return 0;
	a.id = c[0].i;
	a.at = txt(&c[1]);
	a.who = txt(&c[2]);
	a.round = txt(&c[3]);
	a.action = txt(&c[4]);
	a.detail = txt(&c[5]);
	return ac->fn(ac->ctx, &a, e);
}

int kp_store_audit_each(kp_store *s, int64_t round, kp_audit_fn fn,
			void *ctx, kp_err *e)
{
	struct audit_ctx ac = { fn, ctx };
	kp_val p[1] = { KV_INT(round) };
	return s->ops->run(s, "SELECT a.id, a.at, a.who, r.name, a.action, a.detail"
			      " FROM audit a LEFT JOIN rounds r ON r.id = a.round_id"
			      " WHERE ? = 0 OR a.round_id = ? ORDER BY a.id",
			   (kp_val[]){ p[0], p[0] }, 2, audit_row, &ac, e) < 0
		       ? -1 : 0;
}
