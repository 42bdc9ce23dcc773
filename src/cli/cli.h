/*
 * cli — `kaoping <command> [options]`.  Every command is a row of the
 * commands[] table in main.c: its words, its handler, its options (a table
 * of struct cli_opt, from which both getopt and --help are made) and one
 * line of help.  A handler returns the exit status:
 *
 *	0  success
 *	1  findings (lint problems, rows an import could not place …)
 *	2  usage or input error — after printing one message naming the
 *	   file and line, or the option, that is wrong
 *
 * Handlers print; modules below never do (see base.h).
 */
#ifndef KP_CLI_H
#define KP_CLI_H

#include "base/base.h"

#define KP_VERSION "0.1.0"

enum { KP_EXIT_OK = 0, KP_EXIT_FINDINGS = 1, KP_EXIT_USAGE = 2 };

/* Option rows name only the fields they use: a row without default or
 * bounds stops after its help. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* One option of a command: one row holds its name, argument, help,
 * default and bounds (as redis keeps its configuration).  A row written
 * with the first four fields only has no default and no bounds. */
struct cli_opt {
	const char *name;     /* long name, without "--" */
	char short_name;      /* 0: none */
	const char *arg;      /* NULL: a flag; else the argument's name */
	const char *help;     /* Chinese, one line */
	const char *def;      /* the value when absent (cli_get returns it;
			       * --help shows it); NULL: none */
	long min, max;        /* min < max: an integer in [min, max], else
			       * cli_parse refuses it (exit 2) */
};

struct cli_cmd {
	const char *words;          /* "table list" */
	int (*fn)(const struct cli_cmd *cmd, int argc, char **argv);
	const char *args;           /* positional arguments, for usage */
	const struct cli_opt *opts; /* terminated by a row with name NULL */
	const char *summary;        /* Chinese, one line */
};

/* Parsed options: the value of each option of cmd->opts by index (NULL
 * when absent; "" for a given flag), plus repeatable ones collected. */
#define CLI_MAX_REPEAT 32
struct cli_args {
	const char *val[32];
	const char *repeat[CLI_MAX_REPEAT + 1];   /* every --map value */
	size_t nrepeat;
	char **pos;                 /* positional arguments */
	int npos;
};

/* Parse argv (argv[0] is the last command word).  On --help prints the
 * command's help and returns 1 (caller exits 0); on a bad option or a
 * value out of its row's bounds prints the message and returns -1
 * (caller exits 2); else 0.  cli_get: the value given, else the row's
 * default (NULL when neither). */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      struct cli_args *a, const char *repeatable);
const char *cli_get(const struct cli_cmd *cmd, const struct cli_args *a,
		    const char *name);
void cli_usage(const struct cli_cmd *cmd, FILE *f);

/* In a handler: parse the options into a, returning from the handler on
 * --help (status 0) or a bad option (status 2). */
#define CLI_PARSE(cmd, argc, argv, a, repeatable)                          \
	do {                                                               \
		int r_ = cli_parse(cmd, argc, argv, a, repeatable);        \
		if (r_)                                                    \
			return r_ > 0 ? KP_EXIT_OK : KP_EXIT_USAGE;        \
	} while (0)

/* Print j (indented, keys in insertion order) and release it. */
struct json_t;
int cli_print_json(struct json_t *j);

/* The commands that work on the store (eval, inspect) share these
 * options and read them the same way. */
#define CLI_OPT_DB { "db", 0, "数据库", "SQLite 文件或 PostgreSQL 连接串（默认 $KAOPING_DB，否则 ./kaoping.db）" }
#define CLI_OPT_ROUND { "round", 'r', "名称", "轮次（默认最新的轮次）" }
#define CLI_OPT_AUTHOR { "author", 0, "姓名", "记入审计日志的操作人（默认 $USER）" }
#define CLI_OPT_JSON { "json", 0, NULL, "以 JSON 输出" }
#define CLI_OPT_END { NULL, 0, NULL, NULL }
/* --db, else $KAOPING_DB, else ./kaoping.db */
const char *cli_db_conn(const struct cli_cmd *cmd, const struct cli_args *a);
/* --author, else $USER, else "unknown" */
const char *cli_author(const struct cli_cmd *cmd, const struct cli_args *a);
/* Open the store cli_db_conn names (flags: KP_STORE_CREATE); 0, or the
 * exit status after printing why not. */
struct kp_store;
int cli_open_store(const struct cli_cmd *cmd, const struct cli_args *a,
		   int flags, struct kp_store **db);

/* Open the round --round names (else the newest) in the store
 * cli_db_conn names; 0, or the exit status after printing why not. */
struct kp_rnd;
int cli_open_round(const struct cli_cmd *cmd, const struct cli_args *a,
		   struct kp_rnd **r);
