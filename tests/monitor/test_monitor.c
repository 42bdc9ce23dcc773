/* monitor's rules, schedule and job queue on a SQLite store in a temp
 * dir (monitor.h, store.h "monitoring"): times parse as UTC; a site's
 * slots keep one offset in the interval; a probe written twice is kept
 * once; the availability rule's lines (5% veto, 3% warning, min_probes)
 * and the homepage's (14 and 10 days, since the first probe when it never
 * changed); a job is claimed once, and again only after its lease;
 * warnings open once and resolve; the column rules read the newest stored
 * inspection at or before the day and count its columns at that day; a
 * step's judging of every site at once (test_judge_batch, SQLite and,
 * with KP_TEST_PG, PostgreSQL) leaves exactly the warnings, evidence and
 * numbers that judging site by site with the per-site functions leaves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "monitor/monitor_int.h"
#include "store/store.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400

static char tmpdir[] = "/tmp/kp-monitor-XXXXXX";
static int counter;

static kp_store *open_new(void)
{
	char path[256];
	kp_store *s = NULL;
	kp_err e = { 0 };
	snprintf(path, sizeof(path), "%s/m%d.db", tmpdir, ++counter);
	assert_int_equal(kp_store_open(path, KP_STORE_CREATE, &s, &e), 0);
	return s;
}

static void test_time(void **st)
{
	int64_t t;
	char buf[24];
	(void)st;
	assert_int_equal(kp_monitor_parse_time("2024-06-01", &t), 0);
	assert_int_equal(t, 1717200000);
	assert_int_equal(kp_monitor_parse_time("2024-06-01T08:30", &t), 0);
	assert_int_equal(t, 1717200000 + 8 * 3600 + 30 * 60);
	assert_int_equal(kp_monitor_parse_time("2024-06-01 08:30:15Z", &t), 0);
	assert_string_equal(kp_monitor_time_str(t, buf), "2024-06-01T08:30:15Z");
	assert_int_equal(kp_monitor_parse_time("2024-02-30", &t), -1);
	assert_int_equal(kp_monitor_parse_time("2024-06-01T25:00", &t), -1);
	assert_int_equal(kp_monitor_parse_time("2024-06-01x", &t), -1);
}

static void test_slot(void **st)
{
	kp_monitor_conf c;
	int64_t base = 1717200000, a, b;
	(void)st;
	kp_monitor_conf_default(&c);
	a = kp_monitor_slot(&c, "http://a.gov.cn/", base);
	assert_true(a <= base && a > base - 600);
	/* the same offset at every slot */
	for (int64_t t = base; t < base + 7200; t += 37) {
		b = kp_monitor_slot(&c, "http://a.gov.cn/", t);
		assert_true(b <= t && b > t - 600);
		assert_int_equal(((b - a) % 600 + 600) % 600, 0);
	}
	/* sites spread: of 50 URLs, not all on one offset */
	{
		int64_t first = kp_monitor_slot(&c, "http://s0.gov.cn/", base);
		bool spread = false;
		for (int i = 1; i < 50; i++) {
			char u[64];
			snprintf(u, sizeof(u), "http://s%d.gov.cn/", i);
			spread |= kp_monitor_slot(&c, u, base) != first;
		}
		assert_true(spread);
	}
}

/* n probes of site from t0, one an hour: failing where fail(i), the body
 * changing where change(i). */
static void probes(kp_store *s, int64_t site, int64_t t0, int n, int every,
		   int change_until)
{
	kp_err e = { 0 };
	for (int i = 0; i < n; i++) {
		char hash[24];
		int added = -1;
		kp_probe p = { .site = site, .sched = t0 + i * 3600,
			       .at = t0 + i * 3600, .status = 200,
			       .latency_ms = 10, .ok = true, .error = "" };
		if (every && (i + 1) % every == 0) {
			p.ok = false;
			p.status = 503;
			p.error = "HTTP 503";
		}
		snprintf(hash, sizeof(hash), "h%d", i < change_until ? i : change_until);
		p.hash = p.ok ? hash : "";
		assert_int_equal(kp_store_probe_put(s, &p, &added, &e), 0);
		assert_int_equal(added, 1);
	}
}

