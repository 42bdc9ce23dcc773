/* web — the HTTP side: libmicrohttpd's callbacks, the body cap, the
 * session, role and CSRF checks every route gets, the answer and one log
 * line per request on stderr. */
#include "web/web_int.h"
#include "web/assets.h"
#include "round/round.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* One connection's request while its body arrives. */
struct pending {
	kp_buf body;
	bool too_big;
	struct timespec t0;
};

void kp_web_error(kp_web_req *rq, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_decref(rq->out);
	rq->status = status;
	rq->out = json_pack("{s:s}", "error", msg);
}

void kp_web_fail(kp_web_req *rq, const kp_err *e)
{
	/* the server's own paths are not the client's business: a message
	 * that begins with the database's name loses it */
	const char *m = e->msg, *where = kp_store_where(rq->w->db);
	size_t n = strlen(where);
	if (!strncmp(m, where, n) && !strncmp(m + n, "：", strlen("：")))
		m += n + strlen("：");
	kp_web_error(rq, kp_rnd_http_status(e->code), "%s", m);
}

void kp_web_cookie(kp_web_req *rq, const char *value)
{
	for (size_t i = 0; i < 2; i++)
		if (!rq->set_cookie[i]) {
			rq->set_cookie[i] = kp_xstrdup(value);
			return;
		}
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "?");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
			  out, (socklen_t)n);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr,
			  out, (socklen_t)n);
}

/* Route, session, role, CSRF; then the handler. */
static void dispatch(kp_web_req *rq)
{
	kp_err e;
	int status, i;
	i = kp_web_route_find(kp_web_routes, rq->method, rq->path, &rq->params,
			      &status, &e);
	if (i < 0) {
		kp_web_error(rq, status, "%s", e.msg);
		return;
	}
	rq->route = &kp_web_routes[i];
	rq->role = KP_WEB_PUBLIC;
	if (!(rq->route->roles & KP_WEB_PUBLIC)) {
		int r = kp_web_session_load(rq, &e);
		if (r < 0) {
			kp_web_fail(rq, &e);
			return;
		}
		if (r > 0) {
			kp_web_error(rq, 401, "请先登录（没有会话，或会话已过期）");
			return;
		}
		if (!(rq->route->roles & (unsigned)rq->role)) {
			kp_web_error(rq, 403, "%s无权执行此操作",
				     kp_web_role_label(rq->role));
			return;
		}
		if (rq->route->change) {
			char h[KP_WEB_TOKEN_HEX];
			if (!rq->csrf) {
				kp_web_error(rq, 403, "缺少 X-CSRF-Token 请求头（登录时返回的 csrf）");
				return;
			}
			kp_web_token_hash(rq->csrf, h);
			if (!kp_web_same(h, rq->session->csrf)) {
				kp_web_error(rq, 403, "X-CSRF-Token 与会话不符");
				return;
			}
		}
	}
	rq->status = 200;
	rq->route->fn(rq);
	if (!rq->out)
		kp_web_error(rq, 500, "内部错误：接口没有给出应答");
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The path as a log line may show it: control bytes as \xNN. */
static void log_path(const char *p, kp_buf *out)
{
	for (; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			kp_buf_addf(out, "\\x%02x", (unsigned char)*p);
		else
			kp_buf_addc(out, *p);
	}
}

static enum MHD_Result answer(struct MHD_Connection *c, kp_web_req *rq,
			      const struct pending *pd)
{
	char *text = json_dumps(rq->out, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
					 JSON_REAL_PRECISION(15));
	struct MHD_Response *resp;
	enum MHD_Result r;
	char now[24];
	kp_buf path = KP_BUF_INIT;
	size_t n = text ? strlen(text) : 0;
	if (!text)
		text = kp_xstrdup("");
	resp = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; i < 2; i++)
		if (rq->set_cookie[i])
			MHD_add_response_header(resp, "Set-Cookie", rq->set_cookie[i]);
	r = MHD_queue_response(c, (unsigned)rq->status, resp);
	MHD_destroy_response(resp);
	log_path(rq->path, &path);
	fprintf(stderr, "%s %s %s %s %d %.1fms %s\n", kp_store_now(now), rq->addr,
		rq->method, path.data ? path.data : "", rq->status,
		ms_since(&pd->t0), rq->session ? rq->session->user.name : "-");
	kp_buf_release(&path);
	return r;
}

