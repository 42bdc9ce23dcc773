/* report/rank.c — the ranking as published (kp_rep_ranking, report.h):
 * the stored ranking (kp_rnd_ranking_get: each row's type, 满分 and
 * status come with it), grouped by unit type on request
 * (kp_rnd_ranking_by_type); complete units first, then the 未完成 ones
 * under a line that says their scores are provisional; a 等次 column
 * when the round's scheme (or its one table) defines grade bands
 * (#meta,grades, docs/scheme.md). */
#include "report/report_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

/* ---- grade bands ------------------------------------------------------ */

int kp_rep_grades_parse(const char *s, kp_rep_grades *g, kp_err *e)
{
	const char *p = s;
	memset(g, 0, sizeof(*g));
	while (*p) {
		const char *end = strstr(p, "、"), *colon;
		size_t len = end ? (size_t)(end - p) : strlen(p), nlen;
		char num[32];
		kp_num v;
		colon = memchr(p, ':', len);
		if (!colon || colon == p || g->n == KP_REP_MAX_GRADES)
			return kp_fail(e, KP_EINPUT,
				       "等次划分“%s”应写成“优秀:90、良好:80、合格:60”（名称:最低分，最多 %d 档）",
				       s, KP_REP_MAX_GRADES);
		nlen = (size_t)(colon - p);
		if (nlen >= sizeof(g->name[0]) ||
		    (size_t)(p + len - colon - 1) >= sizeof(num))
			return kp_fail(e, KP_EINPUT, "等次划分“%s”的一档太长", s);
		memcpy(num, colon + 1, (size_t)(p + len - colon - 1));
		num[p + len - colon - 1] = '\0';
		if (kp_num_parse(num, &v) < 0)
			return kp_fail(e, KP_EINPUT,
				       "等次划分“%s”中“%s”不是分数", s, num);
		if (g->n && kp_num_cmp(v, g->min[g->n - 1]) >= 0)
			return kp_fail(e, KP_EINPUT,
				       "等次划分“%s”应从高到低写（%s 不低于前一档）",
				       s, num);
		memcpy(g->name[g->n], p, nlen);
		g->name[g->n][nlen] = '\0';
		g->min[g->n++] = v;
		p += len;
		if (end)
			p += strlen("、");
	}
	return 0;
}

const char *kp_rep_grade(const kp_rep_grades *g, kp_num score, bool vetoed)
{
	if (vetoed)
		return "不合格";
	for (size_t i = 0; i < g->n; i++)
		if (kp_num_cmp(score, g->min[i]) >= 0)
			return g->name[i];
	return "不合格";
}

/* The bands of round rd (its scheme's #meta,grades, else its first
 * table's); g->n 0 when none. */
static int round_grades(const kp_round *rd, kp_rep_grades *g, kp_err *e)
{
	kp_scheme *s = NULL;
	const char *src = *rd->scheme_source ? rd->scheme_source
		: rd->ntables ? rd->tables[0].source : NULL;
	const char *v = NULL;
	int rc = 0;
	memset(g, 0, sizeof(*g));
	if (!src || !*src)
		return 0;
	if (kp_scheme_open(src, &s, e) < 0)
		return -1;
	if (s->def)
		v = kp_table_get(s->def, "grades");
	else if (s->nrows)
		v = kp_table_get(s->rows[0].table, "grades");
	if (v && *v)
		rc = kp_rep_grades_parse(v, g, e);
	kp_scheme_free(s);
	return rc;
}

/* ---- the tables -------------------------------------------------------- */

static void result_cell(kp_buf *b, const kp_store_result *r)
{
	kp_buf_reset(b);
	kp_buf_adds(b, r->outcome ? r->outcome : "");
	if (r->vetoed)
		kp_buf_addf(b, "%s一票否决", b->len ? "，" : "");
	if (r->pending > 0)
		kp_buf_addf(b, "%s未完成（%lld 项未评）", b->len ? "，" : "",
			    (long long)r->pending);
}

