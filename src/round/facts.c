/* round/facts.c — adding a file of facts to a round: each fact checked
 * against the round's units and tables and written as it is read, in
 * one transaction; the first bad fact (or a kill) stores none. */
#include "round/round_int.h"

#include <stdlib.h>
#include <string.h>

#define FACTS_FILE_MAX ((size_t)1 << 30)   /* a national round's facts */

/* The engine says "第N行: why"; we say "file:N: why". */
static const char *engine_msg(const char *msg)
{
	if (!strncmp(msg, "第", 3) && strstr(msg, "行: "))
		return strstr(msg, "行: ") + strlen("行: ");
	return msg;
}

/* Check one fact with the engine against table k, naming file and line. */
static int check_fact(const kp_rnd *v, size_t k, const char *file,
		      const kp_fact *f, kp_err *e)
{
	kp_facts one = { (kp_fact *)f, 1, 1 };
	kp_score_ctx c = v->ctx;
	kp_err sub;
	c.units = NULL;   /* the unit was resolved against the round already */
	if (kp_facts_check(v->tables[k], &c, &one, &sub) == 0)
		return 0;
	return kp_fail_at(e, KP_EINPUT, file, f->line, "%s", engine_msg(sub.msg));
}

/* Which of the round's tables fact f (of unit u) is about; -1 with e
 * naming file and line when it does not say and cannot be told, or
 * names a table its unit is not assessed on. */
static int fact_table(const kp_rnd *v, size_t u, const char *file,
		      const kp_fact *f, kp_err *e)
{
	bool allowed[KP_SCHEME_MAX_TABLES];
	kp_score_ctx c = v->ctx;
	kp_err sub;
	int k;
	for (size_t i = 0; i < v->ntables; i++)
		allowed[i] = kp_rnd_on_table(v, u, i);
	c.units = NULL;
	k = kp_fact_table((const kp_table *const *)v->tables, v->ntables,
			  allowed, &c, f, &sub);
	if (k < 0)
		return kp_fail_at(e, KP_EINPUT, file, f->line, "%s",
				  engine_msg(sub.msg));
	return k;
}

/* One fact of the file being added: checked, spelt the store's way and
 * written to the batch, then forgotten (a national file has 1.5 million). */
struct adding {
	const kp_rnd *v;
	kp_scorer *sc[KP_SCHEME_MAX_TABLES];
	const char *file;
	kp_store_batch *batch;
};

static int add_fact(void *ctx, kp_fact *f, kp_err *e)
{
	struct adding *ad = ctx;
	const kp_rnd *v = ad->v;
	long u = kp_rnd_find_unit(v, f->unit);
	const kp_node *nd;
	int k;
	if (u < 0)
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line,
				  "单位“%s”不在轮次“%s”的单位名录（%s）中", f->unit,
				  v->round.name, v->round.registry);
	if (strcmp(f->unit, v->names[u])) {
		free(f->unit);
		f->unit = kp_xstrdup(v->names[u]);
	}
	if ((k = fact_table(v, (size_t)u, ad->file, f, e)) < 0 ||
	    check_fact(v, (size_t)k, ad->file, f, e) < 0)
		return -1;
	/* one spelling per indicator in the store: its code; and the table
	 * it is about, said or found */
	nd = kp_scorer_find(ad->sc[k], f->indicator);
	if (nd && strcmp(f->indicator, nd->code)) {
		free(f->indicator);
		f->indicator = kp_xstrdup(nd->code);
	}
	free(f->table);
	f->table = kp_xstrdup(kp_table_id(v->tables[k]));
	return kp_store_batch_add(ad->batch, f, e);
}

/* The facts of data, the round's tables already checked. */
static int add_text(kp_rnd *v, const char *file, const char *data, size_t n,
		    const char *author, size_t *added, kp_err *e)
{
	struct adding ad;
	int r = -1;
	memset(&ad, 0, sizeof(ad));
	/* read, checked and written fact by fact in one transaction: all of
	 * the file goes in, or (first bad fact, or killed) none of it */
	ad.v = v;
	kp_rnd_scorers_new(v, ad.sc);
	ad.file = file;
	if (kp_store_batch_begin(v->db, v->round.id, file, author, &ad.batch, e) < 0 ||
	    kp_facts_parse_each(file, data ? data : "", n, add_fact, &ad, e) < 0)
		goto out;
	if (!kp_store_batch_count(ad.batch)) {
		kp_fail(e, KP_EINPUT, "%s：没有事实", file);
		goto out;
	}
	r = kp_store_batch_commit(ad.batch, e);
	ad.batch = NULL;
	if (r >= 0) {
		*added = (size_t)r;
		r = kp_rnd_refresh(v, e);
	}
out:
	kp_store_batch_abort(ad.batch);
	kp_rnd_scorers_free(v, ad.sc);
	return r;
}

int kp_rnd_facts_add(kp_rnd *v, const char *file, const char *author,
		     size_t *added, kp_err *e)
{
	kp_buf data = KP_BUF_INIT;
	int r;
	*added = 0;
	if (kp_rnd_check_tables(v, author, e) < 0)
		return -1;
	if (kp_read_file(file, FACTS_FILE_MAX, &data, e) < 0)
		return -1;
	r = add_text(v, file, data.data, data.len, author, added, e);
	kp_buf_release(&data);
	return r;
}

int kp_rnd_facts_add_text(kp_rnd *v, const char *file, const char *data,
			  size_t n, const char *author, size_t *added,
			  kp_err *e)
{
	*added = 0;
	if (kp_rnd_check_tables(v, author, e) < 0)
		return -1;
	return add_text(v, file, data, n, author, added, e);
}
