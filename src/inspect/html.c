/*
 * inspect/html.c — a streaming HTML tokenizer and the extractor on top.
 *
 * The tokenizer follows the WHATWG tokenization states that matter for
 * extraction: data, tag open, end tag open, tag name, the attribute
 * states (name, value double-/single-quoted/unquoted, first of duplicate
 * names wins), self-closing, markup declaration (comments with their
 * abrupt endings, DOCTYPE, CDATA as a bogus comment), bogus comments, the
 * RAWTEXT and RCDATA elements (script, style, xmp, iframe, noembed,
 * noframes; title, textarea) and PLAINTEXT.  A tag cut off by the end of
 * the input is dropped, as the standard says.  No tree is built: the
 * extractor keeps a small stack of open elements to know whether it is in
 * a navigation block, a list item or an anchor.
 */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "inspect/inspect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- character references ------------------------------------------ */

static const struct { const char *name; unsigned cp; } entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE },
	{ "middot", 0xB7 }, { "times", 0xD7 }, { "yen", 0xA5 },
	{ "laquo", 0xAB }, { "raquo", 0xBB }, { "ldquo", 0x201C },
	{ "rdquo", 0x201D }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 },
	{ "bull", 0x2022 }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
	{ "thinsp", 0x2009 }, { "trade", 0x2122 }, { "deg", 0xB0 },
	{ NULL, 0 },
};

static void put_cp(kp_buf *b, unsigned cp)
{
	char u[4];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		kp_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		kp_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		kp_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		kp_buf_add(b, u, 4);
	}
}

/* Decode p[0..n) with character references into b. */
static void decode(const char *p, size_t n, kp_buf *b, bool in_attr)
{
	const char *end = p + n;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		if (!amp) {
			kp_buf_add(b, p, (size_t)(end - p));
			return;
		}
		kp_buf_add(b, p, (size_t)(amp - p));
		p = amp + 1;
		if (p < end && *p == '#') {
			const char *q = p + 1;
			unsigned long cp = 0;
			bool hex = q < end && (*q == 'x' || *q == 'X');
			int nd = 0;
			if (hex)
				q++;
			while (q < end && (hex ? isxdigit((unsigned char)*q)
					       : isdigit((unsigned char)*q))) {
				int v = isdigit((unsigned char)*q)
						? *q - '0'
						: (tolower((unsigned char)*q) - 'a' + 10);
				if (cp < 0x110000)
					cp = cp * (hex ? 16 : 10) + (unsigned)v;
				q++;
				nd++;
			}
			if (!nd) {
				kp_buf_addc(b, '&');
				continue;
			}
			if (q < end && *q == ';')
				q++;
			put_cp(b, cp > 0x10FFFF ? 0xFFFD : (unsigned)cp);
			p = q;
			continue;
		}
		{
			size_t i, k = 0;
			while (p + k < end && k < 10 && isalnum((unsigned char)p[k]))
				k++;
			for (i = 0; entities[i].name; i++) {
				size_t ln = strlen(entities[i].name);
				if (ln == k && !memcmp(p, entities[i].name, k))
					break;
			}
			if (entities[i].name &&
			    ((p + k < end && p[k] == ';') || !in_attr ||
			     (p + k >= end || (p[k] != '=')))) {
				put_cp(b, entities[i].cp);
				p += k + (p + k < end && p[k] == ';');
			} else {
				kp_buf_addc(b, '&');
			}
		}
	}
}

/* ---- tokenizer ------------------------------------------------------ */

#define MAX_ATTRS 64

typedef struct tz {
	const char *p, *end;
	kpi_tok_fn fn;
	void *ctx;
	kp_buf text;                 /* decoded text */
	kp_buf store;                /* names and values of the current tag */
	size_t aoff[MAX_ATTRS][2];   /* name, value offsets into store */
	kpi_attr attrs[MAX_ATTRS];
	size_t nattrs;
	char name[32];
	bool stop;
} tz;

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void emit_text(tz *t, const char *p, size_t n, bool raw)
{
	kpi_token k = { .type = KPI_TOK_TEXT };
	if (!n || t->stop)
		return;
	kp_buf_reset(&t->text);
	if (raw)
		kp_buf_add(&t->text, p, n);
	else
		decode(p, n, &t->text, false);
	if (!t->text.len)
		return;
	k.text = t->text.data;
	k.len = t->text.len;
	if (t->fn(&k, t->ctx))
		t->stop = true;
}

