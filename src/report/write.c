/* report/write.c — the writers: a kp_rep_doc as XLSX, CSV, HTML, DOCX or
 * PDF, in the steps out.c drives (report_int.h: begin, part, end); the
 * writers are the rows of kp_rep_writers[]. */
#include "report/report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

/* ---- shared ---------------------------------------------------------- */

/* covered[i]: body cell i lies inside a merge and is not its first
 * cell; span[i] (first cells only): rows and columns the merge takes. */
typedef struct cover {
	bool *covered;
	size_t *rows, *cols;
} cover;

static void cover_make(const kp_rep_table *t, cover *cv)
{
	size_t n = t->nrows * t->ncols;
	cv->covered = kp_xcalloc(n ? n : 1, sizeof(*cv->covered));
	cv->rows = kp_xcalloc(n ? n : 1, sizeof(*cv->rows));
	cv->cols = kp_xcalloc(n ? n : 1, sizeof(*cv->cols));
	for (size_t i = 0; i < n; i++)
		cv->rows[i] = cv->cols[i] = 1;
	for (size_t m = 0; m < t->nmerges; m++) {
		const kp_rep_merge *g = &t->merges[m];
		if (g->r1 >= t->nrows || g->c1 >= t->ncols)
			continue;
		for (size_t r = g->r0; r <= g->r1; r++)
			for (size_t c = g->c0; c <= g->c1; c++)
				cv->covered[r * t->ncols + c] =
					r != g->r0 || c != g->c0;
		cv->rows[g->r0 * t->ncols + g->c0] = g->r1 - g->r0 + 1;
		cv->cols[g->r0 * t->ncols + g->c0] = g->c1 - g->c0 + 1;
	}
}

static void cover_release(cover *cv)
{
	free(cv->covered);
	free(cv->rows);
	free(cv->cols);
}

/* ---- XLSX ------------------------------------------------------------ */

typedef struct xfmt {
	lxw_format *title, *subtitle, *head, *text, *num, *integer, *pct,
		*btext, *bnum, *foot;
} xfmt;

static lxw_format *bordered(lxw_workbook *wb, bool bold, const char *numfmt,
			    bool wrap)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_font_size(f, 10);
	if (bold)
		format_set_bold(f);
	if (numfmt)
		format_set_num_format(f, numfmt);
	if (wrap)
		format_set_text_wrap(f);
	return f;
}

static void xfmt_make(lxw_workbook *wb, xfmt *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 16);
	format_set_font_name(f->title, "黑体");
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
	f->subtitle = workbook_add_format(wb);
	format_set_font_size(f->subtitle, 11);
	format_set_align(f->subtitle, LXW_ALIGN_LEFT);
	f->head = bordered(wb, true, NULL, true);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_bg_color(f->head, 0xD9D9D9);
	f->text = bordered(wb, false, NULL, true);
	f->num = bordered(wb, false, "0.00", false);
	f->integer = bordered(wb, false, "0", false);
	f->pct = bordered(wb, false, "0.00%", false);
	f->btext = bordered(wb, true, NULL, true);
	f->bnum = bordered(wb, true, "0.00", false);
	f->foot = workbook_add_format(wb);
	format_set_font_size(f->foot, 11);
	format_set_text_wrap(f->foot);
	format_set_align(f->foot, LXW_ALIGN_VERTICAL_TOP);
}

/* A worksheet name Excel accepts: no []:*?/\, at most 31 characters,
 * unique in the workbook. */
