/*
 * ledger — the two ledgers offices keep in spreadsheets today and count by
 * hand every quarter:
 *   1. 政务信息: information items each unit submits and their adoptions
 *      by publications, the points each earns (seed 003), statistics
 *      against the quota, and the facts that feed the 政务信息工作考评表;
 *   2. the division-of-work tasks (seed 002), their deadlines resolved to
 *      dates on China's working-day calendar, and progress per lead unit.
 *
 * (Each section below is the public surface of one part of the ledger.)
 */
#ifndef KP_LEDGER_H
#define KP_LEDGER_H

#include "base/base.h"
#include "catalog/catalog.h"

/* ---- 1. information submissions and adoptions (info.c) ---------------- */
/*
 * The 政务信息 ledger (seed 003): every item a unit submits (报送) and every
 * adoption (采用) of it by a publication.  What an adoption is worth, what
 * each unit must earn and which score sheet a unit is judged by are data —
 * the bundled 采用计分标准 (a table of kind schedule), 任务分配表 (kind
 * quota), units registry and 政务信息工作考评表 — gathered in kp_info_rules;
 * another year or city is other tables, not other code.
 *
 * Use:
 *	kp_info_rules *r;  kp_info_ledger *l;
 *	kp_info_rules_open(NULL, &r, &e);           (bundled 2016 tables)
 *	kp_info_load("ledger-dir", r, &l, &e);      (missing dir = empty)
 *	kp_info_import(l, sheet, &n, &e);           (all rows or none)
 *	kp_info_save(l, "ledger-dir", &e);          (appends the new rows)
 *	kp_info_stats_compute(l, &period, NULL, &st, &e);  (per unit)
 *	kp_info_facts(l, 2016, NULL, NULL, &facts, &e);  (for the rounds)
 *	kp_info_stats_release(&st); kp_info_free(l); kp_info_rules_free(r);
 *
 * On disk the ledger is a directory of two append-only UTF-8 CSV files,
 * submissions.csv and adoptions.csv (docs/info-ledger.md); in the store
 * it is the same rows (section 3: kp_info_load_db, kp_info_save_db).
 *
 * Ownership: a ledger borrows its rules (free the ledger first); stats
 * rows borrow unit names from the ledger; kp_info_stats_release frees the
 * rows.  Errors are "file:line: …" in Chinese (KP_EINPUT); an import that
 * fails adds nothing.
 */
struct kp_facts;

typedef struct kp_info_rules kp_info_rules;
typedef struct kp_info_ledger kp_info_ledger;

/* Which tables make up the rules; NULL members take the bundled 2016
 * defaults (pzh-units, pzh2016-info-points, pzh2016-info-quota and the
 * sheets "pzh2016-info-dept,pzh2016-info-county,pzh2016-info-gxq"). */
typedef struct kp_info_spec {
	const char *units, *schedule, *quota;
	const char *sheets;    /* comma-separated ids or paths */
} kp_info_spec;

int kp_info_rules_open(const kp_info_spec *spec, kp_info_rules **out,
		       kp_err *e);
void kp_info_rules_free(kp_info_rules *r);

int kp_info_load(const char *dir, const kp_info_rules *r,
		 kp_info_ledger **out, kp_err *e);
void kp_info_free(kp_info_ledger *l);
size_t kp_info_nsubmissions(const kp_info_ledger *l);
size_t kp_info_nadoptions(const kp_info_ledger *l);
/* Rows added since load (by import or add) that save will append. */
size_t kp_info_npending(const kp_info_ledger *l);

/* Import an office's sheet (CSV/TSV/GBK/XLSX, columns recognised by their
 * Chinese or English names, see docs/info-ledger.md).  Every row is
 * checked first; the first bad row (bad date, unknown unit or
 * publication, duplicate row …) fails the whole import with
 * "file:row: …" and nothing is added.  *added = rows accepted. */
int kp_info_import(kp_info_ledger *l, const kp_sheet *s, size_t *added,
		   kp_err *e);
/* One row from the command line: keys as the English column names
 * ("unit", "date", "title", …, "item" = an existing submission id to add
 * an adoption to), NULL-terminated key/value pairs. */
