/* store — monitoring's sites, probes and warnings (tables of migrations
 * 5 and 6; the interface is in store.h, "monitoring"); a site's
 * politeness key (sites.host, migration 23) is filled by the program
 * (kp_store_sites_fill_hosts). */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- sites ------------------------------------------------------------ */

static int site_exists(void *ctx, const kp_val *c, int n, kp_err *e)
{
	(void)e;
	if (n > 0)
		*(int64_t *)ctx = c[0].i;
	return 0;
}

int kp_store_site_add(kp_store *s, const char *unit, const char *url,
		      const char *kind, int64_t *id, kp_err *e)
{
	char now[24];
	int64_t have = 0, got = 0;
	kp_val p[4] = { KV_TEXT(unit), KV_TEXT(url),
			KV_TEXT(kind && *kind ? kind : "网站"),
			KV_TEXT(kp_store_now(now)) };
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "SELECT id FROM sites WHERE url = ?", &p[1], 1,
			site_exists, &have, e) < 0)
		return kp_store_fail_tx(s);
	if (have) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：网址“%s”已在监测的网站中（编号 %lld）",
			       s->where, url, (long long)have);
	}
	if (s->ops->run(s, "INSERT INTO sites (unit, url, kind, added)"
			   " VALUES (?, ?, ?, ?)", p, 4, NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	if (s->ops->run(s, "SELECT id FROM sites WHERE url = ?", &p[1], 1,
			site_exists, &got, e) < 0)
		return kp_store_fail_tx(s);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (id)
		*id = got;
	return 0;
}

struct site_ctx {
	kp_site_fn fn;
	void *ctx;
};

static int site_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct site_ctx *sc = ctx;
	kp_site st;
	if (n < 5)
		return 0;
	st.id = c[0].i;
	st.unit = kp_val_str(&c[1]);
	st.url = kp_val_str(&c[2]);
	st.kind = kp_val_str(&c[3]);
	st.added = kp_val_str(&c[4]);
	return sc->fn(sc->ctx, &st, e);
}

int kp_store_sites_each(kp_store *s, const char *unit, kp_site_fn fn,
			void *ctx, kp_err *e)
{
	struct site_ctx sc = { fn, ctx };
	kp_val p[2] = { KV_TEXT(unit ? unit : ""), KV_TEXT(unit ? unit : "") };
	return s->ops->run(s, "SELECT id, unit, url, kind, added FROM sites"
			      " WHERE ? = '' OR unit = ? ORDER BY id",
			   p, 2, site_row, &sc, e) < 0 ? -1 : 0;
}

/* The sites whose politeness key is not stored yet (sites_without_host),
 * their ids and URLs kept to be filled. */
struct unkeyed {
	int64_t *id;
	char **url;
	size_t n, cap;
};

static int unkeyed_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct unkeyed *u = ctx;
	(void)e;
	if (n < 2)
		return 0;
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 64;
		u->id = kp_xrealloc(u->id, u->cap * sizeof(*u->id));
		u->url = kp_xrealloc(u->url, u->cap * sizeof(*u->url));
	}
	u->id[u->n] = c[0].i;
	u->url[u->n++] = kp_xstrdup(kp_val_str(&c[1]));
	return 0;
}

int kp_store_sites_fill_hosts(kp_store *s, kp_host_key_fn key,
			      int64_t *filled, kp_err *e)
{
	struct unkeyed u = { 0 };
	int64_t done = 0;
	int r = 0;
	if (filled)
		*filled = 0;
	if (s->ops->run(s, "SELECT id, url FROM sites WHERE host IS NULL"
			   " ORDER BY id", NULL, 0, unkeyed_row, &u, e) < 0)
		r = -1;
	if (r == 0 && u.n && s->ops->begin(s, e) < 0)
		r = -1;
	for (size_t i = 0; r == 0 && i < u.n; i++) {
		char k[320];
		int64_t got;
		kp_val p[2] = { KV_TEXT(k), KV_INT(u.id[i]) };
		if (key(u.url[i], k, sizeof(k)) < 0)
			k[0] = '\0';
		got = s->ops->run(s, "UPDATE sites SET host = ? WHERE id = ?"
				     " AND host IS NULL", p, 2, NULL, NULL, e);
		if (got < 0)
			r = kp_store_fail_tx(s);
		else
			done += got;
	}
	if (r == 0 && u.n)
		r = s->ops->commit(s, e);
	for (size_t i = 0; i < u.n; i++)
		free(u.url[i]);
	free(u.url);
	free(u.id);
	if (r == 0 && filled)
		*filled = done;
	return r;
}

