/* ledger/info.c — the 政务信息 ledger: rules (schedule, quota, sheets),
 * the on-disk files, import and add.  See ledger.h section 1 and
 * docs/info-ledger.md.  Statistics and facts are in info_stats.c. */
#include "ledger/info_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* ---- dates ------------------------------------------------------------ */

/* A date cell (kp_day_parse; an XLSX day serial too when serial_ok). */
int kp_info_parse_date(const char *s, bool serial_ok, int32_t *out)
{
	int d;
	if ((serial_ok ? kp_day_cell(s, &d) : kp_day_parse(s, &d)) < 0)
		return -1;
	*out = (int32_t)d;
	return 0;
}

void kp_info_put_date(kp_buf *b, int32_t days)
{
	int y, m, d;
	if (days == INFO_NODATE)
		return;
	kp_day_ymd(days, &y, &m, &d);
	kp_buf_addf(b, "%04d-%02d-%02d", y, m, d);
}

/* ---- hashing and the unit map ---------------------------------------- */

uint64_t kp_info_hash(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	if (!h)
		h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

char *kp_info_own(kp_info_ledger *l, const char *s)
{
	if (l->nowned == l->capowned) {
		l->capowned = l->capowned ? 2 * l->capowned : 64;
		l->owned = kp_xrealloc(l->owned, l->capowned * sizeof(char *));
	}
	return l->owned[l->nowned++] = kp_xstrdup(s);
}

static void umap_put(kp_info_ledger *l, const char *key, uint32_t unit)
{
	size_t i;
	if (2 * (l->umap_n + 1) > l->umap_cap) {
		kp_info_umap_slot *old = l->umap;
		size_t oldcap = l->umap_cap;
		l->umap_cap = oldcap ? 2 * oldcap : 256;
		l->umap = kp_xcalloc(l->umap_cap, sizeof(*l->umap));
		l->umap_n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].key)
				umap_put(l, old[i].key, old[i].unit);
		free(old);
	}
	i = kp_info_hash(key, strlen(key), 0) & (l->umap_cap - 1);
	while (l->umap[i].key) {
		if (!strcmp(l->umap[i].key, key))
			return;
		i = (i + 1) & (l->umap_cap - 1);
	}
	l->umap[i].key = key;
	l->umap[i].unit = unit;
	l->umap_n++;
}

static int umap_get(const kp_info_ledger *l, const char *key)
{
	size_t i;
	if (!l->umap_cap)
		return -1;
	i = kp_info_hash(key, strlen(key), 0) & (l->umap_cap - 1);
	while (l->umap[i].key) {
		if (!strcmp(l->umap[i].key, key))
			return (int)l->umap[i].unit;
		i = (i + 1) & (l->umap_cap - 1);
	}
	return -1;
}

static const char *resolve(const kp_info_rules *r, const char *name,
			   const char **type);

static bool applies_to(const char *applies, const char *type,
		       const char *name, const kp_info_rules *reg)
{
	char *copy = kp_xstrdup(applies), *save = NULL, *tok;
	bool hit = false;
	/* tokens separated by "、" or "," */
	for (char *p = copy; *p; p++)
		if (!strncmp(p, "、", 3)) {
			memset(p, ',', 1);
			memmove(p + 1, p + 3, strlen(p + 3) + 1);
		}
	for (tok = strtok_r(copy, ",", &save); tok && !hit;
	     tok = strtok_r(NULL, ",", &save)) {
		const char *c, *ty;
		kp_trim(tok);
		if (!strcmp(tok, type) || !strcmp(tok, name))
			hit = true;
		else if ((c = resolve(reg, tok, &ty)) && !strcmp(c, name))
			hit = true;
	}
	free(copy);
	return hit;
}

int kp_info_sheet_of(const kp_info_ledger *l, const char *canonical)
{
	int u = umap_get(l, canonical);
	return u < 0 ? -1 : l->usheet[u];
}

/* The registry's spellings in a hash map: kp_units_resolve scans, and a
 * province has thousands of units. */
