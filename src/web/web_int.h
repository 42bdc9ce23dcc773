/*
 * The web server's inside, shared by server.c (HTTP), auth.c (passwords,
 * tokens, throttling) and api.c (the handlers).  A kp_web_req is one
 * request as a handler sees it: who asks (the session's account, or
 * none), the validated parameters and the body; the handler answers by
 * setting status and out (a JSON document the server sends and frees)
 * and, for login and the public routes, cookies.
 */
#ifndef KP_WEB_INT_H
#define KP_WEB_INT_H

#include "store/store.h"
#include "web/web.h"

#include <jansson.h>
#include <time.h>

/* Wrong logins from one address, remembered for KP_WEB_LOGIN_LOCK_S. */
#define KP_WEB_ADDR_SLOTS 256
struct kp_web_addr_fails {
	char addr[64];
	int fails;
	time_t first;
};

struct kp_web {
	struct MHD_Daemon *d;
	char *conn;
	size_t body_max;
	long session_s;
	unsigned port;
	kp_store *db;                  /* accounts; the polling thread's */
	unsigned char secret[32];      /* keys the public's vote tokens */
	struct kp_web_addr_fails fails[KP_WEB_ADDR_SLOTS];
};

struct kp_web_req {
	kp_web *w;
	const char *method, *path;
	char addr[64];                 /* the client's address */
	const kp_web_route *route;
	kp_web_params params;
	kp_session *session;           /* NULL: no session (public) */
	int role;                      /* session's role bit, or PUBLIC */
	const char *body;              /* NUL-terminated; "" when none */
	size_t nbody;
	const char *cookie_session, *cookie_voter, *csrf;   /* or NULL */
	/* the answer */
	int status;
	json_t *out;
	char *set_cookie[2];           /* owned header values */
};

/* Answer status with {"error": message}. */
__attribute__((format(printf, 3, 4)))
void kp_web_error(kp_web_req *rq, int status, const char *fmt, ...);
/* Answer with e's message and the status its code maps to. */
void kp_web_fail(kp_web_req *rq, const kp_err *e);
/* Add a Set-Cookie header (value copied). */
void kp_web_cookie(kp_web_req *rq, const char *value);

/* ---- auth.c ---- */

#define KP_WEB_TOKEN_HEX 65            /* 32 bytes as hex, with NUL */
/* A fresh random token (hex). */
void kp_web_token_new(char *out);
/* The hash kept in the store for token (hex). */
void kp_web_token_hash(const char *token, char *out);
/* The vote token of voter in round (keyed by w->secret; hex). */
void kp_web_vote_token(const kp_web *w, const char *voter,
		       const char *round, char *out);
/* Constant-time equality of two NUL-terminated strings. */
bool kp_web_same(const char *a, const char *b);
/* Is the address throttled now?  Count one more wrong login from it. */
bool kp_web_addr_throttled(kp_web *w, const char *addr, time_t now);
void kp_web_addr_failed(kp_web *w, const char *addr, time_t now);

/* The session named by the request's cookie: 0 (rq->session set), 1 none
 * or expired or disabled, -1 error. */
int kp_web_session_load(kp_web_req *rq, kp_err *e);

#endif
