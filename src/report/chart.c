/* report/chart.c — charts (report.h): one drawing function (a chart's
 * data is built and released in doc.c),
 * chart_draw, paints a kp_rep_chart through a painter — a table of
 * three operations (rect, line, text) — and two painters carry it out:
 * Cairo's (Pango for the text), for PNG and for a page of a PDF, and an
 * SVG writer, whose output keeps the text as <text> (searchable,
 * Chinese as written) and each bar's number in data-value.  Both see
 * the same coordinates, so the PNG and the SVG show the same picture. */
#include "report/report_int.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

#define NONE 0x1000000u          /* no fill / no stroke */
#define C_BAR 0x4472C4u
#define C_REF 0xD9D9D9u
#define C_AXIS 0x000000u
#define C_GRID 0xBFBFBFu
#define C_TEXT 0x000000u
#define FONT "Noto Sans CJK SC"

/* ---- painters ------------------------------------------------------- */

typedef struct painter {
	void *ctx;
	/* a rectangle; cls/label/value describe a bar to the SVG reader */
	void (*rect)(void *ctx, double x, double y, double w, double h,
		     unsigned fill, unsigned stroke, const char *cls,
		     const char *label, double value);
	void (*line)(void *ctx, double x0, double y0, double x1, double y1,
		     unsigned rgb, double width);
	/* text centred vertically on y; anchor 0 start, 1 middle, 2 end;
	 * turned by angle degrees (counter-clockwise) about (x, y) */
	void (*text)(void *ctx, double x, double y, const char *s,
		     double size, int anchor, bool bold, double angle,
		     const char *cls);
} painter;

/* The axis top: a round number at or above the largest value. */
static double nice_top(double v)
{
	double mag = 1, f;
	if (v <= 0)
		return 1;
	while (v / mag >= 10)
		mag *= 10;
	while (v / mag < 1)
		mag /= 10;
	f = v / mag;
	f = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	return f * mag;
}

static double chart_top(const kp_rep_chart *c)
{
	double m = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->value[i] > m)
			m = c->value[i];
		if (c->has_ref[i] && c->ref[i] > m)
			m = c->ref[i];
	}
	return nice_top(m);
}

/* The plot area of a w × h chart. */
#define PL 70.0
#define PR 20.0
#define PT 50.0
static double plot_bottom(double h, const kp_rep_chart *c)
{
	return h - (c->n > 8 ? 120.0 : 70.0);
}

static void fmt2(char *b, size_t n, double v)
{
	snprintf(b, n, "%.2f", v);
}

/* The one drawing function. */
static void chart_draw(const kp_rep_chart *c, const painter *p, double w,
		       double h)
{
	double top = chart_top(c), y0 = plot_bottom(h, c), y1 = PT;
	double x0 = PL, x1 = w - PR, ph = y0 - y1;
	double slot = c->n ? (x1 - x0) / (double)c->n : 0;
	bool tilt = c->n > 8;
	char num[32];
	p->rect(p->ctx, 0, 0, w, h, 0xFFFFFFu, NONE, NULL, NULL, 0);
	p->text(p->ctx, w / 2, 22, c->title, 16, 1, true, 0, "title");
	/* grid and y axis ticks */
	for (int k = 0; k <= 5; k++) {
		double v = top * k / 5, y = y0 - ph * k / 5;
		if (k)
			p->line(p->ctx, x0, y, x1, y, C_GRID, 0.5);
		snprintf(num, sizeof(num), "%g", v);
		p->text(p->ctx, x0 - 6, y, num, 10, 2, false, 0, "tick");
	}
	p->line(p->ctx, x0, y0, x1, y0, C_AXIS, 1);
	p->line(p->ctx, x0, y0, x0, y1, C_AXIS, 1);
	p->text(p->ctx, 18, (y0 + y1) / 2, c->ylabel, 12, 1, false, 90,
		"axis-label y");
	p->text(p->ctx, (x0 + x1) / 2, h - 16, c->xlabel, 12, 1, false, 0,
		"axis-label x");
	for (size_t i = 0; i < c->n; i++) {
		double cx = x0 + slot * ((double)i + 0.5);
		double bw = slot * 0.6;
		double bh = top > 0 ? c->value[i] / top * ph : 0;
		if (tilt)
			p->text(p->ctx, cx, y0 + 10, c->labels[i], 10, 2, false,
				40, "category");
		else
			p->text(p->ctx, cx, y0 + 14, c->labels[i], 11, 1, false,
				0, "category");
		fmt2(num, sizeof(num), c->value[i]);
		if (!c->line) {
			if (c->has_ref[i]) {
				double rh = c->ref[i] / top * ph;
				p->rect(p->ctx, cx - bw / 2, y0 - rh, bw, rh,
					C_REF, 0x7F7F7Fu, "ref", c->labels[i],
					c->ref[i]);
			}
			p->rect(p->ctx, cx - bw / 2, y0 - bh, bw, bh, C_BAR,
				NONE, "bar", c->labels[i], c->value[i]);
			p->text(p->ctx, cx, y0 - bh - 9, num, 10, 1, false, 0,
				"value");
		} else {
			if (i) {
				double px = x0 + slot * ((double)i - 0.5);
				double py = y0 - c->value[i - 1] / top * ph;
				p->line(p->ctx, px, py, cx, y0 - bh, C_BAR, 2);
			}
			p->rect(p->ctx, cx - 3, y0 - bh - 3, 6, 6, C_BAR, NONE,
				"point", c->labels[i], c->value[i]);
			p->text(p->ctx, cx, y0 - bh - 12, num, 10, 1, false, 0,
				"value");
		}
	}
}

