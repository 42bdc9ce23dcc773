/*
 * sitegen — test sites in the shapes of Chinese government CMSs (TRS,
 * Hanweb), and a tiny HTTP/1.1 server for them on 127.0.0.1.
 *
 *	sitegen serve PORTFILE [ADDR]  serve the test site on 127.0.0.1
 *	                            (or ADDR, another loopback address such
 *	                            as 127.0.0.2; port written to
 *	                            PORTFILE); exits after 300 s at most.
 *	                            While a file PORTFILE.v2 exists it serves
 *	                            the site as an office left it after a
 *	                            round of fixes: the missing image is
 *	                            back, the blank column 政策解读 has
 *	                            items, and /files/plan.pdf is gone (404)
 *	sitegen dump DIR            write the site's main pages as files
 *	sitegen write DIR N         a static site of N pages for nginx (bench),
 *	                            with DIR/urls.txt and DIR/dead.txt
 *
 * 'Today' for the site is 2024-06-30: run kaoping with --as-of 2024-06-30.
 * What the site holds, and what an inspection must find, is listed in
 * tests/cli/test_inspect.sh.  Hostile pages live under /hostile/;
 * monitoring's homepages (failing or changing on a schedule) under /mon/;
 * a site answering conditional requests (ETag, 304), whose articles
 * change 1% at a time while PORTFILE.inc exists, under /inc/.
 *
 * A test helper, not part of kaoping: fork per connection, keep-alive,
 * GET and HEAD only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static int g_port;   /* the port we serve on, for absolute links */
static char g_v2[4096];   /* PORTFILE.v2: serve the fixed-up site */

static int v2(void)
{
	return g_v2[0] && access(g_v2, F_OK) == 0;
}

/* What the server saw of the requests under /polite/, across the
 * processes that serve the connections (shared memory): the most at
 * once, and the shortest gap between two of them starting.
 * GET /stats/polite reads it, GET /stats/reset clears it. */
typedef struct polite_stats {
	int active, max_active, requests;
	long long last_ms, min_gap_ms;
} polite_stats;
static polite_stats *g_polite;

/* n zeroed bytes shared by every connection process (the server forks
 * one a connection), for counters a test reads back; NULL on failure. */
