/* store backend: SQLite — one file, WAL, foreign keys, busy timeout. */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STMT_CACHE 32
#define BUSY_MS 60000

struct sq {
	sqlite3 *db;
	struct {
		char *sql;         /* a copy of the statement's text */
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
	size_t ncache;
};

static int sq_fail(kp_store *s, kp_err *e, const char *what)
{
	struct sq *q = s->impl;
	int code = sqlite3_extended_errcode(q->db);
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return kp_fail(e, KP_EIO, "%s：数据库被其他进程占用，等待 %d 秒后仍未释放（%s）",
			       s->where, BUSY_MS / 1000, sqlite3_errmsg(q->db));
	return kp_fail(e, KP_EIO, "%s：数据库错误（%s）：%s", s->where, what,
		       sqlite3_errmsg(q->db));
}

static int sq_exec(kp_store *s, const char *sql, kp_err *e)
{
	struct sq *q = s->impl;
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, e, "执行");
	return 0;
}

static sqlite3_stmt *sq_prepare(kp_store *s, const char *sql, kp_err *e)
{
	struct sq *q = s->impl;
	sqlite3_stmt *st;
	for (size_t i = 0; i < q->ncache; i++)
		if (!strcmp(q->cache[i].sql, sql))
			return q->cache[i].st;
	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sq_fail(s, e, "准备语句");
		return NULL;
	}
	if (q->ncache < STMT_CACHE) {
		q->cache[q->ncache].sql = kp_xstrdup(sql);
		q->cache[q->ncache].st = st;
		q->ncache++;
	} else {
		/* full: replace the oldest */
		sqlite3_finalize(q->cache[0].st);
		free(q->cache[0].sql);
		memmove(&q->cache[0], &q->cache[1],
			(STMT_CACHE - 1) * sizeof(q->cache[0]));
		q->cache[STMT_CACHE - 1].sql = kp_xstrdup(sql);
		q->cache[STMT_CACHE - 1].st = st;
	}
	return st;
}

/* types: NULL, or one letter a column ('i' integer, 't' text) so that a
 * row costs one call a value, not two (see kp_backend.run_typed). */
static int64_t sq_rows(kp_store *s, const char *sql, const kp_val *p, int np,
		       const char *types, kp_row_fn fn, void *ctx, kp_err *e)
{
	struct sq *q = s->impl;
	sqlite3_stmt *st = sq_prepare(s, sql, e);
	int64_t rows = 0;
	kp_val cols[32];
	int rc;
	if (!st)
		return -1;
	for (int i = 0; i < np; i++) {
		switch (p[i].t) {
		case KP_V_INT:
			rc = sqlite3_bind_int64(st, i + 1, p[i].i);
			break;
		case KP_V_TEXT:
			rc = sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, i + 1);
		}
		if (rc != SQLITE_OK) {
			sq_fail(s, e, "绑定参数");
			goto fail;
		}
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_count(st);
		if (n > 32)
			n = 32;
		for (int c = 0; types && c < n; c++) {
			if (types[c] == 'i') {
				cols[c] = KV_INT(sqlite3_column_int64(st, c));
			} else {
				const char *v = (const char *)sqlite3_column_text(st, c);
				cols[c] = KV_TEXT(v ? v : "");
			}
		}
		for (int c = 0; !types && c < n; c++) {
			switch (sqlite3_column_type(st, c)) {
			case SQLITE_INTEGER:
				cols[c] = KV_INT(sqlite3_column_int64(st, c));
				break;
			case SQLITE_NULL:
				cols[c] = KV_NULL;
				break;
			default:
				cols[c] = KV_TEXT((const char *)sqlite3_column_text(st, c));
			}
		}
		rows++;
		if (fn && fn(ctx, cols, n, e) < 0)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		sq_fail(s, e, "执行");
		goto fail;
	}
	if (sqlite3_column_count(st) == 0)
		rows = sqlite3_changes(q->db);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rows;
