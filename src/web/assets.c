/* web/assets — the UI's bundled files as HTTP answers (assets.h). */
#include "web/assets.h"
#include "store/store.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char kp_web_unbuilt_page[] =
	"<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	"<title>kaoping 考评系统</title></head>\n<body style=\"font-family:"
	"sans-serif;margin:3em\">\n<h1>浏览器界面没有构建</h1>\n"
	"<p>这个 kaoping 程序构建时没有 <code>web/dist</code>，所以不带浏览器界面；"
	"接口 <code>/api/</code> 照常工作（见 docs/api.md）。</p>\n"
	"<p>要带界面：安装 Node.js（Debian 的 <code>nodejs npm</code>），在源码目录运行 "
	"<code>make web</code>，再运行 <code>make</code> 重新构建程序。</p>\n"
	"</body></html>\n";

static const kp_web_asset unbuilt = {
	"/index.html", "text/html; charset=utf-8", kp_web_unbuilt_page,
	sizeof(kp_web_unbuilt_page) - 1,
};

const kp_web_asset *kp_web_asset_find(const char *path)
{
	if (!strcmp(path, "/"))
		path = "/index.html";
	for (const kp_web_asset *a = kp_web_assets; a->path; a++)
		if (!strcmp(a->path, path))
			return a;
	if (!strcmp(path, "/index.html"))
		return &unbuilt;
	return NULL;
}

/* Nothing from outside this server: scripts, styles, images and fonts
 * only from here (Element Plus sets inline styles; ECharts draws on a
 * canvas, its images are data: URLs). */
#define CSP "default-src 'self'; script-src 'self'; " \
	    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " \
	    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; " \
	    "base-uri 'self'; form-action 'self'"

static const char not_found[] = "{\"error\": \"没有这个页面\"}";
static const char bad_method[] = "{\"error\": \"界面文件只能用 GET 读取\"}";

int kp_web_asset_answer(struct MHD_Connection *c, const char *method,
			const char *path, const char *addr,
			const struct timespec *t0)
{
	const kp_web_asset *a = NULL;
	struct MHD_Response *resp;
	struct timespec t1;
	enum MHD_Result r;
	unsigned status = 200;
	char now[24];
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		status = 405;
	else if (!(a = kp_web_asset_find(path)))
		status = 404;
	if (a)
		resp = MHD_create_response_from_buffer(a->len,
						       (void *)a->data,
						       MHD_RESPMEM_PERSISTENT);
	else if (status == 404)
		resp = MHD_create_response_from_buffer(sizeof(not_found) - 1,
						       (void *)not_found,
						       MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(sizeof(bad_method) - 1,
						       (void *)bad_method,
						       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
				a ? a->mime : "application/json; charset=utf-8");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	if (status == 405)
		MHD_add_response_header(resp, "Allow", "GET, HEAD");
	if (a && !strncmp(a->path, "/assets/", 8))
		MHD_add_response_header(resp, "Cache-Control",
					"public, max-age=31536000, immutable");
	else
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	r = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "%s %s %s ", kp_store_now(now), addr, method);
	for (const char *p = path; *p; p++)     /* control bytes as \xNN */
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", (unsigned char)*p);
		else
			fputc(*p, stderr);
	fprintf(stderr, " %u %.1fms -\n", status,
		(double)(t1.tv_sec - t0->tv_sec) * 1e3 +
			(double)(t1.tv_nsec - t0->tv_nsec) / 1e6);
	return r;
}
