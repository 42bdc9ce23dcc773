/* web — the units' sheets as sent, kept per round under the round's stamp
 * (rcache.c says what the stamp is), gzipped, with their ETags.
 *
 * A sheet is scored from the unit's facts (round's kp_rnd_sheet_get:
 * ~1.5 ms of CPU for a 100-indicator table, its JSON ~70 KB).  The first
 * request that finds its sheet not kept at the round's current stamp
 * scores that sheet itself, keeps it, and starts the builder: one
 * thread of the server's own, which opens the round and writes every
 * unit's sheet (kp_rnd_sheets_each: one read of the round's facts, each
 * table indexed once) into the same place.  No request waits for the
 * builder, and the request threads (libmicrohttpd's pool) stay free for
 * the other routes.  The builder stops when the round's stamp moves
 * (what it writes would be dropped: a request at the new stamp finds
 * nothing and starts a new build) or the server stops.
 *
 * Only the gzipped text is kept (~4 KB a sheet, a national round's 3,000
 * sheets ~12 MB); a client that does not take gzip gets it inflated
 * (server.c), one that has it gets 304 (the ETag).  What is kept was
 * read after the stamp it is kept under, never before: never older than
 * the stamp says. */
#include "web/web_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int kp_web_sheet_render(const kp_rnd *r, const kp_rnd_sheet *s,
			kp_web_blob **plain, kp_web_blob **gz, char *etag)
{
	json_t *j = kp_rnd_sheet_json(r, s);
	char hash[17];
	/* compact, as the ranking: ~30% fewer bytes to write, zip and send */
	*plain = kp_web_blob_json(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
				     JSON_REAL_PRECISION(15));
	json_decref(j);
	*gz = NULL;
	if (!*plain)
		return -1;
	/* zlib's fastest level: a sheet is zipped once per unit and stamp,
	 * the builder zips thousands (level 1 is ~3x faster than 6 and
	 * the sheet ~30% bigger, still a tenth of the text) */
	*gz = kp_web_blob_gzip((*plain)->data, (*plain)->n, 1);
	kp_store_hash((*plain)->data, (*plain)->n, hash);
	/* weak: the same for the plain and the gzipped bytes (as the
	 * ranking's, api.c) */
	snprintf(etag, KP_WEB_ETAG, "W/\"%s\"", hash);
	return 0;
}

int kp_web_sheet_kept(kp_web_req *rq, const char *name, int64_t stamp,
		      size_t unit)
{
	kp_web *w = rq->w;
	struct kp_web_round_cached *c;
	int found = 0;
	pthread_mutex_lock(&w->lock);
	if ((c = kp_web_round_entry(w, name)) && c->stamp == stamp &&
	    unit < c->nsheets && c->sheets[unit].gz) {
		rq->blob_gz = kp_web_blob_ref(c->sheets[unit].gz);
		memcpy(rq->etag, c->sheets[unit].etag, sizeof(rq->etag));
		found = 1;
	}
	pthread_mutex_unlock(&w->lock);
	return found;
}

void kp_web_sheet_keep(kp_web *w, const char *name, int64_t stamp,
		       size_t unit, size_t nunits, kp_web_blob *gz,
		       const char *etag)
{
	struct kp_web_round_cached *c;
	if (!gz)
		return;
	pthread_mutex_lock(&w->lock);
	if ((c = kp_web_round_entry(w, name)) && c->stamp == stamp &&
	    unit < nunits && w->sheet_bytes + gz->n <= KP_WEB_SHEET_BYTES) {
		if (!c->sheets) {
			c->sheets = kp_xcalloc(nunits, sizeof(*c->sheets));
			c->nsheets = nunits;
		}
		if (unit < c->nsheets && !c->sheets[unit].gz) {
			c->sheets[unit].gz = gz;
			snprintf(c->sheets[unit].etag, KP_WEB_ETAG, "%s", etag);
			w->sheet_bytes += gz->n;
			gz = NULL;
		}
	}
	pthread_mutex_unlock(&w->lock);
	kp_web_blob_unref(gz);
}

/* ---- the builder -------------------------------------------------------- */

struct build {
	kp_web *w;
	const char *name;
	int64_t stamp;
	kp_rnd *r;
	kp_store *db;                  /* the builder's own (kp_web_db) */
	size_t n;
	bool moved;                    /* stopped: the stamp moved */
};

/* Go on building?  Not when the server stops or the round has changed
 * (asked of the builder's own connection: the round's, r, is inside its
 * read of the facts and sees them as they were). */
