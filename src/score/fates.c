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

static int identity_cmp(const kp_fact *a, const kp_fact *b)
{
	int c;
	if ((c = strcmp(s0(a->unit), s0(b->unit))) ||
	    (c = strcmp(s0(a->table), s0(b->table))) ||
	    (c = strcmp(s0(a->indicator), s0(b->indicator))))
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(s0(a->name), s0(b->name))))
		return c;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	return strcmp(s0(a->period), s0(b->period));
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

/* Indices ix[0..n) by identity, then history order (a stable merge
 * sort: no global state, so scorer threads may run it at once). */
static void merge_sort(const kp_fact *const *v, size_t *ix, size_t *tmp,
		       size_t n)
{
	size_t h;
	if (n < 2)
		return;
	h = n / 2;
	merge_sort(v, ix, tmp, h);
	merge_sort(v, ix + h, tmp, n - h);
	for (size_t i = 0, j = h, k = 0; k < n; k++) {
		int c = 0;
		if (i < h && j < n) {
			c = identity_cmp(v[ix[i]], v[ix[j]]);
			if (!c)
				c = ix[i] < ix[j] ? -1 : 1;
		}
		tmp[k] = (j >= n || (i < h && c <= 0)) ? ix[i++] : ix[j++];
	}
	memcpy(ix, tmp, n * sizeof(*ix));
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
	size_t *ix, *tmp, m = 0, latest = KP_FACT_COUNTS;
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
	ix = kp_xmalloc((n ? n : 1) * sizeof(*ix));
	tmp = kp_xmalloc((n ? n : 1) * sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		if (by[i] == KP_FACT_COUNTS)
			ix[m++] = i;
	merge_sort(v, ix, tmp, m);
	/* each run of one identity: the last batch's facts count */
	for (size_t a = 0, b; a < m; a = b) {
		size_t last;
		for (b = a + 1; b < m && !identity_cmp(v[ix[a]], v[ix[b]]); b++)
			;
		last = ix[b - 1];
		for (size_t k = a; k < b; k++)
			if (v[ix[k]]->batch != v[last]->batch)
				by[ix[k]] = last;
	}
	free(ix);
	free(tmp);
}
