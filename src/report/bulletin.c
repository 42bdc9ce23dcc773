/* report/bulletin.c — the 通报 of a round (kp_rep_bulletin, report.h):
 * 标题, 主送, 正文 with the overview figures, the best and the worst
 * units, the commonest problems with their counts, the requirement to
 * rectify, 落款 and date; each unit's problems in an annex.  Read from
 * the stored ranking and each unit's sheet; the text is a draft the
 * office edits before it is issued. */
#include "report/report_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A place points were lost, counted over the units. */
typedef struct problem {
	char *label;         /* "1.4 没有准确、按时填报…" (owned) */
	size_t units;        /* units that lost points there */
	kp_num points;       /* points lost there, all units */
	size_t first;        /* order of first sight, for ties */
} problem;

typedef struct problems {
	problem *v;
	size_t n, cap;
} problems;

static void count(problems *p, const char *label, kp_num pts)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].label, label)) {
			p->v[i].units++;
			kp_num_add(p->v[i].points, pts, &p->v[i].points);
			return;
		}
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 32;
		p->v = kp_xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n] = (problem){ kp_xstrdup(label), 1, pts, p->n };
	p->n++;
}

static int by_units(const void *a, const void *b)
{
	const problem *x = a, *y = b;
	if (x->units != y->units)
		return x->units > y->units ? -1 : 1;
	if (kp_num_cmp(x->points, y->points))
		return -kp_num_cmp(x->points, y->points);
	return x->first < y->first ? -1 : 1;
}

/* One unit's lost points: counted into p, listed into annex (one line
 * each). */
static void unit_problems(const kp_result *r, const char *label,
			  problems *p, kp_buf *annex)
{
	kp_buf what = KP_BUF_INIT, name = KP_BUF_INIT;
	for (size_t i = 0; i < r->nnodes; i++) {
		const kp_rnode *rn = &r->nodes[i];
		kp_num lost = kp_num_int(0);
		bool any = false;
		if (!rn->applies)
			continue;
		kp_buf_reset(&what);
		for (size_t k = 0; k < rn->nreasons; k++) {
			const kp_reason *x = &rn->reasons[k];
			bool veto = rn->node->rule == KP_RULE_VETO && rn->vetoed;
			if (!veto && (!x->has_delta ||
				      kp_num_cmp(x->delta, kp_num_int(0)) >= 0))
				continue;
			if (!kp_rep_reason_own(rn, x))
				continue;
			if (!veto)
				kp_num_sub(lost, x->delta, &lost);
			if (what.len)
				kp_buf_adds(&what, "；");
			kp_rep_reason_text(&what, x);
			any = true;
		}
		if (!any)
			continue;
		kp_buf_reset(&name);
		kp_buf_addf(&name, "%s%s%s %s", *label ? label : "",
			    *label ? " " : "", rn->node->code, rn->node->name);
		count(p, name.data, lost);
		kp_buf_addf(annex, "%s%s：%s", annex->len ? "\n" : "", name.data,
			    what.data);
	}
	kp_buf_release(&what);
	kp_buf_release(&name);
}

