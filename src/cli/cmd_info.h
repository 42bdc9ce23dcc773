/* cli/cmd_info.h — what the 政务信息 ledger's commands (cmd_info_*.c)
 * share: their common options and where the ledger is.  A command
 * works on the folder --ledger names, else on the store (--db, else
 * $KAOPING_DB, else ./kaoping.db — the store must exist unless named). */
#ifndef KP_CMD_INFO_H
#define KP_CMD_INFO_H

#include "cli/cli.h"
#include "ledger/ledger.h"

/* The options every info command has: where the ledger is and which
 * tables give it meaning. */
#define INFO_RULES_OPTS                                                    \
	{ "units", 0, "ID|文件", "单位名录（默认 pzh-units）" },                  \
	{ "points", 0, "ID|文件", "采用计分标准（默认 pzh2016-info-points）" },   \
	{ "quota", 0, "ID|文件", "采用任务分配表（默认 pzh2016-info-quota）" },   \
	{ "sheets", 0, "ID,…", "政务信息工作考评表（默认 2016 年市级、县区、高新区三张）" }
#define INFO_COMMON_OPTS                                                   \
	{ "ledger", 0, "目录", "台账目录（submissions.csv、adoptions.csv）；不给则用数据库中的台账" }, \
	CLI_OPT_DB, CLI_OPT_AUTHOR, INFO_RULES_OPTS

struct kp_store;

typedef struct info_env {
	kp_info_rules *r;
	kp_info_ledger *l;
	const char *dir;        /* --ledger, or NULL: the store */
	struct kp_store *db;
	const char *who;
} info_env;

/* The rules, then the ledger (write: the command adds rows).  0, or
 * the exit status after printing why not. */
int info_rules_open(const struct cli_cmd *cmd, const struct cli_args *a,
		    kp_info_rules **r);
int info_env_open(const struct cli_cmd *cmd, const struct cli_args *a,
		  bool write, info_env *v);
/* Keep the rows added since the open, where they came from. */
int info_env_save(info_env *v, kp_err *e);
void info_env_release(info_env *v);
#endif
