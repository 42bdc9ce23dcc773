/*
 * inspect/crawl.c — the fetch loop.
 *
 * The shape of curl's own tool_operate.c parallel mode: keep at most
 * o->parallel transfers in flight (and o->per_host per host, started no
 * closer than o->delay_ms), curl_multi_poll, curl_multi_perform, drain
 * curl_multi_info_read and map each finished easy handle back to its URL
 * with CURLINFO_PRIVATE.  A failed transfer that may succeed later is put
 * on the retry list with a due time; nothing sleeps.
 *
 * Parsing a page (charset, tokenizer, extraction, resolving its links) is
 * handed to parser threads: the loop gives them a finished body and keeps
 * fetching (and, rather than sleep while no socket is ready, parses a
 * waiting page itself); a parser hands back what the page links to, and
 * the loop, the only owner of the URL table, records it (crawl_workers.c).
 * Bodies waiting for a parser count against the transfers in flight, so
 * memory stays bounded when parsing falls behind.
 *
 * Every URL seen gets one kp_inspect_url (crawl_urls.c).  In-scope pages are
 * fetched with GET and parsed; everything else in scope (images,
 * attachments, scripts, styles) is checked with HEAD, then GET when the
 * server refuses HEAD.  Each host has its own queues, its robots.txt rules
 * and its politeness clock (crawl_scope.c).
 *
 * Nothing here changes a process-wide setting: the CLI calls
 * kp_inspect_process_init once (inspect.h).
 */
#define _GNU_SOURCE /* strcasestr */
#include "inspect/crawl_int.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <ctype.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- transfers ------------------------------------------------------- */

static size_t on_write(char *p, size_t size, size_t n, void *ud)
{
	xfer *x = ud;
	size_t len = size * n;
	if (!x->body.len && !x->robots) {
		char *ct = NULL;
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
		if (x->may_attach && !x->attach && kp_inspect_attach_kind(NULL, ct))
			x->attach = true;   /* a page link that is a document */
		if (!x->attach && ct && !strcasestr(ct, "html") && !strcasestr(ct, "xml") &&
		    !strcasestr(ct, "text/plain")) {
			x->over = false;
			return 0; /* not a page: stop, it exists */
		}
		/* the whole body at once when its size is announced, instead
		 * of doubling from 64 bytes (nine copies of a 20 KB page) */
		curl_off_t cl = -1;
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
		if (cl > (curl_off_t)len && (uint64_t)cl < x->body.max)
			kp_buf_reserve(&x->body, (size_t)cl);
	}
	if (kp_buf_add(&x->body, p, len) < 0) {
		x->over = true;
		return 0;
	}
	return len;
}

/* Whether the environment names a proxy; libcurl looks (four getenv
 * calls) at every transfer unless CURLOPT_PROXY is set. */
static bool proxy_in_env(void)
{
	static const char *const vars[] = {
		"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY", NULL
	};
	for (size_t i = 0; vars[i]; i++)
		if (getenv(vars[i]))
			return true;
	return false;
}

/* The options every transfer shares, set once on a new easy handle:
 * a finished handle keeps them when it goes back to the pool (no
 * curl_easy_reset, which clears and sets some thirty of them again for
 * each of 40,000 transfers). */
static void easy_defaults(const kp_inspect_opts *o, CURL *e, bool env_proxy,
			  const struct curl_slist *resolve, bool guard)
{
	/* every connection's address checked (crawl_guard.c); the data,
	 * the transfer, is set by start() */
	if (guard)
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, kp_inspect_guard_open);
	if (resolve)
		curl_easy_setopt(e, CURLOPT_RESOLVE, resolve);
	/* no proxy in the environment: say so once, instead of libcurl
	 * asking it again for each transfer */
	if (!env_proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)o->max_redirs);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	/* HTTP/2 wherever the server offers it: by ALPN over TLS, or from
	 * the first byte on plain HTTP when told (h2c, prior knowledge) */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
			 o->h2c ? (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
				: (long)CURL_HTTP_VERSION_2TLS);
	/* libcurl before 8.0 breaks a prior-knowledge connection it reuses
	 * ("error in the HTTP2 framing layer", curl PR 10643): there, each
	 * h2c transfer has a connection of its own */
	if (o->h2c && curl_version_info(CURLVERSION_NOW)->version_num < 0x080000) {
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	/* a page in one read: with the default 16 KB, most pages take two
	 * reads and two write callbacks (curl's own tool uses 100 KB) */
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 100 * 1024L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 o->timeout_ms < 10000 ? o->timeout_ms : 10000L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* certificates are verified: a broken one is a finding (SSL 连接失败),
	 * not something to step around */
	curl_easy_setopt(e, CURLOPT_AUTOREFERER, 1L);
}

