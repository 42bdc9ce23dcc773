/*
 * inspect/content.c — what a page's text must not say: personal data
 * exposed, serious wording errors, common typos.
 *
 * One pass over a page's visible text (kp_inspect_content_scan, called
 * by the extractor for every page):
 *  - runs of digits: an 18-digit resident ID number (its birth date a
 *    real day not after the as-of day, its check digit right, GB
 *    11643), a mobile number (11 digits, 1[3-9]…), a bank card number
 *    (16–19 digits starting 62, or 16 starting 4 or 5, Luhn's check
 *    right) — a run that touches letters or other digits is none of
 *    them;
 *  - at each character, the words of data/inspect/wording.csv (wrong
 *    form → correct form, exactly as written) and data/inspect/typos.csv
 *    (a common confusion → its correct form, unless one of its except
 *    words stands there), found by their first character.
 * A hit keeps the value masked (5104**********1234, 138****5678,
 * 622202******1234): the report must not spread what it found.  Its
 * snippet is the text around it, with every number of 7 digits or more
 * masked but its last 4.  At most
 * KP_INSPECT_HITS_MAX hits a page, each value once.
 *
 * The bundled word tables are compiled in and read once per process
 * (pthread_once); an office's own list (kp_inspect_words_load: --words,
 * the site config's wording line) is read once per inspection and
 * searched beside them, its words first.
 */
#define _GNU_SOURCE /* memmem */
#include "inspect/inspect.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

__asm__(".section .rodata\n"
	".global kp_inspect_wording_csv\n"
	"kp_inspect_wording_csv:\n"
	".incbin \"data/inspect/wording.csv\"\n"
	".byte 0\n"
	".global kp_inspect_typos_csv\n"
	"kp_inspect_typos_csv:\n"
	".incbin \"data/inspect/typos.csv\"\n"
	".byte 0\n"
	".previous\n");
extern const char kp_inspect_wording_csv[];
extern const char kp_inspect_typos_csv[];

typedef struct word {
	char *wrong, *correct, *note;   /* note: wording's, or NULL */
	size_t len;                     /* of wrong */
	char **except;                  /* typos': words that make it right */
	size_t nexcept;
	uint8_t kind;                   /* KP_INSPECT_HIT_WORDING or _TYPO */
} word;

/* the words by the hash of their first character: bucket h holds
 * words[first[h] .. first[h + 1]) (words sorted by it) */
#define BUCKETS 4096
#define WORDS_MAX 60000   /* first[] is 16 bits */
struct kp_inspect_words {
	word *words;
	size_t nwords;
	uint16_t first[BUCKETS + 1];
	/* the quick tests, in L1, before any word is compared: the first
	 * character (its code point: 3-byte UTF-8 is the whole BMP) begins
	 * a word; and a hash of the first 6 bytes (two characters) is one
	 * of a word's */
	uint64_t first_bits[1024];
	uint64_t pair_bits[1024];
	/* an office's table: its first characters and the bundled ones',
	 * so that the scan makes one test a character for both */
	uint64_t any_bits[1024];
	/* the first and second characters of every word (with the bundled
	 * ones', for an office's table): a character outside it neither
	 * begins a word nor is the second of one, so the scan may test
	 * every other character (see kp_inspect_content_scan_words) */
	uint64_t cover_bits[1024];
	bool second_odd;      /* a word's second character is not 3 bytes
			       * long: every character is tested */
};

static kp_inspect_words bundled;   /* data/inspect/wording.csv and typos.csv */
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static unsigned char_hash(const char *s)
{
	unsigned v = (unsigned char)s[0] << 16 | (unsigned char)s[1] << 8 |
		     (unsigned char)s[2];
	return (v * 2654435761u) >> 20 & 4095;
}

