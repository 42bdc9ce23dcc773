/* web — 检测: the round's stored inspections (`kaoping inspect --round
 * --unit`) and their findings with evidence — URL, snippet, the
 * evidence's day and the check's Chinese title — and the latest review
 * of each; a unit account sees its own unit's only.  And a recheck: the
 * unit's registered sites queued as monitoring probes for `kaoping
 * worker` (the store's jobs; a full crawl is still `kaoping inspect`). */
#include "web/pages_int.h"
#include "inspect/inspect.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *inspection_json(const kp_inspection *in)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:s, s:o, s:[]}",
		"id", (json_int_t)in->id, "unit", in->unit, "site", in->site,
		"as_of", in->as_of, "started_at", str_or_null(in->started_at),
		"finished_at", str_or_null(in->finished_at),
		"pages", (json_int_t)in->pages, "nfindings", (json_int_t)in->nfindings,
		"author", in->author ? in->author : "",
		"previous", in->previous ? json_integer(in->previous) : json_null(),
		"findings");
}

struct findings_ctx {
	json_t *arr;          /* the inspection's findings */
	json_t *reviews;      /* "inspection:ord" → decision (borrowed) */
	int64_t inspection;
};

static int finding_row(void *ctx, const kp_store_finding *f, kp_err *e)
{
	struct findings_ctx *c = ctx;
	char k[48];
	json_t *rv;
	(void)e;
	snprintf(k, sizeof(k), "%lld:%lld", (long long)c->inspection, (long long)f->ord);
	rv = json_object_get(c->reviews, k);
	json_array_append_new(c->arr, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:O}",
		"ord", (json_int_t)f->ord, "check", f->check,
		"title", kp_inspect_check_title(f->check), "key", str_or_null(f->key),
		"severity", str_or_null(f->severity), "message", str_or_null(f->message),
		"url", str_or_null(f->url), "snippet", str_or_null(f->snippet),
		"time", str_or_null(f->time), "review", rv ? rv : json_null()));
	return 0;
}

static int review_row(void *ctx, const kp_store_review *r, kp_err *e)
{
	char k[48];
	(void)e;
	snprintf(k, sizeof(k), "%lld:%lld", (long long)r->inspection, (long long)r->ord);
	json_object_set_new(ctx, k, json_string(r->decision));   /* latest wins */
	return 0;
}

struct list_ctx {
	kp_web_req *rq;
	kp_rnd *r;
	json_t *arr;
};

static int inspection_row(void *ctx, const kp_inspection *in, kp_err *e)
{
	struct list_ctx *c = ctx;
	(void)e;
	if (kp_web_pages_visible(c->rq, c->r, in->unit))
		json_array_append_new(c->arr, inspection_json(in));
	return 0;
}

/* The findings of each inspection in arr, with reviews. */
static int fill_findings(kp_store *db, json_t *arr, json_t *reviews, kp_err *e)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		struct findings_ctx fc = { json_object_get(o, "findings"), reviews,
					   json_integer_value(json_object_get(o, "id")) };
		if (kp_store_findings_each(db, fc.inspection, finding_row, &fc, e) < 0)
			return -1;
	}
	return 0;
}

/* The unit a unit account may see, canonical; NULL for other staff. */
static const char *own_unit(const kp_web_req *rq, const kp_rnd *r, bool *none)
{
	long i;
	*none = false;
	if (rq->role != KP_WEB_UNIT)
		return NULL;
	if ((i = kp_rnd_find_unit(r, rq->session->user.unit)) < 0) {
		*none = true;
		return NULL;
	}
	return kp_rnd_unit_name(r, (size_t)i);
}

void kp_web_inspections(kp_web_req *rq)
{
	kp_rnd *r = kp_web_pages_round(rq);
	struct list_ctx c;
	json_t *reviews = json_object();
	const char *unit;
	bool none;
	kp_err e;
	if (!r) {
		json_decref(reviews);
		return;
	}
	c.rq = rq;
	c.r = r;
	c.arr = json_array();
	unit = own_unit(rq, r, &none);
	if (!none &&
	    (kp_store_reviews_each(kp_rnd_store(r), kp_rnd_round(r)->id, unit,
				   review_row, reviews, &e) < 0 ||
	     kp_store_inspections_each(kp_rnd_store(r), kp_rnd_round(r)->id, unit,
				       inspection_row, &c, &e) < 0 ||
	     fill_findings(kp_rnd_store(r), c.arr, reviews, &e) < 0)) {
		kp_web_fail(rq, &e);
		json_decref(c.arr);
	} else {
		rq->out = json_pack("{s:s, s:o}", "round", kp_rnd_round(r)->name,
				    "inspections", c.arr);
	}
	json_decref(reviews);
	kp_rnd_close(r);
}

/* Inspection {id} of round r as this session may see it: 0 (*in filled,
 * caller kp_inspection_release), or an answer (404 for another round's,
 * another unit's or none) and -1. */
