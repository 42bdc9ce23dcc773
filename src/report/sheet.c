/* report/sheet.c — each unit's 考评表 as offices publish it
 * (kp_rep_sheets, report.h), read through round's kp_rnd_sheet_get. */
#include "report/report_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

static const char *const level_heads[] = { "一级指标", "二级指标",
					   "三级指标", "四级指标",
					   "五级指标", "六级指标" };

int kp_rep_depth(const kp_result *r)
{
	int depth = 1;
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i].node->level > depth)
			depth = r->nodes[i].node->level;
	return depth > 6 ? 6 : depth;
}

bool kp_rep_reason_own(const kp_rnode *rn, const kp_reason *x)
{
	if (!x->what || !*x->what)
		return true;
	for (size_t c = 0; c < rn->node->nchildren; c++)
		if (!strcmp(rn->node->children[c]->name, x->what) ||
		    !strcmp(rn->node->children[c]->path, x->what) ||
		    !strcmp(rn->node->children[c]->code, x->what))
			return false;
	return true;
}

void kp_rep_reason_evidence(kp_buf *b, const kp_reason *x)
{
	size_t start = b->len;
	for (size_t f = 0; f < x->nfacts; f++) {
		const kp_fact *ft = &x->facts[f];
		size_t before = b->len;
		if (b->len > start)
			kp_buf_adds(b, "；");
		before = b->len;
		if (ft->note && *ft->note)
			kp_buf_adds(b, ft->note);
		if (ft->url && *ft->url)
			kp_buf_addf(b, "%s%s", b->len > before ? "，" : "",
				    ft->url);
		if (ft->time && *ft->time)
			kp_buf_addf(b, "%s%s", b->len > before ? "，" : "",
				    ft->time);
		if (b->len == before && b->len > start)
			b->len -= strlen("；"), b->data[b->len] = '\0';
	}
}

void kp_rep_reason_text(kp_buf *b, const kp_reason *x)
{
	size_t at;
	kp_buf_adds(b, x->text ? x->text : "");
	if (x->what && *x->what)
		kp_buf_addf(b, "（%s）", x->what);
	kp_buf_adds(b, "：");
	at = b->len;
	kp_rep_reason_evidence(b, x);
	if (b->len == at) {   /* no evidence: drop the colon */
		b->len -= strlen("：");
		b->data[b->len] = '\0';
	}
}

void kp_rep_unit_line(kp_buf *b, const kp_result *r, const char *round)
{
	kp_buf_addf(b, "单位：%s", r->unit);
	if (*r->unit_type)
		kp_buf_addf(b, "（%s）", r->unit_type);
	kp_buf_addf(b, "　　轮次：%s", round);
}

/* Rows node i's subtree takes (itself and the descendants after it). */
static size_t subtree_rows(const kp_result *r, size_t i)
{
	size_t j = i + 1;
	for (; j < r->nnodes; j++) {
		const kp_node *p = r->nodes[j].node->parent;
		while (p && p != r->nodes[i].node)
			p = p->parent;
		if (!p)
			break;
	}
	return j - i;
}

enum { C_SEQ = 0 };

/* The 扣分说明 of rn: its own deductions with their evidence, "；"-joined;
 * a veto that struck; "未评" when nothing decided it; "（已更正）" when a
 * later fact replaced an earlier one on it. */
static void remarks(kp_buf *b, const kp_rnode *rn, bool corrected)
{
	if (!rn->applies) {
		kp_buf_adds(b, "不适用");
		return;
	}
	for (size_t k = 0; k < rn->nreasons; k++) {
		const kp_reason *x = &rn->reasons[k];
		bool lost = x->has_delta && kp_num_cmp(x->delta, kp_num_int(0)) < 0;
		bool veto = rn->node->rule == KP_RULE_VETO && rn->vetoed;
		if ((!lost && !veto) || !kp_rep_reason_own(rn, x))
			continue;
		if (b->len)
			kp_buf_adds(b, "；");
		kp_rep_reason_text(b, x);
	}
	if (rn->pending && rn->node->rule != KP_RULE_VETO)
		kp_buf_addf(b, "%s未评", b->len ? "；" : "");
	if (corrected)
		kp_buf_adds(b, "（已更正）");
}