/* ---- probes ------------------------------------------------------------ */

static const char probe_insert[] =
	"INSERT INTO probes (site_id, sched, at, status, latency_ms, ok, error,"
	" hash, started_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
	" ON CONFLICT (site_id, sched) DO NOTHING";

/* The site's hour and day of probes (migration 24) gain the probe, in the same
 * transaction as its row and only when the row is new: each probe is
 * counted once, however often its job is finished again. */
static const char probe_hour_add[] =
	"INSERT INTO probe_hours (site_id, hour, n, f) VALUES (?, ?, 1, ?)"
	" ON CONFLICT (site_id, hour) DO UPDATE SET n = probe_hours.n + 1,"
	" f = probe_hours.f + excluded.f";

static const char probe_day_add[] =
	"INSERT INTO probe_days (site_id, day, n, f) VALUES (?, ?, 1, ?)"
	" ON CONFLICT (site_id, day) DO UPDATE SET n = probe_days.n + 1,"
	" f = probe_days.f + excluded.f";

/* A new successful probe moves its site's homepage run (migration 26),
 * in the same transaction as its row: newer than the run's last
 * successful probe, it extends the run (same hash) or starts one (the
 * old last becomes prev_end); not newer, the state is marked dirty (it
 * would need the probes read again) and not trusted.  Every SET
 * reads the row as it was.  A dirty state is read again from the probes
 * by the next monitoring step (kp_store_site_home_repair). */
static const char site_home_add[] =
	"INSERT INTO site_home (site_id, hash, run_start, prev_end, last_ok,"
	" dirty) VALUES (?, ?, ?, NULL, ?, 0)"
	" ON CONFLICT (site_id) DO UPDATE SET"
	" dirty = CASE WHEN excluded.last_ok > site_home.last_ok"
	"  THEN site_home.dirty ELSE 1 END,"
	" prev_end = CASE WHEN excluded.last_ok <= site_home.last_ok"
	"  OR excluded.hash = site_home.hash THEN site_home.prev_end"
	"  ELSE site_home.last_ok END,"
	" run_start = CASE WHEN excluded.last_ok <= site_home.last_ok"
	"  OR excluded.hash = site_home.hash THEN site_home.run_start"
	"  ELSE excluded.run_start END,"
	" hash = CASE WHEN excluded.last_ok > site_home.last_ok"
	"  THEN excluded.hash ELSE site_home.hash END,"
	" last_ok = CASE WHEN excluded.last_ok > site_home.last_ok"
	"  THEN excluded.last_ok ELSE site_home.last_ok END";

/* The probe's row inside the caller's transaction; the number added. */
int64_t kp_store_probe_put_tx(kp_store *s, const kp_probe *p, kp_err *e)
{
	kp_val v[9] = { KV_INT(p->site), KV_INT(p->sched), KV_INT(p->at),
			KV_INT(p->status), KV_INT(p->latency_ms),
			KV_INT(p->ok ? 1 : 0), KV_TEXT(p->error ? p->error : ""),
			KV_TEXT(p->hash ? p->hash : ""), KV_INT(p->started_ms) };
	kp_val h[3] = { KV_INT(p->site), KV_INT(kp_probe_hour(p->sched)),
			KV_INT(p->ok ? 0 : 1) };
	kp_val d[3] = { KV_INT(p->site), KV_INT(kp_probe_day(p->sched)),
			KV_INT(p->ok ? 0 : 1) };
	kp_val r[4] = { KV_INT(p->site), KV_TEXT(p->hash ? p->hash : ""),
			KV_INT(p->sched), KV_INT(p->sched) };
	int64_t n = s->ops->run(s, probe_insert, v, 9, NULL, NULL, e);
	if (n > 0 && (s->ops->run(s, probe_hour_add, h, 3, NULL, NULL, e) < 0 ||
		      s->ops->run(s, probe_day_add, d, 3, NULL, NULL, e) < 0 ||
		      (p->ok && s->ops->run(s, site_home_add, r, 4, NULL, NULL,
					    e) < 0)))
		return -1;
	return n;
}

int kp_store_probe_put(kp_store *s, const kp_probe *p, int *added,
		       kp_err *e)
{
	int64_t n;
	if (s->ops->begin(s, e) < 0)
		return -1;
	n = kp_store_probe_put_tx(s, p, e);
	if (n < 0)
		return kp_store_fail_tx(s);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (added)
		*added = n > 0;
	return 0;
}

