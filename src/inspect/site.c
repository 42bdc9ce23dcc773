/*
 * inspect/site.c — the per-site config (--site-config) and the list items
 * it gives a column.
 *
 * The file is CSV, one setting a line (docs/inspect.md): host, robots,
 * private (allow: other hosts may be on private addresses), exclude, portal (the government portal's domain), column (a column's URL and class), and for a configured column
 * its list items, either
 *	items,NAME,PCRE2          each match over the page's HTML is an item;
 *	                          the named group "date" (or the match) dates it
 *	xpath,NAME,ITEMS[,DATE]   ITEMS, an XPath 1.0 over libxml2's tree of the
 *	                          page, selects the items; DATE, an XPath
 *	                          relative to each item, or "regex:" and a PCRE2
 *	                          over the item's text, dates it (omitted: the
 *	                          newest date in the item's text).
 * An item's title and link are those of its first <a>.
 *
 * Every pattern is compiled, and every XPath also run once on a small page
 * (libxml2 finds unknown functions and variables only when it runs one),
 * while the file is read: a bad one stops the run before any crawling,
 * naming the file and line.
 *
 * Only the pages of columns with such a line are parsed again here, and
 * only they are built into a tree; every other page goes through the
 * streaming extractor alone (html.c), which stays the hot path.
 */
#include "inspect/inspect_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <limits.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 10000        /* items kept from one page */
#define ITEM_TEXT_MAX 200      /* bytes of an item's text kept */
#define DATE_PREFIX "regex:"   /* a DATE that is a PCRE2, not an XPath */

/* Parsing a column page: recover from anything, say nothing, fetch
 * nothing, and take the text as the UTF-8 kaoping already decoded it to,
 * whatever its <meta charset> says. */
#define HTML_OPTS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
		   HTML_PARSE_NOWARNING | HTML_PARSE_NONET | \
		   HTML_PARSE_IGNORE_ENC)

/* ---- libxml2's XPath errors, caught and said in Chinese ----------------- */

typedef struct xp_err {
	int code;      /* XML_XPATH_*, 0 when none */
	int pos;       /* byte offset into the expression (compile errors) */
} xp_err;

#if LIBXML_VERSION >= 21200
static void on_xp_error(void *ctx, const xmlError *err)
#else
static void on_xp_error(void *ctx, xmlErrorPtr err)
#endif
{
	xp_err *x = ctx;
	if (!err || x->code)
		return;
	x->code = err->code ? err->code : XML_XPATH_EXPR_ERROR;
	x->pos = err->int1;
}

/* libxml2 also prints some XPath errors through its generic handler;
 * while kaoping runs an XPath that goes nowhere. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

typedef struct hush {
	xmlGenericErrorFunc fn;
	void *ctx;
} hush;

static hush hush_on(void)
{
	hush h = { xmlGenericError, xmlGenericErrorContext };
	xmlSetGenericErrorFunc(NULL, quiet);
	return h;
}

static void hush_off(hush h)
{
	xmlSetGenericErrorFunc(h.ctx, h.fn);
}

static const struct {
	int code;
	const char *text;
} xp_errors[] = {
	{ XML_XPATH_EXPR_ERROR, "表达式无效" },
	{ XML_XPATH_UNFINISHED_LITERAL_ERROR, "字符串缺少结束的引号" },
	{ XML_XPATH_START_LITERAL_ERROR, "字符串缺少开始的引号" },
	{ XML_XPATH_NUMBER_ERROR, "数字写法有错" },
	{ XML_XPATH_VARIABLE_REF_ERROR, "变量写法有错" },
	{ XML_XPATH_UNDEF_VARIABLE_ERROR, "用了未定义的变量（设置文件中不能用变量）" },
	{ XML_XPATH_INVALID_PREDICATE_ERROR, "方括号中的条件有错" },
	{ XML_XPATH_UNCLOSED_ERROR, "表达式不完整（括号或方括号没有闭合？）" },
	{ XML_XPATH_UNKNOWN_FUNC_ERROR, "没有这个函数（可用 XPath 1.0 的函数）" },
	{ XML_XPATH_INVALID_OPERAND, "运算对象的类型不对" },
	{ XML_XPATH_INVALID_TYPE, "参数类型不对" },
	{ XML_XPATH_INVALID_ARITY, "函数的参数个数不对" },
	{ XML_XPATH_UNDEF_PREFIX_ERROR, "用了未定义的命名空间前缀" },
	{ XML_XPATH_INVALID_CHAR_ERROR, "含有无效字符" },
	{ XML_XPATH_ENCODING_ERROR, "含有无效的 UTF-8 字节" },
};

static const char *xp_error_text(int code)
{
	for (size_t i = 0; i < sizeof(xp_errors) / sizeof(xp_errors[0]); i++)
		if (xp_errors[i].code == code)
			return xp_errors[i].text;
	return "表达式无效";
}

static size_t nchars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n && s[i]; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* Where in expr a compile error is, for a person: "第 N 个字符处" or
 * "末尾" (an expression that stops too early). */
