/* store — monitoring's jobs: due probes claimed by workers under a
 * lease (table of migration 10; the interface is in store.h).
 *
 * A job has a kind (migration 18): 'probe' (a homepage probe, written
 * in batches with kp_store_jobs_done), 'inspect' (an inspection of the
 * whole site, written by the round layer with kp_store_job_done_tx
 * inside the inspection's own transaction) or 'columns' (a column check
 * between inspections, written with kp_store_column_check_add).
 *
 * A claim is one statement: the oldest jobs (up to the batch's size, of
 * one kind or any) that are queued, or leased to a worker whose lease
 * ran out, become the claimer's until lease_until.  On PostgreSQL the
 * inner SELECT locks the rows FOR UPDATE SKIP LOCKED, so two workers
 * claiming at once take disjoint batches and neither waits; on SQLite
 * the statement runs under the database's one writer lock, which gives
 * the same.  A batch's leases are renewed, and its probes finished, each
 * in one statement on the list of their ids (one text parameter:
 * PostgreSQL's array literal or SQLite's JSON array), only where the job
 * is still the worker's.
 *
 * A worker keeping a politeness gap per host claims spread over hosts
 * (kp_store_jobs_claim_hosts): no more than a few jobs of one host held
 * at once, the hosts free now first. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

int kp_store_job_add(kp_store *s, int64_t site, int64_t sched, int *added,
		     kp_err *e)
{
	return kp_store_job_add_kind(s, site, "probe", sched, added, e);
}

int kp_store_job_add_kind(kp_store *s, int64_t site, const char *kind,
			  int64_t sched, int *added, kp_err *e)
{
	kp_val p[3] = { KV_INT(site), KV_TEXT(kind), KV_INT(sched) };
	int64_t n = s->ops->run(s, "INSERT INTO jobs (site_id, kind, sched)"
				   " VALUES (?, ?, ?)"
				   " ON CONFLICT (site_id, kind, sched) DO NOTHING",
				p, 3, NULL, NULL, e);
	if (n < 0)
		return -1;
	if (added)
		*added = n > 0;
	return 0;
}

/* An id list as one text parameter, for the statement text of id_in:
 * "{1,2,3}" (PostgreSQL's array literal) or "[1,2,3]" (SQLite's JSON). */
static char *id_list(bool pg, const int64_t *ids, size_t n)
{
	kp_buf b = KP_BUF_INIT;
	kp_buf_addc(&b, pg ? '{' : '[');
	for (size_t i = 0; i < n; i++)
		kp_buf_addf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	kp_buf_addc(&b, pg ? '}' : ']');
	return kp_buf_detach(&b);
}

static bool is_pg(const kp_store *s)
{
	return strcmp(s->ops->name, "sqlite") != 0;
}

struct claimed {
	kp_job *v;
	size_t n, max;
};

static int claimed_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct claimed *cl = ctx;
	kp_job *j;
	(void)e;
	if (n < 7 || cl->n == cl->max)
		return 0;
	j = &cl->v[cl->n++];
	j->id = c[0].i;
	j->site = c[1].i;
	j->sched = c[2].i;
	j->attempts = c[3].i;
	snprintf(j->url, sizeof(j->url), "%s", kp_val_str(&c[4]));
	snprintf(j->kind, sizeof(j->kind), "%s", kp_val_str(&c[5]));
	snprintf(j->unit, sizeof(j->unit), "%s", kp_val_str(&c[6]));
	return 0;
}

/* A spread claim's candidates (kp_store_jobs_claim_hosts): the due
 * jobs, each with whether its host is waiting (busy) and its rank among
 * its host's due jobs, oldest first; kept while the rank and the jobs of
 * the host the worker already holds stay within the cap.  A host's key
 * is sites.host, or the site's URL while its key is unknown or none.
 * Parameters: now_ms, due, kind, kind, now, worker, now, kind, kind,
 * per_host. */