static void node_row(kp_rep_table *t, const kp_result *r, size_t i, int depth,
		     bool corrected, kp_buf *tmp)
{
	const kp_rnode *rn = &r->nodes[i];
	const kp_node *n = rn->node;
	size_t row = kp_rep_row(t), c = C_SEQ + 1;
	kp_rep_text(t, row, C_SEQ, n->code);
	for (int l = 1; l <= depth; l++, c++)
		if (n->level == l) {
			size_t span = subtree_rows(r, i);
			kp_rep_text(t, row, c, n->name);
			if (span > 1 && l < depth)
				kp_rep_merge_add(t, row, c, row + span - 1, c);
		}
	if (n->rule == KP_RULE_VETO)
		kp_rep_text(t, row, c, "否决项");
	else if (n->rule == KP_RULE_MINUS)
		kp_rep_text(t, row, c, "扣分项");
	else
		kp_rep_num(t, row, c, rn->max);
	c++;
	kp_buf_reset(tmp);
	if (*n->text[KP_T_CRITERIA])
		kp_buf_adds(tmp, n->text[KP_T_CRITERIA]);
	else
		kp_rule_describe(n, tmp);
	kp_rep_text(t, row, c++, tmp->data);
	if (rn->has_self)
		kp_rep_num(t, row, c, rn->self);
	c++;
	if (rn->has_assessor)
		kp_rep_num(t, row, c, rn->assessor);
	c++;
	if (!rn->applies)
		kp_rep_text(t, row, c, "不适用");
	else if (n->rule == KP_RULE_VETO)
		kp_rep_text(t, row, c, rn->vetoed ? "触发" : "未触发");
	else
		kp_rep_num(t, row, c, rn->score);
	c++;
	kp_buf_reset(tmp);
	remarks(tmp, rn, corrected);
	kp_rep_text(t, row, c, tmp->data);
}

/* The table of unit's result r on one of the round's tables. */
static void result_table(kp_rep_doc *d, const kp_result *r, const char *round,
			 const char *label, int64_t rank, size_t nunits,
			 const bool *marks)
{
	const char *heads[16];
	double width[16];
	size_t n = 0, row;
	int depth = kp_rep_depth(r);
	kp_buf sub = KP_BUF_INIT, tmp = KP_BUF_INIT;
	kp_rep_table *t;
	char b1[48], b2[48];

	heads[n] = "序号", width[n++] = 8;
	for (int l = 0; l < depth; l++)
		heads[n] = level_heads[l], width[n++] = 16;
	heads[n] = "分值", width[n++] = 8;
	heads[n] = "评分标准", width[n++] = 40;
	heads[n] = "自评分", width[n++] = 8;
	heads[n] = "考核分", width[n++] = 8;
	heads[n] = "得分", width[n++] = 8;
	heads[n] = "扣分说明", width[n++] = 36;
	kp_rep_unit_line(&sub, r, round);
	if (label && *label)
		kp_buf_addf(&sub, "　　【%s】", label);
	t = kp_rep_table_new(d, r->unit, r->title, sub.data, heads, width, n);
	t->landscape = true;
	for (size_t i = 0; i < r->nnodes; i++)
		node_row(t, r, i, depth, marks && marks[i], &tmp);
	/* the total row */
	row = kp_rep_row(t);
	kp_rep_text(t, row, C_SEQ, "合计");
	kp_rep_at(t, row, C_SEQ)->bold = true;
	kp_rep_num(t, row, (size_t)depth + 1, r->max);
	if (r->has_self)
		kp_rep_num(t, row, (size_t)depth + 3, r->self_total);
	kp_rep_num(t, row, (size_t)depth + 5, r->total);
	kp_rep_at(t, row, (size_t)depth + 5)->bold = true;
	kp_rep_text(t, row, (size_t)depth + 6, r->outcome);

	kp_rep_foot(t, "得分：%s 分（满分 %s 分）%s%s", kp_num_fmt2(r->total, b1),
		    kp_num_str(r->max, b2), *r->outcome ? "，" : "", r->outcome);
	if (r->has_convert)
		kp_rep_foot(t, "折算：%s %s 分（%s）",
			    !strncmp(r->convert, "deduct:", 7) ? "扣" : "得",
			    kp_num_fmt2(r->converted, b1),
			    !strncmp(r->convert, "deduct:", 7)
				    ? "按扣分折算"
				    : "按得分折算");
	kp_buf_reset(&tmp);
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i].node->rule == KP_RULE_VETO && r->nodes[i].vetoed)
			kp_buf_addf(&tmp, "%s%s %s", tmp.len ? "；" : "",
				    r->nodes[i].node->code, r->nodes[i].node->name);
	kp_rep_foot(t, "一票否决：%s", r->vetoed || tmp.len
					   ? (tmp.len ? tmp.data : "触发")
					   : "无");
	kp_buf_reset(&tmp);
	for (size_t k = 0; k < r->nreasons; k++)
		kp_buf_addf(&tmp, "%s%s", tmp.len ? "；" : "", r->reasons[k].text);
	if (tmp.len)
		kp_rep_foot(t, "计分说明：%s", tmp.data);
	if (rank > 0)
		kp_rep_foot(t, "名次：第 %lld 名（共 %zu 个单位）", (long long)rank,
			    nunits);
	kp_buf_release(&sub);
	kp_buf_release(&tmp);
}

