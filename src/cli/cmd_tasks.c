/* kaoping tasks … — what the division-of-work plan's commands share
 * (cmd_tasks.h).  One file per command: cmd_tasks_dates.c,
 * cmd_tasks_show.c, cmd_tasks_import.c, cmd_tasks_event.c,
 * cmd_tasks_due.c, cmd_tasks_report.c, cmd_tasks_ledger.c.  See
 * docs/tasks.md. */
#include "cli/cmd_tasks.h"
#include "store/store.h"

#include <string.h>

void tasks_ctx_release(struct tasks_ctx *c)
{
	kp_tledger_free(c->ledger);
	kp_tasks_free(c->plan);
	kp_calendar_free(c->cal);
	kp_store_close(c->db);
	memset(c, 0, sizeof(*c));
}

int tasks_ctx_load(struct tasks_ctx *c, const struct cli_cmd *cmd,
		   const struct cli_args *a, bool need_ledger)
{
	const char *lp = cli_get(cmd, a, "ledger");
	kp_err e;
	int rc;
	memset(c, 0, sizeof(*c));
	c->who = cli_author(cmd, a);
	if (!lp && (need_ledger || cli_store_named(cmd, a)) &&
	    (rc = cli_ledger_store_open(cmd, a, need_ledger, &c->db)))
		return rc;
	if (kp_calendar_open(cli_get(cmd, a, "calendar"), &c->cal, &e) < 0 ||
	    kp_tasks_open(cli_get(cmd, a, "plan"), &c->plan, &e) < 0 ||
	    (lp && kp_tledger_load(lp, c->plan, &c->ledger, &e) < 0) ||
	    (c->db && kp_tledger_load_db(c->db, c->plan, &c->ledger, &e) < 0)) {
		tasks_ctx_release(c);
		return cli_error(&e);
	}
	c->ev = kp_tledger_events(c->ledger);
	return 0;
}

int tasks_ctx_save(struct tasks_ctx *c, kp_err *e)
{
	return c->db ? kp_tledger_save_db(c->ledger, c->db, c->who, e)
		     : kp_tledger_save(c->ledger, e);
}

int tasks_no_args(const struct cli_cmd *cmd, const struct cli_args *a)
{
	if (a->npos)
		return cli_usage_error("%s 不接受参数“%s”", cmd->words,
				       a->pos[0]);
	return 0;
}

int tasks_parse_asof(const char *s, int *day)
{
	if (kp_day_parse(s, day) < 0)
		return cli_usage_error("--as-of 日期“%s”%s", s, KP_DAY_BAD);
	return 0;
}

int tasks_unit_filter(const struct tasks_ctx *c, const char *u, const char **out)
{
	*out = NULL;
	if (!u)
		return 0;
	*out = kp_units_resolve(c->plan->reg, u);
	if (!*out)
		return cli_usage_error("单位“%s”不在单位名录中（%s）", u,
				       c->plan->registry);
	for (size_t i = 0; i < c->plan->nunits; i++)
		if (!strcmp(c->plan->units[i], *out))
			return 0;
	return cli_usage_error("“%s”不是分工方案中任何一项的责任单位", *out);
}
