/* kaoping table list — the bundled tables, one line (or object) each. */
#include "cli/cli.h"
#include "catalog/catalog.h"

#include <jansson.h>
#include <stdio.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_table_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	bool json;
	json_t *arr = NULL;
	size_t n = kp_bundled_count();
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	json = cli_get(cmd, &a, "json") != NULL;
	if (a.npos)
		return cli_usage_error("table list 不接受参数“%s”", a.pos[0]);
	if (json)
		arr = json_array();
	else {
		cli_pad(stdout, "id", 22);
		cli_pad(stdout, "类型", 12);
		cli_pad(stdout, "年度", 6);
		cli_pad(stdout, "总分", 6);
		cli_pad(stdout, "节点", 6);
		printf("标题\n");
	}
	for (size_t i = 0; i < n; i++) {
		kp_table *t;
		kp_err e;
		kp_num total;
		bool has_total;
		size_t count;
		char buf[32];
		if (kp_bundled_load(i, &t, &e) < 0) {
			json_decref(arr);
			return cli_error(&e);
		}
		has_total = t->kind == KP_KIND_INDICATORS &&
			    kp_table_total(t, &total);
		count = t->kind == KP_KIND_INDICATORS ? t->nnodes : t->nrecs;
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(kp_table_id(t)));
			json_object_set_new(o, "title",
					    json_string(kp_table_get(t, "title")));
			json_object_set_new(o, "kind",
					    json_string(kp_kind_name(t->kind)));
			json_object_set_new(o, "issuer",
					    str_or_null(kp_table_get(t, "issuer")));
			json_object_set_new(o, "docno",
					    str_or_null(kp_table_get(t, "docno")));
			json_object_set_new(o, "year",
					    str_or_null(kp_table_get(t, "year")));
			json_object_set_new(o, "total", has_total ? kp_num_json(total)
								  : json_null());
			json_object_set_new(o, t->kind == KP_KIND_INDICATORS
						       ? "nodes" : "rows",
					    json_integer((json_int_t)count));
			json_object_set_new(o, "file",
					    json_string(kp_bundled_path(i)));
			json_array_append_new(arr, o);
		} else {
			const char *year = kp_table_get(t, "year");
			cli_pad(stdout, kp_table_id(t), 22);
			cli_pad(stdout, kp_kind_label(t->kind), 12);
			cli_pad(stdout, year ? year : "", 6);
			cli_pad(stdout, has_total ? kp_num_str(total, buf) : "",
				6);
			snprintf(buf, sizeof(buf), "%zu", count);
			cli_pad(stdout, buf, 6);
			printf("%s\n", kp_table_get(t, "title"));
		}
		kp_table_free(t);
	}
	return json ? cli_print_json(arr) : 0;
}