static lxw_worksheet *add_sheet(lxw_workbook *wb, const char *want,
				size_t index)
{
	kp_buf b = KP_BUF_INIT;
	size_t chars = 0;
	lxw_worksheet *ws;
	for (const unsigned char *p = (const unsigned char *)want;
	     *p && chars < 28; chars++) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		if (strchr("[]:*?/\\'", *p))
			kp_buf_addc(&b, '_');
		else
			kp_buf_add(&b, p, len);
		for (size_t k = 0; k < len && *p; k++)
			p++;
	}
	if (!b.len)
		kp_buf_addf(&b, "表%zu", index + 1);
	if (workbook_get_worksheet_by_name(wb, b.data)) {
		char num[24];
		snprintf(num, sizeof(num), "(%zu)", index + 1);
		kp_buf_adds(&b, num);
	}
	ws = workbook_add_worksheet(wb, b.data);
	kp_buf_release(&b);
	return ws;
}

static lxw_format *cell_fmt(const xfmt *f, const kp_rep_cell *c)
{
	switch (c->kind) {
	case KP_REP_NUM: return c->bold ? f->bnum : f->num;
	case KP_REP_INT: return f->integer;
	case KP_REP_PCT: return f->pct;
	default: return c->bold ? f->btext : f->text;
	}
}

static void xlsx_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		      const xfmt *f, const kp_rep_cell *c)
{
	lxw_format *fm = cell_fmt(f, c);
	switch (c->kind) {
	case KP_REP_NUM:
	case KP_REP_INT:
	case KP_REP_PCT:
		worksheet_write_number(ws, row, col, c->num, fm);
		break;
	case KP_REP_TEXT:
		worksheet_write_string(ws, row, col, c->text, fm);
		break;
	default:
		worksheet_write_blank(ws, row, col, fm);
	}
}

static void xlsx_table(lxw_workbook *wb, const xfmt *f, const kp_rep_table *t,
		       size_t index)
{
	lxw_worksheet *ws = add_sheet(wb, t->name, index);
	lxw_col_t last = (lxw_col_t)(t->ncols ? t->ncols - 1 : 0);
	lxw_row_t row = 0, head, body;
	cover cv;

	worksheet_set_paper(ws, 9);   /* A4 */
	if (t->landscape)
		worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
	worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
	for (size_t c = 0; c < t->ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     t->width[c], NULL);
	worksheet_set_row(ws, row, 30, NULL);
	if (last > 0)
		worksheet_merge_range(ws, row, 0, row, last, t->title, f->title);
	else
		worksheet_write_string(ws, row, 0, t->title, f->title);
	row++;
	if (*t->subtitle) {
		if (last > 0)
			worksheet_merge_range(ws, row, 0, row, last, t->subtitle,
					      f->subtitle);
		else
			worksheet_write_string(ws, row, 0, t->subtitle,
					       f->subtitle);
		row++;
	}
	head = row++;
	for (size_t c = 0; c < t->ncols; c++)
		worksheet_write_string(ws, head, (lxw_col_t)c, t->head[c],
				       f->head);
	body = row;
	cover_make(t, &cv);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			const kp_rep_cell *cell = &t->cells[i];
			lxw_row_t xr = (lxw_row_t)(body + r);
			if (cv.covered[i])
				continue;
			if (cv.rows[i] > 1 || cv.cols[i] > 1) {
				worksheet_merge_range(
					ws, xr, (lxw_col_t)c,
					(lxw_row_t)(xr + cv.rows[i] - 1),
					(lxw_col_t)(c + cv.cols[i] - 1),
					cell->kind == KP_REP_TEXT ? cell->text : "",
					cell_fmt(f, cell));
				if (cell->kind != KP_REP_TEXT)
					xlsx_cell(ws, xr, (lxw_col_t)c, f, cell);
			} else {
				xlsx_cell(ws, xr, (lxw_col_t)c, f, cell);
			}
		}
	cover_release(&cv);
	row = (lxw_row_t)(body + t->nrows);
	worksheet_freeze_panes(ws, (lxw_row_t)(head + 1), 0);
	if (t->nrows)
		worksheet_autofilter(ws, head, 0, (lxw_row_t)(row - 1), last);
	worksheet_repeat_rows(ws, 0, head);
	for (size_t i = 0; i < t->nfoot; i++, row++) {
		if (last > 0)
			worksheet_merge_range(ws, row, 0, row, last, t->foot[i],
					      f->foot);
		else
			worksheet_write_string(ws, row, 0, t->foot[i], f->foot);
	}
}