/* Print what the round noted on the way (kp_rnd_notes) to stderr. */
void cli_round_notes(struct kp_rnd *r);

/* Print "kaoping: msg" to stderr; returns the exit status for the
 * error's code (kp_rnd_exit_status: round.h has the table). */
int cli_error(const kp_err *e);
__attribute__((format(printf, 1, 2)))
int cli_usage_error(const char *fmt, ...);

/* Pad s to display width w (Chinese counts two) and print it; terminal
 * control characters in s are shown escaped (cli_put). */
void cli_pad(FILE *f, const char *s, size_t w);
/* Print s with every terminal control character (C0 but a newline, DEL,
 * C1) shown as \xNN or \u00NN: text that units typed (notes, names)
 * cannot move the cursor, clear the screen or retitle the window. */
void cli_put(FILE *f, const char *s);

/* table commands, one file each (cmd_table_list.c, cmd_table_show.c, …) */
int cmd_table_list(const struct cli_cmd *, int, char **);
int cmd_table_show(const struct cli_cmd *, int, char **);
int cmd_table_import(const struct cli_cmd *, int, char **);
int cmd_table_export(const struct cli_cmd *, int, char **);
int cmd_table_lint(const struct cli_cmd *, int, char **);

/* evaluation rounds in the store (cmd_eval_*.c, one file a command, each
 * with its option table; the work is src/round's) */
extern const struct cli_opt eval_new_opts[], eval_list_opts[],
	eval_add_opts[], eval_score_opts[], eval_show_opts[],
	eval_rank_opts[], eval_log_opts[], eval_template_opts[];
int cmd_eval_new(const struct cli_cmd *, int, char **);
int cmd_eval_list(const struct cli_cmd *, int, char **);
int cmd_eval_facts_add(const struct cli_cmd *, int, char **);
extern const struct cli_opt eval_facts_list_opts[], eval_withdraw_opts[];
int cmd_eval_facts_list(const struct cli_cmd *, int, char **);
int cmd_eval_facts_withdraw(const struct cli_cmd *, int, char **);
int cmd_eval_score(const struct cli_cmd *, int, char **);
int cmd_eval_show(const struct cli_cmd *, int, char **);
int cmd_eval_rank(const struct cli_cmd *, int, char **);
int cmd_eval_log(const struct cli_cmd *, int, char **);
int cmd_eval_template(const struct cli_cmd *, int, char **);
extern const struct cli_opt eval_status_opts[];
int cmd_eval_status(const struct cli_cmd *, int, char **);

/* inspect (cmd_inspect.c); inspections in the store (cmd_inspect_*.c) */
extern const struct cli_opt inspect_opts[], inspect_history_opts[],
	inspect_show_opts[], inspect_facts_opts[], inspect_review_opts[];
int cmd_inspect(const struct cli_cmd *, int, char **);
int cmd_inspect_history(const struct cli_cmd *, int, char **);
int cmd_inspect_show(const struct cli_cmd *, int, char **);
int cmd_inspect_facts(const struct cli_cmd *, int, char **);
int cmd_inspect_review(const struct cli_cmd *, int, char **);
/* The inspection inspect show and inspect facts are about: the number
 * given, or the latest of --unit in --round (cmd_inspect_show.c); 0, or
 * the exit status after saying why not. */
struct kp_rnd_inspection;
int cli_pick_inspection(const struct cli_cmd *cmd, const struct cli_args *a,
			struct kp_rnd_inspection *x);

/* Where `inspect --round R --unit U` stores (cmd_inspect_store.c, over
 * round's kp_rnd_target): opened before the crawl, so a bad round or
 * unit costs nothing; inspect_target_close frees it. */
struct kp_rnd_target;
struct kp_inspect_result;
struct inspect_target {
	struct kp_rnd_target *t;
};
/* 0, or the exit status after saying what is wrong. */
int inspect_target_open(const struct cli_cmd *cmd, const struct cli_args *a,
			struct inspect_target *t);
/* Store r, its findings with their keys (kp_inspect_finding_keys) and j, its
 * JSON, started and finished at those times by who; then add
 * "inspection" and "changes" (against the previous inspection) to j.
 * 0, or the exit status after saying why nothing was stored. */
int inspect_target_store(struct inspect_target *t, const struct kp_inspect_result *r,
			 char *const *keys, struct json_t *j,
			 const char *started, const char *finished,
			 const char *who);
/* Before inspect_target_store: leave out of r, keys and j the findings
 * reviewed as false alarms for the unit (kp_rnd_target_filter); 0, or
 * the exit status after printing why not. */
int inspect_target_filter(struct inspect_target *t, struct kp_inspect_result *r,
			  char **keys, struct json_t *j);
