/* monitor's files among themselves: probe.c (transfers) ← work.c (a
 * worker's jobs, many transfers at once) ← schedule.c (steps, rules,
 * warnings) ← report.c. */
#ifndef KP_MONITOR_INT_H
#define KP_MONITOR_INT_H

#include "monitor/monitor.h"

/* POST body (JSON text) to url; 0 on a 2xx answer, else -1 with e
 * filled (probe.c). */
int kp_monitor_post(const char *url, const char *body, long timeout_ms,
		    kp_err *e);

/* Send one e-mail (message: its headers and body, CRLF lines, as RFC
 * 5322 has them) through c's SMTP server from c->mail_from to each of
 * c->mail_to; 0 when the server took it, else -1 with e (probe.c). */
int kp_monitor_mail(const kp_monitor_conf *c, const char *message,
		    kp_err *e);

/* A probe's transfer in two halves (probe.c), so that work.c can run
 * many at once on a libcurl multi handle: setup readies the easy handle
 * (reset, keeping its connections) to GET url within timeout_ms into
 * body (its cap is the caller's: 4 MB), errors into cerr
 * (CURL_ERROR_SIZE bytes); result reads the finished transfer (rc its
 * CURLcode; handle NULL: libcurl could not start) into p's status,
 * latency_ms and ok, err ("" when ok) and hash (17 bytes). */
#define KP_PROBE_BODY_MAX (4u << 20)
void kp_monitor_probe_setup(void *handle, const char *url, long timeout_ms,
			    kp_buf *body, char *cerr);
void kp_monitor_probe_result(void *handle, int rc, const kp_buf *body,
			     const char *cerr, int64_t latency_ms, kp_probe *p,
			     char *err, size_t errsz, char *hash);

/* ---- what a worker's crawls share (inspect.c): the scheduled
 * inspections' and the column checks' ---- */
struct kp_inspect_progress;
/* The job's lease renewed from a crawl's progress callback
 * (kp_inspect_opts.progress; ctx a struct kp_monitor_renewal) each new
 * second; a renewal that finds the job gone sets lost (the crawl goes
 * on, its result is not written). */
struct kp_monitor_renewal {
	kp_store *s;
	const char *worker;
	int64_t job, hold, last;
	bool lost;
};
void kp_monitor_lease_progress(const struct kp_inspect_progress *p, void *ctx);
/* kp_inspect_opts.host_take through the store (ctx a struct
 * kp_monitor_host_gap): the probes' politeness gap per host. */
struct kp_monitor_host_gap {
	kp_store *s;
	int64_t gap_ms;
};
int kp_monitor_take_host(void *ctx, const char *url, int64_t *wait_ms);
/* The day of t (seconds) in Beijing time. */
kp_date kp_monitor_day_bj(int64_t t);

/* Run a claimed 'columns' job j as worker (colcheck.c): the column check
 * of the site's newest inspection as of the slot's day (sim) or today,
 * stored with the job closed in one transaction.  A site without an
 * inspection, or one whose inspection has no columns, closes the job
 * with nothing stored; -1 only when the store fails. */
int kp_monitor_columns_job(kp_store *s, const kp_monitor_conf *c,
			   const char *worker, const kp_job *j, bool sim,
			   kp_monitor_tally *t, kp_err *e);

/* A rule's Chinese name and the text of its veto line (schedule.c). */
const char *kp_monitor_rule_title(const char *rule);
const char *kp_monitor_rule_text(const char *rule);

/* The evidence of rule "availability" or "homepage" in verdict v, as a
 * warning stores it (schedule.c; the caller's). */
struct json_t *kp_monitor_rule_evidence(const kp_monitor_verdict *v,
					const char *rule);

/* Open, raise or resolve the warning of rule at site (schedule.c), for
 * every rule: with none open, open one at level 1 (预警) or 2 (否决);
 * raise an open warning to veto at level 2; resolve an open one when
 * resolved.  ev, the evidence stored with the change, is taken (freed
 * here either way).  t counts what changed. */
