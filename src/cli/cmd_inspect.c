/* kaoping inspect URL — crawl a government website and report findings;
 * with --round and --unit, store them in the round (cmd_inspections.c). */
#include "cli/cli.h"
#include "inspect/inspect.h"
#include "round/round.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const struct cli_opt inspect_opts[] = {
	{ "as-of", 0, "日期", "以这一天为“今天”计算是否更新（默认今天，如 2024-06-30）" },
	{ "site-config", 0, "文件", "本网站的设置：其他主机、robots、排除的路径、栏目的网址或类别、列表项（正则或 XPath，见 docs/inspect.md）" },
	{ "portal", 0, "域名", "本级政府门户网站的域名（如 example.gov.cn）：部门网站的域名应在它之下，不在时报 site.domain（也可在设置文件中写 portal 行）" },
	{ "max-pages", 0, "N", "最多抓取的页面数（默认 1000000：整个网站，只是安全上限；达到时结果注明“抓取未完成”）" },
	{ "max-depth", 0, "N", "距首页的最多点击次数（默认 64）" },
	{ "max-time", 0, "秒", "最长抓取时间，到时不再开始新的请求（默认不限；达到时结果注明“抓取未完成”）" },
	{ "required", 0, "表", "检查指标表要求开设的栏目（如 ak2020-columns）" },
	{ "unit", 0, "单位", "被检测的单位：与 --round 合用时存入它名下；与 --required 合用时按它的清单检查（如 表三 中的部门）" },
	{ "parallel", 0, "N", "同时进行的请求数（默认 16）" },
	{ "per-host", 0, "N", "每个主机同时进行的请求数（默认 6）" },
	{ "delay", 0, "毫秒", "对同一主机两次请求之间的间隔（默认 0）" },
	{ "timeout", 0, "秒", "每个请求的超时（默认 15）" },
	{ "retries", 0, "N", "失败后重试次数（默认 3）" },
	{ "max-body", 0, "MB", "页面大小上限（解压后，默认 8）" },
	{ "attach-max", 0, "MB", "附件（本网站的 .pdf、.docx、.xlsx）下载大小上限，读取其中文字做内容检查（默认 20；0：不读取附件；.doc、.xls 不读取）" },
	{ "words", 0, "文件", "本单位维护的表述错误词表（错误写法,正确写法,说明；与内置词表一起使用；也可在设置文件中写 wording 行）" },
	{ "allow-private", 0, NULL, "允许重定向、外部链接和设置文件中的其他主机指向内网或本机地址（本单位内网网站互相链接时；也可在设置文件中写 private,allow）" },
	{ "ignore-robots", 0, NULL, "不遵守 robots.txt（只用于本单位自己的网站）" },
	{ "external", 0, NULL, "也检查指向其他网站的链接是否有效（每个只发一次请求）" },
	{ "h2c", 0, NULL, "对 http:// 网址直接用 HTTP/2（服务器支持 h2c 时；https 总是协商 HTTP/2）" },
	{ "threads", 0, "N", "解析页面的线程数（默认每核一个，至少 1；0：在抓取循环中解析）" },
	{ "round", 'r', "名称", "把检测结果存入这个轮次（要有 --unit），并与上次检测比较：新发现、已整改、仍存在" },
	{ "incremental", 0, NULL, "增量再检查（要有 --round）：上次检测存下的文章页发条件请求（ETag / Last-Modified），未变的（304）沿用存下的页面；列表页（首页、栏目）每次都取。结果与完整检测相同" },
	CLI_OPT_DB, CLI_OPT_AUTHOR, CLI_OPT_JSON, CLI_OPT_END,
};

static int num_opt(const char *name, const char *v, long lo, long hi, long *out)
{
	char *end;
	long n;
	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (*end || end == v || n < lo || n > hi)
		return cli_usage_error("--%s 应为 %ld 到 %ld 之间的整数，而不是“%s”",
				       name, lo, hi, v);
	*out = n;
	return 0;
}

static void show_progress(const kp_inspect_progress *p, void *ctx)
{
	(void)ctx;
	double rate = p->elapsed > 0 ? (double)p->fetched / p->elapsed : 0;
	fprintf(stderr, "\r已抓取 %zu  排队 %zu  进行中 %zu  %.1f 个/秒  错误 %zu   ",
		p->fetched, p->queued, p->inflight, rate, p->errors);
	fflush(stderr);
}

/* The summary's first lines: what was crawled, and whether it was the
 * whole site; false when the site could not be reached at all (said
 * plainly, instead of "HTTP 0 … 抓取页面 1 个"). */
