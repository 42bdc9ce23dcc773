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
	int tag;                     /* tag_id(name) */
	bool stop;
} tz;

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The bytes that end a tag name (white space, '/', '>') and an attribute
 * name (those and '='), as bit sets over 0..'>': one shift and test per
 * byte in the tag loops. */
#define WS_BITS ((1ULL << ' ') | (1ULL << '\t') | (1ULL << '\n') | \
		 (1ULL << '\r') | (1ULL << '\f'))
#define NAME_END (WS_BITS | (1ULL << '/') | (1ULL << '>'))
#define ATTR_END (NAME_END | (1ULL << '='))

static bool in_set(char c, uint64_t set)
{
	unsigned char u = (unsigned char)c;
	return u <= '>' && ((set >> u) & 1);
}

/* The elements the tokenizer and the extractor tell apart, by id: one
 * lookup per tag instead of a string compare per question. */
enum {
	T_OTHER, T_A, T_AREA, T_BASE, T_BODY, T_BR, T_COL, T_DD, T_DIV, T_DL,
	T_DT, T_EMBED, T_FORM, T_FRAME, T_HR, T_IFRAME, T_IMG, T_INPUT, T_LI,
	T_LINK, T_MENU, T_META, T_NAV, T_NOEMBED, T_NOFRAMES, T_NOSCRIPT, T_OL,
	T_OPTION, T_P, T_PARAM, T_PLAINTEXT, T_SCRIPT, T_SOURCE, T_STYLE,
	T_TABLE, T_TBODY, T_TEMPLATE, T_TEXTAREA, T_TFOOT, T_THEAD, T_TITLE,
	T_TR, T_TRACK, T_UL, T_WBR, T_XMP, T_COUNT
};

enum {
	TF_VOID = 1, TF_RAW = 2, TF_RCDATA = 4, TF_SKIP = 8, TF_IMPLIED = 16,
	TF_ITEM = 32
};

static uint8_t tag_flags(int id)
{
	switch (id) {
	case T_AREA: case T_BASE: case T_BR: case T_COL: case T_EMBED:
	case T_HR: case T_IMG: case T_INPUT: case T_LINK: case T_META:
	case T_PARAM: case T_SOURCE: case T_TRACK: case T_WBR:
		return TF_VOID;
	case T_SCRIPT: case T_STYLE: case T_XMP: case T_IFRAME:
	case T_NOEMBED: case T_NOFRAMES:
		return TF_RAW | TF_SKIP;
	case T_TITLE:
		return TF_RCDATA;
	case T_TEXTAREA:
		return TF_RCDATA | TF_SKIP;
	case T_TEMPLATE: case T_NOSCRIPT:
		return TF_SKIP;
	case T_LI: case T_TR: case T_DD:
		return TF_IMPLIED | TF_ITEM;
	case T_DT: case T_P: case T_OPTION:
		return TF_IMPLIED;
	default:
		return 0;
	}
}

/* Id of the lower-case tag name s[0..n). */
static int tag_id(const char *s, size_t n)
{
#define T(lit, id)                                                     \
	if (n == sizeof(lit) - 1 && !memcmp(s, lit, sizeof(lit) - 1)) \
		return id
	switch (n ? s[0] : 0) {
	case 'a': T("a", T_A); T("area", T_AREA); break;
	case 'b': T("br", T_BR); T("body", T_BODY); T("base", T_BASE); break;
	case 'c': T("col", T_COL); break;
	case 'd': T("div", T_DIV); T("dd", T_DD); T("dt", T_DT); T("dl", T_DL); break;
	case 'e': T("embed", T_EMBED); break;
	case 'f': T("form", T_FORM); T("frame", T_FRAME); break;
	case 'h': T("hr", T_HR); break;
	case 'i': T("img", T_IMG); T("input", T_INPUT); T("iframe", T_IFRAME); break;
	case 'l': T("li", T_LI); T("link", T_LINK); break;
	case 'm': T("meta", T_META); T("menu", T_MENU); break;
	case 'n':
		T("nav", T_NAV); T("noscript", T_NOSCRIPT);
		T("noembed", T_NOEMBED); T("noframes", T_NOFRAMES);
		break;
	case 'o': T("ol", T_OL); T("option", T_OPTION); break;
	case 'p': T("p", T_P); T("param", T_PARAM); T("plaintext", T_PLAINTEXT); break;
	case 's': T("script", T_SCRIPT); T("style", T_STYLE); T("source", T_SOURCE); break;
	case 't':
		T("tr", T_TR); T("title", T_TITLE); T("table", T_TABLE);
		T("tbody", T_TBODY); T("thead", T_THEAD); T("tfoot", T_TFOOT);
		T("textarea", T_TEXTAREA); T("template", T_TEMPLATE);
		T("track", T_TRACK);
		break;
	case 'u': T("ul", T_UL); break;
	case 'w': T("wbr", T_WBR); break;
	case 'x': T("xmp", T_XMP); break;
	default: break;
	}
#undef T
	return T_OTHER;
}