static void *shared_counters(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;   /* anonymous maps are zeroed */
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void polite_begin(void)
{
	long long t = now_ms();
	long long last = __atomic_exchange_n(&g_polite->last_ms, t, __ATOMIC_SEQ_CST);
	if (last) {
		long long gap = t - last, m = __atomic_load_n(&g_polite->min_gap_ms, __ATOMIC_SEQ_CST);
		while ((m < 0 || gap < m) &&
		       !__atomic_compare_exchange_n(&g_polite->min_gap_ms, &m, gap, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			;
	}
	__atomic_add_fetch(&g_polite->requests, 1, __ATOMIC_SEQ_CST);
	int a = __atomic_add_fetch(&g_polite->active, 1, __ATOMIC_SEQ_CST);
	int mx = __atomic_load_n(&g_polite->max_active, __ATOMIC_SEQ_CST);
	while (a > mx &&
	       !__atomic_compare_exchange_n(&g_polite->max_active, &mx, a, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	usleep(150 * 1000);   /* long enough for requests to overlap */
}

static void polite_end(void)
{
	__atomic_sub_fetch(&g_polite->active, 1, __ATOMIC_SEQ_CST);
}

typedef struct buf {
	char *p;
	size_t n, cap;
} buf;

static void add(buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

__attribute__((format(printf, 2, 3))) static void addf(buf *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

typedef struct resp {
	int status;
	const char *ctype;      /* NULL: text/html; charset=utf-8 */
	const char *location;
	const char *encoding;   /* Content-Encoding */
	buf body;
	int special;            /* 1 stream 100 MB, 2 stall after headers */
	char validators[160];   /* ETag and Last-Modified lines (/inc/) */
} resp;

static void gbk(buf *b)
{
	/* convert b from UTF-8 to GBK in place */
	iconv_t cd = iconv_open("GBK", "UTF-8");
	buf o = { 0 };
	char *in = b->p;
	size_t inleft = b->n;
	while (inleft) {
		char chunk[4096], *op = chunk;
		size_t oleft = sizeof(chunk);
		size_t r = iconv(cd, &in, &inleft, &op, &oleft);
		add(&o, chunk, sizeof(chunk) - oleft);
		if (r == (size_t)-1 && errno != E2BIG)
			break;
	}
	iconv_close(cd);
	free(b->p);
	*b = o;
}

static const char *const columns[][3] = {
	/* path, name, what it shows */
	{ "/col/col1/index.html", "要闻动态", "trs" },
	{ "/col/col2/index.html", "通知公告", "hanweb-gbk" },
	{ "/col/col3/index.html", "政策文件", "slash" },
	{ "/col/col4/index.html", "政策解读", "blank" },
	{ "/col/col5/index.html", "人事信息", "bracket" },
	{ "/col/col6/index.html", "机构职能", "undated" },
	{ "/col/col7/index.html", "财政信息", "label" },
	{ "/col/col8/index.html", "互动交流", "article-dates" },
	{ "/col/col9/index.html", "重大项目", "missing" },
};

static void head(buf *b, const char *title, const char *charset)
{
	addf(b, "<!DOCTYPE html>\n<html><head>\n");
	if (!strcmp(charset, "gb2312"))
		addf(b, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\n");
	else
		addf(b, "<meta charset=\"%s\">\n", charset);
	addf(b, "<title>%s</title>\n"
		"<meta name=\"SiteName\" content=\"示例市人民政府\">\n"
		"<meta name=\"SiteDomain\" content=\"www.example.gov.cn\">\n"
		"<meta name=\"SiteIDCode\" content=\"5101000001\">\n"
		"<link rel=\"stylesheet\" href=\"/css/main.css\">\n"
		"<script src=\"/js/common.js\"></script>\n"
		"</head>\n<body>\n", title);
}

static void nav(buf *b)
{
	addf(b, "<div class=\"nav\"><ul>\n<li><a href=\"/index.html\">首页</a></li>\n");
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		addf(b, "<li><a href=\"%s\">%s</a></li>\n", columns[i][0], columns[i][1]);
	addf(b, "</ul></div>\n");
}

static void footer(buf *b)
{
	addf(b, "<div class=\"footer\">\n"
		"<a href=\"/sitemap.html\">网站地图</a> | <a href=\"/contact.html\">联系我们</a>\n"
		"<p>主办单位：示例市人民政府办公室 联系电话：0812-1234567</p>\n"
		"<p>网站标识码：5101000001 <a href=\"https://beian.miit.gov.cn/\">蜀ICP备05001234号-1</a> "
		"川公网安备 51040202000123号</p>\n"
		"<a href=\"https://bszs.conac.cn/sitename?method=show&amp;id=123\"><img src=\"/img/dzjg.png\" alt=\"党政机关\"></a>\n"
		"<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101000001\">我为政府网站找错</a>\n"
		"</div>\n");
}

static void home(buf *b)
{
	head(b, "示例市人民政府", "utf-8");
	addf(b, "<div class=\"top\"><form action=\"/search/search.html\"><input name=\"searchword\" placeholder=\"搜索\"></form></div>\n");
	nav(b);
	addf(b, "<div class=\"news\"><h2>要闻</h2><ul>\n");
	for (int i = 1; i <= 6; i++)
		addf(b, "<li><a href=\"/art/2024/6/%d/art_1_%d.html\" title=\"示例市召开政府网站工作会议第%d次\">示例市召开政府网站工作会议第%d次</a><span>2024-06-%02d</span></li>\n",
		     29 - i, i, i, i, 29 - i);
	addf(b, "</ul><a href=\"/col/col1/index.html\">更多&gt;&gt;</a></div>\n");
	addf(b, "<div class=\"links\">\n"
		"<img src=\"/img/logo.png\" alt=\"示例市\"> <img src=\"/img/missing.png\" alt=\"丢失的图片\">\n"
		"<a href=\"/files/plan.pdf\">2024年工作计划.pdf</a>\n"
		"<a href=\"/files/missing.docx\">附件：申请表</a>\n"
		"<a href=\"/old/page.html\">旧版网站</a>\n"
		"<a href=\"/slow.html\">慢页面</a>\n"
		"<a href=\"/err500.html\">出错的页面</a>\n"
		"<a href=\"/private/secret.html\">内部</a>\n"
		"<a href=\"/trap/cal.html?month=2024-06\">活动日历</a>\n"
		"<a href=\"/trap/a/\">专题</a>\n"
		"<a href=\"https://www.gov.cn/\">中国政府网</a>\n"
		"<a href=\"http://localhost:%d/ext/missing.html\">友情链接</a>\n"
		"<a href=\"http://localhost:%d/files/plan.pdf\">友情链接二</a>\n"
		"<a href=\"javascript:void(0)\">收藏本站</a>\n"
		"<a href=\"/index.html;jsessionid=ABC123\">首页</a>\n"
		"<a href=\"/index.html?sid=42#top\">首页</a>\n"
		"</div>\n"
		"<script>var _sPageName=\"index\";var _sPageExt=\"html\";"
		"document.write('<a href=\"'+_sPageName+'.'+_sPageExt+'\">x</a>');</script>\n",
		g_port, g_port);
	footer(b);
	addf(b, "</body></html>\n");
}

static void item_line(buf *b, const char *form, int col, int i, int y, int m, int d)
{
	char date[64];
	if (!strcmp(form, "trs"))
		snprintf(date, sizeof(date), "<span>%04d-%02d-%02d</span>", y, m, d);
	else if (!strcmp(form, "hanweb-gbk"))
		snprintf(date, sizeof(date), "%04d年%02d月%02d日", y, m, d);
	else if (!strcmp(form, "slash"))
		snprintf(date, sizeof(date), "<em>%d/%d/%d</em>", y, m, d);
	else if (!strcmp(form, "bracket"))
		snprintf(date, sizeof(date), "<span>[%02d-%02d]</span>", m, d);
	else if (!strcmp(form, "label"))
		snprintf(date, sizeof(date), "<span>发布日期：%04d-%02d-%02d</span>", y, m, d);
	else
		date[0] = '\0';
	if (!strcmp(form, "hanweb-gbk"))
		addf(b, "<tr><td><a href=\"/art/%d/%d/%d/art_%d_%d.html\" target=\"_blank\">关于做好第%d项工作的通知</a></td><td>%s</td></tr>\n",
		     y, m, d, col, i, i, date);
	else
		addf(b, "<li><a href=\"/art/%d/%d/%d/art_%d_%d.html\">关于做好第%d项重点工作的信息</a>%s</li>\n",
		     y, m, d, col, i, i, date);
}

/* Column col (1-based), page pg (0-based). */
static int column_page(buf *b, int col, int pg)
{
	const char *name = columns[col - 1][1], *form = columns[col - 1][2];
	int gb = !strcmp(form, "hanweb-gbk");
	if (!strcmp(form, "blank") && v2())
		form = "slash";
	if (!strcmp(form, "missing"))
		return 404;
	head(b, name, gb ? "gb2312" : "utf-8");
	nav(b);
	if (col == 1)
		addf(b, "<div class=\"subnav\"><a href=\"/col/col10/index.html\">部门动态</a></div>\n");
	addf(b, "<div class=\"main\"><h2>%s</h2>\n", name);
	if (!strcmp(form, "blank")) {
		addf(b, "<p>暂无信息</p></div>\n");
	} else {
		/* newest first; dates per form */
		int y = 2024, m = 6, d = 28;
		if (gb) { y = 2023; m = 7; d = 13; }
		if (!strcmp(form, "slash")) { m = 6; d = 1; }
		if (!strcmp(form, "bracket")) { m = 5; d = 13; }
		if (!strcmp(form, "label")) { y = 2022; m = 1; d = 5; }
		addf(b, gb ? "<table class=\"list\">\n" : "<ul class=\"list\">\n");
		for (int i = 1; i <= 10; i++) {
			int dd = d - pg * 10 - (i - 1) / 2;
			while (dd < 1) { dd += 28; m--; }
			if (m < 1) { m = 12; y--; }
			item_line(b, form, col, pg * 10 + i, y, m, dd);
		}
		addf(b, gb ? "</table>\n" : "</ul>\n");
		if (!strcmp(form, "trs"))
			addf(b, "<script>createPageHTML(3, %d, \"index\", \"html\");</script>\n", pg);
		if (gb && pg == 0)
			addf(b, "<div>共2页 <a href=\"/col/col2/index.html?pageNum=2\">下一页</a></div>\n");
		addf(b, "</div>\n");
	}
	footer(b);
	addf(b, "</body></html>\n");
	if (gb)
		gbk(b);
	return 200;
}

static void article(buf *b, int col, int i, int y, int m, int d)
{
	head(b, "文章", "utf-8");
	if (col == 8)
		addf(b, "<meta name=\"PubDate\" content=\"2024-06-01 08:00\">\n");
	addf(b, "<meta name=\"ArticleTitle\" content=\"第%d篇\">\n", i);
	if (col == 8) /* 互动交流: dated only by the PubDate meta */
		addf(b, "<div class=\"article\"><h1>第%d篇</h1><p>正文内容。</p></div>\n", i);
	else if (col == 6) /* 机构职能: no date anywhere */
		addf(b, "<div class=\"article\"><h1>第%d篇</h1><p>正文内容。</p>"
			"<a href=\"/col/col%d/index.html\">返回</a></div>\n", i, col);
	else
		addf(b, "<div class=\"article\"><h1>第%d篇</h1><p>发布时间：%04d-%02d-%02d 来源：示例市</p>"
			"<p>正文内容。</p><a href=\"/col/col%d/index.html\">返回</a></div>\n",
			i, y, m, d, col);
	addf(b, "</body></html>\n");
}

/*
 * Column pages laid out so that the default list extraction gets them
 * wrong, for the --site-config xpath lines (tests/cli/test_inspect_xpath.sh,
 * the worked example in docs/inspect.md):
 *   /xp/list.html  工作动态: 7 items in <div class="row" data-date=…>
 *                  (newest 2024-03-15), not li/tr/dd, and a sidebar of 3
 *                  newer 热点 items (2024-06-29 …) the default takes instead;
 *   /xp/gbk.html   政策法规, in GBK: a table whose rows carry a future
 *                  施行日期 (2024年05月01日) before the 发布日期 (newest
 *                  2024年01月20日, 6 rows), a header row and the same sidebar;
 *   /xp/zdxm.html  重大项目 where it really is (the navigation links a 404).
 */
static void xp_side(buf *b)
{
	addf(b, "<div class=\"side\"><h3>热点关注</h3><ul>\n");
	for (int i = 0; i < 3; i++)
		addf(b, "<li><a href=\"/art/2024/6/%d/art_23_%d.html\">示例市召开第%d次政府常务会议</a><span>2024-06-%02d</span></li>\n",
		     29 - 2 * i, i + 1, i + 1, 29 - 2 * i);
	addf(b, "</ul></div>\n");
}

static void xp_page(buf *b, int gb)
{
	head(b, gb ? "政策法规" : "工作动态", gb ? "gb2312" : "utf-8");
	addf(b, "<div class=\"main\">\n");
	if (!gb) {
		addf(b, "<h2>工作动态</h2><div class=\"list\">\n");
		for (int i = 0; i < 7; i++)
			addf(b, "<div class=\"row\" data-date=\"2024-03-%02d\"><a href=\"/art/2024/3/%d/art_21_%d.html\">关于开展第%d批专项检查工作的情况</a><i>浏览 %d 次</i></div>\n",
			     15 - i, 15 - i, i + 1, i + 1, 1024 + i);
		addf(b, "</div>\n");
	} else {
		addf(b, "<h2>政策法规</h2><table id=\"list\">\n"
			"<tr><th>标题</th><th>施行日期</th><th>发布日期</th></tr>\n");
		for (int i = 0; i < 6; i++)
			addf(b, "<tr><td><a href=\"/art/2024/1/%d/art_22_%d.html\">示例市第%d号规范性文件</a></td>"
				"<td>施行日期：2024年05月01日</td><td>发布日期：2024年01月%02d日</td></tr>\n",
			     20 - i, i + 1, i + 1, 20 - i);
		addf(b, "</table>\n");
	}
	addf(b, "</div>\n");
	xp_side(b);
	footer(b);
	addf(b, "</body></html>\n");
	if (gb)
		gbk(b);
}

static buf bomb_gz;
static void make_bomb(void)
{
	z_stream z;
	static char zeros[65536], out[65536];
	if (bomb_gz.n)
		return;
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
	for (int i = 0; i < 1600; i++) { /* 100 MB of zeros */
		z.next_in = (unsigned char *)zeros;
		z.avail_in = sizeof(zeros);
		do {
			z.next_out = (unsigned char *)out;
			z.avail_out = sizeof(out);
			deflate(&z, i == 1599 ? Z_FINISH : Z_NO_FLUSH);
			add(&bomb_gz, out, sizeof(out) - z.avail_out);
		} while (z.avail_out == 0);
	}
	deflateEnd(&z);
}

static void hostile_home(buf *b, const char *target)
{
	addf(b, "<html><head><meta charset=\"utf-8\"><title>测试</title></head><body>"
		"<ul><li><a href=\"%s\">测试页面链接一二三四五</a><span>2024-06-28</span></li></ul>"
		"</body></html>\n", target);
}

/* ---- redirects, a second host name, depth (tests/cli/test_inspect.sh:
 * "redirects", "configured hosts", "depth") ---------------------------- */

/* The small sites under /redir/, /hosts/ and /depth/; false for any
 * other path. */
static void extra_head(buf *b, const char *title)
{
	addf(b, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body>", title);
}

static bool route_extra(const char *path, resp *r)
{
	if (!strcmp(path, "/redir/index.html")) {
		/* /redir/r1 → /redir/r2 → /redir/page.html; /redir/g1 →
		 * /redir/gone.html (404): a dead link reached by a redirect */
		extra_head(&r->body, "重定向");
		addf(&r->body, "<ul><li><a href=\"/redir/r1\">经两次重定向到达的文章标题</a> 2024-06-28</li>"
			"<li><a href=\"/redir/g1\">经一次重定向到达的失效页面</a> 2024-06-27</li>"
			"<li><a href=\"/redir/page.html\">直接链接的文章标题一二三</a> 2024-06-26</li></ul></body></html>\n");
	} else if (!strcmp(path, "/redir/r1") || !strcmp(path, "/redir/r2") ||
		   !strcmp(path, "/redir/g1")) {
		r->status = 301;
		r->location = !strcmp(path, "/redir/r1") ? "/redir/r2"
			      : !strcmp(path, "/redir/r2") ? "/redir/page.html"
			      : "/redir/gone.html";
	} else if (!strcmp(path, "/redir/page.html")) {
		extra_head(&r->body, "文章");
		addf(&r->body, "<p>发布时间：2024-06-28</p></body></html>\n");
	} else if (!strcmp(path, "/hosts/index.html")) {
		/* a page on the other name of this server (localhost), and
		 * from there one more */
		extra_head(&r->body, "两个主机名");
		addf(&r->body, "<ul><li><a href=\"http://localhost:%d/hosts/other.html\">另一个主机名上的文章标题</a> 2024-06-28</li>"
			"<li><a href=\"/hosts/here.html\">本主机上的文章标题一二三</a> 2024-06-27</li></ul></body></html>\n",
			g_port);
	} else if (!strcmp(path, "/hosts/other.html")) {
		extra_head(&r->body, "另一个主机名");
		addf(&r->body, "<p>发布时间：2024-06-28</p><a href=\"/hosts/deeper.html\">更深一层的页面</a></body></html>\n");
	} else if (!strcmp(path, "/hosts/here.html") || !strcmp(path, "/hosts/deeper.html")) {
		extra_head(&r->body, "文章");
		addf(&r->body, "<p>发布时间：2024-06-27</p></body></html>\n");
	} else if (!strcmp(path, "/depth/index.html")) {
		/* depth 1: a.html, b.html; depth 2: a2.html; depth 3: a3.html */
		extra_head(&r->body, "层级");
		addf(&r->body, "<ul><li><a href=\"/depth/a.html\">第一层的第一篇文章标题</a> 2024-06-28</li>"
			"<li><a href=\"/depth/b.html\">第一层的第二篇文章标题</a> 2024-06-27</li></ul></body></html>\n");
	} else if (!strcmp(path, "/depth/a.html") || !strcmp(path, "/depth/a2.html")) {
		extra_head(&r->body, "层级");
		addf(&r->body, "<p>发布时间：2024-06-28</p><a href=\"/depth/a%d.html\">下一层</a></body></html>\n",
		     path[8] == '.' ? 2 : 3);
	} else if (!strcmp(path, "/depth/b.html") || !strcmp(path, "/depth/a3.html")) {
		extra_head(&r->body, "层级");
		addf(&r->body, "<p>发布时间：2024-06-27</p></body></html>\n");
	} else {
		return false;
	}
	return true;
}

/* ---- /itest/: sites for the rules an audit found untested -------------
 * (tests/cli/test_inspect.sh, its last section).  What the server saw is
 * counted across the connection processes (shared memory): connections
 * accepted, requests, responses sent gzipped, and hits of each flaky
 * page.  GET /itest/stats reads the counts, GET /itest/reset clears them.
 *
 *   /itest/cols/L-B/       homepage, fresh (2024-06-28), whose navigation
 *                          has L columns last updated 2022-01-05 (over a
 *                          year) and B blank ones (L ≤ 20, B ≤ 12)
 *   /itest/slow-home.html  a homepage that answers after 3.2 s
 *   /itest/slow-page-home.html  links /itest/slow-page.html (5.2 s)
 *   /itest/flaky-home/X.html    links /itest/flaky/X.html (X a–h): 503
 *                          for its first two hits, then 200
 *   /itest/pages/          links a chain /itest/deep/1.html → … → 9.html,
 *                          a URL of 300 bytes, one of 250 and a 3.5 MB page
 *   /itest/wide/           links a chain /itest/wide/1.html → … → 4.html,
 *                          which links 25 pages /itest/wide/5-K.html
 *                          (K 0–24), each 5 clicks deep
 *   /itest/short/          links zz-dead.html, a-slow.html (answers after
 *                          1.5 s, links x.html and aa-dead.html) and a
 *                          chain f1.html → … → f4.html → x.html; f1 links
 *                          aa-dead.html too, x links y.html: the crawl
 *                          meets x 5 clicks deep first, its shortest way
 *                          is 2; zz-dead and aa-dead answer 404
 *   /itest/nofooter.html   a homepage with no footer, no meta, no search
 *   /itest/badcode.html    a full footer whose 网站标识码 has 8 digits
 *   /itest/gz/             a homepage and its column 通知公告 of 30 items
 *                          (newest 2024-06-20) and their articles, gzipped
 *                          when the request accepts gzip */
typedef struct itest_stats {
	int connections, requests, gzipped, flaky[8];
} itest_stats;
static itest_stats *g_itest;
static bool g_accepts_gzip;   /* this request's Accept-Encoding has gzip */

static void itest_accepted(void)
{
	__atomic_add_fetch(&g_itest->connections, 1, __ATOMIC_SEQ_CST);
}

/* req: the request's head, NUL-terminated after it */
static void itest_request(const char *req, const char *end)
{
	const char *ae = strcasestr(req, "\r\naccept-encoding:");
	const char *eol = ae ? strstr(ae + 2, "\r\n") : NULL;
	g_accepts_gzip = false;
	if (ae && ae < end && eol) {
		const char *g = strstr(ae, "gzip");
		g_accepts_gzip = g && g < eol;
	}
	__atomic_add_fetch(&g_itest->requests, 1, __ATOMIC_SEQ_CST);
}

static const char *const itest_stale[] = {
	"旧闻甲", "旧闻乙", "旧闻丙", "旧闻丁", "旧闻戊", "旧闻己", "旧闻庚",
	"旧闻辛", "旧闻壬", "旧闻癸", "往事甲", "往事乙", "往事丙", "往事丁",
	"往事戊", "往事己", "往事庚", "往事辛", "往事壬", "往事癸",
};
static const char *const itest_blank[] = {
	"空栏子", "空栏丑", "空栏寅", "空栏卯", "空栏辰", "空栏巳", "空栏午",
	"空栏未", "空栏申", "空栏酉", "空栏戌", "空栏亥",
};

static void itest_gzip(resp *r)
{
	z_stream z;
	buf o = { 0 };
	char out[65536];
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)r->body.p;
	z.avail_in = (unsigned)r->body.n;
	do {
		z.next_out = (unsigned char *)out;
		z.avail_out = sizeof(out);
		deflate(&z, Z_FINISH);
		add(&o, out, sizeof(out) - z.avail_out);
	} while (z.avail_out == 0);
	deflateEnd(&z);
	free(r->body.p);
	r->body = o;
	r->encoding = "gzip";
	__atomic_add_fetch(&g_itest->gzipped, 1, __ATOMIC_SEQ_CST);
}

/* ---- /mcol/: columns whose newest dates a test sets --------------------
 * (tests/cli/test_monitor_columns.sh).  The file mcol.conf in the
 * server's directory holds "YYYY-MM-DD N B": the homepage /mcol/ links N
 * columns of class 动态要闻 (要闻甲 …), column i's newest item dated i
 * days before that day, and B blank ones (空栏甲 …); N ≤ 8, B ≤ 8.
 * Optionally "… F X" (tests/cli/test_monitor_colcheck.sh): the first F
 * of the blank columns are filled (one item dated that day), and the
 * last X of the N columns answer 503. */
static const char *const mcol_names[] = {
	"要闻甲", "要闻乙", "要闻丙", "要闻丁", "要闻戊", "要闻己", "要闻庚", "要闻辛",
};
static const char *const mcol_blank[] = {
	"空栏甲", "空栏乙", "空栏丙", "空栏丁", "空栏戊", "空栏己", "空栏庚", "空栏辛",
};

static void mcol_route(const char *path, resp *r)
{
	int y = 2024, mo = 6, d = 1, n = 0, b = 0, fill = 0, down = 0, i;
	FILE *f = fopen("mcol.conf", "r");
	buf *o = &r->body;
	if (f) {
		int got = fscanf(f, "%d-%d-%d %d %d %d %d", &y, &mo, &d, &n, &b,
				 &fill, &down);
		if (got < 5)
			n = b = 0;
		if (got < 7)
			down = 0;
		if (got < 6)
			fill = 0;
		fclose(f);
	}
	n = n < 0 ? 0 : n > 8 ? 8 : n;
	b = b < 0 ? 0 : b > 8 ? 8 : b;
	if (!strcmp(path, "/mcol/")) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>栏目监测</title></head><body>\n<div class=\"nav\"><ul>\n");
		for (i = 0; i < n; i++)
			addf(o, "<li><a href=\"s%d.html\">%s</a></li>\n", i, mcol_names[i]);
		for (i = 0; i < b; i++)
			addf(o, "<li><a href=\"b%d.html\">%s</a></li>\n", i, mcol_blank[i]);
		addf(o, "</ul></div></body></html>\n");
	} else if (sscanf(path, "/mcol/s%d.html", &i) == 1 && i >= n - down &&
		   i < n) {
		r->status = 503;
	} else if (sscanf(path, "/mcol/s%d.html", &i) == 1 && i >= 0 && i < n) {
		struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1,
				 .tm_mday = d - i, .tm_hour = 12 };
		char day[16];
		time_t t = timegm(&tm);
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		addf(o, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h2>%s</h2><ul>\n",
		     mcol_names[i], mcol_names[i]);
		addf(o, "<li><a href=\"/mcol/art%d.html\">关于做好重点工作的信息</a><span>%s</span></li>\n", i, day);
		addf(o, "</ul></body></html>\n");
	} else if (sscanf(path, "/mcol/b%d.html", &i) == 1 && i >= 0 && i < fill &&
		   i < b) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h2>%s</h2><ul>\n"
		     "<li><a href=\"/mcol/bart%d.html\">补充的信息</a><span>%04d-%02d-%02d</span></li>\n</ul></body></html>\n",
		     mcol_blank[i], mcol_blank[i], i, y, mo, d);
	} else if (sscanf(path, "/mcol/b%d.html", &i) == 1 && i >= 0 && i < b) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h2>%s</h2><p>暂无信息</p></body></html>\n",
		     mcol_blank[i], mcol_blank[i]);
	} else if (sscanf(path, "/mcol/art%d.html", &i) == 1 ||
		   sscanf(path, "/mcol/bart%d.html", &i) == 1) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>信息</title></head><body><p>正文</p></body></html>\n");
	} else {
		r->status = 404;
	}
}

