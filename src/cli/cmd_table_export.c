/* kaoping table export — an indicator table in the layout offices publish
 * (or, with --canonical, the full layout with kaoping's own columns). */
#include "cli/cli.h"
#include "catalog/catalog.h"

#include <string.h>

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
	bool canonical;
	int rc = 0;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("table export 需要一个表 id 或文件");
	dest = cli_get(cmd, &a, "output");
	canonical = cli_get(cmd, &a, "canonical") != NULL;
	if (!dest)
		dest = "-";
	if (kp_table_open(a.pos[0], &t, &e) < 0)
		return cli_error(&e);
	if (t->kind != KP_KIND_INDICATORS) {
		rc = cli_usage_error("%s 是%s，只有指标表可以导出为发布版式",
				     kp_table_id(t), kp_kind_label(t->kind));
	} else if (ends_with(dest, ".xlsx")) {
		if ((canonical ? kp_export_xlsx(t, dest, &e)
			       : kp_export_published_xlsx(t, dest, &e)) < 0)
			rc = cli_error(&e);
	} else if ((canonical ? kp_export_csv(t, &out)
			      : kp_export_published_csv(t, &out)) < 0 ||
		   kp_write_atomic(dest, out.data, out.len, &e) < 0) {
		rc = cli_error(&e);
	}
	kp_buf_release(&out);
	kp_table_free(t);
	return rc;
}