static void emit_comment(tz *t, const char *p, size_t n)
{
	kpi_token k = { .type = KPI_TOK_COMMENT, .text = p, .len = n };
	if (!t->stop && t->fn(&k, t->ctx))
		t->stop = true;
}

/* Find "</name" + (ws | / | >) case-insensitively from p; returns its
 * position or end. */
static const char *find_close(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt)
			return end;
		if ((size_t)(end - lt) >= n + 3 && lt[1] == '/' &&
		    !strncasecmp(lt + 2, name, n) &&
		    (is_ws(lt[2 + n]) || lt[2 + n] == '/' || lt[2 + n] == '>'))
			return lt;
		p = lt + 1;
	}
	return end;
}

/* Parse a tag starting after '<' (start) or '</' (end).  Returns the
 * position after '>', or NULL when the input ends inside the tag. */
static const char *parse_tag(tz *t, const char *p, bool endtag, bool *selfc)
{
	const char *end = t->end;
	size_t k = 0;
	*selfc = false;
	t->nattrs = 0;
	kp_buf_reset(&t->store);
	while (p < end && !is_ws(*p) && *p != '/' && *p != '>') {
		if (k + 1 < sizeof(t->name))
			t->name[k++] = (char)tolower((unsigned char)*p);
		p++;
	}
	t->name[k] = '\0';
	for (;;) {
		const char *ns, *vs = NULL;
		size_t nl, vl = 0;
		char q;
		while (p < end && (is_ws(*p) || *p == '/')) {
			if (*p == '/' && p + 1 < end && p[1] == '>')
				*selfc = true;
			p++;
		}
		if (p >= end)
			return NULL;
		if (*p == '>')
			return p + 1;
		ns = p;
		p++; /* the first character may be '=' */
		while (p < end && !is_ws(*p) && *p != '/' && *p != '>' && *p != '=')
			p++;
		nl = (size_t)(p - ns);
		while (p < end && is_ws(*p))
			p++;
		if (p < end && *p == '=') {
			p++;
			while (p < end && is_ws(*p))
				p++;
			if (p >= end)
				return NULL;
			if (*p == '"' || *p == '\'') {
				q = *p++;
				vs = p;
				while (p < end && *p != q)
					p++;
				if (p >= end)
					return NULL;
				vl = (size_t)(p - vs);
				p++;
			} else if (*p != '>') {
				vs = p;
				while (p < end && !is_ws(*p) && *p != '>')
					p++;
				vl = (size_t)(p - vs);
			}
		}
		if (endtag || t->nattrs >= MAX_ATTRS)
			continue;
		{
			size_t no = t->store.len, i;
			bool dup = false;
			for (i = 0; i < nl; i++)
				kp_buf_addc(&t->store, (char)tolower((unsigned char)ns[i]));
			kp_buf_addc(&t->store, '\0');
			for (i = 0; i < t->nattrs; i++)
				if (!strcmp(t->store.data + t->aoff[i][0],
					    t->store.data + no))
					dup = true;
			if (dup) {
				t->store.len = no;
				continue;
			}
			size_t vo = t->store.len;
			if (vs)
				decode(vs, vl, &t->store, true);
			kp_buf_addc(&t->store, '\0');
			t->aoff[t->nattrs][0] = no;
			t->aoff[t->nattrs][1] = vo;
			t->nattrs++;
		}
	}
}

static const char *const rawtext[] = {
	"script", "style", "xmp", "iframe", "noembed", "noframes", NULL
};
static const char *const rcdata[] = { "title", "textarea", NULL };

static bool in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return true;
	return false;
}

