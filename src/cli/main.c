/* kaoping — entry point and command table. */
#include "cli/cli.h"
#include "round/round.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <locale.h>
#include <pwd.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct cli_opt json_only[] = {
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt import_opts[] = {
	{ "output", 'o', "文件", "写入规范格式的文件（默认写到标准输出）" },
	{ "id", 0, "ID", "新表的 id（小写字母、数字、-；默认 imported）" },
	{ "title", 0, "标题", "新表的标题（默认取表头上方的标题行）" },
	{ "map", 0, "列名=含义", "指明无法识别的列，如 '单位名称=一级指标'、'考核分=忽略'（可重复）" },
	{ "sheet", 0, "N", "XLSX：读第 N 个工作表（默认第一个）" },
	{ "strict", 0, NULL, "只认精确的列名，遇到无法识别的列即停止（默认按列名里的字词识别，仍无法识别的记入备注并提示）" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt export_opts[] = {
	{ "output", 'o', "文件", "写入文件；以 .xlsx 结尾时写 XLSX（默认 CSV 到标准输出）" },
	{ "canonical", 0, NULL, "完整版式：另带规则、参数、编号等 kaoping 自己的列（可原样导回）" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt lint_opts[] = {
	{ "json", 0, NULL, "以 JSON 输出" },
	{ "all", 0, NULL, "检查全部内置表，并比较各表之间的单位写法（不给表时的默认）" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt no_opts[] = { { NULL, 0, NULL, NULL } };

static int cmd_help(const struct cli_cmd *, int, char **);
static int cmd_version(const struct cli_cmd *, int, char **);

static const struct cli_cmd commands[] = {
	{ "table list", cmd_table_list, "", json_only,
	  "列出内置的指标表、任务分配表、计分标准和单位名录" },
	{ "table show", cmd_table_show, "ID|文件", json_only,
	  "显示一张表：指标树（编号、名称、分值、规则）或各行记录" },
	{ "table import", cmd_table_import, "文件", import_opts,
	  "导入发布版式的指标表（CSV、TSV、GBK、XLSX），写成规范格式" },
	{ "table export", cmd_table_export, "ID|文件", export_opts,
	  "把指标表导出为发布版式（一级指标、二级指标…；CSV 或 XLSX）" },
	{ "table lint", cmd_table_lint, "[ID|文件…]", lint_opts,
	  "检查表：分值合计、扣分、文字与分值矛盾、重名、单位写法、原文问题" },
	{ "info add", cmd_info_add, "", info_add_opts,
	  "政务信息台账：记一条报送或一次采用" },
	{ "info import", cmd_info_import, "文件", info_import_opts,
	  "政务信息台账：导入各单位的报送、采用表（CSV、XLSX；有错则整表不导入）" },
	{ "info stats", cmd_info_stats, "", info_stats_opts,
	  "政务信息台账：各单位某期间的报送、重复、紧急迟报、采用得分" },
	{ "info bulletin", cmd_info_bulletin, "", info_bulletin_opts,
	  "政务信息台账：季度采用情况通报（任务、完成、完成率）" },
	{ "info facts", cmd_info_facts, "", info_facts_opts,
	  "政务信息台账：写出政务信息工作考评表的事实（来源：台账）" },
	{ "info ledger import", cmd_info_ledger_import, "目录", info_ledger_import_opts,
	  "政务信息台账：把台账目录导入数据库（库中已有的须是目录的前几行；有错则不导入）" },
	{ "info ledger export", cmd_info_ledger_export, "目录", info_ledger_export_opts,
	  "政务信息台账：把数据库中的台账写成一个新的台账目录" },
	{ "eval new", cmd_eval_new, "", eval_new_opts,
	  "考评轮次：用一张指标表（--table）或一个考评方案（--scheme：几张表、各自适用的单位、合并规则）和单位名录新建一个轮次（年度或季度）" },
	{ "eval list", cmd_eval_list, "", eval_list_opts,
	  "考评轮次：列出数据库中的轮次" },
	{ "eval facts add", cmd_eval_facts_add, "文件", eval_add_opts,
	  "考评轮次：登记事实（自评、考核、检测、台账；有错则整个文件不登记）" },
	{ "eval facts list", cmd_eval_facts_list, "", eval_facts_list_opts,
	  "考评轮次：列出事实及其编号，和每条的去向（计入、被更正取代、已撤回）" },
	{ "eval facts withdraw", cmd_eval_facts_withdraw, "编号…", eval_withdraw_opts,
	  "考评轮次：按编号撤回事实（须 --reason；记入历史，不删除，撤回后不再计分）" },
	{ "eval score", cmd_eval_score, "", eval_score_opts,
	  "考评轮次：按事实为每个单位计分并排名，结果存入数据库" },
	{ "eval show", cmd_eval_show, "单位", eval_show_opts,
	  "考评轮次：一个单位的考评表（分值、自评分、考核分、得分、依据）" },
	{ "eval rank", cmd_eval_rank, "", eval_rank_opts,
	  "考评轮次：排名" },
	{ "eval log", cmd_eval_log, "", eval_log_opts,
	  "考评轮次：审计日志（谁、何时、做了什么）" },
	{ "eval template", cmd_eval_template, "", eval_template_opts,
	  "考评轮次：写出一个单位要填的自评表（适用的指标、分值、评分标准，填好后可 eval facts add）" },
	{ "eval status", cmd_eval_status, "", eval_status_opts,
	  "考评轮次：各单位还缺什么（未评指标按来源：自评、考核、检测、台账）" },
	{ "inspect", cmd_inspect, "网址", inspect_opts,
	  "检测政府网站：抓取、栏目更新、死链、底部要素，输出发现的问题（可存入轮次）" },
	{ "inspect history", cmd_inspect_history, "", inspect_history_opts,
	  "网站检测：列出轮次中存下的检测（每次的问题数、新发现、已整改）" },
	{ "inspect show", cmd_inspect_show, "[编号]", inspect_show_opts,
	  "网站检测：一次存下的检测的发现，以及与上次相比的新发现、已整改" },
	{ "inspect facts", cmd_inspect_facts, "[编号]", inspect_facts_opts,
	  "网站检测：把一次存下的检测变成轮次指标表的事实（来源：检测），供 eval facts add" },
	{ "inspect review", cmd_inspect_review, "编号", inspect_review_opts,
	  "网站检测：复核一条发现（--confirm 确认属实，--false-alarm 误报，以后不再报告）" },
	{ "tasks dates", cmd_tasks_dates, "", tasks_dates_opts,
	  "分工方案：列出每项任务完成时限解析出的日期" },
	{ "tasks show", cmd_tasks_show, "序号", tasks_show_opts,
	  "分工方案：一项任务的要求、责任单位、时限日期、备注和进展" },
	{ "tasks import", cmd_tasks_import, "文件", tasks_import_opts,
	  "分工方案：导入各单位的任务进展（CSV、XLSX；有错则整表不导入）" },
	{ "tasks event", cmd_tasks_event, "事件 日期", tasks_event_opts,
	  "分工方案：登记时限起算的事件日期（如 国家指导意见印发）" },
	{ "tasks due", cmd_tasks_due, "", tasks_due_opts,
	  "分工方案：某日逾期未完成的和今后 N 天内到期的任务" },
	{ "tasks report", cmd_tasks_report, "", tasks_report_opts,
	  "分工方案：各单位全年任务完成情况" },
	{ "tasks ledger import", cmd_tasks_ledger_import, "文件", tasks_ledger_import_opts,
	  "分工方案：把任务进展台账文件导入数据库（按方案分开保存；有错则不导入）" },
	{ "tasks ledger export", cmd_tasks_ledger_export, "文件", tasks_ledger_export_opts,
	  "分工方案：把数据库中方案的任务进展台账写成一个新的文件" },
	{ "serve", cmd_serve, "", serve_opts,
	  "网页服务：JSON 接口、账号和角色（见 docs/api.md）" },
	{ "user add", cmd_user_add, "用户名", user_add_opts,
	  "网页账号：添加（密码从标准输入读，或 --generate 生成）" },
	{ "user list", cmd_user_list, "", user_list_opts,
	  "网页账号：列出账号、角色、单位和状态" },
	{ "user disable", cmd_user_disable, "用户名", user_disable_opts,
	  "网页账号：停用（其会话随即失效）" },
	{ "report sheet", cmd_report_sheet, "", report_sheet_opts,
	  "报表：各单位的考评表（发布版式：序号、各级指标、分值、评分标准、自评分、考核分、得分、扣分说明、签字栏），写成 XLSX、CSV 或 HTML" },
	{ "report rank", cmd_report_rank, "", report_rank_opts,
	  "报表：考评结果排名（名次、单位、满分、得分、得分率、折算、结果；--by type 按单位类型分组）" },
	{ "report rectify", cmd_report_rectify, "", report_rectify_opts,
	  "报表：各单位的整改清单（每个失分点的原因和证据，按可挽回的分数排序，整改期限）" },
	{ "report inspection", cmd_report_inspection, "[编号]", report_inspection_opts,
	  "报表：一次存下的网站检测的检测报告（概况、问题和证据、死链及所在页面、栏目更新、底部要素、与上次相比）" },
	{ "report bulletin", cmd_report_bulletin, "", report_bulletin_opts,
	  "报表：考评结果通报（标题、主送、总体情况、较好和较差的单位、主要问题及其单位数、工作要求、落款；附件：各单位失分情况）" },
	{ "report charts", cmd_report_charts, "", report_charts_opts,
	  "报表：图表（得分分布、各一级指标平均得分与满分、单位画像、各期平均得分趋势），写成 SVG 和 PNG" },
	{ "sites add", cmd_sites_add, "单位 网址", sites_add_opts,
	  "监测：登记一个单位的网站或政务新媒体账号" },
	{ "sites import", cmd_sites_import, "", sites_import_opts,
	  "监测：把轮次单位名录里的网站（website 列）加入监测" },
	{ "sites list", cmd_sites_list, "", sites_list_opts,
	  "监测：列出监测的网站" },
	{ "monitor", cmd_monitor, "", monitor_opts,
	  "监测服务：按时探测首页、按国家规则判定、预警并通知（--once 走一步）" },
	{ "monitor report", cmd_monitor_report, "", monitor_report_opts,
	  "监测报告：各网站的探测、可用率、单项否决与预警" },
	{ "monitor facts", cmd_monitor_facts, "", monitor_facts_opts,
	  "监测判定作为轮次的事实（来源 检测），供 eval facts add 登记" },
	{ "worker", cmd_worker, "", worker_opts,
	  "监测工作者：从任务表领取探测任务（PostgreSQL 上可多机并行）" },
	{ "help", cmd_help, "[命令]", no_opts, "显示帮助" },
	{ "version", cmd_version, "", no_opts, "显示版本" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- shared helpers -------------------------------------------------- */

int cli_error(const kp_err *e)
{
	fputs("kaoping: ", stderr);
	cli_put(stderr, e->msg);
	fputc('\n', stderr);
	return kp_rnd_exit_status(e->code);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("kaoping: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return KP_EXIT_USAGE;
}

const char *cli_db_conn(const struct cli_cmd *cmd, const struct cli_args *a)
{
	const char *db = cli_get(cmd, a, "db");
	if (!db || !*db)
		db = getenv("KAOPING_DB");
	return db && *db ? db : "kaoping.db";
}

const char *cli_author(const struct cli_cmd *cmd, const struct cli_args *a)
{
	const char *who = cli_get(cmd, a, "author");
	if (!who || !*who)
		who = getenv("USER");
	if (!who || !*who) {
		/* no $USER (cron, a service): the account the process runs as */
		const struct passwd *pw = getpwuid(getuid());
		who = pw ? pw->pw_name : NULL;
	}
	return who && *who ? who : "unknown";
}

int cli_open_store(const struct cli_cmd *cmd, const struct cli_args *a,
		   int flags, kp_store **db)
{
	kp_err e;
	if (kp_store_open(cli_db_conn(cmd, a), flags, db, &e) < 0)
		return cli_error(&e);
	return 0;
}

int cli_open_round(const struct cli_cmd *cmd, const struct cli_args *a,
		   kp_rnd **r)
{
	kp_err e;
	if (kp_rnd_open(cli_db_conn(cmd, a), cli_get(cmd, a, "round"), r, &e) < 0)
		return cli_error(&e);
	return 0;
}

void cli_round_notes(kp_rnd *r)
{
	const char *p = kp_rnd_notes(r);
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = kp_xstrndup(p, n);
		fputs("kaoping: ", stderr);
		cli_put(stderr, line);
		fputc('\n', stderr);
		free(line);
		p += n + (p[n] == '\n');
	}
	kp_rnd_notes_clear(r);
}

int cli_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			       JSON_REAL_PRECISION(15));
	json_decref(j);
	if (!s)
		return cli_usage_error("JSON 输出失败");
	puts(s);
	free(s);
	return 0;
}

void cli_put(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7F)
			fprintf(f, "\\x%02x", *p);
		else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			fprintf(f, "\\u%04x", *++p);
		else
			fputc(*p, f);
	}
}

void cli_pad(FILE *f, const char *s, size_t w)
{
	size_t have = kp_utf8_width(s);
	cli_put(f, s);
	while (have++ < w)
		fputc(' ', f);
}

void cli_usage(const struct cli_cmd *cmd, FILE *f)
{
	fprintf(f, "用法：kaoping %s%s%s [选项]\n\n%s\n", cmd->words,
		*cmd->args ? " " : "", cmd->args, cmd->summary);
	fprintf(f, "\n选项：\n");
	for (const struct cli_opt *o = cmd->opts; o->name; o++) {
		kp_buf b = KP_BUF_INIT;
		if (o->short_name)
			kp_buf_addf(&b, "-%c, ", o->short_name);
		kp_buf_addf(&b, "--%s", o->name);
		if (o->arg)
			kp_buf_addf(&b, " %s", o->arg);
		fputs("  ", f);
		cli_pad(f, b.data, 24);
		fprintf(f, " %s", o->help);
		if (o->def)
			fprintf(f, "（默认 %s）", o->def);
		if (o->min < o->max)
			fprintf(f, "（%ld 到 %ld）", o->min, o->max);
		fputc('\n', f);
		kp_buf_release(&b);
	}
	fprintf(f, "  ");
	cli_pad(f, "-h, --help", 24);
	fprintf(f, " 显示此帮助\n");
}

/* An option with bounds takes an integer within them. */
static int in_bounds(const struct cli_opt *o, const char *v)
{
	char *end;
	long n;
	if (!(o->min < o->max) || !o->arg)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < o->min || n > o->max) {
		cli_usage_error("--%s 应为 %ld 到 %ld 之间的整数，而不是“%s”",
				o->name, o->min, o->max, v);
		return -1;
	}
	return 0;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      struct cli_args *a, const char *repeatable)
{
	struct option lo[34];
	char shorts[80] = "h";
	size_t n = 0, sl = 1;
	memset(a, 0, sizeof(*a));
	for (const struct cli_opt *o = cmd->opts; o->name && n < 32; o++, n++) {
		lo[n].name = o->name;
		lo[n].has_arg = o->arg ? required_argument : no_argument;
		lo[n].flag = NULL;
		lo[n].val = 256 + (int)n;
		if (o->short_name && sl + 3 < sizeof(shorts)) {
			shorts[sl++] = o->short_name;
			if (o->arg)
				shorts[sl++] = ':';
			shorts[sl] = '\0';
		}
	}
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	optind = 1;
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, shorts, lo, NULL);
		size_t idx;
		if (c == -1)
			break;
		if (c == 'h') {
			cli_usage(cmd, stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				cli_usage_error("%s：未知选项 -%c 或缺少参数（见 kaoping %s --help）",
						cmd->words, optopt, cmd->words);
			else
				cli_usage_error("%s：未知选项“%s”或缺少参数（见 kaoping %s --help）",
						cmd->words, argv[optind - 1],
						cmd->words);
			return -1;
		}
		if (c < 256) {
			for (idx = 0; idx < n; idx++)
				if (cmd->opts[idx].short_name == c)
					break;
		} else {
			idx = (size_t)(c - 256);
		}
		if (idx >= n)
			return -1;
		if (repeatable && !strcmp(cmd->opts[idx].name, repeatable)) {
			if (a->nrepeat == CLI_MAX_REPEAT) {
				cli_usage_error("--%s 最多 %d 个", repeatable,
						CLI_MAX_REPEAT);
				return -1;
			}
			a->repeat[a->nrepeat++] = optarg;
			a->repeat[a->nrepeat] = NULL;
		}
		a->val[idx] = cmd->opts[idx].arg ? optarg : "";
		if (in_bounds(&cmd->opts[idx], a->val[idx]) < 0)
			return -1;
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	return 0;
}

const char *cli_get(const struct cli_cmd *cmd, const struct cli_args *a,
		    const char *name)
{
	for (size_t i = 0; cmd->opts[i].name; i++)
		if (!strcmp(cmd->opts[i].name, name))
			return a->val[i] ? a->val[i] : cmd->opts[i].def;
	return NULL;
}

/* ---- help and version ------------------------------------------------ */

static void overview(FILE *f)
{
	fprintf(f, "kaoping %s — 政务公开与政府网站绩效考评系统\n\n"
		   "用法：kaoping <命令> [选项]\n\n命令：\n",
		KP_VERSION);
	for (const struct cli_cmd *c = commands; c->words; c++) {
		fputs("  ", f);
		cli_pad(f, c->words, 16);
		fprintf(f, " %s\n", c->summary);
	}
	fprintf(f, "\n每个命令都有 --help。退出码：0 成功，1 发现问题，2 用法或输入错误。\n");
}

/* The command groups: a first word several commands share, and what is
 * said when it comes alone or with a word none of them has. */
static const struct cli_group {
	const char *word, *subs;
} groups[] = {
	{ "table", "list、show、import、export、lint" },
	{ "eval", "new、list、facts add、score、show、rank、log" },
	{ "inspect", "history、show、facts、review（或 kaoping inspect 网址）" },
	{ "report", "sheet、rank、rectify、inspection、bulletin、charts" },
	{ "info", "add、import、stats、bulletin、facts、ledger import、ledger export" },
	{ "tasks", "dates、show、import、event、due、report、ledger import、ledger export" },
	{ "sites", "add、import、list" },
	{ NULL, NULL },
};

static const struct cli_group *find_group(const char *word)
{
	for (const struct cli_group *g = groups; g->word; g++)
		if (!strcmp(g->word, word))
			return g;
	return NULL;
}

/* `kaoping eval --help`: the group's commands, one line each. */
static void group_help(const struct cli_group *g, FILE *f)
{
	size_t len = strlen(g->word);
	const char *first = NULL;
	fprintf(f, "用法：kaoping %s <子命令> [选项]\n\n子命令：\n", g->word);
	for (const struct cli_cmd *c = commands; c->words; c++) {
		if (strncmp(c->words, g->word, len) || c->words[len] != ' ')
			continue;
		if (!first)
			first = c->words;
		fputs("  ", f);
		cli_pad(f, c->words, 18);
		fprintf(f, " %s\n", c->summary);
	}
	if (first)
		fprintf(f, "\n每个子命令都有 --help，如 kaoping %s --help。\n", first);
}

static const struct cli_cmd *find(int argc, char **argv, int *used)
{
	/* a command is one or more words ("eval facts add"): each must be
	 * the next argument; the longest match wins ("inspect history"
	 * over "inspect") */
	const struct cli_cmd *best = NULL;
	for (const struct cli_cmd *c = commands; c->words; c++) {
		const char *w = c->words;
		int i = 0;
		for (;;) {
			size_t len = strcspn(w, " ");
			if (i >= argc || strlen(argv[i]) != len ||
			    strncmp(argv[i], w, len))
				break;
			i++;
			if (!w[len]) {
				if (!best || i > *used) {
					best = c;
					*used = i;
				}
				break;
			}
			w += len + 1;
		}
	}
	return best;
}

static int cmd_help(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	const struct cli_cmd *c;
	int used;
	int r = cli_parse(cmd, argc, argv, &a, NULL);
	if (r)
		return r > 0 ? 0 : KP_EXIT_USAGE;
	if (!a.npos) {
		overview(stdout);
		return 0;
	}
	c = find(a.npos, a.pos, &used);
	if (!c)
		return cli_usage_error("没有命令“%s”（见 kaoping help）", a.pos[0]);
	cli_usage(c, stdout);
	return 0;
}

static int cmd_version(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	int r = cli_parse(cmd, argc, argv, &a, NULL);
	if (r)
		return r > 0 ? 0 : KP_EXIT_USAGE;
	printf("kaoping %s\n", KP_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;
	const struct cli_group *g;
	int used = 0;
	setlocale(LC_ALL, "C.UTF-8");
	if (argc < 2) {
		overview(stderr);
		return KP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("kaoping %s\n", KP_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		overview(stdout);
		return 0;
	}
	c = find(argc - 1, argv + 1, &used);
	g = find_group(argv[1]);
	/* a group word alone with --help (`kaoping eval --help`) */
	if (g && (!c || used == 1) && argc == 3 &&
	    (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) &&
	    strcmp(argv[1], "inspect")) {
		group_help(g, stdout);
		return 0;
	}
	if (!c) {
		if (g && !strcmp(g->word, "table") && argc > 2)
			return cli_usage_error("table 没有子命令“%s”（可用：%s；见 kaoping help）",
					       argv[2], g->subs);
		if (g && strcmp(g->word, "inspect"))
			return cli_usage_error("%s 需要子命令：%s（见 kaoping help）",
					       g->word, g->subs);
		return cli_usage_error("没有命令“%s”（见 kaoping help）", argv[1]);
	}
	/* the handler sees argv[0] = the last command word */
	return c->fn(c, argc - used, argv + used);
}
