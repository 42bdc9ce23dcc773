/* sheet — writing an XLSX workbook atomically (sheet.h): libxlsxwriter
 * writes the temporary file base's kp_atomic names, which is renamed
 * over the target only once the workbook is whole. */
#include "sheet/sheet.h"

#include <xlsxwriter.h>

int kp_sheet_xlsx_begin(kp_sheet_xlsx *o, const char *path, kp_err *e)
{
	o->wb = NULL;
	/* the temporary file is created first, so that an unwritable place
	 * is reported once, in our words (libxlsxwriter would print its
	 * own) */
	if (kp_atomic_begin_named(&o->a, path, "XLSX", e) < 0)
		return -1;
	o->wb = workbook_new(o->a.tmp);
	if (!o->wb) {
		kp_atomic_abort(&o->a);
		return kp_fail(e, KP_EIO, "%s: 无法创建文件", path);
	}
	return 0;
}

int kp_sheet_xlsx_commit(kp_sheet_xlsx *o, kp_err *e)
{
	lxw_error err = workbook_close(o->wb);
	o->wb = NULL;
	if (err != LXW_NO_ERROR) {
		kp_fail(e, KP_EIO, "%s: 写入 XLSX 失败：%s", o->a.path,
			lxw_strerror(err));
		kp_atomic_abort(&o->a);
		return -1;
	}
	return kp_atomic_commit(&o->a, e);
}

void kp_sheet_xlsx_abort(kp_sheet_xlsx *o)
{
	if (o->wb) {
		/* libxlsxwriter has no way to drop a workbook but to write it */
		workbook_close(o->wb);
		o->wb = NULL;
	}
	kp_atomic_abort(&o->a);
}
