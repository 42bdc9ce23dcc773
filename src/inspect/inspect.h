/*
 * inspect — the website inspector: crawl one government site, find its
 * columns (栏目), date their lists, check links and the standard elements,
 * and turn what it saw into findings.
 *
 * How to use it.
 *
 *	kp_inspect_opts o;  kp_inspect_opts_init(&o);  o.as_of = kp_inspect_date_parse("2024-06-30");
 *	kp_inspect_result *r;
 *	if (kp_inspect_run("http://www.example.gov.cn/", &o, &r, &err) < 0) …
 *	… r->pages_crawled, r->columns, r->dead, r->findings …
 *	json_t *j = kp_inspect_result_json(r);
 *	kp_inspect_result_free(r);
 *
 * The pieces, one file each:
 *	html_tok.c a streaming tokenizer after the WHATWG tokenization rules
 *	           (no tree; html_int.h is what it shares with html.c);
 *	html.c     the extractor built on it: links of every kind, visible
 *	           text, title, meta tags, list items and their dates,
 *	           navigation links, pagination;
 *	text.c     charsets (HTTP header, BOM, <meta charset>; GBK, GB2312 and
 *	           GB18030 to UTF-8; bad bytes become U+FFFD, never an error),
 *	           dates in every common form, URL normalisation and traps;
 *	crawl.c    the libcurl multi loop (the shape of curl's own
 *	           tool_operate.c: bounded transfers in flight, curl_multi_poll,
 *	           drain curl_multi_info_read, CURLINFO_PRIVATE back to the
 *	           state, retries scheduled rather than slept) and limits,
 *	           with crawl_urls.c (the URL table), crawl_scope.c (hosts,
 *	           robots.txt, traps, scope), crawl_workers.c (parser
 *	           threads), crawl_guard.c (safe targets: no other host on a
 *	           private address) and crawl_limits.c (whatever limit left
 *	           URLs unfetched, said) — crawl_int.h tells how they share
 *	           the work;
 *	site.c     the per-site config (--site-config) and the list items
 *	           its items (regex) and xpath lines give a column's page —
 *	           the only pages built into a tree (libxml2);
 *	checks.c   column discovery and classification (data/inspect/
 *	           column-classes.csv) and the checks table: every check is a
 *	           row {name, label, function};
 *	keys.c     a finding's identity across inspections (check + key),
 *	           so a re-inspection can say what is new and what was fixed;
 *	facts.c    an inspection's findings as facts of an indicator table
 *	           (data/inspect/facts-map.csv: check → indicator).
 *
 * Ownership: a kp_inspect_result owns everything reachable from it; kp_inspect_result_free
 * frees it.  Strings in it are UTF-8, already converted from the page's
 * charset.  Nothing here prints; progress goes to the caller's callback.
 */
#ifndef KP_INSPECT_H
#define KP_INSPECT_H

#include "base/base.h"

#include <stdatomic.h>
#include <jansson.h>

/* ---- dates: days since 1970-01-01 (0 = none) ---- */
typedef kp_date kp_inspect_date;   /* base's day: days since 1970, 0 none */
kp_inspect_date kp_inspect_date_from_ymd(int y, int m, int d);  /* 0 if invalid */
void kp_inspect_date_ymd(kp_inspect_date d, int *y, int *m, int *dd);
/* "2024-06-30"; 0 when not a date. */
kp_inspect_date kp_inspect_date_parse(const char *s);
/* buf >= 16: "2024-06-30", or "" for 0. */
const char *kp_inspect_date_str(kp_inspect_date d, char *buf);
/* The newest date written in text[0..n): 2023-07-13, 2023/7/13,
 * 2023.07.13, 2023年07月13日, [07-13] (year from as_of: the latest year
 * that does not put it after as_of).  Dates after as_of + 1 day are
 * ignored.  0 when none. */
kp_inspect_date kp_inspect_date_find(const char *text, size_t n, kp_inspect_date as_of);
/* The same for a list item: the newest full date (a year written),
 * and only when there is none, 0 with the month and day of the newest
 * year-less one in *md (m * 100 + d; 0 when none either), for the
 * caller to find its year from what else the page says. */
