/* report/pdf.c — a kp_rep_doc as PDF (Cairo's PDF surface, text laid
 * out by Pango with the Noto CJK fonts of fonts-noto-cjk): A4, a
 * landscape page for a table that asks; the document's paragraphs (a
 * 通报) first; each table from a new page with its title and subtitle,
 * bordered cells, merged cells drawn as one, the head row repeated at
 * the top of every page the table runs onto; the lines under it; the
 * charts (chart.c, drawn on the page's own surface), each on a page; "— N —" at the foot of every page.
 * Sizes are in points (1/72 inch), the PDF's own unit. */
#include "report/report_int.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define A4_W 595.276
#define A4_H 841.890
#define MARGIN 42.5          /* 15 mm */
#define FOOT 28.0            /* the page number's band */
#define PAD 3.0              /* inside a cell */

#define FONT_BODY "Noto Serif CJK SC"   /* for 仿宋_GB2312 */
#define FONT_HEAD "Noto Sans CJK SC"    /* for 黑体 */

typedef struct pdf {
	cairo_surface_t *s;
	cairo_t *cr;
	double pw, ph;       /* this page's size */
	double y;            /* where the next thing goes */
	int page;            /* pages begun */
} pdf;

static double content_w(const pdf *p) { return p->pw - 2 * MARGIN; }
static double bottom(const pdf *p) { return p->ph - MARGIN - FOOT; }

/* A layout of text in font (family, size, bold) wrapped at width (≤ 0:
 * not wrapped), aligned; the caller unrefs it. */
