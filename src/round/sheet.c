/* round/sheet.c — a unit's sheet: its result on each of its tables,
 * scored now on its facts (with the reasons), the combination of a
 * round of several tables, and its stored rank. */
#include "round/round_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int copy_fact(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	(void)seq;
	(void)e;
	kp_facts_add(ctx, f);
	return 0;
}

static int stored_row(void *ctx, const kp_store_result *r, kp_err *e)
{
	(void)e;
	*(int64_t *)ctx = r->rank;
	return 0;
}

/* The combination line of a round of several tables into s. */
static int combine(const kp_rnd *v, kp_rnd_sheet *s, kp_err *e)
{
	kp_part parts[KP_SCHEME_MAX_TABLES];
	size_t np = kp_rnd_parts_of(v, s->res, parts);
	kp_buf comb = KP_BUF_INIT;
	kp_err sub;
	if (kp_combine_parts(v->combine, parts, np, &s->total, &comb, &sub) < 0) {
		kp_buf_release(&comb);
		return kp_fail(e, sub.code, "单位“%s”：%s", v->names[s->unit], sub.msg);
	}
	if (comb.len && comb.data[comb.len - 1] == '\n')
		comb.data[--comb.len] = '\0';
	free(s->combination);
	s->combination = comb.data ? kp_buf_detach(&comb) : kp_xstrdup("");
	return 0;
}

/* Which nodes of s's results carry a correction: a fact of fs that
 * counts (not withdrawn, not replaced) and replaced an earlier fact of
 * the same identity (kp_fact_fates, as the engine sees the unit's
 * facts in history order). */
static void corrections(const kp_rnd *v, const kp_facts *fs, kp_rnd_sheet *s)
{
	size_t n = fs->n;
	const kp_fact **run = kp_xcalloc(n ? n : 1, sizeof(*run));
	size_t *by = kp_xcalloc(n ? n : 1, sizeof(*by));
	bool *replacer = kp_xcalloc(n ? n : 1, sizeof(*replacer));
	for (size_t j = 0; j < n; j++)
		run[j] = &fs->v[j];
	kp_fact_fates(run, n, by);
	for (size_t j = 0; j < n; j++)
		if (by[j] < n)
			replacer[by[j]] = true;
	for (size_t j = 0; j < n; j++) {
		const kp_fact *f = &fs->v[j];
		if (!replacer[j] || by[j] != KP_FACT_COUNTS || f->withdrawn)
			continue;
		for (size_t k = 0; k < v->ntables; k++) {
			const kp_result *r = s->res[k];
			const kp_rnode *rn;
			if (!r || (f->table && *f->table &&
				   strcmp(f->table, r->table_id)) ||
			    !(rn = kp_result_find(r, f->indicator)))
				continue;
			if (!s->corrected[k])
				s->corrected[k] = kp_xcalloc(r->nnodes,
							     sizeof(bool));
			s->corrected[k][rn - r->nodes] = true;
		}
	}
	free(run);
	free(by);
	free(replacer);
}

static void explain(const kp_rnd *v, kp_rnd_sheet *s)
{
	kp_buf ex = KP_BUF_INIT;
	for (size_t k = 0; k < v->ntables; k++) {
		if (!s->res[k])
			continue;
		if (ex.len)
			kp_buf_addc(&ex, '\n');
		if (s->several)
			kp_buf_addf(&ex, "【%s】", v->round.tables[k].label);
		kp_result_explain(s->res[k], &ex);
	}
	if (s->several)
		kp_buf_addf(&ex, "\n合并（方案 %s，%s）：%s\n", v->round.scheme,
			    v->round.combine, s->combination);
	s->explain = ex.data ? kp_buf_detach(&ex) : kp_xstrdup("");
}

/* What a sheet adds to its results: the combination, whether it is
 * scored and stale, the explanation, the corrected nodes (from fs, the
 * unit's facts). */
