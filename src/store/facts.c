/* store — facts: batches written in one transaction, and read
 * back whole, by unit or by part. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- facts ----------------------------------------------------------- */

/* The kind of a withdrawal's row in the fact history (never a
 * kp_fact_kind: the readers below turn it into kp_fact.withdrawn). */
#define WITHDRAW "withdraw"

int kp_unit_map_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct kp_unit_map *m = ctx;
	(void)e;
	if (n < 2)
		return 0;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = kp_xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n].name = kp_xstrdup(kp_val_str(&c[1]));
	m->v[m->n].id = c[0].i;
	m->n++;
	return 0;
}

static int unit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kp_unit_id *)a)->name,
		      ((const struct kp_unit_id *)b)->name);
}

void kp_unit_map_release(struct kp_unit_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

int64_t kp_unit_map_find(const struct kp_unit_map *m, const char *name)
{
	struct kp_unit_id key = { (char *)name, 0 }, *hit;
	if (!m->n)
		return 0;
	hit = bsearch(&key, m->v, m->n, sizeof(*m->v), unit_cmp);
	return hit ? hit->id : 0;
}

int kp_unit_map_load(kp_store *s, int64_t round, struct kp_unit_map *m,
			 kp_err *e)
{
	kp_val p[1] = { KV_INT(round) };
	memset(m, 0, sizeof(*m));
	if (kp_store_run_small(s, "SELECT id, name FROM units WHERE round_id = ?",
			       p, 1, kp_unit_map_row, m, e) < 0)
		return -1;
	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), unit_cmp);
	return 0;
}

static int table_id_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct kp_table_ids *t = ctx;
	(void)e;
	if (n < 1)
		return 0;
	t->v = kp_xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = kp_val_dup(&c[0]);
	return 0;
}

int kp_table_ids_load(kp_store *s, int64_t round, struct kp_table_ids *t,
			  kp_err *e)
{
	kp_val p[1] = { KV_INT(round) };
	memset(t, 0, sizeof(*t));
	return s->ops->run(s, "SELECT s.table_id FROM round_tables t JOIN schemes s"
			      " ON s.id = t.scheme_id WHERE t.round_id = ?"
			      " ORDER BY t.pos", p, 1, table_id_row, t, e) < 0
		       ? -1 : 0;
}

void kp_table_ids_release(struct kp_table_ids *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Position of table id (""/NULL: the first), or -1. */
static long table_pos(const struct kp_table_ids *t, const char *id)
{
	if (!id || !*id)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], id))
			return (long)i;
	return -1;
}

/* A batch being written: the transaction is open from begin to commit
 * or abort, and only the round's unit map is held, however many facts
 * go through.
 *
 * The bulk path (a backend with copy_in: PostgreSQL).  A row-by-row
 * INSERT costs a round trip a fact (148 s for a national round's 1.5
 * million), so there the facts are written in COPY's text format into
 * a buffer, sent with COPY into a temporary staging table each time the
 * buffer fills (STAGE_FLUSH bytes: memory stays bounded), and moved into
 * facts at commit by one INSERT … SELECT in line order — the order seq
 * numbers them, as the row-by-row path does.  The move joins each row
 * to its unit in the round: a row that does not match refuses the whole
 * batch.  The staging table is the transaction's (ON COMMIT DROP): a
 * rollback or a killed process leaves nothing behind.  Other queries
 * may run between adds (the caller checks inspections): the COPY is
 * never left open between calls. */
struct kp_store_batch {
	kp_store *s;
	int64_t round, id;
	char *file, *author;
	struct kp_unit_map m;
	struct kp_table_ids tids;    /* the round's tables, for facts' table */
	size_t n;                 /* facts stored so far */
	long kill_after;          /* test hook */
	bool bulk;                /* the COPY path */
	bool copying;             /* its COPY into the stage is open */
	kp_buf stage;             /* rows not yet sent (COPY text) */
};

#define STAGE_FLUSH (8u << 20)

/* The columns a fact is written with, in both paths' order. */
#define FACT_COLS                                                        \
	"round_id, batch_id, unit_id, indicator, kind, name, num, den,"  \
	" source, author, time, url, note, line, tbl, period, inspection"

static int stage_create(kp_store *s, kp_err *e)
{
	return s->ops->exec(s, "CREATE TEMPORARY TABLE kp_facts_stage ("
			       " ord BIGINT NOT NULL, round_id BIGINT NOT NULL,"
			       " batch_id BIGINT NOT NULL, unit_id BIGINT NOT NULL,"
			       " indicator TEXT NOT NULL, kind TEXT NOT NULL,"
			       " name TEXT NOT NULL, num BIGINT, den BIGINT,"
			       " source TEXT NOT NULL, author TEXT NOT NULL,"
			       " time TEXT NOT NULL, url TEXT NOT NULL,"
			       " note TEXT NOT NULL, line BIGINT NOT NULL,"
			       " tbl BIGINT NOT NULL, period TEXT NOT NULL,"
			       " inspection BIGINT NOT NULL) ON COMMIT DROP", e);
}

