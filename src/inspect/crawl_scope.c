/*
 * inspect/crawl_scope.c — which URLs the crawl fetches, and how.
 *
 * Each host has its own queues (pages first, then resources), its
 * robots.txt rules (groups for "*" or "kaoping", Allow/Disallow by the
 * longest prefix, Crawl-delay) and its politeness clock.  A link is
 * fetched when its host is one of the site's (or, with --external,
 * checked once when it is another site's) and it is no trap: a path
 * that grows or repeats, an overlong URL, or one path with endlessly
 * changing queries (calendars after 30, anything after 2000).
 */
#define _GNU_SOURCE /* strcasestr */
#include "inspect/crawl_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- hosts, queues, robots.txt -------------------------------------- */

void kp_inspect_fifo_push(fifo *f, uint32_t id)
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

uint32_t kp_inspect_fifo_pop(fifo *f)
{
	f->n--;
	return f->v[f->head++];
}

host *kp_inspect_host_add(loop *l, const char *name)
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

host *kp_inspect_host_of(loop *l, const char *name)
{
	for (size_t i = 0; i < l->nhosts; i++)
		if (!strcmp(l->hosts[i]->name, name))
			return l->hosts[i];
	return NULL;
}

void kp_inspect_host_free(host *h)
{
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

void kp_inspect_robots_parse(host *h, const char *txt)
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

bool kp_inspect_robots_allows(const host *h, const char *url)
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

bool kp_inspect_scope_has(const kp_inspect_crawl *c, const char *hostname)
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
uint32_t kp_inspect_see_h(loop *l, uint32_t from, const char *url, size_t n,
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
	id = kp_inspect_urls_find_h(c, url, n, hash);
	isnew = id == UINT32_MAX;
	if (isnew) {
		if (!kp_inspect_url_host(url, hn, sizeof(hn)))
			return UINT32_MAX;
		id = kp_inspect_urls_intern(c, url, n, hash, &isnew);
	}
	u = &c->urls[id];
	if (from != UINT32_MAX)
		kp_inspect_urls_add_ref(c, u, from);
	if (!isnew) {
		/* a shorter way to a URL: its click depth is that one's
		 * (the crawl's order depends on timing; the depth must
		 * not), and a page skipped as too deep (or first seen as an
		 * image) is queued once it is within reach */
		if (depth >= u->depth)
			return id;
		u->depth = (uint8_t)depth;
		if (u->state == U_SKIPPED && u->kind == KP_INSPECT_LINK_PAGE &&
		    u->skip != SKIP_ONLY &&
		    !u->trap && u->in_scope && depth <= l->o->max_depth) {
			u->state = U_QUEUED;
			u->skip = SKIP_NONE;
			h = kp_inspect_url_host(url, hn, sizeof(hn)) ? kp_inspect_host_of(l, hn) : NULL;
			if (h)
				kp_inspect_fifo_push(&h->pages, id);
		}
		return id;
	}
	u->kind = (uint8_t)kind;
	u->depth = (uint8_t)(depth > 255 ? 255 : depth);
	u->in_scope = kp_inspect_scope_has(c, hn);
	if (!u->in_scope && l->o->external && !excluded(c, u->url)) {
		/* another site: one HEAD (or GET) to see that it answers;
		 * never parsed, never followed, robots.txt not asked */
		h = kp_inspect_host_of(l, hn);
		if (!h && l->nhosts < 4096) {
			h = kp_inspect_host_add(l, hn);
			h->robots = 2;
		}
		if (!h) {
			u->state = U_SKIPPED;
			u->skip = SKIP_SCOPE;
			return id;
		}
		u->nobody = true;
		kp_inspect_fifo_push(&h->res, id);
		u->state = U_QUEUED;
		return id;
	}
	h = !u->in_scope || excluded(c, u->url) ? NULL : kp_inspect_host_of(l, hn);
	if (!h) {
		u->state = U_SKIPPED;
		u->skip = SKIP_SCOPE;
		return id;
	}
	if ((u->trap_why = kp_inspect_url_trap(u->url)) ||
	    (kind == KP_INSPECT_LINK_PAGE && trap_query(h, u->url))) {
		if (!u->trap_why)
			u->trap_why = "同一路径的查询参数无穷变化（疑似日历或会话陷阱）";
		u->trap = true;
		u->state = U_SKIPPED;
		u->skip = SKIP_TRAP;
		c->traps++;
		return id;
	}
	if (c->only && from != UINT32_MAX) {
		/* a column check fetches its seeds alone */
		if (kind == KP_INSPECT_LINK_FRAME)
			u->kind = KP_INSPECT_LINK_PAGE;
		u->state = U_SKIPPED;
		u->skip = SKIP_ONLY;
		return id;
	}
	if (kind == KP_INSPECT_LINK_PAGE || kind == KP_INSPECT_LINK_FRAME) {
		if (depth > l->o->max_depth) {
			u->state = U_SKIPPED;
			u->skip = SKIP_DEPTH;
			return id;
		}
		u->kind = KP_INSPECT_LINK_PAGE;
		kp_inspect_fifo_push(&h->pages, id);
	} else {
		/* an attachment whose text the content checks read is
		 * fetched whole (attach.c); anything else is asked with HEAD */
		u->attach = kind == KP_INSPECT_LINK_ATTACHMENT && l->o->attach_max &&
			    kp_inspect_attach_kind(u->url, NULL);
		u->nobody = !u->attach;
		kp_inspect_fifo_push(&h->res, id);
	}
	u->state = U_QUEUED;
	return id;
}

uint32_t kp_inspect_see(loop *l, uint32_t from, const char *url, size_t n,
		    int kind, int depth)
{
	return kp_inspect_see_h(l, from, url, n, kp_inspect_urls_hash(url, n), kind, depth);
}

void kp_inspect_queue_only(loop *l, uint32_t id)
{
	kp_inspect_url *u = &l->c->urls[id];
	char hn[256];
	host *h;
	if (u->state != U_SKIPPED || u->skip != SKIP_ONLY ||
	    u->kind != KP_INSPECT_LINK_PAGE || !u->in_scope || u->trap ||
	    !kp_inspect_url_host(u->url, hn, sizeof(hn)) ||
	    !(h = kp_inspect_host_of(l, hn)))
		return;
	u->state = U_QUEUED;
	u->skip = SKIP_NONE;
	kp_inspect_fifo_push(&h->pages, id);
}

bool kp_inspect_only_column(const kp_inspect_crawl *c, uint32_t id)
{
	for (size_t i = 0; c->only && i < c->nonly; i++)
		if (c->only_abs[i] && !strcmp(c->only_abs[i], c->urls[id].url))
			return true;
	return false;
}
