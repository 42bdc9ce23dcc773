/* kaoping sites import — the websites of a round's units, as the unit
 * registry gave them (its website column), become sites to monitor; a
 * URL already kept is left as it is. */
#include "cli/cli.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

const struct cli_opt sites_import_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_END,
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
	if ((rc = cli_open_store(cmd, &a, 0, &db)))
		return rc;
	if (kp_store_round_get(db, cli_get(cmd, &a, "round"), &r, &e) < 0) {
		kp_store_close(db);
		return cli_error(&e);
	}
	ic.db = db;
	rc = kp_store_units_each(db, r.id, collect_unit, &ic, &e);
	for (size_t i = 0; i < ic.n; i++) {
		if (rc == 0)
			rc = import_unit(&ic, ic.names[i], ic.cells[i], &e);
		free(ic.names[i]);
		free(ic.cells[i]);
	}
	free(ic.names);
	free(ic.cells);
	printf("轮次“%s”的单位名录：新加入监测 %d 个网站，已在监测 %d 个\n", r.name,
	       ic.added, ic.kept);
	kp_round_release(&r);
	kp_store_close(db);
	return rc < 0 ? cli_error(&e) : KP_EXIT_OK;
}
