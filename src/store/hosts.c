/* store — politeness across workers: each host's next allowed time
 * (table of migration 16; the interface is in store.h).
 *
 * A take is one statement, an upsert that moves the host's next allowed
 * time to now + gap only when now has reached it, and returns the row as
 * it is afterwards with the taker's token: the caller took the host when
 * the token is its own.  On PostgreSQL the upsert locks the host's row
 * (a concurrent taker waits for the commit and then sees the new time);
 * on SQLite it runs under the database's one writer lock.  Either way
 * two takers never both get the same moment. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* A token no other take, in this process or any other, will use: a
 * random 64-bit number drawn once per process and a counter. */
static void take_token(char *buf, size_t n)
{
	static uint64_t rnd;
	static uint64_t count;
	if (!rnd && getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		rnd = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	snprintf(buf, n, "%016llx-%llu", (unsigned long long)rnd,
		 (unsigned long long)++count);
}

struct taken {
	const char *token;
	int64_t next;
	bool mine;
};

static int taken_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	struct taken *t = ctx;
	(void)e;
	if (n < 2)
		return 0;
	t->next = c[0].i;
	t->mine = !strcmp(kp_val_str(&c[1]), t->token);
	return 0;
}

int kp_store_host_take(kp_store *s, const char *key, int64_t gap_ms,
		       int64_t now_ms, int64_t *wait_ms, kp_err *e)
{
	char token[48];
	struct taken t = { token, 0, false };
	kp_val p[5];
	*wait_ms = 0;
	if (gap_ms <= 0)
		return 0;
	take_token(token, sizeof(token));
	p[0] = KV_TEXT(key);
	p[1] = KV_INT(now_ms + gap_ms);
	p[2] = KV_TEXT(token);
	p[3] = KV_INT(now_ms);
	p[4] = KV_INT(now_ms);
	if (s->ops->run(s, "INSERT INTO hosts (host, next_ms, taker)"
			   " VALUES (?, ?, ?) ON CONFLICT (host) DO UPDATE SET"
			   " next_ms = CASE WHEN hosts.next_ms <= ?"
			   " THEN excluded.next_ms ELSE hosts.next_ms END,"
			   " taker = CASE WHEN hosts.next_ms <= ?"
			   " THEN excluded.taker ELSE hosts.taker END"
			   " RETURNING next_ms, taker",
			p, 5, taken_row, &t, e) < 0)
		return -1;
	if (!t.mine)
		*wait_ms = t.next > now_ms ? t.next - now_ms : 1;
	return 0;
}
