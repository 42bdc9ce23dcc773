/* kaoping eval new — a round from one table (--table) or a scheme
 * (--scheme) and a units registry (round: kp_rnd_create). */
#include "cli/cli.h"
#include "round/round.h"

const struct cli_opt eval_new_opts[] = {
	{ "table", 't', "ID|文件", "指标表：内置表 id、规范格式的文件，或 stored:编号（管理员在网页导入、存在 --db 数据库中的表；与 --scheme 二选一）" },
	{ "scheme", 's', "ID|文件", "考评方案：几张表、各自适用的单位和合并规则（内置方案 id 或方案文件，见 docs/scheme.md）" },
	{ "units", 'u', "ID|文件", "单位名录（默认方案或表的 #meta,registry）" },
	{ "name", 0, "名称", "轮次名称（默认“年度-表id”或“年度-方案id”）" },
	{ "period", 0, "期间", "年度或季度，如 2016、2016Q3（默认方案或表的年度）" },
	CLI_OPT_DB, CLI_OPT_AUTHOR, CLI_OPT_END,
};

static void print_created(const kp_rnd_created *c)
{
	if (c->scheme)
		printf("已创建轮次“%s”：方案 %s（%s），%zu 张表，", c->name, c->id,
		       c->title, c->ntables);
	else
		printf("已创建轮次“%s”：表 %s（%s），", c->name, c->id, c->title);
	printf("单位 %zu 个（%s", c->nunits, c->registry);
	if (c->nunits < c->nregistry)
		printf(" 中%s适用的；另 %zu 个不适用", c->scheme ? "方案" : "表",
		       c->nregistry - c->nunits);
	printf("），数据库 %s\n", c->where);
	for (size_t k = 0; k < c->ntables; k++) {
		printf("  ");
		cli_pad(stdout, c->tables[k].label, 12);
		cli_pad(stdout, c->tables[k].table_id, 22);
		printf("%zu 个单位\n", c->tables[k].nunits);
	}
	if (c->scheme)
		printf("合并规则：%s\n", c->combine == KP_COMBINE_SUM
			       ? "sum（各表折算后的分数相加：扣分为负、得分为正）"
			       : "weighted（按权重加权平均各表的得分）");
}

int cmd_eval_new(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_created c;
	kp_err e;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval new 不接受参数“%s”（表用 --table 或 --scheme 指明）", a.pos[0]);
	{
		kp_rnd_spec sp = {
			.conn = cli_db_conn(cmd, &a),
			.table = cli_get(cmd, &a, "table"),
			.scheme = cli_get(cmd, &a, "scheme"),
			.units = cli_get(cmd, &a, "units"),
			.name = cli_get(cmd, &a, "name"),
			.period = cli_get(cmd, &a, "period"),
			.author = cli_author(cmd, &a),
		};
		if (kp_rnd_create(&sp, &c, &e) < 0)
			return cli_error(&e);
	}
	print_created(&c);
	kp_rnd_created_release(&c);
	return KP_EXIT_OK;
}
