/*
 * Internal to src/sheet: the row builder that the CSV and XLSX readers
 * fill.  Not part of the public surface (see sheet.h).
 */
#ifndef KP_SHEET_INT_H
#define KP_SHEET_INT_H

#include "sheet/sheet.h"

/* Start a new row whose place for messages is `line` (1-based). */
void kp_sheet_begin_row(kp_sheet *s, size_t line);
/* Set cell `col` (0-based) of the current row to a copy of p[0..n).  The
 * bytes must already be valid UTF-8.  Columns may be set in any order and
 * with gaps; unset cells read as "".  Returns -1 past the sheet's size cap
 * (with e filled). */
int kp_sheet_set_cell(kp_sheet *s, size_t col, const char *p, size_t n,
		      kp_err *e);

/* The XLSX reader (xlsx.c): read worksheet `index` (1-based; 0 = first)
 * of the workbook in data[0..n) into s.  `name` is for messages.
 * `max_inflate` caps the total uncompressed bytes read from the zip. */
int kp_sheet_read_xlsx(kp_sheet *s, const char *name, const char *data,
		       size_t n, int index, size_t max_inflate, kp_err *e);

#endif
