/* web — 检测: a re-inspection of a unit's site started from the page.
 * The crawl takes from seconds to minutes, longer than a request should,
 * so it runs in a thread of its own (a job): POST …/inspections/{id}/
 * recheck starts it and answers 202 at once; GET …/rechecks shows every
 * job's progress (pages fetched, queued, errors) and, once stored, the
 * new inspection's number and what changed.  The job does what `kaoping
 * inspect URL --round R --unit U` does, through the same calls of the
 * application layer: kp_rnd_target_open (the round and unit, before the
 * crawl), kp_inspect_run, kp_rnd_target_filter (reviewed false alarms
 * left out) and kp_rnd_target_store (stored with its findings, compared
 * with the one before, audit row).
 *
 * Bounds: at most KP_WEB_RECHECK_RUNNING jobs at once, one per round and
 * unit; each stops starting requests after KP_WEB_RECHECK_SECONDS.  The
 * last KP_WEB_RECHECK_KEPT jobs are remembered (in memory: a restart
 * forgets the jobs, never a stored inspection).  kp_web_jobs_stop (server
 * shutdown) asks the crawls to end, joins them, and stores nothing of a
 * crawl it cut short. */
#include "web/pages_int.h"
#include "inspect/inspect.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define KP_WEB_RECHECK_RUNNING 2
#define KP_WEB_RECHECK_KEPT 32
#define KP_WEB_RECHECK_SECONDS 600

enum { JOB_RUNNING, JOB_DONE, JOB_FAILED };

struct job {
	int64_t id, from;              /* from: the inspection rechecked */
	char *conn, *round, *unit, *site, *who;
	kp_inspect_opts o;
	pthread_t th;
	/* under jobs->lock from here on */
	int state;
	kp_inspect_progress p;
	char started[24], finished[24];
	int64_t inspection;            /* the new one, when stored */
	size_t nfindings, nnew, nfixed;
	char *error;
	struct kp_web_jobs *jobs;
};

struct kp_web_jobs {
	pthread_mutex_t lock;
	atomic_int stop;
	struct job *v[KP_WEB_RECHECK_KEPT];   /* oldest first */
	size_t n;
	int64_t next;
};

static void job_free(struct job *j)
{
	free(j->conn);
	free(j->round);
	free(j->unit);
	free(j->site);
	free(j->who);
	free(j->error);
	free(j);
}

static void on_progress(const kp_inspect_progress *p, void *ctx)
{
	struct job *j = ctx;
	pthread_mutex_lock(&j->jobs->lock);
	j->p = *p;
	pthread_mutex_unlock(&j->jobs->lock);
}

static void finish(struct job *j, int state, const char *error)
{
	pthread_mutex_lock(&j->jobs->lock);
	kp_store_now(j->finished);
	j->state = state;
	if (error)
		j->error = kp_xstrdup(error);
	pthread_mutex_unlock(&j->jobs->lock);
}

/* Store res as `kaoping inspect --round --unit` does: 0, or -1 and e. */
static int store(struct job *j, kp_rnd_target *t, kp_inspect_result *res,
		 kp_err *e)
{
	json_t *js = kp_inspect_result_json(res), *arr = json_object_get(js, "findings");
	char **keys = kp_inspect_finding_keys(res);
	int rc;
	for (size_t i = 0; i < res->nfindings; i++)
		json_object_set_new(json_array_get(arr, i), "key", json_string(keys[i]));
	rc = kp_rnd_target_filter(t, res, keys, js, e);
	if (rc == 0)
		rc = kp_rnd_target_store(t, res, keys, js, j->started, j->finished,
					 j->who, e);
	if (rc == 0) {
		json_t *ch = json_object_get(js, "changes");
		pthread_mutex_lock(&j->jobs->lock);
		j->inspection = json_integer_value(json_object_get(json_object_get(js, "inspection"), "id"));
		j->nfindings = json_array_size(json_object_get(js, "findings"));
		j->nnew = json_array_size(json_object_get(ch, "new"));
		j->nfixed = json_array_size(json_object_get(ch, "fixed"));
		pthread_mutex_unlock(&j->jobs->lock);
	}
	kp_inspect_finding_keys_free(keys, res->nfindings);
	json_decref(js);
	return rc;
}

static void *run(void *arg)
{
	struct job *j = arg;
	kp_rnd_target t;
	kp_inspect_result *res = NULL;
	kp_err e;
	if (kp_rnd_target_open(j->conn, j->round, j->unit, &t, &e) < 0) {
		finish(j, JOB_FAILED, e.msg);
		return NULL;
	}
	if (kp_inspect_run(j->site, &j->o, &res, &e) < 0) {
		finish(j, JOB_FAILED, e.msg);
	} else if (atomic_load(&j->jobs->stop)) {
		finish(j, JOB_FAILED, "服务器停止，检测未完成，没有存入");
	} else {
		pthread_mutex_lock(&j->jobs->lock);
		kp_store_now(j->finished);
		pthread_mutex_unlock(&j->jobs->lock);
		if (store(j, &t, res, &e) < 0)
			finish(j, JOB_FAILED, e.msg);
		else
			finish(j, JOB_DONE, NULL);
	}
	kp_inspect_result_free(res);
	kp_rnd_target_close(&t);
	return NULL;
}

static struct kp_web_jobs *jobs_of(kp_web *w)
{
	struct kp_web_jobs *js;
	pthread_mutex_lock(&w->lock);
	if (!w->jobs) {
		w->jobs = kp_xcalloc(1, sizeof(*w->jobs));
		pthread_mutex_init(&w->jobs->lock, NULL);
		w->jobs->next = 1;
	}
	js = w->jobs;
	pthread_mutex_unlock(&w->lock);
	return js;
}

