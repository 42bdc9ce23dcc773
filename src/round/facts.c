/* round/facts.c — adding a file of facts to a round: each fact checked
 * against the round's units and tables and written as it is read, in
 * one transaction; the first bad fact (or a kill) stores none. */
#include "round/round_int.h"
#include "sheet/sheet.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define FACTS_FILE_MAX ((size_t)1 << 30)   /* a national round's facts */
#define BAD_ROWS_SHOWN 20                   /* bad rows told, then a count */

/* Check one fact with the engine against table k, naming file and line. */
static int check_fact(const kp_rnd *v, size_t k, const char *file,
		      const kp_fact *f, kp_err *e)
{
	kp_facts one = { (kp_fact *)f, 1, 1 };
	kp_score_ctx c = v->ctx;
	kp_err sub;
	c.units = NULL;   /* the unit was resolved against the round already */
	if (kp_facts_check(v->tables[k], &c, &one, &sub) == 0)
		return 0;
	return kp_fail_at(e, KP_EINPUT, file, f->line, "%s", kp_err_reason(&sub));
}

/* Which of the round's tables fact f (of unit u) is about; -1 with e
 * naming file and line when it does not say and cannot be told, or
 * names a table its unit is not assessed on. */
static int fact_table(const kp_rnd *v, size_t u, const char *file,
		      const kp_fact *f, kp_err *e)
{
	bool allowed[KP_SCHEME_MAX_TABLES];
	kp_score_ctx c = v->ctx;
	kp_err sub;
	int k;
	for (size_t i = 0; i < v->ntables; i++)
		allowed[i] = kp_rnd_on_table(v, u, i);
	c.units = NULL;
	k = kp_fact_table((const kp_table *const *)v->tables, v->ntables,
			  allowed, &c, f, &sub);
	if (k < 0)
		return kp_fail_at(e, KP_EINPUT, file, f->line, "%s",
				  kp_err_reason(&sub));
	return k;
}

/* One fact of the file being added: checked, spelt the store's way and
 * written to the batch, then forgotten (a national file has 1.5 million). */
struct adding {
	const kp_rnd *v;
	kp_scorer *sc[KP_SCHEME_MAX_TABLES];
	const char *file;
	kp_store_batch *batch;
	/* per table, the last unit's result on no facts: which nodes apply
	 * to it and their maxima (a file's facts come unit by unit) */
	kp_result *blank[KP_SCHEME_MAX_TABLES];
	size_t blank_unit[KP_SCHEME_MAX_TABLES];
	/* the rows refused so far: all are read, none is stored */
	kp_rnd *notes;           /* where the first BAD_ROWS_SHOWN are told */
	size_t nbad;
	kp_err first;            /* one bad row alone is the error itself */
	/* the round's registry, opened the first time a unit is unknown */
	kp_units *registry;
	bool registry_tried;
	/* with KP_RND_ASSESSED: the units (bit k: table k) and, per table,
	 * the node codes the file covers, and the source its facts count
	 * as */
	bool assessed;
	uint64_t *units;
	char **codes[KP_SCHEME_MAX_TABLES];
	size_t ncodes[KP_SCHEME_MAX_TABLES];
	kp_source source;
	bool has_source;
	int64_t insp;             /* the last inspection number checked */
	long insp_unit;           /* …and its unit */
};

/* A fact that names its inspection names one of its unit in this round,
 * and is a 检测 fact. */
static int check_inspection(struct adding *ad, long u, const kp_fact *f,
			    kp_err *e)
{
	const kp_rnd *v = ad->v;
	kp_inspection in;
	kp_err sub;
	bool ok;
	if (!f->inspection || (f->inspection == ad->insp && u == ad->insp_unit))
		return 0;
	if (f->source != KP_SRC_INSPECT)
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line,
				  "只有来源为“检测”的事实可以写检测编号（%lld）",
				  (long long)f->inspection);
	memset(&in, 0, sizeof(in));
	ok = kp_store_inspection_get(v->db, f->inspection, &in, &sub) == 0 &&
	     in.round_id == v->round.id && !strcmp(in.unit, v->names[u]);
	kp_inspection_release(&in);
	if (!ok)
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line,
				  "检测编号 %lld 不是轮次“%s”中单位“%s”的检测（见 kaoping inspect history）",
				  (long long)f->inspection, v->round.name, v->names[u]);
	ad->insp = f->inspection;
	ad->insp_unit = u;
	return 0;
}