static void copy_fact(kp_buf *b, int64_t ord, int64_t round, int64_t batch,
		      int64_t uid, long tbl, const kp_fact *f)
{
	kp_copy_int(b, ord);
	kp_buf_addc(b, '\t');
	kp_copy_int(b, round);
	kp_buf_addc(b, '\t');
	kp_copy_int(b, batch);
	kp_buf_addc(b, '\t');
	kp_copy_int(b, uid);
	kp_buf_addc(b, '\t');
	kp_copy_text(b, f->indicator);
	kp_buf_addc(b, '\t');
	kp_copy_text(b, kp_fact_kind_name(f->kind));
	kp_buf_addc(b, '\t');
	kp_copy_text(b, f->name);
	kp_buf_addc(b, '\t');
	if (f->has_value) {
		kp_copy_int(b, f->value.n);
		kp_buf_addc(b, '\t');
		kp_copy_int(b, f->value.d);
	} else {
		kp_buf_adds(b, "\\N\t\\N");
	}
	kp_buf_addc(b, '\t');
	kp_copy_text(b, kp_source_name(f->source));
	kp_buf_addc(b, '\t');
	kp_copy_text(b, f->author);
	kp_buf_addc(b, '\t');
	kp_copy_text(b, f->time);
	kp_buf_addc(b, '\t');
	kp_copy_text(b, f->url);
	kp_buf_addc(b, '\t');
	kp_copy_text(b, f->note);
	kp_buf_addc(b, '\t');
	kp_copy_int(b, (int64_t)f->line);
	kp_buf_addc(b, '\t');
	kp_copy_int(b, tbl);
	kp_buf_addc(b, '\t');
	kp_copy_text(b, f->period);
	kp_buf_addc(b, '\t');
	kp_copy_int(b, f->inspection);
	kp_buf_addc(b, '\n');
}

/* Send the buffered rows to the staging table: one COPY open from the
 * first flush to the move, so the server parses each piece while the
 * next is made. */
static int stage_flush(kp_store_batch *b, kp_err *e)
{
	kp_store *s = b->s;
	int r;
	if (!b->stage.len)
		return 0;
	if (!b->copying) {
		if (s->ops->copy_start(s, "COPY kp_facts_stage (ord, " FACT_COLS
					  ") FROM STDIN", e) < 0)
			return -1;
		b->copying = true;
	}
	r = s->ops->copy_put(s, b->stage.data, b->stage.len, e);
	kp_buf_reset(&b->stage);
	return r;
}

/* The stage's COPY ended: ok, its rows in (0 or -1), or abandoned. */
static int stage_end(kp_store_batch *b, bool ok, kp_err *e)
{
	kp_err ignored;
	if (!b->copying)
		return ok ? 0 : -1;
	b->copying = false;
	return b->s->ops->copy_end(b->s, ok, ok ? e : &ignored);
}

/* Move the staged rows into facts in line order, after checking them
 * all at once: each of the round and the batch, and on a unit of the
 * round (one query, not a trigger a row); all of them, or the batch is
 * refused. */
static int stage_move(kp_store_batch *b, kp_err *e)
{
	kp_store *s = b->s;
	kp_val p[2] = { KV_INT(b->round), KV_INT(b->id) };
	int64_t bad = -1, moved, before = 0;
	if (stage_flush(b, e) < 0 || stage_end(b, true, e) < 0 ||
	    s->ops->run(s, "SELECT COUNT(*) FROM kp_facts_stage f"
			   " WHERE f.round_id <> ? OR f.batch_id <> ? OR NOT EXISTS"
			   " (SELECT 1 FROM units u WHERE u.id = f.unit_id"
			   " AND u.round_id = f.round_id)",
			p, 2, kp_row_first_int, &bad, e) < 0)
		return -1;
	if (bad)
		return kp_fail(e, KP_EINTERNAL, "%s：暂存的事实中有 %lld 条不属于本轮次的单位或本批，未登记任何事实",
			       s->where, (long long)bad);
	/* the move sorts the staged rows, the packs group them by unit:
	 * with the default 4 MB each spills to temporary files (a national
	 * file, 1.5 million rows: 1 s, measured); the transaction's own
	 * setting */
	if (s->ops->exec(s, "SET LOCAL work_mem = '256MB'", e) < 0 ||
	    kp_store_facts_last(s, b->round, &before, e) < 0)
		return -1;
	moved = s->ops->run(s, "INSERT INTO facts (" FACT_COLS ")"
			       " SELECT " FACT_COLS " FROM kp_facts_stage"
			       " ORDER BY ord", NULL, 0, NULL, NULL, e);
	if (moved < 0)
		return -1;
	if ((size_t)moved != b->n)
		return kp_fail(e, KP_EINTERNAL, "%s：暂存 %zu 条事实，移入 %lld 条，未登记任何事实",
			       s->where, b->n, (long long)moved);
	/* the batch's packs (migration 20): its facts are the round's after
	 * before — the round's lock, held since the batch began, keeps
	 * every other writer of the round out — up to this session's last
	 * number (currval: the move's last row; undefined before a first
	 * number, so not asked for an empty batch), read by the primary
	 * key's range: bounds given as values, so the planner sees a short
	 * range even before the table has statistics, and "round_id + 0"
	 * keeps it off the round's index, which would walk all of the
	 * round's facts (58 ms for a 10-fact batch into a national round,
	 * measured) */
	if (moved) {
		int64_t last = 0;
		kp_val q[3];
		if (s->ops->run(s, "SELECT currval(pg_get_serial_sequence('facts', 'seq'))",
				NULL, 0, kp_row_first_int, &last, e) < 0)
			return -1;
		q[0] = KV_INT(before);
		q[1] = KV_INT(last);
		q[2] = KV_INT(b->round);
		if (s->ops->run(s, KP_PACK_INSERT("facts", " AND seq > ? AND seq <= ?"
						  " AND round_id + 0 = ?"),
				q, 3, NULL, NULL, e) < 0)
			return -1;
	}
	return 0;
}

