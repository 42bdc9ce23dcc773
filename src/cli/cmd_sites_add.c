/* kaoping sites add UNIT URL — a site for monitoring to watch (store:
 * kp_store_site_add). */
#include "cli/cli.h"
#include "monitor/monitor.h"
#include "store/store.h"

#include <string.h>

const struct cli_opt sites_add_opts[] = {
	CLI_OPT_DB,
	{ "kind", 0, "类别", "网站 或 政务新媒体（默认 网站；政务新媒体只登记，不探测）", "网站" },
	CLI_OPT_END,
};

/* A kind of site monitoring knows. */
static bool known_kind(const char *k)
{
	return !strcmp(k, "网站") || !strcmp(k, "政务新媒体");
}

int cmd_sites_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_err e;
	int64_t id;
	int rc;
	const char *kind;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 2)
		return cli_usage_error("sites add 要两个参数：单位 网址");
	kind = cli_get(cmd, &a, "kind");
	if (!known_kind(kind))
		return cli_usage_error("--kind 只能是“网站”或“政务新媒体”，不是“%s”", kind);
	if (!strcmp(kind, "网站") && strncmp(a.pos[1], "http://", 7) &&
	    strncmp(a.pos[1], "https://", 8))
		return cli_usage_error("网站的网址要以 http:// 或 https:// 开头：“%s”",
				       a.pos[1]);
	if ((rc = cli_open_store(cmd, &a, KP_STORE_CREATE, &db)))
		return rc;
	/* the site and its politeness key (the claims spread over hosts) */
	if (kp_store_site_add(db, a.pos[0], a.pos[1], kind, &id, &e) < 0 ||
	    kp_store_sites_fill_hosts(db, kp_monitor_host_key, NULL, &e) < 0) {
		kp_store_close(db);
		return cli_error(&e);
	}
	kp_store_close(db);
	printf("已加入监测：%lld  %s  %s（%s）\n", (long long)id, a.pos[0],
	       a.pos[1], kind);
	return KP_EXIT_OK;
}
