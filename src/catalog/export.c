/* catalog/export.c — write an indicator table in the layout offices
 * publish and edit: one column per level (一级指标, 二级指标, …), the
 * points, the texts.  A node's ancestors are left blank below their first
 * row, as merged cells are, and kp_import carries them down again, so
 * export → import gives back the same tree.  kaoping's own columns (规则,
 * 参数, 编号 …) are added only when the table uses them. */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static const char *const level_names[] = { "一级指标", "二级指标", "三级指标",
					   "四级指标" };

/* Published column names of the text columns, in kp_text order. */
static const char *const text_names[KP_T_COUNT] = {
	[KP_T_APPLIES] = "适用范围", [KP_T_UNITS] = "责任单位",
	[KP_T_CHECK] = "自动检测", [KP_T_CONTENT] = "评估内容",
	[KP_T_CRITERIA] = "评分标准", [KP_T_REPORT] = "需报送信息",
	[KP_T_NOTE] = "备注", [KP_T_QUIRK] = "原文问题",
};
/* The order they appear in: what a reader looks at first, first. */
static const int text_order[KP_T_COUNT] = {
	KP_T_CONTENT, KP_T_CRITERIA, KP_T_UNITS, KP_T_REPORT, KP_T_APPLIES,
	KP_T_CHECK, KP_T_NOTE, KP_T_QUIRK,
};

enum { X_LEVEL, X_POINTS, X_RULE, X_PARAMS, X_TEXT, X_CODE };

typedef struct xcol {
	int kind;
	int arg;
	const char *name;
} xcol;

typedef struct layout {
	xcol cols[4 + 4 + KP_T_COUNT];
	size_t ncols;
	const kp_node **order;   /* depth-first */
	size_t n;
} layout;

static void dfs(const kp_node *n, layout *l)
{
	l->order[l->n++] = n;
	for (size_t i = 0; i < n->nchildren; i++)
		dfs(n->children[i], l);
}

static int plan(const kp_table *t, layout *l)
{
	int depth = 0;
	bool rules = false, params = false, text[KP_T_COUNT] = { false };
	if (t->kind != KP_KIND_INDICATORS)
		return -1;
	for (size_t i = 0; i < t->nnodes; i++) {
		const kp_node *n = t->nodes[i];
		if (n->level > depth)
			depth = n->level;
		rules |= n->rule_written;
		params |= n->nparams > 0;
		for (int k = 0; k < KP_T_COUNT; k++)
			text[k] |= *n->text[k] != '\0';
	}
	if (depth > 4)
		return -1;
	l->ncols = 0;
	for (int k = 0; k < depth; k++)
		l->cols[l->ncols++] = (xcol){ X_LEVEL, k + 1, level_names[k] };
	l->cols[l->ncols++] = (xcol){ X_POINTS, 0, "分值" };
	for (int k = 0; k < KP_T_COUNT; k++)
		if (text[text_order[k]])
			l->cols[l->ncols++] = (xcol){ X_TEXT, text_order[k],
						      text_names[text_order[k]] };
	if (rules)
		l->cols[l->ncols++] = (xcol){ X_RULE, 0, "规则" };
	if (params)
		l->cols[l->ncols++] = (xcol){ X_PARAMS, 0, "参数" };
	l->cols[l->ncols++] = (xcol){ X_CODE, 0, "编号" };
	l->order = kp_xcalloc(t->nnodes ? t->nnodes : 1, sizeof(*l->order));
	l->n = 0;
	for (size_t i = 0; i < t->nroots; i++)
		dfs(t->roots[i], l);
	return 0;
}

/* The text of cell (node, column); tmp holds formatted numbers. */
static const char *cell(const kp_node *n, const xcol *c, kp_buf *tmp)
{
	char pts[32];
	kp_buf_reset(tmp);
	switch (c->kind) {
	case X_LEVEL:
		return n->level == c->arg ? n->name : "";
	case X_POINTS:
		if (!n->has_points)
			return "";
		kp_buf_adds(tmp, kp_num_str(n->points, pts));
		return tmp->data;
	case X_RULE:
		return n->rule_written ? kp_rule_name(n->rule) : "";
	case X_PARAMS:
		for (size_t i = 0; i < n->nparams; i++) {
			kp_buf_addf(tmp, "%s%s", i ? ";" : "", n->params[i].key);
			if (n->params[i].value)
				kp_buf_addf(tmp, "=%s", n->params[i].value);
		}
		return tmp->data ? tmp->data : "";
	case X_TEXT:
		return n->text[c->arg];
	case X_CODE:
		return n->code;
	}
	return "";
}

