/* store — a person's reviews of inspection findings (table of migration
 * 5; the interface is in store.h): append-only, the latest review of a
 * finding counts. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

struct target {
	int64_t round, unit;
	char *check, *key, *url, *message, *site;
	bool found;
};

static int target_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct target *t = ctx;
	(void)e;
	if (n < 7)
		return 0;
	t->round = c[0].i;
	t->unit = c[1].i;
	t->check = kp_val_dup(&c[2]);
	t->key = kp_val_dup(&c[3]);
	t->url = kp_val_dup(&c[4]);
	t->message = kp_val_dup(&c[5]);
	t->site = kp_val_dup(&c[6]);
	t->found = true;
	return 0;
}

static void target_release(struct target *t)
{
	free(t->check);
	free(t->key);
	free(t->url);
	free(t->message);
	free(t->site);
}

int kp_store_review_add(kp_store *s, int64_t inspection, int64_t ord,
			const char *decision, const char *note, const char *who,
			int64_t *id, kp_err *e)
{
	struct target t;
	int64_t rid = 0;
	char now[24];
	kp_buf detail = KP_BUF_INIT;
	bool confirm = !strcmp(decision, KP_REVIEW_CONFIRMED);
	memset(&t, 0, sizeof(t));
	if (!confirm && strcmp(decision, KP_REVIEW_FALSE_ALARM))
		return kp_fail(e, KP_EINPUT, "%s：复核结论应为 %s 或 %s，而不是“%s”",
			       s->where, KP_REVIEW_CONFIRMED, KP_REVIEW_FALSE_ALARM,
			       decision);
	if (s->ops->begin(s, e) < 0)
		return -1;
	{
		kp_val p[2] = { KV_INT(inspection), KV_INT(ord) };
		if (s->ops->run(s, "SELECT i.round_id, i.unit_id, f.check_name,"
				   " f.finding_key, f.url, f.message, i.site"
				   " FROM inspection_findings f JOIN inspections i"
				   " ON i.id = f.inspection_id"
				   " WHERE f.inspection_id = ? AND f.ord = ?",
				p, 2, target_row, &t, e) < 0)
			goto fail;
	}
	if (!t.found) {
		s->ops->rollback(s);
		target_release(&t);
		return kp_fail(e, KP_EINPUT, "%s：检测 %lld 中没有第 %lld 条发现（见 kaoping inspect show %lld）",
			       s->where, (long long)inspection, (long long)ord,
			       (long long)inspection);
	}
	{
		kp_val p[11] = {
			KV_INT(t.round), KV_INT(t.unit), KV_INT(inspection),
			KV_INT(ord), KV_TEXT(t.check), KV_TEXT(t.key),
			KV_TEXT(t.url), KV_TEXT(decision),
			KV_TEXT(note ? note : ""), KV_TEXT(who ? who : ""),
			KV_TEXT(kp_store_now(now)),
		};
		if (s->ops->run(s, "INSERT INTO inspection_reviews (round_id, unit_id,"
				   " inspection_id, ord, check_name, finding_key, url,"
				   " decision, note, author, at)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				p, 11, kp_row_first_int, &rid, e) < 0)
			goto fail;
	}
	kp_buf_addf(&detail, "复核检测 %lld 第 %lld 条发现（%s）：%s%s%s",
		    (long long)inspection, (long long)ord, t.message,
		    confirm ? "确认属实" : "误报", note && *note ? "；" : "",
		    note ? note : "");
	if (kp_store_audit_tx(s, t.round, who, "inspect-review", detail.data, e) < 0)
		goto fail;
	kp_buf_release(&detail);
	target_release(&t);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (id)
		*id = rid;
	return 0;
fail:
	kp_buf_release(&detail);
	target_release(&t);
	s->ops->rollback(s);
	return -1;
}

struct each_ctx {
	kp_review_fn fn;
	void *ctx;
};

static int review_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct each_ctx *ec = ctx;
	kp_store_review r;
	if (n < 11)
		return 0;
	r.id = c[0].i;
	r.inspection = c[1].i;
	r.ord = c[2].i;
	r.check = kp_val_str(&c[3]);
	r.key = kp_val_str(&c[4]);
	r.url = kp_val_str(&c[5]);
	r.decision = kp_val_str(&c[6]);
	r.note = kp_val_str(&c[7]);
	r.author = kp_val_str(&c[8]);
	r.at = kp_val_str(&c[9]);
	return ec->fn(ec->ctx, &r, e);
}

#define REVIEW_SELECT                                                      \
	"SELECT r.id, r.inspection_id, r.ord, r.check_name, r.finding_key," \
	" r.url, r.decision, r.note, r.author, r.at, u.name"                \
	" FROM inspection_reviews r JOIN units u ON u.id = r.unit_id"

int kp_store_reviews_each(kp_store *s, int64_t round, const char *unit,
			  kp_review_fn fn, void *ctx, kp_err *e)
{
	struct each_ctx ec = { fn, ctx };
	int64_t r;
	if (unit) {
		kp_val p[2] = { KV_INT(round), KV_TEXT(unit) };
		r = s->ops->run(s, REVIEW_SELECT " WHERE r.round_id = ? AND u.name = ?"
				   " ORDER BY r.id", p, 2, review_row, &ec, e);
	} else {
		kp_val p[1] = { KV_INT(round) };
		r = s->ops->run(s, REVIEW_SELECT " WHERE r.round_id = ? ORDER BY r.id",
				p, 1, review_row, &ec, e);
	}
	return r < 0 ? -1 : 0;
}
