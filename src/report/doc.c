/* report/doc.c — the document builders fill and the writers read
 * (report.h); and the XML escaping the DOCX and SVG writers share. */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>

void kp_rep_doc_init(kp_rep_doc *d, const char *title)
{
	memset(d, 0, sizeof(*d));
	d->title = kp_xstrdup(title ? title : "");
}

static void table_release(kp_rep_table *t)
{
	free(t->name);
	free(t->title);
	free(t->subtitle);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->head[c]);
	free(t->head);
	free(t->width);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->merges);
	for (size_t i = 0; i < t->nfoot; i++)
		free(t->foot[i]);
	free(t->foot);
}

void kp_rep_doc_release(kp_rep_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		table_release(&d->v[i]);
	free(d->v);
	for (size_t i = 0; i < d->nparas; i++)
		free(d->paras[i].text);
	free(d->paras);
	for (size_t i = 0; i < d->ncharts; i++)
		kp_rep_chart_release(&d->charts[i]);
	free(d->charts);
	free(d->title);
	memset(d, 0, sizeof(*d));
}

void kp_rep_doc_move(kp_rep_doc *dst, kp_rep_doc *src, bool text)
{
	if (src->ncharts) {
		dst->charts = kp_xrealloc(dst->charts, (dst->ncharts + src->ncharts) *
							       sizeof(*dst->charts));
		memcpy(dst->charts + dst->ncharts, src->charts,
		       src->ncharts * sizeof(*src->charts));
		dst->ncharts += src->ncharts;
		dst->capcharts = dst->ncharts;
		src->ncharts = 0;
	}
	if (text && src->nparas) {
		dst->paras = kp_xrealloc(dst->paras, (dst->nparas + src->nparas) *
							     sizeof(*dst->paras));
		memcpy(dst->paras + dst->nparas, src->paras,
		       src->nparas * sizeof(*src->paras));
		dst->nparas += src->nparas;
		dst->capparas = dst->nparas;
		src->nparas = 0;
	}
	if (text && src->n) {
		if (dst->n + src->n > dst->cap) {
			dst->cap = 2 * (dst->n + src->n);
			dst->v = kp_xrealloc(dst->v, dst->cap * sizeof(*dst->v));
		}
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
		dst->n += src->n;
		src->n = 0;
	}
}

void kp_rep_para_add(kp_rep_doc *d, kp_rep_para_kind kind, const char *text)
{
	if (d->nparas == d->capparas) {
		d->capparas = d->capparas ? 2 * d->capparas : 16;
		d->paras = kp_xrealloc(d->paras,
				       d->capparas * sizeof(*d->paras));
	}
	d->paras[d->nparas++] = (kp_rep_para){ kind, kp_xstrdup(text) };
}

kp_rep_table *kp_rep_table_new(kp_rep_doc *d, const char *name,
			       const char *title, const char *subtitle,
			       const char *const *heads, const double *width,
			       size_t ncols)
{
	kp_rep_table *t;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 8;
		d->v = kp_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	t = &d->v[d->n++];
	memset(t, 0, sizeof(*t));
	t->name = kp_xstrdup(name ? name : "");
	t->title = kp_xstrdup(title ? title : "");
	t->subtitle = kp_xstrdup(subtitle ? subtitle : "");
	t->ncols = ncols;
	t->head = kp_xcalloc(ncols ? ncols : 1, sizeof(*t->head));
	t->width = kp_xcalloc(ncols ? ncols : 1, sizeof(*t->width));
	for (size_t c = 0; c < ncols; c++) {
		t->head[c] = kp_xstrdup(heads[c]);
		t->width[c] = width ? width[c] : 12;
	}
	return t;
}

size_t kp_rep_row(kp_rep_table *t)
{
	if (t->nrows == t->caprows) {
		t->caprows = t->caprows ? 2 * t->caprows : 32;
		t->cells = kp_xrealloc(t->cells, t->caprows * t->ncols *
							 sizeof(*t->cells));
	}
	memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(*t->cells));
	return t->nrows++;
}

kp_rep_cell *kp_rep_at(kp_rep_table *t, size_t row, size_t col)
{
	return &t->cells[row * t->ncols + col];
}

static kp_rep_cell *set(kp_rep_table *t, size_t row, size_t col,
			kp_rep_kind kind, const char *text, double num)
{
	kp_rep_cell *c = kp_rep_at(t, row, col);
	free(c->text);
	c->kind = kind;
	c->text = text ? kp_xstrdup(text) : NULL;
	c->num = num;
	return c;
}

void kp_rep_text(kp_rep_table *t, size_t row, size_t col, const char *s)
{
	if (s && *s)
		set(t, row, col, KP_REP_TEXT, s, 0);
	else
		set(t, row, col, KP_REP_EMPTY, NULL, 0);
}