/* ---- the Cairo painter ---------------------------------------------- */

static void rgb(cairo_t *cr, unsigned c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0,
			     ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

static void cr_rect(void *ctx, double x, double y, double w, double h,
		    unsigned fill, unsigned stroke, const char *cls,
		    const char *label, double value)
{
	cairo_t *cr = ctx;
	(void)cls, (void)label, (void)value;
	cairo_rectangle(cr, x, y, w, h);
	if (fill != NONE) {
		rgb(cr, fill);
		if (stroke != NONE)
			cairo_fill_preserve(cr);
		else
			cairo_fill(cr);
	}
	if (stroke != NONE) {
		rgb(cr, stroke);
		cairo_set_line_width(cr, 0.8);
		cairo_stroke(cr);
	}
	cairo_new_path(cr);
}

static void cr_line(void *ctx, double x0, double y0, double x1, double y1,
		    unsigned c, double width)
{
	cairo_t *cr = ctx;
	rgb(cr, c);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
}

static void cr_text(void *ctx, double x, double y, const char *s, double size,
		    int anchor, bool bold, double angle, const char *cls)
{
	cairo_t *cr = ctx;
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	int tw, th;
	(void)cls;
	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, s ? s : "", -1);
	pango_layout_get_size(l, &tw, &th);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_rotate(cr, -angle * PI / 180);
	rgb(cr, C_TEXT);
	cairo_move_to(cr, -(double)tw / PANGO_SCALE * anchor / 2,
		      -(double)th / PANGO_SCALE / 2);
	pango_cairo_update_layout(cr, l);
	pango_cairo_show_layout(cr, l);
	cairo_restore(cr);
	g_object_unref(l);
}

void kp_rep_chart_cairo(const kp_rep_chart *c, cairo_t *cr, double w,
			double h)
{
	painter p = { cr, cr_rect, cr_line, cr_text };
	cairo_save(cr);
	chart_draw(c, &p, w, h);
	cairo_restore(cr);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int n)
{
	kp_buf_add(closure, data, n);
	return CAIRO_STATUS_SUCCESS;
}

int kp_rep_chart_png(const kp_rep_chart *c, kp_buf *out, kp_err *e)
{
	cairo_surface_t *s = cairo_image_surface_create(
		CAIRO_FORMAT_RGB24, KP_REP_CHART_W, KP_REP_CHART_H);
	cairo_t *cr = cairo_create(s);
	cairo_status_t st;
	kp_rep_chart_cairo(c, cr, KP_REP_CHART_W, KP_REP_CHART_H);
	cairo_destroy(cr);
	st = cairo_surface_write_to_png_stream(s, to_buf, out);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS)
		return kp_fail(e, KP_EIO, "图表“%s”无法画成 PNG：%s", c->title,
			       cairo_status_to_string(st));
	return 0;
}

/* ---- the SVG painter ------------------------------------------------ */

