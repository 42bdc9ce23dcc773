/*
 * inspect/html.c — the extractor: what a page says, read from the
 * tokens of html_tok.c in one pass (links of every kind, visible text,
 * title, meta tags, list items and their dates, navigation links,
 * pagination).  No tree is built: a small stack of open elements tells
 * whether a token is in a navigation block, a list item or an anchor.
 */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "inspect/html_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- extraction ------------------------------------------------------ */

static const char *const meta_names[] = {
	"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType",
	"ArticleTitle", "PubDate", "ContentSource",
};

const char *kp_inspect_meta_name(int key)
{
	return key >= 0 && key < KP_INSPECT_META_COUNT ? meta_names[key] : "";
}

static const char *const kind_names[] = {
	"page", "image", "script", "style", "frame", "attachment"
};
static const char *const kind_labels[] = {
	"页面", "图片", "脚本", "样式", "框架", "附件"
};
const char *kp_inspect_link_kind_name(int k)
{
	return k >= 0 && k < KP_INSPECT_LINK_COUNT ? kind_names[k] : "page";
}
const char *kp_inspect_link_kind_label(int k)
{
	return k >= 0 && k < KP_INSPECT_LINK_COUNT ? kind_labels[k] : "页面";
}

/* Bytes equal to c in the word w: the high bit of each such byte set
 * (and maybe of bytes above one; none when there is none). */
static uint64_t bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t v = w ^ (0x0101010101010101ULL * c);
	return (v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL;
}

/* The length of the path of url[0..n): up to its first '?' or '#'. */
static size_t path_len(const char *url, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, url + i, 8);
		if (bytes_eq(w, '?') | bytes_eq(w, '#'))
			break;
	}
	while (i < n && url[i] != '?' && url[i] != '#')
		i++;
	return i;
}

/* The extension of the path of url[0..ul) with its dot, lower-case
 * (".pdf"), into buf; "" when it has none of up to 5 characters. */
static void url_ext(const char *url, size_t ul, char buf[8])
{
	size_t n = path_len(url, ul), i = n, k = 0;
	buf[0] = '\0';
	while (i > 0 && url[i - 1] != '.' && url[i - 1] != '/' && n - i < 6)
		i--;
	if (!i || url[i - 1] != '.' || n - i > 5)
		return;
	for (size_t j = i - 1; j < n; j++)
		buf[k++] = (char)tolower((unsigned char)url[j]);
	buf[k] = '\0';
}

/* The kind of a link by its extension (".pdf", lower-case): an
 * attachment (office documents, archives, text), an image, or a page.
 * By the letter after the dot first: most links end in ".html" or
 * nothing, and no compare is made for them. */
static int ext_kind(const char *e)
{
#define E(lit, kind) \
	if (!strcmp(e, lit)) \
		return kind
	enum { AT = KP_INSPECT_LINK_ATTACHMENT, IM = KP_INSPECT_LINK_IMAGE };
	switch (e[0] ? e[1] : 0) {
	case '7': E(".7z", AT); break;
	case 'b': E(".bmp", IM); break;
	case 'd': E(".doc", AT); E(".docx", AT); break;
	case 'e': E(".et", AT); break;
	case 'g': E(".gif", IM); break;
	case 'i': E(".ico", IM); break;
	case 'j': E(".jpg", IM); E(".jpeg", IM); break;
	case 'o': E(".ofd", AT); break;
	case 'p':
		E(".pdf", AT); E(".ppt", AT); E(".pptx", AT); E(".png", IM);
		break;
	case 'r': E(".rar", AT); break;
	case 's': E(".svg", IM); break;
	case 't': E(".txt", AT); break;
	case 'w': E(".wps", AT); E(".webp", IM); break;
	case 'x': E(".xls", AT); E(".xlsx", AT); break;
	case 'z': E(".zip", AT); break;
	default: break;
	}
#undef E
	return KP_INSPECT_LINK_PAGE;
}

