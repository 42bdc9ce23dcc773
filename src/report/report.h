/*
 * report — the documents that leave the office: each unit's 考评表 as
 * the published table, the ranking, a site's 检测报告, the 整改清单 and
 * the 通报.
 *
 * Two halves.  A builder reads a round through the application layer
 * (src/round: kp_rnd_sheet_get, kp_rnd_ranking_get,
 * kp_rnd_inspection_get — never SQL, never the scoring engine) and lays
 * what it read out as a kp_rep_doc: a list of tables, each with a title
 * row, a subtitle, its column heads and widths, rows of cells, merged
 * ranges (the level columns of a 考评表) and lines under the table (the
 * total, the conversion, vetoes, the signature line).  A writer renders
 * a kp_rep_doc in the format its file name's extension asks for:
 *
 *	.xlsx  libxlsxwriter: a worksheet per table; title row merged across
 *	       the columns, bold centred heads with borders, column widths,
 *	       frozen head, autofilter, A4 with the head rows repeated on
 *	       each printed page; numbers are numbers with a number format
 *	       ("0.00", "0.00%"), never text.
 *	.csv   UTF-8 with a BOM (so Excel and WPS read Chinese); tables one
 *	       after the other, a blank line between them.
 *	.html  one page, A4 print CSS, a table per table, a page break
 *	       between them; every text escaped where it is written.
 *	.docx  OOXML written with libzip from XML escaped here (docx.c):
 *	       仿宋_GB2312 text, 黑体 titles and heads, A4 (a table's own
 *	       section, landscape when it asks), page numbers "— 3 —",
 *	       head rows repeated, merges as gridSpan/vMerge.
 *	.pdf   Cairo's PDF surface with Pango laying out the text in the
 *	       Noto CJK fonts (pdf.c): A4 (a table's pages landscape when
 *	       it asks), the title, bordered cells, merges drawn as one
 *	       cell, the head row repeated on every page, "— 3 —" under
 *	       each page.
 *
 * Builders and writers meet only in kp_rep_doc, so a new document is a
 * builder and a new format is a writer (a row of the writers' table in
 * write.c).  Every file is written atomically (base's kp_atomic_begin /
 * kp_atomic_commit): a failure leaves no half file, and a device, FIFO
 * or symbolic link is never replaced.
 *
 * Cells hold both the value and its display: a number cell keeps the
 * double a spreadsheet stores and the exact text ("92.50", from kp_num)
 * that CSV and HTML print, so the three formats never disagree by a
 * rounding.
 *
 * Ownership.  A kp_rep_doc owns every string and table in it;
 * kp_rep_doc_release frees them.  Builders fill a doc the caller
 * initialised with kp_rep_doc_init; on failure the doc holds what was
 * built so far and must still be released.
 */
#ifndef KP_REPORT_H
#define KP_REPORT_H

#include "base/base.h"

struct kp_rnd;

/* ---- the document ---------------------------------------------------- */

typedef enum kp_rep_kind {
	KP_REP_EMPTY = 0,
	KP_REP_TEXT,
	KP_REP_NUM,     /* two decimals: "92.50" */
	KP_REP_INT,     /* a whole number: 名次, 序号 counts */
	KP_REP_PCT,     /* a ratio shown as "92.50%" (num 0.925) */
} kp_rep_kind;

typedef struct kp_rep_cell {
	kp_rep_kind kind;
	char *text;     /* what CSV and HTML print; owned, NULL when empty */
	double num;     /* what a spreadsheet stores (NUM, INT, PCT) */
	bool bold;
} kp_rep_cell;

/* Cells r0..r1 × c0..c1 of the body (rows counted from 0 under the
 * head) shown as one. */
typedef struct kp_rep_merge {
	size_t r0, c0, r1, c1;
} kp_rep_merge;

