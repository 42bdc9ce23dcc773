/* store — the ledgers' rows (tables of migration 4; the interface and
 * what each table holds are in store.h, "ledgers").  The tables are rows
 * of ledgers[] below: adding a ledger is adding a row and a migration. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define LEDGER_MAXCOLS 9

static const char *const sub_cols[] = {
	"unit", "date", "title", "category", "urgent", "request", "due",
	"false_info", "note", NULL,
};
static const char *const adopt_cols[] = {
	"item", "publication", "date", "issue", "pishi", "pishi_by",
	"upstream", "note", NULL,
};
static const char *const progress_cols[] = {
	"type", "task", "unit", "date", "status", "note", "url", NULL,
};

/* One row per ledger table: its name, cell columns and the SQL written
 * once from them. */
static const struct ledger_table {
	const char *name;
	const char *const *cols;
	size_t ncols;
	const char *insert, *select, *count;
} ledgers[] = {
	{ "info_submissions", sub_cols, 9,
	  "INSERT INTO info_submissions (ledger, seq, unit, date, title,"
	  " category, urgent, request, due, false_info, note)"
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	  "SELECT seq, unit, date, title, category, urgent, request, due,"
	  " false_info, note FROM info_submissions WHERE ledger = ?"
	  " ORDER BY seq",
	  "SELECT COALESCE(MAX(seq), 0) FROM info_submissions WHERE ledger = ?" },
	{ "info_adoptions", adopt_cols, 8,
	  "INSERT INTO info_adoptions (ledger, seq, item, publication, date,"
	  " issue, pishi, pishi_by, upstream, note)"
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	  "SELECT seq, item, publication, date, issue, pishi, pishi_by,"
	  " upstream, note FROM info_adoptions WHERE ledger = ? ORDER BY seq",
	  "SELECT COALESCE(MAX(seq), 0) FROM info_adoptions WHERE ledger = ?" },
	{ "task_progress", progress_cols, 7,
	  "INSERT INTO task_progress (ledger, seq, type, task, unit, date,"
	  " status, note, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	  "SELECT seq, type, task, unit, date, status, note, url"
	  " FROM task_progress WHERE ledger = ? ORDER BY seq",
	  "SELECT COALESCE(MAX(seq), 0) FROM task_progress WHERE ledger = ?" },
};

#define NLEDGERS (sizeof(ledgers) / sizeof(ledgers[0]))

static const struct ledger_table *find(const char *table)
{
	for (size_t i = 0; table && i < NLEDGERS; i++)
		if (!strcmp(ledgers[i].name, table))
			return &ledgers[i];
	return NULL;
}

static const struct ledger_table *find_or_fail(const char *table, kp_err *e)
{
	const struct ledger_table *t = find(table);
	if (!t)
		kp_fail(e, KP_EINTERNAL, "没有名为“%s”的台账表",
			table ? table : "(null)");
	return t;
}

const char *const *kp_store_ledger_cols(const char *table, size_t *ncols)
{
	const struct ledger_table *t = find(table);
	if (ncols)
		*ncols = t ? t->ncols : 0;
	return t ? t->cols : NULL;
}

int kp_store_ledger_count(kp_store *s, const char *table, const char *ledger,
			  int64_t *n, kp_err *e)
{
	const struct ledger_table *t = find_or_fail(table, e);
	kp_val p[1] = { KV_TEXT(ledger ? ledger : "") };
	*n = 0;
	if (!t)
		return -1;
	return s->ops->run(s, t->count, p, 1, kp_row_first_int, n, e) < 0
		       ? -1 : 0;
}