static void today(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	snprintf(buf, n, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
}

/* "2016年政务（信息）公开工作考评表" → "2016年政务（信息）公开工作考评" */
static void subject(kp_buf *b, const char *title)
{
	size_t n = strlen(title);
	if (n >= 3 && !strcmp(title + n - 3, "表"))
		n -= 3;
	kp_buf_add(b, title, n);
}

/* What the text is made from: the ranking, the problems counted over
 * the units, the subject and the addressees. */
typedef struct gathered {
	kp_rnd_ranking k;
	problems p;
	kp_buf subj, types;
	kp_num avg;
	size_t full, lost_units, vetoed;
} gathered;

/* One pass over the ranked units: each unit's sheet read, its problems
 * counted and listed in the annex table. */
static int gather(kp_rnd *r, gathered *g, kp_rep_doc *d, kp_err *e)
{
	static const char *const heads[] = { "序号", "单位", "得分", "名次",
					     "失分项（原因、证据）" };
	static const double width[] = { 6, 28, 9, 6, 90 };
	const kp_round *rd = kp_rnd_round(r);
	kp_buf annex = KP_BUF_INIT;
	kp_num sum = kp_num_int(0);
	kp_rep_table *t = kp_rep_table_new(d, "附件", "附件：各单位失分情况", "",
					   heads, width, 5);
	size_t at = d->n - 1;
	int rc = 0;
	for (size_t i = 0; i < g->k.nrows && !rc; i++) {
		const kp_store_result *x = &g->k.rows[i].r;
		kp_rnd_sheet s;
		size_t row;
		if (kp_rnd_sheet_get(r, x->unit, 0, &s, e) < 0) {
			rc = -1;
			break;
		}
		kp_buf_reset(&annex);
		for (size_t j = 0; j < KP_SCHEME_MAX_TABLES; j++) {
			const kp_result *res = s.res[j];
			if (!res)
				continue;
			if (!g->subj.len)
				subject(&g->subj, s.several ? rd->name : res->title);
			if (*res->unit_type &&
			    !strstr(g->types.data ? g->types.data : "", res->unit_type))
				kp_buf_addf(&g->types, "%s%s",
					    g->types.len ? "、各" : "各",
					    res->unit_type);
			unit_problems(res, s.several ? rd->tables[j].label : "",
				      &g->p, &annex);
		}
		kp_rnd_sheet_release(&s);
		kp_num_add(sum, x->total, &sum);
		g->vetoed += x->vetoed;
		if (annex.len)
			g->lost_units++;
		else
			g->full++;
		t = &d->v[at];
		row = kp_rep_row(t);
		kp_rep_int(t, row, 0, (long long)i + 1);
		kp_rep_text(t, row, 1, x->unit);
		kp_rep_num(t, row, 2, x->total);
		kp_rep_int(t, row, 3, (long long)x->rank);
		kp_rep_text(t, row, 4, annex.len ? annex.data : "无失分");
	}
	kp_buf_release(&annex);
	if (!rc && g->k.nrows &&
	    kp_num_div(sum, kp_num_int((int64_t)g->k.nrows), &g->avg) < 0)
		g->avg = kp_num_int(0);
	if (g->p.n)
		qsort(g->p.v, g->p.n, sizeof(*g->p.v), by_units);
	return rc;
}

/* "市公安局（92.50分）、…" for ranked rows [from, to). */
static void unit_list(kp_buf *b, const kp_rnd_ranking *k, size_t from,
		      size_t to)
{
	char n[48];
	for (size_t i = from; i < to; i++)
		kp_buf_addf(b, "%s%s（%s分）", i > from ? "、" : "",
			    k->rows[i].r.unit, kp_num_fmt2(k->rows[i].r.total, n));
}

/* The text: title, addressees, the five parts, annex line, signature. */
static void text(const gathered *g, const kp_rep_bulletin_opts *o,
		 const char *from, const char *date, kp_rep_doc *d)
{
	const kp_rnd_ranking *k = &g->k;
	size_t n = k->nrows, top = n < 5 ? n : 5, bottom = n < 3 ? n : 3;
	kp_buf b = KP_BUF_INIT;
	char b1[48], b2[48], b3[48];

	kp_buf_addf(&b, "关于%s结果的通报", g->subj.data ? g->subj.data : "");
	free(d->title);
	d->title = kp_xstrdup(b.data);
	kp_rep_para_add(d, KP_REP_P_TITLE, b.data);
	kp_buf_reset(&b);
	kp_buf_addf(&b, "%s：", g->types.len ? g->types.data : "各单位");
	kp_rep_para_add(d, KP_REP_P_PLAIN, b.data);
	kp_buf_reset(&b);
	kp_buf_addf(&b, "按照%s的安排，%s对%zu个单位进行了考评（轮次：%s）。现将考评结果通报如下。",
		    g->subj.data ? g->subj.data : "", from, n, k->round.name);
	kp_rep_para_add(d, KP_REP_P_BODY, b.data);

	kp_rep_para_add(d, KP_REP_P_HEAD, "一、总体情况");
	kp_buf_reset(&b);
	kp_buf_addf(&b, "参加考评的单位共%zu个，平均得分%s分，最高%s分（%s），最低%s分（%s）。"
			"没有失分的单位%zu个，有失分的单位%zu个",
		    n, kp_num_fmt2(g->avg, b1), kp_num_fmt2(k->rows[0].r.total, b2),
		    k->rows[0].r.unit, kp_num_fmt2(k->rows[n - 1].r.total, b3),
		    k->rows[n - 1].r.unit, g->full, g->lost_units);
	if (g->vetoed)
		kp_buf_addf(&b, "，其中触发一票否决的%zu个", g->vetoed);
	kp_buf_adds(&b, "。");
	kp_rep_para_add(d, KP_REP_P_BODY, b.data);

	kp_rep_para_add(d, KP_REP_P_HEAD, "二、成绩较好的单位");
	kp_buf_reset(&b);
	kp_buf_adds(&b, "得分居前的单位是：");
	unit_list(&b, k, 0, top);
	kp_buf_adds(&b, "。希望以上单位继续保持。");
	kp_rep_para_add(d, KP_REP_P_BODY, b.data);

	kp_rep_para_add(d, KP_REP_P_HEAD, "三、存在的主要问题");
	kp_buf_reset(&b);
	if (!g->p.n)
		kp_buf_adds(&b, "本轮考评各单位均未失分。");
	for (size_t i = 0; i < g->p.n && i < 5; i++)
		kp_buf_addf(&b, "%s（%zu）%s：%zu个单位失分，共扣%s分。",
			    i ? "" : "失分较多的指标依次是：", i + 1,
			    g->p.v[i].label, g->p.v[i].units,
			    kp_num_fmt2(g->p.v[i].points, b1));
	kp_rep_para_add(d, KP_REP_P_BODY, b.data);

	kp_rep_para_add(d, KP_REP_P_HEAD, "四、得分较低的单位");
	kp_buf_reset(&b);
	kp_buf_adds(&b, "得分居后的单位是：");
	unit_list(&b, k, n - bottom, n);
	kp_buf_adds(&b, "。请以上单位认真查找原因，切实加以改进。");
	kp_rep_para_add(d, KP_REP_P_BODY, b.data);

	kp_rep_para_add(d, KP_REP_P_HEAD, "五、工作要求");
	kp_buf_reset(&b);
	kp_buf_addf(&b, "请有失分的单位对照附件所列问题逐项整改，%s将整改情况报送%s。",
		    o && o->deadline && *o->deadline ? o->deadline
						     : "于收到本通报后30日内",
		    from);
	kp_rep_para_add(d, KP_REP_P_BODY, b.data);
	kp_rep_para_add(d, KP_REP_P_PLAIN, "附件：各单位失分情况");
	kp_rep_para_add(d, KP_REP_P_RIGHT, from);
	kp_rep_para_add(d, KP_REP_P_RIGHT, date);
	kp_buf_release(&b);
}

int kp_rep_bulletin(const char *conn, const char *name,
		    const kp_rep_bulletin_opts *o, kp_rep_doc *d, kp_err *e)
{
	gathered g;
	kp_rnd *r = NULL;
	const char *from = o && o->from && *o->from ? o->from : "考评办公室";
	char date[64];
	int rc = -1;

	memset(&g, 0, sizeof(g));
	if (kp_rnd_ranking_get(conn, name, &g.k, e) < 0)
		return -1;
	if (!g.k.nrows) {
		kp_fail(e, KP_EINPUT, "轮次“%s”没有计分结果，无法写通报",
			g.k.round.name);
		goto out;
	}
	if (kp_rnd_open(conn, g.k.round.name, &r, e) < 0 ||
	    gather(r, &g, d, e) < 0)
		goto out;
	if (o && o->date && *o->date)
		snprintf(date, sizeof(date), "%s", o->date);
	else
		today(date, sizeof(date));
	text(&g, o, from, date, d);
	rc = 0;
out:
	for (size_t i = 0; i < g.p.n; i++)
		free(g.p.v[i].label);
	free(g.p.v);
	kp_buf_release(&g.subj);
	kp_buf_release(&g.types);
	kp_rnd_close(r);
	kp_rnd_ranking_release(&g.k);
	return rc;
}
