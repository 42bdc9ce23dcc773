/* base/text.c — UTF-8, GB18030, trimming, lists, digits; contracts in base.h. */
#include "base/base.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- text ------------------------------------------------------------ */

/* The length of the character at p[0..n) (n > 0, p[0] ≥ 0x80) when it is
 * valid UTF-8 — not over-long, not a surrogate, not above U+10FFFF —
 * else 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t k;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		k = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n <= k)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((p[j] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[j] & 0x3F);
	}
	if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k + 1;
}

#ifdef __SSE2__
/* SSE2 (the x86-64 baseline), sixteen bytes at a time, each byte checked
 * against the one and the two before it, read by overlapping loads: a
 * byte must be a continuation byte (80..BF) exactly when the byte before
 * it leads a character (C0..FF) or the one two before leads a character
 * of three bytes or more (E0..FF).  Bytes whose check needs the next
 * byte's value or that start rarer forms — C0 C1 (always over-long), E0
 * (over-long below A0), ED (surrogates from A0), F0..FF — send their
 * block to the byte-by-byte loop, which also takes the first two bytes
 * and the last ones, and finds where an invalid block goes wrong. */

/* Non-zero bytes where p[0..16) breaks those rules (p[-2] readable). */
static inline __m128i utf8_bad16(const unsigned char *p)
{
	const __m128i v = _mm_loadu_si128((const void *)p);
	const __m128i v1 = _mm_loadu_si128((const void *)(p - 1));
	const __m128i v2 = _mm_loadu_si128((const void *)(p - 2));
	/* 80..BF are the bytes below -64 signed; the saturating
	 * differences are 1..64 after C0..FF, 1..32 after E0..FF */
	__m128i cont = _mm_cmplt_epi8(v, _mm_set1_epi8(-64));
	__m128i due = _mm_cmpgt_epi8(
		_mm_or_si128(_mm_subs_epu8(v1, _mm_set1_epi8((char)0xBF)),
			     _mm_subs_epu8(v2, _mm_set1_epi8((char)0xDF))),
		_mm_setzero_si128());
	__m128i rare = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))),
		_mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
					    _mm_set1_epi8((char)0xC0)),
			     _mm_subs_epu8(v, _mm_set1_epi8((char)0xEF))));
	return _mm_or_si128(_mm_xor_si128(cont, due), rare);
}

static inline bool utf8_ok16(const unsigned char *p)
{
	return _mm_movemask_epi8(_mm_cmpeq_epi8(utf8_bad16(p),
						_mm_setzero_si128())) == 0xFFFF;
}

size_t kp_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, stop = n < 2 ? n : 2;
	for (;;) {
		/* byte by byte from a character's start to stop */
		while (i < stop) {
			size_t k;
			if (p[i] < 0x80) {
				i++;
				continue;
			}
			if (!(k = utf8_seq(p + i, n - i)))
				return i;
			i += k;
		}
		if (i >= n)
			return n;
		/* 32 bytes a turn; ASCII ones (no character left open
		 * before them) without the full check */
		while (n - i >= 32) {
			__m128i a = _mm_loadu_si128((const void *)(p + i));
			__m128i b = _mm_loadu_si128((const void *)(p + i + 16));
			if (!_mm_movemask_epi8(_mm_or_si128(a, b)) &&
			    p[i - 1] < 0xC0 && p[i - 2] < 0xE0) {
				i += 32;
				continue;
			}
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(
				    _mm_or_si128(utf8_bad16(p + i),
						 utf8_bad16(p + i + 16)),
				    _mm_setzero_si128())) != 0xFFFF)
				break;
			i += 32;
		}
		if (n - i >= 16 && utf8_ok16(p + i))
			i += 16;
		/* the next 16 bytes (or the last ones) byte by byte, from
		 * the start of the character open at i, if any */
		stop = n - i >= 16 ? i + 16 : n;
		{
			size_t k = i - 1;   /* i ≥ 2; p[0] starts a character */
			while ((p[k] & 0xC0) == 0x80)
				k--;
			if (p[k] >= 0xC0)
				i = k;
		}
	}
}
#else
size_t kp_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c;
		size_t k;
		/* ASCII 8 bytes at a time; the first byte that is not, found
		 * from the word's high bits instead of byte by byte */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			w &= 0x8080808080808080ULL;
			if (w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				i += (size_t)__builtin_ctzll(w) >> 3;
#else
				while (p[i] < 0x80)
					i++;
#endif
				break;
			}
			i += 8;
		}
		while (i < n && p[i] < 0x80)
			i++;
		/* runs of three-byte characters without over-long forms or
		 * surrogates (E1..EC, EE, EF: CJK and most of the BMP); two
		 * at a time from one word: leads 1110xxxx whose low bits
		 * are in 0xDFFE, four continuation bytes 10xxxxxx */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if ((w & 0xC0C0F0C0C0F0ULL) != 0x8080E08080E0ULL ||
			    !((0xDFFEu >> (w & 15)) & (0xDFFEu >> ((w >> 24) & 15)) & 1))
				break;
			i += 6;
		}
