/*
 * web — kaoping's HTTP server: a JSON API over what the CLI does, with
 * accounts, roles and sessions (`kaoping serve`; the contract, with an
 * example of each route, is docs/api.md).
 *
 * Layers.  The server (server.c) speaks HTTP through libmicrohttpd: it
 * reads a request (its body capped at kp_web_config.body_max), finds the
 * route, checks the session, the role and the CSRF token, calls the
 * route's handler and writes one log line to stderr.  The handlers
 * (api.c) call the application layer (src/round) and its JSON renderers
 * exactly as the CLI's commands do; none holds scoring or SQL of its own.
 * Accounts, sessions, publication and votes are the store's (users.c
 * there); passwords and tokens are hashed here (auth.c, libsodium).
 *
 * Uploads.  A multipart POST to an upload route (the evidence route)
 * is not held in memory: the gate (session, role, CSRF) runs on its
 * headers, then its file part streams into a temporary file in the data
 * directory (kp_web_config.data), hashed (SHA-256) and capped
 * (evidence_max) as it comes; a refused upload writes nothing.  Its
 * handler checks the content and renames the file into place.
 *
 * Routes are one table (kp_web_routes, api.c): method, pattern, the roles
 * that may call it, whether it changes state (and so needs the CSRF
 * token), the handler, and a spec of each {parameter} in the pattern.
 * kp_web_route_find matches a path against the table and validates the
 * parameters, so a handler sees only parameters that passed their spec.
 *
 *	status  when
 *	401     a staff route without a live session
 *	403     a role the route does not admit; a state change without
 *	        the session's X-CSRF-Token
 *	404     no such route, round or unit; another unit's data; an
 *	        unpublished round on a public route
 *	405     the path exists, the method does not
 *	410     an evidence file gone from the data directory
 *	413     a body (or an uploaded file) over the cap
 *	429     login throttled (account or address); votes from one
 *	        address over the limit
 *
 * Roles.  管理员 admin (everything, publication), 考核人员 assessor
 * (rankings, every sheet, assessor facts), 单位用户 unit (its own unit's
 * sheet and self facts only), and the public (published rankings and the
 * vote).  Roles are bits so that a route admits several.
 *
 * Threads.  A pool of libmicrohttpd threads (kp_web_config.threads,
 * default one per core) runs the handlers, several at once.  Each thread
 * has its own store handle for accounts and sessions (kp_web_db, opened
 * on first use, closed when the thread ends; SQLite in WAL mode lets
 * readers run beside a writer, and writers serialise in the store), and
 * each handler opens what it reads through src/round, as the CLI does;
 * the throttle table and the ranking cache are behind a mutex.
 * kp_web_stop lets the requests in flight finish (no lost write) before
 * it returns.
 *
 * Ownership.  kp_web_start makes a kp_web, kp_web_stop frees it.  A
 * kp_web_params owns copies of its values (kp_web_params_release).
 */
#ifndef KP_WEB_H
#define KP_WEB_H

#include "base/base.h"

enum kp_web_role {
	KP_WEB_PUBLIC = 1,      /* no session needed */
	KP_WEB_UNIT = 2,        /* 单位用户 */
	KP_WEB_ASSESSOR = 4,    /* 考核人员 */
	KP_WEB_ADMIN = 8,       /* 管理员 */
};
#define KP_WEB_STAFF (KP_WEB_UNIT | KP_WEB_ASSESSOR | KP_WEB_ADMIN)

/* "admin", "assessor", "unit" → the role's bit; 0 for anything else. */
int kp_web_role_parse(const char *s);
const char *kp_web_role_name(int role);    /* "admin" … */
const char *kp_web_role_label(int role);   /* "管理员" … */

/* ---- routes ------------------------------------------------------------ */

/* What a {parameter} may be.  KP_WP_NAME: a round's or unit's name,
 * 1..max bytes of UTF-8 without control characters or '/'. */
enum kp_web_ptype { KP_WP_NAME = 1 };