/* h's robots.txt, in buf (n bytes), with the homepage's scheme. */
static const char *robots_url(const loop *l, const host *h, char *buf, size_t n)
{
	snprintf(buf, n, "%s//%s/robots.txt",
		 strncmp(l->c->urls[l->c->home].url, "https:", 6) ? "http:" : "https:",
		 h->name);
	return buf;
}

/* The caller's shared politeness (o->host_take, set): whether the
 * request for url to h may start at t; when not, h waits as told. */
static bool host_taken(loop *l, host *h, const char *url, double t)
{
	int64_t wait = 0;
	if (l->o->host_take(l->o->host_ctx, url, &wait) < 0 || wait <= 0)
		return true;
	h->next_ok = t + (double)wait / 1000.0;
	return false;
}

static void start(loop *l, host *h, uint32_t id, bool robots)
{
	const kp_inspect_opts *o = l->o;
	kp_inspect_url *u = robots ? NULL : &l->c->urls[id];
	xfer *x = kp_xcalloc(1, sizeof(*x));
	char rurl[300];
	x->id = id;
	x->h = h;
	x->robots = robots;
	/* handles are reused: their buffers, connections' state and shared
	 * options stay */
	if (l->npool) {
		x->easy = l->pool[--l->npool];
	} else if ((x->easy = curl_easy_init())) {
		easy_defaults(o, x->easy, l->env_proxy, l->resolve, l->guard.on);
	} else {
		free(x);
		return;
	}
	x->attach = u && u->attach;
	x->may_attach = u && !u->nobody && u->in_scope && o->attach_max;
	size_t cap = robots ? 512 * 1024 : x->attach ? o->attach_max : o->max_body;
	kp_buf_init(&x->body, cap);
	curl_easy_setopt(x->easy, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)(x->attach ? o->attach_max : o->max_body));
	if (robots) {
		curl_easy_setopt(x->easy, CURLOPT_URL, robots_url(l, h, rurl,
								  sizeof(rurl)));
	} else {
		curl_easy_setopt(x->easy, CURLOPT_URL, u->url);
		u->state = U_RUNNING;
		u->tries++;
		if (u->tries == 1 && u->kind == KP_INSPECT_LINK_PAGE)
			l->c->pages_fetched++;   /* a retry is the same page */
		else if (u->tries == 1)
			l->c->checks_started++;
	}
	/* what a handle's last transfer set: HEAD or GET, where to write,
	 * conditional or not */
	curl_easy_setopt(x->easy, CURLOPT_NOBODY, u && u->nobody ? 1L : 0L);
	x->hdrs = u ? kp_inspect_cache_headers(l, u) : NULL;
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	x->guard = &l->guard;
	curl_easy_setopt(x->easy, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_multi_add_handle(l->multi, x->easy);
	h->inflight++;
	h->next_ok = now() + (double)h->delay_ms / 1000.0;
	l->inflight++;
}

static const char *curl_reason(CURLcode rc, bool *timeout)
{
	*timeout = false;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		*timeout = true;
		return "超时";
	case CURLE_TOO_MANY_REDIRECTS:
		return "重定向次数过多（循环重定向）";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "域名无法解析";
	case CURLE_COULDNT_CONNECT:
		return "无法连接";
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_WRITE_ERROR:
		return "内容超过大小上限，已拒收";
	case CURLE_BAD_CONTENT_ENCODING:
		return "压缩内容无法解码";
	case CURLE_SSL_CONNECT_ERROR:
		return "SSL 连接失败";
	case CURLE_PEER_FAILED_VERIFICATION:
		return "SSL 证书无效";
	case CURLE_GOT_NOTHING:
		return "服务器没有返回任何内容";
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return "连接中断";
	default:
		return "访问失败";
	}
}

