/* report/report_int.h — what the builders of src/report share: how a
 * unit's result reads as lost points with their reasons.  Not for
 * front ends. */
#ifndef KP_REPORT_INT_H
#define KP_REPORT_INT_H

#include "report/report.h"
#include "score/score.h"

/* The deepest level of r's table (1 when flat). */
int kp_rep_depth(const kp_result *r);
/* Whether reason x belongs on rn's own row: a parent repeats each
 * child's deduction under the child's name (x->what), and the child's
 * row shows it. */
bool kp_rep_reason_own(const kp_rnode *rn, const kp_reason *x);
/* x as a reader sees it: "扣2.5分（统计报表迟报；证据：URL；2017-01-10）",
 * appended to b. */
void kp_rep_reason_text(kp_buf *b, const kp_reason *x);
/* The evidence of x alone (notes, URLs, dates of its facts), "、"-joined,
 * appended to b. */
void kp_rep_reason_evidence(kp_buf *b, const kp_reason *x);
/* "单位：市公安局（市级部门）　轮次：2016-pzh2016-gk", appended to b. */
/* s escaped for XML text and attribute values (DOCX parts, SVG), control
 * characters XML refuses written as spaces, appended to b (doc.c). */
void kp_rep_xml_esc(kp_buf *b, const char *s);
void kp_rep_unit_line(kp_buf *b, const kp_result *r, const char *round);

/* d as a Word document written to tmp (an existing empty file the
 * atomic writer made; path names it in messages) (docx.c). */
int kp_rep_write_docx(const kp_rep_doc *d, const char *tmp, const char *path,
		      kp_err *e);

/* Chart c drawn on cr in a w × h box at the origin (chart.c). */
typedef struct _cairo cairo_t;
void kp_rep_chart_cairo(const kp_rep_chart *c, cairo_t *cr, double w,
			double h);

/* d as PDF written to tmp (pdf.c; Cairo and Pango). */
int kp_rep_write_pdf(const kp_rep_doc *d, const char *tmp, const char *path,
		     kp_err *e);

/* Append src's charts to dst's, and with text its paragraphs and
 * tables too; src is left without them (doc.c). */
void kp_rep_doc_move(kp_rep_doc *dst, kp_rep_doc *src, bool text);

/* ---- an output being written (out.c) and its format's writer ---------
 *
 * A writer (a row of kp_rep_writers[], write.c) writes a file in three
 * steps: begin (on o->a, once), part (a document's paragraphs and tables,
 * as often as documents come; NULL for a format laid out whole, whose
 * parts out.c keeps), end (rest: what is left — only charts when part is
 * not NULL, else the whole document — then finish the file; a->tmp is
 * committed by out.c).  drop frees what begin made when the output is
 * abandoned (NULL: nothing). */
struct kp_rep_xlsx;
struct kp_rep_writer;

struct kp_rep_out {
	const struct kp_rep_writer *w;
	kp_atomic a;
	bool begun;              /* a is open (a file, not a directory) */
	char *title;             /* the document's */
	char *dir;               /* directory mode: each table a file */
	kp_rep_format f;
	kp_rep_doc keep;         /* for end: charts, or everything (part NULL) */
	size_t ntables, nfiles;  /* written so far */
	FILE *fp;                /* CSV, HTML: a.fp, or stdout for "-" */
	kp_buf b;                /* CSV, HTML: text not yet written */
	bool any;                /* CSV: a line written after the BOM */
	size_t nsheets;          /* XLSX: worksheets added */
	struct kp_rep_xlsx *x;   /* XLSX: the open workbook and its formats */
};

typedef struct kp_rep_writer {
	kp_rep_format f;
	const char *ext;
	int (*begin)(kp_rep_out *o, kp_err *e);
	int (*part)(kp_rep_out *o, const kp_rep_doc *d, kp_err *e);
	int (*end)(kp_rep_out *o, const kp_rep_doc *rest, kp_err *e);
	void (*drop)(kp_rep_out *o);
} kp_rep_writer;

extern const kp_rep_writer kp_rep_writers[];
extern const size_t kp_rep_nwriters;

#endif