int kpi_tokenize(const char *html, size_t n, kpi_tok_fn fn, void *ctx)
{
	tz t;
	const char *p = html, *end = html + n, *text = html;
	memset(&t, 0, sizeof(t));
	t.p = html;
	t.end = end;
	t.fn = fn;
	t.ctx = ctx;
	kp_buf_init(&t.text, 0);
	kp_buf_init(&t.store, 0);
	while (p < end && !t.stop) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		if (!lt || lt + 1 >= end)
			break;
		char c = lt[1];
		if (isalpha((unsigned char)c)) {
			bool selfc;
			const char *after = parse_tag(&t, lt + 1, false, &selfc);
			kpi_token k = { .type = KPI_TOK_START };
			if (!after) {
				emit_text(&t, text, (size_t)(lt - text), false);
				text = end;
				break;
			}
			emit_text(&t, text, (size_t)(lt - text), false);
			for (size_t i = 0; i < t.nattrs; i++) {
				t.attrs[i].name = t.store.data + t.aoff[i][0];
				t.attrs[i].value = t.store.data + t.aoff[i][1];
			}
			k.name = t.name;
			k.attrs = t.attrs;
			k.nattrs = t.nattrs;
			k.self_closing = selfc;
			if (!t.stop && fn(&k, ctx))
				t.stop = true;
			p = text = after;
			if (!strcmp(t.name, "plaintext")) {
				emit_text(&t, p, (size_t)(end - p), true);
				text = p = end;
				break;
			}
			bool raw = in_list(rawtext, t.name);
			if (raw || in_list(rcdata, t.name)) {
				char nm[32];
				const char *cl;
				memcpy(nm, t.name, sizeof(nm));
				cl = find_close(p, end, nm);
				emit_text(&t, p, (size_t)(cl - p), raw);
				p = text = cl;
				if (cl == end)
					break;
			}
			continue;
		}
		if (c == '/') {
			if (lt + 2 < end && isalpha((unsigned char)lt[2])) {
				bool selfc;
				const char *after = parse_tag(&t, lt + 2, true, &selfc);
				kpi_token k = { .type = KPI_TOK_END };
				emit_text(&t, text, (size_t)(lt - text), false);
				if (!after) {
					text = end;
					break;
				}
				k.name = t.name;
				if (!t.stop && fn(&k, ctx))
					t.stop = true;
				p = text = after;
				continue;
			}
			if (lt + 2 < end && lt[2] == '>') { /* "</>": dropped */
				emit_text(&t, text, (size_t)(lt - text), false);
				p = text = lt + 3;
				continue;
			}
			if (lt + 2 >= end) {
				p = lt + 1;
				continue;
			}
			/* bogus comment */
			emit_text(&t, text, (size_t)(lt - text), false);
			const char *gt = memchr(lt, '>', (size_t)(end - lt));
			emit_comment(&t, lt + 2, (gt ? gt : end) - (lt + 2));
			p = text = gt ? gt + 1 : end;
			continue;
		}
		if (c == '!' || c == '?') {
			emit_text(&t, text, (size_t)(lt - text), false);
			if (c == '!' && end - lt >= 4 && lt[2] == '-' && lt[3] == '-') {
				const char *s = lt + 4, *q = s;
				/* abrupt closings "<!-->" and "<!--->" */
				if (q < end && *q == '>') {
					p = text = q + 1;
					continue;
				}
				if (q + 1 < end && q[0] == '-' && q[1] == '>') {
					p = text = q + 2;
					continue;
				}
				for (;;) {
					q = memchr(q, '-', (size_t)(end - q));
					if (!q || end - q < 3) {
						q = NULL;
						break;
					}
					if (q[1] == '-' && q[2] == '>')
						break;
					if (q[1] == '-' && q[2] == '!' && end - q >= 4 &&
					    q[3] == '>') {
						break;
					}
					q++;
				}
				if (!q) {
					emit_comment(&t, s, (size_t)(end - s));
					p = text = end;
					break;
				}
				emit_comment(&t, s, (size_t)(q - s));
				p = text = q + (q[2] == '!' ? 4 : 3);
				continue;
			}
			const char *gt = memchr(lt, '>', (size_t)(end - lt));
			emit_comment(&t, lt + 2, (gt ? gt : end) - (lt + 2));
			p = text = gt ? gt + 1 : end;
			continue;
		}
		p = lt + 1; /* a lone '<' is text */
	}
	if (text < end)
		emit_text(&t, text, (size_t)(end - text), false);
	kp_buf_release(&t.text);
	kp_buf_release(&t.store);
	return 0;
}

