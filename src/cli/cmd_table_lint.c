/* kaoping table lint — what does not add up in a table, and the rules an
 * import left to confirm. */
#include "cli/cli.h"
#include "catalog/catalog.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* kp_lint's labels, and the import's own kind */
static const char *label(const char *kind)
{
	return !strcmp(kind, "confirm") ? "规则待确认" : kp_lint_label(kind);
}

static void print_findings(const kp_table *t, const kp_findings *f,
			   size_t from, json_t *arr)
{
	for (size_t i = from; i < f->n; i++) {
		const kp_finding *x = &f->v[i];
		if (arr) {
			json_t *o = json_object();
			json_object_set_new(o, "table",
					    t ? json_string(kp_table_id(t))
					      : json_null());
			json_object_set_new(o, "file",
					    t ? json_string(t->file) : json_null());
			json_object_set_new(o, "line",
					    json_integer((json_int_t)x->line));
			json_object_set_new(o, "kind", json_string(x->kind));
			json_object_set_new(o, "label",
					    json_string(label(x->kind)));
			json_object_set_new(o, "code", json_string(x->code));
			json_object_set_new(o, "message", json_string(x->message));
			json_object_set_new(o, "known", json_boolean(x->known));
			json_array_append_new(arr, o);
			continue;
		}
		if (t && x->line)
			printf("%s:%zu: ", t->file, x->line);
		else if (t)
			printf("%s: ", t->file);
		printf("[%s] %s%s\n", label(x->kind), x->message,
		       x->known ? "（已知原文问题）" : "");
	}
}

int cmd_table_lint(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_findings f = { NULL, 0, 0 };
	kp_table **tables = NULL;
	size_t nt = 0, open = 0;
	json_t *arr = NULL;
	kp_err e;
	bool all;
	int rc = KP_EXIT_USAGE;

	CLI_PARSE(cmd, argc, argv, &a, NULL);
	all = cli_get(cmd, &a, "all") || a.npos == 0;
	if (cli_get(cmd, &a, "json"))
		arr = json_array();
	if (all) {
		size_t n = kp_bundled_count();
		tables = kp_xcalloc(n + (size_t)a.npos, sizeof(*tables));
		for (size_t i = 0; i < n; i++)
			if (kp_bundled_load(i, &tables[nt++], &e) < 0) {
				nt--;
				rc = cli_error(&e);
				goto out;
			}
	} else {
		tables = kp_xcalloc((size_t)a.npos, sizeof(*tables));
	}
	for (int i = 0; i < a.npos; i++) {
		if (kp_table_open(a.pos[i], &tables[nt], &e) < 0) {
			rc = cli_error(&e);
			goto out;
		}
		nt++;
	}
	for (size_t i = 0; i < nt; i++) {
		size_t before = f.n, o = kp_lint(tables[i], NULL, &f);
		o += kp_lint_confirm(tables[i], &f);
		open += o;
		print_findings(tables[i], &f, before, arr);
		if (!arr)
			printf("%s：%zu 条问题%s%zu 条为已知原文问题\n\n",
			       kp_table_id(tables[i]), f.n - before,
			       f.n - before ? "，其中 " : "，",
			       f.n - before - o);
	}
	/* across the tables naming each registry (pzh-units, ak-units …) */
	for (size_t i = 0; all && i < nt; i++) {
		const char *rid = kp_table_get(tables[i], "registry");
		kp_units *reg = NULL;
		size_t before = f.n;
		bool seen = false;
		if (!rid)
			continue;
		for (size_t j = 0; j < i; j++) {
			const char *r2 = kp_table_get(tables[j], "registry");
			if (r2 && !strcmp(r2, rid))
				seen = true;
		}
		if (seen || kp_units_open(rid, &reg, &e) < 0)
			continue;
		open += kp_lint_across(tables, nt, rid, reg, &f);
		print_findings(NULL, &f, before, arr);
		if (!arr)
			printf("各表之间（%s）：%zu 处单位写法不同（名录已收录为别名）\n",
			       rid, f.n - before);
		kp_units_free(reg);
	}
	if (arr)
		cli_print_json(arr);
	else
		printf("\n共 %zu 张表，%zu 条问题，其中 %zu 条未确认为原文问题\n", nt,
		       f.n, open);
	arr = NULL;
	rc = open ? KP_EXIT_FINDINGS : KP_EXIT_OK;
out:
	json_decref(arr);
	for (size_t i = 0; i < nt; i++)
		kp_table_free(tables[i]);
	free(tables);
	kp_findings_release(&f);
	return rc;
}
