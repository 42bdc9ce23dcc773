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

#define SUB_FILE "submissions.csv"
#define ADOPT_FILE "adoptions.csv"
#define LEDGER_MAX ((size_t)1 << 30)

static const char *const sub_cols[] = {
	"id", "unit", "date", "title", "category", "urgent", "request", "due",
	"false_info", "note", NULL,
};
static const char *const adopt_cols[] = {
	"id", "item", "publication", "date", "issue", "pishi", "pishi_by",
	"upstream", "note", NULL,
};

/* ---- dates ------------------------------------------------------------ */

/* A date cell (kp_day_parse; an XLSX day serial too when serial_ok). */
static int parse_date(const char *s, bool serial_ok, int32_t *out)
{
	int d;
	if ((serial_ok ? kp_day_cell(s, &d) : kp_day_parse(s, &d)) < 0)
		return -1;
	*out = (int32_t)d;
	return 0;
}

static void put_date(kp_buf *b, int32_t days)
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

static char *own(kp_info_ledger *l, const char *s)
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

static int level_parse(const char *s)
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
		int level = level_parse(lv ? lv : "");
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
			b->level = level_parse(of + 6);
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

/* ---- the ledger in memory --------------------------------------------- */

static kp_info_sub *new_sub(kp_info_ledger *l)
{
	if (l->ns == l->caps) {
		l->caps = l->caps ? 2 * l->caps : 256;
		l->s = kp_xrealloc(l->s, l->caps * sizeof(*l->s));
	}
	memset(&l->s[l->ns], 0, sizeof(*l->s));
	return &l->s[l->ns++];
}

static kp_info_adopt *new_adopt(kp_info_ledger *l)
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

/* ---- reading the ledger's own files ------------------------------------ */

/* Split one CSV record in place (RFC 4180, quotes unescaped in place).
 * Returns the number of fields, 0 at the end, -1 on a broken quote. */
static int split(char **pp, char *end, char **f, int max, size_t *line)
{
	char *p = *pp;
	int n = 0;
	if (p >= end)
		return 0;
	for (;;) {
		char *w = p, *start = p;
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end)
					return -1;
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						*w++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					(*line)++;
				*w++ = *p++;
			}
		} else {
			while (p < end && *p != ',' && *p != '\n' && *p != '\r')
				p++;
			w = p;
		}
		if (n < max)
			f[n++] = start;
		if (p < end && *p == ',') {
			*w = '\0';
			p++;
			continue;
		}
		if (p < end && *p == '\r')
			*p++ = '\0';
		if (p < end && *p == '\n')
			p++;
		*w = '\0';
		(*line)++;
		break;
	}
	*pp = p;
	return n;
}

static int flag_parse(const char *s)
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

static int request_parse(const char *s)
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

static const char *const request_names[] = { "", "约稿", "批示反馈" };

static int pub_find(const kp_info_rules *r, const char *s)
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

/* The whole file in one allocation (the ledger files are large and
 * read once; growing a buffer chunk by chunk would copy them again). */
static int read_whole(const char *path, kp_buf *out, kp_err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	if (fd < 0)
		return kp_fail(e, KP_EIO, "%s: 无法打开文件：%s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > LEDGER_MAX) {
		close(fd);
		return kp_fail(e, KP_ETOOBIG, "%s: 无法读取或文件过大", path);
	}
	out->data = kp_xmalloc((size_t)st.st_size + 1);
	out->cap = (size_t)st.st_size + 1;
	out->max = LEDGER_MAX;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, out->data + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			close(fd);
			return kp_fail(e, KP_EIO, "%s: 读取失败：%s", path,
				       k < 0 ? strerror(errno) : "文件变短了");
		}
		got += (size_t)k;
	}
	close(fd);
	out->data[got] = '\0';
	out->len = got;
	return 0;
}