#define HOST_KEY "COALESCE(NULLIF(st.host, ''), st.url)"
#define SPREAD_CANDIDATES                                                   \
	"SELECT c.id, c.busy, c.sched FROM (SELECT j.id, j.sched,"          \
	" " HOST_KEY " AS hk,"                                              \
	" CASE WHEN h.next_ms > ? THEN 1 ELSE 0 END AS busy,"               \
	" row_number() OVER (PARTITION BY " HOST_KEY                        \
	" ORDER BY j.sched, j.id) AS rk"                                    \
	" FROM jobs j JOIN sites st ON st.id = j.site_id"                   \
	" LEFT JOIN hosts h ON h.host = st.host"                            \
	" WHERE j.sched <= ? AND (? = '' OR j.kind = ?)"                    \
	" AND (j.state = 'queued' OR (j.state = 'leased'"                   \
	" AND j.lease_until < ?))) c"                                       \
	" LEFT JOIN (SELECT " HOST_KEY " AS hk, COUNT(*) AS n"              \
	" FROM jobs j JOIN sites st ON st.id = j.site_id"                   \
	" WHERE j.state = 'leased' AND j.worker = ? AND j.lease_until >= ?" \
	" AND (? = '' OR j.kind = ?) GROUP BY " HOST_KEY ") held"           \
	" ON held.hk = c.hk WHERE c.rk + COALESCE(held.n, 0) <= ?"

#define CLAIM_RETURNING                                                     \
	" RETURNING id, site_id, sched, attempts,"                          \
	" (SELECT url FROM sites WHERE sites.id = jobs.site_id), kind,"     \
	" (SELECT unit FROM sites WHERE sites.id = jobs.site_id)"

int kp_store_jobs_claim_hosts(kp_store *s, const char *worker, int64_t due,
			      int64_t now, int64_t lease_until, size_t max,
			      const char *kind, int64_t per_host,
			      int64_t now_ms, kp_job *out, size_t *n,
			      bool *more, kp_err *e)
{
	const char *k = kind ? kind : "";
	kp_val p[15] = { KV_TEXT(worker), KV_INT(lease_until), KV_INT(now_ms),
			 KV_INT(due), KV_TEXT(k), KV_TEXT(k), KV_INT(now),
			 KV_TEXT(worker), KV_INT(now), KV_TEXT(k), KV_TEXT(k),
			 KV_INT(per_host) };
	struct claimed cl = { out, 0, max };
	int np = 12;
	*n = 0;
	*more = false;
	if (per_host <= 0)
		return kp_store_jobs_claim(s, worker, due, now, lease_until, max,
					   kind, out, n, e);
	if (!max)
		return 0;
	if (is_pg(s))
		p[np++] = KV_INT(now);
	p[np++] = KV_INT((int64_t)max);
	/* PostgreSQL: a window function and FOR UPDATE cannot share a
	 * query, so the candidates are ranked unlocked and the jobs locked
	 * in their order, each checked again once locked (a job leased by a
	 * claim that committed meanwhile no longer qualifies) */
	if (s->ops->run(s, is_pg(s)
		? "UPDATE jobs SET state = 'leased', worker = ?, lease_until = ?,"
		  " attempts = attempts + 1 WHERE id IN (SELECT jl.id FROM jobs jl"
		  " JOIN (" SPREAD_CANDIDATES ") r ON r.id = jl.id"
		  " WHERE jl.state = 'queued' OR (jl.state = 'leased'"
		  " AND jl.lease_until < ?)"
		  " ORDER BY r.busy, r.sched, r.id LIMIT ?"
		  " FOR UPDATE OF jl SKIP LOCKED)" CLAIM_RETURNING
		: "UPDATE jobs SET state = 'leased', worker = ?, lease_until = ?,"
		  " attempts = attempts + 1 WHERE id IN (SELECT r.id FROM ("
		  SPREAD_CANDIDATES ") r ORDER BY r.busy, r.sched, r.id LIMIT ?)"
		  CLAIM_RETURNING,
		p, np, claimed_row, &cl, e) < 0)
		return -1;
	*n = cl.n;
	if (cl.n < max) {
		int64_t left = 0;
		kp_val q[4] = { KV_INT(due), KV_TEXT(k), KV_TEXT(k), KV_INT(now) };
		if (s->ops->run(s, "SELECT COUNT(*) FROM (SELECT 1 FROM jobs"
				   " WHERE sched <= ? AND (? = '' OR kind = ?)"
				   " AND (state = 'queued' OR (state = 'leased'"
				   " AND lease_until < ?)) LIMIT 1) x",
				q, 4, kp_row_first_int, &left, e) < 0)
			return -1;
		*more = left > 0;
	}
	return 0;
}

