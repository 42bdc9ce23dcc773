/* store — the page cache of incremental inspections (table page_cache,
 * migration 18; the interface is in store.h).  One row per (site, URL):
 * what the last inspection that fetched the page saw of it.  The body
 * is kept as the caller gives it (text: round deflates and encodes it). */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

void kp_store_page_release(kp_store_page *p)
{
	free(p->url);
	free(p->etag);
	free(p->last_modified);
	free(p->hash);
	free(p->ctype);
	free(p->body);
	memset(p, 0, sizeof(*p));
}

static int page_row(void *ctx, const kp_val *c, int n, kp_err *e)
{
	kp_store_page *p = ctx;
	(void)e;
	if (n < 8)
		return 0;
	kp_store_page_release(p);
	p->url = kp_val_dup(&c[0]);
	p->etag = kp_val_dup(&c[1]);
	p->last_modified = kp_val_dup(&c[2]);
	p->hash = kp_val_dup(&c[3]);
	p->ctype = kp_val_dup(&c[4]);
	p->list = c[5].i != 0;
	p->body = kp_val_dup(&c[6]);
	p->size = c[7].i;
	return 0;
}

int kp_store_page_get(kp_store *s, const char *site, const char *url,
		      bool body, kp_store_page *out, kp_err *e)
{
	kp_val p[2] = { KV_TEXT(site), KV_TEXT(url) };
	memset(out, 0, sizeof(*out));
	if (s->ops->run(s, body
			? "SELECT url, etag, last_modified, hash, ctype, list,"
			  " body, size FROM page_cache WHERE site = ? AND url = ?"
			: "SELECT url, etag, last_modified, hash, ctype, list,"
			  " '', size FROM page_cache WHERE site = ? AND url = ?",
			p, 2, page_row, out, e) < 0) {
		kp_store_page_release(out);
		return -1;
	}
	return out->url ? 1 : 0;
}

int kp_store_pages_put(kp_store *s, const char *site, const kp_store_page *v,
		       size_t n, kp_err *e)
{
	char now[24];
	kp_store_now(now);
	if (!n)
		return 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		kp_val p[10] = {
			KV_TEXT(site), KV_TEXT(v[i].url), KV_TEXT(v[i].etag),
			KV_TEXT(v[i].last_modified), KV_TEXT(v[i].hash),
			KV_TEXT(v[i].ctype), KV_INT(v[i].list), KV_TEXT(v[i].body),
			KV_INT(v[i].size), KV_TEXT(now),
		};
		if (s->ops->run(s, "INSERT INTO page_cache (site, url, etag,"
				   " last_modified, hash, ctype, list, body, size, at)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				   " ON CONFLICT (site, url) DO UPDATE SET"
				   " etag = excluded.etag,"
				   " last_modified = excluded.last_modified,"
				   " hash = excluded.hash, ctype = excluded.ctype,"
				   " list = excluded.list, body = excluded.body,"
				   " size = excluded.size, at = excluded.at",
				p, 10, NULL, NULL, e) < 0)
			return kp_store_fail_tx(s);
	}
	return s->ops->commit(s, e);
}

int kp_store_pages_mark_lists(kp_store *s, const char *site,
			      const char *const *urls, size_t n, kp_err *e)
{
	kp_val p[2] = { KV_TEXT(site), KV_NULL };
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->run(s, "UPDATE page_cache SET list = 0 WHERE site = ?"
			   " AND list <> 0", p, 1, NULL, NULL, e) < 0)
		return kp_store_fail_tx(s);
	for (size_t i = 0; i < n; i++) {
		p[1] = KV_TEXT(urls[i]);
		if (s->ops->run(s, "UPDATE page_cache SET list = 1 WHERE site = ?"
				   " AND url = ?", p, 2, NULL, NULL, e) < 0)
			return kp_store_fail_tx(s);
	}
	return s->ops->commit(s, e);
}

int kp_store_pages_count(kp_store *s, const char *site, int64_t *n,
			 kp_err *e)
{
	kp_val p[1] = { KV_TEXT(site) };
	*n = 0;
	return s->ops->run(s, "SELECT COUNT(*) FROM page_cache WHERE site = ?",
			   p, 1, kp_row_first_int, n, e) < 0 ? -1 : 0;
}
