/* Website inspections kept in the store: `kaoping inspect URL --round R
 * --unit U` stores one and compares it with the one before it (same
 * round, unit and site); `inspect history` lists a round's inspections;
 * `inspect show` prints one with its findings and what changed;
 * `inspect facts` turns one into facts of its round's indicator table.
 *
 * The comparison is by a finding's identity, its check and key
 * (kp_inspect_finding_keys): 新发现 are findings the previous inspection did not
 * have, 已整改 the previous one's findings this one does not have, 仍存在
 * the rest. */
#include "cli/cli.h"
#include "catalog/catalog.h"
#include "inspect/inspect.h"
#include "score/score.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const struct cli_opt inspect_history_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "只列这个单位的检测（规范名或别名）" },
	CLI_OPT_JSON, CLI_OPT_END,
};
const struct cli_opt inspect_facts_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "不给编号时：这个单位最近的一次检测" },
	{ "map", 0, "文件", "检查与指标的对应（默认内置的 data/inspect/facts-map.csv）" },
	{ "output", 'o', "文件", "写入这个文件（默认标准输出）" },
	CLI_OPT_END,
};
const struct cli_opt inspect_show_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "unit", 0, "单位", "不给编号时：这个单位最近的一次检测" },
	CLI_OPT_JSON, CLI_OPT_END,
};

/* ---- the round's unit ------------------------------------------------ */

struct unit_find {
	const char *want;
	char *name;      /* canonical, when found */
};

static int alias_is(void *ctx, const char *item)
{
	return !strcmp(item, ctx);
}

static int unit_match(void *ctx, const kp_store_unit *u, kp_err *e)
{
	struct unit_find *uf = ctx;
	(void)e;
	if (!uf->name && (!strcmp(u->name, uf->want) ||
			  kp_list_each(u->aliases, alias_is, (void *)uf->want)))
		uf->name = kp_xstrdup(u->name);
	return 0;
}

/* The canonical name of the round's unit called want (name or alias),
 * malloc'd into *out; 0, or the exit status after saying why not. */
static int resolve_unit(kp_store *db, const kp_round *rd, const char *want,
			char **out)
{
	struct unit_find uf = { want, NULL };
	kp_err e;
	if (kp_store_units_each(db, rd->id, unit_match, &uf, &e) < 0)
		return cli_error(&e);
	if (!uf.name)
		return cli_usage_error("单位“%s”不在轮次“%s”的单位中（单位名录 %s）",
				       want, rd->name, rd->registry);
	*out = uf.name;
	return 0;
}

/* ---- storing an inspection ------------------------------------------- */

int inspect_target_open(const struct cli_cmd *cmd, const struct cli_args *a,
			struct inspect_target *t)
{
	kp_err e;
	int r;
	memset(t, 0, sizeof(*t));
	t->round = kp_xcalloc(1, sizeof(*t->round));
	if ((r = cli_open_store(cmd, a, 0, &t->db))) {
		inspect_target_close(t);
		return r;
	}
	if (kp_store_round_get(t->db, cli_get(cmd, a, "round"), t->round, &e) < 0) {
		r = cli_error(&e);
		inspect_target_close(t);
		return r;
	}
	if ((r = resolve_unit(t->db, t->round, cli_get(cmd, a, "unit"), &t->unit))) {
		inspect_target_close(t);
		return r;
	}
	return 0;
}

void inspect_target_close(struct inspect_target *t)
{
	kp_store_close(t->db);
	if (t->round)
		kp_round_release(t->round);
	free(t->round);
	free(t->unit);
	memset(t, 0, sizeof(*t));
}

static json_t *finding_json(const kp_store_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "check", json_string(f->check));
	json_object_set_new(o, "key", json_string(f->key));
	json_object_set_new(o, "severity", json_string(f->severity));
	json_object_set_new(o, "message", json_string(f->message));
	json_object_set_new(o, "url", json_string(f->url));
	return o;
}

struct changes {
	json_t *new_, *fixed;
};

static int change_row(void *ctx, int change, const kp_store_finding *f,
		      kp_err *e)
{
	struct changes *c = ctx;
	(void)e;
	json_array_append_new(change == KP_FINDING_NEW ? c->new_ : c->fixed,
			      finding_json(f));
	return 0;
}

/* {"previous": time|null, "previous_id": n|null, "new": […], "fixed":
 * […], "still": n} of inspection in against the one before it. */