int kp_store_jobs_claim(kp_store *s, const char *worker, int64_t due,
			int64_t now, int64_t lease_until, size_t max,
			const char *kind, kp_job *out, size_t *n, kp_err *e)
{
	const char *k = kind ? kind : "";
	kp_val p[7] = { KV_TEXT(worker), KV_INT(lease_until), KV_INT(due),
			KV_TEXT(k), KV_TEXT(k), KV_INT(now), KV_INT((int64_t)max) };
	struct claimed cl = { out, 0, max };
	*n = 0;
	if (!max)
		return 0;
	/* the due jobs in slot order; on PostgreSQL rows another worker
	 * is claiming are skipped, not waited for */
#define CLAIM_DUE                                                           \
	"UPDATE jobs SET state = 'leased', worker = ?, lease_until = ?,"    \
	" attempts = attempts + 1 WHERE id IN (SELECT id FROM jobs"         \
	" WHERE sched <= ? AND (? = '' OR kind = ?)"                        \
	" AND (state = 'queued' OR (state = 'leased'"                       \
	" AND lease_until < ?)) ORDER BY sched, id LIMIT ?"
	if (s->ops->run(s, is_pg(s)
		? CLAIM_DUE " FOR UPDATE SKIP LOCKED)" CLAIM_RETURNING
		: CLAIM_DUE ")" CLAIM_RETURNING,
		p, 7, claimed_row, &cl, e) < 0)
		return -1;
	*n = cl.n;
	return 0;
}

int kp_store_job_claim(kp_store *s, const char *worker, int64_t due,
		       int64_t now, int64_t lease_until, kp_job *out,
		       kp_err *e)
{
	size_t n;
	memset(out, 0, sizeof(*out));
	if (kp_store_jobs_claim(s, worker, due, now, lease_until, 1, NULL, out, &n,
				e) < 0)
		return -1;
	return n > 0;
}

/* The ids a statement returned, marked in held[] by their place in ids. */
struct marks {
	const int64_t *ids;
	bool *held;
	size_t n;
};

static int mark_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct marks *m = ctx;
	(void)e;
	if (n < 1)
		return 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->ids[i] == c[0].i)
			m->held[i] = true;
	return 0;
}

/* A step's (site, slot) pairs as text parameters: PostgreSQL's two
 * array literals, or SQLite's one JSON array of pairs (json_each reads
 * it in one pass). */
static void pair_lists(bool pg, const int64_t *a, const int64_t *b, size_t n,
		       char **one, char **two)
{
	kp_buf j = KP_BUF_INIT;
	if (pg) {
		*one = id_list(true, a, n);
		*two = id_list(true, b, n);
		return;
	}
	kp_buf_addc(&j, '[');
	for (size_t i = 0; i < n; i++)
		kp_buf_addf(&j, "%s[%lld,%lld]", i ? "," : "", (long long)a[i],
			    (long long)b[i]);
	kp_buf_addc(&j, ']');
	*one = kp_buf_detach(&j);
	*two = kp_xstrdup("");
}

/* A column check is queued only for a site some inspection is of (its
 * URL as registered, or with its trailing slash added or dropped: as
 * kp_store_inspection_latest finds it; inspections_by_site). */
