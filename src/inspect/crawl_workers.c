/*
 * inspect/crawl_workers.c — the parser threads.
 *
 * Parsing a page (charset, tokenizer, extraction, resolving its links) is
 * handed to parser threads: the loop gives them a finished body and keeps
 * fetching (and, rather than sleep while no socket is ready, parses a
 * waiting page itself: kp_inspect_parse_help); a parser hands back what
 * the page links to, and the loop, the only owner of the URL table,
 * records it (curl_multi_wakeup tells it).  A job borrows its page's URL
 * and base from the URL table (set before it is handed out, never
 * changed while it is out); a parser reads nothing else shared but the
 * options and the site settings, which no one writes during the crawl.
 */
#include "inspect/crawl_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- jobs ------------------------------------------------------------ */

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

/* Append s (NUL-terminated) to j->out; its offset. */
static uint32_t out_add(job *j, const char *s, size_t n)
{
	uint32_t off = (uint32_t)j->out.len;
	kp_buf_add(&j->out, s, n);
	kp_buf_addc(&j->out, '\0');
	return off;
}

/* A link too long to resolve (over 2,048 bytes, not javascript: and the
 * like) is a trap like a long URL: kept for the loop to count. */
static void long_ref(job *j, const char *ref)
{
	size_t n = strlen(ref);
	if (n <= 2048 || !strncasecmp(ref, "javascript:", 11) ||
	    !strncasecmp(ref, "data:", 5) || !strncasecmp(ref, "mailto:", 7))
		return;
	if (!(j->nlong_refs & (j->nlong_refs + 1)) || !j->long_refs) /* 0, 1, 3 … */
		j->long_refs = kp_xrealloc(j->long_refs, (j->nlong_refs + 1) * 2 *
							  sizeof(*j->long_refs));
	j->long_refs[j->nlong_refs++] = (uint64_t)kp_inspect_urls_hash(ref, n) << 32 | (n & 0xFFFFFFFFu);
}

/* The loop counts j's long links not seen before as traps. */
static void long_refs_count(kp_inspect_crawl *c, const job *j)
{
	for (size_t i = 0; i < j->nlong_refs; i++) {
		size_t k = 0;
		while (k < c->nlong_refs && c->long_refs[k] != j->long_refs[i])
			k++;
		if (k < c->nlong_refs)
			continue;
		c->traps++;
		if (c->nlong_refs >= 4096)   /* past that, counted without a memory */
			continue;
		if (!(c->nlong_refs & (c->nlong_refs + 1)) || !c->long_refs)
			c->long_refs = kp_xrealloc(c->long_refs, (c->nlong_refs + 1) * 2 *
								  sizeof(*c->long_refs));
		c->long_refs[c->nlong_refs++] = j->long_refs[i];
	}
}

/* A parser's work on an attachment: its text (attach.c) and the content
 * checks' hits in it. */
static void parse_attach(const kp_inspect_crawl *c, job *j)
{
	kp_buf text = KP_BUF_INIT;
	if (kp_inspect_attach_text(j->body.data ? j->body.data : "", j->body.len, &text,
				   &j->why) == 0 && text.len)
		kp_inspect_content_scan_words(c->site.words, text.data, text.len,
					      c->o->as_of, &j->hits, &j->nhits);
	kp_buf_release(&text);
	kp_buf_release(&j->body);
}

/* What the crawl keeps of page d (its URL's kp_inspect_page). */
static kp_inspect_page *page_of(const kp_inspect_crawl *c, kp_inspect_doc *d,
				const char *cs)
{
	kp_inspect_page *pg = kp_xcalloc(1, sizeof(*pg));
	pg->charset = (char *)cs;
	pg->pages = d->pages;
	pg->labelled = d->labelled_date;
	pg->labelled_source = d->labelled_source;
	pg->title = kp_xstrdup(d->title);
	kp_inspect_letter_read(d->text.data ? d->text.data : "", d->text.len, c->o->as_of,
			       &pg->letter, &pg->replied);
	for (size_t i = 0; i < d->nitems; i++) {
		pg->nitems++;
		if (!d->items[i].date)
			pg->undated++;
		else if (d->items[i].date > pg->newest) {
			pg->newest = d->items[i].date;
			pg->newest_source = d->items[i].date_source;
		}
	}
	pg->hits = d->hits;          /* the content checks' hits move to pg */
	pg->nhits = d->nhits;
	d->hits = NULL;
	d->nhits = 0;
	return pg;
}

/* j's links, list items and refresh target resolved against base into
 * j->out. */