/* Remember that the file covers unit u on node code of table k. */
static void cover(struct adding *ad, size_t u, size_t k, const char *code,
		  kp_source src)
{
	ad->units[u] |= (uint64_t)1 << k;
	if (src != KP_SRC_SELF && !ad->has_source) {
		ad->source = src;
		ad->has_source = true;
	}
	for (size_t i = 0; i < ad->ncodes[k]; i++)
		if (!strcmp(ad->codes[k][i], code))
			return;
	ad->codes[k] = kp_xrealloc(ad->codes[k], (ad->ncodes[k] + 1) * sizeof(char *));
	ad->codes[k][ad->ncodes[k]++] = kp_xstrdup(code);
}

/* The assessed facts of --assessed: every unit the file names, on every
 * node of its tables the file names. */
static int add_covered(struct adding *ad, const char *author, kp_err *e)
{
	const kp_rnd *v = ad->v;
	for (size_t u = 0; u < v->nunits; u++)
		for (size_t k = 0; ad->units[u] && k < v->ntables; k++) {
			if (!((ad->units[u] >> k) & 1))
				continue;
			for (size_t c = 0; c < ad->ncodes[k]; c++) {
				kp_fact f;
				memset(&f, 0, sizeof(f));
				f.unit = v->names[u];
				f.table = (char *)kp_table_id(v->tables[k]);
				f.indicator = ad->codes[k][c];
				f.kind = KP_FACT_ASSESSED;
				f.name = f.time = f.url = (char *)"";
				f.author = (char *)(author ? author : "");
				f.note = (char *)"随事实文件登记：已评（--assessed）";
				f.source = ad->has_source ? ad->source : KP_SRC_ASSESSOR;
				if (kp_store_batch_add(ad->batch, &f, e) < 0)
					return -1;
			}
		}
	return 0;
}

/* Row why is refused: told (the first BAD_ROWS_SHOWN), counted, and the
 * reading goes on so that every bad row is found at once. */
static int bad_row(void *ctx, const kp_err *why)
{
	struct adding *ad = ctx;
	if (why->code != KP_EINPUT)
		return -1;
	if (!ad->nbad)
		ad->first = *why;
	else if (ad->nbad == 1)
		kp_buf_addf(&ad->notes->notes, "%s\n", ad->first.msg);
	if (ad->nbad && ad->nbad < BAD_ROWS_SHOWN)
		kp_buf_addf(&ad->notes->notes, "%s\n", why->msg);
	ad->nbad++;
	return 0;
}

/* Unit want is not in the round: say whether the round's registry has it
 * (outside the round: no table of the round assesses it) or no one does,
 * with the nearest names. */
static int unknown_unit(struct adding *ad, const kp_fact *f, kp_err *e)
{
	const kp_rnd *v = ad->v;
	const char *canon;
	kp_buf near = KP_BUF_INIT;
	kp_err ignore;
	if (!ad->registry_tried) {
		ad->registry_tried = true;
		if (kp_units_open(v->round.registry, &ad->registry, &ignore) < 0)
			ad->registry = NULL;
	}
	canon = ad->registry ? kp_units_resolve(ad->registry, f->unit) : NULL;
	if (canon) {
		kp_fail_at(e, KP_EINPUT, ad->file, f->line,
			   "单位“%s”在单位名录（%s）中，但不在轮次“%s”中：本轮次的表不考核它",
			   f->unit, v->round.registry, v->round.name);
		return -1;
	}
	kp_rnd_suggest_unit(v, f->unit, &near);
	kp_fail_at(e, KP_EINPUT, ad->file, f->line,
		   "单位“%s”不在轮次“%s”的单位名录（%s）中%s%s", f->unit,
		   v->round.name, v->round.registry, near.len ? "。" : "",
		   near.len ? near.data : "");
	kp_buf_release(&near);
	return -1;
}

