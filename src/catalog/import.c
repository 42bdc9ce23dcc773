/* catalog/import.c — read an indicator table laid out as offices publish
 * it (一级指标/二级指标/…/分值/评估内容…, merged cells blank, points
 * inside names) and turn it into the canonical form.  The header row is
 * header.c's; this file reads the rows: levels from level columns or from
 * the numbering inside names (一、 （一） 1. 1.1 ①), 合计/小计 rows checked
 * against the sum, grade bands as columns or rows, and for each leaf the
 * rule its criteria propose (propose.c), kept with 确定 / 需确认 for the
 * report.
 *
 * The importer builds the canonical CSV text and parses it with
 * kp_table_parse, so what it produces is exactly what kaoping loads. */
#include "catalog/import_int.h"

#include <stdlib.h>
#include <string.h>

/* Rows that total the table, not indicators. */
static const char *const total_words[] = { "合计", "总计", "总分", "小计" };

/* ---- small helpers --------------------------------------------------- */

/* Remove the line breaks a merged cell puts inside a name, with the blanks
 * around them ("行政权力信息公开\n\n（30分）"); other spaces are part of
 * the name and stay.  In place; returns s. */
static char *join_lines(char *s)
{
	char *r = s, *w = s;
	while (*r) {
		char *run = r;
		bool brk = false;
		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			brk |= *r == '\n' || *r == '\r';
			r++;
		}
		if (r > run) {
			if (!brk)
				while (run < r)
					*w++ = *run++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	return kp_trim(s);
}

/* Points as offices write them: "30", "2.5", "30分". */
static bool points_text(const char *s, char *out, size_t n)
{
	size_t k = strlen(s);
	kp_num v;
	if (k >= strlen("分") && !strcmp(s + k - strlen("分"), "分"))
		k -= strlen("分");
	if (k >= n)
		return false;
	memcpy(out, s, k);
	out[k] = '\0';
	kp_trim(out);
	return *out && kp_num_parse(out, &v) == 0;
}

static bool is_number(const char *s)
{
	kp_num v;
	return *s && kp_num_parse(s, &v) == 0;
}

/* Split "政务公开 (30分)" into name and points; returns the points text
 * (owned) or NULL.  name is modified in place. */
static char *points_in_name(char *name)
{
	char *open = NULL, *p;
	char *pts;
	size_t k;
	for (p = name; *p; p++) {
		if (*p == '(')
			open = p;
		else if (!strncmp(p, "（", strlen("（")))
			open = p;
	}
	if (!open)
		return NULL;
	p = open + (*open == '(' ? 1 : strlen("（"));
	while (*p == ' ')
		p++;
	k = 0;
	while ((p[k] >= '0' && p[k] <= '9') || p[k] == '.')
		k++;
	if (!k)
		return NULL;
	pts = kp_xstrndup(p, k);
	p += k;
	while (*p == ' ')
		p++;
	if (!strncmp(p, "分", strlen("分")))
		p += strlen("分");
	while (*p == ' ')
		p++;
	if (*p == ')')
		p++;
	else if (!strncmp(p, "）", strlen("）")))
		p += strlen("）");
	else {
		free(pts);
		return NULL;
	}
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	if (*p || !is_number(pts)) {
		free(pts);
		return NULL;
	}
	*open = '\0';
	return pts;
}

static void inode_free(inode *n)
{
	free(n->name);
	free(n->points);
	free(n->code);
	free(n->rule);
	free(n->params);
	for (int i = 0; i < KP_T_COUNT; i++)
		kp_buf_release(&n->text[i]);
	kp_buf_release(&n->grades);
	kp_buf_release(&n->bands);
	free(n->band_rows);
	free(n);
}

void kp_import_report_release(kp_import_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r->header_where);
	for (size_t i = 0; i < r->nrows; i++) {
		free(r->rows[i].rule);
		free(r->rows[i].words);
		free(r->rows[i].why);
	}
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/* ---- rows ------------------------------------------------------------ */

static inode *new_node(importer *im, const char *name, int level,
		       inode *parent, size_t line)
{
	inode *n = kp_xcalloc(1, sizeof(*n));
	n->name = kp_xstrdup(name);
	n->level = level;
	n->parent = parent;
	n->line = line;
	for (int i = 0; i < KP_T_COUNT; i++)
		kp_buf_init(&n->text[i], KP_SHEET_DEFAULT_MAX);
	kp_buf_init(&n->grades, 0);
	kp_buf_init(&n->bands, 0);
	im->nodes = kp_xrealloc(im->nodes, (im->nnodes + 1) * sizeof(inode *));
	im->nodes[im->nnodes++] = n;
	return n;
}

/* The most recent child of parent named name. */
static inode *find_child(importer *im, inode *parent, const char *name,
			 int level)
{
	for (size_t i = im->nnodes; i-- > 0;)
		if (im->nodes[i]->parent == parent &&
		    im->nodes[i]->level == level &&
		    !strcmp(im->nodes[i]->name, name))
			return im->nodes[i];
	return NULL;
}

static bool row_is_header_repeat(importer *im, size_t hdr, size_t r)
{
	bool any = false;
	for (size_t c = 0; c < im->ncols; c++) {
		char *a = imp_norm_header(kp_sheet_cell(im->s, hdr, c));
		char *b = imp_norm_header(kp_sheet_cell(im->s, r, c));
		bool same = !strcmp(a, b);
		any |= *b != '\0';
		free(a);
		free(b);
		if (!same)
			return false;
	}
	return any;
}

static int set_points(importer *im, size_t r, inode *n, const char *cell)
{
	char pts[64];
	if (!points_text(cell, pts, sizeof(pts))) {
		return kp_fail(im->e, KP_EINPUT,
			       "%s:%zu: “%s”的分值“%s”不是数字",
			       kp_sheet_name(im->s), kp_sheet_line(im->s, r),
			       n->name, cell);
	}
	if (n->points) {
		kp_num a, b;
		kp_num_parse(n->points, &a);
		kp_num_parse(pts, &b);
		if (kp_num_cmp(a, b))
			imp_unplaced(im, r,
				 "“%s”已有分值 %s，此行又写 %s；保留前者", n->name,
				 n->points, pts);
		return 0;
	}
	n->points = kp_xstrdup(pts);
	return 0;
}

static void add_text(inode *n, int which, const char *s)
{
	if (!*s)
		return;
	if (n->text[which].len)
		kp_buf_addc(&n->text[which], '\n');
	kp_buf_adds(&n->text[which], s);
}


/* The level a numbering style stands for: styles nest in the order a
 * table first uses them (一、 then （一） then 1. …). */
static int style_level(importer *im, int style)
{
	for (int i = 0; i < im->nstyles; i++)
		if (im->styles[i] == style)
			return i + 1;
	if (im->nstyles < (int)(sizeof(im->styles) / sizeof(im->styles[0])))
		im->styles[im->nstyles++] = style;
	return im->nstyles;
}

/* A flat list: the level of the item named in name[1], from its 序号 or
 * the numbering in front of its name (which is taken off the name). */
static void flat_level(importer *im, const char *seq, char *name[],
		       char *inpts[])
{
	size_t len, nl = 0;
	int style = NUM_NONE, level = 1, top = 0, own;
	if (seq) {
		char *q = kp_squeeze(kp_xstrdup(seq));
		style = imp_numbering(q, true, &len);
		free(q);
	}
	own = imp_numbering(name[1], false, &nl);
	if (own != NUM_NONE && name[1][nl]) {
		/* the number goes; a name that is only a number stays */
		if (style == NUM_NONE)
			style = own;
		memmove(name[1], name[1] + nl, strlen(name[1] + nl) + 1);
		kp_trim(name[1]);
	}
	if (style != NUM_NONE)
		level = style_level(im, style);
	for (int k = 1; k <= MAX_LEVELS; k++)
		if (im->ctx[k])
			top = k;
	if (level > top + 1)
		level = top + 1;
	if (level > MAX_LEVELS)
		level = MAX_LEVELS;
	if (level > 1) {
		name[level] = name[1];
		inpts[level] = inpts[1];
		name[1] = NULL;
		inpts[1] = NULL;
	}
}

static bool is_total_word(const char *v, bool *sub)
{
	char buf[64];
	size_t n = 0;
	for (const char *p = v; *p && n + 1 < sizeof(buf); p++)
		if (*p != ' ' && *p != '\t')
			buf[n++] = *p;
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof(total_words) / sizeof(total_words[0]);
	     i++)
		if (!strcmp(buf, total_words[i])) {
			*sub = !strcmp(buf, "小计");
			return true;
		}
	return false;
}