#define STACK 128
#define ITEM_TEXT_MAX 600
#define SMALL_MAX 4096   /* the title, an item's and an anchor's text */

enum { F_NAV = 1, F_SKIP = 4 };

typedef struct ex {
	kp_inspect_doc *d;
	kp_inspect_date as_of;
	size_t max_links;
	bool has_nul;         /* the input has a NUL (see tz) */
	bool text_space;      /* d->text is empty or ends in a space */
	uint8_t tags[STACK];      /* tag ids of the open elements */
	char names[STACK][12];    /* their names, for T_OTHER */
	uint8_t flags[STACK];
	size_t depth;
	int nav, skip;        /* counts of open nav / invisible elements */
	int in_title;
	bool in_script;       /* text of a script element */
	kp_inspect_date stamp;    /* the first date standing alone with
				   * its time (kp_inspect_date_stamp) */
	uint32_t serial;          /* elements opened so far */
	uint32_t ser[STACK];      /* the serial of each open element */
	uint32_t item_list;       /* the serial of the open item's parent */
	/* the innermost open item */
	int item_level;       /* stack index of the open item, -1 none */
	bool item_live;       /* not inside navigation: it may be kept */
	bool has_href;        /* href holds its first link */
	kp_buf href;
	/* the open anchor */
	int a_level;
	size_t a_link;        /* index in d->links, or SIZE_MAX */
	/* texts of at most SMALL_MAX bytes, NUL-terminated */
	size_t title_len, item_len, atext_len;
	char title[SMALL_MAX + 1], item[SMALL_MAX + 1], atext[SMALL_MAX + 1];
} ex;

/* Append s[0..n) to a small text as kp_buf_add does with a cap of
 * SMALL_MAX: all of it or, when it would not fit, nothing. */
static void small_add(char *b, size_t *len, const char *s, size_t n)
{
	if (n > SMALL_MAX || *len > SMALL_MAX - n)
		return;
	memcpy(b + *len, s, n);
	*len += n;
	b[*len] = '\0';
}

/* What kp_trim would leave of s[0..n) (NUL at s[n]; when has_nul, the C
 * string s), without moving it: its start, and its length in *len. */
static const char *trim_span(const char *s, size_t n, bool has_nul,
			     size_t *len)
{
	return kp_trim_span(s, has_nul ? strlen(s) : n, len);
}

/* The links' strings live in blocks owned by the doc: one allocation per
 * block instead of two per link. */
struct kp_inspect_arena {
	struct kp_inspect_arena *next;
	size_t used, cap;
	char data[];
};

/* s[0..len) and a NUL, in the doc's arena. */
static char *arena_dup(kp_inspect_doc *d, const char *s, size_t len)
{
	size_t n = len + 1;
	struct kp_inspect_arena *a = d->arena;
	if (!a || a->cap - a->used < n) {
		size_t cap = n > 16000 ? n : 16000;
		a = kp_xmalloc(sizeof(*a) + cap);   /* owned by d->arena */
		a->next = d->arena;
		a->used = 0;
		a->cap = cap;
		d->arena = a;
	}
	char *r = a->data + a->used;
	memcpy(r, s, len);
	r[len] = '\0';
	a->used += n;
	return r;
}

/* url[0..ul) (no NUL in it) as a link; text[0..tl) its text. */
static size_t add_link(ex *x, const char *url, size_t ul, int kind,
		       const char *text, size_t tl)
{
	kp_inspect_doc *d = x->d;
	if (!url || !ul)
		return SIZE_MAX;
	if (d->nlinks >= x->max_links) {
		d->links_dropped++;
		return SIZE_MAX;
	}
	if (d->nlinks == d->cap_links) {
		d->cap_links = d->cap_links ? d->cap_links * 2 : 64;
		d->links = kp_xrealloc(d->links, d->cap_links * sizeof(*d->links));
	}
	if (kind == KP_INSPECT_LINK_PAGE) {
		char ext[8];
		url_ext(url, ul, ext);
		kind = ext_kind(ext);
	}
	d->links[d->nlinks] = (kp_inspect_link){ arena_dup(d, url, ul),
					  text && tl ? arena_dup(d, text, tl)
						     : (char *)"",
					  (uint8_t)kind, x->nav > 0 };
	return d->nlinks++;
}

