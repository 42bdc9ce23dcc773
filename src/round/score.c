/* round/score.c — scoring a round: every unit on its tables, from the
 * facts in the store, ranked, the results written back.
 *
 * The facts arrive grouped by unit (the store's order); a unit is scored
 * when its last fact has been seen, so only one unit's facts are held at
 * a time.  A big round is cut into slices of units, each read and scored
 * by its own thread on its own connection (KP_THREADS, else one per
 * processor, at most 8, from 2,000 units on); results go to shared
 * arrays at the unit's index, which no other thread touches. */
#include "round/round_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void kp_rnd_scorers_new(const kp_rnd *v, kp_scorer **sc)
{
	for (size_t k = 0; k < v->ntables; k++)
		sc[k] = kp_scorer_new(v->tables[k]);
}

void kp_rnd_scorers_free(const kp_rnd *v, kp_scorer **sc)
{
	for (size_t k = 0; k < v->ntables; k++) {
		kp_scorer_free(sc[k]);
		sc[k] = NULL;
	}
}

/* Does scoring need to know a unit's type, tags or aliases?  Only for
 * applies columns, quota tables and checklists; else the canonical name
 * the store keeps is all there is to know. */
static bool needs_registry(const kp_rnd *v)
{
	for (size_t k = 0; k < v->ntables; k++) {
		const kp_table *t = v->tables[k];
		for (size_t i = 0; i < t->nnodes; i++)
			if (*t->nodes[i]->text[KP_T_APPLIES] ||
			    t->nodes[i]->rule == KP_RULE_TIERED ||
			    t->nodes[i]->rule == KP_RULE_CHECKLIST)
				return true;
	}
	return false;
}

/* Score unit i on table k on facts fs, with a one-unit registry when it
 * matters; through sc (table k indexed once, kp_scorer_unit's flags)
 * when given, else kp_score_unit. */
static int score_one(kp_rnd *v, const kp_scorer *sc, int flags, size_t k,
		     size_t i, const kp_facts *fs, bool reg, kp_result **out,
		     kp_err *e)
{
	kp_units *u = NULL;
	kp_score_ctx c = v->ctx;
	int r;
	if (reg && kp_rnd_one_unit_registry(v, i, &u, e) < 0)
		return -1;
	c.units = u;
	r = sc ? kp_scorer_unit(sc, &c, v->names[i], fs, flags, out, e)
	       : kp_score_unit(v->tables[k], &c, v->names[i], fs, out, e);
	kp_units_free(u);
	return r;
}

/* Position of the round's table with id, or -1. */
static long table_index(const kp_rnd *v, const char *id)
{
	if (v->ntables == 1 && (!id || !*id ||
				!strcmp(id, v->round.tables[0].table_id)))
		return 0;
	for (size_t k = 0; k < v->ntables; k++)
		if (id && !strcmp(id, v->round.tables[k].table_id))
			return (long)k;
	return -1;
}

/* The facts of fs about table k, into sub (borrowing them). */
static const kp_facts *facts_of(const kp_rnd *v, size_t k,
				const kp_facts *fs, kp_facts *sub)
{
	const char *id = v->round.tables[k].table_id;
	if (v->ntables == 1)
		return fs;
	if (sub->cap < fs->n) {
		sub->cap = fs->n;
		sub->v = kp_xrealloc(sub->v, sub->cap * sizeof(*sub->v));
	}
	sub->n = 0;
	for (size_t j = 0; j < fs->n; j++)
		if (fs->v[j].table == id || !strcmp(fs->v[j].table, id))
			sub->v[sub->n++] = fs->v[j];
	return sub;
}

