/* Internal to src/ledger (tasks part): the embedded data files. */
#ifndef KP_LEDGER_INT_H
#define KP_LEDGER_INT_H

extern const char kp_ledger_tasks_csv[], kp_ledger_tasks_csv_end[];
extern const char kp_ledger_holidays_csv[], kp_ledger_holidays_csv_end[];
extern const char kp_ledger_reports_csv[], kp_ledger_reports_csv_end[];

#define KP_TASKS_BUNDLED_NAME "data/tasks/pzh2017-tasks.csv"
#define KP_REPORTS_BUNDLED_NAME "data/tasks/ak2020-reports.csv"
#define KP_HOLIDAYS_BUNDLED_NAME "data/calendar/cn-holidays.csv"

#endif
