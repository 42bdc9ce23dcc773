/* score/rule_veto.c — veto rows (一票否决): triggered by a veto fact; effects
 * by scope.  See engine.h. */
#include "score/engine.h"

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

kp_num kp_eng_veto(eng *g, size_t i)
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
	kp_eng_cite(r, by);
	return kp_num_int(0);
}
