/* store — website inspections of a round's units and their findings
 * (tables of migration 3; the interface is in store.h). */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

static char *dup_text(const kp_val *v)
{
	return kp_xstrdup(kp_val_str(v));
}

static int cmp_identity(const void *a, const void *b)
{
	const kp_store_finding *x = *(const kp_store_finding *const *)a;
	const kp_store_finding *y = *(const kp_store_finding *const *)b;
	int c = strcmp(x->check, y->check);
	return c ? c : strcmp(x->key, y->key);
}

/* Is a (check, key) there twice?  *which: one of them. */
static bool duplicate_identity(const kp_inspection_spec *sp, size_t *which)
{
	const kp_store_finding **v;
	bool dup = false;
	if (sp->nfindings < 2)
		return false;
	v = kp_xcalloc(sp->nfindings, sizeof(*v));
	for (size_t i = 0; i < sp->nfindings; i++)
		v[i] = &sp->findings[i];
	qsort(v, sp->nfindings, sizeof(*v), cmp_identity);
	for (size_t i = 1; i < sp->nfindings && !dup; i++)
		if (!cmp_identity(&v[i - 1], &v[i])) {
			dup = true;
			*which = (size_t)(v[i] - sp->findings);
		}
	free(v);
	return dup;
}

int kp_store_inspection_add(kp_store *s, int64_t round,
			    const kp_inspection_spec *sp, int64_t *id,
			    kp_err *e)
{
	int64_t unit = 0, iid = 0;
	long kill_after = kp_store_test_kill_after();
	kp_buf detail = KP_BUF_INIT;
	size_t which = 0;
	if (duplicate_identity(sp, &which))
		return kp_fail(e, KP_EINPUT, "%s：检测结果中有两条发现的标识相同（%s，%s）",
			       s->where, sp->findings[which].check,
			       sp->findings[which].key);
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (kp_store_id_by_name(s, round, sp->unit, &unit, e) < 0)
		goto fail;
	if (!unit) {
		s->ops->rollback(s);
		return kp_fail(e, KP_EINPUT, "%s：单位“%s”不在编号为 %lld 的轮次中",
			       s->where, sp->unit, (long long)round);
	}
	{
		kp_val p[10] = {
			KV_INT(round), KV_INT(unit), KV_TEXT(sp->site),
			KV_TEXT(sp->as_of), KV_TEXT(sp->started_at),
			KV_TEXT(sp->finished_at), KV_INT(sp->pages),
			KV_INT(sp->nfindings), KV_TEXT(sp->summary),
			KV_TEXT(sp->author),
		};
		if (s->ops->run(s, "INSERT INTO inspections (round_id, unit_id, site,"
				   " as_of, started_at, finished_at, pages, nfindings,"
				   " summary, author)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				p, 10, kp_row_first_int, &iid, e) < 0)
			goto fail;
	}
	for (size_t i = 0; i < sp->nfindings; i++) {
		const kp_store_finding *f = &sp->findings[i];
		kp_val p[9] = {
			KV_INT(iid), KV_INT((int64_t)i + 1), KV_TEXT(f->check),
			KV_TEXT(f->key), KV_TEXT(f->severity),
			KV_TEXT(f->message), KV_TEXT(f->url ? f->url : ""),
			KV_TEXT(f->snippet ? f->snippet : ""),
			KV_TEXT(f->time ? f->time : ""),
		};
		if (s->ops->run(s, "INSERT INTO inspection_findings (inspection_id, ord,"
				   " check_name, finding_key, severity, message, url,"
				   " snippet, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				p, 9, NULL, NULL, e) < 0)
			goto fail;
		kp_store_test_kill_point(kill_after, i + 1);
	}
	kp_buf_addf(&detail, "网站检测 %s（单位“%s”，以 %s 为准）：抓取页面 %lld 个，发现问题 %zu 条，检测编号 %lld",
		    sp->site, sp->unit, sp->as_of, (long long)sp->pages,
		    sp->nfindings, (long long)iid);
	if (kp_store_audit_tx(s, round, sp->author, "inspect", detail.data, e) < 0)
		goto fail;
	if (sp->job) {
		bool lost = false;
		if (kp_store_job_done_tx(s, sp->job, sp->worker, &lost, e) < 0)
			goto fail;
		if (lost) {
			if (sp->job_lost)
				*sp->job_lost = true;
			kp_fail(e, KP_EINPUT, "%s：任务 %lld 已不归“%s”，检测结果未存",
				s->where, (long long)sp->job, sp->worker);
			goto fail;
		}
	}
	kp_buf_release(&detail);
	if (s->ops->commit(s, e) < 0)
		return -1;
	if (id)
		*id = iid;
	return 0;
fail:
	kp_buf_release(&detail);
	s->ops->rollback(s);
	return -1;
}

/* ---- reading --------------------------------------------------------- */

void kp_inspection_release(kp_inspection *in)
{
	free(in->round);
	free(in->unit);
	free(in->site);
	free(in->as_of);
	free(in->started_at);
	free(in->finished_at);
	free(in->author);
	free(in->summary);
	memset(in, 0, sizeof(*in));
}

#define INSPECTION_SELECT(summary)                                          \
	"SELECT i.id, i.round_id, r.name, u.name, i.site, i.as_of,"          \
	" i.started_at, i.finished_at, i.author, i.pages, i.nfindings, "     \
	summary ","                                                           \
	" (SELECT COALESCE(MAX(p.id), 0) FROM inspections p"                 \
	"  WHERE p.round_id = i.round_id AND p.unit_id = i.unit_id"          \
	"  AND p.site = i.site AND p.id < i.id)"                             \
	" FROM inspections i JOIN rounds r ON r.id = i.round_id"             \
	" JOIN units u ON u.id = i.unit_id"

static void inspection_from_row(kp_inspection *in, const kp_val *c)
{
	in->id = c[0].i;
	in->round_id = c[1].i;
	in->round = dup_text(&c[2]);
	in->unit = dup_text(&c[3]);
	in->site = dup_text(&c[4]);
	in->as_of = dup_text(&c[5]);
	in->started_at = dup_text(&c[6]);
	in->finished_at = dup_text(&c[7]);
	in->author = dup_text(&c[8]);
	in->pages = c[9].i;
	in->nfindings = c[10].i;
	in->summary = c[11].t == KP_V_TEXT ? kp_xstrdup(c[11].s) : NULL;
	in->previous = c[12].t == KP_V_INT ? c[12].i : 0;
}

static int get_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_inspection *in = ctx;
	(void)e;
	if (n < 13)
		return 0;
	kp_inspection_release(in);
	inspection_from_row(in, c);
	return 0;
}

int kp_store_inspection_get(kp_store *s, int64_t id, kp_inspection *out,
			    kp_err *e)
{
	kp_val p[1] = { KV_INT(id) };
	int64_t n;
	memset(out, 0, sizeof(*out));
	n = s->ops->run(s, INSPECTION_SELECT("i.summary") " WHERE i.id = ?", p, 1,
			get_row, out, e);
	if (n < 0)
		return -1;
	if (n == 0)
		return kp_fail(e, KP_EINPUT, "%s：没有编号为 %lld 的检测（见 kaoping inspect history）",
			       s->where, (long long)id);
	return 0;
}

struct each_ctx {
	kp_inspection_fn fn;
	void *ctx;
};

static int each_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct each_ctx *ec = ctx;
	kp_inspection in;
	int r;
	if (n < 13)
		return 0;
	memset(&in, 0, sizeof(in));
	inspection_from_row(&in, c);
	r = ec->fn(ec->ctx, &in, e);
	kp_inspection_release(&in);
	return r;
}

int kp_store_inspections_each(kp_store *s, int64_t round, const char *unit,
			      kp_inspection_fn fn, void *ctx, kp_err *e)
{
	struct each_ctx ec = { fn, ctx };
	int64_t r;
	if (unit) {
		kp_val p[2] = { KV_INT(round), KV_TEXT(unit) };
		r = s->ops->run(s, INSPECTION_SELECT("NULL")
				   " WHERE i.round_id = ? AND u.name = ? ORDER BY i.id",
				p, 2, each_row, &ec, e);
	} else {
		kp_val p[1] = { KV_INT(round) };
		r = s->ops->run(s, INSPECTION_SELECT("NULL")
				   " WHERE i.round_id = ? ORDER BY i.id",
				p, 1, each_row, &ec, e);
	}
	return r < 0 ? -1 : 0;
}

int kp_store_inspection_latest(kp_store *s, const char *site,
			       const char *as_of, kp_inspection *out,
			       kp_err *e)
{
	/* the URL as registered and as the inspector writes it (with or
	 * without the homepage's trailing slash) */
	kp_buf alt = KP_BUF_INIT;
	size_t n = strlen(site);
	int64_t r;
	kp_val p[3];
	if (n && site[n - 1] == '/')
		kp_buf_add(&alt, site, n - 1);
	else
		kp_buf_addf(&alt, "%s/", site);
	p[0] = KV_TEXT(site);
	p[1] = KV_TEXT(alt.data);
	p[2] = KV_TEXT(as_of);
	memset(out, 0, sizeof(*out));
	r = s->ops->run(s, INSPECTION_SELECT("i.summary")
			   " WHERE i.site IN (?, ?) AND i.as_of <= ?"
			   " ORDER BY i.as_of DESC, i.id DESC LIMIT 1",
			p, 3, get_row, out, e);
	kp_buf_release(&alt);
	return r < 0 ? -1 : r > 0;
}

/* ---- findings -------------------------------------------------------- */

#define FINDING_COLS                                                        \
	"f.ord, f.check_name, f.finding_key, f.severity, f.message, f.url,"  \
	" f.snippet, f.time"

static void finding_from_row(kp_store_finding *f, const kp_val *c)
{
	f->ord = c[0].i;
	f->check = kp_val_str(&c[1]);
	f->key = kp_val_str(&c[2]);
	f->severity = kp_val_str(&c[3]);
	f->message = kp_val_str(&c[4]);
	f->url = kp_val_str(&c[5]);
	f->snippet = kp_val_str(&c[6]);
	f->time = kp_val_str(&c[7]);
}

struct finding_ctx {
	kp_finding_fn fn;
	kp_change_fn change_fn;
	int change;
	void *ctx;
};

static int finding_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct finding_ctx *fc = ctx;
	kp_store_finding f;
	if (n < 8)
		return 0;
	finding_from_row(&f, c);
	if (fc->change_fn)
		return fc->change_fn(fc->ctx, fc->change, &f, e);
	return fc->fn(fc->ctx, &f, e);
}

int kp_store_findings_each(kp_store *s, int64_t inspection, kp_finding_fn fn,
			   void *ctx, kp_err *e)
{
	struct finding_ctx fc = { fn, NULL, 0, ctx };
	kp_val p[1] = { KV_INT(inspection) };
	return s->ops->run(s, "SELECT " FINDING_COLS " FROM inspection_findings f"
			      " WHERE f.inspection_id = ? ORDER BY f.ord",
			   p, 1, finding_row, &fc, e) < 0 ? -1 : 0;
}

/* The findings of inspection a that inspection b lacks. */
#define FINDINGS_ONLY_IN                                                    \
	"SELECT " FINDING_COLS " FROM inspection_findings f"                 \
	" WHERE f.inspection_id = ? AND NOT EXISTS"                          \
	" (SELECT 1 FROM inspection_findings o WHERE o.inspection_id = ?"    \
	"  AND o.check_name = f.check_name AND o.finding_key = f.finding_key)" \
	" ORDER BY f.ord"

int kp_store_findings_compare(kp_store *s, int64_t id, int64_t prev,
			      kp_change_fn fn, void *ctx, int64_t *still,
			      kp_err *e)
{
	struct finding_ctx fc = { NULL, fn, KP_FINDING_NEW, ctx };
	kp_val p[2] = { KV_INT(id), KV_INT(prev) };
	*still = 0;
	if (s->ops->run(s, FINDINGS_ONLY_IN, p, 2, finding_row, &fc, e) < 0)
		return -1;
	fc.change = KP_FINDING_FIXED;
	p[0] = KV_INT(prev);
	p[1] = KV_INT(id);
	if (s->ops->run(s, FINDINGS_ONLY_IN, p, 2, finding_row, &fc, e) < 0)
		return -1;
	p[0] = KV_INT(id);
	p[1] = KV_INT(prev);
	return s->ops->run(s, "SELECT COUNT(*) FROM inspection_findings f"
			      " JOIN inspection_findings o ON o.check_name = f.check_name"
			      " AND o.finding_key = f.finding_key"
			      " WHERE f.inspection_id = ? AND o.inspection_id = ?",
			   p, 2, kp_row_first_int, still, e) < 0 ? -1 : 0;
}