/* A CSV grid: a title row above the header (as published tables
 * have), the columns' names, then a row per node with each column's
 * text from cellf (which may use tmp for text it builds). */
static void csv_grid(kp_buf *out, const char *title, const xcol *cols,
		     size_t ncols, const kp_node *const *order, size_t n,
		     const char *(*cellf)(const kp_node *, const xcol *,
					  kp_buf *),
		     kp_buf *tmp)
{
	kp_csv_put(out, title ? title : "");
	kp_buf_addc(out, '\n');
	for (size_t c = 0; c < ncols; c++) {
		if (c)
			kp_buf_addc(out, ',');
		kp_csv_put(out, cols[c].name);
	}
	kp_buf_addc(out, '\n');
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < ncols; c++) {
			if (c)
				kp_buf_addc(out, ',');
			kp_csv_put(out, cellf(order[i], &cols[c], tmp));
		}
		kp_buf_addc(out, '\n');
	}
}

int kp_export_csv(const kp_table *t, kp_buf *out)
{
	layout l;
	kp_buf tmp = KP_BUF_INIT;
	if (plan(t, &l) < 0)
		return -1;
	csv_grid(out, kp_table_get(t, "title"), l.cols, l.ncols, l.order, l.n,
		 cell, &tmp);
	kp_buf_release(&tmp);
	free(l.order);
	return 0;
}

/* An XLSX writer's sheet, shared by the canonical and the published
 * layout: the workbook is written to a temporary file beside path and
 * renamed over it only once complete (base's kp_atomic). */
typedef struct xbook {
	kp_sheet_xlsx o;        /* owned until xbook_close */
	lxw_workbook *wb;       /* o.wb */
	lxw_worksheet *ws;      /* the one sheet, "指标" */
	lxw_format *bold;       /* the title and the header row */
	lxw_format *wrap;       /* the columns: wrapped, at the top */
} xbook;

/* Open x for path: the temporary file created first, so that an
 * unwritable place is reported once, in our words (libxlsxwriter would
 * print its own), then the workbook, its sheet and the two formats (bold
 * centred when centre).  -1 and e on failure, x released. */
static int xbook_open(xbook *x, const char *path, bool centre, kp_err *e)
{
	memset(x, 0, sizeof(*x));
	if (kp_sheet_xlsx_begin(&x->o, path, e) < 0)
		return -1;
	x->wb = x->o.wb;
	x->ws = workbook_add_worksheet(x->wb, "指标");
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	if (centre)
		format_set_align(x->bold, LXW_ALIGN_CENTER);
	x->wrap = workbook_add_format(x->wb);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	return 0;
}

/* Close the workbook and rename it to path (keeping an existing file's
 * permissions); on failure the temporary file is removed.  Releases x
 * either way. */
static int xbook_close(xbook *x, kp_err *e)
{
	return kp_sheet_xlsx_commit(&x->o, e);
}

/* One cell: points stay numbers, so Excel can sum them; anything else
 * (or points that do not parse) is written as the text it is. */
static void put_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		     const char *v, bool points)
{
	kp_num num;
	if (points && kp_num_parse(v, &num) == 0)
		worksheet_write_number(ws, row, col, kp_num_double(num), NULL);
	else
		worksheet_write_string(ws, row, col, v, NULL);
}

