/*
 * inspect/html_tok.c — a streaming HTML tokenizer.
 *
 * It follows the WHATWG tokenization states that matter for
 * extraction: data, tag open, end tag open, tag name, the attribute
 * states (name, value double-/single-quoted/unquoted, first of duplicate
 * names wins), self-closing, markup declaration (comments with their
 * abrupt endings, DOCTYPE, CDATA as a bogus comment), bogus comments, the
 * RAWTEXT and RCDATA elements (script, style, xmp, iframe, noembed,
 * noframes; title, textarea) and PLAINTEXT.  A tag cut off by the end of
 * the input is dropped, as the standard says.  No tree is built (the
 * extractor in html.c keeps a small stack of open elements).
 */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "inspect/html_int.h"

#include <stddef.h>
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


/* The id of the attribute name s[0..n), any case (end: the input's). */
static int attr_id(const char *s, size_t n, const char *end)
{
	uint64_t w;
#define A(lit, id) \
	if (w == NAME_WORD(lit)) \
		return id
	if (n < 2 || n > 11)
		return A_OTHER;
	w = name_word(s, n < 8 ? n : 8, end);
	switch (n) {
	case 2: A("id", A_ID); break;
	case 3: A("src", A_SRC); A("alt", A_ALT); A("rel", A_REL); break;
	case 4: A("href", A_HREF); A("name", A_NAME); A("type", A_TYPE); break;
	case 5: A("class", A_CLASS); break;
	case 6: A("action", A_ACTION); break;
	case 7: A("content", A_CONTENT); A("charset", A_CHARSET); break;
	case 10:
		if (w == NAME_WORD("http-equ") &&
		    name_word(s + 8, 2, end) == NAME_WORD("iv"))
			return A_HTTP_EQUIV;
		break;
	case 11:
		if (w == NAME_WORD("placehol") &&
		    name_word(s + 8, 3, end) == NAME_WORD("der"))
			return A_PLACEHOLDER;
		break;
	default: break;
	}
#undef A
	return A_OTHER;
}