/* ---- extraction ------------------------------------------------------ */

static const char *const meta_names[] = {
	"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType",
	"ArticleTitle", "PubDate", "ContentSource",
};

const char *kpi_meta_name(int key)
{
	return key >= 0 && key < KPI_META_COUNT ? meta_names[key] : "";
}

static const char *const kind_names[] = {
	"page", "image", "script", "style", "frame", "attachment"
};
static const char *const kind_labels[] = {
	"页面", "图片", "脚本", "样式", "框架", "附件"
};
const char *kpi_link_kind_name(int k)
{
	return k >= 0 && k < KPI_LINK_COUNT ? kind_names[k] : "page";
}
const char *kpi_link_kind_label(int k)
{
	return k >= 0 && k < KPI_LINK_COUNT ? kind_labels[k] : "页面";
}

static const char *const attach_ext[] = {
	".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".zip", ".rar",
	".ppt", ".pptx", ".et", ".ofd", ".7z", ".txt", NULL
};
static const char *const image_ext[] = {
	".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", NULL
};

static bool ext_in(const char *url, const char *const *l)
{
	size_t n = strcspn(url, "?#");
	for (; *l; l++) {
		size_t k = strlen(*l);
		if (n >= k && !strncasecmp(url + n - k, *l, k))
			return true;
	}
	return false;
}

#define STACK 128
#define ITEM_TEXT_MAX 600

enum { F_NAV = 1, F_ITEM = 2, F_SKIP = 4, F_A = 8 };

typedef struct ex {
	kpi_doc *d;
	kpi_date as_of;
	size_t max_links;
	char tags[STACK][12];
	uint8_t flags[STACK];
	size_t depth;
	int nav, skip;        /* counts of open nav / invisible elements */
	int in_title;
	kp_buf title;
	/* the innermost open item */
	int item_level;       /* stack index of the open item, -1 none */
	kp_buf item;
	char *item_href;
	/* the open anchor */
	int a_level;
	kp_buf atext;
	size_t a_link;        /* index in d->links, or SIZE_MAX */
	char *a_href;
} ex;

static const char *attr(const kpi_token *t, const char *name)
{
	for (size_t i = 0; i < t->nattrs; i++)
		if (!strcmp(t->attrs[i].name, name))
			return t->attrs[i].value;
	return NULL;
}

static bool is_void(const char *n)
{
	static const char *const v[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input",
		"link", "meta", "param", "source", "track", "wbr", NULL
	};
	return in_list(v, n);
}

static size_t add_link(ex *x, const char *url, int kind, const char *text)
{
	kpi_doc *d = x->d;
	if (!url || !*url)
		return SIZE_MAX;
	if (d->nlinks >= x->max_links) {
		d->links_dropped++;
		return SIZE_MAX;
	}
	if (d->nlinks == d->cap_links) {
		d->cap_links = d->cap_links ? d->cap_links * 2 : 64;
		d->links = kp_xrealloc(d->links, d->cap_links * sizeof(*d->links));
	}
	if (kind == KPI_LINK_PAGE && ext_in(url, attach_ext))
		kind = KPI_LINK_ATTACHMENT;
	else if (kind == KPI_LINK_PAGE && ext_in(url, image_ext))
		kind = KPI_LINK_IMAGE;
	d->links[d->nlinks] = (kpi_link){ kp_xstrdup(url),
					  kp_xstrdup(text ? text : ""),
					  (uint8_t)kind, x->nav > 0 };
	return d->nlinks++;
}