static void emit_text(tz *t, const char *p, size_t n, bool raw)
{
	kpi_token k = { .type = KPI_TOK_TEXT };
	if (!n || t->stop)
		return;
	if (raw || !memchr(p, '&', n)) {
		/* nothing to decode: the text as it stands in the input */
		k.text = p;
		k.len = n;
	} else {
		kp_buf_reset(&t->text);
		decode(p, n, &t->text, false);
		if (!t->text.len)
			return;
		k.text = t->text.data;
		k.len = t->text.len;
	}
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
	while (p < end && !in_set(*p, NAME_END)) {
		char ch = *p++;
		if (k + 1 < sizeof(t->name))
			t->name[k++] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
	}
	t->name[k] = '\0';
	t->tag = tag_id(t->name, k);
	for (;;) {
		const char *ns, *vs = NULL;
		size_t nl, vl = 0;
		char q;
		while (p < end && in_set(*p, WS_BITS | (1ULL << '/'))) {
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
		while (p < end && !in_set(*p, ATTR_END))
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
				p = memchr(p, q, (size_t)(end - p));
				if (!p)
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
			char *dst;
			bool dup = false;
			/* name, NUL, value (decoding never lengthens it), NUL */
			if (kp_buf_reserve(&t->store, nl + vl + 2) < 0)
				continue;
			dst = t->store.data + no;
			for (i = 0; i < nl; i++) {
				char ch = ns[i];
				dst[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
			}
			dst[nl] = '\0';
			/* a name's length is the distance to its value */
			for (i = 0; i < t->nattrs && !dup; i++)
				dup = t->aoff[i][1] - t->aoff[i][0] == nl + 1 &&
				      !memcmp(t->store.data + t->aoff[i][0], dst, nl);
			if (dup) {
				t->store.len = no;
				t->store.data[no] = '\0';
				continue;
			}
			size_t vo = no + nl + 1;
			if (vs && memchr(vs, '&', vl)) {
				t->store.len = vo;
				decode(vs, vl, &t->store, true);
			} else {
				if (vl)
					memcpy(t->store.data + vo, vs, vl);
				t->store.len = vo + vl;
			}
			t->store.data[t->store.len++] = '\0';
			t->store.data[t->store.len] = '\0';
			t->aoff[t->nattrs][0] = no;
			t->aoff[t->nattrs][1] = vo;
			t->nattrs++;
		}
	}
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
			k.tag = t.tag;
			k.attrs = t.attrs;
			k.nattrs = t.nattrs;
			k.self_closing = selfc;
			if (!t.stop && fn(&k, ctx))
				t.stop = true;
			p = text = after;
			if (t.tag == T_PLAINTEXT) {
				emit_text(&t, p, (size_t)(end - p), true);
				text = p = end;
				break;
			}
			bool raw = tag_flags(t.tag) & TF_RAW;
			if (raw || (tag_flags(t.tag) & TF_RCDATA)) {
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
				k.tag = t.tag;
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

/* The extension of url's path with its dot, lower-case (".pdf"), into
 * buf; "" when it has none of up to 5 characters. */
static void url_ext(const char *url, char buf[8])
{
	size_t n = strcspn(url, "?#"), i = n, k = 0;
	buf[0] = '\0';
	while (i > 0 && url[i - 1] != '.' && url[i - 1] != '/' && n - i < 6)
		i--;
	if (!i || url[i - 1] != '.' || n - i > 5)
		return;
	for (size_t j = i - 1; j < n; j++)
		buf[k++] = (char)tolower((unsigned char)url[j]);
	buf[k] = '\0';
}

static bool ext_in(const char *ext, const char *const *l)
{
	/* most links end in ".html" or nothing: the letter after the dot
	 * rules out nearly every entry before a compare */
	for (; *ext && *l; l++)
		if ((*l)[1] == ext[1] && !strcmp(ext, *l))
			return true;
	return false;
}

#define STACK 128
#define ITEM_TEXT_MAX 600

enum { F_NAV = 1, F_SKIP = 4 };

typedef struct ex {
	kpi_doc *d;
	kpi_date as_of;
	size_t max_links;
	uint8_t tags[STACK];      /* tag ids of the open elements */
	char names[STACK][12];    /* their names, for T_OTHER */
	uint8_t flags[STACK];
	size_t depth;
	int nav, skip;        /* counts of open nav / invisible elements */
	int in_title;
	bool in_script;       /* text of a script element */
	kp_buf title;
	/* the innermost open item */
	int item_level;       /* stack index of the open item, -1 none */
	kp_buf item;
	char *item_href;
	/* the open anchor */
	int a_level;
	kp_buf atext;
	size_t a_link;        /* index in d->links, or SIZE_MAX */
} ex;

static const char *attr(const kpi_token *t, const char *name)
{
	for (size_t i = 0; i < t->nattrs; i++)
		if (t->attrs[i].name[0] == name[0] &&
		    !strcmp(t->attrs[i].name, name))
			return t->attrs[i].value;
	return NULL;
}

/* The links' strings live in blocks owned by the doc: one allocation per
 * block instead of two per link. */
struct kpi_arena {
	struct kpi_arena *next;
	size_t used, cap;
	char data[];
};

static char *arena_strdup(kpi_doc *d, const char *s)
{
	size_t n = strlen(s) + 1;
	struct kpi_arena *a = d->arena;
	if (!a || a->cap - a->used < n) {
		size_t cap = n > 16000 ? n : 16000;
		a = kp_xmalloc(sizeof(*a) + cap);
		a->next = d->arena;
		a->used = 0;
		a->cap = cap;
		d->arena = a;
	}
	char *r = a->data + a->used;
	memcpy(r, s, n);
	a->used += n;
	return r;
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
	if (kind == KPI_LINK_PAGE) {
		char ext[8];
		url_ext(url, ext);
		if (ext_in(ext, attach_ext))
			kind = KPI_LINK_ATTACHMENT;
		else if (ext_in(ext, image_ext))
			kind = KPI_LINK_IMAGE;
	}
	d->links[d->nlinks] = (kpi_link){ arena_strdup(d, url),
					  text && *text ? arena_strdup(d, text)
							: (char *)"",
					  (uint8_t)kind, x->nav > 0 };
	return d->nlinks++;
}

/* Whether a class or id names navigation: "nav", "menu" or "daohang"
 * anywhere (case aside), or "dh" at the start of a word ("dh-top"; not
 * "sdh").  One pass: this runs for every start tag. */
static bool navlike(const char *s)
{
	if (!s)
		return false;
	for (const char *q = s; *q; q++) {
		switch (*q | 0x20) {
		case 'n':
			if (!strncasecmp(q, "nav", 3))
				return true;
			break;
		case 'm':
			if (!strncasecmp(q, "menu", 4))
				return true;
			break;
		case 'd':
			if (!strncasecmp(q, "daohang", 7))
				return true;
			if ((q[1] | 0x20) == 'h' &&
			    (q == s || !isalpha((unsigned char)q[-1])))
				return true;
			break;
		default:
			break;
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
		if (!*l->text && *t)
			l->text = arena_strdup(x->d, t);
		const char *s = t;
		/* all three end in 页: one search rules out most anchors */
		if (strstr(s, "页") &&
		    (strstr(s, "下一页") || strstr(s, "尾页") || strstr(s, "末页"))) {
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

/* Close an open element that a new start tag `tag` implicitly ends (li,
 * tr, dd, dt, p, option) — but not across a list or table boundary. */
static void implied_end(ex *x, int tag)
{
	bool ddt = tag == T_DD || tag == T_DT;
	for (size_t i = x->depth; i-- > 0;) {
		int o = x->tags[i];
		if (o == tag || (ddt && (o == T_DD || o == T_DT))) {
			pop_to(x, i);
			return;
		}
		switch (tag == T_LI ? o : T_OTHER) {
		case T_UL: case T_OL: case T_MENU:
			return;
		default:
			break;
		}
		if (tag == T_TR && (o == T_TABLE || o == T_TBODY ||
				    o == T_THEAD || o == T_TFOOT))
			return;
		if (tag != T_LI && tag != T_TR &&
		    (o == T_DL || o == T_DIV || o == T_TABLE || o == T_BODY))
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

/* Append s[0..n) to the visible text, runs of white space as one space. */
static void add_text(ex *x, const char *s, size_t n)
{
	kp_buf *b = &x->d->text;
	bool space = !b->len || b->data[b->len - 1] == ' ';
	size_t max = b->max ? b->max : KP_BUF_DEFAULT_MAX, i = 0;
	char *o;
	if (b->len + 2 > max)
		return;
	if (n > max - b->len - 2)
		n = max - b->len - 2;   /* full: keep what fits */
	if (kp_buf_reserve(b, n + 1) < 0)
		return;
	o = b->data + b->len;
	while (i < n) {
		/* runs of bytes above ' ' (most of any text), 8 at a time */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w - 0x2121212121212121ULL) & ~w & 0x8080808080808080ULL)
				break;
			memcpy(o, s + i, 8);
			o += 8;
			i += 8;
			space = false;
		}
		if (i >= n)
			break;
		char c = s[i++];
		if (is_ws(c)) {
			if (!space)
				*o++ = ' ';
			space = true;
		} else {
			*o++ = c;
			space = false;
		}
	}
	if (!space)
		*o++ = ' ';
	*o = '\0';
	b->len = (size_t)(o - b->data);
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
		if (x->in_script) {
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
	int tag = t->tag;
	uint8_t tf = tag_flags(tag);
	x->in_script = false;
	if (t->type == KPI_TOK_END) {
		if (tag == T_TITLE) {
			x->in_title = 0;
			return 0;
		}
		for (size_t i = x->depth; i-- > 0;)
			if (x->tags[i] == tag &&
			    (tag != T_OTHER || !strcmp(x->names[i], n))) {
				pop_to(x, i);
				break;
			}
		return 0;
	}
	/* start tag */
	switch (tag) {
	case T_TITLE:
		x->in_title = 1;
		return 0;
	case T_META: {
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
	default:
		break;
	}
	if (tf & TF_IMPLIED)
		implied_end(x, tag);
	switch (tag) {
	case T_A:
	case T_AREA: {
		const char *h = attr(t, "href");
		if (tag == T_A && x->a_level >= 0)
			pop_to(x, (size_t)x->a_level);
		size_t li = add_link(x, h, KPI_LINK_PAGE,
				     tag == T_AREA ? attr(t, "alt") : NULL);
		if (h && x->item_level >= 0 && !x->item_href)
			x->item_href = kp_xstrdup(h);
		if (tag == T_A) {
			x->a_link = li;
			x->a_level = (int)x->depth;
		}
		break;
	}
	case T_IMG: {
		const char *alt = attr(t, "alt");
		add_link(x, attr(t, "src"), KPI_LINK_IMAGE, alt);
		if (alt && x->a_level >= 0 && x->atext.len < 400)
			kp_buf_adds(&x->atext, alt);
		if (alt && !x->skip)
			add_text(x, "", 0);
		break;
	}
	case T_SCRIPT:
		add_link(x, attr(t, "src"), KPI_LINK_SCRIPT, NULL);
		x->in_script = !t->self_closing;
		break;
	case T_LINK: {
		const char *rel = attr(t, "rel");
		int k = KPI_LINK_PAGE;
		if (rel && strcasestr(rel, "stylesheet"))
			k = KPI_LINK_STYLE;
		else if (rel && strcasestr(rel, "icon"))
			k = KPI_LINK_IMAGE;
		add_link(x, attr(t, "href"), k, NULL);
		break;
	}
	case T_IFRAME:
	case T_FRAME:
		add_link(x, attr(t, "src"), KPI_LINK_FRAME, NULL);
		break;
	case T_BASE: {
		const char *h = attr(t, "href");
		if (h && *h && !d->base)
			d->base = kp_xstrdup(h);
		break;
	}
	case T_FORM:
	case T_INPUT: {
		const char *k[] = { "action", "name", "id", "placeholder",
				    "type", "class" };
		for (size_t i = 0; i < 6; i++) {
			const char *v = attr(t, k[i]);
			if (v && (strcasestr(v, "search") || strstr(v, "搜索") ||
				  strcasestr(v, "keyword") || strstr(v, "检索")))
				d->has_search = true;
		}
		break;
	}
	case T_EMBED:
		add_link(x, attr(t, "src"), KPI_LINK_ATTACHMENT, NULL);
		break;
	default:
		break;
	}
	if ((tf & TF_VOID) || t->self_closing)
		return 0;
	if (x->depth == STACK) /* too deep: keep counting, do not track */
		return 0;
	uint8_t f = 0;
	if (tag == T_NAV || navlike(attr(t, "class")) || navlike(attr(t, "id")))
		f |= F_NAV;
	if (tf & TF_SKIP)
		f |= F_SKIP;
	x->tags[x->depth] = (uint8_t)tag;
	if (tag == T_OTHER)
		snprintf(x->names[x->depth], sizeof(x->names[0]), "%s", n);
	x->flags[x->depth] = f;
	if (f & F_NAV)
		x->nav++;
	if (f & F_SKIP)
		x->skip++;
	if (tf & TF_ITEM) {
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
	while (d->arena) {
		struct kpi_arena *a = d->arena;
		d->arena = a->next;
		free(a);
	}
	free(d->links);
	for (size_t i = 0; i < d->nitems; i++) {
		free(d->items[i].text);
		free(d->items[i].href);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

/* The newest date after a label: 发布时间, 更新时间, 发布日期, 成文日期 or
 * 日期：.  Found by their common part, 时间 or 日期, and what stands
 * before or after it: two passes over the text instead of five. */
static kpi_date labelled(const char *s, kpi_date as_of)
{
	static const char *const cores[2] = { "时间", "日期" };
	kpi_date best = 0;
	for (int k = 0; k < 2; k++) {
		const char *p = s;
		while ((p = strstr(p, cores[k]))) {
			const char *at[2];
			int nat = 0;
			if (p - s >= 6 && (!memcmp(p - 6, "发布", 6) ||
					   !memcmp(p - 6, k ? "成文" : "更新", 6)))
				at[nat++] = p - 6;
			if (k && !strncmp(p + 6, "：", 3))
				at[nat++] = p;
			for (int i = 0; i < nat; i++) {
				kpi_date dd = kpi_date_find(at[i], strnlen(at[i], 80),
							    as_of);
				if (dd > best)
					best = dd;
			}
			p += 6;
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
	/* the visible text is a good part of the page: room for half of it
	 * at once instead of doubling from 64 bytes */
	if (!d->text.data &&
	    kp_buf_reserve(&d->text, n / 2 < 1 << 20 ? n / 2 : 1 << 20) == 0)
		d->text.data[0] = '\0';   /* empty until text arrives */
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