static void req_release(kp_web_req *rq)
{
	kp_web_params_release(&rq->params);
	if (rq->session) {
		kp_session_release(rq->session);
		free(rq->session);
	}
	json_decref(rq->out);
	free(rq->set_cookie[0]);
	free(rq->set_cookie[1]);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	kp_web *w = cls;
	struct pending *pd = *con_cls;
	kp_web_req rq;
	enum MHD_Result r;
	(void)version;
	if (!pd) {
		const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							      "Content-Length");
		pd = kp_xcalloc(1, sizeof(*pd));
		kp_buf_init(&pd->body, w->body_max);
		clock_gettime(CLOCK_MONOTONIC, &pd->t0);
		if (len && strtoull(len, NULL, 10) > w->body_max)
			pd->too_big = true;
		*con_cls = pd;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!pd->too_big && kp_buf_add(&pd->body, upload, *upload_size) < 0)
			pd->too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&rq, 0, sizeof(rq));
	rq.w = w;
	rq.method = method;
	rq.path = url;
	client_addr(c, rq.addr, sizeof(rq.addr));
	if (strncmp(url, "/api/", 5) && strcmp(url, "/api"))   /* the UI's files */
		return (enum MHD_Result)kp_web_asset_answer(c, method, url,
							    rq.addr, &pd->t0);
	rq.body = pd->body.data ? pd->body.data : "";
	rq.nbody = pd->body.len;
	rq.cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "kp_session");
	rq.cookie_voter = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "kp_voter");
	rq.csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	if (pd->too_big)
		kp_web_error(&rq, 413, "请求正文超过 %zu 字节", w->body_max);
	else
		dispatch(&rq);
	r = answer(c, &rq, pd);
	req_release(&rq);
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct pending *pd = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;
	if (pd) {
		kp_buf_release(&pd->body);
		free(pd);
		*con_cls = NULL;
	}
}

/* "ADDR:PORT" (IPv4; "[v6]:PORT") into sa. */
static int parse_listen(const char *s, struct sockaddr_storage *sa,
			kp_err *e)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	char *end;
	long port;
	size_t hn;
	if (!colon)
		return kp_fail(e, KP_EINPUT, "--listen “%s”应写成 地址:端口，如 127.0.0.1:8080", s);
	port = strtol(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || port < 0 || port > 65535)
		return kp_fail(e, KP_EINPUT, "--listen “%s”的端口应是 0 到 65535", s);
	hn = (size_t)(colon - s);
	if (hn >= 2 && s[0] == '[' && s[hn - 1] == ']') {
		s++;
		hn -= 2;
	}
	if (hn >= sizeof(host))
		return kp_fail(e, KP_EINPUT, "--listen “%s”的地址太长", s);
	memcpy(host, s, hn);
	host[hn] = '\0';
	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)sa)->sin_addr) == 1) {
		((struct sockaddr_in *)sa)->sin_family = AF_INET;
		((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)sa)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)sa)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
		return 0;
	}
	return kp_fail(e, KP_EINPUT, "--listen “%s”的地址不是 IP 地址", s);
}

int kp_web_start(const kp_web_config *c, kp_web **out, kp_err *e)
{
	struct sockaddr_storage sa;
	kp_web *w;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	const union MHD_DaemonInfo *di;
	*out = NULL;
	if (parse_listen(c->listen, &sa, e) < 0)
		return -1;
	if (sodium_init() < 0)
		return kp_fail(e, KP_EINTERNAL, "libsodium 无法初始化");
	w = kp_xcalloc(1, sizeof(*w));
	w->conn = kp_xstrdup(c->conn);
	w->body_max = c->body_max;
	w->session_s = c->session_s;
	randombytes_buf(w->secret, sizeof(w->secret));
	if (kp_store_open(c->conn, 0, &w->db, e) < 0) {
		free(w->conn);
		free(w);
		return -1;
	}
	if (sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	w->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
				MHD_OPTION_END);
	if (!w->d) {
		kp_store_close(w->db);
		free(w->conn);
		free(w);
		return kp_fail(e, KP_EIO, "无法在 %s 上监听（地址已被占用，或没有权限）",
			       c->listen);
	}
	di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
	w->port = di ? di->port : 0;
	*out = w;
	return 0;
}

unsigned kp_web_port(const kp_web *w)
{
	return w->port;
}

void kp_web_stop(kp_web *w)
{
	if (!w)
		return;
	MHD_stop_daemon(w->d);
	kp_store_close(w->db);
	sodium_memzero(w->secret, sizeof(w->secret));
	free(w->conn);
	free(w);
}
