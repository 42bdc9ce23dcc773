/* kaoping serve — the web server (src/web) on ADDR:PORT until SIGTERM or
 * SIGINT; requests logged to stderr. */
#include "cli/cli.h"
#include "inspect/inspect.h"
#include "web/web.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

const struct cli_opt serve_opts[] = {
	{ "listen", 0, "地址:端口", "监听的地址和端口（端口 0：任选一个空闲端口，启动时打印）", "127.0.0.1:8080" },
	CLI_OPT_DB,
	{ "body-max", 0, "字节", "请求正文的上限", "1048576", 1024, 64L << 20 },
	{ "session-hours", 0, "小时", "会话有效期", "8", 1, 24 * 30 },
	{ "threads", 0, "个数", "处理请求的线程数（0：每个处理器核心一个）", "0", 0, 64 },
	{ "data", 0, "目录", "上传的附件（佐证材料）存放的目录（没有则建立）", "kaoping-files" },
	{ "evidence-max", 0, "字节", "一个附件的上限", "20971520", 1024, 1L << 30 },
	CLI_OPT_END,
};

int cmd_serve(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_web_config c;
	kp_web *w;
	kp_err e;
	sigset_t set;
	int sig = 0;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("serve 不接受参数“%s”", a.pos[0]);
	c.listen = cli_get(cmd, &a, "listen");
	c.conn = cli_db_conn(cmd, &a);
	c.body_max = (size_t)strtol(cli_get(cmd, &a, "body-max"), NULL, 10);
	c.session_s = strtol(cli_get(cmd, &a, "session-hours"), NULL, 10) * 3600;
	c.threads = (unsigned)strtol(cli_get(cmd, &a, "threads"), NULL, 10);
	c.data = cli_get(cmd, &a, "data");
	c.evidence_max = (size_t)strtol(cli_get(cmd, &a, "evidence-max"), NULL, 10);
	/* the server's threads inherit the mask: only this thread takes the
	 * signals, and stops the server between requests */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* libcurl for the re-inspections started from the 检测 page, set up
	 * once before any thread (recheck.c) */
	if (kp_inspect_process_init() < 0) {
		kp_fail(&e, KP_EINTERNAL, "libcurl 初始化失败");
		return cli_error(&e);
	}
	if (kp_web_start(&c, &w, &e) < 0) {
		kp_inspect_process_cleanup();
		return cli_error(&e);
	}
	printf("kaoping serve：正在 http://%.*s:%u/ 上服务（数据库 %s；SIGTERM 或 Ctrl-C 停止）\n",
	       (int)(strrchr(c.listen, ':') - c.listen), c.listen, kp_web_port(w),
	       c.conn);
	fflush(stdout);
	sigwait(&set, &sig);
	kp_web_stop(w);
	kp_inspect_process_cleanup();
	fprintf(stderr, "kaoping serve：已停止\n");
	return KP_EXIT_OK;
}
