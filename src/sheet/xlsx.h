/* Internal to src/sheet: the XLSX reader (xlsx.c), called by sheet.c;
 * it fills the sheet through cells.h. */
#ifndef KP_SHEET_XLSX_H
#define KP_SHEET_XLSX_H

#include "sheet/cells.h"

/* Read worksheet `index` (1-based; 0 = first) of the workbook in
 * data[0..n) into s.  `name` is for messages.  `max_inflate` caps the
 * total uncompressed bytes read from the zip. */
int kp_sheet_read_xlsx(kp_sheet *s, const char *name, const char *data,
		       size_t n, int index, size_t max_inflate, kp_err *e);

#endif
