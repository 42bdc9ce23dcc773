/*
 * score/engine.h — what the engine's files share; internal to src/score.
 *
 * The engine scores one unit on one table in two passes (自评 alone for
 * the self column, then the counting facts, which alone write reasons).
 * Its files depend one way:
 *
 *	pass.c   the entry points (kp_scorer_unit), applicability, the two
 *	         passes, maxima, vetoes, rescaling, bonus, conversion
 *	  → rules.c   the score row of each rule kind (indexed by kp_rule,
 *	              beside catalog's kp_rule_def rows) and kp_eng_eval
 *	      → rule_sum.c (sum, share, bonus) → rule_judged.c
 *	      → rule_deduct.c (deduct, minus), rule_tiered.c,
 *	        rule_checklist.c (checklist, item), rule_veto.c
 *	  → index.c   the table indexed once (kp_scorer_new)
 *	  → maxima.c  each node's effective maximum (index.c uses it too)
 *	all → eng_util.c   applicability of a cell, reasons, numbers for
 *	                   messages
 *
 * A rule that scores its children calls them through g->eval (set to
 * kp_eng_eval by pass.c), so no rule file depends on the row table.
 *
 * Adding a rule kind: its catalog row (catalog/rules.c), a function
 * here (kp_num kp_eng_x(eng *g, size_t i): the node's score in this
 * pass; set g->pending[i] / g->vetoed[i]; NREASON for the explanation),
 * its entry in rules.c, and docs/scoring.md.
 */
#ifndef KP_SCORE_ENGINE_H
#define KP_SCORE_ENGINE_H

#include "score/score_int.h"

#include <stdlib.h>
#include <string.h>

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
	/* assessed[i]: a counting assessed fact covers node i (on it, an
	 * ancestor, or the whole unit) */
	bool *assessed;
	bool unit_assessed;
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
	/* how a rule scores a child: kp_eng_eval (set by pass.c), so that
	 * the rule files need not know the row table */
	kp_num (*eval)(struct eng *g, size_t i);
} eng;

/* ---- exact arithmetic that records overflow -------------------------- */

static inline kp_num n_add(eng *g, kp_num a, kp_num b)
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

static inline kp_num n_sub(eng *g, kp_num a, kp_num b)
{
	kp_num r = a;
	if (kp_num_sub(a, b, &r) < 0)
		g->overflow = true;
	return r;
}

static inline kp_num n_mul(eng *g, kp_num a, kp_num b)
{
	kp_num r = a;
	if (kp_num_mul(a, b, &r) < 0)
		g->overflow = true;
	return r;
}

static inline kp_num n_div(eng *g, kp_num a, kp_num b)
{
	kp_num r = kp_num_int(0);
	if (kp_num_div(a, b, &r) < 0)
		g->overflow = true;
	return r;
}

static inline kp_num n_min(kp_num a, kp_num b)
{
	return kp_num_cmp(a, b) <= 0 ? a : b;
}

/* Child c of node i, and the parent of node i, as indices. */
#define KID(g, i, c) ((g)->sc->kid[(g)->sc->kid0[i] + (c)])
#define PARENT(g, i) ((g)->sc->parent[i])

static inline bool fact_in_pass(const eng *g, const kp_fact *f)
{
	return kp_source_counts(f->source) == g->counting;
}

/* The items a node's share rule and its parent's sum count. */
static inline bool kp_eng_counts(const kp_node *n)
{
	return kp_rule_has(n->rule, KP_RF_COUNTS);
}

/* ---- eng_util.c ---- */

/* Whether an applies cell (names, types, tags, "!x") selects g's unit. */
bool kp_eng_applies(const eng *g, const char *text);
/* Append a reason to v[0..*n) (nothing when g does not record). */
kp_reason *kp_eng_reason(eng *g, kp_reason **v, size_t *n,
			 const kp_num *delta, const char *what,
			 const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Cite fact f in reason r (r may be NULL: nothing). */
void kp_eng_cite(kp_reason *r, const kp_fact *f);
/* Numbers for messages, from a thread-local ring of 16 buffers (one
 * printf may format several): as kp_num_str; exact ("4/3" when the
 * decimal does not end); two decimals. */
const char *kp_eng_fmtn(kp_num v);
const char *kp_eng_fmtq(kp_num v);
const char *kp_eng_fmt2(kp_num v);

/* A reason on node i, or on the result; nothing (and the arguments are
 * not even formatted) when the pass does not record. */
#define NREASON(g, i, delta, what, ...)                                     \
	((g)->record ? kp_eng_reason((g), &(g)->r->nodes[i].reasons,            \
				  &(g)->r->nodes[i].nreasons, (delta),       \
				  (what), __VA_ARGS__)                       \
		     : (kp_reason *)NULL)
#define RREASON(g, delta, what, ...)                                        \
	((g)->record ? kp_eng_reason((g), &(g)->r->reasons, &(g)->r->nreasons,  \
				  (delta), (what), __VA_ARGS__)              \
		     : (kp_reason *)NULL)

/* Facts on node i of t, in order (all passes). */
#define FOR_NODE_FACTS(g, i, k)                                            \
	for (size_t k = (g)->head[i]; k != NONE; k = (g)->next[k])

/* Facts of the current pass on node i of t, in order. */
#define FOR_FACTS(g, i, k)                                                 \
	FOR_NODE_FACTS(g, i, k)                                            \
		if (fact_in_pass((g), (g)->f[k]))


#define EVAL(g, i) ((g)->eval((g), (i)))

/* ---- maxima.c ---- */

/* Each node's effective maximum for g's unit (g->r->nodes[].max), from
 * the applies flags already set. */
void kp_eng_maxima(eng *g);

/* ---- index.c ---- */

/* Index of node nd of the scorer's table. */
size_t kp_eng_index_of(const kp_scorer *sc, const kp_node *nd);
/* Index of the node named by code, else by path, or NONE; hint: the
 * last answer (facts tend to come in table order). */
size_t kp_eng_lookup(const kp_scorer *sc, const char *ind, size_t hint);

/* ---- the rule kinds (rule_*.c) and their rows (rules.c) ---- */

kp_num kp_eng_sum(eng *g, size_t i);        /* sum, share, bonus parents */
kp_num kp_eng_judged(eng *g, size_t i);     /* judged, binary, leaves */
kp_num kp_eng_deduct(eng *g, size_t i);
kp_num kp_eng_minus(eng *g, size_t i);      /* outside a deduct node */
kp_num kp_eng_tiered(eng *g, size_t i);
kp_num kp_eng_checklist(eng *g, size_t i);
kp_num kp_eng_item(eng *g, size_t i);
kp_num kp_eng_veto(eng *g, size_t i);
/* Score node i by its rule's row; stores and returns g->val[i]. */
kp_num kp_eng_eval(eng *g, size_t i);

#endif