static bool summary_head(const kp_inspect_result *r)
{
	char d[16];
	printf("网站检测：%s（以 %s 为准）\n", r->site, kp_inspect_date_str(r->as_of, d));
	if (!r->home.status) {
		const char *why = "无法连接";
		for (size_t i = 0; i < r->nfindings; i++)
			if (!strcmp(r->findings[i].check, "homepage.reachable") &&
			    *r->findings[i].snippet)
				why = r->findings[i].snippet;
		printf("无法访问网站：首页 %s 打不开（%s），没有抓取到任何页面。请检查网址和网络后再试。\n",
		       r->home.final_url ? r->home.final_url : r->home.url, why);
		return false;
	}
	printf("抓取页面 %zu 个，检查资源 %zu 个，用时 %.1f 秒\n",
	       r->pages_crawled, r->resources_checked, r->seconds);
	if (r->incremental)
		printf("增量再检查：条件请求 %zu 个，未变（304，沿用上次的页面）%zu 个，完整下载 %zu 个页面\n",
		       r->pages_conditional, r->pages_not_modified, r->pages_downloaded);
	if (r->robots_skipped || r->traps || r->refused_big)
		printf("按 robots.txt 跳过 %zu 个，跳过疑似陷阱网址 %zu 个，超过大小上限拒收 %zu 个\n",
		       r->robots_skipped, r->traps, r->refused_big);
	if (!r->complete) {
		kp_buf msg = KP_BUF_INIT;
		kp_inspect_limits_message(r, &msg);
		printf("注意：%s\n", msg.data);
		kp_buf_release(&msg);
	}
	return true;
}

static void summary(const kp_inspect_result *r)
{
	char d[16];
	size_t veto = 0, serious = 0;
	if (!summary_head(r))
		goto findings;
	printf("首页：HTTP %d，%.2f 秒，最新信息 %s%s%s\n", r->home.status,
	       r->home.seconds,
	       r->home.latest ? kp_inspect_date_str(r->home.latest, d) : "无",
	       r->home.title && *r->home.title ? "，标题 " : "",
	       r->home.title ? r->home.title : "");
	printf("\n栏目（%zu 个）：\n", r->ncolumns);
	for (size_t i = 0; i < r->ncolumns; i++) {
		const kp_inspect_column *c = &r->columns[i];
		fputs("  ", stdout);
		cli_pad(stdout, c->name, 16);
		fputs(" ", stdout);
		cli_pad(stdout, c->cls, 14);
		printf(" 最新 %-10s 条目 %-4zu 页数 %-3d %s\n",
		       c->latest ? kp_inspect_date_str(c->latest, d) : "无",
		       c->items, c->pages,
		       !c->status ? "未抓取" : c->status >= 400 ? "无法访问"
		       : c->blank ? "空白" : c->stale ? "未按期更新" : "正常");
	}
	printf("\n死链 %zu 个：\n", r->ndead);
	for (size_t i = 0; i < r->ndead && i < 50; i++) {
		const kp_inspect_dead *x = &r->dead[i];
		printf("  [%s%s] %s（", x->confirmed ? "确认" : "疑似",
		       x->timeout ? "超时" : kp_inspect_link_kind_label(x->kind), x->url);
		if (*x->error)
			printf("%s%s", x->error, x->status ? "，" : "");
		if (x->status)
			printf("HTTP %d", x->status);
		printf("）\n");
		for (size_t k = 0; k < x->nfound && k < 3; k++)
			printf("      见于 %s\n", x->found_on[k]);
	}
findings:
	printf("\n发现问题 %zu 条：\n", r->nfindings);
	for (size_t i = 0; i < r->nfindings; i++) {
		const kp_inspect_finding *f = &r->findings[i];
		if (!strcmp(f->severity, "否决"))
			veto++;
		if (!strcmp(f->severity, "严重"))
			serious++;
		printf("  [%s] %s  %s", f->severity, kp_inspect_check_title(f->check), f->message);
		if (*f->url)
			printf("  %s", f->url);
		putchar('\n');
	}
	printf("\n合计：单项否决 %zu 条，严重 %zu 条，其他 %zu 条\n", veto,
	       serious, r->nfindings - veto - serious);
}

/* The inspection's options from the command line into o; 0, or the exit
 * status of a usage error. */
static int read_opts(const struct cli_cmd *cmd, struct cli_args *a,
		     const char *unit, kp_inspect_opts *o)
{
	const char *s;
	long v;
	kp_inspect_opts_init(o);
	if ((s = cli_get(cmd, a, "as-of"))) {
		o->as_of = kp_inspect_date_parse(s);
		if (!o->as_of || strlen(s) != 10)
			return cli_usage_error("--as-of 应为 YYYY-MM-DD 格式的日期，而不是“%s”", s);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		o->as_of = kp_inspect_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
					    tm.tm_mday);
	}
