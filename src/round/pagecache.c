/* round — the page cache of incremental inspections over the store
 * (kp_inspect_cache for the crawler; kp_store_page_* underneath).
 *
 * The crawler asks (get) and tells (put) on its loop's thread; puts are
 * kept and written PUT_BATCH at a time, each batch one transaction.  A
 * body is kept deflated (zlib) and base64-encoded (libsodium): the
 * store's text columns take any page, GBK or not.  An error of the
 * store during the crawl does not stop it: the first one is kept and
 * kp_rnd_page_cache_finish returns it. */
#include "round/round_int.h"
#include "inspect/inspect.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PUT_BATCH 64

struct kp_rnd_page_cache {
	kp_store *db;          /* borrowed */
	char *site;
	bool use;              /* false: record only (a full inspection) */
	kp_inspect_cache ops;
	kp_store_page got;     /* the last get's row */
	kp_buf body;           /* the last get's body, decoded */
	kp_store_page *put;    /* pending rows, owned */
	size_t nput;
	bool failed;
	kp_err err;
};

static char *encode(const char *body, size_t len)
{
	uLongf zl = compressBound((uLong)len);
	unsigned char *z = kp_xmalloc(zl ? zl : 1);
	size_t bl;
	char *b64;
	if (compress2(z, &zl, (const Bytef *)body, (uLong)len, 6) != Z_OK)
		zl = 0;
	bl = sodium_base64_ENCODED_LEN(zl, sodium_base64_VARIANT_ORIGINAL);
	b64 = kp_xmalloc(bl);
	sodium_bin2base64(b64, bl, z, zl, sodium_base64_VARIANT_ORIGINAL);
	free(z);
	return b64;
}

/* b64 (the body of size bytes) into out; -1 when it does not decode. */
static int decode(const char *b64, int64_t size, kp_buf *out)
{
	size_t n = strlen(b64), zl = 0;
	unsigned char *z = kp_xmalloc(n + 1);
	uLongf ol = (uLongf)size;
	int r = -1;
	kp_buf_reset(out);
	if (size >= 0 && size < (int64_t)1 << 31 &&
	    sodium_base642bin(z, n + 1, b64, n, NULL, &zl, NULL,
			      sodium_base64_VARIANT_ORIGINAL) == 0 &&
	    kp_buf_reserve(out, (size_t)size + 1) == 0 &&
	    uncompress((Bytef *)out->data, &ol, z, (uLong)zl) == Z_OK &&
	    (int64_t)ol == size) {
		out->len = (size_t)size;
		out->data[out->len] = '\0';
		r = 0;
	}
	free(z);
	return r;
}

static void fail_once(kp_rnd_page_cache *pc, const kp_err *e)
{
	if (!pc->failed)
		pc->err = *e;
	pc->failed = true;
}

static int cache_get(void *ctx, const char *url, bool want_body,
		     kp_inspect_cached *out)
{
	kp_rnd_page_cache *pc = ctx;
	kp_err e;
	int r;
	if (!pc->use)
		return 0;
	kp_store_page_release(&pc->got);
	r = kp_store_page_get(pc->db, pc->site, url, want_body, &pc->got, &e);
	if (r < 0)
		fail_once(pc, &e);
	if (r != 1)
		return 0;
	memset(out, 0, sizeof(*out));
	out->etag = pc->got.etag;
	out->last_modified = pc->got.last_modified;
	out->ctype = pc->got.ctype;
	out->list = pc->got.list;
	if (want_body) {
		if (decode(pc->got.body, pc->got.size, &pc->body) < 0)
			return 0;   /* unreadable: fetched whole */
		out->body = pc->body.data;
		out->len = pc->body.len;
	}
	return 1;
}

static void flush(kp_rnd_page_cache *pc)
{
	kp_err e;
	if (pc->nput && kp_store_pages_put(pc->db, pc->site, pc->put, pc->nput,
					   &e) < 0)
		fail_once(pc, &e);
	for (size_t i = 0; i < pc->nput; i++)
		kp_store_page_release(&pc->put[i]);
	pc->nput = 0;
}

static void cache_put(void *ctx, const char *url, const char *etag,
		      const char *last_modified, const char *ctype,
		      const char *body, size_t len)
{
	kp_rnd_page_cache *pc = ctx;
	kp_store_page *p = &pc->put[pc->nput++];
	char hash[24];
	snprintf(hash, sizeof(hash), "%016llx",
		 (unsigned long long)kp_hash_fnv1a(body, len));
	*p = (kp_store_page){
		.url = kp_xstrdup(url), .etag = kp_xstrdup(etag),
		.last_modified = kp_xstrdup(last_modified),
		.hash = kp_xstrdup(hash), .ctype = kp_xstrdup(ctype),
		.body = encode(body, len), .size = (int64_t)len,
	};
	if (pc->nput == PUT_BATCH)
		flush(pc);
}

kp_rnd_page_cache *kp_rnd_page_cache_new(kp_store *db, const char *site,
					 bool use)
{
	kp_rnd_page_cache *pc = kp_xcalloc(1, sizeof(*pc));
	pc->db = db;
	pc->site = kp_xstrdup(site);
	pc->use = use;
	pc->ops = (kp_inspect_cache){ cache_get, cache_put, pc, use };
	pc->put = kp_xcalloc(PUT_BATCH, sizeof(*pc->put));
	kp_buf_init(&pc->body, (size_t)1 << 30);
	return pc;
}

const kp_inspect_cache *kp_rnd_page_cache_ops(kp_rnd_page_cache *pc)
{
	return &pc->ops;
}

int kp_rnd_page_cache_finish(kp_rnd_page_cache *pc,
			     const struct kp_inspect_result *r, kp_err *e)
{
	const char **lists;
	size_t n = 0;
	kp_err me;
	flush(pc);
	if (r) {
		/* the list pages: the homepage (as given and where it led)
		 * and each column's page */
		lists = kp_xcalloc(r->ncolumns + 2, sizeof(*lists));
		if (r->site)
			lists[n++] = r->site;
		if (r->home.url)
			lists[n++] = r->home.url;
		for (size_t i = 0; i < r->ncolumns; i++)
			if (r->columns[i].url)
				lists[n++] = r->columns[i].url;
		if (kp_store_pages_mark_lists(pc->db, pc->site, lists, n, &me) < 0)
			fail_once(pc, &me);
		free(lists);
	}
	if (pc->failed) {
		*e = pc->err;
		return -1;
	}
	return 0;
}

void kp_rnd_page_cache_free(kp_rnd_page_cache *pc)
{
	if (!pc)
		return;
	for (size_t i = 0; i < pc->nput; i++)
		kp_store_page_release(&pc->put[i]);
	free(pc->put);
	kp_store_page_release(&pc->got);
	kp_buf_release(&pc->body);
	free(pc->site);
	free(pc);
}
