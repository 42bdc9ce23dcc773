/* monitor — column checks between two full inspections (monitor.h has
 * the schedule; the store's column_checks, migration 21, keeps them).
 *
 * A 'columns' job takes the site's newest stored inspection as of the
 * job's day (Beijing), fetches only the homepage and the list pages of
 * the columns it recorded (kp_inspect_columns_check: the inspector's
 * crawl loop, politeness, timeout and column dating, nothing else), and
 * stores each column's URL, status, newest date, items, blank and the
 * time it was fetched, based on that inspection, with the job closed in
 * the same transaction (a job run twice stores once).  columns.c then
 * judges the column rules from the newest check based on the newest
 * inspection: a column whose page the check opened is read from the
 * check, one it could not open from the inspection. */
#include "monitor/monitor_int.h"
#include "inspect/inspect.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The columns of inspection JSON sum as references into it (borrowed
 * while sum lives); *n of them, malloc'd array. */
static kp_inspect_colref *colrefs(json_t *sum, size_t *n)
{
	json_t *cols = json_object_get(sum, "columns"), *col;
	kp_inspect_colref *v = kp_xcalloc(json_array_size(cols) + 1, sizeof(*v));
	size_t i;
	*n = 0;
	json_array_foreach(cols, i, col) {
		const char *name = json_string_value(json_object_get(col, "name"));
		const char *url = json_string_value(json_object_get(col, "url"));
		if (!name || !url || *n >= 300)
			continue;
		v[(*n)++] = (kp_inspect_colref){
			name, url, json_string_value(json_object_get(col, "class"))
		};
	}
	return v;
}

/* What the check saw of each column (the store's columns JSON text;
 * caller frees). */
static char *check_json(const kp_inspect_result *r, int64_t at)
{
	char t[24], d[16];
	json_t *a = json_array();
	char *s;
	kp_monitor_time_str(at, t);
	for (size_t i = 0; i < r->ncolumns; i++) {
		const kp_inspect_column *c = &r->columns[i];
		json_array_append_new(a, json_pack(
			"{s:s, s:s, s:s, s:i, s:o, s:o, s:I, s:b, s:s}",
			"name", c->name, "class", c->cls, "url", c->url,
			"status", c->status,
			"latest_date", c->latest ? json_string(kp_inspect_date_str(c->latest, d))
						 : json_null(),
			"date_source", c->latest ? json_string(kp_inspect_date_source_name(c->date_source))
						 : json_null(),
			"items", (json_int_t)c->items, "blank", c->blank,
			"fetched", t));
	}
	s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(a);
	return s;
}

int kp_monitor_columns_job(kp_store *s, const kp_monitor_conf *c,
			   const char *worker, const kp_job *j, bool sim,
			   kp_monitor_tally *t, kp_err *e)
{
	int64_t real = (int64_t)time(NULL), at = sim ? j->sched : real;
	struct kp_monitor_renewal rn = { s, worker, j->id,
					 c->lease > 2 ? c->lease : 2, real, false };
	struct kp_monitor_host_gap hg = { s, c->host_gap_ms };
	kp_inspection in;
	kp_inspect_opts o;
	kp_inspect_result *res = NULL;
	kp_inspect_colref *refs = NULL;
	kp_column_check ck = { 0 };
	kp_err ie = { 0 };
	json_t *sum = NULL;
	char day[16];
	size_t n = 0;
	bool lost = false;
	int r;
	kp_date_str(kp_monitor_day_bj(at), day);
	r = kp_store_inspection_latest(s, j->url, day, &in, e);
	if (r < 0)
		return -1;
	if (r == 0)   /* nothing to base a check on (yet, as of its day) */
		return kp_store_job_close(s, j->id, worker, &lost, e);
	sum = in.summary ? json_loads(in.summary, 0, NULL) : NULL;
	refs = colrefs(sum, &n);
	if (!n) {     /* the inspection found no column */
		r = kp_store_job_close(s, j->id, worker, &lost, e);
		goto out;
	}
	kp_inspect_opts_init(&o);
	if (c->host_gap_ms > 0) {
		o.host_take = kp_monitor_take_host;
		o.host_ctx = &hg;
	}
	o.as_of = kp_monitor_day_bj(at);
	o.threads = -1;          /* a worker parses in its loop: one core */
	o.progress = kp_monitor_lease_progress;
	o.progress_ctx = &rn;
	/* the homepage as the inspection wrote it */
	if (kp_inspect_columns_check(in.site, refs, n, &o, &res, &ie) < 0) {
		t->columns_failed++;
		snprintf(t->last_error, sizeof(t->last_error), "%.300s：%.600s",
			 j->url, ie.msg);
		r = kp_store_job_close(s, j->id, worker, &lost, e);
		goto out;
	}
	ck = (kp_column_check){ .site = j->site, .sched = j->sched, .at = at,
				.day = day, .inspection = in.id,
				.pages = (int64_t)res->pages_crawled,
				.columns = check_json(res, at) };
	if (rn.lost) {
		lost = true;
		r = 0;
	} else {
		r = kp_store_column_check_add(s, &ck, j->id, worker, &lost, NULL, e);
	}
	if (r == 0 && lost)
		t->lost++;
	else if (r == 0) {
		t->columns_checked++;
		t->columns_pages += ck.pages;
	}
	free(ck.columns);
out:
	if (res)
		kp_inspect_result_free(res);
	free(refs);
	json_decref(sum);
	kp_inspection_release(&in);
	return r < 0 ? -1 : 0;
}