static void test_rules(void **st)
{
	kp_store *s = open_new();
	kp_monitor_conf c;
	kp_monitor_verdict v;
	kp_err e = { 0 };
	int64_t a, b, g, t0 = 1717200000, to = t0 + 168 * 3600 - 1;
	int added = -1;
	(void)st;
	kp_monitor_conf_default(&c);
	assert_int_equal(kp_store_site_add(s, "甲", "http://a/", "", &a, &e), 0);
	assert_int_equal(kp_store_site_add(s, "乙", "http://b/", "", &b, &e), 0);
	assert_int_equal(kp_store_site_add(s, "丙", "http://g/", "", &g, &e), 0);
	assert_int_equal(kp_store_site_add(s, "丁", "http://a/", "", NULL, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	probes(s, a, t0, 168, 20, 1000);   /* 8 of 168 = 4.76% */
	probes(s, b, t0, 168, 33, 1000);   /* 5 of 168 = 2.98% */
	probes(s, g, t0, 168, 0, 0);       /* never changes */
	{
		kp_probe p = { .site = a, .sched = t0, .at = t0, .ok = true,
			       .error = "", .hash = "x" };
		assert_int_equal(kp_store_probe_put(s, &p, &added, &e), 0);
		assert_int_equal(added, 0);   /* (site, sched) kept once */
	}
	assert_int_equal(kp_monitor_rules(s, &c, a, to, &v, &e), 0);
	assert_int_equal(v.probes, 168);
	assert_int_equal(v.failures, 8);
	assert_int_equal(v.avail_level, 1);   /* 4.76%: a warning */
	c.veto_permille = 47;
	assert_int_equal(kp_monitor_rules(s, &c, a, to, &v, &e), 0);
	assert_int_equal(v.avail_level, 2);   /* the office's own line */
	kp_monitor_conf_default(&c);
	assert_int_equal(kp_monitor_rules(s, &c, b, to, &v, &e), 0);
	assert_int_equal(v.failures, 5);
	assert_int_equal(v.avail_level, 0);   /* 2.98% < 3% */
	c.min_probes = 200;
	assert_int_equal(kp_monitor_rules(s, &c, a, to, &v, &e), 0);
	assert_false(v.avail_judged);
	assert_int_equal(v.avail_level, 0);
	kp_monitor_conf_default(&c);
	/* homepage: the last change of a (hashes differ each hour) is its
	 * last successful probe; g never changed: since its first probe */
	assert_int_equal(kp_monitor_rules(s, &c, g, t0 + 10 * DAY, &v, &e), 0);
	assert_true(v.since_first);
	assert_int_equal(v.last_change, t0);
	assert_int_equal(v.unchanged_days, 10);
	assert_int_equal(v.home_level, 1);
	assert_int_equal(kp_monitor_rules(s, &c, g, t0 + 14 * DAY - 1, &v, &e), 0);
	assert_int_equal(v.home_level, 1);
	assert_int_equal(kp_monitor_rules(s, &c, g, t0 + 14 * DAY, &v, &e), 0);
	assert_int_equal(v.home_level, 2);
	assert_int_equal(kp_monitor_rules(s, &c, a, to, &v, &e), 0);
	assert_false(v.since_first);
	assert_int_equal(v.home_level, 0);
	kp_store_close(s);
}

static void test_jobs(void **st)
{
	kp_store *s = open_new();
	kp_err e = { 0 };
	kp_job j;
	int64_t site, n;
	int added;
	kp_probe p = { .status = 200, .ok = true, .error = "", .hash = "h" };
	(void)st;
	assert_int_equal(kp_store_site_add(s, "甲", "http://a/", "网站", &site, &e), 0);
	assert_int_equal(kp_store_job_add(s, site, 1000, &added, &e), 0);
	assert_int_equal(added, 1);
	assert_int_equal(kp_store_job_add(s, site, 1000, &added, &e), 0);
	assert_int_equal(added, 0);
	assert_int_equal(kp_store_job_add(s, site, 2000, &added, &e), 0);
	/* not yet due */
	assert_int_equal(kp_store_job_claim(s, "A", 999, 50, 60, &j, &e), 0);
	assert_int_equal(kp_store_job_claim(s, "A", 1500, 50, 60, &j, &e), 1);
	assert_int_equal(j.sched, 1000);
	assert_string_equal(j.url, "http://a/");
	assert_int_equal(j.attempts, 1);
	/* leased to A until 60: B gets nothing before, the job after */
	assert_int_equal(kp_store_job_claim(s, "B", 1500, 59, 100, &j, &e), 0);
	assert_int_equal(kp_store_job_claim(s, "B", 1500, 61, 100, &j, &e), 1);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(kp_store_job_renew(s, j.id, "A", 200, &e), -1);
	assert_int_equal(kp_store_job_renew(s, j.id, "B", 200, &e), 0);
	p.site = site;
	p.sched = j.sched;
	p.at = j.sched;
	assert_int_equal(kp_store_job_done(s, j.id, &p, &e), 0);
	assert_int_equal(kp_store_job_done(s, j.id, &p, &e), 0);   /* again: kept once */
	assert_int_equal(kp_store_jobs_count(s, "done", &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(kp_store_jobs_count(s, "queued", &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(kp_store_probe_last(s, site, &n, &e), 0);
	assert_int_equal(n, 2000);   /* the queued slot counts as taken */
	kp_store_close(s);
}

/* Batches: a claim takes the oldest due jobs up to its max, disjoint
 * from another worker's; a renewal tells which are still the worker's;
 * finishing writes only those, with their probes, once. */
static void test_job_batches(void **st)
{
	kp_store *s = open_new();
	kp_err e = { 0 };
	kp_job jv[8];
	int64_t site[5], ids[8], n;
	kp_probe pv[8];
	bool held[8], written[8];
	size_t got, got2;
	char url[32];
	(void)st;
	for (int i = 0; i < 5; i++) {
		snprintf(url, sizeof(url), "http://h%d/", i);
		assert_int_equal(kp_store_site_add(s, "甲", url, "网站", &site[i], &e), 0);
		assert_int_equal(kp_store_job_add(s, site[i], 1000 + i, NULL, &e), 0);
	}
	assert_int_equal(kp_store_jobs_claim(s, "A", 2000, 50, 60, 3, NULL, jv, &got, &e), 0);
	assert_int_equal(got, 3);
	assert_string_equal(jv[0].url, "http://h0/");
	assert_string_equal(jv[2].url, "http://h2/");
	assert_int_equal(kp_store_jobs_claim(s, "B", 2000, 50, 60, 8, NULL, jv + 3, &got2, &e), 0);
	assert_int_equal(got2, 2);   /* the two A does not hold */
	assert_int_equal(jv[3].sched, 1003);
	/* A's lease runs out; C takes the oldest again */
	assert_int_equal(kp_store_jobs_claim(s, "C", 2000, 61, 100, 1, NULL, jv + 5, &got, &e), 0);
	assert_int_equal(got, 1);
	assert_int_equal(jv[5].id, jv[0].id);
	for (int i = 0; i < 3; i++)
		ids[i] = jv[i].id;
	assert_int_equal(kp_store_jobs_renew(s, "A", ids, 3, 120, held, &e), 0);
	assert_false(held[0]);
	assert_true(held[1] && held[2]);
	for (int i = 0; i < 3; i++)
		pv[i] = (kp_probe){ .site = jv[i].site, .sched = jv[i].sched,
				    .at = jv[i].sched, .status = 200, .ok = true,
				    .error = "", .hash = "h", .started_ms = 7 };
	assert_int_equal(kp_store_jobs_done(s, "A", ids, pv, 3, written, &e), 0);
	assert_false(written[0]);   /* C's now: not written by A */
	assert_true(written[1] && written[2]);
	assert_int_equal(kp_store_jobs_done(s, "A", ids, pv, 3, written, &e), 0);
	assert_false(written[1]);   /* done already: nothing again */
	assert_int_equal(kp_store_jobs_count(s, "done", &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(kp_store_probe_last(s, site[0], &n, &e), 0);
	assert_int_equal(n, 1000);   /* queued, C's */
	kp_store_close(s);
}

/* Politeness: a host is taken once per gap whoever asks; the one told
 * to wait is told how long; another host and a gap of 0 are free. */
static void test_host_take(void **st)
{
	kp_store *s = open_new();
	kp_err e = { 0 };
	int64_t wait;
	char key[64];
	(void)st;
	assert_int_equal(kp_store_host_take(s, "http://a:80", 1000, 5000, &wait, &e), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(kp_store_host_take(s, "http://a:80", 1000, 5400, &wait, &e), 0);
	assert_int_equal(wait, 600);
	assert_int_equal(kp_store_host_take(s, "http://b:80", 1000, 5400, &wait, &e), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(kp_store_host_take(s, "http://a:80", 1000, 6000, &wait, &e), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(kp_store_host_take(s, "http://a:80", 300, 6999, &wait, &e), 0);
	assert_int_equal(wait, 1);
	assert_int_equal(kp_store_host_take(s, "http://a:80", 0, 6100, &wait, &e), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(kp_monitor_host_key("HTTPS://WWW.X.gov.cn/a/b?c", key, sizeof(key)), 0);
	assert_string_equal(key, "https://www.x.gov.cn:443");
	assert_int_equal(kp_monitor_host_key("http://127.0.0.2:8080/mon/", key, sizeof(key)), 0);
	assert_string_equal(key, "http://127.0.0.2:8080");
	assert_int_equal(kp_monitor_host_key("not a url", key, sizeof(key)), -1);
	assert_string_equal(key, "");
	kp_store_close(s);
}

/* Jobs of two kinds (migration 18): a site's probe and inspection at
 * the same second are two jobs; the probes' schedule ignores
 * inspections; a job closed by a worker whose lease was taken is not
 * closed (the inspection's transaction relies on it). */
/* A step's jobs queued at once: a site's slot is queued unless a job of
 * the kind (for probes also a probe) at or after it is stored; the
 * kinds are apart; none is nothing. */
static void test_jobs_queue(void **st)
{
	kp_store *s = open_new();
	kp_err e = { 0 };
	int64_t site[3], slot[3] = { 1000, 1000, 1000 }, added, n;
	kp_probe p = { .sched = 1500, .at = 1500, .status = 200, .ok = true,
		       .error = "", .hash = "h" };
	(void)st;
	assert_int_equal(kp_store_site_add(s, "甲", "http://a/", "网站", &site[0], &e), 0);
	assert_int_equal(kp_store_site_add(s, "乙", "http://b/", "网站", &site[1], &e), 0);
	assert_int_equal(kp_store_site_add(s, "丙", "http://c/", "网站", &site[2], &e), 0);
	/* b has a later job queued, c a later probe */
	assert_int_equal(kp_store_job_add(s, site[1], 2000, NULL, &e), 0);
	p.site = site[2];
	assert_int_equal(kp_store_probe_put(s, &p, NULL, &e), 0);
	assert_int_equal(kp_store_jobs_queue(s, "probe", site, slot, 3, &added, &e), 0);
	assert_int_equal(added, 1);
	assert_int_equal(kp_store_jobs_queue(s, "probe", site, slot, 3, &added, &e), 0);
	assert_int_equal(added, 0);   /* again: a's slot is queued */
	assert_int_equal(kp_store_jobs_queue(s, "inspect", site, slot, 3, &added, &e), 0);
	assert_int_equal(added, 3);   /* inspections ignore probes' jobs */
	for (int i = 0; i < 3; i++)
		slot[i] = 3000;
	assert_int_equal(kp_store_jobs_queue(s, "probe", site, slot, 3, &added, &e), 0);
	assert_int_equal(added, 3);
	assert_int_equal(kp_store_jobs_queue(s, "probe", site, slot, 0, &added, &e), 0);
	assert_int_equal(added, 0);
	assert_int_equal(kp_store_jobs_count(s, "queued", &n, &e), 0);
	assert_int_equal(n, 1 + 1 + 3 + 3);
	assert_int_equal(kp_store_job_last(s, site[2], "probe", &n, &e), 0);
	assert_int_equal(n, 3000);
	kp_store_close(s);
}

static void test_inspect_jobs(void **st)
{
	kp_store *s = open_new();
	kp_err e;
	kp_job j;
	int64_t site, n;
	int added;
	bool lost;
	(void)st;
	assert_int_equal(kp_store_site_add(s, "甲局", "http://a/", "网站", &site, &e), 0);
	assert_int_equal(kp_store_job_add_kind(s, site, "inspect", 1000, &added, &e), 0);
	assert_int_equal(added, 1);
	assert_int_equal(kp_store_job_add_kind(s, site, "inspect", 1000, &added, &e), 0);
	assert_int_equal(added, 0);
	assert_int_equal(kp_store_job_add(s, site, 1000, &added, &e), 0);
	assert_int_equal(added, 1);    /* the probe of the same second */
	assert_int_equal(kp_store_job_add_kind(s, site, "inspect", 5000, &added, &e), 0);
	assert_int_equal(kp_store_probe_last(s, site, &n, &e), 0);
	assert_int_equal(n, 1000);     /* the inspection at 5000 is not a probe */
	assert_int_equal(kp_store_job_last(s, site, "inspect", &n, &e), 0);
	assert_int_equal(n, 5000);
	/* the oldest first: the inspection queued first at 1000 */
	assert_int_equal(kp_store_job_claim(s, "A", 1500, 50, 60, &j, &e), 1);
	assert_string_equal(j.kind, "inspect");
	assert_string_equal(j.unit, "甲局");
	assert_string_equal(j.url, "http://a/");
	/* A's lease runs out and B takes it: A can no longer close it */
	assert_int_equal(kp_store_job_claim(s, "B", 1000, 61, 100, &j, &e), 1);
	assert_string_equal(j.kind, "inspect");
	assert_int_equal(j.attempts, 2);
	assert_int_equal(kp_store_job_close(s, j.id, "A", &lost, &e), 0);
	assert_true(lost);
	assert_int_equal(kp_store_jobs_count(s, "done", &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(kp_store_job_close(s, j.id, "B", &lost, &e), 0);
	assert_false(lost);
	assert_int_equal(kp_store_jobs_count(s, "done", &n, &e), 0);
	assert_int_equal(n, 1);
	kp_store_close(s);
}

struct count {
	int open, all;
	int64_t id;
};

static int count_w(void *ctx, const kp_warning *w, kp_err *e)
{
	struct count *c = ctx;
	(void)e;
	c->all++;
	c->open += w->resolved == 0;
	c->id = w->id;
	return 0;
}

static void test_warnings(void **st)
{
	kp_store *s = open_new();
	kp_err e = { 0 };
	int64_t site, id, id2;
	struct count c = { 0 };
	(void)st;
	assert_int_equal(kp_store_site_add(s, "甲", "http://a/", "", &site, &e), 0);
	assert_int_equal(kp_store_warning_open(s, site, "homepage", "warning", 10, "{}", &id, &e), 0);
	assert_true(id > 0);
	assert_int_equal(kp_store_warning_open(s, site, "homepage", "veto", 11, "{}", &id2, &e), 0);
	assert_int_equal(id2, 0);   /* one open per (site, rule) */
	assert_int_equal(kp_store_warning_resolve(s, id, 20, "{}", &e), 0);
	assert_int_equal(kp_store_warnings_each(s, site, true, count_w, &c, &e), 0);
	assert_int_equal(c.all, 0);
	assert_int_equal(kp_store_warning_open(s, site, "homepage", "warning", 30, "{}", &id2, &e), 0);
	assert_true(id2 > id);      /* a new episode */
	assert_int_equal(kp_store_warnings_each(s, 0, false, count_w, &c, &e), 0);
	assert_int_equal(c.all, 2);
	assert_int_equal(c.open, 1);
	kp_store_close(s);
}

/* ---- the column rules (columns.c) ---- */

static const char *const col_units[] = { "甲局" };
static const char *const col_types[] = { "市级部门" };
static const char *const col_aliases[] = { "" };

/* An inspection of site stored in round, as the inspector writes one
 * (more than its columns); its number. */
static int64_t put_inspection(kp_store *s, int64_t round, const char *site,
			      const char *as_of, const char *columns)
{
	char summary[8192];
	kp_inspection_spec sp = {
		.unit = "甲局", .site = site, .as_of = as_of,
		.started_at = "2024-01-01T00:00:00Z",
		.finished_at = "2024-01-01T00:00:01Z", .pages = 1,
		.summary = summary, .author = "测试员",
	};
	int64_t id = 0;
	kp_err e = { 0 };
	/* more than the columns, as the inspector writes it */
	snprintf(summary, sizeof(summary),
		 "{\"site\": \"%s\", \"findings\": [{\"check\": \"x\"}],"
		 " \"columns\": [%s], \"footer\": {\"columns\": 0}}", site, columns);
	assert_int_equal(kp_store_inspection_add(s, round, &sp, &id, &e), 0);
	return id;
}

/* name: class, newest date ("" none), status, blank */
#define COL(n, c, d, st, b) \
	"{\"name\":\"" n "\",\"class\":\"" c "\",\"url\":\"http://a/" n "\"," \
	"\"latest_date\":" d ",\"status\":" #st ",\"blank\":" #b "}"

/* The columns tests' round: one table of one row, the one unit of
 * col_units. */
static kp_round_spec col_round(void)
{
	static const char table[] =
		"#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,t1\n"
		"#meta,title,测试表\ncode,path,points,rule\n1,组织保障,10,judged\n";
	return (kp_round_spec){
		.name = "r", .period = "2024", .table_id = "t1",
		.table_source = "t1.csv", .table_title = "测试表",
		.table_text = table, .registry = "pzh-units", .author = "测试员",
		.unit_names = col_units, .unit_types = col_types,
		.unit_aliases = col_aliases, .nunits = 1,
	};
}

static void test_columns(void **st)
{
	kp_round_spec sp = col_round();
	kp_store *s = open_new();
	kp_monitor_conf c;
	kp_monitor_colverdict v;
	kp_err e = { 0 };
	int64_t round, jul2, id0;
	kp_buf cols = KP_BUF_INIT;
	(void)st;
	kp_site site = { 0, "甲局", "http://a/", "网站", "" };
	kp_column_check ck;
	int64_t check;
	bool lost;
	kp_monitor_conf_default(&c);
	assert_int_equal(kp_store_round_new(s, &sp, &round, &e), 0);
	assert_int_equal(kp_store_site_add(s, "甲局", "http://a/", "", &site.id, &e), 0);
	assert_int_equal(kp_monitor_parse_time("2024-07-02T04:00", &jul2), 0);
	/* none stored yet: not judged */
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2, &v, &e), 0);
	assert_false(v.judged);
	kp_monitor_colverdict_release(&v);
	/* 通知公告 of 2024-01-01 is 183 days old on 07-02 (within), an
	 * undated column is stale and long stale, a 404 blank column and a
	 * status 0 one do not count, 4 blank columns */
	kp_buf_adds(&cols, COL("通知", "通知公告", "\"2024-01-01\"", 200, false) ","
			   COL("无日期", "其他", "null", 200, false) ","
			   COL("打不开", "其他", "null", 404, true) ","
			   COL("未抓", "其他", "null", 0, false));
	for (int i = 0; i < 4; i++)
		kp_buf_adds(&cols, "," COL("空", "其他", "null", 200, true));
	/* stored without the trailing slash, and a later one not yet due */
	put_inspection(s, round, "http://a", "2024-06-30", cols.data);
	put_inspection(s, round, "http://a/", "2024-07-05",
			 COL("空", "其他", "null", 200, true));
	/* a column check is queued only for a site some inspection is of
	 * (http://a stored without its slash is http://a/'s) */
	{
		int64_t ids[2] = { site.id, 0 }, slots[2] = { 100, 100 }, added;
		assert_int_equal(kp_store_site_add(s, "甲局", "http://b/", "", &ids[1], &e), 0);
		assert_int_equal(kp_store_jobs_queue(s, "columns", ids, slots, 2, &added, &e), 0);
		assert_int_equal(added, 1);
		assert_int_equal(kp_store_job_last(s, ids[0], "columns", &added, &e), 0);
		assert_int_equal(added, 100);
		assert_int_equal(kp_store_job_last(s, ids[1], "columns", &added, &e), 0);
		assert_int_equal(added, 0);
	}
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2, &v, &e), 0);
	assert_true(v.judged);
	assert_int_equal(v.inspection, 1);
	assert_string_equal(v.day, "2024-07-02");
	assert_int_equal(v.stale, 1);
	assert_int_equal(v.long_stale, 1);
	assert_int_equal(v.blank, 4);
	assert_int_equal(v.update_level, 0);
	assert_int_equal(v.blank_level, 1);   /* one short of 5 */
	kp_monitor_colverdict_release(&v);
	/* 16:00 UTC is the next day in Beijing: 184 days, stale */
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2 + 12 * 3600, &v, &e), 0);
	assert_string_equal(v.day, "2024-07-03");
	assert_int_equal(v.stale, 2);
	kp_monitor_colverdict_release(&v);
	/* no margin: 4 blank columns are no warning */
	c.col_warn_margin = 0;
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2, &v, &e), 0);
	assert_int_equal(v.blank_level, 0);
	kp_monitor_colverdict_release(&v);
	c.col_warn_margin = 1;
	/* a column check based on inspection 1 at 03:00: the undated column
	 * now dated 07-01 and the blank ones filled (read from the check),
	 * 通知 answered 503 (kept from the inspection) */
	ck = (kp_column_check){ .site = site.id, .sched = jul2 - 3600,
				.at = jul2 - 3600, .day = "2024-07-02",
				.inspection = 1, .pages = 4, .columns =
		"[{\"url\":\"http://a/通知\",\"status\":503,\"latest_date\":null,\"items\":0,\"blank\":false},"
		"{\"url\":\"http://a/无日期\",\"status\":200,\"latest_date\":\"2024-07-01\",\"items\":3,\"blank\":false},"
		"{\"url\":\"http://a/空\",\"status\":200,\"latest_date\":\"2024-07-01\",\"items\":1,\"blank\":false}]" };
	assert_int_equal(kp_store_column_check_add(s, &ck, 0, NULL, &lost, &check, &e), 0);
	assert_false(lost);
	assert_true(check > 0);
	/* the same slot again stores nothing */
	assert_int_equal(kp_store_column_check_add(s, &ck, 0, NULL, &lost, &id0, &e), 0);
	assert_int_equal(id0, 0);
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2, &v, &e), 0);
	assert_int_equal(v.inspection, 1);
	assert_int_equal(v.check, check);
	assert_int_equal(v.checked, jul2 - 3600);
	assert_int_equal(v.from_check, 5);    /* 无日期 and the 4 空 */
	assert_int_equal(v.stale, 0);
	assert_int_equal(v.long_stale, 0);
	assert_int_equal(v.blank, 0);
	assert_int_equal(v.blank_level, 0);
	kp_monitor_colverdict_release(&v);
	/* before the check ran: the inspection alone */
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2 - 7200, &v, &e), 0);
	assert_int_equal(v.check, 0);
	assert_int_equal(v.blank, 4);
	kp_monitor_colverdict_release(&v);
	/* 9 and then 10 columns over a year old (class 其他, 365 days): the
	 * long-stale count warns at 9 and vetoes at 10 */
	kp_buf_reset(&cols);
	for (int i = 0; i < 10; i++)
		kp_buf_addf(&cols, "%s" COL("旧", "其他", "\"2023-07-01\"", 200, false),
			    i ? "," : "");
	put_inspection(s, round, "http://a/", "2024-07-01", cols.data);
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2, &v, &e), 0);
	assert_int_equal(v.inspection, 3);
	assert_int_equal(v.check, 0);   /* the check was based on inspection 1 */
	assert_int_equal(v.stale, 10);
	assert_int_equal(v.long_stale, 10);
	assert_int_equal(v.update_level, 2);
	kp_monitor_colverdict_release(&v);
	/* the newest by as_of wins; at 07-05 the blank one of inspection 2 */
	assert_int_equal(kp_monitor_columns(s, &c, &site, jul2 + 3 * DAY, &v, &e), 0);
	assert_int_equal(v.inspection, 2);
	assert_int_equal(v.blank, 1);
	assert_int_equal(v.update_level, 0);
	kp_monitor_colverdict_release(&v);
	kp_buf_release(&cols);
	kp_store_close(s);
}