/* A node's points: its own, else the sum of its children's (a level
 * the table leaves without points).  False when neither has any. */
static bool node_points(importer *im, const inode *n, kp_num *v)
{
	bool any = false;
	const char *rule = n->rule;
	*v = kp_num_int(0);
	if (rule && (!strcmp(rule, "bonus") || !strcmp(rule, "veto")))
		return false;
	if (n->points)
		return kp_num_parse(n->points, v) == 0;
	for (size_t i = 0; i < im->nnodes; i++) {
		kp_num c;
		if (im->nodes[i]->parent == n && node_points(im, im->nodes[i], &c) &&
		    kp_num_add(*v, c, v) == 0)
			any = true;
	}
	return any;
}

/* Sum of the points of the roots [from, to) that count towards a total
 * (not bonus or veto); *nroots gets the number of roots so far. */
static bool roots_sum(importer *im, size_t from, size_t to, kp_num *sum,
		      size_t *nroots)
{
	size_t k = 0;
	bool any = false;
	*sum = kp_num_int(0);
	for (size_t i = 0; i < im->nnodes; i++) {
		kp_num v;
		if (im->nodes[i]->parent)
			continue;
		if (k++ < from || k > to)
			continue;
		if (node_points(im, im->nodes[i], &v) &&
		    kp_num_add(*sum, v, sum) == 0)
			any = true;
	}
	*nroots = k;
	return any;
}

