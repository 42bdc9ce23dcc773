/* round/review.c — a person's review of an inspection's findings.
 *
 * `inspect review ID --finding N --confirm|--false-alarm` records a
 * decision on finding N of stored inspection ID (kp_store_review_add).
 * What a decision does:
 *   - a false alarm is remembered for the round's unit by the finding's
 *     identity (check and key: for a content finding, the page's URL and
 *     the text found): a later inspection of that unit in that round
 *     stored with --round leaves it out when it is stored (filtered, not
 *     marked), and its JSON lists it under "false_alarms";
 *   - only a confirmed content finding (content.*) becomes a fact
 *     (kp_rnd_inspection_facts): what a program guesses from the text is
 *     evidence only once a person has looked; a false alarm of any check
 *     becomes no fact;
 *   - `inspect show` prints each finding's review.
 * The review that counts for a finding is the latest one of its
 * identity in the unit (a person may change their mind by reviewing
 * again). */
#include "round/round_int.h"
#include "inspect/inspect.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int kp_rnd_inspection_review(const char *conn, int64_t id, int64_t n,
			     bool confirm, const char *note, const char *who,
			     int64_t *review, kp_err *e)
{
	kp_store *db = NULL;
	int ret;
	if (kp_store_open(conn, 0, &db, e) < 0)
		return -1;
	{
		kp_inspection in;
		if (kp_store_inspection_get(db, id, &in, e) < 0) {
			if (e->code == KP_EINPUT)
				e->code = KP_RND_ENOTFOUND;
			kp_store_close(db);
			return -1;
		}
		kp_inspection_release(&in);
	}
	ret = kp_store_review_add(db, id, n,
				  confirm ? KP_REVIEW_CONFIRMED : KP_REVIEW_FALSE_ALARM,
				  note, who, review, e);
	if (ret < 0 && e->code == KP_EINPUT && strstr(e->msg, "没有第"))
		e->code = KP_RND_ENOTFOUND;
	kp_store_close(db);
	return ret;
}

/* ---- a unit's reviews -------------------------------------------------- */

static int review_row(void *ctx, const kp_store_review *r, kp_err *e)
{
	kp_rnd_reviews *rv = ctx;
	kp_store_review *d;
	(void)e;
	rv->v = kp_xrealloc(rv->v, (rv->n + 1) * sizeof(*rv->v));
	d = &rv->v[rv->n++];
	*d = *r;
	d->check = kp_xstrdup(r->check);
	d->key = kp_xstrdup(r->key);
	d->url = kp_xstrdup(r->url);
	d->decision = kp_xstrdup(r->decision);
	d->note = kp_xstrdup(r->note);
	d->author = kp_xstrdup(r->author);
	d->at = kp_xstrdup(r->at);
	return 0;
}

int kp_rnd_reviews_load(kp_store *db, int64_t round, const char *unit,
			kp_rnd_reviews *out, kp_err *e)
{
	memset(out, 0, sizeof(*out));
	if (kp_store_reviews_each(db, round, unit, review_row, out, e) < 0) {
		kp_rnd_reviews_release(out);
		return -1;
	}
	return 0;
}

void kp_rnd_reviews_release(kp_rnd_reviews *rv)
{
	for (size_t i = 0; i < rv->n; i++) {
		kp_store_review *r = &rv->v[i];
		free((char *)r->check);
		free((char *)r->key);
		free((char *)r->url);
		free((char *)r->decision);
		free((char *)r->note);
		free((char *)r->author);
		free((char *)r->at);
	}
	free(rv->v);
	memset(rv, 0, sizeof(*rv));
}

const kp_store_review *kp_rnd_review_for(const kp_rnd_reviews *rv,
					 const char *check, const char *key)
{
	for (size_t i = rv->n; i-- > 0;)
		if (!strcmp(rv->v[i].check, check) && !strcmp(rv->v[i].key, key))
			return &rv->v[i];
	return NULL;
}

bool kp_rnd_review_false_alarm(const kp_store_review *r)
{
	return r && !strcmp(r->decision, KP_REVIEW_FALSE_ALARM);
}

json_t *kp_rnd_review_json(const kp_store_review *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "decision", json_string(r->decision));
	json_object_set_new(o, "label", json_string(kp_rnd_review_false_alarm(r)
						    ? "误报" : "确认属实"));
	json_object_set_new(o, "inspection", json_integer(r->inspection));
	json_object_set_new(o, "finding", json_integer(r->ord));
	json_object_set_new(o, "note", json_string(r->note));
	json_object_set_new(o, "author", json_string(r->author));
	json_object_set_new(o, "at", json_string(r->at));
	return o;
}

/* ---- leaving false alarms out of a new inspection ----------------------- */

static void finding_free(kp_inspect_finding *f)
{
	free(f->check);
	free(f->severity);
	free(f->message);
	free(f->url);
	free(f->snippet);
}

int kp_rnd_target_filter(kp_rnd_target *t, kp_inspect_result *r, char **keys,
			 json_t *j, kp_err *e)
{
	kp_rnd_reviews rv;
	json_t *arr = json_object_get(j, "findings"), *left = json_array();
	size_t w = 0, out = 0;
	if (kp_rnd_reviews_load(t->db, t->round.id, t->unit, &rv, e) < 0) {
		json_decref(left);
		return -1;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const kp_store_review *rw = kp_rnd_review_for(&rv, r->findings[i].check,
							      keys[i]);
		json_t *jf = json_array_get(arr, i - out);
		if (kp_rnd_review_false_alarm(rw)) {
			json_t *o = json_deep_copy(jf);
			json_object_set_new(o, "review", kp_rnd_review_json(rw));
			json_array_append_new(left, o);
			json_array_remove(arr, i - out);
			finding_free(&r->findings[i]);
			free(keys[i]);
			out++;
			continue;
		}
		r->findings[w] = r->findings[i];
		keys[w++] = keys[i];
	}
	r->nfindings = w;
	if (out)
		json_object_set_new(j, "false_alarms", left);
	else
		json_decref(left);
	kp_rnd_reviews_release(&rv);
	return (int)out;
}

/* ---- facts: only what a review allows ---------------------------------- */

int kp_rnd_facts_filter(kp_store *db, const kp_inspection *in, json_t *j,
			kp_err *e)
{
	kp_rnd_reviews rv;
	json_t *arr = json_object_get(j, "findings");
	if (kp_rnd_reviews_load(db, in->round_id, in->unit, &rv, e) < 0)
		return -1;
	for (size_t i = 0; i < json_array_size(arr);) {
		json_t *f = json_array_get(arr, i);
		const char *check = json_string_value(json_object_get(f, "check"));
		const char *key = json_string_value(json_object_get(f, "key"));
		const kp_store_review *rw = check && key ? kp_rnd_review_for(&rv, check, key)
							 : NULL;
		bool content = check && !strncmp(check, "content.", 8);
		if (kp_rnd_review_false_alarm(rw) || (content && !rw))
			json_array_remove(arr, i);
		else
			i++;
	}
	kp_rnd_reviews_release(&rv);
	return 0;
}
