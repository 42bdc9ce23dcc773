/* kaoping eval … — evaluation rounds kept in the store (src/store): create
 * a round, add facts, score, show one unit, rank, read the audit log.
 *
 * Every command opens the store named by --db, else $KAOPING_DB, else
 * ./kaoping.db, and works on the round named by --round, else the newest.
 * A round scores with the table texts it was created with: one table
 * (--table), or the tables of a scheme (--scheme, docs/scheme.md), each
 * unit on the tables the scheme gives it, its per-table results combined
 * by the scheme's rule.  A table whose source changed after facts were
 * recorded is refused. */
#include "cli/cli.h"
#include "catalog/catalog.h"
#include "score/score.h"
#include "store/store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FACTS_FILE_MAX ((size_t)1 << 30)   /* a national round's facts */

/* ---- option tables (rows of the command table in main.c) ------------- */

const struct cli_opt eval_new_opts[] = {
	{ "table", 't', "ID|文件", "指标表：内置表 id 或规范格式的文件（与 --scheme 二选一）" },
	{ "scheme", 's', "ID|文件", "考评方案：几张表、各自适用的单位和合并规则（内置方案 id 或方案文件，见 docs/scheme.md）" },
	{ "units", 'u', "ID|文件", "单位名录（默认方案或表的 #meta,registry）" },
	{ "name", 0, "名称", "轮次名称（默认“年度-表id”或“年度-方案id”）" },
	{ "period", 0, "期间", "年度或季度，如 2016、2016Q3（默认方案或表的年度）" },
	CLI_OPT_DB, CLI_OPT_AUTHOR, CLI_OPT_END,
};
const struct cli_opt eval_list_opts[] = { CLI_OPT_DB, CLI_OPT_JSON, CLI_OPT_END };
const struct cli_opt eval_add_opts[] = { CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_AUTHOR, CLI_OPT_END };
const struct cli_opt eval_score_opts[] = { CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_AUTHOR, CLI_OPT_END };
const struct cli_opt eval_show_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON,
	{ "explain", 0, NULL, "逐项说明每个分数的来历（规则、事实、证据）" },
	CLI_OPT_END,
};
const struct cli_opt eval_rank_opts[] = { CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON, CLI_OPT_END };
const struct cli_opt eval_log_opts[] = { CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON, CLI_OPT_END };

/* ---- shared helpers -------------------------------------------------- */

static json_t *jnum(kp_num v)
{
	char buf[32];
	return json_string(kp_num_fmt2(v, buf));
}

/* A round opened for work: its store, its tables, its units. */
struct ev {
	kp_store *db;
	kp_round round;
	kp_table **tables;       /* the round's tables, by position */
	size_t ntables;
	/* the round's units: names, and every spelling → index */
	char **names, **types, **tags, **aliases;
	uint64_t *utabs;         /* per unit: bit k = assessed on table k */
	size_t nunits, capunits;
	struct spelling {
		const char *s;
		size_t unit;
	} *sp;
	size_t nsp, capsp;
	kp_combine_rule combine; /* how its tables' results combine */
	kp_score_ctx ctx;        /* shared by the tables */
};

static bool on_table(const struct ev *v, size_t unit, size_t k)
{
	return (v->utabs[unit] >> k) & 1;
}

static void ev_release(struct ev *v)
{
	kp_score_ctx_release(&v->ctx);
	for (size_t k = 0; k < v->ntables; k++)
		kp_table_free(v->tables[k]);
	free(v->tables);
	for (size_t i = 0; i < v->nunits; i++) {
		free(v->names[i]);
		free(v->types[i]);
		free(v->tags[i]);
		free(v->aliases[i]);
	}
	free(v->names);
	free(v->types);
	free(v->tags);
	free(v->aliases);
	free(v->utabs);
	free(v->sp);
	kp_round_release(&v->round);
	kp_store_close(v->db);
	memset(v, 0, sizeof(*v));
}

static void add_spelling(struct ev *v, const char *s, size_t unit)
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
	struct ev *v = ctx;
	const char *p = su->tables;
	uint64_t mask = 0;
	if (v->nunits == v->capunits) {
		v->capunits = v->capunits ? v->capunits * 2 : 64;
		v->names = kp_xrealloc(v->names, v->capunits * sizeof(char *));
		v->types = kp_xrealloc(v->types, v->capunits * sizeof(char *));
		v->tags = kp_xrealloc(v->tags, v->capunits * sizeof(char *));
		v->aliases = kp_xrealloc(v->aliases, v->capunits * sizeof(char *));
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
	v->utabs[v->nunits] = mask;
	v->nunits++;
	return 0;
}

static int sp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct spelling *)a)->s,
		      ((const struct spelling *)b)->s);
}

/* Index every name and alias ("、" or "," separated) of the units. */
static void index_units(struct ev *v)
{
	for (size_t i = 0; i < v->nunits; i++)
		add_spelling(v, v->names[i], i);
	for (size_t i = 0; i < v->nunits; i++) {
		/* split in place: aliases[i] is only used through sp now */
		char *cur = v->aliases[i], *item;
		while ((item = kp_list_next(&cur)))
			add_spelling(v, item, i);
	}
	if (v->nsp)
		qsort(v->sp, v->nsp, sizeof(*v->sp), sp_cmp);
}

/* Index of the unit named or aliased s, or -1. */
static long find_unit(const struct ev *v, const char *s)
{
	struct spelling key = { s, 0 }, *hit;
	if (!v->nsp)
		return -1;
	hit = bsearch(&key, v->sp, v->nsp, sizeof(*v->sp), sp_cmp);
	return hit ? (long)hit->unit : -1;
}

/* A registry of one unit, for the engine: it resolves that unit's names
 * and knows its type and tags, which is all scoring one unit asks of a
 * registry (other units' spellings resolve to nothing either way), and
 * it costs nothing per lookup however many units the round has. */
static int one_unit_registry(const struct ev *v, size_t i, kp_units **out,
			     kp_err *e)
{
	kp_buf b = KP_BUF_INIT;
	kp_table *t;
	int r;
	kp_buf_adds(&b, "#meta,format,kaoping-table/1\n#meta,kind,units\n"
			"#meta,id,round-unit\n#meta,title,轮次单位\n"
			"name,type,aliases,tags\n");
	kp_csv_put(&b, v->names[i]);
	kp_buf_addc(&b, ',');
	kp_csv_put(&b, *v->types[i] ? v->types[i] : "-");
	kp_buf_addc(&b, ',');
	/* aliases: the spellings that point at i (already split) */
	{
		bool first = true;
		for (size_t k = 0; k < v->nsp; k++) {
			if (v->sp[k].unit != i || v->sp[k].s == v->names[i])
				continue;
			if (!first)
				kp_buf_adds(&b, "、");
			kp_buf_adds(&b, v->sp[k].s);
			first = false;
		}
	}
	kp_buf_addc(&b, ',');
	kp_csv_put(&b, v->tags[i]);
	kp_buf_addc(&b, '\n');
	r = kp_table_parse("轮次单位", b.data, b.len, &t, e);
	kp_buf_release(&b);
	if (r < 0)
		return -1;
	r = kp_units_from_table(t, out, e);
	kp_table_free(t);
	return r;
}

/* Open the store, the round, its tables and units; everything the
 * commands below share.  Returns 0 or an exit status. */