/* ---- a step judges every site at once (schedule.c judge_sites) ---- */

/* The step's judging as it was before it read every site at once, site
 * by site with the per-site functions (kp_monitor_rules,
 * kp_monitor_columns, kp_monitor_warn): the batched judging must leave
 * exactly the warnings this leaves. */
struct ref_sites {
	kp_site v[16];
	char url[16][64], kind[16][32];
	size_t n;
};

static int ref_site(void *ctx, const kp_site *st, kp_err *e)
{
	struct ref_sites *l = ctx;
	(void)e;
	assert_true(l->n < 16);
	snprintf(l->url[l->n], 64, "%s", st->url);
	snprintf(l->kind[l->n], 32, "%s", st->kind);
	l->v[l->n] = (kp_site){ st->id, "", l->url[l->n], l->kind[l->n], "" };
	l->n++;
	return 0;
}

static void judge_per_site(kp_store *s, const kp_monitor_conf *c, int64_t now,
			   kp_monitor_tally *t)
{
	struct ref_sites l = { .n = 0 };
	kp_err e = { 0 };
	memset(t, 0, sizeof(*t));
	assert_int_equal(kp_store_sites_each(s, NULL, ref_site, &l, &e), 0);
	for (size_t i = 0; i < l.n; i++) {
		kp_monitor_verdict v;
		kp_monitor_colverdict cv;
		const kp_site *st = &l.v[i];
		if (strcmp(st->kind, "网站"))
			continue;
		assert_int_equal(kp_monitor_rules(s, c, st->id, now, &v, &e), 0);
		assert_int_equal(kp_monitor_warn(s, st->id, "availability", v.avail_level,
						 v.avail_judged &&
						 v.failures * 1000 < (int64_t)c->resolve_permille * v.probes,
						 kp_monitor_rule_evidence(&v, "availability"),
						 now, t, &e), 0);
		assert_int_equal(kp_monitor_warn(s, st->id, "homepage", v.home_level,
						 v.last_change && v.home_level == 0,
						 kp_monitor_rule_evidence(&v, "homepage"),
						 now, t, &e), 0);
		assert_int_equal(kp_monitor_columns(s, c, st, now, &cv, &e), 0);
		if (cv.judged) {
			assert_int_equal(kp_monitor_warn(s, st->id, "column_update",
				cv.update_level, cv.update_level == 0,
				kp_monitor_columns_evidence(c, &cv, "column_update", now),
				now, t, &e), 0);
			assert_int_equal(kp_monitor_warn(s, st->id, "column_blank",
				cv.blank_level, cv.blank_level == 0,
				kp_monitor_columns_evidence(c, &cv, "column_blank", now),
				now, t, &e), 0);
		}
		kp_monitor_colverdict_release(&cv);
	}
}