static PangoLayout *layout(pdf *p, const char *family, double size,
			   bool bold, const char *text, double width,
			   PangoAlignment align)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void draw_at(pdf *p, PangoLayout *l, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/* The page number under the page being finished. */
static void page_foot(pdf *p)
{
	char num[32];
	PangoLayout *l;
	snprintf(num, sizeof(num), "— %d —", p->page);
	l = layout(p, FONT_BODY, 10.5, false, num, content_w(p),
		   PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	draw_at(p, l, MARGIN, p->ph - MARGIN - layout_h(l) / 2);
	g_object_unref(l);
}

static void new_page(pdf *p, bool landscape)
{
	if (p->page) {
		page_foot(p);
		cairo_show_page(p->cr);
	}
	p->pw = landscape ? A4_H : A4_W;
	p->ph = landscape ? A4_W : A4_H;
	cairo_pdf_surface_set_size(p->s, p->pw, p->ph);
	p->page++;
	p->y = MARGIN;
}

/* A paragraph across the page, a new page first when it does not fit. */
static void para(pdf *p, const char *family, double size, bool bold,
		 const char *text, PangoAlignment align, double indent,
		 double after)
{
	PangoLayout *l = layout(p, family, size, bold, text, content_w(p),
				align);
	double h;
	if (indent)
		pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
	pango_layout_set_spacing(l, (int)(size * 0.5 * PANGO_SCALE));
	h = layout_h(l);
	if (p->y + h > bottom(p) && p->y > MARGIN)
		new_page(p, p->pw > p->ph);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	draw_at(p, l, MARGIN, p->y);
	p->y += h + after;
	g_object_unref(l);
}

/* ---- tables ------------------------------------------------------------ */

/* For body cell i: the first row and column of the merge it lies in
 * (its own when none) and, for a merge's first cell, how many rows and
 * columns it takes. */
typedef struct spans {
	size_t *orow, *ocol, *nrows, *ncols;
} spans;

static void spans_make(const kp_rep_table *t, spans *s)
{
	size_t n = t->nrows * t->ncols + 1;
	s->orow = kp_xcalloc(n, sizeof(size_t));
	s->ocol = kp_xcalloc(n, sizeof(size_t));
	s->nrows = kp_xcalloc(n, sizeof(size_t));
	s->ncols = kp_xcalloc(n, sizeof(size_t));
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			s->orow[i] = r, s->ocol[i] = c;
			s->nrows[i] = s->ncols[i] = 1;
		}
	for (size_t m = 0; m < t->nmerges; m++) {
		const kp_rep_merge *g = &t->merges[m];
		if (g->r1 >= t->nrows || g->c1 >= t->ncols || g->r0 > g->r1 ||
		    g->c0 > g->c1)
			continue;
		for (size_t r = g->r0; r <= g->r1; r++)
			for (size_t c = g->c0; c <= g->c1; c++) {
				size_t i = r * t->ncols + c;
				s->orow[i] = g->r0, s->ocol[i] = g->c0;
			}
		s->nrows[g->r0 * t->ncols + g->c0] = g->r1 - g->r0 + 1;
		s->ncols[g->r0 * t->ncols + g->c0] = g->c1 - g->c0 + 1;
	}
}

static void spans_release(spans *s)
{
	free(s->orow);
	free(s->ocol);
	free(s->nrows);
	free(s->ncols);
}

static bool is_num(const kp_rep_cell *c)
{
	return c->kind == KP_REP_NUM || c->kind == KP_REP_INT ||
	       c->kind == KP_REP_PCT;
}

#define CELL_PT 8.5
#define HEAD_PT 9.0

typedef struct tab {
	const kp_rep_table *t;
	spans sp;
	double *x, *w;       /* column left edges and widths (ncols + 1) */
} tab;

/* The head row at p->y. */
static void head_row(pdf *p, const tab *b)
{
	const kp_rep_table *t = b->t;
	double h = 0;
	PangoLayout **ls = kp_xcalloc(t->ncols + 1, sizeof(*ls));
	for (size_t c = 0; c < t->ncols; c++) {
		ls[c] = layout(p, FONT_HEAD, HEAD_PT, true, t->head[c],
			       b->w[c] - 2 * PAD, PANGO_ALIGN_CENTER);
		if (layout_h(ls[c]) > h)
			h = layout_h(ls[c]);
	}
	h += 2 * PAD;
	for (size_t c = 0; c < t->ncols; c++) {
		cairo_rectangle(p->cr, b->x[c], p->y, b->w[c], h);
		cairo_set_source_rgb(p->cr, 0.85, 0.85, 0.85);
		cairo_fill_preserve(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		cairo_stroke(p->cr);
		draw_at(p, ls[c], b->x[c] + PAD,
			p->y + (h - layout_h(ls[c])) / 2);
		g_object_unref(ls[c]);
	}
	free(ls);
	p->y += h;
}

/* The text a drawn cell of row r, column c shows: its own; a cell
 * covered from a row above shows its merge's text again at the top of
 * a page (first true). */
static const kp_rep_cell *shown(const tab *b, size_t r, size_t c, bool first)
{
	const kp_rep_table *t = b->t;
	size_t i = r * t->ncols + c;
	if (b->sp.orow[i] == r)
		return &t->cells[i];
	return first ? &t->cells[b->sp.orow[i] * t->ncols + b->sp.ocol[i]]
		     : NULL;
}

/* Body row r at p->y (first: the first row on its page). */
static void body_row(pdf *p, const tab *b, size_t r, bool first, bool last)
{
	const kp_rep_table *t = b->t;
	PangoLayout **ls = kp_xcalloc(t->ncols + 1, sizeof(*ls));
	double *cw = kp_xcalloc(t->ncols + 1, sizeof(*cw));
	bool *num = kp_xcalloc(t->ncols + 1, sizeof(*num));
	double h = CELL_PT + 2 * PAD;
	for (size_t c = 0; c < t->ncols; c++) {
		size_t i = r * t->ncols + c;
		const kp_rep_cell *cell;
		if (b->sp.orow[i] == r && b->sp.ocol[i] != c)
			continue;   /* inside a merge across columns */
		cw[c] = 0;
		for (size_t k = c; k < c + (b->sp.orow[i] == r ? b->sp.ncols[i] : 1) &&
				   k < t->ncols; k++)
			cw[c] += b->w[k];
		cell = shown(b, r, c, first);
		if (!cell || !cell->text)
			continue;
		/* numbers on one line, right aligned where drawn */
		ls[c] = layout(p, FONT_BODY, CELL_PT, cell->bold, cell->text,
			       is_num(cell) ? 0 : cw[c] - 2 * PAD,
			       PANGO_ALIGN_LEFT);
		if (is_num(cell))
			num[c] = true;
		/* a merge down several rows does not stretch its first */
		if ((b->sp.orow[i] != r || b->sp.nrows[i] == 1) &&
		    layout_h(ls[c]) + 2 * PAD > h)
			h = layout_h(ls[c]) + 2 * PAD;
	}
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 0.6);
	for (size_t c = 0; c < t->ncols; c++) {
		size_t i = r * t->ncols + c;
		bool covered_above = b->sp.orow[i] != r;
		bool continues = r + 1 < t->nrows && !last &&
			b->sp.orow[(r + 1) * t->ncols + c] != r + 1;
		double x0, x1;
		if (b->sp.orow[i] == r && b->sp.ocol[i] != c)
			continue;
		x0 = b->x[c];
		x1 = x0 + cw[c];
		cairo_move_to(p->cr, x0, p->y);
		cairo_line_to(p->cr, x0, p->y + h);
		cairo_move_to(p->cr, x1, p->y);
		cairo_line_to(p->cr, x1, p->y + h);
		if (!covered_above || first) {
			cairo_move_to(p->cr, x0, p->y);
			cairo_line_to(p->cr, x1, p->y);
		}
		if (!continues) {
			cairo_move_to(p->cr, x0, p->y + h);
			cairo_line_to(p->cr, x1, p->y + h);
		}
		cairo_stroke(p->cr);
		if (ls[c]) {
			double th = layout_h(ls[c]);
			int lw, lh;
			pango_layout_get_size(ls[c], &lw, &lh);
			draw_at(p, ls[c],
				num[c] ? x1 - PAD - (double)lw / PANGO_SCALE
				       : x0 + PAD,
				b->sp.nrows[i] > 1 ? p->y + PAD
						   : p->y + (h - th) / 2);
			g_object_unref(ls[c]);
		}
	}
	free(ls);
	free(cw);
	free(num);
	p->y += h;
}

/* The height body row r would take (for page breaks). */
static double row_height(pdf *p, const tab *b, size_t r)
{
	const kp_rep_table *t = b->t;
	double h = CELL_PT + 2 * PAD;
	for (size_t c = 0; c < t->ncols; c++) {
		size_t i = r * t->ncols + c;
		const kp_rep_cell *cell = &t->cells[i];
		double w = 0;
		PangoLayout *l;
		if (b->sp.orow[i] != r || b->sp.ocol[i] != c || !cell->text ||
		    b->sp.nrows[i] > 1)
			continue;
		for (size_t k = c; k < c + b->sp.ncols[i] && k < t->ncols; k++)
			w += b->w[k];
		l = layout(p, FONT_BODY, CELL_PT, cell->bold, cell->text,
			   is_num(cell) ? 0 : w - 2 * PAD, PANGO_ALIGN_LEFT);
		if (layout_h(l) + 2 * PAD > h)
			h = layout_h(l) + 2 * PAD;
		g_object_unref(l);
	}
	return h;
}

static void table(pdf *p, const kp_rep_table *t)
{
	tab b = { t, { 0 }, NULL, NULL };
	double total = 0, scale;
	new_page(p, t->landscape);
	para(p, FONT_HEAD, 16, true, t->title, PANGO_ALIGN_CENTER, 0, 6);
	if (*t->subtitle)
		para(p, FONT_BODY, 10, false, t->subtitle, PANGO_ALIGN_LEFT, 0,
		     4);
	if (!t->ncols)
		return;
	b.x = kp_xcalloc(t->ncols + 1, sizeof(double));
	b.w = kp_xcalloc(t->ncols + 1, sizeof(double));
	for (size_t c = 0; c < t->ncols; c++)
		total += t->width[c] > 0 ? t->width[c] : 10;
	scale = content_w(p) / total;
	for (size_t c = 0; c < t->ncols; c++) {
		b.w[c] = (t->width[c] > 0 ? t->width[c] : 10) * scale;
		b.x[c + 1] = (c ? b.x[c] : MARGIN) + b.w[c];
	}
	b.x[0] = MARGIN;
	spans_make(t, &b.sp);
	head_row(p, &b);
	for (size_t r = 0; r < t->nrows; r++) {
		double h = row_height(p, &b, r);
		bool first = false;
		if (p->y + h > bottom(p)) {
			new_page(p, t->landscape);
			head_row(p, &b);
			first = true;
		}
		/* the last row on this page: the next one will not fit */
		body_row(p, &b, r, first,
			 r + 1 < t->nrows &&
				 p->y + h + row_height(p, &b, r + 1) > bottom(p));
	}
	spans_release(&b.sp);
	free(b.x);
	free(b.w);
	p->y += 6;
	for (size_t k = 0; k < t->nfoot; k++)
		para(p, FONT_BODY, 10, false, t->foot[k], PANGO_ALIGN_LEFT, 0,
		     3);
}

/* LeakSanitizer's own suppressions (it calls this when the program
 * defines one; without a sanitizer it is never called): cairo 1.16 does
 * not free a few arrays of a PDF's font subsets in cairo_surface_finish
 * (a surface with text finished and destroyed still leaves them) — its
 * leak, not ours.  LeakSanitizer's fast unwinding stops inside libcairo
 * (built without frame pointers), so the suppression names the library:
 * what libcairo allocates is not checked.  The same for libfontconfig:
 * a PDF written in one of the web server's threads (a document download)
 * leaves that thread's font configuration cache (pango keeps a font map
 * per thread; FcFini is global and runs only when the CLI ends). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

/* ---- the document ---------------------------------------------------- */

int kp_rep_write_pdf(const kp_rep_doc *d, const char *tmp, const char *path,
		     kp_err *e)
{
	pdf p = { 0 };
	cairo_status_t st;
	p.s = cairo_pdf_surface_create(tmp, A4_W, A4_H);
	if (cairo_surface_status(p.s) != CAIRO_STATUS_SUCCESS) {
		st = cairo_surface_status(p.s);
		cairo_surface_destroy(p.s);
		return kp_fail(e, KP_EIO, "%s: 无法创建 PDF：%s", path,
			       cairo_status_to_string(st));
	}
	cairo_pdf_surface_set_metadata(p.s, CAIRO_PDF_METADATA_TITLE,
				       d->title ? d->title : "");
	cairo_pdf_surface_set_metadata(p.s, CAIRO_PDF_METADATA_CREATOR,
				       "kaoping");
	p.cr = cairo_create(p.s);
	cairo_set_line_width(p.cr, 0.6);
	if (d->nparas) {
		new_page(&p, false);
		for (size_t i = 0; i < d->nparas; i++) {
			const kp_rep_para *x = &d->paras[i];
			switch (x->kind) {
			case KP_REP_P_TITLE:
				p.y += 12;
				para(&p, FONT_HEAD, 20, true, x->text,
				     PANGO_ALIGN_CENTER, 0, 18);
				break;
			case KP_REP_P_HEAD:
				para(&p, FONT_HEAD, 15, true, x->text,
				     PANGO_ALIGN_LEFT, 32, 6);
				break;
			case KP_REP_P_BODY:
				para(&p, FONT_BODY, 15, false, x->text,
				     PANGO_ALIGN_LEFT, 32, 6);
				break;
			case KP_REP_P_PLAIN:
				para(&p, FONT_BODY, 15, false, x->text,
				     PANGO_ALIGN_LEFT, 0, 6);
				break;
			case KP_REP_P_RIGHT:
				para(&p, FONT_BODY, 15, false, x->text,
				     PANGO_ALIGN_RIGHT, 0, 6);
				break;
			}
		}
	}
	for (size_t i = 0; i < d->n; i++)
		table(&p, &d->v[i]);
	for (size_t i = 0; i < d->ncharts; i++) {
		double w;
		new_page(&p, false);
		w = content_w(&p);
		cairo_save(p.cr);
		cairo_translate(p.cr, MARGIN, p.y);
		cairo_scale(p.cr, w / KP_REP_CHART_W, w / KP_REP_CHART_W);
		kp_rep_chart_cairo(&d->charts[i], p.cr, KP_REP_CHART_W,
				   KP_REP_CHART_H);
		cairo_restore(p.cr);
	}
	if (!p.page)
		new_page(&p, false);
	page_foot(&p);
	cairo_show_page(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.s);
	st = cairo_surface_status(p.s);
	cairo_surface_destroy(p.s);
	if (st != CAIRO_STATUS_SUCCESS)
		return kp_fail(e, KP_EIO, "%s: 写入 PDF 失败：%s", path,
			       cairo_status_to_string(st));
	return 0;
}
