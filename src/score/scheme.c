/* score/scheme.c — a unit assessed on several tables: which table a fact
 * belongs to, and how the per-table results combine into the unit's
 * result.  See score.h and docs/scheme.md. */
#include "score/score_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- which table a fact belongs to ----------------------------------- */

/* Does some rule of t read table id (a checklist's list=, a quota=)? */
static bool table_names(const kp_table *t, const char *id, size_t len)
{
	for (size_t i = 0; i < t->nnodes; i++)
		for (size_t k = 0; k < t->nodes[i]->nparams; k++) {
			const kp_param *p = &t->nodes[i]->params[k];
			if ((!strcmp(p->key, "list") || !strcmp(p->key, "quota")) &&
			    p->value && strlen(p->value) == len &&
			    !strncmp(p->value, id, len))
				return true;
		}
	return false;
}

/* Does f's indicator name a node of t (or of a checklist table t reads)? */
static bool resolves_in(const kp_table *t, const kp_score_ctx *c,
			const char *ind)
{
	const kp_table *in;
	const kp_node *nd = kp_fact_target(t, c, ind, &in);
	if (!nd)
		return false;
	if (in == t)
		return true;
	return table_names(t, kp_table_id(in), strlen(kp_table_id(in)));
}

static void list_ids(kp_buf *b, const kp_table *const *t, size_t n,
		     const bool *allowed, const bool *only)
{
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if ((allowed && !allowed[i]) || (only && !only[i]))
			continue;
		kp_buf_addf(b, "%s%s", first ? "" : "、", kp_table_id(t[i]));
		first = false;
	}
}

int kp_fact_table(const kp_table *const *t, size_t n, const bool *allowed,
		  const kp_score_ctx *c, const kp_fact *f, kp_err *e)
{
	kp_buf ids = KP_BUF_INIT;
	bool *hit;
	size_t nhit = 0, which = 0;
	int rc;
	if (f->table && *f->table) {
		for (size_t i = 0; i < n; i++) {
			if (strcmp(kp_table_id(t[i]), f->table))
				continue;
			if (allowed && !allowed[i]) {
				list_ids(&ids, t, n, allowed, NULL);
				rc = kp_fail_line(e, KP_EINPUT, f->line,
					     "单位“%s”不按表 %s 考评（它的表：%s）",
					     f->unit, f->table, ids.data ? ids.data : "无");
				kp_buf_release(&ids);
				return rc;
			}
			return (int)i;
		}
		list_ids(&ids, t, n, NULL, NULL);
		rc = kp_fail_line(e, KP_EINPUT, f->line, "表“%s”不在本轮次中（本轮次的表：%s）",
			     f->table, ids.data ? ids.data : "");
		kp_buf_release(&ids);
		return rc;
	}
	if (n == 1 && (!allowed || allowed[0]))
		return 0;
	hit = kp_xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		if ((!allowed || allowed[i]) && resolves_in(t[i], c, f->indicator)) {
			hit[i] = true;
			which = i;
			nhit++;
		}
	if (nhit == 1) {
		free(hit);
		return (int)which;
	}
	if (nhit > 1) {
		list_ids(&ids, t, n, NULL, hit);
		rc = kp_fail_line(e, KP_EINPUT, f->line,
			     "指标“%s”在单位“%s”考评的几张表中都有（%s），请在 table 列写明是哪张表",
			     f->indicator, f->unit, ids.data);
	} else {
		list_ids(&ids, t, n, allowed, NULL);
		rc = kp_fail_line(e, KP_EINPUT, f->line, "指标“%s”不在单位“%s”考评的表（%s）中",
			     f->indicator, f->unit, ids.data ? ids.data : "无");
	}
	free(hit);
	kp_buf_release(&ids);
	return rc;
}

/* ---- combination ----------------------------------------------------- */

static bool deducts(const kp_result *r)
{
	return r->has_convert && !strncmp(r->convert, "deduct:", 7);
}

kp_num kp_part_value(kp_combine_rule rule, const kp_result *r)
{
	if (rule != KP_COMBINE_SUM || !r->has_convert)
		return r->total;
	if (deducts(r))
		return (kp_num){ -r->converted.n, r->converted.d };
	return r->converted;
}

bool kp_result_any_veto(const kp_result *r)
{
	if (r->vetoed)
		return true;
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i].node->rule == KP_RULE_VETO && r->nodes[i].vetoed)
			return true;
	return false;
}

/* ---- weighted combination ------------------------------------------- */

