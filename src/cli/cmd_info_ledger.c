/* kaoping info ledger import|export — the 政务信息 ledger between its
 * folder (submissions.csv, adoptions.csv) and the store. */
#include "cli/cmd_info.h"
#include "store/store.h"

#include <stdio.h>

const struct cli_opt info_ledger_import_opts[] = {
	CLI_OPT_DB, CLI_OPT_AUTHOR, INFO_RULES_OPTS,
	CLI_OPT_END,
};

const struct cli_opt info_ledger_export_opts[] = {
	CLI_OPT_DB, INFO_RULES_OPTS,
	CLI_OPT_END,
};

int cmd_info_ledger_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_info_rules *r = NULL;
	kp_store *db = NULL;
	size_t ns, na;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("info ledger import 需要一个台账目录（submissions.csv、adoptions.csv）");
	if ((rc = info_rules_open(cmd, &a, &r)))
		return rc;
	if ((rc = cli_open_store(cmd, &a, KP_STORE_CREATE, &db))) {
		kp_info_rules_free(r);
		return rc;
	}
	if (kp_info_db_import(db, a.pos[0], r, cli_author(cmd, &a), &ns, &na,
			      &e) < 0)
		rc = cli_error(&e);
	else
		printf("%s：导入报送 %zu 条、采用 %zu 条到 %s\n", a.pos[0], ns, na,
		       kp_store_where(db));
	kp_store_close(db);
	kp_info_rules_free(r);
	return rc;
}

int cmd_info_ledger_export(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_info_rules *r = NULL;
	kp_store *db = NULL;
	size_t ns, na;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("info ledger export 需要一个新的目录");
	if ((rc = cli_ledger_store_open(cmd, &a, false, &db)))
		return rc;
	if ((rc = info_rules_open(cmd, &a, &r))) {
		kp_store_close(db);
		return rc;
	}
	if (kp_info_db_export(db, a.pos[0], r, &ns, &na, &e) < 0)
		rc = cli_error(&e);
	else
		printf("%s：写出报送 %zu 条、采用 %zu 条\n", a.pos[0], ns, na);
	kp_store_close(db);
	kp_info_rules_free(r);
	return rc;
}