int kp_store_batch_begin(kp_store *s, int64_t round, const char *file,
			 const char *author, kp_store_batch **out, kp_err *e)
{
	char now[24];
	int64_t exists = 0;
	kp_store_batch *b;
	*out = NULL;
	kp_store_now(now);
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (kp_store_round_lock(s, round, &exists, e) < 0)
		return kp_store_fail_tx(s);
	if (!exists) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：没有编号为 %lld 的轮次",
			       s->where, (long long)round);
	}
	b = kp_xcalloc(1, sizeof(*b));
	b->s = s;
	b->round = round;
	b->file = kp_xstrdup(file);
	b->author = kp_xstrdup(author);
	b->kill_after = kp_store_test_kill_after();
	b->bulk = s->ops->copy_start != NULL;
	if ((b->bulk && stage_create(s, e) < 0) ||
	    kp_unit_map_load(s, round, &b->m, e) < 0 ||
	    kp_table_ids_load(s, round, &b->tids, e) < 0)
		goto fail;
	{
		/* the count is written at commit */
		kp_val p[5] = { KV_INT(round), KV_TEXT(file), KV_TEXT(author),
				KV_TEXT(now), KV_INT(0) };
		if (s->ops->run(s, "INSERT INTO batches (round_id, file, author, added_at, count)"
				   " VALUES (?, ?, ?, ?, ?) RETURNING id",
				p, 5, kp_row_first_int, &b->id, e) < 0)
			goto fail;
	}
	*out = b;
	return 0;
fail:
	kp_store_batch_abort(b);
	return -1;
}

int kp_store_batch_add(kp_store_batch *b, const kp_fact *f, kp_err *e)
{
	kp_store *s = b->s;
	int64_t uid = kp_unit_map_find(&b->m, f->unit);
	long tbl = table_pos(&b->tids, f->table);
	if (!uid)
		return kp_fail_at(e, KP_EINPUT, b->file, f->line,
				  "单位“%s”不在本轮次的单位中", f->unit);
	if (tbl < 0)
		return kp_fail_at(e, KP_EINPUT, b->file, f->line,
				  "表“%s”不在本轮次中", f->table);
	if (b->bulk) {
		copy_fact(&b->stage, (int64_t)b->n, b->round, b->id, uid, tbl, f);
		if (b->stage.len >= STAGE_FLUSH && stage_flush(b, e) < 0)
			return -1;
		b->n++;
		kp_store_test_kill_point(b->kill_after, b->n);
		return 0;
	}
	kp_val p[17] = {
		KV_INT(b->round), KV_INT(b->id), KV_INT(uid),
		KV_TEXT(f->indicator),
		KV_TEXT(kp_fact_kind_name(f->kind)),
		KV_TEXT(f->name ? f->name : ""),
		f->has_value ? KV_INT(f->value.n) : KV_NULL,
		f->has_value ? KV_INT(f->value.d) : KV_NULL,
		KV_TEXT(kp_source_name(f->source)),
		KV_TEXT(f->author ? f->author : ""),
		KV_TEXT(f->time ? f->time : ""),
		KV_TEXT(f->url ? f->url : ""),
		KV_TEXT(f->note ? f->note : ""),
		KV_INT(f->line),
		KV_INT(tbl),
		KV_TEXT(f->period ? f->period : ""),
		KV_INT(f->inspection),
	};
	if (s->ops->run(s, "INSERT INTO facts (" FACT_COLS ")"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			p, 17, NULL, NULL, e) < 0)
		return -1;
	b->n++;
	kp_store_test_kill_point(b->kill_after, b->n);
	return 0;
}

size_t kp_store_batch_count(const kp_store_batch *b)
{
	return b->n;
}

static void batch_free(kp_store_batch *b)
{
	kp_unit_map_release(&b->m);
	kp_table_ids_release(&b->tids);
	kp_buf_release(&b->stage);
	free(b->file);
	free(b->author);
	free(b);
}

void kp_store_batch_abort(kp_store_batch *b)
{
	if (!b)
		return;
	stage_end(b, false, NULL);
	b->s->ops->rollback(b->s);
	batch_free(b);
}

int kp_store_batch_commit(kp_store_batch *b, kp_err *e)
{
	kp_store *s = b->s;
	kp_buf detail = KP_BUF_INIT;
	kp_val p[2] = { KV_INT(b->n), KV_INT(b->id) };
	int64_t n = (int64_t)b->n;
	if (b->bulk && stage_move(b, e) < 0)
		goto fail;
	if (s->ops->run(s, "UPDATE batches SET count = ? WHERE id = ?", p, 2,
			NULL, NULL, e) < 0)
		goto fail;
	kp_buf_addf(&detail, "从 %s 登记事实 %zu 条", b->file, b->n);
	if (kp_store_audit_tx(s, b->round, b->author, "facts-add", detail.data, e) < 0)
		goto fail;
	kp_buf_release(&detail);
	batch_free(b);
	if (s->ops->commit(s, e) < 0)
		return -1;
	return n > INT32_MAX ? INT32_MAX : (int)n;
fail:
	kp_buf_release(&detail);
	kp_store_batch_abort(b);
	return -1;
}

int kp_store_facts_add(kp_store *s, int64_t round, const char *file,
		       const char *author, const kp_facts *fs, kp_err *e)
{
	kp_store_batch *b;
	if (kp_store_batch_begin(s, round, file, author, &b, e) < 0)
		return -1;
	for (size_t i = 0; i < fs->n; i++)
		if (kp_store_batch_add(b, &fs->v[i], e) < 0) {
			kp_store_batch_abort(b);
			return -1;
		}
	return kp_store_batch_commit(b, e);
}

/* ---- reading: the history up to one fact number ---------------------- */

/* The round's withdrawals numbered up to upto: the withdrawn facts' seq
 * (sorted) beside the withdrawal's own. */
struct wd_list {
	int64_t (*v)[2];
	size_t n;
};

static int wd_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct wd_list *w = ctx;
	(void)e;
	if (n < 2)
		return 0;
	w->v = kp_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	w->v[w->n][0] = c[0].i;
	w->v[w->n][1] = c[1].i;
	w->n++;
	return 0;
}

static int wd_cmp(const void *a, const void *b)
{
	int64_t x = ((const int64_t *)a)[0], y = ((const int64_t *)b)[0];
	return x < y ? -1 : x > y;
}