int kp_combine(const kp_result *const *rs, const kp_num *w, size_t n,
	       kp_num *total, kp_buf *explain, kp_err *e)
{
	kp_num sum = kp_num_int(0), acc = kp_num_int(0);
	kp_buf b = KP_BUF_INIT;
	char s1[32], s2[32];
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rs[i]->unit, rs[0]->unit))
			return kp_fail(e, KP_EINPUT, "合并的结果不属于同一单位（%s、%s）",
				       rs[0]->unit, rs[i]->unit);
		if (w[i].n < 0)
			return kp_fail(e, KP_EINPUT, "权重 %s 为负数",
				       kp_num_str(w[i], s1));
		if (kp_num_add(sum, w[i], &sum) < 0)
			return kp_fail(e, KP_EINPUT, "权重之和溢出");
	}
	if (!n || kp_num_is_zero(sum))
		return kp_fail(e, KP_EINPUT, "权重之和为 0，无法合并");
	for (size_t i = 0; i < n; i++) {
		kp_num share, part, pct;
		if (kp_num_div(w[i], sum, &share) < 0 ||
		    kp_num_mul(share, rs[i]->total, &part) < 0 ||
		    kp_num_add(acc, part, &acc) < 0 ||
		    kp_num_mul(share, kp_num_int(100), &pct) < 0) {
			rc = kp_fail(e, KP_EINPUT, "合并计算溢出");
			goto out;
		}
		kp_buf_addf(&b, "%s%s %s × %s%%", i ? " + " : "",
			    *rs[i]->title ? rs[i]->title : rs[i]->table_id,
			    kp_num_str(rs[i]->total, s1), kp_num_str(pct, s2));
	}
	kp_buf_addf(&b, " = %s\n", kp_num_str(acc, s1));
	if (explain)
		kp_buf_add(explain, b.data, b.len);
	*total = acc;
out:
	kp_buf_release(&b);
	return rc;
}

const kp_node *kp_result_veto_node(const kp_result *r)
{
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i].node->rule == KP_RULE_VETO && r->nodes[i].vetoed &&
		    (!r->vetoed || r->nodes[i].node->args.scope == KP_VETO_EVALUATION ||
		     !r->nodes[i].node->parent))
			return r->nodes[i].node;
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i].node->rule == KP_RULE_VETO && r->nodes[i].vetoed)
			return r->nodes[i].node;
	return NULL;
}

const char *kp_num_fmt2_signed(kp_num v, bool neg, char *buf)
{
	char digits[32];
	kp_num a = v;
	if (a.n < 0)
		a.n = -a.n;
	kp_num_fmt2(a, digits);
	if (neg || v.n < 0)
		snprintf(buf, 40, "−%s", digits);
	else if (v.n > 0 || strcmp(digits, "0.00"))
		snprintf(buf, 40, "+%s", digits);
	else
		snprintf(buf, 40, "%s", digits);
	return buf;
}

static const char *label_of(const kp_part *p)
{
	if (p->label && *p->label)
		return p->label;
	return *p->r->title ? p->r->title : p->r->table_id;
}

int kp_combine_parts(kp_combine_rule rule, const kp_part *p, size_t n,
		     kp_num *total, kp_buf *explain, kp_err *e)
{
	kp_num acc = kp_num_int(0);
	kp_buf b = KP_BUF_INIT;
	char s1[40];
	int rc = 0;
	if (!n)
		return kp_fail(e, KP_EINPUT, "没有可合并的结果");
	if (rule == KP_COMBINE_WEIGHTED) {
		/* kp_combine names each part by its title: lend it the label */
		kp_result *named = kp_xcalloc(n, sizeof(*named));
		const kp_result **rs = kp_xcalloc(n, sizeof(*rs));
		kp_num *w = kp_xcalloc(n, sizeof(*w));
		for (size_t i = 0; i < n; i++) {
			named[i] = *p[i].r;     /* shallow: nothing here is freed */
			named[i].title = (char *)label_of(&p[i]);
			rs[i] = &named[i];
			w[i] = p[i].weight;
		}
		rc = kp_combine(rs, w, n, total, explain, e);
		free(named);
		free(rs);
		free(w);
		return rc;
	}
	if (rule == KP_COMBINE_NONE) {
		*total = p[0].r->total;
		if (explain)
			kp_buf_addf(explain, "%s %s\n", label_of(&p[0]),
				    kp_num_fmt2(p[0].r->total, s1));
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		kp_num v = kp_part_value(rule, p[i].r);
		if (kp_num_add(acc, v, &acc) < 0) {
			rc = kp_fail(e, KP_EINPUT, "合并计算溢出");
			goto out;
		}
		kp_buf_addf(&b, "%s%s %s", i ? " + " : "", label_of(&p[i]),
			    kp_num_fmt2_signed(v, deducts(p[i].r), s1));
	}
	kp_buf_addf(&b, " = %s\n", kp_num_fmt2_signed(acc, false, s1));
	if (explain)
		kp_buf_add(explain, b.data, b.len);
	*total = acc;
out:
	kp_buf_release(&b);
	return rc;
}
