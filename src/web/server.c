/* web — the HTTP side: libmicrohttpd's callbacks, the body cap, the
 * session, role and CSRF checks every route gets, the answer and one log
 * line per request on stderr. */
#include "web/web_int.h"
#include "web/assets.h"
#include "round/round.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* One connection's request while its body arrives.  A multipart upload
 * to an upload route (kp_web_route_upload) is not kept in memory: its
 * file part streams to a temporary file in the data directory, hashed as
 * it comes; its other fields are kept (small). */
struct pending {
	kp_buf body;
	bool too_big;
	struct timespec t0;
	bool upload;                   /* multipart to an upload route */
	bool discard;                  /* refused already: read, keep nothing */
	struct MHD_PostProcessor *pp;
	int fd;                        /* the temporary file, or -1 */
	crypto_hash_sha256_state sha;
	kp_web_upload up;
};

/* ---- shared answers --------------------------------------------------------- */

kp_web_blob *kp_web_blob_new(const char *text, size_t n)
{
	kp_web_blob *b = kp_xmalloc(sizeof(*b) + n + 1);
	b->refs = 1;
	b->n = n;
	memcpy(b->data, text, n);
	b->data[n] = '\0';
	return b;
}

kp_web_blob *kp_web_blob_ref(kp_web_blob *b)
{
	__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
	return b;
}

void kp_web_blob_unref(kp_web_blob *b)
{
	if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(b);
}

static void blob_free_cb(void *cls)
{
	kp_web_blob_unref(cls);
}

/* json_dump_callback's writer: appends to the blob *ctx, grown by
 * doubling (its n the length so far, its capacity beside). */
struct blob_out {
	kp_web_blob *b;
	size_t cap;
};

static int blob_put(const char *buf, size_t size, void *ctx)
{
	struct blob_out *o = ctx;
	if (o->b->n + size > o->cap) {
		while (o->b->n + size > o->cap)
			o->cap *= 2;
		o->b = kp_xrealloc(o->b, sizeof(*o->b) + o->cap + 1);
	}
	memcpy(o->b->data + o->b->n, buf, size);
	o->b->n += size;
	return 0;
}

kp_web_blob *kp_web_blob_json(const json_t *j, size_t flags)
{
	struct blob_out o = { NULL, 64 << 10 };
	o.b = kp_xmalloc(sizeof(*o.b) + o.cap + 1);
	o.b->refs = 1;
	o.b->n = 0;
	if (json_dump_callback(j, blob_put, &o, flags) < 0) {
		free(o.b);
		return NULL;
	}
	o.b->data[o.b->n] = '\0';
	return o.b;
}

kp_web_blob *kp_web_blob_gzip(const char *text, size_t n, int level)
{
	z_stream z;
	kp_web_blob *b;
	uLong cap;
	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper, not zlib's */
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)n);
	b = kp_xmalloc(sizeof(*b) + cap + 1);
	b->refs = 1;
	z.next_in = (Bytef *)(uintptr_t)text;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)b->data;
	z.avail_out = (uInt)cap;
	if (n > UINT32_MAX || deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(b);
		return NULL;
	}
	b->n = z.total_out;
	b->data[b->n] = '\0';
	deflateEnd(&z);
	return b;
}

kp_web_blob *kp_web_blob_gunzip(const kp_web_blob *gz)
{
	z_stream z;
	kp_buf out = KP_BUF_INIT;
	unsigned char chunk[16384];
	kp_web_blob *b = NULL;
	int r = Z_OK;
	memset(&z, 0, sizeof(z));
	if (gz->n > UINT32_MAX || inflateInit2(&z, 15 + 16) != Z_OK)
		return NULL;
	z.next_in = (Bytef *)(uintptr_t)gz->data;
	z.avail_in = (uInt)gz->n;
	/* bounded: each turn consumes input or ends */
	while (r == Z_OK) {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		r = inflate(&z, Z_NO_FLUSH);
		if (r == Z_OK || r == Z_STREAM_END)
			kp_buf_add(&out, (char *)chunk, sizeof(chunk) - z.avail_out);
		if (r == Z_OK && z.avail_out == sizeof(chunk) && !z.avail_in)
			break;                 /* truncated */
	}
	inflateEnd(&z);
	if (r == Z_STREAM_END)
		b = kp_web_blob_new(out.data ? out.data : "", out.len);
	kp_buf_release(&out);
	return b;
}

