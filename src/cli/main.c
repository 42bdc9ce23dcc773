/* kaoping — entry point and command table. */
#include "cli/cli.h"

#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

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
	{ NULL, 0, NULL, NULL },
};

static const struct cli_opt export_opts[] = {
	{ "output", 'o', "文件", "写入文件；以 .xlsx 结尾时写 XLSX（默认 CSV 到标准输出）" },
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
	{ "help", cmd_help, "[命令]", no_opts, "显示帮助" },
	{ "version", cmd_version, "", no_opts, "显示版本" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- shared helpers -------------------------------------------------- */

int cli_error(const kp_err *e)
{
	fprintf(stderr, "kaoping: %s\n", e->msg);
	return KP_EXIT_USAGE;
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

void cli_pad(FILE *f, const char *s, size_t w)
{
	size_t have = kp_utf8_width(s);
	fputs(s, f);
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
		fprintf(f, " %s\n", o->help);
		kp_buf_release(&b);
	}
	fprintf(f, "  ");
	cli_pad(f, "-h, --help", 24);
	fprintf(f, " 显示此帮助\n");
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
			return a->val[i];
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

static const struct cli_cmd *find(int argc, char **argv, int *used)
{
	for (const struct cli_cmd *c = commands; c->words; c++) {
		const char *sp = strchr(c->words, ' ');
		if (!sp && argc >= 1 && !strcmp(argv[0], c->words)) {
			*used = 1;
			return c;
		}
		if (sp && argc >= 2 &&
		    strlen(argv[0]) == (size_t)(sp - c->words) &&
		    !strncmp(argv[0], c->words, (size_t)(sp - c->words)) &&
		    !strcmp(argv[1], sp + 1)) {
			*used = 2;
			return c;
		}
	}
	return NULL;
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
	if (!c) {
		if (!strcmp(argv[1], "table") && argc > 2)
			return cli_usage_error("table 没有子命令“%s”（可用：list、show、import、export、lint；见 kaoping help）",
					       argv[2]);
		if (!strcmp(argv[1], "table"))
			return cli_usage_error("table 需要子命令：list、show、import、export、lint（见 kaoping help）");
		return cli_usage_error("没有命令“%s”（见 kaoping help）", argv[1]);
	}
	/* the handler sees argv[0] = the last command word */
	return c->fn(c, argc - used, argv + used);
}
