/* kaoping table show — a table: its indicator tree with each rule in
 * Chinese, or its records. */
#include "cli/cli.h"
#include "catalog/catalog.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const text_keys[KP_T_COUNT] = {
	"applies", "units", "check", "content", "criteria", "report", "note",
	"quirk",
};

static json_t *node_json(const kp_node *n)
{
	json_t *o = json_object(), *params = json_object(),
	       *kids = json_array();
	json_object_set_new(o, "code", json_string(n->code));
	json_object_set_new(o, "name", json_string(n->name));
	json_object_set_new(o, "path", json_string(n->path));
	json_object_set_new(o, "points",
			    n->has_points ? kp_num_json(n->points) : json_null());
	json_object_set_new(o, "rule", json_string(kp_rule_name(n->rule)));
	{
		kp_buf b = KP_BUF_INIT;
		kp_rule_describe(n, &b);
		json_object_set_new(o, "rule_text", json_string(b.data));
		kp_buf_release(&b);
	}
	for (size_t i = 0; i < n->nparams; i++)
		json_object_set_new(params, n->params[i].key,
				    n->params[i].value
					    ? json_string(n->params[i].value)
					    : json_true());
	json_object_set_new(o, "params", params);
	for (int k = 0; k < KP_T_COUNT; k++)
		if (*n->text[k])
			json_object_set_new(o, text_keys[k],
					    json_string(n->text[k]));
	json_object_set_new(o, "line", json_integer((json_int_t)n->line));
	for (size_t i = 0; i < n->nchildren; i++)
		json_array_append_new(kids, node_json(n->children[i]));
	json_object_set_new(o, "children", kids);
	return o;
}

static json_t *table_json(const kp_table *t)
{
	json_t *o = json_object(), *meta = json_object();
	kp_num total;
	json_object_set_new(o, "id", json_string(kp_table_id(t)));
	json_object_set_new(o, "title", json_string(kp_table_get(t, "title")));
	json_object_set_new(o, "kind", json_string(kp_kind_name(t->kind)));
	for (size_t i = 0; i < t->nmeta; i++) {
		json_t *prev = json_object_get(meta, t->meta[i].key);
		if (!strcmp(t->meta[i].key, "note") ||
		    !strcmp(t->meta[i].key, "known")) {
			if (!prev) {
				prev = json_array();
				json_object_set_new(meta, t->meta[i].key, prev);
			}
			json_array_append_new(prev,
					      json_string(t->meta[i].value));
		} else {
			json_object_set_new(meta, t->meta[i].key,
					    json_string(t->meta[i].value));
		}
	}
	json_object_set_new(o, "meta", meta);
	if (t->kind == KP_KIND_INDICATORS) {
		json_t *nodes = json_array();
		json_object_set_new(o, "total", kp_table_total(t, &total)
							? kp_num_json(total)
							: json_null());
		json_object_set_new(o, "node_count",
				    json_integer((json_int_t)t->nnodes));
		json_object_set_new(o, "leaf_count",
				    json_integer((json_int_t)kp_table_nleaves(t)));
		for (size_t i = 0; i < t->nroots; i++)
			json_array_append_new(nodes, node_json(t->roots[i]));
		json_object_set_new(o, "nodes", nodes);
	} else {
		json_t *cols = json_array(), *rows = json_array();
		for (size_t c = 0; c < t->ncols; c++)
			json_array_append_new(cols, json_string(t->cols[c]));
		for (size_t r = 0; r < t->nrecs; r++) {
			json_t *row = json_object();
			for (size_t c = 0; c < t->ncols; c++)
				json_object_set_new(row, t->cols[c],
						    json_string(t->recs[r].cells[c]));
			json_array_append_new(rows, row);
		}
		json_object_set_new(o, "columns", cols);
		json_object_set_new(o, "rows", rows);
	}
	return o;
}

static void show_node(const kp_node *n)
{
	char buf[32];
	for (int i = 1; i < n->level; i++)
		fputs("  ", stdout);
	printf("%s %s", n->code, n->name);
	if (n->has_points)
		printf("  %s分", kp_num_str(n->points, buf));
	{
		kp_buf b = KP_BUF_INIT;
		kp_rule_describe(n, &b);
		printf("  [%s]", b.data);
		kp_buf_release(&b);
	}
	if (*n->text[KP_T_UNITS])
		printf("  责任单位：%s", n->text[KP_T_UNITS]);
	if (*n->text[KP_T_QUIRK])
		printf("  ⚠ 原文问题");
	putchar('\n');
	for (size_t i = 0; i < n->nchildren; i++)
		show_node(n->children[i]);
}

int cmd_table_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_table *t;
	kp_err e;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("table show 需要一个表 id 或文件（见 kaoping table list）");
	if (kp_table_open(a.pos[0], &t, &e) < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "json")) {
		cli_print_json(table_json(t));
	} else if (t->kind == KP_KIND_INDICATORS) {
		kp_num total;
		char buf[32];
		printf("%s  %s", kp_table_id(t), kp_table_get(t, "title"));
		if (kp_table_total(t, &total))
			printf("（%s 分", kp_num_str(total, buf));
		else
			printf("（无分值");
		printf("，%zu 个节点，%zu 个末级）\n", t->nnodes,
		       kp_table_nleaves(t));
		for (size_t i = 0; i < t->nroots; i++)
			show_node(t->roots[i]);
	} else {
		printf("%s  %s（%zu 行）\n", kp_table_id(t),
		       kp_table_get(t, "title"), t->nrecs);
		for (size_t c = 0; c < t->ncols; c++)
			printf("%s%s", c ? "\t" : "", t->cols[c]);
		putchar('\n');
		for (size_t r = 0; r < t->nrecs; r++)
			for (size_t c = 0; c < t->ncols; c++)
				printf("%s%s", t->recs[r].cells[c],
				       c + 1 < t->ncols ? "\t" : "\n");
	}
	kp_table_free(t);
	return 0;
}