int kp_rnd_score_tables(kp_rnd *v, kp_scorer *const *sc, int flags,
			size_t i, const kp_facts *fs, kp_facts *sub, bool reg,
			kp_result **r, double *cpu, kp_err *e)
{
	for (size_t k = 0; k < v->ntables; k++) {
		double t0;
		r[k] = NULL;
		if (!kp_rnd_on_table(v, i, k))
			continue;
		t0 = cpu ? cpu_now() : 0;
		if (score_one(v, sc ? sc[k] : NULL, flags, k, i,
			      facts_of(v, k, fs, sub), reg, &r[k], e) < 0)
			return -1;
		if (cpu)
			*cpu += cpu_now() - t0;
	}
	return 0;
}

size_t kp_rnd_parts_of(const kp_rnd *v, kp_result *const *r, kp_part *p)
{
	size_t n = 0;
	for (size_t k = 0; k < v->ntables; k++) {
		if (!r[k])
			continue;
		p[n].label = v->round.tables[k].label;
		p[n].r = r[k];
		p[n].weight = v->round.tables[k].has_weight
				      ? v->round.tables[k].weight : kp_num_int(1);
		n++;
	}
	return n;
}

/* One scorer's state (see the top of the file). */
struct collect {
	kp_rnd *v;
	kp_scorer *const *sc;     /* each table indexed once, shared */
	kp_facts sub;             /* one table's facts of the unit, borrowed */
	const char *tab_at;       /* the table id last met in a fact (the
				   * read's string) and its position */
	long tab_k;
	kp_store_result *res;     /* per unit, shared */
	char **outcomes, **converts;
	char **vetonodes;         /* per unit: "code 名称" of the veto, or NULL */
	kp_num *key;              /* per unit: what it is ranked by */
	kp_store_part *parts;     /* per unit × table (several tables), shared */
	char **poutcomes;         /* their outcomes, likewise */
	bool *done;
	bool reg;
	double engine_s;          /* CPU time inside the engine */
	kp_err e;
};

/* "code 名称" of the veto row that fired in r, or NULL. */
static char *veto_label(const kp_result *r)
{
	const kp_node *nd = kp_result_veto_node(r);
	kp_buf b = KP_BUF_INIT;
	if (!nd)
		return NULL;
	kp_buf_addf(&b, "%s%s%s", nd->code, *nd->code ? " " : "", nd->name);
	return kp_buf_detach(&b);
}

/* Unit i's combined result from its per-table results r, into c->res[i]
 * and its parts. */
static int combine_unit(struct collect *c, size_t i, kp_result *const *r)
{
	kp_rnd *v = c->v;
	kp_part p[KP_SCHEME_MAX_TABLES];
	size_t n = kp_rnd_parts_of(v, r, p);
	kp_store_part *sp = &c->parts[i * v->ntables];
	kp_num total;
	kp_err sub;
	if (kp_combine_parts(v->combine, p, n, &total, NULL, &sub) < 0)
		return kp_fail(&c->e, sub.code, "单位“%s”：%s", v->names[i],
			       sub.msg);
	c->res[i].unit = v->names[i];
	c->res[i].total = total;
	c->res[i].has_self = false;
	c->res[i].outcome = "";
	/* 满分: the sum of the unit's tables' maxima (eval rank --by type) */
	c->res[i].has_max = true;
	c->res[i].max = kp_num_int(0);
	for (size_t k = 0, m = 0; k < v->ntables; k++) {
		kp_store_part *t = &sp[m];
		if (!r[k])
			continue;
		t->pos = (int64_t)k;
		t->total = r[k]->total;
		t->has_self = r[k]->has_self;
		t->self_total = r[k]->self_total;
		t->vetoed = kp_result_any_veto(r[k]);
		c->poutcomes[i * v->ntables + m] = kp_xstrdup(r[k]->outcome);
		t->outcome = c->poutcomes[i * v->ntables + m];
		/* the table's own "deduct:2": lives as long as v */
		t->convert = r[k]->has_convert ? kp_table_get(v->tables[k], "convert")
					       : "";
		t->converted = r[k]->converted;
		t->value = kp_part_value(v->combine, r[k]);
		if (t->vetoed)
			c->res[i].vetoed = true;
		if (t->vetoed && !c->vetonodes[i])
			c->vetonodes[i] = veto_label(r[k]);
		c->res[i].pending += (int64_t)r[k]->pending;
		if (kp_num_add(c->res[i].max, r[k]->max, &c->res[i].max) < 0)
			c->res[i].has_max = false;
		m++;
	}
	c->res[i].veto_node = c->vetonodes[i];
	c->key[i] = total;
	c->res[i].parts = sp;
	c->res[i].nparts = n;
	return 0;
}