#endif
		while (n - i > 2) {
			c = p[i];
			if (c < 0xE1 || c > 0xEF || c == 0xED ||
			    (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
				break;
			i += 3;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80)
			continue;
		if (!(k = utf8_seq(p + i, n - i)))
			return i;
		i += k;
	}
	return n;
}
#endif

int kp_gb18030_to_utf8(const char *p, size_t n, kp_buf *out, kp_err *e)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *in = (char *)p;
	size_t inleft = n;
	int rc = -1;
	if (cd == (iconv_t)-1)
		return kp_fail(e, KP_EINTERNAL,
			       "系统不支持 GB18030 编码转换（iconv）");
	while (inleft) {
		char chunk[8192];
		char *o = chunk;
		size_t oleft = sizeof(chunk);
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		if (kp_buf_add(out, chunk, sizeof(chunk) - oleft) < 0) {
			kp_fail(e, KP_ETOOBIG, "转换后的文本过大");
			goto out;
		}
		if (r == (size_t)-1 && errno != E2BIG) {
			kp_fail(e, KP_EINPUT,
				"第 %zu 字节处的内容既不是 UTF-8 也不是 GBK/GB18030 编码",
				(size_t)(in - p) + 1);
			goto out;
		}
	}
	if (!out->data)
		kp_buf_add(out, "", 0);
	rc = 0;
out:
	iconv_close(cd);
	return rc;
}

/* Length of a white-space character at p (0 if none): ASCII blanks,
 * U+3000 and U+00A0. */
static size_t space_len(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == '\v' || *p == '\f')
		return 1;
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	if (p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	return 0;
}

const char *kp_trim_span(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	size_t k;
	while ((k = space_len(p)) != 0)
		p += k;
	end = (const unsigned char *)s + n;
	while (end > p) {
		if (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
		    end[-1] == '\r' || end[-1] == '\v' || end[-1] == '\f')
			end--;
		else if (end - p >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 &&
			 end[-1] == 0x80)
			end -= 3;
		else if (end - p >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0)
			end -= 2;
		else
			break;
	}
	*len = end > p ? (size_t)(end - p) : 0;
	return (const char *)p;
}

char *kp_trim(char *s)
{
	size_t n;
	const char *p = kp_trim_span(s, strlen(s), &n);
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

char *kp_squeeze(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	while (*r) {
		size_t k = space_len(r);
		if (k)
			r += k;
		else
			*w++ = *r++;
	}
	*w = '\0';
	return s;
}

size_t kp_utf8_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0) {
			p++;
			w++;
			continue;
		}
		p += k;
		w += (size_t)utf8proc_charwidth(cp);
	}
	return w;
}

char *kp_list_next(char **cursor)
{
	while (*cursor && **cursor) {
		char *s = *cursor, *end = strstr(s, "、"), *comma = strchr(s, ',');
		size_t skip = strlen("、");
		if (comma && (!end || comma < end)) {
			end = comma;
			skip = 1;
		}
		if (end) {
			*end = '\0';
			*cursor = end + skip;
		} else {
			*cursor = NULL;
		}
		kp_trim(s);
		if (*s)
			return s;
	}
	return NULL;
}

int kp_list_each(const char *list, int (*fn)(void *, const char *),
		 void *arg)
{
	char *copy = kp_xstrdup(list), *cur = copy, *item;
	int rc = 0;
	while (!rc && (item = kp_list_next(&cur)))
		rc = fn(arg, item);
	free(copy);
	return rc;
}

long kp_digits(const char *p, const char *end, long max)
{
	long v = 0;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v > (max - (*p - '0')) / 10 ? max : v * 10 + (*p - '0');
	return v;
}