static void schedule_retry(loop *l, uint32_t id)
{
	kp_inspect_url *u = &l->c->urls[id];
	if (l->nretries == l->capretries) {
		l->capretries = l->capretries ? l->capretries * 2 : 16;
		l->retries = kp_xrealloc(l->retries,
					 l->capretries * sizeof(*l->retries));
	}
	l->retries[l->nretries++] = (retry){ id, now() + 0.25 * (1 << u->tries) };
	u->state = U_QUEUED;
}

/* A transfer that failed (rc, not a page stopped for not being HTML):
 * retried when it may succeed later, else u's error. */
static void finish_failed(loop *l, xfer *x, kp_inspect_url *u, CURLcode rc)
{
	kp_inspect_crawl *c = l->c;
	bool timeout;
	const char *why = curl_reason(rc, &timeout);
	bool big = x->over || rc == CURLE_FILESIZE_EXCEEDED;
	if (big && u->kind != KP_INSPECT_LINK_PAGE) {
		/* a resource over the cap exists: not a dead link */
		u->state = U_DONE;
		return;
	}
	bool transient = !big && rc != CURLE_TOO_MANY_REDIRECTS &&
			 rc != CURLE_COULDNT_RESOLVE_HOST &&
			 rc != CURLE_BAD_CONTENT_ENCODING;
	if (transient && u->tries <= l->o->retries) {
		schedule_retry(l, x->id);
		return;
	}
	u->timeout = timeout;
	u->refused_big = big;
	if (big)
		c->refused_big++;
	free(u->error);
	u->error = kp_xstrdup(why);
	u->state = U_DONE;
	c->errors++;
}

/* The guard refused u's connection to addr: said, never retried. */
static void refuse(loop *l, kp_inspect_url *u, const char *addr)
{
	kp_buf b = KP_BUF_INIT;
	kp_buf_addf(&b, "%s指向内网或本机地址 %s（不是本网站的地址），已拒绝访问；"
		    "本单位内网网站互相链接时可用 --allow-private",
		    u->final_url ? "重定向后" : "", addr);
	free(u->refused);
	u->refused = kp_buf_detach(&b);
	free(u->error);
	u->error = kp_xstrdup("指向内网或本机地址，已拒绝访问");
	u->state = U_DONE;
	l->c->errors++;
}

/* May hn, where the homepage u was redirected, become the site's host?
 * Under the named host's registrable domain, or on the named host's own
 * address and port; else u->refused says why not. */
static bool home_host_ok(loop *l, CURL *easy, const char *hn, kp_inspect_url *u)
{
	char *ip = NULL;
	long port = 0;
	kp_buf b = KP_BUF_INIT;
	if (kp_inspect_same_registrable(l->c->site.hosts[0], hn))
		return true;
	curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(easy, CURLINFO_PRIMARY_PORT, &port);
	if (kp_inspect_guard_own_ip(&l->guard, ip, port))
		return true;
	kp_buf_addf(&b, "首页重定向到本网站域名之外的主机 %s，不作为本网站抓取", hn);
	free(u->refused);
	u->refused = kp_buf_detach(&b);
	return false;
}

/* Page x->id came with a 2xx body: parsed unless it was redirected off
 * the site or is another address of a page already fetched. */
static void finish_page(loop *l, xfer *x, kp_inspect_url *u, const char *ctype)
{
	kp_inspect_crawl *c = l->c;
	char hn[256];
	/* the homepage moved to another host (x.gov.cn → www.x.gov.cn):
	 * that host is the site too, when it is under the same registrable
	 * domain or on the very address the named host is */
	if (x->id == c->home && u->final_url &&
	    kp_inspect_url_host(u->final_url, hn, sizeof(hn)) &&
	    !kp_inspect_scope_has(c, hn) && home_host_ok(l, x->easy, hn, u)) {
		host *nh = kp_inspect_host_of(l, hn);
		if (!nh)
			nh = kp_inspect_host_add(l, hn);
		nh->robots = 0;   /* ask its robots.txt like any site host */
		c->site.hosts = kp_xrealloc(c->site.hosts,
					    (c->site.nhosts + 1) * sizeof(char *));
		c->site.hosts[c->site.nhosts++] = kp_xstrdup(hn);
	}
	/* redirected off the site: not ours to parse; the same page
	 * under its directory's other name: parsed once */
	if ((!u->final_url ||
	     (kp_inspect_url_host(u->final_url, hn, sizeof(hn)) &&
	      kp_inspect_scope_has(c, hn))) &&
	    !kp_inspect_urls_same_page(c, x->id, &x->body))
		kp_inspect_parse_dispatch(l, x->id, x, ctype);
}

