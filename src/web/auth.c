/* web — passwords (Argon2id), session and CSRF tokens (random, kept
 * hashed), vote tokens, and the per-address login throttle; libsodium. */
#include "web/web_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int sodium_ready(kp_err *e)
{
	if (sodium_init() < 0)
		return kp_fail(e, KP_EINTERNAL, "libsodium 无法初始化");
	return 0;
}

int kp_web_password_check(const char *pw, kp_err *e)
{
	size_t n = strlen(pw);
	if (n < 8)
		return kp_fail(e, KP_EINPUT, "密码至少 8 个字符");
	if (n > 128)
		return kp_fail(e, KP_EINPUT, "密码最多 128 个字节");
	return 0;
}

int kp_web_password_hash(const char *pw, char *out, kp_err *e)
{
	_Static_assert(crypto_pwhash_STRBYTES <= KP_WEB_HASH_MAX, "hash size");
	if (sodium_ready(e) < 0)
		return -1;
	if (crypto_pwhash_str(out, pw, strlen(pw),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return kp_fail(e, KP_ENOMEM, "计算密码散列时内存不足");
	return 0;
}

bool kp_web_password_verify(const char *hash, const char *pw)
{
	if (sodium_init() < 0 || !hash || !*hash)
		return false;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void kp_web_password_generate(char *out)
{
	static const char set[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	if (sodium_init() < 0)
		abort();
	for (int i = 0; i < 16; i++)
		out[i] = set[randombytes_uniform(sizeof(set) - 1)];
	out[16] = '\0';
}

void kp_web_token_new(char *out)
{
	unsigned char b[32];
	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, KP_WEB_TOKEN_HEX, b, sizeof(b));
}

void kp_web_token_hash(const char *token, char *out)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
			   strlen(token), NULL, 0);
	sodium_bin2hex(out, KP_WEB_TOKEN_HEX, h, sizeof(h));
}

void kp_web_vote_token(const kp_web *w, const char *voter, const char *round,
		       char *out)
{
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, w->secret, sizeof(w->secret), sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)voter,
				  strlen(voter) + 1);
	crypto_generichash_update(&st, (const unsigned char *)round,
				  strlen(round));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, KP_WEB_TOKEN_HEX, h, sizeof(h));
}

bool kp_web_same(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

/* ---- the per-address throttle -------------------------------------------
 * A small table of addresses with wrong logins; a slot whose window has
 * passed is free again; when all are taken the oldest window goes. */

static struct kp_web_addr_fails *slot(kp_web *w, const char *addr,
				      time_t now, bool make)
{
	struct kp_web_addr_fails *pick = NULL;   /* a free slot, else the oldest */
	for (size_t i = 0; i < KP_WEB_ADDR_SLOTS; i++) {
		struct kp_web_addr_fails *f = &w->fails[i];
		if (f->fails && now - f->first >= KP_WEB_LOGIN_LOCK_S)
			memset(f, 0, sizeof(*f));
		if (f->fails && !strcmp(f->addr, addr))
			return f;
		if (!f->fails) {
			if (!pick || pick->fails)
				pick = f;
		} else if (!pick || (pick->fails && f->first < pick->first)) {
			pick = f;
		}
	}
	if (!make)
		return NULL;
	memset(pick, 0, sizeof(*pick));
	snprintf(pick->addr, sizeof(pick->addr), "%s", addr);
	pick->first = now;
	return pick;
}

bool kp_web_addr_throttled(kp_web *w, const char *addr, time_t now)
{
	struct kp_web_addr_fails *f;
	bool r;
	pthread_mutex_lock(&w->lock);
	f = slot(w, addr, now, false);
	r = f && f->fails >= KP_WEB_ADDR_FAILS;
	pthread_mutex_unlock(&w->lock);
	return r;
}

void kp_web_addr_failed(kp_web *w, const char *addr, time_t now)
{
	pthread_mutex_lock(&w->lock);
	slot(w, addr, now, true)->fails++;
	pthread_mutex_unlock(&w->lock);
}

/* ---- sessions ------------------------------------------------------------ */

int kp_web_session_load(kp_web_req *rq, kp_err *e)
{
	char h[KP_WEB_TOKEN_HEX];
	kp_session *x;
	int r;
	if (!rq->cookie_session || strlen(rq->cookie_session) != KP_WEB_TOKEN_HEX - 1)
		return 1;
	kp_web_token_hash(rq->cookie_session, h);
	x = kp_xcalloc(1, sizeof(*x));
	r = kp_store_session_get(rq->db, h, x, e);
	if (r == 0 && (x->expires <= time(NULL) || x->user.disabled))
		r = 1;
	if (r != 0) {
		kp_session_release(x);
		free(x);
		return r;
	}
	rq->session = x;
	rq->role = kp_web_role_parse(x->user.role);
	return 0;
}
