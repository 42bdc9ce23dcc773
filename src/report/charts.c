/* report/charts.c — the charts of a round (kp_rep_charts, report.h),
 * read through the application layer: the score distribution from the
 * stored ranking, each table's first-level indicators' average against
 * their maximum and each unit's profile from the units' sheets
 * (kp_rnd_sheet_get), and the trend over the earlier rounds of the same
 * table or scheme (kp_rnd_list_get, kp_rnd_ranking_get). */
#include "report/report_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

/* ---- distribution ------------------------------------------------------ */

static void distribution(kp_rep_doc *d, const kp_rnd_ranking *k)
{
	static const char *const bins[] = { "不足60", "60–70", "70–80",
					     "80–90", "90–100" };
	size_t count[5] = { 0 };
	kp_rep_chart *c;
	if (!k->several) {
		for (size_t i = 0; i < k->nrows; i++) {
			const kp_store_result *r = &k->rows[i].r;
			double v = kp_num_double(r->total);
			if (r->has_max && kp_num_double(r->max) > 0)
				v = v * 100 / kp_num_double(r->max);
			count[v < 60 ? 0 : v < 70 ? 1 : v < 80 ? 2 : v < 90 ? 3 : 4]++;
		}
		c = kp_rep_chart_add(d, "得分分布", "得分分布", "得分（百分制）",
				     "单位数", false);
		for (size_t b = 0; b < 5; b++)
			kp_rep_chart_point(c, bins[b], (double)count[b], false, 0);
		return;
	}
	/* several tables: five equal bins between the lowest and highest
	 * combined totals */
	{
		double lo = 0, hi = 0, step;
		char label[64];
		for (size_t i = 0; i < k->nrows; i++) {
			double v = kp_num_double(k->rows[i].r.total);
			if (!i || v < lo)
				lo = v;
			if (!i || v > hi)
				hi = v;
		}
		step = hi > lo ? (hi - lo) / 5 : 1;
		for (size_t i = 0; i < k->nrows; i++) {
			double v = kp_num_double(k->rows[i].r.total);
			size_t b = (size_t)((v - lo) / step);
			count[b > 4 ? 4 : b]++;
		}
		c = kp_rep_chart_add(d, "得分分布", "得分分布（合计）", "合计得分",
				     "单位数", false);
		for (size_t b = 0; b < 5; b++) {
			snprintf(label, sizeof(label), "%.2f–%.2f",
				 lo + step * (double)b, lo + step * (double)(b + 1));
			kp_rep_chart_point(c, label, (double)count[b], false, 0);
		}
	}
}

/* ---- indicators and profiles -------------------------------------------- */

/* First-level indicators that carry points (not deduction-only or veto
 * rows): their average score and maximum over the units of one table. */
typedef struct avg {
	const kp_node *node;
	kp_num sum, max;
	int64_t n;
} avg;

static bool charted(const kp_rnode *rn)
{
	return rn->node->level == 1 && rn->applies &&
	       kp_num_cmp(rn->max, kp_num_int(0)) > 0;
}

