/* kaoping table import — an office's table, as published, into the
 * canonical form, with a report of the rule proposed for every row. */
#include "cli/cli.h"
#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The import report: every node with the rule its words propose, 确定 or
 * 需确认 (and why), and the words it came from. */
static void print_rules(const kp_import_report *rep)
{
	bool any = false;
	for (size_t i = 0; i < rep->nrows; i++)
		any |= !rep->rows[i].from_sheet;
	if (!any)
		return;
	fprintf(stderr, "kaoping: 计分规则（按原文提出：确定 %zu 项，需确认 %zu 项；核对后把编号写入 #meta,confirmed）\n",
		rep->nrows - rep->unsure, rep->unsure);
	for (size_t i = 0; i < rep->nrows; i++) {
		const kp_import_row *r = &rep->rows[i];
		fprintf(stderr, "kaoping:   %s %s  [%s]  %s", r->node->code,
			r->node->path, r->rule, r->sure ? "确定" : "需确认");
		if (*r->why)
			fprintf(stderr, "：%s", r->why);
		if (*r->words)
			fprintf(stderr, "（原文“%s”）", r->words);
		fputc('\n', stderr);
	}
}

int cmd_table_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_sheet_opts so = { 0, 0, 0 };
	kp_import_opts io = { NULL, NULL, NULL, false };
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
	io.strict = cli_get(cmd, &a, "strict") != NULL;
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
	if (t->kind == KP_KIND_INDICATORS)
		fprintf(stderr, "kaoping: 从 %s（%s，表头在 %s）读入 %zu 行，得到 %zu 个指标",
			a.pos[0], kp_sheet_encoding(s), rep.header_where,
			rep.rows_read, t->nnodes);
	else
		/* a quota table or a point standard, recognised by its
		 * shape: what it is, and what reads it */
		fprintf(stderr, "kaoping: 从 %s（%s）读入 %zu 行：这是%s（kind=%s），得到 %zu 行；供 kaoping info 各命令的 %s 使用",
			a.pos[0], kp_sheet_encoding(s), rep.rows_read,
			kp_kind_label(t->kind), kp_kind_name(t->kind), t->nrecs,
			t->kind == KP_KIND_QUOTA ? "--quota" : "--points");
	if (strcmp(dest, "-"))
		fprintf(stderr, "，已写入 %s", dest);
	fprintf(stderr, "\n");
	for (size_t i = 0; i < rep.n; i++)
		fprintf(stderr, "kaoping: %s\n", rep.lines[i]);
	print_rules(&rep);
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