/* What a finished transfer tells of URL x->id. */
static void finish_url(loop *l, xfer *x, CURL *easy, CURLcode rc)
{
	kp_inspect_crawl *c = l->c;
	kp_inspect_url *u = &c->urls[x->id];
	long code = 0, redirs = 0, hv = 0;
	double secs = 0;
	char *eff = NULL, *ctype = NULL;
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &redirs);
	curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME, &secs);
	curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &eff);
	curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &hv);
	/* not modified since the cached copy: that copy is the page */
	if (code == 304 && x->hdrs && rc == CURLE_OK &&
	    kp_inspect_cache_reuse(l, x, u, &ctype))
		code = 200;
	u->http_version = hv == CURL_HTTP_VERSION_1_0 ? 10
			  : hv == CURL_HTTP_VERSION_1_1 ? 11
			  : hv == CURL_HTTP_VERSION_2_0 ? 20
			  : hv == CURL_HTTP_VERSION_3 ? 30 : 0;
	u->status = (int16_t)(code > 0 && code < 1000 ? code : 0);
	u->redirects = (uint8_t)(redirs < 255 ? redirs : 255);
	u->secs = (float)secs;
	u->size = (uint32_t)x->body.len;
	if (eff && strcmp(eff, u->url)) {
		free(u->final_url);
		u->final_url = kp_xstrdup(eff);
	}
	if (rc != CURLE_OK && x->refused[0]) {
		refuse(l, u, x->refused);
		return;
	}
	bool stopped_not_html = rc == CURLE_WRITE_ERROR && !x->over;
	if (rc != CURLE_OK && !stopped_not_html) {
		finish_failed(l, x, u, rc);
		return;
	}
	if ((code >= 500 || code == 429) && u->tries <= l->o->retries) {
		schedule_retry(l, x->id);
		return;
	}
	if (u->nobody && (code == 405 || code == 501 || code == 403)) {
		u->nobody = false; /* HEAD refused: ask with GET */
		u->tries = 0;
		kp_inspect_fifo_push(&x->h->res, x->id);
		u->state = U_QUEUED;
		return;
	}
	u->state = U_DONE;
	if (code >= 400)
		c->errors++;
	if (stopped_not_html) {
		u->not_html = true;
		return;
	}
	if (x->attach) {
		/* a document: its text for the content checks */
		u->not_html = u->kind == KP_INSPECT_LINK_PAGE;
		if (code >= 200 && code < 300)
			kp_inspect_parse_dispatch(l, x->id, x, ctype);
		return;
	}
	if (code >= 200 && code < 300 && u->kind == KP_INSPECT_LINK_PAGE &&
	    !u->nobody) {
		if (!x->cached_ctype)
			kp_inspect_cache_put(l, x, u, ctype);
		finish_page(l, x, u, ctype);
	}
}

/* A finished easy handle goes back to the pool (or is closed). */
static void recycle(loop *l, CURL *easy)
{
	long redirs = 0;
	curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &redirs);
	curl_multi_remove_handle(l->multi, easy);
	if (l->npool >= POOL) {
		curl_easy_cleanup(easy);
		return;
	}
	/* a redirect leaves state behind (the Referer it set): such a
	 * handle starts over; its xfer goes, so nothing may point into it */
	if (redirs) {
		curl_easy_reset(easy);
		easy_defaults(l->o, easy, l->env_proxy, l->resolve, l->guard.on);
	}
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, NULL);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
	l->pool[l->npool++] = easy;
}

static void finish(loop *l, CURLMsg *m)
{
	xfer *x = NULL;
	long code = 0;
	CURLcode rc = m->data.result;
	curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
	x->h->inflight--;
	l->inflight--;
	if (x->robots) {
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		x->h->robots = 2;
		if (rc == CURLE_OK && code == 200 && x->body.data &&
		    !l->o->ignore_robots && !l->c->site.ignore_robots)
			kp_inspect_robots_parse(x->h, x->body.data);
	} else {
		finish_url(l, x, m->easy_handle, rc);
	}
	recycle(l, m->easy_handle);
	curl_slist_free_all(x->hdrs);
	free(x->cached_ctype);
	kp_buf_release(&x->body);
	free(x);
}

