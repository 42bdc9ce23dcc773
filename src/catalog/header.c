/* catalog/header.c — the header row of an office's table, and the
 * helpers below both importers (import.c, import_kinds.c): numbering
 * inside names, a row longer than its header.  The header row: each column
 * placed by its name (the names kaoping knows, --map) or by the words it
 * contains (headers by meaning); the row found below any title rows; the
 * title, document number and year read from those rows. */
#include "catalog/import_int.h"

#include <stdlib.h>
#include <string.h>

/* The importer's two small helpers that the header reader needs too
 * (import.c uses them through import_int.h). */
void imp_unplaced(importer *im, size_t row, const char *fmt, ...)
{
	kp_buf b = KP_BUF_INIT;
	va_list ap;
	kp_buf_addf(&b, "%s:%zu: ", kp_sheet_name(im->s),
		    kp_sheet_line(im->s, row));
	va_start(ap, fmt);
	kp_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	im->rep->lines = kp_xrealloc(im->rep->lines,
				     (im->rep->n + 1) * sizeof(char *));
	im->rep->lines[im->rep->n++] = kp_buf_detach(&b);
}

size_t imp_ar_digits(const char *p)
{
	size_t k = 0;
	while (p[k] >= '0' && p[k] <= '9')
		k++;
	return k;
}

static const struct header_def {
	const char *name;
	enum target target;
	int arg;   /* level (1..4) for T_LEVEL/T_LPOINTS; kp_text for T_TEXT */
} headers[] = {
	{ "一级指标", T_LEVEL, 1 }, { "二级指标", T_LEVEL, 2 },
	{ "三级指标", T_LEVEL, 3 }, { "四级指标", T_LEVEL, 4 },
	{ "一级", T_LEVEL, 1 }, { "二级", T_LEVEL, 2 },
	{ "三级", T_LEVEL, 3 }, { "四级", T_LEVEL, 4 },
	{ "考核指标", T_LEVEL, 1 }, { "考核项目", T_LEVEL, 1 },
	{ "指标名称", T_LEVEL, 1 },
	{ "分值", T_POINTS, 0 }, { "权重", T_POINTS, 0 },
	{ "满分", T_POINTS, 0 }, { "分数", T_POINTS, 0 },
	{ "标准分", T_POINTS, 0 }, { "指标分值", T_POINTS, 0 },
	{ "一级分值", T_LPOINTS, 1 }, { "二级分值", T_LPOINTS, 2 },
	{ "三级分值", T_LPOINTS, 3 }, { "四级分值", T_LPOINTS, 4 },
	{ "一级权重", T_LPOINTS, 1 }, { "二级权重", T_LPOINTS, 2 },
	{ "三级权重", T_LPOINTS, 3 }, { "四级权重", T_LPOINTS, 4 },
	{ "评估内容", T_TEXT, KP_T_CONTENT }, { "考核内容", T_TEXT, KP_T_CONTENT },
	{ "评估要点", T_TEXT, KP_T_CONTENT }, { "考核要求", T_TEXT, KP_T_CONTENT },
	{ "信息公开内容", T_TEXT, KP_T_CONTENT },
	{ "评价内容", T_TEXT, KP_T_CONTENT }, { "指标说明", T_TEXT, KP_T_CONTENT },
	{ "评分标准", T_TEXT, KP_T_CRITERIA }, { "评分细则", T_TEXT, KP_T_CRITERIA },
	{ "计分标准", T_TEXT, KP_T_CRITERIA }, { "扣分标准", T_TEXT, KP_T_CRITERIA },
	{ "评估标准", T_TEXT, KP_T_CRITERIA },
	{ "责任单位", T_TEXT, KP_T_UNITS }, { "牵头单位", T_TEXT, KP_T_UNITS },
	{ "建设单位", T_TEXT, KP_T_UNITS }, { "牵头落实单位", T_TEXT, KP_T_UNITS },
	{ "责任部门", T_TEXT, KP_T_UNITS },
	{ "需报送信息", T_TEXT, KP_T_REPORT },
	{ "适用范围", T_TEXT, KP_T_APPLIES }, { "适用", T_TEXT, KP_T_APPLIES },
	{ "自动检测", T_TEXT, KP_T_CHECK }, { "检测项", T_TEXT, KP_T_CHECK },
	{ "备注", T_TEXT, KP_T_NOTE }, { "说明", T_TEXT, KP_T_NOTE },
	{ "原文问题", T_TEXT, KP_T_QUIRK },
	{ "规则", T_RULE, 0 }, { "计分规则", T_TEXT, KP_T_CRITERIA }, { "参数", T_PARAMS, 0 },
	{ "编号", T_CODE, 0 }, { "路径", T_PATH, 0 },
	{ "优", T_GRADE, 0 }, { "良", T_GRADE, 0 }, { "中", T_GRADE, 0 },
	{ "差", T_GRADE, 0 }, { "好", T_GRADE, 0 }, { "较好", T_GRADE, 0 },
	{ "一般", T_GRADE, 0 }, { "较差", T_GRADE, 0 }, { "档位", T_GRADE, 0 },
	{ "序号", T_SEQ, 0 }, { "自评分", T_IGNORE, 0 },
	{ "考核分", T_IGNORE, 0 }, { "考评分", T_IGNORE, 0 },
	{ "得分", T_IGNORE, 0 }, { "评估得分", T_IGNORE, 0 },
	{ "自评得分", T_IGNORE, 0 }, { "考核得分", T_IGNORE, 0 },
	{ "忽略", T_IGNORE, 0 }, { "ignore", T_IGNORE, 0 },
	/* the canonical column names, so a canonical CSV without its #meta
	 * rows (or one edited into another layout) imports too */
	{ "code", T_CODE, 0 }, { "path", T_PATH, 0 }, { "points", T_POINTS, 0 },
	{ "rule", T_RULE, 0 }, { "params", T_PARAMS, 0 },
	{ "applies", T_TEXT, KP_T_APPLIES }, { "units", T_TEXT, KP_T_UNITS },
	{ "check", T_TEXT, KP_T_CHECK }, { "content", T_TEXT, KP_T_CONTENT },
	{ "criteria", T_TEXT, KP_T_CRITERIA }, { "report", T_TEXT, KP_T_REPORT },
	{ "note", T_TEXT, KP_T_NOTE }, { "quirk", T_TEXT, KP_T_QUIRK },
};