/* The document's paragraphs (a 通报's text) on a first sheet. */
static void xlsx_paras(lxw_workbook *wb, const kp_rep_doc *d)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "正文");
	lxw_format *title = workbook_add_format(wb), *body = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 16);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_text_wrap(body);
	format_set_align(body, LXW_ALIGN_VERTICAL_TOP);
	worksheet_set_paper(ws, 9);
	worksheet_set_column(ws, 0, 0, 100, NULL);
	for (size_t i = 0; i < d->nparas; i++)
		worksheet_write_string(ws, (lxw_row_t)i, 0, d->paras[i].text,
				       d->paras[i].kind == KP_REP_P_TITLE ? title
									  : body);
}

/* The charts as PNG images on a sheet of their own, one under the
 * other.  libxlsxwriter reads the buffers when the workbook is closed:
 * they live in pngs until then. */
typedef struct pngs {
	kp_buf *v;
	size_t n;
} pngs;

static void xlsx_pngs_release(pngs *p)
{
	for (size_t i = 0; i < p->n; i++)
		kp_buf_release(&p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int xlsx_charts(lxw_workbook *wb, const xfmt *f, const kp_rep_doc *d,
		       pngs *p, kp_err *e)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "图表");
	lxw_row_t row = 0;
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	p->v = kp_xcalloc(d->ncharts, sizeof(*p->v));
	for (size_t i = 0; i < d->ncharts; i++) {
		lxw_image_options o = { .x_scale = 0.75, .y_scale = 0.75,
					.description = d->charts[i].title };
		if (kp_rep_chart_png(&d->charts[i], &p->v[p->n++], e) < 0)
			return -1;
		worksheet_write_string(ws, row, 0, d->charts[i].title, f->subtitle);
		worksheet_insert_image_buffer_opt(
			ws, row + 1, 0, (const unsigned char *)p->v[i].data,
			p->v[i].len, &o);
		row += 1 + (lxw_row_t)(KP_REP_CHART_H * 0.75 / 20) + 2;
	}
	return 0;
}


/* The open workbook of an output (kp_rep_out.x). */
struct kp_rep_xlsx {
	lxw_workbook *wb;
	xfmt f;
	pngs imgs;
};

static int xlsx_begin(kp_rep_out *o, kp_err *e)
{
	/* constant_memory stays off: it keeps a 16,384-column row and an
	 * open temporary file per worksheet (thousands in a round's
	 * sheets), and it cannot take the level columns' merges, which
	 * reach rows below the one being written */
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE,
				     .tmpdir = NULL,
				     .use_zip64 = LXW_FALSE };
	struct kp_rep_xlsx *x;
	if (!o->a.tmp)
		return kp_fail(e, KP_EINPUT,
			       "XLSX 不能写到标准输出，请用 -o 指定文件名");
	kp_atomic_close_fp(&o->a);
	x = kp_xcalloc(1, sizeof(*x));
	x->wb = workbook_new_opt(o->a.tmp, &opt);
	if (!x->wb) {
		free(x);
		return kp_fail(e, KP_EIO, "%s: 无法创建 XLSX 文件", o->a.path);
	}
	workbook_set_properties(x->wb, &(lxw_doc_properties){
					       .title = o->title,
					       .author = "kaoping" });
	xfmt_make(x->wb, &x->f);
	o->x = x;
	return 0;
}

static int xlsx_part(kp_rep_out *o, const kp_rep_doc *d, kp_err *e)
{
	(void)e;
	if (d->nparas) {
		xlsx_paras(o->x->wb, d);
		o->nsheets++;
	}
	for (size_t i = 0; i < d->n; i++)
		xlsx_table(o->x->wb, &o->x->f, &d->v[i], o->ntables + i);
	o->nsheets += d->n;
	return 0;
}