static size_t add_link_str(ex *x, const char *url, int kind)
{
	return add_link(x, url, url ? strlen(url) : 0, kind, NULL, 0);
}

/* Whether a class or id names navigation: "nav", "menu" or "daohang"
 * anywhere (case aside), or "dh" at the start of a word ("dh-top"; not
 * "sdh").  One pass: this runs for every start tag. */
static bool navlike(const char *s, size_t n)
{
	if (!s)
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *q = s + i;
		switch (*q | 0x20) {
		case 'n':
			if (n - i >= 3 && is_ci(q, "nav", 3))
				return true;
			break;
		case 'm':
			if (n - i >= 4 && is_ci(q, "menu", 4))
				return true;
			break;
		case 'd':
			if (n - i >= 7 && is_ci(q, "daohang", 7))
				return true;
			if (i + 1 < n && (q[1] | 0x20) == 'h' &&
			    (i == 0 || !isalpha((unsigned char)q[-1])))
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
	kp_inspect_doc *d = x->d;
	/* outside navigation with a link, or nothing is kept */
	if (x->has_href && !x->nav) {
		size_t n, chars = 0;
		const char *t = trim_span(x->item, x->item_len, x->has_nul, &n);
		int md;
		kp_inspect_date date = kp_inspect_date_find_full(t, n, x->as_of, &md);
		for (size_t i = 0; i < n && !date && !md && chars < 8; i++)
			chars += ((unsigned char)t[i] & 0xC0) != 0x80;
		if (date || md || chars >= 2) {
			char *text = kp_xmalloc(n + 1);   /* owned by d->items */
			memcpy(text, t, n);
			text[n] = '\0';
			if (d->nitems == d->cap_items) {
				d->cap_items = d->cap_items ? d->cap_items * 2 : 32;
				d->items = kp_xrealloc(d->items,
						       d->cap_items * sizeof(*d->items));
			}
			d->items[d->nitems++] = (kp_inspect_item){
				text, kp_xstrdup(x->href.data), date,
				date ? KP_INSPECT_DS_ITEM : 0,
				!date && !md && chars < 8, (uint16_t)md,
				x->item_list };
		}
	}
	x->has_href = false;
	x->item_len = 0;
	x->item[0] = '\0';
	x->item_level = -1;
}

/* s[0..n) has 页 (E9 A1 B5) preceded by 下一, 尾 or 末: a link to the
 * next or last page.  Words without an E9 byte are passed over whole. */
static bool next_page_text(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i + 3 <= n) {
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!bytes_eq(w, 0xE9)) {
				i += 8;
				continue;
			}
		}
		if (u[i] == 0xE9 && u[i + 1] == 0xA1 && u[i + 2] == 0xB5 &&
		    ((i >= 6 && !memcmp(s + i - 6, "下一", 6)) ||
		     (i >= 3 && (!memcmp(s + i - 3, "尾", 3) ||
				 !memcmp(s + i - 3, "末", 3)))))
			return true;
		i++;
	}
	return false;
}

static void close_a(ex *x)
{
	if (x->a_link != SIZE_MAX) {
		kp_inspect_link *l = &x->d->links[x->a_link];
		size_t n;
		const char *t = trim_span(x->atext, x->atext_len, x->has_nul, &n);
		if (!*l->text && n)
			l->text = arena_dup(x->d, t, n);
		if (next_page_text(t, n) && x->d->pages < 2)
			x->d->pages = 2;
	}
	x->a_link = SIZE_MAX;
	x->a_level = -1;
	x->atext_len = 0;
	x->atext[0] = '\0';
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
		add_link_str(x, u, KP_INSPECT_LINK_PAGE);
	}
}