/* Headers by meaning: a header no row above names is placed by the words
 * it contains, first row first.  One row per meaning and word. */
static const struct meaning {
	const char *word;
	enum target target;
	int arg;
} meanings[] = {
	/* what a unit scored, not what the table says: not read */
	{ "得分", T_IGNORE, 0 }, { "自评", T_IGNORE, 0 },
	{ "考核分", T_IGNORE, 0 }, { "扣分情况", T_IGNORE, 0 },
	{ "序号", T_SEQ, 0 }, { "编号", T_SEQ, 0 }, { "序", T_SEQ, 0 },
	/* a level word: 一级指标, 二级项目, 三级内容 (its points: 一级分值) */
	{ "一级", T_LEVEL, 1 }, { "二级", T_LEVEL, 2 },
	{ "三级", T_LEVEL, 3 }, { "四级", T_LEVEL, 4 },
	{ "分值", T_POINTS, 0 }, { "分数", T_POINTS, 0 },
	{ "权重", T_POINTS, 0 }, { "满分", T_POINTS, 0 },
	{ "标准分", T_POINTS, 0 }, { "总分", T_POINTS, 0 },
	{ "责任", T_TEXT, KP_T_UNITS }, { "牵头", T_TEXT, KP_T_UNITS },
	{ "承办", T_TEXT, KP_T_UNITS }, { "建设单位", T_TEXT, KP_T_UNITS },
	{ "配合单位", T_TEXT, KP_T_UNITS }, { "实施单位", T_TEXT, KP_T_UNITS },
	{ "标准", T_TEXT, KP_T_CRITERIA }, { "细则", T_TEXT, KP_T_CRITERIA },
	{ "评分", T_TEXT, KP_T_CRITERIA }, { "计分", T_TEXT, KP_T_CRITERIA },
	{ "扣分", T_TEXT, KP_T_CRITERIA }, { "评测", T_TEXT, KP_T_CRITERIA },
	{ "要求", T_TEXT, KP_T_CRITERIA }, { "要点", T_TEXT, KP_T_CRITERIA },
	{ "备注", T_TEXT, KP_T_NOTE }, { "说明", T_TEXT, KP_T_NOTE },
	{ "内容", T_TEXT, KP_T_CONTENT }, { "事项", T_TEXT, KP_T_CONTENT },
	{ "名称", T_TEXT, KP_T_CONTENT }, { "指标", T_TEXT, KP_T_CONTENT },
	{ "项目", T_TEXT, KP_T_CONTENT }, { "任务", T_TEXT, KP_T_CONTENT },
	{ "档位", T_GRADE, 0 }, { "档次", T_GRADE, 0 }, { "等次", T_GRADE, 0 },
	{ "优秀", T_GRADE, 0 }, { "良好", T_GRADE, 0 }, { "合格", T_GRADE, 0 },
	{ "较好", T_GRADE, 0 }, { "较差", T_GRADE, 0 },
};

