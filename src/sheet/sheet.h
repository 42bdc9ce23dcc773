/*
 * sheet — read the tables offices actually keep: CSV and TSV in UTF-8 or
 * GBK/GB18030, and XLSX workbooks, into one shape: rows of UTF-8 cells.
 *
 * Use:
 *	kp_sheet *s;
 *	if (kp_sheet_load("表一.xlsx", NULL, &s, &err) < 0) … err.msg …
 *	for (size_t r = 0; r < kp_sheet_nrows(s); r++)
 *		… kp_sheet_cell(s, r, c) …, kp_sheet_line(s, r) …
 *	kp_sheet_free(s);
 *
 * Every cell is valid UTF-8 and NUL-terminated; a missing cell reads as "".
 * The format is chosen by the file's content (a zip signature means XLSX),
 * the separator by the extension (.tsv/.txt: tab) or, for .csv, by what the
 * first line holds.  Text that is not valid UTF-8 is converted from
 * GB18030; text that is neither is refused with the byte offset.  Files
 * over opts->max_bytes (default 16 MB) are refused before they are read;
 * an XLSX whose parts would inflate past 8 × that is refused as well.
 *
 * kp_sheet_line gives the place of a row for messages: for CSV the line
 * where the record starts, for XLSX the spreadsheet row number a person
 * sees; messages write it as "file:line".
 */
#ifndef KP_SHEET_H
#define KP_SHEET_H

#include "base/base.h"

typedef struct kp_sheet kp_sheet;

typedef struct kp_sheet_opts {
	size_t max_bytes;   /* 0: 16 MB */
	int sheet;          /* XLSX: 1-based worksheet number; 0: the first */
	char sep;           /* CSV: force a separator; 0: detect */
} kp_sheet_opts;

#define KP_SHEET_DEFAULT_MAX ((size_t)16 << 20)

enum kp_sheet_format { KP_SHEET_CSV, KP_SHEET_TSV, KP_SHEET_XLSX };

int kp_sheet_load(const char *path, const kp_sheet_opts *opts,
		  kp_sheet **out, kp_err *e);
/* Same from memory (name is used in messages and for the extension). */
int kp_sheet_parse(const char *name, const char *data, size_t n,
		   const kp_sheet_opts *opts, kp_sheet **out, kp_err *e);
void kp_sheet_free(kp_sheet *s);

size_t kp_sheet_nrows(const kp_sheet *s);
size_t kp_sheet_ncols(const kp_sheet *s, size_t row);
const char *kp_sheet_cell(const kp_sheet *s, size_t row, size_t col);
/* Source line (CSV) or spreadsheet row number (XLSX), 1-based. */
size_t kp_sheet_line(const kp_sheet *s, size_t row);
const char *kp_sheet_name(const kp_sheet *s);
enum kp_sheet_format kp_sheet_format(const kp_sheet *s);
/* "GBK" or "UTF-8": what the text was before conversion. */
const char *kp_sheet_encoding(const kp_sheet *s);

/* ---- writing a workbook ---------------------------------------------- */

/* An XLSX workbook (libxlsxwriter) written atomically through base's
 * kp_atomic: kp_sheet_xlsx_begin opens wb on a temporary file beside path
 * (refusing "-", a device, a FIFO or a link as kp_write_atomic does);
 * fill wb, then kp_sheet_xlsx_commit closes it and renames it over path
 * (an existing file keeps its mode), or kp_sheet_xlsx_abort drops it.
 * Either releases o; on failure nothing is left at path. */
struct lxw_workbook;
typedef struct kp_sheet_xlsx {
	kp_atomic a;
	struct lxw_workbook *wb;   /* owned until commit or abort */
} kp_sheet_xlsx;

int kp_sheet_xlsx_begin(kp_sheet_xlsx *o, const char *path, kp_err *e);
int kp_sheet_xlsx_commit(kp_sheet_xlsx *o, kp_err *e);
void kp_sheet_xlsx_abort(kp_sheet_xlsx *o);

#endif
