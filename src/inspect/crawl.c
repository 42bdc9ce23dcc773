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
 * waiting page itself: help_parse); a parser hands back what the page links to, and the loop, the
 * only owner of the URL table, records it (curl_multi_wakeup tells it).
 * Bodies waiting for a parser count against the transfers in flight, so
 * memory stays bounded when parsing falls behind.
 *
 * Every URL seen gets one kp_inspect_url (de-duplicated through a hash of the
 * normalised URL; the strings live in one arena).  In-scope pages are
 * fetched with GET and parsed; everything else in scope (images,
 * attachments, scripts, styles) is checked with HEAD, then GET when the
 * server refuses HEAD.  Each host has its own queues, its robots.txt rules
 * and its politeness clock.  "/" and "/index.html" of one directory are
 * one page when their bodies are the same (same_as).
 */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "inspect/inspect_int.h"

#include <curl/curl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* ---- arena: URL strings and reference lists ------------------------- */

struct kp_inspect_block {
	struct kp_inspect_block *next;
	size_t used, cap;
	_Alignas(8) char data[];
};

static void *arena_alloc(kp_inspect_crawl *c, size_t n)
{
	struct kp_inspect_block *b = c->arena;
	n = (n + 7) & ~(size_t)7;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 60000 ? n : 60000;
		b = kp_xmalloc(sizeof(*b) + cap);
		b->next = c->arena;
		b->used = 0;
		b->cap = cap;
		c->arena = b;
	}
	void *r = b->data + b->used;
	b->used += n;
	return r;
}

/* ---- URL table ------------------------------------------------------- */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
	}
	h ^= h >> 29;
	return h;
}

/* A slot of the hash holds the URL's hash (low 32 bits) above its id + 1:
 * most probes that miss are told apart without reading the URL, and
 * growing does not hash every URL again. */
#define SLOT_ID(e) ((uint32_t)(e))
#define SLOT_TAG(e) ((uint32_t)((e) >> 32))

static void rehash(kp_inspect_crawl *c)
{
	size_t ncap = c->hcap ? c->hcap * 2 : 1024;
	uint64_t *nh = kp_xcalloc(ncap, sizeof(*nh));
	for (size_t i = 0; i < c->hcap; i++) {
		uint64_t e = c->hash[i];
		if (!e)
			continue;
		size_t j = SLOT_TAG(e) & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = e;
	}
	free(c->hash);
	c->hash = nh;
	c->hcap = ncap;
}

/* The slot of url[0..n), whose hash_bytes is h, in the hash: its entry,
 * or 0 where it would go. */
static size_t url_slot(const kp_inspect_crawl *c, const char *url, size_t n,
		       uint32_t h)
{
	size_t j = h & (c->hcap - 1);
	uint64_t e;
	while ((e = c->hash[j])) {
		if (SLOT_TAG(e) == h) {
			const char *u = c->urls[SLOT_ID(e) - 1].url;
			if (!memcmp(u, url, n) && !u[n])
				break;
		}
		j = (j + 1) & (c->hcap - 1);
	}
	return j;
}

static uint32_t url_hash(const char *url, size_t n)
{
	return (uint32_t)hash_bytes(url, n);
}

/* The id of url[0..n), whose url_hash is h, added (copied) when new;
 * *isnew set. */
static uint32_t url_intern(kp_inspect_crawl *c, const char *url, size_t n,
			   uint32_t h, bool *isnew)
{
	size_t j;
	if ((c->nurls + 1) * 2 > c->hcap)
		rehash(c);
	j = url_slot(c, url, n, h);
	if (c->hash[j]) {
		*isnew = false;
		return SLOT_ID(c->hash[j]) - 1;
	}
	if (c->nurls == c->capurls) {
		c->capurls = c->capurls ? c->capurls * 2 : 1024;
		c->urls = kp_xrealloc(c->urls, c->capurls * sizeof(*c->urls));
	}
	kp_inspect_url *u = &c->urls[c->nurls];
	memset(u, 0, sizeof(*u));
	u->url = arena_alloc(c, n + 1);
	memcpy(u->url, url, n);
	u->url[n] = '\0';
	u->same_as = UINT32_MAX;
	c->hash[j] = (uint64_t)h << 32 | ((uint32_t)c->nurls + 1);
	*isnew = true;
	return (uint32_t)c->nurls++;
}