static int load_file(kp_info_ledger *l, const char *dir, int which,
		     kp_err *e)
{
	const char *const *cols = which ? adopt_cols : sub_cols;
	kp_buf path = KP_BUF_INIT;
	kp_buf *raw = &l->raw[which];
	char *p, *end, *f[16];
	size_t line = 1, ln;
	int ncols = which ? 9 : 10, n, rc = -1;
	kp_buf_addf(&path, "%s/%s", dir, which ? ADOPT_FILE : SUB_FILE);
	if (access(path.data, F_OK) != 0) {
		kp_buf_release(&path);
		return 0;
	}
	if (read_whole(path.data, raw, e) < 0)
		goto out;
	if (!raw->data) {
		rc = 0;
		goto out;
	}
	p = raw->data;
	end = p + raw->len;
	{
		/* size the arrays once: one row per line at most */
		size_t lines = 1;
		for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q)));
		     q++)
			lines++;
		if (!which && l->caps < l->ns + lines) {
			l->caps = l->ns + lines;
			l->s = kp_xrealloc(l->s, l->caps * sizeof(*l->s));
		}
		if (!which && l->capnorm < l->nnorm + raw->len + 1) {
			/* a code point takes at least one byte */
			l->capnorm = l->nnorm + raw->len + 1;
			l->norm = kp_xrealloc(l->norm,
					      l->capnorm * sizeof(int32_t));
		}
		if (which && l->capa < l->na + lines) {
			l->capa = l->na + lines;
			l->a = kp_xrealloc(l->a, l->capa * sizeof(*l->a));
		}
	}
	if (raw->len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	ln = line;
	n = split(&p, end, f, 16, &line);
	if (n != ncols) {
		kp_fail_at(e, KP_EINPUT, path.data, ln, "表头应为 %s,%s,…（共 %d 列）",
			   cols[0], cols[1], ncols);
		goto out;
	}
	for (int i = 0; i < ncols; i++)
		if (strcmp(f[i], cols[i])) {
			kp_fail_at(e, KP_EINPUT, path.data, ln,
				   "第 %d 列应为“%s”，而不是“%s”", i + 1,
				   cols[i], f[i]);
			goto out;
		}
	for (;;) {
		ln = line;
		n = split(&p, end, f, 16, &line);
		if (n == 0)
			break;
		if (n < 0) {
			kp_fail_at(e, KP_EINPUT, path.data, ln, "引号未闭合");
			goto out;
		}
		if (n == 1 && !*f[0])
			continue;
		if (n != ncols) {
			kp_fail_at(e, KP_EINPUT, path.data, ln,
				   "应有 %d 列，这一行有 %d 列", ncols, n);
			goto out;
		}
		if (!which) {
			kp_info_sub *s;
			int u = kp_info_unit(l, f[1]);
			int32_t date = INFO_NODATE, due = INFO_NODATE;
			int urg = flag_parse(f[5]), rq = request_parse(f[6]),
			    fl = flag_parse(f[8]);
			if (u < 0) {
				kp_fail_at(e, KP_EINPUT, path.data, ln,
					   "单位“%s”不在单位名录中", f[1]);
				goto out;
			}
			if (*f[2] && parse_date(f[2], false, &date) < 0) {
				kp_day_fail(e, path.data, ln, "报送日期", f[2]);
				goto out;
			}
			if (*f[7] && parse_date(f[7], false, &due) < 0) {
				kp_day_fail(e, path.data, ln, "要求时限", f[7]);
				goto out;
			}
			if (!*f[2] && !*f[7]) {
				kp_fail_at(e, KP_EINPUT, path.data, ln,
					   "报送日期和要求时限不能都为空");
				goto out;
			}
			if (urg < 0 || rq < 0 || fl < 0) {
				kp_fail_at(e, KP_EINPUT, path.data, ln,
					   "urgent“%s”、request“%s”或 false_info“%s”无法识别",
					   f[5], f[6], f[8]);
				goto out;
			}
			if ((size_t)strtoul(f[0], NULL, 10) != l->ns + 1) {
				kp_fail_at(e, KP_EINPUT, path.data, ln,
					   "编号应为 %zu，而不是“%s”", l->ns + 1,
					   f[0]);
				goto out;
			}
			s = new_sub(l);
			s->unit = (uint32_t)u;
			s->line = (uint32_t)ln;
			s->date = date;
			s->due = due;
			s->urgent = (uint8_t)urg;
			s->request = (uint8_t)rq;
			s->false_info = (uint8_t)fl;
			s->title = f[3];
			s->category = f[4];
			s->note = f[9];
			kp_info_sub_norm(l, s);
		} else {
			kp_info_adopt *a;
			unsigned long item = strtoul(f[1], NULL, 10);
			int pub = pub_find(l->r, f[2]);
			int pishi = level_parse(f[5]), up = flag_parse(f[7]);
			int32_t date;
			const char *why = NULL;
			if ((size_t)strtoul(f[0], NULL, 10) != l->na + 1)
				why = "编号不连续";
			else if (!item || item > l->ns)
				why = "报送编号不在 submissions.csv 中";
			else if (pub < 0)
				why = "刊物不在计分标准中";
			else if (parse_date(f[3], false, &date) < 0) {
				kp_day_fail(e, path.data, ln, "采用日期", f[3]);
				goto out;
			}
			else if (pishi < 0 || up < 0)
				why = "pishi 或 upstream 无法识别";
			if (why) {
				kp_fail_at(e, KP_EINPUT, path.data, ln, "%s", why);
				goto out;
			}
			a = new_adopt(l);
			a->item = (uint32_t)(item - 1);
			a->pub = (uint32_t)pub;
			a->line = (uint32_t)ln;
			a->date = date;
			a->pishi = (uint8_t)pishi;
			a->upstream = (uint8_t)up;
			a->issue = f[4];
			a->pishi_by = f[6];
			a->note = f[8];
		}
	}
	rc = 0;
out:
	kp_buf_release(&path);
	return rc;
}

