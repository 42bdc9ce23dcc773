/* store — monitoring's jobs: due probes claimed by workers under a
 * lease (table of migration 6; the interface is in store.h).
 *
 * A job has a kind (migration 15): 'probe' (a homepage probe, written
 * with kp_store_job_done) or 'inspect' (an inspection of the whole
 * site, written by the round layer with kp_store_job_done_tx inside the
 * inspection's own transaction).
 *
 * A claim is one statement: the oldest job that is queued, or leased to
 * a worker whose lease ran out, becomes the claimer's until lease_until.
 * On PostgreSQL the inner SELECT locks the row FOR UPDATE SKIP LOCKED, so
 * two workers claiming at once take two different jobs and neither
 * waits; on SQLite the statement runs under the database's one writer
 * lock, which gives the same. */
#include "store/store_int.h"

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

static int claimed_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_job *j = ctx;
	(void)e;
	if (n < 5)
		return 0;
	j->id = c[0].i;
	j->site = c[1].i;
	j->sched = c[2].i;
	j->attempts = c[3].i;
	snprintf(j->kind, sizeof(j->kind), "%s", kp_val_str(&c[4]));
	return 0;
}

static int url_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_job *j = ctx;
	(void)e;
	if (n > 1) {
		snprintf(j->url, sizeof(j->url), "%s", kp_val_str(&c[0]));
		snprintf(j->unit, sizeof(j->unit), "%s", kp_val_str(&c[1]));
	}
	return 0;
}

int kp_store_job_claim(kp_store *s, const char *worker, int64_t due,
		       int64_t now, int64_t lease_until, kp_job *out,
		       kp_err *e)
{
	bool pg = strcmp(s->ops->name, "sqlite") != 0;
	kp_val p[4] = { KV_TEXT(worker), KV_INT(lease_until), KV_INT(due),
			KV_INT(now) };
	kp_val q[1];
	int64_t n;
	memset(out, 0, sizeof(*out));
	n = s->ops->run(s, pg
		? "UPDATE jobs SET state = 'leased', worker = ?, lease_until = ?,"
		  " attempts = attempts + 1 WHERE id = (SELECT id FROM jobs"
		  " WHERE sched <= ? AND (state = 'queued' OR (state = 'leased'"
		  " AND lease_until < ?)) ORDER BY sched, id LIMIT 1"
		  " FOR UPDATE SKIP LOCKED)"
		  " RETURNING id, site_id, sched, attempts, kind"
		: "UPDATE jobs SET state = 'leased', worker = ?, lease_until = ?,"
		  " attempts = attempts + 1 WHERE id = (SELECT id FROM jobs"
		  " WHERE sched <= ? AND (state = 'queued' OR (state = 'leased'"
		  " AND lease_until < ?)) ORDER BY sched, id LIMIT 1)"
		  " RETURNING id, site_id, sched, attempts, kind",
		p, 4, claimed_row, out, e);
	if (n < 0)
		return -1;
	if (!out->id)
		return 0;
	q[0] = KV_INT(out->site);
	if (s->ops->run(s, "SELECT url, unit FROM sites WHERE id = ?", q, 1, url_row,
			out, e) < 0)
		return -1;
	return 1;
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
