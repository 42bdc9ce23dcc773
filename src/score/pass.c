/* score/pass.c — scoring one unit: its facts resolved once, which nodes
 * apply, the two passes (自评 alone, then the counting facts), and the
 * evaluation level — vetoes, rescaling, bonus, grade bands, conversion.
 * See score.h and engine.h. */
#include "score/engine.h"

/* ---- one pass over the table ----------------------------------------- */

typedef struct totals {
	kp_num max, base, bonus, total;
	bool ev_veto;
	const kp_node *ev_veto_node;
	kp_num res_deduct;
	const kp_node *res_veto_node;
	bool any;
} totals;

static void run_pass(eng *g, bool counting, totals *out)
{
	const kp_table *t = g->t;
	size_t n = t->nnodes;
	g->counting = counting;
	g->record = counting && g->want;
	memset(g->val, 0, n * sizeof(*g->val));
	for (size_t i = 0; i < n; i++)
		g->val[i] = kp_num_int(0);
	memset(g->touched, 0, n * sizeof(*g->touched));
	memset(g->pending, 0, n * sizeof(*g->pending));
	memset(g->vetoed, 0, n * sizeof(*g->vetoed));
	g->ev_veto = false;
	g->ev_veto_node = NULL;
	g->res_deduct = kp_num_int(0);
	g->res_veto_node = NULL;
	memset(out, 0, sizeof(*out));
	out->max = out->base = out->bonus = out->total = kp_num_int(0);
	/* touched: facts of the pass on a node or below; checklist items
	 * touch the checklist node */
	for (size_t k = 0; k < g->nf; k++) {
		if (!fact_in_pass(g, g->f[k]) || !g->tgt[k])
			continue;
		out->any = true;
		if (g->tin[k] != t) {
			for (size_t i = 0; i < n; i++)
				if (t->nodes[i]->rule == KP_RULE_CHECKLIST)
					for (size_t p = i; p != NONE;
					     p = PARENT(g, p))
						g->touched[p] = true;
			continue;
		}
		for (size_t p = g->tix[k]; p != NONE; p = PARENT(g, p))
			g->touched[p] = true;
	}
	for (size_t r = 0; r < t->nroots; r++)
		kp_eng_eval(g, g->sc->root[r]);
	for (size_t r = 0; r < t->nroots; r++) {
		const kp_node *rt = t->roots[r];
		size_t i = g->sc->root[r];
		if (!g->r->nodes[i].applies)
			continue;
		if (rt->rule == KP_RULE_BONUS) {
			out->bonus = n_add(g, out->bonus, g->val[i]);
			continue;
		}
		if (!kp_eng_counts(rt))
			continue;
		out->max = n_add(g, out->max, g->r->nodes[i].max);
		out->base = n_add(g, out->base, g->val[i]);
	}
	out->ev_veto = g->ev_veto;
	out->ev_veto_node = g->ev_veto_node;
	out->res_deduct = g->res_deduct;
	out->res_veto_node = g->res_veto_node;
}

/* ---- evaluation level ------------------------------------------------ */

/* total from a pass: rescale, grade, bonus, veto.  Reasons when
 * recording. */
