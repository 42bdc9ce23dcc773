/* sheet/cells.c — the rows of a sheet: the builder the readers fill
 * and the public accessors.  See cells.h and sheet.h. */
#include "sheet/cells.h"

#include <stdlib.h>
#include <string.h>

kp_sheet *kp_sheet_new(const char *name, size_t max_bytes)
{
	kp_sheet *s = kp_xcalloc(1, sizeof(*s));
	s->name = kp_xstrdup(name);
	s->encoding = "UTF-8";
	s->max_bytes = max_bytes;
	return s;
}

void kp_sheet_free(kp_sheet *s)
{
	if (!s)
		return;
	for (size_t r = 0; r < s->nrows; r++) {
		for (size_t c = 0; c < s->rows[r].ncols; c++)
			free(s->rows[r].cells[c]);
		free(s->rows[r].cells);
	}
	free(s->rows);
	free(s->name);
	free(s);
}

void kp_sheet_begin_row(kp_sheet *s, size_t line)
{
	if (s->nrows == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->rows = kp_xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	s->rows[s->nrows].line = line;
	s->rows[s->nrows].ncols = 0;
	s->rows[s->nrows].cells = NULL;
	s->nrows++;
}

int kp_sheet_set_cell(kp_sheet *s, size_t col, const char *p, size_t n,
		      kp_err *e)
{
	sheet_row *row;
	if (!s->nrows)
		kp_sheet_begin_row(s, 1);
	row = &s->rows[s->nrows - 1];
	if (col >= 16384)
		return kp_fail_at(e, KP_EINPUT, s->name, row->line,
				  "列号超出范围（第 %zu 列）", col + 1);
	s->bytes += n;
	if (s->bytes > s->max_bytes)
		return kp_fail(e, KP_ETOOBIG, "%s: 表格内容过大（超过 %.1f MB）",
			       s->name, (double)s->max_bytes / 1048576.0);
	if (col >= row->ncols) {
		row->cells = kp_xrealloc(row->cells,
					 (col + 1) * sizeof(*row->cells));
		for (size_t c = row->ncols; c <= col; c++)
			row->cells[c] = NULL;
		row->ncols = col + 1;
	}
	free(row->cells[col]);
	row->cells[col] = kp_xstrndup(p, n);
	return 0;
}

size_t kp_sheet_nrows(const kp_sheet *s)
{
	return s->nrows;
}

size_t kp_sheet_ncols(const kp_sheet *s, size_t row)
{
	return row < s->nrows ? s->rows[row].ncols : 0;
}

const char *kp_sheet_cell(const kp_sheet *s, size_t row, size_t col)
{
	if (row >= s->nrows || col >= s->rows[row].ncols ||
	    !s->rows[row].cells[col])
		return "";
	return s->rows[row].cells[col];
}

size_t kp_sheet_line(const kp_sheet *s, size_t row)
{
	return row < s->nrows ? s->rows[row].line : 0;
}

const char *kp_sheet_name(const kp_sheet *s)
{
	return s->name;
}

enum kp_sheet_format kp_sheet_format(const kp_sheet *s)
{
	return s->format;
}

const char *kp_sheet_encoding(const kp_sheet *s)
{
	return s->encoding;
}
