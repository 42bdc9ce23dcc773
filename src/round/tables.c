/* round — an office's indicator table imported through the catalog's
 * importer (as `kaoping table import`) and kept in the store. */
#include "round/round_int.h"
#include "sheet/sheet.h"

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