char *imp_norm_header(const char *s)
{
	char *h = kp_squeeze(kp_xstrdup(s));
	/* "市级采用任务（分）" → "市级采用任务" */
	size_t n = strlen(h);
	if (n > strlen("（分）") && !strcmp(h + n - strlen("（分）"), "（分）"))
		h[n - strlen("（分）")] = '\0';
	else if (n > 3 && !strcmp(h + n - 3, "(分)"))
		h[n - 3] = '\0';
	return h;
}

static const struct header_def *lookup_header(const char *name)
{
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (!strcmp(headers[i].name, name))
			return &headers[i];
	return NULL;
}

/* ---- header ---------------------------------------------------------- */

/* Apply --map "header=target" pairs over the built-in names. */
static const struct header_def *mapped(importer *im, const char *h, bool *bad,
				       const char **target)
{
	*bad = false;
	for (const char **m = im->o && im->o->map ? im->o->map : NULL; m && *m;
	     m++) {
		const char *eq = strchr(*m, '=');
		char *left, *right;
		const struct header_def *d;
		if (!eq)
			continue;
		{
			char *raw = kp_xstrndup(*m, (size_t)(eq - *m));
			left = imp_norm_header(raw);
			free(raw);
		}
		if (strcmp(left, h)) {
			free(left);
			continue;
		}
		free(left);
		right = imp_norm_header(eq + 1);
		d = lookup_header(right);
		free(right);
		if (!d) {
			*bad = true;
			*target = eq + 1;
		}
		return d;
	}
	return lookup_header(h);
}

int imp_check_maps(importer *im)
{
	for (const char **m = im->o && im->o->map ? im->o->map : NULL; m && *m;
	     m++) {
		const char *eq = strchr(*m, '=');
		char *right;
		const struct header_def *d;
		if (!eq || eq == *m)
			return kp_fail(im->e, KP_EINPUT,
				       "--map 的写法是“原列名=含义”，如 --map '单位名称=一级指标'（收到“%s”）",
				       *m);
		right = imp_norm_header(eq + 1);
		d = lookup_header(right);
		free(right);
		if (!d)
			return kp_fail(im->e, KP_EINPUT,
				       "--map '%s'：不认识的含义“%s”（可用如 一级指标、分值、评估内容、评分标准、责任单位、备注、忽略）",
				       *m, eq + 1);
	}
	return 0;
}

/* What header h means: --map and the names above first, then the words it
 * contains.  Returns false when nothing places it. */
static bool classify(importer *im, const char *h, struct header_def *out,
		     bool *by_meaning)
{
	bool bad;
	const char *tgt;
	const struct header_def *d = mapped(im, h, &bad, &tgt);
	*by_meaning = false;
	if (d) {
		*out = *d;
		return true;
	}
	/* by meaning: short headers only (a sentence is not a header), and
	 * not with --strict, which knows the names above and nothing else */
	if ((im->o && im->o->strict) || kp_utf8_width(h) > 24)
		return false;
	for (size_t i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++)
		if (strstr(h, meanings[i].word)) {
			out->name = h;
			out->target = meanings[i].target;
			out->arg = meanings[i].arg;
			/* 一级分值, 二级权重: a level's points */
			if (out->target == T_LEVEL &&
			    (strstr(h, "分值") || strstr(h, "权重") ||
			     strstr(h, "分数")))
				out->target = T_LPOINTS;
			*by_meaning = true;
			return true;
		}
	/* a grade band as its own column: 优, 良, 中, 差, A档 */
	return false;
}

/* Find the header row: the first row, among the first 30, in which at
 * least two cells are placed and one of them names a level or a path, or
 * (a flat list) a name column with points or grades beside it.  Returns
 * the row index or -1. */
