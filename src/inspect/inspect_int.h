/* Internal to src/inspect: what the crawler hands the checks. */
#ifndef KP_INSPECT_INT_H
#define KP_INSPECT_INT_H

#include "inspect/inspect.h"

enum { U_NEW, U_QUEUED, U_RUNNING, U_DONE, U_SKIPPED };
/* Why a URL is U_SKIPPED (kp_inspect_url.skip): another site's, or a
 * limit (crawl_limits.c counts those left at the end). */
enum { SKIP_NONE, SKIP_SCOPE, SKIP_PAGES, SKIP_DEPTH, SKIP_CHECKS,
       SKIP_TIME, SKIP_ROBOTS, SKIP_TRAP,
       SKIP_ONLY };   /* a column check's: not one of its pages (by
		       * design, not a limit: not counted) */

typedef struct kp_inspect_nav {
	uint32_t id;          /* url */
	char *text;
	bool nav;
} kp_inspect_nav;

/* What we keep of a fetched HTML page (not the page itself). */
typedef struct kp_inspect_page {
	size_t nitems, undated;
	kp_inspect_date newest;      /* newest dated item */
	kp_inspect_date labelled;    /* 发布时间 label or PubDate */
	uint8_t newest_source, labelled_source;  /* kp_inspect_date_source */
	kp_inspect_hit *hits;        /* content checks' (kp_inspect_hits_free) */
	size_t nhits;
	int pages;
	uint32_t item_ids[16];
	uint8_t nitem_ids;
	kp_inspect_nav *nav;         /* depth <= 1 only */
	size_t nnav;
	char *title;
	char *charset;        /* static */
	kp_inspect_date letter;      /* a letter page's 来信日期 (interaction.c) */
	bool replied;         /* …and it has a reply */
} kp_inspect_page;

/* One per URL seen; kept small, since a big site has hundreds of
 * thousands (docs/inspect.md: under 1 KB of memory per page in all). */
typedef struct kp_inspect_url {
	char *url;            /* in the crawl's arena: not freed alone */
	char *final_url;      /* after redirects, when different */
	char *error;          /* Chinese, when the transfer failed */
	char *refused;        /* Chinese: why the guard refused it
			       * (crawl_guard.c), or NULL */
	kp_inspect_page *page;
	uint32_t *refs;       /* pages linking here (capped), in the arena */
	const char *trap_why; /* static */
	uint32_t nrefs, total_refs;
	uint32_t size;        /* body bytes */
	uint32_t same_as;     /* the page with the same body at the same
			       * directory ("/" and "/index.html"); UINT32_MAX none */
	uint32_t body_hash;   /* of a directory page's body, for same_as */
	float secs;
	int16_t status;
	uint8_t kind, state, depth, tries, redirects;
	uint8_t http_version; /* 10, 11, 20, 30; 0 unknown */
	bool in_scope, nobody, timeout, refused_big, not_html, trap;
	bool hashed;          /* body_hash is set */
	bool attach;          /* an attachment fetched whole for its text
			       * (attach.c) */
	uint8_t skip;         /* SKIP_…: why it is U_SKIPPED */
} kp_inspect_url;

typedef struct kp_inspect_site_column {
	char *name, *url, *cls;
	char *abs;            /* url resolved against the homepage (crawl.c) */
	/* its list items, when the config gives them, compiled (site.c) */
	void *items_re;       /* pcre2_code: each match over the HTML an item */
	void *items_xp;       /* xmlXPathCompExpr selecting the items */
	void *date_xp;        /* xmlXPathCompExpr, relative to an item */
	void *date_re;        /* pcre2_code over an item's text */
} kp_inspect_site_column;

typedef struct kp_inspect_site {
	char **hosts;
	size_t nhosts;
	char **exclude;
	size_t nexclude;
	kp_inspect_site_column *cols;
	size_t ncols;
	char *portal;         /* portal line: the government portal's domain
			       * (kp_inspect_domain_norm'd), or NULL */
	bool ignore_robots;
	bool allow_private;   /* "private,allow": other hosts may be on
			       * private addresses (crawl_guard.c) */
	kp_inspect_words *words;  /* the office's word lists (wording lines,
			       * and --words), or NULL */
} kp_inspect_site;