static int dump_w(void *ctx, const kp_warning *w, kp_err *e)
{
	(void)e;
	kp_buf_addf(ctx, "%lld %lld %s %s %lld %s | %lld %s | %d %d\n",
		    (long long)w->id, (long long)w->site, w->rule, w->level,
		    (long long)w->opened, w->evidence, (long long)w->resolved,
		    w->resolved_evidence, w->notified, w->mailed);
	return 0;
}

static char *dump_warnings(kp_store *s)
{
	kp_buf b = KP_BUF_INIT;
	kp_err e = { 0 };
	assert_int_equal(kp_store_warnings_each(s, 0, false, dump_w, &b, &e), 0);
	return kp_buf_detach(&b);
}

static void put_probe(kp_store *s, int64_t site, int64_t sched, bool ok,
		      const char *hash)
{
	kp_err e = { 0 };
	kp_probe p = { .site = site, .sched = sched, .at = sched,
		       .status = ok ? 200 : 503, .latency_ms = 10, .ok = ok,
		       .error = ok ? "" : "HTTP 503", .hash = ok ? hash : "" };
	assert_int_equal(kp_store_probe_put(s, &p, NULL, &e), 0);
}


#define STALE5 COL("要闻1", "动态要闻", "\"2024-06-01\"", 200, false) "," \
	COL("要闻2", "动态要闻", "\"2024-06-01\"", 200, false) ","        \
	/* a name a JSON text must escape (kept apart and read back) */      \
	"{\"name\":\"要\\\"闻\\\\3\\n\\u0001\",\"class\":\"动态要闻\","    \
	"\"url\":\"http://a/要闻3\",\"latest_date\":\"2024-06-01\","        \
	"\"status\":200,\"blank\":false}" ","                            \
	COL("要闻4", "动态要闻", "\"2024-06-01\"", 200, false) ","        \
	COL("要闻5", "动态要闻", "\"2024-06-01\"", 200, false)
