/* round/open.c — a round opened for work (struct kp_rnd): its store,
 * its tables parsed, its units indexed by every spelling; the error
 * mapping front ends share. */
#include "round/round_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int kp_rnd_exit_status(int code)
{
	(void)code;
	return 2;   /* usage or input error: every failure names its cause */
}

int kp_rnd_http_status(int code)
{
	switch (code) {
	case KP_EINPUT:
		return 400;
	case KP_ETOOBIG:
		return 413;
	case KP_RND_ENOTFOUND:
		return 404;
	default:
		return 500;
	}
}

void kp_rnd_round_copy(kp_round *d, const kp_round *s)
{
	*d = *s;
	d->name = kp_xstrdup(s->name);
	d->period = kp_xstrdup(s->period);
	d->table_id = kp_xstrdup(s->table_id);
	d->table_source = kp_xstrdup(s->table_source);
	d->table_hash = kp_xstrdup(s->table_hash);
	d->scheme = kp_xstrdup(s->scheme);
	d->scheme_source = kp_xstrdup(s->scheme_source);
	d->combine = kp_xstrdup(s->combine);
	d->registry = kp_xstrdup(s->registry);
	d->created_at = kp_xstrdup(s->created_at);
	d->created_by = kp_xstrdup(s->created_by);
	d->tables = kp_xcalloc(s->ntables ? s->ntables : 1, sizeof(*d->tables));
	for (size_t k = 0; k < s->ntables; k++) {
		const kp_round_table *a = &s->tables[k];
		kp_round_table *b = &d->tables[k];
		*b = *a;
		b->table_id = kp_xstrdup(a->table_id);
		b->title = kp_xstrdup(a->title);
		b->source = kp_xstrdup(a->source);
		b->hash = kp_xstrdup(a->hash);
		b->label = kp_xstrdup(a->label);
		b->applies = kp_xstrdup(a->applies);
	}
}

/* ---- units ------------------------------------------------------------ */

static void add_spelling(kp_rnd *v, const char *s, size_t unit)
{
	if (v->nsp == v->capsp) {
		v->capsp = v->capsp ? v->capsp * 2 : 128;
		v->sp = kp_xrealloc(v->sp, v->capsp * sizeof(*v->sp));
	}
	v->sp[v->nsp].s = s;
	v->sp[v->nsp].unit = unit;
	v->nsp++;
}

static int unit_row(void *ctx, const kp_store_unit *su, kp_err *e)
{
	kp_rnd *v = ctx;
	const char *p = su->tables;
	uint64_t mask = 0;
	if (v->nunits == v->capunits) {
		v->capunits = v->capunits ? v->capunits * 2 : 64;
		v->names = kp_xrealloc(v->names, v->capunits * sizeof(char *));
		v->types = kp_xrealloc(v->types, v->capunits * sizeof(char *));
		v->tags = kp_xrealloc(v->tags, v->capunits * sizeof(char *));
		v->aliases = kp_xrealloc(v->aliases, v->capunits * sizeof(char *));
		v->aliases_split = kp_xrealloc(v->aliases_split,
					       v->capunits * sizeof(char *));
		v->utabs = kp_xrealloc(v->utabs, v->capunits * sizeof(uint64_t));
	}
	/* "0,2": the positions of its tables */
	while (*p) {
		const char *end = p + strcspn(p, ",");
		long k = kp_digits(p, end, 1000);
		if (k < 0 || k >= KP_SCHEME_MAX_TABLES || (size_t)k >= v->ntables)
			return kp_fail(e, KP_EIO, "%s：单位“%s”的表位置“%s”无效",
				       kp_store_where(v->db), su->name, su->tables);
		mask |= (uint64_t)1 << k;
		p = *end ? end + 1 : end;
	}
	v->names[v->nunits] = kp_xstrdup(su->name);
	v->types[v->nunits] = kp_xstrdup(su->type);
	v->tags[v->nunits] = kp_xstrdup(su->tags);
	v->aliases[v->nunits] = kp_xstrdup(su->aliases);
	v->aliases_split[v->nunits] = kp_xstrdup(su->aliases);
	v->utabs[v->nunits] = mask;
	v->nunits++;
	return 0;
}

static int sp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kp_rnd_spelling *)a)->s,
		      ((const struct kp_rnd_spelling *)b)->s);
}