void kp_rep_num(kp_rep_table *t, size_t row, size_t col, kp_num v)
{
	char b[48];
	/* the spreadsheet stores the number as published (two decimals),
	 * so a reader's sum matches the printed figures */
	kp_num_fmt2(v, b);
	set(t, row, col, KP_REP_NUM, b, strtod(b, NULL));
}

void kp_rep_int(kp_rep_table *t, size_t row, size_t col, long long v)
{
	char b[32];
	snprintf(b, sizeof(b), "%lld", v);
	set(t, row, col, KP_REP_INT, b, (double)v);
}

void kp_rep_pct(kp_rep_table *t, size_t row, size_t col, kp_num num,
		kp_num den)
{
	kp_num q, h;
	char b[48];
	kp_buf s = KP_BUF_INIT;
	if (kp_num_is_zero(den) || kp_num_div(num, den, &q) < 0 ||
	    kp_num_mul(q, kp_num_int(100), &h) < 0) {
		set(t, row, col, KP_REP_EMPTY, NULL, 0);
		return;
	}
	kp_buf_addf(&s, "%s%%", kp_num_fmt2(h, b));
	set(t, row, col, KP_REP_PCT, s.data, kp_num_double(q));
	kp_buf_release(&s);
}

void kp_rep_merge_add(kp_rep_table *t, size_t r0, size_t c0, size_t r1,
		      size_t c1)
{
	if (t->nmerges == t->capmerges) {
		t->capmerges = t->capmerges ? 2 * t->capmerges : 16;
		t->merges = kp_xrealloc(t->merges,
					t->capmerges * sizeof(*t->merges));
	}
	t->merges[t->nmerges++] = (kp_rep_merge){ r0, c0, r1, c1 };
}

void kp_rep_foot(kp_rep_table *t, const char *fmt, ...)
{
	kp_buf b = KP_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	kp_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (t->nfoot == t->capfoot) {
		t->capfoot = t->capfoot ? 2 * t->capfoot : 8;
		t->foot = kp_xrealloc(t->foot, t->capfoot * sizeof(*t->foot));
	}
	t->foot[t->nfoot++] = b.data ? kp_buf_detach(&b) : kp_xstrdup("");
}

/* ---- XML (DOCX parts, SVG) ----------------------------------------- */

/* ---- the chart's data ---------------------------------------------- */

kp_rep_chart *kp_rep_chart_add(kp_rep_doc *d, const char *name,
			       const char *title, const char *xlabel,
			       const char *ylabel, bool line)
{
	kp_rep_chart *c;
	if (d->ncharts == d->capcharts) {
		d->capcharts = d->capcharts ? 2 * d->capcharts : 4;
		d->charts = kp_xrealloc(d->charts,
					d->capcharts * sizeof(*d->charts));
	}
	c = &d->charts[d->ncharts++];
	memset(c, 0, sizeof(*c));
	c->name = kp_xstrdup(name);
	c->title = kp_xstrdup(title);
	c->xlabel = kp_xstrdup(xlabel);
	c->ylabel = kp_xstrdup(ylabel);
	c->line = line;
	return c;
}

void kp_rep_chart_point(kp_rep_chart *c, const char *label, double value,
			bool has_ref, double ref)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->labels = kp_xrealloc(c->labels, c->cap * sizeof(*c->labels));
		c->value = kp_xrealloc(c->value, c->cap * sizeof(*c->value));
		c->ref = kp_xrealloc(c->ref, c->cap * sizeof(*c->ref));
		c->has_ref = kp_xrealloc(c->has_ref, c->cap * sizeof(*c->has_ref));
	}
	c->labels[c->n] = kp_xstrdup(label);
	c->value[c->n] = value;
	c->ref[c->n] = ref;
	c->has_ref[c->n++] = has_ref;
}

void kp_rep_chart_release(kp_rep_chart *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->labels[i]);
	free(c->labels);
	free(c->value);
	free(c->ref);
	free(c->has_ref);
	free(c->name);
	free(c->title);
	free(c->xlabel);
	free(c->ylabel);
	memset(c, 0, sizeof(*c));
}

/* s escaped for XML text and attribute values, appended to b. */
void kp_rep_xml_esc(kp_buf *b, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': kp_buf_adds(b, "&amp;"); break;
		case '<': kp_buf_adds(b, "&lt;"); break;
		case '>': kp_buf_adds(b, "&gt;"); break;
		case '"': kp_buf_adds(b, "&quot;"); break;
		default:
			/* XML 1.0 refuses control characters other than
			 * tab, newline and carriage return */
			if ((unsigned char)*s < 0x20 && *s != '\t' &&
			    *s != '\n' && *s != '\r')
				kp_buf_addc(b, ' ');
			else
				kp_buf_addc(b, *s);
		}
}