#define BLANK4 COL("空", "其他", "null", 200, true) ","                 \
	COL("空", "其他", "null", 200, true) ","                          \
	COL("空", "其他", "null", 200, true) ","                          \
	COL("空", "其他", "null", 200, true)
#define NOTICE COL("通知", "通知公告", "\"2024-06-01\"", 200, false)

/* Six sites in different states, built the same in every store: A
 * fails 1 probe in 16 (vetoed); an account (not probed); B's homepage
 * changed back to an earlier body 11 days before t1 (a warning), with
 * older probes before the lookback; C (registered without its slash)
 * has 4 blank columns in its newest inspection, stored with the slash
 * and winning a tie of as_of on its number, no probes; D has an open
 * homepage warning that its changing homepage resolves, and 5 stale
 * columns (vetoed) until a column check after t1 finds 2 updated; E
 * fails 1 in 25 (a warning) and then every probe (raised to veto).
 * Between t1 and t2 C gets an inspection without blank columns. */
static void judge_scene(kp_store *s, int64_t t1, int part)
{
	kp_round_spec sp = col_round();
	kp_err e = { 0 };
	int64_t round = 1, a = 1, b = 3, d = 5, ee = 6, id, di;
	int64_t from = part == 1 ? t1 - 8 * DAY : t1 + 3600, to = part == 1 ? t1 : t1 + DAY;
	bool lost;
	char h[32];
	if (part == 1) {
		assert_int_equal(kp_store_round_new(s, &sp, &round, &e), 0);
		assert_int_equal(kp_store_site_add(s, "甲局", "http://a/", "", &id, &e), 0);
		assert_int_equal(id, a);
		assert_int_equal(kp_store_site_add(s, "甲局", "甲局公众号", "政务新媒体", &id, &e), 0);
		assert_int_equal(kp_store_site_add(s, "乙局", "http://b/", "", &id, &e), 0);
		assert_int_equal(kp_store_site_add(s, "丙局", "http://c", "", &id, &e), 0);
		assert_int_equal(kp_store_site_add(s, "丁局", "http://d/", "", &id, &e), 0);
		assert_int_equal(kp_store_site_add(s, "戊局", "http://e/", "", &id, &e), 0);
		assert_int_equal(id, ee);
		/* D's homepage warning of an earlier episode, still open */
		assert_int_equal(kp_store_warning_open(s, d, "homepage", "warning",
						       t1 - 30 * DAY, "{}", &id, &e), 0);
		/* B: a probe every 6 hours long before, all one body */
		for (int64_t t = t1 - 80 * DAY; t < t1 - 20 * DAY; t += 6 * 3600)
			put_probe(s, b, t, true, "p");
		/* then a new body each hour, then p, q and p again */
		for (int64_t t = t1 - 20 * DAY, i = 0; t <= t1 + DAY; t += 3600, i++) {
			snprintf(h, sizeof(h), "b%lld", (long long)i);
			put_probe(s, b, t, i % 40 != 39,
				  t < t1 - 12 * DAY ? h
				  : t < t1 - 23 * DAY / 2 ? "p"
				  : t < t1 - 11 * DAY ? "q" : "p");
		}
		/* C: stored with its slash; older and tied ones without */
		put_inspection(s, round, "http://c", "2024-06-10", BLANK4);
		put_inspection(s, round, "http://c", "2024-06-15", NOTICE);
		put_inspection(s, round, "http://c/", "2024-06-15", NOTICE "," BLANK4);
		put_inspection(s, round, "http://c/", "2024-06-30", BLANK4);
		di = put_inspection(s, round, "http://d/", "2024-06-20", STALE5);
		assert_int_equal(di, 5);
	} else {
		kp_column_check ck = {
			.site = d, .sched = t1 + 7200, .at = t1 + 7200,
			.day = "2024-06-21", .inspection = 5, .pages = 3, .columns =
			"[{\"url\":\"http://a/要闻1\",\"status\":200,\"latest_date\":\"2024-06-21\",\"items\":3,\"blank\":false},"
			"{\"url\":\"http://a/要闻2\",\"status\":200,\"latest_date\":\"2024-06-20\",\"items\":3,\"blank\":false},"
			"{\"url\":\"http://a/要闻3\",\"status\":503,\"latest_date\":null,\"items\":0,\"blank\":false}]" };
		assert_int_equal(kp_store_column_check_add(s, &ck, 0, NULL, &lost, &id, &e), 0);
		assert_true(id > 0);
		put_inspection(s, round, "http://c/", "2024-06-22", NOTICE);
		/* B: a probe written late (a job re-claimed), the same body:
		 * its homepage run goes dirty, the step reads it again */
		put_probe(s, b, t1 - 5 * DAY + 1800, true, "p");
	}
	for (int64_t t = from, i = 0; t <= to; t += 3600, i++) {
		snprintf(h, sizeof(h), "x%lld", (long long)(t / 3600));
		put_probe(s, a, t, i % 16 != 15, h);
		put_probe(s, d, t, true, h);
		put_probe(s, ee, t, part == 1 ? i % 25 != 24 : false, h);
	}
}