/* Due retries go back to their host's queue, at the front of work. */
static void retries_due(loop *l, double t)
{
	kp_inspect_crawl *c = l->c;
	for (size_t i = 0; i < l->nretries;) {
		if (l->retries[i].due <= t) {
			kp_inspect_url *u = &c->urls[l->retries[i].id];
			char hn[256];
			kp_inspect_url_host(u->url, hn, sizeof(hn));
			host *h = kp_inspect_host_of(l, hn);
			if (h)
				kp_inspect_fifo_push(u->kind == KP_INSPECT_LINK_PAGE && !u->nobody
						  ? &h->pages : &h->res,
					  l->retries[i].id);
			l->retries[i] = l->retries[--l->nretries];
		} else {
			i++;
		}
	}
}

/* The time limit passed: what waits is left (the transfers in flight
 * finish, and what their pages link to is left in turn). */
static void time_up(loop *l)
{
	kp_inspect_crawl *c = l->c;
	c->time_up = true;
	for (size_t i = 0; i < l->nretries; i++)
		kp_inspect_fifo_push(&l->hosts[0]->res, l->retries[i].id);
	l->nretries = 0;
	for (size_t i = 0; i < l->nhosts; i++) {
		host *h = l->hosts[i];
		while (h->pages.n || h->res.n) {
			uint32_t id = kp_inspect_fifo_pop(h->pages.n ? &h->pages : &h->res);
			if (c->urls[id].state == U_QUEUED) {
				c->urls[id].state = U_SKIPPED;
				c->urls[id].skip = SKIP_TIME;
			}
		}
	}
}

/* Whether URL id, just taken from h's queue q, may start now; when a
 * limit says no, it is skipped and the reason kept. */
static bool may_start(loop *l, host *h, fifo *q, uint32_t id)
{
	const kp_inspect_opts *o = l->o;
	kp_inspect_crawl *c = l->c;
	kp_inspect_url *u = &c->urls[id];
	int skip = SKIP_NONE;
	if (u->state != U_QUEUED)
		return false;
	if (!kp_inspect_robots_allows(h, u->url) && id != c->home) {
		skip = SKIP_ROBOTS;
		c->robots_skipped++;
	} else if (q == &h->pages && !u->tries && c->pages_fetched >= o->max_pages) {
		skip = SKIP_PAGES;
	} else if (q == &h->res && !u->tries &&
		   c->checks_started >= o->max_checks) {
		skip = SKIP_CHECKS;
	}
	if (skip == SKIP_NONE)
		return true;
	u->state = U_SKIPPED;
	u->skip = (uint8_t)skip;
	return false;
}

/* Start what the limits allow; returns the number started. */
static int fill(loop *l)
{
	const kp_inspect_opts *o = l->o;
	kp_inspect_crawl *c = l->c;
	int started = 0;
	double t = now();
	retries_due(l, t);
	if ((o->max_seconds > 0 && t - l->t0 >= (double)o->max_seconds) ||
	    (o->stop && atomic_load(o->stop)))
		time_up(l);
	/* pages waiting for a parser hold memory: past a backlog of
	 * 2 × parallel, nothing new starts until the parsers catch up */
	if (l->parsing >= 2 * o->parallel)
		return 0;
	for (size_t i = 0; i < l->nhosts && l->inflight < o->parallel; i++) {
		host *h = l->hosts[i];
		char rurl[300];
		if (h->robots == 0) {
			if (o->ignore_robots || c->site.ignore_robots || c->time_up) {
				h->robots = 2;
			} else if (t < h->next_ok ||
				   (o->host_take &&
				    !host_taken(l, h, robots_url(l, h, rurl, sizeof(rurl)), t))) {
				continue;   /* its host waits: asked again */
			} else {
				h->robots = 1;
				start(l, h, 0, true);
				started++;
				continue;
			}
		}
		if (h->robots != 2)
			continue;
		while (l->inflight < o->parallel && h->inflight < o->per_host &&
		       t >= h->next_ok && (h->pages.n || h->res.n)) {
			fifo *q = h->pages.n ? &h->pages : &h->res;
			uint32_t id = kp_inspect_fifo_pop(q);
			if (!may_start(l, h, q, id))
				continue;
			if (o->host_take && !host_taken(l, h, c->urls[id].url, t)) {
				q->head--;   /* back at the front, as popped */
				q->n++;
				break;
			}
			start(l, h, id, false);
			started++;
			t = now();
		}
	}
	return started;
}

