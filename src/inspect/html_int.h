/*
 * inspect/html_int.h — what the tokenizer (html_tok.c) and the extractor
 * (html.c) share, internal to those two files.
 *
 * The tokenizer reads a tag into a tz: its name (an id from tag_id, the
 * text made only when asked for) and its attributes as they stand in
 * the input (rattr), the first of each attribute the extractor asks
 * about noted by id, so that a question is an index and no value is
 * decoded that nobody reads.  With an extractor (tz.x) the tokenizer
 * calls kp_inspect_html_ex_start/_end/_text for each token; without, it
 * builds public tokens for the callback (kp_inspect_tokenize).
 */
#ifndef KP_INSPECT_HTML_INT_H
#define KP_INSPECT_HTML_INT_H

#include "inspect/inspect.h"

#include <ctype.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define MAX_ATTRS 64

/* The attributes the extractor asks about, by id: the tokenizer notes
 * the first of each as it reads the tag, so a question is an index and
 * no value is copied that nobody reads. */
enum {
	A_OTHER, A_HREF, A_SRC, A_ALT, A_CLASS, A_ID, A_REL, A_NAME,
	A_CONTENT, A_CHARSET, A_HTTP_EQUIV, A_ACTION, A_PLACEHOLDER, A_TYPE,
	A_COUNT
};

/* An attribute as it stands in the input: its name in any case, its
 * value undecoded (v NULL: none) until someone asks for it. */
typedef struct rattr {
	const char *n, *v;
	size_t nl, vl;
	bool cooked;    /* v is in store: decoded, NUL-terminated */
} rattr;


struct ex;

typedef struct tz {
	const char *end;
	struct ex *x;                /* the extractor, or NULL: fn gets tokens */
	kp_inspect_tok_fn fn;
	void *ctx;
	kp_buf text;                 /* decoded text */
	kp_buf store;                /* the current tag's values that were
				      * asked for (decoded, NUL-terminated);
				      * for fn, its names and values */
	rattr a[MAX_ATTRS];          /* the tag's attributes, duplicates out */
	kp_inspect_attr attrs[MAX_ATTRS];   /* for fn */
	size_t nattrs;
	uint32_t seen;               /* the ids in first[] */
	uint8_t first[A_COUNT];      /* index in a[] of an id's first */
	size_t tag_len;              /* bytes of the tag: bounds the store */
	bool store_ready;            /* store reserved for this tag */
	bool has_nul;                /* the input has a NUL: C strings of it
				      * end early, as they did when copied */
	const char *nsrc;            /* the tag's name in the input */
	size_t nlen;
	bool named;                  /* name made from it */
	char name[32];
	int tag;                     /* tag_id of the name */
	bool stop;
} tz;

/* The extractor's side (html.c), called by the tokenizer for each token
 * when t->x is set. */
void kp_inspect_html_ex_start(struct ex *x, tz *t, bool selfc);
void kp_inspect_html_ex_end(struct ex *x, tz *t);
void kp_inspect_html_ex_text(struct ex *x, const char *s, size_t n);

/* html_dates.c: "共 N 页" and the labelled date of the visible text
 * s[0..n) into d; the years of d's year-less item dates, and the short
 * items dropped that are not in a directory. */
void kp_inspect_html_scan_text(kp_inspect_doc *d, const char *s, size_t n,
			       kp_inspect_date as_of);
void kp_inspect_html_resolve_items(kp_inspect_doc *d, kp_inspect_date as_of);

/* Tokenize html[0..n) into t (t->x, or t->fn and t->ctx, set; t->has_nul
 * too).  html_tok.c. */
void kp_inspect_html_run(tz *t, const char *html, size_t n);

static inline bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The bytes that end a tag name (white space, '/', '>') and an attribute
 * name (those and '='): one load and test per byte in the tag loops. */
