/* web — the rounds as the handlers last read them.  Reading a round's
 * record counts over all its units and facts (a few milliseconds for a
 * national round), and opening it for work parses its tables and indexes
 * its units: too much for every request.  So the server keeps, per round
 * asked for, the record it read, a few rounds opened for sheets and the
 * units' sheets (sheets.c, KP_WEB_SHEET_BYTES in all), under the
 * round's stamp (kp_store_audit_count: every committed change to a
 * round commits an audit row with it, and the log only grows).  A request
 * reads the stamp, one index range, and uses what is kept only while the
 * stamp is the one it was read under; a change anywhere (the CLI, another
 * server) is seen by the next request.  What is kept was always read
 * after its stamp, so it is never older than the stamp says. */
#include "web/web_int.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

struct kp_web_round_cached *kp_web_round_entry(kp_web *w, const char *name)
{
	for (size_t i = 0; i < KP_WEB_ROUND_CACHE; i++)
		if (w->rounds[i].name && !strcmp(w->rounds[i].name, name))
			return &w->rounds[i];
	return NULL;
}

/* Drop what an entry keeps (the opened rounds closed by the caller: they
 * are moved to drop[0..*ndrop)); behind w->lock. */
static void entry_clear(kp_web *w, struct kp_web_round_cached *c,
			kp_rnd **drop, size_t *ndrop)
{
	for (size_t i = 0; i < c->nsheets; i++)
		if (c->sheets[i].gz) {
			w->sheet_bytes -= c->sheets[i].gz->n;
			kp_web_blob_unref(c->sheets[i].gz);
		}
	free(c->sheets);
	free(c->name);
	kp_round_release(&c->round);
	for (size_t i = 0; i < c->nidle; i++)
		drop[(*ndrop)++] = c->idle[i];
	memset(c, 0, sizeof(*c));
}

void kp_web_rounds_release(kp_web *w)
{
	kp_rnd *drop[KP_WEB_RND_POOL];
	for (size_t i = 0; i < KP_WEB_ROUND_CACHE; i++) {
		size_t n = 0;
		if (!w->rounds[i].name)
			continue;
		entry_clear(w, &w->rounds[i], drop, &n);
		for (size_t k = 0; k < n; k++)
			kp_rnd_close(drop[k]);
	}
}

/* Keep rec (copied) as round name's record under stamp. */
static void keep(kp_web *w, const char *name, const kp_round *rec,
		 int64_t stamp)
{
	kp_rnd *drop[KP_WEB_RND_POOL];
	size_t n = 0;
	struct kp_web_round_cached *c;
	pthread_mutex_lock(&w->lock);
	c = kp_web_round_entry(w, name);
	if (c && c->stamp >= stamp) {          /* a newer one is kept */
		pthread_mutex_unlock(&w->lock);
		return;
	}
	if (!c) {
		c = &w->rounds[w->round_next];
		w->round_next = (w->round_next + 1) % KP_WEB_ROUND_CACHE;
	}
	if (c->name)
		entry_clear(w, c, drop, &n);
	c->name = kp_xstrdup(name);
	c->id = rec->id;
	c->stamp = stamp;
	kp_rnd_round_copy(&c->round, rec);
	pthread_mutex_unlock(&w->lock);
	for (size_t k = 0; k < n; k++)
		kp_rnd_close(drop[k]);
}

/* The round's kept id, or 0 when none is kept; behind nothing. */
static int64_t kept_id(kp_web *w, const char *name)
{
	struct kp_web_round_cached *c;
	int64_t id = 0;
	pthread_mutex_lock(&w->lock);
	if ((c = kp_web_round_entry(w, name)))
		id = c->id;
	pthread_mutex_unlock(&w->lock);
	return id;
}

int kp_web_round_get(kp_web_req *rq, const char *name, kp_round *out,
		     int64_t *stamp, kp_err *e)
{
	kp_web *w = rq->w;
	struct kp_web_round_cached *c;
	int64_t id = kept_id(w, name), now;
	memset(out, 0, sizeof(*out));
	if (!id) {
		/* first sight: its id, then its stamp, then the record */
		if (kp_store_round_get(rq->db, name, out, e) < 0)
			return -1;
		id = out->id;
		kp_round_release(out);
	}
	if (kp_store_audit_count(rq->db, id, &now, e) < 0)
		return -1;
	pthread_mutex_lock(&w->lock);
	if ((c = kp_web_round_entry(w, name)) && c->id == id && c->stamp == now) {
		kp_rnd_round_copy(out, &c->round);
		pthread_mutex_unlock(&w->lock);
		*stamp = now;
		return 0;
	}
	pthread_mutex_unlock(&w->lock);
	if (kp_store_round_get(rq->db, name, out, e) < 0)
		return -1;
	if (out->id == id)         /* rounds are never renamed; be sure */
		keep(w, name, out, now);
	*stamp = now;
	return 0;
}

kp_rnd *kp_web_rnd_take(kp_web_req *rq, const char *name, int64_t stamp,
			kp_err *e)
{
	kp_web *w = rq->w;
	struct kp_web_round_cached *c;
	kp_rnd *r = NULL;
	pthread_mutex_lock(&w->lock);
	if ((c = kp_web_round_entry(w, name)) && c->stamp == stamp && c->nidle)
		r = c->idle[--c->nidle];
	pthread_mutex_unlock(&w->lock);
	if (r)
		return r;
	/* opened after the stamp was read: never older than it */
	if (kp_rnd_open(w->conn, name, &r, e) < 0)
		return NULL;
	return r;
}

void kp_web_rnd_give(kp_web_req *rq, const char *name, int64_t stamp,
		     kp_rnd *r)
{
	kp_web *w = rq->w;
	struct kp_web_round_cached *c;
	if (!r)
		return;
	pthread_mutex_lock(&w->lock);
	if ((c = kp_web_round_entry(w, name)) && c->stamp == stamp &&
	    c->id == kp_rnd_round(r)->id && c->nidle < KP_WEB_RND_POOL) {
		c->idle[c->nidle++] = r;
		r = NULL;
	}
	pthread_mutex_unlock(&w->lock);
	kp_rnd_close(r);
}
