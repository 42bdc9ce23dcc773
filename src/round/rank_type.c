/* round/rank_type.c — a ranking as offices publish it: grouped by unit
 * type (县区, 市级部门, 群团 …) with each unit's rank within its group,
 * its 满分 and 得分率; and the check that a ranking may be published
 * (every unit complete). */
#include "round/round_int.h"

#include <stdlib.h>
#include <string.h>

const char *kp_rnd_rate(const kp_store_result *r, char *buf)
{
	kp_num q;
	if (!r->has_max || r->max.n <= 0 ||
	    kp_num_div(r->total, r->max, &q) < 0 ||
	    kp_num_mul(q, kp_num_int(100), &q) < 0) {
		snprintf(buf, 48, "—");
		return buf;
	}
	{
		char digits[40];
		snprintf(buf, 48, "%s%%", kp_num_fmt2(q, digits));
	}
	return buf;
}

kp_num kp_rnd_points(const kp_rnd_ranking *k, const kp_rnd_rank_row *row)
{
	kp_num sum = kp_num_int(0);
	if (!k->several)
		return row->r.total;
	for (size_t l = 0; l < k->nlabels; l++)
		if (row->cells[l] &&
		    kp_num_add(sum, row->cells[l]->total, &sum) < 0)
			return row->r.total;
	return sum;
}

const char *kp_rnd_row_rate(const kp_rnd_ranking *k,
			    const kp_rnd_rank_row *row, char *buf)
{
	kp_store_result r = row->r;
	r.total = kp_rnd_points(k, row);
	return kp_rnd_rate(&r, buf);
}

void kp_rnd_ranking_by_type(kp_rnd_ranking *k)
{
	size_t n = k->nrows;
	if (k->ngroups)
		return;
	k->group_types = kp_xcalloc(n + 1, sizeof(char *));
	k->group_rows = kp_xcalloc(n + 1, sizeof(size_t *));
	k->group_ranks = kp_xcalloc(n + 1, sizeof(int64_t *));
	k->group_n = kp_xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const char *t = k->rows[i].type ? k->rows[i].type : "";
		size_t g = 0;
		while (g < k->ngroups && strcmp(k->group_types[g], t))
			g++;
		if (g == k->ngroups) {
			k->group_types[g] = kp_xstrdup(t);
			k->group_rows[g] = kp_xcalloc(n, sizeof(size_t));
			k->group_ranks[g] = kp_xcalloc(n, sizeof(int64_t));
			k->ngroups++;
		}
		k->group_rows[g][k->group_n[g]++] = i;
	}
	/* the rows are in rank order: within a group, a row tied with the
	 * one before shares its rank, else its rank is its place (ties
	 * share, the next skips) */
	for (size_t g = 0; g < k->ngroups; g++)
		for (size_t j = 0; j < k->group_n[g]; j++) {
			const size_t *gr = k->group_rows[g];
			k->group_ranks[g][j] =
				j && k->rows[gr[j]].r.rank == k->rows[gr[j - 1]].r.rank
					? k->group_ranks[g][j - 1] : (int64_t)j + 1;
		}
}

int kp_rnd_ranking_final(const kp_rnd_ranking *k, kp_err *e)
{
	kp_buf names = KP_BUF_INIT;
	size_t shown = 0;
	int rc;
	if (!k->nincomplete)
		return 0;
	for (size_t i = 0; i < k->nrows; i++) {
		if (k->rows[i].r.pending <= 0)
			continue;
		if (shown++ < 10)
			kp_buf_addf(&names, "%s%s（%lld 项未评）", shown > 1 ? "、" : "",
				    k->rows[i].r.unit, (long long)k->rows[i].r.pending);
	}
	if (shown > 10)
		kp_buf_addf(&names, " 等 %zu 个", shown);
	rc = kp_fail(e, KP_EINPUT,
		     "轮次“%s”还有 %zu 个单位未完成，不能发布最终排名：%s（运行 kaoping eval status 查看各单位还缺什么）",
		     k->round.name, k->nincomplete, names.data);
	kp_buf_release(&names);
	return rc;
}
