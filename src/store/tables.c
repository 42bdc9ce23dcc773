/* store — the tables an office imported (migration 15): the canonical
 * text in schemes, a row in imported_tables, and the audit row, written
 * in one transaction. */
#include "store/store_int.h"

#include <string.h>

int kp_store_table_import(kp_store *s, const kp_imported *t, const char *text,
			  const char *detail, int64_t *id, kp_err *e)
{
	char hash[17], now[24];
	int64_t sid = 0;
	*id = 0;
	kp_store_hash(text, strlen(text), hash);
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (kp_store_put_text(s, t->table_id, t->title, text, hash, &sid, e) < 0)
		return kp_store_fail_tx(s);
	{
		kp_val p[6] = { KV_INT(sid), KV_TEXT(t->file), KV_TEXT(t->encoding),
				KV_INT(t->unsure), KV_TEXT(t->author),
				KV_TEXT(kp_store_now(now)) };
		if (s->ops->run(s, "INSERT INTO imported_tables (scheme_id, file, encoding,"
				   " unsure, author, at) VALUES (?, ?, ?, ?, ?, ?)",
				p, 6, NULL, NULL, e) < 0 ||
		    s->ops->run(s, "SELECT MAX(id) FROM imported_tables WHERE scheme_id = ?",
				p, 1, kp_row_first_int, id, e) < 0)
			return kp_store_fail_tx(s);
	}
	if (kp_store_audit_tx(s, 0, t->author, "web-table-import", detail, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

#define IMPORTED_COLS                                                         \
	"SELECT i.id, s.table_id, s.title, i.file, i.encoding, i.unsure,"     \
	" i.author, i.at, s.body FROM imported_tables i"                      \
	" JOIN schemes s ON s.id = i.scheme_id"

struct each_ctx {
	kp_imported_fn fn;
	void *ctx;
};

static int imported_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct each_ctx *x = ctx;
	kp_imported t;
	if (n < 9)
		return 0;
	t.id = c[0].i;
	t.table_id = kp_val_str(&c[1]);
	t.title = kp_val_str(&c[2]);
	t.file = kp_val_str(&c[3]);
	t.encoding = kp_val_str(&c[4]);
	t.unsure = c[5].i;
	t.author = kp_val_str(&c[6]);
	t.at = kp_val_str(&c[7]);
	t.text = kp_val_str(&c[8]);
	return x->fn(x->ctx, &t, e);
}

int kp_store_tables_imported_each(kp_store *s, int64_t id, kp_imported_fn fn,
				  void *ctx, kp_err *e)
{
	struct each_ctx x = { fn, ctx };
	kp_val p[1] = { KV_INT(id) };
	if (id)
		return s->ops->run(s, IMPORTED_COLS " WHERE i.id = ?", p, 1,
				   imported_row, &x, e) < 0 ? -1 : 0;
	return s->ops->run(s, IMPORTED_COLS " ORDER BY i.id", NULL, 0,
			   imported_row, &x, e) < 0 ? -1 : 0;
}