struct probe_ctx {
	kp_probe_fn fn;
	void *ctx;
};

static int probe_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct probe_ctx *pc = ctx;
	kp_probe p;
	if (n < 8)
		return 0;
	p.site = c[0].i;
	p.sched = c[1].i;
	p.at = c[2].i;
	p.status = c[3].i;
	p.latency_ms = c[4].i;
	p.ok = c[5].i != 0;
	p.error = kp_val_str(&c[6]);
	p.hash = kp_val_str(&c[7]);
	p.started_ms = n > 8 ? c[8].i : 0;
	return pc->fn(pc->ctx, &p, e);
}

int kp_store_probes_each(kp_store *s, int64_t site, int64_t from,
			 int64_t to, kp_probe_fn fn, void *ctx, kp_err *e)
{
	struct probe_ctx pc = { fn, ctx };
	kp_val p[3] = { KV_INT(site), KV_INT(from), KV_INT(to) };
	return s->ops->run(s, "SELECT site_id, sched, at, status, latency_ms, ok,"
			      " error, hash, started_ms FROM probes WHERE site_id = ?"
			      " AND sched >= ? AND sched <= ? ORDER BY sched",
			   p, 3, probe_row, &pc, e) < 0 ? -1 : 0;
}

int kp_store_probe_last(kp_store *s, int64_t site, int64_t *sched,
			kp_err *e)
{
	kp_val p[2] = { KV_INT(site), KV_INT(site) };
	*sched = 0;
	return s->ops->run(s, "SELECT MAX(m) FROM (SELECT MAX(sched) AS m FROM"
			      " probes WHERE site_id = ? UNION ALL SELECT"
			      " MAX(sched) FROM jobs WHERE site_id = ? AND kind = 'probe') x",
			   p, 2, kp_row_first_int, sched, e) < 0 ? -1 : 0;
}

/* ---- warnings ---------------------------------------------------------- */

int kp_store_warning_open(kp_store *s, int64_t site, const char *rule,
			  const char *level, int64_t at, const char *evidence,
			  int64_t *id, kp_err *e)
{
	int64_t have = 0, got = 0;
	kp_val q[2] = { KV_INT(site), KV_TEXT(rule) };
	kp_val p[5] = { KV_INT(site), KV_TEXT(rule), KV_TEXT(level), KV_INT(at),
			KV_TEXT(evidence) };
	static const char open_sql[] =
		"SELECT MAX(id) FROM warnings WHERE site_id = ? AND rule = ?"
		" AND resolved = 0";
	*id = 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, open_sql, q, 2, kp_row_first_int, &have, e) < 0)
		return kp_store_fail_tx(s);
	if (have)
		return s->ops->commit(s, e);
	if (s->ops->run(s, "INSERT INTO warnings (site_id, rule, level, opened,"
			   " evidence) VALUES (?, ?, ?, ?, ?)", p, 5, NULL, NULL,
			e) < 0 ||
	    s->ops->run(s, open_sql, q, 2, kp_row_first_int, &got, e) < 0)
		return kp_store_fail_tx(s);
	if (s->ops->commit(s, e) < 0)
		return -1;
	*id = got;
	return 0;
}