static void rmap_put(kp_info_rules *r, const char *key, const char *canon,
		     const char *type)
{
	size_t i = kp_info_hash(key, strlen(key), 0) & (r->rcap - 1);
	while (r->rmap[i].key) {
		if (!strcmp(r->rmap[i].key, key))
			return;
		i = (i + 1) & (r->rcap - 1);
	}
	r->rmap[i].key = key;
	r->rmap[i].canon = canon;
	r->rmap[i].type = type;
}

static const kp_info_rslot *rmap_get(const kp_info_rules *r, const char *key)
{
	size_t i;
	if (!r->rcap)
		return NULL;
	i = kp_info_hash(key, strlen(key), 0) & (r->rcap - 1);
	while (r->rmap[i].key) {
		if (!strcmp(r->rmap[i].key, key))
			return &r->rmap[i];
		i = (i + 1) & (r->rcap - 1);
	}
	return NULL;
}

static void rmap_build(kp_info_rules *r)
{
	const kp_table *t = r->utab;
	size_t n = 0;
	for (size_t i = 0; i < t->nrecs; i++) {
		const char *al = kp_record_cell(t, i, "aliases");
		n += 1 + (al ? strlen(al) / 3 + 1 : 0);
	}
	r->rcap = 64;
	while (r->rcap < 2 * n)
		r->rcap *= 2;
	r->rmap = kp_xcalloc(r->rcap, sizeof(*r->rmap));
	for (size_t i = 0; i < t->nrecs; i++) {
		const char *name = kp_record_cell(t, i, "name");
		const char *type = kp_record_cell(t, i, "type");
		const char *al = kp_record_cell(t, i, "aliases");
		/* the registry accepted the table: names and aliases unique */
		const char *canon = name;
		if (!canon || !*canon)
			continue;
		rmap_put(r, canon, canon, type ? type : "");
		if (!al || !*al)
			continue;
		{
			char *copy = kp_xstrdup(al), *p = copy, *save = NULL;
			for (char *q = copy; *q; q++)
				if (!strncmp(q, "、", 3)) {
					q[0] = ',';
					memmove(q + 1, q + 3, strlen(q + 3) + 1);
				}
			for (char *tok = strtok_r(p, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				kp_trim(tok);
				if (*tok) {
					r->owned = kp_xrealloc(r->owned,
							       (r->nowned + 1) *
								       sizeof(char *));
					r->owned[r->nowned] = kp_xstrdup(tok);
					rmap_put(r, r->owned[r->nowned++], canon,
						 type ? type : "");
				}
			}
			free(copy);
		}
	}
}

static const char *resolve(const kp_info_rules *r, const char *name,
			   const char **type)
{
	const kp_info_rslot *s = rmap_get(r, name);
	const char *c;
	if (s) {
		*type = s->type;
		return s->canon;
	}
	c = kp_units_resolve(r->units, name);
	if (c) {
		const char *t = kp_units_type(r->units, c);
		*type = t ? t : "";
	}
	return c;
}

/* The unit index for a name or alias; interns the canonical name. */
int kp_info_unit(kp_info_ledger *l, const char *spelling)
{
	int u = umap_get(l, spelling);
	const char *canon, *type;
	if (u >= 0)
		return u;
	canon = resolve(l->r, spelling, &type);
	if (!canon)
		return -1;
	u = umap_get(l, canon);
	if (u < 0) {
		if (l->nunits == l->capunits) {
			l->capunits = l->capunits ? 2 * l->capunits : 64;
			l->unames = kp_xrealloc(l->unames,
						l->capunits * sizeof(char *));
			l->utypes = kp_xrealloc(l->utypes,
						l->capunits * sizeof(char *));
			l->usheet = kp_xrealloc(l->usheet,
						l->capunits * sizeof(int));
		}
		u = (int)l->nunits++;
		l->unames[u] = (char *)canon;
		l->utypes[u] = type;
		l->usheet[u] = -1;
		for (size_t i = 0; i < l->r->nsheets; i++)
			if (l->r->sheets[i].applies &&
			    applies_to(l->r->sheets[i].applies, l->utypes[u],
				       canon, l->r)) {
				l->usheet[u] = (int)i;
				break;
			}
		umap_put(l, canon, (uint32_t)u);
	}
	if (strcmp(spelling, canon)) {
		/* kept apart from the rows' strings: an import that fails
		 * drops its rows, but the map keeps its spellings */
		if (l->nspell == l->capspell) {
			l->capspell = l->capspell ? 2 * l->capspell : 16;
			l->spell = kp_xrealloc(l->spell,
					       l->capspell * sizeof(char *));
		}
		l->spell[l->nspell] = kp_xstrdup(spelling);
		umap_put(l, l->spell[l->nspell++], (uint32_t)u);
	}
	return u;
}

/* ---- rules ------------------------------------------------------------ */

int kp_info_level_parse(const char *s)
{
	if (!*s)
		return LV_NONE;
	if (!strcmp(s, "市级") || !strcmp(s, "市") || !strcmp(s, "city"))
		return LV_CITY;
	if (!strcmp(s, "省级") || !strcmp(s, "省") || !strcmp(s, "province"))
		return LV_PROV;
	if (!strcmp(s, "国家级") || !strcmp(s, "国办") || !strcmp(s, "国务院") ||
	    !strcmp(s, "国家") || !strcmp(s, "nation"))
		return LV_NATION;
	return -1;
}

const char *kp_info_level_name(int lv)
{
	static const char *const n[] = { "", "市级", "省级", "国家级" };
	return lv >= 0 && lv <= 3 ? n[lv] : "";
}

static char *pub_norm(const char *s)
{
	int32_t cp[256];
	size_t n = kp_info_title_norm(s, cp, 256);
	kp_buf b = KP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char u[8];
		int k = 0;
		uint32_t c = (uint32_t)cp[i];
		if (c < 0x80)
			u[k++] = (char)c;
		else if (c < 0x800) {
			u[k++] = (char)(0xC0 | (c >> 6));
			u[k++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			u[k++] = (char)(0xE0 | (c >> 12));
			u[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[k++] = (char)(0x80 | (c & 0x3F));
		} else {
			u[k++] = (char)(0xF0 | (c >> 18));
			u[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
			u[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[k++] = (char)(0x80 | (c & 0x3F));
		}
		kp_buf_add(&b, u, (size_t)k);
	}
	kp_buf_adds(&b, "");
	return kp_buf_detach(&b);
}

static int rules_schedule(kp_info_rules *r, kp_err *e)
{
	const kp_table *t = r->schedule;
	const char *file = t->file ? t->file : kp_table_id(t);
	if (t->kind != KP_KIND_SCHEDULE)
		return kp_fail(e, KP_EINPUT, "%s: 不是计分标准表（kind=schedule）",
			       file);
	r->pubs = kp_xcalloc(t->nrecs + 1, sizeof(*r->pubs));
	r->bonus = kp_xcalloc(t->nrecs + 1, sizeof(*r->bonus));
	for (size_t i = 0; i < t->nrecs; i++) {
		const char *lv = kp_record_cell(t, i, "level");
		const char *kind = kp_record_cell(t, i, "kind");
		const char *pts = kp_record_cell(t, i, "points");
		const char *per = kp_record_cell(t, i, "per");
		kp_num v;
		int level = kp_info_level_parse(lv ? lv : "");
		if (level != LV_CITY && level != LV_PROV)
			return kp_fail_at(e, KP_EINPUT, file, t->recs[i].line,
					  "级别“%s”应为“市级”或“省级”",
					  lv ? lv : "");
		if (!pts || kp_num_parse(pts, &v) < 0)
			return kp_fail_at(e, KP_EINPUT, file, t->recs[i].line,
					  "分值“%s”不是数", pts ? pts : "");
		if (kind && !strcmp(kind, "bonus"))
			continue;
		kp_info_pub *p = &r->pubs[r->npubs++];
		p->code = kp_record_cell(t, i, "code");
		p->name = kp_record_cell(t, i, "publication");
		p->namelen = strlen(p->name);
		p->norm = pub_norm(p->name);
		p->level = level;
		p->per_issue = per && !strcmp(per, "期");
		p->points = v;
		p->bonus_upstream = -1;
	}
	for (size_t i = 0; i < t->nrecs; i++) {
		const char *kind = kp_record_cell(t, i, "kind");
		const char *of = kp_record_cell(t, i, "bonus_of");
		kp_info_bonus *b;
		if (!kind || strcmp(kind, "bonus"))
			continue;
		b = &r->bonus[r->nbonus];
		kp_num_parse(kp_record_cell(t, i, "points"), &b->points);
		if (of && !strncmp(of, "level:", 6)) {
			b->level = kp_info_level_parse(of + 6);
			if (b->level != LV_CITY && b->level != LV_PROV)
				return kp_fail_at(e, KP_EINPUT, file,
						  t->recs[i].line,
						  "bonus_of“%s”：级别应为市级或省级",
						  of);
		} else {
			size_t k;
			for (k = 0; k < r->npubs; k++)
				if (of && !strcmp(r->pubs[k].code, of))
					break;
			if (k == r->npubs)
				return kp_fail_at(e, KP_EINPUT, file,
						  t->recs[i].line,
						  "bonus_of“%s”不是本表的刊物编号",
						  of ? of : "");
			b->upstream = true;
			r->pubs[k].bonus_upstream = (int)r->nbonus;
		}
		r->nbonus++;
	}
	if (!r->npubs)
		return kp_fail(e, KP_EINPUT, "%s: 计分标准中没有刊物", file);
	return 0;
}

static int rules_quota(kp_info_rules *r, kp_err *e)
{
	const kp_table *t = r->quota;
	const char *file = t->file ? t->file : kp_table_id(t);
	if (t->kind != KP_KIND_QUOTA)
		return kp_fail(e, KP_EINPUT, "%s: 不是任务分配表（kind=quota）",
			       file);
	r->quotas = kp_xcalloc(t->nrecs + 1, sizeof(*r->quotas));
	for (size_t i = 0; i < t->nrecs; i++) {
		const char *u = kp_record_cell(t, i, "unit");
		const char *c = kp_record_cell(t, i, "city");
		const char *p = kp_record_cell(t, i, "province");
		kp_info_quota *q = &r->quotas[r->nquotas];
		const char *ty;
		q->unit = u ? resolve(r, u, &ty) : NULL;
		if (!q->unit)
			return kp_fail_at(e, KP_EINPUT, file, t->recs[i].line,
					  "单位“%s”不在单位名录中",
					  u ? u : "");
		q->city = kp_num_int(0);
		q->prov = kp_num_int(0);
		if ((c && *c && kp_num_parse(c, &q->city) < 0) ||
		    (p && *p && kp_num_parse(p, &q->prov) < 0))
			return kp_fail_at(e, KP_EINPUT, file, t->recs[i].line,
					  "任务分值不是数");
		r->nquotas++;
	}
	return 0;
}

static void sheet_scan(kp_info_sheet *s)
{
	for (size_t i = 0; i < s->t->nnodes; i++) {
		const kp_node *n = s->t->nodes[i];
		const char *w = kp_node_param(n, "when");
		if (!s->applies && n->level == 1 && *n->text[KP_T_APPLIES])
			s->applies = n->text[KP_T_APPLIES];
		if (n->rule == KP_RULE_TIERED && !s->code_tiered)
			s->code_tiered = n->code;
		if (!w)
			continue;
		if (!strncmp(w, "monthly_min:", 12)) {
			s->monthly_min = (int)kp_digits(w + 12, w + strlen(w),
							1000);
			s->code_min = n->code;
		} else if (!strcmp(w, "duplicate"))
			s->code_dup = n->code;
		else if (!strcmp(w, "urgent_late"))
			s->code_urgent = n->code;
		else if (!strcmp(w, "feedback_missed"))
			s->code_feedback = n->code;
		else if (!strcmp(w, "false_info"))
			s->code_false = n->code;
	}
}

void kp_info_rules_free(kp_info_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->npubs; i++)
		free(r->pubs[i].norm);
	for (size_t i = 0; i < r->nsheets; i++)
		kp_table_free(r->sheets[i].t);
	free(r->pubs);
	free(r->bonus);
	free(r->quotas);
	free(r->sheets);
	kp_table_free(r->schedule);
	kp_table_free(r->quota);
	kp_table_free(r->utab);
	for (size_t i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->rmap);
	kp_units_free(r->units);
	free(r);
}

int kp_info_rules_open(const kp_info_spec *spec, kp_info_rules **out,
		       kp_err *e)
{
	kp_info_spec d = { NULL, NULL, NULL, NULL };
	kp_info_rules *r = kp_xcalloc(1, sizeof(*r));
	char *list = NULL, *save = NULL, *tok;
	if (spec)
		d = *spec;
	if (!d.units)
		d.units = "pzh-units";
	if (!d.schedule)
		d.schedule = "pzh2016-info-points";
	if (!d.quota)
		d.quota = "pzh2016-info-quota";
	if (!d.sheets)
		d.sheets = "pzh2016-info-dept,pzh2016-info-county,pzh2016-info-gxq";
	*out = NULL;
	if (kp_table_open(d.units, &r->utab, e) < 0)
		goto fail;
	if (r->utab->kind != KP_KIND_UNITS) {
		kp_fail(e, KP_EINPUT, "%s: 不是单位名录（kind=units）", d.units);
		goto fail;
	}
	if (kp_units_from_table(r->utab, &r->units, e) < 0)
		goto fail;
	rmap_build(r);
	if (kp_table_open(d.schedule, &r->schedule, e) < 0 ||
	    rules_schedule(r, e) < 0 ||
	    kp_table_open(d.quota, &r->quota, e) < 0 || rules_quota(r, e) < 0)
		goto fail;
	list = kp_xstrdup(d.sheets);
	r->sheets = kp_xcalloc(strlen(list) / 2 + 2, sizeof(*r->sheets));
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		kp_info_sheet *s = &r->sheets[r->nsheets];
		if (!*kp_trim(tok))
			continue;
		if (kp_table_open(tok, &s->t, e) < 0)
			goto fail;
		r->nsheets++;
		if (s->t->kind != KP_KIND_INDICATORS) {
			kp_fail(e, KP_EINPUT, "%s: 不是指标表", tok);
			goto fail;
		}
		sheet_scan(s);
	}
	free(list);
	*out = r;
	return 0;
fail:
	free(list);
	kp_info_rules_free(r);
	return -1;
}

/* ---- cells the ledger's files and the sheets share -------------------- */

int kp_info_flag_parse(const char *s)
{
	static const char *const yes[] = { "1", "是", "√", "✓", "Y", "y", "yes",
					   "true", "紧急", "紧急重要", NULL };
	static const char *const no[] = { "0", "否", "", "N", "n", "no",
					  "false", "×", NULL };
	if (!*s)
		return 0;
	if (s[0] == '1' && !s[1])
		return 1;
	for (int i = 0; yes[i]; i++)
		if (!strcmp(s, yes[i]))
			return 1;
	for (int i = 0; no[i]; i++)
		if (!strcmp(s, no[i]))
			return 0;
	return -1;
}

int kp_info_request_parse(const char *s)
{
	if (!*s || !strcmp(s, "否") || !strcmp(s, "0"))
		return RQ_NONE;
	if (!strcmp(s, "约稿"))
		return RQ_YUEGAO;
	if (!strcmp(s, "批示反馈") || !strcmp(s, "领导批示要求反馈") ||
	    !strcmp(s, "要求反馈") || !strcmp(s, "反馈"))
		return RQ_FEEDBACK;
	return -1;
}

const char *const kp_info_request_names[] = { "", "约稿", "批示反馈" };

int kp_info_pub_find(const kp_info_rules *r, const char *s)
{
	char *n;
	int hit = -1;
	/* the ledger's own files write the schedule's names: try them first,
	 * by length and first bytes, before any normalisation */
	size_t len = strlen(s);
	for (size_t i = 0; i < r->npubs; i++)
		if (r->pubs[i].namelen == len && !memcmp(r->pubs[i].name, s, len))
			return (int)i;
	for (size_t i = 0; i < r->npubs; i++)
		if (!strcmp(r->pubs[i].name, s) || !strcmp(r->pubs[i].code, s))
			return (int)i;
	n = pub_norm(s);
	for (size_t i = 0; i < r->npubs && hit < 0; i++) {
		size_t k = strlen(n);
		const char *pn = r->pubs[i].norm;
		if (!strcmp(pn, n))
			hit = (int)i;
		/* "省政府上报国办动态" for "省政府上报国办动态信息" */
		else if (k >= 6 && !strncmp(pn, n, k) && !strcmp(pn + k, "信息"))
			hit = (int)i;
	}
	free(n);
	return hit;
}

/* ---- the ledger in memory --------------------------------------------- */

kp_info_sub *kp_info_new_sub(kp_info_ledger *l)
{
	if (l->ns == l->caps) {
		l->caps = l->caps ? 2 * l->caps : 256;
		l->s = kp_xrealloc(l->s, l->caps * sizeof(*l->s));
	}
	memset(&l->s[l->ns], 0, sizeof(*l->s));
	return &l->s[l->ns++];
}

kp_info_adopt *kp_info_new_adopt(kp_info_ledger *l)
{
	if (l->na == l->capa) {
		l->capa = l->capa ? 2 * l->capa : 256;
		l->a = kp_xrealloc(l->a, l->capa * sizeof(*l->a));
	}
	memset(&l->a[l->na], 0, sizeof(*l->a));
	return &l->a[l->na++];
}

void kp_info_sub_norm(kp_info_ledger *l, kp_info_sub *s)
{
	size_t max = strlen(s->title) + 1;
	if (l->nnorm + max > l->capnorm) {
		while (l->nnorm + max > l->capnorm)
			l->capnorm = l->capnorm ? 2 * l->capnorm : 4096;
		l->norm = kp_xrealloc(l->norm, l->capnorm * sizeof(int32_t));
	}
	s->noff = (uint32_t)l->nnorm;
	s->nlen = (uint32_t)kp_info_title_norm(s->title, l->norm + l->nnorm, max);
	l->nnorm += s->nlen;
	{
		uint64_t h = 1469598103934665603ULL, m0 = 0, m1 = 0;
		const int32_t *c = l->norm + s->noff;
		for (uint32_t i = 0; i < s->nlen; i++) {
			uint32_t x = (uint32_t)c[i] * 2654435761u;
			uint64_t bit = 1ULL << ((x >> 25) & 63);
			h = (h ^ (uint32_t)c[i]) * 1099511628211ULL;
			if (x >> 31)
				m1 |= bit;
			else
				m0 |= bit;
		}
		s->hash = h;
		s->mask[0] = m0;
		s->mask[1] = m1;
	}
}

void kp_info_free(kp_info_ledger *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	for (size_t i = 0; i < l->nspell; i++)
		free(l->spell[i]);
	free(l->spell);
	free(l->unames);
	free(l->utypes);
	free(l->usheet);
	free(l->umap);
	free(l->s);
	free(l->a);
	free(l->norm);
	kp_buf_release(&l->raw[0]);
	kp_buf_release(&l->raw[1]);
	free(l);
}

size_t kp_info_nsubmissions(const kp_info_ledger *l) { return l->ns; }
size_t kp_info_nadoptions(const kp_info_ledger *l) { return l->na; }
size_t kp_info_npending(const kp_info_ledger *l)
{
	return (l->ns - l->loaded_s) + (l->na - l->loaded_a);
}

