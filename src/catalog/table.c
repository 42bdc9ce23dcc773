/* catalog/table.c — a loaded table: the name tables of the format (table
 * kinds and their columns, meta keys, combine rules), freeing, look-ups.
 * Parsing is parse.c's, writing write.c's.  See docs/table-format.md for
 * the format and catalog.h for contracts. */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- registries ------------------------------------------------------ */

const char *const kp_ind_cols[KP_N_IND_COLS] = {
	"code", "path", "points", "rule", "params",
	"applies", "units", "check", "content", "criteria", "report", "note",
	"quirk",
};

const kp_kind_def kp_kinds[KP_N_KINDS] = {
	[KP_KIND_INDICATORS] = { "indicators", { NULL }, { NULL } },
	[KP_KIND_QUOTA] = { "quota",
			    { "*unit", "*group", "*city", "*province", "note",
			      "quirk", NULL },
			    { "city", "province", NULL } },
	[KP_KIND_SCHEDULE] = { "schedule",
			       { "*code", "level", "*publication", "per",
				 "*points", "*kind", "bonus_of", "content",
				 "note", NULL },
			       { "points", NULL } },
	[KP_KIND_UNITS] = { "units",
			    { "*name", "*type", "aliases", "tags", "website",
			      "note", NULL },
			    { NULL } },
	[KP_KIND_SCHEME] = { "scheme",
			     { "*table", "*label", "applies", "weight", "note",
			       NULL },
			     { "weight", NULL } },
};

const char *const kp_meta_keys[] = {
	"format", "kind", "id", "title", "issuer", "docno", "year", "source",
	"total", "convert", "pass", "grades", "bonus_above", "rescale", "feeds",
	"note",
	"known", "registry", "group", "combine", "confirm", "confirmed", "scope",
	"assess",
	NULL
};

const char *kp_kind_name(kp_table_kind k)
{
	return k < KP_N_KINDS ? kp_kinds[k].name : "?";
}

const char *kp_kind_label(kp_table_kind k)
{
	static const char *const zh[] = { "指标表", "任务分配表", "计分标准",
					  "单位名录", "考评方案" };
	return k < KP_N_KINDS ? zh[k] : "?";
}

static const char *const combine_names[] = {
	[KP_COMBINE_NONE] = "",
	[KP_COMBINE_SUM] = "sum",
	[KP_COMBINE_WEIGHTED] = "weighted",
};

static const char *const combine_zh[] = {
	[KP_COMBINE_NONE] = "",
	[KP_COMBINE_SUM] = "相加",
	[KP_COMBINE_WEIGHTED] = "加权平均",
};

const char *kp_combine_rule_zh(const char *name)
{
	kp_combine_rule r;
	if (kp_combine_rule_parse(name, &r) < 0)
		return name ? name : "";
	return combine_zh[r];
}

int kp_combine_rule_parse(const char *s, kp_combine_rule *out)
{
	for (size_t k = KP_COMBINE_SUM; k <= KP_COMBINE_WEIGHTED; k++)
		if (s && !strcmp(s, combine_names[k])) {
			if (out)
				*out = (kp_combine_rule)k;
			return 0;
		}
	return -1;
}

const char *kp_combine_rule_name(kp_combine_rule r)
{
	return r <= KP_COMBINE_WEIGHTED ? combine_names[r] : "";
}

/* ---- freeing --------------------------------------------------------- */

void kp_node_free(kp_node *n)
{
	free(n->code);
	free(n->name);
	free(n->path);
	for (size_t i = 0; i < n->nparams; i++) {
		free(n->params[i].key);
		free(n->params[i].value);
	}
	free(n->params);
	kp_rule_args_release(&n->args);
	for (int i = 0; i < KP_T_COUNT; i++)
		free(n->text[i]);
	free(n->children);
	free(n);
}

void kp_table_free(kp_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nnodes; i++)
		kp_node_free(t->nodes[i]);
	free(t->nodes);
	free(t->roots);
	for (size_t i = 0; i < t->nmeta; i++) {
		free(t->meta[i].key);
		free(t->meta[i].value);
	}
	free(t->meta);
	for (size_t r = 0; r < t->nrecs; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->recs[r].cells[c]);
		free(t->recs[r].cells);
	}
	free(t->recs);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c]);
	free(t->cols);
	free(t->file);
	free(t);
}

/* ---- accessors ------------------------------------------------------- */

const char *kp_table_get(const kp_table *t, const char *key)
{
	for (size_t i = 0; i < t->nmeta; i++)
		if (!strcmp(t->meta[i].key, key))
			return t->meta[i].value;
	return NULL;
}

const char *kp_table_id(const kp_table *t)
{
	const char *id = kp_table_get(t, "id");
	return id ? id : "";
}

const kp_node *kp_table_find(const kp_table *t, const char *code_or_path)
{
	for (size_t i = 0; i < t->nnodes; i++)
		if (!strcmp(t->nodes[i]->code, code_or_path))
			return t->nodes[i];
	for (size_t i = 0; i < t->nnodes; i++)
		if (!strcmp(t->nodes[i]->path, code_or_path))
			return t->nodes[i];
	return NULL;
}

static bool counts_to_total(const kp_node *n)
{
	return n->has_points && n->rule != KP_RULE_VETO &&
	       n->rule != KP_RULE_BONUS && n->rule != KP_RULE_MINUS;
}

bool kp_table_total(const kp_table *t, kp_num *total)
{
	kp_num sum = kp_num_int(0);
	bool any = false;
	for (size_t i = 0; i < t->nroots; i++) {
		if (!counts_to_total(t->roots[i]))
			continue;
		if (kp_num_add(sum, t->roots[i]->points, &sum) < 0)
			return false;
		any = true;
	}
	*total = sum;
	return any;
}

size_t kp_table_nleaves(const kp_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nnodes; i++)
		if (!t->nodes[i]->nchildren && t->nodes[i]->rule != KP_RULE_VETO)
			n++;
	return n;
}

int kp_table_col(const kp_table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c], name))
			return (int)c;
	return -1;
}

const char *kp_record_cell(const kp_table *t, size_t rec, const char *col)
{
	int c = kp_table_col(t, col);
	if (c < 0 || rec >= t->nrecs)
		return "";
	return t->recs[rec].cells[c];
}