static int changes_json(kp_store *db, const kp_inspection *in, json_t **out,
			kp_err *e)
{
	struct changes c = { json_array(), json_array() };
	kp_inspection prev;
	int64_t still = 0;
	json_t *o;
	memset(&prev, 0, sizeof(prev));
	*out = NULL;
	if ((in->previous && kp_store_inspection_get(db, in->previous, &prev, e) < 0) ||
	    kp_store_findings_compare(db, in->id, in->previous, change_row, &c,
				      &still, e) < 0) {
		kp_inspection_release(&prev);
		json_decref(c.new_);
		json_decref(c.fixed);
		return -1;
	}
	o = json_object();
	json_object_set_new(o, "previous", in->previous ? json_string(prev.finished_at)
							: json_null());
	json_object_set_new(o, "previous_id", in->previous ? json_integer(in->previous)
							   : json_null());
	json_object_set_new(o, "new", c.new_);
	json_object_set_new(o, "fixed", c.fixed);
	json_object_set_new(o, "still", json_integer(still));
	kp_inspection_release(&prev);
	*out = o;
	return 0;
}

static json_t *inspection_json(const kp_inspection *in)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(in->id));
	json_object_set_new(o, "round", json_string(in->round));
	json_object_set_new(o, "unit", json_string(in->unit));
	json_object_set_new(o, "site", json_string(in->site));
	json_object_set_new(o, "as_of", json_string(in->as_of));
	json_object_set_new(o, "started_at", json_string(in->started_at));
	json_object_set_new(o, "finished_at", json_string(in->finished_at));
	json_object_set_new(o, "pages", json_integer(in->pages));
	json_object_set_new(o, "findings", json_integer(in->nfindings));
	json_object_set_new(o, "author", json_string(in->author));
	return o;
}

static void print_list(const char *title, json_t *arr)
{
	size_t i;
	json_t *f;
	if (!json_array_size(arr))
		return;
	printf("%s：\n", title);
	json_array_foreach(arr, i, f) {
		const char *url = json_string_value(json_object_get(f, "url"));
		printf("  [%s] %s  %s",
		       json_string_value(json_object_get(f, "severity")),
		       json_string_value(json_object_get(f, "check")),
		       json_string_value(json_object_get(f, "message")));
		if (url && *url)
			printf("  %s", url);
		putchar('\n');
	}
}

/* The Chinese account of the changes (changes_json's object). */
static void print_changes(json_t *ch)
{
	json_t *nw = json_object_get(ch, "new"), *fx = json_object_get(ch, "fixed");
	json_t *prev = json_object_get(ch, "previous");
	if (json_is_null(prev)) {
		printf("\n本轮次中此单位此网站的第一次检测，没有可比较的上次检测\n");
		return;
	}
	printf("\n与上次检测（编号 %lld，%s）相比：新发现 %zu 条，已整改 %zu 条，仍存在 %lld 条\n",
	       (long long)json_integer_value(json_object_get(ch, "previous_id")),
	       json_string_value(prev), json_array_size(nw), json_array_size(fx),
	       (long long)json_integer_value(json_object_get(ch, "still")));
	print_list("新发现", nw);
	print_list("已整改", fx);
}

int inspect_target_store(struct inspect_target *t, const kp_inspect_result *r,
			 char *const *keys, json_t *j, const char *started,
			 const char *finished, const char *who)
{
	kp_store_finding *fs = kp_xcalloc(r->nfindings + 1, sizeof(*fs));
	char (*days)[16] = kp_xcalloc(r->nfindings + 1, sizeof(*days));
	char as_of[16];
	char *summary;
	json_t *changes = NULL;
	kp_inspection in;
	int64_t id = 0;
	kp_err e;
	int ret = 0;
	memset(&in, 0, sizeof(in));
	for (size_t i = 0; i < r->nfindings; i++) {
		const kp_inspect_finding *f = &r->findings[i];
		fs[i] = (kp_store_finding){
			0, f->check, keys[i], f->severity, f->message, f->url,
			f->snippet, kp_inspect_date_str(f->when, days[i]),
		};
	}
	summary = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	{
		kp_inspection_spec sp = {
			.unit = t->unit, .site = r->site,
			.as_of = kp_inspect_date_str(r->as_of, as_of),
			.started_at = started, .finished_at = finished,
			.pages = (int64_t)r->pages_crawled,
			.summary = summary ? summary : "{}", .author = who,
			.findings = fs, .nfindings = r->nfindings,
		};
		if (kp_store_inspection_add(t->db, t->round->id, &sp, &id, &e) < 0 ||
		    kp_store_inspection_get(t->db, id, &in, &e) < 0 ||
		    changes_json(t->db, &in, &changes, &e) < 0)
			ret = cli_error(&e);
	}
	if (!ret) {
		json_t *o = inspection_json(&in);
		json_object_del(o, "findings");
		json_object_set_new(j, "inspection", o);
		json_object_set_new(j, "changes", changes);
	}
	kp_inspection_release(&in);
	free(summary);
	free(days);
	free(fs);
	return ret;
}

