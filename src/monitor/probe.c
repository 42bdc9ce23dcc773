/* monitor — a homepage probe's transfer (set up and read here, run by
 * kp_monitor_probe alone or by work.c among many at once), a webhook
 * POST and an e-mail, one libcurl easy transfer each. */
#include "monitor/monitor_int.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROBE_BODY_MAX KP_PROBE_BODY_MAX

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
	kp_buf body;
	char cerr[CURL_ERROR_SIZE] = "";
	int64_t t0 = mono_ms();
	CURLcode rc = CURLE_FAILED_INIT;
	kp_buf_init(&body, PROBE_BODY_MAX);
	if (h) {
		kp_monitor_probe_setup(h, url, timeout_ms, &body, cerr);
		rc = curl_easy_perform(h);
	}
	kp_monitor_probe_result(h, rc, &body, cerr, mono_ms() - t0, p, err,
				errsz, hash);
	kp_buf_release(&body);
	if (h)
		curl_easy_cleanup(h);
}

void kp_monitor_probe_setup(void *handle, const char *url, long timeout_ms,
			    kp_buf *body, char *cerr)
{
	CURL *h = handle;
	curl_easy_reset(h);   /* keeps the connections for the next probe */
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "kaoping-monitor/0.1");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	cerr[0] = '\0';
}

void kp_monitor_probe_result(void *handle, int rc, const kp_buf *body,
			     const char *cerr, int64_t latency_ms, kp_probe *p,
			     char *err, size_t errsz, char *hash)
{
	long status = 0;
	err[0] = '\0';
	hash[0] = '\0';
	p->ok = false;
	p->latency_ms = latency_ms;
	if (handle)
		curl_easy_getinfo((CURL *)handle, CURLINFO_RESPONSE_CODE, &status);
	p->status = status;
	if (!handle)
		snprintf(err, errsz, "无法启动 libcurl");
	else if (rc != CURLE_OK)
		snprintf(err, errsz, "%s",
			 *cerr ? cerr : curl_easy_strerror((CURLcode)rc));
	else if (status < 200 || status >= 400)
		snprintf(err, errsz, "HTTP %ld", status);
	else {
		p->ok = true;
		kp_store_hash(body->data ? body->data : "", body->len, hash);
	}
}

int kp_monitor_host_key(const char *url, char *buf, size_t n)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int r = -1;
	if (u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) &&
	    !curl_url_get(u, CURLUPART_HOST, &host, 0) &&
	    !curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)) {
		for (char *c = host; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		r = snprintf(buf, n, "%s://%s:%s", scheme, host, port) < (int)n
			    ? 0 : -1;
	}
	if (r < 0 && n)
		buf[0] = '\0';
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return r;
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
