/* round/create.c — a new round: one indicator table or a scheme, the
 * units of a registry they apply to, each with the tables it is
 * assessed on, the tables' texts kept in the store. */
#include "round/round_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Which units of the registry the table applies to (some first-level
 * indicator applies): keep[i].  A table without an applies column or a
 * scope applies to every unit.  scoped[i] (may be NULL): the unit is
 * outside the table's #meta,scope (the quota table's units). */
static int units_applying(const kp_table *t, const kp_table *reg,
			  const kp_units *u, bool **keep, bool *scoped,
			  kp_err *e)
{
	kp_score_ctx c;
	kp_facts none = KP_FACTS_INIT;
	bool any = false;
	int ret = -1;
	*keep = kp_xcalloc(reg->nrecs + 1, sizeof(bool));
	for (size_t i = 0; i < t->nnodes; i++)
		if (*t->nodes[i]->text[KP_T_APPLIES])
			any = true;
	if (kp_table_get(t, "scope"))
		any = true;
	kp_score_ctx_init(&c);
	c.units = u;
	if (any && kp_score_ctx_open(&c, t, e) < 0)
		goto out;
	for (size_t i = 0; i < reg->nrecs; i++) {
		kp_result *r;
		if (!any) {
			(*keep)[i] = true;
			continue;
		}
		if (kp_score_unit(t, &c, kp_record_cell(reg, i, "name"), &none,
				  &r, e) < 0)
			goto out;
		if (scoped)
			scoped[i] = !kp_score_in_scope(t, &c,
						       kp_record_cell(reg, i, "name"));
		for (size_t k = 0; k < r->nnodes; k++)
			if (r->nodes[k].node->level == 1 && r->nodes[k].applies)
				(*keep)[i] = true;
		kp_result_free(r);
	}
	ret = 0;
out:
	kp_score_ctx_release(&c);
	return ret;
}

/* Unit name of reg, selected by scheme row k, on a table of the same
 * label as an earlier row it is on: refused. */
static int label_twice(const kp_scheme *sc, size_t k, uint64_t on,
		       const char *name, kp_err *e)
{
	const kp_scheme_row *row = &sc->rows[k];
	for (size_t j = 0; j < k; j++)
		if (((on >> j) & 1) && *row->label &&
		    !strcmp(sc->rows[j].label, row->label))
			return kp_fail_at(e, KP_EINPUT, sc->def->file, row->line,
					  "单位“%s”同时适用“%s”的两张表 %s（第 %zu 行）和 %s：同一标签的表应分别适用不同的单位",
					  name, row->label,
					  kp_table_id(sc->rows[j].table),
					  sc->rows[j].line, kp_table_id(row->table));
	return 0;
}

/* The scheme's #meta,assess lines: "单位=标签、标签" — the unit is assessed
 * on the tables of exactly these labels, whatever the rows' and the
 * tables' applies say (an office's one-line decision, docs/scheme.md).
 * For unit canonical: -1 when no line names it, else the row mask (a
 * label with several tables: the row whose applies selects the unit,
 * else the label's first row); -2 with e on a bad line. */
static int64_t assessed_rows(const kp_scheme *sc, const kp_units *u,
			     const char *canonical, kp_err *e)
{
	const kp_table *d = sc->def;
	int64_t mask = -1;
	for (size_t m = 0; d && m < d->nmeta; m++) {
		const char *v = d->meta[m].value, *eq = strchr(v, '=');
		char *name, *labels, *save = NULL;
		const char *canon;
		if (strcmp(d->meta[m].key, "assess"))
			continue;
		if (!eq) {
			kp_fail_at(e, KP_EINPUT, d->file, d->meta[m].line,
				   "#meta,assess 应写成“单位=标签、标签”（如 钒钛高新区管委会=政务信息）");
			return -2;
		}
		name = kp_xstrndup(v, (size_t)(eq - v));
		kp_trim(name);
		canon = kp_units_resolve(u, name);
		if (!canon) {
			kp_fail_at(e, KP_EINPUT, d->file, d->meta[m].line,
				   "#meta,assess 中的单位“%s”不在单位名录中", name);
			free(name);
			return -2;
		}
		free(name);
		if (strcmp(canon, canonical))
			continue;
		mask = 0;
		labels = kp_xstrdup(eq + 1);
		for (char *l = labels; l; l = save) {
			long pick = -1;
			char *sep = strstr(l, "、");
			save = sep ? sep + strlen("、") : NULL;
			if (sep)
				*sep = '\0';
			kp_trim(l);
			if (!*l)
				continue;
			for (size_t k = 0; k < sc->nrows; k++)
				if (!strcmp(sc->rows[k].label, l) &&
				    (pick < 0 || (*sc->rows[k].applies &&
						  kp_units_match(u, canonical, sc->rows[k].applies) &&
						  !(*sc->rows[pick].applies &&
						    kp_units_match(u, canonical, sc->rows[pick].applies)))))
					pick = (long)k;
			if (pick < 0) {
				kp_fail_at(e, KP_EINPUT, d->file, d->meta[m].line,
					   "#meta,assess 中的标签“%s”不是方案中任何一行的 label", l);
				free(labels);
				return -2;
			}
			mask |= (int64_t)1 << pick;
		}
		free(labels);
	}
	return mask;
}

