/* score/rule_judged.c — judged and binary rows, and leaves of
 * sum/share/bonus: the last score fact.  See engine.h. */
#include "score/engine.h"

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

kp_num kp_eng_judged(eng *g, size_t i)
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
				kp_eng_cite(r, g->f[k]);
			}
		}
	if (!f) {
		if (failed)
			return kp_num_int(0);
		if (nd->rule == KP_RULE_BINARY && g->counting && g->assessed[i]) {
			/* the check ran (an inspection or the assessor
			 * covered the node) and found nothing wrong */
			kp_num full = rn->max;
			NREASON(g, i, &full, "", "已评，未发现问题，得满分%s分（全有或全无）",
				kp_eng_fmtn(rn->max));
			return full;
		}
		g->pending[i] = true;
		NREASON(g, i, NULL, "", "未评分，暂计0分（满分%s，%s）",
			kp_eng_fmtn(rn->max), kp_rule_label(nd->rule));
		return kp_num_int(0);
	}
	kp_num v = n_min(f->value, rn->max);
	kp_reason *r;
	if (nd->rule == KP_RULE_BINARY)
		r = NREASON(g, i, &v, "", "%s", kp_num_is_zero(v) ?
			    "不得分（全有或全无）" : "得满分（全有或全无）");
	else if (kp_num_cmp(f->value, rn->max) > 0)
		r = NREASON(g, i, &v, "", "评分%s超过满分，按%s计",
			    kp_eng_fmtn(f->value), kp_eng_fmtn(rn->max));
	else
		r = NREASON(g, i, &v, "", "评分%s分（满分%s）", kp_eng_fmtn(v),
			    kp_eng_fmtn(rn->max));
	kp_eng_cite(r, f);
	if (n > 1 && r) {
		char *old = r->text;
		kp_buf bb = KP_BUF_INIT;
		kp_buf_addf(&bb, "%s；共%zu条评分，以最后一条为准", old, n);
		r->text = kp_buf_detach(&bb);
		free(old);
	}
	return v;
}