static void itest_route(const char *path, resp *r)
{
	int l, b, i;
	char k, tail[16] = "";
	buf *o = &r->body;
	if (!strcmp(path, "/itest/stats")) {
		r->ctype = "text/plain";
		addf(o, "connections %d\nrequests %d\ngzipped %d\n",
		     g_itest->connections, g_itest->requests, g_itest->gzipped);
		for (i = 0; i < 8; i++)
			addf(o, "flaky_%c %d\n", 'a' + i, g_itest->flaky[i]);
	} else if (!strcmp(path, "/itest/reset")) {
		r->ctype = "text/plain";
		memset(g_itest, 0, sizeof(*g_itest));
		addf(o, "ok\n");
	} else if (sscanf(path, "/itest/cols/%d-%d/%15s", &l, &b, tail) >= 2 &&
		   l >= 0 && l <= 20 && b >= 0 && b <= 12) {
		if (!tail[0]) {
			addf(o, "<html><head><meta charset=\"utf-8\"><title>栏目测试</title></head><body>\n"
				"<div class=\"nav\"><ul>\n");
			for (i = 0; i < l; i++)
				addf(o, "<li><a href=\"s%d.html\">%s</a></li>\n", i, itest_stale[i]);
			for (i = 0; i < b; i++)
				addf(o, "<li><a href=\"b%d.html\">%s</a></li>\n", i, itest_blank[i]);
			addf(o, "</ul></div>\n<ul>\n");
			for (i = 1; i <= 3; i++)
				addf(o, "<li><a href=\"/itest/art/%d.html\">示例市召开政府网站工作会议第%d次</a><span>2024-06-28</span></li>\n", i, i);
			addf(o, "</ul></body></html>\n");
		} else if (sscanf(tail, "s%d.html", &i) == 1 && i < l) {
			addf(o, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h2>%s</h2><ul>\n",
			     itest_stale[i], itest_stale[i]);
			for (int n = 1; n <= 5; n++)
				addf(o, "<li><a href=\"/itest/art/%d.html\">关于做好第%d项重点工作的信息</a><span>2022-01-0%d</span></li>\n",
				     n, n, 6 - n);
			addf(o, "</ul></body></html>\n");
		} else if (sscanf(tail, "b%d.html", &i) == 1 && i < b) {
			addf(o, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h2>%s</h2><p>暂无信息</p></body></html>\n",
			     itest_blank[i], itest_blank[i]);
		} else {
			r->status = 404;
		}
	} else if (!strcmp(path, "/itest/slow-home.html")) {
		usleep(3200 * 1000);
		hostile_home(o, "/itest/fast.html");
	} else if (sscanf(path, "/itest/art/%d.html", &i) == 1) {
		addf(o, "<html><body><h1>第%d篇</h1><p>正文内容。</p></body></html>\n", i);
	} else if (!strcmp(path, "/itest/fast.html")) {
		addf(o, "<html><body><p>发布时间：2024-06-28</p></body></html>\n");
	} else if (!strcmp(path, "/itest/slow-page-home.html")) {
		hostile_home(o, "/itest/slow-page.html");
	} else if (!strcmp(path, "/itest/slow-page.html")) {
		usleep(5200 * 1000);
		addf(o, "<html><body><p>发布时间：2024-06-28</p></body></html>\n");
	} else if (sscanf(path, "/itest/flaky-home/%c.html", &k) == 1 && k >= 'a' && k <= 'h') {
		char target[32];
		snprintf(target, sizeof(target), "/itest/flaky/%c.html", k);
		hostile_home(o, target);
	} else if (sscanf(path, "/itest/flaky/%c.html", &k) == 1 && k >= 'a' && k <= 'h') {
		if (__atomic_add_fetch(&g_itest->flaky[k - 'a'], 1, __ATOMIC_SEQ_CST) <= 2) {
			r->status = 503;
			addf(o, "<html><body>503 Service Unavailable</body></html>\n");
		} else {
			addf(o, "<html><body><p>发布时间：2024-06-28</p></body></html>\n");
		}
	} else if (!strcmp(path, "/itest/pages/")) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>页面分析</title></head><body>"
			"<ul><li><a href=\"/itest/deep/1.html\">第一层页面的标题文字</a><span>2024-06-28</span></li></ul>\n"
			"<a href=\"/itest/big.html\">很大的页面</a>\n<a href=\"/itest/long/");
		for (i = 0; i < 300 - 22 - 12 - 5; i++) /* http://127.0.0.1:PORT (5 digits) /itest/long/ .html */
			add(o, "a", 1);
		addf(o, ".html\">很长的网址</a>\n<a href=\"/itest/long/");
		for (i = 0; i < 250 - 22 - 12 - 5; i++)
			add(o, "b", 1);
		addf(o, ".html\">不太长的网址</a>\n</body></html>\n");
	} else if (!strcmp(path, "/itest/short/")) {
		addf(o, "<html><body><a href=\"zz-dead.html\">甲</a><a href=\"a-slow.html\">慢</a>"
			"<a href=\"f1.html\">链</a></body></html>\n");
	} else if (!strcmp(path, "/itest/short/a-slow.html")) {
		usleep(1500 * 1000);
		addf(o, "<html><body><a href=\"x.html\">捷径</a><a href=\"aa-dead.html\">乙</a></body></html>\n");
	} else if (sscanf(path, "/itest/short/f%d.html", &i) == 1 && i >= 1 && i <= 4) {
		addf(o, "<html><body><p>第%d层</p>", i);
		if (i < 4)
			addf(o, "<a href=\"f%d.html\">更深一层</a>", i + 1);
		else
			addf(o, "<a href=\"x.html\">远路</a>");
		if (i == 1)
			addf(o, "<a href=\"aa-dead.html\">乙</a>");
		addf(o, "</body></html>\n");
	} else if (!strcmp(path, "/itest/short/x.html")) {
		addf(o, "<html><body><a href=\"y.html\">下一层</a></body></html>\n");
	} else if (!strcmp(path, "/itest/short/y.html")) {
		addf(o, "<html><body><p>最后一层</p></body></html>\n");
	} else if (!strcmp(path, "/itest/wide/")) {
		addf(o, "<html><body><a href=\"/itest/wide/1.html\">第一层</a></body></html>\n");
	} else if (sscanf(path, "/itest/wide/5-%d.html", &i) == 1) {
		addf(o, "<html><body><p>第五层第%d页</p></body></html>\n", i);
	} else if (sscanf(path, "/itest/wide/%d.html", &i) == 1 && i >= 1 && i <= 4) {
		addf(o, "<html><body><p>第%d层</p>", i);
		if (i < 4)
			addf(o, "<a href=\"/itest/wide/%d.html\">更深一层</a>", i + 1);
		else
			for (int w = 0; w < 25; w++)
				addf(o, "<a href=\"/itest/wide/5-%d.html\">第五层第%d页</a>", w, w);
		addf(o, "</body></html>\n");
	} else if (sscanf(path, "/itest/deep/%d.html", &i) == 1) {
		addf(o, "<html><body><p>第%d层</p><a href=\"/itest/deep/%d.html\">更深一层</a></body></html>\n",
		     i, i + 1);
	} else if (!strncmp(path, "/itest/long/", 12)) {
		addf(o, "<html><body><p>长网址</p></body></html>\n");
	} else if (!strcmp(path, "/itest/big.html")) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>很大的页面</title></head><body>\n");
		static char line[1025];
		memset(line, 'x', 1023);
		line[1023] = '\n';
		for (i = 0; i < 3584; i++) /* 3.5 MB */
			add(o, line, 1024);
		addf(o, "</body></html>\n");
	} else if (!strcmp(path, "/itest/nofooter.html")) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>没有底部</title></head><body>\n"
			"<ul><li><a href=\"/itest/fast.html\">示例市召开政府网站工作会议</a><span>2024-06-28</span></li></ul>\n"
			"</body></html>\n");
	} else if (!strcmp(path, "/itest/badcode.html")) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>标识码位数不对</title></head><body>\n"
			"<ul><li><a href=\"/itest/fast.html\">示例市召开政府网站工作会议</a><span>2024-06-28</span></li></ul>\n"
			"<div class=\"footer\"><p>主办单位：示例市人民政府办公室 联系电话：0812-1234567</p>\n"
			"<p>网站标识码：51010001 <a href=\"https://beian.miit.gov.cn/\">蜀ICP备05001234号-1</a> "
			"川公网安备 51040202000123号</p>\n"
			"<a href=\"https://bszs.conac.cn/sitename?method=show&amp;id=123\"><img src=\"/img/dzjg.png\" alt=\"党政机关\"></a>\n"
			"<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=51010001\">我为政府网站找错</a>\n"
			"</div></body></html>\n");
	} else if (!strncmp(path, "/itest/gz/", 10)) {
		if (!strcmp(path, "/itest/gz/")) {
			addf(o, "<html><head><meta charset=\"utf-8\"><title>压缩</title></head><body>\n"
				"<div class=\"nav\"><ul><li><a href=\"/itest/gz/list.html\">通知公告</a></li></ul></div>\n"
				"<ul><li><a href=\"/itest/gz/a1.html\">关于做好第1项工作的通知</a><span>2024-06-20</span></li></ul>\n"
				"</body></html>\n");
		} else if (!strcmp(path, "/itest/gz/list.html")) {
			addf(o, "<html><head><meta charset=\"utf-8\"><title>通知公告</title></head><body><h2>通知公告</h2><ul class=\"list\">\n");
			for (i = 1; i <= 30; i++)
				addf(o, "<li><a href=\"/itest/gz/a%d.html\">关于做好第%d项工作的通知</a><span>2024-%02d-%02d</span></li>\n",
				     i, i, i <= 20 ? 6 : 5, i <= 20 ? 21 - i : 41 - i);
			addf(o, "</ul></body></html>\n");
		} else if (sscanf(path, "/itest/gz/a%d.html", &i) == 1 && i >= 1 && i <= 30) {
			addf(o, "<html><body><h1>第%d项工作的通知</h1><p>正文内容。</p></body></html>\n", i);
		} else {
			r->status = 404;
		}
		if (r->status == 200 && g_accepts_gzip)
			itest_gzip(r);
	} else {
		r->status = 404;
	}
	if (r->status == 404 && !o->n)
		addf(o, "<html><body>404 Not Found</body></html>\n");
}

