/* store — helpers every file of the store uses and that use nothing of
 * it: the text fingerprint, the clock, the crash-test hook.  Below
 * store.c, migrate.c and the rest, so that no two of them call each
 * other. */
#include "store/store_int.h"

#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *kp_store_hash(const char *text, size_t n, char *buf)
{
	/* FNV-1a, 64 bits: a fingerprint to notice edits, not a defence */
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(buf, 17, "%016llx", (unsigned long long)h);
	return buf;
}

const char *kp_store_now(char *buf)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

long kp_store_test_kill_after(void)
{
	const char *v = getenv("KP_TEST_KILL_AFTER");
	return v && *v ? kp_digits(v, v + strlen(v), 1000000000L) : -1;
}

void kp_store_test_kill_point(long after, size_t written)
{
	if (after >= 0 && written == (size_t)after)
		raise(SIGKILL);
}

/* ---- COPY's text format (the bulk paths on PostgreSQL) ---- */

/* One field in COPY's text format: backslash, tab, newline and carriage
 * return escaped. */
void kp_copy_text(kp_buf *b, const char *v)
{
	const char *p = v ? v : "", *run = p;
	for (; *p; p++) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t"
				  : *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : NULL;
		if (!esc)
			continue;
		kp_buf_add(b, run, (size_t)(p - run));
		kp_buf_adds(b, esc);
		run = p + 1;
	}
	kp_buf_add(b, run, (size_t)(p - run));
}

void kp_copy_int(kp_buf *b, int64_t v)
{
	/* digits written backwards, not snprintf: a national load writes
	 * some nine million of these, a scoring's results 200,000 */
	char num[24], *p = num + sizeof(num);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	kp_buf_add(b, p, (size_t)(num + sizeof(num) - p));
}

/* A field of COPY's text format, [f, end), decoded in place and ended
 * with a zero byte (at end or before): backslash escapes (\t \n \r \b
 * \f \v, octal \ooo, \xhh, any other character as itself). */
void kp_copy_unescape(char *f, char *end)
{
	char *w = f;
	for (char *r = f; r < end; r++) {
		int v = 0, k = 0;
		if (*r != '\\' || r + 1 == end) {
			*w++ = *r;
			continue;
		}
		switch (*++r) {
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'v': *w++ = '\v'; break;
		case 'x':
			while (k < 2 && r + 1 < end && isxdigit((unsigned char)r[1])) {
				char h = *++r;
				v = v * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
				k++;
			}
			*w++ = k ? (char)v : 'x';
			break;
		default:
			if (*r >= '0' && *r <= '7') {
				for (; k < 3 && r < end && *r >= '0' && *r <= '7'; k++)
					v = v * 8 + (*r++ - '0');
				r--;
				*w++ = (char)v;
			} else {
				*w++ = *r;
			}
		}
	}
	*w = '\0';
}

/* A field's integer (digits, a leading '-'); NULL ("\N") reads as 0. */
static int64_t copy_int(const char *f, const char *end)
{
	return kp_copy_int_at(&f, end);
}

int kp_copy_row_parse(char *row, int n, const char *types, kp_val *cols,
		      int ncols)
{
	char *f = row, *end = row + n;
	if (n > 0 && end[-1] == '\n')
		end--;
	for (int c = 0; c < ncols; c++) {
		/* the field's end and whether it escapes anything, in one
		 * pass: fields are short, a byte loop beats two memchr calls */
		char *fe = f;
		bool esc = false, null;
		if (f > end)
			return -1;
		while (fe < end && *fe != '\t')
			esc |= *fe++ == '\\';
		if (fe == end && c + 1 < ncols)
			return -1;
		null = fe - f == 2 && f[0] == '\\' && f[1] == 'N';
		if (types[c] == 'i') {
			cols[c] = KV_INT(null ? 0 : copy_int(f, fe));
		} else if (null) {
			cols[c] = KV_TEXT("");
		} else {
			if (esc)
				kp_copy_unescape(f, fe);
			else
				*fe = '\0';
			cols[c] = KV_TEXT(f);
		}
		f = fe + 1;
	}
	return 0;
}
