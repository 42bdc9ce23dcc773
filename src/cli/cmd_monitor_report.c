/* kaoping monitor report — per site, its probes, failures and
 * availability over a period, the rules' verdicts at its end and its
 * warnings (monitor: kp_monitor_report_json). */
#include "cli/cli.h"
#include "monitor/monitor.h"
#include "store/store.h"

#include <jansson.h>
#include <string.h>

const struct cli_opt monitor_report_opts[] = {
	CLI_OPT_DB,
	{ "site", 0, "网址|编号", "只报这个网站" },
	{ "unit", 'u', "单位", "只报这个单位的网站" },
	{ "from", 0, "日期", "起（含），如 2024-06-01" },
	{ "to", 0, "日期", "止（含；只给日期时到当天末）" },
	CLI_OPT_MONITOR_CONF,
	CLI_OPT_JSON,
	CLI_OPT_END,
};

#define JI(o, k) ((long long)json_integer_value(json_object_get(o, k)))
#define JS(o, k) json_string_value(json_object_get(o, k))

/* A column rule's verdict: the inspection it is read from, the counts at
 * the day, then each column counted with its newest date. */
static void print_columns(json_t *v)
{
	json_t *col;
	size_t i;
	int64_t ct = 0;
	char bj[24];
	if (!json_is_true(json_object_get(v, "judged"))) {
		printf("（尚无存入的检测）\n");
		return;
	}
	printf("（检测 %lld，%s", JI(v, "inspection"), JS(v, "inspected"));
	if (JS(v, "checked") && kp_monitor_parse_time(JS(v, "checked"), &ct) == 0)
		printf("，栏目检查 %lld（北京时间 %s，重新打开 %lld 个栏目）",
		       JI(v, "column_check"), kp_monitor_time_bj(ct, bj),
		       JI(v, "checked_columns"));
	if (json_is_integer(json_object_get(v, "blank")))
		printf("：空白栏目 %lld 个，否决线 %lld 个）\n", JI(v, "blank"),
		       JI(v, "veto_count"));
	else
		printf("；至 %s 未按期更新 %lld 个，否决线 %lld 个；超过 1 年 %lld 个，否决线 %lld 个）\n",
		       JS(v, "day"), JI(v, "stale"), JI(v, "veto_count"),
		       JI(v, "long_stale"), JI(v, "long_veto_count"));
	json_array_foreach(json_object_get(v, "columns"), i, col) {
		const char *src = JS(col, "source");
		printf("    %s（%s）", JS(col, "name"), JS(col, "class"));
		if (json_is_string(json_object_get(col, "latest_date")))
			printf(" 最新 %s，%lld 天未更新（要求 %lld 天内）",
			       JS(col, "latest_date"), JI(col, "stale_days"),
			       JI(col, "window_days"));
		else if (json_is_integer(json_object_get(col, "window_days")))
			printf(" 信息都没有日期");
		printf("  %s", JS(col, "url"));
		if (src && !strcmp(src, "检测"))
			printf("  据检测（栏目检查未能打开，状态 %lld）", JI(col, "check_status"));
		else if (src)
			printf("  据栏目检查");
		putchar('\n');
	}
}

static void print_site(json_t *st)
{
	json_t *v, *av = json_object_get(st, "availability");
	char pct[32] = "—";
	size_t i;
	printf("%s  %s（%s）\n", json_string_value(json_object_get(st, "unit")),
	       json_string_value(json_object_get(st, "url")),
	       json_string_value(json_object_get(st, "kind")));
	if (json_is_number(av))
		snprintf(pct, sizeof(pct), "%.2f", json_number_value(av));
	printf("  探测 %lld 次，失败 %lld 次，可用率 %s%%\n",
	       (long long)json_integer_value(json_object_get(st, "probes")),
	       (long long)json_integer_value(json_object_get(st, "failures")), pct);
	json_array_foreach(json_object_get(st, "verdicts"), i, v) {
		const char *lv = json_string_value(json_object_get(v, "level"));
		printf("  %s：%s", json_string_value(json_object_get(v, "title")),
		       !strcmp(lv, "veto") ? "单项否决（不合格）"
		       : !strcmp(lv, "warning") ? "预警" : "合格");
		if (!strcmp(json_string_value(json_object_get(v, "rule")), "availability"))
			printf("（7 天 %lld 次探测，失败 %lld 次）\n",
			       (long long)json_integer_value(json_object_get(v, "probes")),
			       (long long)json_integer_value(json_object_get(v, "failures")));
		else if (!strncmp(json_string_value(json_object_get(v, "rule")), "column_", 7))
			print_columns(v);
		else if (json_is_integer(json_object_get(v, "unchanged_days")))
			printf("（%lld 天未更新）\n", (long long)json_integer_value(
				       json_object_get(v, "unchanged_days")));
		else
			printf("（尚无成功的探测）\n");
	}
	json_array_foreach(json_object_get(st, "warnings"), i, v)
		printf("  预警 %lld：%s %s，%s 起%s%s\n",
		       (long long)json_integer_value(json_object_get(v, "id")),
		       json_string_value(json_object_get(v, "title")),
		       json_string_value(json_object_get(v, "level")),
		       json_string_value(json_object_get(v, "opened")),
		       json_is_string(json_object_get(v, "resolved")) ? "，恢复于 " : "",
		       json_is_string(json_object_get(v, "resolved"))
			       ? json_string_value(json_object_get(v, "resolved")) : "");
}

int cmd_monitor_report(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_monitor_conf c;
	kp_store *db;
	kp_err e;
	json_t *j, *st;
	int64_t from, to;
	size_t i;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("monitor report 不接受参数“%s”", a.pos[0]);
	if ((rc = cli_monitor_window(cmd, &a, "monitor report", &from, &to)))
		return rc;
	cli_monitor_conf(cmd, &a, &c);
	if ((rc = cli_open_store(cmd, &a, 0, &db)))
		return rc;
	rc = kp_monitor_report_json(db, &c, cli_get(cmd, &a, "site"),
				    cli_get(cmd, &a, "unit"), from, to, &j, &e);
	kp_store_close(db);
	if (rc < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "json"))
		return cli_print_json(j);
	printf("监测报告：%s 至 %s\n", json_string_value(json_object_get(j, "from")),
	       json_string_value(json_object_get(j, "to")));
	json_array_foreach(json_object_get(j, "sites"), i, st)
		print_site(st);
	json_decref(j);
	return KP_EXIT_OK;
}