enum { C_WS = 1, C_SL = 2, C_GT = 4, C_EQ = 8 };
#define NAME_END (C_WS | C_SL | C_GT)
#define ATTR_END (NAME_END | C_EQ)
static const uint8_t cclass[256] = {
	[' '] = C_WS, ['\t'] = C_WS, ['\n'] = C_WS, ['\r'] = C_WS,
	['\f'] = C_WS, ['/'] = C_SL, ['>'] = C_GT, ['='] = C_EQ,
};

static inline bool in_set(char c, unsigned set)
{
	return cclass[(unsigned char)c] & set;
}

/* isalpha, without a call for ASCII (the locale has a say only above) */
static inline bool is_alpha(char c)
{
	unsigned char u = (unsigned char)c;
	return u < 0x80 ? (unsigned)((u | 0x20) - 'a') < 26 : isalpha(u) != 0;
}

static inline char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* The first c in [p, e), or NULL; the input may be read up to limit
 * (>= e).  Most spans of a page are short (the text between two tags is
 * empty or a line break nine times in ten; a value is a few words): one
 * block compared in place, and only a longer span costs a call to
 * memchr. */
static inline const char *find_byte(const char *p, const char *e,
				    const char *limit, char c)
{
#ifdef __SSE2__
	if (limit - p >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)p),
			_mm_set1_epi8(c)));
		if (e - p < 16)
			return (m &= (1u << (e - p)) - 1) ? p + __builtin_ctz(m) : NULL;
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#else
	(void)limit;
#endif
	return p < e ? memchr(p, c, (size_t)(e - p)) : NULL;
}

/* s[0..n) is lit (lower-case letters and '-') in any case: (c | 0x20) is
 * a letter only for that letter in either case, and '-' only for '-' or
 * '\r', which ends a name. */
static inline bool is_ci(const char *s, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != lit[i])
			return false;
	return true;
}

/* A name of up to 8 bytes as a word, byte i in bits 8i..8i+7, every
 * byte or'ed with 0x20: the word of s in the input equals the word of a
 * lower-case name (letters and '-') exactly when s is that name in any
 * case, as (c | 0x20) is a letter only for that letter in either case,
 * and '-' only for '-' or '\r' (which ends every name).  NAME_WORD(lit)
 * is the literal's, a constant. */
#define NW_B(s, i) ((uint64_t)(unsigned char)(s "\0\0\0\0\0\0\0")[i] << (8 * (i)))
#define NAME_WORD(s) \
	(NW_B(s, 0) | NW_B(s, 1) | NW_B(s, 2) | NW_B(s, 3) | NW_B(s, 4) | \
	 NW_B(s, 5) | NW_B(s, 6) | NW_B(s, 7) | 0x2020202020202020ULL)

/* The word of s[0..n) (n <= 8) in the input, whose end is end: one load
 * where eight bytes are left. */
static inline uint64_t name_word(const char *s, size_t n, const char *end)
{
	uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (end - s >= 8) {
		memcpy(&w, s, 8);
		if (n < 8)
			w &= (1ULL << (8 * n)) - 1;
		return w | 0x2020202020202020ULL;
	}
#endif
	(void)end;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	return w | 0x2020202020202020ULL;
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

static inline uint8_t tag_flags(int id)
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


/* The tag's name, lower-case, at most 31 bytes (html_tok.c). */
const char *kp_inspect_html_tag_name(tz *t);
/* The value of attribute a of the tag, decoded (html_tok.c; see aval). */
const char *kp_inspect_html_cook(tz *t, rattr *a, size_t *n, bool cstr);

/* The value of the tag's first attribute of id `id`, decoded, its length
 * (up to a NUL, as a C string's) in *n; NULL when it has none.  With
 * cstr, NUL-terminated.  (Most questions are about an attribute the tag
 * does not have: those cost no call.) */
static inline const char *aval(tz *t, int id, size_t *n, bool cstr)
{
	if (!((t->seen >> id) & 1))
		return NULL;
	return kp_inspect_html_cook(t, &t->a[t->first[id]], n, cstr);
}

static inline const char *astr(tz *t, int id)
{
	size_t n;
	return aval(t, id, &n, true);
}

#endif