static int inspection_get(kp_web_req *rq, kp_rnd *r, kp_inspection *in)
{
	const char *s = kp_web_param(&rq->params, "id");
	char *end;
	long long id = strtoll(s, &end, 10);
	kp_err e;
	memset(in, 0, sizeof(*in));
	if (*end || id <= 0) {
		kp_web_error(rq, 404, "没有编号为“%s”的检测", s);
		return -1;
	}
	if (kp_store_inspection_get(kp_rnd_store(r), id, in, &e) < 0) {
		kp_inspection_release(in);
		if (e.code == KP_EINPUT)
			kp_web_error(rq, 404, "轮次“%s”没有编号为 %lld 的检测",
				     kp_rnd_round(r)->name, id);
		else
			kp_web_fail(rq, &e);
		return -1;
	}
	if (in->round_id != kp_rnd_round(r)->id ||
	    !kp_web_pages_visible(rq, r, in->unit)) {
		kp_inspection_release(in);
		kp_web_error(rq, 404, "轮次“%s”没有编号为 %lld 的检测",
			     kp_rnd_round(r)->name, id);
		return -1;
	}
	return 0;
}

void kp_web_inspection(kp_web_req *rq)
{
	kp_rnd *r = kp_web_pages_round(rq);
	kp_inspection in;
	json_t *reviews = json_object(), *arr = json_array();
	kp_err e;
	if (!r)
		goto done;
	if (inspection_get(rq, r, &in) < 0)
		goto done;
	json_array_append_new(arr, inspection_json(&in));
	if (kp_store_reviews_each(kp_rnd_store(r), kp_rnd_round(r)->id, in.unit,
				  review_row, reviews, &e) < 0 ||
	    fill_findings(kp_rnd_store(r), arr, reviews, &e) < 0)
		kp_web_fail(rq, &e);
	else
		rq->out = json_incref(json_array_get(arr, 0));
	kp_inspection_release(&in);
done:
	json_decref(arr);
	json_decref(reviews);
	kp_rnd_close(r);
}

/* ---- recheck ---- */

/* An integer member of the request body within lo..hi into *out (left
 * as it is when absent): 0, or -1 with an answer of 400. */
static int body_int(kp_web_req *rq, json_t *in, const char *key, long lo,
		    long hi, long *out)
{
	json_t *v = json_object_get(in, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		kp_web_error(rq, 400, "%s 应为 %ld 到 %ld 之间的整数", key, lo, hi);
		return -1;
	}
	*out = (long)json_integer_value(v);
	return 0;
}

/* The crawl's options from the optional body {"as_of", "timeout",
 * "retries", "max_pages"} (as `kaoping inspect --as-of --timeout
 * --retries --max-pages`): 0, or -1 with an answer of 400. */
static int recheck_opts(kp_web_req *rq, kp_inspect_opts *o)
{
	json_t *in = NULL;
	const char *asof;
	long timeout = -1, retries = -1, pages = -1;
	int rc = -1;
	kp_inspect_opts_init(o);
	if (rq->nbody && !(in = kp_web_pages_body(rq)))
		return -1;
	if ((asof = in ? kp_web_pages_str(in, "as_of") : NULL)) {
		o->as_of = kp_inspect_date_parse(asof);
		if (!o->as_of || strlen(asof) != 10) {
			kp_web_error(rq, 400, "as_of 应为 YYYY-MM-DD 格式的日期，而不是“%s”", asof);
			goto out;
		}
	} else {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		o->as_of = kp_inspect_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	if (in && (body_int(rq, in, "timeout", 1, 600, &timeout) < 0 ||
		   body_int(rq, in, "retries", 0, 10, &retries) < 0 ||
		   body_int(rq, in, "max_pages", 1, 10000000, &pages) < 0))
		goto out;
	if (timeout > 0)
		o->timeout_ms = timeout * 1000;
	if (retries >= 0)
		o->retries = (int)retries;
	if (pages > 0)
		o->max_pages = (size_t)pages;
	rc = 0;
out:
	json_decref(in);
	return rc;
}

/* The audit row of a re-inspection started: who, which, from where. */
static int recheck_audit(kp_web_req *rq, kp_rnd *r, const kp_inspection *in,
			 int64_t job)
{
	kp_buf detail = KP_BUF_INIT;
	kp_err e;
	int rc;
	kp_buf_addf(&detail, "网页开始复查 %s 的网站 %s（检测 %lld，复查任务 %lld），来自 %s",
		    in->unit, in->site, (long long)in->id, (long long)job, rq->addr);
	rc = kp_store_audit(kp_rnd_store(r), kp_rnd_round(r)->id, kp_web_pages_who(rq),
			    "web-recheck", detail.data, &e);
	if (rc < 0)
		kp_web_fail(rq, &e);
	kp_buf_release(&detail);
	return rc;
}

void kp_web_inspection_recheck(kp_web_req *rq)
{
	kp_rnd *r = kp_web_pages_round(rq);
	kp_inspection in;
	kp_inspect_opts o;
	const char *why = NULL;
	int64_t job;
	if (!r)
		return;
	if (recheck_opts(rq, &o) < 0 || inspection_get(rq, r, &in) < 0) {
		kp_rnd_close(r);
		return;
	}
	job = kp_web_recheck_start(rq, kp_rnd_round(r)->name, in.unit, in.site,
				   in.id, &o, &why);
	if (!job) {
		kp_web_error(rq, 409, "%s", why);
	} else if (recheck_audit(rq, r, &in, job) == 0) {
		rq->status = 202;
		rq->out = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "job", (json_int_t)job,
				    "round", kp_rnd_round(r)->name, "unit", in.unit,
				    "inspection", (json_int_t)in.id, "site", in.site,
				    "state", "running");
	}
	kp_inspection_release(&in);
	kp_rnd_close(r);
}
