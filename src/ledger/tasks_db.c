/* ledger/tasks_db.c — a task-progress ledger in the store (ledger.h, "the
 * ledgers in the store"): its rows are the file's rows, cell for cell and
 * in the file's order (kp_tledger_rows_each), in the store's
 * task_progress table under the plan's id; read back through the same
 * checks as the file. */
#include "ledger/ledger.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TABLE "task_progress"

const char *kp_tledger_key(const kp_tasks *plan)
{
	return plan->id ? plan->id : plan->file;
}

struct load_ctx {
	kp_tledger *l;
	const char *where;
};

static int load_row(void *ctx, int64_t seq, const char *const *cells,
		    size_t n, kp_err *e)
{
	struct load_ctx *lc = ctx;
	if (n != KP_TLEDGER_CELLS ||
	    (int64_t)kp_tledger_nrows(lc->l) + 1 != seq)
		return kp_fail(e, KP_EINTERNAL, "%s：第 %lld 行不连续",
			       lc->where, (long long)seq);
	return kp_tledger_take_saved(lc->l, lc->where, (size_t)seq, cells, e);
}

int kp_tledger_load_db(struct kp_store *db, const kp_tasks *plan,
		       kp_tledger **out, kp_err *e)
{
	kp_buf where = KP_BUF_INIT;
	struct load_ctx lc;
	int rc;
	kp_buf_addf(&where, "%s（%s 表，方案 %s）", kp_store_where(db), TABLE,
		    kp_tledger_key(plan));
	lc.l = kp_tledger_new(where.data, plan);
	lc.where = where.data;
	rc = kp_store_ledger_each(db, TABLE, kp_tledger_key(plan), load_row,
				  &lc, e);
	kp_buf_release(&where);
	if (rc < 0) {
		kp_tledger_free(lc.l);
		*out = NULL;
		return -1;
	}
	*out = lc.l;
	return 0;
}

/* The rows from the from-th on, row-major cells in an arena. */
struct cells_ctx {
	kp_buf arena;
	size_t *off;
	size_t n, cap;
};

static int keep_row(void *ctx, const char *const *cells, kp_err *e)
{
	struct cells_ctx *cc = ctx;
	(void)e;
	for (size_t k = 0; k < KP_TLEDGER_CELLS; k++) {
		if (cc->n == cc->cap) {
			cc->cap = cc->cap ? 2 * cc->cap : 64;
			cc->off = kp_xrealloc(cc->off, cc->cap * sizeof(*cc->off));
		}
		cc->off[cc->n++] = cc->arena.len;
		if (kp_buf_add(&cc->arena, cells[k], strlen(cells[k]) + 1) < 0)
			return kp_fail(e, KP_ETOOBIG, "任务进展台账过大");
	}
	return 0;
}

static int append_from(const kp_tledger *l, struct kp_store *db,
		       size_t from, const char *who, const char *src,
		       kp_err *e)
{
	struct cells_ctx cc = { KP_BUF_INIT, NULL, 0, 0 };
	kp_buf detail = KP_BUF_INIT;
	const char **v = NULL;
	kp_store_ledger_rows rows;
	int rc = -1;
	if (from >= kp_tledger_nrows(l))
		return 0;
	kp_buf_init(&cc.arena, (size_t)64 << 20);
	if (kp_tledger_rows_each(l, from, keep_row, &cc, e) < 0)
		goto out;
	v = kp_xcalloc(cc.n + 1, sizeof(*v));
	for (size_t k = 0; k < cc.n; k++)
		v[k] = cc.arena.data + cc.off[k];
	rows = (kp_store_ledger_rows){ TABLE, (int64_t)from + 1,
				       cc.n / KP_TLEDGER_CELLS, v };
	kp_buf_addf(&detail, "任务进展台账（方案 %s）：%zu 行（第 %zu 行起）%s%s",
		    kp_tledger_key(l->plan), rows.nrows, from + 1,
		    src ? "，来自 " : "", src ? src : "");
	rc = kp_store_ledger_append(db, kp_tledger_key(l->plan), &rows, 1, who,
				    "tasks-ledger", detail.data, e);
out:
	free(v);
	free(cc.off);
	kp_buf_release(&cc.arena);
	kp_buf_release(&detail);
	return rc;
}

int kp_tledger_save_db(kp_tledger *l, struct kp_store *db, const char *who,
		       kp_err *e)
{
	if (append_from(l, db, kp_tledger_nsaved(l), who, NULL, e) < 0)
		return -1;
	l->nsaved = l->n;
	l->nevents_saved = l->nevents;
	return 0;
}

/* Each row of a ledger as one line of text, to compare two ledgers. */
static int row_line(void *ctx, const char *const *cells, kp_err *e)
{
	kp_buf *b = ctx;
	(void)e;
	kp_tledger_put_row(b, cells, e);
	return 0;
}

int kp_tledger_db_import(struct kp_store *db, const char *path,
			 const kp_tasks *plan, const char *who, size_t *added,
			 kp_err *e)
{
	kp_tledger *fl = NULL, *dl = NULL;
	kp_buf a = KP_BUF_INIT, b = KP_BUF_INIT;
	int rc = -1;
	*added = 0;
	if (access(path, F_OK) != 0)
		return kp_fail(e, KP_EINPUT, "%s: 无法打开任务进展台账：%s", path,
			       strerror(errno));
	kp_buf_init(&a, (size_t)64 << 20);
	kp_buf_init(&b, (size_t)64 << 20);
	if (kp_tledger_load(path, plan, &fl, e) < 0 ||
	    kp_tledger_load_db(db, plan, &dl, e) < 0)
		goto out;
	kp_tledger_rows_each(dl, 0, row_line, &a, e);
	kp_tledger_rows_each(fl, 0, row_line, &b, e);
	/* the store's rows must be the file's first rows */
	if (a.len > b.len || (a.len && memcmp(a.data, b.data, a.len))) {
		kp_fail(e, KP_EINPUT,
			"%s：库中方案 %s 的进展台账已有 %zu 行，文件 %s 不是它的延续（前 %zu 行不同），没有导入（先导出：kaoping tasks ledger export）",
			kp_store_where(db), kp_tledger_key(plan),
			kp_tledger_nrows(dl), path, kp_tledger_nrows(dl));
		goto out;
	}
	if (append_from(fl, db, kp_tledger_nrows(dl), who, path, e) < 0)
		goto out;
	*added = kp_tledger_nrows(fl) - kp_tledger_nrows(dl);
	rc = 0;
out:
	kp_buf_release(&a);
	kp_buf_release(&b);
	kp_tledger_free(fl);
	kp_tledger_free(dl);
	return rc;
}

int kp_tledger_db_export(struct kp_store *db, const char *path,
			 const kp_tasks *plan, size_t *rows, kp_err *e)
{
	kp_tledger *l;
	kp_buf out;
	int rc;
	*rows = 0;
	if (access(path, F_OK) == 0)
		return kp_fail(e, KP_EINPUT, "%s: 已存在，不覆盖（导出到一个新文件）",
			       path);
	if (kp_tledger_load_db(db, plan, &l, e) < 0)
		return -1;
	kp_buf_init(&out, (size_t)64 << 20);
	kp_tledger_put_head(l, &out);
	kp_tledger_rows_each(l, 0, kp_tledger_put_row, &out, e);
	rc = kp_write_atomic(path, out.data, out.len, e);
	*rows = kp_tledger_nrows(l);
	kp_buf_release(&out);
	kp_tledger_free(l);
	return rc;
}
