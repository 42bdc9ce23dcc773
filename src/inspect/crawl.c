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
 * Every URL seen gets one kpi_url (de-duplicated through a hash of the
 * normalised URL).  In-scope pages are fetched with GET and parsed;
 * everything else in scope (images, attachments, scripts, styles) is
 * checked with HEAD, then GET when the server refuses HEAD.  Each host has
 * its own queues, its robots.txt rules and its politeness clock.
 */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "inspect/inspect_int.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- URL table ------------------------------------------------------- */

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void rehash(kpi_crawl *c)
{
	size_t ncap = c->hcap ? c->hcap * 2 : 1024;
	uint32_t *nh = kp_xcalloc(ncap, sizeof(*nh));
	for (size_t i = 0; i < c->nurls; i++) {
		size_t j = fnv(c->urls[i].url) & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = (uint32_t)i + 1;
	}
	free(c->hash);
	c->hash = nh;
	c->hcap = ncap;
}

/* The id of url (which the table takes over when new); *isnew set. */
static uint32_t url_intern(kpi_crawl *c, char *url, bool *isnew)
{
	size_t j;
	if ((c->nurls + 1) * 2 > c->hcap)
		rehash(c);
	j = fnv(url) & (c->hcap - 1);
	while (c->hash[j]) {
		kpi_url *u = &c->urls[c->hash[j] - 1];
		if (!strcmp(u->url, url)) {
			free(url);
			*isnew = false;
			return c->hash[j] - 1;
		}
		j = (j + 1) & (c->hcap - 1);
	}
	if (c->nurls == c->capurls) {
		c->capurls = c->capurls ? c->capurls * 2 : 1024;
		c->urls = kp_xrealloc(c->urls, c->capurls * sizeof(*c->urls));
	}
	memset(&c->urls[c->nurls], 0, sizeof(c->urls[0]));
	c->urls[c->nurls].url = url;
	c->hash[j] = (uint32_t)c->nurls + 1;
	*isnew = true;
	return (uint32_t)c->nurls++;
}

static uint32_t url_find(const kpi_crawl *c, const char *url)
{
	size_t j;
	if (!c->hcap)
		return UINT32_MAX;
	j = fnv(url) & (c->hcap - 1);
	while (c->hash[j]) {
		if (!strcmp(c->urls[c->hash[j] - 1].url, url))
			return c->hash[j] - 1;
		j = (j + 1) & (c->hcap - 1);
	}
	return UINT32_MAX;
}

#define MAX_REFS 100

static void add_ref(kpi_url *u, uint32_t from)
{
	u->total_refs++;
	if (u->nrefs && u->refs[u->nrefs - 1] == from)
		return;
	if (u->nrefs >= MAX_REFS)
		return;
	for (uint32_t i = 0; i < u->nrefs; i++)
		if (u->refs[i] == from)
			return;
	if (u->nrefs == u->caprefs) {
		u->caprefs = u->caprefs ? u->caprefs * 2 : 2;
		u->refs = kp_xrealloc(u->refs, u->caprefs * sizeof(*u->refs));
	}
	u->refs[u->nrefs++] = from;
}

/* ---- hosts, queues, robots.txt -------------------------------------- */

typedef struct fifo {
	uint32_t *v;
	size_t head, n, cap;
} fifo;

static void fifo_push(fifo *f, uint32_t id)
{
	if (f->head + f->n == f->cap) {
		if (f->head > f->cap / 2) {
			memmove(f->v, f->v + f->head, f->n * sizeof(*f->v));
			f->head = 0;
		} else {
			f->cap = f->cap ? f->cap * 2 : 64;
			f->v = kp_xrealloc(f->v, f->cap * sizeof(*f->v));
		}
	}
	f->v[f->head + f->n++] = id;
}

static uint32_t fifo_pop(fifo *f)
{
	f->n--;
	return f->v[f->head++];
}

typedef struct rule {
	char *prefix;
	bool allow;
} rule;

typedef struct host {
	char name[256];
	int inflight;
	double next_ok;        /* monotonic seconds */
	long delay_ms;
	int robots;            /* 0 not asked, 1 in flight, 2 known */
	rule *rules;
	size_t nrules;
	fifo pages, res;
	/* trap guard: distinct query strings per path */
	char **qpaths;
	uint32_t *qcount;
	size_t nq;
} host;

