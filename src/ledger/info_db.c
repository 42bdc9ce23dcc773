/* ledger/info_db.c — the 政务信息 ledger in the store (ledger.h, "the
 * ledgers in the store"): its rows are the files' rows, cell for cell
 * (kp_info_row_cells), in the store's info_submissions and info_adoptions
 * tables; read back through the same checks as the files
 * (kp_info_take_sub, kp_info_take_adopt). */
#include "ledger/info_int.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUB_TABLE "info_submissions"
#define ADOPT_TABLE "info_adoptions"

struct load_ctx {
	kp_info_ledger *l;
	int which;
	const char *where;
};

/* A row from the store: its id is its seq; the cells the ledger keeps
 * are copied, the others only checked. */
static int load_row(void *ctx, int64_t seq, const char *const *cells,
		    size_t n, kp_err *e)
{
	struct load_ctx *lc = ctx;
	char id[24], *f[10];
	snprintf(id, sizeof(id), "%lld", (long long)seq);
	f[0] = id;
	for (size_t k = 0; k < n && k < 9; k++)
		f[1 + k] = (char *)cells[k];
	if (!lc->which) {
		f[3] = kp_info_own(lc->l, f[3]);
		f[4] = kp_info_own(lc->l, f[4]);
		f[9] = kp_info_own(lc->l, f[9]);
		return kp_info_take_sub(lc->l, lc->where, (size_t)seq, f, e);
	}
	f[4] = kp_info_own(lc->l, f[4]);
	f[6] = kp_info_own(lc->l, f[6]);
	f[8] = kp_info_own(lc->l, f[8]);
	return kp_info_take_adopt(lc->l, lc->where, (size_t)seq, f, e);
}

int kp_info_load_db(struct kp_store *db, const kp_info_rules *r,
		    kp_info_ledger **out, kp_err *e)
{
	kp_info_ledger *l;
	kp_buf ws = KP_BUF_INIT, wa = KP_BUF_INIT;
	struct load_ctx ls, la;
	int rc;
	*out = NULL;
	if (kp_info_load(NULL, r, &l, e) < 0)
		return -1;
	kp_buf_addf(&ws, "%s（%s 表）", kp_store_where(db), SUB_TABLE);
	kp_buf_addf(&wa, "%s（%s 表）", kp_store_where(db), ADOPT_TABLE);
	ls = (struct load_ctx){ l, 0, ws.data };
	la = (struct load_ctx){ l, 1, wa.data };
	/* submissions first: adoptions refer to them */
	rc = kp_store_ledger_each(db, SUB_TABLE, KP_INFO_LEDGER_KEY, load_row,
				  &ls, e);
	if (rc == 0)
		rc = kp_store_ledger_each(db, ADOPT_TABLE, KP_INFO_LEDGER_KEY,
					  load_row, &la, e);
	kp_buf_release(&ws);
	kp_buf_release(&wa);
	if (rc < 0) {
		kp_info_free(l);
		return -1;
	}
	l->loaded_s = l->ns;
	l->loaded_a = l->na;
	*out = l;
	return 0;
}

/* Rows [from, to) of one file, cells row-major; their text in arena
 * (offsets first, pointers once the arena stops growing). */
static const char **rows_cells(const kp_info_ledger *l, int which,
			       size_t from, size_t to, kp_buf *arena)
{
	size_t nc = which ? KP_INFO_ADOPT_CELLS : KP_INFO_SUB_CELLS;
	size_t n = (to - from) * nc, *off = kp_xcalloc(n + 1, sizeof(*off));
	const char **v = kp_xcalloc(n + 1, sizeof(*v));
	kp_buf tmp = KP_BUF_INIT;
	const char *cells[KP_INFO_SUB_CELLS];
	for (size_t i = from; i < to; i++) {
		kp_info_row_cells(l, which, i, &tmp, cells);
		for (size_t k = 0; k < nc; k++) {
			off[(i - from) * nc + k] = arena->len;
			kp_buf_add(arena, cells[k], strlen(cells[k]) + 1);
		}
	}
	for (size_t k = 0; k < n; k++)
		v[k] = arena->data + off[k];
	kp_buf_release(&tmp);
	free(off);
	return v;
}

/* Append l's rows from submission fs and adoption fa on (0-based). */
static int append_from(kp_info_ledger *l, struct kp_store *db, size_t fs,
		       size_t fa, const char *who, const char *from,
		       kp_err *e)
{
	kp_buf as = KP_BUF_INIT, aa = KP_BUF_INIT, detail = KP_BUF_INIT;
	const char **cs, **ca;
	kp_store_ledger_rows v[2];
	int rc;
	if (fs == l->ns && fa == l->na)
		return 0;
	as.max = aa.max = (size_t)1 << 30;   /* as the files */
	cs = rows_cells(l, 0, fs, l->ns, &as);
	ca = rows_cells(l, 1, fa, l->na, &aa);
	v[0] = (kp_store_ledger_rows){ SUB_TABLE, (int64_t)fs + 1, l->ns - fs,
				       cs };
	v[1] = (kp_store_ledger_rows){ ADOPT_TABLE, (int64_t)fa + 1,
				       l->na - fa, ca };
	kp_buf_addf(&detail, "政务信息台账：报送 %zu 条（编号 %zu 起）、采用 %zu 条（编号 %zu 起）%s%s",
		    l->ns - fs, fs + 1, l->na - fa, fa + 1, from ? "，来自 " : "",
		    from ? from : "");
	rc = kp_store_ledger_append(db, KP_INFO_LEDGER_KEY, v, 2, who,
				    "info-ledger", detail.data, e);
	free(cs);
	free(ca);
	kp_buf_release(&as);
	kp_buf_release(&aa);
	kp_buf_release(&detail);
	return rc;
}