/* The text account of j's "inspection" and "changes", if any. */
void inspect_print_stored(struct json_t *j);
/* The text account of a changes object (kp_rnd_changes_json). */
void inspect_print_changes(struct json_t *ch);
void inspect_target_close(struct inspect_target *t);

/* The ledgers' commands (info, tasks) without --ledger use the store:
 * whether one is named (--db, $KAOPING_DB, or ./kaoping.db exists), and
 * opening it (0, or the exit status: a usage error naming --ledger when
 * none is).  In cmd_info.c. */
bool cli_store_named(const struct cli_cmd *cmd, const struct cli_args *a);
int cli_ledger_store_open(const struct cli_cmd *cmd, const struct cli_args *a,
			  bool write, struct kp_store **db);

/* 政务信息 ledger commands (cmd_info_*.c, one a verb); their option
 * tables live there */
extern const struct cli_opt info_add_opts[], info_import_opts[],
	info_stats_opts[], info_bulletin_opts[], info_facts_opts[],
	info_ledger_import_opts[], info_ledger_export_opts[];
int cmd_info_add(const struct cli_cmd *, int, char **);
int cmd_info_import(const struct cli_cmd *, int, char **);
int cmd_info_stats(const struct cli_cmd *, int, char **);
int cmd_info_bulletin(const struct cli_cmd *, int, char **);
int cmd_info_facts(const struct cli_cmd *, int, char **);
int cmd_info_ledger_import(const struct cli_cmd *, int, char **);
int cmd_info_ledger_export(const struct cli_cmd *, int, char **);

/* division-of-work tasks (cmd_tasks_*.c, one a verb); their option
 * tables live there */
extern const struct cli_opt tasks_dates_opts[], tasks_show_opts[],
	tasks_import_opts[], tasks_event_opts[], tasks_due_opts[],
	tasks_report_opts[], tasks_ledger_import_opts[],
	tasks_ledger_export_opts[];
int cmd_tasks_dates(const struct cli_cmd *, int, char **);
int cmd_tasks_show(const struct cli_cmd *, int, char **);
int cmd_tasks_import(const struct cli_cmd *, int, char **);
int cmd_tasks_event(const struct cli_cmd *, int, char **);
int cmd_tasks_due(const struct cli_cmd *, int, char **);
int cmd_tasks_report(const struct cli_cmd *, int, char **);
int cmd_tasks_ledger_import(const struct cli_cmd *, int, char **);
int cmd_tasks_ledger_export(const struct cli_cmd *, int, char **);

/* the web server and its accounts (cmd_serve.c, cmd_user_*.c) */
extern const struct cli_opt serve_opts[], user_add_opts[], user_list_opts[],
	user_disable_opts[];
int cmd_serve(const struct cli_cmd *, int, char **);
int cmd_user_add(const struct cli_cmd *, int, char **);
int cmd_user_list(const struct cli_cmd *, int, char **);
int cmd_user_disable(const struct cli_cmd *, int, char **);
/* reports (cmd_report_*.c, one a verb): documents written to -o */
extern const struct cli_opt report_sheet_opts[], report_rank_opts[],
	report_rectify_opts[], report_inspection_opts[], report_bulletin_opts[],
	report_charts_opts[];
int cmd_report_sheet(const struct cli_cmd *, int, char **);
int cmd_report_rank(const struct cli_cmd *, int, char **);
int cmd_report_rectify(const struct cli_cmd *, int, char **);
int cmd_report_inspection(const struct cli_cmd *, int, char **);
int cmd_report_bulletin(const struct cli_cmd *, int, char **);
int cmd_report_charts(const struct cli_cmd *, int, char **);
/* Write d to out: a directory (existing, or ending in '/') when dirs
 * takes a file per table in format (NULL: xlsx), else the file out in
 * the format its extension names (format overrides); prints where, or
 * why not; the exit status (cmd_report_out.c). */
struct kp_rep_doc;
struct kp_rep_out;
int cli_report_write(const struct kp_rep_doc *d, const char *out,
		     const char *format, bool dirs);
/* One report command as data: the steps every one shares — parse, check
 * the arguments, -o required, open the round when it needs one, build,
 * write where -o says, the round's notes — run by cli_report_run. */
struct cli_report {
	const char *verb;       /* "sheet": messages say "report sheet" */
	const char *title;      /* the document's (kp_rep_doc_init) */
	bool round;             /* build gets the opened round (else NULL) */
	bool dirs;              /* -o may be a directory; --format read */
	/* positional arguments: NULL none accepted; else 0 or the exit
	 * status after printing why not (before -o is asked for) */
	int (*args)(const struct cli_cmd *cmd, const struct cli_args *a);
	int (*build)(const struct cli_cmd *cmd, const struct cli_args *a,
		     struct kp_rnd *r, struct kp_rep_doc *d, kp_err *e);
	bool charts;            /* -o is a directory for the charts' SVG
				 * and PNG files (kp_rep_write_charts) */
	/* when not NULL, used instead of build: the document added to o a
	 * part at a time as it is built (kp_rep_out), for reports too big
	 * to hold whole (every unit's sheets) */
	int (*stream)(const struct cli_cmd *cmd, const struct cli_args *a,
		      struct kp_rnd *r, struct kp_rep_out *o, kp_err *e);
};
int cli_report_run(const struct cli_cmd *cmd, int argc, char **argv,
		   const struct cli_report *rep);