static int ev_open(const struct cli_cmd *cmd, const struct cli_args *a,
		   struct ev *v)
{
	kp_err e;
	kp_buf text = KP_BUF_INIT;
	char where[300];
	int r;
	memset(v, 0, sizeof(*v));
	kp_score_ctx_init(&v->ctx);
	if ((r = cli_open_store(cmd, a, 0, &v->db)))
		return r;
	if (kp_store_round_get(v->db, cli_get(cmd, a, "round"), &v->round, &e) < 0)
		goto fail;
	v->tables = kp_xcalloc(v->round.ntables ? v->round.ntables : 1,
			       sizeof(*v->tables));
	for (size_t k = 0; k < v->round.ntables; k++) {
		kp_buf_reset(&text);
		if (kp_store_round_table(v->db, v->round.id, (int)k, &text, &e) < 0)
			goto fail;
		snprintf(where, sizeof(where), "轮次“%s”的表 %s", v->round.name,
			 v->round.tables[k].table_id);
		if (kp_table_parse(where, text.data ? text.data : "", text.len,
				   &v->tables[k], &e) < 0)
			goto fail;
		v->ntables++;
	}
	if (!v->ntables) {
		kp_fail(&e, KP_EIO, "%s：轮次“%s”没有表", kp_store_where(v->db),
			v->round.name);
		goto fail;
	}
	if (kp_combine_rule_parse(v->round.combine, &v->combine) < 0)
		v->combine = KP_COMBINE_NONE;
	kp_buf_release(&text);
	if (kp_store_units_each(v->db, v->round.id, unit_row, v, &e) < 0)
		goto fail;
	index_units(v);
	/* the quota and checklist tables the tables' rules name.  Units
	 * come from the round, not from the tables' #meta registry: a
	 * stand-in keeps kp_score_ctx_open from opening that (score_one
	 * and check_fact set the registry they need per call) */
	if (v->nunits && one_unit_registry(v, 0, &v->ctx.own_units, &e) < 0)
		goto fail;
	v->ctx.units = v->ctx.own_units;
	for (size_t k = 0; k < v->ntables; k++)
		if (kp_score_ctx_open(&v->ctx, v->tables[k], &e) < 0)
			goto fail;
	return 0;
fail:
	kp_buf_release(&text);
	r = cli_error(&e);
	ev_release(v);
	return r;
}

/* The round's table sources, re-read: has one changed since the round
 * was made?  With facts recorded, a change is refused; without, the
 * round takes the new text.  Returns 0 or an exit status. */
static int check_table(struct ev *v, const char *who)
{
	for (size_t k = 0; k < v->ntables; k++) {
		const kp_round_table *rt = &v->round.tables[k];
		kp_table *now;
		kp_buf text = KP_BUF_INIT;
		kp_err e;
		char hash[17];
		if (kp_table_open(rt->source, &now, &e) < 0)
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
			return cli_usage_error("%s：表 %s 在本轮次登记事实之后被修改过（创建轮次时指纹 %s，现在 %s）；"
					       "已登记的事实按原表计分，不能混用。请恢复原表，或用 kaoping eval new 以修改后的表建新轮次",
					       rt->source, rt->table_id, rt->hash, hash);
		}
		if (kp_store_round_retable(v->db, v->round.id, (int)k, text.data,
					   hash, who, &e) < 0) {
			kp_buf_release(&text);
			return cli_error(&e);
		}
		fprintf(stderr, "kaoping: %s 已修改，轮次尚无事实，改用修改后的表（指纹 %s）\n",
			rt->source, hash);
		kp_table_free(v->tables[k]);
		v->tables[k] = NULL;
		if (kp_table_parse(rt->table_id, text.data, text.len, &v->tables[k],
				   &e) < 0) {
			kp_buf_release(&text);
			return cli_error(&e);
		}
		kp_buf_release(&text);
	}
	return 0;
}

/* ---- eval new -------------------------------------------------------- */

/* Which units of the registry the table applies to (some first-level
 * indicator applies): keep[i].  A table without an applies column
 * applies to every unit. */
static int units_applying(const kp_table *t, const kp_table *reg,
			  const kp_units *u, bool **keep, kp_err *e)
{
	kp_score_ctx c;
	kp_facts none = KP_FACTS_INIT;
	bool any = false;
	int ret = -1;
	*keep = kp_xcalloc(reg->nrecs + 1, sizeof(bool));
	for (size_t i = 0; i < t->nnodes; i++)
		if (*t->nodes[i]->text[KP_T_APPLIES])
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

/* Which tables of scheme sc each unit of reg is assessed on: on[i] bit k.
 * A row's applies cell selects units; the table's own applies column
 * must agree (a unit the scheme gives a table none of whose indicators
 * apply to it is a contradiction, refused); units of one label get one
 * table of that label at most. */
static int scheme_units(const kp_scheme *sc, const kp_table *reg,
			uint64_t *on, size_t *per_row, kp_err *e)
{
	kp_units *u;
	int ret = -1;
	if (kp_units_from_table(reg, &u, e) < 0)
		return -1;
	for (size_t k = 0; k < sc->nrows; k++) {
		const kp_scheme_row *row = &sc->rows[k];
		bool *keep;
		if (units_applying(row->table, reg, u, &keep, e) < 0) {
			free(keep);
			goto out;
		}
		for (size_t i = 0; i < reg->nrecs; i++) {
			const char *name = kp_record_cell(reg, i, "name");
			if (!kp_units_match(u, name, row->applies))
				continue;
			if (!keep[i]) {
				if (!*row->applies)
					continue;
				kp_fail_at(e, KP_EINPUT, sc->def->file, row->line,
					   "applies 选中了单位“%s”（%s），但表 %s 的一级指标都不适用于它（见该表的 applies 列）",
					   name, kp_record_cell(reg, i, "type"),
					   kp_table_id(row->table));
				free(keep);
				goto out;
			}
			for (size_t j = 0; j < k; j++)
				if (((on[i] >> j) & 1) && *row->label &&
				    !strcmp(sc->rows[j].label, row->label)) {
					kp_fail_at(e, KP_EINPUT, sc->def->file, row->line,
						   "单位“%s”同时适用“%s”的两张表 %s（第 %zu 行）和 %s：同一标签的表应分别适用不同的单位",
						   name, row->label,
						   kp_table_id(sc->rows[j].table),
						   sc->rows[j].line,
						   kp_table_id(row->table));
					free(keep);
					goto out;
				}
			on[i] |= (uint64_t)1 << k;
			per_row[k]++;
		}
		free(keep);
	}
	ret = 0;
out:
	kp_units_free(u);
	return ret;
}

int cmd_eval_new(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	const char *tsrc, *ssrc, *rsrc, *period, *name;
	kp_scheme *sc = NULL;
	kp_table *reg = NULL;
	kp_buf defname = KP_BUF_INIT, stext = KP_BUF_INIT, *texts = NULL;
	kp_store *db = NULL;
	kp_err e;
	int64_t id;
	int ret = KP_EXIT_USAGE;
	const char **names = NULL, **types = NULL, **aliases = NULL, **tags = NULL;
	char **utables = NULL;
	uint64_t *on = NULL;
	size_t nunits = 0, *per_row = NULL;
	kp_round_spec_table *rts = NULL;
	const kp_table *first;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval new 不接受参数“%s”（表用 --table 或 --scheme 指明）", a.pos[0]);
	tsrc = cli_get(cmd, &a, "table");
	ssrc = cli_get(cmd, &a, "scheme");
	if (tsrc && ssrc)
		return cli_usage_error("eval new：--table 和 --scheme 只能给一个（一张表就是只有一张表的方案）");
	if (!tsrc && !ssrc)
		return cli_usage_error("eval new 需要 --table（一张指标表）或 --scheme（考评方案）：内置 id 或文件（见 kaoping table list）");
	if (kp_scheme_open(tsrc ? tsrc : ssrc, &sc, &e) < 0)
		return cli_error(&e);
	if (tsrc && sc->def) {
		cli_usage_error("%s 是考评方案，不是一张指标表：请用 --scheme %s", tsrc, tsrc);
		goto out;
	}
	first = sc->rows[0].table;
	rsrc = cli_get(cmd, &a, "units");
	if (!rsrc)
		rsrc = kp_scheme_registry(sc);
	if (!rsrc || !*rsrc) {
		cli_usage_error("%s %s 没有声明单位名录（#meta,registry），请用 --units 指明",
				sc->def ? "方案" : "表", sc->source);
		goto out;
	}
	if (kp_table_open(rsrc, &reg, &e) < 0) {
		ret = cli_error(&e);
		goto out;
	}
	if (reg->kind != KP_KIND_UNITS) {
		cli_usage_error("%s 是%s，不是单位名录", rsrc, kp_kind_label(reg->kind));
		goto out;
	}
	period = cli_get(cmd, &a, "period");
	if (!period && sc->def)
		period = kp_table_get(sc->def, "year");
	if (!period)
		period = kp_table_get(first, "year");
	if (!period)
		period = "";
	name = cli_get(cmd, &a, "name");
	if (!name) {
		kp_buf_addf(&defname, "%s%s%s", period, *period ? "-" : "",
			    kp_scheme_id(sc));
		name = defname.data;
	}
	if (!*name) {
		cli_usage_error("轮次名称不能为空");
		goto out;
	}
	on = kp_xcalloc(reg->nrecs + 1, sizeof(*on));
	per_row = kp_xcalloc(sc->nrows, sizeof(*per_row));
	if (scheme_units(sc, reg, on, per_row, &e) < 0) {
		ret = cli_error(&e);
		goto out;
	}
	names = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	types = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	aliases = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	tags = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	utables = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	for (size_t i = 0; i < reg->nrecs; i++) {
		const char *al = kp_record_cell(reg, i, "aliases");
		const char *tg = kp_record_cell(reg, i, "tags");
		kp_buf pos = KP_BUF_INIT;
		if (!on[i])
			continue;
		for (size_t k = 0; k < sc->nrows; k++)
			if ((on[i] >> k) & 1)
				kp_buf_addf(&pos, "%s%zu", pos.len ? "," : "", k);
		names[nunits] = kp_record_cell(reg, i, "name");
		types[nunits] = kp_record_cell(reg, i, "type");
		aliases[nunits] = al ? al : "";
		tags[nunits] = tg ? tg : "";
		utables[nunits] = kp_buf_detach(&pos);
		nunits++;
	}
	if (!nunits) {
		cli_usage_error("名录 %s 中没有%s %s 适用的单位（见 applies 列）", rsrc,
				sc->def ? "方案" : "表", kp_scheme_id(sc));
		goto out;
	}
	texts = kp_xcalloc(sc->nrows, sizeof(*texts));
	rts = kp_xcalloc(sc->nrows, sizeof(*rts));
	for (size_t k = 0; k < sc->nrows; k++) {
		const kp_scheme_row *row = &sc->rows[k];
		kp_table_write(row->table, &texts[k]);
		rts[k].table_id = kp_table_id(row->table);
		rts[k].title = kp_table_get(row->table, "title");
		rts[k].source = row->source;
		rts[k].text = texts[k].data;
		rts[k].label = row->label;
		rts[k].applies = row->applies;
		rts[k].has_weight = row->has_weight;
		rts[k].weight = row->weight;
	}
	if (sc->def)
		kp_table_write(sc->def, &stext);
	if (cli_open_store(cmd, &a, KP_STORE_CREATE, &db)) {
		ret = KP_EXIT_USAGE;
		goto out;
	}
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
			.author = cli_author(cmd, &a),
			.unit_names = names, .unit_types = types,
			.unit_aliases = aliases, .unit_tags = tags,
			.unit_tables = (const char *const *)utables,
			.nunits = nunits,
		};
		if (kp_store_round_new(db, &sp, &id, &e) < 0) {
			ret = cli_error(&e);
			goto out;
		}
	}
	if (sc->def)
		printf("已创建轮次“%s”：方案 %s（%s），%zu 张表，", name,
		       kp_scheme_id(sc), kp_scheme_title(sc), sc->nrows);
	else
		printf("已创建轮次“%s”：表 %s（%s），", name, kp_table_id(first),
		       kp_table_get(first, "title"));
	printf("单位 %zu 个（%s", nunits, rsrc);
	if (nunits < reg->nrecs)
		printf(" 中%s适用的；另 %zu 个不适用", sc->def ? "方案" : "表",
		       reg->nrecs - nunits);
	printf("），数据库 %s\n", kp_store_where(db));
	for (size_t k = 0; sc->def && k < sc->nrows; k++) {
		printf("  ");
		cli_pad(stdout, sc->rows[k].label, 12);
		cli_pad(stdout, kp_table_id(sc->rows[k].table), 22);
		printf("%zu 个单位\n", per_row[k]);
	}
	if (sc->def)
		printf("合并规则：%s\n", sc->combine == KP_COMBINE_SUM
			       ? "sum（各表折算后的分数相加：扣分为负、得分为正）"
			       : "weighted（按权重加权平均各表的得分）");
	ret = KP_EXIT_OK;
