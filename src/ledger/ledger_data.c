/* ledger/ledger_data.c — the task plans and the holiday calendar compiled
 * into the binary, so that kaoping carries them wherever it is copied.
 *
 * The catalog's bundled files (tools/embed.c) are indicator tables that
 * `table list`, lint and the round-trip tests walk; these files are not
 * indicator tables, so they are embedded here with the assembler's .incbin
 * (paths relative to the repository root, where make runs).  The Makefile
 * makes this object depend on the CSV files in data/tasks and
 * data/calendar. */
#include "ledger/ledger_int.h"

__asm__("\t.pushsection .rodata\n"
	"\t.globl kp_ledger_tasks_csv\n"
	"kp_ledger_tasks_csv:\n"
	"\t.incbin \"data/tasks/pzh2017-tasks.csv\"\n"
	"\t.globl kp_ledger_tasks_csv_end\n"
	"kp_ledger_tasks_csv_end:\n"
	"\t.byte 0\n"
	"\t.globl kp_ledger_holidays_csv\n"
	"kp_ledger_holidays_csv:\n"
	"\t.incbin \"data/calendar/cn-holidays.csv\"\n"
	"\t.globl kp_ledger_holidays_csv_end\n"
	"kp_ledger_holidays_csv_end:\n"
	"\t.byte 0\n"
	"\t.globl kp_ledger_reports_csv\n"
	"kp_ledger_reports_csv:\n"
	"\t.incbin \"data/tasks/ak2020-reports.csv\"\n"
	"\t.globl kp_ledger_reports_csv_end\n"
	"kp_ledger_reports_csv_end:\n"
	"\t.byte 0\n"
	"\t.popsection\n");