/* Append s[0..n) to the visible text, runs of white space as one space. */
static void add_text(ex *x, const char *s, size_t n)
{
	kp_buf *b = &x->d->text;
	/* the text is empty or ends in a space: every call leaves it so */
	bool space = x->text_space;
	size_t max = b->max ? b->max : KP_BUF_DEFAULT_MAX, i = 0;
	char *o;
	if (b->len + 2 > max)
		return;
	if (n > max - b->len - 2)
		n = max - b->len - 2;   /* full: keep what fits */
	/* so white space in front goes, and a text of nothing else (the
	 * line breaks between tags) adds nothing */
	while (space && i < n && is_ws(s[i]))
		i++;
	if (space && i == n)
		return;
	if (b->len + n + 2 > b->cap && kp_buf_reserve(b, n + 1) < 0)
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
	x->text_space = true;
}

/* ---- the text for matching: inline elements joined ------------------
 * d->blocks is the visible text again, as the footer rules read it:
 * the texts of inline elements joined as they stand (京<span>ICP</span>
 * 备 is 京ICP备), a line break where a block starts or ends, white space
 * runs as one space.  Only its last BLOCKS_KEEP bytes or so are kept:
 * footers are at the end. */
#define BLOCKS_KEEP (48 << 10)

/* An inline element's name: by its length and first letter first (this
 * runs at every tag the extractor does not know by id). */
static bool inline_name(const char *nm)
{
	static const char *const names[] = {
		"span", "em", "strong", "b", "i", "font", "u", "small", "big",
		"sub", "sup", "label", "abbr", "cite", "code", "q", "s", "strike",
		"ins", "del", "tt", "kbd", "var", "mark", "time", "bdo", NULL
	};
	size_t n = strlen(nm);
	if (n > 6)
		return false;
	for (size_t i = 0; names[i]; i++)
		if (names[i][0] == nm[0] && !strcmp(nm, names[i]))
			return true;
	return false;
}

/* A line break in d->blocks unless tag is an inline element. */
static void blocks_break(ex *x, tz *t, int tag)
{
	kp_buf *b = &x->d->blocks;
	if (x->d->no_blocks || tag == T_A || tag == T_IMG || tag == T_INPUT ||
	    (tag == T_OTHER && inline_name(kp_inspect_html_tag_name(t))))
		return;
	if (!b->len)
		return;
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	if (b->len && b->data[b->len - 1] != '\n')
		kp_buf_addc(b, '\n');
}