/* A one-table round ranks the way a scheme round does: by the value the
 * table adds to a combination — its converted points, signed, when the
 * table converts (a veto that deducts from the total ranks below every
 * smaller deduction), else its total. */
static void one_table_unit(struct collect *c, size_t i, const kp_result *r)
{
	c->res[i].unit = c->v->names[i];
	c->res[i].total = r->total;
	c->res[i].has_self = r->has_self;
	c->res[i].self_total = r->self_total;
	c->res[i].vetoed = kp_result_any_veto(r);
	c->vetonodes[i] = veto_label(r);
	c->res[i].veto_node = c->vetonodes[i];
	c->res[i].pending = (int64_t)r->pending;
	c->res[i].has_max = true;
	c->res[i].max = r->max;
	c->key[i] = r->has_convert ? kp_part_value(KP_COMBINE_SUM, r) : r->total;
	c->outcomes[i] = kp_xstrdup(r->outcome);
	c->res[i].outcome = c->outcomes[i];
	if (r->has_convert) {
		c->converts[i] = kp_xstrdup(r->convert);
		c->res[i].convert = c->converts[i];
		c->res[i].converted = r->converted;
	}
}

/* Score unit i (of the round) on its facts fs, borrowed (none: every
 * node pending). */
static int score_unit(struct collect *c, size_t i, const kp_facts *fs)
{
	kp_result *r[KP_SCHEME_MAX_TABLES] = { NULL };
	int rc = -1;
	/* each of the unit's tables on its own facts (one, mostly); totals
	 * only: no reasons are written */
	if (kp_rnd_score_tables(c->v, c->sc, KP_SCORE_TOTALS, i, fs, &c->sub,
				c->reg, r, c->v->timing ? &c->engine_s : NULL,
				&c->e) < 0)
		goto out;
	if (c->v->ntables > 1) {
		if (combine_unit(c, i, r) < 0)
			goto out;
	} else {
		one_table_unit(c, i, r[0]);
	}
	c->done[i] = true;
	rc = 0;
out:
	for (size_t k = 0; k < c->v->ntables; k++)
		kp_result_free(r[k]);
	return rc;
}

/* A kp_unit_facts_fn: the unit's facts, read lean, scored as they are
 * (no copy); each fact pointed at the round's own unit name and table id,
 * which live as long as the round and which the engine tells apart by
 * pointer. */
static int collect_unit(void *ctx, const char *unit, kp_facts *fs, kp_err *e)
{
	struct collect *c = ctx;
	long i = kp_rnd_find_unit(c->v, unit);
	if (i < 0)
		return kp_fail(e, KP_EINTERNAL, "事实的单位“%s”不在轮次中", unit);
	for (size_t k = 0; k < fs->n; k++) {
		kp_fact *f = &fs->v[k];
		if (f->table != c->tab_at) {
			c->tab_k = table_index(c->v, f->table);
			c->tab_at = f->table;
		}
		if (c->tab_k < 0)
			return kp_fail(e, KP_EINTERNAL, "事实的表“%s”不在轮次中",
				       f->table);
		f->unit = c->v->names[i];
		f->table = c->v->round.tables[c->tab_k].table_id;
	}
	if (score_unit(c, (size_t)i, fs) < 0) {
		*e = c->e;
		return -1;
	}
	return 0;
}

static void collect_release(struct collect *c)
{
	free(c->sub.v);
	memset(&c->sub, 0, sizeof(c->sub));
}