static kp_num finish(eng *g, totals *tt, kp_num declared, bool has_declared,
		     const char **outcome)
{
	const char *rescale = g->sc->rescale;
	const char *pass = g->sc->pass;
	const char *above = g->sc->above;
	kp_num total = tt->base, pv;
	*outcome = "";
	if (tt->ev_veto) {
		const char *oc = tt->ev_veto_node->args.outcome;
		kp_num z = kp_num_int(0);
		bool fail = (oc && !strcmp(oc, "不合格")) || pass;
		RREASON(g, &z, tt->ev_veto_node->name,
			"一票否决：整项考核%s，结果计0分，其余指标不再计分",
			fail ? "不合格" : "否决");
		*outcome = fail ? "不合格" : "";
		tt->bonus = z;
		return z;
	}
	if (rescale && !strcmp(rescale, "proportional") && has_declared &&
	    tt->max.n > 0 && kp_num_cmp(tt->max, declared) < 0) {
		kp_num f = n_div(g, declared, tt->max);
		total = n_mul(g, tt->base, f);
		RREASON(g, &total, "",
			"部分指标不适用本单位：适用指标满分%s，得%s分，按%s分等比折算（×%s）为%s分",
			kp_eng_fmtn(tt->max), kp_eng_fmtn(tt->base),
			kp_eng_fmtn(declared), kp_eng_fmtq(f), kp_eng_fmtn(total));
		tt->max = declared;
	} else {
		RREASON(g, &total, "", "各一级指标得分之和%s分（满分%s）",
			kp_eng_fmtn(total), kp_eng_fmtn(tt->max));
	}
	if (pass && kp_num_parse(pass, &pv) == 0) {
		*outcome = kp_num_cmp(total, pv) < 0 ? "不合格" : "合格";
		RREASON(g, NULL, "", "%s分%s合格线%s分：%s", kp_eng_fmtn(total),
			kp_num_cmp(total, pv) < 0 ? "低于" : "不低于",
			kp_eng_fmtn(pv), *outcome);
	}
	if (above && kp_num_parse(above, &pv) == 0) {
		if (kp_num_cmp(total, pv) > 0) {
			kp_num b = tt->bonus;
			RREASON(g, &b, "", "基础分%s高于%s，计入加分%s分",
				kp_eng_fmtn(total), kp_eng_fmtn(pv),
				kp_eng_fmtn(tt->bonus));
			total = n_add(g, total, tt->bonus);
		} else {
			RREASON(g, NULL, "", "基础分%s不高于%s，加分%s分不计入",
				kp_eng_fmtn(total), kp_eng_fmtn(pv),
				kp_eng_fmtn(tt->bonus));
			tt->bonus = kp_num_int(0);
		}
	} else if (!kp_num_is_zero(tt->bonus)) {
		kp_num b = tt->bonus;
		RREASON(g, &b, "", "计入加分%s分", kp_eng_fmtn(b));
		total = n_add(g, total, tt->bonus);
	}
	return total;
}

static void convert(eng *g, kp_result *r, const totals *tt)
{
	const char *spec = g->sc->convert;
	kp_num n;
	if (tt->res_veto_node) {
		r->has_convert = true;
		free(r->convert);
		kp_buf b = KP_BUF_INIT;
		kp_buf_addf(&b, "deduct:%s", kp_eng_fmtn(tt->res_deduct));
		r->convert = kp_buf_detach(&b);
		r->converted = tt->res_deduct;
		kp_num neg = n_sub(g, kp_num_int(0), tt->res_deduct);
		RREASON(g, &neg, tt->res_veto_node->name,
			"一票否决：直接从目标考核总分中扣%s分（不再按考核结果折算）",
			kp_eng_fmtn(tt->res_deduct));
		return;
	}
	if (!spec || !*spec)
		return;
	if (r->max.n <= 0) {
		RREASON(g, NULL, "", "本表对本单位无适用指标，不折算");
		return;
	}
	if (!strncmp(spec, "deduct:", 7) && kp_num_parse(spec + 7, &n) == 0) {
		kp_num lost = n_sub(g, r->max, n_min(r->total, r->max));
		if (lost.n < 0)
			lost = kp_num_int(0);
		r->converted = n_div(g, n_mul(g, n, lost), r->max);
		r->has_convert = true;
		r->convert = kp_xstrdup(spec);
		kp_num neg = n_sub(g, kp_num_int(0), r->converted);
		RREASON(g, &neg, "",
			"折算（最多扣%s分）：%s×（%s−%s）÷%s = 扣%s分",
			kp_eng_fmtn(n), kp_eng_fmtn(n), kp_eng_fmtn(r->max),
			kp_eng_fmtn(n_min(r->total, r->max)), kp_eng_fmtn(r->max),
			kp_eng_fmt2(r->converted));
	} else if (!strncmp(spec, "earn:", 5) &&
		   kp_num_parse(spec + 5, &n) == 0) {
		r->converted = n_div(g, n_mul(g, n, n_min(r->total, r->max)),
				     r->max);
		r->has_convert = true;
		r->convert = kp_xstrdup(spec);
		kp_num v = r->converted;
		RREASON(g, &v, "", "折算（满分%s分）：%s×%s÷%s = %s分",
			kp_eng_fmtn(n), kp_eng_fmtn(n),
			kp_eng_fmtn(n_min(r->total, r->max)), kp_eng_fmtn(r->max),
			kp_eng_fmt2(r->converted));
	}
}