out:
	for (size_t k = 0; texts && k < sc->nrows; k++)
		kp_buf_release(&texts[k]);
	free(texts);
	free(rts);
	for (size_t i = 0; utables && i < nunits; i++)
		free(utables[i]);
	free(utables);
	free(on);
	free(per_row);
	free(names);
	free(types);
	free(aliases);
	free(tags);
	kp_store_close(db);
	kp_buf_release(&defname);
	kp_buf_release(&stext);
	kp_table_free(reg);
	kp_scheme_free(sc);
	return ret;
}

/* ---- eval list ------------------------------------------------------- */

static int list_row(void *ctx, const kp_round *r, kp_err *e)
{
	json_t *arr = ctx;
	(void)e;
	if (arr) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(o, "period", json_string(r->period));
		json_object_set_new(o, "table", json_string(r->table_id));
		json_object_set_new(o, "scheme", *r->scheme ? json_string(r->scheme)
							    : json_null());
		{
			json_t *ts = json_array();
			for (size_t k = 0; k < r->ntables; k++)
				json_array_append_new(ts, json_string(r->tables[k].table_id));
			json_object_set_new(o, "tables", ts);
		}
		json_object_set_new(o, "units", json_integer(r->nunits));
		json_object_set_new(o, "facts", json_integer(r->nfacts));
		json_object_set_new(o, "scored", json_boolean(r->scored_seq >= 0));
		json_object_set_new(o, "current",
				    json_boolean(r->scored_seq == r->last_seq));
		json_object_set_new(o, "created_at", json_string(r->created_at));
		json_object_set_new(o, "created_by", json_string(r->created_by));
		json_array_append_new(arr, o);
	} else {
		char buf[32];
		cli_pad(stdout, r->name, 28);
		cli_pad(stdout, r->period, 8);
		if (*r->scheme) {
			kp_buf sch = KP_BUF_INIT;
			kp_buf_addf(&sch, "%s（%zu 张表）", r->scheme, r->ntables);
			cli_pad(stdout, sch.data, 22);
			kp_buf_release(&sch);
		} else {
			cli_pad(stdout, r->table_id, 22);
		}
		snprintf(buf, sizeof(buf), "%lld", (long long)r->nunits);
		cli_pad(stdout, buf, 8);
		snprintf(buf, sizeof(buf), "%lld", (long long)r->nfacts);
		cli_pad(stdout, buf, 10);
		printf("%s\n", r->scored_seq < 0 ? "未计分"
			       : r->scored_seq == r->last_seq ? "已计分"
							      : "有新事实，需重新计分");
	}
	return 0;
}

int cmd_eval_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_err e;
	json_t *arr = NULL;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval list 不接受参数“%s”", a.pos[0]);
	if ((r = cli_open_store(cmd, &a, 0, &db)))
		return r;
	if (cli_get(cmd, &a, "json"))
		arr = json_array();
	else {
		cli_pad(stdout, "轮次", 28);
		cli_pad(stdout, "期间", 8);
		cli_pad(stdout, "表或方案", 22);
		cli_pad(stdout, "单位", 8);
		cli_pad(stdout, "事实", 10);
		printf("状态\n");
	}
	r = kp_store_rounds_each(db, list_row, arr, &e);
	kp_store_close(db);
	if (r < 0) {
		json_decref(arr);
		return cli_error(&e);
	}
	return arr ? cli_print_json(arr) : 0;
}

/* ---- eval facts add -------------------------------------------------- */

/* The engine says "第N行: why"; we say "file:N: why". */
static const char *engine_msg(const char *msg)
{
	if (!strncmp(msg, "第", 3) && strstr(msg, "行: "))
		return strstr(msg, "行: ") + strlen("行: ");
	return msg;
}

/* Check one fact with the engine against table k, naming file and line. */
static int check_fact(const struct ev *v, size_t k, const char *file,
		      const kp_fact *f, kp_err *e)
{
	kp_facts one = { (kp_fact *)f, 1, 1 };
	kp_score_ctx c = v->ctx;
	kp_err sub;
	c.units = NULL;   /* the unit was resolved against the round already */
	if (kp_facts_check(v->tables[k], &c, &one, &sub) == 0)
		return 0;
	return kp_fail_at(e, KP_EINPUT, file, f->line, "%s", engine_msg(sub.msg));
}

/* Which of the round's tables fact f (of unit u) is about; -1 with e
 * naming file and line when it does not say and cannot be told, or
 * names a table its unit is not assessed on. */
static int fact_table(const struct ev *v, size_t u, const char *file,
		      const kp_fact *f, kp_err *e)
{
	bool allowed[KP_SCHEME_MAX_TABLES];
	kp_score_ctx c = v->ctx;
	kp_err sub;
	int k;
	for (size_t i = 0; i < v->ntables; i++)
		allowed[i] = on_table(v, u, i);
	c.units = NULL;
	k = kp_fact_table((const kp_table *const *)v->tables, v->ntables,
			  allowed, &c, f, &sub);
	if (k < 0)
		return kp_fail_at(e, KP_EINPUT, file, f->line, "%s",
				  engine_msg(sub.msg));
	return k;
}

