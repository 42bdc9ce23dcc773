/* score/facts.c — facts: names, lists, the CSV and JSON forms, and the
 * check against a table.  See score.h and docs/facts.md. */
#include "score/score_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- lists ----------------------------------------------------------- */

static char *dup0(const char *s)
{
	return kp_xstrdup(s ? s : "");
}

void kp_fact_release(kp_fact *f)
{
	free(f->unit);
	free(f->table);
	free(f->indicator);
	free(f->name);
	free(f->author);
	free(f->time);
	free(f->url);
	free(f->note);
	free(f->period);
	memset(f, 0, sizeof(*f));
}

void kp_fact_copy(kp_fact *dst, const kp_fact *f)
{
	*dst = *f;
	dst->unit = dup0(f->unit);
	dst->table = dup0(f->table);
	dst->indicator = dup0(f->indicator);
	dst->name = dup0(f->name);
	dst->author = dup0(f->author);
	dst->time = dup0(f->time);
	dst->url = dup0(f->url);
	dst->note = dup0(f->note);
	dst->period = dup0(f->period);
}

void kp_facts_release(kp_facts *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		kp_fact_release(&fs->v[i]);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

void kp_facts_write_csv(const kp_facts *fs, kp_buf *out)
{
	/* a table, period or inspection column only when a fact has one */
	bool tables = false, periods = false, insp = false;
	for (size_t i = 0; i < fs->n; i++) {
		tables |= fs->v[i].table && *fs->v[i].table;
		periods |= fs->v[i].period && *fs->v[i].period;
		insp |= fs->v[i].inspection > 0;
	}
	kp_buf_adds(out, tables ? "unit,table,indicator,kind,name,value,source,author,time,url,note"
				: "unit,indicator,kind,name,value,source,author,time,url,note");
	kp_buf_adds(out, periods ? ",period" : "");
	kp_buf_adds(out, insp ? ",inspection\n" : "\n");
	for (size_t i = 0; i < fs->n; i++) {
		const kp_fact *f = &fs->v[i];
		char b[32];
		kp_csv_put(out, f->unit);
		kp_buf_addc(out, ',');
		if (tables) {
			kp_csv_put(out, f->table ? f->table : "");
			kp_buf_addc(out, ',');
		}
		kp_csv_put(out, f->indicator);
		kp_buf_addf(out, ",%s,", kp_fact_kind_name(f->kind));
		kp_csv_put(out, f->name);
		kp_buf_addf(out, ",%s,%s,", f->has_value ? kp_num_str(f->value, b) : "",
			    kp_source_name(f->source));
		kp_csv_put(out, f->author);
		kp_buf_addc(out, ',');
		kp_csv_put(out, f->time);
		kp_buf_addc(out, ',');
		kp_csv_put(out, f->url);
		kp_buf_addc(out, ',');
		kp_csv_put(out, f->note);
		if (periods) {
			kp_buf_addc(out, ',');
			kp_csv_put(out, f->period ? f->period : "");
		}
		if (insp)
			kp_buf_addf(out, ",%lld", (long long)f->inspection);
		kp_buf_addc(out, '\n');
	}
}

void kp_facts_add(kp_facts *fs, const kp_fact *f)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->v = kp_xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	kp_fact_copy(&fs->v[fs->n++], f);
}

/* ---- one record, from either form ------------------------------------ */

enum fcol { C_UNIT, C_TABLE, C_IND, C_KIND, C_NAME, C_VALUE, C_SOURCE,
	    C_AUTHOR, C_TIME, C_URL, C_NOTE, C_PERIOD, C_INSPECTION, C_COUNT };

/* Column names: English key first, then the Chinese headers accepted. */
static const struct {
	const char *key;
	const char *zh[3];
	bool required;
} fcols[C_COUNT] = {
	[C_UNIT] = { "unit", { "单位", NULL }, true },
	[C_TABLE] = { "table", { "表", "指标表", NULL }, false },
	[C_IND] = { "indicator", { "指标", "指标路径", NULL }, true },
	[C_KIND] = { "kind", { "类型", "事实类型", NULL }, true },
	[C_NAME] = { "name", { "名称", "数量名称", NULL }, false },
	[C_VALUE] = { "value", { "数值", "分值", NULL }, false },
	[C_SOURCE] = { "source", { "来源", NULL }, true },
	[C_AUTHOR] = { "author", { "填报人", "记录人", NULL }, false },
	[C_TIME] = { "time", { "时间", NULL }, false },
	[C_URL] = { "url", { "证据链接", "链接", NULL }, false },
	[C_NOTE] = { "note", { "说明", "证据说明", NULL }, false },
	[C_PERIOD] = { "period", { "期间", "统计期", NULL }, false },
	[C_INSPECTION] = { "inspection", { "检测编号", NULL }, false },
};

