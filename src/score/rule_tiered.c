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

/* The parts of node i (split=city:64,… or one part "total" worth the
 * node's maximum), each with its quota (the quota table, or an explicit
 * <part>_quota fact of a counting source: a quota is context) and the
 * actual points of this pass (<part>_points facts).  Returns how many
 * parts; *nq counts the parts with a positive quota, *any_actual whether
 * some actual points were given. */
static size_t tiered_parts(eng *g, size_t i, part *parts, size_t *nq,
			   bool *any_actual)
{
	const kp_node *nd = g->t->nodes[i];
	const kp_rule_args *a = &nd->args;
	const kp_table *q = a->quota ? kp_score_ctx_table(g->c, a->quota) : NULL;
	size_t np = 0;
	memset(parts, 0, 4 * sizeof(*parts));
	for (size_t p = 0; p < 4; p++)
		parts[p].max = parts[p].quota = parts[p].actual =
			kp_num_int(0);
	if (a->split_text && *a->split_text) {
		for (size_t k = 0; k < a->nsplit && np < 4; k++) {
			int len = (int)a->split[k].len;
			snprintf(parts[np].name, sizeof(parts[np].name), "%.*s",
				 len, a->split[k].name);
			parts[np++].max = a->split[k].max;
		}
	} else {
		snprintf(parts[0].name, sizeof(parts[0].name), "total");
		parts[0].max = g->r->nodes[i].max;
		np = 1;
	}
	*nq = 0;
	*any_actual = false;
	for (size_t p = 0; p < np; p++) {
		char qn[64], an[64];
		snprintf(qn, sizeof(qn), "%.31s_quota", parts[p].name);
		snprintf(an, sizeof(an), "%.31s_points", parts[p].name);
		if (quota_lookup(g, q, parts[p].name, &parts[p].quota))
			parts[p].has_quota = true;
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
				*any_actual = true;
			}
		}
		if (parts[p].has_quota && parts[p].quota.n > 0)
			(*nq)++;
	}
	return np;
}

/* What part p earns, worth pm points: its completion ratio against the
 * tiers (the highest threshold reached), earned or deducted; the reason
 * cites its facts. */
static kp_num tiered_part(eng *g, size_t i, const part *pt, kp_num pm)
{
	const kp_rule_args *a = &g->t->nodes[i]->args;
	kp_num ratio, factor = kp_num_int(0), thr_hit = kp_num_int(0), got;
	bool hit = false;
	kp_reason *r;
	ratio = n_div(g, pt->has_actual ? pt->actual : kp_num_int(0),
		      pt->quota);
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
	if (a->deducted) {
		kp_num ded = hit ? n_mul(g, pm, factor) : pm;
		got = n_sub(g, pm, ded);
		if (hit)
			r = NREASON(g, i, &got, "",
				    "%s任务%s分，完成%s分（%s%%），达%s%%档扣%s%%：扣%s分，得%s分（满分%s）",
				    part_label(pt->name), kp_eng_fmtn(pt->quota),
				    kp_eng_fmtn(pt->actual), kp_eng_fmt2(pct),
				    kp_eng_fmtn(thr_pct),
				    kp_eng_fmtn(n_mul(g, factor, kp_num_int(100))),
				    kp_eng_fmtn(ded), kp_eng_fmtn(got),
				    kp_eng_fmtn(pm));
		else
			r = NREASON(g, i, &got, "",
				    "%s任务%s分，完成%s分（%s%%），低于最低档：此项%s分扣完",
				    part_label(pt->name), kp_eng_fmtn(pt->quota),
				    kp_eng_fmtn(pt->actual), kp_eng_fmt2(pct),
				    kp_eng_fmtn(pm));
	} else {
		got = n_mul(g, pm, factor);
		if (hit)
			r = NREASON(g, i, &got, "",
				    "%s任务%s分，完成%s分（%s%%），达%s%%档得%s%%：%s×%s=%s分",
				    part_label(pt->name), kp_eng_fmtn(pt->quota),
				    kp_eng_fmtn(pt->actual), kp_eng_fmt2(pct),
				    kp_eng_fmtn(thr_pct),
				    kp_eng_fmtn(n_mul(g, factor, kp_num_int(100))),
				    kp_eng_fmtn(pm), kp_eng_fmtn(factor),
				    kp_eng_fmtn(got));
		else
			r = NREASON(g, i, &got, "",
				    "%s任务%s分，完成%s分（%s%%），低于最低档：此项不得分（满分%s）",
				    part_label(pt->name), kp_eng_fmtn(pt->quota),
				    kp_eng_fmtn(pt->actual), kp_eng_fmt2(pct),
				    kp_eng_fmtn(pm));
	}
	for (size_t k = 0; k < pt->nactual; k++)
		kp_eng_cite(r, pt->actual_facts[k]);
	if (pt->quota_fact)
		kp_eng_cite(r, pt->quota_fact);
	return got;
}

kp_num kp_eng_tiered(eng *g, size_t i)
{
	const kp_node *nd = g->t->nodes[i];
	kp_rnode *rn = &g->r->nodes[i];
	part parts[4];
	size_t nq, np;
	bool any_actual;
	kp_num total = kp_num_int(0);

	np = tiered_parts(g, i, parts, &nq, &any_actual);
	if (!any_actual) {
		g->pending[i] = true;
		NREASON(g, i, NULL, "", "无采用数据（%s），暂计0分",
			nd->args.split_text ? "city_points/province_points"
					    : "total_points");
		goto out;
	}
	if (nq == 0) {
		NREASON(g, i, NULL, "", "本单位无采用任务，无法计算完成率，计0分");
		goto out;
	}
	for (size_t p = 0; p < np; p++) {
		kp_num pm = parts[p].max;
		if (!parts[p].has_quota || parts[p].quota.n <= 0)
			continue;
		if (nq == 1 && np > 1)
			pm = nd->args.has_single ? nd->args.single : rn->max;
		total = n_add(g, total, tiered_part(g, i, &parts[p], pm));
	}
out:
	for (size_t p = 0; p < np; p++)
		free(parts[p].actual_facts);
	return n_min(total, rn->max);
}