kp_inspect_date kp_inspect_date_find_full(const char *text, size_t n,
				    kp_inspect_date as_of, int *md);
/* A publication stamp: text[0..n) is a full date and a time and nothing
 * else ("2021年06月10日 17:35", "2020年09月15日 09时32分",
 * "2024-03-01 08:00:00"), spaces aside.  0 when it is not. */
kp_inspect_date kp_inspect_date_stamp(const char *text, size_t n);
/* The date an article URL carries: TRS's "tYYYYMMDD_" file name (the
 * whole date; *year its year), or a "/YYYYMM/" directory (0, *year
 * set).  0 and *year 0 when neither. */
kp_inspect_date kp_inspect_url_date(const char *url, size_t n, int *year);

/* Which evidence decided a date (the JSON's date_source): a full date
 * in the list item; the year in its article's URL; the list's order
 * (newest first); the as-of day (the latest such day not after it, when
 * nothing else decides); a label (发布时间：); an unlabelled stamp
 * (2021年06月10日 17:35); the PubDate meta; the linked articles' dates;
 * the site config's items. */
enum kp_inspect_date_source {
	KP_INSPECT_DS_NONE, KP_INSPECT_DS_ITEM, KP_INSPECT_DS_URL,
	KP_INSPECT_DS_ORDER, KP_INSPECT_DS_AS_OF, KP_INSPECT_DS_LABEL,
	KP_INSPECT_DS_STAMP, KP_INSPECT_DS_META, KP_INSPECT_DS_ARTICLE,
	KP_INSPECT_DS_CONFIG
};
/* "item", "url", "order", "as_of", "label", "stamp", "meta", "article",
 * "config"; "" for none. */
const char *kp_inspect_date_source_name(int s);

/* ---- charset ---- */
/* Convert body to UTF-8 into out.  content_type may be NULL.  Invalid
 * bytes become U+FFFD.  Sets *charset (static string) to what was used. */
int kp_inspect_to_utf8(const char *body, size_t n, const char *content_type,
		kp_buf *out, const char **charset);
/* Replace invalid UTF-8 in p[0..n) by U+FFFD, appending to out. */
int kp_inspect_utf8_sanitize(const char *p, size_t n, kp_buf *out);
/* True when kp_inspect_to_utf8(body, n, content_type, …) would set the charset to
 * "UTF-8" and append exactly body[0..n): no BOM, UTF-8 or no charset
 * declared, and every byte valid UTF-8.  The caller may then read body
 * itself as the page's UTF-8 text (not NUL-terminated unless body is)
 * instead of copying it. */
bool kp_inspect_utf8_in_place(const char *body, size_t n, const char *content_type);

/* ---- URLs ---- */
/* Resolve ref against base and normalise (lower-case scheme and host,
 * default port dropped, dot segments resolved, fragment and session-id
 * parameters removed).  Returns a malloc'd URL, or NULL when ref is not
 * an http(s) URL or looks like JavaScript-built text. */
char *kp_inspect_url_resolve(const char *base, const char *ref);
/* The same into out[cap] (no allocation): the URL's length, or 0 (out
 * "") when it is not one or does not fit.  For many links against one
 * base, kp_inspect_base_init once and kp_inspect_url_resolve_base_to each. */
size_t kp_inspect_url_resolve_to(const char *base, const char *ref, char *out,
			  size_t cap);
/* A base URL read once for resolving the links of one page: where its
 * authority, directory and path end, and its origin ("http://host:port")
 * normalised.  Filled by kp_inspect_base_init (no allocation); it points into
 * base, which must outlive it and not change.  The fields are text.c's. */
typedef struct kp_inspect_base {
	const char *url;          /* base as given (may be NULL) */
	bool fast;                /* the fields below are set */
	bool same;                /* an absolute reference to url's origin,
				     written alike, takes the fast path */
	bool dots_dir, dots_path; /* '.' after '/', or ';', in them */
	size_t auth, dir, query;  /* ends of authority, directory, path */
	size_t origin_len;
	char origin[272];
} kp_inspect_base;
void kp_inspect_base_init(kp_inspect_base *b, const char *base);
/* The same bytes as kp_inspect_url_resolve_to(b's base, ref, out, cap), without
 * reading the base again: for all the links of a page. */