#define HAS_INSPECTION                                                      \
	" AND (? <> 'columns' OR EXISTS (SELECT 1 FROM sites st, inspections i" \
	" WHERE st.id = x.site AND i.site IN (st.url, CASE WHEN"              \
	" substr(st.url, length(st.url)) = '/' THEN"                        \
	" substr(st.url, 1, length(st.url) - 1) ELSE st.url || '/' END)))"

int kp_store_jobs_queue(kp_store *s, const char *kind, const int64_t *sites,
			const int64_t *slots, size_t n, int64_t *added,
			kp_err *e)
{
	char *l1, *l2;
	int64_t r = 0;
	pair_lists(is_pg(s), sites, slots, n, &l1, &l2);
	kp_val p[6] = { KV_TEXT(kind), KV_TEXT(l1), KV_TEXT(l2), KV_TEXT(kind),
			KV_TEXT(kind), KV_TEXT(kind) };
	if (n)
		r = s->ops->run(s, is_pg(s)
		? "INSERT INTO jobs (site_id, kind, sched)"
		  " SELECT x.site, ?, x.slot FROM unnest(CAST(? AS BIGINT[]),"
		  " CAST(? AS BIGINT[])) AS x(site, slot)"
		  " WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.site_id = x.site"
		  " AND j.kind = ? AND j.sched >= x.slot)"
		  " AND (? <> 'probe' OR NOT EXISTS (SELECT 1 FROM probes p"
		  " WHERE p.site_id = x.site AND p.sched >= x.slot))"
		  HAS_INSPECTION
		  " ON CONFLICT (site_id, kind, sched) DO NOTHING"
		: "INSERT INTO jobs (site_id, kind, sched)"
		  " SELECT x.site, ?, x.slot FROM (SELECT"
		  " json_extract(value, '$[0]') AS site,"
		  " json_extract(value, '$[1]') AS slot FROM json_each(?)"
		  " WHERE ? = '') x"   /* the second list, empty here */
		  " WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.site_id = x.site"
		  " AND j.kind = ? AND j.sched >= x.slot)"
		  " AND (? <> 'probe' OR NOT EXISTS (SELECT 1 FROM probes p"
		  " WHERE p.site_id = x.site AND p.sched >= x.slot))"
		  HAS_INSPECTION
		  " ON CONFLICT (site_id, kind, sched) DO NOTHING",
		p, 6, NULL, NULL, e);
	free(l1);
	free(l2);
	if (r < 0)
		return -1;
	if (added)
		*added = r;
	return 0;
}

int kp_store_jobs_renew(kp_store *s, const char *worker, const int64_t *ids,
			size_t n, int64_t lease_until, bool *held, kp_err *e)
{
	char *list = id_list(is_pg(s), ids, n);
	kp_val p[3] = { KV_INT(lease_until), KV_TEXT(worker), KV_TEXT(list) };
	struct marks m = { ids, held, n };
	int64_t r;
	for (size_t i = 0; i < n; i++)
		held[i] = false;
	r = n ? s->ops->run(s, is_pg(s)
		? "UPDATE jobs SET lease_until = ? WHERE worker = ?"
		  " AND state = 'leased' AND id = ANY (CAST(? AS BIGINT[]))"
		  " RETURNING id"
		: "UPDATE jobs SET lease_until = ? WHERE worker = ?"
		  " AND state = 'leased' AND id IN (SELECT value FROM json_each(?))"
		  " RETURNING id",
		p, 3, mark_row, &m, e) : 0;
	free(list);
	return r < 0 ? -1 : 0;
}

static int probe_cmp(const void *a, const void *b)
{
	const kp_probe *x = *(const kp_probe *const *)a;
	const kp_probe *y = *(const kp_probe *const *)b;
	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return (x->sched > y->sched) - (x->sched < y->sched);
}

