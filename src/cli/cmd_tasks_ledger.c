/* kaoping tasks ledger import|export — a plan's progress ledger between
 * its file and the store (kept per plan: --plan). */
#include "cli/cmd_tasks.h"
#include "store/store.h"

#include <stdio.h>

const struct cli_opt tasks_ledger_import_opts[] = {
	TASKS_COMMON_OPTS, CLI_OPT_DB, CLI_OPT_AUTHOR,
	CLI_OPT_END,
};

const struct cli_opt tasks_ledger_export_opts[] = {
	TASKS_COMMON_OPTS, CLI_OPT_DB,
	CLI_OPT_END,
};

int cmd_tasks_ledger_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_tasks *plan = NULL;
	kp_store *db = NULL;
	size_t added;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("tasks ledger import 需要一个任务进展台账文件（kaoping tasks import --ledger 写的 CSV）");
	if (kp_tasks_open(cli_get(cmd, &a, "plan"), &plan, &e) < 0)
		return cli_error(&e);
	if ((rc = cli_open_store(cmd, &a, KP_STORE_CREATE, &db))) {
		kp_tasks_free(plan);
		return rc;
	}
	if (kp_tledger_db_import(db, a.pos[0], plan, cli_author(cmd, &a),
				 &added, &e) < 0)
		rc = cli_error(&e);
	else
		printf("%s：导入 %zu 行到 %s（方案 %s）\n", a.pos[0], added,
		       kp_store_where(db), kp_tledger_key(plan));
	kp_store_close(db);
	kp_tasks_free(plan);
	return rc;
}

int cmd_tasks_ledger_export(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_tasks *plan = NULL;
	kp_store *db = NULL;
	size_t rows;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("tasks ledger export 需要一个新的文件名");
	if ((rc = cli_ledger_store_open(cmd, &a, false, &db)))
		return rc;
	if (kp_tasks_open(cli_get(cmd, &a, "plan"), &plan, &e) < 0) {
		kp_store_close(db);
		return cli_error(&e);
	}
	if (kp_tledger_db_export(db, a.pos[0], plan, &rows, &e) < 0)
		rc = cli_error(&e);
	else
		printf("%s：写出 %zu 行（方案 %s）\n", a.pos[0], rows,
		       kp_tledger_key(plan));
	kp_store_close(db);
	kp_tasks_free(plan);
	return rc;
}
