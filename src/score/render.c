/* score/render.c — a result as JSON and as a Chinese explanation, and
 * ranking.  See score.h. */
#include "score/score_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ------------------------------------------------------------ */

/* Numbers are JSON numbers (base's kp_num_json, the one place a kp_num
 * becomes JSON): 30, 7.5, 26.67. */
#define jnum kp_num_json

static json_t *jfact(const kp_fact *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "unit", json_string(f->unit));
	if (f->table && *f->table)
		json_object_set_new(o, "table", json_string(f->table));
	json_object_set_new(o, "indicator", json_string(f->indicator));
	json_object_set_new(o, "kind", json_string(kp_fact_kind_name(f->kind)));
	if (*f->name)
		json_object_set_new(o, "name", json_string(f->name));
	if (f->has_value)
		json_object_set_new(o, "value", jnum(f->value));
	json_object_set_new(o, "source", json_string(kp_source_name(f->source)));
	json_object_set_new(o, "author", json_string(f->author));
	json_object_set_new(o, "time", json_string(f->time));
	json_object_set_new(o, "url", json_string(f->url));
	json_object_set_new(o, "note", json_string(f->note));
	if (f->line)
		json_object_set_new(o, "line", json_integer((json_int_t)f->line));
	return o;
}

static json_t *jreasons(const kp_reason *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object(), *fa = json_array();
		json_object_set_new(o, "delta", v[i].has_delta ?
					 jnum(v[i].delta) : json_null());
		json_object_set_new(o, "text", json_string(v[i].text));
		json_object_set_new(o, "what", json_string(v[i].what));
		for (size_t k = 0; k < v[i].nfacts; k++)
			json_array_append_new(fa, jfact(&v[i].facts[k]));
		json_object_set_new(o, "facts", fa);
		json_array_append_new(a, o);
	}
	return a;
}

json_t *kp_result_json(const kp_result *r)
{
	json_t *o = json_object(), *nodes = json_array();
	json_object_set_new(o, "unit", json_string(r->unit));
	json_object_set_new(o, "unit_type", json_string(r->unit_type));
	json_object_set_new(o, "table", json_string(r->table_id));
	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "max", jnum(r->max));
	json_object_set_new(o, "base", jnum(r->base));
	json_object_set_new(o, "bonus", jnum(r->bonus));
	json_object_set_new(o, "total", jnum(r->total));
	json_object_set_new(o, "self_total",
			    r->has_self ? jnum(r->self_total) : json_null());
	json_object_set_new(o, "vetoed", json_boolean(r->vetoed));
	{
		const kp_node *vn = kp_result_veto_node(r);
		json_object_set_new(o, "veto", vn ? json_string(vn->code) : json_null());
	}
	json_object_set_new(o, "complete", json_boolean(r->pending == 0));
	json_object_set_new(o, "pending", json_integer((json_int_t)r->pending));
	json_object_set_new(o, "outcome", json_string(r->outcome));
	json_object_set_new(o, "convert", r->has_convert ?
				 json_string(r->convert) : json_null());
	json_object_set_new(o, "converted", r->has_convert ?
				 jnum(r->converted) : json_null());
	json_object_set_new(o, "reasons", jreasons(r->reasons, r->nreasons));
	for (size_t i = 0; i < r->nnodes; i++) {
		const kp_rnode *rn = &r->nodes[i];
		json_t *n = json_object();
		json_object_set_new(n, "code", json_string(rn->node->code));
		json_object_set_new(n, "path", json_string(rn->node->path));
		json_object_set_new(n, "level", json_integer(rn->node->level));
		json_object_set_new(n, "rule",
				    json_string(kp_rule_name(rn->node->rule)));
		json_object_set_new(n, "max", jnum(rn->max));
		json_object_set_new(n, "applies", json_boolean(rn->applies));
		json_object_set_new(n, "self", rn->has_self ? jnum(rn->self) :
							      json_null());
		json_object_set_new(n, "assessor", rn->has_assessor ?
						   jnum(rn->assessor) :
						   json_null());
		json_object_set_new(n, "score", jnum(rn->score));
		json_object_set_new(n, "pending", json_boolean(rn->pending));
		json_object_set_new(n, "status", json_string(
			!rn->applies ? "na" : rn->pending ? "pending" : "scored"));
		json_object_set_new(n, "vetoed", json_boolean(rn->vetoed));
		json_object_set_new(n, "reasons",
				    jreasons(rn->reasons, rn->nreasons));
		json_array_append_new(nodes, n);
	}
	json_object_set_new(o, "nodes", nodes);
	return o;
}

/* ---- explanation ----------------------------------------------------- */

static void add_provenance(kp_buf *b, const kp_fact *f)
{
	const char *colon = strchr(f->indicator, ':');
	if (colon) /* an item of a checklist table: say which */
		kp_buf_addf(b, "%s %s：", colon + 1,
			    f->kind == KP_FACT_SCORE && f->value.n > 0 ? "满足" :
									 "不满足");
	kp_buf_adds(b, kp_source_label(f->source));
	if (*f->author)
		kp_buf_addf(b, " %s", f->author);
	if (*f->time)
		kp_buf_addf(b, " %s", f->time);
	if (*f->url || *f->note) {
		kp_buf_adds(b, "；证据");
		if (*f->url)
			kp_buf_addf(b, " %s", f->url);
		if (*f->note)
			kp_buf_addf(b, " %s", f->note);
	}
}