static void blocks_add(ex *x, const char *s, size_t n)
{
	kp_buf *b = &x->d->blocks;
	bool space = !b->len || b->data[b->len - 1] == ' ' ||
		     b->data[b->len - 1] == '\n';
	if (b->len + n + 2 > b->cap && kp_buf_reserve(b, n + 1) < 0)
		return;
	char *o = b->data + b->len;
	for (size_t i = 0; i < n;) {
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
	*o = '\0';
	b->len = (size_t)(o - b->data);
	if (b->len > 2 * BLOCKS_KEEP) {
		/* keep the tail, from a line's start */
		const char *cut = memchr(b->data + b->len - BLOCKS_KEEP, '\n',
					 BLOCKS_KEEP);
		size_t from = cut ? (size_t)(cut + 1 - b->data) : b->len - BLOCKS_KEEP;
		while (from < b->len && ((unsigned char)b->data[from] & 0xC0) == 0x80)
			from++;
		memmove(b->data, b->data + from, b->len - from + 1);
		b->len -= from;
	}
}

void kp_inspect_html_ex_text(ex *x, const char *s, size_t n)
{
	if (x->in_title) {
		small_add(x->title, &x->title_len, s, n);
		return;
	}
	if (x->in_script) {
		pagination_from_script(x, s, n);
		return;
	}
	if (x->skip)
		return;
	add_text(x, s, n);
	if (!x->d->no_blocks)
		blocks_add(x, s, n);
	if (!x->stamp && n >= 14 && n <= 64 && !x->nav)
		x->stamp = kp_inspect_date_stamp(s, n);
	if (x->item_level >= 0 && x->item_live && x->item_len < ITEM_TEXT_MAX) {
		small_add(x->item, &x->item_len, s, n);
		small_add(x->item, &x->item_len, " ", 1);
	}
	if (x->a_level >= 0 && x->atext_len < 400)
		small_add(x->atext, &x->atext_len, s, n);
}

void kp_inspect_html_ex_end(ex *x, tz *t)
{
	int tag = t->tag;
	x->in_script = false;
	if (tag == T_TITLE) {
		x->in_title = 0;
		return;
	}
	blocks_break(x, t, tag);
	for (size_t i = x->depth; i-- > 0;)
		if (x->tags[i] == tag &&
		    (tag != T_OTHER || !strcmp(x->names[i], kp_inspect_html_tag_name(t)))) {
			pop_to(x, i);
			break;
		}
}

static void meta(ex *x, tz *t)
{
	kp_inspect_doc *d = x->d;
	const char *nm = astr(t, A_NAME), *c = astr(t, A_CONTENT);
	const char *cs = astr(t, A_CHARSET);
	const char *he = astr(t, A_HTTP_EQUIV);
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
			add_link_str(x, target, KP_INSPECT_LINK_PAGE);
			if (!d->refresh)
				d->refresh = kp_xstrdup(target);
			free(v);
		}
	}
	if (nm && c) {
		/* names of another length are not equal in any case */
		size_t nl = strlen(nm);
		for (int k = 0; k < KP_INSPECT_META_COUNT; k++)
			if (strlen(meta_names[k]) == nl &&
			    !strcasecmp(nm, meta_names[k]) && !d->meta[k])
				d->meta[k] = kp_xstrdup(c);
	}
}

/* What a start tag adds to the doc: a link of its kind, the item's
 * first link, the anchor it opens, <base>, a search box. */
static void start_links(ex *x, tz *t, int tag, bool selfc)
{
	kp_inspect_doc *d = x->d;
	size_t hl, al, sl;
	const char *h, *alt, *src;
	switch (tag) {
	case T_A:
	case T_AREA: {
		h = aval(t, A_HREF, &hl, false);
		if (tag == T_A && x->a_level >= 0)
			pop_to(x, (size_t)x->a_level);
		alt = tag == T_AREA ? aval(t, A_ALT, &al, false) : NULL;
		size_t li = add_link(x, h, hl, KP_INSPECT_LINK_PAGE, alt, alt ? al : 0);
		if (h && x->item_level >= 0 && !x->has_href && x->item_live) {
			kp_buf_reset(&x->href);
			if (kp_buf_add(&x->href, h, hl) == 0)
				x->has_href = true;
		}
		if (tag == T_A) {
			x->a_link = li;
			x->a_level = (int)x->depth;
		}
		break;
	}
	case T_IMG:
		alt = aval(t, A_ALT, &al, false);
		src = aval(t, A_SRC, &sl, false);
		add_link(x, src, sl, KP_INSPECT_LINK_IMAGE, alt, alt ? al : 0);
		if (alt && x->a_level >= 0 && x->atext_len < 400)
			small_add(x->atext, &x->atext_len, alt, al);
		if (alt && !x->skip)
			add_text(x, "", 0);
		break;
	case T_SCRIPT:
		src = aval(t, A_SRC, &sl, false);
		{ /* a script's text is its charset attribute, for the
		   * crawler that reads its footer (crawl_scripts.c) */
			const char *cs = astr(t, A_CHARSET);
			add_link(x, src, sl, KP_INSPECT_LINK_SCRIPT, cs,
				 cs ? strlen(cs) : 0);
		}
		x->in_script = !selfc;
		break;
	case T_LINK: {
		const char *rel = astr(t, A_REL);
		int k = KP_INSPECT_LINK_PAGE;
		if (rel && strcasestr(rel, "stylesheet"))
			k = KP_INSPECT_LINK_STYLE;
		else if (rel && strcasestr(rel, "icon"))
			k = KP_INSPECT_LINK_IMAGE;
		h = aval(t, A_HREF, &hl, false);
		add_link(x, h, hl, k, NULL, 0);
		break;
	}
	case T_IFRAME:
	case T_FRAME:
		src = aval(t, A_SRC, &sl, false);
		add_link(x, src, sl, KP_INSPECT_LINK_FRAME, NULL, 0);
		break;
	case T_BASE:
		h = aval(t, A_HREF, &hl, false);
		if (h && hl && !d->base) {
			d->base = kp_xmalloc(hl + 1);   /* owned by d */
			memcpy(d->base, h, hl);
			d->base[hl] = '\0';
		}
		break;
	case T_FORM:
	case T_INPUT: {
		static const int k[] = { A_ACTION, A_NAME, A_ID, A_PLACEHOLDER,
					 A_TYPE, A_CLASS };
		for (size_t i = 0; i < 6; i++) {
			const char *v = astr(t, k[i]);
			if (v && (strcasestr(v, "search") || strstr(v, "搜索") ||
				  strcasestr(v, "keyword") || strstr(v, "检索")))
				d->has_search = true;
		}
		break;
	}
	case T_EMBED:
		src = aval(t, A_SRC, &sl, false);
		add_link(x, src, sl, KP_INSPECT_LINK_ATTACHMENT, NULL, 0);
		break;
	default:
		break;
	}
}

