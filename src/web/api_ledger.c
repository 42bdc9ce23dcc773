/* web — 台账: the 政务信息 ledger of the round's year (each unit's
 * statistics and points, as `kaoping info stats --json` gives them, and
 * the submissions with their adoptions) and the task-progress ledgers
 * kept in the store (every plan's rows), read-only.  A unit account sees
 * its own unit's rows; naming another unit is 404. */
#include "web/pages_int.h"
#include "ledger/ledger.h"

#include <stdlib.h>
#include <string.h>

/* The unit the request narrows to: {unit} when the route has it (404 when
 * the round lacks it or the session may not see it), else the unit
 * account's own, else none (NULL, every unit).  -1: answered. */
static int narrow(kp_web_req *rq, kp_rnd *r, const char **unit)
{
	const char *want = kp_web_param(&rq->params, "unit");
	long i;
	*unit = NULL;
	if (!want && rq->role != KP_WEB_UNIT)
		return 0;
	if (!want)
		want = rq->session->user.unit;
	if ((i = kp_rnd_find_unit(r, want)) < 0 || !kp_web_pages_visible(rq, r, want)) {
		kp_web_error(rq, 404, "单位“%s”不在轮次“%s”中", want,
			     kp_rnd_round(r)->name);
		return -1;
	}
	*unit = kp_rnd_unit_name(r, (size_t)i);
	return 0;
}

/* Is the ledger's unit cell cell the unit (canonical) the request keeps?
 * NULL unit keeps every row. */
static bool keeps(const kp_rnd *r, const char *unit, const char *cell)
{
	long i;
	if (!unit)
		return true;
	i = kp_rnd_find_unit(r, cell);
	return i >= 0 && !strcmp(kp_rnd_unit_name(r, (size_t)i), unit);
}

/* The cell's unit as the round names it, else as written. */
static const char *canonical(const kp_rnd *r, const char *cell)
{
	long i = kp_rnd_find_unit(r, cell);
	return i >= 0 ? kp_rnd_unit_name(r, (size_t)i) : cell;
}

/* A row as an object of the table's columns. */
static json_t *row_json(const char *table, int64_t seq,
			const char *const *cells, size_t n)
{
	size_t ncols;
	const char *const *cols = kp_store_ledger_cols(table, &ncols);
	json_t *o = json_object();
	json_object_set_new(o, "seq", json_integer(seq));
	for (size_t i = 0; i < n && i < ncols; i++)
		json_object_set_new(o, cols[i], json_string(cells[i]));
	return o;
}

/* ---- 政务信息 ---- */

struct info_ctx {
	kp_rnd *r;
	const char *unit;     /* canonical, or NULL: every unit */
	char year[8];
	json_t *subs;         /* kept submissions */
	json_t *by_id;        /* submission id → its object (borrowed) */
};

static int adoption_row(void *ctx, int64_t seq, const char *const *cells,
			size_t n, kp_err *e)
{
	struct info_ctx *c = ctx;
	json_t *s;
	(void)e;
	if (n < 1 || !(s = json_object_get(c->by_id, cells[0])))
		return 0;
	json_array_append_new(json_object_get(s, "adoptions"),
			      row_json("info_adoptions", seq, cells, n));
	return 0;
}

static int submission_row(void *ctx, int64_t seq, const char *const *cells,
			  size_t n, kp_err *e)
{
	struct info_ctx *c = ctx;
	json_t *o;
	char id[24];
	(void)e;
	/* cells: unit date title … */
	if (n < 2 || strncmp(cells[1], c->year, strlen(c->year)) ||
	    !keeps(c->r, c->unit, cells[0]))
		return 0;
	o = row_json("info_submissions", seq, cells, n);
	json_object_set_new(o, "unit", json_string(canonical(c->r, cells[0])));
	json_object_set_new(o, "adoptions", json_array());
	json_array_append_new(c->subs, o);
	snprintf(id, sizeof(id), "%lld", (long long)seq);
	json_object_set(c->by_id, id, o);
	return 0;
}

