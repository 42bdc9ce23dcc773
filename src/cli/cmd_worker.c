/* kaoping worker — claims due probe jobs from the store's queue in
 * batches, holds them under leases renewed together, probes many at once
 * (--parallel) keeping each host's gap across workers (--host-gap-ms),
 * and writes the results in batches (monitor: kp_monitor_work).  Any
 * number of workers on any number of machines share one PostgreSQL queue
 * (SELECT … FOR UPDATE SKIP LOCKED); a job whose worker died is claimed
 * again when its lease runs out. */
#include "cli/cli.h"
#include "inspect/inspect.h"
#include "monitor/monitor.h"
#include "store/store.h"

#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

const struct cli_opt worker_opts[] = {
	CLI_OPT_DB,
	{ "name", 0, "名称", "记在任务上的工作者名（默认 主机名:进程号）" },
	{ "as-of", 0, "时间", "只做排定在此时刻及以前的任务，探测时间记为排定时间（模拟）" },
	{ "max-jobs", 0, "N", "做完 N 个任务后退出（0 不限）", "0", 0, 100000000 },
	{ "idle-exit", 0, NULL, "没有到期的任务就退出（默认等待新任务）" },
	CLI_OPT_MONITOR_CONF,
	CLI_OPT_INSPECT_JOBS,
	CLI_OPT_END,
};

static volatile sig_atomic_t g_stop;

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* Jobs a worker finished, whatever their kind or outcome. */
static int64_t jobs_done(const kp_monitor_tally *t)
{
	return t->probed + t->inspected + t->inspect_failed + t->columns_checked +
	       t->columns_failed + t->lost;
}

int cmd_worker(const struct cli_cmd *cmd, int argc, char **argv)
{
	int64_t failed_said = 0;
	struct cli_args a;
	kp_monitor_conf c;
	kp_monitor_tally t = { 0 };
	kp_store *db;
	kp_err e;
	struct sigaction sa = { 0 };
	char name[300], host[256] = "";
	const char *asof, *nm;
	int64_t due = 0, max;
	int rc = 0;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("worker 不接受参数“%s”", a.pos[0]);
	asof = cli_get(cmd, &a, "as-of");
	if (asof && kp_monitor_parse_time(asof, &due) < 0)
		return cli_usage_error("--as-of 不是时间：“%s”", asof);
	cli_monitor_conf(cmd, &a, &c);
	max = strtol(cli_get(cmd, &a, "max-jobs"), NULL, 10);
	nm = cli_get(cmd, &a, "name");
	gethostname(host, sizeof(host) - 1);
	snprintf(name, sizeof(name), "%s:%ld", host, (long)getpid());
	if (nm)
		snprintf(name, sizeof(name), "%s", nm);
	if (kp_inspect_process_init() < 0)
		return cli_usage_error("无法启动 libcurl");
	if ((rc = cli_open_store(cmd, &a, 0, &db))) {
		kp_inspect_process_cleanup();
		return rc;
	}
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	c.stop = &g_stop;   /* claim no more; finish what is held */
	while (!g_stop) {
		int64_t before = jobs_done(&t);
		if (kp_monitor_work(db, &c, name, asof ? due : (int64_t)time(NULL),
				    asof != NULL, max ? max - jobs_done(&t) : 0, &t,
				    &e) < 0) {
			rc = cli_error(&e);
			break;
		}
		if (t.inspect_failed > failed_said) {
			fprintf(stderr, "kaoping worker %s：未能检测 %s\n", name, t.last_error);
			failed_said = t.inspect_failed;
		}
		if (max && jobs_done(&t) >= max)
			break;
		if (jobs_done(&t) == before) {
			if (cli_get(cmd, &a, "idle-exit"))
				break;
			for (int i = 0; i < 10 && !g_stop; i++)
				usleep(100000);
		}
	}
	fprintf(stderr, "kaoping worker %s：探测 %lld 次（失败 %lld 次）", name,
		(long long)t.probed, (long long)t.failed);
	if (t.inspected || t.inspect_failed)
		fprintf(stderr, "；整站检测 %lld 次（抓取页面 %lld 个，完整下载 %lld 个；未能检测 %lld 次）",
			(long long)t.inspected, (long long)t.inspect_pages,
			(long long)t.inspect_downloaded, (long long)t.inspect_failed);
	if (t.columns_checked || t.columns_failed)
		fprintf(stderr, "；栏目检查 %lld 次（抓取页面 %lld 个；未能检查 %lld 次）",
			(long long)t.columns_checked, (long long)t.columns_pages,
			(long long)t.columns_failed);
	if (t.lost)
		fprintf(stderr, "；%lld 个任务租约已失、结果未写", (long long)t.lost);
	fputc('\n', stderr);
	kp_store_close(db);
	kp_inspect_process_cleanup();
	return rc;
}
