/* catalog/parse.c — reading the canonical CSV form into a kp_table,
 * refusing what is wrong with "file:line: …"; loading bundled tables and
 * files.  See docs/table-format.md and catalog.h. */
#include "catalog/catalog_int.h"
#include "catalog/bundled.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing --------------------------------------------------------- */

typedef struct parser {
	kp_table *t;
	const char *file;
	int colmap[KP_CSV_MAX_FIELDS];   /* field index → column, -1 unused */
	size_t nfields_header;
	size_t header_line;
	bool have_header;
	kp_err *e;
} parser;

static char *dup_trim(const char *s)
{
	return kp_trim(kp_xstrdup(s));
}

static int add_meta(parser *p, kp_csv *c)
{
	kp_table *t = p->t;
	const char *key = c->nfields > 1 ? c->fields[1] : "";
	const char *val = c->nfields > 2 ? c->fields[2] : "";
	size_t k;
	for (size_t i = 3; i < c->nfields; i++)
		if (c->fields[i][0])
			return kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					  "#meta 行只能有“键”和“值”两格，第 %zu 格多出了内容",
					  i + 1);
	for (k = 0; kp_meta_keys[k]; k++)
		if (!strcmp(kp_meta_keys[k], key))
			break;
	if (!kp_meta_keys[k])
		return kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
				  "未知的元数据键“%s”（可用的键见 docs/table-format.md）",
				  key);
	if (strcmp(key, "note") && strcmp(key, "known") &&
	    strcmp(key, "group") && strcmp(key, "assess") &&
	    kp_table_get(t, key))
		return kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
				  "元数据“%s”重复出现", key);
	t->meta = kp_xrealloc(t->meta, (t->nmeta + 1) * sizeof(*t->meta));
	t->meta[t->nmeta].key = kp_xstrdup(key);
	t->meta[t->nmeta].value = dup_trim(val);
	t->meta[t->nmeta].line = c->row_line;
	t->nmeta++;
	return 0;
}

static int check_meta(parser *p)
{
	kp_table *t = p->t;
	const char *fmt = kp_table_get(t, "format");
	const char *kind = kp_table_get(t, "kind");
	const char *id = kp_table_get(t, "id");
	size_t k;
	if (!fmt)
		return kp_fail_at(p->e, KP_EINPUT, p->file, 1,
				  "缺少 #meta,format,%s 行：这不是 kaoping 规范格式的表（原样发布的表请用 kaoping table import 导入）",
				  KP_TABLE_FORMAT);
	if (strcmp(fmt, KP_TABLE_FORMAT))
		return kp_fail_at(p->e, KP_EINPUT, p->file, 1,
				  "不支持的格式版本“%s”（本程序读 %s）", fmt,
				  KP_TABLE_FORMAT);
	if (!kind)
		return kp_fail_at(p->e, KP_EINPUT, p->file, 1,
				  "缺少 #meta,kind 行");
	for (k = 0; k < KP_N_KINDS; k++)
		if (!strcmp(kp_kinds[k].name, kind))
			break;
	if (k == KP_N_KINDS)
		return kp_fail_at(p->e, KP_EINPUT, p->file, 1,
				  "未知的表类型“%s”（可用：indicators、quota、schedule、units、scheme）",
				  kind);
	t->kind = (kp_table_kind)k;
	if (!id || !*id)
		return kp_fail_at(p->e, KP_EINPUT, p->file, 1, "缺少 #meta,id 行");
	for (const char *s = id; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		      *s == '-'))
			return kp_fail_at(p->e, KP_EINPUT, p->file, 1,
					  "表 id“%s”只能由小写字母、数字和“-”组成",
					  id);
	if (!kp_table_get(t, "title"))
		return kp_fail_at(p->e, KP_EINPUT, p->file, 1,
				  "缺少 #meta,title 行");
	for (size_t i = 0; i < t->nmeta; i++) {
		kp_num v;
		const char *key = t->meta[i].key;
		if ((!strcmp(key, "total") || !strcmp(key, "pass") ||
		     !strcmp(key, "bonus_above")) &&
		    kp_num_parse(t->meta[i].value, &v) < 0)
			return kp_fail_at(p->e, KP_EINPUT, p->file,
					  t->meta[i].line,
					  "元数据“%s”的值“%s”不是数字", key,
					  t->meta[i].value);
		if (!strcmp(key, "group")) {
			const char *val = t->meta[i].value;
			const char *eq = strchr(val, '=');
			if (t->kind != KP_KIND_UNITS)
				return kp_fail_at(p->e, KP_EINPUT, p->file,
						  t->meta[i].line,
						  "#meta,group 只用于单位名录（kind units）");
			if (!eq || eq == val)
				return kp_fail_at(p->e, KP_EINPUT, p->file,
						  t->meta[i].line,
						  "集合写法“%s”无效（应为 写法=类型或单位、…；不特定的集合写 写法=）",
						  val);
		}
		if (!strcmp(key, "combine") &&
		    kp_combine_rule_parse(t->meta[i].value, NULL) < 0)
			return kp_fail_at(p->e, KP_EINPUT, p->file,
					  t->meta[i].line,
					  "合并规则“%s”无效（应为 sum 或 weighted，见 docs/scheme.md）",
					  t->meta[i].value);
		if (!strcmp(key, "convert")) {
			const char *val = t->meta[i].value;
			const char *colon = strchr(val, ':');
			if (!colon ||
			    (strncmp(val, "deduct:", 7) &&
			     strncmp(val, "earn:", 5)) ||
			    kp_num_parse(colon + 1, &v) < 0)
				return kp_fail_at(p->e, KP_EINPUT, p->file,
						  t->meta[i].line,
						  "折算写法“%s”无效（应为 deduct:N 或 earn:N）",
						  val);
		}
	}
	return 0;
}