/* Two attribute names of n bytes are one name (ASCII case aside). */
static bool same_name(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i] && lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* Id of the tag name s[0..n), any case (end: the input's). */
static int tag_id(const char *s, size_t n, const char *end)
{
	uint64_t w;
#define T(lit, id) \
	if (w == NAME_WORD(lit)) \
		return id
	if (!n || n > 9)
		return T_OTHER;
	w = name_word(s, n < 8 ? n : 8, end);
	switch (n) {
	case 1: T("a", T_A); T("p", T_P); break;
	case 2:
		T("li", T_LI); T("ul", T_UL); T("tr", T_TR); T("br", T_BR);
		T("dd", T_DD); T("dt", T_DT); T("dl", T_DL); T("ol", T_OL);
		T("hr", T_HR);
		break;
	case 3:
		T("div", T_DIV); T("img", T_IMG); T("nav", T_NAV);
		T("col", T_COL); T("wbr", T_WBR); T("xmp", T_XMP);
		break;
	case 4:
		T("link", T_LINK); T("meta", T_META); T("form", T_FORM);
		T("body", T_BODY); T("base", T_BASE); T("area", T_AREA);
		T("menu", T_MENU);
		break;
	case 5:
		T("input", T_INPUT); T("title", T_TITLE); T("table", T_TABLE);
		T("tbody", T_TBODY); T("thead", T_THEAD); T("tfoot", T_TFOOT);
		T("style", T_STYLE); T("embed", T_EMBED); T("frame", T_FRAME);
		T("param", T_PARAM); T("track", T_TRACK);
		break;
	case 6:
		T("script", T_SCRIPT); T("iframe", T_IFRAME);
		T("option", T_OPTION); T("source", T_SOURCE);
		break;
	case 7: T("noembed", T_NOEMBED); break;
	case 8:
		T("noscript", T_NOSCRIPT); T("noframes", T_NOFRAMES);
		T("textarea", T_TEXTAREA); T("template", T_TEMPLATE);
		break;
	case 9:
		if (w == NAME_WORD("plaintex") && (s[8] | 0x20) == 't')
			return T_PLAINTEXT;
		break;
	default: break;
	}
#undef T
	return T_OTHER;
}

/* The tag's name, lower-case, at most 31 bytes: made when asked for (a
 * known tag's id says all the extractor needs). */
const char *kp_inspect_html_tag_name(tz *t)
{
	if (!t->named) {
		size_t k = t->nlen < sizeof(t->name) - 1 ? t->nlen : sizeof(t->name) - 1;
		for (size_t i = 0; i < k; i++)
			t->name[i] = lower(t->nsrc[i]);
		t->name[k] = '\0';
		t->named = true;
	}
	return t->name;
}

/* The value of the tag's first attribute of id `id`, decoded, its length
 * (up to a NUL, as a C string's) in *n; NULL when it has none.  With
 * cstr, NUL-terminated (copied into the store when it is not there).
 * Each value lands in the store at most once and never longer than it
 * stands in the tag, so the store, reserved once for the tag's length,
 * does not move under the values already handed out. */
const char *kp_inspect_html_cook(tz *t, rattr *a, size_t *n, bool cstr)
{
	if (!a->v) {
		a->v = "";
		a->cooked = true;
	} else if (!a->cooked &&
		   (cstr || find_byte(a->v, a->v + a->vl, t->end, '&'))) {
		kp_buf *s = &t->store;
		size_t o;
		if (!t->store_ready) {
			kp_buf_reset(s);
			if (kp_buf_reserve(s, t->tag_len + 1) < 0)
				return NULL;
			t->store_ready = true;
		}
		o = s->len;
		if (find_byte(a->v, a->v + a->vl, t->end, '&')) {
			decode(a->v, a->vl, s, true);
		} else {
			memcpy(s->data + o, a->v, a->vl);
			s->len = o + a->vl;
		}
		s->data[s->len++] = '\0';
		a->v = s->data + o;
		a->vl = s->len - 1 - o;
		a->cooked = true;
	}
	*n = t->has_nul ? strnlen(a->v, a->vl) : a->vl;
	return a->v;
}

/* (Most questions are about an attribute the tag does not have.) */

static void text_token(tz *t, const char *p, size_t n, bool raw)
{
	if (!raw && find_byte(p, p + n, t->end, '&')) {
		kp_buf_reset(&t->text);
		decode(p, n, &t->text, false);
		if (!t->text.len)
			return;
		p = t->text.data;
		n = t->text.len;
	}   /* else nothing to decode: the text as it stands in the input */
	if (t->x) {
		kp_inspect_html_ex_text(t->x, p, n);
	} else {
		kp_inspect_token k = { .type = KP_INSPECT_TOK_TEXT, .text = p, .len = n };
		if (t->fn(&k, t->ctx))
			t->stop = true;
	}
}

/* Most texts between two tags are empty: no call for those. */
static inline void emit_text(tz *t, const char *p, size_t n, bool raw)
{
	if (n && !t->stop)
		text_token(t, p, n, raw);
}

static void emit_comment(tz *t, const char *p, size_t n)
{
	kp_inspect_token k = { .type = KP_INSPECT_TOK_COMMENT, .text = p, .len = n };
	if (!t->x && !t->stop && t->fn(&k, t->ctx))
		t->stop = true;
}

/* A start tag to fn: names lower-case, values decoded, NUL-terminated. */
static void start_token(tz *t, bool selfc)
{
	kp_inspect_token k = { .type = KP_INSPECT_TOK_START };
	kp_inspect_attr *at = t->attrs;
	size_t off[MAX_ATTRS][2], na = 0;
	kp_buf_reset(&t->store);
	for (size_t j = 0; j < t->nattrs; j++) {
		const rattr *a = &t->a[j];
		size_t no = t->store.len, vo, i;
		char *dst;
		/* name, NUL, value (decoding never lengthens it), NUL */
		if (kp_buf_reserve(&t->store, a->nl + a->vl + 2) < 0)
			continue;
		dst = t->store.data + no;
		for (i = 0; i < a->nl; i++)
			dst[i] = lower(a->n[i]);
		dst[a->nl] = '\0';
		vo = no + a->nl + 1;
		if (a->v && memchr(a->v, '&', a->vl)) {
			t->store.len = vo;
			decode(a->v, a->vl, &t->store, true);
		} else {
			if (a->vl)
				memcpy(t->store.data + vo, a->v, a->vl);
			t->store.len = vo + a->vl;
		}
		t->store.data[t->store.len++] = '\0';
		t->store.data[t->store.len] = '\0';
		off[na][0] = no;
		off[na][1] = vo;
		na++;
	}
	for (size_t i = 0; i < na; i++) {
		at[i].name = t->store.data + off[i][0];
		at[i].value = t->store.data + off[i][1];
	}
	k.name = kp_inspect_html_tag_name(t);
	k.tag = t->tag;
	k.attrs = at;
	k.nattrs = na;
	k.self_closing = selfc;
	if (!t->stop && t->fn(&k, t->ctx))
		t->stop = true;
}

static void emit_start(tz *t, bool selfc)
{
	if (t->x)
		kp_inspect_html_ex_start(t->x, t, selfc);
	else
		start_token(t, selfc);
}

static void emit_end(tz *t)
{
	kp_inspect_token k = { .type = KP_INSPECT_TOK_END };
	if (t->x) {
		kp_inspect_html_ex_end(t->x, t);
		return;
	}
	k.name = kp_inspect_html_tag_name(t);
	k.tag = t->tag;
	if (!t->stop && t->fn(&k, t->ctx))
		t->stop = true;
}

/* Find "</name" + (ws | / | >) case-insensitively from p; returns its
 * position or end. */
static const char *find_close(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);
	while (p < end) {
		const char *lt = find_byte(p, end, end, '<');
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
	const char *end = t->end, *p0 = p;
	*selfc = false;
	t->nattrs = 0;
	t->seen = 0;
	t->store_ready = false;
	t->named = false;
	while (p < end && !in_set(*p, NAME_END))
		p++;
	t->nsrc = p0;
	t->nlen = (size_t)(p - p0);
	/* the name as the tokenizer keeps it (31 bytes) names the tag */
	t->tag = tag_id(p0, t->nlen < 31 ? t->nlen : 31, end);
	for (;;) {
		const char *ns, *vs = NULL;
		size_t nl, vl = 0, i;
		char q;
		while (p < end && in_set(*p, C_WS | C_SL)) {
			if (*p == '/' && p + 1 < end && p[1] == '>')
				*selfc = true;
			p++;
		}
		if (p >= end)
			return NULL;
		if (*p == '>') {
			t->tag_len = (size_t)(p + 1 - p0);
			return p + 1;
		}
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
				p = find_byte(p, end, end, q);
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
		/* the first of a name wins */
		for (i = 0; i < t->nattrs; i++)
			if (t->a[i].nl == nl && same_name(t->a[i].n, ns, nl))
				break;
		if (i < t->nattrs)
			continue;
		t->a[i] = (rattr){ ns, vs, nl, vl, false };
		if (t->x) {
			int id = attr_id(ns, t->has_nul ? strnlen(ns, nl) : nl, end);
			if (id && !((t->seen >> id) & 1)) {
				t->seen |= 1u << id;
				t->first[id] = (uint8_t)i;
			}
		}
		t->nattrs++;
	}
}

/* A markup declaration or processing instruction at lt ("<!" or "<?"):
 * a comment with its abrupt endings, or a bogus comment to the next
 * '>'.  Emits the comment; returns where the text after it starts. */
static const char *markup(tz *t, const char *lt, const char *end)
{
	if (lt[1] == '!' && end - lt >= 4 && lt[2] == '-' && lt[3] == '-') {
		const char *s = lt + 4, *q = s;
		/* abrupt closings "<!-->" and "<!--->" */
		if (q < end && *q == '>')
			return q + 1;
		if (q + 1 < end && q[0] == '-' && q[1] == '>')
			return q + 2;
		for (;;) {
			q = memchr(q, '-', (size_t)(end - q));
			if (!q || end - q < 3) {
				q = NULL;
				break;
			}
			if (q[1] == '-' && q[2] == '>')
				break;
			if (q[1] == '-' && q[2] == '!' && end - q >= 4 && q[3] == '>')
				break;
			q++;
		}
		if (!q) {
			emit_comment(t, s, (size_t)(end - s));
			return end;
		}
		emit_comment(t, s, (size_t)(q - s));
		return q + (q[2] == '!' ? 4 : 3);
	}
	const char *gt = memchr(lt, '>', (size_t)(end - lt));
	emit_comment(t, lt + 2, (gt ? gt : end) - (lt + 2));
	return gt ? gt + 1 : end;
}

void kp_inspect_html_run(tz *t, const char *html, size_t n)
{
	const char *p = html, *end = html + n, *text = html;
	t->end = end;
	t->nattrs = 0;
	t->stop = false;
	kp_buf_init(&t->text, 0);
	kp_buf_init(&t->store, 0);
	while (p < end && !t->stop) {
		const char *lt = find_byte(p, end, end, '<');
		if (!lt || lt + 1 >= end)
			break;
		char c = lt[1];
		if (is_alpha(c)) {
			bool selfc;
			const char *after = parse_tag(t, lt + 1, false, &selfc);
			if (!after) {
				emit_text(t, text, (size_t)(lt - text), false);
				text = end;
				break;
			}
			emit_text(t, text, (size_t)(lt - text), false);
			emit_start(t, selfc);
			p = text = after;
			if (t->tag == T_PLAINTEXT) {
				emit_text(t, p, (size_t)(end - p), true);
				text = p = end;
				break;
			}
			bool raw = tag_flags(t->tag) & TF_RAW;
			if (raw || (tag_flags(t->tag) & TF_RCDATA)) {
				char nm[32];
				const char *cl;
				memcpy(nm, kp_inspect_html_tag_name(t), sizeof(nm));
				cl = find_close(p, end, nm);
				emit_text(t, p, (size_t)(cl - p), raw);
				p = text = cl;
				if (cl == end)
					break;
			}
			continue;
		}
		if (c == '/') {
			if (lt + 2 < end && is_alpha(lt[2])) {
				bool selfc;
				const char *after = parse_tag(t, lt + 2, true, &selfc);
				emit_text(t, text, (size_t)(lt - text), false);
				if (!after) {
					text = end;
					break;
				}
				emit_end(t);
				p = text = after;
				continue;
			}
			if (lt + 2 < end && lt[2] == '>') { /* "</>": dropped */
				emit_text(t, text, (size_t)(lt - text), false);
				p = text = lt + 3;
				continue;
			}
			if (lt + 2 >= end) {
				p = lt + 1;
				continue;
			}
			/* bogus comment */
			emit_text(t, text, (size_t)(lt - text), false);
			const char *gt = memchr(lt, '>', (size_t)(end - lt));
			emit_comment(t, lt + 2, (gt ? gt : end) - (lt + 2));
			p = text = gt ? gt + 1 : end;
			continue;
		}
		if (c == '!' || c == '?') {
			emit_text(t, text, (size_t)(lt - text), false);
			p = text = markup(t, lt, end);
			continue;
		}
		p = lt + 1; /* a lone '<' is text */
	}
	if (text < end)
		emit_text(t, text, (size_t)(end - text), false);
	kp_buf_release(&t->text);
	kp_buf_release(&t->store);
}

int kp_inspect_tokenize(const char *html, size_t n, kp_inspect_tok_fn fn, void *ctx)
{
	tz t;
	t.x = NULL;
	t.fn = fn;
	t.ctx = ctx;
	t.has_nul = false;   /* the ids are the extractor's */
	kp_inspect_html_run(&t, html, n);
	return 0;
}
