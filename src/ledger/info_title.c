/* ledger/info_title.c — titles of 政务信息 items as the duplicate rule
 * compares them (docs/info-ledger.md): normalised to the code points that
 * matter, and near when their edit distance is within a tenth.  Below
 * both info.c (which normalises each title as it is read) and
 * info_stats.c (which finds duplicates); depends on neither. */
#include "ledger/info_title.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Code points of s that matter for comparing titles: full-width ASCII
 * folded to half-width, ASCII letters to lower case, and every space,
 * punctuation mark, symbol and control character dropped. */
size_t kp_info_title_norm(const char *s, int32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p && n < max) {
		int32_t c;
		unsigned b = *p;
		if (b < 0x80) {
			c = (int32_t)b;
			p++;
		} else if ((b & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			c = (int32_t)(((b & 0x1F) << 6) | (p[1] & 0x3F));
			p += 2;
		} else if ((b & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 &&
			   (p[2] & 0xC0) == 0x80) {
			c = (int32_t)(((b & 0x0F) << 12) | ((p[1] & 0x3F) << 6) |
				      (p[2] & 0x3F));
			p += 3;
		} else if ((b & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 &&
			   (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
			c = (int32_t)(((b & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
				      ((p[2] & 0x3F) << 6) | (p[3] & 0x3F));
			p += 4;
		} else {
			p++;   /* not UTF-8: skip the byte */
			continue;
		}
		if (c >= 0x4E00 && c <= 0x9FFF) {   /* CJK ideographs: keep */
			out[n++] = c;
			continue;
		}
		if (c >= 0xFF01 && c <= 0xFF5E)     /* full width → ASCII */
			c -= 0xFEE0;
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				continue;
		} else {
			switch (utf8proc_category(c)) {
			case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
			case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
			case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
			case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
				break;
			default:
				continue;
			}
		}
		out[n++] = c;
	}
	return n;
}

/* Edit distance (insert, delete, substitute one code point) at most
 * max(na, nb) / 10, by a DP restricted to the band |i - j| <= k. */
bool kp_info_near(const int32_t *a, size_t na, const int32_t *b, size_t nb)
{
	size_t k = (na > nb ? na : nb) / 10, w;
	int row[64], prev[64];
	if (na == nb && !memcmp(a, b, na * sizeof(*a)))
		return true;
	if (!k || (na > nb ? na - nb : nb - na) > k)
		return false;
	if (k > 20)
		k = 20;   /* titles over 200 characters: band of 41 */
	w = 2 * k + 1;
	/* prev[d] holds D[i-1][j] for j = i-1-k+d */
	for (size_t d = 0; d < w; d++) {
		long j = (long)d - (long)k;
		prev[d] = j >= 0 ? (int)j : 1 << 20;
	}
	for (size_t i = 1; i <= na; i++) {
		int best = 1 << 20;
		for (size_t d = 0; d < w; d++) {
			long j = (long)i - (long)k + (long)d;
			int v = 1 << 20;
			if (j < 0 || j > (long)nb) {
				row[d] = v;
				continue;
			}
			if (j == 0)
				v = (int)i;
			else {
				/* D[i-1][j-1] is prev[d], D[i-1][j] is
				 * prev[d+1], D[i][j-1] is row[d-1] */
				int sub = prev[d] + (a[i - 1] != b[j - 1]);
				int del = d + 1 < w ? prev[d + 1] + 1 : 1 << 20;
				int ins = d > 0 ? row[d - 1] + 1 : 1 << 20;
				v = sub < del ? sub : del;
				v = v < ins ? v : ins;
			}
			row[d] = v;
			if (v < best)
				best = v;
		}
		if (best > (int)k)
			return false;
		memcpy(prev, row, w * sizeof(int));
	}
	{
		long d = (long)nb - (long)na + (long)k;
		return d >= 0 && d < (long)w && prev[d] <= (int)k;
	}
}

char *kp_info_title_norm_dup(const char *title)
{
	size_t max = strlen(title) + 1;
	int32_t *cp = kp_xmalloc(max * sizeof(int32_t));
	size_t n = kp_info_title_norm(title, cp, max);
	char *out = kp_xmalloc(4 * n + 1), *w = out;
	for (size_t i = 0; i < n; i++)
		w += utf8proc_encode_char(cp[i], (utf8proc_uint8_t *)w);
	*w = '\0';
	free(cp);
	return out;
}

bool kp_info_titles_near(const char *a, const char *b)
{
	size_t ma = strlen(a) + 1, mb = strlen(b) + 1;
	int32_t *ca = kp_xmalloc(ma * sizeof(int32_t)),
		*cb = kp_xmalloc(mb * sizeof(int32_t));
	bool r = kp_info_near(ca, kp_info_title_norm(a, ca, ma), cb,
			   kp_info_title_norm(b, cb, mb));
	free(ca);
	free(cb);
	return r;
}

