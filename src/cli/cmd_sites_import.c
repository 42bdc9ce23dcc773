/* kaoping sites import — the websites of a unit registry (its website
 * column: --units, a bundled id or a file; else the units of a round as
 * the store keeps them) become sites to monitor; a URL already kept is
 * left as it is.  Each new site's politeness key (kp_monitor_host_key)
 * is stored with it. */
#include "catalog/catalog.h"
#include "cli/cli.h"
#include "monitor/monitor.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

const struct cli_opt sites_import_opts[] = {
	CLI_OPT_DB,
	{ "units", 0, "名录", "单位名录（内置 id 或文件）的 website 列（默认读 --round 轮次的单位）" },
	CLI_OPT_ROUND,
	CLI_OPT_END,
};

struct import_ctx {
	kp_store *db;
	int added, kept;
	char **names, **cells;   /* the units with a website, owned */
	size_t n;
};

static int collect_unit(void *ctx, const kp_store_unit *u, kp_err *e)
{
	struct import_ctx *ic = ctx;
	(void)e;
	if (!*u->website)
		return 0;
	ic->names = kp_xrealloc(ic->names, (ic->n + 1) * sizeof(char *));
	ic->cells = kp_xrealloc(ic->cells, (ic->n + 1) * sizeof(char *));
	ic->names[ic->n] = kp_xstrdup(u->name);
	ic->cells[ic->n++] = kp_xstrdup(u->website);
	return 0;
}

static int kept_url(void *ctx, const kp_site *st, kp_err *e)
{
	(void)e;
	if (!strcmp(((const char **)ctx)[0], st->url))
		((const char **)ctx)[1] = "";
	return 0;
}

/* Each URL of the cell (several are separated by 、 ; or space). */
static int import_unit(struct import_ctx *ic, const char *name,
		       const char *website, kp_err *e)
{
	char *cell = kp_xstrdup(website), *p = cell;
	int r = 0;
	char *save = NULL;
	for (char *c; (c = strstr(p, "、")) || (c = strstr(p, "；"));)
		memset(c, ' ', 3);
	for (char *url = strtok_r(p, " ;", &save); url && r == 0;
	     url = strtok_r(NULL, " ;", &save)) {
		const char *look[2] = { url, NULL };
		if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
			continue;
		r = kp_store_sites_each(ic->db, NULL, kept_url, (void *)look, e);
		if (r == 0 && look[1]) {
			ic->kept++;
			continue;
		}
		if (r == 0)
			r = kp_store_site_add(ic->db, name, url, "网站", NULL, e);
		ic->added += r == 0;
	}
	free(cell);
	return r;
}

static void collect(struct import_ctx *ic, const char *name,
		    const char *website)
{
	kp_store_unit u = { .name = name, .website = website };
	collect_unit(ic, &u, NULL);
}

/* The name and website columns of a units table into ic; 0, or the
 * exit status after saying what is wrong. */
static int registry_units(const char *which, struct import_ctx *ic)
{
	kp_table *t;
	kp_err e;
	size_t name = SIZE_MAX, web = SIZE_MAX;
	if (kp_table_open(which, &t, &e) < 0)
		return cli_error(&e);
	for (size_t i = 0; i < t->ncols; i++) {
		if (!strcmp(t->cols[i], "name"))
			name = i;
		else if (!strcmp(t->cols[i], "website"))
			web = i;
	}
	if (t->kind != KP_KIND_UNITS || name == SIZE_MAX || web == SIZE_MAX) {
		kp_table_free(t);
		return cli_usage_error("%s 不是带 website 列的单位名录", which);
	}
	for (size_t r = 0; r < t->nrecs; r++)
		collect(ic, t->recs[r].cells[name], t->recs[r].cells[web]);
	kp_table_free(t);
	return 0;
}

int cmd_sites_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_store *db;
	kp_round r;
	kp_err e;
	int rc;
	struct import_ctx ic = { 0 };
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("sites import 不接受参数“%s”", a.pos[0]);
	const char *units = cli_get(cmd, &a, "units");
	if (units && cli_get(cmd, &a, "round"))
		return cli_usage_error("--units 与 --round 只能给一个");
	if (units && (rc = registry_units(units, &ic)))
		return rc;
	if ((rc = cli_open_store(cmd, &a, units ? KP_STORE_CREATE : 0, &db)))
		goto out;
	r = (kp_round){ 0 };
	if (!units && kp_store_round_get(db, cli_get(cmd, &a, "round"), &r, &e) < 0) {
		kp_store_close(db);
		return cli_error(&e);
	}
	ic.db = db;
	rc = units ? 0 : kp_store_units_each(db, r.id, collect_unit, &ic, &e);
	for (size_t i = 0; i < ic.n; i++) {
		if (rc == 0)
			rc = import_unit(&ic, ic.names[i], ic.cells[i], &e);
		free(ic.names[i]);
		free(ic.cells[i]);
	}
	free(ic.names);
	free(ic.cells);
	/* the new sites' politeness keys (the claims spread over hosts) */
	if (rc == 0)
		rc = kp_store_sites_fill_hosts(db, kp_monitor_host_key, NULL, &e);
	printf("%s%s%s：新加入监测 %d 个网站，已在监测 %d 个\n",
	       units ? "单位名录“" : "轮次“", units ? units : r.name,
	       units ? "”" : "”的单位", ic.added, ic.kept);
	if (!units)
		kp_round_release(&r);
	kp_store_close(db);
	return rc < 0 ? cli_error(&e) : KP_EXIT_OK;
out:
	for (size_t i = 0; i < ic.n; i++) {
		free(ic.names[i]);
		free(ic.cells[i]);
	}
	free(ic.names);
	free(ic.cells);
	return rc;
}