/* The 16 bits of a 3-byte UTF-8 character at p (its code point). */
static inline unsigned code_point(const unsigned char *p)
{
	return (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
}

/* 16 bits of a hash of p[0..6). */
static inline unsigned pair_hash(const unsigned char *p)
{
	uint32_t a = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	uint32_t b = (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
	return ((a * 2654435761u) ^ (b * 2246822519u)) >> 16;
}

/* Add the words of a CSV (wrong,correct,note|except) to t.  With e (an
 * office's file), a line whose wrong form is not two characters or more
 * beginning with a Chinese one is an error naming the line; without (the
 * bundled tables), such a line is passed over. */
static int load_table(kp_inspect_words *t, const char *file, const char *data,
		      size_t n, uint8_t kind, kp_err *e)
{
	kp_csv csv;
	kp_err e2;
	int r, rc = 0;
	kp_csv_init(&csv, file, data, n, ',');
	while ((r = kp_csv_next(&csv, e ? e : &e2)) == 1) {
		if (!csv.nfields || !*csv.fields[0] || csv.fields[0][0] == '#' ||
		    !strcmp(csv.fields[0], "wrong"))
			continue;
		if (csv.nfields < 2 || !*csv.fields[1] ||
		    (unsigned char)csv.fields[0][0] < 0xE0 ||
		    strlen(csv.fields[0]) < 6 || t->nwords >= WORDS_MAX) {
			if (!e)
				continue;
			rc = kp_fail_at(e, KP_EINPUT, file, csv.row_line,
					t->nwords >= WORDS_MAX
					? "词表过大（最多 60000 条）"
					: "“%s”：每行应为“错误写法,正确写法[,说明]”，错误写法至少两个字且以汉字开头",
					csv.fields[0]);
			break;
		}
		t->words = kp_xrealloc(t->words, (t->nwords + 1) * sizeof(*t->words));
		word *w = &t->words[t->nwords++];
		memset(w, 0, sizeof(*w));
		w->wrong = kp_xstrdup(csv.fields[0]);
		w->correct = kp_xstrdup(csv.fields[1]);
		w->kind = kind;
		if (csv.nfields > 2 && *csv.fields[2]) {
			if (kind == KP_INSPECT_HIT_WORDING) {
				w->note = kp_xstrdup(csv.fields[2]);
			} else {
				char *s = kp_xstrdup(csv.fields[2]), *save = NULL;
				for (char *p = strtok_r(s, "|", &save); p;
				     p = strtok_r(NULL, "|", &save)) {
					w->except = kp_xrealloc(w->except, (w->nexcept + 1) *
								sizeof(char *));
					w->except[w->nexcept++] = kp_xstrdup(p);
				}
				free(s);
			}
		}
		w->len = strlen(w->wrong);
		const unsigned char *u = (const unsigned char *)w->wrong;
		unsigned cp = code_point(u), ph = pair_hash(u);
		t->first_bits[cp / 64] |= 1ULL << (cp % 64);
		t->pair_bits[ph / 64] |= 1ULL << (ph % 64);
		t->cover_bits[cp / 64] |= 1ULL << (cp % 64);
		if ((u[3] & 0xF0) == 0xE0) {
			unsigned cp2 = code_point(u + 3);
			t->cover_bits[cp2 / 64] |= 1ULL << (cp2 % 64);
		} else {
			t->second_odd = true;
		}
	}
	if (r < 0)
		rc = -1;
	kp_csv_release(&csv);
	return rc;
}

static int cmp_word(const void *a, const void *b)
{
	unsigned x = char_hash(((const word *)a)->wrong);
	unsigned y = char_hash(((const word *)b)->wrong);
	return x < y ? -1 : x > y;
}

/* t's buckets, after its words changed. */
static void index_words(kp_inspect_words *t)
{
	if (t->nwords)
		qsort(t->words, t->nwords, sizeof(*t->words), cmp_word);
	size_t i = 0;
	for (unsigned h = 0; h <= BUCKETS; h++) {
		t->first[h] = (uint16_t)i;
		while (i < t->nwords && char_hash(t->words[i].wrong) == h)
			i++;
	}
}

static void load_words(void)
{
	const char *w = kp_inspect_wording_csv, *ty = kp_inspect_typos_csv;
	load_table(&bundled, "data/inspect/wording.csv", w, strlen(w),
		   KP_INSPECT_HIT_WORDING, NULL);
	load_table(&bundled, "data/inspect/typos.csv", ty, strlen(ty),
		   KP_INSPECT_HIT_TYPO, NULL);
	index_words(&bundled);
}

int kp_inspect_words_load(kp_inspect_words **w, const char *path, kp_err *e)
{
	kp_buf b;
	pthread_once(&words_once, load_words);
	kp_buf_init(&b, 8 << 20);
	if (kp_read_file(path, 8 << 20, &b, e) < 0)
		return -1;
	if (!*w)
		*w = kp_xcalloc(1, sizeof(**w));
	int rc = load_table(*w, path, b.data ? b.data : "", b.len,
			    KP_INSPECT_HIT_WORDING, e);
	index_words(*w);
	for (size_t i = 0; i < 1024; i++) {
		(*w)->any_bits[i] = (*w)->first_bits[i] | bundled.first_bits[i];
		(*w)->cover_bits[i] |= bundled.cover_bits[i];
	}
	kp_buf_release(&b);
	return rc;
}

void kp_inspect_words_free(kp_inspect_words *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nwords; i++) {
		word *w = &t->words[i];
		free(w->wrong);
		free(w->correct);
		free(w->note);
		for (size_t k = 0; k < w->nexcept; k++)
			free(w->except[k]);
		free(w->except);
	}
	free(t->words);
	free(t);
}

size_t kp_inspect_words_count(const kp_inspect_words *t)
{
	return t ? t->nwords : 0;
}

/* ---- numbers ---------------------------------------------------------- */

bool kp_inspect_id_valid(const char *s, kp_inspect_date as_of)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[] = "10X98765432";
	int sum = 0, y, m, d;
	for (int i = 0; i < 17; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		sum += (s[i] - '0') * weight[i];
	}
	if (check[sum % 11] != (s[17] == 'x' ? 'X' : s[17]))
		return false;
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (!kp_date_valid_ymd(y, m, d))   /* a real day, 1900 on */
		return false;
	if (as_of) {   /* not born after the as-of day */
		int ay, am, ad;
		kp_inspect_date_ymd(as_of, &ay, &am, &ad);
		if (y * 10000 + m * 100 + d > ay * 10000 + am * 100 + ad)
			return false;
	}
	return true;
}