size_t kp_inspect_url_resolve_base_to(const kp_inspect_base *b, const char *ref, char *out,
			       size_t cap);
/* Host (lower-case, with ":port" when not default) of url into buf. */
bool kp_inspect_url_host(const char *url, char *buf, size_t n);
/* Why url is a trap (growing or repeating path, overlong), or NULL. */
const char *kp_inspect_url_trap(const char *url);
/* A government portal's domain as a person writes it ("example.gov.cn",
 * "www.example.gov.cn", "http://www.example.gov.cn/") into out[n]:
 * lower-case, no port, no trailing dot, a leading "www." dropped (the
 * portal's domain, not its homepage's host).  False when it is not a
 * domain name (empty label, a character other than letters, digits,
 * '-' and UTF-8, no dot, too long). */
bool kp_inspect_domain_norm(const char *in, char *out, size_t n);
/* host (":port" ignored, case ignored) is domain or a subdomain of it,
 * at a label boundary: www.x.gov.cn is under x.gov.cn, evilx.gov.cn is
 * not. */
bool kp_inspect_host_under(const char *host, const char *domain);
/* The length of host without its ":port" (an IPv6 literal keeps its
 * brackets). */
size_t kp_inspect_host_len(const char *host);

/* ---- HTML extraction ---- */
enum kp_inspect_link_kind {
	KP_INSPECT_LINK_PAGE, KP_INSPECT_LINK_IMAGE, KP_INSPECT_LINK_SCRIPT, KP_INSPECT_LINK_STYLE,
	KP_INSPECT_LINK_FRAME, KP_INSPECT_LINK_ATTACHMENT, KP_INSPECT_LINK_COUNT
};
const char *kp_inspect_link_kind_name(int kind);     /* page, image, … */
const char *kp_inspect_link_kind_label(int kind);    /* 页面, 图片, … */

typedef struct kp_inspect_link {
	char *url;      /* as written (not resolved) */
	char *text;     /* anchor text or alt, trimmed; "" when none; a
			 * script's <script charset> */
	uint8_t kind;
	bool nav;       /* inside a navigation container */
} kp_inspect_link;

typedef struct kp_inspect_item {
	char *text;     /* the item's text, trimmed, capped */
	char *href;     /* its first link, as written, or NULL */
	kp_inspect_date date;  /* 0: no date */
	uint8_t date_source;   /* enum kp_inspect_date_source */
	bool short_text;       /* undated, under 8 characters: kept only in
				* a list of many (a directory of names) */
	uint16_t md;           /* a year-less date's m * 100 + d, else 0 */
	uint32_t list;         /* items of one list share it (html.c) */
} kp_inspect_item;

enum kp_inspect_meta_key {
	KP_INSPECT_META_SITENAME, KP_INSPECT_META_SITEDOMAIN, KP_INSPECT_META_SITEIDCODE,
	KP_INSPECT_META_COLUMNNAME, KP_INSPECT_META_COLUMNTYPE, KP_INSPECT_META_ARTICLETITLE,
	KP_INSPECT_META_PUBDATE, KP_INSPECT_META_CONTENTSOURCE, KP_INSPECT_META_COUNT
};
const char *kp_inspect_meta_name(int key);

