/* round/rank.c — what the store already holds, read for a person: the
 * ranking of a scored round (with each table's part in a round of
 * several), the list of rounds, the audit log; and their JSON. */
#include "round/round_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- the ranking ------------------------------------------------------ */

struct part_row {
	char *unit;
	kp_store_part p;          /* outcome, convert owned */
};

struct part_rows {
	struct part_row *v;
	size_t n;
};

static int part_row_collect(void *ctx, const char *unit,
			    const kp_store_part *p, kp_err *e)
{
	struct part_rows *rows = ctx;
	struct part_row *pr;
	(void)e;
	rows->v = kp_xrealloc(rows->v, (rows->n + 1) * sizeof(*rows->v));
	pr = &rows->v[rows->n++];
	pr->unit = kp_xstrdup(unit);
	pr->p = *p;
	pr->p.outcome = kp_xstrdup(p->outcome ? p->outcome : "");
	pr->p.convert = kp_xstrdup(p->convert ? p->convert : "");
	return 0;
}

static int part_cmp(const void *a, const void *b)
{
	const struct part_row *x = a, *y = b;
	int c = strcmp(x->unit, y->unit);
	return c ? c : (x->p.pos > y->p.pos) - (x->p.pos < y->p.pos);
}

static int result_row(void *ctx, const kp_store_result *r, kp_err *e)
{
	kp_rnd_ranking *k = ctx;
	kp_rnd_rank_row *row;
	(void)e;
	k->rows = kp_xrealloc(k->rows, (k->nrows + 1) * sizeof(*k->rows));
	row = &k->rows[k->nrows++];
	memset(row, 0, sizeof(*row));
	row->r = *r;
	row->r.unit = kp_xstrdup(r->unit);
	row->r.outcome = kp_xstrdup(r->outcome ? r->outcome : "");
	row->r.convert = kp_xstrdup(r->convert ? r->convert : "");
	row->r.veto_node = kp_xstrdup(r->veto_node ? r->veto_node : "");
	row->type = NULL;
	if (r->pending > 0)
		k->nincomplete++;
	row->r.parts = NULL;
	row->r.nparts = 0;
	return 0;
}

/* The first of unit's parts in the sorted v[0..n), or NULL. */
static const struct part_row *parts_find(const struct part_row *v, size_t n,
					 const char *unit)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v[mid].unit, unit) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].unit, unit) ? &v[lo] : NULL;
}

/* The parts of a round of several tables: each row's cells by label. */
static int read_parts(kp_store *db, kp_rnd_ranking *k, kp_err *e)
{
	struct part_rows pr = { NULL, 0 };
	const kp_round *rd = &k->round;
	int ret = -1;
	if (kp_store_parts_each(db, rd->id, NULL, part_row_collect, &pr, e) < 0)
		goto out;
	if (pr.n)
		qsort(pr.v, pr.n, sizeof(*pr.v), part_cmp);
	k->parts = kp_xcalloc(pr.n + 1, sizeof(*k->parts));
	for (size_t i = 0; i < pr.n; i++)
		k->parts[k->nparts++] = pr.v[i].p;   /* strings move */
	for (size_t i = 0; i < k->nrows; i++) {
		const struct part_row *first = parts_find(pr.v, pr.n, k->rows[i].r.unit);
		k->rows[i].cells = kp_xcalloc(k->nlabels + 1, sizeof(kp_store_part *));
		for (size_t l = 0; first && l < k->nlabels; l++)
			for (const struct part_row *q = first;
			     q < pr.v + pr.n && !strcmp(q->unit, first->unit); q++)
				if ((size_t)q->p.pos < rd->ntables &&
				    !strcmp(rd->tables[q->p.pos].label, k->labels[l]))
					k->rows[i].cells[l] = &k->parts[q - pr.v];
	}
	ret = 0;
out:
	for (size_t i = 0; i < pr.n; i++) {
		free(pr.v[i].unit);
		if (ret < 0) {
			free((char *)pr.v[i].p.outcome);
			free((char *)pr.v[i].p.convert);
		}
	}
	free(pr.v);
	return ret;
}

static void distinct_labels(kp_rnd_ranking *k)
{
	const kp_round *rd = &k->round;
	k->labels = kp_xcalloc(rd->ntables + 1, sizeof(char *));
	for (size_t t = 0; t < rd->ntables; t++) {
		bool seen = false;
		for (size_t l = 0; l < k->nlabels; l++)
			seen |= !strcmp(k->labels[l], rd->tables[t].label);
		if (!seen)
			k->labels[k->nlabels++] = rd->tables[t].label;
	}
}