/* ---- the entry point ------------------------------------------------- */

static bool fact_for_unit(const eng *g, const kp_fact *f)
{
	const kp_units *u = g->c ? g->c->units : NULL;
	const char *res;
	if (f->unit == g->canon || !strcmp(f->unit, g->canon))
		return true;
	res = u ? kp_units_resolve(u, f->unit) : NULL;
	return res && !strcmp(res, g->canon);
}

int kp_score_unit(const kp_table *t, const kp_score_ctx *c,
		  const char *unit, const kp_facts *fs, kp_result **out,
		  kp_err *e)
{
	kp_scorer *sc = kp_scorer_new(t);
	int r = kp_scorer_unit(sc, c, unit, fs, 0, out, e);
	kp_scorer_free(sc);
	return r;
}

/* Set up g and its empty result for unit on sc's table. */
static void eng_begin(eng *g, const kp_scorer *sc, const kp_score_ctx *c,
		      const char *unit, int flags)
{
	const kp_table *t = sc->t;
	kp_result *r = kp_xcalloc(1, sizeof(*r));
	const kp_units *u = c ? c->units : NULL;
	const char *canon = u ? kp_units_resolve(u, unit) : NULL;
	size_t n = t->nnodes;

	memset(g, 0, sizeof(*g));
	g->t = t;
	g->sc = sc;
	g->c = c;
	g->r = r;
	g->want = !(flags & KP_SCORE_TOTALS);
	g->eval = kp_eng_eval;
	g->canon = canon ? canon : unit;
	g->tags = (u && canon && kp_units_tags(u, canon)) ?
			  kp_units_tags(u, canon) : "";
	r->unit = kp_xstrdup(g->canon);
	r->unit_type = kp_xstrdup((u && canon && kp_units_type(u, canon)) ?
					  kp_units_type(u, canon) : "");
	r->table_id = kp_xstrdup(sc->id ? sc->id : "");
	r->title = kp_xstrdup(sc->title ? sc->title : "");
	r->outcome = kp_xstrdup("");
	r->max = r->base = r->bonus = r->total = r->self_total =
		r->converted = kp_num_int(0);
	r->nnodes = n;
	r->nodes = kp_xcalloc(n ? n : 1, sizeof(*r->nodes));
	g->val = kp_xcalloc(n ? n : 1, sizeof(*g->val));
	g->touched = kp_xcalloc(n ? n : 1, sizeof(bool));
	g->pending = kp_xcalloc(n ? n : 1, sizeof(bool));
	g->vetoed = kp_xcalloc(n ? n : 1, sizeof(bool));
	g->assessed = kp_xcalloc(n ? n : 1, sizeof(bool));
	g->head = kp_xmalloc((n ? n : 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		g->head[i] = NONE;
}

/* Free what eng_begin and resolve_facts allocated (not the result). */
static void eng_end(eng *g)
{
	free(g->val);
	free(g->touched);
	free(g->pending);
	free(g->vetoed);
	free(g->assessed);
	free(g->f);
	free(g->tgt);
	free(g->tin);
	free(g->tix);
	free(g->head);
	free(g->next);
}

/* Only the facts that count go on (kp_fact_fates: replaced by a later
 * batch or inspection, or withdrawn, they move nothing; --explain names
 * them from the round's history). */
static void drop_superseded(eng *g)
{
	size_t *by = kp_xmalloc((g->nf ? g->nf : 1) * sizeof(*by)), m = 0;
	kp_fact_fates((const kp_fact *const *)g->f, g->nf, by);
	for (size_t k = 0; k < g->nf; k++)
		if (by[k] == KP_FACT_COUNTS) {
			g->f[m] = g->f[k];
			g->tgt[m] = g->tgt[k];
			g->tin[m] = g->tin[k];
			g->tix[m] = g->tix[k];
			m++;
		}
	g->nf = m;
	free(by);
}

/* The unit's facts that point somewhere, each resolved once, and each
 * node's facts in order (linked from the last back). */
static void resolve_facts(eng *g, const kp_facts *fs)
{
	const kp_table *t = g->t;
	const kp_scorer *sc = g->sc;
	g->f = kp_xcalloc(fs->n ? fs->n : 1, sizeof(*g->f));
	g->tgt = kp_xcalloc(fs->n ? fs->n : 1, sizeof(*g->tgt));
	g->tin = kp_xcalloc(fs->n ? fs->n : 1, sizeof(*g->tin));
	g->tix = kp_xcalloc(fs->n ? fs->n : 1, sizeof(size_t));
	g->next = kp_xcalloc(fs->n ? fs->n : 1, sizeof(size_t));
	for (size_t k = 0, hint = NONE; k < fs->n; k++) {
		const kp_table *in = t;
		const kp_node *nd = NULL;
		size_t ix;
		if (!fact_for_unit(g, &fs->v[k]))
			continue;
		if (kp_fact_whole_unit(&fs->v[k])) {
			if (kp_source_counts(fs->v[k].source))
				g->unit_assessed = true;
			continue;
		}
		ix = kp_eng_lookup(sc, fs->v[k].indicator, hint);
		if (ix != NONE) {
			nd = t->nodes[ix];
			hint = ix;
		} else {
			nd = kp_fact_target(t, g->c, fs->v[k].indicator, &in);
		}
		if (!nd) {
			g->record = g->want;
			kp_reason *rr = RREASON(g, NULL, "",
						"忽略：指标“%s”不在本表中",
						fs->v[k].indicator);
			kp_eng_cite(rr, &fs->v[k]);
			g->record = false;
			continue;
		}
		g->f[g->nf] = &fs->v[k];
		g->tgt[g->nf] = nd;
		g->tin[g->nf] = in;
		g->tix[g->nf] = in == t ? (ix != NONE ? ix : kp_eng_index_of(sc, nd))
					: NONE;
		g->nf++;
	}
	drop_superseded(g);
	for (size_t k = g->nf; k-- > 0;)
		if (g->tix[k] != NONE) {
			g->next[k] = g->head[g->tix[k]];
			g->head[g->tix[k]] = k;
		}
}

/* Which nodes an assessed fact covers: its node and the subtree below
 * (or every node, for the whole unit). */
static void set_assessed(eng *g)
{
	const kp_table *t = g->t;
	for (size_t k = 0; k < g->nf; k++)
		if (g->f[k]->kind == KP_FACT_ASSESSED &&
		    kp_source_counts(g->f[k]->source) && g->tix[k] != NONE)
			g->assessed[g->tix[k]] = true;
	for (size_t i = 0; i < t->nnodes; i++) {
		bool a = g->unit_assessed;
		for (size_t p = i; !a && p != NONE; p = PARENT(g, p))
			a = g->assessed[p];
		g->assessed[i] = a;
	}
}

/* Applicable nodes still pending with no pending applicable child: what
 * a unit still lacks. */
static size_t count_pending(const eng *g)
{
	const kp_result *r = g->r;
	size_t n = 0;
	for (size_t i = 0; i < r->nnodes; i++) {
		const kp_rnode *rn = &r->nodes[i];
		bool kid = false;
		if (!rn->applies || !rn->pending)
			continue;
		for (size_t c = 0; c < rn->node->nchildren && !kid; c++) {
			const kp_rnode *ch = &r->nodes[KID(g, i, c)];
			kid = ch->applies && ch->pending;
		}
		n += !kid;
	}
	return n;
}

/* Whether the scheme put the unit on a table none of whose first-level
 * indicators applies to it by the applies column (kp_score_ctx.admit):
 * then they all do. */
static bool admitted_by_scheme(const eng *g)
{
	if (!g->c || !g->c->admit)
		return false;
	for (size_t i = 0; i < g->t->nnodes; i++)
		if (PARENT(g, i) == NONE &&
		    kp_eng_applies(g, g->t->nodes[i]->text[KP_T_APPLIES]))
			return false;
	return true;
}

/* Which nodes apply: the applies column, then counting na facts; then
 * each node's maximum. */
static void set_applies(eng *g)
{
	const kp_table *t = g->t;
	kp_result *r = g->r;
	bool all_apply = true;
	/* a table scoped to a quota table's units (#meta,scope) assesses
	 * no other unit: nothing of it applies */
	bool in_scope = !g->c || kp_score_in_scope(t, g->c, g->canon);
	bool admitted = admitted_by_scheme(g);
	for (size_t i = 0; i < t->nnodes; i++) {
		const kp_node *nd = t->nodes[i];
		kp_rnode *rn = &r->nodes[i];
		bool top = PARENT(g, i) == NONE;
		bool par = top ? in_scope : r->nodes[PARENT(g, i)].applies;
		rn->node = nd;
		rn->applies = par && ((top && admitted) ||
				      kp_eng_applies(g, nd->text[KP_T_APPLIES]));
		FOR_NODE_FACTS(g, i, k)
			if (g->f[k]->kind == KP_FACT_NA &&
			    kp_source_counts(g->f[k]->source))
				rn->applies = false;
		all_apply &= rn->applies;
	}
	if (all_apply && g->sc->max_all)
		for (size_t i = 0; i < t->nnodes; i++)
			r->nodes[i].max = g->sc->max_all[i];
	else
		kp_eng_maxima(g);
}

/* Why node i does not apply (after the counting pass). */
static void na_reason(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_result *r = g->r;
	kp_rnode *rn = &r->nodes[i];
	bool par = PARENT(g, i) != NONE && !r->nodes[PARENT(g, i)].applies;
	bool by_text = !par && !kp_eng_applies(g, nd->text[KP_T_APPLIES]) &&
		       !(PARENT(g, i) == NONE && admitted_by_scheme(g));
	bool scope = !par && g->c && !kp_score_in_scope(g->t, g->c, g->canon);
	g->record = true;
	if (par)
		NREASON(g, i, NULL, "", "上级指标不适用，本项不计分");
	else if (scope)
		NREASON(g, i, NULL, "",
			"本表只考核任务分配表所列单位（%s），本单位不在其中，不计分",
			kp_table_get(g->t, "scope"));
	else if (by_text)
		NREASON(g, i, NULL, "",
			"不适用本单位（适用范围：%s；本单位%s%s），不计分",
			nd->text[KP_T_APPLIES],
			*r->unit_type ? "类型" : "类型未知", r->unit_type);
	else
		NREASON(g, i, NULL, "", "不适用本单位（据不适用事实），不计分");
	FOR_NODE_FACTS(g, i, k)
		if (g->f[k]->kind == KP_FACT_NA &&
		    kp_source_counts(g->f[k]->source))
			kp_eng_cite(rn->reasons + rn->nreasons - 1, g->f[k]);
}

/* The counting pass's values into the result; reasons for the rows that
 * do not apply, and for rows no rule looked at. */
static void take_counting(eng *g)
{
	const kp_table *t = g->t;
	kp_result *r = g->r;
	for (size_t i = 0; i < t->nnodes; i++) {
		kp_rnode *rn = &r->nodes[i];
		rn->has_assessor = g->touched[i];
		rn->assessor = g->val[i];
		rn->score = g->val[i];
		rn->pending = g->pending[i];
		rn->vetoed = g->vetoed[i];
		if (!rn->applies && g->want)
			na_reason(g, i);
	}
	g->record = g->want;
	/* a row no rule looked at (say, a judged row under a deduct node)
	 * still gets its line */
	for (size_t i = 0; g->record && i < t->nnodes; i++)
		if (!r->nodes[i].nreasons)
			NREASON(g, i, NULL, "", "本行不单独计分（由上级“%s”的%s规则决定）",
				t->nodes[i]->parent ? t->nodes[i]->parent->name : "",
				t->nodes[i]->parent ?
					kp_rule_label(t->nodes[i]->parent->rule) : "");
}

/* An evaluation-scope veto: every scored row counts 0. */
static void veto_all(eng *g, const totals *cnt)
{
	const kp_table *t = g->t;
	for (size_t i = 0; i < t->nnodes; i++) {
		kp_rnode *rn = &g->r->nodes[i];
		if (!rn->applies || t->nodes[i]->rule == KP_RULE_VETO ||
		    t->nodes[i]->rule == KP_RULE_MINUS ||
		    kp_num_is_zero(rn->score))
			continue;
		kp_num z = kp_num_int(0);
		NREASON(g, i, &z, cnt->ev_veto_node->name,
			"整项考核一票否决，本项按0分计（否决前%s分）",
			kp_eng_fmtn(rn->score));
		rn->score = z;
		rn->vetoed = true;
	}
}

int kp_scorer_unit(const kp_scorer *sc, const kp_score_ctx *c,
		   const char *unit, const kp_facts *fs, int flags,
		   kp_result **out, kp_err *e)
{
	eng g;
	kp_result *r;
	size_t n = sc->t->nnodes;
	totals self, cnt;
	const char *oc_self, *oc;

	*out = NULL;
	eng_begin(&g, sc, c, unit, flags);
	r = g.r;
	resolve_facts(&g, fs);
	set_applies(&g);
	set_assessed(&g);

	/* self pass (no reasons), then the counting pass */
	run_pass(&g, false, &self);
	for (size_t i = 0; i < n; i++) {
		r->nodes[i].has_self = g.touched[i];
		r->nodes[i].self = g.val[i];
	}
	g.record = false;
	kp_num st = finish(&g, &self, sc->declared, sc->has_declared, &oc_self);
	r->has_self = self.any;
	r->self_total = st;

	run_pass(&g, true, &cnt);
	take_counting(&g);
	r->base = cnt.base;
	r->total = finish(&g, &cnt, sc->declared, sc->has_declared, &oc);
	r->max = cnt.max;
	r->bonus = cnt.bonus;
	r->vetoed = cnt.ev_veto;
	free(r->outcome);
	r->outcome = kp_xstrdup(oc);
	if (cnt.ev_veto)
		veto_all(&g, &cnt);
	convert(&g, r, &cnt);
	/* a veto that fixes the result (evaluation scope, or a deduction
	 * from the total) leaves nothing for the pending rows to change */
	r->pending = cnt.ev_veto || cnt.res_veto_node ? 0 : count_pending(&g);
	if (r->pending && g.want) {
		kp_buf b = KP_BUF_INIT;
		char t2[32];
		kp_buf_addf(&b, "未完成：%zu 项未评，合计%s分为暂计分数", r->pending,
			    kp_num_fmt2(r->total, t2));
		g.record = true;
		RREASON(&g, NULL, "", "%s", b.data);
		kp_buf_release(&b);
	}
	eng_end(&g);
	if (g.overflow) {
		kp_result_free(r);
		return kp_fail(e, KP_EINPUT, "%s: 计算溢出（分值或数量过大）",
			       kp_table_id(sc->t) ? kp_table_id(sc->t) : "?");
	}
	*out = r;
	return 0;
}

static void reasons_free(kp_reason *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].what);
		for (size_t k = 0; k < v[i].nfacts; k++)
			kp_fact_release(&v[i].facts[k]);
		free(v[i].facts);
	}
	free(v);
}

void kp_result_free(kp_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nnodes; i++)
		reasons_free(r->nodes[i].reasons, r->nodes[i].nreasons);
	reasons_free(r->reasons, r->nreasons);
	free(r->nodes);
	free(r->unit);
	free(r->unit_type);
	free(r->table_id);
	free(r->title);
	free(r->outcome);
	free(r->convert);
	free(r);
}

const kp_rnode *kp_result_find(const kp_result *r, const char *code_or_path)
{
	for (size_t i = 0; i < r->nnodes; i++)
		if (!strcmp(r->nodes[i].node->code, code_or_path))
			return &r->nodes[i];
	for (size_t i = 0; i < r->nnodes; i++)
		if (!strcmp(r->nodes[i].node->path, code_or_path))
			return &r->nodes[i];
	return NULL;
}
