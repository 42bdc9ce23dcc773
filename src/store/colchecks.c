/* store — column checks between inspections (table of migration 21;
 * the interface is in store.h): written with their job's completion in
 * one transaction, read back as the newest one based on an inspection. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

void kp_column_check_release(kp_column_check *c)
{
	free(c->day);
	free(c->columns);
	memset(c, 0, sizeof(*c));
}

int kp_store_column_check_add(kp_store *s, const kp_column_check *c,
			      int64_t job, const char *worker, bool *lost,
			      int64_t *id, kp_err *e)
{
	kp_val p[7] = { KV_INT(c->site), KV_INT(c->sched), KV_INT(c->at),
			KV_TEXT(c->day), KV_INT(c->inspection), KV_INT(c->pages),
			KV_TEXT(c->columns) };
	int64_t got = 0, n;
	*lost = false;
	if (id)
		*id = 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (job && kp_store_job_done_tx(s, job, worker, lost, e) < 0)
		return kp_store_fail_tx(s);
	if (*lost) {   /* another worker's now: nothing written */
		s->ops->rollback(s);
		return 0;
	}
	n = s->ops->run(s, "INSERT INTO column_checks (site_id, sched, at, day,"
			   " inspection_id, pages, columns)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?)"
			   " ON CONFLICT (site_id, sched) DO NOTHING RETURNING id",
			p, 7, kp_row_first_int, &got, e);
	if (n < 0)
		return kp_store_fail_tx(s);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (id)
		*id = got;
	return 0;
}

static int check_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_column_check *out = ctx;
	(void)e;
	if (n < 8)
		return 0;
	out->id = c[0].i;
	out->site = c[1].i;
	out->sched = c[2].i;
	out->at = c[3].i;
	out->day = kp_val_dup(&c[4]);
	out->inspection = c[5].i;
	out->pages = c[6].i;
	out->columns = kp_val_dup(&c[7]);
	return 0;
}

int kp_store_column_check_latest(kp_store *s, int64_t site,
				 int64_t inspection, int64_t at,
				 kp_column_check *out, kp_err *e)
{
	kp_val p[3] = { KV_INT(site), KV_INT(inspection), KV_INT(at) };
	int64_t r;
	memset(out, 0, sizeof(*out));
	r = s->ops->run(s, "SELECT id, site_id, sched, at, day, inspection_id,"
			   " pages, columns FROM column_checks"
			   " WHERE site_id = ? AND inspection_id = ? AND at <= ?"
			   " ORDER BY at DESC, id DESC LIMIT 1",
			p, 3, check_row, out, e);
	if (r <= 0)
		kp_column_check_release(out);
	return r < 0 ? -1 : r > 0;
}