/* Room for one more job (under js->lock): the oldest finished one is
 * joined and forgotten when the list is full; NULL and a message when
 * too many run, or one runs for this round and unit already. */
static const char *admit(struct kp_web_jobs *js, const char *round,
			 const char *unit)
{
	size_t running = 0;
	for (size_t i = 0; i < js->n; i++) {
		if (js->v[i]->state != JOB_RUNNING)
			continue;
		running++;
		if (!strcmp(js->v[i]->round, round) && !strcmp(js->v[i]->unit, unit))
			return "这个单位的复查正在进行，请等它完成";
	}
	if (running >= KP_WEB_RECHECK_RUNNING)
		return "同时进行的复查已达上限（2 个），请等一个完成后再试";
	if (js->n == KP_WEB_RECHECK_KEPT) {
		size_t k = 0;
		while (js->v[k]->state == JOB_RUNNING)
			k++;
		pthread_join(js->v[k]->th, NULL);
		job_free(js->v[k]);
		memmove(js->v + k, js->v + k + 1, (js->n - k - 1) * sizeof(js->v[0]));
		js->n--;
	}
	return NULL;
}

int64_t kp_web_recheck_start(kp_web_req *rq, const char *round,
			     const char *unit, const char *site, int64_t from,
			     const kp_inspect_opts *o, const char **why)
{
	struct kp_web_jobs *js = jobs_of(rq->w);
	struct job *j;
	int64_t id;
	pthread_mutex_lock(&js->lock);
	if ((*why = admit(js, round, unit))) {
		pthread_mutex_unlock(&js->lock);
		return 0;
	}
	j = kp_xcalloc(1, sizeof(*j));
	j->id = id = js->next++;
	j->from = from;
	j->conn = kp_xstrdup(rq->w->conn);
	j->round = kp_xstrdup(round);
	j->unit = kp_xstrdup(unit);
	j->site = kp_xstrdup(site);
	j->who = kp_xstrdup(kp_web_pages_who(rq));
	j->o = *o;
	j->o.progress = on_progress;
	j->o.progress_ctx = j;
	j->o.stop = &js->stop;
	if (!j->o.max_seconds || j->o.max_seconds > KP_WEB_RECHECK_SECONDS)
		j->o.max_seconds = KP_WEB_RECHECK_SECONDS;
	j->jobs = js;
	kp_store_now(j->started);
	if (pthread_create(&j->th, NULL, run, j) != 0) {
		job_free(j);
		*why = "无法启动复查的线程";
		pthread_mutex_unlock(&js->lock);
		return 0;
	}
	js->v[js->n++] = j;
	pthread_mutex_unlock(&js->lock);
	return id;
}

static const char *state_name(int s)
{
	return s == JOB_RUNNING ? "running" : s == JOB_DONE ? "done" : "failed";
}

static const char *state_label(int s)
{
	return s == JOB_RUNNING ? "进行中" : s == JOB_DONE ? "已完成" : "未完成";
}

static json_t *job_json(const struct job *j)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}",
		"id", (json_int_t)j->id, "round", j->round, "unit", j->unit,
		"site", j->site, "from", (json_int_t)j->from, "state",
		state_name(j->state), "state_label", state_label(j->state),
		"author", j->who, "started_at", j->started);
	json_object_set_new(o, "finished_at", *j->finished ? json_string(j->finished) : json_null());
	json_object_set_new(o, "progress", json_pack("{s:I, s:I, s:I, s:I, s:f}",
		"fetched", (json_int_t)j->p.fetched, "queued", (json_int_t)j->p.queued,
		"inflight", (json_int_t)j->p.inflight, "errors", (json_int_t)j->p.errors,
		"elapsed", j->p.elapsed));
	json_object_set_new(o, "inspection", j->inspection ? json_integer((json_int_t)j->inspection) : json_null());
	json_object_set_new(o, "nfindings", json_integer((json_int_t)j->nfindings));
	json_object_set_new(o, "new", json_integer((json_int_t)j->nnew));
	json_object_set_new(o, "fixed", json_integer((json_int_t)j->nfixed));
	json_object_set_new(o, "error", j->error ? json_string(j->error) : json_null());
	return o;
}

/* GET /api/rounds/{round}/rechecks: the round's jobs, newest first; a
 * unit account sees its own unit's only. */
void kp_web_rechecks(kp_web_req *rq)
{
	kp_rnd *r = kp_web_pages_round(rq);
	struct kp_web_jobs *js;
	json_t *a = json_array();
	if (!r) {
		json_decref(a);
		return;
	}
	js = jobs_of(rq->w);
	pthread_mutex_lock(&js->lock);
	for (size_t i = js->n; i-- > 0;) {
		const struct job *j = js->v[i];
		if (!strcmp(j->round, kp_rnd_round(r)->name) &&
		    kp_web_pages_visible(rq, r, j->unit))
			json_array_append_new(a, job_json(j));
	}
	pthread_mutex_unlock(&js->lock);
	rq->out = json_pack("{s:s, s:o}", "round", kp_rnd_round(r)->name, "rechecks", a);
	kp_rnd_close(r);
}

void kp_web_jobs_stop(kp_web *w)
{
	struct kp_web_jobs *js = w->jobs;
	if (!js)
		return;
	atomic_store(&js->stop, 1);
	for (size_t i = 0; i < js->n; i++) {
		pthread_join(js->v[i]->th, NULL);
		job_free(js->v[i]);
	}
	pthread_mutex_destroy(&js->lock);
	free(js);
	w->jobs = NULL;
}
