/* round — an office's indicator table imported through the catalog's
 * importer (as `kaoping table import`) and kept in the store. */
#include "round/round_int.h"
#include "sheet/sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void kp_rnd_import_release(kp_rnd_import *x)
{
	kp_import_report_release(&x->rep);
	kp_table_free(x->table);
	kp_sheet_free(x->sheet);
	kp_buf_release(&x->canonical);
	memset(x, 0, sizeof(*x));
}

static int keep(const char *conn, kp_rnd_import *x, const char *file,
		const char *who, const char *from, kp_err *e)
{
	kp_store *db = NULL;
	kp_buf detail = KP_BUF_INIT;
	const char *title = kp_table_get(x->table, "title");
	kp_imported t = { 0, kp_table_id(x->table), title ? title : "", file,
			  kp_sheet_encoding(x->sheet), (int64_t)x->rep.unsure,
			  who, NULL, NULL };
	int rc;
	if (kp_store_open(conn, 0, &db, e) < 0)
		return -1;
	kp_buf_addf(&detail, "网页导入指标表 %s（%s，%zu 个指标，需确认 %zu 项），来自 %s",
		    kp_table_id(x->table), file, x->table->nnodes, x->rep.unsure,
		    from);
	rc = kp_store_table_import(db, &t, x->canonical.data, detail.data,
				   &x->id, e);
	kp_buf_release(&detail);
	kp_store_close(db);
	return rc;
}

int kp_rnd_table_import(const char *conn, const char *file, const char *data,
			size_t n, const kp_import_opts *io, const char *who,
			const char *from, kp_rnd_import *out, kp_err *e)
{
	memset(out, 0, sizeof(*out));
	if (kp_sheet_parse(file, data, n, NULL, &out->sheet, e) < 0 ||
	    kp_import(out->sheet, io, &out->table, &out->rep, e) < 0) {
		kp_rnd_import_release(out);
		out->refused = true;
		return -1;
	}
	kp_table_write(out->table, &out->canonical);
	if (keep(conn, out, file, who, from, e) < 0) {
		kp_rnd_import_release(out);
		return -1;
	}
	return 0;
}

/* ---- an imported table opened by its ref ------------------------------ */

bool kp_rnd_stored_ref(const char *ref)
{
	return ref && !strncmp(ref, KP_RND_STORED_REF, strlen(KP_RND_STORED_REF));
}

struct stored_ctx {
	kp_table **t;
	bool found;
};

static int stored_row(void *ctx, const kp_imported *t, kp_err *e)
{
	struct stored_ctx *c = ctx;
	if (kp_table_parse(t->table_id, t->text, strlen(t->text), c->t, e) < 0)
		return -1;
	c->found = true;
	return 0;
}

int kp_rnd_table_stored(const char *conn, const char *ref, kp_table **out,
			kp_err *e)
{
	const char *num = ref + strlen(KP_RND_STORED_REF);
	char *end;
	long long id;
	struct stored_ctx c = { out, false };
	kp_store *db;
	int rc = 0;
	*out = NULL;
	if (kp_store_open(conn, 0, &db, e) < 0)
		return -1;
	errno = 0;
	id = strtoll(num, &end, 10);
	if (*num >= '0' && *num <= '9' && !*end && !errno && id > 0 &&
	    kp_store_tables_imported_each(db, (int64_t)id, stored_row, &c, e) < 0)
		rc = -1;
	else if (!c.found)
		rc = kp_fail(e, KP_RND_ENOTFOUND,
			     "数据库 %s 中没有编号为“%s”的导入指标表（stored:编号 指管理员在网页“指标体系”导入的表，编号见 GET /api/tables）",
			     kp_store_where(db), num);
	kp_store_close(db);
	if (rc < 0) {
		kp_table_free(*out);
		*out = NULL;
	}
	return rc;
}