/* Which tables of scheme sc each unit of reg is assessed on: on[i] bit k.
 * A row's applies cell selects units; the table's own applies column
 * must agree (a unit the scheme gives a table none of whose indicators
 * apply to it is a contradiction, refused); units of one label get one
 * table of that label at most. */
static int scheme_units(const kp_scheme *sc, const kp_table *reg,
			uint64_t *on, size_t *per_row, kp_err *e)
{
	kp_units *u;
	bool *keep = NULL, *scoped = kp_xcalloc(reg->nrecs + 1, sizeof(bool));
	int ret = -1;
	if (kp_units_from_table(reg, &u, e) < 0) {
		free(scoped);
		return -1;
	}
	for (size_t k = 0; k < sc->nrows; k++) {
		const kp_scheme_row *row = &sc->rows[k];
		memset(scoped, 0, (reg->nrecs + 1) * sizeof(bool));
		if (units_applying(row->table, reg, u, &keep, scoped, e) < 0)
			goto out;
		for (size_t i = 0; i < reg->nrecs; i++) {
			const char *name = kp_record_cell(reg, i, "name");
			int64_t chosen = assessed_rows(sc, u, name, e);
			if (chosen == -2)
				goto out;
			if (chosen >= 0) {   /* the scheme's #meta,assess decides */
				if (!((chosen >> k) & 1))
					continue;
			} else if (!kp_units_match(u, name, row->applies)) {
				continue;
			} else if (!keep[i]) {
				/* the table's scope (a quota table's units)
				 * narrows the row's types: no contradiction */
				if (!*row->applies || scoped[i])
					continue;
				kp_fail_at(e, KP_EINPUT, sc->def->file, row->line,
					   "applies 选中了单位“%s”（%s），但表 %s 的一级指标都不适用于它（见该表的 applies 列）",
					   name, kp_record_cell(reg, i, "type"),
					   kp_table_id(row->table));
				goto out;
			}
			if (label_twice(sc, k, on[i], name, e) < 0)
				goto out;
			on[i] |= (uint64_t)1 << k;
			per_row[k]++;
		}
		free(keep);
		keep = NULL;
	}
	ret = 0;
out:
	free(keep);
	free(scoped);
	kp_units_free(u);
	return ret;
}

/* The units of the new round, in registry order, as the store takes
 * them (strings borrowed from reg, positions owned). */
struct new_units {
	const char **names, **types, **aliases, **tags, **websites;
	char **tables;
	size_t n;
};

static void new_units_fill(struct new_units *nu, const kp_table *reg,
			   const uint64_t *on, size_t nrows)
{
	nu->names = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	nu->types = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	nu->aliases = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	nu->tags = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	nu->websites = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	nu->tables = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	for (size_t i = 0; i < reg->nrecs; i++) {
		const char *al = kp_record_cell(reg, i, "aliases");
		const char *tg = kp_record_cell(reg, i, "tags");
		const char *ws = kp_record_cell(reg, i, "website");
		kp_buf pos = KP_BUF_INIT;
		if (!on[i])
			continue;
		for (size_t k = 0; k < nrows; k++)
			if ((on[i] >> k) & 1)
				kp_buf_addf(&pos, "%s%zu", pos.len ? "," : "", k);
		nu->names[nu->n] = kp_record_cell(reg, i, "name");
		nu->types[nu->n] = kp_record_cell(reg, i, "type");
		nu->aliases[nu->n] = al ? al : "";
		nu->tags[nu->n] = tg ? tg : "";
		nu->websites[nu->n] = ws ? ws : "";
		nu->tables[nu->n] = kp_buf_detach(&pos);
		nu->n++;
	}
}

static void new_units_release(struct new_units *nu)
{
	for (size_t i = 0; nu->tables && i < nu->n; i++)
		free(nu->tables[i]);
	free(nu->tables);
	free(nu->names);
	free(nu->types);
	free(nu->aliases);
	free(nu->tags);
	free(nu->websites);
}