static int wd_load(kp_store *s, int64_t round, int64_t upto,
		   struct wd_list *w, kp_err *e)
{
	kp_val p[2] = { KV_INT(round), KV_INT(upto) };
	memset(w, 0, sizeof(*w));
	if (s->ops->run(s, "SELECT num, seq FROM facts WHERE round_id = ?"
			   " AND kind = '" WITHDRAW "' AND seq <= ? ORDER BY num",
			p, 2, wd_row, w, e) < 0)
		return -1;
	if (w->n)
		qsort(w->v, w->n, sizeof(*w->v), wd_cmp);
	return 0;
}

/* The withdrawal of fact seq, or 0 (the first, if withdrawn twice). */
static int64_t wd_find(const struct wd_list *w, int64_t seq)
{
	int64_t key[2] = { seq, 0 }, (*hit)[2];
	if (!w->n)
		return 0;
	hit = bsearch(key, w->v, w->n, sizeof(*w->v), wd_cmp);
	return hit ? (*hit)[1] : 0;
}

struct facts_ctx {
	kp_fact_fn fn;
	void *ctx;
	struct kp_table_ids tids;
	struct wd_list wd;
};

static void fact_kind_source(kp_fact *f, const char *kind, const char *src)
{
	if (kp_fact_kind_parse(kind, &f->kind) < 0)
		f->kind = KP_FACT_SCORE;
	if (kp_source_parse(src, &f->source) < 0)
		f->source = KP_SRC_SELF;
}

static int facts_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct facts_ctx *fc = ctx;
	kp_fact f;
	if (n < 17)
		return 0;
	memset(&f, 0, sizeof(f));
	f.unit = (char *)kp_val_str(&c[0]);
	f.indicator = (char *)kp_val_str(&c[1]);
	f.name = (char *)kp_val_str(&c[3]);
	f.has_value = c[4].t == KP_V_INT && c[5].t == KP_V_INT && c[5].i > 0;
	if (f.has_value) {
		f.value.n = c[4].i;
		f.value.d = c[5].i;
	}
	fact_kind_source(&f, kp_val_str(&c[2]), kp_val_str(&c[6]));
	f.author = (char *)kp_val_str(&c[7]);
	f.time = (char *)kp_val_str(&c[8]);
	f.url = (char *)kp_val_str(&c[9]);
	f.note = (char *)kp_val_str(&c[10]);
	f.line = c[11].t == KP_V_INT ? (size_t)c[11].i : 0;
	f.table = (char *)(c[13].t == KP_V_INT && c[13].i >= 0 &&
				   (size_t)c[13].i < fc->tids.n
			   ? fc->tids.v[c[13].i] : "");
	f.period = (char *)kp_val_str(&c[14]);
	f.inspection = c[15].i;
	f.batch = c[16].i;
	f.seq = c[12].i;
	f.withdrawn = wd_find(&fc->wd, f.seq);
	return fc->fn(fc->ctx, &f, c[12].i, e);
}

#define FACT_SELECT                                                         \
	"SELECT u.name, f.indicator, f.kind, f.name, f.num, f.den, f.source," \
	" f.author, f.time, f.url, f.note, f.line, f.seq, f.tbl, f.period,"  \
	" f.inspection, f.batch_id"                                          \
	" FROM facts f JOIN units u ON u.id = f.unit_id"
#define NOT_WITHDRAWAL " AND f.kind <> '" WITHDRAW "' AND f.seq <= ?"

int kp_store_facts_each(kp_store *s, int64_t round, const char *unit,
			kp_fact_fn fn, void *ctx, kp_err *e)
{
	struct facts_ctx fc = { fn, ctx, { NULL, 0 }, { NULL, 0 } };
	int64_t r = -1, upto = INT64_MAX;
	if (kp_table_ids_load(s, round, &fc.tids, e) < 0 ||
	    wd_load(s, round, upto, &fc.wd, e) < 0)
		goto out;
	if (unit) {
		kp_val p[3] = { KV_INT(round), KV_TEXT(unit), KV_INT(upto) };
		r = s->ops->run(s, FACT_SELECT " WHERE f.round_id = ? AND u.round_id = f.round_id"
				   " AND u.name = ?"
				   NOT_WITHDRAWAL " ORDER BY f.seq", p, 3, facts_row,
				&fc, e);
	} else {
		kp_val p[2] = { KV_INT(round), KV_INT(upto) };
		r = s->ops->run(s, FACT_SELECT " WHERE f.round_id = ?"
				   NOT_WITHDRAWAL " ORDER BY f.unit_id, f.seq", p, 2,
				facts_row, &fc, e);
	}
out:
	kp_table_ids_release(&fc.tids);
	free(fc.wd.v);
	return r < 0 ? -1 : 0;
}

/* The lean read (KP_FACTS_LEAN): only the columns totals need, no join —
 * the unit's name comes from the round's units, read once — and kind and
 * source as the enum they spell; a unit's facts gathered and handed over
 * whole (kp_store_unit_facts_upto), their strings in one buffer. */
struct gather {
	kp_unit_facts_fn fn;
	void *ctx;
	struct kp_unit_id *u;        /* the slice's units, by id */
	size_t nu;
	size_t at;                /* the unit of the last row */
	long cur;                 /* the unit gathered (index into u), -1 none */
	kp_facts fs;              /* its facts: indicator, name and period as
				   * offsets + 1 into str (0: "") until
				   * handed over, since str may move */
	kp_buf str;
	const struct kp_table_ids *tids;
	const struct wd_list *wd;
	/* the kinds and sources spelled so far, and what they parsed to:
	 * a read has a handful of each, so most rows need one short
	 * compare, not a parse */
	struct spell_memo {
		char s[4][24];
		int v[4];
		unsigned n, next;
	} kinds, sources;
};

/* What s parsed to, through m (parse's verdict kept for up to four
 * spellings, the oldest replaced; a longer spelling is parsed every
 * time); def when parse refuses it. */
