/* store — evidence uploaded for a unit's indicator (schema 11): a row
 * per file, append-only, each added with its audit row in the same
 * transaction.  The file's bytes are not here (the web server's data
 * directory holds them under path). */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define EV_COLS "e.id, e.round_id, u.name, e.indicator, e.name, e.type," \
		" e.size, e.sha256, e.path, e.note, e.author, e.at, r.name"
#define EV_FROM " FROM evidence e JOIN units u ON u.id = e.unit_id" \
		" JOIN rounds r ON r.id = e.round_id"

void kp_evidence_release(kp_evidence *x)
{
	free(x->unit);
	free(x->indicator);
	free(x->name);
	free(x->type);
	free(x->sha256);
	free(x->path);
	free(x->note);
	free(x->author);
	free(x->at);
	free(x->round_name);
	memset(x, 0, sizeof(*x));
}

static void ev_from(kp_evidence *x, const kp_val *c)
{
	x->id = c[0].i;
	x->round = c[1].i;
	x->unit = kp_val_dup(&c[2]);
	x->indicator = kp_val_dup(&c[3]);
	x->name = kp_val_dup(&c[4]);
	x->type = kp_val_dup(&c[5]);
	x->size = c[6].i;
	x->sha256 = kp_val_dup(&c[7]);
	x->path = kp_val_dup(&c[8]);
	x->note = kp_val_dup(&c[9]);
	x->author = kp_val_dup(&c[10]);
	x->at = kp_val_dup(&c[11]);
	x->round_name = kp_val_dup(&c[12]);
}

int kp_store_evidence_add(kp_store *s, const kp_evidence *ev,
			  const char *detail, int64_t *id, kp_err *e)
{
	char now[24];
	int64_t unit = 0;
	*id = 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT id FROM units WHERE round_id = ? AND name = ?",
			(kp_val[]){ KV_INT(ev->round), KV_TEXT(ev->unit) }, 2,
			kp_row_first_int, &unit, e) < 0)
		return kp_store_fail_tx(s);
	if (!unit) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：轮次中没有单位“%s”", s->where,
			       ev->unit);
	}
	kp_store_now(now);
	if (s->ops->run(s, "INSERT INTO evidence (round_id, unit_id, indicator,"
			   " name, type, size, sha256, path, note, author, at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			(kp_val[]){ KV_INT(ev->round), KV_INT(unit),
				    KV_TEXT(ev->indicator), KV_TEXT(ev->name),
				    KV_TEXT(ev->type), KV_INT(ev->size),
				    KV_TEXT(ev->sha256), KV_TEXT(ev->path),
				    KV_TEXT(ev->note ? ev->note : ""),
				    KV_TEXT(ev->author), KV_TEXT(now) },
			11, NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	if (s->ops->run(s, "SELECT MAX(id) FROM evidence WHERE round_id = ?"
			   " AND unit_id = ?",
			(kp_val[]){ KV_INT(ev->round), KV_INT(unit) }, 2,
			kp_row_first_int, id, e) < 0 ||
	    kp_store_audit_tx(s, ev->round, ev->author, "evidence-add", detail,
			      e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

static int ev_one(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_evidence *x = ctx;
	(void)e;
	if (n < 13)
		return 0;
	kp_evidence_release(x);
	ev_from(x, c);
	return 0;
}

int kp_store_evidence_get(kp_store *s, int64_t id, kp_evidence *out,
			  kp_err *e)
{
	memset(out, 0, sizeof(*out));
	if (s->ops->run(s, "SELECT " EV_COLS EV_FROM " WHERE e.id = ?",
			(kp_val[]){ KV_INT(id) }, 1, ev_one, out, e) < 0) {
		kp_evidence_release(out);
		return -1;
	}
	return out->sha256 ? 0 : 1;
}

struct ev_ctx {
	kp_evidence_fn fn;
	void *ctx;
};

static int ev_each(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct ev_ctx *ec = ctx;
	kp_evidence x;
	int r;
	if (n < 13)
		return 0;
	ev_from(&x, c);
	r = ec->fn(ec->ctx, &x, e);
	kp_evidence_release(&x);
	return r;
}

int kp_store_evidence_each(kp_store *s, int64_t round, const char *unit,
			   kp_evidence_fn fn, void *ctx, kp_err *e)
{
	struct ev_ctx ec = { fn, ctx };
	if (unit)
		return s->ops->run(s, "SELECT " EV_COLS EV_FROM
				      " WHERE e.round_id = ? AND u.name = ?"
				      " ORDER BY e.id",
				   (kp_val[]){ KV_INT(round), KV_TEXT(unit) }, 2,
				   ev_each, &ec, e) < 0 ? -1 : 0;
	return s->ops->run(s, "SELECT " EV_COLS EV_FROM
			      " WHERE e.round_id = ? ORDER BY e.id",
			   (kp_val[]){ KV_INT(round) }, 1, ev_each, &ec, e) < 0 ?
		       -1 : 0;
}