/* Columns of the blank sheet `eval template` writes that say what an
 * item is, for the person filling it in; the reader passes over them.  A
 * header with 满分 is such a sheet: its rows without a value are items
 * left blank, passed over too. */
static const char *const info_cols[] = { "指标名称", "满分", "评分标准", NULL };
#define COL_INFO (-2)

static int col_of(const char *h)
{
	for (int k = 0; info_cols[k]; k++)
		if (!strcmp(h, info_cols[k]))
			return COL_INFO;
	for (int c = 0; c < C_COUNT; c++) {
		if (!strcmp(h, fcols[c].key))
			return c;
		for (int j = 0; fcols[c].zh[j]; j++)
			if (!strcmp(h, fcols[c].zh[j]))
				return c;
	}
	return -1;
}

/* Why the value cell s is not a number kaoping keeps exactly: too many
 * decimals, too large, or not a number at all. */
static const char *value_why(const char *s)
{
	const char *p = s, *dot;
	size_t frac = 0, whole = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' || *p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		whole++;
	dot = *p == '.' ? p : NULL;
	if (dot)
		for (p++; *p >= '0' && *p <= '9'; p++)
			frac++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || (!whole && !frac))
		return "不是数";
	if (frac > 9)
		return "小数超过 9 位，不能精确记录：请写成分数（如 100/3）或不超过 9 位小数";
	return "超出可以精确记录的范围（绝对值不超过 1000000000000）";
}

/* Whether the time cell s is a possible time: a date YYYY-MM-DD that
 * exists, optionally followed by (T or a space) HH:MM[:SS] with hours
 * 0–23, minutes and seconds 0–59, and a zone (Z, ±HH:MM).  Text in any
 * other shape is kept as written (docs/facts.md). */
static bool time_possible(const char *s)
{
	int y, mo, d, h, mi, sec = 0, n = 0;
	kp_date day;
	char date[11];
	if (strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 ||
	    n != 10)
		return true;
	memcpy(date, s, 10);
	date[10] = 0;
	if (kp_date_parse(date, &day) < 0)
		return false;
	s += 10;
	if (!*s)
		return true;
	if (*s != 'T' && *s != ' ')
		return false;
	s++;
	n = 0;
	if (sscanf(s, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
		return false;
	s += 5;
	if (*s == ':') {
		n = 0;
		if (sscanf(s + 1, "%2d%n", &sec, &n) != 1 || n != 2)
			return false;
		s += 3;
	}
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return false;
	if (*s == 'Z')
		return !s[1];
	if (*s == '+' || *s == '-') {
		int zh, zm;
		n = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &zh, &zm, &n) != 2 || n != 5 ||
		    zh > 14 || zm > 59 || s[6])
			return false;
		return true;
	}
	while (*s == ' ')
		s++;
	return !*s;
}

/* Build f from the cells (NULL = absent).  "where" is file, line for
 * messages. */
