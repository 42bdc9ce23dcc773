/*
 * inspect/html_dates.c — the dates a page says, as a person reads them.
 *
 * Two things, after the extractor's pass over the page (html.c):
 *
 * The page's own date: what stands after a label (发布时间：…), found in
 * one pass over the visible text together with "共 N 页"
 * (kp_inspect_html_scan_text).
 *
 * Its list items' dates (kp_inspect_html_resolve_items).  A TRS or
 * Hanweb list often prints a date without its year ("[03-21]"); the
 * year is read from everything the page offers, in this order:
 *  1. a full date in the item itself (the extractor took it: "item");
 *  2. the year in the item's article URL, "./202603/t20260321_110216.html"
 *     or "/201901/" ("url"), the month and day still the item's;
 *  3. the list's order: lists are newest first, so a year-less date
 *     below another belongs to the same year or an earlier one — the
 *     year of the item above, or the year before when its month and day
 *     come after the one above ("order").  Used only when the list's
 *     dated items are in that order and the year-less ones turn the
 *     year once at most, or not more often than once in three items
 *     (else the list is sorted some other way);
 *  4. only when nothing else decides (the first items of a list, before
 *     any evidence), the latest such day not after the as-of day
 *     ("as_of").
 * Each item records which decided (date_source), and the column's JSON
 * says what decided its newest date.
 *
 * Items of under 8 characters without a date are kept only in a list of
 * ten or more of them (a directory of departments); elsewhere they are
 * the short links beside a list, as before.
 */
#include "inspect/html_int.h"

#include <stdlib.h>
#include <string.h>

/* Whether 共 (E5 85 B1), 时 (E6 97 B6) or 日 (E6 97 A5) starts at s[i]. */
static inline unsigned candidate(const char *s, size_t i)
{
	const unsigned char *u = (const unsigned char *)s + i;
	return (u[0] == 0xE5 && u[1] == 0x85 && u[2] == 0xB1) ||
	       (u[0] == 0xE6 && u[1] == 0x97 && (u[2] == 0xB6 || u[2] == 0xA5));
}

/* Where in s[i..i + 32) one of them may start, bit k for s[i + k], by
 * their last two bytes (the first is checked for each: few other
 * characters end so), two blocks to a branch (i + 34 <= n). */
#ifdef __SSE2__
#define CAND_STEP 32
static inline unsigned candidates16(const char *p)
{
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 2));
	__m128i gong = _mm_and_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8((char)0x85)),
				     _mm_cmpeq_epi8(c, _mm_set1_epi8((char)0xB1)));
	__m128i ri = _mm_and_si128(
		_mm_cmpeq_epi8(b, _mm_set1_epi8((char)0x97)),
		_mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8((char)0xB6)),
			     _mm_cmpeq_epi8(c, _mm_set1_epi8((char)0xA5))));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(gong, ri));
}

static inline unsigned candidates(const char *s, size_t i)
{
	return candidates16(s + i) | candidates16(s + i + 16) << 16;
}
#else
#define CAND_STEP 1
#define candidates candidate
#endif

/* What the text s[0..n) says besides itself, in one pass: the pages of a
 * list ("共 12 页") into d->pages, and the newest date after a label
 * (发布时间, 更新时间, 公告时间, 留言时间, 发布日期, 成文日期 or
 * 日期：), found by their
 * common part, 时间 or 日期, and what stands before or after it. */
void kp_inspect_html_scan_text(kp_inspect_doc *d, const char *s, size_t n,
			       kp_inspect_date as_of)
{
	const char *e = s + n;
	kp_inspect_date best = 0;
	size_t i = 0;
	while (i < n) {
		unsigned m;
		size_t step;
		if (i + CAND_STEP + 2 <= n) {
			m = candidates(s, i);
			step = CAND_STEP;
		} else {
			m = i + 2 < n && candidate(s, i);
			step = 1;
		}
		while (m) {
			const char *p = s + i + (size_t)__builtin_ctz(m);
			m &= m - 1;
			if (!candidate(p, 0))
				continue;
			if (e - p >= 3 && !memcmp(p, "共", 3)) {
				const char *q = p + 3;
				int v;
				while (q < e && *q == ' ')
					q++;
				if (q < e && isdigit((unsigned char)*q)) {
					v = (int)kp_digits(q, e, 100000);
					while (q < e && isdigit((unsigned char)*q))
						q++;
					while (q < e && *q == ' ')
						q++;
					if (e - q >= 3 && !memcmp(q, "页", 3) &&
					    v > d->pages && v < 100000)
						d->pages = v;
				}
				continue;
			}
			int k = e - p >= 6 && !memcmp(p, "时间", 6)   ? 0
				: e - p >= 6 && !memcmp(p, "日期", 6) ? 1
								       : -1;
			const char *at[2];
			int nat = 0;
			if (k < 0)
				continue;
			if (p - s >= 6 && (!memcmp(p - 6, "发布", 6) ||
					   !memcmp(p - 6, k ? "成文" : "更新", 6) ||
					   (!k && (!memcmp(p - 6, "公告", 6) ||
						   !memcmp(p - 6, "留言", 6)))))
				at[nat++] = p - 6;
			if (k && e - p >= 9 && !memcmp(p + 6, "：", 3))
				at[nat++] = p;
			for (int j = 0; j < nat; j++) {
				size_t l = (size_t)(e - at[j]);
				kp_inspect_date dd = kp_inspect_date_find(at[j], l < 80 ? l : 80,
							    as_of);
				if (dd > best)
					best = dd;
			}
		}
		i += step;
	}
	d->labelled_date = best;
}