typedef struct kp_inspect_doc {
	char *title;
	char *meta[KP_INSPECT_META_COUNT];   /* NULL when absent */
	char *charset_meta;           /* <meta charset>, NULL when absent */
	kp_buf text;                  /* visible text, spaces collapsed */
	kp_buf blocks;                /* the same for matching (its tail):
				       * inline elements joined without a
				       * space, a line break between blocks;
				       * what the footer rules read */
	bool no_blocks;               /* set before extracting: blocks not
				       * built (the crawler reads the footer
				       * of the homepage only) */
	char *script_blocks;          /* blocks of the text same-site
				       * scripts write (kp_inspect_doc_add_script),
				       * or NULL */
	char *script_url;             /* the first such script */
	bool script_party_mark;       /* a script writes the 党政机关 mark */
	struct kp_inspect_hit *hits;  /* content checks' hits in its text */
	size_t nhits;
	const struct kp_inspect_words *words;  /* an office's word list for
				       * the content checks (borrowed; set
				       * before extracting), or NULL */
	kp_inspect_link *links;
	size_t nlinks, cap_links;
	size_t links_dropped;         /* over max_links */
	kp_inspect_item *items;
	size_t nitems, cap_items;
	int pages;                    /* pagination: pages of this list, >= 1 */
	kp_inspect_date labelled_date;       /* 发布时间/发布日期 label, an
					 * unlabelled stamp, or PubDate */
	uint8_t labelled_source;      /* LABEL, STAMP or META */
	bool has_search;              /* a search form or box */
	char *base;                   /* <base href>, NULL when absent */
	char *refresh;                /* <meta http-equiv=refresh> target */
	struct kp_inspect_arena *arena;      /* owns the links' url and text */
} kp_inspect_doc;

/* Extract from UTF-8 html.  max_links caps links kept (0: 100000). */
void kp_inspect_doc_init(kp_inspect_doc *d);
int kp_inspect_html_extract(const char *html, size_t n, kp_inspect_date as_of,
		     size_t max_links, kp_inspect_doc *d);
void kp_inspect_doc_release(kp_inspect_doc *d);

/* A footer written by a same-site script (footer.c).  The HTML that
 * script text js[0..n) (UTF-8: decoded in the charset its <script
 * charset> or its HTTP header gives) writes with document.write or
 * writeln: their string-literal arguments joined, unescape(…) applied.
 * malloc'd, NULL when it writes none. */
char *kp_inspect_script_html(const char *js, size_t n);
/* Read that HTML into d as the footer text of script url: the footer
 * rules read it after the page's own (d->script_blocks, script_url,
 * script_party_mark).  For the crawler: fetch each same-site script the
 * homepage loads (<script src>) and call this with its text. */
void kp_inspect_doc_add_script(kp_inspect_doc *d, const char *url, const char *js,
			       size_t n);

/* ---- content checks (content.c) ---- */
/* What a page's text must not say: personal data exposed (the value
 * masked: 5104**********1234), serious wording errors
 * (data/inspect/wording.csv: wrong form → correct form) and common typos
 * (data/inspect/typos.csv, reported as 疑似). */
enum kp_inspect_hit_kind {
	KP_INSPECT_HIT_NONE, KP_INSPECT_HIT_ID, KP_INSPECT_HIT_MOBILE,
	KP_INSPECT_HIT_CARD, KP_INSPECT_HIT_WORDING, KP_INSPECT_HIT_TYPO
};
#define KP_INSPECT_HITS_MAX 20    /* per page */
typedef struct kp_inspect_hit {
	uint8_t kind;
	char *value;    /* the number masked, or the wrong form */
	char *fix;      /* the correct form (and its note), or NULL */
	char *snippet;  /* the text around it, the number masked */
} kp_inspect_hit;
/* Append text[0..n)'s hits to (*h)[*nh…] (malloc'd array; caller frees
 * with kp_inspect_hits_free), at most KP_INSPECT_HITS_MAX, each value
 * once.  Thread-safe. */
void kp_inspect_content_scan(const char *text, size_t n, kp_inspect_date as_of,
			     kp_inspect_hit **h, size_t *nh);
void kp_inspect_hits_free(kp_inspect_hit *h, size_t n);
/* An office's own word list (the form of data/inspect/wording.csv:
 * wrong,correct[,note]), searched with the bundled one: *w is created
 * when NULL, a later file adds to it; errors name the file and line.
 * Free with kp_inspect_words_free. */
typedef struct kp_inspect_words kp_inspect_words;
int kp_inspect_words_load(kp_inspect_words **w, const char *path, kp_err *e);
void kp_inspect_words_free(kp_inspect_words *w);
size_t kp_inspect_words_count(const kp_inspect_words *w);
/* kp_inspect_content_scan with an office's words too (office may be
 * NULL). */