/* ---- /whole/ and /safe/ (tests/cli/test_inspect_crawl.sh) --------------
 *
 *   /whole/list_K.html   K 0–39: a list of five articles /whole/art_K_J.html
 *                        (J 0–4) and the next list (下一页): 240 pages, the
 *                        last list 39 clicks from list_0, each article
 *                        with an image /whole/img_K_J.png; art_K_4 for K a
 *                        multiple of 4 also links /whole/gone_K.png (404):
 *                        ten dead images, the deepest 41 clicks down
 *   /whole/long.html     links of 1,100 and 3,000 bytes (over 1,024: traps)
 *   /safe/to?URL         302 to URL
 *   /safe/links?URL      a page linking URL (and nothing else)
 *   /safe/many?PREFIX    a page linking PREFIX0.html … PREFIX24.html
 *   /hr/salaries.html, /admin/backup.sql   what must not be reached on a
 *                        private address the site does not live on */
static bool route_crawl(const char *path, resp *r)
{
	int k, j;
	if (sscanf(path, "/whole/list_%d.html", &k) == 1 && k >= 0 && k < 40) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>列表 %d</title></head><body><ul>\n", k);
		for (j = 0; j < 5; j++)
			addf(&r->body, "<li><a href=\"/whole/art_%d_%d.html\">第%d页第%d篇文章的标题</a> 2024-06-%02d</li>\n",
			     k, j, k, j, 28 - j);
		addf(&r->body, "</ul>");
		if (k < 39)
			addf(&r->body, "<a href=\"/whole/list_%d.html\">下一页</a>", k + 1);
		addf(&r->body, "</body></html>\n");
	} else if (sscanf(path, "/whole/art_%d_%d.html", &k, &j) == 2 && k >= 0 &&
		   k < 40 && j >= 0 && j < 5) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>文章</title></head><body>"
			"<p>发布时间：2024-06-20</p><img src=\"/whole/img_%d_%d.png\" alt=\"配图\">", k, j);
		if (j == 4 && k % 4 == 0)
			addf(&r->body, "<img src=\"/whole/gone_%d.png\" alt=\"丢失的图片\">", k);
		addf(&r->body, "<a href=\"/whole/list_0.html\">返回列表</a></body></html>\n");
	} else if (sscanf(path, "/whole/img_%d_%d.png", &k, &j) == 2) {
		r->ctype = "image/png";
		add(&r->body, "\x89PNG\r\n\x1a\n", 8);
	} else if (!strcmp(path, "/whole/long.html")) {
		addf(&r->body, "<html><body><a href=\"/whole/list_1.html\">下一页</a>");
		for (j = 0; j < 2; j++) {
			addf(&r->body, "<a href=\"/whole/");
			for (k = 0; k < (j ? 3000 : 1100); k++)
				add(&r->body, "x", 1);
			addf(&r->body, ".html\">很长的链接</a>");
		}
		addf(&r->body, "</body></html>\n");
	} else if (!strncmp(path, "/safe/to?", 9)) {
		static char loc[8192];
		snprintf(loc, sizeof(loc), "%s", path + 9);
		r->status = 302;
		r->location = loc;
	} else if (!strncmp(path, "/safe/links?", 12)) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>链接</title></head><body>"
			"<ul><li><a href=\"%s\">另一个地址上的页面标题</a> 2024-06-28</li></ul></body></html>\n",
			path + 12);
	} else if (!strncmp(path, "/safe/many?", 11)) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>链接</title></head><body><ul>\n");
		for (k = 0; k < 25; k++)
			addf(&r->body, "<li><a href=\"%s%d.html\">另一个地址上的第%d个页面</a> 2024-06-28</li>\n",
			     path + 11, k, k);
		addf(&r->body, "</ul></body></html>\n");
	} else if (!strcmp(path, "/hr/salaries.html") || !strcmp(path, "/admin/backup.sql")) {
		addf(&r->body, "<html><body><p>内部资料</p><a href=\"/admin/backup.sql\">备份</a></body></html>\n");
	} else {
		return false;
	}
	return true;
}

/* ---- /pg/: the real-page shapes of issue 13 (tests/cli/test_inspect_pages.sh)
 *   /pg/index.html      a homepage whose navigation holds the columns
 *                       below; an article excerpt with its own 主办单位
 *                       and 联系方式 above the footer; a footer whose ICP
 *                       number is split by inline tags, and an unlabelled
 *                       sponsor
 *   /pg/tjxx/           统计信息: [MM-DD] dates, the year in the URLs
 *   /pg/sthj/           生态环境: [MM-DD] dates only, newest first
 *   /pg/ndbb/           政府网站工作年度报表: [01-19] of 2026, [01-20] of 2019
 *   /pg/ldxx.html       领导信箱 (互动交流), one dated message
 *   /pg/jgzn.html       市退役军人事务局机构职能 (机构职能)
 *   /pg/bm.html         部门目录: 44 undated departments
 *   /pg/gs.html         a 公示 with an ID number (and one whose check
 *                       digit is wrong), a mobile and a bank card number,
 *                       a wording error and a typo
 */
