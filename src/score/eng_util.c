/* score/eng_util.c — applicability of an applies cell, reasons, numbers
 * for messages.  See engine.h. */
#include "score/engine.h"

/* Whether fn holds for some item of a "、"/","-separated list. */
static bool list_any(const char *list, bool (*fn)(const void *, const char *),
		     const void *arg)
{
	char *copy = kp_xstrdup(list), *cur = copy, *item;
	bool hit = false;
	while (!hit && (item = kp_list_next(&cur)))
		hit = fn(arg, item);
	free(copy);
	return hit;
}

static bool eq_str(const void *a, const char *s)
{
	return !strcmp((const char *)a, s);
}

/* ---- applicability --------------------------------------------------- */

typedef struct app {
	const eng *g;
	bool any_pos, pos_hit, neg_hit;
} app;

static bool names_unit(const eng *g, const char *s)
{
	const kp_units *u = g->c ? g->c->units : NULL;
	const char *type = u ? kp_units_type(u, g->canon) : NULL;
	const char *res = u ? kp_units_resolve(u, s) : NULL;
	if (!strcmp(s, g->canon) || (res && !strcmp(res, g->canon)))
		return true;
	if (type && !strcmp(type, s))
		return true;
	return list_any(g->tags, eq_str, s);
}

static bool app_item(const void *arg, const char *s)
{
	app *a = (app *)arg;
	if (*s == '!') {
		if (names_unit(a->g, s + 1))
			a->neg_hit = true;
	} else {
		a->any_pos = true;
		if (names_unit(a->g, s))
			a->pos_hit = true;
	}
	return false;
}

bool kp_eng_applies(const eng *g, const char *text)
{
	app a = { g, false, false, false };
	if (!*text)
		return true;
	list_any(text, app_item, &a);
	return !a.neg_hit && (!a.any_pos || a.pos_hit);
}


/* ---- reasons --------------------------------------------------------- */

kp_reason *kp_eng_reason(eng *g, kp_reason **v, size_t *n,
			     const kp_num *delta, const char *what,
			     const char *fmt, ...)
{
	kp_reason *r;
	kp_buf b = KP_BUF_INIT;
	va_list ap;
	if (!g->record)
		return NULL;
	*v = kp_xrealloc(*v, (*n + 1) * sizeof(**v));
	r = &(*v)[(*n)++];
	memset(r, 0, sizeof(*r));
	r->delta = kp_num_int(0);   /* never {0, 0}: a valid zero */
	if (delta) {
		r->delta = *delta;
		r->has_delta = true;
	}
	va_start(ap, fmt);
	kp_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r->text = b.data ? kp_buf_detach(&b) : kp_xstrdup("");
	r->what = kp_xstrdup(what ? what : "");
	return r;
}

void kp_eng_cite(kp_reason *r, const kp_fact *f)
{
	if (!r)
		return;
	r->facts = kp_xrealloc(r->facts, (r->nfacts + 1) * sizeof(*r->facts));
	kp_fact_copy(&r->facts[r->nfacts++], f);
}


/* Numbers for messages: a ring of buffers, so one printf may format
 * several (thread-local: the engine keeps no shared state). */
static _Thread_local char ring[16][32];
static _Thread_local unsigned ring_next;

const char *kp_eng_fmtn(kp_num v)
{
	return kp_num_str(v, ring[ring_next++ % 16]);
}

/* Exact: "2.5", or "4/3" when the decimal does not terminate. */
const char *kp_eng_fmtq(kp_num v)
{
	int64_t d = v.d;
	while (d % 2 == 0)
		d /= 2;
	while (d % 5 == 0)
		d /= 5;
	if (d == 1)
		return kp_eng_fmtn(v);
	char *b = ring[ring_next++ % 16];
	snprintf(b, 32, "%lld/%lld", (long long)v.n, (long long)v.d);
	return b;
}

const char *kp_eng_fmt2(kp_num v)
{
	return kp_num_fmt2(v, ring[ring_next++ % 16]);
}