/* Warning id in dump (dump_warnings): its rule, level and whether it is
 * resolved. */
static void expect_w(const char *dump, int64_t id, const char *rule,
		     const char *level, bool resolved)
{
	char head[64];
	const char *l;
	int n = snprintf(head, sizeof(head), "%lld ", (long long)id);
	for (l = dump; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, head, (size_t)n))
			break;
	assert_non_null(l);
	assert_true(*l);
	assert_non_null(strstr(l, rule));
	assert_int_equal(strncmp(strstr(l, rule) + strlen(rule) + 1, level,
				 strlen(level)), 0);
	/* after the evidence: " | " and the time it was resolved (0 open) */
	assert_non_null(strstr(l, " | "));
	assert_int_equal(strtoll(strstr(l, " | ") + 3, NULL, 10) != 0, resolved);
}

static kp_store *open_pg(char *db, size_t n)
{
	const char *pg = getenv("KP_TEST_PG");
	char conn[512];
	kp_store *s = NULL;
	kp_err e = { 0 };
	PGconn *c;
	PGresult *r;
	if (!pg || !*pg)
		return NULL;
	snprintf(db, n, "kp_judge_%d", (int)getpid());
	c = PQconnectdb(pg);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	snprintf(conn, sizeof(conn), "CREATE DATABASE %s", db);
	r = PQexec(c, conn);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	PQfinish(c);
	snprintf(conn, sizeof(conn), "%s dbname=%s", pg, db);
	assert_int_equal(kp_store_open(conn, KP_STORE_CREATE, &s, &e), 0);
	return s;
}