typedef struct kp_rep_table {
	char *name;          /* sheet or file name (a unit) */
	char *title;         /* first row, across the columns */
	char *subtitle;      /* second row ("" none) */
	char **head;         /* ncols column heads */
	double *width;       /* ncols widths in characters */
	size_t ncols;
	kp_rep_cell *cells;  /* nrows × ncols, row after row */
	size_t nrows, caprows;
	kp_rep_merge *merges;
	size_t nmerges, capmerges;
	char **foot;         /* lines under the table */
	size_t nfoot, capfoot;
	bool landscape;
} kp_rep_table;

/* Paragraphs of a document that is text, not a table (a 通报): each
 * with its role. */
typedef enum kp_rep_para_kind {
	KP_REP_P_TITLE,     /* 标题, centred, 小标宋/黑体 */
	KP_REP_P_HEAD,      /* 一级标题 (黑体) */
	KP_REP_P_BODY,      /* 正文, first line indented two characters */
	KP_REP_P_PLAIN,     /* 主送: no indent */
	KP_REP_P_RIGHT,     /* 落款 and date, right aligned */
} kp_rep_para_kind;

typedef struct kp_rep_para {
	kp_rep_para_kind kind;
	char *text;
} kp_rep_para;

/* A chart: bars (or, line, a line through points) of value[i] over
 * labels[i], with ref[i] (a maximum) drawn behind a bar where
 * has_ref[i].  Drawn by one function through Cairo (PNG, a PDF page) or
 * as SVG (its text as <text>, each bar's number in data-value) (chart.c);
 * KP_REP_CHART_W × KP_REP_CHART_H points. */
enum { KP_REP_CHART_W = 800, KP_REP_CHART_H = 500 };
typedef struct kp_rep_chart {
	char *name;            /* file name without extension */
	char *title, *xlabel, *ylabel;
	char **labels;
	double *value, *ref;
	bool *has_ref;
	size_t n, cap;
	bool line;
} kp_rep_chart;

typedef struct kp_rep_doc {
	char *title;           /* the document's (HTML <title>) */
	kp_rep_para *paras;    /* before the tables; none for a sheet */
	size_t nparas, capparas;
	kp_rep_table *v;
	size_t n, cap;
	kp_rep_chart *charts;  /* after the tables (not in CSV) */
	size_t ncharts, capcharts;
} kp_rep_doc;

void kp_rep_doc_init(kp_rep_doc *d, const char *title);
void kp_rep_doc_release(kp_rep_doc *d);
void kp_rep_para_add(kp_rep_doc *d, kp_rep_para_kind kind, const char *text);

/* A new table at the end of d (borrowed: valid until the next
 * kp_rep_table_new on d), with columns heads[0..ncols) of widths
 * width[0..ncols). */
kp_rep_table *kp_rep_table_new(kp_rep_doc *d, const char *name,
			       const char *title, const char *subtitle,
			       const char *const *heads, const double *width,
			       size_t ncols);
/* A new empty row; its index. */
size_t kp_rep_row(kp_rep_table *t);
kp_rep_cell *kp_rep_at(kp_rep_table *t, size_t row, size_t col);
void kp_rep_text(kp_rep_table *t, size_t row, size_t col, const char *s);
void kp_rep_num(kp_rep_table *t, size_t row, size_t col, kp_num v);
void kp_rep_int(kp_rep_table *t, size_t row, size_t col, long long v);
/* num/den as a percentage (den 0: empty). */
void kp_rep_pct(kp_rep_table *t, size_t row, size_t col, kp_num num,
		kp_num den);
void kp_rep_merge_add(kp_rep_table *t, size_t r0, size_t c0, size_t r1,
		      size_t c1);