int kp_info_add(kp_info_ledger *l, const char *const *kv, kp_err *e);
/* Append the pending rows to dir (created if needed). */
int kp_info_save(kp_info_ledger *l, const char *dir, kp_err *e);

/* A period: a year "2016", a quarter "2016Q3", a month "2016-07". */
typedef struct kp_info_period {
	int year, from_month, to_month;   /* months 1..12, inclusive */
	char label[24];                   /* "2016年第三季度" */
} kp_info_period;
int kp_info_period_parse(const char *s, kp_info_period *p, kp_err *e);

typedef struct kp_info_stat {
	const char *unit;          /* canonical name (borrowed) */
	const char *type;          /* 县区, 市级部门 … ("" if unknown) */
	bool has_quota;
	kp_num city_quota, province_quota;
	int monthly_min;           /* from the unit's sheet; 0: none */
	unsigned per_month[12];    /* submissions in each month of the period */
	unsigned months, months_short;   /* months counted, months below min */
	unsigned submitted, duplicates;
	unsigned urgent, urgent_late, urgent_missing;
	unsigned requests, feedback_missed, false_info;
	unsigned city_adoptions, province_adoptions, instructions, upstream;
	kp_num city_points, province_points;
	/* Year to date (January to the period's last month), for bulletins:
	 * the quota is annual. */
	kp_num city_points_ytd, province_points_ytd;
} kp_info_stat;

typedef struct kp_info_stats {
	kp_info_stat *v;
	size_t n;
	kp_info_period period;
} kp_info_stats;

/* One row per unit of the quota table, then any other unit the ledger
 * names, in that order; unit non-NULL: that unit only (name or alias). */
int kp_info_stats_compute(const kp_info_ledger *l, const kp_info_period *p,
		  const char *unit, kp_info_stats *out, kp_err *e);
void kp_info_stats_release(kp_info_stats *s);

/* Facts (source 台账) for year's 政务信息工作考评表 of each unit (or one
 * unit), all of kind quantity, named as the sheet's params name them: on
 * the node whose params say when=monthly_min:N, "monthly_min" = the
 * fewest submissions in any month; on the nodes with when=duplicate,
 * urgent_late, feedback_missed, false_info, the count (0 included); on
 * the tiered node, "city_points" and "province_points".  The engine
 * applies the thresholds of the table.  sheet non-NULL (a sheet's id):
 * only the units that sheet applies to — the facts of one round.
 * Appended to out. */
int kp_info_facts(const kp_info_ledger *l, int year, const char *unit,
		  const char *sheet, struct kp_facts *out, kp_err *e);

/* What is made of the statistics (info_report.c). */
/* got ÷ quota as "12.34%", "—" without a quota; buf >= 32 bytes. */
const char *kp_info_pct(kp_num got, kp_num quota, char *buf);
/* The statistics as JSON (what `info stats --json` prints): period is
 * the period as asked ("2016Q3").  Caller owns (json_decref). */
struct json_t;
struct json_t *kp_info_stats_json(const kp_info_stats *st,
				  const char *period);

/* The quarterly bulletin (通报): each unit of the quota, its city and
 * province tasks (annual), points in the period and year to date, the
 * completion rates and the number of items submitted. */
#define KP_INFO_BULLETIN_COLS 11
extern const char *const kp_info_bulletin_head[KP_INFO_BULLETIN_COLS];
typedef struct kp_info_bulletin {
	char *title;                /* "2016年第三季度政务信息采用情况通报（…）" */
	kp_info_stats st;           /* the period's statistics */
	const kp_info_stat **rows;  /* the units with a quota, into st */
	size_t n;
} kp_info_bulletin;
int kp_info_bulletin_build(const kp_info_ledger *l, const kp_info_period *p,
			   kp_info_bulletin *out, kp_err *e);
void kp_info_bulletin_release(kp_info_bulletin *b);
/* Row i's cells as the bulletin prints them (kp_info_bulletin_head's
 * columns), their text in buf. */
void kp_info_bulletin_cells(const kp_info_bulletin *b, size_t i,
			    char buf[KP_INFO_BULLETIN_COLS][32],
			    const char **cells);