typedef struct xfer {
	uint32_t id;
	host *h;
	CURL *easy;
	kp_buf body;
	bool robots, over;
	char errbuf[CURL_ERROR_SIZE];
} xfer;

typedef struct retry {
	uint32_t id;
	double due;
} retry;

#define POOL 256

typedef struct loop {
	kpi_crawl *c;
	const kpi_opts *o;
	CURLM *multi;
	host **hosts;         /* each host stays where it is: transfers
			       * keep pointers to theirs */
	size_t nhosts, caphosts;
	CURL *pool[POOL];     /* finished easy handles, reset, for reuse */
	size_t npool;
	retry *retries;
	size_t nretries, capretries;
	int inflight;
	double t0;
	uint32_t robots_id[64];
} loop;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static host *host_add(loop *l, const char *name)
{
	host *h = kp_xcalloc(1, sizeof(*h));
	if (l->nhosts == l->caphosts) {
		l->caphosts = l->caphosts ? l->caphosts * 2 : 8;
		l->hosts = kp_xrealloc(l->hosts, l->caphosts * sizeof(*l->hosts));
	}
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->delay_ms = l->o->delay_ms;
	l->hosts[l->nhosts++] = h;
	return h;
}

static host *host_of(loop *l, const char *name)
{
	for (size_t i = 0; i < l->nhosts; i++)
		if (!strcmp(l->hosts[i]->name, name))
			return l->hosts[i];
	return NULL;
}

static void robots_parse(host *h, const char *txt)
{
	/* groups for "*" or "kaoping"; Allow/Disallow by longest prefix */
	bool applies = false, in_agents = false;
	const char *p = txt;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[512];
		char *v, *hash;
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (e ? 1 : 0);
		if (!e)
			p += strlen(p);
		if ((hash = strchr(line, '#')))
			*hash = '\0';
		v = strchr(line, ':');
		if (!v)
			continue;
		*v++ = '\0';
		kp_trim(line);
		kp_trim(v);
		if (!strcasecmp(line, "user-agent")) {
			if (!in_agents)
				applies = false;
			in_agents = true;
			if (!strcmp(v, "*") || strcasestr(v, "kaoping"))
				applies = true;
			continue;
		}
		in_agents = false;
		if (!applies)
			continue;
		if (!strcasecmp(line, "disallow") || !strcasecmp(line, "allow")) {
			if (!*v || h->nrules >= 256)
				continue;
			h->rules = kp_xrealloc(h->rules,
					       (h->nrules + 1) * sizeof(*h->rules));
			h->rules[h->nrules].prefix = kp_xstrdup(v);
			h->rules[h->nrules++].allow = !strcasecmp(line, "allow");
		} else if (!strcasecmp(line, "crawl-delay")) {
			/* hostile input: "1e309", "-5", "nan" must not
			 * reach a cast to long */
			char *end;
			double sec = strtod(v, &end);
			long d = end != v && sec > 0 && sec < 10.0
					 ? (long)(sec * 1000)
					 : end != v && sec >= 10.0 ? 10000 : 0;
			if (d > h->delay_ms)
				h->delay_ms = d;
		}
	}
}

static bool robots_allows(const host *h, const char *url)
{
	const char *p = strstr(url, "://");
	size_t best = 0;
	bool allow = true;
	p = p ? strchr(p + 3, '/') : NULL;
	if (!p)
		p = "/";
	for (size_t i = 0; i < h->nrules; i++) {
		size_t n = strlen(h->rules[i].prefix);
		const char *pre = h->rules[i].prefix;
		if (n && pre[n - 1] == '*')
			n--;
		if (!strncmp(p, pre, n) && n >= best) {
			best = n;
			allow = h->rules[i].allow;
		}
	}
	return allow;
}

/* A query that names a date: a calendar page, endlessly "next month". */
static bool calendar_query(const char *q)
{
	static const char *const names[] = {
		"date", "month", "year", "day", "week", "cal", "time", "ym", NULL
	};
	for (const char *p = q; p && *p; p = strchr(p, '&')) {
		p += (*p == '&' || *p == '?');
		for (const char *const *n = names; *n; n++)
			if (!strncasecmp(p, *n, strlen(*n)) ||
			    (strcspn(p, "=&") > strlen(*n) &&
			     strcasestr(p, *n) && strcasestr(p, *n) < p + strcspn(p, "=&")))
				return true;
	}
	return false;
}