static int go_on(struct build *b, kp_err *e)
{
	int64_t now;
	bool stop;
	pthread_mutex_lock(&b->w->lock);
	stop = b->w->stopping;
	pthread_mutex_unlock(&b->w->lock);
	if (stop)
		return kp_fail(e, KP_EINPUT, "服务停止");
	if (kp_store_audit_count(b->db, kp_rnd_round(b->r)->id, &now, e) < 0)
		return -1;
	if (now != b->stamp) {
		b->moved = true;
		return kp_fail(e, KP_EINPUT, "轮次已有改动");
	}
	return 0;
}

static int build_one(void *ctx, const kp_rnd_sheet *s, kp_err *e)
{
	struct build *b = ctx;
	kp_web_blob *plain, *gz;
	char etag[KP_WEB_ETAG];
	if (b->n % 64 == 0 && go_on(b, e) < 0)
		return -1;
	if (kp_web_sheet_render(b->r, s, &plain, &gz, etag) < 0)
		return kp_fail(e, KP_ENOMEM, "考评表无法写成 JSON");
	kp_web_blob_unref(plain);
	kp_web_sheet_keep(b->w, b->name, b->stamp, s->unit,
			  kp_rnd_nunits(b->r), gz, etag);
	b->n++;
	return 0;
}

/* the builder's nice value, above the server's (lower priority) */
#define KP_WEB_BUILD_NICE 10

static double secs_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *builder(void *arg)
{
	kp_web *w = arg;
	struct build b = { .w = w };
	struct kp_web_round_cached *c;
	double t0 = secs_now();
	kp_err e;
	int rc = -1;
	/* below the request threads: when both want a core the requests
	 * get it (Linux: a thread's own nice value) */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
			  KP_WEB_BUILD_NICE);  /* refused: the same priority */
	pthread_mutex_lock(&w->lock);
	b.name = w->build_name;
	b.stamp = w->build_stamp;
	pthread_mutex_unlock(&w->lock);
	/* opened after the stamp was read: never older than it */
	if ((b.db = kp_web_db(w, &e)) && kp_rnd_open(w->conn, b.name, &b.r, &e) == 0) {
		rc = go_on(&b, &e) < 0 ? -1
		     : kp_rnd_sheets_each(b.r, 0, build_one, &b, &e);
		kp_rnd_close(b.r);
	}
	if (rc == 0)
		fprintf(stderr, "kaoping serve：轮次“%s”的 %zu 张考评表已生成（%.1f 秒）\n",
			b.name, b.n, secs_now() - t0);
	else if (!b.moved)
		fprintf(stderr, "kaoping serve：轮次“%s”的考评表没有生成完（%zu 张）：%s\n",
			b.name, b.n, e.msg);
	pthread_mutex_lock(&w->lock);
	/* failed (not moved on): the next request that misses tries again */
	if (rc < 0 && !b.moved && (c = kp_web_round_entry(w, b.name)) &&
	    c->built == b.stamp)
		c->built = 0;
	w->builder_busy = false;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

void kp_web_sheets_build(kp_web *w, const char *name, int64_t stamp)
{
	struct kp_web_round_cached *c;
	pthread_t old, t;
	bool join;
	pthread_mutex_lock(&w->lock);
	c = kp_web_round_entry(w, name);
	if (w->stopping || w->builder_busy || !c || c->stamp != stamp ||
	    c->built == stamp) {
		pthread_mutex_unlock(&w->lock);
		return;
	}
	c->built = stamp;
	join = w->builder_on;          /* the last builder, finished */
	old = w->builder;
	w->builder_on = false;
	w->builder_busy = true;
	free(w->build_name);
	w->build_name = kp_xstrdup(name);
	w->build_stamp = stamp;
	pthread_mutex_unlock(&w->lock);
	if (join)
		pthread_join(old, NULL);
	if (pthread_create(&t, NULL, builder, w) != 0) {
		pthread_mutex_lock(&w->lock);
		w->builder_busy = false;
		if ((c = kp_web_round_entry(w, name)) && c->built == stamp)
			c->built = 0;
		pthread_mutex_unlock(&w->lock);
		return;
	}
	pthread_mutex_lock(&w->lock);
	w->builder = t;
	w->builder_on = true;
	pthread_mutex_unlock(&w->lock);
}

void kp_web_sheets_stop(kp_web *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_mutex_unlock(&w->lock);
}

void kp_web_sheets_join(kp_web *w)
{
	/* the pool has stopped: no request starts a builder any more */
	if (w->builder_on)
		pthread_join(w->builder, NULL);
	w->builder_on = false;
	free(w->build_name);
	w->build_name = NULL;
}