static bool navlike(const char *s)
{
	static const char *const w[] = { "nav", "menu", "daohang", "dh", NULL };
	if (!s)
		return false;
	for (const char *const *p = w; *p; p++) {
		const char *q = s;
		size_t n = strlen(*p);
		while ((q = strcasestr(q, *p))) {
			/* a word: "nav", "main-nav", "navbar"; not "canvas" */
			if ((q == s || !isalpha((unsigned char)q[-1])) ||
			    n > 2)
				return true;
			q += n;
		}
	}
	return false;
}

static void close_item(ex *x)
{
	kpi_doc *d = x->d;
	char empty[1] = "";
	char *t = kp_trim(x->item.data ? x->item.data : empty);
	kpi_date date = kpi_date_find(t, strlen(t), x->as_of);
	size_t chars = 0;
	for (const char *p = t; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (x->item_href && (date || chars >= 8) && !x->nav) {
		if (d->nitems == d->cap_items) {
			d->cap_items = d->cap_items ? d->cap_items * 2 : 32;
			d->items = kp_xrealloc(d->items,
					       d->cap_items * sizeof(*d->items));
		}
		d->items[d->nitems++] = (kpi_item){ kp_xstrdup(t),
						    kp_xstrdup(x->item_href),
						    date };
	}
	free(x->item_href);
	x->item_href = NULL;
	kp_buf_reset(&x->item);
	x->item_level = -1;
}

static void close_a(ex *x)
{
	if (x->a_link != SIZE_MAX) {
		kpi_link *l = &x->d->links[x->a_link];
		char empty[1] = "";
		char *t = kp_trim(x->atext.data ? x->atext.data : empty);
		if (!*l->text && *t) {
			free(l->text);
			l->text = kp_xstrdup(t);
		}
		const char *s = t;
		if (strstr(s, "下一页") || strstr(s, "尾页") || strstr(s, "末页")) {
			if (x->d->pages < 2)
				x->d->pages = 2;
		}
	}
	x->a_link = SIZE_MAX;
	x->a_level = -1;
	kp_buf_reset(&x->atext);
}

static void pop_to(ex *x, size_t level)
{
	while (x->depth > level) {
		x->depth--;
		if (x->flags[x->depth] & F_NAV)
			x->nav--;
		if (x->flags[x->depth] & F_SKIP)
			x->skip--;
		if ((int)x->depth == x->item_level)
			close_item(x);
		if ((int)x->depth == x->a_level)
			close_a(x);
	}
}

/* Close an open element n that a new start tag n implicitly ends (li, tr,
 * dd, dt, p, option) — but not across a list or table boundary. */
static void implied_end(ex *x, const char *n)
{
	const char *stop = !strcmp(n, "li") ? "ul ol menu"
			   : !strcmp(n, "tr") ? "table tbody thead tfoot"
					      : "dl div table body";
	for (size_t i = x->depth; i-- > 0;) {
		if (!strcmp(x->tags[i], n) ||
		    ((!strcmp(n, "dd") || !strcmp(n, "dt")) &&
		     (!strcmp(x->tags[i], "dd") || !strcmp(x->tags[i], "dt")))) {
			pop_to(x, i);
			return;
		}
		if (strstr(stop, x->tags[i]) && strlen(x->tags[i]) > 1)
			return;
	}
}

static void pagination_from_script(ex *x, const char *s, size_t n)
{
	/* TRS: createPageHTML(5, 0, "index", "html") or
	 * var _nPageCount = 5; … _sPageName = "index"; _sPageExt = "html" */
	const char *p = memmem(s, n, "createPageHTML(", 15);
	int count = 0;
	char name[32] = "index", ext[16] = "html";
	if (p) {
		p += 15;
		count = (int)kp_digits(p, s + n, 100000);
		const char *q1 = memchr(p, '"', (size_t)(s + n - p));
		if (q1) {
			const char *q2 = memchr(q1 + 1, '"', (size_t)(s + n - q1 - 1));
			if (q2 && q2 - q1 - 1 < (long)sizeof(name)) {
				memcpy(name, q1 + 1, (size_t)(q2 - q1 - 1));
				name[q2 - q1 - 1] = '\0';
				const char *q3 = memchr(q2 + 1, '"', (size_t)(s + n - q2 - 1));
				const char *q4 = q3 ? memchr(q3 + 1, '"', (size_t)(s + n - q3 - 1)) : NULL;
				if (q4 && q4 - q3 - 1 < (long)sizeof(ext)) {
					memcpy(ext, q3 + 1, (size_t)(q4 - q3 - 1));
					ext[q4 - q3 - 1] = '\0';
				}
			}
		}
	} else if ((p = memmem(s, n, "_nPageCount", 11))) {
		p += 11;
		while (p < s + n && !isdigit((unsigned char)*p) && *p != ';')
			p++;
		count = (int)kp_digits(p, s + n, 100000);
	}
	if (count < 2)
		return;
	if (count > 10000)
		count = 10000;
	if (x->d->pages < count)
		x->d->pages = count;
	for (int i = 1; i < count && i < 50; i++) {
		char u[80];
		bool ok = true;
		for (const char *c = name; *c; c++)
			ok &= isalnum((unsigned char)*c) || *c == '_' || *c == '-';
		for (const char *c = ext; *c; c++)
			ok &= isalnum((unsigned char)*c) != 0;
		if (!ok)
			return;
		snprintf(u, sizeof(u), "%s_%d.%s", name, i, ext);
		add_link(x, u, KPI_LINK_PAGE, "");
	}
}

static void add_text(ex *x, const char *s, size_t n)
{
	kp_buf *b = &x->d->text;
	bool space = b->len && b->data[b->len - 1] == ' ';
	if (!b->len)
		space = true;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_ws(c)) {
			if (!space && kp_buf_addc(b, ' ') < 0)
				return;
			space = true;
		} else {
			if (kp_buf_addc(b, c) < 0)
				return;
			space = false;
		}
	}
	if (!space)
		kp_buf_addc(b, ' ');
}