static int memo_parse(struct spell_memo *m, const char *s,
		      int (*parse)(const char *s, int *out), int def)
{
	size_t len;
	int v;
	for (unsigned i = 0; i < m->n; i++) {
		/* a few bytes: compared here, not by a call */
		const char *a = m->s[i], *b = s;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return m->v[i];
	}
	if (parse(s, &v) < 0)
		v = def;
	if ((len = strlen(s)) < sizeof(m->s[0])) {
		unsigned at = m->n < 4 ? m->n++ : m->next++ % 4;
		memcpy(m->s[at], s, len + 1);
		m->v[at] = v;
	}
	return v;
}

static int parse_kind(const char *s, int *out)
{
	kp_fact_kind k;
	if (kp_fact_kind_parse(s, &k) < 0)
		return -1;
	*out = (int)k;
	return 0;
}

static int parse_source(const char *s, int *out)
{
	kp_source k;
	if (kp_source_parse(s, &k) < 0)
		return -1;
	*out = (int)k;
	return 0;
}

/* A string of str as a gathered fact holds it, and back. */
static char *str_off(const kp_buf *str, const char *p)
{
	return *p ? (char *)(uintptr_t)(p - str->data + 1) : NULL;
}

static char *str_ptr(const kp_buf *str, const char *off)
{
	return off ? str->data + ((uintptr_t)off - 1) : (char *)"";
}

/* Hand the gathered unit over (its strings pointers now), and start
 * afresh. */
static int gather_flush(struct gather *g, kp_err *e)
{
	const char *unit;
	int r;
	if (g->cur < 0)
		return 0;
	unit = g->u[g->cur].name;
	for (size_t k = 0; k < g->fs.n; k++) {
		kp_fact *f = &g->fs.v[k];
		f->unit = (char *)unit;
		f->indicator = str_ptr(&g->str, f->indicator);
		f->name = str_ptr(&g->str, f->name);
		f->period = str_ptr(&g->str, f->period);
	}
	r = g->fn(g->ctx, unit, &g->fs, e);
	g->fs.n = 0;
	kp_buf_reset(&g->str);
	g->cur = -1;
	return r;
}

/* Rows come by unit id, the units too: step forward to unit id, handing
 * over the unit gathered before. */
static int gather_unit(struct gather *g, int64_t id, kp_err *e)
{
	while (g->at < g->nu && g->u[g->at].id < id)
		g->at++;
	if (g->at == g->nu || g->u[g->at].id != id)
		return kp_fail(e, KP_EINTERNAL, "事实的单位编号 %lld 不在轮次中",
			       (long long)id);
	if (g->cur == (long)g->at)
		return 0;
	if (gather_flush(g, e) < 0)
		return -1;
	g->cur = (long)g->at;
	return 0;
}

/* A new fact of the unit, its lean provenance "" and 0; the caller sets
 * the rest. */
static kp_fact *gather_fact(struct gather *g)
{
	kp_fact *f;
	if (g->fs.n == g->fs.cap) {
		g->fs.cap = g->fs.cap ? g->fs.cap * 2 : 256;
		g->fs.v = kp_xrealloc(g->fs.v, g->fs.cap * sizeof(*g->fs.v));
	}
	f = &g->fs.v[g->fs.n++];
	memset(f, 0, sizeof(*f));
	f->author = f->time = f->url = f->note = (char *)"";
	return f;
}

/* The fields the two lean reads share: kind and source as spelled,
 * value (den 0: none), table by position, and the fact's history. */
static void gather_rest(struct gather *g, kp_fact *f, const char *kind,
			const char *source, int64_t num, int64_t den,
			int64_t tbl, int64_t seq, int64_t inspection,
			int64_t batch)
{
	int k = kind[0] && !kind[1] ? kp_pack_kind(kind[0]) : -1;
	int src = source[0] && !source[1] ? kp_pack_source(source[0]) : -1;
	/* a pack's letter (KP_PACK_KINDS), else the name as spelled */
	f->kind = (kp_fact_kind)(k >= 0 ? k : memo_parse(&g->kinds, kind,
							 parse_kind,
							 KP_FACT_SCORE));
	f->source = (kp_source)(src >= 0 ? src
					 : memo_parse(&g->sources, source,
						      parse_source, KP_SRC_SELF));
	f->has_value = den > 0;
	if (f->has_value) {
		f->value.n = num;
		f->value.d = den;
	}
	f->table = (char *)(tbl >= 0 && (size_t)tbl < g->tids->n
				    ? g->tids->v[tbl] : "");
	f->seq = seq;
	f->inspection = inspection;
	f->batch = batch;
	f->withdrawn = wd_find(g->wd, seq);
}

/* A string copied into str, as a gathered fact holds it. */
static char *gather_str(struct gather *g, const char *s)
{
	size_t off = g->str.len;
	if (!*s)
		return NULL;
	kp_buf_add(&g->str, s, strlen(s) + 1);
	return (char *)(uintptr_t)(off + 1);
}

/* A row of the lean SELECT (SQLite): unit_id, indicator, kind, name,
 * num, den, source, seq, tbl, period, inspection, batch_id. */
static int lean_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct gather *g = ctx;
	kp_fact *f;
	if (n < 12)
		return 0;
	if (gather_unit(g, c[0].i, e) < 0)
		return -1;
	f = gather_fact(g);
	f->indicator = gather_str(g, kp_val_str(&c[1]));
	f->name = gather_str(g, kp_val_str(&c[3]));
	f->period = gather_str(g, kp_val_str(&c[9]));
	gather_rest(g, f, kp_val_str(&c[2]), kp_val_str(&c[6]),
		    c[4].t == KP_V_INT ? c[4].i : 0,
		    c[4].t == KP_V_INT && c[5].t == KP_V_INT ? c[5].i : 0,
		    c[8].t == KP_V_INT ? c[8].i : -1, c[7].i, c[10].i, c[11].i);
	return 0;
}