typedef struct kp_web_pspec {
	const char *name;       /* as in the pattern, without braces */
	int type;
	size_t max;             /* bytes */
} kp_web_pspec;

#define KP_WEB_MAXPARAMS 4
typedef struct kp_web_params {
	const char *name[KP_WEB_MAXPARAMS];   /* borrowed from the spec */
	char *val[KP_WEB_MAXPARAMS];          /* owned */
	size_t n;
} kp_web_params;

/* The value of parameter name (borrowed), NULL when none. */
const char *kp_web_param(const kp_web_params *p, const char *name);
void kp_web_params_release(kp_web_params *p);

typedef struct kp_web_req kp_web_req;      /* web_int.h */
typedef void (*kp_web_handler)(kp_web_req *rq);

typedef struct kp_web_route {
	const char *method;     /* "GET", "POST" */
	const char *pattern;    /* "/api/rounds/{round}/rank" */
	unsigned roles;         /* who may call it (bits of kp_web_role) */
	int change;             /* changes state: X-CSRF-Token required
				 * (true, or KP_WEB_UPLOAD) */
	kp_web_handler fn;
	const kp_web_pspec *params;   /* a row per {name}; ends with NULL name */
	const char *summary;    /* Chinese, one line */
} kp_web_route;

/* A route's change that is also an upload: its multipart body is
 * streamed to disk, not kept in memory (the evidence upload). */
#define KP_WEB_UPLOAD 2

/* The route table; ends with a row whose method is NULL. */
extern const kp_web_route kp_web_routes[];

/* Match method and path (already percent-decoded) against table t: the
 * route's index, with p holding its parameters; or -1 with *status 404
 * (no pattern matches), 405 (a pattern matches, not with this method) or
 * 400 (a parameter fails its spec; e says which and why) and p empty. */
int kp_web_route_find(const kp_web_route *t, const char *method,
		      const char *path, kp_web_params *p, int *status,
		      kp_err *e);

/* ---- passwords and tokens (auth.c) ---------------------------------- */

/* Argon2id (libsodium crypto_pwhash_str, interactive limits) of pw into
 * out (KP_WEB_HASH_MAX bytes). */
#define KP_WEB_HASH_MAX 128
int kp_web_password_hash(const char *pw, char *out, kp_err *e);
bool kp_web_password_verify(const char *hash, const char *pw);
/* A random password of 16 letters and digits into out (>= 17 bytes). */
void kp_web_password_generate(char *out);
/* A password must be 8..128 bytes: 0, or -1 and e says why. */
int kp_web_password_check(const char *pw, kp_err *e);

/* ---- the server ------------------------------------------------------- */

typedef struct kp_web_config {
	const char *listen;     /* "127.0.0.1:8080"; port 0: any free port */
	const char *conn;       /* the store */
	size_t body_max;        /* request body cap, bytes */
	long session_s;         /* session lifetime, seconds */
	unsigned threads;       /* handler threads; 0: one per core */
	const char *data;       /* the directory uploaded files go to */
	size_t evidence_max;    /* an uploaded file's cap, bytes */
} kp_web_config;

typedef struct kp_web kp_web;

/* Open the store (it must exist and hold the schema), bind and start
 * serving in the background.  Errors: KP_EINPUT (a bad address), KP_EIO
 * (cannot bind). */
int kp_web_start(const kp_web_config *c, kp_web **out, kp_err *e);
/* The port bound (the one chosen when the config said 0). */
unsigned kp_web_port(const kp_web *w);
/* Finish the request in flight, stop and free. */
void kp_web_stop(kp_web *w);

/* How many votes one address may cast in one round (docs/api.md). */
#define KP_WEB_VOTES_PER_ADDRESS 50
/* Wrong passwords before an account is throttled, and for how long. */
#define KP_WEB_LOGIN_FAILS 5
#define KP_WEB_LOGIN_LOCK_S (15 * 60)
/* Wrong logins from one address (any account) before it is throttled. */
#define KP_WEB_ADDR_FAILS 20

#endif