int kp_export_xlsx(const kp_table *t, const char *path, kp_err *e)
{
	layout l;
	kp_buf tmp = KP_BUF_INIT;
	xbook x;
	const char *title = kp_table_get(t, "title");
	int rc = -1;

	if (plan(t, &l) < 0)
		return kp_fail(e, KP_EINPUT,
			       "%s: 只有指标表（kind=indicators，最多四级）可以导出为发布版式",
			       t->file);
	if (xbook_open(&x, path, false, e) < 0)
		goto out;
	worksheet_write_string(x.ws, 0, 0, title ? title : "", x.bold);
	for (size_t c = 0; c < l.ncols; c++) {
		worksheet_write_string(x.ws, 1, (lxw_col_t)c, l.cols[c].name, x.bold);
		worksheet_set_column(x.ws, (lxw_col_t)c, (lxw_col_t)c,
				     l.cols[c].kind == X_TEXT ? 48 : 14, x.wrap);
	}
	for (size_t i = 0; i < l.n; i++)
		for (size_t c = 0; c < l.ncols; c++) {
			const char *v = cell(l.order[i], &l.cols[c], &tmp);
			if (*v)
				put_cell(x.ws, (lxw_row_t)(i + 2), (lxw_col_t)c,
					 v, l.cols[c].kind == X_POINTS);
		}
	rc = xbook_close(&x, e);
out:
	kp_buf_release(&tmp);
	free(l.order);
	return rc;
}


enum { P_SEQ, P_LEVEL, P_POINTS, P_TEXT, P_CRITERIA };

typedef struct playout {
	xcol cols[2 + 4 + KP_T_COUNT];
	size_t ncols;
	const kp_node **order;   /* depth-first */
	size_t *span;            /* rows each node's subtree takes */
	size_t n;
	bool has_total;
	kp_num total;
} playout;

static size_t pdfs(const kp_node *n, playout *l)
{
	size_t at = l->n++, rows = 1;
	l->order[at] = n;
	for (size_t i = 0; i < n->nchildren; i++)
		rows += pdfs(n->children[i], l);
	l->span[at] = rows;
	return rows;
}

static int pplan(const kp_table *t, playout *l)
{
	int depth = 0;
	bool text[KP_T_COUNT] = { false };
	static const int shown[] = { KP_T_CONTENT, KP_T_UNITS, KP_T_REPORT,
				     KP_T_NOTE };
	if (t->kind != KP_KIND_INDICATORS)
		return -1;
	for (size_t i = 0; i < t->nnodes; i++) {
		if (t->nodes[i]->level > depth)
			depth = t->nodes[i]->level;
		for (int k = 0; k < KP_T_COUNT; k++)
			text[k] |= *t->nodes[i]->text[k] != '\0';
	}
	if (depth > 4)
		return -1;
	l->ncols = 0;
	l->cols[l->ncols++] = (xcol){ P_SEQ, 0, "序号" };
	for (int k = 0; k < depth; k++)
		l->cols[l->ncols++] = (xcol){ P_LEVEL, k + 1, level_names[k] };
	l->cols[l->ncols++] = (xcol){ P_POINTS, 0, "分值" };
	if (text[KP_T_CONTENT])
		l->cols[l->ncols++] = (xcol){ P_TEXT, KP_T_CONTENT, "评估内容" };
	l->cols[l->ncols++] = (xcol){ P_CRITERIA, KP_T_CRITERIA, "评分标准" };
	for (size_t k = 1; k < sizeof(shown) / sizeof(shown[0]); k++)
		if (text[shown[k]])
			l->cols[l->ncols++] = (xcol){ P_TEXT, shown[k],
						      text_names[shown[k]] };
	l->order = kp_xcalloc(t->nnodes ? t->nnodes : 1, sizeof(*l->order));
	l->span = kp_xcalloc(t->nnodes ? t->nnodes : 1, sizeof(*l->span));
	l->n = 0;
	for (size_t i = 0; i < t->nroots; i++)
		pdfs(t->roots[i], l);
	l->has_total = kp_table_total(t, &l->total);
	return 0;
}

static void pfree(playout *l)
{
	free(l->order);
	free(l->span);
}

/* The text of a published cell; tmp holds what is built. */
static const char *pcell(const kp_node *n, const xcol *c, kp_buf *tmp)
{
	char pts[32];
	kp_buf_reset(tmp);
	switch (c->kind) {
	case P_SEQ:
		return n->code;
	case P_LEVEL:
		return n->level == c->arg ? n->name : "";
	case P_POINTS:
		if (!n->has_points)
			return "";
		kp_buf_adds(tmp, kp_num_str(n->points, pts));
		return tmp->data;
	case P_TEXT:
		return n->text[c->arg];
	case P_CRITERIA:
		/* the criteria as written; a rule with no words at all is
		 * described in Chinese, so the reader still sees it */
		if (*n->text[KP_T_CRITERIA] || *n->text[KP_T_CONTENT] ||
		    !n->rule_written)
			return n->text[KP_T_CRITERIA];
		kp_rule_describe(n, tmp);
		return tmp->data ? tmp->data : "";
	}
	return "";
}

