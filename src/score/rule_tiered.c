/* score/rule_tiered.c — tiered: completion ratio against a quota, by parts
 * (split=), to tiers.  See engine.h. */
#include "score/engine.h"

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

kp_num kp_eng_tiered(eng *g, size_t i)
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
					    kp_eng_fmtn(parts[p].quota),
					    kp_eng_fmtn(parts[p].actual),
					    kp_eng_fmt2(pct),
					    kp_eng_fmtn(thr_pct),
					    kp_eng_fmtn(n_mul(g, factor, kp_num_int(100))),
					    kp_eng_fmtn(ded), kp_eng_fmtn(got),
					    kp_eng_fmtn(pm));
			else
				r = NREASON(g, i, &got, "",
					    "%s任务%s分，完成%s分（%s%%），低于最低档：此项%s分扣完",
					    part_label(parts[p].name),
					    kp_eng_fmtn(parts[p].quota),
					    kp_eng_fmtn(parts[p].actual),
					    kp_eng_fmt2(pct), kp_eng_fmtn(pm));
			(void)neg;
		} else {
			got = n_mul(g, pm, factor);
			if (hit)
				r = NREASON(g, i, &got, "",
					    "%s任务%s分，完成%s分（%s%%），达%s%%档得%s%%：%s×%s=%s分",
					    part_label(parts[p].name),
					    kp_eng_fmtn(parts[p].quota),
					    kp_eng_fmtn(parts[p].actual),
					    kp_eng_fmt2(pct),
					    kp_eng_fmtn(thr_pct),
					    kp_eng_fmtn(n_mul(g, factor, kp_num_int(100))),
					    kp_eng_fmtn(pm), kp_eng_fmtn(factor),
					    kp_eng_fmtn(got));
			else
				r = NREASON(g, i, &got, "",
					    "%s任务%s分，完成%s分（%s%%），低于最低档：此项不得分（满分%s）",
					    part_label(parts[p].name),
					    kp_eng_fmtn(parts[p].quota),
					    kp_eng_fmtn(parts[p].actual),
					    kp_eng_fmt2(pct), kp_eng_fmtn(pm));
		}
		for (size_t k = 0; k < parts[p].nactual; k++)
			kp_eng_cite(r, parts[p].actual_facts[k]);
		if (parts[p].quota_fact)
			kp_eng_cite(r, parts[p].quota_fact);
		total = n_add(g, total, got);
	}
out:
	for (size_t p = 0; p < np; p++)
		free(parts[p].actual_facts);
	return n_min(total, rn->max);
}
