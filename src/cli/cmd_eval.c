/* kaoping eval … — evaluation rounds kept in the store (src/store): create
 * a round, add facts, score, show one unit, rank, read the audit log.
 *
 * Every command opens the store named by --db, else $KAOPING_DB, else
 * ./kaoping.db, and works on the round named by --round, else the newest.
 * The round scores with the table text it was created with (its scheme);
 * a table whose source changed after facts were recorded is refused. */
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
#define DEFAULT_DB "kaoping.db"

/* ---- option tables (rows of the command table in main.c) ------------- */

#define OPT_DB { "db", 0, "数据库", "SQLite 文件或 PostgreSQL 连接串（默认 $KAOPING_DB，否则 ./kaoping.db）" }
#define OPT_ROUND { "round", 'r', "名称", "轮次（默认最新的轮次）" }
#define OPT_AUTHOR { "author", 0, "姓名", "记入审计日志的操作人（默认 $USER）" }
#define OPT_JSON { "json", 0, NULL, "以 JSON 输出" }
#define OPT_END { NULL, 0, NULL, NULL }

const struct cli_opt eval_new_opts[] = {
	{ "table", 't', "ID|文件", "指标表：内置表 id 或规范格式的文件（必填）" },
	{ "units", 'u', "ID|文件", "单位名录（默认表的 #meta,registry）" },
	{ "name", 0, "名称", "轮次名称（默认“年度-表id”）" },
	{ "period", 0, "期间", "年度或季度，如 2016、2016Q3（默认表的年度）" },
	OPT_DB, OPT_AUTHOR, OPT_END,
};
const struct cli_opt eval_list_opts[] = { OPT_DB, OPT_JSON, OPT_END };
const struct cli_opt eval_add_opts[] = { OPT_DB, OPT_ROUND, OPT_AUTHOR, OPT_END };
const struct cli_opt eval_score_opts[] = { OPT_DB, OPT_ROUND, OPT_AUTHOR, OPT_END };
const struct cli_opt eval_show_opts[] = {
	OPT_DB, OPT_ROUND, OPT_JSON,
	{ "explain", 0, NULL, "逐项说明每个分数的来历（规则、事实、证据）" },
	OPT_END,
};
const struct cli_opt eval_rank_opts[] = { OPT_DB, OPT_ROUND, OPT_JSON, OPT_END };
const struct cli_opt eval_log_opts[] = { OPT_DB, OPT_ROUND, OPT_JSON, OPT_END };

/* ---- shared helpers -------------------------------------------------- */

static json_t *jnum(kp_num v)
{
	char buf[32];
	return json_string(kp_num_fmt2(v, buf));
}

static const char *db_conn(const struct cli_cmd *cmd, const struct cli_args *a)
{
	const char *db = cli_get(cmd, a, "db");
	if (!db || !*db)
		db = getenv("KAOPING_DB");
	return db && *db ? db : DEFAULT_DB;
}

static const char *author(const struct cli_cmd *cmd, const struct cli_args *a)
{
	const char *who = cli_get(cmd, a, "author");
	if (!who || !*who)
		who = getenv("USER");
	return who && *who ? who : "unknown";
}

/* A round opened for work: its store, its table, its units. */
struct ev {
	kp_store *db;
	kp_round round;
	kp_table *table;         /* the round's scheme */
	/* the round's units: names, and every spelling → index */
	char **names, **types, **tags, **aliases;
	size_t nunits, capunits;
	struct spelling {
		const char *s;
		size_t unit;
	} *sp;
	size_t nsp, capsp;
	kp_score_ctx ctx;
};