static int finish(const kp_rnd *v, kp_rnd_sheet *s, const kp_facts *fs,
		  int flags, kp_err *e)
{
	if (s->several && combine(v, s, e) < 0)
		return -1;
	s->scored = v->round.scored_seq >= 0;
	s->stale = v->round.scored_seq != v->round.last_seq;
	if (flags & KP_RND_EXPLAIN)
		explain(v, s);
	if (flags & KP_RND_CORRECTIONS)
		corrections(v, fs, s);
	return 0;
}

int kp_rnd_sheet_get(kp_rnd *v, const char *unit, int flags,
		     kp_rnd_sheet *s, kp_err *e)
{
	kp_facts fs = KP_FACTS_INIT, sub = KP_FACTS_INIT;
	long u;
	int ret = -1;
	memset(s, 0, sizeof(*s));
	s->combination = kp_xstrdup("");
	u = kp_rnd_find_unit(v, unit);
	if (u < 0) {
		kp_fail(e, KP_RND_ENOTFOUND, "单位“%s”不在轮次“%s”中", unit,
			v->round.name);
		goto out;
	}
	s->unit = (size_t)u;
	s->several = v->ntables > 1;
	if (kp_store_facts_each(v->db, v->round.id, v->names[u], copy_fact, &fs, e) < 0 ||
	    kp_rnd_score_tables(v, NULL, 0, (size_t)u, &fs, &sub, true, s->res,
				NULL, e) < 0 ||
	    kp_store_results_each(v->db, v->round.id, v->names[u], stored_row,
				  &s->rank, e) < 0)
		goto out;
	if (finish(v, s, &fs, flags, e) < 0)
		goto out;
	ret = 0;
out:
	free(sub.v);
	kp_facts_release(&fs);
	if (ret < 0)
		kp_rnd_sheet_release(s);
	return ret;
}

/* ---- every unit's sheet at once (kp_rnd_sheets_each) ---------------- */

struct all {
	kp_rnd *v;
	int flags;
	kp_rnd_sheet_fn fn;
	void *ctx;
	kp_scorer *sc[KP_SCHEME_MAX_TABLES];   /* each table indexed once */
	kp_facts fs, sub;          /* the unit's facts; one table's */
	long unit;                 /* the unit whose facts fs holds, or -1 */
	int64_t *rank;             /* per unit: its stored rank, 0 none */
	bool *done;                /* per unit: its sheet was handed out */
	size_t ndone;
};

static int all_rank(void *ctx, const kp_store_result *r, kp_err *e)
{
	struct all *a = ctx;
	long u = kp_rnd_find_unit(a->v, r->unit);
	(void)e;
	if (u >= 0)
		a->rank[u] = r->rank;   /* as stored_row: the last row read */
	return 0;
}

/* Unit u's sheet on the facts in a->fs, handed to a->fn. */
static int all_emit(struct all *a, size_t u, kp_err *e)
{
	kp_rnd *v = a->v;
	kp_rnd_sheet s;
	int ret = -1;
	if (a->done[u])            /* the store gives a unit's facts together */
		return kp_fail(e, KP_EINTERNAL, "单位“%s”的事实没有连在一起读出",
			       v->names[u]);
	memset(&s, 0, sizeof(s));
	s.combination = kp_xstrdup("");
	s.unit = u;
	s.several = v->ntables > 1;
	s.rank = a->rank[u];
	if (kp_rnd_score_tables(v, a->sc, 0, u, &a->fs, &a->sub, true, s.res,
				NULL, e) < 0 ||
	    finish(v, &s, &a->fs, a->flags, e) < 0 || a->fn(a->ctx, &s, e) < 0)
		goto out;
	a->done[u] = true;
	a->ndone++;
	ret = 0;
out:
	kp_rnd_sheet_release(&s);
	kp_facts_release(&a->fs);
	return ret;
}

static int all_fact(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	struct all *a = ctx;
	long u = kp_rnd_find_unit(a->v, f->unit);
	(void)seq;
	if (u < 0)
		return kp_fail(e, KP_EINTERNAL, "事实的单位“%s”不在轮次中", f->unit);
	if (u != a->unit && a->unit >= 0 && all_emit(a, (size_t)a->unit, e) < 0)
		return -1;
	a->unit = u;
	kp_facts_add(&a->fs, f);
	return 0;
}