/* Index every name and alias ("、" or "," separated) of the units. */
static void index_units(kp_rnd *v)
{
	for (size_t i = 0; i < v->nunits; i++)
		add_spelling(v, v->names[i], i);
	for (size_t i = 0; i < v->nunits; i++) {
		/* split in place: aliases_split[i] is only used through sp */
		char *cur = v->aliases_split[i], *item;
		while ((item = kp_list_next(&cur)))
			add_spelling(v, item, i);
	}
	if (v->nsp)
		qsort(v->sp, v->nsp, sizeof(*v->sp), sp_cmp);
}

long kp_rnd_find_unit(const kp_rnd *v, const char *s)
{
	struct kp_rnd_spelling key = { s, 0 }, *hit;
	if (!v->nsp)
		return -1;
	hit = bsearch(&key, v->sp, v->nsp, sizeof(*v->sp), sp_cmp);
	return hit ? (long)hit->unit : -1;
}

/* A registry of one unit, for the engine: it resolves that unit's names
 * and knows its type and tags, which is all scoring one unit asks of a
 * registry (other units' spellings resolve to nothing either way), and
 * it costs nothing per lookup however many units the round has.  Built
 * from a table of one record made in place (the cells borrowed). */
int kp_rnd_one_unit_registry(const kp_rnd *v, size_t i, kp_units **out,
			     kp_err *e)
{
	static char *const cols[] = { "name", "type", "aliases", "tags" };
	char *cells[4];
	kp_record rec = { cells, 0 };
	kp_table t;
	memset(&t, 0, sizeof(t));
	t.file = "轮次单位";
	t.kind = KP_KIND_UNITS;
	t.cols = (char **)cols;
	t.ncols = 4;
	t.recs = &rec;
	t.nrecs = 1;
	cells[0] = v->names[i];
	cells[1] = *v->types[i] ? v->types[i] : "-";
	cells[2] = v->aliases[i];
	cells[3] = v->tags[i];
	return kp_units_from_table(&t, out, e);
}

/* ---- opening ---------------------------------------------------------- */

static int read_tables(kp_rnd *v, kp_err *e)
{
	kp_buf text = KP_BUF_INIT;
	char where[300];
	v->tables = kp_xcalloc(v->round.ntables ? v->round.ntables : 1,
			       sizeof(*v->tables));
	for (size_t k = 0; k < v->round.ntables; k++) {
		kp_buf_reset(&text);
		if (kp_store_round_table(v->db, v->round.id, (int)k, &text, e) < 0)
			goto fail;
		snprintf(where, sizeof(where), "轮次“%s”的表 %s", v->round.name,
			 v->round.tables[k].table_id);
		if (kp_table_parse(where, text.data ? text.data : "", text.len,
				   &v->tables[k], e) < 0)
			goto fail;
		v->ntables++;
	}
	kp_buf_release(&text);
	if (!v->ntables)
		return kp_fail(e, KP_EIO, "%s：轮次“%s”没有表",
			       kp_store_where(v->db), v->round.name);
	return 0;
fail:
	kp_buf_release(&text);
	return -1;
}

int kp_rnd_open(const char *conn, const char *name, kp_rnd **out, kp_err *e)
{
	kp_rnd *v = kp_xcalloc(1, sizeof(*v));
	*out = NULL;
	kp_score_ctx_init(&v->ctx);
	v->conn = kp_xstrdup(conn);
	if (kp_store_open(conn, 0, &v->db, e) < 0 ||
	    kp_store_round_get(v->db, name, &v->round, e) < 0 ||
	    read_tables(v, e) < 0)
		goto fail;
	if (kp_combine_rule_parse(v->round.combine, &v->combine) < 0)
		v->combine = KP_COMBINE_NONE;
	/* a scheme round: a unit the scheme put on a table (#meta,assess)
	 * is assessed on it whatever the table's applies column says */
	v->ctx.admit = v->combine != KP_COMBINE_NONE;
	if (kp_store_units_each(v->db, v->round.id, unit_row, v, e) < 0)
		goto fail;
	index_units(v);
	/* the quota and checklist tables the tables' rules name.  Units
	 * come from the round, not from the tables' #meta registry: a
	 * stand-in keeps kp_score_ctx_open from opening that (scoring and
	 * checking set the registry they need per call) */
	if (v->nunits && kp_rnd_one_unit_registry(v, 0, &v->ctx.own_units, e) < 0)
		goto fail;
	v->ctx.units = v->ctx.own_units;
	for (size_t k = 0; k < v->ntables; k++)
		if (kp_score_ctx_open(&v->ctx, v->tables[k], e) < 0)
			goto fail;
	*out = v;
	return 0;
fail:
	kp_rnd_close(v);
	return -1;
}