static int header(parser *p, kp_csv *c)
{
	kp_table *t = p->t;
	bool seen[KP_N_IND_COLS] = { false };
	if (check_meta(p) < 0)
		return -1;
	p->have_header = true;
	p->header_line = c->row_line;
	p->nfields_header = c->nfields;
	for (size_t i = 0; i < c->nfields; i++) {
		char *name = dup_trim(c->fields[i]);
		p->colmap[i] = -1;
		if (!*name) {
			free(name);
			continue;
		}
		if (t->kind == KP_KIND_INDICATORS) {
			size_t k;
			for (k = 0; k < KP_N_IND_COLS; k++)
				if (!strcmp(kp_ind_cols[k], name))
					break;
			if (k == KP_N_IND_COLS) {
				kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					   "未知的列名“%s”（指标表的列：code、path、points、rule、params、applies、units、check、content、criteria、report、note、quirk）",
					   name);
				free(name);
				return -1;
			}
			if (seen[k]) {
				kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					   "列名“%s”重复", name);
				free(name);
				return -1;
			}
			seen[k] = true;
			t->has_col[k] = true;
			p->colmap[i] = (int)k;
			free(name);
		} else {
			const kp_kind_def *kd = &kp_kinds[t->kind];
			size_t k;
			for (k = 0; kd->cols[k]; k++) {
				const char *cn = kd->cols[k];
				if (*cn == '*')
					cn++;
				if (!strcmp(cn, name))
					break;
			}
			if (!kd->cols[k]) {
				kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					   "%s 表没有“%s”这一列", kd->name, name);
				free(name);
				return -1;
			}
			if (kp_table_col(t, name) >= 0) {
				kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					   "列名“%s”重复", name);
				free(name);
				return -1;
			}
			p->colmap[i] = (int)t->ncols;
			t->cols = kp_xrealloc(t->cols,
					      (t->ncols + 1) * sizeof(*t->cols));
			t->cols[t->ncols++] = name;
		}
	}
	if (t->kind == KP_KIND_INDICATORS) {
		if (!seen[KP_COL_PATH])
			return kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					  "表头缺少必需的列“path”");
	} else {
		for (size_t k = 0; kp_kinds[t->kind].cols[k]; k++) {
			const char *cn = kp_kinds[t->kind].cols[k];
			if (*cn == '*' && kp_table_col(t, cn + 1) < 0)
				return kp_fail_at(p->e, KP_EINPUT, p->file,
						  c->row_line,
						  "表头缺少必需的列“%s”", cn + 1);
		}
	}
	return 0;
}

static const char *field(parser *p, kp_csv *c, int col)
{
	for (size_t i = 0; i < c->nfields && i < p->nfields_header; i++)
		if (p->colmap[i] == col)
			return c->fields[i];
	return "";
}