static uint32_t url_find_h(const kp_inspect_crawl *c, const char *url, size_t n,
			   uint32_t h)
{
	size_t j;
	if (!c->hcap)
		return UINT32_MAX;
	j = url_slot(c, url, n, h);
	return c->hash[j] ? SLOT_ID(c->hash[j]) - 1 : UINT32_MAX;
}

static uint32_t url_find(const kp_inspect_crawl *c, const char *url)
{
	size_t n = strlen(url);
	return url_find_h(c, url, n, url_hash(url, n));
}

#define MAX_REFS 100

static void add_ref(kp_inspect_crawl *c, kp_inspect_url *u, uint32_t from)
{
	u->total_refs++;
	if (u->nrefs && u->refs[u->nrefs - 1] == from)
		return;
	if (u->nrefs >= MAX_REFS)
		return;
	for (uint32_t i = 0; i < u->nrefs; i++)
		if (u->refs[i] == from)
			return;
	/* capacity: the next power of two; lists grow in the arena */
	if (!(u->nrefs & (u->nrefs - 1))) {
		uint32_t *n = arena_alloc(c, (u->nrefs ? u->nrefs * 2 : 1) *
						     sizeof(*n));
		if (u->nrefs)
			memcpy(n, u->refs, u->nrefs * sizeof(*n));
		u->refs = n;
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

/* A page for a parser: what it needs, copied, so that parsers never touch
 * the URL table; and what it found, for the loop to record. */
typedef struct plink {
	uint32_t off, len;    /* the resolved URL in job.out */
	uint32_t hash;        /* its url_hash */
	uint32_t text;        /* its anchor text in job.out, or UINT32_MAX */
	uint8_t kind;
	bool nav;
} plink;

typedef struct job {
	struct job *next;
	uint32_t id;
	int depth;
	bool home;            /* the homepage: keep the whole doc */
	kp_buf body;
	char *ctype;          /* owned */
	/* borrowed from the URL table: the page's URL (in its arena) and
	 * the URL its body came from (final_url, set once the page is done,
	 * never changed after) */
	const char *url, *base;
	/* results */
	kp_inspect_page *pg;
	kp_inspect_doc doc;          /* home only */
	kp_buf out;           /* resolved URLs and anchor texts, NUL-ended */
	plink *links;
	size_t nlinks;
	uint32_t items[32];   /* resolved list-item links, offsets in out */
	size_t nitems;
	uint32_t refresh;     /* <meta refresh> target in out, or UINT32_MAX */
	size_t doc_links, doc_items;
} job;

typedef struct jobq {
	job *head, *tail;
} jobq;

static void jobq_push(jobq *q, job *j)
{
	j->next = NULL;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
}

static job *jobq_pop(jobq *q)
{
	job *j = q->head;
	if (j) {
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
	}
	return j;
}

typedef struct loop {
	kp_inspect_crawl *c;
	const kp_inspect_opts *o;
	CURLM *multi;
	host **hosts;         /* each host stays where it is: transfers
			       * keep pointers to theirs */
	size_t nhosts, caphosts;
	CURL *pool[POOL];     /* finished easy handles, for reuse */
	size_t npool;
	retry *retries;
	size_t nretries, capretries;
	int inflight;
	bool env_proxy;       /* proxy_in_env() at the start */
	double t0;
	/* parsers */
	pthread_t *threads;
	int nthreads;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	jobq todo, done;      /* under mu */
	bool quit;            /* under mu */
	int idle;             /* parsers waiting for work, under mu */
	int parsing;          /* jobs handed out and not yet recorded */
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

static bool in_scope(const kp_inspect_crawl *c, const char *hostname)
{
	for (size_t i = 0; i < c->site.nhosts; i++)
		if (!strcmp(c->site.hosts[i], hostname))
			return true;
	return false;
}

static bool excluded(const kp_inspect_crawl *c, const char *url)
{
	for (size_t i = 0; i < c->site.nexclude; i++)
		if (strstr(url, c->site.exclude[i]))
			return true;
	return false;
}

/* Record a link from page `from` (UINT32_MAX: none) to url[0..n) (a
 * normalised URL, NUL-terminated at n, whose url_hash is hash: a parser
 * reckons it, the loop has enough to do) as `kind` at `depth`: its id,
 * queued when it is new and to be fetched; UINT32_MAX when it has no
 * host. */
static uint32_t see_h(loop *l, uint32_t from, const char *url, size_t n,
		      uint32_t hash, int kind, int depth)
{
	kp_inspect_crawl *c = l->c;
	char hn[256];
	bool isnew;
	uint32_t id;
	kp_inspect_url *u;
	host *h;
	/* most links name a URL seen before: that one, whose host was
	 * read when it was new, is found without reading it again */
	id = url_find_h(c, url, n, hash);
	isnew = id == UINT32_MAX;
	if (isnew) {
		if (!kp_inspect_url_host(url, hn, sizeof(hn)))
			return UINT32_MAX;
		id = url_intern(c, url, n, hash, &isnew);
	}
	u = &c->urls[id];
	if (from != UINT32_MAX)
		add_ref(c, u, from);
	if (!isnew) {
		/* a shorter way to a URL: its click depth is that one's
		 * (the crawl's order depends on timing; the depth must
		 * not), and a page skipped as too deep (or first seen as an
		 * image) is queued once it is within reach */
		if (depth >= u->depth)
			return id;
		u->depth = (uint8_t)depth;
		if (u->state == U_SKIPPED && u->kind == KP_INSPECT_LINK_PAGE &&
		    !u->trap && u->in_scope && depth <= l->o->max_depth) {
			u->state = U_QUEUED;
			h = kp_inspect_url_host(url, hn, sizeof(hn)) ? host_of(l, hn) : NULL;
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
	if ((u->trap_why = kp_inspect_url_trap(u->url)) ||
	    (kind == KP_INSPECT_LINK_PAGE && trap_query(h, u->url))) {
		if (!u->trap_why)
			u->trap_why = "同一路径的查询参数无穷变化（疑似日历或会话陷阱）";
		u->trap = true;
		u->state = U_SKIPPED;
		c->traps++;
		return id;
	}
	if (kind == KP_INSPECT_LINK_PAGE || kind == KP_INSPECT_LINK_FRAME) {
		if (depth > l->o->max_depth) {
			u->state = U_SKIPPED;
			return id;
		}
		u->kind = KP_INSPECT_LINK_PAGE;
		fifo_push(&h->pages, id);
	} else {
		u->nobody = true;
		fifo_push(&h->res, id);
	}
	u->state = U_QUEUED;
	return id;
}

static uint32_t see(loop *l, uint32_t from, const char *url, size_t n,
		    int kind, int depth)
{
	return see_h(l, from, url, n, url_hash(url, n), kind, depth);
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
static void easy_defaults(const kp_inspect_opts *o, CURL *e, bool env_proxy)
{
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
		easy_defaults(o, x->easy, l->env_proxy);
	} else {
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
		if (u->tries == 1 && u->kind == KP_INSPECT_LINK_PAGE)
			l->c->pages_fetched++;   /* a retry is the same page */
		else if (u->tries == 1)
			l->c->checks_started++;
	}
	/* what a handle's last transfer set: HEAD or GET, where to write */
	curl_easy_setopt(x->easy, CURLOPT_NOBODY, u && u->nobody ? 1L : 0L);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
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

/* Append s (NUL-terminated) to j->out; its offset. */
static uint32_t out_add(job *j, const char *s, size_t n)
{
	uint32_t off = (uint32_t)j->out.len;
	kp_buf_add(&j->out, s, n);
	kp_buf_addc(&j->out, '\0');
	return off;
}

/* A parser's work on one page: no shared state but the read-only options
 * and site settings. */
static void parse_job(const kp_inspect_crawl *c, job *j)
{
	const kp_inspect_opts *o = c->o;
	kp_buf utf = KP_BUF_INIT;
	kp_inspect_doc d;
	const char *cs = "UTF-8";
	const char *base = j->base;
	const char *html;     /* the page in UTF-8: the body or utf */
	size_t hn;
	char abs[8192];
	kp_inspect_base kb;
	kp_inspect_page *pg = kp_xcalloc(1, sizeof(*pg));
	/* most pages are UTF-8 already (kp_buf keeps its data NUL-ended):
	 * parsed where they stand, not copied */
	if (j->body.data &&
	    kp_inspect_utf8_in_place(j->body.data, j->body.len, j->ctype)) {
		html = j->body.data;
		hn = j->body.len;
	} else {
		kp_buf_init(&utf, o->max_body * 2 + 16);
		kp_inspect_to_utf8(j->body.data ? j->body.data : "", j->body.len,
			    j->ctype, &utf, &cs);
		kp_buf_release(&j->body);   /* utf is the page now */
		html = utf.data ? utf.data : "";
		hn = utf.len;
	}
	kp_inspect_doc_init(&d);
	kp_inspect_html_extract(html, hn, o->as_of, o->max_links, &d);
	kp_inspect_site_items(&c->site, j->url, html, hn, o->as_of, &d);
	kp_buf_release(&utf);       /* whichever held the page */
	kp_buf_release(&j->body);
	char *based = d.base ? kp_inspect_url_resolve(base, d.base) : NULL;
	if (based)
		base = based;
	kp_inspect_base_init(&kb, base);   /* read once for all the page's links */
	pg->charset = (char *)cs;
	pg->pages = d.pages;
	pg->labelled = d.labelled_date;
	pg->labelled_source = d.labelled_source;
	pg->title = kp_xstrdup(d.title);
	for (size_t i = 0; i < d.nitems; i++) {
		pg->nitems++;
		if (!d.items[i].date)
			pg->undated++;
		else if (d.items[i].date > pg->newest) {
			pg->newest = d.items[i].date;
			pg->newest_source = d.items[i].date_source;
		}
	}
	pg->hits = d.hits;          /* the content checks' hits move to pg */
	pg->nhits = d.nhits;
	d.hits = NULL;
	d.nhits = 0;
	j->pg = pg;
	kp_buf_init(&j->out, 0);
	/* room for the links at once (most resolve to 40–60 bytes) */
	kp_buf_reserve(&j->out, d.nlinks * 64 + 256);
	j->links = kp_xmalloc((d.nlinks ? d.nlinks : 1) * sizeof(*j->links));
	for (size_t i = 0; i < d.nlinks; i++) {
		size_t n = kp_inspect_url_resolve_base_to(&kb, d.links[i].url, abs,
						   sizeof(abs));
		if (!n)
			continue;
		plink *pl = &j->links[j->nlinks++];
		pl->off = out_add(j, abs, n);
		pl->len = (uint32_t)n;
		pl->hash = url_hash(abs, n);
		pl->kind = d.links[i].kind;
		pl->nav = d.links[i].nav;
		pl->text = UINT32_MAX;
		/* anchor texts only where columns are looked for */
		if (j->depth <= 1 && d.links[i].text[0] &&
		    strlen(d.links[i].text) <= 64)
			pl->text = out_add(j, d.links[i].text,
					   strlen(d.links[i].text));
	}
	for (size_t i = 0; i < d.nitems && j->nitems < 32; i++) {
		size_t n = d.items[i].href
				   ? kp_inspect_url_resolve_base_to(&kb, d.items[i].href,
							     abs, sizeof(abs))
				   : 0;
		if (n)
			j->items[j->nitems++] = out_add(j, abs, n);
	}
	j->refresh = UINT32_MAX;
	if (d.refresh) {
		size_t n = kp_inspect_url_resolve_base_to(&kb, d.refresh, abs,
						   sizeof(abs));
		if (n)
			j->refresh = out_add(j, abs, n);
	}
	j->doc_links = d.nlinks;
	j->doc_items = d.nitems;
	free(based);
	if (j->home)
		j->doc = d;
	else
		kp_inspect_doc_release(&d);
}

static void job_free(job *j)
{
	kp_buf_release(&j->body);
	kp_buf_release(&j->out);
	free(j->links);
	free(j->ctype);
	free(j);
}

/* The loop records what a parser found on page j->id. */
static void record_job(loop *l, job *j)
{
	kp_inspect_crawl *c = l->c;
	uint32_t id = j->id;
	kp_inspect_page *pg = j->pg;
	c->urls[id].page = pg;
	for (size_t i = 0; i < j->nlinks; i++) {
		const plink *pl = &j->links[i];
		uint32_t lid = see_h(l, id, j->out.data + pl->off, pl->len,
				     pl->hash, pl->kind, c->urls[id].depth + 1);
		if (lid == UINT32_MAX || pl->text == UINT32_MAX || pg->nnav >= 400 ||
		    c->urls[id].depth > 1)
			continue;
		if (!(pg->nnav & (pg->nnav + 1)) || !pg->nav) /* 0, 1, 3, 7 … */
			pg->nav = kp_xrealloc(pg->nav, (pg->nnav + 1) * 2 *
							       sizeof(*pg->nav));
		pg->nav[pg->nnav++] = (kp_inspect_nav){
			lid, kp_xstrdup(j->out.data + pl->text), pl->nav
		};
	}
	for (size_t i = 0; i < j->nitems && pg->nitem_ids < 16; i++) {
		uint32_t iid = url_find(c, j->out.data + j->items[i]);
		if (iid != UINT32_MAX)
			pg->item_ids[pg->nitem_ids++] = iid;
	}
	/* a homepage that is only a refresh to the real one: that one is
	 * the homepage */
	if (id == c->home && j->refresh != UINT32_MAX && j->doc_items == 0 &&
	    j->doc_links <= 3 && !c->home_moved) {
		uint32_t tid = url_find(c, j->out.data + j->refresh);
		if (tid != UINT32_MAX && tid != id && c->urls[tid].in_scope &&
		    c->urls[tid].state == U_QUEUED) {
			c->home = tid;
			c->home_moved = true;
			c->urls[tid].depth = 0;
		}
	}
	if (j->home && id == c->home) {
		c->home_doc = j->doc;
		c->home_parsed = true;
	} else if (j->home) {
		kp_inspect_doc_release(&j->doc);
	}
	job_free(j);
}

static void *parser_main(void *arg)
{
	loop *l = arg;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		job *j = jobq_pop(&l->todo);
		if (!j) {
			if (l->quit)
				break;
			l->idle++;
			pthread_cond_wait(&l->cv, &l->mu);
			l->idle--;
			continue;
		}
		pthread_mutex_unlock(&l->mu);
		parse_job(l->c, j);
		pthread_mutex_lock(&l->mu);
		/* the loop takes the whole queue at once: one wake-up for
		 * the first page in it is enough */
		if (!l->done.head)
			curl_multi_wakeup(l->multi);
		jobq_push(&l->done, j);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

/* Parse job j on the loop's own thread and record it. */
static void parse_here(loop *l, job *j)
{
	parse_job(l->c, j);
	l->parsing--;
	record_job(l, j);
}

/* Hand page id, whose body x holds, to a parser (or parse it here). */
static void dispatch(loop *l, uint32_t id, xfer *x, const char *ctype)
{
	kp_inspect_crawl *c = l->c;
	kp_inspect_url *u = &c->urls[id];
	job *j = kp_xcalloc(1, sizeof(*j));
	j->id = id;
	j->depth = u->depth;
	j->home = id == c->home;
	j->body = x->body;
	kp_buf_init(&x->body, 0);
	j->ctype = ctype ? kp_xstrdup(ctype) : NULL;
	j->url = u->url;
	j->base = u->final_url ? u->final_url : u->url;
	l->parsing++;
	if (!l->nthreads) {
		parse_here(l, j);
		return;
	}
	pthread_mutex_lock(&l->mu);
	jobq_push(&l->todo, j);
	if (l->idle)
		pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

/* Record every page the parsers have finished. */
static void collect(loop *l)
{
	jobq got;
	job *j;
	if (!l->nthreads)
		return;
	pthread_mutex_lock(&l->mu);
	got = l->done;
	l->done.head = l->done.tail = NULL;
	pthread_mutex_unlock(&l->mu);
	while ((j = jobq_pop(&got))) {
		l->parsing--;
		record_job(l, j);
	}
}

/* Instead of sleeping while no socket is ready, the loop parses a page
 * that waits for a parser: on a machine with few cores the parsers and
 * the server share them, and the loop's idle moments are as good as a
 * parser's.  Returns whether it parsed one. */
static bool help_parse(loop *l)
{
	job *j;
	if (!l->nthreads)
		return false;
	pthread_mutex_lock(&l->mu);
	j = jobq_pop(&l->todo);
	pthread_mutex_unlock(&l->mu);
	if (!j)
		return false;
	parse_here(l, j);
	return true;
}

/* ---- one page or two: "/" and "/index.html" ------------------------ */

static const char *const index_names[] = {
	"index.html", "index.htm", "index.shtml", "index.jsp", "index.php",
	"index.asp", "index.aspx", "default.html", "default.htm",
	"default.asp", "default.aspx", "default.jsp", NULL
};

/* The length of url's directory part ("http://h/a/") when url names a
 * directory's default page — "http://h/a/" itself or one of
 * index_names in it, without a query — else 0. */
static size_t dir_page(const char *url)
{
	const char *p = strstr(url, "://");
	const char *slash;
	if (!p || strchr(url, '?'))
		return 0;
	slash = strrchr(p + 3, '/');
	if (!slash)
		return 0;
	if (!slash[1])
		return (size_t)(slash + 1 - url);
	for (const char *const *n = index_names; *n; n++)
		if (!strcasecmp(slash + 1, *n))
			return (size_t)(slash + 1 - url);
	return 0;
}

static uint32_t body_hash(const kp_buf *b)
{
	uint64_t h = hash_bytes(b->data ? b->data : "", b->len);
	return (uint32_t)(h ^ (h >> 32));
}

/* Page id, fetched with its body: when a page of the same directory's
 * default names was fetched with the very same body, the one page has
 * two addresses and id is not counted again (no false merges: any
 * difference in the bytes keeps them two pages). */
static bool same_page(loop *l, uint32_t id, const kp_buf *body)
{
	kp_inspect_crawl *c = l->c;
	kp_inspect_url *u = &c->urls[id];
	size_t dl = dir_page(u->url);
	char cand[8192];
	if (!dl || dl + 16 >= sizeof(cand))
		return false;
	u->body_hash = body_hash(body);
	u->hashed = true;
	memcpy(cand, u->url, dl);
	for (int k = -1; index_names[k < 0 ? 0 : k]; k++) {
		cand[dl] = '\0';
		if (k >= 0)
			snprintf(cand + dl, sizeof(cand) - dl, "%s", index_names[k]);
		uint32_t o = url_find(c, cand);
		if (o == UINT32_MAX || o == id)
			continue;
		kp_inspect_url *ou = &c->urls[o];
		if (!ou->hashed || ou->same_as != UINT32_MAX ||
		    ou->size != body->len || ou->body_hash != u->body_hash)
			continue;
		u->same_as = o;
		c->same_pages++;
		c->pages_fetched--;   /* not a page of its own */
		return true;
	}
	return false;
}

static void finish(loop *l, CURLMsg *m)
{
	kp_inspect_crawl *c = l->c;
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
	kp_inspect_url *u = &c->urls[x->id];
	long hv = 0;
	curl_easy_getinfo(m->easy_handle, CURLINFO_HTTP_VERSION, &hv);
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
	bool stopped_not_html = rc == CURLE_WRITE_ERROR && !x->over;
	if (rc != CURLE_OK && !stopped_not_html) {
		bool timeout;
		const char *why = curl_reason(rc, &timeout);
		bool big = x->over || rc == CURLE_FILESIZE_EXCEEDED;
		if (big && u->kind != KP_INSPECT_LINK_PAGE) {
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
	if (code >= 200 && code < 300 && u->kind == KP_INSPECT_LINK_PAGE &&
	    !u->nobody) {
		char hn[256];
		/* the homepage moved to another host (x.gov.cn → www.x.gov.cn):
		 * that host is the site too. */
		if (x->id == c->home && u->final_url &&
		    kp_inspect_url_host(u->final_url, hn, sizeof(hn)) &&
		    !in_scope(c, hn)) {
			host *nh = host_of(l, hn);
			if (!nh)
				nh = host_add(l, hn);
			nh->robots = 0;   /* ask its robots.txt like any site host */
			c->site.hosts = kp_xrealloc(c->site.hosts,
						    (c->site.nhosts + 1) * sizeof(char *));
			c->site.hosts[c->site.nhosts++] = kp_xstrdup(hn);
		}
		/* redirected off the site: not ours to parse; the same page
		 * under its directory's other name: parsed once */
		if ((!u->final_url ||
		     (kp_inspect_url_host(u->final_url, hn, sizeof(hn)) &&
		      in_scope(c, hn))) &&
		    !same_page(l, x->id, &x->body))
			dispatch(l, x->id, x, ctype);
	}
out:
	curl_multi_remove_handle(l->multi, m->easy_handle);
	if (l->npool < POOL) {
		/* a redirect leaves state behind (the Referer it set):
		 * such a handle starts over; x goes, so nothing may point
		 * into it */
		if (redirs) {
			curl_easy_reset(m->easy_handle);
			easy_defaults(l->o, m->easy_handle, l->env_proxy);
		}
		curl_easy_setopt(m->easy_handle, CURLOPT_ERRORBUFFER, NULL);
		curl_easy_setopt(m->easy_handle, CURLOPT_PRIVATE, NULL);
		curl_easy_setopt(m->easy_handle, CURLOPT_WRITEDATA, NULL);
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
	const kp_inspect_opts *o = l->o;
	kp_inspect_crawl *c = l->c;
	int started = 0;
	double t = now();
	/* due retries go back to their host's queue, at the front of work */
	for (size_t i = 0; i < l->nretries;) {
		if (l->retries[i].due <= t) {
			kp_inspect_url *u = &c->urls[l->retries[i].id];
			char hn[256];
			kp_inspect_url_host(u->url, hn, sizeof(hn));
			host *h = host_of(l, hn);
			if (h)
				fifo_push(u->kind == KP_INSPECT_LINK_PAGE && !u->nobody
						  ? &h->pages : &h->res,
					  l->retries[i].id);
			l->retries[i] = l->retries[--l->nretries];
		} else {
			i++;
		}
	}
	/* pages waiting for a parser hold memory: past a backlog of
	 * 2 × parallel, nothing new starts until the parsers catch up */
	if (l->parsing >= 2 * o->parallel)
		return 0;
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
			kp_inspect_url *u = &c->urls[id];
			if (u->state != U_QUEUED)
				continue;
			if (!robots_allows(h, u->url) && id != c->home) {
				u->state = U_SKIPPED;
				c->robots_skipped++;
				continue;
			}
			if (q == &h->pages && !u->tries &&
			    c->pages_fetched >= o->max_pages) {
				u->state = U_SKIPPED;
				continue;
			}
			if (q == &h->res && !u->tries &&
			    c->checks_started >= o->max_checks) {
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

static void start_parsers(loop *l)
{
	int n = l->o->threads;
	if (n == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus > 1 ? (int)(cpus - 1) : 1;
	}
	if (n < 0)
		n = 0;
	if (n > 8)
		n = 8;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	l->threads = kp_xcalloc((size_t)n + 1, sizeof(*l->threads));
	for (int i = 0; i < n; i++) {
		if (pthread_create(&l->threads[l->nthreads], NULL, parser_main, l))
			break;  /* fewer parsers; with none, the loop parses */
		l->nthreads++;
	}
}

static void stop_parsers(loop *l)
{
	job *j;
	if (!l->threads)
		return;
	pthread_mutex_lock(&l->mu);
	l->quit = true;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	for (int i = 0; i < l->nthreads; i++)
		pthread_join(l->threads[i], NULL);
	/* a run that stopped early: pages never recorded */
	while ((j = jobq_pop(&l->todo)))
		job_free(j);
	while ((j = jobq_pop(&l->done))) {
		kp_inspect_hits_free(j->pg->hits, j->pg->nhits);
		free(j->pg->title);
		free(j->pg);
		if (j->home)
			kp_inspect_doc_release(&j->doc);
		job_free(j);
	}
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l->threads);
	l->threads = NULL;
}

/* Each URL's click depth is the shortest way to it over the links the
 * crawl saw (the pages linking it, up to MAX_REFS of them): a page whose
 * depth fell after it was parsed gave its links the old one. */
static void depths_settle(kp_inspect_crawl *c)
{
	bool changed = true;
	for (int pass = 0; changed && pass < 256; pass++) {
		changed = false;
		for (size_t i = 0; i < c->nurls; i++) {
			kp_inspect_url *u = &c->urls[i];
			for (uint32_t k = 0; k < u->nrefs; k++) {
				unsigned d = c->urls[u->refs[k]].depth + 1u;
				if (d < u->depth) {
					u->depth = (uint8_t)d;
					changed = true;
				}
			}
		}
	}
}

/* Links to the second address of one page go to its first: columns and
 * list items find the page that was parsed. */
static void same_pages_merge(kp_inspect_crawl *c)
{
	if (!c->same_pages)
		return;
	for (size_t i = 0; i < c->nurls; i++) {
		kp_inspect_page *pg = c->urls[i].page;
		if (!pg)
			continue;
		for (size_t k = 0; k < pg->nnav; k++)
			if (c->urls[pg->nav[k].id].same_as != UINT32_MAX)
				pg->nav[k].id = c->urls[pg->nav[k].id].same_as;
		for (size_t k = 0; k < pg->nitem_ids; k++)
			if (c->urls[pg->item_ids[k]].same_as != UINT32_MAX)
				pg->item_ids[k] = c->urls[pg->item_ids[k]].same_as;
	}
}

int kp_inspect_crawl_run(kp_inspect_crawl *c, const char *start_url, kp_err *e)
{
	loop l;
	char hn[256];
	char *home = kp_inspect_url_resolve(NULL, start_url);
	double last_progress = 0;
	int rc = -1;
	if (!home || !kp_inspect_url_host(home, hn, sizeof(hn))) {
		free(home);
		return kp_fail(e, KP_EINPUT, "“%s”不是有效的网址（应以 http:// 或 https:// 开头）",
			       start_url);
	}
#ifdef __GLIBC__
	/* Every page allocates and frees some 50 KB (its body, its text,
	 * its links): glibc's default gives memory above 128 KB of free top
	 * back to the system and faults it in again a moment later, tens of
	 * thousands of page faults per inspection.  Keep it (the peak is
	 * the same). */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
#endif
	memset(&l, 0, sizeof(l));
	l.c = c;
	l.env_proxy = proxy_in_env();
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
	/* keep every idle connection: by default the cache holds 4 × the
	 * handles added at the moment, and closes the rest whenever the
	 * transfers in flight dip */
	curl_multi_setopt(l.multi, CURLMOPT_MAXCONNECTS, (long)c->o->parallel);
	curl_multi_setopt(l.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	see(&l, UINT32_MAX, home, strlen(home), KP_INSPECT_LINK_PAGE, 0);
	free(home);
	c->home = 0;
	for (size_t i = 0; i < c->site.ncols; i++)
	{
		c->site.cols[i].abs = kp_inspect_url_resolve(c->urls[0].url,
						      c->site.cols[i].url);
		/* a configured column is crawled even when nothing links it */
		if (c->site.cols[i].abs)
			see(&l, UINT32_MAX, c->site.cols[i].abs,
			    strlen(c->site.cols[i].abs), KP_INSPECT_LINK_PAGE, 1);
	}
	start_parsers(&l);
	while (work_left(&l)) {
		int running = 0, numfds = 0, left;
		CURLMsg *m;
		collect(&l);
		fill(&l);
		if (!l.inflight) {
			/* waiting for a parser (it wakes us), a retry or a
			 * politeness delay */
			if (work_left(&l) && !help_parse(&l))
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
		if (running && !done) {
			curl_multi_poll(l.multi, NULL, 0, 0, &numfds);
			if (!numfds && !help_parse(&l))
				curl_multi_poll(l.multi, NULL, 0, 100, &numfds);
		}
		if (now() - last_progress > 0.2) {
			last_progress = now();
			progress(&l);
		}
	}
	progress(&l);
	same_pages_merge(c);
	depths_settle(c);
	rc = 0;
out:
	stop_parsers(&l);
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

void kp_inspect_crawl_release(kp_inspect_crawl *c)
{
	for (size_t i = 0; i < c->nurls; i++) {
		kp_inspect_url *u = &c->urls[i];
		free(u->final_url);
		free(u->error);
		if (u->page) {
			for (size_t k = 0; k < u->page->nnav; k++)
				free(u->page->nav[k].text);
			free(u->page->nav);
			kp_inspect_hits_free(u->page->hits, u->page->nhits);
			free(u->page->title);
			free(u->page);
		}
	}
	free(c->urls);
	free(c->hash);
	while (c->arena) {
		struct kp_inspect_block *b = c->arena;
		c->arena = b->next;
		free(b);
	}
	if (c->home_parsed)
		kp_inspect_doc_release(&c->home_doc);
	kp_inspect_site_release(&c->site);
	memset(c, 0, sizeof(*c));
}