static void add_reason(kp_buf *b, const kp_reason *rs)
{
	bool paren = *rs->what || rs->nfacts;
	kp_buf_adds(b, rs->text);
	if (!paren)
		return;
	kp_buf_adds(b, "（");
	if (*rs->what)
		kp_buf_adds(b, rs->what);
	for (size_t k = 0; k < rs->nfacts; k++) {
		if (*rs->what || k)
			kp_buf_adds(b, "；");
		add_provenance(b, &rs->facts[k]);
	}
	kp_buf_adds(b, "）");
}

int kp_result_explain(const kp_result *r, kp_buf *out)
{
	char s1[32], s2[32], s3[32];
	kp_buf_addf(out, "%s（%s）\n单位：%s%s%s%s\n", r->title, r->table_id,
		    r->unit, *r->unit_type ? "（" : "", r->unit_type,
		    *r->unit_type ? "）" : "");
	for (size_t i = 0; i < r->nnodes; i++) {
		const kp_rnode *rn = &r->nodes[i];
		const kp_node *nd = rn->node;
		for (int l = 1; l < nd->level; l++)
			kp_buf_adds(out, "  ");
		kp_buf_addf(out, "%s %s", nd->code, nd->name);
		if (rn->applies && nd->rule != KP_RULE_MINUS &&
		    nd->rule != KP_RULE_VETO && nd->rule != KP_RULE_ITEM &&
		    (nd->has_points || !kp_num_is_zero(rn->max)))
			kp_buf_adds(out, " ");
		if (!rn->applies)
			kp_buf_adds(out, "（不适用）");
		else if (nd->rule == KP_RULE_MINUS)
			kp_buf_addf(out, "（扣分项）→ %s",
				    kp_num_str(rn->score, s1));
		else if (nd->rule == KP_RULE_VETO)
			kp_buf_adds(out, "（一票否决项）");
		else if (nd->rule == KP_RULE_ITEM ||
			 (!nd->has_points && kp_num_is_zero(rn->max)))
			kp_buf_adds(out, "（不计分）");
		else
			kp_buf_addf(out, "%s → %s", kp_num_str(rn->max, s1),
				    kp_num_str(rn->score, s2));
		if (rn->has_self)
			kp_buf_addf(out, "（自评 %s）", kp_num_str(rn->self, s1));
		kp_buf_adds(out, "：");
		for (size_t k = 0; k < rn->nreasons; k++) {
			if (k)
				kp_buf_adds(out, "；");
			add_reason(out, &rn->reasons[k]);
		}
		kp_buf_adds(out, "\n");
	}
	kp_buf_addf(out, "合计 %s → %s", kp_num_str(r->max, s1),
		    kp_num_str(r->total, s2));
	if (r->has_self)
		kp_buf_addf(out, "（自评 %s）", kp_num_str(r->self_total, s3));
	if (*r->outcome)
		kp_buf_addf(out, "，%s", r->outcome);
	if (r->has_convert)
		kp_buf_addf(out, "；折算%s %s分",
			    !strncmp(r->convert, "deduct:", 7) ? "扣" : "得",
			    kp_num_fmt2(r->converted, s1));
	kp_buf_adds(out, "\n");
	for (size_t k = 0; k < r->nreasons; k++) {
		kp_buf_adds(out, "  ");
		add_reason(out, &r->reasons[k]);
		kp_buf_adds(out, "\n");
	}
	return out->len >= (out->max ? out->max : KP_BUF_DEFAULT_MAX) ? -1 : 0;
}

/* ---- ranking --------------------------------------------------------- */

/* Bottom-up merge sort of order[0, n) by v[], highest first, through
 * tmp (n entries); equal totals keep their order (stable), so ties stay
 * in input order. */
static void rank_sort(const kp_num *v, size_t *order, size_t *tmp, size_t n)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = kp_num_cmp(v[order[j]], v[order[i]]) > 0
						   ? order[j++] : order[i++];
			while (i < mid)
				tmp[k++] = order[i++];
			while (j < hi)
				tmp[k++] = order[j++];
		}
		memcpy(order, tmp, n * sizeof(*order));
	}
}

void kp_rank_totals(const kp_num *totals, size_t n, size_t *order,
		    size_t *rank)
{
	size_t *tmp = kp_xmalloc((n ? n : 1) * sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	rank_sort(totals, order, tmp, n);
	free(tmp);
	for (size_t i = 0; i < n; i++)
		rank[order[i]] = i > 0 && kp_num_cmp(totals[order[i]],
						     totals[order[i - 1]]) == 0
					 ? rank[order[i - 1]] : i + 1;
}

void kp_rank(const kp_result *const *rs, size_t n, size_t *order,
	     size_t *rank)
{
	kp_num *v = kp_xmalloc((n ? n : 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = rs[i]->total;
	kp_rank_totals(v, n, order, rank);
	free(v);
}