void inspect_print_stored(json_t *j)
{
	json_t *in = json_object_get(j, "inspection");
	if (!in)
		return;
	printf("\n已存入数据库：轮次“%s”，单位“%s”，检测编号 %lld（kaoping inspect show %lld）\n",
	       json_string_value(json_object_get(in, "round")),
	       json_string_value(json_object_get(in, "unit")),
	       (long long)json_integer_value(json_object_get(in, "id")),
	       (long long)json_integer_value(json_object_get(in, "id")));
	print_changes(json_object_get(j, "changes"));
}

/* ---- inspect history ------------------------------------------------- */

struct hist {
	kp_inspection *v;
	size_t n, cap;
};

static int hist_row(void *ctx, const kp_inspection *in, kp_err *e)
{
	struct hist *h = ctx;
	kp_inspection *d;
	(void)e;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->v = kp_xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	d = &h->v[h->n++];
	*d = *in;
	d->round = kp_xstrdup(in->round);
	d->unit = kp_xstrdup(in->unit);
	d->site = kp_xstrdup(in->site);
	d->as_of = kp_xstrdup(in->as_of);
	d->started_at = kp_xstrdup(in->started_at);
	d->finished_at = kp_xstrdup(in->finished_at);
	d->author = kp_xstrdup(in->author);
	d->summary = NULL;
	return 0;
}

