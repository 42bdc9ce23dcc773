/* store — the web server's accounts, sessions, published rounds and the
 * public's votes (schema 5).  Each change has its audit row in the same
 * transaction. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define USER_COLS "u.id, u.name, u.role, u.unit, u.hash, u.disabled," \
		  " u.failed, u.locked_until, u.created_at, u.created_by"

void kp_user_release(kp_user *u)
{
	free(u->name);
	free(u->role);
	free(u->unit);
	free(u->hash);
	free(u->created_at);
	free(u->created_by);
	memset(u, 0, sizeof(*u));
}

static void user_from(kp_user *u, const kp_val *c)
{
	u->id = c[0].i;
	u->name = kp_val_dup(&c[1]);
	u->role = kp_val_dup(&c[2]);
	u->unit = kp_val_dup(&c[3]);
	u->hash = kp_val_dup(&c[4]);
	u->disabled = c[5].i != 0;
	u->failed = c[6].i;
	u->locked_until = c[7].i;
	u->created_at = kp_val_dup(&c[8]);
	u->created_by = kp_val_dup(&c[9]);
}

static int user_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_user *u = ctx;
	(void)e;
	if (n < 10)
		return 0;
	kp_user_release(u);
	user_from(u, c);
	return 0;
}

int kp_store_user_add(kp_store *s, const char *name, const char *role,
		      const char *unit, const char *hash, const char *who,
		      kp_err *e)
{
	char now[24];
	int64_t have = 0;
	kp_buf d = KP_BUF_INIT;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT COUNT(*) FROM users WHERE name = ?",
			(kp_val[]){ KV_TEXT(name) }, 1, kp_row_first_int, &have,
			e) < 0)
		return kp_store_fail_tx(s);
	if (have) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：已有名为“%s”的账号", s->where, name);
	}
	kp_store_now(now);
	if (s->ops->run(s, "INSERT INTO users (name, role, unit, hash, created_at,"
			   " created_by) VALUES (?, ?, ?, ?, ?, ?)",
			(kp_val[]){ KV_TEXT(name), KV_TEXT(role), KV_TEXT(unit),
				    KV_TEXT(hash), KV_TEXT(now), KV_TEXT(who) },
			6, NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	kp_buf_addf(&d, "账号 %s，角色 %s%s%s", name, role, *unit ? "，单位 " : "",
		    unit);
	if (kp_store_audit_tx(s, 0, who, "user-add", d.data, e) < 0) {
		kp_buf_release(&d);
		return kp_store_fail_tx(s);
	}
	kp_buf_release(&d);
	return s->ops->commit(s, e);
}

int kp_store_user_get(kp_store *s, const char *name, kp_user *out,
		      kp_err *e)
{
	memset(out, 0, sizeof(*out));
	if (s->ops->run(s, "SELECT " USER_COLS " FROM users u WHERE u.name = ?",
			(kp_val[]){ KV_TEXT(name) }, 1, user_row, out, e) < 0) {
		kp_user_release(out);
		return -1;
	}
	return out->name ? 0 : 1;
}

struct users_ctx {
	kp_user_fn fn;
	void *ctx;
};

static int users_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct users_ctx *uc = ctx;
	kp_user u;
	int r;
	if (n < 10)
		return 0;
	user_from(&u, c);
	r = uc->fn(uc->ctx, &u, e);
	kp_user_release(&u);
	return r;
}

int kp_store_users_each(kp_store *s, kp_user_fn fn, void *ctx, kp_err *e)
{
	struct users_ctx uc = { fn, ctx };
	return s->ops->run(s, "SELECT " USER_COLS " FROM users u ORDER BY u.name",
			   NULL, 0, users_row, &uc, e) < 0 ? -1 : 0;
}

int kp_store_user_disable(kp_store *s, const char *name, const char *who,
			  kp_err *e)
{
	int64_t id = 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT id FROM users WHERE name = ?",
			(kp_val[]){ KV_TEXT(name) }, 1, kp_row_first_int, &id,
			e) < 0)
		return kp_store_fail_tx(s);
	if (!id) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：没有名为“%s”的账号", s->where, name);
	}
	if (s->ops->run(s, "UPDATE users SET disabled = 1 WHERE id = ?",
			(kp_val[]){ KV_INT(id) }, 1, NULL, NULL, e) < 0 ||
	    s->ops->run(s, "DELETE FROM sessions WHERE user_id = ?",
			(kp_val[]){ KV_INT(id) }, 1, NULL, NULL, e) < 0 ||
	    kp_store_audit_tx(s, 0, who, "user-disable", name, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

int kp_store_user_attempt(kp_store *s, int64_t user, int64_t failed,
			  int64_t locked_until, const char *action,
			  const char *detail, kp_err *e)
{
	kp_user u;
	if (s->ops->begin(s, e) < 0)
		return -1;
	memset(&u, 0, sizeof(u));
	if (s->ops->run(s, "UPDATE users SET failed = ?, locked_until = ?"
			   " WHERE id = ?",
			(kp_val[]){ KV_INT(failed), KV_INT(locked_until),
				    KV_INT(user) }, 3, NULL, NULL, e) < 0 ||
	    s->ops->run(s, "SELECT " USER_COLS " FROM users u WHERE u.id = ?",
			(kp_val[]){ KV_INT(user) }, 1, user_row, &u, e) < 0 ||
	    kp_store_audit_tx(s, 0, u.name ? u.name : "", action, detail, e) < 0) {
		kp_user_release(&u);
		return kp_store_fail_tx(s);
	}
	kp_user_release(&u);
	return s->ops->commit(s, e);
}

/* ---- sessions ---------------------------------------------------------- */