static void pg_page(buf *o, const char *title)
{
	addf(o, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n", title);
}

static void pg_route(const char *path, resp *r)
{
	buf *o = &r->body;
	if (!strcmp(path, "/pg/index.html")) {
		pg_page(o, "青岚市人民政府");
		addf(o, "<div class=\"nav\"><ul>"
			"<li><a href=\"/pg/tjxx/index.html\">统计信息</a></li>"
			"<li><a href=\"/pg/sthj/index.html\">生态环境</a></li>"
			"<li><a href=\"/pg/ndbb/index.html\">政府网站工作年度报表</a></li>"
			"<li><a href=\"/pg/ldxx.html\">领导信箱</a></li>"
			"<li><a href=\"/pg/jgzn.html\">市退役军人事务局机构职能</a></li>"
			"<li><a href=\"/pg/bm.html\">部门目录</a></li></ul></div>\n"
			"<div class=\"article\"><h2>全市高校思想政治工作会议召开</h2>"
			"<p>主办单位：教育部思想政治工作司</p><p>联系方式：021-34206231</p>"
			"<p>会议强调，要坚持把立德树人作为中心环节，把思想政治工作贯穿教育教学全过程，"
			"实现全程育人、全方位育人，努力开创我国高等教育事业发展新局面。会议要求各高校认真贯彻落实。</p>"
			"<ul><li><a href=\"/pg/tjxx/202603/t20260321_110216.html\">2026年2月全市规模以上工业生产情况</a>2026-12-01</li>"
			"<li><a href=\"/pg/gs.html\">2026年第四季度城乡低保对象名单公示</a>2026-11-30</li></ul></div>\n"
			"<div class=\"footer\"><p>版权所有：青岚市人民政府办公厅</p>"
			"<p class=\"right\">中共青岚市委、青岚市人民政府主办</p>"
			"<p>网站标识码：3702000001　京<span>ICP</span>备<span>19054529</span>号<span>-1</span>　"
			"联系电话：0532-85911000</p></div></body></html>\n");
	} else if (!strcmp(path, "/pg/tjxx/index.html")) {
		pg_page(o, "统计信息");
		addf(o, "<ul class=\"list\">"
			"<li><a href=\"./202603/t20260321_110216.html\">2026年2月全市规模以上工业生产情况</a><span>[03-21]</span></li>"
			"<li><a href=\"./202601/t20260119_109001.html\">2025年全市经济运行情况</a><span>[01-19]</span></li>"
			"<li><a href=\"./202511/t20251113_104400.html\">2025年10月居民消费价格变动情况</a><span>[11-13]</span></li>"
			"</ul></body></html>\n");
	} else if (!strcmp(path, "/pg/sthj/index.html")) {
		pg_page(o, "生态环境");
		addf(o, "<ul>"
			"<li><a href=\"a1.html\">关于开展冬季大气污染防治专项检查的通知</a><em>[12-10]</em></li>"
			"<li><a href=\"a2.html\">全市生态环境质量状况公报发布</a><em>[11-17]</em></li>"
			"<li><a href=\"a3.html\">生态环境局召开第三季度工作会议</a><em>[09-30]</em></li>"
			"</ul></body></html>\n");
	} else if (!strcmp(path, "/pg/ndbb/index.html")) {
		pg_page(o, "政府网站工作年度报表");
		addf(o, "<ul>"
			"<li><a href=\"./202601/t20260119_3001.html\">2025年度政府网站工作年度报表</a>[01-19]</li>"
			"<li><a href=\"./201901/t20190120_1002.html\">2018年度政府网站工作年度报表</a>[01-20]</li>"
			"</ul></body></html>\n");
	} else if (!strcmp(path, "/pg/ldxx.html")) {
		pg_page(o, "领导信箱");
		addf(o, "<ul><li><a href=\"/pg/ldxx/1.html\">关于小区停车难问题的咨询与建议</a>2026-11-20</li></ul></body></html>\n");
	} else if (!strcmp(path, "/pg/jgzn.html")) {
		pg_page(o, "市退役军人事务局机构职能");
		addf(o, "<div class=\"content\"><p>发布时间：2026-06-01</p><p>市退役军人事务局是市政府工作部门。</p></div></body></html>\n");
	} else if (!strcmp(path, "/pg/bm.html")) {
		static const char *const names[] = { "市发展改革委", "市教育局", "市科技局", "市民政局" };
		pg_page(o, "部门目录");
		addf(o, "<ul class=\"bm\">");
		for (int i = 0; i < 44; i++)
			addf(o, "<li><a href=\"/pg/bm/%d/\">%s%d</a></li>", i, names[i % 4], i);
		addf(o, "</ul></body></html>\n");
	} else if (!strcmp(path, "/pg/gs.html")) {
		/* personal data a person must not find, a wording error, a typo */
		pg_page(o, "城乡低保对象名单公示");
		addf(o, "<p>发布时间：2026-11-30</p><table>"
			"<tr><td>王五</td><td>510402199001011234</td><td>13812345678</td></tr>"
			"<tr><td>赵六</td><td>510402199001011235</td><td>6222021000123456781</td></tr></table>"
			"<p>会见台湾政府代表团。全体干部再接再励。</p></body></html>\n");
	} else if (!strncmp(path, "/pg/", 4)) {
		pg_page(o, "文章");
		addf(o, "<p>发布时间：2026-01-01</p></body></html>\n");
	} else {
		r->status = 404;
	}
}

/* /at/: attachments holding personal data (issue 13;
 * tests/cli/test_inspect_attach.sh):
 *   /at/index.html          links the three files, a download link that
 *                           is an .xlsx by its Content-Type only, and a
 *                           .docx that is a zip bomb's shape (too many
 *                           entries); its text has the office's wording
 *                           error 青岚市政府办公厅
 *   /at/files/mdb.docx      word/document.xml: ID 110105199003071239,
 *                           mobile 13900001111, ID 110105199003071230
 *                           (check digit wrong), 青岚市大数据局 (the
 *                           office's list: 青岚市大数据发展管理局)
 *   /at/files/mdb.xlsx      shared string ID 320106198512124563, a number
 *                           cell 13700002222, an inline string
 *                           320106198512124560 (check digit wrong)
 *   /at/files/mdb.pdf       a text stream: ID 440304197806057897, mobile
 *                           13600003333, 440304197806057890 (wrong)
 *   /at/down.aspx?id=2      a .xlsx served as such: the number 13500004444
 *   /at/files/many.docx     a zip of 10,001 empty entries (not read)
 */

/* A zip of stored (uncompressed) entries, built in z. */
typedef struct zipw {
	buf z, cd;
	int n;
} zipw;

static void le16(buf *b, unsigned v)
{
	unsigned char c[2] = { v & 255, v >> 8 & 255 };
	add(b, c, 2);
}

static void le32(buf *b, unsigned long v)
{
	le16(b, v & 0xFFFF);
	le16(b, v >> 16 & 0xFFFF);
}

static void zip_entry(zipw *w, const char *name, const char *data)
{
	size_t nl = strlen(name), dl = strlen(data);
	unsigned long crc = crc32(0, (const unsigned char *)data, (unsigned)dl);
	unsigned long off = (unsigned long)w->z.n;
	le32(&w->z, 0x04034b50); le16(&w->z, 20); le16(&w->z, 0); le16(&w->z, 0);
	le16(&w->z, 0); le16(&w->z, 0x21); le32(&w->z, crc);
	le32(&w->z, dl); le32(&w->z, dl); le16(&w->z, nl); le16(&w->z, 0);
	add(&w->z, name, nl);
	add(&w->z, data, dl);
	le32(&w->cd, 0x02014b50); le16(&w->cd, 20); le16(&w->cd, 20); le16(&w->cd, 0);
	le16(&w->cd, 0); le16(&w->cd, 0); le16(&w->cd, 0x21); le32(&w->cd, crc);
	le32(&w->cd, dl); le32(&w->cd, dl); le16(&w->cd, nl); le16(&w->cd, 0);
	le16(&w->cd, 0); le16(&w->cd, 0); le16(&w->cd, 0); le32(&w->cd, 0);
	le32(&w->cd, off);
	add(&w->cd, name, nl);
	w->n++;
}

/* The zip's end into o (w freed). */
static void zip_end(zipw *w, buf *o)
{
	unsigned long cdoff = (unsigned long)w->z.n;
	add(o, w->z.p, w->z.n);
	add(o, w->cd.p, w->cd.n);
	le32(o, 0x06054b50); le16(o, 0); le16(o, 0);
	le16(o, w->n > 65535 ? 65535 : (unsigned)w->n);
	le16(o, w->n > 65535 ? 65535 : (unsigned)w->n);
	le32(o, (unsigned long)w->cd.n); le32(o, cdoff); le16(o, 0);
	free(w->z.p);
	free(w->cd.p);
}

static void at_xlsx(buf *o, const char *shared, const char *num, const char *inl)
{
	zipw w = { 0 };
	char sheet[1024], sst[512];
	snprintf(sst, sizeof(sst),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"2\" uniqueCount=\"2\">"
		 "<si><t>姓名</t></si><si><t>%s</t></si></sst>", shared);
	snprintf(sheet, sizeof(sheet),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		 "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\"><v>%s</v></c></row>"
		 "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>%s</t></is></c></row>"
		 "</sheetData></worksheet>", num, inl);
	zip_entry(&w, "[Content_Types].xml",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		  "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
		  "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
		  "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
	zip_entry(&w, "_rels/.rels",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
	zip_entry(&w, "xl/workbook.xml",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		  "<sheets><sheet name=\"名单\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
	zip_entry(&w, "xl/_rels/workbook.xml.rels",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
	zip_entry(&w, "xl/worksheets/sheet1.xml", sheet);
	zip_entry(&w, "xl/sharedStrings.xml", sst);
	zip_end(&w, o);
}

static void at_docx(buf *o)
{
	zipw w = { 0 };
	zip_entry(&w, "[Content_Types].xml",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		  "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
	zip_entry(&w, "_rels/.rels",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
	/* runs split as Word splits them: the number in two w:t */
	zip_entry(&w, "word/document.xml",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
		  "<w:p><w:r><w:t>2026年度困难群众救助对象名单</w:t></w:r></w:p>"
		  "<w:p><w:r><w:t xml:space=\"preserve\">张三 身份证号 1101051990</w:t></w:r><w:r><w:t>03071239</w:t></w:r>"
		  "<w:r><w:tab/><w:t>联系电话 13900001111</w:t></w:r></w:p>"
		  "<w:p><w:r><w:t>李四 身份证号 110105199003071230</w:t></w:r></w:p>"
		  "<w:p><w:r><w:t>审核单位：青岚市大数据局</w:t></w:r></w:p>"
		  "</w:body></w:document>");
	zip_end(&w, o);
}

static void at_pdf(buf *o)
{
	static const char content[] =
		"BT /F1 12 Tf 72 720 Td (Mingdan: Wang ID 440304197806057897) Tj "
		"0 -20 Td (Tel 13600003333) Tj "
		"0 -20 Td (Zhao ID 440304197806057890) Tj ET\n";
	char obj[5][512];
	size_t off[6];
	snprintf(obj[0], sizeof(obj[0]), "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	snprintf(obj[1], sizeof(obj[1]), "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	snprintf(obj[2], sizeof(obj[2]), "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
		 "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n");
	snprintf(obj[3], sizeof(obj[3]), "4 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n",
		 strlen(content), content);
	snprintf(obj[4], sizeof(obj[4]), "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
	addf(o, "%%PDF-1.4\n");
	for (int i = 0; i < 5; i++) {
		off[i] = o->n;
		addf(o, "%s", obj[i]);
	}
	off[5] = o->n;
	addf(o, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 0; i < 5; i++)
		addf(o, "%010zu 00000 n \n", off[i]);
	addf(o, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", off[5]);
}

static void at_route(const char *path, resp *r)
{
	buf *o = &r->body;
	static const char xlsx[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	if (!strcmp(path, "/at/index.html")) {
		pg_page(o, "青岚市民政局");
		addf(o, "<div class=\"list\"><ul>"
			"<li><a href=\"/at/files/mdb.docx\">救助对象名单.docx</a>2026-11-20</li>"
			"<li><a href=\"/at/files/mdb.xlsx\">救助对象名单.xlsx</a>2026-11-19</li>"
			"<li><a href=\"/at/files/mdb.pdf\">救助对象名单.pdf</a>2026-11-18</li>"
			"<li><a href=\"/at/down.aspx?id=2\">下载附件</a>2026-11-17</li>"
			"<li><a href=\"/at/files/many.docx\">附件</a>2026-11-16</li></ul></div>"
			"<p>青岚市政府办公厅 主办</p></body></html>\n");
	} else if (!strcmp(path, "/at/files/mdb.docx")) {
		r->ctype = "application/octet-stream";
		at_docx(o);
	} else if (!strcmp(path, "/at/files/mdb.xlsx")) {
		r->ctype = xlsx;
		at_xlsx(o, "320106198512124563", "13700002222", "320106198512124560");
	} else if (!strcmp(path, "/at/down.aspx?id=2")) {
		r->ctype = xlsx;
		at_xlsx(o, "申请人", "13500004444", "无");
	} else if (!strcmp(path, "/at/files/mdb.pdf")) {
		r->ctype = "application/pdf";
		at_pdf(o);
	} else if (!strcmp(path, "/at/files/many.docx")) {
		zipw w = { 0 };
		char name[32];
		r->ctype = "application/octet-stream";
		for (int i = 0; i < 10001; i++) {
			snprintf(name, sizeof(name), "word/p%d.xml", i);
			zip_entry(&w, name, "");
		}
		zip_entry(&w, "word/document.xml", "<w:document xmlns:w=\"x\"><w:t>13900009999</w:t></w:document>");
		zip_end(&w, o);
	} else {
		r->status = 404;
	}
}

/* /fs/: a homepage whose footer is written by same-site scripts
 * (tests/cli/test_inspect_script.sh):
 *   /fs/index.html       UTF-8, loads /fs/js/foot.js (charset="gb2312",
 *                        served without a charset) and /fs/js/conac.js,
 *                        and a script on another host (not fetched)
 *   /fs/js/foot.js       GBK: document.write of the site code, ICP and
 *                        公安 numbers and the sponsor
 *   /fs/js/conac.js      the 党政机关 mark through unescape
 */
static void fs_route(const char *path, resp *r)
{
	buf *o = &r->body;
	if (!strcmp(path, "/fs/index.html")) {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>湘潭市人民政府</title>"
			"<script src=\"http://other.invalid/x.js\"></script></head><body>"
			"<ul><li><a href=\"/fs/a.html\">湘潭市召开全市经济工作会议</a>2026-12-01</li></ul>"
			"<div class=\"footer\"><script src=\"/fs/js/foot.js\" charset=\"gb2312\"></script>"
			"<script type=\"text/javascript\" src=\"js/conac.js\"></script></div></body></html>\n");
	} else if (!strcmp(path, "/fs/js/foot.js")) {
		r->ctype = "application/javascript";
		addf(o, "var y = 2026;\n"
			"document.write('<div class=\"foot\"><p>主办单位：湘潭市人民政府办公室'\n"
			"  + '　承办：市大数据中心</p>');\n"
			"document.write(\"<p><span>网站标识码: 4303000006</span> 湘ICP备05003517号 \" + y + \"</p>\");\n"
			"document.writeln('<p>湘公网安备 43030202000133号<\\/p><\\/div>');\n");
		gbk(o);
	} else if (!strcmp(path, "/fs/js/conac.js")) {
		r->ctype = "application/javascript";
		addf(o, "document.write(unescape(\"%%3Cspan id='_ideConac'%%3E%%3C/span%%3E"
			"%%3Cscript type='text/javascript'%%3E%%3C/script%%3E\"));\n");
	} else {
		addf(o, "<html><head><meta charset=\"utf-8\"><title>文章</title></head><body>"
			"<p>发布时间：2026-12-01</p></body></html>\n");
	}
}

/* /ly/: a 市长信箱 column whose letters have a 来信日期 or 留言时间 and a
 * reply or none (tests/cli/test_inspect_interaction.sh; as of 2026-12-07):
 *   /ly/xx/1.html  2026-11-20, no reply            (under 3 months)
 *   /ly/xx/2.html  2026-08-01, replied 2026-08-10
 *   /ly/xx/3.html  2026-07-01, 状态：未回复         unanswered
 *   /ly/xx/4.html  留言时间 2026-05-10 14:20, no reply section: unanswered
 *   /ly/xx/5.html  2026-03-02, 回复内容：暂无回复 (on the list's page 2)
 *   /ly/xx/6.html  2025-06-01, no reply            (over a year: not counted)
 *   /ly/ft/1.html  在线访谈 (left out by the indicators), no reply
 */
static void ly_route(const char *path, resp *r)
{
	static const char *const letters[][3] = {
		{ "1", "来信日期：2026-11-20", "" },
		{ "2", "来信日期：2026-08-01", "<div class=\"reply\"><p>回复单位：市住建局</p><p>回复时间：2026-08-10</p><p>回复内容：已协调物业增设停车位。</p></div>" },
		{ "3", "来信日期：2026-07-01", "<p>状态：未回复</p>" },
		{ "4", "留言时间：2026-05-10 14:20", "" },
		{ "5", "来信日期：2026-03-02", "<p>回复内容：暂无回复</p>" },
		{ "6", "来信日期：2025-06-01", "" },
	};
	buf *o = &r->body;
	int i;
	addf(o, "<html><head><meta charset=\"utf-8\"><title>");
	if (!strcmp(path, "/ly/index.html")) {
		addf(o, "留言测试市人民政府</title></head><body><div class=\"nav\"><ul>"
			"<li><a href=\"/ly/xx/index.html\">市长信箱</a></li>"
			"<li><a href=\"/ly/ft/index.html\">在线访谈</a></li></ul></div>"
			"<ul><li><a href=\"/ly/a.html\">全市经济工作会议召开</a>2026-12-01</li></ul></body></html>\n");
	} else if (!strcmp(path, "/ly/xx/index.html") || !strcmp(path, "/ly/xx/index_1.html")) {
		bool first = path[12] == '.';
		addf(o, "市长信箱</title></head><body><ul class=\"list\">");
		for (i = first ? 0 : 4; i < (first ? 4 : 6); i++)
			addf(o, "<li><a href=\"%s.html\">关于第%s件民生问题的咨询与建议</a><span>%.10s</span></li>",
			     letters[i][0], letters[i][0], strchr(letters[i][1], '2'));
		addf(o, "</ul>%s</body></html>\n",
		     first ? "<div class=\"page\"><a href=\"index_1.html\">下一页</a></div>" : "");
	} else if (sscanf(path, "/ly/xx/%d.html", &i) == 1 && i >= 1 && i <= 6) {
		addf(o, "关于第%d件民生问题的咨询与建议</title></head><body><h1>关于第%d件民生问题的咨询与建议</h1>"
			"<p>%s</p><p>来信内容：小区周边停车难，希望协调解决。</p>%s</body></html>\n",
		     i, i, letters[i - 1][1], letters[i - 1][2]);
	} else if (!strcmp(path, "/ly/ft/index.html")) {
		addf(o, "在线访谈</title></head><body><ul><li><a href=\"1.html\">市长在线访谈网友提问汇总</a>2026-03-01</li></ul></body></html>\n");
	} else if (!strcmp(path, "/ly/ft/1.html")) {
		addf(o, "网友提问</title></head><body><p>留言时间：2026-03-01</p><p>请问何时开通地铁？</p></body></html>\n");
	} else {
		addf(o, "文章</title></head><body><p>发布时间：2026-12-01</p></body></html>\n");
	}
}

/* ---- monitoring's sites (tests/cli/test_monitor.sh) --------------------
 * Homepages whose answers follow the count of requests made to them, so
 * a simulated week of probes meets a known schedule of failures and
 * edits (the count is kept per path across connection processes):
 *	/mon/every/N/      503 on every Nth request, else the same page
 *	/mon/down/A/B/     503 on requests A … B, else the same page
 *	/mon/edit/A/B/     the page changes with each request up to the Ath,
 *	                   stays as it is until the Bth, then changes again
 *	                   with each request
 *	/mon/slow/MS/      the same page after MS milliseconds
 *	/mon/count?PATH    how many requests PATH had (text) */
#define MON_SLOTS 64
typedef struct mon_slot {
	int used;
	int count;
	char path[120];
} mon_slot;
static mon_slot *g_mon;

static mon_slot *mon_find(const char *path, bool make)
{
	for (int i = 0; g_mon && i < MON_SLOTS; i++) {
		mon_slot *m = &g_mon[i];
		if (__atomic_load_n(&m->used, __ATOMIC_ACQUIRE) == 2 &&
		    !strcmp(m->path, path))
			return m;
		if (make && __sync_bool_compare_and_swap(&m->used, 0, 1)) {
			snprintf(m->path, sizeof(m->path), "%s", path);
			__atomic_store_n(&m->used, 2, __ATOMIC_RELEASE);
			return m;
		}
		if (!make && !__atomic_load_n(&m->used, __ATOMIC_ACQUIRE))
			return NULL;
	}
	return NULL;
}

static void mon_page(buf *b, const char *path, int version)
{
	addf(b, "<html><head><meta charset=\"utf-8\"><title>监测站 %s</title>"
		"</head><body><h1>监测站</h1><p>版本 %d</p></body></html>\n",
	     path, version);
}

static bool route_monitor(const char *path, resp *r)
{
	int a, bb, n;
	mon_slot *m;
	if (!strncmp(path, "/mon/count?", 11)) {
		m = mon_find(path + 11, false);
		addf(&r->body, "%d\n", m ? m->count : 0);
		r->ctype = "text/plain";
		return true;
	}
	if (strncmp(path, "/mon/", 5))
		return false;
	m = mon_find(path, true);
	n = m ? __sync_add_and_fetch(&m->count, 1) : 1;
	if (sscanf(path, "/mon/every/%d/", &a) == 1 && a > 0) {
		if (n % a == 0)
			r->status = 503;
		mon_page(&r->body, path, 0);
	} else if (sscanf(path, "/mon/down/%d/%d/", &a, &bb) == 2) {
		if (n >= a && n <= bb)
			r->status = 503;
		mon_page(&r->body, path, 0);
	} else if (sscanf(path, "/mon/edit/%d/%d/", &a, &bb) == 2) {
		mon_page(&r->body, path, n <= a ? n : n < bb ? a : n);
	} else if (sscanf(path, "/mon/slow/%d/", &a) == 1 && a >= 0 && a < 60000) {
		usleep((useconds_t)a * 1000);
		mon_page(&r->body, path, 0);
	} else {
		r->status = 404;
		addf(&r->body, "no such monitoring page\n");
	}
	return true;
}

/* ---- /inc/: a site for incremental re-inspection (issue 17)
 *   /inc/MS/N/S/            homepage of site S (any number: a namespace),
 *                           each request answered after MS milliseconds;
 *                           navigation to 5 columns, the 5 newest items
 *   /inc/MS/N/S/cC/         column C (1–5): N articles, 20 a page, pages
 *                           index_1.html … linked by 下一页
 *   /inc/MS/N/S/cC/aK.html  article K of column C
 * The 8th article of each column (K = 7) shows a missing picture; a
 * changed one also links a missing attachment and has a wording error.
 * Every 200 answer under /inc/ has an ETag (the body's fingerprint) and
 * a Last-Modified; a GET whose If-None-Match is the ETag gets 304 with
 * no body.  While PORTFILE.inc exists, 1% of the articles (those whose
 * number (C-1)×N+K is a multiple of 100) read differently, so their ETag
 * changes.  GET /inc-stats: requests, 200s with a body and 304s seen
 * under /inc/ (text); /inc-stats/reset clears them. */
static char g_inc[4096];   /* PORTFILE.inc */
typedef struct inc_stats {
	int requests, full, not_modified;
} inc_stats;
static inc_stats *g_incst;

static const char *const inc_cols[5] = { "工作动态", "通知公告", "政策文件",
					 "政策解读", "人事信息" };

static bool inc_changed(int c, int n, int k)
{
	return g_inc[0] && access(g_inc, F_OK) == 0 && ((c - 1) * n + k) % 100 == 0;
}

/* Article k of column c is dated as_of (2024-06-30) minus k days. */
static void inc_date(int k, int *m, int *d)
{
	int day = 30 - k % 150;
	*m = 6;
	while (day <= 0) {
		day += 30;
		(*m)--;
	}
	*d = day;
}

static void inc_list(buf *b, const char *base, int c, int n, int pg)
{
	int pages = (n + 19) / 20, m, d;
	addf(b, "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body>"
		"<div class=\"nav\"><a href=\"%s\">首页</a></div><h2>%s</h2><ul>\n",
	     inc_cols[c - 1], base, inc_cols[c - 1]);
	for (int k = pg * 20; k < n && k < (pg + 1) * 20; k++) {
		inc_date(k, &m, &d);
		addf(b, "<li><a href=\"%sc%d/a%d.html\">%s第%d号信息的标题文字</a><span>2024-%02d-%02d</span></li>\n",
		     base, c, k, inc_cols[c - 1], k, m, d);
	}
	addf(b, "</ul>");
	if (pg + 1 < pages)
		addf(b, "<a href=\"%sc%d/index_%d.html\">下一页</a>", base, c, pg + 1);
	addf(b, "</body></html>\n");
}

static bool route_inc(const char *path, resp *r)
{
	int ms, n, site, c, k, m, d, used = 0;
	char base[128];
	if (sscanf(path, "/inc/%d/%d/%d/%n", &ms, &n, &site, &used) != 3 || !used ||
	    ms < 0 || ms > 10000 || n < 1 || n > 10000)
		return false;
	usleep((useconds_t)ms * 1000);
	snprintf(base, sizeof(base), "/inc/%d/%d/%d/", ms, n, site);
	path += used;
	if (!*path || !strcmp(path, "index.html")) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>增量站 %d</title></head><body>"
			"<div class=\"nav\"><ul>", site);
		for (c = 1; c <= 5; c++)
			addf(&r->body, "<li><a href=\"%sc%d/\">%s</a></li>", base, c, inc_cols[c - 1]);
		addf(&r->body, "</ul></div><ul>\n");
		for (k = 0; k < 5 && k < n; k++) {
			inc_date(k, &m, &d);
			addf(&r->body, "<li><a href=\"%sc1/a%d.html\">工作动态第%d号信息的标题文字</a><span>2024-%02d-%02d</span></li>\n",
			     base, k, k, m, d);
		}
		addf(&r->body, "</ul><p>网站标识码：5101000001 主办单位：增量站</p></body></html>\n");
	} else if (sscanf(path, "c%d/index_%d.html", &c, &k) == 2 && c >= 1 && c <= 5 &&
		   k >= 1 && k < (n + 19) / 20) {
		inc_list(&r->body, base, c, n, k);
	} else if (sscanf(path, "c%d/a%d.html", &c, &k) == 2 && c >= 1 && c <= 5 &&
		   k >= 0 && k < n) {
		inc_date(k, &m, &d);
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>信息</title></head><body>"
			"<h1>%s第%d号信息的标题文字</h1><p>发布时间：2024-%02d-%02d</p><p>正文。</p>",
		     inc_cols[c - 1], k, m, d);
		/* the seventh article of each column: a missing picture */
		if (k == 7)
			addf(&r->body, "<img src=\"%sc%d/missing.png\" alt=\"配图\">", base, c);
		/* a changed article: a missing attachment and a wording error */
		if (inc_changed(c, n, k))
			addf(&r->body, "<p>（已修改）学习习近平新时代中国特色社会主意思想。"
				"<a href=\"%sc%d/fj%d.pdf\">附件</a></p>", base, c, k);
		addf(&r->body, "<a href=\"%sc%d/\">返回</a></body></html>\n", base, c);
	} else if (sscanf(path, "c%d/%n", &c, &used) == 1 && c >= 1 && c <= 5 &&
		   path[used] == '\0') {
		inc_list(&r->body, base, c, n, 0);
	} else {
		r->status = 404;
		addf(&r->body, "<html><body>404</body></html>\n");
	}
	return true;
}

static void route(const char *path, resp *r)
{
	int col, pg, y, m, d, i;
	char tail[64] = "";
	r->status = 200;
	if (route_monitor(path, r))
		return;
	if (!strncmp(path, "/inc-stats", 10)) {
		r->ctype = "text/plain";
		if (!strcmp(path, "/inc-stats/reset"))
			memset(g_incst, 0, sizeof(*g_incst));
		addf(&r->body, "requests %d\nfull %d\nnot_modified %d\n",
		     g_incst->requests, g_incst->full, g_incst->not_modified);
		return;
	}
	if (route_inc(path, r))
		return;
	if (route_extra(path, r))
		return;
	if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
		home(&r->body);
	} else if (!strcmp(path, "/polite/index.html") ||
		   !strcmp(path, "/polite/b/index.html")) {   /* two sites, one host */
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>礼貌</title></head><body><ul>\n");
		for (i = 1; i <= 12; i++)
			addf(&r->body, "<li><a href=\"/polite/p%d.html\">第%d篇礼貌测试文章的标题</a> 2024-06-%02d</li>\n", i, i, i);
		addf(&r->body, "</ul></body></html>\n");
	} else if (sscanf(path, "/polite/p%d.html", &i) == 1) {
		addf(&r->body, "<html><body><p>文章 %d</p></body></html>\n", i);
	} else if (!strcmp(path, "/stats/polite")) {
		r->ctype = "text/plain";
		addf(&r->body, "max_active %d\nmin_gap_ms %lld\nrequests %d\n",
		     g_polite->max_active, g_polite->min_gap_ms, g_polite->requests);
	} else if (!strcmp(path, "/stats/reset")) {
		r->ctype = "text/plain";
		memset(g_polite, 0, sizeof(*g_polite));
		g_polite->min_gap_ms = -1;
		addf(&r->body, "ok\n");
	} else if (!strcmp(path, "/same/") || !strcmp(path, "/same/index.htm") ||
		   !strcmp(path, "/other/")) {
		/* one page at two addresses; /other/ differs from its
		 * index.html by a byte and stays two pages */
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>同一页面</title></head><body>"
			"<p>发布时间：2024-06-20</p><a href=\"/same/index.htm\">本页</a>"
			"<a href=\"/other/index.html\">另一页</a><a href=\"/other/\">另一目录</a></body></html>\n");
	} else if (!strcmp(path, "/other/index.html")) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>同一页面</title></head><body>"
			"<p>发布时间：2024-06-21</p><a href=\"/same/index.htm\">本页</a>"
			"<a href=\"/other/index.html\">另一页</a></body></html>\n");
	} else if (!strcmp(path, "/robots.txt")) {
		r->ctype = "text/plain";
		addf(&r->body, "User-agent: *\nDisallow: /private/\n");
	} else if (sscanf(path, "/col/col%d/index_%d.html", &col, &pg) == 2 &&
		   col >= 1 && col <= 9) {
		r->status = pg < 3 ? column_page(&r->body, col, pg) : 404;
	} else if (!strcmp(path, "/col/col2/index.html?pageNum=2")) {
		r->status = column_page(&r->body, 2, 1);
		r->ctype = "text/html";
	} else if (sscanf(path, "/col/col%d/index.html%63s", &col, tail) == 1 &&
		   col >= 1 && col <= 9) {
		r->status = column_page(&r->body, col, 0);
		if (col == 2)
			r->ctype = "text/html";
	} else if (!strcmp(path, "/col/col10/index.html")) {
		head(&r->body, "部门动态", "utf-8");
		addf(&r->body, "<ul>");
		for (i = 1; i <= 5; i++)
			item_line(&r->body, "trs", 10, i, 2024, 6, 20 + i);
		addf(&r->body, "</ul></body></html>\n");
	} else if (!strcmp(path, "/xp/list.html") || !strcmp(path, "/xp/gbk.html")) {
		xp_page(&r->body, path[4] == 'g');
		if (path[4] == 'g')
			r->ctype = "text/html";
	} else if (!strcmp(path, "/xp/zdxm.html")) {
		head(&r->body, "重大项目", "utf-8");
		addf(&r->body, "<ul class=\"list\">\n");
		for (i = 1; i <= 5; i++)
			item_line(&r->body, "trs", 24, i, 2024, 6, 16 - i);
		addf(&r->body, "</ul></body></html>\n");
	} else if (sscanf(path, "/art/%d/%d/%d/art_%d_%d.html", &y, &m, &d, &col, &i) == 5) {
		article(&r->body, col, i, y, m, d);
	} else if (!strcmp(path, "/css/main.css")) {
		r->ctype = "text/css";
		addf(&r->body, "body{margin:0}\n");
	} else if (!strcmp(path, "/js/common.js")) {
		r->ctype = "application/javascript";
		addf(&r->body, "var x=1;\n");
	} else if (!strcmp(path, "/img/logo.png") || !strcmp(path, "/img/dzjg.png") ||
		   (!strcmp(path, "/img/missing.png") && v2())) {
		r->ctype = "image/png";
		add(&r->body, "\x89PNG\r\n\x1a\n", 8);
	} else if (!strcmp(path, "/files/plan.pdf") && !v2()) {
		r->ctype = "application/pdf";
		addf(&r->body, "%%PDF-1.4\n");
	} else if (!strcmp(path, "/sitemap.html") || !strcmp(path, "/contact.html") ||
		   !strcmp(path, "/search/search.html")) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>页面</title></head><body><p>电话：0812-1234567</p></body></html>\n");
	} else if (!strcmp(path, "/old/page.html")) {
		r->status = 410;
		addf(&r->body, "gone");
	} else if (!strcmp(path, "/err500.html")) {
		r->status = 500;
		addf(&r->body, "error");
	} else if (!strcmp(path, "/slow.html") || !strcmp(path, "/hostile/stall.html")) {
		r->special = 2;
	} else if (!strncmp(path, "/trap/cal.html?month=", 21)) {
		int yy = 2024, mm = 6;
		sscanf(path + 21, "%d-%d", &yy, &mm);
		mm++;
		if (mm > 12) { mm = 1; yy++; }
		addf(&r->body, "<html><body><a href=\"/trap/cal.html?month=%04d-%02d\">下个月</a></body></html>\n",
		     yy, mm);
	} else if (!strncmp(path, "/trap/a/", 8)) {
		addf(&r->body, "<html><body><a href=\"a/\">更深一层</a></body></html>\n");
	} else if (!strcmp(path, "/query/list.html")) {
		/* 60 articles on one path, told apart by their id */
		addf(&r->body, "<html><body><ul>\n");
		for (i = 1; i <= 60; i++)
			addf(&r->body, "<li><a href=\"/query/art.jsp?id=%d\">第%d篇文章的标题</a> 2024-06-01</li>\n", i, i);
		addf(&r->body, "</ul></body></html>\n");
	} else if (!strncmp(path, "/query/art.jsp?id=", 18)) {
		addf(&r->body, "<html><body><p>文章</p></body></html>\n");
	} else if (!strcmp(path, "/refresh.html")) {
		addf(&r->body, "<html><head><meta http-equiv=\"refresh\" content=\"0; url=/index.html\"></head><body></body></html>\n");
	} else if (!strcmp(path, "/moved")) {
		/* the homepage on another host name: localhost → 127.0.0.1 */
		static char loc[64];
		snprintf(loc, sizeof(loc), "http://127.0.0.1:%d/", g_port);
		r->status = 302;
		r->location = loc;
	} else if (!strcmp(path, "/hostile/loop-home.html")) {
		hostile_home(&r->body, "/hostile/loop1");
	} else if (!strcmp(path, "/hostile/loop1") || !strcmp(path, "/hostile/loop2")) {
		r->status = 302;
		r->location = path[13] == '1' ? "/hostile/loop2" : "/hostile/loop1";
	} else if (!strcmp(path, "/hostile/big-home.html")) {
		hostile_home(&r->body, "/hostile/big.html");
	} else if (!strcmp(path, "/hostile/big.html")) {
		r->special = 1;
	} else if (!strcmp(path, "/hostile/bomb-home.html")) {
		hostile_home(&r->body, "/hostile/bomb.html");
	} else if (!strcmp(path, "/hostile/bomb.html")) {
		make_bomb();
		r->encoding = "gzip";
		add(&r->body, bomb_gz.p, bomb_gz.n);
	} else if (!strcmp(path, "/hostile/stall-home.html")) {
		hostile_home(&r->body, "/hostile/stall.html");
	} else if (!strcmp(path, "/hostile/bad-utf8.html")) {
		r->ctype = "text/html; charset=utf-8";
		addf(&r->body, "<html><head><title>坏\xff\xfe字节\xe4\xb8</title></head><body>"
			"<ul><li><a href=\"/hostile/x\xc3\x28.html\">坏\x80字节的标题一二三</a> 2024-06-2\xff</li>"
			"<li><a href=\"/hostile/gbk.html\">GBK 坏字节页面一二三</a> 2024-06-27</li></ul>"
			"<p>\xed\xa0\x80 surrogate \xf4\x90\x80\x80 too big \xc0\xaf overlong</p></body></html>");
	} else if (!strcmp(path, "/hostile/gbk.html")) {
		r->ctype = "text/html; charset=GBK";
		addf(&r->body, "<html><head><title>\xca\xbe\xc0\xfd\x81</title></head><body>"
			"<p>\xb9\xfa\xbc\xd2 \xff\xff \x81\x30 \xa1</p></body></html>");
	} else if (!strcmp(path, "/hostile/million.html")) {
		addf(&r->body, "<html><head><meta charset=\"utf-8\"><title>一百万个链接</title></head><body>\n");
		for (i = 0; i < 1000000; i++)
			addf(&r->body, "<a href=\"/m/%d.html\">%d</a>\n", i, i);
		addf(&r->body, "</body></html>\n");
	} else if (!strncmp(path, "/m/", 3)) {
		addf(&r->body, "<html><body>m</body></html>\n");
	} else if (!strncmp(path, "/itest/", 7)) {
		itest_route(path, r);
	} else if (!strncmp(path, "/mcol/", 6)) {
		mcol_route(path, r);
	} else if (route_crawl(path, r)) {
		/* /whole/, /safe/: tests/cli/test_inspect_crawl.sh */
	} else if (!strncmp(path, "/pg/", 4)) {
		pg_route(path, r);
	} else if (!strncmp(path, "/fs/", 4)) {
		fs_route(path, r);
	} else if (!strncmp(path, "/ly/", 4)) {
		ly_route(path, r);
	} else if (!strncmp(path, "/at/", 4)) {
		at_route(path, r);
	} else {
		r->status = 404;
		addf(&r->body, "<html><body>404 Not Found</body></html>\n");
	}
}

static const char *reason(int s)
{
	switch (s) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 404: return "Not Found";
	case 410: return "Gone";
	default: return "Error";
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* /inc/'s validators: an ETag of the body and a fixed Last-Modified on
 * each 200; 304 and no body when the request's If-None-Match is it. */
static void inc_validate(const char *path, const char *req, resp *r)
{
	unsigned h = 2166136261u;
	char etag[24];
	const char *inm;
	if (strncmp(path, "/inc/", 5))
		return;
	__sync_add_and_fetch(&g_incst->requests, 1);
	if (r->status != 200)
		return;
	for (size_t i = 0; i < r->body.n; i++)
		h = (h ^ (unsigned char)r->body.p[i]) * 16777619u;
	snprintf(etag, sizeof(etag), "\"%08x\"", h);
	snprintf(r->validators, sizeof(r->validators),
		 "ETag: %s\r\nLast-Modified: Sat, 01 Jun 2024 00:00:00 GMT\r\n", etag);
	inm = strcasestr(req, "\r\nIf-None-Match:");
	if (inm) {
		inm += 16;
		while (*inm == ' ')
			inm++;
		if (!strncmp(inm, etag, strlen(etag))) {
			r->status = 304;
			r->body.n = 0;
			__sync_add_and_fetch(&g_incst->not_modified, 1);
			return;
		}
	}
	__sync_add_and_fetch(&g_incst->full, 1);
}

static void serve_conn(int fd)
{
	char req[16384];
	size_t have = 0;
	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		char *end;
		if (poll(&pf, 1, 10000) <= 0)
			return;
		ssize_t n = read(fd, req + have, sizeof(req) - 1 - have);
		if (n <= 0)
			return;
		have += (size_t)n;
		req[have] = '\0';
		while ((end = strstr(req, "\r\n\r\n"))) {
			char method[16], path[8192];
			resp r;
			buf h = { 0 };
			int close_after;
			memset(&r, 0, sizeof(r));
			if (sscanf(req, "%15s %8191s", method, path) != 2)
				return;
			close_after = strcasestr(req, "connection: close") != NULL;
			itest_request(req, end);
			bool polite = !strncmp(path, "/polite/", 8);
			if (polite)
				polite_begin();
			route(path, &r);
			inc_validate(path, req, &r);
			addf(&h, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n", r.status,
			     reason(r.status), r.ctype ? r.ctype : "text/html; charset=utf-8");
			if (r.location)
				addf(&h, "Location: %s\r\n", r.location);
			if (r.validators[0])
				addf(&h, "%s", r.validators);
			if (r.encoding)
				addf(&h, "Content-Encoding: %s\r\n", r.encoding);
			if (r.special == 1)
				addf(&h, "Content-Length: %d\r\n\r\n", 100 << 20);
			else if (r.special == 2)
				addf(&h, "Content-Length: 1000\r\n\r\n");
			else
				addf(&h, "Content-Length: %zu\r\n\r\n", r.body.n);
			if (write_all(fd, h.p, h.n) < 0)
				return;
			free(h.p);
			if (r.special == 1) {
				static char chunk[65536];
				memset(chunk, 'a', sizeof(chunk));
				for (int k = 0; k < 1600; k++)
					if (write_all(fd, chunk, sizeof(chunk)) < 0)
						return;
			} else if (r.special == 2) {
				sleep(20);
				return;
			} else if (strcmp(method, "HEAD") && r.body.n &&
				   write_all(fd, r.body.p, r.body.n) < 0) {
				return;
			}
			free(r.body.p);
			if (polite)
				polite_end();
			if (close_after)
				return;
			size_t used = (size_t)(end + 4 - req);
			memmove(req, end + 4, have - used + 1);
			have -= used;
		}
		if (have >= sizeof(req) - 1)
			return;
	}
}

static void on_term(int sig)
{
	(void)sig;
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGKILL); /* the whole group: every connection too */
	_exit(0);
}

static int serve(const char *portfile, const char *addr)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	FILE *f;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	setpgid(0, 0);
	signal(SIGTERM, on_term);
	/* connections must not hold the test's output open */
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	g_polite = shared_counters(sizeof(*g_polite));
	g_itest = shared_counters(sizeof(*g_itest));
	g_mon = shared_counters(MON_SLOTS * sizeof(*g_mon));
	g_incst = shared_counters(sizeof(*g_incst));
	if (!g_polite || !g_itest || !g_mon || !g_incst)
		return 1;
	g_polite->min_gap_ms = -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1)
		return 2;
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 128) ||
	    getsockname(s, (struct sockaddr *)&a, &al)) {
		perror("sitegen");
		return 1;
	}
	snprintf(g_v2, sizeof(g_v2), "%s.v2", portfile);
	snprintf(g_inc, sizeof(g_inc), "%s.inc", portfile);
	f = fopen(portfile, "w");
	if (!f)
		return 1;
	g_port = ntohs(a.sin_port);
	fprintf(f, "%d\n", g_port);
	fclose(f);
	alarm(300); /* bounded: a test that forgets us cannot leave us */
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		itest_accepted();
		pid_t p = fork();
		if (p == 0) {
			close(s);
			alarm(60);
			serve_conn(c);
			_exit(0);
		}
		close(c);
	}
}