/* Store the round: its tables' texts, its units. */
static int store_round(const kp_rnd_spec *spec, const kp_scheme *sc,
		       const char *name, const char *period, const char *rsrc,
		       const struct new_units *nu, kp_rnd_created *out,
		       kp_err *e)
{
	kp_buf stext = KP_BUF_INIT, *texts = kp_xcalloc(sc->nrows, sizeof(*texts));
	kp_round_spec_table *rts = kp_xcalloc(sc->nrows, sizeof(*rts));
	kp_store *db = NULL;
	int64_t id;
	int ret = -1;
	for (size_t k = 0; k < sc->nrows; k++) {
		const kp_scheme_row *row = &sc->rows[k];
		kp_table_write(row->table, &texts[k]);
		rts[k] = (kp_round_spec_table){
			kp_table_id(row->table), kp_table_get(row->table, "title"),
			row->source, texts[k].data, row->label, row->applies,
			row->has_weight, row->weight,
		};
	}
	if (sc->def)
		kp_table_write(sc->def, &stext);
	if (kp_store_open(spec->conn, KP_STORE_CREATE, &db, e) < 0)
		goto out;
	{
		kp_round_spec sp = {
			.name = name, .period = period,
			.table_id = rts[0].table_id, .table_source = rts[0].source,
			.table_title = rts[0].title, .table_text = rts[0].text,
			.tables = sc->def ? rts : NULL,
			.ntables = sc->def ? sc->nrows : 0,
			.scheme = sc->def ? kp_scheme_id(sc) : NULL,
			.scheme_source = sc->def ? sc->source : NULL,
			.scheme_title = sc->def ? kp_scheme_title(sc) : NULL,
			.scheme_text = sc->def ? stext.data : NULL,
			.combine = kp_combine_rule_name(sc->combine),
			.registry = rsrc,
			.author = spec->author,
			.unit_names = nu->names, .unit_types = nu->types,
			.unit_aliases = nu->aliases, .unit_tags = nu->tags,
			.unit_websites = nu->websites,
			.unit_tables = (const char *const *)nu->tables,
			.nunits = nu->n,
		};
		if (kp_store_round_new(db, &sp, &id, e) < 0)
			goto out;
	}
	out->where = kp_xstrdup(kp_store_where(db));
	ret = 0;
out:
	kp_store_close(db);
	for (size_t k = 0; k < sc->nrows; k++)
		kp_buf_release(&texts[k]);
	free(texts);
	free(rts);
	kp_buf_release(&stext);
	return ret;
}

/* The scheme or table the spec names, and its registry, opened. */
static int open_inputs(const kp_rnd_spec *spec, kp_scheme **sc,
		       kp_table **reg, const char **rsrc, kp_err *e)
{
	const char *tsrc = spec->table, *ssrc = spec->scheme;
	if (tsrc && ssrc)
		return kp_fail(e, KP_EINPUT, "eval new：--table 和 --scheme 只能给一个（一张表就是只有一张表的方案）");
	if (!tsrc && !ssrc)
		return kp_fail(e, KP_EINPUT, "eval new 需要 --table（一张指标表）或 --scheme（考评方案）：内置 id、文件，或数据库中导入的表 stored:编号（见 kaoping table list）");
	if (kp_rnd_stored_ref(tsrc ? tsrc : ssrc)) {
		/* an imported table, as the web's 指标体系 opens it */
		kp_table *t;
		if (kp_rnd_table_stored(spec->conn, tsrc ? tsrc : ssrc, &t, e) < 0)
			return -1;
		*sc = kp_scheme_one(t, tsrc ? tsrc : ssrc);
		if (t->kind != KP_KIND_INDICATORS)
			return kp_fail(e, KP_EINPUT, "%s 是%s，不是指标表",
				       (*sc)->source, kp_kind_label(t->kind));
	} else if (kp_scheme_open(tsrc ? tsrc : ssrc, sc, e) < 0) {
		return -1;
	}
	if (tsrc && (*sc)->def)
		return kp_fail(e, KP_EINPUT, "%s 是考评方案，不是一张指标表：请用 --scheme %s",
			       tsrc, tsrc);
	*rsrc = spec->units ? spec->units : kp_scheme_registry(*sc);
	if (!*rsrc || !**rsrc)
		return kp_fail(e, KP_EINPUT, "%s %s 没有声明单位名录（#meta,registry），请用 --units 指明",
			       (*sc)->def ? "方案" : "表", (*sc)->source);
	if (kp_table_open(*rsrc, reg, e) < 0)
		return -1;
	if ((*reg)->kind != KP_KIND_UNITS)
		return kp_fail(e, KP_EINPUT, "%s 是%s，不是单位名录", *rsrc,
			       kp_kind_label((*reg)->kind));
	return 0;
}

