/*
 * Internal to src/sheet: the cells a sheet holds and the row builder
 * the readers fill.  Not part of the public surface (see sheet.h).
 *
 * The files of src/sheet depend one way: sheet.c (choosing the format,
 * reading CSV/TSV) → xlsx.c (reading XLSX: workbook, shared strings) →
 * xlsx_cells.c (a worksheet) → xlsx_part.c (zip parts, XML) — and every
 * reader → cells.c (the rows).  Each reader fills a kp_sheet through this
 * header only.
 */
#ifndef KP_SHEET_CELLS_H
#define KP_SHEET_CELLS_H

#include "sheet/sheet.h"

typedef struct sheet_row {
	size_t line;
	size_t ncols;
	char **cells;   /* ncols entries, each NULL or owned */
} sheet_row;

struct kp_sheet {
	char *name;               /* owned */
	enum kp_sheet_format format;
	const char *encoding;     /* static string */
	sheet_row *rows;
	size_t nrows, cap;
	size_t bytes, max_bytes;  /* cell bytes held, and the cap */
};

/* An empty sheet called name, whose cells may hold max_bytes in all;
 * kp_sheet_free frees it. */
kp_sheet *kp_sheet_new(const char *name, size_t max_bytes);
/* Start a new row whose place for messages is `line` (1-based). */
void kp_sheet_begin_row(kp_sheet *s, size_t line);
/* Set cell `col` (0-based) of the current row to a copy of p[0..n).  The
 * bytes must already be valid UTF-8.  Columns may be set in any order and
 * with gaps; unset cells read as "".  Returns -1 past the sheet's size cap
 * (with e filled). */
int kp_sheet_set_cell(kp_sheet *s, size_t col, const char *p, size_t n,
		      kp_err *e);

#endif