bool kp_inspect_luhn(const char *s, size_t n)
{
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int v = s[n - 1 - i] - '0';
		if (v < 0 || v > 9)
			return false;
		if (i % 2) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return n > 1 && sum % 10 == 0;
}

/* What kind of number s[0..n) is (0 none), and its masked form. */
static int number_kind(const char *s, size_t n, kp_inspect_date as_of, char *mask)
{
	size_t keep_head, keep_tail;
	int kind = 0;
	if (n == 18 && kp_inspect_id_valid(s, as_of)) {
		kind = KP_INSPECT_HIT_ID;
		keep_head = 4;
		keep_tail = 4;
	} else if (n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9') {
		kind = KP_INSPECT_HIT_MOBILE;
		keep_head = 3;
		keep_tail = 4;
	} else if (((n >= 16 && n <= 19 && s[0] == '6' && s[1] == '2') ||
		    (n == 16 && (s[0] == '4' || s[0] == '5'))) &&
		   kp_inspect_luhn(s, n)) {
		kind = KP_INSPECT_HIT_CARD;
		keep_head = 6;
		keep_tail = 4;
	} else {
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		mask[i] = i < keep_head || i >= n - keep_tail ? s[i] : '*';
	mask[n] = '\0';
	return kind;
}

/* ---- hits ------------------------------------------------------------- */

static bool seen(const kp_inspect_hit *h, size_t n, size_t from, const char *v)
{
	for (size_t i = from; i < n; i++)
		if (!strcmp(h[i].value, v))
			return true;
	return false;
}

/* Start of the character holding byte p (UTF-8). */
static const char *char_start(const char *text, const char *p)
{
	while (p > text && ((unsigned char)*p & 0xC0) == 0x80)
		p--;
	return p;
}

/* The text around [a, b) of text[0..n), [a, b) written as repl. */
static char *snippet(const char *text, size_t n, const char *a, const char *b,
		     const char *repl)
{
	const char *s = a, *e = b;
	kp_buf out;
	for (int k = 0; k < 15 && s > text; k++)
		s = char_start(text, s - 1);
	for (int k = 0; k < 15 && e < text + n; k++) {
		e++;
		while (e < text + n && ((unsigned char)*e & 0xC0) == 0x80)
			e++;
	}
	kp_buf_init(&out, 0);
	kp_buf_add(&out, s, (size_t)(a - s));
	kp_buf_adds(&out, repl);
	kp_buf_add(&out, b, (size_t)(e - b));
	/* any other long number in it masked too, but its last 4 digits
	 * (a neighbouring ID or card, or a part of one the cut left) */
	for (size_t i = 0; i < out.len;) {
		size_t j = i;
		while (j < out.len && isdigit((unsigned char)out.data[j]))
			j++;
		if (j - i >= 7)
			memset(out.data + i, '*', j - i - 4);
		i = j > i ? j : i + 1;
	}
	return kp_buf_detach(&out);
}

static void add_hit(kp_inspect_hit **h, size_t *n, uint8_t kind, const char *value,
		    const char *fix, char *snip)
{
	*h = kp_xrealloc(*h, (*n + 1) * sizeof(**h));
	(*h)[(*n)++] = (kp_inspect_hit){ kind, kp_xstrdup(value),
					 fix ? kp_xstrdup(fix) : NULL, snip };
}

/* A typo's except word stands at p (the typo's place) in text. */
static bool excepted(const word *w, const char *text, size_t n, const char *p)
{
	for (size_t k = 0; k < w->nexcept; k++) {
		const char *ex = w->except[k];
		const char *in = strstr(ex, w->wrong);
		if (!in)
			continue;
		size_t before = (size_t)(in - ex), el = strlen(ex);
		if ((size_t)(p - text) >= before && (size_t)(p - text) - before + el <= n &&
		    !memcmp(p - before, ex, el))
			return true;
	}
	return false;
}

static bool word_at(const kp_inspect_words *t, const char *text, size_t n,
		    const char *p, kp_inspect_hit **h, size_t *nh, size_t from)
{
	unsigned hh = char_hash(p);
	for (size_t i = t->first[hh]; i < t->first[hh + 1]; i++) {
		const word *w = &t->words[i];
		size_t wl = w->len;
		if ((size_t)(text + n - p) < wl || memcmp(p, w->wrong, 3) ||
		    memcmp(p, w->wrong, wl) ||
		    excepted(w, text, n, p) || seen(*h, *nh, from, w->wrong))
			continue;
		kp_buf fix;
		kp_buf_init(&fix, 0);
		kp_buf_adds(&fix, w->correct);
		if (w->note)
			kp_buf_addf(&fix, "（%s）", w->note);
		add_hit(h, nh, w->kind, w->wrong, fix.data,
			snippet(text, n, p, p + wl, w->wrong));
		kp_buf_release(&fix);
		return true;
	}
	return false;
}

/* A run of digits at s (text[0..n), e its end): a hit when it is a
 * number of one of the kinds.  Returns where the run ends. */
static const char *number_at(const char *text, size_t n, const char *s,
			     kp_inspect_date as_of, kp_inspect_hit **h, size_t *nh,
			     size_t from)
{
	const char *p = s, *e = text + n;
	while (p < e && (unsigned char)(*p - '0') < 10)
		p++;
	if (p < e && (*p == 'X' || *p == 'x') && p - s == 17)
		p++;
	size_t len = (size_t)(p - s);
	char mask[24];
	if (len < 11 || len > 19)
		return p;
	/* a number on its own: no letter, '_' or '-' joined on */
	bool alone = (s == text || !(isalnum((unsigned char)s[-1]) || s[-1] == '_' ||
				     s[-1] == '-' || s[-1] == '/' || s[-1] == '.')) &&
		     (p == e || !(isalnum((unsigned char)*p) || *p == '_' || *p == '/' ||
				  (*p == '-' && p + 1 < e && isdigit((unsigned char)p[1]))));
	int kind = alone ? number_kind(s, len, as_of, mask) : 0;
	if (kind && !seen(*h, *nh, from, mask))
		add_hit(h, nh, (uint8_t)kind, mask, NULL, snippet(text, n, s, p, mask));
	return p;
}

/* The first two characters at p (6 bytes readable) may begin one of t's
 * words: the hash of their 6 bytes is one of theirs. */
static inline bool pair_in(const kp_inspect_words *t, const unsigned char *p)
{
	unsigned ph = pair_hash(p);
	return (t->pair_bits[ph / 64] >> (ph % 64)) & 1;
}

/* The words of office (may be NULL) and then the bundled ones at p (a
 * 3-byte character, 6 bytes readable) whose first two characters may
 * be there: a hit added, true. */
static bool words_at(const kp_inspect_words *office, const char *text, size_t n,
		     const unsigned char *p, kp_inspect_hit **h, size_t *nh, size_t from)
{
	unsigned cp = code_point(p);
	bool o = office && ((office->first_bits[cp / 64] >> (cp % 64)) & 1) &&
		 pair_in(office, p);
	bool b = ((bundled.first_bits[cp / 64] >> (cp % 64)) & 1) && pair_in(&bundled, p);
	/* the office's own words first: its correct form wins where both
	 * know a wrong form */
	return (o && word_at(office, text, n, (const char *)p, h, nh, from)) ||
	       (b && word_at(&bundled, text, n, (const char *)p, h, nh, from));
}

static inline bool bit_at(const uint64_t *bits, const unsigned char *p)
{
	return (bits[(p[0] & 0x0Fu) << 6 | (p[1] & 0x3Fu)] >> (p[2] & 0x3Fu)) & 1;
}

void kp_inspect_content_scan_words(const kp_inspect_words *office, const char *text,
				   size_t n, kp_inspect_date as_of, kp_inspect_hit **h,
				   size_t *nh)
{
	const unsigned char *p = (const unsigned char *)text;
	const unsigned char *e = p + n, *e3 = n >= 6 ? e - 5 : p;
	const unsigned char *skipped = NULL;   /* a character not tested */
	size_t from = *nh;
	pthread_once(&words_once, load_words);
	if (office && !office->nwords)
		office = NULL;
	const kp_inspect_words *t = office ? office : &bundled;
	const uint64_t *fb = office ? office->any_bits : bundled.first_bits;
	/* skipping is allowed up to e9: the character after a skipped one
	 * is then tested in this loop */
	const unsigned char *e9 = !t->second_odd && !bundled.second_odd && n >= 12
					  ? e3 - 6 : p;
	/* The hot loop.  Every word is two characters or more, and a
	 * 3-byte character (all of CJK) outside cover_bits neither begins
	 * a word nor is the second character of one: so in a run of such
	 * characters every other one is tested (one bit each), and when the
	 * tested one is in cover_bits, a word is looked for at the
	 * character skipped before it and then at it.  A character is
	 * skipped only when the one after it is a 3-byte character this
	 * loop will test. */
	while (p < e3) {
		unsigned c = *p;
		if ((c & 0xF0) == 0xE0) {
			if (!bit_at(t->cover_bits, p)) {
				if (p < e9 && !(((p[3] & 0xF0u) ^ 0xE0u) | ((p[6] & 0xF0u) ^ 0xE0u))) {
					skipped = p + 3;
					p += 6;
				} else {
					skipped = NULL;
					p += 3;
				}
				continue;
			}
			if (*nh - from >= KP_INSPECT_HITS_MAX)
				return;
			const unsigned char *s = skipped;
			skipped = NULL;
			if (s && s + 3 == p && bit_at(fb, s) &&
			    words_at(office, text, n, s, h, nh, from)) {
				p = s + strlen((*h)[*nh - 1].value);
				continue;
			}
			if (bit_at(fb, p) && words_at(office, text, n, p, h, nh, from)) {
				p += strlen((*h)[*nh - 1].value);
				continue;
			}
			p += 3;
		} else if (c - '0' < 10u) {
			skipped = NULL;
			if (*nh - from >= KP_INSPECT_HITS_MAX)
				return;
			p = (const unsigned char *)number_at(text, n, (const char *)p, as_of,
							     h, nh, from);
		} else {
			skipped = NULL;
			p++;
		}
	}
	/* the last bytes: numbers only (no word fits) */
	while (p < e && *nh - from < KP_INSPECT_HITS_MAX) {
		if ((unsigned)(*p - '0') < 10u)
			p = (const unsigned char *)number_at(text, n, (const char *)p, as_of,
							     h, nh, from);
		else
			p++;
	}
}

void kp_inspect_content_scan(const char *text, size_t n, kp_inspect_date as_of,
			     kp_inspect_hit **h, size_t *nh)
{
	kp_inspect_content_scan_words(NULL, text, n, as_of, h, nh);
}

void kp_inspect_hits_free(kp_inspect_hit *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].value);
		free(h[i].fix);
		free(h[i].snippet);
	}
	free(h);
}

const char *kp_inspect_hit_label(int kind)
{
	switch (kind) {
	case KP_INSPECT_HIT_ID: return "公民身份号码";
	case KP_INSPECT_HIT_MOBILE: return "手机号码";
	case KP_INSPECT_HIT_CARD: return "银行卡号";
	case KP_INSPECT_HIT_WORDING: return "严重表述错误";
	case KP_INSPECT_HIT_TYPO: return "疑似错别字";
	default: return "";
	}
}
