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

/* A collective phrase (#meta,group,写法=成员): the units it stands for,
 * none for an indefinite one such as 相关部门. */
typedef struct group {
	char *phrase;
	size_t *members;   /* indices into u, registry order */
	size_t n;
} group;

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
	group *g;
	size_t ng;
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
	for (size_t i = 0; i < u->ng; i++) {
		free(u->g[i].phrase);
		free(u->g[i].members);
	}
	free(u->u);
	free(u->a);
	free(u->g);
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

static const group *group_find(const kp_units *u, const char *phrase)
{
	for (size_t i = 0; i < u->ng; i++)
		if (!strcmp(u->g[i].phrase, phrase))
			return &u->g[i];
	return NULL;
}

/* kp_units_expand without the checks; fn NULL: a dry run. */
static int expand(const kp_units *u, const char *w,
		  void (*fn)(void *, const char *), void *arg,
		  bool *indefinite)
{
	const char *canon = kp_units_resolve(u, w);
	const group *g;
	const char *deng = "等";
	size_t dl = strlen(deng);
	if (canon) {
		if (fn)
			fn(arg, canon);
		return 1;
	}
	if ((g = group_find(u, w)) != NULL) {
		if (fn)
			for (size_t i = 0; i < g->n; i++)
				fn(arg, u->u[g->members[i]].name);
		if (!g->n && indefinite)
			*indefinite = true;
		return (int)g->n;
	}
	/* "X等Y": X and what Y stands for (nothing named when Y is empty) */
	for (const char *p = strstr(w, deng); p; p = strstr(p + dl, deng)) {
		char *x;
		int nx, ny = 0;
		bool indef = false;
		if (p == w)
			continue;
		x = kp_xstrdup(w);
		x[p - w] = '\0';
		nx = expand(u, x, NULL, NULL, &indef);
		if (nx >= 0 && p[dl])
			ny = expand(u, p + dl, NULL, NULL, &indef);
		else if (nx >= 0)
			indef = true;
		if (nx < 0 || ny < 0) {
			free(x);
			continue;
		}
		if (fn) {
			expand(u, x, fn, arg, NULL);
			if (p[dl])
				expand(u, p + dl, fn, arg, NULL);
		}
		free(x);
		if (indef && indefinite)
			*indefinite = true;
		return nx + ny;
	}
	return -1;
}

int kp_units_expand(const kp_units *u, const char *written,
		    void (*fn)(void *arg, const char *canonical), void *arg,
		    bool *indefinite)
{
	if (indefinite)
		*indefinite = false;
	if (expand(u, written, NULL, NULL, indefinite) < 0)
		return -1;
	return expand(u, written, fn, arg, NULL);
}

/* One #meta,group value "写法=类型或单位、…" into u->g. */
static int add_group(kp_units *u, const kp_table *t, const kp_meta *m,
		     kp_err *e)
{
	const char *eq = strchr(m->value, '=');
	char *phrase, *list, *cur, *item;
	group g = { NULL, NULL, 0 };
	phrase = kp_xstrdup(m->value);
	phrase[eq - m->value] = '\0';
	item = kp_trim(phrase);
	if (kp_units_resolve(u, item) || group_find(u, item)) {
		kp_fail_at(e, KP_EINPUT, t->file, m->line,
			   "集合“%s”与名录中的单位或另一个集合同名", item);
		free(phrase);
		return -1;
	}
	g.phrase = kp_xstrdup(item);
	free(phrase);
	list = kp_xstrdup(eq + 1);
	cur = list;
	while ((item = kp_list_next(&cur)) != NULL) {
		bool typed = false;
		for (size_t i = 0; i < u->n; i++)
			if (!strcmp(u->u[i].type, item)) {
				g.members = kp_xrealloc(g.members, (g.n + 1) *
								   sizeof(size_t));
				g.members[g.n++] = i;
				typed = true;
			}
		if (!typed) {
			const char *c = kp_units_resolve(u, item);
			size_t i;
			if (!c) {
				kp_fail_at(e, KP_EINPUT, t->file, m->line,
					   "集合“%s”的成员“%s”在名录中既不是单位类型，也不是单位",
					   g.phrase, item);
				free(list);
				free(g.phrase);
				free(g.members);
				return -1;
			}
			for (i = 0; strcmp(u->u[i].name, c); i++)
				;
			g.members = kp_xrealloc(g.members,
						(g.n + 1) * sizeof(size_t));
			g.members[g.n++] = i;
		}
	}
	free(list);
	u->g = kp_xrealloc(u->g, (u->ng + 1) * sizeof(*u->g));
	u->g[u->ng++] = g;
	return 0;
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
	if (check_unique(t, u, e) < 0)
		goto fail;
	for (size_t i = 0; i < t->nmeta; i++)
		if (!strcmp(t->meta[i].key, "group") &&
		    add_group(u, t, &t->meta[i], e) < 0)
			goto fail;
	*out = u;
	return 0;
fail:
	kp_units_free(u);
	return -1;
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

/* ---- selection (the applies syntax) ----------------------------------- */

struct match {
	const kp_units *u;
	const char *canon, *type, *tags;
	bool any_pos, pos_hit, neg_hit;
};

static int tag_is(void *arg, const char *s)
{
	return !strcmp(arg, s);
}

static bool names(const struct match *m, const char *s)
{
	const char *res = kp_units_resolve(m->u, s);
	if (!strcmp(s, m->canon) || (res && !strcmp(res, m->canon)))
		return true;
	if (m->type && !strcmp(m->type, s))
		return true;
	return m->tags && kp_list_each(m->tags, tag_is, (void *)s) != 0;
}

static int match_item(void *arg, const char *s)
{
	struct match *m = arg;
	if (*s == '!') {
		if (names(m, s + 1))
			m->neg_hit = true;
	} else {
		m->any_pos = true;
		if (names(m, s))
			m->pos_hit = true;
	}
	return 0;
}

bool kp_units_match(const kp_units *u, const char *canonical,
		    const char *list)
{
	struct match m = { u, canonical, kp_units_type(u, canonical),
			   kp_units_tags(u, canonical), false, false, false };
	if (!list || !*list)
		return true;
	kp_list_each(list, match_item, &m);
	return !m.neg_hit && (!m.any_pos || m.pos_hit);
}
