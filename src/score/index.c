/* score/index.c — a table indexed once for scoring many units
 * (kp_scorer): nodes by code, by path and by address, parents and
 * children as indices, and the maxima when every node applies.  See
 * score.h and engine.h. */
#include "score/engine.h"

static int spelling_cmp(const void *a, const void *b)
{
	return strcmp(((const spelling *)a)->s, ((const spelling *)b)->s);
}

/* Sorting: equal spellings in table order, so a look-up can take the
 * first node, as kp_table_find does. */
static int spelling_order(const void *a, const void *b)
{
	const spelling *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static int byptr_cmp(const void *a, const void *b)
{
	uintptr_t x = ((const byptr *)a)->p, y = ((const byptr *)b)->p;
	return x < y ? -1 : x > y;
}

size_t kp_eng_index_of(const kp_scorer *sc, const kp_node *nd)
{
	byptr key = { (uintptr_t)nd, 0 }, *hit;
	if (!nd || !sc->n)
		return NONE;
	hit = bsearch(&key, sc->ptr, sc->n, sizeof(*sc->ptr), byptr_cmp);
	return hit ? hit->i : NONE;
}

static size_t sc_find(const spelling *v, size_t n, const char *s)
{
	spelling key = { s, 0 };
	const spelling *hit;
	if (!n)
		return NONE;
	hit = bsearch(&key, v, n, sizeof(*v), spelling_cmp);
	if (!hit)
		return NONE;
	while (hit > v && !strcmp(hit[-1].s, s))
		hit--;
	return hit->i;
}

kp_scorer *kp_scorer_new(const kp_table *t)
{
	kp_scorer *sc = kp_xcalloc(1, sizeof(*sc));
	size_t n = t->nnodes, nkids = 0;
	sc->t = t;
	sc->n = n;
	sc->code = kp_xcalloc(n ? n : 1, sizeof(*sc->code));
	sc->path = kp_xcalloc(n ? n : 1, sizeof(*sc->path));
	sc->ptr = kp_xcalloc(n ? n : 1, sizeof(*sc->ptr));
	sc->parent = kp_xcalloc(n ? n : 1, sizeof(size_t));
	sc->kid0 = kp_xcalloc(n + 1, sizeof(size_t));
	sc->root = kp_xcalloc(t->nroots ? t->nroots : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		sc->code[i] = (spelling){ t->nodes[i]->code, i };
		sc->path[i] = (spelling){ t->nodes[i]->path, i };
		sc->ptr[i] = (byptr){ (uintptr_t)t->nodes[i], i };
		sc->kid0[i] = nkids;
		nkids += t->nodes[i]->nchildren;
	}
	sc->kid0[n] = nkids;
	if (n) {
		qsort(sc->code, n, sizeof(*sc->code), spelling_order);
		qsort(sc->path, n, sizeof(*sc->path), spelling_order);
		qsort(sc->ptr, n, sizeof(*sc->ptr), byptr_cmp);
	}
	sc->kid = kp_xcalloc(nkids ? nkids : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const kp_node *nd = t->nodes[i];
		sc->parent[i] = kp_eng_index_of(sc, nd->parent);
		for (size_t c = 0; c < nd->nchildren; c++)
			sc->kid[sc->kid0[i] + c] = kp_eng_index_of(sc, nd->children[c]);
	}
	for (size_t r = 0; r < t->nroots; r++)
		sc->root[r] = kp_eng_index_of(sc, t->roots[r]);
	sc->code_first = kp_xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		sc->code_first[i] = sc_find(sc->code, n, t->nodes[i]->code) == i;
	sc->id = kp_table_id(t);
	sc->title = kp_table_get(t, "title");
	sc->rescale = kp_table_get(t, "rescale");
	sc->pass = kp_table_get(t, "pass");
	sc->above = kp_table_get(t, "bonus_above");
	sc->convert = kp_table_get(t, "convert");
	sc->declared = kp_num_int(0);
	sc->has_declared = kp_table_total(t, &sc->declared);
	{
		/* maxima with every node applicable */
		kp_result r;
		eng g;
		memset(&r, 0, sizeof(r));
		memset(&g, 0, sizeof(g));
		r.nodes = kp_xcalloc(n ? n : 1, sizeof(*r.nodes));
		for (size_t i = 0; i < n; i++)
			r.nodes[i].applies = true;
		g.t = t;
		g.sc = sc;
		g.r = &r;
		kp_eng_maxima(&g);
		if (!g.overflow) {
			sc->max_all = kp_xcalloc(n ? n : 1, sizeof(kp_num));
			for (size_t i = 0; i < n; i++)
				sc->max_all[i] = r.nodes[i].max;
		}
		free(r.nodes);
	}
	return sc;
}

void kp_scorer_free(kp_scorer *sc)
{
	if (!sc)
		return;
	free(sc->code);
	free(sc->path);
	free(sc->ptr);
	free(sc->parent);
	free(sc->kid0);
	free(sc->kid);
	free(sc->root);
	free(sc->code_first);
	free(sc->max_all);
	free(sc);
}

/* Index of the node named by code, else by path, or NONE.  Facts tend to
 * come in table order, so the node after the last one found (or the
 * same) is tried first: one comparison instead of a search. */
/* a == b, for the short codes compared here: a loop, not a call */
static bool same_code(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

size_t kp_eng_lookup(const kp_scorer *sc, const char *ind, size_t hint)
{
	size_t i;
	for (size_t j = hint; j != NONE && j < sc->n && j <= hint + 1; j++)
		if (sc->code_first[j] && same_code(sc->t->nodes[j]->code, ind))
			return j;
	i = sc_find(sc->code, sc->n, ind);
	return i != NONE ? i : sc_find(sc->path, sc->n, ind);
}

const kp_node *kp_scorer_find(const kp_scorer *sc, const char *code_or_path)
{
	size_t i = kp_eng_lookup(sc, code_or_path, NONE);
	return i == NONE ? NULL : sc->t->nodes[i];
}
