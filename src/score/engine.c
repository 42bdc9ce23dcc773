/* score/engine.c — the scoring engine: applicability, every rule kind,
 * vetoes, rescaling, bonus, grade bands and conversion.  Two passes over
 * the table: 自评 facts alone (the self column), then the counting facts
 * (考核/检测/台账), which alone write reasons.  See score.h for the
 * contract and docs/scoring.md for each rule in Chinese. */
#include "score/score_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers --------------------------------------------------- */

/* A table indexed for scoring (see kp_scorer_new): node indices by
 * code, by path and by node, and each node's parent and children as
 * indices, so that scoring a unit never scans the table. */
#define NONE ((size_t)-1)

typedef struct spelling {
	const char *s;
	size_t i;
} spelling;

typedef struct byptr {
	uintptr_t p;
	size_t i;
} byptr;

struct kp_scorer {
	const kp_table *t;
	size_t n;
	spelling *code, *path;     /* sorted by strcmp */
	byptr *ptr;                /* sorted by address */
	size_t *parent;            /* NONE for roots */
	size_t *kid0;              /* node i's children: kid[kid0[i] + c] */
	size_t *kid;
	size_t *root;              /* t->roots as indices */
	bool *code_first;          /* node i is the first with its code */
	/* the table's #meta, read once */
	const char *id, *title, *rescale, *pass, *above, *convert;
	kp_num declared;
	bool has_declared;
	/* each node's maximum when every node applies (the usual case),
	 * or NULL (computing them overflowed: done per unit, and fails) */
	kp_num *max_all;
};

typedef struct eng {
	const kp_table *t;
	const kp_scorer *sc;
	const kp_score_ctx *c;
	kp_result *r;
	const char *canon;         /* the unit as the registry names it */
	const char *tags;          /* registry tags, "" */
	/* the unit's facts and where each points */
	const kp_fact **f;
	const kp_node **tgt;
	const kp_table **tin;
	size_t nf;
	size_t *tix;               /* index of tgt[k] in t, NONE elsewhere */
	size_t *head, *next;       /* facts on node i of t: head[i], next[k] … */
	bool want;                 /* reasons wanted (not KP_SCORE_TOTALS) */
	/* per pass */
	bool counting;             /* true: 考核/检测/台账; false: 自评 */
	bool record;               /* write reasons (want, counting pass) */
	kp_num *val;
	bool *touched, *pending, *vetoed;
	bool ev_veto;              /* evaluation veto in this pass */
	const kp_node *ev_veto_node;
	kp_num res_deduct;         /* result veto: the largest deduct:N */
	const kp_node *res_veto_node;
	bool overflow;
} eng;

static kp_num n_add(eng *g, kp_num a, kp_num b)
{
	kp_num r = a;
	/* adding 0 (pending rows, empty sums) is common: skip the
	 * reduction (values are kept reduced, so this changes nothing) */
	if (b.n == 0 && b.d > 0)
		return a;
	if (a.n == 0 && a.d > 0)
		return b;
	if (kp_num_add(a, b, &r) < 0)
		g->overflow = true;
	return r;
}

static kp_num n_sub(eng *g, kp_num a, kp_num b)
{
	kp_num r = a;
	if (kp_num_sub(a, b, &r) < 0)
		g->overflow = true;
	return r;
}

static kp_num n_mul(eng *g, kp_num a, kp_num b)
{
	kp_num r = a;
	if (kp_num_mul(a, b, &r) < 0)
		g->overflow = true;
	return r;
}

static kp_num n_div(eng *g, kp_num a, kp_num b)
{
	kp_num r = kp_num_int(0);
	if (kp_num_div(a, b, &r) < 0)
		g->overflow = true;
	return r;
}

static kp_num n_min(kp_num a, kp_num b)
{
	return kp_num_cmp(a, b) <= 0 ? a : b;
}

/* Child c of node i, and the parent of node i, as indices. */
#define KID(g, i, c) ((g)->sc->kid[(g)->sc->kid0[i] + (c)])
#define PARENT(g, i) ((g)->sc->parent[i])

static bool fact_in_pass(const eng *g, const kp_fact *f)
{
	return kp_source_counts(f->source) == g->counting;
}

/* Whether fn holds for some item of a "、"/","-separated list. */
static bool list_any(const char *list, bool (*fn)(const void *, const char *),
		     const void *arg)
{
	char *copy = kp_xstrdup(list), *cur = copy, *item;
	bool hit = false;
	while (!hit && (item = kp_list_next(&cur)))
		hit = fn(arg, item);
	free(copy);
	return hit;
}

static bool eq_str(const void *a, const char *s)
{
	return !strcmp((const char *)a, s);
}

/* ---- applicability --------------------------------------------------- */

typedef struct app {
	const eng *g;
	bool any_pos, pos_hit, neg_hit;
} app;

static bool names_unit(const eng *g, const char *s)
{
	const kp_units *u = g->c ? g->c->units : NULL;
	const char *type = u ? kp_units_type(u, g->canon) : NULL;
	const char *res = u ? kp_units_resolve(u, s) : NULL;
	if (!strcmp(s, g->canon) || (res && !strcmp(res, g->canon)))
		return true;
	if (type && !strcmp(type, s))
		return true;
	return list_any(g->tags, eq_str, s);
}

static bool app_item(const void *arg, const char *s)
{
	app *a = (app *)arg;
	if (*s == '!') {
		if (names_unit(a->g, s + 1))
			a->neg_hit = true;
	} else {
		a->any_pos = true;
		if (names_unit(a->g, s))
			a->pos_hit = true;
	}
	return false;
}

static bool applies_text(const eng *g, const char *text)
{
	app a = { g, false, false, false };
	if (!*text)
		return true;
	list_any(text, app_item, &a);
	return !a.neg_hit && (!a.any_pos || a.pos_hit);
}

/* ---- reasons --------------------------------------------------------- */