/* Parse "k=v;k;k=v" into n->params, validating keys against the rule. */
static int parse_params(parser *p, size_t line, kp_node *n, const char *s)
{
	char *copy = kp_xstrdup(s), *save = NULL, *tok;
	int rc = -1;
	for (tok = strtok_r(copy, ";", &save); tok;
	     tok = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(tok, '=');
		char *key, *val = NULL;
		if (eq) {
			*eq = '\0';
			val = dup_trim(eq + 1);
		}
		key = dup_trim(tok);
		if (!*key) {
			free(key);
			free(val);
			if (!eq)
				continue;   /* ";;" or trailing ";" */
			kp_fail_at(p->e, KP_EINPUT, p->file, line,
				   "params 中有缺少键名的“=%s”", eq + 1);
			goto out;
		}
		for (size_t i = 0; i < n->nparams; i++)
			if (!strcmp(n->params[i].key, key)) {
				kp_fail_at(p->e, KP_EINPUT, p->file, line,
					   "参数“%s”重复", key);
				free(key);
				free(val);
				goto out;
			}
		n->params = kp_xrealloc(n->params,
					(n->nparams + 1) * sizeof(*n->params));
		n->params[n->nparams].key = key;
		n->params[n->nparams].value = val;
		n->nparams++;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static kp_node *find_path_last(kp_table *t, const char *path)
{
	for (size_t i = t->nnodes; i-- > 0;)
		if (!strcmp(t->nodes[i]->path, path))
			return t->nodes[i];
	return NULL;
}

static void add_child(kp_node *parent, kp_node *n)
{
	parent->children = kp_xrealloc(
		parent->children, (parent->nchildren + 1) * sizeof(kp_node *));
	parent->children[parent->nchildren++] = n;
}

/* Normalise a path: trim each segment; refuse empty segments. */
static int clean_path(parser *p, size_t line, const char *raw, kp_buf *out,
		      int *level, const char **last)
{
	char *copy = kp_xstrdup(raw), *s = copy;
	int rc = -1;
	*level = 0;
	kp_buf_reset(out);
	for (;;) {
		char *slash = strchr(s, '/');
		size_t lastoff;
		if (slash)
			*slash = '\0';
		kp_trim(s);
		if (!*s) {
			if (*level == 0 && !slash)
				kp_fail_at(p->e, KP_EINPUT, p->file, line,
					   "path 为空：每行指标都要有名称");
			else
				kp_fail_at(p->e, KP_EINPUT, p->file, line,
					   "path“%s”的第 %d 级名称为空（缺少一级？）",
					   raw, *level + 1);
			goto out;
		}
		if (*level)
			kp_buf_addc(out, '/');
		lastoff = out->len;
		kp_buf_adds(out, s);
		(*level)++;
		*last = (const char *)(uintptr_t)lastoff;
		if (!slash)
			break;
		s = slash + 1;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int add_node(parser *p, kp_csv *c)
{
	kp_table *t = p->t;
	kp_buf path = KP_BUF_INIT;
	const char *lastoff = NULL;
	const char *s;
	char *cell = NULL;   /* the trimmed copy of the cell being read */
	int level;
	kp_node *n = NULL;
	int rc = -1;

	if (clean_path(p, c->row_line, field(p, c, KP_COL_PATH), &path, &level,
		       &lastoff) < 0)
		goto out;
	n = kp_xcalloc(1, sizeof(*n));
	n->line = c->row_line;
	n->level = level;
	n->path = kp_buf_detach(&path);
	n->name = kp_xstrdup(n->path + (uintptr_t)lastoff);
	n->code = dup_trim(field(p, c, KP_COL_CODE));
	for (int i = 0; i < KP_T_COUNT; i++)
		n->text[i] = dup_trim(field(p, c, KP_COL_TEXT0 + i));

	if (level > 1) {
		char *parent_path = kp_xstrndup(n->path,
						(size_t)(uintptr_t)lastoff - 1);
		n->parent = find_path_last(t, parent_path);
		if (!n->parent) {
			kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
				   "上级指标“%s”没有在此行之前定义（父节点必须先出现）",
				   parent_path);
			free(parent_path);
			goto out;
		}
		free(parent_path);
	}
	if (*n->code)
		for (size_t i = 0; i < t->nnodes; i++)
			if (!strcmp(t->nodes[i]->code, n->code)) {
				kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					   "编号“%s”与第 %zu 行重复", n->code,
					   t->nodes[i]->line);
				goto out;
			}

	free(cell);
	cell = dup_trim(field(p, c, KP_COL_POINTS));
	s = cell;
	if (*s) {
		if (kp_num_parse(s, &n->points) < 0)
			{
				kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					   "points 列的“%s”不是数字", s);
				goto out;
			}
		if (n->points.n < 0) {
			kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
				   "分值不能为负数（%s）", s);
			goto out;
		}
		n->has_points = true;
	}

	free(cell);
	cell = dup_trim(field(p, c, KP_COL_RULE));
	s = cell;
	if (*s) {
		kp_rule r;
		if (kp_rule_parse(s, &r) < 0) {
			kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
				   "未知的计分规则“%s”（可用：sum、share、judged、binary、deduct、minus、tiered、checklist、item、veto、bonus）",
				   s);
			goto out;
		}
		n->rule = r;
		n->rule_written = true;
	}
	if (parse_params(p, c->row_line, n, field(p, c, KP_COL_PARAMS)) < 0)
		goto out;

	t->nodes = kp_xrealloc(t->nodes, (t->nnodes + 1) * sizeof(*t->nodes));
	t->nodes[t->nnodes++] = n;
	if (n->parent) {
		add_child(n->parent, n);
	} else {
		t->roots = kp_xrealloc(t->roots,
				       (t->nroots + 1) * sizeof(*t->roots));
		t->roots[t->nroots++] = n;
	}
	n = NULL;
	rc = 0;
