/* score/fates.c — which of a unit's facts count: a later batch of the
 * same identity replaces the earlier ones, the latest inspection replaces
 * the earlier inspections, a withdrawn fact counts for nothing.  The one
 * place where facts are superseded (score.h, "Which facts count"). */
#include "score/score_int.h"

#include <stdlib.h>
#include <string.h>

static const char *s0(const char *s)
{
	return s ? s : "";
}

/* Two fields compared; the same string (one unit's facts share their
 * unit's and table's) without reading it. */
static int field_cmp(const char *a, const char *b)
{
	return a == b ? 0 : strcmp(s0(a), s0(b));
}

static int identity_cmp(const kp_fact *a, const kp_fact *b)
{
	int c;
	if ((c = field_cmp(a->unit, b->unit)) ||
	    (c = field_cmp(a->table, b->table)) ||
	    (c = field_cmp(a->indicator, b->indicator)))
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = field_cmp(a->name, b->name)))
		return c;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	return field_cmp(a->period, b->period);
}

bool kp_fact_same_identity(const kp_fact *a, const kp_fact *b)
{
	return identity_cmp(a, b) == 0;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool kp_period_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 4 || !digits(s, 4) || s[0] == '0')
		return false;
	if (n == 4)
		return true;
	if (n == 6 && s[4] == 'H')
		return s[5] == '1' || s[5] == '2';
	if (n == 6 && s[4] == 'Q')
		return s[5] >= '1' && s[5] <= '4';
	if (n == 7 && s[4] == '-' && digits(s + 5, 2)) {
		int m = (s[5] - '0') * 10 + (s[6] - '0');
		return m >= 1 && m <= 12;
	}
	return false;
}

/* A hash of the identity for the table below: of the fields that tell
 * one unit's facts apart (indicator, name, period, kind, source; NULL as
 * "", each string with its terminator so that fields cannot run into
 * one another).  The unit and the table, the same for nearly all of one
 * unit's facts, are left to identity_cmp, which compares every field. */
static uint64_t str_hash(uint64_t h, const char *s)
{
	return kp_hash_fnv1a_str(h, s0(s));
}

static uint64_t identity_hash(const kp_fact *f)
{
	uint64_t h = KP_FNV1A_INIT;
	unsigned char k[2] = { (unsigned char)f->kind, (unsigned char)f->source };
	h = str_hash(h, f->indicator);
	h = str_hash(h, f->name);
	h = str_hash(h, f->period);
	return kp_hash_fnv1a_more(h, k, sizeof(k));
}

/* Is fact a from a later inspection than b?  By inspection number when
 * a fact carries one (a numbered one is later than one without), else by
 * batch (each inspection's facts come as one file). */
static bool later_inspection(const kp_fact *a, const kp_fact *b)
{
	if (a->inspection != b->inspection)
		return a->inspection > b->inspection;
	return a->batch > b->batch;
}

static bool same_inspection(const kp_fact *a, const kp_fact *b)
{
	return a->inspection == b->inspection &&
	       (a->inspection || a->batch == b->batch);
}

void kp_fact_fates(const kp_fact *const *v, size_t n, size_t *by)
{
	size_t *slot, *at, m = 0, cap, latest = KP_FACT_COUNTS;
	uint64_t *hash;
	for (size_t i = 0; i < n; i++) {
		by[i] = v[i]->withdrawn ? KP_FACT_WITHDRAWN : KP_FACT_COUNTS;
		if (!v[i]->withdrawn && v[i]->source == KP_SRC_INSPECT &&
		    (latest == KP_FACT_COUNTS || later_inspection(v[i], v[latest])))
			latest = i;
	}
	/* the latest inspection replaces the earlier ones' facts, whatever
	 * they are about */
	for (size_t i = 0; latest != KP_FACT_COUNTS && i < n; i++)
		if (by[i] == KP_FACT_COUNTS && v[i]->source == KP_SRC_INSPECT &&
		    !same_inspection(v[i], v[latest]))
			by[i] = latest;
	/* each identity's last counting fact, by an open-addressing table
	 * of fact indices (linear probing, at most half full): in index
	 * order, so the entry ends on the identity's latest fact */
	for (size_t i = 0; i < n; i++)
		m += by[i] == KP_FACT_COUNTS;
	if (!m)
		return;
	for (cap = 4; cap < 2 * m; cap *= 2)
		;
	slot = kp_xmalloc(cap * sizeof(*slot));
	hash = kp_xmalloc(cap * sizeof(*hash));
	at = kp_xmalloc(n * sizeof(*at));
	for (size_t k = 0; k < cap; k++)
		slot[k] = KP_FACT_COUNTS;
	for (size_t i = 0; i < n; i++) {
		uint64_t h;
		size_t k;
		if (by[i] != KP_FACT_COUNTS)
			continue;
		h = identity_hash(v[i]);
		for (k = (size_t)h & (cap - 1); slot[k] != KP_FACT_COUNTS;
		     k = (k + 1) & (cap - 1))
			if (hash[k] == h && !identity_cmp(v[slot[k]], v[i]))
				break;
		slot[k] = i;        /* the identity's latest so far */
		hash[k] = h;
		at[i] = k;
	}
	/* the last batch's facts of each identity count */
	for (size_t i = 0; i < n; i++)
		if (by[i] == KP_FACT_COUNTS &&
		    v[i]->batch != v[slot[at[i]]]->batch)
			by[i] = slot[at[i]];
	free(slot);
	free(hash);
	free(at);
}