static void save(const char *dir, const char *name, buf *b)
{
	char p[4096];
	FILE *f;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "wb");
	if (!f) {
		perror(p);
		exit(1);
	}
	fwrite(b->p, 1, b->n, f);
	fclose(f);
}

static int dump(const char *dir)
{
	buf b = { 0 };
	char name[64];
	home(&b);
	save(dir, "home.html", &b);
	for (int c = 1; c <= 8; c++) {
		b.n = 0;
		column_page(&b, c, 0);
		if (c == 2) { /* keep fixtures UTF-8 for the reference parser */
			continue;
		}
		snprintf(name, sizeof(name), "col%d.html", c);
		save(dir, name, &b);
	}
	b.n = 0;
	article(&b, 8, 1, 2024, 6, 1);
	save(dir, "article.html", &b);
	free(b.p);
	return 0;
}

/* A static site of n pages for the benchmark, in the shape (and about the
 * size) of a real government site: every page has the head, header,
 * navigation, sidebar and footer such a CMS writes around ~6 KB of
 * Chinese text, ~16 KB in all; each has an image of its own and every
 * tenth an attachment, so the site links about 2.1·n URLs.  The pages form
 * a tree (page i links to pages 10i+1 … 10i+10) so that every page is
 * reachable.  Known dead links: a page every 200, an image every 400, an
 * attachment every 400 (listed in DIR/dead.txt; every live URL in
 * DIR/urls.txt, with PORT for the port). */
