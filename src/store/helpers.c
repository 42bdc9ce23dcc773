/* store — helpers every file of the store uses and that use nothing of
 * it: the text fingerprint, the clock, the crash-test hook.  Below
 * store.c, migrate.c and the rest, so that no two of them call each
 * other. */
#include "store/store_int.h"

#include <signal.h>
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
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", (long long)v);
	kp_buf_add(b, num, (size_t)n);
}
