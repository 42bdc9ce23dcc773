/* round/inspections.c — website inspections kept with a round: storing
 * one (compared with the one before it: same round, unit and site),
 * listing a round's, reading one with its findings and changes, and
 * turning one into facts of its round's tables.
 *
 * The comparison is by a finding's identity, its check and key
 * (kp_inspect_finding_keys): 新发现 are findings the previous inspection
 * did not have, 已整改 the previous one's findings this one does not
 * have, 仍存在 the rest. */
#include "round/round_int.h"
#include "inspect/inspect.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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

int kp_rnd_resolve_unit(kp_store *db, const kp_round *rd, const char *want,
			char **out, kp_err *e)
{
	struct unit_find uf = { want, NULL };
	if (kp_store_units_each(db, rd->id, unit_match, &uf, e) < 0)
		return -1;
	if (!uf.name)
		return kp_fail(e, KP_RND_ENOTFOUND, "单位“%s”不在轮次“%s”的单位中（单位名录 %s）",
			       want, rd->name, rd->registry);
	*out = uf.name;
	return 0;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *finding_json(const kp_store_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "check", json_string(f->check));
	json_object_set_new(o, "title",
			    json_string(kp_inspect_check_title(f->check)));
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

int kp_rnd_changes_json(kp_store *db, const kp_inspection *in, json_t **out,
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

json_t *kp_rnd_inspection_json(const kp_inspection *in)
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

/* ---- storing an inspection -------------------------------------------- */

int kp_rnd_target_open(const char *conn, const char *round, const char *unit,
		       kp_rnd_target *t, kp_err *e)
{
	memset(t, 0, sizeof(*t));
	if (kp_store_open(conn, 0, &t->db, e) < 0 ||
	    kp_store_round_get(t->db, round, &t->round, e) < 0 ||
	    kp_rnd_resolve_unit(t->db, &t->round, unit, &t->unit, e) < 0) {
		kp_rnd_target_close(t);
		return -1;
	}
	return 0;
}

void kp_rnd_target_close(kp_rnd_target *t)
{
	kp_store_close(t->db);
	kp_round_release(&t->round);
	free(t->unit);
	memset(t, 0, sizeof(*t));
}

int kp_rnd_target_store(kp_rnd_target *t, const kp_inspect_result *r,
			char *const *keys, json_t *j, const char *started,
			const char *finished, const char *who, kp_err *e)
{
	kp_store_finding *fs = kp_xcalloc(r->nfindings + 1, sizeof(*fs));
	char (*days)[16] = kp_xcalloc(r->nfindings + 1, sizeof(*days));
	char as_of[16];
	char *summary;
	json_t *changes = NULL;
	kp_inspection in;
	int64_t id = 0;
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
			.job = t->job, .worker = t->worker,
			.job_lost = &t->job_lost,
		};
		if (kp_store_inspection_add(t->db, t->round.id, &sp, &id, e) < 0 ||
		    kp_store_inspection_get(t->db, id, &in, e) < 0 ||
		    kp_rnd_changes_json(t->db, &in, &changes, e) < 0)
			ret = -1;
	}
	if (!ret) {
		json_t *o = kp_rnd_inspection_json(&in);
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

/* ---- a round's inspections -------------------------------------------- */

static int hist_row(void *ctx, const kp_inspection *in, kp_err *e)
{
	kp_rnd_history *h = ctx;
	kp_inspection *d;
	(void)e;
	h->v = kp_xrealloc(h->v, (h->n + 1) * sizeof(*h->v));
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

/* Open the store and the round (NULL: the newest) and resolve unit (may
 * be NULL). */
static int open_round(const char *conn, const char *name, const char *unit,
		      kp_store **db, kp_round *rd, char **canon, kp_err *e)
{
	*canon = NULL;
	memset(rd, 0, sizeof(*rd));
	if (kp_store_open(conn, 0, db, e) < 0)
		return -1;
	if (kp_store_round_get(*db, name, rd, e) < 0 ||
	    (unit && kp_rnd_resolve_unit(*db, rd, unit, canon, e) < 0)) {
		kp_round_release(rd);
		kp_store_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

int kp_rnd_history_get(const char *conn, const char *name, const char *unit,
		       kp_rnd_history *h, kp_err *e)
{
	kp_store *db;
	int ret = -1;
	memset(h, 0, sizeof(*h));
	if (open_round(conn, name, unit, &db, &h->round, &h->unit, e) < 0)
		return -1;
	if (kp_store_inspections_each(db, h->round.id, h->unit, hist_row, h, e) < 0)
		goto out;
	h->changes = kp_xcalloc(h->n + 1, sizeof(*h->changes));
	for (size_t i = 0; i < h->n; i++)
		if (kp_rnd_changes_json(db, &h->v[i], &h->changes[i], e) < 0)
			goto out;
	ret = 0;
out:
	kp_store_close(db);
	if (ret < 0)
		kp_rnd_history_release(h);
	return ret;
}

void kp_rnd_history_release(kp_rnd_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		kp_inspection_release(&h->v[i]);
		if (h->changes)
			json_decref(h->changes[i]);
	}
	free(h->v);
	free(h->changes);
	free(h->unit);
	kp_round_release(&h->round);
	memset(h, 0, sizeof(*h));
}

json_t *kp_rnd_history_json(const kp_rnd_history *h)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < h->n; i++) {
		json_t *o = kp_rnd_inspection_json(&h->v[i]);
		json_object_set(o, "changes", h->changes[i]);
		json_array_append_new(arr, o);
	}
	return arr;
}

/* ---- one inspection --------------------------------------------------- */

static int latest_row(void *ctx, const kp_inspection *in, kp_err *e)
{
	(void)e;
	*(int64_t *)ctx = in->id;
	return 0;
}

static int finding_row(void *ctx, const kp_store_finding *f, kp_err *e)
{
	kp_rnd_inspection *x = ctx;
	kp_store_finding *d;
	(void)e;
	x->findings = kp_xrealloc(x->findings, (x->nfindings + 1) * sizeof(*d));
	d = &x->findings[x->nfindings++];
	d->ord = f->ord;
	d->check = kp_xstrdup(f->check);
	d->key = kp_xstrdup(f->key);
	d->severity = kp_xstrdup(f->severity);
	d->message = kp_xstrdup(f->message);
	d->url = kp_xstrdup(f->url ? f->url : "");
	d->snippet = kp_xstrdup(f->snippet ? f->snippet : "");
	d->time = kp_xstrdup(f->time ? f->time : "");
	return 0;
}

/* The number of the inspection asked for: id, or unit's latest. */
static int pick(const char *conn, const char *name, const char *unit,
		kp_store **db, int64_t *id, kp_err *e)
{
	kp_round rd;
	char *canon = NULL;
	int r = 0;
	if (open_round(conn, name, unit, db, &rd, &canon, e) < 0)
		return -1;
	if (kp_store_inspections_each(*db, rd.id, canon, latest_row, id, e) < 0)
		r = -1;
	else if (!*id)
		r = kp_fail(e, KP_RND_ENOTFOUND, "轮次“%s”中单位“%s”还没有检测记录",
			    rd.name, canon);
	kp_round_release(&rd);
	free(canon);
	return r;
}

int kp_rnd_inspection_get(const char *conn, int64_t id, const char *name,
			  const char *unit, kp_rnd_inspection *x, kp_err *e)
{
	kp_store *db = NULL;
	int ret = -1;
	memset(x, 0, sizeof(*x));
	if (id > 0) {
		if (kp_store_open(conn, 0, &db, e) < 0)
			return -1;
	} else if (pick(conn, name, unit, &db, &id, e) < 0) {
		goto out;
	}
	if (kp_store_inspection_get(db, id, &x->in, e) < 0) {
		if (e->code == KP_EINPUT)   /* the store's "no such inspection" */
			e->code = KP_RND_ENOTFOUND;
		goto out;
	}
	if (kp_store_findings_each(db, id, finding_row, x, e) < 0 ||
	    kp_rnd_changes_json(db, &x->in, &x->changes, e) < 0 ||
	    kp_rnd_reviews_load(db, x->in.round_id, x->in.unit, &x->reviews, e) < 0)
		goto out;
	ret = 0;
out:
	kp_store_close(db);
	if (ret < 0)
		kp_rnd_inspection_release(x);
	return ret;
}

void kp_rnd_inspection_release(kp_rnd_inspection *x)
{
	for (size_t i = 0; i < x->nfindings; i++) {
		kp_store_finding *f = &x->findings[i];
		free((char *)f->check);
		free((char *)f->key);
		free((char *)f->severity);
		free((char *)f->message);
		free((char *)f->url);
		free((char *)f->snippet);
		free((char *)f->time);
	}
	free(x->findings);
	kp_rnd_reviews_release(&x->reviews);
	json_decref(x->changes);
	kp_inspection_release(&x->in);
	memset(x, 0, sizeof(*x));
}

json_t *kp_rnd_inspection_full_json(const kp_rnd_inspection *x)
{
	json_error_t je;
	json_t *j = json_loads(x->in.summary ? x->in.summary : "{}", 0, &je);
	json_t *o;
	if (!j)
		j = json_object();
	o = kp_rnd_inspection_json(&x->in);
	json_object_del(o, "findings");
	json_object_set_new(j, "inspection", o);
	json_object_set(j, "changes", x->changes);
	{ /* each finding's review: stored in order, the JSON's too */
		json_t *arr = json_object_get(j, "findings");
		for (size_t i = 0; i < x->nfindings; i++) {
			const kp_store_review *rw = kp_rnd_review_for(
				&x->reviews, x->findings[i].check, x->findings[i].key);
			json_t *f = json_array_get(arr, (size_t)x->findings[i].ord - 1);
			if (rw && f)
				json_object_set_new(f, "review", kp_rnd_review_json(rw));
		}
	}
	return j;
}

/* ---- an inspection's facts -------------------------------------------- */

/* A check that ran and passed is a fact too: the nodes the map's checks
 * cover, each as an assessed fact of source 检测 (a covered node without
 * a finding has passed; a deduction node without one is compliant). */
static int covered_facts(const kp_table *t, const kp_inspection *in,
			 const char *map, kp_facts *fs, kp_err *e)
{
	char **codes;
	size_t n;
	int r = kp_inspect_map_covers(t, map, &codes, &n, e);
	if (r < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		kp_fact f;
		memset(&f, 0, sizeof(f));
		f.unit = (char *)in->unit;
		f.table = (char *)kp_table_id(t);
		f.indicator = codes[i];
		f.kind = KP_FACT_ASSESSED;
		f.name = f.url = (char *)"";
		f.source = KP_SRC_INSPECT;
		f.author = (char *)"kaoping inspect";
		f.time = (char *)(in->finished_at ? in->finished_at : "");
		f.note = (char *)"网站检测已覆盖本指标";
		kp_facts_add(fs, &f);
		free(codes[i]);
	}
	free(codes);
	return 0;
}

int kp_rnd_inspection_facts(const char *conn, const kp_rnd_inspection *x,
			    const char *map, kp_facts *fs, char **tables,
			    kp_err *e)
{
	const kp_inspection *in = &x->in;
	kp_store *db = NULL;
	kp_round rd;
	kp_buf ids = KP_BUF_INIT;
	json_t *j = NULL;
	json_error_t je;
	size_t covered = 0, first = fs->n;
	int ret = -1;
	*tables = NULL;
	memset(&rd, 0, sizeof(rd));
	if (kp_store_open(conn, 0, &db, e) < 0 ||
	    kp_store_round_get(db, in->round, &rd, e) < 0)
		goto out;
	j = json_loads(in->summary ? in->summary : "", 0, &je);
	if (!j) {
		kp_fail(e, KP_EIO, "%s：检测 %lld 存下的 JSON 无法读取（%s）",
			kp_store_where(db), (long long)in->id, je.text);
		goto out;
	}
	/* false alarms and unconfirmed content findings give no fact */
	if (kp_rnd_facts_filter(db, in, j, e) < 0)
		goto out;
	/* each of the round's tables the map has rows for (a scheme round
	 * has several; each fact names its table) */
	for (size_t k = 0; k < (rd.ntables ? rd.ntables : 1); k++) {
		kp_buf text = KP_BUF_INIT;
		kp_table *t = NULL;
		int got = -1;
		if (kp_store_round_table(db, in->round_id, (int)k, &text, e) == 0 &&
		    kp_table_parse(in->round, text.data, text.len, &t, e) == 0)
			got = kp_inspect_inspection_facts(j, t, in->unit, map, fs, e);
		if (got == 0 && covered_facts(t, in, map, fs, e) < 0)
			got = -1;
		if (got == 0)
			covered++;
		if (t)
			kp_buf_addf(&ids, "%s%s", ids.len ? "、" : "", kp_table_id(t));
		kp_table_free(t);
		kp_buf_release(&text);
		if (got < 0)
			goto out;
	}
	if (!covered) {
		kp_fail(e, KP_EINPUT, "%s 中没有表 %s 的行：不知道检测结果对应哪些指标（用 --map 给出映射）",
			map ? map : "data/inspect/facts-map.csv", ids.data ? ids.data : "");
		goto out;
	}
	/* every fact names its inspection, so the round knows which
	 * inspection it came from (the latest replaces the earlier ones) */
	for (size_t i = first; i < fs->n; i++)
		fs->v[i].inspection = in->id;
	*tables = ids.data ? kp_buf_detach(&ids) : kp_xstrdup("");
	ret = 0;
out:
	json_decref(j);
	kp_buf_release(&ids);
	kp_round_release(&rd);
	kp_store_close(db);
	return ret;
}
