/* kaoping sites list — the sites monitoring watches (store:
 * kp_store_sites_each). */
#include "cli/cli.h"
#include "store/store.h"

#include <jansson.h>

const struct cli_opt sites_list_opts[] = {
	CLI_OPT_DB,
	{ "unit", 'u', "单位", "只列这个单位的" },
	CLI_OPT_JSON,
	CLI_OPT_END,
};

static int site_json(void *ctx, const kp_site *st, kp_err *e)
{
	(void)e;
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s, s:s}",
					     "id", (json_int_t)st->id,
					     "unit", st->unit, "url", st->url,
					     "kind", st->kind, "added", st->added));
	return 0;
}

static int site_line(void *ctx, const kp_site *st, kp_err *e)
{
	char id[24];
	(void)ctx;
	(void)e;
	snprintf(id, sizeof(id), "%lld", (long long)st->id);
	cli_pad(stdout, id, 6);
	cli_pad(stdout, st->unit, 24);
	cli_pad(stdout, st->kind, 12);
	printf("%s\n", st->url);
	return 0;
}

int cmd_sites_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_err e;
	json_t *j = NULL;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("sites list 不接受参数“%s”", a.pos[0]);
	if ((rc = cli_open_store(cmd, &a, 0, &db)))
		return rc;
	if (cli_get(cmd, &a, "json"))
		j = json_array();
	else {
		cli_pad(stdout, "编号", 6);
		cli_pad(stdout, "单位", 24);
		cli_pad(stdout, "类别", 12);
		printf("网址\n");
	}
	rc = kp_store_sites_each(db, cli_get(cmd, &a, "unit"),
				 j ? site_json : site_line, j, &e);
	kp_store_close(db);
	if (rc < 0) {
		json_decref(j);
		return cli_error(&e);
	}
	return j ? cli_print_json(j) : KP_EXIT_OK;
}
