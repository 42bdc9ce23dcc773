/* store backend: PostgreSQL through libpq. */
#include "store/store_int.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 64
#define MAX_PARAMS 32
#define MAX_COLS 32

/* type oids of the integer types (pg_type.h is server-side) */
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23

struct pg {
	PGconn *conn;
	struct {
		char *sql;         /* the statement's text as given */
		char name[16];     /* prepared as kpN */
	} cache[STMT_CACHE];
	size_t ncache;
	int nprepared;
};

static void trim_nl(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int pg_fail(kp_store *s, kp_err *e, const char *what,
		   const PGresult *res)
{
	struct pg *q = s->impl;
	char msg[600];
	snprintf(msg, sizeof(msg), "%s",
		 res ? PQresultErrorMessage(res) : PQerrorMessage(q->conn));
	trim_nl(msg);
	return kp_fail(e, KP_EIO, "%s：数据库错误（%s）：%s", s->where, what, msg);
}

static int pg_exec(kp_store *s, const char *sql, kp_err *e)
{
	struct pg *q = s->impl;
	PGresult *res = PQexec(q->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int r = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		r = pg_fail(s, e, "执行", res);
	PQclear(res);
	return r;
}

/* "… ? …" → "… $1 …", outside quoted strings. */
static char *number_params(const char *sql)
{
	kp_buf b = KP_BUF_INIT;
	int n = 0;
	bool quoted = false;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p == '?' && !quoted)
			kp_buf_addf(&b, "$%d", ++n);
		else
			kp_buf_addc(&b, *p);
	}
	return kp_buf_detach(&b);
}

static const char *pg_prepare(kp_store *s, const char *sql, int np,
			      kp_err *e)
{
	struct pg *q = s->impl;
	PGresult *res;
	char *text;
	size_t slot;
	for (size_t i = 0; i < q->ncache; i++)
		if (!strcmp(q->cache[i].sql, sql))
			return q->cache[i].name;
	if (q->ncache == STMT_CACHE) {
		/* full: forget the oldest (it stays prepared on the server
		 * under its name until the connection ends; names are unique) */
		free(q->cache[0].sql);
		memmove(&q->cache[0], &q->cache[1],
			(STMT_CACHE - 1) * sizeof(q->cache[0]));
		q->ncache--;
	}
	slot = q->ncache;
	snprintf(q->cache[slot].name, sizeof(q->cache[slot].name), "kp%d",
		 ++q->nprepared);
	text = number_params(sql);
	res = PQprepare(q->conn, q->cache[slot].name, text, np, NULL);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_fail(s, e, "准备语句", res);
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	q->cache[slot].sql = kp_xstrdup(sql);
	q->ncache++;
	return q->cache[slot].name;
}

static void drain(PGconn *c)
{
	PGresult *r;
	while ((r = PQgetResult(c)))
		PQclear(r);
}

/* Row r of res as cols (at most MAX_COLS), its count. */
static int pg_row(PGresult *res, int r, kp_val *cols)
{
	int n = PQnfields(res);
	if (n > MAX_COLS)
		n = MAX_COLS;
	for (int c = 0; c < n; c++) {
		Oid t = PQftype(res, c);
		if (PQgetisnull(res, r, c))
			cols[c] = KV_NULL;
		else if (t == OID_INT8 || t == OID_INT4 || t == OID_INT2)
			cols[c] = KV_INT(strtoll(PQgetvalue(res, r, c), NULL, 10));
		else
			cols[c] = KV_TEXT(PQgetvalue(res, r, c));
	}
	return n;
}

/* pg_run and pg_run_small: the rows one at a time (single-row mode:
 * memory stays flat however many there are), or whole (one result:
 * for a result known to be small, no result a row). */
static int64_t pg_query(kp_store *s, const char *sql, const kp_val *p,
			int np, bool whole, kp_row_fn fn, void *ctx, kp_err *e)
{
	struct pg *q = s->impl;
	const char *name, *vals[MAX_PARAMS];
	char ints[MAX_PARAMS][24];
	kp_val cols[MAX_COLS];
	PGresult *res;
	int64_t rows = 0;
	bool failed = false;
	if (np > MAX_PARAMS)
		return kp_fail(e, KP_EINTERNAL, "参数过多");
	name = pg_prepare(s, sql, np, e);
	if (!name)
		return -1;
	for (int i = 0; i < np; i++) {
		switch (p[i].t) {
		case KP_V_INT:
			snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)p[i].i);
			vals[i] = ints[i];
			break;
		case KP_V_TEXT:
			vals[i] = p[i].s;
			break;
		default:
			vals[i] = NULL;
		}
	}
	if (!PQsendQueryPrepared(q->conn, name, np, vals, NULL, NULL, 0)) {
		pg_fail(s, e, "发送", NULL);
		return -1;
	}
	if (!whole)
		PQsetSingleRowMode(q->conn);
	while ((res = PQgetResult(q->conn))) {
		ExecStatusType st = PQresultStatus(res);
		if (failed) {
			PQclear(res);
			continue;
		}
		if (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) {
			/* single-row mode ends with an empty TUPLES_OK */
			for (int r = 0; r < PQntuples(res) && !failed; r++) {
				int n = pg_row(res, r, cols);
				rows++;
				if (fn && fn(ctx, cols, n, e) < 0)
					failed = true;
			}
		} else if (st == PGRES_COMMAND_OK) {
			rows = strtoll(PQcmdTuples(res), NULL, 10);
		} else {
			pg_fail(s, e, "执行", res);
			failed = true;
		}
		PQclear(res);
	}
	if (failed) {
		drain(q->conn);
		return -1;
	}
	return rows;
}