/* Each of the round's tables indexed once (kp_scorer_new), into sc[];
 * kp_scorer_free each after. */
static void scorers_new(const struct ev *v, kp_scorer **sc)
{
	for (size_t k = 0; k < v->ntables; k++)
		sc[k] = kp_scorer_new(v->tables[k]);
}

static void scorers_free(const struct ev *v, kp_scorer **sc)
{
	for (size_t k = 0; k < v->ntables; k++) {
		kp_scorer_free(sc[k]);
		sc[k] = NULL;
	}
}

/* One fact of the file being added: checked, spelt the store's way and
 * written to the batch, then forgotten (a national file has 1.5 million). */
struct adding {
	const struct ev *v;
	kp_scorer *sc[KP_SCHEME_MAX_TABLES];
	const char *file;
	kp_store_batch *batch;
};

static int add_fact(void *ctx, kp_fact *f, kp_err *e)
{
	struct adding *ad = ctx;
	const struct ev *v = ad->v;
	long u = find_unit(v, f->unit);
	const kp_node *nd;
	int k;
	if (u < 0)
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line,
				  "单位“%s”不在轮次“%s”的单位名录（%s）中", f->unit,
				  v->round.name, v->round.registry);
	if (strcmp(f->unit, v->names[u])) {
		free(f->unit);
		f->unit = kp_xstrdup(v->names[u]);
	}
	if ((k = fact_table(v, (size_t)u, ad->file, f, e)) < 0 ||
	    check_fact(v, (size_t)k, ad->file, f, e) < 0)
		return -1;
	/* one spelling per indicator in the store: its code; and the table
	 * it is about, said or found */
	nd = kp_scorer_find(ad->sc[k], f->indicator);
	if (nd && strcmp(f->indicator, nd->code)) {
		free(f->indicator);
		f->indicator = kp_xstrdup(nd->code);
	}
	free(f->table);
	f->table = kp_xstrdup(kp_table_id(v->tables[k]));
	return kp_store_batch_add(ad->batch, f, e);
}

int cmd_eval_facts_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ev v;
	kp_buf data = KP_BUF_INIT;
	struct adding ad;
	kp_err e;
	const char *file, *who;
	int r, ret = KP_EXIT_USAGE;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("eval facts add 需要一个事实文件（CSV 或 JSON，格式见 docs/facts.md）");
	file = a.pos[0];
	who = cli_author(cmd, &a);
	if ((r = ev_open(cmd, &a, &v)))
		return r;
	if ((r = check_table(&v, who))) {
		ev_release(&v);
		return r;
	}
	memset(&ad, 0, sizeof(ad));
	if (kp_read_file(file, FACTS_FILE_MAX, &data, &e) < 0)
		goto fail;
	/* read, checked and written fact by fact in one transaction: all of
	 * the file goes in, or (first bad fact, or killed) none of it */
	ad.v = &v;
	scorers_new(&v, ad.sc);
	ad.file = file;
	if (kp_store_batch_begin(v.db, v.round.id, file, who, &ad.batch, &e) < 0)
		goto fail;
	if (kp_facts_parse_each(file, data.data ? data.data : "", data.len,
				add_fact, &ad, &e) < 0)
		goto fail;
	kp_buf_release(&data);
	if (!kp_store_batch_count(ad.batch)) {
		ret = cli_usage_error("%s：没有事实", file);
		goto out;
	}
	r = kp_store_batch_commit(ad.batch, &e);
	ad.batch = NULL;
	if (r < 0)
		goto fail;
	printf("已登记 %d 条事实到轮次“%s”（来自 %s）\n", r, v.round.name, file);
	ret = KP_EXIT_OK;
	goto out;
fail:
	ret = cli_error(&e);
out:
	kp_store_batch_abort(ad.batch);
	scorers_free(&v, ad.sc);
	kp_buf_release(&data);
	ev_release(&v);
	return ret;
}

/* ---- scoring one unit ------------------------------------------------ */

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Does scoring need to know a unit's type, tags or aliases?  Only for
 * applies columns, quota tables and checklists; else the canonical name
 * the store keeps is all there is to know. */
static bool needs_registry(const struct ev *v)
{
	for (size_t k = 0; k < v->ntables; k++) {
		const kp_table *t = v->tables[k];
		for (size_t i = 0; i < t->nnodes; i++)
			if (*t->nodes[i]->text[KP_T_APPLIES] ||
			    t->nodes[i]->rule == KP_RULE_TIERED ||
			    t->nodes[i]->rule == KP_RULE_CHECKLIST)
				return true;
	}
	return false;
}

/* Score unit i on table k on facts fs, with a one-unit registry when it
 * matters; through sc (table k indexed once, kp_scorer_unit's flags)
 * when given, else kp_score_unit. */
static int score_one(struct ev *v, const kp_scorer *sc, int flags, size_t k,
		     size_t i, const kp_facts *fs, bool reg, kp_result **out,
		     kp_err *e)
{
	kp_units *u = NULL;
	kp_score_ctx c = v->ctx;
	int r;
	if (reg && one_unit_registry(v, i, &u, e) < 0)
		return -1;
	c.units = u;
	r = sc ? kp_scorer_unit(sc, &c, v->names[i], fs, flags, out, e)
	       : kp_score_unit(v->tables[k], &c, v->names[i], fs, out, e);
	kp_units_free(u);
	return r;
}

/* Position of the round's table with id, or -1. */
static long table_index(const struct ev *v, const char *id)
{
	if (v->ntables == 1 && (!id || !*id ||
				!strcmp(id, v->round.tables[0].table_id)))
		return 0;
	for (size_t k = 0; k < v->ntables; k++)
		if (id && !strcmp(id, v->round.tables[k].table_id))
			return (long)k;
	return -1;
}

/* The facts of fs about table k, into sub (borrowing them). */
static const kp_facts *facts_of(const struct ev *v, size_t k,
				const kp_facts *fs, kp_facts *sub)
{
	const char *id = v->round.tables[k].table_id;
	if (v->ntables == 1)
		return fs;
	if (sub->cap < fs->n) {
		sub->cap = fs->n;
		sub->v = kp_xrealloc(sub->v, sub->cap * sizeof(*sub->v));
	}
	sub->n = 0;
	for (size_t j = 0; j < fs->n; j++)
		if (fs->v[j].table == id || !strcmp(fs->v[j].table, id))
			sub->v[sub->n++] = fs->v[j];
	return sub;
}

/* Score unit i on each of its tables: r[k] for its tables, NULL for the
 * others (all freed by the caller, also on failure); through sc[k] with
 * flags when sc is given.  *cpu adds the time spent inside the engine. */
static int score_tables(struct ev *v, kp_scorer *const *sc, int flags,
			size_t i, const kp_facts *fs, kp_facts *sub, bool reg,
			kp_result **r, double *cpu, kp_err *e)
{
	for (size_t k = 0; k < v->ntables; k++) {
		double t0;
		r[k] = NULL;
		if (!on_table(v, i, k))
			continue;
		t0 = cpu_now();
		if (score_one(v, sc ? sc[k] : NULL, flags, k, i,
			      facts_of(v, k, fs, sub), reg, &r[k], e) < 0)
			return -1;
		if (cpu)
			*cpu += cpu_now() - t0;
	}
	return 0;
}

/* The parts of unit i's results r (NULL where it has no table), in
 * position order; returns how many. */
static size_t parts_of(const struct ev *v, kp_result *const *r, kp_part *p)
{
	size_t n = 0;
	for (size_t k = 0; k < v->ntables; k++) {
		if (!r[k])
			continue;
		p[n].label = v->round.tables[k].label;
		p[n].r = r[k];
		p[n].weight = v->round.tables[k].has_weight
				      ? v->round.tables[k].weight : kp_num_int(1);
		n++;
	}
	return n;
}

/* One scorer: the facts of its units arrive grouped by unit (the store's
 * order); each unit is scored when its last fact has been seen, so only
 * one unit's facts are held at a time.  Results go to the shared arrays
 * at the unit's index, which no other scorer touches. */