/* site.c: read the --site-config file (every pattern compiled and every
 * XPath tried; errors name file and line) and release it. */
int kp_inspect_site_load(const char *path, kp_inspect_site *s, kp_err *e);
void kp_inspect_site_release(kp_inspect_site *s);
/* When url is the page of a configured column with items or xpath lines,
 * replace d's list items with the configured ones (and drop its labelled
 * date: those items are the whole list).  html[0..n) is the page as
 * UTF-8.  Any other page: nothing happens. */
void kp_inspect_site_items(const kp_inspect_site *s, const char *url, const char *html,
		    size_t n, kp_inspect_date as_of, kp_inspect_doc *d);

/* An attachment read for the content checks (attach.c). */
typedef struct kp_inspect_attach {
	uint32_t id;          /* its URL */
	kp_inspect_hit *hits; /* kp_inspect_hits_free */
	size_t nhits;
	const char *why;      /* static: why it was not read, or NULL */
} kp_inspect_attach;

typedef struct kp_inspect_crawl {
	const kp_inspect_opts *o;
	kp_inspect_site site;
	kp_inspect_url *urls;
	size_t nurls, capurls;
	uint64_t *hash;       /* open addressing: URL hash << 32 | id + 1;
			       * 0 empty (crawl.c) */
	size_t hcap;
	struct kp_inspect_block *arena;  /* URL strings and reference lists */
	size_t same_pages;    /* pages not counted: same as another */
	uint32_t home;        /* id of the homepage */
	kp_inspect_doc home_doc;     /* the homepage, whole */
	bool home_parsed;
	bool home_moved;      /* followed a <meta refresh> from the first page */
	size_t pages_fetched, checks_started, errors, traps, robots_skipped;
	size_t pages_conditional, pages_not_modified;   /* opts.cache */
	size_t refused_big;
	bool time_up;         /* o->max_seconds passed: nothing new started */
	uint64_t *long_refs;  /* links too long to resolve, counted in traps
			       * once each (crawl_workers.c), malloc'd */
	size_t nlong_refs;
	kp_inspect_attach *attach;   /* attachments read, malloc'd */
	size_t nattach;
	double seconds;
	/* a column check (kp_inspect_columns_check), when only is not
	 * NULL: the homepage and these columns' pages are fetched (seeded
	 * at depth 1, their resolved URLs in only_abs, malloc'd), and of
	 * the pages they link only the items of a column's list none of
	 * whose items is dated (the inspector dates such a list by its
	 * articles); nothing else */
	const kp_inspect_colref *only;
	size_t nonly;
	char **only_abs;
} kp_inspect_crawl;

int kp_inspect_crawl_run(kp_inspect_crawl *c, const char *url, kp_err *e);
void kp_inspect_crawl_release(kp_inspect_crawl *c);

/* crawl_limits.c: the limits that left URLs unfetched, into r->complete
 * and r->limits; and the "complete" and "limits_hit" members of j. */
void kp_inspect_limits_result(const kp_inspect_crawl *c, kp_inspect_result *r);
void kp_inspect_limits_json(const kp_inspect_result *r, json_t *j);
/* attach.c: the attachments read and not read into r, and as the
 * "attachments" member of j. */
void kp_inspect_attach_result(const kp_inspect_crawl *c, kp_inspect_result *r);
void kp_inspect_attach_json(const kp_inspect_result *r, json_t *j);
/* footer.c: the footer's site code, record numbers, sponsor and contact
 * from d (its footer region first; see footer.c) into f's empty fields
 * (caller frees them with the result), and party_gov_mark when a
 * script writes it. */
void kp_inspect_footer_read(const kp_inspect_doc *d, kp_inspect_footer *f);

/* interaction.c: a letter page's text t[0..n): the day its 来信日期
 * (留言时间 …) label gives (0: not a letter), and whether it shows a
 * reply (回复内容, 答复时间 …, and no 未回复). */
void kp_inspect_letter_read(const char *t, size_t n, kp_inspect_date as_of,
			    kp_inspect_date *letter, bool *replied);

/* checks.c */
int kp_inspect_analyse(kp_inspect_crawl *c, kp_inspect_result *r, kp_err *e);

#endif