/* A 合计/总分/小计 row: checked against the sum, not an indicator. */
static void total_row(importer *im, size_t r, const char *word_cell,
		      const char *pts)
{
	bool sub = false;
	char p[64];
	kp_num declared, sum;
	size_t nroots;
	is_total_word(word_cell, &sub);
	if (!pts || !points_text(pts, p, sizeof(p))) {
		imp_unplaced(im, r, "“%s”行没有分值；此行未导入", word_cell);
		return;
	}
	kp_num_parse(p, &declared);
	roots_sum(im, 0, (size_t)-1, &sum, &nroots);
	if (im->nchecks < sizeof(im->checks) / sizeof(im->checks[0]))
		im->checks[im->nchecks++] = (struct total_check){
			r, sub ? im->nsub : 0, nroots, declared, sub };
	if (sub) {
		im->nsub = nroots;
	} else if (!im->has_total) {
		im->has_total = true;
		snprintf(im->total, sizeof(im->total), "%s", p);
		im->total_row = r;
	}
}

static void add_band(inode *n, const char *v)
{
	char p[64];
	kp_num x;
	if (!points_text(v, p, sizeof(p)) || kp_num_parse(p, &x) < 0) {
		n->bands_numeric = false;
		return;
	}
	if (!n->bands.len) {
		n->bands_numeric = true;
		n->band_top = x;
	} else if (kp_num_cmp(x, n->band_top) > 0) {
		n->band_top = x;
	}
	kp_buf_addf(&n->bands, "%s%s", n->bands.len ? "," : "", p);
}

/* The points cell of row r, or NULL. */
static const char *row_points(importer *im, size_t r)
{
	for (size_t c = 0; c < im->ncols; c++)
		if (im->cols[c].target == T_POINTS &&
		    *kp_sheet_cell(im->s, r, c))
			return kp_sheet_cell(im->s, r, c);
	return NULL;
}

/* Rows with points and no name under an item are its grade bands when
 * they step down from the item's points to 0 (2 / 1 / 0); otherwise they
 * cannot be placed and are reported, as before. */
static void settle_bands(importer *im, inode *n)
{
	kp_num prev, v;
	char p[64];
	bool ok = true, have_prev = false;
	if (!n->nband_rows)
		return;
	if (n->points && kp_num_parse(n->points, &prev) == 0)
		have_prev = true;
	for (size_t i = 0; i < n->nband_rows && ok; i++) {
		const char *c = row_points(im, n->band_rows[i]);
		ok = c && points_text(c, p, sizeof(p)) &&
		     kp_num_parse(p, &v) == 0 &&
		     (!have_prev || kp_num_cmp(v, prev) < 0);
		prev = v;
		have_prev = true;
	}
	ok = ok && kp_num_is_zero(prev);
	for (size_t i = 0; i < n->nband_rows; i++) {
		size_t r = n->band_rows[i];
		const char *c = row_points(im, r);
		if (!ok) {
			imp_unplaced(im, r, "有分值“%s”但没有指标名称；此行未导入",
				 c ? c : "");
			continue;
		}
		points_text(c, p, sizeof(p));
		if (i == 0 && n->points)
			add_band(n, n->points);
		add_band(n, p);
		for (size_t k = 0; k < im->ncols; k++) {
			const char *t = kp_sheet_cell(im->s, r, k);
			kp_buf b = KP_BUF_INIT;
			if (im->cols[k].target != T_TEXT || !*t)
				continue;
			kp_buf_addf(&b, "%s（%s分）", t, p);
			add_text(n, im->cols[k].arg, b.data);
			kp_buf_release(&b);
		}
	}
}

/* ---- one row ------------------------------------------------------------
 *
 * A row is read in two passes over its cells: first what places it in the
 * tree (names per level, points, the path, the 序号), then — once the node
 * it belongs to is known — what it says about that node (texts, notes,
 * code, rule, grades).  In between: a repeated header, a 合计 row, the
 * levels of a flat list or a path, a row without a name (a grade band or
 * a merged-cell continuation), or the nodes its names make. */

/* What one row places: its names per level (owned) and the points inside
 * them (owned), a level's own points column, the points, path and 序号
 * cells (borrowed from the sheet). */
