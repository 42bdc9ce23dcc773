/* round/template.c — the blank sheet a unit fills in: the items of the
 * round that apply to it and take a fact from it (a score, a deduction
 * counted, a veto), each with its maximum for this unit and its rule in
 * Chinese, and empty columns for the value and the evidence.  Its header
 * is the facts format's (docs/facts.md) plus three columns the facts
 * reader passes over (指标名称, 满分, 评分标准), so the filled sheet goes
 * back through `eval facts add` as it is; rows left blank are skipped. */
#include "round/round_int.h"
#include "sheet/sheet.h"

#include <xlsxwriter.h>

#include <stdlib.h>
#include <string.h>

enum { T_UNIT, T_TABLE, T_IND, T_NAME, T_MAX, T_RULE, T_KIND, T_VALUE,
       T_SOURCE, T_URL, T_NOTE, T_NCOLS };

static const char *const header[T_NCOLS] = {
	"单位", "表", "指标", "指标名称", "满分", "评分标准", "类型", "数值",
	"来源", "证据链接", "说明",
};

/* The kind a unit writes on node nd, or NULL when it writes none. */
static const char *kind_of(const kp_node *nd)
{
	if (kp_rule_has(nd->rule, KP_RF_SCORE))
		return "评分";
	if (nd->rule == KP_RULE_MINUS && !nd->nchildren)
		return "扣分";
	if (nd->rule == KP_RULE_VETO)
		return "否决";
	return NULL;
}

/* Each row's cells (owned strings) for unit's sheet s: row i's cell c
 * is (*rows)[i * T_NCOLS + c]. */
static void rows_of(const kp_rnd *v, const kp_rnd_sheet *s, char ***rows,
		    size_t *n)
{
	*rows = NULL;
	*n = 0;
	for (size_t k = 0; k < v->ntables; k++) {
		const kp_result *r = s->res[k];
		for (size_t i = 0; r && i < r->nnodes; i++) {
			const kp_rnode *rn = &r->nodes[i];
			const kp_node *nd = rn->node;
			const char *kind = kind_of(nd);
			kp_buf rule = KP_BUF_INIT;
			char num[32], **c;
			if (!rn->applies || !kind)
				continue;
			kp_rule_describe(nd, &rule);
			*rows = kp_xrealloc(*rows, (*n + 1) * T_NCOLS *
						    sizeof(**rows));
			c = *rows + (*n)++ * T_NCOLS;
			c[T_UNIT] = kp_xstrdup(v->names[s->unit]);
			c[T_TABLE] = kp_xstrdup(kp_table_id(v->tables[k]));
			c[T_IND] = kp_xstrdup(nd->code);
			c[T_NAME] = kp_xstrdup(nd->path);
			/* a score's maximum for this unit; a deduction's
			 * amount is in its rule */
			c[T_MAX] = kp_xstrdup(kp_rule_has(nd->rule, KP_RF_SCORE)
					      ? kp_num_str(rn->max, num) : "");
			c[T_RULE] = rule.data ? kp_buf_detach(&rule) : kp_xstrdup("");
			c[T_KIND] = kp_xstrdup(kind);
			c[T_VALUE] = kp_xstrdup("");
			c[T_SOURCE] = kp_xstrdup("自评");
			c[T_URL] = kp_xstrdup("");
			c[T_NOTE] = kp_xstrdup("");
		}
	}
}

static void rows_free(char **rows, size_t n)
{
	for (size_t i = 0; i < n * T_NCOLS; i++)
		free(rows[i]);
	free(rows);
}

static int write_csv(const char *path, char **rows, size_t n, kp_err *e)
{
	kp_buf out = KP_BUF_INIT;
	int rc;
	for (int c = 0; c < T_NCOLS; c++) {
		if (c)
			kp_buf_adds(&out, ",");
		kp_csv_put(&out, header[c]);
	}
	kp_buf_adds(&out, "\n");
	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < T_NCOLS; c++) {
			if (c)
				kp_buf_adds(&out, ",");
			kp_csv_put(&out, rows[i * T_NCOLS + c]);
		}
		kp_buf_adds(&out, "\n");
	}
	rc = kp_write_atomic(path, out.data, out.len, e);
	kp_buf_release(&out);
	return rc;
}

/* The sheet's rows, under a bold header, columns wrapped at the top. */
static void template_sheet(lxw_workbook *wb, char **rows, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "自评");
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *wrap = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	for (int c = 0; c < T_NCOLS; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     c == T_NAME || c == T_RULE ? 40 : 12, wrap);
	}
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < T_NCOLS; c++)
			if (*rows[i * T_NCOLS + c])
				worksheet_write_string(ws, (lxw_row_t)(i + 1),
						       (lxw_col_t)c,
						       rows[i * T_NCOLS + c], NULL);
}

/* Written beside path, then renamed over it (sheet's kp_sheet_xlsx): a
 * crash never leaves half a sheet, and an existing file keeps its mode. */
static int write_xlsx(const char *path, char **rows, size_t n, kp_err *e)
{
	kp_sheet_xlsx o;
	if (kp_sheet_xlsx_begin(&o, path, e) < 0)
		return -1;
	template_sheet(o.wb, rows, n);
	return kp_sheet_xlsx_commit(&o, e);
}

int kp_rnd_template(kp_rnd *v, const char *unit, const char *path,
		    size_t *nrows, kp_err *e)
{
	kp_rnd_sheet s;
	char **rows;
	size_t n, len = path ? strlen(path) : 0;
	bool xlsx = len > 5 && !strcmp(path + len - 5, ".xlsx");
	int rc;
	if (kp_rnd_sheet_get(v, unit, 0, &s, e) < 0)
		return -1;
	rows_of(v, &s, &rows, &n);
	rc = xlsx ? write_xlsx(path, rows, n, e)
		  : write_csv(path ? path : "-", rows, n, e);
	*nrows = n;
	rows_free(rows, n);
	kp_rnd_sheet_release(&s);
	return rc;
}