static void xp_where(const char *expr, int pos, char *buf, size_t n)
{
	size_t len = strlen(expr);
	if (pos < 0 || (size_t)pos >= len)
		snprintf(buf, n, "末尾");
	else
		snprintf(buf, n, "第 %zu 个字符处", nchars(expr, (size_t)pos) + 1);
}

/* The small page every configured XPath is run on once, when the config
 * is read. */
static const char probe_html[] =
	"<html><head><title>t</title></head><body><ul class=\"list\">"
	"<li data-date=\"2024-01-02\"><a href=\"/a.html\">标题</a>"
	"<span>2024-01-02</span></li></ul></body></html>";

/* Compile expr (what: 列表项 or 日期) and run it once on the probe page —
 * with the context node an item (first) for a date.  Returns the compiled
 * XPath, or NULL with e filled naming path:line. */
static xmlXPathCompExprPtr xp_load(const char *expr, bool date, const char *col,
				   const char *path, size_t line, kp_err *e)
{
	const char *what = date ? "日期" : "列表项";
	xp_err x = { 0, 0 };
	char where[64];
	hush h = hush_on();
	xmlXPathContextPtr ctx = xmlXPathNewContext(NULL);
	xmlXPathCompExprPtr comp = NULL;
	xmlXPathObjectPtr res = NULL;
	htmlDocPtr doc = NULL;
	if (!ctx) {
		hush_off(h);
		kp_fail(e, KP_ENOMEM, "内存不足");
		return NULL;
	}
	ctx->error = on_xp_error;
	ctx->userData = &x;
	comp = xmlXPathCtxtCompile(ctx, (const xmlChar *)expr);
	xmlXPathFreeContext(ctx);
	ctx = NULL;
	if (!comp) {
		xp_where(expr, x.pos, where, sizeof(where));
		if (!strcmp(where, "末尾") &&
		    (x.code == XML_XPATH_EXPR_ERROR ||
		     x.code == XML_XPATH_INVALID_PREDICATE_ERROR))
			x.code = XML_XPATH_UNCLOSED_ERROR;
		kp_fail_at(e, KP_EINPUT, path, line,
			   "栏目“%s”的%s XPath “%s”在%s有错：%s", col, what,
			   expr, where, xp_error_text(x.code));
		goto fail;
	}
	doc = htmlReadMemory(probe_html, (int)sizeof(probe_html) - 1,
			     "http://probe/", "UTF-8", HTML_OPTS);
	ctx = doc ? xmlXPathNewContext(doc) : NULL;
	if (!ctx) {
		kp_fail(e, KP_ENOMEM, "内存不足");
		goto fail;
	}
	ctx->error = on_xp_error;
	ctx->userData = &x;
	if (date) {
		/* an item of the probe page is the context node */
		xmlXPathObjectPtr li = xmlXPathEval((const xmlChar *)"//li", ctx);
		if (li && li->type == XPATH_NODESET && li->nodesetval &&
		    li->nodesetval->nodeNr)
			ctx->node = li->nodesetval->nodeTab[0];
		xmlXPathFreeObject(li);
	}
	res = xmlXPathCompiledEval(comp, ctx);
	if (!res || x.code) {
		kp_fail_at(e, KP_EINPUT, path, line,
			   "栏目“%s”的%s XPath “%s”无法执行：%s", col, what,
			   expr, xp_error_text(x.code));
		goto fail;
	}
	if (res->type != XPATH_NODESET &&
	    (!date || res->type != XPATH_STRING)) {
		kp_fail_at(e, KP_EINPUT, path, line,
			   date ? "栏目“%s”的%s XPath “%s”应选出元素、属性或文字（它得出的是数字或真假值）"
				: "栏目“%s”的%s XPath “%s”应选出元素（它得出的是数字、文字或真假值）",
			   col, what, expr);
		goto fail;
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	hush_off(h);
	return comp;
fail:
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	xmlXPathFreeCompExpr(comp);
	hush_off(h);
	return NULL;
}

static pcre2_code *re_load(const char *re, const char *col, const char *what,
			   const char *path, size_t line, kp_err *e)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
					 PCRE2_UTF | PCRE2_DOTALL, &ec, &eo,
					 NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		kp_fail_at(e, KP_EINPUT, path, line,
			   "栏目“%s”的%s正则表达式在第 %zu 个字符处有错（%s）",
			   col, what, nchars(re, (size_t)eo) + 1, (char *)msg);
	}
	return code;
}