int kp_info_load(const char *dir, const kp_info_rules *r,
		 kp_info_ledger **out, kp_err *e)
{
	kp_info_ledger *l = kp_xcalloc(1, sizeof(*l));
	struct stat st;
	l->r = r;
	*out = NULL;
	/* every unit of the quota first, in the quota's order */
	for (size_t i = 0; i < r->nquotas; i++)
		kp_info_unit(l, r->quotas[i].unit);
	if (dir && stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		kp_fail(e, KP_EINPUT, "%s: 台账应为一个目录", dir);
		kp_info_free(l);
		return -1;
	}
	if (dir && (load_file(l, dir, 0, e) < 0 || load_file(l, dir, 1, e) < 0)) {
		kp_info_free(l);
		return -1;
	}
	l->loaded_s = l->ns;
	l->loaded_a = l->na;
	*out = l;
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static int append(const char *dir, const char *name,
		  const char *const *cols, const kp_buf *rows, kp_err *e)
{
	kp_buf path = KP_BUF_INIT, all = KP_BUF_INIT;
	int rc = -1;
	kp_buf_addf(&path, "%s/%s", dir, name);
	all.max = LEDGER_MAX;
	if (access(path.data, F_OK) == 0) {
		if (kp_read_file(path.data, LEDGER_MAX, &all, e) < 0)
			goto out;
		if (all.len && all.data[all.len - 1] != '\n')
			kp_buf_addc(&all, '\n');
	} else {
		for (int i = 0; cols[i]; i++)
			kp_buf_addf(&all, "%s%s", i ? "," : "", cols[i]);
		kp_buf_addc(&all, '\n');
	}
	if (kp_buf_add(&all, rows->data, rows->len) < 0) {
		kp_fail(e, KP_ETOOBIG, "%s: 台账文件过大", path.data);
		goto out;
	}
	rc = kp_write_atomic(path.data, all.data, all.len, e);
out:
	kp_buf_release(&path);
	kp_buf_release(&all);
	return rc;
}

int kp_info_save(kp_info_ledger *l, const char *dir, kp_err *e)
{
	kp_buf rs = KP_BUF_INIT, ra = KP_BUF_INIT;
	int rc = -1;
	rs.max = ra.max = LEDGER_MAX;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return kp_fail(e, KP_EIO, "%s: 无法创建台账目录：%s", dir,
			       strerror(errno));
	for (size_t i = l->loaded_s; i < l->ns; i++) {
		const kp_info_sub *s = &l->s[i];
		kp_buf_addf(&rs, "%zu,", i + 1);
		kp_csv_put(&rs, l->unames[s->unit]);
		kp_buf_addc(&rs, ',');
		put_date(&rs, s->date);
		kp_buf_addc(&rs, ',');
		kp_csv_put(&rs, s->title);
		kp_buf_addc(&rs, ',');
		kp_csv_put(&rs, s->category);
		kp_buf_addf(&rs, ",%s,%s,", s->urgent ? "1" : "",
			    request_names[s->request]);
		put_date(&rs, s->due);
		kp_buf_addf(&rs, ",%s,", s->false_info ? "1" : "");
		kp_csv_put(&rs, s->note);
		kp_buf_addc(&rs, '\n');
	}
	for (size_t i = l->loaded_a; i < l->na; i++) {
		const kp_info_adopt *a = &l->a[i];
		kp_buf_addf(&ra, "%zu,%u,", i + 1, a->item + 1);
		kp_csv_put(&ra, l->r->pubs[a->pub].name);
		kp_buf_addc(&ra, ',');
		put_date(&ra, a->date);
		kp_buf_addc(&ra, ',');
		kp_csv_put(&ra, a->issue);
		kp_buf_addf(&ra, ",%s,", kp_info_level_name(a->pishi));
		kp_csv_put(&ra, a->pishi_by);
		kp_buf_addf(&ra, ",%s,", a->upstream ? "1" : "");
		kp_csv_put(&ra, a->note);
		kp_buf_addc(&ra, '\n');
	}
	/* submissions first: adoptions refer to them */
	if (rs.len && append(dir, SUB_FILE, sub_cols, &rs, e) < 0)
		goto out;
	if (ra.len && append(dir, ADOPT_FILE, adopt_cols, &ra, e) < 0)
		goto out;
	l->loaded_s = l->ns;
	l->loaded_a = l->na;
	rc = 0;
out:
	kp_buf_release(&rs);
	kp_buf_release(&ra);
	return rc;
}

/* ---- rows from sheets and the command line ------------------------------ */

enum col {
	C_ITEM, C_UNIT, C_DATE, C_TITLE, C_CATEGORY, C_URGENT, C_REQUEST,
	C_DUE, C_FALSE, C_NOTE, C_PUB, C_ADOPTED, C_ISSUE, C_LEVEL, C_PISHI,
	C_PISHI_BY, C_UPSTREAM, C_IGNORE, NCOL
};

/* One row per column: its English key (the add keys) and the headers
 * offices write, separated by '|'. */
static const struct colname {
	enum col col;
	const char *key;
	const char *names;
} colnames[] = {
	{ C_ITEM, "item", "编号|信息编号|报送编号" },
	{ C_UNIT, "unit", "单位|报送单位|单位名称" },
	{ C_DATE, "date", "报送日期|报送时间" },
	{ C_TITLE, "title", "标题|信息标题" },
	{ C_CATEGORY, "category", "类别|信息类别|类型" },
	{ C_URGENT, "urgent", "紧急重要|紧急|紧急重要信息" },
	{ C_REQUEST, "request", "约稿/批示反馈|约稿|要求反馈|约稿或批示反馈" },
	{ C_DUE, "due", "要求时限|报送时限|截止日期|时限" },
	{ C_FALSE, "false_info", "虚假信息|虚假" },
	{ C_NOTE, "note", "备注" },
	{ C_PUB, "publication", "采用刊物|刊物" },
	{ C_ADOPTED, "adopted", "采用日期|采用时间" },
	{ C_ISSUE, "issue", "期号|期数|刊期" },
	{ C_LEVEL, "level", "采用级别|级别" },
	{ C_PISHI, "pishi", "批示级别|领导批示" },
	{ C_PISHI_BY, "pishi_by", "批示领导|批示人" },
	{ C_UPSTREAM, "upstream", "国办采用|再采用|上级再采用" },
	{ C_IGNORE, "", "序号" },
};

static int col_of(const char *h)
{
	char *x = kp_squeeze(kp_trim(kp_xstrdup(h)));
	int hit = -1;
	for (size_t i = 0; i < sizeof(colnames) / sizeof(*colnames) && hit < 0;
	     i++) {
		const char *p = colnames[i].names;
		if (*colnames[i].key && !strcmp(x, colnames[i].key))
			hit = (int)colnames[i].col;
		while (*p && hit < 0) {
			size_t k = strcspn(p, "|");
			if (strlen(x) == k && !strncmp(x, p, k))
				hit = (int)colnames[i].col;
			p += k + (p[k] == '|');
		}
	}
	free(x);
	return hit;
}

/* A pending import: the new rows, kept apart until every row is good.
 * Two hash indexes over ledger + new rows: (unit, date, title) → the
 * submission, (submission, publication) → the adoption. */
typedef struct pending {
	size_t ns0, na0;        /* ledger sizes before */
	uint32_t *slot;         /* submission index + 1, 0 empty */
	size_t cap;
	uint32_t *aslot;        /* adoption index + 1, 0 empty */
	size_t acap;
} pending;

static uint64_t key_hash(uint32_t unit, int32_t date, const char *title)
{
	uint64_t h = kp_info_hash(&unit, sizeof(unit), 0);
	h = kp_info_hash(&date, sizeof(date), h);
	return kp_info_hash(title, strlen(title), h);
}

static uint64_t akey_hash(uint32_t item, uint32_t pub)
{
	uint64_t k = ((uint64_t)item << 16) ^ pub;
	return kp_info_hash(&k, sizeof(k), 0);
}

static void pend_put(pending *p, const kp_info_ledger *l, size_t idx)
{
	const kp_info_sub *s = &l->s[idx];
	size_t i = key_hash(s->unit, s->date, s->title) & (p->cap - 1);
	while (p->slot[i])
		i = (i + 1) & (p->cap - 1);
	p->slot[i] = (uint32_t)idx + 1;
}

static void pend_aput(pending *p, const kp_info_ledger *l, size_t idx)
{
	const kp_info_adopt *a = &l->a[idx];
	size_t i = akey_hash(a->item, a->pub) & (p->acap - 1);
	while (p->aslot[i])
		i = (i + 1) & (p->acap - 1);
	p->aslot[i] = (uint32_t)idx + 1;
}

static void pend_index(pending *p, const kp_info_ledger *l)
{
	free(p->slot);
	free(p->aslot);
	p->cap = p->acap = 1024;
	while (p->cap < 2 * (l->ns + 1))
		p->cap *= 2;
	while (p->acap < 2 * (l->na + 1))
		p->acap *= 2;
	p->slot = kp_xcalloc(p->cap, sizeof(uint32_t));
	p->aslot = kp_xcalloc(p->acap, sizeof(uint32_t));
	for (size_t i = 0; i < l->ns; i++)
		pend_put(p, l, i);
	for (size_t i = 0; i < l->na; i++)
		pend_aput(p, l, i);
}

static void pend_init(pending *p, const kp_info_ledger *l)
{
	memset(p, 0, sizeof(*p));
	p->ns0 = l->ns;
	p->na0 = l->na;
	pend_index(p, l);
}

static void pend_release(pending *p)
{
	free(p->slot);
	free(p->aslot);
}

static long pend_find(const pending *p, const kp_info_ledger *l,
		      uint32_t unit, int32_t date, const char *title)
{
	size_t i = key_hash(unit, date, title) & (p->cap - 1);
	while (p->slot[i]) {
		const kp_info_sub *s = &l->s[p->slot[i] - 1];
		if (s->unit == unit && s->date == date && !strcmp(s->title, title))
			return (long)p->slot[i] - 1;
		i = (i + 1) & (p->cap - 1);
	}
	return -1;
}

static long pend_afind(const pending *p, const kp_info_ledger *l,
		       uint32_t item, uint32_t pub)
{
	size_t i = akey_hash(item, pub) & (p->acap - 1);
	while (p->aslot[i]) {
		const kp_info_adopt *a = &l->a[p->aslot[i] - 1];
		if (a->item == item && a->pub == pub)
			return (long)p->aslot[i] - 1;
		i = (i + 1) & (p->acap - 1);
	}
	return -1;
}

/* After a row was appended to l->s or l->a: index it. */
static void pend_added(pending *p, const kp_info_ledger *l, bool adoption)
{
	if (2 * (l->ns + 1) > p->cap || 2 * (l->na + 1) > p->acap) {
		pend_index(p, l);
		return;
	}
	if (adoption)
		pend_aput(p, l, l->na - 1);
	else
		pend_put(p, l, l->ns - 1);
}

static void pend_rollback(kp_info_ledger *l, const pending *p, size_t nown0)
{
	l->ns = p->ns0;
	l->na = p->na0;
	if (l->ns)
		l->nnorm = l->s[l->ns - 1].noff + l->s[l->ns - 1].nlen;
	else
		l->nnorm = 0;
	while (l->nowned > nown0)
		free(l->owned[--l->nowned]);
}

static const char *cell(const char *const *f, enum col c)
{
	return f[c] ? f[c] : "";
}

/* Check one row and add it to the ledger (in memory).  f[col] is the
 * row's text per column (NULL when the sheet has no such column). */
static int add_row(kp_info_ledger *l, pending *pd, const char *const *f,
		   const char *file, size_t line, bool serial_ok, kp_err *e)
{
	const char *unit = cell(f, C_UNIT), *title = cell(f, C_TITLE),
		   *date_s = cell(f, C_DATE), *pub_s = cell(f, C_PUB),
		   *item_s = cell(f, C_ITEM);
	long si = -1;
	int pub = -1;
	int32_t date = INFO_NODATE, due = INFO_NODATE, adopted = INFO_NODATE;

	if (*item_s && !*title) {
		char *endp;
		unsigned long v = strtoul(item_s, &endp, 10);
		if (*endp || !v || v > l->ns)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "报送编号“%s”不在台账中（台账共 %zu 条报送）",
					  item_s, l->ns);
		si = (long)v - 1;
	} else {
		int u, urg, rq, fl;
		if (!*unit)
			return kp_fail_at(e, KP_EINPUT, file, line, "单位为空");
		u = kp_info_unit(l, unit);
		if (u < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "单位“%s”不在单位名录中（写规范名称或别名，见 kaoping table show pzh-units）",
					  unit);
		if (!*title)
			return kp_fail_at(e, KP_EINPUT, file, line, "标题为空");
		if (*date_s && parse_date(date_s, serial_ok, &date) < 0)
			return kp_day_fail(e, file, line, "报送日期", date_s);
		if (*cell(f, C_DUE) &&
		    parse_date(cell(f, C_DUE), serial_ok, &due) < 0)
			return kp_day_fail(e, file, line, "要求时限",
					   cell(f, C_DUE));
		if (date == INFO_NODATE && due == INFO_NODATE)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "报送日期为空（未报送的紧急或约稿信息须写要求时限）");
		urg = flag_parse(cell(f, C_URGENT));
		if (urg < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "紧急重要“%s”应为“是”或“否”",
					  cell(f, C_URGENT));
		rq = request_parse(cell(f, C_REQUEST));
		if (rq < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "约稿/批示反馈“%s”应为“约稿”“批示反馈”或空",
					  cell(f, C_REQUEST));
		fl = flag_parse(cell(f, C_FALSE));
		if (fl < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "虚假信息“%s”应为“是”或“否”",
					  cell(f, C_FALSE));
		si = pend_find(pd, l, (uint32_t)u, date, title);
		if (si < 0) {
			kp_info_sub *s = new_sub(l);
			s->unit = (uint32_t)u;
			s->line = (uint32_t)line;
			s->date = date;
			s->due = due;
			s->urgent = (uint8_t)urg;
			s->request = (uint8_t)rq;
			s->false_info = (uint8_t)fl;
			s->title = own(l, title);
			s->category = own(l, cell(f, C_CATEGORY));
			s->note = own(l, cell(f, C_NOTE));
			kp_info_sub_norm(l, s);
			si = (long)(l->ns - 1);
			pend_added(pd, l, false);
			if (!*pub_s)
				return 0;
		} else if (!*pub_s) {
			return (size_t)si >= pd->ns0
				? kp_fail_at(e, KP_EINPUT, file, line,
					     "重复的行：与本文件第 %zu 行相同（同一单位、报送日期、标题）",
					     (size_t)l->s[si].line)
				: kp_fail_at(e, KP_EINPUT, file, line,
					     "重复的行：台账中已有，见报送编号 %zu（同一单位、报送日期、标题）",
					     (size_t)si + 1);
		}
	}
	if (!*pub_s)
		return kp_fail_at(e, KP_EINPUT, file, line, "采用刊物为空");
	pub = pub_find(l->r, pub_s);
	if (pub < 0) {
		kp_buf known = KP_BUF_INIT;
		for (size_t i = 0; i < l->r->npubs; i++)
			kp_buf_addf(&known, "%s%s", i ? "、" : "",
				    l->r->pubs[i].name);
		kp_fail_at(e, KP_EINPUT, file, line,
			   "刊物“%s”不在计分标准中（可用：%s）", pub_s,
			   known.data);
		kp_buf_release(&known);
		return -1;
	}
	{
		const kp_info_pub *p = &l->r->pubs[pub];
		const char *ad = cell(f, C_ADOPTED), *lv = cell(f, C_LEVEL);
		int pishi = level_parse(cell(f, C_PISHI)),
		    up = flag_parse(cell(f, C_UPSTREAM)), lvv = level_parse(lv);
		kp_info_adopt *a;
		if (!*ad)
			return kp_fail_at(e, KP_EINPUT, file, line, "采用日期为空");
		if (parse_date(ad, serial_ok, &adopted) < 0)
			return kp_day_fail(e, file, line, "采用日期", ad);
		if (l->s[si].date != INFO_NODATE && adopted < l->s[si].date)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "采用日期“%s”早于报送日期", ad);
		if (l->s[si].date == INFO_NODATE)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "未报送的信息不能被采用（报送日期为空）");
		if (*lv && !(lvv == p->level ||
			     (lvv == LV_NATION && p->bonus_upstream >= 0)))
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "采用级别“%s”与刊物“%s”的级别（%s）不符",
					  lv, p->name, kp_info_level_name(p->level));
		if (pishi < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "批示级别“%s”应为市级、省级、国家级或空",
					  cell(f, C_PISHI));
		if (!pishi && *cell(f, C_PISHI_BY))
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "写了批示领导“%s”，但没有写批示级别",
					  cell(f, C_PISHI_BY));
		if (up < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "国办采用“%s”应为“是”或“否”",
					  cell(f, C_UPSTREAM));
		if (up && p->bonus_upstream < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "刊物“%s”没有“再被上级采用”的加分，国办采用应为空",
					  p->name);
		if (p->per_issue && !*cell(f, C_ISSUE))
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "《%s》按期计分，须写期号", p->name);
		long ai = pend_afind(pd, l, (uint32_t)si, (uint32_t)pub);
		if (ai >= 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  (size_t)ai >= pd->na0
						  ? "重复的行：与本文件第 %zu 行相同（同一信息、同一刊物）"
						  : "重复的行：台账中已有这条采用，见采用编号 %zu",
					  (size_t)ai >= pd->na0 ? (size_t)l->a[ai].line
								: (size_t)ai + 1);
		a = new_adopt(l);
		a->item = (uint32_t)si;
		a->pub = (uint32_t)pub;
		a->line = (uint32_t)line;
		a->date = adopted;
		a->pishi = (uint8_t)pishi;
		a->upstream = (uint8_t)up;
		a->issue = own(l, cell(f, C_ISSUE));
		a->pishi_by = own(l, cell(f, C_PISHI_BY));
		a->note = own(l, *cell(f, C_ITEM) && !*title ? cell(f, C_NOTE) : "");
		pend_added(pd, l, true);
	}
	return 0;
}