static void xlsx_drop(kp_rep_out *o)
{
	if (!o->x)
		return;
	lxw_workbook_free(o->x->wb);
	xlsx_pngs_release(&o->x->imgs);
	free(o->x);
	o->x = NULL;
}

static int xlsx_end(kp_rep_out *o, const kp_rep_doc *rest, kp_err *e)
{
	struct kp_rep_xlsx *x = o->x;
	lxw_error err;
	if (rest->ncharts &&
	    xlsx_charts(x->wb, &x->f, rest, &x->imgs, e) < 0)
		return -1;   /* out.c drops the workbook */
	if (!o->nsheets && !rest->ncharts)
		workbook_add_worksheet(x->wb, NULL);
	err = workbook_close(x->wb);   /* frees the workbook */
	x->wb = NULL;
	xlsx_pngs_release(&x->imgs);
	free(x);
	o->x = NULL;
	if (err != LXW_NO_ERROR)
		return kp_fail(e, KP_EIO, "%s: 写入 XLSX 失败：%s", o->a.path,
			       lxw_strerror(err));
	return 0;
}

/* ---- CSV and HTML: text in o->b, written out a megabyte at a time --- */

static int text_flush(kp_rep_out *o, size_t over, kp_err *e)
{
	if (o->b.len > o->b.max)
		return kp_fail(e, KP_ETOOBIG, "%s: 文档太大", o->a.path);
	if (o->b.len > over) {
		fwrite(o->b.data, 1, o->b.len, o->fp);
		kp_buf_reset(&o->b);
	}
	return 0;
}

static int text_begin(kp_rep_out *o, const char *start)
{
	o->fp = o->a.fp ? o->a.fp : stdout;
	kp_buf_init(&o->b, (size_t)1 << 30);
	kp_buf_adds(&o->b, start);
	return 0;
}

static void text_drop(kp_rep_out *o)
{
	kp_buf_release(&o->b);
}

/* ---- CSV ------------------------------------------------------------- */

static void csv_line1(kp_buf *b, const char *s)
{
	kp_csv_put(b, s);
	kp_buf_addc(b, '\n');
}

static int csv_begin(kp_rep_out *o, kp_err *e)
{
	(void)e;
	return text_begin(o, "\xEF\xBB\xBF");
}

static void csv_table(kp_buf *b, const kp_rep_table *t)
{
	csv_line1(b, t->title);
	if (*t->subtitle)
		csv_line1(b, t->subtitle);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			kp_buf_addc(b, ',');
		kp_csv_put(b, t->head[c]);
	}
	kp_buf_addc(b, '\n');
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const kp_rep_cell *cell = &t->cells[r * t->ncols + c];
			if (c)
				kp_buf_addc(b, ',');
			if (cell->text)
				kp_csv_put(b, cell->text);
		}
		kp_buf_addc(b, '\n');
	}
	for (size_t k = 0; k < t->nfoot; k++)
		csv_line1(b, t->foot[k]);
}

/* The paragraphs, a line each, then the tables, a blank line before
 * each table that is not the file's first line. */
static int csv_part(kp_rep_out *o, const kp_rep_doc *d, kp_err *e)
{
	for (size_t i = 0; i < d->nparas; i++)
		csv_line1(&o->b, d->paras[i].text);
	o->any |= d->nparas > 0;
	for (size_t i = 0; i < d->n; i++) {
		if (o->any)
			kp_buf_addc(&o->b, '\n');
		csv_table(&o->b, &d->v[i]);
		o->any = true;
		if (text_flush(o, (size_t)1 << 20, e) < 0)
			return -1;
	}
	return 0;
}

static int csv_end(kp_rep_out *o, const kp_rep_doc *rest, kp_err *e)
{
	(void)rest;   /* CSV has no charts */
	if (text_flush(o, 0, e) < 0)
		return -1;
	kp_buf_release(&o->b);
	return 0;
}

