/* kaoping monitor facts — monitoring's verdicts at the end of a period
 * as facts of a round (source 检测), in the facts file format, for eval
 * facts add, as inspect facts gives an inspection's (monitor:
 * kp_monitor_round_facts). */
#include "cli/cli.h"
#include "monitor/monitor.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

const struct cli_opt monitor_facts_opts[] = {
	CLI_OPT_DB, CLI_OPT_ROUND,
	{ "from", 0, "日期", "起（含），如 2024-06-01" },
	{ "to", 0, "日期", "止（含；只给日期时到当天末）：按国家规则判定的时刻" },
	{ "output", 'o', "文件", "写入这个文件（默认标准输出）" },
	CLI_OPT_MONITOR_CONF,
	CLI_OPT_END,
};

int cmd_monitor_facts(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_monitor_conf c;
	kp_facts fs = KP_FACTS_INIT;
	kp_buf out = KP_BUF_INIT;
	kp_store *db;
	kp_err e;
	int64_t from, to;
	const char *dest;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("monitor facts 不接受参数“%s”", a.pos[0]);
	if ((rc = cli_monitor_window(cmd, &a, "monitor facts", &from, &to)))
		return rc;
	cli_monitor_conf(cmd, &a, &c);
	dest = cli_get(cmd, &a, "output");
	if ((rc = cli_open_store(cmd, &a, 0, &db)))
		return rc;
	rc = kp_monitor_round_facts(db, &c, cli_get(cmd, &a, "round"), from, to,
				    &fs, &e);
	kp_store_close(db);
	if (rc == 0) {
		kp_facts_write_csv(&fs, &out);
		rc = kp_write_atomic(dest ? dest : "-", out.data, out.len, &e);
	}
	if (rc == 0)
		fprintf(stderr, "kaoping: 监测判定为事实 %zu 条（单项否决）%s\n", fs.n,
			fs.n ? "（用 kaoping eval facts add 登记）" : "");
	kp_buf_release(&out);
	kp_facts_release(&fs);
	return rc < 0 ? cli_error(&e) : KP_EXIT_OK;
}