long imp_find_header(importer *im)
{
	size_t nrows = kp_sheet_nrows(im->s);
	for (size_t r = 0; r < nrows && r < 30; r++) {
		size_t known = 0;
		bool level = false, name = false, points = false;
		if (!strncmp(kp_sheet_cell(im->s, r, 0), "#meta", 5))
			continue;   /* a canonical file's #meta rows */
		for (size_t c = 0; c < kp_sheet_ncols(im->s, r); c++) {
			char *h = imp_norm_header(kp_sheet_cell(im->s, r, c));
			struct header_def d;
			bool bm;
			if (*h && classify(im, h, &d, &bm)) {
				known++;
				level |= d.target == T_LEVEL ||
					 d.target == T_PATH;
				name |= d.target == T_TEXT &&
					d.arg == KP_T_CONTENT;
				points |= d.target == T_POINTS ||
					  d.target == T_GRADE;
			}
			free(h);
		}
		if (known >= 2 && (level || (name && points)))
			return (long)r;
	}
	return -1;
}

/* The column of header row r placed before c with the meaning of d, when
 * d is one a table has only once (a level, the points, a code …); -1
 * when none. */
static long same_meaning(const importer *im, size_t c,
			 const struct header_def *d)
{
	if (d->target == T_IGNORE || d->target == T_GRADE ||
	    d->target == T_TEXT || d->target == T_EXTRA ||
	    d->target == T_NONE)
		return -1;
	for (size_t k = 0; k < c; k++)
		if (im->cols[k].target == d->target &&
		    im->cols[k].arg == d->arg)
			return (long)k;
	return -1;
}

/* Place column c of header row r (its header already in im->cols[c]):
 * by name or by meaning; a column nothing places is a note (or, with
 * --strict, goes in unknown); a second column of a meaning a table has
 * once is a note when only its words placed it, else an error. */
static int place_column(importer *im, size_t r, size_t c, kp_buf *unknown)
{
	const char *h = im->cols[c].header;
	struct header_def d;
	bool bm;
	long dup;
	if (!*h) {
		im->cols[c].target = T_NONE;
		return 0;
	}
	if (!classify(im, h, &d, &bm)) {
		if (im->o && im->o->strict) {
			kp_buf_addf(unknown, "%s“%s”", unknown->len ? "、" : "",
				    h);
			return 0;
		}
		im->cols[c].target = T_EXTRA;
		imp_unplaced(im, r,
			     "无法识别的列“%s”，其内容记入备注；如有别的含义请用 --map '%s=含义' 指明",
			     h, h);
		return 0;
	}
	dup = same_meaning(im, c, &d);
	if (dup >= 0 && bm) {
		/* a second column of the same meaning, placed only by its
		 * words: keep it as a note rather than stop */
		im->cols[c].target = T_EXTRA;
		imp_unplaced(im, r,
			     "列“%s”与前面的列含义相同，其内容记入备注；如有别的含义请用 --map 指明",
			     h);
		return 0;
	}
	if (dup >= 0)
		return kp_fail(im->e, KP_EINPUT,
			       "%s:%zu: 表头“%s”和“%s”表示同一含义，请用 --map 指明其中一列",
			       kp_sheet_name(im->s), kp_sheet_line(im->s, r),
			       im->cols[dup].header, h);
	im->cols[c].target = d.target;
	im->cols[c].arg = d.arg;
	im->cols[c].by_meaning = bm;
	if (d.target == T_CODE)
		im->have_code = true;
	if (d.target == T_RULE || d.target == T_PARAMS)
		im->have_rule = true;
	return 0;
}

/* Levels that do not start at 一级: the first is some other column, which
 * only the person who knows the table can name.  -1 with the columns it
 * might be. */
static int levels_start(importer *im, size_t r)
{
	int low = MAX_LEVELS + 1;
	kp_buf cand = KP_BUF_INIT;
	for (size_t c = 0; c < im->ncols; c++)
		if (im->cols[c].target == T_LEVEL && im->cols[c].arg < low)
			low = im->cols[c].arg;
	if (low <= 1)
		return 0;
	for (size_t c = 0; c < im->ncols; c++)
		if (im->cols[c].by_meaning || im->cols[c].target == T_EXTRA)
			kp_buf_addf(&cand, "%s“%s”", cand.len ? "、" : "",
				    im->cols[c].header);
	kp_fail(im->e, KP_EINPUT,
		"%s:%zu: 表头有%s级指标却没有一级指标%s%s%s；请用 --map '列名=一级指标' 指明哪一列是一级指标",
		kp_sheet_name(im->s), kp_sheet_line(im->s, r),
		low == 2 ? "二" : low == 3 ? "三" : "四",
		cand.len ? "（可能是 " : "", cand.len ? cand.data : "",
		cand.len ? "）" : "");
	kp_buf_release(&cand);
	return -1;
}