static void svg_rect(void *ctx, double x, double y, double w, double h,
		     unsigned fill, unsigned stroke, const char *cls,
		     const char *label, double value)
{
	kp_buf *b = ctx;
	kp_buf_adds(b, "<rect");
	if (cls) {
		kp_buf_addf(b, " class=\"%s\" data-label=\"", cls);
		kp_rep_xml_esc(b, label);
		kp_buf_addf(b, "\" data-value=\"%.2f\"", value);
	}
	kp_buf_addf(b, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"",
		    x, y, w, h);
	if (fill != NONE)
		kp_buf_addf(b, " fill=\"#%06X\"", fill);
	else
		kp_buf_adds(b, " fill=\"none\"");
	if (stroke != NONE)
		kp_buf_addf(b, " stroke=\"#%06X\" stroke-width=\"0.8\"", stroke);
	kp_buf_adds(b, "/>\n");
}

static void svg_line(void *ctx, double x0, double y0, double x1, double y1,
		     unsigned c, double width)
{
	kp_buf_addf(ctx,
		    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
		    "stroke=\"#%06X\" stroke-width=\"%.1f\"/>\n",
		    x0, y0, x1, y1, c, width);
}

static void svg_text(void *ctx, double x, double y, const char *s,
		     double size, int anchor, bool bold, double angle,
		     const char *cls)
{
	static const char *const an[] = { "start", "middle", "end" };
	kp_buf *b = ctx;
	kp_buf_addf(b, "<text class=\"%s\" x=\"%.2f\" y=\"%.2f\" font-size=\"%g\" "
		       "text-anchor=\"%s\" dominant-baseline=\"central\"%s",
		    cls ? cls : "", x, y, size, an[anchor],
		    bold ? " font-weight=\"bold\"" : "");
	if (angle)
		kp_buf_addf(b, " transform=\"rotate(%g %.2f %.2f)\"", -angle, x,
			    y);
	kp_buf_addc(b, '>');
	kp_rep_xml_esc(b, s);
	kp_buf_adds(b, "</text>\n");
}

void kp_rep_chart_svg(const kp_rep_chart *c, kp_buf *b)
{
	painter p = { b, svg_rect, svg_line, svg_text };
	double h = KP_REP_CHART_H;
	kp_buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		       "height=\"%d\" viewBox=\"0 0 %d %d\" "
		       "font-family=\"&quot;Noto Sans CJK SC&quot;,&quot;黑体&quot;,sans-serif\" "
		       "data-ymax=\"%g\" data-plot-top=\"%.2f\" data-plot-bottom=\"%.2f\">\n<title>",
		    KP_REP_CHART_W, KP_REP_CHART_H, KP_REP_CHART_W,
		    KP_REP_CHART_H, chart_top(c), PT, plot_bottom(h, c));
	kp_rep_xml_esc(b, c->title);
	kp_buf_adds(b, "</title>\n");
	chart_draw(c, &p, KP_REP_CHART_W, h);
	kp_buf_adds(b, "</svg>\n");
}

/* ---- the fonts ---------------------------------------------------------- */

void kp_rep_fonts_release(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}

/* ---- files ---------------------------------------------------------- */

int kp_rep_write_charts(const kp_rep_doc *d, const char *dir, size_t *nfiles,
			kp_err *e)
{
	*nfiles = 0;
	if (kp_dir_make(dir, e) < 0)
		return -1;
	for (size_t i = 0; i < d->ncharts; i++) {
		const kp_rep_chart *c = &d->charts[i];
		kp_buf svg = KP_BUF_INIT, png = KP_BUF_INIT, path = KP_BUF_INIT;
		int rc;
		kp_rep_chart_svg(c, &svg);
		rc = kp_rep_chart_png(c, &png, e);
		if (rc == 0) {
			kp_buf_addf(&path, "%s/%s.svg", dir, c->name);
			rc = kp_write_atomic(path.data, svg.data, svg.len, e);
		}
		if (rc == 0) {
			kp_buf_reset(&path);
			kp_buf_addf(&path, "%s/%s.png", dir, c->name);
			rc = kp_write_atomic(path.data, png.data, png.len, e);
		}
		kp_buf_release(&svg);
		kp_buf_release(&png);
		kp_buf_release(&path);
		if (rc < 0)
			return -1;
		*nfiles += 2;
	}
	return 0;
}