/* Each row's unit type, from the round's units. */
struct utype {
	char *name, *type;
};

struct utypes {
	struct utype *v;
	size_t n;
};

static int utype_row(void *ctx, const kp_store_unit *u, kp_err *e)
{
	struct utypes *ts = ctx;
	(void)e;
	ts->v = kp_xrealloc(ts->v, (ts->n + 1) * sizeof(*ts->v));
	ts->v[ts->n].name = kp_xstrdup(u->name);
	ts->v[ts->n++].type = kp_xstrdup(u->type ? u->type : "");
	return 0;
}

static int utype_cmp(const void *a, const void *b)
{
	return strcmp(((const struct utype *)a)->name,
		      ((const struct utype *)b)->name);
}

static int read_types(kp_store *db, kp_rnd_ranking *k, kp_err *e)
{
	struct utypes ts = { NULL, 0 };
	int ret = kp_store_units_each(db, k->round.id, utype_row, &ts, e);
	if (ret == 0 && ts.n)
		qsort(ts.v, ts.n, sizeof(*ts.v), utype_cmp);
	for (size_t i = 0; ret == 0 && i < k->nrows; i++) {
		struct utype key = { (char *)k->rows[i].r.unit, NULL };
		const struct utype *hit = ts.n ? bsearch(&key, ts.v, ts.n, sizeof(*ts.v),
							 utype_cmp) : NULL;
		k->rows[i].type = kp_xstrdup(hit ? hit->type : "");
	}
	for (size_t i = 0; i < ts.n; i++) {
		free(ts.v[i].name);
		free(ts.v[i].type);
	}
	free(ts.v);
	return ret;
}

/* Do the rows have different maxima? */
static bool mixed_max(const kp_rnd_ranking *k)
{
	const kp_store_result *first = NULL;
	for (size_t i = 0; i < k->nrows; i++) {
		const kp_store_result *r = &k->rows[i].r;
		if (!r->has_max)
			continue;
		if (first && kp_num_cmp(first->max, r->max))
			return true;
		first = r;
	}
	return false;
}

/* Does the one table of the round convert its total (#meta,convert)? */
static bool table_converts(kp_store *db, const kp_round *rd)
{
	kp_buf text = KP_BUF_INIT;
	kp_table *t;
	kp_err e;
	bool yes = false;
	if (kp_store_round_table(db, rd->id, 0, &text, &e) == 0 &&
	    kp_table_parse(rd->table_id, text.data, text.len, &t, &e) == 0) {
		const char *cv = kp_table_get(t, "convert");
		yes = cv && *cv;
		kp_table_free(t);
	}
	kp_buf_release(&text);
	return yes;
}

int kp_rnd_ranking_get(const char *conn, const char *name,
		       kp_rnd_ranking *k, kp_err *e)
{
	kp_store *db;
	int ret = -1;
	memset(k, 0, sizeof(*k));
	if (kp_store_open(conn, 0, &db, e) < 0)
		return -1;
	if (kp_store_round_get(db, name, &k->round, e) < 0)
		goto out;
	k->several = k->round.ntables > 1;
	if (k->round.scored_seq < 0) {
		kp_fail(e, KP_EINPUT, "轮次“%s”还没有计分（先运行 kaoping eval score）",
			k->round.name);
		goto out;
	}
	/* the entries of the round's history after the scoring's snapshot
	 * (seq numbers are shared by every round: count, not subtract) */
	if (kp_store_facts_after(db, k->round.id, k->round.scored_seq,
				 &k->new_facts, e) < 0)
		goto out;
	k->stale = k->new_facts > 0;
	if (kp_combine_rule_parse(k->round.combine, &k->combine) < 0)
		k->combine = KP_COMBINE_NONE;
	if (k->several)
		distinct_labels(k);
	else
		k->has_convert = table_converts(db, &k->round);
	if (kp_store_results_each(db, k->round.id, NULL, result_row, k, e) < 0 ||
	    (k->several && read_parts(db, k, e) < 0) ||
	    read_types(db, k, e) < 0)
		goto out;
	k->mixed_max = mixed_max(k);
	ret = 0;
out:
	kp_store_close(db);
	if (ret < 0)
		kp_rnd_ranking_release(k);
	return ret;
}

