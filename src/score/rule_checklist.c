/* score/rule_checklist.c — checklist: the share of a checklist table's
 * items a unit satisfies; item rows.  See engine.h. */
#include "score/engine.h"

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
				kp_eng_cite(r, f);
			}
		if (met)
			(*ok)++;
	}
	for (size_t i = 0; i < n->nchildren; i++)
		count_items(g, n->children[i], req, ok, r);
}

kp_num kp_eng_checklist(eng *g, size_t i)
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
			kp_eng_cite(&tmp, f);
		} else if (!strcmp(f->name, "required")) {
			need = f->value;
			kp_eng_cite(&tmp, f);
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
			    lid, kp_eng_fmtn(need), kp_eng_fmtn(sat), kp_eng_fmtn(rn->max),
			    kp_eng_fmtn(sat), kp_eng_fmtn(need), kp_eng_fmtn(v),
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

kp_num kp_eng_item(eng *g, size_t i)
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
		kp_eng_cite(r, last);
	}
	return kp_num_int(0);
}

