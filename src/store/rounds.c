/* store — rounds (their tables, the schemes' texts) and their
 * units. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

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

/* The table text (id, hash) once, whoever stores it first: two rounds
 * created at the same moment on one table both find the one row (insert
 * if absent, then read; a plain read-then-insert let the second one
 * fail on the unique key). */
int kp_store_put_text(kp_store *s, const char *id, const char *title,
		      const char *text, const char *hash, int64_t *sid,
		      kp_err *e)
{
	char now[24];
	kp_val p[5] = { KV_TEXT(id), KV_TEXT(title ? title : ""),
			KV_TEXT(hash), KV_TEXT(text),
			KV_TEXT(kp_store_now(now)) };
	*sid = 0;
	if (s->ops->run(s, "INSERT INTO schemes (table_id, title, hash, body, created_at)"
			   " VALUES (?, ?, ?, ?, ?)"
			   " ON CONFLICT (table_id, hash) DO NOTHING",
			p, 5, NULL, NULL, e) < 0)
		return -1;
	p[1] = KV_TEXT(hash);
	return s->ops->run(s, "SELECT id FROM schemes WHERE table_id = ? AND hash = ?",
			   p, 2, kp_row_first_int, sid, e) < 0 ? -1 : 0;
}

int kp_store_id_by_name(kp_store *s, int64_t round, const char *name,
			int64_t *id, kp_err *e)
{
	kp_val p[2] = { KV_INT(round), KV_TEXT(name) };
	*id = 0;
	if (round)
		return s->ops->run(s, "SELECT id FROM units WHERE round_id = ? AND name = ?",
				   p, 2, kp_row_first_int, id, e) < 0 ? -1 : 0;
	return s->ops->run(s, "SELECT id FROM rounds WHERE name = ?", p + 1, 1,
			   kp_row_first_int, id, e) < 0 ? -1 : 0;
}

int kp_store_round_lock(kp_store *s, int64_t round, int64_t *exists,
			kp_err *e)
{
	kp_val p[1] = { KV_INT(round) };
	*exists = 0;
	return s->ops->run(s, strcmp(kp_store_backend(s), "postgresql")
				      ? "SELECT id FROM rounds WHERE id = ?"
				      : "SELECT id FROM rounds WHERE id = ? FOR UPDATE",
			   p, 1, kp_row_first_int, exists, e) < 0 ? -1 : 0;
}

/* The round's units, inside the caller's transaction. */
static int insert_units(kp_store *s, int64_t rid, const kp_round_spec *sp,
			kp_err *e)
{
	for (size_t i = 0; i < sp->nunits; i++) {
		kp_val p[7] = { KV_INT(rid), KV_TEXT(sp->unit_names[i]),
				KV_TEXT(sp->unit_types ? sp->unit_types[i] : ""),
				KV_TEXT(sp->unit_aliases ? sp->unit_aliases[i] : ""),
				KV_TEXT(sp->unit_tags ? sp->unit_tags[i] : ""),
				KV_TEXT(sp->unit_tables ? sp->unit_tables[i] : "0"),
				KV_TEXT(sp->unit_websites && sp->unit_websites[i]
						? sp->unit_websites[i] : "") };
		if (s->ops->run(s, "INSERT INTO units (round_id, name, type, aliases,"
				   " tags, tables, website)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?)", p, 7, NULL, NULL, e) < 0)
			return -1;
	}
	return 0;
}

/* What the audit log says of a new round. */
static void round_detail(const kp_round_spec *sp,
			 const kp_round_spec_table *tv, size_t nt,
			 kp_buf *detail)
{
	char hash[17];
	if (sp->scheme_text)
		kp_buf_addf(detail, "轮次“%s”（%s）：方案 %s，%zu 张表（", sp->name,
			    sp->period, sp->scheme, nt);
	else
		kp_buf_addf(detail, "轮次“%s”（%s）：表 ", sp->name, sp->period);
	for (size_t k = 0; k < nt; k++)
		kp_buf_addf(detail, "%s%s（指纹 %s）", k ? "、" : "", tv[k].table_id,
			    kp_store_hash(tv[k].text, strlen(tv[k].text), hash));
	kp_buf_addf(detail, "%s，单位 %zu 个（%s）", sp->scheme_text ? "）" : "",
		    sp->nunits, sp->registry);
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
	if (s->ops->begin(s, e) < 0) {
		free(sids);
		return -1;
	}
	if (kp_store_id_by_name(s, 0, sp->name, &rid, e) < 0)
		goto fail;
	if (rid) {
		kp_fail(e, KP_EINPUT, "%s：已有名为“%s”的轮次（换一个 --name）",
			s->where, sp->name);
		goto fail;
	}
	for (size_t k = 0; k < nt; k++)
		if (kp_store_put_text(s, tv[k].table_id, tv[k].title, tv[k].text,
			     kp_store_hash(tv[k].text, strlen(tv[k].text), hash),
			     &sids[k], e) < 0)
			goto fail;
	if (sp->scheme_text &&
	    kp_store_put_text(s, sp->scheme, sp->scheme_title, sp->scheme_text,
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
				p, 10, kp_row_first_int, &rid, e) < 0)
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
	if (insert_units(s, rid, sp, e) < 0)
		goto fail;
	round_detail(sp, tv, nt, &detail);
	if (kp_store_audit_tx(s, rid, sp->author, "round-new", detail.data, e) < 0)
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
	return kp_store_fail_tx(s);
}