typedef struct rowv {
	char *name[MAX_LEVELS + 1];
	char *inpts[MAX_LEVELS + 1];
	const char *lpts[MAX_LEVELS + 1];
	const char *pts, *path, *seq;
	int deepest;
	bool data, text;
} rowv;

static void rowv_release(rowv *v)
{
	for (int k = 0; k <= MAX_LEVELS; k++) {
		free(v->name[k]);
		free(v->inpts[k]);
	}
}

/* A level column's cell: the name, its points taken out ("组织领导（20分）"),
 * its line breaks joined, '/' written ／.  NULL (nothing) when blank. */
static char *level_name(importer *im, size_t r, const char *cell,
			char **inpts)
{
	char *nm = kp_xstrdup(cell);
	char *p = points_in_name(nm);
	join_lines(nm);
	if (!*nm) {
		free(nm);
		free(p);
		return NULL;
	}
	if (strchr(nm, '/')) {
		/* '/' separates levels in a path: write the full-width ／ the
		 * format asks for, and say so */
		kp_buf b = KP_BUF_INIT;
		for (const char *q = nm; *q; q++)
			if (*q == '/')
				kp_buf_adds(&b, "／");
			else
				kp_buf_addc(&b, *q);
		imp_unplaced(im, r,
			     "名称“%s”中的“/”已写作“／”（“/”在路径中分隔层级），请核对",
			     nm);
		free(nm);
		nm = kp_buf_detach(&b);
	}
	*inpts = p;
	return nm;
}

/* First pass: what places row r. */
static void read_place(importer *im, size_t r, rowv *v)
{
	for (size_t c = 0; c < im->ncols; c++) {
		const char *cell = kp_sheet_cell(im->s, r, c);
		column *col = &im->cols[c];
		if (!*cell)
			continue;
		switch (col->target) {
		case T_LEVEL: {
			char *p = NULL;
			char *nm = level_name(im, r, cell, &p);
			if (!nm)
				break;
			free(v->name[col->arg]);
			free(v->inpts[col->arg]);
			v->name[col->arg] = nm;
			v->inpts[col->arg] = p;
			break;
		}
		case T_LPOINTS:
			v->lpts[col->arg] = cell;
			break;
		case T_POINTS:
			v->pts = cell;
			v->data = true;
			break;
		case T_PATH:
			v->path = cell;
			break;
		case T_SEQ:
			v->seq = cell;
			break;
		case T_IGNORE:
		case T_NONE:
			break;
		case T_TEXT:
		case T_GRADE:
		case T_EXTRA:
			v->text = true;
			v->data = true;
			break;
		default:
			v->data = true;
		}
	}
}

/* A 合计 / 总分 / 小计 row, in the 序号 column or a name column: checked
 * (total_row), not an indicator.  Whether it is one. */
static bool row_total(importer *im, size_t r, const rowv *v)
{
	const char *total = NULL, *tp = v->pts;
	bool sub;
	if (v->seq && is_total_word(v->seq, &sub))
		total = v->seq;
	for (int k = 1; k <= MAX_LEVELS && !total; k++)
		if (v->name[k] && is_total_word(v->name[k], &sub))
			total = v->name[k];
	if (!total)
		return false;
	for (int k = 1; k <= MAX_LEVELS && !tp; k++)
		tp = v->inpts[k] ? v->inpts[k] : v->lpts[k];
	total_row(im, r, total, tp);
	return true;
}