int kp_monitor_warn(kp_store *s, int64_t site, const char *rule, int level,
		    bool resolved, struct json_t *ev, int64_t now,
		    kp_monitor_tally *t, kp_err *e);
/* The same with the rule's open warning already read: open_id (0 none)
 * and whether it is at the veto level (a step reads every site's open
 * warnings in one statement). */
int kp_monitor_warn_known(kp_store *s, int64_t site, const char *rule,
			  int64_t open_id, bool open_veto, int level,
			  bool resolved, struct json_t *ev, int64_t now,
			  kp_monitor_tally *t, kp_err *e);

/* ---- the column rules (columns.c) ---- */
#define KP_MONITOR_STALE_VETO 5        /* columns not updated in time */
#define KP_MONITOR_LONG_STALE_VETO 10  /* not updated for over a year */
#define KP_MONITOR_BLANK_VETO 5        /* blank columns */

/* The columns of a site's newest inspection at or before a day. */
typedef struct kp_monitor_colverdict {
	bool judged;                 /* an inspection was found */
	int64_t inspection;          /* its number */
	char inspected[16];          /* its as_of day */
	char day[16];                /* the day counted at (Beijing) */
	int64_t stale, long_stale, blank;
	int update_level, blank_level;   /* 0 ok, 1 warning, 2 veto */
	struct json_t *stale_cols, *blank_cols;   /* owned arrays */
	/* the newest column check based on the inspection, up to the
	 * time (0: none): its number, time, pages fetched, what it saw of
	 * each column (owned array, the store's JSON) and how many of the
	 * columns were read from it (the pages it opened) */
	int64_t check, checked, check_pages, from_check;
	struct json_t *checked_cols;
} kp_monitor_colverdict;

/* "column_update" or "column_blank". */
bool kp_monitor_column_rule(const char *rule);
/* The verdict of the column rules for site st at time at, from its
 * newest inspection and the newest column check based on it (a column
 * whose page the check opened is the check's); v->judged false when no
 * inspection of it is stored.  0 or -1; release v either way. */
int kp_monitor_columns(kp_store *s, const kp_monitor_conf *c,
		       const kp_site *st, int64_t at, kp_monitor_colverdict *v,
		       kp_err *e);
void kp_monitor_colverdict_release(kp_monitor_colverdict *v);
/* A rule's evidence (the caller's): at, day, inspection, inspected,
 * source (检测, or 栏目检查 with column_check, checked and
 * checked_columns), the counts and lines, and its columns (name, class,
 * url; stale ones also latest_date, stale_days, window_days; with a
 * check each its source, and check_status when the check could not
 * open it). */
struct json_t *kp_monitor_columns_evidence(const kp_monitor_conf *c,
					   const kp_monitor_colverdict *v,
					   const char *rule, int64_t at);
/* The verdict v of the columns of one site of a step's batch (sc, from
 * kp_store_sites_columns) at time at, as kp_monitor_columns gives it;
 * release v. */
void kp_monitor_columns_of(const kp_monitor_conf *c,
			   const kp_site_columns *sc, int64_t at,
			   kp_monitor_colverdict *v);
/* Open, raise or resolve site's column warnings at now from its verdict
 * v (step 3), its open column_update and column_blank warnings being
 * open[0] and open[1] (0 none), veto[] their levels. */
int kp_monitor_judge_columns(kp_store *s, const kp_monitor_conf *c,
			     int64_t site, const kp_monitor_colverdict *v,
			     const int64_t open[2], const bool veto[2],
			     int64_t now, kp_monitor_tally *t, kp_err *e);
/* The two verdicts of `monitor report` (the caller's array). */
struct json_t *kp_monitor_columns_verdicts(const kp_monitor_conf *c,
					   const kp_monitor_colverdict *v,
					   int64_t at);
/* Evidence ev of a column rule in Chinese, appended to b: the
 * inspection, the counts and each column with its newest date. */
void kp_monitor_columns_text(struct json_t *ev, const char *rule, kp_buf *b);

#endif