void kp_session_release(kp_session *x)
{
	kp_user_release(&x->user);
	free(x->csrf);
	memset(x, 0, sizeof(*x));
}

int kp_store_session_add(kp_store *s, const char *token_hash, int64_t user,
			 const char *csrf_hash, int64_t expires,
			 const char *address, kp_err *e)
{
	char now[24];
	if (s->ops->begin(s, e) < 0)
		return -1;
	/* sessions past their expiry go when a new one comes */
	if (s->ops->run(s, "DELETE FROM sessions WHERE expires < ?",
			(kp_val[]){ KV_INT(expires - 7 * 24 * 3600) }, 1, NULL,
			NULL, e) < 0 ||
	    s->ops->run(s, "INSERT INTO sessions (token, user_id, csrf, expires,"
			   " address, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			(kp_val[]){ KV_TEXT(token_hash), KV_INT(user),
				    KV_TEXT(csrf_hash), KV_INT(expires),
				    KV_TEXT(address), KV_TEXT(kp_store_now(now)) },
			6, NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

static int session_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_session *x = ctx;
	(void)e;
	if (n < 12)
		return 0;
	kp_session_release(x);
	user_from(&x->user, c);
	x->csrf = kp_val_dup(&c[10]);
	x->expires = c[11].i;
	return 0;
}

int kp_store_session_get(kp_store *s, const char *token_hash,
			 kp_session *out, kp_err *e)
{
	memset(out, 0, sizeof(*out));
	if (s->ops->run(s, "SELECT " USER_COLS ", x.csrf, x.expires FROM sessions x"
			   " JOIN users u ON u.id = x.user_id WHERE x.token = ?",
			(kp_val[]){ KV_TEXT(token_hash) }, 1, session_row, out,
			e) < 0) {
		kp_session_release(out);
		return -1;
	}
	return out->csrf ? 0 : 1;
}

int kp_store_session_end(kp_store *s, const char *token_hash, kp_err *e)
{
	return s->ops->run(s, "DELETE FROM sessions WHERE token = ?",
			   (kp_val[]){ KV_TEXT(token_hash) }, 1, NULL, NULL,
			   e) < 0 ? -1 : 0;
}

/* ---- publication --------------------------------------------------------- */

int kp_store_round_publish(kp_store *s, int64_t round, const char *who,
			   const char *detail, kp_err *e)
{
	char now[24];
	int64_t have = 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT COUNT(*) FROM publications WHERE round_id = ?",
			(kp_val[]){ KV_INT(round) }, 1, kp_row_first_int, &have,
			e) < 0)
		return kp_store_fail_tx(s);
	if (!have &&
	    s->ops->run(s, "INSERT INTO publications (round_id, at, by_user)"
			   " VALUES (?, ?, ?)",
			(kp_val[]){ KV_INT(round), KV_TEXT(kp_store_now(now)),
				    KV_TEXT(who) }, 3, NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	if (kp_store_audit_tx(s, round, who, "publish", detail, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

int kp_store_round_published(kp_store *s, int64_t round, bool *out,
			     kp_err *e)
{
	int64_t have = 0;
	if (s->ops->run(s, "SELECT COUNT(*) FROM publications WHERE round_id = ?",
			(kp_val[]){ KV_INT(round) }, 1, kp_row_first_int, &have,
			e) < 0)
		return -1;
	*out = have > 0;
	return 0;
}

/* ---- votes --------------------------------------------------------------- */

int kp_store_vote_add(kp_store *s, int64_t round, const char *voter,
		      const char *address, const char *unit,
		      const char *rating, int64_t max_per_address, kp_err *e)
{
	char now[24];
	int64_t mine = 0, from = 0;
	kp_buf d = KP_BUF_INIT;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT COUNT(*) FROM votes WHERE round_id = ? AND voter = ?",
			(kp_val[]){ KV_INT(round), KV_TEXT(voter) }, 2,
			kp_row_first_int, &mine, e) < 0 ||
	    s->ops->run(s, "SELECT COUNT(*) FROM votes WHERE round_id = ? AND address = ?",
			(kp_val[]){ KV_INT(round), KV_TEXT(address) }, 2,
			kp_row_first_int, &from, e) < 0)
		return kp_store_fail_tx(s);
	if (mine || from >= max_per_address) {
		s->ops->rollback(s);
		return mine ? 1 : 2;
	}
	kp_buf_addf(&d, "%s：%s，来自 %s", unit, rating, address);
	if (s->ops->run(s, "INSERT INTO votes (round_id, voter, address, unit,"
			   " rating, at) VALUES (?, ?, ?, ?, ?, ?)",
			(kp_val[]){ KV_INT(round), KV_TEXT(voter), KV_TEXT(address),
				    KV_TEXT(unit), KV_TEXT(rating),
				    KV_TEXT(kp_store_now(now)) }, 6, NULL, NULL,
			e) < 0 ||
	    kp_store_audit_tx(s, round, "公众", "vote", d.data, e) < 0) {
		kp_buf_release(&d);
		return kp_store_fail_tx(s);
	}
	kp_buf_release(&d);
	return s->ops->commit(s, e);
}

struct votes_ctx {
	kp_vote_fn fn;
	void *ctx;
};

static int votes_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct votes_ctx *vc = ctx;
	if (n < 3)
		return 0;
	return vc->fn(vc->ctx, kp_val_str(&c[0]), kp_val_str(&c[1]), c[2].i, e);
}

int kp_store_votes_each(kp_store *s, int64_t round, kp_vote_fn fn,
			void *ctx, kp_err *e)
{
	struct votes_ctx vc = { fn, ctx };
	return s->ops->run(s, "SELECT unit, rating, COUNT(*) FROM votes"
			      " WHERE round_id = ? GROUP BY unit, rating"
			      " ORDER BY unit, rating",
			   (kp_val[]){ KV_INT(round) }, 1, votes_row, &vc, e) < 0
		       ? -1 : 0;
}
