/* ledger/info_stats.c — statistics of the 政务信息 ledger per unit and
 * period, duplicate titles, and the facts for the score sheets.  See
 * ledger.h section 1 and docs/info-ledger.md. */
#include "ledger/info_int.h"
#include "score/score.h"

#include <stdlib.h>
#include <string.h>

/* One item as the duplicate scan needs it, packed for the cache. */
typedef struct dupkey {
	uint32_t nlen, idx;
	int32_t date;
	uint32_t pad;
	uint64_t hash, m0, m1;
} dupkey;

/* by normalised length, then date, then ledger order */
static int cmp_len(const void *x, const void *y)
{
	const dupkey *a = x, *b = y;
	if (a->nlen != b->nlen)
		return a->nlen < b->nlen ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* How many of one unit's items v[0..n) repeat an earlier item: for each
 * pair of the same or near-identical titles the later one is marked.
 * Sorted by length, a title is compared only with those whose length
 * allows k = len/10 edits; then the character masks (each edit changes
 * at most two distinct characters, so at most 2k bits may differ); then
 * the banded edit distance.  Built twice on x86-64, so that machines
 * with POPCNT use it. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
static unsigned count_dups(const kp_info_ledger *l, const uint32_t *v,
			   size_t n, dupkey *k, unsigned char *mark)
{
	unsigned dups = 0;
	for (size_t i = 0; i < n; i++) {
		const kp_info_sub *s = &l->s[v[i]];
		k[i].nlen = s->nlen;
		k[i].idx = v[i];
		k[i].date = s->date;
		k[i].hash = s->hash;
		k[i].m0 = s->mask[0];
		k[i].m1 = s->mask[1];
	}
	qsort(k, n, sizeof(*k), cmp_len);
	memset(mark, 0, n);
	for (size_t i = 0; i < n; i++) {
		const dupkey *a = &k[i];
		for (size_t j = i + 1; j < n; j++) {
			const dupkey *b = &k[j];
			uint32_t kk = b->nlen / 10;
			bool near;
			if (b->nlen - a->nlen > kk)
				break;
			if (a->nlen == b->nlen && a->hash == b->hash)
				near = !memcmp(l->norm + l->s[a->idx].noff,
					       l->norm + l->s[b->idx].noff,
					       a->nlen * sizeof(int32_t));
			else if (!kk ||
				 (uint32_t)(__builtin_popcountll(a->m0 ^ b->m0) +
					    __builtin_popcountll(a->m1 ^ b->m1)) >
					 2 * kk)
				continue;
			else
				near = kp_info_near(l->norm + l->s[a->idx].noff,
						 a->nlen,
						 l->norm + l->s[b->idx].noff,
						 b->nlen);
			/* sorted by (length, date, order): when lengths are
			 * equal j is the later one; else compare */
			if (near)
				mark[(a->date != b->date ? a->date > b->date
							 : a->idx > b->idx)
					     ? i : j] = 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		dups += mark[i];
	return dups;
}

/* ---- periods ----------------------------------------------------------- */

int kp_info_period_parse(const char *s, kp_info_period *p, kp_err *e)
{
	static const char *const qn[] = { "一", "二", "三", "四" };
	char *end;
	long y = strtol(s, &end, 10);
	memset(p, 0, sizeof(*p));
	if (end - s != 4 || y < 1900 || y > 2199)
		goto bad;
	p->year = (int)y;
	if (!*end || !strcmp(end, "年")) {
		p->from_month = 1;
		p->to_month = 12;
		snprintf(p->label, sizeof(p->label), "%d年", p->year);
		return 0;
	}
	if ((end[0] == 'Q' || end[0] == 'q') && end[1] >= '1' && end[1] <= '4' &&
	    !end[2]) {
		int q = end[1] - '0';
		p->from_month = 3 * q - 2;
		p->to_month = 3 * q;
		snprintf(p->label, sizeof(p->label), "%d年第%s季度", p->year,
			 qn[q - 1]);
		return 0;
	}
	if ((end[0] == 'H' || end[0] == 'h') && (end[1] == '1' || end[1] == '2') &&
	    !end[2]) {
		p->from_month = end[1] == '1' ? 1 : 7;
		p->to_month = end[1] == '1' ? 6 : 12;
		snprintf(p->label, sizeof(p->label), "%d年%s半年", p->year,
			 end[1] == '1' ? "上" : "下");
		return 0;
	}
	if (end[0] == '-') {
		char *e2;
		long m = strtol(end + 1, &e2, 10);
		if (e2 - end - 1 >= 1 && e2 - end - 1 <= 2 && !*e2 && m >= 1 &&
		    m <= 12) {
			p->from_month = p->to_month = (int)m;
			snprintf(p->label, sizeof(p->label), "%d年%ld月",
				 p->year, m);
			return 0;
		}
	}
bad:
	return kp_fail(e, KP_EINPUT,
		       "期间“%s”应写作年 2016、季度 2016Q3、半年 2016H1 或月 2016-07",
		       s);
}

/* ---- statistics -------------------------------------------------------- */

/* A set of 64-bit keys (never 0), open addressing. */
typedef struct keyset {
	uint64_t *v;
	size_t cap;
} keyset;

static bool keyset_add(keyset *k, uint64_t key)
{
	size_t i;
	key |= 1;
	i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (k->cap - 1);
	while (k->v[i]) {
		if (k->v[i] == key)
			return false;
		i = (i + 1) & (k->cap - 1);
	}
	k->v[i] = key;
	return true;
}

static int addnum(kp_num *acc, kp_num v, kp_err *e)
{
	if (kp_num_add(*acc, v, acc) < 0)
		return kp_fail(e, KP_EINPUT, "分数溢出");
	return 0;
}

static int days_in(int y, int m)
{
	int32_t a = kp_day_from_ymd(y, m, 1);
	int32_t b = m == 12 ? kp_day_from_ymd(y + 1, 1, 1) : kp_day_from_ymd(y, m + 1, 1);
	return (int)(b - a);
}

/* One row per unit the ledger knows, with its sheet's monthly minimum
 * and its quota. */
static kp_info_stat *stats_init(kp_info_ledger *l, size_t nm)
{
	const kp_info_rules *r = l->r;
	size_t U = l->nunits;
	kp_info_stat *acc = kp_xcalloc(U ? U : 1, sizeof(*acc));
	for (size_t u = 0; u < U; u++) {
		kp_info_stat *s = &acc[u];
		s->unit = l->unames[u];
		s->type = l->utypes[u];
		s->city_quota = s->province_quota = kp_num_int(0);
		s->city_points = s->province_points = kp_num_int(0);
		s->city_points_ytd = s->province_points_ytd = kp_num_int(0);
		s->months = (unsigned)nm;
		if (l->usheet[u] >= 0)
			s->monthly_min = r->sheets[l->usheet[u]].monthly_min;
	}
	for (size_t i = 0; i < r->nquotas; i++) {
		int u = kp_info_unit(l, r->quotas[i].unit);
		if (u >= 0 && (size_t)u < U) {
			acc[u].has_quota = true;
			acc[u].city_quota = r->quotas[i].city;
			acc[u].province_quota = r->quotas[i].prov;
		}
	}
	return acc;
}

/* The period's submissions: per month, urgent, requests, false; cnt[u+1]
 * counts each unit's dated items of the period. */
static void count_subs(const kp_info_ledger *l, kp_info_stat *acc,
		       const int32_t *bound, int32_t from, int32_t to,
		       uint32_t *cnt)
{
	for (size_t i = 0; i < l->ns; i++) {
		const kp_info_sub *s = &l->s[i];
		kp_info_stat *a = &acc[s->unit];
		bool in = s->date != INFO_NODATE && s->date >= from &&
			  s->date <= to;
		bool late = s->due != INFO_NODATE &&
			    (s->date == INFO_NODATE || s->date > s->due);
		if (in) {
			size_t m = 0;
			while (s->date >= bound[m + 1])
				m++;
			a->per_month[m]++;
			a->submitted++;
			cnt[s->unit + 1]++;
			if (s->urgent) {
				a->urgent++;
				if (late)
					a->urgent_late++;
			}
			if (s->request) {
				a->requests++;
				if (late)
					a->feedback_missed++;
			}
			if (s->false_info)
				a->false_info++;
		} else if (s->date == INFO_NODATE && s->due >= from &&
			   s->due <= to) {
			/* never submitted: counted in the period it was due */
			if (s->urgent) {
				a->urgent++;
				a->urgent_missing++;
			}
			if (s->request) {
				a->requests++;
				a->feedback_missed++;
			}
		}
	}
}

/* Duplicates among each unit's items of the period (cnt from
 * count_subs), and the months below the unit's minimum. */
static void count_unit_dups(const kp_info_ledger *l, kp_info_stat *acc,
			    size_t U, size_t nm, int32_t from, int32_t to,
			    uint32_t *cnt, long only)
{
	size_t maxn = 0;
	uint32_t *lst, *fill;
	unsigned char *mark;
	dupkey *keys;
	for (size_t u = 0; u < U; u++)
		cnt[u + 1] += cnt[u];
	lst = kp_xmalloc((cnt[U] + 1) * sizeof(uint32_t));
	fill = kp_xmalloc((U + 1) * sizeof(uint32_t));
	memcpy(fill, cnt, (U + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < l->ns; i++) {
		const kp_info_sub *s = &l->s[i];
		if (s->date != INFO_NODATE && s->date >= from && s->date <= to)
			lst[fill[s->unit]++] = (uint32_t)i;
	}
	free(fill);
	for (size_t u = 0; u < U; u++)
		if (cnt[u + 1] - cnt[u] > maxn)
			maxn = cnt[u + 1] - cnt[u];
	mark = kp_xmalloc(maxn + 1);
	keys = kp_xmalloc((maxn + 1) * sizeof(*keys));
	for (size_t u = 0; u < U; u++) {
		if (only >= 0 && (long)u != only)
			continue;
		acc[u].duplicates = count_dups(l, lst + cnt[u],
					       cnt[u + 1] - cnt[u], keys, mark);
		for (size_t m = 0; m < nm; m++)
			if (acc[u].monthly_min &&
			    acc[u].per_month[m] < (unsigned)acc[u].monthly_min)
				acc[u].months_short++;
	}
	free(lst);
	free(mark);
	free(keys);
}

/* One adoption's points: its base (once per issue for a publication
 * counted per issue, set kept in ks) and its bonus, added to the city or
 * province sum. */
static int add_points(kp_num *sum, const kp_info_pub *pb, keyset *ks,
		      uint64_t key, kp_num bonus, kp_err *e)
{
	kp_num base = kp_num_int(0);
	if (!pb->per_issue || keyset_add(ks, key))
		base = pb->points;
	if (addnum(sum, base, e) < 0 || addnum(sum, bonus, e) < 0)
		return -1;
	return 0;
}

/* Adoptions: points in the period and from January, instructions and
 * adoptions upstream. */
static int count_adoptions(const kp_info_ledger *l, kp_info_stat *acc,
			   int32_t yfrom, int32_t from, int32_t to, long only,
			   kp_err *e)
{
	const kp_info_rules *r = l->r;
	keyset per = { NULL, 64 }, ytd = { NULL, 64 };
	int rc = -1;
	while (per.cap < 2 * (l->na + 1))
		per.cap *= 2;
	ytd.cap = per.cap;
	per.v = kp_xcalloc(per.cap, sizeof(uint64_t));
	ytd.v = kp_xcalloc(ytd.cap, sizeof(uint64_t));
	for (size_t i = 0; i < l->na; i++) {
		const kp_info_adopt *ad = &l->a[i];
		const kp_info_pub *pb = &r->pubs[ad->pub];
		uint32_t u = l->s[ad->item].unit;
		kp_info_stat *a = &acc[u];
		kp_num bonus = kp_num_int(0);
		bool in = ad->date >= from && ad->date <= to;
		bool city = pb->level == LV_CITY;
		uint64_t key = 0;
		if (ad->date < yfrom || ad->date > to)
			continue;
		if (only >= 0 && (long)u != only)
			continue;
		for (size_t b = 0; b < r->nbonus; b++) {
			const kp_info_bonus *bn = &r->bonus[b];
			bool hit = bn->upstream
					   ? pb->bonus_upstream == (int)b && ad->upstream
					   : pb->level == bn->level &&
						     ad->pishi >= bn->level;
			if (hit && addnum(&bonus, bn->points, e) < 0)
				goto out;
			if (hit && in) {
				if (bn->upstream)
					a->upstream++;
				else
					a->instructions++;
			}
		}
		if (pb->per_issue)
			key = kp_info_hash(ad->issue, strlen(ad->issue),
					   ((uint64_t)u << 20) ^ ad->pub ^ 0x5bd1e995);
		/* year to date */
		if (add_points(city ? &a->city_points_ytd : &a->province_points_ytd,
			       pb, &ytd, key, bonus, e) < 0)
			goto out;
		if (!in)
			continue;
		if (city)
			a->city_adoptions++;
		else
			a->province_adoptions++;
		if (add_points(city ? &a->city_points : &a->province_points, pb,
			       &per, key, bonus, e) < 0)
			goto out;
	}
	rc = 0;
out:
	free(per.v);
	free(ytd.v);
	return rc;
}

int kp_info_stats_compute(const kp_info_ledger *cl, const kp_info_period *p,
		  const char *unit, kp_info_stats *out, kp_err *e)
{
	kp_info_ledger *l = (kp_info_ledger *)cl;   /* interning only */
	int32_t bound[13], from, to, yfrom;
	size_t nm = (size_t)(p->to_month - p->from_month + 1), U;
	kp_info_stat *acc;
	uint32_t *cnt;
	long only = -1;
	int rc;

	memset(out, 0, sizeof(*out));
	out->period = *p;
	if (unit) {
		only = kp_info_unit(l, unit);
		if (only < 0)
			return kp_fail(e, KP_EINPUT, "单位“%s”不在单位名录中",
				       unit);
	}
	for (size_t m = 0; m < nm; m++)
		bound[m] = kp_day_from_ymd(p->year, p->from_month + (int)m, 1);
	bound[nm] = kp_day_from_ymd(p->year, p->to_month, 1) +
		    days_in(p->year, p->to_month);
	from = bound[0];
	to = bound[nm] - 1;
	yfrom = kp_day_from_ymd(p->year, 1, 1);
	/* the units now known: interning below adds none to the rows */
	U = l->nunits;
	acc = stats_init(l, nm);
	cnt = kp_xcalloc(U + 1, sizeof(uint32_t));
	count_subs(l, acc, bound, from, to, cnt);
	count_unit_dups(l, acc, U, nm, from, to, cnt, only);
	free(cnt);
	rc = count_adoptions(l, acc, yfrom, from, to, only, e);
	if (rc < 0) {
		free(acc);
		return -1;
	}
	if (only >= 0) {
		out->v = kp_xmalloc(sizeof(*out->v));
		out->v[0] = acc[only];
		out->n = 1;
		free(acc);
	} else {
		out->v = acc;
		out->n = U;
	}
	return 0;
}

void kp_info_stats_release(kp_info_stats *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* ---- facts -------------------------------------------------------------- */

static void fact(struct kp_facts *fs, const char *unit, const char *table,
		 const char *code, const char *name, kp_num v, const char *time,
		 const char *note)
{
	kp_fact f;
	memset(&f, 0, sizeof(f));
	f.unit = (char *)unit;
	f.table = (char *)table;   /* the sheet's id: a scheme round has several */
	f.indicator = (char *)code;
	f.kind = KP_FACT_QUANTITY;
	f.name = (char *)name;
	f.value = v;
	f.has_value = true;
	f.source = KP_SRC_LEDGER;
	f.author = (char *)"kaoping info facts";
	f.time = (char *)time;
	f.url = (char *)"";
	f.note = (char *)note;
	kp_facts_add(fs, &f);
}

/* The index of the sheet whose table id is sheet in *want (-1 when sheet
 * is NULL: every sheet); -1 and e when the ledger does not use it. */
static int want_sheet(const kp_info_ledger *l, const char *sheet, int *want,
		      kp_err *e)
{
	kp_buf known = KP_BUF_INIT;
	*want = -1;
	if (!sheet)
		return 0;
	for (size_t i = 0; i < l->r->nsheets; i++)
		if (!strcmp(kp_table_id(l->r->sheets[i].t), sheet)) {
			*want = (int)i;
			return 0;
		}
	for (size_t i = 0; i < l->r->nsheets; i++)
		kp_buf_addf(&known, "%s%s", i ? "、" : "",
			    kp_table_id(l->r->sheets[i].t));
	kp_fail(e, KP_EINPUT, "考评表“%s”不在台账所用的考评表中（%s）",
		sheet, known.data ? known.data : "无");
	kp_buf_release(&known);
	return -1;
}

/* The monthly_min fact: the fewest items a month, and the months short
 * of the sheet's minimum. */
static void monthly_fact(struct kp_facts *out, const kp_info_stat *s,
			 const kp_info_sheet *sh, int year, const char *time)
{
	kp_buf note = KP_BUF_INIT;
	unsigned least = s->per_month[0];
	for (unsigned m = 1; m < 12; m++)
		if (s->per_month[m] < least)
			least = s->per_month[m];
	kp_buf_addf(&note, "%d年每月报送信息最少%u条", year, least);
	if (s->months_short) {
		kp_buf_addf(&note, "；不足%d条的月份：", s->monthly_min);
		for (unsigned m = 0, k = 0; m < 12; m++)
			if (s->per_month[m] < (unsigned)s->monthly_min)
				kp_buf_addf(&note, "%s%u月%u条", k++ ? "、" : "",
					    m + 1, s->per_month[m]);
	}
	fact(out, s->unit, kp_table_id(sh->t), sh->code_min, "monthly_min",
	     kp_num_int(least), time, note.data);
	kp_buf_release(&note);
}

/* The 市级 and 省级 adoption points, two facts. */
static void tiered_facts(struct kp_facts *out, const kp_info_stat *s,
			 const kp_info_sheet *sh, int year, const char *time)
{
	kp_buf note = KP_BUF_INIT;
	char b1[32], b2[32];
	kp_buf_addf(&note, "%d年市级采用%u条，计%s分（市级任务%s分）",
		    year, s->city_adoptions, kp_num_str(s->city_points, b1),
		    kp_num_str(s->city_quota, b2));
	fact(out, s->unit, kp_table_id(sh->t), sh->code_tiered, "city_points",
	     s->city_points, time, note.data);
	kp_buf_reset(&note);
	kp_buf_addf(&note, "%d年省级采用%u条，计%s分（省级任务%s分）",
		    year, s->province_adoptions,
		    kp_num_str(s->province_points, b1),
		    kp_num_str(s->province_quota, b2));
	fact(out, s->unit, kp_table_id(sh->t), sh->code_tiered, "province_points",
	     s->province_points, time, note.data);
	kp_buf_release(&note);
}

/* One unit's facts, for each indicator its sheet names a code for. */
static void unit_facts(struct kp_facts *out, const kp_info_stat *s,
		       const kp_info_sheet *sh, int year, const char *time)
{
	kp_buf note = KP_BUF_INIT;
	if (sh->code_min)
		monthly_fact(out, s, sh, year, time);
	if (sh->code_dup) {
		kp_buf_addf(&note,
			    "%d年报送%u条，其中重复报送%u条（标题相同或近似，规则见 docs/info-ledger.md）",
			    year, s->submitted, s->duplicates);
		fact(out, s->unit, kp_table_id(sh->t), sh->code_dup, "duplicate",
		     kp_num_int(s->duplicates), time, note.data);
	}
	kp_buf_reset(&note);
	if (sh->code_urgent) {
		kp_buf_addf(&note, "%d年紧急重要信息%u条，迟报%u条、漏报%u条",
			    year, s->urgent, s->urgent_late, s->urgent_missing);
		fact(out, s->unit, kp_table_id(sh->t), sh->code_urgent, "urgent_late",
		     kp_num_int(s->urgent_late + s->urgent_missing),
		     time, note.data);
	}
	kp_buf_reset(&note);
	if (sh->code_feedback) {
		kp_buf_addf(&note,
			    "%d年领导批示要求反馈的信息及约稿信息%u条，未按时完成%u条",
			    year, s->requests, s->feedback_missed);
		fact(out, s->unit, kp_table_id(sh->t), sh->code_feedback, "feedback_missed",
		     kp_num_int(s->feedback_missed), time, note.data);
	}
	kp_buf_reset(&note);
	if (sh->code_false) {
		kp_buf_addf(&note, "%d年报送虚假信息%u条", year, s->false_info);
		fact(out, s->unit, kp_table_id(sh->t), sh->code_false, "false_info",
		     kp_num_int(s->false_info), time, note.data);
	}
	if (sh->code_tiered)
		tiered_facts(out, s, sh, year, time);
	kp_buf_release(&note);
}

int kp_info_facts(const kp_info_ledger *l, int year, const char *unit,
		  const char *sheet, struct kp_facts *out, kp_err *e)
{
	kp_info_period p;
	kp_info_stats st;
	char y[8], time[16];
	int want;
	if (want_sheet(l, sheet, &want, e) < 0)
		return -1;
	snprintf(y, sizeof(y), "%d", year);
	if (kp_info_period_parse(y, &p, e) < 0 ||
	    kp_info_stats_compute(l, &p, unit, &st, e) < 0)
		return -1;
	snprintf(time, sizeof(time), "%d-12-31", year);
	for (size_t i = 0; i < st.n; i++) {
		const kp_info_stat *s = &st.v[i];
		int u = kp_info_sheet_of(l, s->unit);
		if (u < 0 || (want >= 0 && u != want))
			continue;
		unit_facts(out, s, &l->r->sheets[u], year, time);
	}
	kp_info_stats_release(&st);
	return 0;
}