static void describe(kp_rnd_created *out, const kp_scheme *sc,
		     const kp_table *reg, const size_t *per_row)
{
	const kp_table *first = sc->rows[0].table;
	out->scheme = sc->def != NULL;
	out->id = kp_xstrdup(sc->def ? kp_scheme_id(sc) : kp_table_id(first));
	out->title = kp_xstrdup(sc->def ? kp_scheme_title(sc)
					: kp_table_get(first, "title"));
	out->combine = sc->combine;
	out->nregistry = reg->nrecs;
	if (!sc->def)
		return;
	out->tables = kp_xcalloc(sc->nrows, sizeof(*out->tables));
	out->ntables = sc->nrows;
	for (size_t k = 0; k < sc->nrows; k++) {
		out->tables[k].label = kp_xstrdup(sc->rows[k].label);
		out->tables[k].table_id = kp_xstrdup(kp_table_id(sc->rows[k].table));
		out->tables[k].nunits = per_row[k];
	}
}

int kp_rnd_create(const kp_rnd_spec *spec, kp_rnd_created *out, kp_err *e)
{
	kp_scheme *sc = NULL;
	kp_table *reg = NULL;
	kp_buf defname = KP_BUF_INIT;
	const char *rsrc = NULL, *period, *name;
	uint64_t *on = NULL;
	size_t *per_row = NULL;
	struct new_units nu;
	int ret = -1;
	memset(out, 0, sizeof(*out));
	memset(&nu, 0, sizeof(nu));
	if (open_inputs(spec, &sc, &reg, &rsrc, e) < 0)
		goto out;
	period = spec->period;
	if (!period && sc->def)
		period = kp_table_get(sc->def, "year");
	if (!period)
		period = kp_table_get(sc->rows[0].table, "year");
	if (!period)
		period = "";
	name = spec->name;
	if (!name) {
		kp_buf_addf(&defname, "%s%s%s", period, *period ? "-" : "",
			    kp_scheme_id(sc));
		name = defname.data;
	}
	if (!*name) {
		kp_fail(e, KP_EINPUT, "轮次名称不能为空");
		goto out;
	}
	on = kp_xcalloc(reg->nrecs + 1, sizeof(*on));
	per_row = kp_xcalloc(sc->nrows, sizeof(*per_row));
	if (scheme_units(sc, reg, on, per_row, e) < 0)
		goto out;
	new_units_fill(&nu, reg, on, sc->nrows);
	if (!nu.n) {
		kp_fail(e, KP_EINPUT, "名录 %s 中没有%s %s 适用的单位（见 applies 列）", rsrc,
			sc->def ? "方案" : "表", kp_scheme_id(sc));
		goto out;
	}
	if (store_round(spec, sc, name, period, rsrc, &nu, out, e) < 0)
		goto out;
	out->name = kp_xstrdup(name);
	out->registry = kp_xstrdup(rsrc);
	out->nunits = nu.n;
	describe(out, sc, reg, per_row);
	ret = 0;
out:
	if (ret < 0)
		kp_rnd_created_release(out);
	new_units_release(&nu);
	free(on);
	free(per_row);
	kp_buf_release(&defname);
	kp_table_free(reg);
	kp_scheme_free(sc);
	return ret;
}

void kp_rnd_created_release(kp_rnd_created *c)
{
	free(c->name);
	free(c->id);
	free(c->title);
	free(c->registry);
	free(c->where);
	for (size_t k = 0; k < c->ntables; k++) {
		free(c->tables[k].label);
		free(c->tables[k].table_id);
	}
	free(c->tables);
	memset(c, 0, sizeof(*c));
}

json_t *kp_rnd_created_json(const kp_rnd_created *c)
{
	json_t *o = json_object(), *ts = json_array();
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, c->scheme ? "scheme" : "table", json_string(c->id));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "registry", json_string(c->registry));
	json_object_set_new(o, "units", json_integer((json_int_t)c->nunits));
	json_object_set_new(o, "registry_units", json_integer((json_int_t)c->nregistry));
	for (size_t k = 0; k < c->ntables; k++) {
		json_t *t = json_object();
		json_object_set_new(t, "label", json_string(c->tables[k].label));
		json_object_set_new(t, "table", json_string(c->tables[k].table_id));
		json_object_set_new(t, "units", json_integer((json_int_t)c->tables[k].nunits));
		json_array_append_new(ts, t);
	}
	json_object_set_new(o, "tables", ts);
	if (c->scheme)
		json_object_set_new(o, "combine", json_string(kp_combine_rule_name(c->combine)));
	return o;
}
