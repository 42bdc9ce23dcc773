/* score/rule_deduct.c — deductions (倒扣分法): deduct nodes, minus items and
 * groups, when= conditions.  See engine.h. */
#include "score/engine.h"

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
				kp_eng_fmtn(d), kp_eng_fmtn(cap), kp_eng_fmtn(cap));
			d = cap;
		}
		if (kp_num_is_zero(d))
			NREASON(g, i, NULL, "", "未扣分");
		else {
			kp_num neg = n_sub(g, kp_num_int(0), d);
			NREASON(g, i, &neg, "", "本组共扣%s分", kp_eng_fmtn(d));
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
				    kp_eng_fmtn(d));
		else if (each && kp_num_cmp(k, kp_num_int(1)) > 0)
			r = NREASON(g, i, &neg, "", "扣%s分（每次%s分×%s次%s）",
				    kp_eng_fmtn(d), kp_eng_fmtn(a), kp_eng_fmtn(k),
				    capped ? "，达上限" : "");
		else
			r = NREASON(g, i, &neg, "", "扣%s分%s", kp_eng_fmtn(d),
				    capped ? "（达上限）" : "");
		for (size_t j = 0; j < *nwhy; j++)
			kp_eng_cite(r, (*why)[j]);
	}
	return d;
}

/* The deduct node's own params (amount=…): an implicit sub-item.  Its
 * deduction is added to *total; true when there was one. */
static bool own_deduction(eng *g, size_t i, kp_num *total)
{
	const kp_node *nd = g->t->nodes[i];
	const kp_fact **w;
	size_t nw;
	bool each = nd->args.each, any = false;
	kp_num d = minus_amount(g, i, g->r->nodes[i].max, &w, &nw);
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
				    "不得分（扣%s分）", kp_eng_fmtn(d));
		else if (each && nd->args.has_amount_num &&
			 kp_num_cmp(k, kp_num_int(1)) > 0)
			r = NREASON(g, i, &neg, nd->text[KP_T_CRITERIA],
				    "扣%s分（每项%s分×%s项%s）",
				    kp_eng_fmtn(d), kp_eng_fmtn(a),
				    kp_eng_fmtn(k),
				    nd->args.max ? "，按上限" : "");
		else
			r = NREASON(g, i, &neg, nd->text[KP_T_CRITERIA],
				    "扣%s分", kp_eng_fmtn(d));
		for (size_t j = 0; j < nw; j++)
			kp_eng_cite(r, w[j]);
		*total = n_add(g, *total, d);
		any = true;
	}
	free(w);
	return any;
}

/* The deduct node's children: each minus that applies, its deduction
 * added to *total (true when there was one); a veto child that fires
 * on this node only in *node_veto. */
static bool child_deductions(eng *g, size_t i, kp_num *total,
			     const kp_node **node_veto)
{
	const kp_node *nd = g->t->nodes[i];
	bool any = false;
	for (size_t c = 0; c < nd->nchildren; c++) {
		const kp_node *ch = nd->children[c];
		size_t ci = KID(g, i, c);
		const kp_fact **w;
		size_t nw;
		kp_num d;
		if (ch->rule != KP_RULE_MINUS) {
			if (ch->rule == KP_RULE_VETO && g->r->nodes[ci].applies) {
				EVAL(g, ci);
				if (g->vetoed[ci] &&
				    ch->args.scope == KP_VETO_NODE)
					*node_veto = ch;
			}
			continue;
		}
		if (!g->r->nodes[ci].applies)
			continue;
		d = minus_amount(g, ci, g->r->nodes[i].max, &w, &nw);
		g->val[ci] = n_sub(g, kp_num_int(0), d);
		if (!kp_num_is_zero(d)) {
			kp_num neg = n_sub(g, kp_num_int(0), d);
			kp_reason *r = NREASON(g, i, &neg, ch->name, "扣%s分",
					       kp_eng_fmtn(d));
			for (size_t j = 0; j < nw; j++)
				kp_eng_cite(r, w[j]);
			*total = n_add(g, *total, d);
			any = true;
		}
		free(w);
	}
	return any;
}

kp_num kp_eng_deduct(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_rnode *rn = &g->r->nodes[i];
	kp_num total = kp_num_int(0);
	bool any = false;
	const kp_node *node_veto = NULL;
	if (nd->args.amount)
		any = own_deduction(g, i, &total);
	any |= child_deductions(g, i, &total, &node_veto);
	if (node_veto) {
		kp_num z = kp_num_int(0);
		NREASON(g, i, &z, node_veto->name, "一票否决，本项计0分");
		g->vetoed[i] = true;
		return z;
	}
	if (!any && !g->counting) {
		return rn->max;
	} else if (!any && !g->assessed[i]) {
		/* nobody has said this node was looked at: full points only
		 * provisionally */
		g->pending[i] = true;
		NREASON(g, i, NULL, "",
			"未评：尚无扣分事实，也未登记已评（assessed），暂按满分%s分计（倒扣分法）",
			kp_eng_fmtn(rn->max));
		return rn->max;
	} else if (!any) {
		NREASON(g, i, NULL, "", "已评，无扣分事实，得满分%s分（倒扣分法）",
			kp_eng_fmtn(rn->max));
		return rn->max;
	}
	if (kp_num_cmp(total, rn->max) > 0) {
		NREASON(g, i, NULL, "", "扣分合计%s超过分值%s，按0分计（最低0分）",
			kp_eng_fmtn(total), kp_eng_fmtn(rn->max));
		return kp_num_int(0);
	}
	return n_sub(g, rn->max, total);
}

/* A minus outside a deduct node: evaluated by its parent. */
kp_num kp_eng_minus(eng *g, size_t i)
{
	const kp_fact **w;
	size_t nw;
	kp_num d = minus_amount(g, i, kp_num_int(0), &w, &nw);
	free(w);
	return n_sub(g, kp_num_int(0), d);
}

