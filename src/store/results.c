/* store — results: the latest totals and ranks of a round, with
 * each table's part. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- results --------------------------------------------------------- */

/* On a backend with copy_in (PostgreSQL) a national round's 14,000
 * results and their parts go in as two COPYs instead of a round trip
 * each: each row is written (bulk) in COPY's text format, else inserted
 * (p, the row's values in the order of the INSERT). */
static void copy_row(kp_buf *b, const kp_val *p, int np)
{
	for (int i = 0; i < np; i++) {
		if (i)
			kp_buf_addc(b, '\t');
		if (p[i].t == KP_V_INT)
			kp_copy_int(b, p[i].i);
		else if (p[i].t == KP_V_TEXT)
			kp_copy_text(b, p[i].s);
		else
			kp_buf_adds(b, "\\N");
	}
	kp_buf_addc(b, '\n');
}

#define RESULT_COLS                                                       \
	"round_id, unit_id, total_n, total_d, self_n, self_d, vetoed,"    \
	" outcome, rank, computed_at, convert, conv_n, conv_d, pending,"  \
	" max_n, max_d, veto_node"
#define PART_COLS                                                         \
	"round_id, unit_id, pos, total_n, total_d, self_n, self_d, vetoed," \
	" outcome, convert, conv_n, conv_d, value_n, value_d"

/* The parts of one unit's result (a scheme round's tables): into parts
 * as COPY rows when the backend copies (parts not NULL), else inserted
 * one by one. */
static int parts_put(kp_store *s, int64_t round, int64_t uid,
		     const kp_store_result *r, kp_buf *parts, kp_err *e)
{
	for (size_t k = 0; k < r->nparts; k++) {
		const kp_store_part *t = &r->parts[k];
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
		if (parts)
			copy_row(parts, q, 14);
		else if (s->ops->run(s, "INSERT INTO result_parts (" PART_COLS ")"
					" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
					" ?, ?, ?, ?)", q, 14, NULL, NULL, e) < 0)
			return -1;
	}
	return 0;
}

struct kp_store_results_tx {
	kp_store *s;
	int64_t round;
	struct kp_unit_map m;     /* the round's units, by name */
};

int kp_store_results_begin(kp_store *s, int64_t round,
			   kp_store_results_tx **out, kp_err *e)
{
	kp_store_results_tx *t;
	kp_val pr[1] = { KV_INT(round) };
	*out = NULL;
	if (s->ops->begin(s, e) < 0)
		return -1;
	t = kp_xcalloc(1, sizeof(*t));
	t->s = s;
	t->round = round;
	if (kp_unit_map_load(s, round, &t->m, e) < 0 ||
	    s->ops->run(s, "DELETE FROM result_parts WHERE round_id = ?", pr, 1,
			NULL, NULL, e) < 0 ||
	    s->ops->run(s, "DELETE FROM results WHERE round_id = ?", pr, 1,
			NULL, NULL, e) < 0) {
		kp_store_results_abort(t);
		return -1;
	}
	*out = t;
	return 0;
}

void kp_store_results_abort(kp_store_results_tx *t)
{
	if (!t)
		return;
	kp_store_fail_tx(t->s);
	kp_unit_map_release(&t->m);
	free(t);
}

