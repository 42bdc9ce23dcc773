/* kaoping table … — the catalog's commands. */
#include "cli/cli.h"
#include "catalog/catalog.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *num_json(kp_num v)
{
	return v.d == 1 ? json_integer(v.n) : json_real(kp_num_double(v));
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ---- list ------------------------------------------------------------ */

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
			json_object_set_new(o, "total", has_total ? num_json(total)
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

/* ---- show ------------------------------------------------------------ */

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
			    n->has_points ? num_json(n->points) : json_null());
	json_object_set_new(o, "rule", json_string(kp_rule_name(n->rule)));
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
							? num_json(total)
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
	printf("  [%s", kp_rule_label(n->rule));
	for (size_t i = 0; i < n->nparams; i++)
		printf("%s%s%s%s", i ? "；" : "：", n->params[i].key,
		       n->params[i].value ? "=" : "",
		       n->params[i].value ? n->params[i].value : "");
	printf("]");
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

/* ---- import / export ------------------------------------------------- */

int cmd_table_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_sheet_opts so = { 0, 0, 0 };
	kp_import_opts io = { NULL, NULL, NULL };
	kp_import_report rep;
	kp_sheet *s = NULL;
	kp_table *t = NULL;
	kp_buf out = KP_BUF_INIT;
	kp_err e;
	const char *v, *dest;
	int rc = KP_EXIT_USAGE;

	CLI_PARSE(cmd, argc, argv, &a, "map");
	if (a.npos != 1)
		return cli_usage_error("table import 需要一个文件（CSV、TSV 或 XLSX）");
	if ((v = cli_get(cmd, &a, "sheet"))) {
		char *end;
		long k = strtol(v, &end, 10);
		if (*end || k < 1 || k > 1000)
			return cli_usage_error("--sheet 需要 1 以上的整数（收到“%s”）", v);
		so.sheet = (int)k;
	}
	io.id = cli_get(cmd, &a, "id");
	io.title = cli_get(cmd, &a, "title");
	io.map = a.nrepeat ? a.repeat : NULL;
	dest = cli_get(cmd, &a, "output");
	if (!dest)
		dest = "-";
	if (kp_sheet_load(a.pos[0], &so, &s, &e) < 0)
		return cli_error(&e);
	if (kp_import(s, &io, &t, &rep, &e) < 0) {
		rc = cli_error(&e);
		goto out;
	}
	kp_table_write(t, &out);
	if (kp_write_atomic(dest, out.data, out.len, &e) < 0) {
		rc = cli_error(&e);
		goto out;
	}
	fprintf(stderr, "kaoping: 从 %s（%s，表头在 %s）读入 %zu 行，得到 %zu 个指标",
		a.pos[0], kp_sheet_encoding(s), rep.header_where, rep.rows_read,
		t->nnodes);
	if (strcmp(dest, "-"))
		fprintf(stderr, "，已写入 %s", dest);
	fprintf(stderr, "\n");
	for (size_t i = 0; i < rep.n; i++)
		fprintf(stderr, "kaoping: %s\n", rep.lines[i]);
	if (rep.n)
		fprintf(stderr, "kaoping: %zu 处需要核对原表（未导入的行、改写的名称或冲突的分值）\n",
			rep.n);
	rc = rep.n ? KP_EXIT_FINDINGS : KP_EXIT_OK;
out:
	kp_import_report_release(&rep);
	kp_table_free(t);
	kp_sheet_free(s);
	kp_buf_release(&out);
	return rc;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

int cmd_table_export(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_table *t;
	kp_err e;
	kp_buf out = KP_BUF_INIT;
	const char *dest;
	int rc = 0;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("table export 需要一个表 id 或文件");
	dest = cli_get(cmd, &a, "output");
	if (!dest)
		dest = "-";
	if (kp_table_open(a.pos[0], &t, &e) < 0)
		return cli_error(&e);
	if (t->kind != KP_KIND_INDICATORS) {
		rc = cli_usage_error("%s 是%s，只有指标表可以导出为发布版式",
				     kp_table_id(t), kp_kind_label(t->kind));
	} else if (ends_with(dest, ".xlsx")) {
		if (kp_export_xlsx(t, dest, &e) < 0)
			rc = cli_error(&e);
	} else if (kp_export_csv(t, &out) < 0 ||
		   kp_write_atomic(dest, out.data, out.len, &e) < 0) {
		rc = cli_error(&e);
	}
	kp_buf_release(&out);
	kp_table_free(t);
	return rc;
}

/* ---- lint ------------------------------------------------------------ */

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
					    json_string(kp_lint_label(x->kind)));
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
		printf("[%s] %s%s\n", kp_lint_label(x->kind), x->message,
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
