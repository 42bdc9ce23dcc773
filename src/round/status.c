/* round/status.c — what each unit of a round still lacks: its pending
 * nodes (未评), each put down to the source expected to settle it — an
 * inspection when the facts map's checks cover the node, the ledger for
 * a tiered node (its quantities come from the 台账), else the assessor —
 * and a table it has no self-assessment (自评) on.  Scored now on the
 * unit's facts, as `eval show` does. */
#include "round/round_int.h"
#include "inspect/inspect.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const lack_keys[KP_SRC_COUNT] = {
	[KP_SRC_SELF] = "self", [KP_SRC_ASSESSOR] = "assessor",
	[KP_SRC_INSPECT] = "inspection", [KP_SRC_LEDGER] = "ledger",
};

/* The codes an inspection covers, per table. */
struct covers {
	char **codes[KP_SCHEME_MAX_TABLES];
	size_t n[KP_SCHEME_MAX_TABLES];
};

static bool covered(const struct covers *cv, size_t k, const kp_node *nd)
{
	for (const kp_node *p = nd; p; p = p->parent)
		for (size_t i = 0; i < cv->n[k]; i++)
			if (!strcmp(cv->codes[k][i], p->code))
				return true;
	return false;
}

static void lack_add(kp_rnd_unit_status *us, kp_source src, const char *label,
		     const kp_node *nd)
{
	kp_rnd_lack *l;
	us->lacks = kp_xrealloc(us->lacks, (us->nlacks + 1) * sizeof(*us->lacks));
	l = &us->lacks[us->nlacks++];
	l->source = src;
	l->table = kp_xstrdup(label);
	l->code = kp_xstrdup(nd ? nd->code : "");
	l->name = kp_xstrdup(nd ? nd->path : "");
}

/* Is node i of r pending with no pending applicable child? */
static bool lowest_pending(const kp_result *r, size_t i)
{
	const kp_rnode *rn = &r->nodes[i];
	if (!rn->applies || !rn->pending)
		return false;
	for (size_t c = 0; c < rn->node->nchildren; c++)
		for (size_t j = i + 1; j < r->nnodes; j++)
			if (r->nodes[j].node == rn->node->children[c]) {
				if (r->nodes[j].applies && r->nodes[j].pending)
					return false;
				break;
			}
	return true;
}

static int unit_status(kp_rnd *v, size_t u, const struct covers *cv,
		       kp_rnd_unit_status *us, kp_err *e)
{
	kp_rnd_sheet s;
	memset(us, 0, sizeof(*us));
	us->unit = kp_xstrdup(v->names[u]);
	us->type = kp_xstrdup(v->types[u]);
	if (kp_rnd_sheet_get(v, v->names[u], 0, &s, e) < 0)
		return -1;
	for (size_t k = 0; k < v->ntables; k++) {
		const kp_result *r = s.res[k];
		const char *label = v->ntables > 1 ? v->round.tables[k].label : "";
		if (!r)
			continue;
		if (!*label)
			label = r->title;
		us->pending += r->pending;
		if (!r->has_self)
			lack_add(us, KP_SRC_SELF, label, NULL);
		if (!r->pending)   /* complete (or a veto decided it) */
			continue;
		for (size_t i = 0; i < r->nnodes; i++) {
			const kp_node *nd = r->nodes[i].node;
			if (!lowest_pending(r, i))
				continue;
			lack_add(us, covered(cv, k, nd) ? KP_SRC_INSPECT
				     : nd->rule == KP_RULE_TIERED ? KP_SRC_LEDGER
				     : KP_SRC_ASSESSOR, label, nd);
		}
	}
	kp_rnd_sheet_release(&s);
	return 0;
}

int kp_rnd_status_get(kp_rnd *v, const char *unit, kp_rnd_status *out,
		      kp_err *e)
{
	struct covers cv;
	long one = -1;
	int ret = -1;
	memset(out, 0, sizeof(*out));
	memset(&cv, 0, sizeof(cv));
	if (unit && (one = kp_rnd_find_unit(v, unit)) < 0)
		return kp_fail(e, KP_RND_ENOTFOUND, "单位“%s”不在轮次“%s”中", unit,
			       v->round.name);
	for (size_t k = 0; k < v->ntables; k++)
		if (kp_inspect_map_covers(v->tables[k], NULL, &cv.codes[k], &cv.n[k],
					  e) < 0)
			goto out;
	out->v = kp_xcalloc(v->nunits + 1, sizeof(*out->v));
	for (size_t u = 0; u < v->nunits; u++) {
		if (one >= 0 && (size_t)one != u)
			continue;
		if (unit_status(v, u, &cv, &out->v[out->n++], e) < 0)
			goto out;
		if (out->v[out->n - 1].pending)
			out->nincomplete++;
	}
	ret = 0;
out:
	for (size_t k = 0; k < KP_SCHEME_MAX_TABLES; k++) {
		for (size_t i = 0; i < cv.n[k]; i++)
			free(cv.codes[k][i]);
		free(cv.codes[k]);
	}
	if (ret < 0)
		kp_rnd_status_release(out);
	return ret;
}

void kp_rnd_status_release(kp_rnd_status *st)
{
	for (size_t i = 0; i < st->n; i++) {
		kp_rnd_unit_status *us = &st->v[i];
		for (size_t l = 0; l < us->nlacks; l++) {
			free(us->lacks[l].table);
			free(us->lacks[l].code);
			free(us->lacks[l].name);
		}
		free(us->lacks);
		free(us->unit);
		free(us->type);
	}
	free(st->v);
	memset(st, 0, sizeof(*st));
}

const char *kp_rnd_lack_key(kp_source s)
{
	return (unsigned)s < KP_SRC_COUNT ? lack_keys[s] : "?";
}

json_t *kp_rnd_status_json(const kp_rnd *v, const kp_rnd_status *st)
{
	json_t *o = json_object(), *arr = json_array();
	for (size_t i = 0; i < st->n; i++) {
		const kp_rnd_unit_status *us = &st->v[i];
		json_t *u = json_object(), *lacks = json_object();
		for (int s = 0; s < KP_SRC_COUNT; s++) {
			json_t *a = json_array();
			for (size_t l = 0; l < us->nlacks; l++) {
				json_t *x;
				if (us->lacks[l].source != (kp_source)s)
					continue;
				x = json_object();
				json_object_set_new(x, "table", json_string(us->lacks[l].table));
				if (s != KP_SRC_SELF) {
					json_object_set_new(x, "code", json_string(us->lacks[l].code));
					json_object_set_new(x, "path", json_string(us->lacks[l].name));
				}
				json_array_append_new(a, x);
			}
			json_object_set_new(lacks, lack_keys[s], a);
		}
		json_object_set_new(u, "unit", json_string(us->unit));
		json_object_set_new(u, "unit_type", json_string(us->type));
		json_object_set_new(u, "complete", json_boolean(us->pending == 0));
		json_object_set_new(u, "pending", json_integer((json_int_t)us->pending));
		json_object_set_new(u, "lacks", lacks);
		json_array_append_new(arr, u);
	}
	json_object_set_new(o, "round", json_string(v->round.name));
	json_object_set_new(o, "units", json_integer((json_int_t)st->n));
	json_object_set_new(o, "incomplete", json_integer((json_int_t)st->nincomplete));
	json_object_set_new(o, "status", arr);
	return o;
}
