/* monitor — a homepage probe and a webhook POST, one libcurl easy
 * transfer each (probes are few per site and seconds apart; a worker's
 * throughput comes from running several workers). */
#include "monitor/monitor_int.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROBE_BODY_MAX (4u << 20)

static size_t body_write(char *p, size_t size, size_t n, void *ctx)
{
	kp_buf *b = ctx;
	if (kp_buf_add(b, p, size * n) < 0)
		return 0;   /* past the cap: the transfer fails */
	return size * n;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kp_monitor_probe(const char *url, long timeout_ms, kp_probe *p,
		      char *err, size_t errsz, char *hash)
{
	CURL *h = curl_easy_init();
	kp_monitor_probe_on(h, url, timeout_ms, NULL, NULL, p, err, errsz, hash);
	if (h)
		curl_easy_cleanup(h);
}

struct tick {
	kp_monitor_tick_fn fn;
	void *ctx;
	bool stopped;
};

/* libcurl's progress callback: often while data flows, about once a
 * second while it waits — the caller's tick, which may stop the
 * transfer. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct tick *t = ctx;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (t->fn(t->ctx) < 0) {
		t->stopped = true;
		return 1;
	}
	return 0;
}

void kp_monitor_probe_on(void *handle, const char *url, long timeout_ms,
			 kp_monitor_tick_fn tick, void *tick_ctx, kp_probe *p,
			 char *err, size_t errsz, char *hash)
{
	struct tick tk = { tick, tick_ctx, false };
	CURL *h = handle;
	kp_buf body;
	char cerr[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	long status = 0;
	int64_t t0 = mono_ms();
	kp_buf_init(&body, PROBE_BODY_MAX);
	err[0] = '\0';
	hash[0] = '\0';
	p->status = 0;
	p->ok = false;
	if (!h) {
		snprintf(err, errsz, "无法启动 libcurl");
		p->latency_ms = 0;
		return;
	}
	curl_easy_reset(h);   /* keeps the connections for the next probe */
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "kaoping-monitor/0.1");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (tick) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, &tk);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	rc = curl_easy_perform(h);
	p->latency_ms = mono_ms() - t0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	p->status = status;
	if (tk.stopped) {
		snprintf(err, errsz, "探测中止：任务已不归本工作者");
	} else if (rc != CURLE_OK) {
		snprintf(err, errsz, "%s", *cerr ? cerr : curl_easy_strerror(rc));
	} else if (status < 200 || status >= 400) {
		snprintf(err, errsz, "HTTP %ld", status);
	} else {
		p->ok = true;
		kp_store_hash(body.data ? body.data : "", body.len, hash);
	}
	kp_buf_release(&body);
}

int kp_monitor_post(const char *url, const char *body, long timeout_ms,
		    kp_err *e)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	kp_buf sink;
	char cerr[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	long status = 0;
	int r = 0;
	if (!h)
		return kp_fail(e, KP_EIO, "通知 %s：无法启动 libcurl", url);
	kp_buf_init(&sink, 64 << 10);
	hd = curl_slist_append(hd, "Content-Type: application/json; charset=utf-8");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "kaoping-monitor/0.1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK)
		r = kp_fail(e, KP_EIO, "通知 %s 未送达：%s", url,
			    *cerr ? cerr : curl_easy_strerror(rc));
	else if (status < 200 || status >= 300)
		r = kp_fail(e, KP_EIO, "通知 %s 未送达：对方答 HTTP %ld", url,
			    status);
	kp_buf_release(&sink);
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	return r;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t upload_read(char *buf, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

int kp_monitor_mail(const kp_monitor_conf *c, const char *message,
		    kp_err *e)
{
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct upload up = { message, strlen(message) };
	char cerr[CURL_ERROR_SIZE] = "", *to = kp_xstrdup(c->mail_to), *save,
	     *a;
	CURLcode rc;
	int r = 0;
	if (!h) {
		free(to);
		return kp_fail(e, KP_EIO, "邮件 %s：无法启动 libcurl", c->smtp);
	}
	for (a = strtok_r(to, ", ", &save); a; a = strtok_r(NULL, ", ", &save))
		rcpt = curl_slist_append(rcpt, a);
	curl_easy_setopt(h, CURLOPT_URL, c->smtp);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->mail_from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_USE_SSL, c->smtp_tls ? (long)CURLUSESSL_ALL
							 : (long)CURLUSESSL_TRY);
	if (c->smtp_user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD,
				 c->smtp_password ? c->smtp_password : "");
	}
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		r = kp_fail(e, KP_EIO, "邮件经 %s 未送出：%s", c->smtp,
			    *cerr ? cerr : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	free(to);
	return r;
}

void *kp_monitor_handle_new(void)
{
	return curl_easy_init();
}

void kp_monitor_handle_free(void *h)
{
	if (h)
		curl_easy_cleanup(h);
}