/* ---- the config file ---------------------------------------------------- */

static void clear_items(kp_inspect_site_column *c)
{
	if (c->items_re)
		pcre2_code_free(c->items_re);
	if (c->date_re)
		pcre2_code_free(c->date_re);
	if (c->items_xp)
		xmlXPathFreeCompExpr(c->items_xp);
	if (c->date_xp)
		xmlXPathFreeCompExpr(c->date_xp);
	c->items_re = c->date_re = c->items_xp = c->date_xp = NULL;
}

void kp_inspect_site_release(kp_inspect_site *s)
{
	for (size_t i = 0; i < s->nhosts; i++)
		free(s->hosts[i]);
	free(s->hosts);
	for (size_t i = 0; i < s->nexclude; i++)
		free(s->exclude[i]);
	free(s->exclude);
	free(s->portal);
	for (size_t i = 0; i < s->ncols; i++) {
		free(s->cols[i].name);
		free(s->cols[i].url);
		free(s->cols[i].cls);
		free(s->cols[i].abs);
		clear_items(&s->cols[i]);
	}
	free(s->cols);
	kp_inspect_words_free(s->words);
	memset(s, 0, sizeof(*s));
}

static void push_str(char ***v, size_t *n, const char *s)
{
	*v = kp_xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = kp_xstrdup(s);
}

/* The configured column named name, or NULL with e filled. */
static kp_inspect_site_column *site_column(kp_inspect_site *s, const char *key,
				    const char *name, const char *path,
				    size_t line, kp_err *e)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (!strcmp(s->cols[i].name, name))
			return &s->cols[i];
	kp_fail_at(e, KP_EINPUT, path, line,
		   "%s 行的栏目“%s”没有先用 column 行给出网址", key, name);
	return NULL;
}

/* wording,FILE: the office's word list, a path as written or beside the
 * config file. */
static int site_wording(kp_inspect_site *s, const char *path,
			const char *file, kp_err *e)
{
	kp_buf wp = KP_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int wr;
	if (file[0] != '/' && slash)
		kp_buf_add(&wp, path, (size_t)(slash + 1 - path));
	kp_buf_adds(&wp, file);
	wr = kp_inspect_words_load(&s->words, wp.data, e);
	kp_buf_release(&wp);
	return wr;   /* on -1, e names the word list's file and line */
}