void kp_inspect_content_scan_words(const kp_inspect_words *office, const char *text,
				   size_t n, kp_inspect_date as_of, kp_inspect_hit **h,
				   size_t *nh);

/* 公民身份号码, 手机号码, 银行卡号, 严重表述错误, 疑似错别字 */
const char *kp_inspect_hit_label(int kind);
/* s[0..18) is a resident ID number: 17 digits and a check digit (or X)
 * that agree (GB 11643), its birth date a real day, not after as_of
 * (when given). */
bool kp_inspect_id_valid(const char *s, kp_inspect_date as_of);
/* digits s[0..n) pass Luhn's check (bank cards). */
bool kp_inspect_luhn(const char *s, size_t n);

/* ---- attachments' text (attach.c) ---- */
/* Which attachments are read for the content checks: what the
 * Content-Type (may be NULL) says, else the URL's extension (.pdf, .docx,
 * .xlsx); 0 for none of them. */
enum { KP_INSPECT_ATTACH_PDF = 1, KP_INSPECT_ATTACH_OOXML };
int kp_inspect_attach_kind(const char *url, const char *ctype);
/* Append the text of attachment body[0..n) (.docx, .xlsx by libzip and
 * libxml2, .pdf by pdftotext; told apart by their first bytes) to text:
 * 0, or -1 with *why (a static Chinese reason) when it is not read.
 * Bounded: entries, bytes inflated, text kept, pdftotext's time. */
int kp_inspect_attach_text(const char *body, size_t n, kp_buf *text, const char **why);

/* The raw tokenizer, for the tests and the fuzzer. */
enum kp_inspect_tok { KP_INSPECT_TOK_START, KP_INSPECT_TOK_END, KP_INSPECT_TOK_TEXT, KP_INSPECT_TOK_COMMENT };
typedef struct kp_inspect_attr {
	const char *name, *value;   /* name lower-case; value decoded */
} kp_inspect_attr;
typedef struct kp_inspect_token {
	int type;
	const char *name;           /* tag name, lower-case */
	const char *text;           /* TEXT/COMMENT: decoded text, len
				     * bytes (not NUL-terminated) */
	size_t len;
	kp_inspect_attr *attrs;
	size_t nattrs;
	bool self_closing;
	int tag;                    /* START/END: html.c's id of name (its
				     * extractor's, saving a lookup) */
} kp_inspect_token;
typedef int (*kp_inspect_tok_fn)(const kp_inspect_token *t, void *ctx);
/* Tokenize; the callback returning non-zero stops.  Returns 0. */
int kp_inspect_tokenize(const char *html, size_t n, kp_inspect_tok_fn fn, void *ctx);

/* ---- column classes ---- */
/* Class of a column by its name ("通知公告" …, "其他" when none matches). */
const char *kp_inspect_column_class(const char *name);
/* Days after which a column of this class is stale. */
int kp_inspect_class_stale_days(const char *cls);

/* ---- the run ---- */
typedef struct kp_inspect_progress {
	size_t fetched, queued, errors, inflight;
	double elapsed;
} kp_inspect_progress;

/* Incremental re-inspection: the caller's page cache (round keeps it in
 * the store).  get fills out with what an earlier inspection saw of url
 * (strings valid until the next get) and returns 1, or 0 when it has
 * nothing; put receives each page fetched with a 2xx body this time
 * (its ETag and Last-Modified, "" none), not those answered 304.  Both
 * are called on the crawl loop's thread only.  A page the cache holds
 * that is not a list page is asked for conditionally (If-None-Match,
 * If-Modified-Since); a 304 answer is read from the cached body, exactly
 * as if fetched, so the result is a full inspection's.  List pages (the
 * homepage, columns) are always fetched whole. */
typedef struct kp_inspect_cached {
	const char *etag, *last_modified, *ctype;
	const char *body;
	size_t len;
	bool list;
} kp_inspect_cached;