/* As text (aligned columns) or CSV, appended to out. */
void kp_info_bulletin_text(const kp_info_bulletin *b, bool csv, kp_buf *out);
/* As an XLSX workbook at path (numbers as numbers), written atomically. */
int kp_info_bulletin_xlsx(const kp_info_bulletin *b, const char *path,
			  kp_err *e);

/* The title normalisation used for duplicates (docs/info-ledger.md), and
 * whether two titles count as the same item. */
char *kp_info_title_norm_dup(const char *title);
bool kp_info_titles_near(const char *a, const char *b);

/* ---- 2. division-of-work tasks, deadlines, calendar (tasks.c) --------- */
/*
 * The 分工方案 (seed 002): numbered tasks, each with its lead units and a
 * deadline written in free form, tracked per task and lead unit.
 *
 * Use:
 *	kp_calendar *cal;  kp_tasks *plan;  kp_tledger *l;  kp_dues d;
 *	kp_calendar_open(NULL, &cal, &e);       (bundled cn-holidays.csv)
 *	kp_tasks_open(NULL, &plan, &e);         (bundled pzh2017-tasks.csv)
 *	kp_tledger_load("progress.csv", plan, &l, &e);   (missing = empty)
 *	kp_tledger_import(l, sheet, &n, &e);    (all rows or none)
 *	kp_tledger_save(l, &e);                 (appends, atomically)
 *	kp_dues_build(plan, l, cal, asof, &d, &e);  (one row per occurrence)
 *	kp_dues_release(&d); kp_tledger_free(l); kp_tasks_free(plan);
 *	kp_calendar_free(cal);
 *
 * Dates are day numbers (days since 1970-01-01, proleptic Gregorian).
 * The calendar (docs/tasks.md, data/calendar/cn-holidays.csv) lists every
 * 放假 day and every 调休上班 weekend day from its first to its last year,
 * each year citing the State Council notice; any working-day question about
 * a day outside those years fails (KP_EINPUT) naming the last year — the
 * calendar never guesses.
 *
 * Deadlines are parsed from the text as printed (kp_deadline_parse) and
 * resolved to occurrences: one date for a fixed deadline or 全年工作, one
 * per month/quarter for recurring ones, and for a deadline counted from an
 * event ('国家指导意见印发后60日内') a date once the event's date is
 * recorded (in the plan's #meta,event rows or the progress ledger), until
 * then an occurrence with due = KP_DAY_NONE naming the event.
 *
 * Ownership: a kp_tasks owns every string of its tasks; a kp_tledger
 * borrows its plan (free the ledger first); kp_dues rows borrow from the
 * plan and the ledger.  Errors are "file:line: …" in Chinese.
 */
#define KP_DAY_NONE INT32_MIN

int kp_day_from_ymd(int y, int m, int d);
void kp_day_ymd(int day, int *y, int *m, int *d);
int kp_day_weekday(int day);                 /* 1 Monday … 7 Sunday */
int kp_days_in_month(int y, int m);
/* The ledger's one date reader (info and tasks alike): "2017-07-03",
 * "2017/7/3", "2017.7.3", "2017年7月3日" (the separators may mix; 日 may
 * be left out), "20170703"; a time of day may follow after a space or
 * 'T' ("2017-07-03 10:30"); years 1900–2199.  -1 if not a real date. */
#define KP_DAY_MIN_YEAR 1900
#define KP_DAY_MAX_YEAR 2199
int kp_day_parse(const char *s, int *day);
/* A spreadsheet cell: kp_day_parse's forms, or an Excel day serial
 * (20000–80000, a fraction allowed) as a date-formatted XLSX cell reads. */
int kp_day_cell(const char *s, int *day);
/* The one message for a bad date: "WHAT“s”不是有效日期（…）", at
 * "file:line: " when file is non-NULL.  Returns -1 (KP_EINPUT). */
#define KP_DAY_BAD "不是有效日期（写作 2017-07-03、2017/7/3 或 2017年7月3日，须是真实的日期）"
int kp_day_fail(kp_err *e, const char *file, size_t line, const char *what,
		const char *s);