/* No level column: a flat list, whose first content column names the
 * items; with one column of names, levels come from their numbering
 * (一、 （一） 1. 1.1 ①) or the 序号 column (im->flat). */
static void flat_list(importer *im, int levels, bool path)
{
	if (!levels && !path && !(im->o && im->o->strict)) {
		for (size_t c = 0; c < im->ncols; c++)
			if (im->cols[c].target == T_TEXT &&
			    im->cols[c].arg == KP_T_CONTENT) {
				im->cols[c].target = T_LEVEL;
				im->cols[c].arg = 1;
				levels = 1;
				break;
			}
	}
	if (levels == 1 && !path && !im->have_code && !im->have_rule)
		for (size_t c = 0; c < im->ncols; c++)
			if (im->cols[c].target == T_LEVEL) {
				im->flat = im->cols[c].arg == 1;
				break;
			}
}

int imp_read_header(importer *im, size_t r)
{
	size_t nc = kp_sheet_ncols(im->s, r);
	kp_buf unknown = KP_BUF_INIT;
	int levels = 0;
	bool path = false;
	im->cols = kp_xcalloc(nc ? nc : 1, sizeof(*im->cols));
	im->ncols = nc;
	for (size_t c = 0; c < nc; c++) {
		im->cols[c].header = imp_norm_header(kp_sheet_cell(im->s, r, c));
		if (place_column(im, r, c, &unknown) < 0) {
			kp_buf_release(&unknown);
			return -1;
		}
		levels += im->cols[c].target == T_LEVEL;
		path |= im->cols[c].target == T_PATH;
	}
	if (unknown.len) {
		kp_fail(im->e, KP_EINPUT,
			"%s:%zu: 无法识别的列 %s；请用 --map '列名=含义' 指明（如 =一级指标、=评估内容、=忽略）",
			kp_sheet_name(im->s), kp_sheet_line(im->s, r),
			unknown.data);
		kp_buf_release(&unknown);
		return -1;
	}
	kp_buf_release(&unknown);
	if (levels && !path && !im->have_code && levels_start(im, r) < 0)
		return -1;
	flat_list(im, levels, path);
	return 0;
}

/* 攀办函〔2017〕71号 inside s: its start and length, or false. */
static bool find_docno(const char *s, size_t *from, size_t *len)
{
	const char *open = strstr(s, "〔"), *close, *hao, *a;
	if (!open)
		open = strstr(s, "[");
	if (!open)
		return false;
	close = strstr(open, "〕");
	if (!close)
		close = strchr(open, ']');
	if (!close || !(hao = strstr(close, "号")) || hao - close > 12)
		return false;
	a = open;
	/* back to a blank or the start: the issuer's short name */
	while (a > s && a[-1] != ' ' && (unsigned char)a[-1] >= 0x80 &&
	       !((unsigned char)a[-1] == 0x9A && a - s >= 3 &&
		 !strncmp(a - 3, "：", 3)))
		a--;
	while (a < open && ((unsigned char)*a & 0xC0) == 0x80)
		a++;
	*from = (size_t)(a - s);
	*len = (size_t)(hao + strlen("号") - a);
	return true;
}

/* The rows above the header: the title (the first with one text that is
 * not 附件N or a document number alone), the document number and the
 * year when they are written there.  Returns the title (owned) or NULL. */