static void profile(kp_rep_doc *d, const kp_result *r, const char *label)
{
	kp_buf name = KP_BUF_INIT, title = KP_BUF_INIT;
	kp_rep_chart *c;
	kp_buf_addf(&name, "单位画像-%s%s%s", r->unit, *label ? "-" : "", label);
	for (char *p = name.data; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = '_';
	kp_buf_addf(&title, "%s：各一级指标得分%s%s%s", r->unit,
		    *label ? "（" : "", label, *label ? "）" : "");
	c = kp_rep_chart_add(d, name.data, title.data, "一级指标",
			     "得分（分）", false);
	for (size_t i = 0; i < r->nnodes; i++)
		if (charted(&r->nodes[i]))
			kp_rep_chart_point(c, r->nodes[i].node->name,
					   kp_num_double(r->nodes[i].score), true,
					   kp_num_double(r->nodes[i].max));
	kp_buf_release(&name);
	kp_buf_release(&title);
}

static int indicators(kp_rep_doc *d, kp_rnd *r, const char *unit,
		      bool profiles, kp_err *e)
{
	const kp_round *rd = kp_rnd_round(r);
	size_t nt = rd->ntables ? rd->ntables : 1;
	avg *a[KP_SCHEME_MAX_TABLES] = { 0 };
	size_t na[KP_SCHEME_MAX_TABLES] = { 0 };
	int rc = 0;
	for (size_t u = 0; u < kp_rnd_nunits(r) && rc == 0; u++) {
		kp_rnd_sheet s;
		bool mine = unit && kp_rnd_find_unit(r, unit) == (long)u;
		if (kp_rnd_sheet_get(r, kp_rnd_unit_name(r, u), 0, &s, e) < 0) {
			rc = -1;
			break;
		}
		for (size_t k = 0; k < nt && k < KP_SCHEME_MAX_TABLES; k++) {
			const kp_result *res = s.res[k];
			if (!res)
				continue;
			if (!a[k]) {
				a[k] = kp_xcalloc(res->nnodes + 1, sizeof(*a[k]));
				for (size_t i = 0; i < res->nnodes; i++)
					if (res->nodes[i].node->level == 1)
						a[k][na[k]++].node = res->nodes[i].node;
				for (size_t j = 0; j < na[k]; j++)
					a[k][j].sum = a[k][j].max = kp_num_int(0);
			}
			for (size_t i = 0; i < res->nnodes; i++) {
				const kp_rnode *rn = &res->nodes[i];
				if (!charted(rn))
					continue;
				for (size_t j = 0; j < na[k]; j++)
					if (!strcmp(a[k][j].node->code, rn->node->code)) {
						kp_num_add(a[k][j].sum, rn->score, &a[k][j].sum);
						kp_num_add(a[k][j].max, rn->max, &a[k][j].max);
						a[k][j].n++;
						break;
					}
			}
			if (profiles && (!unit || mine))
				profile(d, res,
					rd->ntables > 1 ? rd->tables[k].label : "");
		}
		kp_rnd_sheet_release(&s);
	}
	for (size_t k = 0; k < nt && k < KP_SCHEME_MAX_TABLES && rc == 0; k++) {
		const char *label = rd->ntables > 1 ? rd->tables[k].label : "";
		kp_buf name = KP_BUF_INIT, title = KP_BUF_INIT;
		kp_rep_chart *c;
		if (!a[k])
			continue;
		kp_buf_addf(&name, "指标平均得分%s%s", *label ? "-" : "", label);
		kp_buf_addf(&title, "各一级指标平均得分与满分%s%s%s",
			    *label ? "（" : "", label, *label ? "）" : "");
		c = kp_rep_chart_add(d, name.data, title.data, "一级指标",
				     "平均得分（分）", false);
		for (size_t j = 0; j < na[k]; j++) {
			kp_num avg_s, avg_m;
			if (!a[k][j].n ||
			    kp_num_div(a[k][j].sum, kp_num_int(a[k][j].n), &avg_s) < 0 ||
			    kp_num_div(a[k][j].max, kp_num_int(a[k][j].n), &avg_m) < 0)
				continue;
			kp_rep_chart_point(c, a[k][j].node->name,
					   kp_num_double(avg_s), true,
					   kp_num_double(avg_m));
		}
		kp_buf_release(&name);
		kp_buf_release(&title);
	}
	for (size_t k = 0; k < KP_SCHEME_MAX_TABLES; k++)
		free(a[k]);
	return rc;
}

/* ---- trend ---------------------------------------------------------------- */

static int by_period(const void *x, const void *y)
{
	const kp_round *a = *(const kp_round *const *)x;
	const kp_round *b = *(const kp_round *const *)y;
	int c = strcmp(a->period, b->period);
	return c ? c : strcmp(a->created_at, b->created_at);
}

static bool same_kind(const kp_round *a, const kp_round *b)
{
	if (*a->scheme || *b->scheme)
		return !strcmp(a->scheme, b->scheme);
	return !strcmp(a->table_id, b->table_id);
}

static int trend(kp_rep_doc *d, const char *conn, const kp_rnd_ranking *k,
		 kp_err *e)
{
	kp_rnd_list l;
	const kp_round **v;
	size_t n = 0;
	int rc = 0;
	if (kp_rnd_list_get(conn, &l, e) < 0)
		return -1;
	v = kp_xcalloc(l.n + 1, sizeof(*v));
	for (size_t i = 0; i < l.n; i++)
		if (same_kind(&l.v[i], &k->round) && l.v[i].scored_seq >= 0 &&
		    strcmp(l.v[i].period, k->round.period) <= 0)
			v[n++] = &l.v[i];
	if (n >= 2) {
		kp_rep_chart *c;
		qsort(v, n, sizeof(*v), by_period);
		c = kp_rep_chart_add(d, "得分趋势", "平均得分趋势（各期）", "期间",
				     "平均得分（分）", true);
		for (size_t i = 0; i < n && rc == 0; i++) {
			kp_rnd_ranking rk;
			kp_num sum = kp_num_int(0), mean = kp_num_int(0);
			kp_buf label = KP_BUF_INIT;
			if (kp_rnd_ranking_get(conn, v[i]->name, &rk, e) < 0) {
				rc = -1;
				break;
			}
			for (size_t j = 0; j < rk.nrows; j++)
				kp_num_add(sum, rk.rows[j].r.total, &sum);
			if (rk.nrows)
				kp_num_div(sum, kp_num_int((int64_t)rk.nrows), &mean);
			kp_buf_addf(&label, "%s", v[i]->period);
			kp_rep_chart_point(c, label.data, kp_num_double(mean), false,
					   0);
			kp_buf_release(&label);
			kp_rnd_ranking_release(&rk);
		}
	}
	free(v);
	kp_rnd_list_release(&l);
	return rc;
}

int kp_rep_charts(const char *conn, const char *name, const char *unit,
		  int flags, kp_rep_doc *d, kp_err *e)
{
	kp_rnd_ranking k;
	kp_rnd *r = NULL;
	int rc = -1;
	if (kp_rnd_ranking_get(conn, name, &k, e) < 0)
		return -1;
	if (unit && (flags & KP_REP_CHART_PROFILES)) {
		if (kp_rnd_open(conn, k.round.name, &r, e) < 0)
			goto out;
		if (kp_rnd_find_unit(r, unit) < 0) {
			kp_fail(e, KP_RND_ENOTFOUND, "单位“%s”不在轮次“%s”中", unit,
				k.round.name);
			goto out;
		}
	}
	distribution(d, &k);
	if (flags & (KP_REP_CHART_INDICATORS | KP_REP_CHART_PROFILES)) {
		if (!r && kp_rnd_open(conn, k.round.name, &r, e) < 0)
			goto out;
		if (indicators(d, r, unit, flags & KP_REP_CHART_PROFILES, e) < 0)
			goto out;
	}
	if (trend(d, conn, &k, e) < 0)
		goto out;
	rc = 0;
out:
	kp_rnd_close(r);
	kp_rnd_ranking_release(&k);
	return rc;
}
