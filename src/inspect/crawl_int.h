/*
 * inspect/crawl_int.h — internal to the crawler's files: what the fetch
 * loop, its URL table, its hosts and scope, and its parser threads share.
 *
 *	crawl_urls.c     the URL table: one kp_inspect_url per URL seen,
 *	                 found through an open-addressing hash, its strings
 *	                 and reference lists in an arena; "/" and
 *	                 "/index.html" as one page; click depths settled
 *	crawl_scope.c    hosts and their queues, robots.txt, traps (calendar
 *	                 and query loops), scope: which URL is fetched, how
 *	                 (GET or HEAD) and whether at all (kp_inspect_see)
 *	crawl_workers.c  parser threads: a finished body becomes a job, a
 *	                 parser extracts and resolves its links, the loop
 *	                 records them (the only writer of the URL table)
 *	crawl_guard.c    safe targets: the address of every connection checked
 *	crawl_limits.c   the limits that left URLs unfetched, for the result
 *	crawl_scripts.c  the homepage's same-site scripts, for the footer
 *	                 text they write
 *	crawl.c          transfers and the libcurl multi loop
 *
 * Only the loop's thread touches the loop, the hosts and the URL table;
 * a parser touches its job and reads the options and site settings.
 */
#ifndef KP_INSPECT_CRAWL_INT_H
#define KP_INSPECT_CRAWL_INT_H

#include "inspect/inspect_int.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sys/socket.h>

typedef struct fifo {
	uint32_t *v;
	size_t head, n, cap;
} fifo;

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

/* Where the crawl may connect (crawl_guard.c). */
#define KP_INSPECT_GUARD_OWN 16
typedef struct kp_inspect_guard {
	bool on;              /* checked (off behind a proxy) */
	bool allow_private;   /* --allow-private or "private,allow" */
	struct sockaddr_storage own[KP_INSPECT_GUARD_OWN];  /* the named
			       * host's addresses, with its port */
	size_t nown;
} kp_inspect_guard;

typedef struct xfer {
	uint32_t id;
	host *h;
	CURL *easy;
	kp_buf body;
	bool robots, over;
	bool attach;          /* an attachment read for its text: any
			       * Content-Type kept (attach.c) */
	bool may_attach;      /* a page's GET: a Content-Type of an
			       * attachment makes it one */
	const kp_inspect_guard *guard;
	struct curl_slist *hdrs;   /* conditional request headers, or NULL */
	char *cached_ctype;   /* a 304's Content-Type, from the cache */
	char refused[64];     /* the address the guard refused, or "" */
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
	/* links too long to resolve (over 2,048 bytes): each one's hash
	 * and length, for the loop to count once as a trap */
	uint64_t *long_refs;
	size_t nlong_refs;
	/* an attachment (attach.c): its text's hits, or why it was not read */
	bool attach;
	kp_inspect_hit *hits;
	size_t nhits;
	const char *why;
} job;

typedef struct jobq {
	job *head, *tail;
} jobq;

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
	struct curl_slist *resolve;  /* KP_TEST_RESOLVE, or NULL */
	kp_inspect_guard guard;
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

/* ---- crawl_urls.c: the URL table ---- */
uint32_t kp_inspect_urls_hash(const char *url, size_t n);
/* The id of url[0..n) (NUL-terminated at n), whose kp_inspect_urls_hash
 * is h, added (copied into the arena) when new; *isnew set. */
uint32_t kp_inspect_urls_intern(kp_inspect_crawl *c, const char *url, size_t n,
				uint32_t h, bool *isnew);
/* The id of url[0..n) with hash h, or UINT32_MAX. */
uint32_t kp_inspect_urls_find_h(const kp_inspect_crawl *c, const char *url,
				size_t n, uint32_t h);
uint32_t kp_inspect_urls_find(const kp_inspect_crawl *c, const char *url);
/* Page `from` links u (the first MAX_REFS pages are kept, all counted). */
void kp_inspect_urls_add_ref(kp_inspect_crawl *c, kp_inspect_url *u, uint32_t from);
/* Page id was fetched with body: true when it is another address of a
 * page of its directory's default names with the very same body (then
 * not counted as a page of its own). */
bool kp_inspect_urls_same_page(kp_inspect_crawl *c, uint32_t id, const kp_buf *body);
/* After the crawl: links to a page's second address go to its first,
 * and each URL's click depth is its shortest way from the homepage. */
void kp_inspect_urls_merge_same(kp_inspect_crawl *c);
void kp_inspect_urls_settle_depths(kp_inspect_crawl *c);

