/* kaoping info … — what the 政务信息 ledger's commands share: where the
 * ledger is (its folder, or the store) and the tables that give it
 * meaning.  One file per command: cmd_info_add.c, cmd_info_import.c,
 * cmd_info_stats.c, cmd_info_bulletin.c, cmd_info_facts.c,
 * cmd_info_ledger.c.  See docs/info-ledger.md. */
#include "cli/cmd_info.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool cli_store_named(const struct cli_cmd *cmd, const struct cli_args *a)
{
	const char *named = cli_get(cmd, a, "db"), *env = getenv("KAOPING_DB");
	return (named && *named) || (env && *env) ||
	       access("kaoping.db", F_OK) == 0;
}

int cli_ledger_store_open(const struct cli_cmd *cmd, const struct cli_args *a,
			  bool write, kp_store **db)
{
	*db = NULL;
	if (!cli_store_named(cmd, a))
		return cli_usage_error("%s：需要 --ledger 台账，或一个数据库（--db、$KAOPING_DB 或 ./kaoping.db；先用 kaoping %s ledger import 把台账导入）",
				       cmd->words,
				       strncmp(cmd->words, "tasks", 5) ? "info"
								       : "tasks");
	return cli_open_store(cmd, a, write ? KP_STORE_CREATE : 0, db);
}

int info_rules_open(const struct cli_cmd *cmd, const struct cli_args *a,
		    kp_info_rules **r)
{
	kp_info_spec sp;
	kp_err e;
	sp.units = cli_get(cmd, a, "units");
	sp.schedule = cli_get(cmd, a, "points");
	sp.quota = cli_get(cmd, a, "quota");
	sp.sheets = cli_get(cmd, a, "sheets");
	if (kp_info_rules_open(&sp, r, &e) < 0)
		return cli_error(&e);
	return 0;
}

void info_env_release(info_env *v)
{
	kp_info_free(v->l);
	kp_info_rules_free(v->r);
	kp_store_close(v->db);
	memset(v, 0, sizeof(*v));
}

int info_env_open(const struct cli_cmd *cmd, const struct cli_args *a,
		  bool write, info_env *v)
{
	kp_err e;
	int rc;
	memset(v, 0, sizeof(*v));
	v->dir = cli_get(cmd, a, "ledger");
	v->who = cli_author(cmd, a);
	if (!v->dir && (rc = cli_ledger_store_open(cmd, a, write, &v->db)))
		return rc;
	if ((rc = info_rules_open(cmd, a, &v->r))) {
		info_env_release(v);
		return rc;
	}
	if ((v->dir ? kp_info_load(v->dir, v->r, &v->l, &e)
		    : kp_info_load_db(v->db, v->r, &v->l, &e)) < 0) {
		info_env_release(v);
		return cli_error(&e);
	}
	return 0;
}

int info_env_save(info_env *v, kp_err *e)
{
	return v->dir ? kp_info_save(v->l, v->dir, e)
		      : kp_info_save_db(v->l, v->db, v->who, e);
}