/* An indicator none of unit u's tables knows by code or path: its
 * last-level name alone, when unique there, becomes its code (and the
 * table); else refused with the nearest names. */
static int indicator_by_name(struct adding *ad, size_t u, kp_fact *f,
			     kp_err *e)
{
	const kp_rnd *v = ad->v;
	const kp_node *nd;
	size_t k;
	kp_buf near = KP_BUF_INIT;
	kp_err sub;
	int rc;
	for (k = 0; k < v->ntables; k++)
		if (kp_rnd_on_table(v, u, k) &&
		    kp_scorer_find(ad->sc[k], f->indicator))
			return 0;
	if (f->table && *f->table)
		return 0;   /* the table was named: its message is exact */
	rc = kp_rnd_indicator_by_name(v, u, f->indicator, &nd, &k, &sub);
	if (rc < 0)
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line, "%s", sub.msg);
	if (rc == 1) {
		free(f->indicator);
		f->indicator = kp_xstrdup(nd->code);
		free(f->table);
		f->table = kp_xstrdup(kp_table_id(v->tables[k]));
		return 0;
	}
	kp_rnd_suggest_indicator(v, u, f->indicator, &near);
	if (!near.len)
		return 0;   /* the usual message says the rest */
	kp_fail_at(e, KP_EINPUT, ad->file, f->line,
		   "指标“%s”不在单位“%s”的表中。%s", f->indicator, v->names[u],
		   near.data);
	kp_buf_release(&near);
	return -1;
}

/* The result of unit u on table k with no facts, cached in ad. */
static const kp_result *blank_result(struct adding *ad, size_t u, size_t k,
				     kp_err *e)
{
	const kp_rnd *v = ad->v;
	kp_score_ctx c = v->ctx;
	kp_units *reg = NULL;
	kp_facts none = KP_FACTS_INIT;
	int rc;
	if (ad->blank[k] && ad->blank_unit[k] == u)
		return ad->blank[k];
	kp_result_free(ad->blank[k]);
	ad->blank[k] = NULL;
	if (kp_rnd_one_unit_registry(v, u, &reg, e) < 0)
		return NULL;
	c.units = reg;
	rc = kp_scorer_unit(ad->sc[k], &c, v->names[u], &none, KP_SCORE_TOTALS,
			    &ad->blank[k], e);
	kp_units_free(reg);
	if (rc < 0)
		return NULL;
	ad->blank_unit[k] = u;
	return ad->blank[k];
}

/* A self or assessor fact on node nd of table k that does not apply to
 * unit u is refused, naming both; a score above the node's maximum for
 * this unit (items sharing points share them among the unit's own
 * items) is refused too. */
static int check_applies(struct adding *ad, size_t u, size_t k,
			 const kp_fact *f, const kp_node *nd, kp_err *e)
{
	const kp_rnd *v = ad->v;
	const kp_result *r;
	const kp_rnode *rn = NULL;
	char a[40], b[40];
	if (!nd)
		return 0;
	if (!(r = blank_result(ad, u, k, e)))
		return -1;
	for (size_t i = 0; i < r->nnodes; i++)
		if (r->nodes[i].node == nd)
			rn = &r->nodes[i];
	if (!rn)
		return 0;
	if (!rn->applies && (f->source == KP_SRC_SELF ||
			     f->source == KP_SRC_ASSESSOR)) {
		const kp_node *p = nd;
		while (p && !*p->text[KP_T_APPLIES] && p->parent)
			p = p->parent;
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line,
				  "指标“%s %s”不适用于单位“%s”（%s%s%s），不能记%s事实",
				  nd->code, nd->path, v->names[u],
				  *v->types[u] ? v->types[u] : "类型未知",
				  *p->text[KP_T_APPLIES] ? "；适用范围：" : "",
				  p->text[KP_T_APPLIES],
				  kp_source_label(f->source));
	}
	if (f->kind == KP_FACT_SCORE && f->has_value && rn->applies &&
	    !kp_rule_has(nd->rule, KP_RF_SCORE_01) &&
	    kp_num_cmp(f->value, rn->max) > 0)
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line,
				  "评分 %s 超过指标“%s %s”对单位“%s”的满分 %s",
				  kp_num_str(f->value, a), nd->code, nd->path,
				  v->names[u], kp_num_str(rn->max, b));
	return 0;
}