void kp_rnd_ranking_release(kp_rnd_ranking *k)
{
	for (size_t i = 0; i < k->nrows; i++) {
		free((char *)k->rows[i].r.unit);
		free((char *)k->rows[i].r.outcome);
		free((char *)k->rows[i].r.convert);
		free((char *)k->rows[i].r.veto_node);
		free(k->rows[i].type);
		free(k->rows[i].cells);
	}
	for (size_t g = 0; g < k->ngroups; g++) {
		free(k->group_types[g]);
		free(k->group_rows[g]);
		free(k->group_ranks[g]);
	}
	free(k->group_types);
	free(k->group_rows);
	free(k->group_ranks);
	free(k->group_n);
	free(k->rows);
	for (size_t i = 0; i < k->nparts; i++) {
		free((char *)k->parts[i].outcome);
		free((char *)k->parts[i].convert);
	}
	free(k->parts);
	free(k->labels);
	kp_round_release(&k->round);
	memset(k, 0, sizeof(*k));
}

static json_t *part_json(const kp_round *rd, const kp_store_part *p)
{
	json_t *t = json_object();
	const kp_round_table *rt = &rd->tables[p->pos];
	json_object_set_new(t, "table", json_string(rt->table_id));
	json_object_set_new(t, "label", json_string(rt->label));
	json_object_set_new(t, "total", kp_num_json(p->total));
	json_object_set_new(t, "self_total", p->has_self
			    ? kp_num_json(p->self_total) : json_null());
	json_object_set_new(t, "convert", *p->convert
			    ? json_string(p->convert) : json_null());
	json_object_set_new(t, "converted", *p->convert
			    ? kp_num_json(p->converted) : json_null());
	json_object_set_new(t, "value", kp_num_json(p->value));
	json_object_set_new(t, "vetoed", json_boolean(p->vetoed));
	json_object_set_new(t, "outcome", json_string(p->outcome));
	return t;
}

/* 得分率 as a JSON number of percent (92.5 for 92.50%), null without a
 * 满分. */
static json_t *rate_json(const kp_store_result *r)
{
	kp_num q;
	if (!r->has_max || r->max.n <= 0 ||
	    kp_num_div(r->total, r->max, &q) < 0 ||
	    kp_num_mul(q, kp_num_int(100), &q) < 0)
		return json_null();
	return kp_num_json(q);
}

static json_t *row_json(const kp_rnd_ranking *k, const kp_rnd_rank_row *row)
{
	const kp_store_result *r = &row->r;
	json_t *o = json_object();
	json_object_set_new(o, "rank", json_integer(r->rank));
	json_object_set_new(o, "unit", json_string(r->unit));
	json_object_set_new(o, "total", kp_num_json(r->total));
	json_object_set_new(o, "self_total",
			    r->has_self ? kp_num_json(r->self_total) : json_null());
	json_object_set_new(o, "unit_type", json_string(row->type ? row->type : ""));
	json_object_set_new(o, "max", r->has_max ? kp_num_json(r->max) : json_null());
	json_object_set_new(o, "complete", json_boolean(r->pending == 0));
	json_object_set_new(o, "pending", json_integer((json_int_t)r->pending));
	json_object_set_new(o, "vetoed", json_boolean(r->vetoed));
	json_object_set_new(o, "veto", r->veto_node && *r->veto_node
				       ? json_string(r->veto_node) : json_null());
	json_object_set_new(o, "outcome", json_string(r->outcome));
	json_object_set_new(o, "convert", *r->convert ? json_string(r->convert)
						     : json_null());
	json_object_set_new(o, "converted", *r->convert ? kp_num_json(r->converted)
						       : json_null());
	if (k->several) {
		json_t *arr = json_array();
		for (size_t l = 0; l < k->nlabels; l++)
			if (row->cells[l])
				json_array_append_new(arr, part_json(&k->round,
								     row->cells[l]));
		json_object_set_new(o, "parts", arr);
	}
	return o;
}

json_t *kp_rnd_ranking_json(const kp_rnd_ranking *k)
{
	json_t *o = json_object(), *arr = json_array();
	for (size_t i = 0; i < k->nrows; i++)
		json_array_append_new(arr, row_json(k, &k->rows[i]));
	json_object_set_new(o, "round", json_string(k->round.name));
	json_object_set_new(o, "table", json_string(k->round.table_id));
	if (k->several) {
		json_object_set_new(o, "scheme", json_string(k->round.scheme));
		json_object_set_new(o, "combine", json_string(k->round.combine));
	}
	json_object_set_new(o, "current", json_boolean(!k->stale));
	json_object_set_new(o, "complete", json_boolean(k->nincomplete == 0));
	json_object_set_new(o, "incomplete", json_integer((json_int_t)k->nincomplete));
	json_object_set_new(o, "results", arr);
	if (k->ngroups) {
		json_t *gs = json_array();
		for (size_t g = 0; g < k->ngroups; g++) {
			json_t *go = json_object(), *ga = json_array();
			for (size_t j = 0; j < k->group_n[g]; j++) {
				const kp_rnd_rank_row *rw = &k->rows[k->group_rows[g][j]];
				json_t *ro = row_json(k, rw);
				kp_store_result pr = rw->r;
				pr.total = kp_rnd_points(k, rw);
				json_object_set_new(ro, "group_rank",
						    json_integer(k->group_ranks[g][j]));
				json_object_set_new(ro, "points",
						    kp_num_json(pr.total));
				json_object_set_new(ro, "rate", rate_json(&pr));
				json_array_append_new(ga, ro);
			}
			json_object_set_new(go, "type", json_string(k->group_types[g]));
			json_object_set_new(go, "results", ga);
			json_array_append_new(gs, go);
		}
		json_object_set_new(o, "groups", gs);
	}
	return o;
}