/* portal,DOMAIN: the later line replaces. */
static int site_portal(kp_inspect_site *s, const char *value,
		       const char *path, size_t line, kp_err *e)
{
	char dom[256];
	char *v = kp_xstrdup(value);
	bool ok = kp_inspect_domain_norm(kp_trim(v), dom, sizeof(dom));
	if (!ok)
		kp_fail_at(e, KP_EINPUT, path, line,
			   "portal 行的“%s”不是域名（应为本级政府门户网站的域名，如 example.gov.cn）",
			   kp_trim(v));
	free(v);
	if (!ok)
		return -1;
	free(s->portal);
	s->portal = kp_xstrdup(dom);
	return 0;
}

/* xpath,COLUMN,ITEMS[,DATE]: a column's items by XPath, its date by XPath
 * or by "re:" and a pattern; the later line replaces. */
static int site_xpath(kp_inspect_site *s, const kp_csv *csv,
		      const char *path, kp_err *e)
{
	const char *dt = csv->nfields >= 4 ? csv->fields[3] : "";
	size_t pl = strlen(DATE_PREFIX), line = csv->row_line;
	xmlXPathCompExprPtr items, dxp = NULL;
	pcre2_code *dre = NULL;
	kp_inspect_site_column *sc;
	if (!(sc = site_column(s, "xpath", csv->fields[1], path, line, e)))
		return -1;
	if (!(items = xp_load(csv->fields[2], false, sc->name, path, line, e)))
		return -1;
	if (!strncmp(dt, DATE_PREFIX, pl))
		dre = re_load(dt + pl, sc->name, "日期", path, line, e);
	else if (*dt)
		dxp = xp_load(dt, true, sc->name, path, line, e);
	if (*dt && !dre && !dxp) {
		xmlXPathFreeCompExpr(items);
		return -1;
	}
	clear_items(sc);
	sc->items_xp = items;
	sc->date_xp = dxp;
	sc->date_re = dre;
	return 0;
}