out:
	free(cell);
	kp_buf_release(&path);
	if (n)
		kp_node_free(n);
	return rc;
}

static int add_record(parser *p, kp_csv *c)
{
	kp_table *t = p->t;
	kp_record *r;
	const kp_kind_def *kd = &kp_kinds[t->kind];
	t->recs = kp_xrealloc(t->recs, (t->nrecs + 1) * sizeof(*t->recs));
	r = &t->recs[t->nrecs++];
	r->line = c->row_line;
	r->cells = kp_xcalloc(t->ncols ? t->ncols : 1, sizeof(char *));
	for (size_t col = 0; col < t->ncols; col++)
		r->cells[col] = dup_trim(field(p, c, (int)col));
	for (size_t k = 0; kd->cols[k]; k++) {
		const char *cn = kd->cols[k];
		int col;
		if (*cn != '*')
			continue;
		col = kp_table_col(t, cn + 1);
		if (!*r->cells[col])
			return kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					  "“%s”列不能为空", cn + 1);
	}
	for (size_t k = 0; kd->numeric[k]; k++) {
		int col = kp_table_col(t, kd->numeric[k]);
		kp_num v;
		if (col < 0 || !*r->cells[col])
			continue;
		if (kp_num_parse(r->cells[col], &v) < 0 || v.n < 0)
			return kp_fail_at(p->e, KP_EINPUT, p->file, c->row_line,
					  "“%s”列的“%s”不是非负数",
					  kd->numeric[k], r->cells[col]);
	}
	return 0;
}

/* Trims every field in place (they live in the reader's own storage)
 * and tells whether all are empty. */
static bool all_empty(kp_csv *c)
{
	bool empty = true;
	for (size_t i = 0; i < c->nfields; i++)
		if (*kp_trim((char *)c->fields[i]))
			empty = false;
	return empty;
}

/* After all rows: default rules, automatic codes, parameter checks. */
static int finish(parser *p)
{
	kp_table *t = p->t;
	for (size_t i = 0; i < t->nnodes; i++) {
		kp_node *n = t->nodes[i];
		if (!n->rule_written)
			n->rule = n->nchildren ? KP_RULE_SUM
				  : n->has_points ? KP_RULE_JUDGED
						  : KP_RULE_ITEM;
		if (kp_rule_args_parse(n, p->file, p->e) < 0)
			return -1;
	}
	for (size_t i = 0; i < t->nnodes; i++) {
		kp_node *n = t->nodes[i];
		kp_buf code = KP_BUF_INIT;
		size_t idx = 0;
		kp_node *const *sib = n->parent ? n->parent->children : t->roots;
		size_t nsib = n->parent ? n->parent->nchildren : t->nroots;
		if (*n->code)
			continue;
		for (size_t k = 0; k < nsib; k++)
			if (sib[k] == n)
				idx = k + 1;
		if (n->parent)
			kp_buf_addf(&code, "%s.%zu", n->parent->code, idx);
		else
			kp_buf_addf(&code, "%zu", idx);
		for (size_t k = 0; k < t->nnodes; k++)
			if (!strcmp(t->nodes[k]->code, code.data)) {
				kp_fail_at(p->e, KP_EINPUT, p->file, n->line,
					   "自动编号“%s”与第 %zu 行的编号冲突，请给此行写上编号",
					   code.data, t->nodes[k]->line);
				kp_buf_release(&code);
				return -1;
			}
		free(n->code);
		n->code = kp_buf_detach(&code);
	}
	return 0;
}