typedef struct kp_inspect_cache {
	int (*get)(void *ctx, const char *url, bool want_body,
		   kp_inspect_cached *out);
	void (*put)(void *ctx, const char *url, const char *etag,
		    const char *last_modified, const char *ctype,
		    const char *body, size_t len);
	void *ctx;
	bool conditional;   /* get answers (an incremental inspection);
			     * false: the cache only records (a full one) */
} kp_inspect_cache;

typedef struct kp_inspect_opts {
	kp_inspect_date as_of;            /* 'today' */
	size_t max_pages;          /* HTML pages fetched (default 1,000,000:
				    * a safety cap; the whole site is the
				    * default) */
	size_t max_checks;         /* other resources checked (default 4*pages) */
	int max_depth;             /* clicks from the homepage (default 64) */
	int parallel;              /* transfers in flight (default 16) */
	int per_host;              /* per host (default 6) */
	long delay_ms;             /* between requests to one host (default 0) */
	long timeout_ms;           /* per transfer (default 15000) */
	int retries;               /* default 3 */
	int max_redirs;            /* default 5 */
	size_t max_body;           /* bytes, decoded (default 8 MB) */
	size_t max_links;          /* per page (default 20000) */
	size_t attach_max;         /* bytes: attachments (.pdf, .docx,
				    * .xlsx) on the site's hosts fetched up
				    * to this and their text checked like a
				    * page's (default 20 MB; 0: not read) */
	const char *words;         /* an office's word list file (the form
				    * of data/inspect/wording.csv), besides
				    * the bundled one and the site config's
				    * wording line; or NULL */
	bool ignore_robots;
	bool external;             /* also check links to other sites */
	bool allow_private;        /* other hosts (redirects, --external
				    * links, configured hosts) may be on
				    * loopback, private or link-local
				    * addresses: an intranet of linked sites */
	bool h2c;                  /* HTTP/2 without TLS from the first byte
				    * ("prior knowledge"); HTTPS negotiates
				    * HTTP/2 by ALPN in any case */
	int threads;               /* page parsers besides the fetch loop;
				    * 0: one per core beyond the first, at
				    * least 1; -1: parse in the loop */
	const char *site_config;   /* file, or NULL */
	const char *portal;        /* the government portal's domain (a
				    * department's site should be under it),
				    * or NULL; overrides the config's
				    * portal line */
	const char *required;      /* table id or file, or NULL */
	const char *unit;          /* unit name in that table, or NULL */
	const char *user_agent;
	long max_seconds;          /* start nothing new after this many
				    * seconds (0: no limit) */
	void (*progress)(const kp_inspect_progress *p, void *ctx);
	void *progress_ctx;
	const atomic_int *stop;    /* when set and non-zero: start nothing
				    * new, as when max_seconds is up (another
				    * thread asks the crawl to end: web
				    * server shutdown) */
	const kp_inspect_cache *cache;   /* NULL: a full inspection */
	/* Politeness shared beyond this crawl (monitor's workers keep one
	 * gap per host through their store): called on the loop's thread
	 * before each request (robots.txt included) with the URL it asks
	 * for; *wait_ms 0 (set before the call): it starts now; > 0: it and
	 * the rest of its host's queue wait that long, while other hosts'
	 * requests go on, and then ask again.  A negative return is taken
	 * as 0 (the crawl's own delay_ms still holds).  NULL: only
	 * delay_ms, per crawl. */
	int (*host_take)(void *ctx, const char *url, int64_t *wait_ms);
	void *host_ctx;
} kp_inspect_opts;
void kp_inspect_opts_init(kp_inspect_opts *o);

typedef struct kp_inspect_column {
	char *name, *url, *cls;
	kp_inspect_date latest;
	uint8_t date_source;       /* what decided latest (enum
				    * kp_inspect_date_source) */
	size_t items, undated;
	int pages;
	int status;                /* HTTP status of its page, 0 if not fetched */
	bool blank, stale, long_stale, required_match;
} kp_inspect_column;

typedef struct kp_inspect_dead {
	char *url;
	int status;                /* HTTP status, 0 for none */
	char *error;               /* Chinese reason */
	int kind;                  /* enum kp_inspect_link_kind */
	bool confirmed;            /* 404/410 */
	bool timeout;
	bool external;             /* on another site (--external) */
	char *final_url;           /* where its redirects led, or NULL */
	int redirects;             /* how many it went through */
	char **found_on;
	size_t nfound, total_found;
} kp_inspect_dead;

