/* kaoping info add — one submission, or one adoption of a submission,
 * from the command line, into the ledger. */
#include "cli/cmd_info.h"

#include <stdio.h>

const struct cli_opt info_add_opts[] = {
	INFO_COMMON_OPTS,
	{ "unit", 0, "单位", "报送单位（规范名称或别名）" },
	{ "date", 0, "日期", "报送日期，如 2016-07-05（未报送的紧急或约稿信息可不写，但须写 --due）" },
	{ "title", 0, "标题", "信息标题" },
	{ "category", 0, "类别", "信息类别" },
	{ "urgent", 0, NULL, "紧急重要信息" },
	{ "request", 0, "约稿|批示反馈", "约稿或市政府领导批示要求反馈的信息" },
	{ "due", 0, "日期", "要求报送时限（紧急、约稿、批示反馈信息）" },
	{ "false-info", 0, NULL, "经核实为虚假信息" },
	{ "note", 0, "文字", "备注" },
	{ "item", 0, "编号", "给台账中已有的报送（编号）记一次采用" },
	{ "publication", 0, "刊物", "采用刊物，如 攀政快讯、川政晨讯" },
	{ "adopted", 0, "日期", "采用日期" },
	{ "issue", 0, "期号", "期号（按期计分的刊物，如每日政情）" },
	{ "pishi", 0, "级别", "领导批示的级别：市级、省级、国家级" },
	{ "pishi-by", 0, "领导", "批示领导" },
	{ "upstream", 0, NULL, "上报国办的信息被国办采用" },
	{ NULL, 0, NULL, NULL },
};

int cmd_info_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const char *const map[][2] = {
		{ "unit", "unit" }, { "date", "date" }, { "title", "title" },
		{ "category", "category" }, { "request", "request" },
		{ "due", "due" }, { "note", "note" }, { "item", "item" },
		{ "publication", "publication" }, { "adopted", "adopted" },
		{ "issue", "issue" }, { "pishi", "pishi" },
		{ "pishi-by", "pishi_by" },
	};
	struct cli_args a;
	info_env v;
	const char *kv[2 * 20 + 1];
	size_t n = 0, ns, na;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("info add 不接受参数“%s”", a.pos[0]);
	if (!cli_get(cmd, &a, "title") && !cli_get(cmd, &a, "item"))
		return cli_usage_error("info add：需要 --title（记一条报送）或 --item（给已有报送记采用）");
	if (cli_get(cmd, &a, "item") && !cli_get(cmd, &a, "publication"))
		return cli_usage_error("info add：--item 需要 --publication 和 --adopted");
	if ((rc = info_env_open(cmd, &a, true, &v)))
		return rc;
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (cli_get(cmd, &a, map[i][0])) {
			kv[n++] = map[i][1];
			kv[n++] = cli_get(cmd, &a, map[i][0]);
		}
	if (cli_get(cmd, &a, "urgent")) {
		kv[n++] = "urgent";
		kv[n++] = "1";
	}
	if (cli_get(cmd, &a, "false-info")) {
		kv[n++] = "false_info";
		kv[n++] = "1";
	}
	if (cli_get(cmd, &a, "upstream")) {
		kv[n++] = "upstream";
		kv[n++] = "1";
	}
	kv[n] = NULL;
	ns = kp_info_nsubmissions(v.l);
	na = kp_info_nadoptions(v.l);
	if (kp_info_add(v.l, kv, &e) < 0 || info_env_save(&v, &e) < 0) {
		info_env_release(&v);
		return cli_error(&e);
	}
	if (kp_info_nsubmissions(v.l) > ns)
		printf("已记入报送，编号 %zu\n", kp_info_nsubmissions(v.l));
	if (kp_info_nadoptions(v.l) > na)
		printf("已记入采用，编号 %zu\n", kp_info_nadoptions(v.l));
	info_env_release(&v);
	return 0;
}