/* One line of a site config. */
static int site_line(kp_inspect_site *s, const kp_csv *csv,
		     const char *path, kp_err *e)
{
	const char *k = csv->fields[0];
	size_t nf = csv->nfields, line = csv->row_line;
	kp_inspect_site_column *sc;
	pcre2_code *re;
	if (!strcmp(k, "host") && nf >= 2) {
		char *h = kp_xstrdup(csv->fields[1]);
		for (char *p = h; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		push_str(&s->hosts, &s->nhosts, kp_trim(h));
		free(h);
	} else if (!strcmp(k, "robots") && nf >= 2) {
		s->ignore_robots = !strcmp(csv->fields[1], "ignore");
	} else if (!strcmp(k, "private") && nf >= 2) {
		s->allow_private = !strcmp(csv->fields[1], "allow");
	} else if (!strcmp(k, "wording") && nf >= 2) {
		return site_wording(s, path, csv->fields[1], e);
	} else if (!strcmp(k, "exclude") && nf >= 2) {
		push_str(&s->exclude, &s->nexclude, csv->fields[1]);
	} else if (!strcmp(k, "portal")) {
		return site_portal(s, nf >= 2 ? csv->fields[1] : "", path, line, e);
	} else if (!strcmp(k, "column") && nf >= 3) {
		s->cols = kp_xrealloc(s->cols, (s->ncols + 1) * sizeof(*s->cols));
		memset(&s->cols[s->ncols], 0, sizeof(s->cols[0]));
		s->cols[s->ncols].name = kp_xstrdup(csv->fields[1]);
		s->cols[s->ncols].url = kp_xstrdup(csv->fields[2]);
		s->cols[s->ncols].cls = nf >= 4 && *csv->fields[3]
			? kp_xstrdup(csv->fields[3]) : NULL;
		s->ncols++;
	} else if (!strcmp(k, "items") && nf >= 3) {
		if (!(sc = site_column(s, k, csv->fields[1], path, line, e)))
			return -1;
		if (!(re = re_load(csv->fields[2], sc->name, "列表项", path,
				   line, e)))
			return -1;
		clear_items(sc);   /* the later line replaces */
		sc->items_re = re;
	} else if (!strcmp(k, "xpath") && nf >= 3) {
		return site_xpath(s, csv, path, e);
	} else {
		return kp_fail_at(e, KP_EINPUT, path, line,
				  "无法识别的设置“%s”（可用：host、robots、private、exclude、portal、wording、column、items、xpath；"
				  "column 至少 3 项，items、xpath 至少 3 项）",
				  k);
	}
	return 0;
}

int kp_inspect_site_load(const char *path, kp_inspect_site *s, kp_err *e)
{
	kp_buf b = KP_BUF_INIT;
	kp_csv csv;
	int r, rc = -1;
	kp_buf_init(&b, 1 << 20);
	if (kp_read_file(path, 1 << 20, &b, e) < 0)
		return -1;
	xmlInitParser();
	kp_csv_init(&csv, path, b.data ? b.data : "", b.len, ',');
	while ((r = kp_csv_next(&csv, e)) == 1) {
		const char *k = csv.fields[0];
		if (!*k || k[0] == '#')
			continue;
		if (site_line(s, &csv, path, e) < 0)
			goto out;
	}
	if (r < 0)
		goto out;
	rc = 0;
out:
	kp_csv_release(&csv);
	kp_buf_release(&b);
	return rc;
}

/* ---- the items of a configured column's page ---------------------------- */

/* Append an item: text (capped at a character boundary), href (may be
 * NULL), date. */
static void push_item(kp_inspect_doc *d, const char *text, size_t n, const char *href,
		      kp_inspect_date date)
{
	if (n > ITEM_TEXT_MAX)
		n = kp_utf8_valid_prefix(text, ITEM_TEXT_MAX);
	if (d->nitems == d->cap_items) {
		d->cap_items = d->cap_items ? d->cap_items * 2 : 32;
		d->items = kp_xrealloc(d->items, d->cap_items * sizeof(*d->items));
	}
	d->items[d->nitems++] = (kp_inspect_item){
		kp_xstrndup(text, n), href ? kp_xstrdup(href) : NULL, date,
		date ? KP_INSPECT_DS_CONFIG : 0, false, 0, 0
	};
}

/* The newest date in s[0..n): with re, in its group "date" (or the whole
 * match) of each match. */
static kp_inspect_date date_in(const pcre2_code *re, const char *s, size_t n,
			kp_inspect_date as_of)
{
	kp_inspect_date best = 0;
	pcre2_match_data *md;
	PCRE2_SIZE off = 0;
	if (!re)
		return kp_inspect_date_find(s, n, as_of);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	while (off <= n && pcre2_match(re, (PCRE2_SPTR)s, n, off, 0, md,
				       NULL) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		PCRE2_UCHAR *dt = NULL;
		PCRE2_SIZE dl;
		kp_inspect_date v;
		if (pcre2_substring_get_byname(md, (PCRE2_SPTR) "date", &dt,
					       &dl) == 0) {
			v = kp_inspect_date_find((const char *)dt, dl, as_of);
			pcre2_substring_free(dt);
		} else {
			v = kp_inspect_date_find(s + ov[0], ov[1] - ov[0], as_of);
		}
		if (v > best)
			best = v;
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	pcre2_match_data_free(md);
	return best;
}

/* -- items by regex: the first <a> of each match, read by the tokenizer -- */

typedef struct first_a {
	kp_buf all, a;     /* all the text; the first <a>'s text */
	char *href, *title;  /* the first <a>'s href and title */
	int in_a;          /* 1 inside the first <a>, 2 after it */
} first_a;

static int on_tok(const kp_inspect_token *t, void *ctx)
{
	first_a *f = ctx;
	if (t->type == KP_INSPECT_TOK_TEXT) {
		kp_buf_add(&f->all, t->text, t->len);
		if (f->in_a == 1)
			kp_buf_add(&f->a, t->text, t->len);
	} else if (t->type == KP_INSPECT_TOK_START && !strcmp(t->name, "a") &&
		   !f->in_a) {
		for (size_t i = 0; i < t->nattrs; i++)
			if (!strcmp(t->attrs[i].name, "href") && !f->href)
				f->href = kp_xstrdup(t->attrs[i].value);
			else if (!strcmp(t->attrs[i].name, "title") &&
				 !f->title)
				f->title = kp_xstrdup(t->attrs[i].value);
		f->in_a = 1;
	} else if (t->type == KP_INSPECT_TOK_END && !strcmp(t->name, "a") &&
		   f->in_a == 1) {
		f->in_a = 2;
	}
	return 0;
}

/* Collapse runs of white space in s (in place) to one space; trim. */
static char *squash(char *s)
{
	char *w = s;
	bool sp = false;
	for (char *p = kp_trim(s); *p; p++) {
		if (isspace((unsigned char)*p)) {
			sp = true;
			continue;
		}
		if (sp && w > s)
			*w++ = ' ';
		sp = false;
		*w++ = *p;
	}
	*w = '\0';
	return s;
}

static void regex_items(const kp_inspect_site_column *sc, const char *html, size_t n,
			kp_inspect_date as_of, kp_inspect_doc *d)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(sc->items_re,
								    NULL);
	PCRE2_SIZE off = 0;
	while (off < n && d->nitems < MAX_ITEMS &&
	       pcre2_match(sc->items_re, (PCRE2_SPTR)html, n, off, 0, md,
			   NULL) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		PCRE2_UCHAR *dt = NULL;
		PCRE2_SIZE dl;
		kp_inspect_date date;
		first_a f = { KP_BUF_INIT, KP_BUF_INIT, NULL, NULL, 0 };
		if (pcre2_substring_get_byname(md, (PCRE2_SPTR) "date", &dt,
					       &dl) == 0) {
			date = kp_inspect_date_find((const char *)dt, dl, as_of);
			pcre2_substring_free(dt);
		} else {
			date = kp_inspect_date_find(html + ov[0], ov[1] - ov[0], as_of);
		}
		kp_inspect_tokenize(html + ov[0], ov[1] - ov[0], on_tok, &f);
		char empty[1] = "";
		char *t = squash(f.a.len ? f.a.data : empty);
		if (!*t && f.title)      /* an image link: its title */
			t = squash(f.title);
		if (!*t && !f.href)      /* no link: the match's text */
			t = squash(f.all.len ? f.all.data : empty);
		push_item(d, t, strlen(t), f.href, date);
		kp_buf_release(&f.all);
		kp_buf_release(&f.a);
		free(f.href);
		free(f.title);
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	pcre2_match_data_free(md);
}

/* -- items by XPath -- */

static xmlNodePtr find_a(xmlNodePtr n)
{
	if (n->type == XML_ELEMENT_NODE &&
	    !xmlStrcasecmp(n->name, (const xmlChar *)"a"))
		return n;
	if (n->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		xmlNodePtr a = find_a(c);
		if (a)
			return a;
	}
	return NULL;
}

/* The text of node n (an element's text, an attribute's value),
 * squashed, appended to b. */
static void node_text(xmlNodePtr n, kp_buf *b)
{
	xmlChar *s = xmlNodeGetContent(n);
	if (!s)
		return;
	if (b->len)
		kp_buf_addc(b, ' ');
	kp_buf_adds(b, squash((char *)s));
	xmlFree(s);
}

static kp_inspect_date xp_date(const kp_inspect_site_column *sc, xmlXPathContextPtr ctx,
			xmlNodePtr item, kp_buf *tmp, kp_inspect_date as_of)
{
	kp_inspect_date date = 0;
	kp_buf_reset(tmp);
	if (!sc->date_xp) {
		node_text(item, tmp);
		return date_in(sc->date_re, tmp->data ? tmp->data : "",
			       tmp->len, as_of);
	}
	ctx->node = item;
	xmlXPathObjectPtr r = xmlXPathCompiledEval(sc->date_xp, ctx);
	if (r && r->type == XPATH_NODESET && r->nodesetval)
		for (int i = 0; i < r->nodesetval->nodeNr; i++)
			node_text(r->nodesetval->nodeTab[i], tmp);
	else if (r && r->type == XPATH_STRING && r->stringval)
		kp_buf_adds(tmp, (const char *)r->stringval);
	if (tmp->len)
		date = kp_inspect_date_find(tmp->data, tmp->len, as_of);
	xmlXPathFreeObject(r);
	return date;
}

static void xpath_items(const kp_inspect_site_column *sc, const char *url,
			const char *html, size_t n, kp_inspect_date as_of, kp_inspect_doc *d)
{
	hush h;
	xp_err x = { 0, 0 };
	htmlDocPtr doc;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr r;
	kp_buf tmp = KP_BUF_INIT, title = KP_BUF_INIT;
	if (!n || n > INT_MAX)
		return;
	h = hush_on();
	doc = htmlReadMemory(html, (int)n, url, "UTF-8", HTML_OPTS);
	ctx = doc ? xmlXPathNewContext(doc) : NULL;
	if (!ctx)
		goto out;
	ctx->error = on_xp_error;
	ctx->userData = &x;
	r = xmlXPathCompiledEval(sc->items_xp, ctx);
	for (int i = 0; r && r->type == XPATH_NODESET && r->nodesetval &&
			i < r->nodesetval->nodeNr && d->nitems < MAX_ITEMS; i++) {
		xmlNodePtr it = r->nodesetval->nodeTab[i];
		xmlNodePtr a = find_a(it);
		xmlChar *href = a ? xmlGetProp(a, (const xmlChar *)"href") : NULL;
		kp_inspect_date date = xp_date(sc, ctx, it, &tmp, as_of);
		kp_buf_reset(&title);
		node_text(a ? a : it, &title);
		if (a && !title.len) {
			xmlChar *t = xmlGetProp(a, (const xmlChar *)"title");
			if (t)
				kp_buf_adds(&title, squash((char *)t));
			xmlFree(t);
		}
		push_item(d, title.data ? title.data : "", title.len,
			  (const char *)href, date);
		xmlFree(href);
	}
	xmlXPathFreeObject(r);
out:
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	kp_buf_release(&tmp);
	kp_buf_release(&title);
	hush_off(h);
}

void kp_inspect_site_items(const kp_inspect_site *s, const char *url, const char *html,
		    size_t n, kp_inspect_date as_of, kp_inspect_doc *d)
{
	for (size_t i = 0; i < s->ncols; i++) {
		const kp_inspect_site_column *sc = &s->cols[i];
		if ((!sc->items_re && !sc->items_xp) || !sc->abs ||
		    strcmp(sc->abs, url))
			continue;
		for (size_t k = 0; k < d->nitems; k++) {
			free(d->items[k].text);
			free(d->items[k].href);
		}
		d->nitems = 0;
		/* the configured items are the column's whole list: a
		 * 发布日期 label elsewhere on the page does not date it, and
		 * no match at all is a blank column */
		d->labelled_date = 0;
		d->labelled_source = 0;
		if (sc->items_xp)
			xpath_items(sc, url, html ? html : "", html ? n : 0,
				    as_of, d);
		else
			regex_items(sc, html ? html : "", html ? n : 0, as_of,
				    d);
		return;
	}
}
