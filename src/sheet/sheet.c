/* sheet — CSV/TSV/XLSX into rows of UTF-8 cells.  See sheet.h. */
#include "sheet/sheet_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static kp_sheet *sheet_new(const char *name, size_t max_bytes)
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

static bool has_suffix(const char *name, const char *suf)
{
	size_t n = strlen(name), k = strlen(suf);
	return n >= k && !strcasecmp(name + n - k, suf);
}

/* Choose the separator of a delimited file: by extension, else by which
 * of tab and comma the first line holds more of. */
static char detect_sep(const char *name, const char *p, size_t n)
{
	size_t tabs = 0, commas = 0;
	if (has_suffix(name, ".tsv") || has_suffix(name, ".tab") ||
	    has_suffix(name, ".txt"))
		return '\t';
	for (size_t i = 0; i < n && p[i] != '\n'; i++) {
		if (p[i] == '\t')
			tabs++;
		else if (p[i] == ',')
			commas++;
	}
	return tabs > commas ? '\t' : ',';
}

static int read_delimited(kp_sheet *s, const char *text, size_t n, char sep,
			  kp_err *e)
{
	kp_csv c;
	int r, rc = -1;
	kp_csv_init(&c, s->name, text, n, sep);
	while ((r = kp_csv_next(&c, e)) > 0) {
		kp_sheet_begin_row(s, c.row_line);
		for (size_t i = 0; i < c.nfields; i++)
			if (c.fields[i][0] &&
			    kp_sheet_set_cell(s, i, c.fields[i],
					      strlen(c.fields[i]), e) < 0)
				goto out;
	}
	if (r == 0)
		rc = 0;
out:
	kp_csv_release(&c);
	return rc;
}

int kp_sheet_parse(const char *name, const char *data, size_t n,
		   const kp_sheet_opts *opts, kp_sheet **out, kp_err *e)
{
	kp_sheet_opts o = { 0, 0, 0 };
	kp_sheet *s;
	kp_buf conv = KP_BUF_INIT;
	const char *text = data;
	size_t len = n;
	int rc = -1;

	if (opts)
		o = *opts;
	if (!o.max_bytes)
		o.max_bytes = KP_SHEET_DEFAULT_MAX;
	*out = NULL;
	if (n > o.max_bytes)
		return kp_fail(e, KP_ETOOBIG, "%s: 文件过大（%.1f MB，上限 %.1f MB）",
			       name, (double)n / 1048576.0,
			       (double)o.max_bytes / 1048576.0);
	if (n == 0)
		return kp_fail(e, KP_EINPUT, "%s: 文件为空", name);
	/* Cells may hold more bytes than the file (GBK → UTF-8 grows 2 → 3,
	 * XLSX inflates), but never without bound. */
	s = sheet_new(name, o.max_bytes * 8);

	if (n >= 4 && !memcmp(data, "PK\3\4", 4)) {
		s->format = KP_SHEET_XLSX;
		if (kp_sheet_read_xlsx(s, name, data, n, o.sheet,
				       o.max_bytes * 8, e) < 0)
			goto out;
	} else if (has_suffix(name, ".xlsx") || has_suffix(name, ".xls")) {
		kp_fail(e, KP_EINPUT, "%s: 不是有效的 XLSX 文件%s", name,
			has_suffix(name, ".xls") ?
				"（旧版 .xls 格式不受支持，请在 Excel/WPS 中另存为 .xlsx 或 CSV）" :
				"（压缩包损坏或不完整）");
		goto out;
	} else {
		size_t ok;
		if (memchr(data, '\0', n)) {
			kp_fail(e, KP_EINPUT,
				"%s: 文件含有 NUL 字节，不是文本表格（UTF-16 文件请另存为 UTF-8）",
				name);
			goto out;
		}
		ok = kp_utf8_valid_prefix(data, n);
		if (ok != n) {
			kp_buf_init(&conv, o.max_bytes * 2);
			if (kp_gb18030_to_utf8(data, n, &conv, e) < 0) {
				char msg[sizeof(e->msg)];
				snprintf(msg, sizeof(msg), "%s", e->msg);
				kp_fail(e, KP_EINPUT, "%s: 无法识别文件编码：%s", name,
					msg);
				goto out;
			}
			text = conv.data;
			len = conv.len;
			s->encoding = "GBK";
		}
		{
			const char *t = text;
			size_t tl = len;
			if (tl >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3)) {
				t += 3;
				tl -= 3;
			}
			char sep = o.sep ? o.sep : detect_sep(name, t, tl);
			s->format = sep == '\t' ? KP_SHEET_TSV : KP_SHEET_CSV;
			if (read_delimited(s, text, len, sep, e) < 0)
				goto out;
		}
	}
	*out = s;
	s = NULL;
	rc = 0;
out:
	kp_buf_release(&conv);
	kp_sheet_free(s);
	return rc;
}

int kp_sheet_load(const char *path, const kp_sheet_opts *opts, kp_sheet **out,
		  kp_err *e)
{
	kp_buf b = KP_BUF_INIT;
	size_t max = opts && opts->max_bytes ? opts->max_bytes
					     : KP_SHEET_DEFAULT_MAX;
	int rc;
	*out = NULL;
	if (kp_read_file(path, max, &b, e) < 0) {
		kp_buf_release(&b);
		return -1;
	}
	rc = kp_sheet_parse(path, b.data, b.len, opts, out, e);
	kp_buf_release(&b);
	return rc;
}