static int on_token(const kpi_token *t, void *ctx)
{
	ex *x = ctx;
	kpi_doc *d = x->d;
	if (t->type == KPI_TOK_TEXT) {
		if (x->in_title) {
			kp_buf_add(&x->title, t->text, t->len);
			return 0;
		}
		if (x->depth && !strcmp(x->tags[x->depth - 1], "script")) {
			pagination_from_script(x, t->text, t->len);
			return 0;
		}
		if (x->skip)
			return 0;
		add_text(x, t->text, t->len);
		if (x->item_level >= 0 && x->item.len < ITEM_TEXT_MAX) {
			kp_buf_add(&x->item, t->text, t->len);
			kp_buf_addc(&x->item, ' ');
		}
		if (x->a_level >= 0 && x->atext.len < 400)
			kp_buf_add(&x->atext, t->text, t->len);
		return 0;
	}
	if (t->type == KPI_TOK_COMMENT)
		return 0;
	const char *n = t->name;
	if (t->type == KPI_TOK_END) {
		if (!strcmp(n, "title")) {
			x->in_title = 0;
			return 0;
		}
		for (size_t i = x->depth; i-- > 0;)
			if (!strcmp(x->tags[i], n)) {
				pop_to(x, i);
				break;
			}
		return 0;
	}
	/* start tag */
	if (!strcmp(n, "title")) {
		x->in_title = 1;
		return 0;
	}
	if (!strcmp(n, "meta")) {
		const char *nm = attr(t, "name"), *c = attr(t, "content");
		const char *cs = attr(t, "charset");
		const char *he = attr(t, "http-equiv");
		if (cs && !d->charset_meta)
			d->charset_meta = kp_xstrdup(cs);
		/* <meta http-equiv="refresh" content="0; url=/index.shtml">:
		 * how many government homepages send you to the real one */
		if (he && c && !strcasecmp(he, "refresh")) {
			const char *u = strcasestr(c, "url=");
			if (u) {
				char *v = kp_xstrdup(u + 4);
				size_t vl = strlen(v);
				while (vl && (v[vl - 1] == '\'' || v[vl - 1] == '"' ||
					      v[vl - 1] == ' '))
					v[--vl] = '\0';
				const char *target = v[0] == '\'' || v[0] == '"' ? v + 1 : v;
				add_link(x, target, KPI_LINK_PAGE, "");
				if (!d->refresh)
					d->refresh = kp_xstrdup(target);
				free(v);
			}
		}
		if (nm && c)
			for (int k = 0; k < KPI_META_COUNT; k++)
				if (!strcasecmp(nm, meta_names[k]) && !d->meta[k])
					d->meta[k] = kp_xstrdup(c);
		return 0;
	}
	if (!strcmp(n, "li") || !strcmp(n, "tr") || !strcmp(n, "dd") ||
	    !strcmp(n, "dt") || !strcmp(n, "p") || !strcmp(n, "option"))
		implied_end(x, n);
	if (!strcmp(n, "a") || !strcmp(n, "area")) {
		const char *h = attr(t, "href");
		if (!strcmp(n, "a") && x->a_level >= 0)
			pop_to(x, (size_t)x->a_level);
		size_t li = add_link(x, h, KPI_LINK_PAGE,
				     !strcmp(n, "area") ? attr(t, "alt") : NULL);
		if (h && x->item_level >= 0 && !x->item_href)
			x->item_href = kp_xstrdup(h);
		if (!strcmp(n, "a")) {
			x->a_link = li;
			x->a_level = (int)x->depth;
		}
	} else if (!strcmp(n, "img")) {
		add_link(x, attr(t, "src"), KPI_LINK_IMAGE, attr(t, "alt"));
		const char *alt = attr(t, "alt");
		if (alt && x->a_level >= 0 && x->atext.len < 400)
			kp_buf_adds(&x->atext, alt);
		if (alt && !x->skip)
			add_text(x, "", 0);
	} else if (!strcmp(n, "script")) {
		add_link(x, attr(t, "src"), KPI_LINK_SCRIPT, NULL);
	} else if (!strcmp(n, "link")) {
		const char *rel = attr(t, "rel");
		int k = KPI_LINK_PAGE;
		if (rel && strcasestr(rel, "stylesheet"))
			k = KPI_LINK_STYLE;
		else if (rel && strcasestr(rel, "icon"))
			k = KPI_LINK_IMAGE;
		add_link(x, attr(t, "href"), k, NULL);
	} else if (!strcmp(n, "iframe") || !strcmp(n, "frame")) {
		add_link(x, attr(t, "src"), KPI_LINK_FRAME, NULL);
	} else if (!strcmp(n, "base")) {
		const char *h = attr(t, "href");
		if (h && *h && !d->base)
			d->base = kp_xstrdup(h);
	} else if (!strcmp(n, "form") || !strcmp(n, "input")) {
		const char *k[] = { "action", "name", "id", "placeholder",
				    "type", "class" };
		for (size_t i = 0; i < 6; i++) {
			const char *v = attr(t, k[i]);
			if (v && (strcasestr(v, "search") || strstr(v, "搜索") ||
				  strcasestr(v, "keyword") || strstr(v, "检索")))
				d->has_search = true;
		}
	} else if (!strcmp(n, "embed")) {
		add_link(x, attr(t, "src"), KPI_LINK_ATTACHMENT, NULL);
	}
	if (is_void(n) || t->self_closing)
		return 0;
	if (x->depth == STACK) /* too deep: keep counting, do not track */
		return 0;
	uint8_t f = 0;
	if (!strcmp(n, "nav") || navlike(attr(t, "class")) || navlike(attr(t, "id")))
		f |= F_NAV;
	if (!strcmp(n, "script") || !strcmp(n, "style") ||
	    !strcmp(n, "template") || !strcmp(n, "noscript") ||
	    !strcmp(n, "iframe") || !strcmp(n, "textarea") ||
	    !strcmp(n, "xmp") || !strcmp(n, "noembed") || !strcmp(n, "noframes"))
		f |= F_SKIP;
	snprintf(x->tags[x->depth], sizeof(x->tags[0]), "%s", n);
	x->flags[x->depth] = f;
	if (f & F_NAV)
		x->nav++;
	if (f & F_SKIP)
		x->skip++;
	if (!strcmp(n, "li") || !strcmp(n, "tr") || !strcmp(n, "dd")) {
		if (x->item_level >= 0) { /* nested: the inner one counts */
			free(x->item_href);
			x->item_href = NULL;
			kp_buf_reset(&x->item);
		}
		x->item_level = (int)x->depth;
	}
	x->depth++;
	return 0;
}