static int make_fact(const char *cell[C_COUNT], const char *file,
		     size_t line, kp_fact *f, kp_err *e)
{
	char v[64];
	memset(f, 0, sizeof(*f));
	for (int c = 0; c < C_COUNT; c++)
		if (fcols[c].required && (!cell[c] || !*cell[c]))
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "缺少“%s”（%s）", fcols[c].zh[0],
					  fcols[c].key);
	if (kp_fact_kind_parse(cell[C_KIND], &f->kind) < 0 ||
	    kp_source_parse(cell[C_SOURCE], &f->source) < 0) {
		bool kind = kp_fact_kind_parse(cell[C_KIND], &f->kind) < 0;
		kp_buf all = KP_BUF_INIT;
		if (kind)
			kp_fact_kinds_list(&all);
		else
			kp_sources_list(&all);
		kp_fail_at(e, KP_EINPUT, file, line, "未知的%s“%s”（可用：%s）",
			   kind ? "事实类型" : "来源",
			   cell[kind ? C_KIND : C_SOURCE], all.data);
		kp_buf_release(&all);
		return -1;
	}
	if (cell[C_VALUE] && *cell[C_VALUE]) {
		snprintf(v, sizeof(v), "%s", cell[C_VALUE]);
		if (strlen(cell[C_VALUE]) >= sizeof(v) ||
		    kp_num_parse(v, &f->value) < 0)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "数值“%s”%s", cell[C_VALUE],
					  value_why(cell[C_VALUE]));
		f->has_value = true;
	}
	if (cell[C_TIME] && *cell[C_TIME] && !time_possible(cell[C_TIME]))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "时间“%s”不存在（日期应为实有的年-月-日，时 0–23，分、秒 0–59）",
				  cell[C_TIME]);
	if ((f->kind == KP_FACT_SCORE || f->kind == KP_FACT_QUANTITY) &&
	    !f->has_value)
		return kp_fail_at(e, KP_EINPUT, file, line, "%s事实缺少数值",
				  kp_fact_kind_label(f->kind));
	if (f->kind == KP_FACT_QUANTITY && (!cell[C_NAME] || !*cell[C_NAME]))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "数量事实缺少名称（name），如 city_points");
	if (f->kind == KP_FACT_FAIL && !f->has_value) {
		f->value = kp_num_int(1);
		f->has_value = true;
	}
	if (cell[C_PERIOD] && *cell[C_PERIOD] && !kp_period_valid(cell[C_PERIOD]))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "期间“%s”无效（应为 2016、2016H1、2016Q3 或 2016-07 这样的写法）",
				  cell[C_PERIOD]);
	if (cell[C_INSPECTION] && *cell[C_INSPECTION]) {
		const char *p = cell[C_INSPECTION];
		long id = kp_digits(p, p + strlen(p), INT32_MAX);
		if (id < 1 || strspn(p, "0123456789") != strlen(p))
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "检测编号“%s”应为正整数", p);
		f->inspection = id;
	}
	f->period = dup0(cell[C_PERIOD]);
	f->unit = dup0(cell[C_UNIT]);
	f->table = dup0(cell[C_TABLE]);
	kp_trim(f->table);
	f->indicator = dup0(cell[C_IND]);
	f->name = dup0(cell[C_NAME]);
	f->author = dup0(cell[C_AUTHOR]);
	f->time = dup0(cell[C_TIME]);
	f->url = dup0(cell[C_URL]);
	f->note = dup0(cell[C_NOTE]);
	kp_trim(f->unit);
	kp_trim(f->indicator);
	kp_trim(f->name);
	f->line = line;
	return 0;
}

/* ---- CSV ------------------------------------------------------------- */

static bool blank_row(const kp_csv *c)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (*c->fields[i])
			return false;
	return true;
}

