/*
 * monitor — continuous monitoring of the units' websites: probes on a
 * schedule, the national rules over their windows, early warnings and
 * their notifications, and the jobs workers share.
 *
 * Monitoring is a caller of the store, like the CLI and the web server.
 * Its unit of time is one scheduling step (kp_monitor_step) taken "as if
 * at" a time, in seconds since the epoch: the service takes one every
 * few seconds at the real time; `monitor --once --as-of` takes exactly
 * one at a given time, so a week is simulated with a loop of steps.
 *
 * A step, for every site of kind 网站:
 *   1. schedule: the site's probes fall on slots offset + k × interval,
 *      where offset (the jitter, 0 … interval-1 s) is a fingerprint of
 *      its URL, so sites spread over the interval and a simulation is
 *      reproducible.  The latest slot not yet queued is queued as a job
 *      (site, slot is unique: queuing twice changes nothing).  Slots
 *      missed while nothing ran are not probed afterwards.
 *   2. run (unless conf.queue_only, when workers elsewhere do it): claim
 *      due jobs and probe (kp_monitor_work): GET the homepage within
 *      conf.timeout_ms, record time, status, latency, error and a
 *      fingerprint of the body; write the probe and close the job in one
 *      transaction (a probe's key is its site and slot: written once).
 *   3. judge (kp_monitor_judge): the rules below at the step's time,
 *      every site's inputs read at once (a few statements whatever the
 *      number of sites; kp_store_probe_stats, kp_store_sites_columns) and
 *      the same verdicts as kp_monitor_rules and kp_monitor_columns give
 *      site by site; a rule crossing its warning line opens a warning
 *      (or raises its level to veto), one back under its line resolves
 *      it (a statement only for a change); each opening,
 *      raising and resolution is notified to conf.webhook once (a failed
 *      POST is retried at the next step; what was sent is marked so),
 *      and mailed through conf.smtp once, in Chinese with the evidence
 *      (marked apart: one channel failing does not resend the other).
 *
 * Column checks (colcheck.c), every columns_every seconds (6 hours):
 * for each site of kind 网站 with a stored inspection a job of kind
 * 'columns' fetches only the homepage and the column pages the newest
 * inspection recorded, dates each column with the inspector's own code
 * (kp_inspect_columns_check) and stores the result (column_checks,
 * migration 21) with its job closed; the column rules read a column
 * from the newest check based on the newest inspection when the check
 * opened its page, else from the inspection.
 *
 * Scheduled inspections (inspect.c), when conf names a round: each site
 * of kind 网站 also has a job of kind 'inspect' every inspect_every
 * seconds (a day), at an offset that is its URL's fingerprint, in the
 * same jobs table, claimed by the same workers under the same leases; a
 * job runs `kaoping inspect`'s crawl through the application layer
 * (kp_rnd_inspect_site: incremental with the page cache unless
 * inspect_full) and stores the inspection in the round with the job
 * closed in the same transaction.  On SQLite the step runs them in its
 * own process, between the probes (jobs in order of their slots).
 *
 * The rules (kp_monitor_rules; the national rules with the office's
 * early-warning lines):
 *   availability  over the 7 days up to the time, failed probes / probes:
 *                 ≥ 5% is 单项否决 (veto), ≥ 3% a warning; judged from
 *                 min_probes probes on; a warning resolves under 2%.
 *   homepage      days since the homepage's body last changed (or since
 *                 the first probe, when it never did): ≥ 14 fails (veto),
 *                 ≥ 10 a warning; resolves when it changes.
 *   column_update, column_blank (columns.c)  the columns of the site's
 *                 newest stored inspection counted at the step's day:
 *                 ≥ 5 not updated within their class's days or ≥ 10 not
 *                 for over a year fail; ≥ 5 blank fail; a warning
 *                 col_warn_margin (1) short of each count.
 *
 * Ownership: kp_monitor_conf is plain values and borrowed strings.  JSON
 * returned by functions named *_json is the caller's (json_decref).
 * Errors as base.h: -1 with kp_err; a probe's failure is a result, not
 * an error.  The caller initialises libcurl once per process
 * (kp_inspect_process_init) before any probe.
 */
#ifndef KP_MONITOR_H
#define KP_MONITOR_H

#include "base/base.h"
#include "store/store.h"

#include <signal.h>

struct json_t;