/* The round with its counts, in time bounded by its units, not its
 * facts (a national round has millions): the number of facts is the sum
 * of its batches' counts (each written in the batch's own transaction;
 * cast, as PostgreSQL's SUM of integers is numeric), the last seq on
 * SQLite the largest of each unit's last, one index seek a unit (cheap
 * there), on PostgreSQL two seeks (KP_PACK_LAST_SEQ; before, migration 17:
 * there each of 14,000 seeks is a subplan run, 0.3–0.4 s a round open). */
#define LAST_SEQ_SQLITE                                                 \
	" (SELECT COALESCE(MAX((SELECT MAX(f.seq) FROM facts f"         \
	"   WHERE f.round_id = r.id AND f.unit_id = u.id)), 0)"         \
	"   FROM units u WHERE u.round_id = r.id),"
#define LAST_SEQ_PG " " KP_PACK_LAST_SEQ("r.id") ","
#define ROUND_SELECT(LAST_SEQ)                                               \
	"SELECT r.id, r.name, r.period, s.table_id, r.table_source, s.hash,"  \
	" r.registry, r.created_at, r.created_by,"                            \
	" (SELECT COUNT(*) FROM units u WHERE u.round_id = r.id),"            \
	" (SELECT CAST(COALESCE(SUM(b.count), 0) AS BIGINT) FROM batches b"   \
	"   WHERE b.round_id = r.id),"                                        \
	" (SELECT COUNT(*) FROM results x WHERE x.round_id = r.id),"          \
	LAST_SEQ                                                              \
	" r.scored_seq, COALESCE(d.table_id, ''), r.scheme_source, r.combine" \
	" FROM rounds r JOIN schemes s ON s.id = r.scheme_id"                 \
	" LEFT JOIN schemes d ON d.id = r.scheme_def"
/* ROUND_SELECT for s's backend, followed by TAIL */
#define ROUND_SELECT_FOR(s, TAIL)                                       \
	(strcmp(kp_store_backend(s), "postgresql")                      \
		 ? ROUND_SELECT(LAST_SEQ_SQLITE) TAIL                   \
		 : ROUND_SELECT(LAST_SEQ_PG) TAIL)
#define ROUND_COLS 17

static void round_from_row(kp_round *r, const kp_val *c)
{
	r->id = c[0].i;
	r->name = kp_val_dup(&c[1]);
	r->period = kp_val_dup(&c[2]);
	r->table_id = kp_val_dup(&c[3]);
	r->table_source = kp_val_dup(&c[4]);
	r->table_hash = kp_val_dup(&c[5]);
	r->registry = kp_val_dup(&c[6]);
	r->created_at = kp_val_dup(&c[7]);
	r->created_by = kp_val_dup(&c[8]);
	r->nunits = c[9].i;
	r->nfacts = c[10].i;
	r->nresults = c[11].i;
	r->last_seq = c[12].i;
	r->scored_seq = c[13].i;
	r->scheme = kp_val_dup(&c[14]);
	r->scheme_source = kp_val_dup(&c[15]);
	r->combine = kp_val_dup(&c[16]);
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
	t->table_id = kp_val_dup(&c[0]);
	t->title = kp_val_dup(&c[1]);
	t->hash = kp_val_dup(&c[2]);
	t->source = kp_val_dup(&c[3]);
	t->label = kp_val_dup(&c[4]);
	t->applies = kp_val_dup(&c[5]);
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
		n = s->ops->run(s, ROUND_SELECT_FOR(s, " WHERE r.name = ?"), p, 1,
				round_row, out, e);
	} else {
		n = s->ops->run(s, ROUND_SELECT_FOR(s, " ORDER BY r.id DESC LIMIT 1"),
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
	if (s->ops->run(s, ROUND_SELECT_FOR(s, " ORDER BY r.id"), NULL, 0, rounds_row,
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
		kp_buf_adds(ctx, kp_val_str(&c[0]));
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
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT COUNT(*) FROM facts WHERE round_id = ?", p1, 1,
			kp_row_first_int, &nfacts, e) < 0 ||
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
	if (kp_store_put_text(s, table_id.data, title.data ? title.data : "", text, hash,
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
	if (kp_store_audit_tx(s, round, author, "round-retable", detail.data, e) < 0)
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
	if (n < 6)
		return 0;
	u.name = kp_val_str(&c[0]);
	u.type = kp_val_str(&c[1]);
	u.aliases = kp_val_str(&c[2]);
	u.tags = kp_val_str(&c[3]);
	u.tables = kp_val_str(&c[4]);
	u.website = kp_val_str(&c[5]);
	return uc->fn(uc->ctx, &u, e);
}

int kp_store_units_each(kp_store *s, int64_t round, kp_unit_fn fn, void *ctx,
			kp_err *e)
{
	struct units_ctx uc = { fn, ctx };
	kp_val p[1] = { KV_INT(round) };
	return kp_store_run_small(s, "SELECT name, type, aliases, tags, tables,"
				  " website FROM units WHERE round_id = ?"
				  " ORDER BY id", p, 1, units_row, &uc, e)
		       < 0 ? -1 : 0;
}