static kp_reason *add_reason(eng *g, kp_reason **v, size_t *n,
			     const kp_num *delta, const char *what,
			     const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static kp_reason *add_reason(eng *g, kp_reason **v, size_t *n,
			     const kp_num *delta, const char *what,
			     const char *fmt, ...)
{
	kp_reason *r;
	kp_buf b = KP_BUF_INIT;
	va_list ap;
	if (!g->record)
		return NULL;
	*v = kp_xrealloc(*v, (*n + 1) * sizeof(**v));
	r = &(*v)[(*n)++];
	memset(r, 0, sizeof(*r));
	r->delta = kp_num_int(0);   /* never {0, 0}: a valid zero */
	if (delta) {
		r->delta = *delta;
		r->has_delta = true;
	}
	va_start(ap, fmt);
	kp_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r->text = b.data ? kp_buf_detach(&b) : kp_xstrdup("");
	r->what = kp_xstrdup(what ? what : "");
	return r;
}

static void reason_fact(kp_reason *r, const kp_fact *f)
{
	if (!r)
		return;
	r->facts = kp_xrealloc(r->facts, (r->nfacts + 1) * sizeof(*r->facts));
	kp_fact_copy(&r->facts[r->nfacts++], f);
}

/* A reason on node i, or on the result; nothing (and the arguments are
 * not even formatted) when the pass does not record. */
#define NREASON(g, i, delta, what, ...)                                     \
	((g)->record ? add_reason((g), &(g)->r->nodes[i].reasons,            \
				  &(g)->r->nodes[i].nreasons, (delta),       \
				  (what), __VA_ARGS__)                       \
		     : (kp_reason *)NULL)
#define RREASON(g, delta, what, ...)                                        \
	((g)->record ? add_reason((g), &(g)->r->reasons, &(g)->r->nreasons,  \
				  (delta), (what), __VA_ARGS__)              \
		     : (kp_reason *)NULL)

/* Facts on node i of t, in order (all passes). */
#define FOR_NODE_FACTS(g, i, k)                                            \
	for (size_t k = (g)->head[i]; k != NONE; k = (g)->next[k])

/* Facts of the current pass on node i of t, in order. */
#define FOR_FACTS(g, i, k)                                                 \
	FOR_NODE_FACTS(g, i, k)                                            \
		if (fact_in_pass((g), (g)->f[k]))

/* ---- maxima ---------------------------------------------------------- */

static bool counts_in_sum(const kp_node *n)
{
	return kp_rule_has(n->rule, KP_RF_COUNTS);
}

/* Effective maxima, bottom-up (children come after parents in file
 * order, so walk backwards). */
static void set_maxima(eng *g)
{
	kp_result *r = g->r;
	const kp_table *t = g->t;
	for (size_t k = t->nnodes; k-- > 0;) {
		const kp_node *nd = t->nodes[k];
		kp_rnode *rn = &r->nodes[k];
		kp_num m = kp_num_int(0);
		rn->max = m;
		if (!rn->applies || nd->rule == KP_RULE_VETO ||
		    nd->rule == KP_RULE_MINUS || nd->rule == KP_RULE_ITEM)
			continue;
		if (nd->rule == KP_RULE_SHARE && nd->has_points) {
			/* all applicable items share the points */
			bool any = false;
			for (size_t i = 0; i < nd->nchildren; i++)
				any |= r->nodes[KID(g, k, i)].applies;
			rn->max = any ? nd->points : m;
			/* redistribute among applicable items */
			int64_t n = 0;
			for (size_t i = 0; i < nd->nchildren; i++)
				if (counts_in_sum(nd->children[i]) &&
				    r->nodes[KID(g, k, i)].applies)
					n++;
			for (size_t i = 0; n && i < nd->nchildren; i++) {
				kp_rnode *c = &r->nodes[KID(g, k, i)];
				if (c->applies && counts_in_sum(nd->children[i]) &&
				    !nd->children[i]->has_points)
					c->max = n_div(g, nd->points,
						       kp_num_int(n));
			}
			continue;
		}
		if (nd->nchildren && (nd->rule == KP_RULE_SUM ||
				      nd->rule == KP_RULE_BONUS)) {
			bool all = true;
			for (size_t i = 0; i < nd->nchildren; i++) {
				const kp_node *ch = nd->children[i];
				kp_rnode *c = &r->nodes[KID(g, k, i)];
				if (!counts_in_sum(ch) && ch->rule != KP_RULE_BONUS)
					continue;
				if (!c->applies)
					all = false;
				m = n_add(g, m, c->max);
			}
			rn->max = (all && nd->has_points) ? nd->points : m;
			continue;
		}
		if (nd->has_points)
			rn->max = nd->points;
		else if (kp_node_max(nd, &m) == 0)
			rn->max = m;
	}
}

/* ---- the rules ------------------------------------------------------- */

static kp_num eval_node(eng *g, size_t i);

/* Numbers for messages: a ring of buffers, so one printf may format
 * several (thread-local: the engine keeps no shared state). */
static _Thread_local char ring[16][32];
static _Thread_local unsigned ring_next;

static const char *fmtn(kp_num v)
{
	return kp_num_str(v, ring[ring_next++ % 16]);
}

/* Exact: "2.5", or "4/3" when the decimal does not terminate. */
static const char *fmtq(kp_num v)
{
	int64_t d = v.d;
	while (d % 2 == 0)
		d /= 2;
	while (d % 5 == 0)
		d /= 5;
	if (d == 1)
		return fmtn(v);
	char *b = ring[ring_next++ % 16];
	snprintf(b, 32, "%lld/%lld", (long long)v.n, (long long)v.d);
	return b;
}

static const char *fmt2(kp_num v)
{
	return kp_num_fmt2(v, ring[ring_next++ % 16]);
}

/* The last score fact of the pass on nd, or NULL; *n counts them. */
static const kp_fact *last_score(eng *g, size_t i, size_t *n)
{
	const kp_fact *last = NULL;
	*n = 0;
	FOR_FACTS(g, i, k)
		if (g->f[k]->kind == KP_FACT_SCORE) {
			last = g->f[k];
			(*n)++;
		}
	return last;
}

static kp_num rule_judged(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_rnode *rn = &g->r->nodes[i];
	size_t n;
	const kp_fact *f = last_score(g, i, &n);
	bool failed = false;
	FOR_FACTS(g, i, k)
		if (g->f[k]->kind == KP_FACT_FAIL) {
			failed = true;
			if (!f) {
				kp_num z = kp_num_int(0);
				kp_reason *r = NREASON(g, i, &z, "",
						       "不得分（%s）",
						       kp_rule_label(nd->rule));
				reason_fact(r, g->f[k]);
			}
		}
	if (!f) {
		if (failed)
			return kp_num_int(0);
		g->pending[i] = true;
		NREASON(g, i, NULL, "", "未评分，暂计0分（满分%s，%s）",
			fmtn(rn->max), kp_rule_label(nd->rule));
		return kp_num_int(0);
	}
	kp_num v = n_min(f->value, rn->max);
	kp_reason *r;
	if (nd->rule == KP_RULE_BINARY)
		r = NREASON(g, i, &v, "", "%s", kp_num_is_zero(v) ?
			    "不得分（全有或全无）" : "得满分（全有或全无）");
	else if (kp_num_cmp(f->value, rn->max) > 0)
		r = NREASON(g, i, &v, "", "评分%s超过满分，按%s计",
			    fmtn(f->value), fmtn(rn->max));
	else
		r = NREASON(g, i, &v, "", "评分%s分（满分%s）", fmtn(v),
			    fmtn(rn->max));
	reason_fact(r, f);
	if (n > 1 && r) {
		char *old = r->text;
		kp_buf bb = KP_BUF_INIT;
		kp_buf_addf(&bb, "%s；共%zu条评分，以最后一条为准", old, n);
		r->text = kp_buf_detach(&bb);
		free(old);
	}
	return v;
}

/* Occurrences of a minus-like node: its fail facts (value = times), and
 * its when= condition from quantity facts on it or on its parent. */
static kp_num occurrences(eng *g, size_t i, const kp_fact ***why,
			  size_t *nwhy)
{
	const kp_node *nd = g->t->nodes[i];
	kp_num k = kp_num_int(0);
	const kp_rule_args *a = &nd->args;
	*nwhy = 0;
	*why = NULL;
	FOR_FACTS(g, i, j)
		if (g->f[j]->kind == KP_FACT_FAIL) {
			k = n_add(g, k, g->f[j]->value);
			*why = kp_xrealloc(*why, (*nwhy + 1) * sizeof(**why));
			(*why)[(*nwhy)++] = g->f[j];
		}
	if (a->when && *a->when) {
		/* the quantity's name, as the engine always read it: at
		 * most 63 bytes */
		size_t len = a->when_len < 63 ? a->when_len : 63;
		kp_num thr = a->when_below ? a->when_at : kp_num_int(0);
		bool below = a->when_below;
		for (size_t j = 0; j < g->nf; j++) {
			const kp_fact *f = g->f[j];
			if (!fact_in_pass(g, f) || f->kind != KP_FACT_QUANTITY ||
			    strlen(f->name) != len ||
			    memcmp(f->name, a->when, len) ||
			    (g->tgt[j] != nd && g->tgt[j] != nd->parent))
				continue;
			if (below ? kp_num_cmp(f->value, thr) < 0
				  : f->value.n > 0) {
				k = n_add(g, k, below ? kp_num_int(1) : f->value);
				*why = kp_xrealloc(*why,
						   (*nwhy + 1) * sizeof(**why));
				(*why)[(*nwhy)++] = f;
			}
		}
	}
	return k;
}

/* The deduction a minus node (or a deduct node's own params) makes:
 * recursion for groups; reasons on the minus row. parent_max is the
 * deduct node's points (for amount=all). */
static kp_num minus_amount(eng *g, size_t i, kp_num parent_max,
			   const kp_fact ***why, size_t *nwhy)
{
	const kp_node *nd = g->t->nodes[i];
	const kp_rule_args *pa = &nd->args;
	bool each = pa->each;
	kp_num d = kp_num_int(0), cap = pa->max_num, k, a = kp_num_int(0);
	bool capped = false;
	*why = NULL;
	*nwhy = 0;
	if (nd->rule == KP_RULE_MINUS && nd->nchildren) {
		/* a group: the sum of its sub-items, capped by max */
		for (size_t c = 0; c < nd->nchildren; c++) {
			size_t ci = KID(g, i, c);
			const kp_fact **w;
			size_t nw;
			kp_num dc;
			if (nd->children[c]->rule != KP_RULE_MINUS ||
			    !g->r->nodes[ci].applies)
				continue;
			dc = minus_amount(g, ci, parent_max, &w, &nw);
			g->val[ci] = n_sub(g, kp_num_int(0), dc);
			d = n_add(g, d, dc);
			if (nw) {
				*why = kp_xrealloc(*why, (*nwhy + nw) *
							   sizeof(**why));
				memcpy(*why + *nwhy, w, nw * sizeof(*w));
				*nwhy += nw;
			}
			free(w);
		}
		if (pa->has_max && kp_num_cmp(d, cap) > 0) {
			NREASON(g, i, NULL, "", "本组扣分%s超过上限%s，按%s计",
				fmtn(d), fmtn(cap), fmtn(cap));
			d = cap;
		}
		if (kp_num_is_zero(d))
			NREASON(g, i, NULL, "", "未扣分");
		else {
			kp_num neg = n_sub(g, kp_num_int(0), d);
			NREASON(g, i, &neg, "", "本组共扣%s分", fmtn(d));
		}
		return d;
	}
	k = occurrences(g, i, why, nwhy);
	if (kp_num_is_zero(k)) {
		if (nd->rule == KP_RULE_MINUS)
			NREASON(g, i, NULL, "", "未扣分");
		return d;
	}
	if (pa->amount_all) {
		d = parent_max;
	} else {
		a = pa->has_amount_num ? pa->amount_num : kp_num_int(0);
		d = each ? n_mul(g, a, k) : a;
	}
	if (pa->has_max && kp_num_cmp(d, cap) > 0) {
		d = cap;
		capped = true;
	}
	if (nd->rule == KP_RULE_MINUS) {
		kp_num neg = n_sub(g, kp_num_int(0), d);
		kp_reason *r;
		if (pa->amount_all)
			r = NREASON(g, i, &neg, "", "触发，本项不得分（扣%s分）",
				    fmtn(d));
		else if (each && kp_num_cmp(k, kp_num_int(1)) > 0)
			r = NREASON(g, i, &neg, "", "扣%s分（每次%s分×%s次%s）",
				    fmtn(d), fmtn(a), fmtn(k),
				    capped ? "，达上限" : "");
		else
			r = NREASON(g, i, &neg, "", "扣%s分%s", fmtn(d),
				    capped ? "（达上限）" : "");
		for (size_t j = 0; j < *nwhy; j++)
			reason_fact(r, (*why)[j]);
	}
	return d;
}

static kp_num rule_deduct(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_rnode *rn = &g->r->nodes[i];
	kp_num total = kp_num_int(0), v;
	bool any = false;
	const kp_node *node_veto = NULL;
	/* the node's own params: an implicit sub-item */
	if (nd->args.amount) {
		const kp_fact **w;
		size_t nw;
		bool each = nd->args.each;
		kp_num d = minus_amount(g, i, rn->max, &w, &nw);
		if (!kp_num_is_zero(d)) {
			kp_num neg = n_sub(g, kp_num_int(0), d);
			kp_num k = kp_num_int(0), a = kp_num_int(0);
			kp_reason *r;
			for (size_t j = 0; j < nw; j++)
				k = n_add(g, k, w[j]->kind == KP_FACT_FAIL ?
						       w[j]->value : kp_num_int(1));
			if (nd->args.has_amount_num)
				a = nd->args.amount_num;
			if (nd->args.amount_all)
				r = NREASON(g, i, &neg, nd->text[KP_T_CRITERIA],
					    "不得分（扣%s分）", fmtn(d));
			else if (each && nd->args.has_amount_num &&
				 kp_num_cmp(k, kp_num_int(1)) > 0)
				r = NREASON(g, i, &neg, nd->text[KP_T_CRITERIA],
					    "扣%s分（每项%s分×%s项%s）",
					    fmtn(d), fmtn(a),
					    fmtn(k),
					    nd->args.max ? "，按上限" : "");
			else
				r = NREASON(g, i, &neg, nd->text[KP_T_CRITERIA],
					    "扣%s分", fmtn(d));
			for (size_t j = 0; j < nw; j++)
				reason_fact(r, w[j]);
			total = n_add(g, total, d);
			any = true;
		}
		free(w);
	}
	for (size_t c = 0; c < nd->nchildren; c++) {
		const kp_node *ch = nd->children[c];
		size_t ci = KID(g, i, c);
		const kp_fact **w;
		size_t nw;
		kp_num d;
		if (ch->rule != KP_RULE_MINUS) {
			if (ch->rule == KP_RULE_VETO && g->r->nodes[ci].applies) {
				eval_node(g, ci);
				if (g->vetoed[ci] &&
				    ch->args.scope == KP_VETO_NODE)
					node_veto = ch;
			}
			continue;
		}
		if (!g->r->nodes[ci].applies)
			continue;
		d = minus_amount(g, ci, rn->max, &w, &nw);
		g->val[ci] = n_sub(g, kp_num_int(0), d);
		if (!kp_num_is_zero(d)) {
			kp_num neg = n_sub(g, kp_num_int(0), d);
			kp_reason *r = NREASON(g, i, &neg, ch->name, "扣%s分",
					       fmtn(d));
			for (size_t j = 0; j < nw; j++)
				reason_fact(r, w[j]);
			total = n_add(g, total, d);
			any = true;
		}
		free(w);
	}
	if (node_veto) {
		kp_num z = kp_num_int(0);
		NREASON(g, i, &z, node_veto->name, "一票否决，本项计0分");
		g->vetoed[i] = true;
		return z;
	}
	if (!any) {
		NREASON(g, i, NULL, "", "无扣分事实，得满分%s分（倒扣分法）",
			fmtn(rn->max));
		return rn->max;
	}
	if (kp_num_cmp(total, rn->max) > 0) {
		NREASON(g, i, NULL, "", "扣分合计%s超过分值%s，按0分计（最低0分）",
			fmtn(total), fmtn(rn->max));
		return kp_num_int(0);
	}
	v = n_sub(g, rn->max, total);
	return v;
}

/* One quota part of a tiered node. */
typedef struct part {
	char name[32];
	kp_num max;
	bool has_quota;
	kp_num quota;
	const kp_fact *quota_fact;
	bool has_actual;
	kp_num actual;
	const kp_fact **actual_facts;
	size_t nactual;
} part;

static const char *part_label(const char *name)
{
	if (!strcmp(name, "city"))
		return "市级";
	if (!strcmp(name, "province"))
		return "省级";
	return name;
}

/* Quota of the unit in the quota table, column col. */
static bool quota_lookup(eng *g, const kp_table *q, const char *col,
			 kp_num *out)
{
	const kp_units *u = g->c ? g->c->units : NULL;
	for (size_t r = 0; q && r < q->nrecs; r++) {
		const char *name = kp_record_cell(q, r, "unit");
		const char *res = u ? kp_units_resolve(u, name) : NULL;
		if (strcmp(name, g->canon) && !(res && !strcmp(res, g->canon)))
			continue;
		return kp_num_parse(kp_record_cell(q, r, col), out) == 0;
	}
	return false;
}

static kp_num rule_tiered(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_rnode *rn = &g->r->nodes[i];
	const kp_rule_args *a = &nd->args;
	const char *split = a->split_text;
	const char *qid = a->quota;
	bool deducted = a->deducted;
	const kp_table *q = qid ? kp_score_ctx_table(g->c, qid) : NULL;
	part parts[4];
	size_t np = 0, nq = 0;
	kp_num total = kp_num_int(0);
	bool any_actual = false;

	memset(parts, 0, sizeof(parts));
	for (size_t p = 0; p < 4; p++)
		parts[p].max = parts[p].quota = parts[p].actual =
			kp_num_int(0);
	/* parts from split=city:64,province:16, else one part "total" */
	if (split && *split) {
		for (size_t k = 0; k < a->nsplit && np < 4; k++) {
			int len = (int)a->split[k].len;
			snprintf(parts[np].name, sizeof(parts[np].name), "%.*s",
				 len, a->split[k].name);
			parts[np++].max = a->split[k].max;
		}
	} else {
		snprintf(parts[0].name, sizeof(parts[0].name), "total");
		parts[0].max = rn->max;
		np = 1;
	}
	for (size_t p = 0; p < np; p++) {
		char qn[64], an[64];
		snprintf(qn, sizeof(qn), "%.31s_quota", parts[p].name);
		snprintf(an, sizeof(an), "%.31s_points", parts[p].name);
		if (quota_lookup(g, q, parts[p].name, &parts[p].quota))
			parts[p].has_quota = true;
		/* explicit quota facts (any source: a quota is context) and
		 * actual points of this pass */
		FOR_NODE_FACTS(g, i, k) {
			const kp_fact *f = g->f[k];
			if (f->kind != KP_FACT_QUANTITY)
				continue;
			if (!strcmp(f->name, qn) && kp_source_counts(f->source)) {
				parts[p].quota = f->value;
				parts[p].has_quota = true;
				parts[p].quota_fact = f;
			} else if (!strcmp(f->name, an) && fact_in_pass(g, f)) {
				parts[p].actual = n_add(g, parts[p].has_actual ?
							parts[p].actual :
							kp_num_int(0), f->value);
				parts[p].has_actual = true;
				parts[p].actual_facts = kp_xrealloc(
					parts[p].actual_facts,
					(parts[p].nactual + 1) *
						sizeof(*parts[p].actual_facts));
				parts[p].actual_facts[parts[p].nactual++] = f;
				any_actual = true;
			}
		}
		if (parts[p].has_quota && parts[p].quota.n > 0)
			nq++;
	}
	if (!any_actual) {
		g->pending[i] = true;
		NREASON(g, i, NULL, "", "无采用数据（%s），暂计0分",
			split ? "city_points/province_points" : "total_points");
		goto out;
	}
	if (nq == 0) {
		NREASON(g, i, NULL, "", "本单位无采用任务，无法计算完成率，计0分");
		goto out;
	}
	for (size_t p = 0; p < np; p++) {
		kp_num pm = parts[p].max, ratio, factor = kp_num_int(0);
		kp_num thr_hit = kp_num_int(0), got;
		bool hit = false;
		if (!parts[p].has_quota || parts[p].quota.n <= 0)
			continue;
		if (nq == 1 && np > 1) {
			pm = a->has_single ? a->single : rn->max;
		}
		ratio = n_div(g, parts[p].has_actual ? parts[p].actual :
						       kp_num_int(0),
			      parts[p].quota);
		for (size_t k = 0; k < a->ntiers; k++) {
			kp_num thr = a->tiers[k].at;
			if (kp_num_cmp(ratio, thr) >= 0 &&
			    (!hit || kp_num_cmp(thr, thr_hit) > 0)) {
				hit = true;
				thr_hit = thr;
				factor = a->tiers[k].factor;
			}
		}
		kp_num pct = n_mul(g, ratio, kp_num_int(100));
		kp_num thr_pct = n_mul(g, thr_hit, kp_num_int(100));
		kp_reason *r;
		if (deducted) {
			kp_num ded = hit ? n_mul(g, pm, factor) : pm;
			got = n_sub(g, pm, ded);
			kp_num neg = n_sub(g, kp_num_int(0), ded);
			if (hit)
				r = NREASON(g, i, &got, "",
					    "%s任务%s分，完成%s分（%s%%），达%s%%档扣%s%%：扣%s分，得%s分（满分%s）",
					    part_label(parts[p].name),
					    fmtn(parts[p].quota),
					    fmtn(parts[p].actual),
					    fmt2(pct),
					    fmtn(thr_pct),
					    fmtn(n_mul(g, factor, kp_num_int(100))),
					    fmtn(ded), fmtn(got),
					    fmtn(pm));
			else
				r = NREASON(g, i, &got, "",
					    "%s任务%s分，完成%s分（%s%%），低于最低档：此项%s分扣完",
					    part_label(parts[p].name),
					    fmtn(parts[p].quota),
					    fmtn(parts[p].actual),
					    fmt2(pct), fmtn(pm));
			(void)neg;
		} else {
			got = n_mul(g, pm, factor);
			if (hit)
				r = NREASON(g, i, &got, "",
					    "%s任务%s分，完成%s分（%s%%），达%s%%档得%s%%：%s×%s=%s分",
					    part_label(parts[p].name),
					    fmtn(parts[p].quota),
					    fmtn(parts[p].actual),
					    fmt2(pct),
					    fmtn(thr_pct),
					    fmtn(n_mul(g, factor, kp_num_int(100))),
					    fmtn(pm), fmtn(factor),
					    fmtn(got));
			else
				r = NREASON(g, i, &got, "",
					    "%s任务%s分，完成%s分（%s%%），低于最低档：此项不得分（满分%s）",
					    part_label(parts[p].name),
					    fmtn(parts[p].quota),
					    fmtn(parts[p].actual),
					    fmt2(pct), fmtn(pm));
		}
		for (size_t k = 0; k < parts[p].nactual; k++)
			reason_fact(r, parts[p].actual_facts[k]);
		if (parts[p].quota_fact)
			reason_fact(r, parts[p].quota_fact);
		total = n_add(g, total, got);
	}
out:
	for (size_t p = 0; p < np; p++)
		free(parts[p].actual_facts);
	return n_min(total, rn->max);
}

/* The branch of checklist table l for this unit: a root whose units
 * column or name names it. */
static const kp_node *checklist_branch(eng *g, const kp_table *l)
{
	const kp_units *u = g->c ? g->c->units : NULL;
	for (size_t i = 0; l && i < l->nroots; i++) {
		const kp_node *rt = l->roots[i];
		const char *nm = *rt->text[KP_T_UNITS] ? rt->text[KP_T_UNITS]
						      : rt->name;
		const char *res = u ? kp_units_resolve(u, nm) : NULL;
		if (!strcmp(nm, g->canon) || (res && !strcmp(res, g->canon)))
			return rt;
	}
	return NULL;
}

static void count_items(eng *g, const kp_node *n, int64_t *req, int64_t *ok,
			kp_reason *r)
{
	if (n->rule == KP_RULE_ITEM) {
		bool met = false;
		(*req)++;
		for (size_t k = 0; k < g->nf; k++)
			if (g->tgt[k] == n && fact_in_pass(g, g->f[k])) {
				const kp_fact *f = g->f[k];
				met = f->kind == KP_FACT_SCORE && f->value.n > 0;
				reason_fact(r, f);
			}
		if (met)
			(*ok)++;
	}
	for (size_t i = 0; i < n->nchildren; i++)
		count_items(g, n->children[i], req, ok, r);
}

static kp_num rule_checklist(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_rnode *rn = &g->r->nodes[i];
	const char *lid = nd->args.list;
	const kp_table *l = lid ? kp_score_ctx_table(g->c, lid) : NULL;
	const kp_node *br = checklist_branch(g, l);
	int64_t req = 0, ok = 0;
	bool has_q = false, touched = false;
	kp_num v = kp_num_int(0), sat = kp_num_int(0), need = kp_num_int(0);
	kp_reason *r = NULL;
	kp_reason tmp;
	memset(&tmp, 0, sizeof(tmp));
	/* explicit quantities on the node win */
	FOR_FACTS(g, i, k) {
		const kp_fact *f = g->f[k];
		if (f->kind != KP_FACT_QUANTITY)
			continue;
		if (!strcmp(f->name, "satisfied")) {
			sat = f->value;
			has_q = true;
			reason_fact(&tmp, f);
		} else if (!strcmp(f->name, "required")) {
			need = f->value;
			reason_fact(&tmp, f);
		}
	}
	if (!has_q && br) {
		count_items(g, br, &req, &ok, &tmp);
		sat = kp_num_int(ok);
		need = kp_num_int(req);
		touched = tmp.nfacts > 0;
	} else if (has_q) {
		touched = true;
		if (need.n <= 0 && br) {
			int64_t dummy = 0;
			kp_reason none;
			memset(&none, 0, sizeof(none));
			count_items(g, br, &req, &dummy, &none);
			for (size_t k = 0; k < none.nfacts; k++)
				kp_fact_release(&none.facts[k]);
			free(none.facts);
			need = kp_num_int(req);
		}
	}
	if (need.n <= 0) {
		g->pending[i] = !touched;
		NREASON(g, i, NULL, "",
			"清单表%s中没有本单位的应满足项，计0分",
			lid ? lid : "（未指定）");
	} else {
		if (!touched)
			g->pending[i] = true;
		v = n_div(g, n_mul(g, rn->max, n_min(sat, need)), need);
		r = NREASON(g, i, &v, "",
			    "清单%s：应满足%s项，满足%s项，%s×%s÷%s=%s分%s",
			    lid, fmtn(need), fmtn(sat), fmtn(rn->max),
			    fmtn(sat), fmtn(need), fmtn(v),
			    touched ? "" : "（未检查，暂计0分）");
	}
	if (r) {
		r->facts = tmp.facts;
		r->nfacts = tmp.nfacts;
	} else {
		for (size_t k = 0; k < tmp.nfacts; k++)
			kp_fact_release(&tmp.facts[k]);
		free(tmp.facts);
	}
	return v;
}

static kp_num rule_item(eng *g, size_t i)
{
	const kp_fact *last = NULL;
	FOR_FACTS(g, i, k)
		last = g->f[k];
	if (!last) {
		g->pending[i] = true;
		NREASON(g, i, NULL, "", "不计分要求：未检查");
	} else {
		bool met = last->kind == KP_FACT_SCORE && last->value.n > 0;
		kp_reason *r = NREASON(g, i, NULL, "", "不计分要求：%s",
				       met ? "满足" : "不满足");
		reason_fact(r, last);
	}
	return kp_num_int(0);
}

/* A veto row: triggered by a veto fact of the pass.  Effects are applied
 * by the caller (node scope) or at the evaluation level. */
static bool veto_hit(eng *g, size_t i, const kp_fact **by)
{
	*by = NULL;
	FOR_FACTS(g, i, k)
		if (g->f[k]->kind == KP_FACT_VETO)
			*by = g->f[k];
	return *by != NULL;
}

static kp_num rule_veto(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_veto_scope scope = nd->args.scope;
	const char *outcome = nd->args.outcome;
	const kp_fact *by;
	if (!outcome)
		outcome = "0";
	if (!veto_hit(g, i, &by)) {
		NREASON(g, i, NULL, "", "一票否决项：未触发");
		return kp_num_int(0);
	}
	g->vetoed[i] = true;
	kp_reason *r;
	if (scope == KP_VETO_RESULT && !strncmp(outcome, "deduct:", 7)) {
		kp_num n;
		if (kp_num_parse(outcome + 7, &n) < 0)
			n = kp_num_int(0);
		if (!g->res_veto_node || kp_num_cmp(n, g->res_deduct) > 0) {
			g->res_deduct = n;
			g->res_veto_node = nd;
		}
		r = NREASON(g, i, NULL, "", "一票否决：触发，直接从目标考核总分中扣%s分",
			    outcome + 7);
	} else if (scope == KP_VETO_EVALUATION || !nd->parent) {
		if (!g->ev_veto) {
			g->ev_veto = true;
			g->ev_veto_node = nd;
		}
		r = NREASON(g, i, NULL, "", "一票否决：触发，整项考核%s",
			    !strcmp(outcome, "不合格") ? "不合格" : "计0分");
	} else {
		r = NREASON(g, i, NULL, "", "一票否决：触发，所属指标“%s”%s",
			    nd->parent->name,
			    !strcmp(outcome, "不合格") ? "不合格，计0分" : "计0分");
	}
	reason_fact(r, by);
	return kp_num_int(0);
}

static kp_num rule_sum(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_rnode *rn = &g->r->nodes[i];
	kp_num s = kp_num_int(0);
	kp_buf b = KP_BUF_INIT;
	bool all_pending = true, any = false;
	const kp_node *node_veto = NULL;
	size_t nkids = 0, nzero = 0;
	for (size_t c = 0; c < nd->nchildren; c++) {
		const kp_node *ch = nd->children[c];
		size_t ci = KID(g, i, c);
		kp_num v;
		if (!g->r->nodes[ci].applies)
			continue;
		v = eval_node(g, ci);
		if (ch->rule == KP_RULE_VETO) {
			if (g->vetoed[ci] && ch->args.scope == KP_VETO_NODE)
				node_veto = ch;
			continue;
		}
		if (!counts_in_sum(ch) &&
		    !(nd->rule == KP_RULE_BONUS && ch->rule == KP_RULE_BONUS))
			continue;
		any = true;
		if (!g->pending[ci])
			all_pending = false;
		s = n_add(g, s, v);
		nkids++;
		if (kp_num_is_zero(v) && nd->nchildren > 8) {
			nzero++;
			continue;
		}
		if (g->record)
			kp_buf_addf(&b, "%s%s", b.len ? " + " : "", fmtn(v));
	}
	if (node_veto) {
		NREASON(g, i, NULL, node_veto->name, "一票否决，本项计0分");
		g->vetoed[i] = true;
		kp_buf_release(&b);
		return kp_num_int(0);
	}
	g->pending[i] = any && all_pending;
	if (nzero && g->record) /* long lists: name only the items that scored */
		kp_buf_addf(&b, "%s其余%zu项0分", b.len ? " + " : "", nzero);
	(void)nkids;
	if (!any) {
		int64_t met = 0, unmet = 0, todo = 0;
		for (size_t c = 0; c < nd->nchildren; c++) {
			size_t ci = KID(g, i, c);
			const kp_fact *last = NULL;
			if (nd->children[c]->rule != KP_RULE_ITEM)
				continue;
			FOR_FACTS(g, ci, k)
				last = g->f[k];
			if (!last)
				todo++;
			else if (last->kind == KP_FACT_SCORE && last->value.n > 0)
				met++;
			else
				unmet++;
		}
		if (met + unmet + todo)
			NREASON(g, i, NULL, "",
				"不计分：下级要求满足%lld项，不满足%lld项，未检查%lld项",
				(long long)met, (long long)unmet, (long long)todo);
		else
			NREASON(g, i, NULL, "", "无计分下级，计0分");
	}
	else if (kp_num_cmp(s, rn->max) > 0) {
		NREASON(g, i, NULL, "", "下级得分合计 %s = %s，超过满分，按%s计",
			b.data, fmtn(s), fmtn(rn->max));
		s = rn->max;
	} else {
		kp_num v = s;
		NREASON(g, i, &v, "", "%s下级得分之和：%s = %s",
			nd->rule == KP_RULE_SHARE ? "各项平分满分，" : "",
			b.data, fmtn(s));
	}
	kp_buf_release(&b);
	return s;
}

/* sum, share and bonus: their children's sum, or, on a leaf, a judged
 * score */
static kp_num rule_parent(eng *g, size_t i)
{
	return g->t->nodes[i]->nchildren ? rule_sum(g, i) : rule_judged(g, i);
}

/* A minus outside a deduct node: evaluated by its parent. */
static kp_num rule_minus(eng *g, size_t i)
{
	const kp_fact **w;
	size_t nw;
	kp_num d = minus_amount(g, i, kp_num_int(0), &w, &nw);
	free(w);
	return n_sub(g, kp_num_int(0), d);
}

/* How each rule kind scores a node: the score side of catalog's rows
 * (kp_rule_def), indexed by the same kp_rule. */
typedef kp_num (*score_fn)(eng *g, size_t i);
static const score_fn score_rows[KP_RULE_COUNT] = {
	[KP_RULE_SUM] = rule_parent,
	[KP_RULE_SHARE] = rule_parent,
	[KP_RULE_JUDGED] = rule_judged,
	[KP_RULE_BINARY] = rule_judged,
	[KP_RULE_DEDUCT] = rule_deduct,
	[KP_RULE_MINUS] = rule_minus,
	[KP_RULE_TIERED] = rule_tiered,
	[KP_RULE_CHECKLIST] = rule_checklist,
	[KP_RULE_ITEM] = rule_item,
	[KP_RULE_VETO] = rule_veto,
	[KP_RULE_BONUS] = rule_parent,
};

static kp_num eval_node(eng *g, size_t i)
{
	kp_rule rule = g->t->nodes[i]->rule;
	kp_num v = kp_num_int(0);
	if (!g->r->nodes[i].applies)
		return v;
	if (rule < KP_RULE_COUNT && score_rows[rule])
		v = score_rows[rule](g, i);
	g->val[i] = v;
	return v;
}

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
		eval_node(g, g->sc->root[r]);
	for (size_t r = 0; r < t->nroots; r++) {
		const kp_node *rt = t->roots[r];
		size_t i = g->sc->root[r];
		if (!g->r->nodes[i].applies)
			continue;
		if (rt->rule == KP_RULE_BONUS) {
			out->bonus = n_add(g, out->bonus, g->val[i]);
			continue;
		}
		if (!counts_in_sum(rt))
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
			fmtn(tt->max), fmtn(tt->base),
			fmtn(declared), fmtq(f), fmtn(total));
		tt->max = declared;
	} else {
		RREASON(g, &total, "", "各一级指标得分之和%s分（满分%s）",
			fmtn(total), fmtn(tt->max));
	}
	if (pass && kp_num_parse(pass, &pv) == 0) {
		*outcome = kp_num_cmp(total, pv) < 0 ? "不合格" : "合格";
		RREASON(g, NULL, "", "%s分%s合格线%s分：%s", fmtn(total),
			kp_num_cmp(total, pv) < 0 ? "低于" : "不低于",
			fmtn(pv), *outcome);
	}
	if (above && kp_num_parse(above, &pv) == 0) {
		if (kp_num_cmp(total, pv) > 0) {
			kp_num b = tt->bonus;
			RREASON(g, &b, "", "基础分%s高于%s，计入加分%s分",
				fmtn(total), fmtn(pv),
				fmtn(tt->bonus));
			total = n_add(g, total, tt->bonus);
		} else {
			RREASON(g, NULL, "", "基础分%s不高于%s，加分%s分不计入",
				fmtn(total), fmtn(pv),
				fmtn(tt->bonus));
			tt->bonus = kp_num_int(0);
		}
	} else if (!kp_num_is_zero(tt->bonus)) {
		kp_num b = tt->bonus;
		RREASON(g, &b, "", "计入加分%s分", fmtn(b));
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
		kp_buf_addf(&b, "deduct:%s", fmtn(tt->res_deduct));
		r->convert = kp_buf_detach(&b);
		r->converted = tt->res_deduct;
		kp_num neg = n_sub(g, kp_num_int(0), tt->res_deduct);
		RREASON(g, &neg, tt->res_veto_node->name,
			"一票否决：直接从目标考核总分中扣%s分（不再按考核结果折算）",
			fmtn(tt->res_deduct));
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
			fmtn(n), fmtn(n), fmtn(r->max),
			fmtn(n_min(r->total, r->max)), fmtn(r->max),
			fmt2(r->converted));
	} else if (!strncmp(spec, "earn:", 5) &&
		   kp_num_parse(spec + 5, &n) == 0) {
		r->converted = n_div(g, n_mul(g, n, n_min(r->total, r->max)),
				     r->max);
		r->has_convert = true;
		r->convert = kp_xstrdup(spec);
		kp_num v = r->converted;
		RREASON(g, &v, "", "折算（满分%s分）：%s×%s÷%s = %s分",
			fmtn(n), fmtn(n),
			fmtn(n_min(r->total, r->max)), fmtn(r->max),
			fmt2(r->converted));
	}
}