int kp_info_import(kp_info_ledger *l, const kp_sheet *sh, size_t *added,
		   kp_err *e)
{
	const char *file = kp_sheet_name(sh);
	size_t nrows = kp_sheet_nrows(sh), hdr = (size_t)-1, count = 0;
	int map[KP_CSV_MAX_FIELDS];
	size_t ncols = 0, nown0 = l->nowned;
	pending pd;
	bool serial_ok = kp_sheet_format(sh) == KP_SHEET_XLSX;
	int rc = -1;
	*added = 0;
	/* the header: the first row with a unit (or item) and a title or
	 * publication column, within the first 20 rows */
	for (size_t r = 0; r < nrows && r < 20 && hdr == (size_t)-1; r++) {
		bool has[NCOL] = { false };
		size_t nc = kp_sheet_ncols(sh, r);
		for (size_t c = 0; c < nc && c < KP_CSV_MAX_FIELDS; c++) {
			int k = col_of(kp_sheet_cell(sh, r, c));
			if (k >= 0)
				has[k] = true;
		}
		if ((has[C_UNIT] && has[C_TITLE]) || (has[C_ITEM] && has[C_PUB]))
			hdr = r;
	}
	if (hdr == (size_t)-1)
		return kp_fail(e, KP_EINPUT,
			       "%s: 找不到表头（前 20 行中没有“单位”和“标题”两列，或“编号”和“采用刊物”两列）",
			       file);
	pend_init(&pd, l);
	ncols = kp_sheet_ncols(sh, hdr);
	if (ncols > KP_CSV_MAX_FIELDS)
		ncols = KP_CSV_MAX_FIELDS;
	for (size_t c = 0; c < ncols; c++) {
		const char *h = kp_sheet_cell(sh, hdr, c);
		map[c] = col_of(h);
		if (map[c] < 0 && *h) {
			kp_fail_at(e, KP_EINPUT, file, kp_sheet_line(sh, hdr),
				   "不认识的列“%s”（可用的列见 docs/info-ledger.md；不需要的列请删去）",
				   h);
			goto out;
		}
		for (size_t d = 0; d < c; d++)
			if (map[c] >= 0 && map[c] != C_IGNORE && map[d] == map[c]) {
				kp_fail_at(e, KP_EINPUT, file,
					   kp_sheet_line(sh, hdr),
					   "列“%s”与第 %zu 列指同一项", h, d + 1);
				goto out;
			}
	}
	for (size_t r = hdr + 1; r < nrows; r++) {
		const char *f[NCOL] = { NULL };
		bool blank = true;
		char *trimmed[NCOL] = { NULL };
		int k;
		for (size_t c = 0; c < ncols; c++) {
			const char *v = kp_sheet_cell(sh, r, c);
			if (map[c] < 0 || map[c] == C_IGNORE)
				continue;
			trimmed[map[c]] = kp_trim(kp_xstrdup(v));
			f[map[c]] = trimmed[map[c]];
			if (*f[map[c]])
				blank = false;
		}
		k = blank ? 0
			  : add_row(l, &pd, f, file, kp_sheet_line(sh, r),
				    serial_ok, e);
		for (int c = 0; c < NCOL; c++)
			free(trimmed[c]);
		if (k < 0)
			goto out;
		if (!blank)
			count++;
	}
	*added = count;
	rc = 0;
out:
	if (rc < 0)
		pend_rollback(l, &pd, nown0);
	pend_release(&pd);
	return rc;
}

int kp_info_add(kp_info_ledger *l, const char *const *kv, kp_err *e)
{
	const char *f[NCOL] = { NULL };
	pending pd;
	size_t nown0 = l->nowned;
	int rc;
	for (size_t i = 0; kv[i] && kv[i + 1]; i += 2) {
		size_t c;
		for (c = 0; c < sizeof(colnames) / sizeof(*colnames); c++)
			if (*colnames[c].key && !strcmp(colnames[c].key, kv[i]))
				break;
		if (c == sizeof(colnames) / sizeof(*colnames))
			return kp_fail(e, KP_EINTERNAL, "未知的键 %s", kv[i]);
		f[colnames[c].col] = kv[i + 1];
	}
	pend_init(&pd, l);
	rc = add_row(l, &pd, f, "命令行", 0, false, e);
	if (rc < 0)
		pend_rollback(l, &pd, nown0);
	pend_release(&pd);
	return rc;
}
