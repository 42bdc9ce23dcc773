/* catalog/write.c — a table back to its canonical CSV (byte-stable:
 * parse → write → parse gives the same table), and comparing two trees.
 * See catalog.h. */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- writing --------------------------------------------------------- */

static void put_row(kp_buf *b, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			kp_buf_addc(b, ',');
		kp_csv_put(b, cells[i]);
	}
	kp_buf_addc(b, '\n');
}

static void params_str(const kp_node *n, kp_buf *b)
{
	for (size_t i = 0; i < n->nparams; i++) {
		if (i)
			kp_buf_addc(b, ';');
		kp_buf_adds(b, n->params[i].key);
		if (n->params[i].value) {
			kp_buf_addc(b, '=');
			kp_buf_adds(b, n->params[i].value);
		}
	}
}

int kp_table_write(const kp_table *t, kp_buf *out)
{
	for (size_t i = 0; i < t->nmeta; i++) {
		const char *cells[3] = { "#meta", t->meta[i].key,
					 t->meta[i].value };
		put_row(out, cells, 3);
	}
	if (t->kind != KP_KIND_INDICATORS) {
		put_row(out, (const char *const *)t->cols, t->ncols);
		for (size_t r = 0; r < t->nrecs; r++)
			put_row(out, (const char *const *)t->recs[r].cells,
				t->ncols);
		return out->len > out->max && out->max ? -1 : 0;
	}
	{
		const char *cells[KP_N_IND_COLS];
		size_t idx[KP_N_IND_COLS], nc = 0;
		/* code, path, points, rule and params always; the text
		 * columns when the source had them or any node uses them. */
		for (size_t k = 0; k < KP_N_IND_COLS; k++) {
			bool used = k < KP_COL_TEXT0 || t->has_col[k];
			for (size_t i = 0; !used && i < t->nnodes; i++)
				used = *t->nodes[i]->text[k - KP_COL_TEXT0];
			if (used) {
				idx[nc] = k;
				cells[nc++] = kp_ind_cols[k];
			}
		}
		put_row(out, cells, nc);
		for (size_t i = 0; i < t->nnodes; i++) {
			const kp_node *n = t->nodes[i];
			char pts[32];
			kp_buf params = KP_BUF_INIT;
			params_str(n, &params);
			for (size_t c = 0; c < nc; c++) {
				switch (idx[c]) {
				case KP_COL_CODE: cells[c] = n->code; break;
				case KP_COL_PATH: cells[c] = n->path; break;
				case KP_COL_POINTS:
					cells[c] = n->has_points
						? kp_num_str(n->points, pts) : "";
					break;
				case KP_COL_RULE:
					cells[c] = n->rule_written
						? kp_rule_name(n->rule) : "";
					break;
				case KP_COL_PARAMS:
					cells[c] = params.data ? params.data : "";
					break;
				default:
					cells[c] = n->text[idx[c] - KP_COL_TEXT0];
				}
			}
			put_row(out, cells, nc);
			kp_buf_release(&params);
		}
	}
	return 0;
}

/* ---- comparing ------------------------------------------------------- */

static bool same_node(const kp_node *x, const kp_node *y, char *why,
		      size_t whylen)
{
	kp_buf px = KP_BUF_INIT, py = KP_BUF_INIT;
	bool same;
	if (strcmp(x->path, y->path)) {
		snprintf(why, whylen, "节点路径不同：%s 与 %s", x->path, y->path);
		return false;
	}
	if (x->has_points != y->has_points ||
	    (x->has_points && kp_num_cmp(x->points, y->points))) {
		snprintf(why, whylen, "%s 的分值不同", x->path);
		return false;
	}
	if (x->rule != y->rule) {
		snprintf(why, whylen, "%s 的规则不同：%s 与 %s", x->path,
			 kp_rule_name(x->rule), kp_rule_name(y->rule));
		return false;
	}
	params_str(x, &px);
	params_str(y, &py);
	same = !strcmp(px.data ? px.data : "", py.data ? py.data : "");
	kp_buf_release(&px);
	kp_buf_release(&py);
	if (!same) {
		snprintf(why, whylen, "%s 的参数不同", x->path);
		return false;
	}
	for (int k = 0; k < KP_T_COUNT; k++)
		if (strcmp(x->text[k], y->text[k])) {
			snprintf(why, whylen, "%s 的“%s”列不同：“%s”与“%s”",
				 x->path, kp_ind_cols[KP_COL_TEXT0 + k], x->text[k],
				 y->text[k]);
			return false;
		}
	if (x->nchildren != y->nchildren) {
		snprintf(why, whylen, "%s 的子项数不同：%zu 与 %zu", x->path,
			 x->nchildren, y->nchildren);
		return false;
	}
	for (size_t i = 0; i < x->nchildren; i++)
		if (!same_node(x->children[i], y->children[i], why, whylen))
			return false;
	return true;
}

/* Depth first, so that two tables listing the same tree in different row
 * orders compare equal. */
bool kp_table_same_tree(const kp_table *a, const kp_table *b, char *why,
			size_t whylen)
{
	if (a->nroots != b->nroots) {
		snprintf(why, whylen, "一级指标数不同：%zu 与 %zu", a->nroots,
			 b->nroots);
		return false;
	}
	for (size_t i = 0; i < a->nroots; i++)
		if (!same_node(a->roots[i], b->roots[i], why, whylen))
			return false;
	return true;
}
