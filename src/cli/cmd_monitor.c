/* kaoping monitor — the monitoring service: a scheduling step every few
 * seconds at the real time (foreground, a line on stderr for each step
 * that did something, clean on SIGTERM), or exactly one as if at --as-of
 * (--once).  The work is src/monitor's. */
#include "cli/cli.h"
#include "inspect/inspect.h"
#include "monitor/monitor.h"
#include "store/store.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const struct cli_opt monitor_opts[] = {
	CLI_OPT_DB,
	{ "once", 0, NULL, "只走一步调度（与 --as-of 一起模拟某一时刻）" },
	{ "as-of", 0, "时间", "当作此刻的时间，如 2024-06-01T08:30（默认现在，UTC）" },
	{ "until", 0, "时间", "模拟：从 --as-of 起每 --step 秒走一步，直到此时刻（含），不等待" },
	{ "step", 0, "秒", "模拟时两步之间的秒数（默认等于 --interval）", NULL, 1, 86400 },
	CLI_OPT_MONITOR_CONF,
	CLI_OPT_INSPECT_JOBS,
	{ "queue-only", 0, NULL, "只排探测任务，由 kaoping worker 去做（PostgreSQL 多机）" },
	{ "tick", 0, "秒", "服务模式下两步之间的秒数", "5", 1, 3600 },
	CLI_OPT_END,
};

/* Option name, else environment variable env; NULL when neither or
 * empty. */
static const char *opt_or_env(const struct cli_cmd *cmd,
			      const struct cli_args *a, const char *name,
			      const char *env)
{
	const char *v = cli_get(cmd, a, name);
	if (!v)
		v = getenv(env);
	return v && *v ? v : NULL;
}

int cli_monitor_window(const struct cli_cmd *cmd, const struct cli_args *a,
		       const char *verb, int64_t *from, int64_t *to)
{
	const char *f = cli_get(cmd, a, "from"), *t = cli_get(cmd, a, "to");
	if (!f || !t)
		return cli_usage_error("%s 要 --from 与 --to", verb);
	if (kp_monitor_parse_time(f, from) < 0)
		return cli_usage_error("--from 不是日期或时间：“%s”", f);
	if (kp_monitor_parse_time(t, to) < 0)
		return cli_usage_error("--to 不是日期或时间：“%s”", t);
	if (strlen(t) == 10)
		*to += 86399;   /* a day alone: to its end */
	if (*to < *from)
		return cli_usage_error("--to（%s）早于 --from（%s）", t, f);
	return 0;
}

int cli_monitor_conf(const struct cli_cmd *cmd, const struct cli_args *a,
		     kp_monitor_conf *c)
{
	const char *w = cli_get(cmd, a, "webhook");
	/* the numbers are checked against their rows' bounds by cli_parse */
	kp_monitor_conf_default(c);
	c->interval = strtol(cli_get(cmd, a, "interval"), NULL, 10);
	c->timeout_ms = strtol(cli_get(cmd, a, "timeout-ms"), NULL, 10);
	c->lease = strtol(cli_get(cmd, a, "lease"), NULL, 10);
	c->min_probes = strtol(cli_get(cmd, a, "min-probes"), NULL, 10);
	c->col_warn_margin = (int)strtol(cli_get(cmd, a, "column-warn-margin"),
					 NULL, 10);
	if (!w)
		w = getenv("KAOPING_WEBHOOK");
	c->webhook = w && *w ? w : NULL;
	c->smtp = opt_or_env(cmd, a, "smtp", "KAOPING_SMTP");
	c->mail_from = opt_or_env(cmd, a, "mail-from", "KAOPING_MAIL_FROM");
	c->mail_to = opt_or_env(cmd, a, "mail-to", "KAOPING_MAIL_TO");
	c->smtp_user = cli_get(cmd, a, "smtp-user");
	c->smtp_password = getenv("KAOPING_SMTP_PASSWORD");
	c->smtp_tls = cli_get(cmd, a, "smtp-tls") != NULL;
	c->parallel = (int)strtol(cli_get(cmd, a, "parallel"), NULL, 10);
	/* politeness is for real hosts at the real time; a simulation's
	 * steps come faster than any gap */
	w = cli_get(cmd, a, "host-gap-ms");
	c->host_gap_ms = w ? strtol(w, NULL, 10)
			   : cli_get(cmd, a, "as-of") ? 0 : 1000;
	/* scheduled inspections: only the commands that run jobs have
	 * these options (cli_get is NULL for the others: none) */
	if (cli_get(cmd, a, "inspect-every")) {
		c->inspect_every = strtol(cli_get(cmd, a, "inspect-every"), NULL, 10);
		c->inspect_full = cli_get(cmd, a, "full-inspections") != NULL;
		c->round = cli_get(cmd, a, "round");
		c->conn = cli_db_conn(cmd, a);
		c->columns_every = strtol(cli_get(cmd, a, "columns-every"), NULL, 10);
	} else {
		c->inspect_every = 0;
		c->columns_every = 0;
	}
	return 0;
}