char *imp_title_rows(importer *im, size_t hdr)
{
	char *title = NULL;
	for (size_t r = 0; r < hdr; r++) {
		const char *one = NULL;
		bool many = false;
		size_t from, len;
		char *t;
		for (size_t c = 0; c < kp_sheet_ncols(im->s, r); c++) {
			const char *v = kp_sheet_cell(im->s, r, c);
			if (!*v)
				continue;
			if (!one)
				one = v;
			else if (strcmp(one, v))
				many = true;
			if (!im->docno && find_docno(v, &from, &len))
				im->docno = kp_xstrndup(v + from, len);
		}
		if (!one || many || title)
			continue;
		t = kp_squeeze(kp_xstrdup(one));
		if ((!strncmp(t, "附件", strlen("附件")) && strlen(t) <= 12) ||
		    (find_docno(t, &from, &len) && from == 0 && !t[len])) {
			free(t);
			continue;
		}
		title = t;
	}
	if (title && !im->year) {
		for (const char *p = title; *p; p++)
			if ((p[0] == '1' || p[0] == '2') && imp_ar_digits(p) == 4 &&
			    !strncmp(p + 4, "年", strlen("年")) &&
			    (p == title || p[-1] < '0' || p[-1] > '9')) {
				im->year = kp_xstrndup(p, 4);
				break;
			}
	}
	return title;
}

/* ---- numbering inside names: 一、 （一） 1. 1.1 (1) ① ---------------- */

static size_t zh_digits(const char *p)
{
	static const char *const d[] = { "一", "二", "三", "四", "五", "六",
					 "七", "八", "九", "十", "零", "〇" };
	size_t k = 0;
	for (;;) {
		size_t i;
		for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
			if (!strncmp(p + k, d[i], strlen(d[i])))
				break;
		if (i == sizeof(d) / sizeof(d[0]))
			return k;
		k += strlen(d[i]);
	}
}

/* The numbering style at the start of s and its length (with what
 * follows it: 、 . ． and blanks).  whole: s is a 序号 cell, where a bare
 * "1" or "一" is a number too. */
int imp_numbering(const char *s, bool whole, size_t *len)
{
	size_t k;
	*len = 0;
	if ((k = zh_digits(s))) {
		if (!strncmp(s + k, "、", strlen("、")))
			*len = k + strlen("、");
		else if (whole && !s[k])
			*len = k;
		else
			return NUM_NONE;
		return NUM_ZH;
	}
	if (!strncmp(s, "（", strlen("（")) || *s == '(') {
		size_t o = *s == '(' ? 1 : strlen("（");
		int style = NUM_NONE;
		if ((k = zh_digits(s + o)))
			style = NUM_ZH_PAREN;
		else if ((k = imp_ar_digits(s + o)))
			style = NUM_AR_PAREN;
		else
			return NUM_NONE;
		if (!strncmp(s + o + k, "）", strlen("）")))
			*len = o + k + strlen("）");
		else if (s[o + k] == ')')
			*len = o + k + 1;
		else
			return NUM_NONE;
		return style;
	}
	/* ① … ⑳: U+2460..U+2473 */
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 &&
	    (unsigned char)s[2] >= 0xA0 && (unsigned char)s[2] <= 0xB3) {
		*len = 3;
		return NUM_CIRCLED;
	}
	if ((k = imp_ar_digits(s))) {
		int depth = 1;
		while ((s[k] == '.' || s[k] == '-') && imp_ar_digits(s + k + 1)) {
			k += 1 + imp_ar_digits(s + k + 1);
			depth++;
		}
		if (s[k] == '.' || s[k] == ' ')
			k++;
		else if (!strncmp(s + k, "、", strlen("、")) ||
			 !strncmp(s + k, "．", strlen("．")))
			k += strlen("、");
		else if (!(whole && !s[k]) && depth == 1)
			return NUM_NONE;
		/* "2017年": a number, not a numbering */
		if (!whole && depth == 1 && s[k] >= '0' && s[k] <= '9')
			return NUM_NONE;
		*len = k;
		return NUM_ARABIC + depth - 1;
	}
	return NUM_NONE;
}

/* ---- rows ---------------------------------------------------------- */

/* A row with more cells than the header: the extra cells would have no
 * column, so the row is refused rather than cut. */
int imp_extra_cells(importer *im, size_t r)
{
	size_t nc = kp_sheet_ncols(im->s, r);
	for (size_t c = im->ncols; c < nc; c++)
		if (*kp_sheet_cell(im->s, r, c))
			return kp_fail(im->e, KP_EINPUT,
				       "%s:%zu: 此行有 %zu 个单元格，表头只有 %zu 列（第 %zu 列“%s”没有列名可对应）；请补上列名或删去多余的单元格",
				       kp_sheet_name(im->s),
				       kp_sheet_line(im->s, r), nc, im->ncols,
				       c + 1, kp_sheet_cell(im->s, r, c));
	return 0;
}