typedef struct kp_monitor_conf {
	int64_t interval;        /* seconds between a site's probes (600) */
	long timeout_ms;         /* a probe's limit (15000) */
	int64_t lease;           /* a worker's lease, seconds (60) */
	int avail_days;          /* availability window (7) */
	int veto_permille;       /* availability veto line (50 = 5%) */
	int warn_permille;       /* availability warning line (30) */
	int resolve_permille;    /* an availability warning resolves (20) */
	int64_t min_probes;      /* probes in the window before judging (20) */
	int home_veto_days;      /* homepage unchanged: fails (14) */
	int home_warn_days;      /* homepage unchanged: warning (10) */
	int col_warn_margin;     /* column rules: a warning this many
				  * columns short of the veto count (1;
				  * 0 none before the veto) */
	const char *webhook;     /* URL to POST notifications to, NULL none */
	/* e-mail through SMTP (libcurl), NULL smtp: none.  smtp is an
	 * smtp:// (STARTTLS when the server offers it; smtp_tls: required)
	 * or smtps:// URL; mail_to one or more addresses, ","-separated;
	 * smtp_user and smtp_password (NULL: no login) */
	const char *smtp, *mail_from, *mail_to;
	const char *smtp_user, *smtp_password;
	bool smtp_tls;
	bool queue_only;         /* schedule only; workers probe */
	int parallel;            /* a worker's transfers in flight (64) */
	/* the least time between two requests to one host (scheme://
	 * host:port), ms, kept by all workers together through the store
	 * (kp_store_host_take), the probes and the scheduled inspections'
	 * crawls alike (kp_inspect_opts.host_take); 0 none (the default here; the CLI's is
	 * 1000 except when simulating) */
	int64_t host_gap_ms;
	/* borrowed, may be NULL: once *stop is set (a signal), a worker
	 * claims nothing more and returns when what it holds is done */
	const volatile sig_atomic_t *stop;
	/* scheduled inspections of whole sites (inspect.c): every
	 * inspect_every seconds (86400; 0 none) at an offset that is the
	 * URL's fingerprint, stored in round of the store conn names; none
	 * are queued while round or conn is NULL (a worker runs those
	 * queued with its own round, NULL: the newest); incremental (the
	 * page cache) unless inspect_full */
	int64_t inspect_every;
	bool inspect_full;
	const char *round, *conn;
	/* column checks between inspections (colcheck.c): every
	 * columns_every seconds (21600, 6 hours; 0 none) at an offset that
	 * is the URL's fingerprint, for each site some inspection is of */
	int64_t columns_every;
} kp_monitor_conf;

void kp_monitor_conf_default(kp_monitor_conf *c);

/* What a step did, for the log. */
typedef struct kp_monitor_tally {
	int64_t sites, queued, probed, failed;
	int64_t lost;            /* jobs whose lease was lost mid-probe */
	/* scheduled inspections: queued, stored, their pages crawled and
	 * downloaded whole (the rest answered 304), and those that could
	 * not run (last_error says why: no round, unit not in it …) */
	int64_t inspect_queued, inspected, inspect_pages, inspect_downloaded;
	int64_t inspect_failed;
	/* column checks: queued, stored, their pages fetched, and those
	 * that could not run (last_error says why) */
	int64_t columns_queued, columns_checked, columns_pages, columns_failed;
	char last_error[1024];
	int64_t opened, raised, resolved, notified, notify_failed;
} kp_monitor_tally;

/* The slot of site url at or before t (its latest scheduled time). */
int64_t kp_monitor_slot(const kp_monitor_conf *c, const char *url,
			int64_t t);

/* One scheduling step as if at now (see above). */
int kp_monitor_step(kp_store *s, const kp_monitor_conf *c, int64_t now,
		    kp_monitor_tally *t, kp_err *e);

/* Claim and run due jobs (sched <= due) as worker until none is left or
 * max jobs were claimed (max 0: no limit) or *conf.stop is set; a
 * probe's time is its slot when simulated (sim), else the real time.
 *
 * Jobs are claimed in batches (kp_store_jobs_claim) into conf.parallel
 * places and their transfers run at once on one libcurl multi handle;
 * a probe starts only when its host's politeness gap allows
 * (conf.host_gap_ms, kp_store_host_take; a job waiting for its host
 * stays claimed).  With a gap the claims are spread over hosts
 * (kp_store_jobs_claim_hosts, the sites' keys filled first by
 * kp_store_sites_fill_hosts): of one host the worker holds at most
 * 1 + ⌈1000 / host_gap_ms⌉ jobs (a second of the host's turns), and no
 * more than a quarter of its places (at least 2), the hosts free now
 * claimed first; so a host with hundreds of sites does not fill the
 * places while other hosts' jobs wait, and the worker returns only once
 * the due jobs held back for the cap are done too.  A job is held for conf.lease seconds (at least 2) and
 * the leases of all the jobs held are renewed together each new second
 * (kp_store_jobs_renew), so a live worker keeps a job however long it
 * takes and a dead worker's jobs are claimed again once their last lease
 * is over.  A job found taken when renewing (the worker stalled past its
 * lease) is aborted and not written (tally.lost).  Finished probes are
 * written in batches, each with its job's completion in one transaction
 * (kp_store_jobs_done: idempotent, and only the jobs still the
 * worker's). */