static bool work_left(loop *l)
{
	if (l->inflight || l->nretries || l->parsing)
		return true;
	for (size_t i = 0; i < l->nhosts; i++)
		if (l->hosts[i]->pages.n || l->hosts[i]->res.n ||
		    l->hosts[i]->robots != 2)
			return true;
	return false;
}

static void progress(loop *l)
{
	kp_inspect_progress p;
	size_t queued = 0;
	if (!l->o->progress)
		return;
	for (size_t i = 0; i < l->nhosts; i++)
		queued += l->hosts[i]->pages.n + l->hosts[i]->res.n;
	p.fetched = l->c->pages_fetched + l->c->checks_started;
	p.queued = queued + l->nretries;
	p.errors = l->c->errors;
	p.inflight = (size_t)l->inflight;
	p.elapsed = now() - l->t0;
	l->o->progress(&p, l->o->progress_ctx);
}

/* The loop's hosts (the homepage's first, then the configured ones, all
 * in scope) and its multi handle. */
static int loop_open(loop *l, kp_inspect_crawl *c, const char *hn, kp_err *e)
{
	memset(l, 0, sizeof(*l));
	l->c = c;
	l->env_proxy = proxy_in_env();
	l->resolve = kp_inspect_test_resolve();
	l->o = c->o;
	l->t0 = now();
	c->site.hosts = kp_xrealloc(c->site.hosts,
				    (c->site.nhosts + 1) * sizeof(char *));
	memmove(c->site.hosts + 1, c->site.hosts,
		c->site.nhosts * sizeof(char *));
	c->site.hosts[0] = kp_xstrdup(hn);
	c->site.nhosts++;
	for (size_t i = 0; i < c->site.nhosts; i++)
		kp_inspect_host_add(l, c->site.hosts[i]);
	l->multi = curl_multi_init();
	if (!l->multi)
		return kp_fail(e, KP_EINTERNAL, "libcurl 初始化失败");
	curl_multi_setopt(l->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)c->o->per_host);
	curl_multi_setopt(l->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  (long)c->o->parallel);
	/* keep every idle connection: by default the cache holds 4 × the
	 * handles added at the moment, and closes the rest whenever the
	 * transfers in flight dip */
	curl_multi_setopt(l->multi, CURLMOPT_MAXCONNECTS, (long)c->o->parallel);
	curl_multi_setopt(l->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	return 0;
}

/* The first URLs: the homepage (id 0) and the configured columns, which
 * are crawled even when nothing links them. */
static void loop_seed(loop *l, const char *home)
{
	kp_inspect_crawl *c = l->c;
	kp_inspect_see(l, UINT32_MAX, home, strlen(home), KP_INSPECT_LINK_PAGE, 0);
	c->home = 0;
	for (size_t i = 0; c->only && i < c->nonly; i++) {
		c->only_abs[i] = kp_inspect_url_resolve(c->urls[0].url, c->only[i].url);
		if (c->only_abs[i])
			kp_inspect_see(l, UINT32_MAX, c->only_abs[i],
				       strlen(c->only_abs[i]), KP_INSPECT_LINK_PAGE, 1);
	}
	for (size_t i = 0; i < c->site.ncols; i++) {
		c->site.cols[i].abs = kp_inspect_url_resolve(c->urls[0].url,
							     c->site.cols[i].url);
		if (c->site.cols[i].abs)
			kp_inspect_see(l, UINT32_MAX, c->site.cols[i].abs,
				       strlen(c->site.cols[i].abs),
				       KP_INSPECT_LINK_PAGE, 1);
	}
}

/* Fetch until nothing is left. */
static void loop_spin(loop *l)
{
	double last_progress = 0;
	while (work_left(l)) {
		int running = 0, numfds = 0, left;
		CURLMsg *m;
		kp_inspect_parse_collect(l);
		fill(l);
		if (!l->inflight) {
			/* waiting for a parser (it wakes us), a retry or a
			 * politeness delay */
			if (work_left(l) && !kp_inspect_parse_help(l))
				curl_multi_poll(l->multi, NULL, 0, 20, &numfds);
			continue;
		}
		curl_multi_perform(l->multi, &running);
		int done = 0;
		while ((m = curl_multi_info_read(l->multi, &left)))
			if (m->msg == CURLMSG_DONE) {
				finish(l, m);
				done++;
			}
		/* something finished: refill before waiting, as curl's
		 * parallel loop does, so the slots never idle */
		if (running && !done) {
			curl_multi_poll(l->multi, NULL, 0, 0, &numfds);
			if (!numfds && !kp_inspect_parse_help(l))
				curl_multi_poll(l->multi, NULL, 0, 100, &numfds);
		}
		if (now() - last_progress > 0.2) {
			last_progress = now();
			progress(l);
		}
	}
	progress(l);
}

