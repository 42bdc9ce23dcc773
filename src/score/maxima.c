/* score/maxima.c — each node's effective maximum for a unit: share
 * parents split their points among the items that apply, sums add up
 * what applies.  See engine.h. */
#include "score/engine.h"

/* Effective maxima, bottom-up (children come after parents in file
 * order, so walk backwards). */
void kp_eng_maxima(eng *g)
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
				if (kp_eng_counts(nd->children[i]) &&
				    r->nodes[KID(g, k, i)].applies)
					n++;
			for (size_t i = 0; n && i < nd->nchildren; i++) {
				kp_rnode *c = &r->nodes[KID(g, k, i)];
				if (c->applies && kp_eng_counts(nd->children[i]) &&
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
				if (!kp_eng_counts(ch) && ch->rule != KP_RULE_BONUS)
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