static void drop_pg(const char *db)
{
	PGconn *c = PQconnectdb(getenv("KP_TEST_PG"));
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE %s", db);
	PQclear(PQexec(c, sql));
	PQfinish(c);
}

static void test_judge_batch(void **st)
{
	kp_store *ref = open_new(), *sq = open_new(), *pg;
	kp_store *batched[2];
	kp_monitor_conf c;
	kp_monitor_tally tr, tb;
	kp_err e = { 0 };
	int64_t t1, n;
	char pgdb[64] = "";
	char *want, *got;
	(void)st;
	kp_monitor_conf_default(&c);
	assert_int_equal(kp_monitor_parse_time("2024-06-21T12:00", &t1), 0);
	pg = open_pg(pgdb, sizeof(pgdb));
	if (!pg && getenv("CI"))
		fail_msg("KP_TEST_PG is not set");
	batched[0] = sq;
	batched[1] = pg;
	judge_scene(ref, t1, 1);
	for (int k = 0; k < 2; k++)
		if (batched[k])
			judge_scene(batched[k], t1, 1);
	for (int step = 0; step < 3; step++) {
		int64_t now = step ? t1 + DAY : t1;
		if (step == 1) {
			judge_scene(ref, t1, 2);
			for (int k = 0; k < 2; k++)
				if (batched[k])
					judge_scene(batched[k], t1, 2);
		}
		judge_per_site(ref, &c, now, &tr);
		want = dump_warnings(ref);
		for (int k = 0; k < 2; k++) {
			if (!batched[k])
				continue;
			memset(&tb, 0, sizeof(tb));
			assert_int_equal(kp_monitor_judge(batched[k], &c, now, &tb, &e), 0);
			got = dump_warnings(batched[k]);
			assert_string_equal(got, want);
			assert_int_equal(tb.opened, tr.opened);
			assert_int_equal(tb.raised, tr.raised);
			assert_int_equal(tb.resolved, tr.resolved);
			/* the step left no homepage run dirty (B's, step 1) */
			assert_int_equal(kp_store_site_home_repair(batched[k], &n, &e), 0);
			assert_int_equal(n, 0);
			free(got);
		}
		/* and what they are: */
		if (step == 0) {
			assert_int_equal(tr.opened, 5);
			assert_int_equal(tr.resolved, 1);
			expect_w(want, 1, "homepage", "warning", true);        /* D */
			expect_w(want, 2, "availability", "veto", false);      /* A */
			assert_non_null(strstr(want, "\"probes\":168,\"failures\":11"));
			expect_w(want, 3, "homepage", "warning", false);       /* B */
			assert_non_null(strstr(want, "\"last_change\":\"2024-06-10T12:00:00Z\",\"unchanged_days\":11,\"since_first_probe\":false"));
			expect_w(want, 4, "column_blank", "warning", false);   /* C */
			assert_non_null(strstr(want, "\"inspection\":3,\"inspected\":\"2024-06-15\""));
			expect_w(want, 5, "column_update", "veto", false);     /* D */
			expect_w(want, 6, "availability", "warning", false);   /* E */
			assert_null(strstr(want, "\n7 "));
		} else if (step == 1) {
			assert_int_equal(tr.opened, 0);
			assert_int_equal(tr.raised, 1);
			assert_int_equal(tr.resolved, 2);
			expect_w(want, 4, "column_blank", "warning", true);    /* C */
			expect_w(want, 5, "column_update", "veto", true);      /* D */
			assert_non_null(strstr(want, "\"column_check\":1"));
			/* the escaped name, read back from the part kept apart */
			assert_non_null(strstr(want, "\"name\":\"要\\\"闻\\\\3\\n\\u0001\",\"class\":\"动态要闻\",\"url\":\"http://a/要闻3\",\"latest_date\":\"2024-06-01\",\"stale_days\":21,\"window_days\":14,\"source\":\"检测\",\"check_status\":503"));
			expect_w(want, 6, "availability", "veto", false);      /* E */
			expect_w(want, 3, "homepage", "warning", false);       /* B */
		} else {
			assert_int_equal(tr.opened + tr.raised + tr.resolved, 0);
		}
		free(want);
	}
	kp_store_close(ref);
	kp_store_close(sq);
	if (pg) {
		kp_store_close(pg);
		drop_pg(pgdb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_slot),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_jobs),
		cmocka_unit_test(test_job_batches),
		cmocka_unit_test(test_host_take),
		cmocka_unit_test(test_jobs_queue),
		cmocka_unit_test(test_inspect_jobs),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_judge_batch),
	};
	int r;
	char cmd[300];
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	r = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return r;
}