struct worker {
	struct collect c;
	const char *conn;
	int part, nparts;
	int64_t upto;             /* the scoring's snapshot */
	int rc;
	pthread_t th;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	kp_store *db;
	w->rc = -1;
	if (kp_store_open(w->conn, 0, &db, &w->c.e) < 0)
		return NULL;
	w->c.tab_at = NULL;       /* the read's strings, not an earlier one's */
	if (kp_store_unit_facts_upto(db, w->c.v->round.id, w->part, w->nparts,
				     w->upto, collect_unit, &w->c, &w->c.e) == 0)
		w->rc = 0;
	collect_release(&w->c);
	kp_store_close(db);
	return NULL;
}

/* How many scorers: KP_THREADS, else one per processor (at most 8) once
 * the round is big enough to pay for the extra connections. */
static int scorers(size_t nunits)
{
	const char *env = getenv("KP_THREADS");
	long n = env && *env ? kp_digits(env, env + strlen(env), 256) : sysconf(_SC_NPROCESSORS_ONLN);
	if (!(env && *env) && nunits < 2000)
		n = 1;
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* Competition ranking by key, highest first (1, 2, 2, 4), ties in the
 * round's unit order: kp_rank's rule.  Complete units first; a unit with
 * pending nodes (未完成) ranks after every complete one, among the
 * incomplete by the same rule. */
static void rank_results(kp_store_result *v, const kp_num *key, size_t n)
{
	kp_num *totals = kp_xcalloc(n ? n : 1, sizeof(kp_num));
	size_t *order = kp_xcalloc(n ? n : 1, sizeof(size_t));
	size_t *rank = kp_xcalloc(n ? n : 1, sizeof(size_t));
	size_t *who = kp_xcalloc(n ? n : 1, sizeof(size_t));
	size_t done = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if ((v[i].pending == 0) == (pass == 0)) {
				who[m] = i;
				totals[m++] = key[i];
			}
		kp_rank_totals(totals, m, order, rank);
		for (size_t j = 0; j < m; j++)
			v[who[j]].rank = (int64_t)(rank[j] + done);
		done += m;
	}
	free(totals);
	free(order);
	free(rank);
	free(who);
}

/* Read and score the round's facts up to upto on nw threads (the
 * caller's alone when 1); *engine: CPU in the engine.  Meanwhile, on the
 * round's own connection, the results' write begins (*rt: the old
 * results deleted in the open transaction), so that it is not all left
 * for after the scoring; *rt NULL on failure. */
static int score_facts(struct collect *base, int nw, int64_t upto,
		       double *engine, kp_store_results_tx **rt, kp_err *e)
{
	struct worker ws[8];
	int started = 0, rc = -1;
	bool began = false;
	kp_err be;
	kp_rnd *v = base->v;
	*rt = NULL;
	if (nw == 1) {
		/* totals only: the facts' provenance is not needed */
		base->tab_at = NULL;
		if (kp_store_unit_facts_upto(v->db, v->round.id, 0, 1, upto,
					     collect_unit, base, e) < 0)
			return -1;
		return kp_store_results_begin(v->db, v->round.id, rt, e);
	}
	for (int k = 0; k < nw; k++) {
		ws[k].c = *base;
		ws[k].conn = v->conn;
		ws[k].part = k;
		ws[k].nparts = nw;
		ws[k].upto = upto;
		ws[k].rc = -1;
		if (pthread_create(&ws[k].th, NULL, work, &ws[k]) != 0)
			break;
		started++;
	}
	if (started == nw)
		began = kp_store_results_begin(v->db, v->round.id, rt, &be) == 0;
	for (int k = 0; k < started; k++)
		pthread_join(ws[k].th, NULL);
	for (int k = 0; k < nw; k++) {
		if (k >= started) {
			kp_fail(e, KP_EIO, "无法启动计分线程");
			goto out;
		}
		if (ws[k].rc < 0) {
			*e = ws[k].c.e;
			goto out;
		}
		*engine += ws[k].c.engine_s;
	}
	if (!began) {
		*e = be;
		goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		kp_store_results_abort(*rt);
		*rt = NULL;
	}
	return rc;
}