void kp_rep_foot(kp_rep_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A new chart at the end of d (borrowed: valid until the next one). */
kp_rep_chart *kp_rep_chart_add(kp_rep_doc *d, const char *name,
			       const char *title, const char *xlabel,
			       const char *ylabel, bool line);
void kp_rep_chart_point(kp_rep_chart *c, const char *label, double value,
			bool has_ref, double ref);
void kp_rep_chart_release(kp_rep_chart *c);
/* c as an SVG document, appended to out. */
void kp_rep_chart_svg(const kp_rep_chart *c, kp_buf *out);
/* c as a PNG image, appended to out. */
int kp_rep_chart_png(const kp_rep_chart *c, kp_buf *out, kp_err *e);
/* Each chart of d as dir/<name>.svg and dir/<name>.png (dir created
 * when missing), atomically; *nfiles: how many. */
int kp_rep_write_charts(const kp_rep_doc *d, const char *dir, size_t *nfiles,
			kp_err *e);

/* Release what Pango, Cairo and fontconfig keep for the process (font
 * maps, caches) — once, before exit, after the last PDF or chart (a
 * later one opens them again); so a leak checker sees none. */
void kp_rep_fonts_release(void);

/* ---- writers --------------------------------------------------------- */

typedef enum kp_rep_format {
	KP_REP_NONE = 0, KP_REP_XLSX, KP_REP_CSV, KP_REP_HTML, KP_REP_DOCX,
	KP_REP_PDF,
} kp_rep_format;

/* The format path's extension names (case-insensitive), or KP_REP_NONE. */
kp_rep_format kp_rep_format_of(const char *path);
/* Its extension without the dot ("xlsx"), for file names. */
const char *kp_rep_format_ext(kp_rep_format f);
/* kp_rep_format_of a word ("xlsx", "csv", "html"). */
kp_rep_format kp_rep_format_named(const char *word);

/* Write d to path in format f (KP_REP_NONE: by path's extension; none
 * known is KP_EINPUT), atomically. */
int kp_rep_write(const kp_rep_doc *d, const char *path, kp_rep_format f,
		 kp_err *e);
/* Write each table of d as its own file dir/<name>.<ext> (dir is
 * created when missing); *nfiles: how many. */
int kp_rep_write_each(const kp_rep_doc *d, const char *dir, kp_rep_format f,
		      size_t *nfiles, kp_err *e);

/* ---- writing as it is built ----------------------------------------- */

/* A report too big to hold at once (every unit's sheets of a round of
 * thousands) is written a part at a time: open the output, add each
 * part's document as soon as it is built, close.  kp_rep_out_add writes
 * the document's paragraphs and tables at once (XLSX, CSV, HTML; for
 * DOCX and PDF, which are laid out whole, it keeps them until close) and
 * takes them out of d, which the caller releases before building the
 * next part; charts are kept and written last.  Only what the format's
 * library keeps itself grows with the report (libxlsxwriter holds a
 * workbook's cells until it is closed).
 *
 * kp_rep_out_open: path a file (f KP_REP_NONE: by its extension; "-"
 * standard output for CSV and HTML), or with dir a directory (created
 * when missing; f KP_REP_NONE: XLSX) where each added table — tables of
 * one name together — becomes a file of its own, as kp_rep_write_each.
 * title: the document's (HTML <title>, XLSX properties).
 * kp_rep_out_close writes what is left, commits the file atomically and
 * frees o; *n: the tables written (a file) or the files (a directory).
 * kp_rep_out_abort frees o and leaves no file (files already written to
 * a directory stay).  After a failed add, abort. */
typedef struct kp_rep_out kp_rep_out;
int kp_rep_out_open(const char *path, bool dir, kp_rep_format f,
		    const char *title, kp_rep_out **out, kp_err *e);
int kp_rep_out_add(kp_rep_out *o, kp_rep_doc *d, kp_err *e);
int kp_rep_out_close(kp_rep_out *o, size_t *n, kp_err *e);
void kp_rep_out_abort(kp_rep_out *o);

/* ---- builders -------------------------------------------------------- */

/* Each unit's 考评表 (unit NULL: every unit of the round, in the round's
 * order; else the unit spelt so), a table per unit and table of the
 * round: 序号, level columns (merged over their subtrees), 分值, 评分标准,
 * 自评分, 考核分, 得分, 扣分说明; under it the total, the conversion,
 * vetoes and the signature line.  A round of several tables gives a
 * table per unit per table it is assessed on, and the combination. */
int kp_rep_sheets(struct kp_rnd *r, const char *unit, kp_rep_doc *d,
		  kp_err *e);
/* The same, each unit's sheets added to o as soon as they are built and
 * freed before the next unit's: a round of any size in the memory of
 * one unit's sheets (and what the format's library keeps). */
int kp_rep_sheets_out(struct kp_rnd *r, const char *unit, kp_rep_out *o,
		      kp_err *e);

/* Grade bands (等次): "优秀:90、良好:80、合格:60" — a score at or above a
 * band's minimum gets its name, highest first; below the lowest, or
 * vetoed, "不合格".  Written as #meta,grades in a scheme or an
 * indicator table (docs/scheme.md). */
enum { KP_REP_MAX_GRADES = 8 };
typedef struct kp_rep_grades {
	char name[KP_REP_MAX_GRADES][64];
	kp_num min[KP_REP_MAX_GRADES];   /* descending */
	size_t n;
} kp_rep_grades;

/* Parse s into g (KP_EINPUT naming s when it is not such a list). */
int kp_rep_grades_parse(const char *s, kp_rep_grades *g, kp_err *e);
/* The grade of score (a static string or g's). */
const char *kp_rep_grade(const kp_rep_grades *g, kp_num score, bool vetoed);

/* The stored ranking of round name (NULL: newest) in the store conn: 名次,
 * 单位, 单位类型, 满分, 得分, 得分率, 折算, 等次 (when the round's scheme
 * or table has #meta,grades), 结果; the complete units first, then a
 * line and the 未完成 ones (provisional, marked in 结果); by_type: a
 * table per unit type, ranked within it. */
int kp_rep_ranking(const char *conn, const char *name, bool by_type,
		   kp_rep_doc *d, kp_err *e);

/* Each unit's 整改清单 (unit NULL: every unit that lost points): each
 * lost point with its indicator, reason and evidence, ordered by the
 * points a fix would recover, with a deadline (deadline NULL or "":
 * "收到通知后30日内"). */
int kp_rep_rectify(struct kp_rnd *r, const char *unit, const char *deadline,
		   kp_rep_doc *d, kp_err *e);

/* A site's 检测报告: inspection id (0: the latest of unit in round name)
 * — summary, findings with evidence, dead links with the pages linking
 * them, columns with their newest dates, changes since the last one. */
int kp_rep_inspection(const char *conn, int64_t id, const char *name,
		      const char *unit, kp_rep_doc *d, kp_err *e);

/* The 通报 of round name (NULL: newest): 标题, 主送 (the unit types), 正文
 * with the overview (units, average, highest, lowest, how many lost
 * points), the best and the worst units, the commonest problems with
 * how many units lost points on each, the requirement to rectify, 落款
 * and date as paragraphs; each unit's problems as the annex table.  A
 * draft, to be edited before it is issued. */
typedef struct kp_rep_bulletin_opts {
	const char *from;      /* 落款; NULL: "考评办公室" */
	const char *date;      /* NULL: today, "2017年1月20日" */
	const char *deadline;  /* NULL: "于收到本通报后30日内" */
} kp_rep_bulletin_opts;

int kp_rep_bulletin(const char *conn, const char *name,
		    const kp_rep_bulletin_opts *o, kp_rep_doc *d, kp_err *e);

/* The charts of round name (NULL: newest) in the store conn, added to
 * d: the distribution of the units' scores (得分分布, ten-point bins of
 * the score as a percentage; a scheme's totals in five equal bins);
 * with KP_REP_CHART_INDICATORS each table's first-level indicators'
 * average score against their average maximum (指标平均得分); with
 * KP_REP_CHART_PROFILES each unit's first-level scores against their
 * maxima (单位画像-<unit>; unit not NULL: that unit's alone); and, when
 * earlier scored rounds of the same table or scheme exist, the average
 * score per period (得分趋势). */
enum { KP_REP_CHART_INDICATORS = 1, KP_REP_CHART_PROFILES = 2 };
int kp_rep_charts(const char *conn, const char *name, const char *unit,
		  int flags, kp_rep_doc *d, kp_err *e);

#endif