/* monitoring: sites (cmd_sites_*.c), the service and its report
 * (cmd_monitor*.c), workers (cmd_worker.c).  The options every one of
 * them reads into a kp_monitor_conf (cli_monitor_conf, cmd_monitor.c). */
#define CLI_OPT_MONITOR_CONF                                                \
	{ "interval", 0, "秒", "每个网站两次探测之间的秒数", "600", 10, 86400 }, \
	{ "timeout-ms", 0, "毫秒", "一次探测的时限", "15000", 100, 120000 },     \
	{ "lease", 0, "秒", "工作者领取任务的租期", "60", 1, 3600 },             \
	{ "min-probes", 0, "N", "7 天内至少探测这么多次才判可用性", "20", 1, 100000 }, \
	{ "column-warn-margin", 0, "N", "栏目更新、空白栏目差几个到否决线时预警（0 不预警）", "1", 0, 4 }, \
	{ "webhook", 0, "网址", "预警与恢复以 JSON POST 到此（默认 $KAOPING_WEBHOOK）" }, \
	{ "smtp", 0, "网址", "预警与恢复也发邮件，经此 SMTP 服务器：smtp://主机:端口 或 smtps://…（默认 $KAOPING_SMTP）" }, \
	{ "mail-from", 0, "地址", "发件人（默认 $KAOPING_MAIL_FROM）" }, \
	{ "mail-to", 0, "地址", "收件人，多个以逗号分隔（默认 $KAOPING_MAIL_TO）" }, \
	{ "smtp-user", 0, "用户", "SMTP 登录用户（口令取自 $KAOPING_SMTP_PASSWORD）" }, \
	{ "smtp-tls", 0, NULL, "smtp:// 也必须 STARTTLS 加密（默认服务器支持才加密）" }, \
	{ "parallel", 0, "N", "一个工作者同时进行的探测数", "64", 1, 1024 }, \
	{ "host-gap-ms", 0, "毫秒", "所有工作者合计，同一主机（协议://主机:端口）两次请求至少相隔（默认 1000；模拟 --as-of 时默认 0）", NULL, 0, 3600000 }
/* Scheduled inspections (monitor and worker). */
#define CLI_OPT_INSPECT_JOBS                                                 \
	{ "inspect-every", 0, "秒", "每个网站整站检测的间隔（默认 86400 即每天；0 不做整站检测）", "86400", 0, 31 * 86400 }, \
	{ "columns-every", 0, "秒", "两次整站检测之间栏目检查的间隔：只取首页和最近一次检测的各栏目页，重算栏目更新、空白栏目（默认 21600 即每 6 小时；0 不做）", "21600", 0, 31 * 86400 }, \
	{ "full-inspections", 0, NULL, "定时的整站检测都完整抓取（默认增量：上次存下的文章页发条件请求，未变的沿用）" }, \
	{ "round", 0, "轮次", "整站检测存入的轮次：monitor 给出它才排定时的整站检测（网站的单位须在轮次中）；worker 默认最新的轮次" }
struct kp_monitor_conf;
int cli_monitor_conf(const struct cli_cmd *cmd, const struct cli_args *a,
		     struct kp_monitor_conf *c);
/* --from and --to of a monitor verb (monitor report, monitor facts) as
 * times; a day alone as --to means to its end.  0, or the usage error's
 * exit status (the message printed, naming verb). */
int cli_monitor_window(const struct cli_cmd *cmd, const struct cli_args *a,
		       const char *verb, int64_t *from, int64_t *to);
extern const struct cli_opt sites_add_opts[], sites_list_opts[],
	sites_import_opts[], monitor_opts[], monitor_report_opts[],
	monitor_facts_opts[], worker_opts[];
int cmd_sites_add(const struct cli_cmd *, int, char **);
int cmd_sites_list(const struct cli_cmd *, int, char **);
int cmd_sites_import(const struct cli_cmd *, int, char **);
int cmd_monitor(const struct cli_cmd *, int, char **);
int cmd_monitor_report(const struct cli_cmd *, int, char **);
int cmd_monitor_facts(const struct cli_cmd *, int, char **);
int cmd_worker(const struct cli_cmd *, int, char **);

#endif
