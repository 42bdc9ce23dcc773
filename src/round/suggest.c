/* round/suggest.c — forgiving where it is unambiguous, exact where it is
 * not: the closest spellings of an unknown unit or indicator for the
 * message ("您是不是指 市民政局？"), an indicator given by its last-level
 * name alone when that is unique in the unit's tables, and the registry
 * unit that is not in the round told apart from a name no one knows. */
#include "round/round_int.h"

#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX_CP 64   /* longer names are compared on their start */
#define SUGGEST_SHOWN 3

/* s as code points (at most SUGGEST_MAX_CP); returns how many. */
static size_t code_points(const char *s, uint32_t *cp)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n < SUGGEST_MAX_CP) {
		uint32_t c = *p;
		int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
		p++;
		for (; more > 0 && (*p & 0xC0) == 0x80; more--, p++)
			c = (c << 6) | (*p & 0x3F);
		cp[n++] = c;
	}
	return n;
}

/* Edit distance (insert, delete, replace one character) of a and b. */
static size_t distance(const char *a, const char *b)
{
	uint32_t x[SUGGEST_MAX_CP], y[SUGGEST_MAX_CP];
	size_t row[SUGGEST_MAX_CP + 1];
	size_t n = code_points(a, x), m = code_points(b, y);
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j], best = diag + (x[i - 1] != y[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[m];
}

/* The few candidates nearest to want, kept in order of distance. */
struct near {
	const char *want;
	size_t wlen;                    /* code points */
	const char *best[SUGGEST_SHOWN];
	size_t dist[SUGGEST_SHOWN];
	size_t n;
};

static void near_init(struct near *nr, const char *want)
{
	uint32_t cp[SUGGEST_MAX_CP];
	memset(nr, 0, sizeof(*nr));
	nr->want = want;
	nr->wlen = code_points(want, cp);
}

/* Consider candidate c (borrowed; must outlive nr): near enough when a
 * third of the longer name at most differs, or one contains the other. */
static void near_add(struct near *nr, const char *c)
{
	uint32_t cp[SUGGEST_MAX_CP];
	size_t clen = code_points(c, cp), d, lim, k;
	if (!*c || !strcmp(c, nr->want))
		return;
	for (k = 0; k < nr->n; k++)
		if (!strcmp(nr->best[k], c))
			return;
	d = distance(nr->want, c);
	lim = (clen > nr->wlen ? clen : nr->wlen) / 3;
	if (lim < 1)
		lim = 1;
	if (*nr->want && (strstr(c, nr->want) || strstr(nr->want, c)) &&
	    d > lim)
		d = lim;   /* 民政局 for 市民政局: as near as a typo */
	if (d > lim)
		return;
	for (k = nr->n; k > 0 && nr->dist[k - 1] > d; k--)
		if (k < SUGGEST_SHOWN) {
			nr->best[k] = nr->best[k - 1];
			nr->dist[k] = nr->dist[k - 1];
		}
	if (k >= SUGGEST_SHOWN)
		return;
	nr->best[k] = c;
	nr->dist[k] = d;
	if (nr->n < SUGGEST_SHOWN)
		nr->n++;
}

/* "您是不是指 甲、乙？" into out, nothing when no candidate is near. */
static void near_say(const struct near *nr, kp_buf *out)
{
	if (!nr->n)
		return;
	kp_buf_adds(out, "您是不是指 ");
	for (size_t k = 0; k < nr->n; k++)
		kp_buf_addf(out, "%s%s", k ? "、" : "", nr->best[k]);
	kp_buf_adds(out, "？");
}

void kp_rnd_suggest_unit(const kp_rnd *v, const char *want, kp_buf *out)
{
	struct near nr;
	near_init(&nr, want);
	for (size_t i = 0; i < v->nunits; i++)
		near_add(&nr, v->names[i]);
	for (size_t i = 0; i < v->nsp; i++)
		near_add(&nr, v->sp[i].s);
	near_say(&nr, out);
}

void kp_rnd_suggest_indicator(const kp_rnd *v, size_t unit, const char *want,
			      kp_buf *out)
{
	struct near nr;
	near_init(&nr, want);
	for (size_t k = 0; k < v->ntables; k++) {
		if (!kp_rnd_on_table(v, unit, k))
			continue;
		for (size_t i = 0; i < v->tables[k]->nnodes; i++) {
			const kp_node *nd = v->tables[k]->nodes[i];
			near_add(&nr, nd->path);
			near_add(&nr, nd->name);
		}
	}
	near_say(&nr, out);
}

int kp_rnd_indicator_by_name(const kp_rnd *v, size_t unit, const char *name,
			     const kp_node **nd, size_t *table, kp_err *e)
{
	size_t hits = 0;
	kp_buf where = KP_BUF_INIT;
	*nd = NULL;
	for (size_t k = 0; k < v->ntables; k++) {
		if (!kp_rnd_on_table(v, unit, k))
			continue;
		for (size_t i = 0; i < v->tables[k]->nnodes; i++) {
			const kp_node *n = v->tables[k]->nodes[i];
			if (strcmp(n->name, name))
				continue;
			if (hits < 4)
				kp_buf_addf(&where, "%s%s %s", hits ? "、" : "",
					    n->code, n->path);
			if (!hits++) {
				*nd = n;
				*table = k;
			}
		}
	}
	if (hits > 1) {
		kp_fail(e, KP_EINPUT,
			"指标名称“%s”在本单位的表中有 %zu 处（%s%s），请写编号或完整路径",
			name, hits, where.data, hits > 4 ? "……" : "");
		kp_buf_release(&where);
		*nd = NULL;
		return -1;
	}
	kp_buf_release(&where);
	return hits ? 1 : 0;
}