struct collect {
	struct ev *v;
	kp_scorer *const *sc;     /* each table indexed once, shared */
	kp_facts fs;              /* strings in arena, as offsets until flush */
	kp_facts sub;             /* one table's facts of the unit, borrowed */
	kp_buf arena;
	long unit;                /* index of the unit collected, -1 none */
	kp_store_result *res;     /* per unit, shared */
	char **outcomes, **converts;
	kp_store_part *parts;     /* per unit × table (several tables), shared */
	char **poutcomes;         /* their outcomes, likewise */
	bool *done;
	bool reg;
	int64_t max_seq;
	double engine_s;          /* CPU time inside the engine */
	kp_err e;
};

/* A unit's fact strings are copied into one growing buffer (one copy, no
 * allocation per string); until the unit is complete a fact holds each
 * string's offset + 1 in place of the pointer, and 0 for "" (the lean
 * read's provenance: nothing to copy). */
static char *arena_put(kp_buf *a, const char *str)
{
	size_t off = a->len;
	if (!*str)
		return NULL;
	kp_buf_add(a, str, strlen(str) + 1);
	return (char *)(uintptr_t)(off + 1);
}

static char *arena_ptr(const kp_buf *a, const char *off)
{
	return off ? a->data + ((uintptr_t)off - 1) : (char *)"";
}

/* Unit i's combined result from its per-table results r, into c->res[i]
 * and its parts. */
static int combine_unit(struct collect *c, size_t i, kp_result *const *r)
{
	struct ev *v = c->v;
	kp_part p[KP_SCHEME_MAX_TABLES];
	size_t n = parts_of(v, r, p);
	kp_store_part *sp = &c->parts[i * v->ntables];
	kp_num total;
	kp_err sub;
	if (kp_combine_parts(v->combine, p, n, &total, NULL, &sub) < 0)
		return kp_fail(&c->e, sub.code, "单位“%s”：%s", v->names[i],
			       sub.msg);
	c->res[i].unit = v->names[i];
	c->res[i].total = total;
	c->res[i].has_self = false;
	c->res[i].outcome = "";
	for (size_t k = 0, m = 0; k < v->ntables; k++) {
		kp_store_part *t = &sp[m];
		if (!r[k])
			continue;
		t->pos = (int64_t)k;
		t->total = r[k]->total;
		t->has_self = r[k]->has_self;
		t->self_total = r[k]->self_total;
		t->vetoed = kp_result_any_veto(r[k]);
		c->poutcomes[i * v->ntables + m] = kp_xstrdup(r[k]->outcome);
		t->outcome = c->poutcomes[i * v->ntables + m];
		/* the table's own "deduct:2": lives as long as v */
		t->convert = r[k]->has_convert ? kp_table_get(v->tables[k], "convert")
					       : "";
		t->converted = r[k]->converted;
		t->value = kp_part_value(v->combine, r[k]);
		if (t->vetoed)
			c->res[i].vetoed = true;
		m++;
	}
	c->res[i].parts = sp;
	c->res[i].nparts = n;
	return 0;
}

static int flush_unit(struct collect *c)
{
	kp_result *r[KP_SCHEME_MAX_TABLES] = { NULL };
	long i = c->unit;
	int rc = -1;
	if (i < 0)
		return 0;
	/* offsets into the arena become pointers now that it has stopped
	 * growing for this unit */
	for (size_t k = 0; k < c->fs.n; k++) {
		kp_fact *f = &c->fs.v[k];
		f->unit = c->v->names[i];
		f->indicator = arena_ptr(&c->arena, f->indicator);
		f->name = arena_ptr(&c->arena, f->name);
		f->author = arena_ptr(&c->arena, f->author);
		f->time = arena_ptr(&c->arena, f->time);
		f->url = arena_ptr(&c->arena, f->url);
		f->note = arena_ptr(&c->arena, f->note);
	}
	/* each of the unit's tables on its own facts (one, mostly); totals
	 * only: no reasons are written */
	if (score_tables(c->v, c->sc, KP_SCORE_TOTALS, (size_t)i, &c->fs,
			 &c->sub, c->reg, r, &c->engine_s, &c->e) < 0)
		goto out;
	if (c->v->ntables > 1) {
		if (combine_unit(c, (size_t)i, r) < 0)
			goto out;
	} else {
		c->res[i].unit = c->v->names[i];
		c->res[i].total = r[0]->total;
		c->res[i].has_self = r[0]->has_self;
		c->res[i].self_total = r[0]->self_total;
		c->res[i].vetoed = r[0]->vetoed;
		c->outcomes[i] = kp_xstrdup(r[0]->outcome);
		c->res[i].outcome = c->outcomes[i];
		if (r[0]->has_convert) {
			c->converts[i] = kp_xstrdup(r[0]->convert);
			c->res[i].convert = c->converts[i];
			c->res[i].converted = r[0]->converted;
		}
	}
	c->done[i] = true;
	rc = 0;
out:
	for (size_t k = 0; k < c->v->ntables; k++)
		kp_result_free(r[k]);
	c->fs.n = 0;              /* keep the memory for the next unit */
	kp_buf_reset(&c->arena);
	c->unit = -1;
	return rc;
}

static int collect_fact(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	struct collect *c = ctx;
	long u;
	if (seq > c->max_seq)
		c->max_seq = seq;
	if (c->unit < 0 || strcmp(c->v->names[c->unit], f->unit)) {
		if (flush_unit(c) < 0) {
			*e = c->e;
			return -1;
		}
		u = find_unit(c->v, f->unit);
		if (u < 0)
			return kp_fail(e, KP_EINTERNAL, "事实的单位“%s”不在轮次中", f->unit);
		c->unit = u;
	}
	if (c->fs.n == c->fs.cap) {
		c->fs.cap = c->fs.cap ? c->fs.cap * 2 : 256;
		c->fs.v = kp_xrealloc(c->fs.v, c->fs.cap * sizeof(*c->fs.v));
	}
	{
		kp_fact *d = &c->fs.v[c->fs.n++];
		long k = table_index(c->v, f->table);
		if (k < 0)
			return kp_fail(e, KP_EINTERNAL, "事实的表“%s”不在轮次中", f->table);
		*d = *f;
		d->table = c->v->round.tables[k].table_id;   /* lives as long as v */
		d->indicator = arena_put(&c->arena, f->indicator);
		d->name = arena_put(&c->arena, f->name);
		d->author = arena_put(&c->arena, f->author);
		d->time = arena_put(&c->arena, f->time);
		d->url = arena_put(&c->arena, f->url);
		d->note = arena_put(&c->arena, f->note);
	}
	return 0;
}

static void collect_release(struct collect *c)
{
	free(c->fs.v);
	memset(&c->fs, 0, sizeof(c->fs));
	free(c->sub.v);
	memset(&c->sub, 0, sizeof(c->sub));
	kp_buf_release(&c->arena);
}

struct worker {
	struct collect c;
	const char *conn;
	int part, nparts;
	int rc;
	pthread_t th;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	kp_store *db;
	w->rc = -1;
	if (kp_store_open(w->conn, 0, &db, &w->c.e) < 0)
		return NULL;
	if (kp_store_facts_each_part(db, w->c.v->round.id, w->part, w->nparts,
				     KP_FACTS_LEAN, collect_fact, &w->c,
				     &w->c.e) == 0 &&
	    flush_unit(&w->c) == 0)
		w->rc = 0;
	collect_release(&w->c);
	kp_store_close(db);
	return NULL;
}

/* How many scorers: KP_THREADS, else one per processor (at most 8) once
 * the round is big enough to pay for the extra connections. */