static volatile sig_atomic_t g_stop;

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void log_step(int64_t now, const kp_monitor_tally *t)
{
	char at[24];
	if (t->inspect_queued || t->inspected || t->inspect_failed)
		fprintf(stderr, "kaoping monitor: %s 整站检测：排队 %lld，完成 %lld（抓取页面 %lld 个，完整下载 %lld 个），未能检测 %lld%s%s\n",
			kp_monitor_time_str(now, at), (long long)t->inspect_queued,
			(long long)t->inspected, (long long)t->inspect_pages,
			(long long)t->inspect_downloaded, (long long)t->inspect_failed,
			t->inspect_failed ? "：" : "", t->inspect_failed ? t->last_error : "");
	if (t->columns_queued || t->columns_checked || t->columns_failed)
		fprintf(stderr, "kaoping monitor: %s 栏目检查：排队 %lld，完成 %lld（抓取页面 %lld 个），未能检查 %lld%s%s\n",
			kp_monitor_time_str(now, at), (long long)t->columns_queued,
			(long long)t->columns_checked, (long long)t->columns_pages,
			(long long)t->columns_failed,
			t->columns_failed ? "：" : "", t->columns_failed ? t->last_error : "");
	if (!t->queued && !t->probed && !t->opened && !t->raised &&
	    !t->resolved && !t->notified && !t->notify_failed)
		return;
	fprintf(stderr, "kaoping monitor: %s 网站 %lld，排队 %lld，探测 %lld（失败 %lld），"
		"新预警 %lld，升为否决 %lld，恢复 %lld，已通知 %lld，通知失败 %lld\n",
		kp_monitor_time_str(now, at), (long long)t->sites,
		(long long)t->queued, (long long)t->probed, (long long)t->failed,
		(long long)t->opened, (long long)t->raised, (long long)t->resolved,
		(long long)t->notified, (long long)t->notify_failed);
}

/* The service: a step every tick seconds until SIGTERM or SIGINT. */
static int serve(kp_store *db, const kp_monitor_conf *c, long tick)
{
	struct sigaction sa = { 0 };
	kp_err e;
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(stderr, "kaoping monitor: 开始（%s，每站每 %lld 秒探测一次）\n",
		kp_store_where(db), (long long)c->interval);
	while (!g_stop) {
		kp_monitor_tally t;
		int64_t now = (int64_t)time(NULL);
		if (kp_monitor_step(db, c, now, &t, &e) < 0)
			fprintf(stderr, "kaoping monitor: %s\n", e.msg);
		else
			log_step(now, &t);
		for (long i = 0; i < tick * 10 && !g_stop; i++)
			usleep(100000);
	}
	fprintf(stderr, "kaoping monitor: 收到停止信号，已退出\n");
	return KP_EXIT_OK;
}

int cmd_monitor(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_monitor_conf c;
	kp_store *db;
	kp_err e;
	int64_t now = (int64_t)time(NULL), until = 0, step;
	const char *asof;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("monitor 不接受参数“%s”（子命令：report）", a.pos[0]);
	asof = cli_get(cmd, &a, "as-of");
	if (asof && kp_monitor_parse_time(asof, &now) < 0)
		return cli_usage_error("--as-of 不是时间：“%s”（如 2024-06-01T08:30）", asof);
	if (asof && !cli_get(cmd, &a, "once") && !cli_get(cmd, &a, "until"))
		return cli_usage_error("--as-of 要与 --once 或 --until 一起使用");
	if (cli_get(cmd, &a, "until") && (!asof || cli_get(cmd, &a, "once")))
		return cli_usage_error("--until 要与 --as-of 一起使用（不与 --once）");
	if (cli_get(cmd, &a, "until") &&
	    kp_monitor_parse_time(cli_get(cmd, &a, "until"), &until) < 0)
		return cli_usage_error("--until 不是时间：“%s”", cli_get(cmd, &a, "until"));
	cli_monitor_conf(cmd, &a, &c);
	if (c.smtp && (!c.mail_from || !c.mail_to))
		return cli_usage_error("--smtp 需要 --mail-from 和 --mail-to（或 $KAOPING_MAIL_FROM、$KAOPING_MAIL_TO）");
	c.queue_only = cli_get(cmd, &a, "queue-only") != NULL;
	if (kp_inspect_process_init() < 0)
		return cli_usage_error("无法启动 libcurl");
	if ((rc = cli_open_store(cmd, &a, KP_STORE_CREATE, &db))) {
		kp_inspect_process_cleanup();
		return rc;
	}
	step = cli_get(cmd, &a, "step")
		       ? strtol(cli_get(cmd, &a, "step"), NULL, 10) : c.interval;
	if (cli_get(cmd, &a, "once") || until) {
		kp_monitor_tally t;
		rc = 0;
		do {
			if (kp_monitor_step(db, &c, now, &t, &e) < 0) {
				rc = cli_error(&e);
				break;
			}
			log_step(now, &t);
			now += step;
		} while (until && now <= until);
	} else {
		rc = serve(db, &c, strtol(cli_get(cmd, &a, "tick"), NULL, 10));
	}
	kp_store_close(db);
	kp_inspect_process_cleanup();
	return rc;
}