#define NUM(name, lo, hi, field, scale)                                        \
	v = -1;                                                                \
	if (num_opt(name, cli_get(cmd, a, name), lo, hi, &v))                 \
		return KP_EXIT_USAGE;                                          \
	if (v >= 0)                                                            \
		field = v * (scale);
	NUM("max-pages", 1, 10000000, o->max_pages, 1)
	NUM("max-depth", 0, 100, o->max_depth, 1)
	NUM("parallel", 1, 256, o->parallel, 1)
	NUM("per-host", 1, 256, o->per_host, 1)
	NUM("delay", 0, 60000, o->delay_ms, 1)
	NUM("timeout", 1, 600, o->timeout_ms, 1000)
	NUM("retries", 0, 10, o->retries, 1)
	NUM("max-body", 1, 1024, o->max_body, (size_t)1 << 20)
	NUM("attach-max", 0, 1024, o->attach_max, (size_t)1 << 20)
	NUM("max-time", 0, 7 * 86400, o->max_seconds, 1)
	NUM("threads", 0, 8, o->threads, 1)
	if (v == 0)
		o->threads = -1;   /* --threads 0: no parser threads */
#undef NUM
	o->site_config = cli_get(cmd, a, "site-config");
	o->words = cli_get(cmd, a, "words");
	o->portal = cli_get(cmd, a, "portal");   /* kp_inspect_run checks and normalises it */
	o->required = cli_get(cmd, a, "required");
	o->unit = o->required ? unit : NULL;
	o->ignore_robots = cli_get(cmd, a, "ignore-robots") != NULL;
	o->external = cli_get(cmd, a, "external") != NULL;
	o->allow_private = cli_get(cmd, a, "allow-private") != NULL;
	o->h2c = cli_get(cmd, a, "h2c") != NULL;
	return 0;
}

int cmd_inspect(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_inspect_opts o;
	kp_inspect_result *res = NULL;
	struct inspect_target target;
	kp_err e;
	const char *round, *unit;
	char started[24], finished[24];
	bool store;
	int r;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("inspect 需要一个网址（见 kaoping inspect --help）");
	round = cli_get(cmd, &a, "round");
	unit = cli_get(cmd, &a, "unit");
	store = round != NULL;
	if (cli_get(cmd, &a, "db") && !round)
		return cli_usage_error("--db 要与 --round 一起使用（检测结果存入哪个轮次）");
	if (round && (!unit || !*unit))
		return cli_usage_error("--round 要与 --unit 一起使用（检测的是哪个单位的网站）");
	if (unit && !round && !cli_get(cmd, &a, "required"))
		return cli_usage_error("--unit 要与 --round（存入轮次）或 --required（按清单检查）一起使用");
	if (cli_get(cmd, &a, "incremental") && !round)
		return cli_usage_error("--incremental 要与 --round、--unit 一起使用（上次检测的页面存在轮次的数据库里）");
	if ((r = read_opts(cmd, &a, unit, &o)))
		return r;
	bool json = cli_get(cmd, &a, "json") != NULL;
	if (isatty(2) && !getenv("KP_NO_PROGRESS"))
		o.progress = show_progress;
	/* a wrong round or unit is refused before the crawl */
	if (store && (r = inspect_target_open(cmd, &a, &target)))
		return r;
	if (kp_inspect_process_init() < 0) {
		if (store)
			inspect_target_close(&target);
		kp_fail(&e, KP_EINTERNAL, "libcurl 初始化失败");
		return cli_error(&e);
	}
	/* stored: the page cache is refreshed (a full inspection) or used
	 * too (--incremental) */
	kp_rnd_page_cache *pc = store ? kp_rnd_page_cache_new(
		target.t->db, a.pos[0], cli_get(cmd, &a, "incremental") != NULL) : NULL;
	if (pc)
		o.cache = kp_rnd_page_cache_ops(pc);
	kp_store_now(started);
	r = kp_inspect_run(a.pos[0], &o, &res, &e);
	kp_store_now(finished);
	if (r == 0 && pc)
		r = kp_rnd_page_cache_finish(pc, res, &e);
	kp_rnd_page_cache_free(pc);
	if (o.progress)
		fputs("\r\033[K", stderr);
	if (r < 0) {
		kp_inspect_result_free(res);
		kp_inspect_process_cleanup();
		if (store)
			inspect_target_close(&target);
		return cli_error(&e);
	}
	{
		json_t *j = kp_inspect_result_json(res), *arr = json_object_get(j, "findings");
		char **keys = kp_inspect_finding_keys(res);
		int stored;
		for (size_t i = 0; i < res->nfindings; i++)
			json_object_set_new(json_array_get(arr, i), "key",
					    json_string(keys[i]));
		/* stored first: the output tells what changed since last time;
		 * a store that fails still leaves the report printed */
		stored = store ? inspect_target_filter(&target, res, keys, j) : 0;
		if (store && !stored)
			stored = inspect_target_store(&target, res, keys, j, started,
						      finished, cli_author(cmd, &a));
		kp_inspect_finding_keys_free(keys, res->nfindings);
		if (json) {
			cli_print_json(j);
		} else {
			summary(res);
			inspect_print_stored(j);
			json_decref(j);
		}
		r = stored ? stored : res->nfindings ? KP_EXIT_FINDINGS : KP_EXIT_OK;
	}
	if (store)
		inspect_target_close(&target);
	kp_inspect_result_free(res);
	kp_inspect_process_cleanup();
	return r;
}
