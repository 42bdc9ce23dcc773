/* score/rule_sum.c — sum, share and bonus parents: the sum of their
 * children.  See engine.h. */
#include "score/engine.h"

kp_num kp_eng_sum(eng *g, size_t i)
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
		v = EVAL(g, ci);
		if (ch->rule == KP_RULE_VETO) {
			if (g->vetoed[ci] && ch->args.scope == KP_VETO_NODE)
				node_veto = ch;
			continue;
		}
		if (!kp_eng_counts(ch) &&
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
			kp_buf_addf(&b, "%s%s", b.len ? " + " : "", kp_eng_fmtn(v));
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
			b.data, kp_eng_fmtn(s), kp_eng_fmtn(rn->max));
		s = rn->max;
	} else {
		kp_num v = s;
		NREASON(g, i, &v, "", "%s下级得分之和：%s = %s",
			nd->rule == KP_RULE_SHARE ? "各项平分满分，" : "",
			b.data, kp_eng_fmtn(s));
	}
	kp_buf_release(&b);
	return s;
}