/* Fact f checked against the round: -1 with e when it is refused; 1
 * when it was about a whole unit and is added already (to each of the
 * unit's tables); 0 with *table when the caller adds it. */
static int check_row(struct adding *ad, kp_fact *f, int *table, kp_err *e)
{
	const kp_rnd *v = ad->v;
	long u = kp_rnd_find_unit(v, f->unit);
	const kp_node *nd;
	int k;
	if (u < 0)
		return unknown_unit(ad, f, e);
	if (strcmp(f->unit, v->names[u])) {
		free(f->unit);
		f->unit = kp_xstrdup(v->names[u]);
	}
	if (kp_fact_whole_unit(f) && !(f->table && *f->table) && v->ntables > 1) {
		/* the whole unit, no table said: each of its tables */
		for (size_t t = 0; t < v->ntables; t++) {
			if (!kp_rnd_on_table(v, (size_t)u, t))
				continue;
			free(f->table);
			f->table = kp_xstrdup(kp_table_id(v->tables[t]));
			if (kp_store_batch_add(ad->batch, f, e) < 0)
				return -1;
		}
		return 1;   /* added: nothing more to do */
	}
	if (indicator_by_name(ad, (size_t)u, f, e) < 0 ||
	    (k = fact_table(v, (size_t)u, ad->file, f, e)) < 0 ||
	    check_fact(v, (size_t)k, ad->file, f, e) < 0 ||
	    check_inspection(ad, u, f, e) < 0)
		return -1;
	nd = kp_scorer_find(ad->sc[k], f->indicator);
	if (check_applies(ad, (size_t)u, (size_t)k, f, nd, e) < 0)
		return -1;
	*table = k;
	return 0;
}

static int add_fact(void *ctx, kp_fact *f, kp_err *e)
{
	struct adding *ad = ctx;
	const kp_rnd *v = ad->v;
	const kp_node *nd;
	long u;
	int k = 0, rc = check_row(ad, f, &k, e);
	if (rc < 0)
		return bad_row(ad, e);
	if (rc > 0 || ad->nbad)
		return 0;   /* added whole, or refused already: only looking
			     * for more bad rows */
	u = kp_rnd_find_unit(v, f->unit);
	/* one spelling per indicator in the store: its code; and the table
	 * it is about, said or found */
	nd = kp_scorer_find(ad->sc[k], f->indicator);
	if (nd && strcmp(f->indicator, nd->code)) {
		free(f->indicator);
		f->indicator = kp_xstrdup(nd->code);
	}
	free(f->table);
	f->table = kp_xstrdup(kp_table_id(v->tables[k]));
	if (ad->assessed && !kp_fact_whole_unit(f) && f->source != KP_SRC_SELF)
		cover(ad, (size_t)u, (size_t)k, f->indicator, f->source);
	return kp_store_batch_add(ad->batch, f, e);
}

/* Whether data holds nothing but a byte-order mark and white space. */
static bool blank_text(const char *data, size_t n)
{
	size_t i = n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	for (; i < n; i++)
		if (!strchr(" \t\r\n", data[i]) || !data[i])
			return false;
	return true;
}