fail:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return -1;
}

static int64_t sq_run(kp_store *s, const char *sql, const kp_val *p, int np,
		      kp_row_fn fn, void *ctx, kp_err *e)
{
	return sq_rows(s, sql, p, np, NULL, fn, ctx, e);
}

static int sq_begin(kp_store *s, kp_err *e)
{
	/* IMMEDIATE: take the write lock now (waiting up to the busy
	 * timeout), so two writers never deadlock upgrading read locks */
	if (sq_exec(s, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	s->in_tx = true;
	return 0;
}

static int sq_commit(kp_store *s, kp_err *e)
{
	if (sq_exec(s, "COMMIT", e) < 0) {
		kp_err ignored;
		sq_exec(s, "ROLLBACK", &ignored);
		s->in_tx = false;
		return -1;
	}
	s->in_tx = false;
	return 0;
}

static void sq_rollback(kp_store *s)
{
	kp_err ignored;
	if (s->in_tx)
		sq_exec(s, "ROLLBACK", &ignored);
	s->in_tx = false;
}

static int sq_lock_schema(kp_store *s, kp_err *e)
{
	(void)s;
	(void)e;
	return 0;   /* BEGIN IMMEDIATE already holds the write lock */
}

static bool sq_has_table(kp_store *s, const char *name)
{
	kp_val p[1] = { KV_TEXT(name) };
	kp_err e;
	return sq_run(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
		      p, 1, NULL, NULL, &e) > 0;
}

static void sq_close(kp_store *s)
{
	struct sq *q = s->impl;
	if (!q)
		return;
	for (size_t i = 0; i < q->ncache; i++) {
		sqlite3_finalize(q->cache[i].st);
		free(q->cache[i].sql);
	}
	sqlite3_close(q->db);
	free(q);
	s->impl = NULL;
}

static const struct kp_backend sqlite_backend = {
	.name = "sqlite",
	.id_ddl = "INTEGER PRIMARY KEY AUTOINCREMENT",
	.exec = sq_exec,
	.run = sq_run,
	.run_typed = sq_rows,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.lock_schema = sq_lock_schema,
	.has_table = sq_has_table,
	.close = sq_close,
};

int kp_sqlite_open(kp_store *s, const char *path, int flags, kp_err *e)
{
	struct sq *q;
	struct stat st;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	s->where = kp_xstrdup(path);
	if (!*path)
		return kp_fail(e, KP_EINPUT, "数据库文件名为空");
	if (stat(path, &st) < 0) {
		if (!(flags & KP_STORE_CREATE))
			return kp_fail(e, KP_EINPUT, "%s：数据库不存在（先运行 kaoping eval new，或用 --db 指明）",
				       path);
		oflags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(st.st_mode)) {
		return kp_fail(e, KP_EINPUT, "%s：不是数据库文件", path);
	}
	q = kp_xcalloc(1, sizeof(*q));
	s->impl = q;
	s->ops = &sqlite_backend;
	if (sqlite3_open_v2(path, &q->db, oflags, NULL) != SQLITE_OK) {
		int r = kp_fail(e, KP_EIO, "%s：无法打开数据库：%s", path,
				q->db ? sqlite3_errmsg(q->db) : "内存不足");
		sq_close(s);
		return r;
	}
	sqlite3_busy_timeout(q->db, BUSY_MS);
	sqlite3_extended_result_codes(q->db, 1);
	if (sq_exec(s, "PRAGMA foreign_keys = ON", e) < 0 ||
	    sq_exec(s, "PRAGMA journal_mode = WAL", e) < 0 ||
	    sq_exec(s, "PRAGMA synchronous = FULL", e) < 0)
		goto fail;
	/* a file that is not SQLite is only noticed when read */
	if (sq_exec(s, "SELECT COUNT(*) FROM sqlite_master", e) < 0)
		goto fail;
	return 0;
fail:
	sq_close(s);
	return -1;
}