static const char *const phrases[] = {
	"为深入贯彻落实党中央、国务院决策部署，", "进一步加强政府网站建设和管理，",
	"根据《政府网站发展指引》有关要求，", "结合本地实际，现将有关事项通知如下。",
	"各级各部门要高度重视，", "切实履行主体责任，", "确保各项工作落到实处。",
	"全面推进政务公开标准化规范化，", "不断提升政务服务水平，",
	"优化营商环境，", "持续深化“放管服”改革，", "加快推进数字政府建设，",
	"会议强调，", "要坚持以人民为中心的发展思想，", "统筹发展和安全，",
	"扎实做好民生保障工作，", "推动经济社会高质量发展。", "据统计，",
	"全市共办理各类事项一万余件，", "群众满意度进一步提高。",
};

static void bench_text(buf *b, unsigned seed, int chars)
{
	int out = 0;
	addf(b, "<p>");
	while (out < chars) {
		seed = seed * 1103515245u + 12345u;
		const char *ph = phrases[(seed >> 16) % (sizeof(phrases) / sizeof(phrases[0]))];
		add(b, ph, strlen(ph));
		out += (int)strlen(ph) / 3;
		if ((seed >> 8) % 5 == 0)
			addf(b, "</p>\n<p>");
	}
	addf(b, "</p>\n");
}