/* Does the client take gzip (Accept-Encoding names it, not with q=0)? */
static bool accepts_gzip(struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Accept-Encoding");
	const char *p;
	if (!h)
		return false;
	for (p = h; *p; p++) {
		const char *q;
		if (strncasecmp(p, "gzip", 4))
			continue;
		q = p + 4;
		if (p > h && !strchr(", \t", p[-1]))
			continue;            /* x-gzip and the like */
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == ',' || !*q)
			return true;
		if (*q != ';')
			continue;
		q++;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncasecmp(q, "q=", 2))
			return true;
		return strtod(q + 2, NULL) > 0;
	}
	return false;
}

/* Does If-None-Match name etag (or "*")?  Compared weakly (RFC 9110
 * 13.1.2): W/ on either side is ignored. */
static bool etag_matches(struct MHD_Connection *c, const char *etag)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "If-None-Match");
	size_t n;
	if (!h || !*etag)
		return false;
	if (!strncmp(etag, "W/", 2))
		etag += 2;
	n = strlen(etag);
	for (const char *p = h; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (*p == '*' || (!strncmp(p, etag, n) &&
				  (!p[n] || strchr(", \t", p[n]))))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

/* ---- the per-thread store handle ------------------------------------------ */

static void db_close(void *p)
{
	kp_store_close(p);
}

kp_store *kp_web_db(kp_web *w, kp_err *e)
{
	kp_store *db = pthread_getspecific(w->dbkey);
	if (db)
		return db;
	if (kp_store_open(w->conn, 0, &db, e) < 0)
		return NULL;
	pthread_setspecific(w->dbkey, db);
	return db;
}

void kp_web_error(kp_web_req *rq, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_decref(rq->out);
	kp_web_blob_unref(rq->blob);
	kp_web_blob_unref(rq->blob_gz);
	rq->blob = rq->blob_gz = NULL;
	rq->etag[0] = '\0';
	rq->status = status;
	rq->out = json_pack("{s:s}", "error", msg);
}

void kp_web_fail(kp_web_req *rq, const kp_err *e)
{
	/* the server's own paths are not the client's business: a message
	 * that begins with the database's name loses it */
	const char *m = e->msg, *where = rq->db ? kp_store_where(rq->db) : "";
	size_t n = strlen(where);
	if (n && !strncmp(m, where, n) && !strncmp(m + n, "：", strlen("：")))
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

/* Route, session, role, CSRF: true when the handler may run, else false
 * with the answer set. */
static bool gate(kp_web_req *rq)
{
	kp_err e;
	int status, i;
	if (!rq->db) {
		kp_web_error(rq, 500, "%s", "无法打开数据库");
		return false;
	}
	i = kp_web_route_find(rq->w->routes, rq->method, rq->path, &rq->params,
			      &status, &e);
	if (i < 0) {
		kp_web_error(rq, status, "%s", e.msg);
		return false;
	}
	rq->route = &rq->w->routes[i];
	rq->role = KP_WEB_PUBLIC;
	if (!(rq->route->roles & KP_WEB_PUBLIC)) {
		int r = kp_web_session_load(rq, &e);
		if (r < 0) {
			kp_web_fail(rq, &e);
			return false;
		}
		if (r > 0) {
			kp_web_error(rq, 401, "请先登录（没有会话，或会话已过期）");
			return false;
		}
		if (!(rq->route->roles & (unsigned)rq->role)) {
			kp_web_error(rq, 403, "%s无权执行此操作",
				     kp_web_role_label(rq->role));
			return false;
		}
		if (rq->route->change) {
			char h[KP_WEB_TOKEN_HEX];
			if (!rq->csrf) {
				kp_web_error(rq, 403, "缺少 X-CSRF-Token 请求头（登录时返回的 csrf）");
				return false;
			}
			kp_web_token_hash(rq->csrf, h);
			if (!kp_web_same(h, rq->session->csrf)) {
				kp_web_error(rq, 403, "X-CSRF-Token 与会话不符");
				return false;
			}
		}
	}
	return true;
}

/* The gate, then the handler. */
static void dispatch(kp_web_req *rq)
{
	if (!gate(rq))
		return;
	rq->status = 200;
	rq->route->fn(rq);
	if (!rq->out && !rq->file && !rq->blob && !rq->blob_gz)
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

/* A file the handler named (rq->file): its bytes, as an attachment. */
static struct MHD_Response *file_response(kp_web_req *rq)
{
	struct MHD_Response *resp;
	kp_buf cd = KP_BUF_INIT;
	resp = MHD_create_response_from_fd((uint64_t)rq->file_size, rq->file_fd);
	if (!resp)
		return NULL;
	rq->file_fd = -1;                       /* the response's now */
	MHD_add_response_header(resp, "Content-Type", rq->file_type);
	/* RFC 6266: the name percent-encoded as UTF-8 */
	kp_buf_adds(&cd, "attachment; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)rq->file_name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			kp_buf_addc(&cd, (char)*p);
		else
			kp_buf_addf(&cd, "%%%02X", *p);
	}
	MHD_add_response_header(resp, "Content-Disposition", cd.data);
	kp_buf_release(&cd);
	return resp;
}

static enum MHD_Result answer(struct MHD_Connection *c, kp_web_req *rq,
			      const struct pending *pd)
{
	char *text = NULL;
	struct MHD_Response *resp;
	enum MHD_Result r;
	char now[24];
	kp_buf path = KP_BUF_INIT;
	size_t n;
	if (rq->file && rq->status == 200 && !rq->out) {
		if (!(resp = file_response(rq)))
			return MHD_NO;
		goto headers;
	}
	if ((rq->blob || rq->blob_gz) && !rq->out && rq->status == 200 &&
	    etag_matches(c, rq->etag)) {
		/* the client has these very bytes */
		rq->status = MHD_HTTP_NOT_MODIFIED;
		resp = MHD_create_response_from_buffer(0, (void *)"",
						       MHD_RESPMEM_PERSISTENT);
		if (!resp)
			return MHD_NO;
		MHD_add_response_header(resp, "ETag", rq->etag);
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
		MHD_add_response_header(resp, "Cache-Control", "private, no-cache");
		goto headers_common;
	}
	if ((rq->blob || rq->blob_gz) && !rq->out) {
		bool gz = rq->blob_gz && accepts_gzip(c);
		kp_web_blob *b;
		/* kept gzipped only: inflated for this client */
		if (!gz && !rq->blob && !(rq->blob = kp_web_blob_gunzip(rq->blob_gz)))
			return MHD_NO;
		b = kp_web_blob_ref(gz ? rq->blob_gz : rq->blob);
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
			b->n, b->data, blob_free_cb, b);
		if (!resp) {
			kp_web_blob_unref(b);
			return MHD_NO;
		}
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
		if (gz)
			MHD_add_response_header(resp, "Content-Encoding", "gzip");
		if (rq->blob_gz)
			MHD_add_response_header(resp, "Vary", "Accept-Encoding");
		if (*rq->etag) {
			/* a browser asks again each time, naming what it has */
			MHD_add_response_header(resp, "ETag", rq->etag);
			MHD_add_response_header(resp, "Cache-Control", "private, no-cache");
			goto headers_common;
		}
		goto headers;
	}
	text = json_dumps(rq->out, KP_WEB_JSON_FLAGS);
	n = text ? strlen(text) : 0;
	if (!text)
		text = kp_xstrdup("");
	resp = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
headers:
	MHD_add_response_header(resp, "Cache-Control", "no-store");
headers_common:
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
	kp_web_blob_unref(rq->blob);
	kp_web_blob_unref(rq->blob_gz);
	free(rq->set_cookie[0]);
	free(rq->set_cookie[1]);
	if (rq->file && rq->file_fd >= 0)
		close(rq->file_fd);
	free(rq->file_name);
}

/* ---- uploads ------------------------------------------------------------------- */

/* A multipart field: the file part to the temporary file, the others
 * (unit, indicator, note) kept, each up to 1 KiB. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *filename,
			       const char *type, const char *enc,
			       const char *data, uint64_t off, size_t size)
{
	struct pending *pd = cls;
	kp_web_upload *up = &pd->up;
	(void)kind;
	(void)enc;
	if (pd->discard)
		return MHD_YES;
	if (filename) {
		if (strcmp(key, "file")) {
			up->bad = "文件应放在名为 file 的字段中";
			return MHD_YES;
		}
		if (off == 0 && !up->filename) {
			up->filename = kp_xstrdup(filename);
			up->content_type = kp_xstrdup(type ? type : "");
		} else if (off == 0) {
			up->bad = "一次只能上传一个文件";
			return MHD_YES;
		}
		if (pd->too_big || up->bad || !size)
			return MHD_YES;
		if (up->size + size > pd->up.max) {
			pd->too_big = true;
			return MHD_YES;
		}
		for (size_t done = 0; done < size;) {
			ssize_t k = write(pd->fd, data + done, size - done);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				up->bad = "写入上传的文件失败（磁盘已满？）";
				return MHD_YES;
			}
			done += (size_t)k;
		}
		crypto_hash_sha256_update(&pd->sha, (const unsigned char *)data, size);
		up->size += size;
		return MHD_YES;
	}
	for (size_t i = 0; i < KP_WEB_UPLOAD_FIELDS; i++) {
		if (up->field[i].name && strcmp(up->field[i].name, key))
			continue;
		if (!up->field[i].name)
			up->field[i].name = kp_xstrdup(key);
		if (up->field[i].value.len + size > 1024)
			up->bad = "表单字段超过 1 KiB";
		else
			kp_buf_add(&up->field[i].value, data, size);
		return MHD_YES;
	}
	up->bad = "表单字段过多";
	return MHD_YES;
}

/* Begin an upload: the temporary file in DATA/evidence, the multipart
 * parser.  false when either cannot be made (the request is answered as
 * a plain one: 400 or 500). */
static bool upload_begin(kp_web *w, struct MHD_Connection *c,
			 struct pending *pd)
{
	kp_buf tmp = KP_BUF_INIT;
	pd->up.max = w->evidence_max;
	kp_buf_addf(&tmp, "%s/evidence/.upload-XXXXXX", w->data);
	pd->fd = mkstemp(tmp.data);
	if (pd->fd < 0) {
		fprintf(stderr, "kaoping serve：无法在 %s/evidence 中建立临时文件\n", w->data);
		kp_buf_release(&tmp);
		return false;
	}
	pd->up.tmp = kp_buf_detach(&tmp);
	crypto_hash_sha256_init(&pd->sha);
	pd->pp = MHD_create_post_processor(c, 64 * 1024, on_part, pd);
	if (!pd->pp) {
		close(pd->fd);
		pd->fd = -1;
		unlink(pd->up.tmp);
		return false;
	}
	return true;
}

/* The upload has arrived: flush to disk, the hash as hex. */
static void upload_end(struct pending *pd)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	if (pd->pp) {
		MHD_destroy_post_processor(pd->pp);
		pd->pp = NULL;
	}
	if (pd->fd >= 0) {
		if (fsync(pd->fd) < 0 && !pd->up.bad)
			pd->up.bad = "写入上传的文件失败（fsync）";
		close(pd->fd);
		pd->fd = -1;
	}
	if (!pd->up.tmp)                        /* refused: nothing hashed */
		return;
	crypto_hash_sha256_final(&pd->sha, h);
	sodium_bin2hex(pd->up.sha256, sizeof(pd->up.sha256), h, sizeof(h));
}

static void upload_release(struct pending *pd)
{
	kp_web_upload *up = &pd->up;
	if (pd->pp)
		MHD_destroy_post_processor(pd->pp);
	if (pd->fd >= 0)
		close(pd->fd);
	if (up->tmp) {
		unlink(up->tmp);                /* not taken by the handler */
		free(up->tmp);
	}
	free(up->filename);
	free(up->content_type);
	for (size_t i = 0; i < KP_WEB_UPLOAD_FIELDS; i++) {
		free(up->field[i].name);
		kp_buf_release(&up->field[i].value);
	}
}

const char *kp_web_upload_field(const kp_web_upload *up, const char *name)
{
	for (size_t i = 0; i < KP_WEB_UPLOAD_FIELDS; i++)
		if (up->field[i].name && !strcmp(up->field[i].name, name))
			return up->field[i].value.data ? up->field[i].value.data : "";
	return NULL;
}

/* Is this the start of an upload the server should stream?  A POST whose
 * Content-Type is multipart/form-data to an upload route. */
static bool is_upload(const kp_web *w, struct MHD_Connection *c,
		      const char *method, const char *url)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Content-Type");
	kp_web_params p;
	int status, i;
	if (strcmp(method, "POST") || !ct ||
	    strncasecmp(ct, "multipart/form-data", strlen("multipart/form-data")))
		return false;
	i = kp_web_route_find(w->routes, method, url, &p, &status, NULL);
	if (i < 0)
		return false;
	kp_web_params_release(&p);
	return w->routes[i].change == KP_WEB_UPLOAD;
}