static int scorers(size_t nunits)
{
	const char *env = getenv("KP_THREADS");
	long n = env && *env ? kp_digits(env, env + strlen(env), 256) : sysconf(_SC_NPROCESSORS_ONLN);
	if (!(env && *env) && nunits < 2000)
		n = 1;
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* Competition ranking by total, highest first (1, 2, 2, 4), ties in the
 * round's unit order: kp_rank's rule. */
static void rank_results(kp_store_result *v, size_t n)
{
	kp_num *totals = kp_xcalloc(n ? n : 1, sizeof(kp_num));
	size_t *order = kp_xcalloc(n ? n : 1, sizeof(size_t));
	size_t *rank = kp_xcalloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		totals[i] = v[i].total;
	kp_rank_totals(totals, n, order, rank);
	for (size_t i = 0; i < n; i++)
		v[i].rank = (int64_t)rank[i];
	free(totals);
	free(order);
	free(rank);
}

int cmd_eval_score(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ev v;
	struct worker ws[8];
	struct collect base;
	kp_scorer *sc[KP_SCHEME_MAX_TABLES] = { NULL };
	kp_err e;
	int r, ret = KP_EXIT_USAGE, nw;
	int64_t max_seq = 0;
	const char *who;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval score 不接受参数“%s”", a.pos[0]);
	who = cli_author(cmd, &a);
	if ((r = ev_open(cmd, &a, &v)))
		return r;
	if ((r = check_table(&v, who))) {
		ev_release(&v);
		return r;
	}
	memset(&base, 0, sizeof(base));
	base.v = &v;
	base.unit = -1;
	base.reg = needs_registry(&v);
	scorers_new(&v, sc);
	base.sc = sc;
	base.res = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(*base.res));
	base.outcomes = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(char *));
	base.converts = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(char *));
	base.done = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(bool));
	if (v.ntables > 1) {
		base.parts = kp_xcalloc(v.nunits * v.ntables + 1, sizeof(*base.parts));
		base.poutcomes = kp_xcalloc(v.nunits * v.ntables + 1, sizeof(char *));
	}
	nw = scorers(v.nunits);
	if (nw == 1) {
		/* totals only: the facts' provenance is not needed */
		if (kp_store_facts_each_part(v.db, v.round.id, 0, 1, KP_FACTS_LEAN,
					     collect_fact, &base, &e) < 0)
			goto fail;
		if (flush_unit(&base) < 0) {
			e = base.e;
			goto fail;
		}
		max_seq = base.max_seq;
	} else {
		int started = 0;
		for (int k = 0; k < nw; k++) {
			ws[k].c = base;
			ws[k].conn = cli_db_conn(cmd, &a);
			ws[k].part = k;
			ws[k].nparts = nw;
			ws[k].rc = -1;
			if (pthread_create(&ws[k].th, NULL, work, &ws[k]) != 0)
				break;
			started++;
		}
		for (int k = 0; k < started; k++)
			pthread_join(ws[k].th, NULL);
		for (int k = 0; k < nw; k++) {
			if (k >= started) {
				kp_fail(&e, KP_EIO, "无法启动计分线程");
				goto fail;
			}
			if (ws[k].rc < 0) {
				e = ws[k].c.e;
				goto fail;
			}
			if (ws[k].c.max_seq > max_seq)
				max_seq = ws[k].c.max_seq;
		}
	}
	/* units without facts are scored too: everything pending */
	for (size_t i = 0; i < v.nunits; i++) {
		if (base.done[i])
			continue;
		base.unit = (long)i;
		if (flush_unit(&base) < 0) {
			e = base.e;
			goto fail;
		}
	}
	{
		double t0 = cpu_now(), t1;
		rank_results(base.res, v.nunits);
		if (kp_store_results_put(v.db, v.round.id, max_seq, base.res,
					 v.nunits, who, &e) < 0)
			goto fail;
		t1 = cpu_now();
		if (getenv("KP_TIMING")) {
			double eng = base.engine_s, all = 0;
			struct timespec ts;
			for (int k = 0; nw > 1 && k < nw; k++)
				eng += ws[k].c.engine_s;
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
			all = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
			fprintf(stderr, "kaoping: 计时：%d 个计分线程；CPU 共 %.2f s，其中评分引擎 %.2f s，排名和写回结果 %.2f s，其余（读事实、复制）%.2f s\n",
				nw, all, eng, t1 - t0, all - eng - (t1 - t0));
		}
	}
	printf("已计分：轮次“%s”，%zu 个单位，依据 %lld 条事实（kaoping eval rank 查看排名）\n",
	       v.round.name, v.nunits, (long long)v.round.nfacts);
	ret = KP_EXIT_OK;
	goto out;
fail:
	ret = cli_error(&e);
out:
	collect_release(&base);
	for (size_t i = 0; i < v.nunits; i++) {
		free(base.outcomes[i]);
		free(base.converts[i]);
	}
	for (size_t i = 0; base.poutcomes && i < v.nunits * v.ntables; i++)
		free(base.poutcomes[i]);
	free(base.poutcomes);
	free(base.parts);
	free(base.outcomes);
	free(base.converts);
	free(base.res);
	free(base.done);
	scorers_free(&v, sc);
	ev_release(&v);
	return ret;
}

/* ---- eval show ------------------------------------------------------- */

static int copy_fact(void *ctx, const kp_fact *f, int64_t seq, kp_err *e)
{
	(void)seq;
	(void)e;
	kp_facts_add(ctx, f);
	return 0;
}

static int stored_row(void *ctx, const kp_store_result *r, kp_err *e)
{
	(void)e;
	*(int64_t *)ctx = r->rank;
	return 0;
}

static void show_text(const kp_result *r, const char *round, int64_t rank,
		      size_t nunits)
{
	char b1[32], b2[32], b3[32], b4[32];
	printf("%s（%s）  轮次：%s\n单位：%s%s%s%s\n", r->title, r->table_id,
	       round, r->unit, *r->unit_type ? "（" : "", r->unit_type,
	       *r->unit_type ? "）" : "");
	cli_pad(stdout, "编号", 10);
	cli_pad(stdout, "分值", 8);
	cli_pad(stdout, "自评分", 8);
	cli_pad(stdout, "考核分", 8);
	cli_pad(stdout, "得分", 16);
	printf("指标\n");
	for (size_t i = 0; i < r->nnodes; i++) {
		const kp_rnode *n = &r->nodes[i];
		kp_buf sc = KP_BUF_INIT;
		cli_pad(stdout, n->node->code, 10);
		cli_pad(stdout, n->node->rule == KP_RULE_MINUS ? "扣分项"
				: n->node->rule == KP_RULE_VETO ? "否决项"
				: kp_num_str(n->max, b1), 8);
		cli_pad(stdout, n->has_self ? kp_num_fmt2(n->self, b2) : "—", 8);
		cli_pad(stdout, n->has_assessor ? kp_num_fmt2(n->assessor, b3) : "—", 8);
		if (!n->applies)
			kp_buf_adds(&sc, "不适用");
		else if (n->node->rule == KP_RULE_VETO)
			kp_buf_adds(&sc, n->vetoed || n->has_assessor ? "触发" : "—");
		else
			kp_buf_addf(&sc, "%s%s%s", kp_num_fmt2(n->score, b4),
				    n->pending ? "（未评）" : "",
				    n->vetoed ? "（否决）" : "");
		cli_pad(stdout, sc.data, 16);
		kp_buf_release(&sc);
		for (int l = 1; l < n->node->level; l++)
			fputs("  ", stdout);
		printf("%s\n", n->node->name);
	}
	printf("合计：%s / %s", kp_num_fmt2(r->total, b1), kp_num_str(r->max, b2));
	if (r->has_self)
		printf("（自评 %s）", kp_num_fmt2(r->self_total, b3));
	if (*r->outcome)
		printf("，%s", r->outcome);
	if (r->has_convert)
		printf("；折算%s %s 分", !strncmp(r->convert, "deduct:", 7) ? "扣" : "得",
		       kp_num_fmt2(r->converted, b4));
	if (rank > 0)
		printf("；名次 %lld / %zu", (long long)rank, nunits);
	putchar('\n');
}

/* A unit of a round of several tables: each table's sheet (or its
 * explanation), then the combination line. */
static json_t *scheme_json(const struct ev *v, size_t u, kp_result *const *r,
			   const char *combination, const kp_num *total)
{
	json_t *o = json_object(), *tabs = json_array(), *nodes = json_array();
	char buf[40];
	json_object_set_new(o, "unit", json_string(v->names[u]));
	json_object_set_new(o, "unit_type", json_string(v->types[u]));
	json_object_set_new(o, "scheme", json_string(v->round.scheme));
	json_object_set_new(o, "combine", json_string(v->round.combine));
	json_object_set_new(o, "total", json_string(kp_num_fmt2(*total, buf)));
	json_object_set_new(o, "self_total", json_null());
	json_object_set_new(o, "combination", json_string(combination));
	for (size_t k = 0; k < v->ntables; k++) {
		json_t *t, *tn;
		size_t i;
		json_t *n;
		if (!r[k])
			continue;
		t = kp_result_json(r[k]);
		tn = json_incref(json_object_get(t, "nodes"));
		json_object_del(t, "nodes");
		json_object_del(t, "unit");
		json_object_del(t, "unit_type");
		json_object_set_new(t, "label", json_string(v->round.tables[k].label));
		json_object_set_new(t, "value", json_string(
			kp_num_fmt2(kp_part_value(v->combine, r[k]), buf)));
		if (v->round.tables[k].has_weight)
			json_object_set_new(t, "weight", json_string(
				kp_num_str(v->round.tables[k].weight, buf)));
		json_array_foreach(tn, i, n) {
			json_object_set_new(n, "table", json_string(r[k]->table_id));
			json_array_append(nodes, n);
		}
		json_decref(tn);
		json_array_append_new(tabs, t);
	}
	json_object_set_new(o, "tables", tabs);
	json_object_set_new(o, "nodes", nodes);
	return o;
}