/* ---- crawl_scope.c: hosts, robots.txt, traps, scope ---- */
void kp_inspect_fifo_push(fifo *f, uint32_t id);
uint32_t kp_inspect_fifo_pop(fifo *f);
host *kp_inspect_host_add(loop *l, const char *name);
host *kp_inspect_host_of(loop *l, const char *name);
void kp_inspect_host_free(host *h);
void kp_inspect_robots_parse(host *h, const char *txt);
bool kp_inspect_robots_allows(const host *h, const char *url);
/* hostname is one of the site's hosts. */
bool kp_inspect_scope_has(const kp_inspect_crawl *c, const char *hostname);
/* Record a link from page `from` (UINT32_MAX: none) to url[0..n) (a
 * normalised URL, NUL-terminated at n, whose kp_inspect_urls_hash is
 * hash) as `kind` at `depth`: its id, queued when it is new and to be
 * fetched; UINT32_MAX when it has no host.  kp_inspect_see reckons the
 * hash itself. */
uint32_t kp_inspect_see_h(loop *l, uint32_t from, const char *url, size_t n,
			  uint32_t hash, int kind, int depth);
uint32_t kp_inspect_see(loop *l, uint32_t from, const char *url, size_t n,
			int kind, int depth);
/* A column check's page id, left unfetched as not one of its pages
 * (SKIP_ONLY), queued after all: an article of a list without dates. */
void kp_inspect_queue_only(loop *l, uint32_t id);
/* The crawl is a column check and id one of its columns' pages. */
bool kp_inspect_only_column(const kp_inspect_crawl *c, uint32_t id);

/* ---- crawl_scripts.c ---- */
/* After the crawl: the same-site scripts the homepage loads, fetched
 * (bounded) and read into c->home_doc as footer text they write. */
void kp_inspect_home_scripts(loop *l);

/* ---- crawl_workers.c: parser threads ---- */
/* Start the parsers o->threads asks for (none: the loop parses). */
void kp_inspect_parsers_start(loop *l);
/* Stop and join them; jobs never recorded are freed. */
void kp_inspect_parsers_stop(loop *l);
/* Hand page id, whose body x holds (taken), to a parser, or parse it
 * here when there are none. */
void kp_inspect_parse_dispatch(loop *l, uint32_t id, xfer *x, const char *ctype);
/* Record every page the parsers have finished. */
void kp_inspect_parse_collect(loop *l);
/* Parse a page waiting for a parser on the loop's thread; whether one
 * was. */
bool kp_inspect_parse_help(loop *l);

/* ---- crawl_cache.c: incremental re-inspection (opts.cache) ---- */
/* The conditional headers for page u (NULL: ask unconditionally): only
 * for a page the cache holds, with validators, that is not a list page. */
struct curl_slist *kp_inspect_cache_headers(loop *l, const kp_inspect_url *u);
/* x was answered 304: its body becomes the cached one and *ctype the
 * cached Content-Type; false when the cache no longer has it. */
bool kp_inspect_cache_reuse(loop *l, xfer *x, const kp_inspect_url *u,
			    char **ctype);
/* Page u came whole with a 2xx body in x: give it to the cache. */
void kp_inspect_cache_put(loop *l, xfer *x, const kp_inspect_url *u,
			  const char *ctype);

/* ---- crawl_guard.c: safe targets ---- */
/* Loopback, private, CGNAT, link-local (metadata), multicast, reserved. */
bool kp_inspect_addr_special(const struct sockaddr *sa);
/* The named host of home (its addresses now, by resolve first, with its
 * port) is the site's own; allow_private lets any address through. */
void kp_inspect_guard_init(kp_inspect_guard *g, const char *home, bool allow_private,
			   const struct curl_slist *resolve);
bool kp_inspect_guard_own(const kp_inspect_guard *g, const struct sockaddr *sa);
/* The same for an address as text (CURLINFO_PRIMARY_IP) and a port. */
bool kp_inspect_guard_own_ip(const kp_inspect_guard *g, const char *ip, long port);
/* CURLOPT_OPENSOCKETFUNCTION; clientp is the transfer's xfer, whose
 * refused names the address when it says no. */
curl_socket_t kp_inspect_guard_open(void *clientp, curlsocktype purpose,
				    struct curl_sockaddr *a);
/* KP_TEST_RESOLVE as a CURLOPT_RESOLVE list (caller frees with
 * curl_slist_free_all), or NULL. */
struct curl_slist *kp_inspect_test_resolve(void);
/* b (a host, ":port" ignored) is under a's registrable domain (www.x.gov.cn
 * and x.gov.cn share x.gov.cn; an address shares none). */
bool kp_inspect_same_registrable(const char *a, const char *b);

#endif