/* A path column: the row's names are its segments. */
static int path_names(importer *im, size_t r, rowv *v)
{
	char *copy = kp_xstrdup(v->path), *save = NULL, *tok;
	int k = 0;
	for (tok = strtok_r(copy, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (k == MAX_LEVELS) {
			free(copy);
			return kp_fail(im->e, KP_EINPUT,
				       "%s:%zu: 路径“%s”超过 %d 级（导入最多支持四级指标）",
				       kp_sheet_name(im->s),
				       kp_sheet_line(im->s, r), v->path,
				       MAX_LEVELS);
		}
		free(v->name[++k]);
		v->name[k] = kp_trim(kp_xstrdup(tok));
	}
	free(copy);
	return 0;
}

/* A row with no name: a grade band of the item above (settled later), a
 * merged-cell continuation of it (*node), or a row reported and left.
 * *node stays NULL when the row is done with. */
static void row_nameless(importer *im, size_t r, const rowv *v,
			 inode **node)
{
	inode *cur = NULL;
	*node = NULL;
	for (int k = MAX_LEVELS; k >= 1 && !cur; k--)
		cur = im->ctx[k];
	if (v->pts && cur && v->text) {
		/* perhaps a grade band as its own row under its item (完整 2 /
		 * 基本完整 1 / 不完整 0): settled once the item's rows are all
		 * read (settle_bands) */
		cur->band_rows = kp_xrealloc(cur->band_rows,
					     (cur->nband_rows + 1) *
						     sizeof(size_t));
		cur->band_rows[cur->nband_rows++] = r;
	} else if (v->pts) {
		imp_unplaced(im, r, "有分值“%s”但没有指标名称；此行未导入",
			     v->pts);
	} else if (v->data && !cur) {
		imp_unplaced(im, r, "表头下第一行就没有指标名称；此行未导入");
	} else if (v->data) {
		*node = cur;   /* a merged-cell continuation of the node above */
	}
}

/* A row with names: the nodes they make (or find, for a level carried
 * down), the deepest in *node. */
static int row_named(importer *im, size_t r, const rowv *v, inode **node)
{
	inode *parent = NULL;
	for (int k = 1; k <= v->deepest; k++) {
		inode *n;
		if (!v->name[k]) {
			if (!im->ctx[k] || im->ctx[k]->parent != parent)
				return kp_fail(im->e, KP_EINPUT,
					       "%s:%zu: 有%s级指标“%s”，但缺少第 %d 级指标（上面也没有可沿用的）",
					       kp_sheet_name(im->s),
					       kp_sheet_line(im->s, r),
					       v->deepest == 2   ? "二"
					       : v->deepest == 3 ? "三"
								 : "四",
					       v->name[v->deepest], k);
			parent = im->ctx[k];
			continue;
		}
		n = NULL;
		if (k < v->deepest || (!v->data && !im->have_code &&
				       !v->lpts[k] && !v->inpts[k]))
			n = find_child(im, parent, v->name[k], k);
		if (!n)
			n = new_node(im, v->name[k], k, parent,
				     kp_sheet_line(im->s, r));
		im->ctx[k] = n;
		for (int j = k + 1; j <= MAX_LEVELS; j++)
			im->ctx[j] = NULL;
		if (v->inpts[k] && set_points(im, r, n, v->inpts[k]) < 0)
			return -1;
		if (v->lpts[k] && set_points(im, r, n, v->lpts[k]) < 0)
			return -1;
		parent = n;
	}
	*node = parent;
	return 0;
}

/* Second pass: what row r says about node. */
static void read_about(importer *im, size_t r, inode *node)
{
	for (size_t c = 0; c < im->ncols; c++) {
		const char *v = kp_sheet_cell(im->s, r, c);
		column *col = &im->cols[c];
		if (!*v)
			continue;
		switch (col->target) {
		case T_TEXT:
			add_text(node, col->arg, v);
			break;
		case T_EXTRA: {
			kp_buf t2 = KP_BUF_INIT;
			kp_buf_addf(&t2, "%s：%s", col->header, v);
			add_text(node, KP_T_NOTE, t2.data);
			kp_buf_release(&t2);
			break;
		}
		case T_CODE:
			free(node->code);
			node->code = kp_trim(kp_xstrdup(v));
			break;
		case T_RULE:
			free(node->rule);
			node->rule = kp_trim(kp_xstrdup(v));
			break;
		case T_PARAMS:
			free(node->params);
			node->params = kp_trim(kp_xstrdup(v));
			break;
		case T_GRADE:
			kp_buf_addf(&node->grades, "%s%s：%s",
				    node->grades.len ? "；" : "", col->header, v);
			add_band(node, v);
			break;
		default:
			break;
		}
	}
}

/* The names of row r that are numbers: points printed in the wrong
 * column.  Reported; whether there was one. */
static bool number_names(importer *im, size_t r, const rowv *v)
{
	for (int k = 1; k <= v->deepest; k++)
		if (v->name[k] && is_number(v->name[k])) {
			imp_unplaced(im, r,
				     "%s级指标列是数字“%s”，像是分值印错了列；此行未导入",
				     k == 1 ? "一" : k == 2 ? "二" : k == 3 ? "三" : "四",
				     v->name[k]);
			return true;
		}
	return false;
}

static int do_row(importer *im, size_t hdr, size_t r)
{
	rowv v;
	inode *node = NULL;
	int rc = -1;
	memset(&v, 0, sizeof(v));
	read_place(im, r, &v);
	if (row_is_header_repeat(im, hdr, r) || row_total(im, r, &v)) {
		rc = 0;
		goto out;
	}
	if (im->flat && v.name[1])
		flat_level(im, v.seq, v.name, v.inpts);
	if (v.path && path_names(im, r, &v) < 0)
		goto out;
	for (int k = 1; k <= MAX_LEVELS; k++)
		if (v.name[k])
			v.deepest = k;
	if (number_names(im, r, &v)) {
		rc = 0;
		goto out;
	}
	if (!v.deepest)
		row_nameless(im, r, &v, &node);
	else if (row_named(im, r, &v, &node) < 0)
		goto out;
	if (!node) {
		rc = 0;   /* a band, or a row reported and left */
		goto out;
	}
	if (v.pts && set_points(im, r, node, v.pts) < 0)
		goto out;
	read_about(im, r, node);
	node->has_data |= v.data;
	rc = 0;
out:
	rowv_release(&v);
	return rc;
}

/* ---- output ---------------------------------------------------------- */

static void node_path(const inode *n, kp_buf *b)
{
	if (n->parent) {
		node_path(n->parent, b);
		kp_buf_addc(b, '/');
	}
	kp_buf_adds(b, n->name);
}

static void put(kp_buf *b, const char *s, bool last)
{
	kp_csv_put(b, s ? s : "");
	kp_buf_addc(b, last ? '\n' : ',');
}

static size_t lines_in(const kp_buf *b)
{
	size_t n = 1;
	for (size_t i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

/* The rule a leaf's words propose, unless the sheet writes rules itself
 * (kaoping's own layouts: a 规则 or 编号 column). */
/* Grades the importer itself wrote into a criteria text, read back so
 * that import → published export → import keeps them: grade columns as
 * "优：10；良：8；一般：6；差：0", grade rows as "栏目齐全\n基本齐全（1分）\n
 * 不齐全（0分）" under an item of 2 points (stepping down to 0).  Fills
 * n->bands; false (bands untouched) when the text is not one of these. */
static bool bands_in_text(inode *n, const char *text)
{
	kp_buf b = KP_BUF_INIT;
	char *copy = kp_xstrdup(text), *save = NULL, *seg;
	char p[64];
	kp_num prev, v;
	size_t k = 0;
	bool ok = true;
	if (!strchr(text, '\n')) {
		/* 优：10；良：8 … */
		for (char *q = copy; *q; q++)
			if (!strncmp(q, "；", strlen("；"))) {
				memset(q, '\n', strlen("；"));
				q += strlen("；") - 1;
			}
		for (seg = strtok_r(copy, "\n", &save); seg && ok;
		     seg = strtok_r(NULL, "\n", &save), k++) {
			char *c = strstr(seg, "：");
			ok = c && c > seg &&
			     points_text(c + strlen("："), p, sizeof(p));
			if (ok)
				kp_buf_addf(&b, "%s%s", k ? "\n" : "", p);
		}
	} else if (n->points && kp_num_parse(n->points, &prev) == 0) {
		/* 栏目齐全 / 基本齐全（1分） / 不齐全（0分） */
		kp_buf_adds(&b, n->points);
		for (seg = strtok_r(copy, "\n", &save); seg && ok;
		     seg = strtok_r(NULL, "\n", &save), k++) {
			char *tail = kp_xstrdup(seg), *pts = points_in_name(tail);
			if (k == 0)
				ok = !pts;
			else
				ok = pts && kp_num_parse(pts, &v) == 0 &&
				     kp_num_cmp(v, prev) < 0;
			if (ok && k) {
				prev = v;
				kp_buf_addf(&b, "\n%s", pts);
			}
			free(pts);
			free(tail);
		}
		ok = ok && kp_num_is_zero(prev);
	} else {
		ok = false;
	}
	ok = ok && k >= 2;
	if (ok) {
		char *save2 = NULL;
		for (seg = strtok_r(b.data, "\n", &save2); seg;
		     seg = strtok_r(NULL, "\n", &save2))
			add_band(n, seg);
		ok = n->bands_numeric;
	}
	free(copy);
	kp_buf_release(&b);
	return ok;
}

static void propose(importer *im, inode *n)
{
	const kp_buf *txt;
	kp_proposal *p = &n->prop;
	kp_num pts;
	bool has_points;
	if (im->have_rule || im->have_code || n->has_children)
		return;
	n->proposed = true;
	has_points = n->points && kp_num_parse(n->points, &pts) == 0;
	if (!n->bands.len && n->text[KP_T_CRITERIA].len)
		bands_in_text(n, n->text[KP_T_CRITERIA].data);
	if (n->bands.len && n->bands_numeric) {
		/* grades as columns or rows: the assessor picks a band */
		memset(p, 0, sizeof(*p));
		p->rule = KP_RULE_JUDGED;
		p->written = true;
		p->sure = true;
		snprintf(p->params, sizeof(p->params), "grades=%s",
			 n->bands.data);
		snprintf(p->words, sizeof(p->words), "按档：%s",
			 n->bands.data);
		if (!has_points) {
			char b[32];
			free(n->points);
			n->points = kp_xstrdup(kp_num_str(n->band_top, b));
		} else if (kp_num_cmp(n->band_top, pts) > 0) {
			p->sure = false;
			snprintf(p->why, sizeof(p->why),
				 "最高一档 %s 分大于本项分值", n->bands.data);
		}
	} else {
		txt = n->text[KP_T_CRITERIA].len ? &n->text[KP_T_CRITERIA]
						 : &n->text[KP_T_CONTENT];
		kp_rule_propose(txt->data, has_points, has_points ? pts : kp_num_int(0),
				p);
	}
	if (!p->written)
		return;
	/* a rule the loader would refuse is left for a person: veto has no
	 * points of its own; the others need them */
	if (p->rule == KP_RULE_VETO ? has_points
				    : !has_points && !p->set_points)
		return;
	if (p->set_points) {
		char b[32];
		free(n->points);
		n->points = kp_xstrdup(kp_num_str(p->points, b));
	}
	n->rule = kp_xstrdup(kp_rule_name(p->rule));
	n->params = kp_xstrdup(p->params);
}

static void emit(importer *im, const char *title, kp_buf *out)
{
	const char *id = im->o && im->o->id ? im->o->id : "imported";
	kp_buf_adds(out, "#meta,format," KP_TABLE_FORMAT "\n#meta,kind,indicators\n");
	kp_buf_adds(out, "#meta,id,");
	kp_csv_put(out, id);
	kp_buf_adds(out, "\n#meta,title,");
	kp_csv_put(out, title);
	kp_buf_adds(out, "\n#meta,source,");
	kp_csv_put(out, kp_sheet_name(im->s));
	if (im->docno) {
		kp_buf_adds(out, "\n#meta,docno,");
		kp_csv_put(out, im->docno);
	}
	if (im->year) {
		kp_buf_adds(out, "\n#meta,year,");
		kp_csv_put(out, im->year);
	}
	if (im->has_total) {
		kp_buf_adds(out, "\n#meta,total,");
		kp_csv_put(out, im->total);
	}
	kp_buf_adds(out, "\ncode,path,points,rule,params,applies,units,check,"
			 "content,criteria,report,note,quirk\n");
	for (size_t i = 0; i < im->nnodes; i++)
		if (im->nodes[i]->parent)
			im->nodes[i]->parent->has_children = true;
	for (size_t i = 0; i < im->nnodes; i++) {
		inode *n = im->nodes[i];
		kp_buf path = KP_BUF_INIT;
		node_path(n, &path);
		if (n->grades.len) {
			/* grade columns read as part of the scoring text */
			if (n->text[KP_T_CRITERIA].len)
				kp_buf_addc(&n->text[KP_T_CRITERIA], '\n');
			kp_buf_add(&n->text[KP_T_CRITERIA], n->grades.data,
				   n->grades.len);
			kp_buf_reset(&n->grades);
		}
		propose(im, n);
		n->gen_line = lines_in(out);
		put(out, n->code, false);
		put(out, path.data, false);
		put(out, n->points, false);
		put(out, n->rule, false);
		put(out, n->params, false);
		for (int k = 0; k < KP_T_COUNT; k++)
			put(out, n->text[k].data, k == KP_T_COUNT - 1);
		kp_buf_release(&path);
	}
}

/* The canonical text is ours, but what it refuses (a rule name, a
 * parameter, an id) came from the sheet or the options: turn the line of
 * the generated text in e->msg back into the line of the sheet. */
static void relocate(importer *im, kp_err *e)
{
	const char *name = kp_sheet_name(im->s);
	char rest[sizeof(e->msg)];
	const inode *at = NULL;
	size_t gen = e->line;
	if (!gen || strcmp(e->file, name))
		return;
	snprintf(rest, sizeof(rest), "%s", kp_err_reason(e));
	for (size_t i = 0; i < im->nnodes; i++)
		if (im->nodes[i]->gen_line <= gen &&
		    (!at || im->nodes[i]->gen_line > at->gen_line))
			at = im->nodes[i];
	if (at)
		kp_fail_at(e, KP_EINPUT, name, at->line, "%s", rest);
	else
		kp_fail(e, KP_EINPUT, "导入选项无效：%s", rest);
}


/* The import report: every node with its rule; the codes of the rules a
 * person must confirm go in one #meta,confirm row (see kp_lint_confirm). */
static void report_rows(importer *im, kp_table *t)
{
	kp_import_report *rep = im->rep;
	kp_buf codes = KP_BUF_INIT;
	rep->rows = kp_xcalloc(t->nnodes ? t->nnodes : 1, sizeof(*rep->rows));
	for (size_t i = 0; i < t->nnodes && i < im->nnodes; i++) {
		const inode *in = im->nodes[i];
		kp_import_row *row = &rep->rows[rep->nrows++];
		kp_buf b = KP_BUF_INIT;
		row->node = t->nodes[i];
		row->line = in->line;
		kp_rule_describe(t->nodes[i], &b);
		row->rule = kp_buf_detach(&b);
		row->from_sheet = !in->proposed;
		row->sure = !in->proposed || in->prop.sure;
		row->words = kp_xstrdup(in->proposed ? in->prop.words : "");
		row->why = kp_xstrdup(row->sure ? "" : in->prop.why);
		if (!row->sure) {
			rep->unsure++;
			kp_buf_addf(&codes, "%s%s", codes.len ? " " : "",
				    t->nodes[i]->code);
		}
	}
	if (codes.len) {
		t->meta = kp_xrealloc(t->meta, (t->nmeta + 1) * sizeof(*t->meta));
		t->meta[t->nmeta].key = kp_xstrdup("confirm");
		t->meta[t->nmeta].value = kp_buf_detach(&codes);
		t->meta[t->nmeta].line = 0;
		t->nmeta++;
	}
	kp_buf_release(&codes);
}

/* The 合计 / 小计 rows against the sum of the roots above them, once
 * the rules (bonus and veto count in no total) are known. */
static void check_totals(importer *im)
{
	for (size_t i = 0; i < im->nchecks; i++) {
		const struct total_check *c = &im->checks[i];
		kp_num sum;
		size_t n;
		char a[32], b[32];
		roots_sum(im, c->from, c->to, &sum, &n);
		if (kp_num_cmp(c->declared, sum))
			imp_unplaced(im, c->row,
				 "%s写 %s 分，%s各一级指标分值之和为 %s 分",
				 c->sub ? "小计" : "合计",
				 kp_num_str(c->declared, a),
				 c->sub ? "其上" : "", kp_num_str(sum, b));
	}
}

/* The node order of the canonical output must put parents first, which
 * creation order already does: a node is created after its parent. */

int kp_import(const kp_sheet *s, const kp_import_opts *o, kp_table **out,
	      kp_import_report *rep, kp_err *e)
{
	importer im;
	long hdr;
	kp_buf csv = KP_BUF_INIT;
	char *title = NULL;
	int rc = -1;

	*out = NULL;
	memset(rep, 0, sizeof(*rep));
	memset(&im, 0, sizeof(im));
	im.s = s;
	im.o = o;
	im.rep = rep;
	im.e = e;
	kp_buf_init(&csv, KP_SHEET_DEFAULT_MAX * 2);

	if (imp_check_maps(&im) < 0)
		goto out;
	if (!kp_sheet_nrows(s)) {
		kp_fail(e, KP_EINPUT, "%s: 表格没有任何内容", kp_sheet_name(s));
		goto out;
	}
	/* a quota table or a point standard: imported as what it is */
	rc = imp_other_kinds(&im, out);
	if (rc != 0) {
		rc = rc > 0 ? 0 : -1;
		goto out;
	}
	rc = -1;
	hdr = imp_find_header(&im);
	if (hdr < 0) {
		kp_fail(e, KP_EINPUT,
			"%s: 前 30 行中找不到表头（需要“一级指标”“二级指标”等列名，以及“分值”“评估内容”等至少一列）；列名不同时请用 --map '列名=一级指标'",
			kp_sheet_name(s));
		goto out;
	}
	{
		kp_buf w = KP_BUF_INIT;
		kp_buf_addf(&w, "%s:%zu", kp_sheet_name(s),
			    kp_sheet_line(s, (size_t)hdr));
		rep->header_where = kp_buf_detach(&w);
	}
	if (imp_read_header(&im, (size_t)hdr) < 0)
		goto out;
	title = imp_title_rows(&im, (size_t)hdr);
	for (size_t r = (size_t)hdr + 1; r < kp_sheet_nrows(s); r++) {
		rep->rows_read++;
		if (imp_extra_cells(&im, r) < 0 || do_row(&im, (size_t)hdr, r) < 0)
			goto out;
	}
	if (!im.nnodes) {
		kp_fail(e, KP_EINPUT, "%s: 表头下面没有任何指标行",
			kp_sheet_name(s));
		goto out;
	}
	for (size_t i = 0; i < im.nnodes; i++)
		settle_bands(&im, im.nodes[i]);
	emit(&im, o && o->title ? o->title : title ? title : kp_sheet_name(s),
	     &csv);
	check_totals(&im);
	if (kp_table_parse(kp_sheet_name(s), csv.data, csv.len, out, e) < 0) {
		relocate(&im, e);
		goto out;
	}
	rep->nodes = im.nnodes;
	report_rows(&im, *out);
	rc = 0;
out:
	for (size_t i = 0; i < im.nnodes; i++)
		inode_free(im.nodes[i]);
	free(im.nodes);
	for (size_t c = 0; c < im.ncols; c++)
		free(im.cols[c].header);
	free(im.cols);
	free(title);
	free(im.docno);
	free(im.year);
	kp_buf_release(&csv);
	return rc;
}
