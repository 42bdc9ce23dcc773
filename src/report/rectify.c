/* report/rectify.c — each unit's 整改清单 (kp_rep_rectify, report.h):
 * every lost point of its sheet (kp_rnd_sheet_get) with the reason and
 * the evidence, the largest recovery first, and a deadline; after a
 * re-inspection of its site, what the latest inspection no longer finds
 * (the store's kp_store_findings_compare, as `inspect history` shows). */
#include "report/report_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

typedef struct lost {
	const kp_rnode *rn;
	const char *label;     /* the table's label in a scheme, "" */
	bool veto;             /* a veto that struck: first of all */
	kp_num points;         /* what a fix recovers */
	char *why, *evidence;  /* owned */
	size_t order;          /* table order, for ties */
} lost;

typedef struct lostv {
	lost *v;
	size_t n, cap;
} lostv;

static void push(lostv *l, const kp_rnode *rn, const char *label, bool veto,
		 kp_num pts, kp_buf *why, kp_buf *ev)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = kp_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n] = (lost){ rn, label, veto, pts,
			     kp_xstrdup(why->data ? why->data : ""),
			     kp_xstrdup(ev->data ? ev->data : ""), l->n };
	l->n++;
}

/* The lost points of one table's result. */
static void collect(lostv *l, const kp_result *r, const char *label)
{
	kp_buf why = KP_BUF_INIT, ev = KP_BUF_INIT;
	for (size_t i = 0; i < r->nnodes; i++) {
		const kp_rnode *rn = &r->nodes[i];
		bool any = false;
		if (!rn->applies)
			continue;
		if (rn->node->rule == KP_RULE_VETO) {
			if (!rn->vetoed)
				continue;
			kp_buf_reset(&why);
			kp_buf_reset(&ev);
			for (size_t k = 0; k < rn->nreasons; k++) {
				kp_buf_addf(&why, "%s%s", why.len ? "；" : "",
					    rn->reasons[k].text);
				kp_rep_reason_evidence(&ev, &rn->reasons[k]);
			}
			if (!why.len)
				kp_buf_adds(&why, "一票否决");
			push(l, rn, label, true, kp_num_int(0), &why, &ev);
			continue;
		}
		for (size_t k = 0; k < rn->nreasons; k++) {
			const kp_reason *x = &rn->reasons[k];
			kp_num pts;
			if (!x->has_delta || kp_num_cmp(x->delta, kp_num_int(0)) >= 0 ||
			    !kp_rep_reason_own(rn, x))
				continue;
			kp_buf_reset(&why);
			kp_buf_reset(&ev);
			kp_buf_adds(&why, x->text);
			if (x->what && *x->what)
				kp_buf_addf(&why, "（%s）", x->what);
			kp_rep_reason_evidence(&ev, x);
			if (kp_num_sub(kp_num_int(0), x->delta, &pts) < 0)
				continue;
			push(l, rn, label, false, pts, &why, &ev);
			any = true;
		}
		/* a leaf scored below its maximum without a deduction of its
		 * own (an assessor's mark, a tier): the difference */
		if (!any && !rn->node->nchildren && !rn->pending &&
		    rn->node->rule != KP_RULE_MINUS &&
		    kp_num_cmp(rn->score, rn->max) < 0) {
			kp_num pts;
			char b1[48], b2[48];
			if (kp_num_sub(rn->max, rn->score, &pts) < 0)
				continue;
			kp_buf_reset(&why);
			kp_buf_reset(&ev);
			kp_buf_addf(&why, "得%s分（满分%s分）",
				    kp_num_fmt2(rn->score, b1),
				    kp_num_str(rn->max, b2));
			for (size_t k = 0; k < rn->nreasons; k++)
				kp_rep_reason_evidence(&ev, &rn->reasons[k]);
			push(l, rn, label, false, pts, &why, &ev);
		}
	}
	kp_buf_release(&why);
	kp_buf_release(&ev);
}

static int by_recovery(const void *a, const void *b)
{
	const lost *x = a, *y = b;
	int c;
	if (x->veto != y->veto)
		return x->veto ? -1 : 1;
	if ((c = kp_num_cmp(y->points, x->points)))
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void lost_release(lostv *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].why);
		free(l->v[i].evidence);
	}
	free(l->v);
}