int cmd_eval_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ev v;
	kp_facts fs = KP_FACTS_INIT, sub = KP_FACTS_INIT;
	kp_result *res[KP_SCHEME_MAX_TABLES] = { NULL };
	kp_part parts[KP_SCHEME_MAX_TABLES];
	kp_buf comb = KP_BUF_INIT, ex = KP_BUF_INIT;
	kp_num total;
	kp_err e;
	long u;
	int64_t rank = 0;
	bool stale, several;
	int r, ret = KP_EXIT_USAGE;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("eval show 需要一个单位名称（或别名）");
	if ((r = ev_open(cmd, &a, &v)))
		return r;
	u = find_unit(&v, a.pos[0]);
	if (u < 0) {
		ret = cli_usage_error("单位“%s”不在轮次“%s”中", a.pos[0], v.round.name);
		goto out;
	}
	if (kp_store_facts_each(v.db, v.round.id, v.names[u], copy_fact, &fs, &e) < 0 ||
	    score_tables(&v, NULL, 0, (size_t)u, &fs, &sub, true, res, NULL, &e) < 0 ||
	    kp_store_results_each(v.db, v.round.id, v.names[u], stored_row, &rank, &e) < 0)
		goto fail;
	several = v.ntables > 1;
	if (several) {
		size_t np = parts_of(&v, res, parts);
		kp_err sub_e;
		if (kp_combine_parts(v.combine, parts, np, &total, &comb, &sub_e) < 0) {
			kp_fail(&e, sub_e.code, "单位“%s”：%s", v.names[u], sub_e.msg);
			goto fail;
		}
		if (comb.len && comb.data[comb.len - 1] == '\n')
			comb.data[--comb.len] = '\0';
	}
	stale = v.round.scored_seq != v.round.last_seq;
	if (cli_get(cmd, &a, "explain")) {
		for (size_t k = 0; k < v.ntables; k++) {
			if (!res[k])
				continue;
			if (ex.len)
				kp_buf_addc(&ex, '\n');
			if (several)
				kp_buf_addf(&ex, "【%s】", v.round.tables[k].label);
			kp_result_explain(res[k], &ex);
		}
		if (several)
			kp_buf_addf(&ex, "\n合并（方案 %s，%s）：%s\n", v.round.scheme,
				    v.round.combine, comb.data);
	}
	if (cli_get(cmd, &a, "json")) {
		json_t *o = several ? scheme_json(&v, (size_t)u, res, comb.data, &total)
				    : kp_result_json(res[0]);
		json_object_set_new(o, "round", json_string(v.round.name));
		json_object_set_new(o, "rank", rank > 0 && !stale ? json_integer(rank)
							    : json_null());
		json_object_set_new(o, "units", json_integer((json_int_t)v.nunits));
		if (cli_get(cmd, &a, "explain"))
			json_object_set_new(o, "explain", json_string(ex.data ? ex.data : ""));
		cli_print_json(o);
	} else if (cli_get(cmd, &a, "explain")) {
		fputs(ex.data ? ex.data : "", stdout);
	} else if (!several) {
		show_text(res[0], v.round.name, stale ? 0 : rank, v.nunits);
	} else {
		for (size_t k = 0; k < v.ntables; k++) {
			if (!res[k])
				continue;
			printf("【%s】", v.round.tables[k].label);
			show_text(res[k], v.round.name, 0, v.nunits);
			putchar('\n');
		}
		printf("方案 %s 合计：%s", v.round.scheme, comb.data);
		if (rank > 0 && !stale)
			printf("；名次 %lld / %zu", (long long)rank, v.nunits);
		putchar('\n');
	}
	if (stale && v.round.scored_seq >= 0)
		fprintf(stderr, "kaoping: 计分之后又登记了事实，名次未显示（运行 kaoping eval score 更新）\n");
	ret = KP_EXIT_OK;
	goto out;
fail:
	ret = cli_error(&e);
out:
	for (size_t k = 0; k < v.ntables; k++)
		kp_result_free(res[k]);
	free(sub.v);
	kp_buf_release(&comb);
	kp_buf_release(&ex);
	kp_facts_release(&fs);
	ev_release(&v);
	return ret;
}

/* ---- eval rank ------------------------------------------------------- */

/* The per-table results of a round of several tables, by unit name. */
struct part_row {
	char *unit;
	kp_store_part p;
	char *outcome, *convert;
};

struct rank_ctx {
	json_t *arr;
	size_t n;
	const kp_round *rd;
	struct part_row *parts;       /* sorted by unit, then position */
	size_t nparts;
	const char **labels;          /* distinct labels, in table order */
	size_t nlabels;
	kp_combine_rule combine;
};

static int part_row_collect(void *ctx, const char *unit,
			    const kp_store_part *p, kp_err *e)
{
	struct rank_ctx *rc = ctx;
	struct part_row *pr;
	(void)e;
	rc->parts = kp_xrealloc(rc->parts, (rc->nparts + 1) * sizeof(*rc->parts));
	pr = &rc->parts[rc->nparts++];
	pr->unit = kp_xstrdup(unit);
	pr->p = *p;
	pr->outcome = kp_xstrdup(p->outcome ? p->outcome : "");
	pr->convert = kp_xstrdup(p->convert ? p->convert : "");
	pr->p.outcome = pr->outcome;
	pr->p.convert = pr->convert;
	return 0;
}

static int part_cmp(const void *a, const void *b)
{
	const struct part_row *x = a, *y = b;
	int c = strcmp(x->unit, y->unit);
	return c ? c : (x->p.pos > y->p.pos) - (x->p.pos < y->p.pos);
}

/* The first part of unit, or NULL; its others follow it. */
static const struct part_row *parts_find(const struct rank_ctx *rc,
					 const char *unit)
{
	size_t lo = 0, hi = rc->nparts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(rc->parts[mid].unit, unit) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rc->nparts && !strcmp(rc->parts[lo].unit, unit)
		       ? &rc->parts[lo] : NULL;
}

static void rank_ctx_release(struct rank_ctx *rc)
{
	for (size_t i = 0; i < rc->nparts; i++) {
		free(rc->parts[i].unit);
		free(rc->parts[i].outcome);
		free(rc->parts[i].convert);
	}
	free(rc->parts);
	free(rc->labels);
}

/* A part as shown in the ranking: signed converted points under sum. */
static const char *part_cell(const struct rank_ctx *rc, const kp_store_part *p,
			     char *buf)
{
	if (rc->combine == KP_COMBINE_SUM)
		return kp_num_fmt2_signed(p->value, !strncmp(p->convert, "deduct:", 7),
					  buf);
	return kp_num_fmt2(p->value, buf);
}

static void rank_parts(const struct rank_ctx *rc, const char *unit, json_t *o)
{
	const struct part_row *pr = parts_find(rc, unit);
	json_t *arr = o ? json_array() : NULL;
	char buf[40];
	for (size_t l = 0; l < rc->nlabels; l++) {
		const struct part_row *hit = NULL;
		for (const struct part_row *q = pr;
		     q && q < rc->parts + rc->nparts && !strcmp(q->unit, unit); q++)
			if ((size_t)q->p.pos < rc->rd->ntables &&
			    !strcmp(rc->rd->tables[q->p.pos].label, rc->labels[l]))
				hit = q;
		if (o && hit) {
			json_t *t = json_object();
			const kp_round_table *rt = &rc->rd->tables[hit->p.pos];
			json_object_set_new(t, "table", json_string(rt->table_id));
			json_object_set_new(t, "label", json_string(rt->label));
			json_object_set_new(t, "total", jnum(hit->p.total));
			json_object_set_new(t, "self_total", hit->p.has_self
					    ? jnum(hit->p.self_total) : json_null());
			json_object_set_new(t, "convert", *hit->p.convert
					    ? json_string(hit->p.convert) : json_null());
			json_object_set_new(t, "converted", *hit->p.convert
					    ? jnum(hit->p.converted) : json_null());
			json_object_set_new(t, "value", jnum(hit->p.value));
			json_object_set_new(t, "vetoed", json_boolean(hit->p.vetoed));
			json_object_set_new(t, "outcome", json_string(hit->p.outcome));
			json_array_append_new(arr, t);
		} else if (!o) {
			kp_buf cell = KP_BUF_INIT;
			if (hit)
				kp_buf_addf(&cell, "%s%s", part_cell(rc, &hit->p, buf),
					    hit->p.vetoed ? "（否决）" : "");
			cli_pad(stdout, hit ? cell.data : "—", 14);
			kp_buf_release(&cell);
		}
	}
	if (o)
		json_object_set_new(o, "parts", arr);
}