/* The lean read from the packs (PostgreSQL, migration 20): the slice's
 * packs by unit and first seq — a unit's packs never interleave, since a
 * round's writers take the round's lock (kp_store_round_lock) — each
 * pack copied into the unit's str and its lines decoded there, in place
 * (KP_PACK_INSERT's columns); a fact after upto is not read (the
 * scoring's snapshot). */
struct pack_ctx {
	struct gather *g;
	int64_t upto;
};

/* A pack's lines are read field by field in one pass: a cursor at the
 * next field; a field ends at a tab, its line at a newline or at the
 * body's zero byte.  Each field is read in a single scan (a national
 * round has 17 million of them). */
struct pack_cur {
	char *p;                  /* the next field */
	bool eol;                 /* the last field read ended its line */
};

/* The bytes a field's scan stops at: its end (tab), its line's end
 * (newline), the body's end (zero) and an escape (backslash). */
static const unsigned char pack_stop[256] = {
	['\0'] = 1, ['\t'] = 1, ['\n'] = 1, ['\\'] = 1,
};

/* Step past the field's end at q. */
static inline void pack_next(struct pack_cur *c, char *q)
{
	c->eol = *q != '\t';
	c->p = *q ? q + 1 : q;
}

/* A text field, decoded in place and ended with a zero byte ("\\N",
 * NULL, reads as ""); NULL when the line has ended. */
static inline char *pack_text(struct pack_cur *c)
{
	char *f = c->p, *q = f;
	bool esc = false;
	if (c->eol)
		return NULL;
	for (;;) {
		while (!pack_stop[(unsigned char)*q])
			q++;
		if (*q != '\\')
			break;
		esc = true;
		q += q[1] != '\0' ? 2 : 1;   /* the escaped byte is no end */
	}
	pack_next(c, q);
	if (esc) {
		if (q - f == 2 && f[1] == 'N')
			q = f;              /* NULL: "" */
		kp_copy_unescape(f, q);
	} else {
		*q = '\0';
	}
	return f;
}

/* An integer field (kp_copy_int_at, unbounded: the body ends with a
 * zero byte; NULL reads as 0); false when the line has ended. */
static inline bool pack_int(struct pack_cur *c, int64_t *v)
{
	const char *q = c->p;
	if (c->eol)
		return false;
	*v = kp_copy_int_at(&q, NULL);
	while (*q != '\t' && *q != '\n' && *q)   /* "\\N" */
		q++;
	pack_next(c, (char *)c->p + (q - c->p));
	return true;
}

static int pack_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct pack_ctx *pc = ctx;
	struct gather *g = pc->g;
	const char *body;
	size_t at, len;
	struct pack_cur cur;
	if (n < 2 || c[0].t != KP_V_INT)
		return 0;
	if (gather_unit(g, c[0].i, e) < 0)
		return -1;
	body = kp_val_str(&c[1]);
	len = strlen(body);
	at = g->str.len;
	kp_buf_add(&g->str, body, len + 1);  /* its lines' strings: offsets */
	cur.p = g->str.data + at;
	while (*cur.p) {
		char *ind, *kind, *name, *src, *per;
		int64_t num, den, seq, tbl, insp, batch;
		kp_fact *f;
		cur.eol = false;
		if (!(ind = pack_text(&cur)) || !(kind = pack_text(&cur)) ||
		    !(name = pack_text(&cur)) || !pack_int(&cur, &num) ||
		    !pack_int(&cur, &den) || !(src = pack_text(&cur)) ||
		    !pack_int(&cur, &seq) || !pack_int(&cur, &tbl) ||
		    !(per = pack_text(&cur)) || !pack_int(&cur, &insp) ||
		    !pack_int(&cur, &batch) || !cur.eol)
			return kp_fail(e, KP_EINTERNAL, "单位编号 %lld 的事实包有一行列数不对",
				       (long long)c[0].i);
		if (seq > pc->upto)
			break;    /* lines go by seq: the rest are later too */
		f = gather_fact(g);
		f->indicator = str_off(&g->str, ind);
		f->name = str_off(&g->str, name);
		f->period = str_off(&g->str, per);
		gather_rest(g, f, kind, src, num, den, tbl, seq, insp, batch);
	}
	return 0;
}

static int lean_from_packs(kp_store *s, const kp_val p[4], struct gather *g,
			   kp_err *e)
{
	struct pack_ctx pc = { g, p[3].i };
	return s->ops->run(s, "SELECT unit_id, body FROM fact_packs"
			      " WHERE round_id = ? AND unit_id >= ? AND unit_id < ?"
			      " AND first_seq <= ? ORDER BY unit_id, first_seq",
			   p, 4, pack_row, &pc, e) < 0 ? -1 : 0;
}

/* The slice [*lo, *hi) of the round's unit ids that part of nparts
 * reads, the round's units in m (id order); 0 when the slice is empty,
 * -1 on error. */
static int part_slice(kp_store *s, int64_t round, int part, int nparts,
		      struct kp_unit_map *m, size_t *a, size_t *b, kp_err *e)
{
	kp_val pr[1] = { KV_INT(round) };
	memset(m, 0, sizeof(*m));
	if (nparts < 1 || part < 0 || part >= nparts)
		return kp_fail(e, KP_EINTERNAL, "分段 %d/%d 无效", part, nparts);
	if (kp_store_run_small(s, "SELECT id, name FROM units WHERE round_id = ?"
			       " ORDER BY id", pr, 1, kp_unit_map_row, m, e) < 0)
		return -1;
	*a = m->n * (size_t)part / (size_t)nparts;
	*b = m->n * (size_t)(part + 1) / (size_t)nparts;
	return *a < *b;
}