/* The findings of unit's previous inspection that its latest lacks. */
typedef struct fixed {
	int64_t latest, previous;
	char *as_of;                 /* the latest's day (owned) */
	char **check, **message, **url;  /* owned, n of each */
	size_t n;
} fixed;

static int latest_row(void *ctx, const kp_inspection *in, kp_err *e)
{
	fixed *f = ctx;
	(void)e;
	f->latest = in->id;
	f->previous = in->previous;
	free(f->as_of);
	f->as_of = kp_xstrdup(in->as_of ? in->as_of : "");
	return 0;
}

static int fixed_row(void *ctx, int change, const kp_store_finding *x,
		     kp_err *e)
{
	fixed *f = ctx;
	(void)e;
	if (change != KP_FINDING_FIXED)
		return 0;
	f->check = kp_xrealloc(f->check, (f->n + 1) * sizeof(*f->check));
	f->message = kp_xrealloc(f->message, (f->n + 1) * sizeof(*f->message));
	f->url = kp_xrealloc(f->url, (f->n + 1) * sizeof(*f->url));
	f->check[f->n] = kp_xstrdup(x->check ? x->check : "");
	f->message[f->n] = kp_xstrdup(x->message ? x->message : "");
	f->url[f->n++] = kp_xstrdup(x->url ? x->url : "");
	return 0;
}

static void fixed_release(fixed *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->check[i]);
		free(f->message[i]);
		free(f->url[i]);
	}
	free(f->check);
	free(f->message);
	free(f->url);
	free(f->as_of);
	memset(f, 0, sizeof(*f));
}

static int fixed_get(kp_rnd *r, const char *unit, fixed *f, kp_err *e)
{
	kp_store *db = kp_rnd_store(r);
	int64_t still = 0;
	memset(f, 0, sizeof(*f));
	if (kp_store_inspections_each(db, kp_rnd_round(r)->id, unit, latest_row,
				      f, e) < 0)
		return -1;
	if (!f->latest || !f->previous)
		return 0;
	return kp_store_findings_compare(db, f->latest, f->previous, fixed_row,
					 f, &still, e);
}

/* One row per lost point, in the order l holds them; the points a fix
 * would recover, summed (vetoes aside). */
static kp_num lost_rows(kp_rep_table *t, const lostv *l, const char *deadline)
{
	kp_buf tmp = KP_BUF_INIT;
	kp_num sum = kp_num_int(0);
	for (size_t i = 0; i < l->n; i++) {
		const lost *x = &l->v[i];
		const kp_node *n = x->rn->node;
		size_t row = kp_rep_row(t);
		kp_rep_int(t, row, 0, (long long)i + 1);
		kp_buf_reset(&tmp);
		kp_buf_addf(&tmp, "%s%s%s", *x->label ? x->label : "",
			    *x->label ? " " : "", n->code);
		kp_rep_text(t, row, 1, tmp.data);
		kp_buf_reset(&tmp);
		kp_buf_adds(&tmp, n->path);
		for (char *p = tmp.data; p && (p = strchr(p, '/')); p++)
			*p = '>';
		kp_rep_text(t, row, 2, tmp.data);
		if (x->veto)
			kp_rep_text(t, row, 3, "一票否决");
		else
			kp_rep_num(t, row, 3, x->points);
		kp_rep_text(t, row, 4, x->why);
		kp_rep_text(t, row, 5, x->evidence);
		kp_buf_reset(&tmp);
		if (*n->text[KP_T_CRITERIA])
			kp_buf_adds(&tmp, n->text[KP_T_CRITERIA]);
		else
			kp_rule_describe(n, &tmp);
		kp_rep_text(t, row, 6, tmp.data);
		kp_rep_text(t, row, 7, deadline);
		if (!x->veto)
			kp_num_add(sum, x->points, &sum);
	}
	kp_buf_release(&tmp);
	return sum;
}

/* After a re-inspection: what the latest inspection no longer finds,
 * under a line of its own, numbered after the nlost lost points. */