/* "2017-07-03"; buf >= 16 bytes. */
const char *kp_day_str(int day, char *buf);

typedef struct kp_calendar kp_calendar;
int kp_calendar_parse(const char *name, const char *data, size_t n,
		      kp_calendar **out, kp_err *e);
/* path NULL: the bundled calendar. */
int kp_calendar_open(const char *path, kp_calendar **out, kp_err *e);
void kp_calendar_free(kp_calendar *c);
int kp_calendar_first_year(const kp_calendar *c);
int kp_calendar_last_year(const kp_calendar *c);
/* 1 working day, 0 rest day; -1 (KP_EINPUT) outside the calendar. */
int kp_calendar_workday(const kp_calendar *c, int day, kp_err *e);
/* The listed name of a day ("春节") and its kind ('R' 放假, 'W' 调休上班);
 * NULL for an ordinary day. */
const char *kp_calendar_holiday(const kp_calendar *c, int day, char *kind);
/* The notice(s) a year cites ("国务院办公厅关于2017年部分节假日安排的通知
 * （国办发明电〔2016〕17号）"), "；"-joined; NULL when none. */
const char *kp_calendar_notice(const kp_calendar *c, int year);
/* The n-th working day after day (n >= 1). */
int kp_calendar_add_workdays(const kp_calendar *c, int day, int n, int *out,
			     kp_err *e);

typedef enum kp_deadline_kind {
	KP_DL_DATE,        /* 2017年7月底前, 8月25日前, 11月中旬前 */
	KP_DL_YEAR,        /* 全年工作: the plan year's last day */
	KP_DL_ONGOING,     /* 及时公开: no date of its own; year end */
	KP_DL_AFTER,       /* 每月、每季度后20日内: after each period */
	KP_DL_PERIODIC,    /* 按月度、季度公布: within each period */
	KP_DL_QFIRSTWEEK,  /* 每季度第一周内 */
	KP_DL_EVENT,       /* 国家指导意见印发后60日内, 本通知公布后30个工作日内 */
	KP_DL_NONE,        /* a task derived from a table whose text gives no
			    * deadline: shown as 时限未定, never guessed */
} kp_deadline_kind;

typedef struct kp_deadline {
	kp_deadline_kind kind;
	int day;           /* KP_DL_DATE */
	bool monthly, quarterly;
	int lag;           /* days (or working days) after the period/event */
	bool workdays;
	char event[96];    /* KP_DL_EVENT: "国家指导意见印发" */
} kp_deadline;

/* Parse a deadline as printed; year is the plan's year (for '11月底前').
 * Fails with a message quoting the text when it is no known form. */
int kp_deadline_parse(const char *text, int year, kp_deadline *d, kp_err *e);

typedef struct kp_task {
	char *no;            /* "1" … "134", "N1"; a derived task: the code */
	char *cat1, *cat2, *requirement, *units, *deadline_text, *note, *quirk;
	char *content;       /* derived: the item's 信息公开内容 ("" else) */
	char **leads;        /* canonical unit names, groups expanded */
	size_t nleads;
	/* Phrases in units that stand for units they do not name
	 * ("相关职能部门" of 市住建局等相关职能部门), "、"-joined; "" none.
	 * Such units cannot be tracked one by one. */
	char *unnamed;
	char **assists;
	size_t nassists;
	kp_deadline deadline;
	size_t line;
} kp_task;

typedef struct kp_event {
	char *name;
	int day;
	char *source;        /* "plan", or the note of the ledger's row */
	size_t line;         /* in the progress ledger (0: plan or pending) */
} kp_event;

typedef struct kp_tasks {
	char *file, *id, *title, *issuer, *docno;
	/* A plan derived from an indicator table (#meta,table): every item
	 * with 需报送信息 is a task, its units the leads; NULL otherwise. */
	char *table;
	char *deadline;      /* derived: #meta,deadline, the default; or NULL */
	char *registry;      /* the registry's id or file */
	int year;
	int notice_day;      /* KP_DAY_NONE when not given */
	kp_task *v;
	size_t n;
	char **missing;      /* numbers absent from the source ("123") */
	size_t nmissing;
	kp_event *events;
	size_t nevents;
	char **units;        /* every lead unit, registry order */
	size_t nunits;
	kp_units *reg;       /* the registry the leads were resolved with */
} kp_tasks;

