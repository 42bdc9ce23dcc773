/* report/rank.c — the ranking as published (kp_rep_ranking, report.h):
 * the stored ranking (kp_rnd_ranking_get), each unit's 满分 and type from
 * its sheet (kp_rnd_sheet_get), grouped by unit type on request. */
#include "report/report_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

typedef struct urow {
	const kp_rnd_rank_row *row;
	char *type;           /* owned */
	bool has_max;
	kp_num max;
} urow;

static void result_cell(kp_buf *b, const kp_store_result *r)
{
	kp_buf_reset(b);
	kp_buf_adds(b, r->outcome ? r->outcome : "");
	if (r->vetoed)
		kp_buf_addf(b, "%s一票否决", b->len ? "，" : "");
}

static void fill(kp_rep_table *t, const kp_rnd_ranking *k, urow *u, size_t n,
		 bool own_rank)
{
	kp_buf tmp = KP_BUF_INIT;
	long long rank = 0;
	for (size_t i = 0; i < n; i++) {
		const kp_store_result *r = &u[i].row->r;
		size_t row = kp_rep_row(t), c = 0;
		if (!own_rank)
			rank = r->rank;
		else if (i == 0 || kp_num_cmp(r->total, u[i - 1].row->r.total))
			rank = (long long)i + 1;
		kp_rep_int(t, row, c++, rank);
		kp_rep_text(t, row, c++, r->unit);
		kp_rep_text(t, row, c++, u[i].type);
		if (!k->several) {
			if (u[i].has_max)
				kp_rep_num(t, row, c, u[i].max);
			c++;
			kp_rep_num(t, row, c++, r->total);
			if (u[i].has_max)
				kp_rep_pct(t, row, c, r->total, u[i].max);
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
						    ? (!strncmp(r->convert,
								"deduct:", 7)
							       ? "扣分"
							       : "得分")
						    : "");
			}
		} else {
			kp_rep_num(t, row, c++, r->total);
			for (size_t l = 0; l < k->nlabels; l++, c++) {
				const kp_store_part *p = u[i].row->cells[l];
				if (p)
					kp_rep_num(t, row, c, p->value);
			}
		}
		result_cell(&tmp, r);
		kp_rep_text(t, row, c, tmp.data);
	}
	kp_buf_release(&tmp);
}

static kp_rep_table *new_table(kp_rep_doc *d, const kp_rnd_ranking *k,
			       const char *group)
{
	const char *heads[8 + KP_SCHEME_MAX_TABLES];
	double width[8 + KP_SCHEME_MAX_TABLES];
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
	heads[n] = "结果", width[n++] = 12;
	kp_buf_addf(&title, "%s考评结果排名", k->round.name);
	if (group)
		kp_buf_addf(&title, "（%s）", group);
	if (k->several)
		kp_buf_addf(&sub, "轮次：%s　　方案：%s（合并规则 %s）　　单位数：%zu",
			    k->round.name, k->round.scheme, k->round.combine,
			    k->nrows);
	else
		kp_buf_addf(&sub, "轮次：%s　　指标表：%s　　单位数：%zu",
			    k->round.name, k->round.table_id, k->nrows);
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
	kp_rnd *r = NULL;
	urow *u = NULL;
	int rc = -1;
	if (kp_rnd_ranking_get(conn, name, &k, e) < 0)
		return -1;
	if (kp_rnd_open(conn, k.round.name, &r, e) < 0)
		goto out;
	u = kp_xcalloc(k.nrows ? k.nrows : 1, sizeof(*u));
	for (size_t i = 0; i < k.nrows; i++) {
		kp_rnd_sheet s;
		u[i].row = &k.rows[i];
		if (kp_rnd_sheet_get(r, k.rows[i].r.unit, 0, &s, e) < 0)
			goto out;
		for (size_t t = 0; t < KP_SCHEME_MAX_TABLES; t++)
			if (s.res[t]) {
				u[i].type = kp_xstrdup(s.res[t]->unit_type);
				if (!s.several) {
					u[i].has_max = true;
					u[i].max = s.res[t]->max;
				}
				break;
			}
		if (!u[i].type)
			u[i].type = kp_xstrdup("");
		kp_rnd_sheet_release(&s);
	}
	if (!by_type) {
		kp_rep_table *t = new_table(d, &k, NULL);
		fill(t, &k, u, k.nrows, false);
		if (k.stale)
			kp_rep_foot(t, "注意：计分之后又登记了 %lld 条事实，排名尚未更新",
				    (long long)k.new_facts);
	} else {
		/* groups in the order their first unit ranks */
		urow *g = kp_xcalloc(k.nrows ? k.nrows : 1, sizeof(*g));
		bool *done = kp_xcalloc(k.nrows ? k.nrows : 1, sizeof(*done));
		for (size_t i = 0; i < k.nrows; i++) {
			size_t n = 0;
			kp_rep_table *t;
			if (done[i])
				continue;
			for (size_t j = i; j < k.nrows; j++)
				if (!done[j] && !strcmp(u[j].type, u[i].type)) {
					g[n++] = u[j];
					done[j] = true;
				}
			t = new_table(d, &k, *u[i].type ? u[i].type : "未分类");
			fill(t, &k, g, n, true);
		}
		free(g);
		free(done);
	}
	rc = 0;
out:
	for (size_t i = 0; u && i < k.nrows; i++)
		free(u[i].type);
	free(u);
	kp_rnd_close(r);
	kp_rnd_ranking_release(&k);
	return rc;
}
