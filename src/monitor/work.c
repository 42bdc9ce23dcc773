/* monitor — a worker's jobs: claimed in batches, probed many at once on
 * one libcurl multi handle (as curl's own tool runs parallel transfers:
 * a bounded number in flight, curl_multi_poll, each finished handle
 * mapped back to its place by CURLINFO_PRIVATE), each host's politeness
 * gap kept through the store, the leases of all the jobs held renewed
 * together, and the results written in batches (monitor.h,
 * kp_monitor_work, has the contract). */
#include "monitor/monitor_int.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum place_state { FREE, WAITING, RUNNING, FINISHED };

/* One place of the worker: a claimed job through its life — waiting
 * for its host's turn, its transfer running, finished and not yet
 * written. */
struct place {
	enum place_state st;
	kp_job job;
	char key[320];          /* its host's politeness key ("" none) */
	int64_t not_before;     /* WAITING: real ms before which not to ask */
	CURL *h;                /* the place's easy handle, kept for reuse */
	kp_buf body;
	char cerr[CURL_ERROR_SIZE];
	int64_t t0;             /* monotonic ms at the transfer's start */
	kp_probe p;
	char err[512], hash[24];
};

struct work {
	kp_store *s;
	const kp_monitor_conf *c;
	const char *worker;
	kp_monitor_tally *t;
	int64_t due, max, claimed;
	int64_t hold;           /* a lease, seconds */
	int64_t renewed;        /* the second of the last renewal */
	int64_t flushed;        /* monotonic ms of the last write */
	int64_t per_host;       /* jobs of one host held at most (0 any) */
	int64_t claim_after;    /* monotonic ms: no claim before (0 now) */
	bool sim, drained;
	CURLM *m;
	struct place *pl;
	size_t n, running;
};

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t count(const struct work *w, enum place_state st)
{
	size_t k = 0;
	for (size_t i = 0; i < w->n; i++)
		k += w->pl[i].st == st;
	return k;
}

static bool stopping(const struct work *w)
{
	return (w->c->stop && *w->c->stop) || (w->max && w->claimed >= w->max);
}

/* Claim a batch into the free places: when a quarter of them (or all)
 * are free, so that a claim's round trip serves many jobs.  With a gap
 * per host the claim is spread over hosts (kp_store_jobs_claim_hosts):
 * at most per_host jobs of one host held, the hosts free now first.  A
 * claim that brings fewer than asked found the queue drained, unless
 * jobs were left for the cap: then the next claim waits until some of
 * ours are written (flush) or a second has passed (new jobs queued). */
static int claim(struct work *w, kp_err *e)
{
	size_t nfree = count(w, FREE), want = nfree, got = 0, k = 0;
	int64_t now = (int64_t)time(NULL);
	bool more = false;
	kp_job *jv;
	if (w->drained || stopping(w) || !nfree ||
	    (nfree < (w->n + 3) / 4 && nfree < w->n) ||
	    (w->claim_after && mono_ms() < w->claim_after))
		return 0;
	if (w->max && (int64_t)want > w->max - w->claimed)
		want = (size_t)(w->max - w->claimed);
	jv = kp_xmalloc(want * sizeof(*jv));
	if (kp_store_jobs_claim_hosts(w->s, w->worker, w->due, now,
				      now + w->hold, want, "probe", w->per_host,
				      real_ms(), jv, &got, &more, e) < 0) {
		free(jv);
		return -1;
	}
	for (size_t i = 0; i < w->n && k < got; i++) {
		struct place *p = &w->pl[i];
		if (p->st != FREE)
			continue;
		p->job = jv[k++];
		kp_monitor_host_key(p->job.url, p->key, sizeof(p->key));
		p->not_before = 0;
		p->st = WAITING;
	}
	free(jv);
	w->claimed += (int64_t)got;
	w->drained = got < want && !more;
	w->claim_after = got < want && more ? mono_ms() + 1000 : 0;
	if (now > w->renewed)
		w->renewed = now;   /* just leased: no renewal this second */
	return 0;
}

/* Every place waiting for host key: not before until. */
static void host_wait(struct work *w, const char *key, int64_t until)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->pl[i].st == WAITING && !strcmp(w->pl[i].key, key) &&
		    w->pl[i].not_before < until)
			w->pl[i].not_before = until;
}

static void start_one(struct work *w, struct place *p, int64_t now)
{
	kp_monitor_probe_setup(p->h, p->job.url, w->c->timeout_ms, &p->body,
			       p->cerr);
	curl_easy_setopt(p->h, CURLOPT_PRIVATE, p);
	p->p = (kp_probe){ .started_ms = now };
	p->t0 = mono_ms();
	p->st = RUNNING;
	w->running++;
	curl_multi_add_handle(w->m, p->h);
}

/* Start the waiting jobs whose hosts allow it, up to parallel in
 * flight: a host taken is not asked again by this worker before its gap
 * is over, nor one that said to wait before it said. */
