/*
 * inspect/crawl_urls.c — the crawl's URL table.
 *
 * Every URL seen gets one kp_inspect_url (de-duplicated through an
 * open-addressing hash of the normalised URL; the strings and reference
 * lists live in one arena, freed at once).  "/" and "/index.html" of one
 * directory are one page when their bodies are the same (same_as).
 * Only the fetch loop's thread calls these.
 */
#include "inspect/crawl_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

uint32_t kp_inspect_urls_hash(const char *url, size_t n)
{
	return (uint32_t)hash_bytes(url, n);
}

/* The id of url[0..n), whose url_hash is h, added (copied) when new;
 * *isnew set. */
uint32_t kp_inspect_urls_intern(kp_inspect_crawl *c, const char *url, size_t n,
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

uint32_t kp_inspect_urls_find_h(const kp_inspect_crawl *c, const char *url, size_t n,
			   uint32_t h)
{
	size_t j;
	if (!c->hcap)
		return UINT32_MAX;
	j = url_slot(c, url, n, h);
	return c->hash[j] ? SLOT_ID(c->hash[j]) - 1 : UINT32_MAX;
}

uint32_t kp_inspect_urls_find(const kp_inspect_crawl *c, const char *url)
{
	size_t n = strlen(url);
	return kp_inspect_urls_find_h(c, url, n, kp_inspect_urls_hash(url, n));
}

#define MAX_REFS 100

void kp_inspect_urls_add_ref(kp_inspect_crawl *c, kp_inspect_url *u, uint32_t from)
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
bool kp_inspect_urls_same_page(kp_inspect_crawl *c, uint32_t id, const kp_buf *body)
{
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
		uint32_t o = kp_inspect_urls_find(c, cand);
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

/* Each URL's click depth is the shortest way to it over the links the
 * crawl saw (the pages linking it, up to MAX_REFS of them): a page whose
 * depth fell after it was parsed gave its links the old one. */
void kp_inspect_urls_settle_depths(kp_inspect_crawl *c)
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
void kp_inspect_urls_merge_same(kp_inspect_crawl *c)
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

void kp_inspect_crawl_release(kp_inspect_crawl *c)
{
	for (size_t i = 0; i < c->nurls; i++) {
		kp_inspect_url *u = &c->urls[i];
		free(u->final_url);
		free(u->error);
		free(u->refused);
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
	free(c->long_refs);
	for (size_t i = 0; i < c->nattach; i++)
		kp_inspect_hits_free(c->attach[i].hits, c->attach[i].nhits);
	free(c->attach);
	if (c->home_parsed)
		kp_inspect_doc_release(&c->home_doc);
	for (size_t i = 0; c->only_abs && i < c->nonly; i++)
		free(c->only_abs[i]);
	free(c->only_abs);
	kp_inspect_site_release(&c->site);
	memset(c, 0, sizeof(*c));
}