static int parse_csv(const char *name, const char *data, size_t n,
		     kp_fact_each_fn fn, kp_fact_bad_fn bad, void *ctx,
		     kp_err *e)
{
	kp_csv c;
	int map[KP_CSV_MAX_FIELDS];
	bool header = false, template = false, seen[C_COUNT] = { false };
	size_t nhdr = 0;
	int rc;
	kp_csv_init(&c, name, data, n, ',');
	while ((rc = kp_csv_next(&c, e)) == 1) {
		const char *cell[C_COUNT] = { NULL };
		kp_fact f;
		if (blank_row(&c) || c.fields[0][0] == '#')
			continue;
		if (!header) {
			for (size_t i = 0; i < c.nfields; i++) {
				char h[128];
				snprintf(h, sizeof(h), "%s", c.fields[i]);
				kp_trim(h);
				map[i] = col_of(h);
				if (map[i] == COL_INFO) {
					template |= !strcmp(h, "满分");
					continue;
				}
				if (map[i] < 0 && *h) {
					rc = kp_fail_at(e, KP_EINPUT, name,
							c.row_line,
							"未知的列“%s”", h);
					goto out;
				}
				if (map[i] >= 0 && seen[map[i]]) {
					rc = kp_fail_at(e, KP_EINPUT, name,
							c.row_line,
							"列“%s”重复", h);
					goto out;
				}
				if (map[i] >= 0)
					seen[map[i]] = true;
			}
			for (int k = 0; k < C_COUNT; k++)
				if (fcols[k].required && !seen[k]) {
					rc = kp_fail_at(e, KP_EINPUT, name,
							c.row_line,
							"表头缺少列“%s”",
							fcols[k].key);
					goto out;
				}
			header = true;
			nhdr = c.nfields;
			continue;
		}
		for (size_t i = 0; i < c.nfields; i++) {
			if (i >= KP_CSV_MAX_FIELDS)
				break;
			if (i < nhdr && map[i] >= 0)
				cell[map[i]] = c.fields[i];
			else if (i < nhdr && map[i] == COL_INFO)
				continue;
			else if (*c.fields[i]) {
				rc = kp_fail_at(e, KP_EINPUT, name, c.row_line,
						"第%zu列没有表头", i + 1);
				goto out;
			}
		}
		if (template && (!cell[C_VALUE] || !*cell[C_VALUE]))
			continue;   /* an item of the blank sheet left blank */
		if (make_fact(cell, name, c.row_line, &f, e) < 0) {
			if (bad && bad(ctx, e) == 0)
				continue;
			rc = -1;
			goto out;
		}
		rc = fn(ctx, &f, e);
		kp_fact_release(&f);
		if (rc < 0)
			goto out;
	}
	if (rc == 0 && !header)
		rc = kp_fail_at(e, KP_EINPUT, name, 0, "没有表头行");
out:
	kp_csv_release(&c);
	return rc < 0 ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------ */

/* A JSON value as cell text.  Numbers: integers exactly; reals with 15
 * significant digits, which gives back what was typed for any decimal
 * of up to 15 digits (docs/facts.md recommends strings anyway). */
static int json_cell(json_t *v, char *buf, size_t len, const char **out)
{
	if (!v || json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return 0;
	}
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		*out = buf;
		return 0;
	}
	if (json_is_real(v)) {
		snprintf(buf, len, "%.15g", json_real_value(v));
		*out = buf;
		return 0;
	}
	return -1;
}

static int parse_json(const char *name, const char *data, size_t n,
		      kp_fact_each_fn fn, kp_fact_bad_fn bad, void *ctx,
		      kp_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je), *arr;
	size_t i;
	json_t *obj;
	int rc = 0;
	if (!root && strstr(je.text, "duplicate object key"))
		return kp_fail_at(e, KP_EINPUT, name, (size_t)je.line,
				  "JSON 对象中同一个键出现了两次（第 %d 列）：每个键只能写一次",
				  je.column);
	if (!root)
		return kp_fail_at(e, KP_EINPUT, name, (size_t)je.line,
				  "JSON 语法错误：%s", je.text);
	arr = json_is_object(root) ? json_object_get(root, "facts") : root;
	if (!json_is_array(arr)) {
		json_decref(root);
		return kp_fail_at(e, KP_EINPUT, name, 0,
				  "应为事实数组，或含 \"facts\" 数组的对象");
	}
	json_array_foreach(arr, i, obj) {
		const char *cell[C_COUNT] = { NULL };
		char bufs[C_COUNT][64];
		const char *key;
		json_t *v;
		kp_fact f;
		/* JSON has no line numbers per element: "line" is the
		 * element's ordinal, and messages say so. */
		char where[512];
		snprintf(where, sizeof(where), "%s: 第%zu条事实", name, i + 1);
		if (!json_is_object(obj)) {
			rc = kp_fail(e, KP_EINPUT, "%s: 不是对象", where);
			break;
		}
		json_object_foreach(obj, key, v) {
			int c = col_of(key);
			if (c < 0) {
				rc = kp_fail(e, KP_EINPUT, "%s: 未知的键“%s”",
					     where, key);
				break;
			}
			if (json_cell(v, bufs[c], sizeof(bufs[c]), &cell[c]) < 0) {
				rc = kp_fail(e, KP_EINPUT,
					     "%s: 键“%s”应为字符串或数", where,
					     key);
				break;
			}
		}
		if (rc < 0)
			break;
		if (make_fact(cell, where, 0, &f, e) < 0) {
			if (bad && bad(ctx, e) == 0)
				continue;
			rc = -1;
			break;
		}
		f.line = i + 1;
		rc = fn(ctx, &f, e);
		kp_fact_release(&f);
		if (rc < 0)
			break;
	}
	json_decref(root);
	return rc;
}