void kp_rnd_close(kp_rnd *v)
{
	if (!v)
		return;
	kp_score_ctx_release(&v->ctx);
	for (size_t k = 0; k < v->ntables; k++)
		kp_table_free(v->tables[k]);
	free(v->tables);
	for (size_t i = 0; i < v->nunits; i++) {
		free(v->names[i]);
		free(v->types[i]);
		free(v->tags[i]);
		free(v->aliases[i]);
		free(v->aliases_split[i]);
	}
	free(v->names);
	free(v->types);
	free(v->tags);
	free(v->aliases);
	free(v->aliases_split);
	free(v->utabs);
	free(v->sp);
	kp_round_release(&v->round);
	kp_store_close(v->db);
	kp_buf_release(&v->notes);
	free(v->conn);
	free(v);
}

const kp_round *kp_rnd_round(const kp_rnd *r) { return &r->round; }
kp_store *kp_rnd_store(kp_rnd *r) { return r->db; }
size_t kp_rnd_nunits(const kp_rnd *r) { return r->nunits; }
const char *kp_rnd_unit_name(const kp_rnd *r, size_t i) { return r->names[i]; }
const char *kp_rnd_notes(const kp_rnd *r) { return r->notes.data ? r->notes.data : ""; }
void kp_rnd_notes_clear(kp_rnd *r) { kp_buf_reset(&r->notes); }

/* The round's record read again after a change (facts added, scored). */
int kp_rnd_refresh(kp_rnd *v, kp_err *e)
{
	kp_round now;
	if (kp_store_round_get(v->db, v->round.name, &now, e) < 0)
		return -1;
	kp_round_release(&v->round);
	v->round = now;
	return 0;
}

/* ---- the tables' sources ---------------------------------------------- */

int kp_rnd_check_tables(kp_rnd *v, const char *who, kp_err *e)
{
	for (size_t k = 0; k < v->ntables; k++) {
		kp_round_table *rt = &v->round.tables[k];
		kp_table *now;
		kp_buf text = KP_BUF_INIT;
		kp_err sub;
		char hash[17];
		/* an imported table ("stored:N") never changes: rows are
		 * append-only; never read a file of that name */
		if (kp_rnd_stored_ref(rt->source))
			continue;
		if (kp_table_open(rt->source, &now, &sub) < 0)
			continue;   /* gone or unreadable: the stored text rules */
		kp_table_write(now, &text);
		kp_table_free(now);
		kp_store_hash(text.data, text.len, hash);
		if (!strcmp(hash, rt->hash)) {
			kp_buf_release(&text);
			continue;
		}
		if (v->round.nfacts > 0) {
			kp_buf_release(&text);
			return kp_fail(e, KP_EINPUT, "%s：表 %s 在本轮次登记事实之后被修改过（创建轮次时指纹 %s，现在 %s）；"
				       "已登记的事实按原表计分，不能混用。请恢复原表，或用 kaoping eval new 以修改后的表建新轮次",
				       rt->source, rt->table_id, rt->hash, hash);
		}
		if (kp_store_round_retable(v->db, v->round.id, (int)k, text.data,
					   hash, who, e) < 0) {
			kp_buf_release(&text);
			return -1;
		}
		kp_buf_addf(&v->notes, "%s 已修改，轮次尚无事实，改用修改后的表（指纹 %s）\n",
			    rt->source, hash);
		free(rt->hash);
		rt->hash = kp_xstrdup(hash);
		kp_table_free(v->tables[k]);
		v->tables[k] = NULL;
		if (kp_table_parse(rt->table_id, text.data, text.len, &v->tables[k],
				   e) < 0) {
			kp_buf_release(&text);
			return -1;
		}
		kp_buf_release(&text);
	}
	return 0;
}