/* The facts of data, the round's tables already checked. */
static int add_text(kp_rnd *v, const char *file, const char *data, size_t n,
		    const char *author, int flags, size_t *added, kp_err *e)
{
	struct adding ad;
	int r = -1;
	memset(&ad, 0, sizeof(ad));
	/* read, checked and written fact by fact in one transaction: all of
	 * the file goes in, or (first bad fact, or killed) none of it */
	if (blank_text(data, n)) {
		kp_buf_addf(&v->notes, "%s：文件是空的，未登记任何事实\n", file);
		*added = 0;
		return 0;
	}
	ad.assessed = flags & KP_RND_ASSESSED;
	ad.units = kp_xcalloc(v->nunits + 1, sizeof(uint64_t));
	ad.v = v;
	ad.notes = v;
	kp_rnd_scorers_new(v, ad.sc);
	ad.file = file;
	if (kp_store_batch_begin(v->db, v->round.id, file, author, &ad.batch, e) < 0 ||
	    kp_facts_parse_each_bad(file, data ? data : "", n, add_fact, bad_row,
				    &ad, e) < 0)
		goto out;
	if (ad.nbad == 1) {
		*e = ad.first;
		goto out;
	}
	if (ad.nbad) {
		if (ad.nbad > BAD_ROWS_SHOWN)
			kp_buf_addf(&v->notes, "……另有 %zu 行有误\n",
				    ad.nbad - BAD_ROWS_SHOWN);
		kp_fail(e, KP_EINPUT, "%s：%zu 行有误（见上），未登记任何事实",
			file, ad.nbad);
		goto out;
	}
	if (!kp_store_batch_count(ad.batch)) {
		/* nothing to add is not a mistake: said, and nothing done */
		kp_buf_addf(&v->notes, "%s：文件中没有事实，未登记任何事实\n", file);
		*added = 0;
		r = 0;
		goto out;
	}
	if (ad.assessed && add_covered(&ad, author, e) < 0)
		goto out;
	r = kp_store_batch_commit(ad.batch, e);
	ad.batch = NULL;
	if (r >= 0) {
		*added = (size_t)r;
		r = kp_rnd_refresh(v, e);
	}
out:
	kp_store_batch_abort(ad.batch);
	for (size_t k = 0; k < KP_SCHEME_MAX_TABLES; k++)
		kp_result_free(ad.blank[k]);
	kp_units_free(ad.registry);
	kp_rnd_scorers_free(v, ad.sc);
	free(ad.units);
	for (size_t k = 0; k < KP_SCHEME_MAX_TABLES; k++) {
		for (size_t c = 0; c < ad.ncodes[k]; c++)
			free(ad.codes[k][c]);
		free(ad.codes[k]);
	}
	return r;
}

/* A facts file an office keeps as XLSX, or as CSV in GBK (what `table
 * import` reads, src/sheet), as UTF-8 CSV in *out, each row on the line
 * its place in the file has (the spreadsheet row, the CSV line), so that
 * messages name the row a person sees.  Returns 1 when data needed this,
 * 0 when it is UTF-8 text already (out untouched), -1 on error. */
static int as_utf8_csv(const char *file, const kp_buf *data, kp_buf *out,
		       kp_err *e)
{
	kp_sheet_opts o = { FACTS_FILE_MAX / 8, 0, 0 };
	kp_sheet *sh;
	size_t line = 1;
	bool zip = data->len >= 4 && !memcmp(data->data, "PK\x03\x04", 4);
	if (!zip && kp_utf8_valid_prefix(data->data ? data->data : "",
					 data->len) == data->len)
		return 0;
	if (kp_sheet_parse(file, data->data, data->len, &o, &sh, e) < 0)
		return -1;
	for (size_t r = 0; r < kp_sheet_nrows(sh); r++) {
		size_t want = kp_sheet_line(sh, r);
		for (; line < want; line++)
			kp_buf_adds(out, "\n");
		for (size_t c = 0; c < kp_sheet_ncols(sh, r); c++) {
			const char *cell = kp_sheet_cell(sh, r, c);
			if (c)
				kp_buf_adds(out, ",");
			kp_csv_put(out, cell);
			for (const char *p = cell; (p = strchr(p, '\n')); p++)
				line++;
		}
		kp_buf_adds(out, "\n");
		line++;
	}
	kp_sheet_free(sh);
	return 1;
}

int kp_rnd_facts_add_flags(kp_rnd *v, const char *file, const char *author,
			   int flags, size_t *added, kp_err *e)
{
	kp_buf data = KP_BUF_INIT, csv = KP_BUF_INIT;
	int r, conv;
	*added = 0;
	if (kp_rnd_check_tables(v, author, e) < 0)
		return -1;
	if (kp_read_file(file, FACTS_FILE_MAX, &data, e) < 0)
		return -1;
	conv = as_utf8_csv(file, &data, &csv, e);
	if (conv < 0)
		r = -1;
	else if (conv)
		r = add_text(v, file, csv.data, csv.len, author, flags, added, e);
	else
		r = add_text(v, file, data.data, data.len, author, flags, added, e);
	kp_buf_release(&csv);
	kp_buf_release(&data);
	return r;
}