/* reg: the units registry table (kind units); NULL: the plan's
 * #meta,registry, else (a derived plan) the table's, else the bundled
 * pzh-units.  Every lead must resolve to units or to a collective phrase
 * the registry declares (#meta,group: 各县（区）人民政府 → its 县区 …,
 * see kp_units_expand). */
int kp_tasks_parse(const char *name, const char *data, size_t n,
		   const kp_table *reg, kp_tasks **out, kp_err *e);
/* A bundled plan by id ("pzh2017-tasks", "ak2020-reports") or a unique
 * prefix of one ("ak2020"), else a file; NULL: pzh2017-tasks. */
int kp_tasks_open(const char *id_or_path, kp_tasks **out, kp_err *e);
/* Bundled plans: count and id of the i-th. */
size_t kp_tasks_nbundled(void);
const char *kp_tasks_bundled_id(size_t i);
void kp_tasks_free(kp_tasks *t);
const kp_task *kp_tasks_find(const kp_tasks *t, const char *no);
/* A task as an office writes it: its number, else its name as category
 * path ("财政信息/地方政府债务信息") or last name ("地方政府债务信息")
 * when only one task has it.  NULL when none or ambiguous. */
const kp_task *kp_tasks_lookup(const kp_tasks *t, const char *written);
bool kp_task_has_lead(const kp_task *k, const char *unit);
/* Date of a recorded event, or KP_DAY_NONE. */
int kp_tasks_event(const kp_tasks *t, const char *name);

/* Where the dates of events come from when deadlines are resolved: a
 * function (KP_DAY_NONE for an event not recorded) and its context.  The
 * progress ledger gives one (kp_tledger_events); NULL, or day NULL: the
 * plan's own (kp_tasks_event).  Tasks know no ledger: the ledger is above
 * them. */
typedef struct kp_event_lookup {
	int (*day)(const void *ctx, const char *name);
	const void *ctx;
} kp_event_lookup;
int kp_event_day(const kp_tasks *t, const kp_event_lookup *l,
		 const char *name);

/* One occurrence of a task's deadline. */
typedef struct kp_occurrence {
	int due;             /* KP_DAY_NONE: waits for event */
	int open;            /* work for it counts from this day */
	char period[32];     /* "2017年6月", "2017年第三季度", "" */
} kp_occurrence;

/* The occurrences of task k in the plan year, from the notice date on
 * (recurring periods whose due date falls before the notice are not the
 * plan's), sorted by due date.  Event dates come from l when given, else
 * from the plan.  *out is malloc'd (caller frees; NULL when *n is 0).
 * Fails when the calendar does not cover a working-day count. */
int kp_task_occurrences(const kp_tasks *t, const kp_event_lookup *l,
			const kp_task *k, const kp_calendar *cal,
			kp_occurrence **out, size_t *n, kp_err *e);

/* Task k as JSON (`tasks show --json`): its words, leads, the dates of
 * occ[0..nocc), and the progress l (may be NULL) has for it; caller
 * owns (json_decref).  In tasks_json.c. */
struct json_t;
struct kp_tledger;
struct json_t *kp_task_json(const kp_task *k, const kp_occurrence *occ,
			    size_t nocc, const struct kp_tledger *l);

/* What a task without a deadline (KP_DL_NONE) shows instead of dates. */
#define KP_TASKS_UNRESOLVED "时限未定：原文没有写这项的时限，不猜测（在方案中写 deadline 元数据或逐项写 deadline 后才能算到期）"

/* The resolved dates of every task, one line each ("序号 | 完成时限 |
 * 日期"), numbers missing from the source in their place: what the test
 * pins and `kaoping tasks dates` prints.  l may be NULL. */
int kp_tasks_dates_text(const kp_tasks *t, const kp_event_lookup *l,
			const kp_calendar *cal, kp_buf *out, kp_err *e);