int kp_store_unit_facts_upto(kp_store *s, int64_t round, int part,
			     int nparts, int64_t upto, kp_unit_facts_fn fn,
			     void *ctx, kp_err *e)
{
	struct kp_unit_map m;
	struct kp_table_ids tids;
	struct wd_list wd;
	struct gather g;
	size_t a, b;
	int r = part_slice(s, round, part, nparts, &m, &a, &b, e);
	if (r <= 0) {
		kp_unit_map_release(&m);
		return r;
	}
	memset(&wd, 0, sizeof(wd));
	if (kp_table_ids_load(s, round, &tids, e) < 0) {
		kp_unit_map_release(&m);
		return -1;
	}
	memset(&g, 0, sizeof(g));
	g.fn = fn;
	g.ctx = ctx;
	g.u = m.v + a;
	g.nu = b - a;
	g.cur = -1;
	g.tids = &tids;
	g.wd = &wd;
	r = wd_load(s, round, upto, &wd, e);
	if (r == 0) {
		kp_val p[4] = { KV_INT(round), KV_INT(m.v[a].id),
				KV_INT(b < m.n ? m.v[b].id : INT64_MAX),
				KV_INT(upto) };
		const char *sql = "SELECT f.unit_id, f.indicator, f.kind,"
				  " f.name, f.num, f.den, f.source, f.seq,"
				  " f.tbl, f.period, f.inspection, f.batch_id"
				  " FROM facts f WHERE f.round_id = ?"
				  " AND f.unit_id >= ? AND f.unit_id < ?"
				  NOT_WITHDRAWAL
				  " ORDER BY f.unit_id, f.seq";
		/* num, den NULL (no value) read as 0: den 0 says so */
		if (!strcmp(s->ops->name, "postgresql"))
			r = lean_from_packs(s, p, &g, e);
		else
			r = (s->ops->run_typed
			     ? s->ops->run_typed(s, sql, p, 4, "itttiitiitii",
						 lean_row, &g, e)
			     : s->ops->run(s, sql, p, 4, lean_row, &g, e))
			    < 0 ? -1 : 0;
		if (r == 0)
			r = gather_flush(&g, e);
	}
	free(g.fs.v);
	kp_buf_release(&g.str);
	kp_unit_map_release(&m);
	kp_table_ids_release(&tids);
	free(wd.v);
	return r;
}

int kp_store_facts_each_part(kp_store *s, int64_t round, int part,
			     int nparts, int flags, kp_fact_fn fn, void *ctx,
			     kp_err *e)
{
	return kp_store_facts_each_upto(s, round, part, nparts, flags,
					INT64_MAX, fn, ctx, e);
}

/* kp_store_facts_each_upto's lean read: the unit read's facts one by
 * one. */
struct one_by_one {
	kp_fact_fn fn;
	void *ctx;
};

static int each_of_unit(void *ctx, const char *unit, kp_facts *fs,
			kp_err *e)
{
	struct one_by_one *o = ctx;
	(void)unit;
	for (size_t k = 0; k < fs->n; k++)
		if (o->fn(o->ctx, &fs->v[k], fs->v[k].seq, e) < 0)
			return -1;
	return 0;
}

int kp_store_facts_each_upto(kp_store *s, int64_t round, int part,
			     int nparts, int flags, int64_t upto,
			     kp_fact_fn fn, void *ctx, kp_err *e)
{
	struct kp_unit_map m;
	struct kp_table_ids tids;
	struct wd_list wd;
	size_t a, b;
	int r;
	if (flags & KP_FACTS_LEAN) {
		struct one_by_one o = { fn, ctx };
		return kp_store_unit_facts_upto(s, round, part, nparts, upto,
						each_of_unit, &o, e);
	}
	if ((r = part_slice(s, round, part, nparts, &m, &a, &b, e)) <= 0) {
		kp_unit_map_release(&m);
		return r;
	}
	if (kp_table_ids_load(s, round, &tids, e) < 0) {
		kp_unit_map_release(&m);
		return -1;
	}
	if (wd_load(s, round, upto, &wd, e) < 0) {
		r = -1;
	} else {
		struct facts_ctx fc = { fn, ctx, tids, wd };
		kp_val p[4] = { KV_INT(round), KV_INT(m.v[a].id),
				KV_INT(b < m.n ? m.v[b].id : INT64_MAX),
				KV_INT(upto) };
		r = s->ops->run(s, FACT_SELECT " WHERE f.round_id = ?"
				   " AND f.unit_id >= ? AND f.unit_id < ?"
				   NOT_WITHDRAWAL " ORDER BY f.unit_id, f.seq",
				p, 4, facts_row, &fc, e) < 0 ? -1 : 0;
	}
	kp_unit_map_release(&m);
	kp_table_ids_release(&tids);
	free(wd.v);
	return r;
}

/* ---- the round's place in its history --------------------------------- */

int kp_store_facts_last(kp_store *s, int64_t round, int64_t *seq, kp_err *e)
{
	kp_val p[2] = { KV_INT(round), KV_INT(round) };
	*seq = 0;
	/* SQLite: down the primary key from the newest entry to the round's
	 * first (MAX over the round's index would read all of the round's);
	 * PostgreSQL: the packs' and the withdrawals' last, a seek each */
	if (strcmp(s->ops->name, "postgresql"))
		return s->ops->run(s, "SELECT seq FROM facts WHERE +round_id = ?"
				      " ORDER BY seq DESC LIMIT 1", p, 1,
				   kp_row_first_int, seq, e) < 0 ? -1 : 0;
	return s->ops->run(s, "SELECT " KP_PACK_LAST_SEQ("?"), p, 2,
			   kp_row_first_int, seq, e) < 0 ? -1 : 0;
}

int kp_store_facts_after(kp_store *s, int64_t round, int64_t seq,
			 int64_t *n, kp_err *e)
{
	/* by the primary key's range (the entries after seq, few), not
	 * the round's index (every fact of the round): "+round_id" keeps
	 * the planner off the latter */
	kp_val p[2] = { KV_INT(seq), KV_INT(round) };
	*n = 0;
	return s->ops->run(s, "SELECT COUNT(*) FROM facts WHERE seq > ?"
			      " AND +round_id = ?", p, 2, kp_row_first_int, n, e) < 0
		       ? -1 : 0;
}