typedef struct kp_inspect_finding {
	char *check, *severity, *message;   /* severity: 否决, 严重, 一般, 提示 */
	char *url, *snippet;
	kp_inspect_date when;
} kp_inspect_finding;   /* what a person reads for check is its title,
			 * kp_inspect_check_title(check): 栏目更新, 死链 */

typedef struct kp_inspect_footer {
	char *site_id_code, *icp, *police_record, *sponsor, *contact;
	char *from_script;         /* the script URL some of these came
				    * from (document.write), or NULL */
	bool party_gov_mark, zhaocuo_entry, sitemap, accessibility, search;
} kp_inspect_footer;

typedef struct kp_inspect_result {
	char *site;                 /* the homepage URL as given, normalised */
	kp_inspect_date as_of;
	size_t pages_crawled, resources_checked, errors;
	/* with a page cache: pages asked for conditionally, answered 304
	 * (read from the cache), and downloaded whole (pages_crawled minus
	 * the 304s; without a cache, pages_crawled) */
	size_t pages_conditional, pages_not_modified, pages_downloaded;
	bool incremental;           /* opts.cache->conditional */
	double seconds;
	struct {
		char *url, *final_url, *title;
		int status;
		double seconds;
		kp_inspect_date latest;
		uint8_t date_source;
		char *meta[KP_INSPECT_META_COUNT];
		const char *http_version;   /* "1.1", "2" …; NULL unknown */
	} home;
	size_t http_versions[4];    /* transfers by version: 1.0, 1.1, 2, 3 */
	struct kp_inspect_same {           /* one page at two addresses */
		char *url, *same_as;
	} *same;
	size_t nsame;
	struct kp_inspect_redirect {       /* a URL answered by redirects */
		char *url, *final_url;  /* final_url NULL when unknown */
		int count;
	} *redirects;               /* the first 100 */
	size_t nredirects, total_redirects;
	struct {
		char *host;             /* the site's host, no port */
		char *portal;           /* its government portal's domain, or NULL */
		bool under_portal;      /* host is portal or under it */
	} domain;
	kp_inspect_footer footer;
	kp_inspect_column *columns;
	size_t ncolumns;
	kp_inspect_dead *dead;
	size_t ndead;
	kp_inspect_finding *findings;
	size_t nfindings, cap_findings;
	size_t traps, robots_skipped, refused_big;
	/* Whether the crawl saw the whole site: every URL it found was
	 * fetched or checked.  Each limit that left some unfetched is a row
	 * of limits (crawl_limits.c), in this order: max_pages, max_depth,
	 * max_checks, max_seconds, max_body, robots, traps. */
	bool complete;
	struct kp_inspect_limit {
		const char *limit;      /* "max_pages" …, static */
		long long value;        /* the limit's value; -1 none (robots,
					 * traps) */
		size_t skipped;         /* URLs it left unfetched */
	} limits[8];
	size_t nlimits;
	/* attachments read for the content checks (attach.c), and those
	 * that could not be (the first 100, with why) */
	size_t attach_read;
	struct kp_inspect_attach_unread {
		char *url;
		const char *why;        /* static */
	} *attach_unread;
	size_t nattach_unread;
} kp_inspect_result;

/* Once per process, before the first kp_inspect_run and while no other
 * thread runs (from main or a service's start-up): libcurl's global
 * initialisation, and on glibc a malloc setting that keeps freed memory
 * instead of giving it back and faulting it in again at every page.
 * Returns 0, or -1 when libcurl cannot start.  kp_inspect_process_cleanup
 * once at the end.  Everything else in this header may be called from
 * several threads at once (each run has its own state). */
int kp_inspect_process_init(void);
void kp_inspect_process_cleanup(void);

