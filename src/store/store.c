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
	/* schemes: a round scores with one or several indicator tables
	 * (round_tables; rounds.scheme_id stays the one at position 0), the
	 * scheme that listed them (scheme_def) and how they combine; each
	 * unit says which tables it is assessed on, each fact which table it
	 * is about, and a round of several tables keeps each table's result
	 * beside the combined one.  A round made before this is one table,
	 * every unit and fact on it. */
	{ 2,
	  "ALTER TABLE rounds ADD COLUMN scheme_def BIGINT REFERENCES schemes(id);"
	  "ALTER TABLE rounds ADD COLUMN scheme_source TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE rounds ADD COLUMN combine TEXT NOT NULL DEFAULT '';"
	  "CREATE TABLE round_tables ("
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " pos BIGINT NOT NULL,"
	  " scheme_id BIGINT NOT NULL REFERENCES schemes(id),"
	  " table_source TEXT NOT NULL,"
	  " label TEXT NOT NULL,"
	  " applies TEXT NOT NULL,"
	  " weight_n BIGINT,"
	  " weight_d BIGINT,"
	  " PRIMARY KEY (round_id, pos));"
	  "INSERT INTO round_tables (round_id, pos, scheme_id, table_source,"
	  " label, applies) SELECT id, 0, scheme_id, table_source, '', ''"
	  " FROM rounds;"
	  "ALTER TABLE units ADD COLUMN tables TEXT NOT NULL DEFAULT '0';"
	  "ALTER TABLE facts ADD COLUMN tbl BIGINT NOT NULL DEFAULT 0;"
	  "CREATE TABLE result_parts ("
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " pos BIGINT NOT NULL,"
	  " total_n BIGINT NOT NULL,"
	  " total_d BIGINT NOT NULL,"
	  " self_n BIGINT,"
	  " self_d BIGINT,"
	  " vetoed BIGINT NOT NULL,"
	  " outcome TEXT NOT NULL,"
	  " convert TEXT NOT NULL,"
	  " conv_n BIGINT,"
	  " conv_d BIGINT,"
	  " value_n BIGINT NOT NULL,"
	  " value_d BIGINT NOT NULL,"
	  " PRIMARY KEY (round_id, unit_id, pos));",
	  NULL, NULL },
	/* 3: website inspections of a round's units and their findings
	 * (inspections.c); append-only like facts */
	{ 3,
	  "CREATE TABLE inspections ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " site TEXT NOT NULL,"
	  " as_of TEXT NOT NULL,"
	  " started_at TEXT NOT NULL,"
	  " finished_at TEXT NOT NULL,"
	  " pages BIGINT NOT NULL,"
	  " nfindings BIGINT NOT NULL,"
	  " summary TEXT NOT NULL,"
	  " author TEXT NOT NULL);"
	  "CREATE INDEX inspections_by_unit ON inspections"
	  " (round_id, unit_id, site, id);"
	  "CREATE TABLE inspection_findings ("
	  " inspection_id BIGINT NOT NULL REFERENCES inspections(id),"
	  " ord BIGINT NOT NULL,"
	  " check_name TEXT NOT NULL,"
	  " finding_key TEXT NOT NULL,"
	  " severity TEXT NOT NULL,"
	  " message TEXT NOT NULL,"
	  " url TEXT NOT NULL,"
	  " snippet TEXT NOT NULL,"
	  " time TEXT NOT NULL,"
	  " PRIMARY KEY (inspection_id, ord),"
	  " UNIQUE (inspection_id, check_name, finding_key));",
	  "CREATE TRIGGER inspections_append_only_u BEFORE UPDATE ON inspections"
	  " BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
	  "CREATE TRIGGER inspections_append_only_d BEFORE DELETE ON inspections"
	  " BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
	  "CREATE TRIGGER inspection_findings_append_only_u BEFORE UPDATE ON inspection_findings"
	  " BEGIN SELECT RAISE(ABORT, 'inspection findings are append-only'); END;"
	  "CREATE TRIGGER inspection_findings_append_only_d BEFORE DELETE ON inspection_findings"
	  " BEGIN SELECT RAISE(ABORT, 'inspection findings are append-only'); END;",
	  "CREATE TRIGGER inspections_append_only BEFORE UPDATE OR DELETE ON inspections"
	  " FOR EACH ROW EXECUTE FUNCTION kp_append_only();"
	  "CREATE TRIGGER inspection_findings_append_only BEFORE UPDATE OR DELETE"
	  " ON inspection_findings FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
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

/* Apply the migrations above have, up to version upto. */
static int migrate(kp_store *s, int upto, kp_err *e)
{
	int have;
	char now[24];
	if (kp_store_schema_version(s, &have, e) < 0)
		return -1;
	if (have > kp_store_schema_latest())
		return kp_fail(e, KP_EINPUT,
			       "%s：数据库结构版本 %d 比本程序认识的 %d 新，请升级 kaoping",
			       s->where, have, kp_store_schema_latest());
	if (have >= upto)
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
		if (m->version <= have || m->version > upto)
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
	return kp_store_open_at(conn, flags, kp_store_schema_latest(), out, e);
}

int kp_store_open_at(const char *conn, int flags, int version,
		     kp_store **out, kp_err *e)
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
	if (migrate(s, version, e) < 0) {
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

int kp_store_audit_tx(kp_store *s, int64_t round, const char *who,
		      const char *action, const char *detail, kp_err *e)
{
	return audit_in_tx(s, round, who, action, detail, e);
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

static void round_table_release(kp_round_table *t)
{
	free(t->table_id);
	free(t->title);
	free(t->source);
	free(t->hash);
	free(t->label);
	free(t->applies);
}

void kp_round_release(kp_round *r)
{
	free(r->name);
	free(r->period);
	free(r->table_id);
	free(r->table_source);
	free(r->table_hash);
	free(r->scheme);
	free(r->scheme_source);
	free(r->combine);
	for (size_t i = 0; i < r->ntables; i++)
		round_table_release(&r->tables[i]);
	free(r->tables);
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

/* The schemes row holding text (by id and hash), made when new. */
static int put_text(kp_store *s, const char *id, const char *title,
		    const char *text, const char *hash, int64_t *sid,
		    kp_err *e)
{
	char now[24];
	kp_val p[5] = { KV_TEXT(id), KV_TEXT(hash), KV_NULL, KV_NULL, KV_NULL };
	*sid = 0;
	if (s->ops->run(s, "SELECT id FROM schemes WHERE table_id = ? AND hash = ?",
			p, 2, found_id, sid, e) < 0)
		return -1;
	if (*sid)
		return 0;
	p[1] = KV_TEXT(title ? title : "");
	p[2] = KV_TEXT(hash);
	p[3] = KV_TEXT(text);
	p[4] = KV_TEXT(kp_store_now(now));
	return s->ops->run(s, "INSERT INTO schemes (table_id, title, hash, body, created_at)"
			      " VALUES (?, ?, ?, ?, ?) RETURNING id",
			   p, 5, found_id, sid, e) < 0 ? -1 : 0;
}

int kp_store_round_new(kp_store *s, const kp_round_spec *sp, int64_t *id,
		       kp_err *e)
{
	char now[24], hash[17];
	int64_t def = 0, rid = 0, *sids;
	kp_buf detail = KP_BUF_INIT;
	/* one table is a scheme of one */
	kp_round_spec_table one = { sp->table_id, sp->table_title,
				    sp->table_source, sp->table_text, "", "",
				    false, { 0, 1 } };
	const kp_round_spec_table *tv = sp->ntables ? sp->tables : &one;
	size_t nt = sp->ntables ? sp->ntables : 1;
	kp_store_now(now);
	sids = kp_xcalloc(nt, sizeof(*sids));
	if (begin(s, e) < 0) {
		free(sids);
		return -1;
	}
	{
		kp_val p[1] = { KV_TEXT(sp->name) };
		if (s->ops->run(s, "SELECT id FROM rounds WHERE name = ?", p, 1,
				found_id, &rid, e) < 0)
			goto fail;
		if (rid) {
			kp_fail(e, KP_EINPUT, "%s：已有名为“%s”的轮次（换一个 --name）",
				s->where, sp->name);
			goto fail;
		}
	}
	for (size_t k = 0; k < nt; k++)
		if (put_text(s, tv[k].table_id, tv[k].title, tv[k].text,
			     kp_store_hash(tv[k].text, strlen(tv[k].text), hash),
			     &sids[k], e) < 0)
			goto fail;
	if (sp->scheme_text &&
	    put_text(s, sp->scheme, sp->scheme_title, sp->scheme_text,
		     kp_store_hash(sp->scheme_text, strlen(sp->scheme_text), hash),
		     &def, e) < 0)
		goto fail;
	{
		kp_val p[10] = { KV_TEXT(sp->name), KV_TEXT(sp->period),
				 KV_INT(sids[0]), KV_TEXT(tv[0].source),
				 KV_TEXT(sp->registry), KV_TEXT(now),
				 KV_TEXT(sp->author),
				 def ? KV_INT(def) : KV_NULL,
				 KV_TEXT(sp->scheme_source ? sp->scheme_source : ""),
				 KV_TEXT(sp->combine ? sp->combine : "") };
		if (s->ops->run(s, "INSERT INTO rounds (name, period, scheme_id, table_source,"
				   " registry, created_at, created_by, scheme_def,"
				   " scheme_source, combine)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				p, 10, found_id, &rid, e) < 0)
			goto fail;
	}
	for (size_t k = 0; k < nt; k++) {
		kp_val p[8] = { KV_INT(rid), KV_INT(k), KV_INT(sids[k]),
				KV_TEXT(tv[k].source),
				KV_TEXT(tv[k].label ? tv[k].label : ""),
				KV_TEXT(tv[k].applies ? tv[k].applies : ""),
				tv[k].has_weight ? KV_INT(tv[k].weight.n) : KV_NULL,
				tv[k].has_weight ? KV_INT(tv[k].weight.d) : KV_NULL };
		if (s->ops->run(s, "INSERT INTO round_tables (round_id, pos, scheme_id,"
				   " table_source, label, applies, weight_n, weight_d)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", p, 8, NULL, NULL,
				e) < 0)
			goto fail;
	}
	for (size_t i = 0; i < sp->nunits; i++) {
		kp_val p[6] = { KV_INT(rid), KV_TEXT(sp->unit_names[i]),
				KV_TEXT(sp->unit_types ? sp->unit_types[i] : ""),
				KV_TEXT(sp->unit_aliases ? sp->unit_aliases[i] : ""),
				KV_TEXT(sp->unit_tags ? sp->unit_tags[i] : ""),
				KV_TEXT(sp->unit_tables ? sp->unit_tables[i] : "0") };
		if (s->ops->run(s, "INSERT INTO units (round_id, name, type, aliases, tags, tables)"
				   " VALUES (?, ?, ?, ?, ?, ?)", p, 6, NULL, NULL, e) < 0)
			goto fail;
	}
	if (sp->scheme_text)
		kp_buf_addf(&detail, "轮次“%s”（%s）：方案 %s，%zu 张表（", sp->name,
			    sp->period, sp->scheme, nt);
	else
		kp_buf_addf(&detail, "轮次“%s”（%s）：表 ", sp->name, sp->period);
	for (size_t k = 0; k < nt; k++)
		kp_buf_addf(&detail, "%s%s（指纹 %s）", k ? "、" : "", tv[k].table_id,
			    kp_store_hash(tv[k].text, strlen(tv[k].text), hash));
	kp_buf_addf(&detail, "%s，单位 %zu 个（%s）", sp->scheme_text ? "）" : "",
		    sp->nunits, sp->registry);
	if (audit_in_tx(s, rid, sp->author, "round-new", detail.data, e) < 0)
		goto fail;
	kp_buf_release(&detail);
	free(sids);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (id)
		*id = rid;
	return 0;
fail:
	kp_buf_release(&detail);
	free(sids);
	return fail_tx(s);
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
	" r.scored_seq, COALESCE(d.table_id, ''), r.scheme_source, r.combine" \
	" FROM rounds r JOIN schemes s ON s.id = r.scheme_id"                 \
	" LEFT JOIN schemes d ON d.id = r.scheme_def"
#define ROUND_COLS 17

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
	r->scheme = dup_or_empty(&c[14]);
	r->scheme_source = dup_or_empty(&c[15]);
	r->combine = dup_or_empty(&c[16]);
}

static int round_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_round *r = ctx;
	(void)e;
	if (n < ROUND_COLS)
		return 0;
	kp_round_release(r);
	round_from_row(r, c);
	return 0;
}

static int round_table_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_round *r = ctx;
	kp_round_table *t;
	(void)e;
	if (n < 8)
		return 0;
	r->tables = kp_xrealloc(r->tables, (r->ntables + 1) * sizeof(*r->tables));
	t = &r->tables[r->ntables++];
	memset(t, 0, sizeof(*t));
	t->table_id = dup_or_empty(&c[0]);
	t->title = dup_or_empty(&c[1]);
	t->hash = dup_or_empty(&c[2]);
	t->source = dup_or_empty(&c[3]);
	t->label = dup_or_empty(&c[4]);
	t->applies = dup_or_empty(&c[5]);
	t->has_weight = c[6].t == KP_V_INT && c[7].t == KP_V_INT && c[7].i > 0;
	if (t->has_weight) {
		t->weight.n = c[6].i;
		t->weight.d = c[7].i;
	}
	return 0;
}

/* r's tables, in position order. */
static int round_tables_load(kp_store *s, kp_round *r, kp_err *e)
{
	kp_val p[1] = { KV_INT(r->id) };
	return s->ops->run(s, "SELECT s.table_id, s.title, s.hash, t.table_source,"
			      " t.label, t.applies, t.weight_n, t.weight_d"
			      " FROM round_tables t JOIN schemes s ON s.id = t.scheme_id"
			      " WHERE t.round_id = ? ORDER BY t.pos",
			   p, 1, round_table_row, r, e) < 0 ? -1 : 0;
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
	if (round_tables_load(s, out, e) < 0) {
		kp_round_release(out);
		return -1;
	}
	return 0;
}

struct rounds_ctx {
	kp_round_fn fn;
	void *ctx;
	kp_round *v;
	size_t n;
};

static int rounds_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct rounds_ctx *rc = ctx;
	(void)e;
	if (n < ROUND_COLS)
		return 0;
	rc->v = kp_xrealloc(rc->v, (rc->n + 1) * sizeof(*rc->v));
	memset(&rc->v[rc->n], 0, sizeof(*rc->v));
	round_from_row(&rc->v[rc->n++], c);
	return 0;
}

int kp_store_rounds_each(kp_store *s, kp_round_fn fn, void *ctx, kp_err *e)
{
	/* the rounds first, then each one's tables: one query at a time */
	struct rounds_ctx rc = { fn, ctx, NULL, 0 };
	int ret = 0;
	if (s->ops->run(s, ROUND_SELECT " ORDER BY r.id", NULL, 0, rounds_row,
			&rc, e) < 0)
		ret = -1;
	for (size_t i = 0; i < rc.n; i++) {
		if (ret == 0 && (round_tables_load(s, &rc.v[i], e) < 0 ||
				 fn(ctx, &rc.v[i], e) < 0))
			ret = -1;
		kp_round_release(&rc.v[i]);
	}
	free(rc.v);
	return ret;
}

static int text_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	(void)e;
	if (n > 0)
		kp_buf_adds(ctx, txt(&c[0]));
	return 0;
}

int kp_store_round_table(kp_store *s, int64_t round, int pos, kp_buf *out,
			 kp_err *e)
{
	kp_val p[2] = { KV_INT(round), KV_INT(pos) };
	int64_t n = s->ops->run(s, "SELECT s.body FROM round_tables t JOIN schemes s"
				   " ON s.id = t.scheme_id WHERE t.round_id = ?"
				   " AND t.pos = ?",
				p, 2, text_row, out, e);
	if (n < 0)
		return -1;
	if (n == 0)
		return kp_fail(e, KP_EINPUT, "%s：轮次 %lld 没有第 %d 张表", s->where,
			       (long long)round, pos + 1);
	return 0;
}

int kp_store_round_retable(kp_store *s, int64_t round, int pos,
			   const char *text, const char *hash,
			   const char *author, kp_err *e)
{
	int64_t nfacts = 0, scheme = 0;
	kp_buf table_id = KP_BUF_INIT, title = KP_BUF_INIT, detail = KP_BUF_INIT;
	kp_val p1[1] = { KV_INT(round) };
	kp_val p2[2] = { KV_INT(round), KV_INT(pos) };
	int ret = -1;
	if (begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT COUNT(*) FROM facts WHERE round_id = ?", p1, 1,
			col_int, &nfacts, e) < 0 ||
	    s->ops->run(s, "SELECT s.table_id FROM round_tables t JOIN schemes s"
			   " ON s.id = t.scheme_id WHERE t.round_id = ? AND t.pos = ?",
			p2, 2, text_row, &table_id, e) < 0 ||
	    s->ops->run(s, "SELECT s.title FROM round_tables t JOIN schemes s"
			   " ON s.id = t.scheme_id WHERE t.round_id = ? AND t.pos = ?",
			p2, 2, text_row, &title, e) < 0)
		goto out;
	if (nfacts) {
		kp_fail(e, KP_EINPUT, "%s：轮次已登记 %lld 条事实，不能再换表",
			s->where, (long long)nfacts);
		goto out;
	}
	if (!table_id.data) {
		kp_fail(e, KP_EINPUT, "%s：轮次 %lld 没有第 %d 张表", s->where,
			(long long)round, pos + 1);
		goto out;
	}
	if (put_text(s, table_id.data, title.data ? title.data : "", text, hash,
		     &scheme, e) < 0)
		goto out;
	{
		kp_val p[3] = { KV_INT(scheme), KV_INT(round), KV_INT(pos) };
		if (s->ops->run(s, "UPDATE round_tables SET scheme_id = ?"
				   " WHERE round_id = ? AND pos = ?",
				p, 3, NULL, NULL, e) < 0)
			goto out;
		if (pos == 0 &&
		    s->ops->run(s, "UPDATE rounds SET scheme_id = ? WHERE id = ?",
				p, 2, NULL, NULL, e) < 0)
			goto out;
	}
	kp_buf_addf(&detail, "表 %s 已修改（尚无事实），改用新内容（指纹 %s）",
		    table_id.data, hash);
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
	kp_store_unit u;
	if (n < 5)
		return 0;
	u.name = txt(&c[0]);
	u.type = txt(&c[1]);
	u.aliases = txt(&c[2]);
	u.tags = txt(&c[3]);
	u.tables = txt(&c[4]);
	return uc->fn(uc->ctx, &u, e);
}

int kp_store_units_each(kp_store *s, int64_t round, kp_unit_fn fn, void *ctx,
			kp_err *e)
{
	struct units_ctx uc = { fn, ctx };
	kp_val p[1] = { KV_INT(round) };
	return s->ops->run(s, "SELECT name, type, aliases, tags, tables FROM units"
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

/* The round's table ids by position, for facts' table column. */
struct table_ids {
	char **v;
	size_t n;
};

static int table_id_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct table_ids *t = ctx;
	(void)e;
	if (n < 1)
		return 0;
	t->v = kp_xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = dup_or_empty(&c[0]);
	return 0;
}

static int table_ids_load(kp_store *s, int64_t round, struct table_ids *t,
			  kp_err *e)
{
	kp_val p[1] = { KV_INT(round) };
	memset(t, 0, sizeof(*t));
	return s->ops->run(s, "SELECT s.table_id FROM round_tables t JOIN schemes s"
			      " ON s.id = t.scheme_id WHERE t.round_id = ?"
			      " ORDER BY t.pos", p, 1, table_id_row, t, e) < 0
		       ? -1 : 0;
}

static void table_ids_release(struct table_ids *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Position of table id (""/NULL: the first), or -1. */
static long table_pos(const struct table_ids *t, const char *id)
{
	if (!id || !*id)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], id))
			return (long)i;
	return -1;
}