int kp_store_results_commit(kp_store_results_tx *t, int64_t seq,
			    const kp_store_result *v, size_t n,
			    const char *author, kp_err *e)
{
	kp_store *s = t->s;
	int64_t round = t->round;
	char now[24];
	kp_buf detail = KP_BUF_INIT, rows = KP_BUF_INIT, parts = KP_BUF_INIT;
	bool bulk = s->ops->copy_in != NULL;
	kp_store_now(now);
	for (size_t i = 0; i < n; i++) {
		int64_t uid = kp_unit_map_find(&t->m, v[i].unit);
		kp_val p[17];
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
		p[13] = KV_INT(v[i].pending);
		p[14] = v[i].has_max ? KV_INT(v[i].max.n) : KV_NULL;
		p[15] = v[i].has_max ? KV_INT(v[i].max.d) : KV_NULL;
		p[16] = KV_TEXT(v[i].veto_node ? v[i].veto_node : "");
		if (bulk)
			copy_row(&rows, p, 17);
		else if (s->ops->run(s, "INSERT INTO results (" RESULT_COLS ")"
					" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
					" ?, ?, ?, ?)",
				     p, 17, NULL, NULL, e) < 0)
			goto fail;
		if (parts_put(s, round, uid, &v[i], bulk ? &parts : NULL, e) < 0)
			goto fail;
	}
	if ((rows.len && s->ops->copy_in(s, "COPY results (" RESULT_COLS ") FROM STDIN",
					 rows.data, rows.len, e) < 0) ||
	    (parts.len && s->ops->copy_in(s, "COPY result_parts (" PART_COLS ") FROM STDIN",
					  parts.data, parts.len, e) < 0))
		goto fail;
	{
		kp_val p[2] = { KV_INT(seq), KV_INT(round) };
		if (s->ops->run(s, "UPDATE rounds SET scored_seq = ? WHERE id = ?",
				p, 2, NULL, NULL, e) < 0)
			goto fail;
	}
	kp_buf_addf(&detail, "计分：%zu 个单位，依据事实至第 %lld 条", n,
		    (long long)seq);
	if (kp_store_audit_tx(s, round, author, "score", detail.data, e) < 0)
		goto fail;
	kp_buf_release(&detail);
	kp_buf_release(&rows);
	kp_buf_release(&parts);
	kp_unit_map_release(&t->m);
	free(t);
	return s->ops->commit(s, e);
fail:
	kp_buf_release(&detail);
	kp_buf_release(&rows);
	kp_buf_release(&parts);
	kp_store_results_abort(t);
	return -1;
}

int kp_store_results_put(kp_store *s, int64_t round, int64_t seq,
			 const kp_store_result *v, size_t n,
			 const char *author, kp_err *e)
{
	kp_store_results_tx *t;
	if (kp_store_results_begin(s, round, &t, e) < 0)
		return -1;
	return kp_store_results_commit(t, seq, v, n, author, e);
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
	r.unit = kp_val_str(&c[0]);
	r.total.n = c[1].i;
	r.total.d = c[2].i;
	r.has_self = c[3].t == KP_V_INT && c[4].t == KP_V_INT && c[4].i > 0;
	if (r.has_self) {
		r.self_total.n = c[3].i;
		r.self_total.d = c[4].i;
	}
	r.vetoed = c[5].i != 0;
	r.outcome = kp_val_str(&c[6]);
	r.rank = c[7].i;
	r.convert = kp_val_str(&c[8]);
	if (*r.convert && c[9].t == KP_V_INT && c[10].t == KP_V_INT && c[10].i > 0) {
		r.converted.n = c[9].i;
		r.converted.d = c[10].i;
	} else {
		r.convert = "";
	}
	if (n >= 15) {
		r.pending = c[11].i;
		r.has_max = c[12].t == KP_V_INT && c[13].t == KP_V_INT && c[13].i > 0;
		if (r.has_max) {
			r.max.n = c[12].i;
			r.max.d = c[13].i;
		}
		r.veto_node = kp_val_str(&c[14]);
	} else {
		r.veto_node = "";
	}
	return rc->fn(rc->ctx, &r, e);
}

#define RESULT_SELECT                                                       \
	"SELECT u.name, x.total_n, x.total_d, x.self_n, x.self_d, x.vetoed," \
	" x.outcome, x.rank, x.convert, x.conv_n, x.conv_d, x.pending,"      \
	" x.max_n, x.max_d, x.veto_node"                                      \
	" FROM results x JOIN units u ON u.id = x.unit_id"

int kp_store_results_each(kp_store *s, int64_t round, const char *unit,
			  kp_result_fn fn, void *ctx, kp_err *e)
{
	struct results_ctx rc = { fn, ctx };
	int64_t r;
	if (unit) {
		kp_val p[2] = { KV_INT(round), KV_TEXT(unit) };
		r = s->ops->run(s, RESULT_SELECT " WHERE x.round_id = ?"
				   " AND u.round_id = x.round_id AND u.name = ?",
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
	t.outcome = kp_val_str(&c[7]);
	t.convert = kp_val_str(&c[8]);
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
	return pc->fn(pc->ctx, kp_val_str(&c[0]), &t, e);
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
		r = s->ops->run(s, PART_SELECT " WHERE x.round_id = ?"
				   " AND u.round_id = x.round_id AND u.name = ?"
				   " ORDER BY x.pos", p, 2, parts_row, &pc, e);
	} else {
		kp_val p[1] = { KV_INT(round) };
		r = s->ops->run(s, PART_SELECT " WHERE x.round_id = ?"
				   " ORDER BY u.id, x.pos", p, 1, parts_row, &pc, e);
	}
	return r < 0 ? -1 : 0;
}