static void ev_release(struct ev *v)
{
	kp_score_ctx_release(&v->ctx);
	kp_table_free(v->table);
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

static int unit_row(void *ctx, const char *name, const char *type,
		    const char *aliases, const char *tags, kp_err *e)
{
	struct ev *v = ctx;
	(void)e;
	if (v->nunits == v->capunits) {
		v->capunits = v->capunits ? v->capunits * 2 : 64;
		v->names = kp_xrealloc(v->names, v->capunits * sizeof(char *));
		v->types = kp_xrealloc(v->types, v->capunits * sizeof(char *));
		v->tags = kp_xrealloc(v->tags, v->capunits * sizeof(char *));
		v->aliases = kp_xrealloc(v->aliases, v->capunits * sizeof(char *));
	}
	v->names[v->nunits] = kp_xstrdup(name);
	v->types[v->nunits] = kp_xstrdup(type);
	v->tags[v->nunits] = kp_xstrdup(tags);
	v->aliases[v->nunits] = kp_xstrdup(aliases);
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

static int open_store(const struct cli_cmd *cmd, const struct cli_args *a,
		      int flags, kp_store **db)
{
	kp_err e;
	if (kp_store_open(db_conn(cmd, a), flags, db, &e) < 0)
		return cli_error(&e);
	return 0;
}

/* Open the store, the round, its table and units; everything the
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
	if ((r = open_store(cmd, a, 0, &v->db)))
		return r;
	if (kp_store_round_get(v->db, cli_get(cmd, a, "round"), &v->round, &e) < 0 ||
	    kp_store_round_table(v->db, v->round.id, &text, &e) < 0)
		goto fail;
	snprintf(where, sizeof(where), "轮次“%s”的表 %s", v->round.name,
		 v->round.table_id);
	if (kp_table_parse(where, text.data, text.len, &v->table, &e) < 0)
		goto fail;
	kp_buf_release(&text);
	if (kp_store_units_each(v->db, v->round.id, unit_row, v, &e) < 0)
		goto fail;
	index_units(v);
	/* the quota and checklist tables the table's rules name.  Units
	 * come from the round, not from the table's #meta registry: a
	 * stand-in keeps kp_score_ctx_open from opening that (score_one
	 * and check_fact set the registry they need per call) */
	if (v->nunits && one_unit_registry(v, 0, &v->ctx.own_units, &e) < 0)
		goto fail;
	v->ctx.units = v->ctx.own_units;
	if (kp_score_ctx_open(&v->ctx, v->table, &e) < 0)
		goto fail;
	return 0;
fail:
	kp_buf_release(&text);
	r = cli_error(&e);
	ev_release(v);
	return r;
}

/* The round's table source, re-read: has it changed since the round was
 * made?  With facts recorded, a change is refused; without, the round
 * takes the new text.  Returns 0 or an exit status. */
static int check_table(struct ev *v, const char *who)
{
	kp_table *now;
	kp_buf text = KP_BUF_INIT;
	kp_err e;
	char hash[17];
	if (kp_table_open(v->round.table_source, &now, &e) < 0)
		return 0;   /* gone or unreadable: the stored scheme rules */
	kp_table_write(now, &text);
	kp_table_free(now);
	kp_store_hash(text.data, text.len, hash);
	if (!strcmp(hash, v->round.table_hash)) {
		kp_buf_release(&text);
		return 0;
	}
	if (v->round.nfacts > 0) {
		kp_buf_release(&text);
		return cli_usage_error("%s：表 %s 在本轮次登记事实之后被修改过（创建轮次时指纹 %s，现在 %s）；"
				       "已登记的事实按原表计分，不能混用。请恢复原表，或用 kaoping eval new 以修改后的表建新轮次",
				       v->round.table_source, v->round.table_id,
				       v->round.table_hash, hash);
	}
	if (kp_store_round_retable(v->db, v->round.id, text.data, hash, who, &e) < 0) {
		kp_buf_release(&text);
		return cli_error(&e);
	}
	fprintf(stderr, "kaoping: %s 已修改，轮次尚无事实，改用修改后的表（指纹 %s）\n",
		v->round.table_source, hash);
	kp_table_free(v->table);
	v->table = NULL;
	if (kp_table_parse(v->round.table_id, text.data, text.len, &v->table, &e) < 0) {
		kp_buf_release(&text);
		return cli_error(&e);
	}
	kp_buf_release(&text);
	return 0;
}

/* ---- eval new -------------------------------------------------------- */

/* Which units of the registry the table applies to (some first-level
 * indicator applies): keep[i].  A table without an applies column
 * applies to every unit.  Also checks the registry is one. */
static int units_applying(const kp_table *t, const kp_table *reg, bool **keep,
			  kp_err *e)
{
	kp_units *u;
	kp_score_ctx c;
	kp_facts none = KP_FACTS_INIT;
	bool any = false;
	int ret = -1;
	*keep = kp_xcalloc(reg->nrecs + 1, sizeof(bool));
	if (kp_units_from_table(reg, &u, e) < 0)
		return -1;
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
	kp_units_free(u);
	return ret;
}

int cmd_eval_new(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	const char *tsrc, *rsrc, *period, *name;
	kp_table *t = NULL, *reg = NULL;
	kp_buf text = KP_BUF_INIT, defname = KP_BUF_INIT;
	kp_store *db = NULL;
	kp_err e;
	int64_t id;
	int ret = KP_EXIT_USAGE;
	const char **names = NULL, **types = NULL, **aliases = NULL, **tags = NULL;
	bool *keep = NULL;
	size_t nunits = 0;
	char *abs_src = NULL;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval new 不接受参数“%s”（表用 --table 指明）", a.pos[0]);
	tsrc = cli_get(cmd, &a, "table");
	if (!tsrc)
		return cli_usage_error("eval new 需要 --table：内置表 id 或指标表文件（见 kaoping table list）");
	if (kp_table_open(tsrc, &t, &e) < 0)
		return cli_error(&e);
	/* a file (ids have no '/' or '.'): remember where it is, so the
	 * round finds it again from any directory */
	if (strpbrk(tsrc, "/.") && (abs_src = realpath(tsrc, NULL)))
		tsrc = abs_src;
	if (t->kind != KP_KIND_INDICATORS) {
		cli_usage_error("%s 是%s，不是指标表，不能用来考评", tsrc,
				kp_kind_label(t->kind));
		goto out;
	}
	rsrc = cli_get(cmd, &a, "units");
	if (!rsrc)
		rsrc = kp_table_get(t, "registry");
	if (!rsrc || !*rsrc) {
		cli_usage_error("表 %s 没有声明单位名录（#meta,registry），请用 --units 指明", tsrc);
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
	if (!period)
		period = kp_table_get(t, "year");
	if (!period)
		period = "";
	name = cli_get(cmd, &a, "name");
	if (!name) {
		kp_buf_addf(&defname, "%s%s%s", period, *period ? "-" : "",
			    kp_table_id(t));
		name = defname.data;
	}
	if (!*name) {
		cli_usage_error("轮次名称不能为空");
		goto out;
	}
	kp_table_write(t, &text);
	if (units_applying(t, reg, &keep, &e) < 0) {
		ret = cli_error(&e);
		goto out;
	}
	names = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	types = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	aliases = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	tags = kp_xcalloc(reg->nrecs + 1, sizeof(char *));
	for (size_t i = 0; i < reg->nrecs; i++) {
		const char *al = kp_record_cell(reg, i, "aliases");
		const char *tg = kp_record_cell(reg, i, "tags");
		if (!keep[i])
			continue;
		names[nunits] = kp_record_cell(reg, i, "name");
		types[nunits] = kp_record_cell(reg, i, "type");
		aliases[nunits] = al ? al : "";
		tags[nunits] = tg ? tg : "";
		nunits++;
	}
	if (!nunits) {
		cli_usage_error("名录 %s 中没有表 %s 适用的单位（见表的 applies 列）",
				rsrc, kp_table_id(t));
		goto out;
	}
	if (open_store(cmd, &a, KP_STORE_CREATE, &db)) {
		ret = KP_EXIT_USAGE;
		goto out;
	}
	{
		kp_round_spec sp = {
			.name = name, .period = period,
			.table_id = kp_table_id(t), .table_source = tsrc,
			.table_title = kp_table_get(t, "title"),
			.table_text = text.data, .registry = rsrc,
			.author = author(cmd, &a),
			.unit_names = names, .unit_types = types,
			.unit_aliases = aliases, .unit_tags = tags,
			.nunits = nunits,
		};
		if (kp_store_round_new(db, &sp, &id, &e) < 0) {
			ret = cli_error(&e);
			goto out;
		}
	}
	printf("已创建轮次“%s”：表 %s（%s），单位 %zu 个（%s", name,
	       kp_table_id(t), kp_table_get(t, "title"), nunits, rsrc);
	if (nunits < reg->nrecs)
		printf(" 中表适用的；另 %zu 个不适用", reg->nrecs - nunits);
	printf("），数据库 %s\n", kp_store_where(db));
	ret = KP_EXIT_OK;
out:
	free(abs_src);
	free(keep);
	free(names);
	free(types);
	free(aliases);
	free(tags);
	kp_store_close(db);
	kp_buf_release(&text);
	kp_buf_release(&defname);
	kp_table_free(t);
	kp_table_free(reg);
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
		cli_pad(stdout, r->table_id, 22);
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
	if ((r = open_store(cmd, &a, 0, &db)))
		return r;
	if (cli_get(cmd, &a, "json"))
		arr = json_array();
	else {
		cli_pad(stdout, "轮次", 28);
		cli_pad(stdout, "期间", 8);
		cli_pad(stdout, "表", 22);
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

/* Check one fact with the engine, naming file and line. */
static int check_fact(const struct ev *v, const char *file, const kp_fact *f,
		      kp_err *e)
{
	kp_facts one = { (kp_fact *)f, 1, 1 };
	kp_score_ctx c = v->ctx;
	kp_err sub;
	const char *msg;
	c.units = NULL;   /* the unit was resolved against the round already */
	if (kp_facts_check(v->table, &c, &one, &sub) == 0)
		return 0;
	/* the engine says "第N行: why"; we say "file:N: why" */
	msg = sub.msg;
	if (!strncmp(msg, "第", 3) && strstr(msg, "行: "))
		msg = strstr(msg, "行: ") + strlen("行: ");
	return kp_fail_at(e, KP_EINPUT, file, f->line, "%s", msg);
}

/* One fact of the file being added: checked, spelt the store's way and
 * written to the batch, then forgotten (a national file has 1.5 million). */
struct adding {
	const struct ev *v;
	kp_scorer *sc;
	const char *file;
	kp_store_batch *batch;
};

static int add_fact(void *ctx, kp_fact *f, kp_err *e)
{
	struct adding *ad = ctx;
	const struct ev *v = ad->v;
	long u = find_unit(v, f->unit);
	const kp_node *nd;
	if (u < 0)
		return kp_fail_at(e, KP_EINPUT, ad->file, f->line,
				  "单位“%s”不在轮次“%s”的单位名录（%s）中", f->unit,
				  v->round.name, v->round.registry);
	if (strcmp(f->unit, v->names[u])) {
		free(f->unit);
		f->unit = kp_xstrdup(v->names[u]);
	}
	if (check_fact(v, ad->file, f, e) < 0)
		return -1;
	/* one spelling per indicator in the store: its code */
	nd = kp_scorer_find(ad->sc, f->indicator);
	if (nd && strcmp(f->indicator, nd->code)) {
		free(f->indicator);
		f->indicator = kp_xstrdup(nd->code);
	}
	return kp_store_batch_add(ad->batch, f, e);
}

int cmd_eval_facts_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ev v;
	kp_buf data = KP_BUF_INIT;
	struct adding ad = { NULL, NULL, NULL, NULL };
	kp_err e;
	const char *file, *who;
	int r, ret = KP_EXIT_USAGE;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("eval facts add 需要一个事实文件（CSV 或 JSON，格式见 docs/facts.md）");
	file = a.pos[0];
	who = author(cmd, &a);
	if ((r = ev_open(cmd, &a, &v)))
		return r;
	if ((r = check_table(&v, who))) {
		ev_release(&v);
		return r;
	}
	if (kp_read_file(file, FACTS_FILE_MAX, &data, &e) < 0)
		goto fail;
	/* read, checked and written fact by fact in one transaction: all of
	 * the file goes in, or (first bad fact, or killed) none of it */
	ad.v = &v;
	ad.sc = kp_scorer_new(v.table);
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
	kp_scorer_free(ad.sc);
	kp_buf_release(&data);
	ev_release(&v);
	return ret;
}

/* ---- scoring one unit ------------------------------------------------ */

/* Does scoring need to know a unit's type, tags or aliases?  Only for
 * applies columns, quota tables and checklists; else the canonical name
 * the store keeps is all there is to know. */
static bool needs_registry(const kp_table *t)
{
	for (size_t i = 0; i < t->nnodes; i++)
		if (*t->nodes[i]->text[KP_T_APPLIES] ||
		    t->nodes[i]->rule == KP_RULE_TIERED ||
		    t->nodes[i]->rule == KP_RULE_CHECKLIST)
			return true;
	return false;
}

/* Score unit i on facts fs, with a one-unit registry when it matters;
 * through sc (the table indexed once, kp_scorer_unit's flags) if given. */
static int score_with(struct ev *v, const kp_scorer *sc, int flags, size_t i,
		      const kp_facts *fs, bool reg, kp_result **out, kp_err *e)
{
	kp_units *u = NULL;
	kp_score_ctx c = v->ctx;
	int r;
	if (reg && one_unit_registry(v, i, &u, e) < 0)
		return -1;
	c.units = u;
	r = sc ? kp_scorer_unit(sc, &c, v->names[i], fs, flags, out, e)
	       : kp_score_unit(v->table, &c, v->names[i], fs, out, e);
	kp_units_free(u);
	return r;
}

static int score_one(struct ev *v, size_t i, const kp_facts *fs, bool reg,
		     kp_result **out, kp_err *e)
{
	return score_with(v, NULL, 0, i, fs, reg, out, e);
}

/* One scorer: the facts of its units arrive grouped by unit (the store's
 * order); each unit is scored when its last fact has been seen, so only
 * one unit's facts are held at a time.  Results go to the shared arrays
 * at the unit's index, which no other scorer touches. */
struct collect {
	struct ev *v;
	const kp_scorer *sc;      /* v->table indexed, shared */
	kp_facts fs;              /* strings in arena, as offsets until flush */
	kp_buf arena;
	long unit;                /* index of the unit collected, -1 none */
	kp_store_result *res;     /* per unit, shared */
	char **outcomes, **converts;
	bool *done;
	bool reg;
	int64_t max_seq;
	double engine_s;          /* CPU time inside kp_score_unit */
	kp_err e;
};

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static int flush_unit(struct collect *c)
{
	kp_result *r;
	long i = c->unit;
	double t0;
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
	t0 = cpu_now();
	if (score_with(c->v, c->sc, KP_SCORE_TOTALS, (size_t)i, &c->fs, c->reg,
		       &r, &c->e) < 0)
		return -1;
	c->engine_s += cpu_now() - t0;
	c->res[i].unit = c->v->names[i];
	c->res[i].total = r->total;
	c->res[i].has_self = r->has_self;
	c->res[i].self_total = r->self_total;
	c->res[i].vetoed = r->vetoed;
	c->outcomes[i] = kp_xstrdup(r->outcome);
	c->res[i].outcome = c->outcomes[i];
	if (r->has_convert) {
		c->converts[i] = kp_xstrdup(r->convert);
		c->res[i].convert = c->converts[i];
		c->res[i].converted = r->converted;
	}
	c->done[i] = true;
	kp_result_free(r);
	c->fs.n = 0;              /* keep the memory for the next unit */
	kp_buf_reset(&c->arena);
	c->unit = -1;
	return 0;
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
		*d = *f;
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
	kp_scorer *sc;
	kp_err e;
	int r, ret = KP_EXIT_USAGE, nw;
	int64_t max_seq = 0;
	const char *who;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval score 不接受参数“%s”", a.pos[0]);
	who = author(cmd, &a);
	if ((r = ev_open(cmd, &a, &v)))
		return r;
	if ((r = check_table(&v, who))) {
		ev_release(&v);
		return r;
	}
	memset(&base, 0, sizeof(base));
	base.v = &v;
	base.unit = -1;
	base.reg = needs_registry(v.table);
	base.sc = sc = kp_scorer_new(v.table);
	base.res = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(*base.res));
	base.outcomes = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(char *));
	base.converts = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(char *));
	base.done = kp_xcalloc(v.nunits ? v.nunits : 1, sizeof(bool));
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
			ws[k].conn = db_conn(cmd, &a);
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
	free(base.outcomes);
	free(base.converts);
	free(base.res);
	free(base.done);
	kp_scorer_free(sc);
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

int cmd_eval_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct ev v;
	kp_facts fs = KP_FACTS_INIT;
	kp_result *res = NULL;
	kp_err e;
	long u;
	int64_t rank = 0;
	bool stale;
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
	    score_one(&v, (size_t)u, &fs, true, &res, &e) < 0 ||
	    kp_store_results_each(v.db, v.round.id, v.names[u], stored_row, &rank, &e) < 0)
		goto fail;
	stale = v.round.scored_seq != v.round.last_seq;
	if (cli_get(cmd, &a, "json")) {
		json_t *o = kp_result_json(res);
		json_object_set_new(o, "round", json_string(v.round.name));
		json_object_set_new(o, "rank", rank > 0 && !stale ? json_integer(rank)
							    : json_null());
		json_object_set_new(o, "units", json_integer((json_int_t)v.nunits));
		if (cli_get(cmd, &a, "explain")) {
			kp_buf b = KP_BUF_INIT;
			kp_result_explain(res, &b);
			json_object_set_new(o, "explain", json_string(b.data ? b.data : ""));
			kp_buf_release(&b);
		}
		cli_print_json(o);
	} else if (cli_get(cmd, &a, "explain")) {
		kp_buf b = KP_BUF_INIT;
		kp_result_explain(res, &b);
		fputs(b.data ? b.data : "", stdout);
		kp_buf_release(&b);
	} else {
		show_text(res, v.round.name, stale ? 0 : rank, v.nunits);
	}
	if (stale && v.round.scored_seq >= 0)
		fprintf(stderr, "kaoping: 计分之后又登记了事实，名次未显示（运行 kaoping eval score 更新）\n");
	ret = KP_EXIT_OK;
	goto out;