int kp_facts_parse_each(const char *name, const char *data, size_t n,
			kp_fact_each_fn fn, void *ctx, kp_err *e)
{
	return kp_facts_parse_each_bad(name, data, n, fn, NULL, ctx, e);
}

int kp_facts_parse_each_bad(const char *name, const char *data, size_t n,
			    kp_fact_each_fn fn, kp_fact_bad_fn bad, void *ctx,
			    kp_err *e)
{
	size_t i = 0;
	if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && (data[i] == ' ' || data[i] == '\t' ||
			 data[i] == '\r' || data[i] == '\n'))
		i++;
	if (kp_utf8_valid_prefix(data, n) != n)
		return kp_fail_at(e, KP_EINPUT, name, 0,
				  "不是 UTF-8 文本（GBK 文件请先另存为“CSV UTF-8”）");
	if (i < n && (data[i] == '[' || data[i] == '{'))
		return parse_json(name, data + i, n - i, fn, bad, ctx, e);
	return parse_csv(name, data, n, fn, bad, ctx, e);
}

/* Keep each fact: its strings move into the list. */
static int keep_fact(void *ctx, kp_fact *f, kp_err *e)
{
	kp_facts *fs = ctx;
	(void)e;
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->v = kp_xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	fs->v[fs->n++] = *f;
	memset(f, 0, sizeof(*f));
	return 0;
}

int kp_facts_parse(const char *name, const char *data, size_t n,
		   kp_facts *out, kp_err *e)
{
	kp_facts tmp = KP_FACTS_INIT;
	if (kp_facts_parse_each(name, data, n, keep_fact, &tmp, e) < 0) {
		kp_facts_release(&tmp);
		return -1;
	}
	for (size_t k = 0; k < tmp.n; k++)
		keep_fact(out, &tmp.v[k], e);
	free(tmp.v);
	return 0;
}

/* ---- check against the table ----------------------------------------- */

/* Where a fact points: a node of t, or of a checklist table in c. */
const kp_node *kp_fact_target(const kp_table *t, const kp_score_ctx *c,
			      const char *ind, const kp_table **in)
{
	const kp_node *nd = kp_table_find(t, ind);
	const char *colon;
	*in = t;
	if (nd || !c)
		return nd;
	colon = strchr(ind, ':');
	if (!colon)
		return NULL;
	for (size_t i = 0; i < c->ntables; i++) {
		const char *id = kp_table_id(c->tables[i]);
		if (id && strlen(id) == (size_t)(colon - ind) &&
		    !strncmp(id, ind, (size_t)(colon - ind))) {
			*in = c->tables[i];
			return kp_table_find(c->tables[i], colon + 1);
		}
	}
	return NULL;
}

static bool is_whole(kp_num v)
{
	return v.d == 1;
}

/* Whether node nd's rule reads a quantity called name (its row says). */
static bool takes_quantity(const kp_node *nd, const char *name)
{
	const kp_rule_def *rd = kp_rule_def_of(nd->rule);
	return rd->quantity && rd->quantity(nd, name);
}

/* The largest score node nd can take for some unit: kp_node_max, except
 * that an item sharing its parent's points with siblings that apply to
 * different units (applies column) may, for a unit with few of them,
 * reach the parent's points (the round checks each unit's own share). */
static int max_any_unit(const kp_node *nd, kp_num *max)
{
	const kp_node *p = nd->parent;
	if (p && p->rule == KP_RULE_SHARE && !nd->has_points && p->has_points)
		for (size_t i = 0; i < p->nchildren; i++)
			if (*p->children[i]->text[KP_T_APPLIES]) {
				*max = p->points;
				return 0;
			}
	return kp_node_max(nd, max);
}