/* The score bands compare: the 得分率 as a percentage when the unit has
 * a maximum (for a 100-point table, the score itself), else the total. */
static kp_num band_score(const kp_store_result *r)
{
	kp_num pct;
	if (r->has_max && kp_num_cmp(r->max, kp_num_int(0)) > 0 &&
	    kp_num_mul(r->total, kp_num_int(100), &pct) == 0 &&
	    kp_num_div(pct, r->max, &pct) == 0)
		return pct;
	return r->total;
}

static void one_row(kp_rep_table *t, const kp_rnd_ranking *k,
		    const kp_rnd_rank_row *u, long long rank,
		    const kp_rep_grades *g, kp_buf *tmp)
{
	const kp_store_result *r = &u->r;
	size_t row = kp_rep_row(t), c = 0;
	kp_rep_int(t, row, c++, rank);
	kp_rep_text(t, row, c++, r->unit);
	kp_rep_text(t, row, c++, u->type ? u->type : "");
	if (!k->several) {
		if (r->has_max)
			kp_rep_num(t, row, c, r->max);
		c++;
		kp_rep_num(t, row, c++, r->total);
		if (r->has_max)
			kp_rep_pct(t, row, c, r->total, r->max);
		c++;
		if (r->has_self)
			kp_rep_num(t, row, c, r->self_total);
		c++;
		if (k->has_convert) {
			if (r->convert && *r->convert)
				kp_rep_num(t, row, c, r->converted);
			c++;
			kp_rep_text(t, row, c++,
				    r->convert && *r->convert
					    ? (!strncmp(r->convert, "deduct:", 7)
						       ? "扣分"
						       : "得分")
					    : "");
		}
	} else {
		kp_rep_num(t, row, c++, r->total);
		for (size_t l = 0; l < k->nlabels; l++, c++) {
			const kp_store_part *p = u->cells[l];
			if (p)
				kp_rep_num(t, row, c, p->value);
		}
	}
	if (g->n) {
		if (r->pending <= 0)
			kp_rep_text(t, row, c,
				    kp_rep_grade(g, band_score(r), r->vetoed));
		c++;
	}
	result_cell(tmp, r);
	kp_rep_text(t, row, c, tmp->data);
}

/* rows[idx[0..n)] with their ranks rank[0..n) (NULL: the stored ones):
 * the complete units, then a line and the 未完成 ones. */
static void fill(kp_rep_table *t, const kp_rnd_ranking *k, const size_t *idx,
		 const int64_t *rank, size_t n, const kp_rep_grades *g)
{
	kp_buf tmp = KP_BUF_INIT;
	size_t nin = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const kp_rnd_rank_row *u = &k->rows[idx ? idx[i] : i];
			if ((u->r.pending > 0) != (pass == 1))
				continue;
			if (pass == 1 && nin++ == 0) {
				size_t row = kp_rep_row(t);
				size_t cnt = 0;
				for (size_t j = 0; j < n; j++)
					cnt += k->rows[idx ? idx[j] : j].r.pending > 0;
				kp_buf_reset(&tmp);
				kp_buf_addf(&tmp, "未完成（以下 %zu 个单位还有未评指标，分数为暂计，不排入正式名次）",
					    cnt);
				kp_rep_text(t, row, 0, tmp.data);
				kp_rep_at(t, row, 0)->bold = true;
				kp_rep_merge_add(t, row, 0, row, t->ncols - 1);
			}
			one_row(t, k, u, rank ? rank[i] : u->r.rank, g, &tmp);
		}
	if (nin)
		kp_rep_foot(t, "未完成：%zu 个单位还有未评指标，排在已完成单位之后，分数为暂计（kaoping eval status 查看缺什么）",
			    nin);
	kp_buf_release(&tmp);
}