int kp_table_parse(const char *name, const char *data, size_t n,
		   kp_table **out, kp_err *e)
{
	parser p;
	kp_csv c;
	int r, rc = -1;
	size_t ok;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.file = name;
	p.e = e;
	if (n == 0)
		return kp_fail(e, KP_EINPUT, "%s: 文件为空", name);
	ok = kp_utf8_valid_prefix(data, n);
	if (ok != n) {
		size_t line = 1;
		for (size_t i = 0; i < ok; i++)
			line += data[i] == '\n';
		return kp_fail_at(e, KP_EINPUT, name, line,
				  "不是有效的 UTF-8 文本（第 %zu 字节）；GBK 等编码的表请用 kaoping table import 转换",
				  ok + 1);
	}
	p.t = kp_xcalloc(1, sizeof(kp_table));
	p.t->file = kp_xstrdup(name);
	kp_csv_init(&c, name, data, n, ',');
	while ((r = kp_csv_next(&c, e)) > 0) {
		if (all_empty(&c))
			continue;
		if (c.fields[0][0] == '#') {
			if (!strcmp(c.fields[0], "#meta")) {
				if (p.have_header) {
					kp_fail_at(e, KP_EINPUT, name, c.row_line,
						   "#meta 行必须写在表头之前");
					goto out;
				}
				if (add_meta(&p, &c) < 0)
					goto out;
			}
			continue;
		}
		if (!p.have_header) {
			if (header(&p, &c) < 0)
				goto out;
			continue;
		}
		for (size_t i = p.nfields_header; i < c.nfields; i++)
			if (c.fields[i][0]) {
				kp_fail_at(e, KP_EINPUT, name, c.row_line,
					   "第 %zu 格超出了表头的列数（%zu 列）", i + 1,
					   p.nfields_header);
				goto out;
			}
		for (size_t i = 0; i < c.nfields && i < p.nfields_header; i++)
			if (p.colmap[i] < 0 && c.fields[i][0]) {
				kp_fail_at(e, KP_EINPUT, name, c.row_line,
					   "第 %zu 格有内容，但表头这一列没有列名",
					   i + 1);
				goto out;
			}
		if ((p.t->kind == KP_KIND_INDICATORS ? add_node(&p, &c)
						      : add_record(&p, &c)) < 0)
			goto out;
	}
	if (r < 0)
		goto out;
	if (!p.have_header) {
		if (check_meta(&p) < 0)
			goto out;
		kp_fail_at(e, KP_EINPUT, name, c.line, "没有表头行，也没有数据");
		goto out;
	}
	if (finish(&p) < 0)
		goto out;
	*out = p.t;
	p.t = NULL;
	rc = 0;
out:
	kp_csv_release(&c);
	kp_table_free(p.t);
	return rc;
}

int kp_table_load(const char *path, kp_table **out, kp_err *e)
{
	kp_buf b = KP_BUF_INIT;
	int rc;
	*out = NULL;
	if (kp_read_file(path, KP_SHEET_DEFAULT_MAX, &b, e) < 0) {
		kp_buf_release(&b);
		return -1;
	}
	rc = kp_table_parse(path, b.data, b.len, out, e);
	kp_buf_release(&b);
	return rc;
}

/* ---- bundled --------------------------------------------------------- */

size_t kp_bundled_count(void)
{
	size_t n = 0;
	while (kp_bundled[n].path)
		n++;
	return n;
}

const char *kp_bundled_path(size_t i)
{
	return kp_bundled[i].path;
}

int kp_bundled_load(size_t i, kp_table **out, kp_err *e)
{
	return kp_table_parse(kp_bundled[i].path, kp_bundled[i].data,
			      kp_bundled[i].len, out, e);
}

/* The id a bundled file should carry: its base name without ".csv". */
static bool bundled_is(size_t i, const char *id)
{
	const char *path = kp_bundled[i].path;
	const char *base = strrchr(path, '/');
	size_t n;
	base = base ? base + 1 : path;
	n = strlen(base);
	return n > 4 && strlen(id) == n - 4 && !strncmp(base, id, n - 4) &&
	       !strcmp(base + n - 4, ".csv");
}

int kp_table_open(const char *id_or_path, kp_table **out, kp_err *e)
{
	size_t n = kp_bundled_count();
	for (size_t i = 0; i < n; i++)
		if (bundled_is(i, id_or_path))
			return kp_bundled_load(i, out, e);
	if (!strchr(id_or_path, '/') && !strchr(id_or_path, '.')) {
		FILE *f = fopen(id_or_path, "r");
		if (!f)
			return kp_fail(e, KP_EINPUT,
				       "没有 id 为“%s”的内置表，也没有这个文件（内置表见 kaoping table list）",
				       id_or_path);
		fclose(f);
	}
	return kp_table_load(id_or_path, out, e);
}