/* Append one table's rows inside the caller's transaction. */
static int append_rows(kp_store *s, const char *ledger,
		       const kp_store_ledger_rows *r, kp_err *e)
{
	const struct ledger_table *t = find_or_fail(r->table, e);
	kp_val p[2 + LEDGER_MAXCOLS];
	int64_t have;
	if (!t || kp_store_ledger_count(s, r->table, ledger, &have, e) < 0)
		return -1;
	if (have != r->first - 1)
		return kp_fail(e, KP_EINPUT,
			       "%s：台账（%s）已有 %lld 行，而这次写入从第 %lld 行起：有人同时修改了台账，没有写入，请重新执行",
			       s->where, t->name, (long long)have,
			       (long long)r->first);
	p[0] = KV_TEXT(ledger);
	for (size_t i = 0; i < r->nrows; i++) {
		const char *const *c = r->cells + i * t->ncols;
		p[1] = KV_INT(r->first + (int64_t)i);
		for (size_t k = 0; k < t->ncols; k++)
			p[2 + k] = KV_TEXT(c[k] ? c[k] : "");
		if (s->ops->run(s, t->insert, p, 2 + (int)t->ncols, NULL, NULL,
				e) < 0)
			return -1;
	}
	return 0;
}

int kp_store_ledger_append(kp_store *s, const char *ledger,
			   const kp_store_ledger_rows *v, size_t n,
			   const char *who, const char *action,
			   const char *detail, kp_err *e)
{
	if (!ledger)
		ledger = "";
	if (s->ops->begin(s, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].nrows && append_rows(s, ledger, &v[i], e) < 0)
			return kp_store_fail_tx(s);
	if (kp_store_audit_tx(s, 0, who, action, detail, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

struct each_ctx {
	kp_ledger_row_fn fn;
	void *ctx;
	size_t ncols;
};

static int each_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct each_ctx *ec = ctx;
	const char *cells[LEDGER_MAXCOLS];
	if (n < 1 + (int)ec->ncols)
		return 0;
	for (size_t k = 0; k < ec->ncols; k++)
		cells[k] = kp_val_str(&c[1 + k]);
	return ec->fn(ec->ctx, c[0].i, cells, ec->ncols, e);
}

int kp_store_ledger_each(kp_store *s, const char *table, const char *ledger,
			 kp_ledger_row_fn fn, void *ctx, kp_err *e)
{
	const struct ledger_table *t = find_or_fail(table, e);
	struct each_ctx ec = { fn, ctx, t ? t->ncols : 0 };
	kp_val p[1] = { KV_TEXT(ledger ? ledger : "") };
	if (!t)
		return -1;
	return s->ops->run(s, t->select, p, 1, each_row, &ec, e) < 0 ? -1 : 0;
}

/* The keys first, then the callbacks: one query at a time. */
struct keys_ctx {
	char **key;
	int64_t *rows;
	size_t n;
};

static int key_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct keys_ctx *kc = ctx;
	(void)e;
	if (n < 2)
		return 0;
	kc->key = kp_xrealloc(kc->key, (kc->n + 1) * sizeof(*kc->key));
	kc->rows = kp_xrealloc(kc->rows, (kc->n + 1) * sizeof(*kc->rows));
	kc->key[kc->n] = kp_val_dup(&c[0]);
	kc->rows[kc->n++] = c[1].t == KP_V_INT ? c[1].i : 0;
	return 0;
}

int kp_store_ledgers_each(kp_store *s, const char *table,
			  kp_ledger_key_fn fn, void *ctx, kp_err *e)
{
	const struct ledger_table *t = find_or_fail(table, e);
	struct keys_ctx kc = { NULL, NULL, 0 };
	kp_buf sql = KP_BUF_INIT;
	int rc = 0;
	if (!t)
		return -1;
	kp_buf_addf(&sql, "SELECT ledger, MAX(seq) FROM %s GROUP BY ledger"
			  " ORDER BY ledger", t->name);
	if (s->ops->run(s, sql.data, NULL, 0, key_row, &kc, e) < 0)
		rc = -1;
	for (size_t i = 0; i < kc.n; i++) {
		if (rc == 0 && fn(ctx, kc.key[i], kc.rows[i], e) < 0)
			rc = -1;
		free(kc.key[i]);
	}
	free(kc.key);
	free(kc.rows);
	kp_buf_release(&sql);
	return rc;
}