fail:
	ret = cli_error(&e);
out:
	kp_result_free(res);
	kp_facts_release(&fs);
	ev_release(&v);
	return ret;
}

/* ---- eval rank ------------------------------------------------------- */

struct rank_ctx {
	json_t *arr;
	size_t n;
};

static int rank_row(void *ctx, const kp_store_result *r, kp_err *e)
{
	struct rank_ctx *rc = ctx;
	char b1[32], b2[32], buf[32];
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
		json_array_append_new(rc->arr, o);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)r->rank);
	cli_pad(stdout, buf, 6);
	cli_pad(stdout, r->unit, 30);
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
	struct rank_ctx rc = { NULL, 0 };
	bool json, stale, rd_has_convert = false;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval rank 不接受参数“%s”", a.pos[0]);
	json = cli_get(cmd, &a, "json") != NULL;
	if ((r = open_store(cmd, &a, 0, &db)))
		return r;
	if (kp_store_round_get(db, cli_get(cmd, &a, "round"), &rd, &e) < 0) {
		kp_store_close(db);
		return cli_error(&e);
	}
	if (rd.scored_seq < 0) {
		r = cli_usage_error("轮次“%s”还没有计分（先运行 kaoping eval score）", rd.name);
		goto out;
	}
	stale = rd.scored_seq != rd.last_seq;
	{
		kp_buf text = KP_BUF_INIT;
		kp_table *t;
		if (kp_store_round_table(db, rd.id, &text, &e) == 0 &&
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
		printf("轮次“%s”（%s）排名\n", rd.name, rd.table_id);
		cli_pad(stdout, "名次", 6);
		cli_pad(stdout, "单位", 30);
		cli_pad(stdout, "得分", 10);
		cli_pad(stdout, "自评分", 10);
		if (rd_has_convert)
			cli_pad(stdout, "折算", 10);
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
		json_object_set_new(o, "current", json_boolean(!stale));
		json_object_set_new(o, "results", rc.arr);
		cli_print_json(o);
	}
	if (stale)
		fprintf(stderr, "kaoping: 计分之后又登记了 %lld 条事实，排名不是最新的（运行 kaoping eval score 更新）\n",
			(long long)(rd.last_seq - rd.scored_seq));
	r = KP_EXIT_OK;
out:
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
	if ((r = open_store(cmd, &a, 0, &db)))
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