/* The signature line offices print under a sheet. */
static void sign(kp_rep_table *t)
{
	kp_rep_foot(t, "考核人（签字）：＿＿＿＿＿＿＿＿　　复核人（签字）：＿＿＿＿＿＿＿＿　　日期：　　　　年　　月　　日");
}

/* Unit's sheets added to d: a table per table of the round it is
 * assessed on, the last with the combination, its rank and the
 * signature line. */
static int unit_sheets(kp_rnd *r, const char *unit, kp_rep_doc *d, kp_err *e)
{
	const kp_round *rd = kp_rnd_round(r);
	kp_rnd_sheet s;
	int64_t rank;
	if (kp_rnd_sheet_get(r, unit, KP_RND_CORRECTIONS, &s, e) < 0)
		return -1;
	rank = s.stale ? 0 : s.rank;
	if (!s.several) {
		result_table(d, s.res[0], rd->name, NULL, rank, kp_rnd_nunits(r),
			     s.corrected[0]);
		sign(&d->v[d->n - 1]);
	} else {
		kp_rep_table *last = NULL;
		for (size_t k = 0; k < rd->ntables; k++) {
			if (!s.res[k])
				continue;
			result_table(d, s.res[k], rd->name, rd->tables[k].label,
				     0, kp_rnd_nunits(r), s.corrected[k]);
			last = &d->v[d->n - 1];
		}
		if (last) {
			kp_rep_foot(last, "方案 %s 合计：%s", rd->scheme,
				    s.combination);
			if (rank > 0)
				kp_rep_foot(last, "名次：第 %lld 名（共 %zu 个单位）",
					    (long long)rank, kp_rnd_nunits(r));
			sign(last);
		}
	}
	kp_rnd_sheet_release(&s);
	return 0;
}

int kp_rep_sheets(kp_rnd *r, const char *unit, kp_rep_doc *d, kp_err *e)
{
	if (unit)
		return unit_sheets(r, unit, d, e);
	for (size_t i = 0; i < kp_rnd_nunits(r); i++)
		if (unit_sheets(r, kp_rnd_unit_name(r, i), d, e) < 0)
			return -1;
	return 0;
}

int kp_rep_sheets_out(kp_rnd *r, const char *unit, kp_rep_out *o, kp_err *e)
{
	size_t n = unit ? 1 : kp_rnd_nunits(r);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		kp_rep_doc d;
		kp_rep_doc_init(&d, NULL);
		rc = unit_sheets(r, unit ? unit : kp_rnd_unit_name(r, i), &d, e);
		if (rc == 0)
			rc = kp_rep_out_add(o, &d, e);
		kp_rep_doc_release(&d);
	}
	return rc;
}