/* ---- progress ledger ---- */

typedef enum kp_status {
	KP_ST_NOT_STARTED, KP_ST_IN_PROGRESS, KP_ST_DONE, KP_ST_OVERDUE,
	KP_ST_COUNT
} kp_status;
const char *kp_status_label(kp_status s);         /* 未开始 … */
int kp_status_parse(const char *s, kp_status *out);

typedef struct kp_progress {
	char *task, *unit;   /* task no; canonical unit */
	int day;
	kp_status status;
	char *note, *url;
	size_t line;         /* in the ledger file (0: pending) */
} kp_progress;

typedef struct kp_tledger {
	char *path;
	const kp_tasks *plan;        /* borrowed */
	kp_progress *v;
	size_t n, nsaved;            /* v[nsaved..n) are pending */
	kp_event *events;
	size_t nevents, nevents_saved;
} kp_tledger;

int kp_tledger_load(const char *path, const kp_tasks *plan, kp_tledger **out,
		    kp_err *e);
void kp_tledger_free(kp_tledger *l);
/* Columns by Chinese or English name (docs/tasks.md).  Every row is
 * checked first; the first bad one (bad date, unknown task or unit, unit
 * not a lead of the task, unknown status, duplicate row) fails the whole
 * import with "file:row: …" and nothing is added. */
int kp_tledger_import(kp_tledger *l, const kp_sheet *s, size_t *added,
		      kp_err *e);
/* Record the date of an event a deadline counts from. */
int kp_tledger_add_event(kp_tledger *l, const char *name, int day,
			 const char *note, kp_err *e);
/* Event date: the ledger's latest record, else the plan's; KP_DAY_NONE. */
int kp_tledger_event(const kp_tledger *l, const char *name);
/* kp_tledger_event as the tasks' event lookup (l may be NULL: the
 * plan's dates only). */
kp_event_lookup kp_tledger_events(const kp_tledger *l);
/* Append pending rows: the file is rewritten atomically with its old
 * bytes unchanged and the new rows after them. */
int kp_tledger_save(kp_tledger *l, kp_err *e);

/* The ledger's rows as its file writes them (type task unit date status
 * note url), in the file's order: the saved rows by line, then the
 * pending events, then the pending progress entries.  fn sees the cells
 * of each row from the from-th (0-based) on, borrowed for the call. */
#define KP_TLEDGER_CELLS 7
typedef int (*kp_tledger_row_fn)(void *ctx, const char *const *cells,
				 kp_err *e);
int kp_tledger_rows_each(const kp_tledger *l, size_t from,
			 kp_tledger_row_fn fn, void *ctx, kp_err *e);
size_t kp_tledger_nrows(const kp_tledger *l);    /* all rows */
size_t kp_tledger_nsaved(const kp_tledger *l);   /* rows already kept */
/* The file's first lines (format, plan, column names), and a
 * kp_tledger_row_fn appending a row to the kp_buf ctx as the file does. */
void kp_tledger_put_head(const kp_tledger *l, kp_buf *out);
int kp_tledger_put_row(void *ctx, const char *const *cells, kp_err *e);

/* A ledger of no rows called name (what messages say), for plan. */
kp_tledger *kp_tledger_new(const char *name, const kp_tasks *plan);
/* One row already kept (cells as kp_tledger_rows_each gives them, line
 * its place in the file or the store), checked as the file's rows are. */
int kp_tledger_take_saved(kp_tledger *l, const char *file, size_t line,
			  const char *const *cells, kp_err *e);

/* ---- dues: every (task, lead unit, occurrence), judged at a date ---- */

typedef enum kp_due_state {
	KP_DUE_DONE,         /* 已完成 on time */
	KP_DUE_DONE_LATE,    /* 已完成 after the due date */
	KP_DUE_OVERDUE,      /* due before as-of, not done */
	KP_DUE_OPEN,         /* due on or after as-of, not done */
	KP_DUE_WAITING,      /* waits for an event's date */
	KP_DUE_UNRESOLVED,   /* the task has no deadline (KP_DL_NONE) */
} kp_due_state;

