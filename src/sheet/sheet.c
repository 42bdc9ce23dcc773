/* sheet — CSV/TSV/XLSX into rows of UTF-8 cells.  See sheet.h. */
#include "sheet/cells.h"
#include "sheet/xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	s = kp_sheet_new(name, o.max_bytes * 8);

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
