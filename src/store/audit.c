/* store — the audit log: who did what to which round and when
 * (append-only). */
#include "store/store_int.h"

#include <string.h>

int kp_store_audit_tx(kp_store *s, int64_t round, const char *who,
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


/* ---- audit ----------------------------------------------------------- */

int kp_store_audit(kp_store *s, int64_t round, const char *who,
		   const char *action, const char *detail, kp_err *e)
{
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (kp_store_audit_tx(s, round, who, action, detail, e) < 0)
		return kp_store_fail_tx(s);
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
	a.at = kp_val_str(&c[1]);
	a.who = kp_val_str(&c[2]);
	a.round = kp_val_str(&c[3]);
	a.action = kp_val_str(&c[4]);
	a.detail = kp_val_str(&c[5]);
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

int kp_store_audit_count(kp_store *s, int64_t round, int64_t *n, kp_err *e)
{
	kp_val p[1] = { KV_INT(round) };
	*n = 0;
	return s->ops->run(s, "SELECT COUNT(*) FROM audit WHERE round_id = ?",
			   p, 1, kp_row_first_int, n, e) < 0 ? -1 : 0;
}