typedef struct kp_due {
	const kp_task *task;
	const char *unit;
	kp_occurrence occ;
	kp_due_state state;
	int done_day;                    /* KP_DAY_NONE unless done */
	const kp_progress *last;         /* latest entry up to as-of, or NULL */
} kp_due;

typedef struct kp_dues {
	kp_due *v;
	size_t n;
} kp_dues;

/* l may be NULL (no progress yet). */
int kp_dues_build(const kp_tasks *t, const kp_tledger *l,
		  const kp_calendar *cal, int asof, kp_dues *out, kp_err *e);
void kp_dues_release(kp_dues *d);

/* Each lead unit's year judged at asof (what `tasks report` prints): its
 * tasks; the occurrences due by asof (or done early) and of them done on
 * time, done late and not done; those not yet due; those waiting for an
 * event; and those of tasks without a deadline, with how many are done.
 * One row per unit of plan->units, in its order; caller frees. */
typedef struct kp_tasks_tally {
	const char *unit;   /* borrowed from the plan */
	unsigned tasks, due, done, late, overdue, open, waiting;
	unsigned unresolved, unresolved_done;
} kp_tasks_tally;
kp_tasks_tally *kp_tasks_tally_build(const kp_tasks *plan, const kp_dues *d,
			       int asof);


/* ---- 3. the ledgers in the store (info_db.c, tasks_db.c) -------------- */
/*
 * Both ledgers live in the store (src/store, "ledgers") as well as in
 * their files: the rows are the files' rows, cell for cell and in the
 * files' order, so that a ledger read from the store is checked by the
 * same code, with the same refusals, as one read from its files, and a
 * folder imported and exported again comes back byte for byte (when it
 * was written by kaoping; a hand-written file comes back row for row, in
 * the form kaoping writes).  The 政务信息 ledger has the key
 * KP_INFO_LEDGER_KEY; a task-progress ledger the plan's id
 * (kp_tledger_key), so one store keeps a ledger per plan.
 *
 *	kp_info_load_db(db, r, &l, &e);       (as kp_info_load)
 *	kp_info_add / kp_info_import …
 *	kp_info_save_db(l, db, who, &e);      (appends, one transaction,
 *	                                       an audit row)
 *
 * Saving appends the rows added since the load; if another writer
 * appended first, the store refuses (KP_EINPUT) and nothing is written.
 * Import copies a ledger folder (file) into the store: every row checked
 * first, and the store's rows must be the folder's first rows (a folder
 * exported earlier and added to since), else nothing is written.  Export
 * writes the store's ledger as a new folder (file); an existing one is
 * not overwritten.
 */
struct kp_store;
#define KP_INFO_LEDGER_KEY ""

int kp_info_load_db(struct kp_store *db, const kp_info_rules *r,
		    kp_info_ledger **out, kp_err *e);
int kp_info_save_db(kp_info_ledger *l, struct kp_store *db, const char *who,
		    kp_err *e);
/* *ns, *na: the submissions and adoptions added. */
int kp_info_db_import(struct kp_store *db, const char *dir,
		      const kp_info_rules *r, const char *who, size_t *ns,
		      size_t *na, kp_err *e);
/* *ns, *na: the submissions and adoptions written. */
int kp_info_db_export(struct kp_store *db, const char *dir,
		      const kp_info_rules *r, size_t *ns, size_t *na,
		      kp_err *e);

/* The plan's id (its file when it has none): its ledger's key. */
const char *kp_tledger_key(const kp_tasks *plan);
int kp_tledger_load_db(struct kp_store *db, const kp_tasks *plan,
		       kp_tledger **out, kp_err *e);
int kp_tledger_save_db(kp_tledger *l, struct kp_store *db, const char *who,
		       kp_err *e);
/* *added: the rows added. */
int kp_tledger_db_import(struct kp_store *db, const char *path,
			 const kp_tasks *plan, const char *who, size_t *added,
			 kp_err *e);
/* *rows: the rows written. */
int kp_tledger_db_export(struct kp_store *db, const char *path,
			 const kp_tasks *plan, size_t *rows, kp_err *e);

#endif