int kp_inspect_run(const char *url, const kp_inspect_opts *o, kp_inspect_result **out, kp_err *e);
/* When r is not the whole site: what left it short, in Chinese ("抓取未完成
 * …：页面数达到上限 500（--max-pages），19600 个网址未抓取；…"), appended
 * to msg, and the site.incomplete finding's severity (一般 when a cap or
 * the time limit stopped the crawl, else 提示); NULL when r->complete. */
const char *kp_inspect_limits_message(const kp_inspect_result *r, kp_buf *msg);
void kp_inspect_result_free(kp_inspect_result *r);
json_t *kp_inspect_result_json(const kp_inspect_result *r);

/* ---- a column check between two inspections (checks.c) ----
 * Monitoring's light check of a site's columns: only the homepage and
 * the list pages of the columns an earlier inspection found are fetched
 * (and, for a list none of whose items is dated, the articles it links,
 * as the inspector dates such a list), by the same crawl loop (o's
 * timeout, retries, robots.txt, host_take and delay_ms hold), and each
 * column is dated, counted and judged blank or stale at o->as_of by
 * the very code kp_inspect_run uses.  No other page, link or resource
 * is fetched or checked. */
typedef struct kp_inspect_colref {
	const char *name, *url, *cls;   /* borrowed; cls NULL: by its name */
} kp_inspect_colref;
/* *out (kp_inspect_result_free) has the homepage (url, status, its
 * newest date), pages_crawled, and columns[0..n) in cols' order, each
 * with its page's status (0: not fetched); the only findings are the
 * column checks' (column.updated, column.blank).  -1 with e as
 * kp_inspect_run (a URL that is not one, n 0 or over 300). */
int kp_inspect_columns_check(const char *url, const kp_inspect_colref *cols,
			     size_t n, const kp_inspect_opts *o,
			     kp_inspect_result **out, kp_err *e);

/* ---- finding identity (keys.c) ---- */
/* The key of each of r's findings: with its check, what makes it the
 * same problem in the next inspection of the site however its message
 * changes ("栏目“通知公告”200 天未更新" → 230 天): the dead link's URL,
 * the column's name, the missing footer element, the required column.
 * (check, key) is unique within r (a repeat gets " #2", " #3" …).
 * Returns r->nfindings malloc'd strings; kp_inspect_finding_keys_free frees. */
char **kp_inspect_finding_keys(const kp_inspect_result *r);
void kp_inspect_finding_keys_free(char **keys, size_t n);

/* ---- facts for an indicator table (facts.c) ---- */
/* The facts that inspection j (kp_inspect_result_json's object, as the store
 * keeps it) gives unit in table t, by the rows for t's id of the map
 * (map_file, or data/inspect/facts-map.csv compiled in): each finding
 * that fits a row is one fact (veto, or fail once) of source 检测, with
 * the finding's URL, day and message as evidence, and t's id as its
 * table.  Appends to out and returns 0; 1 when the map has no rows for
 * t (nothing appended: the caller says so, or tries the round's other
 * tables); -1 and KP_EINPUT (naming file and line) for a malformed map,
 * an indicator t lacks or a check that does not exist. */
struct kp_table;
struct kp_facts;
int kp_inspect_inspection_facts(const json_t *j, const struct kp_table *t,
			 const char *unit, const char *map_file,
			 struct kp_facts *out, kp_err *e);

/* The nodes of t (codes, in map order, each once; caller frees each and
 * the array) that the map's checks cover: what an inspection declares
 * assessed — a covered node without a finding has passed.  Returns 0, 1
 * when the map has no row for t (nothing), -1 for a malformed map. */
int kp_inspect_map_covers(const struct kp_table *t, const char *map_file,
			  char ***codes, size_t *n, kp_err *e);

/* The registered checks (name, Chinese label), for help and docs. */
typedef struct kp_inspect_check_info {
	const char *name, *label;
	const char *title;    /* short Chinese name: 栏目更新, 死链, 底部要素 */
} kp_inspect_check_info;
const kp_inspect_check_info *kp_inspect_checks(size_t *n);
/* The Chinese title of a check id ("column.updated" → "栏目更新"); the
 * id itself when it is not a check. */
const char *kp_inspect_check_title(const char *check);

#endif