/* ---- the list of rounds ----------------------------------------------- */

static int list_row(void *ctx, const kp_round *r, kp_err *e)
{
	kp_rnd_list *l = ctx;
	(void)e;
	l->v = kp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	kp_rnd_round_copy(&l->v[l->n++], r);
	return 0;
}

int kp_rnd_list_get(const char *conn, kp_rnd_list *out, kp_err *e)
{
	kp_store *db;
	int r;
	memset(out, 0, sizeof(*out));
	if (kp_store_open(conn, 0, &db, e) < 0)
		return -1;
	r = kp_store_rounds_each(db, list_row, out, e);
	kp_store_close(db);
	if (r < 0)
		kp_rnd_list_release(out);
	return r < 0 ? -1 : 0;
}

void kp_rnd_list_release(kp_rnd_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		kp_round_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

json_t *kp_rnd_round_json(const kp_round *r)
{
	json_t *o = json_object(), *ts = json_array();
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "period", json_string(r->period));
	json_object_set_new(o, "table", json_string(r->table_id));
	json_object_set_new(o, "scheme", *r->scheme ? json_string(r->scheme)
						    : json_null());
	for (size_t k = 0; k < r->ntables; k++)
		json_array_append_new(ts, json_string(r->tables[k].table_id));
	json_object_set_new(o, "tables", ts);
	json_object_set_new(o, "units", json_integer(r->nunits));
	json_object_set_new(o, "facts", json_integer(r->nfacts));
	json_object_set_new(o, "scored", json_boolean(r->scored_seq >= 0));
	json_object_set_new(o, "current", json_boolean(r->scored_seq == r->last_seq));
	json_object_set_new(o, "created_at", json_string(r->created_at));
	json_object_set_new(o, "created_by", json_string(r->created_by));
	return o;
}

json_t *kp_rnd_list_json(const kp_rnd_list *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(arr, kp_rnd_round_json(&l->v[i]));
	return arr;
}

/* ---- the audit log ---------------------------------------------------- */

static int log_row(void *ctx, const kp_audit *au, kp_err *e)
{
	kp_rnd_log *l = ctx;
	kp_audit *d;
	(void)e;
	l->v = kp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	d = &l->v[l->n++];
	d->id = au->id;
	d->at = kp_xstrdup(au->at);
	d->who = kp_xstrdup(au->who);
	d->round = kp_xstrdup(au->round ? au->round : "");
	d->action = kp_xstrdup(au->action);
	d->detail = kp_xstrdup(au->detail);
	return 0;
}

int kp_rnd_log_get(const char *conn, const char *name, kp_rnd_log *out,
		   kp_err *e)
{
	kp_store *db;
	kp_round rd;
	int r = -1;
	memset(out, 0, sizeof(*out));
	memset(&rd, 0, sizeof(rd));
	if (kp_store_open(conn, 0, &db, e) < 0)
		return -1;
	if ((!name || kp_store_round_get(db, name, &rd, e) == 0) &&
	    kp_store_audit_each(db, rd.id, log_row, out, e) == 0)
		r = 0;
	kp_round_release(&rd);
	kp_store_close(db);
	if (r < 0)
		kp_rnd_log_release(out);
	return r;
}

void kp_rnd_log_release(kp_rnd_log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].at);
		free((char *)l->v[i].who);
		free((char *)l->v[i].round);
		free((char *)l->v[i].action);
		free((char *)l->v[i].detail);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

json_t *kp_rnd_log_json(const kp_rnd_log *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const kp_audit *au = &l->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "at", json_string(au->at));
		json_object_set_new(o, "who", json_string(au->who));
		json_object_set_new(o, "round", json_string(au->round));
		json_object_set_new(o, "action", json_string(au->action));
		json_object_set_new(o, "detail", json_string(au->detail));
		json_array_append_new(arr, o);
	}
	return arr;
}