/* Too many different queries on one path: calendars after 30, anything
 * else (article.jsp?id=…, list?page=…) only after 2000. */
static bool trap_query(host *h, const char *url)
{
	const char *q = strchr(url, '?');
	size_t n;
	if (!q)
		return false;
	n = (size_t)(q - url);
	for (size_t i = 0; i < h->nq; i++)
		if (strlen(h->qpaths[i]) == n && !strncmp(h->qpaths[i], url, n))
			return ++h->qcount[i] > (calendar_query(q) ? 30 : 2000);
	if (h->nq >= 4096)
		return false;
	h->qpaths = kp_xrealloc(h->qpaths, (h->nq + 1) * sizeof(*h->qpaths));
	h->qcount = kp_xrealloc(h->qcount, (h->nq + 1) * sizeof(*h->qcount));
	h->qpaths[h->nq] = kp_xstrndup(url, n);
	h->qcount[h->nq++] = 1;
	return false;
}

static bool in_scope(const kpi_crawl *c, const char *hostname)
{
	for (size_t i = 0; i < c->site.nhosts; i++)
		if (!strcmp(c->site.hosts[i], hostname))
			return true;
	return false;
}

static bool excluded(const kpi_crawl *c, const char *url)
{
	for (size_t i = 0; i < c->site.nexclude; i++)
		if (strstr(url, c->site.exclude[i]))
			return true;
	return false;
}

/* Record a link from page `from` (UINT32_MAX: none) to url; queue it. */
static uint32_t see(loop *l, uint32_t from, char *url, int kind, int depth)
{
	kpi_crawl *c = l->c;
	char hn[256];
	bool isnew;
	uint32_t id;
	kpi_url *u;
	host *h;
	if (!kpi_url_host(url, hn, sizeof(hn))) {
		free(url);
		return UINT32_MAX;
	}
	id = url_intern(c, url, &isnew);
	u = &c->urls[id];
	if (from != UINT32_MAX)
		add_ref(u, from);
	if (!isnew) {
		/* a page first seen as an image or deeper gets its due */
		if (u->state == U_SKIPPED && depth < u->depth &&
		    u->kind == KPI_LINK_PAGE && !u->trap && u->in_scope &&
		    depth <= l->o->max_depth) {
			u->depth = (uint8_t)depth;
			u->state = U_QUEUED;
			h = host_of(l, hn);
			if (h)
				fifo_push(&h->pages, id);
		}
		return id;
	}
	u->kind = (uint8_t)kind;
	u->depth = (uint8_t)(depth > 255 ? 255 : depth);
	u->in_scope = in_scope(c, hn);
	if (!u->in_scope && l->o->external && !excluded(c, u->url)) {
		/* another site: one HEAD (or GET) to see that it answers;
		 * never parsed, never followed, robots.txt not asked */
		h = host_of(l, hn);
		if (!h && l->nhosts < 4096) {
			h = host_add(l, hn);
			h->robots = 2;
		}
		if (!h) {
			u->state = U_SKIPPED;
			return id;
		}
		u->nobody = true;
		fifo_push(&h->res, id);
		u->state = U_QUEUED;
		return id;
	}
	if (!u->in_scope || excluded(c, u->url)) {
		u->state = U_SKIPPED;
		return id;
	}
	h = host_of(l, hn);
	if (!h) {
		u->state = U_SKIPPED;
		return id;
	}
	if ((u->trap_why = (char *)kpi_url_trap(u->url)) ||
	    (kind == KPI_LINK_PAGE && trap_query(h, u->url))) {
		if (!u->trap_why)
			u->trap_why = (char *)"同一路径的查询参数无穷变化（疑似日历或会话陷阱）";
		u->trap = true;
		u->state = U_SKIPPED;
		c->traps++;
		return id;
	}
	if (kind == KPI_LINK_PAGE || kind == KPI_LINK_FRAME) {
		if (depth > l->o->max_depth) {
			u->state = U_SKIPPED;
			return id;
		}
		u->kind = KPI_LINK_PAGE;
		fifo_push(&h->pages, id);
	} else {
		u->nobody = true;
		fifo_push(&h->res, id);
	}
	u->state = U_QUEUED;
	return id;
}