static int64_t pg_run(kp_store *s, const char *sql, const kp_val *p, int np,
		      kp_row_fn fn, void *ctx, kp_err *e)
{
	return pg_query(s, sql, p, np, false, fn, ctx, e);
}

static int64_t pg_run_small(kp_store *s, const char *sql, const kp_val *p,
			    int np, kp_row_fn fn, void *ctx, kp_err *e)
{
	return pg_query(s, sql, p, np, true, fn, ctx, e);
}

/* COPY … FROM STDIN in three steps (kp_backend.copy_start, copy_put,
 * copy_end): data sent in pieces of at most 1 MB (libpq takes an int
 * length); the server's verdict comes after the end. */
static int pg_copy_start(kp_store *s, const char *sql, kp_err *e)
{
	struct pg *q = s->impl;
	PGresult *res = PQexec(q->conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		pg_fail(s, e, "批量写入", res);
		PQclear(res);
		drain(q->conn);
		return -1;
	}
	PQclear(res);
	return 0;
}

static int pg_copy_put(kp_store *s, const char *data, size_t n, kp_err *e)
{
	struct pg *q = s->impl;
	for (size_t at = 0; at < n;) {
		size_t piece = n - at < (1u << 20) ? n - at : (1u << 20);
		if (PQputCopyData(q->conn, data + at, (int)piece) != 1)
			return pg_fail(s, e, "批量写入", NULL);
		at += piece;
	}
	return 0;
}

static int pg_copy_end(kp_store *s, bool ok, kp_err *e)
{
	struct pg *q = s->impl;
	PGresult *res;
	int r = 0;
	if (PQputCopyEnd(q->conn, ok ? NULL : "kaoping: abandoned") != 1 && ok)
		r = pg_fail(s, e, "批量写入", NULL);
	while ((res = PQgetResult(q->conn))) {
		if (ok && !r && PQresultStatus(res) != PGRES_COMMAND_OK)
			r = pg_fail(s, e, "批量写入", res);
		PQclear(res);
	}
	return ok ? r : -1;
}

static int pg_copy_in(kp_store *s, const char *sql, const char *data,
		      size_t n, kp_err *e)
{
	kp_err ignored;
	if (pg_copy_start(s, sql, e) < 0)
		return -1;
	if (pg_copy_put(s, data, n, e) < 0) {
		pg_copy_end(s, false, &ignored);
		return -1;
	}
	return pg_copy_end(s, true, e);
}

static int pg_begin(kp_store *s, kp_err *e)
{
	if (pg_exec(s, "BEGIN", e) < 0)
		return -1;
	s->in_tx = true;
	return 0;
}

static int pg_commit(kp_store *s, kp_err *e)
{
	int r = pg_exec(s, "COMMIT", e);
	s->in_tx = false;
	return r;
}

static void pg_rollback(kp_store *s)
{
	kp_err ignored;
	if (s->in_tx)
		pg_exec(s, "ROLLBACK", &ignored);
	s->in_tx = false;
}

static int pg_lock_schema(kp_store *s, kp_err *e)
{
	/* one migrating process at a time, released at COMMIT/ROLLBACK */
	return pg_exec(s, "SELECT pg_advisory_xact_lock(7243001)", e);
}

static bool pg_has_table(kp_store *s, const char *name)
{
	kp_val p[1] = { KV_TEXT(name) };
	kp_err e;
	/* to_regclass, not information_schema.tables: that view costs the
	 * server some 20 ms to plan and run, and every open asks (the
	 * migrations' check), once per scoring thread too */
	return pg_run(s, "SELECT 1 WHERE to_regclass(quote_ident(current_schema())"
			 " || '.' || quote_ident(?)) IS NOT NULL",
		      p, 1, NULL, NULL, &e) > 0;
}

static void pg_close(kp_store *s)
{
	struct pg *q = s->impl;
	if (!q)
		return;
	for (size_t i = 0; i < q->ncache; i++)
		free(q->cache[i].sql);
	PQfinish(q->conn);
	free(q);
	s->impl = NULL;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;   /* NOTICEs ("already exists, skipping") */
}

static const struct kp_backend pg_backend = {
	.name = "postgresql",
	.id_ddl = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.exec = pg_exec,
	.run = pg_run,
	.run_small = pg_run_small,
	.copy_in = pg_copy_in,
	.copy_start = pg_copy_start,
	.copy_put = pg_copy_put,
	.copy_end = pg_copy_end,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.lock_schema = pg_lock_schema,
	.has_table = pg_has_table,
	.close = pg_close,
};

int kp_pg_open(kp_store *s, const char *conninfo, kp_err *e)
{
	struct pg *q = kp_xcalloc(1, sizeof(*q));
	kp_buf where = KP_BUF_INIT;
	s->impl = q;
	s->ops = &pg_backend;
	q->conn = PQconnectdb(conninfo);
	if (!q->conn || PQstatus(q->conn) != CONNECTION_OK) {
		char msg[600];
		snprintf(msg, sizeof(msg), "%s",
			 q->conn ? PQerrorMessage(q->conn) : "内存不足");
		trim_nl(msg);
		s->where = kp_xstrdup("PostgreSQL");
		pg_close(s);
		return kp_fail(e, KP_EIO, "无法连接 PostgreSQL：%s", msg);
	}
	kp_buf_addf(&where, "PostgreSQL %s:%s/%s", PQhost(q->conn),
		    PQport(q->conn), PQdb(q->conn));
	s->where = kp_buf_detach(&where);
	PQsetNoticeProcessor(q->conn, quiet, NULL);
	if (PQsetClientEncoding(q->conn, "UTF8") != 0) {
		pg_fail(s, e, "设置编码", NULL);
		pg_close(s);
		return -1;
	}
	return 0;
}