static void req_init(kp_web_req *rq, kp_web *w, struct MHD_Connection *c,
		     const char *method, const char *url)
{
	kp_err e;
	memset(rq, 0, sizeof(*rq));
	rq->w = w;
	rq->db = kp_web_db(w, &e);
	if (!rq->db)
		fprintf(stderr, "kaoping serve：%s\n", e.msg);
	rq->method = method;
	rq->path = url;
	rq->file_fd = -1;
	client_addr(c, rq->addr, sizeof(rq->addr));
	rq->cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "kp_session");
	rq->cookie_voter = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "kp_voter");
	rq->csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
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
		unsigned long long cl = len ? strtoull(len, NULL, 10) : 0;
		pd = kp_xcalloc(1, sizeof(*pd));
		pd->fd = -1;
		kp_buf_init(&pd->body, w->body_max);
		clock_gettime(CLOCK_MONOTONIC, &pd->t0);
		*con_cls = pd;
		if (is_upload(w, c, method, url)) {
			/* a refused upload is read and dropped, never written */
			req_init(&rq, w, c, method, url);
			pd->upload = true;
			if (!gate(&rq))
				pd->discard = true;
			req_release(&rq);
			/* the multipart framing around the file: 64 KiB */
			if (cl > w->evidence_max + 65536)
				pd->too_big = pd->discard = true;
			if (!pd->discard && !upload_begin(w, c, pd))
				pd->discard = true;
			return MHD_YES;
		}
		if (cl > w->body_max)
			pd->too_big = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (pd->upload) {
			if (pd->pp && !pd->discard &&
			    MHD_post_process(pd->pp, upload, *upload_size) != MHD_YES &&
			    !pd->up.bad)
				pd->up.bad = "无法解析 multipart/form-data 正文";
		} else if (!pd->too_big && kp_buf_add(&pd->body, upload, *upload_size) < 0) {
			pd->too_big = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (strncmp(url, "/api/", 5) && strcmp(url, "/api")) {  /* the UI's files */
		char addr[64];
		client_addr(c, addr, sizeof(addr));
		return (enum MHD_Result)kp_web_asset_answer(c, method, url,
							    addr, &pd->t0);
	}
	req_init(&rq, w, c, method, url);
	rq.body = pd->body.data ? pd->body.data : "";
	rq.nbody = pd->body.len;
	if (pd->upload) {
		upload_end(pd);
		rq.upload = &pd->up;
		if (!gate(&rq))
			;                       /* answered: 401, 403, 404 … */
		else if (pd->too_big)
			kp_web_error(&rq, 413, "附件超过上限 %.1f MB（%zu 字节），请压缩或拆分后再上传",
				     (double)w->evidence_max / (1024.0 * 1024.0),
				     w->evidence_max);
		else if (pd->discard)
			kp_web_error(&rq, 500, "%s", "无法保存上传的文件（服务器的数据目录不可写）");
		else {
			rq.status = 200;
			rq.route->fn(&rq);
			if (!rq.out && !rq.file)
				kp_web_error(&rq, 500, "内部错误：接口没有给出应答");
		}
	} else if (pd->too_big) {
		kp_web_error(&rq, 413, "请求正文超过 %zu 字节", w->body_max);
	} else {
		dispatch(&rq);
	}
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
		upload_release(pd);
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

static unsigned cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* DIR and DIR/evidence, made when missing. */
static int data_dir(const char *dir, kp_err *e)
{
	kp_buf p = KP_BUF_INIT;
	int r = 0;
	kp_buf_adds(&p, dir);
	if (mkdir(p.data, 0750) < 0 && errno != EEXIST)
		r = kp_fail(e, KP_EIO, "无法建立数据目录 %s：%s", dir, strerror(errno));
	kp_buf_adds(&p, "/evidence");
	if (!r && mkdir(p.data, 0750) < 0 && errno != EEXIST)
		r = kp_fail(e, KP_EIO, "无法建立目录 %s：%s", p.data, strerror(errno));
	kp_buf_release(&p);
	return r;
}

void kp_web_serve_free(kp_web *w)
{
	for (size_t i = 0; i < KP_WEB_RANK_CACHE; i++) {
		free(w->ranks[i].key);
		kp_web_blob_unref(w->ranks[i].blob);
		kp_web_blob_unref(w->ranks[i].gz);
	}
	pthread_key_delete(w->dbkey);
	pthread_mutex_destroy(&w->lock);
	sodium_memzero(w->secret, sizeof(w->secret));
	free(w->conn);
	free(w->data);
	free(w);
}

int kp_web_serve_start(const kp_web_config *c, const kp_web_route *routes,
		       kp_web **out, kp_err *e)
{
	struct sockaddr_storage sa;
	kp_store *db;
	kp_web *w;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	const union MHD_DaemonInfo *di;
	*out = NULL;
	if (parse_listen(c->listen, &sa, e) < 0)
		return -1;
	if (sodium_init() < 0)
		return kp_fail(e, KP_EINTERNAL, "libsodium 无法初始化");
	/* the store must be there (and up to date) before anyone asks */
	if (kp_store_open(c->conn, 0, &db, e) < 0)
		return -1;
	kp_store_close(db);
	if (data_dir(c->data, e) < 0)
		return -1;
	w = kp_xcalloc(1, sizeof(*w));
	w->routes = routes;
	w->conn = kp_xstrdup(c->conn);
	w->data = kp_xstrdup(c->data);
	w->body_max = c->body_max;
	w->evidence_max = c->evidence_max;
	w->session_s = c->session_s;
	w->threads = c->threads ? c->threads : cores();
	randombytes_buf(w->secret, sizeof(w->secret));
	pthread_mutex_init(&w->lock, NULL);
	pthread_key_create(&w->dbkey, db_close);
	if (sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	w->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
				MHD_OPTION_THREAD_POOL_SIZE, w->threads,
				MHD_OPTION_END);
	if (!w->d) {
		kp_web_serve_free(w);
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

void kp_web_serve_halt(kp_web *w)
{
	/* joins the pool's threads: the requests in flight finish, and each
	 * thread's store handle closes as its thread ends */
	MHD_stop_daemon(w->d);
	w->d = NULL;
}