static kp_rep_table *new_table(kp_rep_doc *d, const kp_rnd_ranking *k,
			       const char *group, size_t nunits,
			       const kp_rep_grades *g)
{
	const char *heads[9 + KP_SCHEME_MAX_TABLES];
	double width[9 + KP_SCHEME_MAX_TABLES];
	size_t n = 0;
	kp_buf title = KP_BUF_INIT, sub = KP_BUF_INIT;
	kp_rep_table *t;
	heads[n] = "名次", width[n++] = 6;
	heads[n] = "单位", width[n++] = 30;
	heads[n] = "单位类型", width[n++] = 12;
	if (!k->several) {
		heads[n] = "满分", width[n++] = 8;
		heads[n] = "得分", width[n++] = 8;
		heads[n] = "得分率", width[n++] = 9;
		heads[n] = "自评分", width[n++] = 8;
		if (k->has_convert) {
			heads[n] = "折算分", width[n++] = 8;
			heads[n] = "折算方式", width[n++] = 9;
		}
	} else {
		heads[n] = "合计", width[n++] = 9;
		for (size_t l = 0; l < k->nlabels && l < KP_SCHEME_MAX_TABLES; l++)
			heads[n] = k->labels[l], width[n++] = 12;
	}
	if (g->n)
		heads[n] = "等次", width[n++] = 8;
	heads[n] = "结果", width[n++] = 12;
	kp_buf_addf(&title, "%s考评结果排名", k->round.name);
	if (group)
		kp_buf_addf(&title, "（%s）", group);
	if (k->several)
		kp_buf_addf(&sub, "轮次：%s　　方案：%s（合并规则 %s）　　单位数：%zu",
			    k->round.name, k->round.scheme,
			    kp_combine_rule_zh(k->round.combine),
			    nunits);
	else
		kp_buf_addf(&sub, "轮次：%s　　指标表：%s　　单位数：%zu",
			    k->round.name, k->round.table_id, nunits);
	t = kp_rep_table_new(d, group ? group : "排名", title.data, sub.data,
			     heads, width, n);
	kp_buf_release(&title);
	kp_buf_release(&sub);
	return t;
}

int kp_rep_ranking(const char *conn, const char *name, bool by_type,
		   kp_rep_doc *d, kp_err *e)
{
	kp_rnd_ranking k;
	kp_rep_grades g;
	int rc = -1;
	if (kp_rnd_ranking_get(conn, name, &k, e) < 0)
		return -1;
	if (round_grades(&k.round, &g, e) < 0)
		goto out;
	if (!by_type) {
		kp_rep_table *t = new_table(d, &k, NULL, k.nrows, &g);
		fill(t, &k, NULL, NULL, k.nrows, &g);
		if (k.stale)
			kp_rep_foot(t, "注意：计分之后又登记了 %lld 条事实，排名尚未更新",
				    (long long)k.new_facts);
	} else {
		kp_rnd_ranking_by_type(&k);
		for (size_t i = 0; i < k.ngroups; i++) {
			kp_rep_table *t = new_table(
				d, &k,
				*k.group_types[i] ? k.group_types[i] : "未分类",
				k.nrows, &g);
			fill(t, &k, k.group_rows[i], k.group_ranks[i],
			     k.group_n[i], &g);
		}
	}
	if (g.n) {
		kp_buf line = KP_BUF_INIT;
		for (size_t i = 0; i < g.n; i++) {
			char b[48];
			kp_buf_addf(&line, "%s%s %s 分及以上", i ? "，" : "",
				    g.name[i], kp_num_str(g.min[i], b));
		}
		kp_buf_adds(&line, "，以下为不合格；触发一票否决的为不合格");
		for (size_t i = 0; i < d->n; i++)
			kp_rep_foot(&d->v[i], "等次：%s", line.data);
		kp_buf_release(&line);
	}
	rc = 0;
out:
	kp_rnd_ranking_release(&k);
	return rc;
}