/* ---- HTML ------------------------------------------------------------ */

/* s escaped for HTML text and attribute values, appended to b. */
static void esc(kp_buf *b, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': kp_buf_adds(b, "&amp;"); break;
		case '<': kp_buf_adds(b, "&lt;"); break;
		case '>': kp_buf_adds(b, "&gt;"); break;
		case '"': kp_buf_adds(b, "&quot;"); break;
		case '\'': kp_buf_adds(b, "&#39;"); break;
		case '\n': kp_buf_adds(b, "<br>"); break;
		default: kp_buf_addc(b, *s);
		}
}

static const char html_css[] =
	"@page{size:A4;margin:18mm 15mm}\n"
	"body{font-family:\"仿宋_GB2312\",\"FangSong\",\"Noto Serif CJK SC\",serif;"
	"font-size:12pt;color:#000}\n"
	"h1{font-family:\"黑体\",\"SimHei\",\"Noto Sans CJK SC\",sans-serif;"
	"font-size:18pt;text-align:center;margin:0 0 6pt}\n"
	".sub{margin:0 0 6pt}\n"
	"table{border-collapse:collapse;width:100%;font-size:10pt}\n"
	"th,td{border:1px solid #000;padding:2pt 4pt;vertical-align:middle}\n"
	"th{background:#d9d9d9;font-family:\"黑体\",\"SimHei\",sans-serif}\n"
	"thead{display:table-header-group}\n"
	"tr{page-break-inside:avoid}\n"
	"td.n{text-align:right;white-space:nowrap}\n"
	"td.b{font-weight:bold}\n"
	".foot{margin:4pt 0}\n"
	"section{page-break-after:always}\n"
	"section:last-child{page-break-after:auto}\n"
	"p.body{text-indent:2em;line-height:1.8}\n"
	"p.right{text-align:right}\n"
	"p.title{font-family:\"黑体\",\"SimHei\",sans-serif;font-size:18pt;"
	"text-align:center}\n"
	"p.head{font-family:\"黑体\",\"SimHei\",sans-serif}\n";