/* The date of a year-less month and day md in year y; 0 when none. */
static kp_inspect_date md_in(int y, int md)
{
	return kp_inspect_date_from_ymd(y, md / 100, md % 100);
}

static int year_of(kp_inspect_date d)
{
	int y, m, dd;
	kp_inspect_date_ymd(d, &y, &m, &dd);
	return y;
}

/* The latest day of month and day md not after as_of (+1, as the date
 * finder allows). */
static kp_inspect_date md_as_of(int md, kp_inspect_date as_of)
{
	int y = year_of(as_of);
	kp_inspect_date r = md_in(y, md);
	if (!r || r > as_of + 1)
		r = md_in(y - 1, md);
	if (!r)   /* 02-29 */
		for (int k = 2; k <= 8 && !r; k++)
			r = md_in(y - k, md);
	return r;
}

/* Step 2: the year from the article URL. */
static void by_url(kp_inspect_item *it, kp_inspect_date as_of)
{
	int y;
	kp_inspect_date r;
	if (!it->href)
		return;
	kp_inspect_url_date(it->href, strlen(it->href), &y);
	if (!y || !(r = md_in(y, it->md)) || r > as_of + 1)
		return;
	it->date = r;
	it->date_source = KP_INSPECT_DS_URL;
}

/* Step 3 and 4 over the items [a, b) of one list. */
static void by_order(kp_inspect_item *it, size_t a, size_t b,
		     kp_inspect_date as_of)
{
	kp_inspect_date prev = 0;
	size_t pending = 0, turns = 0;
	bool ordered = true;
	/* the list is newest first: its dated items say so, and its
	 * year-less ones turn the year seldom */
	for (size_t i = a; i < b; i++) {
		if (it[i].date && it[i].date_source != KP_INSPECT_DS_NONE) {
			if (prev && it[i].date > prev)
				ordered = false;
			prev = it[i].date;
		}
	}
	int last_md = 0;
	for (size_t i = a; i < b; i++) {
		if (it[i].md && !it[i].date) {
			if (last_md && it[i].md > last_md)
				turns++;
			pending++;
			last_md = it[i].md;
		} else if (it[i].date) {
			int y, m, d;
			kp_inspect_date_ymd(it[i].date, &y, &m, &d);
			last_md = m * 100 + d;
		}
	}
	if (turns >= 2 && turns * 3 > pending)
		ordered = false;
	prev = 0;
	for (size_t i = a; i < b; i++) {
		kp_inspect_item *x = &it[i];
		if (x->md && !x->date) {
			kp_inspect_date r = 0;
			if (ordered && prev) {
				int y = year_of(prev);
				r = md_in(y, x->md);
				if (!r || r > prev)
					r = md_in(y - 1, x->md);
			}
			if (r) {
				x->date = r;
				x->date_source = KP_INSPECT_DS_ORDER;
			} else {
				x->date = md_as_of(x->md, as_of);
				x->date_source = KP_INSPECT_DS_AS_OF;
			}
		}
		if (x->date)
			prev = x->date;
	}
}

static void drop_item(kp_inspect_item *it)
{
	free(it->text);
	free(it->href);
	it->text = it->href = NULL;
}

void kp_inspect_html_resolve_items(kp_inspect_doc *d, kp_inspect_date as_of)
{
	kp_inspect_item *it = d->items;
	size_t n = d->nitems, a = 0, out = 0;
	for (size_t i = 0; i < n; i++)
		if (it[i].md && !it[i].date)
			by_url(&it[i], as_of);
	while (a < n) {
		size_t b = a + 1, nshort = it[a].short_text;
		while (b < n && it[b].list == it[a].list)
			nshort += it[b++].short_text;
		if (as_of)
			by_order(it, a, b, as_of);
		for (size_t i = a; i < b; i++) {
			if (it[i].short_text && nshort < 10)
				drop_item(&it[i]);
			else
				it[out++] = it[i];
		}
		a = b;
	}
	d->nitems = out;
}