static int start(struct work *w, kp_err *e)
{
	int64_t gap = w->c->host_gap_ms;
	for (size_t i = 0; i < w->n && w->running < w->n; i++) {
		struct place *p = &w->pl[i];
		int64_t now = real_ms(), wait = 0;
		if (p->st != WAITING || p->not_before > now)
			continue;
		if (gap > 0 && p->key[0] &&
		    kp_store_host_take(w->s, p->key, gap, now, &wait, e) < 0)
			return -1;
		if (wait > 0) {
			host_wait(w, p->key, now + wait);
			continue;
		}
		start_one(w, p, now);
		if (gap > 0 && p->key[0])
			host_wait(w, p->key, now + gap);
	}
	return 0;
}

/* The transfers libcurl has finished: their probes, to be written. */
static void finish(struct work *w)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(w->m, &left))) {
		struct place *p = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&p);
		curl_multi_remove_handle(w->m, msg->easy_handle);
		if (!p)
			continue;
		kp_monitor_probe_result(p->h, msg->data.result, &p->body, p->cerr,
					mono_ms() - p->t0, &p->p, p->err,
					sizeof(p->err), p->hash);
		kp_buf_release(&p->body);
		p->p.site = p->job.site;
		p->p.sched = p->job.sched;
		p->p.at = w->sim ? p->job.sched : (int64_t)time(NULL);
		p->p.error = p->err;
		p->p.hash = p->hash;
		p->st = FINISHED;
		w->running--;
	}
}

/* A place's job is no longer the worker's: its transfer (if any)
 * aborted, nothing written. */
static void drop(struct work *w, struct place *p)
{
	if (p->st == RUNNING) {
		curl_multi_remove_handle(w->m, p->h);
		w->running--;
	}
	kp_buf_release(&p->body);
	p->st = FREE;
	w->t->lost++;
}

/* Each new second of the clock leases are compared by: every job held
 * leased until now + hold, in one statement; those found taken dropped. */
static int renew(struct work *w, kp_err *e)
{
	int64_t now = (int64_t)time(NULL);
	int64_t *ids;
	bool *held;
	size_t k = 0;
	int r;
	if (now <= w->renewed)
		return 0;
	w->renewed = now;
	ids = kp_xmalloc(w->n * sizeof(*ids));
	held = kp_xmalloc(w->n * sizeof(*held));
	for (size_t i = 0; i < w->n; i++)
		if (w->pl[i].st != FREE)
			ids[k++] = w->pl[i].job.id;
	r = kp_store_jobs_renew(w->s, w->worker, ids, k, now + w->hold, held, e);
	for (size_t i = 0, j = 0; r == 0 && i < w->n; i++) {
		if (w->pl[i].st == FREE)
			continue;
		if (!held[j++])
			drop(w, &w->pl[i]);
	}
	free(ids);
	free(held);
	return r;
}

/* Write the finished probes with their jobs' completion, one
 * transaction: when a quarter of the places have finished, when nothing
 * else is held, or 200 ms after the last write (force: now). */
static int flush(struct work *w, bool force, kp_err *e)
{
	size_t nf = count(w, FINISHED), k = 0;
	int64_t *ids;
	kp_probe *pv;
	bool *written;
	int r;
	if (!nf || (!force && nf < (w->n + 3) / 4 &&
		    nf < w->n - count(w, FREE) && mono_ms() - w->flushed < 200))
		return 0;
	ids = kp_xmalloc(nf * sizeof(*ids));
	pv = kp_xmalloc(nf * sizeof(*pv));
	written = kp_xmalloc(nf * sizeof(*written));
	for (size_t i = 0; i < w->n; i++)
		if (w->pl[i].st == FINISHED) {
			ids[k] = w->pl[i].job.id;
			pv[k++] = w->pl[i].p;
		}
	r = kp_store_jobs_done(w->s, w->worker, ids, pv, nf, written, e);
	for (size_t i = 0, j = 0; r == 0 && i < w->n; i++) {
		if (w->pl[i].st != FINISHED)
			continue;
		if (written[j]) {
			w->t->probed++;
			w->t->failed += !pv[j].ok;
		} else {
			w->t->lost++;   /* another worker has the job now */
		}
		j++;
		w->pl[i].st = FREE;
	}
	w->flushed = mono_ms();
	w->claim_after = 0;   /* places free, and fewer of a host held */
	free(ids);
	free(pv);
	free(written);
	return r;
}

/* How long to wait for the transfers: until the next waiting job may
 * ask its host, at most 100 ms (renewals each second, writes each 200). */
static int poll_ms(const struct work *w)
{
	int64_t now = real_ms(), ms = 100;
	for (size_t i = 0; i < w->n; i++)
		if (w->pl[i].st == WAITING && w->pl[i].not_before - now < ms)
			ms = w->pl[i].not_before - now;
	return ms < 0 ? 0 : (int)ms;
}

