/* monitor — scheduled inspections of whole sites: queued (schedule.c) as jobs of kind
 * 'inspect' beside the probes, claimed by the same workers under the
 * same leases, and run through the application layer
 * (kp_rnd_inspect_site), which stores each as `kaoping inspect --round
 * --unit` would and closes the job in the inspection's own transaction:
 * a job run twice (its first worker died or stalled past its lease)
 * stores one inspection.  monitor.h has the contract. */
#include "monitor/monitor_int.h"
#include "inspect/inspect.h"
#include "round/round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The lease, renewed from the crawl's progress (five times a second)
 * each new second; a renewal that finds the job gone is remembered: the
 * crawl goes on, and storing it fails harmlessly (its transaction checks
 * the lease again). */
void kp_monitor_lease_progress(const kp_inspect_progress *p, void *ctx)
{
	struct kp_monitor_renewal *r = ctx;
	int64_t now = (int64_t)time(NULL);
	kp_err e;
	(void)p;
	if (r->lost || now <= r->last)
		return;
	r->last = now;
	if (kp_store_job_renew(r->s, r->job, r->worker, now + r->hold, &e) < 0)
		r->lost = true;
}

/* The crawl's requests keep the workers' shared gap per host
 * (kp_inspect_opts.host_take): the probes' politeness, through the
 * worker's store.  A store error lets the request go (the crawl goes
 * on; storing the inspection will say what is wrong with the store). */
int kp_monitor_take_host(void *ctx, const char *url, int64_t *wait_ms)
{
	const struct kp_monitor_host_gap *g = ctx;
	char key[320];
	struct timespec ts;
	kp_err e;
	*wait_ms = 0;
	if (kp_monitor_host_key(url, key, sizeof(key)) < 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	return kp_store_host_take(g->s, key, g->gap_ms,
				  (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
				  wait_ms, &e);
}

kp_inspect_date kp_monitor_day_bj(int64_t t)
{
	time_t tt = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	return kp_inspect_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
					tm.tm_mday);
}

int kp_monitor_inspect_job(kp_store *s, const kp_monitor_conf *c,
			   const char *worker, const kp_job *j, bool sim,
			   kp_monitor_tally *t, kp_err *e)
{
	kp_inspect_opts o;
	kp_rnd_site_result res;
	kp_err ie = { 0 };
	int64_t real = (int64_t)time(NULL);
	struct kp_monitor_renewal rn = { s, worker, j->id,
					 c->lease > 2 ? c->lease : 2, real, false };
	bool lost = false;
	struct kp_monitor_host_gap hg = { s, c->host_gap_ms };
	kp_inspect_opts_init(&o);
	if (c->host_gap_ms > 0) {
		o.host_take = kp_monitor_take_host;
		o.host_ctx = &hg;
	}
	o.as_of = kp_monitor_day_bj(sim ? j->sched : real);
	o.threads = -1;          /* a worker parses in its loop: one core */
	o.progress = kp_monitor_lease_progress;
	o.progress_ctx = &rn;
	kp_rnd_site_job sj = {
		.conn = c->conn, .round = c->round, .unit = j->unit,
		.site = j->url, .opts = &o, .incremental = !c->inspect_full,
		.job = j->id, .worker = worker, .author = "kaoping monitor",
	};
	if (!c->conn)
		return kp_fail(e, KP_EINPUT, "整站检测任务需要数据库的连接串");
	if (kp_rnd_inspect_site(&sj, &res, &ie) < 0) {
		if (ie.code == KP_EIO) {   /* the store: the job stays, to be
					    * claimed again after its lease */
			*e = ie;
			return -1;
		}
		/* not run (no round; the unit is not in it; the site's
		 * homepage is not a URL): said once, the job closed */
		t->inspect_failed++;
		snprintf(t->last_error, sizeof(t->last_error), "%.300s：%.600s", j->url,
			 ie.msg);
		return kp_store_job_close(s, j->id, worker, &lost, e);
	}
	if (res.lost) {
		t->lost++;
		return 0;
	}
	t->inspected++;
	t->inspect_pages += (int64_t)res.pages;
	t->inspect_downloaded += (int64_t)res.downloaded;
	return 0;
}