int kp_info_save_db(kp_info_ledger *l, struct kp_store *db, const char *who,
		    kp_err *e)
{
	if (append_from(l, db, l->loaded_s, l->loaded_a, who, NULL, e) < 0)
		return -1;
	l->loaded_s = l->ns;
	l->loaded_a = l->na;
	return 0;
}

/* Whether row i of one file is the same in a and b. */
static bool same_row(const kp_info_ledger *a, const kp_info_ledger *b,
		     int which, size_t i, kp_buf *ta, kp_buf *tb)
{
	const char *ca[KP_INFO_SUB_CELLS], *cb[KP_INFO_SUB_CELLS];
	size_t nc = which ? KP_INFO_ADOPT_CELLS : KP_INFO_SUB_CELLS;
	kp_info_row_cells(a, which, i, ta, ca);
	kp_info_row_cells(b, which, i, tb, cb);
	for (size_t k = 0; k < nc; k++)
		if (strcmp(ca[k], cb[k]))
			return false;
	return true;
}

/* The store's rows must be the folder's first rows. */
static int check_prefix(const kp_info_ledger *dbl, const kp_info_ledger *dl,
			const char *dir, const char *where, kp_err *e)
{
	kp_buf ta = KP_BUF_INIT, tb = KP_BUF_INIT;
	int rc = 0;
	for (int which = 0; which < 2 && rc == 0; which++) {
		size_t nd = which ? dbl->na : dbl->ns, nf = which ? dl->na : dl->ns;
		const char *what = which ? "采用" : "报送";
		if (nd > nf) {
			rc = kp_fail(e, KP_EINPUT,
				     "%s：库中台账已有%s %zu 条，目录 %s 只有 %zu 条：目录不是库中台账的延续，没有导入（先导出：kaoping info ledger export）",
				     where, what, nd, dir, nf);
			break;
		}
		for (size_t i = 0; i < nd; i++)
			if (!same_row(dbl, dl, which, i, &ta, &tb)) {
				rc = kp_fail(e, KP_EINPUT,
					     "%s：目录 %s 的%s编号 %zu 与库中台账的不同：目录不是库中台账的延续，没有导入",
					     where, dir, what, i + 1);
				break;
			}
	}
	kp_buf_release(&ta);
	kp_buf_release(&tb);
	return rc;
}

int kp_info_db_import(struct kp_store *db, const char *dir,
		      const kp_info_rules *r, const char *who, size_t *ns,
		      size_t *na, kp_err *e)
{
	kp_info_ledger *dl = NULL, *dbl = NULL;
	struct stat st;
	int rc = -1;
	*ns = *na = 0;
	if (stat(dir, &st) < 0)
		return kp_fail(e, KP_EINPUT, "%s: 无法打开台账目录：%s", dir,
			       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return kp_fail(e, KP_EINPUT, "%s: 台账应为一个目录", dir);
	if (kp_info_load(dir, r, &dl, e) < 0 ||
	    kp_info_load_db(db, r, &dbl, e) < 0 ||
	    check_prefix(dbl, dl, dir, kp_store_where(db), e) < 0)
		goto out;
	if (append_from(dl, db, dbl->ns, dbl->na, who, dir, e) < 0)
		goto out;
	*ns = dl->ns - dbl->ns;
	*na = dl->na - dbl->na;
	rc = 0;
out:
	kp_info_free(dl);
	kp_info_free(dbl);
	return rc;
}

int kp_info_db_export(struct kp_store *db, const char *dir,
		      const kp_info_rules *r, size_t *ns, size_t *na,
		      kp_err *e)
{
	static const char *const files[] = { "submissions.csv",
					     "adoptions.csv" };
	kp_info_ledger *l;
	kp_buf path = KP_BUF_INIT;
	int rc;
	*ns = *na = 0;
	for (size_t i = 0; i < 2; i++) {
		kp_buf_reset(&path);
		kp_buf_addf(&path, "%s/%s", dir, files[i]);
		if (access(path.data, F_OK) == 0) {
			kp_fail(e, KP_EINPUT, "%s: 已存在，不覆盖（导出到一个新目录）",
				path.data);
			kp_buf_release(&path);
			return -1;
		}
	}
	kp_buf_release(&path);
	if (kp_info_load_db(db, r, &l, e) < 0)
		return -1;
	l->loaded_s = l->loaded_a = 0;
	rc = kp_info_save(l, dir, e);
	*ns = l->ns;
	*na = l->na;
	kp_info_free(l);
	return rc;
}