static int html_begin(kp_rep_out *o, kp_err *e)
{
	(void)e;
	text_begin(o, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n<title>");
	esc(&o->b, o->title);
	kp_buf_addf(&o->b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
		    html_css);
	return 0;
}

static void html_paras(kp_buf *b, const kp_rep_doc *d)
{
	static const char *pcls[] = { "title", "head", "body", "plain",
				      "right" };
	kp_buf_adds(b, "<section>\n");
	for (size_t i = 0; i < d->nparas; i++) {
		kp_buf_addf(b, "<p class=\"%s\">", pcls[d->paras[i].kind]);
		esc(b, d->paras[i].text);
		kp_buf_adds(b, "</p>\n");
	}
	kp_buf_adds(b, "</section>\n");
}

/* A body cell spanning rows × cols as a <td>. */
static void html_cell(kp_buf *b, const kp_rep_cell *cell, size_t rows,
		      size_t cols)
{
	kp_buf_adds(b, "<td");
	if (rows > 1)
		kp_buf_addf(b, " rowspan=\"%zu\"", rows);
	if (cols > 1)
		kp_buf_addf(b, " colspan=\"%zu\"", cols);
	if (cell->kind == KP_REP_NUM || cell->kind == KP_REP_INT ||
	    cell->kind == KP_REP_PCT)
		kp_buf_adds(b, cell->bold ? " class=\"n b\"" : " class=\"n\"");
	else if (cell->bold)
		kp_buf_adds(b, " class=\"b\"");
	kp_buf_addc(b, '>');
	esc(b, cell->text);
	kp_buf_adds(b, "</td>");
}

static void html_table(kp_buf *b, const kp_rep_table *t)
{
	cover cv;
	kp_buf_adds(b, "<section>\n<h1>");
	esc(b, t->title);
	kp_buf_adds(b, "</h1>\n");
	if (*t->subtitle) {
		kp_buf_adds(b, "<p class=\"sub\">");
		esc(b, t->subtitle);
		kp_buf_adds(b, "</p>\n");
	}
	kp_buf_adds(b, "<table>\n<thead><tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		kp_buf_adds(b, "<th>");
		esc(b, t->head[c]);
		kp_buf_adds(b, "</th>");
	}
	kp_buf_adds(b, "</tr></thead>\n<tbody>\n");
	cover_make(t, &cv);
	for (size_t r = 0; r < t->nrows; r++) {
		kp_buf_adds(b, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			size_t k = r * t->ncols + c;
			if (!cv.covered[k])
				html_cell(b, &t->cells[k], cv.rows[k], cv.cols[k]);
		}
		kp_buf_adds(b, "</tr>\n");
	}
	cover_release(&cv);
	kp_buf_adds(b, "</tbody>\n</table>\n");
	for (size_t k = 0; k < t->nfoot; k++) {
		kp_buf_adds(b, "<p class=\"foot\">");
		esc(b, t->foot[k]);
		kp_buf_adds(b, "</p>\n");
	}
	kp_buf_adds(b, "</section>\n");
}

static int html_part(kp_rep_out *o, const kp_rep_doc *d, kp_err *e)
{
	if (d->nparas)
		html_paras(&o->b, d);
	for (size_t i = 0; i < d->n; i++) {
		html_table(&o->b, &d->v[i]);
		if (text_flush(o, (size_t)1 << 20, e) < 0)
			return -1;
	}
	return 0;
}

static int html_end(kp_rep_out *o, const kp_rep_doc *rest, kp_err *e)
{
	for (size_t i = 0; i < rest->ncharts; i++) {
		kp_buf_adds(&o->b, "<section class=\"chart\">\n");
		kp_rep_chart_svg(&rest->charts[i], &o->b);
		kp_buf_adds(&o->b, "</section>\n");
	}
	kp_buf_adds(&o->b, "</body>\n</html>\n");
	if (text_flush(o, 0, e) < 0)
		return -1;
	kp_buf_release(&o->b);
	return 0;
}

/* ---- DOCX (docx.c) and PDF (pdf.c): laid out whole, at the end ------ */

static int docx_end(kp_rep_out *o, const kp_rep_doc *d, kp_err *e)
{
	if (!o->a.tmp)
		return kp_fail(e, KP_EINPUT,
			       "DOCX 不能写到标准输出，请用 -o 指定文件名");
	kp_atomic_close_fp(&o->a);
	return kp_rep_write_docx(d, o->a.tmp, o->a.path, e);
}

static int pdf_end(kp_rep_out *o, const kp_rep_doc *d, kp_err *e)
{
	if (!o->a.tmp)
		return kp_fail(e, KP_EINPUT,
			       "PDF 不能写到标准输出，请用 -o 指定文件名");
	kp_atomic_close_fp(&o->a);
	return kp_rep_write_pdf(d, o->a.tmp, o->a.path, e);
}

/* ---- the table of writers -------------------------------------------- */

const kp_rep_writer kp_rep_writers[] = {
	{ KP_REP_XLSX, "xlsx", xlsx_begin, xlsx_part, xlsx_end, xlsx_drop },
	{ KP_REP_CSV, "csv", csv_begin, csv_part, csv_end, text_drop },
	{ KP_REP_HTML, "html", html_begin, html_part, html_end, text_drop },
	{ KP_REP_HTML, "htm", html_begin, html_part, html_end, text_drop },
	{ KP_REP_DOCX, "docx", NULL, NULL, docx_end, NULL },
	{ KP_REP_PDF, "pdf", NULL, NULL, pdf_end, NULL },
};

const size_t kp_rep_nwriters =
	sizeof(kp_rep_writers) / sizeof(kp_rep_writers[0]);