static void work_release(struct work *w)
{
	for (size_t i = 0; i < w->n; i++) {
		if (w->pl[i].st == RUNNING)
			curl_multi_remove_handle(w->m, w->pl[i].h);
		if (w->pl[i].h)
			curl_easy_cleanup(w->pl[i].h);
		kp_buf_release(&w->pl[i].body);
	}
	free(w->pl);
	if (w->m)
		curl_multi_cleanup(w->m);
}

/* A whole-site job of kind, run by fn (the same signature for both). */
typedef int (*site_job_fn)(kp_store *s, const kp_monitor_conf *c,
			   const char *worker, const kp_job *j, bool sim,
			   kp_monitor_tally *t, kp_err *e);

/* The due jobs of kind, one at a time (each renews its own lease), at
 * most max (0: all) or until a stop is asked; *ran counts them.  Used
 * after the probes for the inspections of whole sites (inspect.c), then
 * for the column checks (colcheck.c: after the inspections, so that a
 * check is based on an inspection stored in the same step). */
static int one_by_one(kp_store *s, const kp_monitor_conf *c,
		      const char *worker, int64_t due, bool sim, int64_t max,
		      const char *kind, site_job_fn fn, int64_t *ran,
		      kp_monitor_tally *t, kp_err *e)
{
	int64_t hold = c->lease > 2 ? c->lease : 2;
	for (int64_t done = 0; !max || done < max; done++, (*ran)++) {
		kp_job j;
		size_t got;
		int64_t now = (int64_t)time(NULL);
		if (c->stop && *c->stop)
			break;
		if (kp_store_jobs_claim(s, worker, due, now, now + hold, 1,
					kind, &j, &got, e) < 0)
			return -1;
		if (!got)
			break;
		if (fn(s, c, worker, &j, sim, t, e) < 0)
			return -1;
	}
	return 0;
}

int kp_monitor_work(kp_store *s, const kp_monitor_conf *c,
		    const char *worker, int64_t due, bool sim, int64_t max,
		    kp_monitor_tally *t, kp_err *e)
{
	struct work w = { .s = s, .c = c, .worker = worker, .t = t, .due = due,
			  .max = max, .sim = sim, .flushed = mono_ms() };
	int rc = 0;
	/* leases are compared in whole seconds: a 1-second lease could
	 * run out the moment it is given */
	w.hold = c->lease > 2 ? c->lease : 2;
	w.n = c->parallel > 0 ? (size_t)c->parallel : 1;
	/* of one host, enough jobs held to keep it busy through a second
	 * (the time a finished job takes to be written and replaced) at its
	 * gap, and one more, but no more than a quarter of the places (at
	 * least 2): the rest serve other hosts */
	if (c->host_gap_ms > 0) {
		int64_t q = (int64_t)w.n / 4 > 2 ? (int64_t)w.n / 4 : 2;
		w.per_host = 1 + (1000 + c->host_gap_ms - 1) / c->host_gap_ms;
		if (w.per_host > q)
			w.per_host = q;
	}
	/* sites whose politeness key is not stored yet (added before
	 * migration 23): the claims' hosts come from the store */
	if (kp_store_sites_fill_hosts(s, kp_monitor_host_key, NULL, e) < 0)
		return -1;
	w.pl = kp_xcalloc(w.n, sizeof(*w.pl));
	w.m = curl_multi_init();
	for (size_t i = 0; i < w.n; i++) {
		w.pl[i].h = curl_easy_init();
		kp_buf_init(&w.pl[i].body, KP_PROBE_BODY_MAX);
		if (!w.pl[i].h)
			rc = kp_fail(e, KP_EIO, "无法启动 libcurl");
	}
	if (!w.m)
		rc = kp_fail(e, KP_EIO, "无法启动 libcurl");
	while (rc == 0) {
		int still = 0;
		if (claim(&w, e) < 0 || start(&w, e) < 0) {
			rc = -1;
			break;
		}
		if (w.running && curl_multi_perform(w.m, &still) != CURLM_OK)
			rc = kp_fail(e, KP_EIO, "libcurl 并发传输出错");
		finish(&w);
		if (rc < 0 || renew(&w, e) < 0 ||
		    flush(&w, w.running == 0 && !count(&w, WAITING), e) < 0) {
			rc = -1;
			break;
		}
		if (count(&w, FREE) == w.n && (w.drained || stopping(&w)))
			break;
		/* (nothing held but jobs left for the cap: curl_multi_poll
		 * waits out its timeout with no transfers) */
		if (w.running || count(&w, WAITING) || !w.drained)
			curl_multi_poll(w.m, NULL, 0, poll_ms(&w), NULL);
	}
	work_release(&w);
	if (rc == 0 && (!max || w.claimed < max))
		rc = one_by_one(s, c, worker, due, sim, max ? max - w.claimed : 0,
				"inspect", kp_monitor_inspect_job, &w.claimed, t, e);
	if (rc == 0 && (!max || w.claimed < max)) {
		int64_t checks = 0;   /* not counted against max */
		rc = one_by_one(s, c, worker, due, sim, max ? max - w.claimed : 0,
				"columns", kp_monitor_columns_job, &checks, t, e);
	}
	return rc;
}