static void hist_release(struct hist *h)
{
	for (size_t i = 0; i < h->n; i++)
		kp_inspection_release(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* Open the store and the round (--round, else the newest) and resolve
 * --unit; 0 or an exit status. */
static int open_round(const struct cli_cmd *cmd, const struct cli_args *a,
		      kp_store **db, kp_round *rd, char **unit)
{
	kp_err e;
	int r;
	*unit = NULL;
	memset(rd, 0, sizeof(*rd));
	if ((r = cli_open_store(cmd, a, 0, db)))
		return r;
	if (kp_store_round_get(*db, cli_get(cmd, a, "round"), rd, &e) < 0)
		r = cli_error(&e);
	else if (cli_get(cmd, a, "unit"))
		r = resolve_unit(*db, rd, cli_get(cmd, a, "unit"), unit);
	if (r) {
		kp_round_release(rd);
		kp_store_close(*db);
		*db = NULL;
	}
	return r;
}

int cmd_inspect_history(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_round rd;
	kp_err e;
	struct hist h = { NULL, 0, 0 };
	char *unit;
	json_t *arr = NULL;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("inspect history 不接受参数“%s”（单位用 --unit 指明）",
				       a.pos[0]);
	if ((r = open_round(cmd, &a, &db, &rd, &unit)))
		return r;
	if (kp_store_inspections_each(db, rd.id, unit, hist_row, &h, &e) < 0)
		goto fail;
	if (cli_get(cmd, &a, "json"))
		arr = json_array();
	else if (!h.n)
		printf("轮次“%s”中%s%s%s还没有检测记录（kaoping inspect 网址 --round %s --unit 单位）\n",
		       rd.name, unit ? "单位“" : "", unit ? unit : "",
		       unit ? "”" : "", rd.name);
	else {
		printf("轮次“%s”的网站检测%s%s%s\n", rd.name, unit ? "（单位“" : "",
		       unit ? unit : "", unit ? "”）" : "");
		cli_pad(stdout, "编号", 6);
		cli_pad(stdout, "完成时间", 22);
		cli_pad(stdout, "基准日", 12);
		cli_pad(stdout, "单位", 24);
		cli_pad(stdout, "页面", 8);
		cli_pad(stdout, "问题", 6);
		cli_pad(stdout, "新发现", 8);
		cli_pad(stdout, "已整改", 8);
		printf("网站\n");
	}
	for (size_t i = 0; i < h.n; i++) {
		kp_inspection *in = &h.v[i];
		json_t *ch;
		char buf[32];
		if (changes_json(db, in, &ch, &e) < 0)
			goto fail;
		if (arr) {
			json_t *o = inspection_json(in);
			json_object_set_new(o, "changes", ch);
			json_array_append_new(arr, o);
			continue;
		}
		snprintf(buf, sizeof(buf), "%lld", (long long)in->id);
		cli_pad(stdout, buf, 6);
		cli_pad(stdout, in->finished_at, 22);
		cli_pad(stdout, in->as_of, 12);
		cli_pad(stdout, in->unit, 24);
		snprintf(buf, sizeof(buf), "%lld", (long long)in->pages);
		cli_pad(stdout, buf, 8);
		snprintf(buf, sizeof(buf), "%lld", (long long)in->nfindings);
		cli_pad(stdout, buf, 6);
		if (in->previous) {
			snprintf(buf, sizeof(buf), "%zu",
				 json_array_size(json_object_get(ch, "new")));
			cli_pad(stdout, buf, 8);
			snprintf(buf, sizeof(buf), "%zu",
				 json_array_size(json_object_get(ch, "fixed")));
			cli_pad(stdout, buf, 8);
		} else {
			cli_pad(stdout, "首次", 8);
			cli_pad(stdout, "—", 8);
		}
		printf("%s\n", in->site);
		json_decref(ch);
	}
	hist_release(&h);
	kp_round_release(&rd);
	kp_store_close(db);
	free(unit);
	return arr ? cli_print_json(arr) : 0;
fail:
	json_decref(arr);
	hist_release(&h);
	kp_round_release(&rd);
	kp_store_close(db);
	free(unit);
	return cli_error(&e);
}

/* ---- inspect show ---------------------------------------------------- */

static int latest_row(void *ctx, const kp_inspection *in, kp_err *e)
{
	(void)e;
	*(int64_t *)ctx = in->id;
	return 0;
}

static int print_finding(void *ctx, const kp_store_finding *f, kp_err *e)
{
	(void)ctx;
	(void)e;
	printf("  [%s] %s  %s", f->severity, f->check, f->message);
	if (*f->url)
		printf("  %s", f->url);
	putchar('\n');
	return 0;
}

/* The inspection a command is about: the number given, or the latest of
 * --unit in --round (else the newest round).  Opens the store into *db
 * and fills *in; 0, or an exit status (after saying why) with nothing
 * left open. */
static int pick_inspection(const struct cli_cmd *cmd, const struct cli_args *a,
			   kp_store **db, kp_inspection *in)
{
	kp_round rd;
	kp_err e;
	char *unit = NULL;
	int64_t id = 0;
	int r = 0;
	memset(in, 0, sizeof(*in));
	memset(&rd, 0, sizeof(rd));
	*db = NULL;
	if (a->npos > 1 || (a->npos == 0 && !cli_get(cmd, a, "unit")))
		return cli_usage_error("inspect %s 需要一个检测编号（见 kaoping inspect history），或用 --unit 指明单位（它最近的一次检测）",
				       strchr(cmd->words, ' ') + 1);
	if (a->npos == 1) {
		const char *p = a->pos[0];
		long v = kp_digits(p, p + strlen(p), 1000000000000L);
		if (v <= 0 || strspn(p, "0123456789") != strlen(p))
			return cli_usage_error("检测编号应为正整数，而不是“%s”", p);
		id = v;
		if ((r = cli_open_store(cmd, a, 0, db)))
			return r;
	} else {
		if ((r = open_round(cmd, a, db, &rd, &unit)))
			return r;
		if (kp_store_inspections_each(*db, rd.id, unit, latest_row, &id, &e) < 0)
			r = cli_error(&e);
		else if (!id)
			r = cli_usage_error("轮次“%s”中单位“%s”还没有检测记录", rd.name, unit);
		kp_round_release(&rd);
		free(unit);
	}
	if (!r && kp_store_inspection_get(*db, id, in, &e) < 0)
		r = cli_error(&e);
	if (r) {
		kp_inspection_release(in);
		kp_store_close(*db);
		*db = NULL;
	}
	return r;
}

int cmd_inspect_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db = NULL;
	kp_inspection in;
	kp_err e;
	json_t *ch = NULL;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if ((r = pick_inspection(cmd, &a, &db, &in)))
		return r;
	if (changes_json(db, &in, &ch, &e) < 0)
		goto fail;
	if (cli_get(cmd, &a, "json")) {
		/* what `inspect --json` printed, with where it is stored */
		json_error_t je;
		json_t *j = json_loads(in.summary ? in.summary : "{}", 0, &je);
		json_t *o;
		if (!j)
			j = json_object();
		o = inspection_json(&in);
		json_object_del(o, "findings");
		json_object_set_new(j, "inspection", o);
		json_object_set_new(j, "changes", ch);
		ch = NULL;
		r = cli_print_json(j);
		goto out;
	}
	printf("检测编号 %lld：轮次“%s”，单位“%s”\n网站 %s（以 %s 为准），%s 至 %s，抓取页面 %lld 个，操作人 %s\n",
	       (long long)in.id, in.round, in.unit, in.site, in.as_of,
	       in.started_at, in.finished_at, (long long)in.pages, in.author);
	printf("\n发现问题 %lld 条：\n", (long long)in.nfindings);
	if (kp_store_findings_each(db, in.id, print_finding, NULL, &e) < 0)
		goto fail;
	print_changes(ch);
	r = 0;
	goto out;
fail:
	r = cli_error(&e);
out:
	json_decref(ch);
	kp_inspection_release(&in);
	kp_store_close(db);
	return r;
}

/* ---- inspect facts --------------------------------------------------- */

int cmd_inspect_facts(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db = NULL;
	kp_inspection in;
	kp_round rd;
	kp_facts fs = KP_FACTS_INIT;
	kp_buf out = KP_BUF_INIT, ids = KP_BUF_INIT;
	json_t *j = NULL;
	json_error_t je;
	kp_err e;
	const char *dest, *map;
	size_t covered = 0;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	dest = cli_get(cmd, &a, "output");
	map = cli_get(cmd, &a, "map");
	memset(&rd, 0, sizeof(rd));
	if ((r = pick_inspection(cmd, &a, &db, &in)))
		return r;
	if (kp_store_round_get(db, in.round, &rd, &e) < 0)
		goto fail;
	j = json_loads(in.summary ? in.summary : "", 0, &je);
	if (!j) {
		kp_fail(&e, KP_EIO, "%s：检测 %lld 存下的 JSON 无法读取（%s）",
			kp_store_where(db), (long long)in.id, je.text);
		goto fail;
	}
	/* each of the round's tables the map has rows for (a scheme round
	 * has several; each fact names its table) */
	for (size_t k = 0; k < (rd.ntables ? rd.ntables : 1); k++) {
		kp_buf text = KP_BUF_INIT;
		kp_table *t = NULL;
		int got = -1;
		if (kp_store_round_table(db, in.round_id, (int)k, &text, &e) == 0 &&
		    kp_table_parse(in.round, text.data, text.len, &t, &e) == 0)
			got = kp_inspect_inspection_facts(j, t, in.unit, map, &fs, &e);
		if (got == 0)
			covered++;
		if (t)
			kp_buf_addf(&ids, "%s%s", ids.len ? "、" : "", kp_table_id(t));
		kp_table_free(t);
		kp_buf_release(&text);
		if (got < 0)
			goto fail;
	}
	if (!covered) {
		kp_fail(&e, KP_EINPUT, "%s 中没有表 %s 的行：不知道检测结果对应哪些指标（用 --map 给出映射）",
			map ? map : "data/inspect/facts-map.csv", ids.data ? ids.data : "");
		goto fail;
	}
	kp_facts_write_csv(&fs, &out);
	if (kp_write_atomic(dest ? dest : "-", out.data, out.len, &e) < 0)
		goto fail;
	fprintf(stderr, "kaoping: 检测编号 %lld（轮次“%s”，单位“%s”，表 %s）：事实 %zu 条%s\n",
		(long long)in.id, in.round, in.unit, ids.data, fs.n,
		fs.n ? "（用 kaoping eval facts add 登记）" : "");
	r = 0;
	goto out;
fail:
	r = cli_error(&e);
out:
	json_decref(j);
	kp_buf_release(&out);
	kp_buf_release(&ids);
	kp_facts_release(&fs);
	kp_round_release(&rd);
	kp_inspection_release(&in);
	kp_store_close(db);
	return r;
}