static void collect_init(struct collect *c, kp_rnd *v, kp_scorer *const *sc)
{
	size_t n = v->nunits ? v->nunits : 1;
	memset(c, 0, sizeof(*c));
	c->v = v;
	c->reg = needs_registry(v);
	c->sc = sc;
	c->res = kp_xcalloc(n, sizeof(*c->res));
	c->outcomes = kp_xcalloc(n, sizeof(char *));
	c->converts = kp_xcalloc(n, sizeof(char *));
	c->vetonodes = kp_xcalloc(n, sizeof(char *));
	c->key = kp_xcalloc(n, sizeof(kp_num));
	c->done = kp_xcalloc(n, sizeof(bool));
	if (v->ntables > 1) {
		c->parts = kp_xcalloc(v->nunits * v->ntables + 1, sizeof(*c->parts));
		c->poutcomes = kp_xcalloc(v->nunits * v->ntables + 1, sizeof(char *));
	}
}

static void collect_free(struct collect *c)
{
	kp_rnd *v = c->v;
	collect_release(c);
	for (size_t i = 0; i < v->nunits; i++) {
		free(c->outcomes[i]);
		free(c->converts[i]);
		free(c->vetonodes[i]);
	}
	free(c->vetonodes);
	free(c->key);
	for (size_t i = 0; c->poutcomes && i < v->nunits * v->ntables; i++)
		free(c->poutcomes[i]);
	free(c->poutcomes);
	free(c->parts);
	free(c->outcomes);
	free(c->converts);
	free(c->res);
	free(c->done);
}

void kp_rnd_timing(kp_rnd *v, bool on)
{
	v->timing = on;
}

int kp_rnd_score(kp_rnd *v, const char *author, kp_rnd_scored *out,
		 kp_err *e)
{
	struct collect base;
	kp_scorer *sc[KP_SCHEME_MAX_TABLES] = { NULL };
	int64_t upto = 0;
	double engine = 0, t0, t1;
	struct timespec ts;
	int nw, r, ret = -1;
	kp_store_results_tx *rt = NULL;
	memset(out, 0, sizeof(*out));
	if (kp_rnd_check_tables(v, author, e) < 0)
		return -1;
	/* one snapshot: every scorer reads the history up to the entry that
	 * was last when scoring began, and the results say so */
	if (kp_store_facts_last(v->db, v->round.id, &upto, e) < 0)
		return -1;
	kp_rnd_scorers_new(v, sc);
	collect_init(&base, v, sc);
	nw = scorers(v->nunits);
	if (score_facts(&base, nw, upto, &engine, &rt, e) < 0)
		goto out;
	/* units without facts are scored too: everything pending */
	for (size_t i = 0; i < v->nunits; i++) {
		kp_facts none = KP_FACTS_INIT;
		if (base.done[i])
			continue;
		if (score_unit(&base, i, &none) < 0) {
			*e = base.e;
			goto out;
		}
	}
	t0 = cpu_now();
	rank_results(base.res, base.key, v->nunits);
	r = kp_store_results_commit(rt, upto, base.res, v->nunits, author, e);
	rt = NULL;
	if (r < 0)
		goto out;
	t1 = cpu_now();
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	if (kp_rnd_refresh(v, e) < 0)
		goto out;
	out->nunits = v->nunits;
	out->nfacts = v->round.nfacts;
	out->threads = nw;
	out->snapshot = upto;
	out->engine_s = base.engine_s + engine;
	out->store_s = t1 - t0;
	out->cpu_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	ret = 0;
out:
	kp_store_results_abort(rt);   /* a failure between begin and commit */
	collect_free(&base);
	kp_rnd_scorers_free(v, sc);
	return ret;
}