int kp_store_jobs_done(kp_store *s, const char *worker, const int64_t *ids,
		       const kp_probe *probes, size_t n, bool *written,
		       kp_err *e)
{
	const kp_probe **order;
	char *list = id_list(is_pg(s), ids, n);
	kp_val p[2] = { KV_TEXT(worker), KV_TEXT(list) };
	struct marks m = { ids, written, n };
	int64_t r;
	for (size_t i = 0; i < n; i++)
		written[i] = false;
	if (!n || s->ops->begin(s, e) < 0) {
		free(list);
		return n ? -1 : 0;
	}
	r = s->ops->run(s, is_pg(s)
		? "UPDATE jobs SET state = 'done' WHERE worker = ?"
		  " AND state = 'leased' AND id = ANY (CAST(? AS BIGINT[]))"
		  " RETURNING id"
		: "UPDATE jobs SET state = 'done' WHERE worker = ?"
		  " AND state = 'leased' AND id IN (SELECT value FROM json_each(?))"
		  " RETURNING id",
		p, 2, mark_row, &m, e);
	free(list);
	/* in (site, sched) order: each probe's row also adds to its site's
	 * hour (probe_hours), and two workers' batches that touch the same
	 * hours then lock them in the same order (no deadlock on
	 * PostgreSQL) */
	order = kp_xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = &probes[i];
	qsort(order, n, sizeof *order, probe_cmp);
	for (size_t i = 0; r >= 0 && i < n; i++)
		if (written[order[i] - probes] &&
		    kp_store_probe_put_tx(s, order[i], e) < 0)
			r = -1;
	free(order);
	if (r < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

int kp_store_job_renew(kp_store *s, int64_t id, const char *worker,
		       int64_t lease_until, kp_err *e)
{
	kp_val p[3] = { KV_INT(lease_until), KV_INT(id), KV_TEXT(worker) };
	int64_t n = s->ops->run(s, "UPDATE jobs SET lease_until = ? WHERE id = ?"
				   " AND worker = ? AND state = 'leased'",
				p, 3, NULL, NULL, e);
	if (n < 0)
		return -1;
	if (n == 0)
		return kp_fail(e, KP_EINPUT, "%s：任务 %lld 已不归“%s”", s->where,
			       (long long)id, worker);
	return 0;
}

int kp_store_job_done(kp_store *s, int64_t id, const kp_probe *p,
		      kp_err *e)
{
	kp_val q[1] = { KV_INT(id) };
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (kp_store_probe_put_tx(s, p, e) < 0 ||
	    s->ops->run(s, "UPDATE jobs SET state = 'done' WHERE id = ?", q, 1,
			NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}

int kp_store_job_done_tx(kp_store *s, int64_t id, const char *worker,
			 bool *lost, kp_err *e)
{
	kp_val q[2] = { KV_INT(id), KV_TEXT(worker) };
	int64_t n = s->ops->run(s, "UPDATE jobs SET state = 'done' WHERE id = ?"
				   " AND worker = ? AND state = 'leased'",
				q, 2, NULL, NULL, e);
	if (n < 0)
		return -1;
	*lost = n == 0;
	return 0;
}

int kp_store_jobs_count(kp_store *s, const char *state, int64_t *n,
			kp_err *e)
{
	kp_val p[1] = { KV_TEXT(state) };
	*n = 0;
	return s->ops->run(s, "SELECT COUNT(*) FROM jobs WHERE state = ?", p, 1,
			   kp_row_first_int, n, e) < 0 ? -1 : 0;
}

int kp_store_job_last(kp_store *s, int64_t site, const char *kind,
		      int64_t *sched, kp_err *e)
{
	kp_val p[2] = { KV_INT(site), KV_TEXT(kind) };
	*sched = 0;
	return s->ops->run(s, "SELECT MAX(sched) FROM jobs WHERE site_id = ?"
			      " AND kind = ?", p, 2, kp_row_first_int, sched,
			   e) < 0 ? -1 : 0;
}

int kp_store_job_close(kp_store *s, int64_t id, const char *worker,
		       bool *lost, kp_err *e)
{
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (kp_store_job_done_tx(s, id, worker, lost, e) < 0)
		return kp_store_fail_tx(s);
	return s->ops->commit(s, e);
}