static int warning_update(kp_store *s, const char *sql, const kp_val *p,
			  int np, kp_err *e)
{
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, sql, p, np, NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

int kp_store_warning_level(kp_store *s, int64_t id, const char *level,
			   const char *evidence, kp_err *e)
{
	kp_val p[3] = { KV_TEXT(level), KV_TEXT(evidence), KV_INT(id) };
	return warning_update(s, "UPDATE warnings SET level = ?, evidence = ?,"
				 " notified = CASE WHEN notified = 0 THEN 0"
				 " ELSE 2 END, mailed = CASE WHEN mailed = 0"
				 " THEN 0 ELSE 2 END WHERE id = ?", p, 3, e);
}

int kp_store_warning_resolve(kp_store *s, int64_t id, int64_t at,
			     const char *evidence, kp_err *e)
{
	kp_val p[3] = { KV_INT(at), KV_TEXT(evidence), KV_INT(id) };
	return warning_update(s, "UPDATE warnings SET resolved = ?,"
				 " resolved_evidence = ? WHERE id = ?", p, 3, e);
}

/* Mark channel col's notice of warning id sent: what 1 the opening, 3
 * the raise to a veto (col = 3), otherwise the resolution (resolve_col). */
static int warning_sent(kp_store *s, int64_t id, int what, const char *col,
			kp_err *e)
{
	kp_val p[1] = { KV_INT(id) };
	char sql[96];
	if (what == 1 || what == 3)
		snprintf(sql, sizeof(sql), "UPDATE warnings SET %s = %d WHERE id = ?",
			 col, what);
	else
		snprintf(sql, sizeof(sql),
			 "UPDATE warnings SET resolve_%s = 1 WHERE id = ?", col);
	return warning_update(s, sql, p, 1, e);
}

int kp_store_warning_notified(kp_store *s, int64_t id, int what, kp_err *e)
{
	return warning_sent(s, id, what, "notified", e);
}

int kp_store_warning_mailed(kp_store *s, int64_t id, int what, kp_err *e)
{
	return warning_sent(s, id, what, "mailed", e);
}

struct warning_ctx {
	kp_warning_fn fn;
	void *ctx;
};

static int warning_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct warning_ctx *wc = ctx;
	kp_warning w;
	if (n < 12)
		return 0;
	w.id = c[0].i;
	w.site = c[1].i;
	w.rule = kp_val_str(&c[2]);
	w.level = kp_val_str(&c[3]);
	w.opened = c[4].i;
	w.evidence = kp_val_str(&c[5]);
	w.notified = (int)c[6].i;
	w.resolved = c[7].i;
	w.resolved_evidence = kp_val_str(&c[8]);
	w.resolve_notified = c[9].i != 0;
	w.mailed = (int)c[10].i;
	w.resolve_mailed = c[11].i != 0;
	return wc->fn(wc->ctx, &w, e);
}

#define WARNING_SELECT                                                      \
	"SELECT id, site_id, rule, level, opened, evidence, notified,"         \
	" resolved, resolved_evidence, resolve_notified, mailed,"              \
	" resolve_mailed FROM warnings"

int kp_store_warnings_each(kp_store *s, int64_t site, bool open_only,
			   kp_warning_fn fn, void *ctx, kp_err *e)
{
	struct warning_ctx wc = { fn, ctx };
	kp_val p[2] = { KV_INT(open_only ? 1 : 0), KV_INT(site) };
	/* one site's by its index (warnings_by_site): a "? = 0 OR site_id
	 * = ?" would read every warning of every site, each step, for
	 * each site */
	if (site)
		return s->ops->run(s, WARNING_SELECT
				   " WHERE site_id = ? AND (? = 0 OR resolved = 0)"
				   " ORDER BY id",
				   (kp_val[]){ p[1], p[0] }, 2, warning_row, &wc,
				   e) < 0 ? -1 : 0;
	return s->ops->run(s, WARNING_SELECT " WHERE (? = 0 OR resolved = 0)"
			      " ORDER BY id",
			   p, 1, warning_row, &wc, e) < 0 ? -1 : 0;
}

/* ---- a monitoring step's judging, every site at once ------------------- */

/* ids read by a statement (id owned by the caller: free it) */
struct id_list { int64_t *id; size_t n, cap; };

static int dirty_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct id_list *d = ctx;
	(void)e;
	if (n < 1)
		return 0;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->id = kp_xrealloc(d->id, d->cap * sizeof(*d->id));
	}
	d->id[d->n++] = c[0].i;
	return 0;
}

int kp_store_site_home_repair(kp_store *s, int64_t *repaired, kp_err *e)
{
	struct id_list d = { 0 }, locked = { 0 };
	bool pg = strcmp(s->ops->name, "sqlite") != 0;
	int r = 0;
	if (repaired)
		*repaired = 0;
	/* most steps: none, and no transaction (a partial index) */
	if (s->ops->run(s, "SELECT site_id FROM site_home WHERE dirty = 1",
			NULL, 0, dirty_row, &d, e) < 0)
		return -1;
	free(d.id);
	if (!d.n)
		return 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	/* locked first (PostgreSQL; SQLite's transaction holds the write
	 * lock): a probe's transaction not yet committed then waits to move
	 * the state until this one has read the probes and rewritten it */
	if (s->ops->run(s, pg ? "SELECT site_id FROM site_home WHERE dirty = 1"
			       " ORDER BY site_id FOR UPDATE"
			     : "SELECT site_id FROM site_home WHERE dirty = 1"
			       " ORDER BY site_id",
			NULL, 0, dirty_row, &locked, e) < 0)
		r = -1;
	for (size_t i = 0; r == 0 && i < locked.n; i++) {
		kp_val p[1] = { KV_INT(locked.id[i]) };
		if (s->ops->run(s, "DELETE FROM site_home WHERE site_id = ?", p, 1,
				NULL, NULL, e) < 0 ||
		    s->ops->run(s, KP_SITE_HOME_FILL(" AND site_id = ?"), p, 1,
				NULL, NULL, e) < 0)
			r = -1;
	}
	free(locked.id);
	if (r < 0)
		return kp_store_fail_tx(s);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (repaired)
		*repaired = (int64_t)locked.n;
	return 0;
}

