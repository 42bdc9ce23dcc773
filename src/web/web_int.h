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
#include <pthread.h>
#include <time.h>

/* Wrong logins from one address, remembered for KP_WEB_LOGIN_LOCK_S. */
#define KP_WEB_ADDR_SLOTS 256
struct kp_web_addr_fails {
	char addr[64];
	int fails;
	time_t first;
};

/* How an answer's JSON document is written (server.c; a handler that
 * keeps the text it sends writes it so too). */
#define KP_WEB_JSON_FLAGS \
	(JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* A JSON answer shared by the requests that send it (the ranking cache):
 * reference-counted, freed by the last kp_web_blob_unref. */
typedef struct kp_web_blob {
	int refs;                      /* atomic */
	size_t n;
	char data[];                   /* n bytes and a NUL */
} kp_web_blob;

/* A copy of text[0..n) with one reference (the caller's). */
kp_web_blob *kp_web_blob_new(const char *text, size_t n);
kp_web_blob *kp_web_blob_ref(kp_web_blob *b);
void kp_web_blob_unref(kp_web_blob *b);

/* The rounds' rankings as sent, each under the key of the stored scoring
 * it renders (api.c); behind kp_web.lock. */
#define KP_WEB_RANK_CACHE 8
#define KP_WEB_ETAG 24                 /* W/"16 hex" and a NUL */
struct kp_web_rank_cached {
	int64_t round;
	char *key;
	kp_web_blob *blob;
	kp_web_blob *gz;               /* blob gzipped, or NULL */
	char etag[KP_WEB_ETAG];        /* of blob's bytes */
};

/* text[0..n) gzipped (RFC 1952) at level (zlib's 1 fastest … 9
 * smallest) with one reference, or NULL when zlib fails. */
kp_web_blob *kp_web_blob_gzip(const char *text, size_t n, int level);
/* j written with json_dumps' flags, with one reference, or NULL. */
kp_web_blob *kp_web_blob_json(const json_t *j, size_t flags);
/* gz (as kp_web_blob_gzip makes it) inflated, with one reference, or
 * NULL when it is not gzip. */
kp_web_blob *kp_web_blob_gunzip(const kp_web_blob *gz);

/* The rounds as the handlers last read them (rcache.c): per round, its
 * record and up to KP_WEB_RND_POOL rounds opened for sheets and idle,
 * under its stamp (kp_store_audit_count); behind kp_web.lock. */
#define KP_WEB_ROUND_CACHE 8
#define KP_WEB_RND_POOL 8
struct kp_rnd;
struct kp_web_round_cached {
	char *name;                    /* NULL: a free slot */
	int64_t id, stamp;
	kp_round round;
	struct kp_rnd *idle[KP_WEB_RND_POOL];
	size_t nidle;
	/* the units' sheets, by unit index (gz NULL: not kept) */
	struct kp_web_sheet_kept *sheets;
	size_t nsheets;
	int64_t built;                 /* the stamp all sheets were (or are
					  being) built at, 0 none */
};
/* A unit's sheet as sent (sheets.c): its JSON text gzipped, and the ETag
 * of the plain text. */
struct kp_web_sheet_kept {
	struct kp_web_blob *gz;
	char etag[KP_WEB_ETAG];
};
/* what the kept sheets of all rounds may take (gzipped: a 100-indicator
 * sheet is ~70 KB of JSON, ~4 KB gzipped) */
#define KP_WEB_SHEET_BYTES ((size_t)64 << 20)

struct kp_web {
	struct MHD_Daemon *d;
	const kp_web_route *routes;    /* borrowed: the table (api.c) */
	char *conn;
	char *data;                    /* uploads go to data/evidence */
	size_t body_max, evidence_max;
	long session_s;
	unsigned port;
	unsigned threads;              /* handler threads (the pool) */
	pthread_key_t dbkey;           /* each thread's own store handle */
	unsigned char secret[32];      /* keys the public's vote tokens */
	pthread_mutex_t lock;          /* guards fails[] and ranks[] */
	struct kp_web_addr_fails fails[KP_WEB_ADDR_SLOTS];
	struct kp_web_rank_cached ranks[KP_WEB_RANK_CACHE];
	unsigned rank_next;            /* the slot to replace next */
	struct kp_web_round_cached rounds[KP_WEB_ROUND_CACHE];
	unsigned round_next;           /* the slot to replace next */
	size_t sheet_bytes;            /* kept sheets' bytes, all rounds */
	struct kp_web_jobs *jobs;      /* re-inspections (recheck.c); made
					  on first use under lock */
	/* the one thread building a round's sheets (sheets.c) */
	pthread_t builder;
	bool builder_on;               /* started and not yet joined */
	bool builder_busy;             /* still building */
	bool stopping;                 /* the server stops: builder, stop */
	char *build_name;              /* the builder's round (its own) */
	int64_t build_stamp;
};

/* End the re-inspections still running (they store nothing) and free
 * them: after the daemon has stopped (recheck.c). */
void kp_web_jobs_stop(kp_web *w);

/* The calling thread's own store handle (accounts, sessions, votes),
 * opened on first use and closed when the thread ends: NULL and e when it
 * cannot be opened. */
kp_store *kp_web_db(kp_web *w, kp_err *e);

/* An upload as its handler sees it: the file part, already on disk in a
 * temporary file of the data directory (tmp: the handler renames it and
 * sets tmp to NULL to keep it; otherwise it is unlinked), its size and
 * SHA-256, the name and type the client gave, and the other fields. */
#define KP_WEB_UPLOAD_FIELDS 4
typedef struct kp_web_upload {
	char *tmp;                     /* owned by the server until taken */
	size_t size, max;
	char sha256[65];
	char *filename, *content_type; /* NULL: no file part */
	const char *bad;               /* why the body is unusable, or NULL */
	struct {
		char *name;
		kp_buf value;
	} field[KP_WEB_UPLOAD_FIELDS];
} kp_web_upload;

/* The value of upload field name (borrowed), NULL when none. */
const char *kp_web_upload_field(const kp_web_upload *up, const char *name);
/* Does route r take a multipart upload (streamed, not kept in memory)? */


struct kp_web_req {
	kp_web *w;
	kp_store *db;                  /* kp_web_db of this thread */
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
	kp_web_upload *upload;         /* an upload route's, or NULL */
	int status;
	json_t *out;                   /* or, with out NULL: */
	kp_web_blob *blob;             /* a reference: JSON text to send, */
	kp_web_blob *blob_gz;          /* with blob: the same gzipped (a
					  reference, or NULL), sent to a
					  client that accepts gzip; alone
					  (blob NULL): inflated for a
					  client that does not */
	char etag[KP_WEB_ETAG];        /* with blob or blob_gz: its ETag,
					  or "" (then If-None-Match may
					  answer 304) */
					/* or */
	bool file;                     /* send file_fd's file_size bytes */
	int file_fd;                   /* owned; closed after sending */
	int64_t file_size;
	char *file_name;               /* owned; Content-Disposition */
	const char *file_type;         /* static */
	char *set_cookie[2];           /* owned header values */
};

/* Answer status with {"error": message}. */
__attribute__((format(printf, 3, 4)))
void kp_web_error(kp_web_req *rq, int status, const char *fmt, ...);
/* Answer with e's message and the status its code maps to. */
void kp_web_fail(kp_web_req *rq, const kp_err *e);
/* Add a Set-Cookie header (value copied). */
void kp_web_cookie(kp_web_req *rq, const char *value);

/* ---- rcache.c ---- */

/* Round name's record (out: the caller's to release) and its stamp, from
 * what is kept when the stamp has not changed, else read and kept.  -1
 * and e as kp_store_round_get fails (KP_EINPUT: no such round). */
int kp_web_round_get(kp_web_req *rq, const char *name, kp_round *out,
		     int64_t *stamp, kp_err *e);
/* Round name opened for reading, kept from an earlier request at the
 * same stamp or opened now; hand it back with kp_web_rnd_give (which
 * keeps it or closes it).  NULL and e when it cannot be opened. */
struct kp_rnd *kp_web_rnd_take(kp_web_req *rq, const char *name,
			       int64_t stamp, kp_err *e);
void kp_web_rnd_give(kp_web_req *rq, const char *name, int64_t stamp,
		     struct kp_rnd *r);
/* Close and free everything kept (the server stopping). */
void kp_web_rounds_release(kp_web *w);
/* The kept entry of round name, or NULL; behind w->lock. */
struct kp_web_round_cached *kp_web_round_entry(kp_web *w, const char *name);

/* ---- sheets.c ---- */

struct kp_rnd_sheet;
/* Sheet s of round r as the server sends it: *plain (its JSON text,
 * KP_WEB_JSON_FLAGS), *gz (the same gzipped, or NULL) and etag (of the
 * plain text), each blob with one reference (the caller's).  -1 when it
 * cannot be written. */
int kp_web_sheet_render(const struct kp_rnd *r, const struct kp_rnd_sheet *s,
			kp_web_blob **plain, kp_web_blob **gz, char *etag);
/* Unit unit's (its index) sheet of round name as kept at stamp: 1 with
 * rq->blob_gz (a reference) and rq->etag set, 0 when none is kept. */
int kp_web_sheet_kept(kp_web_req *rq, const char *name, int64_t stamp,
		      size_t unit);
/* Keep gz (a reference taken) as that sheet, with its etag, unless the
 * round has changed or the kept sheets' bytes are at KP_WEB_SHEET_BYTES. */
void kp_web_sheet_keep(kp_web *w, const char *name, int64_t stamp,
		       size_t unit, size_t nunits, kp_web_blob *gz,
		       const char *etag);
/* Build all sheets of round name at stamp on the builder thread, unless
 * they are built (or being built) at that stamp or the builder is busy
 * with another; returns at once. */
void kp_web_sheets_build(kp_web *w, const char *name, int64_t stamp);
/* The server stops: tell the builder (before the pool stops), then wait
 * for it (after). */
void kp_web_sheets_stop(kp_web *w);
void kp_web_sheets_join(kp_web *w);

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

/* ---- the server core (server.c), put together by app.c ---------- */

/* kp_web_start's work with the route table given: the store checked,
 * the data directory made, the daemon listening. */
int kp_web_serve_start(const kp_web_config *c, const kp_web_route *routes,
		       kp_web **out, kp_err *e);
/* Stop the daemon: the requests in flight finish first. */
void kp_web_serve_halt(kp_web *w);
/* Free what the core holds (after the application's parts let go). */
void kp_web_serve_free(kp_web *w);

#endif