/* Push the start tag's element on the stack of open elements. */
static void push(ex *x, tz *t, int tag, uint8_t tf)
{
	if (x->depth == STACK) /* too deep: keep counting, do not track */
		return;
	uint8_t f = 0;
	size_t cl, il;
	const char *cv = aval(t, A_CLASS, &cl, false);
	const char *iv;
	if (tag == T_NAV || navlike(cv, cl) ||
	    ((iv = aval(t, A_ID, &il, false)) && navlike(iv, il)))
		f |= F_NAV;
	if (tf & TF_SKIP)
		f |= F_SKIP;
	x->tags[x->depth] = (uint8_t)tag;
	if (tag == T_OTHER) {
		const char *nm = kp_inspect_html_tag_name(t);
		size_t i = 0;
		for (; i + 1 < sizeof(x->names[0]) && nm[i]; i++)
			x->names[x->depth][i] = nm[i];
		x->names[x->depth][i] = '\0';
	}
	x->flags[x->depth] = f;
	x->ser[x->depth] = ++x->serial;
	if (tf & TF_ITEM) {
		if (x->item_level >= 0) { /* nested: the inner one counts */
			x->has_href = false;
			x->item_len = 0;
			x->item[0] = '\0';
		}
		x->item_level = (int)x->depth;
		x->item_list = x->depth ? x->ser[x->depth - 1] : 0;
		/* the navigation open around it stays open as long as it
		 * does: inside any, it will not be kept */
		x->item_live = x->nav == 0;
	}
	if (f & F_NAV)
		x->nav++;
	if (f & F_SKIP)
		x->skip++;
	x->depth++;
}

void kp_inspect_html_ex_start(ex *x, tz *t, bool selfc)
{
	int tag = t->tag;
	uint8_t tf = tag_flags(tag);
	x->in_script = false;
	switch (tag) {
	case T_TITLE:
		x->in_title = 1;
		return;
	case T_META:
		meta(x, t);
		return;
	default:
		break;
	}
	if (tf & TF_IMPLIED)
		implied_end(x, tag);
	blocks_break(x, t, tag);
	start_links(x, t, tag, selfc);
	if ((tf & TF_VOID) || selfc)
		return;
	push(x, t, tag, tf);
}

