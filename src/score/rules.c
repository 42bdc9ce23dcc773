/* score/rules.c — the score side of the rule rows: for each kp_rule, the
 * function that scores a node of that kind (catalog/rules.c holds the
 * rest of each row: name, label, params, flags, lint).  See engine.h. */
#include "score/engine.h"

/* sum, share and bonus: their children's sum, or, on a leaf, a judged
 * score */
static kp_num parent_or_leaf(eng *g, size_t i)
{
	return g->t->nodes[i]->nchildren ? kp_eng_sum(g, i)
					 : kp_eng_judged(g, i);
}

typedef kp_num (*score_fn)(eng *g, size_t i);

static const score_fn score_rows[KP_RULE_COUNT] = {
	[KP_RULE_SUM] = parent_or_leaf,
	[KP_RULE_SHARE] = parent_or_leaf,
	[KP_RULE_JUDGED] = kp_eng_judged,
	[KP_RULE_BINARY] = kp_eng_judged,
	[KP_RULE_DEDUCT] = kp_eng_deduct,
	[KP_RULE_MINUS] = kp_eng_minus,
	[KP_RULE_TIERED] = kp_eng_tiered,
	[KP_RULE_CHECKLIST] = kp_eng_checklist,
	[KP_RULE_ITEM] = kp_eng_item,
	[KP_RULE_VETO] = kp_eng_veto,
	[KP_RULE_BONUS] = parent_or_leaf,
};

kp_num kp_eng_eval(eng *g, size_t i)
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