static int check_one(const kp_table *t, const kp_score_ctx *c,
		     const kp_fact *f, kp_err *e)
{
	const kp_table *in;
	const kp_node *nd;
	char a[32], b[32];
	if (c && c->units && !kp_units_resolve(c->units, f->unit))
		return kp_fail(e, KP_EINPUT, "单位“%s”不在单位名录中",
			       f->unit);
	if (kp_fact_whole_unit(f))   /* the whole unit: no node to check */
		return 0;
	nd = kp_fact_target(t, c, f->indicator, &in);
	if (!nd)
		return kp_fail(e, KP_EINPUT, "指标“%s”不在表 %s 中",
			       f->indicator, kp_table_id(t));
	if (f->has_value && f->value.n < 0)
		return kp_fail(e, KP_EINPUT, "数值 %s 为负数",
			       kp_num_str(f->value, a));
	switch (f->kind) {
	case KP_FACT_SCORE: {
		kp_num max;
		if (kp_rule_has(nd->rule, KP_RF_SCORE_01)) {
			if (kp_num_cmp(f->value, kp_num_int(1)) > 0)
				return kp_fail(e, KP_EINPUT,
					       "清单项“%s”的评分只能是 1（满足）或 0（不满足）",
					       nd->path);
			return 0;
		}
		if (!kp_rule_has(nd->rule, KP_RF_SCORE))
			return kp_fail(e, KP_EINPUT,
				       "指标“%s”的规则是%s，不接受直接评分",
				       nd->path, kp_rule_label(nd->rule));
		if (max_any_unit(nd, &max) == 0 &&
		    kp_num_cmp(f->value, max) > 0)
			return kp_fail(e, KP_EINPUT,
				       "评分 %s 超过指标“%s”的满分 %s",
				       kp_num_str(f->value, a), nd->path,
				       kp_num_str(max, b));
		kp_num st = nd->args.step, q;
		if (nd->args.has_step && st.n > 0 &&
		    kp_num_div(f->value, st, &q) == 0 && q.d != 1)
			return kp_fail(e, KP_EINPUT,
				       "评分 %s 不是指标“%s”打分步长 %s 的整数倍",
				       kp_num_str(f->value, a), nd->path,
				       kp_num_str(st, b));
		if (kp_rule_has(nd->rule, KP_RF_ALL_OR_NONE) &&
		    !kp_num_is_zero(f->value) &&
		    kp_num_cmp(f->value, max) != 0)
			return kp_fail(e, KP_EINPUT,
				       "指标“%s”全有或全无：评分只能是 0 或 %s",
				       nd->path, kp_num_str(max, b));
		return 0;
	}
	case KP_FACT_FAIL:
		if (!kp_rule_has(nd->rule, KP_RF_FAIL)) {
			kp_buf kinds = KP_BUF_INIT;
			kp_rule_labels(KP_RF_FAIL, &kinds);
			kp_fail(e, KP_EINPUT,
				"指标“%s”的规则是%s，不接受扣分次数（只有%s接受）",
				nd->path, kp_rule_label(nd->rule),
				kinds.data ? kinds.data : "");
			kp_buf_release(&kinds);
			return -1;
		}
		if (!is_whole(f->value) || f->value.n < 1)
			return kp_fail(e, KP_EINPUT,
				       "扣分次数 %s 应为不小于 1 的整数",
				       kp_num_str(f->value, a));
		return 0;
	case KP_FACT_VETO:
		if (!kp_rule_has(nd->rule, KP_RF_VETO))
			return kp_fail(e, KP_EINPUT,
				       "指标“%s”不是一票否决项", nd->path);
		return 0;
	case KP_FACT_QUANTITY:
		if (!takes_quantity(nd, f->name))
			return kp_fail(e, KP_EINPUT,
				       "指标“%s”（%s）不使用数量“%s”",
				       nd->path, kp_rule_label(nd->rule), f->name);
		return 0;
	case KP_FACT_NA:
	default:
		return 0;
	}
}

int kp_facts_check(const kp_table *t, const kp_score_ctx *c,
		   const kp_facts *fs, kp_err *e)
{
	for (size_t i = 0; i < fs->n; i++) {
		kp_err sub;
		if (check_one(t, c, &fs->v[i], &sub) < 0)
			return kp_fail_line(e, KP_EINPUT, fs->v[i].line, "%s",
					    sub.msg);
	}
	return 0;
}