/* ---- transfers ------------------------------------------------------- */

static size_t on_write(char *p, size_t size, size_t n, void *ud)
{
	xfer *x = ud;
	size_t len = size * n;
	if (!x->body.len && !x->robots) {
		char *ct = NULL;
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
		if (ct && !strcasestr(ct, "html") && !strcasestr(ct, "xml") &&
		    !strcasestr(ct, "text/plain")) {
			x->over = false;
			return 0; /* not a page: stop, it exists */
		}
	}
	if (kp_buf_add(&x->body, p, len) < 0) {
		x->over = true;
		return 0;
	}
	return len;
}

static void start(loop *l, host *h, uint32_t id, bool robots)
{
	const kpi_opts *o = l->o;
	kpi_url *u = robots ? NULL : &l->c->urls[id];
	xfer *x = kp_xcalloc(1, sizeof(*x));
	char rurl[300];
	x->id = id;
	x->h = h;
	x->robots = robots;
	/* handles are reused: their buffers stay allocated */
	x->easy = l->npool ? l->pool[--l->npool] : curl_easy_init();
	if (!x->easy) {
		free(x);
		return;
	}
	kp_buf_init(&x->body, robots ? 512 * 1024 : o->max_body);
	if (robots) {
		snprintf(rurl, sizeof(rurl), "%s//%s/robots.txt",
			 strncmp(l->c->urls[l->c->home].url, "https:", 6)
				 ? "http:" : "https:", h->name);
		curl_easy_setopt(x->easy, CURLOPT_URL, rurl);
	} else {
		curl_easy_setopt(x->easy, CURLOPT_URL, u->url);
		u->state = U_RUNNING;
		u->tries++;
		if (u->nobody)
			curl_easy_setopt(x->easy, CURLOPT_NOBODY, 1L);
		if (u->kind == KPI_LINK_PAGE)
			l->c->pages_fetched++;
		else
			l->c->checks_started++;
	}
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(x->easy, CURLOPT_MAXREDIRS, (long)o->max_redirs);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(x->easy, CURLOPT_HTTP_VERSION,
			 (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(x->easy, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS,
			 o->timeout_ms < 10000 ? o->timeout_ms : 10000L);
	curl_easy_setopt(x->easy, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)o->max_body);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	/* certificates are verified: a broken one is a finding (SSL 连接失败),
	 * not something to step around */
	curl_easy_setopt(x->easy, CURLOPT_AUTOREFERER, 1L);
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
	kpi_url *u = &l->c->urls[id];
	if (l->nretries == l->capretries) {
		l->capretries = l->capretries ? l->capretries * 2 : 16;
		l->retries = kp_xrealloc(l->retries,
					 l->capretries * sizeof(*l->retries));
	}
	l->retries[l->nretries++] = (retry){ id, now() + 0.25 * (1 << u->tries) };
	u->state = U_QUEUED;
}

static void parse_page(loop *l, uint32_t id, xfer *x, const char *ctype)
{
	kpi_crawl *c = l->c;
	kpi_url *u = &c->urls[id];
	kp_buf utf = KP_BUF_INIT;
	kpi_doc d;
	const char *cs = "UTF-8";
	const char *base = u->final_url ? u->final_url : u->url;
	kpi_page *pg = kp_xcalloc(1, sizeof(*pg));
	kp_buf_init(&utf, l->o->max_body * 2 + 16);
	kpi_to_utf8(x->body.data ? x->body.data : "", x->body.len, ctype, &utf,
		    &cs);
	kpi_doc_init(&d);
	kpi_html_extract(utf.data ? utf.data : "", utf.len, l->o->as_of,
			 l->o->max_links, &d);
	kpi_site_items(&c->site, u->url, utf.data, utf.len, l->o->as_of, &d);
	kp_buf_release(&utf);
	char *based = d.base ? kpi_url_resolve(base, d.base) : NULL;
	if (based)
		base = based;
	pg->charset = (char *)cs;
	pg->pages = d.pages;
	pg->labelled = d.labelled_date;
	pg->title = kp_xstrdup(d.title);
	for (size_t i = 0; i < d.nitems; i++) {
		pg->nitems++;
		if (!d.items[i].date)
			pg->undated++;
		else if (d.items[i].date > pg->newest)
			pg->newest = d.items[i].date;
	}
	u->page = pg;
	for (size_t i = 0; i < d.nlinks; i++) {
		char *abs = kpi_url_resolve(base, d.links[i].url);
		if (!abs)
			continue;
		int kind = d.links[i].kind;
		uint32_t lid = see(l, id, abs, kind, c->urls[id].depth + 1);
		u = &c->urls[id];
		if (lid == UINT32_MAX)
			continue;
		if (u->depth <= 1 && d.links[i].text[0] &&
		    strlen(d.links[i].text) <= 64 && pg->nnav < 400) {
			pg->nav = kp_xrealloc(pg->nav,
					      (pg->nnav + 1) * sizeof(*pg->nav));
			pg->nav[pg->nnav++] = (kpi_nav){
				lid, kp_xstrdup(d.links[i].text), d.links[i].nav
			};
		}
	}
	for (size_t i = 0; i < d.nitems && pg->nitem_ids < 16; i++) {
		char *abs = d.items[i].href ? kpi_url_resolve(base, d.items[i].href)
					    : NULL;
		uint32_t iid = abs ? url_find(c, abs) : UINT32_MAX;
		free(abs);
		if (iid != UINT32_MAX)
			pg->item_ids[pg->nitem_ids++] = iid;
	}
	/* a homepage that is only a refresh to the real one: that one is
	 * the homepage */
	if (id == c->home && d.refresh && d.nitems == 0 && d.nlinks <= 3 &&
	    !c->home_moved) {
		char *t = kpi_url_resolve(base, d.refresh);
		uint32_t tid = t ? url_find(c, t) : UINT32_MAX;
		free(t);
		if (tid != UINT32_MAX && tid != id && c->urls[tid].in_scope &&
		    c->urls[tid].state == U_QUEUED) {
			c->home = tid;
			c->home_moved = true;
			c->urls[tid].depth = 0;
		}
	}
	free(based);
	if (id == c->home) {
		c->home_doc = d;
		c->home_parsed = true;
	} else {
		kpi_doc_release(&d);
	}
}

static void finish(loop *l, CURLMsg *m)
{
	kpi_crawl *c = l->c;
	xfer *x = NULL;
	long code = 0, redirs = 0;
	double secs = 0;
	char *eff = NULL, *ctype = NULL;
	CURLcode rc = m->data.result;
	curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
	curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(m->easy_handle, CURLINFO_REDIRECT_COUNT, &redirs);
	curl_easy_getinfo(m->easy_handle, CURLINFO_TOTAL_TIME, &secs);
	curl_easy_getinfo(m->easy_handle, CURLINFO_EFFECTIVE_URL, &eff);
	curl_easy_getinfo(m->easy_handle, CURLINFO_CONTENT_TYPE, &ctype);
	x->h->inflight--;
	l->inflight--;
	if (x->robots) {
		x->h->robots = 2;
		if (rc == CURLE_OK && code == 200 && x->body.data &&
		    !l->o->ignore_robots && !c->site.ignore_robots)
			robots_parse(x->h, x->body.data);
		goto out;
	}
	kpi_url *u = &c->urls[x->id];
	u->status = (int)code;
	u->redirects = (int)redirs;
	u->secs = secs;
	u->size = x->body.len;
	if (eff && strcmp(eff, u->url)) {
		free(u->final_url);
		u->final_url = kp_xstrdup(eff);
	}
	bool stopped_not_html = rc == CURLE_WRITE_ERROR && !x->over;
	if (rc != CURLE_OK && !stopped_not_html) {
		bool timeout;
		const char *why = curl_reason(rc, &timeout);
		bool big = x->over || rc == CURLE_FILESIZE_EXCEEDED;
		if (big && u->kind != KPI_LINK_PAGE) {
			/* a resource over the cap exists: not a dead link */
			u->state = U_DONE;
			goto out;
		}
		bool transient = !big && rc != CURLE_TOO_MANY_REDIRECTS &&
				 rc != CURLE_COULDNT_RESOLVE_HOST &&
				 rc != CURLE_BAD_CONTENT_ENCODING;
		if (transient && u->tries <= l->o->retries) {
			schedule_retry(l, x->id);
			goto out;
		}
		u->timeout = timeout;
		u->refused_big = big;
		if (big)
			c->refused_big++;
		free(u->error);
		u->error = kp_xstrdup(why);
		u->state = U_DONE;
		c->errors++;
		goto out;
	}
	if ((code >= 500 || code == 429) && u->tries <= l->o->retries) {
		schedule_retry(l, x->id);
		goto out;
	}
	if (u->nobody && (code == 405 || code == 501 || code == 403)) {
		u->nobody = false; /* HEAD refused: ask with GET */
		u->tries = 0;
		fifo_push(&x->h->res, x->id);
		u->state = U_QUEUED;
		goto out;
	}
	u->state = U_DONE;
	if (code >= 400)
		c->errors++;
	if (stopped_not_html) {
		u->not_html = true;
		goto out;
	}
	if (code >= 200 && code < 300 && u->kind == KPI_LINK_PAGE &&
	    !u->nobody) {
		char hn[256];
		/* the homepage moved to another host (x.gov.cn → www.x.gov.cn):
		 * that host is the site too. */
		if (x->id == c->home && u->final_url &&
		    kpi_url_host(u->final_url, hn, sizeof(hn)) &&
		    !in_scope(c, hn)) {
			host *nh = host_of(l, hn);
			if (!nh)
				nh = host_add(l, hn);
			nh->robots = 0;   /* ask its robots.txt like any site host */
			c->site.hosts = kp_xrealloc(c->site.hosts,
						    (c->site.nhosts + 1) * sizeof(char *));
			c->site.hosts[c->site.nhosts++] = kp_xstrdup(hn);
		}
		/* redirected off the site: not ours to parse */
		if (!u->final_url ||
		    (kpi_url_host(u->final_url, hn, sizeof(hn)) &&
		     in_scope(c, hn)))
			parse_page(l, x->id, x, ctype);
	}
out:
	curl_multi_remove_handle(l->multi, m->easy_handle);
	if (l->npool < POOL) {
		curl_easy_reset(m->easy_handle);
		l->pool[l->npool++] = m->easy_handle;
	} else {
		curl_easy_cleanup(m->easy_handle);
	}
	kp_buf_release(&x->body);
	free(x);
}

/* Start what the limits allow; returns the number started. */
static int fill(loop *l)
{
	const kpi_opts *o = l->o;
	kpi_crawl *c = l->c;
	int started = 0;
	double t = now();
	/* due retries go back to their host's queue, at the front of work */
	for (size_t i = 0; i < l->nretries;) {
		if (l->retries[i].due <= t) {
			kpi_url *u = &c->urls[l->retries[i].id];
			char hn[256];
			kpi_url_host(u->url, hn, sizeof(hn));
			host *h = host_of(l, hn);
			if (h)
				fifo_push(u->kind == KPI_LINK_PAGE && !u->nobody
						  ? &h->pages : &h->res,
					  l->retries[i].id);
			l->retries[i] = l->retries[--l->nretries];
		} else {
			i++;
		}
	}
	for (size_t i = 0; i < l->nhosts && l->inflight < o->parallel; i++) {
		host *h = l->hosts[i];
		if (h->robots == 0) {
			h->robots = 1;
			if (o->ignore_robots || c->site.ignore_robots) {
				h->robots = 2;
			} else {
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
			uint32_t id = fifo_pop(q);
			kpi_url *u = &c->urls[id];
			if (u->state != U_QUEUED)
				continue;
			if (!robots_allows(h, u->url) && id != c->home) {
				u->state = U_SKIPPED;
				c->robots_skipped++;
				continue;
			}
			if (q == &h->pages && c->pages_fetched >= o->max_pages) {
				u->state = U_SKIPPED;
				continue;
			}
			if (q == &h->res && c->checks_started >= o->max_checks) {
				u->state = U_SKIPPED;
				continue;
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
	if (l->inflight || l->nretries)
		return true;
	for (size_t i = 0; i < l->nhosts; i++)
		if (l->hosts[i]->pages.n || l->hosts[i]->res.n ||
		    l->hosts[i]->robots != 2)
			return true;
	return false;
}

static void progress(loop *l)
{
	kpi_progress p;
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

int kpi_crawl_run(kpi_crawl *c, const char *start_url, kp_err *e)
{
	loop l;
	char hn[256];
	char *home = kpi_url_resolve(NULL, start_url);
	double last_progress = 0;
	int rc = -1;
	if (!home || !kpi_url_host(home, hn, sizeof(hn))) {
		free(home);
		return kp_fail(e, KP_EINPUT, "“%s”不是有效的网址（应以 http:// 或 https:// 开头）",
			       start_url);
	}
	memset(&l, 0, sizeof(l));
	l.c = c;
	l.o = c->o;
	l.t0 = now();
	/* the homepage's host is always in scope, then the configured ones */
	c->site.hosts = kp_xrealloc(c->site.hosts,
				    (c->site.nhosts + 1) * sizeof(char *));
	memmove(c->site.hosts + 1, c->site.hosts,
		c->site.nhosts * sizeof(char *));
	c->site.hosts[0] = kp_xstrdup(hn);
	c->site.nhosts++;
	for (size_t i = 0; i < c->site.nhosts; i++)
		host_add(&l, c->site.hosts[i]);
	l.multi = curl_multi_init();
	if (!l.multi) {
		free(home);
		kp_fail(e, KP_EINTERNAL, "libcurl 初始化失败");
		goto out;
	}
	curl_multi_setopt(l.multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)c->o->per_host);
	curl_multi_setopt(l.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  (long)c->o->parallel);
	curl_multi_setopt(l.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	see(&l, UINT32_MAX, home, KPI_LINK_PAGE, 0);
	c->home = 0;
	for (size_t i = 0; i < c->site.ncols; i++)
	{
		c->site.cols[i].abs = kpi_url_resolve(c->urls[0].url,
						      c->site.cols[i].url);
		/* a configured column is crawled even when nothing links it */
		if (c->site.cols[i].abs)
			see(&l, UINT32_MAX, kp_xstrdup(c->site.cols[i].abs),
			    KPI_LINK_PAGE, 1);
	}
	while (work_left(&l)) {
		int running = 0, numfds = 0, left;
		CURLMsg *m;
		fill(&l);
		if (!l.inflight) {
			/* waiting for a retry or a politeness delay */
			curl_multi_poll(l.multi, NULL, 0, 20, &numfds);
			continue;
		}
		curl_multi_perform(l.multi, &running);
		int done = 0;
		while ((m = curl_multi_info_read(l.multi, &left)))
			if (m->msg == CURLMSG_DONE) {
				finish(&l, m);
				done++;
			}
		/* something finished: refill before waiting, as curl's
		 * parallel loop does, so the slots never idle */
		if (running && !done)
			curl_multi_poll(l.multi, NULL, 0, 100, &numfds);
		if (now() - last_progress > 0.2) {
			last_progress = now();
			progress(&l);
		}
	}
	progress(&l);
	rc = 0;
out:
	c->seconds = now() - l.t0;
	for (size_t i = 0; i < l.nhosts; i++) {
		host *h = l.hosts[i];
		for (size_t k = 0; k < h->nrules; k++)
			free(h->rules[k].prefix);
		free(h->rules);
		free(h->pages.v);
		free(h->res.v);
		for (size_t k = 0; k < h->nq; k++)
			free(h->qpaths[k]);
		free(h->qpaths);
		free(h->qcount);
		free(h);
	}
	free(l.hosts);
	free(l.retries);
	while (l.npool)
		curl_easy_cleanup(l.pool[--l.npool]);
	if (l.multi)
		curl_multi_cleanup(l.multi);
	return rc;
}

void kpi_crawl_release(kpi_crawl *c)
{
	for (size_t i = 0; i < c->nurls; i++) {
		kpi_url *u = &c->urls[i];
		free(u->url);
		free(u->final_url);
		free(u->error);
		free(u->refs);
		if (u->page) {
			for (size_t k = 0; k < u->page->nnav; k++)
				free(u->page->nav[k].text);
			free(u->page->nav);
			free(u->page->title);
			free(u->page);
		}
	}
	free(c->urls);
	free(c->hash);
	if (c->home_parsed)
		kpi_doc_release(&c->home_doc);
	kpi_site_release(&c->site);
	memset(c, 0, sizeof(*c));
}