static int rank_row(void *ctx, const kp_store_result *r, kp_err *e)
{
	struct rank_ctx *rc = ctx;
	char b1[40], b2[32], buf[32];
	bool several = rc->rd->ntables > 1;
	(void)e;
	rc->n++;
	if (rc->arr) {
		json_t *o = json_object();
		json_object_set_new(o, "rank", json_integer(r->rank));
		json_object_set_new(o, "unit", json_string(r->unit));
		json_object_set_new(o, "total", jnum(r->total));
		json_object_set_new(o, "self_total",
				    r->has_self ? jnum(r->self_total) : json_null());
		json_object_set_new(o, "vetoed", json_boolean(r->vetoed));
		json_object_set_new(o, "outcome", json_string(r->outcome));
		json_object_set_new(o, "convert", *r->convert ? json_string(r->convert)
							     : json_null());
		json_object_set_new(o, "converted", *r->convert ? jnum(r->converted)
							       : json_null());
		if (several)
			rank_parts(rc, r->unit, o);
		json_array_append_new(rc->arr, o);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)r->rank);
	cli_pad(stdout, buf, 6);
	cli_pad(stdout, r->unit, 30);
	if (several) {
		cli_pad(stdout, rc->combine == KP_COMBINE_SUM
				? kp_num_fmt2_signed(r->total, false, b1)
				: kp_num_fmt2(r->total, b1), 10);
		rank_parts(rc, r->unit, NULL);
		printf("%s\n", r->vetoed ? "有否决" : "");
		return 0;
	}
	cli_pad(stdout, kp_num_fmt2(r->total, b1), 10);
	cli_pad(stdout, r->has_self ? kp_num_fmt2(r->self_total, b2) : "—", 10);
	if (*r->convert) {
		kp_buf cv = KP_BUF_INIT;
		kp_buf_addf(&cv, "%s%s", !strncmp(r->convert, "deduct:", 7) ? "扣" : "得",
			    kp_num_fmt2(r->converted, b2));
		cli_pad(stdout, cv.data, 10);
		kp_buf_release(&cv);
	}
	printf("%s%s\n", r->outcome, r->vetoed ? "（一票否决）" : "");
	return 0;
}

int cmd_eval_rank(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_round rd;
	kp_err e;
	struct rank_ctx rc;
	bool json, stale, rd_has_convert = false, several;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval rank 不接受参数“%s”", a.pos[0]);
	json = cli_get(cmd, &a, "json") != NULL;
	if ((r = cli_open_store(cmd, &a, 0, &db)))
		return r;
	if (kp_store_round_get(db, cli_get(cmd, &a, "round"), &rd, &e) < 0) {
		kp_store_close(db);
		return cli_error(&e);
	}
	memset(&rc, 0, sizeof(rc));
	rc.rd = &rd;
	several = rd.ntables > 1;
	if (rd.scored_seq < 0) {
		r = cli_usage_error("轮次“%s”还没有计分（先运行 kaoping eval score）", rd.name);
		goto out;
	}
	stale = rd.scored_seq != rd.last_seq;
	if (several) {
		if (kp_combine_rule_parse(rd.combine, &rc.combine) < 0)
			rc.combine = KP_COMBINE_NONE;
		if (kp_store_parts_each(db, rd.id, NULL, part_row_collect, &rc, &e) < 0) {
			r = cli_error(&e);
			goto out;
		}
		if (rc.nparts)
			qsort(rc.parts, rc.nparts, sizeof(*rc.parts), part_cmp);
		rc.labels = kp_xcalloc(rd.ntables, sizeof(char *));
		for (size_t k = 0; k < rd.ntables; k++) {
			bool seen = false;
			for (size_t l = 0; l < rc.nlabels; l++)
				seen |= !strcmp(rc.labels[l], rd.tables[k].label);
			if (!seen)
				rc.labels[rc.nlabels++] = rd.tables[k].label;
		}
	} else {
		kp_buf text = KP_BUF_INIT;
		kp_table *t;
		if (kp_store_round_table(db, rd.id, 0, &text, &e) == 0 &&
		    kp_table_parse(rd.table_id, text.data, text.len, &t, &e) == 0) {
			const char *cv = kp_table_get(t, "convert");
			rd_has_convert = cv && *cv;
			kp_table_free(t);
		}
		kp_buf_release(&text);
	}
	if (json) {
		rc.arr = json_array();
	} else {
		if (several)
			printf("轮次“%s”（方案 %s，合并规则 %s）排名\n", rd.name, rd.scheme,
			       rd.combine);
		else
			printf("轮次“%s”（%s）排名\n", rd.name, rd.table_id);
		cli_pad(stdout, "名次", 6);
		cli_pad(stdout, "单位", 30);
		if (several) {
			cli_pad(stdout, "合计", 10);
			for (size_t l = 0; l < rc.nlabels; l++)
				cli_pad(stdout, rc.labels[l], 14);
		} else {
			cli_pad(stdout, "得分", 10);
			cli_pad(stdout, "自评分", 10);
			if (rd_has_convert)
				cli_pad(stdout, "折算", 10);
		}
		printf("结果\n");
	}
	if (kp_store_results_each(db, rd.id, NULL, rank_row, &rc, &e) < 0) {
		json_decref(rc.arr);
		r = cli_error(&e);
		goto out;
	}
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "round", json_string(rd.name));
		json_object_set_new(o, "table", json_string(rd.table_id));
		if (several) {
			json_object_set_new(o, "scheme", json_string(rd.scheme));
			json_object_set_new(o, "combine", json_string(rd.combine));
		}
		json_object_set_new(o, "current", json_boolean(!stale));
		json_object_set_new(o, "results", rc.arr);
		cli_print_json(o);
	}
	if (stale)
		fprintf(stderr, "kaoping: 计分之后又登记了 %lld 条事实，排名不是最新的（运行 kaoping eval score 更新）\n",
			(long long)(rd.last_seq - rd.scored_seq));
	r = KP_EXIT_OK;
out:
	rank_ctx_release(&rc);
	kp_round_release(&rd);
	kp_store_close(db);
	return r;
}

/* ---- eval log -------------------------------------------------------- */

static int log_row(void *ctx, const kp_audit *au, kp_err *e)
{
	json_t *arr = ctx;
	(void)e;
	if (arr) {
		json_t *o = json_object();
		json_object_set_new(o, "at", json_string(au->at));
		json_object_set_new(o, "who", json_string(au->who));
		json_object_set_new(o, "round", json_string(au->round));
		json_object_set_new(o, "action", json_string(au->action));
		json_object_set_new(o, "detail", json_string(au->detail));
		json_array_append_new(arr, o);
	} else {
		printf("%s  %s  %s  %s\n", au->at, au->who, au->action, au->detail);
	}
	return 0;
}

int cmd_eval_log(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_round rd;
	kp_err e;
	json_t *arr = NULL;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval log 不接受参数“%s”", a.pos[0]);
	if ((r = cli_open_store(cmd, &a, 0, &db)))
		return r;
	memset(&rd, 0, sizeof(rd));
	if (cli_get(cmd, &a, "round") &&
	    kp_store_round_get(db, cli_get(cmd, &a, "round"), &rd, &e) < 0) {
		kp_store_close(db);
		return cli_error(&e);
	}
	if (cli_get(cmd, &a, "json"))
		arr = json_array();
	r = kp_store_audit_each(db, rd.id, log_row, arr, &e);
	kp_round_release(&rd);
	kp_store_close(db);
	if (r < 0) {
		json_decref(arr);
		return cli_error(&e);
	}
	return arr ? cli_print_json(arr) : 0;
}
