/* inspect — incremental re-inspection: conditional requests from the
 * caller's page cache (kp_inspect_cache in inspect.h).
 *
 * A page the cache holds, that is not a list page and has a validator,
 * is asked for with If-None-Match / If-Modified-Since.  A 304 answer
 * gets the cached body and Content-Type and goes on exactly as a 200
 * would: parsed, its links followed, its findings made.  Every page
 * that comes whole (2xx, not redirected) is handed back to the cache
 * with its new validators. */
#include "inspect/crawl_int.h"

#include <stdlib.h>
#include <string.h>

struct curl_slist *kp_inspect_cache_headers(loop *l, const kp_inspect_url *u)
{
	const kp_inspect_cache *k = l->o->cache;
	kp_inspect_cached cd;
	struct curl_slist *h = NULL;
	kp_buf b = KP_BUF_INIT;
	if (!k || u->kind != KP_INSPECT_LINK_PAGE || u->nobody || u->attach)
		return NULL;
	memset(&cd, 0, sizeof(cd));
	if (k->get(k->ctx, u->url, false, &cd) != 1 || cd.list)
		return NULL;
	if (cd.etag && *cd.etag) {
		kp_buf_addf(&b, "If-None-Match: %s", cd.etag);
		h = curl_slist_append(h, b.data);
		kp_buf_reset(&b);
	}
	if (cd.last_modified && *cd.last_modified) {
		kp_buf_addf(&b, "If-Modified-Since: %s", cd.last_modified);
		h = curl_slist_append(h, b.data);
	}
	kp_buf_release(&b);
	if (h && u->tries == 1)   /* start() counted this try */
		l->c->pages_conditional++;
	return h;
}

bool kp_inspect_cache_reuse(loop *l, xfer *x, const kp_inspect_url *u,
			    char **ctype)
{
	const kp_inspect_cache *k = l->o->cache;
	kp_inspect_cached cd;
	memset(&cd, 0, sizeof(cd));
	if (!k || k->get(k->ctx, u->url, true, &cd) != 1 || !cd.body)
		return false;
	kp_buf_reset(&x->body);
	if (kp_buf_add(&x->body, cd.body, cd.len) < 0)
		return false;
	free(x->cached_ctype);
	x->cached_ctype = cd.ctype ? kp_xstrdup(cd.ctype) : NULL;
	*ctype = x->cached_ctype;
	l->c->pages_not_modified++;
	return true;
}

/* A response header's value, or "". */
static const char *header(CURL *easy, const char *name)
{
	struct curl_header *h = NULL;
	if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK ||
	    !h)
		return "";
	return h->value;
}

void kp_inspect_cache_put(loop *l, xfer *x, const kp_inspect_url *u,
			  const char *ctype)
{
	const kp_inspect_cache *k = l->o->cache;
	char *etag, *lm;
	if (!k || u->final_url || u->kind != KP_INSPECT_LINK_PAGE || x->attach ||
	    !x->body.data)
		return;
	/* copied: the header API's strings live until the next call */
	etag = kp_xstrdup(header(x->easy, "ETag"));
	lm = kp_xstrdup(header(x->easy, "Last-Modified"));
	k->put(k->ctx, u->url, etag, lm, ctype ? ctype : "", x->body.data,
	       x->body.len);
	free(etag);
	free(lm);
}