/* ---- withdrawals -------------------------------------------------------- */

struct fact_at {
	int64_t unit, tbl;
	char *indicator, *kind, *source;
	bool found;
};

static int fact_at_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct fact_at *f = ctx;
	(void)e;
	if (n < 5)
		return 0;
	f->unit = c[0].i;
	f->tbl = c[1].i;
	f->indicator = kp_val_dup(&c[2]);
	f->kind = kp_val_dup(&c[3]);
	f->source = kp_val_dup(&c[4]);
	f->found = true;
	return 0;
}

static void fact_at_release(struct fact_at *f)
{
	free(f->indicator);
	free(f->kind);
	free(f->source);
	memset(f, 0, sizeof(*f));
}

/* Withdraw one fact inside the open transaction of batch bid. */
static int withdraw_one(kp_store *s, int64_t round, int64_t bid, int64_t seq,
			const char *reason, const char *author,
			const char *now, kp_err *e)
{
	struct fact_at f;
	int64_t already = 0;
	kp_val p[2] = { KV_INT(round), KV_INT(seq) };
	int r = -1;
	memset(&f, 0, sizeof(f));
	if (s->ops->run(s, "SELECT unit_id, tbl, indicator, kind, source FROM facts"
			   " WHERE round_id = ? AND seq = ?", p, 2, fact_at_row,
			&f, e) < 0)
		goto out;
	if (!f.found || !strcmp(f.kind, WITHDRAW)) {
		kp_fail(e, KP_EINPUT, "%s：本轮次没有编号为 %lld 的事实（编号见 kaoping eval facts list）",
			s->where, (long long)seq);
		goto out;
	}
	if (s->ops->run(s, "SELECT seq FROM facts WHERE round_id = ? AND kind = '"
			   WITHDRAW "' AND num = ?", p, 2, kp_row_first_int,
			&already, e) < 0)
		goto out;
	if (already) {
		kp_fail(e, KP_EINPUT, "%s：事实 %lld 已经撤回（第 %lld 条记录）",
			s->where, (long long)seq, (long long)already);
		goto out;
	}
	{
		kp_val q[10] = { KV_INT(round), KV_INT(bid), KV_INT(f.unit),
				 KV_TEXT(f.indicator), KV_INT(seq),
				 KV_TEXT(f.source), KV_TEXT(author), KV_TEXT(now),
				 KV_TEXT(reason), KV_INT(f.tbl) };
		if (s->ops->run(s, "INSERT INTO facts (round_id, batch_id, unit_id,"
				   " indicator, kind, name, num, den, source, author,"
				   " time, url, note, line, tbl, period, inspection)"
				   " VALUES (?, ?, ?, ?, '" WITHDRAW "', '', ?, 1, ?, ?,"
				   " ?, '', ?, 0, ?, '', 0)", q, 10, NULL, NULL, e) < 0)
			goto out;
	}
	r = 0;
out:
	fact_at_release(&f);
	return r;
}

int kp_store_facts_withdraw(kp_store *s, int64_t round, const int64_t *seq,
			    size_t n, const char *reason, const char *author,
			    kp_err *e)
{
	char now[24];
	int64_t exists = 0, bid = 0;
	kp_buf detail = KP_BUF_INIT;
	kp_store_now(now);
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (kp_store_round_lock(s, round, &exists, e) < 0)
		return kp_store_fail_tx(s);
	if (!exists) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：没有编号为 %lld 的轮次",
			       s->where, (long long)round);
	}
	{
		kp_val p[5] = { KV_INT(round), KV_TEXT("撤回"), KV_TEXT(author),
				KV_TEXT(now), KV_INT(0) };
		if (s->ops->run(s, "INSERT INTO batches (round_id, file, author, added_at, count)"
				   " VALUES (?, ?, ?, ?, ?) RETURNING id",
				p, 5, kp_row_first_int, &bid, e) < 0)
			return kp_store_fail_tx(s);
	}
	kp_buf_adds(&detail, "撤回事实");
	for (size_t i = 0; i < n; i++) {
		if (withdraw_one(s, round, bid, seq[i], reason, author, now, e) < 0) {
			kp_buf_release(&detail);
			return kp_store_fail_tx(s);
		}
		kp_buf_addf(&detail, "%s%lld", i ? "、" : " ", (long long)seq[i]);
	}
	kp_buf_addf(&detail, "，理由：%s", reason);
	if (kp_store_audit_tx(s, round, author, "facts-withdraw", detail.data, e) < 0) {
		kp_buf_release(&detail);
		return kp_store_fail_tx(s);
	}
	kp_buf_release(&detail);
	return s->ops->commit(s, e);
}

struct wd_each {
	kp_withdrawal_fn fn;
	void *ctx;
};

static int wd_each_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct wd_each *a = ctx;
	kp_withdrawal w;
	if (n < 5)
		return 0;
	w.seq = c[0].i;
	w.fact = c[1].i;
	w.author = kp_val_str(&c[2]);
	w.at = kp_val_str(&c[3]);
	w.reason = kp_val_str(&c[4]);
	return a->fn(a->ctx, &w, e);
}

int kp_store_withdrawals_each(kp_store *s, int64_t round,
			      kp_withdrawal_fn fn, void *ctx, kp_err *e)
{
	struct wd_each a = { fn, ctx };
	kp_val p[1] = { KV_INT(round) };
	return s->ops->run(s, "SELECT seq, num, author, time, note FROM facts"
			      " WHERE round_id = ? AND kind = '" WITHDRAW "'"
			      " ORDER BY seq", p, 1, wd_each_row, &a, e) < 0
		       ? -1 : 0;
}
