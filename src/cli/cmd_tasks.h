/* cli/cmd_tasks.h — what the division-of-work plan's commands
 * (cmd_tasks_*.c) share: their common options, and what each loads —
 * the calendar, the plan and its progress ledger (the file --ledger
 * names, else the plan's ledger in the store when one is named: --db,
 * $KAOPING_DB or ./kaoping.db). */
#ifndef KP_CMD_TASKS_H
#define KP_CMD_TASKS_H

#include "cli/cli.h"
#include "ledger/ledger.h"

#define TASKS_COMMON_OPTS                                                  \
	{ "plan", 0, "ID|文件", "方案：内置的 pzh2017（攀办发〔2017〕84号，默认）、ak2020（安电政办字〔2020〕5号“需报送信息”），或 CSV/XLSX 文件（docs/tasks.md）" }, \
	{ "calendar", 0, "文件", "节假日日历（默认内置的 data/calendar/cn-holidays.csv）" }

/* What every tasks command loads. */
struct kp_store;
struct tasks_ctx {
	kp_calendar *cal;
	kp_tasks *plan;
	kp_tledger *ledger;   /* NULL: no progress yet */
	kp_event_lookup ev;   /* the ledger's event dates, else the plan's */
	struct kp_store *db;  /* where the ledger is when not a file */
	const char *who;
};

/* Load calendar, plan and the ledger (need_ledger: the command writes
 * it, so it must have one).  0, or the exit status after saying why. */
int tasks_ctx_load(struct tasks_ctx *c, const struct cli_cmd *cmd,
		   const struct cli_args *a, bool need_ledger);
/* Keep the ledger's new rows where it came from. */
int tasks_ctx_save(struct tasks_ctx *c, kp_err *e);
void tasks_ctx_release(struct tasks_ctx *c);
/* Usage errors: positional arguments given, a bad --as-of, an unknown
 * --unit (0, or the exit status after saying so). */
int tasks_no_args(const struct cli_cmd *cmd, const struct cli_args *a);
int tasks_parse_asof(const char *s, int *day);
int tasks_unit_filter(const struct tasks_ctx *c, const char *u,
		      const char **out);

#endif
