/*
 * tests/lib/xlsx_rows.h — write a small XLSX as offices keep it, for the
 * ledger import tests: each row a comma-separated line ("序号,单位,日期"),
 * written as text cells, except
 *	"=D:YYYY-MM-DD"  a date-formatted cell (Excel stores a day serial),
 *	"=N:42"          a number cell.
 * Header-only; included by the test files that import spreadsheets
 * (#include "../lib/xlsx_rows.h"), after cmocka.h and xlsxwriter.h.
 */
#ifndef KP_TEST_XLSX_ROWS_H
#define KP_TEST_XLSX_ROWS_H

#include <stdlib.h>
#include <string.h>

static void xlsx_rows(const char *path, const char *const *rows, size_t n)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *df;
	if (!wb)
		fail_msg("cannot create %s", path);
	ws = workbook_add_worksheet(wb, NULL);
	df = workbook_add_format(wb);
	format_set_num_format(df, "yyyy-mm-dd");
	for (size_t r = 0; r < n; r++) {
		char *line = strdup(rows[r]), *cur = line;
		lxw_col_t c = 0;
		for (;;) {
			char *comma = strchr(cur, ',');
			if (comma)
				*comma = '\0';
			if (!strncmp(cur, "=D:", 3)) {
				lxw_datetime dt = { 0, 0, 0, 0, 0, 0 };
				dt.year = (int)strtol(cur + 3, NULL, 10);
				dt.month = (int)strtol(cur + 8, NULL, 10);
				dt.day = (int)strtol(cur + 11, NULL, 10);
				worksheet_write_datetime(ws, (lxw_row_t)r, c, &dt, df);
			} else if (!strncmp(cur, "=N:", 3)) {
				worksheet_write_number(ws, (lxw_row_t)r, c,
						       strtod(cur + 3, NULL), NULL);
			} else if (*cur) {
				worksheet_write_string(ws, (lxw_row_t)r, c, cur,
						       NULL);
			}
			c++;
			if (!comma)
				break;
			cur = comma + 1;
		}
		free(line);
	}
	if (workbook_close(wb) != LXW_NO_ERROR)
		fail_msg("cannot write %s", path);
}

#endif