static void fixed_rows(kp_rep_table *t, const fixed *fx, size_t nlost)
{
	kp_buf tmp = KP_BUF_INIT;
	size_t row = kp_rep_row(t);
	kp_buf_reset(&tmp);
	kp_buf_addf(&tmp, "经复查已整改（第 %lld 次检测与第 %lld 次相比，%s 不再发现）：%zu 项",
		    (long long)fx->latest, (long long)fx->previous,
		    fx->as_of, fx->n);
	kp_rep_text(t, row, 0, tmp.data);
	kp_rep_at(t, row, 0)->bold = true;
	kp_rep_merge_add(t, row, 0, row, t->ncols - 1);
	for (size_t i = 0; i < fx->n; i++) {
		row = kp_rep_row(t);
		kp_rep_int(t, row, 0, (long long)(nlost + i + 1));
		kp_rep_text(t, row, 1, fx->check[i]);
		kp_rep_text(t, row, 2, fx->message[i]);
		kp_rep_text(t, row, 4, fx->message[i]);
		kp_rep_text(t, row, 5, fx->url[i]);
		kp_buf_reset(&tmp);
		kp_buf_addf(&tmp, "已整改（%s 复查）", fx->as_of);
		kp_rep_text(t, row, 8, tmp.data);
	}
	kp_rep_foot(t, "经复查已整改 %zu 项（第 %lld 次检测发现、第 %lld 次检测不再发现）。",
		    fx->n, (long long)fx->previous, (long long)fx->latest);
	kp_buf_release(&tmp);
}

static int unit_list(kp_rnd *r, const char *unit, bool keep_empty,
		     const char *deadline, kp_rep_doc *d, kp_err *e)
{
	static const char *const heads[] = { "序号", "指标编号", "指标",
					     "可挽回分", "扣分原因", "证据",
					     "整改要求", "整改期限", "整改情况" };
	static const double width[] = { 6, 9, 28, 9, 30, 30, 36, 14, 16 };
	const kp_round *rd = kp_rnd_round(r);
	const kp_result *first = NULL;
	kp_rnd_sheet s;
	lostv l = { 0 };
	kp_buf title = KP_BUF_INIT, sub = KP_BUF_INIT;
	kp_num sum;
	kp_rep_table *t;
	char b[48];
	fixed fx;
	if (kp_rnd_sheet_get(r, unit, 0, &s, e) < 0)
		return -1;
	if (fixed_get(r, kp_rnd_unit_name(r, s.unit), &fx, e) < 0) {
		kp_rnd_sheet_release(&s);
		fixed_release(&fx);
		return -1;
	}
	for (size_t k = 0; k < KP_SCHEME_MAX_TABLES; k++)
		if (s.res[k]) {
			collect(&l, s.res[k], s.several ? rd->tables[k].label : "");
			if (!first)
				first = s.res[k];
		}
	if (!first || (!l.n && !fx.n && !keep_empty))
		goto done;
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_recovery);
	kp_buf_addf(&title, "%s整改清单", first->unit);
	kp_rep_unit_line(&sub, first, rd->name);
	t = kp_rep_table_new(d, first->unit, title.data, sub.data, heads, width,
			     sizeof(heads) / sizeof(heads[0]));
	t->landscape = true;
	sum = lost_rows(t, &l, deadline);
	if (fx.n)
		fixed_rows(t, &fx, l.n);
	if (l.n)
		kp_rep_foot(t, "共 %zu 项，整改到位可挽回 %s 分。整改期限：%s。整改完成后，请在“整改情况”栏写明措施和完成日期，报送考评办公室复核。",
			    l.n, kp_num_fmt2(sum, b), deadline);
	else if (!fx.n)
		kp_rep_foot(t, "本轮考评无扣分项，无需整改。");
	kp_rep_foot(t, "单位负责人（签字）：＿＿＿＿＿＿＿＿　　日期：　　　　年　　月　　日");
done:
	fixed_release(&fx);
	lost_release(&l);
	kp_buf_release(&title);
	kp_buf_release(&sub);
	kp_rnd_sheet_release(&s);
	return 0;
}

int kp_rep_rectify(kp_rnd *r, const char *unit, const char *deadline,
		   kp_rep_doc *d, kp_err *e)
{
	if (!deadline || !*deadline)
		deadline = "收到通知后30日内";
	if (unit)
		return unit_list(r, unit, true, deadline, d, e);
	for (size_t i = 0; i < kp_rnd_nunits(r); i++)
		if (unit_list(r, kp_rnd_unit_name(r, i), false, deadline, d, e) < 0)
			return -1;
	return 0;
}