static int stats_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct { kp_probe_stats_fn fn; void *ctx; } *sc = ctx;
	kp_probe_stats ps = { 0 };
	if (n < 5)
		return 0;
	ps.site = c[0].i;
	ps.probes = c[1].t == KP_V_INT ? c[1].i : 0;
	ps.failures = c[2].t == KP_V_INT ? c[2].i : 0;
	ps.first_ok = c[3].t == KP_V_INT ? c[3].i : 0;
	ps.last_change = c[4].t == KP_V_INT ? c[4].i : 0;
	return sc->fn(sc->ctx, &ps, e);
}

/* Each CTE is materialized so that a subquery whose value a later one
 * reads is run once per site, not once per reference.
 *
 * The window's counts: the Beijing days wholly inside [wfrom, to] from
 * probe_days, the whole hours of the partial days at its two ends from
 * probe_hours (migration 24), the probes of the partial hours one by one
 * — per site (a 7-day window) at most 7 days' rows, 46 hours' and two
 * hours of probes, whatever the probes' density.  A window with no whole
 * hour (or before 1970, where sched / 3600 would round the other way) is
 * counted probe by probe.
 * Per site one pass over each range: probes and failures are summed as
 * one number, probes * 2^32 + failures (failures <= probes, far below
 * 2^32 in any window; 2^31 probes would overflow), so that PostgreSQL
 * visits each row once (a site's rows lie on as many heap pages). */
