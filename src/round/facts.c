/* round/facts.c — adding a file of facts to a round: each fact checked
 * against the round's units and tables and written as it is read, in
 * one transaction; the first bad fact (or a kill) stores none. */
#include "round/round_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define FACTS_FILE_MAX ((size_t)1 << 30)   /* a national round's facts */

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
	return kp_fail_at(e, KP_EINPUT, file, f->line, "%s", kp_err_reason(&sub));
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
				  kp_err_reason(&sub));
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

/* ---- listing facts ----------------------------------------------------- */

static int list_fact(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	kp_rnd_facts *out = ctx;
	(void)e;
	kp_facts_add(&out->facts, f);
	out->seq = kp_xrealloc(out->seq, out->facts.cap * sizeof(*out->seq));
	out->seq[out->facts.n - 1] = seq;
	return 0;
}

int kp_rnd_facts_get(kp_rnd *v, const char *unit, kp_rnd_facts *out,
		     kp_err *e)
{
	long u = -1;
	memset(out, 0, sizeof(*out));
	if (unit && (u = kp_rnd_find_unit(v, unit)) < 0)
		return kp_fail(e, KP_RND_ENOTFOUND, "单位“%s”不在轮次“%s”中", unit,
			       v->round.name);
	if (kp_store_facts_each(v->db, v->round.id, u < 0 ? NULL : v->names[u],
				list_fact, out, e) < 0) {
		kp_rnd_facts_release(out);
		return -1;
	}
	return 0;
}

void kp_rnd_facts_release(kp_rnd_facts *l)
{
	kp_facts_release(&l->facts);
	free(l->seq);
	memset(l, 0, sizeof(*l));
}

json_t *kp_rnd_facts_json(const kp_rnd_facts *l)
{
	json_t *arr = json_array();
	char buf[32];
	for (size_t i = 0; i < l->facts.n; i++) {
		const kp_fact *f = &l->facts.v[i];
		json_t *o = json_object();
		json_object_set_new(o, "seq", json_integer(l->seq[i]));
		json_object_set_new(o, "unit", json_string(f->unit));
		json_object_set_new(o, "table", json_string(f->table ? f->table : ""));
		json_object_set_new(o, "indicator", json_string(f->indicator));
		json_object_set_new(o, "kind", json_string(kp_fact_kind_name(f->kind)));
		json_object_set_new(o, "name", json_string(f->name));
		json_object_set_new(o, "value", f->has_value
				    ? json_string(kp_num_str(f->value, buf)) : json_null());
		json_object_set_new(o, "source", json_string(kp_source_name(f->source)));
		json_object_set_new(o, "author", json_string(f->author));
		json_object_set_new(o, "time", json_string(f->time));
		json_object_set_new(o, "url", json_string(f->url));
		json_object_set_new(o, "note", json_string(f->note));
		json_array_append_new(arr, o);
	}
	return arr;
}