/* ---- the table's index ---------------------------------------------- */

static int spelling_cmp(const void *a, const void *b)
{
	return strcmp(((const spelling *)a)->s, ((const spelling *)b)->s);
}

/* Sorting: equal spellings in table order, so a look-up can take the
 * first node, as kp_table_find does. */
static int spelling_order(const void *a, const void *b)
{
	const spelling *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static int byptr_cmp(const void *a, const void *b)
{
	uintptr_t x = ((const byptr *)a)->p, y = ((const byptr *)b)->p;
	return x < y ? -1 : x > y;
}

static size_t sc_index_of(const kp_scorer *sc, const kp_node *nd)
{
	byptr key = { (uintptr_t)nd, 0 }, *hit;
	if (!nd || !sc->n)
		return NONE;
	hit = bsearch(&key, sc->ptr, sc->n, sizeof(*sc->ptr), byptr_cmp);
	return hit ? hit->i : NONE;
}

static size_t sc_find(const spelling *v, size_t n, const char *s)
{
	spelling key = { s, 0 };
	const spelling *hit;
	if (!n)
		return NONE;
	hit = bsearch(&key, v, n, sizeof(*v), spelling_cmp);
	if (!hit)
		return NONE;
	while (hit > v && !strcmp(hit[-1].s, s))
		hit--;
	return hit->i;
}

kp_scorer *kp_scorer_new(const kp_table *t)
{
	kp_scorer *sc = kp_xcalloc(1, sizeof(*sc));
	size_t n = t->nnodes, nkids = 0;
	sc->t = t;
	sc->n = n;
	sc->code = kp_xcalloc(n ? n : 1, sizeof(*sc->code));
	sc->path = kp_xcalloc(n ? n : 1, sizeof(*sc->path));
	sc->ptr = kp_xcalloc(n ? n : 1, sizeof(*sc->ptr));
	sc->parent = kp_xcalloc(n ? n : 1, sizeof(size_t));
	sc->kid0 = kp_xcalloc(n + 1, sizeof(size_t));
	sc->root = kp_xcalloc(t->nroots ? t->nroots : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		sc->code[i] = (spelling){ t->nodes[i]->code, i };
		sc->path[i] = (spelling){ t->nodes[i]->path, i };
		sc->ptr[i] = (byptr){ (uintptr_t)t->nodes[i], i };
		sc->kid0[i] = nkids;
		nkids += t->nodes[i]->nchildren;
	}
	sc->kid0[n] = nkids;
	if (n) {
		qsort(sc->code, n, sizeof(*sc->code), spelling_order);
		qsort(sc->path, n, sizeof(*sc->path), spelling_order);
		qsort(sc->ptr, n, sizeof(*sc->ptr), byptr_cmp);
	}
	sc->kid = kp_xcalloc(nkids ? nkids : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const kp_node *nd = t->nodes[i];
		sc->parent[i] = sc_index_of(sc, nd->parent);
		for (size_t c = 0; c < nd->nchildren; c++)
			sc->kid[sc->kid0[i] + c] = sc_index_of(sc, nd->children[c]);
	}
	for (size_t r = 0; r < t->nroots; r++)
		sc->root[r] = sc_index_of(sc, t->roots[r]);
	sc->code_first = kp_xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		sc->code_first[i] = sc_find(sc->code, n, t->nodes[i]->code) == i;
	sc->id = kp_table_id(t);
	sc->title = kp_table_get(t, "title");
	sc->rescale = kp_table_get(t, "rescale");
	sc->pass = kp_table_get(t, "pass");
	sc->above = kp_table_get(t, "bonus_above");
	sc->convert = kp_table_get(t, "convert");
	sc->declared = kp_num_int(0);
	sc->has_declared = kp_table_total(t, &sc->declared);
	{
		/* maxima with every node applicable */
		kp_result r;
		eng g;
		memset(&r, 0, sizeof(r));
		memset(&g, 0, sizeof(g));
		r.nodes = kp_xcalloc(n ? n : 1, sizeof(*r.nodes));
		for (size_t i = 0; i < n; i++)
			r.nodes[i].applies = true;
		g.t = t;
		g.sc = sc;
		g.r = &r;
		set_maxima(&g);
		if (!g.overflow) {
			sc->max_all = kp_xcalloc(n ? n : 1, sizeof(kp_num));
			for (size_t i = 0; i < n; i++)
				sc->max_all[i] = r.nodes[i].max;
		}
		free(r.nodes);
	}
	return sc;
}

void kp_scorer_free(kp_scorer *sc)
{
	if (!sc)
		return;
	free(sc->code);
	free(sc->path);
	free(sc->ptr);
	free(sc->parent);
	free(sc->kid0);
	free(sc->kid);
	free(sc->root);
	free(sc->code_first);
	free(sc->max_all);
	free(sc);
}

/* Index of the node named by code, else by path, or NONE.  Facts tend to
 * come in table order, so the node after the last one found (or the
 * same) is tried first: one comparison instead of a search. */
static size_t sc_lookup(const kp_scorer *sc, const char *ind, size_t hint)
{
	size_t i;
	for (size_t j = hint; j != NONE && j < sc->n && j <= hint + 1; j++)
		if (sc->code_first[j] && !strcmp(sc->t->nodes[j]->code, ind))
			return j;
	i = sc_find(sc->code, sc->n, ind);
	return i != NONE ? i : sc_find(sc->path, sc->n, ind);
}

const kp_node *kp_scorer_find(const kp_scorer *sc, const char *code_or_path)
{
	size_t i = sc_lookup(sc, code_or_path, NONE);
	return i == NONE ? NULL : sc->t->nodes[i];
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

int kp_scorer_unit(const kp_scorer *sc, const kp_score_ctx *c,
		   const char *unit, const kp_facts *fs, int flags,
		   kp_result **out, kp_err *e)
{
	eng g;
	const kp_table *t = sc->t;
	kp_result *r = kp_xcalloc(1, sizeof(*r));
	const kp_units *u = c ? c->units : NULL;
	const char *canon = u ? kp_units_resolve(u, unit) : NULL;
	size_t n = t->nnodes;
	kp_num declared = sc->declared;
	bool has_declared = sc->has_declared, all_apply = true;
	totals self, cnt;
	const char *oc_self, *oc;

	*out = NULL;
	memset(&g, 0, sizeof(g));
	g.t = t;
	g.sc = sc;
	g.c = c;
	g.r = r;
	g.want = !(flags & KP_SCORE_TOTALS);
	g.canon = canon ? canon : unit;
	g.tags = (u && canon && kp_units_tags(u, canon)) ?
			 kp_units_tags(u, canon) : "";
	r->unit = kp_xstrdup(g.canon);
	r->unit_type = kp_xstrdup((u && canon && kp_units_type(u, canon)) ?
					  kp_units_type(u, canon) : "");
	r->table_id = kp_xstrdup(sc->id ? sc->id : "");
	r->title = kp_xstrdup(sc->title ? sc->title : "");
	r->outcome = kp_xstrdup("");
	r->max = r->base = r->bonus = r->total = r->self_total =
		r->converted = kp_num_int(0);
	r->nnodes = n;
	r->nodes = kp_xcalloc(n ? n : 1, sizeof(*r->nodes));
	g.val = kp_xcalloc(n ? n : 1, sizeof(*g.val));
	g.touched = kp_xcalloc(n ? n : 1, sizeof(bool));
	g.pending = kp_xcalloc(n ? n : 1, sizeof(bool));
	g.vetoed = kp_xcalloc(n ? n : 1, sizeof(bool));
	g.head = kp_xmalloc((n ? n : 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		g.head[i] = NONE;

	/* the unit's facts that point somewhere, each resolved once */
	g.f = kp_xcalloc(fs->n ? fs->n : 1, sizeof(*g.f));
	g.tgt = kp_xcalloc(fs->n ? fs->n : 1, sizeof(*g.tgt));
	g.tin = kp_xcalloc(fs->n ? fs->n : 1, sizeof(*g.tin));
	g.tix = kp_xcalloc(fs->n ? fs->n : 1, sizeof(size_t));
	g.next = kp_xcalloc(fs->n ? fs->n : 1, sizeof(size_t));
	for (size_t k = 0, hint = NONE; k < fs->n; k++) {
		const kp_table *in = t;
		const kp_node *nd = NULL;
		size_t ix;
		if (!fact_for_unit(&g, &fs->v[k]))
			continue;
		ix = sc_lookup(sc, fs->v[k].indicator, hint);
		if (ix != NONE) {
			nd = t->nodes[ix];
			hint = ix;
		} else {
			nd = kp_fact_target(t, c, fs->v[k].indicator, &in);
		}
		if (!nd) {
			g.record = g.want;
			kp_reason *rr = RREASON(&g, NULL, "",
						"忽略：指标“%s”不在本表中",
						fs->v[k].indicator);
			reason_fact(rr, &fs->v[k]);
			g.record = false;
			continue;
		}
		g.f[g.nf] = &fs->v[k];
		g.tgt[g.nf] = nd;
		g.tin[g.nf] = in;
		g.tix[g.nf] = in == t ? (ix != NONE ? ix : sc_index_of(sc, nd))
				      : NONE;
		g.nf++;
	}
	/* each node's facts, in order: linked from the last back */
	for (size_t k = g.nf; k-- > 0;)
		if (g.tix[k] != NONE) {
			g.next[k] = g.head[g.tix[k]];
			g.head[g.tix[k]] = k;
		}

	/* applicability: the applies column, then counting na facts */
	for (size_t i = 0; i < n; i++) {
		const kp_node *nd = t->nodes[i];
		kp_rnode *rn = &r->nodes[i];
		bool par = PARENT(&g, i) == NONE || r->nodes[PARENT(&g, i)].applies;
		rn->node = nd;
		rn->applies = par && applies_text(&g, nd->text[KP_T_APPLIES]);
		FOR_NODE_FACTS(&g, i, k)
			if (g.f[k]->kind == KP_FACT_NA &&
			    kp_source_counts(g.f[k]->source))
				rn->applies = false;
		all_apply &= rn->applies;
	}
	if (all_apply && sc->max_all)
		for (size_t i = 0; i < n; i++)
			r->nodes[i].max = sc->max_all[i];
	else
		set_maxima(&g);

	/* self pass (no reasons), then the counting pass */
	run_pass(&g, false, &self);
	for (size_t i = 0; i < n; i++) {
		r->nodes[i].has_self = g.touched[i];
		r->nodes[i].self = g.val[i];
	}
	g.record = false;
	kp_num st = finish(&g, &self, declared, has_declared, &oc_self);
	r->has_self = self.any;
	r->self_total = st;

	run_pass(&g, true, &cnt);
	for (size_t i = 0; i < n; i++) {
		kp_rnode *rn = &r->nodes[i];
		rn->has_assessor = g.touched[i];
		rn->assessor = g.val[i];
		rn->score = g.val[i];
		rn->pending = g.pending[i];
		rn->vetoed = g.vetoed[i];
		if (!rn->applies && g.want) {
			g.record = true;
			const kp_node *nd = t->nodes[i];
			bool par = PARENT(&g, i) != NONE &&
				   !r->nodes[PARENT(&g, i)].applies;
			bool by_text = !par && !applies_text(
				&g, nd->text[KP_T_APPLIES]);
			if (par)
				NREASON(&g, i, NULL, "", "上级指标不适用，本项不计分");
			else if (by_text)
				NREASON(&g, i, NULL, "",
					"不适用本单位（适用范围：%s；本单位%s%s），不计分",
					nd->text[KP_T_APPLIES],
					*r->unit_type ? "类型" : "类型未知",
					r->unit_type);
			else
				NREASON(&g, i, NULL, "",
					"不适用本单位（据不适用事实），不计分");
			FOR_NODE_FACTS(&g, i, k)
				if (g.f[k]->kind == KP_FACT_NA &&
				    kp_source_counts(g.f[k]->source))
					reason_fact(rn->reasons +
							    rn->nreasons - 1,
						    g.f[k]);
		}
	}
	g.record = g.want;
	/* a row no rule looked at (say, a judged row under a deduct node)
	 * still gets its line */
	for (size_t i = 0; g.record && i < n; i++)
		if (!r->nodes[i].nreasons)
			NREASON(&g, i, NULL, "", "本行不单独计分（由上级“%s”的%s规则决定）",
				t->nodes[i]->parent ? t->nodes[i]->parent->name : "",
				t->nodes[i]->parent ?
					kp_rule_label(t->nodes[i]->parent->rule) : "");
	r->base = cnt.base;
	r->total = finish(&g, &cnt, declared, has_declared, &oc);
	r->max = cnt.max;
	r->bonus = cnt.bonus;
	r->vetoed = cnt.ev_veto;
	free(r->outcome);
	r->outcome = kp_xstrdup(oc);
	if (cnt.ev_veto) {
		for (size_t i = 0; i < n; i++) {
			kp_rnode *rn = &r->nodes[i];
			if (!rn->applies || t->nodes[i]->rule == KP_RULE_VETO ||
			    t->nodes[i]->rule == KP_RULE_MINUS ||
			    kp_num_is_zero(rn->score))
				continue;
			kp_num z = kp_num_int(0);
			NREASON(&g, i, &z, cnt.ev_veto_node->name,
				"整项考核一票否决，本项按0分计（否决前%s分）",
				fmtn(rn->score));
			rn->score = z;
			rn->vetoed = true;
		}
	}
	convert(&g, r, &cnt);
	free(g.val);
	free(g.touched);
	free(g.pending);
	free(g.vetoed);
	free(g.f);
	free(g.tgt);
	free(g.tin);
	free(g.tix);
	free(g.head);
	free(g.next);
	if (g.overflow) {
		kp_result_free(r);
		return kp_fail(e, KP_EINPUT, "%s: 计算溢出（分值或数量过大）",
			       kp_table_id(t) ? kp_table_id(t) : "?");
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