int kp_store_probe_stats(kp_store *s, int64_t from, int64_t wfrom, int64_t to,
			 kp_probe_stats_fn fn, void *ctx, kp_err *e)
{
	struct { kp_probe_stats_fn fn; void *ctx; } sc = { fn, ctx };
	/* whole days [d1, d2); whole hours [h1, h2) and [h3, h4); probes
	 * one by one in [wfrom, lo) and [hi, to] */
	int64_t h1 = wfrom >= 0 ? kp_probe_hour(wfrom + 3599) : 0;
	int64_t h4 = to >= 0 ? kp_probe_hour(to + 1) : 0;
	int64_t d1 = wfrom >= 0 ? kp_probe_day(wfrom + 86399) : 0;
	int64_t d2 = to >= 0 ? kp_probe_day(to + 1) : 0;
	int64_t h2 = h4, h3 = h4, lo = h1 * 3600, hi = h4 * 3600;
	if (wfrom < 0 || h1 >= h4) {
		h1 = h2 = h3 = h4 = 0;
		lo = hi = to + 1;
	}
	if (h1 < h4 && d1 < d2) {
		/* a day's first hour: (d * 24 - 8) */
		h2 = d1 * 24 - 8;
		h3 = d2 * 24 - 8;
	} else {
		d1 = d2 = 0;
	}
	/* the homepage run's state (migration 26) is kept for this step
	 * when it is clean and has no successful probe after to */
#define HOME_KEPT "sh.dirty = 0 AND sh.last_ok <= ?"
	kp_val p[25] = { KV_INT(d1), KV_INT(d2), KV_INT(h1), KV_INT(h2),
			 KV_INT(h3), KV_INT(h4), KV_INT(wfrom), KV_INT(lo),
			 KV_INT(hi), KV_INT(to),
			 /* h */
			 KV_INT(to), KV_INT(from), KV_INT(to), KV_INT(from),
			 KV_INT(to), KV_INT(to), KV_INT(from), KV_INT(to),
			 KV_INT(from), KV_INT(from), KV_INT(from), KV_INT(to),
			 /* l */
			 KV_INT(from), KV_INT(to),
			 /* the change */
			 KV_INT(to) };
	return s->ops->run(s,
		"WITH c AS MATERIALIZED (SELECT st.id AS site_id, CAST("
		"  COALESCE((SELECT SUM(pd.n * 4294967296 + pd.f) FROM probe_days pd"
		"   WHERE pd.site_id = st.id AND pd.day >= ? AND pd.day < ?), 0)"
		"  + COALESCE((SELECT SUM(ph.n * 4294967296 + ph.f) FROM probe_hours ph"
		"   WHERE ph.site_id = st.id AND ph.hour >= ? AND ph.hour < ?), 0)"
		"  + COALESCE((SELECT SUM(ph.n * 4294967296 + ph.f) FROM probe_hours ph"
		"   WHERE ph.site_id = st.id AND ph.hour >= ? AND ph.hour < ?), 0)"
		"  + COALESCE((SELECT SUM(CASE WHEN p.ok = 0 THEN 4294967297"
		"   ELSE 4294967296 END) FROM probes p WHERE p.site_id = st.id"
		"   AND p.sched >= ? AND p.sched < ?), 0)"
		"  + COALESCE((SELECT SUM(CASE WHEN p.ok = 0 THEN 4294967297"
		"   ELSE 4294967296 END) FROM probes p WHERE p.site_id = st.id"
		"   AND p.sched >= ? AND p.sched <= ?), 0) AS BIGINT) AS nf"
		"  FROM sites st),"
		" a AS MATERIALIZED (SELECT site_id, nf / 4294967296 AS n,"
		"  nf % 4294967296 AS f FROM c WHERE nf > 0),"
		/* kept: the run's state holds; then the previous hash's last
		 * probe if in the lookback; else (the probes one by one) the
		 * newest successful probe's hash.  And the first successful
		 * probe: none when the state's last is before the lookback,
		 * the run's start when nothing of another hash is in it */
		" h AS MATERIALIZED (SELECT st.id, sh.run_start,"
		"  CASE WHEN " HOME_KEPT " THEN 1 ELSE 0 END AS kept,"
		"  CASE WHEN sh.prev_end >= ? THEN sh.prev_end END AS kept_other,"
		"  CASE WHEN " HOME_KEPT " THEN sh.hash ELSE"
		"  (SELECT p.hash FROM probes p WHERE p.site_id = st.id AND p.ok <> 0"
		"   AND p.sched >= ? AND p.sched <= ? ORDER BY p.sched DESC LIMIT 1)"
		"  END AS hash,"
		"  CASE WHEN " HOME_KEPT " AND sh.last_ok < ? THEN NULL"
		"  WHEN " HOME_KEPT " AND sh.run_start >= ? AND (sh.prev_end IS NULL"
		"   OR sh.prev_end < ?) THEN sh.run_start ELSE"
		"  (SELECT p.sched FROM probes p WHERE p.site_id = st.id AND p.ok <> 0"
		"   AND p.sched >= ? AND p.sched <= ? ORDER BY p.sched LIMIT 1)"
		"  END AS first_ok"
		"  FROM sites st LEFT JOIN site_home sh ON sh.site_id = st.id),"
		/* the newest successful probe with another hash */
		" l AS MATERIALIZED (SELECT h.id, h.first_ok, h.kept, h.run_start,"
		"  CASE WHEN h.kept = 1 THEN h.kept_other ELSE"
		"  (SELECT p.sched FROM probes p WHERE p.site_id = h.id AND p.ok <> 0"
		"   AND p.sched >= ? AND p.sched <= ? AND p.hash <> h.hash"
		"   ORDER BY p.sched DESC LIMIT 1) END AS other"
		"  FROM h WHERE h.first_ok IS NOT NULL)"
		/* the change: the first successful probe after it */
		" SELECT st.id, a.n, a.f, l.first_ok,"
		"  CASE WHEN l.kept = 1 THEN CASE WHEN l.other IS NOT NULL"
		"   THEN l.run_start END ELSE"
		"  (SELECT p.sched FROM probes p WHERE p.site_id = l.id AND p.ok <> 0"
		"   AND p.sched > l.other AND p.sched <= ? ORDER BY p.sched LIMIT 1)"
		"  END"
		" FROM sites st LEFT JOIN a ON a.site_id = st.id"
		" LEFT JOIN l ON l.id = st.id"
		" WHERE a.site_id IS NOT NULL OR l.id IS NOT NULL ORDER BY st.id",
		p, 25, stats_row, &sc, e) < 0 ? -1 : 0;
#undef HOME_KEPT
}