static int write_site(const char *dir, int n)
{
	char p[4096];
	buf b = { 0 };
	FILE *urls, *dead;
	int sections = n / 1000 + 1;
	static const char *const attach[] = { "pdf", "docx", "xls", "zip" };
	static const char img[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
	snprintf(p, sizeof(p), "%s/urls.txt", dir);
	urls = fopen(p, "w");
	snprintf(p, sizeof(p), "%s/dead.txt", dir);
	dead = fopen(p, "w");
	if (!urls || !dead)
		return 1;
	for (int s = 0; s < sections; s++) {
		snprintf(p, sizeof(p), "%s/s%d", dir, s);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/s%d/img", dir, s);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/s%d/files", dir, s);
		mkdir(p, 0755);
	}
	snprintf(p, sizeof(p), "%s/res", dir);
	mkdir(p, 0755);
	/* the shared resources: styles, scripts, logo */
	b.n = 0;
	addf(&b, "body{margin:0;font:14px/1.8 sans-serif}\n");
	save(dir, "res/main.css", &b);
	save(dir, "res/print.css", &b);
	b.n = 0;
	addf(&b, "var site={};\n");
	save(dir, "res/jquery.js", &b);
	save(dir, "res/common.js", &b);
	b.n = 0;
	add(&b, img, sizeof(img) - 1);
	save(dir, "res/logo.gif", &b);
	save(dir, "res/dzjg.gif", &b);
	for (const char *const *r = (const char *const[]){ "res/main.css", "res/print.css", "res/jquery.js", "res/common.js", "res/logo.gif", "res/dzjg.gif", NULL }; *r; r++)
		fprintf(urls, "http://127.0.0.1:PORT/%s\n", *r);
	for (int i = 0; i < n; i++) {
		int s = i % sections;
		b.n = 0;
		addf(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>\n<meta charset=\"utf-8\">\n"
			 "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			 "<title>第%d页 - 示例市人民政府</title>\n"
			 "<meta name=\"SiteName\" content=\"示例市人民政府\">\n"
			 "<meta name=\"SiteDomain\" content=\"www.example.gov.cn\">\n"
			 "<meta name=\"SiteIDCode\" content=\"5101000001\">\n"
			 "<meta name=\"ColumnName\" content=\"栏目%d动态\">\n"
			 "<meta name=\"ColumnType\" content=\"动态要闻\">\n"
			 "<meta name=\"ArticleTitle\" content=\"第%d条信息的标题文字\">\n"
			 "<meta name=\"PubDate\" content=\"2024-06-%02d 09:30\">\n"
			 "<meta name=\"ContentSource\" content=\"示例市人民政府办公室\">\n"
			 "<link rel=\"stylesheet\" href=\"/res/main.css\">\n"
			 "<link rel=\"stylesheet\" href=\"/res/print.css\" media=\"print\">\n"
			 "<script src=\"/res/jquery.js\"></script>\n<script src=\"/res/common.js\"></script>\n"
			 "<script>\nvar _hmt = _hmt || [];\n(function() {\n  var hm = document.createElement(\"script\");\n"
			 "  hm.src = \"/res/stat.js?v=20240601\";\n  var s = document.getElementsByTagName(\"script\")[0];\n"
			 "  s.parentNode.insertBefore(hm, s);\n})();\nfunction setFontSize(n){ document.body.style.fontSize = n + \"px\"; }\n"
			 "</script>\n</head>\n<body>\n",
		     i, s, i, 1 + i % 28);
		addf(&b, "<div class=\"header\"><div class=\"w1200\">\n"
			 "<a href=\"/s0/p0.html\"><img src=\"/res/logo.gif\" alt=\"示例市人民政府\" width=\"420\" height=\"80\"></a>\n"
			 "<div class=\"search\"><form action=\"/search\" method=\"get\" target=\"_blank\">"
			 "<input type=\"text\" name=\"searchword\" placeholder=\"请输入关键字\" class=\"search-input\">"
			 "<input type=\"submit\" value=\"搜索\" class=\"search-btn\"></form></div>\n"
			 "<div class=\"tools\"><a href=\"javascript:setFontSize(16)\">大</a> <a href=\"javascript:setFontSize(14)\">中</a> "
			 "<a href=\"javascript:void(0)\" onclick=\"window.print()\">打印</a></div>\n</div></div>\n");
		addf(&b, "<div class=\"nav\"><ul class=\"w1200\">\n<li class=\"on\"><a href=\"/s0/p0.html\">首页</a></li>\n");
		for (int k = 0; k < sections && k < 12; k++) {
			addf(&b, "<li class=\"nav-item\"><a href=\"/s%d/p%d.html\" target=\"_self\">栏目%d动态</a>\n<ul class=\"sub\">", k, k, k);
			for (int j = 1; j <= 3; j++) {
				int t = k + sections * j;
				if (t < n)
					addf(&b, "<li><a href=\"/s%d/p%d.html\">栏目%d子栏目%d</a></li>", t % sections, t, k, j);
			}
			addf(&b, "</ul></li>\n");
		}
		addf(&b, "</ul></div>\n<div class=\"location w1200\">当前位置：<a href=\"/s0/p0.html\">首页</a> &gt; "
			 "<a href=\"/s%d/p%d.html\">栏目%d动态</a> &gt; 正文</div>\n", s, s, s);
		addf(&b, "<div class=\"main w1200\">\n<div class=\"left\">\n<div class=\"article\">\n"
			 "<h1 class=\"title\">第%d条信息的标题文字</h1>\n"
			 "<div class=\"info\"><span>发布时间：2024-06-%02d 09:30</span> <span>来源：示例市人民政府办公室</span> "
			 "<span>浏览次数：<script>document.write(Math.round(Math.random()*1000))</script></span></div>\n"
			 "<div class=\"content\" id=\"zoom\">\n", i, 1 + i % 28);
		bench_text(&b, (unsigned)i, 2000);
		addf(&b, "<p style=\"text-align:center\"><img src=\"/s%d/img/p%d.gif\" alt=\"第%d条信息的配图\" width=\"600\"></p>\n", s, i, i);
		bench_text(&b, (unsigned)i * 7 + 1, 900);
		fprintf(urls, "http://127.0.0.1:PORT/s%d/img/p%d.gif\n", s, i);
		/* one image's bytes, linked under every name (saves disk) */
		{
			char from[4096];
			snprintf(from, sizeof(from), "%s/res/logo.gif", dir);
			snprintf(p, sizeof(p), "%s/s%d/img/p%d.gif", dir, s, i);
			if (link(from, p) != 0) {
				snprintf(p, sizeof(p), "s%d/img/p%d.gif", s, i);
				buf g = { 0 };
				add(&g, img, sizeof(img) - 1);
				save(dir, p, &g);
				free(g.p);
			}
		}
		addf(&b, "</div>\n");
		if (i % 10 == 3) {
			const char *ext = attach[(i / 10) % 4];
			addf(&b, "<div class=\"attach\">附件：<a href=\"/s%d/files/p%d.%s\">第%d号文件附件.%s</a></div>\n", s, i, ext, i, ext);
			fprintf(urls, "http://127.0.0.1:PORT/s%d/files/p%d.%s\n", s, i, ext);
			/* an attachment of 8 KB */
			buf f = { 0 };
			for (int k = 0; k < 8192 / 64; k++)
				addf(&f, "%%PDF-1.4 attachment %d of the benchmark site ....%04d\n", i, k);
			snprintf(p, sizeof(p), "s%d/files/p%d.%s", s, i, ext);
			save(dir, p, &f);
			free(f.p);
		}
		if (i % 400 == 11) {
			addf(&b, "<p><img src=\"/s%d/img/gone%d.jpg\" alt=\"丢失的图片\"></p>\n", s, i);
			fprintf(dead, "http://127.0.0.1:PORT/s%d/img/gone%d.jpg\n", s, i);
		}
		if (i % 400 == 13) {
			addf(&b, "<div class=\"attach\">附件：<a href=\"/s%d/files/gone%d.doc\">已删除的附件</a></div>\n", s, i);
			fprintf(dead, "http://127.0.0.1:PORT/s%d/files/gone%d.doc\n", s, i);
		}
		addf(&b, "</div>\n<div class=\"list\"><h3>相关信息</h3><ul>\n");
		/* a tree: page i links to 10 children */
		for (int k = 1; k <= 10; k++) {
			int c = i * 10 + k;
			if (c < n)
				addf(&b, "<li><a href=\"/s%d/p%d.html\" target=\"_blank\" title=\"第%d条信息的标题文字\">第%d条信息的标题文字</a><span class=\"date\">2024-06-%02d</span></li>\n",
				     c % sections, c, c, c, 1 + c % 28);
		}
		if (i % 200 == 7) {
			addf(&b, "<li><a href=\"/s%d/dead%d.html\">失效的链接一二三四</a><span class=\"date\">2024-06-01</span></li>\n", s, i);
			fprintf(dead, "http://127.0.0.1:PORT/s%d/dead%d.html\n", s, i);
		}
		addf(&b, "</ul></div>\n</div>\n<div class=\"right\"><div class=\"box\"><h3>热点信息</h3><ul>\n");
		for (int k = 1; k <= 8; k++) {
			int t = (i + k * 37) % n;
			addf(&b, "<li><a href=\"/s%d/p%d.html\" title=\"第%d条信息的标题文字\">第%d条信息的标题文字</a></li>\n",
			     t % sections, t, t, t);
		}
		addf(&b, "</ul></div></div>\n</div>\n");
		addf(&b, "<div class=\"footer\"><div class=\"w1200\">\n<div class=\"links\">"
			 "<a href=\"/s0/p0.html\">首页</a> | <a href=\"/s1/p1.html\">网站地图</a> | <a href=\"/s2/p2.html\">联系我们</a> | "
			 "<a href=\"/s3/p3.html\">使用帮助</a> | <a href=\"/s4/p4.html\">隐私声明</a></div>\n"
			 "<p>主办单位：示例市人民政府办公室　承办单位：示例市大数据中心　联系电话：0812-1234567</p>\n"
			 "<p>网站标识码：5101000001　<a href=\"https://beian.miit.gov.cn/\" target=\"_blank\">蜀ICP备05001234号-1</a>　"
			 "川公网安备 51040202000123号</p>\n"
			 "<a href=\"https://bszs.conac.cn/sitename?method=show&amp;id=123\" target=\"_blank\"><img src=\"/res/dzjg.gif\" alt=\"党政机关\"></a>\n"
			 "<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101000001\" target=\"_blank\">我为政府网站找错</a>\n"
			 "</div></div>\n</body></html>\n");
		snprintf(p, sizeof(p), "s%d/p%d.html", s, i);
		save(dir, p, &b);
		fprintf(urls, "http://127.0.0.1:PORT/s%d/p%d.html\n", s, i);
	}
	fclose(urls);
	fclose(dead);
	free(b.p);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(argv[2], "127.0.0.1");
	if (argc == 4 && !strcmp(argv[1], "serve"))
		return serve(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "dump"))
		return dump(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return write_site(argv[2], (int)strtol(argv[3], NULL, 10));
	fprintf(stderr, "usage: sitegen serve PORTFILE [ADDR] | dump DIR | write DIR N\n");
	return 2;
}