static void loop_close(loop *l)
{
	kp_inspect_parsers_stop(l);
	l->c->seconds = now() - l->t0;
	for (size_t i = 0; i < l->nhosts; i++)
		kp_inspect_host_free(l->hosts[i]);
	free(l->hosts);
	free(l->retries);
	while (l->npool)
		curl_easy_cleanup(l->pool[--l->npool]);
	if (l->multi)
		curl_multi_cleanup(l->multi);
	curl_slist_free_all(l->resolve);
}

/* Whether url's server completes a connection (for https://, the TLS
 * handshake with a valid certificate) within the options' timeout. */
static bool answers(const kp_inspect_opts *o, const char *url)
{
	CURL *e = curl_easy_init();
	struct curl_slist *resolve = kp_inspect_test_resolve();
	bool ok;
	if (!e) {
		curl_slist_free_all(resolve);
		return false;
	}
	easy_defaults(o, e, proxy_in_env(), resolve, false);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
			 o->timeout_ms < 10000 ? o->timeout_ms : 10000L);
	ok = curl_easy_perform(e) == CURLE_OK;
	curl_easy_cleanup(e);
	curl_slist_free_all(resolve);
	return ok;
}

/* The homepage's URL, normalised (malloc'd), or NULL when start is not
 * one.  A bare host ("www.x.gov.cn", "10.1.2.3:8080/portal/") means
 * https:// when its server answers so, else http://. */
static char *home_url(const kp_inspect_opts *o, const char *start)
{
	char *u;
	if (strstr(start, "://") || !isalnum((unsigned char)*start))
		return kp_inspect_url_resolve(NULL, start);
	kp_buf b = KP_BUF_INIT;
	kp_buf_addf(&b, "https://%s", start);
	u = kp_inspect_url_resolve(NULL, b.data);
	if (u && !answers(o, u)) {
		free(u);
		b.len = 0;
		kp_buf_addf(&b, "http://%s", start);
		u = kp_inspect_url_resolve(NULL, b.data);
	}
	kp_buf_release(&b);
	return u;
}

int kp_inspect_crawl_run(kp_inspect_crawl *c, const char *start_url, kp_err *e)
{
	loop l;
	char hn[256];
	char *home = home_url(c->o, start_url);
	int rc = -1;
	if (!home || !kp_inspect_url_host(home, hn, sizeof(hn))) {
		free(home);
		return kp_fail(e, KP_EINPUT, "“%s”不是有效的网址（应以 http:// 或 https:// 开头）",
			       start_url);
	}
	if (loop_open(&l, c, hn, e) == 0) {
		kp_inspect_guard_init(&l.guard, home, c->o->allow_private ||
				      c->site.allow_private, l.resolve);
		l.guard.on = !l.env_proxy;
		loop_seed(&l, home);
		kp_inspect_parsers_start(&l);
		loop_spin(&l);
		if (!c->only)   /* a column check reads no footer */
			kp_inspect_home_scripts(&l);
		kp_inspect_urls_merge_same(c);
		kp_inspect_urls_settle_depths(c);
		rc = 0;
	}
	free(home);
	loop_close(&l);
	return rc;
}

/* ---- the process ------------------------------------------------------ */

int kp_inspect_process_init(void)
{
#ifdef __GLIBC__
	/* Every page allocates and frees some 50 KB (its body, its text,
	 * its links): glibc's default gives memory above 128 KB of free top
	 * back to the system and faults it in again a moment later, tens of
	 * thousands of page faults per inspection.  Keep it (the peak is
	 * the same). */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
#endif
	/* libxml2's globals, before the parser threads read attachments
	 * (attach.c) */
	xmlInitParser();
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void kp_inspect_process_cleanup(void)
{
	curl_global_cleanup();
}