void kp_inspect_doc_init(kp_inspect_doc *d)
{
	memset(d, 0, sizeof(*d));
	kp_buf_init(&d->text, 4 << 20);
	d->pages = 1;
}

void kp_inspect_doc_release(kp_inspect_doc *d)
{
	free(d->title);
	free(d->charset_meta);
	free(d->base);
	free(d->refresh);
	for (int k = 0; k < KP_INSPECT_META_COUNT; k++)
		free(d->meta[k]);
	kp_buf_release(&d->text);
	kp_buf_release(&d->blocks);
	kp_inspect_hits_free(d->hits, d->nhits);
	free(d->script_blocks);
	free(d->script_url);
	while (d->arena) {
		struct kp_inspect_arena *a = d->arena;
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

int kp_inspect_html_extract(const char *html, size_t n, kp_inspect_date as_of,
		     size_t max_links, kp_inspect_doc *d)
{
	ex x;
	tz t;
	/* the fields, not the texts: those are NUL-terminated at their
	 * lengths */
	memset(&x, 0, offsetof(ex, title));
	x.d = d;
	x.as_of = as_of;
	x.max_links = max_links ? max_links : 100000;
	x.has_nul = n && memchr(html, '\0', n) != NULL;
	x.item_level = -1;
	x.a_level = -1;
	x.a_link = SIZE_MAX;
	kp_buf_init(&x.href, 0);
	x.text_space = !d->text.len || d->text.data[d->text.len - 1] == ' ';
	x.title[0] = x.item[0] = x.atext[0] = '\0';
	/* the visible text is a good part of the page: room for half of it
	 * at once instead of doubling from 64 bytes */
	if (!d->text.data &&
	    kp_buf_reserve(&d->text, n / 2 < 1 << 20 ? n / 2 : 1 << 20) == 0)
		d->text.data[0] = '\0';   /* empty until text arrives */
	if (!d->blocks.data && !d->no_blocks &&
	    kp_buf_reserve(&d->blocks, n / 2 < BLOCKS_KEEP * 2 ? n / 2 : BLOCKS_KEEP * 2) == 0)
		d->blocks.data[0] = '\0';
	t.x = &x;
	t.fn = NULL;
	t.ctx = NULL;
	t.has_nul = x.has_nul;
	kp_inspect_html_run(&t, html, n);
	pop_to(&x, 0);
	if (x.item_level >= 0)
		close_item(&x);
	close_a(&x);
	d->title = kp_xstrdup(kp_trim(x.title));
	kp_buf_release(&x.href);
	if (d->text.data) {
		/* as C strings: up to a NUL */
		size_t tl = x.has_nul ? strlen(d->text.data) : d->text.len;
		kp_inspect_html_scan_text(d, d->text.data, tl, as_of);
		kp_inspect_content_scan_words(d->words, d->text.data, tl, as_of, &d->hits,
					      &d->nhits);
	} else {
		kp_buf_add(&d->text, "", 0);
	}
	/* the date a person reads first: a label, then a stamp standing
	 * alone; the PubDate meta only when the page shows neither (on
	 * some sites it is when the page was generated) */
	if (d->labelled_date) {
		d->labelled_source = KP_INSPECT_DS_LABEL;
	} else if (x.stamp) {
		d->labelled_date = x.stamp;
		d->labelled_source = KP_INSPECT_DS_STAMP;
	} else if (d->meta[KP_INSPECT_META_PUBDATE]) {
		d->labelled_date = kp_inspect_date_find(d->meta[KP_INSPECT_META_PUBDATE],
						       strlen(d->meta[KP_INSPECT_META_PUBDATE]),
						       as_of);
		if (d->labelled_date)
			d->labelled_source = KP_INSPECT_DS_META;
	}
	kp_inspect_html_resolve_items(d, as_of);
	return 0;
}