int kp_monitor_work(kp_store *s, const kp_monitor_conf *c,
		    const char *worker, int64_t due, bool sim, int64_t max,
		    kp_monitor_tally *t, kp_err *e);

/* The politeness key of url: "scheme://host:port", the host in lower
 * case and the port written even when it is the scheme's default
 * ("https://www.x.gov.cn:443").  0, or -1 (buf "") when url has none. */
int kp_monitor_host_key(const char *url, char *buf, size_t n);
/* Run a claimed 'inspect' job j as worker: kaoping inspect's crawl of
 * the site (as of the slot's day when sim, else today, Beijing time),
 * stored in the round under the site's unit with the job closed in the
 * same transaction; the lease is renewed while it crawls.  An inspection
 * that cannot be stored (no round; the unit is not in it) closes its job
 * and counts in inspect_failed; -1 only when the store fails. */
int kp_monitor_inspect_job(kp_store *s, const kp_monitor_conf *c,
			   const char *worker, const kp_job *j, bool sim,
			   kp_monitor_tally *t, kp_err *e);

/* Probe url once (GET, redirects followed, body up to 4 MB) within
 * timeout_ms: fills status, latency_ms, ok, error (into err, "" when
 * ok) and hash (into hash, 17 bytes). */
void kp_monitor_probe(const char *url, long timeout_ms, kp_probe *p,
		      char *err, size_t errsz, char *hash);

/* The verdict of the rules for a site at time `to`. */
typedef struct kp_monitor_verdict {
	int64_t probes, failures;         /* in the availability window */
	int64_t window_from, window_to;
	int avail_level;                  /* 0 ok, 1 warning, 2 veto */
	bool avail_judged;                /* min_probes reached */
	int64_t last_change;              /* 0: no successful probe */
	bool since_first;                 /* never changed while watched */
	int64_t unchanged_days;
	int home_level;
} kp_monitor_verdict;

int kp_monitor_rules(kp_store *s, const kp_monitor_conf *c, int64_t site,
		     int64_t to, kp_monitor_verdict *v, kp_err *e);

/* Judge every site at now and notify (step 3 above). */
int kp_monitor_judge(kp_store *s, const kp_monitor_conf *c, int64_t now,
		     kp_monitor_tally *t, kp_err *e);

/* The report of `monitor report`: per site (all; those of unit; or the
 * one whose URL or number is site) its probes, failures and availability
 * in [from, to], the rules' verdicts at to, and its warnings.  *out is
 * the caller's. */
int kp_monitor_report_json(kp_store *s, const kp_monitor_conf *c,
			   const char *site, const char *unit, int64_t from,
			   int64_t to, struct json_t **out, kp_err *e);

/* The verdicts at `to` of the sites of round's units (round NULL: the
 * newest) as facts of the round (facts.c): a site vetoed by a rule is a
 * veto of source 检测 on the indicator the inspection map gives the
 * same finding (availability: homepage.reachable; homepage:
 * homepage.updated), on each of the round's tables it has a row for,
 * with the URL and the figures as evidence.  Appended to out. */
int kp_monitor_round_facts(kp_store *s, const kp_monitor_conf *c,
			   const char *round, int64_t from, int64_t to,
			   kp_facts *out, kp_err *e);

/* "2024-06-01", "2024-06-01T08:30", "2024-06-01 08:30:00", optionally
 * ending in Z: seconds since the epoch, UTC (a day alone is its
 * midnight).  -1 when not a time. */
int kp_monitor_parse_time(const char *s, int64_t *out);
/* "2024-06-01T08:30:00Z"; buf >= 24. */
const char *kp_monitor_time_str(int64_t t, char *buf);
/* "2024-06-01 16:30", t in Beijing time, for people; buf >= 24. */
const char *kp_monitor_time_bj(int64_t t, char *buf);

#endif