void kpi_doc_init(kpi_doc *d)
{
	memset(d, 0, sizeof(*d));
	kp_buf_init(&d->text, 4 << 20);
	d->pages = 1;
}

void kpi_doc_release(kpi_doc *d)
{
	free(d->title);
	free(d->charset_meta);
	free(d->base);
	free(d->refresh);
	for (int k = 0; k < KPI_META_COUNT; k++)
		free(d->meta[k]);
	kp_buf_release(&d->text);
	for (size_t i = 0; i < d->nlinks; i++) {
		free(d->links[i].url);
		free(d->links[i].text);
	}
	free(d->links);
	for (size_t i = 0; i < d->nitems; i++) {
		free(d->items[i].text);
		free(d->items[i].href);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

static kpi_date labelled(const char *s, kpi_date as_of)
{
	static const char *const labels[] = {
		"发布时间", "发布日期", "成文日期", "更新时间", "日期：", NULL
	};
	kpi_date best = 0;
	for (const char *const *l = labels; *l; l++) {
		const char *p = s;
		while ((p = strstr(p, *l))) {
			size_t n = strnlen(p, 80);
			kpi_date dd = kpi_date_find(p, n, as_of);
			if (dd > best)
				best = dd;
			p += strlen(*l);
		}
	}
	return best;
}

int kpi_html_extract(const char *html, size_t n, kpi_date as_of,
		     size_t max_links, kpi_doc *d)
{
	ex x;
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.as_of = as_of;
	x.max_links = max_links ? max_links : 100000;
	x.item_level = -1;
	x.a_level = -1;
	x.a_link = SIZE_MAX;
	kp_buf_init(&x.title, 4096);
	kp_buf_init(&x.item, 4096);
	kp_buf_init(&x.atext, 4096);
	kpi_tokenize(html, n, on_token, &x);
	pop_to(&x, 0);
	if (x.item_level >= 0)
		close_item(&x);
	close_a(&x);
	d->title = kp_xstrdup(x.title.data ? kp_trim(x.title.data) : "");
	kp_buf_release(&x.title);
	kp_buf_release(&x.item);
	kp_buf_release(&x.atext);
	free(x.item_href);
	if (d->text.data) {
		const char *p = strstr(d->text.data, "共");
		while (p) {
			int v = 0;
			const char *q = p + 3;
			while (*q == ' ')
				q++;
			if (isdigit((unsigned char)*q)) {
				v = (int)kp_digits(q, q + strlen(q), 100000);
				while (isdigit((unsigned char)*q))
					q++;
				while (*q == ' ')
					q++;
				if (!strncmp(q, "页", 3) && v > d->pages && v < 100000)
					d->pages = v;
			}
			p = strstr(p + 3, "共");
		}
		d->labelled_date = labelled(d->text.data, as_of);
	} else {
		kp_buf_add(&d->text, "", 0);
	}
	if (d->meta[KPI_META_PUBDATE]) {
		kpi_date pd = kpi_date_find(d->meta[KPI_META_PUBDATE],
					    strlen(d->meta[KPI_META_PUBDATE]),
					    as_of);
		if (pd > d->labelled_date)
			d->labelled_date = pd;
	}
	return 0;
}