/* A batch being written: the transaction is open from begin to commit
 * or abort, and only the round's unit map is held, however many facts
 * go through. */
struct kp_store_batch {
	kp_store *s;
	int64_t round, id;
	char *file, *author;
	struct unit_map m;
	struct table_ids tids;    /* the round's tables, for facts' table */
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
	if (unit_map_load(s, round, &b->m, e) < 0 ||
	    table_ids_load(s, round, &b->tids, e) < 0)
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
	long tbl = table_pos(&b->tids, f->table);
	if (!uid)
		return kp_fail_at(e, KP_EINPUT, b->file, f->line,
				  "单位“%s”不在本轮次的单位中", f->unit);
	if (tbl < 0)
		return kp_fail_at(e, KP_EINPUT, b->file, f->line,
				  "表“%s”不在本轮次中", f->table);
	kp_val p[15] = {
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
		KV_INT(tbl),
	};
	if (s->ops->run(s, "INSERT INTO facts (round_id, batch_id, unit_id,"
			   " indicator, kind, name, num, den, source, author,"
			   " time, url, note, line, tbl)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			p, 15, NULL, NULL, e) < 0)
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
	table_ids_release(&b->tids);
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
	struct table_ids tids;
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
	if (n < 14)
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
	f.table = (char *)(c[13].t == KP_V_INT && c[13].i >= 0 &&
				   (size_t)c[13].i < fc->tids.n
			   ? fc->tids.v[c[13].i] : "");
	return fc->fn(fc->ctx, &f, c[12].i, e);
}

#define FACT_SELECT                                                         \
	"SELECT u.name, f.indicator, f.kind, f.name, f.num, f.den, f.source," \
	" f.author, f.time, f.url, f.note, f.line, f.seq, f.tbl"             \
	" FROM facts f JOIN units u ON u.id = f.unit_id"

int kp_store_facts_each(kp_store *s, int64_t round, const char *unit,
			kp_fact_fn fn, void *ctx, kp_err *e)
{
	struct facts_ctx fc = { fn, ctx, { NULL, 0 } };
	int64_t r;
	if (table_ids_load(s, round, &fc.tids, e) < 0)
		return -1;
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
	table_ids_release(&fc.tids);
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
	const struct table_ids *tids;
};

static int lean_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct lean_ctx *lc = ctx;
	kp_fact f;
	if (n < 9)
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
	f.table = (char *)(c[8].t == KP_V_INT && c[8].i >= 0 &&
				   (size_t)c[8].i < lc->tids->n
				   ? lc->tids->v[c[8].i] : "");
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
	struct table_ids tids;
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
	if (table_ids_load(s, round, &tids, e) < 0) {
		unit_map_release(&m);
		return -1;
	}
	{
		kp_val p[3] = { KV_INT(round), KV_INT(lo), KV_INT(hi) };
		if (flags & KP_FACTS_LEAN) {
			struct lean_ctx lc = { fn, ctx, m.v + a, b - a, 0, &tids };
			const char *sql = "SELECT f.unit_id, f.indicator, f.kind,"
					  " f.name, f.num, f.den, f.source, f.seq,"
					  " f.tbl"
					  " FROM facts f WHERE f.round_id = ?"
					  " AND f.unit_id >= ? AND f.unit_id < ?"
					  " ORDER BY f.unit_id, f.seq";
			/* num, den NULL (no value) read as 0: den 0 says so */
			r = (s->ops->run_typed
				     ? s->ops->run_typed(s, sql, p, 3, "itttiitii",
							 lean_row, &lc, e)
				     : s->ops->run(s, sql, p, 3, lean_row, &lc, e))
				    < 0 ? -1 : 0;
		} else {
			struct facts_ctx fc = { fn, ctx, tids };
			r = s->ops->run(s, FACT_SELECT " WHERE f.round_id = ?"
					   " AND f.unit_id >= ? AND f.unit_id < ?"
					   " ORDER BY f.unit_id, f.seq",
					p, 3, facts_row, &fc, e) < 0 ? -1 : 0;
		}
	}
	unit_map_release(&m);
	table_ids_release(&tids);
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
	if (s->ops->run(s, "DELETE FROM result_parts WHERE round_id = ?", pr, 1,
			NULL, NULL, e) < 0 ||
	    s->ops->run(s, "DELETE FROM results WHERE round_id = ?", pr, 1,
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
		for (size_t k = 0; k < v[i].nparts; k++) {
			const kp_store_part *t = &v[i].parts[k];
			bool cv = t->convert && *t->convert;
			kp_val q[14] = {
				KV_INT(round), KV_INT(uid), KV_INT(t->pos),
				KV_INT(t->total.n), KV_INT(t->total.d),
				t->has_self ? KV_INT(t->self_total.n) : KV_NULL,
				t->has_self ? KV_INT(t->self_total.d) : KV_NULL,
				KV_INT(t->vetoed ? 1 : 0),
				KV_TEXT(t->outcome ? t->outcome : ""),
				KV_TEXT(cv ? t->convert : ""),
				cv ? KV_INT(t->converted.n) : KV_NULL,
				cv ? KV_INT(t->converted.d) : KV_NULL,
				KV_INT(t->value.n), KV_INT(t->value.d),
			};
			if (s->ops->run(s, "INSERT INTO result_parts (round_id, unit_id,"
					   " pos, total_n, total_d, self_n, self_d, vetoed,"
					   " outcome, convert, conv_n, conv_d, value_n,"
					   " value_d) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
					   " ?, ?, ?, ?)", q, 14, NULL, NULL, e) < 0)
				goto fail;
		}
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

struct parts_ctx {
	kp_part_fn fn;
	void *ctx;
};

static int parts_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct parts_ctx *pc = ctx;
	kp_store_part t;
	if (n < 14)
		return 0;
	memset(&t, 0, sizeof(t));
	t.pos = c[1].i;
	t.total.n = c[2].i;
	t.total.d = c[3].i;
	t.has_self = c[4].t == KP_V_INT && c[5].t == KP_V_INT && c[5].i > 0;
	if (t.has_self) {
		t.self_total.n = c[4].i;
		t.self_total.d = c[5].i;
	}
	t.vetoed = c[6].i != 0;
	t.outcome = txt(&c[7]);
	t.convert = txt(&c[8]);
	if (*t.convert && c[9].t == KP_V_INT && c[10].t == KP_V_INT && c[10].i > 0) {
		t.converted.n = c[9].i;
		t.converted.d = c[10].i;
	} else {
		t.convert = "";
		t.converted = kp_num_int(0);
	}
	t.value.n = c[11].i;
	t.value.d = c[12].i;
	(void)c[13];
	return pc->fn(pc->ctx, txt(&c[0]), &t, e);
}

#define PART_SELECT                                                         \
	"SELECT u.name, x.pos, x.total_n, x.total_d, x.self_n, x.self_d,"    \
	" x.vetoed, x.outcome, x.convert, x.conv_n, x.conv_d, x.value_n,"    \
	" x.value_d, u.id"                                                   \
	" FROM result_parts x JOIN units u ON u.id = x.unit_id"

int kp_store_parts_each(kp_store *s, int64_t round, const char *unit,
			kp_part_fn fn, void *ctx, kp_err *e)
{
	struct parts_ctx pc = { fn, ctx };
	int64_t r;
	if (unit) {
		kp_val p[2] = { KV_INT(round), KV_TEXT(unit) };
		r = s->ops->run(s, PART_SELECT " WHERE x.round_id = ? AND u.name = ?"
				   " ORDER BY x.pos", p, 2, parts_row, &pc, e);
	} else {
		kp_val p[1] = { KV_INT(round) };
		r = s->ops->run(s, PART_SELECT " WHERE x.round_id = ?"
				   " ORDER BY u.id, x.pos", p, 1, parts_row, &pc, e);
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
