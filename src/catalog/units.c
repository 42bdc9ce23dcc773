/* catalog/units.c — the units registry: canonical names, types, aliases.
 * See catalog.h. */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

typedef struct unit {
	char *name;
	char *type;
	char *tags;   /* as written: "、"/"," separated */
} unit;

typedef struct alias {
	char *spelling;
	size_t unit;
} alias;

/* One spelling (a name or an alias) of a unit, for look-ups. */
typedef struct spelling {
	const char *s;
	size_t unit;
	size_t seq;        /* order of appearance: names, then aliases */
	bool alias;
} spelling;

/* Units and aliases in file order, and every spelling sorted (each is
 * unique: a registry with two units or aliases spelt alike is refused),
 * so a look-up is a binary search however many units a province has. */
struct kp_units {
	unit *u;
	size_t n;
	alias *a;
	size_t na;
	spelling *ix;      /* n + na entries, by strcmp */
};

void kp_units_free(kp_units *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++) {
		free(u->u[i].name);
		free(u->u[i].type);
		free(u->u[i].tags);
	}
	for (size_t i = 0; i < u->na; i++)
		free(u->a[i].spelling);
	free(u->u);
	free(u->a);
	free(u->ix);
	free(u);
}

static int spelling_cmp(const void *a, const void *b)
{
	return strcmp(((const spelling *)a)->s, ((const spelling *)b)->s);
}

/* Equal spellings in the order they appeared. */
static int spelling_order(const void *a, const void *b)
{
	const spelling *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static const spelling *find(const kp_units *u, const char *name)
{
	spelling key = { name, 0, 0, false };
	if (!(u->n + u->na))
		return NULL;
	return bsearch(&key, u->ix, u->n + u->na, sizeof(*u->ix), spelling_cmp);
}

const char *kp_units_resolve(const kp_units *u, const char *name)
{
	const spelling *hit = find(u, name);
	return hit ? u->u[hit->unit].name : NULL;
}

const char *kp_units_type(const kp_units *u, const char *canonical)
{
	const spelling *hit = find(u, canonical);
	return hit && !hit->alias ? u->u[hit->unit].type : NULL;
}

const char *kp_units_tags(const kp_units *u, const char *canonical)
{
	const spelling *hit = find(u, canonical);
	return hit && !hit->alias ? u->u[hit->unit].tags : NULL;
}

size_t kp_units_count(const kp_units *u)
{
	return u->n;
}

struct add_ctx {
	kp_units *u;
	size_t unit;
	size_t cap;        /* of u->a */
};

static int add_alias(void *arg, const char *s)
{
	struct add_ctx *c = arg;
	kp_units *u = c->u;
	if (u->na == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		u->a = kp_xrealloc(u->a, c->cap * sizeof(*u->a));
	}
	u->a[u->na].spelling = kp_xstrdup(s);
	u->a[u->na].unit = c->unit;
	u->na++;
	return 0;
}

/*
 * Every spelling must name one unit.  As if the registry were read in
 * order — every name, then each unit's aliases — the first spelling that
 * was already taken is the error: a name spelt like an earlier name, or
 * an alias spelt like any name or an earlier alias.  Found by sorting
 * (seq keeps equal spellings in reading order), not by a scan per unit.
 */
static int check_unique(const kp_table *t, const kp_units *u, kp_err *e)
{
	size_t n = u->n + u->na, bad = n, owner = 0;
	for (size_t k = 1; k < n; k++) {
		const spelling *first = &u->ix[k - 1], *x = &u->ix[k];
		if (strcmp(first->s, x->s))
			continue;
		/* x repeats the group's first spelling */
		while (first > u->ix && !strcmp(first[-1].s, x->s))
			first--;
		if (x->seq < bad) {
			bad = x->seq;
			owner = first->unit;
		}
	}
	if (bad == n)
		return 0;
	if (bad < u->n)
		return kp_fail_at(e, KP_EINPUT, t->file, t->recs[bad].line,
				  "单位“%s”重复（已是“%s”的名称或别名）",
				  u->u[bad].name, u->u[owner].name);
	return kp_fail_at(e, KP_EINPUT, t->file,
			  t->recs[u->a[bad - u->n].unit].line,
			  "别名“%s”已属于单位“%s”", u->a[bad - u->n].spelling,
			  u->u[owner].name);
}

int kp_units_from_table(const kp_table *t, kp_units **out, kp_err *e)
{
	kp_units *u;
	struct add_ctx c = { NULL, 0, 0 };
	size_t n;
	*out = NULL;
	if (t->kind != KP_KIND_UNITS)
		return kp_fail(e, KP_EINPUT, "%s: 不是单位名录（kind 应为 units）",
			       t->file);
	u = c.u = kp_xcalloc(1, sizeof(*u));
	u->u = kp_xcalloc(t->nrecs ? t->nrecs : 1, sizeof(*u->u));
	for (size_t r = 0; r < t->nrecs; r++) {
		u->u[r].name = kp_xstrdup(kp_record_cell(t, r, "name"));
		u->u[r].type = kp_xstrdup(kp_record_cell(t, r, "type"));
		u->u[r].tags = kp_xstrdup(kp_record_cell(t, r, "tags"));
	}
	u->n = t->nrecs;
	for (size_t r = 0; r < t->nrecs; r++) {
		c.unit = r;
		kp_list_each(kp_record_cell(t, r, "aliases"), add_alias, &c);
	}
	n = u->n + u->na;
	u->ix = kp_xcalloc(n ? n : 1, sizeof(*u->ix));
	for (size_t i = 0; i < u->n; i++)
		u->ix[i] = (spelling){ u->u[i].name, i, i, false };
	for (size_t k = 0; k < u->na; k++)
		u->ix[u->n + k] = (spelling){ u->a[k].spelling, u->a[k].unit,
					      u->n + k, true };
	if (n)
		qsort(u->ix, n, sizeof(*u->ix), spelling_order);
	if (check_unique(t, u, e) < 0) {
		kp_units_free(u);
		return -1;
	}
	*out = u;
	return 0;
}

int kp_units_open(const char *id, kp_units **out, kp_err *e)
{
	kp_table *t;
	int rc;
	*out = NULL;
	if (kp_table_open(id, &t, e) < 0)
		return -1;
	rc = kp_units_from_table(t, out, e);
	kp_table_free(t);
	return rc;
}