void kp_web_ledger_info(kp_web_req *rq)
{
	kp_rnd *r = kp_web_pages_round(rq);
	kp_info_rules *rules = NULL;
	kp_info_ledger *l = NULL;
	kp_info_stats st;
	kp_info_period p;
	struct info_ctx c = { 0 };
	json_t *stats = NULL, *units, *kept = json_array(), *u;
	const char *period;
	size_t i;
	kp_err e;
	bool have_stats = false;
	if (!r)
		goto out;
	if (narrow(rq, r, &c.unit) < 0)
		goto out;
	period = kp_rnd_round(r)->period;
	if (kp_info_period_parse(period, &p, &e) < 0) {
		kp_web_error(rq, 404, "轮次“%s”的期间“%s”不是年度、季度或月份，没有政务信息台账可看",
			     kp_rnd_round(r)->name, period);
		goto out;
	}
	if (kp_info_rules_open(NULL, &rules, &e) < 0 ||
	    kp_info_load_db(kp_rnd_store(r), rules, &l, &e) < 0 ||
	    kp_info_stats_compute(l, &p, NULL, &st, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	have_stats = true;
	stats = kp_info_stats_json(&st, period);
	units = json_object_get(stats, "units");
	json_array_foreach(units, i, u) {
		const char *name = json_string_value(json_object_get(u, "unit"));
		if (keeps(r, c.unit, name ? name : ""))
			json_array_append(kept, u);
	}
	json_object_set(stats, "units", kept);
	c.r = r;
	snprintf(c.year, sizeof(c.year), "%d", p.year);
	c.subs = json_array();
	c.by_id = json_object();
	if (kp_store_ledger_each(kp_rnd_store(r), "info_submissions", KP_INFO_LEDGER_KEY,
				 submission_row, &c, &e) < 0 ||
	    kp_store_ledger_each(kp_rnd_store(r), "info_adoptions", KP_INFO_LEDGER_KEY,
				 adoption_row, &c, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	json_object_set(stats, "submissions", c.subs);
	json_object_set_new(stats, "round", json_string(kp_rnd_round(r)->name));
	json_object_set_new(stats, "unit", c.unit ? json_string(c.unit) : json_null());
	rq->out = stats;
	stats = NULL;
out:
	json_decref(stats);
	json_decref(kept);
	json_decref(c.subs);
	json_decref(c.by_id);
	if (have_stats)
		kp_info_stats_release(&st);
	kp_info_free(l);
	kp_info_rules_free(rules);
	kp_rnd_close(r);
}

/* ---- tasks ---- */

struct tasks_ctx {
	kp_rnd *r;
	const char *unit;
	const char *plan;
	json_t *rows;
	json_t *plans;
};

static int plan_key(void *ctx, const char *ledger, int64_t rows, kp_err *e)
{
	struct tasks_ctx *c = ctx;
	(void)e;
	/* a unit account is not told how many rows other units have */
	json_array_append_new(c->plans, c->unit ? json_pack("{s:s}", "plan", ledger)
			      : json_pack("{s:s, s:I}", "plan", ledger, "rows",
					  (json_int_t)rows));
	return 0;
}

static int progress_row(void *ctx, int64_t seq, const char *const *cells,
			size_t n, kp_err *e)
{
	struct tasks_ctx *c = ctx;
	json_t *o;
	(void)e;
	/* cells: type task unit date status note url */
	if (n < 3 || !keeps(c->r, c->unit, cells[2]))
		return 0;
	o = row_json("task_progress", seq, cells, n);
	json_object_set_new(o, "unit", json_string(canonical(c->r, cells[2])));
	json_object_set_new(o, "plan", json_string(c->plan));
	json_array_append_new(c->rows, o);
	return 0;
}

void kp_web_ledger_tasks(kp_web_req *rq)
{
	kp_rnd *r = kp_web_pages_round(rq);
	struct tasks_ctx c = { 0 };
	size_t i;
	json_t *p;
	kp_err e;
	if (!r)
		return;
	if (narrow(rq, r, &c.unit) < 0)
		goto out;
	c.r = r;
	c.rows = json_array();
	c.plans = json_array();
	if (kp_store_ledgers_each(kp_rnd_store(r), "task_progress", plan_key, &c, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	json_array_foreach(c.plans, i, p) {
		c.plan = json_string_value(json_object_get(p, "plan"));
		if (kp_store_ledger_each(kp_rnd_store(r), "task_progress", c.plan,
					 progress_row, &c, &e) < 0) {
			kp_web_fail(rq, &e);
			goto out;
		}
	}
	rq->out = json_pack("{s:s, s:o, s:O, s:O}", "round", kp_rnd_round(r)->name,
			    "unit", c.unit ? json_string(c.unit) : json_null(),
			    "plans", c.plans, "rows", c.rows);
out:
	json_decref(c.rows);
	json_decref(c.plans);
	kp_rnd_close(r);
}