static void resolve_links(job *j, const kp_inspect_doc *d, const char *base)
{
	char abs[8192];
	kp_inspect_base kb;
	kp_inspect_base_init(&kb, base);   /* read once for all the page's links */
	kp_buf_init(&j->out, 0);
	/* room for the links at once (most resolve to 40–60 bytes) */
	kp_buf_reserve(&j->out, d->nlinks * 64 + 256);
	j->links = kp_xmalloc((d->nlinks ? d->nlinks : 1) * sizeof(*j->links));
	for (size_t i = 0; i < d->nlinks; i++) {
		size_t n = kp_inspect_url_resolve_base_to(&kb, d->links[i].url, abs,
						   sizeof(abs));
		if (!n) {
			long_ref(j, d->links[i].url);
			continue;
		}
		plink *pl = &j->links[j->nlinks++];
		pl->off = out_add(j, abs, n);
		pl->len = (uint32_t)n;
		pl->hash = kp_inspect_urls_hash(abs, n);
		pl->kind = d->links[i].kind;
		pl->nav = d->links[i].nav;
		pl->text = UINT32_MAX;
		/* anchor texts only where columns are looked for */
		if (j->depth <= 1 && d->links[i].text[0] &&
		    strlen(d->links[i].text) <= 64)
			pl->text = out_add(j, d->links[i].text,
					   strlen(d->links[i].text));
	}
	for (size_t i = 0; i < d->nitems && j->nitems < 32; i++) {
		size_t n = d->items[i].href
				   ? kp_inspect_url_resolve_base_to(&kb, d->items[i].href,
							     abs, sizeof(abs))
				   : 0;
		if (n)
			j->items[j->nitems++] = out_add(j, abs, n);
	}
	j->refresh = UINT32_MAX;
	if (d->refresh) {
		size_t n = kp_inspect_url_resolve_base_to(&kb, d->refresh, abs,
						   sizeof(abs));
		if (n)
			j->refresh = out_add(j, abs, n);
	}
	j->doc_links = d->nlinks;
	j->doc_items = d->nitems;
}

/* A parser's work on one page: no shared state but the read-only options
 * and site settings. */
static void parse_job(const kp_inspect_crawl *c, job *j)
{
	const kp_inspect_opts *o = c->o;
	kp_buf utf = KP_BUF_INIT;
	kp_inspect_doc d;
	const char *cs = "UTF-8";
	const char *html;     /* the page in UTF-8: the body or utf */
	size_t hn;
	if (j->attach) {
		parse_attach(c, j);
		return;
	}
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
	d.words = c->site.words;
	d.no_blocks = !j->home;   /* only the homepage's footer is read */
	kp_inspect_html_extract(html, hn, o->as_of, o->max_links, &d);
	kp_inspect_site_items(&c->site, j->url, html, hn, o->as_of, &d);
	kp_buf_release(&utf);       /* whichever held the page */
	kp_buf_release(&j->body);
	char *based = d.base ? kp_inspect_url_resolve(j->base, d.base) : NULL;
	j->pg = page_of(c, &d, cs);
	resolve_links(j, &d, based ? based : j->base);
	free(based);
	if (j->home)
		j->doc = d;
	else
		kp_inspect_doc_release(&d);
}

static void job_free(job *j)
{
	kp_inspect_hits_free(j->hits, j->nhits);
	free(j->long_refs);
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
	if (j->attach) {   /* an attachment: its hits, for chk_content */
		if (!(c->nattach & (c->nattach + 1)) || !c->attach) /* 0, 1, 3 … */
			c->attach = kp_xrealloc(c->attach, (c->nattach + 1) * 2 *
							       sizeof(*c->attach));
		c->attach[c->nattach++] = (kp_inspect_attach){ id, j->hits, j->nhits, j->why };
		j->hits = NULL;
		j->nhits = 0;
		job_free(j);
		return;
	}
	c->urls[id].page = pg;
	long_refs_count(c, j);
	for (size_t i = 0; i < j->nlinks; i++) {
		const plink *pl = &j->links[i];
		uint32_t lid = kp_inspect_see_h(l, id, j->out.data + pl->off, pl->len,
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
		uint32_t iid = kp_inspect_urls_find(c, j->out.data + j->items[i]);
		if (iid != UINT32_MAX)
			pg->item_ids[pg->nitem_ids++] = iid;
	}
	/* a column check dates an undated list by its articles, as the
	 * inspector does (add_column): those are fetched too */
	if (c->only && !pg->newest && id != c->home &&
	    kp_inspect_only_column(c, id))
		for (uint8_t k = 0; k < pg->nitem_ids; k++)
			kp_inspect_queue_only(l, pg->item_ids[k]);
	/* a homepage that is only a refresh to the real one: that one is
	 * the homepage */
	if (id == c->home && j->refresh != UINT32_MAX && j->doc_items == 0 &&
	    j->doc_links <= 3 && !c->home_moved) {
		uint32_t tid = kp_inspect_urls_find(c, j->out.data + j->refresh);
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
void kp_inspect_parse_dispatch(loop *l, uint32_t id, xfer *x, const char *ctype)
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
	j->attach = x->attach;
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
void kp_inspect_parse_collect(loop *l)
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
bool kp_inspect_parse_help(loop *l)
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

void kp_inspect_parsers_start(loop *l)
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

void kp_inspect_parsers_stop(loop *l)
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
		if (j->pg) {
			kp_inspect_hits_free(j->pg->hits, j->pg->nhits);
			free(j->pg->title);
			free(j->pg);
		}
		if (j->home)
			kp_inspect_doc_release(&j->doc);
		job_free(j);
	}
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l->threads);
	l->threads = NULL;
}