int kp_rnd_sheets_each(kp_rnd *v, int flags, kp_rnd_sheet_fn fn, void *ctx,
		       kp_err *e)
{
	struct all a = { .v = v, .flags = flags, .fn = fn, .ctx = ctx,
			 .fs = KP_FACTS_INIT, .sub = KP_FACTS_INIT, .unit = -1 };
	int ret = -1;
	a.rank = kp_xcalloc(v->nunits + 1, sizeof(*a.rank));
	a.done = kp_xcalloc(v->nunits + 1, sizeof(*a.done));
	kp_rnd_scorers_new(v, a.sc);
	if (kp_store_results_each(v->db, v->round.id, NULL, all_rank, &a, e) < 0 ||
	    kp_store_facts_each(v->db, v->round.id, NULL, all_fact, &a, e) < 0 ||
	    (a.unit >= 0 && all_emit(&a, (size_t)a.unit, e) < 0))
		goto out;
	/* the units without facts, on none */
	for (size_t u = 0; u < v->nunits; u++)
		if (!a.done[u] && all_emit(&a, u, e) < 0)
			goto out;
	ret = 0;
out:
	kp_rnd_scorers_free(v, a.sc);
	kp_facts_release(&a.fs);
	free(a.sub.v);
	free(a.rank);
	free(a.done);
	return ret;
}

void kp_rnd_sheet_release(kp_rnd_sheet *s)
{
	for (size_t k = 0; k < KP_SCHEME_MAX_TABLES; k++) {
		kp_result_free(s->res[k]);
		free(s->corrected[k]);
	}
	free(s->combination);
	free(s->explain);
	memset(s, 0, sizeof(*s));
}

/* A unit of a round of several tables: each table's sheet, then the
 * combination. */
static json_t *scheme_json(const kp_rnd *v, const kp_rnd_sheet *s)
{
	json_t *o = json_object(), *tabs = json_array(), *nodes = json_array();
	json_object_set_new(o, "unit", json_string(v->names[s->unit]));
	json_object_set_new(o, "unit_type", json_string(v->types[s->unit]));
	json_object_set_new(o, "scheme", json_string(v->round.scheme));
	json_object_set_new(o, "combine", json_string(v->round.combine));
	json_object_set_new(o, "total", kp_num_json(s->total));
	json_object_set_new(o, "self_total", json_null());
	json_object_set_new(o, "combination", json_string(s->combination));
	for (size_t k = 0; k < v->ntables; k++) {
		const kp_result *r = s->res[k];
		json_t *t, *tn, *n;
		size_t i;
		if (!r)
			continue;
		t = kp_result_json(r);
		tn = json_incref(json_object_get(t, "nodes"));
		json_object_del(t, "nodes");
		json_object_del(t, "unit");
		json_object_del(t, "unit_type");
		json_object_set_new(t, "label", json_string(v->round.tables[k].label));
		json_object_set_new(t, "value",
				    kp_num_json(kp_part_value(v->combine, r)));
		if (v->round.tables[k].has_weight)
			json_object_set_new(t, "weight",
				kp_num_json(v->round.tables[k].weight));
		json_array_foreach(tn, i, n) {
			json_object_set_new(n, "table", json_string(r->table_id));
			json_array_append(nodes, n);
		}
		json_decref(tn);
		json_array_append_new(tabs, t);
	}
	json_object_set_new(o, "tables", tabs);
	json_object_set_new(o, "nodes", nodes);
	return o;
}

json_t *kp_rnd_sheet_json(const kp_rnd *v, const kp_rnd_sheet *s)
{
	json_t *o = s->several ? scheme_json(v, s) : kp_result_json(s->res[0]);
	json_object_set_new(o, "round", json_string(v->round.name));
	json_object_set_new(o, "rank", s->rank > 0 && !s->stale
					? json_integer(s->rank) : json_null());
	json_object_set_new(o, "units", json_integer((json_int_t)v->nunits));
	if (s->explain)
		json_object_set_new(o, "explain", json_string(s->explain));
	return o;
}