int kp_export_published_csv(const kp_table *t, kp_buf *out)
{
	playout l;
	kp_buf tmp = KP_BUF_INIT;
	if (pplan(t, &l) < 0)
		return -1;
	csv_grid(out, kp_table_get(t, "title"), l.cols, l.ncols, l.order, l.n,
		 pcell, &tmp);
	if (l.has_total) {
		char pts[32];
		for (size_t c = 0; c < l.ncols; c++) {
			if (c)
				kp_buf_addc(out, ',');
			if (l.cols[c].kind == P_SEQ)
				kp_buf_adds(out, "合计");
			else if (l.cols[c].kind == P_POINTS)
				kp_buf_adds(out, kp_num_str(l.total, pts));
		}
		kp_buf_addc(out, '\n');
	}
	kp_buf_release(&tmp);
	pfree(&l);
	return out->max && out->len > out->max ? -1 : 0;
}

/* The published layout's title row (merged across the columns, as
 * offices head their tables) and header row, with the columns' widths. */
static void pub_head(const playout *l, const xbook *x, const char *title)
{
	if (l->ncols > 1)
		worksheet_merge_range(x->ws, 0, 0, 0, (lxw_col_t)(l->ncols - 1),
				      title ? title : "", x->bold);
	else
		worksheet_write_string(x->ws, 0, 0, title ? title : "", x->bold);
	for (size_t c = 0; c < l->ncols; c++) {
		worksheet_write_string(x->ws, 1, (lxw_col_t)c, l->cols[c].name,
				       x->bold);
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c,
				     l->cols[c].kind == P_TEXT ||
						     l->cols[c].kind == P_CRITERIA
					     ? 48
					     : l->cols[c].kind == P_LEVEL ? 20 : 8,
				     x->wrap);
	}
}

/* The published layout's node rows, a level cell merged over its
 * subtree, then the 合计 row when the table has a total. */
static void pub_rows(const playout *l, const xbook *x, lxw_format *merged,
		     kp_buf *tmp)
{
	for (size_t i = 0; i < l->n; i++)
		for (size_t c = 0; c < l->ncols; c++) {
			const char *v = pcell(l->order[i], &l->cols[c], tmp);
			lxw_row_t row = (lxw_row_t)(i + 2);
			if (!*v)
				continue;
			if (l->cols[c].kind == P_LEVEL && l->span[i] > 1) {
				worksheet_merge_range(x->ws, row, (lxw_col_t)c,
						      (lxw_row_t)(row + l->span[i] - 1),
						      (lxw_col_t)c, v, merged);
			} else {
				put_cell(x->ws, row, (lxw_col_t)c, v,
					 l->cols[c].kind == P_POINTS);
			}
		}
	if (l->has_total) {
		lxw_row_t row = (lxw_row_t)(l->n + 2);
		for (size_t c = 0; c < l->ncols; c++)
			if (l->cols[c].kind == P_SEQ)
				worksheet_write_string(x->ws, row, (lxw_col_t)c,
						       "合计", x->bold);
			else if (l->cols[c].kind == P_POINTS)
				worksheet_write_number(x->ws, row, (lxw_col_t)c,
						       kp_num_double(l->total),
						       NULL);
	}
}

int kp_export_published_xlsx(const kp_table *t, const char *path, kp_err *e)
{
	playout l;
	kp_buf tmp = KP_BUF_INIT;
	xbook x;
	lxw_format *merged;
	int rc = -1;

	if (pplan(t, &l) < 0)
		return kp_fail(e, KP_EINPUT,
			       "%s: 只有指标表（kind=indicators，最多四级）可以导出为发布版式",
			       t->file);
	if (xbook_open(&x, path, true, e) < 0)
		goto out;
	merged = workbook_add_format(x.wb);
	format_set_text_wrap(merged);
	format_set_align(merged, LXW_ALIGN_VERTICAL_CENTER);
	pub_head(&l, &x, kp_table_get(t, "title"));
	pub_rows(&l, &x, merged, &tmp);
	rc = xbook_close(&x, e);
out:
	kp_buf_release(&tmp);
	pfree(&l);
	return rc;
}
