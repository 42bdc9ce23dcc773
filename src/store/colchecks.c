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

/* ---- every site's newest inspection and check at once ----------------- */

struct cols_ctx {
	kp_site_columns_fn fn;
	void *ctx;
	bool whole;      /* a fresh row's text is the whole JSON (summary) */
	kp_buf fresh;    /* [[inspection, columns], …] of the rows cut here */
	size_t nfresh;
};

/* s as a JSON string (the store has no JSON library). */
static void json_string_add(kp_buf *b, const char *s)
{
	kp_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			kp_buf_addc(b, '\\');
			kp_buf_addc(b, (char)*p);
		} else if (*p < 0x20) {
			kp_buf_addf(b, "\\u%04x", *p);
		} else {
			kp_buf_addc(b, (char)*p);
		}
	}
	kp_buf_addc(b, '"');
}

static int cols_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct cols_ctx *cc = ctx;
	kp_site_columns sc = { 0 };
	bool fresh;
	if (n < 10)
		return 0;
	fresh = c[9].i != 0;
	sc.site = c[0].i;
	sc.inspection = c[1].i;
	sc.as_of = kp_val_str(&c[2]);
	if (c[3].t == KP_V_TEXT) {
		if (cc->whole && fresh)
			sc.summary = c[3].s;
		else
			sc.columns = c[3].s;
	}
	if (fresh && !cc->whole) {   /* to keep, so as not to cut it again */
		kp_buf_addf(&cc->fresh, "%s[%lld,", cc->nfresh++ ? "," : "[",
			    (long long)sc.inspection);
		if (sc.columns)
			json_string_add(&cc->fresh, sc.columns);
		else
			kp_buf_adds(&cc->fresh, "null");
		kp_buf_addc(&cc->fresh, ']');
	}
	if (c[4].t == KP_V_INT) {
		sc.check.id = c[4].i;
		sc.check.site = sc.site;
		sc.check.sched = c[5].i;
		sc.check.at = c[6].i;
		sc.check.inspection = sc.inspection;
		sc.check.pages = c[7].i;
		sc.check.columns = (char *)kp_val_str(&c[8]);
	}
	return cc->fn(cc->ctx, &sc, e);
}

/* The site's URL as registered and with its trailing slash dropped or
 * added (as kp_store_inspection_latest finds it). */
#define SITE_ALT_URL                                                        \
	"CASE WHEN substr(st.url, length(st.url)) = '/'"                     \
	" THEN substr(st.url, 1, length(st.url) - 1) ELSE st.url || '/' END"

/* cols: an inspection's columns cut out of its JSON (or the whole JSON),
 * for one not yet in inspection_columns */
#define SITES_COLUMNS(cols)                                                 \
	"WITH c AS MATERIALIZED (SELECT st.id AS site,"                       \
	"  (SELECT i.id FROM inspections i WHERE i.site = st.url"           \
	"   AND i.as_of <= ? ORDER BY i.as_of DESC, i.id DESC LIMIT 1) AS a,"  \
	"  (SELECT i.id FROM inspections i WHERE i.site = " SITE_ALT_URL      \
	"   AND i.as_of <= ? ORDER BY i.as_of DESC, i.id DESC LIMIT 1) AS b"   \
	"  FROM sites st WHERE st.kind = '网站'),"                           \
	" w AS MATERIALIZED (SELECT c.site, CASE WHEN ib.id IS NULL THEN ia.id" \
	"  WHEN ia.id IS NULL THEN ib.id WHEN ia.as_of > ib.as_of"            \
	"  OR (ia.as_of = ib.as_of AND ia.id > ib.id) THEN ia.id ELSE ib.id END" \
	"  AS iid FROM c LEFT JOIN inspections ia ON ia.id = c.a"            \
	"  LEFT JOIN inspections ib ON ib.id = c.b"                          \
	"  WHERE c.a IS NOT NULL OR c.b IS NOT NULL),"                        \
	" k AS MATERIALIZED (SELECT w.site, w.iid,"                           \
	"  (SELECT k.id FROM column_checks k WHERE k.site_id = w.site"        \
	"   AND k.inspection_id = w.iid AND k.at <= ?"                        \
	"   ORDER BY k.at DESC, k.id DESC LIMIT 1) AS kid FROM w)"           \
	" SELECT k.site, i.id, i.as_of,"                                      \
	" CASE WHEN ic.inspection_id IS NULL THEN " cols                      \
	" ELSE ic.columns END, ck.id, ck.sched, ck.at, ck.pages, ck.columns,"  \
	" CASE WHEN ic.inspection_id IS NULL THEN 1 ELSE 0 END"               \
	" FROM k JOIN inspections i ON i.id = k.iid"                          \
	" LEFT JOIN inspection_columns ic ON ic.inspection_id = i.id"         \
	" LEFT JOIN column_checks ck ON ck.id = k.kid ORDER BY k.site"

int kp_store_sites_columns(kp_store *s, const char *day, int64_t at,
			   kp_site_columns_fn fn, void *ctx, kp_err *e)
{
	struct cols_ctx cc = { fn, ctx, false, KP_BUF_INIT, 0 };
	kp_val p[3] = { KV_TEXT(day), KV_TEXT(day), KV_INT(at) };
	bool pg = strcmp(s->ops->name, "sqlite") != 0;
	kp_err pe = { 0 };
	int64_t r;
	/* only the part the column rules read, cut out by the database the
	 * first time an inspection is read and kept apart from then on: the
	 * whole JSON of every site's inspection is neither read into this
	 * process nor parsed, by it or by the database, at every step */
	if (!pg) {
		r = s->ops->run(s, SITES_COLUMNS(
				"CASE WHEN json_valid(i.summary)"
				" THEN i.summary -> '$.columns' END"),
			p, 3, cols_row, &cc, e);
	} else {
		r = s->ops->run(s, SITES_COLUMNS(
				"CAST(CAST(i.summary AS json) -> 'columns' AS TEXT)"),
				p, 3, cols_row, &cc, &pe);
		if (r < 0 && !strstr(pe.msg, "json")) {
			*e = pe;     /* not the cast: the store's own failure */
			kp_buf_release(&cc.fresh);
			return -1;
		}
		if (r < 0) {
			/* PostgreSQL refuses the cast of a JSON that is not
			 * valid (SQLite's json_valid has no counterpart before
			 * PostgreSQL 16): read the whole JSON of the
			 * inspections not kept apart and let the caller cut
			 * it; nothing is kept this time */
			cc.whole = true;
			cc.nfresh = 0;
			r = s->ops->run(s, SITES_COLUMNS("i.summary"), p, 3, cols_row,
					&cc, e);
		}
	}
	if (r >= 0 && cc.nfresh) {
		kp_val q[1];
		kp_buf_addc(&cc.fresh, ']');
		q[0] = KV_TEXT(cc.fresh.data);
		r = s->ops->run(s, pg
			? "INSERT INTO inspection_columns (inspection_id, columns)"
			  " SELECT CAST(x ->> 0 AS BIGINT), x ->> 1"
			  " FROM json_array_elements(CAST(? AS json)) AS x"
			  " ON CONFLICT (inspection_id) DO NOTHING"
			: "INSERT INTO inspection_columns (inspection_id, columns)"
			  " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')"
			  " FROM json_each(?) WHERE true"
			  " ON CONFLICT (inspection_id) DO NOTHING",
			q, 1, NULL, NULL, e);
	}
	kp_buf_release(&cc.fresh);
	return r < 0 ? -1 : 0;
}