int kp_rnd_facts_add(kp_rnd *v, const char *file, const char *author,
		     size_t *added, kp_err *e)
{
	return kp_rnd_facts_add_flags(v, file, author, 0, added, e);
}

int kp_rnd_facts_add_text(kp_rnd *v, const char *file, const char *data,
			  size_t n, const char *author, size_t *added,
			  kp_err *e)
{
	*added = 0;
	if (kp_rnd_check_tables(v, author, e) < 0)
		return -1;
	return add_text(v, file, data, n, author, 0, added, e);
}

/* ---- listing facts ----------------------------------------------------- */

static int list_fact(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	kp_rnd_facts *out = ctx;
	(void)e;
	kp_facts_add(&out->facts, f);
	out->seq = kp_xrealloc(out->seq, out->facts.cap * sizeof(*out->seq));
	out->seq[out->facts.n - 1] = seq;
	return 0;
}

int kp_rnd_facts_get(kp_rnd *v, const char *unit, kp_rnd_facts *out,
		     kp_err *e)
{
	long u = -1;
	memset(out, 0, sizeof(*out));
	if (unit && (u = kp_rnd_find_unit(v, unit)) < 0)
		return kp_fail(e, KP_RND_ENOTFOUND, "单位“%s”不在轮次“%s”中", unit,
			       v->round.name);
	if (kp_store_facts_each(v->db, v->round.id, u < 0 ? NULL : v->names[u],
				list_fact, out, e) < 0 ||
	    kp_rnd_facts_fates(v, out, e) < 0) {
		kp_rnd_facts_release(out);
		return -1;
	}
	return 0;
}

void kp_rnd_facts_release(kp_rnd_facts *l)
{
	for (size_t i = 0; l->reason && i < l->facts.n; i++)
		free(l->reason[i]);
	kp_facts_release(&l->facts);
	free(l->seq);
	free(l->replaced_by);
	free(l->reason);
	memset(l, 0, sizeof(*l));
}

json_t *kp_rnd_facts_json(const kp_rnd_facts *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->facts.n; i++) {
		const kp_fact *f = &l->facts.v[i];
		json_t *o = json_object();
		json_object_set_new(o, "seq", json_integer(l->seq[i]));
		json_object_set_new(o, "unit", json_string(f->unit));
		json_object_set_new(o, "table", json_string(f->table ? f->table : ""));
		json_object_set_new(o, "indicator", json_string(f->indicator));
		json_object_set_new(o, "kind", json_string(kp_fact_kind_name(f->kind)));
		json_object_set_new(o, "name", json_string(f->name));
		json_object_set_new(o, "value", f->has_value
				    ? kp_num_json(f->value) : json_null());
		json_object_set_new(o, "source", json_string(kp_source_name(f->source)));
		json_object_set_new(o, "author", json_string(f->author));
		json_object_set_new(o, "time", json_string(f->time));
		json_object_set_new(o, "url", json_string(f->url));
		json_object_set_new(o, "note", json_string(f->note));
		json_object_set_new(o, "period", json_string(f->period ? f->period : ""));
		json_object_set_new(o, "inspection", f->inspection
				    ? json_integer(f->inspection) : json_null());
		json_object_set_new(o, "status", json_string(
			f->withdrawn ? "withdrawn"
			: l->replaced_by && l->replaced_by[i] ? "replaced" : "counts"));
		json_object_set_new(o, "replaced_by", l->replaced_by && l->replaced_by[i]
				    ? json_integer(l->replaced_by[i]) : json_null());
		json_object_set_new(o, "withdrawn_by", f->withdrawn
				    ? json_integer(f->withdrawn) : json_null());
		json_object_set_new(o, "withdraw_reason", l->reason && l->reason[i]
				    ? json_string(l->reason[i]) : json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}
